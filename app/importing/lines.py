"""The source text as numbered lines, and the labels that open a problem's narrative or progress line."""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.importing.numbering import Numbered, classify

_LABELS = r"(整改情况|整改措施及成效|整改措施和成效|整改成效|整改进展情况|整改进展|整改落实情况|整改措施|整改结果|落实情况|完成情况)"
# "整改情况：…", "【整改情况】…", or the label alone on its line.
LABEL = re.compile(rf"^(?:{_LABELS}\s*[：:]\s*(.*)|[【\[]{_LABELS}[】\]]\s*[：:]?\s*(.*)|{_LABELS}\s*()$)")
# The label run on after the problem's heading in one paragraph: "1.……问题。整改情况：……".
INLINE_LABEL = re.compile(rf"(?<=[。；;！？!?])\s*{_LABELS}\s*[：:]")
# A per-problem progress line ("整改进程:完成整改,长期坚持。"); a short 整改进展： that only states a status too.
PROGRESS = re.compile(r"^(整改进程|整改进度|整改状态|进展情况)\s*[：:]\s*(.*)$")
_STATUS_ONLY = re.compile(r"^(已|基本|正在|持续|完成|整改中|长期坚持|未完成|立行立改)[^。]{0,20}[。.]?$")


@dataclass
class Line:
    no: int              # 1-based in the source
    text: str
    num: Numbered | None


def _label(text: str) -> tuple[str, str] | None:
    m = LABEL.match(text)
    if not m:
        return None
    g = m.groups()
    return next((g[k], g[k + 1] or "") for k in (0, 2, 4) if g[k])


def label_of(line: Line) -> tuple[str, str] | None:
    """(label, text after it) of a narrative label (整改情况：…), unless it is a status-only progress line."""
    found = _label(line.text)
    if found is None:
        return None
    label, rest = found[0], found[1].strip()
    if label in ("整改进展", "整改进展情况", "完成情况") and _STATUS_ONLY.match(rest):
        return None
    if label in ("落实情况", "完成情况") and not rest:
        return None
    return label, rest


def progress_of(line: Line) -> tuple[str, str] | None:
    """(label, status) of a progress line ("整改进程", "完成整改,长期坚持。"), or None when the line is not one."""
    m = PROGRESS.match(line.text)
    if m:
        return m.group(1), m.group(2).strip()
    found = _label(line.text)
    if found and found[0] in ("整改进展", "整改进展情况", "完成情况") and _STATUS_ONLY.match(found[1].strip()):
        return found[0], found[1].strip()
    return None


def is_anchor(line: Line) -> bool:
    return label_of(line) is not None or progress_of(line) is not None


def to_lines(text: str) -> tuple[list[str], list[Line]]:
    """The raw lines (for showing the source) and the non-empty ones, stripped and classified."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = []
    for i, t in enumerate(raw, 1):
        t = t.replace("\u3000", " ").replace("\xa0", " ").replace("\ufeff", "").strip()
        if t:
            lines.append(Line(i, t, classify(t)))
    return raw, lines
