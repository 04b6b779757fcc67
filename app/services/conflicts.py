"""Two clerks, one problem: a save made from a form that shows an older version of the row is refused,
and the clerk is told who changed what since (from the audit log), to reload or apply their change again.

The form keeps the version it showed (`ProblemRow.version`) and passes it back with the change
(`update_problem(…, expected_version=…)`). Each saved change moves the version on and the audit log
records that (`db/guards.py`), so the changes since the version the clerk saw are the audit rows after
the one that set it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.edit_conflict import Change, EditConflict
from db.models import AuditEntry

VERSION = "version"


def changes_since(s: Session, entity: str, ident: int, version: int,
                  labels: Mapping[str, tuple[Any, str]] | None = None) -> list[Change]:
    """The audit log's changes of one row after it had `version`, oldest first."""
    rows = list(s.scalars(select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == str(ident))
                          .order_by(AuditEntry.id)))
    start = 0
    for n, a in enumerate(rows):
        if (a.field == VERSION and a.new_value == str(version)) or (version <= 1 and a.action == "新建"):
            start = n + 1
    labels = labels or {}
    return [Change(a.at, a.user, a.field, labels[a.field][1] if a.field in labels else a.field,
                   a.old_value, a.new_value)
            for a in rows[start:] if a.field and a.field != VERSION]


def check_version(s: Session, obj: Any, expected: int | None, what: str,
                  labels: Mapping[str, tuple[Any, str]] | None = None) -> None:
    """Refuse with `EditConflict` if `obj` is no longer at the version the clerk's form showed."""
    if expected is None or obj.version == expected:
        return
    raise EditConflict(what, changes_since(s, obj.__tablename__, obj.id, expected, labels), obj.version)
