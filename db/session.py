"""Opening a ledger database: engine, pragmas, the instance lock, migrations, units of work.

SQLAlchemy and the mapped classes take about half a second to import, longer than Qt itself. An
up-to-date database is therefore opened without them: `open()` takes the lock and checks the file
and its schema revision with the standard `sqlite3` module, and the engine is made on first use
(`transaction()`, `reading()`, `engine`). The window reads its first screen through `raw_reading()`
in the meantime (see `app/services/reading.py`) and loads the rest once it is painted.
"""
from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import DatabaseCorrupt, ReadOnlyFolder, StorageError, changed_meanwhile, translate_sqlite_error
from db.leftovers import clean_leftovers
from db.lock import InstanceLock
from db.migrate import HEAD_REVISION, stored_revision
from db.reader import Reader, SqliteReader
from db.target import ServerAddress, is_server

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

EVIDENCE_DIRNAME = "evidence"
PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",  # a committed change survives power loss, not only a crash
    "PRAGMA busy_timeout=5000",
)
READ_ONLY_PRAGMAS = ("PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000")


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    for pragma in PRAGMAS:
        cur.execute(pragma)
    cur.close()


def connect_read_only(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A connection that never writes, for a database in a folder we cannot write, a staged copy or
    a safety copy (`immutable`: no -wal/-shm is made beside it; nobody else writes such a file).

    A WAL database can be read with `mode=ro` only while its -shm file exists; otherwise it is
    opened `immutable` (no locks, no WAL): a read-only folder has no writer to race with."""
    uri = Path(path).resolve().as_uri()
    if not immutable:
        try:
            conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("select count(*) from sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
    conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    for pragma in READ_ONLY_PRAGMAS:
        conn.execute(pragma)
    return conn


def _is_driver_error(exc: BaseException) -> bool:
    """An SQLite failure, raised by sqlite3 or wrapped by SQLAlchemy (checked only if it is loaded)."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return isinstance(exc, sqlite3.DatabaseError) or (sa_exc is not None and isinstance(exc, sa_exc.DatabaseError))


@contextmanager
def _in_words(translate: Callable[[BaseException], StorageError | None] = translate_sqlite_error) -> Iterator[None]:
    """SQLite failures a clerk can act on (disk full, read-only, locked, corrupt) leave as `StorageError`s;
    so does a save that finds its row changed meanwhile by another clerk (`db/versions.py`)."""
    try:
        yield
    except BaseException as exc:
        known = translate(exc) if _is_driver_error(exc) else changed_meanwhile(exc)
        if known is not None:
            raise known from exc
        raise


class Database:
    """One open ledger: the SQLite file, its evidence folder beside it, and the instance lock.

    `db/server.py` subclasses it for a ledger on a PostgreSQL server (no lock, many programs at once)."""

    is_server = False
    dialect = "sqlite"
    translate = staticmethod(translate_sqlite_error)

    def __init__(self, path: Path | str, *, lock: bool = True) -> None:
        self.path = Path(path).resolve()
        self.data_dir = self.path.parent
        self.evidence_dir = self.data_dir / EVIDENCE_DIRNAME
        self._lock = InstanceLock(self.path) if lock else None
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._opened = False
        self._engine_guard = threading.Lock()  # a worker thread may be the first to need the engine
        # Writes that must not interleave within this process (storing evidence and the rows that
        # point at it, emptying the recycle bin): one at a time. Other processes are kept out by the lock.
        self.write_lock = threading.RLock()
        self.read_only = False  # a folder or file we cannot write: the ledger can be read, not changed
        self.clerk = ""  # the clerk's name (from the program's settings): signs the audit log and notes
        self.account: Any = None  # the signed-in account (`app/services/accounts.py`), None on a desk without accounts
        self.accounts_in_use: bool | None = None  # None: not asked yet (`db/guards.py`)

    # -- life cycle -------------------------------------------------------
    def open(self) -> Database:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ReadOnlyFolder(str(self.data_dir), "无法创建数据文件夹") from exc
        if self._lock:
            self._lock.acquire()
        try:
            self.read_only = _read_only(self.path, self._lock)
            _check_is_sqlite(self.path)
            if self.read_only:
                self._open_read_only()
                return self
            clean_leftovers(self.path)
            self._opened = True
            if stored_revision(self.path) != HEAD_REVISION:
                self.start_engine()  # a new file or an older schema: migrate now, before anything reads it
        except BaseException as exc:
            self.close()
            if isinstance(exc, StorageError) or not _is_driver_error(exc):
                raise
            raise translate_sqlite_error(exc) or DatabaseCorrupt(str(exc)) from exc
        return self

    def _open_read_only(self) -> None:
        if not self.path.exists() or self.path.stat().st_size == 0:
            raise ReadOnlyFolder(str(self.data_dir), "无法在其中新建数据库")
        with closing(connect_read_only(self.path)) as conn:
            has = conn.execute("select 1 from sqlite_master where type='table' and name='alembic_version'").fetchone()
            row = conn.execute("select version_num from alembic_version").fetchone() if has else None
        if row is None or str(row[0]) != HEAD_REVISION:
            from db.migrate import known_revision

            if row is not None and not known_revision(str(row[0])):
                from db.errors import DatabaseTooNew

                raise DatabaseTooNew(str(row[0]))
            raise ReadOnlyFolder(str(self.data_dir), "数据库需要升级到本程序的格式，但无法写入")
        self._opened = True

    def signer(self) -> str:
        """Who signs the audit log and notes: the signed-in account, else the clerk's configured name."""
        return str(self.account.name) if self.account is not None else self.clerk

    def describe(self) -> str:
        """Where the ledger is, for titles and messages."""
        return str(self.path)

    @property
    def is_open(self) -> bool:
        return self._opened

    @property
    def engine_loaded(self) -> bool:
        return self._engine is not None

    @property
    def engine(self) -> Engine:
        return self.start_engine()

    def start_engine(self) -> Engine:
        """Make the engine (importing SQLAlchemy and the mapped classes) if it is not made yet."""
        with self._engine_guard:
            if self._engine is not None:
                return self._engine
            if not self._opened:
                raise RuntimeError("database is not open")
            from sqlalchemy import create_engine, event

            from db.migrate import upgrade_to_head

            if self.read_only:
                path = self.path
                engine = create_engine("sqlite://", creator=lambda: connect_read_only(path))
                return self._take_engine(engine, None)
            # Worker threads (evidence copying, exports) use the engine too; the pool hands each thread its own
            # connection.
            engine = create_engine(f"sqlite:///{self.path}", connect_args={"check_same_thread": False})
            event.listen(engine, "connect", _on_connect)
            return self._take_engine(engine, lambda e: upgrade_to_head(e, self.path))

    def _take_engine(self, engine: Engine, upgrade: Callable[[Engine], object] | None) -> Engine:
        """Bring the schema up to date (`upgrade`; the engine is let go if that fails), then make the sessions,
        with the audit log and the guards every write goes through. Called under `_engine_guard`."""
        from sqlalchemy.orm import sessionmaker

        from db.audit import install_audit
        from db.guards import install_guards

        if upgrade is not None:
            try:
                upgrade(engine)
            except BaseException:
                engine.dispose()
                raise
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        install_audit(self._sessions, self.signer)
        install_guards(self._sessions, self)
        self._engine = engine
        return engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._sessions = None
        self._opened = False
        if self._lock:
            self._lock.release()

    def __enter__(self) -> Database:
        return self if self._opened else self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- units of work ----------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception.

        SQLite failures the user can act on (disk full, read-only, locked,
        corrupt) are raised as `StorageError` subclasses.
        """
        self.start_engine()
        assert self._sessions is not None
        session = self._sessions()
        with _in_words(self.translate):
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end)."""
        self.start_engine()
        assert self._sessions is not None
        session = self._sessions()
        with _in_words(self.translate):
            try:
                yield session
            finally:
                session.rollback()
                session.close()

    @contextmanager
    def raw_reading(self) -> Iterator[Reader]:
        """A reader for queries written in SQL (`db/reader.py`), in one read transaction.

        Before the engine is made it reads through a plain `sqlite3` connection (the first screen is
        read without importing SQLAlchemy); afterwards through one of the engine's pooled connections.
        """
        if not self._opened:
            raise RuntimeError("database is not open")
        with _in_words(self.translate):
            if self._engine is None:
                with closing(self._connect()) as conn:
                    with _read_transaction(conn):
                        yield SqliteReader(conn)
            else:
                with self._engine.connect() as sa_conn:
                    with _read_transaction(_driver(sa_conn.connection)) as conn:
                        yield SqliteReader(conn)

    def _connect(self) -> sqlite3.Connection:
        if self.read_only:
            return connect_read_only(self.path)
        conn = sqlite3.connect(self.path)
        for pragma in PRAGMAS:
            conn.execute(pragma)
        return conn

    def integrity_check(self) -> list[str]:
        """`PRAGMA integrity_check`; an empty list means the file is sound."""
        with self.raw_reading() as reader:
            rows = reader.values("PRAGMA integrity_check")
            fk = reader.rows("PRAGMA foreign_key_check")
        problems = [] if rows == ["ok"] else rows
        problems += [f"外键不一致：{tuple(r.values())}" for r in fk]
        return problems


@contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    # The sqlite3 module opens no transaction for SELECT: begin one, so that the several queries
    # of a screen see the same state.
    begun = not conn.in_transaction
    if begun:
        conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if begun and conn.in_transaction:
            conn.rollback()


def session_connection(session: Session) -> Reader:
    """A reader on a session's transaction, its pending changes flushed: SQL read queries
    (`app/services/reading.py`) run inside a unit of work and see what it wrote."""
    session.flush()
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        return SqliteReader(_driver(conn.connection))
    from db.reader import SqlAlchemyReader

    return SqlAlchemyReader(conn)


def _driver(pooled: Any) -> sqlite3.Connection:
    raw = pooled.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _read_only(path: Path, lock: InstanceLock | None) -> bool:
    """A folder (or database file) this process cannot write: a read-only share, a locked-down PC."""
    if lock is not None and not lock.writable:
        return True
    if not os.access(path.parent, os.W_OK):
        return True
    return path.exists() and not os.access(path, os.W_OK)


def _check_is_sqlite(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as f:
        head = f.read(16)
    if head != b"SQLite format 3\x00":
        raise DatabaseCorrupt("文件头不是 SQLite 数据库")


def open_database(target: Path | str | ServerAddress, *, lock: bool = True, password: str | None = None) -> Database:
    """Open a ledger: a SQLite file (`path`, with the instance lock) or a database on a PostgreSQL
    server (`postgresql://user@host/ledger`, see `db/target.py`; many programs at once)."""
    if is_server(target):
        from db.server import ServerDatabase

        return ServerDatabase(target if isinstance(target, ServerAddress) else str(target), password=password).open()
    assert not isinstance(target, ServerAddress)
    return Database(target, lock=lock).open()
