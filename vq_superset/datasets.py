"""The datasets: SQL on the marts, with the labels and colours people read.

Periods read as people write them ("Tháng 5/2022") and codes become the shared vocabulary's
Vietnamese labels and colours (``core.vocabulary``); both are computed here, in the
datasets' SQL, so the marts keep their codes. Every chart uses one of these by reference.
"""

from __future__ import annotations

from core import vocabulary as vocab
from vq_superset.model import Column, Dataset, SavedMetric


def month_vi(expr: str) -> str:
    """SQL: a 'YYYY-MM' code as 'Tháng 5/2022' (the code stays beside it, for sorting)."""
    return f"'Tháng ' || cast(substr({expr}, 6, 2) as integer) || '/' || substr({expr}, 1, 4)"


def _case(expr: str, mapping: dict[str, str], default: str | None = None) -> str:
    whens = " ".join(f"when '{code}' then '{value}'" for code, value in mapping.items())
    tail = f" else '{default}'" if default is not None else ""
    return f"case {expr} {whens}{tail} end"


def label_vi(expr: str, domain: str, default: str | None = None) -> str:
    """SQL: the vocabulary's Vietnamese label of a code column."""
    return _case(expr, vocab.labels_vi(domain), default)


def colour_of(expr: str, domain: str) -> str:
    """SQL: the vocabulary's colour of a code column (what tiles and legends paint)."""
    return _case(expr, vocab.colours(domain))


def number_vi(expr: str) -> str:
    """SQL: a number written the Vietnamese way, 1.234,5 (two decimals at most)."""
    return f"translate(rtrim(to_char({expr}, 'FM999G999G999G990D99'), '.'), ',.', '.,')"


def html_text(expr: str) -> str:
    """SQL: a text made safe inside HTML (the tiles are HTML cells of a table chart)."""
    return f"replace(replace(replace(coalesce({expr}, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


def tile_html(*, colour: str, top: str, title: str, big: str, bar_pct: str | None, foot: str) -> str:
    """SQL: one tile as HTML with inline styles only (Superset keeps div/span style attributes).

    Drawn by a table chart, not a Handlebars one: Handlebars compiles templates with eval,
    which the self-only Content Security Policy refuses.
    """
    bar = (
        '\'<div style="height:6px;background:#d0d7de;border-radius:3px;">'
        "<div style=\"height:6px;border-radius:3px;width:' || "
        f"{bar_pct} || '%;background:' || {colour} || ';\"></div></div>' || "
        if bar_pct
        else ""
    )
    return (
        "'<div style=\"padding:4px 8px;border-radius:6px;background:#f6f8fa;border-left:8px solid ' || "
        f"{colour} || ';\"><div style=\"font-size:12px;color:#57606a;\">' || {top} || '</div>"
        f"<div style=\"font-size:13px;font-weight:600;\">' || {title} || '</div>"
        "<div style=\"font-size:22px;font-weight:700;color:' || "
        f"{colour} || ';\">' || {big} || '</div>' || {bar}"
        f"'<div style=\"font-size:11px;color:#57606a;\">' || {foot} || '</div></div>'"
    )


# A target's tile: code and status, name, progress towards the target (big, and as a bar),
# what was done against the pace and the target.
TARGET_TILE = tile_html(
    colour=colour_of("a.status", vocab.ATTAINMENT_STATUS),
    top="a.target_code || ' · ' || " + html_text("a.status_vi"),
    title=html_text("t.name_vi"),
    big=f"coalesce({number_vi('a.attainment_ratio * 100')} || '%', 'chưa có số liệu')",
    bar_pct="cast(round(least(greatest(coalesce(a.attainment_ratio, 0) * 100, 0), 100)) as integer)",
    foot=(
        f"'Thực hiện ' || coalesce({number_vi('a.actual_value')}, '—')"
        f" || ' · lộ trình đều ' || coalesce({number_vi('a.expected_value_now')}, '—')"
        f" || ' · kế hoạch ' || coalesce({number_vi('a.target_value')}, '—') || ' ' || {html_text('t.unit')}"
    ),
)

