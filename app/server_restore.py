"""Restoring a backup archive into a ledger on the server: the same archive a desk's ledger makes (and a
server ledger's backup makes, `app/backup.py`), so a backup restores into either engine.

The archive goes through every check a restore on a desk makes (`app/backup_archive.py`,
`app/restore.py`: manifest, names, sizes, each file's SHA-256, the database's integrity, a schema this
program knows, every evidence row's file present) in a staging folder; the staged ledger is then moved
into the server database (`app/ledger_move.py`). The server database must hold no ledger yet: a
restore never writes over what other clerks are working on (make a new database with `server-init`
or the connection dialog, restore into it, then point the office's programs at it).
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from app.backup_archive import check_entries, copy_verified, open_archive, read_manifest
from app.evidence_store import EvidenceStore
from app.ledger_move import MoveReport, Progress, copy_ledger
from app.restore import check_ledger
from db.migrate import known_revision
from db.session import Database, open_database


def restore_into_server(archive: Path | str, dest: Database, progress: Progress | None = None) -> MoveReport:
    archive = Path(archive).resolve()
    staging = Path(tempfile.mkdtemp(prefix="xuncha-server-restore-"))
    try:
        with open_archive(archive) as z:
            manifest = read_manifest(z, known_revision)
            check_entries(z, manifest, archive.stat().st_size, shutil.disk_usage(staging).free)
            staged_db = staging / "ledger.sqlite"
            copy_verified(z, manifest.db, staged_db)
            store = EvidenceStore(staging)
            staged = check_ledger(staged_db, store, set(manifest.evidence))
            for entry in manifest.evidence.values():
                if entry.sha256 in staged.wanted:
                    copy_verified(z, entry, store.path_of(staged.wanted[entry.sha256]))
        src = open_database(staged_db)  # an older schema is brought up to this program's here
        try:
            return copy_ledger(src, dest, progress, note=f"恢复自备份 {archive.name}")
        finally:
            src.close()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
