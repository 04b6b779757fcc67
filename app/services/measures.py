"""整改措施 and 进展记录 of a problem."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from app.dto import MeasureRow, ProgressRow
from app.errors import RuleViolation, ValidationError
from app.services.common import apply_changes, clerk, load, load_any, move_in_list, now, require_text
from app.services.conflicts import check_version
from app.services.problems import DeletedRow
from db.models import EvidenceLink, Measure, Problem, ProgressEntry, Round, Status
from db.session import Database

MEASURE_FIELDS: dict[str, tuple[type, str]] = {
    "text": (str, "措施内容"), "owner": (str, "负责人"), "deadline": (dt.date, "完成时限"),
    "status": (Status, "措施状态"), "completed_on": (dt.date, "完成日期"),
}


def _row(m: Measure, number: int) -> MeasureRow:
    return MeasureRow(m.id, m.problem_id, number, m.text, m.owner, m.deadline, m.status, m.completed_on, m.version)


def _siblings(s: Any, problem_id: int) -> list[Measure]:
    """The problem's measures in order, those deleted softly included (they keep their places)."""
    return list(s.scalars(select(Measure).where(Measure.problem_id == problem_id)
                          .order_by(Measure.position, Measure.id)))


def _live(measures: list[Measure]) -> list[Measure]:
    return [m for m in measures if m.deleted_at is None]


def _settle_completion(m: Measure) -> None:
    # A measure marked done gets today's date unless one was given; reopening clears it.
    if m.status.is_done and m.completed_on is None:
        m.completed_on = dt.date.today()
    elif not m.status.is_done:
        m.completed_on = None


def add_measure(db: Database, problem_id: int, text: str, index: int | None = None, **fields: Any) -> int:
    with db.transaction() as s:
        load(s, Problem, problem_id)
        m = Measure(problem_id=problem_id, text=require_text(text, "措施内容"), status=Status.NOT_STARTED,
                    position=0, owner="")
        apply_changes(m, fields, MEASURE_FIELDS)
        _settle_completion(m)
        s.add(m)
        siblings = _siblings(s, problem_id)
        move_in_list(siblings, m, len(siblings) if index is None else index)
        s.flush()
        return m.id


def update_measure(db: Database, measure_id: int, expected_version: int | None = None, **changes: Any) -> MeasureRow:
    """`expected_version`: the version the clerk's form showed (see `app/services/conflicts.py`)."""
    with db.transaction() as s:
        m = load(s, Measure, measure_id)
        check_version(s, m, expected_version, "整改措施", MEASURE_FIELDS)
        apply_changes(m, changes, MEASURE_FIELDS)
        m.text = require_text(m.text, "措施内容")
        if m.status == Status.PENDING_REVIEW:
            raise ValidationError("整改措施没有“待销号”状态。", "status")
        _settle_completion(m)
        return _row(m, _live(_siblings(s, m.problem_id)).index(m) + 1)


def move_measure(db: Database, measure_id: int, index: int) -> None:
    with db.transaction() as s:
        m = load(s, Measure, measure_id)
        move_in_list(_siblings(s, m.problem_id), m, index)


def delete_measure(db: Database, measure_id: int) -> None:
    """Delete a measure softly: hidden, kept in its place with the progress notes and evidence that name
    it, so `restore_measure` (undo) puts it back whole; the recycle bin purges it."""
    with db.transaction() as s:
        load(s, Measure, measure_id).deleted_at = now()


def restore_measure(db: Database, measure_id: int) -> None:
    with db.transaction() as s:
        m = load_any(s, Measure, measure_id)
        load(s, Problem, m.problem_id)
        if m.deleted_at is None:
            raise RuleViolation("该措施没有被删除，无需恢复。")
        m.deleted_at = None


def purge_measures(db: Database, measure_ids: list[int]) -> int:
    """Delete measures in the recycle bin for good. The progress notes and evidence that named one stay
    with its problem (as the clerk saw them after the delete); every change is in the audit log."""
    with db.transaction() as s:
        for mid in measure_ids:
            m = load_any(s, Measure, mid)
            if m.deleted_at is None:
                raise RuleViolation("只能彻底删除回收站中的措施。")
            for entry in s.scalars(select(ProgressEntry).where(ProgressEntry.measure_id == mid)):
                entry.measure_id = None
            for link in s.scalars(select(EvidenceLink).where(EvidenceLink.measure_id == mid)):
                twin = s.scalar(select(EvidenceLink).where(
                    EvidenceLink.evidence_id == link.evidence_id, EvidenceLink.problem_id == link.problem_id,
                    EvidenceLink.measure_id.is_(None)))
                if twin is None:
                    link.measure_id = None
                else:  # the problem already holds the file itself
                    if twin.removed_at is not None and link.removed_at is None:
                        twin.removed_at = None
                    s.delete(link)
            s.flush()
            s.delete(m)
    return len(measure_ids)


def deleted_measures(db: Database) -> list[DeletedRow]:
    """Measures in the recycle bin whose problem is not itself deleted, most recent first."""
    with db.reading() as s:
        rows = s.execute(select(Measure.id, Round.title, Measure.text, Measure.deleted_at)
                         .join(Problem, Problem.id == Measure.problem_id).join(Round, Round.id == Problem.round_id)
                         .where(Measure.deleted_at.is_not(None), Problem.deleted_at.is_(None))
                         .order_by(Measure.deleted_at.desc(), Measure.id))
        return [DeletedRow("整改措施", mid, title, text, at or now()) for mid, title, text, at in rows]


def list_measures(db: Database, problem_id: int) -> list[MeasureRow]:
    with db.reading() as s:
        load(s, Problem, problem_id)
        return [_row(m, i) for i, m in enumerate(_live(_siblings(s, problem_id)), 1)]


# -- progress log ------------------------------------------------------------
def log_progress(db: Database, problem_id: int, note: str, entry_date: dt.date | None = None,
                 author: str | None = None, measure_id: int | None = None) -> int:
    with db.transaction() as s:
        load(s, Problem, problem_id)
        if measure_id is not None and load(s, Measure, measure_id).problem_id != problem_id:
            raise ValidationError("该措施不属于这个问题。", "measure_id")
        e = ProgressEntry(problem_id=problem_id, measure_id=measure_id, note=require_text(note, "进展内容"),
                          entry_date=entry_date or dt.date.today(), author=author or clerk(db))
        s.add(e)
        s.flush()
        return e.id


def update_progress(db: Database, entry_id: int, note: str, entry_date: dt.date | None = None) -> None:
    with db.transaction() as s:
        e = load(s, ProgressEntry, entry_id)
        e.note = require_text(note, "进展内容")
        if entry_date is not None:
            e.entry_date = entry_date


def delete_progress(db: Database, entry_id: int) -> None:
    with db.transaction() as s:
        s.delete(load(s, ProgressEntry, entry_id))


def list_progress(db: Database, problem_id: int) -> list[ProgressRow]:
    """Newest first."""
    with db.reading() as s:
        rows = s.scalars(select(ProgressEntry).where(ProgressEntry.problem_id == problem_id)
                         .order_by(ProgressEntry.entry_date.desc(), ProgressEntry.id.desc()))
        return [ProgressRow(e.id, e.problem_id, e.measure_id, e.entry_date, e.author, e.note) for e in rows]


def problem_of_measure(db: Database, measure_id: int) -> int:
    with db.reading() as s:
        return load(s, Measure, measure_id).problem_id
