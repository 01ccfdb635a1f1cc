"""Validate one office's submission with its GX suite and say what to fix, row by row."""

from __future__ import annotations

import json
import logging
import math
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from core import catalog as catalog_mod
from ingest.model import ERROR, ParsedRow, Problem
from ingest.validation import context, messages
from ingest.validation.frame import Plausibility, build_frame
from ingest.validation.history import load_history
from ingest.validation.outcome import ExpectationOutcome, ValidationOutcome
from ingest.validation.suites import PLAUSIBILITY, numerator_pairs, submission_suite_name, tracked_years

log = logging.getLogger(__name__)
SAMPLE_SIZE = 20


def validate_submission(
    rows: list[ParsedRow],
    office_code: str,
    *,
    source_label: str,
    history_conn=None,
    plausibility: dict[str, float] | None = None,
    cat: catalog_mod.Catalog | None = None,
) -> ValidationOutcome:
    """Run the office's suite on ``rows``; problems carry severities and Vietnamese messages.

    ``history_conn`` (any role that may select ``raw.submitted_figures``) feeds the
    plausibility checks; ``plausibility`` overrides the suite's ``mad_k``, ``min_points``
    and ``jump_factor``.
    """
    cat = cat or catalog_mod.default()
    name = submission_suite_name(office_code)
    office = cat.offices.get(office_code)
    if office is None or not office.submits:
        who = office.name_vi if office else office_code
        return ValidationOutcome(
            suite_name=name,
            problems=[
                Problem(
                    ERROR,
                    "office_not_submitting",
                    f"Thư mục «{office_code}» ({who}) không phải là nơi nộp số liệu chỉ tiêu; hãy gửi tệp vào thư mục "
                    "của phòng phụ trách chỉ tiêu.",
                    f"Office {office_code} does not submit figures.",
                )
            ],
        )
    if not rows:
        return ValidationOutcome(suite_name=name)

    suite_meta = context.suite_meta(name)
    params = {**PLAUSIBILITY, **(suite_meta.get("plausibility") or {}), **(plausibility or {})}
    exp_meta = context.expectation_meta(name)
    coverage = exp_meta.get("commune_coverage", {})
    pairs = [tuple(p) for p in exp_meta.get("numerator_le_denominator", {}).get("pairs", [])]
    history = load_history(history_conn, sorted({r.indicator_code for r in rows}))
    frame = build_frame(
        rows,
        cat,
        history=history,
        pairs=pairs or numerator_pairs(cat, office_code),
        unit_scope=coverage.get("unit_scope"),
        tracked_years=suite_meta.get("tracked_years") or tracked_years(cat),
        plausibility=Plausibility(float(params["mad_k"]), int(params["min_points"]), float(params["jump_factor"])),
    )
    results = context.run_checkpoint(name, frame, run_name=f"{office_code}:{source_label}")
    outcome = ValidationOutcome(suite_name=name, rows_checked=len(rows))
    records = RowRecords(frame)
    denominators = dict(pairs)
    for res in sorted(results, key=lambda r: r.expectation_config.meta.get("key", "")):
        meta = res.expectation_config.meta or {}
        problems = _problems(res, meta, records, cat, office_code, denominators)
        outcome.problems.extend(problems)
        outcome.results.append(expectation_summary(res, meta, problems))
    outcome.problems.sort(key=lambda p: (p.sheet_name or "", p.source_row or 0, p.rule))
    log.info("Validated %s rows of %s with %s: %s problems", len(rows), source_label, name, len(outcome.problems))
    return outcome


class RowRecords:
    """The frame's rows by position. A column becomes a list the first time a problem reads
    it: most files have no problem, and one that fails on every row reads a few columns."""

    def __init__(self, frame: Any) -> None:
        self._frame = frame
        self._names = {str(c) for c in frame.columns}
        self._columns: dict[str, list[Any]] = {}

    def column(self, name: str) -> list[Any] | None:
        values = self._columns.get(name)
        if values is None and name in self._names:
            values = self._columns[name] = self._frame[name].tolist()
        return values

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def names(self) -> set[str]:
        return self._names

    def __getitem__(self, position: int) -> RowView:
        return RowView(self, position)


