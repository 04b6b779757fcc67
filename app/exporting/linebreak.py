"""Chinese line breaking on the 28-character grid (GB/T 15834 行款 rules, by push-out).

A CJK character is one cell; a run of Latin letters and digits (a number, a year, 2016-2020, an
e-mail address) is one unbreakable unit at its own width, measured in the Latin face; —— and …… are
one unit of two cells. Lines are filled greedily, then units are pushed to the next line while the
next line would start with a closing mark or this line would end with an opening one.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

NO_START = set("，。、；：？！）」』】〕》〉”’％‰…—·,.;:?!)]}%")
NO_END = set("（「『【〔《〈“‘([{")
_UNIT = re.compile(r"——|……|[０-９Ａ-Ｚａ-ｚ]{2,}|[A-Za-z0-9][A-Za-z0-9.@%/\-:_+#&=~]*(?<![.:\-])|.", re.S)
LONG_RUN = 20.0          # cells: a longer URL or e-mail address may break after / @ .
# Word (by default) and LibreOffice (always: it ignores w:autoSpaceDE) put about 3.5 pt between a Chinese
# character and a Latin letter or digit beside it (not beside punctuation): the PDF does the same, so
# that all three break the lines alike.
AUTOSPACE_PT = 3.5


class Unit(NamedTuple):  # a tuple: thousands are made per page, and tuples are cheap
    text: str
    cells: float        # width in grid cells (one cell = one 16 pt character pitch), spacing included
    style: str = "body"  # which font the writer draws it in
    lead: float = 0.0   # cells of space before the glyphs (the autospace before a Latin run)
    trail: float = 0.0  # cells of space after them (dropped, like `lead`, at the edge of a line)
    latin: bool = False  # set in the Latin face (Times New Roman, as Word sets ASCII text) at its own width


def _ideograph(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def autospaced(items: list[Unit], gap: float, latin_at: list[int] | None = None) -> list[Unit]:
    """Add `gap` cells where a Latin run with a letter or digit meets a Chinese character."""
    out = items
    last = len(out) - 1
    for i in (latin_at if latin_at is not None else [i for i, u in enumerate(out) if u.latin]):
        u = out[i]
        before = i > 0 and u.text[0].isalnum() and _ideograph(out[i - 1].text[-1])
        after = i < last and u.text[-1].isalnum() and _ideograph(out[i + 1].text[0])
        if before or after:
            out[i] = Unit(u.text, u.cells + gap * (before + after), u.style, gap if before else 0.0,
                          gap if after else 0.0, True)
    return out


def units(text: str, measure: Callable[[str], float], style: str = "body", gap: float = 0.0) -> list[Unit]:
    """Split text into units; `measure(latin_run)` gives a Latin run's width in cells; `gap` is the
    autospace beside Latin runs, in cells."""
    out: list[Unit] = []
    latin_at: list[int] = []
    cache = _ONE_CELL
    for t in _UNIT.findall(text):
        if len(t) == 1 and not t.isascii():
            unit = cache.get((t, style))
            if unit is None:  # units are immutable: one object per character and style is shared
                unit = cache[(t, style)] = Unit(t, 1.0, style)
            out.append(unit)
        elif t in ("——", "……"):
            out.append(Unit(t, 2.0, style))
        elif not t.isascii():  # full-width digits or letters ("２０２２"): one cell each, never broken
            out.append(Unit(t, float(len(t)), style))
        elif t not in "\n\r":
            latin_at.append(len(out))
            out.extend(_split_long(t, measure, style))
    if gap and latin_at:
        autospaced(out, gap, latin_at if all(out[i].latin for i in latin_at) else None)
    return out


_ONE_CELL: dict[tuple[str, str], Unit] = {}


def _split_long(run: str, measure: Callable[[str], float], style: str) -> list[Unit]:
    """A very long URL or e-mail may break after / @ . so that lines do not go loose."""
    width = measure(run)
    if width <= LONG_RUN:
        return [Unit(run, width, style, latin=True)]
    pieces = [p for p in re.findall(r"[^/@.]*[/@.]?", run) if p]
    out: list[Unit] = []
    for p in pieces:
        w = measure(p)
        while w > LONG_RUN:  # no break point at all: cut where the line would end
            cut = max(1, int(len(p) * LONG_RUN / w))
            out.append(Unit(p[:cut], measure(p[:cut]), style, latin=True))
            p = p[cut:]
            w = measure(p)
        out.append(Unit(p, w, style, latin=True))
    return out


def break_lines(items: list[Unit], first_width: float, width: float) -> list[list[Unit]]:
    """Greedy fill with push-out; each line's total width stays within its width."""
    lines: list[list[Unit]] = []
    i, n = 0, len(items)
    while i < n:
        limit = first_width if not lines else width
        used, j = 0.0, i
        while j < n:  # the autospace of a run at the edge of a line is not set, so it does not count
            u = items[j]
            w = u.cells - (u.lead if j == i else 0.0)
            if used + w - u.trail > limit + 1e-6:
                break
            used += w
            j += 1
        if j == i:          # a single unit wider than the line: it goes alone
            j = i + 1
        # Push out: the next line must not start with a closing mark, this one not end with an opening one.
        while j < n and j - i > 1 and (items[j].text[0] in NO_START or items[j - 1].text[-1] in NO_END):
            j -= 1
        lines.append(items[i:j])
        i = j
    return lines
