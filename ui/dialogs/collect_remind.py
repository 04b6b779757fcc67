"""催办: 催办通知 for the departments with red or overdue items, and who has not returned the last 填报表.

The 成文日期 starts empty: the clerk picks it (it is never silently today)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.collect.remind import RemindResult, write_reminders
from app.collect.status import not_returned
from db.session import Database
from ui import file_dialogs
from ui.errors import show_error
from ui.services import rounds
from ui.workers import TaskRunner

UNSET = QDate(2000, 1, 1)


class RemindDialog(QDialog):
    def __init__(self, db: Database, round_id: int, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.round_id, self.runner = db, round_id, runner
        self.result_: RemindResult | None = None
        self.setWindowTitle(self.tr("催办"))
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("为有红色预警或逾期事项的部门各生成一份催办通知（Word 和 PDF，公文格式）。")))
        form = QFormLayout()
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy年M月d日")
        self.date.setMinimumDate(UNSET)
        self.date.setSpecialValueText(self.tr("请选择成文日期"))
        self.date.setDate(UNSET)
        form.addRow(self.tr("成文日期："), self.date)
        unit = rounds.get_unit(db, rounds.get_round(db, round_id).unit_id)
        self.signature = QLineEdit(unit.signature or unit.name)
        form.addRow(self.tr("署名："), self.signature)
        self.docx = QCheckBox("Word（.docx）")
        self.pdf = QCheckBox("PDF")
        self.docx.setChecked(True)
        self.pdf.setChecked(True)
        form.addRow(self.tr("格式："), self.docx)
        form.addRow("", self.pdf)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("自上次下发以来尚未交回填报表的部门：")))
        self.outstanding = QPlainTextEdit()
        self.outstanding.setReadOnly(True)
        layout.addWidget(self.outstanding, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        self.write_button = self.buttons.addButton(self.tr("生成催办通知…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        try:
            rows = not_returned(db, round_id)
        except Exception as exc:
            show_error(self, exc)
            rows = []
        self.outstanding.setPlainText("\n".join(
            self.tr("%s（%s 下发，%d 项，其中红色/逾期 %d 项）") % (r.department, f"{r.sent_at:%Y-%m-%d}", r.problems, r.urgent)
            for r in rows if r.sent_at) or self.tr("没有：已下发的部门都已交回。"))

    def chosen_date(self) -> dt.date | None:
        d = self.date.date()
        return None if d == UNSET else dt.date(d.year(), d.month(), d.day())

    def write(self) -> None:
        sign_date = self.chosen_date()
        if sign_date is None:
            QMessageBox.information(self, self.tr("催办"), self.tr("请先选择催办通知的成文日期。"))
            return
        formats = tuple(f for f, box in (("docx", self.docx), ("pdf", self.pdf)) if box.isChecked())
        if not formats:
            QMessageBox.information(self, self.tr("催办"), self.tr("请至少选择一种格式。"))
            return
        folder = file_dialogs.folder(self, file_dialogs.settings_for(self), self.tr("选择保存催办通知的文件夹"))
        if folder is None:
            return
        signature = self.signature.text().strip()

        def job(progress: Any, _cancelled: Any) -> RemindResult:
            return write_reminders(self.db, self.round_id, Path(folder), sign_date, signature=signature,
                                   formats=formats, progress=progress)

        self.runner.run(self, self.tr("正在生成催办通知"), job, self._done,
                        lambda exc: show_error(self, exc, self.tr("未生成催办通知")))

    def _done(self, result: RemindResult) -> None:
        self.result_ = result
        if not result.reminders:
            QMessageBox.information(self, self.tr("催办"), self.tr("没有红色预警或逾期的事项，未生成催办通知。"))
            return
        lines = [self.tr("%s：%d 项") % (r.department, len(r.items)) for r in result.reminders]
        QMessageBox.information(self, self.tr("催办"), self.tr("已生成催办通知：\n%s\n\n共 %d 个文件。")
                                % ("\n".join(lines), len(result.files)))
        self.accept()
