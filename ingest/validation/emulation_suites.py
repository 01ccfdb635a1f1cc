"""Great Expectations suites for Phòng Nội vụ's emulation records, one per record kind.

Generated like the submission suites (committed under ``expectations/``, compared with the
catalog by ``python -m transform.suites --check``) and run on a frame of the parsed records with features the
reader and the load computed: the text as written beside each resolved code, and whether a
decision's proposal is known (in the same file or among the year's current proposals).
Refusals are row-level (``rejected``): the row is dropped with a Vietnamese message, the
rest of the file loads.
"""

from __future__ import annotations

import logging
from typing import Any

from core import catalog as catalog_mod
from ingest.emulation.model import CLUSTER, DECISION, KIND_VI, KINDS, PROPOSAL, REGISTRATION, EmulationRow
from ingest.model import ERROR, REJECTED, WARNING, Problem
from ingest.validation import context, messages
from ingest.validation.outcome import ValidationOutcome
from ingest.validation.suites import SuiteBuilder, row_cmp, stable_id, tracked_years

log = logging.getLogger(__name__)

COLUMN_VI = {
    "plan_year": "Năm",
    "cluster_code": "Mã cụm",
    "cluster_name": "Tên cụm",
    "unit_code": "Đơn vị",
    "target_code": "Mã chỉ tiêu",
    "proposal_id": "Mã đề nghị",
    "occasion": "Dịp khen thưởng",
    "nominee_kind": "Đối tượng",
    "person_name": "Họ và tên",
    "person_position": "Chức vụ",
    "award_form": "Hình thức khen thưởng",
    "evidence_targets": "Chỉ tiêu minh chứng",
    "outcome": "Kết quả",
    "new_award_form": "Hình thức mới",
    "decision_number": "Số quyết định",
    "decided_on": "Ngày quyết định",
    "registered_on": "Ngày đăng ký",
    "proposed_on": "Ngày đề nghị",
}
DATE_FIELDS = {CLUSTER: (), REGISTRATION: ("registered_on",), PROPOSAL: ("proposed_on",), DECISION: ("decided_on",)}
WHERE = "Dòng {row} (trang «{sheet}»)"
# Resolved columns and the text they were resolved from: "given" when either is there.
GIVEN = {"unit_code": "unit", "occasion": "occasion", "nominee_kind": "nominee_kind", "outcome": "outcome"}


def suite_name(kind: str) -> str:
    return f"emulation_{kind}"


def _b(kind: str) -> SuiteBuilder:
    return SuiteBuilder(suite_name(kind))


def _add(b: SuiteBuilder, etype: str, key: str, column_vi: str, **kwargs: Any) -> None:
    b.add(etype, key, extra_meta={"column_vi": column_vi}, **kwargs)


def _required(b: SuiteBuilder, column: str, what: str) -> None:
    """Blank cells only: a value written but not understood has its own, clearer refusal."""
    _add(
        b,
        "expect_column_values_to_not_be_null",
        f"not_null:{column}",
        COLUMN_VI[column],
        column=f"{column}_given" if column in GIVEN else column,
        severity=REJECTED,
        rule="missing_value",
        expected="có giá trị",
        message_vi=f"{WHERE} để trống cột «{COLUMN_VI[column]}» ({what}); hãy điền vào rồi gửi lại.",
        message_en=f"Row {{row}} of sheet {{sheet}} has no {column}.",
    )


def _year_checks(b: SuiteBuilder, cat: catalog_mod.Catalog) -> None:
    _required(b, "plan_year", "năm của hồ sơ, ví dụ 2022")
    years = [str(y) for y in cat.plan_years()]
    _add(
        b,
        "expect_column_values_to_be_in_set",
        "plan_year_in_plan",
        "Năm",
        column="plan_year",
        value_set=years,
        severity=REJECTED,
        rule="emulation_unknown_year",
        expected=", ".join(years),
        message_vi=f"{WHERE}: năm «{{plan_year}}» không có kế hoạch thi đua; năm hợp lệ: {', '.join(years)}.",
        message_en="Row {row}: plan year {plan_year} has no plan.",
    )


