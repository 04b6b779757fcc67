"""Importing into an existing round (追加到): its facts, parts 一/三, statistics and contact are kept too.

What the round lacks is filled; what would replace a value the round already has is listed as a
`FactChange` for the clerk to accept (the dialog's check boxes, the command line's --replace-facts).
Values the program generated itself (the default title, opening and 署名 of a new round) count as lacking.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.importing.model import ParsedNotice
from app.importing.scheme import describe_scheme
from app.numbering_scheme import NumberingScheme
from app.numerals import date_cn, money_wan
from app.services.common import load
from db.models import NoticeSettings, Round, RoundFigures, RoundKind, Unit
from db.session import Database

Getter = Callable[[ParsedNotice], Any]


def _stat(name: str) -> Getter:
    return lambda p: getattr(p.statistics, name)


def _fact(name: str) -> Getter:
    return lambda p: getattr(p.facts, name)


def _contact(name: str) -> Getter:
    return lambda p: getattr(p.facts.contact, name)


# key → (label, where it is stored, attribute, value in the parsed notice)
FIELDS: dict[str, tuple[str, str, str, Getter]] = {
    "kind": ("巡察类型", "round", "kind", lambda p: p.facts.kind or None),
    "deciding_body": ("部署机关", "round", "deciding_body", _fact("deciding_body")),
    "inspection_group": ("巡察组", "round", "inspection_group", _fact("inspection_group")),
    "inspection_start": ("巡察开始日期", "round", "inspection_start", _fact("inspection_start")),
    "inspection_end": ("巡察结束日期", "round", "inspection_end", _fact("inspection_end")),
    "feedback_date": ("反馈日期", "round", "feedback_date", _fact("feedback_date")),
    "index_no": ("索引号", "round", "index_no", _fact("index_no")),
    "doc_no": ("文号", "round", "doc_no", _fact("doc_no")),
    "topic": ("主题分类", "round", "topic", _fact("topic")),
    "publisher": ("发布机构", "round", "publisher", _fact("publisher")),
    "disclosure_period": ("公开期限", "round", "disclosure_period", _fact("disclosure_period")),
    "layout_style": ("版式", "round", "layout_style", lambda p: p.layout_style if p.all_problems() else None),
    "numbering": ("编号方式", "round", "numbering", lambda p: p.scheme.to_json() if p.all_problems() else None),
    "title": ("通报标题", "notice", "title", _fact("title")),
    "opening": ("开头段", "notice", "opening", lambda p: p.opening),
    "part_one": ("第一部分", "notice", "part_one", lambda p: p.part_one),
    "part_two_intro": ("第二部分导语", "notice", "part_two_intro", lambda p: p.part_two_intro),
    "part_three": ("第三部分", "notice", "part_three", lambda p: p.part_three),
    "contact_paragraph": ("监督与联系方式段", "notice", "contact_paragraph", lambda p: p.contact_paragraph),
    "signature": ("署名", "notice", "signature", _fact("signature")),
    "sign_date": ("成文日期", "notice", "sign_date", _fact("sign_date")),
    "clues_transferred": ("移交问题线索（件）", "figures", "clues_transferred", _stat("clues_transferred")),
    "clues_closed": ("线索已办结（件）", "figures", "clues_closed", _stat("clues_closed")),
    "clues_in_progress": ("线索正在办理（件）", "figures", "clues_in_progress", _stat("clues_in_progress")),
    "cases_filed": ("立案（人）", "figures", "cases_filed", _stat("cases_filed")),
    "disciplined": ("党纪政务处分（人）", "figures", "disciplined", _stat("disciplined")),
    "other_handled": ("其他方式处理（人）", "figures", "other_handled", _stat("other_handled")),
    "recovered_during": ("巡察中挽回经济损失（万元）", "figures", "recovered_during", _stat("recovered_during")),
    "recovered_since": ("巡察以来挽回经济损失（万元）", "figures", "recovered_since", _stat("recovered_since")),
    "stated_aspects": ("原文所称方面数", "figures", "stated_aspects", _stat("aspects")),
    "stated_items": ("原文所称项数", "figures", "stated_items", _stat("items")),
    "stated_problems": ("原文所称问题数", "figures", "stated_problems", _stat("problems")),
    "contact_phone": ("联系电话", "unit", "contact_phone", _contact("phone")),
    "contact_hours": ("接听时间", "unit", "contact_hours", _contact("hours")),
    "contact_address": ("通信地址", "unit", "contact_address", _contact("address")),
    "contact_postcode": ("邮政编码", "unit", "contact_postcode", _contact("postcode")),
    "contact_email": ("电子邮箱", "unit", "contact_email", _contact("email")),
}


@dataclass(frozen=True)
class FactChange:
    key: str
    label: str
    current: str            # as shown to the clerk ('' when the round lacks it)
    imported: str
    action: str             # "fill": the round lacks it; "replace": the clerk decides


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return date_cn(value)
    if isinstance(value, Decimal):
        return money_wan(value)
    if key == "numbering":
        return describe_scheme(NumberingScheme.from_json(str(value)))
    if isinstance(value, RoundKind):
        return value.value
    return str(value)


def _targets(s: Session, round_id: int) -> dict[str, Any]:
    r = load(s, Round, round_id)
    settings = s.get(NoticeSettings, round_id)
    if settings is None:
        settings = NoticeSettings(round_id=round_id)
        s.add(settings)
    figures = s.get(RoundFigures, round_id)
    if figures is None:
        figures = RoundFigures(round_id=round_id)
        s.add(figures)
    return {"round": r, "notice": settings, "figures": figures, "unit": s.get(Unit, r.unit_id)}


def _generated(s: Session, targets: dict[str, Any], key: str, value: Any) -> bool:
    """The program's own default for a new round (title, opening, 署名): the round lacks the real one."""
    from app.services.rounds import default_opening, default_title

    r, unit = targets["round"], targets["unit"]
    if key == "title":
        return bool(value == default_title(r, unit))
    if key == "opening":
        return bool(value == default_opening(r, unit))
    if key == "signature":
        return bool(value == (unit.signature or unit.name))
    return False


