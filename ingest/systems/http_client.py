"""GET a paged JSON API politely: auth, time-outs, retries with back-off, rate limit.

Retries cover what may pass (5xx, time-outs, dropped connections); a 4xx is the caller's
mistake or a refused credential, so it stops at once with a clear error.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests

from ingest.systems import paths
from ingest.systems.connections import ConnectionInfo
from ingest.systems.errors import (
    SourceAuthError,
    SourceConfigError,
    SourceIncompleteError,
    SourceRequestError,
    SourceShapeError,
    SourceTooLargeError,
    SourceUnavailableError,
)
from ingest.systems.spec import HttpRequest, Limits

log = logging.getLogger(__name__)


@dataclass
class Fetched:
    """Every record of every page, and the pages as they came (the raw payload)."""

    records: list[dict[str, Any]] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)
    requests_made: int = 0


class RateLimiter:
    """At least ``interval`` seconds between the starts of two requests."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.last: float | None = None

    def wait(self) -> None:
        now = self.clock()
        if self.last is not None and self.interval > 0:
            pause = self.last + self.interval - now
            if pause > 0:
                time.sleep(pause)
                now = self.clock()
        self.last = now


class _AnswerTimeout(Exception):
    """An answer still streaming past ``limits.max_answer_seconds`` (a server dripping bytes)."""