# A group's tile (XH07): met only when every criterion is.
GROUP_TILE = tile_html(
    colour=colour_of("g.status", vocab.ATTAINMENT_STATUS),
    top="g.group_code || ' · ' || " + html_text("g.group_name_vi"),
    title="'Đánh giá chung: đạt khi cả ' || g.members_total || ' tiêu chí cùng đạt'",
    big=html_text("g.status_vi"),
    bar_pct=None,
    foot=(
        "'Tiêu chí đạt: ' || coalesce(g.members_met, 0) || '/' || g.members_total || '. Tiêu chí chưa đạt: ' || "
        + html_text("coalesce(g.short_criteria_vi, 'không có')")
    ),
)

# Saved metrics the filters sort their values by (the codes sort, the Vietnamese labels do not).
LATEST_PERIOD = SavedMetric("latest_period", "MAX(as_of_period)", "Kỳ gần nhất")
FIRST_IN_PLAN = SavedMetric("first_in_plan", "MIN(sort_order)", "Thứ tự trong kế hoạch")

ATTAINMENT = Dataset(
    key="attainment",
    uuid="2c095e5a-a03d-5485-be8f-f18f2868707b",
    table_name="vq_muc_dat_chi_tieu",
    description="Mức đạt của từng chỉ tiêu theo tháng, so với kế hoạch và cùng kỳ năm trước",
    metrics=(LATEST_PERIOD, FIRST_IN_PLAN),
    sql=f"""select
    a.plan_year,
    a.as_of_period,
    {month_vi("a.as_of_period")} as as_of_month_vi,
    a.as_of_date,
    a.target_code,
    t.sort_order,
    t.name_vi,
    a.area,
    t.area_vi,
    t.unit,
    t.responsible_office_vi,
    a.target_value,
    a.actual_value,
    a.attainment_ratio * 100 as attainment_pct,
    a.status,
    a.status_vi,
    {colour_of("a.status", vocab.ATTAINMENT_STATUS)} as status_colour,
    coalesce({number_vi("a.attainment_ratio * 100")} || '%', 'chưa có số liệu') as attainment_pct_vi,
    least(greatest(coalesce(a.attainment_ratio, 0) * 100, 0), 100) as progress_bar_pct,
    coalesce({number_vi("a.actual_value")}, '—') as actual_value_vi,
    coalesce({number_vi("a.expected_value_now")}, '—') as expected_value_now_vi,
    coalesce({number_vi("a.target_value")}, '—') as target_value_vi,
    {TARGET_TILE} as tile_html,
    a.expected_value_now,
    a.projected_year_end,
    a.projected_month_reached,
    {month_vi("a.projected_month_reached")} as projected_month_reached_vi,
    a.office_year_estimate,
    a.previous_year_value,
    a.change_vs_previous_year,
    a.change_vs_previous_year_pct,
    case when a.is_final then 'Chính thức' else 'Ước' end as figure_kind_vi,
    nullif(concat_ws('; ',
        a.missing_figure,
        a.status_note,
        case when a.baseline_is_prorated
            then 'Cùng kỳ năm trước tính bình quân từ số liệu cả năm (hoặc cả quý) của năm trước' end
    ), '') as note_vi,
    a.completeness_ratio * 100 as completeness_pct
from marts.fct_target_attainment as a
inner join marts.dim_target as t
    on a.plan_year = t.plan_year and a.target_code = t.target_code""",  # noqa: S608 (static SQL; the vocabulary fills its CASEs)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("as_of_period", "VARCHAR", "Mã tháng"),
        Column("as_of_month_vi", "VARCHAR", "Tháng"),
        Column("as_of_date", "DATE", "Ngày số liệu", is_dttm=True),
        Column("target_code", "VARCHAR", "Mã chỉ tiêu"),
        Column("sort_order", "INTEGER", "Thứ tự"),
        Column("name_vi", "VARCHAR", "Chỉ tiêu"),
        Column("area", "VARCHAR", "Mã lĩnh vực"),
        Column("area_vi", "VARCHAR", "Lĩnh vực"),
        Column("unit", "VARCHAR", "Đơn vị tính"),
        Column("responsible_office_vi", "VARCHAR", "Cơ quan chủ trì"),
        Column("target_value", "NUMERIC", "Kế hoạch năm"),
        Column("actual_value", "NUMERIC", "Thực hiện"),
        Column("attainment_pct", "NUMERIC", "Tỷ lệ đạt (%)"),
        Column("status", "VARCHAR", "Mã trạng thái"),
        Column("status_vi", "VARCHAR", "Trạng thái"),
        Column("status_colour", "VARCHAR", "Màu trạng thái"),
        Column("attainment_pct_vi", "VARCHAR", "Tỷ lệ đạt"),
        Column("progress_bar_pct", "NUMERIC", "Tiến độ (thanh, %)"),
        Column("actual_value_vi", "VARCHAR", "Thực hiện (viết số)"),
        Column("expected_value_now_vi", "VARCHAR", "Lộ trình đều (viết số)"),
        Column("target_value_vi", "VARCHAR", "Kế hoạch năm (viết số)"),
        Column("tile_html", "VARCHAR", "Chỉ tiêu"),
        Column("expected_value_now", "NUMERIC", "Lộ trình đều"),
        Column("projected_year_end", "NUMERIC", "Dự báo cuối năm"),
        Column("projected_month_reached", "VARCHAR", "Mã tháng dự kiến đạt"),
        Column("projected_month_reached_vi", "VARCHAR", "Tháng dự kiến đạt"),
        Column("office_year_estimate", "NUMERIC", "Ước thực hiện cả năm (cơ quan báo cáo)"),
        Column("previous_year_value", "NUMERIC", "Cùng kỳ năm trước"),
        Column("change_vs_previous_year", "NUMERIC", "Tăng/giảm so với cùng kỳ"),
        Column("change_vs_previous_year_pct", "NUMERIC", "Tăng/giảm so với cùng kỳ (%)"),
        Column("figure_kind_vi", "VARCHAR", "Loại số liệu"),
        Column("note_vi", "VARCHAR", "Ghi chú"),
        Column("completeness_pct", "NUMERIC", "Đủ số liệu (%)"),
    ),
)


