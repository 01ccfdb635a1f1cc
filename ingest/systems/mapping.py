"""Records of an answer -> rows of the canonical long layout, by the declared mapping.

Two kinds of trouble are told apart: a record that no longer has the declared shape (a
field gone, a number turned into text) stops the whole pull, because nothing in it can be
trusted; a well-shaped record that names an unknown unit or indicator is one rejected row,
said in Vietnamese for the office like any file problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core import catalog as catalog_module
from ingest import periods
from ingest.model import REJECTED, WARNING, ParsedRow, ParseResult, Problem
from ingest.names import DISSOLVED, FOUND, SUCCESSOR, UnitResolver
from ingest.systems import paths, watermarks
from ingest.systems.errors import SourceConfigError, SourceShapeError
from ingest.systems.mappers import MAPPERS
from ingest.systems.spec import FieldRef, SourceSpec

VALUE_TYPES = {"actual": "actual", "estimate": "estimate", "chính thức": "actual", "ước": "estimate"}


@dataclass
class Mapped:
    result: ParseResult
    max_stamp: datetime | None = None  # the latest change time among the records (UTC)
    records_read: int = 0
    stamps: dict[int, datetime] = field(default_factory=dict)  # record position -> change time
    notes: list[str] = field(default_factory=list)

    @property
    def max_watermark(self) -> str | None:
        return None if self.max_stamp is None else watermarks.text(self.max_stamp)


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "number":
        return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "date":
        return isinstance(value, date)
    return value is not None


def _read(spec: SourceSpec, ref: FieldRef, record: dict[str, Any], position: int) -> Any:
    if ref.path is None:
        return ref.const
    value = paths.get(record, ref.path)
    if value is paths.MISSING:
        raise SourceShapeError(spec.name, f"record {position}: field '{ref.path}' is missing")
    if not _type_ok(value, ref.type):
        raise SourceShapeError(
            spec.name,
            f"record {position}: field '{ref.path}' should be {ref.type}, got {type(value).__name__} {value!r}",
        )
    if ref.values and isinstance(value, str):
        return ref.values.get(value, value)
    return value


def watermark_text(value: Any) -> str:
    """A change time as stored in ``raw.source_watermarks`` (UTC ISO 8601, ``Z``)."""
    return watermarks.text(watermarks.parse(value))


def later(a: str | None, b: str) -> str:
    """The later of two change times, compared as instants (never as strings)."""
    if a is None:
        return watermarks.text(watermarks.parse(b))
    return watermarks.text(max(watermarks.parse(a), watermarks.parse(b)))


STAMP_NOTE = " changed "  # the figure's note ends with it and the record's change time


def _expand(spec: SourceSpec, record: dict[str, Any], position: int) -> list[dict[str, Any]]:
    name = spec.mapping.function
    if not name:
        return [record]
    fn = MAPPERS.get(name)
    if fn is None:
        raise SourceConfigError(spec.name, f"unknown mapping function {name!r}")
    try:
        return fn(record)
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceShapeError(spec.name, f"record {position}: mapping function {name} failed: {exc!r}") from exc


class RecordMapper:
    """Maps one source's records, keeping the catalog and unit index for the whole pull."""

    def __init__(self, spec: SourceSpec, catalog: catalog_module.Catalog | None = None) -> None:
        self.spec = spec
        self.catalog = catalog or catalog_module.default()
        self.units = UnitResolver(self.catalog)
        self.sheet = f"{spec.kind}:{spec.name}"
        self._stamps: dict[int, datetime] = {}

    def _reject(self, out: ParseResult, position: int, rule: str, vi: str, en: str, column: str, found: Any) -> None:
        stamp = self._stamps.get(position)
        if stamp is not None:  # names the record version: a re-read of it is recognised
            en = f"{en}; record{STAMP_NOTE}{watermarks.text(stamp)}"
        out.problems.append(
            Problem(REJECTED, rule, vi, en, self.sheet, position, column, None if found is None else str(found))
        )

    def _note(self, position: int) -> str:
        stamp = self._stamps.get(position)
        note = f"{self.spec.name} record {position}"
        return note if stamp is None else f"{note}{STAMP_NOTE}{watermarks.text(stamp)}"

    def _unit(self, out: ParseResult, raw: Any, period: periods.Period, position: int) -> str | None:
        text = str(raw)
        if self.spec.mapping.admin_unit_by == "code":
            unit = self.catalog.units.get(text)
            if unit is not None and unit.valid_on(period.start):
                return unit.code
        else:
            found = self.units.resolve(text, period.start)
            if found.status == FOUND and found.code:
                return found.code
            if found.status == SUCCESSOR and found.code:
                out.problems.append(
                    Problem(
                        WARNING,
                        "unit_merged",
                        f"Đơn vị “{text}” đã sáp nhập; số liệu được ghi cho “{self.units.name_of(found.code)}”.",
                        f"unit {text!r} was merged; loaded under {found.code}",
                        self.sheet,
                        position,
                        "admin_unit",
                        text,
                    )
                )
                return found.code
            if found.status == DISSOLVED:
                text = f"{text} (đã giải thể)"
        self._reject(
            out,
            position,
            "unknown_admin_unit",
            f"Hệ thống {self.spec.name} gửi đơn vị hành chính “{text}” không có trong danh mục kỳ {period.code}.",
            f"unknown admin unit {text!r} for period {period.code}",
            "admin_unit",
            raw,
        )
        return None

    def _one(self, out: ParseResult, flat: dict[str, Any], position: int) -> None:
        m = self.spec.mapping
        period_raw = _read(self.spec, m.period, flat, position)
        unit_raw = _read(self.spec, m.admin_unit, flat, position)
        kind_raw = _read(self.spec, m.value_type, flat, position)
        figures = [
            (_read(self.spec, f.indicator, flat, position), _read(self.spec, f.value, flat, position))
            for f in m.figures
        ]
        period = periods.parse(period_raw)
        if period is None:
            self._reject(
                out,
                position,
                "bad_period",
                f"Kỳ báo cáo “{period_raw}” không đọc được.",
                f"unreadable period {period_raw!r}",
                "period",
                period_raw,
            )
            return
        value_type = VALUE_TYPES.get(str(kind_raw).strip().lower())
        if value_type is None:
            self._reject(
                out,
                position,
                "bad_value_type",
                f"Loại số liệu “{kind_raw}” không hợp lệ (ước / chính thức).",
                f"unknown value type {kind_raw!r}",
                "value_type",
                kind_raw,
            )
            return
        unit = self._unit(out, unit_raw, period, position)
        if unit is None:
            return
        for indicator, value in figures:
            indicator_code = str(indicator)
            known = self.catalog.indicators.get(indicator_code)
            if known is None or known.office_code != self.spec.office_code:
                self._reject(
                    out,
                    position,
                    "unknown_indicator",
                    f"Mã chỉ tiêu “{indicator_code}” không thuộc danh mục của đơn vị {self.spec.office_code}.",
                    f"indicator {indicator_code!r} is not one of office {self.spec.office_code}",
                    "indicator",
                    indicator_code,
                )
                continue
            out.rows.append(
                ParsedRow(
                    sheet_name=self.sheet,
                    source_row=position,  # figures of one record share it, like one sheet row
                    indicator_code=indicator_code,
                    admin_unit_code=unit,
                    period_code=period.code,
                    period_grain=period.grain,
                    period_start=period.start,
                    period_end=period.end,
                    value=Decimal(str(value)),
                    value_type=value_type,
                    note=self._note(position),
                    source_changed_at=self._stamps.get(position),
                )
            )

    def map(self, records: list[dict[str, Any]]) -> Mapped:
        """All records -> one ``ParseResult``; raises ``SourceShapeError`` on a changed shape."""
        out = ParseResult(layout=self.spec.kind, sheets_read=[self.sheet])
        self._stamps = {}
        mapped = Mapped(out, records_read=len(records), stamps=self._stamps)
        wm = self.spec.watermark
        for position, record in enumerate(records, start=1):
            if wm is not None:
                raw = paths.get(record, wm.field)
                if raw is paths.MISSING or raw is None:
                    raise SourceShapeError(
                        self.spec.name, f"record {position}: change-time field '{wm.field}' is missing"
                    )
                try:
                    stamp = watermarks.parse(raw, wm.timezone)
                except watermarks.BadStamp as exc:
                    raise SourceShapeError(
                        self.spec.name, f"record {position}: change-time field '{wm.field}': {exc}"
                    ) from exc
                self._stamps[position] = stamp
                mapped.max_stamp = watermarks.later(mapped.max_stamp, stamp)
            for flat in _expand(self.spec, record, position):
                self._one(out, flat, position)
        return mapped
