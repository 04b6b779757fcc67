"""Units, rounds, and a round's notice settings, figures and redaction list."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.dto import FiguresRow, NoticeSettingsRow, RoundRow, UnitRow
from app.errors import RuleViolation, ValidationError
from app.numerals import date_cn, month_day_cn
from app.services.common import apply_changes, load, require_text
from app.services.reading import list_rounds as list_rounds  # the one read path
from db.models import NoticeSettings, Problem, RedactionTerm, Round, RoundFigures, RoundKind, Unit
from db.session import Database

UNIT_FIELDS: dict[str, tuple[type, str]] = {
    "name": (str, "单位名称"), "signature": (str, "署名"), "contact_phone": (str, "联系电话"),
    "contact_hours": (str, "接听时间"), "contact_address": (str, "通信地址"),
    "contact_postcode": (str, "邮政编码"), "contact_email": (str, "电子邮箱"),
}
ROUND_FIELDS: dict[str, tuple[type, str]] = {
    "title": (str, "轮次名称"), "kind": (RoundKind, "巡察类型"), "deciding_body": (str, "决策机关"),
    "inspection_group": (str, "巡察组"), "inspection_start": (dt.date, "巡察开始日期"),
    "inspection_end": (dt.date, "巡察结束日期"), "feedback_date": (dt.date, "反馈日期"),
    "rectification_end": (dt.date, "集中整改期截止日期"), "index_no": (str, "索引号"),
    "doc_no": (str, "文号"), "topic": (str, "主题分类"), "publisher": (str, "发布机构"),
    "disclosure_period": (str, "公开期限"), "earlier_round_id": (int, "前一轮巡察"),
    "warn_yellow_days": (int, "黄色预警天数"), "warn_red_days": (int, "红色预警天数"),
    "layout_style": (str, "通报版式"), "numbering": (str, "编号方式"),
}
NOTICE_FIELDS: dict[str, tuple[type, str]] = {
    "title": (str, "通报标题"), "opening": (str, "开头段"), "part_one": (str, "第一部分"),
    "part_two_intro": (str, "第二部分导语"), "part_three": (str, "第三部分"),
    "contact_paragraph": (str, "监督联系段"), "signature": (str, "署名"), "sign_date": (dt.date, "成文日期"),
}
FIGURE_FIELDS: dict[str, tuple[type, str]] = {
    "clues_transferred": (int, "移交问题线索"), "clues_closed": (int, "已办结线索"),
    "clues_in_progress": (int, "正在办理线索"), "cases_filed": (int, "立案人数"),
    "disciplined": (int, "党纪政务处分人数"), "other_handled": (int, "其他方式处理人数"),
    "recovered_during": (Decimal, "巡察期间挽回经济损失"), "recovered_since": (Decimal, "巡察以来挽回经济损失"),
}
LAYOUT_STYLES = ("A", "B", "C")


# -- units ------------------------------------------------------------------
def unit_row(u: Unit) -> UnitRow:
    return UnitRow(u.id, u.name, u.signature, u.contact_phone, u.contact_hours, u.contact_address,
                   u.contact_postcode, u.contact_email)


def create_unit(db: Database, name: str, **fields: Any) -> UnitRow:
    with db.transaction() as s:
        unit = Unit(name=require_text(name, "单位名称", max_len=200))
        apply_changes(unit, fields, UNIT_FIELDS)
        s.add(unit)
        s.flush()
        return unit_row(unit)


def update_unit(db: Database, unit_id: int, **changes: Any) -> UnitRow:
    with db.transaction() as s:
        unit = load(s, Unit, unit_id)
        apply_changes(unit, changes, UNIT_FIELDS)
        require_text(unit.name, "单位名称")
        return unit_row(unit)


def list_units(db: Database) -> list[UnitRow]:
    with db.reading() as s:
        return [unit_row(u) for u in s.scalars(select(Unit).order_by(Unit.id))]


def get_unit(db: Database, unit_id: int) -> UnitRow:
    with db.reading() as s:
        return unit_row(load(s, Unit, unit_id))


# -- rounds -----------------------------------------------------------------
def round_row(r: Round) -> RoundRow:
    return RoundRow(
        r.id, r.unit_id, r.unit.name, r.title, r.kind.value, r.deciding_body, r.inspection_group,
        r.inspection_start, r.inspection_end, r.feedback_date, r.rectification_end, r.index_no,
        r.doc_no, r.topic, r.publisher, r.disclosure_period, r.earlier_round_id,
        r.warn_yellow_days, r.warn_red_days, r.layout_style, r.numbering)


def _readable_scheme(text: str) -> bool:
    import json

    from app.numbering_scheme import NumberingScheme, default_scheme

    try:
        json.loads(text)
    except ValueError:
        return False
    scheme = NumberingScheme.from_json(text)
    return scheme != default_scheme("A") or '"problems"' in text


def _validate_round(r: Round) -> None:
    require_text(r.title, "轮次名称", max_len=300)
    if r.inspection_start and r.inspection_end and r.inspection_end < r.inspection_start:
        raise ValidationError("巡察结束日期早于开始日期。", "inspection_end")
    if r.feedback_date and r.inspection_start and r.feedback_date < r.inspection_start:
        raise ValidationError("反馈日期早于巡察开始日期。", "feedback_date")
    if r.warn_red_days > r.warn_yellow_days:
        raise ValidationError("红色预警天数不能大于黄色预警天数。", "warn_red_days")
    if r.layout_style not in LAYOUT_STYLES:
        raise ValidationError(f"未知的通报版式：{r.layout_style}", "layout_style")
    if r.numbering and not _readable_scheme(r.numbering):
        raise ValidationError("编号方式的格式无法识别。", "numbering")
    if r.earlier_round_id is not None and r.earlier_round_id == r.id:
        raise ValidationError("不能把本轮设为自己的前一轮。", "earlier_round_id")


def create_round(db: Database, unit_id: int, title: str, **fields: Any) -> RoundRow:
    with db.transaction() as s:
        unit = load(s, Unit, unit_id)
        r = Round(unit_id=unit.id, title=title, kind=RoundKind.REGULAR, warn_yellow_days=20, warn_red_days=10,
                  layout_style="A", deciding_body="", inspection_group="")
        apply_changes(r, fields, ROUND_FIELDS)
        r.title = require_text(title, "轮次名称", max_len=300)
        if r.earlier_round_id is not None:
            load(s, Round, r.earlier_round_id)
        _validate_round(r)
        s.add(r)
        s.flush()
        s.add(NoticeSettings(round_id=r.id, title=default_title(r, unit), opening=default_opening(r, unit),
                             signature=unit.signature or unit.name))
        s.add(RoundFigures(round_id=r.id))
        return round_row(r)


def update_round(db: Database, round_id: int, **changes: Any) -> RoundRow:
    with db.transaction() as s:
        r = load(s, Round, round_id)
        apply_changes(r, changes, ROUND_FIELDS)
        if r.earlier_round_id is not None:
            load(s, Round, r.earlier_round_id)
        _validate_round(r)
        return round_row(r)


def delete_round(db: Database, round_id: int) -> None:
    """Delete a round and everything in it. Refused while a later round looks back at it."""
    with db.transaction() as s:
        r = load(s, Round, round_id)
        later = s.scalar(select(Round.title).where(Round.earlier_round_id == round_id))
        if later:
            raise RuleViolation(f"“{later}”是对本轮的“回头看”，请先解除关联再删除。")
        for p in s.scalars(select(Problem).where(Problem.round_id == round_id)):
            s.delete(p)
        s.flush()
        s.delete(r)


def get_round(db: Database, round_id: int) -> RoundRow:
    with db.reading() as s:
        return round_row(load(s, Round, round_id))


# -- notice settings ------------------------------------------------------------
def _kind_phrase(r: Round) -> str:
    return "巡察“回头看”" if r.kind == RoundKind.LOOK_BACK else ("巡视" if r.kind == RoundKind.CENTRAL else "巡察")


def default_title(r: Round, unit: Unit) -> str:
    signer = unit.signature or unit.name
    return f"{signer}关于{r.inspection_group}{_kind_phrase(r)}反馈意见整改情况的通报"


def default_title_for(db: Database, round_id: int) -> str:
    with db.reading() as s:
        r = load(s, Round, round_id)
        return default_title(r, r.unit)


def default_opening(r: Round, unit: Unit) -> str:
    """The opening paragraph as notices write it, from the round's fields."""
    signer = unit.signature or unit.name
    kind = _kind_phrase(r)
    parts = [f"根据{r.deciding_body}统一部署，" if r.deciding_body else ""]
    if r.inspection_start and r.inspection_end:
        end = (month_day_cn(r.inspection_end) if r.inspection_end.year == r.inspection_start.year
               else date_cn(r.inspection_end))
        parts.append(f"{date_cn(r.inspection_start)}至{end}，")
    parts.append(f"{r.inspection_group or '巡察组'}对{signer}进行了{kind}。")
    if r.feedback_date:
        parts.append(f"{date_cn(r.feedback_date)}，{r.inspection_group or '巡察组'}向{signer}反馈了{kind}意见。")
    parts.append("按照党务公开原则和巡察工作有关要求，现将巡察整改情况予以公布。")
    return "".join(parts)


