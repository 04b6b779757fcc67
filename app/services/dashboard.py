"""What the office watches: summary figures, overdue and due-soon lists, progress by group.

Everything here is computed from the rows each time; nothing is stored. The counts are made by the
database: one grouped query counts the round's problems by category, departments, leaders, status,
warning and whether they fall due this week (the deadline that counts — the newest approved extension,
else the problem's own — and the 三色预警 are computed in SQL), and every figure of the dashboard is a
sum over its few hundred groups. The SQL is SQLAlchemy Core (`case`, `count`, `exists`, an outer join),
the same on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.dto import GroupProgress, ProblemRow, RoundSummary, Warning, split_names
from app.services.common import load
from app.services.problems import problem_rows
from app.services.rounds import figures_row
from db.models import (
    Category,
    Decision,
    Extension,
    Measure,
    Problem,
    Regulation,
    RegulationKind,
    Round,
    RoundFigures,
    Status,
)
from db.session import Database

OPEN = tuple(s for s in Status if not s.is_done and s != Status.PENDING_REVIEW)   # those a deadline can alarm
UNSORTED = "（未分类）"
UNNAMED = "（未指定）"


@dataclass(frozen=True)
class Group:
    """Problems alike in everything the dashboard counts by, and how many they are."""
    category_id: int | None
    departments: str
    leaders: str
    status: Status
    warning: Warning
    due_this_week: bool
    count: int


@dataclass
class Dashboard:
    """Every figure the dashboard shows, from one read."""
    summary: RoundSummary
    by_department: list[GroupProgress]
    by_leader: list[GroupProgress]
    by_category: list[tuple[str, dict[Status, int]]]
    warnings: dict[Warning, int] = field(default_factory=dict)


ALL_KEYS = ("category_id", "departments", "leaders")


def count_groups(s: Session, round_id: int, today: dt.date, yellow: int, red: int,
                 by: tuple[str, ...] = ALL_KEYS) -> list[Group]:
    """The round's problems counted in the database by status, warning, falling due this week and `by`
    (any of category, departments, leaders: a figure that needs fewer groups asks for fewer)."""
    e, f = Extension.__table__.alias("e"), Extension.__table__.alias("f")
    approved = Decision.APPROVED
    # The deadline that counts: the newest approved extension (by decision time, then id) — one with no
    # newer approved sibling — else the problem's own.
    newer = select(f.c.id).where(f.c.problem_id == e.c.problem_id, f.c.decision == approved, f.c.id != e.c.id, or_(
        and_(f.c.decided_at.is_not(None), or_(e.c.decided_at.is_(None), f.c.decided_at > e.c.decided_at)),
        and_(or_(f.c.decided_at == e.c.decided_at, and_(f.c.decided_at.is_(None), e.c.decided_at.is_(None))),
             f.c.id > e.c.id))).exists()
    joined = Problem.__table__.outerjoin(e, and_(e.c.problem_id == Problem.id, e.c.decision == approved, ~newer))
    deadline = func.coalesce(e.c.requested_deadline, Problem.deadline)
    alarmed = and_(Problem.status.in_(OPEN), deadline.is_not(None))
    warning = case((~alarmed, Warning.NONE.value), (deadline < today, Warning.OVERDUE.value),
                   (deadline <= today + dt.timedelta(days=red), Warning.RED.value),
                   (deadline <= today + dt.timedelta(days=yellow), Warning.YELLOW.value),
                   else_=Warning.GREEN.value)
    this_week = case((and_(alarmed, deadline >= today, deadline <= today + dt.timedelta(days=7)), 1), else_=0)
    # Grouped over a subquery's columns: PostgreSQL does not take a CASE with parameters as a GROUP BY key.
    per_problem = (select(*(getattr(Problem, k) for k in by), Problem.status, warning.label("warning"),
                          this_week.label("due_week"))
                   .select_from(joined).where(Problem.round_id == round_id, Problem.deleted_at.is_(None)).subquery())
    keys = [per_problem.c[k] for k in (*by, "status", "warning", "due_week")]
    warnings = {w.value: w for w in Warning}
    out = []
    for *values, status, w, week, n in s.execute(select(*keys, func.count()).group_by(*keys)):
        known = dict(zip(by, values, strict=True))
        out.append(Group(known.get("category_id"), known.get("departments") or "", known.get("leaders") or "",
                         status, warnings[w], bool(week), n))
    return out


def read_dashboard(db: Database, round_id: int, today: dt.date | None = None, depth: int = 1,
                   by: tuple[str, ...] = ALL_KEYS) -> Dashboard:
    """The dashboard of a round in one read transaction: the counts, the tree, the round's own figures."""
    today = today or dt.date.today()
    with db.reading() as s:
        r = load(s, Round, round_id)
        groups = count_groups(s, round_id, today, r.warn_yellow_days, r.warn_red_days, by)
        cats = list(s.execute(select(Category.id, Category.round_id, Category.parent_id, Category.position,
                                     Category.text).where(Category.round_id == round_id)
                              .order_by(Category.position, Category.id)))
        measures = s.scalar(select(func.count()).select_from(Measure).join(Problem)
                            .where(Problem.round_id == round_id, Problem.deleted_at.is_(None),
                                   Measure.deleted_at.is_(None))) or 0
        regs = dict(s.execute(select(Regulation.kind, func.count()).where(Regulation.round_id == round_id)
                              .group_by(Regulation.kind)).all())
        figures = s.get(RoundFigures, round_id)
        by_depth = categories_by_depth({c[0]: c[2] for c in cats})
        summary = RoundSummary(
            aspects=(by_depth + (0, 0))[0], items=(by_depth + (0, 0))[1], categories_by_depth=by_depth,
            problems=_sum(groups), measures=measures, **_summary(groups),
            regulations_new=regs.get(RegulationKind.NEW, 0), regulations_revised=regs.get(RegulationKind.REVISED, 0),
            figures=figures_row(figures) if figures else figures_row(RoundFigures(round_id=round_id)),
            days_left_in_period=(r.rectification_end - today).days if r.rectification_end else None)
    warned = {w: _sum(g for g in groups if g.warning == w) for w in Warning}
    return Dashboard(summary, _by(groups, lambda g: g.departments), _by(groups, lambda g: g.leaders),
                     _by_category(groups, cats, depth), warned)


