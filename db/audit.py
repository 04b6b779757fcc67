"""Audit log written by the ORM itself, in the same transaction as the change.

Every insert, update and delete of a domain row becomes audit rows (entity,
field, old and new value, the OS user), so no service can forget to log.
"""
from __future__ import annotations

import datetime as dt
import getpass
import json
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from db.models import AuditEntry, Base

_INSERT, _UPDATE, _DELETE = "新建", "修改", "删除"
MASK = "******"


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some service accounts)
        return "未知用户"


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


def _rows_for(session: Session) -> list[dict[str, Any]]:
    user = session.info.get("audit_user") or current_user()
    now = dt.datetime.now().replace(microsecond=0)
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: Base, field: str = "", old: str | None = None, new: str | None = None) -> None:
        rows.append(dict(at=now, user=user, action=action, entity=obj.__tablename__,
                         entity_id=_identity(obj), field=field, old_value=old, new_value=new))

    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            add(_INSERT, obj, new=json.dumps(_columns(obj), ensure_ascii=False))
    for obj in session.dirty:
        if not isinstance(obj, Base) or isinstance(obj, AuditEntry) or not session.is_modified(obj):
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
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            add(_DELETE, obj, old=json.dumps(_columns(obj), ensure_ascii=False))
    return rows


def install_audit(factory: sessionmaker[Session]) -> None:
    # In after_flush the session still shows its pre-flush new/dirty/deleted
    # lists and attribute history, and new rows already have their ids; the
    # audit rows go through the same connection, so they commit or roll back
    # together with the change.
    @event.listens_for(factory, "after_flush")
    def _write(session: Session, _ctx: Any) -> None:
        rows = _rows_for(session)
        if rows:
            session.connection().execute(insert(AuditEntry), rows)
