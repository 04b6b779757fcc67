"""The ledger's read queries (rounds, the category tree, the problem rows), written in SQL over a DB-API
connection and free of SQLAlchemy.

They are the one read path for these rows: services run them inside a session (`session_connection`),
and the window reads its first screen through them before SQLAlchemy is imported (`Database.raw_reading`),
which is what keeps start-up close to a bare Qt window's. Numbers are derived here, never stored: a
problem's number follows the reading order of the category tree (depth first, then `position`).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from typing import Any

from app.errors import NotFound
from app.ledger_rows import CategoryRow, ProblemRow, RoundRow, Warning
from db.enums import Decision, RoundKind, Status
from db.session import Database

_ROUND_SQL = """
    select r.id, r.unit_id, u.name, r.title, r.kind, r.deciding_body, r.inspection_group, r.inspection_start,
           r.inspection_end, r.feedback_date, r.rectification_end, r.index_no, r.doc_no, r.topic, r.publisher,
           r.disclosure_period, r.earlier_round_id, r.warn_yellow_days, r.warn_red_days, r.layout_style,
           r.numbering
    from round r join unit u on u.id = r.unit_id"""
_CATEGORY_SQL = "select id, round_id, parent_id, position, text from category where round_id = ? order by position, id"
_DETAIL_COLUMNS = 'progress_line, narrative, internal_notes, sensitive, "immediate", next_review_date, earlier_problem_id'
_PROBLEM_SQL = """
    select id, category_id, text, title, leaders, departments, persons, deadline, long_term, status, {details}
    from problem where round_id = ? and deleted_at is null order by position, id"""
# The ledger's table and tree show none of the detail columns (the narrative is often the longest
# text of a problem): the first screen reads them as blanks, `fill_details` adds them after it.
_BLANK_DETAILS = "'', '', '', 0, 0, null, null"
_DETAIL_SQL = f"select id, {_DETAIL_COLUMNS} from problem where round_id = ?"
_EXTENSION_SQL = """
    select e.problem_id, e.requested_deadline from extension e join problem p on p.id = e.problem_id
    where p.round_id = ? and e.decision = ? order by e.decided_at, e.id"""
_EVIDENCE_COUNT_SQL = """
    select l.problem_id, count(*) from evidence_link l join problem p on p.id = l.problem_id
    where p.round_id = ? and l.removed_at is null group by l.problem_id"""
_MEASURE_COUNT_SQL = """
    select m.problem_id, count(*) from measure m join problem p on p.id = m.problem_id
    where p.round_id = ? and m.deleted_at is null group by m.problem_id"""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


# -- over a connection (inside a unit of work, or the first screen's plain sqlite3) ---------------------
def round_rows(conn: sqlite3.Connection, round_id: int | None = None) -> list[RoundRow]:
    """All rounds, newest first; or the one round `round_id` (NotFound if it is gone)."""
    if round_id is None:
        cur = conn.execute(_ROUND_SQL + " order by r.created_at desc, r.id desc")
    else:
        cur = conn.execute(_ROUND_SQL + " where r.id = ?", (round_id,))
    rows = [RoundRow(i, unit_id, unit, title, RoundKind(kind).value, body, group, _date(start), _date(end),
                     _date(feedback), _date(rect_end), index_no, doc_no, topic, publisher, period, earlier,
                     yellow, red, style, numbering)
            for (i, unit_id, unit, title, kind, body, group, start, end, feedback, rect_end, index_no, doc_no, topic,
                 publisher, period, earlier, yellow, red, style, numbering) in cur]
    if round_id is not None and not rows:
        raise NotFound("巡察轮次", round_id)
    return rows


def category_rows(conn: sqlite3.Connection, round_id: int) -> list[CategoryRow]:
    """The round's categories in reading order (depth first), each with its level and number among siblings."""
    return [row for row, _path in _category_walk(conn.execute(_CATEGORY_SQL, (round_id,)))]