class RowView(Mapping[str, Any]):
    """One row of :class:`RowRecords`, read straight from its column lists."""

    __slots__ = ("_position", "_records")

    def __init__(self, records: RowRecords, position: int) -> None:
        self._records, self._position = records, position

    def __getitem__(self, column: str) -> Any:
        values = self._records.column(column)
        if values is None:
            raise KeyError(column)
        return values[self._position]

    def get(self, column: str, default: Any = None) -> Any:  # Mapping's own goes through a KeyError
        values = self._records.column(column)
        return default if values is None else values[self._position]

    def __contains__(self, column: object) -> bool:
        return column in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records.names())

    def __len__(self) -> int:
        return len(self._records.names())


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _problems(
    res: Any,
    meta: dict[str, Any],
    records: RowRecords,
    cat: catalog_mod.Catalog,
    office_code: str,
    denominators: dict[str, str],
) -> list[Problem]:
    if res.success:
        return []
    severity, rule = meta.get("severity", ERROR), meta.get("rule", res.expectation_config.type)
    column_vi = meta.get("column_vi") or None
    kwargs = res.expectation_config.kwargs
    if meta.get("scope") == "table" or not res.result.get("unexpected_index_list"):
        ctx = messages.LenientFields(expected=meta.get("expected", ""))
        return [
            Problem(
                severity,
                rule,
                messages.render(meta["message_vi"], ctx),
                messages.render(meta["message_en"], ctx),
                column_name=column_vi,
                expected=meta.get("expected") or None,
            )
        ]
    indices = [int(i) for i in res.result["unexpected_index_list"]]
    dup_rows: dict[tuple, list[int]] = defaultdict(list)
    if rule == "duplicate_key":
        for i in indices:
            r = records[i]
            dup_rows[(r["indicator_code"], r["admin_unit_code"], r["period_code"], r["value_type"])].append(
                r["source_row"]
            )
    # A key repeated on n rows is named in n messages: its rows are written out once.
    dup_text = {key: ", ".join(f"dòng {n}" for n in sorted(rows)) for key, rows in dup_rows.items()}
    seen_groups: set[tuple] = set()
    render = messages.Renderer()
    out: list[Problem] = []
    grouped = meta.get("scope") == "group"
    column = meta.get("value_column") or kwargs.get("column") or kwargs.get("column_B")
    expected = meta.get("expected", "")
    for i in indices:
        r = records[i]
        if grouped:
            group = (r["indicator_code"], r["period_code"], r["value_type"])
            if group in seen_groups:
                continue
            seen_groups.add(group)
        ctx = messages.row_context(cat, office_code, r)
        found = r.get(column) if column in r else r.get("value")
        ctx["value_found"] = messages.fmt_vi(found) if isinstance(found, float) else found
        ctx["expected"] = expected
        den = denominators.get(r["indicator_code"])
        if den:
            ctx["denominator"] = den
            ctx["denominator_name"] = cat.indicators[den].name_vi if den in cat.indicators else den
        if rule == "duplicate_key":
            key = (r["indicator_code"], r["admin_unit_code"], r["period_code"], r["value_type"])
            ctx["dup_rows"] = dup_text[key]
        out.append(
            Problem(
                severity,
                rule,
                render(meta["message_vi"], ctx),
                render(meta["message_en"], ctx),
                sheet_name=r["sheet_name"],
                source_row=int(r["source_row"]),
                column_name=column_vi,
                value_found=None if ctx["value_found"] is None else str(ctx["value_found"]),
                expected=expected or None,
            )
        )
    return out


def expectation_summary(res: Any, meta: dict[str, Any], problems: list[Problem]) -> ExpectationOutcome:
    """One expectation's result for the audit tables (sample of unexpected values, first message)."""
    cfg = res.expectation_config
    kwargs = {k: v for k, v in cfg.kwargs.items() if k not in ("batch_id",)}
    column = (
        kwargs.get("column")
        or kwargs.get("column_A")
        or (",".join(kwargs["column_list"]) if "column_list" in kwargs else None)
    )
    result = res.result or {}
    sample = result.get("partial_unexpected_list") or result.get("unexpected_list") or []
    return ExpectationOutcome(
        expectation_type=cfg.type,
        column=column,
        severity=meta.get("severity", ERROR),
        rule=meta.get("rule", cfg.type),
        success=bool(res.success),
        element_count=result.get("element_count"),
        unexpected_count=result.get("unexpected_count"),
        unexpected_sample=_json_safe(list(sample)[:SAMPLE_SIZE]),
        message_vi=problems[0].message_vi if problems else "",
        kwargs=json.loads(json.dumps(_json_safe(kwargs), ensure_ascii=False)),
    )
