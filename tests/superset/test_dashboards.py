"""Superset dashboards as code: import, round trip, chart data, roles with RLS, and Chromium."""

from __future__ import annotations

import json
import tempfile
import time
import unicodedata
import warnings
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import yaml
from conftest import ARTIFACTS, SUPERSET_DIR, USERS, Superset, load_module

pytestmark = pytest.mark.e2e

DASHBOARDS = {
    "tong-quan": ("Tổng quan", 2),
    "kinh-te": ("Kinh tế", 2),
    "xa-hoi": ("Xã hội", 2),
    "moi-truong": ("Môi trường", 2),
    "theo-xa": ("Theo xã", 2),
    "tinh-hinh-bao-cao": ("Tình hình báo cáo", 4),
    "thi-dua": ("Thi đua", 2),
}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def committed_chart(name: str) -> dict:
    for path in (SUPERSET_DIR / "assets" / "charts").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc["slice_name"] == name:
            return doc
    raise KeyError(name)


def chart_ids(client, session, base_url: str) -> dict[str, int]:
    return {c["slice_name"]: c["id"] for c in client.charts(session, base_url)}


def rows_of(client, session, base_url: str, chart_id: int) -> list[dict]:
    result = client.chart_data(session, base_url, chart_id)["result"][0]
    assert not result.get("error"), result.get("error")
    return result["data"]


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- assets as code
def test_generator_reproduces_committed_assets(tmp_path: Path) -> None:
    generator = load_module("generate_assets")
    generator.write(tmp_path)
    committed = sorted(p.relative_to(SUPERSET_DIR / "assets") for p in (SUPERSET_DIR / "assets").rglob("*.yaml"))
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.yaml")) == committed
    for rel in committed:
        assert (tmp_path / rel).read_text(encoding="utf-8") == (SUPERSET_DIR / "assets" / rel).read_text(
            encoding="utf-8"
        ), rel


def test_every_label_is_vietnamese_nfc() -> None:
    for path in (SUPERSET_DIR / "assets").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path
    titles = {
        yaml.safe_load(p.read_text(encoding="utf-8"))["dashboard_title"]
        for p in (SUPERSET_DIR / "assets" / "dashboards").glob("*.yaml")
    }
    assert titles == {title for title, _ in DASHBOARDS.values()}


def test_import_is_idempotent_and_export_round_trips(superset: Superset, bundle, client) -> None:
    # The session fixture imported once into a fresh Superset; a second import must update in place.
    superset.run("import")
    session = client.login(superset.base_url, "admin", "admin")
    assert {d["slug"]: d["dashboard_title"] for d in client.dashboards(session, superset.base_url)} == {
        slug: title for slug, (title, _) in DASHBOARDS.items()
    }
    assert len(client.charts(session, superset.base_url)) == 16

    with tempfile.TemporaryDirectory() as tmp:
        superset.run("export", tmp)
        exported = bundle.normalise(bundle.load_tree(Path(tmp)))
    committed = bundle.normalise(bundle.load_tree(bundle.ASSETS_DIR))
    assert sorted(exported) == sorted(committed)
    problems = [f"{key}: {d}" for key in committed for d in bundle.differences(committed[key], exported[key])]
    assert problems == []


# ---------------------------------------------------------------- chart data
def test_every_chart_returns_rows(superset: Superset, client) -> None:
    session = client.login(superset.base_url, "admin", "admin")
    charts = client.charts(session, superset.base_url)
    empty = []
    for chart in charts:
        result = client.chart_data(session, superset.base_url, chart["id"])["result"][0]
        assert result.get("error") is None, (chart["slice_name"], result.get("error"))
        if result["rowcount"] == 0:
            empty.append(chart["slice_name"])
    assert empty == []


def test_overview_counts_equal_sql_on_the_marts(superset: Superset, client, admin_conn) -> None:
    session = client.login(superset.base_url, "admin", "admin")
    ids = chart_ids(client, session, superset.base_url)
    rows = rows_of(client, session, superset.base_url, ids["Số chỉ tiêu theo trạng thái và lĩnh vực"])
    from_chart = {(r["area_vi"], r["status_vi"]): r["Số chỉ tiêu"] for r in rows}
    with admin_conn.cursor() as cur:
        cur.execute(
            "select t.area_vi, a.status_vi, count(*) from marts.fct_target_attainment as a"
            " join marts.dim_target as t using (plan_year, target_code) group by 1, 2"
        )
        from_sql = {(area, status): n for area, status, n in cur.fetchall()}
    assert from_chart == from_sql
    assert sum(from_chart.values()) == 27 * 3


