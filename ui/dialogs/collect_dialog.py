"""部门填报: the status of the collection per department, open conflicts, and the way to send, receive, remind."""
from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.collect.merge import resolve_conflict
from app.collect.model import DEPARTMENT, OFFICE
from app.collect.status import collection_status, open_conflicts
from db.session import Database
from ui.dialogs.collect_models import ConflictTableModel, DepartmentStatusTableModel
from ui.errors import show_error
from ui.workers import TaskRunner


def _table(model: QAbstractItemModel, parent: QWidget, caps: tuple[int, ...] = (), stretch: tuple[int, ...] = ()
           ) -> QTableView:
    """A read-only table whose columns fit what they hold, whatever the font and the screen's scaling.

    `stretch` columns share the width left over; any other column is as wide as its widest cell (and its
    header), but no wider than `caps[column]` 汉字 when that is given (not 0): the clerk can widen it."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(False)
    capped = {column: cap for column, cap in enumerate(caps) if cap and column not in stretch}
    for column in capped:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    for column in stretch:
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(False)

    def fit() -> None:
        em = view.fontMetrics().horizontalAdvance("汉")
        for column, cap in capped.items():
            wanted = max(view.sizeHintForColumn(column), header.sectionSizeHint(column))
            header.resizeSection(column, min(wanted, cap * em))

    if capped:
        model.modelReset.connect(fit)
        model.layoutChanged.connect(fit)
        model.dataChanged.connect(fit)
        fit()
    return view


class CollectDialog(QDialog):
    def __init__(self, db: Database, round_id: int, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.round_id, self.runner = db, round_id, runner
        self.setWindowTitle(self.tr("部门填报"))
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("向各责任部门下发整改进展填报表，导入交回的回执，对未按时整改的部门催办。")))
        buttons = QHBoxLayout()
        self.send_button = QPushButton(self.tr("下发填报表…"))
        self.receive_button = QPushButton(self.tr("导入回执…"))
        self.remind_button = QPushButton(self.tr("催办…"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        for b in (self.send_button, self.receive_button, self.remind_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout.addLayout(buttons)

        status_box = QGroupBox(self.tr("各部门填报情况"))
        self.status_model = DepartmentStatusTableModel()
        self.status_view = _table(self.status_model, self, (), (0,))
        QVBoxLayout(status_box).addWidget(self.status_view)
        layout.addWidget(status_box, 3)

        conflict_box = QGroupBox(self.tr("待定的冲突（下发后办公室和部门都改过的内容）"))
        box_layout = QVBoxLayout(conflict_box)
        self.conflict_model = ConflictTableModel()
        self.conflict_view = _table(self.conflict_model, self, (0, 0, 0, 0, 0, 0, 20), (3, 4, 5))
        box_layout.addWidget(self.conflict_view)
        row = QHBoxLayout()
        self.take_department = QPushButton(self.tr("采用部门填报"))
        self.keep_office = QPushButton(self.tr("保留台账内容"))
        row.addStretch(1)
        row.addWidget(self.take_department)
        row.addWidget(self.keep_office)
        box_layout.addLayout(row)
        layout.addWidget(conflict_box, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        close.rejected.connect(self.reject)
        layout.addWidget(close)

        self.send_button.clicked.connect(self.open_send)
        self.receive_button.clicked.connect(self.open_receive)
        self.remind_button.clicked.connect(self.open_remind)
        self.refresh_button.clicked.connect(self.refresh)
        self.take_department.clicked.connect(lambda: self.resolve(DEPARTMENT))
        self.keep_office.clicked.connect(lambda: self.resolve(OFFICE))
        self.conflict_view.selectionModel().selectionChanged.connect(self._enable)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.status_model.set_rows(collection_status(self.db, self.round_id))
            self.conflict_model.set_rows(open_conflicts(self.db, self.round_id))
        except Exception as exc:
            show_error(self, exc)
        self._enable()

    def _enable(self) -> None:
        chosen = bool(self.conflict_view.selectionModel().selectedRows())
        self.take_department.setEnabled(chosen)
        self.keep_office.setEnabled(chosen)

    def resolve(self, take: str) -> None:
        rows = self.conflict_view.selectionModel().selectedRows()
        if not rows:
            return
        conflict = self.conflict_model.row_at(rows[0].row())
        try:
            resolve_conflict(self.db, conflict.id, take)
        except Exception as exc:
            show_error(self, exc, self.tr("冲突未处理"))
        self.refresh()

    def open_send(self) -> None:
        from ui.dialogs.collect_send import SendDialog

        SendDialog(self.db, self.round_id, self.runner, self).exec()
        self.refresh()

    def open_receive(self) -> None:
        from ui.dialogs.collect_receive import ReceiveDialog

        dialog = ReceiveDialog(self.db, self.round_id, self.runner, self)
        if dialog.choose_files():
            dialog.exec()
        self.refresh()

    def open_remind(self) -> None:
        from ui.dialogs.collect_remind import RemindDialog

        RemindDialog(self.db, self.round_id, self.runner, self).exec()
