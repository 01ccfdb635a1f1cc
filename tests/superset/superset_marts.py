"""Mart tables with the contract's columns (docs/architecture.md) and a small, known content.

The dashboards are tested against these until the dbt project builds every mart; the rows
are written as vq_transformer (the owner dbt would be), so vq_reader's default grants apply.
"""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg2.extensions

from core import catalog
from core.catalog import STATUS_VI

CATALOG = Path(__file__).resolve().parents[2] / "dbt" / "seeds" / "catalog"
AREA_VI = {"kinh_te": "Kinh tế", "xa_hoi": "Xã hội", "moi_truong": "Môi trường"}
MONTHS = ("2022-03", "2022-04", "2022-05")
COMMUNES = (("AN_SON", "An Sơn"), ("BINH_PHUC", "Bình Phúc"), ("DIEM_HE", "Điềm He"), ("HUU_LE", "Hữu Lễ"))

DDL = """
create table marts.dim_target (
    plan_year int, target_code text, sort_order int, area text, area_vi text, name_vi text,
    name_en text, kind text, target_value numeric, target_value_high numeric, unit text,
    measure text, indicator_code text, denominator_code text, unit_scope text,
    responsible_office text, responsible_office_vi text, needs_baseline boolean);
create table marts.dim_indicator (
    indicator_code text, name_vi text, name_en text, unit text, level text, aggregation text,
    value_kind text, value_min numeric, value_max numeric, frequency text, due_day int,
    due_month_offset int, office_code text);
create table marts.dim_office (office_code text, name_vi text, name_en text, email text, submits boolean);
create table marts.fct_target_attainment (
    plan_year int, target_code text, area text, as_of_period text, as_of_date date,
    actual_value numeric, target_value numeric, target_value_high numeric, baseline_value numeric,
    attainment_ratio numeric, status text, status_vi text, expected_value_now numeric,
    projected_year_end numeric, projected_month_reached text, last_received_at timestamptz,
    units_reported int, units_expected int, completeness_ratio numeric);
create table marts.fct_commune_indicators (
    plan_year int, admin_unit_code text, admin_unit_name text, indicator_code text,
    period_code text, as_of_period text, value numeric, value_ytd numeric, numerator numeric,
    denominator numeric, ratio_pct numeric, district_value numeric, share_of_district_pct numeric,
    rank_in_district int);
create table marts.fct_reporting_compliance (
    plan_year int, office_code text, office_name text, indicator_code text, period_code text,
    due_date date, first_received_at timestamptz, days_late int, compliance_status text,
    rejected_files int, last_rejection_reason text);
create table marts.fct_emulation_ranking (
    plan_year int, as_of_period text, entity_type text, entity_code text, entity_name text,
    targets_carried int, targets_on_track int, attainment_score numeric, reporting_score numeric,
    total_score numeric, rank int);
create table marts.fct_data_quality (
    file_id bigint, office_code text, original_name text, received_at timestamptz, status text,
    rows_loaded int, rows_rejected int, error_count int, warning_count int, rule text,
    severity text, message_vi text);
"""


