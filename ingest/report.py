"""The error report that goes beside a returned file, in plain Vietnamese for office staff."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import xlsxwriter

from core import vocabulary
from ingest.model import ERROR, REJECTED, WARNING, Problem

# One label per severity, the same words Superset shows (the vocabulary seed).
SEVERITY_VI = vocabulary.labels_vi(vocabulary.SEVERITY)
HEADERS_VI = ("Mức độ", "Trang tính", "Dòng", "Cột", "Giá trị tìm thấy", "Yêu cầu", "Cần làm gì")


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def summary_vi(original_name: str, office_name: str, status: str, problems: Sequence[Problem]) -> list[str]:
    errors = sum(p.severity == ERROR for p in problems)
    rejected = sum(p.severity == REJECTED for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    if status == "failed":
        verdict = (
            "Tệp CHƯA được nhận vào hệ thống: hệ thống đã thử đọc tệp nhiều lần nhưng không xong. Tệp đã được "
            "trả lại; vui lòng làm theo hướng dẫn dưới đây rồi gửi lại toàn bộ tệp vào thư mục của đơn vị."
        )
    elif status == "quarantined":
        verdict = (
            "Tệp CHƯA được nhận vào hệ thống vì có lỗi. Vui lòng sửa các lỗi dưới đây rồi gửi lại "
            "toàn bộ tệp vào thư mục của đơn vị."
        )
    else:
        verdict = "Tệp đã được nhận. Một số dòng bị loại hoặc cần kiểm tra lại, xem chi tiết dưới đây."
    return [
        f"BÁO CÁO KIỂM TRA TỆP: {original_name}",
        f"Đơn vị gửi: {office_name}",
        f"Thời điểm kiểm tra: {datetime.now().strftime('%d/%m/%Y %H:%M')}",
        verdict,
        f"Số lỗi: {errors}; số dòng bị loại: {rejected}; số cảnh báo: {warnings}.",
    ]


def _cells(problem: Problem) -> tuple[str, ...]:
    return (
        SEVERITY_VI.get(problem.severity, problem.severity),
        _nfc(problem.sheet_name),
        "" if problem.source_row is None else str(problem.source_row),
        _nfc(problem.column_name),
        _nfc(problem.value_found),
        _nfc(problem.expected),
        _nfc(problem.message_vi),
    )


def write_reports(base: Path, summary: Sequence[str], problems: Sequence[Problem]) -> tuple[Path, Path]:
    """Write ``<base>.bao-cao-loi.xlsx`` and ``.txt``; every cell is written as text, never a formula."""
    xlsx_path = base.with_name(base.name + ".bao-cao-loi.xlsx")
    txt_path = base.with_name(base.name + ".bao-cao-loi.txt")
    xlsx_path.parent.mkdir(parents=True, exist_ok=True)
    order = {t.code: t.sort_order for t in vocabulary.terms(vocabulary.SEVERITY)}
    ordered = sorted(
        problems, key=lambda p: (order.get(p.severity, len(order) + 1), p.sheet_name or "", p.source_row or 0)
    )

    workbook = xlsxwriter.Workbook(str(xlsx_path), {"strings_to_formulas": False, "strings_to_urls": False})
    sheet = workbook.add_worksheet("Báo cáo lỗi")
    bold = workbook.add_format({"bold": True})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for row, line in enumerate(summary):
        sheet.write_string(row, 0, _nfc(line), bold if row == 0 else None)
    header_row = len(summary) + 1
    for col, title in enumerate(HEADERS_VI):
        sheet.write_string(header_row, col, title, bold)
    for offset, problem in enumerate(ordered, start=1):
        for col, value in enumerate(_cells(problem)):
            sheet.write_string(header_row + offset, col, value, wrap)
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 5, 16)
    sheet.set_column(6, 6, 80)
    workbook.close()

    lines = [*summary, ""]
    for problem in ordered:
        severity, sheet_name, row, column, found, expected, message = _cells(problem)
        where = ", ".join(
            part
            for part in (
                f"trang tính «{sheet_name}»" if sheet_name else "",
                f"dòng {row}" if row else "",
                f"cột «{column}»" if column else "",
            )
            if part
        )
        lines.append(f"- [{severity}] {where}: {message}")
        if found or expected:
            lines.append(f"    Giá trị tìm thấy: «{found}»; yêu cầu: {expected}")
    txt_path.write_text("\n".join(_nfc(line) for line in lines) + "\n", encoding="utf-8")
    return xlsx_path, txt_path
