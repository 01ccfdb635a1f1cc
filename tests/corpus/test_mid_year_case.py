"""A hand-computed mid-year case through ``make ingest`` and ``make transform`` (issue 15).

Offices' files of 2021 and the first half of 2022 go through ``python -m ingest file PATH
--office X`` one by one (each file's modification time is when it was sent), then
``python -m runtime transform`` builds the marts and runs the mart suite. Every value
expected as of June 2022 is worked out by hand below, several targets per rule of the
spec's "Judging in the year":

* rule 1, coarser actuals over finer estimates and the later submission (KT05, KT01, KT02),
  with a correction sent later but loaded first (issue 15 H);
* rule 3, a yearly baseline shared pro rata (KT01, XH07a), the same months (XH07b);
* rule 4, zero baselines (XH07c 0 -> 0, XH08 0 -> 1);
* rules 2 and 5, rates as ratios of sums paced by the target itself (XH04, MT04);
* partial commune reporting (XH04, KT06, XH03), a commune that has not reported keeping
  its previous flag;
* XH07 "cả 3 tiêu chí" and the consistency warnings (MT01a <= MT01, XH03's 15).
"""

from __future__ import annotations

import calendar
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest

from core import catalog, settings

pytestmark = pytest.mark.usefixtures("own_warehouse")

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"
TOWN = "Thị trấn Văn Quan"
XA = sorted(u.name_vi for u in catalog.default().communes_on(date(2022, 6, 30)) if u.unit_type == "xa")
ALL_UNITS = [TOWN, *XA]  # 17 units: the town, then the 16 communes by name


def row(indicator: str, unit: str, period: str, value, kind: str = "chính thức") -> str:
    return f'{indicator},{unit},{period},"{value}",{kind},'


def district(indicator: str, period: str, value, kind: str = "chính thức") -> str:
    return row(indicator, "huyện", period, value, kind)


def months(indicator: str, year: int, values: list, kind: str = "chính thức") -> list[str]:
    return [district(indicator, f"{year}-{m:02d}", v, kind) for m, v in enumerate(values, start=1)]


DEATHS_2021 = [2, 1, 2, 1, 2, 2, 1, 1, 1, 1, 1, 1]  # January-June: 10
INJURIES_2021 = [0, 0, 0, 0, 0, 0, 2, 1, 1, 1, 1, 1]  # January-June: 0
OFFENCES_2021 = [0, 0, 0, 0, 0, 0, 3, 2, 2, 2, 2, 2]  # January-June: 0