def test_overview_table_for_one_month_equals_sql(superset: Superset, client, admin_conn) -> None:
    """What the dashboard asks when the month filter says 2022-05: the saved query plus that filter."""
    session = client.login(superset.base_url, "admin", "admin")
    name = "Bảng tổng hợp 27 chỉ tiêu"
    chart = next(c for c in client.charts(session, superset.base_url) if c["slice_name"] == name)
    context = json.loads(committed_chart(name)["query_context"])
    context["datasource"] = {"id": chart["datasource_id"], "type": "table"}
    context["queries"][0]["filters"] += [
        {"col": "plan_year", "op": "==", "val": 2022},
        {"col": "as_of_period", "op": "==", "val": "2022-05"},
    ]
    resp = session.post(f"{superset.base_url}/api/v1/chart/data", json=context, timeout=60)
    assert resp.status_code == 200, resp.text
    rows = resp.json()["result"][0]["data"]
    got = [
        (
            r["target_code"],
            dec(r["actual_value"]),
            dec(r["attainment_pct"]),
            r["status_vi"],
            dec(r["projected_year_end"]),
        )
        for r in rows
    ]
    with admin_conn.cursor() as cur:
        cur.execute(
            "select a.target_code, a.actual_value, a.attainment_ratio * 100, a.status_vi, a.projected_year_end"
            " from marts.fct_target_attainment as a join marts.dim_target as t using (plan_year, target_code)"
            " where a.plan_year = 2022 and a.as_of_period = '2022-05' order by t.sort_order"
        )
        expected = [(code, dec(a), dec(r), s, dec(p)) for code, a, r, s, p in cur.fetchall()]
    assert len(got) == 27
    assert got == expected


# ---------------------------------------------------------------- roles
def offices_seen(client, superset: Superset, username: str) -> dict[str, set[str]]:
    session = client.login(superset.base_url, username, USERS[username][0])
    ids = chart_ids(client, session, superset.base_url)
    names = {
        "compliance": "Báo cáo trễ hạn, chưa nộp và tệp bị từ chối",
        "rejected": "Tệp bị từ chối và lý do",
    }
    return {
        key: {r["office_name"] for r in rows_of(client, session, superset.base_url, ids[n])} for key, n in names.items()
    }


def test_leadership_sees_every_dashboard_and_every_office(superset: Superset, client) -> None:
    session = client.login(superset.base_url, "lanhdao", USERS["lanhdao"][0])
    assert {d["slug"] for d in client.dashboards(session, superset.base_url)} == set(DASHBOARDS)
    assert offices_seen(client, superset, "lanhdao") == {
        "compliance": {"Phòng Tài chính - Kế hoạch", "Phòng Nông nghiệp và PTNT", "Phòng Y tế"},
        "rejected": {"Phòng Tài chính - Kế hoạch", "Phòng Nông nghiệp và PTNT"},
    }


def test_office_staff_see_only_their_office_rows(superset: Superset, client) -> None:
    assert offices_seen(client, superset, "tckh_staff") == {
        "compliance": {"Phòng Tài chính - Kế hoạch"},
        "rejected": {"Phòng Tài chính - Kế hoạch"},
    }
    assert offices_seen(client, superset, "nnptnt_staff") == {
        "compliance": {"Phòng Nông nghiệp và PTNT"},
        "rejected": {"Phòng Nông nghiệp và PTNT"},
    }
    # Staff without an office role see no office rows rather than every office's.
    assert offices_seen(client, superset, "unassigned_staff") == {"compliance": set(), "rejected": set()}


def test_office_staff_still_see_the_shared_dashboards(superset: Superset, client) -> None:
    session = client.login(superset.base_url, "tckh_staff", USERS["tckh_staff"][0])
    assert {d["slug"] for d in client.dashboards(session, superset.base_url)} == set(DASHBOARDS)
    ids = chart_ids(client, session, superset.base_url)
    assert len(rows_of(client, session, superset.base_url, ids["Bảng tổng hợp 27 chỉ tiêu"])) == 27 * 3


def test_no_anonymous_access_and_no_sql_lab_for_viewers(superset: Superset, client) -> None:
    anonymous = requests.get(f"{superset.base_url}/api/v1/dashboard/", timeout=30)
    assert anonymous.status_code == 401
    page = requests.get(f"{superset.base_url}/superset/dashboard/tong-quan/", timeout=30, allow_redirects=False)
    assert page.status_code in (302, 401)
    assert "/login" in page.headers.get("Location", "/login")
    for user in ("lanhdao", "tckh_staff"):
        session = client.login(superset.base_url, user, USERS[user][0])
        token = session.get(f"{superset.base_url}/api/v1/security/csrf_token/", timeout=30).json()["result"]
        resp = session.post(
            f"{superset.base_url}/api/v1/sqllab/execute/",
            json={"database_id": 1, "sql": "select * from marts.fct_data_quality", "runAsync": False},
            headers={"X-CSRFToken": token, "Referer": superset.base_url},
            timeout=30,
        )
        assert resp.status_code in (401, 403), (user, resp.status_code, resp.text[:200])


