"""The stand-in HTTP JSON systems: BHXH coverage (page paging, bearer) and tourism (cursor, basic).

Runs on loopback only. ``Faults`` tells it to misbehave: answer 500 a number of times, stall
past the client's time-out, drop a page, change the shape of its records, refuse the token.
The control endpoint ``POST /_control`` (JSON body of Faults fields) does the same for a
server started from the command line.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from standins import figures

BHXH_PATH = "/bhxh/api/v1/coverage"
TOURISM_PATH = "/tourism/api/v1/visits"
BHXH_TOKEN = "demo-bhxh-token"  # noqa: S105 - a stand-in's demo credential
TOURISM_USER = "vhtt"
TOURISM_PASSWORD = "demo-tourism"  # noqa: S105 - a stand-in's demo credential


@dataclass
class Faults:
    fail_5xx: int = 0  # answer 500 to the next n API requests
    delay_seconds: float = 0.0  # stall this long before answering ...
    delay_count: int = 0  # ... the next n API requests
    drop_page: int | None = None  # silently leave out this page (1-based)
    shape: str | None = None  # 'rename_field' | 'string_values' | 'no_records'
    reject_token: bool = False  # answer 401 whatever the credentials
    day_first_stamps: bool = False  # change times as Vietnamese text "31/12/2021 09:00" (local time)


@dataclass
class State:
    """What the server serves and how it should misbehave; shared by its handler threads."""

    faults: Faults = field(default_factory=Faults)
    coverage: list[figures.CoverageRecord] = field(default_factory=figures.coverage)
    visits: list[figures.VisitRecord] = field(default_factory=figures.visits)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take_fault(self) -> tuple[bool, float]:
        """Consume one pending 500 and one pending delay, if any."""
        with self.lock:
            fail = self.faults.fail_5xx > 0
            if fail:
                self.faults.fail_5xx -= 1
            delay = 0.0
            if self.faults.delay_count > 0:
                self.faults.delay_count -= 1
                delay = self.faults.delay_seconds
            return fail, delay

    def revise_coverage(self, unit_code: str, year: int, month: int, insured: int, at: datetime) -> None:
        """Correct one commune-month, as the office would, stamped with its change time."""
        for r in self.coverage:
            if (r.unit_code, r.year, r.month) == (unit_code, year, month):
                r.insured, r.updated_at = insured, at
                return
        raise KeyError((unit_code, year, month))


def _since(params: dict[str, str], name: str) -> datetime | None:
    text = params.get(name)
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _coverage_item(r: figures.CoverageRecord, shape: str | None, day_first: bool = False) -> dict[str, Any]:
    item: dict[str, Any] = {
        "commune": {"name": r.unit_name, "code": r.unit_code},
        "month": f"{r.year:04d}-{r.month:02d}",
        "insured": r.insured,
        "population": r.population,
        "updated_at": figures.iso_utc(r.updated_at),
    }
    if day_first:
        item["updated_at"] = r.updated_at.astimezone(figures.VN).strftime("%d/%m/%Y %H:%M")
    if shape == "rename_field":
        item["insured_count"] = item.pop("insured")
    elif shape == "string_values":
        item["insured"] = f"{r.insured:,}".replace(",", ".")
    return item


def _visit_item(r: figures.VisitRecord, shape: str | None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "month_of": {"year": r.year, "month": r.month},
        "visits": r.visits,
        "status": r.status,
        "modified_at": figures.iso_utc(r.modified_at),
    }
    if shape == "rename_field":
        item["visitors"] = item.pop("visits")
    elif shape == "string_values":
        item["visits"] = str(r.visits)
    return item


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    return int(base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)[1])


class Handler(BaseHTTPRequestHandler):
    server: StandinServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (time-out); nothing to tell it

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/_control":
            self._send(404, {"error": "not found"})
            return
        length = int(self.headers.get("Content-Length") or 0)
        wanted = json.loads(self.rfile.read(length) or b"{}")
        known = {f.name for f in fields(Faults)}
        with self.server.state.lock:
            self.server.state.faults = Faults(**{k: v for k, v in wanted.items() if k in known})
        self._send(200, asdict(self.server.state.faults))

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        params = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        state = self.server.state
        if parts.path == "/health":
            self._send(200, {"status": "ok"})
            return
        if parts.path not in (BHXH_PATH, TOURISM_PATH):
            self._send(404, {"error": "not found"})
            return
        with state.lock:
            state.requests.append((parts.path, params))
        fail, delay = state.take_fault()
        if delay:
            time.sleep(delay)
        if fail:
            self._send(500, {"error": "internal error"})
            return
        if parts.path == BHXH_PATH:
            self._bhxh(params)
        else:
            self._tourism(params)

    def _authorised_bearer(self) -> bool:
        return not self.server.state.faults.reject_token and self.headers.get("Authorization") == f"Bearer {BHXH_TOKEN}"

    def _authorised_basic(self) -> bool:
        expected = base64.b64encode(f"{TOURISM_USER}:{TOURISM_PASSWORD}".encode()).decode()
        return not self.server.state.faults.reject_token and self.headers.get("Authorization") == f"Basic {expected}"

    def _bhxh(self, params: dict[str, str]) -> None:
        if not self._authorised_bearer():
            self._send(401, {"error": "invalid token"}, {"WWW-Authenticate": "Bearer"})
            return
        faults = self.server.state.faults
        since = _since(params, "updated_since")
        rows = [r for r in self.server.state.coverage if since is None or r.updated_at > since]
        rows.sort(key=lambda r: (r.year, r.month, r.unit_code))
        per_page = max(1, min(int(params.get("per_page", "50")), 200))
        page = int(params.get("page", "1"))
        total_pages = max(1, -(-len(rows) // per_page))
        chunk = [] if page == faults.drop_page else rows[(page - 1) * per_page : page * per_page]
        data = [_coverage_item(r, faults.shape, faults.day_first_stamps) for r in chunk]
        body: dict[str, Any] = {
            "data": data,
            "meta": {"page": page, "per_page": per_page, "total_pages": total_pages, "total": len(rows)},
        }
        if faults.shape == "no_records":
            body.pop("data")
        self._send(200, body)

    def _tourism(self, params: dict[str, str]) -> None:
        if not self._authorised_basic():
            self._send(401, {"error": "unauthorised"}, {"WWW-Authenticate": 'Basic realm="tourism"'})
            return
        faults = self.server.state.faults
        since = _since(params, "changed_since")
        rows = [r for r in self.server.state.visits if since is None or r.modified_at > since]
        rows.sort(key=lambda r: (r.year, r.month))
        limit = max(1, min(int(params.get("limit", "10")), 100))
        offset = _offset(params.get("cursor"))
        if faults.drop_page is not None and offset // limit + 1 == faults.drop_page:
            offset += limit  # the page is skipped: its records never arrive
        chunk = rows[offset : offset + limit]
        nxt = _cursor(offset + limit) if offset + limit < len(rows) else None
        body: dict[str, Any] = {"items": [_visit_item(r, faults.shape) for r in chunk], "next": nxt}
        body["count_total"] = len(rows)
        if faults.shape == "no_records":
            body.pop("items")
        self._send(200, body)


class StandinServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0, host: str = "127.0.0.1") -> None:
        super().__init__((host, port), Handler)
        self.state = State()
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StandinServer:
        """Serve in a background thread (tests); ``stop`` ends it."""
        self._thread = threading.Thread(target=self.serve_forever, name="standin-http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def api_requests(self, path: str) -> list[dict[str, str]]:
        with self.state.lock:
            return [params for p, params in self.state.requests if p == path]


def connection_env(port: int, host: str = "127.0.0.1") -> dict[str, str]:
    """The ``AIRFLOW_CONN_*`` values that point the connectors at this server."""
    return {
        "AIRFLOW_CONN_BHXH_API": json.dumps({"conn_type": "http", "host": host, "port": port, "password": BHXH_TOKEN}),
        "AIRFLOW_CONN_TOURISM_API": json.dumps(
            {"conn_type": "http", "host": host, "port": port, "login": TOURISM_USER, "password": TOURISM_PASSWORD}
        ),
    }
