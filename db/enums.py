"""The ledger's enumerations, kept free of SQLAlchemy: the window's first screen uses them before
the ORM is imported (see `app/services/reading.py`)."""
from __future__ import annotations

import enum


class Status(enum.StrEnum):
    """A problem's or a measure's state. Values are what the office reads."""

    NOT_STARTED = "未启动"
    IN_PROGRESS = "整改中"
    PENDING_REVIEW = "待销号"
    DONE = "已完成"
    LONG_TERM = "已完成·长期坚持"

    @property
    def is_done(self) -> bool:
        return self in _DONE  # a set: member lookups through the enum class are slow, and this runs per row


_DONE = frozenset({Status.DONE, Status.LONG_TERM})


class RoundKind(enum.StrEnum):
    REGULAR = "常规巡察"
    SPECIAL = "专项巡察"
    LOOK_BACK = "巡察“回头看”"
    CENTRAL = "巡视"
    AUDIT = "审计"
    OTHER = "其他"


class ReviewOutcome(enum.StrEnum):
    PENDING = "待审核"
    APPROVED = "已销号"
    RETURNED = "已退回"


class Decision(enum.StrEnum):
    PENDING = "待审批"
    APPROVED = "已批准"
    REJECTED = "未批准"


class RegulationKind(enum.StrEnum):
    NEW = "新制定"
    REVISED = "修订完善"


class Role(enum.StrEnum):
    """An account's role (`db/guards.py` says what each may write)."""

    ADMIN = "管理员"       # accounts, the unit, rounds; and the ledger's content
    CLERK = "录入员"       # problems, measures, progress, evidence; submits 销号 and 延期
    REVIEWER = "审核人"    # what a 录入员 does, and approves or returns 销号 and 延期, never their own
    READER = "只读"        # browses, prints, exports
