"""One pull of one source: read the watermark, fetch, map, keep only what is new, and load.

The raw payload kept for lineage is an envelope (source, pull time, watermark used, the
pages or rows as received); its SHA-256 names the pull in ``audit.ingest_files``. The pull
time is part of it, so a later pull that happens to bring the same figures is recorded as a
pull of its own rather than as a duplicate file.

Incremental and idempotent: the source is asked for changes since the stored watermark
minus an overlap window (``watermark.overlap_seconds``), so a row committed late with an
earlier stamp is still caught. What the overlap brings again is recognised and dropped
before loading: a figure whose latest version from this source has the same value and the
same record change time, a rejection already reported for the same record version. The
watermark only moves forward, and never past the pull's own clock. Pulls of one source
are serialised by an advisory lock, so a scheduled pull and ``make repull`` cannot
interleave.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import psycopg2

from core import settings
from ingest.model import ERROR, REJECTED, WARNING, ParseResult, Problem
from ingest.pipeline import IngestOutcome, ingest_records
from ingest.systems import connections, mapping, sql_source, watermarks
from ingest.systems.errors import (
    SourceConfigError,
    SourceIncompleteError,
    SourceShapeError,
    SourceTooLargeError,
)
from ingest.systems.http_client import HttpSource
from ingest.systems.spec import SourceSpec, load

log = logging.getLogger(__name__)
_STAMP_IN_NOTE = re.compile(re.escape(mapping.STAMP_NOTE) + r"(\S+)$")
RECORDED_STOPS = (SourceShapeError, SourceIncompleteError, SourceTooLargeError)


def stored_watermark(source_name: str) -> str | None:
    """The high-water mark the last successful load of this source stored, if any."""
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    try:
        with conn, conn.cursor() as cur:
            cur.execute("select watermark from raw.source_watermarks where source_name = %s", (source_name,))
            row = cur.fetchone()
        return row[0] if row else None
    finally:
        conn.close()


@contextlib.contextmanager
def _source_lock(source_name: str) -> Iterator[Any]:
    """A loader connection holding this source's advisory lock for the whole pull."""
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("set lock_timeout = '15min'")
            cur.execute("select pg_advisory_lock(hashtextextended(%s, 17))", (f"systems-pull:{source_name}",))
        yield conn
    finally:
        conn.close()  # ends the session, and with it the lock


def _typed_mark(spec: SourceSpec, value: str | None, what: str) -> datetime | None:
    if value is None:
        return None
    tz = spec.watermark.timezone if spec.watermark else watermarks.DEFAULT_TIMEZONE
    try:
        return watermarks.parse(value, tz)
    except watermarks.BadStamp as exc:
        raise SourceConfigError(spec.name, f"{what} {value!r} is not a time: {exc}") from exc


def _fetch(spec: SourceSpec, ask_from: datetime | None) -> tuple[list[dict[str, Any]], Any, dict[str, Any]]:
    """Records, the payload as received, and the parameters used."""
    conn = connections.get(spec.connection)
    wm = spec.watermark
    if spec.kind == "http_json":
        assert spec.http is not None
        params = {wm.param: watermarks.text(ask_from)} if wm and wm.param and ask_from else {}
        client = HttpSource(spec.name, spec.http, conn, spec.limits)
        try:
            fetched = client.fetch(params)
        finally:
            client.close()
        return fetched.records, fetched.pages, {**spec.http.params, **params}
    params: dict[str, Any] = {}
    if wm and wm.param:
        start = ask_from or _typed_mark(spec, wm.initial, "watermark.initial")
        params = {wm.param: watermarks.text(start)} if start else {}
    rows = sql_source.fetch(spec, conn, params)
    return rows, rows, params


def _envelope(spec: SourceSpec, pulled_at: datetime, since: str | None, params: dict[str, Any], payload: Any) -> bytes:
    body = {
        "source": spec.name,
        "kind": spec.kind,
        "office_code": spec.office_code,
        "pulled_at": pulled_at.isoformat(),
        "watermark_from": since,
        "params": params,
        "payload": payload,
    }
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode("utf-8")


