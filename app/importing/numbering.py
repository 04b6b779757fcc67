"""Recognising a line's numbering: 一、 （一） 1. 1、 1) （1） ① 问题一： 第一， in half- and full-width forms."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from app.numerals import from_chinese

CN = "零一二三四五六七八九十百千两〇"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class Kind(StrEnum):
    CN_COMMA = "一、"
    CN_PAREN = "（一）"
    AR_DOT = "1."
    AR_PAREN = "（1）"
    CIRCLED = "①"
    PROBLEM = "问题一："
    ORDINAL = "第一，"


# Default depth of each kind in an official document (GB/T 9704 7.3.3: 一、 → （一） → 1. → （1）).
DEPTH = {Kind.CN_COMMA: 1, Kind.CN_PAREN: 2, Kind.AR_DOT: 3, Kind.AR_PAREN: 4, Kind.CIRCLED: 5,
         Kind.PROBLEM: 3, Kind.ORDINAL: 3}


@dataclass(frozen=True)
class Numbered:
    kind: Kind
    number: int
    rest: str          # the text after the number and its punctuation


def normalise(text: str) -> str:
    """Full-width digits and letters to half-width (NFKC would also change Chinese punctuation)."""
    out = []
    for ch in text:
        if "０" <= ch <= "９" or "Ａ" <= ch <= "Ｚ" or "ａ" <= ch <= "ｚ":
            out.append(unicodedata.normalize("NFKC", ch))
        else:
            out.append(ch)
    return "".join(out)


_PATTERNS: list[tuple[Kind, re.Pattern[str]]] = [
    (Kind.PROBLEM, re.compile(rf"^问题([{CN}]+|\d+)\s*[：:、.．]\s*(.*)$")),
    (Kind.CN_PAREN, re.compile(rf"^[（(]\s*([{CN}]+)\s*[）)]\s*[、.．，,]?\s*(.*)$")),
    (Kind.CN_COMMA, re.compile(rf"^([{CN}]+)\s*[、，,．.]\s*(.*)$")),
    (Kind.AR_PAREN, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?\s*(.*)$")),
    (Kind.AR_PAREN, re.compile(r"^(\d{1,3})\s*[）)]\s*(.*)$")),
    (Kind.AR_DOT, re.compile(r"^(\d{1,3})\s*(?:[.．、](?!\d)|\s+)\s*(.*)$")),
    (Kind.CIRCLED, re.compile(rf"^([{CIRCLED}])\s*[、.．]?\s*(.*)$")),
    (Kind.ORDINAL, re.compile(rf"^第([{CN}]+)\s*[，,、：:]\s*(.*)$")),
]
# 一是…, 二是… open an item inside a narrative; never a heading.
ITEM = re.compile(rf"^([{CN}]+)是\s*[，,：:]?")


def classify(line: str) -> Numbered | None:
    """The numbering at the start of `line`, or None for an unnumbered paragraph."""
    text = normalise(line.strip())
    if ITEM.match(text):
        return None
    for kind, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        raw, rest = m.group(1), m.group(2).strip()
        if kind == Kind.CIRCLED:
            number = CIRCLED.index(raw) + 1
        else:
            try:
                number = int(raw) if raw.isdigit() else from_chinese(raw)
            except ValueError:
                continue
        if kind == Kind.CN_COMMA and len(raw) > 3:  # “一一对应、…” is prose, not a heading
            continue
        if kind == Kind.AR_DOT and _looks_like_prose_number(rest):
            continue
        if number <= 0:
            continue
        return Numbered(kind, number, rest)
    return None


def _looks_like_prose_number(rest: str) -> bool:
    # "2023年…", "12月…", "5个…": a sentence starting with a number, not a heading.
    return bool(re.match(r"^[年月日号个件人项条万元%％天次名家户]", rest))
