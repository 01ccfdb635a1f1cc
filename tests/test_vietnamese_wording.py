"""What an office or a leader reads is Vietnamese as people write it (issue 15, item 5).

Scanned: the generated Superset assets (dashboard, chart and filter titles, column and metric
labels, descriptions, headers), the reminder e-mails (every office, on a day when everything
of the first half-year is owed) and the review pack (workbook and PDF text, built from a
hand-made ReviewData, no database). None may hold a period code (``2022-05``, ``2022-Q2``), a
snake_case token (indicator codes, rule codes, table names), an English rule code or a
folder path (``inbox/``); labels start with a capital. Data values the tests put in (names of
people's units and targets) are Vietnamese already and are not what is checked.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from core import catalog as catalog_mod
from core.calendar import obligations
from reporting import review_pdf, review_xlsx
from reporting.reminders import compose, outstanding
from reporting.review_data import MissingFigure, RankRow, ReviewData, TargetRow

ROOT = Path(__file__).resolve().parents[1]
ASSETS = ROOT / "superset" / "assets"

PERIOD_CODE = re.compile(r"\b20\d\d-(Q[1-4]|\d\d)\b")
SNAKE_CASE = re.compile(r"\b[a-z]+_[a-z_]+\b")
ENGLISH = re.compile(r"\b(the|of|and|status|target|period|rank|score|code|count|total|month|year)\b", re.I)
RULE_CODES = sorted(
    set(re.findall(r'rule="([a-z_]+)"', "".join(p.read_text() for p in (ROOT / "ingest").rglob("*.py"))))
)


def problems_in(text: str, where: str) -> list[str]:
    found = []
    for name, pattern in (("period code", PERIOD_CODE), ("snake_case", SNAKE_CASE), ("English", ENGLISH)):
        found += [f"{where}: {name} {m.group(0)!r} in {text[:120]!r}" for m in pattern.finditer(text)]
    found += [f"{where}: rule code {rule!r}" for rule in RULE_CODES if rule in text]
    if "inbox/" in text:
        found.append(f"{where}: folder path in {text[:120]!r}")
    return found


def label_problems(label: str, where: str) -> list[str]:
    found = problems_in(label, where)
    if label and not label[0].isupper():
        found.append(f"{where}: label {label!r} does not start with a capital")
    return found


# ---------------------------------------------------------------- Superset
def superset_texts() -> list[tuple[str, str, bool]]:
    """(where, text, is a label) of everything a dashboard reader sees of the bundle."""
    texts: list[tuple[str, str, bool]] = []
    for path in sorted(ASSETS.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        rel = str(path.relative_to(ASSETS))
        if rel.startswith("datasets/"):
            texts.append((rel, doc["description"] or "", False))
            texts += [(f"{rel}:{c['column_name']}", c["verbose_name"], True) for c in doc["columns"]]
            texts += [(f"{rel}:{m['metric_name']}", m["verbose_name"], True) for m in doc["metrics"]]
        elif rel.startswith("charts/"):
            texts.append((rel, doc["slice_name"], True))
            texts.append((rel, doc["description"] or "", False))
            texts += [(f"{rel}:metric", m["label"], True) for m in doc["params"].get("metrics") or []]
            texts += [
                (f"{rel}:colour", r["targetValue"], True) for r in doc["params"].get("conditional_formatting", [])
            ]
        elif rel.startswith("dashboards/"):
            texts.append((rel, doc["dashboard_title"], True))
            for key, part in doc["position"].items():
                meta = part.get("meta", {}) if isinstance(part, dict) else {}
                for field in ("text", "sliceName"):
                    if field in meta:
                        texts.append((f"{rel}:{key}", meta[field], True))
            for f in doc["metadata"]["native_filter_configuration"]:
                texts.append((f"{rel}:{f['id']}", f["name"], True))
                texts.append((f"{rel}:{f['id']}", f.get("description") or "", False))
        elif rel.startswith("databases/"):
            texts.append((rel, doc["database_name"], True))
    return texts


def test_superset_assets_read_as_vietnamese() -> None:
    found = []
    for where, text, is_label in superset_texts():
        found += label_problems(text, where) if is_label else problems_in(text, where)
        assert unicodedata.is_normalized("NFC", text), where
    assert found == []


def test_the_scan_catches_what_it_should() -> None:
    assert problems_in("Kỳ báo cáo 2022-Q2", "x") and problems_in("tháng 2022-05", "x")
    assert problems_in("Mã budget_revenue", "x") and problems_in("thư mục inbox/yte/", "x")
    assert problems_in("Cột value_jump", "x") and label_problems("tháng", "x")
    assert problems_in("Target status", "x")
    assert not label_problems("Tháng 5/2022, Quý 2/2022 “Chưa xếp hạng”", "x")


# ---------------------------------------------------------------- reminder e-mails
def test_reminder_emails_read_as_vietnamese() -> None:
    cat = catalog_mod.default()
    owed = obligations(cat, 2022)
    per_office = outstanding(owed, {}, date(2022, 7, 22), lead_days=5)
    assert len(per_office) >= 10
    found = []
    for office_code, reminders in per_office.items():
        subject, body = compose(cat.offices[office_code], reminders, cat)
        found += problems_in(subject, f"{office_code} subject") + problems_in(body, f"{office_code} body")
        assert "tháng" in body.lower() or "quý" in body.lower() or "năm" in body.lower()
        assert '"' not in body and "«" not in body  # quotes are “…”
    assert found == []


# ---------------------------------------------------------------- review pack
def review_data() -> ReviewData:
    d = Decimal
    targets = [
        TargetRow(1, "KT01", "Kinh tế", "Tổng giá trị sản xuất tăng 8,5-9%", "%", "Phòng Tài chính - Kế hoạch",
                  d("8.5"), d("9"), d("9.6"), d("1.13"), "vuot", "Vượt", "2022-06"),
        TargetRow(2, "KT04", "Kinh tế", "Sản lượng hồi tươi 17.600 tấn", "tấn", "Phòng Nông nghiệp và PTNT",
                  d("17600"), None, d("6150.5"), d("0.35"), "cham_tien_do", "Chậm tiến độ", "2022-05"),
        TargetRow(3, "MT04", "Môi trường", "Tỷ lệ chất thải y tế được xử lý đạt 100%", "%", "Phòng Y tế",
                  d("100"), None, None, None, "thieu_so_lieu", "Thiếu số liệu", None),
    ]  # fmt: skip
    communes = [
        RankRow(1, "TRAN_NINH", "Xã Trấn Ninh", 12, 10, d("85.5"), None, d("85.5")),
        RankRow(2, "TU_XUYEN", "Xã Tú Xuyên", 12, 0, None, None, None),
    ]
    offices = [RankRow(1, "yte", "Phòng Y tế", 3, 3, d("100"), d("100"), d("100"))]
    missing = [
        MissingFigure("Phòng Y tế", "Chất thải y tế phát sinh", "Quý 2/2022", date(2022, 7, 20), 3,
                      "Còn thiếu 2/17 đơn vị: xã Tú Xuyên, xã Yên Phúc", "MT04", False),
        MissingFigure("Công an huyện", "Số vụ tai nạn giao thông", "Năm 2021", date(2022, 1, 20), 160, None,
                      "XH08", True),
    ]  # fmt: skip
    return ReviewData(2022, "2022-06", targets, communes, offices, missing)


def test_review_pack_reads_as_vietnamese(tmp_path: Path) -> None:
    data = review_data()
    book = openpyxl.load_workbook(review_xlsx.write(data, tmp_path / "pack.xlsx"))
    texts = [
        (f"{sheet.title}!{cell.coordinate}", cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    texts += [("sheet name", sheet.title) for sheet in book.worksheets]
    found = [p for where, text in texts for p in problems_in(text, where)]
    assert "Chưa xếp hạng" in {text for _, text in texts}
    if shutil.which("pdftotext"):
        pdf = review_pdf.write(data, tmp_path / "pack.pdf", made_on=date(2022, 6, 30))
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = unicodedata.normalize("NFC", text)
        found += problems_in(text, "pdf")
        assert "Chưa xếp hạng" in text
    else:  # pragma: no cover - poppler-utils missing
        pytest.skip("poppler-utils (pdftotext) not installed")
    assert found == []
