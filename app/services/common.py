"""Helpers shared by the service modules: loading, validated field updates, ordering."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationError
from db.audit import UNSIGNED
from db.models import Base
from db.session import Database

T = TypeVar("T", bound=Base)

ENTITY_NAMES = {
    "Unit": "单位", "Round": "巡察轮次", "Category": "问题分类", "Problem": "问题",
    "Measure": "整改措施", "ProgressEntry": "进展记录", "Evidence": "佐证材料",
    "EvidenceLink": "佐证材料", "Extension": "延期申请", "Review": "销号审核",
    "Regulation": "制度", "Department": "部门", "Person": "人员", "RedactionTerm": "脱敏词",
}


def load(session: Session, cls: type[T], ident: int) -> T:
    """The row, or NotFound; a row deleted softly (`deleted_at` set, in the recycle bin) counts as gone."""
    obj = load_any(session, cls, ident)
    if getattr(obj, "deleted_at", None) is not None:
        raise NotFound(ENTITY_NAMES.get(cls.__name__, cls.__name__), ident)
    return obj


def load_any(session: Session, cls: type[T], ident: int) -> T:
    """The row even if it was deleted softly (for undo and the recycle bin), or NotFound."""
    obj = session.get(cls, ident)
    if obj is None:
        raise NotFound(ENTITY_NAMES.get(cls.__name__, cls.__name__), ident)
    return obj


def clerk(db: Database) -> str:
    """Who signs a progress note or a 销号 request: the clerk's name from the program's settings."""
    return db.clerk.strip() or UNSIGNED


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def require_text(value: Any, label: str, *, max_len: int = 20000) -> str:
    text = clean_text(value)
    if not text:
        raise ValidationError(f"{label}不能为空。", label)
    if len(text) > max_len:
        raise ValidationError(f"{label}过长（{len(text)} 字，最多 {max_len} 字）。", label)
    return text


def clean_text(value: Any) -> str:
    """Strip outer blanks and control characters a paste from the web may carry."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c == "\n" or c == "\t" or c >= " ").strip()


def coerce(value: Any, kind: type, label: str) -> Any:
    """Turn a form value into the column's type, or raise ValidationError."""
    if value is None or value == "":
        if kind in (str,):
            return ""
        if kind is bool:
            return False
        return None
    try:
        if kind is str:
            return clean_text(value)
        if kind is bool:
            return bool(value)
        if kind is int:
            number = int(value)
            if number < 0:
                raise ValueError
            return number
        if kind is Decimal:
            return Decimal(str(value))
        if kind is dt.date:
            if isinstance(value, dt.date):
                return value
            from app.numerals import parse_date

            parsed = parse_date(str(value))
            if parsed is None:
                raise ValueError
            return parsed
        if issubclass(kind, Enum):
            return kind(value)
    except (ValueError, InvalidOperation) as exc:
        raise ValidationError(f"“{label}”的值无效：{value}", label) from exc
    raise TypeError(kind)


def apply_changes(obj: Base, changes: Mapping[str, Any], fields: Mapping[str, tuple[type, str]]) -> None:
    """Set the named fields, each coerced and validated; unknown names are a programming error."""
    for name, value in changes.items():
        if name not in fields:
            raise KeyError(f"{type(obj).__name__} has no editable field {name!r}")
        kind, label = fields[name]
        setattr(obj, name, coerce(value, kind, label))


def renumber(items: Iterable[Any]) -> None:
    for i, item in enumerate(items):
        if item.position != i:
            item.position = i


def move_in_list(items: list[Any], item: Any, index: int) -> None:
    """Place `item` at `index` in `items` (clamped) and rewrite positions.

    `items` may hold rows deleted softly: they keep their places (so undo puts them back where they
    were) and `index` counts only the rows that are not deleted, as the clerk sees them."""
    if item in items:
        items.remove(item)
    live = [i for i, x in enumerate(items) if getattr(x, "deleted_at", None) is None]
    index = max(0, min(index, len(live)))
    items.insert(live[index] if index < len(live) else len(items), item)
    renumber(items)
