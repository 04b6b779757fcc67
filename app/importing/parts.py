"""Where the problems are: parts 一 二 三 of a notice, the problems' numbering kind, a missing 二、 heading.

Part 一 (how the rectification was organised) is narrative, whatever sub-sections it has; the categories
come from the part that holds the problems. When the source lost the 二、 heading, the problem part
starts at the outermost category heading above the first problem, and a warning says so.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from app.importing.lines import Line, is_anchor, label_of, progress_of
from app.importing.model import ParsedNotice
from app.importing.numbering import DEPTH, Kind

FEEDBACK_TITLE = re.compile(r"(反馈意见|巡察意见|巡视意见|问题清单)$")
PROBLEM_PART = re.compile(r"问题|整改落实|整改情况|反馈意见|整改任务|落实情况")
ASPECT = re.compile(r"方面(?:的?问题|存在的问题)?[。：:]?$|问题[。：:]?$")


@dataclass
class Layout:
    part_one: list[Line] = field(default_factory=list)
    two_heading: Line | None = None
    region: list[Line] = field(default_factory=list)
    part_three: list[Line] = field(default_factory=list)
    problem_kind: Kind = Kind.AR_DOT
    anchored: bool = False      # problems carry 整改情况/整改进程 lines
    narratives: bool = True     # a notice (problems with what was done), not a feedback document


def lay_out(body: list[Line], notice: ParsedNotice) -> Layout:
    anchors = [i for i, ln in enumerate(body) if is_anchor(ln)]
    numbered = [ln for ln in body if ln.num is not None]
    if not numbered and not anchors:
        return Layout(part_one=body)
    title = notice.facts.title.strip()
    narratives = bool(anchors) or not FEEDBACK_TITLE.search(title)
    if not narratives:  # a feedback document: no parts, every numbered level is structure
        kinds = [ln.num.kind for ln in numbered if ln.num]
        deepest = max(set(kinds), key=lambda k: (DEPTH[k], kinds.count(k)))
        return Layout(region=body, problem_kind=deepest, narratives=False)
    kind = _voted_kind(body, anchors) if anchors else _scored_kind(body)
    parts = _part_headings(body, kind)
    first = _first_problem(body, anchors, kind, parts)
    if first is None:
        return Layout(part_one=body, problem_kind=kind, anchored=bool(anchors))
    before = [p for p in parts if p < first]
    after = [p for p in parts if p > first]
    out = Layout(problem_kind=kind, anchored=bool(anchors))
    holding = _holding_parts(parts, anchors, len(body))
    if len(holding) >= 2 and holding[0] <= first:
        # 一、 二、 … each with problems and their 整改情况: the notice has no part headings, its 一、 are the
        # categories of the problems (方面); what comes before the first is part 一, after the last part 三.
        end = next((p for p in parts if p > holding[-1]), len(body))
        out.part_one, out.region, out.part_three = body[:holding[0]], body[holding[0]:end], body[end:]
        return out
    top = _chain_top(body, first, before[-1] if before else -1)
    heading = before[-1] if before else None
    head_num = body[heading].num if heading is not None else None
    if heading is not None and head_num is not None and head_num.number == 1 and _part_one_content(body, heading, top):
        heading = None  # 一、 holds the organisation's narrative, then the problems start: 二、 was lost
    if heading is not None:
        out.part_one, out.two_heading, start = body[:heading], body[heading], heading + 1
    elif before:
        notice.warn(body[top].no, "原文在这里缺少“二、”部分标题（问题整改情况）；已从这一行起按第二部分读取，"
                                  "前面的小标题和段落仍属第一部分，请核对。")
        out.part_one, start = body[:top], top
    elif any(ln.num is not None for ln in body[:top]):
        out.part_one, start = body[:top], top  # sub-sections before the problems, with no part headings at all
    else:
        start = 0  # paragraphs before the first category introduce the problems
    end = after[0] if after else len(body)
    out.region, out.part_three = body[start:end], body[end:]
    return out


def _holding_parts(parts: list[int], anchors: list[int], end: int) -> list[int]:
    """The 一、 headings whose sections hold 整改情况 / 整改进程 lines."""
    bounds = [*parts, end]
    return [p for p, nxt in zip(parts, bounds[1:], strict=True) if any(p < a < nxt for a in anchors)]


def _voted_kind(body: list[Line], anchors: list[int]) -> Kind:
    """The numbering kind that most often stands before a 整改进程 / 整改情况 line."""
    votes: Counter[Kind] = Counter()
    for i in anchors:
        if label_of(body[i]) and i > 0 and progress_of(body[i - 1]) is not None:
            continue  # counted at its progress line
        heading = _heading_before(body, i)
        num = body[heading].num if heading is not None else None
        if num is not None:
            votes[num.kind] += 1
    return votes.most_common(1)[0][0] if votes else Kind.AR_DOT


def _heading_before(body: list[Line], i: int) -> int | None:
    for back in range(i - 1, max(i - 7, -1), -1):
        prev = body[back]
        if label_of(prev) is not None:
            return None
        if progress_of(prev) is not None:
            continue
        if prev.num is not None:
            return back
    return None


def _scored_kind(body: list[Line]) -> Kind:
    """No 整改情况 labels: problems are the numbered lines most often followed by their own paragraphs."""
    followed: Counter[Kind] = Counter()
    total: Counter[Kind] = Counter()
    for i, ln in enumerate(body):
        if ln.num is None or ln.num.kind == Kind.CN_COMMA:
            continue
        total[ln.num.kind] += 1
        if i + 1 < len(body) and body[i + 1].num is None:
            followed[ln.num.kind] += 1
    if not total:
        return Kind.AR_DOT
    if not any(followed.values()):
        # No numbered line has a paragraph of its own: the problems are the lines with numbered items under them
        # ("1、问题" → "（1）措施" "（2）措施"), not those items.
        for i, ln in enumerate(body[:-1]):
            nxt = body[i + 1].num
            if ln.num is not None and ln.num.kind in total and nxt is not None and DEPTH[nxt.kind] > DEPTH[ln.num.kind]:
                followed[ln.num.kind] += 1
    return max(total, key=lambda k: (followed[k], total[k], DEPTH[k]))


def _part_headings(body: list[Line], kind: Kind) -> list[int]:
    """一、 二、 三、 … in sequence (a 一、 line out of sequence is not a part heading)."""
    if kind == Kind.CN_COMMA:
        return []
    out, expected = [], 1
    for i, ln in enumerate(body):
        if ln.num is not None and ln.num.kind == Kind.CN_COMMA and ln.num.number in (expected, expected + 1):
            out.append(i)
            expected = ln.num.number + 1
    return out


def _first_problem(body: list[Line], anchors: list[int], kind: Kind, parts: list[int]) -> int | None:
    if anchors:
        first = anchors[0]
        heading = _heading_before(body, first)
        num = body[heading].num if heading is not None else None
        if heading is not None and num is not None and num.kind == kind:
            return heading
        return first
    # No labels: the first problem-kind line in the part that holds the problems.
    lines = [i for i, ln in enumerate(body) if ln.num is not None and ln.num.kind == kind]
    if not lines:
        return None
    numbered = [(p, body[p].num) for p in parts]
    two = next((p for p, num in numbered if num and num.number >= 2 and PROBLEM_PART.search(body[p].text)), None)
    two = two if two is not None else next((p for p, num in numbered if num and num.number == 2), None)
    if two is not None:
        later = [i for i in lines if i > two]
        if later:
            return later[0]
    # No 二、 either: the first problem sits under a heading that names a 方面 ("（三）…方面"); without such
    # headings, part 一's own "1." paragraphs stand alone while a problem owns the paragraphs under it — and so
    # does the one after it.
    def problem_like(i: int) -> bool:
        nxt = body[i + 1] if i + 1 < len(body) else None
        return nxt is not None and nxt.num is None and not is_anchor(nxt)

    def number(i: int) -> int:
        num = body[i].num
        return num.number if num is not None else 0

    aspect = next((k for k, i in enumerate(lines) if ASPECT.search(_enclosing(body, i, kind))), None)
    if aspect is not None:
        # The source may have lost the first category's heading: problems numbered just before it are problems too.
        while aspect > 0 and number(lines[aspect - 1]) == number(lines[aspect]) - 1 and problem_like(lines[aspect - 1]):
            aspect -= 1
        return lines[aspect]
    for k, i in enumerate(lines):
        if problem_like(i) and (k + 1 == len(lines) or problem_like(lines[k + 1])):
            return i
    return lines[0]


def _enclosing(body: list[Line], i: int, kind: Kind) -> str:
    """The text of the nearest shallower heading above line i."""
    for j in range(i - 1, -1, -1):
        num = body[j].num
        if num is not None and DEPTH[num.kind] < DEPTH[kind]:
            return num.rest
    return ""


def _chain_top(body: list[Line], first: int, floor: int) -> int:
    """The outermost category heading directly above the first problem ((一)…方面 → 1.… → 1)…)."""
    num = body[first].num
    top, depth = first, DEPTH[num.kind] if num is not None else 99
    j = first - 1
    while j > floor:
        ln = body[j]
        if ln.num is None or ln.num.kind == Kind.CN_COMMA or DEPTH[ln.num.kind] >= depth:
            break
        top, depth = j, DEPTH[ln.num.kind]
        j -= 1
    return top


def _part_one_content(body: list[Line], heading: int, top: int) -> bool:
    """一、 is the organisation part, not the problem part: sub-sections of its own before the problems, or
    a heading that does not speak of problems with paragraphs under it."""
    between = body[heading + 1:top]
    if any(ln.num is not None for ln in between):
        return True
    return bool(between) and not PROBLEM_PART.search(body[heading].text)
