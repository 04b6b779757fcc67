"""Recognising a line's numbering: 一、 （一） 1. 1、 1) （1） ① 问题一： 第一， in half- and full-width forms.

`classify` reads well-formed numbering only. `damaged` reads numbering that lost a bracket or its dot
("4意识形态…", "（3党的…"); such a line is an item only where the context expects that very number.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from app.numbering_scheme import NumberStyle
from app.numerals import from_chinese

CN = "零一二三四五六七八九十百千两〇"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


class Kind(StrEnum):
    """A family of numbering forms that stand at the same level (1. and 1、; （1） and 1))."""

    CN_COMMA = "一、"
    CN_PAREN = "（一）"
    AR_DOT = "1."
    AR_PAREN = "（1）"
    CIRCLED = "①"
    PROBLEM = "问题一："
    ORDINAL = "第一，"
    ITEM = "一是"           # 一是…, 二是… as problems: only where each has its own 整改情况 (see reflow.item_problems)


# Default depth of each kind in an official document (GB/T 9704 7.3.3: 一、 → （一） → 1. → （1）).
DEPTH = {Kind.CN_COMMA: 1, Kind.CN_PAREN: 2, Kind.AR_DOT: 3, Kind.AR_PAREN: 4, Kind.CIRCLED: 5,
         Kind.PROBLEM: 3, Kind.ORDINAL: 3, Kind.ITEM: 6}
ARABIC = (Kind.AR_DOT, Kind.AR_PAREN)


@dataclass(frozen=True)
class Numbered:
    kind: Kind
    number: int
    rest: str                        # the text after the number and its punctuation
    style: NumberStyle = NumberStyle.AR_DOT   # the exact form the source used
    damaged: bool = False            # a bracket or the dot is missing: an item only where expected


_HALF_WIDTH = {code: code - 0xFEE0 for rng in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
               for code in range(rng[0], rng[1] + 1)}


_FULL_WIDTH = re.compile("[０-９Ａ-Ｚａ-ｚ]")


def normalise(text: str) -> str:
    """Full-width digits and letters to half-width (NFKC would also change Chinese punctuation)."""
    return text.translate(_HALF_WIDTH) if _FULL_WIDTH.search(text) else text


_PATTERNS: list[tuple[Kind, NumberStyle, re.Pattern[str]]] = [
    (Kind.PROBLEM, NumberStyle.PROBLEM_CN, re.compile(rf"^问题([{CN}]+|\d+)\s*[：:、.．]\s*(.*)$")),
    (Kind.PROBLEM, NumberStyle.PROBLEM_CN, re.compile(rf"^[【\[]\s*问题([{CN}]+|\d+)\s*[】\]]\s*[：:、.．]?\s*(.*)$")),
    (Kind.CN_PAREN, NumberStyle.CN_PAREN, re.compile(rf"^[（(]\s*([{CN}]+)\s*[）)]\s*[、.．，,]?\s*(.*)$")),
    (Kind.CN_COMMA, NumberStyle.CN_COMMA, re.compile(rf"^([{CN}]+)\s*[、，,．.]\s*(.*)$")),
    (Kind.AR_PAREN, NumberStyle.AR_PAREN, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、.．]?\s*(.*)$")),
    (Kind.AR_PAREN, NumberStyle.AR_HALF_PAREN, re.compile(r"^(\d{1,3})\s*[）)]\s*(.*)$")),
    (Kind.AR_DOT, NumberStyle.AR_COMMA, re.compile(r"^(\d{1,3})\s*、\s*(.*)$")),
    (Kind.AR_DOT, NumberStyle.AR_DOT, re.compile(r"^(\d{1,3})\s*[.．](?!\d)\s*(.*)$")),
    (Kind.AR_DOT, NumberStyle.AR_DOT, re.compile(r"^(\d{1,3})\s+(.*)$")),   # the dot lost, a space left
    (Kind.CIRCLED, NumberStyle.CIRCLED, re.compile(rf"^([{CIRCLED}])\s*[、.．]?\s*(.*)$")),
    (Kind.ORDINAL, NumberStyle.ORDINAL, re.compile(rf"^第([{CN}]+)\s*[，,、：:]\s*(.*)$")),
]
# 一是…, 二是… open an item inside a narrative; never a heading.
ITEM = re.compile(rf"^([{CN}]+)是\s*[，,：:]?")
# A number that starts a sentence: "2023年…", "12月…", "5个…", "3家单位…".
_PROSE = re.compile(r"^(?:[年月日号个件人项条万千百元%％天次名家户余多批期场篇份台套处所位类岁倍周轮级块张本组间亿]|"
                    r"公里|平方|立方|小时|分钟|亩|吨)")
_TEXT_START = re.compile(r"^[\u4e00-\u9fff“\"《‘]")
_DAMAGED: list[tuple[Kind, NumberStyle, re.Pattern[str]]] = [
    (Kind.PROBLEM, NumberStyle.PROBLEM_CN, re.compile(rf"^问题([{CN}]{{1,4}})(?![{CN}])\s*(.+)$")),
    (Kind.CN_PAREN, NumberStyle.CN_PAREN, re.compile(rf"^[（(]\s*([{CN}]{{1,3}})\s*(?![{CN}）)])(.+)$")),
    (Kind.CN_PAREN, NumberStyle.CN_PAREN, re.compile(rf"^([{CN}]{{1,3}})\s*[）)]\s*(.+)$")),
    (Kind.AR_PAREN, NumberStyle.AR_PAREN, re.compile(r"^[（(]\s*(\d{1,3})(?![\d）)])\s*(.+)$")),
    (Kind.AR_DOT, NumberStyle.AR_DOT, re.compile(r"^(\d{1,3})(?![\d.．、）)])(.+)$")),
]


def classify(line: str) -> Numbered | None:
    """The well-formed numbering at the start of `line`, or None for an unnumbered paragraph."""
    text = normalise(line.strip())
    if not text or ITEM.match(text):
        return None
    for kind, style, pattern in _PATTERNS:
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
        if kind in ARABIC and _PROSE.match(rest) and re.match(r"^\d{1,3}\s+", text):
            continue  # "5 个问题": a sentence that starts with a number, not "5 学习…" that lost its dot
        if number <= 0:
            continue
        return Numbered(kind, number, rest, style)
    return None


def damaged(line: str) -> Numbered | None:
    """Numbering that lost a bracket or its dot ("4意识形态…", "（三党的…", "三）党的…"), or None."""
    text = normalise(line.strip())
    if not text or ITEM.match(text) or classify(text) is not None:
        return None
    for kind, style, pattern in _DAMAGED:
        m = pattern.match(text)
        if not m:
            continue
        raw, rest = m.group(1), m.group(2).strip()
        if not _TEXT_START.match(rest) or _PROSE.match(rest):
            continue
        try:
            number = int(raw) if raw.isdigit() else from_chinese(raw)
        except ValueError:
            continue
        if number > 0:
            return Numbered(kind, number, rest, style, damaged=True)
    return None


def _looks_like_prose_number(rest: str) -> bool:
    return bool(_PROSE.match(rest))
