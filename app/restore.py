"""Restoring a backup: everything is checked in a staging folder before the ledger is touched.

1. The archive: manifest, names (only the database, the evidence store and settings.json), sizes,
   expansion, the disk space it needs (`app/backup_archive.py`).
2. The database, unpacked into `restore-<pid>-…` inside the data folder and opened read-only:
   SQLite header, `PRAGMA integrity_check`, this program's tables, a schema it knows (newer: refused,
   "请先升级程序"; older: the staged copy is migrated), every evidence row's path inside the store
   and its file present — in the archive or already in the store — with its SHA-256.
3. Only then the swap (`app/safety_copies.py`): evidence merged into the store by hash, the live
   database checkpointed and kept as a safety copy under a name never used before, the staged one
   renamed in, and only after that the old -wal/-shm removed. The restored ledger records the
   restore in its audit log.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.backup_archive import (
    BackupError,
    Manifest,
    check_entries,
    copy_verified,
    open_archive,
    read_manifest,
    settings_from,
)
from app.evidence_store import EvidenceStore, file_sha256, os_words
from db.leftovers import STAGING_PREFIX
from db.lock import InstanceLock
from db.migrate import known_revision
from db.session import connect_read_only

log = logging.getLogger("xuncha.backup")

Progress = Callable[[int, int, str], None]
REQUIRED_TABLES = {"unit", "round", "problem", "evidence", "evidence_link", "audit_log", "alembic_version"}
MAX_EVIDENCE_ROWS = 500_000
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass
class StagedLedger:
    """A database in the staging folder that passed every check, and what it needs from the store."""

    path: Path
    revision: str
    wanted: dict[str, str] = field(default_factory=dict)   # sha256 → relative path in the store


def _clerk(data_dir: Path) -> str:
    from app import local_settings

    name = local_settings.load(data_dir).get("clerk_name")
    return name.strip() if isinstance(name, str) and name.strip() else "未署名"


def _make_folder(data_dir: Path) -> None:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法创建数据文件夹“{data_dir}”（{os_words(exc)}），未恢复。") from exc


def make_staging(data_dir: Path) -> Path:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=data_dir))
    except OSError as exc:
        if exc.errno == 28:
            raise BackupError("磁盘空间已满，无法恢复；原有数据未受影响。请清理磁盘后重试。") from exc
        raise BackupError(f"无法在数据文件夹“{data_dir}”中准备恢复（{os_words(exc)}），"
                          "可能是文件夹只读或没有权限；原有数据未受影响。") from exc


# -- the staged database ----------------------------------------------------------------------------
def _check_header(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise BackupError("备份中的数据库是一个空文件（0 字节），不能用它替换现有台账，未恢复。")
    with open(path, "rb") as f:
        head = f.read(100)
    if not head.startswith(b"SQLite format 3\x00") or len(head) < 100:
        raise BackupError("备份中的数据库不是 SQLite 数据库（可能是文本或其他文件），未恢复。")
    page_size = struct.unpack(">H", head[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    pages = struct.unpack(">I", head[28:32])[0]
    change, valid_for = head[24:28], head[92:96]
    if change == valid_for and pages and size < pages * page_size:
        raise BackupError(f"备份中的数据库不完整（只有 {size} 字节，应有 {pages * page_size} 字节），未恢复。")


def check_ledger(path: Path, store: EvidenceStore, in_archive: set[str]) -> StagedLedger:
    """Everything about a staged database that must hold before it may replace the ledger.

    `in_archive`: the SHA-256 of the evidence files the archive brings (already checked against the
    manifest); any other file a row names must be in the store already, with its hash."""
    _check_header(path)
    try:
        with closing(connect_read_only(path, immutable=True)) as conn:
            problems = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            if problems != ["ok"]:
                log.warning("staged database fails integrity_check: %s", problems)
                raise BackupError("备份中的数据库已损坏（完整性检查未通过），未恢复。")
            tables = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
            if "alembic_version" not in tables:
                raise BackupError("备份中的数据库不是本程序的台账（可能是其他程序的 SQLite 文件），未恢复。")
            row = conn.execute("select version_num from alembic_version").fetchone()
            revision = str(row[0]) if row else ""
            if not revision or not known_revision(revision):
                raise BackupError(f"备份中的台账由更新版本的程序生成（数据结构版本 {revision or '未知'}），本程序无法使用。"
                                  "请先升级程序，再恢复这个备份。")
            if not REQUIRED_TABLES <= tables:
                raise BackupError("备份中的数据库缺少台账必需的数据表，不是本程序的台账，未恢复。")
            fk = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
            if fk:
                log.warning("staged database fails foreign_key_check: %s", fk)
                raise BackupError("备份中的数据库内部不一致（外键检查未通过），未恢复。")
            rows = conn.execute("select id, sha256, stored_path, original_name from evidence").fetchmany(
                MAX_EVIDENCE_ROWS + 1)
    except sqlite3.DatabaseError as exc:
        log.warning("staged database cannot be read: %r", exc)
        raise BackupError("备份中的数据库已损坏或不是本程序的台账，无法读取，未恢复。") from exc
    if len(rows) > MAX_EVIDENCE_ROWS:
        raise BackupError(f"备份中的台账登记了超过 {MAX_EVIDENCE_ROWS} 个佐证材料，超过了上限，未恢复。")
    staged = StagedLedger(path, revision)
    missing: list[str] = []
    for eid, sha, rel, name in rows:
        if not isinstance(sha, str) or not _SHA.fullmatch(sha) or rel != store.relative_for(sha):
            raise BackupError(f"备份中的台账登记了不安全的佐证材料路径（#{eid}：{str(rel)[:120]}），"
                              "它指向佐证材料库以外的位置，备份可能已被改动，未恢复。")
        store.path_of(rel)  # the same resolver every later use goes through
        staged.wanted[sha] = rel
        if sha in in_archive:
            continue
        existing = store.path_of(rel)
        if not (existing.is_file() and file_sha256(existing) == sha):
            missing.append(f"#{eid} {name}")
    if missing:
        raise BackupError(f"备份不完整：台账登记的 {len(missing)} 个佐证材料文件在备份中找不到（如 {missing[0]}），未恢复。")
    return staged


def prepare_ledger(staged: StagedLedger, source: str, safety: Path | None, note: dict[str, Any], user: str,
                   action: str = "恢复") -> None:
    """Migrate an older staged database to this program's schema and record the restore in its audit log:
    where it came from (`source`), where the ledger it replaces is kept (`safety`), and `note`."""
    from db.models import AuditEntry
    from db.session import Database

    sdb = Database(staged.path, lock=False).open()  # migrates an older schema, inside the staging folder
    try:
        with sdb.transaction() as s:
            s.add(AuditEntry(at=dt.datetime.now().replace(microsecond=0), user=user[:100], action=action,
                             entity="ledger", entity_id=source[:40], field="",
                             old_value=f"原数据库另存为 {safety.name}" if safety else "（原先没有数据库）",
                             new_value=json.dumps(note, ensure_ascii=False)))
    finally:
        sdb.close()
    wal = Path(str(staged.path) + "-wal")
    if wal.exists() and wal.stat().st_size:  # the last connection normally folds the WAL in on close
        with closing(sqlite3.connect(staged.path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for suffix in ("-wal", "-shm"):
        Path(str(staged.path) + suffix).unlink(missing_ok=True)
    for extra in staged.path.parent.glob(f"{staged.path.stem}.before-*"):
        extra.unlink()  # the migration's own safety copy of the staged file: the archive is the original


# -- the whole restore --------------------------------------------------------------------------------
RESTORED_SETTINGS = ("max_evidence_mb",)   # the office's limits; per-machine and personal ones stay as they are


def _settings_check(key: str, value: Any) -> None:
    from app import local_settings

    if key not in RESTORED_SETTINGS:
        raise KeyError(key)
    local_settings.check_value(key, value)


def restore_backup(archive: Path | str, db_path: Path | str, progress: Progress | None = None,
                   user: str | None = None) -> Path | None:
    """Replace the ledger at `db_path` and add its evidence from the archive, after checking all of it.

    Returns the safety copy of the replaced database (None when there was none). Refused while
    another program has the database open; a refusal leaves every file as it was."""
    from app import local_settings
    from app.safety_copies import reserve_name, swap_in

    archive, db_path = Path(archive).resolve(), Path(db_path).resolve()
    data_dir = db_path.parent
    z = open_archive(archive)
    with z:
        manifest = read_manifest(z, known_revision)
        free = shutil.disk_usage(data_dir if data_dir.exists() else _existing_parent(data_dir)).free
        check_entries(z, manifest, archive.stat().st_size, free)
        settings = settings_from(z, manifest, _settings_check)
        lock = InstanceLock(db_path)
        _make_folder(data_dir)
        lock.acquire()
        staging: Path | None = None
        try:
            staging = make_staging(data_dir)
            store = EvidenceStore(data_dir)
            staged_db = staging / "ledger.sqlite"
            copy_verified(z, manifest.db, staged_db)
            staged = check_ledger(staged_db, store, set(manifest.evidence))
            files = _unpack_evidence(z, manifest, staged, store, staging, progress)
            safety = reserve_name(db_path, "restore") if db_path.exists() else None
            note = {"备份文件": archive.name, "备份时间": manifest.created, "数据结构版本": staged.revision}
            prepare_ledger(staged, archive.name, safety, note, user or _clerk(data_dir))
            swap_in(db_path, staged_db, files, safety, store)
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
            lock.release()
    for key, value in settings.items():
        try:
            local_settings.set_value(data_dir, key, value)
        except OSError as exc:  # the ledger is restored; a setting that cannot be written is not worth failing over
            log.warning("could not restore setting %s: %s", key, exc)
    return safety


def _existing_parent(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _unpack_evidence(z: Any, manifest: Manifest, staged: StagedLedger, store: EvidenceStore, staging: Path,
                     progress: Progress | None) -> list[tuple[Path, Path]]:
    """Check every evidence file of the archive; unpack those the store lacks. Returns (staged, final) pairs."""
    out: list[tuple[Path, Path]] = []
    entries = sorted(manifest.evidence.values(), key=lambda e: e.name)
    for n, entry in enumerate(entries, 1):
        final = store.path_of(store.relative_for(entry.sha256))
        needed = entry.sha256 in staged.wanted and not (final.is_file() and file_sha256(final) == entry.sha256)
        target = staging / entry.name if needed else None
        copy_verified(z, entry, target)
        if target is not None:
            out.append((target, final))
        if progress:
            progress(n, len(entries), entry.name)
    return out


@dataclass(frozen=True)
class BackupSummary:
    """What a backup says of itself, for the clerk to recognise it before restoring it."""

    created: dt.datetime | None
    problems: int | None      # None: an archive from before the manifest counted them
    evidence: int             # evidence files in the archive


def backup_summary(archive: Path | str) -> BackupSummary:
    """Read the archive's manifest only (its directory and one small entry; nothing is unpacked or hashed).
    A `BackupError` if it is not a backup this program can restore."""
    with open_archive(Path(archive)) as z:
        manifest = read_manifest(z, known_revision)
    try:
        created: dt.datetime | None = dt.datetime.fromisoformat(manifest.created)
    except ValueError:
        created = None
    return BackupSummary(created, manifest.counts.get("problems"),
                         manifest.counts.get("evidence", len(manifest.evidence)))


def verify_backup(archive: Path | str) -> Manifest:
    """Check an archive without restoring it: form, names, sizes and every file's SHA-256."""
    archive = Path(archive)
    with open_archive(archive) as z:
        manifest = read_manifest(z, known_revision)
        check_entries(z, manifest, archive.stat().st_size, None)
        for entry in [manifest.db, *manifest.evidence.values(), *([manifest.settings] if manifest.settings else [])]:
            copy_verified(z, entry, None)
    return manifest


__all__ = ["BackupError", "check_ledger", "make_staging", "prepare_ledger", "restore_backup", "verify_backup"]
