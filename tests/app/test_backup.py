"""Backup and restore round trip; a tampered archive is refused before anything is replaced."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from app.backup import BackupError, restore_backup, verify_backup, write_backup
from app.services import evidence, problems, rounds
from db.errors import DatabaseInUse
from db.session import Database, open_database
from tests.conftest import make_pdf

# The backup of a desk's SQLite file and its restore in place; a server ledger's backup and moving a
# ledger between the engines are tested in test_move_ledger.py.
pytestmark = pytest.mark.sqlite_only


def test_round_trip(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    res = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    archive = write_backup(db, tmp_path / "backup.zip")
    manifest = verify_backup(archive)
    assert f"evidence/{res.sha256[:2]}/{res.sha256}" in manifest["files"]

    # Change the ledger after the backup, and add a file the backup does not know.
    problems.update_problem(db, seeded["p1"], text="改动后的问题")
    later = evidence.attach_evidence(db, make_pdf(tmp_path / "later.pdf", text="later"), [seeded["p2"]])
    db_path = db.path
    db.close()

    safety = restore_backup(archive, db_path)
    assert safety is not None and safety.exists()
    with open_database(db_path) as restored:
        assert problems.get_problem(restored, seeded["p1"]).text == "学习计划性不强。"
        assert [r.sha256 for r in evidence.list_evidence(restored, seeded["p1"])] == [res.sha256]
        assert evidence.list_evidence(restored, seeded["p2"]) == []
        assert evidence.check_store(restored).ok
    aside = list(db_path.parent.glob("evidence-before-restore-*/**/" + later.sha256))
    assert len(aside) == 1  # nothing is deleted by a restore


def test_restore_into_a_new_folder(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    archive = write_backup(db, tmp_path / "b.zip")
    target = tmp_path / "elsewhere" / "ledger.sqlite"
    assert restore_backup(archive, target) is None
    with open_database(target) as other:
        assert [r.title for r in rounds.list_rounds(other)] == ["2024年区委巡察"]
        assert evidence.check_store(other).ok


def test_tampered_archive_is_refused_and_nothing_changes(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    archive = write_backup(db, tmp_path / "b.zip")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("evidence/"):
                data += b"changed"
            dst.writestr(item, data)
    db_path = db.path
    db.close()
    before = db_path.read_bytes()
    with pytest.raises(BackupError, match="SHA-256"):
        restore_backup(bad, db_path)
    assert db_path.read_bytes() == before


def test_not_an_archive_and_missing_manifest(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"no zip here")
    with pytest.raises(BackupError, match="不是有效的备份"):
        verify_backup(junk)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("x.txt", "x")
    with pytest.raises(BackupError, match="清单"):
        verify_backup(empty)
    wrong = tmp_path / "wrong.zip"
    with zipfile.ZipFile(wrong, "w") as z:
        z.writestr("manifest.json", json.dumps({"format": "other"}))
    with pytest.raises(BackupError, match="不是本程序"):
        verify_backup(wrong)


def test_restore_refused_while_in_use(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    archive = write_backup(db, tmp_path / "b.zip")
    with pytest.raises(DatabaseInUse):
        restore_backup(archive, db.path)