def _category_walk(rows: Iterable[tuple[Any, ...]]) -> list[tuple[CategoryRow, tuple[str, ...]]]:
    children: dict[int | None, list[tuple[Any, ...]]] = {}
    for c in rows:
        children.setdefault(c[2], []).append(c)
    out: list[tuple[CategoryRow, tuple[str, ...]]] = []

    def walk(parent: int | None, level: int, path: tuple[str, ...]) -> None:
        for n, (cid, rid, parent_id, position, text) in enumerate(children.get(parent, []), 1):
            out.append((CategoryRow(cid, rid, parent_id, position, text, level, n), path + (text,)))
            walk(cid, level + 1, path + (text,))

    walk(None, 1, ())
    return out


def warning_for(status: Status, deadline: dt.date | None, today: dt.date, yellow: int, red: int
                ) -> tuple[int | None, Warning]:
    """Days left and the 三色预警 level; done problems and those without a deadline get none."""
    if deadline is None:
        return None, Warning.NONE
    days = (deadline - today).days
    if status.is_done or status == Status.PENDING_REVIEW:  # work done, waiting for sign-off: no alarm
        return days, Warning.NONE
    if days < 0:
        return days, Warning.OVERDUE
    if days <= red:
        return days, Warning.RED
    if days <= yellow:
        return days, Warning.YELLOW
    return days, Warning.GREEN


def approved_deadlines(conn: sqlite3.Connection, round_id: int) -> dict[int, dt.date]:
    """Each problem's newest approved extension: the deadline that counts."""
    return {pid: d for pid, raw in conn.execute(_EXTENSION_SQL, (round_id, Decision.APPROVED.value))
            if (d := _date(raw)) is not None}


def problem_rows(conn: sqlite3.Connection, round_id: int, today: dt.date | None = None, *,
                 details: bool = True) -> list[ProblemRow]:
    """The round's problems in reading order with derived numbers, effective deadlines, counts and warnings."""
    return round_ledger(conn, round_id, today, details=details)[1]


def round_ledger(conn: sqlite3.Connection, round_id: int, today: dt.date | None = None, *,
                 details: bool = True) -> tuple[list[CategoryRow], list[ProblemRow]]:
    """The round's category tree and problem rows, in one read (the problems' numbers come from the tree).

    Without `details`, the fields the ledger's table and tree do not show (整改进程, 整改情况, 内部备注,
    the marks, the review date, the earlier problem) are left blank until `fill_details`.
    """
    today = today or dt.date.today()
    [r] = round_rows(conn, round_id)
    cats = _category_walk(conn.execute(_CATEGORY_SQL, (round_id,)))
    by_cat: dict[int | None, list[tuple[Any, ...]]] = {}
    sql = _PROBLEM_SQL.format(details=_DETAIL_COLUMNS if details else _BLANK_DETAILS)
    for p in conn.execute(sql, (round_id,)):
        by_cat.setdefault(p[1], []).append(p)
    extended = approved_deadlines(conn, round_id)
    evidence = dict(conn.execute(_EVIDENCE_COUNT_SQL, (round_id,)).fetchall())
    measures = dict(conn.execute(_MEASURE_COUNT_SQL, (round_id,)).fetchall())

    yellow, red = r.warn_yellow_days, r.warn_red_days
    ev_get, m_get, ext_get = evidence.get, measures.get, extended.get
    statuses = {s.value: s for s in Status}  # a dict lookup is several times cheaper than Status(value)
    dates: dict[str | None, dt.date | None] = {None: None, "": None}  # deadlines repeat: parse each once
    judged: dict[tuple[Status, dt.date | None], tuple[int | None, Warning]] = {}
    rows: list[ProblemRow] = []
    append = rows.append
    groups = [(None, ())] + [(c.id, path) for c, path in cats]
    for cat_id, path in groups:
        for in_cat, (pid, category_id, text, title, leaders, departments, persons, deadline_s, long_term,
                     status_s, progress_line, narrative, notes, sensitive, immediate, review_s,
                     earlier) in enumerate(by_cat.get(cat_id, ()), 1):
            status = statuses[status_s]
            deadline = dates[deadline_s] if deadline_s in dates else dates.setdefault(deadline_s, _date(deadline_s))
            effective = ext_get(pid, deadline)
            key = (status, effective)  # a round has few distinct deadlines: each pair is judged once
            days, warning = judged[key] if key in judged else judged.setdefault(
                key, warning_for(status, effective, today, yellow, red))
            append(ProblemRow(
                pid, round_id, len(rows) + 1, in_cat, category_id, path, text, title, leaders, departments, persons,
                deadline, effective, bool(long_term), status, progress_line, narrative, notes, bool(sensitive),
                bool(immediate), _date(review_s) if review_s else None, earlier, ev_get(pid, 0), m_get(pid, 0), days, warning))
    return [c for c, _path in cats], rows


