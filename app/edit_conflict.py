"""The refusal of a save made from a stale form, with who changed what since (`app/services/conflicts.py`
finds the changes). Kept free of SQLAlchemy: the window's undo stack catches it (`ui/commands.py`)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.errors import LedgerError


@dataclass(frozen=True)
class Change:
    at: dt.datetime
    user: str
    field: str          # the column's name
    label: str          # what the clerk calls it (责任部门)
    old_value: str | None
    new_value: str | None

    def line(self) -> str:
        old, new = self.old_value or "（空）", self.new_value or "（空）"
        return f"{self.label}：{_short(old)} → {_short(new)}（{self.user}，{self.at:%m-%d %H:%M}）"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


class EditConflict(LedgerError):
    """The row changed since the clerk's form read it; nothing was saved."""

    def __init__(self, what: str, changes: list[Change], current_version: int) -> None:
        self.changes = changes
        self.current_version = current_version
        users = "、".join(dict.fromkeys(c.user for c in changes)) or "其他人"
        lines = "\n".join(f"· {c.line()}" for c in changes[-8:])
        more = f"\n（另有 {len(changes) - 8} 处修改）" if len(changes) > 8 else ""
        super().__init__(f"这个{what}在您打开之后已被{users}修改，您的修改尚未保存：\n{lines}{more}"
                         if changes else f"这个{what}在您打开之后已被其他人修改，您的修改尚未保存。")

    @property
    def users(self) -> list[str]:
        return list(dict.fromkeys(c.user for c in self.changes))