COMMUNES = Dataset(
    key="communes",
    uuid="60d9bd1d-3e3d-5c7a-8611-9f45a3bd6933",
    table_name="vq_chi_tieu_theo_xa",
    description="Số liệu của từng xã, thị trấn theo tháng",
    metrics=(LATEST_PERIOD,),
    sql=f"""select
    c.plan_year,
    c.as_of_period,
    {month_vi("c.as_of_period")} as as_of_month_vi,
    c.admin_unit_code,
    c.admin_unit_name,
    c.indicator_code,
    i.name_vi as indicator_name,
    i.unit,
    c.value,
    c.value_ytd,
    c.ratio_pct,
    c.share_of_district_pct,
    c.rank_in_district
from marts.fct_commune_indicators as c
inner join marts.dim_indicator as i on c.indicator_code = i.indicator_code""",  # noqa: S608 (static SQL; the vocabulary fills its CASEs)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("as_of_period", "VARCHAR", "Mã tháng"),
        Column("as_of_month_vi", "VARCHAR", "Tháng"),
        Column("admin_unit_code", "VARCHAR", "Mã xã"),
        Column("admin_unit_name", "VARCHAR", "Xã, thị trấn"),
        Column("indicator_code", "VARCHAR", "Mã chỉ số"),
        Column("indicator_name", "VARCHAR", "Chỉ số"),
        Column("unit", "VARCHAR", "Đơn vị tính"),
        Column("value", "NUMERIC", "Giá trị kỳ"),
        Column("value_ytd", "NUMERIC", "Lũy kế"),
        Column("ratio_pct", "NUMERIC", "Tỷ lệ (%)"),
        Column("share_of_district_pct", "NUMERIC", "Tỷ trọng trong huyện (%)"),
        Column("rank_in_district", "INTEGER", "Xếp hạng trong huyện"),
    ),
)


