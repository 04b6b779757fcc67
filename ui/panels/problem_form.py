"""The problem's own fields: saved the moment the user leaves a field, each save undoable."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
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

from app.ledger_rows import ProblemRow, split_names
from db.enums import Status
from ui.commands import EditProblem, Undo
from ui.errors import show_error
from ui.services import status
from ui.widgets import AutoSaveText, DateField

NAME_FIELDS = ("leaders", "departments", "persons")

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
        self.deadline = DateField(empty_label=self.tr("无时限"))
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
        self.returned = QLabel()
        self.returned.setWordWrap(True)
        self.returned.setStyleSheet("color: #b45309")
        self.returned.hide()
        form.addRow("", self.returned)

        self.text.committed.connect(lambda: self._save("text", self.text.toPlainText()))
        self.title_edit.editingFinished.connect(lambda: self._save("title", self.title_edit.text()))
        for name in NAME_FIELDS:
            combo: QComboBox = getattr(self, name)
            edit = combo.lineEdit()
            assert edit is not None
            edit.editingFinished.connect(lambda n=name, c=combo: self._save(n, c.currentText()))
            combo.activated.connect(lambda _i, n=name, c=combo: self._save(n, c.currentText()))
        self.deadline.edited.connect(lambda: self._save("deadline", self.deadline.value()))
        for name in ("long_term", "immediate", "sensitive"):
            check: QCheckBox = getattr(self, name)
            check.clicked.connect(lambda on, n=name: self._save(n, on))

    def _names_combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMaxVisibleItems(20)
        combo.setToolTip(self.tr("输入时提示本轮已用过的名称和“人员与部门”名录中的名称；多个用“、”分隔"))
        return combo

    def set_names(self, rows: list[ProblemRow], directory: dict[str, list[str]]) -> None:
        """Offer the names used in the round's problems and those of the directory, each once. They are
        gathered when a problem is next shown (the first screen shows none)."""
        self._names_source: tuple[list[ProblemRow], dict[str, list[str]]] | None = (rows, directory)
        if self.row is not None:
            self._offer_names()

    def _offer_names(self) -> None:
        source, self._names_source = getattr(self, "_names_source", None), None
        if source is None:
            return
        from PySide6.QtCore import QStringListModel  # with the completers, made when first wanted
        from PySide6.QtWidgets import QCompleter

        from ui.names_completer import NamesCompleter

        rows, directory = source
        for name in NAME_FIELDS:
            combo: QComboBox = getattr(self, name)
            fields = {getattr(r, name) for r in rows}  # a few distinct values among thousands of rows
            used = {n for field in fields for n in split_names(field)}
            names = sorted(used | set(directory.get(name, ())), key=lambda n: (n not in used, n))
            if names == getattr(self, f"_{name}_names", None):
                continue
            setattr(self, f"_{name}_names", names)
            text = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItems(names)
            combo.setEditText(text)
            combo.blockSignals(False)
            edit = combo.lineEdit()
            assert edit is not None
            completer = edit.completer()
            if not isinstance(completer, NamesCompleter):
                completer = NamesCompleter(QStringListModel(combo), combo)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
                # On the line edit itself: the combo's own handling would replace all the text by the one name.
                edit.setCompleter(completer)
            model = completer.model()
            if isinstance(model, QStringListModel):
                model.setStringList(names)

    def show_problem(self, row: ProblemRow) -> None:
        self.row = row
        self._offer_names()
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
        returned = status.last_return(self.undo.db, row.id) if row.status == Status.IN_PROGRESS else None
        self.returned.setVisible(returned is not None)
        if returned is not None:
            self.returned.setText(self.tr("销号申请被退回（%s，审核人：%s）。补充整改要求：%s") % (
                f"{returned.reviewed_at:%Y-%m-%d}" if returned.reviewed_at else "", returned.reviewer,
                returned.requirements))

    def flush(self) -> None:
        self.text.flush()
        self.deadline.flush()

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
