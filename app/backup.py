"""One-file backups (.zip): a consistent database snapshot, the evidence files, the office's
settings and a SHA-256 manifest. Restoring one is `app/restore.py`; its safety copies are
`app/safety_copies.py`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from app.backup_archive import DB_ENTRY, FORMAT, MANIFEST, SETTINGS_ENTRY, BackupError
from app.evidence_store import CHUNK, EvidenceStore, os_words
from app.paths import refuse_ledger_output
from app.restore import RESTORED_SETTINGS, restore_backup, verify_backup
from db.leftovers import BACKUP_TMP_PREFIX, OLD_TMP_PREFIX, pending_record
from db.migrate import HEAD_REVISION
from db.session import Database

Progress = Callable[[int, int, str], None]
__all__ = ["BackupError", "restore_backup", "verify_backup", "write_backup"]


def _put(z: zipfile.ZipFile, path: Path, name: str, method: int) -> dict[str, object]:
    """Add one file to the archive, hashing it as it is read: each file is read once."""
    info = zipfile.ZipInfo.from_file(path, name)
    info.compress_type = method
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as src, z.open(info, "w", force_zip64=info.file_size > zipfile.ZIP64_LIMIT) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def _scratch(data_dir: Path) -> Path:
    """A folder for the snapshot: in the data folder (cleaned at the next open if we are killed), or
    the system's temporary folder when the data folder cannot be written."""
    try:
        return Path(tempfile.mkdtemp(prefix=f"{BACKUP_TMP_PREFIX}{os.getpid()}-", dir=data_dir))
    except OSError:
        return Path(tempfile.mkdtemp(prefix=f"{OLD_TMP_PREFIX}{os.getpid()}-"))


def _settings_json(data_dir: Path) -> bytes | None:
    from app import local_settings

    if not (data_dir / local_settings.FILE).exists():
        return None
    values = local_settings.load(data_dir)
    return json.dumps({k: values[k] for k in RESTORED_SETTINGS if k in values}, ensure_ascii=False).encode("utf-8")


def _live_problems(snapshot: Path) -> int:
    """The problems in the ledger (not those in the recycle bin), counted in the snapshot just taken."""
    conn = sqlite3.connect(snapshot)
    try:
        return int(conn.execute("select count(*) from problem where deleted_at is null").fetchone()[0])
    finally:
        conn.close()


def write_backup(db: Database, target: Path | str, progress: Progress | None = None) -> Path:
    """Write the archive to `target` (through a temporary name: never half a file)."""
    target = refuse_ledger_output(target, db.path)
    if target.is_dir():
        raise BackupError(f"“{target}”是一个文件夹，请给备份文件取一个文件名（如 台账备份.zip）。")
    store = EvidenceStore(db.data_dir)
    files = sorted(store.stored_files().items())
    scratch = _scratch(db.data_dir)
    partial = target.with_name(target.name + ".part")
    record = None
    try:
        snap = scratch / DB_ENTRY
        if db.is_server:  # the server's rows in the archive's usual SQLite file: it restores into either engine
            from app.ledger_move import snapshot_to_sqlite

            snapshot_to_sqlite(db, snap)
        else:
            src, dst = sqlite3.connect(db.path), sqlite3.connect(snap)
            try:
                src.backup(dst)  # consistent even while the program is writing
            finally:
                dst.close()
                src.close()
        entries: dict[str, dict[str, object]] = {}
        manifest: dict[str, object] = {
            "format": FORMAT, "created": dt.datetime.now().isoformat(timespec="seconds"),
            "schema": HEAD_REVISION, "files": entries,
            "counts": {"problems": _live_problems(snap), "evidence": len(files)},  # for the restore's question
        }
        settings = _settings_json(db.data_dir)
        record = pending_record(db.data_dir, partial)
        with zipfile.ZipFile(partial, "w", allowZip64=True) as z:
            entries[DB_ENTRY] = _put(z, snap, DB_ENTRY, zipfile.ZIP_DEFLATED)
            if settings is not None:
                z.writestr(SETTINGS_ENTRY, settings, compress_type=zipfile.ZIP_DEFLATED)
                entries[SETTINGS_ENTRY] = {"sha256": hashlib.sha256(settings).hexdigest(), "size": len(settings)}
            root = len(str(db.data_dir)) + 1
            for n, (_digest, path) in enumerate(files, 1):
                name = str(path)[root:].replace(os.sep, "/")   # evidence/ab/<sha256>
                # Scans are already compressed: store them as they are.
                entries[name] = _put(z, path, name, zipfile.ZIP_STORED)
                if progress:
                    progress(n, len(files), name)
            z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        if exc.errno == 28:
            raise BackupError("磁盘空间已满，备份未完成；原有数据未受影响。") from exc
        raise BackupError(f"写入备份文件失败：{os_words(exc)}") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        if record is not None:
            record.unlink(missing_ok=True)
    return target
