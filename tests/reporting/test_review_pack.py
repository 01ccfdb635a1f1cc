"""The review pack built from marts in a real warehouse, read back with openpyxl and poppler."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from reporting_support import TEST_PLAN_YEAR

from reporting import review_data, review_emulation, review_pack

Y = TEST_PLAN_YEAR
AS_OF = f"{Y}-06"

# The mart contract of docs/architecture.md (only the columns the pack reads are filled).
MART_DDL = """
create table if not exists marts.dim_target (
    plan_year integer, target_code text, sort_order integer, area text, area_vi text, name_vi text,
    name_en text, kind text, target_value numeric, target_value_high numeric, unit text, measure text,
    indicator_code text, denominator_code text, unit_scope text, responsible_office text,
    responsible_office_vi text, needs_baseline boolean);
create table if not exists marts.fct_target_attainment (
    plan_year integer, target_code text, area text, as_of_period text, as_of_date date,
    actual_value numeric, target_value numeric, target_value_high numeric, baseline_value numeric,
    attainment_ratio numeric, status text, status_vi text, expected_value_now numeric,
    projected_year_end numeric, projected_month_reached integer, last_received_at timestamptz,
    units_reported integer, units_expected integer, completeness_ratio numeric);
create table if not exists marts.dim_indicator (indicator_code text, name_vi text);
create table if not exists marts.fct_reporting_compliance (
    plan_year integer, office_code text, office_name text, indicator_code text, period_code text,
    period_label_vi text, period_grain text, period_end date, is_baseline boolean, due_date date,
    first_received_at timestamptz, completed_at timestamptz, units_expected integer, units_reported integer,
    units_missing integer, missing_units_vi text, days_late integer, compliance_status text,
    rejected_files integer, last_rejection_reason text);
create table if not exists marts.fct_target_groups (
    plan_year integer, group_code text, group_name_vi text, as_of_period text, as_of_date date, status text,
    status_vi text, members_total integer, members_met integer, members_on_track integer, short_target_codes text,
    short_criteria_vi text, missing_figure text);
create table if not exists marts.fct_consistency_checks (
    plan_year integer, as_of_period text, as_of_date date, check_code text, target_code text,
    compared_target_code text, check_name_vi text, severity text, observed_value numeric, limit_value numeric,
    check_status text, check_status_vi text, message_vi text);
create table if not exists marts.fct_emulation_ranking (
    plan_year integer, as_of_period text, entity_type text, entity_code text, entity_name text,
    targets_carried integer, targets_on_track integer, attainment_score numeric, reporting_score numeric,
    total_score numeric, rank integer);
