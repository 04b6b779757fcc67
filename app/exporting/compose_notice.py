"""Building the notice (巡察整改情况的通报) from a round snapshot, in one of the layout styles A, B, C.

A: 1.关于“…”的问题 + 整改情况：        (huangpi, shizhong)
B: （一）方面 + 问题一： + 整改措施及成效：  (panlongcheng)
C: （一）方面 → 1.项 → （1）问题 + 整改进程： + 整改情况：

The category tree may have any depth; one recursive walk writes it. Every prefix comes from the round's
numbering scheme (categories by depth, problems within each group or across the notice). The composer
prints only what the data holds: what is missing is returned beside the blocks as a preflight list.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from app.dto import ProblemRow
from app.exporting.blocks import (
    Blank,
    Block,
    Heading,
    LayoutOptions,
    NoticeDocument,
    Paragraph,
    Signature,
    Title,
)
from app.exporting.hygiene import Change, fix_text
from app.exporting.notice_parts import counts_sentence, default_contact, internal_blocks
from app.exporting.preflight import PreflightItem, Severity
from app.exporting.redaction import NameFinder, Redactor, default_replacement
from app.exporting.title_breaking import break_title
from app.numbering_scheme import GBT_FORMS, NumberStyle, format_number
from app.numerals import date_cn
from app.services.snapshot import CategoryNode, RoundSnapshot
from db.session import Database

DEFAULT_HEADINGS = {1: "整改工作开展情况", 2: "巡察反馈问题整改落实情况", 3: "下一步工作打算"}
NARRATIVE_LABEL = {"A": "整改情况：", "B": "整改措施及成效：", "C": "整改情况："}
# GB/T 9704 7.3.3 levels by the form of the prefix; other forms are set like level 4 (仿宋, not bold).
LEVEL_OF_STYLE = {NumberStyle.CN_COMMA: 1, NumberStyle.CN_PAREN: 2, NumberStyle.AR_DOT: 3, NumberStyle.AR_PAREN: 4}
RUN_IN_STYLES = (NumberStyle.PROBLEM_CN, NumberStyle.ORDINAL, NumberStyle.ITEM)   # 问题一：text — a label, not a heading
PLACEHOLDER_NAMES = ("未命名", "待补充")
_GB_CHAIN = (NumberStyle.CN_PAREN, NumberStyle.AR_DOT, NumberStyle.AR_PAREN, NumberStyle.CIRCLED)
_SECTION_LINE = re.compile(r"^(?:([一二三四五六七八九十]+)、|[（(]([一二三四五六七八九十]+)[）)]|(\d+)[.．](?!\d)|[（(](\d+)[）)])")
# Sentences of the imported text that say every problem is done, or how many are: true when the notice was
# published, stale once a problem is back in 整改中 (checked against the ledger before export).
_ALL_DONE = re.compile(r"全部整改(?:完毕|完成|到位)|已全部(?:整改|完成)|均已整改(?:完毕|完成|到位)")
_N_DONE = re.compile(r"已(?:经)?整改完成\s*(\d+)\s*[个项条]")
_INNER_DOT = re.compile(r"^(\d{1,3})\s*[.．](?!\d)\s*")
_INNER_PAREN = re.compile(r"^[（(](\d{1,3})[）)]\s*")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_LABEL_START = re.compile(r"^(整改情况|整改措施及成效|整改措施|整改成效|整改进展|整改进程)[：:]")


@dataclass
class NoticeOptions:
    public: bool = True                  # public: no internal notes/log/evidence, names redacted
    sealed: bool = True                  # 加盖印章 layout of 署名 and 成文日期
    restart_numbering: bool | None = None  # None: the round's numbering scheme
    refused_fixes: tuple[str, ...] = ()  # hygiene rules the user turned off (标点, 括号, 引号, 日期)
    redact_names: tuple[str, ...] = ()   # names found in the public text that the clerk confirmed to redact
    layout: LayoutOptions = field(default_factory=LayoutOptions)
    today: dt.date | None = None


@dataclass
class ComposedNotice:
    document: NoticeDocument
    changes: list[Change]
    preflight: list[PreflightItem] = field(default_factory=list)
    found_names: list[str] = field(default_factory=list)   # names in the public text not yet redacted


def prefix_for(level: int, n: int) -> str:
    """The GB/T 9704 prefix of a heading level (1 一、, 2 （一）, 3 1., 4 （1））."""
    return format_number((NumberStyle.CN_COMMA, NumberStyle.CN_PAREN, NumberStyle.AR_DOT,
                          NumberStyle.AR_PAREN)[level - 1], n)


class _Composer:
    def __init__(self, snap: RoundSnapshot, opts: NoticeOptions) -> None:
        self.snap, self.opts = snap, opts
        self.style = snap.round.layout_style
        self.out: list[Block] = []
        self.changes: list[Change] = []
        self.preflight: list[PreflightItem] = []
        self.problem: ProblemRow | None = None          # whose text is being cleaned
        self.found: dict[int | None, dict[str, None]] = {}
        self.sensitive_hits: set[int] = set()
        terms = {**{n: default_replacement(n) for n in opts.redact_names}, **snap.redactions}
        self.redactor = Redactor(terms)
        self.finder = NameFinder([*snap.person_names(), *snap.redactions])

    # -- text ----------------------------------------------------------------------------------
    def clean(self, text: str) -> str:
        """Hygiene first, then the names: a redaction term matches the normalised text."""
        fixed, changes = fix_text(text, self.opts.refused_fixes)
        self.changes += changes
        if not self.opts.public:
            return fixed
        names = [n for n in self.finder.find(fixed) if n not in self.redactor.terms]
        redactor = self.redactor
        if names and self.problem is not None and self.problem.sensitive:   # 含人名（公开版须脱敏）
            redactor = redactor.with_terms({n: default_replacement(n) for n in names})
            self.sensitive_hits.add(self.problem.id)
        elif names:
            self.found.setdefault(self.problem.id if self.problem else None, {}).update(dict.fromkeys(names))
        return redactor(fixed)

    def lines(self, text: str) -> list[str]:
        """A multi-line field, cleaned as a whole (a name broken over a line still matches), then split."""
        return [ln.strip() for ln in self.clean(text).splitlines() if ln.strip()]

    def note(self, severity: Severity, message: str, problem: ProblemRow | None = None) -> None:
        self.preflight.append(PreflightItem(severity, message, problem.id if problem else None))

    # -- blocks ----------------------------------------------------------------------------------
    def heading(self, level: int, prefix: str, text: str, outline: bool = False) -> Heading:
        """A heading; a long one that holds a sentence becomes a run-in heading with body text."""
        text = self.clean(text)
        cut = text.find("。")
        head, body = (text[:cut + 1], text[cut + 1:]) if 0 < cut < len(text) - 1 and cut <= 40 else (text, "")
        return Heading(level, prefix, head, body, outline=head.rstrip("。") if outline else "")

    def section(self, text: str, part: int, default: str) -> None:
        """A free-text part: its first line may be the part heading; numbered lines are sub-headings,
        renumbered in order so the sequence is whole even where the source skipped a number."""
        lines = self.lines(text)
        first = _SECTION_LINE.match(lines[0]) if lines else None
        heading = default
        if first and first.group(1):
            heading, lines = lines[0][first.end():].strip() or default, lines[1:]
        self.out.append(Heading(1, prefix_for(1, part), heading, outline=heading))
        counters = {2: 0, 3: 0, 4: 0}
        for line in lines:
            m = _SECTION_LINE.match(line)
            level = next((lv for lv, g in ((2, 2), (3, 3), (4, 4)) if m and m.group(g)), 0)
            if not level or not line[m.end():].strip():  # type: ignore[union-attr]
                self.out.append(Paragraph(line))
                continue
            counters[level] += 1
            counters.update({lv: 0 for lv in counters if lv > level})
            self.out.append(self.heading(level, prefix_for(level, counters[level]), line[m.end():]))  # type: ignore[union-attr]

    # -- part 二 -------------------------------------------------------------------------------------
    def problems_part(self, part: int) -> int:
        """Part 二; returns the number of the last 一、 heading it wrote."""
        snap = self.snap
        lines = self.lines(snap.settings.part_two_intro)
        first = _SECTION_LINE.match(lines[0]) if lines else None
        heading = DEFAULT_HEADINGS[2]
        if first and first.group(1):
            heading, lines = lines[0][first.end():].strip() or heading, lines[1:]
        # 方面 numbered 一、 二、 (a source without part headings): they stand at the parts' level, numbered on
        # from part 一, and no part heading is put above them.
        aspects_are_parts = snap.scheme.categories[:1] == (NumberStyle.CN_COMMA,) and bool(snap.categories) \
            and not (first and first.group(1))
        if not aspects_are_parts:
            self.out.append(Heading(1, prefix_for(1, part), heading, outline=heading))
        if not lines:
            lines = [self.clean(s) for s in counts_sentence(snap)]
            self.note(Severity.NOTE, "第二部分没有导语，已按核对后的台账写出统计句：" + lines[0])
        self.out.extend(Paragraph(ln) for ln in lines)
        scheme = snap.scheme
        self.across = scheme.problems_across if self.opts.restart_numbering is None else not self.opts.restart_numbering
        if self.across and scheme.problems in GBT_FORMS:
            self.across = False
            self.note(Severity.NOTE, f"问题编号“{scheme.problems.value}”按 GB/T 9704 须在每组内从 1 编起，"
                                     "导出时已改为组内编号（原文为全文连续编号）。")
        self.counter = 0
        self.shifted = False
        self.inner_noted = False
        self.emit_problems(snap.loose, self.problem_form(0))
        if aspects_are_parts:
            self.walk(snap.categories, 1, part - 1)
            return part - 1 + len(snap.categories)
        self.walk(snap.categories, 1)
        return part

    # A GB/T 9704 scheme nests 一、→（一）→ 1. →（1）. Where the tree is deeper than the round's scheme,
    # the levels below go on in that order, and the problems take the form below their category.
    def category_form(self, depth: int) -> NumberStyle:
        cats = self.snap.scheme.categories
        if depth <= len(cats) or not cats or cats[-1] not in _GB_CHAIN:
            return self.snap.scheme.category_style(depth)
        i = _GB_CHAIN.index(cats[-1]) + depth - len(cats)
        return _GB_CHAIN[i] if i < len(_GB_CHAIN) else self.snap.scheme.category_style(depth)

    def problem_form(self, depth: int) -> NumberStyle:
        scheme = self.snap.scheme
        if depth <= len(scheme.categories) or scheme.problems not in GBT_FORMS:
            return scheme.problems
        above = self.category_form(depth)
        return _GB_CHAIN[_GB_CHAIN.index(above) + 1] if above in _GB_CHAIN[:-1] else scheme.problems

    def walk(self, nodes: list[CategoryNode], depth: int, shared: int = 0) -> None:
        """One recursive walk over categories of any depth. `shared`: numbers already used at this level
        by sibling problems of the same form (（一）方面 → 1.问题, 2.项 → （1）问题)."""
        style = self.category_form(depth)
        for n, node in enumerate(nodes, shared + 1):
            self.problem = None
            self.out.append(self.heading(LEVEL_OF_STYLE.get(style, 4), self.snap.scheme.digits(_prefix(style, n)),
                                         node.row.text,
                                         outline=True))
            form = self.problem_form(depth)
            used = self.emit_problems(node.problems, form)
            self.walk(node.children, depth + 1, used if self.category_form(depth + 1) == form else 0)

    def emit_problems(self, rows: list[ProblemRow], form: NumberStyle) -> int:
        """The problems of one group; returns how many numbers of the group they took."""
        within = 0
        if rows and form != self.snap.scheme.problems and not self.shifted:
            self.shifted = True
            self.note(Severity.NOTE, f"分类层级多于本轮的编号方案，其下的问题按 GB/T 9704 的层次编为“{form.value}”。")
        for p in rows:
            self.problem = p
            if not (p.text.strip() or p.title.strip() or p.narrative.strip()):
                self.note(Severity.WARNING, f"问题{p.number}既没有问题内容也没有整改情况，未印出。", p)
                continue
            within += 1
            self.counter += 1
            self.emit_problem(p, self.counter if self.across else within, form)
        self.problem = None
        return within

    def emit_problem(self, p: ProblemRow, n: int, style: NumberStyle) -> None:
        prefix = self.snap.scheme.digits(_prefix(style, n))
        own = self.snap.scheme.extra.get("narrative_label")     # the imported source's label; '' where it had none
        label = NARRATIVE_LABEL.get(self.style, "整改情况：") if own is None else f"{own}：" if own else ""
        narrative = self.lines(p.narrative)
        if narrative and _LABEL_START.match(narrative[0]):
            label = ""  # the text carries its own label
        heading, more = self._problem_text(p)
        if not narrative:
            self.note(Severity.WARNING, f"问题{p.number}还没有整改情况，通报中只印问题本身。", p)
        if not heading:
            self.note(Severity.WARNING, f"问题{p.number}没有问题内容（原文缺失），编号后直接接整改情况。", p)
            first = label + narrative.pop(0)
            if style in RUN_IN_STYLES:
                self.out.append(Paragraph(first, label=prefix, bold_label=True))
            else:
                self.out.append(Heading(LEVEL_OF_STYLE.get(style, 4), prefix, "", first))
            label = ""
        elif style in RUN_IN_STYLES:
            self.out.append(Paragraph(heading, label=prefix, bold_label=True, keep_with_next=bool(narrative)))
        else:
            self.out.append(self.heading(LEVEL_OF_STYLE.get(style, 4), prefix, heading))
        more, narrative = self._inner_lists(more, style), self._inner_lists(narrative, style)
        # Further paragraphs of the problem stay paragraphs; the last one keeps with what follows.
        self.out.extend(Paragraph(x, keep_with_next=i == len(more) - 1 and bool(narrative))
                        for i, x in enumerate(more))
        if p.progress_line.strip():
            progress = self.snap.scheme.extra.get("progress_label") or "整改进程"
            self.out.append(Paragraph(self.clean(p.progress_line.strip()), label=f"{progress}："))
        if narrative:
            self.out.append(Paragraph(narrative[0], label=label))
            self.out.extend(Paragraph(x) for x in narrative[1:])
        if not self.opts.public:
            self.out.extend(internal_blocks(self.snap, p, self.clean))
        if self.opts.public and p.sensitive and p.id not in self.sensitive_hits:
            self.note(Severity.WARNING, f"问题{p.number}标为“含人名（公开版须脱敏）”，但文中没有台账已知的人名；"
                                        "请把要替换的名字加入脱敏名单。", p)

    def _inner_lists(self, lines: list[str], style: NumberStyle) -> list[str]:
        """A numbered list inside a problem ("1.修订…" "2.建立…" under "2.问题…") would read as further headings
        and break the notice's numbering: it is printed one level below the problem — （1） under a 1. heading,
        ① where the problems are not headings of their own."""
        level = 5 if style in RUN_IN_STYLES else LEVEL_OF_STYLE.get(style, 5)
        out = []
        for line in lines:
            m = _INNER_DOT.match(line) or (_INNER_PAREN.match(line) if level >= 4 else None)
            n = int(m.group(1)) if m else 0
            if m and 0 < n <= len(CIRCLED) and not (level <= 3 and m.re is _INNER_PAREN):
                form = f"（{n}）" if level <= 3 and m.re is _INNER_DOT else CIRCLED[n - 1]
                line = form + line[m.end():]
                if not self.inner_noted:
                    self.inner_noted = True
                    self.note(Severity.NOTE, f"问题的整改情况中有编号列表（如“{m.group(0).strip()}”），"
                                             f"已印作“{form}”一级，以免与问题的编号混淆。")
            out.append(line)
        return out

    def _problem_text(self, p: ProblemRow) -> tuple[str, list[str]]:
        """The heading text and the problem's further paragraphs. The heading is the title (the text then
        follows it), or the problem's first paragraph; style A words a short problem 关于“…”的问题."""
        text = self.lines(p.text)
        if p.title.strip():
            return self.clean(p.title.strip()), text
        if not text:
            return "", []
        first, more = text[0], text[1:]
        unquoted = self.snap.scheme.extra.get("quoted") == "no"   # an imported source that did not word it so
        if self.style != "A" or unquoted or first.startswith("关于") or len(first) > 60 or more:
            return first, more
        return f"关于“{first.rstrip('。')}”的问题", more

    # -- the whole notice ------------------------------------------------------------------------------
    def compose(self) -> ComposedNotice:
        snap, s = self.snap, self.snap.settings
        title = s.title.strip()
        if not title:
            title = _derived_title(snap)
            self.note(Severity.NOTE, f"没有填写标题，按轮次信息拟定为：{title}")
        title_lines = [ln for part in self.lines(title) for ln in break_title(part)]
        signature = s.signature.strip() or snap.unit.signature.strip() or snap.unit.name.strip()
        if any(x in signature for x in PLACEHOLDER_NAMES):
            signature = ""
        doc = NoticeDocument(title="".join(title_lines), author=signature or snap.unit.name,
                             options=self.opts.layout)
        doc.add(Title("\n".join(title_lines)), Blank())
        opening = self.lines(s.opening)
        if not opening:
            self.note(Severity.WARNING, "没有开头段落（巡察的时间、巡察组和反馈意见的时间）。")
        doc.blocks.extend(Paragraph(ln) for ln in opening)
        self.out = doc.blocks
        part = 0
        if s.part_one.strip():
            part += 1
            self.section(s.part_one, part, DEFAULT_HEADINGS[1])
        else:
            self.note(Severity.WARNING, "没有第一部分（整改工作开展情况）。")
        part = self.problems_part(part + 1)
        if s.part_three.strip():
            part += 1
            self.section(s.part_three, part, DEFAULT_HEADINGS[3])
        self.contact()
        date = date_cn(s.sign_date)
        if not signature:
            self.note(Severity.MISSING, "没有署名：通报不印署名，请在“通报设置”中填写发文机关署名。")
        if not date:
            self.note(Severity.MISSING, "没有成文日期：通报不印日期，请在“通报设置”中填写成文日期。")
        if signature or date:
            doc.add(Signature(self.clean(signature), date, self.opts.sealed))
        self._name_notes()
        self._claim_notes()
        names = sorted({n for found in self.found.values() for n in found})
        return ComposedNotice(doc, self.changes, self.preflight, names)

    def _claim_notes(self) -> None:
        """The text's “全部整改完毕” / “已整改完成N个” against the ledger: said, not silently printed."""
        problems = [p for p in self.snap.problems if p.text or p.narrative]
        open_ = [p for p in problems if not p.status.is_done]
        if not open_:
            return
        s = self.snap.settings
        which = "、".join(f"问题{p.number}" for p in open_[:10]) + ("等" if len(open_) > 10 else "")
        done = len(problems) - len(open_)
        for text in (s.opening, s.part_one, s.part_two_intro):
            for m in _ALL_DONE.finditer(text):
                self.note(Severity.WARNING, f"通报文字写“{m.group(0)}”，但台账中还有 {len(open_)} 个问题未完成"
                                            f"（{which}），请核对这句话。", open_[0])
            for m in _N_DONE.finditer(text):
                if int(m.group(1)) != done:
                    self.note(Severity.WARNING, f"通报文字写“{m.group(0)}”，但台账中已完成 {done} 个，"
                                                f"{len(open_)} 个未完成（{which}），请核对数字。", open_[0])

    def contact(self) -> None:
        text = self.snap.settings.contact_paragraph.strip() or default_contact(self.snap.unit)
        if not text:
            self.note(Severity.NOTE, "没有监督联系方式（电话、地址、电子邮箱），通报不印邀请监督的段落。")
            return
        printed = "\n".join(_plain(b.label + b.text) for b in self.out if isinstance(b, Paragraph))
        for line in self.lines(text):
            # Part 三 may already end with the invitation: a sentence printed once is not printed again.
            sentences = re.findall(r"[^。；]+[。；]?", line)
            kept = "".join(x for x in sentences if len(_plain(x)) < 8 or _plain(x) not in printed)
            if kept.strip():
                self.out.append(Paragraph(kept.strip()))

    def _name_notes(self) -> None:
        by_number = {p.id: p for p in self.snap.problems}
        for pid, found in self.found.items():
            where = f"问题{by_number[pid].number}" if pid in by_number else "通报正文"
            self.preflight.append(PreflightItem(
                Severity.WARNING, f"{where}的公开文本中有台账中的人名：{'、'.join(found)}（尚未确认脱敏）。",
                pid, tuple(found)))


