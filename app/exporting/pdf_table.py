"""A table block (`DataTable`) set on landscape A4 pages: the ledger's PDF.

A small typesetter of its own, on reportlab's canvas, rather than platypus' `Table`: a row taller than
a page is split between pages (a 5,000-character 整改情况 is normal), the header row repeats on every
page, lines break by the Chinese rules of `linebreak` (no line starts with ，。、 or ends with （“),
numbers and dates (2026年10月28日) are never broken, and every line stays inside its cell, so "。"
never sits on a rule. Only the fonts resolved by `fonts.py` are used, all embedded as subsets.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.exporting.atomic import atomic_write
from app.exporting.fonts import FontChoice, register
from app.exporting.linebreak import Unit, break_lines, units

if TYPE_CHECKING:  # the evidence volume draws with this module's faces and lines, and has no tables
    from app.exporting.blocks import DataTable, TableRow

PAGE = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 15 * mm, 14 * mm, 16 * mm
SIZE, LEADING, PAD_X, PAD_Y = 9.0, 13.0, 3.0, 3.0
HEAD_SIZE = 9.5
_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{4}年")


@dataclass(frozen=True)
class Face:
    name: str                 # the registered reportlab font
    fake_bold: bool = False   # drawn with a thin stroke: no heavy face on this machine


def faces(fonts: dict[str, FontChoice]) -> dict[str, Face]:
    return {role: Face(register(choice), choice.fake_bold) for role, choice in fonts.items()}


def cell_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` points."""
    def measure(run: str) -> float:
        return stringWidth(run, font, size) / size

    room = width / size
    out: list[str] = []
    for para in text.split("\n"):
        items: list[Unit] = []
        pos = 0
        for m in _DATE.finditer(para):   # a date is one unit: never "2026年10月28 / 日"
            items += units(para[pos:m.start()], measure)
            items.append(Unit(m.group(0), measure(m.group(0))))
            pos = m.end()
        items += units(para[pos:], measure)
        fitted: list[Unit] = []
        for u in items:                  # a run longer than the cell (a long URL, a code) is cut to fit
            if u.cells <= room:
                fitted.append(u)
                continue
            piece = ""
            for ch in u.text:
                if piece and measure(piece + ch) > room:
                    fitted.append(Unit(piece, measure(piece)))
                    piece = ""
                piece += ch
            if piece:
                fitted.append(Unit(piece, measure(piece)))
        lines = break_lines(fitted, room, room)
        out += ["".join(u.text for u in line) for line in lines] or [""]
    return out


@dataclass
class _Row:
    row: TableRow
    cells: list[list[str]]    # lines of each cell
    start: int = 0            # first line drawn on this page (a row split across pages)
    count: int = 0            # lines drawn on this page

    @property
    def height(self) -> float:
        return self.count * LEADING + 2 * PAD_Y


@dataclass
class _Page:
    rows: list[_Row] = field(default_factory=list)


