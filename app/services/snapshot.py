"""A whole round read once, in one read transaction, into plain rows: what every export composes from.

The notice, the plan, the ledger and the evidence volume each used to read the database as they went
(one session per problem for measures, another for progress …): slow, and the parts could come from
different states of the file. `read_snapshot` reads the round, its category tree of any depth, its
problems with their derived numbers, and every child row in one transaction; composers then work on
this snapshot alone and never touch the database.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

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
from app.rowbuild import build, build_all
from app.services.reading import round_ledger, round_rows
from db.reader import Reader
from db.session import Database

T = TypeVar("T")


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


def read_snapshot(db: Database, round_id: int, today: dt.date | None = None) -> RoundSnapshot:
    """The round and everything under it, from one state of the database."""
    today = today or dt.date.today()
    with db.raw_reading() as reader:
        return snapshot_from(reader, round_id, today)


_UNIT_SQL = """select id, name, signature, contact_phone, contact_hours, contact_address, contact_postcode,
    contact_email from unit where id = :unit"""
_SETTINGS_SQL = """select round_id, title, opening, part_one, part_two_intro, part_three, contact_paragraph,
    signature, sign_date from notice_settings where round_id = :round"""
_FIGURES_SQL = """select clues_transferred, clues_closed, clues_in_progress, cases_filed, disciplined,
    other_handled, recovered_during, recovered_since from round_figures where round_id = :round"""
_MEASURES_SQL = """select m.id, m.problem_id, m.text, m.owner, m.deadline, m.status, m.completed_on, m.version
    from measure m join problem p on p.id = m.problem_id where p.round_id = :round and m.deleted_at is null
    order by m.problem_id, m.position, m.id"""
_PROGRESS_SQL = """select e.id, e.problem_id, e.measure_id, e.entry_date, e.author, e.note
    from progress_entry e join problem p on p.id = e.problem_id where p.round_id = :round
    order by e.problem_id, e.entry_date, e.id"""
_EVIDENCE_SQL = """select v.id, l.id as link_id, l.problem_id, l.measure_id, v.sha256, v.stored_path,
    v.original_name, v.file_type, v.size, v.page_count, v.description, v.doc_date, v.attached_at, l.removed_at
    from evidence_link l join evidence v on v.id = l.evidence_id join problem p on p.id = l.problem_id
    where p.round_id = :round and l.removed_at is null order by l.problem_id, l.linked_at, l.id"""
_EXTENSIONS_SQL = """select x.id, x.problem_id, x.original_deadline, x.requested_deadline, x.reason, x.decision,
    x.decided_by, x.decided_at, x.requested_by from extension x join problem p on p.id = x.problem_id where p.round_id = :round
    order by x.problem_id, x.requested_at, x.id"""
_REVIEWS_SQL = """select v.id, v.problem_id, v.target_status, v.submitted_at, v.submitted_by, v.outcome,
    v.requirements, v.reviewer, v.reviewed_at from review v join problem p on p.id = v.problem_id
    where p.round_id = :round order by v.problem_id, v.submitted_at, v.id"""
_REGULATION_LINKS_SQL = """select l.regulation_id, l.problem_id from regulation_link l
    join regulation g on g.id = l.regulation_id join problem p on p.id = l.problem_id
    where g.round_id = :round and p.deleted_at is null order by l.problem_id"""
_REGULATIONS_SQL = "select id, round_id, name, kind, issued_on from regulation where round_id = :round order by id"
_REDACTIONS_SQL = "select term, replacement from redaction_term where round_id = :round order by id"
_DIRECTORY_SQL = "select name from person order by id"


def _grouped(cls: type[T], rows: list[dict[str, Any]], numbered: bool = False) -> dict[int, list[T]]:
    """Rows by their problem (ordered by it), built by column name; `numbered` adds each one's number."""
    out: dict[int, list[T]] = {}
    for row in rows:
        group = out.setdefault(row["problem_id"], [])
        group.append(build(cls, row, number=len(group) + 1) if numbered else build(cls, row))
    return out


def snapshot_from(reader: Reader, round_id: int, today: dt.date) -> RoundSnapshot:
    cats, rows = round_ledger(reader, round_id, today)
    [r] = round_rows(reader, round_id)
    unit = build_all(UnitRow, reader.rows(_UNIT_SQL, unit=r.unit_id))[0]
    found = reader.first(_SETTINGS_SQL, round=round_id)
    settings = (build(NoticeSettingsRow, found) if found
                else NoticeSettingsRow(round_id, "", "", "", "", "", "", "", None))
    fig = reader.first(_FIGURES_SQL, round=round_id)
    figures = build(FiguresRow, fig) if fig else FiguresRow()

    nodes: dict[int, CategoryNode] = {}
    top: list[CategoryNode] = []
    for c in cats:
        node = CategoryNode(c, c.level)
        nodes[c.id] = node
        (nodes[c.parent_id].children if c.parent_id is not None else top).append(node)
    loose: list[ProblemRow] = []
    for p in rows:
        (nodes[p.category_id].problems if p.category_id is not None else loose).append(p)

    links: dict[int, list[int]] = {}
    for link in reader.rows(_REGULATION_LINKS_SQL, round=round_id):
        links.setdefault(link["regulation_id"], []).append(link["problem_id"])
    regulations = [build(RegulationRow, g, problem_ids=tuple(links.get(g["id"], ())))
                   for g in reader.rows(_REGULATIONS_SQL, round=round_id)]
    return RoundSnapshot(
        round=r, unit=unit, settings=settings, figures=figures,
        scheme=NumberingScheme.from_json(r.numbering, r.layout_style), today=today,
        categories=top, loose=loose, problems=rows,
        measures=_grouped(MeasureRow, reader.rows(_MEASURES_SQL, round=round_id), numbered=True),
        progress=_grouped(ProgressRow, reader.rows(_PROGRESS_SQL, round=round_id)),
        evidence=_grouped(EvidenceRow, reader.rows(_EVIDENCE_SQL, round=round_id)),
        extensions=_grouped(ExtensionRow, reader.rows(_EXTENSIONS_SQL, round=round_id)),
        reviews=_grouped(ReviewRow, reader.rows(_REVIEWS_SQL, round=round_id)),
        regulations=regulations, redactions=reader.pairs(_REDACTIONS_SQL, round=round_id),
        directory_names=reader.values(_DIRECTORY_SQL))