def _rows(name: str) -> list[dict[str, str]]:
    with (CATALOG / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float | None:
    return float(text) if text else None


def status_of(n: int, month: int) -> str:
    """A deterministic spread of statuses over targets and months."""
    return list(STATUS_VI)[(n + month) % len(STATUS_VI)]


MART_TABLES = (
    "dim_target",
    "dim_indicator",
    "dim_office",
    "dim_admin_unit",
    "fct_target_attainment",
    "fct_commune_indicators",
    "fct_reporting_compliance",
    "fct_emulation_ranking",
    "fct_data_quality",
    "fct_target_groups",
    "fct_consistency_checks",
    "fct_emulation_cluster_ranking",
    "fct_emulation_registrations",
    "fct_emulation_proposals",
)


def drop(cur: psycopg2.extensions.cursor) -> None:
    """Drop the marts, whether dbt left them as tables or views."""
    cur.execute(
        "select c.relname, c.relkind from pg_class as c join pg_namespace as n on n.oid = c.relnamespace"
        " where n.nspname = 'marts' and c.relname = any(%s)",
        (list(MART_TABLES),),
    )
    for name, kind in cur.fetchall():
        cur.execute(f"drop {'view' if kind == 'v' else 'table'} marts.{name} cascade")


def create(conn: psycopg2.extensions.connection) -> None:
    """(Re)create the marts with a known content: 27 targets × 3 months, 3 offices' reports."""
    offices = {o["office_code"]: o for o in _rows("offices.csv")}
    with conn.cursor() as cur:
        cur.execute("set role vq_transformer")
        drop(cur)
        cur.execute(DDL)
        for t in _rows("plan_targets.csv"):
            cur.execute(
                "insert into marts.dim_target values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (
                    int(t["plan_year"]), t["target_code"], int(t["sort_order"]), t["area"], AREA_VI[t["area"]],
                    t["name_vi"], t["name_en"], t["kind"], _num(t["target_value"]), _num(t["target_value_high"]),
                    t["unit"], t["measure"], t["indicator_code"], t["denominator_code"] or None, t["unit_scope"],
                    t["responsible_office"], offices[t["responsible_office"]]["name_vi"],
                    t["needs_baseline"] == "true",
                ),
            )  # fmt: skip
            n = int(t["sort_order"])
            target = _num(t["target_value"]) or 1.0
            for m, period in enumerate(MONTHS, start=3):
                status = status_of(n, m)
                actual = None if status == "thieu_so_lieu" else round(target * (0.2 + 0.1 * m + 0.01 * n), 2)
                cur.execute(
                    "insert into marts.fct_target_attainment values"
                    " (%s,%s,%s,%s,%s,%s,%s,%s,null,%s,%s,%s,%s,%s,%s,now(),%s,17,%s)",
                    (
                        2022, t["target_code"], t["area"], period, f"{period}-01", actual, target,
                        _num(t["target_value_high"]), None if actual is None else round(actual / target, 4),
                        status, STATUS_VI[status], round(target * m / 12, 2),
                        None if actual is None else round(actual * 12 / m, 2), "2022-11" if n % 2 else None,
                        m + 10, round((m + 10) / 17, 4),
                    ),
                )  # fmt: skip
        bounds = catalog.default().indicators  # the widest range over the levels, as dim_indicator has
        for i in _rows("indicators.csv"):
            cur.execute(
                "insert into marts.dim_indicator values (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                (
                    i["indicator_code"], i["name_vi"], i["name_en"], i["unit"], i["level"], i["aggregation"],
                    i["value_kind"], bounds[i["indicator_code"]].value_min, bounds[i["indicator_code"]].value_max,
                    i["frequency"],
                    int(i["due_day"] or 0), int(i["due_month_offset"] or 0), i["office_code"],
                ),
            )  # fmt: skip
        for o in offices.values():
            cur.execute(
                "insert into marts.dim_office values (%s,%s,%s,%s,%s)",
                (o["office_code"], o["name_vi"], o["name_en"], o["email"], o["submits"] == "true"),
            )
        for rank, (code, name) in enumerate(COMMUNES, start=1):
            for period in MONTHS:
                cur.execute(
                    "insert into marts.fct_commune_indicators values"
                    " (2022,%s,%s,'sown_area',%s,%s,%s,%s,null,null,null,1000,%s,%s)",
                    (code, name, period, period, 50 * rank, 150 * rank, 15.0 * rank, rank),
                )
        compliance = [
            ("tckh", "budget_revenue", "2022-04", "dung_han", 0, 0, None),
            ("tckh", "budget_revenue", "2022-05", "tre_han", 3, 1, "Sai định dạng số"),
            ("nnptnt", "sown_area", "2022-Q1", "chua_nop", None, 2, "Thiếu cột kỳ báo cáo"),
            ("nnptnt", "star_anise_output", "2022-Q1", "dung_han", 0, 0, None),
            ("yte", "medical_waste_treated", "2022-04", "tre_han", 5, 0, None),
        ]
        for office, indicator, period, status, late, rejected, reason in compliance:
            cur.execute(
                "insert into marts.fct_reporting_compliance values (2022,%s,%s,%s,%s,'2022-05-20',"
                " case when %s = 'chua_nop' then null else now() end,%s,%s,%s,%s)",
                (office, offices[office]["name_vi"], indicator, period, status, late, status, rejected, reason),
            )
        quality = [
            (1, "tckh", "thu_ngan_sach_05.xlsx", "quarantined", 0, 0, 1, 0, "number_format", "error",
             "Cột giá trị có số viết hai cách"),
            (2, "tckh", "thu_ngan_sach_05b.xlsx", "loaded_with_warnings", 12, 0, 0, 1, "value_jump", "warning",
             "Giá trị tăng bất thường so với tháng trước"),
            (3, "nnptnt", "gieo_trong_q1.xlsx", "quarantined", 0, 0, 1, 0, "missing_column", "error",
             "Thiếu cột kỳ báo cáo"),
            (4, "nnptnt", "hoi_q1.csv", "loaded", 17, 0, 0, 0, None, None, None),
        ]  # fmt: skip
        for row in quality:
            cur.execute(
                "insert into marts.fct_data_quality values (%s,%s,%s,'2022-05-21 09:00+07',%s,%s,%s,%s,%s,%s,%s,%s)",
                row,
            )
        for n, (code, name) in enumerate(COMMUNES, start=1):
            cur.execute(
                "insert into marts.fct_emulation_ranking values (2022,'2022-05','xa',%s,%s,10,%s,%s,%s,%s,%s)",
                (code, name, 10 - n, 90 - 5 * n, 95 - n, 92.5 - 3 * n, n),
            )
        for n, code in enumerate(("tckh", "nnptnt", "yte"), start=1):
            cur.execute(
                "insert into marts.fct_emulation_ranking values (2022,'2022-05','phong',%s,%s,3,%s,%s,%s,%s,%s)",
                (code, offices[code]["name_vi"], 3 - n + 1, 80 - 5 * n, 90 - n, 85 - 3 * n, n),
            )
        _add_newer_columns(cur)
        _add_groups_and_checks(cur)
        _add_emulation(cur)
        cur.execute("reset role")


