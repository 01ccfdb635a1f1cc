"""The review pack's emulation section: commendation proposals, their evidence checked
against the marts, and the Council's decisions (marts.fct_emulation_proposals).

The pack is the leadership's: names and positions of individuals are shown (the leaders may
see them). Proposals of the plan year made up to the pack's month are listed; a pack built
before any proposal says so. Reads with the reader role; never fails for a missing mart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

HEADERS = (
    "Mã đề nghị",
    "Dịp",
    "Đối tượng",
    "Được đề nghị",
    "Hình thức đề nghị",
    "Chỉ tiêu minh chứng",
    "Đối chiếu số liệu",
    "Cần xem lại",
    "Kết quả xét",
    "Quyết định",
)
TITLE = "Thi đua, khen thưởng: đề nghị khen thưởng và kết quả xét"
SHEET = "Thi đua - Khen thưởng"
NONE_YET = "Chưa có đề nghị khen thưởng nào đến thời điểm báo cáo."


@dataclass(frozen=True)
class ProposalRow:
    proposal_id: str
    occasion_vi: str
    nominee_kind_vi: str
    nominee_vi: str
    award_form: str
    evidence_targets: str
    evidence_note_vi: str
    evidence_flag: bool
    state_vi: str
    decision_vi: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.proposal_id,
            self.occasion_vi,
            self.nominee_kind_vi,
            self.nominee_vi,
            self.award_form,
            self.evidence_targets,
            self.evidence_note_vi,
            "Có" if self.evidence_flag else "",
            self.state_vi,
            self.decision_vi,
        )


def _decision(number: str | None, decided_on: date | None, final_form: str | None) -> str:
    parts = [p for p in (number, decided_on and f"ngày {decided_on:%d/%m/%Y}", final_form) if p]
    return ", ".join(parts)


def read(plan_year: int, as_of: str, conn=None) -> list[ProposalRow]:
    """The proposals of ``plan_year`` judged as of a month up to ``as_of`` ('YYYY-MM')."""
    import psycopg2

    from core import settings

    own = conn is None
    conn = conn or psycopg2.connect(**settings.role_dsn("reader"))
    try:
        with conn.cursor() as cur:
            cur.execute("select to_regclass('marts.fct_emulation_proposals') is not null")
            if not cur.fetchone()[0]:
                return []
            cur.execute(
                "select proposal_id, occasion_vi, nominee_kind_vi, nominee_vi, award_form,"
                " coalesce(replace(evidence_targets, ',', ', '), ''), evidence_note_vi, evidence_flag, state_vi,"
                " decision_number, decided_on, final_award_form"
                " from marts.fct_emulation_proposals where plan_year = %s and evidence_period <= %s"
                " order by evidence_period, proposal_id",
                (plan_year, as_of),
            )
            return [ProposalRow(*row[:9], _decision(*row[9:])) for row in cur.fetchall()]
    finally:
        if own:
            conn.close()


def write_sheet(book, rows: list[ProposalRow]) -> None:
    """The workbook's sheet (xlsxwriter ``book``) of the proposals the pack's data holds."""
    sheet = book.add_worksheet(SHEET)
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    flagged = book.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_color": "#C00000"})
    sheet.write_string(0, 0, TITLE, book.add_format({"bold": True, "font_size": 13}))
    if not rows:
        sheet.write_string(2, 0, NONE_YET)
        return
    for col, title in enumerate(HEADERS):
        sheet.write_string(2, col, title, bold)
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row.cells()):
            sheet.write_string(r, col, value, flagged if row.evidence_flag and col in (6, 7) else wrap)
    for col, width in enumerate((12, 16, 10, 30, 28, 16, 40, 10, 14, 30)):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(3, 0)


def pdf_story(rows: list[ProposalRow], styles, regular: str, bold: str, number: str = "3. ") -> list[object]:
    """The PDF's section: a heading and the table (reportlab flowables)."""
    from reportlab.lib import colors
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Table, TableStyle

    story: list[object] = [Paragraph(number + TITLE, styles["h2"])]
    if not rows:
        return [*story, Paragraph(NONE_YET, styles["cell"])]
    cells = [[Paragraph(h, styles["cell"]) for h in HEADERS]]
    cells += [[Paragraph(value, styles["cell"]) for value in row.cells()] for row in rows]
    widths = [w * cm for w in (2.2, 2.4, 1.6, 3.6, 3.4, 2.2, 4.6, 1.4, 2.0, 3.4)]
    table = Table(cells, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    style += [
        ("BACKGROUND", (6, i), (7, i), colors.HexColor("#FCE4E4")) for i, row in enumerate(rows, 1) if row.evidence_flag
    ]
    table.setStyle(TableStyle(style))
    return [*story, table]
