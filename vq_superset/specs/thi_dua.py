"""Dashboard "Thi đua - Khen thưởng": clusters and their ranking, registrations against
results, commendation proposals with their evidence checked, and the Council's decisions.

Who sees which rows is vq_superset/access.py's business: Phòng Nội vụ and the leaders see
everything; an office sees its own registrations and proposals; names and positions of
individuals are only in the people chart, whose rows only Phòng Nội vụ and the leaders get.
"""

from __future__ import annotations

import csv

from core.settings import CATALOG_DIR
from vq_superset.datasets import (
    EMULATION_PEOPLE,
    EMULATION_PROPOSALS,
    EMULATION_RANKING,
    EMULATION_REGISTRATIONS,
    LATEST_PERIOD,
    RANKING,
)
from vq_superset.model import Chart, Dashboard, Filter, Markdown, Metric, Where, nfc
from vq_superset.specs._common import ranked_bars

NO_FORMULA = "Quyết định 10/PĐ-UBND không quy định công thức xếp hạng; đây là cách tính tham khảo của nền tảng. "
IN_CLUSTER = (
    "Trong cụm: xếp theo tổng điểm, cao trước, điểm bằng nhau cùng hạng; đơn vị chưa có điểm là «Chưa xếp hạng»."
)


def method_parts(entity_type: str) -> list[str]:
    """The ranking's components for one kind of unit, from the seed dbt also reads (method_vi)."""
    with (CATALOG_DIR / "ranking_method.csv").open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["entity_type"] == entity_type]
    rows.sort(key=lambda r: (-float(r["weight"]), r["component"]))
    return [f"{r['name_vi']} (trọng số {round(100 * float(r['weight']))}%): {r['description_vi']}" for r in rows]


def ranking_method_vi(entity_type: str) -> str:
    """The ranking's method in Vietnamese (marts column method_vi says the same)."""
    return nfc(NO_FORMULA + " ".join(method_parts(entity_type)))


def method_markdown() -> str:
    """The method beside the ranking, and who sees what on this dashboard."""
    offices = "\n".join(f"  - {part}" for part in method_parts("phong"))
    communes = "\n".join(f"  - {part}" for part in method_parts("xa"))
    return nfc(
        "### Cách xếp hạng (tham khảo) và ai xem được gì\n\n"
        f"{NO_FORMULA}\n\n"
        f"- **Phòng, ban:**\n{offices}\n"
        f"- **Xã, thị trấn:**\n{communes}\n"
        f"- **{IN_CLUSTER}**\n\n"
        "Đề nghị khen thưởng «Cần xem lại»: số liệu đến tháng xét (tháng 6 cho sơ kết, tháng 12 cho tổng kết) "
        "chưa chứng minh được đề nghị: chỉ tiêu nêu làm minh chứng chưa đạt, chưa đúng tiến độ, "
        "hoặc phòng, ban còn kỳ báo cáo chưa nộp.\n\n"
        "Phòng Nội vụ và lãnh đạo xem toàn bộ; mỗi phòng, ban xem đăng ký thi đua và đề nghị khen thưởng "
        "của chính mình; họ tên, chức vụ cá nhân được đề nghị chỉ Phòng Nội vụ và lãnh đạo xem được."
    )


METHOD = Markdown(key="emulation_method", text=method_markdown(), height=42)

CLUSTER_BARS = ranked_bars(
    key="emulation_cluster_bars",
    uuid="0f5e2b8c-3d71-5a94-b6c2-1e9d8f7a6b51",
    name="Xếp hạng trong cụm thi đua: tổng điểm (tham khảo)",
    dataset=EMULATION_RANKING,
    category="ranked_unit_vi",
    metric=Metric("MAX(total_score)", "Tổng điểm"),
    description=nfc(IN_CLUSTER),
)

CLUSTER_TABLE = Chart(
    key="emulation_cluster_members",
    uuid="2a6c9e14-5b83-5f07-8d3a-4c1b0e9f8a62",
    name="Cụm thi đua: thành viên, điểm và hạng trong cụm",
    dataset=EMULATION_RANKING,
    viz="table",
    params={
        "columns": (
            "cluster_name",
            "rank_vi",
            "unit_name",
            "head_vi",
            "attainment_score",
            "reporting_score",
            "total_score",
        ),
        "order": (("cluster_name", True), ("rank_in_cluster", True), ("unit_name", True)),
    },
    # the method is the text above the charts (method_vi of the mart, as one text, not per row)
    description=nfc(IN_CLUSTER),
    height=70,
)

REGISTRATION_BARS = Chart(
    key="emulation_registration_bars",
    uuid="4c8e1a36-7d95-5b29-9f4c-6e3d2b1a0c73",
    name="Đăng ký thi đua: chỉ tiêu đăng ký theo kết quả hiện nay",
    dataset=EMULATION_REGISTRATIONS,
    viz="echarts_timeseries_bar",
    params={
        "x_axis": "unit_name",
        "groupby": ("status_vi",),
        "metrics": (Metric("COUNT(*)", "Số chỉ tiêu đăng ký"),),
        "horizontal": True,
        "stacked": True,
    },
)

