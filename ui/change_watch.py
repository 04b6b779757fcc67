"""Other clerks' changes appearing in an open window: every few seconds the ledger's change counter is
read off the GUI thread (`app/services/ledger_state.py`); when it moved, `changed` is emitted and the
window reloads. The program's own changes move the counter too: `sync()` after each of them keeps
them from causing a second reload. A server that cannot be reached is reported once, not every tick.
"""
from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from db.session import Database

log = logging.getLogger("xuncha.ui")
INTERVAL_MS = 3000
LOST = "与台账服务器的连接中断，正在重试；恢复之前的修改不会保存。"
BACK = "已重新连接到台账服务器。"


class ChangeWatcher(QObject):
    changed = Signal()                   # someone else changed the ledger
    trouble = Signal(str)                # the counter could not be read (in words), '' when it can again
    _read = Signal(object)               # from the worker thread: the number, or the error

    def __init__(self, db: Database, interval_ms: int = INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.last: int | None = None
        self._busy = False
        self._failing = False
        self._read.connect(self._got)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.sync()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def sync(self) -> None:
        """Take the current number as seen (after this program's own change, or a reload)."""
        try:
            self.last = self._number()
        except Exception as exc:  # reported by the next poll
            log.info("change counter not read: %s", exc)

    def _number(self) -> int:
        from app.services.ledger_state import change_number

        return change_number(self.db)

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True

        def work() -> None:
            try:
                value: object = self._number()
            except Exception as exc:
                value = exc
            try:
                self._read.emit(value)
            except RuntimeError:  # the window closed meanwhile
                pass

        threading.Thread(target=work, name="change-watch", daemon=True).start()

    @staticmethod
    def _in_words(exc: BaseException) -> str:
        """What a failed poll means for the clerk: nothing was being saved, so not a write's message."""
        from db.errors import ConnectionLost, ServerUnreachable

        if isinstance(exc, ConnectionLost | ServerUnreachable):
            return LOST
        from ui.errors import message_for

        return message_for(exc)

    def _got(self, value: object) -> None:
        self._busy = False
        if isinstance(value, BaseException):
            if not self._failing:
                self._failing = True
                self.trouble.emit(self._in_words(value))
            return
        if self._failing:
            self._failing = False
            self.trouble.emit("")
        assert isinstance(value, int)
        if self.last is not None and value != self.last:
            self.last = value
            self.changed.emit()
        self.last = value