COMPLIANCE = Dataset(
    key="compliance",
    uuid="34f9be95-d8dc-50cc-91ba-81025b9c8584",
    table_name="vq_tinh_hinh_nop_bao_cao",
    description="Tình hình nộp số liệu của các phòng, ban theo từng kỳ báo cáo",
    sql=f"""select
    r.plan_year,
    r.office_code,
    r.office_name,
    r.indicator_code,
    coalesce(i.name_vi, r.indicator_code) as indicator_name,
    r.period_code,
    r.period_label_vi || case when r.is_baseline then ' (năm trước, để so sánh)' else '' end as period_label_vi,
    r.due_date,
    r.first_received_at,
    r.days_late,
    r.compliance_status,
    {label_vi("r.compliance_status", vocab.COMPLIANCE_STATUS)} as compliance_status_vi,
    date_trunc('month', r.due_date)::date as due_month,
    case r.compliance_status when 'dung_han' then 100.0 when 'tre_han' then 0.0 when 'chua_nop' then 0.0 end
        as on_time_pct,
    r.units_missing,
    r.missing_units_vi,
    r.rejected_files,
    r.last_rejection_reason
from marts.fct_reporting_compliance as r
left join marts.dim_indicator as i on r.indicator_code = i.indicator_code""",  # noqa: S608 (static SQL; the vocabulary fills its CASEs)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("office_code", "VARCHAR", "Mã phòng, ban"),
        Column("office_name", "VARCHAR", "Phòng, ban"),
        Column("indicator_code", "VARCHAR", "Mã chỉ số"),
        Column("indicator_name", "VARCHAR", "Số liệu"),
        Column("period_code", "VARCHAR", "Mã kỳ báo cáo"),
        Column("period_label_vi", "VARCHAR", "Kỳ báo cáo"),
        Column("due_date", "DATE", "Hạn nộp", is_dttm=True),
        Column("first_received_at", "TIMESTAMP WITH TIME ZONE", "Nộp lần đầu", is_dttm=True),
        Column("days_late", "INTEGER", "Số ngày trễ"),
        Column("compliance_status", "VARCHAR", "Mã tình trạng"),
        Column("compliance_status_vi", "VARCHAR", "Tình trạng"),
        Column("due_month", "DATE", "Tháng đến hạn"),
        Column("on_time_pct", "NUMERIC", "Nộp đúng hạn (%)"),
        Column("units_missing", "INTEGER", "Số đơn vị còn thiếu"),
        Column("missing_units_vi", "VARCHAR", "Đơn vị còn thiếu"),
        Column("rejected_files", "INTEGER", "Số tệp bị từ chối"),
        Column("last_rejection_reason", "VARCHAR", "Lý do từ chối gần nhất"),
    ),
)


QUALITY = Dataset(
    key="quality",
    uuid="4cc561e8-b4b2-5351-bf73-2b8b2132cee8",
    table_name="vq_chat_luong_du_lieu",
    description="Lỗi và cảnh báo của từng tệp số liệu đã nhận",
    sql=f"""select
    q.file_id,
    q.office_code,
    o.name_vi as office_name,
    q.original_name,
    q.received_at,
    q.status,
    {label_vi("q.status", vocab.FILE_STATUS, default=vocab.label_vi(vocab.FILE_STATUS, "processing"))} as status_vi,
    q.rows_loaded,
    q.rows_rejected,
    q.error_count,
    q.warning_count,
    q.rule,
    q.severity,
    {label_vi("q.severity", vocab.SEVERITY)} as severity_vi,
    q.message_vi
from marts.fct_data_quality as q
left join marts.dim_office as o on q.office_code = o.office_code""",  # noqa: S608 (static SQL; the vocabulary fills its CASEs)
    columns=(
        Column("file_id", "BIGINT", "Mã tệp"),
        Column("office_code", "VARCHAR", "Mã phòng, ban"),
        Column("office_name", "VARCHAR", "Phòng, ban"),
        Column("original_name", "VARCHAR", "Tên tệp"),
        Column("received_at", "TIMESTAMP WITH TIME ZONE", "Thời điểm nhận", is_dttm=True),
        Column("status", "VARCHAR", "Mã kết quả"),
        Column("status_vi", "VARCHAR", "Kết quả xử lý"),
        Column("rows_loaded", "INTEGER", "Số dòng đã nạp"),
        Column("rows_rejected", "INTEGER", "Số dòng bị loại"),
        Column("error_count", "INTEGER", "Số lỗi"),
        Column("warning_count", "INTEGER", "Số cảnh báo"),
        Column("rule", "VARCHAR", "Mã quy tắc kiểm tra"),
        Column("severity", "VARCHAR", "Mã mức độ"),
        Column("severity_vi", "VARCHAR", "Mức độ"),
        Column("message_vi", "VARCHAR", "Nội dung"),
    ),
)


