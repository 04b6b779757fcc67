"""Small reusable input widgets."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)


class DateField(QWidget):
    """A date that may be empty: a checkbox to set one, and a calendar picker."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, empty_label: str = "设定") -> None:
        super().__init__(parent)
        self.check = QCheckBox(empty_label)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy年M月d日")
        self.edit.setDate(QDate.currentDate())
        self.edit.setEnabled(False)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.check)
        lay.addWidget(self.edit, 1)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.toggled.connect(lambda _on: self.edited.emit())
        self.edit.editingFinished.connect(self.edited.emit)
        self.edit.calendarWidget().clicked.connect(lambda _d: self.edited.emit())

    def value(self) -> dt.date | None:
        if not self.check.isChecked():
            return None
        d = self.edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def set_value(self, value: dt.date | None) -> None:
        self.blockSignals(True)
        self.check.blockSignals(True)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.check.blockSignals(False)
        if value is not None:
            self.edit.setDate(QDate(value.year, value.month, value.day))
        self.blockSignals(False)


class AutoSaveText(QPlainTextEdit):
    """Multi-line text that reports `committed` when the user pauses or leaves the field.

    Saving as the user types (after a second's pause) means nothing typed is lost
    if the window is closed or the machine goes down.
    """

    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.committed.emit)
        self.textChanged.connect(self._changed)
        self._loading = False

    def set_text(self, text: str) -> None:
        self._loading = True
        self.setPlainText(text)
        self._loading = False
        self._timer.stop()

    def _changed(self) -> None:
        if not self._loading:
            self._timer.start()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.committed.emit()

    def focusOutEvent(self, event: object) -> None:  # type: ignore[override]
        self.flush()
        super().focusOutEvent(event)  # type: ignore[arg-type]



def add_buttons(layout: QBoxLayout, buttons: Iterable[tuple[str, Callable[[], object]]], stretch: bool = True) -> None:
    """A row (or column) of push buttons, each calling its slot; a stretch keeps them together."""
    for label, slot in buttons:
        button = QPushButton(label)
        button.clicked.connect(slot)
        layout.addWidget(button)
    if stretch:
        layout.addStretch(1)
