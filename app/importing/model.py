"""What the importer produces: a ParsedNotice the user can inspect and correct before it is stored."""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from app.numbering_scheme import NumberingScheme
from db.enums import Status


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
    label: str = ""                  # the source's label before the narrative (整改情况), '' when it has none


@dataclass
class ParsedCategory:
    text: str
    line: int
    number: int = 0                  # as the source numbered it (0: not numbered)
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
    scheme: NumberingScheme = field(default_factory=NumberingScheme)
    stated_lines: dict[str, int] = field(default_factory=dict)     # statistic → line where the source states it
    title_line: int = 0
    date_under_title: tuple[int, dt.date] | None = None

    def all_problems(self) -> list[ParsedProblem]:
        out = list(self.problems)

        def walk(cats: list[ParsedCategory]) -> None:
            for c in cats:
                out.extend(c.problems)
                walk(c.children)
        walk(self.categories)
        return out

    def category_counts(self) -> list[int]:
        """How many categories the tree has at each depth (outermost first): [方面, 项, …]."""
        counts: list[int] = []

        def walk(cats: list[ParsedCategory], depth: int) -> None:
            if cats:
                if len(counts) <= depth:
                    counts.append(0)
                counts[depth] += len(cats)
            for c in cats:
                walk(c.children, depth + 1)
        walk(self.categories, 0)
        return counts

    def category_count(self) -> tuple[int, int]:
        """(方面, 项): the first two depths of `category_counts`."""
        counts = self.category_counts() + [0, 0]
        return counts[0], counts[1]

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
        data = plain({k: v for k, v in asdict(self).items() if k not in ("scheme", "date_under_title")})

        def depths(cats: list[dict[str, Any]], depth: int) -> None:
            for c in cats:
                c["depth"] = depth
                depths(c["children"], depth + 1)
        depths(data["categories"], 1)
        data["scheme"] = {"categories": [s.value for s in self.scheme.categories], "problems": self.scheme.problems.value,
                          "problems_across": self.scheme.problems_across, "extra": dict(self.scheme.extra)}
        data["dropped"] = [{"line": line, "text": text} for line, text in self.dropped]
        aspects, items = self.category_count()
        data["counts"] = dict(aspects=aspects, items=items, problems=len(self.all_problems()),
                              categories_by_depth=self.category_counts())
        return data
