"""Phòng Nội vụ's synthetic emulation records for the sample year (SYNTHETIC, made up).

Three clusters (the economic offices, the cultural and social offices, the town and
communes), registrations (each office its own targets; each commune the targets judged per
commune), twelve commendation proposals (collective and individual, mid-year and year end)
and the Council's decisions, written in Phòng Nội vụ's own template. Each file is the full
list of its kinds as of its sending day (a later file of a kind replaces the earlier one).
DN-2022-03 cites budget revenue (KT05), which the sample year's figures keep behind pace:
its evidence is not borne out.
"""

from __future__ import annotations

import calendar
import os
from datetime import date, datetime
from pathlib import Path

from core import catalog as catalog_mod
from ingest.emulation import templates
from ingest.workbook_bytes import stable_bytes

YEAR = 2022
ECONOMY = ("tckh", "nnptnt", "ktht", "tnmt", "kiemlam")
SOCIETY = ("vhtt", "gddt", "yte", "ldtbxh", "bhxh", "congan", "noivu")
COMMUNE_TARGETS = ("KT06", "KT07", "XH03")
MID, END = "Sơ kết (giữa năm)", "Tổng kết (cuối năm)"
GK = "Giấy khen của Chủ tịch UBND huyện"
BK = "Bằng khen của Chủ tịch UBND tỉnh"
# id, occasion, nominee kind, unit (office code or commune name), name, position, form, achievement, targets, date
PROPOSALS = (
    ("DN-2022-01", MID, "Tập thể", "kiemlam", "", "", GK, "Trồng rừng mới vượt tiến độ", "MT01, MT01a", "05/07/2022"),
    (
        "DN-2022-02",
        MID,
        "Cá nhân",
        "bhxh",
        "Lăng Văn Hùng",
        "Giám đốc",
        GK,
        "Mở rộng bảo hiểm y tế",
        "XH04",
        "05/07/2022",
    ),
    ("DN-2022-03", MID, "Tập thể", "tckh", "", "", GK, "Thu ngân sách vượt tiến độ", "KT05", "06/07/2022"),
    (
        "DN-2022-04",
        MID,
        "Cá nhân",
        "yte",
        "Hoàng Thị Mai",
        "Trưởng phòng",
        GK,
        "Xử lý chất thải y tế",
        "MT04",
        "06/07/2022",
    ),
    ("DN-2022-05", MID, "Tập thể", "Thị trấn Văn Quan", "", "", GK, "Đường giao thông nông thôn", "KT07", "07/07/2022"),
    (
        "DN-2022-06",
        MID,
        "Cá nhân",
        "vhtt",
        "Vi Thị Hạnh",
        "Chuyên viên",
        GK,
        "Thu hút khách du lịch",
        "KT08",
        "07/07/2022",
    ),
    ("DN-2022-07", END, "Tập thể", "nnptnt", "", "", BK, "Diện tích gieo trồng đạt kế hoạch", "KT03", "15/12/2022"),
    (
        "DN-2022-08",
        END,
        "Cá nhân",
        "congan",
        "Nông Văn Tuấn",
        "Phó Trưởng Công an huyện",
        GK,
        "Kiềm chế tai nạn giao thông",
        "XH07a, XH07b, XH07c",
        "15/12/2022",
    ),
    ("DN-2022-09", END, "Tập thể", "gddt", "", "", GK, "Trường đạt chuẩn quốc gia", "XH01", "16/12/2022"),
    ("DN-2022-10", END, "Tập thể", "An Sơn", "", "", GK, "Xây dựng nông thôn mới", "KT06", "16/12/2022"),
    (
        "DN-2022-11",
        END,
        "Cá nhân",
        "ktht",
        "Hoàng Văn Long",
        "Trưởng phòng",
        GK,
        "Điện lưới đến thôn bản",
        "KT09",
        "17/12/2022",
    ),
    ("DN-2022-12", "Đột xuất", "Tập thể", "Tràng Các", "", "", GK, "Phòng chống thiên tai", "", "20/09/2022"),
)
# proposal id -> outcome, new form, number, date
DECISIONS = {
    "DN-2022-01": ("Đã duyệt", "", "215/QĐ-UBND", "25/07/2022"),
    "DN-2022-02": ("Đã duyệt", "", "215/QĐ-UBND", "25/07/2022"),
    "DN-2022-03": ("Không duyệt", "", "215/QĐ-UBND", "25/07/2022"),
    "DN-2022-04": ("Đổi hình thức", "Giấy khen của Hội đồng Thi đua - Khen thưởng huyện", "215/QĐ-UBND", "25/07/2022"),
    "DN-2022-05": ("Đã duyệt", "", "215/QĐ-UBND", "25/07/2022"),
    "DN-2022-06": ("Đã duyệt", "", "215/QĐ-UBND", "25/07/2022"),
    "DN-2022-12": ("Đã duyệt", "", "301/QĐ-UBND", "30/09/2022"),
    "DN-2022-07": ("Đã duyệt", "", "402/QĐ-UBND", "28/12/2022"),
    "DN-2022-09": ("Đổi hình thức", GK.replace("Giấy khen", "Bằng khen"), "402/QĐ-UBND", "28/12/2022"),
}
SIGNER = "Chủ tịch UBND huyện"