def _imported(key: str, parsed: ParsedNotice) -> Any:
    value = FIELDS[key][3](parsed)
    if key == "kind" and value:
        return RoundKind(value) if value in {k.value for k in RoundKind} else None
    return value


def _changes(s: Session, round_id: int, parsed: ParsedNotice) -> tuple[list[FactChange], dict[str, Any]]:
    targets = _targets(s, round_id)
    out: list[FactChange] = []
    for key, (label, where, attr, _get) in FIELDS.items():
        new = _imported(key, parsed)
        if new is None or new == "":
            continue
        old = getattr(targets[where], attr) if targets[where] is not None else None
        if isinstance(new, str):
            new = new.strip()
        if old == new or (isinstance(old, str) and old.strip() == new):
            continue
        lacking = old is None or old == "" or _generated(s, targets, key, old)
        out.append(FactChange(key, label, _shown(key, old), _shown(key, new), "fill" if lacking else "replace"))
    return out, targets


def fact_changes(db: Database, round_id: int, parsed: ParsedNotice) -> list[FactChange]:
    """What importing `parsed` into the round would fill, and what it would replace if accepted."""
    with db.reading() as s:
        changes, _targets_ = _changes(s, round_id, parsed)
        return changes


def apply_facts(s: Session, round_id: int, parsed: ParsedNotice, replace: Collection[str]) -> list[FactChange]:
    """Fill what the round lacks; replace only the keys in `replace` ("all" accepts every replacement)."""
    changes, targets = _changes(s, round_id, parsed)
    applied = []
    for change in changes:
        if change.action == "replace" and change.key not in replace and "all" not in replace:
            continue
        _label, where, attr, _get = FIELDS[change.key]
        if targets[where] is not None:
            setattr(targets[where], attr, _imported(change.key, parsed))
            applied.append(change)
    return applied


def round_is_empty(db: Database, round_id: int) -> bool:
    """A round without problems yet (one just created): the natural target of an import."""
    from sqlalchemy import func, select

    from db.models import Problem

    with db.reading() as s:
        return not s.scalar(select(func.count()).select_from(Problem).where(Problem.round_id == round_id))
