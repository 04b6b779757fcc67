"""下发填报表: for a round, one workbook per 责任部门 (or all of them in one zip), and the record of the send.

The round is read once (`read_snapshot`); the workbooks are written to temporary names first, the
sends are recorded in one transaction, and only then are the files renamed into place.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert

from app.collect.layout import row_checksum, sheet_checksum
from app.collect.sheet_writer import SheetData, SheetRow, write_workbook
from app.errors import ValidationError
from app.exporting.atomic import usual_mode
from app.ledger_rows import ProblemRow, split_names
from app.services.snapshot import RoundSnapshot, read_snapshot
from db.models import AuditEntry, CollectionSend, CollectionSendItem
from db.session import Database

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class SentFile:
    department: str
    file_name: str
    problems: int
    send_id: int


@dataclass(frozen=True)
class SendResult:
    target: Path
    files: tuple[SentFile, ...]
    skipped: tuple[str, ...]          # departments asked for that have no problem in the round


def department_problems(snap: RoundSnapshot, include_done: bool = False) -> dict[str, list[ProblemRow]]:
    """Each 责任部门 named in the round with its problems, in ledger order (a problem may have several)."""
    out: dict[str, list[ProblemRow]] = {}
    for p in snap.problems:
        if p.status.is_done and not include_done:
            continue
        for name in split_names(p.departments):
            out.setdefault(name, []).append(p)
    return out


def safe_name(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "部门"


def file_name_for(department: str, round_title: str) -> str:
    return f"{safe_name(department)}-{safe_name(round_title)[:40]}-整改进展填报表.xlsx"


def _sheet_rows(snap: RoundSnapshot, problems: list[ProblemRow]) -> tuple[SheetRow, ...]:
    rows = []
    for p in problems:
        measures = "\n".join(f"{m.number}.{m.text}" for m in snap.measures.get(p.id, []))
        deadline: dt.date | str = p.effective_deadline or ("长期坚持" if p.long_term else "")
        rows.append(SheetRow(p.id, p.number, " / ".join(p.category_path), f"{p.title}\n{p.text}" if p.title else p.text,
                             measures, deadline, p.status.value, p.narrative))
    return tuple(rows)


def send_round(db: Database, round_id: int, target: Path | str, *, departments: list[str] | None = None,
               as_zip: bool = False, password: str | None = None, include_done: bool = False,
               now: dt.datetime | None = None, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> SendResult:
    """Write the 填报表 of the round's departments into the folder `target` (or the zip file `target`)."""
    from app import local_settings

    target = Path(target)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    if password is None:
        password = str(local_settings.load(db.data_dir)["collect_password"] or "")
    snap = read_snapshot(db, round_id, now.date())
    by_dept = department_problems(snap, include_done)
    if not by_dept:
        raise ValidationError("本轮没有填写责任部门的未完成问题，无法下发填报表。请先在台账中填写各问题的责任部门。")
    wanted = list(by_dept) if departments is None else [d.strip() for d in departments if d.strip()]
    skipped = tuple(d for d in wanted if d not in by_dept)
    wanted = [d for d in wanted if d in by_dept]
    if not wanted:
        raise ValidationError("所选部门在本轮没有未完成的问题：" + "、".join(skipped))
    if as_zip:
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        target.mkdir(parents=True, exist_ok=True)

    blobs: list[tuple[str, bytes, SheetData]] = []
    for n, dept in enumerate(wanted, 1):
        if cancelled and cancelled():
            raise ValidationError("已取消下发，没有写入任何文件。")
        rows = _sheet_rows(snap, by_dept[dept])
        sums = tuple(row_checksum(r.problem_id, r.locked_texts()) for r in rows)
        data = SheetData(round_id, snap.round.title, snap.unit.name, dept, str(uuid.uuid4()), now, rows, sums,
                         sheet_checksum(sums), password)
        buf = io.BytesIO()
        write_workbook(data, buf)
        blobs.append((file_name_for(dept, snap.round.title), buf.getvalue(), data))
        if progress:
            progress(n, len(wanted), dept)

    temps = _write_temporary(target, as_zip, [(name, blob) for name, blob, _ in blobs])
    try:
        files = _record(db, [(name, data) for name, _, data in blobs], now, target if as_zip else None)
        for tmp, final in temps:
            os.chmod(tmp, usual_mode(Path(final)))  # mkstemp's 0600 would lock colleagues out of a shared folder
            os.replace(tmp, final)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise
    return SendResult(target, files, skipped)


def _write_temporary(target: Path, as_zip: bool, blobs: list[tuple[str, bytes]]) -> list[tuple[str, Path]]:
    folder = target.parent if as_zip else target
    temps: list[tuple[str, Path]] = []
    try:
        if as_zip:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".~", suffix=".zip")
            os.close(fd)
            temps.append((tmp, target))
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, blob in blobs:
                    zf.writestr(name, blob)
        else:
            for name, blob in blobs:
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".~", suffix=".xlsx")
                temps.append((tmp, folder / name))
                with os.fdopen(fd, "wb") as f:
                    f.write(blob)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise
    return temps


def _record(db: Database, sheets: list[tuple[str, SheetData]], now: dt.datetime,
            archive: Path | None) -> tuple[SentFile, ...]:
    """One send per department, all in one transaction, each with an audit entry that says in words what went
    to whom: the file (and the zip holding it), and the problems by their 序号."""
    from db.audit import UNSIGNED

    out = []
    with db.transaction() as s:
        for name, data in sheets:
            send = CollectionSend(round_id=data.round_id, department=data.department, token=data.token, sent_at=now,
                                  file_name=name, protected=True)
            s.add(send)
            s.flush()
            # The items copy what the workbook holds (the send row above is the audited fact): inserted in
            # bulk, without an audit row each, which would double a send's time for nothing to read.
            s.execute(insert(CollectionSendItem), [
                dict(send_id=send.id, problem_id=r.problem_id, number=r.number, status=r.status,
                     narrative=r.narrative, locked=json.dumps(r.locked_texts(), ensure_ascii=False))
                for r in data.rows])
            where = f"（在压缩包 {archive.name} 中）" if archive is not None else ""
            numbers = "、".join(str(r.number) for r in data.rows)
            s.add(AuditEntry(at=dt.datetime.now().replace(microsecond=0), user=(db.clerk or UNSIGNED)[:100],
                             action="下发", entity="collection_send", entity_id=str(send.id), field="department",
                             old_value=None,
                             new_value=f"向{data.department}下发填报表 {name}{where}：{len(data.rows)} 个问题"
                                       f"（序号 {numbers}）{'，工作表保护设有密码' if data.password else ''}"))
            out.append(SentFile(data.department, name, len(data.rows), send.id))
    return tuple(out)


def round_departments(db: Database, round_id: int, include_done: bool = False) -> list[tuple[str, int]]:
    """The round's 责任部门 with how many problems each would be sent (for the send dialog)."""
    snap = read_snapshot(db, round_id)
    return [(d, len(ps)) for d, ps in department_problems(snap, include_done).items()]
