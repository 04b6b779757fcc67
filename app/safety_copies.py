"""The swap at the end of a restore, and the safety copies it leaves: listed, and restorable.

The swap never leaves a moment without a whole ledger at its path: the live database is
checkpointed (its WAL folded in), given a second name — the safety copy, a name never used before —
and the staged database is renamed over the first name in one step. Only then are the old -wal and
-shm removed. A kill at any point leaves the old ledger or the new one, and the old one under its
safety name as soon as the new one is in place. Evidence files are merged into the store by hash
first: adding files never harms the ledger that is still in place.
"""
from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from app.backup_archive import BackupError
from app.durable import fsync_path
from app.evidence_store import EvidenceStore, file_sha256, os_words
from db.lock import InstanceLock
from db.session import connect_read_only

log = logging.getLogger("xuncha.backup")

KINDS = {"restore": "恢复前", "upgrade": "升级前"}
_NAME = re.compile(r"^\.before-([a-z]+)-(?:.*-)?(\d{8}-\d{6})(?:-(\d+))?$")
_LINK_UNSUPPORTED = (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, getattr(errno, "EOPNOTSUPP", -1))


@dataclass(frozen=True)
class SafetyCopy:
    path: Path
    kind: str              # 恢复前 / 升级前
    taken: dt.datetime
    size: int
    summary: str           # what is in it, in words ("3 个轮次，57 个问题"), or why it cannot be read

    @property
    def name(self) -> str:
        return self.path.name


def reserve_name(db_path: Path, kind: str) -> Path:
    """A safety-copy name for now that no file has: `ledger.before-restore-20240610-101500[-2].sqlite`."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 10_000):
        name = f"{db_path.stem}.before-{kind}-{stamp}{'' if n == 1 else f'-{n}'}{db_path.suffix}"
        candidate = db_path.with_name(name)
        if not candidate.exists() and not Path(str(candidate) + "-wal").exists():
            return candidate
    raise BackupError("无法为原数据库取一个未被占用的安全副本文件名，未恢复。")



def _checkpoint(db_path: Path) -> bool:
    """Fold the WAL into the database file. True when the WAL is now empty (or there is none)."""
    wal = Path(str(db_path) + "-wal")
    try:
        with closing(sqlite3.connect(db_path, timeout=5)) as conn:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.DatabaseError as exc:
        log.warning("checkpoint of %s failed: %r", db_path, exc)
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text or "unable to open" in text:
            raise BackupError("现有的数据库文件是只读的（或所在文件夹不能写入），无法用备份替换它；原有数据未受影响。"
                              "请检查文件权限后重试。") from exc
        if "locked" in text or "busy" in text:
            raise BackupError("数据库正被占用，无法恢复；原有数据未受影响。请关闭其他程序后重试。") from exc
        return not wal.exists() or wal.stat().st_size == 0  # a damaged ledger: its WAL is kept with it below
    if busy and busy[0]:
        raise BackupError("数据库正被占用，无法恢复；原有数据未受影响。请关闭其他程序后重试。")
    return not wal.exists() or wal.stat().st_size == 0


def _second_name(src: Path, dst: Path) -> None:
    """Give `src` the name `dst` as well, never replacing a file at `dst`."""
    try:
        os.link(src, dst)  # fails if dst exists
        return
    except FileExistsError as exc:
        raise BackupError("安全副本的文件名已被占用，未恢复；原有数据未受影响。") from exc
    except OSError as exc:
        if exc.errno not in _LINK_UNSUPPORTED and not isinstance(exc, NotImplementedError):
            raise
    tmp = dst.with_name(dst.name + f".tmp-{os.getpid()}")
    shutil.copyfile(src, tmp)  # a file system without hard links (FAT, some shares): a copy
    fsync_path(tmp)
    if dst.exists():
        tmp.unlink()
        raise BackupError("安全副本的文件名已被占用，未恢复；原有数据未受影响。")
    os.rename(tmp, dst)


def swap_in(db_path: Path, staged_db: Path, files: list[tuple[Path, Path]], safety: Path | None,
            store: EvidenceStore) -> None:
    """Merge the staged evidence into the store, then put the staged database in place of the ledger."""
    try:
        wal_kept = False
        if db_path.exists():  # first: a ledger that cannot be swapped (read-only, busy) refuses before any change
            wal_kept = not _checkpoint(db_path)  # a damaged ledger whose WAL will not fold in: kept with its copy
        _merge_evidence(files, store)
        fsync_path(staged_db)
        if db_path.exists():
            assert safety is not None
            _second_name(db_path, safety)
            if wal_kept:
                _second_name(Path(str(db_path) + "-wal"), Path(str(safety) + "-wal"))
        try:
            os.replace(staged_db, db_path)
        except OSError:
            if safety is not None and safety.exists() and os.path.samefile(safety, db_path):
                safety.unlink()  # nothing was swapped: the second name goes again
            raise
        fsync_path(db_path.parent, directory=True)
        for suffix in ("-wal", "-shm"):  # the old ledger's, now that the new one is in place
            Path(str(db_path) + suffix).unlink(missing_ok=True)
    except OSError as exc:
        log.exception("restore swap failed")
        if exc.errno == errno.ENOSPC:
            raise BackupError("磁盘空间已满，恢复未完成；原有数据未受影响。请清理磁盘后重试。") from exc
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.EBUSY):
            raise BackupError("无法替换现有的数据库文件（只读、没有权限或正被其他程序占用），恢复未完成；"
                              "原有数据未受影响。") from exc
        raise BackupError(f"恢复未完成：{os_words(exc)}。") from exc


def _merge_evidence(files: list[tuple[Path, Path]], store: EvidenceStore) -> None:
    touched: set[Path] = set()
    for staged, final in files:
        if final.exists():
            if file_sha256(final) == final.name:
                continue
            # An altered copy in the store: kept aside, never deleted; the verified one takes its place.
            aside = store.data_dir / "evidence-altered" / f"{final.name}-{dt.datetime.now():%Y%m%d-%H%M%S}"
            aside.parent.mkdir(parents=True, exist_ok=True)
            os.replace(final, aside)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, final)
        touched.add(final.parent)
    for folder in touched:
        fsync_path(folder, directory=True)


# -- listing and undoing ------------------------------------------------------------------------------
def list_safety_copies(db_path: Path | str) -> list[SafetyCopy]:
    """The ledger's safety copies, newest first."""
    db_path = Path(db_path).resolve()
    out = []
    order: dict[Path, tuple[dt.datetime, int]] = {}
    for path in db_path.parent.glob(f"{db_path.stem}.before-*{db_path.suffix}"):
        match = _NAME.search(path.name[len(db_path.stem):-len(db_path.suffix) or None])
        try:
            st = path.stat()
            taken = dt.datetime.strptime(match.group(2), "%Y%m%d-%H%M%S") if match else \
                dt.datetime.fromtimestamp(st.st_mtime).replace(microsecond=0)
        except (OSError, ValueError):
            continue
        kind = KINDS.get(match.group(1), "其他") if match else "其他"
        order[path] = (taken, int(match.group(3) or 1) if match else 0)
        out.append(SafetyCopy(path, kind, taken, st.st_size, _summary(path)))
    return sorted(out, key=lambda c: order[c.path], reverse=True)


