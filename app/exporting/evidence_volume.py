"""佐证材料汇编: one PDF with a cover, contents, a divider page per problem and its evidence pages.

PDF evidence is carried over page by page (pypdf); JPEG scans are embedded as they are (reportlab
passes DCT data through); other images are converted losslessly (Flate). Word and Excel files are
listed in the contents as 附件（电子文件）. Page numbers are stamped on every page; bookmarks mirror
the contents. The file appears only when complete.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.dto import EvidenceRow, ProblemRow
from app.errors import LedgerError
from app.evidence_store import IMAGE_TYPES
from app.exporting.atomic import atomic_write
from app.exporting.pdfstream import OutlineItem, StreamingPdf
from app.numerals import date_cn
from app.services import evidence, problems, rounds
from db.session import Database

Progress = Callable[[int, int, str], None]
TOC_LINES = 34


class Cancelled(LedgerError):
    def __init__(self) -> None:
        super().__init__("已取消，未生成汇编文件。")


@dataclass
class Item:
    row: EvidenceRow
    path: Path
    pages: int            # 0 for electronic attachments (Word, Excel …)
    start: int = 0        # 1-based page in the volume


@dataclass
class Section:
    problem: ProblemRow
    items: list[Item] = field(default_factory=list)
    divider: int = 0      # page of the divider


def _font() -> str:
    from app.exporting.fonts import register, resolve

    return register(resolve("body"))


def plan_volume(db: Database, round_id: int, problem_ids: list[int] | None = None,
                category_id: int | None = None) -> list[Section]:
    rows = problems.list_problems(db, round_id)
    if problem_ids is not None:
        wanted = set(problem_ids)
        rows = [p for p in rows if p.id in wanted]
    if category_id is not None:
        from app.services.categories import list_categories

        cats = list_categories(db, round_id)
        ids = {category_id} | {c.id for c in cats if c.parent_id == category_id}
        rows = [p for p in rows if p.category_id in ids]
    store = evidence.store_for(db)
    sections = []
    for p in rows:
        section = Section(p)
        for e in evidence.list_evidence(db, p.id):
            path = store.path_of(e.stored_path)
            pages = e.page_count if (e.file_type == "pdf" or e.file_type in IMAGE_TYPES) else 0
            section.items.append(Item(e, path, pages))
        sections.append(section)
    return sections


def _toc_lines(sections: list[Section]) -> int:
    return sum(1 + max(len(s.items), 1) for s in sections)


def write_evidence_volume(db: Database, round_id: int, path: Path | str, *, problem_ids: list[int] | None = None,
                          category_id: int | None = None, include_hashes: bool = False,
                          progress: Progress | None = None, cancelled: Callable[[], bool] | None = None) -> Path:
    path = Path(path)
    r = rounds.get_round(db, round_id)
    unit = rounds.get_unit(db, r.unit_id)
    sections = plan_volume(db, round_id, problem_ids, category_id)
    if not sections:
        raise LedgerError("所选范围内没有问题，无法生成汇编。")
    for s in sections:
        for it in s.items:
            if not it.path.exists():
                raise LedgerError(f"佐证材料“{it.row.original_name}”的文件不见了，请先运行“检查数据完整性”或从备份恢复。")
    font = _font()
    toc_pages = -(-_toc_lines(sections) // TOC_LINES)
    page = 1 + toc_pages + 1
    for s in sections:  # page numbers of every divider and item, before anything is drawn
        s.divider = page
        page += 1
        for it in s.items:
            if it.pages:
                it.start = page
                page += it.pages
    hash_pages = -(-sum(len(s.items) for s in sections) // TOC_LINES) if include_hashes else 0
    total_pages = page - 1 + hash_pages
    steps = sum(len(s.items) for s in sections) + 2
    done = 0

    def step(label: str) -> None:
        nonlocal done
        if cancelled and cancelled():
            raise Cancelled()
        done += 1
        if progress:
            progress(done, steps, label)

    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="volume-", dir=path.parent) as tmp:
        work = Path(tmp)
        front = work / "front.pdf"
        _front_matter(front, font, unit.signature or unit.name, r.title, sections, toc_pages)
        step("封面和目录")

        def build(target: str) -> None:
            with open(target, "wb") as out:
                pdf = StreamingPdf(out)
                pdf.add_pdf_pages(front, 1)
                outline = [OutlineItem("封面", 0), OutlineItem("目录", 1)]
                for s in sections:
                    divider = work / "divider.pdf"
                    _divider(divider, font, s)
                    pdf.add_pdf_pages(divider, s.divider)
                    mark = OutlineItem(f"{s.problem.number}. {_short(s.problem.text, 30)}", s.divider - 1)
                    outline.append(mark)
                    for it in s.items:
                        step(it.row.original_name)
                        if not it.pages:
                            continue
                        if it.row.file_type == "pdf":
                            pdf.add_pdf_pages(it.path, it.start)
                        else:
                            _image_pages(pdf, it)
                        mark.children.append(OutlineItem(it.row.original_name, it.start - 1))
                if include_hashes:
                    appendix = work / "hashes.pdf"
                    _hash_appendix(appendix, font, sections)
                    pdf.add_pdf_pages(appendix, total_pages - hash_pages + 1)
                    outline.append(OutlineItem("附录：文件校验值（SHA-256）", total_pages - hash_pages))
                step("页码和书签")
                pdf.finish(outline, {"Title": f"{r.title}佐证材料汇编", "Author": unit.signature or unit.name,
                                     "Creator": "巡察整改台账"})

        atomic_write(path, build, ".pdf")
    return path


def _short(text: str, n: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


def _wrap(c: Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    lines, line = [], ""
    for ch in text.replace("\n", ""):
        if pdfmetrics.stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ch
        else:
            line += ch
    return lines + ([line] if line else [])


def _front_matter(target: Path, font: str, signer: str, title: str, sections: list[Section], toc_pages: int) -> None:
    w, h = A4
    c = Canvas(str(target), pagesize=A4, initialFontName=font)  # type: ignore[arg-type]  # types-reportlab: a float (sic)
    c.setFont(font, 30)
    c.drawCentredString(w / 2, h - 90 * mm, "佐证材料汇编")
    c.setFont(font, 18)
    for i, line in enumerate(_wrap(c, title, font, 18, w - 60 * mm)):
        c.drawCentredString(w / 2, h - 115 * mm - i * 26, line)
    c.setFont(font, 16)
    c.drawCentredString(w / 2, 70 * mm, signer)
    c.drawCentredString(w / 2, 60 * mm, date_cn(dt.date.today()))
    c.showPage()
    lines: list[tuple[str, str, bool]] = []
    for s in sections:
        lines.append((f"{s.problem.number}. {_short(s.problem.text, 34)}", str(s.divider), True))
        for it in s.items:
            where = str(it.start) if it.pages else "附件（电子文件）"
            lines.append((f"    {it.row.original_name}", where, False))
        if not s.items:
            lines.append(("    （无佐证材料）", "", False))
    for p in range(toc_pages):
        c.setFont(font, 20)
        c.drawCentredString(w / 2, h - 30 * mm, "目　录" if p == 0 else "目　录（续）")
        y = h - 45 * mm
        for text, where, bold in lines[p * TOC_LINES:(p + 1) * TOC_LINES]:
            c.setFont(font, 12 if bold else 11)
            c.drawString(25 * mm, y, _short(text, 44))
            c.drawRightString(w - 25 * mm, y, where)
            y -= 6.6 * mm
        c.showPage()
    c.save()


def _divider(target: Path, font: str, s: Section) -> None:
    w, h = A4
    c = Canvas(str(target), pagesize=A4, initialFontName=font)  # type: ignore[arg-type]  # types-reportlab: a float (sic)
    c.setFont(font, 22)
    c.drawCentredString(w / 2, h - 70 * mm, f"问题 {s.problem.number}")
    c.setFont(font, 15)
    y = h - 95 * mm
    for line in _wrap(c, s.problem.text, font, 15, w - 50 * mm)[:20]:
        c.drawString(25 * mm, y, line)
        y -= 24
    c.setFont(font, 13)
    y -= 12
    c.drawString(25 * mm, y, f"整改状态：{s.problem.status.value}")
    c.drawString(25 * mm, y - 22, f"佐证材料：{len(s.items)} 份")
    c.showPage()
    c.save()


def _image_pages(pdf: StreamingPdf, it: Item) -> None:
    """One A4 page per image frame, fitted with its proportions. A JPEG's bytes are copied as they
    are; other images (PNG, TIFF, BMP) are decoded and stored losslessly."""
    from PIL import Image

    with Image.open(it.path) as img:
        if it.row.file_type == "jpeg" and getattr(img, "n_frames", 1) == 1:
            pdf.add_jpeg_page(it.path, img.width, img.height, img.mode, it.start, A4, 10 * mm)
            return
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            frame = img.convert("L" if img.mode in ("1", "L", "I;16", "I") else "RGB")
            pdf.add_raw_image_page(frame.tobytes(), frame.width, frame.height, frame.mode == "L", it.start + i,
                                   A4, 10 * mm)


def _hash_appendix(target: Path, font: str, sections: list[Section]) -> None:
    w, h = A4
    c = Canvas(str(target), pagesize=A4, initialFontName=font)  # type: ignore[arg-type]  # types-reportlab: a float (sic)
    rows = [(it.row.original_name, it.row.sha256) for s in sections for it in s.items]
    for p in range(0, len(rows), TOC_LINES):
        c.setFont(font, 16)
        c.drawCentredString(w / 2, h - 25 * mm, "附录：文件校验值（SHA-256）")
        y = h - 40 * mm
        for name, sha in rows[p:p + TOC_LINES]:
            c.setFont(font, 9)
            c.drawString(15 * mm, y, _short(name, 30))
            c.setFont("Courier", 8)
            c.drawString(78 * mm, y, sha)
            y -= 6.8 * mm
        c.showPage()
    c.save()
