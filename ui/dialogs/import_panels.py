"""Panels of the import dialog: the detected numbering scheme (editable) and the facts a 追加到 would change."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.importing.merge import FactChange
from app.numbering_scheme import NumberingScheme, NumberStyle

LEVEL_NAMES = ("方面", "项")
KEY = Qt.ItemDataRole.UserRole + 1


def level_name(depth: int) -> str:
    """方面, 项, then 第3级分类 …: what the clerk calls a category at that depth."""
    return LEVEL_NAMES[depth - 1] if depth <= len(LEVEL_NAMES) else f"第{depth}级分类"


class SchemeEditor(QWidget):
    """The numbering the importer read from the source, one combo box per level; the clerk may correct it."""

    scheme_changed = Signal(object)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._scheme = NumberingScheme()
        self._levels: list[QComboBox] = []
        self._building = False
        self.form = QGridLayout()
        lay = QVBoxLayout(self)
        note = QLabel(self.tr("按原文读出的编号方式；导出通报时按此编号。如有误，请在这里改正。"))
        note.setWordWrap(True)
        lay.addWidget(note)
        lay.addLayout(self.form)
        lay.addStretch(1)
        self.set_scheme(self._scheme, 1)

    def _combo(self) -> QComboBox:
        box = QComboBox()
        for style in NumberStyle:
            box.addItem(style.value, style)
        box.currentIndexChanged.connect(self._emit)
        return box

    def set_scheme(self, scheme: NumberingScheme, depth: int) -> None:
        """Show `scheme` for a tree `depth` levels deep (a level the scheme lacks shows its default form)."""
        self._building = True
        self._scheme = scheme
        while self.form.count():
            item = self.form.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self._levels = []
        for c in range(self.form.columnCount()):
            self.form.setColumnStretch(c, 0)
        column = 0
        for d in range(1, max(depth, len(scheme.categories)) + 1):
            box = self._combo()
            box.setCurrentIndex(box.findData(scheme.category_style(d)))
            self._levels.append(box)
            self.form.addWidget(QLabel(self.tr("第%d级分类（%s）") % (d, level_name(d))), 0, column)
            self.form.addWidget(box, 1, column)
            column += 1
        self.problems = self._combo()
        self.problems.setCurrentIndex(self.problems.findData(scheme.problems))
        self.form.addWidget(QLabel(self.tr("问题")), 0, column)
        self.form.addWidget(self.problems, 1, column)
        self.form.setColumnStretch(column + 1, 1)
        self.across = QCheckBox(self.tr("问题全文连续编号（不在各组内重新从 1 编起）"))
        self.across.setChecked(scheme.problems_across)
        self.across.toggled.connect(self._emit)
        self.form.addWidget(self.across, 2, 0, 1, column + 2)
        label = scheme.extra.get("narrative_label")
        self.label = QLabel(self.tr("整改情况：原文标“%s：”，导出时照用。") % label if label
                            else self.tr("整改情况：原文没有标签，导入后也不加。"))
        self.label.setWordWrap(True)
        self.form.addWidget(self.label, 3, 0, 1, column + 2)
        self._building = False

    def scheme(self) -> NumberingScheme:
        return self._scheme

    def _emit(self, *_args: Any) -> None:
        if self._building:
            return
        self._scheme = NumberingScheme(tuple(NumberStyle(b.currentData()) for b in self._levels),
                                       NumberStyle(self.problems.currentData()), self.across.isChecked(),
                                       dict(self._scheme.extra))
        self.scheme_changed.emit(self._scheme)


class FactsPreview(QTableWidget):
    """What importing into an existing round fills (the round lacks it) and would replace (ticked to accept)."""

    COLUMNS = ("项目", "轮次中现有", "导入的", "处理")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)

    def set_changes(self, changes: list[FactChange]) -> None:
        self.setRowCount(0)
        for change in changes:
            row = self.rowCount()
            self.insertRow(row)
            for col, text in enumerate((change.label, change.current or "（无）", change.imported)):
                item = QTableWidgetItem(text.replace("\n", " ⏎ ")[:200])
                item.setToolTip(text[:2000])
                self.setItem(row, col, item)
            action = QTableWidgetItem(self.tr("填入（轮次中没有）") if change.action == "fill" else self.tr("替换现有值"))
            action.setData(KEY, change.key)
            if change.action == "replace":
                action.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                action.setCheckState(Qt.CheckState.Unchecked)
            else:
                action.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(row, 3, action)

    def accepted(self) -> set[str]:
        """The keys whose replacement the clerk ticked."""
        out = set()
        for row in range(self.rowCount()):
            item = self.item(row, 3)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.add(str(item.data(KEY)))
        return out

    def accept_key(self, key: str, accept: bool = True) -> None:
        for row in range(self.rowCount()):
            item = self.item(row, 3)
            if item is not None and item.data(KEY) == key and item.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                item.setCheckState(Qt.CheckState.Checked if accept else Qt.CheckState.Unchecked)