def _add_newer_columns(cur: psycopg2.extensions.cursor) -> None:
    """The columns the marts gained for leaders and offices (what the dashboards read of them)."""
    cur.execute(
        """
        alter table marts.fct_target_attainment
            add column baseline_is_prorated boolean, add column missing_figure text, add column status_note text,
            add column office_year_estimate numeric, add column previous_year_value numeric,
            add column change_vs_previous_year numeric, add column change_vs_previous_year_pct numeric,
            add column is_final boolean;
        update marts.fct_target_attainment set
            previous_year_value = round(actual_value * 0.9, 2),
            change_vs_previous_year = actual_value - round(actual_value * 0.9, 2),
            change_vs_previous_year_pct = case when actual_value <> 0 then 11.11 end,
            office_year_estimate = case when as_of_period = '2022-05' then projected_year_end end,
            baseline_is_prorated = target_code like 'KT%',
            is_final = as_of_period <> '2022-05',
            missing_figure = case when status = 'thieu_so_lieu'
                then 'Thiếu số liệu cùng kỳ năm 2021 (lũy kế đến tháng ' || cast(substr(as_of_period, 6, 2) as int)
                     || '/2021)' end;
        alter table marts.fct_reporting_compliance
            add column period_label_vi text, add column is_baseline boolean, add column units_missing int,
            add column missing_units_vi text;
        update marts.fct_reporting_compliance set
            period_label_vi = case when period_code like '%-Q%'
                then 'Quý ' || substr(period_code, 7, 1) || '/' || substr(period_code, 1, 4)
                else 'Tháng ' || cast(substr(period_code, 6, 2) as int) || '/' || substr(period_code, 1, 4) end,
            is_baseline = false,
            units_missing = case when compliance_status = 'chua_nop' then 2 else 0 end,
            missing_units_vi = case when compliance_status = 'chua_nop'
                then 'Còn thiếu 2/17 đơn vị: xã Tú Xuyên, xã Yên Phúc' end;
        """
    )