def _settings_row(n: NoticeSettings) -> NoticeSettingsRow:
    return NoticeSettingsRow(n.round_id, n.title, n.opening, n.part_one, n.part_two_intro, n.part_three,
                             n.contact_paragraph, n.signature, n.sign_date)


def get_notice_settings(db: Database, round_id: int) -> NoticeSettingsRow:
    with db.reading() as s:
        return _settings_row(load(s, NoticeSettings, round_id))


def update_notice_settings(db: Database, round_id: int, **changes: Any) -> NoticeSettingsRow:
    with db.transaction() as s:
        n = load(s, NoticeSettings, round_id)
        apply_changes(n, changes, NOTICE_FIELDS)
        return _settings_row(n)


def regenerate_opening(db: Database, round_id: int) -> NoticeSettingsRow:
    """Rewrite the opening paragraph from the round's current fields (the user asked for it)."""
    with db.transaction() as s:
        r = load(s, Round, round_id)
        n = load(s, NoticeSettings, round_id)
        n.opening = default_opening(r, r.unit)
        return _settings_row(n)


# -- figures ------------------------------------------------------------------
def figures_row(f: RoundFigures) -> FiguresRow:
    return FiguresRow(f.clues_transferred, f.clues_closed, f.clues_in_progress, f.cases_filed,
                      f.disciplined, f.other_handled, f.recovered_during, f.recovered_since)


