"""Vietnamese wording and number style shared by the workbook and the PDF."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.calendar import period_label_vi, year_to_date_label_vi

DISTRICT = "huyện Văn Quan, tỉnh Lạng Sơn"


def review_kind(as_of_month: int) -> str:
    """``so_ket`` at mid-year, ``tong_ket`` at year end, ``tien_do`` otherwise (file-name slug)."""
    return {6: "so_ket", 12: "tong_ket"}.get(as_of_month, "tien_do")


def review_title(plan_year: int, as_of_month: int) -> str:
    """The report's title as the leadership calls the review."""
    if as_of_month == 6:
        return f"Báo cáo sơ kết {year_to_date_label_vi(plan_year, 6)}"
    if as_of_month == 12:
        return f"Báo cáo tổng kết {year_to_date_label_vi(plan_year, 12)}"
    return f"Báo cáo tiến độ thực hiện chỉ tiêu đến {period_label_vi(f'{plan_year}-{as_of_month:02d}')}"


def subtitle(plan_year: int, as_of_month: int) -> str:
    return (
        f"Tình hình thực hiện các chỉ tiêu phát triển kinh tế - xã hội năm {plan_year}, {DISTRICT}; "
        f"số liệu tính đến hết {period_label_vi(f'{plan_year}-{as_of_month:02d}')}"
    )


def number(value: Decimal | float | int | None, places: int = 2) -> str:
    """``17600`` → ``17.600``, ``8.5`` → ``8,5`` (dot for thousands, comma for decimals)."""
    if value is None:
        return "—"
    quantised = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{quantised:,.{places}f}"
    if places:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def percent(ratio: Decimal | float | None) -> str:
    """An attainment ratio (1.05) as a percentage (``105%``)."""
    if ratio is None:
        return "—"
    return number(Decimal(str(ratio)) * 100, 1) + "%"


def month_vi(as_of: str | None, capital: bool = False) -> str:
    """``2022-06`` → ``tháng 6/2022`` (``Tháng 6/2022`` at the start of a label); None → ``—``."""
    return period_label_vi(as_of, capital) if as_of else "—"


def quoted(text: str) -> str:
    """Vietnamese typographic quotes: “…”."""
    return f"\u201c{text}\u201d"


SECTIONS = {
    "results": "I. Kết quả đạt được",
    "shortcomings": "II. Tồn tại, hạn chế",
    "causes": "III. Nguyên nhân",
    "tasks": "IV. Nhiệm vụ, giải pháp",
    "annex": "Phụ lục: Xếp hạng thi đua",
}
TO_WRITE = "(Phần này do cơ quan thường trực và các cơ quan chủ trì viết.)"
