"""整改措施 of a problem: a table with add, edit, delete and reorder, each undoable."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.enums import Status
from ui.ask import confirm_destructive
from ui.commands import AddMeasure, DeleteMeasure, EditMeasure, MoveMeasure, Undo
from ui.errors import show_error
from ui.models.base import RowTableModel
from ui.services import measures
from ui.widgets import DateField, add_buttons

if TYPE_CHECKING:  # the rows are only named here; they load with the services
    from app.dto import MeasureRow

Index = QModelIndex | QPersistentModelIndex
MEASURE_STATUSES = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.LONG_TERM]


class MeasureTableModel(RowTableModel["MeasureRow"]):
    HEADERS = ("序号", "整改措施", "负责人", "完成时限", "状态", "完成日期")

    def measure_at(self, row: int) -> MeasureRow:
        return self.row_at(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        m = self._rows[index.row()]
        values = (str(m.number), m.text, m.owner, f"{m.deadline:%Y-%m-%d}" if m.deadline else "",
                  m.status.value, f"{m.completed_on:%Y-%m-%d}" if m.completed_on else "")
        return values[index.column()]


class MeasureDialog(QDialog):
    def __init__(self, parent: QWidget | None, row: MeasureRow | None = None,
                 default_deadline: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("编辑整改措施") if row else self.tr("添加整改措施"))
        self.resize(520, 260)
        form = QFormLayout(self)
        self.text = QPlainTextEdit(row.text if row else "")
        self.owner = QLineEdit(row.owner if row else "")
        self.deadline = DateField(empty_label=self.tr("无时限"))
        self.deadline.set_value(row.deadline if row else None)
        self.deadline.set_default(default_deadline)
        self.status = QComboBox()
        self.status.addItems([s.value for s in MEASURE_STATUSES])
        self.status.setCurrentText((row.status if row else Status.NOT_STARTED).value)
        form.addRow(self.tr("措施内容"), self.text)
        form.addRow(self.tr("负责人"), self.owner)
        form.addRow(self.tr("完成时限"), self.deadline)
        form.addRow(self.tr("状态"), self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return dict(text=self.text.toPlainText().strip(), owner=self.owner.text().strip(),
                    deadline=self.deadline.value(), status=Status(self.status.currentText()))


class MeasuresPane(QWidget):
    def __init__(self, undo: Undo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo = undo
        self.problem_id: int | None = None
        self.default_deadline: dt.date | None = None  # the calendar's first date: the round's 集中整改期截止
        self.model = MeasureTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(lambda _i: self.edit_selected())
        buttons = QHBoxLayout()
        add_buttons(buttons, ((self.tr("添加"), self.add), (self.tr("编辑"), self.edit_selected),
                            (self.tr("删除"), self.delete_selected), (self.tr("上移"), lambda: self.shift(-1)),
                            (self.tr("下移"), lambda: self.shift(1))))
        lay = QVBoxLayout(self)
        lay.addWidget(self.view)
        lay.addLayout(buttons)

    def show_problem(self, problem_id: int) -> None:
        self.problem_id = problem_id
        self.model.set_rows(measures.list_measures(self.undo.db, problem_id))
        self.view.resizeColumnToContents(0)

    def _selected(self) -> MeasureRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.measure_at(rows[0].row()) if rows else None

    def add(self) -> None:
        if self.problem_id is None:
            return
        dlg = MeasureDialog(self, default_deadline=self.default_deadline)
        if dlg.exec():
            v = dlg.values()
            try:
                self.undo.execute(AddMeasure(self.undo, self.problem_id, v.pop("text"), **v))
            except Exception as exc:
                show_error(self, exc)

    def edit_selected(self) -> None:
        m = self._selected()
        if m is None:
            return
        dlg = MeasureDialog(self, m, self.default_deadline)
        if dlg.exec():
            new = dlg.values()
            old = dict(text=m.text, owner=m.owner, deadline=m.deadline, status=m.status)
            changed = {k: v for k, v in new.items() if v != old[k]}
            if changed:
                try:
                    self.undo.execute(EditMeasure(self.undo, m.id, {k: old[k] for k in changed}, changed,
                                                  version=m.version))
                except Exception as exc:
                    show_error(self, exc)

    def delete_selected(self) -> None:
        m = self._selected()
        if m is None:
            return
        if confirm_destructive(self, self.tr("删除整改措施"), self.tr("删除措施“%s”？（可撤销）") % m.text[:30]):
            try:
                self.undo.execute(DeleteMeasure(self.undo, m.id))
            except Exception as exc:
                show_error(self, exc)

    def shift(self, step: int) -> None:
        m = self._selected()
        if m is None:
            return
        new = m.number - 1 + step
        if 0 <= new < self.model.rowCount():
            try:
                self.undo.execute(MoveMeasure(self.undo, m.id, m.number - 1, new))
            except Exception as exc:
                show_error(self, exc)
                return
            self.view.selectRow(new)
