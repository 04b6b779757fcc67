"""整改台账: the ledger as .xlsx (one sheet per round + a summary sheet) and as a landscape table (PDF, .docx)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from app.dto import ProblemRow
from app.exporting.atomic import atomic_write
from app.exporting.docx_props import set_document_properties
from app.numerals import date_cn
from app.services import dashboard, measures, problems, rounds
from db.session import Database

COLUMNS = ("序号", "问题", "整改措施", "责任领导", "责任部门", "责任人", "完成时限", "整改进展", "完成情况")
WIDTHS_XLSX = (6, 48, 48, 12, 16, 12, 14, 48, 14)          # characters
WIDTHS_TABLE = (5, 22, 22, 7, 9, 7, 9, 22, 8)              # relative, landscape table


@dataclass(frozen=True)
class LedgerRow:
    number: int
    problem: str
    measures: str
    leaders: str
    departments: str
    persons: str
    deadline: dt.date | None
    long_term: bool
    progress: str
    status: str

    def cells(self) -> list[object]:
        return [self.number, self.problem, self.measures, self.leaders, self.departments, self.persons,
                self.deadline if self.deadline else ("长期坚持" if self.long_term else ""), self.progress,
                self.status]

    def texts(self) -> list[str]:
        deadline = date_cn(self.deadline) if self.deadline else ("长期坚持" if self.long_term else "")
        return [str(self.number), self.problem, self.measures, self.leaders, self.departments, self.persons,
                deadline, self.progress, self.status]


def ledger_rows(db: Database, round_id: int) -> list[LedgerRow]:
    out = []
    for p in problems.list_problems(db, round_id):
        ms = measures.list_measures(db, p.id)
        mtext = "\n".join(f"{m.number}.{m.text}" for m in ms)
        out.append(LedgerRow(p.number, _problem_text(p), mtext, p.leaders, p.departments, p.persons,
                             p.effective_deadline, p.long_term, _progress(db, p), p.status.value))
    return out


def _problem_text(p: ProblemRow) -> str:
    return f"{p.title}\n{p.text}" if p.title else p.text


def _progress(db: Database, p: ProblemRow) -> str:
    if p.narrative.strip():
        return p.narrative.strip()
    log = measures.list_progress(db, p.id)
    return "\n".join(f"{e.entry_date:%Y-%m-%d} {e.note}" for e in log[:5])


# -- Excel -----------------------------------------------------------------------------------------
def write_ledger_xlsx(db: Database, round_ids: list[int], path: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    summary = wb.active
    assert isinstance(summary, Worksheet)  # a new workbook's one sheet
    summary.title = "汇总"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head_font, head_fill = Font(name="黑体", bold=True), PatternFill("solid", fgColor="DDE6F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    summary.append(["轮次", "单位", "问题数", "已完成", "长期坚持", "整改中", "未启动", "逾期", "整改措施（条）"])
    used: set[str] = {"汇总"}
    for rid in round_ids:
        r = rounds.get_round(db, rid)
        s = dashboard.round_summary(db, rid)
        summary.append([r.title, r.unit_name, s.problems, s.done, s.long_term, s.in_progress, s.not_started,
                        s.overdue, s.measures])
        ws = wb.create_sheet(_sheet_name(r.title, used))
        ws.append(list(COLUMNS))
        for row in ledger_rows(db, rid):
            ws.append(row.cells())
        for col, width in enumerate(WIDTHS_XLSX, 1):
            ws.column_dimensions[get_column_letter(col)].width = width
        for cells in ws.iter_rows(min_row=1, max_row=ws.max_row):
            for cell in cells:
                cell.border = border
                cell.alignment = wrap
                if cell.row == 1:
                    cell.font, cell.fill = head_font, head_fill
                elif cell.column == 7 and isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy年m月d日"
        ws.freeze_panes = "A2"
        ws.print_title_rows = "1:1"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    for cell in summary[1]:
        cell.font, cell.fill = head_font, head_fill
    summary.column_dimensions["A"].width = 40
    summary.column_dimensions["B"].width = 30
    summary.freeze_panes = "A2"
    return atomic_write(path, wb.save, ".xlsx")


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(c for c in title if c not in '[]:*?/\\')[:28] or "轮次"
    name, n = base, 2
    while name in used:
        name = f"{base[:26]}{n}"
        n += 1
    used.add(name)
    return name


# -- landscape table: PDF and Word --------------------------------------------------------------------
def write_ledger_pdf(db: Database, round_id: int, path: Path | str) -> Path:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from app.exporting.font_settings import load_chosen
    from app.exporting.fonts import register, resolve

    chosen = load_chosen(db.data_dir)
    font, head = register(resolve("body", chosen)), register(resolve("heading1", chosen))
    r = rounds.get_round(db, round_id)
    cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    head_style = ParagraphStyle("head", parent=cell, fontName=head, alignment=1)
    title_style = ParagraphStyle("title", fontName=head, fontSize=18, leading=26, alignment=1)
    page = landscape(A4)
    usable = page[0] - 30 * mm
    widths = [usable * w / sum(WIDTHS_TABLE) for w in WIDTHS_TABLE]

    def para(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    data = [[para(c, head_style) for c in COLUMNS]] + [[para(t) for t in row.texts()]
                                                       for row in ledger_rows(db, round_id)]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5")),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))

    def number(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(font, 10)  # type: ignore[attr-defined]
        canvas.drawCentredString(page[0] / 2, 8 * mm, f"— {doc.page} —")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    def build(target: str) -> None:
        doc = SimpleDocTemplate(target, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                bottomMargin=15 * mm, title=f"{r.title}整改台账", author=r.unit_name)
        doc.build([para(f"{r.title}整改台账", title_style), Spacer(1, 4 * mm), table], onFirstPage=number,
                  onLaterPages=number)

    return atomic_write(path, build, ".pdf")


def write_ledger_docx(db: Database, round_id: int, path: Path | str) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from app.exporting.docx_writer import set_fonts

    r = rounds.get_round(db, round_id)
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(15))
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10)
    set_fonts(normal.element, "仿宋_GB2312")
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(f"{r.title}整改台账")
    run.font.size = Pt(18)
    set_fonts(run._r, "方正小标宋简体")
    rows = ledger_rows(db, round_id)
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    usable = 267
    for i, (cell, name) in enumerate(zip(table.rows[0].cells, COLUMNS, strict=True)):
        cell.text = name
        cell.width = Mm(usable * WIDTHS_TABLE[i] / sum(WIDTHS_TABLE))
        for run in cell.paragraphs[0].runs:
            run.bold = True
            set_fonts(run._r, "黑体")
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row.texts()):
            cells[i].text = text
            cells[i].width = Mm(usable * WIDTHS_TABLE[i] / sum(WIDTHS_TABLE))
    set_document_properties(doc, title=f"{r.title}整改台账", author=r.unit_name, subject="整改台账")
    return atomic_write(path, doc.save, ".docx")