"""

TARGETS = [
    # code, order, area_vi, name, unit, office, target, high, actual, ratio, status
    ("KT01", 1, "Kinh tế", "Tổng giá trị sản xuất trên địa bàn tăng 8,5-9%", "%", "Phòng Tài chính - Kế hoạch",
     "8.5", "9", "9.6", "1.1294", "vuot"),
    ("KT04", 4, "Kinh tế", "Tổng lượng sản xuất hồi tươi: 17.600 tấn", "tấn", "Phòng Nông nghiệp và PTNT",
     "17600", None, "6150.5", "0.3495", "cham_tien_do"),
    ("XH04", 14, "Xã hội", "có 98% người dân tham gia bảo hiểm y tế", "%", "Bảo hiểm xã hội huyện",
     "98", None, "98.2", "1.0020", "dat"),
    ("XH06", 16, "Xã hội", "Tỷ lệ hộ nghèo giảm từ 5% trở lên", "điểm %", "Phòng Lao động - Thương binh và Xã hội",
     "5", None, "2.5", "0.5", "dung_tien_do"),
    ("MT02", 23, "Môi trường", "nâng tỷ lệ che phủ rừng đạt trên 61%", "%", "Hạt Kiểm lâm",
     "61", None, "58", "0.9508", "khong_dat"),
    ("MT04", 25, "Môi trường", "tỷ lệ chất thải y tế được xử lý đạt 100%", "%", "Phòng Y tế",
     "100", None, None, None, "thieu_so_lieu"),
]  # fmt: skip
STATUS_VI = review_data.STATUS_VI
AREAS = {"Kinh tế": "kinh_te", "Xã hội": "xa_hoi", "Môi trường": "moi_truong"}
INDICATORS = [("t31_health", "Xã đạt Bộ tiêu chí quốc gia về y tế"), ("t31_waste", "Chất thải y tế phát sinh")]
COMPLIANCE = [
    # office, name, indicator, period, label, end, baseline, due, missing units, missing text, days late, status
    ("yte", "Phòng Y tế", "t31_health", f"{Y - 1}", f"Năm {Y - 1}", date(Y - 1, 12, 31), True, date(Y, 1, 20), 0,
     None, 0, "dung_han"),
    ("yte", "Phòng Y tế", "t31_health", f"{Y}-Q2", f"Quý 2/{Y}", date(Y, 6, 30), False, date(Y, 7, 20), 2,
     "Còn thiếu 2/17 đơn vị: xã Tú Xuyên, xã Yên Phúc", 3, "chua_nop"),
    ("yte", "Phòng Y tế", "t31_waste", f"{Y}-Q2", f"Quý 2/{Y}", date(Y, 6, 30), False, date(Y, 7, 20), 1,
     "Chưa có số liệu toàn huyện", 3, "chua_nop"),
    ("yte", "Phòng Y tế", "t31_waste", f"{Y}-Q3", f"Quý 3/{Y}", date(Y, 9, 30), False, date(Y, 10, 20), 1,
     "Chưa có số liệu toàn huyện", None, "chua_den_han"),
]  # fmt: skip
GROUP_NAME = "Giảm tai nạn giao thông cả 3 tiêu chí từ 5%"
GROUPS = [
    # period, status, members met, on track, short criteria (May: all on track; June: deaths behind)
    (f"{Y}-05", "dung_tien_do", 0, 3, None),
    (AS_OF, "cham_tien_do", 0, 2, "Số người chết do tai nạn giao thông (XH07b): Chậm tiến độ"),
]
MT01A_WARNING = (
    f"Cảnh báo: diện tích trồng rừng Hồi, Sở lũy kế đến tháng 6/{Y} (130,5 ha) lớn hơn tổng diện tích trồng rừng "
    "mới (120 ha); đề nghị Hạt Kiểm lâm kiểm tra lại số liệu"
)
MT01A_CHECK = "Diện tích trồng rừng Hồi, Sở không vượt tổng diện tích trồng rừng mới"
XH03_NOTE = f"Lũy kế 14/15 xã đạt Bộ tiêu chí quốc gia về Y tế xã (đến tháng 6/{Y})"
CHECKS = [
    # period, code, target, compared, name, status, status_vi, message
    (f"{Y}-05", "MT01A_LE_MT01", "MT01a", "MT01", MT01A_CHECK,
     "hop_le", "Hợp lệ", None),
    (AS_OF, "MT01A_LE_MT01", "MT01a", "MT01", MT01A_CHECK,
     "canh_bao", "Cảnh báo", MT01A_WARNING),
    (AS_OF, "XH03_LUY_KE", "XH03", None, "Lũy kế số xã đạt Bộ tiêu chí quốc gia về Y tế xã", "hop_le", "Hợp lệ",
     XH03_NOTE),
    (f"{Y}-07", "XH03_LUY_KE", "XH03", None, "Lũy kế số xã đạt Bộ tiêu chí quốc gia về Y tế xã", "canh_bao",
     "Cảnh báo", "after the pack's month: not shown"),
]  # fmt: skip
RANKING = [
    ("xa", "TRAN_NINH", "Xã Trấn Ninh", 12, 10, "85.5", "95", "88.35", 1),
    ("xa", "DIEM_HE", "Xã Điềm He", 12, 9, "80", "90", "83", 2),
    ("xa", "TT_VAN_QUAN", "Thị trấn Văn Quan", 12, 7, "70.25", "100", "79.18", 3),
    ("xa", "TU_XUYEN", "Xã Tú Xuyên", 12, 0, None, None, None, 4),  # nothing judged yet: not ranked
    ("phong", "yte", "Phòng Y tế", 3, 3, "100", "100", "100", 1),
    ("phong", "kiemlam", "Hạt Kiểm lâm", 3, 1, "60", "75", "64.5", 2),
]


@pytest.fixture()
def marts(admin_conn) -> None:
    """Mart rows of the test plan year, written as the transformer (the marts' owner)."""
    with admin_conn.cursor() as cur:
        cur.execute("set role vq_transformer")
        cur.execute(MART_DDL)
        for table in ("dim_target", "fct_target_attainment", "fct_emulation_ranking", "fct_reporting_compliance",
                      "fct_target_groups", "fct_consistency_checks"):  # fmt: skip
            cur.execute(f"delete from marts.{table} where plan_year = %s", (Y,))  # noqa: S608 (fixed names)
        cur.execute("delete from marts.dim_indicator where indicator_code like 't31%%'")
        for code, name in INDICATORS:
            cur.execute("insert into marts.dim_indicator (indicator_code, name_vi) values (%s, %s)", (code, name))
        for office, name, indicator, period, label, end, baseline, due, missing, text, late, status in COMPLIANCE:
            cur.execute(
                """insert into marts.fct_reporting_compliance (plan_year, office_code, office_name, indicator_code,
                       period_code, period_label_vi, period_end, is_baseline, due_date, units_expected,
                       units_reported, units_missing, missing_units_vi, days_late, compliance_status)
                   values (%s, %s, %s, %s, %s, %s, %s, %s, %s, 17, 17 - %s, %s, %s, %s, %s)""",
                (Y, office, name, indicator, period, label, end, baseline, due, missing, missing, text, late, status),
            )
        for code, order, area_vi, name, unit, office, target, high, actual, ratio, status in TARGETS:
            area = AREAS[area_vi]
            cur.execute(
                """insert into marts.dim_target (plan_year, target_code, sort_order, area, area_vi, name_vi, name_en,
                       kind, target_value, target_value_high, unit, measure, indicator_code, denominator_code,
                       unit_scope, responsible_office, responsible_office_vi, needs_baseline)
                   values (%s, %s, %s, %s, %s, %s, %s, 'at_least', %s, %s, %s, 'value', %s, null, 'all', %s, %s,
                           false)""",
                (Y, code, order, area, area_vi, name, code, target, high, unit, code.lower(), code[:2], office),
            )
            for period in (AS_OF, f"{Y}-05"):
                month = int(period[5:])
                cur.execute(
                    """insert into marts.fct_target_attainment (plan_year, target_code, area, as_of_period, as_of_date,
                           actual_value, target_value, target_value_high, baseline_value, attainment_ratio, status,
                           status_vi, expected_value_now, projected_year_end, projected_month_reached,
                           last_received_at, units_reported, units_expected, completeness_ratio)
                       values (%s, %s, %s, %s, %s, %s, %s, %s, null, %s, %s, %s, null, null, null, null, 1, 1, 1)""",
                    (Y, code, area, period, date(Y, month + 1, 1) - timedelta(days=1),
                     actual if period == AS_OF else "1", target, high, ratio, status, STATUS_VI[status]),
                )  # fmt: skip
        for period, status, met, on_track, short in GROUPS:
            cur.execute(
                """insert into marts.fct_target_groups (plan_year, group_code, group_name_vi, as_of_period, status,
                       status_vi, members_total, members_met, members_on_track, short_criteria_vi)
                   values (%s, 'XH07', %s, %s, %s, %s, 3, %s, %s, %s)""",
                (Y, GROUP_NAME, period, status, STATUS_VI[status], met, on_track, short),
            )
        for period, code, target, compared, name, status, status_vi, message in CHECKS:
            cur.execute(
                """insert into marts.fct_consistency_checks (plan_year, as_of_period, check_code, target_code,
                       compared_target_code, check_name_vi, severity, check_status, check_status_vi, message_vi)
                   values (%s, %s, %s, %s, %s, %s, 'warning', %s, %s, %s)""",
                (Y, period, code, target, compared, name, status, status_vi, message),
            )
        for row in RANKING:
            cur.execute(
                """insert into marts.fct_emulation_ranking (plan_year, as_of_period, entity_type, entity_code,
                       entity_name, targets_carried, targets_on_track, attainment_score, reporting_score,
                       total_score, rank) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)""",
                (Y, AS_OF, *row),
            )
        cur.execute("reset role")


def _num(text: str | None) -> float | None:
    return None if text is None else float(Decimal(text))


def _sheet_rows(sheet, width: int) -> list[tuple]:
    return [row[:width] for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_workbook_figures_equal_the_marts(marts, platform_home) -> None:
    pack = review_pack.build(AS_OF, made_on=date(Y, 6, 30))
    assert pack.folder == platform_home / "reports" / f"{Y}-{AS_OF}"
    assert pack.workbook.name == f"bao_cao_so_ket_{Y}_den_{AS_OF}.xlsx"
    assert (pack.targets, pack.at_risk) == (6, 3)

    book = openpyxl.load_workbook(pack.workbook)
    assert book.sheetnames == [
        "Tổng hợp",
        "Báo cáo",
        "Chỉ tiêu",
        "Chỉ tiêu cần lưu ý",
        "Chỉ tiêu đặt chung",
        "Kiểm tra số liệu",
        "Số liệu còn thiếu",
        "Xếp hạng xã",
        "Xếp hạng phòng",
        "Thi đua - Khen thưởng",
    ]
    # no proposal in this warehouse: the emulation sheet says so in one line
    assert [c for row in book["Thi đua - Khen thưởng"].iter_rows(values_only=True) for c in row if c][1:] == [
        review_emulation.NONE_YET
    ]
    expected = [
        (code, name, area_vi, unit, _num(target), _num(high), _num(actual), _num(ratio), STATUS_VI[status], office)
        for code, _order, area_vi, name, unit, office, target, high, actual, ratio, status in TARGETS
    ]
    assert _sheet_rows(book["Chỉ tiêu"], 10) == expected
    assert {r[10] for r in _sheet_rows(book["Chỉ tiêu"], 11)} == {f"Tháng 6/{Y}"}
    # The figures still missing for the periods up to June, with the office that owes them
    # (Q3 ends after June; the baseline came in).
    assert _sheet_rows(book["Số liệu còn thiếu"], 7) == [
        ("Phòng Y tế", "Chất thải y tế phát sinh", f"Quý 2/{Y}", "—", f"20/07/{Y}", "Quá hạn 3 ngày",
         "Chưa có số liệu toàn huyện"),
        ("Phòng Y tế", "Xã đạt Bộ tiêu chí quốc gia về y tế", f"Quý 2/{Y}", "—", f"20/07/{Y}", "Quá hạn 3 ngày",
         "Còn thiếu 2/17 đơn vị: xã Tú Xuyên, xã Yên Phúc"),
    ]  # fmt: skip
    report = [row[0] for row in book["Báo cáo"].iter_rows(values_only=True) if row[0]]
    for heading in ("I. Kết quả đạt được", "II. Tồn tại, hạn chế", "III. Nguyên nhân", "IV. Nhiệm vụ, giải pháp"):
        assert heading in report, heading
    assert "- KT01: Tổng giá trị sản xuất trên địa bàn tăng 8,5-9% (Vượt)" in report
    assert "- MT04: tỷ lệ chất thải y tế được xử lý đạt 100% (Thiếu số liệu; cơ quan chủ trì: Phòng Y tế)" in report
    assert f"- Còn thiếu 2 số liệu đến hết tháng 6/{Y} (chi tiết ở trang “Số liệu còn thiếu”)." in report
    # XH07's one verdict (June: one criterion behind) and the consistency warning, under "Tồn tại, hạn chế"
    shortcomings = report[report.index("II. Tồn tại, hạn chế") : report.index("III. Nguyên nhân")]
    assert (
        f"- XH07: {GROUP_NAME}: Chậm tiến độ (2/3 tiêu chí đạt hoặc đúng tiến độ); chưa đạt: Số người chết do tai "
        "nạn giao thông (XH07b): Chậm tiến độ"
    ) in shortcomings
    assert f"- {MT01A_WARNING}" in shortcomings
    assert not [line for line in report if "XH03" in line or "Lũy kế 14/15" in line]  # consistent: no warning
    assert _sheet_rows(book["Chỉ tiêu đặt chung"], 7) == [
        ("XH07", GROUP_NAME, "Chậm tiến độ", "2/3", "Số người chết do tai nạn giao thông (XH07b): Chậm tiến độ",
         "Không có", f"Tháng 6/{Y}"),
    ]  # fmt: skip
    assert _sheet_rows(book["Kiểm tra số liệu"], 6) == [
        (MT01A_CHECK, "MT01a", "MT01", "Cảnh báo",
         MT01A_WARNING, f"Tháng 6/{Y}"),
        ("Lũy kế số xã đạt Bộ tiêu chí quốc gia về Y tế xã", "XH03", "—", "Hợp lệ", XH03_NOTE, f"Tháng 6/{Y}"),
    ]  # fmt: skip
    assert [r[0] for r in _sheet_rows(book["Chỉ tiêu cần lưu ý"], 10)] == ["KT04", "MT02", "MT04"]
    assert [r[8] for r in _sheet_rows(book["Chỉ tiêu cần lưu ý"], 10)] == [
        "Chậm tiến độ",
        "Không đạt",
        "Thiếu số liệu",
    ]
    ranks = {
        kind: [(rank if t is not None else "Chưa xếp hạng", name, carried, on_track, _num(a), _num(r), _num(t))
               for k, _code, name, carried, on_track, a, r, t, rank in RANKING if k == kind]
        for kind in ("xa", "phong")
    }  # fmt: skip
    assert _sheet_rows(book["Xếp hạng xã"], 7) == ranks["xa"]
    assert _sheet_rows(book["Xếp hạng phòng"], 7) == ranks["phong"]
    summary = book["Tổng hợp"]
    assert summary["A1"].value == f"Báo cáo sơ kết 6 tháng đầu năm {Y}"
    # Every status of the contract in its order (one target each here, 0 for a status none has).
    used = {t[-1] for t in TARGETS}
    assert [(summary.cell(r, 1).value, summary.cell(r, 2).value) for r in range(5, 5 + len(STATUS_VI))] == [
        (label, int(status in used)) for status, label in STATUS_VI.items()
    ]
    assert summary.cell(5 + len(STATUS_VI), 1).value == "Tổng số"
    with zipfile.ZipFile(pack.workbook) as archive:  # openpyxl does not load charts back
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert charts == ["xl/charts/chart1.xml", "xl/charts/chart2.xml"]
        assert "Chỉ tiêu" in archive.read("xl/charts/chart2.xml").decode()  # its series reads the targets sheet


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) not installed")
def test_pdf_has_pages_vietnamese_text_and_an_embedded_font(marts, tmp_path) -> None:
    pack = review_pack.build(AS_OF, made_on=date(Y, 6, 30))
    info = subprocess.run(["pdfinfo", str(pack.pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    text = subprocess.run(["pdftotext", "-layout", str(pack.pdf), "-"], capture_output=True, text=True, check=True)
    body = unicodedata.normalize("NFC", text.stdout)
    assert f"BÁO CÁO SƠ KẾT 6 THÁNG ĐẦU NĂM {Y}" in body
    assert "Ngày lập: 30/06/" + str(Y) in body
    for phrase in ("Tổng lượng sản xuất hồi tươi", "Chậm tiến độ", "Thiếu số liệu", "Xã Điềm He", "Hạt Kiểm lâm",
                   "17.600", "6.150,5", "112,9%", "I. Kết quả đạt được", "II. Tồn tại, hạn chế", "III. Nguyên nhân",
                   "IV. Nhiệm vụ, giải pháp", "Số liệu còn thiếu và cơ quan phải gửi", "xã Yên Phúc",
                   f"Đến hết tháng 6/{Y} còn thiếu 2 số liệu của 1 cơ quan", "Quá hạn 3 ngày",
                   "Chưa xếp hạng", "Các chỉ tiêu đặt chung", "Giảm tai nạn giao thông cả 3 tiêu chí từ 5%",
                   "Kiểm tra tính thống nhất của số liệu", "Có 1 cảnh báo", "đề nghị Hạt Kiểm lâm kiểm tra lại",
                   "4. Tồn tại, hạn chế khác"):  # fmt: skip
        assert phrase in body, phrase
    fonts = subprocess.run(["pdffonts", str(pack.pdf)], capture_output=True, text=True, check=True).stdout
    assert "DejaVuSans" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pack.pdf), str(tmp_path / "p")],
                       check=True)  # fmt: skip
        assert list(tmp_path.glob("p-*1.png"))


def test_a_month_without_figures_builds_from_what_has_arrived(marts) -> None:
    # March: no attainment row at all yet -> every target "Thiếu số liệu", nothing fails.
    march = review_data.read(Y, f"{Y}-03")
    assert [(t.target_code, t.status, t.status_vi, t.actual_value, t.data_as_of) for t in march.targets] == [
        (code, "thieu_so_lieu", "Thiếu số liệu", None, None) for code, *_ in TARGETS
    ]
    assert march.missing == []  # nothing due had ended by March in the fixture
    assert (march.groups, march.checks) == ([], [])
    pack = review_pack.build(f"{Y}-03", made_on=date(Y, 4, 1))
    assert (pack.targets, pack.at_risk, pack.missing) == (6, 6, 0)
    assert pack.workbook.name == f"bao_cao_tien_do_{Y}_den_{Y}-03.xlsx" and pack.pdf.is_file()
    # July: June's figures are the latest that arrived; the targets show them, marked.
    july = review_data.read(Y, f"{Y}-07")
    assert {t.data_as_of for t in july.targets} == {AS_OF}
    assert len(july.stale) == 6 and [t.status for t in july.targets] == [t[-1] for t in TARGETS]
    assert [(m.indicator_name, m.period_label) for m in july.missing] == [
        ("Chất thải y tế phát sinh", f"Quý 2/{Y}"),
        ("Xã đạt Bộ tiêu chí quốc gia về y tế", f"Quý 2/{Y}"),
    ]


def test_only_bad_input_is_refused(marts) -> None:
    with pytest.raises(review_data.ReviewDataMissing):
        review_pack.build(f"{Y + 1}-06")  # no plan for that year at all
    with pytest.raises(ValueError, match="YYYY-MM"):
        review_pack.build(f"{Y}-13")
