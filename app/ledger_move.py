"""Moving a whole ledger between a desk's SQLite file and the office's PostgreSQL server (either way):
every row of every table, the evidence files with their SHA-256 checked on arrival, in one go.

`main.py migrate-ledger SRC DEST` and the window's 迁移台账 use `move_ledger`; a server ledger's backup
is a move into a SQLite file inside the usual backup archive (`snapshot_to_sqlite`), and restoring an
archive into a server ledger is a move out of the archive's file (`app/server_restore.py`).

- The source is read in one read transaction (REPEATABLE READ on the server; the desk's file is held by
  its instance lock): the copy is one state of the ledger.
- The destination must be empty (a new file, or a server database holding no ledger yet); its rows are
  written in one transaction with their own ids, through Core inserts (not the ORM: nothing is
  re-signed or audited row by row; the move itself is one audit entry). Rows that point at rows of
  their own table (a category's parent, a round's earlier round) are linked after the table is in.
- Evidence files are copied first, byte for byte (content-addressed, so a repeat finds them there),
  each one's hash compared with the ledger's on the way; a missing or altered file stops the move
  before any row is written. Afterwards every row count and every stored file's hash is checked again.
"""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text, update

from app.durable import copy_hashing
from app.errors import LedgerError
from app.evidence_store import EvidenceStore, file_sha256, os_words
from db.models import Account, AuditEntry, Base, Evidence, LedgerState
from db.session import Database, open_database
from db.target import describe, is_server, parse_server

Progress = Callable[[int, int, str], None]
BATCH = 1000
_SKIPPED = {LedgerState.__tablename__}
_UNLIMITED = 1 << 62


class MoveError(LedgerError):
    """The ledger could not be moved; the destination holds no rows of it."""


@dataclass
class MoveReport:
    source: str
    dest: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    verified: bool = False
    kept_accounts: bool = False
    already: dict[str, int] = field(default_factory=dict)  # rows the destination had (its accounts, their log)

    def lines(self) -> list[str]:
        total = sum(self.rows.values())
        out = [f"已把台账从 {self.source} 迁移到 {self.dest}。",
               f"数据：{len(self.rows)} 张表，共 {total} 行；佐证材料：{self.files} 个文件，"
               f"{self.bytes / 1048576:.1f} MB。"]
        if self.verified:
            out.append("核对：每张表的行数一致，每个佐证材料文件的 SHA-256 与台账记录一致。")
        if self.kept_accounts:
            out.append("目标台账已有账户（如 server-init 创建的管理员），保留目标的账户，未迁入源台账的账户。")
        return out


