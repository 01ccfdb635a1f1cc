"""Every screen a reader opens in Superset is Vietnamese: no English string of Superset's catalogue.

Logs in as each reader role in headless Chromium and walks the login page, home, the user
menu, the dashboard list (its row count, a filter select with no match, its empty state), the
chart and dataset lists, every dashboard the API lists (its actions menu on the first; the
filter panel, a filter's drop-down, a chart's menu and its Download submenu, View query, View
as table, a date picker where a dashboard has a time filter: on every dashboard for the first
reader, on the first for the second), a chart's Explore page (data panel and its row-limit
choices, actions and Download menu, time range and date picker, Customize; first reader only,
both roles see the same page) and the 404 pages (the project's Vietnamese page). On each it
collects the visible text and fails on any fragment that is an English msgid of
Superset's messages.pot (or of Flask-AppBuilder's) that the project has not translated, or is
the English of the libraries' own locales or of the front end's code that the project's bundle
patch makes Vietnamese (the date picker's calendar, dayjs's dates and ages, the data grid's "No
Matching Rows", a select's empty "No data", a list's "1-7 of 7", Explore's "1k rows"); data
values and names are not msgids, so they pass. The calendar's weekdays, Explore's "Last
queried at" and row limit, the grid's no-match overlay, a list's row count and a select's
empty list are also checked for their exact Vietnamese.
Screenshots go to test-artifacts/superset-vi/.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, USERS, Superset

from superset.translations import check_coverage as coverage

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
ARTIFACTS = REPO / "test-artifacts" / "superset-vi"
READERS = ("lanhdao", "tckh_staff")  # roles Lãnh đạo and Phòng ban (+ its office role)
# The chart whose Explore page the first reader opens from its title: a line chart over months.
EXPLORE_FROM = ("kinh-te", "lũy kế so với lộ trình đều")
# Fragments that read the same in a Vietnamese interface: product names, abbreviations.
SAME_IN_VIETNAMESE = {
    *("Superset", "SQL", "CSV", "JSON", "URL", "ID", "OK", "PDF", "PNG", "Excel", "API", "N/A", "UTC"),
    "Handlebars",  # a chart type's name, in the chart list
}
# English that no catalogue holds: the libraries' own locales, which Superset 6.1 cannot set to
# Vietnamese, and strings written into its front end's code; the project's bundle patch makes them
# Vietnamese (superset/translations/bundle_patch): Ant Design's date picker and empty list ("No
# data": Superset's own "No data" is translated, so this one is Ant Design's), dayjs's dates and
# ages, AG Grid's overlays, a list's row count, Explore's row limits. Any of them on screen fails.
WEEKDAYS = ("Su", "Mo", "Tu", "We", "Th", "Fr", "Sa")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LIBRARY_ENGLISH = {
    *WEEKDAYS,
    " ".join(WEEKDAYS),
    *MONTHS,
    *("Now", "Today", "Select date", "Select time", "Start date", "End date"),
    *("No Matching Rows", "No Rows To Show"),
    "No data",
}
LIBRARY_ENGLISH_PATTERNS = (
    re.compile(rf"^({'|'.join(MONTHS)}) \d{{4}}$"),  # the calendar's header: "Dec 2026"
    re.compile(r"\b\d{1,2}:\d{2}:\d{2} [AP]M\b"),  # dayjs's English "L LTS": "12/02/2026 3:17:47 AM"
    re.compile(r"\b(a few seconds|an? (minute|hour|day|month|year)|\d+ (minute|hour|day|month|year)s) ago\b"),
    re.compile(r"^\d+-\d+ of \d+$"),  # a list's row count: "1-7 of 7"
    re.compile(r"^\d+k? rows$"),  # Explore's row-limit choices: "1k rows"
)


def squashed(text: str) -> str:
    """Text as a reader sees it: runs of spaces and line breaks read as one space."""
    return " ".join(text.split())


def _pattern(msgid: str) -> re.Pattern[str] | None:
    """A msgid with placeholders (%s, %(name)s, {name}) matches any text in their place."""
    if not re.search(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}", msgid):
        return None
    parts = re.split(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}", msgid)
    if sum(len(p.strip()) for p in parts) < 4:
        return None  # "%s" alone, "%s - %s": no English left to see
    return re.compile("^" + ".+?".join(re.escape(p) for p in parts) + "$", re.S)


class EnglishDetector:
    """English text of Superset's and FAB's catalogues that the Vietnamese catalogues leave untranslated."""

    def __init__(self) -> None:
        superset_ids = coverage.pot_msgids()
        fab_ids = set(coverage.translations(coverage.FAB_PO))
        done = coverage.translations(coverage.PO)
        done_fab = coverage.translations(coverage.FAB_PO)
        english = {m for m in superset_ids if m not in done or done[m] == m}
        english |= {m for m in fab_ids if m not in done_fab and m not in done}
        self.exact = {
            m.strip()
            for m in english
            if re.search("[A-Za-z]{2}", m) and m.strip() not in SAME_IN_VIETNAMESE and not _pattern(m)
        }
        self.patterns = [(m, p) for m in english if (p := _pattern(m))]
        self.vietnamese = {v.strip(): m for m, v in done.items() if v != m and len(v.strip()) > 1}

    def translated(self, fragments: list[str]) -> set[str]:
        """msgids whose Vietnamese is on screen: what reader_strings.txt should list."""
        return {self.vietnamese[t] for f in fragments if (t := squashed(f)) in self.vietnamese}

    def find(self, fragments: list[str]) -> set[str]:
        found = set()
        for fragment in fragments:
            text = squashed(fragment)
            if not text:
                continue
            if text in self.exact or text.rstrip(":.…") in self.exact or text in LIBRARY_ENGLISH:
                found.add(text)
                continue
            if any(pattern.search(text) for pattern in LIBRARY_ENGLISH_PATTERNS):
                found.add(text)
                continue
            for msgid, pattern in self.patterns:
                if pattern.match(text):
                    found.add(msgid)
        return found


VISIBLE_TEXT = """() => {
  const out = [];
  if (!document.body) return out;
  const seen = (el) => { const r = el.getBoundingClientRect();
    const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'
      && s.display !== 'none' && s.opacity !== '0'; };
  for (const line of document.body.innerText.split('\\n')) out.push(line);
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]'))
    if (seen(el)) out.push(el.getAttribute('placeholder'));
  for (const el of document.querySelectorAll('.ant-select-selection-placeholder, [aria-label]'))
    if (seen(el) && el.matches('.ant-select-selection-placeholder')) out.push(el.innerText);
  for (const el of document.querySelectorAll('*'))
    for (const node of el.childNodes)
      if (node.nodeType === 3 && node.textContent.trim() && seen(el)) out.push(node.textContent);
  return out;
}"""


class Walk:
    """One reader's walk: a step names a screen; its English fragments and screenshot are kept."""

    def __init__(self, page, detector: EnglishDetector, user: str) -> None:
        self.page = page
        self.detector = detector
        self.user = user
        self.english: dict[str, set[str]] = {}
        self.other: dict[str, set[str]] = {}
        self.seen: set[str] = set()
        self.problems: list[str] = []
        self.skipped: list[str] = []
        self.empty_lists = 0  # select drop-downs seen empty (Ant Design's "No data" in English)

    def check(self, step: str) -> None:
        self.page.wait_for_timeout(400)
        try:
            fragments = self.page.evaluate(VISIBLE_TEXT)
        except Exception:  # the page was navigating: read it once it has loaded
            self.page.wait_for_load_state()
            fragments = self.page.evaluate(VISIBLE_TEXT)
        found = self.detector.find(fragments)
        self.seen.update(self.detector.translated(fragments))
        if found:
            self.english.setdefault(step, set()).update(found)
        # Not failing: English-looking text that neither a catalogue nor the libraries' locales
        # hold (strings Superset's front end does not pass through its catalogue), for review.
        for fragment in fragments:
            text = squashed(fragment)
            if re.fullmatch(r"[A-Z][a-z]+(?: [A-Za-z]+)*[.:…]?", text) and text not in found:
                self.other.setdefault(step, set()).add(text)
        plain = unicodedata.normalize("NFKD", f"{self.user}-{step}".lower().replace("đ", "d"))
        name = re.sub(r"[^a-z0-9-]+", "-", plain.encode("ascii", "ignore").decode()).strip("-")
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def tr(msgid: str) -> str:
    """What the interface shows for a Superset msgid (the Vietnamese when translated)."""
    return _TRANSLATED.get(msgid, msgid)


