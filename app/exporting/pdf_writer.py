"""NoticeDocument → PDF with a grid typesetter of our own (reportlab's canvas only).

22 lines × 28 characters on the GB/T 9704 text block, Chinese line-break rules by push-out,
justified lines, fonts embedded as subsets, page numbers — N — on the outside edge,
PDF metadata and bookmarks (shared/specs/gbt9704.md §7).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.exporting.atomic import atomic_write
from app.exporting.blocks import Blank, Heading, NoticeDocument, PageBreak, Paragraph, Signature, Title
from app.exporting.fonts import FontChoice, register, resolve_all
from app.exporting.linebreak import Unit, break_lines, units

PAGE_W, PAGE_H = A4
TOP, LEFT, BLOCK_W, BLOCK_H = 37 * mm, 28 * mm, 156 * mm, 225 * mm
LINES, CHARS = 22, 28
PITCH_X, PITCH_Y = BLOCK_W / CHARS, BLOCK_H / LINES
BODY_PT, TITLE_PT, PAGE_PT = 16.0, 22.0, 14.0
TITLE_CHARS = 20


@dataclass
class Line:
    units: list[Unit]
    indent: float = 0.0          # cells from the left edge
    right: float = 0.0           # cells kept free on the right (signature, date)
    align: str = "justify"       # justify | left | centre | right
    last: bool = False           # a paragraph's last line is not justified
    size: float = BODY_PT
    keep_with_next: bool = False
    outline: tuple[str, int] | None = None   # bookmark (text, level) placed at this line


@dataclass
class Layout:
    lines: list[Line] = field(default_factory=list)
    breaks: set[int] = field(default_factory=set)    # forced page breaks before these line indexes


class PdfWriter:
    def __init__(self, notice: NoticeDocument, fonts: dict[str, FontChoice] | None = None) -> None:
        self.notice = notice
        self.fonts = fonts or resolve_all()
        self.names: dict[str, str] = {}
        self._em_cache: dict[tuple[str, str], float] = {}
        for role, choice in self.fonts.items():
            self.names[role] = register(choice)
        bold3 = notice.options.bold_level3
        # style → (font role, fake bold)
        self.styles = {"body": ("body", False), "label": ("body", True), "h1": ("heading1",
                       self.fonts["heading1"].fake_bold), "h2": ("heading2", False), "h3": ("body", bold3),
                       "h4": ("body", False), "title": ("title", self.fonts["title"].fake_bold)}

    # -- measuring ------------------------------------------------------------------------
    def _cells(self, text: str, style: str = "body", size: float = BODY_PT) -> float:
        return pdfmetrics.stringWidth(text, self.names[self.styles[style][0]], size) / PITCH_X

    def _units(self, text: str, style: str, size: float = BODY_PT) -> list[Unit]:
        return units(text, lambda run: self._cells(run, style, size), style)

    # -- layout ---------------------------------------------------------------------------------
    def _paragraph(self, layout: Layout, us: list[Unit], indent: float = 2, keep: bool = False,
                   outline: tuple[str, int] | None = None) -> None:
        rows = break_lines(us, CHARS - indent, CHARS) or [[]]
        for i, row in enumerate(rows):
            layout.lines.append(Line(row, indent if i == 0 else 0, last=i == len(rows) - 1,
                                     keep_with_next=keep, outline=outline if i == 0 else None))

    def layout(self) -> Layout:
        lay = Layout()
        for block in self.notice.blocks:
            if isinstance(block, Title):
                for text in _title_lines(block.text):
                    us = self._units(text, "title", TITLE_PT)
                    lay.lines.append(Line(us, align="centre", size=TITLE_PT, keep_with_next=True, last=True))
            elif isinstance(block, Blank):
                lay.lines.append(Line([], last=True))
            elif isinstance(block, Heading):
                style = f"h{block.level}"
                us = self._units(block.prefix + block.text, style) + self._units(block.body, "body")
                outline = (block.outline, block.level - 1) if block.outline else None
                self._paragraph(lay, us, keep=not block.body, outline=outline)
            elif isinstance(block, Paragraph):
                us = self._units(block.label, "label" if block.bold_label else "body") + self._units(
                    block.text, "body")
                self._paragraph(lay, us)
            elif isinstance(block, Signature):
                self._signature(lay, block)
            elif isinstance(block, PageBreak):
                lay.breaks.add(len(lay.lines))
        return lay

    def _signature(self, lay: Layout, s: Signature) -> None:
        sign, date = self._units(s.signature, "body"), self._units(s.date, "body")
        w_sign, w_date = sum(u.cells for u in sign), sum(u.cells for u in date)
        if s.sealed:
            sign_right, date_right = 4 + (w_date - w_sign) / 2, 4.0
        else:
            sign_right, date_right = 2.0, w_sign - w_date
            if date_right < 2:
                date_right, sign_right = 2.0, w_date - w_sign + 4
        if lay.lines:  # the last text line goes with the signature: it is never alone on a page
            lay.lines[-1].keep_with_next = True
        for _ in range(2 if s.sealed else 1):
            lay.lines.append(Line([], last=True, keep_with_next=True))
        lay.lines.append(Line(sign, align="right", right=max(0.0, sign_right), last=True, keep_with_next=True))
        lay.lines.append(Line(date, align="right", right=max(0.0, date_right), last=True))

    # -- pages -----------------------------------------------------------------------------------
    def paginate(self, lay: Layout) -> list[list[Line]]:
        pages: list[list[Line]] = [[]]
        i, lines = 0, lay.lines
        while i < len(lines):
            group = i + 1
            while group < len(lines) and lines[group - 1].keep_with_next and group - i < LINES:
                group += 1
            if i in lay.breaks and pages[-1]:
                pages.append([])
            room = LINES - len(pages[-1])
            if group - i > room and pages[-1]:
                pages.append([])
            for line in lines[i:group]:
                if len(pages[-1]) == LINES:
                    pages.append([])
                if not pages[-1] and not line.units and line.align != "centre":
                    continue  # no blank line at the top of a page
                pages[-1].append(line)
            i = group
        return [p for p in pages if p] or [[]]

    def write(self, path: Path | str) -> Path:
        return atomic_write(path, self._draw, ".pdf")

    def _draw(self, target: str) -> None:
        from reportlab import rl_config

        rl_config.useA85 = 0  # binary streams: ASCII85 only makes the file bigger and the export slower
        # Page streams stay uncompressed: text-only pages are small, and compressing them costs a fifth
        # of the export time; the embedded font subsets are compressed all the same.
        c = Canvas(target, pagesize=A4, initialFontName=self.names["body"], pageCompression=0)  # type: ignore[arg-type]  # types-reportlab: a float (sic)
        c.setTitle(self.notice.title)
        c.setAuthor(self.notice.author)
        c.setSubject("巡察整改情况的通报")
        c.setCreator("巡察整改台账")
        pages = self.paginate(self.layout())
        bookmark = 0
        for number, page in enumerate(pages, 1):
            left = LEFT if number % 2 or not self.notice.options.mirror_margins else PAGE_W - LEFT - BLOCK_W
            for row, line in enumerate(page):
                top = PAGE_H - TOP - row * PITCH_Y
                if line.outline:
                    key = f"b{bookmark}"
                    bookmark += 1
                    c.bookmarkPage(key, fit="XYZ", top=top, left=0)
                    c.addOutlineEntry(line.outline[0], key, level=line.outline[1], closed=False)
                self._draw_line(c, line, left, top)
            self._page_number(c, number, left)
            c.showPage()
        c.showOutline()
        c.save()

    def _draw_line(self, c: Canvas, line: Line, left: float, top: float) -> None:
        if not line.units:
            return
        baseline = top - (PITCH_Y - line.size) / 2 - line.size * 0.86
        if line.size != BODY_PT:  # the title is set at its own size, centred on the block
            widths = [self._cells(u.text, u.style, line.size) for u in line.units]
            x = left + (BLOCK_W - sum(widths) * PITCH_X) / 2
            for u, w in zip(line.units, widths, strict=True):
                self._text(c, u.text, u.style, x, baseline, line.size)
                x += w * PITCH_X
            return
        used = sum(u.cells for u in line.units)
        space = CHARS - line.indent - line.right - used
        if line.align == "right":
            col = CHARS - line.right - used
            extra = 0.0
        elif line.align == "centre":
            col, extra = (CHARS - used) / 2, 0.0
        else:
            col = line.indent
            gaps = len(line.units) - 1
            extra = space / gaps if (not line.last and gaps > 0 and space > 0) else 0.0
        # Consecutive one-em characters of one style are drawn as one string with character spacing
        # (Tc) set to the grid step: one PDF operator per run instead of one per character.
        step = (1 + extra) * PITCH_X
        run: list[Unit] = []
        run_x = 0.0
        for u in line.units:
            cell_x = left + col * PITCH_X
            if self._one_em(u) and run and run[-1].style == u.style:
                run.append(u)
            else:
                self._flush(c, run, run_x, baseline, step)
                if self._one_em(u):
                    run, run_x = [u], cell_x + (PITCH_X - BODY_PT) / 2
                else:
                    run = []
                    ink = pdfmetrics.stringWidth(u.text, self.names[self.styles[u.style][0]], BODY_PT)
                    x = cell_x + (u.cells * PITCH_X - ink) / 2 if len(u.text) == 1 and not u.text.isascii() \
                        else cell_x
                    self._text(c, u.text, u.style, x, baseline, BODY_PT)
            col += u.cells + extra
        self._flush(c, run, run_x, baseline, step)

    def _one_em(self, u: Unit) -> bool:
        if len(u.text) != 1 or u.cells != 1.0 or u.text.isascii():
            return False
        key = (u.text, u.style)
        width = self._em_cache.get(key)
        if width is None:
            width = pdfmetrics.stringWidth(u.text, self.names[self.styles[u.style][0]], BODY_PT)
            self._em_cache[key] = width
        return abs(width - BODY_PT) < 0.01

    def _flush(self, c: Canvas, run: list[Unit], x: float, y: float, step: float) -> None:
        if run:
            self._text(c, "".join(u.text for u in run), run[0].style, x, y, BODY_PT, step - BODY_PT)

    def _text(self, c: Canvas, text: str, style: str, x: float, y: float, size: float,
              char_space: float = 0.0) -> None:
        role, bold = self.styles[style]
        t = c.beginText(x, y)
        t.setFont(self.names[role], size)
        if char_space:
            t.setCharSpace(char_space)
        if bold:  # no heavy face: fill and stroke; the state is restored so later text is not bold
            c.saveState()
            c.setLineWidth(size / 40)
            t.setTextRenderMode(2)
            t.textOut(text)
            c.drawText(t)
            c.restoreState()
        else:
            t.textOut(text)
            c.drawText(t)

    def _page_number(self, c: Canvas, number: int, left: float) -> None:
        text = f"\u2014 {number} \u2014"
        font = self.names["pagenum"]
        width = pdfmetrics.stringWidth(text, font, PAGE_PT)
        y = 28 * mm - 0.38 * PAGE_PT
        c.setFont(font, PAGE_PT)
        if self.notice.options.page_numbers == "centre":
            c.drawString(left + (BLOCK_W - width) / 2, y, text)
        elif number % 2:
            c.drawString(left + BLOCK_W - PAGE_PT - width, y, text)
        else:
            c.drawString(left + PAGE_PT, y, text)


def _title_lines(text: str) -> list[str]:
    """At most 20 characters a line; a long title is broken into balanced lines (梯形), longest first."""
    out: list[str] = []
    for part in text.split("\n"):
        n = -(-len(part) // TITLE_CHARS) or 1
        size = -(-len(part) // n)
        out += [part[i:i + size] for i in range(0, len(part), size)] or [""]
    return out


def write_pdf(notice: NoticeDocument, path: Path | str, fonts: dict[str, FontChoice] | None = None) -> Path:
    return PdfWriter(notice, fonts).write(path)
