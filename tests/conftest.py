"""Shared fixtures: a real SQLite file in a temporary folder, filled through the services."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.services import categories, problems, rounds  # noqa: E402
from db.session import Database, open_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
TODAY = dt.date(2024, 6, 10)


# -- both engines through one fixture ---------------------------------------------------------------------
# The tests of tests/db and tests/app that use `db` run twice: on a SQLite file and on a ledger on a real
# PostgreSQL server (a throwaway cluster per test session, `tests/pgserver.py`). Tests about SQLite files
# themselves (the instance lock, WAL, killing a writer, copying the file) are marked `sqlite_only`.
BOTH_ENGINES = ("tests/db/", "tests/app/")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    where = Path(str(metafunc.definition.path)).relative_to(ROOT).as_posix()
    if where.startswith(BOTH_ENGINES):
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    """One PostgreSQL cluster for the whole test session (skipped without the server, an error in CI)."""
    from tests import pgserver

    try:
        cluster = pgserver.start_cluster()
    except pgserver.NoServer as exc:
        if pgserver.required():
            pytest.fail(f"PostgreSQL is required here ({pgserver.REQUIRE_ENV}=1) but: {exc}", pytrace=False)
        pytest.skip(f"no PostgreSQL server: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_ledger(pg_cluster: Any) -> str:
    """The name of a database migrated to head once; each test empties it (`_reset`)."""
    from db.server import ServerDatabase
    from tests.pgserver import APP_PASSWORD

    pg_cluster.create_database("ledger")
    ServerDatabase(pg_cluster.url("ledger"), password=APP_PASSWORD).open().close()
    return "ledger"


def _reset(cluster: Any, database: str) -> None:
    """Empty every table (the audit log's guard triggers are bypassed as a replica would) and restart ids."""
    with cluster.admin(database) as conn:
        tables = [r[0] for r in conn.execute(
            "select tablename from pg_tables where schemaname = 'public' and tablename <> 'alembic_version'")]
        conn.execute("set session_replication_role = replica")
        conn.execute("truncate " + ", ".join(f'"{t}"' for t in tables) + " restart identity cascade")
        conn.execute("set session_replication_role = default")
        conn.execute("insert into ledger_state (id, change_no, shared_folder) values (1, 0, '')")


def open_server_ledger(cluster: Any, database: str, folder: Path, **kw: Any) -> Database:
    from db.server import ServerDatabase
    from db.target import parse_server
    from tests.pgserver import APP_PASSWORD

    address = replace(parse_server(cluster.url(database)), evidence_dir=str(folder))
    return ServerDatabase(address, password=kw.pop("password", APP_PASSWORD), **kw).open()


def cli_target(db: Database, monkeypatch: pytest.MonkeyPatch) -> str:
    """What `--db` says for this ledger on the command line (a server's password through PGPASSWORD)."""
    if db.is_server:
        from tests.pgserver import APP_PASSWORD

        monkeypatch.setenv("PGPASSWORD", APP_PASSWORD)
        return str(replace(db.address, evidence_dir=str(db.data_dir)).url)  # type: ignore[attr-defined]
    return str(db.path)


@pytest.fixture
def db(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    if engine == "postgresql":
        cluster, name = request.getfixturevalue("pg_cluster"), request.getfixturevalue("pg_ledger")
        _reset(cluster, name)
        database = open_server_ledger(cluster, name, tmp_path / "shared")
    else:
        database = open_database(tmp_path / "ledger.sqlite")
    yield database
    database.close()


@pytest.fixture
def seeded(db: Database) -> dict[str, int]:
    """One unit, one round, 方面 → 项 → three problems."""
    unit = rounds.create_unit(db, "某区行政审批服务局", signature="中共某区行政审批服务局党组")
    r = rounds.create_round(db, unit.id, "2024年区委巡察", inspection_group="区委第三巡察组", deciding_body="区委",
                            inspection_start=dt.date(2024, 3, 1), inspection_end=dt.date(2024, 4, 30),
                            feedback_date=dt.date(2024, 5, 10), rectification_end=dt.date(2024, 8, 10))
    aspect = categories.add_category(db, r.id, "政治建设方面")
    item = categories.add_category(db, r.id, "理论学习不深入", parent_id=aspect.id)
    p1 = problems.create_problem(db, r.id, "学习计划性不强。", category_id=item.id, departments="办公室",
                                 leaders="王局长", deadline=dt.date(2024, 6, 5))
    p2 = problems.create_problem(db, r.id, "研讨不深入。", category_id=item.id, departments="办公室、审批科",
                                 leaders="李副局长", deadline=dt.date(2024, 6, 15))
    p3 = problems.create_problem(db, r.id, "制度不健全。", category_id=aspect.id, departments="审批科",
                                 leaders="李副局长", deadline=dt.date(2024, 9, 1))
    return dict(unit=unit.id, round=r.id, aspect=aspect.id, item=item.id, p1=p1, p2=p2, p3=p3)


def make_pdf(path: Path, pages: int = 1, text: str = "evidence") -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(pages):
        c.drawString(100, 700, f"{text} page {i + 1}")
        c.showPage()
    c.save()
    return path