_TRANSLATED = coverage.translations(coverage.PO)


def wait_for_charts(page, timeout: float = 90) -> None:
    """Every chart holder shows a table, a canvas, an error or an empty state, and nothing loads.

    At least one holder: Superset mounts the grid only once it has measured its width, so a
    dashboard can show an empty grid for a moment after its header (every dashboard has charts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        holders, pending = page.evaluate(
            """() => {
                const all = Array.from(document.querySelectorAll('[data-test=dashboard-component-chart-holder]'));
                return [all.length, all.filter(h => !h.querySelector(
                    'table, canvas, [role=alert], .ant-alert, [data-test=empty-state]')).length]; }"""
        )
        if holders and pending == 0 and page.locator("[data-test=loading-indicator], .loading").count() == 0:
            return
        page.wait_for_timeout(500)


def close_overlays(page) -> None:
    for _ in range(2):
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
    for button in page.locator(".ant-modal-close").all():
        if button.is_visible():
            button.click()
    page.mouse.move(5, 900)


OPEN_MENU = ".ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu"


def walk_open_menu(walk: Walk, step: str) -> None:
    """The menu that is open, then each of its submenus (Tải xuống, Chia sẻ…) in turn."""
    page = walk.page
    page.locator(OPEN_MENU).last.wait_for(state="visible", timeout=10_000)
    walk.check(step)
    titles = page.locator(f"{OPEN_MENU} .ant-dropdown-menu-submenu-title")
    for n in range(titles.count()):
        title = titles.nth(n)
        label = squashed(title.inner_text()) or str(n)
        title.hover()
        page.wait_for_timeout(800)
        walk.check(f"{step}-{label}")


def walk_chart_menu(walk: Walk, dash: str) -> None:
    """The first chart's menu and its submenus, then View query and View as table."""
    page = walk.page
    headers = page.locator("[data-test=slice-header]")
    opened = False
    for n in range(min(headers.count(), 6)):  # the first chart whose menu opens (tiles may hide it)
        header = headers.nth(n)
        trigger = header.locator("[data-test=ellipsis]").first
        header.hover()
        try:
            trigger.click(timeout=5_000)
            opened = True
        except Exception as exc:  # covered or hidden: try the next chart
            walk.skipped.append(f"{dash}: chart {n} menu: {type(exc).__name__}")
        if opened:
            break
    if not opened:
        walk.problems.append(f"{dash}: no chart menu opens")
        return
    walk_open_menu(walk, f"{dash}-chart-menu")
    close_overlays(page)
    for item in ("View query", "View as table"):
        header.hover()
        trigger.click()
        page.locator(OPEN_MENU).last.wait_for(state="visible", timeout=10_000)
        entry = page.locator(OPEN_MENU).last.get_by_text(tr(item), exact=True)
        if not entry.count():
            walk.problems.append(f"{dash}: no {tr(item)!r} in the chart menu")
            close_overlays(page)
            continue
        entry.first.click()
        page.wait_for_selector(".ant-modal-content", timeout=20_000)
        page.wait_for_timeout(2500)
        walk.check(f"{dash}-{item.lower().replace(' ', '-')}")
        if item == "View as table":
            check_no_matching_rows(walk, f"{dash}-view-as-table-no-match", ".ant-modal-content")
        close_overlays(page)


