"""Incremental pulls that lose nothing and load nothing twice: overlap, typed stamps, repull."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from ingest.systems import mapping, watermarks
from ingest.systems.__main__ import main as cli
from ingest.systems.pull import pull
from ingest.systems.spec import load
from standins import treasury
from standins.http_server import BHXH_PATH

VN = timezone(timedelta(hours=7))


def _watermark(admin_conn, name: str) -> str | None:
    with admin_conn.cursor() as cur:
        cur.execute("select watermark from raw.source_watermarks where source_name = %s", (name,))
        row = cur.fetchone()
    return row[0] if row else None


def _loaded(admin_conn, name: str) -> dict[tuple[str, str, str], list[Decimal]]:
    """Every version this source loaded, per key, in load order."""
    with admin_conn.cursor() as cur:
        cur.execute(
            "select indicator_code, admin_unit_code, period_code, value from raw.submitted_figures"
            " where source_name = %s order by figure_id",
            (name,),
        )
        out: dict[tuple[str, str, str], list[Decimal]] = {}
        for i, u, p, v in cur.fetchall():
            out.setdefault((i, u, p), []).append(v)
        return out


def _problem_texts(admin_conn, file_id: int) -> list[tuple[str, str]]:
    with admin_conn.cursor() as cur:
        cur.execute("select rule, message_en from audit.ingest_problems where file_id = %s", (file_id,))
        return cur.fetchall()


def _statuses(admin_conn, name: str) -> list[str]:
    with admin_conn.cursor() as cur:
        cur.execute("select status from audit.ingest_files where source_name = %s order by file_id", (name,))
        return [s for (s,) in cur.fetchall()]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-01-10T02:00:00Z", "2023-01-10T02:00:00Z"),
        ("2023-01-10T09:00:00+07:00", "2023-01-10T02:00:00Z"),
        ("2023-01-10T09:00:00", "2023-01-10T02:00:00Z"),  # no offset: the source's time zone
        ("31/12/2021", "2021-12-30T17:00:00Z"),  # day first, local midnight
        ("31/12/2021 14:30", "2021-12-31T07:30:00Z"),
        (datetime(2023, 1, 10, 9, 0), "2023-01-10T02:00:00Z"),
        (datetime(2023, 1, 10, 2, 0, tzinfo=UTC), "2023-01-10T02:00:00Z"),
    ],
)
def test_change_times_are_read_as_instants(value, expected) -> None:
    assert watermarks.text(watermarks.parse(value)) == expected


@pytest.mark.parametrize("value", ["không rõ", "32/13/2021", 20230110, None, ""])
def test_what_is_not_a_time_is_refused(value) -> None:
    with pytest.raises(watermarks.BadStamp):
        watermarks.parse(value)


def test_a_day_first_text_stamp_does_not_poison_the_watermark() -> None:
    """As strings, "31/12/2021" sorts after every ISO date; as a time it is older."""
    assert mapping.later("2023-01-10T02:00:00Z", "31/12/2021") == "2023-01-10T02:00:00Z"
    assert mapping.later("31/12/2021", "2023-01-10T02:00:00Z") == "2023-01-10T02:00:00Z"


def test_a_source_sending_day_first_stamps_is_pulled_by_time(standin, variant, admin_conn) -> None:
    spec = variant("bhxh")
    standin.state.faults.day_first_stamps = True
    first = pull(spec)
    assert first.rows_loaded == 816
    assert _watermark(admin_conn, spec.name) == "2023-01-10T02:00:00Z"  # 10/01/2023 09:00 in Vietnam
    again = pull(spec)
    assert again.rows_loaded == 0
    assert standin.api_requests(BHXH_PATH)[-1]["updated_since"] == "2023-01-09T02:00:00Z"


def test_a_late_commit_with_an_earlier_stamp_is_caught_once(standin, variant, admin_conn) -> None:
    spec = variant("bhxh")
    assert pull(spec).rows_loaded == 816
    mark = datetime.fromisoformat(_watermark(admin_conn, spec.name))

    # A correction committed after that pull, stamped two hours BEFORE the watermark.
    standin.state.revise_coverage("HUU_LE", 2022, 12, 2800, mark - timedelta(hours=2))
    late = pull(spec)

    assert late.rows_loaded == 2, _problem_texts(
        admin_conn, late.file_id
    )  # the record's two figures, nothing else of the overlap
    versions = _loaded(admin_conn, spec.name)
    assert versions[("people_health_insured", "HUU_LE", "2022-12")][-1] == 2800
    assert all(len(v) == 1 for k, v in versions.items() if k[1] != "HUU_LE" or k[2] != "2022-12")
    assert _watermark(admin_conn, spec.name) == mark.isoformat().replace("+00:00", "Z")  # not moved back

    assert pull(spec).rows_loaded == 0  # the overlap brings it again: recognised
    assert len(_loaded(admin_conn, spec.name)[("people_health_insured", "HUU_LE", "2022-12")]) == 2


def test_a_late_database_row_is_caught_once(treasury_db, variant, admin_conn) -> None:
    spec = variant("treasury")
    assert pull(spec).rows_loaded == 24
    mark = datetime.fromisoformat(_watermark(admin_conn, spec.name))

    treasury.revise("2022-12-01", Decimal("1999.9"), mark - timedelta(hours=1))
    late = pull(spec)

    assert late.rows_loaded == 1
    assert _loaded(admin_conn, spec.name)[("budget_revenue", "VAN_QUAN", "2022-12")][-1] == Decimal("1999.9")
    assert pull(spec).rows_loaded == 0
    assert sum(len(v) for v in _loaded(admin_conn, spec.name).values()) == 25


def test_a_record_stamped_in_the_future_does_not_push_the_watermark_past_now(standin, variant, admin_conn) -> None:
    spec = variant("bhxh")
    standin.state.revise_coverage("AN_SON", 2022, 12, 1234, datetime(2099, 1, 1, tzinfo=UTC))
    before = datetime.now(UTC)
    assert pull(spec).rows_loaded == 816
    mark = datetime.fromisoformat(_watermark(admin_conn, spec.name))
    assert before <= mark <= datetime.now(UTC)
    assert pull(spec).rows_loaded == 0  # asked again (after the mark), recognised


def test_rejected_records_are_reported_once_and_repull_loads_them_after_the_fix(
    standin, variant, admin_conn, monkeypatch
) -> None:
    spec = variant("bhxh")
    wanted = {("KHANH_KHE", 2022, 12), ("KHANH_KHE", 2022, 3)}  # one in the overlap window, one long before
    records = [r for r in standin.state.coverage if (r.unit_code, r.year, r.month) in wanted]
    real_name = records[0].unit_name
    for record in records:
        record.unit_name = "Xã Chưa Có Trong Danh Mục"
    first = pull(spec)
    assert (first.status, first.rows_loaded) == ("loaded_with_warnings", 812)

    # The overlap brings the December record again: its rejection is not reported twice,
    # and the pull is not quarantined for a record it already judged.
    again = pull(spec)
    assert (again.status, again.rows_loaded) == ("loaded", 0), _problem_texts(admin_conn, again.file_id)

    # The catalog learns the name (here: the source now spells it as the catalog does); the
    # stamps do not change. The overlap still covers December; March needs a repull.
    for record in records:
        record.unit_name = real_name
    assert pull(spec).rows_loaded == 2
    mark = _watermark(admin_conn, spec.name)

    monkeypatch.setattr("ingest.systems.__main__.load_all", lambda: {spec.name: spec})
    monkeypatch.setattr("ingest.systems.__main__.pull", lambda name, since: pull(spec, since=since))
    assert cli(["repull", spec.name, "--since", "01/01/2022"]) == 0

    versions = _loaded(admin_conn, spec.name)
    assert len(versions[("people_health_insured", "KHANH_KHE", "2022-03")]) == 1
    assert sum(len(v) for v in versions.values()) == 816  # every figure exactly once
    assert _watermark(admin_conn, spec.name) == mark  # the repull did not move it back
    assert "quarantined" not in _statuses(admin_conn, spec.name)


def test_repull_of_an_unknown_source_says_so(capsys) -> None:
    assert cli(["repull", "nowhere", "--since", "2022-01-01"]) == 2
    assert "unknown source" in capsys.readouterr().err


def test_the_shipped_declarations_have_an_overlap_and_limits() -> None:
    for name in ("bhxh", "tourism", "treasury"):
        spec = load(name)
        assert spec.watermark is not None and spec.watermark.overlap_seconds > 0
        assert spec.limits.max_records > 0
