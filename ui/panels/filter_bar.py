"""Filters above the ledger table; they drive the ProblemFilterProxy as the user types."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.ledger_rows import ProblemRow, Warning, split_names
from db.enums import Status
from ui.models.problem_table import ProblemFilterProxy

ALL = "全部"
WARNINGS = (Warning.OVERDUE, Warning.RED, Warning.YELLOW, Warning.GREEN)


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, proxy: ProblemFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("搜索问题、责任人、整改情况…（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItems([ALL] + [s.value for s in Status])
        self.department = QComboBox()
        self.leader = QComboBox()
        self.warning = QComboBox()
        self.warning.addItem(ALL, None)
        for w in WARNINGS:
            self.warning.addItem(w.value, w)
        self.due = QCheckBox(self.tr("到期天数 ≤"))
        self.due_days = QSpinBox()
        self.due_days.setRange(0, 365)
        self.due_days.setValue(7)
        self.due_days.setSuffix(self.tr(" 天"))
        self.no_evidence = QCheckBox(self.tr("无佐证材料"))
        clear = QPushButton(self.tr("清除筛选"))
        clear.clicked.connect(self.clear)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.search, 3)
        for label, w in ((self.tr("状态"), self.status), (self.tr("部门"), self.department),
                         (self.tr("领导"), self.leader), (self.tr("预警"), self.warning)):
            lay.addWidget(QLabel(label))
            lay.addWidget(w, 1 if w is not self.warning else 0)
        for w in (self.due, self.due_days, self.no_evidence, clear):
            lay.addWidget(w)
        self.search.textChanged.connect(self.apply)
        for combo in (self.status, self.department, self.leader, self.warning):
            combo.currentIndexChanged.connect(self.apply)
        for box in (self.due, self.no_evidence):
            box.toggled.connect(self.apply)
        self.due_days.valueChanged.connect(self.apply)

    def set_choices(self, rows: list[ProblemRow]) -> None:
        """Fill the department and leader lists from the round's rows, keeping the current choice."""
        for combo, attr in ((self.department, "departments"), (self.leader, "leaders")):
            current = combo.currentText()
            fields = {getattr(r, attr) for r in rows}  # a few distinct values among thousands of rows
            names = sorted({n for field in fields for n in split_names(field)})
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ALL] + names)
            combo.setCurrentText(current if current in names else ALL)
            combo.blockSignals(False)

    def apply(self) -> None:
        status = self.status.currentText()
        self.proxy.set_filters(
            text=self.search.text().strip(),
            status=None if status == ALL else Status(status),
            department="" if self.department.currentText() == ALL else self.department.currentText(),
            leader="" if self.leader.currentText() == ALL else self.leader.currentText(),
            warning=self.warning.currentData(),
            due_within=self.due_days.value() if self.due.isChecked() else None,
            no_evidence=self.no_evidence.isChecked())
        self.changed.emit()

    def clear(self) -> None:
        widgets = (self.status, self.department, self.leader, self.warning, self.due, self.no_evidence)
        for w in widgets:
            w.blockSignals(True)
        # Not blocked: the search box's own ⊗ button hides on its textChanged. The filter waits for apply() below.
        self.search.textChanged.disconnect(self.apply)
        self.search.clear()
        self.search.textChanged.connect(self.apply)
        for combo in (self.status, self.department, self.leader, self.warning):
            combo.setCurrentIndex(0)
        for box in (self.due, self.no_evidence):
            box.setChecked(False)
        for w in widgets:
            w.blockSignals(False)
        self.apply()

    def show_only(self, *, status: Status | None = None, overdue: bool = False, due_days: int | None = None,
                  no_evidence: bool = False, warning: Warning | None = None) -> None:
        """Set one filter from the dashboard, clearing the others."""
        self.clear()
        for w in (self.status, self.warning, self.due, self.due_days, self.no_evidence):
            w.blockSignals(True)
        if status is not None:
            self.status.setCurrentText(status.value)
        if overdue:
            warning = Warning.OVERDUE
        self.warning.setCurrentIndex(WARNINGS.index(warning) + 1 if warning in WARNINGS else 0)
        if due_days is not None:
            self.due.setChecked(True)
            self.due_days.setValue(due_days)
        self.no_evidence.setChecked(no_evidence)
        for w in (self.status, self.warning, self.due, self.due_days, self.no_evidence):
            w.blockSignals(False)
        self.apply()
