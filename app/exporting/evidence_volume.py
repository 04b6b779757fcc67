"""佐证材料汇编: one PDF with a cover, contents, a divider for each problem that has evidence, the evidence
pages, and (if asked) an appendix of SHA-256 values.

The round is read once (snapshot). Drawn pages come from one reportlab document (one font subset for
all of them, every font embedded). pikepdf (qpdf) assembles the volume's structure: PDF evidence pages
are copied with their annotations and form fields (given appearance streams, so their values show),
owner-password-only PDFs are opened, every scan page is drawn with a placeholder image, page numbers
are laid over each page in its displayed orientation (respecting /Rotate), and the outline is built.
The scans themselves are then streamed from disk once, into an update appended to that file
(`pdfstream`), so memory stays small whatever the number of scans. The file appears only when complete.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from app.errors import LedgerError
from app.evidence_store import IMAGE_TYPES, EvidenceStore
from app.exporting.atomic import atomic_write
from app.exporting.evidence_plan import (
    Item,
    Section,
    SourcePage,
    VolumePlan,
    choose_problems,
    image_pages,
    paginate,
    pdf_pages,
)
from app.exporting.pdfstream import MARKER, Scan, append_scans
from app.services.snapshot import RoundSnapshot, read_snapshot
from db.session import Database

Progress = Callable[[int, int, str], None]
SIDE_MARGIN, BOTTOM_MARGIN = 28.35, 45.0   # image pages: 10 mm sides, room for the page number below


NO_DATE = "未指定汇编的日期：封面不印日期。请在导出时选择日期（命令行：--date 2024-6-30）。"


class Cancelled(LedgerError):
    def __init__(self) -> None:
        super().__init__("已取消，未生成汇编文件。")


def open_pdf(path: Path, name: str) -> Any:
    """Open an evidence PDF; one with only an owner password (printing/copying limits) opens as it is."""
    import pikepdf

    try:
        pdf = pikepdf.open(path, access_mode=pikepdf.AccessMode.stream)
    except pikepdf.PasswordError as exc:
        raise LedgerError(f"佐证材料“{name}”设置了打开密码，无法放入汇编。请取消密码后重新添加。") from exc
    except pikepdf.PdfError as exc:
        raise LedgerError(f"佐证材料“{name}”已损坏，无法读取：{exc}") from exc
    if "/AcroForm" in pdf.Root:
        pdf.generate_appearance_streams()   # form values are shown by their appearances, kept with the page
    return pdf


def plan_volume(snap: RoundSnapshot, data_dir: Path, stack: ExitStack, problem_ids: list[int] | None = None,
                category_id: int | None = None) -> tuple[VolumePlan, dict[str, Any]]:
    rows = choose_problems(snap, problem_ids, category_id)
    if not rows:
        raise LedgerError("所选范围内没有问题，无法生成汇编。")
    sources: dict[str, Any] = {}
    sections = []
    store = EvidenceStore(data_dir)   # its resolver refuses a stored path that leaves the store
    for p in rows:
        section = Section(p)
        for e in snap.evidence.get(p.id, []):
            path = store.path_of(e.stored_path)
            if not path.is_file():
                raise LedgerError(f"佐证材料“{e.original_name}”的文件不见了，请先运行“检查数据完整性”或从备份恢复。")
            item = Item(e, path)
            if e.file_type == "pdf":
                if e.sha256 not in sources:
                    sources[e.sha256] = stack.enter_context(open_pdf(path, e.original_name))
                item.pages = pdf_pages(sources[e.sha256])
            elif e.file_type in IMAGE_TYPES:
                item.pages = image_pages(path)
            section.items.append(item)
        sections.append(section)
    return VolumePlan(sections), sources


def write_evidence_volume(db: Database, round_id: int, path: Path | str, *, problem_ids: list[int] | None = None,
                          category_id: int | None = None, include_hashes: bool = False,
                          progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                          sign_date: dt.date | None = None, today: dt.date | None = None) -> Path:
    """The volume; the cover's date is `sign_date`, the one the clerk chose for it (None: no date on the cover,
    see `NO_DATE`), never the notice's 成文日期: the volume is put together on a day of its own."""
    from app.exporting.font_settings import load_chosen
    from app.exporting.fonts import resolve

    path = Path(path)
    snap = read_snapshot(db, round_id, today)
    # One face for every drawn page (headings by size): each font is a large file to read, and the
    # volume's text is a few headings and names.
    body = resolve("body", load_chosen(db.data_dir))
    fonts = {role: body for role in ("body", "title", "heading1", "pagenum")}
    with ExitStack() as stack:
        plan, sources = plan_volume(snap, db.data_dir, stack, problem_ids, category_id)
        paginate(plan, include_hashes)
        job = _Job(plan, sources, progress, cancelled)
        signer = snap.settings.signature or snap.unit.signature or snap.unit.name
        meta = {"/Title": f"{snap.round.title}佐证材料汇编", "/Author": signer, "/Creator": "巡察整改台账"}
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="volume-", dir=path.parent) as tmp:
            work = Path(tmp)
            job.draw(work / "drawn.pdf", fonts, snap.round.title, signer, sign_date)
            atomic_write(path, lambda target: job.assemble(target, work, meta), ".pdf")
    return path


