"""Column widths of the printed ledger, from what the round's cells hold.

A fixed split gave the mostly empty 整改措施 column as much room as 问题 and squeezed the long 整改情况
text into a narrow column, so rows ran very tall. Here the short columns (序号, names, dates, states)
get the width of their longest value within a cap (a longer one wraps), and the text columns share the
rest so that the rows, summed over the table, take as few lines as a simple search can find: each
starts from its share of the text and then room moves between columns while that saves lines.
Widths are in em (one Chinese character of the table's size); the writers scale them to their page.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

EM_MM = 9 * 25.4 / 72          # one Chinese character of the PDF table's 9 pt, in mm
PAD_MM = 6 * 25.4 / 72         # left and right padding of a cell (3 pt each)
PRINT_MM = 267.0               # landscape A4 less 15 mm margins
TEXT_MIN = 8.0                  # a text column holding text: never narrower than 8 characters (a date and ；)
SHORT_MIN = 2.0                 # a two-character label (序号, 预警) on one line
SLACK = 0.3                     # room for a renderer's own spacing (LibreOffice between digits and 年月日)
HEAD_SCALE = 1.1                # the header's face is a little larger (9.5 pt) than the body's
SAMPLE = 400                    # rows looked at by the search (a large ledger is sampled evenly)
STEPS = (4.0, 2.0, 1.0, 0.5)


def units(text: str) -> float:
    """Width of `text` in em: a Chinese character 1, a Latin letter or digit about half."""
    return sum(0.6 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def paragraph_units(text: str) -> tuple[float, ...]:
    return tuple(units(p) for p in text.split("\n")) if text else ()


def lines(paragraphs: Sequence[float], width: float) -> int:
    return sum(max(1, math.ceil(u / width - 1e-9)) for u in paragraphs) if paragraphs else 1


def sample(rows: Sequence[T]) -> Sequence[T]:
    """At most `SAMPLE` rows, taken evenly: what the widths are worked out from in a large ledger."""
    if len(rows) <= SAMPLE:
        return rows
    step = len(rows) / SAMPLE
    return [rows[int(k * step)] for k in range(SAMPLE)]


def fit_widths(cells: Sequence[Sequence[str]], text_columns: Sequence[bool], caps: Sequence[float],
               labels: Sequence[str], print_mm: float = PRINT_MM) -> list[float]:
    """Widths in mm for columns whose rows are `cells` (one string per column), fitted to the print width.

    `text_columns[i]` marks a long-text column (shares the room); otherwise column i is short and gets
    its longest paragraph, at least its label's two characters and at most `caps[i]`.
    """
    n = len(text_columns)
    cells = sample(cells)
    paras = [[paragraph_units(row[i]) for row in cells] for i in range(n)]
    total_em = (print_mm - n * PAD_MM) / EM_MM
    widths = [0.0] * n
    # A label is set on two lines at most; an empty column is as wide as that.
    label = [HEAD_SCALE * min(units(t), max(SHORT_MIN, units(t) / 2)) for t in labels]
    for i in range(n):
        if not text_columns[i]:
            longest = max((max(p) for p in paras[i] if p), default=0.0)
            widths[i] = max(label[i], min(caps[i], max(SHORT_MIN, longest + SLACK)))
            whole = HEAD_SCALE * units(labels[i])
            if label[i] < widths[i] < whole < widths[i] + 1.2:   # the label on one line, not "完成情/况"
                widths[i] = whole
    texts = [i for i in range(n) if text_columns[i]]
    if not texts:
        return _mm(widths, total_em)
    floors = {i: TEXT_MIN if any(paras[i][r] for r in range(len(cells))) else label[i] for i in texts}
    room = total_em - sum(widths) - sum(floors.values())
    if room <= 0:   # a very narrow page: the short columns give way to the text first
        return _mm([widths[i] if not text_columns[i] else floors[i] for i in range(n)], total_em)
    demand = {i: sum(sum(p) for p in paras[i]) for i in texts}
    whole = sum(demand.values()) or 1.0
    for i in texts:
        widths[i] = floors[i] + room * (demand[i] / whole if sum(demand.values()) else 1 / len(texts))
    _search(widths, texts, floors, paras, len(cells))
    return _mm(widths, total_em)


def _search(widths: list[float], texts: list[int], floors: dict[int, float],
            paras: list[list[tuple[float, ...]]], rows: int) -> None:
    """Move room between text columns while the table gets shorter (in place)."""
    fixed = [max((lines(paras[i][r], widths[i]) for i in range(len(widths)) if i not in floors), default=1)
             for r in range(rows)]
    cache: dict[tuple[int, float], list[int]] = {}

    def column(i: int) -> list[int]:
        key = (i, round(widths[i], 3))
        found = cache.get(key)
        if found is None:
            found = cache[key] = [lines(p, widths[i]) for p in paras[i]]
        return found

    def height() -> int:
        return sum(max(row) for row in zip(fixed, *(column(i) for i in texts), strict=True))

    best = height()
    for step in STEPS:
        improved = True
        while improved:
            improved = False
            for a in texts:
                for b in texts:
                    if a == b or widths[a] - step < floors[a]:
                        continue
                    widths[a] -= step
                    widths[b] += step
                    h = height()
                    if h < best:
                        best, improved = h, True
                    else:
                        widths[a] += step
                        widths[b] -= step


def _mm(widths: list[float], total_em: float) -> list[float]:
    scale = total_em / sum(widths) if sum(widths) else 1.0
    return [w * scale * EM_MM + PAD_MM for w in widths]