def _unit_check(b: SuiteBuilder, who: str) -> None:
    _add(
        b,
        "expect_column_values_to_be_null",
        "unit_known",
        "Đơn vị",
        column="unit_text",
        severity=REJECTED,
        rule="emulation_unknown_unit",
        expected="một phòng, ban hoặc xã, thị trấn của huyện",
        message_vi=f"{WHERE}: {who} «{{unit_text}}» không có trong danh mục đơn vị của huyện; hãy chọn đơn vị "
        "trong danh sách của mẫu (tên phòng, ban hoặc tên xã, thị trấn).",
        message_en="Row {row}: unit {unit_text} is not in the catalog.",
    )


def _date_checks(b: SuiteBuilder, kind: str) -> None:
    for fld in DATE_FIELDS[kind]:
        _add(
            b,
            "expect_column_values_to_be_null",
            f"date_readable:{fld}",
            COLUMN_VI[fld],
            column=f"{fld}_text",
            severity=REJECTED,
            rule="emulation_bad_date",
            expected="ngày/tháng/năm, ví dụ 15/06/2022",
            message_vi=f"{WHERE}: «{{{fld}_text}}» ở cột «{COLUMN_VI[fld]}» không phải là ngày; hãy ghi theo "
            "dạng ngày/tháng/năm, ví dụ 15/06/2022.",
            message_en=f"Row {{row}}: {fld} {{{fld}_text}} is not a date.",
        )


def cluster_suite(b: SuiteBuilder, cat: catalog_mod.Catalog) -> None:
    _year_checks(b, cat)
    _required(b, "cluster_code", "mã của cụm thi đua")
    _required(b, "cluster_name", "tên của cụm thi đua")
    _unit_check(b, "đơn vị thành viên")
    _required(b, "unit_code", "đơn vị thành viên của cụm")
    _add(
        b,
        "expect_compound_columns_to_be_unique",
        "one_cluster_per_unit_and_year",
        "Đơn vị thành viên",
        column_list=["plan_year", "unit_code"],
        ignore_row_if="any_value_is_missing",
        severity=REJECTED,
        rule="emulation_unit_in_two_clusters",
        expected="mỗi đơn vị thuộc một cụm trong một năm",
        message_vi=f"{WHERE}: {{unit_name}} được ghi vào nhiều cụm thi đua trong năm {{plan_year}} "
        "({clusters_of_unit}); mỗi đơn vị chỉ thuộc một cụm trong một năm. Các dòng này chưa được nhận: hãy giữ "
        "đơn vị ở đúng một cụm rồi gửi lại.",
        message_en="Row {row}: unit {unit_code} is in several clusters of {plan_year} ({clusters_of_unit}).",
    )


def registration_suite(b: SuiteBuilder, cat: catalog_mod.Catalog) -> None:
    _year_checks(b, cat)
    _unit_check(b, "đơn vị đăng ký")
    _required(b, "unit_code", "đơn vị đăng ký thi đua")
    _add(
        b,
        "expect_column_values_to_be_null",
        "target_known",
        "Mã chỉ tiêu",
        column="target_code_text",
        severity=REJECTED,
        rule="emulation_unknown_target",
        expected="một mã chỉ tiêu của kế hoạch trên mỗi dòng",
        message_vi=f"{WHERE}: mã chỉ tiêu «{{target_code_text}}» không có trong kế hoạch năm {{plan_year}} "
        "(mỗi dòng ghi một mã, ví dụ KT03); hãy chọn mã trong danh sách của mẫu.",
        message_en="Row {row}: target code {target_code_text} is not one of the plan.",
    )
    _add(
        b,
        "expect_column_values_to_be_in_set",
        "target_or_criterion",
        "Mã chỉ tiêu",
        column="has_commitment",
        value_set=[True],
        severity=REJECTED,
        rule="emulation_empty_registration",
        expected="một mã chỉ tiêu hoặc một tiêu chí riêng",
        message_vi=f"{WHERE}: chưa ghi đơn vị đăng ký chỉ tiêu nào; hãy ghi «Mã chỉ tiêu» hoặc «Tiêu chí riêng» "
        "kèm «Thước đo».",
        message_en="Row {row}: neither a target code nor an own criterion.",
    )
    _date_checks(b, REGISTRATION)


