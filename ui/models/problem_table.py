"""The ledger table: a QAbstractTableModel over `list_problems` rows, and its filter proxy."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.ledger_rows import ProblemRow, Warning, split_names
from db.enums import Status
from ui.models.base import RowTableModel

Index = QModelIndex | QPersistentModelIndex

WARNING_COLOURS = {
    Warning.GREEN: QColor("#2e7d32"), Warning.YELLOW: QColor("#b7860b"),
    Warning.RED: QColor("#c62828"), Warning.OVERDUE: QColor("#c62828"),
}
WARNING_BACKGROUNDS = {
    Warning.YELLOW: QColor("#fff6d5"), Warning.RED: QColor("#fde0dc"), Warning.OVERDUE: QColor("#f8c9c4"),
}
STATUS_COLOURS = {
    Status.NOT_STARTED: QColor("#9e9e9e"), Status.IN_PROGRESS: QColor("#1e88e5"),
    Status.PENDING_REVIEW: QColor("#8e24aa"), Status.DONE: QColor("#43a047"), Status.LONG_TERM: QColor("#00897b"),
}
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
MIME_PROBLEMS = "application/x-xuncha-problem-ids"
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
                    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.TextAlignmentRole, ROW_ROLE, SORT_ROLE})


def days_text(row: ProblemRow) -> str:
    if row.days_left is None:
        return ""
    if row.status.is_done:
        return "—"
    if row.days_left < 0:
        return f"逾期{-row.days_left}天"
    return "今天到期" if row.days_left == 0 else f"剩{row.days_left}天"


def search_text(r: ProblemRow, narrative: str) -> str:
    """A row's searched text, folded (plain Python: the window's start makes these on a worker thread,
    with the narrative it has just read, so the row itself is only read)."""
    return " ".join((str(r.number), r.text, r.title, r.leaders, r.departments, r.persons,
                     narrative, *r.category_path)).casefold()


class ProblemTableModel(RowTableModel[ProblemRow]):
    NUMBER, TEXT, LEADERS, DEPARTMENTS, PERSONS, DEADLINE, STATUS, DAYS, EVIDENCE = range(9)
    HEADERS = ("序号", "问题", "责任领导", "责任部门", "责任人", "完成时限", "状态", "剩余/逾期", "佐证")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ProblemRow] = []
        self._row_of: dict[int, int] = {}
        self._haystack: list[str] | None = None
        self._sort_spec: tuple[int, Qt.SortOrder] = (self.NUMBER, Qt.SortOrder.AscendingOrder)

    # -- data in -------------------------------------------------------------
    def set_rows(self, rows: list[ProblemRow], haystack: dict[int, str] | None = None) -> None:
        """The rows to show; `haystack`, their search index made elsewhere (by problem id), if there is one."""
        self.beginResetModel()
        self._rows = list(rows)
        # Else made on the first search (or when the window has time after start-up).
        self._haystack = [haystack[r.id] for r in self._rows] if haystack is not None else None
        if self._sort_spec[0] != self.NUMBER or self._sort_spec[1] != Qt.SortOrder.AscendingOrder:
            self._sort_in_place(*self._sort_spec)
        self._row_of = {r.id: i for i, r in enumerate(self._rows)}
        self.endResetModel()

    def details_added(self) -> None:
        """The rows gained the fields a quick start left out (the narrative is searched too)."""
        self._haystack = None

    def haystacks(self) -> list[str]:
        """Each row's searched text, folded once so that filtering as the user types stays fast."""
        if self._haystack is None:
            self._haystack = [search_text(r, r.narrative) for r in self._rows]
        return self._haystack

    def take_haystack(self, by_id: dict[int, str]) -> bool:
        """A search index made elsewhere (off the GUI thread) for these very rows, by problem id (the table
        may have been sorted meanwhile): taken, in the table's order, unless one is made already."""
        if self._haystack is None:
            try:
                self._haystack = [by_id[r.id] for r in self._rows]
            except KeyError:
                return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows in Python in one pass (a proxy comparing rows one pair at a time through
        data() takes seconds on 10,000 problems)."""
        if not 0 <= column < len(self.HEADERS):
            return
        self._sort_spec = (column, order)
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        old_ids = [self._rows[i.row()].id for i in old]
        self._sort_in_place(column, order)
        self._row_of = {r.id: i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(old, [self.index(self._row_of[pid], i.column()) for pid, i in
                                             zip(old_ids, old, strict=True)])
        self.layoutChanged.emit()

    def row_for(self, problem_id: int) -> int | None:
        return self._row_of.get(problem_id)

    def problem_at(self, row: int) -> ProblemRow:
        return self._rows[row]

    def rows(self) -> list[ProblemRow]:
        return list(self._rows)

    def rows_view(self) -> list[ProblemRow]:
        """The rows without a copy (read only)."""
        return self._rows

    # -- Qt API ---------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base | Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.data_at(index.row(), index.column(), role)

    def data_at(self, row: int, col: int, role: int) -> Any:
        """A cell's data by position (the filter proxy asks this way, without making an index)."""
        r = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.TEXT:
                return r.text
            if col == self.DEADLINE and r.deadline != r.effective_deadline:
                was = f"原时限 {r.deadline}" if r.deadline else "原无时限"
                return f"{was}，已批准延期至 {r.effective_deadline}"
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.DAYS and r.warning in WARNING_COLOURS:
                return QBrush(WARNING_COLOURS[r.warning])
            if col == self.STATUS:
                return QBrush(STATUS_COLOURS[r.status])
            if col == self.EVIDENCE and r.evidence_count == 0:
                return QBrush(QColor("#9e9e9e"))
        if role == Qt.ItemDataRole.BackgroundRole and col == self.DAYS and r.warning in WARNING_BACKGROUNDS:
            return QBrush(WARNING_BACKGROUNDS[r.warning])
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.NUMBER, self.DAYS, self.EVIDENCE):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ROW_ROLE:
            return r
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        return None

    def _sort_in_place(self, column: int, order: Qt.SortOrder) -> None:
        order_of = sorted(range(len(self._rows)),
                          key=lambda i: (self._sort_key(self._rows[i], column), self._rows[i].number),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [self._rows[i] for i in order_of]
        if self._haystack is not None:  # kept in step; not made just to be sorted
            self._haystack = [self._haystack[i] for i in order_of]

    def _display(self, r: ProblemRow, col: int) -> str:
        if col == self.NUMBER:
            return str(r.number)
        if col == self.TEXT:
            return r.title or r.text.replace("\n", " ")
        if col == self.LEADERS:
            return r.leaders
        if col == self.DEPARTMENTS:
            return r.departments
        if col == self.PERSONS:
            return r.persons
        if col == self.DEADLINE:
            d = r.effective_deadline
            return ("长期坚持" if r.long_term else "") if d is None else f"{d:%Y-%m-%d}" + (
                "（延）" if d != r.deadline else "")
        if col == self.STATUS:
            return r.status.value
        if col == self.DAYS:
            return days_text(r)
        if col == self.EVIDENCE:
            return str(r.evidence_count) if r.evidence_count else "无"
        return ""

    def _sort_key(self, r: ProblemRow, col: int) -> Any:
        if col == self.NUMBER:
            return r.number
        if col == self.DEADLINE:
            return (r.effective_deadline or dt.date.max).toordinal()
        if col in (self.TEXT, self.LEADERS, self.DEPARTMENTS, self.PERSONS):
            return self._display(r, col)
        if col == self.DAYS:
            return r.days_left if r.days_left is not None and not r.status.is_done else 10**6
        if col == self.EVIDENCE:
            return r.evidence_count
        if col == self.STATUS:
            return list(Status).index(r.status)
        return str(self._display(r, col))

    # -- drag: problems can be dropped on tree categories; files can be dropped on rows
    def mimeTypes(self) -> list[str]:
        return [MIME_PROBLEMS, "text/uri-list"]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:
        ids = sorted({self._rows[i.row()].id for i in indexes if i.isValid()})
        mime = QMimeData()
        mime.setData(MIME_PROBLEMS, ",".join(map(str, ids)).encode())
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


class ProblemFilterProxy(QAbstractProxyModel):
    """Filters a clerk asks for: status, department, leader, overdue, due within N days, no evidence, text.

    The rows shown are a plain list of source rows, recomputed in one Python pass when a filter
    changes; Qt never calls back into Python per row to build it (a QSortFilterProxyModel asks
    `filterAcceptsRow` for each of 10,000 rows at every reset). Sorting is delegated to the source
    model, which sorts its list in one go. The selection and current row follow their problems.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.status: Status | None = None
        self.department = ""
        self.leader = ""
        self.overdue_only = False
        self.warning: Warning | None = None     # 三色预警: one colour (or 逾期)
        self.due_within: int | None = None
        self.no_evidence = False
        self.text = ""
        self._shown: list[int] = []          # proxy row → source row
        self._place: dict[int, int] | None = None  # source row → proxy row, made when first asked
        self._kept: list[tuple[QModelIndex, int]] = []  # persistent indexes and their problems, across a change
        self._model: ProblemTableModel | None = None

    def _source(self) -> ProblemTableModel:
        assert self._model is not None
        return self._model

    def setSourceModel(self, model: Any) -> None:  # noqa: N802 - Qt override
        self.beginResetModel()
        super().setSourceModel(model)
        self._model = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.layoutAboutToBeChanged.connect(self._before_change)
        model.layoutChanged.connect(self._after_change)
        model.dataChanged.connect(self._source_data_changed)
        self._recompute()
        self.endResetModel()

    def _source_reset(self) -> None:
        self._recompute()
        self.endResetModel()

    # -- keeping the selection while rows come and go -------------------------------------------
    def _before_change(self) -> None:
        self.layoutAboutToBeChanged.emit()
        self._kept = [(i, self._source().problem_at(self._shown[i.row()]).id) for i in self.persistentIndexList()
                      if 0 <= i.row() < len(self._shown)]

    def _after_change(self) -> None:
        self._recompute()
        source = self._source()
        old, new = [], []
        for index, problem_id in self._kept:
            row = source.row_for(problem_id)
            place = self._places().get(row) if row is not None else None
            old.append(index)
            new.append(self.index(place, index.column()) if place is not None else QModelIndex())
        self.changePersistentIndexList(old, new)
        self._kept = []
        self.layoutChanged.emit()

    def _source_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Any = ()) -> None:
        for row in range(top_left.row(), bottom_right.row() + 1):
            place = self._places().get(row)
            if place is not None:
                self.dataChanged.emit(self.index(place, top_left.column()), self.index(place, bottom_right.column()))

    # -- the proxy model ---------------------------------------------------------------------------
    def _places(self) -> dict[int, int]:
        if self._place is None:
            self._place = {src: i for i, src in enumerate(self._shown)}
        return self._place

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if parent.isValid() or not 0 <= row < len(self._shown) or not 0 <= column < len(ProblemTableModel.HEADERS):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(ProblemTableModel.HEADERS)

    def mapToSource(self, proxy_index: Index) -> QModelIndex:  # noqa: N802 - Qt override
        if not proxy_index.isValid() or not 0 <= proxy_index.row() < len(self._shown):
            return QModelIndex()
        return self._source().index(self._shown[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:  # noqa: N802 - Qt override
        if not source_index.isValid():
            return QModelIndex()
        place = self._places().get(source_index.row())
        return QModelIndex() if place is None else self.index(place, source_index.column())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks each visible cell for a dozen roles; those the table has nothing for end here.
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._shown):
            return None
        return self._source().data_at(self._shown[index.row()], index.column(), role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._source().flags(self.mapToSource(index))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._source().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._source().sort(column, order)

    def set_filters(self, **changes: Any) -> None:
        for name, value in changes.items():
            if not hasattr(self, name) or name.startswith("_"):
                raise AttributeError(name)
            setattr(self, name, value)
        self._before_change()
        self._after_change()

    def clear_filters(self) -> None:
        self.set_filters(status=None, department="", leader="", overdue_only=False, warning=None, due_within=None,
                         no_evidence=False, text="")

    def _recompute(self) -> None:
        model = self.sourceModel()
        self._place = None
        if not isinstance(model, ProblemTableModel):
            self._shown = []
            return
        needle = self.text.casefold()
        plain = (self.status is None and not self.department and not self.leader and not self.overdue_only
                 and self.warning is None and self.due_within is None and not self.no_evidence)
        if plain and not needle:
            self._shown = list(range(model.rowCount()))
        elif plain:  # typing in the search box: one substring test per row, nothing else
            self._shown = [i for i, h in enumerate(model.haystacks()) if needle in h]
        else:
            self._shown = [i for i, (r, h) in enumerate(zip(model.rows_view(), model.haystacks(), strict=True))
                           if self._accepts(r, h, needle)]

    def _accepts(self, r: ProblemRow, haystack: str, needle: str) -> bool:
        if needle and needle not in haystack:
            return False
        if self.status is not None and r.status != self.status:
            return False
        if self.department and self.department not in split_names(r.departments):
            return False
        if self.leader and self.leader not in split_names(r.leaders):
            return False
        if self.overdue_only and r.warning != Warning.OVERDUE:
            return False
        if self.warning is not None and r.warning != self.warning:
            return False
        if self.due_within is not None and (r.warning == Warning.NONE or r.days_left is None
                                            or not 0 <= r.days_left <= self.due_within):
            return False
        return not (self.no_evidence and r.evidence_count)
