"""The evidence volume planned before anything is drawn: which problems, which files, how many pages
each file gives and in which orientation, and every page's number in the volume.

Paths from the database are not trusted: a stored path must resolve inside the evidence store.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.dto import EvidenceRow, ProblemRow
from app.evidence_store import IMAGE_TYPES
from app.services.snapshot import RoundSnapshot

TOC_LINES = 32        # contents lines a page
A4_W, A4_H = 595.2756, 841.8898
HASH_LINES = 22       # appendix entries a page (name, problems; the value below)


@dataclass(frozen=True)
class SourcePage:
    """One page of an evidence file as it will appear: its displayed size and where it comes from."""

    width: float          # displayed (after /Rotate)
    height: float
    frame: int = 0        # page of a PDF, frame of a TIFF
    rotate: int = 0       # the source page's /Rotate (PDF only)
    box: tuple[float, float, float, float] = (0, 0, 0, 0)   # the source page's visible box (PDF only)
    pixels: tuple[int, int] = (0, 0)                        # an image frame's size (images only)
    mode: str = ""                                          # and its colours, as Pillow names them


@dataclass
class Item:
    row: EvidenceRow
    path: Path
    pages: list[SourcePage] = field(default_factory=list)   # empty for electronic attachments (Word, Excel …)
    start: int = 0                                          # 1-based page in the volume


@dataclass
class Section:
    problem: ProblemRow
    items: list[Item] = field(default_factory=list)
    divider: int = 0      # page of the divider; 0: no divider (no evidence)


@dataclass
class VolumePlan:
    sections: list[Section]
    toc_pages: int = 1
    hash_pages: int = 0
    total: int = 0
    hashes: list[tuple[str, str, str]] = field(default_factory=list)   # name, sha256, the problems it serves

    @property
    def with_evidence(self) -> list[Section]:
        return [s for s in self.sections if s.items]


def choose_problems(snap: RoundSnapshot, problem_ids: list[int] | None, category_id: int | None) -> list[ProblemRow]:
    rows = snap.problems
    if problem_ids is not None:
        wanted = set(problem_ids)
        rows = [p for p in rows if p.id in wanted]
    if category_id is not None:
        node = next((n for n in snap.walk() if n.row.id == category_id), None)
        inside = {p.id for p in node.all_problems()} if node else set()
        rows = [p for p in rows if p.id in inside]
    return rows


def pdf_pages(pdf: Any) -> list[SourcePage]:
    """Displayed size and rotation of every page of an open pikepdf document."""
    out = []
    for i, page in enumerate(pdf.pages):
        obj = page.obj
        inherit(obj)
        found = obj.get("/CropBox") or obj.get("/MediaBox")
        box = [float(v) for v in found] if found is not None and len(found) == 4 else [0, 0, A4_W, A4_H]
        x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])
        rotate = int(obj.get("/Rotate", 0)) % 360
        rotate = rotate if rotate in (0, 90, 180, 270) else 0
        w, h = x1 - x0, y1 - y0
        out.append(SourcePage(h if rotate in (90, 270) else w, w if rotate in (90, 270) else h, i, rotate,
                              (x0, y0, x1, y1)))
    return out


def inherit(obj: Any) -> None:
    """Bring /MediaBox, /CropBox, /Rotate and /Resources down from the page tree onto the page itself,
    so that the page keeps them when it is copied into the volume."""
    import pikepdf

    parent = obj.get("/Parent")
    while parent is not None:
        for key in ("/MediaBox", "/CropBox", "/Rotate", "/Resources"):
            if key not in obj and key in parent:
                obj[pikepdf.Name(key)] = parent[key]
        parent = parent.get("/Parent")


def image_pages(path: Path) -> list[SourcePage]:
    """One A4 page per image frame, turned to landscape for a landscape image."""
    from PIL import Image

    pages = []
    with Image.open(path) as img:
        for i in range(getattr(img, "n_frames", 1)):
            img.seek(i)
            wide = img.width > img.height
            pages.append(SourcePage(A4_H if wide else A4_W, A4_W if wide else A4_H, i, pixels=(img.width, img.height),
                                    mode=img.mode))
    return pages


def paginate(plan: VolumePlan, include_hashes: bool) -> None:
    """Number every page: cover 1, contents, then a divider and its files for each problem with evidence."""
    lines = sum(1 + len(s.items) for s in plan.sections)
    plan.toc_pages = max(1, -(-lines // TOC_LINES))
    page = 1 + plan.toc_pages + 1
    for s in plan.with_evidence:
        s.divider = page
        page += 1
        for it in s.items:
            if it.pages:
                it.start = page
                page += len(it.pages)
    if include_hashes:
        served: dict[str, tuple[str, list[str]]] = {}
        for s in plan.sections:
            for it in s.items:
                name, numbers = served.setdefault(it.row.sha256, (it.row.original_name, []))
                if str(s.problem.number) not in numbers:
                    numbers.append(str(s.problem.number))
        plan.hashes = [(name, sha, "问题" + "、".join(nums)) for sha, (name, nums) in served.items()]
        plan.hash_pages = max(1, -(-len(plan.hashes) // HASH_LINES))
    plan.total = page - 1 + plan.hash_pages


def is_paged(row: EvidenceRow) -> bool:
    return row.file_type == "pdf" or row.file_type in IMAGE_TYPES
