"""Status, 销号 review and 延期 of one problem.

The dialog stays open through several steps (mark done, then approve or return; request, then decide
an extension): each step says what it did in a line of the dialog and the dialog shows the new state,
with the history of reviews (a 退回's 补充整改要求 included) and extensions."""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from app.ledger_rows import ProblemRow
from db.enums import Role, Status
from ui.commands import ChangeStatus, Undo
from ui.errors import message_for
from ui.services import problems, status
from ui.widgets import DateField

CHOOSABLE = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.LONG_TERM]
PENDING = "待审批"


def _when(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


class StatusDialog(QDialog):
    def __init__(self, undo: Undo, row: ProblemRow, parent: Any = None) -> None:
        super().__init__(parent)
        self.undo, self.row = undo, row
        self.setWindowTitle(self.tr("问题 %d 的状态") % row.number)
        self.resize(640, 640)
        lay = QVBoxLayout(self)
        self.current = QLabel()
        lay.addWidget(self.current)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.history)

        change = QGroupBox(self.tr("更改状态"))
        f = QFormLayout(change)
        self.choice = QComboBox()
        self.choice.addItems([s.value for s in CHOOSABLE])
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(60)
        self.apply_button = QPushButton(self.tr("更改"))
        self.apply_button.clicked.connect(self.change)
        f.addRow(self.tr("新状态"), self.choice)
        f.addRow(self.tr("无佐证材料理由"), self.reason)
        f.addRow("", self.apply_button)
        lay.addWidget(change)

        self.review_box = QGroupBox(self.tr("销号审核"))
        r = QFormLayout(self.review_box)
        self.reviewer = QLineEdit()
        self.next_review = DateField(empty_label=self.tr("未设定"))
        self.requirements = QPlainTextEdit()
        self.requirements.setMaximumHeight(60)
        self.requirements.setPlaceholderText(self.tr("退回时填写补充整改要求"))
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("审核通过（销号）"))
        self.return_button = QPushButton(self.tr("退回"))
        self.withdraw_button = QPushButton(self.tr("撤回销号申请"))
        for button, slot in ((self.approve_button, self.approve), (self.return_button, self.return_),
                             (self.withdraw_button, self.withdraw)):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.review_note = QLabel()  # why this account may not decide (the services refuse it anyway)
        self.review_note.setWordWrap(True)
        self.review_note.setStyleSheet("color: #666")
        r.addRow(self.tr("审核人"), self.reviewer)
        r.addRow(self.tr("长期坚持：下次复查"), self.next_review)
        r.addRow(self.tr("补充整改要求"), self.requirements)
        r.addRow(buttons)
        r.addRow(self.review_note)
        lay.addWidget(self.review_box)

        ext = QGroupBox(self.tr("申请延期"))
        e = QFormLayout(ext)
        self.new_deadline = DateField(empty_label=self.tr("请填写新的完成时限"))
        self.ext_reason = QLineEdit()
        self.ask_button = QPushButton(self.tr("提交延期申请"))
        self.ask_button.clicked.connect(self.request_extension)
        e.addRow(self.tr("新完成时限"), self.new_deadline)
        e.addRow(self.tr("延期理由"), self.ext_reason)
        e.addRow("", self.ask_button)
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        self.decider = QLineEdit()
        self.decider.setPlaceholderText(self.tr("审批人"))
        self.yes, self.no = QPushButton(self.tr("批准")), QPushButton(self.tr("不批准"))
        self.yes.clicked.connect(lambda: self.decide(True))
        self.no.clicked.connect(lambda: self.decide(False))
        decide = QHBoxLayout()
        for w in (self.decider, self.yes, self.no):
            decide.addWidget(w)
        e.addRow(self.pending_label)
        e.addRow(decide)
        lay.addWidget(ext)
        self.account = getattr(undo.db, "account", None)
        if self.account is not None:  # the signed-in account decides and signs; nobody types a name
            for field in (self.reviewer, self.decider):
                field.setText(self.account.name)
                field.setReadOnly(True)

        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        lay.addWidget(self.feedback)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay.addWidget(close)
        self._show_state()

    # -- state ---------------------------------------------------------------------------------------
    def _show_state(self) -> None:
        row = self.row
        extra = ""
        if row.effective_deadline and row.effective_deadline != row.deadline:
            was = self.tr("原 %s") % _when(row.deadline) if row.deadline else self.tr("原无时限")
            extra = self.tr("　完成时限：%s（%s，已批准延期）") % (_when(row.effective_deadline), was)
        elif row.deadline:
            extra = self.tr("　完成时限：%s") % _when(row.deadline)
        self.current.setText(self.tr("当前状态：<b>%s</b>") % row.status.value + extra)
        pending_review = row.status == Status.PENDING_REVIEW
        self.choice.setCurrentText(row.status.value if row.status in CHOOSABLE else Status.IN_PROGRESS.value)
        self.choice.setEnabled(not pending_review)
        self.apply_button.setEnabled(not pending_review)
        self.reason.setEnabled(not pending_review and not row.evidence_count)
        self.reason.setPlaceholderText(
            self.tr("已有 %d 份佐证材料") % row.evidence_count if row.evidence_count
            else self.tr("没有佐证材料时，标记完成须写明理由（将记入进展记录）"))
        self.review_box.setEnabled(pending_review)
        reviews = status.list_reviews(self.undo.db, row.id)
        waiting = [v for v in reviews if v.outcome == "待审核"]
        refusal = self._may_not_decide(self.tr("销号"), waiting[-1].submitted_by) if waiting else ""
        for w in (self.approve_button, self.return_button, self.reviewer, self.next_review, self.requirements):
            w.setEnabled(not refusal)
            w.setToolTip(refusal)
        self.withdraw_button.setEnabled(self._writes())
        self.review_note.setText(refusal)
        self.review_note.setVisible(bool(refusal) and pending_review)
        for w in (self.choice, self.apply_button, self.reason):
            w.setEnabled(w.isEnabled() and self._writes())

        extensions = status.list_extensions(self.undo.db, row.id)
        self.pending = [x for x in extensions if x.decision == PENDING]
        can_ask = not self.pending and not row.status.is_done and self._writes()
        for w in (self.new_deadline, self.ext_reason, self.ask_button):
            w.setEnabled(can_ask)
        self.ask_button.setToolTip(self.tr("已有一项待审批的延期申请，审批后才能再申请。") if self.pending
                                   else self.tr("已完成的问题不需要延期。") if row.status.is_done else "")
        if self.pending:
            x = self.pending[0]
            self.pending_label.setText(self.tr("待审批：延至 %s，理由：%s") % (_when(x.requested_deadline), x.reason))
        for w in (self.pending_label, self.decider, self.yes, self.no):
            w.setVisible(bool(self.pending))
        if self.pending:
            no_decision = self._may_not_decide(self.tr("延期"), self.pending[0].requested_by)
            for button in (self.yes, self.no):
                button.setEnabled(not no_decision)
                button.setToolTip(no_decision)
            if no_decision:
                self.pending_label.setText(self.pending_label.text() + "\n" + no_decision)

        lines = []
        for v in reviews:
            line = self.tr("%s 提交销号申请（%s）：%s") % (_when(v.submitted_at), v.submitted_by, v.outcome)
            if v.reviewer:
                line += self.tr("，审核人 %s（%s）") % (v.reviewer, _when(v.reviewed_at))
            if v.requirements:
                line += self.tr("<br>　补充整改要求：<b>%s</b>") % escape(v.requirements)
            lines.append(line)
        for x in extensions:
            lines.append(self.tr("延期申请：延至 %s，理由：%s（%s%s）") % (
                _when(x.requested_deadline), escape(x.reason), x.decision,
                f"，{x.decided_by}" if x.decided_by else ""))
        self.history.setText(self.tr("<b>审核与延期记录</b><br>") + "<br>".join(lines) if lines else "")
        self.history.setVisible(bool(lines))

    def _writes(self) -> bool:
        return self.account is None or self.account.role != Role.READER

    def _may_not_decide(self, what: str, submitter: str) -> str:
        """Why the signed-in account may not decide this request ('' = it may): as `db/guards.py` rules."""
        if self.account is None:
            return ""
        if self.account.role != Role.REVIEWER:
            return self.tr("只有审核人可以审核%s申请。") % what
        if submitter == self.account.name:
            return self.tr("这是您本人提交的%s申请，须由另一位审核人审核。") % what
        return ""

    def _done(self, message: str) -> None:
        """Say what happened, in the dialog, and show the new state (the window follows)."""
        self.undo.changed()
        self.row = problems.get_problem(self.undo.db, self.row.id)
        self._show_state()
        self.feedback.setStyleSheet("color: #2e7d32")
        self.feedback.setText(message)

    def _failed(self, exc: BaseException) -> None:
        self.feedback.setStyleSheet("color: #c62828")
        self.feedback.setText(message_for(exc))

    # -- steps ---------------------------------------------------------------------------------------
    def change(self) -> None:
        new = Status(self.choice.currentText())
        try:
            result = self.undo.execute(ChangeStatus(self.undo, self.row.id, new, self.reason.toPlainText()))
        except Exception as exc:
            self._failed(exc)
            return
        self.reason.clear()
        self._done(self.tr("已提交销号审核，等待审核。可按 Ctrl+Z 撤销。") if result == Status.PENDING_REVIEW
                   else self.tr("状态已改为“%s”。") % result.value)

    def approve(self) -> None:
        try:
            status.approve_review(self.undo.db, self.row.id, self.reviewer.text(), self.next_review.value())
        except Exception as exc:
            self._failed(exc)
            return
        self._done(self.tr("已审核通过，问题销号。"))

    def return_(self) -> None:
        try:
            status.return_review(self.undo.db, self.row.id, self.reviewer.text(), self.requirements.toPlainText())
        except Exception as exc:
            self._failed(exc)
            return
        self.requirements.clear()
        self._done(self.tr("已退回，问题回到“整改中”；补充整改要求已记入进展记录。"))

    def withdraw(self) -> None:
        try:
            status.withdraw_review(self.undo.db, self.row.id)
        except Exception as exc:
            self._failed(exc)
            return
        self._done(self.tr("已撤回销号申请。"))

    def request_extension(self) -> None:
        d = self.new_deadline.value()
        if d is None:
            self.feedback.setStyleSheet("color: #c62828")
            self.feedback.setText(self.tr("请先填写新的完成时限。"))
            return
        try:
            status.request_extension(self.undo.db, self.row.id, d, self.ext_reason.text())
        except Exception as exc:
            self._failed(exc)
            return
        self.ext_reason.clear()
        self.new_deadline.set_value(None)
        self._done(self.tr("延期申请已提交，待审批。"))

    def decide(self, approve: bool) -> None:
        try:
            status.decide_extension(self.undo.db, self.pending[0].id, approve, self.decider.text())
        except Exception as exc:
            self._failed(exc)
            return
        self.decider.clear()
        self._done(self.tr("已批准延期。") if approve else self.tr("已不予批准。"))
