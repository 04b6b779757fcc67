"""新建问题: the text as the inspection feedback words it, and the category it belongs to."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class NewProblemDialog(QDialog):
    def __init__(self, categories: list[tuple[int | None, str]], default: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("新建问题"))
        self.resize(640, 360)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(self.tr("问题内容（巡察反馈原文）"))
        self.category = QComboBox()
        for cid, name in categories:
            self.category.addItem(name, cid)
        index = self.category.findData(default)
        self.category.setCurrentIndex(max(index, 0))
        note = QLabel(self.tr("新问题排在所选分类的最后；其后各问题的序号依次顺延。"))
        note.setStyleSheet("color: #555")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout()
        form.addRow(self.tr("问题内容"), self.edit)
        form.addRow(self.tr("所属分类"), self.category)
        form.addRow("", note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form, 1)
        lay.addWidget(self.error)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def category_id(self) -> int | None:
        data = self.category.currentData()
        return int(data) if data is not None else None

    def accept(self) -> None:
        if not self.text():
            self.error.setText(self.tr("请填写问题内容。"))
            self.edit.setFocus()
            return
        super().accept()
