"""Completion of names in a field that may hold several (责任领导、责任部门、责任人: “张三、李四”)."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit


class NamesCompleter(QCompleter):
    """Completes the name being typed after the last 、 (a field may hold several names)."""

    SEPARATORS = "、，,；;"

    def splitPath(self, path: str) -> list[str]:
        for sep in self.SEPARATORS:
            path = path.replace(sep, "、")
        return [path.split("、")[-1].strip()]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        if isinstance(widget, QComboBox):  # an editable combo box hands its completer over to itself
            widget = widget.lineEdit()
        text = widget.text() if isinstance(widget, QLineEdit) else ""
        cut = max(text.rfind(sep) for sep in self.SEPARATORS)
        return text[:cut + 1] + str(index.data())