def _shape_problem(spec: SourceSpec, exc: Exception) -> Problem:
    if isinstance(exc, SourceTooLargeError):
        return Problem(
            ERROR,
            "source_too_large",
            f"Dữ liệu lấy từ hệ thống “{spec.name}” vượt quá giới hạn kích thước cho một lần lấy, nên chưa "
            "số liệu nào được nhận. Bộ phận kỹ thuật cần chia nhỏ lần lấy hoặc điều chỉnh giới hạn.",
            str(exc),
        )
    return Problem(
        ERROR,
        "source_shape_changed" if isinstance(exc, SourceShapeError) else "source_incomplete",
        f"Dữ liệu lấy từ hệ thống “{spec.name}” không đúng cấu trúc đã thống nhất hoặc bị thiếu, nên chưa "
        "số liệu nào được nhận. Bộ phận kỹ thuật của đơn vị cần kiểm tra lại hệ thống.",
        str(exc),
    )


def _record_stop(spec: SourceSpec, record: Any, exc: Exception, payload: Any, params: dict[str, Any]) -> None:
    """Keep what arrived and the reason in the audit (quarantined, nothing loaded)."""
    failed = ParseResult(layout=spec.kind, problems=[_shape_problem(spec, exc)])
    outcome = record(payload, params, failed, None)
    log.error("%s: %s; recorded as file_id=%s (%s)", spec.name, exc, outcome.file_id, outcome.status)


def _latest_versions(conn: Any, source_name: str, rows: list) -> dict[tuple[str, str, str, str], tuple[Any, str]]:
    """The latest (value, note) this source loaded for each key of ``rows``."""
    if not rows:
        return {}
    keys = sorted({(r.indicator_code, r.admin_unit_code, r.period_code, r.value_type) for r in rows})
    with conn.cursor() as cur:
        cur.execute(
            "select distinct on (f.indicator_code, f.admin_unit_code, f.period_code, f.value_type)"
            " f.indicator_code, f.admin_unit_code, f.period_code, f.value_type, f.value, coalesce(f.note, '')"
            " from raw.submitted_figures f"
            " join unnest(%s::text[], %s::text[], %s::text[], %s::text[]) as w (i, u, p, t)"
            "   on f.indicator_code = w.i and f.admin_unit_code = w.u and f.period_code = w.p and f.value_type = w.t"
            " where f.source_name = %s"
            " order by f.indicator_code, f.admin_unit_code, f.period_code, f.value_type, f.figure_id desc",
            ([k[0] for k in keys], [k[1] for k in keys], [k[2] for k in keys], [k[3] for k in keys], source_name),
        )
        return {(i, u, p, t): (v, note) for i, u, p, t, v, note in cur.fetchall()}


def _reported_rejections(conn: Any, source_name: str, problems: list[Problem]) -> set[tuple[str, str, str]]:
    """Rejections (rule, value found, engineer message) this source already recorded."""
    wanted = [p for p in problems if p.severity == REJECTED]
    if not wanted:
        return set()
    with conn.cursor() as cur:
        cur.execute(
            "select distinct p.rule, coalesce(p.value_found, ''), p.message_en"
            " from audit.ingest_problems p join audit.ingest_files f using (file_id)"
            " where f.source_name = %s and p.severity = 'rejected' and p.message_en = any(%s)",
            (source_name, sorted({p.message_en for p in wanted})),
        )
        return set(cur.fetchall())


def _same_version(row: Any, latest: tuple[Any, str] | None) -> bool:
    if latest is None or latest[0] != row.value:
        return False
    old, new = _STAMP_IN_NOTE.search(latest[1]), _STAMP_IN_NOTE.search(row.note or "")
    # Figures loaded before stamps were kept in the note compare by value alone.
    return old is None or new is None or old.group(1) == new.group(1)


