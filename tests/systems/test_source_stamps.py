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
            "delete from raw.submitted_figures where indicator_code = %s and admin_unit_code = %s and period_code = %s",
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


def _current(admin_conn) -> list[tuple]:
    """The key's row in int_figures_current, and the current version int_figure_versions ranks."""
    with admin_conn.cursor() as cur:
        found = []
        for table, where in (("int_figures_current", "true"), ("int_figure_versions", "is_current")):
            cur.execute(
                f"select file_id, figure_value, received_at from intermediate.{table}"  # noqa: S608 - fixed names
                f" where indicator_code = %s and admin_unit_code = %s and period_code = %s and {where}",
                KEY,
            )
            found.append(cur.fetchall())
    assert found[0] == found[1]  # the incremental table holds exactly the current version
    return found[0]


def test_a_change_made_before_a_file_but_pulled_after_it_does_not_supersede_it(platform_home, admin_conn) -> None:
    from transform.dbt_runner import run_dbt

    def build() -> None:
        run_dbt(["run", "--select", "+int_figures_current"])

    _forget_key(admin_conn)
    # 10:30 the office sends 5,150 insured in a file; 10:00 the insurance system had recorded
    # 5,100, which the 11:00 pull brings: the file's figure still counts. A change recorded
    # at 11:30 and pulled at 12:00 then supersedes the file.
    day = datetime(2022, 12, 5, tzinfo=ICT)
    file_id = figures.load_file(
        "bhxh", "bhyt_11_2022.xlsx", day.replace(hour=10, minute=30), [figures.Figure(*KEY, "5150")]
    )
    build()
    assert _current(admin_conn) == [(file_id, Decimal("5150"), day.replace(hour=10, minute=30))]

    early = _pulled("5100", changed=day.replace(hour=10), pulled=day.replace(hour=11))
    assert early.rows_loaded == 1
    build()
    with admin_conn.cursor() as cur:
        cur.execute(
            "select file_id, figure_value, received_at, version_number, is_current"
            " from intermediate.int_figure_versions where indicator_code = %s and admin_unit_code = %s"
            " and period_code = %s order by version_number",
            KEY,
        )
        versions = cur.fetchall()
    assert versions == [
        (early.file_id, Decimal("5100"), day.replace(hour=10), 1, False),
        (file_id, Decimal("5150"), day.replace(hour=10, minute=30), 2, True),
    ]
    assert _current(admin_conn) == [(file_id, Decimal("5150"), day.replace(hour=10, minute=30))]

    later = _pulled("5200", changed=day.replace(hour=11, minute=30), pulled=day.replace(hour=12))
    build()
    assert _current(admin_conn) == [(later.file_id, Decimal("5200"), day.replace(hour=11, minute=30))]
