"""Editing the category tree of any depth: add, rename, move, merge, delete. Edits go through the undo stack."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.ledger_rows import CategoryRow
from ui.ask import confirm_destructive
from ui.commands import AddCategory, DeleteCategory, MoveCategory, RenameCategory, Undo
from ui.errors import show_error
from ui.models.round_tree import category_prefix
from ui.services import categories
from ui.widgets import add_buttons


class CategoryDialog(QDialog):
    # A QTreeWidget is enough here: a few dozen rows, rebuilt from the service after every edit.
    def __init__(self, undo: Undo, round_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.undo, self.round_id = undo, round_id
        self.setWindowTitle(self.tr("问题分类（方面 → 项 → …，层级不限）"))
        self.resize(640, 460)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("分类")])
        buttons = QVBoxLayout()
        add_buttons(buttons, ((self.tr("添加方面"), self.add_top), (self.tr("添加下级分类"), self.add_child),
                            (self.tr("重命名"), self.rename), (self.tr("上移"), lambda: self.shift(-1)),
                            (self.tr("下移"), lambda: self.shift(1)), (self.tr("移到…"), self.move_under),
                            (self.tr("合并到…"), self.merge), (self.tr("删除"), self.delete)))
        row = QHBoxLayout()
        row.addWidget(self.tree, 1)
        row.addLayout(buttons)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.accept)
        lay.addWidget(close)
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        self.rows = categories.list_categories(self.undo.db, self.round_id)
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for c in self.rows:
            parent = items.get(c.parent_id) if c.parent_id else None
            item = QTreeWidgetItem([category_prefix(c.level, c.number) + c.text])
            item.setData(0, Qt.ItemDataRole.UserRole, c.id)
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[c.id] = item
            if c.id == select:
                self.tree.setCurrentItem(item)
        self.tree.expandAll()

    def _current(self) -> CategoryRow | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        cid = item.data(0, Qt.ItemDataRole.UserRole)
        return next(c for c in self.rows if c.id == cid)

    def _exec(self, cmd: Any, select: int | None = None) -> None:
        try:
            result = self.undo.execute(cmd)
        except Exception as exc:
            show_error(self, exc)
            return
        self.refresh(select if select is not None else (result if isinstance(result, int) else None))

    def add_top(self) -> None:
        text, ok = QInputDialog.getText(self, self.tr("添加方面"), self.tr("方面名称："))
        if ok:
            self._exec(AddCategory(self.undo, self.round_id, text, None))

    def add_child(self) -> None:
        """A sub-category under the selected one, at any depth."""
        c = self._current()
        if c is None:
            return
        text, ok = QInputDialog.getText(self, self.tr("添加下级分类"), self.tr("“%s”下的分类名称：") % c.text)
        if ok:
            self._exec(AddCategory(self.undo, self.round_id, text, c.id))

    def _descendants(self, c: CategoryRow) -> set[int]:
        out, grew = {c.id}, True
        while grew:
            more = {o.id for o in self.rows if o.parent_id in out} - out
            out |= more
            grew = bool(more)
        return out

    def move_under(self) -> None:
        """Put the selected category (with everything under it) under another one, or at the top."""
        c = self._current()
        if c is None:
            return
        mine = self._descendants(c)
        others = [o for o in self.rows if o.id not in mine]
        names = [self.tr("（最上层，作为方面）")] + [("　" * (o.level - 1)) + o.text for o in others]
        name, ok = QInputDialog.getItem(self, self.tr("移动分类"), self.tr("把“%s”移到：") % c.text, names, 0, False)
        if not ok:
            return
        target = None if names.index(name) == 0 else others[names.index(name) - 1].id
        count = sum(1 for o in self.rows if o.parent_id == target and o.id != c.id)
        self._exec(MoveCategory(self.undo, c.id, (c.parent_id, c.position), (target, count)), c.id)

    def rename(self) -> None:
        c = self._current()
        if c:
            text, ok = QInputDialog.getText(self, self.tr("重命名"), self.tr("名称："), text=c.text)
            if ok and text.strip() != c.text:
                self._exec(RenameCategory(self.undo, c.id, c.text, text), c.id)

    def shift(self, step: int) -> None:
        c = self._current()
        if c:
            new = c.position + step
            if new >= 0:
                self._exec(MoveCategory(self.undo, c.id, (c.parent_id, c.position), (c.parent_id, new)), c.id)

    def merge(self) -> None:
        c = self._current()
        if c is None:
            return
        mine = self._descendants(c)
        others = [o for o in self.rows if o.id not in mine]
        names = [("　" * (o.level - 1)) + o.text for o in others]
        name, ok = QInputDialog.getItem(self, self.tr("合并分类"), self.tr("把“%s”合并到：") % c.text, names, 0, False)
        if not ok:
            return
        target = others[names.index(name)]
        if not confirm_destructive(self, self.tr("合并分类"),
                                   self.tr("“%s”下的问题将移到“%s”，原分类删除。合并不能撤销，继续？")
                                   % (c.text, target.text)):
            return
        try:
            categories.merge_categories(self.undo.db, c.id, target.id)
        except Exception as exc:
            show_error(self, exc)
        self.undo.stack.clear()  # earlier commands may refer to the merged category
        self.undo.changed()
        self.refresh(target.id)

    def delete(self) -> None:
        c = self._current()
        if c and confirm_destructive(self, self.tr("删除分类"), self.tr(
                "删除分类“%s”？（可撤销；回收站中属于该分类的问题将被彻底删除）") % c.text):
            self._exec(DeleteCategory(self.undo, c.id, self.round_id, c.text, c.parent_id, c.position))
