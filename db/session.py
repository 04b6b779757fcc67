"""Opening a ledger database: engine, pragmas, the instance lock, migrations, units of work."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from db.audit import install_audit
from db.errors import DatabaseCorrupt, StorageError, translate_sqlite_error
from db.lock import InstanceLock
from db.migrate import upgrade_to_head

EVIDENCE_DIRNAME = "evidence"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")  # a committed change survives power loss, not only a crash
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


class Database:
    """One open ledger: the SQLite file, its evidence folder beside it, and the instance lock."""

    def __init__(self, path: Path | str, *, lock: bool = True) -> None:
        self.path = Path(path).resolve()
        self.data_dir = self.path.parent
        self.evidence_dir = self.data_dir / EVIDENCE_DIRNAME
        self._lock = InstanceLock(self.path) if lock else None
        self.engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None

    # -- life cycle -------------------------------------------------------
    def open(self) -> Database:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self._lock:
            self._lock.acquire()
        try:
            _check_is_sqlite(self.path)
            # Worker threads (evidence copying, exports) use the engine too; the pool hands each thread its own connection.
            self.engine = create_engine(f"sqlite:///{self.path}", connect_args={"check_same_thread": False})
            event.listen(self.engine, "connect", _on_connect)
            upgrade_to_head(self.engine, self.path)
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            install_audit(self._sessions)
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None
        if self._lock:
            self._lock.release()

    def __enter__(self) -> Database:
        return self if self.engine is not None else self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- units of work ----------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception.

        SQLite failures the user can act on (disk full, read-only, locked,
        corrupt) are raised as `StorageError` subclasses.
        """
        if self._sessions is None:
            raise RuntimeError("database is not open")
        session = self._sessions()
        try:
            yield session
            session.commit()
        except (OperationalError, DatabaseError) as exc:
            session.rollback()
            known = translate_sqlite_error(exc)
            if known is not None:
                raise known from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end)."""
        if self._sessions is None:
            raise RuntimeError("database is not open")
        session = self._sessions()
        try:
            yield session
        except (OperationalError, DatabaseError) as exc:
            known = translate_sqlite_error(exc)
            if known is not None:
                raise known from exc
            raise
        finally:
            session.rollback()
            session.close()

    def integrity_check(self) -> list[str]:
        """`PRAGMA integrity_check`; an empty list means the file is sound."""
        assert self.engine is not None
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
            fk = list(conn.execute(text("PRAGMA foreign_key_check")))
        problems = [] if rows == ["ok"] else rows
        problems += [f"外键不一致：{tuple(r)}" for r in fk]
        return problems


def _check_is_sqlite(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as f:
        head = f.read(16)
    if head != b"SQLite format 3\x00":
        raise DatabaseCorrupt("文件头不是 SQLite 数据库")


def open_database(path: Path | str, *, lock: bool = True) -> Database:
    try:
        return Database(path, lock=lock).open()
    except StorageError:
        raise
    except (OperationalError, DatabaseError) as exc:
        raise translate_sqlite_error(exc) or DatabaseCorrupt(str(exc)) from exc
