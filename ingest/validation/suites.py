"""Generate the Great Expectations suites (and their validation definitions and checkpoints)
from the catalog.

The suites' value sets and ranges come from the catalog, so they are generated, committed
and compared with the catalog by a test rather than edited by hand. Each expectation carries
in ``meta`` what the platform needs to act on a failure: ``severity`` (error | rejected |
warning), a stable ``rule`` code and Vietnamese/English message templates whose
``{placeholders}`` are filled per row at run time (see ``ingest.validation.messages``).
Identifiers are UUIDv5 of stable keys, so regenerating gives byte-identical files; the files
themselves are written by ``ingest.validation.project``.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from core import catalog as catalog_mod
from ingest.model import ERROR, REJECTED, WARNING

NAMESPACE = uuid.UUID("0b6f3f0e-6a0e-4d8e-9a57-2f1e0c9d7a10")
DATASOURCE = {"id": "6f0c1a52-3c1e-4c1b-9d0a-7a1b2c3d4e01", "name": "platform_frames"}
ASSETS = {
    "submission_rows": ("6f0c1a52-3c1e-4c1b-9d0a-7a1b2c3d4e02", "6f0c1a52-3c1e-4c1b-9d0a-7a1b2c3d4e03"),
    "mart_attainment": ("6f0c1a52-3c1e-4c1b-9d0a-7a1b2c3d4e04", "6f0c1a52-3c1e-4c1b-9d0a-7a1b2c3d4e05"),
}
BATCH_DEFINITION = "whole_frame"
MART_SUITE = "mart_target_attainment"

# Defaults of the plausibility checks; a suite keeps them in its meta, callers may override.
PLAUSIBILITY = {"mad_k": 6, "min_points": 4, "jump_factor": 3}

# Columns of the submission frame, named as the office sees them in its file.
COLUMN_VI = {
    "indicator_code": "mã chỉ tiêu",
    "admin_unit_code": "đơn vị hành chính",
    "period_code": "kỳ báo cáo",
    "period_year": "kỳ báo cáo",
    "value": "giá trị",
    "value_type": "loại số liệu",
}
REQUIRED_COLUMNS = ("indicator_code", "admin_unit_code", "period_code", "value", "value_type")
COLUMN_TYPES = {
    "indicator_code": "str",
    "admin_unit_code": "str",
    "period_code": "str",
    "value_type": "str",
    "value": "float64",
    "period_year": "str",
}
VALUE_TYPES = ("estimate", "actual")


def submission_suite_name(office_code: str) -> str:
    return f"submission_{office_code}"


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def row_in(column: str, values: list[Any]) -> dict[str, Any]:
    """A GX row condition (serialised ``Column(column).is_in(values)``)."""
    return {"type": "comparison", "column": {"name": column}, "operator": "IN", "parameter": list(values)}


def row_cmp(column: str, operator: str, value: Any) -> dict[str, Any]:
    """A GX row condition ``Column(column) <operator> value`` (operator ``==`` or ``!=``)."""
    return {"type": "comparison", "column": {"name": column}, "operator": operator, "parameter": value}


def row_and(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"type": "and", "conditions": list(conditions)}


class SuiteBuilder:
    """Collects expectations as plain GX configurations with our meta."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.expectations: list[dict[str, Any]] = []

    def add(
        self,
        expectation_type: str,
        key: str,
        *,
        severity: str,
        rule: str,
        message_vi: str,
        message_en: str,
        scope: str = "row",
        expected: str = "",
        extra_meta: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        meta = {
            "key": key,
            "rule": rule,
            "severity": severity,
            "scope": scope,
            "column_vi": COLUMN_VI.get(kwargs.get("column") or kwargs.get("column_B") or "", ""),
            "expected": expected,
            "message_vi": message_vi,
            "message_en": message_en,
            **(extra_meta or {}),
        }
        self.expectations.append(
            {"type": expectation_type, "id": stable_id(self.name, key), "kwargs": kwargs, "meta": meta}
        )


def _num(value: Any) -> str:
    """Plain text of a catalog number (no exponent, no trailing zeros)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _table_checks(b: SuiteBuilder) -> None:
    for column in REQUIRED_COLUMNS:
        b.add(
            "expect_column_to_exist",
            f"column_exists:{column}",
            column=column,
            severity=ERROR,
            rule="missing_column",
            scope="table",
            expected=COLUMN_VI[column],
            message_vi=f"Tệp thiếu cột «{COLUMN_VI[column]}»; hãy dùng đúng mẫu báo cáo.",
            message_en=f"Column {column} is missing.",
        )
    for column, type_ in COLUMN_TYPES.items():
        b.add(
            "expect_column_values_to_be_of_type",
            f"column_type:{column}",
            column=column,
            type_=type_,
            severity=ERROR,
            rule="wrong_type",
            scope="table",
            expected=type_,
            message_vi=f"Cột «{COLUMN_VI[column]}» có dữ liệu sai kiểu; hãy kiểm tra lại định dạng cột này.",
            message_en=f"Column {column} is not of type {type_}.",
        )
    for column in REQUIRED_COLUMNS:
        b.add(
            "expect_column_values_to_not_be_null",
            f"not_null:{column}",
            column=column,
            severity=REJECTED,
            rule="missing_value",
            expected="có giá trị",
            message_vi=f"Dòng {{row}} (trang «{{sheet}}») để trống cột «{COLUMN_VI[column]}»; hãy điền vào.",
            message_en=f"Row {{row}} of sheet {{sheet}} has no {column}.",
        )


def _identity_checks(b: SuiteBuilder, cat: catalog_mod.Catalog, office: catalog_mod.Office, years: list[int]) -> None:
    all_codes = sorted(cat.indicators)
    own_codes = sorted(i.code for i in cat.indicators_of(office.code))
    b.add(
        "expect_column_values_to_be_in_set",
        "indicator_in_catalog",
        column="indicator_code",
        value_set=all_codes,
        severity=REJECTED,
        rule="unknown_indicator",
        expected="một mã chỉ tiêu trong danh mục",
        message_vi="Mã chỉ tiêu «{value_found}» ở dòng {row} không có trong danh mục; hãy dùng mã chỉ tiêu trong mẫu "
        f"báo cáo của {office.name_vi} ({', '.join(own_codes)}).",
        message_en="Indicator code {value_found} (row {row}) is not in the catalog.",
    )
    b.add(
        "expect_column_values_to_be_in_set",
        "indicator_owned",
        column="indicator_code",
        value_set=own_codes,
        row_condition=row_in("indicator_code", all_codes),
        severity=REJECTED,
        rule="indicator_not_owned",
        expected=", ".join(own_codes),
        message_vi="Chỉ tiêu «{indicator_name}» ({indicator}) ở dòng {row} thuộc {owner_office_vi}, không phải đơn vị "
        "của bạn ({office_vi}); hãy gửi số liệu này cho {owner_office_vi}.",
        message_en="Indicator {indicator} (row {row}) belongs to office {owner_office}, not {office}.",
    )
    unit_codes = sorted(cat.units)
    b.add(
        "expect_column_values_to_be_in_set",
        "unit_in_catalog",
        column="admin_unit_code",
        value_set=unit_codes,
        severity=REJECTED,
        rule="unknown_admin_unit",
        expected="một xã, thị trấn của huyện hoặc «huyện»",
        message_vi="Đơn vị hành chính «{value_found}» ở dòng {row} không có trong danh mục; hãy ghi tên xã, thị trấn "
        "hoặc «huyện».",
        message_en="Admin unit {value_found} (row {row}) is not in the catalog.",
    )
    b.add(
        "expect_column_values_to_be_in_set",
        "period_in_plan",
        column="period_year",
        value_set=[str(y) for y in years],
        severity=REJECTED,
        rule="period_out_of_plan",
        expected=", ".join(str(y) for y in years),
        message_vi="Kỳ báo cáo {period_vi} ở dòng {row} nằm ngoài các năm được theo dõi ("
        + ", ".join(str(y) for y in years)
        + "); hãy kiểm tra lại cột «kỳ báo cáo».",
        message_en="Period {period} (row {row}) is outside the plan and baseline years.",
    )
    # A unit counts for a year when it is valid all year long (the catalog changes at year ends).
    # One column "<unit> <year>" rather than a column pair: GX checks pairs row by row in Python.
    unit_years = sorted(
        f"{code} {year}"
        for code, unit in cat.units.items()
        for year in years
        if unit.valid_on(date(year, 1, 1)) and unit.valid_on(date(year, 12, 31))
    )
    b.add(
        "expect_column_values_to_be_in_set",
        "unit_valid_in_period",
        column="unit_in_year",
        value_set=unit_years,
        extra_meta={"value_column": "admin_unit_code", "column_vi": COLUMN_VI["admin_unit_code"]},
        severity=REJECTED,
        rule="admin_unit_not_valid",
        expected="đơn vị còn tồn tại trong kỳ báo cáo",
        message_vi="Đơn vị {unit_name} (dòng {row}) không còn tồn tại trong {period_vi}{successor_hint}; hãy "
        "ghi số liệu "
        "cho đơn vị hành chính hiện hành.",
        message_en="Admin unit {unit} (row {row}) is not valid in period {period}.",
    )
    b.add(
        "expect_column_values_to_be_in_set",
        "value_type_known",
        column="value_type",
        value_set=list(VALUE_TYPES),
        severity=REJECTED,
        rule="unknown_value_type",
        expected="ước hoặc chính thức",
        message_vi="Loại số liệu «{value_found}» ở dòng {row} không hợp lệ; hãy ghi «ước» hoặc «chính thức».",
        message_en="Value type {value_found} (row {row}) is neither estimate nor actual.",
    )
    # Every indicator's levels (not only the office's own): another office's indicator is
    # refused once, by indicator_owned, not a second time for its level.
    allowed = sorted(f"{i.code} {level}" for i in cat.indicators.values() for level in i.levels)
    b.add(
        "expect_column_values_to_be_in_set",
        "level_allowed",
        column="indicator_level",
        value_set=allowed,
        extra_meta={"value_column": "admin_unit_code", "column_vi": COLUMN_VI["admin_unit_code"]},
        severity=REJECTED,
        rule="wrong_level",
        expected="cấp báo cáo của chỉ tiêu",
        message_vi="Chỉ tiêu «{indicator_name}» chỉ báo cáo cho {levels_vi}; dòng {row} lại ghi cho {unit_name}. "
        "Hãy ghi số liệu cho đúng cấp này.",
        message_en="Indicator {indicator} is not reported for {unit} (row {row}); levels: {levels}.",
    )


def _value_checks(b: SuiteBuilder, cat: catalog_mod.Catalog, office: catalog_mod.Office) -> None:
    own = sorted(cat.indicators_of(office.code), key=lambda i: i.code)
    for ind, bound in ((i, b) for i in own for b in i.bounds):
        low, high = bound.value_min, bound.value_max
        if ind.value_kind == "percent":
            low, high = max(low, 0), min(high, 100)
        b.add(
            "expect_column_values_to_be_between",
            f"value_range:{ind.code}:{bound.unit_type}",
            column="value",
            min_value=float(low),
            max_value=float(high),
            row_condition=row_cmp("indicator_level", "==", f"{ind.code} {bound.unit_type}"),
            severity=REJECTED,
            rule="value_out_of_range",
            expected=f"{_num(low)}–{_num(high)}",
            message_vi=f"Giá trị {{value}} của chỉ tiêu «{ind.name_vi}» ({{unit_name}}, {{period_vi}}, dòng "
            f"{{row}}) nằm "
            f"ngoài khoảng hợp lệ {{expected}} ({ind.unit}); hãy kiểm tra lại số và đơn vị tính.",
            message_en=f"Value {{value}} of {ind.code} (row {{row}}) is outside {_num(low)}..{_num(high)}.",
        )
    whole = [i.code for i in own if i.value_kind in ("count", "flag")]
    if whole:
        b.add(
            "expect_column_values_to_be_between",
            "value_whole",
            column="value_fraction",
            min_value=0.0,
            max_value=0.0,
            row_condition=row_in("indicator_code", whole),
            severity=REJECTED,
            rule="value_not_whole",
            expected="số nguyên",
            message_vi="Giá trị {value} của chỉ tiêu «{indicator_name}» (dòng {row}) phải là số nguyên vì đây "
            "là số đếm; "
            "hãy bỏ phần thập phân hoặc kiểm tra dấu chấm, dấu phẩy.",
            message_en="Value {value} of {indicator} (row {row}) must be a whole number.",
        )
    flags = [i.code for i in own if i.value_kind == "flag"]
    if flags:
        b.add(
            "expect_column_values_to_be_in_set",
            "flag_zero_one",
            column="value",
            value_set=[0.0, 1.0],
            row_condition=row_in("indicator_code", flags),
            severity=REJECTED,
            rule="flag_not_0_1",
            expected="0 hoặc 1",
            message_vi="Chỉ tiêu «{indicator_name}» chỉ nhận 1 (đạt/có) hoặc 0 (chưa đạt/không); giá trị "
            "{value} ở dòng "
            "{row} không hợp lệ.",
            message_en="Flag {indicator} (row {row}) must be 0 or 1, found {value}.",
        )
    pairs = numerator_pairs(cat, office.code)
    if pairs:
        b.add(
            "expect_column_pair_values_a_to_be_greater_than_b",
            "numerator_le_denominator",
            column_A="denominator_value",
            column_B="value",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity=REJECTED,
            rule="numerator_exceeds_denominator",
            expected="không lớn hơn mẫu số",
            message_vi="«{indicator_name}» = {value} lớn hơn «{denominator_name}» = {denominator_value} "
            "({unit_name}, {period_vi}, dòng {row}); phần không thể lớn hơn tổng, hãy kiểm tra lại cả hai số.",
            message_en="{indicator}={value} exceeds {denominator}={denominator_value} (row {row}).",
            extra_meta={"pairs": [list(p) for p in pairs]},
        )
    if any(i.additive for i in own):
        b.add(
            "expect_column_pair_values_to_be_equal",
            "district_total_matches_units",
            column_A="value",
            column_B="breakdown_total",
            ignore_row_if="either_value_is_missing",
            severity=WARNING,
            rule="breakdown_mismatch",
            expected="bằng tổng các xã, thị trấn",
            message_vi="Số liệu toàn huyện của «{indicator_name}», {period_vi} ({value_type_vi}) là {value} "
            "(dòng {row}), khác tổng của các xã, thị trấn là {breakdown_total}. Số toàn huyện được dùng cho "
            "cả huyện, số từng xã dùng cho báo cáo theo xã; hãy kiểm tra lại cho khớp.",
            message_en="District total {indicator} {period} = {value} (row {row}) differs from the units' sum "
            "{breakdown_total}.",
        )
    b.add(
        "expect_compound_columns_to_be_unique",
        "one_row_per_key",
        column_list=["indicator_code", "admin_unit_code", "period_code", "value_type"],
        severity=REJECTED,
        rule="duplicate_key",
        expected="mỗi chỉ tiêu, đơn vị, kỳ, loại số liệu một dòng",
        message_vi="Số liệu «{indicator_name}» của {unit_name}, {period_vi} ({value_type_vi}) có ở nhiều dòng "
        "({dup_rows}); "
        "hãy giữ lại một dòng duy nhất.",
        message_en="Key {indicator}/{unit}/{period}/{value_type} repeats on rows {dup_rows}.",
    )


def numerator_pairs(cat: catalog_mod.Catalog, office_code: str) -> list[tuple[str, str]]:
    """(numerator, denominator) pairs of ratio targets that the office submits both of."""
    own = {i.code for i in cat.indicators_of(office_code)}
    return sorted(
        {
            (t.indicator_code, t.denominator_code)
            for t in cat.targets
            if t.measure == "ratio_pct" and t.denominator_code and {t.indicator_code, t.denominator_code} <= own
        }
    )


def unit_scopes(cat: catalog_mod.Catalog) -> dict[str, str]:
    """Which units a commune-level indicator must cover: the widest scope of the targets using it."""
    rank = {"thi_tran": 0, "xa": 1, "all": 2}
    scopes: dict[str, str] = {}
    for t in cat.targets:
        for code in (t.indicator_code, t.denominator_code):
            if code and (code not in scopes or rank[t.unit_scope] > rank[scopes[code]]):
                scopes[code] = t.unit_scope
    return {code: scope for code, scope in scopes.items() if cat.indicators[code].level == "commune"}


def _plausibility_checks(b: SuiteBuilder, cat: catalog_mod.Catalog, office: catalog_mod.Office) -> None:
    own = sorted(cat.indicators_of(office.code), key=lambda i: i.code)
    scopes = unit_scopes(cat)
    commune = [i.code for i in own if i.level == "commune"]
    if commune:
        b.add(
            "expect_column_pair_values_to_be_equal",
            "commune_coverage",
            column_A="units_reported",
            column_B="units_expected",
            ignore_row_if="either_value_is_missing",
            severity=WARNING,
            rule="commune_coverage",
            scope="group",
            expected="đủ các xã, thị trấn",
            message_vi="Chỉ tiêu «{indicator_name}», {period_vi} ({value_type_vi}) mới có số liệu của {units_reported}/"
            "{units_expected} đơn vị; còn thiếu: {missing_units}. Hãy bổ sung số liệu của các đơn vị này.",
            message_en="{indicator} {period}: {units_reported} of {units_expected} units reported; missing {missing}.",
            extra_meta={"unit_scope": {c: scopes.get(c, "all") for c in commune}},
        )
    for bound, column_a, column_b in (("low", "value", "hist_low"), ("high", "hist_high", "value")):
        b.add(
            "expect_column_pair_values_a_to_be_greater_than_b",
            f"history_{bound}",
            column_A=column_a,
            column_B=column_b,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity=WARNING,
            rule="outlier_history",
            expected="trong khoảng thường gặp của đơn vị",
            message_vi="Giá trị {value} của «{indicator_name}» – {unit_name}, {period_vi} (dòng {row}) khác xa "
            "các kỳ trước "
            "của chính đơn vị này (thường từ {hist_low} đến {hist_high}); hãy kiểm tra lại, nếu đúng thì ghi lý do vào "
            "cột ghi chú.",
            message_en="{indicator} {unit} {period} = {value} is far from the unit's history [{hist_low}, "
            "{hist_high}].",
        )
    if commune:
        for bound, column_a, column_b in (("low", "value", "peer_low"), ("high", "peer_high", "value")):
            b.add(
                "expect_column_pair_values_a_to_be_greater_than_b",
                f"peers_{bound}",
                column_A=column_a,
                column_B=column_b,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=WARNING,
                rule="outlier_peers",
                expected="gần với các xã, thị trấn khác",
                message_vi="Giá trị {value} của «{indicator_name}» – {unit_name}, {period_vi} (dòng {row}) khác "
                "xa các xã, "
                "thị trấn khác cùng kỳ (thường từ {peer_low} đến {peer_high}); hãy kiểm tra lại, nếu đúng thì "
                "ghi lý do "
                "vào cột ghi chú.",
                message_en="{indicator} {unit} {period} = {value} is far from the other units [{peer_low}, "
                "{peer_high}].",
            )
    monthly_flows = [i.code for i in own if i.aggregation == "flow" and i.frequency == "monthly"]
    if monthly_flows:
        for bound, column_a, column_b in (("low", "value", "jump_low"), ("high", "jump_high", "value")):
            b.add(
                "expect_column_pair_values_a_to_be_greater_than_b",
                f"monthly_jump_{bound}",
                column_A=column_a,
                column_B=column_b,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                severity=WARNING,
                rule="monthly_jump",
                expected="không đột biến so với tháng trước",
                message_vi="Giá trị {value} của «{indicator_name}» – {unit_name}, {period_vi} (dòng {row}) "
                "thay đổi đột "
                "biến so với tháng trước ({prev_value}); hãy kiểm tra lại, nếu đúng thì ghi lý do vào cột ghi chú.",
                message_en="{indicator} {unit} {period} = {value} jumps versus the previous month ({prev_value}).",
            )
    if any(i.cumulative for i in own):
        b.add(
            "expect_column_pair_values_a_to_be_greater_than_b",
            "cumulative_not_down",
            column_A="value",
            column_B="prev_stock",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            severity=WARNING,
            rule="cumulative_decrease",
            expected="không nhỏ hơn kỳ trước",
            message_vi="Số lũy kế «{indicator_name}» – {unit_name}, {period_vi} (dòng {row}) là {value}, giảm "
            "so với kỳ "
            "trước ({prev_value}); hãy kiểm tra lại, nếu đúng thì ghi lý do vào cột ghi chú.",
            message_en="Cumulative {indicator} {unit} {period} = {value} is below the previous period ({prev_value}).",
        )


def tracked_years(cat: catalog_mod.Catalog) -> list[int]:
    """Plan years and their baseline (previous) years."""
    return sorted({y for plan in cat.plan_years() for y in (plan - 1, plan)})


def submission_suite(cat: catalog_mod.Catalog, office_code: str) -> dict[str, Any]:
    """The suite that judges one office's submission, as GX suite JSON."""
    office = cat.offices[office_code]
    years = tracked_years(cat)
    b = SuiteBuilder(submission_suite_name(office_code))
    _table_checks(b)
    _identity_checks(b, cat, office, years)
    _value_checks(b, cat, office)
    _plausibility_checks(b, cat, office)
    return {
        "name": b.name,
        "id": stable_id("suite", b.name),
        "expectations": b.expectations,
        "meta": {
            "generated_by": "python -m transform.suites --write",
            "office_code": office_code,
            "tracked_years": years,
            "plausibility": dict(PLAUSIBILITY),
        },
        "notes": f"Submissions of {office.name_en} ({office.name_vi}).",
    }