# XH07's joint verdict per month and the two consistency checks (what the overview shows).
GROUPS = (
    ("2022-03", "dung_tien_do", 3, 0, 3, None),
    ("2022-04", "cham_tien_do", 3, 0, 2, "Số người chết do tai nạn giao thông (XH07b): Chậm tiến độ"),
    ("2022-05", "cham_tien_do", 3, 1, 2, "Số người chết do tai nạn giao thông (XH07b): Chậm tiến độ"),
)
CHECKS = (
    ("2022-05", "MT01A_LE_MT01", "MT01a", "MT01", "Rừng hồi, trẩu trồng mới không vượt tổng diện tích trồng rừng mới",
     120.5, 100, "canh_bao", "Cảnh báo: hồi, trẩu trồng mới (120,5 ha) lớn hơn rừng trồng mới (100 ha)"),
    ("2022-05", "XH03_LUY_KE", "XH03", None, "Lũy kế số xã đạt bộ tiêu chí quốc gia về y tế",
     14, 15, "hop_le", "Lũy kế 14/15 xã đạt bộ tiêu chí quốc gia về y tế"),
)  # fmt: skip


def _add_groups_and_checks(cur: psycopg2.extensions.cursor) -> None:
    cur.execute(
        """
        create table marts.fct_target_groups (
            plan_year int, group_code text, group_name_vi text, as_of_period text, as_of_date date,
            status text, status_vi text, members_total int, members_met int, members_on_track int,
            short_target_codes text, short_criteria_vi text, missing_figure text);
        create table marts.fct_consistency_checks (
            plan_year int, as_of_period text, as_of_date date, check_code text, target_code text,
            compared_target_code text, check_name_vi text, severity text, observed_value numeric,
            limit_value numeric, check_status text, check_status_vi text, message_vi text);
        """
    )
    for period, status, total, met, on_track, short in GROUPS:
        cur.execute(
            "insert into marts.fct_target_groups values (2022, 'XH07', 'Giảm tai nạn giao thông cả 3 tiêu chí từ 5%%',"
            " %s, (%s || '-01')::date, %s, %s, %s, %s, %s, %s, %s, null)",
            (period, period, status, STATUS_VI[status], total, met, on_track, "XH07b" if short else None, short),
        )
    labels = {"canh_bao": "Cảnh báo", "hop_le": "Hợp lệ", "chua_kiem_tra": "Chưa kiểm tra được"}
    for period, code, target, compared, name, observed, limit, status, message in CHECKS:
        cur.execute(
            "insert into marts.fct_consistency_checks values (2022, %s, (%s || '-01')::date, %s, %s, %s, %s,"
            " 'warning', %s, %s, %s, %s, %s)",
            (period, period, code, target, compared, name, observed, limit, status, labels[status], message),
        )


