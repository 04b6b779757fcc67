"""A round's numbering scheme: how each level of the notice numbers its headings.

A notice numbers its category levels and its problems in its own way: （一）方面 → 1.项 → 1)问题,
problems counted within each group or across the whole notice (1) … 37)). The importer reads the
scheme from the source, the round keeps it (`round.numbering`, JSON), and every composer formats
numbers through it, so an export in the source's style reproduces the source's numbering. The numbers
themselves are never stored: they are derived from the tree each time.

Part headings (一、二、三、) belong to the document, not to the scheme: categories start one level below.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum

from app.numerals import to_chinese

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class NumberStyle(StrEnum):
    """One way of writing a number at the head of a line; the value is how 1 is written."""

    CN_COMMA = "一、"
    CN_PAREN = "（一）"
    AR_DOT = "1."
    AR_COMMA = "1、"
    AR_HALF_PAREN = "1)"       # half-width closing bracket only, as many web pages print it
    AR_PAREN = "（1）"
    CIRCLED = "①"
    PROBLEM_CN = "问题一："
    ORDINAL = "第一，"
    ITEM = "一是"               # problems written 一是…, 二是… each with its own 整改情况


# GB/T 9704-2012 7.3.3 defines these four forms and has each level count 1, 2, 3 … under its parent.
GBT_FORMS = (NumberStyle.CN_COMMA, NumberStyle.CN_PAREN, NumberStyle.AR_DOT, NumberStyle.AR_PAREN)
# The forms a heading takes below the part headings (一、), level by level.
GBT_BELOW_PARTS = (NumberStyle.CN_PAREN, NumberStyle.AR_DOT, NumberStyle.AR_PAREN, NumberStyle.CIRCLED)


def format_number(style: NumberStyle | str, n: int) -> str:
    """The prefix for number `n` in `style`: format_number("（一）", 3) == "（三）"."""
    style = NumberStyle(style)
    if n < 1:
        raise ValueError(f"numbers start at 1: {n}")
    if style == NumberStyle.CN_COMMA:
        return f"{to_chinese(n)}、"
    if style == NumberStyle.CN_PAREN:
        return f"（{to_chinese(n)}）"
    if style == NumberStyle.AR_DOT:
        return f"{n}."
    if style == NumberStyle.AR_COMMA:
        return f"{n}、"
    if style == NumberStyle.AR_HALF_PAREN:
        return f"{n})"
    if style == NumberStyle.AR_PAREN:
        return f"（{n}）"
    if style == NumberStyle.CIRCLED:
        return CIRCLED[n - 1] if n <= len(CIRCLED) else f"（{n}）"
    if style == NumberStyle.PROBLEM_CN:
        return f"问题{to_chinese(n)}："
    if style == NumberStyle.ITEM:
        return f"{to_chinese(n)}是"
    return f"第{to_chinese(n)}，"


_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


@dataclass(frozen=True)
class NumberingScheme:
    """Prefix style of each category depth (outermost first) and of the problems.

    `problems_across`: problems are numbered 1 … N across the whole notice instead of restarting in
    each innermost group. A GB/T 9704 form (（1）, 1.) restarts under its parent in a document that
    follows the standard; `gbt_restart` says whether an export must renumber within groups to do so.
    """

    categories: tuple[NumberStyle, ...] = (NumberStyle.CN_PAREN,)
    problems: NumberStyle = NumberStyle.AR_DOT
    problems_across: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False)  # room for the importer's notes

    def category_style(self, depth: int) -> NumberStyle:
        """Style of a category at `depth` (1 = outermost); deeper than the scheme knows: the next GB/T form."""
        if depth <= len(self.categories):
            return self.categories[depth - 1]
        used = set(self.categories) | {self.problems}
        spare = [s for s in GBT_BELOW_PARTS if s not in used] or [NumberStyle.CIRCLED]
        return spare[min(depth - len(self.categories) - 1, len(spare) - 1)]

    def category_prefix(self, depth: int, n: int) -> str:
        return self.digits(format_number(self.category_style(depth), n))

    def problem_prefix(self, n: int) -> str:
        return self.digits(format_number(self.problems, n))

    def digits(self, prefix: str) -> str:
        """A prefix in the source's digits: "１．" where the source numbered in full-width digits."""
        return prefix.translate(_FULL_WIDTH) if self.extra.get("digits") == "full" else prefix

    @property
    def gbt_restart(self) -> bool:
        """True when across-numbering would break GB/T 9704's restart rule for the problems' form."""
        return self.problems_across and self.problems in GBT_FORMS

    def to_json(self) -> str:
        data: dict[str, object] = {"categories": [s.value for s in self.categories], "problems": self.problems.value,
                                   "problems_across": self.problems_across}
        if self.extra:
            data["extra"] = dict(self.extra)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None, layout_style: str = "A") -> NumberingScheme:
        """The stored scheme; an empty or unreadable value gives the layout style's own habit."""
        if text:
            try:
                data = json.loads(text)
                return cls(tuple(NumberStyle(s) for s in data.get("categories", [])),
                           NumberStyle(data.get("problems", NumberStyle.AR_DOT.value)),
                           bool(data.get("problems_across", False)),
                           {str(k): str(v) for k, v in (data.get("extra") or {}).items()})
            except (ValueError, TypeError, AttributeError):
                pass
        return default_scheme(layout_style)


def default_scheme(layout_style: str) -> NumberingScheme:
    """The habit of each layout style when the round has no scheme of its own.

    A: （一）方面 → 1.问题, restarting in each group (huangpi, shizhong)
    B: （一）方面 → 问题一：, counted across the notice (panlongcheng)
    C: （一）方面 → 1.项 → （1）问题, restarting in each group
    """
    if layout_style == "B":
        return NumberingScheme((NumberStyle.CN_PAREN,), NumberStyle.PROBLEM_CN, True)
    if layout_style == "C":
        return NumberingScheme((NumberStyle.CN_PAREN, NumberStyle.AR_DOT), NumberStyle.AR_PAREN, False)
    return NumberingScheme((NumberStyle.CN_PAREN,), NumberStyle.AR_DOT, False)
