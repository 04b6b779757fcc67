"""Putting glyphs on a reportlab canvas at exact positions, one TJ array per run of one font.

Every glyph's x is given. The run is written as `[(a) -12 (b) …] TJ` with the gap to each next glyph
as a positioning number, so no glyph depends on a character-spacing (Tc) value left in the graphics
state by an earlier run — the cause of glyphs printed over each other and of digits spread one per
full-width cell in earlier exports — and any reader (poppler, pdfminer, Acrobat) places them alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas


@dataclass
class GlyphRun:
    font: str                 # registered reportlab font name
    size: float
    bold: bool                # fake bold: fill and stroke
    y: float
    chars: list[str] = field(default_factory=list)
    xs: list[float] = field(default_factory=list)


class GlyphWriter:
    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas
        self._advance: dict[tuple[str, str], float] = {}

    def advance(self, font: str, ch: str) -> float:
        """Advance of `ch` in `font` at 1 pt."""
        key = (font, ch)
        w = self._advance.get(key)
        if w is None:
            w = self._advance[key] = pdfmetrics.stringWidth(ch, font, 1000) / 1000
        return w

    def draw(self, run: GlyphRun) -> None:
        if not run.chars:
            return
        font = pdfmetrics.getFont(run.font)
        doc = self.c._doc
        code = self.c._code
        text = "".join(run.chars)
        size = run.size
        ops: list[str] = []
        if run.bold:
            ops.append(f"q {size / 40:.3f} w")
        ops.append(f"BT 1 0 0 1 {run.xs[0]:.3f} {run.y:.3f} Tm" + (" 2 Tr" if run.bold else ""))
        pen = run.xs[0]
        i = 0
        for subset, chunk in font.splitString(text, doc):
            parts: list[str] = []
            for b in chunk:
                ch = run.chars[i]
                gap = run.xs[i] - pen
                if abs(gap) > 0.0005 and i:
                    parts.append(f"{-gap * 1000 / size:.2f}")
                parts.append("(" + self.c._escape(bytes((b,))) + ")")
                pen = run.xs[i] + self.advance(run.font, ch) * size
                i += 1
            name = font.getSubsetInternalName(subset, doc)
            ops.append(f"{name} {size:g} Tf [{' '.join(parts)}] TJ")
        ops.append("ET Q" if run.bold else "ET")
        code.append(" ".join(ops))
