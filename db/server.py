"""A ledger on the office's PostgreSQL server: the same models, migrations and services as a desk's
SQLite file, and many programs at once (no instance lock).

- The password comes from the caller (the connection dialog) or the keyring (`db/secrets.py`).
- Opening migrates the schema inside one transaction under an advisory lock, so two programs that
  start together after an upgrade do not both migrate; PostgreSQL rolls back a failed migration whole,
  which is what the safety copy of a SQLite file is for.
- Evidence files live in the ledger's shared folder (a UNC path or a mounted share), content-addressed
  as on a desk: `data_dir` is that folder. The folder is kept in the ledger (`ledger_state`) and a
  machine may see it under another name (`?evidence=` in the address, the connection dialog).
- Failures a clerk can act on (unreachable, wrong password, no such database, refused) leave as
  `ServerError`s in Chinese; the driver's detail goes to the log only.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from db.errors import (
    DatabaseTooNew,
    LoginRefused,
    NoSuchLedger,
    PasswordNeeded,
    ServerError,
    ServerPermission,
    ServerUnreachable,
    StorageError,
    translate_server_error,
)
from db.migrate import HEAD_REVISION
from db.reader import Reader, SqlAlchemyReader
from db.secrets import stored_password
from db.session import EVIDENCE_DIRNAME, Database, _in_words
from db.target import ServerAddress, parse_server

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

log = logging.getLogger("xuncha.db")
MIGRATION_LOCK = 1_400_014  # pg_advisory_xact_lock key: one program migrates, the others wait
CONNECT_TIMEOUT = 8
SERVER_MARKER = "server-ledger"  # `path` of a server ledger: a name in its folder, never a file


def local_folder(address: ServerAddress) -> Path:
    """Where a server ledger that names no shared folder keeps its files: this machine's data folder
    (evidence attached here is seen by this machine only; the window says so)."""
    from platformdirs import user_data_path

    name = f"{address.host}_{address.port}_{address.database}".replace(":", "_").replace("/", "_")
    return user_data_path("xuncha-ledger", appauthor=False) / "servers" / name


class ServerDatabase(Database):
    is_server = True
    dialect = "postgresql"
    translate = staticmethod(translate_server_error)

    def __init__(self, target: str | ServerAddress, *, password: str | None = None,
                 evidence_dir: Path | str | None = None) -> None:
        self.address = parse_server(target)
        self._password = password
        folder = evidence_dir or self.address.evidence_dir
        self.shared_folder = bool(folder)  # False: files stay on this machine until a shared folder is set
        self._closed = False
        super().__init__(Path(folder or local_folder(self.address)) / SERVER_MARKER, lock=False)

    # -- life cycle -------------------------------------------------------
    def open(self) -> ServerDatabase:
        self._closed = False  # the caller's own open, also after a close (only a lazy start is refused)
        try:
            engine = self.start_engine()
            if not self.shared_folder:
                with engine.connect() as conn:
                    folder = _stored_folder(conn)
                if folder:
                    self.set_folder(Path(folder))
            try:
                self.data_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a share not mounted: the ledger opens, evidence is refused in words
                log.warning("shared folder %s not usable: %s", self.data_dir, exc)
        except BaseException:
            self.close()
            raise
        return self

    def set_folder(self, folder: Path) -> None:
        """Use `folder` (the ledger's shared folder as this machine sees it) for evidence and settings."""
        self.path = Path(folder).resolve() / SERVER_MARKER
        self.data_dir = self.path.parent
        self.evidence_dir = self.data_dir / EVIDENCE_DIRNAME
        self.shared_folder = True

    def start_engine(self) -> Engine:
        with self._engine_guard:
            if self._engine is not None:
                return self._engine
            if self._closed:
                raise RuntimeError("database is closed")
            engine = self._take_engine(self._make_engine(), _upgrade)
            self._opened = True
            return engine

    def _make_engine(self) -> Engine:
        from sqlalchemy import create_engine

        a = self.address
        password = self._password if self._password is not None else stored_password(a)
        args: dict[str, Any] = dict(host=a.host, port=a.port, dbname=a.database, user=a.user,
                                    connect_timeout=CONNECT_TIMEOUT, application_name="xuncha-ledger")
        if password:
            args["password"] = password
        engine = create_engine("postgresql+psycopg://", connect_args=args, pool_pre_ping=True, pool_size=4,
                               max_overflow=4)
        try:
            with engine.connect():
                pass
        except Exception as exc:
            engine.dispose()
            raise connect_error(exc, a, bool(password)) from exc
        return engine

    def close(self) -> None:
        super().close()   # no instance lock on a server ledger
        self._closed = True  # a closed ledger is not reopened behind the caller's back

    # -- reading ----------------------------------------------------------
    @contextmanager
    def raw_reading(self) -> Iterator[Reader]:
        """One read-only REPEATABLE READ transaction: the several queries of a screen or an export see
        one state of the ledger, whatever the other clerks commit meanwhile."""
        engine = self.start_engine()
        with _in_words(self.translate):
            with engine.connect() as conn:
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
                with conn.begin():
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                    yield SqlAlchemyReader(conn)

    def integrity_check(self) -> list[str]:
        """The server keeps its own pages and foreign keys sound; what can still be wrong is the schema
        (the audit log's guard triggers dropped by hand, a revision this program does not know)."""
        with self.raw_reading() as reader:
            revision = reader.scalar("select version_num from alembic_version")
            triggers = set(reader.values(
                "select tgname from pg_trigger where tgrelid = 'audit_log'::regclass and not tgisinternal"))
        problems = [] if revision == HEAD_REVISION else [f"结构版本为 {revision}，应为 {HEAD_REVISION}"]
        missing = {"audit_log_no_update", "audit_log_no_delete"} - triggers
        if missing:
            problems.append("审计日志的只读保护触发器缺失：" + "、".join(sorted(missing)))
        return problems

    def describe(self) -> str:
        return f"服务器 {self.address.host} 上的台账 {self.address.database}"


def _stored_folder(conn: Connection) -> str:
    from sqlalchemy import text

    return str(conn.execute(text("select shared_folder from ledger_state where id = 1")).scalar() or "")


def _upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision in one transaction, one program at a time."""
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if inspect(conn).has_table("alembic_version"):
            if conn.execute(text("select version_num from alembic_version")).scalar() == HEAD_REVISION:
                return
    from alembic import command
    from alembic.script import ScriptDirectory

    from db.migrate import alembic_config

    cfg = alembic_config()
    known = {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}
    with engine.begin() as conn:
        conn.execute(text("select pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        current = None
        if inspect(conn).has_table("alembic_version"):
            current = conn.execute(text("select version_num from alembic_version")).scalar()
        if current == HEAD_REVISION:
            return  # another program migrated while we waited
        if current is not None and current not in known:
            raise DatabaseTooNew(str(current))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def connect_error(exc: BaseException, a: ServerAddress, had_password: bool) -> StorageError:
    """A failed connection in words; the driver's text (which may name the server's files) only in the log."""
    log.warning("connecting to %s failed: %s", a.url, exc)
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or ""
    text = str(orig).lower()
    if state == "28P01" or "password authentication failed" in text:
        return LoginRefused(a.user) if had_password else PasswordNeeded(a.user)
    if "no password supplied" in text or "fe_sendauth" in text:
        return PasswordNeeded(a.user)
    if state == "3D000" or f'database "{a.database.lower()}" does not exist' in text:
        return NoSuchLedger(a.database)
    if state in ("28000", "42501") or "no pg_hba.conf entry" in text or "permission denied" in text:
        return ServerPermission()
    if isinstance(exc, ServerError):
        return exc
    return ServerUnreachable(a.host if a.port == 5432 else f"{a.host}:{a.port}")
