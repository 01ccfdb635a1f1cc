"""The benchmark harness runs end to end on tiny sizes and writes well-formed results.

Timings are never asserted: only that every section measured what it says it measured.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import pytest

from bench import files, report
from bench.__main__ import Mode, run
from bench.dashboard import chart_sql

# Without Superset: starting one for the chart data API costs minutes in every suite run; the
# API section is exercised by the slow test below (`make test-all`) and by `make bench`.
TINY = Mode("tiny", runs=1, big_rows=3_000, scales=(1, 2), growth_runs=1, requests=2, freshness=False, superset=False)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, Path]:
    data = run(TINY)
    md, js = report.write(tmp_path_factory.mktemp("bench-out"), data)
    return data, md, js


def test_valid_file_holds_every_key_of_the_office_once() -> None:
    # 2 indicators x 17 units x (2 years + 8 quarters + 24 months) x 2 value types
    assert files.key_limit() == 2 * 17 * 34 * 2


def test_chart_sql_wraps_the_dataset_like_superset() -> None:
    sql = chart_sql("communes_matrix")
    assert "from marts.fct_commune_indicators as c" in sql
    assert sql.endswith('group by "admin_unit_name", "indicator_name" order by MAX(value_ytd) desc limit 1000')


def test_ingestion_section(results: tuple[dict, Path, Path]) -> None:
    data, _, _ = results
    res = data["ingestion"]["results"]
    assert sorted(res) == ["big_csv", "big_xlsx", "valid_csv", "valid_xlsx"]
    assert res["valid_xlsx"]["real"]["statuses"] == ["loaded"]
    assert res["valid_csv"]["real"]["statuses"] == ["loaded"]
    assert res["valid_csv"]["validation_problems"] == 0
    assert res["big_xlsx"]["rows"] == 3_000
    assert all(entry["stages"]["total"] > 0 for entry in res.values())
    assert "plain" in res["big_xlsx"] and "plain" in res["big_csv"] and "copy" in res["big_csv"]


def test_growth_and_dashboard_sections(results: tuple[dict, Path, Path]) -> None:
    data, _, _ = results
    growth = data["growth"]
    assert [g["scale"] for g in growth] == [1, 2]
    assert growth[0]["history_rows_added"] == growth[1]["history_rows_added"]  # one district-year each
    assert all(g["dbt_errors"] == [] for g in growth)
    assert all(not math.isnan(g["incremental_build_s"]) for g in growth)
    dash = growth[-1]["dashboard"]
    assert dash["overview"]["rows"] == 27 * 12  # 27 targets, one row per month of 2022
    assert dash["commune"]["rows"] > 0 and dash["overview"]["p95_ms"] >= dash["overview"]["median_ms"]
    assert growth[-1]["dashboard_api"] is None  # no Superset in this run


@pytest.mark.slow
def test_the_chart_data_api_serves_the_same_rows_as_the_sql() -> None:
    data = run(dataclasses.replace(TINY, scales=(1,), superset=True))
    growth = data["growth"][-1]
    dash, api = growth["dashboard"], growth["dashboard_api"]  # the same charts through a real Superset
    assert (api["overview"]["rows"], api["commune"]["rows"]) == (dash["overview"]["rows"], dash["commune"]["rows"])
    assert api["overview"]["median_ms"] > 0


def test_memory_and_files(results: tuple[dict, Path, Path]) -> None:
    data, md, js = results
    assert [m["rows"] for m in data["memory"]] == [3_000, 3_000, 3_000]
    assert data["memory"][0]["history_files"] == 0
    assert data["memory"][2]["history_rows"] > data["memory"][1]["history_rows"]
    assert json.loads(js.read_text(encoding="utf-8"))["machine"]["cores"] >= 1
    text = md.read_text(encoding="utf-8")
    assert "### 1. Ingestion throughput" in text and "| valid_xlsx | 2,312 |" in text
    assert "Skipped in quick mode" in text
    assert "| 2× |" in text and "API overview" in text  # the column is there, empty without Superset
