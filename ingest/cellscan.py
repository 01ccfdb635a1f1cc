"""A streaming look at the cells of xlsx/xlsm/ods files, before a reader loads them.

python-calamine gives cached values only: an error cell (`#REF!`) and a formula that was
never calculated both come back as an empty cell, and a value placed far away (`XFD1048576`)
makes it allocate the whole rectangle. This scan finds those cells by reference and
measures each sheet's extent, so the parser can name the cells and refuse oversize sheets.

Most sheets hold neither formulas nor error cells, and a full XML parse in Python costs
more than calamine's whole read. So an xlsx sheet is first searched at the byte level
(C speed); only a sheet that shows a formula, an error cell, a cell without a reference,
a reference that might breach the caps, or XML written in a way the byte search cannot
judge gets the full scan.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from defusedxml import ElementTree

ERROR_CELL = "error"  # an Excel error value; `text` holds it (#REF!, #DIV/0!, ...)
NO_CACHE = "no_cache"  # a formula saved without its calculated value

_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_ODS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "calcext": "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0",
}
_FAST_MAX_BYTES = 64 * 1024 * 1024  # larger sheets are only ever scanned as a stream
_MAIN_NS = (b"schemas.openxmlformats.org/spreadsheetml/2006/main", b"purl.oclc.org/ooxml/spreadsheetml/main")
_FORMULA = re.compile(rb"<f[\s>/]")
_ERROR_TYPE = re.compile(rb"""t\s*=\s*["']e["']""")  # also matches other attributes ending in t: harmless
_ODD_TAG = re.compile(rb"<(?:c|row)[\t\r\n]")  # a tag name followed by whitespace other than a space
_CELL_AND_ROW_TAGS = (b"<c ", b"<c>", b"<c/", b"<row ", b"<row>", b"<row/")


@dataclass
class SheetScan:
    """What the scan saw in one sheet (0-based positions)."""

    name: str
    max_row: int = -1  # last row holding a value
    max_col: int = -1
    flags: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)  # (r, c) -> (kind, text)


class ScanError(ValueError):
    """The file's XML could not be read."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part path) in workbook order, via workbook.xml and its relationships."""
    rels: dict[str, str] = {}
    with archive.open("xl/_rels/workbook.xml.rels") as stream:
        for _, elem in ElementTree.iterparse(stream):
            if _local(elem.tag) == "Relationship":
                target = elem.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
                rels[elem.get("Id", "")] = path
    sheets = []
    with archive.open("xl/workbook.xml") as stream:
        for _, elem in ElementTree.iterparse(stream):
            if _local(elem.tag) == "sheet":
                rid = next((v for k, v in elem.attrib.items() if _local(k) == "id"), "")
                if rid in rels:
                    sheets.append((elem.get("name", ""), rels[rid]))
    return sheets


def scan_xlsx(path: str, max_rows: int, max_cols: int) -> dict[str, SheetScan]:
    """Scan every worksheet; stops a sheet early once it is known to be over the caps."""
    result: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for sheet_name, part in _xlsx_sheet_parts(archive):
                scan = SheetScan(sheet_name)
                result[sheet_name] = scan
                if part not in names or PurePosixPath(part).suffix != ".xml":
                    continue
                plain = archive.getinfo(part).file_size <= _FAST_MAX_BYTES and _is_plain_sheet(
                    archive.read(part), scan, max_rows, max_cols
                )
                if not plain:
                    scan.max_row, scan.max_col = -1, -1
                    with archive.open(part) as stream:
                        _scan_xlsx_sheet(stream, scan, max_rows, max_cols)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError) as exc:
        raise ScanError(str(exc)) from exc
    except Exception as exc:  # defusedxml refuses entities/DTDs with its own exceptions
        raise ScanError(f"{type(exc).__name__}: {exc}") from exc
    return result


def _far_ref(max_rows: int) -> re.Pattern[bytes]:
    """References that might lie beyond the caps: a row number with as many digits as the row
    cap (smaller ones are always below it), or a column of two or three letters (past Z)."""
    digits = len(str(max_rows))
    return re.compile(rb' r="([A-Z]{2,3}[0-9]+|[A-Z][0-9]{%d,})"' % digits)