def walk_filters(walk: Walk, dash: str) -> None:
    """The native filter panel, one select's drop-down (and no match), a time filter's picker if any."""
    page = walk.page
    walk.check(f"{dash}-filters")
    select = page.locator("[data-test=dashboard-filters-panel] [data-test=form-item-value] .ant-select-selector").first
    if select.count() and select.is_visible():
        select.click()
        page.wait_for_timeout(1500)
        walk.check(f"{dash}-filter-open")
        page.keyboard.type("zzzz không có")
        page.wait_for_timeout(1000)
        walk.check(f"{dash}-filter-no-match")
        check_empty_select(walk, f"{dash}-filter-no-match", required=False)
        close_overlays(page)
    date = page.locator("[data-test=date-range-filter-container], [data-test=time-range-trigger]").first
    if date.count() and date.is_visible():
        date.click()
        page.wait_for_timeout(1000)
        walk.check(f"{dash}-date-picker")
        close_overlays(page)


# What the bundle patch makes Vietnamese, as a reader reads it (superset/translations/bundle_patch).
CALENDAR_WEEKDAYS = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]  # the week starts on Monday
NO_MATCHING_ROWS = "Không có dòng nào khớp"
EMPTY_LIST = "Không có dữ liệu"
ROW_COUNT = re.compile(r"\d+-\d+ trên \d+")
ROW_LIMITS = ["100 dòng", "500 dòng", "1 nghìn dòng", "5 nghìn dòng", "10 nghìn dòng"]
OPEN_SELECT = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)"