# (office, file name, sent on, rows), in the order they are loaded. The correction of
# tckh's June estimate is sent after the June report but loaded before it (a retry).
FILES: list[tuple[str, str, datetime, list[str]]] = [
    ("tckh", "tckh-2021.csv", datetime(2022, 1, 20, 8), [district("gross_output_value", "2021", 2000)]),
    (
        "congan",
        "congan-2021.csv",
        datetime(2022, 1, 20, 9),
        [
            district("traffic_accidents", "2021", 36),  # known only as the year's total
            *months("traffic_deaths", 2021, DEATHS_2021),
            *months("traffic_injuries", 2021, INJURIES_2021),
            *months("criminal_offences", 2021, OFFENCES_2021),
        ],
    ),
    (
        "yte",
        "yte-2021.csv",
        datetime(2022, 1, 20, 10),
        # 14 of 17 units met the health criteria at the end of 2021: the town and the first 13 communes
        [row("commune_health_criteria", u, "2021-Q4", int(i < 14)) for i, u in enumerate(ALL_UNITS)],
    ),
    (
        "nnptnt",
        "nnptnt-2021.csv",
        datetime(2022, 1, 20, 11),
        # 5 of 16 communes certified "new rural" at the end of 2021: communes 0-4
        [row("commune_new_rural_certified", u, "2021-Q4", int(i < 5)) for i, u in enumerate(XA)],
    ),
    (
        "tckh",
        "tckh-t1-3.csv",
        datetime(2022, 4, 12, 8),
        [
            *months("budget_revenue", 2022, [1500, 1500, 1500], "ước"),
            district("gross_output_value", "2022-Q1", 480),
            district("income_per_capita", "2022-Q1", "30,5"),
        ],
    ),
    ("tckh", "tckh-q1-chinh-thuc.csv", datetime(2022, 4, 25, 8), [district("budget_revenue", "2022-Q1", 4200)]),
    (
        "yte",
        "yte-q1.csv",
        datetime(2022, 4, 15, 8),
        [district("medical_waste_treated", "2022-Q1", "9,5"), district("medical_waste_generated", "2022-Q1", 10)],
    ),
    (
        "kiemlam",
        "kiemlam-q1.csv",
        datetime(2022, 4, 15, 9),
        # the anise and camellia forest reported above all new forest: 16 x 6 ha > 16 x 5 ha
        [row("new_forest_area", u, "2022-Q1", 5) for u in XA]
        + [row("new_forest_area_anise_camellia", u, "2022-Q1", 6) for u in XA],
    ),
    (
        "tckh",
        "tckh-t4-5.csv",
        datetime(2022, 6, 10, 8),
        [district("budget_revenue", "2022-04", 1450), district("budget_revenue", "2022-05", 1500, "ước")],
    ),
    ("tckh", "tckh-t6-dieu-chinh.csv", datetime(2022, 7, 15, 8), [district("budget_revenue", "2022-06", 1600, "ước")]),
    (
        "tckh",
        "tckh-t6.csv",
        datetime(2022, 7, 10, 8),
        [
            district("budget_revenue", "2022-06", 1500, "ước"),
            district("gross_output_value", "2022-Q2", 610, "ước"),
            district("income_per_capita", "2022-Q2", "31,2", "ước"),
        ],
    ),
    (
        "congan",
        "congan-6-thang.csv",
        datetime(2022, 7, 12, 8),
        [
            *months("traffic_accidents", 2022, [3, 3, 2, 3, 3, 3]),  # 17
            *months("traffic_deaths", 2022, [2, 2, 1, 2, 1, 2]),  # 10
            *months("traffic_injuries", 2022, [0, 0, 0, 0, 0, 0]),  # 0
            *months("criminal_offences", 2022, [0, 0, 0, 0, 1, 0]),  # 1
        ],
    ),
    (
        "bhxh",
        "bhxh-t6.csv",
        datetime(2022, 7, 10, 9),
        # the town and 15 communes: the last commune has not reported
        [row("population", TOWN, "2022-06", 5000), row("people_health_insured", TOWN, "2022-06", 4950)]
        + [row("population", u, "2022-06", 1000) for u in XA[:15]]
        + [row("people_health_insured", u, "2022-06", 975) for u in XA[:15]],
    ),
    (
        "yte",
        "yte-q2.csv",
        datetime(2022, 7, 15, 9),
        [district("medical_waste_treated", "2022-Q2", 10), district("medical_waste_generated", "2022-Q2", 10)]
        # 10 of 17 units report: the town and communes 0-8, all still meeting the criteria
        + [row("commune_health_criteria", u, "2022-Q2", 1) for u in ALL_UNITS[:10]],
    ),
    (
        "nnptnt",
        "nnptnt-q2.csv",
        datetime(2022, 7, 15, 10),
        # communes 1-12 report: 1-4 still certified, 5 newly certified, 6-12 not; commune 0
        # (certified in 2021) and 13-15 have not reported
        [row("commune_new_rural_certified", u, "2022-Q2", int(i <= 5)) for i, u in enumerate(XA) if 1 <= i <= 12],
    ),
    (
        "kiemlam",
        "kiemlam-q2.csv",
        datetime(2022, 7, 15, 11),
        [row("new_forest_area", u, "2022-Q2", 20) for u in XA]
        + [row("new_forest_area_anise_camellia", u, "2022-Q2", 10) for u in XA],
    ),
]

