"""Small reusable input widgets."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolTip,
    QWidget,
)

from app.numerals import parse_date

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCalendarWidget

DATE_HINT = "可直接输入日期，如 2024-06-30、2024年6月30日、2024.6.30 或 20240630；也可点“日历”选择；清空即不设日期。"


def date_text(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


class DateField(QWidget):
    """A date that may be empty: typed in any of the usual ways, or picked from a calendar.

    `edited` is emitted when the clerk changes the value (never by `set_value`). Text that is not a
    date is refused with a message and the value stays as it was. The calendar opens on the value,
    else on `set_default` (e.g. the round's 集中整改期截止), else on today.
    """

    edited = Signal()

    def __init__(self, parent: QWidget | None = None, empty_label: str = "未设定") -> None:
        super().__init__(parent)
        self._value: dt.date | None = None
        self._default: dt.date | None = None
        self.line = QLineEdit()
        self.line.setPlaceholderText(empty_label)
        self.line.setToolTip(DATE_HINT)
        self.line.setClearButtonEnabled(True)
        room = self.line.fontMetrics().horizontalAdvance
        self.line.setMinimumWidth(max(room("2024年12月31日"), room(empty_label)) + 44)
        self.line.setMaximumWidth(max(room("2024年12月31日"), room(empty_label)) * 2 + 44)
        self.button = QPushButton(self.tr("日历"))
        self.button.setToolTip(self.tr("从日历选择"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the date to the next field
        self._calendar: QCalendarWidget | None = None  # made when first opened: the editor starts without it
        menu = QMenu(self.button)
        menu.aboutToShow.connect(self._open_calendar)
        self.button.setMenu(menu)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.line)
        lay.addWidget(self.button)
        lay.addStretch(1)
        self.line.editingFinished.connect(self._typed)
        self.line.textEdited.connect(lambda _t: self._mark(""))

    def value(self) -> dt.date | None:
        return self._value

    def set_value(self, value: dt.date | None) -> None:
        self._value = value
        self.line.setText(date_text(value) if value else "")
        self._mark("")

    def flush(self) -> None:
        """Take text still being typed (before the problem shown changes)."""
        if self.line.text().strip() != (date_text(self._value) if self._value else ""):
            self._typed()

    def set_default(self, value: dt.date | None) -> None:
        """The date the calendar opens on while the field is empty."""
        self._default = value

    @property
    def calendar(self) -> QCalendarWidget:
        if self._calendar is None:
            from PySide6.QtWidgets import QCalendarWidget, QWidgetAction

            menu = self.button.menu()
            assert menu is not None
            calendar = QCalendarWidget()
            calendar.setGridVisible(True)
            holder = QWidgetAction(menu)
            holder.setDefaultWidget(calendar)
            menu.addAction(holder)
            calendar.clicked.connect(self._picked)
            calendar.activated.connect(self._picked)
            self._calendar = calendar
        return self._calendar

    def _open_calendar(self) -> None:
        d = self._value or self._default or dt.date.today()
        self.calendar.setSelectedDate(QDate(d.year, d.month, d.day))

    def _picked(self, qdate: QDate) -> None:
        menu = self.button.menu()
        if menu is not None:
            menu.hide()
        self._set(dt.date(qdate.year(), qdate.month(), qdate.day()))

    def _typed(self) -> None:
        text = self.line.text().strip()
        try:
            parsed = parse_date(text)
        except ValueError:
            parsed = None
        if text and parsed is None:
            self._mark(self.tr("“%s”不是有效的日期，未保存。") % text + "\n" + DATE_HINT)
            self.line.setText(date_text(self._value) if self._value else "")
            return
        self._set(parsed)

    def _set(self, value: dt.date | None) -> None:
        self.line.setText(date_text(value) if value else "")
        self._mark("")
        if value != self._value:
            self._value = value
            self.edited.emit()

    def _mark(self, error: str) -> None:
        """Show (or clear) what was wrong with the text typed."""
        self.line.setStyleSheet("QLineEdit { border: 1px solid #c62828; }" if error else "")
        self.line.setToolTip(error or DATE_HINT)
        if error:
            QToolTip.showText(self.line.mapToGlobal(self.line.rect().bottomLeft()), error, self.line)


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