def proposal_suite(b: SuiteBuilder, cat: catalog_mod.Catalog) -> None:
    _year_checks(b, cat)
    _required(b, "proposal_id", "mã riêng của đề nghị, ví dụ ĐN-2022-01")
    _add(
        b,
        "expect_compound_columns_to_be_unique",
        "one_row_per_proposal",
        "Mã đề nghị",
        column_list=["plan_year", "proposal_id"],
        ignore_row_if="any_value_is_missing",
        severity=REJECTED,
        rule="emulation_duplicate_proposal",
        expected="mỗi mã đề nghị một dòng",
        message_vi=f"{WHERE}: mã đề nghị «{{proposal_id}}» có ở nhiều dòng; mỗi đề nghị một mã riêng.",
        message_en="Row {row}: proposal id {proposal_id} repeats.",
    )
    _add(
        b,
        "expect_column_values_to_be_null",
        "occasion_known",
        "Dịp khen thưởng",
        column="occasion_text",
        severity=REJECTED,
        rule="emulation_unknown_occasion",
        expected="Sơ kết (giữa năm), Tổng kết (cuối năm), Chuyên đề, Đột xuất",
        message_vi=f"{WHERE}: dịp khen thưởng «{{occasion_text}}» không đúng; hãy chọn Sơ kết (giữa năm), Tổng kết "
        "(cuối năm), Chuyên đề hoặc Đột xuất.",
        message_en="Row {row}: occasion {occasion_text} unknown.",
    )
    _required(b, "occasion", "Sơ kết (giữa năm), Tổng kết (cuối năm), Chuyên đề hoặc Đột xuất")
    _add(
        b,
        "expect_column_values_to_be_null",
        "nominee_known",
        "Đối tượng",
        column="nominee_kind_text",
        severity=REJECTED,
        rule="emulation_unknown_nominee",
        expected="Tập thể hoặc Cá nhân",
        message_vi=f"{WHERE}: đối tượng «{{nominee_kind_text}}» không đúng; hãy chọn Tập thể hoặc Cá nhân.",
        message_en="Row {row}: nominee kind {nominee_kind_text} unknown.",
    )
    _required(b, "nominee_kind", "Tập thể hoặc Cá nhân")
    _unit_check(b, "đơn vị")
    _required(b, "unit_code", "tập thể được đề nghị, hoặc đơn vị công tác của cá nhân")
    _add(
        b,
        "expect_column_values_to_not_be_null",
        "person_named",
        "Họ và tên",
        column="person_name",
        row_condition=row_cmp("nominee_kind", "==", "ca_nhan"),
        severity=REJECTED,
        rule="emulation_person_unnamed",
        expected="họ và tên, chức vụ của cá nhân",
        message_vi=f"{WHERE}: đề nghị khen thưởng cá nhân nhưng chưa ghi «Họ và tên»; hãy ghi họ tên và chức vụ.",
        message_en="Row {row}: an individual proposal without a name.",
    )
    _required(b, "award_form", "hình thức khen thưởng như đơn vị đề nghị, ví dụ Giấy khen của Chủ tịch UBND huyện")
    _add(
        b,
        "expect_column_values_to_be_null",
        "evidence_targets_known",
        "Chỉ tiêu minh chứng",
        column="evidence_targets_text",
        severity=REJECTED,
        rule="emulation_unknown_target",
        expected="mã chỉ tiêu của kế hoạch, cách nhau bằng dấu phẩy",
        message_vi=f"{WHERE}: đề nghị «{{proposal_id}}» nêu chỉ tiêu «{{evidence_targets_text}}» không có trong kế "
        "hoạch năm {plan_year}; hãy ghi mã chỉ tiêu của kế hoạch (ví dụ KT03, XH04), cách nhau bằng dấu phẩy.",
        message_en="Row {row}: proposal {proposal_id} names unknown targets {evidence_targets_text}.",
    )
    _date_checks(b, PROPOSAL)


