"""Backup and restore: round trip, safety copies (unique, listed, put back), the audit entry, an
older backup migrated, a failed swap that keeps the WAL, disk full while unpacking."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app import local_settings
from app.backup import BackupError, restore_backup, verify_backup, write_backup
from app.safety_copies import list_safety_copies, undo_restore
from app.services import evidence, problems, rounds
from db.errors import DatabaseInUse
from db.session import Database, open_database
from tests.app.restore_fixtures import Live
from tests.conftest import ROOT, make_pdf
from tests.crafted import doctor_db, read_members, tree, write_backup_zip

FIXTURES = ROOT / "tests" / "db" / "fixtures"


def _title(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return str(conn.execute("select title from round").fetchone()[0])
    finally:
        conn.close()

# The backup of a desk's SQLite file and its restore in place; a server ledger's backup and moving a
# ledger between the engines are tested in test_move_ledger.py.
pytestmark = pytest.mark.sqlite_only


def test_round_trip(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    res = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    archive = write_backup(db, tmp_path / "backup.zip")
    manifest = verify_backup(archive)
    assert res.sha256 in manifest.evidence

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
        report = evidence.check_store(restored)
        assert report.ok and report.orphans == [f"evidence/{later.sha256[:2]}/{later.sha256}"]
    # Nothing is deleted and nothing moved aside: the later file stays in the store for the safety copy.
    assert not list(db_path.parent.glob("evidence-before-restore-*"))
    with open_database(safety, lock=False) as old:
        assert evidence.check_store(old).ok  # the safety copy is whole, files included


def test_the_summary_reads_the_manifest_alone(db: Database, seeded: dict[str, int], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """QA: the restore's question names the backup's date and what it holds, from the manifest only."""
    import app.backup_archive
    from app.restore import backup_summary

    evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    problems.delete_problem(db, seeded["p3"])            # in the recycle bin: not counted
    archive = write_backup(db, tmp_path / "backup.zip")
    monkeypatch.setattr(app.backup_archive, "copy_verified", None)  # nothing is unpacked or hashed
    summary = backup_summary(archive)
    assert (summary.problems, summary.evidence) == (2, 1)
    assert summary.created is not None and summary.created.date() == dt.date.today()
    members = read_members(archive)
    older = json.loads(members["manifest.json"])
    del older["counts"]                                   # an archive from before the counts
    files = {n: d for n, d in members.items() if n != "manifest.json"}
    old = backup_summary(write_backup_zip(tmp_path / "old.zip", files, manifest=older))
    assert (old.problems, old.evidence, old.created) == (None, 1, summary.created)


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
                data = data[:-7] + b"changed"
            dst.writestr(item, data)
    db_path = db.path
    db.close()
    before = tree(db_path.parent)
    with pytest.raises(BackupError, match="SHA-256"):
        verify_backup(bad)
    with pytest.raises(BackupError, match="SHA-256"):
        restore_backup(bad, db_path)
    assert tree(db_path.parent) == before


def test_restore_refused_while_in_use(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    archive = write_backup(db, tmp_path / "b.zip")
    with pytest.raises(DatabaseInUse):
        restore_backup(archive, db.path)


def test_two_restores_in_one_second_keep_both_safety_copies(live: Live) -> None:
    """Item 4: the second restore named its safety copy like the first and overwrote the original."""
    original = live.db_path.read_bytes()
    first = restore_backup(live.archive, live.db_path)
    second = restore_backup(live.archive, live.db_path)
    assert first is not None and second is not None and first != second
    assert first.read_bytes() == original  # the ledger as it was before any restore, untouched
    assert _title(first) == "备份之后改过的轮次" and _title(second) == "备份中的轮次"
    names = [c.name for c in list_safety_copies(live.db_path)]
    assert names == [second.name, first.name]  # newest first


def test_undo_puts_the_old_ledger_back_and_can_itself_be_undone(live: Live) -> None:
    restore_backup(live.archive, live.db_path)
    assert _title(live.db_path) == "备份中的轮次"
    source, safety = undo_restore(live.db_path)
    assert _title(live.db_path) == "备份之后改过的轮次" and safety is not None
    with open_database(live.db_path) as db:
        assert evidence.check_store(db).ok  # the file attached after the backup is still in the store
        with db.raw_reading() as reader:
            actions = reader.values("select action from audit_log where entity = 'ledger'")
        assert actions == ["换回安全副本"]
    undo_restore(live.db_path, safety.name)
    assert _title(live.db_path) == "备份中的轮次"
    with pytest.raises(BackupError, match="找不到安全副本"):
        undo_restore(live.db_path, "nope.sqlite")


def test_restore_is_recorded_in_the_restored_audit_log(live: Live) -> None:
    safety = restore_backup(live.archive, live.db_path, user="张三")
    assert safety is not None
    with open_database(live.db_path) as db, db.raw_reading() as reader:
        rows = reader.rows('select "user", action, old_value, new_value from audit_log where entity = \'ledger\'')
    [(user, action, old, new)] = [tuple(r.values()) for r in rows]
    assert (user, action) == ("张三", "恢复") and safety.name in old and "good.zip" in new


def test_an_older_backup_is_migrated_in_the_staging_folder(live: Live) -> None:
    old = doctor_db((FIXTURES / "schema_0001.sqlite").read_bytes(), live.root,
                    "delete from evidence_link", "delete from evidence")
    archive = write_backup_zip(live.root / "old.zip", {"ledger.sqlite": old}, edit=lambda m: m.update(schema="0001"))
    restore_backup(archive, live.db_path)
    with open_database(live.db_path) as db:
        [r] = rounds.list_rounds(db)
        assert len(problems.list_problems(db, r.id)) == 7
        assert db.integrity_check() == []
    assert not list(live.data.glob("restore-*")) and not list(live.data.glob("*before-upgrade*"))


def test_settings_are_restored_from_a_whitelist(live: Live) -> None:
    files = read_members(live.archive)
    files.pop("manifest.json")
    files["settings.json"] = json.dumps({"max_evidence_mb": 77, "clerk_name": "别人", "font": "x"}).encode()
    archive = write_backup_zip(live.root / "s.zip", files)
    local_settings.set_value(live.data, "max_evidence_mb", 300)
    restore_backup(archive, live.db_path)
    saved = json.loads((live.data / "settings.json").read_text(encoding="utf-8"))
    assert saved["max_evidence_mb"] == 77
    assert saved.get("clerk_name", "") != "别人" and "font" not in saved  # not on the whitelist: never restored


def test_the_backup_carries_the_office_settings(live: Live) -> None:
    local_settings.set_value(live.data, "max_evidence_mb", 55)
    with open_database(live.db_path) as db:
        archive = write_backup(db, live.root / "with-settings.zip")
    assert json.loads(read_members(archive)["settings.json"]) == {"max_evidence_mb": 55}
    local_settings.set_value(live.data, "max_evidence_mb", 300)
    restore_backup(archive, live.db_path)
    assert local_settings.load(live.data)["max_evidence_mb"] == 55


WAL_WRITER = """
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
conn.execute("PRAGMA wal_autocheckpoint=0")
conn.execute("update round set title = '只在 WAL 中的修改'")
conn.commit()
os._exit(0)   # no close, no checkpoint: the change lives only in ledger.sqlite-wal
"""


def test_a_failed_swap_keeps_what_was_only_in_the_wal(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 3: the WAL was deleted before a rename that then failed. Now it is folded in first, and
    nothing of the old ledger is removed until the new one is in place."""
    subprocess.run([sys.executable, "-c", WAL_WRITER, str(live.db_path)], check=True, timeout=60)
    assert Path(str(live.db_path) + "-wal").stat().st_size > 0
    from app import safety_copies

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(safety_copies.os, "replace", refuse)
    with pytest.raises(BackupError, match="无法替换现有的数据库文件"):
        restore_backup(live.archive, live.db_path)
    monkeypatch.undo()
    assert _title(live.db_path) == "只在 WAL 中的修改"  # folded into the file itself
    assert not list(live.data.glob("ledger.before-restore-*"))  # no safety copy left for a swap that did not happen
    assert not list(live.data.glob("restore-*"))
    with open_database(live.db_path) as db:
        assert [r.title for r in rounds.list_rounds(db)] == ["只在 WAL 中的修改"]