RANKING = Dataset(
    key="ranking",
    uuid="2b768572-fdf0-5e00-a5ec-45bc5fa43b2f",
    table_name="vq_xep_hang_thi_dua",
    description="Xếp hạng thi đua (tham khảo) của xã, thị trấn và phòng, ban",
    metrics=(LATEST_PERIOD,),
    sql=f"""select
    e.plan_year,
    e.as_of_period,
    {month_vi("e.as_of_period")} as as_of_month_vi,
    e.entity_type,
    case e.entity_type when 'xa' then 'Xã, thị trấn' else 'Phòng, ban' end as entity_type_vi,
    e.entity_code,
    e.entity_name,
    e.targets_carried,
    e.targets_on_track,
    e.attainment_score,
    e.reporting_score,
    e.total_score,
    e.rank,
    case when e.total_score is null then 'Chưa xếp hạng' else cast(e.rank as varchar) end as rank_vi
from marts.fct_emulation_ranking as e""",  # noqa: S608 (static SQL; the vocabulary fills its CASEs)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("as_of_period", "VARCHAR", "Mã tháng"),
        Column("as_of_month_vi", "VARCHAR", "Tháng"),
        Column("entity_type", "VARCHAR", "Mã loại đơn vị"),
        Column("entity_type_vi", "VARCHAR", "Loại đơn vị"),
        Column("entity_code", "VARCHAR", "Mã đơn vị"),
        Column("entity_name", "VARCHAR", "Đơn vị"),
        Column("targets_carried", "INTEGER", "Số chỉ tiêu đảm nhận"),
        Column("targets_on_track", "INTEGER", "Số chỉ tiêu đạt tiến độ"),
        Column("attainment_score", "NUMERIC", "Điểm thực hiện"),
        Column("reporting_score", "NUMERIC", "Điểm báo cáo"),
        Column("total_score", "NUMERIC", "Tổng điểm"),
        Column("rank", "INTEGER", "Thứ hạng (số)"),
        Column("rank_vi", "VARCHAR", "Hạng"),
    ),
)

TARGET_GROUPS = Dataset(
    key="target_groups",
    uuid="3c8be259-3a8c-405f-b8c9-acb08b6baaf1",
    table_name="vq_nhom_chi_tieu",
    description="Kết luận chung của nhóm chỉ tiêu quyết định đặt cùng nhau (XH07: cả 3 tiêu chí)",
    metrics=(LATEST_PERIOD,),
    sql=f"""select
    g.plan_year,
    g.as_of_period,
    {month_vi("g.as_of_period")} as as_of_month_vi,
    g.group_code,
    g.group_name_vi,
    g.status,
    g.status_vi,
    {colour_of("g.status", vocab.ATTAINMENT_STATUS)} as status_colour,
    g.members_total,
    g.members_met,
    g.members_on_track,
    g.members_met || '/' || g.members_total as members_met_vi,
    coalesce(g.short_criteria_vi, 'Không có') as short_criteria_vi,
    {GROUP_TILE} as group_html,
    g.missing_figure
from marts.fct_target_groups as g""",  # noqa: S608 (static SQL; the vocabulary fills its CASEs)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("as_of_period", "VARCHAR", "Mã tháng"),
        Column("as_of_month_vi", "VARCHAR", "Tháng"),
        Column("group_code", "VARCHAR", "Mã nhóm"),
        Column("group_name_vi", "VARCHAR", "Nhóm chỉ tiêu"),
        Column("status", "VARCHAR", "Mã trạng thái"),
        Column("status_vi", "VARCHAR", "Trạng thái chung"),
        Column("status_colour", "VARCHAR", "Màu trạng thái"),
        Column("members_total", "INTEGER", "Số tiêu chí"),
        Column("members_met", "INTEGER", "Số tiêu chí đạt"),
        Column("members_on_track", "INTEGER", "Số tiêu chí đạt hoặc đúng tiến độ"),
        Column("members_met_vi", "VARCHAR", "Tiêu chí đạt"),
        Column("short_criteria_vi", "VARCHAR", "Tiêu chí chưa đạt"),
        Column("group_html", "VARCHAR", "Nhóm chỉ tiêu"),
        Column("missing_figure", "VARCHAR", "Số liệu còn thiếu"),
    ),
)

