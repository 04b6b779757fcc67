"""The round's tree: categories → problems, with derived numbers, status marks and done/total counts.

A QAbstractItemModel over category nodes whose children are further nodes and the ledger's own
`ProblemRow`s: a problem's index points at its row, so a round of 10,000 problems costs one small
object per category, and a problem's label is made only when the view paints it. Children are
handed to the view a chunk at a time (Qt's canFetchMore/fetchMore, as the clerk scrolls), so the
view does not lay out ten thousand rows before the window can show. Problems can be
dragged to another category or position; files can be dropped on a problem. Drops are only
reported by signals; the window turns them into undoable commands.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.ledger_rows import CategoryRow, ProblemRow
from app.numbering_scheme import GBT_FORMS, NumberStyle, format_number
from ui.icons import status_icon
from ui.models.problem_table import MIME_PROBLEMS

Index = QModelIndex | QPersistentModelIndex
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
CATEGORY, PROBLEM = "category", "problem"
_CATEGORY_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
# ItemNeverHasChildren spares the view asking each of thousands of problems for its row count.
_PROBLEM_FLAGS = _CATEGORY_FLAGS | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren
CHUNK = 200  # children shown at first under each node; more as the view scrolls to them
_DISPLAY, _TOOLTIP, _DECORATION = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                   Qt.ItemDataRole.DecorationRole)


class Node:
    """A category (or the invisible root): its label, place, children and done/total counts."""

    __slots__ = ("ident", "text", "parent", "row", "children", "shown", "done", "total")

    def __init__(self, ident: int, text: str, parent: Node | None) -> None:
        self.ident, self.text, self.parent = ident, text, parent
        self.row = 0
        self.children: list[Node | ProblemRow] = []
        self.shown = 0  # how many of the children the view has been given
        self.done = self.total = 0


def category_prefix(depth: int, number: int) -> str:
    """一、 （一） 1. （1） by depth as GB/T 9704 orders them, then ①; the ledger's own outline numbering."""
    style = GBT_FORMS[depth - 1] if depth <= len(GBT_FORMS) else NumberStyle.CIRCLED
    return format_number(style, number) + ("" if style in (NumberStyle.CN_COMMA, NumberStyle.CN_PAREN) else " ")


def problem_label(r: ProblemRow) -> str:
    short = (r.title or r.text).replace("\n", " ")
    return f"{r.number}. {short[:40]}{'…' if len(short) > 40 else ''}"


