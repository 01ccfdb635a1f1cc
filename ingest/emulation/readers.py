"""Read Phòng Nội vụ's files: each sheet is one record kind, told apart by its headers.

A workbook may hold several kinds (the template has one sheet per kind); a csv holds one.
Headers are matched without regard to case, marks, spacing or notes in brackets. Values are
resolved against the catalog here (units by office code or name, commune or town by name;
target codes; occasions, nominee kinds and outcomes by their Vietnamese words); what cannot
be resolved is kept as written, for the suite to refuse with what it found.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from core import catalog as catalog_mod
from ingest import guards, readers, sandbox
from ingest.emulation.model import CLUSTER, DECISION, PROPOSAL, REGISTRATION, EmulationParse, EmulationRow
from ingest.model import ERROR, Problem
from ingest.names import FOUND, UnitResolver
from ingest.text import compact, fold, nfc

MAX_HEADER_ROWS = 15

# field -> accepted headers (compared after `_key`); the first is what the template writes.
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    CLUSTER: {
        "plan_year": ("Năm", "year"),
        "cluster_code": ("Mã cụm", "cluster_code"),
        "cluster_name": ("Tên cụm", "cluster_name"),
        "unit": ("Đơn vị thành viên", "Đơn vị", "unit"),
        "is_head": ("Trưởng cụm", "head"),
    },
    REGISTRATION: {
        "plan_year": ("Năm", "year"),
        "unit": ("Đơn vị đăng ký", "Đơn vị", "unit"),
        "registered_on": ("Ngày đăng ký", "registered_on"),
        "target_code": ("Mã chỉ tiêu", "target_code"),
        "criterion": ("Tiêu chí riêng", "criterion"),
        "measure": ("Thước đo", "measure"),
    },
    PROPOSAL: {
        "plan_year": ("Năm", "year"),
        "proposal_id": ("Mã đề nghị", "proposal_id"),
        "occasion": ("Dịp khen thưởng", "Dịp", "occasion"),
        "nominee_kind": ("Đối tượng", "nominee_kind"),
        "unit": ("Đơn vị", "Đơn vị được đề nghị", "unit"),
        "person_name": ("Họ và tên", "Họ tên", "person_name"),
        "person_position": ("Chức vụ", "position"),
        "award_form": ("Hình thức khen thưởng", "Hình thức", "award_form"),
        "achievement": ("Thành tích", "achievement"),
        "evidence_targets": ("Chỉ tiêu minh chứng", "Chỉ tiêu", "evidence_targets"),
        "proposing_unit": ("Đơn vị đề nghị", "proposing_unit"),
        "proposed_on": ("Ngày đề nghị", "proposed_on"),
    },
    DECISION: {
        "plan_year": ("Năm", "year"),
        "proposal_id": ("Mã đề nghị", "proposal_id"),
        "outcome": ("Kết quả", "outcome"),
        "new_award_form": ("Hình thức mới", "new_award_form"),
        "decision_number": ("Số quyết định", "decision_number"),
        "decided_on": ("Ngày quyết định", "decided_on"),
        "signer": ("Người ký", "signer"),
    },
}
# The headers that tell a kind apart (all must be present).
SIGNATURE = {
    CLUSTER: ("plan_year", "cluster_code", "unit"),
    REGISTRATION: ("plan_year", "unit", "target_code"),
    PROPOSAL: ("plan_year", "proposal_id", "occasion", "nominee_kind", "unit", "award_form"),
    DECISION: ("plan_year", "proposal_id", "outcome"),
}
# Checked from the most specific: a proposal sheet also has the headers of a decision's id.
ORDER = (PROPOSAL, DECISION, CLUSTER, REGISTRATION)

OCCASIONS = {
    "so ket": "so_ket",
    "giua nam": "so_ket",
    "so ket giua nam": "so_ket",
    "tong ket": "tong_ket",
    "cuoi nam": "tong_ket",
    "tong ket cuoi nam": "tong_ket",
    "chuyen de": "chuyen_de",
    "dot xuat": "dot_xuat",
}
NOMINEES = {"tap the": "tap_the", "ca nhan": "ca_nhan"}
OUTCOMES = {
    "da duyet": "da_duyet",
    "duyet": "da_duyet",
    "dong y": "da_duyet",
    "khong duyet": "khong_duyet",
    "khong dong y": "khong_duyet",
    "doi hinh thuc": "doi_hinh_thuc",
}
YES = {"x", "co", "truong cum", "1", "true", "yes"}
_BRACKETS = re.compile(r"[(\[].*?[)\]]|\*")
_CODES = re.compile(r"[\s,;/]+")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")


def _key(text: object) -> str:
    return compact(_BRACKETS.sub("", nfc(str(text)))) if text is not None else ""


_ALIASES = {kind: {_key(a): fld for fld, names in spec.items() for a in names} for kind, spec in HEADERS.items()}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


def _header(rows: list[list[object]]) -> tuple[str, int, dict[str, int]] | None:
    """(kind, header row, field -> column) of the first row naming a kind's signature."""
    for r in range(min(len(rows), MAX_HEADER_ROWS)):
        keys = [_key(cell) for cell in rows[r]]
        for kind in ORDER:
            columns: dict[str, int] = {}
            for c, key in enumerate(keys):
                fld = _ALIASES[kind].get(key)
                if fld is not None and fld not in columns:
                    columns[fld] = c
            if all(f in columns for f in SIGNATURE[kind]):
                return kind, r, columns
    return None