CONSISTENCY = Dataset(
    key="consistency",
    uuid="c098a656-7a95-4a96-b447-abf48fa7590c",
    table_name="vq_kiem_tra_nhat_quan",
    description="Cảnh báo khi số liệu của các chỉ tiêu liên quan không khớp nhau (không đổi trạng thái chỉ tiêu)",
    metrics=(LATEST_PERIOD,),
    sql=f"""select
    k.plan_year,
    k.as_of_period,
    {month_vi("k.as_of_period")} as as_of_month_vi,
    k.check_code,
    k.check_name_vi,
    k.target_code,
    t.name_vi as target_name_vi,
    k.compared_target_code,
    k.observed_value,
    k.limit_value,
    k.check_status,
    {label_vi("k.check_status", vocab.CONSISTENCY_STATUS)} as check_status_vi,
    coalesce(k.message_vi, 'Số liệu khớp nhau') as message_vi
from marts.fct_consistency_checks as k
left join marts.dim_target as t
    on k.plan_year = t.plan_year and k.target_code = t.target_code""",  # noqa: S608 (static SQL; the vocabulary fills its CASEs)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("as_of_period", "VARCHAR", "Mã tháng"),
        Column("as_of_month_vi", "VARCHAR", "Tháng"),
        Column("check_code", "VARCHAR", "Mã kiểm tra"),
        Column("check_name_vi", "VARCHAR", "Nội dung kiểm tra"),
        Column("target_code", "VARCHAR", "Mã chỉ tiêu"),
        Column("target_name_vi", "VARCHAR", "Chỉ tiêu"),
        Column("compared_target_code", "VARCHAR", "So với chỉ tiêu"),
        Column("observed_value", "NUMERIC", "Số liệu kiểm tra"),
        Column("limit_value", "NUMERIC", "Giới hạn so sánh"),
        Column("check_status", "VARCHAR", "Mã kết quả"),
        Column("check_status_vi", "VARCHAR", "Kết quả kiểm tra"),
        Column("message_vi", "VARCHAR", "Nội dung"),
    ),
)

# ---------------------------------------------------------------- emulation (Phòng Nội vụ)
# Which rows each role sees is vq_superset/access.py's business: offices see their own
# registrations and proposals; names and positions of individuals live only in
# EMULATION_PEOPLE, which only Phòng Nội vụ and the leaders get rows of.

EVIDENCE_CHECK_VI = "case when p.evidence_flag then 'Cần xem lại' else 'Phù hợp' end"

EMULATION_RANKING = Dataset(
    key="emulation_ranking",
    uuid="5b0f3c1e-8a4d-5d7e-9c21-3f6a2e8b7d10",
    table_name="vq_thi_dua_xep_hang_cum",
    description="Xếp hạng (tham khảo) trong từng cụm thi đua theo tháng, với cách tính",
    metrics=(LATEST_PERIOD,),
    sql=f"""select
    r.plan_year,
    r.as_of_period,
    {month_vi("r.as_of_period")} as as_of_month_vi,
    r.cluster_code,
    coalesce(r.cluster_name, r.cluster_code) as cluster_name,
    r.unit_code,
    r.unit_type,
    case r.unit_type when 'xa' then 'Xã, thị trấn' else 'Phòng, ban' end as unit_type_vi,
    r.unit_name,
    r.office_code,
    case when r.is_head then 'Trưởng cụm' else '' end as head_vi,
    coalesce(r.cluster_name, r.cluster_code) || ' · ' || r.rank_vi || ' · ' || r.unit_name as ranked_unit_vi,
    r.attainment_score,
    r.reporting_score,
    r.total_score,
    r.rank_in_cluster,
    r.rank_vi,
    r.method_vi
from marts.fct_emulation_cluster_ranking as r""",  # noqa: S608 (static SQL)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("as_of_period", "VARCHAR", "Mã tháng"),
        Column("as_of_month_vi", "VARCHAR", "Tháng"),
        Column("cluster_code", "VARCHAR", "Mã cụm"),
        Column("cluster_name", "VARCHAR", "Cụm thi đua"),
        Column("unit_code", "VARCHAR", "Mã đơn vị"),
        Column("unit_type", "VARCHAR", "Mã loại đơn vị"),
        Column("unit_type_vi", "VARCHAR", "Loại đơn vị"),
        Column("unit_name", "VARCHAR", "Đơn vị"),
        Column("office_code", "VARCHAR", "Mã phòng, ban"),
        Column("head_vi", "VARCHAR", "Trưởng cụm"),
        Column("ranked_unit_vi", "VARCHAR", "Cụm · hạng · đơn vị"),
        Column("attainment_score", "NUMERIC", "Điểm thực hiện"),
        Column("reporting_score", "NUMERIC", "Điểm báo cáo"),
        Column("total_score", "NUMERIC", "Tổng điểm"),
        Column("rank_in_cluster", "INTEGER", "Thứ hạng trong cụm (số)"),
        Column("rank_vi", "VARCHAR", "Hạng trong cụm"),
        Column("method_vi", "VARCHAR", "Cách xếp hạng"),
    ),
)