class _Job:
    def __init__(self, plan: VolumePlan, sources: dict[str, Any], progress: Progress | None,
                 cancelled: Callable[[], bool] | None) -> None:
        self.plan, self.sources, self.progress, self.cancelled = plan, sources, progress, cancelled
        items = [it for s in plan.sections for it in s.items]
        self.steps = len(items) + sum(len(it.pages) for it in items if it.row.file_type in IMAGE_TYPES) + 2
        self.done = 0
        self.scans: list[Scan] = []                        # in the order of their placeholders

    def step(self, label: str) -> None:
        if self.cancelled and self.cancelled():
            raise Cancelled()
        self.done += 1
        if self.progress:
            self.progress(min(self.done, self.steps), self.steps, label)

    def draw(self, target: Path, fonts: dict[str, Any], title: str, signer: str, date: dt.date | None) -> None:
        from app.exporting.evidence_pages import VolumePages
        from app.exporting.pdf_table import faces

        pages = VolumePages(str(target), faces(fonts), title, signer, date)
        pages.cover()
        pages.contents(self.plan)
        pages.dividers(self.plan)
        pages.appendix(self.plan)
        pages.stamps(self.plan)
        pages.save()
        self.step("封面、目录和分隔页")

    def assemble(self, target: str, work: Path, meta: dict[str, str]) -> None:
        import pikepdf

        plan = self.plan
        stream = pikepdf.AccessMode.stream   # read as needed: a memory map would count the scans in our memory
        with pikepdf.open(work / "drawn.pdf", access_mode=stream) as drawn, pikepdf.new() as out:
            front = 1 + plan.toc_pages
            for i in range(front):
                out.pages.append(drawn.pages[i])
            stamp = front + len(plan.with_evidence) + plan.hash_pages
            marks: list[tuple[str, int, list[tuple[str, int]]]] = []
            for n, s in enumerate(plan.with_evidence):
                out.pages.append(drawn.pages[front + n])
                marks.append((f"{s.problem.number}. {_short(s.problem.text, 30)}", s.divider - 1, []))
                for it in s.items:
                    self.step(it.row.original_name)
                    if it.pages:
                        marks[-1][2].append((it.row.original_name, it.start - 1))
                    if it.row.file_type == "pdf":
                        _copy_pdf_pages(out, self.sources[it.row.sha256], [page.frame for page in it.pages])
                    else:
                        for page in it.pages:
                            out.pages.append(self._scan_page(out, it, page))
                    for k, page in enumerate(it.pages):
                        _stamp(out, out.pages[len(out.pages) - len(it.pages) + k], drawn.pages[stamp], page)
                        stamp += 1
            first_hash = front + len(plan.with_evidence)
            for i in range(plan.hash_pages):
                out.pages.append(drawn.pages[first_hash + i])
            with out.open_outline() as outline:
                root = outline.root
                root.append(pikepdf.OutlineItem("封面", 0))
                root.append(pikepdf.OutlineItem("目录", 1))
                for title, page_index, children in marks:
                    item = pikepdf.OutlineItem(title, page_index)
                    item.children.extend(pikepdf.OutlineItem(t, p) for t, p in children)
                    root.append(item)
                if plan.hash_pages:
                    root.append(pikepdf.OutlineItem("附录：文件校验值（SHA-256）", plan.total - plan.hash_pages))
            out.Root.PageMode = pikepdf.Name.UseOutlines
            for key, value in meta.items():
                out.docinfo[pikepdf.Name(key)] = value
            self.step("页码和书签")
            out.save(target, object_stream_mode=pikepdf.ObjectStreamMode.disable)
        self._append_scans(target)

    def _scan_page(self, out: Any, it: Item, page: SourcePage) -> Any:
        """A page drawing a placeholder image, fitted with its proportions inside the margins."""
        import pikepdf

        index = len(self.scans)
        self.scans.append(Scan(it.path, page.frame, it.row.file_type == "jpeg" and len(it.pages) == 1, page.pixels,
                               page.mode))
        image = out.make_stream(b"\x00", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=1, Height=1,
                                ColorSpace=pikepdf.Name.DeviceGray, BitsPerComponent=8, **{MARKER[1:]: index})
        (iw, ih), pw, ph = page.pixels, page.width, page.height
        scale = min((pw - 2 * SIDE_MARGIN) / iw, (ph - SIDE_MARGIN - BOTTOM_MARGIN) / ih)
        dw, dh = iw * scale, ih * scale
        x, y = (pw - dw) / 2, BOTTOM_MARGIN + (ph - SIDE_MARGIN - BOTTOM_MARGIN - dh) / 2
        draw = out.make_stream(b"q %.3f 0 0 %.3f %.3f %.3f cm /Im0 Do Q\n" % (dw, dh, x, y))
        return pikepdf.Page(out.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, pw, ph], Contents=draw,
            Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)))))

    def _append_scans(self, target: str) -> None:
        """Write every scan once, in place of its placeholder (an incremental update)."""
        import pikepdf

        if not self.scans:
            return
        placeholders: dict[int, Scan] = {}
        with pikepdf.open(target) as written:
            for obj in written.objects:
                if isinstance(obj, pikepdf.Stream) and MARKER in obj:
                    placeholders[obj.objgen[0]] = self.scans[int(obj[MARKER])]
            t = written.trailer
            trailer = b"/Size %d /Root %d 0 R /Info %d 0 R /ID %s" % (
                int(t.Size), t.Root.objgen[0], t.Info.objgen[0], t.ID.unparse())

        def steps() -> Iterator[None]:
            for scan in placeholders.values():
                self.step(scan.path.name)
                yield None

        append_scans(target, placeholders, trailer, steps())


