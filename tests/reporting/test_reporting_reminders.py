"""Daily reminders against a real warehouse and a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import unicodedata
from datetime import date, datetime
from email.message import EmailMessage

import pytest
from reporting_support import TEST_PLAN_YEAR, VN, free_port

from reporting import mailer, reminders

Y = TEST_PLAN_YEAR


def _parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def _by_recipient(mailbox) -> dict[str, EmailMessage]:
    found: dict[str, EmailMessage] = {}
    for _sender, recipients, raw in mailbox.messages:
        assert len(recipients) == 1
        assert recipients[0] not in found, "one e-mail per office per run"
        found[recipients[0]] = _parsed(raw)
    return found


def _rows(admin_conn, day: date) -> dict[str, list[tuple[str, str, date, str]]]:
    with admin_conn.cursor() as cur:
        cur.execute(
            """
            select office_code, indicator_code, period_code, due_date, recipient
            from audit.reminders where sent_on = %s order by 1, 4, 2, 3
            """,
            (day,),
        )
        rows: dict[str, list[tuple[str, str, date, str]]] = {}
        for office, indicator, period, due, recipient in cur.fetchall():
            rows.setdefault(office, []).append((indicator, period, due, recipient))
        return rows


def test_reminders_are_computed_recorded_and_mailed_once_a_day(
    admin_conn, insert_figures, smtp_server, shifted_catalog
) -> None:
    units = tuple(sorted(u.code for u in shifted_catalog.communes_on(date(Y, 6, 30))))
    assert len(units) == 17
    # The Health Office sent everything due by July except medical waste generated in Q2 and
    # two communes' health criteria for Q2, which arrive half an hour after midnight
    # (Vietnam time) on 25 July. Its 2021-equivalent baseline (a stock) came as Q4 figures.
    health = "commune_health_criteria"
    insert_figures(
        "yte",
        datetime(Y, 7, 10, 9, 0, tzinfo=VN),
        [
            *((health, f"{Y - 1}-Q4", unit) for unit in units),
            *((health, f"{Y}-Q1", unit) for unit in units),
            *((health, f"{Y}-Q2", unit) for unit in units[:15]),
            ("medical_waste_treated", f"{Y}-Q1"),
            ("medical_waste_treated", f"{Y}-Q2"),
            ("medical_waste_generated", f"{Y}-Q1"),
        ],
    )
    insert_figures(
        "yte",
        datetime(Y, 7, 25, 0, 30, tzinfo=VN),
        [("medical_waste_generated", f"{Y}-Q2"), *((health, f"{Y}-Q2", unit) for unit in units[15:])],
    )
    # The police sent last year's accidents by month and offences by quarter: both settle
    # the yearly baseline (issue 15, A); deaths and injuries of last year are still owed.
    insert_figures(
        "congan",
        datetime(Y, 1, 15, 9, 0, tzinfo=VN),
        [
            *(("traffic_accidents", f"{Y - 1}-{m:02d}") for m in range(1, 13)),
            *(("criminal_offences", f"{Y - 1}-Q{q}") for q in range(1, 5)),
        ],
    )

    day = date(Y, 7, 22)
    summary = reminders.run(as_of=day, lead_days=5, catalog=shifted_catalog)
    offices = sorted(o.code for o in shifted_catalog.offices.values() if o.submits)
    assert summary.offices_notified == offices
    assert len(smtp_server.messages) == len(offices) == 11

    rows = _rows(admin_conn, day)
    assert rows["yte"] == [
        (health, f"{Y}-Q2", date(Y, 7, 20), "yte@vanquan.example"),
        ("medical_waste_generated", f"{Y}-Q2", date(Y, 7, 20), "yte@vanquan.example"),
    ]
    assert len(rows["vhtt"]) == 6 + 2  # tourist visits Jan-Jun, cultural houses Q1-Q2
    assert len(rows["congan"]) == 4 * 6 + 2  # four monthly indicators Jan-Jun, plus two baselines
    assert {(i, p) for i, p, _d, _r in rows["congan"] if p == f"{Y - 1}"} == {
        ("traffic_deaths", f"{Y - 1}"),
        ("traffic_injuries", f"{Y - 1}"),
    }
    assert len(rows["ldtbxh"]) == 4 * 2 + 2  # four quarterly indicators, plus the poverty baseline
    assert ("households_poor", f"{Y - 1}", date(Y, 1, 20), "ldtbxh@vanquan.example") in rows["ldtbxh"]

    mails = _by_recipient(smtp_server)
    assert set(mails) == {f"{code}@vanquan.example" for code in offices}
    yte = mails["yte@vanquan.example"]
    assert yte["From"] == "noivu@vanquan.example"
    assert yte.get_content_charset() == "utf-8"
    subject, body = str(yte["Subject"]), yte.get_content()
    assert subject == "[Văn Quan] Nhắc nộp số liệu chỉ tiêu: Phòng Y tế còn 2 số liệu chưa gửi, 2 số liệu đã quá hạn"
    assert body.startswith("Kính gửi: Phòng Y tế,\n")
    assert f"tính đến ngày 22/07/{Y}" in body
    assert (
        f"kỳ báo cáo: Quý 2/{Y}; hạn nộp: 20/07/{Y}; "
        "ĐÃ QUÁ HẠN 2 ngày; đã nhận đủ số liệu của 15/17 đơn vị, còn thiếu 2 đơn vị: xã Tú Xuyên, xã Yên Phúc.\n"
        in body
    )
    assert f"2. “Chất thải y tế phát sinh”; kỳ báo cáo: Quý 2/{Y}; hạn nộp: 20/07/{Y}; ĐÃ QUÁ HẠN 2 ngày.\n" in body
    assert "thư mục nộp báo cáo của Quý cơ quan trên máy chủ dữ liệu của huyện" in body
    assert "inbox" not in body and "yte" not in body.replace("yte@", "")
    assert unicodedata.is_normalized("NFC", body) and unicodedata.is_normalized("NFC", subject)

    vhtt = mails["vhtt@vanquan.example"].get_content()
    assert f"kỳ báo cáo: Tháng 6/{Y}" in vhtt
    assert f"hạn nộp: 20/07/{Y}; ĐÃ QUÁ HẠN 2 ngày." in vhtt
    assert "tourist_visits" not in vhtt and "inbox/vhtt/" not in vhtt
    congan = mails["congan@vanquan.example"].get_content()
    assert f"kỳ báo cáo: Năm {Y - 1} - số liệu năm trước để so sánh;" in congan
    accidents = shifted_catalog.indicators["traffic_accidents"].name_vi
    assert f"“{accidents}”; kỳ báo cáo: Năm" not in congan

    # Re-running the same day sends and writes nothing.
    again = reminders.run(as_of=day, lead_days=5, catalog=shifted_catalog)
    assert again.offices_notified == [] and again.offices_skipped == offices
    assert len(smtp_server.messages) == 11
    assert _rows(admin_conn, day) == rows

    # 24 July (Vietnam): the late figures are not in yet; 25 July: they are, so no mail to yte.
    smtp_server.messages.clear()
    reminders.run(as_of=date(Y, 7, 24), lead_days=5, catalog=shifted_catalog)
    assert "ĐÃ QUÁ HẠN 4 ngày" in _by_recipient(smtp_server)["yte@vanquan.example"].get_content()
    smtp_server.messages.clear()
    summary = reminders.run(as_of=date(Y, 7, 25), lead_days=5, catalog=shifted_catalog)
    assert "yte" not in summary.offices_notified + summary.offices_skipped
    assert "yte@vanquan.example" not in _by_recipient(smtp_server)
    assert "yte" not in _rows(admin_conn, date(Y, 7, 25))


def test_nothing_is_recorded_when_the_mail_server_is_down(
    admin_conn, smtp_server, shifted_catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = date(Y, 9, 2)
    down = mailer.parse_connection(f"smtp://127.0.0.1:{free_port()}")
    with pytest.raises(RuntimeError, match="reminders failed"):
        reminders.run(as_of=day, catalog=shifted_catalog, smtp=down)
    assert _rows(admin_conn, day) == {}
    # The retry, with the server back, sends them all: every office but the Health Office
    # owes figures here, and it owes them too unless its figures were loaded (by the test
    # above, if it ran first: this test holds in either order).
    with admin_conn.cursor() as cur:
        cur.execute(
            "select count(*) > 0 from raw.submitted_figures as r join audit.ingest_files as f using (file_id)"
            " where f.office_code = 'yte' and r.period_code like %s",
            (f"{Y}-%",),
        )
        health_sent = cur.fetchone()[0]
    summary = reminders.run(as_of=day, catalog=shifted_catalog)
    others = {"bhxh", "congan", "gddt", "kiemlam", "ktht", "ldtbxh", "nnptnt", "tckh", "tnmt", "vhtt"}
    assert set(summary.offices_notified) == others | (set() if health_sent else {"yte"})
    assert len(smtp_server.messages) == len(summary.offices_notified) == len(_rows(admin_conn, day))


def test_connection_forms() -> None:
    uri = mailer.parse_connection("smtps://user%40x:p%40ss@mail.example:465?from_email=a%40b.vn")
    assert (uri.host, uri.port, uri.login, uri.password, uri.implicit_tls, uri.from_email) == (
        "mail.example",
        465,
        "user@x",
        "p@ss",
        True,
        "a@b.vn",
    )
    js = mailer.parse_connection('{"conn_type": "smtp", "host": "h", "port": 2525, "extra": {"disable_tls": true}}')
    assert (js.host, js.port, js.implicit_tls, js.local_relay) == ("h", 2525, False, True)