def tables() -> list[Table]:
    """The ledger's tables, each after the tables it refers to."""
    return [t for t in Base.metadata.sorted_tables if t.name not in _SKIPPED]


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    """One read transaction on the source: every table read from the same state."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            yield conn


def _count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


_SET_UP = (Account.__tablename__, AuditEntry.__tablename__)  # what `server-init` writes into a new ledger


def is_empty(db: Database) -> bool:
    """Whether `db` holds no ledger yet: a new file, or a server database that has at most its accounts
    and their audit entries (`server-init` makes the first 管理员 before the office moves its ledger in)."""
    with db.engine.connect() as conn:
        return all(_count(conn, t) == 0 for t in tables() if t.name not in _SET_UP)


def _has_accounts(db: Database) -> bool:
    with db.engine.connect() as conn:
        return _count(conn, Account.__table__) > 0  # type: ignore[arg-type]


def copy_ledger(src: Database, dst: Database, progress: Progress | None = None, *, note: str = "") -> MoveReport:
    """Copy everything of `src` into the empty `dst` (both open), evidence files included."""
    report = MoveReport(_where(src), _where(dst))
    if not is_empty(dst):
        raise MoveError(f"目标台账 {report.dest} 中已有数据。迁移只能写入一个空的台账（新文件，或服务器上新建的空数据库），"
                        "以免覆盖别人的工作。")
    keep_accounts = _has_accounts(dst)  # the destination's own accounts stay; the source's are not added
    with dst.engine.connect() as conn:
        report.already = {t.name: _count(conn, t) for t in tables() if t.name in _SET_UP}
    with _snapshot(src) as read:
        _copy_files(read, src, dst, report, progress)
        with dst.engine.begin() as write:
            for n, table in enumerate(tables(), 1):
                if keep_accounts and table.name == Account.__tablename__:
                    report.kept_accounts = True
                    continue
                # After the destination's own audit entries, the source's follow in their order, numbered anew.
                fresh_ids = keep_accounts and table.name == AuditEntry.__tablename__
                report.rows[table.name] = _copy_table(read, write, table, fresh_ids=fresh_ids)
                if progress:
                    progress(n, len(tables()), f"表 {table.name}")
            _after_ids(write)
            write.execute(insert(AuditEntry), [dict(
                at=dt.datetime.now().replace(microsecond=0), user=_who(src), action="迁移", entity="ledger",
                entity_id="", field="", old_value=report.source, new_value=note or report.dest)])
            report.rows[AuditEntry.__tablename__] += 1
    _verify(dst, report)
    return report


def _who(db: Database) -> str:
    account = getattr(db, "account", None)
    return str(getattr(account, "name", "") or "迁移台账")


def _where(db: Database) -> str:
    return db.describe() if hasattr(db, "describe") and db.is_server else str(db.path)


def _copy_table(read: Connection, write: Connection, table: Table, fresh_ids: bool = False) -> int:
    pk = list(table.primary_key.columns)
    later = _self_references(table)
    links: list[dict[str, Any]] = []
    copied = 0
    result = read.execution_options(stream_results=True, yield_per=BATCH).execute(select(table).order_by(*pk))
    for part in result.mappings().partitions(BATCH):
        rows = [dict(r) for r in part]
        if fresh_ids:
            for r in rows:
                del r["id"]
        for r in rows:
            if any(r.get(c) is not None for c in later):
                links.append({**{f"k_{c.name}": r[c.name] for c in pk}, **{f"v_{c}": r[c] for c in later}})
                for c in later:
                    r[c] = None
        write.execute(insert(table), rows)
        copied += len(rows)
    if links:
        from sqlalchemy import bindparam

        stmt = update(table).where(*(c == bindparam(f"k_{c.name}") for c in pk)).values(
            {c: bindparam(f"v_{c}") for c in later})
        write.execute(stmt, links)
    return copied


def _after_ids(write: Connection) -> None:
    """PostgreSQL hands out ids from sequences: move each past the ids copied in."""
    if write.dialect.name != "postgresql":
        return
    for table in tables():
        cols = [c for c in table.primary_key.columns if c.autoincrement is True or (
            c.name == "id" and len(table.primary_key.columns) == 1)]
        for c in cols:
            write.execute(text(f"select setval(pg_get_serial_sequence('\"{table.name}\"', '{c.name}'), "
                               f"coalesce((select max(\"{c.name}\") from \"{table.name}\"), 0) + 1, false)"))


def _copy_files(read: Connection, src: Database, dst: Database, report: MoveReport,
                progress: Progress | None) -> None:
    source, target = EvidenceStore(src.data_dir, _UNLIMITED), EvidenceStore(dst.data_dir, _UNLIMITED)
    rows = read.execute(select(Evidence.sha256, Evidence.stored_path, Evidence.original_name)
                        .order_by(Evidence.id)).all()
    for n, (sha, stored_path, name) in enumerate(rows, 1):
        path = source.path_of(stored_path)
        if not path.is_file():
            raise MoveError(f"源台账缺少佐证材料文件“{name}”（{stored_path}）。请先在源台账中运行完整性检查。")
        if stored_path != target.relative_for(sha):
            raise MoveError(f"佐证材料“{name}”的存放路径与其 SHA-256 不符（{stored_path}）；迁移已停止。")
        report.files += 1
        report.bytes += _copy_file(path, target.path_of(stored_path), sha, name)
        if progress:
            progress(n, len(rows), f"佐证材料 {name}")


def _copy_file(source: Path, final: Path, sha: str, name: str) -> int:
    """Copy one stored file byte for byte, its hash checked on the way; never half a file in place."""
    if final.is_file() and file_sha256(final) == sha:
        return final.stat().st_size
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=".moving-")
    try:
        digest, size = copy_hashing(source, fd)
        if digest != sha:
            raise MoveError(f"佐证材料“{name}”的内容与台账记录的 SHA-256 不符，可能已被改动；迁移已停止。")
        os.replace(tmp_name, final)
    except OSError as exc:
        raise MoveError(f"复制佐证材料“{name}”时出错：{os_words(exc)}；迁移已停止。") from exc
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return size


def _verify(dst: Database, report: MoveReport) -> None:
    with dst.engine.connect() as conn:
        for table in tables():
            expected = report.rows.get(table.name, 0) + report.already.get(table.name, 0)
            if _count(conn, table) != expected:
                raise MoveError(f"迁移后核对失败：表 {table.name} 的行数不一致。")
        files = conn.execute(select(Evidence.sha256, Evidence.stored_path)).all()
    store = EvidenceStore(dst.data_dir)
    for sha, stored_path in files:
        if file_sha256(store.path_of(stored_path)) != sha:
            raise MoveError(f"迁移后核对失败：佐证材料 {stored_path} 的 SHA-256 不一致。")
    report.verified = True


# -- the command ------------------------------------------------------------------------------------
def open_dest(dest: Path | str, shared_folder: str = "") -> Database:
    """The destination, opened (and made): a new SQLite file, or a server database with no ledger in it."""
    if is_server(dest):
        from db.server import ServerDatabase

        db = ServerDatabase(parse_server(str(dest)), evidence_dir=shared_folder or None).open()
        if shared_folder:
            with db.engine.begin() as conn:
                conn.execute(update(LedgerState).where(LedgerState.id == 1).values(shared_folder=shared_folder))
        return db
    path = Path(dest)
    if path.exists() and path.stat().st_size > 0:
        raise MoveError(f"目标文件“{path}”已存在。迁移到文件时请给一个新文件名，以免覆盖已有的台账。")
    return open_database(path)


def move_ledger(source: Path | str, dest: Path | str, *, shared_folder: str = "",
                progress: Progress | None = None) -> MoveReport:
    """`main.py migrate-ledger SRC DEST`: the whole ledger, evidence included, verified."""
    if str(source) == str(dest):
        raise MoveError("源台账和目标台账是同一个。")
    src = open_database(source)
    try:
        dst = open_dest(dest, shared_folder)
        try:
            report = copy_ledger(src, dst, progress, note=describe(dest))
            _copy_settings(src, dst)
            return report
        finally:
            dst.close()
    finally:
        src.close()


def _copy_settings(src: Database, dst: Database) -> None:
    """The office's settings file (fonts, limits) goes along when the destination has none."""
    from app import local_settings

    mine, theirs = src.data_dir / local_settings.FILE, dst.data_dir / local_settings.FILE
    if mine.exists() and not theirs.exists() and mine != theirs:
        shutil.copyfile(mine, theirs)


def snapshot_to_sqlite(db: Database, path: Path) -> None:
    """A server ledger's rows in a new SQLite file (the database part of its backup archive)."""
    dst = open_database(path, lock=False)
    try:
        with _snapshot(db) as read, dst.engine.begin() as write:
            for table in tables():
                _copy_table(read, write, table)
    finally:
        dst.close()
