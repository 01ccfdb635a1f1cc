"""The catalog seeds agree with the 2022 spec and with themselves.

The CSVs are the contract with the offices: a dangling indicator code, an office that
cannot submit, or a unit missing on a given day would silently drop figures downstream.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter
from datetime import date

import pytest

from core import catalog
from core.settings import CATALOG_DIR

SPEC_TARGETS_2022 = [
    "KT01", "KT02", "KT03", "KT04", "KT05", "KT06", "KT07", "KT08", "KT09", "KT10",
    "XH01", "XH02", "XH03", "XH04", "XH05", "XH06", "XH07a", "XH07b", "XH07c", "XH08",
    "MT01", "MT01a", "MT02", "MT03", "MT04", "MT05", "MT06",
]  # fmt: skip

# The spec's "Departments and their inbox folders" table, verbatim.
SPEC_OFFICE_INDICATORS = {
    "tckh": {"gross_output_value", "income_per_capita", "budget_revenue"},
    "nnptnt": {
        "sown_area", "star_anise_output", "commune_new_rural_certified", "policy_assessment_nq08",
        "rural_people_hygienic_water", "rural_population",
    },
    "ktht": {"commune_paved_road", "villages_on_grid", "villages_total", "town_people_clean_water", "town_population"},
    "vhtt": {"tourist_visits", "villages_standard_cultural_house"},
    "gddt": {"schools_national_standard"},
    "yte": {"commune_health_criteria", "medical_waste_treated", "medical_waste_generated"},
    "bhxh": {"people_health_insured", "population"},
    "ldtbxh": {"workers_trained", "workers_total", "households_poor", "households_total"},
    "congan": {"traffic_accidents", "traffic_deaths", "traffic_injuries", "criminal_offences"},
    "kiemlam": {"new_forest_area", "new_forest_area_anise_camellia", "forest_cover_rate"},
    "tnmt": {"solid_waste_collected", "solid_waste_generated"},
}  # fmt: skip

SPEC_COMMUNES_2022 = {
    "Thị trấn Văn Quan", "An Sơn", "Bình Phúc", "Điềm He", "Đồng Giáp", "Hòa Bình", "Hữu Lễ", "Khánh Khê",
    "Liên Hội", "Lương Năng", "Tân Đoàn", "Trấn Ninh", "Tràng Các", "Tràng Phái", "Tri Lễ", "Tú Xuyên", "Yên Phúc",
}  # fmt: skip

KINDS = {"at_least", "more_than", "growth_range", "increase_by", "reduce_by_points", "reduce_by_pct", "assessment"}
MEASURES = {"value", "ratio_pct", "share_of_units_pct", "count_flagged"}
SCOPES = {"all", "xa", "thi_tran"}
FILES = ["offices.csv", "indicators.csv", "plan_targets.csv", "admin_units.csv", "admin_unit_aliases.csv"]


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load()


def raw_rows(name: str) -> list[dict[str, str]]:
    """The file as written (no normalisation), so that the NFC test sees the real bytes."""
    with open(CATALOG_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_targets_2022_are_exactly_the_spec_codes_in_order(cat: catalog.Catalog) -> None:
    assert [t.code for t in cat.targets_for(2022)] == SPEC_TARGETS_2022


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("offices.csv", ("office_code",)),
        ("indicators.csv", ("indicator_code",)),
        ("plan_targets.csv", ("plan_year", "target_code")),
        ("plan_targets.csv", ("plan_year", "sort_order")),
        ("admin_units.csv", ("unit_code",)),
    ],
)
def test_codes_are_unique(name: str, key: tuple[str, ...]) -> None:
    counts = Counter(tuple(row[k] for k in key) for row in raw_rows(name))
    assert [k for k, n in counts.items() if n > 1] == []


def test_alias_spellings_are_unique_and_point_to_units(cat: catalog.Catalog) -> None:
    folded = Counter(a.alias.casefold() for a in cat.aliases)
    assert [a for a, n in folded.items() if n > 1] == []
    assert [a.alias for a in cat.aliases if a.unit_code not in cat.units] == []


def test_every_target_names_existing_indicators_and_office(cat: catalog.Catalog) -> None:
    for target in cat.targets:
        assert target.indicator_code in cat.indicators, target.code
        if target.denominator_code is not None:
            assert target.denominator_code in cat.indicators, target.code
        assert target.responsible_office in cat.offices, target.code
        assert cat.offices[target.responsible_office].submits, target.code
        # The office answering for a target is the one that reports its main figure.
        assert cat.indicators[target.indicator_code].office_code == target.responsible_office, target.code


def test_ratio_targets_have_a_denominator_and_others_do_not(cat: catalog.Catalog) -> None:
    for target in cat.targets:
        assert (target.denominator_code is not None) == (target.measure == "ratio_pct"), target.code


def test_kinds_measures_and_scopes_are_known(cat: catalog.Catalog) -> None:
    for target in cat.targets:
        assert target.kind in KINDS, target.code
        assert target.measure in MEASURES, target.code
        assert target.unit_scope in SCOPES, target.code
        assert target.area in {"kinh_te", "xa_hoi", "moi_truong"}, target.code
        assert (target.target_value_high is not None) == (target.kind == "growth_range"), target.code
        if target.measure in {"share_of_units_pct", "count_flagged"}:
            assert cat.indicators[target.indicator_code].value_kind == "flag", target.code


def test_targets_needing_the_previous_year_are_flagged() -> None:
    rows = {r["target_code"]: r for r in raw_rows("plan_targets.csv") if r["plan_year"] == "2022"}
    needing = {code for code, r in rows.items() if r["needs_baseline"] == "true"}
    assert needing == {"KT01", "KT06", "XH01", "XH03", "XH06", "XH07a", "XH07b", "XH07c", "XH08"}
    assert {r["needs_baseline"] for r in rows.values()} == {"true", "false"}


def test_every_indicator_has_one_submitting_owner(cat: catalog.Catalog) -> None:
    owners = Counter(r["indicator_code"] for r in raw_rows("indicators.csv"))
    assert max(owners.values()) == 1
    for ind in cat.indicators.values():
        assert ind.office_code in cat.offices, ind.code
        assert cat.offices[ind.office_code].submits, ind.code


def test_indicator_attributes_are_known(cat: catalog.Catalog) -> None:
    for ind in cat.indicators.values():
        assert ind.level in {"district", "commune"}, ind.code
        assert ind.aggregation in {"flow", "stock"}, ind.code
        assert ind.value_kind in {"amount", "count", "flag", "percent"}, ind.code
        assert ind.frequency in {"monthly", "quarterly", "yearly"}, ind.code
        assert 1 <= ind.due_day <= 28 and 0 <= ind.due_month_offset <= 3, ind.code
        if ind.value_kind == "flag":
            assert {(b.value_min, b.value_max) for b in ind.bounds} == {(0, 1)}, ind.code
        if ind.value_kind == "percent":
            assert {(b.value_min, b.value_max) for b in ind.bounds} == {(0, 100)}, ind.code


def test_offices_and_their_indicators_are_those_of_the_spec(cat: catalog.Catalog) -> None:
    submitting = {code for code, office in cat.offices.items() if office.submits}
    assert submitting == set(SPEC_OFFICE_INDICATORS)
    assert set(cat.offices) == set(SPEC_OFFICE_INDICATORS) | {"noivu"}
    for code, expected in SPEC_OFFICE_INDICATORS.items():
        assert {i.code for i in cat.indicators_of(code)} == expected, code
    assert cat.indicators_of("noivu") == []


def test_every_indicator_is_used_by_a_target(cat: catalog.Catalog) -> None:
    used = {t.indicator_code for t in cat.targets} | {t.denominator_code for t in cat.targets if t.denominator_code}
    assert set(cat.indicators) - used == set()


def test_seventeen_units_on_2022_06_30(cat: catalog.Catalog) -> None:
    units = cat.communes_on(date(2022, 6, 30))
    assert len(units) == 17
    assert {u.name_vi for u in units} == SPEC_COMMUNES_2022
    assert sorted(u.unit_type for u in units).count("thi_tran") == 1
    assert all(u.villages_total and u.villages_total > 0 for u in units)
    assert cat.district().code == "VAN_QUAN"
    assert cat.district().valid_on(date(2022, 6, 30))


def test_merged_units_point_to_a_unit_valid_after_the_merger(cat: catalog.Catalog) -> None:
    for unit in cat.units.values():
        if unit.successor_code:
            successor = cat.units[unit.successor_code]
            assert successor.valid_on(date(2020, 1, 1)), unit.code
            assert unit.valid_to < successor.valid_to, unit.code
        assert unit.valid_from <= unit.valid_to, unit.code
        if unit.unit_type != "huyen":
            assert unit.parent_code == "VAN_QUAN", unit.code
    assert len([u for u in cat.units.values() if u.unit_type != "huyen" and u.valid_on(date(2019, 6, 30))]) == 24


@pytest.mark.parametrize("name", FILES)
def test_all_text_is_nfc(name: str) -> None:
    text = (CATALOG_DIR / name).read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    assert "\ufeff" not in text  # no byte-order mark: dbt seeds would read it into the first header


def test_every_indicator_has_its_levels_with_bounds(cat: catalog.Catalog) -> None:
    keys = Counter((r["indicator_code"], r["unit_type"]) for r in raw_rows("indicator_levels.csv"))
    assert max(keys.values()) == 1
    assert {code for code, _ in keys} == set(cat.indicators)
    for ind in cat.indicators.values():
        assert set(ind.levels) <= {"huyen", "thi_tran", "xa"}, ind.code
        # the obligation's own level is always one the indicator may be given at
        assert ("huyen" in ind.levels) if ind.level == "district" else {"thi_tran", "xa"} <= set(ind.levels)
        for bound in ind.bounds:
            assert bound.value_min < bound.value_max, (ind.code, bound)
        if ind.additive:  # units add up to the district: the district's bound covers any one unit's
            district = ind.bound_at("huyen")
            assert all(b.value_max <= district.value_max for b in ind.bounds), ind.code
    # rates, per-head amounts and yes/no flags never add up over units
    assert {i.code for i in cat.indicators.values() if not i.additive} == {
        "income_per_capita",
        "policy_assessment_nq08",
        "forest_cover_rate",
        "commune_new_rural_certified",
        "commune_paved_road",
        "commune_health_criteria",
    }


def test_every_target_value_lies_inside_its_indicator_bounds_at_the_target_level(cat: catalog.Catalog) -> None:
    # A level target ("reach X", "over X") is the district's own value of its indicator.
    levels = ("at_least", "more_than", "assessment")
    level_targets = [t for t in cat.targets if t.measure == "value" and t.kind in levels]
    assert {t.code for t in level_targets} == {"KT02", "KT03", "KT04", "KT05", "KT08", "KT10", "MT01", "MT01a", "MT02"}
    for target in level_targets:
        bound = cat.indicators[target.indicator_code].bound_at("huyen")
        assert bound is not None, target.code
        assert bound.value_min <= target.target_value <= bound.value_max, target.code
    # The totals the offices really send for the district are inside the district's bounds.
    assert cat.indicators["households_total"].bound_at("huyen").value_max >= 12000
    assert cat.indicators["star_anise_output"].bound_at("huyen").value_max >= 18000


def test_only_running_counts_are_cumulative(cat: catalog.Catalog) -> None:
    # Poor households falling is what XH06 wants: only counts of certified units only grow.
    cumulative = {i.code for i in cat.indicators.values() if i.cumulative}
    assert cumulative == {
        "commune_new_rural_certified",
        "commune_paved_road",
        "commune_health_criteria",
        "schools_national_standard",
        "villages_on_grid",
        "villages_standard_cultural_house",
    }


def test_display_names_start_with_a_capital_and_keep_the_decree_wording_beside(cat: catalog.Catalog) -> None:
    for target in cat.targets:
        assert target.name_vi[:1] == target.name_vi[:1].upper(), target.code
        assert target.decree_text_vi, target.code
    mt01a = next(t for t in cat.targets if t.code == "MT01a")
    # the camellia is "Sở" on screen; the decree's "Sỏ" stays in its own column
    assert mt01a.name_vi == "Trong đó trồng trên 200 ha là rừng Hồi, Sở"
    assert mt01a.decree_text_vi == "trong đó trồng trên 200 ha là rừng Hồi, Sỏ"
