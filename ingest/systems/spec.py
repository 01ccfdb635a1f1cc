"""Source declarations: one YAML file per office system, read into typed records.

Kept import-cheap (yaml and the standard library only) because the Airflow DAG file reads
the declarations at parse time to build one DAG per source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.systems.errors import SourceConfigError

SOURCES_DIR = Path(__file__).parent / "sources"
KINDS = ("http_json", "sql")
PAGING_STYLES = ("none", "page", "cursor")
AUTH_STYLES = ("none", "bearer", "basic")
FIELD_TYPES = ("number", "string", "date", "any")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class FieldRef:
    """Where one value of the long layout comes from: a path into the record, or a constant."""

    path: str | None = None
    const: Any = None
    type: str = "any"  # the type the path must hold; a different one is a changed shape
    values: dict[str, str] = field(default_factory=dict)  # recode the source's words

    def describe(self) -> str:
        return f"path {self.path!r}" if self.path else f"constant {self.const!r}"


@dataclass(frozen=True)
class FigureMap:
    """One figure taken from each record (a record may carry several indicators)."""

    indicator: FieldRef
    value: FieldRef


@dataclass(frozen=True)
class Mapping:
    """How a record of the answer becomes rows of the long layout."""

    admin_unit: FieldRef
    admin_unit_by: str  # code | name
    period: FieldRef
    value_type: FieldRef
    figures: tuple[FigureMap, ...]
    function: str | None = None  # a named function of ingest.systems.mappers for odd shapes


@dataclass(frozen=True)
class Paging:
    style: str = "none"  # none | page | cursor
    page_param: str = "page"
    first_page: int = 1
    total_pages: str | None = None  # path to the page count in each answer
    cursor_param: str = "cursor"
    next_cursor: str | None = None  # path to the next cursor (null/absent at the end)
    total_records: str | None = None  # path to the declared record count (checked at the end)
    max_pages: int = 1000


@dataclass(frozen=True)
class HttpRequest:
    path: str
    records: str  # path to the list of records in each answer
    params: dict[str, str] = field(default_factory=dict)
    auth: str = "none"  # none | bearer | basic
    timeout_seconds: float = 10.0
    retries: int = 4
    backoff_seconds: float = 1.0
    max_backoff_seconds: float = 60.0
    min_interval_seconds: float = 0.0
    paging: Paging = field(default_factory=Paging)


@dataclass(frozen=True)
class Watermark:
    """Incremental pulls: only records changed after the stored high-water mark."""

    field: str  # path (or column) holding the record's change time
    param: str | None = None  # HTTP query parameter, or SQL bind parameter name
    initial: str | None = None  # used when no watermark is stored yet (SQL needs one)
    # Ask again for this much before the stored mark: a row committed late with an earlier
    # stamp is still caught; what was already loaded is recognised and not loaded twice.
    overlap_seconds: float = 86400.0
    timezone: str = "Asia/Ho_Chi_Minh"  # how to read a stamp that has no UTC offset


@dataclass(frozen=True)
class Limits:
    """Bounds on one pull, so a runaway query or answer cannot exhaust the worker."""

    max_records: int = 200_000  # records (HTTP) or rows (SQL) in one pull
    max_body_bytes: int = 20 * 1024 * 1024  # one HTTP answer, counted while it streams
    max_answer_seconds: float = 120.0  # one HTTP answer, start to last byte
    statement_timeout_seconds: float = 60.0  # SQL: the server cancels a longer query
    connect_timeout_seconds: float = 10.0  # SQL: giving up on an unreachable database


@dataclass(frozen=True)
class SourceSpec:
    name: str
    office_code: str
    kind: str
    connection: str
    schedule: str
    mapping: Mapping
    description: str = ""
    http: HttpRequest | None = None
    query: str | None = None
    watermark: Watermark | None = None
    limits: Limits = field(default_factory=Limits)
    path: Path | None = None


def _ref(source: str, where: str, raw: Any, default_type: str = "any") -> FieldRef:
    if isinstance(raw, str):
        return FieldRef(path=raw, type=default_type)
    if not isinstance(raw, dict) or ("path" in raw) == ("const" in raw):
        raise SourceConfigError(source, f"{where}: give exactly one of 'path' or 'const'")
    kind = str(raw.get("type", default_type))
    if kind not in FIELD_TYPES:
        raise SourceConfigError(source, f"{where}: type must be one of {FIELD_TYPES}")
    values = {str(k): str(v) for k, v in (raw.get("values") or {}).items()}
    return FieldRef(path=raw.get("path"), const=raw.get("const"), type=kind, values=values)


def _mapping(source: str, raw: dict[str, Any]) -> Mapping:
    if not isinstance(raw, dict) or not raw.get("figures"):
        raise SourceConfigError(source, "mapping: needs admin_unit, period and at least one figure")
    unit_raw = raw.get("admin_unit")
    by = unit_raw.get("by", "code") if isinstance(unit_raw, dict) else "code"
    if by not in ("code", "name"):
        raise SourceConfigError(source, "mapping.admin_unit.by must be 'code' or 'name'")
    if isinstance(unit_raw, dict):
        unit_raw = {k: v for k, v in unit_raw.items() if k != "by"}
    figures = tuple(
        FigureMap(
            indicator=_ref(source, f"mapping.figures[{i}].indicator", f.get("indicator"), "string"),
            value=_ref(source, f"mapping.figures[{i}].value", f.get("value"), "number"),
        )
        for i, f in enumerate(raw["figures"])
    )
    return Mapping(
        admin_unit=_ref(source, "mapping.admin_unit", unit_raw, "string"),
        admin_unit_by=by,
        period=_ref(source, "mapping.period", raw.get("period"), "string"),
        value_type=_ref(source, "mapping.value_type", raw.get("value_type", {"const": "actual"}), "string"),
        figures=figures,
        function=raw.get("function"),
    )


def _http(source: str, raw: dict[str, Any]) -> HttpRequest:
    if not isinstance(raw, dict) or "path" not in raw or "records" not in raw:
        raise SourceConfigError(source, "request: needs 'path' and 'records'")
    paging_raw = dict(raw.get("paging") or {})
    paging = Paging(**paging_raw)
    if paging.style not in PAGING_STYLES:
        raise SourceConfigError(source, f"request.paging.style must be one of {PAGING_STYLES}")
    if paging.style == "cursor" and not paging.next_cursor:
        raise SourceConfigError(source, "cursor paging needs request.paging.next_cursor")
    if paging.style == "page" and not (paging.total_pages or paging.total_records):
        raise SourceConfigError(source, "page paging needs total_pages or total_records")
    fields = {k: v for k, v in raw.items() if k != "paging"}
    fields["params"] = {str(k): str(v) for k, v in (fields.get("params") or {}).items()}
    request = HttpRequest(paging=paging, **fields)
    if request.auth not in AUTH_STYLES:
        raise SourceConfigError(source, f"request.auth must be one of {AUTH_STYLES}")
    return request


def parse(raw: dict[str, Any], path: Path | None = None) -> SourceSpec:
    """A declaration (already read from YAML) into a checked ``SourceSpec``."""
    name = str(raw.get("name", path.stem if path else "?"))
    if not _NAME.match(name):
        raise SourceConfigError(name, "name must be lower-case letters, digits and underscores")
    for key in ("office_code", "kind", "connection", "schedule", "mapping"):
        if not raw.get(key):
            raise SourceConfigError(name, f"missing '{key}'")
    kind = raw["kind"]
    if kind not in KINDS:
        raise SourceConfigError(name, f"kind must be one of {KINDS}")
    try:
        http = _http(name, raw.get("request")) if kind == "http_json" else None
    except TypeError as exc:  # an unknown key in request/paging
        raise SourceConfigError(name, f"request: {exc}") from exc
    query = raw.get("query")
    if kind == "sql" and not query:
        raise SourceConfigError(name, "a sql source needs 'query'")
    try:
        wm_raw = raw.get("watermark")
        watermark = Watermark(**wm_raw) if wm_raw else None
        limits = Limits(**(raw.get("limits") or {}))
    except TypeError as exc:  # an unknown key in watermark/limits
        raise SourceConfigError(name, f"watermark/limits: {exc}") from exc
    if kind == "sql" and watermark and watermark.param and not watermark.initial:
        raise SourceConfigError(name, "a sql watermark needs 'initial'")
    if watermark is not None:
        _check_watermark(name, watermark)
    if (
        min(limits.max_records, limits.max_body_bytes) <= 0
        or min(limits.max_answer_seconds, limits.statement_timeout_seconds, limits.connect_timeout_seconds) <= 0
    ):
        raise SourceConfigError(name, "every limit must be positive")
    return SourceSpec(
        name=name,
        office_code=str(raw["office_code"]),
        kind=kind,
        connection=str(raw["connection"]),
        schedule=str(raw["schedule"]),
        mapping=_mapping(name, raw["mapping"]),
        description=str(raw.get("description", "")),
        http=http,
        query=query,
        watermark=watermark,
        limits=limits,
        path=path,
    )


def _check_watermark(name: str, watermark: Watermark) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(watermark.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SourceConfigError(name, f"watermark.timezone {watermark.timezone!r} is not a time zone") from exc
    if watermark.overlap_seconds < 0:
        raise SourceConfigError(name, "watermark.overlap_seconds cannot be negative")
    if watermark.initial is not None:
        from ingest.systems import watermarks

        try:
            watermarks.parse(watermark.initial, watermark.timezone)
        except watermarks.BadStamp as exc:
            raise SourceConfigError(name, f"watermark.initial: {exc}") from exc


def load_file(path: Path) -> SourceSpec:
    with open(path, encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise SourceConfigError(path.stem, f"{path} is not a YAML mapping")
    return parse(raw, path)


def load_all(folder: Path = SOURCES_DIR) -> dict[str, SourceSpec]:
    """Every declared source, by name."""
    specs = [load_file(p) for p in sorted(folder.glob("*.yml"))]
    return {s.name: s for s in specs}


def load(name: str, folder: Path = SOURCES_DIR) -> SourceSpec:
    path = folder / f"{name}.yml"
    if not path.exists():
        raise SourceConfigError(name, f"no declaration {path}")
    return load_file(path)
