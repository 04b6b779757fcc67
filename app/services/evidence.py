"""Attaching 佐证材料 to problems, the recycle bin, and the store check.

Order of work: the file is copied into the store first, the row is committed
second; if the commit fails, a file this call newly stored is removed again,
so a failure never leaves an orphan file nor a row without its file.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto import EvidenceRow
from app.errors import EvidenceError, RuleViolation, ValidationError
from app.evidence_store import EvidenceStore, StoredFile, UnsafeStoredPath, file_sha256
from app.services.common import clean_text, load
from db.models import Evidence, EvidenceLink, Measure, Problem
from db.session import Database


@dataclass(frozen=True)
class AttachResult:
    evidence_id: int
    sha256: str
    original_name: str
    already_stored: bool          # the same content was in the store: linked, not stored twice
    new_links: tuple[int, ...]    # problem ids newly linked
    already_linked: tuple[int, ...]


log = logging.getLogger("xuncha.evidence")

# A seam for tests: called after the copy, before the commit.
_before_commit: Callable[[], None] = lambda: None  # noqa: E731


def store_for(db: Database, max_bytes: int | None = None) -> EvidenceStore:
    return EvidenceStore(db.data_dir, max_bytes) if max_bytes else EvidenceStore(db.data_dir)


def attach_evidence(db: Database, source: Path | str, problem_ids: Iterable[int], *, measure_id: int | None = None,
                    description: str = "", doc_date: dt.date | None = None,
                    max_bytes: int | None = None) -> AttachResult:
    source = Path(source)
    problem_ids = list(dict.fromkeys(problem_ids))
    if not problem_ids:
        raise ValidationError("请至少选择一个问题。", "problem_ids")
    with db.reading() as s:  # fail on a wrong problem before copying anything
        for pid in problem_ids:
            load(s, Problem, pid)
        if measure_id is not None and load(s, Measure, measure_id).problem_id not in problem_ids:
            raise ValidationError("所选措施不属于所选问题。", "measure_id")
    if max_bytes is None:  # the limit set for this machine (settings.json beside the database)
        from app import local_settings

        max_bytes = int(local_settings.load(db.data_dir)["max_evidence_mb"]) * 1024 * 1024
    store = store_for(db, max_bytes)
    stored = store.put(source)  # the slow copy runs outside the lock: storing by hash is idempotent
    with db.write_lock:
        stored = _still_stored(store, stored, source)
        try:
            with db.transaction() as s:
                ev = s.scalar(select(Evidence).where(Evidence.sha256 == stored.sha256))
                already = ev is not None
                if ev is None:
                    ev = Evidence(sha256=stored.sha256, stored_path=stored.relative_path, original_name=source.name,
                                  file_type=stored.file_type, size=stored.size, page_count=stored.page_count,
                                  description=clean_text(description), doc_date=doc_date)
                    s.add(ev)
                    s.flush()
                new, old = [], []
                for pid in problem_ids:
                    link = s.scalar(select(EvidenceLink).where(
                        EvidenceLink.evidence_id == ev.id, EvidenceLink.problem_id == pid,
                        EvidenceLink.measure_id.is_(None) if measure_id is None else EvidenceLink.measure_id == measure_id))
                    if link is None:
                        s.add(EvidenceLink(evidence_id=ev.id, problem_id=pid, measure_id=measure_id))
                        new.append(pid)
                    elif link.removed_at is not None:
                        link.removed_at = None  # attaching again takes it out of the recycle bin
                        new.append(pid)
                    else:
                        old.append(pid)
                _before_commit()
                result = AttachResult(ev.id, ev.sha256, ev.original_name, already, tuple(new), tuple(old))
        except BaseException:
            discard_unreferenced(db, store, [stored.relative_path] if stored.newly_stored else [])
            raise
    return result


def _still_stored(store: EvidenceStore, stored: StoredFile, source: Path) -> StoredFile:
    """Under the write lock: the stored file may have gone since `put` (a rollback or the recycle bin
    emptied in between removed an unreferenced copy); store it again rather than link a missing file."""
    if store.path_of(stored.relative_path).is_file():
        return stored
    again = store.put(source)
    if again.sha256 != stored.sha256:
        raise EvidenceError(f"文件“{source.name}”在添加过程中被改动了，未添加，请重试。")
    return again


def discard_unreferenced(db: Database, store: EvidenceStore, paths: Iterable[str]) -> int:
    """Remove stored files no committed row points at. Call under `db.write_lock`, after the commit (or
    the rollback): a file another row points at is never removed. Returns the files removed."""
    paths = list(dict.fromkeys(paths))
    if not paths:
        return 0
    try:
        with db.reading() as s:
            used = set(s.scalars(select(Evidence.stored_path).where(Evidence.stored_path.in_(paths))))
    except Exception:  # cannot tell: keep every file (a stray is harmless, a missing file is not)
        return 0
    removed = 0
    for rel in paths:
        if rel not in used:
            store.discard(rel)
            removed += 1
    return removed


# -- several files at once (the window's drops and picks): one transaction, undone as one ---------------
@dataclass(frozen=True)
class AttachBatch:
    """What `attach_files` did: the files taken, the links it made or took out of the bin (for undo:
    `remove_links`), the files refused with the reason, and whether the clerk cancelled."""

    results: tuple[AttachResult, ...] = ()
    link_ids: tuple[int, ...] = ()
    refused: tuple[tuple[str, str], ...] = ()   # (file name, message)
    cancelled: bool = False


def attach_files(db: Database, sources: Iterable[Path | str], problem_id: int,
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> AttachBatch:
    """Copy files into the store (a file that cannot be taken is refused with its reason, the others go
    on), then link them all to the problem in one transaction. Cancelling keeps nothing."""
    paths = [Path(p) for p in sources]
    with db.reading() as s:
        load(s, Problem, problem_id)
    from app import local_settings

    store = store_for(db, int(local_settings.load(db.data_dir)["max_evidence_mb"]) * 1024 * 1024)
    stored: list[tuple[Path, StoredFile]] = []
    refused: list[tuple[str, str]] = []

    def discard_new() -> None:
        discard_unreferenced(db, store, [f.relative_path for _path, f in stored if f.newly_stored])

    for n, path in enumerate(paths):  # the slow copies run outside the lock: storing by hash is idempotent
        if cancelled is not None and cancelled():
            with db.write_lock:
                discard_new()
            return AttachBatch(cancelled=True)
        if progress is not None:
            progress(n, len(paths), path.name)
        try:
            stored.append((path, store.put(path)))
        except EvidenceError as exc:
            refused.append((path.name, str(exc)))
    with db.write_lock:
        try:
            stored = [(path, _still_stored(store, f, path)) for path, f in stored]
            with db.transaction() as s:
                results, links = [], []
                for path, f in stored:
                    ev = s.scalar(select(Evidence).where(Evidence.sha256 == f.sha256))
                    already = ev is not None
                    if ev is None:
                        ev = Evidence(sha256=f.sha256, stored_path=f.relative_path, original_name=path.name,
                                      file_type=f.file_type, size=f.size, page_count=f.page_count)
                        s.add(ev)
                        s.flush()
                    link = s.scalar(select(EvidenceLink).where(
                        EvidenceLink.evidence_id == ev.id, EvidenceLink.problem_id == problem_id,
                        EvidenceLink.measure_id.is_(None)))
                    new = link is None or link.removed_at is not None
                    if link is None:
                        link = EvidenceLink(evidence_id=ev.id, problem_id=problem_id)
                        s.add(link)
                        s.flush()
                    link.removed_at = None  # attaching again takes it out of the recycle bin
                    if new and link.id not in links:
                        links.append(link.id)
                    results.append(AttachResult(ev.id, ev.sha256, ev.original_name, already,
                                                (problem_id,) if new else (), () if new else (problem_id,)))
                _before_commit()
        except BaseException:
            discard_new()  # under the lock, after the rollback: a file another row points at stays
            raise
    if progress is not None:
        progress(len(paths), len(paths), "")
    return AttachBatch(tuple(results), tuple(links), tuple(refused))


def remove_links(db: Database, link_ids: Iterable[int]) -> None:
    """Move attachments to the recycle bin, in one transaction (the undo of `attach_files`)."""
    with db.transaction() as s:
        stamp = dt.datetime.now().replace(microsecond=0)
        for link_id in link_ids:
            load(s, EvidenceLink, link_id).removed_at = stamp


def restore_links(db: Database, link_ids: Iterable[int]) -> None:
    """Take attachments back out of the recycle bin, in one transaction (redo of `attach_files`)."""
    with db.transaction() as s:
        for link_id in link_ids:
            load(s, EvidenceLink, link_id).removed_at = None


def _row(ev: Evidence, link: EvidenceLink) -> EvidenceRow:
    return EvidenceRow(ev.id, link.id, link.problem_id, link.measure_id, ev.sha256, ev.stored_path,
                       ev.original_name, ev.file_type, ev.size, ev.page_count, ev.description, ev.doc_date,
                       ev.attached_at, link.removed_at)


def list_evidence(db: Database, problem_id: int, include_removed: bool = False) -> list[EvidenceRow]:
    with db.reading() as s:
        q = (select(Evidence, EvidenceLink).join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
             .where(EvidenceLink.problem_id == problem_id).order_by(EvidenceLink.id))
        if not include_removed:
            q = q.where(EvidenceLink.removed_at.is_(None))
        return [_row(ev, link) for ev, link in s.execute(q)]


def list_round_evidence(db: Database, round_id: int) -> list[EvidenceRow]:
    with db.reading() as s:
        q = (select(Evidence, EvidenceLink).join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
             .join(Problem, Problem.id == EvidenceLink.problem_id)
             .where(Problem.round_id == round_id, Problem.deleted_at.is_(None), EvidenceLink.removed_at.is_(None))
             .order_by(EvidenceLink.id))
        return [_row(ev, link) for ev, link in s.execute(q)]


def update_evidence(db: Database, evidence_id: int, *, description: str | None = None,
                    doc_date: dt.date | None = None, clear_doc_date: bool = False) -> None:
    with db.transaction() as s:
        ev = load(s, Evidence, evidence_id)
        if description is not None:
            ev.description = clean_text(description)
        if doc_date is not None or clear_doc_date:
            ev.doc_date = doc_date


def remove_evidence(db: Database, link_id: int) -> None:
    """Move one attachment to the recycle bin (回收站)."""
    with db.transaction() as s:
        link = load(s, EvidenceLink, link_id)
        if link.removed_at is not None:
            raise RuleViolation("该佐证材料已在回收站中。")
        link.removed_at = dt.datetime.now().replace(microsecond=0)


def restore_evidence(db: Database, link_id: int) -> None:
    with db.transaction() as s:
        link = load(s, EvidenceLink, link_id)
        if link.removed_at is None:
            raise RuleViolation("该佐证材料不在回收站中。")
        link.removed_at = None


def recycle_bin(db: Database) -> list[EvidenceRow]:
    with db.reading() as s:
        q = (select(Evidence, EvidenceLink).join(EvidenceLink, EvidenceLink.evidence_id == Evidence.id)
             .where(EvidenceLink.removed_at.is_not(None)).order_by(EvidenceLink.removed_at.desc()))
        return [_row(ev, link) for ev, link in s.execute(q)]


def empty_recycle_bin(db: Database, progress: Callable[[int, int, str], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> int:
    """Delete the links in the bin, then every file no link refers to any more. Returns files deleted.

    Runs under the write lock (a job off the GUI thread in the window): an attach of the same file
    cannot slip in between the rows going and the files going."""
    with db.write_lock:
        with db.transaction() as s:
            for link in s.scalars(select(EvidenceLink).where(EvidenceLink.removed_at.is_not(None))):
                s.delete(link)
            s.flush()
            orphans = _unlinked(s)
            paths = [ev.stored_path for ev in orphans]
            for ev in orphans:
                s.delete(ev)
        store = store_for(db)
        safe = []
        for p in paths:  # after the commit: a failed commit keeps every file
            try:
                store.path_of(p)
            except EvidenceError:
                log.warning("recycle bin: stored path %r is outside the store; not followed", p)
                continue
            safe.append(p)
        if progress:
            progress(len(paths), len(paths), "")
        return discard_unreferenced(db, store, safe)


def _unlinked(s: Session) -> list[Evidence]:
    linked = select(EvidenceLink.evidence_id)
    return list(s.scalars(select(Evidence).where(Evidence.id.not_in(linked))))


@dataclass
class CheckReport:
    integrity: list[str] = field(default_factory=list)
    missing: list[tuple[int, str, str]] = field(default_factory=list)   # (evidence id, original name, path)
    altered: list[tuple[int, str, str]] = field(default_factory=list)
    unsafe: list[tuple[int, str, str]] = field(default_factory=list)    # stored paths outside the store: not followed
    orphans: list[str] = field(default_factory=list)                    # files in the store no row refers to
    checked: int = 0

    @property
    def ok(self) -> bool:
        """No damage. Stray files (`orphans`) are harmless: older material, files of a safety copy."""
        return not (self.integrity or self.missing or self.altered or self.unsafe)

    def lines(self) -> list[str]:
        out = [f"数据库完整性：{'正常' if not self.integrity else '发现问题'}"]
        out += [f"  {m}" for m in self.integrity]
        out.append(f"已核对佐证材料 {self.checked} 个")
        out += [f"缺失：#{i} {name}（{path}）" for i, name, path in self.missing]
        out += [f"已被改动：#{i} {name}（{path}），内容与登记的 SHA-256 不符" for i, name, path in self.altered]
        out += [f"登记的路径不安全：#{i} {name}（{path[:120]}），指向佐证材料库以外，未读取" for i, name, path in self.unsafe]
        if self.orphans:
            out.append(f"另有 {len(self.orphans)} 个未被引用的文件（不影响使用，可能是移出回收站前的旧材料或安全副本用到的材料）：")
            out += [f"  {p}" for p in self.orphans[:20]]
            out += [f"  ……另有 {len(self.orphans) - 20} 个"] if len(self.orphans) > 20 else []
        if self.ok:
            out.append("结论：全部正常" if not self.orphans else "结论：正常（未被引用的文件无需处理）")
        elif self.integrity:
            out.append("结论：数据库已损坏，请从最近的备份恢复（恢复前会自动另存现有数据库）")
        else:
            out.append("结论：部分佐证材料文件缺失或被改动。请从原件重新添加这些材料；如需从备份恢复，"
                       "请先确认备份中包含这些文件，并注意备份之后的修改会被替换")
        return out


def check_store(db: Database, progress: Callable[[int, int, str], None] | None = None) -> CheckReport:
    """Integrity check of the database and a re-hash of every stored file."""
    report = CheckReport(integrity=db.integrity_check())
    store = store_for(db)
    with db.reading() as s:
        rows = list(s.execute(select(Evidence.id, Evidence.original_name, Evidence.stored_path, Evidence.sha256)))
        total = s.scalar(select(func.count()).select_from(Evidence)) or 0
    on_disk = store.stored_files()
    for n, (eid, name, rel, sha) in enumerate(rows, 1):
        try:
            path = store.path_of(rel)
        except UnsafeStoredPath:
            report.unsafe.append((eid, name, rel))
            continue
        if not path.is_file():
            report.missing.append((eid, name, rel))
        elif file_sha256(path) != sha:
            report.altered.append((eid, name, rel))
        on_disk.pop(path.name, None)
        if progress:
            progress(n, total, name)
    report.checked = len(rows)
    report.orphans = sorted(p.relative_to(db.data_dir).as_posix() for p in on_disk.values())
    return report


def evidence_path(db: Database, stored_path: str, *, must_exist: bool = True) -> Path:
    """The file a stored path names (the one resolver: a path outside the store raises, never followed)."""
    path = store_for(db).path_of(stored_path)
    if must_exist and not path.is_file():
        raise EvidenceError(f"佐证材料文件不见了：{stored_path}。请运行“检查数据完整性”，或从原件重新添加。")
    return path
