"""下发填报表: choose the departments, the form (files or one zip) and the protection, then write."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.collect.send import SendResult, round_departments, send_round
from db.session import Database
from ui import file_dialogs
from ui.errors import show_error
from ui.workers import TaskRunner


class SendDialog(QDialog):
    def __init__(self, db: Database, round_id: int, runner: TaskRunner, parent: QWidget | None = None) -> None:
        from app import local_settings

        super().__init__(parent)
        self.db, self.round_id, self.runner = db, round_id, runner
        self.result_: SendResult | None = None
        self.setWindowTitle(self.tr("下发填报表"))
        self.resize(520, 520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("每个责任部门一个工作簿，只列出该部门负责的问题（一个问题有几个责任部门，就发给每个部门）。")))
        self.departments = QStandardItemModel(self)
        self.list = QListView(self)
        self.list.setModel(self.departments)
        layout.addWidget(self.list, 1)
        self.empty_hint = QLabel()             # why the list is empty, and what to do about it
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #c62828")
        self.empty_hint.hide()
        layout.addWidget(self.empty_hint)
        form = QFormLayout()
        self.as_files = QRadioButton(self.tr("每个部门一个文件（保存到文件夹）"))
        self.as_zip = QRadioButton(self.tr("全部放在一个 zip 压缩包中"))
        self.as_files.setChecked(True)
        form.addRow(self.tr("保存方式："), self.as_files)
        form.addRow("", self.as_zip)
        self.password = QLineEdit(str(local_settings.load(db.data_dir)["collect_password"] or ""))
        self.password.setPlaceholderText(self.tr("不填：锁定列受保护但不设密码"))
        form.addRow(self.tr("工作表保护密码："), self.password)
        self.remember = QCheckBox(self.tr("保存为本机默认密码"))
        form.addRow("", self.remember)
        self.include_done = QCheckBox(self.tr("也列出已完成的问题"))
        self.include_done.toggled.connect(self.load)
        form.addRow("", self.include_done)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.send_button = self.buttons.addButton(self.tr("下发…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.load()

    def load(self) -> None:
        self.departments.clear()
        try:
            rows = round_departments(self.db, self.round_id, self.include_done.isChecked())
        except Exception as exc:
            show_error(self, exc)
            rows = []
        for name, count in rows:
            item = QStandardItem(self.tr("%s（%d 项）") % (name, count))
            item.setData(name, Qt.ItemDataRole.UserRole)
            item.setCheckable(True)
            item.setCheckState(Qt.CheckState.Checked)
            item.setEditable(False)
            self.departments.appendRow(item)
        self.send_button.setEnabled(bool(rows))
        self.empty_hint.setVisible(not rows)
        if not rows:
            self.empty_hint.setText(self._why_empty())

    def _why_empty(self) -> str:
        if not self.include_done.isChecked():
            try:
                done_only = bool(round_departments(self.db, self.round_id, True))
            except Exception:
                done_only = False
            if done_only:
                return self.tr("各责任部门的问题都已完成，所以没有列出部门。如仍要下发，请勾选下面的“也列出已完成的问题”。")
        return self.tr("本轮还没有填写了“责任部门”的问题：请先在问题的“基本信息”中填写责任部门，再下发填报表。")

    def chosen(self) -> list[str]:
        return [str(self.departments.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.departments.rowCount())
                if self.departments.item(i).checkState() == Qt.CheckState.Checked]

    def choose_target(self) -> Path | None:
        if self.as_zip.isChecked():
            return file_dialogs.save_file(self, file_dialogs.settings_for(self), self.tr("保存填报表压缩包"),
                                          "整改进展填报表.zip", self.tr("压缩包 (*.zip)"))
        return file_dialogs.folder(self, file_dialogs.settings_for(self), self.tr("选择保存填报表的文件夹"))

    def send(self) -> None:
        departments = self.chosen()
        if not departments:
            QMessageBox.information(self, self.tr("下发填报表"), self.tr("请至少选择一个部门。"))
            return
        target = self.choose_target()
        if target is None:
            return
        as_zip, password, done = self.as_zip.isChecked(), self.password.text().strip(), self.include_done.isChecked()
        if self.remember.isChecked():
            from app import local_settings

            try:
                local_settings.set_value(self.db.data_dir, "collect_password", password)
            except Exception as exc:
                show_error(self, exc, self.tr("密码未保存"))
        self.send_button.setEnabled(False)

        def job(progress: Any, cancelled: Any) -> SendResult:
            return send_round(self.db, self.round_id, target, departments=departments, as_zip=as_zip,
                              password=password, include_done=done, progress=progress, cancelled=cancelled)

        self.runner.run(self, self.tr("正在生成填报表"), job, self._done, self._failed)

    def _done(self, result: SendResult) -> None:
        self.result_ = result
        lines = [self.tr("%s：%d 项") % (f.department, f.problems) for f in result.files]
        QMessageBox.information(self, self.tr("下发填报表"), self.tr("已生成 %d 个部门的填报表：\n%s\n\n保存在：%s")
                                % (len(result.files), "\n".join(lines), result.target))
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.send_button.setEnabled(True)
        show_error(self, exc, self.tr("未下发"))
