"""The sample year month by month, through the real load path (issue 15, "Show it").

The generated sample year (``python -m sampledata``: every office's files for 2021 and 2022,
estimates replaced by actuals, a correction, a late report, one report that never comes) is
loaded file by file with ``pipeline.ingest_file`` in the order it was sent (each file's
modification time is its sending time, so ``received_at`` is the submission time), dbt
builds everything, and for every target and every as-of month:

* (a) no target says "Thiếu số liệu" in a month where its figures are in. "In" is worked
  out here from ``raw.submitted_figures`` alone, never from the marts: every indicator of
  the target has a 2022 figure for a period ending by that month, and a target compared
  with the previous year has 2021 figures for the whole year;
* (b) no status changes between consecutive months unless a figure of that target changed:
  its measure, its baseline, the month its figures cover, or whether an estimate counts.

Also checked on the same world: the sample's intended year-end outcome of XH07 (injuries
missed) gives the group verdict khong_dat naming XH07c; no consistency warning is raised
(new anise forest never exceeds all new forest; XH03 ends at 15 units).
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from pathlib import Path

import psycopg2
import pytest

from core import settings
from ingest import pipeline
from sampledata.generate import generate
from transform.dbt_runner import run_dbt

# the sample's figures must not reach the modules after it
pytestmark = pytest.mark.usefixtures("own_warehouse")

PLAN_YEAR = 2022
COMPARED_KINDS = ("growth_range", "increase_by", "reduce_by_points", "reduce_by_pct")


@pytest.fixture(scope="module")
def sample_year(own_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("sample-year")
    result = generate(out, seed=42)
    manifest = json.loads(result.manifest.read_text("utf-8"))
    refused = []
    for entry in sorted(manifest["files"], key=lambda e: (e["submitted_at"], e["path"])):
        outcome = pipeline.ingest_file(out / entry["path"], entry["office_code"])
        if not outcome.loaded or outcome.rows_rejected:
            refused.append((entry["path"], outcome.status, outcome.rows_rejected, outcome.message_vi))
    assert refused == []
    run_dbt(["build", "--full-refresh"])
    return manifest


def _query(sql: str, params: tuple = ()) -> list[tuple]:
    conn = psycopg2.connect(settings.admin_url())
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


def _months_with_figures() -> dict[str, int]:
    """Per indicator, the first month of 2022 by which a 2022 figure has come in (raw only)."""
    rows = _query(
        """select indicator_code, min(extract(month from period_end))::int from raw.submitted_figures
           where extract(year from period_end) = %s
             and not (period_grain = 'year' and value_type = 'estimate')
           group by indicator_code""",
        (PLAN_YEAR,),
    )
    return dict(rows)


def _baseline_indicators() -> set[str]:
    """Indicators with 2021 figures covering the whole of 2021 (a period ending in December)."""
    rows = _query(
        """select distinct indicator_code from raw.submitted_figures
           where period_end = make_date(%s, 12, 31)""",
        (PLAN_YEAR - 1,),
    )
    return {code for (code,) in rows}


def _targets() -> list[tuple[str, str, str | None, bool]]:
    return _query(
        """select target_code, indicator_code, nullif(denominator_code, ''), needs_baseline or kind in %s
           from catalog.plan_targets where plan_year = %s order by sort_order""",
        (COMPARED_KINDS, PLAN_YEAR),
    )


def _attainment() -> dict[str, list[tuple]]:
    rows = _query(
        """select target_code, as_of_period, status, missing_figure, measure_value, baseline_value,
                  covered_month, is_final
           from marts.fct_target_attainment where plan_year = %s order by target_code, as_of_period""",
        (PLAN_YEAR,),
    )
    by_target: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        by_target[row[0]].append(row[1:])
    return by_target


def test_the_sample_year_reaches_december_for_every_target(sample_year) -> None:
    by_target = _attainment()
    assert len(by_target) == 27
    expected = [f"{PLAN_YEAR}-{m:02d}" for m in range(1, 13)]
    assert {code: [r[0] for r in rows] for code, rows in by_target.items()} == dict.fromkeys(by_target, expected)


def test_no_target_is_missing_data_in_a_month_its_figures_are_in(sample_year) -> None:
    first_month = _months_with_figures()
    baselines = _baseline_indicators()
    by_target = _attainment()
    wrong, checked = [], 0
    for code, numerator, denominator, compared in _targets():
        indicators = [numerator, *([denominator] if denominator else [])]
        for as_of_period, status, missing_figure, *_ in by_target[code]:
            month = int(as_of_period[5:])
            figures_in = all(first_month.get(i, 13) <= month for i in indicators) and (
                not compared or all(i in baselines for i in indicators)
            )
            checked += figures_in
            if figures_in and status == "thieu_so_lieu":
                wrong.append((code, as_of_period, missing_figure))
    assert wrong == []
    assert checked >= 27 * 10  # every target from March on, the monthly ones from January


def test_every_target_has_its_figures_by_the_end_of_the_first_quarter(sample_year) -> None:
    """The check above must not pass vacuously: from March on every target's figures are in."""
    first_month = _months_with_figures()
    assert {i: m for i, m in first_month.items() if m > 3} == {}
    by_target = _attainment()
    missing = [(code, p, mf) for code, rows in by_target.items() for p, s, mf, *_ in rows if p >= "2022-03" and mf]
    assert missing == []


