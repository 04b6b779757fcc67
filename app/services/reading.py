"""The ledger's read queries (rounds, the category tree, the problem rows), written in SQL that SQLite
and PostgreSQL both accept, run through a `Reader` (`db/reader.py`) and turned into rows by column name.

They are the one read path for these rows: services run them inside a session (`session_connection`),
and the window reads its first screen through them before SQLAlchemy is imported (`Database.raw_reading`
on a SQLite file), which is what keeps start-up close to a bare Qt window's. Numbers are derived here,
never stored: a problem's number follows the reading order of the category tree (depth first, then
`position`).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from app.errors import NotFound
from app.ledger_rows import CategoryRow, ProblemRow, RoundRow, Warning
from app.rowbuild import as_date, build, build_all, converters, maker
from db.enums import Decision, Status
from db.reader import Reader
from db.session import Database

_ROUND_SQL = """
    select r.id, r.unit_id, u.name as unit_name, r.title, r.kind, r.deciding_body, r.inspection_group,
           r.inspection_start, r.inspection_end, r.feedback_date, r.rectification_end, r.index_no, r.doc_no,
           r.topic, r.publisher, r.disclosure_period, r.earlier_round_id, r.warn_yellow_days, r.warn_red_days,
           r.layout_style, r.numbering
    from round r join unit u on u.id = r.unit_id"""
_CATEGORY_SQL = """
    select id, round_id, parent_id, position, text from category where round_id = :round
    order by position, id"""
# The columns the ledger's table and tree show; the details (the narrative is often the longest text of
# a problem) are read after the first screen is painted, by `fill_details`.
LEDGER_COLUMNS = ("id", "category_id", "text", "title", "leaders", "departments", "persons", "deadline",
                  "long_term", "status", "version")
DETAIL_COLUMNS = ("progress_line", "narrative", "internal_notes", "sensitive", "immediate", "next_review_date",
                  "earlier_problem_id")
_PROBLEM_SQL = "select {columns} from problem where round_id = :round and deleted_at is null order by position, id"
_EXTENSION_SQL = """
    select e.problem_id, e.requested_deadline from extension e join problem p on p.id = e.problem_id
    where p.round_id = :round and e.decision = :approved order by e.decided_at, e.id"""
_EVIDENCE_COUNT_SQL = """
    select l.problem_id, count(*) as n from evidence_link l join problem p on p.id = l.problem_id
    where p.round_id = :round and l.removed_at is null group by l.problem_id"""
_MEASURE_COUNT_SQL = """
    select m.problem_id, count(*) as n from measure m join problem p on p.id = m.problem_id
    where p.round_id = :round and m.deleted_at is null group by m.problem_id"""
_PROGRESS_COUNT_SQL = """
    select e.problem_id, count(*) as n from progress_entry e join problem p on p.id = e.problem_id
    where p.round_id = :round group by e.problem_id"""


def _select(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)  # quoted: `immediate` and `text` are keywords somewhere


# -- over a reader (inside a unit of work, or the first screen's plain sqlite3) -----------------------
def round_rows(reader: Reader, round_id: int | None = None) -> list[RoundRow]:
    """All rounds, newest first; or the one round `round_id` (NotFound if it is gone)."""
    if round_id is None:
        found = reader.rows(_ROUND_SQL + " order by r.created_at desc, r.id desc")
    else:
        found = reader.rows(_ROUND_SQL + " where r.id = :round", round=round_id)
    rows = build_all(RoundRow, found)
    if round_id is not None and not rows:
        raise NotFound("巡察轮次", round_id)
    return rows


def category_rows(reader: Reader, round_id: int) -> list[CategoryRow]:
    """The round's categories in reading order (depth first), each with its level and number among siblings."""
    return [row for row, _path in _category_walk(reader.rows(_CATEGORY_SQL, round=round_id))]


def _category_walk(rows: list[dict[str, Any]]) -> list[tuple[CategoryRow, tuple[str, ...]]]:
    children: dict[int | None, list[dict[str, Any]]] = {}
    for c in rows:
        children.setdefault(c["parent_id"], []).append(c)
    out: list[tuple[CategoryRow, tuple[str, ...]]] = []

    def walk(parent: int | None, level: int, path: tuple[str, ...]) -> None:
        for n, c in enumerate(children.get(parent, []), 1):
            out.append((build(CategoryRow, c, level=level, number=n), path + (c["text"],)))
            walk(c["id"], level + 1, path + (c["text"],))

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


def approved_deadlines(reader: Reader, round_id: int) -> dict[int, dt.date]:
    """Each problem's newest approved extension: the deadline that counts."""
    return {pid: d for pid, raw in reader.pairs(_EXTENSION_SQL, round=round_id, approved=Decision.APPROVED).items()
            if (d := as_date(raw)) is not None}


def problem_rows(reader: Reader, round_id: int, today: dt.date | None = None, *,
                 details: bool = True) -> list[ProblemRow]:
    """The round's problems in reading order with derived numbers, effective deadlines, counts and warnings."""
    return round_ledger(reader, round_id, today, details=details)[1]


DERIVED = ("round_id", "number", "number_in_category", "category_path", "effective_deadline", "evidence_count",
           "measure_count", "days_left", "warning", "progress_count")


