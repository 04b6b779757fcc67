"""账户管理 (管理员): the ledger's accounts and their roles; new accounts, reset passwords, change roles,
disable an account that is no longer needed (it stays in the audit log's history)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.enums import Role
from db.session import Database
from ui.errors import attempt, show_error

ROLE_NOTES = {
    Role.ADMIN: "账户、单位信息、巡察轮次，以及台账内容",
    Role.CLERK: "问题、整改措施、进展、佐证材料；提交销号和延期",
    Role.REVIEWER: "审核销号和延期（不能审核本人提交的），也可录入",
    Role.READER: "浏览、打印、导出",
}

Index = QModelIndex | QPersistentModelIndex


class AccountTableModel(QAbstractTableModel):
    NAME, ROLE, RIGHTS, STATE = range(4)
    HEADERS = ("账户", "角色", "可以做什么", "状态")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def account_at(self, row: int) -> Any:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        a = self._rows[index.row()]
        return (a.name, a.role.value, ROLE_NOTES[a.role], "可用" if a.active else "已停用")[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None


class NewAccountDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建账户"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("通常是本人姓名"))
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(f"{role.value}（{ROLE_NOTES[role]}）", role)
        self.role.setCurrentIndex(list(Role).index(Role.CLERK))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("至少 8 位，告知本人后请其自行修改"))
        form = QFormLayout(self)
        form.addRow(self.tr("账户："), self.name)
        form.addRow(self.tr("角色："), self.role)
        form.addRow(self.tr("初始密码："), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class AccountsDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("账户管理"))
        self.resize(760, 380)
        self.model = AccountTableModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AccountTableModel.RIGHTS, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("新建账户…"), self.add), (self.tr("更改角色…"), self.change_role),
                           (self.tr("重设密码…"), self.reset_password), (self.tr("停用 / 启用"), self.toggle)):
            b = QPushButton(text)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        note = QLabel(self.tr("审核人不能审核本人提交的销号和延期申请。停用的账户不能再登录，其历史记录保留在操作日志中。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view)
        lay.addLayout(buttons)
        lay.addWidget(note)
        lay.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        from app.services import accounts

        self.model.set_rows(accounts.list_accounts(self.db))

    def _selected(self) -> Any:
        rows = self.view.selectionModel().selectedRows()
        return self.model.account_at(rows[0].row()) if rows else None

    def add(self) -> None:
        from app.services import accounts

        first = self.model.rowCount() == 0
        dlg = NewAccountDialog(self)
        if first:  # the first account starts the accounts of this ledger: it must be a 管理员
            dlg.role.setCurrentIndex(list(Role).index(Role.ADMIN))
            dlg.role.setEnabled(False)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            row = accounts.create_account(self.db, dlg.name.text(), dlg.role.currentData(), dlg.password.text())
            if first:  # whoever made it is working as it now (every change needs an account from here on)
                accounts.sign_in(self.db, row.name, dlg.password.text())
                QMessageBox.information(self, self.tr("账户管理"), self.tr(
                    "已启用账户，您已作为管理员“%s”登录。以后打开此台账时需要登录。") % row.name)
        except Exception as exc:
            show_error(self, exc)
        self.refresh()

    def change_role(self) -> None:
        from app.services import accounts

        a = self._selected()
        if a is None:
            return
        names = [r.value for r in Role]
        chosen, ok = QInputDialog.getItem(self, self.tr("更改角色"), self.tr("“%s”的角色：") % a.name, names,
                                          names.index(a.role.value), False)
        if ok:
            attempt(self, lambda: accounts.set_role(self.db, a.id, Role(chosen)))
            self.refresh()

    def reset_password(self) -> None:
        from app.services import accounts

        a = self._selected()
        if a is None:
            return
        password, ok = QInputDialog.getText(self, self.tr("重设密码"), self.tr("“%s”的新密码（至少 8 位）：") % a.name,
                                            QLineEdit.EchoMode.Password)
        if ok:
            attempt(self, lambda: accounts.reset_password(self.db, a.id, password))

    def toggle(self) -> None:
        from app.services import accounts

        a = self._selected()
        if a is None:
            return
        attempt(self, lambda: accounts.set_active(self.db, a.id, not a.active))
        self.refresh()
