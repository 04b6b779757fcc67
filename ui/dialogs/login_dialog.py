"""登录: who is working. Shown before the ledger when it has accounts (always on a server ledger set up
with `server-init`); the account then signs every change and decides what the window offers."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.errors import message_for


class LoginDialog(QDialog):
    def __init__(self, db: Database, where: str, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        self.db = db
        self.account: Any = None
        self.setWindowTitle(self.tr("登录 — 巡察整改台账"))
        self.setMinimumWidth(420)
        title = QLabel(self.tr("请登录台账"))
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        place = QLabel(where)
        place.setWordWrap(True)
        place.setStyleSheet("color: #555;")
        self.name = QLineEdit(name)
        self.name.setPlaceholderText(self.tr("账户名（通常是本人姓名）"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("账户："), self.name)
        form.addRow(self.tr("密码："), self.password)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(place)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        (self.password if name else self.name).setFocus()

    def try_sign_in(self) -> None:
        from app.services import accounts

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.account = accounts.sign_in(self.db, self.name.text(), self.password.text())
        except Exception as exc:
            self.status.setText(message_for(exc))
            self.password.clear()
            self.password.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()
