"""Pieces of the notice derived from the snapshot: the counts sentence, the contact paragraph, the
internal version's lines per problem. Nothing here reads the database or invents a fact."""
from __future__ import annotations

from collections.abc import Callable

from app.dto import ProblemRow, UnitRow
from app.exporting.blocks import Block, Paragraph
from app.numerals import date_cn, money_wan
from app.services.snapshot import RoundSnapshot
from db.enums import RegulationKind, Status

# The names offices give the first two levels of grouping when they count them.
LEVEL_NOUNS = ("个方面", "项")
INVITATION = "欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。"


def counts_sentence(snap: RoundSnapshot) -> list[str]:
    """'巡察组反馈3个方面5项共16个具体问题…': the figures from the confirmed tree and the ledger."""
    counts = snap.count_by_depth()
    scope = "".join(f"{n}{noun}" for n, noun in zip(counts, LEVEL_NOUNS, strict=False) if n)
    rows = snap.problems
    done = sum(p.status.is_done for p in rows)
    long_term = sum(p.status == Status.LONG_TERM for p in rows)
    open_ = len(rows) - done
    first = f"巡察组反馈{scope}{'共' if scope else ''}{len(rows)}个具体问题"
    if snap.measure_count():
        first += f"，制定整改措施{snap.measure_count()}条"
    if done:
        first += f"，已整改完成{done}个"
        if long_term:
            first += f"（其中需长期坚持{long_term}个）"
    if open_:
        first += f"，正在整改{open_}个"
    out = [first + "。"]
    f = snap.figures
    parts = []
    for value, text in ((f.clues_transferred, "移交问题线索{}件"), (f.clues_closed, "办结{}件"),
                        (f.clues_in_progress, "正在办理{}件"), (f.cases_filed, "立案{}人"),
                        (f.disciplined, "党纪政务处分{}人"), (f.other_handled, "其他方式处理{}人")):
        if value is not None:
            parts.append(text.format(value))
    new = sum(r.kind == RegulationKind.NEW for r in snap.regulations)
    revised = sum(r.kind == RegulationKind.REVISED for r in snap.regulations)
    if new:
        parts.append(f"新制定制度{new}项")
    if revised:
        parts.append(f"修订完善制度{revised}项")
    if f.recovered_during is not None:
        parts.append(f"巡察中挽回经济损失{money_wan(f.recovered_during)}万元")
    if f.recovered_since is not None:
        parts.append(f"巡察以来挽回经济损失{money_wan(f.recovered_since)}万元")
    if parts:
        out.append("，".join(parts) + "。")
    return out


def default_contact(unit: UnitRow) -> str:
    """The invitation to supervise with the unit's contact details; '' when the unit has none."""
    pieces = []
    if unit.contact_phone:
        hours = f"（{unit.contact_hours}）" if unit.contact_hours else ""
        pieces.append(f"联系电话：{unit.contact_phone}{hours}")
    if unit.contact_address:
        post = f"，邮编：{unit.contact_postcode}" if unit.contact_postcode else ""
        pieces.append(f"通信地址：{unit.contact_address}{post}")
    if unit.contact_email:
        pieces.append(f"电子邮箱：{unit.contact_email}")
    return INVITATION + "；".join(pieces) + "。" if pieces else ""


def internal_blocks(snap: RoundSnapshot, p: ProblemRow, clean: Callable[[str], str]) -> list[Block]:
    """The internal version's lines under a problem: owners, deadline, state, measures, progress, files."""
    out: list[Block] = []
    owners = "；".join(f"{k}：{v}" for k, v in (("责任领导", p.leaders), ("责任部门", p.departments),
                                                ("责任人", p.persons)) if v)
    deadline = f"完成时限：{date_cn(p.effective_deadline)}" if p.effective_deadline else ""
    meta = "；".join(x for x in (owners, deadline, f"状态：{p.status.value}") if x)
    out.append(Paragraph(clean(meta + "。"), label="【内部】"))
    for m in snap.measures.get(p.id, []):
        who = "，".join(x for x in (m.owner, m.status.value) if x)
        out.append(Paragraph(clean(f"措施{m.number}：{m.text}（{who}）")))
    for e in snap.progress.get(p.id, []):
        out.append(Paragraph(clean(f"{date_cn(e.entry_date)}，{e.author}：{e.note}" if e.author
                                   else f"{date_cn(e.entry_date)}：{e.note}"), label="进展："))
    names = "、".join(e.original_name for e in snap.evidence.get(p.id, []))
    if names:
        out.append(Paragraph(clean(names), label="佐证材料："))
    if p.internal_notes.strip():
        out.append(Paragraph(clean(p.internal_notes.replace("\n", " ")), label="内部备注："))
    return out
