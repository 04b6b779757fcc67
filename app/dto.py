"""Plain rows the services return for display: no live ORM objects leave `app/`."""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field
from decimal import Decimal

from db.enums import Status


class Warning(enum.StrEnum):
    """三色预警 of a problem's deadline."""

    NONE = "无"          # done, or no deadline
    GREEN = "绿色"
    YELLOW = "黄色"
    RED = "红色"
    OVERDUE = "逾期"


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
class RoundRow:
    id: int
    unit_id: int
    unit_name: str
    title: str
    kind: str
    deciding_body: str
    inspection_group: str
    inspection_start: dt.date | None
    inspection_end: dt.date | None
    feedback_date: dt.date | None
    rectification_end: dt.date | None
    index_no: str
    doc_no: str
    topic: str
    publisher: str
    disclosure_period: str
    earlier_round_id: int | None
    warn_yellow_days: int
    warn_red_days: int
    layout_style: str


@dataclass(frozen=True)
class CategoryRow:
    id: int
    round_id: int
    parent_id: int | None
    position: int
    text: str
    level: int                 # 1 = 方面, 2 = 项
    number: int                # 1-based among its siblings


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each of 26 fields through object.__setattr__
class ProblemRow:
    id: int
    round_id: int
    number: int                # continuous across the round, as the ledger shows it
    number_in_category: int    # restarts in each innermost category
    category_id: int | None
    category_path: tuple[str, ...]
    text: str
    title: str
    leaders: str
    departments: str
    persons: str
    deadline: dt.date | None
    effective_deadline: dt.date | None
    long_term: bool
    status: Status
    progress_line: str
    narrative: str
    internal_notes: str
    sensitive: bool
    immediate: bool
    next_review_date: dt.date | None
    earlier_problem_id: int | None
    evidence_count: int
    measure_count: int
    days_left: int | None
    warning: Warning


_NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def split_names(text: str) -> list[str]:
    """'张三、李四' → ['张三', '李四']: a problem's owner fields (责任领导/部门/人) hold several names."""
    return [n for n in _NAME_SEPARATORS.split(text or "") if n]


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

    aspects: int                     # 方面 (level-1 categories)
    items: int                       # 项 (level-2 categories)
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