# ---------------------------------------------------------------- emulation (Phòng Nội vụ)
EMULATION_DDL = """
create table marts.fct_emulation_cluster_ranking (
    plan_year integer, as_of_period text, cluster_code text, cluster_name text, unit_code text,
    unit_type text, unit_name text, office_code text, is_head boolean, attainment_score numeric,
    reporting_score numeric, total_score numeric, rank_in_cluster integer, rank_vi text, method_vi text);
create table marts.fct_emulation_registrations (
    plan_year integer, as_of_period text, unit_code text, unit_type text, unit_name text, office_code text,
    registered_on date, target_code text, commitment_vi text, criterion text, measure text, judged_on text,
    status text, status_vi text, actual_value numeric, target_value numeric, expected_value_now numeric,
    attainment_ratio numeric, is_on_track boolean, source_row integer);
create table marts.fct_emulation_proposals (
    plan_year integer, proposal_id text, occasion text, occasion_vi text, nominee_kind text,
    nominee_kind_vi text, unit_code text, unit_type text, unit_name text, office_code text,
    person_name text, person_position text, nominee_vi text, award_form text, achievement text,
    evidence_targets text, proposing_unit text, proposed_on date, evidence_period text,
    targets_named integer, targets_supported integer, targets_not_supported text, reports_due integer,
    reports_on_time integer, reports_late integer, reports_missing integer, evidence_flag boolean,
    evidence_note_vi text, state text, state_vi text, decision_number text, decided_on date, signer text,
    final_award_form text, file_id bigint, received_at timestamptz);
"""
METHOD_VI = "Cách tính tham khảo. Trong cụm: xếp theo tổng điểm, cao trước."
KT = ("CUM_KT", "Cụm các phòng khối kinh tế")
XA = ("CUM_XA", "Cụm các xã phía Nam")
# cluster, unit, type, name, office, head, attainment, reporting, total, rank
CLUSTER_RANKING = (
    (KT, "tckh", "phong", "Phòng Tài chính - Kế hoạch", "tckh", True, 80, 90, 83, 1),
    (KT, "nnptnt", "phong", "Phòng Nông nghiệp và PTNT", "nnptnt", False, 70, 80, 73, 2),
    (KT, "ktht", "phong", "Phòng Kinh tế và Hạ tầng", "ktht", False, None, None, None, None),
    (XA, "AN_SON", "xa", "An Sơn", None, True, 90, None, 90, 1),
    (XA, "BINH_PHUC", "xa", "Bình Phúc", None, False, 85, None, 85, 2),
)
# unit, type, name, office, target (or None: an own criterion), commitment, status, actual, pace, target
REGISTRATIONS = (
    ("tckh", "phong", "Phòng Tài chính - Kế hoạch", "tckh", "KT01", "Tổng thu ngân sách trên địa bàn", "dat",
     120, 100, 110),
    ("tckh", "phong", "Phòng Tài chính - Kế hoạch", "tckh", "KT02", "Thu ngân sách địa phương", "cham_tien_do",
     40, 50, 120),
    ("nnptnt", "phong", "Phòng Nông nghiệp và PTNT", "nnptnt", "KT05", "Tổng sản lượng lương thực", "vuot",
     9500, 8000, 9000),
    ("nnptnt", "phong", "Phòng Nông nghiệp và PTNT", "nnptnt", None, "Tập huấn kỹ thuật cho 10 thôn", None,
     None, None, None),
    ("AN_SON", "xa", "An Sơn", None, "XH01", "Tỷ lệ hộ nghèo giảm", "dung_tien_do", 2, 2, 3),
)  # fmt: skip
# id, occasion, kind, unit, type, name, office, person, position, evidence, named, supported, not supported,
# reports (due, on time, late, missing), flag, note, state, decision (number, date), final form
PROPOSALS = (
    ("DN01", "so_ket", "tap_the", "tckh", "phong", "Phòng Tài chính - Kế hoạch", "tckh", None, None, "KT01, KT02",
     2, 1, "KT02 (Chậm tiến độ)", (4, 4, 0, 0), True, "Số liệu chưa chứng minh: KT02 (Chậm tiến độ)",
     "doi_hinh_thuc", ("15/QĐ-UBND", "2022-07-15"), "Giấy khen của Chủ tịch UBND huyện"),
    ("DN02", "so_ket", "ca_nhan", "tckh", "phong", "Phòng Tài chính - Kế hoạch", "tckh", "Nguyễn Văn An",
     "Trưởng phòng", "KT01", 1, 1, None, (4, 4, 0, 0), False, "Số liệu phù hợp với đề nghị",
     "da_duyet", ("15/QĐ-UBND", "2022-07-15"), "Bằng khen của Chủ tịch UBND tỉnh"),
    ("DN03", "so_ket", "tap_the", "nnptnt", "phong", "Phòng Nông nghiệp và PTNT", "nnptnt", None, None, "KT05",
     1, 1, None, (3, 1, 1, 1), True, "Còn 1 kỳ báo cáo chưa nộp", "cho_xet", None, None),
    ("DN04", "so_ket", "ca_nhan", "nnptnt", "phong", "Phòng Nông nghiệp và PTNT", "nnptnt", "Lý Thị Cúc",
     "Chuyên viên", "KT05", 1, 1, None, (3, 1, 1, 1), True, "Còn 1 kỳ báo cáo chưa nộp",
     "khong_duyet", ("16/QĐ-UBND", "2022-07-20"), None),
    ("DN05", "dot_xuat", "tap_the", "AN_SON", "xa", "An Sơn", None, None, None, "XH01",
     1, 1, None, (None, None, None, None), False, "Số liệu phù hợp với đề nghị", "cho_xet", None, None),
)  # fmt: skip
AWARD_ASKED = "Bằng khen của Chủ tịch UBND tỉnh"
OCCASION_VI = {"so_ket": "Sơ kết (giữa năm)", "dot_xuat": "Đột xuất"}
STATE_VI = {
    "cho_xet": "Chờ xét",
    "da_duyet": "Đã duyệt",
    "khong_duyet": "Không duyệt",
    "doi_hinh_thuc": "Đổi hình thức",
}


