"""Audit log written by the ORM itself, in the same transaction as the change.

Every insert, update and delete of a domain row becomes audit rows (entity, field, old and new
value, the clerk's name), so no service can forget to log. A delete also logs every row the
database removes or clears with it through its foreign keys (`ON DELETE CASCADE` / `SET NULL`):
those rows are read before the flush, while they are still there.

The name comes from the `user` callable given to `install_audit` (the clerk's name kept in the
program's settings); never from the environment, which anyone can set.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import ForeignKey, Table, event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from db.models import AuditEntry, Base

_INSERT, _UPDATE, _DELETE = "新建", "修改", "删除"
MASK = "******"
UNSIGNED = "未署名"
_CASCADED = "audit_cascaded"  # session.info key: rows read before the flush, written after it


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _masked(attr: Any) -> bool:
    """A column kept out of the log (a password hash): the log says it changed, not to what."""
    return bool(attr.columns[0].info.get("audit") == "masked")


def _columns(obj: Base) -> dict[str, str | None]:
    mapper = inspect(obj).mapper
    return {c.key: MASK if _masked(c) else _plain(getattr(obj, c.key)) for c in mapper.column_attrs}


def _identity(obj: Base) -> str:
    ident = inspect(obj).identity or inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(v) for v in ident)


def _audited(obj: object) -> bool:
    return isinstance(obj, Base) and not isinstance(obj, AuditEntry)


# -- rows the database removes or clears with a deleted row ---------------------------------------------
def _referrers(table: Table) -> Iterator[tuple[Table, ForeignKey]]:
    """Every foreign key of the schema that points at `table` and acts on delete."""
    for other in Base.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and (fk.ondelete or "").upper() in ("CASCADE", "SET NULL"):
                yield other, fk


def _key(table: Table, row: Any) -> tuple[str, str]:
    return table.name, "/".join(str(row._mapping[c]) for c in table.primary_key.columns)


def _cascaded(conn: Connection, table: Table, row: Any, seen: set[tuple[str, str]],
              add: Callable[..., None]) -> None:
    """Log what deleting `row` of `table` does to the rows referring to it, depth first."""
    for child, fk in _referrers(table):
        value = row._mapping[fk.column.name]
        if value is None:
            continue
        for dep in conn.execute(select(child).where(fk.parent == value)):
            key = _key(child, dep)
            if key in seen:
                continue
            if (fk.ondelete or "").upper() == "SET NULL":
                add(_UPDATE, child.name, key[1], fk.parent.name, _plain(value), None)
                continue
            seen.add(key)
            old = {c.name: _plain(dep._mapping[c]) for c in child.columns}
            add(_DELETE, child.name, key[1], "", json.dumps(old, ensure_ascii=False), None)
            _cascaded(conn, child, dep, seen, add)


def _cascade_rows(session: Session, user: str) -> list[dict[str, Any]]:
    deleted = [obj for obj in session.deleted if _audited(obj)]
    if not deleted:
        return []
    now = dt.datetime.now().replace(microsecond=0)
    rows: list[dict[str, Any]] = []

    def add(action: str, entity: str, ident: str, field: str, old: str | None, new: str | None) -> None:
        rows.append(dict(at=now, user=user, action=action, entity=entity, entity_id=ident, field=field,
                         old_value=old, new_value=new))

    # The ORM logs the rows it deletes itself (after the flush); the walk skips them.
    seen = {(obj.__tablename__, _identity(obj)) for obj in deleted}
    conn = session.connection()
    for obj in deleted:
        state = inspect(obj)
        table = state.mapper.local_table
        if not isinstance(table, Table) or state.identity is None:
            continue
        pk = dict(zip([c.name for c in table.primary_key.columns], state.identity, strict=True))
        stored = conn.execute(select(table).where(*(table.c[name] == v for name, v in pk.items()))).first()
        if stored is not None:  # the row as stored is what its children refer to
            _cascaded(conn, table, stored, seen, add)
    return rows


# -- the rows of one flush -----------------------------------------------------------------------------
def _rows_for(session: Session, user: str) -> list[dict[str, Any]]:
    now = dt.datetime.now().replace(microsecond=0)
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Base, field: str = "", old: str | None = None, new: str | None = None) -> None:
        rows.append(dict(at=now, user=user, action=action, entity=obj.__tablename__,
                         entity_id=_identity(obj), field=field, old_value=old, new_value=new))

    for obj in session.new:
        if _audited(obj):
            add(_INSERT, obj, new=json.dumps(_columns(obj), ensure_ascii=False))
    for obj in session.dirty:
        if not _audited(obj) or not session.is_modified(obj):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                old = _plain(hist.deleted[0]) if hist.deleted else None
                new = _plain(hist.added[0]) if hist.added else None
                if _masked(attr) and old != new:
                    old, new = MASK, MASK + " "  # changed, never shown
                if old != new:
                    add(_UPDATE, obj, attr.key, old, new)
    for obj in session.deleted:
        if _audited(obj):
            add(_DELETE, obj, old=json.dumps(_columns(obj), ensure_ascii=False))
    return rows


def install_audit(factory: sessionmaker[Session], user: Callable[[], str] = lambda: "") -> None:
    """Log every flush of the factory's sessions; `user()` names the clerk (blank: 未署名)."""

    def who() -> str:
        return (user() or "").strip() or UNSIGNED

    # Before the flush the rows a delete will take with it are still in the database: read them now.
    @event.listens_for(factory, "before_flush")
    def _read_cascades(session: Session, _ctx: Any, _instances: Any) -> None:
        session.info.setdefault(_CASCADED, []).extend(_cascade_rows(session, who()))

    # In after_flush the session still shows its pre-flush new/dirty/deleted lists and attribute
    # history, and new rows already have their ids; the audit rows go through the same connection,
    # so they commit or roll back together with the change.
    @event.listens_for(factory, "after_flush")
    def _write(session: Session, _ctx: Any) -> None:
        rows = _rows_for(session, who()) + session.info.pop(_CASCADED, [])
        if rows:
            session.connection().execute(insert(AuditEntry), rows)

    @event.listens_for(factory, "after_soft_rollback")
    def _forget(session: Session, _previous: Any) -> None:
        session.info.pop(_CASCADED, None)
