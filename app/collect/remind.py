"""催办: a one-page 催办通知 per department with red or overdue items (Word and PDF, GB/T 9704 form).

The notice is composed as a `NoticeDocument` from the round's snapshot as of the date the clerk
chose (never silently today) and written by the house's Word and PDF writers. It states only what
the ledger holds: the items, their deadlines and days overdue, and whether the department's last
填报表 is still out.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.collect import records
from app.collect.send import department_problems, safe_name
from app.errors import ValidationError
from app.exporting.blocks import Addressee, Blank, NoticeDocument, Paragraph, Signature, Title
from app.ledger_rows import ProblemRow, Warning
from app.numerals import date_cn
from app.services.snapshot import RoundSnapshot, snapshot_from
from db.session import Database

TITLE = "关于抓紧推进巡察整改事项的催办通知"
URGENT = (Warning.OVERDUE, Warning.RED)


@dataclass(frozen=True)
class Reminder:
    department: str
    items: tuple[ProblemRow, ...]
    outstanding_send: dt.datetime | None      # the 填报表 sent then has not come back
    document: NoticeDocument


@dataclass(frozen=True)
class RemindResult:
    files: tuple[Path, ...]
    reminders: tuple[Reminder, ...]
    not_returned: tuple[tuple[str, dt.datetime], ...]   # (department, sent at) for every department


def _item_text(n: int, p: ProblemRow, on: dt.date) -> str:
    deadline = p.effective_deadline
    assert deadline is not None
    days = (deadline - on).days
    when = f"已逾期{-days}天" if days < 0 else ("今天到期" if days == 0 else f"还剩{days}天")
    text = p.text.rstrip("。；;，, ")
    return f"{n}.{text}（台账第{p.number}号）。完成时限{date_cn(deadline)}，{when}。"


def compose_reminders(db: Database, round_id: int, sign_date: dt.date, *, signature: str | None = None,
                      departments: list[str] | None = None) -> tuple[list[Reminder], list[tuple[str, dt.datetime]]]:
    """The 催办通知 of each department with red or overdue items, and who has not returned since the last send."""
    if not isinstance(sign_date, dt.date):
        raise ValidationError("请选择催办通知的成文日期。")
    with db.raw_reading() as reader:
        snap = snapshot_from(reader, round_id, sign_date)
        latest = records.latest_sends(reader, round_id)
        rets = records.returns(reader, round_id)
    outstanding = {d: s.sent_at for d, s in latest.items() if not records.returned_since(s, rets)}
    sign = (signature or snap.unit.signature or snap.unit.name).strip()
    if not sign:
        raise ValidationError("请填写署名（单位信息中的署名为空）。")
    out = []
    for dept, problems in department_problems(snap).items():
        if departments is not None and dept not in departments:
            continue
        items = tuple(p for p in problems if p.warning in URGENT)
        if items:
            out.append(Reminder(dept, items, outstanding.get(dept), _document(snap, dept, items, outstanding.get(dept),
                                                                              sign, sign_date)))
    return out, sorted(outstanding.items(), key=lambda kv: kv[1])


def _document(snap: RoundSnapshot, dept: str, items: tuple[ProblemRow, ...], outstanding: dt.datetime | None,
              sign: str, on: dt.date) -> NoticeDocument:
    overdue = sum(1 for p in items if p.warning == Warning.OVERDUE)
    near = len(items) - overdue
    counts = "、".join(x for x in (f"{overdue}项已逾期" if overdue else "",
                                   f"{near}项距完成时限不足{snap.round.warn_red_days + 1}天" if near else "") if x)
    doc = NoticeDocument(title=TITLE, author=sign, subject="巡察整改催办通知")
    doc.add(Title(TITLE), Blank(), Addressee(dept),
            Paragraph(f"截至{date_cn(on)}，{snap.round.title}反馈问题中由你部门负责整改的事项，有{counts}。"
                      "请对照整改措施抓紧推进，按时完成整改，并及时报送整改进展和佐证材料。具体事项如下："))
    doc.add(*(Paragraph(_item_text(n, p, on)) for n, p in enumerate(items, 1)))
    if outstanding is not None:
        doc.add(Paragraph(f"你部门尚未交回{date_cn(outstanding.date())}下发的整改进展填报表，请一并填报交回。"))
    if snap.unit.contact_phone:
        doc.add(Paragraph(f"联系电话：{snap.unit.contact_phone}。"))
    doc.add(Signature(sign, date_cn(on)))
    return doc


def write_reminders(db: Database, round_id: int, folder: Path | str, sign_date: dt.date, *,
                    signature: str | None = None, formats: tuple[str, ...] = ("docx", "pdf"),
                    departments: list[str] | None = None,
                    progress: Callable[[int, int, str], None] | None = None) -> RemindResult:
    from app.exporting.docx_writer import write_docx
    from app.exporting.font_settings import load_chosen
    from app.exporting.fonts import resolve_all
    from app.exporting.pdf_writer import write_pdf

    reminders, outstanding = compose_reminders(db, round_id, sign_date, signature=signature, departments=departments)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fonts = resolve_all(load_chosen(db.data_dir)) if "pdf" in formats else None
    files: list[Path] = []
    for n, r in enumerate(reminders, 1):
        stem = folder / f"{safe_name(r.department)}-催办通知"
        if "docx" in formats:
            files.append(write_docx(r.document, stem.with_suffix(".docx")))
        if "pdf" in formats:
            files.append(write_pdf(r.document, stem.with_suffix(".pdf"), fonts))
        if progress:
            progress(n, len(reminders), r.department)
    return RemindResult(tuple(files), tuple(reminders), tuple(outstanding))
