"""Text normalisation shared by the parsers: NFC, and a folded key for loose matching.

Office staff type the same name many ways (with or without tone marks, old or new tone
placement, any case and spacing); matching on a folded key makes all of them meet.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Spaces that Excel and Word put into numbers and names (no-break, thin, narrow no-break).
_ODD_SPACES = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": ""})


# Cells repeat heavily (unit names, codes, value types), so the two keys every cell goes
# through are memoised; the caches are bounded, so a hostile file cannot grow them.
@lru_cache(maxsize=65536)
def nfc(text: str) -> str:
    """NFC form with odd spaces made plain and runs of spaces collapsed, trimmed."""
    text = unicodedata.normalize("NFC", text).translate(_ODD_SPACES)
    return _SPACES.sub(" ", text).strip()


def strip_marks(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; đ/Đ become d/D."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare.replace("đ", "d").replace("Đ", "D"))


def loose_key(text: str) -> str:
    """Lower-case NFC key that keeps tone marks (so `Văn An` and `Vân An` stay apart)."""
    return nfc(text).casefold()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case key without marks, punctuation turned to single spaces."""
    bare = strip_marks(nfc(text)).casefold()
    bare = _NOT_ALNUM.sub(" ", bare)
    return bare.strip()


def compact(text: str) -> str:
    """`fold` without any spaces: `Mã  chỉ_tiêu` -> `machitieu`."""
    return fold(text).replace(" ", "")


def col_letter(index: int) -> str:
    """Excel column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row0: int, col0: int) -> str:
    """Excel reference of a 0-based cell position, e.g. (6, 2) -> `C7`."""
    return f"{col_letter(col0)}{row0 + 1}"
