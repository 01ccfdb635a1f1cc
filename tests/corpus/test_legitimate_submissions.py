"""A year of ordinary office files at every level offices really use, through the real path.

Every office sends its 2021 baseline and its 2022 year as legitimate files: district totals
above any one commune's bound, commune breakdowns of district indicators, the town alone,
a district total beside its breakdown. Each file is loaded (never quarantined), dbt builds
the marts, and every target's year-end value equals the answer worked out by hand below.
A second set of files holds what must still be refused, each with a Vietnamese message
that names the cell.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest

from core import catalog, settings
from ingest import pipeline
from transform.dbt_runner import run_dbt

# its figures must not reach the modules after it (they build the marts on their own data)
pytestmark = pytest.mark.usefixtures("own_warehouse")

HEADER = "Mã chỉ tiêu,Đơn vị hành chính,Kỳ báo cáo,Giá trị,Loại số liệu,Ghi chú\n"
TOWN = "Thị trấn Văn Quan"


def _units() -> tuple[list[str], list[str]]:
    """The 16 communes and the town, by name, as offices write them."""
    units = catalog.default().communes_on(date(2022, 6, 30))
    xa = sorted(u.name_vi for u in units if u.unit_type == "xa")
    return xa, [TOWN, *xa]


XA, ALL_UNITS = _units()


def _lines(indicator: str, units: list[str], period: str, values) -> list[str]:
    """One row per unit; ``values`` is one number for all or a function of the unit's position."""
    return [
        f'{indicator},{unit},{period},"{values(i) if callable(values) else values}",chính thức,'
        for i, unit in enumerate(units)
    ]


def _district(indicator: str, period: str, value: str) -> str:
    return f'{indicator},huyện,{period},"{value}",chính thức,'


# office -> file name -> rows. Numbers are written as offices write them: Vietnamese style
# where the column tells its convention (a decimal comma: 32,5) or declares it in the header
# (nnptnt), plain digits elsewhere.
FILES: dict[str, dict[str, list[str]]] = {
    "tckh": {
        "tckh-2022.csv": [
            _district("gross_output_value", "2021", "2.000"),
            _district("gross_output_value", "2022", "2.175"),
            _district("income_per_capita", "2022", "32,5"),
            # budget revenue by commune only: summed for the district (17 x 1.200)
            *_lines("budget_revenue", ALL_UNITS, "2022", "1.200"),
        ]
    },
    "nnptnt": {
        "nnptnt-2022.csv": [
            # both at once: the district total (9.100) counts, the breakdown (17 x 500) feeds the communes
            _district("sown_area", "2022", "9.100"),
            *_lines("sown_area", ALL_UNITS, "2022", "500"),
            _district("star_anise_output", "2022", "18.000"),  # above any commune's bound
            *_lines("commune_new_rural_certified", XA, "2021", lambda i: int(i < 5)),
            *_lines("commune_new_rural_certified", XA, "2022", lambda i: int(i < 6)),
            _district("policy_assessment_nq08", "2022", "1"),
            *_lines("rural_people_hygienic_water", XA, "2022", "990"),
            *_lines("rural_population", XA, "2022", "1.000"),
        ]
    },
    "ktht": {
        "ktht-2022.csv": [
            *_lines("commune_paved_road", XA, "2022", "1"),
            *_lines("villages_on_grid", ALL_UNITS, "2022", "10"),
            *_lines("villages_total", ALL_UNITS, "2022", "10"),
            *_lines("town_people_clean_water", [TOWN], "2022", "4900"),
            *_lines("town_population", [TOWN], "2022", "5000"),
        ]
    },
    "vhtt": {
        "vhtt-2022.csv": [
            _district("tourist_visits", "2022", "5200"),
            *_lines("villages_standard_cultural_house", ALL_UNITS, "2022", "6"),
        ]
    },
    "gddt": {
        # schools stand in communes: a district indicator sent per commune, both years
        "gddt-2021.csv": _lines("schools_national_standard", ALL_UNITS, "2021", lambda i: 2 if i < 10 else 0),
        "gddt-2022.csv": _lines("schools_national_standard", ALL_UNITS, "2022", lambda i: 2 if i < 11 else 0),
    },
    "yte": {
        "yte-2022.csv": [
            *_lines("commune_health_criteria", ALL_UNITS, "2021", lambda i: int(i < 14)),
            *_lines("commune_health_criteria", ALL_UNITS, "2022", lambda i: int(i < 15)),
            _district("medical_waste_treated", "2022", "50"),
            _district("medical_waste_generated", "2022", "50"),
        ]
    },
    "bhxh": {
        "bhxh-2022.csv": [
            *_lines("people_health_insured", ALL_UNITS, "2022", "3920"),
            *_lines("population", ALL_UNITS, "2022", "4000"),
        ]
    },
    "ldtbxh": {
        "ldtbxh-2022.csv": [
            _district("workers_trained", "2022", "21000"),
            _district("workers_total", "2022", "38000"),
            # district totals above a commune's bound (10.000 households)
            _district("households_poor", "2021", "1500"),
            _district("households_total", "2021", "12000"),
            _district("households_poor", "2022", "900"),
            _district("households_total", "2022", "12000"),
        ]
    },
    "congan": {
        "congan-2022.csv": [
            _district("traffic_accidents", "2021", "20"),
            _district("traffic_accidents", "2022", "18"),
            _district("traffic_deaths", "2021", "10"),
            _district("traffic_deaths", "2022", "9"),
            _district("traffic_injuries", "2021", "20"),
            _district("traffic_injuries", "2022", "19"),
            _district("criminal_offences", "2021", "100"),
            _district("criminal_offences", "2022", "97"),
        ]
    },
    "kiemlam": {
        "kiemlam-2022.csv": [
            *_lines("new_forest_area", XA, "2022", "50"),
            *_lines("new_forest_area_anise_camellia", XA, "2022", "15"),
            _district("forest_cover_rate", "2022", "62"),
        ]
    },
    # urban waste is about the town: sent for the town alone
    "tnmt": {
        "tnmt-2022.csv": [
            *_lines("solid_waste_collected", [TOWN], "2022", "1180"),
            *_lines("solid_waste_generated", [TOWN], "2022", "1205"),
        ]
    },
}

