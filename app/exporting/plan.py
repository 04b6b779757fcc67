"""整改方案 composed from a round's snapshot: the opening, the category headings of every level numbered
by the round's scheme, each problem once (its number and text), who answers for it, and a table of its
measures (序号, 整改措施, 责任人, 完成时限) whose header row repeats on every page; then 署名 and date.

Nothing is made up: the opening names the counts only when there are any, the date is the one the clerk
chose for this plan when exporting it (a plan is made on another day than the notice, so never the
notice's 成文日期, nor today's date unasked): none chosen, none printed, and a preflight warning says so.
What is missing comes back as a preflight list.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from app.dto import ProblemRow
from app.exporting.blocks import (
    Blank,
    Block,
    DataTable,
    Heading,
    NoticeDocument,
    Paragraph,
    Signature,
    TableColumn,
    TableRow,
    Title,
)
from app.exporting.hygiene import fix_text
from app.exporting.preflight import PreflightItem, Severity
from app.numbering_scheme import NumberStyle
from app.numerals import date_cn
from app.services.snapshot import CategoryNode, RoundSnapshot, read_snapshot
from db.session import Database

TABLE_PT = 12.0                 # 小四 in the measure tables
TEXT_MM = 156.0                 # the GB/T 9704 text block
HEADING_LEVEL = {NumberStyle.CN_COMMA: 1, NumberStyle.CN_PAREN: 2, NumberStyle.AR_DOT: 3, NumberStyle.AR_PAREN: 4}


@dataclass
class ComposedPlan:
    document: NoticeDocument
    missing: list[PreflightItem] = field(default_factory=list)  # what the clerk may want to fill in first


def _clean(text: str) -> str:
    return fix_text(text.strip())[0] if text else ""


def _mm(chars: float) -> float:
    """Width of a column holding `chars` Chinese characters of the table size, with the cell margins."""
    return chars * TABLE_PT * 25.4 / 72 + 2.5


def _measure_table(snap: RoundSnapshot, p: ProblemRow) -> DataTable | None:
    ms = snap.measures.get(p.id, [])
    if not ms:
        return None
    persons, deadline = _clean(p.persons), _deadline(p)
    rows = []
    for m in ms:
        when = date_cn(m.deadline) if m.deadline else deadline
        rows.append(TableRow((str(m.number), _clean(m.text), _clean(m.owner) or persons, when)))
    who_w = max(3.0, min(8.0, max(len(r.cells[2]) for r in rows)))
    when_w = 8.5 if any(r.cells[3][:1].isdigit() for r in rows) else max(4.0, max(len(r.cells[3]) for r in rows))
    widths = [_mm(2.2), 0.0, _mm(who_w), _mm(when_w)]
    widths[1] = TEXT_MM - sum(widths)
    columns = (TableColumn("序号", widths[0], "center"), TableColumn("整改措施", widths[1]),
               TableColumn("责任人", widths[2], "center"), TableColumn("完成时限", widths[3], "center"))
    return DataTable(columns, tuple(rows), header=True, font_size=TABLE_PT, keep_previous=2)


def _deadline(p: ProblemRow) -> str:
    return date_cn(p.effective_deadline) if p.effective_deadline else ("长期坚持" if p.long_term else "")


NO_DATE = "未指定方案的成文日期：落款处不印日期。请在导出时选择成文日期（命令行：--date 2024-6-30）。"


def compose_plan(snap: RoundSnapshot, sign_date: dt.date | None = None) -> ComposedPlan:
    """The plan; `sign_date` is the date the clerk chose for it (None: no date printed, and a warning)."""
    r, settings = snap.round, snap.settings
    signer = _clean(settings.signature or snap.unit.signature or snap.unit.name)
    kind = "巡察“回头看”" if "回头看" in r.kind else "巡察"
    group = _clean(r.inspection_group)
    title = f"{signer}关于落实{group}{kind}反馈意见的整改方案" if group else f"{signer}关于落实{kind}反馈意见的整改方案"
    doc = NoticeDocument(title=_clean(title), author=signer, subject="整改方案")
    plan = ComposedPlan(doc)
    if not group:
        plan.missing.append(PreflightItem(Severity.WARNING, "轮次未填写巡察组名称：标题只写“关于落实巡察反馈意见的整改方案”。"))
    doc.add(Title(doc.title), Blank())
    counts = []
    if snap.problems:
        counts.append(f"对照反馈的{len(snap.problems)}个具体问题")
    if snap.measure_count():
        counts.append(f"逐条逐项制定整改措施{snap.measure_count()}条")
    opening = f"为认真落实{group or '巡察组'}反馈意见，扎实做好整改工作，" + "".join(c + "，" for c in counts)
    doc.add(Paragraph(_clean(opening + "明确责任领导、责任部门、责任人和完成时限，制定本方案。")))
    blocks: list[Block] = []

    def problem(p: ProblemRow) -> None:
        n = p.number if snap.scheme.problems_across else p.number_in_category
        prefix = snap.scheme.problem_prefix(n)
        label = prefix + (_clean(p.title) + ("" if p.title.rstrip()[-1:] in "。：:" else "。") if p.title else "")
        blocks.append(Paragraph(_clean(p.text), label=label, bold_label=True))
        owners = [("责任领导", _clean(p.leaders)), ("责任部门", _clean(p.departments))]
        table = _measure_table(snap, p)
        if table is None:
            owners += [("责任人", _clean(p.persons)), ("完成时限", _deadline(p))]
            plan.missing.append(PreflightItem(Severity.WARNING, f"问题{p.number}尚无整改措施。", p.id))
        said = "；".join(f"{k}：{v}" for k, v in owners if v)
        if said:
            blocks.append(Paragraph(said + "。"))
        if not p.departments.strip():
            plan.missing.append(PreflightItem(Severity.WARNING, f"问题{p.number}未填写责任部门。", p.id))
        if table is not None:
            blocks.append(table)

    def visit(node: CategoryNode) -> None:
        style = snap.scheme.category_style(node.depth)
        level = HEADING_LEVEL.get(style, min(node.depth + 1, 4))
        blocks.append(Heading(level, snap.scheme.category_prefix(node.depth, node.row.number), _clean(node.row.text)))
        for p in node.problems:
            problem(p)
        for child in node.children:
            visit(child)

    for p in snap.loose:
        problem(p)
    for node in snap.categories:
        visit(node)
    if blocks and isinstance(blocks[-1], DataTable):   # the 署名 never stands alone: the last rows go with it
        last = blocks[-1]
        blocks[-1] = DataTable(last.columns, last.rows, last.header, last.header_fill, last.font_size, True,
                               last.keep_previous)
    doc.add(*blocks)
    if sign_date is None:
        plan.missing.append(PreflightItem(Severity.MISSING, NO_DATE))
    doc.add(Signature(signer, date_cn(sign_date) if sign_date else ""))
    return plan


def write_plan_docx(db: Database, round_id: int, path: Path | str, sign_date: dt.date | None = None,
                    today: dt.date | None = None) -> Path:
    from app.exporting.docx_writer import write_docx

    return write_docx(compose_plan(read_snapshot(db, round_id, today), sign_date).document, path)
