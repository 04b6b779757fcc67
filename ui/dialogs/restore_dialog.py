"""The safety copies a restore (or an upgrade) keeps of the ledger it replaced: listed, and put back.

Putting one back is itself checked like a backup and keeps the ledger it replaces as a new safety
copy, so nothing is lost by trying. The window does the swap (`swap` callback): it must close the
database first.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from app.safety_copies import SafetyCopy, list_safety_copies
from ui.ask import confirm_destructive

NAME_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("保存时间", "类型", "内容", "大小", "文件名")


class SafetyCopiesDialog(QDialog):
    def __init__(self, db_path: Path, swap: Callable[[SafetyCopiesDialog, str, Callable[[bool], object]], None],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.db_path, self.swap = db_path, swap
        self.setWindowTitle(self.tr("恢复前的安全副本"))
        self.resize(760, 360)
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.verticalHeader().hide()
        self.hint = QLabel(self.tr("从备份恢复或升级数据库之前，程序会自动把原来的数据库另存一份。"
                                   "换回一份副本前会先校验它；当前的数据库同样会另存一份，可以再换回来。"))
        self.hint.setWordWrap(True)
        self.put_back = QPushButton(self.tr("换回所选副本…"))
        self.put_back.clicked.connect(self.swap_selected)
        row = QHBoxLayout()
        row.addWidget(self.put_back)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.hint)
        lay.addWidget(self.view, 1)
        lay.addLayout(row)
        lay.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        self.copies: list[SafetyCopy] = list_safety_copies(self.db_path)
        self.model.removeRows(0, self.model.rowCount())
        for c in self.copies:
            cells = [f"{c.taken:%Y-%m-%d %H:%M:%S}", c.kind, c.summary, f"{c.size / 1048576:.1f} MB", c.name]
            items = [QStandardItem(text) for text in cells]
            items[0].setData(c.name, NAME_ROLE)
            self.model.appendRow(items)
        self.view.resizeColumnsToContents()
        if self.copies:
            self.view.selectRow(0)
        self.put_back.setEnabled(bool(self.copies))

    def selected_name(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return str(self.model.item(rows[0].row(), 0).data(NAME_ROLE)) if rows else None

    def swap_selected(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        if not confirm_destructive(self, self.windowTitle(), self.tr(
                "用安全副本“%s”替换当前的全部台账数据？\n当前的数据库会先另存一份，之后仍可换回。") % name):
            return
        self.put_back.setEnabled(False)
        self.swap(self, name, self._finished)

    def _finished(self, ok: bool) -> None:
        if ok:
            self.accept()
        else:
            self.refresh()
