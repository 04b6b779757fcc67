"""Which ledger the window opens, and who is working: a desk's SQLite file (as before), or a ledger on the
office's server (`--db postgresql://…`, or the server this machine connected to last). A server that
wants a password, refuses it or cannot be reached brings up the connection dialog with the reason in
words; a ledger with accounts asks who is working before it is shown."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox

from app import paths
from app.errors import USER_ERRORS
from db.errors import ServerError
from db.session import Database, open_database
from db.target import BadAddress, is_server
from ui.server_actions import TARGET_KEY, remember_target, sign_in_if_needed

log = logging.getLogger("xuncha.ui")


def chosen_target(given: Path | str | None, settings: QSettings) -> Path | str:
    if given:
        return given
    last = str(settings.value(TARGET_KEY, "", type=str) or "")
    return last if last and is_server(last) else paths.default_db_path()


def open_for_gui(given: Path | str | None, settings: QSettings) -> Database | None:
    """The open ledger with its clerk signed in, or None (told, or cancelled)."""
    target = chosen_target(given, settings)
    try:
        db = open_database(target)
    except (ServerError, BadAddress) as exc:
        from ui.dialogs.connect_dialog import ConnectDialog

        dlg = ConnectDialog(None, str(target), reason=str(exc))
        if dlg.exec() != QDialog.DialogCode.Accepted or dlg.opened is None:
            return None
        db = dlg.opened
    except USER_ERRORS as exc:
        QMessageBox.critical(None, "巡察整改台账", str(exc))
        return None
    if not sign_in_if_needed(db):
        db.close()
        return None
    if db.is_server:
        remember_target(settings, db)
    return db
