"""The review workbook: the figures as numbers (so staff can re-sort and re-use them) and a chart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import xlsxwriter

from core.catalog import STATUS_VI
from reporting import review_emulation, vi_format
from reporting.review_data import ACHIEVED, MissingFigure, RankRow, ReviewData

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
    "Số liệu đến",
]
MISSING_HEADERS = [
    "Cơ quan phải gửi",
    "Số liệu",
    "Kỳ báo cáo",
    "Chỉ tiêu liên quan",
    "Hạn nộp",
    "Tình trạng",
    "Còn thiếu",
]
RANK_HEADERS = [
    "Hạng",
    "Tên",
    "Số chỉ tiêu phụ trách",
    "Số chỉ tiêu đúng tiến độ",
    "Điểm thực hiện",
    "Điểm báo cáo",
    "Tổng điểm",
]
GROUP_HEADERS = [
    "Mã nhóm",
    "Chỉ tiêu đặt chung",
    "Kết luận chung",
    "Số tiêu chí đạt hoặc đúng tiến độ",
    "Tiêu chí chưa đạt",
    "Số liệu còn thiếu",
    "Số liệu đến",
]
CHECK_HEADERS = ["Nội dung kiểm tra", "Chỉ tiêu", "So với chỉ tiêu", "Kết quả", "Ghi chú", "Số liệu đến"]
SHEETS = {
    "summary": "Tổng hợp",
    "report": "Báo cáo",
    "targets": "Chỉ tiêu",
    "at_risk": "Chỉ tiêu cần lưu ý",
    "groups": "Chỉ tiêu đặt chung",
    "checks": "Kiểm tra số liệu",
    "missing": "Số liệu còn thiếu",
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
        fmts += [self.text, self.text, self.text]
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
                vi_format.month_vi(t.data_as_of, capital=True),
            ]
            self.row(sheet, i, values, fmts)
        for col, width in enumerate([10, 60, 12, 16, 12, 12, 12, 10, 16, 30, 14]):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(3, 1)

    def missing(self, data: ReviewData, rows: list[MissingFigure]) -> None:
        """The figures due for the periods up to the pack's month and not (completely) received."""
        name = SHEETS["missing"]
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{name} - {vi_format.review_title(data.plan_year, data.as_of_month)}", self.title)
        self.row(sheet, 2, MISSING_HEADERS, [self.header] * len(MISSING_HEADERS))
        for i, m in enumerate(rows, start=3):
            period = m.period_label + (" (năm trước, để so sánh)" if m.is_baseline else "")
            values = [
                m.office_name,
                m.indicator_name,
                period,
                m.target_codes or "—",
                f"{m.due_date:%d/%m/%Y}",
                m.status_vi,
                m.missing_units_vi or "Chưa có số liệu",
            ]
            self.row(sheet, i, values, [self.text] * len(values))
        for col, width in enumerate([30, 40, 24, 16, 12, 16, 60]):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(3, 0)

    def groups(self, data: ReviewData) -> None:
        """One verdict per group of targets the decree sets together (XH07: met only when all three are)."""
        name = SHEETS["groups"]
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{name} - {vi_format.review_title(data.plan_year, data.as_of_month)}", self.title)
        self.row(sheet, 2, GROUP_HEADERS, [self.header] * len(GROUP_HEADERS))
        for i, g in enumerate(data.groups, start=3):
            values = [
                g.group_code,
                g.group_name_vi,
                g.status_vi,
                f"{g.members_on_track}/{g.members_total}",
                g.short_criteria_vi or "Không có",
                g.missing_figure or "Không có",
                vi_format.month_vi(g.as_of_period, capital=True),
            ]
            self.row(sheet, i, values, [self.text] * len(values))
        for col, width in enumerate([10, 50, 16, 14, 60, 50, 14]):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(3, 0)

    def checks(self, data: ReviewData) -> None:
        """The consistency checks leaders see beside the figures: warnings first, never errors."""
        name = SHEETS["checks"]
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{name} - {vi_format.review_title(data.plan_year, data.as_of_month)}", self.title)
        self.row(sheet, 2, CHECK_HEADERS, [self.header] * len(CHECK_HEADERS))
        for i, c in enumerate(data.checks, start=3):
            values = [
                c.check_name_vi,
                c.target_code,
                c.compared_target_code or "—",
                c.check_status_vi,
                c.message_vi or "",
                vi_format.month_vi(c.as_of_period, capital=True),
            ]
            self.row(sheet, i, values, [self.text] * len(values))
        for col, width in enumerate([50, 10, 14, 18, 80, 14]):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(3, 0)

    def report(self, data: ReviewData) -> None:
        """The four sections of a review report: the figures filled in, room left for the prose."""
        sheet = self.book.add_worksheet(SHEETS["report"])
        heading = self.book.add_format({"bold": True, "font_size": 12})
        note = self.book.add_format({"italic": True, "font_color": "#555555"})
        sheet.set_column(0, 0, 120)
        lines: list[tuple[str, object]] = [
            (vi_format.review_title(data.plan_year, data.as_of_month), self.title),
            (vi_format.subtitle(data.plan_year, data.as_of_month), None),
            ("", None),
            (vi_format.SECTIONS["results"], heading),
            (f"Tổng số {len(data.targets)} chỉ tiêu; {len(data.achieved)} chỉ tiêu đạt, vượt hoặc đúng tiến độ:", None),
        ]
        lines += [(f"- {t.target_code}: {t.name_vi} ({t.status_vi})", None) for t in data.achieved]
        lines += [
            (f"- {g.group_code}: {g.group_name_vi}: {g.verdict_vi}", None) for g in data.groups if g.status in ACHIEVED
        ]
        lines += [("", None), (vi_format.SECTIONS["shortcomings"], heading)]
        lines += [
            (f"- {t.target_code}: {t.name_vi} ({t.status_vi}; cơ quan chủ trì: {t.responsible_office_vi})", None)
            for t in data.at_risk
        ]
        lines += [
            (f"- {g.group_code}: {g.group_name_vi}: {g.verdict_vi}; chưa đạt: {g.short_criteria_vi}", None)
            for g in data.groups
            if g.status not in ACHIEVED
        ]
        lines += [(f"- {c.message_vi}", None) for c in data.warnings]
        if data.missing:
            lines.append(
                (
                    f"- Còn thiếu {len(data.missing)} số liệu đến hết {vi_format.month_vi(data.as_of)} "
                    f"(chi tiết ở trang “{SHEETS['missing']}”).",
                    None,
                )
            )
        for key in ("causes", "tasks"):
            lines += [("", None), (vi_format.SECTIONS[key], heading), (vi_format.TO_WRITE, note)]
            lines += [("", None)] * 6
        for row, (text, fmt) in enumerate(lines):
            if text and fmt:
                sheet.write_string(row, 0, text, fmt)
            elif text:
                sheet.write_string(row, 0, text)

    def ranking(self, name: str, data: ReviewData, rows: list[RankRow]) -> None:
        sheet = self.book.add_worksheet(name)
        sheet.write_string(0, 0, f"{name} - {vi_format.review_title(data.plan_year, data.as_of_month)}", self.title)
        self.row(sheet, 2, RANK_HEADERS, [self.header] * len(RANK_HEADERS))
        fmts = [self.value, self.text, self.value, self.value, self.value, self.value, self.value]
        for i, r in enumerate(rows, start=3):
            values = [
                r.rank if r.total_score is not None else r.rank_vi,
                r.entity_name,
                _num(r.targets_carried),
                _num(r.targets_on_track),
                _num(r.attainment_score),
                _num(r.reporting_score),
                _num(r.total_score),
            ]
            self.row(sheet, i, values, fmts)
        for col, width in enumerate([14, 36, 14, 14, 12, 12, 12]):
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
        writer.report(data)
        writer.targets(SHEETS["targets"], data, data.targets)
        writer.targets(SHEETS["at_risk"], data, data.at_risk)
        writer.groups(data)
        writer.checks(data)
        writer.missing(data, data.missing)
        writer.ranking(SHEETS["communes"], data, data.communes)
        writer.ranking(SHEETS["offices"], data, data.offices)
        review_emulation.write_sheet(book, data.proposals)
        book.set_properties({"title": vi_format.review_title(data.plan_year, data.as_of_month), "author": "Văn Quan"})
    finally:
        book.close()
    return path