def test_disk_full_while_unpacking_is_a_message(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_open = builtins.open

    def full(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "x" in mode and "restore-" in str(file):
            raise OSError(28, "No space left on device")
        return real_open(file, mode, *args, **kwargs)  # type: ignore[call-overload]

    before = tree(live.data)
    monkeypatch.setattr(builtins, "open", full)
    with pytest.raises(BackupError, match="磁盘空间已满") as err:
        restore_backup(live.archive, live.db_path)
    monkeypatch.undo()
    assert "Errno" not in str(err.value)
    assert tree(live.data) == before


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


def test_restore_list_and_undo_on_the_command_line(live: Live) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", *args, "--db", str(live.db_path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})

    assert "没有安全副本" in cli("restore", "--list").stdout
    out = cli("restore", str(live.archive))
    assert out.returncode == 0 and "restore --undo" in out.stdout
    listing = cli("restore", "--list").stdout
    assert "恢复前" in listing and "1 个轮次" in listing
    out = cli("restore", "--undo")
    assert out.returncode == 0 and "已换回安全副本" in out.stdout
    assert _title(live.db_path) == "备份之后改过的轮次"
    out = cli("restore")
    assert out.returncode == 1 and "--list" in out.stderr


def test_a_damaged_ledger_can_be_replaced_and_is_kept(live: Live) -> None:
    """Restoring is what a clerk does when the ledger is damaged: the damaged file is kept, not refused."""
    live.db_path.write_bytes(b"garbage where the ledger was" * 100)
    damaged = live.db_path.read_bytes()
    safety = restore_backup(live.archive, live.db_path)
    assert safety is not None and safety.read_bytes() == damaged
    assert _title(live.db_path) == "备份中的轮次"
    assert "无法读取" in list_safety_copies(live.db_path)[0].summary


def test_a_missing_ledger_is_restored_without_a_safety_copy(live: Live) -> None:
    live.db_path.unlink()
    assert restore_backup(live.archive, live.db_path) is None
    assert _title(live.db_path) == "备份中的轮次"


def test_a_safety_copy_counts_the_problems_the_ledger_shows(db: Database, seeded: dict[str, int],
                                                            tmp_path: Path) -> None:
    """The clerk chooses a copy by what it holds: problems in the recycle bin are not the ledger's."""
    from app.safety_copies import _summary

    shown = len(problems.list_problems(db, seeded["round"]))
    problems.delete_problem(db, seeded["p1"])
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(db.path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    summary = _summary(copy)
    assert f"{shown - 1} 个问题" in summary and "回收站中另有 1 个" in summary, summary