# (actual_value, status) in December 2022, worked out by hand from FILES.
YEAR_END = {
    "KT01": ("8.7500", "dat"),  # 2.175 / 2.000 - 1 = 8,75 %, inside 8,5-9
    "KT02": ("32.5000", "dat"),
    "KT03": ("9100.0000", "dat"),  # the district total, not the breakdown's 8.500
    "KT04": ("18000.0000", "dat"),  # below 17.600 x 1,1
    "KT05": ("20400.0000", "dat"),  # 17 x 1.200, under 19.000 x 1,1
    "KT06": ("1.0000", "dat"),  # 6 communes certified, 5 a year before
    "KT07": ("100.0000", "dat"),
    "KT08": ("5200.0000", "dat"),
    "KT09": ("100.0000", "dat"),
    "KT10": ("1.0000", "dat"),
    "XH01": ("2.0000", "dat"),  # 22 schools over the communes, 20 a year before
    "XH02": ("60.0000", "dat"),  # 102 / 170 villages
    "XH03": ("1.0000", "dat"),  # 15 units, 14 a year before
    "XH04": ("98.0000", "dat"),
    "XH05": ("55.2632", "dat"),  # 21.000 / 38.000
    "XH06": ("5.0000", "dat"),  # 12,5 % -> 7,5 %
    "XH07a": ("10.0000", "vuot"),  # 20 -> 18
    "XH07b": ("10.0000", "vuot"),  # 10 -> 9
    "XH07c": ("5.0000", "dat"),  # 20 -> 19
    "XH08": ("3.0000", "dat"),  # 100 -> 97
    "MT01": ("800.0000", "dat"),  # 16 x 50
    "MT01a": ("240.0000", "vuot"),  # 16 x 15, over 200 x 1,1
    "MT02": ("62.0000", "dat"),
    "MT03": ("97.9253", "khong_dat"),  # the town's 1.180 / 1.205
    "MT04": ("100.0000", "dat"),
    "MT05": ("99.0000", "khong_dat"),  # 990 / 1.000 in each commune
    "MT06": ("98.0000", "dat"),  # the town's 4.900 / 5.000
}


# nnptnt's values are all whole thousands ("9.100"): the header declares the convention
DECLARED = {"nnptnt": HEADER.replace("Giá trị", '"Giá trị (1.234,5)"')}


def _write(folder: Path, name: str, rows: list[str], header: str = HEADER) -> Path:
    path = folder / name
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loaded(platform_home: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, pipeline.IngestOutcome]:
    folder = tmp_path_factory.mktemp("offices")
    outcomes = {}
    for office, files in FILES.items():
        for name, rows in files.items():
            outcomes[name] = pipeline.ingest_file(_write(folder, name, rows, DECLARED.get(office, HEADER)), office)
    run_dbt(["build", "--full-refresh"])
    return outcomes


def test_every_legitimate_file_loads_whole(loaded: dict[str, pipeline.IngestOutcome]) -> None:
    got = {name: (outcome.loaded, outcome.rows_loaded, outcome.rows_rejected) for name, outcome in loaded.items()}
    expected = {name: (True, len(rows), 0) for files in FILES.values() for name, rows in files.items()}
    assert got == expected, [o.message_vi for o in loaded.values() if not o.loaded]


