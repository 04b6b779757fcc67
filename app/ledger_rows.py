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


@dataclass(slots=True)  # not frozen: a frozen dataclass sets each of 27 fields through object.__setattr__
class ProblemRow:
    """A problem as the ledger shows it. Built by column name (`app/rowbuild.py`): the stored fields
    come from the query's columns of the same names, the derived ones (numbers, the category path, the
    effective deadline, counts, the warning) from `app/services/reading.py`."""

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
    evidence_count: int
    measure_count: int
    days_left: int | None
    warning: Warning
    version: int = 1           # moves on with every saved change (a stale form's save is refused)
    progress_count: int = 0    # 进展记录 entries
    # The details: the ledger's table and tree show none of them, so the first screen reads them later
    # (`fill_details`); until then they keep these defaults.
    progress_line: str = ""
    narrative: str = ""
    internal_notes: str = ""
    sensitive: bool = False
    immediate: bool = False
    next_review_date: dt.date | None = None
    earlier_problem_id: int | None = None


_NAME_SEPARATORS = re.compile(r"[、，,；;/\s]+")


def split_names(text: str) -> list[str]:
    """'张三、李四' → ['张三', '李四']: a problem's owner fields (责任领导/部门/人) hold several names."""
    return [n for n in _NAME_SEPARATORS.split(text or "") if n]