REGISTRATION_TABLE = Chart(
    key="emulation_registrations",
    uuid="6e0a3c58-9f17-5d4b-a1e6-8a5f4d3c2e84",
    name="Đăng ký thi đua và kết quả đến tháng",
    dataset=EMULATION_REGISTRATIONS,
    viz="table",
    params={
        "columns": (
            "unit_name",
            "registered_on",
            "commitment_vi",
            "judged_on_vi",
            "status_vi",
            "actual_value",
            "expected_value_now",
            "target_value",
            "attainment_pct",
        ),
        "order": (("unit_name", True), ("commitment_vi", True)),
        "status_column": "status_vi",
    },
)

PROPOSALS = Chart(
    key="emulation_proposals",
    uuid="8a2c5e7a-1b39-5f6d-b3a8-0c7b6f5e4a95",
    name="Đề nghị khen thưởng, minh chứng và kết quả xét",
    dataset=EMULATION_PROPOSALS,
    viz="table",
    params={
        "columns": (
            "proposal_id",
            "occasion_vi",
            "nominee_kind_vi",
            "nominee_vi",
            "award_form",
            "evidence_targets",
            "evidence_month_vi",
            "targets_supported_vi",
            "reporting_vi",
            "evidence_check_vi",
            "evidence_note_vi",
            "state_vi",
        ),
        # the proposals the figures do not bear out first
        "order": (("evidence_flag", False), ("proposal_id", True)),
    },
)

DECISIONS = Chart(
    key="emulation_decisions",
    uuid="9b3d6f8b-2c4a-5e7f-84b9-1d8c7a6f5b06",
    name="Quyết định của Hội đồng Thi đua - Khen thưởng",
    dataset=EMULATION_PROPOSALS,
    viz="table",
    params={
        "columns": (
            "decision_number",
            "decided_on",
            "proposal_id",
            "nominee_vi",
            "award_form",
            "state_vi",
            "final_award_form",
            "signer",
        ),
        "order": (("decided_on", True), ("proposal_id", True)),
    },
    where=(Where("state", "cho_xet", "!="),),
)

PEOPLE = Chart(
    key="emulation_people",
    uuid="ac4e7a9c-3d5b-5f80-95ca-2e9d8b7a6c17",
    name="Cá nhân được đề nghị khen thưởng (chỉ Phòng Nội vụ và lãnh đạo xem được)",
    dataset=EMULATION_PEOPLE,
    viz="table",
    params={
        "columns": (
            "proposal_id",
            "person_name",
            "person_position",
            "unit_name",
            "occasion_vi",
            "award_form",
            "evidence_check_vi",
            "state_vi",
            "final_award_form",
        ),
        "order": (("proposal_id", True),),
    },
)

COMMUNES = Chart(
    key="emulation_communes",
    uuid="63978646-dbae-5b16-8368-0d66dd9d9ef3",
    name="Xếp hạng thi đua các xã, thị trấn (tham khảo)",
    dataset=RANKING,
    viz="table",
    # communes have no reporting score: their figures are sent by the offices
    params={
        "columns": ("rank_vi", "entity_name", "targets_carried", "targets_on_track", "attainment_score", "total_score"),
        "order": (("rank", True),),
    },
    where=(Where("entity_type", "xa"),),
    description=ranking_method_vi("xa"),
)

OFFICES = Chart(
    key="emulation_offices",
    uuid="a1741f36-0c48-593d-9abc-57e1e967927c",
    name="Xếp hạng thi đua các phòng, ban (tham khảo)",
    dataset=RANKING,
    viz="table",
    params={
        "columns": (
            "rank_vi",
            "entity_name",
            "targets_carried",
            "targets_on_track",
            "attainment_score",
            "reporting_score",
            "total_score",
        ),
        "order": (("rank", True),),
    },
    where=(Where("entity_type", "phong"),),
    description=ranking_method_vi("phong"),
)

MONTHLY = (CLUSTER_BARS, CLUSTER_TABLE, REGISTRATION_BARS, REGISTRATION_TABLE, COMMUNES, OFFICES)
PROPOSAL_CHARTS = (PROPOSALS, DECISIONS, PEOPLE)

DASHBOARD = Dashboard(
    key="thi_dua",
    uuid="bdf6295d-74da-574e-894d-32f6ca125f41",
    title="Thi đua - Khen thưởng",
    rows=(
        (METHOD,),
        (CLUSTER_BARS, CLUSTER_TABLE),
        (REGISTRATION_BARS, REGISTRATION_TABLE),
        (PROPOSALS,),
        (DECISIONS, PEOPLE),
        (COMMUNES, OFFICES),
    ),
    filters=(
        # year and month from the district's ranking, built from the figures whether or not
        # Phòng Nội vụ has sent its clusters yet
        Filter("year", "Năm kế hoạch", RANKING, "plan_year", first=True),
        # proposals are judged at their occasion's month, not at the month chosen here
        Filter(
            "month",
            "Tháng",
            RANKING,
            "as_of_month_vi",
            first=True,
            applies_to=MONTHLY,
            sort_metric=LATEST_PERIOD.name,
        ),
        Filter("cluster", "Cụm thi đua", EMULATION_RANKING, "cluster_name", applies_to=(CLUSTER_BARS, CLUSTER_TABLE)),
        Filter("occasion", "Dịp khen thưởng", EMULATION_PROPOSALS, "occasion_vi", applies_to=PROPOSAL_CHARTS),
    ),
)
