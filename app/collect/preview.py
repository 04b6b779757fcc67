"""导入回执, first half: compare returned workbooks with the ledger and say what would change.

Everything is read in one read transaction; nothing is written. Rows are matched by the hidden
问题编号 column; when the hidden sheet or that column is gone, by 序号 and the problem's text, and
the clerk must confirm. A field the office changed since the send and the department changed too is
a conflict; edits to locked cells are listed and ignored.
"""
from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.collect import evidence_folder, records
from app.collect.layout import CHOICES, LABELS, LOCKED_KEYS, row_checksum
from app.collect.model import (
    APPLY,
    CONFLICT,
    REFUSED,
    SAME,
    EvidenceFile,
    FieldChange,
    FilePreview,
    ProblemMerge,
)
from app.collect.workbook import (
    ReturnedBook,
    ReturnedRow,
    ReturnFileError,
    cell_plain,
    file_sha256,
    read_return,
)
from app.errors import EvidenceError
from app.ledger_rows import ProblemRow
from app.services.snapshot import RoundSnapshot, snapshot_from
from db.enums import Status
from db.reader import Reader
from db.session import Database

Progress = Callable[[int, int, str], None]


def _norm(text: str) -> str:
    return "".join(cell_plain(text).split())


@dataclass
class _Ledger:
    """The state of the round the previews compare with (read once)."""

    snap: RoundSnapshot
    by_id: dict[int, ProblemRow]
    sends: list[records.SendRow]
    latest: dict[str, records.SendRow]
    received: dict[str, dt.datetime]           # file sha256 → when it was merged
    items: dict[int, dict[int, records.SentItem]]
    evidence_sha: dict[int, set[str]]
    progress_notes: dict[int, set[str]]


def _read_ledger(reader: Reader, round_id: int, today: dt.date) -> _Ledger:
    snap = snapshot_from(reader, round_id, today)
    sends = records.sends(reader, round_id)
    items = {s.id: records.sent_items(reader, s.id) for s in sends}
    received = {r.file_sha256: r.received_at for r in records.returns(reader, round_id)}
    return _Ledger(snap, {p.id: p for p in snap.problems}, sends, records.latest_sends(reader, round_id), received,
                   items, {pid: {e.sha256 for e in evs} for pid, evs in snap.evidence.items()},
                   {pid: {e.note for e in es} for pid, es in snap.progress.items()})


def preview_returns(db: Database, round_id: int, paths: list[Path], *, evidence_dir: Path | None = None,
                    department: str | None = None, today: dt.date | None = None,
                    progress: Progress | None = None) -> list[FilePreview]:
    """One preview per file; a file that cannot be read gets a preview holding only its error."""
    today = today or dt.date.today()
    with db.raw_reading() as reader:
        ledger = _read_ledger(reader, round_id, today)
        out = []
        for n, path in enumerate(paths, 1):
            path = Path(path)
            try:
                book = read_return(path)
            except ReturnFileError as exc:
                out.append(FilePreview(path, "", department or "", round_id, None, None, errors=[str(exc)]))
            else:
                out.append(_preview(reader, ledger, round_id, book, evidence_dir, department, today))
            if progress:
                progress(n, len(paths), path.name)
    return out


