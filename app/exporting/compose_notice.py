"""Building the notice (巡察整改情况的通报) from the data, in one of the layout styles A, B, C.

A: 1.关于“…”的问题 + 整改情况：        (huangpi, shizhong)
B: （一）方面 + 问题一： + 整改措施及成效：  (panlongcheng), numbered across categories
C: （一）方面 → 1.项 → （1）问题 + 整改进程： + 整改情况：
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from app.dto import ProblemRow, RoundSummary
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
from app.exporting.hygiene import Change, fix_text, redact
from app.importing.numbering import Kind, classify
from app.numerals import date_cn, money_wan, to_chinese
from app.services import categories, dashboard, evidence, measures, problems, rounds
from db.session import Database

DEFAULT_HEADINGS = {1: "整改工作开展情况", 2: "巡察反馈问题整改落实情况", 3: "下一步工作打算"}
NARRATIVE_LABEL = {"A": "整改情况：", "B": "整改措施及成效：", "C": "整改情况："}
LEVEL_OF = {Kind.CN_PAREN: 2, Kind.AR_DOT: 3, Kind.AR_PAREN: 4}


@dataclass
class NoticeOptions:
    public: bool = True                  # public: no internal notes/log/evidence, redaction applied
    sealed: bool = True                  # 加盖印章 layout of 署名 and 成文日期
    restart_numbering: bool | None = None  # None: the style's own habit
    refused_fixes: tuple[str, ...] = ()  # hygiene rules the user turned off (标点, 括号, 引号, 日期)
    layout: LayoutOptions = field(default_factory=LayoutOptions)
    today: dt.date | None = None


@dataclass
class ComposedNotice:
    document: NoticeDocument
    changes: list[Change]


def prefix_for(level: int, n: int) -> str:
    return {1: f"{to_chinese(n)}、", 2: f"（{to_chinese(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


class _Builder:
    def __init__(self, opts: NoticeOptions, terms: dict[str, str]) -> None:
        self.opts, self.terms = opts, terms
        self.changes: list[Change] = []

    def clean(self, text: str) -> str:
        if self.opts.public:
            text = redact(text, self.terms)
        fixed, changes = fix_text(text, self.opts.refused_fixes)
        self.changes += changes
        return fixed

    def section(self, text: str, part: int, default: str, out: list[Block]) -> None:
        """A free-text section: its first line may be the part heading; sub-headings keep their level."""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        first = classify(lines[0]) if lines else None
        heading = first.rest if first and first.kind == Kind.CN_COMMA else default
        if first and first.kind == Kind.CN_COMMA:
            lines = lines[1:]
        out.append(Heading(1, prefix_for(1, part), self.clean(heading), outline=self.clean(heading)))
        for line in lines:
            num = classify(line)
            if num and num.kind in LEVEL_OF:
                out.append(self.heading(LEVEL_OF[num.kind], prefix_for(LEVEL_OF[num.kind], num.number), num.rest))
            else:
                out.append(Paragraph(self.clean(line)))

    def heading(self, level: int, prefix: str, text: str, outline: bool = False) -> Heading:
        """A heading; a long one that holds a sentence becomes a run-in heading with body text."""
        text = self.clean(text)
        cut = text.find("。")
        if 0 < cut < len(text) - 1 and cut <= 40:
            head, body = text[:cut + 1], text[cut + 1:]
        else:
            head, body = text, ""
        return Heading(level, prefix, head, body, outline=head.rstrip("。") if outline else "")


def compose_notice(db: Database, round_id: int, opts: NoticeOptions | None = None) -> ComposedNotice:
    opts = opts or NoticeOptions()
    r = rounds.get_round(db, round_id)
    unit = rounds.get_unit(db, r.unit_id)
    settings = rounds.get_notice_settings(db, round_id)
    b = _Builder(opts, rounds.get_redactions(db, round_id))
    rows = problems.list_problems(db, round_id, opts.today)
    summary = dashboard.round_summary(db, round_id, opts.today, rows)
    title = settings.title or rounds.default_title_for(db, round_id)
    doc = NoticeDocument(title=b.clean(title), author=unit.signature or unit.name, options=opts.layout)
    doc.add(Title(doc.title), Blank())
    if settings.opening.strip():
        for line in settings.opening.strip().splitlines():
            doc.add(Paragraph(b.clean(line.strip())))
    part = 0
    if settings.part_one.strip():
        part += 1
        b.section(settings.part_one, part, DEFAULT_HEADINGS[1], doc.blocks)
    part += 1
    _part_two(db, r.layout_style, rows, summary, settings.part_two_intro, part, b, doc.blocks)
    if settings.part_three.strip():
        part += 1
        b.section(settings.part_three, part, DEFAULT_HEADINGS[3], doc.blocks)
    contact = settings.contact_paragraph.strip() or default_contact(unit)
    for line in contact.splitlines():
        if line.strip():
            doc.add(Paragraph(b.clean(line.strip())))
    sign_date = settings.sign_date or opts.today or dt.date.today()
    doc.add(Signature(b.clean(settings.signature or unit.signature or unit.name), date_cn(sign_date), opts.sealed))
    return ComposedNotice(doc, b.changes)


def summary_sentence(s: RoundSummary) -> list[str]:
    """The figures notices quote, from data: counts, then discipline and money when present."""
    scope = (f"{s.aspects}个方面" if s.aspects else "") + (f"{s.items}项" if s.items else "")
    first = f"巡察组反馈{scope}{'共' if scope else ''}{s.problems}个具体问题"
    if s.measures:
        first += f"，制定整改措施{s.measures}条"
    first += f"，已整改完成{s.done}个"
    if s.long_term:
        first += f"（其中需长期坚持{s.long_term}个）"
    if s.in_progress + s.not_started:
        first += f"，正在整改{s.in_progress + s.not_started}个"
    out = [first + "。"]
    f = s.figures
    parts = []
    for value, text in ((f.clues_transferred, "移交问题线索{}件"), (f.clues_closed, "办结{}件"),
                        (f.clues_in_progress, "正在办理{}件"), (f.cases_filed, "立案{}人"),
                        (f.disciplined, "党纪政务处分{}人"), (f.other_handled, "其他方式处理{}人")):
        if value is not None:
            parts.append(text.format(value))
    if s.regulations_new:
        parts.append(f"新制定制度{s.regulations_new}项")
    if s.regulations_revised:
        parts.append(f"修订完善制度{s.regulations_revised}项")
    if f.recovered_during is not None:
        parts.append(f"巡察中挽回经济损失{money_wan(f.recovered_during)}万元")
    if f.recovered_since is not None:
        parts.append(f"巡察以来挽回经济损失{money_wan(f.recovered_since)}万元")
    if parts:
        out.append("，".join(parts) + "。")
    return out


def default_contact(unit: object) -> str:
    u = unit
    pieces = []
    if getattr(u, "contact_phone", ""):
        hours = f"（{u.contact_hours}）" if getattr(u, "contact_hours", "") else ""  # type: ignore[attr-defined]
        pieces.append(f"联系电话：{u.contact_phone}{hours}")  # type: ignore[attr-defined]
    if getattr(u, "contact_address", ""):
        post = f"，邮编：{u.contact_postcode}" if getattr(u, "contact_postcode", "") else ""  # type: ignore[attr-defined]
        pieces.append(f"通信地址：{u.contact_address}{post}")  # type: ignore[attr-defined]
    if getattr(u, "contact_email", ""):
        pieces.append(f"电子邮箱：{u.contact_email}")  # type: ignore[attr-defined]
    text = "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。"
    return text + ("；".join(pieces) + "。" if pieces else "")


def _problem_heading_text(p: ProblemRow) -> str:
    if not p.text.strip() and not p.title:
        return ""  # the source lost it: the number alone, and the preflight asks the clerk for it
    if p.title:
        return p.title
    if p.text.startswith("关于") or len(p.text) > 60:
        return p.text
    return f"关于“{p.text.rstrip('。')}”的问题"


def _part_two(db: Database, style: str, rows: list[ProblemRow], summary: RoundSummary, intro: str, part: int,
              b: _Builder, out: list[Block]) -> None:
    lines = [ln.strip() for ln in intro.splitlines() if ln.strip()]
    first = classify(lines[0]) if lines else None
    heading = first.rest if first and first.kind == Kind.CN_COMMA else DEFAULT_HEADINGS[2]
    if first and first.kind == Kind.CN_COMMA:
        lines = lines[1:]
    out.append(Heading(1, prefix_for(1, part), b.clean(heading), outline=b.clean(heading)))
    for line in lines or summary_sentence(summary):
        out.append(Paragraph(b.clean(line)))
    cats = categories.list_categories(db, rows[0].round_id) if rows else []
    restart = b.opts.restart_numbering
    if restart is None:
        restart = style != "B"
    label = NARRATIVE_LABEL.get(style, "整改情况：")
    extra: Callable[[ProblemRow], list[Block]] = (lambda _p: []) if b.opts.public else (
        lambda p: _internal_blocks(db, p, b))
    by_cat: dict[int | None, list[ProblemRow]] = {}
    for p in rows:
        by_cat.setdefault(p.category_id, []).append(p)
    counter = 0

    def emit(p: ProblemRow, level: int, n: int) -> None:
        if style == "B":
            out.append(Paragraph(b.clean(p.title or p.text), label=f"问题{to_chinese(n)}：", bold_label=True))
        else:
            text = _problem_heading_text(p) if style == "A" else (p.title or p.text)
            out.append(b.heading(level, prefix_for(level, n), text))
            if p.title and p.text:
                out.append(Paragraph(b.clean(p.text)))
        if style == "C" and p.progress_line:
            out.append(Paragraph(b.clean(p.progress_line), label="整改进程："))
        paragraphs = [x.strip() for x in p.narrative.splitlines() if x.strip()]
        if paragraphs:  # no narrative yet: no label with nothing after it
            out.append(Paragraph(b.clean(paragraphs[0]), label=label))
            out.extend(Paragraph(b.clean(x)) for x in paragraphs[1:])
        out.extend(extra(p))

    # Problems outside any category first, then the tree: 方面 (level 2) → 项 → problems.
    for n, p in enumerate(by_cat.get(None, []), 1):
        counter += 1
        emit(p, 3, n if restart else counter)
    for c in (c for c in cats if c.level == 1):
        out.append(b.heading(2, prefix_for(2, c.number), c.text, outline=True))
        level3 = 0  # 1. numbers under this 方面: problems of A/B, or the 项 groups of C
        for p in by_cat.get(c.id, []):
            counter += 1
            level3 += 1
            emit(p, 3, level3 if restart else counter)
        for sub in (s for s in cats if s.parent_id == c.id):
            if style == "C":
                level3 += 1
                out.append(b.heading(3, prefix_for(3, level3), sub.text))
                for n, p in enumerate(by_cat.get(sub.id, []), 1):
                    counter += 1
                    emit(p, 4, n if restart else counter)
            else:  # A and B have no group level: the 项 is a lead-in line and problems keep counting
                out.append(Paragraph(b.clean(sub.text)))
                for p in by_cat.get(sub.id, []):
                    counter += 1
                    level3 += 1
                    emit(p, 3, level3 if restart else counter)


def _internal_blocks(db: Database, p: ProblemRow, b: _Builder) -> list[Block]:
    out: list[Block] = []
    owners = "；".join(f"{k}：{v}" for k, v in (("责任领导", p.leaders), ("责任部门", p.departments),
                                                ("责任人", p.persons)) if v)
    deadline = f"完成时限：{date_cn(p.effective_deadline)}" if p.effective_deadline else ""
    meta = "；".join(x for x in (owners, deadline, f"状态：{p.status.value}") if x)
    out.append(Paragraph(b.clean(meta + "。"), label="【内部】"))
    for m in measures.list_measures(db, p.id):
        out.append(Paragraph(b.clean(f"措施{m.number}：{m.text}（{m.owner or '未指定'}，{m.status.value}）")))
    for e in measures.list_progress(db, p.id):
        out.append(Paragraph(b.clean(f"{date_cn(e.entry_date)}，{e.author}：{e.note}"), label="进展："))
    names = "、".join(e.original_name for e in evidence.list_evidence(db, p.id))
    if names:
        out.append(Paragraph(b.clean(names), label="佐证材料："))
    if p.internal_notes:
        out.append(Paragraph(b.clean(p.internal_notes.replace("\n", " ")), label="内部备注："))
    return out
