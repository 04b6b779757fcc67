"""Breaking a notice title into lines: whole words, ≤ 20 characters a line, a trapezoid or a diamond.

GB/T 9704-2012 7.3.1 asks a title broken over lines to keep words whole (词意完整) and to stand as a
trapezoid or a diamond. A dictionary segmenter (jieba) would do, but loading its dictionary takes about
a second — more than a whole PDF export — for titles drawn from a small, fixed vocabulary. So a compact
rule set is used instead: the units of a 巡察 title (中共, 关于, 区委, 党组, 巡察组, 区委第三巡察组, 第十三轮,
九届区委, a quoted “回头看” …) are never split; a break after an organisation's suffix (…局, …党组) or
next to 关于 is preferred; the lines then are as even as the words allow, in a trapezoid or diamond.
"""
from __future__ import annotations

import itertools
import re

MAX_WIDTH = 20.0       # 20 × 22 pt = 440 pt ≤ the 442 pt text block
_NUM = "[一二三四五六七八九十百零〇0-9]+"
# Units never split, longest alternatives first inside each pattern.
_PROTECTED = re.compile("|".join((
    rf"[省市区县州旗镇乡]委第{_NUM}(?:巡察|巡视)组",
    rf"第{_NUM}(?:巡察|巡视)组", rf"第{_NUM}轮", rf"{_NUM}届(?:[省市区县州旗]委)?", rf"{_NUM}年度?",
    r"“[^”]{1,12}”", r"《[^》]{1,16}》", r"[A-Za-z0-9][A-Za-z0-9.\-]*", r"——", r"……",
    r"中共", r"关于", r"党工委", r"党组", r"党委", r"委员会", r"管委会", r"[省市区县州旗镇乡]委", r"纪委", r"监委",
    r"巡察组", r"巡视组", r"巡察", r"巡视", r"回头看", r"反馈意见", r"反馈", r"意见", r"整改落实", r"整改",
    r"落实", r"情况", r"进展", r"通报", r"报告", r"专项", r"常规", r"行政审批", r"审批", r"政务服务", r"服务",
    r"经济开发区", r"开发区", r"高新区", r"新区", r"办公室", r"人民政府", r"政府", r"街道", r"社区",
)))
_ORG_END = set("省市区县州旗镇乡局委办厅部组会院所处室校站队司社")
_NO_START = set("，。、；：？！）」』】〕》〉”’…—·")
_NO_END = set("（「『【〔《〈“‘")


def _char_widths(text: str) -> list[float]:
    """Each character's width in ems of the title size: a capital Latin letter is about three quarters of
    an em in the Latin face (X, M, W …), other ASCII half of one; a Latin letter or digit beside a Chinese
    character also carries the autospace the writers put between them."""
    out = []
    for i, c in enumerate(text):
        if not c.isascii():
            out.append(1.0)
            continue
        w = 0.75 if c.isupper() else 0.5
        if c.isalnum():
            w += 0.16 * sum(1 for j in (i - 1, i + 1) if 0 <= j < len(text) and not text[j].isascii()
                            and text[j].isalnum())
        out.append(w)
    return out


def _width(text: str) -> float:
    return sum(_char_widths(text))


def _break_costs(text: str) -> dict[int, float]:
    """Cost of a line break before each position; positions inside a unit are absent."""
    inside: set[int] = set()
    edges: set[int] = set()
    starts: set[int] = set()
    for m in _PROTECTED.finditer(text):
        inside.update(range(m.start() + 1, m.end()))
        edges.update((m.start(), m.end()))
        starts.add(m.start())
    costs: dict[int, float] = {}
    for i in range(1, len(text)):
        if i in inside or text[i] in _NO_START or text[i - 1] in _NO_END:
            continue
        if text.startswith("关于", i) or text[:i].endswith("关于"):
            costs[i] = 0.0
        elif text[:i].endswith(("巡察组", "巡视组", "党组", "党委", "委员会", "党工委")):
            costs[i] = 0.5
        elif text[i] in _ORG_END and i not in starts:
            costs[i] = 8.0          # 审批|局: the suffix belongs to the name before it
        elif text[i - 1] in _ORG_END or i in edges:
            costs[i] = 1.5
        else:
            costs[i] = 6.0          # between two characters nothing is known about
    return costs


def _shape_cost(widths: list[float]) -> float:
    """Evenness, and a penalty for shapes that are neither a trapezoid nor a diamond."""
    mean = sum(widths) / len(widths)
    cost = sum((w - mean) ** 2 for w in widths) / len(widths) / 4
    rising = all(a <= b for a, b in itertools.pairwise(widths))
    falling = all(a >= b for a, b in itertools.pairwise(widths))
    peak = widths.index(max(widths))
    diamond = all(a <= b for a, b in itertools.pairwise(widths[:peak + 1])) and all(
        a >= b for a, b in itertools.pairwise(widths[peak:]))
    if not (rising or falling or diamond):
        cost += 12.0
    elif falling and not rising:
        cost += 0.5                 # 上短下长 (a standing trapezoid) reads best; the others are allowed
    return cost


def _cuts(text: str, costs: dict[int, float], lines: int) -> list[tuple[int, ...]]:
    """Every way to cut `text` into `lines` lines of at most 20 characters at the allowed positions."""
    points = sorted(costs)
    prefix = [0.0]
    for w in _char_widths(text):
        prefix.append(prefix[-1] + w)
    out: list[tuple[int, ...]] = []

    def extend(start: int, left: int, acc: tuple[int, ...]) -> None:
        if left == 1:
            if prefix[-1] - prefix[start] <= MAX_WIDTH:
                out.append(acc)
            return
        for p in points:
            width = prefix[p] - prefix[start]
            if p <= start or width < 1:
                continue
            if width > MAX_WIDTH:
                break
            if prefix[-1] - prefix[p] <= MAX_WIDTH * (left - 1):
                extend(p, left - 1, (*acc, p))

    extend(0, lines, ())
    return out


def _break_one(text: str) -> list[str]:
    total = _width(text)
    if total <= MAX_WIDTH:
        return [text]
    costs = _break_costs(text)
    fewest = int(-(-total // MAX_WIDTH))
    for relax in (False, True):
        if relax:  # a unit longer than a line: allow any break that keeps the punctuation rules
            costs = {i: costs.get(i, 20.0) for i in range(1, len(text))
                     if text[i] not in _NO_START and text[i - 1] not in _NO_END}
        best: tuple[float, list[str]] | None = None
        for lines in range(fewest, fewest + 3):
            for cut in _cuts(text, costs, lines):
                parts = [text[a:b] for a, b in itertools.pairwise((0, *cut, len(text)))]
                score = _shape_cost([_width(p) for p in parts]) + sum(costs[c] for c in cut) + 6.0 * (lines - fewest)
                if best is None or score < best[0]:
                    best = (score, parts)
            if best is not None and lines > fewest:
                break
        if best is not None:
            return best[1]
    return [text[i:i + int(MAX_WIDTH)] for i in range(0, len(text), int(MAX_WIDTH))]


def break_title(title: str) -> list[str]:
    """The title's lines; a line break the clerk typed is kept, and each part broken as needed."""
    out: list[str] = []
    for part in title.split("\n"):
        part = part.strip()
        if part:
            out += _break_one(part)
    return out