def _preview(reader: Reader, ledger: _Ledger, round_id: int, book: ReturnedBook,
             evidence_dir: Path | None, department: str | None, today: dt.date) -> FilePreview:
    dept = book.department or (department or "")
    fp = FilePreview(book.path, book.sha256, dept, round_id, None, None, notes=list(book.notes))
    if book.sha256 in ledger.received:
        fp.already_received = ledger.received[book.sha256]
        fp.notes.insert(0, f"这份文件已于 {fp.already_received:%Y-%m-%d %H:%M} 导入过；再次导入时相同的进展不会重复添加。")
    send = _which_send(reader, ledger, round_id, book, fp)
    if fp.errors:
        return fp
    if not dept:
        fp.errors.append("无法确定是哪个部门的回执（隐藏的回执信息和表头的“填报部门”都不见了），请选择部门后重新预览。")
        return fp
    items = ledger.items.get(send.id, {}) if send else {}
    if send:
        fp.send_id, fp.sent_at = send.id, send.sent_at
        newest = ledger.latest.get(send.department)
        if newest and newest.id != send.id:
            fp.superseded_by = newest.sent_at
            fp.notes.insert(0, f"这是 {send.sent_at:%Y-%m-%d %H:%M} 下发的旧表，之后已于 {newest.sent_at:%Y-%m-%d %H:%M} "
                               "重新下发。可以只采用其中较新的内容（填报日期在重新下发之后的进展）。")
    if not any(r.filled or r.narrative for r in book.rows):
        fp.errors.append("这份回执没有填写任何内容（空表），没有可导入的内容。")
        return fp
    by_number = {it.number: pid for pid, it in items.items()}
    seen: set[int] = set()
    reporters: list[str] = []
    phones: list[str] = []
    for row in book.rows:
        pid = _match(ledger, fp, book, row, items, by_number)
        if pid is None or pid in seen:
            if pid in seen:
                fp.ignored_rows.append(f"第{row.sheet_row}行：与前面的行是同一个问题（重复行），未采用。")
            continue
        seen.add(pid)
        pm = _problem_merge(ledger, fp, row, ledger.by_id[pid], items.get(pid), book, today)
        fp.problems.append(pm)
        for name, bucket in ((row.reporter, reporters), (row.phone, phones)):
            if name and name not in bucket:
                bucket.append(name)
    fp.reporters, fp.phones = "、".join(reporters), "、".join(phones)
    for pid, it in items.items():
        if pid not in seen and pid in ledger.by_id:
            fp.missing.append(f"第{it.number}号问题的行不在回执中（可能被删除），该问题没有收到填报。")
    _attach_evidence(ledger, fp, book, evidence_dir)
    _check_done(ledger, fp)
    return fp


def _which_send(reader: Reader, ledger: _Ledger, round_id: int, book: ReturnedBook,
                fp: FilePreview) -> records.SendRow | None:
    meta = book.meta
    if meta is not None and meta.token:
        found = records.sends(reader, token=meta.token)
        if found:
            if found[0].round_id != round_id:
                fp.errors.append(f"这是轮次“{meta.round_title}”的填报表，不是本轮“{ledger.snap.round.title}”的，"
                                 "请在对应的轮次中导入。")
                return None
            fp.department = found[0].department
            return found[0]
        if meta.round_id != round_id or any(pid not in ledger.by_id for pid in meta.row_sums):
            fp.errors.append("这份填报表不是从本台账下发的（下发编号和问题编号都对不上）：可能来自另一个台账数据库，"
                             "或对应的轮次已被删除。未导入任何内容。")
            return None
        fp.notes.append("找不到这份表的下发记录（可能是在恢复备份之前下发的），将按问题编号匹配，请逐项核对后确认。")
        fp.matched_by = "text"
    else:
        fp.matched_by = "text"
    return ledger.latest.get(fp.department) if fp.department else None


