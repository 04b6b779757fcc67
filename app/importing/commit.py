"""Storing a ParsedNotice: a new round, or more problems in an existing one, in one transaction."""
from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.importing.merge import apply_facts
from app.importing.model import ParsedCategory, ParsedNotice, ParsedProblem
from app.importing.parser import split_items
from app.services.common import load
from db.models import (
    Category,
    Measure,
    NoticeSettings,
    Problem,
    Round,
    RoundFigures,
    RoundKind,
    Status,
    Unit,
)
from db.session import Database

IMPORTED = "导入自已公布的通报"


def commit_notice(db: Database, parsed: ParsedNotice, *, round_id: int | None = None, unit_id: int | None = None,
                  title: str | None = None, split_measures: bool = False, replace_facts: Collection[str] = ()) -> int:
    """Write the parsed round; returns its id. Everything or nothing is written.

    Into an existing round, the facts, parts and figures the round lacks are filled; values it already
    has are replaced only for the keys in `replace_facts` (see app.importing.merge).
    """
    if not parsed.all_problems():
        raise ValidationError("没有读到任何问题，未导入。请检查文件内容或编号格式。")
    with db.transaction() as s:
        if round_id is not None:
            r = load(s, Round, round_id)
            apply_facts(s, r.id, parsed, replace_facts)
        else:
            r = _new_round(s, parsed, unit_id, title)
        top = s.scalar(select(func.count()).select_from(Category).where(
            Category.round_id == r.id, Category.parent_id.is_(None))) or 0
        loose = s.scalar(select(func.count()).select_from(Problem).where(
            Problem.round_id == r.id, Problem.category_id.is_(None))) or 0
        for i, p in enumerate(parsed.problems):
            _add_problem(s, r.id, None, loose + i, p, split_measures)
        for i, c in enumerate(parsed.categories):
            _add_category(s, r.id, None, top + i, c, split_measures)
        return r.id


def _new_round(s: Session, parsed: ParsedNotice, unit_id: int | None, title: str | None) -> Round:
    f = parsed.facts
    if unit_id is not None:
        unit = load(s, Unit, unit_id)
    else:
        # The 署名 as the source gives it; without one, the unit the opening names, never a made-up name.
        signer = f.signature or f.inspected
        found = s.scalar(select(Unit).where((Unit.signature == signer) | (Unit.name == signer))) if signer else None
        unit = found if found is not None else Unit(name=signer, signature=f.signature)
        s.add(unit)
    c = f.contact
    for attr, value in (("contact_phone", c.phone), ("contact_hours", c.hours), ("contact_address", c.address),
                        ("contact_postcode", c.postcode), ("contact_email", c.email)):
        if value and not getattr(unit, attr):
            setattr(unit, attr, value)
    s.flush()
    kind = RoundKind(f.kind) if f.kind in {k.value for k in RoundKind} else RoundKind.OTHER
    r = Round(unit_id=unit.id, title=(title or f.title or f"{f.inspection_group}{kind.value}").strip()[:300],
              kind=kind, deciding_body=f.deciding_body, inspection_group=f.inspection_group,
              inspection_start=f.inspection_start, inspection_end=f.inspection_end, feedback_date=f.feedback_date,
              index_no=f.index_no, doc_no=f.doc_no, topic=f.topic, publisher=f.publisher,
              disclosure_period=f.disclosure_period, layout_style=parsed.layout_style, warn_yellow_days=20,
              warn_red_days=10, numbering=parsed.scheme.to_json())
    if not r.title:
        raise ValidationError("请为导入的轮次填写名称。")
    s.add(r)
    s.flush()
    s.add(NoticeSettings(round_id=r.id, title=f.title, opening=parsed.opening, part_one=parsed.part_one,
                         part_two_intro=parsed.part_two_intro, part_three=parsed.part_three,
                         contact_paragraph=parsed.contact_paragraph, signature=f.signature, sign_date=f.sign_date))
    st = parsed.statistics
    s.add(RoundFigures(round_id=r.id, clues_transferred=st.clues_transferred, clues_closed=st.clues_closed,
                       clues_in_progress=st.clues_in_progress, cases_filed=st.cases_filed, disciplined=st.disciplined,
                       other_handled=st.other_handled, recovered_during=st.recovered_during,
                       recovered_since=st.recovered_since, stated_aspects=st.aspects, stated_items=st.items,
                       stated_problems=st.problems))
    return r


def _add_category(s: Session, round_id: int, parent_id: int | None, position: int, c: ParsedCategory,
                  split_measures: bool) -> None:
    cat = Category(round_id=round_id, parent_id=parent_id, position=position, text=c.text.strip())
    s.add(cat)
    s.flush()
    for i, p in enumerate(c.problems):
        _add_problem(s, round_id, cat.id, i, p, split_measures)
    for i, child in enumerate(c.children):
        _add_category(s, round_id, cat.id, i, child, split_measures)


def _add_problem(s: Session, round_id: int, category_id: int | None, position: int, p: ParsedProblem,
                 split_measures: bool) -> None:
    problem = Problem(round_id=round_id, category_id=category_id, position=position, text=p.text,
                      title=p.title[:300], progress_line=p.progress_line[:300], narrative="\n".join(p.narrative),
                      status=p.status, long_term=p.status == Status.LONG_TERM,
                      done_override_reason=IMPORTED if p.status.is_done else "")
    s.add(problem)
    s.flush()
    items = p.measures or (split_items(p.narrative) if split_measures else [])
    for i, text in enumerate(items):
        s.add(Measure(problem_id=problem.id, position=i, text=text, owner="",
                      status=Status.DONE if p.status.is_done else Status.IN_PROGRESS))
