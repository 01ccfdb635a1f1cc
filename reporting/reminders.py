"""Daily reminders: what each office owes and has not sent, recorded and e-mailed once a day.

The obligations come from ``core.calendar``, the one reporting calendar (the compliance
dashboard's ``fct_reporting_compliance`` reads the same calendar from the seeds it
writes: same periods, due dates, baselines and units in scope). An obligation
is met when every unit in its scope has figures in ``raw.submitted_figures``, received on
or before the day, that cover the period completely: a baseline year sent by month or by
quarter is as good as one yearly figure; one commune's figure does not settle a
commune-level obligation, and the e-mail says which units are still missing. Reminders
start ``lead_days``
before the due date and go on every day while the figure is overdue. Each office gets at
most one e-mail a day: an office already reminded that day (a row in ``audit.reminders``)
is skipped, so re-running a day sends and writes nothing twice.
"""

from __future__ import annotations

import logging
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg2
from psycopg2.extras import execute_values

from core import catalog as catalog_mod
from core import settings
from core.calendar import Obligation, Span, all_obligations, units_reported
from core.catalog import AdminUnit, Catalog, Office
from reporting import mailer
from reporting.vi_format import quoted

log = logging.getLogger(__name__)

LOCAL_TZ = settings.LOCAL_TZ
DEFAULT_LEAD_DAYS = 5
LOCK_KEY = 742_2022  # advisory lock namespace of the reminders job


@dataclass(frozen=True)
class Reminder:
    """One outstanding figure on the day of the reminder."""

    obligation: Obligation
    as_of: date
    units_missing: tuple[str, ...] = ()  # units in scope not yet covered (all of them when nothing came)

    @property
    def days_overdue(self) -> int:
        """Days past the due date (0 on the due day, negative before it)."""
        return (self.as_of - self.obligation.due_date).days


@dataclass
class RunSummary:
    """What one run did, for the task log and the tests."""

    as_of: date
    offices_notified: list[str] = field(default_factory=list)
    offices_skipped: list[str] = field(default_factory=list)
    rows_written: int = 0
    failures: dict[str, str] = field(default_factory=dict)


def today_local() -> date:
    """Today in Vietnam, the offices' calendar."""
    return datetime.now(LOCAL_TZ).date()


def outstanding(
    owed: list[Obligation], figures: dict[tuple[str, str], list[Span]], as_of: date, lead_days: int
) -> dict[str, list[Reminder]]:
    """Per office, the obligations not yet met that are due within ``lead_days`` of ``as_of`` or overdue.

    ``figures``: the periods received by ``as_of``, per (indicator, unit).
    """
    per_office: dict[str, list[Reminder]] = defaultdict(list)
    for item in owed:
        if (as_of - item.due_date).days < -lead_days:
            continue
        reported = set(units_reported(item, figures))
        missing = tuple(u for u in item.units if u not in reported)
        if not missing:
            continue
        per_office[item.office_code].append(Reminder(item, as_of, missing))
    for reminders in per_office.values():
        reminders.sort(key=lambda r: (r.obligation.due_date, r.obligation.indicator_code, r.obligation.period.code))
    return dict(per_office)


def received_spans(conn, as_of: date, indicator_codes: list[str]) -> dict[tuple[str, str], list[Span]]:
    """The periods of the figures received by the end of ``as_of`` (Vietnam), per (indicator, unit)."""
    spans: dict[tuple[str, str], list[Span]] = defaultdict(list)
    with conn.cursor() as cur:
        cur.execute(
            """
            select distinct indicator_code, admin_unit_code, period_start, period_end
            from raw.submitted_figures
            where indicator_code = any(%s)
              and (received_at at time zone 'Asia/Ho_Chi_Minh')::date <= %s
            """,
            (indicator_codes, as_of),
        )
        for indicator, unit, start, end in cur.fetchall():
            spans[(indicator, unit)].append(Span(start, end))
    return dict(spans)


def _status_vi(reminder: Reminder) -> str:
    days = reminder.days_overdue
    if days > 0:
        return f"ĐÃ QUÁ HẠN {days} ngày"
    if days == 0:
        return "đến hạn hôm nay"
    return f"còn {-days} ngày nữa đến hạn"


def unit_name_vi(unit: AdminUnit) -> str:
    """A unit as written inside a sentence: ``xã An Sơn``, ``thị trấn Văn Quan``."""
    if unit.unit_type == "xa":
        return f"xã {unit.name_vi}"
    if unit.unit_type == "thi_tran":
        return unit.name_vi[:1].lower() + unit.name_vi[1:]
    return "toàn huyện"


def _missing_vi(reminder: Reminder, catalog: Catalog) -> str:
    """For a commune-level obligation some units have met: how many units are missing, and which."""
    item = reminder.obligation
    if len(reminder.units_missing) == len(item.units):
        return ""
    names = ", ".join(unit_name_vi(catalog.units[code]) for code in reminder.units_missing)
    missing, expected = len(reminder.units_missing), len(item.units)
    return f"; đã nhận đủ số liệu của {expected - missing}/{expected} đơn vị, còn thiếu {missing} đơn vị: {names}"


def _baseline_vi(reminder: Reminder) -> str:
    if not reminder.obligation.is_baseline:
        return ""
    return " - số liệu năm trước để so sánh; gửi số liệu cả năm hoặc đủ các tháng, các quý của năm đều được"


