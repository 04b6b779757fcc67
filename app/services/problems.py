"""Problems: create, edit, move, delete (softly: undo and the recycle bin), and the ledger rows."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto import ProblemRow
from app.errors import NotFound, RuleViolation, ValidationError
from app.services import reading
from app.services.common import apply_changes, load, load_any, move_in_list, now, renumber, require_text
from app.services.conflicts import check_version
from app.services.reading import list_problems as list_problems  # the one read path
from db.models import Category, Problem, Round, Status
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
    raise NotFound("问题", problem_id)


def find_problem_by_number(db: Database, round_id: int, number: int) -> ProblemRow:
    rows = list_problems(db, round_id)
    if not 1 <= number <= len(rows):
        raise ValidationError(f"本轮巡察没有第 {number} 个问题（共 {len(rows)} 个）。", "number")
    return rows[number - 1]


def _problems_in(s: Session, round_id: int, category_id: int | None) -> list[Problem]:
    """The problems of a category in order, those deleted softly included (they keep their places)."""
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


@dataclass(frozen=True)
class DeletedRow:
    """A problem or a measure in the recycle bin."""

    kind: str                 # 问题 / 整改措施
    id: int
    where: str                # the round (and, for a measure, its problem)
    text: str
    deleted_at: dt.datetime
    number: int | None = None  # a problem's 序号 when it was deleted (as near as the ledger now tells)
    category: str = ""         # a problem's category ('' if it has none)


@dataclass(frozen=True)
class Placement:
    """Where a problem stood: its category and its position there."""

    problem_id: int
    category_id: int | None
    position: int


def _placements(s: Session, round_id: int, category_ids: set[int | None]) -> list[Placement]:
    return [Placement(p.id, p.category_id, p.position) for cid in category_ids
            for p in _problems_in(s, round_id, cid)]


def move_problems(db: Database, problem_ids: list[int], category_id: int | None, index: int) -> list[Placement]:
    """Move problems, in the given order, into a category (None: the round's top) at a position among
    the problems shown there; numbers follow. One transaction. Returns where every problem of the
    categories involved stood before, which `place_problems` puts back (undo)."""
    if not problem_ids:
        return []
    with db.transaction() as s:
        moving = [load(s, Problem, pid) for pid in dict.fromkeys(problem_ids)]
        round_id = moving[0].round_id
        if any(p.round_id != round_id for p in moving):
            raise ValidationError("只能在同一轮巡察内移动问题。", "problem_ids")
        _check_category(s, round_id, category_id)
        before = _placements(s, round_id, {p.category_id for p in moving} | {category_id})
        target = _problems_in(s, round_id, category_id)
        # `index` counts the target's problems as shown, before the move: those moving out do not count.
        shown = [q for q in target if q.deleted_at is None]
        index -= sum(1 for q in shown[:max(index, 0)] if q in moving)
        for p in moving:
            if p.category_id != category_id:
                old = [q for q in _problems_in(s, round_id, p.category_id) if q is not p]
                renumber(old)
                p.category_id = category_id
        rest = [q for q in target if q not in moving]
        for offset, p in enumerate(moving):
            move_in_list(rest, p, index + offset)
        return before


def place_problems(db: Database, placements: list[Placement]) -> None:
    """Put problems back where `move_problems` found them (undo of a move), in one transaction."""
    with db.transaction() as s:
        for place in placements:
            p = load_any(s, Problem, place.problem_id)
            if place.category_id is not None:
                load(s, Category, place.category_id)
            p.category_id, p.position = place.category_id, place.position


def move_problem(db: Database, problem_id: int, category_id: int | None, index: int) -> None:
    """Move one problem (see `move_problems`)."""
    move_problems(db, [problem_id], category_id, index)


def delete_problems(db: Database, problem_ids: list[int]) -> list[int]:
    """Delete problems softly, in one transaction: hidden everywhere, nothing of them removed, each keeps
    its place. `restore_problems` is the undo; the recycle bin purges them for good. Returns the ids."""
    ids = list(dict.fromkeys(problem_ids))
    with db.transaction() as s:
        stamp = now()
        for pid in ids:
            load(s, Problem, pid).deleted_at = stamp
    return ids


def delete_problem(db: Database, problem_id: int) -> None:
    delete_problems(db, [problem_id])


def restore_problems(db: Database, problem_ids: list[int]) -> None:
    """Take deleted problems back out of the recycle bin, whole and in their old places."""
    with db.transaction() as s:
        for pid in problem_ids:
            p = load_any(s, Problem, pid)
            if p.deleted_at is None:
                raise RuleViolation(f"第 {pid} 号问题没有被删除，无需恢复。")
            p.deleted_at = None


def purge_problems(db: Database, problem_ids: list[int]) -> int:
    """Delete problems in the recycle bin for good, with their measures, progress, reviews, extensions and
    links (every row removed is in the audit log). Evidence files stay until the bin is emptied."""
    with db.transaction() as s:
        for pid in problem_ids:
            p = load_any(s, Problem, pid)
            if p.deleted_at is None:
                raise RuleViolation("只能彻底删除回收站中的问题。")
            s.delete(p)
    return len(problem_ids)


def deleted_problems(db: Database) -> list[DeletedRow]:
    """The problems in the recycle bin, most recently deleted first, each with its category and the 序号
    it had when it was deleted: counted among the problems that were in the ledger then, that is those
    still there and those deleted with it or after it (problems added, moved or restored since are
    counted as they stand now)."""
    with db.reading() as s:
        rows = list(s.execute(select(Problem.id, Problem.round_id, Round.title, Problem.text, Problem.deleted_at)
                              .join(Round, Round.id == Problem.round_id)
                              .where(Problem.deleted_at.is_not(None))
                              .order_by(Problem.deleted_at.desc(), Problem.id)))
        places: dict[int, tuple[int, str]] = {}
        for round_id in {r[1] for r in rows}:
            places.update(_deleted_places(s, round_id))
        return [DeletedRow("问题", pid, title, text, at or now(), *places.get(pid, (None, "")))
                for pid, _round, title, text, at in rows]


def _deleted_places(s: Session, round_id: int) -> dict[int, tuple[int, str]]:
    """The round's deleted problems by id: (序号 when deleted, category text), in the ledger's reading order
    (problems without a category first, then the categories depth first, each by position)."""
    cats = reading.category_rows(session_connection(s), round_id)
    order = {None: 0} | {c.id: i for i, c in enumerate(cats, 1)}
    names = {c.id: c.text for c in cats}
    found = s.execute(select(Problem.id, Problem.category_id, Problem.deleted_at)
                      .where(Problem.round_id == round_id).order_by(Problem.position, Problem.id))
    ranked = sorted(found, key=lambda r: order.get(r[1], len(order)))  # stable: position order kept
    places: dict[int, tuple[int, str]] = {}
    for pid, cat_id, at in ranked:
        if at is None:
            continue
        before = 0
        for other, _cat, other_at in ranked:
            if other == pid:
                break
            if other_at is None or other_at >= at:
                before += 1
        places[pid] = (before + 1, names.get(cat_id, "") if cat_id is not None else "")
    return places
