"""One-file backups (.zip): a consistent database snapshot, the evidence files, a SHA-256 manifest.

`restore` verifies the whole archive before it touches anything, and keeps the
database it replaces as a safety copy.
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
from pathlib import Path, PurePosixPath

from app.errors import LedgerError
from app.evidence_store import CHUNK, EvidenceStore
from db.lock import InstanceLock
from db.migrate import head_revision
from db.session import Database

DB_ENTRY = "ledger.sqlite"
MANIFEST = "manifest.json"
FORMAT = "xuncha-ledger-backup/1"

Progress = Callable[[int, int, str], None]


class BackupError(LedgerError):
    pass


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def write_backup(db: Database, target: Path | str, progress: Progress | None = None) -> Path:
    """Write the archive to `target` (through a temporary name: never half a file)."""
    target = Path(target)
    store = EvidenceStore(db.data_dir)
    files = sorted(store.stored_files().items())
    with tempfile.TemporaryDirectory(prefix="xuncha-backup-") as tmp:
        snap = Path(tmp) / DB_ENTRY
        src, dst = sqlite3.connect(db.path), sqlite3.connect(snap)
        try:
            src.backup(dst)  # consistent even while the program is writing
        finally:
            dst.close()
            src.close()
        manifest: dict[str, object] = {
            "format": FORMAT, "created": dt.datetime.now().isoformat(timespec="seconds"),
            "schema": head_revision(), "files": {DB_ENTRY: {"sha256": _sha(snap), "size": snap.stat().st_size}},
        }
        entries: dict[str, dict[str, object]] = manifest["files"]  # type: ignore[assignment]
        partial = target.with_name(target.name + ".part")
        try:
            with zipfile.ZipFile(partial, "w", allowZip64=True) as z:
                z.write(snap, DB_ENTRY, compress_type=zipfile.ZIP_DEFLATED)
                for n, (_digest, path) in enumerate(files, 1):
                    name = str(PurePosixPath(path.relative_to(db.data_dir).as_posix()))
                    # Scans are already compressed: store them as they are.
                    z.write(path, name, compress_type=zipfile.ZIP_STORED)
                    entries[name] = {"sha256": _sha(path), "size": path.stat().st_size}
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
            raise BackupError(f"写入备份文件失败：{exc.strerror or exc}") from exc
    return target


def verify_backup(archive: Path | str) -> dict[str, object]:
    """Check every entry against the manifest; returns the manifest or raises BackupError."""
    archive = Path(archive)
    try:
        z = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"“{archive.name}”不是有效的备份文件，或文件已损坏。") from exc
    with z:
        try:
            manifest = json.loads(z.read(MANIFEST))
        except (KeyError, ValueError) as exc:
            raise BackupError("备份文件中没有有效的清单（manifest），无法确认其完整性。") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError("这不是本程序生成的备份文件。")
        files: dict[str, dict[str, object]] = manifest.get("files", {})
        if DB_ENTRY not in files:
            raise BackupError("备份中缺少数据库文件。")
        names = set(z.namelist())
        for name, meta in files.items():
            if name.startswith("/") or ".." in PurePosixPath(name).parts:
                raise BackupError(f"备份中含有不安全的路径：{name}")
            if name not in names:
                raise BackupError(f"备份不完整：缺少 {name}")
            h = hashlib.sha256()
            try:
                with z.open(name) as f:
                    while chunk := f.read(CHUNK):
                        h.update(chunk)
            except (zipfile.BadZipFile, OSError) as exc:
                raise BackupError(f"备份中的 {name} 已损坏。") from exc
            if h.hexdigest() != meta.get("sha256"):
                raise BackupError(f"备份中的 {name} 与清单记录的 SHA-256 不符，备份可能已被改动或损坏。")
    return manifest


def restore_backup(archive: Path | str, db_path: Path | str, progress: Progress | None = None) -> Path | None:
    """Replace the database at `db_path` and its evidence with the archive's.

    Returns the safety copy of the replaced database (None when there was none).
    Refused while another program has the database open.
    """
    archive, db_path = Path(archive), Path(db_path).resolve()
    manifest = verify_backup(archive)
    files: dict[str, dict[str, object]] = manifest["files"]  # type: ignore[assignment]
    data_dir = db_path.parent
    data_dir.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(db_path)
    lock.acquire()
    try:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        with tempfile.TemporaryDirectory(prefix="restore-", dir=data_dir) as tmp, zipfile.ZipFile(archive) as z:
            staged = Path(tmp)
            for n, name in enumerate(files, 1):
                z.extract(name, staged)
                if progress:
                    progress(n, len(files), name)
            safety = None
            if db_path.exists():
                safety = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}{db_path.suffix}")
                src, dst = sqlite3.connect(db_path), sqlite3.connect(safety)
                try:
                    src.backup(dst)
                finally:
                    dst.close()
                    src.close()
            # Evidence first (content-addressed: adding files never harms the old database)...
            wanted = {n for n in files if n != DB_ENTRY}
            aside = data_dir / f"evidence-before-restore-{stamp}"
            for name in wanted:
                final = data_dir / Path(*PurePosixPath(name).parts)
                if final.exists():
                    if _sha(final) == files[name]["sha256"]:
                        continue
                    # An altered copy in the store: keep it aside, put the verified one in place.
                    damaged = aside / "altered" / final.name
                    damaged.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(final), damaged)
                final.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged / name, final)
            # ...then the database in one rename.
            for suffix in ("-wal", "-shm"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            os.replace(staged / DB_ENTRY, db_path)
            _set_aside_unlisted(data_dir, wanted, stamp)
        return safety
    finally:
        lock.release()


def _set_aside_unlisted(data_dir: Path, wanted: set[str], stamp: str) -> None:
    """Files of the replaced ledger that the restored one does not know: moved aside, never deleted."""
    store = EvidenceStore(data_dir)
    aside = data_dir / f"evidence-before-restore-{stamp}"
    for _sha, path in store.stored_files().items():
        rel = path.relative_to(data_dir).as_posix()
        if rel not in wanted:
            target = aside / path.relative_to(store.root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), target)