OPEN_PICKER = ".ant-picker-dropdown:not(.ant-picker-dropdown-hidden)"


def check_last_queried(walk: Walk) -> None:
    """Explore's "Last queried at" reads day first in 24 hours: "… lúc: 02/12/2026 04:15:59"."""
    page = walk.page
    label = squashed(page.locator("[data-test=last-queried-label]").first.inner_text())
    # the query ran a moment ago: its date is the browser's today (or, just after midnight, yesterday)
    days = page.evaluate(
        """() => [0, 3600e3].map(ago => { const d = new Date(Date.now() - ago);
            const p = n => String(n).padStart(2, '0');
            return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()}`; })"""
    )
    found = re.fullmatch(rf"{re.escape(tr('Last queried at'))}: (\S+) \d{{2}}:\d{{2}}:\d{{2}}", label)
    if not found or found.group(1) not in days:
        walk.problems.append(f"explore: last queried label {label!r}, expected the date {days[0]} day first")


def check_no_matching_rows(walk: Walk, step: str, within: str) -> None:
    """The data grid's search with no match shows AG Grid's overlay, in Vietnamese."""
    page = walk.page
    search = page.locator(f"{within} input[type=text][placeholder='{tr('Search')}']:visible").first
    search.fill("zzzz không có")
    page.wait_for_timeout(1500)
    walk.check(step)
    overlay = squashed(" ".join(page.locator(".ag-overlay:visible").all_inner_texts()))
    if overlay != NO_MATCHING_ROWS:
        walk.problems.append(f"{step}: the grid shows {overlay!r}, expected {NO_MATCHING_ROWS!r}")
    search.fill("")


def check_row_count(walk: Walk, step: str, required: bool) -> None:
    """A list's row count under its table or cards reads "1-7 trên 7" (a list a reader sees empty has none)."""
    counts = walk.page.locator(".row-count-container:visible, .ant-pagination-total-text:visible")
    texts = [squashed(t) for t in counts.all_inner_texts()]
    if (required and not texts) or not all(ROW_COUNT.fullmatch(t) for t in texts):
        walk.problems.append(f"{step}: the list's row count reads {texts}, expected '1-N trên N'")


def check_empty_select(walk: Walk, step: str, required: bool) -> None:
    """A select's drop-down with nothing to offer reads "Không có dữ liệu" (Ant Design's empty list)."""
    empty = walk.page.locator(f"{OPEN_SELECT} .ant-empty-description")
    if required:
        try:
            empty.first.wait_for(state="visible", timeout=10_000)
        except Exception:
            walk.problems.append(f"{step}: the select shows no empty list")
            return
    texts = [squashed(t) for t in empty.all_inner_texts()]
    if any(t != EMPTY_LIST for t in texts):
        walk.problems.append(f"{step}: the select's empty list reads {texts}, expected {EMPTY_LIST!r}")
    walk.empty_lists += len(texts)