def compose(office: Office, reminders: list[Reminder], catalog: Catalog) -> tuple[str, str]:
    """The Vietnamese subject and body of one office's reminder (NFC)."""
    as_of = reminders[0].as_of
    overdue = sum(1 for r in reminders if r.days_overdue > 0)
    subject = f"[Văn Quan] Nhắc nộp số liệu chỉ tiêu: {office.name_vi} còn {len(reminders)} số liệu chưa gửi"
    if overdue:
        subject += f", {overdue} số liệu đã quá hạn"
    lines = [
        f"Kính gửi: {office.name_vi},",
        "",
        "Hệ thống theo dõi các chỉ tiêu phát triển kinh tế - xã hội của huyện Văn Quan xin nhắc "
        f"Quý cơ quan: tính đến ngày {as_of:%d/%m/%Y}, hệ thống chưa nhận được các số liệu sau:",
        "",
    ]
    for number, reminder in enumerate(reminders, start=1):
        item = reminder.obligation
        indicator = catalog.indicators[item.indicator_code]
        lines.append(
            f"{number}. {quoted(indicator.name_vi)}; kỳ báo cáo: {item.period.label_vi}"
            f"{_baseline_vi(reminder)}; hạn nộp: {item.due_date:%d/%m/%Y}; "
            f"{_status_vi(reminder)}{_missing_vi(reminder, catalog)}."
        )
    lines += [
        "",
        "Cách gửi: điền số liệu vào mẫu biểu của đơn vị (hoặc bảng theo bố cục chuẩn gồm các cột: "
        "mã chỉ tiêu, đơn vị hành chính, kỳ báo cáo, giá trị, loại số liệu, ghi chú; kỳ báo cáo ghi như "
        "“Tháng 5/2022”, “Quý 2/2022” hoặc “Năm 2021”), rồi lưu tệp Excel, LibreOffice hoặc CSV vào "
        "thư mục nộp báo cáo của Quý cơ quan trên máy chủ dữ liệu của huyện. Hệ thống tự "
        "động kiểm tra và nhập số liệu; nếu tệp có lỗi, Quý cơ quan sẽ được thông báo để sửa và gửi lại.",
        "",
        "Nếu Quý cơ quan đã gửi các số liệu trên, xin vui lòng bỏ qua thư này.",
        "",
        "Trân trọng,",
        "Thường trực Hội đồng Thi đua - Khen thưởng huyện Văn Quan (Phòng Nội vụ)",
        "",
        "(Thư được gửi tự động, mỗi ngày một lần cho đến khi nhận đủ số liệu.)",
    ]
    return unicodedata.normalize("NFC", subject), unicodedata.normalize("NFC", "\n".join(lines) + "\n")


def _sender(smtp: mailer.SmtpSettings, catalog: Catalog) -> str:
    if smtp.from_email:
        return smtp.from_email
    home_affairs = next((o for o in catalog.offices.values() if not o.submits), None)
    return home_affairs.email if home_affairs else "noreply@vanquan.example"


def run(
    as_of: date | None = None,
    lead_days: int = DEFAULT_LEAD_DAYS,
    smtp: mailer.SmtpSettings | None = None,
    catalog: Catalog | None = None,
) -> RunSummary:
    """Compute, record and e-mail the day's reminders; raise if any office could not be notified."""
    as_of = as_of or today_local()
    catalog = catalog or catalog_mod.default()
    smtp = smtp or mailer.settings_from_env()
    owed = all_obligations(catalog)
    summary = RunSummary(as_of)
    conn = psycopg2.connect(**settings.role_dsn("loader"))
    try:
        with conn:
            figures = received_spans(conn, as_of, sorted({o.indicator_code for o in owed}))
        for office_code, reminders in sorted(outstanding(owed, figures, as_of, lead_days).items()):
            office = catalog.offices[office_code]
            try:
                if _remind_office(conn, office, reminders, smtp, catalog):
                    summary.offices_notified.append(office_code)
                    summary.rows_written += len(reminders)
                else:
                    summary.offices_skipped.append(office_code)
            except (OSError, psycopg2.Error) as exc:  # smtplib errors are OSErrors
                log.exception("reminder for office %s failed", office_code)
                summary.failures[office_code] = str(exc)
    finally:
        conn.close()
    log.info(
        "reminders %s: notified %s, already notified %s, rows %d",
        as_of,
        summary.offices_notified,
        summary.offices_skipped,
        summary.rows_written,
    )
    if summary.failures:
        raise RuntimeError(f"reminders failed for offices {sorted(summary.failures)}")
    return summary


def _remind_office(
    conn, office: Office, reminders: list[Reminder], smtp: mailer.SmtpSettings, catalog: Catalog
) -> bool:
    """Record and send one office's reminder in one transaction; False if already done today."""
    as_of = reminders[0].as_of
    with conn, conn.cursor() as cur:
        cur.execute("select pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_KEY, office.code))
        cur.execute(
            "select 1 from audit.reminders where sent_on = %s and office_code = %s limit 1",
            (as_of, office.code),
        )
        if cur.fetchone():
            return False
        execute_values(
            cur,
            """
            insert into audit.reminders (sent_on, office_code, indicator_code, period_code, due_date, recipient)
            values %s
            on conflict (sent_on, office_code, indicator_code, period_code) do nothing
            """,
            [
                (
                    as_of,
                    office.code,
                    r.obligation.indicator_code,
                    r.obligation.period.code,
                    r.obligation.due_date,
                    office.email,
                )
                for r in reminders
            ],
        )
        subject, body = compose(office, reminders, catalog)
        # Sent inside the transaction: if the mail server refuses, nothing is recorded and
        # the retry sends it again.
        mailer.send([mailer.build_message(_sender(smtp, catalog), office.email, subject, body)], smtp)
    return True
