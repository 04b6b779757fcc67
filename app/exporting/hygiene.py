"""Text hygiene on export: full-width punctuation beside Chinese, Chinese quotes, unpadded dates.

Every change is reported (`Change`), so the preview can show it and the user can refuse it.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》]"
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_PUNCT = re.compile(rf"(?<={CJK})[,;:?!]|[,;:?!](?={CJK})")
_PARENS = re.compile(r"\(([^()]*)\)")
_QUOTES = re.compile(r'"([^"\n]*)"')
_SINGLE = re.compile(r"(?<![A-Za-z])'([^'\n]*)'(?![A-Za-z])")
_PADDED_DATE = re.compile(r"(\d{4})年0?(\d{1,2})月0?(\d{1,2})日")
_HAS_CJK = re.compile(CJK)


@dataclass(frozen=True)
class Change:
    rule: str        # what kind of change, for the preview
    before: str
    after: str
    context: str     # a few characters around it: with rule and before, it names one place

    @property
    def key(self) -> str:
        """What the user refuses when unticking this one change in the preview."""
        return f"{self.rule}|{self.before}|{self.context}"


def fix_text(text: str, refused: Collection[str] = ()) -> tuple[str, list[Change]]:
    """Return the cleaned text and the list of changes made.

    `refused` holds rule names (标点, 括号, 引号, 日期) to skip entirely, or `Change.key`s of single
    changes the user undid in the preview.
    """
    changes: list[Change] = []

    def sub(rule: str, pattern: re.Pattern[str], repl: object, s: str) -> str:
        if rule in refused:
            return s

        def one(m: re.Match[str]) -> str:
            new = repl(m) if callable(repl) else str(repl)
            if new != m.group(0):
                change = Change(rule, m.group(0), new, s[max(0, m.start() - 6):m.end() + 6])
                if change.key in refused:
                    return m.group(0)
                changes.append(change)
            return new
        return pattern.sub(one, s)

    text = sub("括号", _PARENS, lambda m: f"（{m.group(1)}）" if _HAS_CJK.search(m.group(1)) or _beside_cjk(
        text, m) else m.group(0), text)
    text = sub("标点", _PUNCT, lambda m: _HALF_TO_FULL[m.group(0)], text)
    text = sub("引号", _QUOTES, lambda m: f"“{m.group(1)}”" if _HAS_CJK.search(m.group(1)) else m.group(0), text)
    text = sub("引号", _SINGLE, lambda m: f"‘{m.group(1)}’" if _HAS_CJK.search(m.group(1)) else m.group(0), text)
    text = sub("日期", _PADDED_DATE, lambda m: f"{m.group(1)}年{int(m.group(2))}月{int(m.group(3))}日", text)
    return text, changes


def _beside_cjk(text: str, m: re.Match[str]) -> bool:
    before = text[m.start() - 1] if m.start() else ""
    after = text[m.end()] if m.end() < len(text) else ""
    return bool(_HAS_CJK.match(before) or _HAS_CJK.match(after))
