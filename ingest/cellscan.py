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
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field

import olefile
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


_RELS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_DATA_MARKS = (b"sheetData", "sheetData".encode("utf-16-le")[:-1])  # also UTF-16 XML, either byte order


class WorkbookScan(dict[str, SheetScan]):
    """Sheet name -> scan, plus what the reader could reach that no sheet name points to.

    Which part a sheet name leads to can be written in ways the reader and this scan could
    resolve differently (a part name in another letter case, a ``<sheet>`` with both ``id``
    and ``r:id``, a target with ``..``). So EVERY part of the archive that holds cells is
    scanned for its extent: ``unnamed`` has the parts no name reached, and a file is judged
    on all of them, never only on the ones the names lead to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.unnamed: list[SheetScan] = []
        self.sheet_names: list[str] = []  # every <sheet> name in workbook order, as written

    def duplicate_names(self) -> list[str]:
        """Names that two sheets share (compared as Excel does: in any letter case)."""
        return duplicates(self.sheet_names)

    def over(self, max_rows: int, max_cols: int) -> list[SheetScan]:
        """Every scanned part (named or not) whose extent breaches the caps."""
        return [s for s in (*self.values(), *self.unnamed) if s.max_row >= max_rows or s.max_col >= max_cols]


def duplicates(names: list[str]) -> list[str]:
    """The names that occur twice, compared in NFC and any letter case."""
    seen: set[str] = set()
    twice: list[str] = []
    for name in names:
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen and name not in twice:
            twice.append(name)
        seen.add(key)
    return twice


def _member(archive: zipfile.ZipFile, name: str) -> zipfile.ZipInfo | None:
    """The archive member of that name, matched in any letter case as the reader does."""
    folded = name.casefold()
    for info in archive.infolist():
        if info.filename.casefold() == folded:
            return info
    return None


def _targets(target: str) -> list[str]:
    """The part paths a relationship target may be read as (the reader joins without normalising)."""
    if target.startswith("/xl/"):
        raw = target[1:]
    elif target.startswith("xl/"):
        raw = target
    else:
        raw = f"xl/{target}"
    normalised = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return list(dict.fromkeys((raw, normalised)))


def _xlsx_sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, list[str]]]:
    """(sheet name, candidate part paths) in workbook order, via workbook.xml and its relationships."""
    rels: dict[str, str] = {}
    rels_info = _member(archive, "xl/_rels/workbook.xml.rels")
    if rels_info is not None:
        with archive.open(rels_info) as stream:
            for _, elem in ElementTree.iterparse(stream):
                if _local(elem.tag) == "Relationship":
                    rels.setdefault(elem.get("Id", ""), elem.get("Target", ""))
    book_info = _member(archive, "xl/workbook.xml")
    if book_info is None:
        raise KeyError("xl/workbook.xml")
    sheets = []
    with archive.open(book_info) as stream:
        for _, elem in ElementTree.iterparse(stream):
            if _local(elem.tag) != "sheet":
                continue
            ids = [v for k, v in elem.attrib.items() if k == f"{{{_RELS_NS}}}id"]
            ids += [v for k, v in elem.attrib.items() if _local(k) == "id" and v not in ids]
            parts = [path for rid in ids if rid in rels for path in _targets(rels[rid])]
            sheets.append((elem.get("name", ""), parts))
    return sheets


def _holds_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """True when the part mentions ``sheetData`` (in UTF-8 or UTF-16): the reader may take cells from it."""
    tail = b""
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            window = tail + chunk
            if any(mark in window for mark in _SHEET_DATA_MARKS):
                return True
            tail = window[-32:]
    return False


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, scan: SheetScan, max_rows: int, max_cols: int) -> None:
    plain = info.file_size <= _FAST_MAX_BYTES and _is_plain_sheet(archive.read(info), scan, max_rows, max_cols)
    if not plain:
        scan.max_row, scan.max_col = -1, -1
        with archive.open(info) as stream:
            _scan_xlsx_sheet(stream, scan, max_rows, max_cols)


def scan_xlsx(path: str, max_rows: int, max_cols: int) -> WorkbookScan:
    """Scan every part that holds cells; a part stops early once it is known to be over the caps."""
    result = WorkbookScan()
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = _xlsx_sheet_parts(archive)
            result.sheet_names = [name for name, _ in sheets]
            named: dict[str, list[str]] = {}  # folded part path -> sheet names leading to it
            for name, parts in sheets:
                for part in parts:
                    named.setdefault(part.casefold(), []).append(name)
            for info in archive.infolist():  # every member, even two stored under one name
                if info.is_dir() or not _holds_cells(archive, info):
                    continue
                names = named.get(info.filename.casefold(), [])
                scan = SheetScan(names[0] if names else info.filename)
                _scan_part(archive, info, scan, max_rows, max_cols)
                taken = [name for name in names if name not in result]
                for name in taken:
                    result[name] = scan
                if not taken:  # no name, or its names already lead to another member
                    result.unnamed.append(scan)
            for name, _ in sheets:
                result.setdefault(name, SheetScan(name))
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
    if b"<sheetData" not in data:
        return False  # a prefixed element or another encoding (UTF-16): beyond the byte search
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


def scan_ods(path: str, max_rows: int, max_cols: int) -> WorkbookScan:
    """Scan content.xml of an ods file, expanding repeated rows and columns arithmetically."""
    result = WorkbookScan()
    scan: SheetScan | None = None
    row, col, row_repeat = 0, 0, 1
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
            for event, elem in ElementTree.iterparse(stream, events=("start", "end")):
                tag = _local(elem.tag)
                if event == "start":
                    if tag == "table":
                        scan = SheetScan(_attr(elem, "table", "name") or "")
                        result.sheet_names.append(scan.name)
                        if scan.name in result:
                            result.unnamed.append(scan)
                        else:
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


# --- xls (BIFF5/BIFF8 inside an OLE container) ------------------------------------------

_BIFF_BOF = (0x0809, 0x0409, 0x0209, 0x0009)
_BIFF_EOF = 0x000A
_BIFF_BOUNDSHEET = 0x0085
_BIFF_DIMENSIONS = (0x0200, 0x0000)
# Records that place one cell: their body starts with the row and column (two bytes each).
_BIFF_CELLS = frozenset(
    (0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0206, 0x0406, 0x007E, 0x00D6, 0x00FD)
) | frozenset((0x0201, 0x0203, 0x0204, 0x0205, 0x027E))
_BIFF_MULTI = (0x00BD, 0x00BE)  # MULRK, MULBLANK: a run of cells, the last column at the end
_XLS_MAX_SHEETS = 1000


def _biff_name(body: bytes) -> str:
    """The sheet name of a BOUNDSHEET record (BIFF8 Unicode or BIFF5 byte string)."""
    if len(body) < 7:
        return ""
    count = body[6]
    if len(body) >= 8 and len(body) in (8 + count, 8 + 2 * count):
        raw = body[8 : 8 + (2 * count if body[7] & 1 else count)]
        return raw.decode("utf-16-le" if body[7] & 1 else "latin-1", "replace")
    return body[7 : 7 + count].decode("cp1252", "replace")


def _biff_extent(data: bytes, start: int, scan: SheetScan) -> None:
    """Walk one sheet's records from its BOF to its EOF, widening the scan by every cell and
    by the declared DIMENSIONS (the reader may size its grid from either)."""
    pos, end = start, len(data)
    first = True
    while pos + 4 <= end:
        kind, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if first:
            first = False
            if kind not in _BIFF_BOF:
                return
            continue
        if kind == _BIFF_EOF:
            return
        if kind in _BIFF_CELLS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body)
        elif kind in _BIFF_MULTI and len(body) >= 6:
            row = struct.unpack_from("<H", body)[0]
            col = struct.unpack_from("<H", body, len(body) - 2)[0]
        elif kind in _BIFF_DIMENSIONS and len(body) >= 14:
            _, rows, _, cols = struct.unpack_from("<IIHH", body)
            row, col = rows - 1, cols - 1
        elif kind in _BIFF_DIMENSIONS and len(body) >= 8:
            _, rows, _, cols = struct.unpack_from("<HHHH", body)
            row, col = rows - 1, cols - 1
        else:
            continue
        scan.max_row = max(scan.max_row, row)
        scan.max_col = max(scan.max_col, col)


def scan_xls(path: str) -> WorkbookScan:
    """Every sheet of an xls workbook with its extent, read from the BIFF records before any
    reader allocates a grid: each sheet named in the workbook globals is walked from the
    position the globals give, as the reader does."""
    try:
        with olefile.OleFileIO(path) as ole:
            stream = "Workbook" if ole.exists("Workbook") else "Book"
            data = ole.openstream(stream).read()
    except (OSError, ValueError, IndexError, TypeError, KeyError) as exc:
        raise ScanError(f"ole: {exc}") from exc
    result = WorkbookScan()
    sheets: list[tuple[str, int]] = []
    pos = 0
    while pos + 4 <= len(data):  # the globals substream, up to its EOF
        kind, size = struct.unpack_from("<HH", data, pos)
        body = data[pos + 4 : pos + 4 + size]
        pos += 4 + size
        if kind == _BIFF_BOUNDSHEET and len(body) >= 6:
            sheets.append((_biff_name(body), struct.unpack_from("<I", body)[0]))
            if len(sheets) > _XLS_MAX_SHEETS:
                raise ScanError(f"more than {_XLS_MAX_SHEETS} sheets")
        elif kind == _BIFF_EOF:
            break
    result.sheet_names = [name for name, _ in sheets]
    walked: dict[int, SheetScan] = {}
    for name, offset in sheets:
        if offset not in walked:
            walked[offset] = SheetScan(name)
            _biff_extent(data, offset, walked[offset])
        if name in result:
            result.unnamed.append(walked[offset])
        else:
            result[name] = walked[offset]
    return result