class RoundTreeModel(QAbstractItemModel):
    problems_dropped = Signal(list, object, int)   # problem ids, category id (or None), index in it
    files_dropped = Signal(int, list)              # problem id, file paths

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.root = Node(0, "", None)
        self._parent_of: dict[int, Node] = {}   # problem id → its category node (or the root)
        self._row_of: dict[int, int] = {}       # problem id → its row under that node

    # -- building --------------------------------------------------------------------------
    def set_round(self, cats: list[CategoryRow], rows: list[ProblemRow],
                  tally: dict[int | None, tuple[int, int]] | None = None) -> None:
        """The round's tree; `tally` (problems and done ones directly in each category) counts the problems
        when `rows` are only the first of them (`app.services.reading.first_screen`)."""
        self.beginResetModel()
        self.root = Node(0, "", None)
        nodes: dict[int | None, Node] = {None: self.root}
        for c in cats:  # reading order: a parent comes before its children; any depth
            nodes[c.id] = Node(c.id, category_prefix(c.level, c.number) + c.text, None)
        # A category lists its own problems first, then its sub-categories (the order they are read in).
        by_cat: dict[int | None, list[ProblemRow]] = {}
        for r in rows:
            by_cat.setdefault(r.category_id, []).append(r)
        parent_of, row_of = {}, {}
        for cid, node in nodes.items():
            own = by_cat.get(cid, [])
            node.children.extend(own)
            for i, r in enumerate(own):
                parent_of[r.id], row_of[r.id] = node, i
            node.total, node.done = (tally.get(cid, (0, 0)) if tally is not None
                                     else (len(own), sum(r.status.is_done for r in own)))
        for c in cats:
            node, parent = nodes[c.id], nodes.get(c.parent_id) or self.root
            node.parent, node.row = parent, len(parent.children)
            parent.children.append(node)
        for c in reversed(cats):  # counts include sub-categories: children are added before parents
            node, parent = nodes[c.id], nodes[c.id].parent
            if parent is not None and parent is not self.root:
                parent.total += node.total
                parent.done += node.done
        for c in cats:
            node = nodes[c.id]
            node.text = f"{node.text}（{node.done}/{node.total}）"
        for node in nodes.values():
            node.shown = min(len(node.children), CHUNK)
        self._parent_of, self._row_of = parent_of, row_of
        self.endResetModel()

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 - Qt override
        node = self._node(parent)
        return type(node) is Node and node.shown < len(node.children)

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 - Qt override
        node = self._node(parent)
        if type(node) is Node:
            self._show_up_to(node, node.shown + CHUNK)

    def _show_up_to(self, node: Node, count: int) -> None:
        count = min(count, len(node.children))
        if count <= node.shown:
            return
        parent = QModelIndex() if node is self.root else self.createIndex(node.row, 0, node)
        self.beginInsertRows(parent, node.shown, count - 1)
        node.shown = count
        self.endInsertRows()

    def _reveal(self, node: Node, row: int) -> None:
        """Make sure the view has been given `row` under `node`, and `node` itself under its parents."""
        if node.parent is not None:
            self._reveal(node.parent, node.row)
        if row >= node.shown:
            self._show_up_to(node, row + CHUNK)

    # -- Qt model --------------------------------------------------------------------------------
    def _node(self, index: Index) -> Node:
        return index.internalPointer() if index.isValid() else self.root  # type: ignore[return-value]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        node = parent.internalPointer() if parent.isValid() else self.root
        if column != 0 or type(node) is not Node or not 0 <= row < node.shown:
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        item = index.internalPointer()
        up = item.parent if type(item) is Node else self._parent_of.get(item.id)
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return self.root.shown
        node = parent.internalPointer()
        return node.shown if type(node) is Node and parent.column() == 0 else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == 0:
            return "问题分类与问题"
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = index.internalPointer()
        if type(item) is Node:
            if role in (_DISPLAY, _TOOLTIP):
                return item.text
            return CATEGORY if role == KIND_ROLE else item.ident if role == ID_ROLE else None
        if role == _DISPLAY:
            return problem_label(item)
        if role == _TOOLTIP:
            return f"{item.number}. {item.text}\n状态：{item.status.value}"
        if role == _DECORATION:
            return status_icon(item.status)
        return PROBLEM if role == KIND_ROLE else item.id if role == ID_ROLE else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _CATEGORY_FLAGS if type(index.internalPointer()) is Node else _PROBLEM_FLAGS

    def category_indexes(self) -> list[QModelIndex]:
        """Every shown category's index, parents first (the window expands these, not the problems)."""
        out: list[QModelIndex] = []

        def walk(node: Node) -> None:
            for child in node.children[:node.shown]:
                if type(child) is Node:
                    out.append(self.createIndex(child.row, 0, child))
                    walk(child)
        walk(self.root)
        return out

    def index_of_problem(self, problem_id: int) -> QModelIndex:
        node = self._parent_of.get(problem_id)
        if node is None:
            return QModelIndex()
        row = self._row_of[problem_id]
        self._reveal(node, row)  # the clerk asked for it: hand the view the rows down to it
        return self.createIndex(row, 0, node.children[row])

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
            pid = int(parent.data(ID_ROLE))
            target, position = self._parent_of[pid], self._row_of[pid]
        else:
            target, position = self._node(parent), row
        if position < 0:
            position = len(target.children)
        index = sum(1 for child in target.children[:position] if type(child) is not Node)
        self.problems_dropped.emit(ids, target.ident if target is not self.root else None, index)
        return False  # the refresh after the move rebuilds the tree
