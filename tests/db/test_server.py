"""A ledger on a PostgreSQL server: migrations from empty and from the released schema, the audit log's
guard triggers in plpgsql, several programs at once, connection failures in words, the keyring, and the
test cluster itself (an unprivileged user; a missing server fails CI instead of skipping)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from app.services import problems, rounds
from db.errors import LoginRefused, NoSuchLedger, PasswordNeeded, ServerUnreachable
from db.migrate import alembic_config, head_revision
from db.server import ServerDatabase
from db.target import ServerAddress, parse_server
from tests.conftest import ROOT
from tests.pgserver import APP_PASSWORD, APP_USER

FIXTURES = Path(__file__).with_name("fixtures")
pytestmark = pytest.mark.sqlite_only  # these are about the server: they do not take the `db` of both engines


def _revision(cluster: Any, database: str) -> str:
    with closing(cluster.admin(database)) as conn:
        return str(conn.execute("select version_num from alembic_version").fetchone()[0])


def test_an_empty_server_database_is_migrated_with_its_guard_triggers(pg_cluster: Any, tmp_path: Path) -> None:
    url = pg_cluster.create_database("empty_one")
    with ServerDatabase(url, password=APP_PASSWORD, evidence_dir=tmp_path).open() as db:
        assert _revision(pg_cluster, "empty_one") == head_revision()
        assert db.integrity_check() == []
        rounds.create_unit(db, "单位")
        for sql in ("update audit_log set new_value = 'x'", "delete from audit_log", "truncate audit_log"):
            with pytest.raises(DBAPIError, match="read-only"), db.engine.begin() as conn:
                conn.execute(text(sql))
        with closing(pg_cluster.admin("empty_one")) as conn:
            conn.execute("drop trigger audit_log_no_delete on audit_log")
        assert db.integrity_check() == ["审计日志的只读保护触发器缺失：audit_log_no_delete"]


def _load_released(cluster: Any, database: str) -> None:
    """The released schema (0001) on the server, holding the rows of the released fixture file."""
    engine = create_engine(f"postgresql+psycopg://{APP_USER}:{APP_PASSWORD}@{cluster.host}:{cluster.port}/{database}")
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    src = sqlite3.connect(FIXTURES / "schema_0001.sqlite")
    src.row_factory = sqlite3.Row
    order = ["unit", "department", "person", "round", "category", "notice_settings", "redaction_term", "regulation",
             "round_figures", "problem", "extension", "measure", "regulation_link", "review", "evidence",
             "evidence_link", "progress_entry", "audit_log"]
    with engine.begin() as conn:
        for table in order:
            rows = [dict(r) for r in src.execute(f'select * from "{table}"')]
            if not rows:
                continue
            cols = list(rows[0])
            quoted = ", ".join(f'"{c}"' for c in cols)
            conn.execute(text(f'insert into "{table}" ({quoted}) values ({", ".join(":" + c for c in cols)})'),
                         [_for_pg(table, r) for r in rows])
            if "id" in cols:
                conn.execute(text(f"select setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                  f"(select max(id) from \"{table}\"))"))
    src.close()
    engine.dispose()


_BOOLEANS = {"long_term", "sensitive", "immediate", "is_leader"}


def _for_pg(table: str, row: dict[str, Any]) -> dict[str, Any]:
    return {k: bool(v) if k in _BOOLEANS and v is not None else v for k, v in row.items()}


def test_the_released_schema_upgrades_on_the_server(pg_cluster: Any, tmp_path: Path) -> None:
    url = pg_cluster.create_database("released")
    _load_released(pg_cluster, "released")
    assert _revision(pg_cluster, "released") == "0001"
    with ServerDatabase(url, password=APP_PASSWORD, evidence_dir=tmp_path).open() as db:
        assert _revision(pg_cluster, "released") == head_revision()
        [r] = rounds.list_rounds(db)
        rows = problems.list_problems(db, r.id)
        assert len(rows) == 7 and {p.version for p in rows} == {1}
        problems.update_problem(db, rows[0].id, expected_version=1, leaders="新领导")
        assert problems.get_problem(db, rows[0].id).version == 2
        new = problems.create_problem(db, r.id, "升级后新增的问题。")
        assert new > max(p.id for p in rows)
        with db.raw_reading() as reader:
            assert reader.scalar("select count(*) from pg_indexes where indexname = 'ix_audit_log_entity'") == 1
            assert reader.scalar("select change_no from ledger_state") >= 2


def test_programs_starting_together_on_an_old_schema_migrate_it_once(pg_cluster: Any, tmp_path: Path) -> None:
    url = pg_cluster.create_database("together")
    _load_released(pg_cluster, "together")
    opened: list[ServerDatabase] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            opened.append(ServerDatabase(url, password=APP_PASSWORD, evidence_dir=tmp_path).open())
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == [] and len(opened) == 4
    for db in opened:
        assert len(rounds.list_rounds(db)) == 1
        db.close()
    assert _revision(pg_cluster, "together") == head_revision()


@pytest.fixture
def address(pg_cluster: Any, pg_ledger: str) -> ServerAddress:
    return parse_server(pg_cluster.url(pg_ledger))


def test_connection_failures_are_told_in_chinese_without_the_drivers_words(
        address: ServerAddress, pg_cluster: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setattr("db.server.stored_password", lambda _a: None)
    cases = [
        (address, "wrong-password", LoginRefused, "用户名或密码不正确"),
        (address, None, PasswordNeeded, "需要数据库用户"),
        (address.with_database("no_such_ledger"), APP_PASSWORD, NoSuchLedger, "没有名为“no_such_ledger”"),
        (ServerAddress("127.0.0.1", "ledger", APP_USER, port=1), APP_PASSWORD, ServerUnreachable, "无法连接到台账服务器"),
    ]
    for target, password, error, words in cases:
        with pytest.raises(error) as told:
            ServerDatabase(target, password=password, evidence_dir=tmp_path).open()
        message = str(told.value)
        assert words in message
        assert "password authentication" not in message and "FATAL" not in message and "psycopg" not in message


def test_the_password_comes_from_the_keyring(address: ServerAddress, monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    import keyring

    from db import secrets
    from tests.keyrings import MemoryKeyring

    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    try:
        with pytest.raises(PasswordNeeded):
            ServerDatabase(address, evidence_dir=tmp_path).open()
        assert secrets.keep_password(address, APP_PASSWORD)
        with ServerDatabase(address, evidence_dir=tmp_path).open() as db:
            assert db.is_open
        assert memory.kept == {(secrets.SERVICE, address.key): APP_PASSWORD}
        secrets.forget_password(address)
        assert memory.kept == {}
    finally:
        keyring.set_keyring(previous)


def test_many_programs_open_one_server_ledger_at_once(pg_cluster: Any, pg_ledger: str, tmp_path: Path) -> None:
    from tests.conftest import _reset

    _reset(pg_cluster, pg_ledger)
    many = [ServerDatabase(pg_cluster.url(pg_ledger), password=APP_PASSWORD, evidence_dir=tmp_path).open()
            for _ in range(5)]
    try:
        unit = rounds.create_unit(many[0], "单位")
        for n, db in enumerate(many):
            rounds.create_round(db, unit.id, f"第{n}轮")
        assert all(len(rounds.list_rounds(db)) == 5 for db in many)
    finally:
        for db in many:
            db.close()


def test_a_closed_server_ledger_reopens_only_when_asked(pg_cluster: Any, pg_ledger: str, tmp_path: Path) -> None:
    from tests.conftest import _reset

    _reset(pg_cluster, pg_ledger)
    db = ServerDatabase(pg_cluster.url(pg_ledger), password=APP_PASSWORD, evidence_dir=tmp_path).open()
    db.close()
    with pytest.raises(RuntimeError, match="closed"):
        rounds.list_rounds(db)                 # nothing behind the caller's back …
    db.open()                                  # … but the caller's own open works, as a desk file's does
    try:
        assert rounds.list_rounds(db) == []
    finally:
        db.close()


# -- the test cluster itself ------------------------------------------------------------------------
def test_the_throwaway_cluster_runs_as_an_unprivileged_user(pg_cluster: Any) -> None:
    with closing(pg_cluster.admin()) as conn:
        pid = conn.execute("select pg_backend_pid()").fetchone()[0]
        data = conn.execute("show data_directory").fetchone()[0]
        status = Path(f"/proc/{pid}/status").read_text()   # while the backend serving us is alive
    uid = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("Uid:"))
    assert uid != 0
    assert Path(data).is_relative_to(pg_cluster.root)


PROBE = "tests/app/test_roles.py::test_without_accounts_a_desk_ledger_works_as_before"


def _run_probe(require: str) -> subprocess.CompletedProcess[str]:
    """The PostgreSQL half of one test, on a machine without the server binaries."""
    return subprocess.run([sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-rsE", "-p", "no:cacheprovider",
                           "-k", "postgresql", PROBE],
                          cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "XUNCHA_PG_BINDIR": "/nonexistent",
                               "XUNCHA_REQUIRE_POSTGRES": require})


def test_without_a_server_ci_fails_where_a_desk_skips() -> None:
    desk, ci = _run_probe("0"), _run_probe("1")
    assert desk.returncode == 0 and "1 skipped" in desk.stdout, desk.stdout[-2000:]
    assert ci.returncode != 0 and "PostgreSQL is required" in ci.stdout, ci.stdout[-2000:]
