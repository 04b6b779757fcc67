"""The facts an import can fill or replace in an existing round: key → (label, where it is stored,
attribute, value in the parsed notice). Free of the ORM, so that the command line can check the names
given to --replace-facts (and a dry run can list them) without loading it; `merge.py` applies them."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.importing.model import ParsedNotice

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
