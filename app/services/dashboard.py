"""What the office watches: summary figures, overdue and due-soon lists, progress by group.

Everything here is computed from the rows each time; nothing is stored.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select

from app.dto import GroupProgress, ProblemRow, RoundSummary, Warning, split_names
from app.services.common import load
from app.services.problems import problem_rows
from app.services.rounds import figures_row
from db.models import Category, Measure, Problem, Regulation, RegulationKind, Round, RoundFigures, Status
from db.session import Database


def _summary(rows: list[ProblemRow], today: dt.date) -> dict[str, int]:
    week_end = today + dt.timedelta(days=7)
    return dict(
        done=sum(r.status.is_done for r in rows),
        long_term=sum(r.status == Status.LONG_TERM for r in rows),
        in_progress=sum(r.status in (Status.IN_PROGRESS, Status.PENDING_REVIEW) for r in rows),
        pending_review=sum(r.status == Status.PENDING_REVIEW for r in rows),
        not_started=sum(r.status == Status.NOT_STARTED for r in rows),
        overdue=sum(r.warning == Warning.OVERDUE for r in rows),
        due_this_week=sum(r.warning != Warning.NONE and r.effective_deadline is not None
                          and today <= r.effective_deadline <= week_end for r in rows),
    )


def round_summary(db: Database, round_id: int, today: dt.date | None = None,
                  rows: list[ProblemRow] | None = None) -> RoundSummary:
    """The round's figures; pass `rows` (from list_problems) when the caller already has them."""
    today = today or dt.date.today()
    with db.reading() as s:
        r = load(s, Round, round_id)
        by_depth = categories_by_depth(dict(s.execute(select(Category.id, Category.parent_id)
                                                      .where(Category.round_id == round_id)).all()))
        rows = rows if rows is not None else problem_rows(s, round_id, today)
        measures = s.scalar(select(func.count()).select_from(Measure).join(Problem)
                            .where(Problem.round_id == round_id, Problem.deleted_at.is_(None),
                                   Measure.deleted_at.is_(None))) or 0
        regs = dict(s.execute(select(Regulation.kind, func.count()).where(Regulation.round_id == round_id)
                              .group_by(Regulation.kind)).all())
        figures = s.get(RoundFigures, round_id)
        days_left = (r.rectification_end - today).days if r.rectification_end else None
        return RoundSummary(
            aspects=(by_depth + (0, 0))[0], items=(by_depth + (0, 0))[1], categories_by_depth=by_depth,
            problems=len(rows), measures=measures, **_summary(rows, today),
            regulations_new=regs.get(RegulationKind.NEW, 0), regulations_revised=regs.get(RegulationKind.REVISED, 0),
            figures=figures_row(figures) if figures else figures_row(RoundFigures(round_id=round_id)),
            days_left_in_period=days_left)


def categories_by_depth(parent_of: dict[int, int | None]) -> tuple[int, ...]:
    """How many categories stand at each depth (1 = 方面), from each category's parent."""
    depth: dict[int, int] = {}

    def depth_of(cid: int, seen: frozenset[int] = frozenset()) -> int:
        if cid not in depth:
            parent = parent_of.get(cid)
            top = parent is None or parent not in parent_of or parent in seen  # a cycle in bad data stops here
            depth[cid] = 1 if top else depth_of(parent, seen | {cid}) + 1  # type: ignore[arg-type]
        return depth[cid]

    counts: dict[int, int] = {}
    for cid in parent_of:
        d = depth_of(cid)
        counts[d] = counts.get(d, 0) + 1
    return tuple(counts.get(d, 0) for d in range(1, max(counts, default=0) + 1))


def overdue(db: Database, round_id: int, today: dt.date | None = None) -> list[ProblemRow]:
    return [r for r in _rows(db, round_id, today) if r.warning == Warning.OVERDUE]


def due_within(db: Database, round_id: int, days: int, today: dt.date | None = None) -> list[ProblemRow]:
    """Open problems whose deadline falls in the next `days` days (today included)."""
    today = today or dt.date.today()
    return [r for r in _rows(db, round_id, today) if r.warning != Warning.NONE and r.effective_deadline is not None
            and 0 <= (r.effective_deadline - today).days <= days]


def _rows(db: Database, round_id: int, today: dt.date | None) -> list[ProblemRow]:
    with db.reading() as s:
        return problem_rows(s, round_id, today)


def _by(rows: list[ProblemRow], key: Callable[[ProblemRow], str]) -> list[GroupProgress]:
    groups: dict[str, list[ProblemRow]] = {}
    for r in rows:
        for name in split_names(key(r)) or ["（未指定）"]:
            groups.setdefault(name, []).append(r)
    out = [GroupProgress(name, len(g), sum(r.status.is_done for r in g),
                         sum(r.status in (Status.IN_PROGRESS, Status.PENDING_REVIEW) for r in g),
                         sum(r.status == Status.NOT_STARTED for r in g),
                         sum(r.warning == Warning.OVERDUE for r in g)) for name, g in groups.items()]
    # Laggards first: lowest completion, then most overdue.
    return sorted(out, key=lambda g: (g.ratio, -g.overdue, g.name))


def progress_by_department(db: Database, round_id: int, today: dt.date | None = None,
                           rows: list[ProblemRow] | None = None) -> list[GroupProgress]:
    return _by(rows if rows is not None else _rows(db, round_id, today), lambda r: r.departments)


def progress_by_leader(db: Database, round_id: int, today: dt.date | None = None,
                       rows: list[ProblemRow] | None = None) -> list[GroupProgress]:
    return _by(rows if rows is not None else _rows(db, round_id, today), lambda r: r.leaders)


def status_by_category(db: Database, round_id: int, rows: list[ProblemRow] | None = None,
                       depth: int = 1) -> list[tuple[str, dict[Status, int]]]:
    """For the chart: each category at `depth` (1 = 方面, 2 = 项, …) with the problems under it by status.

    A problem that stands higher in the tree than `depth` counts under its own (shallower) category."""
    out: dict[str, dict[Status, int]] = {}
    for r in rows if rows is not None else _rows(db, round_id, None):
        key = " › ".join(r.category_path[:depth]) if r.category_path else "（未分类）"
        counts = out.setdefault(key, {st: 0 for st in Status})
        counts[r.status] += 1
    return list(out.items())