def _add_emulation(cur: psycopg2.extensions.cursor) -> None:
    """Two clusters, five registrations, five proposals (two of individuals, two flagged), three decisions."""
    cur.execute(EMULATION_DDL)
    for (cluster, cluster_name), unit, kind, name, office, head, attainment, reporting, total, rank in CLUSTER_RANKING:
        cur.execute(
            "insert into marts.fct_emulation_cluster_ranking values"
            " (2022, '2022-05', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                cluster, cluster_name, unit, kind, name, office, head, attainment, reporting, total, rank,
                "Chưa xếp hạng" if rank is None else f"Hạng {rank}", METHOD_VI,
            ),
        )  # fmt: skip
    for n, (unit, kind, name, office, target, commitment, status, actual, pace, goal) in enumerate(REGISTRATIONS):
        cur.execute(
            "insert into marts.fct_emulation_registrations values (2022, '2022-05', %s, %s, %s, %s, '2022-02-15',"
            " %s, %s, %s, null, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                unit, kind, name, office, target, commitment, commitment if target is None else None,
                "huyen" if kind == "phong" else "don_vi", status, STATUS_VI.get(status), actual, goal, pace,
                None if actual is None else round(actual / goal, 4),
                None if status is None else status in ("vuot", "dat", "dung_tien_do"), n + 2,
            ),
        )  # fmt: skip
    for row in PROPOSALS:
        (pid, occasion, kind, unit, unit_type, name, office, person, position, evidence, named, supported,
         not_supported, reports, flag, note, state, decision, final) = row  # fmt: skip
        number, decided_on = decision or (None, None)
        cur.execute(
            "insert into marts.fct_emulation_proposals values (2022, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, 'Hoàn thành xuất sắc nhiệm vụ', %s, 'UBND huyện', '2022-06-25', '2022-06', %s, %s, %s,"
            " %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 7, '2022-06-26 08:00+07')",
            (
                pid, occasion, OCCASION_VI[occasion], kind, "Tập thể" if kind == "tap_the" else "Cá nhân", unit,
                unit_type, name, office, person, position, name if person is None else f"{person}, {name}",
                AWARD_ASKED, evidence, named, supported, not_supported, *reports, flag, note, state,
                STATE_VI[state], number, decided_on, None if number is None else "Hoàng Văn Bình", final,
            ),
        )  # fmt: skip