class Resolver:
    """Units (offices and communes/town) and targets of the catalog, by every spelling accepted."""

    def __init__(self, cat: catalog_mod.Catalog) -> None:
        self.cat = cat
        self.units = UnitResolver(cat)
        self.offices: dict[str, str] = {}
        for office in cat.offices.values():
            for name in (office.code, office.name_vi, re.sub(r"^(Phòng|Hạt)\s+", "", office.name_vi)):
                self.offices[fold(name)] = office.code
        self.targets = {t.code.upper() for t in cat.targets}

    def unit(self, text: str, on: date | None = None) -> str | None:
        if not text:
            return None
        office = self.offices.get(fold(text))
        if office is not None:
            return office
        found = self.units.resolve(text, on)
        if found.status == FOUND and found.code and self.cat.units[found.code].unit_type != "huyen":
            return found.code
        return None

    def target_codes(self, text: str) -> tuple[list[str], list[str]]:
        """(known, unknown) target codes of a cell such as ``KT03, KT04``."""
        codes = [c for c in _CODES.split(text.strip()) if c]
        known = [c.upper() for c in codes if c.upper() in self.targets]
        unknown = [c for c in codes if c.upper() not in self.targets]
        return known, unknown


def _year(value: object) -> int | None:
    text = _text(value)
    return int(text) if re.fullmatch(r"20\d\d", text) else None


def _day(value: object) -> date | str | None:
    """A date, None when blank, or the text as written when it is not a date."""
    if value is None or _text(value) == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
    elif m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    else:
        return text
    try:
        return date(year, month, day)
    except ValueError:
        return text


def _word(value: object, words: dict[str, str]) -> str | None:
    return words.get(fold(_text(value))) if _text(value) else None


def _row(kind: str, sheet: str, r: int, cells: dict[str, object], res: Resolver) -> EmulationRow:
    year = _year(cells.get("plan_year"))
    on = date(year, 1, 1) if year else None
    values: dict[str, object] = {}
    unresolved: dict[str, str] = {}
    if cells.get("plan_year") not in (None, "") and year is None:
        unresolved["plan_year"] = _text(cells.get("plan_year"))
    unit_text = _text(cells.get("unit"))
    values["unit_code"] = res.unit(unit_text, on)
    if unit_text and values["unit_code"] is None:
        unresolved["unit"] = unit_text
    for fld in ("registered_on", "proposed_on", "decided_on"):
        if fld in HEADERS[kind]:
            day = _day(cells.get(fld))
            values[fld] = day if isinstance(day, date) else None
            if isinstance(day, str):
                unresolved[fld] = day
    for fld, words in (("occasion", OCCASIONS), ("nominee_kind", NOMINEES), ("outcome", OUTCOMES)):
        if fld in HEADERS[kind]:
            values[fld] = _word(cells.get(fld), words)
            if _text(cells.get(fld)) and values[fld] is None:
                unresolved[fld] = _text(cells.get(fld))
    if kind == CLUSTER:
        values["cluster_code"] = _text(cells.get("cluster_code")).upper() or None
        values["cluster_name"] = _text(cells.get("cluster_name")) or None
        values["is_head"] = fold(_text(cells.get("is_head"))) in YES
    elif kind == REGISTRATION:
        known, unknown = res.target_codes(_text(cells.get("target_code")))
        values["target_code"] = known[0] if len(known) == 1 and not unknown else None
        if unknown or len(known) > 1:
            unresolved["target_code"] = _text(cells.get("target_code"))
        values["criterion"] = _text(cells.get("criterion")) or None
        values["measure"] = _text(cells.get("measure")) or None
    elif kind == PROPOSAL:
        known, unknown = res.target_codes(_text(cells.get("evidence_targets")))
        values["evidence_targets"] = ",".join(known) or None
        if unknown:
            unresolved["evidence_targets"] = ", ".join(unknown)
        for fld in ("proposal_id", "person_name", "person_position", "award_form", "achievement", "proposing_unit"):
            values[fld] = _text(cells.get(fld)) or None
        if values["proposal_id"]:
            values["proposal_id"] = str(values["proposal_id"]).upper()
    else:
        for fld in ("proposal_id", "new_award_form", "decision_number", "signer"):
            values[fld] = _text(cells.get(fld)) or None
        if values["proposal_id"]:
            values["proposal_id"] = str(values["proposal_id"]).upper()
        values.pop("unit_code")
    return EmulationRow(kind, sheet, r + 1, year, values, unresolved)


