"""The category tree of a round, of any depth (方面 → 项 → …): add, rename, move, merge, delete.

The tree is read in `reading.py`. Moves and merges keep it free of cycles: a category never goes under itself
or under one of its own descendants.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.dto import CategoryRow
from app.errors import RuleViolation, ValidationError
from app.services.common import load, move_in_list, renumber, require_text
from app.services.reading import list_categories as list_categories  # the one read path
from db.models import Category, Problem, Round
from db.session import Database


def _row(c: Category, level: int, number: int) -> CategoryRow:
    return CategoryRow(c.id, c.round_id, c.parent_id, c.position, c.text, level, number)


def _siblings(s: Session, round_id: int, parent_id: int | None) -> list[Category]:
    return list(s.scalars(select(Category).where(Category.round_id == round_id, Category.parent_id.is_(parent_id)
                                                 if parent_id is None else Category.parent_id == parent_id)
                          .order_by(Category.position, Category.id)))


def _level(s: Session, c: Category | None) -> int:
    level = 0
    while c is not None:
        level += 1
        c = s.get(Category, c.parent_id) if c.parent_id else None
    return level


def _ancestors(s: Session, c: Category | None) -> list[int]:
    """Ids of `c` and every category above it (a cycle in bad data stops the walk)."""
    out: list[int] = []
    while c is not None and c.id not in out:
        out.append(c.id)
        c = s.get(Category, c.parent_id) if c.parent_id else None
    return out


def _check_parent(s: Session, round_id: int, parent_id: int | None) -> Category | None:
    if parent_id is None:
        return None
    parent = load(s, Category, parent_id)
    if parent.round_id != round_id:
        raise ValidationError("上级分类不属于本轮巡察。", "parent_id")
    return parent


def add_category(db: Database, round_id: int, text: str, parent_id: int | None = None,
                 index: int | None = None) -> CategoryRow:
    with db.transaction() as s:
        load(s, Round, round_id)
        _check_parent(s, round_id, parent_id)
        cat = Category(round_id=round_id, parent_id=parent_id, text=require_text(text, "分类名称"), position=0)
        s.add(cat)
        siblings = _siblings(s, round_id, parent_id)
        move_in_list(siblings, cat, len(siblings) if index is None else index)
        s.flush()
        return _row(cat, _level(s, cat), siblings.index(cat) + 1)


def rename_category(db: Database, category_id: int, text: str) -> None:
    with db.transaction() as s:
        load(s, Category, category_id).text = require_text(text, "分类名称")


def move_category(db: Database, category_id: int, parent_id: int | None, index: int) -> None:
    """Move a category under another parent (or the top) at a position."""
    with db.transaction() as s:
        cat = load(s, Category, category_id)
        parent = _check_parent(s, cat.round_id, parent_id)
        if parent is not None and cat.id in _ancestors(s, parent):
            raise ValidationError("不能把分类移到它自己或它的下级分类下面。", "parent_id")
        old = _siblings(s, cat.round_id, cat.parent_id)
        old.remove(cat)
        renumber(old)
        cat.parent_id = parent_id
        new = [c for c in _siblings(s, cat.round_id, parent_id) if c is not cat]
        move_in_list(new, cat, index)


def merge_categories(db: Database, source_id: int, target_id: int) -> None:
    """Move everything of `source` (problems after the target's own, sub-categories) into `target`."""
    with db.transaction() as s:
        src, dst = load(s, Category, source_id), load(s, Category, target_id)
        if src.id == dst.id or src.round_id != dst.round_id:
            raise ValidationError("只能合并同一轮巡察中的两个不同分类。")
        if src.id in _ancestors(s, dst):
            raise ValidationError("不能把分类合并到它自己的下级分类中。")
        moved = list(s.scalars(select(Problem).where(Problem.category_id == src.id).order_by(Problem.position)))
        start = s.scalar(select(func.count()).where(Problem.category_id == dst.id)) or 0
        for i, p in enumerate(moved):
            p.category_id, p.position = dst.id, start + i
        kids = _siblings(s, src.round_id, src.id)
        dst_kids = _siblings(s, src.round_id, dst.id)
        for c in kids:
            c.parent_id = dst.id
        renumber(dst_kids + kids)
        s.flush()
        siblings = _siblings(s, src.round_id, src.parent_id)
        s.delete(src)
        renumber([c for c in siblings if c is not src])


def delete_category(db: Database, category_id: int) -> None:
    """Delete an empty category; one with problems or sub-categories is refused."""
    with db.transaction() as s:
        cat = load(s, Category, category_id)
        if s.scalar(select(func.count()).where(Problem.category_id == cat.id, Problem.deleted_at.is_(None))):
            raise RuleViolation(f"分类“{cat.text}”下还有问题，请先移走或合并后再删除。")
        for gone in s.scalars(select(Problem).where(Problem.category_id == cat.id)):
            s.delete(gone)  # deleted problems of the category in the recycle bin go with it (audited)
        s.flush()
        if s.scalar(select(func.count()).where(Category.parent_id == cat.id)):
            raise RuleViolation(f"分类“{cat.text}”下还有下级分类，请先删除或移走。")
        siblings = _siblings(s, cat.round_id, cat.parent_id)
        s.delete(cat)
        renumber([c for c in siblings if c is not cat])
