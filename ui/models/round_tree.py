"""The round's tree: categories → problems, with derived numbers, status marks and done/total counts.

A QAbstractItemModel over plain nodes: a round of 10,000 problems builds in milliseconds, and
nothing is allocated per cell. Problems can be dragged to another category or position; files
can be dropped on a problem. Drops are only reported by signals; the window turns them into
undoable commands.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.dto import CategoryRow, ProblemRow
from app.numerals import to_chinese
from ui.icons import status_icon
from ui.models.problem_table import MIME_PROBLEMS

Index = QModelIndex | QPersistentModelIndex
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
CATEGORY, PROBLEM = "category", "problem"
_CATEGORY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
_PROBLEM_FLAGS = _CATEGORY_FLAGS | Qt.ItemFlag.ItemIsDragEnabled


@dataclass(eq=False)
class Node:
    kind: str
    ident: int
    text: str
    tooltip: str
    parent: Node | None
    row: int = 0
    problem: ProblemRow | None = None
    children: list[Node] = field(default_factory=list)
    done: int = 0
    total: int = 0


class RoundTreeModel(QAbstractItemModel):
    problems_dropped = Signal(list, object, int)   # problem ids, category id (or None), index in it
    files_dropped = Signal(int, list)              # problem id, file paths

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.root = Node(CATEGORY, 0, "", "", None)
        self._problem_nodes: dict[int, Node] = {}

    # -- building --------------------------------------------------------------------------
    def set_round(self, cats: list[CategoryRow], rows: list[ProblemRow]) -> None:
        self.beginResetModel()
        self.root = Node(CATEGORY, 0, "", "", None)
        self._problem_nodes = {}
        by_cat: dict[int | None, list[ProblemRow]] = {}
        for r in rows:
            by_cat.setdefault(r.category_id, []).append(r)
        for r in by_cat.get(None, []):
            self._add(self.root, self._problem_node(r))
        nodes: dict[int, Node] = {}
        for c in cats:
            prefix = f"{to_chinese(c.number)}、" if c.level == 1 else f"（{to_chinese(c.number)}）"
            parent = nodes.get(c.parent_id, self.root) if c.parent_id else self.root
            node = Node(CATEGORY, c.id, prefix + c.text, prefix + c.text, parent)
            self._add(parent, node)
            nodes[c.id] = node
            for r in by_cat.get(c.id, []):
                self._add(node, self._problem_node(r))
        for node in reversed(list(nodes.values())):  # counts include sub-categories
            for child in node.children:
                if child.kind == PROBLEM:
                    node.total += 1
                    node.done += bool(child.problem and child.problem.status.is_done)
                else:
                    node.total += child.total
                    node.done += child.done
            node.text = f"{node.text}（{node.done}/{node.total}）"
        self.endResetModel()

    @staticmethod
    def _add(parent: Node, node: Node) -> None:
        node.parent, node.row = parent, len(parent.children)
        parent.children.append(node)

    def _problem_node(self, r: ProblemRow) -> Node:
        short = (r.title or r.text).replace("\n", " ")
        node = Node(PROBLEM, r.id, f"{r.number}. {short[:40]}{'…' if len(short) > 40 else ''}",
                    f"{r.number}. {r.text}\n状态：{r.status.value}", None, problem=r)
        self._problem_nodes[r.id] = node
        return node

    # -- Qt model --------------------------------------------------------------------------------
    def _node(self, index: Index) -> Node:
        return index.internalPointer() if index.isValid() else self.root  # type: ignore[return-value]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        if column != 0 or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = self._node(index).parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "问题分类与问题"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return node.tooltip
        if role == Qt.ItemDataRole.DecorationRole and node.problem is not None:
            return status_icon(node.problem.status)
        if role == KIND_ROLE:
            return node.kind
        if role == ID_ROLE:
            return node.ident
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _PROBLEM_FLAGS if self._node(index).kind == PROBLEM else _CATEGORY_FLAGS

    def category_indexes(self) -> list[QModelIndex]:
        """Every category's index, parents first (the window expands these, not the problems)."""
        out: list[QModelIndex] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if child.kind == CATEGORY:
                    out.append(self.createIndex(child.row, 0, child))
                    walk(child)
        walk(self.root)
        return out

    def index_of_problem(self, problem_id: int) -> QModelIndex:
        node = self._problem_nodes.get(problem_id)
        return self.createIndex(node.row, 0, node) if node else QModelIndex()

    # -- drag and drop -------------------------------------------------------------------------------
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
                        parent: Index) -> bool:
        if data.hasFormat(MIME_PROBLEMS):
            return True
        return data.hasUrls() and parent.data(KIND_ROLE) == PROBLEM

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: Index) -> bool:
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
            target = self._node(parent).parent or self.root
            position = self._node(parent).row
        else:
            target, position = self._node(parent), row
        if position < 0:
            position = len(target.children)
        index = sum(1 for child in target.children[:position] if child.kind == PROBLEM)
        self.problems_dropped.emit(ids, target.ident if target is not self.root else None, index)
        return False  # the refresh after the move rebuilds the tree
