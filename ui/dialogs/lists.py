"""制度建设 list."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from db.enums import RegulationKind
from db.session import Database
from ui.ask import confirm_destructive
from ui.errors import attempt, show_error
from ui.services import problems, registry
from ui.widgets import DateField


class RegulationsDialog(QDialog):
    def __init__(self, db: Database, round_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.db, self.round_id = db, round_id
        self.setWindowTitle(self.tr("制度建设"))
        self.resize(720, 420)
        self.model = QStringListModel(self)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("制度名称，如《机关财务管理制度》"))
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in RegulationKind])
        self.date = DateField(empty_label=self.tr("印发日期（可不填）"))
        self.problems = QLineEdit()
        self.problems.setPlaceholderText(self.tr("对应问题序号，如 1,3,5"))
        add, remove = QPushButton(self.tr("添加")), QPushButton(self.tr("删除所选"))
        add.clicked.connect(self.add)
        remove.clicked.connect(self.remove)
        row = QHBoxLayout()
        for w in (self.name, self.kind, self.date, self.problems, add):
            row.addWidget(w)
        lay = QVBoxLayout(self)
        lay.addWidget(self.view)
        lay.addLayout(row)
        lay.addWidget(remove)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        lay.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.rows = registry.list_regulations(self.db, self.round_id)
        numbers = {p.id: p.number for p in problems.list_problems(self.db, self.round_id)}
        self.model.setStringList([
            f"{r.name}（{r.kind}{'，' + r.issued_on.isoformat() if r.issued_on else ''}）"
            + (f" → 问题 {'、'.join(str(numbers[i]) for i in r.problem_ids if i in numbers)}" if r.problem_ids else "")
            for r in self.rows])

    def add(self) -> None:
        try:
            nums = [int(x) for x in self.problems.text().replace("，", ",").split(",") if x.strip()]
            ids = [problems.find_problem_by_number(self.db, self.round_id, n).id for n in nums]
            registry.add_regulation(self.db, self.round_id, self.name.text(), self.kind.currentText(),
                                    self.date.value(), ids)
        except ValueError:
            QMessageBox.warning(self, self.windowTitle(), self.tr("问题序号请填写数字，用逗号分隔。"))
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.name.clear()
        self.problems.clear()
        self.refresh()

    def remove(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows and confirm_destructive(self, self.windowTitle(), self.tr("删除制度“%s”？")
                                        % self.rows[rows[0].row()].name):
            attempt(self, lambda: registry.delete_regulation(self.db, self.rows[rows[0].row()].id))
            self.refresh()