def _is_plain_sheet(data: bytes, scan: SheetScan, max_rows: int, max_cols: int) -> bool:
    """True when the sheet XML has no formula, no error cell and no cell or row without a
    reference, and every reference is within the caps: the full scan would flag nothing.

    Byte searches are only sound when element names carry no namespace prefix, so any other
    binding of the main namespace sends the sheet to the full scan. ``scan.max_row`` and
    ``max_col`` get the largest position among the references checked (an under-estimate of
    the extent, which matters only when it breaches a cap, and then the full scan runs).
    """
    if max_cols < 26:
        return False  # single-letter columns are assumed to be within the column cap
    for ns in _MAIN_NS:
        if data.count(ns) != data.count(b'xmlns="http://' + ns + b'"'):
            return False
    if _FORMULA.search(data) or _ERROR_TYPE.search(data) or _ODD_TAG.search(data):
        return False
    if data.count(b' r="') != sum(data.count(tag) for tag in _CELL_AND_ROW_TAGS):
        return False  # some cell or row has an implicit position, or the reference is written oddly
    for found in _far_ref(max_rows).finditer(data):
        ref = _REF.fullmatch(found.group(1).decode("ascii"))
        if ref:
            scan.max_row = max(scan.max_row, int(ref.group(2)) - 1)
            scan.max_col = max(scan.max_col, _col_index(ref.group(1)))
    return scan.max_row < max_rows and scan.max_col < max_cols


def _scan_xlsx_sheet(stream: object, scan: SheetScan, max_rows: int, max_cols: int) -> None:
    row, col = -1, -1
    for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
        tag = _local(elem.tag)
        if event == "start":
            if tag == "row":
                r = elem.get("r")
                row, col = (int(r) - 1 if r and r.isdigit() else row + 1), -1
            continue
        if tag != "c":
            if tag == "row":
                elem.clear()
            continue
        ref = _REF.fullmatch(elem.get("r", ""))
        if ref:
            col, row = _col_index(ref.group(1)), int(ref.group(2)) - 1
        else:
            col += 1
        children = {_local(child.tag): child for child in elem}
        value = children.get("v")
        has_value = (value is not None and (value.text or "") != "") or "is" in children
        if elem.get("t") == "e":
            scan.flags[(row, col)] = (ERROR_CELL, (value.text or "#ERROR") if value is not None else "#ERROR")
        elif "f" in children and not has_value and elem.get("t") != "str":
            scan.flags[(row, col)] = (NO_CACHE, "")
        if has_value:
            scan.max_row = max(scan.max_row, row)
            scan.max_col = max(scan.max_col, col)
        elem.clear()
        if scan.max_row >= max_rows or scan.max_col >= max_cols:
            return


def _attr(elem: object, ns: str, name: str) -> str | None:
    return elem.get(f"{{{_ODS[ns]}}}{name}")  # type: ignore[attr-defined]


def scan_ods(path: str, max_rows: int, max_cols: int) -> dict[str, SheetScan]:
    """Scan content.xml of an ods file, expanding repeated rows and columns arithmetically."""
    result: dict[str, SheetScan] = {}
    scan: SheetScan | None = None
    row, col, row_repeat = 0, 0, 1
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
                tag = _local(elem.tag)
                if event == "start":
                    if tag == "table":
                        scan = SheetScan(_attr(elem, "table", "name") or "")
                        result[scan.name] = scan
                        row = 0
                    elif tag == "table-row":
                        col = 0
                        row_repeat = int(_attr(elem, "table", "number-rows-repeated") or 1)
                    continue
                if tag == "table-row":
                    row += row_repeat
                    elem.clear()
                elif tag in ("table-cell", "covered-table-cell") and scan is not None:
                    repeat = int(_attr(elem, "table", "number-columns-repeated") or 1)
                    _ods_cell(elem, scan, row, col, repeat, row_repeat)
                    col += repeat
                    elem.clear()
                    if scan.max_row >= max_rows or scan.max_col >= max_cols:
                        break
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError) as exc:
        raise ScanError(str(exc)) from exc
    except Exception as exc:  # defusedxml's refusals
        raise ScanError(f"{type(exc).__name__}: {exc}") from exc
    return result


def _ods_cell(elem: object, scan: SheetScan, row: int, col: int, repeat: int, row_repeat: int) -> None:
    value_type = _attr(elem, "office", "value-type")
    text = "".join(elem.itertext()).strip()  # type: ignore[attr-defined]
    if _attr(elem, "calcext", "value-type") == "error":
        scan.flags[(row, col)] = (ERROR_CELL, text or "#ERROR")
    elif _attr(elem, "table", "formula") and value_type is None:
        scan.flags[(row, col)] = (NO_CACHE, "")
    if value_type is not None or text:
        scan.max_row = max(scan.max_row, row + row_repeat - 1)
        scan.max_col = max(scan.max_col, col + repeat - 1)
