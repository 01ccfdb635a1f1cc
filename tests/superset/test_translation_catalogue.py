"""The Vietnamese catalogues as files: complete for reader pages, NFC, placeholders intact, compilable.

Fast (no Superset started): reads the project's .po files and the installed Superset's
messages.pot, and compiles with install.py into a temporary folder.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from superset.translations import check_coverage as coverage
from superset.translations import install

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO / "superset" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]|\{\w*\}")


def messages(po: Path) -> list:
    with po.open("rb") as fh:
        return [m for m in read_po(fh, locale="vi") if m.id]


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, (list, tuple)) else (message.string,)


@pytest.fixture(scope="module")
def pot() -> Path:
    try:
        return coverage.installed_pot()
    except FileNotFoundError:
        pytest.skip("no installed Superset (.venv-superset): run make install")


def test_every_reader_string_is_translated(pot: Path) -> None:
    readers = coverage.reader_strings()
    assert len(readers) >= 110
    ids = coverage.pot_msgids(pot)
    assert [s for s in readers if s not in ids] == []  # still strings of this Superset
    assert coverage.coverage(pot).reader_missing == []


@pytest.mark.parametrize("po", [coverage.PO, coverage.FAB_PO], ids=["superset", "flask_appbuilder"])
def test_every_translation_is_nfc_and_keeps_its_placeholders(po: Path) -> None:
    bad = []
    for message in messages(po):
        msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
        for text in strings(message):
            if not text:
                continue
            if unicodedata.normalize("NFC", text) != text:
                bad.append(f"not NFC: {msgid!r}")
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(msgid)):
                bad.append(f"placeholders differ: {msgid!r} -> {text!r}")
    assert bad == []


def test_the_coverage_check_counts_what_superset_has(pot: Path) -> None:
    cov = coverage.coverage(pot)
    assert cov.installed == len(coverage.pot_msgids(pot))
    assert cov.translated + len(cov.untranslated) == cov.installed
    assert cov.translated >= 1500
    assert cov.obsolete == []  # the .po was made from this Superset's messages.pot


def test_the_glossary_terms_are_the_ones_the_catalogue_uses() -> None:
    done = coverage.translations()
    assert done["Dashboards"] == "Bảng điều khiển"
    assert done["Chart"] == "Biểu đồ"
    assert done["Filters"] == "Bộ lọc"
    assert done["Apply filters"] == "Áp dụng bộ lọc"
    assert done["Clear all"] == "Xóa tất cả"
    assert done["Download"] == "Tải xuống"
    assert done["View as table"] == "Xem dạng bảng"
    glossary = (TRANSLATIONS / "GLOSSARY.md").read_text(encoding="utf-8")
    for term in ("Bảng điều khiển", "Biểu đồ", "Bộ lọc", "Tải xuống", "chỉ tiêu", "kỳ"):
        assert term in glossary


def test_compiles_to_mo_and_to_the_front_end_language_pack(tmp_path: Path) -> None:
    counts = install.build(tmp_path / "superset", tmp_path / "fab")
    pack = json.loads((tmp_path / "superset" / "vi" / "LC_MESSAGES" / "messages.json").read_text("utf-8"))
    assert pack["domain"] == "superset"
    data = pack["locale_data"]["superset"]
    assert data[""] == {"domain": "superset", "plural_forms": "nplurals=1; plural=0;", "lang": "vi"}
    assert data["Apply filters"] == ["Áp dụng bộ lọc"]
    assert len(data) - 1 == counts["superset"]
    assert all(v and all(v) for k, v in data.items() if k)  # untranslated strings are left out
    from babel.messages.mofile import read_mo

    with (tmp_path / "fab" / "vi" / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        fab = {m.id: m.string for m in read_mo(fh) if m.id}
    assert fab["Sign In"] == "Đăng nhập"
    assert len(fab) == counts["flask_appbuilder"]
