"""The hand-made record set of the emulation tests: one workbook of Phòng Nội vụ with every
kind, and each refusal of issue 20 on its own row."""

from __future__ import annotations

import os
import time
from pathlib import Path

import openpyxl

CLUSTERS = [
    ("Năm", "Mã cụm", "Tên cụm", "Đơn vị thành viên", "Trưởng cụm"),
    (2022, "CUM1", "Cụm các phòng kinh tế", "Phòng Tài chính - Kế hoạch", "x"),
    (2022, "CUM1", "Cụm các phòng kinh tế", "nnptnt", ""),
    (2022, "CUM1", "Cụm các phòng kinh tế", "Phòng Y tế", ""),
    (2022, "CUM2", "Cụm các xã phía Bắc", "An Sơn", "x"),
    (2022, "CUM2", "Cụm các xã phía Bắc", "Bình Phúc", ""),
    (2022, "CUM2", "Cụm các xã phía Bắc", "Xã Không Có", ""),  # refused: unknown unit
    (2022, "CUM1", "Cụm các phòng kinh tế", "Điềm He", ""),  # refused with row 9: two clusters
    (2022, "CUM2", "Cụm các xã phía Bắc", "Điềm He", ""),
]
REGISTRATIONS = [
    ("Năm", "Đơn vị đăng ký", "Ngày đăng ký", "Mã chỉ tiêu", "Tiêu chí riêng", "Thước đo"),
    (2022, "Phòng Tài chính - Kế hoạch", "01/03/2022", "KT05", "", ""),
    (2022, "Phòng Tài chính - Kế hoạch", "01/03/2022", "KT01", "", ""),
    (2022, "Phòng Y tế", "02/03/2022", "MT04", "", ""),
    (2022, "Phòng Y tế", "02/03/2022", "", "Tiêm chủng đầy đủ cho trẻ em", "tỷ lệ trẻ được tiêm đủ ≥ 95%"),
    (2022, "An Sơn", "05/03/2022", "KT07", "", ""),
    (2022, "Phòng Y tế", "02/03/2022", "KT99", "", ""),  # refused: unknown target
]
PROPOSALS = [
    (
        "Năm",
        "Mã đề nghị",
        "Dịp khen thưởng",
        "Đối tượng",
        "Đơn vị",
        "Họ và tên",
        "Chức vụ",
        "Hình thức khen thưởng",
        "Thành tích",
        "Chỉ tiêu minh chứng",
        "Đơn vị đề nghị",
        "Ngày đề nghị",
    ),
    (
        2022,
        "DN-01",
        "Sơ kết (giữa năm)",
        "Tập thể",
        "Phòng Tài chính - Kế hoạch",
        "",
        "",
        "Giấy khen của Chủ tịch UBND huyện",
        "Thu ngân sách vượt tiến độ",
        "KT05",
        "Phòng Tài chính - Kế hoạch",
        "05/07/2022",
    ),
    (
        2022,
        "DN-02",
        "Sơ kết (giữa năm)",
        "Cá nhân",
        "Phòng Y tế",
        "Hoàng Thị Mai",
        "Trưởng phòng",
        "Giấy khen của Chủ tịch UBND huyện",
        "Xử lý chất thải y tế",
        "MT04",
        "Phòng Y tế",
        "06/07/2022",
    ),
    (
        2022,
        "DN-03",
        "Sơ kết (giữa năm)",
        "Tập thể",
        "Phòng Tài chính - Kế hoạch",
        "",
        "",
        "Giấy khen",
        "Tăng trưởng sản xuất",
        "KT01",
        "Phòng Tài chính - Kế hoạch",
        "05/07/2022",
    ),
    (
        2022,
        "DN-04",
        "Đột xuất",
        "Tập thể",
        "Phòng Không Có",
        "",
        "",  # refused: unknown unit
        "Giấy khen",
        "",
        "",
        "",
        "10/07/2022",
    ),
    (
        2022,
        "DN-05",
        "Tổng kết (cuối năm)",
        "Tập thể",
        "An Sơn",
        "",
        "",  # refused: unknown target
        "Giấy khen",
        "",
        "KT07, KT99",
        "Phòng Nội vụ",
        "20/12/2022",
    ),
]
DECISIONS = [
    ("Năm", "Mã đề nghị", "Kết quả", "Hình thức mới", "Số quyết định", "Ngày quyết định", "Người ký"),
    (2022, "DN-01", "Đã duyệt", "", "101/QĐ-UBND", "20/07/2022", "Chủ tịch UBND huyện"),
    (2022, "DN-02", "Đổi hình thức", "Giấy khen của Hội đồng TĐKT", "102/QĐ-UBND", "20/07/2022", "Chủ tịch"),
    (2022, "DN-99", "Đã duyệt", "", "103/QĐ-UBND", "20/07/2022", "Chủ tịch"),  # refused: unknown proposal
]
SHEETS = {
    "Cụm thi đua": CLUSTERS,
    "Đăng ký thi đua": REGISTRATIONS,
    "Đề nghị khen thưởng": PROPOSALS,
    "Quyết định": DECISIONS,
}


def write_workbook(path: Path, sheets: dict[str, list[tuple]] = SHEETS) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def drop(path: Path, age: float = 60) -> Path:
    past = time.time() - age
    os.utime(path, (past, past))
    return path
