"""PDF 字体: which font file stands in for each role, and the user's own choice per role."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from app.exporting.font_settings import choose, load_chosen
from app.exporting.fonts import ROLE_NAMES, ROLES, resolve
from ui import file_dialogs
from ui.errors import attempt


class FontDialog(QDialog):
    def __init__(self, data_dir: Path, parent: Any = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.setWindowTitle(self.tr("PDF 字体"))
        self.resize(720, 300)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Word 文件总是写入公文字体的名称；PDF 需要实际的字体文件。"
                                     "未指定时，程序依次使用系统中的公文字体、其他中文字体和随程序附带的字体。")))
        self.grid = QGridLayout()
        lay.addLayout(self.grid)
        self.labels: dict[str, QLabel] = {}
        for row, role in enumerate(ROLES):
            self.grid.addWidget(QLabel(ROLE_NAMES[role]), row, 0)
            self.labels[role] = QLabel()
            self.grid.addWidget(self.labels[role], row, 1)
            pick, reset = QPushButton(self.tr("选择字体文件…")), QPushButton(self.tr("恢复默认"))
            pick.clicked.connect(lambda _c=False, r=role: self.pick(r))
            reset.clicked.connect(lambda _c=False, r=role: self.set(r, None))
            self.grid.addWidget(pick, row, 2)
            self.grid.addWidget(reset, row, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.accept)
        lay.addWidget(close)
        self.refresh()

    def refresh(self) -> None:
        chosen = load_chosen(self.data_dir)
        for role in ROLES:
            try:
                c = resolve(role, chosen)
                self.labels[role].setText(f"{c.name}（{c.path.name}）" + (self.tr("，加粗描边") if c.fake_bold else ""))
            except FileNotFoundError as exc:
                self.labels[role].setText(str(exc))

    def pick(self, role: str) -> None:
        path = file_dialogs.open_file(self, file_dialogs.settings_for(self), ROLE_NAMES[role],
                                      "TrueType 字体 (*.ttf *.ttc)")
        if path is not None:
            self.set(role, path)

    def set(self, role: str, font: Path | None) -> None:
        attempt(self, lambda: choose(self.data_dir, role, font))
        self.refresh()
