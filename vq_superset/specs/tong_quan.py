"""Dashboard "Tổng quan": what a leader should see at a glance, without reading a table.

Each of the 27 targets as a tile (progress towards the target, pace, status colour) grouped
by area; a chosen target's year to date against its pace, target and previous year; XH07's
joint verdict and the consistency warnings; communes ranked; reporting timeliness by office
and month. The numbers behind them are one click away ("Tổng quan - bảng số liệu").
"""

from __future__ import annotations

from vq_superset.datasets import (
    ATTAINMENT,
    COMMUNES,
    CONSISTENCY,
    FIRST_IN_PLAN,
    LATEST_PERIOD,
    TARGET_GROUPS,
)
from vq_superset.model import Chart, Dashboard, Filter, Markdown, Metric
from vq_superset.specs._area import progress_chart, tiles
from vq_superset.specs._common import communes_ranked, timeliness_heatmap


def overview_tiles(area: str, title: str, uuid: str) -> Chart:
    return tiles(f"overview_tiles_{area}", uuid, f"{title}: tiến độ từng chỉ tiêu", area)


TILES_ECONOMY = overview_tiles("kinh_te", "Kinh tế", "b9db1778-b724-434c-bdec-d63da0bffd80")
TILES_SOCIETY = overview_tiles("xa_hoi", "Xã hội", "c4ce35a9-805f-4ab6-bf61-42c2c3fb5263")
TILES_ENVIRONMENT = overview_tiles("moi_truong", "Môi trường", "44d4e6af-90fc-47e8-b158-a19c17871322")

STATUS_COUNTS = Chart(
    key="overview_status_counts",
    uuid="215ceb32-c940-58ac-8331-34c2e9d1141f",
    name="Số chỉ tiêu theo trạng thái và lĩnh vực",
    dataset=ATTAINMENT,
    viz="echarts_timeseries_bar",
    params={
        "x_axis": "area_vi",
        "groupby": ("status_vi",),
        "metrics": (Metric("COUNT(*)", "Số chỉ tiêu"),),
        "stacked": True,
    },
)

TARGET_PROGRESS = progress_chart(
    "overview_target_progress",
    "5c300709-79fb-425a-bfd2-029901410c40",
    "Chỉ tiêu được chọn: lũy kế so với lộ trình đều, kế hoạch năm và cùng kỳ năm trước",
)

GROUP_VERDICT = Chart(
    key="overview_target_groups",
    uuid="60a69c81-f28e-4f05-9ba2-4f71d932d491",
    name="Chỉ tiêu đánh giá chung nhiều tiêu chí",
    dataset=TARGET_GROUPS,
    viz="table",
    params={"columns": ("group_html",), "order": (("group_code", True),), "search": False},
    height=30,
)

CONSISTENCY_WARNINGS = Chart(
    key="overview_consistency",
    uuid="9b8530c3-dad7-49e5-8ace-ee2fdf4a3273",
    name="Kiểm tra nhất quán giữa các chỉ tiêu",
    dataset=CONSISTENCY,
    viz="table",
    params={
        "columns": ("target_code", "check_name_vi", "check_status_vi", "message_vi"),
        "order": (("check_code", True),),
    },
    height=30,
)

COMMUNE_BARS = communes_ranked(
    "overview_communes_ranked",
    "8c38249a-0a5f-4d51-8af7-af6780864491",
    "So sánh các xã, thị trấn theo chỉ số được chọn",
)

TIMELINESS = timeliness_heatmap(
    "overview_reporting_heatmap",
    "de200f5a-dd84-4e9d-bf42-ac585a946c45",
    "Nộp báo cáo đúng hạn theo phòng, ban và tháng đến hạn (%)",
)

TABLES_LINK = Markdown(
    key="overview_tables_link",
    text=(
        "Số liệu chi tiết dạng bảng: "
        "[Tổng quan - bảng số liệu](/superset/dashboard/tong-quan-bang-so-lieu/) · "
        "[Tình hình báo cáo](/superset/dashboard/tinh-hinh-bao-cao/) · [Theo xã](/superset/dashboard/theo-xa/)"
    ),
    height=8,
)

DASHBOARD = Dashboard(
    key="tong_quan",
    uuid="df7c3061-7cf4-5630-bf6e-adf7e836609e",
    title="Tổng quan",
    rows=(
        (TABLES_LINK,),
        (TILES_ECONOMY, TILES_SOCIETY, TILES_ENVIRONMENT),
        (STATUS_COUNTS, TARGET_PROGRESS),
        (GROUP_VERDICT, CONSISTENCY_WARNINGS),
        (COMMUNE_BARS, TIMELINESS),
    ),
    filters=(
        # every dataset on this dashboard has plan_year
        Filter("year", "Năm kế hoạch", ATTAINMENT, "plan_year", first=True),
        Filter(
            "month",
            "Tháng",
            ATTAINMENT,
            "as_of_month_vi",
            first=True,
            # the line runs over the months; the heat map's months are its columns
            excluded=(TARGET_PROGRESS, TIMELINESS),
            sort_metric=LATEST_PERIOD.name,
        ),
        Filter(
            "target",
            "Chỉ tiêu (biểu đồ tiến độ)",
            ATTAINMENT,
            "name_vi",
            first=True,
            applies_to=(TARGET_PROGRESS,),
            ascending=True,
            sort_metric=FIRST_IN_PLAN.name,
        ),
        Filter(
            "indicator", "Chỉ số (so sánh các xã)", COMMUNES, "indicator_name", first=True, applies_to=(COMMUNE_BARS,)
        ),
    ),
)
