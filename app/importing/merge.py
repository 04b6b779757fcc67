"""Importing into an existing round (追加到): its facts, parts 一/三, statistics and contact are kept too.

What the round lacks is filled; what would replace a value the round already has is listed as a
`FactChange` for the clerk to accept (the dialog's check boxes, the command line's --replace-facts).
Values the program generated itself (the default title, opening and 署名 of a new round) count as lacking.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from app.importing.fact_fields import FIELDS as FIELDS  # the keys --replace-facts names
from app.importing.model import ParsedNotice
from app.importing.scheme import describe_scheme
from app.numbering_scheme import NumberingScheme
from app.numerals import date_cn, money_wan
from app.services.common import load
from db.models import NoticeSettings, Round, RoundFigures, RoundKind, Unit
from db.session import Database


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
