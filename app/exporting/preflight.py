"""What a notice lacks before it is published: the composer's list beside the blocks.

A composer never fills a gap with placeholder text or a guessed fact. Whatever it leaves out, or
had to decide for the clerk, it reports here; the export dialog lists the items (an item with a
problem jumps to it) and the command line prints them as warnings before writing.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    MISSING = "缺少"      # the document is not complete without it (署名, 成文日期)
    WARNING = "注意"      # printed as the data holds it, but the clerk should look (names, empty problems)
    NOTE = "说明"         # a decision the export took (numbering restarted, counts derived)


@dataclass(frozen=True)
class PreflightItem:
    severity: Severity
    message: str
    problem_id: int | None = None     # the problem to jump to, if the item concerns one
    names: tuple[str, ...] = ()       # person names found in public text, for the clerk to confirm

    def __str__(self) -> str:
        return f"【{self.severity.value}】{self.message}"


def has_missing(items: list[PreflightItem]) -> bool:
    return any(i.severity == Severity.MISSING for i in items)
