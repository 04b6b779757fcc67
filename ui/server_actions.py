"""The menu items of several clerks on one ledger: connect to the server, switch account, manage
accounts, change one's password, move the ledger between this desk's file and the server."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox

from db.session import Database
from ui.ask import confirm_destructive
from ui.errors import show_error

TARGET_KEY = "ledger/target"  # QSettings: the ledger this machine opened last (a path or an address, no password)


def remember_target(settings: QSettings, db: Database) -> None:
    if db.is_server:
        from dataclasses import replace

        address = replace(db.address, evidence_dir=str(db.data_dir) if db.shared_folder else "")  # type: ignore[attr-defined]
        settings.setValue(TARGET_KEY, address.url)
    else:
        settings.setValue(TARGET_KEY, str(db.path))


def sign_in_if_needed(db: Database, parent: Any = None) -> bool:
    """Ask who is working when the ledger has accounts; False if the clerk cancelled."""
    from app.services.ledger_state import accounts_exist
    from ui.dialogs.login_dialog import LoginDialog

    if not accounts_exist(db):
        return True
    where = db.describe() if db.is_server else f"本机台账 {db.describe()}"
    return LoginDialog(db, where, parent).exec() == QDialog.DialogCode.Accepted


def open_window(db: Database, old: Any) -> Any:
    """A main window on `db` in place of `old` (whose ledger is closed)."""
    from ui.main_window import MainWindow

    new = MainWindow(db, runner=old.runner, settings=old.settings)
    new.resize(old.size())
    new.move(old.pos())
    remember_target(old.settings, db)
    new.show()
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(db.close)
    old_db = old.db
    old.close()
    old_db.close()
    return new


class ServerActions:
    def __init__(self, window: Any, multi: Any) -> None:
        self.w, self.multi = window, multi

    def connect(self) -> Any:
        from ui.dialogs.connect_dialog import ConnectDialog

        current = self.w.db.address if self.w.db.is_server else None
        dlg = ConnectDialog(self.w, current)
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.opened is None:
            return None
        if not sign_in_if_needed(dlg.opened, self.w):
            dlg.opened.close()
            return None
        self.w.flush_edits() if hasattr(self.w, "flush_edits") else self.w.editor.flush()
        return open_window(dlg.opened, self.w)

    def _no_accounts(self) -> bool:
        """A desk's ledger without accounts: say how to start them."""
        from app.services.ledger_state import accounts_exist

        if accounts_exist(self.w.db):
            return False
        QMessageBox.information(self.w, self.w.tr("账户"), self.w.tr(
            "此台账还没有启用账户（单机使用时可以不用账户）。\n"
            "如需多人分工，可在“设置 → 账户管理”中新建第一个管理员账户，之后每次打开台账都要登录。"))
        return True

    def switch_account(self) -> None:
        from app.services import accounts
        from ui.dialogs.login_dialog import LoginDialog

        if self._no_accounts():
            return

        previous = self.w.db.account
        self.w.editor.flush()
        accounts.sign_out(self.w.db)
        where = self.w.db.describe() if self.w.db.is_server else f"本机台账 {self.w.db.path}"
        if LoginDialog(self.w.db, where, self.w).exec() != QDialog.DialogCode.Accepted:
            self.w.db.account = previous
        self.w.undo.stack.clear()  # the history belongs to whoever made it
        self.multi.apply_role()

    def manage_accounts(self) -> None:
        from ui.dialogs.accounts_dialog import AccountsDialog

        AccountsDialog(self.w.db, self.w).exec()
        self.multi.apply_role()

    def change_my_password(self) -> None:
        from app.services import accounts

        if self._no_accounts():
            return

        old, ok = QInputDialog.getText(self.w, self.w.tr("修改我的密码"), self.w.tr("原密码："), QLineEdit.EchoMode.Password)
        if not ok:
            return
        new, ok = QInputDialog.getText(self.w, self.w.tr("修改我的密码"), self.w.tr("新密码（至少 8 位）："),
                                       QLineEdit.EchoMode.Password)
        if not ok:
            return
        try:
            accounts.change_password(self.w.db, old, new)
        except Exception as exc:
            show_error(self.w, exc)
            return
        QMessageBox.information(self.w, self.w.tr("修改我的密码"), self.w.tr("密码已修改。"))

    # -- moving the ledger -----------------------------------------------------------------------
    def move_ledger(self) -> None:
        dest = self._choose_dest()
        if dest is None:
            return
        self.w.editor.flush()
        from app.ledger_move import copy_ledger

        def job(progress: Any, _cancelled: Any) -> Any:
            return copy_ledger(self.w.db, dest, progress, note="迁移台账（窗口）")

        def done(report: Any) -> None:
            text = "\n".join(report.lines()) + "\n\n" + self.w.tr("是否改为打开迁移后的台账？")
            if confirm_destructive(self.w, self.w.tr("迁移台账"), text) and sign_in_if_needed(dest, self.w):
                open_window(dest, self.w)
            else:
                dest.close()

        def failed(exc: BaseException) -> None:
            dest.close()
            show_error(self.w, exc, self.w.tr("迁移未完成"))

        self.w.runner.run(self.w, self.w.tr("正在迁移台账"), job, done, failed)

    def _choose_dest(self) -> Database | None:
        from app.ledger_move import MoveError, is_empty, open_dest

        if self.w.db.is_server:
            target, _ = QFileDialog.getSaveFileName(self.w, self.w.tr("迁移到本机文件"), "ledger.sqlite",
                                                    "台账数据库 (*.sqlite)")
            if not target:
                return None
            try:
                return open_dest(Path(target))
            except Exception as exc:
                show_error(self.w, exc, self.w.tr("迁移未完成"))
                return None
        from ui.dialogs.connect_dialog import ConnectDialog

        dlg = ConnectDialog(self.w, reason=self.w.tr("迁移到服务器：请连接一个新建的空数据库（可请管理员用 server-init 创建）。"))
        dlg.setWindowTitle(self.w.tr("迁移台账到服务器"))
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.opened is None:
            return None
        dest = dlg.opened
        if not is_empty(dest):
            dest.close()
            show_error(self.w, MoveError(self.w.tr("所连接的服务器数据库中已有台账数据。迁移只能写入一个空的数据库，以免覆盖别人的工作。")),
                       self.w.tr("迁移未完成"))
            return None
        return dest
