"""A load's build tests the raw rows it takes in; the nightly full check tests every row.

A figure naming an indicator the catalogue lacks breaks the relationships test of the raw
figures. Loaded now, the load's own build must refuse it. Loaded (as if) days ago, outside
the window every load build reads, only the nightly check sees it, and it must.
"""

from __future__ import annotations

from pathlib import Path

import psycopg2
import pytest

from core import settings
from tests.dbt import figures
from transform.builds import build_args, full_check_args
from transform.dbt_runner import DbtRunError, run_dbt

pytestmark = pytest.mark.timeout(600)

BROKEN_TEST = "relationships_stg_raw__submitted_figures_indicator_code"


def _load_unknown_indicator(name: str) -> int:
    return figures.load_file(
        "tckh", name, figures.at("2022-04-20"), [figures.Figure("no_such_indicator", "VAN_QUAN", "2022-03", "1")]
    )


@pytest.fixture(scope="module")
def built(own_warehouse: Path) -> Path:
    figures.load_baseline_and_first_quarter()
    run_dbt(["build"])
    return own_warehouse


def _as_admin(statement: str, file_id: int) -> None:
    conn = psycopg2.connect(settings.admin_url())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(statement, (file_id,))
    conn.close()


def test_an_old_bad_row_passes_the_load_build_and_fails_the_nightly_check(built) -> None:
    file_id = _load_unknown_indicator("old_bad_row.xlsx")
    try:  # as if it had been loaded three days before the last build
        _as_admin(
            "update raw.submitted_figures set loaded_at = loaded_at - interval '3 days' where file_id = %s", file_id
        )

        run_dbt(build_args(marts_exist=True))  # its window starts a day before the last build

        with pytest.raises(DbtRunError, match=BROKEN_TEST):
            run_dbt(full_check_args())
    finally:
        _as_admin("delete from raw.submitted_figures where file_id = %s", file_id)


def test_a_bad_row_loaded_now_fails_its_load_build(built) -> None:
    file_id = _load_unknown_indicator("new_bad_row.xlsx")
    try:
        with pytest.raises(DbtRunError, match=BROKEN_TEST):
            run_dbt(build_args(marts_exist=True))
    finally:
        _as_admin("delete from raw.submitted_figures where file_id = %s", file_id)