def test_no_status_changes_without_a_figure_changing(sample_year) -> None:
    flips, changes = [], 0
    for code, rows in _attainment().items():
        for before, after in itertools.pairwise(rows):
            figures_before, figures_after = before[3:], after[3:]
            changes += before[1] != after[1]
            if before[1] != after[1] and figures_before == figures_after:
                flips.append((code, before[0], before[1], after[0], after[1], figures_after))
    assert flips == []
    assert changes > 0  # the year does move: statuses change where figures do


def test_xh07_is_judged_on_all_three_criteria(sample_year) -> None:
    statuses = dict(
        _query(
            "select target_code, status from marts.fct_target_attainment"
            " where plan_year = %s and as_of_period = '2022-12' and target_code like 'XH07_'",
            (PLAN_YEAR,),
        )
    )
    intended = {code: t["status"] for code, t in sample_year["targets"].items() if code.startswith("XH07")}
    assert statuses == intended  # cases exceeded, deaths met, injuries missed
    group = _query(
        "select as_of_period, status, short_target_codes from marts.fct_target_groups"
        " where plan_year = %s and group_code = 'XH07' order by as_of_period",
        (PLAN_YEAR,),
    )
    assert len(group) == 12
    assert group[-1] == ("2022-12", "khong_dat", "XH07c")
    for as_of_period, status, short in group:
        members = _query(
            "select status from marts.fct_target_attainment"
            " where plan_year = %s and as_of_period = %s and target_code like 'XH07_'",
            (PLAN_YEAR, as_of_period),
        )
        if status in ("dat", "vuot", "dung_tien_do"):
            assert short is None and {s for (s,) in members} <= {"dat", "vuot", "dung_tien_do"}, as_of_period
        else:
            assert short is not None and status in {s for (s,) in members}, as_of_period


def test_the_sample_year_raises_no_consistency_warning(sample_year) -> None:
    rows = _query(
        "select check_code, as_of_period, check_status, observed_value, limit_value, message_vi"
        " from marts.fct_consistency_checks where plan_year = %s order by check_code, as_of_period",
        (PLAN_YEAR,),
    )
    assert len(rows) == 24
    assert [r for r in rows if r[2] == "canh_bao"] == []
    # anise forest is compared with all new forest whenever both cover the same months
    forest = [r for r in rows if r[0] == "MT01A_LE_MT01"]
    assert all(r[2] == "hop_le" and r[3] <= r[4] for r in forest if r[1] >= "2022-03")
    # XH03's cumulative count is shown beside it: 15 of 15 at the end of the year
    assert rows[-1][0] == "XH03_LUY_KE" and rows[-1][2:5] == ("hop_le", 15, 15)
    assert rows[-1][5] == "Lũy kế 15/15 xã đạt Bộ tiêu chí quốc gia về Y tế xã (đến tháng 12/2022)"
