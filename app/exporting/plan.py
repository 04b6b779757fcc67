"""整改方案: the plan as .docx, one standard table per problem (问题, 整改措施, 责任领导, 责任部门, 责任人, 完成时限)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.dto import ProblemRow
from app.exporting.blocks import Blank, FieldTable, Heading, NoticeDocument, Paragraph, Signature, Title
from app.exporting.compose_notice import prefix_for
from app.exporting.docx_writer import write_docx
from app.exporting.hygiene import fix_text
from app.numerals import date_cn
from app.services import categories, dashboard, measures, problems, rounds
from db.session import Database


def compose_plan(db: Database, round_id: int, today: dt.date | None = None) -> NoticeDocument:
    r = rounds.get_round(db, round_id)
    unit = rounds.get_unit(db, r.unit_id)
    signer = unit.signature or unit.name
    kind = "巡察“回头看”" if "回头看" in r.kind else "巡察"
    title = f"{signer}关于落实{r.inspection_group}{kind}反馈意见的整改方案"

    def clean(text: str) -> str:
        return fix_text(text)[0]

    doc = NoticeDocument(title=clean(title), author=signer, subject="整改方案")
    doc.add(Title(doc.title), Blank())
    s = dashboard.round_summary(db, round_id, today)
    doc.add(Paragraph(clean(
        f"为认真落实{r.inspection_group}反馈意见，扎实做好整改工作，对照反馈的{s.problems}个具体问题，"
        f"逐条制定整改措施{s.measures}条，明确责任领导、责任部门、责任人和完成时限，制定本方案。")))
    rows = problems.list_problems(db, round_id, today)
    cats = categories.list_categories(db, round_id)
    by_cat: dict[int | None, list[ProblemRow]] = {}
    for p in rows:
        by_cat.setdefault(p.category_id, []).append(p)
    top_n = 0

    def problem_block(p: ProblemRow, n: int) -> None:
        ms = measures.list_measures(db, p.id)
        deadline = date_cn(p.effective_deadline) if p.effective_deadline else (
            "长期坚持" if p.long_term else "")
        short = p.title or p.text[:40] + ("……" if len(p.text) > 40 else "")
        doc.add(Heading(3, prefix_for(3, n), clean(short)),
                FieldTable((("问题", clean(p.text)),
                            ("整改措施", clean("\n".join(f"{m.number}.{m.text}" for m in ms)) or "（待制定）"),
                            ("责任领导", p.leaders), ("责任部门", p.departments),
                            ("责任人", p.persons), ("完成时限", deadline))))

    n = 0
    for p in by_cat.get(None, []):
        n += 1
        problem_block(p, n)
    for c in (c for c in cats if c.level == 1):
        top_n += 1
        doc.add(Heading(1, prefix_for(1, top_n), clean(c.text)))
        n = 0
        for sub in [c] + [x for x in cats if x.parent_id == c.id]:
            if sub is not c:
                doc.add(Paragraph(clean(sub.text)))
            for p in by_cat.get(sub.id, []):
                n += 1
                problem_block(p, n)
    doc.add(Signature(signer, date_cn(today or dt.date.today())))
    return doc


def write_plan_docx(db: Database, round_id: int, path: Path | str) -> Path:
    return write_docx(compose_plan(db, round_id), path)
