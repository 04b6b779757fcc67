"""Chinese line breaking on the 28-character grid (GB/T 15834 行款 rules, by push-out).

A CJK character is one cell; a run of Latin letters and digits is one unbreakable unit whose
width is measured; —— and …… are one unit of two cells. Lines are filled greedily, then units
are pushed to the next line while the next line would start with a closing mark or this line
would end with an opening mark.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

NO_START = set("，。、；：？！）」』】〕》〉”’％‰…—·,.;:?!)]}%")
NO_END = set("（「『【〔《〈“‘([{")
_UNIT = re.compile(r"——|……|[A-Za-z0-9][A-Za-z0-9.@%/\-:_+#&=~]*|.", re.S)


class Unit(NamedTuple):  # a tuple: thousands are made per page, and tuples are cheap
    text: str
    cells: float        # width in grid cells (one cell = one 16 pt character pitch)
    style: str = "body"  # which font the writer draws it in


def units(text: str, measure: Callable[[str], float], style: str = "body") -> list[Unit]:
    """Split text into units; `measure(latin_run)` gives a Latin run's width in cells."""
    out = []
    for m in _UNIT.finditer(text):
        t = m.group(0)
        if t in ("——", "……"):
            out.append(Unit(t, 2.0, style))
        elif len(t) > 1 or t.isascii() and t.strip():
            out.extend(_split_long(t, measure, style))
        elif t == " ":
            out.append(Unit(t, 0.5, style))
        elif t != "\n":
            unit = _ONE_CELL.get((t, style))
            if unit is None:  # units are immutable: one object per character and style is shared
                unit = _ONE_CELL[(t, style)] = Unit(t, 1.0, style)
            out.append(unit)
    return out


_ONE_CELL: dict[tuple[str, str], Unit] = {}


def _split_long(run: str, measure: Callable[[str], float], style: str, limit: float = 20.0) -> list[Unit]:
    """A very long URL or e-mail may break after / @ . so that lines do not go loose."""
    width = measure(run)
    if width <= limit:
        return [Unit(run, width, style)]
    pieces = re.findall(r"[^/@.]*[/@.]?", run)
    return [Unit(p, measure(p), style) for p in pieces if p]


def break_lines(items: list[Unit], first_width: float, width: float) -> list[list[Unit]]:
    """Greedy fill with push-out; each line's total width stays within its width."""
    lines: list[list[Unit]] = []
    i, n = 0, len(items)
    while i < n:
        limit = first_width if not lines else width
        used, j = 0.0, i
        while j < n and used + items[j].cells <= limit + 1e-6:
            used += items[j].cells
            j += 1
        if j == i:          # a single unit wider than the line: it goes alone
            j = i + 1
        # Push out: the next line must not start with a closing mark, this one not end with an opening one.
        while j < n and j - i > 1 and (items[j].text[0] in NO_START or items[j - 1].text[-1] in NO_END):
            j -= 1
        lines.append(items[i:j])
        i = j
    return lines