def decision_suite(b: SuiteBuilder, cat: catalog_mod.Catalog) -> None:
    _year_checks(b, cat)
    _required(b, "proposal_id", "mã của đề nghị được quyết định")
    _add(
        b,
        "expect_column_values_to_be_in_set",
        "proposal_known",
        "Mã đề nghị",
        column="proposal_known",
        value_set=[True],
        row_condition=row_cmp("has_proposal_id", "==", True),
        severity=REJECTED,
        rule="emulation_unknown_proposal",
        expected="mã của một đề nghị đã gửi",
        message_vi=f"{WHERE}: quyết định cho đề nghị «{{proposal_id}}» nhưng không có đề nghị nào mang mã này trong "
        "năm {plan_year}; hãy gửi đề nghị trước (hoặc cùng tệp) hoặc sửa lại mã đề nghị.",
        message_en="Row {row}: decision for unknown proposal {proposal_id}.",
    )
    _add(
        b,
        "expect_compound_columns_to_be_unique",
        "one_decision_per_proposal",
        "Mã đề nghị",
        column_list=["plan_year", "proposal_id"],
        ignore_row_if="any_value_is_missing",
        severity=REJECTED,
        rule="emulation_duplicate_decision",
        expected="mỗi đề nghị một quyết định",
        message_vi=f"{WHERE}: đề nghị «{{proposal_id}}» có nhiều quyết định trong tệp; hãy giữ một dòng.",
        message_en="Row {row}: several decisions for {proposal_id}.",
    )
    _add(
        b,
        "expect_column_values_to_be_null",
        "outcome_known",
        "Kết quả",
        column="outcome_text",
        severity=REJECTED,
        rule="emulation_unknown_outcome",
        expected="Đã duyệt, Không duyệt, Đổi hình thức",
        message_vi=f"{WHERE}: kết quả «{{outcome_text}}» không đúng; hãy chọn Đã duyệt, Không duyệt hoặc Đổi hình "
        "thức.",
        message_en="Row {row}: outcome {outcome_text} unknown.",
    )
    _required(b, "outcome", "Đã duyệt, Không duyệt hoặc Đổi hình thức")
    _add(
        b,
        "expect_column_values_to_not_be_null",
        "new_form_when_changed",
        "Hình thức mới",
        column="new_award_form",
        row_condition=row_cmp("outcome", "==", "doi_hinh_thuc"),
        severity=REJECTED,
        rule="emulation_changed_form_missing",
        expected="hình thức khen thưởng mới",
        message_vi=f"{WHERE}: kết quả «Đổi hình thức» nhưng chưa ghi «Hình thức mới»; hãy ghi hình thức Hội đồng "
        "quyết định.",
        message_en="Row {row}: changed form without the new form.",
    )
    _add(
        b,
        "expect_column_values_to_not_be_null",
        "decision_numbered",
        "Số quyết định",
        column="decision_number",
        severity=WARNING,
        rule="emulation_decision_unnumbered",
        expected="số quyết định, ví dụ 125/QĐ-UBND",
        message_vi=f"{WHERE}: quyết định cho đề nghị «{{proposal_id}}» chưa có số quyết định; nên bổ sung.",
        message_en="Row {row}: decision without a number.",
    )
    _date_checks(b, DECISION)


BUILDERS = {
    CLUSTER: cluster_suite,
    REGISTRATION: registration_suite,
    PROPOSAL: proposal_suite,
    DECISION: decision_suite,
}


def emulation_suite(cat: catalog_mod.Catalog, kind: str) -> dict[str, Any]:
    """The suite that judges one kind of emulation record, as GX suite JSON."""
    b = _b(kind)
    BUILDERS[kind](b, cat)
    return {
        "name": b.name,
        "id": stable_id("suite", b.name),
        "expectations": b.expectations,
        "meta": {
            "generated_by": "python -m transform.suites --write",
            "record_kind": kind,
            "tracked_years": tracked_years(cat),
        },
        "notes": f"Phòng Nội vụ's emulation records: {KIND_VI[kind]}.",
    }


def emulation_suites(cat: catalog_mod.Catalog) -> list[tuple[dict[str, Any], str]]:
    """Every emulation suite with the data asset it runs on (the in-memory frame asset)."""
    return [(emulation_suite(cat, kind), "submission_rows") for kind in KINDS]