def keep_new(conn: Any, spec: SourceSpec, result: ParseResult) -> tuple[ParseResult, int, int]:
    """``result`` without what earlier pulls already loaded or reported; and how much was dropped."""
    latest = _latest_versions(conn, spec.name, result.rows)
    rows = [r for r in result.rows if not _same_version(r, latest.get(_key(r)))]
    reported = _reported_rejections(conn, spec.name, result.problems)
    live = {(r.sheet_name, r.source_row) for r in rows}
    problems = []
    for p in result.problems:
        if p.severity == REJECTED and (p.rule, p.value_found or "", p.message_en) in reported:
            continue
        if p.severity == WARNING and p.source_row is not None and (p.sheet_name, p.source_row) not in live:
            continue  # a note on a figure that is not loaded again
        problems.append(p)
    dropped_rows = len(result.rows) - len(rows)
    dropped_problems = len(result.problems) - len(problems)
    return replace(result, rows=rows, problems=problems), dropped_rows, dropped_problems


def _key(row: Any) -> tuple[str, str, str, str]:
    return (row.indicator_code, row.admin_unit_code, row.period_code, row.value_type)


def pull(source: str | SourceSpec, since: str | None = None) -> IngestOutcome:
    """Pull one source now and load what it brought; raises ``SourceError`` when it cannot.

    ``since`` (a time) asks the source from that moment instead of the stored watermark:
    ``make repull`` uses it to bring back records rejected earlier, once the catalog is
    fixed. Figures already loaded are not loaded again, and the watermark never moves back.
    """
    spec = load(source) if isinstance(source, str) else source
    wm = spec.watermark
    with _source_lock(spec.name) as lock_conn:
        stored_text = stored_watermark(spec.name)
        stored = _typed_mark(spec, stored_text, "the stored watermark")
        override = _typed_mark(spec, since, "since")
        if override is not None and (wm is None or not wm.param):
            raise SourceConfigError(spec.name, "a pull from a given time needs a watermark parameter")
        overlap = wm.overlap_seconds if wm else 0.0
        ask_from = override or (watermarks.lower_bound(stored, overlap) if stored else None)
        pulled_at = datetime.now(UTC)
        ask_text = watermarks.text(ask_from) if ask_from else None
        log.info("%s: pulling (%s, watermark %s, asking from %s)", spec.name, spec.kind, stored_text, ask_text)

        def record(payload: Any, params: dict[str, Any], result: ParseResult, mark: str | None) -> IngestOutcome:
            raw = _envelope(spec, pulled_at, ask_text, params, payload)
            return ingest_records(
                result,
                source_kind=spec.kind,
                source_name=spec.name,
                office_code=spec.office_code,
                original_name=f"{spec.name}_{pulled_at:%Y%m%dT%H%M%S%fZ}.json",
                sha256=hashlib.sha256(raw).hexdigest(),
                received_at=pulled_at,
                watermark=mark,
                raw_bytes=raw,
            )

        try:
            records, payload, params = _fetch(spec, ask_from)
        except RECORDED_STOPS as exc:
            keep = None if isinstance(exc, SourceTooLargeError) else exc.partial_payload
            _record_stop(spec, record, exc, keep, {})
            raise
        try:
            mapped = mapping.RecordMapper(spec).map(records)
        except SourceShapeError as exc:
            _record_stop(spec, record, exc, payload, params)
            raise
        result, old_rows, old_problems = keep_new(lock_conn, spec, mapped.result)
        newest = mapped.max_stamp
        if newest is not None and newest > pulled_at:
            log.warning(
                "%s: a record is stamped %s, after this pull's own clock; the watermark stops at %s",
                spec.name,
                watermarks.text(newest),
                watermarks.text(pulled_at),
            )
            newest = pulled_at
        new_mark = watermarks.later(stored, newest)
        mark_text = watermarks.text(new_mark) if new_mark else None
        outcome = record(payload, params, result, mark_text)
    log.info(
        "%s: %d records, %d new rows (%d already loaded, %d problems already reported) -> %s"
        " (file_id=%s, loaded %d, watermark %s)",
        spec.name,
        len(records),
        len(result.rows),
        old_rows,
        old_problems,
        outcome.status,
        outcome.file_id,
        outcome.rows_loaded,
        mark_text,
    )
    return outcome