def _no_kind(sheet: str) -> Problem:
    return Problem(
        ERROR,
        "emulation_unknown_layout",
        f"Trang tính “{sheet}” không có dòng tiêu đề của loại hồ sơ thi đua nào (Cụm thi đua, Đăng ký thi đua, "
        "Đề nghị khen thưởng, Quyết định). Hãy dùng mẫu của Phòng Nội vụ (lệnh make templates) và giữ nguyên "
        "dòng tiêu đề.",
        f"Sheet {sheet!r}: no header row of an emulation record kind",
        sheet_name=sheet,
    )


def _parse(path: Path, cat: catalog_mod.Catalog) -> EmulationParse:
    result = EmulationParse()
    checked = guards.check(path)
    if checked.problems or checked.fmt is None:
        result.problems.extend(checked.problems)
        return result
    book = readers.read(path, checked.fmt)
    result.problems.extend(book.problems)
    if any(p.severity == ERROR for p in book.problems):
        return result
    res = Resolver(cat)
    for grid in book.sheets:
        if grid.hidden or fold(grid.name) in ("huong dan", "danh muc"):
            continue
        found = _header(grid.rows)
        if found is None:
            if any(_text(c) for row in grid.rows for c in row):
                result.problems.append(_no_kind(grid.name))
            continue
        kind, header_row, columns = found
        result.sheets_read.append(grid.name)
        for r in range(header_row + 1, len(grid.rows)):
            row = grid.rows[r]
            cells = {f: (row[c] if c < len(row) else None) for f, c in columns.items()}
            if not any(_text(v) for v in cells.values()):
                continue
            result.rows.append(_row(kind, grid.name, r, cells, res))
    if not result.rows and not any(p.severity == ERROR for p in result.problems):
        result.problems.append(
            Problem(
                ERROR,
                "no_data",
                "Tệp không có dòng hồ sơ thi đua nào đọc được. Hãy điền theo mẫu của Phòng Nội vụ rồi gửi lại.",
                "No emulation record found in the file",
            )
        )
    return result


def _parse_safely(path: Path, cat: catalog_mod.Catalog) -> EmulationParse:
    try:
        return _parse(path, cat)
    except Exception as exc:  # a reader bug must quarantine the file, not crash the load
        return EmulationParse(problems=[guards.corrupt_problem(f"{type(exc).__name__}: {exc}")])


def parse_file(path: Path, cat: catalog_mod.Catalog | None = None, *, isolated: bool = True) -> EmulationParse:
    """Read one file of Phòng Nội vụ; never raises on bad input (reads in a limited child)."""
    cat = cat or catalog_mod.default()
    if not isolated:
        return _parse_safely(Path(path), cat)
    try:
        return sandbox.run(_parse_safely, Path(path), cat)
    except sandbox.ChildFailed as exc:
        return EmulationParse(
            problems=[guards.read_limit_problem(exc.reason, exc.detail, exc.limits.seconds, exc.limits.memory_mb)]
        )