class HttpSource:
    def __init__(self, source: str, request: HttpRequest, conn: ConnectionInfo, limits: Limits | None = None) -> None:
        self.source = source
        self.request = request
        self.conn = conn
        self.limits = limits or Limits()
        self.session = requests.Session()
        self.session.headers["Accept"] = "application/json"
        self._authenticate()
        self.limiter = RateLimiter(request.min_interval_seconds)

    def _authenticate(self) -> None:
        if self.request.auth == "bearer":
            if not self.conn.password:
                raise SourceConfigError(self.source, f"connection {self.conn.conn_id} has no token (password)")
            self.session.headers["Authorization"] = f"Bearer {self.conn.password}"
        elif self.request.auth == "basic":
            if not self.conn.login:
                raise SourceConfigError(self.source, f"connection {self.conn.conn_id} has no login")
            self.session.auth = (self.conn.login, self.conn.password or "")

    def close(self) -> None:
        self.session.close()

    def _backoff(self, attempt: int) -> float:
        return min(self.request.backoff_seconds * 2**attempt, self.request.max_backoff_seconds)

    def get_json(self, params: dict[str, str]) -> Any:
        """One GET with retries; the decoded JSON body."""
        url = self.conn.base_url() + self.request.path
        last_error = ""
        for attempt in range(self.request.retries + 1):
            if attempt:
                pause = self._backoff(attempt - 1)
                log.warning("%s: retry %d in %.2fs after %s", self.source, attempt, pause, last_error)
                time.sleep(pause)
            self.limiter.wait()
            try:
                response = self.session.get(url, params=params, timeout=self.request.timeout_seconds, stream=True)
            except (requests.Timeout, requests.ConnectionError) as exc:
                last_error = f"{type(exc).__name__}: {exc}"
                continue
            with response:
                if response.status_code >= 500:
                    last_error = f"HTTP {response.status_code}"
                    continue
                if response.status_code in (401, 403):
                    raise SourceAuthError(
                        self.source,
                        f"HTTP {response.status_code} from {self.request.path}: credentials of connection "
                        f"{self.conn.conn_id} refused (not retried)",
                    )
                try:
                    body = self._read_body(response)
                except (requests.Timeout, requests.ConnectionError, _AnswerTimeout) as exc:
                    last_error = f"{type(exc).__name__}: {exc}"
                    continue
            if response.status_code >= 400:
                raise SourceRequestError(
                    self.source,
                    f"HTTP {response.status_code} from {self.request.path} with {params}: "
                    f"{body[:200].decode('utf-8', 'replace')}",
                )
            try:
                return json.loads(body)
            except (ValueError, RecursionError) as exc:
                raise SourceShapeError(self.source, f"answer from {self.request.path} is not JSON: {exc}") from exc
        raise SourceUnavailableError(
            self.source, f"gave up after {self.request.retries + 1} attempts on {self.request.path}: {last_error}"
        )

    def _read_body(self, response: requests.Response) -> bytes:
        """The body, streamed and counted (after decompression); refused past the byte cap."""
        cap = self.limits.max_body_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise self._too_large(f"declares {int(declared)} bytes")
        deadline = time.monotonic() + self.limits.max_answer_seconds
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(chunk_size=64 * 1024):
            size += len(chunk)
            if size > cap:
                raise self._too_large(f"went past {cap} bytes while streaming")
            chunks.append(chunk)
            if time.monotonic() > deadline:
                raise _AnswerTimeout(f"answer still arriving after {self.limits.max_answer_seconds:g} s")
        return b"".join(chunks)

    def _too_large(self, how: str) -> SourceTooLargeError:
        return SourceTooLargeError(
            self.source,
            f"answer from {self.request.path} {how}; the limit is {self.limits.max_body_bytes} bytes "
            "(limits.max_body_bytes): ask for smaller pages or raise the limit",
        )

    def _records_of(self, page: Any, number: int) -> list[dict[str, Any]]:
        found = paths.get(page, self.request.records)
        if found is paths.MISSING or not isinstance(found, list):
            raise SourceShapeError(self.source, f"page {number}: '{self.request.records}' is missing or not a list")
        if not all(isinstance(r, dict) for r in found):
            raise SourceShapeError(self.source, f"page {number}: records are not JSON objects")
        return found

    def _int_at(self, page: Any, path: str, number: int) -> int:
        value = paths.get(page, path)
        if isinstance(value, bool) or not isinstance(value, int):
            raise SourceShapeError(self.source, f"page {number}: '{path}' is missing or not an integer")
        return value

    def fetch(self, extra_params: dict[str, str] | None = None) -> Fetched:
        """Every page of the answer; checks the declared totals so a dropped page is caught."""
        out = Fetched()
        try:
            self._fetch_into(out, extra_params or {})
        except (SourceShapeError, SourceIncompleteError) as exc:
            exc.partial_payload = out.pages
            raise
        return out

    def _fetch_into(self, out: Fetched, extra_params: dict[str, str]) -> None:
        paging = self.request.paging
        params = {**self.request.params, **extra_params}
        page_no = paging.first_page
        cursor: str | None = None
        declared_total: int | None = None
        for number in range(1, paging.max_pages + 1):
            call = dict(params)
            if paging.style == "page":
                call[paging.page_param] = str(page_no)
            elif paging.style == "cursor" and cursor is not None:
                call[paging.cursor_param] = cursor
            page = self.get_json(call)
            out.requests_made += 1
            out.pages.append(page)
            records = self._records_of(page, number)
            out.records.extend(records)
            if len(out.records) > self.limits.max_records:
                raise SourceTooLargeError(
                    self.source,
                    f"more than {self.limits.max_records} records (limits.max_records) after {number} pages",
                )
            if paging.total_records:
                declared_total = self._int_at(page, paging.total_records, number)
            if paging.style == "none":
                break
            if paging.style == "page":
                if paging.total_pages:
                    last = self._int_at(page, paging.total_pages, number) + paging.first_page - 1
                    if page_no >= last:
                        break
                    if not records:
                        raise SourceIncompleteError(
                            self.source, f"page {page_no} came back empty before the last page {last}"
                        )
                elif not records or (declared_total is not None and len(out.records) >= declared_total):
                    break
                page_no += 1
            else:
                nxt = paths.get(page, paging.next_cursor or "")
                if nxt is paths.MISSING or nxt is None or nxt == "":
                    break
                cursor = str(nxt)
        else:
            raise SourceIncompleteError(self.source, f"more than {paging.max_pages} pages; stopped")
        if declared_total is not None and len(out.records) != declared_total:
            raise SourceIncompleteError(
                self.source,
                f"the system declared {declared_total} records but {len(out.records)} arrived "
                f"in {out.requests_made} pages (a page is missing)",
            )


def payload_bytes(pages: list[Any]) -> bytes:
    return json.dumps(pages, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