def _copy_pdf_pages(out: Any, src: Any, frames: list[int]) -> None:
    """Copy pages with what the document holds for them: annotations, and form fields (kept working,
    renamed where two files use the same field name)."""
    if hasattr(out, "add_pages_from"):   # pikepdf ≥ 10.18
        out.add_pages_from(src, frames, outlines="ignore")
    else:
        out.pages.extend(src.pages[i] for i in frames)


def _stamp(out: Any, page: Any, stamp_page: Any, source: SourcePage) -> None:
    """Lay the number page over `page`, turned to the way the page is displayed (/Rotate)."""
    import pikepdf

    form = out.copy_foreign(stamp_page.as_form_xobject())
    name = page.add_resource(form, pikepdf.Name.XObject, prefix="XcNum")
    x0, y0, x1, y1 = source.box if source.box != (0, 0, 0, 0) else (0, 0, source.width, source.height)
    matrix = {0: (1, 0, 0, 1, x0, y0), 90: (0, 1, -1, 0, x1, y0), 180: (-1, 0, 0, -1, x1, y1),
              270: (0, -1, 1, 0, x0, y1)}[source.rotate]
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"\nQ q %s cm %s Do Q\n" % (" ".join(f"{v:g}" for v in matrix).encode(), bytes(str(name), "ascii")))


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n] + "…"