def build_frame(kind: str, rows: list[EmulationRow], cat: catalog_mod.Catalog, known_proposals: set[tuple[int, str]]):
    """The frame a suite judges: resolved values, the text as written where unresolved, features."""
    import pandas as pd

    records = []
    for row in rows:
        rec: dict[str, Any] = {"sheet_name": row.sheet_name, "source_row": row.source_row}
        rec["plan_year"] = str(row.plan_year) if row.plan_year else row.unresolved.get("plan_year")
        rec.update({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.values.items()})
        for fld in (
            "unit",
            "target_code",
            "evidence_targets",
            "occasion",
            "nominee_kind",
            "outcome",
            *DATE_FIELDS[kind],
        ):
            rec[f"{fld}_text"] = row.unresolved.get(fld)
        for column, text in GIVEN.items():
            rec[f"{column}_given"] = rec.get(column) or rec.get(f"{text}_text")
        if kind == REGISTRATION:
            given = ("target_code", "criterion")
            rec["has_commitment"] = any(row.values.get(f) for f in given) or "target_code" in row.unresolved
        if kind == DECISION:
            rec["has_proposal_id"] = bool(row.values.get("proposal_id"))
            rec["proposal_known"] = (row.plan_year, row.values.get("proposal_id")) in known_proposals
        unit = row.values.get("unit_code")
        rec["unit_name"] = _unit_name(cat, unit) if unit else row.unresolved.get("unit")
        records.append(rec)
    frame = pd.DataFrame.from_records(records)
    if kind == CLUSTER and not frame.empty:
        grouped = frame.groupby(["plan_year", "unit_code"])["cluster_code"].transform(
            lambda s: ", ".join(sorted({str(v) for v in s if v}))
        )
        frame["clusters_of_unit"] = grouped
    return frame.astype(object).where(frame.notna(), None)


def _unit_name(cat: catalog_mod.Catalog, code: str) -> str:
    office = cat.offices.get(code)
    return office.name_vi if office else messages.unit_label(cat, code)


def validate_kind(
    kind: str, rows: list[EmulationRow], cat: catalog_mod.Catalog, known_proposals: set[tuple[int, str]], label: str
) -> ValidationOutcome:
    """Run the kind's suite on its rows; problems carry severities and Vietnamese messages."""
    from ingest.validation.submission import expectation_summary

    name = suite_name(kind)
    outcome = ValidationOutcome(suite_name=name, rows_checked=len(rows))
    if not rows:
        return outcome
    frame = build_frame(kind, rows, cat, known_proposals)
    results = context.run_checkpoint(name, frame, run_name=f"noivu:{kind}:{label}")
    records = frame.to_dict("records")
    for res in sorted(results, key=lambda r: r.expectation_config.meta.get("key", "")):
        meta = res.expectation_config.meta or {}
        problems = _problems(res, meta, records)
        outcome.problems.extend(problems)
        outcome.results.append(expectation_summary(res, meta, problems))
    outcome.problems.sort(key=lambda p: (p.sheet_name or "", p.source_row or 0, p.rule))
    log.info("Validated %s %s rows of %s: %s problems", len(rows), kind, label, len(outcome.problems))
    return outcome


def _problems(res: Any, meta: dict[str, Any], records: list[dict[str, Any]]) -> list[Problem]:
    if res.success:
        return []
    severity, rule = meta.get("severity", ERROR), meta.get("rule", res.expectation_config.type)
    indices = res.result.get("unexpected_index_list") or []
    if not indices:
        ctx = messages.LenientFields(expected=meta.get("expected", ""))
        return [Problem(ERROR, rule, messages.render(meta["message_vi"], ctx), meta["message_en"])]
    out = []
    for i in indices:
        rec = records[int(i)]
        ctx = messages.LenientFields({k: ("" if v is None else v) for k, v in rec.items()})
        ctx["row"], ctx["sheet"] = rec["source_row"], rec["sheet_name"]
        column = res.expectation_config.kwargs.get("column")
        out.append(
            Problem(
                severity,
                rule,
                messages.render(meta["message_vi"], ctx),
                messages.render(meta["message_en"], ctx),
                sheet_name=rec["sheet_name"],
                source_row=int(rec["source_row"]),
                column_name=meta.get("column_vi") or None,
                value_found=None if column is None or rec.get(column) is None else str(rec.get(column)),
                expected=meta.get("expected") or None,
            )
        )
    return out
