"""The window's side of several clerks on one ledger: the account and its role (actions it may not use
are disabled; the services refuse them anyway), other clerks' changes appearing while the window is
open, a save that finds the problem changed by someone else, and the menu items for connecting to the
server, signing in as someone else, managing accounts and moving the ledger.

Installed on the main window by one call (`MultiUser(window)`); it only uses the window's public parts.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from db.enums import Role

# Actions a role may not use (the services refuse these changes whatever the window shows).
_CONTENT = ("new_problem", "delete_problem", "status", "attach", "import", "collect", "directory", "categories",
            "figures", "regulations", "notice", "recycle", "restore", "safety_copies", "size_limit",
            "inbox")  # the scan inbox is there to add scans to problems
_ADMIN = ("new_round", "edit_round", "delete_round", "unit", "restore", "safety_copies")
DISABLED: dict[Role, tuple[str, ...]] = {
    Role.READER: _CONTENT + _ADMIN + ("accounts", "move_ledger"),
    Role.CLERK: _ADMIN + ("accounts", "move_ledger"),
    Role.REVIEWER: _ADMIN + ("accounts", "move_ledger"),
    Role.ADMIN: (),
}


_VIEWING = ("查看", "打开", "预览", "显示")  # buttons that only show something stay usable for 只读


def ask_conflict(parent: Any, exc: Any, mine: str = "") -> bool:
    """Show who changed what, and what the clerk's own change was; True = apply mine on top of theirs,
    False = reload theirs."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(parent.tr("其他同事已修改") if parent is not None else "其他同事已修改")
    box.setText(str(exc))
    yours = f"您的修改：{mine}\n\n" if mine else ""
    box.setInformativeText(yours + "重新载入：显示对方修改后的内容，您的修改不保存。\n"
                           "保留我的修改：在对方修改的基础上，再保存您的修改。")
    reload = box.addButton("重新载入", QMessageBox.ButtonRole.RejectRole)
    mine = box.addButton("保留我的修改", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(reload)
    box.exec()
    return box.clickedButton() is mine


class _OnClose(QObject):
    """Stops the change watcher when the window closes (its ledger is closed right after)."""

    def __init__(self, stop: Any, parent: QObject) -> None:
        super().__init__(parent)
        self.stop = stop

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close:
            self.stop()
        return False


class MultiUser:
    def __init__(self, window: Any) -> None:
        self.w = window
        self.db = window.db
        self.watcher: Any = None
        self._waiting = False  # a reload waits for the clerk to leave the field being edited
        self._tabs_hooked = False
        self.base_note: str | None = None  # the window's own title note, before the account is added
        self.reading_only = False
        self.who = QLabel()
        self.who.setContentsMargins(12, 0, 4, 0)
        self.denied = QActionGroup(window)
        self.denied.setExclusionPolicy(QActionGroup.ExclusionPolicy.None_)
        window.statusBar().addPermanentWidget(self.who)
        window.undo.conflicted = lambda exc, mine: ask_conflict(window, exc, mine)
        self._add_actions()
        self.apply_role()
        if self.db.is_server:
            self._watch()
            if not getattr(self.db, "shared_folder", True):
                window.statusBar().showMessage(window.tr(
                    "此台账没有登记佐证材料共享文件夹：添加的佐证材料只保存在本机，其他同事看不到。"
                    "请在“文件 → 连接台账服务器”中填写共享文件夹。"))

    # -- menu items ----------------------------------------------------------------------------
    def _menu(self, title: str) -> QMenu | None:
        for action in self.w.menuBar().actions():
            menu = action.menu()
            if isinstance(menu, QMenu) and menu.title().replace("&", "") == title:
                return menu
        return None

    def _add(self, menu_title: str, key: str, text: str, slot: Any) -> None:
        menu = self._menu(menu_title)
        if menu is None:
            return
        action = QAction(self.w.tr(text), self.w)
        action.triggered.connect(slot)
        first = menu.actions()[0] if menu.actions() else None
        if key in ("connect",) and first is not None:
            menu.insertAction(first, action)
            menu.insertSeparator(first)
        else:
            if key == "accounts":
                menu.addSeparator()
            menu.addAction(action)
        self.w.actions.actions[key] = action

    def _add_actions(self) -> None:
        from ui.server_actions import ServerActions

        self.tools = ServerActions(self.w, self)
        self._add("文件", "connect", "连接台账服务器…", self.tools.connect)
        self._add("文件", "move_ledger", "迁移台账（本机文件 ↔ 服务器）…", self.tools.move_ledger)
        self._add("设置", "accounts", "账户管理…", self.tools.manage_accounts)
        self._add("设置", "switch_account", "切换账户…", self.tools.switch_account)
        self._add("设置", "my_password", "修改我的密码…", self.tools.change_my_password)

    # -- the account and its role ----------------------------------------------------------------
    def apply_role(self) -> None:
        account = self.db.account
        role = account.role if account is not None else None
        off = set(DISABLED.get(role, ())) if role is not None else set()
        if role is None and self.db.accounts_in_use:  # accounts exist, nobody signed in: read only
            off = set(DISABLED[Role.READER])
        # The denied actions sit in a disabled group: the window's own enabling (a round opened) cannot
        # bring them back, and leaving the group gives each its own state again.
        self.denied.setEnabled(True)
        for action in self.denied.actions():
            self.denied.removeAction(action)
        for key in off:
            if key in self.w.actions.actions:
                self.denied.addAction(self.w.actions.actions[key])
        self.denied.setEnabled(False)
        signed_in = account is not None
        self.reading_only = role == Role.READER or (role is None and bool(self.db.accounts_in_use))
        if self.reading_only:  # a dock left open by a clerk who signed in before on this machine
            self.w.inbox_dock.hide()
        self._lock_editor()
        where = self.db.describe() if self.db.is_server else ""
        self.who.setText("　".join(x for x in (
            f"账户：{account.name}（{account.role.value}）" if signed_in else "", where) if x))
        # The account goes in the title beside the round (Qt adds the program's name after it).
        if self.base_note is None:
            self.base_note = self.w.title_note
        who = f"{account.name}（{account.role.value}）" if signed_in else ""
        self.w.title_note = " — ".join(p for p in (self.base_note, who) if p)
        self.w.update_title()

    def _lock_editor(self) -> None:
        """只读: the editor's fields can be read and its tabs browsed, nothing typed or pressed that writes.
        Tabs are made when first shown, so this runs again whenever one is."""
        editor = self.w.editor
        if not self._tabs_hooked and hasattr(editor, "tabs"):
            editor.tabs.currentChanged.connect(lambda _i: self._lock_editor())
            self._tabs_hooked = True
        for w in editor.findChildren(QWidget):
            if isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit):
                w.setReadOnly(self.reading_only)
            elif isinstance(w, QComboBox | QAbstractButton | QAbstractSpinBox) and not isinstance(w, QTabBar):
                if isinstance(w, QAbstractButton) and any(k in w.text() for k in _VIEWING):
                    continue
                w.setEnabled(not self.reading_only)

    # -- other clerks' changes -------------------------------------------------------------------
    def _watch(self) -> None:
        from ui.change_watch import ChangeWatcher

        self.watcher = ChangeWatcher(self.db, parent=self.w)
        self.watcher.changed.connect(self.others_changed)
        self.watcher.trouble.connect(self._trouble)
        own = self.w.undo.changed

        def after_own_change() -> None:
            own()
            self.watcher.sync()
        self.w.undo.changed = after_own_change
        self.watcher.start()
        self._closing = _OnClose(self.watcher.stop, self.w)
        self.w.installEventFilter(self._closing)

    def _trouble(self, text: str) -> None:
        """The server out of reach (kept in the status bar until it is back), or back again."""
        from ui.change_watch import BACK

        if text:
            self.w.statusBar().showMessage(self.w.tr(text))
        else:
            self.w.statusBar().showMessage(self.w.tr(BACK), 8000)

    def editing(self) -> bool:
        focus = QApplication.focusWidget()
        return focus is not None and self.w.editor.isAncestorOf(focus)

    def others_changed(self) -> None:
        """Reload now, or as soon as the clerk leaves the field they are typing in."""
        if self.editing():
            self.w.statusBar().showMessage(self.w.tr("其他同事刚修改了台账，离开正在编辑的内容后即刷新。"), 8000)
            if not self._waiting:
                self._waiting = True
                QApplication.instance().focusChanged.connect(self._reload_when_done)  # type: ignore[union-attr]
            return
        self._reload()

    def _reload_when_done(self, _old: Any, _new: Any) -> None:
        if self._waiting and not self.editing():
            self._waiting = False
            QApplication.instance().focusChanged.disconnect(self._reload_when_done)  # type: ignore[union-attr]
            self._reload()

    def _reload(self) -> None:
        self.w.refresh()
        self.w.statusBar().showMessage(self.w.tr("已载入其他同事的修改。"), 5000)
