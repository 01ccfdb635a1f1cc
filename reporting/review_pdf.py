"""The review PDF: what the leadership reads at the sơ kết / tổng kết meeting.

Tables of attainment, the targets needing attention and the two rankings, and a bar
chart of attainment per target drawn with reportlab graphics; Vietnamese throughout, in an
embedded TrueType font.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core import vocabulary
from core.catalog import STATUS_VI
from reporting import fonts, review_emulation, vi_format
from reporting.review_data import CheckRow, GroupRow, MissingFigure, RankRow, ReviewData, TargetRow

# One colour per status, the same as the dashboards' (the vocabulary seed).
STATUS_COLOURS = {
    code: colors.HexColor(hex_) for code, hex_ in vocabulary.colours(vocabulary.ATTAINMENT_STATUS).items()
}
CHART_CAP = 1.5  # bars stop at 150% so one outlier does not flatten the rest


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=16, leading=20, alignment=1, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10, leading=13, alignment=1),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=13, leading=16, spaceBefore=12, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=5),
        "dots": ParagraphStyle("dots", fontName=regular, fontSize=9, leading=16, textColor=colors.HexColor("#999999")),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8, leading=10),
        "note": ParagraphStyle("note", fontName=regular, fontSize=8, leading=10, textColor=colors.HexColor("#555555")),
    }


def _table(
    rows: list[list[object]],
    widths: list[float],
    regular: str,
    bold: str,
    status_col: int | None = None,
    statuses: list[str] | None = None,
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTNAME", (0, 0), (-1, 0), bold),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if status_col is not None and statuses:
        for i, status in enumerate(statuses, start=1):
            colour = STATUS_COLOURS.get(status, colors.black)
            style.append(("TEXTCOLOR", (status_col, i), (status_col, i), colour))
    table.setStyle(TableStyle(style))
    return table


def _target_table(targets: list[TargetRow], styles, regular: str, bold: str) -> Table:
    head = ["Mã", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "Tỷ lệ đạt", "Tình trạng", "Số liệu đến", "Cơ quan chủ trì"]
    rows: list[list[object]] = [[Paragraph(h, styles["head"]) for h in head]]
    for t in targets:
        plan = vi_format.number(t.target_value)
        if t.target_value_high is not None:
            plan += "–" + vi_format.number(t.target_value_high)
        rows.append(
            [
                t.target_code,
                Paragraph(t.name_vi, styles["cell"]),
                Paragraph(f"{plan} {t.unit}", styles["cell"]),
                vi_format.number(t.actual_value),
                vi_format.percent(t.attainment_ratio),
                t.status_vi,
                vi_format.month_vi(t.data_as_of, capital=True),
                Paragraph(t.responsible_office_vi or "", styles["cell"]),
            ]
        )
    widths = [1.4 * cm, 9.0 * cm, 3.0 * cm, 2.4 * cm, 1.9 * cm, 2.6 * cm, 2.4 * cm, 4.0 * cm]
    return _table(rows, widths, regular, bold, status_col=5, statuses=[t.status for t in targets])


def _rank_table(ranking: list[RankRow], styles, regular: str, bold: str) -> Table:
    head = ["Hạng", "Tên", "Số chỉ tiêu phụ trách", "Đúng tiến độ", "Điểm thực hiện", "Điểm báo cáo", "Tổng điểm"]
    rows: list[list[object]] = [[Paragraph(h, styles["head"]) for h in head]]
    for r in ranking:
        rows.append(
            [
                Paragraph(r.rank_vi, styles["cell"]),
                Paragraph(r.entity_name, styles["cell"]),
                vi_format.number(r.targets_carried, 0),
                vi_format.number(r.targets_on_track, 0),
                vi_format.number(r.attainment_score),
                vi_format.number(r.reporting_score),
                vi_format.number(r.total_score),
            ]
        )
    widths = [2.8 * cm, 6.6 * cm, 3.2 * cm, 2.8 * cm, 3 * cm, 3 * cm, 3 * cm]
    return _table(rows, widths, regular, bold)


def attainment_chart(targets: list[TargetRow], regular: str, width: float = 26 * cm) -> Drawing:
    """Horizontal bars of attainment per target (capped at 150%), coloured by status."""
    bar_height = 11
    height = len(targets) * bar_height + 70
    drawing = Drawing(width, height)
    drawing.initialFontName = regular  # the renderer's starting font; Helvetica would be referenced otherwise
    chart = HorizontalBarChart()
    chart.x, chart.y = 50, 30
    chart.width, chart.height = width - 90, height - 60
    values = [min(float(t.attainment_ratio or 0) * 100, CHART_CAP * 100) for t in reversed(targets)]
    chart.data = [values]
    chart.categoryAxis.categoryNames = [t.target_code for t in reversed(targets)]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, CHART_CAP * 100, 25
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars.strokeWidth = 0
    for i, t in enumerate(reversed(targets)):
        chart.bars[(0, i)].fillColor = STATUS_COLOURS.get(t.status, colors.grey)
    drawing.add(chart)
    full = chart.x + chart.width * (100 / (CHART_CAP * 100))
    drawing.add(Line(full, chart.y, full, chart.y + chart.height, strokeColor=colors.black, strokeDashArray=[3, 2]))
    drawing.add(
        String(chart.x, height - 14, "Tỷ lệ đạt so với kế hoạch (đường đứt: 100%)", fontName=regular, fontSize=9)
    )
    legend_x = chart.x
    for status, label in STATUS_VI.items():
        colour = STATUS_COLOURS.get(status, colors.grey)
        drawing.add(String(legend_x, 8, "■ " + label, fontName=regular, fontSize=7, fillColor=colour))
        legend_x += 95
    return drawing


def _missing_table(missing: list[MissingFigure], styles, regular: str, bold: str) -> Table:
    head = ["Cơ quan phải gửi", "Số liệu", "Kỳ báo cáo", "Chỉ tiêu liên quan", "Hạn nộp", "Tình trạng", "Còn thiếu"]
    rows: list[list[object]] = [[Paragraph(h, styles["head"]) for h in head]]
    for m in missing:
        rows.append(
            [
                Paragraph(m.office_name, styles["cell"]),
                Paragraph(m.indicator_name, styles["cell"]),
                Paragraph(m.period_label + (" (năm trước, để so sánh)" if m.is_baseline else ""), styles["cell"]),
                Paragraph(m.target_codes or "—", styles["cell"]),
                f"{m.due_date:%d/%m/%Y}",
                m.status_vi,
                Paragraph(m.missing_units_vi or "Chưa có số liệu", styles["cell"]),
            ]
        )
    widths = [4.2 * cm, 5.6 * cm, 3.4 * cm, 2.8 * cm, 2.2 * cm, 2.8 * cm, 5.6 * cm]
    return _table(rows, widths, regular, bold)


def _group_table(groups: list[GroupRow], styles, regular: str, bold: str) -> Table:
    head = ["Chỉ tiêu đặt chung", "Kết luận chung", "Tiêu chí chưa đạt", "Số liệu đến"]
    rows: list[list[object]] = [[Paragraph(h, styles["head"]) for h in head]]
    for g in groups:
        rows.append(
            [
                Paragraph(f"{g.group_code}: {g.group_name_vi}", styles["cell"]),
                Paragraph(g.verdict_vi, styles["cell"]),
                Paragraph(g.short_criteria_vi or "Không có", styles["cell"]),
                vi_format.month_vi(g.as_of_period, capital=True),
            ]
        )
    return _table(rows, [7.5 * cm, 5.5 * cm, 10.5 * cm, 3 * cm], regular, bold)


def _check_table(checks: list[CheckRow], styles, regular: str, bold: str) -> Table:
    head = ["Nội dung kiểm tra", "Kết quả", "Ghi chú", "Số liệu đến"]
    rows: list[list[object]] = [[Paragraph(h, styles["head"]) for h in head]]
    for c in checks:
        rows.append(
            [
                Paragraph(c.check_name_vi, styles["cell"]),
                c.check_status_vi,
                Paragraph(c.message_vi or "", styles["cell"]),
                vi_format.month_vi(c.as_of_period, capital=True),
            ]
        )
    return _table(rows, [7 * cm, 3.5 * cm, 13 * cm, 3 * cm], regular, bold)


def _room_to_write(styles, lines: int = 6) -> list[object]:
    story: list[object] = [Paragraph(vi_format.TO_WRITE, styles["note"])]
    story += [Paragraph("." * 170, styles["dots"]) for _ in range(lines)]
    return story


def write(data: ReviewData, path: Path, made_on: date | None = None) -> Path:
    """Write the PDF to ``path``: the four sections of a Vietnamese review report, then the rankings."""
    regular, bold = fonts.register()
    styles = _styles(regular, bold)
    title = vi_format.review_title(data.plan_year, data.as_of_month)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.2 * cm,
        bottomMargin=1.2 * cm,
        title=title,
        author="UBND huyện Văn Quan",
        lang="vi",
        initialFontName=regular,
    )
    counts = data.status_counts()
    summary = "; ".join(f"{STATUS_VI.get(s, s)}: {n}" for s, n in counts.items() if n)
    story: list[object] = [
        Paragraph(title.upper(), styles["title"]),
        Paragraph(vi_format.subtitle(data.plan_year, data.as_of_month), styles["subtitle"]),
        Paragraph(f"Ngày lập: {(made_on or date.today()):%d/%m/%Y}", styles["subtitle"]),
        Spacer(1, 8),
        Paragraph(vi_format.SECTIONS["results"], styles["h1"]),
        Paragraph(
            f"Tổng số {len(data.targets)} chỉ tiêu. {summary}. "
            f"Có {len(data.achieved)} chỉ tiêu đạt, vượt hoặc đúng tiến độ kế hoạch.",
            styles["cell"],
        ),
    ]
    if data.stale:
        story.append(
            Paragraph(
                f"{len(data.stale)} chỉ tiêu chưa có số liệu {vi_format.month_vi(data.as_of)}: "
                "hiển thị theo tháng gần nhất đã có số liệu (cột “Số liệu đến”).",
                styles["note"],
            )
        )
    story += [
        Paragraph("1. Kết quả thực hiện các chỉ tiêu", styles["h2"]),
        _target_table(data.targets, styles, regular, bold),
        Paragraph("2. Biểu đồ tỷ lệ đạt so với kế hoạch", styles["h2"]),
        attainment_chart(data.targets, regular),
    ]
    if data.groups:
        story += [
            Paragraph("3. Các chỉ tiêu đặt chung (đạt khi đạt tất cả các tiêu chí)", styles["h2"]),
            _group_table(data.groups, styles, regular, bold),
        ]
    story += [
        Paragraph(vi_format.SECTIONS["shortcomings"], styles["h1"]),
        Paragraph("1. Các chỉ tiêu chậm tiến độ, chưa đạt, không đạt hoặc thiếu số liệu", styles["h2"]),
    ]
    if data.at_risk:
        story.append(_target_table(data.at_risk, styles, regular, bold))
    else:
        story.append(Paragraph("Không có chỉ tiêu nào chậm tiến độ, không đạt hoặc thiếu số liệu.", styles["cell"]))
    story.append(Paragraph("2. Số liệu còn thiếu và cơ quan phải gửi", styles["h2"]))
    if data.missing:
        offices = len({m.office_name for m in data.missing})
        story += [
            Paragraph(
                f"Đến hết {vi_format.month_vi(data.as_of)} còn thiếu {len(data.missing)} số liệu của "
                f"{offices} cơ quan (tính theo các kỳ báo cáo kết thúc trước hoặc trong tháng báo cáo).",
                styles["cell"],
            ),
            Spacer(1, 4),
            _missing_table(data.missing, styles, regular, bold),
        ]
    else:
        story.append(Paragraph("Các cơ quan đã gửi đủ số liệu của các kỳ báo cáo đến nay.", styles["cell"]))
    story.append(Paragraph("3. Kiểm tra tính thống nhất của số liệu", styles["h2"]))
    if data.checks:
        story.append(
            Paragraph(
                f"Có {len(data.warnings)} cảnh báo (số liệu cần các cơ quan kiểm tra lại; không phải lỗi).",
                styles["cell"],
            )
        )
        story += [Spacer(1, 4), _check_table(data.checks, styles, regular, bold)]
    else:
        story.append(Paragraph("Chưa có số liệu để kiểm tra.", styles["cell"]))
    story += [Paragraph("4. Tồn tại, hạn chế khác", styles["h2"]), *_room_to_write(styles, 3)]
    story += [Paragraph(vi_format.SECTIONS["causes"], styles["h1"]), *_room_to_write(styles)]
    story += [Paragraph(vi_format.SECTIONS["tasks"], styles["h1"]), *_room_to_write(styles)]
    story += [
        Paragraph(vi_format.SECTIONS["annex"], styles["h1"]),
        Paragraph("1. Xếp hạng thi đua các xã, thị trấn", styles["h2"]),
        _rank_table(data.communes, styles, regular, bold),
        Paragraph("2. Xếp hạng thi đua các phòng, ban, ngành", styles["h2"]),
        _rank_table(data.offices, styles, regular, bold),
        *review_emulation.pdf_story(data.proposals, styles, regular, bold),
        Spacer(1, 6),
        Paragraph(
            "Số liệu lấy từ kho dữ liệu chỉ tiêu của huyện; tỷ lệ đạt tính theo số liệu các cơ quan đã gửi.",
            styles["note"],
        ),
    ]
    doc.build(story)
    return path