def _similar(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return a == b or (bool(a) and bool(b) and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85)


def _problem_text(p: ProblemRow) -> str:
    return f"{p.title}\n{p.text}" if p.title else p.text


def _match(ledger: _Ledger, fp: FilePreview, book: ReturnedBook, row: ReturnedRow,
           items: dict[int, records.SentItem], by_number: dict[int, int]) -> int | None:
    where = f"第{row.sheet_row}行"
    text = row.locked.get("problem", "")
    if row.problem_id is not None and fp.matched_by == "id":
        pid = row.problem_id
        if pid not in ledger.by_id:
            fp.ignored_rows.append(f"{where}：问题编号 P{pid} 不在本轮台账中（可能已删除或来自别处），未采用。")
            return None
        if book.meta is not None and book.meta.row_sums and pid not in book.meta.row_sums:
            fp.ignored_rows.append(f"{where}：问题编号 P{pid} 不是这次下发给本部门的问题，未采用。")
            return None
        return pid
    if row.problem_id is None and fp.matched_by == "id":
        if row.filled or text:
            fp.ignored_rows.append(f"{where}：部门新增的行（没有问题编号），未采用；台账中的问题只能由办公室新建。"
                                   + (f"内容：{text[:30]}" if text else ""))
        return None
    # matched by number and text: the hidden sheet or column is gone
    number = row.number
    candidates: list[int] = []
    if row.problem_id is not None and row.problem_id in ledger.by_id:
        candidates.append(row.problem_id)
    if number is not None:
        if number in by_number:
            candidates.append(by_number[number])
        candidates += [p.id for p in ledger.snap.problems if p.number == number]
    for pid in dict.fromkeys(candidates):
        if _similar(_problem_text(ledger.by_id[pid]), text):
            return pid
    if text:
        for p in ledger.snap.problems:
            if _similar(_problem_text(p), text):
                fp.notes.append(f"{where}：序号 {number or '（空）'} 与台账不符，按问题内容匹配到第{p.number}号问题。")
                return p.id
    if row.filled or text:
        fp.ignored_rows.append(f"{where}：按序号和问题内容都找不到对应的问题（可能是部门新增的行），未采用。")
    return None


def _locked_edits(row: ReturnedRow, item: records.SentItem | None, book: ReturnedBook, pid: int) -> list[tuple[str, str, str]]:
    now = [row.locked.get(k, "") for k in LOCKED_KEYS]
    if item is not None:
        return [(LABELS[k], sent, got) for k, sent, got in zip(LOCKED_KEYS, item.locked, now, strict=False)
                if _norm(sent) != _norm(got)]
    if book.meta is not None and pid in book.meta.row_sums and row_checksum(pid, now) != book.meta.row_sums[pid]:
        return [("锁定列", "（原值见台账）", "已被改动")]
    return []


def _field(field: str, sent: str, office: str, dept: str) -> FieldChange | None:
    if not dept or _norm(dept) == _norm(sent):
        return None
    if _norm(office) == _norm(sent):
        return FieldChange(field, sent, office, dept, APPLY)
    if _norm(office) == _norm(dept):
        return FieldChange(field, sent, office, dept, SAME, "台账中已是这个内容。")
    return FieldChange(field, sent, office, dept, CONFLICT, "下发后办公室也修改过，请选择采用哪一方。")


def _problem_merge(ledger: _Ledger, fp: FilePreview, row: ReturnedRow, p: ProblemRow, item: records.SentItem | None,
                   book: ReturnedBook, today: dt.date) -> ProblemMerge:
    pm = ProblemMerge(p.id, p.number, p.text, row.sheet_row, notes=list(row.notes))
    pm.locked_edits = _locked_edits(row, item, book, p.id)
    if pm.locked_edits:
        pm.notes.append("部门改动了锁定列（" + "、".join(e[0] for e in pm.locked_edits) + "），已忽略。")
    # with no record of what was sent, every difference from the ledger is the clerk's to decide
    sent_narrative = item.narrative if item else p.narrative
    sent_status = item.status if item else p.status.value
    if row.narrative:
        change = _field("narrative", sent_narrative, p.narrative, row.narrative)
        if change and not item and change.kind == APPLY:
            change.kind, change.note = CONFLICT, "没有下发记录，无法判断办公室是否改过，请确认。"
        if change:
            pm.changes.append(change)
    elif sent_narrative:
        pm.notes.append("“整改情况”被清空了，台账中的整改情况保持不变。")
    if row.done:
        if row.done not in CHOICES:
            pm.notes.append(f"完成情况“{row.done}”不是下拉列表中的选项，未采用。")
        else:
            change = _field("status", sent_status, p.status.value, row.done)
            if change and change.kind != SAME and p.status == Status.PENDING_REVIEW and Status(row.done).is_done:
                change.kind, change.note = SAME, "台账中已标记完成，正在销号审核。"
            if change:
                pm.changes.append(change)
    pm.author = f"{row.reporter}（{fp.department}）" if row.reporter else fp.department
    note = row.progress
    if row.evidence:
        note = (note + "\n" if note else "") + f"佐证材料清单：{row.evidence}"
    if note:
        pm.progress_date = row.date or today
        pm.date_from_return = row.date is not None
        if not row.date and not row.date_text:
            pm.notes.append(f"没有填写填报日期，进展日期记为收到回执的日期 {today:%Y-%m-%d}。")
        elif row.date and row.date > today:
            pm.notes.append(f"填报日期 {row.date.year}年{row.date.month}月{row.date.day}日晚于今天，可能填错了，请核对。")
        if note in ledger.progress_notes.get(p.id, set()):
            pm.notes.append("本期进展与台账中已有的一条进展相同，不重复添加。")
        elif fp.superseded_by and (row.date is None or row.date < fp.superseded_by.date()):
            pm.notes.append("旧表中的进展（填报日期早于重新下发），只采用较新内容时不添加。")
            pm.progress, pm.progress_older = note, True
        else:
            pm.progress = note
    return pm


def _attach_evidence(ledger: _Ledger, fp: FilePreview, book: ReturnedBook, folder: Path | None) -> None:
    folder = folder or evidence_folder.folder_beside(book.path)
    if folder is None:
        return
    found = evidence_folder.scan(folder)
    by_number = {pm.number: pm for pm in fp.problems}
    sent_numbers: dict[int, ProblemMerge] = {}
    for pm in fp.problems:
        row = next((r for r in book.rows if r.sheet_row == pm.sheet_row), None)
        if row is not None and row.number is not None:
            sent_numbers[row.number] = pm
    for f in found:
        found_pm = sent_numbers.get(f.number or -1) or by_number.get(f.number or -1)
        if found_pm is None:
            why = "文件名没有问题序号" if f.number is None else f"第{f.number}号问题不在这份回执中"
            fp.notes.append(f"佐证材料“{f.path.name}”：{why}，未关联。")
            continue
        try:
            _check_evidence(f.path)
        except EvidenceError as exc:
            fp.notes.append(f"佐证材料“{f.path.name}”不能添加：{exc}")
            continue
        sha = file_sha256(f.path)
        pid = found_pm.problem_id
        already = sha in ledger.evidence_sha.get(pid, set()) or any(e.sha256 == sha for e in found_pm.evidence)
        found_pm.evidence.append(EvidenceFile(f.path, sha, already))
    fp.notes.append(f"佐证材料文件夹：{folder}（{len(found)} 个文件）")


def _check_evidence(path: Path) -> None:
    from app.evidence_store import EvidenceStore, count_pages, detect_type

    EvidenceStore(Path(".")).validate_source(path)
    count_pages(path, detect_type(path))


def _check_done(ledger: _Ledger, fp: FilePreview) -> None:
    """已完成 needs evidence: in the ledger already, or arriving with this return."""
    for pm in fp.problems:
        p = ledger.by_id[pm.problem_id]
        for c in pm.changes:
            if c.field != "status" or c.kind not in (APPLY, CONFLICT):
                continue
            target = Status(c.department)
            if p.status == Status.PENDING_REVIEW and not target.is_done:
                c.kind, c.note = REFUSED, "该问题正在销号审核中，部门报的状态未采用；如需退回请在台账中审核。"
            elif target.is_done and not p.evidence_count and not pm.evidence:
                c.kind, c.note = REFUSED, "部门报已完成，但没有佐证材料，不能标记完成（进展照常添加）。"
            elif target.is_done and c.kind == APPLY:
                c.note = "将提交销号审核（待销号），审核通过后才算完成。"
