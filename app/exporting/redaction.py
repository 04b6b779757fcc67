"""Finding and replacing person names in the public notice.

Every name the ledger knows (责任领导, 责任人, the directory, the redaction list) is looked for in the
text after punctuation has been normalised, so "钱多多(出纳)" in a source matches the term
"钱多多（出纳）"; a space or a line break inside a name ("张 伟", "张\\n伟") still matches. What is found
and not yet confirmed is reported; only confirmed names (and the redaction list) are replaced.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from app.exporting.hygiene import fix_text

_GAP = r"[ \t\r\n\u3000\u00a0]*"
# Two-character surnames keep both characters before 某: 欧阳某, not 欧某.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 诸葛 上官 司徒 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 夏侯 令狐 端木 独孤 南宫 西门 百里 呼延 澹台 "
    "公冶 轩辕 钟离 闻人 万俟 申屠 太史 濮阳 淳于 单于".split())


def normal_form(term: str) -> str:
    """A term as the text reads after hygiene, without white space."""
    return re.sub(_GAP, "", fix_text(term)[0])


def default_replacement(name: str) -> str:
    """张三 → 张某; 欧阳修远 → 欧阳某. A term that is not a plain name is replaced by 某某."""
    name = normal_form(name)
    if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name):
        return "某某"
    return (name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[0]) + "某"


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One alternation, longest term first, each tolerant of spaces and line breaks between characters."""
    alts = sorted({t for t in terms if t}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile("|".join(_GAP.join(re.escape(c) for c in t) for t in alts))


class NameFinder:
    """Which of the known names occur in a text."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = {normal_form(n) for n in names if len(normal_form(n)) >= 2}
        self._re = _pattern(self.names)

    def find(self, text: str) -> list[str]:
        if self._re is None:
            return []
        seen: dict[str, None] = {}
        for m in self._re.finditer(text):
            seen[re.sub(_GAP, "", m.group(0))] = None
        return list(seen)


class Redactor:
    """Replaces each term ({'张三': '张某'}) wherever it stands, spaces and line breaks inside included."""

    def __init__(self, terms: dict[str, str]) -> None:
        self.terms = {normal_form(k): v for k, v in terms.items() if normal_form(k)}
        self._re = _pattern(self.terms)

    def with_terms(self, extra: dict[str, str]) -> Redactor:
        return Redactor({**{k: v for k, v in extra.items() if normal_form(k) not in self.terms}, **self.terms})

    def __call__(self, text: str) -> str:
        if self._re is None:
            return text
        return self._re.sub(lambda m: self.terms[re.sub(_GAP, "", m.group(0))], text)
