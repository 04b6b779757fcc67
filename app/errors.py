"""Typed errors of the use cases. `str(err)` is a Chinese message for the user."""
from __future__ import annotations

from db.errors import StorageError


class LedgerError(Exception):
    """Base of every error a service raises on purpose."""


class ValidationError(LedgerError):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class NotFound(LedgerError):
    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"找不到{what}（{ident}），可能已被删除。")


class RuleViolation(LedgerError):
    """A business rule refused the change (e.g. 已完成 without evidence)."""


class EvidenceError(LedgerError):
    """A file could not be taken into the evidence store."""


USER_ERRORS = (LedgerError, StorageError)
