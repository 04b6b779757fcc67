"""What the importer produces: a ParsedNotice the user can inspect and correct before it is stored."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from db.models import Status


@dataclass
class ParseWarning:
    line: int          # 1-based line of the source text (0: the document as a whole)
    message: str


@dataclass
class ParsedProblem:
    number: int                      # as the source numbered it (continuous across the round)
    text: str
    line: int
    title: str = ""
    progress_line: str = ""
    narrative: list[str] = field(default_factory=list)   # paragraphs of 整改情况 / 整改措施及成效
    narrative_line: int = 0
    measures: list[str] = field(default_factory=list)    # 一是… items, when the user asks for them
    status: Status = Status.DONE


@dataclass
class ParsedCategory:
    text: str
    line: int
    children: list[ParsedCategory] = field(default_factory=list)
    problems: list[ParsedProblem] = field(default_factory=list)


@dataclass
class Contact:
    phone: str = ""
    hours: str = ""
    address: str = ""
    postcode: str = ""
    email: str = ""


@dataclass
class Statistics:
    aspects: int | None = None
    items: int | None = None
    problems: int | None = None
    tasks: int | None = None               # 整改任务 (shizhong: 梳理分解整改任务16个)
    measures: int | None = None
    done: int | None = None
    in_progress: int | None = None
    clues_transferred: int | None = None
    clues_closed: int | None = None
    clues_in_progress: int | None = None
    cases_filed: int | None = None
    disciplined: int | None = None
    other_handled: int | None = None
    regulations_new: int | None = None
    regulations_revised: int | None = None
    recovered_during: Decimal | None = None
    recovered_since: Decimal | None = None


@dataclass
class RoundFacts:
    title: str = ""
    kind: str = ""                        # a RoundKind value, or ''
    deciding_body: str = ""
    inspection_group: str = ""
    inspected: str = ""                   # whom the group inspected, as the opening says it
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    feedback_date: dt.date | None = None
    signature: str = ""
    sign_date: dt.date | None = None
    disclosure_period: str = ""
    index_no: str = ""
    doc_no: str = ""
    topic: str = ""
    publisher: str = ""
    contact: Contact = field(default_factory=Contact)


@dataclass
class ParsedNotice:
    facts: RoundFacts = field(default_factory=RoundFacts)
    opening: str = ""
    part_one: str = ""
    part_two_intro: str = ""
    part_three: str = ""
    contact_paragraph: str = ""
    layout_style: str = "A"
    categories: list[ParsedCategory] = field(default_factory=list)
    problems: list[ParsedProblem] = field(default_factory=list)   # problems outside any category
    statistics: Statistics = field(default_factory=Statistics)
    warnings: list[ParseWarning] = field(default_factory=list)
    dropped: list[tuple[int, str]] = field(default_factory=list)   # web-page furniture left out
    lines: list[str] = field(default_factory=list)

    def all_problems(self) -> list[ParsedProblem]:
        out = list(self.problems)

        def walk(cats: list[ParsedCategory]) -> None:
            for c in cats:
                out.extend(c.problems)
                walk(c.children)
        walk(self.categories)
        return out

    def category_count(self) -> tuple[int, int]:
        """(方面, 项) in the parsed tree."""
        return len(self.categories), sum(len(c.children) for c in self.categories)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ParseWarning(line, message))

    def to_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, dt.date):
                return value.isoformat()
            if isinstance(value, Decimal):
                return format(value, "f")
            if isinstance(value, Status):
                return value.value
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items() if k != "lines"}
            if isinstance(value, list | tuple):
                return [plain(v) for v in value]
            return value
        data = plain(asdict(self))
        data["counts"] = dict(aspects=self.category_count()[0], items=self.category_count()[1],
                              problems=len(self.all_problems()))
        return data
