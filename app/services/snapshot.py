"""A whole round read once, in one read transaction, into plain rows: what every export composes from.

The notice, the plan, the ledger and the evidence volume each used to read the database as they went
(one session per problem for measures, another for progress …): slow, and the parts could come from
different states of the file. `read_snapshot` reads the round, its category tree of any depth, its
problems with their derived numbers, and every child row in one transaction; composers then work on
this snapshot alone and never touch the database.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from app.dto import (
    CategoryRow,
    EvidenceRow,
    ExtensionRow,
    FiguresRow,
    MeasureRow,
    NoticeSettingsRow,
    ProblemRow,
    ProgressRow,
    RegulationRow,
    ReviewRow,
    RoundRow,
    UnitRow,
)
from app.numbering_scheme import NumberingScheme
from app.services.reading import round_ledger
from db.enums import Status
from db.session import Database


@dataclass
class CategoryNode:
    """A category with what lies under it, in reading order."""

    row: CategoryRow
    depth: int                                   # 1 = outermost (方面)
    children: list[CategoryNode] = field(default_factory=list)
    problems: list[ProblemRow] = field(default_factory=list)

    def all_problems(self) -> Iterator[ProblemRow]:
        yield from self.problems
        for c in self.children:
            yield from c.all_problems()


@dataclass
class RoundSnapshot:
    round: RoundRow
    unit: UnitRow
    settings: NoticeSettingsRow
    figures: FiguresRow
    scheme: NumberingScheme
    today: dt.date
    categories: list[CategoryNode]               # the outermost level
    loose: list[ProblemRow]                      # problems outside any category
    problems: list[ProblemRow]                   # every problem, in reading order
    measures: dict[int, list[MeasureRow]]
    progress: dict[int, list[ProgressRow]]
    evidence: dict[int, list[EvidenceRow]]       # links in use (not in the recycle bin)
    extensions: dict[int, list[ExtensionRow]]
    reviews: dict[int, list[ReviewRow]]
    regulations: list[RegulationRow]
    redactions: dict[str, str]
    directory_names: list[str]                   # people of the directory (人员), for redaction checks

    def walk(self) -> Iterator[CategoryNode]:
        """Every category, depth first, in reading order."""
        def visit(nodes: list[CategoryNode]) -> Iterator[CategoryNode]:
            for n in nodes:
                yield n
                yield from visit(n.children)
        return visit(self.categories)

    @property
    def depth(self) -> int:
        """Levels of categories above the problems (0: a flat list)."""
        return max((n.depth for n in self.walk()), default=0)

    def count_by_depth(self) -> list[int]:
        """[方面, 项, …]: how many categories each level holds."""
        counts = [0] * self.depth
        for n in self.walk():
            counts[n.depth - 1] += 1
        return counts

    def measure_count(self) -> int:
        return sum(len(v) for v in self.measures.values())

    def person_names(self) -> list[str]:
        """Every person the ledger knows: the directory, and the 责任领导/责任人 of the problems."""
        from app.dto import split_names

        names = set(self.directory_names)
        for p in self.problems:
            names.update(split_names(p.leaders))
            names.update(split_names(p.persons))
        for ms in self.measures.values():
            for m in ms:
                names.update(split_names(m.owner))
        return sorted(n for n in names if len(n) >= 2)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def read_snapshot(db: Database, round_id: int, today: dt.date | None = None) -> RoundSnapshot:
    """The round and everything under it, from one state of the database."""
    today = today or dt.date.today()
    with db.raw_reading() as conn:
        return snapshot_from(conn, round_id, today)


def snapshot_from(conn: sqlite3.Connection, round_id: int, today: dt.date) -> RoundSnapshot:
    cats, rows = round_ledger(conn, round_id, today)
    from app.services.reading import round_rows

    [r] = round_rows(conn, round_id)
    unit = UnitRow(*conn.execute(
        "select id, name, signature, contact_phone, contact_hours, contact_address, contact_postcode, contact_email"
        " from unit where id = ?", (r.unit_id,)).fetchone())
    found = conn.execute(
        "select round_id, title, opening, part_one, part_two_intro, part_three, contact_paragraph, signature,"
        " sign_date from notice_settings where round_id = ?", (round_id,)).fetchone()
    settings = (NoticeSettingsRow(found[0], found[1], found[2], found[3], found[4], found[5], found[6], found[7],
                                  _date(found[8])) if found
                else NoticeSettingsRow(round_id, "", "", "", "", "", "", "", None))
    fig = conn.execute(
        "select clues_transferred, clues_closed, clues_in_progress, cases_filed, disciplined, other_handled,"
        " recovered_during, recovered_since from round_figures where round_id = ?", (round_id,)).fetchone()
    figures = (FiguresRow(fig[0], fig[1], fig[2], fig[3], fig[4], fig[5], _decimal(fig[6]), _decimal(fig[7]))
               if fig else FiguresRow())

    nodes: dict[int, CategoryNode] = {}
    top: list[CategoryNode] = []
    for c in cats:
        node = CategoryNode(c, c.level)
        nodes[c.id] = node
        (nodes[c.parent_id].children if c.parent_id is not None else top).append(node)
    loose: list[ProblemRow] = []
    for p in rows:
        (nodes[p.category_id].problems if p.category_id is not None else loose).append(p)

    statuses = {s.value: s for s in Status}
    measures: dict[int, list[MeasureRow]] = {}
    for mid, pid, text, owner, deadline, status, completed in conn.execute(
            "select m.id, m.problem_id, m.text, m.owner, m.deadline, m.status, m.completed_on from measure m"
            " join problem p on p.id = m.problem_id where p.round_id = ? and m.deleted_at is null"
            " order by m.problem_id, m.position, m.id",
            (round_id,)):
        group = measures.setdefault(pid, [])
        group.append(MeasureRow(mid, pid, len(group) + 1, text, owner, _date(deadline), statuses[status],
                                _date(completed)))
    progress: dict[int, list[ProgressRow]] = {}
    for eid, pid, measure_id, entry_date, author, note in conn.execute(
            "select e.id, e.problem_id, e.measure_id, e.entry_date, e.author, e.note from progress_entry e"
            " join problem p on p.id = e.problem_id where p.round_id = ?"
            " order by e.problem_id, e.entry_date, e.id", (round_id,)):
        progress.setdefault(pid, []).append(ProgressRow(eid, pid, measure_id, _date(entry_date) or today,
                                                        author, note))
    evidence: dict[int, list[EvidenceRow]] = {}
    for (vid, lid, pid, measure_id, sha, stored, name, ftype, size, pages, description, doc_date,
         attached) in conn.execute(
            "select v.id, l.id, l.problem_id, l.measure_id, v.sha256, v.stored_path, v.original_name, v.file_type,"
            " v.size, v.page_count, v.description, v.doc_date, v.attached_at"
            " from evidence_link l join evidence v on v.id = l.evidence_id join problem p on p.id = l.problem_id"
            " where p.round_id = ? and l.removed_at is null order by l.problem_id, l.linked_at, l.id", (round_id,)):
        evidence.setdefault(pid, []).append(EvidenceRow(
            vid, lid, pid, measure_id, sha, stored, name, ftype, size, pages, description, _date(doc_date),
            _datetime(attached) or dt.datetime.min, None))
    extensions: dict[int, list[ExtensionRow]] = {}
    for xid, pid, original, requested, reason, decision, decided_by, decided_at in conn.execute(
            "select x.id, x.problem_id, x.original_deadline, x.requested_deadline, x.reason, x.decision,"
            " x.decided_by, x.decided_at from extension x join problem p on p.id = x.problem_id"
            " where p.round_id = ? order by x.problem_id, x.requested_at, x.id", (round_id,)):
        extensions.setdefault(pid, []).append(ExtensionRow(
            xid, pid, _date(original), _date(requested) or today, reason, decision, decided_by, _datetime(decided_at)))
    reviews: dict[int, list[ReviewRow]] = {}
    for vid, pid, target, submitted_at, submitted_by, outcome, requirements, reviewer, reviewed_at in conn.execute(
            "select v.id, v.problem_id, v.target_status, v.submitted_at, v.submitted_by, v.outcome, v.requirements,"
            " v.reviewer, v.reviewed_at from review v join problem p on p.id = v.problem_id"
            " where p.round_id = ? order by v.problem_id, v.submitted_at, v.id", (round_id,)):
        reviews.setdefault(pid, []).append(ReviewRow(
            vid, pid, statuses[target], _datetime(submitted_at) or dt.datetime.min, submitted_by, outcome,
            requirements, reviewer, _datetime(reviewed_at)))
    links: dict[int, list[int]] = {}
    for reg_id, pid in conn.execute(
            "select l.regulation_id, l.problem_id from regulation_link l join regulation g on g.id = l.regulation_id"
            " join problem p on p.id = l.problem_id where g.round_id = ? and p.deleted_at is null"
            " order by l.problem_id", (round_id,)):
        links.setdefault(reg_id, []).append(pid)
    regulations = [RegulationRow(gid, round_id, name, kind, _date(issued), tuple(links.get(gid, ())))
                   for gid, name, kind, issued in conn.execute(
                       "select id, name, kind, issued_on from regulation where round_id = ? order by id", (round_id,))]
    redactions = dict(conn.execute(
        "select term, replacement from redaction_term where round_id = ? order by id", (round_id,)).fetchall())
    directory = [name for name, in conn.execute("select name from person order by id")]
    return RoundSnapshot(
        round=r, unit=unit, settings=settings, figures=figures,
        scheme=NumberingScheme.from_json(r.numbering, r.layout_style), today=today,
        categories=top, loose=loose, problems=rows, measures=measures, progress=progress, evidence=evidence,
        extensions=extensions, reviews=reviews, regulations=regulations, redactions=redactions,
        directory_names=directory)