def _prefix(style: NumberStyle, n: int) -> str:
    """The printed prefix: "1)" is set with a full-width bracket, as GB/T 15834 has it beside Chinese text."""
    text = format_number(style, n)
    return text.replace(")", "）") if style == NumberStyle.AR_HALF_PAREN else text


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _derived_title(snap: RoundSnapshot) -> str:
    """The usual title from the round's confirmed facts: 发文机关 + 关于 + 巡察组 + 巡察 + 整改情况的通报."""
    r, unit = snap.round, snap.unit
    signer = snap.settings.signature or unit.signature or unit.name
    kind = "巡察“回头看”" if "回头看" in r.kind else ("巡视" if "巡视" in r.kind else "巡察")
    return f"{signer}关于{r.inspection_group}{kind}反馈意见整改情况的通报"


def compose_snapshot(snap: RoundSnapshot, opts: NoticeOptions | None = None) -> ComposedNotice:
    """The notice from a snapshot alone: no database, so the dialog can compose it again at every toggle."""
    return _Composer(snap, opts or NoticeOptions()).compose()


def compose_notice(db: Database, round_id: int, opts: NoticeOptions | None = None) -> ComposedNotice:
    from app.services.snapshot import read_snapshot

    opts = opts or NoticeOptions()
    return compose_snapshot(read_snapshot(db, round_id, opts.today), opts)
