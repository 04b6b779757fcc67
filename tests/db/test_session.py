"""Opening, migrating, locking and refusing: the storage layer on real files."""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from db.errors import DatabaseCorrupt, DatabaseInUse, DatabaseTooNew
from db.migrate import current_revision, head_revision, safety_copy
from db.session import Database, open_database  # noqa: F401
from tests.conftest import ROOT

FIXTURES = Path(__file__).parent / "fixtures"


def test_migrates_an_empty_file_to_head(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    path.touch()
    with open_database(path) as db:
        assert current_revision(db.engine) == head_revision()
        with db.engine.connect() as conn:
            tables = {r[0] for r in conn.execute(text("select name from sqlite_master where type='table'"))}
            assert {"unit", "round", "category", "problem", "measure", "evidence", "evidence_link",
                    "extension", "review", "regulation", "round_figures", "audit_log"} <= tables
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.integrity_check() == []


def test_released_schema_file_upgrades_with_a_safety_copy(tmp_path: Path) -> None:
    """A database from schema 0001 (as the first release wrote it) is upgraded on open."""
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema_0001.sqlite", path)
    con = sqlite3.connect(path)
    assert con.execute("select version_num from alembic_version").fetchone() == ("0001",)
    con.close()
    with open_database(path) as db:
        from app.services import problems, rounds

        assert current_revision(db.engine) == head_revision() == "0008"
        [r] = rounds.list_rounds(db)
        assert len(problems.list_problems(db, r.id)) == 7
        with db.engine.connect() as conn:
            indexes = {row[1] for row in conn.execute(text("PRAGMA index_list(audit_log)"))}
        assert "ix_audit_log_entity" in indexes
    [copy] = list(tmp_path.glob("old.before-upgrade-0001-*.sqlite"))
    con = sqlite3.connect(copy)
    assert con.execute("select version_num from alembic_version").fetchone() == ("0001",)
    assert con.execute("select count(*) from problem").fetchone() == (7,)
    con.close()
    with open_database(path):  # already current: no second copy
        pass
    assert len(list(tmp_path.glob("old.before-upgrade-*"))) == 1


def test_second_instance_is_refused_in_process(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with open_database(path):
        with pytest.raises(DatabaseInUse) as err:
            open_database(path)
        assert "正被另一个" in str(err.value)
    open_database(path).close()  # released on close


def test_second_instance_is_refused_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    with open_database(path):
        out = subprocess.run([sys.executable, "main.py", "list", "rounds", "--db", str(path)], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "正被另一个" in out.stderr
    assert "Traceback" not in out.stderr


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("update alembic_version set version_num='9999_future'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseTooNew) as err:
        open_database(path)
    assert "更新版本" in str(err.value)
    with pytest.raises(DatabaseTooNew):  # the lock was released: the same refusal, not 'in use'
        open_database(path)


def test_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseCorrupt) as err:
        open_database(path)
    assert "损坏" in str(err.value)
    assert path.read_bytes().startswith(b"this is not")


@pytest.mark.sqlite_only
def test_safety_copy_is_a_consistent_snapshot(tmp_path: Path, db: Database) -> None:
    from app.services import rounds

    rounds.create_unit(db, "甲单位")
    copy = safety_copy(db.path, "test")
    con = sqlite3.connect(copy)
    assert con.execute("select name from unit").fetchall() == [("甲单位",)]
    con.close()


def test_head_constant_matches_alembic() -> None:
    from db.migrate import HEAD_REVISION

    assert HEAD_REVISION == head_revision()


def test_migrations_match_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from db.models import Base

    with db.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_an_up_to_date_database_opens_without_the_engine_and_reads_through_sqlite3(tmp_path: Path) -> None:
    """The first screen is read before SQLAlchemy is loaded; the engine comes on first use."""
    from app.services import problems, reading, rounds

    path = tmp_path / "ledger.sqlite"
    with open_database(path) as db:  # a new file is migrated at once
        assert db.engine_loaded
        unit = rounds.create_unit(db, "某单位")
        rid = rounds.create_round(db, unit.id, "2024年巡察").id
        problems.create_problem(db, rid, "制度不健全。")
    db = open_database(path)
    try:
        assert not db.engine_loaded
        [r] = reading.list_rounds(db)
        [row] = reading.list_problems(db, rid)
        assert (r.title, r.unit_name, row.number, row.text) == ("2024年巡察", "某单位", 1, "制度不健全。")
        assert not db.engine_loaded  # reading took no engine
        problems.update_problem(db, row.id, leaders="张三")  # an edit makes it
        assert db.engine_loaded
        assert reading.list_problems(db, rid)[0].leaders == "张三"  # now read through the engine's connection
    finally:
        db.close()


def test_an_older_schema_is_migrated_at_open_not_at_first_use(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURES / "schema_0001.sqlite", path)
    with open_database(path) as db:
        assert db.engine_loaded
        con = sqlite3.connect(path)
        assert con.execute("select version_num from alembic_version").fetchone() == (head_revision(),)
        con.close()


def test_a_damaged_file_is_reported_in_words_when_opened(tmp_path: Path) -> None:
    from app.services import reading, rounds

    path = tmp_path / "ledger.sqlite"
    with open_database(path) as db:
        unit = rounds.create_unit(db, "某单位")
        rounds.create_round(db, unit.id, "2024年巡察")
    with open(path, "r+b") as f:  # keep the header, spoil the pages behind it
        f.seek(100)
        f.write(b"\xff" * 8000)
    db = Database(path)
    try:
        with pytest.raises(DatabaseCorrupt):
            db.open()
            reading.list_rounds(db)
    finally:
        db.close()