EMULATION_REGISTRATIONS = Dataset(
    key="emulation_registrations",
    uuid="8e2d6a47-1c3b-5f90-a4e5-6b7c8d9e0f21",
    table_name="vq_thi_dua_dang_ky",
    description="Chỉ tiêu, tiêu chí các đơn vị đăng ký thi đua và kết quả đến từng tháng",
    metrics=(LATEST_PERIOD,),
    sql=f"""select
    g.plan_year,
    g.as_of_period,
    {month_vi("g.as_of_period")} as as_of_month_vi,
    g.unit_code,
    g.unit_type,
    g.unit_name,
    g.office_code,
    g.registered_on,
    g.target_code,
    coalesce(g.target_code || ' · ', '') || g.commitment_vi as commitment_vi,
    g.measure,
    case g.judged_on when 'huyen' then 'Kết quả toàn huyện' else 'Số liệu của đơn vị' end as judged_on_vi,
    coalesce(g.status_vi, 'Tiêu chí riêng') as status_vi,
    g.actual_value,
    g.expected_value_now,
    g.target_value,
    g.attainment_ratio * 100 as attainment_pct
from marts.fct_emulation_registrations as g""",  # noqa: S608 (static SQL)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("as_of_period", "VARCHAR", "Mã tháng"),
        Column("as_of_month_vi", "VARCHAR", "Tháng"),
        Column("unit_code", "VARCHAR", "Mã đơn vị"),
        Column("unit_type", "VARCHAR", "Mã loại đơn vị"),
        Column("unit_name", "VARCHAR", "Đơn vị đăng ký"),
        Column("office_code", "VARCHAR", "Mã phòng, ban"),
        Column("registered_on", "DATE", "Ngày đăng ký", is_dttm=True),
        Column("target_code", "VARCHAR", "Mã chỉ tiêu"),
        Column("commitment_vi", "VARCHAR", "Chỉ tiêu, tiêu chí đăng ký"),
        Column("measure", "VARCHAR", "Thước đo"),
        Column("judged_on_vi", "VARCHAR", "Đánh giá theo"),
        Column("status_vi", "VARCHAR", "Kết quả"),
        Column("actual_value", "NUMERIC", "Thực hiện"),
        Column("expected_value_now", "NUMERIC", "Lộ trình đều"),
        Column("target_value", "NUMERIC", "Kế hoạch năm"),
        Column("attainment_pct", "NUMERIC", "Tỷ lệ đạt (%)"),
    ),
)

