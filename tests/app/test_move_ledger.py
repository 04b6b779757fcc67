"""Moving a ledger between the engines (SQLite → PostgreSQL → SQLite gives the same data and the same
evidence hashes), and one backup archive restorable into either engine."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.backup import restore_backup, write_backup
from app.cli import run
from app.evidence_store import EvidenceStore, file_sha256
from app.ledger_move import MoveError, move_ledger, tables
from app.server_restore import restore_into_server
from app.services import accounts, evidence, measures, problems, rounds, status
from db.enums import Role
from db.models import Evidence, Status
from db.session import Database, open_database
from tests.conftest import make_pdf, open_server_ledger
from tests.pgserver import APP_PASSWORD

pytestmark = pytest.mark.sqlite_only  # each test uses both engines itself


def fill(db: Database, folder: Path) -> None:
    """A ledger with something in every kind of row: accounts, a category tree, reviews, evidence, figures."""
    unit = rounds.create_unit(db, "某区行政审批服务局", signature="中共某区行政审批服务局党组")
    r = rounds.create_round(db, unit.id, "2024年区委巡察", rectification_end=dt.date(2024, 8, 10))
    rounds.update_figures(db, r.id, recovered_during=Decimal("12.3456"), cases_filed=2)
    from app.services import categories

    aspect = categories.add_category(db, r.id, "政治建设方面")
    item = categories.add_category(db, r.id, "理论学习不深入", parent_id=aspect.id)
    p1 = problems.create_problem(db, r.id, "学习计划性不强。", category_id=item.id, departments="办公室",
                                 deadline=dt.date(2024, 6, 5))
    p2 = problems.create_problem(db, r.id, "制度不健全。", category_id=aspect.id)
    measures.add_measure(db, p1, "制定学习计划", owner="办公室")
    measures.log_progress(db, p1, "已印发学习计划。", entry_date=dt.date(2024, 6, 1))
    evidence.attach_evidence(db, make_pdf(folder / "计划.pdf", 2, "plan"), [p1, p2])
    evidence.attach_evidence(db, make_pdf(folder / "纪要.pdf", 1, "minutes"), [p2])
    status.change_status(db, p1, Status.DONE)
    status.approve_review(db, p1, reviewer="主任")
    accounts.create_account(db, "管理员甲", Role.ADMIN, "admin-pass-1")


def dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, by primary key (the audit log without the moves' own entries)."""
    out = {}
    with db.engine.connect() as conn:
        for t in tables():
            rows = conn.execute(select(t).order_by(*t.primary_key.columns)).all()
            if t.name == "audit_log":
                rows = [r for r in rows if r.action != "迁移"]
            out[t.name] = [tuple(r) for r in rows]
    return out


def hashes(db: Database) -> dict[str, str]:
    store = EvidenceStore(db.data_dir)
    with db.engine.connect() as conn:
        return {sha: file_sha256(store.path_of(path))
                for sha, path in conn.execute(select(Evidence.sha256, Evidence.stored_path))}