def test_no_secret_key_or_admin_password_outside_demo_mode(superset: Superset, monkeypatch) -> None:
    """Superset refuses to start without a secret key, and no admin is made without a password."""
    env = {"PLATFORM_MODE": "production", "SUPERSET_SECRET_KEY": "", "SUPERSET_ADMIN_PASSWORD": ""}
    with pytest.raises(AssertionError, match="SUPERSET_SECRET_KEY must be set"):
        superset.run("roles", env=env)
    monkeypatch.setenv("SUPERSET_CONFIG_PATH", str(SUPERSET_DIR / "superset_config.py"))
    service = load_module("service")
    assert service.admin_password() == "admin"  # this session runs in demo mode
    monkeypatch.setenv("PLATFORM_MODE", "production")
    monkeypatch.delenv("SUPERSET_ADMIN_PASSWORD", raising=False)
    assert service.admin_password() is None


# ---------------------------------------------------------------- the browser
def open_dashboard(page, base_url: str, slug: str, title: str, expected_charts: int) -> bool:
    """Load a dashboard and wait (90 s at most) until its header and every chart are drawn: a chart
    is done when it shows a table, a canvas, an error or an empty state."""
    page.goto(f"{base_url}/superset/dashboard/{slug}/")
    page.wait_for_selector("[data-test=dashboard-header-container]", timeout=90_000)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        header = page.locator("[data-test=dashboard-header-container]").inner_text()
        done = page.evaluate(
            """() => Array.from(document.querySelectorAll('[data-test=dashboard-component-chart-holder]'))
                .filter(h => h.querySelector('table, canvas, [role=alert], .ant-alert-error,'
                                             + ' [data-test=empty-state]')).length"""
        )
        loading = page.locator("[data-test=loading-indicator], .loading").count()
        if title in header and done >= expected_charts and loading == 0:
            return True
        page.wait_for_timeout(500)
    return False


def test_every_dashboard_renders_in_chromium(superset: Superset) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("install Debian's chromium: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1400}, locale="vi-VN")
        page.goto(f"{superset.base_url}/login/")
        page.fill("#username", "lanhdao")
        page.fill("#password", USERS["lanhdao"][0])
        page.keyboard.press("Enter")
        page.wait_for_url("**/superset/welcome/**", timeout=60_000)
        failed_calls: list[str] = []
        page.on(
            "response",
            lambda r: failed_calls.append(f"{r.status} {r.url}") if "/api/" in r.url and r.status >= 400 else None,
        )
        for slug, (title, expected_charts) in DASHBOARDS.items():
            failed_calls.clear()
            if not open_dashboard(page, superset.base_url, slug, title, expected_charts):
                # Seen rarely under load: an empty grid. Keep the evidence, then give it one reload.
                (ARTIFACTS / f"{slug}-first-try.html").write_text(page.content(), encoding="utf-8")
                warnings.warn(f"{slug}: charts not drawn on first load; failed API calls: {failed_calls}", stacklevel=1)
                open_dashboard(page, superset.base_url, slug, title, expected_charts)
            holders = page.locator("[data-test=dashboard-component-chart-holder]")
            page.wait_for_timeout(1000)
            page.screenshot(path=str(ARTIFACTS / f"{slug}.png"), full_page=True)
            header = page.locator("[data-test=dashboard-header-container]").inner_text(timeout=10_000)
            if title not in header:
                problems.append(f"{slug}: title {title!r} not in the header {header[:80]!r}")
            if holders.count() != expected_charts:
                problems.append(f"{slug}: {holders.count()} charts, expected {expected_charts}")
                (ARTIFACTS / f"{slug}.html").write_text(page.content(), encoding="utf-8")
            for n in range(holders.count()):
                holder = holders.nth(n)
                name = holder.locator("[data-test=chart-grid-component]").get_attribute("data-test-chart-name")
                if holder.locator("[role=alert], .ant-alert-error").count():
                    problems.append(f"{slug}/{name}: error shown: {holder.inner_text()[:200]}")
                elif holder.locator("[data-test=empty-state]").count():
                    problems.append(f"{slug}/{name}: no data shown")
                elif not holder.locator("table, canvas").count():
                    problems.append(f"{slug}/{name}: nothing drawn")
        browser.close()
    assert problems == []


def test_warm_up_fills_the_cache(superset: Superset, client) -> None:
    """What the dashboards DAG runs after the marts change: afterwards every chart is served from cache."""
    superset.run("warm")
    session = client.login(superset.base_url, "admin", "admin")
    cached = {
        chart["slice_name"]: client.chart_data(session, superset.base_url, chart["id"])["result"][0]["is_cached"]
        for chart in client.charts(session, superset.base_url)
    }
    assert len(cached) == 16
    assert {name for name, hit in cached.items() if not hit} == set()
    assert any((superset.home / "cache" / "data").iterdir())
