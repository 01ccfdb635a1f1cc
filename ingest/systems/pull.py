"""One pull of one source: read the watermark, fetch, map, and load through the pipeline.

The raw payload kept for lineage is an envelope (source, pull time, watermark used, the
pages or rows as received); its SHA-256 names the pull in ``audit.ingest_files``. The pull
time is part of it, so a later pull that happens to bring the same figures is recorded as a
pull of its own rather than as a duplicate file.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC, datetime
from typing import Any

import psycopg2

from ingest import settings
from ingest.model import ERROR, ParseResult, Problem
from ingest.pipeline import IngestOutcome, ingest_records
from ingest.systems import connections, mapping, sql_source
from ingest.systems.errors import SourceIncompleteError, SourceShapeError
from ingest.systems.http_client import HttpSource
from ingest.systems.spec import SourceSpec, load

log = logging.getLogger(__name__)


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


def _fetch(spec: SourceSpec, since: str | None) -> tuple[list[dict[str, Any]], Any, dict[str, Any]]:
    """Records, the payload as received, and the parameters used."""
    conn = connections.get(spec.connection)
    wm = spec.watermark
    if spec.kind == "http_json":
        assert spec.http is not None
        params = {wm.param: since} if wm and wm.param and since else {}
        client = HttpSource(spec.name, spec.http, conn)
        try:
            fetched = client.fetch(params)
        finally:
            client.close()
        return fetched.records, fetched.pages, {**spec.http.params, **params}
    params = {wm.param: since or wm.initial} if wm and wm.param else {}
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


def pull(source: str | SourceSpec) -> IngestOutcome:
    """Pull one source now and load what it brought; raises ``SourceError`` when it cannot."""
    spec = load(source) if isinstance(source, str) else source
    since = stored_watermark(spec.name)
    pulled_at = datetime.now(UTC)
    log.info("%s: pulling (%s, watermark %s)", spec.name, spec.kind, since)

    def record(payload: Any, params: dict[str, Any], result: ParseResult, mark: str | None) -> IngestOutcome:
        raw = _envelope(spec, pulled_at, since, params, payload)
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
        records, payload, params = _fetch(spec, since)
    except (SourceShapeError, SourceIncompleteError) as exc:
        _record_stop(spec, record, exc, exc.partial_payload, {})
        raise
    try:
        mapped = mapping.RecordMapper(spec).map(records)
    except SourceShapeError as exc:
        _record_stop(spec, record, exc, payload, params)
        raise
    new_mark = since
    if mapped.max_watermark is not None:
        new_mark = mapping.later(since, mapped.max_watermark)
    outcome = record(payload, params, mapped.result, new_mark)
    log.info(
        "%s: %d records, %d rows -> %s (file_id=%s, loaded %d, watermark %s)",
        spec.name,
        len(records),
        len(mapped.result.rows),
        outcome.status,
        outcome.file_id,
        outcome.rows_loaded,
        new_mark,
    )
    return outcome
