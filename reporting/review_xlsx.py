"""The review workbook: the figures as numbers (so staff can re-sort and re-use them) and a chart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import xlsxwriter

from ingest.catalog import STATUS_VI
from reporting import vi_format
from reporting.review_data import RankRow, ReviewData

TARGET_HEADERS = [
    "Mã chỉ tiêu",
    "Chỉ tiêu",
    "Lĩnh vực",
    "Đơn vị tính",
    "Kế hoạch",
    "Kế hoạch (mức trên)",
    "Thực hiện",
    "Tỷ lệ đạt",
    "Tình trạng",
    "Cơ quan chủ trì",
]
RANK_HEADERS = [
    "Hạng",
    "Mã",
    "Tên",
    "Số chỉ tiêu phụ trách",
    "Số chỉ tiêu đúng tiến độ",
    "Điểm thực hiện",
    "Điểm báo cáo",
    "Tổng điểm",
]
SHEETS = {
    "summary": "Tổng hợp",
    "targets": "Chỉ tiêu",
    "at_risk": "Chỉ tiêu cần lưu ý",
    "communes": "Xếp hạng xã",
    "offices": "Xếp hạng phòng",
}


def _num(value: Decimal | int | None) -> float | None:
    return None if value is None else float(value)


class _Writer:
    """Holds the workbook's formats so each sheet writer stays short."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        self.text = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        self.value = book.add_format({"border": 1, "num_format": "#,##0.##", "valign": "top"})
        self.ratio = book.add_format({"border": 1, "num_format": "0.0%", "valign": "top"})

    def row(self, sheet, row: int, values: list[object], formats: list[object]) -> None:
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
            if value is None:
                sheet.write_blank(row, col, None, fmt)
            elif isinstance(value, str):
                sheet.write_string(row, col, value, fmt)
            else:
                sheet.write_number(row, col, value, fmt)

    def targets(self, name: str, data: ReviewData, rows) -> None:
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{name} - {vi_format.review_title(data.plan_year, data.as_of_month)}", self.title)
        self.row(sheet, 2, TARGET_HEADERS, [self.header] * len(TARGET_HEADERS))
        fmts = [self.text, self.text, self.text, self.text, self.value, self.value, self.value, self.ratio]
        fmts += [self.text, self.text]
        for i, t in enumerate(rows, start=3):
            values = [
                t.target_code,
                t.name_vi,
                t.area_vi,
                t.unit,
                _num(t.target_value),
                _num(t.target_value_high),
                _num(t.actual_value),
                _num(t.attainment_ratio),
                t.status_vi,
                t.responsible_office_vi,
            ]
            self.row(sheet, i, values, fmts)
        for col, width in enumerate([10, 60, 12, 16, 12, 12, 12, 10, 16, 30]):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(3, 1)

    def ranking(self, name: str, data: ReviewData, rows: list[RankRow]) -> None:
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{name} - {vi_format.review_title(data.plan_year, data.as_of_month)}", self.title)
        self.row(sheet, 2, RANK_HEADERS, [self.header] * len(RANK_HEADERS))
        fmts = [self.value, self.text, self.text, self.value, self.value, self.value, self.value, self.value]
        for i, r in enumerate(rows, start=3):
            values = [
                r.rank,
                r.entity_code,
                r.entity_name,
                _num(r.targets_carried),
                _num(r.targets_on_track),
                _num(r.attainment_score),
                _num(r.reporting_score),
                _num(r.total_score),
            ]
            self.row(sheet, i, values, fmts)
        for col, width in enumerate([8, 14, 36, 14, 14, 12, 12, 12]):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(3, 0)

    def summary(self, data: ReviewData) -> None:
        """Title, targets per status and two charts (status counts, attainment per target)."""
        sheet = self.book.add_worksheet(SHEETS["summary"])
        sheet.write_string(0, 0, vi_format.review_title(data.plan_year, data.as_of_month), self.title)
        sheet.write_string(1, 0, vi_format.subtitle(data.plan_year, data.as_of_month))
        self.row(sheet, 3, ["Tình trạng", "Số chỉ tiêu"], [self.header, self.header])
        counts = data.status_counts()
        for i, (status, count) in enumerate(counts.items(), start=4):
            self.row(sheet, i, [STATUS_VI.get(status, status), count], [self.text, self.value])
        last = 3 + len(counts)
        self.row(sheet, last + 1, ["Tổng số", len(data.targets)], [self.header, self.header])
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 12)

        status_chart = self.book.add_chart({"type": "column"})
        status_chart.add_series(
            {
                "name": "Số chỉ tiêu",
                "categories": [SHEETS["summary"], 4, 0, last, 0],
                "values": [SHEETS["summary"], 4, 1, last, 1],
                "data_labels": {"value": True},
            }
        )
        status_chart.set_title({"name": "Số chỉ tiêu theo tình trạng"})
        status_chart.set_legend({"none": True})
        sheet.insert_chart(3, 3, status_chart, {"x_scale": 1.2, "y_scale": 1.1})

        ratio_chart = self.book.add_chart({"type": "bar"})
        n = len(data.targets)
        ratio_chart.add_series(
            {
                "name": "Tỷ lệ đạt so với kế hoạch",
                "categories": [SHEETS["targets"], 3, 0, 2 + n, 0],
                "values": [SHEETS["targets"], 3, 7, 2 + n, 7],
            }
        )
        ratio_chart.set_title({"name": "Tỷ lệ đạt so với kế hoạch theo chỉ tiêu"})
        ratio_chart.set_x_axis({"num_format": "0%"})
        ratio_chart.set_y_axis({"reverse": True})
        ratio_chart.set_legend({"none": True})
        sheet.insert_chart(20, 3, ratio_chart, {"x_scale": 1.4, "y_scale": 2.2})


def write(data: ReviewData, path: Path) -> Path:
    """Write the workbook to ``path``; sheets in the order the leadership reads them."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    try:
        writer = _Writer(book)
        writer.summary(data)
        writer.targets(SHEETS["targets"], data, data.targets)
        writer.targets(SHEETS["at_risk"], data, data.at_risk)
        writer.ranking(SHEETS["communes"], data, data.communes)
        writer.ranking(SHEETS["offices"], data, data.offices)
        book.set_properties({"title": vi_format.review_title(data.plan_year, data.as_of_month), "author": "Văn Quan"})
    finally:
        book.close()
    return path
