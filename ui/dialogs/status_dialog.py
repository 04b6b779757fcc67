"""Status, 销号 review and 延期 of one problem."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.ledger_rows import ProblemRow
from db.enums import Status
from ui.commands import ChangeStatus, Undo
from ui.errors import show_error
from ui.services import status
from ui.widgets import DateField, add_buttons

CHOOSABLE = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.LONG_TERM]


class StatusDialog(QDialog):
    def __init__(self, undo: Undo, row: ProblemRow, parent: Any = None) -> None:
        super().__init__(parent)
        self.undo, self.row = undo, row
        self.setWindowTitle(self.tr("问题 %d 的状态") % row.number)
        self.resize(560, 480)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("当前状态：<b>%s</b>") % row.status.value))

        change = QGroupBox(self.tr("更改状态"))
        f = QFormLayout(change)
        self.choice = QComboBox()
        self.choice.addItems([s.value for s in CHOOSABLE])
        self.choice.setCurrentText(row.status.value if row.status in CHOOSABLE else Status.IN_PROGRESS.value)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("没有佐证材料时，标记完成须写明理由（将记入进展记录）"))
        self.reason.setMaximumHeight(70)
        apply = QPushButton(self.tr("更改"))
        apply.clicked.connect(self.change)
        f.addRow(self.tr("新状态"), self.choice)
        f.addRow(self.tr("无佐证材料理由"), self.reason)
        f.addRow("", apply)
        if row.evidence_count:
            self.reason.setEnabled(False)
            self.reason.setPlaceholderText(self.tr("已有 %d 份佐证材料") % row.evidence_count)
        lay.addWidget(change)

        review = QGroupBox(self.tr("销号审核"))
        r = QFormLayout(review)
        self.reviewer = QLineEdit()
        self.next_review = DateField(empty_label=self.tr("设定"))
        self.requirements = QPlainTextEdit()
        self.requirements.setMaximumHeight(70)
        self.requirements.setPlaceholderText(self.tr("退回时填写补充整改要求"))
        buttons = QHBoxLayout()
        add_buttons(buttons, ((self.tr("审核通过（销号）"), self.approve), (self.tr("退回"), self.return_),
                            (self.tr("撤回销号申请"), self.withdraw)), stretch=False)
        r.addRow(self.tr("审核人"), self.reviewer)
        r.addRow(self.tr("长期坚持：下次复查"), self.next_review)
        r.addRow(self.tr("补充整改要求"), self.requirements)
        r.addRow(buttons)
        review.setEnabled(row.status == Status.PENDING_REVIEW)
        lay.addWidget(review)

        ext = QGroupBox(self.tr("申请延期"))
        e = QFormLayout(ext)
        self.new_deadline = DateField(empty_label=self.tr("新时限"))
        self.ext_reason = QLineEdit()
        ask = QPushButton(self.tr("提交延期申请"))
        ask.clicked.connect(self.request_extension)
        e.addRow(self.tr("新完成时限"), self.new_deadline)
        e.addRow(self.tr("延期理由"), self.ext_reason)
        e.addRow("", ask)
        self.pending = [x for x in status.list_extensions(undo.db, row.id) if x.decision == "待审批"]
        if self.pending:
            x = self.pending[0]
            e.addRow(QLabel(self.tr("待审批：延至 %s，理由：%s") % (x.requested_deadline, x.reason)))
            decide = QHBoxLayout()
            self.decider = QLineEdit()
            self.decider.setPlaceholderText(self.tr("审批人"))
            yes, no = QPushButton(self.tr("批准")), QPushButton(self.tr("不批准"))
            yes.clicked.connect(lambda: self.decide(True))
            no.clicked.connect(lambda: self.decide(False))
            for w in (self.decider, yes, no):
                decide.addWidget(w)
            e.addRow(decide)
        lay.addWidget(ext)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay.addWidget(close)

    def _done(self, message: str) -> None:
        self.undo.changed()
        QMessageBox.information(self, self.windowTitle(), message)
        self.accept()

    def change(self) -> None:
        new = Status(self.choice.currentText())
        try:
            result = self.undo.execute(ChangeStatus(self.undo, self.row.id, self.row.status, new,
                                                    self.reason.toPlainText()))
        except Exception as exc:
            show_error(self, exc, self.tr("不能更改状态"))
            return
        self._done(self.tr("已提交销号审核，等待审核。") if result == Status.PENDING_REVIEW
                   else self.tr("状态已改为“%s”。") % result.value)

    def approve(self) -> None:
        try:
            status.approve_review(self.undo.db, self.row.id, self.reviewer.text(), self.next_review.value())
        except Exception as exc:
            show_error(self, exc)
            return
        self._done(self.tr("已审核通过，问题销号。"))

    def return_(self) -> None:
        try:
            status.return_review(self.undo.db, self.row.id, self.reviewer.text(), self.requirements.toPlainText())
        except Exception as exc:
            show_error(self, exc)
            return
        self._done(self.tr("已退回，问题回到“整改中”。"))

    def withdraw(self) -> None:
        try:
            status.withdraw_review(self.undo.db, self.row.id)
        except Exception as exc:
            show_error(self, exc)
            return
        self._done(self.tr("已撤回销号申请。"))

    def request_extension(self) -> None:
        d = self.new_deadline.value()
        try:
            if d is None:
                raise ValueError(self.tr("请先设定新的完成时限。"))
            status.request_extension(self.undo.db, self.row.id, d, self.ext_reason.text())
        except Exception as exc:
            if isinstance(exc, ValueError):
                QMessageBox.warning(self, self.windowTitle(), str(exc))
            else:
                show_error(self, exc)
            return
        self._done(self.tr("延期申请已提交。"))

    def decide(self, approve: bool) -> None:
        try:
            status.decide_extension(self.undo.db, self.pending[0].id, approve, self.decider.text())
        except Exception as exc:
            show_error(self, exc)
            return
        self._done(self.tr("已批准延期。") if approve else self.tr("已不予批准。"))
