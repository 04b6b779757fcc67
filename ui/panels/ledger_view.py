"""The ledger table view: sorted, filtered, and a drop target for evidence files on a row."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.ledger_rows import ProblemRow
from ui.models.problem_table import ROW_ROLE, ProblemFilterProxy, ProblemTableModel


class LedgerView(QTableView):
    files_dropped = Signal(int, list)  # problem id, paths

    def __init__(self, proxy: ProblemFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(ProblemTableModel.NUMBER, Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(26)
        self.setAcceptDrops(True)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDropIndicatorShown(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ProblemTableModel.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        # Widths from the longest text each column shows, in the font in use (no "2027-01-27（…").
        width = self.fontMetrics().horizontalAdvance
        for col, sample in ((ProblemTableModel.NUMBER, "序号 ▲"), (ProblemTableModel.LEADERS, "王副局长、李局长"),
                            (ProblemTableModel.DEPARTMENTS, "办公室、审批服务科"), (ProblemTableModel.PERSONS, "张三、李四"),
                            (ProblemTableModel.DEADLINE, "2027-01-27（延）"), (ProblemTableModel.STATUS, "已完成·长期坚持"),
                            (ProblemTableModel.DAYS, "逾期 365 天 ▲"), (ProblemTableModel.EVIDENCE, "佐证 ▲")):
            self.setColumnWidth(col, width(sample) + 20)
        self.min_text_width = width("问") * 24  # the problem's text keeps room for a line of words
        self._fitting = False

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._fitting:
            self.fit_text_column()

    def start_fitting(self) -> None:
        """Keep the problem column readable from now on (the window calls this once the first screen is
        up: the first screen is laid out at the remembered size, and this costs it nothing)."""
        self._fitting = True
        self.fit_text_column()

    def fit_text_column(self) -> None:
        """The problem column takes the room left, but not less than `min_text_width`: when the window
        narrows (the scan inbox open beside it) the table scrolls sideways instead."""
        header = self.horizontalHeader()
        others = sum(self.columnWidth(c) for c in range(header.count()) if c != ProblemTableModel.TEXT)
        narrow = self.viewport().width() - others < self.min_text_width
        mode = QHeaderView.ResizeMode.Interactive if narrow else QHeaderView.ResizeMode.Stretch
        if header.sectionResizeMode(ProblemTableModel.TEXT) != mode:
            header.setSectionResizeMode(ProblemTableModel.TEXT, mode)
        if narrow:
            self.setColumnWidth(ProblemTableModel.TEXT, self.min_text_width)

    def selected_problems(self) -> list[ProblemRow]:
        return [i.data(ROW_ROLE) for i in self.selectionModel().selectedRows()]

    def current_problem(self) -> ProblemRow | None:
        index = self.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            ok = self.indexAt(event.position().toPoint()).isValid()
            event.setAccepted(ok)
            if ok:
                event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasUrls():
            event.ignore()  # reordering is done in the tree, where the position is clear
            return
        index = self.indexAt(event.position().toPoint())
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if index.isValid() and paths:
            event.acceptProposedAction()
            self.files_dropped.emit(index.data(ROW_ROLE).id, paths)
