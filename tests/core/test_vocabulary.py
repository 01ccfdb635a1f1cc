"""The vocabulary seed: the one label and colour of every status, state and severity."""

from __future__ import annotations

import csv
import re
import unicodedata

from core import catalog, vocabulary
from core.settings import CATALOG_DIR, REPO_ROOT


def test_attainment_statuses_in_display_order_with_their_one_label() -> None:
    assert vocabulary.labels_vi(vocabulary.ATTAINMENT_STATUS) == {
        "vuot": "Vượt",
        "dat": "Đạt",
        "dung_tien_do": "Đúng tiến độ",
        "cham_tien_do": "Chậm tiến độ",
        "chua_dat": "Chưa đạt",
        "khong_dat": "Không đạt",
        "thieu_so_lieu": "Thiếu số liệu",
    }
    assert list(vocabulary.labels_vi(vocabulary.ATTAINMENT_STATUS)) == list(catalog.STATUS_VI)
    assert vocabulary.labels_vi(vocabulary.ATTAINMENT_STATUS) == catalog.STATUS_VI


def test_on_track_statuses_are_reached_or_on_pace() -> None:
    assert vocabulary.on_track_statuses() == ("vuot", "dat", "dung_tien_do")
    groups = {t.code: t.ranking_group for t in vocabulary.terms(vocabulary.ATTAINMENT_STATUS)}
    assert groups == {
        "vuot": "met",
        "dat": "met",
        "dung_tien_do": "met",
        "cham_tien_do": "missed",
        "chua_dat": "not_yet",
        "khong_dat": "missed",
        "thieu_so_lieu": "missing",
    }


def test_reached_and_weakest_first_come_from_the_seed() -> None:
    """A group of targets is met when every member is reached, and takes its weakest member's status."""
    assert vocabulary.reached_statuses() == ("vuot", "dat")
    assert vocabulary.at_risk_statuses() == ("cham_tien_do", "chua_dat", "khong_dat", "thieu_so_lieu")
    weakest_first = sorted(vocabulary.terms(vocabulary.ATTAINMENT_STATUS), key=lambda t: t.weakness_rank)
    assert [t.code for t in weakest_first] == [
        "khong_dat",
        "thieu_so_lieu",
        "cham_tien_do",
        "chua_dat",
        "dung_tien_do",
        "dat",
        "vuot",
    ]
    assert {t.weakness_rank for t in vocabulary.terms(vocabulary.COMPLIANCE_STATUS)} == {None}


def test_one_severity_wording_everywhere() -> None:
    assert vocabulary.labels_vi(vocabulary.SEVERITY) == {
        "error": "Lỗi (phải sửa)",
        "rejected": "Dòng bị loại",
        "warning": "Cảnh báo (nên kiểm tra)",
    }
    from ingest.report import SEVERITY_VI

    assert vocabulary.labels_vi(vocabulary.SEVERITY) == SEVERITY_VI


def test_compliance_states_and_unit_levels() -> None:
    assert vocabulary.labels_vi(vocabulary.COMPLIANCE_STATUS) == {
        "dung_han": "Đúng hạn",
        "tre_han": "Trễ hạn",
        "chua_nop": "Chưa nộp",
        "chua_den_han": "Chưa đến hạn",
    }
    assert catalog.UNIT_LEVEL_VI == {"huyen": "toàn huyện", "thi_tran": "thị trấn", "xa": "từng xã"}
    assert catalog.levels_vi(("xa", "huyen", "thi_tran")) == "toàn huyện, thị trấn hoặc từng xã"
    assert catalog.levels_vi(("xa",)) == "từng xã"


def test_file_statuses_are_the_audit_tables_statuses() -> None:
    ddl = (REPO_ROOT / "warehouse" / "sql" / "020_audit.sql").read_text(encoding="utf-8")
    allowed = re.search(r"status in \(([^)]*)\)", ddl)
    assert allowed is not None
    assert set(vocabulary.codes(vocabulary.FILE_STATUS)) == set(re.findall(r"'(\w+)'", allowed.group(1)))


def test_one_colour_per_status_and_the_pdf_uses_it() -> None:
    colours = vocabulary.colours(vocabulary.ATTAINMENT_STATUS)
    assert colours == {
        "vuot": "#1B7F3B",
        "dat": "#2E9E4F",
        "dung_tien_do": "#2F6DB5",
        "cham_tien_do": "#E08A00",
        "chua_dat": "#7B5EA7",
        "khong_dat": "#C62828",
        "thieu_so_lieu": "#8A8A8A",
    }
    assert len(set(colours.values())) == len(colours)
    from reporting.review_pdf import STATUS_COLOURS

    assert {code: "#" + c.hexval()[2:].upper() for code, c in STATUS_COLOURS.items()} == colours


def test_unknown_code_names_domain_and_code() -> None:
    try:
        vocabulary.label_vi(vocabulary.SEVERITY, "fatal")
    except KeyError as error:
        assert "severity: fatal" in str(error)
    else:
        raise AssertionError("an unknown code must not get a label")


def test_seed_rows_are_complete_unique_and_nfc() -> None:
    with open(CATALOG_DIR / vocabulary.VOCABULARY_FILE, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [(r["domain"], r["code"]) for r in rows]
    assert len(keys) == len(set(keys))
    for row in rows:
        assert all(unicodedata.is_normalized("NFC", value) for value in row.values()), row
        assert row["label_vi"] and row["description_vi"], row
        assert row["colour"] == "" or re.fullmatch(r"#[0-9A-F]{6}", row["colour"]), row
    for domain in vocabulary.domains():
        orders = [t.sort_order for t in vocabulary.terms(domain)]
        assert orders == list(range(1, len(orders) + 1)), domain
