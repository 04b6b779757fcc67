"""进展记录: dated notes, newest first, added with one line and a date."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QStringListModel
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLineEdit, QListView, QPushButton, QVBoxLayout, QWidget

from ui.commands import LogProgress, Undo
from ui.errors import show_error
from ui.services import measures


class ProgressPane(QWidget):
    def __init__(self, undo: Undo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo = undo
        self.problem_id: int | None = None
        self.model = QStringListModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setWordWrap(True)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("记录一条进展，按回车保存"))
        self.note.returnPressed.connect(self.add)
        add = QPushButton(self.tr("记录"))
        add.clicked.connect(self.add)
        row = QHBoxLayout()
        row.addWidget(self.date)
        row.addWidget(self.note, 1)
        row.addWidget(add)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.view)

    def show_problem(self, problem_id: int) -> None:
        self.problem_id = problem_id
        entries = measures.list_progress(self.undo.db, problem_id)
        self.model.setStringList([f"{e.entry_date:%Y-%m-%d}　{e.author}：{e.note}" for e in entries])

    def add(self) -> None:
        text = self.note.text().strip()
        if self.problem_id is None or not text:
            return
        d = self.date.date()
        try:
            self.undo.execute(LogProgress(self.undo, self.problem_id, text, dt.date(d.year(), d.month(), d.day())))
        except Exception as exc:
            show_error(self, exc)
            return
        self.note.clear()