def check_row_limits(walk: Walk, step: str) -> None:
    """Explore's row-limit select shows one of its choices, 100 dòng … 10 nghìn dòng, and offers them all."""
    page = walk.page
    current = page.locator(".ant-select-selection-item:visible").filter(
        has_text=re.compile(r"^\d+( nghìn)? dòng$|rows$")
    )
    if not current.count():
        walk.problems.append(f"{step}: no row-limit select")
        return
    value = squashed(current.first.inner_text())
    current.first.click()
    page.locator(OPEN_SELECT).last.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(500)
    walk.check(f"{step}-row-limits")
    options = [squashed(t) for t in page.locator(f"{OPEN_SELECT} .ant-select-item-option").all_inner_texts()]
    if value not in ROW_LIMITS or options != ROW_LIMITS:
        walk.problems.append(f"{step}: row limit {value!r}, choices {options}, expected one of {ROW_LIMITS}")
    page.keyboard.press("Escape")


def check_calendar(walk: Walk) -> None:
    """The date picker's calendar is Vietnamese: weekdays T2 … CN, the month button, Bây giờ."""
    picker = walk.page.locator(OPEN_PICKER).first
    weekdays = [squashed(t) for t in picker.locator(".ant-picker-date-panel thead th").all_inner_texts()]
    month = squashed(picker.locator(".ant-picker-month-btn").first.inner_text())
    now = squashed(picker.locator(".ant-picker-now-btn, .ant-picker-now").first.inner_text())
    if weekdays != CALENDAR_WEEKDAYS or not re.fullmatch(r"Tháng (1[0-2]|[1-9])", month) or now != "Bây giờ":
        walk.problems.append(f"explore date picker: weekdays {weekdays}, month {month!r}, now {now!r}")


def walk_explore(walk: Walk, link) -> None:
    """A chart opened from its title: Explore with its data panel (results, samples), the
    actions menu and its Download submenu, the time filter with a custom range's date picker,
    and the Customize tab. The calendar, "Last queried at" and the grid's "no matching rows"
    come from the libraries' own locales, made Vietnamese by the project's bundle patch: their
    exact Vietnamese is checked here."""
    page = walk.page
    link.click()
    page.wait_for_url("**/explore/**", timeout=60_000)
    page.wait_for_selector("[data-test=chart-container]", timeout=120_000)
    page.wait_for_timeout(3000)
    walk.check("explore")
    check_last_queried(walk)
    for tab in ("Results", "Samples"):
        page.get_by_role("tab", name=tr(tab)).first.click()
        page.wait_for_timeout(3000)
        walk.check(f"explore-{tab.lower()}")
        if tab == "Results":
            check_row_limits(walk, "explore-results")
            check_no_matching_rows(walk, "explore-results-no-match", "[data-test=some-purposeful-instance]")
    page.locator("[data-test=actions-trigger]").first.click()
    walk_open_menu(walk, "explore-actions")
    close_overlays(page)
    # the dataset's time column, offered as a filter without a range: "as_of_date (No filter)"
    time_filter = page.locator("[data-test=adhoc_filters] [data-test=option-label]").filter(
        has_text=re.compile(rf"\((No filter|{tr('No filter')})\)")
    )
    time_filter.first.click()
    page.locator(".ant-popover [data-test=time-range-trigger]").first.click()
    page.wait_for_timeout(1500)
    walk.check("explore-time-range")
    page.locator(".ant-popover .ant-select-selector, .ant-modal .ant-select-selector").last.click()
    page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item").filter(
        has_text=tr("Custom")
    ).first.click()
    page.wait_for_timeout(1000)
    page.locator(".ant-picker").first.click()
    page.locator(OPEN_PICKER).first.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(1000)
    walk.check("explore-date-picker")
    check_calendar(walk)
    close_overlays(page)
    page.get_by_role("tab", name=tr("Customize")).first.click()
    page.wait_for_timeout(1500)
    walk.check("explore-customize")


def step(walk: Walk, name: str, action) -> None:
    """One part of the walk; a part that cannot be done is reported, the walk goes on."""
    try:
        action()
    except Exception as exc:  # any browser failure is a finding, not a crash
        walk.problems.append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        close_overlays(walk.page)


def dashboards(page, base_url: str) -> list[dict]:
    response = page.request.get(f"{base_url}/api/v1/dashboard/?q=(page_size:100)")
    assert response.ok, response.text()
    return sorted(response.json()["result"], key=lambda d: d["id"])