# As of June 2022, by hand. Keys: status, actual_value, baseline_value, baseline_is_prorated,
# expected_value_now, measure_value, is_final, status_note, units (reported, expected).
JUNE: dict[str, dict] = {
    # Budget revenue: the Q1 actual 4.200 replaces the three monthly estimates (3 x 1.500);
    # April's actual 1.450; May's estimate 1.500; June's later estimate 1.600 beats the first
    # 1.500 (sent later, though loaded earlier): 4.200 + 1.450 + 1.500 + 1.600 = 8.750, ước.
    # No 2021 months: the pace is 19.000 x 6/12 = 9.500 > 8.750, behind.
    "KT05": {
        "status": "cham_tien_do",
        "actual_value": "8750.0000",
        "expected_value_now": "9500.0000",
        "measure_value": "8750.0000",
        "is_final": False,
        "baseline_value": None,
    },
    # Gross output: Q1 480 + Q2 estimate 610 = 1.090 against 2021's one yearly 2.000 shared
    # pro rata: 2.000 x 6/12 = 1.000, an approximation. Growth 1.090 / 1.000 - 1 = 9 %,
    # inside 8,5-9 %: on track (a growth is never dat mid-year).
    "KT01": {
        "status": "dung_tien_do",
        "actual_value": "9.0000",
        "baseline_value": "1000.0000",
        "baseline_is_prorated": True,
        "expected_value_now": "8.5000",
        "measure_value": "1090.0000",
        "is_final": False,
    },
    # Income per head, a stock: the latest quarter counts, Q2's estimate 31,2 < 32 (the
    # target itself is the pace of a stock level): behind.
    "KT02": {
        "status": "cham_tien_do",
        "actual_value": "31.2000",
        "expected_value_now": "32.0000",
        "measure_value": "31.2000",
        "is_final": False,
    },
    # Accidents: 2021 known only as 36 for the year: 36 x 6/12 = 18; 2022 to June 17;
    # (18 - 17) / 18 = 5,5556 % >= 5 %: on track.
    "XH07a": {
        "status": "dung_tien_do",
        "actual_value": "5.5556",
        "baseline_value": "18.0000",
        "baseline_is_prorated": True,
        "expected_value_now": "5.0000",
        "measure_value": "17.0000",
        "is_final": True,
    },
    # Deaths: the same months of 2021, 2+1+2+1+2+2 = 10; 2022 2+2+1+2+1+2 = 10: 0 % fallen, behind.
    "XH07b": {
        "status": "cham_tien_do",
        "actual_value": "0.0000",
        "baseline_value": "10.0000",
        "baseline_is_prorated": False,
        "measure_value": "10.0000",
        "is_final": True,
    },
    # Injuries: 0 in January-June of both years: from zero to zero is on track, no percentage.
    "XH07c": {
        "status": "dung_tien_do",
        "actual_value": None,
        "baseline_value": "0.0000",
        "measure_value": "0.0000",
        "status_note": "Năm trước và năm nay đều bằng 0",
    },
    # Criminal offences: 0 in January-June 2021, 1 in 2022: from zero to more is not on track.
    "XH08": {
        "status": "cham_tien_do",
        "actual_value": None,
        "baseline_value": "0.0000",
        "measure_value": "1.0000",
        "status_note": "Năm trước bằng 0, năm nay tăng lên",
    },
    # Health insurance, a ratio of sums over the 16 units that reported (one commune
    # missing): (4.950 + 15 x 975) / (5.000 + 15 x 1.000) = 19.575 / 20.000 = 97,875 %
    # (a mean of the units' rates would be (99 + 15 x 97,5) / 16 = 97,59); pace 98: behind.
    "XH04": {
        "status": "cham_tien_do",
        "actual_value": "97.8750",
        "expected_value_now": "98.0000",
        "measure_value": "97.8750",
        "is_final": True,
        "units": (16, 17),
    },
    # Medical waste, a ratio of flows: (9,5 + 10) / (10 + 10) = 97,5 % against 100 % itself
    # (never pro-rated like a flow): behind.
    "MT04": {
        "status": "cham_tien_do",
        "actual_value": "97.5000",
        "expected_value_now": "100.0000",
        "measure_value": "97.5000",
        "is_final": True,
    },
    # New rural communes: 5 at the end of 2021. In Q2 communes 1-5 report certified (5 is
    # new), commune 0 has not reported and keeps its 2021 flag: 6, one more: reached.
    "KT06": {"status": "dat", "actual_value": "1.0000", "baseline_value": "5.0000", "measure_value": "6.0000"},
    # Health criteria: 14 units at the end of 2021; 10 report in Q2, the 7 others keep their
    # flags (communes 9-12 flagged): 10 + 4 = 14, none more yet: not yet, no pace.
    "XH03": {
        "status": "chua_dat",
        "actual_value": "0.0000",
        "baseline_value": "14.0000",
        "measure_value": "14.0000",
        "expected_value_now": None,
    },
    # New forest: 16 x 5 + 16 x 20 = 400 ha; pace 750 x 6/12 = 375: on pace.
    "MT01": {"status": "dung_tien_do", "actual_value": "400.0000", "expected_value_now": "375.0000"},
    # Anise and camellia: 16 x 6 + 16 x 10 = 256 ha, over 200 for good (a flow), and at least
    # 10 % above it (220): exceeded.
    "MT01a": {"status": "vuot", "actual_value": "256.0000"},
}

