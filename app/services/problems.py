"""Problems: create, edit, move, delete, and the ledger rows with derived numbers and warnings."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto import ProblemRow
from app.errors import ValidationError
from app.services import reading
from app.services.common import apply_changes, load, move_in_list, renumber, require_text
from app.services.conflicts import check_version
from app.services.reading import list_problems as list_problems  # the one read path
from db.models import (
    Category,
    Evidence,
    EvidenceLink,
    Measure,
    Problem,
    ProgressEntry,
    Round,
    Status,
)
from db.session import Database, session_connection

PROBLEM_FIELDS: dict[str, tuple[type, str]] = {
    "text": (str, "问题内容"), "title": (str, "问题标题"), "leaders": (str, "责任领导"),
    "departments": (str, "责任部门"), "persons": (str, "责任人"), "deadline": (dt.date, "完成时限"),
    "long_term": (bool, "长期坚持"), "progress_line": (str, "整改进程"), "narrative": (str, "整改情况"),
    "internal_notes": (str, "内部备注"), "sensitive": (bool, "含人名"), "immediate": (bool, "立行立改"),
    "next_review_date": (dt.date, "下次复查日期"), "earlier_problem_id": (int, "对应的前轮问题"),
}


def problem_rows(s: Session, round_id: int, today: dt.date | None = None) -> list[ProblemRow]:
    """The ledger rows inside a unit of work (seeing what it wrote): see `app/services/reading.py`."""
    return reading.problem_rows(session_connection(s), round_id, today)


def get_problem(db: Database, problem_id: int, today: dt.date | None = None) -> ProblemRow:
    with db.reading() as s:
        p = load(s, Problem, problem_id)
        for row in problem_rows(s, p.round_id, today):
            if row.id == problem_id:
                return row
    raise AssertionError("unreachable")


def find_problem_by_number(db: Database, round_id: int, number: int) -> ProblemRow:
    rows = list_problems(db, round_id)
    if not 1 <= number <= len(rows):
        raise ValidationError(f"本轮巡察没有第 {number} 个问题（共 {len(rows)} 个）。", "number")
    return rows[number - 1]


def _problems_in(s: Session, round_id: int, category_id: int | None) -> list[Problem]:
    cond = Problem.category_id.is_(None) if category_id is None else Problem.category_id == category_id
    return list(s.scalars(select(Problem).where(Problem.round_id == round_id, cond)
                          .order_by(Problem.position, Problem.id)))


def _check_category(s: Session, round_id: int, category_id: int | None) -> None:
    if category_id is not None and load(s, Category, category_id).round_id != round_id:
        raise ValidationError("所选分类不属于本轮巡察。", "category_id")


def create_problem(db: Database, round_id: int, text: str, category_id: int | None = None,
                   index: int | None = None, **fields: Any) -> int:
    """Add a problem at the end of its category (or at `index`). Returns its id."""
    with db.transaction() as s:
        load(s, Round, round_id)
        _check_category(s, round_id, category_id)
        p = Problem(round_id=round_id, category_id=category_id, text=require_text(text, "问题内容"),
                    status=Status.NOT_STARTED, position=0)
        apply_changes(p, {k: v for k, v in fields.items() if k != "status"}, PROBLEM_FIELDS)
        if "status" in fields:
            p.status = Status(fields["status"])
        p.text = require_text(p.text, "问题内容")
        s.add(p)
        siblings = _problems_in(s, round_id, category_id)
        move_in_list(siblings, p, len(siblings) if index is None else index)
        s.flush()
        return p.id


def update_problem(db: Database, problem_id: int, expected_version: int | None = None, **changes: Any) -> None:
    """Edit a problem's fields. Status goes through `status.change_status`, never here.

    `expected_version`: the version the clerk's form showed; if another clerk saved since, nothing is
    saved and `EditConflict` says who changed what (`app/services/conflicts.py`)."""
    if "status" in changes:
        raise ValidationError("问题状态请通过“更改状态”修改，以便检查佐证材料。", "status")
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        check_version(s, p, expected_version, "问题", PROBLEM_FIELDS)
        apply_changes(p, changes, PROBLEM_FIELDS)
        p.text = require_text(p.text, "问题内容")
        if p.earlier_problem_id is not None:
            earlier = load(s, Problem, p.earlier_problem_id)
            r = load(s, Round, p.round_id)
            if earlier.round_id != r.earlier_round_id:
                raise ValidationError("只能关联到本轮“回头看”所对应的前一轮巡察中的问题。", "earlier_problem_id")


def move_problem(db: Database, problem_id: int, category_id: int | None, index: int) -> None:
    """Move a problem into a category (or the round's top) at a position; numbers follow."""
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        _check_category(s, p.round_id, category_id)
        old = _problems_in(s, p.round_id, p.category_id)
        old.remove(p)
        renumber(old)
        p.category_id = category_id
        new = [q for q in _problems_in(s, p.round_id, category_id) if q is not p]
        move_in_list(new, p, index)


def delete_problem(db: Database, problem_id: int) -> None:
    """Delete a problem with its measures and progress; its evidence links go with it,
    the evidence files stay in the store until the recycle bin is emptied."""
    with db.transaction() as s:
        p = load(s, Problem, problem_id)
        siblings = _problems_in(s, p.round_id, p.category_id)
        s.delete(p)
        renumber([q for q in siblings if q is not p])


@dataclass(frozen=True)
class ProblemSnapshot:
    """Everything needed to put a deleted problem back (the undo of a delete)."""

    round_id: int
    category_id: int | None
    index: int
    fields: dict[str, Any]
    status: Status
    measures: list[dict[str, Any]]
    progress: list[dict[str, Any]]
    evidence_links: list[tuple[int, int | None, dt.datetime | None]]


def snapshot_problem(db: Database, problem_id: int) -> ProblemSnapshot:
    with db.reading() as s:
        p = load(s, Problem, problem_id)
        siblings = _problems_in(s, p.round_id, p.category_id)
        fields = {name: getattr(p, name) for name in PROBLEM_FIELDS}
        fields["done_override_reason"] = p.done_override_reason
        ms = [dict(text=m.text, owner=m.owner, deadline=m.deadline, status=m.status, completed_on=m.completed_on,
                   position=m.position) for m in p.measures]
        progress = [dict(entry_date=e.entry_date, author=e.author, note=e.note, created_at=e.created_at)
                    for e in s.scalars(select(ProgressEntry).where(ProgressEntry.problem_id == problem_id))]
        links = [(link.evidence_id, link.measure_id, link.removed_at)
                 for link in s.scalars(select(EvidenceLink).where(EvidenceLink.problem_id == problem_id))]
        return ProblemSnapshot(p.round_id, p.category_id, siblings.index(p), fields, p.status, ms, progress, links)


def restore_problem(db: Database, snap: ProblemSnapshot) -> int:
    """Recreate a problem from its snapshot, in one transaction. Returns the new id."""
    with db.transaction() as s:
        load(s, Round, snap.round_id)
        if snap.category_id is not None:
            load(s, Category, snap.category_id)
        p = Problem(round_id=snap.round_id, category_id=snap.category_id, status=snap.status, position=0,
                    **snap.fields)
        s.add(p)
        siblings = _problems_in(s, snap.round_id, snap.category_id)
        move_in_list(siblings, p, snap.index)
        s.flush()
        for m in snap.measures:
            s.add(Measure(problem_id=p.id, **m))
        for e in snap.progress:
            s.add(ProgressEntry(problem_id=p.id, **e))
        for evidence_id, _measure_id, removed_at in snap.evidence_links:
            if s.get(Evidence, evidence_id) is not None:  # the bin may have been emptied since
                s.add(EvidenceLink(evidence_id=evidence_id, problem_id=p.id, removed_at=removed_at))
        return p.id
