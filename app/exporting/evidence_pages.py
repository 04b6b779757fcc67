"""The drawn pages of the evidence volume, all in one reportlab document so that every page shares one
embedded subset of each font: cover (no page number), contents, a divider per problem with evidence,
the SHA-256 appendix, and then one transparent "stamp" page per evidence page, holding only its page
number, at the evidence page's displayed size (the volume lays each stamp over its page)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.exporting.evidence_plan import HASH_LINES, TOC_LINES, VolumePlan
from app.exporting.pdf_table import Face, cell_lines
from app.numerals import date_cn

NUMBER_SIZE = 12
NUMBER_Y = 9 * mm


def fit(text: str, font: str, size: float, width: float) -> str:
    """One line: the text, cut with … if it is wider than `width`."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class VolumePages:
    def __init__(self, target: str, faces: dict[str, Face], title: str, signer: str, date: dt.date | None) -> None:
        self.c = Canvas(target, pagesize=A4, initialFontName=faces["body"].name,  # type: ignore[arg-type]
                        initialFontSize=12)
        self.c.setCreator("巡察整改台账")
        self.faces, self.title, self.signer, self.date = faces, title, signer, date
        self.body, self.head = faces["body"].name, faces["heading1"].name

    def _text(self, x: float, y: float, text: str, face: Face, size: float, how: str = "left") -> None:
        c = self.c
        c.setFont(face.name, size)
        if face.fake_bold:
            c.setLineWidth(size / 40)
            t = c.beginText()
            t.setTextRenderMode(2)
            t.setFont(face.name, size)
            w = stringWidth(text, face.name, size)
            t.setTextOrigin(x - (w / 2 if how == "centre" else w if how == "right" else 0), y)
            t.textOut(text)
            c.drawText(t)
            return
        {"left": c.drawString, "centre": c.drawCentredString, "right": c.drawRightString}[how](x, y, text)

    def number(self, n: int, width: float) -> None:
        self._text(width / 2, NUMBER_Y, f"— {n} —", self.faces["pagenum"], NUMBER_SIZE, "centre")

    def cover(self) -> None:
        w, h = A4
        self._text(w / 2, h - 85 * mm, "佐证材料汇编", self.faces["title"], 30, "centre")
        for i, line in enumerate(cell_lines(self.title, self.faces["title"].name, 20, w - 60 * mm)):
            self._text(w / 2, h - 115 * mm - i * 30, line, self.faces["title"], 20, "centre")
        self._text(w / 2, 75 * mm, self.signer, self.faces["body"], 16, "centre")
        if self.date:
            self._text(w / 2, 64 * mm, date_cn(self.date), self.faces["body"], 16, "centre")
        self.c.showPage()

    def contents(self, plan: VolumePlan) -> None:
        w, h = A4
        lines = list(self._contents_lines(plan))
        for p in range(plan.toc_pages):
            self._text(w / 2, h - 30 * mm, "目　录" if p == 0 else "目　录（续）", self.faces["heading1"], 20, "centre")
            y = h - 47 * mm
            for text, where, top in lines[p * TOC_LINES:(p + 1) * TOC_LINES]:
                face = self.faces["heading1"] if top else self.faces["body"]
                size = 12 if top else 11
                x = 25 * mm if top else 33 * mm
                room = w - 25 * mm - x - stringWidth(where, face.name, size) - 8 * mm
                self._text(x, y, fit(text, face.name, size, room), face, size)
                self._text(w - 25 * mm, y, where, face, size, "right")
                y -= 7 * mm
            self.number(2 + p, w)
            self.c.showPage()

    @staticmethod
    def _contents_lines(plan: VolumePlan) -> Iterator[tuple[str, str, bool]]:
        for s in plan.sections:
            yield f"{s.problem.number}. {s.problem.text}", str(s.divider) if s.divider else "无", True
            for it in s.items:
                yield it.row.original_name, str(it.start) if it.pages else "附件（电子文件）", False

    def dividers(self, plan: VolumePlan) -> None:
        w, h = A4
        for s in plan.with_evidence:
            self._text(w / 2, h - 60 * mm, f"问题 {s.problem.number}", self.faces["heading1"], 22, "centre")
            y = h - 82 * mm
            for line in cell_lines(s.problem.text.replace("\n", ""), self.body, 15, w - 50 * mm)[:18]:
                self._text(25 * mm, y, line, self.faces["body"], 15)
                y -= 24
            y -= 14
            self._text(25 * mm, y, f"整改状态：{s.problem.status.value}", self.faces["body"], 13)
            y -= 26
            self._text(25 * mm, y, "佐证材料：", self.faces["body"], 13)
            for it in s.items:
                y -= 21
                if y < 25 * mm:
                    break
                where = f"第{it.start}页" if it.pages else "附件（电子文件）"
                room = w - 60 * mm - stringWidth(where, self.body, 12) - 8 * mm
                self._text(35 * mm, y, fit(it.row.original_name, self.body, 12, room), self.faces["body"], 12)
                self._text(w - 25 * mm, y, where, self.faces["body"], 12, "right")
            self.number(s.divider, w)
            self.c.showPage()

    def appendix(self, plan: VolumePlan) -> None:
        w, h = A4
        first = plan.total - plan.hash_pages + 1
        for p in range(plan.hash_pages):
            self._text(w / 2, h - 25 * mm, "附录：文件校验值（SHA-256）", self.faces["heading1"], 16, "centre")
            y = h - 40 * mm
            for name, sha, served in plan.hashes[p * HASH_LINES:(p + 1) * HASH_LINES]:
                self._text(20 * mm, y, fit(name, self.body, 10, 95 * mm), self.faces["body"], 10)
                self._text(w - 20 * mm, y, fit(served, self.body, 10, 60 * mm), self.faces["body"], 10, "right")
                self._text(20 * mm, y - 12, sha, self.faces["body"], 8.5)
                y -= 10.5 * mm
            self.number(first + p, w)
            self.c.showPage()

    def stamps(self, plan: VolumePlan) -> None:
        """A page holding only the number, for each evidence page, at its displayed size."""
        for s in plan.with_evidence:
            for it in s.items:
                for k, page in enumerate(it.pages):
                    self.c.setPageSize((page.width, page.height))
                    self.number(it.start + k, page.width)
                    self.c.showPage()
        self.c.setPageSize(A4)

    def save(self) -> None:
        self.c.save()