def test_sqlite_to_server_and_back_gives_the_same_data_and_evidence(pg_cluster: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = tmp_path / "desk" / "ledger.sqlite"
    with open_database(first) as db:
        fill(db, tmp_path)
        before, files = dump(db), hashes(db)
    assert all(before[t] for t in ("account", "review", "evidence_link", "measure", "round_figures", "audit_log"))
    url = pg_cluster.create_database("moved")
    shared = tmp_path / "share"
    monkeypatch.setenv("PGPASSWORD", APP_PASSWORD)
    report = move_ledger(first, url, shared_folder=str(shared))
    assert report.verified and report.files == 2 and report.rows["problem"] == 2
    back = tmp_path / "back" / "ledger.sqlite"
    assert move_ledger(url, back).verified
    with open_database(back) as db:
        assert dump(db) == before and hashes(db) == files   # the round trip changed nothing
    server = open_server_ledger(pg_cluster, "moved", shared)
    try:
        assert server.data_dir == shared.resolve()
        assert dump(server) == before and hashes(server) == files
        # The server ledger works on: ids go on after the copied ones, the accounts sign in.
        accounts.sign_in(server, "管理员甲", "admin-pass-1")
        [r] = rounds.list_rounds(server)
        assert problems.create_problem(server, r.id, "新问题。") == 3
    finally:
        server.close()


def test_a_move_never_writes_over_a_ledger(pg_cluster: Any, tmp_path: Path) -> None:
    src = tmp_path / "a" / "ledger.sqlite"
    with open_database(src) as db:
        fill(db, tmp_path)
    taken = tmp_path / "b" / "ledger.sqlite"
    with open_database(taken) as db:
        rounds.create_unit(db, "另一个单位")
    with pytest.raises(MoveError, match="已存在"):
        move_ledger(src, taken)
    pg_cluster.create_database("busy")
    with open_server_ledger(pg_cluster, "busy", tmp_path / "s") as server:
        rounds.create_unit(server, "服务器上的单位")
        with pytest.raises(MoveError, match="已有数据"):
            from app.ledger_move import copy_ledger

            with open_database(src) as db:
                copy_ledger(db, server)
        assert [u.name for u in rounds.list_units(server)] == ["服务器上的单位"]


def test_an_altered_evidence_file_stops_the_move_before_any_row(pg_cluster: Any, tmp_path: Path) -> None:
    src = tmp_path / "a" / "ledger.sqlite"
    with open_database(src) as db:
        fill(db, tmp_path)
        [stored] = [p for p in EvidenceStore(db.data_dir).stored_files().values()][:1]
    stored.write_bytes(b"%PDF-1.4 tampered")
    pg_cluster.create_database("clean")
    from app.ledger_move import copy_ledger, is_empty

    with open_server_ledger(pg_cluster, "clean", tmp_path / "s") as server, open_database(src) as db:
        with pytest.raises(MoveError, match="SHA-256"):
            copy_ledger(db, server)
        assert is_empty(server)


def test_one_backup_archive_restores_into_either_engine(pg_cluster: Any, tmp_path: Path) -> None:
    pg_cluster.create_database("origin")
    with open_server_ledger(pg_cluster, "origin", tmp_path / "share") as server:
        fill(server, tmp_path)
        before, files = dump(server), hashes(server)
        archive = write_backup(server, tmp_path / "server-backup.zip")
    # … into a desk's SQLite file …
    desk = tmp_path / "desk" / "ledger.sqlite"
    restore_backup(archive, desk)
    with open_database(desk) as db:
        restored = dump(db)
        assert hashes(db) == files
    assert {k: v for k, v in restored.items() if k != "audit_log"} == \
        {k: v for k, v in before.items() if k != "audit_log"}
    # … and into an empty database on the server.
    pg_cluster.create_database("restored")
    with open_server_ledger(pg_cluster, "restored", tmp_path / "share2") as server:
        report = restore_into_server(archive, server)
        assert report.verified and hashes(server) == files
        assert {k: v for k, v in dump(server).items() if k != "audit_log"} == \
            {k: v for k, v in before.items() if k != "audit_log"}


def test_the_command_line_moves_a_ledger(pg_cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a" / "ledger.sqlite"
    with open_database(src) as db:
        fill(db, tmp_path)
    url = pg_cluster.create_database("bycli")
    monkeypatch.setenv("PGPASSWORD", APP_PASSWORD)
    assert run(["migrate-ledger", str(src), url, "--shared-folder", str(tmp_path / "share")]) == 0
    out = capsys.readouterr().out
    assert "SHA-256 与台账记录一致" in out and "佐证材料：2 个文件" in out
    assert run(["list", "rounds", "--db", url]) == 0
    assert "2024年区委巡察" in capsys.readouterr().out
    assert run(["migrate-ledger", str(src), url]) == 1
    assert "已有数据" in capsys.readouterr().err


def test_server_init_then_the_desk_ledger_moves_in(pg_cluster: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The office's way: server-init makes the database and the first 管理员, the desk's ledger moves in."""
    src = tmp_path / "a" / "ledger.sqlite"
    with open_database(src) as db:
        fill(db, tmp_path)
        before = dump(db)
    url = pg_cluster.url("office")
    monkeypatch.setenv("PGPASSWORD", APP_PASSWORD)
    monkeypatch.setenv("XUNCHA_PASSWORD", "boss-pass-1")
    assert run(["server-init", url, "--admin", "王主任", "--shared-folder", str(tmp_path / "share")]) == 0
    assert run(["server-init", url, "--admin", "别人"]) == 1
    assert "已经设置过管理员" in capsys.readouterr().err
    assert run(["migrate-ledger", str(src), url]) == 0
    assert "保留目标的账户" in capsys.readouterr().out
    with open_server_ledger(pg_cluster, "office", tmp_path / "share") as server:
        assert [a.name for a in accounts.list_accounts(server)] == ["王主任"]
        moved = dump(server)
        assert {k: v for k, v in moved.items() if k not in ("account", "audit_log")} == \
            {k: v for k, v in before.items() if k not in ("account", "audit_log")}
    monkeypatch.setenv("XUNCHA_PASSWORD", "clerk-pass-1")
    assert run(["account", "add", "张三", "--role", "录入员", "--db", url]) == 1   # nobody signed in
    assert "请先登录" in capsys.readouterr().err
    monkeypatch.setenv("XUNCHA_PASSWORD", "boss-pass-1")
    assert run(["account", "add", "张三", "--role", "录入员", "--db", url, "--user", "王主任"]) == 0
    assert run(["account", "list", "--db", url]) == 0
    assert "张三\t录入员" in capsys.readouterr().out