def round_ledger(reader: Reader, round_id: int, today: dt.date | None = None, *,
                 details: bool = True) -> tuple[list[CategoryRow], list[ProblemRow]]:
    """The round's category tree and problem rows, in one read (the problems' numbers come from the tree).

    Without `details`, the fields the ledger's table and tree do not show (整改进程, 整改情况, 内部备注,
    the marks, the review date, the earlier problem) keep their defaults until `fill_details`.
    """
    today = today or dt.date.today()
    [r] = round_rows(reader, round_id)
    cats = _category_walk(reader.rows(_CATEGORY_SQL, round=round_id))
    columns = LEDGER_COLUMNS + DETAIL_COLUMNS if details else LEDGER_COLUMNS
    names, found = reader.table(_PROBLEM_SQL.format(columns=_select(columns)), round=round_id)
    make, memo = maker(ProblemRow, names, DERIVED)
    status_of, date_of = memo["status"], memo["deadline"]
    at_id, at_category, at_status, at_deadline = (names.index(n) for n in ("id", "category_id", "status", "deadline"))
    by_cat: dict[int | None, list[Any]] = {}
    for p in found:
        by_cat.setdefault(p[at_category], []).append(p)
    extended = approved_deadlines(reader, round_id)
    evidence = reader.pairs(_EVIDENCE_COUNT_SQL, round=round_id)
    measures = reader.pairs(_MEASURE_COUNT_SQL, round=round_id)
    progress = reader.pairs(_PROGRESS_COUNT_SQL, round=round_id)

    yellow, red = r.warn_yellow_days, r.warn_red_days
    ev_get, m_get, pr_get, ext_get = evidence.get, measures.get, progress.get, extended.get
    judged: dict[tuple[Status, dt.date | None], tuple[int | None, Warning]] = {}
    rows: list[ProblemRow] = []
    append = rows.append
    groups = [(None, ())] + [(c.id, path) for c, path in cats]
    for cat_id, path in groups:
        for in_cat, p in enumerate(by_cat.get(cat_id, ()), 1):
            pid, status = p[at_id], status_of[p[at_status]]
            effective = ext_get(pid, date_of[p[at_deadline]])
            key = (status, effective)  # a round has few distinct deadlines: each pair is judged once
            days, warning = judged[key] if key in judged else judged.setdefault(
                key, warning_for(status, effective, today, yellow, red))
            append(make(p, round_id, len(rows) + 1, in_cat, path, effective, ev_get(pid, 0), m_get(pid, 0), days,
                        warning, pr_get(pid, 0)))
    return [c for c, _path in cats], rows


# A problem's detail fields by field name (`DETAIL_COLUMNS`), typed as `ProblemRow` types them: new values,
# so a worker thread can read them while the window shows the rows they will go into.
ProblemDetails = dict[str, object]


def detail_rows(reader: Reader, round_id: int) -> dict[int, ProblemDetails]:
    """The detail fields of the round's problems by problem id, as new values (nothing shared is touched)."""
    names, found = reader.table(_PROBLEM_SQL.format(columns=_select(("id", *DETAIL_COLUMNS))), round=round_id)
    typed = list(converters(ProblemRow, names).items())
    return {values[0]: {name: convert(value) if convert is not None else value
                        for (name, convert), value in zip(typed[1:], values[1:], strict=True)}
            for values in found}


def apply_details(rows: list[ProblemRow], details: dict[int, ProblemDetails]) -> None:
    """Put the detail fields into rows read without them (in place: the window's models hold these rows, so
    the window does this on its GUI thread)."""
    get = details.get
    for r in rows:
        d = get(r.id)
        if d is not None:
            for name, value in d.items():
                setattr(r, name, value)


def fill_details(reader: Reader, round_id: int, rows: list[ProblemRow]) -> None:
    """Add the detail fields to rows read without them (in place: the window's models hold these rows)."""
    apply_details(rows, detail_rows(reader, round_id))


# -- over the database (one read each) ------------------------------------------------------------
def list_rounds(db: Database) -> list[RoundRow]:
    with db.raw_reading() as reader:
        return round_rows(reader)


def list_categories(db: Database, round_id: int) -> list[CategoryRow]:
    """Categories in reading order (depth first)."""
    with db.raw_reading() as reader:
        round_rows(reader, round_id)  # NotFound for a deleted round, as every service says it
        return category_rows(reader, round_id)


def list_problems(db: Database, round_id: int, today: dt.date | None = None, *,
                  details: bool = True) -> list[ProblemRow]:
    with db.raw_reading() as reader:
        return problem_rows(reader, round_id, today, details=details)


def read_round(db: Database, round_id: int, today: dt.date | None = None, *,
               details: bool = True) -> tuple[list[CategoryRow], list[ProblemRow]]:
    """A round's category tree and problem rows from the same state of the database."""
    with db.raw_reading() as reader:
        return round_ledger(reader, round_id, today, details=details)


def list_details(db: Database, round_id: int, rows: list[ProblemRow]) -> None:
    with db.raw_reading() as reader:
        fill_details(reader, round_id, rows)


def read_details(db: Database, round_id: int) -> dict[int, ProblemDetails]:
    """The round's detail fields by problem id (safe on a worker thread: see `apply_details`)."""
    with db.raw_reading() as reader:
        return detail_rows(reader, round_id)
