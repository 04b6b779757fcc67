"""NoticeDocument → PDF with a grid typesetter of our own (reportlab's canvas only).

22 lines × 28 characters on the 156 × 225 mm GB/T 9704 text block (pitch 15.79 pt), Chinese
line-break rules by push-out, justified lines, Latin letters and digits in a Latin face at their own
width, fonts embedded as subsets, page numbers — N — on the outside edge, PDF metadata and bookmarks
(shared/specs/gbt9704.md §7). Pages break as Word and LibreOffice break the same document: two lines
at least of a paragraph on each side of a break, headings kept with what follows.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.exporting.atomic import atomic_write
from app.exporting.blocks import (
    Addressee,
    Blank,
    Heading,
    NoticeDocument,
    PageBreak,
    Paragraph,
    Signature,
    Title,
)
from app.exporting.fonts import FontChoice, register, resolve_all
from app.exporting.linebreak import AUTOSPACE_PT, Unit, break_lines, units
from app.exporting.pdf_glyphs import GlyphRun, GlyphWriter

PAGE_W, PAGE_H = A4
TOP, LEFT, BLOCK_W, BLOCK_H = 37 * mm, 28 * mm, 156 * mm, 225 * mm
LINES, CHARS = 22, 28
PITCH_X, PITCH_Y = BLOCK_W / CHARS, BLOCK_H / LINES
BODY_PT, TITLE_PT, PAGE_PT = 16.0, 22.0, 14.0
CONDENSE_PT = 0.25          # the Word file's −0.25 pt character spacing, applied to Latin runs alike


@dataclass
class Line:
    units: list[Unit]
    par: int                     # paragraph number: pages break between paragraphs or by the widow rule
    indent: float = 0.0          # cells from the left edge
    right: float = 0.0           # cells kept free on the right (signature, date)
    align: str = "justify"       # justify | centre | right
    last: bool = False           # a paragraph's last line is not justified
    size: float = BODY_PT
    outline: tuple[str, int] | None = None   # bookmark (text, level) placed at this line


@dataclass
class Par:
    first: int                   # index of its first line
    count: int
    keep_next: bool = False      # on the same page as the start of the next paragraph
    together: bool = False       # never split (title lines, 署名 and 成文日期)


@dataclass
class Layout:
    lines: list[Line] = field(default_factory=list)
    pars: list[Par] = field(default_factory=list)
    breaks: set[int] = field(default_factory=set)    # forced page breaks before these line indexes


class PdfWriter:
    def __init__(self, notice: NoticeDocument, fonts: dict[str, FontChoice] | None = None) -> None:
        self.notice = notice
        self.fonts = fonts or resolve_all()
        self.names = {role: register(choice) for role, choice in self.fonts.items()}
        if "latin" not in self.names:
            self.names["latin"] = self.names["body"]
        bold3 = notice.options.bold_level3
        # style → (font role, fake bold)
        self.styles = {"body": ("body", False), "label": ("body", True),
                       "h1": ("heading1", self.fonts["heading1"].fake_bold), "h2": ("heading2", False),
                       "h3": ("body", bold3), "h4": ("body", False),
                       "title": ("title", self.fonts["title"].fake_bold)}
        self._latin_w: dict[tuple[str, float], float] = {}

    # -- measuring ------------------------------------------------------------------------
    def _latin_cells(self, text: str, size: float = BODY_PT) -> float:
        key = (text, size)
        w = self._latin_w.get(key)
        if w is None:
            w = pdfmetrics.stringWidth(text, self.names["latin"], size)
            if size == BODY_PT:
                w -= CONDENSE_PT * len(text)
            w = self._latin_w[key] = w / PITCH_X
        return w

    def _units(self, text: str, style: str, size: float = BODY_PT) -> list[Unit]:
        gap = AUTOSPACE_PT / PITCH_X if size == BODY_PT else 0.0
        return units(text, lambda run: self._latin_cells(run, size), style, gap)

    # -- layout ---------------------------------------------------------------------------------
    def _paragraph(self, lay: Layout, us: list[Unit], indent: float = 2, keep: bool = False,
                   outline: tuple[str, int] | None = None) -> None:
        rows = break_lines(us, CHARS - indent, CHARS) or [[]]
        lay.pars.append(Par(len(lay.lines), len(rows), keep_next=keep))
        for i, row in enumerate(rows):
            lay.lines.append(Line(row, len(lay.pars) - 1, indent if i == 0 else 0, last=i == len(rows) - 1,
                                  outline=outline if i == 0 else None))

    def _single(self, lay: Layout, line: Line, keep: bool, together: bool = False) -> None:
        line.par = len(lay.pars)
        lay.pars.append(Par(len(lay.lines), 1, keep_next=keep, together=together))
        lay.lines.append(line)

    def layout(self) -> Layout:
        lay = Layout()
        for _ in self._lay_out(lay):
            pass
        return lay

    def _lay_out(self, lay: Layout) -> Iterator[None]:
        """Lay the blocks out one by one into `lay`, pausing after each (the pages are cut as it goes)."""
        depth = -1  # outline levels may only go one deeper at a time
        for block in self.notice.blocks:
            yield
            if isinstance(block, Title):
                for text in block.text.split("\n"):
                    us = self._units(text, "title", TITLE_PT)
                    self._single(lay, Line(us, 0, align="centre", size=TITLE_PT, last=True), keep=True)
            elif isinstance(block, Blank):
                self._single(lay, Line([], 0, last=True), keep=False)
            elif isinstance(block, Addressee):  # 主送机关: 顶格, wrapped lines 顶格 too
                self._paragraph(lay, self._units(block.line, "body"), indent=0, keep=True)
            elif isinstance(block, Heading):
                style = f"h{block.level}"
                us = self._units(block.prefix + block.text, style) + self._units(block.body, "body")
                outline = None
                if block.outline:
                    depth = min(block.level - 1, depth + 1)
                    outline = (block.outline, depth)
                self._paragraph(lay, us, keep=not block.body, outline=outline)
            elif isinstance(block, Paragraph):
                us = self._units(block.label, "label" if block.bold_label else "body") + self._units(
                    block.text, "body")
                self._paragraph(lay, us, keep=block.keep_with_next)
            elif isinstance(block, Signature):
                self._signature(lay, block)
            elif isinstance(block, PageBreak):
                lay.breaks.add(len(lay.lines))

    def _signature(self, lay: Layout, s: Signature) -> None:
        sign, date = self._units(s.signature, "body"), self._units(s.date, "body")
        w_sign, w_date = sum(u.cells for u in sign), sum(u.cells for u in date)
        if s.sealed:
            sign_right, date_right = 4 + (w_date - w_sign) / 2, 4.0
        else:
            sign_right, date_right = 2.0, w_sign - w_date
            if date_right < 2:
                date_right, sign_right = 2.0, w_date - w_sign + 4
        if lay.pars:  # the last text goes with the signature: it is never alone on a page
            lay.pars[-1].keep_next = True
        for _ in range(2 if s.sealed else 1):
            self._single(lay, Line([], 0, last=True), keep=True)
        if sign:
            self._single(lay, Line(sign, 0, align="right", right=max(0.0, sign_right), last=True), keep=bool(date))
        if date:
            self._single(lay, Line(date, 0, align="right", right=max(0.0, date_right), last=True), keep=False)

    # -- pages -----------------------------------------------------------------------------------
    def paginate(self, lay: Layout) -> list[list[Line]]:
        """Fill each page, breaking at the last place Word would allow: not inside a kept group,
        not leaving fewer than two lines of a paragraph on either side (widow and orphan control)."""
        n = len(lay.lines)
        allowed = [True] * (n + 1)
        for par in lay.pars:
            for k in range(1, par.count):
                allowed[par.first + k] = not par.together and k >= 2 and par.count - k >= 2
            if par.keep_next:
                allowed[par.first + par.count] = False
        pages: list[list[Line]] = []
        start = 0
        while start < n:
            end = min(start + LINES, n)
            forced = [b for b in lay.breaks if start < b < end]
            if forced:
                end = min(forced)
            elif end < n:
                cut = next((b for b in range(end, start, -1) if allowed[b]), end)
                end = cut
            pages.append(lay.lines[start:end])
            start = end
        return pages or [[]]

    def pages(self) -> Iterator[list[Line]]:
        """The pages `paginate(layout())` gives, each as soon as the lines it depends on are laid out, and
        the lines of a page let go once it is drawn: a notice of 50,000 problems is never held laid out
        whole. A page from `start` depends on the lines up to `start + LINES` (where it may break, and
        whether a paragraph or a kept group runs past it); paragraphs are laid out whole, so once more
        lines than that are laid out, the page is decided."""
        lay = Layout()
        allowed: list[bool] = [True]   # allowed[i]: a page may begin at line i
        marked = 0                     # pars whose breaks are in `allowed` (the last one again: see below)
        start = 0
        steps = self._lay_out(lay)
        done = False
        while not done:
            done = next(steps, StopIteration) is StopIteration
            n = len(lay.lines)
            allowed.extend([True] * (n + 1 - len(allowed)))
            # Re-mark the last paragraph marked before: the signature keeps it with what follows afterwards.
            for par in lay.pars[max(0, marked - 1):]:
                for k in range(1, par.count):
                    allowed[par.first + k] = not par.together and k >= 2 and par.count - k >= 2
                allowed[par.first + par.count] = not par.keep_next
            marked = len(lay.pars)
            while start < n and (done or n > start + LINES):
                end = min(start + LINES, n)
                forced = [b for b in lay.breaks if start < b < end]
                if forced:
                    end = min(forced)
                elif end < n:
                    end = next((b for b in range(end, start, -1) if allowed[b]), end)
                page = lay.lines[start:end]
                lay.lines[start:end] = [None] * (end - start)  # type: ignore[list-item]  # drawn: let go
                yield page
                start = end
            if done and not start:
                yield []

    def write(self, path: Path | str) -> Path:
        return atomic_write(path, self._draw, ".pdf")

    def _draw(self, target: str) -> None:
        from reportlab import rl_config

        rl_config.useA85 = 0  # binary streams: ASCII85 only makes the file bigger and the export slower
        c = Canvas(target, pagesize=A4, initialFontName=self.names["body"],  # type: ignore[arg-type]  # a name
                   pageCompression=1)
        c.setTitle(self.notice.title)
        c.setAuthor(self.notice.author)
        c.setSubject(self.notice.subject)
        c.setCreator("巡察整改台账")
        glyphs = GlyphWriter(c)
        bookmark = 0
        for number, page in enumerate(self.pages(), 1):
            left = LEFT if number % 2 or not self.notice.options.mirror_margins else PAGE_W - LEFT - BLOCK_W
            for row, line in enumerate(page):
                top = PAGE_H - TOP - row * PITCH_Y
                if line.outline:
                    key = f"b{bookmark}"
                    bookmark += 1
                    c.bookmarkPage(key, fit="XYZ", top=top, left=0)
                    c.addOutlineEntry(line.outline[0], key, level=line.outline[1], closed=False)
                self._draw_line(glyphs, line, left, top)
            self._page_number(c, number, left)
            c.showPage()
            _compress_page(c)
        c.showOutline()
        c.save()

    def _draw_line(self, glyphs: GlyphWriter, line: Line, left: float, top: float) -> None:
        if not line.units:
            return
        size = line.size
        baseline = top - (PITCH_Y - size) / 2 - size * 0.86
        if size != BODY_PT:  # the title: its own size, centred on the block, one em a character
            widths = [self._latin_cells(u.text, size) * PITCH_X if u.latin else size * len(u.text)
                      for u in line.units]
            x = left + (BLOCK_W - sum(widths)) / 2
            positions = []
            for w in widths:
                positions.append(x)
                x += w
            self._place(glyphs, line.units, positions, [w / PITCH_X for w in widths], baseline, size)
            return
        us = line.units
        if us[0].lead or us[-1].trail:  # no autospace at the edges of a line
            us = list(us)
            us[0] = us[0]._replace(cells=us[0].cells - us[0].lead, lead=0.0)
            us[-1] = us[-1]._replace(cells=us[-1].cells - us[-1].trail, trail=0.0)
        used = sum(u.cells for u in us)
        space = CHARS - line.indent - line.right - used
        extra = 0.0
        if line.align == "right":
            col = CHARS - line.right - used
        elif line.align == "centre":
            col = (CHARS - used) / 2
        else:
            col = line.indent
            gaps = len(us) - 1
            if not line.last and gaps > 0 and space > 0:
                extra = space / gaps
        positions, cells = [], []
        for u in us:
            positions.append(left + col * PITCH_X)
            cells.append(u.cells)
            col += u.cells + extra
        self._place(glyphs, us, positions, cells, baseline, size)

    def _place(self, glyphs: GlyphWriter, us: list[Unit], xs: list[float], cells: list[float], y: float,
               size: float) -> None:
        """Each unit's glyphs: a CJK character centred in its cell, a Latin run at its own width."""
        run: GlyphRun | None = None
        condense = CONDENSE_PT if size == BODY_PT else 0.0
        latin_font, names, styles = self.names["latin"], self.names, self.styles
        for u, x, width in zip(us, xs, cells, strict=True):
            role, bold = styles[u.style]
            font = latin_font if u.latin else names[role]
            if run is None or run.font != font or run.bold != bold:
                if run is not None:
                    glyphs.draw(run)
                run = GlyphRun(font, size, bold, y, condense)
            run.items.append((u.text, x, width * PITCH_X, u.latin, u.lead * PITCH_X))
        if run is not None:
            glyphs.draw(run)

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


def _compress_page(c: Canvas) -> None:
    """Compress the page just finished now, not when the document is saved: reportlab keeps every page's
    content stream until then, a third of the memory of a long notice. The stream is what reportlab
    itself would write (the same bytes, the same filter: it skips a stream already marked as filtered)."""
    page = c._doc.Pages.pages[-1]  # type: ignore[attr-defined]
    if not page.compression or not isinstance(page.stream, str) or page.Contents:
        return
    stream = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}),
                              zlib.compress(page.stream.encode("utf-8")))
    stream.__Comment__ = "page stream"  # type: ignore[attr-defined]
    page.Contents, page.stream = stream, None


def write_pdf(notice: NoticeDocument, path: Path | str, fonts: dict[str, FontChoice] | None = None) -> Path:
    return PdfWriter(notice, fonts).write(path)
