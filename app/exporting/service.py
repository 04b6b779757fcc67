"""One entry point for every export, used by the command line and the GUI alike."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import ValidationError
from app.exporting.preflight import PreflightItem, Severity
from app.paths import refuse_ledger_output
from db.session import Database

if TYPE_CHECKING:  # the notice's modules are imported by the notice's export only (a volume has no use for them)
    from app.exporting.compose_notice import ComposedNotice, NoticeOptions
    from app.exporting.hygiene import Change

DATED = ("plan", "evidence")   # documents whose date the clerk chooses at export (not the notice's 成文日期)
FORMATS = {"notice": ("docx", "pdf"), "ledger": ("xlsx", "pdf", "docx"), "plan": ("docx",), "evidence": ("pdf",)}
KIND_NAMES = {"notice": "通报", "ledger": "整改台账", "plan": "整改方案", "evidence": "佐证材料汇编"}


@dataclass
class ExportResult:
    path: Path
    notes: list[str] = field(default_factory=list)      # fonts used, hygiene changes … for the user
    changes: list[Change] = field(default_factory=list)
    preflight: list[PreflightItem] = field(default_factory=list)   # what the notice lacks, for the clerk


def notice_options(public: bool = True, sealed: bool = True, page_numbers: str = "outside", bold_level3: bool = True,
                   mirror_margins: bool = False, refused_fixes: tuple[str, ...] = (),
                   restart_numbering: bool | None = None, redact_names: tuple[str, ...] = ()) -> NoticeOptions:
    from app.exporting.blocks import LayoutOptions
    from app.exporting.compose_notice import NoticeOptions

    return NoticeOptions(public=public, sealed=sealed, refused_fixes=refused_fixes, restart_numbering=restart_numbering,
                         redact_names=redact_names, layout=LayoutOptions(page_numbers, bold_level3, mirror_margins))


def export(db: Database, what: str, round_id: int, fmt: str, path: Path | str, *, public: bool = True,
           sealed: bool = True, page_numbers: str = "outside", bold_level3: bool = True, mirror_margins: bool = False,
           refused_fixes: tuple[str, ...] = (), restart_numbering: bool | None = None,
           redact_names: tuple[str, ...] = (), composed: ComposedNotice | None = None,
           progress: Callable[[int, int, str], None] | None = None,
           cancelled: Callable[[], bool] | None = None, sign_date: dt.date | None = None,
           **extra: object) -> ExportResult:
    """Write one export. A notice already composed (the export dialog's preview) is written as it is.
    `sign_date` is the date the clerk chose for a plan or an evidence volume: without it none is printed,
    and the result's preflight says so (a document made today is not dated today unasked)."""
    path = refuse_ledger_output(path, db.path)  # never over the database, its journal or the evidence store
    if what not in FORMATS:
        raise ValidationError(f"未知的导出内容：{what}")
    if fmt not in FORMATS[what]:
        raise ValidationError(f"{KIND_NAMES[what]}不能导出为 .{fmt}（可用：{'、'.join('.' + f for f in FORMATS[what])}）。")
    if sign_date is not None and what not in DATED:
        raise ValidationError(f"{KIND_NAMES[what]}不另设日期：通报的成文日期在通报设置中填写，台账按统计日期生成。")
    if what == "notice":
        if composed is None:
            from app.exporting.compose_notice import compose_notice

            composed = compose_notice(db, round_id, notice_options(
                public, sealed, page_numbers, bold_level3, mirror_margins, refused_fixes, restart_numbering,
                redact_names))
        return write_notice(db, composed, fmt, path)
    if what == "ledger":
        from app.exporting import ledger

        if fmt == "xlsx":
            return ExportResult(ledger.write_ledger_xlsx(db, [round_id], path))
        if fmt == "pdf":
            return ExportResult(ledger.write_ledger_pdf(db, round_id, path))
        return ExportResult(ledger.write_ledger_docx(db, round_id, path))
    if what == "plan":
        from app.exporting.docx_writer import write_docx
        from app.exporting.plan import compose_plan
        from app.services.snapshot import read_snapshot

        plan = compose_plan(read_snapshot(db, round_id), sign_date)
        return ExportResult(write_docx(plan.document, path), [f"请注意：{m.message}" for m in plan.missing],
                            preflight=plan.missing)
    from app.exporting.evidence_volume import write_evidence_volume

    written = write_evidence_volume(db, round_id, path, progress=progress, cancelled=cancelled, sign_date=sign_date,
                                    **extra)  # type: ignore[arg-type]
    return ExportResult(written, [f"请注意：{m}" for m in date_preflight(what, sign_date)],
                        preflight=[PreflightItem(Severity.MISSING, m) for m in date_preflight(what, sign_date)])


def date_preflight(what: str, sign_date: dt.date | None) -> list[str]:
    """What the export dialog and the command line say before writing a plan or a volume without a date."""
    if what not in DATED or sign_date is not None:
        return []
    if what == "plan":
        from app.exporting.plan import NO_DATE
    else:
        from app.exporting.evidence_volume import NO_DATE
    return [NO_DATE]


def write_notice(db: Database, composed: ComposedNotice, fmt: str, path: Path) -> ExportResult:
    notes = [f"已做文字规范处理 {len(composed.changes)} 处（半角标点改全角、引号、日期）。"] if composed.changes else []
    if fmt == "docx":
        from app.exporting.docx_writer import write_docx

        return ExportResult(write_docx(composed.document, path), notes, composed.changes, composed.preflight)
    from app.exporting.font_settings import load_chosen
    from app.exporting.fonts import describe, resolve_all
    from app.exporting.pdf_writer import write_pdf

    fonts = resolve_all(load_chosen(db.data_dir))
    return ExportResult(write_pdf(composed.document, path, fonts), notes + ["字体：" + "；".join(describe(fonts))],
                        composed.changes, composed.preflight)