def walk_reader(browser, base_url: str, user: str, detector: EnglishDetector) -> Walk:
    context = browser.new_context(viewport={"width": 1500, "height": 1100}, locale="vi-VN")
    page = context.new_page()
    walk = Walk(page, detector, user)
    page.goto(f"{base_url}/login/")
    page.wait_for_selector("[data-test=login-form], #username", timeout=60_000)
    walk.check("login")
    page.fill("#username", user)
    page.fill("#password", "wrong password")
    page.keyboard.press("Enter")
    page.wait_for_timeout(2500)
    walk.check("login-failed")
    page.fill("#username", user)
    page.fill("#password", USERS[user][0])
    page.keyboard.press("Enter")
    page.wait_for_url("**/superset/welcome/**", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-test=skeleton-card], .ant-skeleton')", timeout=60_000)
    page.wait_for_timeout(1000)
    walk.check("home")

    def menus() -> None:
        items = page.locator(".ant-menu-submenu-title")
        for n in range(items.count()):
            if items.nth(n).is_visible():
                items.nth(n).hover()
                page.wait_for_timeout(800)
                walk.check(f"menu-{n}")
        page.mouse.move(5, 900)

    step(walk, "menus", menus)
    page.goto(f"{base_url}/dashboard/list/")
    page.wait_for_selector("[data-test=listview-table], [data-test=styled-card], [data-test=empty-state]")
    page.wait_for_timeout(1500)
    walk.check("dashboard-list")
    check_row_count(walk, "dashboard-list", required=True)

    def select_no_match() -> None:
        """The list's first filter select (its owners, its status…) searched for nothing it offers."""
        target = page.locator("[data-test=filters-select]").first
        selector = target.locator(".ant-select-selector")
        (selector.first if selector.count() else target).click()
        page.keyboard.type("zzzz không có")
        page.wait_for_timeout(1500)
        walk.check("dashboard-list-select-no-match")
        check_empty_select(walk, "dashboard-list-select-no-match", required=True)
        close_overlays(page)

    step(walk, "dashboard list select", select_no_match)

    def empty_list() -> None:
        search = page.locator("[data-test=filters-search]").first
        search.fill("zzzz không có")
        search.press("Enter")
        page.wait_for_timeout(2500)
        walk.check("dashboard-list-empty")

    step(walk, "dashboard list search", empty_list)
    for listing in ("chart", "tablemodelview"):  # the other lists in a reader's menu

        def other_list(listing: str = listing) -> None:
            page.goto(f"{base_url}/{listing}/list/")
            page.wait_for_selector("[data-test=listview-table], [data-test=styled-card], [data-test=empty-state]")
            page.wait_for_timeout(1500)
            walk.check(f"{listing}-list")
            check_row_count(walk, f"{listing}-list", required=False)

        step(walk, f"{listing} list", other_list)
    explore_from = None
    # The chrome around a dashboard is one component for every dashboard and role: the header's
    # actions menu is walked on the first dashboard; the second reader (another role: other
    # permissions, RLS-filtered data) opens every dashboard but walks the filters and a chart's
    # menus on its first one only. The first reader walks them everywhere (other chart types,
    # other filters). This keeps the walk's minutes where new strings can appear.
    for n, dash in enumerate(dashboards(page, base_url)):
        slug = dash.get("slug") or str(dash["id"])
        deep = n == 0 or user == READERS[0]

        def open_dashboard(dash: dict = dash, slug: str = slug) -> None:
            page.goto(f"{base_url}/superset/dashboard/{dash['id']}/")
            page.wait_for_selector("[data-test=dashboard-header-container]", timeout=180_000)
            wait_for_charts(page)
            walk.check(slug)

        step(walk, slug, open_dashboard)
        if slug == EXPLORE_FROM[0]:
            explore_from = page.url

        def actions(slug: str = slug) -> None:
            page.locator("[data-test=actions-trigger], [data-test=header-actions-menu]").first.click()
            walk_open_menu(walk, f"{slug}-actions")
            close_overlays(page)

        if n == 0:
            step(walk, f"{slug} actions", actions)
        if deep:
            step(walk, f"{slug} filters", lambda slug=slug: walk_filters(walk, slug))
            step(walk, f"{slug} chart menu", lambda slug=slug: walk_chart_menu(walk, slug))
    if explore_from and user == READERS[0]:  # both roles open the same Explore page: one walk of it

        def explore() -> None:
            page.goto(explore_from)
            wait_for_charts(page)
            title = page.locator("[data-test=slice-header] a[href*='/explore/']").filter(has_text=EXPLORE_FROM[1])
            walk_explore(walk, title.first)

        step(walk, "explore", explore)
    not_found = {"dashboard-not-found": "/superset/dashboard/999999/", "page-not-found": "/khong-co-trang-nay/"}
    for name, path in not_found.items():
        page.goto(f"{base_url}{path}")
        page.wait_for_load_state()
        walk.check(name)
        # Superset's own 404 page is a static English file outside the catalogue: the project's
        # Vietnamese page (superset_config.FLASK_APP_MUTATOR) must be served instead.
        body = page.inner_text("body")
        if "Không tìm thấy trang" not in body or "Page not found" in body:
            walk.problems.append(f"{name}: not the Vietnamese 404 page: {body[:120]!r}")
    context.close()
    return walk