def _summary(path: Path) -> str:
    try:
        with closing(connect_read_only(path, immutable=True)) as conn:
            rounds = conn.execute("select count(*) from round").fetchone()[0]
            problems = conn.execute("select count(*) from problem").fetchone()[0]
            try:  # problems in the recycle bin are not the ledger's (a copy older than the bin has none)
                binned = conn.execute("select count(*) from problem where deleted_at is not null").fetchone()[0]
            except sqlite3.OperationalError:
                binned = 0
            last = conn.execute("select max(at) from audit_log").fetchone()[0]
    except sqlite3.DatabaseError:
        return "无法读取（不是有效的台账数据库）"
    return (f"{rounds} 个轮次，{problems - binned} 个问题" + (f"（回收站中另有 {binned} 个）" if binned else "")
            + (f"，最后修改于 {str(last)[:16]}" if last else ""))


def find_safety_copy(db_path: Path, name: str | None) -> Path:
    copies = list_safety_copies(db_path)
    if not copies:
        raise BackupError("没有可以换回的安全副本（恢复备份时才会生成）。")
    if name is None:
        return copies[0].path
    for c in copies:
        if c.name == name or str(c.path) == str(Path(name).resolve()):
            return c.path
    raise BackupError(f"找不到安全副本“{name}”。可以用 restore --list 查看已有的安全副本。")


def undo_restore(db_path: Path | str, name: str | None = None, user: str | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> tuple[Path, Path | None]:
    """Put a safety copy (the newest, or the one named) back in place of the ledger, checked like a backup.

    The ledger it replaces becomes a safety copy in its turn, so an undo can be undone. Returns
    (the copy put back, the new safety copy)."""
    from app.restore import _clerk, check_ledger, make_staging, prepare_ledger

    db_path = Path(db_path).resolve()
    source = find_safety_copy(db_path, name)
    data_dir = db_path.parent
    lock = InstanceLock(db_path)
    lock.acquire()
    staging: Path | None = None
    try:
        staging = make_staging(data_dir)
        staged_db = staging / "ledger.sqlite"
        try:
            with closing(connect_read_only(source, immutable=True)) as src, closing(sqlite3.connect(staged_db)) as dst:
                src.backup(dst)
        except sqlite3.DatabaseError as exc:
            log.warning("safety copy %s unreadable: %r", source, exc)
            raise BackupError(f"安全副本“{source.name}”已损坏，无法换回。") from exc
        store = EvidenceStore(data_dir)
        staged = check_ledger(staged_db, store, set())
        safety = reserve_name(db_path, "restore") if db_path.exists() else None
        prepare_ledger(staged, source.name, safety, {"安全副本": source.name}, user or _clerk(data_dir),
                       action="换回安全副本")
        if progress:
            progress(1, 1, source.name)
        swap_in(db_path, staged_db, [], safety, store)
        return source, safety
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        lock.release()