def test_a_district_total_beside_a_breakdown_that_differs_is_only_a_warning(
    loaded: dict[str, pipeline.IngestOutcome], admin_conn
) -> None:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select p.rule, p.severity, p.source_row from audit.ingest_problems as p"
            " join audit.ingest_files as f using (file_id) where f.original_name = 'nnptnt-2022.csv'"
            " and p.rule = 'breakdown_mismatch'"
        )
        assert cur.fetchall() == [("breakdown_mismatch", "warning", 2)]


def test_every_target_at_year_end_is_the_hand_computed_answer(loaded, admin_conn) -> None:
    with admin_conn.cursor() as cur:
        cur.execute(
            "select target_code, actual_value, status from marts.fct_target_attainment"
            " where plan_year = 2022 and as_of_period = '2022-12'"
        )
        got = {code: (str(value), status) for code, value, status in cur.fetchall()}
    assert got == YEAR_END


def test_the_breakdown_feeds_the_commune_view(loaded, admin_conn) -> None:
    with admin_conn.cursor() as cur:
        # beside the district total, and for a district indicator sent per commune
        cur.execute(
            "select indicator_code, admin_unit_code, value from marts.fct_commune_indicators"
            " where indicator_code in ('sown_area', 'schools_national_standard') and as_of_period = '2022-12'"
            " and admin_unit_code in ('AN_SON', 'TT_VAN_QUAN') order by 1, 2"
        )
        assert cur.fetchall() == [
            ("schools_national_standard", "AN_SON", Decimal("2.0000")),
            ("schools_national_standard", "TT_VAN_QUAN", Decimal("2.0000")),
            ("sown_area", "AN_SON", Decimal("500.0000")),
            ("sown_area", "TT_VAN_QUAN", Decimal("500.0000")),
        ]


# What must still be refused: (office, rows, [(severity, rule, row, column, message_vi)]).
REFUSED = {
    # a name the catalog does not know: the file comes back, the cell named
    "unknown-unit.csv": (
        "ldtbxh",
        [_district("households_total", "2022", "12000"), 'households_total,Xã Không Có,2022,"700",chính thức,'],
        [
            (
                "error",
                "unknown_admin_unit",
                3,
                "Đơn vị hành chính",
                "Trang “unknown-unit.csv”, dòng 3, cột “Đơn vị hành chính” (ô B3): đơn vị hành chính “Xã Không Có” "
                "không có trong danh mục xã, thị trấn của huyện Văn Quan. Hãy ghi đúng tên xã, thị trấn (ví dụ: "
                "Liên Hội, Thị trấn Văn Quan) hoặc ghi “Huyện” cho số liệu toàn huyện.",
            )
        ],
    ),
    "another-office.csv": (
        "tnmt",
        [*_lines("solid_waste_collected", [TOWN], "2022", "1180"), _district("tourist_visits", "2022", "5200")],
        [
            (
                "rejected",
                "indicator_not_owned",
                3,
                "mã chỉ tiêu",
                "Chỉ tiêu «Lượt khách du lịch» (tourist_visits) ở dòng 3 thuộc Phòng Văn hóa và Thông tin, không "
                "phải đơn vị của bạn (Phòng Tài nguyên và Môi trường); hãy gửi số liệu này cho Phòng Văn hóa và "
                "Thông tin.",
            )
        ],
    ),
    # units of two periods in one breakdown: Phú Mỹ was merged into Liên Hội on 1 January
    # 2020, so its row is Liên Hội's a second time (row 4 also carries the renaming warning)
    "two-years-of-units.csv": (
        "gddt",
        [
            *_lines("schools_national_standard", ["An Sơn", "Liên Hội"], "2022", "2"),
            'schools_national_standard,Phú Mỹ,2022,"1",chính thức,',
        ],
        [
            (
                "rejected",
                "duplicate_key",
                row,
                None,
                "Số liệu «Số trường đạt chuẩn quốc gia» của xã Liên Hội, năm 2022 (chính thức) có ở nhiều dòng "
                "(dòng 3, dòng 4); hãy giữ lại một dòng duy nhất.",
            )
            for row in (3, 4)
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_must_be_refused_is_refused_naming_the_cell(name: str, platform_home: Path, tmp_path: Path) -> None:
    office, rows, expected = REFUSED[name]
    outcome = pipeline.ingest_file(_write(tmp_path, name, rows), office)
    # only the refused rows are lost; an error returns the whole file
    loaded = 0 if expected[0][0] == "error" else len(rows) - len(expected)
    assert (outcome.rows_loaded, outcome.loaded) == (loaded, loaded > 0)
    with psycopg2.connect(**settings.role_dsn("loader")) as conn, conn.cursor() as cur:
        cur.execute(
            "select severity, rule, source_row, column_name, message_vi from audit.ingest_problems"
            " where file_id = %s and severity != 'warning' order by source_row",
            (outcome.file_id,),
        )
        assert cur.fetchall() == expected
    conn.close()
