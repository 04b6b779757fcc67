"""Questions the window asks: a destructive step (the safe answer 否 is the default), the clerk's name."""
from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from app import local_settings
from db.session import Database
from ui.errors import show_error

_YES, _NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def confirm_destructive(parent: QWidget | None, title: str, text: str) -> bool:
    """是/否 with 否 as the default button: Enter or Esc never deletes anything."""
    return QMessageBox.question(parent, title, text, _YES | _NO, _NO) == _YES


def ask_clerk_name(db: Database, parent: QWidget | None) -> bool:
    """Ask the clerk's name and keep it in the program's settings (settings.json beside the ledger); it
    signs progress notes, 销号 requests and the audit log. True if a name was kept."""
    current = local_settings.clerk_name(db.data_dir)
    while True:
        name, ok = QInputDialog.getText(
            parent, parent.tr("您的姓名") if parent else "您的姓名",
            "请填写您的姓名。进展记录、销号申请和操作日志将以此署名\n（保存在本机的程序设置中，可在“设置 → 我的姓名”中修改）：",
            QLineEdit.EchoMode.Normal, current)
        if not ok:
            return False
        try:
            db.clerk = local_settings.set_clerk_name(db.data_dir, name)
        except Exception as exc:  # a blank or overlong name: say so and ask again
            show_error(parent, exc, "姓名未保存")
            continue
        return True


def load_clerk_name(db: Database) -> str:
    """The kept name, set on the database so that it signs what is written from now on."""
    db.clerk = local_settings.clerk_name(db.data_dir)
    return db.clerk
