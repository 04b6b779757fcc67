"""人员与部门名录: the lists the owner fields choose from."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
)

from db.session import Database
from ui.ask import confirm_destructive
from ui.errors import attempt
from ui.services import registry
from ui.widgets import add_buttons


class DirectoryDialog(QDialog):
    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(self.tr("人员与部门"))
        self.resize(720, 460)
        lay = QHBoxLayout(self)
        depts = QGroupBox(self.tr("部门"))
        dl = QVBoxLayout(depts)
        self.dept_model = QStringListModel(self)
        self.dept_view = QListView()
        self.dept_view.setModel(self.dept_model)
        self.dept_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        dl.addWidget(self.dept_view)
        row = QHBoxLayout()
        add_buttons(row, ((self.tr("添加"), self.add_department), (self.tr("改名"), self.rename_department),
                            (self.tr("删除"), self.delete_department)), stretch=False)
        dl.addLayout(row)
        people = QGroupBox(self.tr("人员"))
        pl = QVBoxLayout(people)
        self.people_model = QStringListModel(self)
        self.people_view = QListView()
        self.people_view.setModel(self.people_model)
        self.people_view.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        pl.addWidget(self.people_view)
        form = QHBoxLayout()
        self.name, self.title = QLineEdit(), QLineEdit()
        self.name.setPlaceholderText(self.tr("姓名"))
        self.title.setPlaceholderText(self.tr("职务"))
        self.dept = QComboBox()
        self.leader = QCheckBox(self.tr("领导"))
        add = QPushButton(self.tr("添加"))
        add.clicked.connect(self.add_person)
        remove = QPushButton(self.tr("删除所选"))
        remove.clicked.connect(self.delete_person)
        for w in (self.name, self.title, self.dept, self.leader, add):
            form.addWidget(w)
        pl.addLayout(form)
        pl.addWidget(remove)
        lay.addWidget(depts, 1)
        lay.addWidget(people, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        pl.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.depts = registry.list_departments(self.db)
        self.dept_model.setStringList([d[1] for d in self.depts])
        self.dept.clear()
        self.dept.addItem(self.tr("（无）"), None)
        for i, n in self.depts:
            self.dept.addItem(n, i)
        self.people = registry.list_people(self.db)
        self.people_model.setStringList([f"{n}　{t}　{d}" + ("　[领导]" if lead else "")
                                         for _i, n, t, d, lead in self.people])

    def _run(self, fn: Any, *args: Any) -> None:
        attempt(self, lambda: fn(self.db, *args))
        self.refresh()

    def _dept(self) -> tuple[int, str] | None:
        rows = self.dept_view.selectionModel().selectedRows()
        return self.depts[rows[0].row()] if rows else None

    def add_department(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("添加部门"), self.tr("部门名称："))
        if ok:
            self._run(registry.add_department, name)

    def rename_department(self) -> None:
        d = self._dept()
        if d:
            name, ok = QInputDialog.getText(self, self.tr("部门改名"), self.tr("新名称："), text=d[1])
            if ok:
                self._run(registry.rename_department, d[0], name)

    def delete_department(self) -> None:
        d = self._dept()
        if d and confirm_destructive(self, self.tr("删除部门"), self.tr("从名录中删除部门“%s”？") % d[1]):
            self._run(registry.delete_department, d[0])

    def add_person(self) -> None:
        self._run(registry.add_person, self.name.text(), self.title.text(), self.dept.currentData(),
                  self.leader.isChecked())
        self.name.clear()
        self.title.clear()

    def delete_person(self) -> None:
        rows = self.people_view.selectionModel().selectedRows()
        if rows and confirm_destructive(self, self.tr("删除人员"), self.tr("从名录中删除“%s”？")
                                        % self.people[rows[0].row()][1]):
            self._run(registry.delete_person, self.people[rows[0].row()][0])