def get_figures(db: Database, round_id: int) -> FiguresRow:
    with db.reading() as s:
        return figures_row(load(s, RoundFigures, round_id))


def update_figures(db: Database, round_id: int, **changes: Any) -> FiguresRow:
    with db.transaction() as s:
        f = load(s, RoundFigures, round_id)
        apply_changes(f, changes, FIGURE_FIELDS)
        for name in ("recovered_during", "recovered_since"):
            value = getattr(f, name)
            if value is not None and value < 0:
                raise ValidationError(f"“{FIGURE_FIELDS[name][1]}”不能为负数。", name)
        if (f.clues_transferred is not None and f.clues_closed is not None
                and f.clues_closed > f.clues_transferred):
            raise ValidationError("已办结线索数不能多于移交线索数。", "clues_closed")
        return figures_row(f)


# -- redaction list -----------------------------------------------------------
def set_redactions(db: Database, round_id: int, terms: Mapping[str, str]) -> dict[str, str]:
    """Replace the round's redaction list ({'张三': '张某'})."""
    with db.transaction() as s:
        load(s, Round, round_id)
        for old in s.scalars(select(RedactionTerm).where(RedactionTerm.round_id == round_id)):
            s.delete(old)
        for term, replacement in terms.items():
            s.add(RedactionTerm(round_id=round_id, term=require_text(term, "脱敏词"),
                                replacement=require_text(replacement, "替换为")))
    return get_redactions(db, round_id)


def get_redactions(db: Database, round_id: int) -> dict[str, str]:
    with db.reading() as s:
        rows = s.scalars(select(RedactionTerm).where(RedactionTerm.round_id == round_id).order_by(RedactionTerm.id))
        return {t.term: t.replacement for t in rows}