# A problem's detail fields, in the order of `ProblemRow`: progress_line, narrative, internal_notes, sensitive,
# immediate, next_review_date, earlier_problem_id (a tuple: no class to create when the window starts).
ProblemDetails = tuple[str, str, str, bool, bool, dt.date | None, int | None]


def detail_rows(conn: sqlite3.Connection, round_id: int) -> dict[int, ProblemDetails]:
    """The detail fields of the round's problems by problem id, as new values (nothing shared is touched)."""
    return {pid: (progress_line, narrative, notes, bool(sensitive), bool(immediate),
                  _date(review_s) if review_s else None, earlier)
            for pid, progress_line, narrative, notes, sensitive, immediate, review_s, earlier in conn.execute(
                _DETAIL_SQL, (round_id,))}


def apply_details(rows: list[ProblemRow], details: dict[int, ProblemDetails]) -> None:
    """Put the detail fields into rows read without them (in place: the window's models hold these rows, so
    the window does this on its GUI thread)."""
    get = details.get
    for r in rows:
        d = get(r.id)
        if d is not None:
            (r.progress_line, r.narrative, r.internal_notes, r.sensitive, r.immediate, r.next_review_date,
             r.earlier_problem_id) = d


def fill_details(conn: sqlite3.Connection, round_id: int, rows: list[ProblemRow]) -> None:
    """Add the detail fields to rows read without them (in place: the window's models hold these rows)."""
    apply_details(rows, detail_rows(conn, round_id))


# -- over the database (one read each) ------------------------------------------------------------
def list_rounds(db: Database) -> list[RoundRow]:
    with db.raw_reading() as conn:
        return round_rows(conn)


def list_categories(db: Database, round_id: int) -> list[CategoryRow]:
    """Categories in reading order (depth first)."""
    with db.raw_reading() as conn:
        round_rows(conn, round_id)  # NotFound for a deleted round, as every service says it
        return category_rows(conn, round_id)


def list_problems(db: Database, round_id: int, today: dt.date | None = None, *,
                  details: bool = True) -> list[ProblemRow]:
    with db.raw_reading() as conn:
        return problem_rows(conn, round_id, today, details=details)


def read_round(db: Database, round_id: int, today: dt.date | None = None, *,
               details: bool = True) -> tuple[list[CategoryRow], list[ProblemRow]]:
    """A round's category tree and problem rows from the same state of the database."""
    with db.raw_reading() as conn:
        return round_ledger(conn, round_id, today, details=details)


def list_details(db: Database, round_id: int, rows: list[ProblemRow]) -> None:
    with db.raw_reading() as conn:
        fill_details(conn, round_id, rows)


def read_details(db: Database, round_id: int) -> dict[int, ProblemDetails]:
    """The round's detail fields by problem id (safe on a worker thread: see `apply_details`)."""
    with db.raw_reading() as conn:
        return detail_rows(conn, round_id)
