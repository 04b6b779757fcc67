"""The rows of the ledger's first screen: rounds, categories, problems, and a deadline's warning level.

Kept apart from the other rows (`app/dto.py`, which re-exports these) because the window imports
them before anything else, and every frozen dataclass costs a millisecond to create at import.
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

from db.enums import Status


class Warning(enum.StrEnum):
    """三色预警 of a problem's deadline."""

    NONE = "无"          # done, or no deadline
    GREEN = "绿色"
    YELLOW = "黄色"
    RED = "红色"
    OVERDUE = "逾期"


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
    numbering: str = ""        # the numbering scheme as JSON (app/numbering_scheme.py); '' = the style's habit


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
