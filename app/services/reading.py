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
from typing import Any, NamedTuple

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
# The first screen (`first_screen`): one category's first problems, and each category's problems by status.
_GROUP_SQL = """
    select {columns} from problem where round_id = :round and {category} and deleted_at is null
    order by position, id limit :limit"""
_TALLY_SQL = """
    select category_id, status, count(*) as n from problem where round_id = :round and deleted_at is null
    group by category_id, status"""
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
    [r] = round_rows(reader, round_id)
    cats = _category_walk(reader.rows(_CATEGORY_SQL, round=round_id))
    columns = LEDGER_COLUMNS + DETAIL_COLUMNS if details else LEDGER_COLUMNS
    names, found = reader.table(_PROBLEM_SQL.format(columns=_select(columns)), round=round_id)
    at_category = names.index("category_id")
    by_cat: dict[int | None, list[Any]] = {}
    for p in found:
        by_cat.setdefault(p[at_category], []).append(p)
    rows = _ledger_rows(reader, r, cats, names, by_cat, today)
    return [c for c, _path in cats], rows


class FirstScreen(NamedTuple):
    """The start of a round's ledger: the tree, the first problems in reading order, and the round's counts."""

    categories: list[CategoryRow]
    rows: list[ProblemRow]            # the first problems in reading order (all of them when `complete`)
    total: int                        # problems in the round
    tally: dict[int | None, tuple[int, int]]  # problems and done ones directly in each category (None: in none)

    @property
    def complete(self) -> bool:
        return len(self.rows) == self.total


def first_screen(reader: Reader, round_id: int, limit: int, today: dt.date | None = None) -> FirstScreen:
    """The round as `round_ledger` reads it without details, but only its first `limit` problems in reading
    order (numbered as in the whole ledger), with every category's counts: what a window shows before it
    has had time to read a ledger of many thousands of problems. A round of `limit` problems or fewer
    comes whole."""
    [r] = round_rows(reader, round_id)
    cats = _category_walk(reader.rows(_CATEGORY_SQL, round=round_id))
    tally: dict[int | None, tuple[int, int]] = {}
    for cat_id, raw_status, n in reader.table(_TALLY_SQL, round=round_id)[1]:
        total, done = tally.get(cat_id, (0, 0))
        tally[cat_id] = (total + n, done + (n if Status(raw_status).is_done else 0))
    names: tuple[str, ...] = LEDGER_COLUMNS
    by_cat: dict[int | None, list[Any]] = {}
    left = limit
    for cat_id, _path in _groups(cats):
        wanted = min(tally.get(cat_id, (0, 0))[0], left)
        if wanted:
            sql = _GROUP_SQL.format(columns=_select(LEDGER_COLUMNS),
                                    category="category_id is null" if cat_id is None else "category_id = :cat")
            bound = {"round": round_id, "limit": wanted} | ({} if cat_id is None else {"cat": cat_id})
            names, by_cat[cat_id] = reader.table(sql, bound)
            left -= len(by_cat[cat_id])
        if left <= 0:
            break
    rows = _ledger_rows(reader, r, cats, names, by_cat, today)
    return FirstScreen([c for c, _path in cats], rows, sum(t for t, _d in tally.values()), tally)


def _groups(cats: list[tuple[CategoryRow, tuple[str, ...]]]) -> list[tuple[int | None, tuple[str, ...]]]:
    """The reading order of a round's problems by category: those in none first, then the tree depth first."""
    return [(None, ())] + [(c.id, path) for c, path in cats]


def _ledger_rows(reader: Reader, r: RoundRow, cats: list[tuple[CategoryRow, tuple[str, ...]]],
                 names: tuple[str, ...], by_cat: dict[int | None, list[Any]], today: dt.date | None
                 ) -> list[ProblemRow]:
    """Rows from the problems' query rows (by category, each in its order), numbered in reading order,
    with their effective deadlines, counts and warnings."""
    today = today or dt.date.today()
    make, memo = maker(ProblemRow, names, DERIVED)
    status_of, date_of = memo["status"], memo["deadline"]
    at_id, at_status, at_deadline = (names.index(n) for n in ("id", "status", "deadline"))
    extended = approved_deadlines(reader, r.id)
    evidence = reader.pairs(_EVIDENCE_COUNT_SQL, round=r.id)
    measures = reader.pairs(_MEASURE_COUNT_SQL, round=r.id)
    progress = reader.pairs(_PROGRESS_COUNT_SQL, round=r.id)

    yellow, red = r.warn_yellow_days, r.warn_red_days
    ev_get, m_get, pr_get, ext_get = evidence.get, measures.get, progress.get, extended.get
    judged: dict[tuple[Status, dt.date | None], tuple[int | None, Warning]] = {}
    rows: list[ProblemRow] = []
    append = rows.append
    for cat_id, path in _groups(cats):
        for in_cat, p in enumerate(by_cat.get(cat_id, ()), 1):
            pid, status = p[at_id], status_of[p[at_status]]
            effective = ext_get(pid, date_of[p[at_deadline]])
            key = (status, effective)  # a round has few distinct deadlines: each pair is judged once
            days, warning = judged[key] if key in judged else judged.setdefault(
                key, warning_for(status, effective, today, yellow, red))
            append(make(p, r.id, len(rows) + 1, in_cat, path, effective, ev_get(pid, 0), m_get(pid, 0), days,
                        warning, pr_get(pid, 0)))
    return rows


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


def read_first_screen(db: Database, round_id: int, limit: int, today: dt.date | None = None) -> FirstScreen:
    """The start of a round's ledger (`first_screen`), from one state of the database."""
    with db.raw_reading() as reader:
        return first_screen(reader, round_id, limit, today)


def list_details(db: Database, round_id: int, rows: list[ProblemRow]) -> None:
    with db.raw_reading() as reader:
        fill_details(reader, round_id, rows)


def read_details(db: Database, round_id: int) -> dict[int, ProblemDetails]:
    """The round's detail fields by problem id (safe on a worker thread: see `apply_details`)."""
    with db.raw_reading() as reader:
        return detail_rows(reader, round_id)
