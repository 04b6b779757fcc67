"""Alembic run from code on every open: safety copy first, refuse a newer schema."""
from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING

from db.errors import DatabaseTooNew

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
# The newest revision in migrations/versions; a test keeps it equal to Alembic's head, so that
# opening an up-to-date database needs no Alembic import (a third of a second at every start).
HEAD_REVISION = "0008"


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revision(revision: str) -> bool:
    """Whether this program's migrations know `revision` (an unknown one is from a newer program)."""
    if revision == HEAD_REVISION:
        return True
    from alembic.script import ScriptDirectory

    return revision in {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def stored_revision(db_path: Path) -> str | None:
    """The schema revision recorded in the file, read with sqlite3 alone (None: new or unversioned)."""
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    with closing(sqlite3.connect(db_path)) as conn:
        conn.execute("PRAGMA busy_timeout=5000")
        if conn.execute("select 1 from sqlite_master where type='table' and name='alembic_version'").fetchone() is None:
            return None
        row = conn.execute("select version_num from alembic_version").fetchone()
        return str(row[0]) if row else None


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("select version_num from alembic_version")).scalar()


def upgrade_to_head(engine: Engine, db_path: Path) -> Path | None:
    """Bring the schema to the newest revision. Returns the safety copy's path, if one was made."""
    from sqlalchemy import inspect

    current = current_revision(engine)
    if current == HEAD_REVISION:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseTooNew(current)
    backup = None
    with engine.connect() as conn:
        has_tables = bool(inspect(conn).get_table_names())
    if has_tables:
        backup = safety_copy(db_path, current or "unversioned")
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return backup


def safety_copy(db_path: Path, label: str) -> Path:
    """A consistent copy of the database (SQLite backup API), kept beside it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.stem}.before-upgrade-{label}-{stamp}{db_path.suffix}")
    src = sqlite3.connect(db_path)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target
