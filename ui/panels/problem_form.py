"""The problem's own fields: saved the moment the user leaves a field, each save undoable."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.ledger_rows import ProblemRow
from ui.commands import EditProblem, Undo
from ui.errors import show_error
from ui.services import registry
from ui.widgets import AutoSaveText, DateField

LABELS = {
    "text": "问题内容", "title": "简称", "leaders": "责任领导", "departments": "责任部门", "persons": "责任人",
    "deadline": "完成时限", "long_term": "长期坚持", "immediate": "立行立改", "sensitive": "含人名（敏感）",
    "progress_line": "整改进程", "narrative": "整改情况", "internal_notes": "内部备注",
}


class ProblemForm(QWidget):
    """Basic fields. `status_requested` asks the window to open the status dialog."""

    status_requested = Signal()

    def __init__(self, undo: Undo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo = undo
        self.row: ProblemRow | None = None
        form = QFormLayout(self)
        self.number = QLabel()
        form.addRow(self.tr("序号与分类"), self.number)
        self.text = AutoSaveText()
        self.text.setMinimumHeight(60)
        self.text.setMaximumHeight(110)
        self.text.setTabChangesFocus(True)
        form.addRow(self.tr("问题内容"), self.text)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("可选，如“关于……的问题”"))
        form.addRow(self.tr("简称"), self.title_edit)
        self.leaders = self._names_combo()
        self.departments = self._names_combo()
        self.persons = self._names_combo()
        form.addRow(self.tr("责任领导"), self.leaders)
        form.addRow(self.tr("责任部门"), self.departments)
        form.addRow(self.tr("责任人"), self.persons)
        self.deadline = DateField(empty_label=self.tr("有时限"))
        form.addRow(self.tr("完成时限"), self.deadline)
        flags = QHBoxLayout()
        self.long_term = QCheckBox(self.tr("长期坚持"))
        self.immediate = QCheckBox(self.tr("立行立改"))
        self.sensitive = QCheckBox(self.tr("含人名（公开版须脱敏）"))
        for box in (self.long_term, self.immediate, self.sensitive):
            flags.addWidget(box)
        flags.addStretch(1)
        form.addRow(self.tr("标记"), flags)
        status_row = QHBoxLayout()
        self.status_label = QLabel()
        self.status_button = QPushButton(self.tr("更改状态…"))
        self.status_button.clicked.connect(self.status_requested.emit)
        status_row.addWidget(self.status_label)
        status_row.addWidget(self.status_button)
        status_row.addStretch(1)
        form.addRow(self.tr("状态"), status_row)

        self.text.committed.connect(lambda: self._save("text", self.text.toPlainText()))
        self.title_edit.editingFinished.connect(lambda: self._save("title", self.title_edit.text()))
        for name in ("leaders", "departments", "persons"):
            combo: QComboBox = getattr(self, name)
            edit = combo.lineEdit()
            assert edit is not None
            edit.editingFinished.connect(lambda n=name, c=combo: self._save(n, c.currentText()))
            combo.activated.connect(lambda _i, n=name, c=combo: self._save(n, c.currentText()))
        self.deadline.edited.connect(lambda: self._save("deadline", self.deadline.value()))
        for name in ("long_term", "immediate", "sensitive"):
            box: QCheckBox = getattr(self, name)
            box.clicked.connect(lambda on, n=name: self._save(n, on))

    def _names_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setToolTip(self.tr("可从名录中选择，也可直接输入；多人用“、”分隔"))
        return combo

    def load_directory(self) -> None:
        db = self.undo.db
        people = registry.list_people(db)
        leaders = [p[1] for p in people if p[4]]
        for combo, names in ((self.leaders, leaders), (self.persons, [p[1] for p in people]),
                             (self.departments, [d[1] for d in registry.list_departments(db)])):
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setEditText(text)
            combo.blockSignals(False)

    def show_problem(self, row: ProblemRow) -> None:
        self.row = row
        path = " › ".join(row.category_path)
        self.number.setText(f"第 {row.number} 个问题" + (f"　{path}" if path else ""))
        if self.text.toPlainText() != row.text:
            self.text.set_text(row.text)
        self.title_edit.setText(row.title)
        for name in ("leaders", "departments", "persons"):
            getattr(self, name).setEditText(getattr(row, name))
        self.deadline.set_value(row.deadline)
        for name in ("long_term", "immediate", "sensitive"):
            getattr(self, name).setChecked(getattr(row, name))
        extra = ""
        if row.effective_deadline != row.deadline and row.effective_deadline:
            extra = f"（已批准延期至 {row.effective_deadline:%Y年%m月%d日}）"
        self.status_label.setText(f"<b>{row.status.value}</b>{extra}")

    def flush(self) -> None:
        self.text.flush()

    def _save(self, field: str, value: Any) -> None:
        if self.row is None:
            return
        old = getattr(self.row, field)
        if isinstance(value, str):
            value = value.strip()
        if value == old:
            return
        try:
            self.undo.execute(EditProblem(self.undo, self.row.id, {field: old}, {field: value}, LABELS[field],
                                          version=self.row.version))
        except Exception as exc:
            show_error(self, exc)
            self.show_problem(self.row)


class NarrativeForm(QWidget):
    """整改进程 line, 整改情况 narrative, internal notes."""

    def __init__(self, undo: Undo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo = undo
        self.row: ProblemRow | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("整改进程（如“已完成整改，长期坚持。”）")))
        self.progress_line = QLineEdit()
        lay.addWidget(self.progress_line)
        lay.addWidget(QLabel(self.tr("整改情况（可分多段，每段一行）")))
        self.narrative = AutoSaveText()
        lay.addWidget(self.narrative, 3)
        lay.addWidget(QLabel(self.tr("内部备注（不出现在公开通报中）")))
        self.notes = AutoSaveText()
        lay.addWidget(self.notes, 1)
        self.progress_line.editingFinished.connect(lambda: self._save("progress_line", self.progress_line.text()))
        self.narrative.committed.connect(lambda: self._save("narrative", self.narrative.toPlainText()))
        self.notes.committed.connect(lambda: self._save("internal_notes", self.notes.toPlainText()))

    def show_problem(self, row: ProblemRow) -> None:
        self.row = row
        self.progress_line.setText(row.progress_line)
        if self.narrative.toPlainText() != row.narrative:
            self.narrative.set_text(row.narrative)
        if self.notes.toPlainText() != row.internal_notes:
            self.notes.set_text(row.internal_notes)

    def flush(self) -> None:
        self.narrative.flush()
        self.notes.flush()

    def _save(self, field: str, value: str) -> None:
        if self.row is None or value.strip() == getattr(self.row, field):
            return
        try:
            self.undo.execute(EditProblem(self.undo, self.row.id, {field: getattr(self.row, field)},
                                          {field: value.strip()}, LABELS[field], version=self.row.version))
        except Exception as exc:
            show_error(self, exc)