EMULATION_PROPOSALS = Dataset(
    key="emulation_proposals",
    uuid="c4a9e1b2-7d3f-5a86-b0c1-2d3e4f5a6b72",
    table_name="vq_thi_dua_de_nghi",
    description="Đề nghị khen thưởng, minh chứng đối chiếu với số liệu và kết quả xét (không có họ tên cá nhân)",
    sql=f"""select
    p.plan_year,
    p.proposal_id,
    p.occasion,
    p.occasion_vi,
    p.nominee_kind,
    p.nominee_kind_vi,
    p.unit_code,
    p.unit_type,
    p.unit_name,
    p.office_code,
    case when p.nominee_kind = 'tap_the' then p.unit_name else 'Cá nhân thuộc ' || p.unit_name end as nominee_vi,
    p.award_form,
    p.achievement,
    p.evidence_targets,
    p.proposing_unit,
    p.proposed_on,
    {month_vi("p.evidence_period")} as evidence_month_vi,
    p.targets_supported || '/' || p.targets_named as targets_supported_vi,
    case when p.reports_due is null then 'Không áp dụng'
        else p.reports_on_time || '/' || p.reports_due || ' kỳ đúng hạn' end as reporting_vi,
    p.evidence_flag,
    {EVIDENCE_CHECK_VI} as evidence_check_vi,
    p.evidence_note_vi,
    p.state,
    p.state_vi,
    p.decision_number,
    p.decided_on,
    p.signer,
    p.final_award_form
from marts.fct_emulation_proposals as p""",  # noqa: S608 (static SQL)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("proposal_id", "VARCHAR", "Mã đề nghị"),
        Column("occasion", "VARCHAR", "Mã dịp"),
        Column("occasion_vi", "VARCHAR", "Dịp khen thưởng"),
        Column("nominee_kind", "VARCHAR", "Mã đối tượng"),
        Column("nominee_kind_vi", "VARCHAR", "Đối tượng"),
        Column("unit_code", "VARCHAR", "Mã đơn vị"),
        Column("unit_type", "VARCHAR", "Mã loại đơn vị"),
        Column("unit_name", "VARCHAR", "Đơn vị"),
        Column("office_code", "VARCHAR", "Mã phòng, ban"),
        Column("nominee_vi", "VARCHAR", "Được đề nghị"),
        Column("award_form", "VARCHAR", "Hình thức đề nghị"),
        Column("achievement", "VARCHAR", "Thành tích"),
        Column("evidence_targets", "VARCHAR", "Chỉ tiêu minh chứng"),
        Column("proposing_unit", "VARCHAR", "Đơn vị đề nghị"),
        Column("proposed_on", "DATE", "Ngày đề nghị", is_dttm=True),
        Column("evidence_month_vi", "VARCHAR", "Số liệu đến"),
        Column("targets_supported_vi", "VARCHAR", "Chỉ tiêu được số liệu chứng minh"),
        Column("reporting_vi", "VARCHAR", "Nộp báo cáo"),
        Column("evidence_flag", "BOOLEAN", "Cần xem lại (đúng/sai)"),
        Column("evidence_check_vi", "VARCHAR", "Đối chiếu số liệu"),
        Column("evidence_note_vi", "VARCHAR", "Nhận xét minh chứng"),
        Column("state", "VARCHAR", "Mã kết quả xét"),
        Column("state_vi", "VARCHAR", "Kết quả xét"),
        Column("decision_number", "VARCHAR", "Số quyết định"),
        Column("decided_on", "DATE", "Ngày quyết định"),
        Column("signer", "VARCHAR", "Người ký"),
        Column("final_award_form", "VARCHAR", "Hình thức được khen"),
    ),
)

EMULATION_PEOPLE = Dataset(
    key="emulation_people",
    uuid="d7f3b5a9-2e4c-5b18-9a6d-7e8f9a0b1c33",
    table_name="vq_thi_dua_ca_nhan",
    description="Họ tên, chức vụ cá nhân được đề nghị khen thưởng: chỉ Phòng Nội vụ và lãnh đạo xem được",
    sql=f"""select
    p.plan_year,
    p.proposal_id,
    p.occasion_vi,
    p.unit_code,
    p.unit_name,
    p.office_code,
    p.person_name,
    p.person_position,
    p.award_form,
    p.achievement,
    {EVIDENCE_CHECK_VI} as evidence_check_vi,
    p.state_vi,
    p.final_award_form
from marts.fct_emulation_proposals as p
where p.nominee_kind = 'ca_nhan'""",  # noqa: S608 (static SQL)
    columns=(
        Column("plan_year", "INTEGER", "Năm kế hoạch"),
        Column("proposal_id", "VARCHAR", "Mã đề nghị"),
        Column("occasion_vi", "VARCHAR", "Dịp khen thưởng"),
        Column("unit_code", "VARCHAR", "Mã đơn vị"),
        Column("unit_name", "VARCHAR", "Đơn vị"),
        Column("office_code", "VARCHAR", "Mã phòng, ban"),
        Column("person_name", "VARCHAR", "Họ và tên"),
        Column("person_position", "VARCHAR", "Chức vụ"),
        Column("award_form", "VARCHAR", "Hình thức đề nghị"),
        Column("achievement", "VARCHAR", "Thành tích"),
        Column("evidence_check_vi", "VARCHAR", "Đối chiếu số liệu"),
        Column("state_vi", "VARCHAR", "Kết quả xét"),
        Column("final_award_form", "VARCHAR", "Hình thức được khen"),
    ),
)

# Every dataset, in the order the bundle lists them (the order carries no identity).
DATASETS: tuple[Dataset, ...] = (
    ATTAINMENT,
    COMMUNES,
    COMPLIANCE,
    QUALITY,
    RANKING,
    TARGET_GROUPS,
    CONSISTENCY,
    EMULATION_RANKING,
    EMULATION_REGISTRATIONS,
    EMULATION_PROPOSALS,
    EMULATION_PEOPLE,
)
