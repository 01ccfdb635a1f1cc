"""A streaming look at the cells of xlsx/xlsm/ods files, before a reader loads them.

python-calamine gives cached values only: an error cell (`#REF!`) and a formula that was
never calculated both come back as an empty cell, and a value placed far away (`XFD1048576`)
makes it allocate the whole rectangle. This scan finds those cells by reference and
measures each sheet's extent, so the parser can name the cells and refuse oversize sheets.
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
                with archive.open(part) as stream:
                    _scan_xlsx_sheet(stream, scan, max_rows, max_cols)
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError) as exc:
        raise ScanError(str(exc)) from exc
    except Exception as exc:  # defusedxml refuses entities/DTDs with its own exceptions
        raise ScanError(f"{type(exc).__name__}: {exc}") from exc
    return result


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
