"""Phòng Nội vụ's template: Vietnamese instructions, drop-downs from the catalog, and a filled
copy reads back through the reader exactly as the long layout does."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from ingest.emulation import readers, templates
from tests.emulation.records import SHEETS


def test_the_template_has_instructions_dropdowns_and_reads_back_filled(tmp_path: Path) -> None:
    path = templates.write_template(tmp_path, 2022)
    assert path.name == "mau-thi-dua-khen-thuong_noivu_2022.xlsx"
    assert templates.write_template(tmp_path / "again", 2022).read_bytes() == path.read_bytes()
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Hướng dẫn",
        "Cụm thi đua",
        "Đăng ký thi đua",
        "Đề nghị khen thưởng",
        "Quyết định",
        "Danh mục",
    ]
    assert "thư mục «noivu»" in wb["Hướng dẫn"]["A3"].value
    proposals = wb["Đề nghị khen thưởng"]
    assert [c.value for c in proposals[1]] == list(SHEETS["Đề nghị khen thưởng"][0])
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in proposals.data_validations.dataValidation}
    assert lists["C2"] == "='Danh mục'!$D$2:$D$5"  # occasions
    assert lists["D2"] == "='Danh mục'!$E$2:$E$3"  # collective or individual
    units = [c.value for c in wb["Danh mục"]["A"][1:] if c.value]
    assert "Phòng Nội vụ" in units and "An Sơn" in units and "Huyện Văn Quan" not in units
    assert [c.value for c in wb["Danh mục"]["D"][1:] if c.value] == [
        "Sơ kết (giữa năm)",
        "Tổng kết (cuối năm)",
        "Chuyên đề",
        "Đột xuất",
    ]
    for title, rows in SHEETS.items():
        for row in rows[1:]:
            wb[title].append(list(row))
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    parsed = readers.parse_file(filled, isolated=False)
    assert parsed.problems == []
    assert parsed.sheets_read == ["Cụm thi đua", "Đăng ký thi đua", "Đề nghị khen thưởng", "Quyết định"]
    assert {k: len(parsed.of(k)) for k in parsed.kinds} == {
        "cluster": 8,
        "registration": 6,
        "proposal": 5,
        "decision": 3,
    }