def _sum(groups: Iterable[Group]) -> int:
    return sum(g.count for g in groups)


def _summary(groups: list[Group]) -> dict[str, int]:
    return dict(
        done=_sum(g for g in groups if g.status.is_done),
        long_term=_sum(g for g in groups if g.status == Status.LONG_TERM),
        in_progress=_sum(g for g in groups if g.status in (Status.IN_PROGRESS, Status.PENDING_REVIEW)),
        pending_review=_sum(g for g in groups if g.status == Status.PENDING_REVIEW),
        not_started=_sum(g for g in groups if g.status == Status.NOT_STARTED),
        overdue=_sum(g for g in groups if g.warning == Warning.OVERDUE),
        due_this_week=_sum(g for g in groups if g.due_this_week),
    )


def _by(groups: list[Group], key: Callable[[Group], str]) -> list[GroupProgress]:
    totals: dict[str, list[int]] = {}   # name → total, done, in progress, not started, overdue
    for g in groups:
        row = (g.count, g.count * g.status.is_done, g.count * (g.status in (Status.IN_PROGRESS, Status.PENDING_REVIEW)),
               g.count * (g.status == Status.NOT_STARTED), g.count * (g.warning == Warning.OVERDUE))
        for name in split_names(key(g)) or [UNNAMED]:
            t = totals.setdefault(name, [0, 0, 0, 0, 0])
            for i, v in enumerate(row):
                t[i] += v
    out = [GroupProgress(name, *t) for name, t in totals.items()]
    # Laggards first: lowest completion, then most overdue.
    return sorted(out, key=lambda g: (g.ratio, -g.overdue, g.name))


def _by_category(groups: list[Group], cats: list[Any], depth: int) -> list[tuple[str, dict[Status, int]]]:
    """Each category at `depth` with its problems by status, in the tree's reading order (a problem higher
    in the tree than `depth` counts under its own category; those outside any category come first)."""
    children: dict[int | None, list[Any]] = {}
    for c in cats:   # (id, round, parent, position, text), in (position, id) order
        children.setdefault(c[2], []).append(c)
    key_of: dict[int | None, str] = {None: UNSORTED}

    def walk(parent: int | None, path: tuple[str, ...]) -> None:   # reading order: depth first
        for c in children.get(parent, ()):
            key_of[c[0]] = " › ".join((path + (c[4],))[:depth])
            walk(c[0], path + (c[4],))

    walk(None, ())
    order = {key: n for n, key in enumerate(dict.fromkeys(key_of.values()))}
    out: dict[str, dict[Status, int]] = {}
    for g in groups:
        key = key_of.get(g.category_id, UNSORTED)
        counts = out.setdefault(key, {st: 0 for st in Status})
        counts[g.status] += g.count
    return sorted(out.items(), key=lambda kv: order.get(kv[0], -1))


# -- the calls the window and the notice make one at a time ------------------------------------------------
def round_summary(db: Database, round_id: int, today: dt.date | None = None,
                  rows: list[ProblemRow] | None = None) -> RoundSummary:
    """The round's figures (counted in the database; `rows` is accepted from callers that hold them)."""
    del rows
    return read_dashboard(db, round_id, today, by=()).summary


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


def progress_by_department(db: Database, round_id: int, today: dt.date | None = None,
                           rows: list[ProblemRow] | None = None) -> list[GroupProgress]:
    del rows
    return read_dashboard(db, round_id, today, by=("departments",)).by_department


def progress_by_leader(db: Database, round_id: int, today: dt.date | None = None,
                       rows: list[ProblemRow] | None = None) -> list[GroupProgress]:
    del rows
    return read_dashboard(db, round_id, today, by=("leaders",)).by_leader


def status_by_category(db: Database, round_id: int, rows: list[ProblemRow] | None = None,
                       depth: int = 1) -> list[tuple[str, dict[Status, int]]]:
    """For the chart: each category at `depth` (1 = 方面, 2 = 项, …) with the problems under it by status.

    A problem that stands higher in the tree than `depth` counts under its own (shallower) category."""
    del rows
    return read_dashboard(db, round_id, None, depth, by=("category_id",)).by_category