def _day(text: str) -> date:
    d, m, y = (int(x) for x in text.split("/"))
    return date(y, m, d)


def _clusters(cat: catalog_mod.Catalog) -> list[tuple]:
    rows = []
    for code, name, members in (
        ("CUM-KT", "Cụm các phòng khối kinh tế", [cat.offices[c].name_vi for c in ECONOMY]),
        ("CUM-VX", "Cụm các phòng khối văn hóa - xã hội", [cat.offices[c].name_vi for c in SOCIETY]),
        ("CUM-XA", "Cụm các xã, thị trấn", [u.name_vi for u in _places(cat)]),
    ):
        rows += [(YEAR, code, name, member, "x" if i == 0 else "") for i, member in enumerate(members)]
    return rows


def _places(cat: catalog_mod.Catalog) -> list:
    units = cat.communes_on(date(YEAR, 1, 1))
    return sorted(units, key=lambda u: (u.unit_type != "thi_tran", u.name_vi))


def _registrations(cat: catalog_mod.Catalog) -> list[tuple]:
    rows = []
    for target in cat.targets_for(YEAR):
        rows.append((YEAR, cat.offices[target.responsible_office].name_vi, "01/03/2022", target.code, "", ""))
    rows.append((YEAR, "Phòng Nội vụ", "01/03/2022", "", "Hoàn thành cải cách hành chính", "100% hồ sơ đúng hạn"))
    for unit in _places(cat):
        rows += [(YEAR, unit.name_vi, "05/03/2022", code, "", "") for code in COMMUNE_TARGETS]
    return rows


def _unit(cat: catalog_mod.Catalog, text: str) -> str:
    return cat.offices[text].name_vi if text in cat.offices else text


def _proposal_rows(cat: catalog_mod.Catalog, by: date) -> list[tuple]:
    return [
        (YEAR, pid, occ, kind, _unit(cat, unit), name, pos, form, what, targets, "Phòng Nội vụ", day)
        for pid, occ, kind, unit, name, pos, form, what, targets, day in PROPOSALS
        if _day(day) <= by
    ]


def _decision_rows(by: date) -> list[tuple]:
    return [
        (YEAR, pid, outcome, new, number, day, SIGNER)
        for pid, (outcome, new, number, day) in DECISIONS.items()
        if _day(day) <= by
    ]


# (sending day, file stem, which kinds)
FILES = (
    (date(2022, 3, 8), "noivu_2022-03_cum-va-dang-ky", ("clusters", "registrations")),
    (date(2022, 7, 8), "noivu_2022-07_de-nghi-so-ket", ("proposals",)),
    (date(2022, 7, 26), "noivu_2022-07_quyet-dinh-so-ket", ("decisions",)),
    (date(2022, 9, 30), "noivu_2022-09_de-nghi-va-quyet-dinh-dot-xuat", ("proposals", "decisions")),
    (date(2022, 12, 18), "noivu_2022-12_de-nghi-tong-ket", ("proposals",)),
    (date(2022, 12, 29), "noivu_2022-12_quyet-dinh-tong-ket", ("decisions",)),
)


def write_files(out: Path, until: date, cat: catalog_mod.Catalog | None = None) -> list[Path]:
    """Write Phòng Nội vụ's files sent by ``until`` under ``out/noivu``; mtime is the sending time."""
    cat = cat or catalog_mod.default()
    folder = out / "noivu"
    written = []
    for sent, stem, kinds in FILES:
        if sent > until:
            continue
        wb = templates.build_workbook(YEAR, cat)
        content = {
            "clusters": ("Cụm thi đua", _clusters(cat)),
            "registrations": ("Đăng ký thi đua", _registrations(cat)),
            "proposals": ("Đề nghị khen thưởng", _proposal_rows(cat, sent)),
            "decisions": ("Quyết định", _decision_rows(sent)),
        }
        for kind in kinds:
            sheet, rows = content[kind]
            for row in rows:
                wb[sheet].append(list(row))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}_SYNTHETIC.xlsx"
        path.write_bytes(stable_bytes(wb))
        stamp = calendar.timegm(datetime(sent.year, sent.month, sent.day, 2, 0).timetuple())
        os.utime(path, (stamp, stamp))
        written.append(path)
    return written
