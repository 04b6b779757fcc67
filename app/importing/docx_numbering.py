"""The numbers Word draws but does not store in the text: automatic list numbering of a .docx.

A notice typed in Word or WPS often numbers its headings and problems with the list feature ("一、",
"（一）", "1." set by w:numPr on the paragraph or on its style). python-docx returns only the typed text,
so without this the importer saw problems without numbers. The labels are computed as Word does: a counter
per list and level, deeper levels restarting, the level's start or a w:startOverride, its w:lvlText with
%1 … %9 replaced in each level's w:numFmt. Bullets carry no number and give no label.
"""
from __future__ import annotations

from typing import Any

from app.numerals import to_chinese

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _val(el: Any, tag: str) -> str | None:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val") if child is not None else None


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_counter(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "chineseLegalSimplified"):
        return to_chinese(n) if n > 0 else "〇"
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join("〇一二三四五六七八九"[int(c)] for c in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and n > 0:
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    return str(n)


class ListNumbers:
    """Labels of a document's automatically numbered paragraphs, in reading order (call `label` in order)."""

    def __init__(self, doc: Any) -> None:
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}   # abstractNumId → ilvl → (start, fmt, text)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}            # numId → (abstractNumId, start overrides)
        self.styles: dict[str, tuple[str | None, str | None, str | None]] = {}  # styleId → (numId, ilvl, basedOn)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = doc.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            numbering = None
        if numbering is not None:
            self._read_numbering(numbering)
        for style in doc.styles.element.findall(W + "style"):
            ppr = style.find(W + "pPr")
            num_pr = ppr.find(W + "numPr") if ppr is not None else None
            self.styles[style.get(W + "styleId") or ""] = (_val(num_pr, "numId"), _val(num_pr, "ilvl"),
                                                           _val(style, "basedOn"))

    def _read_numbering(self, numbering: Any) -> None:
        for ab in numbering.findall(W + "abstractNum"):
            levels = {}
            for lvl in ab.findall(W + "lvl"):
                start = _val(lvl, "start")
                levels[int(lvl.get(W + "ilvl") or 0)] = (int(start) if start and start.isdigit() else 1,
                                                         _val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "")
            self.levels[ab.get(W + "abstractNumId") or ""] = levels
        for num in numbering.findall(W + "num"):
            overrides = {}
            for over in num.findall(W + "lvlOverride"):
                start = _val(over, "startOverride")
                if start and start.isdigit():
                    overrides[int(over.get(W + "ilvl") or 0)] = int(start)
            self.nums[num.get(W + "numId") or ""] = (_val(num, "abstractNumId") or "", overrides)

    def _num_pr(self, p: Any) -> tuple[str | None, int]:
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = _val(num_pr, "numId"), _val(num_pr, "ilvl")
        style = _val(ppr, "pStyle")
        seen: set[str] = set()
        while num_id is None and style and style not in seen:   # the style chain, as Word inherits it
            seen.add(style)
            s_num, s_lvl, style = self.styles.get(style, (None, None, None))
            num_id, ilvl = s_num, ilvl if ilvl is not None else s_lvl
        return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0

    def label(self, p: Any) -> str:
        """The number Word shows before paragraph element `p` ("一、", "1."), or ''."""
        num_id, ilvl = self._num_pr(p)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels or levels[ilvl][1] in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, levels[ilvl][0])
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = levels[ilvl][2]
        for k in range(9, 0, -1):
            if f"%{k}" in text:
                lvl = k - 1
                n = counters.get(lvl, overrides.get(lvl, levels.get(lvl, (1, "decimal", ""))[0]))
                text = text.replace(f"%{k}", format_counter(n, levels.get(lvl, (1, "decimal", ""))[1]))
        return text
