"""A pulled figure counts from when its source changed it, not from when it was pulled."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from ingest.model import ParsedRow, ParseResult
from ingest.pipeline import ingest_records
from ingest.systems.pull import pull
from tests.dbt import figures

ICT = timezone(timedelta(hours=7))
KEY = ("people_health_insured", "KHANH_KHE", "2022-11")


def _forget_key(admin_conn) -> None:
    """Other tests pull the same source: start this key with no version at all."""
    with admin_conn.cursor() as cur:
        cur.execute(
            "delete from raw.submitted_figures where indicator_code = %s and admin_unit_code = %s"
            " and period_code = %s",
            KEY,
        )
        cur.execute("select to_regclass('intermediate.int_figure_versions') is not null")
        if cur.fetchone()[0]:
            cur.execute(
                "delete from intermediate.int_figure_versions where indicator_code = %s and admin_unit_code = %s"
                " and period_code = %s",
                KEY,
            )


def _pulled(value: str, changed: datetime, pulled: datetime):
    row = ParsedRow(
        sheet_name="http_json:stamp_test",
        source_row=1,
        indicator_code=KEY[0],
        admin_unit_code=KEY[1],
        period_code=KEY[2],
        period_grain="month",
        period_start=datetime(2022, 11, 1).date(),
        period_end=datetime(2022, 11, 30).date(),
        value=Decimal(value),
        note="stamp_test record 1",
        source_changed_at=changed,
    )
    envelope = f"stamp_test {pulled.isoformat()}".encode()
    return ingest_records(
        ParseResult(rows=[row], layout="http_json"),
        source_kind="http_json",
        source_name="stamp_test",
        office_code="bhxh",
        original_name=f"stamp_test_{pulled:%Y%m%dT%H%M%S}.json",
        sha256=hashlib.sha256(envelope).hexdigest(),
        received_at=pulled,
        raw_bytes=envelope,
    )


def test_a_pull_stores_each_record_change_time_beside_the_pull_time(standin, admin_conn) -> None:
    with admin_conn.cursor() as cur:
        cur.execute("delete from raw.source_watermarks where source_name = 'bhxh'")
        cur.execute("delete from raw.submitted_figures where source_name = 'bhxh'")
    outcome = pull("bhxh")
    with admin_conn.cursor() as cur:
        cur.execute(
            "select count(*), count(source_changed_at), max(source_changed_at), min(received_at) = max(received_at),"
            " bool_and(source_changed_at < received_at) from raw.submitted_figures where file_id = %s",
            (outcome.file_id,),
        )
        rows, stamped, newest, one_pull_time, stamped_before_pull = cur.fetchone()
    assert (rows, stamped) == (816, 816)
    assert newest == datetime(2023, 1, 10, 2, 0, tzinfo=UTC)  # the newest updated_at served
    assert one_pull_time and stamped_before_pull


def test_a_change_made_before_a_file_but_pulled_after_it_does_not_supersede_it(platform_home, admin_conn) -> None:
    from transform.dbt_runner import run_dbt

    _forget_key(admin_conn)
    # 10:00 the insurance system records 5,100 insured; 10:30 the office sends a corrected
    # 5,150 in a file; 11:00 the pull brings the 10:00 change. The file's figure counts.
    day = datetime(2022, 12, 5, tzinfo=ICT)
    file_id = figures.load_file(
        "bhxh", "bhyt_11_2022.xlsx", day.replace(hour=10, minute=30), [figures.Figure(*KEY, "5150")]
    )
    outcome = _pulled("5100", changed=day.replace(hour=10), pulled=day.replace(hour=11))
    assert outcome.rows_loaded == 1

    run_dbt(["run", "--select", "+int_figure_versions"])
    with admin_conn.cursor() as cur:
        cur.execute(
            "select file_id, figure_value, received_at, version_number, is_current"
            " from intermediate.int_figure_versions where indicator_code = %s and admin_unit_code = %s"
            " and period_code = %s order by version_number",
            KEY,
        )
        versions = cur.fetchall()
    assert versions == [
        (outcome.file_id, Decimal("5100"), day.replace(hour=10), 1, False),
        (file_id, Decimal("5150"), day.replace(hour=10, minute=30), 2, True),
    ]
