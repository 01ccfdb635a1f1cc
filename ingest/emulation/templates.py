"""Phòng Nội vụ's template (``make templates``): one workbook with a sheet per record kind,
an instructions sheet in Vietnamese and drop-downs of units, targets, occasions, nominee
kinds and outcomes from the catalog. Its headers are the first ones the reader accepts."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from core import catalog as catalog_mod
from ingest.emulation.model import CLUSTER, DECISION, NOMINEE_VI, OCCASION_VI, OUTCOME_VI, PROPOSAL
from ingest.emulation.model import REGISTRATION as REG
from ingest.emulation.readers import HEADERS
from ingest.workbook_bytes import stable_bytes

GUIDE = "Hướng dẫn"
LISTS = "Danh mục"
SHEET_OF = {
    CLUSTER: "Cụm thi đua",
    REG: "Đăng ký thi đua",
    PROPOSAL: "Đề nghị khen thưởng",
    DECISION: "Quyết định",
}
ROWS = 300  # rows offered with drop-downs in each sheet
_BOLD = Font(bold=True)

GUIDE_TEXT = (
    "MẪU HỒ SƠ THI ĐUA - KHEN THƯỞNG NĂM {year} (Phòng Nội vụ, cơ quan thường trực Hội đồng Thi đua - Khen "
    "thưởng huyện)",
    "",
    "Gửi tệp: lưu tệp (.xlsx) rồi chép vào thư mục «noivu» trên máy chủ dữ liệu của huyện. Hệ thống đọc tệp trong vòng "
    "một phút, kiểm tra từng dòng và trả lời bằng báo cáo kiểm tra đặt cạnh tệp.",
    "Mỗi trang tính là một loại hồ sơ; để trống trang nào thì loại hồ sơ đó không thay đổi.",
    "Mỗi lần gửi một loại hồ sơ của một năm là gửi DANH SÁCH ĐẦY ĐỦ của loại đó: tệp gửi sau thay thế toàn bộ hồ sơ "
    "cùng loại, cùng năm đã gửi trước (không có gì bị xóa khỏi lịch sử). Vì vậy hãy giữ một tệp cho cả năm, bổ sung "
    "dần rồi gửi lại cả tệp.",
    "",
    "1. Cụm thi đua: mỗi dòng một đơn vị thành viên (phòng, ban, xã, thị trấn) của một cụm; ghi «x» ở cột Trưởng cụm "
    "cho đơn vị trưởng cụm. Một đơn vị chỉ thuộc một cụm trong một năm.",
    "2. Đăng ký thi đua: mỗi dòng một chỉ tiêu đơn vị đăng ký (Mã chỉ tiêu của kế hoạch), hoặc một tiêu chí riêng "
    "kèm thước đo.",
    "3. Đề nghị khen thưởng: mỗi dòng một đề nghị với một Mã đề nghị riêng (ví dụ ĐN-{year}-01). Đối tượng là Tập thể "
    "(ghi đơn vị) hoặc Cá nhân (ghi họ tên, chức vụ và đơn vị công tác). Chỉ tiêu minh chứng: các mã chỉ tiêu, cách "
    "nhau bằng dấu phẩy (ví dụ KT03, KT04); hệ thống đối chiếu với kết quả thực hiện của đơn vị tại tháng 6 (sơ kết) "
    "hoặc tháng 12 (tổng kết).",
    "4. Quyết định: mỗi dòng trả lời một đề nghị (theo Mã đề nghị): Đã duyệt, Không duyệt hoặc Đổi hình thức (ghi "
    "Hình thức mới), kèm số quyết định, ngày và người ký.",
    "",
    "Ngày ghi theo dạng ngày/tháng/năm (ví dụ 15/06/{year}). Chọn đơn vị, mã chỉ tiêu, dịp, đối tượng và kết quả "
    "trong danh sách thả xuống (trang «Danh mục»).",
    "Dòng sai (đơn vị, chỉ tiêu không có trong danh mục, quyết định cho đề nghị chưa có, đơn vị ở hai cụm) không được "
    "nhận và được nêu rõ trong báo cáo kiểm tra; các dòng đúng vẫn được nhận.",
)


def _units(cat: catalog_mod.Catalog, plan_year: int) -> list[str]:
    from datetime import date

    offices = [o.name_vi for o in sorted(cat.offices.values(), key=lambda o: o.name_vi)]
    places = [u.name_vi for u in sorted(cat.communes_on(date(plan_year, 1, 1)), key=lambda u: u.name_vi)]
    return offices + places


def _lists(wb: Workbook, cat: catalog_mod.Catalog, plan_year: int) -> dict[str, str]:
    ws = wb.create_sheet(LISTS)
    columns = {
        "units": ("Đơn vị", _units(cat, plan_year)),
        "targets": ("Mã chỉ tiêu", [t.code for t in cat.targets_for(plan_year)]),
        "target_names": ("Tên chỉ tiêu", [t.name_vi for t in cat.targets_for(plan_year)]),
        "occasions": ("Dịp khen thưởng", list(OCCASION_VI.values())),
        "nominees": ("Đối tượng", list(NOMINEE_VI.values())),
        "outcomes": ("Kết quả", list(OUTCOME_VI.values())),
    }
    ranges = {}
    for col, (key, (title, values)) in enumerate(columns.items(), start=1):
        letter = chr(64 + col)
        ws.cell(row=1, column=col, value=title).font = _BOLD
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)
        ws.column_dimensions[letter].width = 40 if key in ("units", "target_names") else 22
        ranges[key] = f"'{LISTS}'!${letter}$2:${letter}${len(values) + 1}"
    ws.protection.sheet = True
    return ranges


def _choice(source: str, what: str) -> DataValidation:
    dv = DataValidation(type="list", formula1=f"={source}", allow_blank=True)
    dv.error = f"Vui lòng chọn {what} trong danh sách."
    dv.errorTitle = "Giá trị không hợp lệ"
    dv.prompt = f"Chọn {what} trong danh sách."
    dv.showErrorMessage = True
    dv.showInputMessage = True
    return dv


# field -> (list range key, what to choose)
CHOICES = {
    "unit": ("units", "đơn vị"),
    "target_code": ("targets", "mã chỉ tiêu"),
    "occasion": ("occasions", "dịp khen thưởng"),
    "nominee_kind": ("nominees", "đối tượng"),
    "outcome": ("outcomes", "kết quả"),
}


def build_workbook(plan_year: int, cat: catalog_mod.Catalog | None = None) -> Workbook:
    cat = cat or catalog_mod.default()
    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE
    for row, line in enumerate(GUIDE_TEXT, start=1):
        cell = guide.cell(row=row, column=1, value=line.format(year=plan_year))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row == 1:
            cell.font = _BOLD
    guide.column_dimensions["A"].width = 120
    sheets = {kind: wb.create_sheet(title) for kind, title in SHEET_OF.items()}
    ranges = _lists(wb, cat, plan_year)
    for kind, ws in sheets.items():
        fields = list(HEADERS[kind])
        for col, fld in enumerate(fields, start=1):
            cell = ws.cell(row=1, column=col, value=HEADERS[kind][fld][0])
            cell.font = _BOLD
            ws.column_dimensions[chr(64 + col)].width = 24
            letter = chr(64 + col)
            if fld == "plan_year":
                dv = DataValidation(type="whole", operator="between", formula1="2000", formula2="2100")
                dv.error = "Ghi năm bằng bốn chữ số, ví dụ 2022."
                dv.showErrorMessage = True
            elif fld in CHOICES:
                dv = _choice(ranges[CHOICES[fld][0]], CHOICES[fld][1])
            else:
                continue
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{ROWS + 1}")
        ws.freeze_panes = "A2"
    return wb


def template_name(plan_year: int) -> str:
    return f"mau-thi-dua-khen-thuong_noivu_{plan_year}.xlsx"


def write_template(out: Path, plan_year: int, cat: catalog_mod.Catalog | None = None) -> Path:
    """Write Phòng Nội vụ's template into ``out`` (same stable bytes as the offices' templates)."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / template_name(plan_year)
    path.write_bytes(stable_bytes(build_workbook(plan_year, cat)))
    return path