COLUMNS = (
    "status", "actual_value", "baseline_value", "baseline_is_prorated", "expected_value_now",
    "measure_value", "is_final", "status_note", "units_reported", "units_expected",
)  # fmt: skip


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture(scope="module")
def mid_year(own_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess:
    from ingest.pipeline import ingest_file

    folder = tmp_path_factory.mktemp("mid-year")
    for n, (office, name, sent, rows) in enumerate(FILES):
        path = folder / name
        path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
        stamp = calendar.timegm(sent.timetuple())
        os.utime(path, (stamp, stamp))
        if n == 0:  # the first through `make ingest`'s command; the others in this process (no start-up each)
            done = subprocess.run(
                [sys.executable, "-m", "ingest", "file", str(path), "--office", office],
                cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=600, check=False,
            )  # fmt: skip
            assert done.returncode == 0, (name, done.stdout, done.stderr[-3000:])
        else:
            assert ingest_file(path, office).status in ("loaded", "loaded_with_warnings"), name
    return subprocess.run(
        [sys.executable, "-m", "runtime", "transform"],
        cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=1800, check=False,
    )  # fmt: skip


def _rows(sql: str, params: tuple = ()) -> list[tuple]:
    conn = psycopg2.connect(settings.admin_url())
    try:
        with conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        conn.close()


def _text(value):
    return str(value) if isinstance(value, Decimal) else value


def test_make_transform_builds_and_its_mart_suite_passes(mid_year) -> None:
    assert mid_year.returncode == 0, (mid_year.stdout[-4000:], mid_year.stderr[-4000:])


def test_every_file_is_loaded_whole(mid_year) -> None:
    got = _rows("select original_name, status, rows_loaded, rows_rejected from audit.ingest_files order by 1")
    expected = sorted((name, len(rows), 0) for _o, name, _s, rows in FILES)
    assert [(n, loaded, rejected) for n, _status, loaded, rejected in got] == expected, got


def test_june_2022_is_the_hand_computed_answer(mid_year) -> None:
    got = {}
    for code, *values in _rows(
        f"select target_code, {', '.join(COLUMNS)} from marts.fct_target_attainment"  # noqa: S608
        " where plan_year = 2022 and as_of_period = '2022-06'"
    ):
        got[code] = dict(zip(COLUMNS, (_text(v) for v in values), strict=True))
    checked = {}
    for code, expected in JUNE.items():
        row_ = got[code]
        checked[code] = {
            key: (row_["units_reported"], row_["units_expected"]) if key == "units" else row_[key] for key in expected
        }
    assert checked == JUNE


def test_june_is_the_last_month_and_the_year_estimate_free_months_are_all_there(mid_year) -> None:
    periods = _rows("select distinct as_of_period from marts.fct_target_attainment where plan_year = 2022 order by 1")
    assert [p for (p,) in periods] == [f"2022-{m:02d}" for m in range(1, 7)]


def test_xh07_is_behind_naming_the_deaths(mid_year) -> None:
    assert _rows(
        "select status, members_on_track, short_target_codes, short_criteria_vi from marts.fct_target_groups"
        " where plan_year = 2022 and group_code = 'XH07' and as_of_period = '2022-06'"
    ) == [("cham_tien_do", 2, "XH07b", "Số người chết do tai nạn giao thông (XH07b): Chậm tiến độ")]


def test_consistency_warnings_leaders_see(mid_year) -> None:
    got = _rows(
        "select check_code, as_of_period, check_status, message_vi from marts.fct_consistency_checks"
        " where plan_year = 2022 and as_of_period in ('2022-03', '2022-06') order by 1, 2"
    )
    assert got == [
        (
            "MT01A_LE_MT01",
            "2022-03",
            "canh_bao",
            # 16 x 6 = 96 ha of anise and camellia against 16 x 5 = 80 ha of all new forest
            "Cảnh báo: diện tích trồng rừng Hồi, Sở lũy kế đến tháng 3/2022 (96 ha) lớn hơn tổng diện tích"
            " trồng rừng mới (80 ha); đề nghị Hạt Kiểm lâm kiểm tra lại số liệu",
        ),
        ("MT01A_LE_MT01", "2022-06", "hop_le", None),  # 256 <= 400
        # no 2022 figure before the Q2 report: nothing to show yet
        (
            "XH03_LUY_KE",
            "2022-03",
            "chua_kiem_tra",
            "Chưa có số liệu xã đạt Bộ tiêu chí quốc gia về Y tế xã đến tháng 3/2022",
        ),
        # mid-year 14 of 15 is information, not a warning (the year is not over)
        ("XH03_LUY_KE", "2022-06", "hop_le", "Lũy kế 14/15 xã đạt Bộ tiêu chí quốc gia về Y tế xã (đến tháng 6/2022)"),
    ]