class TablePdf:
    def __init__(self, table: DataTable, fonts: dict[str, FontChoice]) -> None:
        self.table = table
        self.faces = faces(fonts)
        self.body, self.head = self.faces["body"], self.faces["heading1"]
        usable = PAGE[0] - 2 * MARGIN_X
        total = sum(c.width for c in table.columns)
        self.widths = [usable * c.width / total for c in table.columns]
        self.x = [MARGIN_X + sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.header = [cell_lines(c.label, self.head.name, HEAD_SIZE, w - 2 * PAD_X)
                       for c, w in zip(table.columns, self.widths, strict=True)]
        self.header_height = max(len(h) for h in self.header) * LEADING + 2 * PAD_Y

    def _measure(self, row: TableRow) -> list[list[str]]:
        if row.span:
            face = self.head if row.bold else self.body
            return [cell_lines(row.cells[0], face.name, SIZE, self.x[-1] - self.x[0] - 2 * PAD_X)]
        return [cell_lines(text, self.body.name, SIZE, w - 2 * PAD_X)
                for text, w in zip(row.cells, self.widths, strict=True)]

    def layout(self, first_top: float) -> list[_Page]:
        """Rows onto pages; a row that does not fit is split (at least two lines on each side)."""
        pages = [_Page()]
        top = first_top - self.header_height
        bottom = MARGIN_BOTTOM
        rows = self.table.rows
        for i, row in enumerate(rows):
            cells = self._measure(row)
            total = max(len(c) for c in cells)
            start = 0
            while start < total:
                room = int((top - bottom - 2 * PAD_Y + 1e-6) // LEADING)
                left, fresh = total - start, not pages[-1].rows
                follows = 2 if i + 1 < len(rows) else 0      # a group heading stays with two lines of its first row
                if left <= room and not (row.span and room < left + follows and not fresh):
                    count = left
                elif fresh:
                    count = max(1, min(room, left - 2) if left >= 4 else room)
                elif row.span or left <= 3 or min(room, left - 2) < 2:
                    pages.append(_Page())
                    top = PAGE[1] - MARGIN_TOP - self.header_height
                    continue
                else:
                    count = min(room, left - 2)   # at least two lines go on to the next page
                part = _Row(row, cells, start, count)
                pages[-1].rows.append(part)
                top -= part.height
                start += count
        return pages

    def draw(self, path: str, title: str, note: str, meta: dict[str, str]) -> None:
        c = Canvas(path, pagesize=PAGE, initialFontName=self.body.name,  # type: ignore[arg-type]  # stub says float
                   initialFontSize=SIZE)
        c.setTitle(meta.get("title", title))
        c.setAuthor(meta.get("author", ""))
        c.setSubject(meta.get("subject", ""))
        c.setCreator("巡察整改台账")
        title_face = self.faces["title"]
        title_y = PAGE[1] - MARGIN_TOP - 16
        first_top = title_y - 14 - (14 if note else 0)
        pages = self.layout(first_top)
        for n, page in enumerate(pages, 1):
            top = first_top if n == 1 else PAGE[1] - MARGIN_TOP
            if n == 1:
                self._text(c, PAGE[0] / 2, title_y, title, title_face, 18, centre=True)
                if note:
                    self._text(c, MARGIN_X, title_y - 24, note, self.body, 10)
            top = self._draw_header(c, top)
            for part in page.rows:
                top = self._draw_row(c, top, part)
            num = f"第 {n} 页，共 {len(pages)} 页"
            self._text(c, PAGE[0] / 2, 8 * mm, num, self.faces["pagenum"], 10, centre=True)
            c.showPage()
        c.save()

    def _text(self, c: Canvas, x: float, y: float, text: str, face: Face, size: float, centre: bool = False) -> None:
        self._lines(c, x, y, [text], face, size, centre)

    def _lines(self, c: Canvas, x: float, y: float, lines: list[str], face: Face, size: float,
               centre: bool = False) -> None:
        """Lines from baseline `y` down, one text object for them all (left-aligned at `x`, or centred on it)."""
        t = c.beginText()
        t.setFont(face.name, size, LEADING)
        if face.fake_bold:
            t.setTextRenderMode(2)
            c.setLineWidth(size / 40)
        if centre:
            for k, line in enumerate(lines):
                t.setTextOrigin(x - stringWidth(line, face.name, size) / 2, y - k * LEADING)
                t.textOut(line)
        else:
            t.setTextOrigin(x, y)
            for line in lines:
                t.textLine(line)
        if face.fake_bold:  # the render mode outlives the text object: the next cell is drawn filled only
            t.setTextRenderMode(0)
        c.drawText(t)
        if face.fake_bold:
            c.setLineWidth(0.5)

    def _grid(self, c: Canvas, top: float, height: float, span: bool, fill: str) -> None:
        if fill:
            c.setFillColor(HexColor("#" + fill))
            c.rect(self.x[0], top - height, self.x[-1] - self.x[0], height, stroke=0, fill=1)
            c.setFillColor(HexColor("#000000"))
        c.setLineWidth(0.5)
        c.line(self.x[0], top, self.x[-1], top)
        c.line(self.x[0], top - height, self.x[-1], top - height)
        for x in ([self.x[0], self.x[-1]] if span else self.x):
            c.line(x, top, x, top - height)

    def _draw_header(self, c: Canvas, top: float) -> float:
        if not self.table.header:
            return top
        self._grid(c, top, self.header_height, False, self.table.header_fill)
        for i, lines in enumerate(self.header):
            off = (self.header_height - 2 * PAD_Y - len(lines) * LEADING) / 2
            for k, line in enumerate(lines):
                y = top - PAD_Y - off - k * LEADING - HEAD_SIZE * 0.95
                self._text(c, (self.x[i] + self.x[i + 1]) / 2, y, line, self.head, HEAD_SIZE, centre=True)
        return top - self.header_height

    def _draw_row(self, c: Canvas, top: float, part: _Row) -> float:
        row, h = part.row, part.height
        self._grid(c, top, h, row.span, row.fill)
        face = self.head if row.bold else self.body
        columns = self.table.columns
        for i, lines in enumerate(part.cells):
            shown = lines[part.start:part.start + part.count]
            if i == 0 and part.start and not row.span and not shown:
                shown = lines[:1]          # a row continued from the page before: its number again
            if not any(shown):
                continue
            y = top - PAD_Y - SIZE * 0.95
            if not row.span and columns[i].align == "center":
                self._lines(c, (self.x[i] + self.x[i + 1]) / 2, y, shown, face, SIZE, centre=True)
            else:
                self._lines(c, self.x[i] + PAD_X, y, shown, face, SIZE)
        return top - h


def write_table_pdf(table: DataTable, path: Path | str, fonts: dict[str, FontChoice], title: str, note: str = "",
                    meta: dict[str, str] | None = None) -> Path:
    writer = TablePdf(table, fonts)
    draw: Callable[[str], None] = lambda target: writer.draw(target, title, note, meta or {})  # noqa: E731
    return atomic_write(path, draw, ".pdf")
