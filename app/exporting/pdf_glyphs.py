"""Putting glyphs on a reportlab canvas at exact positions, one TJ array per run of one font.

Every glyph's x is given. The run is written as `[(a) -12 (b) …] TJ` with the gap to each next glyph
as a positioning number, so no glyph depends on a character-spacing (Tc) value left in the graphics
state by an earlier run — the cause of glyphs printed over each other and of digits spread one per
full-width cell in earlier exports — and any reader (poppler, pdfminer, Acrobat) places them alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

# One unit of a run: its text, the left edge of its place (pt), the width of that place (pt; a CJK character
# is centred in it), whether it is a Latin run (set from its left edge at its own width, condensed by
# `condense` pt a character, as the Word file's character spacing condenses it) and its lead (pt).
Item = tuple[str, float, float, bool, float]


@dataclass
class GlyphRun:
    font: str                 # registered reportlab font name
    size: float
    bold: bool                # fake bold: fill and stroke
    y: float
    condense: float = 0.0
    items: list[Item] = field(default_factory=list)


class GlyphWriter:
    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self._advance: dict[tuple[str, str], float] = {}
        # (font, character) → (subset name, PDF string literal, advance at 1 pt): looked up once per document
        self._glyph: dict[tuple[str, str], tuple[str, str, float]] = {}
        self._numbers: dict[int, str] = {}

    def advance(self, font: str, ch: str) -> float:
        """Advance of `ch` in `font` at 1 pt."""
        key = (font, ch)
        w = self._advance.get(key)
        if w is None:  # measured once per document
            w = self._advance[key] = pdfmetrics.stringWidth(ch, font, 1000) / 1000
        return w

    def _lookup(self, font: str, ch: str) -> tuple[str, str, float]:
        # reportlab's documented route for dynamic (subset) TrueType fonts: splitString gives the subset and
        # the code of a character, getSubsetInternalName the font resource that subset is written as.
        f: Any = pdfmetrics.getFont(font)
        doc = self.c._doc  # type: ignore[attr-defined]
        [(subset, code)] = f.splitString(ch, doc)
        got = self._glyph[(font, ch)] = (f.getSubsetInternalName(subset, doc), _ESCAPED[code[0]],
                                         self.advance(font, ch))
        return got

    def draw(self, run: GlyphRun) -> None:
        if not run.items:
            return
        size = run.size
        scale = -1000 / size
        glyph = self._glyph
        font = run.font
        step = run.condense
        numbers = self._numbers
        ops: list[str] = []
        if run.bold:
            ops.append(f"q {size / 40:.3f} w")
        first = run.items[0]
        pen = first[1] + first[4]
        ops.append(f"BT 1 0 0 1 {pen:.3f} {run.y:.3f} Tm" + (" 2 Tr" if run.bold else ""))
        current = ""
        parts: list[str] = []
        for text, left, width, latin, lead in run.items:
            x = left + lead
            cell = width / len(text)
            for ch in text:
                got = glyph.get((font, ch))
                if got is None:
                    got = self._lookup(font, ch)
                name, literal, advance = got
                if name != current:  # a new 256-glyph subset: its own font resource
                    if parts:
                        ops.append(f"[{' '.join(parts)}] TJ")
                        parts = []
                    ops.append(f"{name} {size:g} Tf")
                    current = name
                advance *= size
                at = x if latin else x + (cell - advance) / 2
                tenths = round((at - pen) * scale * 10)   # the gap to this glyph, in 1/10000 em
                if tenths:
                    number = numbers.get(tenths)
                    if number is None:
                        number = numbers[tenths] = f"{tenths / 10:.1f}"
                    parts.append(number)
                parts.append(literal)
                pen = at + advance
                x = at + advance - step if latin else x + cell
        ops.append(f"[{' '.join(parts)}] TJ")
        ops.append("ET Q" if run.bold else "ET")
        self.c._code.append(" ".join(ops))  # type: ignore[attr-defined]  # the page's content stream


def _escape(b: int) -> str:
    ch = chr(b)
    if ch in "()\\":
        return "(\\" + ch + ")"
    if 32 <= b < 127:
        return "(" + ch + ")"
    return f"(\\{b:03o})"


_ESCAPED = [_escape(b) for b in range(256)]   # one PDF string literal per glyph code, made once
