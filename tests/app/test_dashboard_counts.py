"""The dashboard counted by the database says what counting the ledger's rows one by one says."""
from __future__ import annotations

import datetime as dt
import itertools

from app.dto import GroupProgress, ProblemRow, Warning, split_names
from app.services import categories, dashboard, problems, reading, rounds, status
from db.enums import Status
from db.session import Database

TODAY = dt.date(2024, 6, 10)


def _round(db: Database) -> int:
    unit = rounds.create_unit(db, "某局")
    r = rounds.create_round(db, unit.id, "轮次", rectification_end=dt.date(2024, 8, 1))
    rounds.update_round(db, r.id, warn_yellow_days=15, warn_red_days=5)
    a = categories.add_category(db, r.id, "方面一")
    b = categories.add_category(db, r.id, "方面二")
    a1 = categories.add_category(db, r.id, "项一", parent_id=a.id)
    a2 = categories.add_category(db, r.id, "项二", parent_id=a.id)
    a11 = categories.add_category(db, r.id, "子项", parent_id=a1.id)
    places = [None, a.id, b.id, a1.id, a2.id, a11.id]
    names = ["办公室", "办公室、审批科", "审批科，财务科", "", "财务科"]
    leaders = ["王局长", "李副局长", "", "王局长、李副局长"]
    offsets = [None, -30, -1, 0, 3, 5, 6, 7, 8, 15, 16, 60]
    kinds = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.LONG_TERM]
    for n, (place, dept, lead, off, st) in enumerate(
            itertools.islice(zip(itertools.cycle(places), itertools.cycle(names), itertools.cycle(leaders),
                                 itertools.cycle(offsets), itertools.cycle(kinds)), 90)):
        deadline = None if off is None else TODAY + dt.timedelta(days=off)
        pid = problems.create_problem(db, r.id, f"问题{n}", category_id=place, departments=dept, leaders=lead,
                                      deadline=deadline, status=st)
        if n % 7 == 1 and not st.is_done and deadline is not None:   # an approved extension moves the deadline
            ext = status.request_extension(db, pid, deadline + dt.timedelta(days=20), "跨年度")
            status.decide_extension(db, ext, True, "主任")
            if n % 14 == 1:   # a later one approved again: the newest counts
                ext = status.request_extension(db, pid, deadline + dt.timedelta(days=40), "再延期")
                status.decide_extension(db, ext, True, "主任")
        if n % 11 == 3 and not st.is_done:   # refused: the deadline stays
            ext = status.request_extension(db, pid, TODAY + dt.timedelta(days=99), "申请")
            status.decide_extension(db, ext, False, "主任")
        if n % 9 == 4 and st == Status.IN_PROGRESS:
            status.change_status(db, pid, Status.DONE, override_reason="无需材料")   # 待销号
    return r.id


def _by(rows: list[ProblemRow], names: str) -> list[GroupProgress]:
    groups: dict[str, list[ProblemRow]] = {}
    for r in rows:
        for name in split_names(getattr(r, names)) or ["（未指定）"]:
            groups.setdefault(name, []).append(r)
    out = [GroupProgress(name, len(g), sum(r.status.is_done for r in g),
                         sum(r.status in (Status.IN_PROGRESS, Status.PENDING_REVIEW) for r in g),
                         sum(r.status == Status.NOT_STARTED for r in g),
                         sum(r.warning == Warning.OVERDUE for r in g)) for name, g in groups.items()]
    return sorted(out, key=lambda g: (g.ratio, -g.overdue, g.name))


def _by_category(rows: list[ProblemRow], depth: int) -> list[tuple[str, dict[Status, int]]]:
    out: dict[str, dict[Status, int]] = {}
    for r in rows:
        key = " › ".join(r.category_path[:depth]) if r.category_path else "（未分类）"
        out.setdefault(key, {st: 0 for st in Status})[r.status] += 1
    return list(out.items())


def test_the_database_counts_what_the_rows_say(db: Database) -> None:
    rid = _round(db)
    rows = reading.list_problems(db, rid, TODAY)
    got = dashboard.read_dashboard(db, rid, TODAY)
    week = TODAY + dt.timedelta(days=7)
    s = got.summary
    assert (s.problems, s.done, s.long_term, s.not_started, s.pending_review) == (
        len(rows), sum(r.status.is_done for r in rows), sum(r.status == Status.LONG_TERM for r in rows),
        sum(r.status == Status.NOT_STARTED for r in rows), sum(r.status == Status.PENDING_REVIEW for r in rows))
    assert s.in_progress == sum(r.status in (Status.IN_PROGRESS, Status.PENDING_REVIEW) for r in rows)
    assert s.overdue == sum(r.warning == Warning.OVERDUE for r in rows) > 0
    assert s.due_this_week == sum(r.warning != Warning.NONE and r.effective_deadline is not None
                                  and TODAY <= r.effective_deadline <= week for r in rows) > 0
    assert got.warnings == {w: sum(r.warning == w for r in rows) for w in Warning}
    assert got.warnings[Warning.RED] and got.warnings[Warning.YELLOW] and got.warnings[Warning.GREEN]
    assert s.measures == 0 and s.categories_by_depth == (2, 2, 1) and s.days_left_in_period == 52
    assert got.by_department == _by(rows, "departments")
    assert got.by_leader == _by(rows, "leaders")
    for depth in (1, 2, 3):
        assert dashboard.status_by_category(db, rid, depth=depth) == _by_category(rows, depth)
    assert dashboard.round_summary(db, rid, TODAY) == s
    assert dashboard.progress_by_department(db, rid, TODAY) == got.by_department


def test_an_empty_round_counts_nothing(db: Database) -> None:
    unit = rounds.create_unit(db, "某局")
    r = rounds.create_round(db, unit.id, "空轮次")
    got = dashboard.read_dashboard(db, r.id, TODAY)
    assert got.summary.problems == 0 and got.by_department == [] and got.by_category == []
    assert got.summary.categories_by_depth == () and got.summary.days_left_in_period is None
