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
    start = _start(rows, version)
    labels = labels or {}
    return [Change(a.at, a.user, a.field, labels[a.field][1] if a.field in labels else a.field,
                   a.old_value, a.new_value)
            for a in rows[start:] if a.field and a.field != VERSION]


def _start(rows: list[AuditEntry], version: int) -> int:
    """Where the changes after `version` begin among a row's audit entries (oldest first).

    Each saved change ends with the entry that records its new version (`db/guards.py`). Rows saved
    before the program recorded versions have no such entry: then the changes are taken from the first
    save after `version` that has one (its own entries share its time), or else the latest save."""
    marks = [(n, int(a.new_value)) for n, a in enumerate(rows)
             if a.field == VERSION and a.new_value and a.new_value.isdigit()]
    for n, v in marks:
        if v == version:
            return n + 1
    if version <= 1:
        return next((n + 1 for n, a in enumerate(rows) if a.action == "新建"), 0)
    later = [n for n, v in marks if v > version]
    end = later[0] if later else len(rows)
    if end == 0:
        return 0
    when = rows[end].at if later else rows[-1].at   # that save's own entries were written at its time
    start = end
    while start > 0 and rows[start - 1].field != VERSION and rows[start - 1].at == when:
        start -= 1
    return start


def check_version(s: Session, obj: Any, expected: int | None, what: str,
                  labels: Mapping[str, tuple[Any, str]] | None = None) -> None:
    """Refuse with `EditConflict` if `obj` is no longer at the version the clerk's form showed."""
    if expected is None or obj.version == expected:
        return
    raise EditConflict(what, changes_since(s, obj.__tablename__, obj.id, expected, labels), obj.version)
