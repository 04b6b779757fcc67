"""Part 二 as a tree of any depth: categories (方面 → 项 → …), problems, progress lines and narratives.

The problems' numbering kind comes from the layout; shallower numbered lines that hold problems are
categories, one level per kind. Numbers are checked against the sequence the source uses (across the
notice or within each group): a line that lost its bracket or dot but carries the next expected number is
that item (with a warning); a number that breaks the sequence is flagged at its line. Nothing is made up:
a problem whose heading the source lost keeps an empty text and a warning.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from app.importing.lines import Line, is_anchor, label_of, progress_of
from app.importing.model import ParsedCategory, ParsedNotice, ParsedProblem
from app.importing.numbering import ARABIC, DEPTH, Kind, Numbered, damaged
from app.importing.parts import Layout
from app.numbering_scheme import NumberStyle
from app.numerals import to_chinese
from db.enums import Status

QUOTED_PROBLEM = re.compile(r"^关于[“\"](.+)[”\"]的问题[。.]?$")
LOOKAHEAD = 8
FULL_DIGITS = set("０１２３４５６７８９")


@dataclass
class _Open:
    level: int
    cat: ParsedCategory
    problems: int = 0


def _shown(kind: Kind, n: int) -> str:
    return f"（{to_chinese(n)}）" if kind == Kind.CN_PAREN else f"{to_chinese(n)}、" if kind == Kind.CN_COMMA \
        else str(n)


class TreeBuilder:
    def __init__(self, notice: ParsedNotice, layout: Layout) -> None:
        self.n, self.lines, self.kind = notice, layout.region, layout.problem_kind
        self.anchored, self.narratives = layout.anchored, layout.narratives
        self.categories = self._category_lines()
        self.cat_kinds = sorted({ln.num.kind for i, ln in enumerate(self.lines) if i in self.categories and ln.num},
                                key=lambda k: DEPTH[k])
        self.across = self._numbered_across()
        self.stack: list[_Open] = []
        self.current: ParsedProblem | None = None
        self.phase = ""            # "", "head" (after the heading), "text" (problem text), "narr" (narrative)
        self.last = 0              # the last problem number in the sequence
        self.cat_last: dict[int, int] = {}      # level → last number under the current parent
        self.cat_any: dict[int, int] = {}       # level → last number anywhere
        self.consumed: set[int] = set()
        self.para_lines: list[int] = []         # source lines of the current problem's narrative paragraphs
        self.intro: list[str] = []
        self.problem_styles: Counter[NumberStyle] = Counter()
        self.cat_styles: dict[int, Counter[NumberStyle]] = {}
        self.labels: Counter[str] = Counter()
        self.progress_labels: Counter[str] = Counter()
        self.quoted = 0            # problems worded 关于“…”的问题 in the source
        self.full_digits = 0       # problems numbered in full-width digits ("１．", "（１）")
        self.seen_labels: set[str] = set()      # the labels of the current problem's narrative sections
        self.sublist = 0           # the last number of an item list inside the current narrative ("（1）…（2）…")

    # -- the walk --------------------------------------------------------------------------------------
    def build(self) -> list[str]:
        for i, ln in enumerate(self.lines):
            if i in self.consumed:
                continue
            progress = progress_of(ln)
            if progress is not None:
                self.progress_labels[progress[0]] += 1
                self._progress(i, progress[1])
                continue
            label = label_of(ln)
            if label is not None:
                self._label(i, label[0], label[1])
                continue
            if i in self.categories and ln.num is not None:
                self._category(i, ln.num)
                continue
            if ln.num is not None and ln.num.kind == self.kind and self._take_problem(i, ln.num):
                continue
            if ln.num is None or ln.num.kind != self.kind:
                if self._recover(i):
                    continue
            self._text(i)
        self._close_problem()
        return self.intro

    def _container(self) -> list[ParsedProblem]:
        return self.stack[-1].cat.problems if self.stack else self.n.problems

    def expected(self) -> int:
        if not self.across and self.stack and self.stack[-1].problems == 0:
            return 1
        return self.last + 1

    # -- problems --------------------------------------------------------------------------------------
    def _take_problem(self, i: int, num: Numbered) -> bool:
        exp, ln = self.expected(), self.lines[i]
        owns = self._anchor_follows(i) if self.anchored else self._own_paragraph_follows(i)
        if self.phase == "narr" and not owns and self.sublist and num.number == self.sublist + 1:
            self.sublist = num.number  # the list inside the narrative goes on ("（1）…（2）…")
            return False
        if num.number == exp:
            self._problem(i, num.rest, exp, num.style)
            return True
        if self.phase == "narr" and not owns and (num.number < exp or self._next_number(i) != num.number + 1):
            self.sublist = num.number
            return False  # an item inside the narrative ("1)…2)…"), not a problem
        following = self._next_number(i)
        if following == exp + 1 and num.number not in (self.last, following):
            self.n.warn(ln.no, f"问题序号 {num.number} 与前后不连续（按顺序应为 {exp}），已按第 {exp} 个问题导入，请核对。")
            self._problem(i, num.rest, exp, num.style)
            return True
        if num.number == self.last:
            self.n.warn(ln.no, f"问题序号 {num.number} 重复。")
        elif num.number == 1 and not self.across:
            self.n.warn(ln.no, "问题序号在这里重新从 1 开始，原文可能缺少一个分类标题，请核对。")
        elif num.number > exp:
            self.n.warn(ln.no, f"问题序号从 {self.last} 跳到 {num.number}，中间缺少 {num.number - exp} 个。")
        else:
            self.n.warn(ln.no, f"问题序号 {num.number} 与前面的序号 {self.last} 不连续，请核对。")
        self._problem(i, num.rest, num.number, num.style)
        return True

    def _problem(self, i: int, rest: str, number: int, style: NumberStyle | None, *,
                 has_heading: bool = True) -> ParsedProblem:
        self._close_problem()
        ln = self.lines[i]
        if not rest and has_heading:
            rest = self._take_next_text(i)
        p = ParsedProblem(number=number, text=rest, line=ln.no,
                          status=Status.DONE if self.narratives else Status.NOT_STARTED)
        m = QUOTED_PROBLEM.match(rest)
        if m:
            p.text = m.group(1)
            self.quoted += 1
        self._container().append(p)
        if self.stack:
            self.stack[-1].problems += 1
        self.current, self.phase, self.last, self.para_lines, self.sublist = p, "head", number, [], 0
        if style is not None:
            self.problem_styles[style] += 1
            self.full_digits += ln.text[:1] in FULL_DIGITS or ln.text[1:2] in FULL_DIGITS
        return p

    def _close_problem(self) -> None:
        p = self.current
        if p is not None and self.narratives and not p.narrative:
            self.n.warn(p.line, f"问题 {p.number} 没有“整改情况”。")

    def _lost_heading(self, i: int, what: str) -> ParsedProblem:
        number = self.expected()
        self.n.warn(self.lines[i].no, f"这段{what}前面缺少问题标题，已作为第 {number} 个问题导入，问题内容空缺，请对照原文补充。")
        return self._problem(i, "", number, None, has_heading=False)

    def _progress(self, i: int, text: str) -> None:
        p = self.current
        if p is None or self.phase == "narr" or p.progress_line:
            moved = self._heading_in_narrative()
            if moved is not None:
                line, heading = moved
                number = self.expected()
                if heading.startswith(str(number)) and not heading[len(str(number)):][:1].isdigit():
                    heading = heading[len(str(number)):].lstrip(" .．、)）")  # "12项目…": the number ran into a unit word
                self.n.warn(line, f"“{heading[:16]}…”前面缺少问题序号；因其后紧跟“整改进程”，已作为第 {number} 个问题，请核对。")
                p = self._problem(i, heading, number, None, has_heading=False)
                p.line = line
            else:
                p = self._lost_heading(i, "整改进程")
        p.progress_line = text
        p.status = status_from(text)

    def _heading_in_narrative(self) -> tuple[int, str] | None:
        """A progress line after a narrative: the narrative's last paragraph, on its own line, may be the next
        problem's heading that lost its number."""
        p = self.current
        if p is None or self.phase != "narr" or len(p.narrative) < 2 or len(self.para_lines) != len(p.narrative):
            return None
        if self.para_lines[-1] == p.narrative_line:
            return None
        text = p.narrative.pop()
        return self.para_lines.pop(), text

    def _label(self, i: int, label: str, rest: str) -> None:
        p = self.current
        if p is not None and self.phase == "narr" and p.label and label not in self.seen_labels:
            # 整改措施：… then 整改成效：…: a second section of the same problem's narrative, under its own label
            self.seen_labels.add(label)
            p.narrative.append(self.lines[i].text)
            self.para_lines.append(self.lines[i].no)
            return
        if self.current is None or self.phase == "narr":
            self._lost_heading(i, "整改情况")
        p = self.current
        assert p is not None
        p.label, p.narrative_line, self.phase = label, self.lines[i].no, "narr"
        self.seen_labels = {label}
        self.labels[label] += 1
        if rest:
            p.narrative.append(rest)
            self.para_lines.append(self.lines[i].no)

    # -- categories ------------------------------------------------------------------------------------
    def _category(self, i: int, num: Numbered, note: str = "") -> None:
        ln = self.lines[i]
        level = self.cat_kinds.index(num.kind)
        under = self.cat_last.get(level)
        anywhere = self.cat_any.get(level)
        valid = {1, (under or 0) + 1, (anywhere or 0) + 1}
        number = num.number
        if note:
            self.n.warn(ln.no, note)
        elif anywhere is not None and num.number not in valid:
            want = (under or 0) + 1
            if self._next_category_number(i, level) == want + 1:
                self.n.warn(ln.no, f"分类序号{_shown(num.kind, num.number)}与前后不连续（按顺序应为"
                                   f"{_shown(num.kind, want)}），已按原文的层级导入，请核对。")
                number = want
            elif num.number > max(valid):
                self.n.warn(ln.no, f"分类序号从{_shown(num.kind, anywhere)}跳到{_shown(num.kind, num.number)}，原文可能缺少"
                                   "分类标题；缺少标题的问题已归入上一个分类，请核对。")
            else:
                self.n.warn(ln.no, f"分类序号{_shown(num.kind, num.number)}与前后不连续（此处应为"
                                   f"{_shown(num.kind, want)}），请核对。")
        self._close_problem()
        if not self.n.categories and self.n.problems:
            self.n.warn(self.n.problems[0].line, f"前 {len(self.n.problems)} 个问题前面没有分类标题（原文可能缺少），"
                                                 "已放在各分类之前，请核对。")
        text = num.rest or self._take_next_text(i)
        if not text:
            self.n.warn(ln.no, "这个分类标题只有序号、没有文字，已按空标题导入，请对照原文补充。")
        cat = ParsedCategory(text, ln.no, number=num.number)
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        (self.stack[-1].cat.children if self.stack else self.n.categories).append(cat)
        self.stack.append(_Open(level, cat))
        self.cat_last[level] = self.cat_any[level] = number
        for deeper in [k for k in self.cat_last if k > level]:
            del self.cat_last[deeper]
        if not num.damaged:
            self.cat_styles.setdefault(level, Counter())[num.style] += 1
        self.current, self.phase = None, ""

    def _next_category_number(self, i: int, level: int) -> int | None:
        for j in range(i + 1, len(self.lines)):
            num = self.lines[j].num
            if j in self.categories and num is not None:
                other = self.cat_kinds.index(num.kind)
                if other < level:
                    return None
                if other == level:
                    return num.number
        return None

    def _category_lines(self) -> set[int]:
        """Numbered lines shallower than the problems that hold problems (a heading per group, not items)."""
        out: set[int] = set()
        depth = DEPTH[self.kind]
        gap: Counter[Kind] = Counter()
        gap_lines: list[int] = []
        for i, ln in enumerate(self.lines):
            if self._problem_like(ln):
                out |= {j for j in gap_lines if gap[self.lines[j].num.kind] == 1}  # type: ignore[union-attr]
                gap.clear()
                gap_lines = []
                continue
            if ln.num is None or DEPTH[ln.num.kind] >= depth or ln.num.kind == self.kind:
                continue
            if self._holds_problem(i):
                gap[ln.num.kind] += 1
                gap_lines.append(i)
        out |= {j for j in gap_lines if gap[self.lines[j].num.kind] == 1}  # type: ignore[union-attr]
        return self._consistent_levels(out)

    def _consistent_levels(self, found: set[int]) -> set[int]:
        """A middle level (项 between 方面 and problems) heads the groups under most 方面; a kind that only turns
        up now and then between them is an item inside a narrative, not a level of the tree."""
        kind_of = {i: num.kind for i in found if (num := self.lines[i].num) is not None}
        kinds = sorted(set(kind_of.values()), key=lambda k: DEPTH[k])
        for upper, kind in zip(kinds, kinds[1:], strict=False):
            heads = [i for i in found if kind_of.get(i) == upper]
            under = sum(1 for i in heads if self._next_numbered_kind(i) == kind)
            if under * 2 < len(heads):
                found = {i for i in found if kind_of.get(i) != kind}
        return found

    def _next_numbered_kind(self, i: int) -> Kind | None:
        for ln in self.lines[i + 1:i + 4]:
            if ln.num is not None:
                return ln.num.kind
        return None

    def _holds_problem(self, i: int) -> bool:
        kind = self.lines[i].num.kind  # type: ignore[union-attr]
        loose = 0
        for ln in self.lines[i + 1:i + 1 + 40]:
            if self._problem_like(ln):
                return True
            if is_anchor(ln):
                return False
            if ln.num is None:
                loose += 1
                if loose > 1:
                    return False
                continue
            if DEPTH[ln.num.kind] <= DEPTH[kind]:
                return False
        return False

    def _problem_like(self, ln: Line) -> bool:
        if ln.num is not None:
            return ln.num.kind == self.kind
        d = damaged(ln.text)
        return d is not None and self._family(d.kind)

    def _family(self, kind: Kind) -> bool:
        return kind == self.kind or (kind in ARABIC and self.kind in ARABIC)

    def _numbered_across(self) -> bool:
        across = within = 0
        boundary, last = False, 0
        for i, ln in enumerate(self.lines):
            if i in self.categories:
                boundary = True
            elif ln.num is not None and ln.num.kind == self.kind:
                if boundary and last:
                    within += ln.num.number == 1
                    across += ln.num.number == last + 1
                boundary, last = False, ln.num.number
        return across > within

    # -- recovery and text -----------------------------------------------------------------------------
    def _recover(self, i: int) -> bool:
        ln = self.lines[i]
        exp = self.expected()
        cand = damaged(ln.text)
        owns = not self.anchored or self._anchor_follows(i) or self._next_number(i) == exp + 1
        if cand is not None and self._family(cand.kind) and cand.number == exp and owns:
            self.n.warn(ln.no, f"这一行的序号缺少括号或标点（“{ln.text[:12]}…”），按前后顺序作为第 {exp} 个问题导入，请核对。")
            self._problem(i, cand.rest, exp, None)
            return True
        num = ln.num
        if num is not None and num.kind in ARABIC and self.kind in ARABIC and num.number == exp \
                and self.anchored and self._anchor_follows(i):
            self.n.warn(ln.no, f"这一行的编号形式（{num.style.value}）与其他问题不同，按前后顺序作为第 {exp} 个问题导入，请核对。")
            self._problem(i, num.rest, exp, None)
            return True
        if cand is not None and cand.kind in self.cat_kinds and self._holds_problem_from(i, cand.kind):
            level = self.cat_kinds.index(cand.kind)
            if cand.number in {self.cat_last.get(level, 0) + 1, self.cat_any.get(level, 0) + 1}:
                self._category(i, cand, f"这一行的分类序号缺少括号或标点（“{ln.text[:12]}…”），按前后顺序作为分类导入，请核对。")
                return True
        if num is not None and self.anchored and DEPTH[num.kind] < DEPTH[self.kind] and i + 1 < len(self.lines) \
                and is_anchor(self.lines[i + 1]):
            # A group heading ("3.…") with its 整改情况 right under it and no problem of its own: the heading states
            # the problem. It is taken as one, unnumbered in the problems' sequence.
            self.n.warn(ln.no, f"这一行按编号（{num.style.value}）是分组标题，但下面直接是整改情况、没有具体问题，"
                               "已作为上一级分类下的一个问题导入（不占问题序号），请核对。")
            if num.kind in self.cat_kinds:  # it stands at its group's level, and its number counts there
                level = self.cat_kinds.index(num.kind)
                while self.stack and self.stack[-1].level >= level:
                    self.stack.pop()
                self.cat_last[level] = self.cat_any[level] = num.number
            last = self.last
            self._problem(i, num.rest, last, None).number = 0
            self.last = last
            return True
        return False

    def _holds_problem_from(self, i: int, kind: Kind) -> bool:
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
        return nxt is not None and (self._problem_like(nxt) or (nxt.num is not None and DEPTH[nxt.num.kind] > DEPTH[kind]))

    def _text(self, i: int) -> None:
        ln, p = self.lines[i], self.current
        if p is not None and self.phase == "narr":
            p.narrative.append(ln.text)
            self.para_lines.append(ln.no)
        elif p is not None and (not self.narratives or (self.anchored and self._anchor_follows(i))):
            if self.phase == "head" and not p.title:
                p.title, p.text = p.text, ln.text   # the heading was a title; the problem's text follows it
            else:
                p.text = f"{p.text}\n{ln.text}" if p.text else ln.text
            self.phase = "text"
        elif p is not None:
            # A notice whose problem has no 整改情况 label: the paragraphs after the heading are its narrative.
            if self.anchored:
                self.n.warn(ln.no, f"问题 {p.number} 没有“整改情况”之类的标签，其后的段落已作为整改情况导入（不加标签），请核对。")
            p.label, p.narrative_line, self.phase = "", ln.no, "narr"
            p.narrative.append(ln.text)
            self.para_lines.append(ln.no)
        elif self.stack:
            self.n.warn(ln.no, "分类标题下、第一个问题之前的文字已作为分类名称的下一段，请核对。")
            self.stack[-1].cat.text += "\n" + ln.text
        else:
            self.intro.append(ln.text)

    def _take_next_text(self, i: int) -> str:
        """A heading alone on its line ("（三）"): its text is the next line."""
        if i + 1 < len(self.lines):
            nxt = self.lines[i + 1]
            if nxt.num is None and not is_anchor(nxt):
                self.consumed.add(i + 1)
                return nxt.text
        return ""

    def _anchor_follows(self, i: int) -> bool:
        for ln in self.lines[i + 1:i + 1 + LOOKAHEAD]:
            if is_anchor(ln):
                return True
            if ln.num is not None and (ln.num.kind == self.kind or DEPTH[ln.num.kind] < DEPTH[self.kind]):
                return False
        return False

    def _own_paragraph_follows(self, i: int) -> bool:
        nxt = self.lines[i + 1] if i + 1 < len(self.lines) else None
        return nxt is not None and nxt.num is None and not is_anchor(nxt)

    def _next_number(self, i: int) -> int | None:
        for ln in self.lines[i + 1:]:
            if ln.num is not None and ln.num.kind == self.kind:
                return ln.num.number
        return None


def status_from(progress: str) -> Status:
    """The status a progress line states: 正在整改 (in progress) before 长期坚持 (done, kept up)."""
    if re.search(r"正在|整改中|推进中|未完成|尚未|基本完成|阶段性", progress):
        return Status.IN_PROGRESS
    if re.search(r"长期坚持|长期|持续推进|持续深化", progress):
        return Status.LONG_TERM
    return Status.DONE
