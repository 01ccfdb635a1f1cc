"""A TrueType font with Vietnamese glyphs for the PDF (the built-in PDF fonts have none).

DejaVu Sans from Debian's ``fonts-dejavu-core``; ``VANQUAN_PDF_FONT_DIR`` may point at
another folder holding ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from core import settings

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
SEARCH = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


class FontMissing(RuntimeError):
    """No font with Vietnamese glyphs was found."""


def _folder() -> Path:
    candidates = [p for p in (settings.pdf_font_dir(),) if p] + list(SEARCH)
    for folder in candidates:
        if (folder / f"{REGULAR}.ttf").is_file() and (folder / f"{BOLD}.ttf").is_file():
            return folder
    raise FontMissing(f"DejaVuSans.ttf not found in {[str(c) for c in candidates]} (apt-get install fonts-dejavu-core)")


@cache
def register() -> tuple[str, str]:
    """Register the regular and bold faces with reportlab once; return their names."""
    folder = _folder()
    pdfmetrics.registerFont(TTFont(REGULAR, str(folder / f"{REGULAR}.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / f"{BOLD}.ttf")))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