@pytest.fixture(scope="module")
def walks(superset: Superset, known_marts: None) -> Iterator[dict[str, Walk]]:
    """Both readers' walks, over the hand-made marts (a table's empty and no-match states depend on its rows)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("install Debian's chromium: apt-get install -y chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    detector = EnglishDetector()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield {user: walk_reader(browser, superset.base_url, user, detector) for user in READERS}
        finally:
            browser.close()


@pytest.mark.parametrize("user", READERS)
def test_reader_screens_have_no_english_from_the_catalogue(walks: dict[str, Walk], user: str) -> None:
    english = {step: sorted(found) for step, found in walks[user].english.items()}
    (ARTIFACTS / f"{user}-english.json").write_text(json.dumps(english, ensure_ascii=False, indent=1), "utf-8")
    other = {step: sorted(found) for step, found in walks[user].other.items()}
    seen = sorted(walks[user].seen)
    (ARTIFACTS / f"{user}-translated-seen.json").write_text(json.dumps(seen, ensure_ascii=False, indent=1), "utf-8")
    (ARTIFACTS / f"{user}-other-text.json").write_text(json.dumps(other, ensure_ascii=False, indent=1), "utf-8")
    if os.environ.get("VQ_COLLECT_STRINGS"):
        with open(os.environ["VQ_COLLECT_STRINGS"], "a", encoding="utf-8") as fh:
            for found in english.values():
                fh.writelines(f"{s}\n" for s in found)
    assert walks[user].problems == []
    assert english == {}
    assert walks[user].empty_lists > 0  # a select's empty list was seen (and read Vietnamese)
    # The fast catalogue test guards these: every string seen here must be on its list.
    assert sorted(walks[user].seen - set(coverage.reader_strings())) == []


def test_interface_is_served_in_vietnamese(superset: Superset, walks: dict[str, Walk]) -> None:
    """The language pack the front end loads is ours, and the language menu offers English too."""
    import requests

    # Before login too: the login page fetches it anonymously.
    pack = requests.get(f"{superset.base_url}/superset/language_pack/vi/", timeout=30).json()
    messages = pack["locale_data"]["superset"]
    assert messages[""]["lang"] == "vi"
    assert messages["Dashboards"] == [tr("Dashboards")] == ["Bảng điều khiển"]
    page = requests.get(f"{superset.base_url}/login/", timeout=30).text
    # Superset writes the attribute with either quote, depending on the page template.
    found = re.search(r"""data-bootstrap=(?:"([^"]*)"|'([^']*)')""", page)
    assert found, page[:2000]
    bootstrap = json.loads(html.unescape(found.group(1) or found.group(2)))
    assert bootstrap["common"]["locale"] == "vi"
    languages = bootstrap["common"]["menu_data"]["navbar_right"]["languages"]
    assert {code: lang["name"] for code, lang in languages.items()} == {"vi": "Tiếng Việt", "en": "English"}
    assert walks  # the walks logged in with the default locale
