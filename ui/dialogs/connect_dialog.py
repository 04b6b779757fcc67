"""连接台账服务器: the server, the database, the database user and its password (kept in the system's
keyring when the clerk asks, never in a file), and the shared folder evidence files live in.

The dialog tries the connection itself (off the GUI thread's way only for a few seconds: a wrong
address fails within the connect timeout) and stays open with the reason in words until it works
or the clerk cancels. `opened` holds the open ledger afterwards.
"""
from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from db.secrets import keyring_usable
from db.target import DEFAULT_PORT, BadAddress, ServerAddress, parse_server
from ui.errors import message_for

log = logging.getLogger("xuncha.ui")


class ConnectDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, address: ServerAddress | str | None = None,
                 reason: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("连接台账服务器"))
        self.setMinimumWidth(520)
        self.opened: Any = None
        a = _address(address)
        self.host = QLineEdit(a.host if a else "")
        self.host.setPlaceholderText(self.tr("服务器名称或 IP 地址，如 192.168.1.10"))
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(a.port if a else DEFAULT_PORT)
        self.database = QLineEdit(a.database if a else "ledger")
        self.user = QLineEdit(a.user if a else "")
        self.user.setPlaceholderText(self.tr("数据库用户名（由管理员告知）"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("已保存在本机密钥环中时可不填"))
        self.remember = QCheckBox(self.tr("在本机的系统密钥环中记住密码"))
        self.remember.setChecked(True)
        if not keyring_usable():  # said before the clerk relies on it, not found out at the next start
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.remember.setText(self.tr("本机没有可用的系统密钥环：每次打开都要输入密码"))
            self.password.setPlaceholderText(self.tr("请输入密码"))
        self.folder = QLineEdit(a.evidence_dir if a else "")
        self.folder.setPlaceholderText(self.tr("可不填：按台账中登记的共享文件夹"))
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        form = QFormLayout()
        form.addRow(self.tr("服务器："), self.host)
        form.addRow(self.tr("端口："), self.port)
        form.addRow(self.tr("数据库："), self.database)
        form.addRow(self.tr("用户名："), self.user)
        form.addRow(self.tr("密码："), self.password)
        form.addRow("", self.remember)
        form.addRow(self.tr("佐证材料共享文件夹："), folder_row)
        self.status = QLabel(reason)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020;")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(self.tr("多位同事共用一个台账时，各自的程序连接办公室的同一台服务器。"
                              "密码只保存在本机的系统密钥环中，不写入任何文件。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("连接"))
        buttons.accepted.connect(self.try_connect)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(hint)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        (self.password if a and a.host and a.user else self.host).setFocus()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择佐证材料共享文件夹"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def address(self) -> ServerAddress:
        host, user, database = self.host.text().strip(), self.user.text().strip(), self.database.text().strip()
        if not host:
            raise BadAddress("请填写服务器名称或 IP 地址。")
        if not database:
            raise BadAddress("请填写数据库名称。")
        if not user:
            raise BadAddress("请填写数据库用户名。")
        return ServerAddress(host, database, user, self.port.value(), self.folder.text().strip())

    def try_connect(self) -> None:
        from db.secrets import keep_password
        from db.server import ServerDatabase

        try:
            address = self.address()
        except BadAddress as exc:
            self.status.setText(str(exc))
            return
        password = self.password.text() or None
        self.status.setText(self.tr("正在连接……"))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.opened = ServerDatabase(address, password=password).open()
        except Exception as exc:
            self.status.setText(message_for(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        if password and self.remember.isChecked() and not keep_password(address, password):
            log.info("the keyring did not keep the password: it is asked at the next start")
            QMessageBox.information(self, self.tr("连接台账服务器"), self.tr(
                "已连接。但系统密钥环没有记住密码（可能尚未解锁），下次打开台账时还需要输入密码。"))
        self.accept()


def _address(address: ServerAddress | str | None) -> ServerAddress | None:
    if address is None or isinstance(address, ServerAddress):
        return address
    try:
        return parse_server(address)
    except BadAddress:
        return None

