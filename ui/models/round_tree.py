"""The round's tree: categories → problems, with derived numbers, status marks and done/total counts.

Problems can be dragged to another category or position; files can be dropped on a problem.
The model only reports such drops by signals; the window turns them into undoable commands.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel

from app.dto import CategoryRow, ProblemRow
from app.numerals import to_chinese
from ui.icons import status_icon
from ui.models.problem_table import MIME_PROBLEMS

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
CATEGORY, PROBLEM = "category", "problem"


class RoundTreeModel(QStandardItemModel):
    problems_dropped = Signal(list, object, int)   # problem ids, category id (or None), index in it
    files_dropped = Signal(int, list)              # problem id, file paths

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["问题分类与问题"])
        self._problem_items: dict[int, QStandardItem] = {}

    def set_round(self, cats: list[CategoryRow], rows: list[ProblemRow]) -> None:
        self.beginResetModel()
        self.blockSignals(True)
        self.removeRows(0, self.rowCount())
        self._problem_items.clear()
        by_cat: dict[int | None, list[ProblemRow]] = {}
        for r in rows:
            by_cat.setdefault(r.category_id, []).append(r)
        cat_items: dict[int | None, QStandardItem] = {}
        root = self.invisibleRootItem()
        for r in by_cat.get(None, []):
            root.appendRow(self._problem_item(r))
        for c in cats:
            item = QStandardItem()
            item.setData(CATEGORY, KIND_ROLE)
            item.setData(c.id, ID_ROLE)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled)
            parent = cat_items.get(c.parent_id, root)
            parent.appendRow(item)
            cat_items[c.id] = item
            prefix = f"{to_chinese(c.number)}、" if c.level == 1 else f"（{to_chinese(c.number)}）"
            item.setData(prefix + c.text, Qt.ItemDataRole.ToolTipRole)
            item.setData(prefix, Qt.ItemDataRole.UserRole + 3)
            for r in by_cat.get(c.id, []):
                item.appendRow(self._problem_item(r))
        for c in cats:  # counts include sub-categories
            item = cat_items[c.id]
            done, total = self._count(item)
            item.setText(f"{item.data(Qt.ItemDataRole.UserRole + 3)}{c.text}（{done}/{total}）")
        self.blockSignals(False)
        self.endResetModel()

    def _count(self, item: QStandardItem) -> tuple[int, int]:
        done = total = 0
        for i in range(item.rowCount()):
            child = item.child(i)
            if child.data(KIND_ROLE) == PROBLEM:
                total += 1
                done += bool(child.data(Qt.ItemDataRole.UserRole + 4))
            else:
                d, t = self._count(child)
                done, total = done + d, total + t
        return done, total

    def _problem_item(self, r: ProblemRow) -> QStandardItem:
        short = (r.title or r.text).replace("\n", " ")
        item = QStandardItem(f"{r.number}. {short[:40]}{'…' if len(short) > 40 else ''}")
        item.setIcon(status_icon(r.status))
        item.setToolTip(f"{r.number}. {r.text}\n状态：{r.status.value}")
        item.setData(PROBLEM, KIND_ROLE)
        item.setData(r.id, ID_ROLE)
        item.setData(r.status.is_done, Qt.ItemDataRole.UserRole + 4)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
                      | Qt.ItemFlag.ItemIsDropEnabled)
        self._problem_items[r.id] = item
        return item

    def index_of_problem(self, problem_id: int) -> QModelIndex:
        item = self._problem_items.get(problem_id)
        return item.index() if item else QModelIndex()

    # -- drag and drop -----------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [MIME_PROBLEMS, "text/uri-list"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        ids = [i.data(ID_ROLE) for i in indexes if i.data(KIND_ROLE) == PROBLEM]
        mime = QMimeData()
        mime.setData(MIME_PROBLEMS, ",".join(map(str, ids)).encode())
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: QModelIndex | QPersistentModelIndex) -> bool:
        if data.hasFormat(MIME_PROBLEMS):
            return True
        return data.hasUrls() and parent.data(KIND_ROLE) == PROBLEM

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: QModelIndex | QPersistentModelIndex) -> bool:
        if data.hasUrls() and not data.hasFormat(MIME_PROBLEMS):
            if parent.data(KIND_ROLE) != PROBLEM:
                return False
            paths = [Path(u.toLocalFile()) for u in data.urls() if u.isLocalFile()]
            if paths:
                self.files_dropped.emit(int(parent.data(ID_ROLE)), paths)
            return False
        raw = bytes(data.data(MIME_PROBLEMS).data()).decode()
        ids = [int(x) for x in raw.split(",") if x]
        if not ids:
            return False
        if parent.data(KIND_ROLE) == PROBLEM:  # dropped onto a problem: go just before it
            target = parent.parent()
            index = parent.row()
        else:
            target, index = parent, row
        category_id = target.data(ID_ROLE) if target.isValid() else None
        if index < 0:
            index = self._problem_count(target)
        else:  # count only problem rows above the drop position
            index = sum(1 for i in range(index) if self.index(i, 0, target).data(KIND_ROLE) == PROBLEM)
        self.problems_dropped.emit(ids, category_id, index)
        return False  # the refresh after the move rebuilds the tree

    def _problem_count(self, parent: QModelIndex | QPersistentModelIndex) -> int:
        return sum(1 for i in range(self.rowCount(parent)) if self.index(i, 0, parent).data(KIND_ROLE) == PROBLEM)
