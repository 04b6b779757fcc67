"""Plain rows the services return for display: no live ORM objects leave `app/`.

The rows of the ledger's first screen (rounds, categories, problems) live in `app/ledger_rows.py`,
which the window imports before anything else; they are re-exported here with the others.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from app.ledger_rows import CategoryRow as CategoryRow
from app.ledger_rows import ProblemRow as ProblemRow
from app.ledger_rows import RoundRow as RoundRow
from app.ledger_rows import Warning as Warning
from app.ledger_rows import split_names as split_names
from db.enums import Status


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    signature: str
    contact_phone: str
    contact_hours: str
    contact_address: str
    contact_postcode: str
    contact_email: str


@dataclass(frozen=True)
class MeasureRow:
    id: int
    problem_id: int
    number: int
    text: str
    owner: str
    deadline: dt.date | None
    status: Status
    completed_on: dt.date | None
    version: int = 1           # moves on with every saved change (a stale form's save is refused)


@dataclass(frozen=True)
class ProgressRow:
    id: int
    problem_id: int
    measure_id: int | None
    entry_date: dt.date
    author: str
    note: str


@dataclass(frozen=True)
class EvidenceRow:
    id: int
    link_id: int
    problem_id: int
    measure_id: int | None
    sha256: str
    stored_path: str
    original_name: str
    file_type: str
    size: int
    page_count: int
    description: str
    doc_date: dt.date | None
    attached_at: dt.datetime
    removed_at: dt.datetime | None


@dataclass(frozen=True)
class ExtensionRow:
    id: int
    problem_id: int
    original_deadline: dt.date | None
    requested_deadline: dt.date
    reason: str
    decision: str
    decided_by: str
    decided_at: dt.datetime | None
    requested_by: str = ""


@dataclass(frozen=True)
class ReviewRow:
    id: int
    problem_id: int
    target_status: Status
    submitted_at: dt.datetime
    submitted_by: str
    outcome: str
    requirements: str
    reviewer: str
    reviewed_at: dt.datetime | None


@dataclass(frozen=True)
class RegulationRow:
    id: int
    round_id: int
    name: str
    kind: str
    issued_on: dt.date | None
    problem_ids: tuple[int, ...]


@dataclass(frozen=True)
class FiguresRow:
    clues_transferred: int | None = None
    clues_closed: int | None = None
    clues_in_progress: int | None = None
    cases_filed: int | None = None
    disciplined: int | None = None
    other_handled: int | None = None
    recovered_during: Decimal | None = None
    recovered_since: Decimal | None = None


@dataclass(frozen=True)
class NoticeSettingsRow:
    round_id: int
    title: str
    opening: str
    part_one: str
    part_two_intro: str
    part_three: str
    contact_paragraph: str
    signature: str
    sign_date: dt.date | None


@dataclass(frozen=True)
class GroupProgress:
    """Progress of one department or leader."""

    name: str
    total: int
    done: int
    in_progress: int
    not_started: int
    overdue: int

    @property
    def ratio(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class RoundSummary:
    """The figures a notice quotes and the dashboard shows, all derived from data."""

    aspects: int                     # 方面 (depth-1 categories): categories_by_depth[0]
    items: int                       # 项 (depth-2 categories): categories_by_depth[1]
    problems: int
    measures: int
    done: int                        # 已完成 + 已完成·长期坚持
    long_term: int
    in_progress: int                 # 整改中 + 待销号
    pending_review: int
    not_started: int
    overdue: int
    due_this_week: int
    regulations_new: int
    regulations_revised: int
    figures: FiguresRow = field(default_factory=FiguresRow)
    days_left_in_period: int | None = None
    categories_by_depth: tuple[int, ...] = ()   # categories at each depth of the tree: (方面, 项, …)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    user: str
    action: str
    entity: str
    entity_id: str
    field: str
    old_value: str | None
    new_value: str | None
