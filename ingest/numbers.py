"""Numbers written by office staff: Vietnamese style (`17.600`, `8,5`) or international.

`1.500` can mean fifteen hundred (Vietnamese) or one and a half (international). We never
guess cell by cell: a column gets ONE convention, detected from its unambiguous cells or
declared by the submitter, and a column that cannot be told apart is an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ingest.text import nfc

VI = "vi"  # `.` groups thousands, `,` marks decimals
INTL = "intl"  # `,` groups thousands, `.` marks decimals

PLAIN = "plain"  # digits only: the same in both conventions
AMBIGUOUS = "ambiguous"  # `1.500` / `1,500`
INVALID = "invalid"

MAX_TEXT = 64

_PLAIN = re.compile(r"\d+")
_SCI = re.compile(r"\d+(\.\d+)?[eE][+-]?\d{1,3}")
_ONE_SEP = re.compile(r"(\d*)([.,])(\d+)")
_GROUPED = {
    ".": re.compile(r"[1-9]\d{0,2}(\.\d{3})+"),
    ",": re.compile(r"[1-9]\d{0,2}(,\d{3})+"),
}
_GROUPED_DEC = {
    VI: re.compile(r"[1-9]\d{0,2}(\.\d{3})+,\d+"),
    INTL: re.compile(r"[1-9]\d{0,2}(,\d{3})+\.\d+"),
}


class NumberError(ValueError):
    """A text that is not a number, or not one in the column's convention."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # invalid | ambiguous | conflict


@dataclass(frozen=True)
class Convention:
    """The convention of one column, and why."""

    style: str | None  # VI, INTL, or None when every cell is plain digits
    ambiguous: bool = False  # some cells could be read both ways and nothing decides
    conflicting: bool = False  # some cells are clearly VI and others clearly INTL


@dataclass(frozen=True)
class TextNumber:
    """A number read from text; `percent` says whether it was written with `%`."""

    value: Decimal
    percent: bool = False


def _body(text: str) -> tuple[str, str, bool]:
    """Split a cell's text into sign, digits-and-separators, and a trailing `%` flag."""
    body = nfc(text).replace(" ", "").replace("\u2212", "-")
    percent = body.endswith("%")
    if percent:
        body = body[:-1]
    sign = ""
    if body[:1] in "+-" and body:
        sign, body = ("-" if body[0] == "-" else ""), body[1:]
    return sign, body, percent


@lru_cache(maxsize=65536)  # value cells repeat; the cache is bounded
def classify(text: str) -> str:
    """Which convention a text shows: PLAIN, VI, INTL, AMBIGUOUS or INVALID."""
    if len(text) > MAX_TEXT:
        return INVALID
    _, body, _ = _body(text)
    if not body:
        return INVALID
    if _PLAIN.fullmatch(body) or _SCI.fullmatch(body):
        return PLAIN
    one = _ONE_SEP.fullmatch(body)
    if one:
        before, sep, after = one.groups()
        grouping = len(after) == 3 and 1 <= len(before) <= 3 and not before.startswith("0")
        if grouping:
            return AMBIGUOUS
        return INTL if sep == "." else VI
    if _GROUPED["."].fullmatch(body) or _GROUPED_DEC[VI].fullmatch(body):
        return VI
    if _GROUPED[","].fullmatch(body) or _GROUPED_DEC[INTL].fullmatch(body):
        return INTL
    return INVALID


def detect(texts: Iterable[str]) -> Convention:
    """The one convention of a column, from the cells that can be read only one way."""
    kinds = {classify(t) for t in texts}
    votes = kinds & {VI, INTL}
    if len(votes) == 2:
        return Convention(None, conflicting=True)
    if votes:
        return Convention(votes.pop())
    return Convention(None, ambiguous=AMBIGUOUS in kinds)


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent form (17600, not 1.76E+4)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def from_float(value: float) -> Decimal:
    """A spreadsheet number as Excel shows it (15 significant digits), not its binary noise."""
    if not math.isfinite(value):
        raise NumberError(INVALID)
    return tidy(Decimal(format(value, ".15g")))


@lru_cache(maxsize=65536)
def parse(text: str, style: str | None) -> TextNumber:
    """Read `text` in the column's convention `style` (None: only plain digits are accepted)."""
    kind = classify(text)
    if kind == INVALID:
        raise NumberError(INVALID)
    if kind == AMBIGUOUS and style is None:
        raise NumberError(AMBIGUOUS)
    if kind in (VI, INTL) and style is not None and kind != style:
        raise NumberError("conflict")
    sign, body, percent = _body(text)
    style = style or (kind if kind in (VI, INTL) else INTL)
    vi_text = style == VI and kind != PLAIN
    body = body.replace(".", "").replace(",", ".") if vi_text else body.replace(",", "")
    try:
        value = Decimal(sign + body)
    except InvalidOperation as exc:
        raise NumberError(INVALID) from exc
    if not value.is_finite():
        raise NumberError(INVALID)
    return TextNumber(tidy(value), percent)


def example(style: str) -> str:
    """How a number looks in a convention, for messages."""
    return "1.234,5" if style == VI else "1,234.5"
