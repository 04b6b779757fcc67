"""轮次信息: every field of a round, including publication metadata and warning thresholds."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from db.enums import RoundKind
from db.session import Database
from ui.errors import attempt
from ui.services import rounds
from ui.widgets import DateField

TEXTS = (("title", "轮次名称"), ("deciding_body", "决策机关"), ("inspection_group", "巡察组"))
DATES = (("inspection_start", "巡察开始日期"), ("inspection_end", "巡察结束日期"), ("feedback_date", "反馈日期"),
         ("rectification_end", "集中整改期截止"))
META = (("index_no", "索引号"), ("doc_no", "文号"), ("topic", "主题分类"), ("publisher", "发布机构"),
        ("disclosure_period", "公开期限"))


class RoundDialog(QDialog):
    def __init__(self, db: Database, round_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.db, self.round_id = db, round_id
        self.setWindowTitle(self.tr("轮次信息"))
        self.resize(560, 420)
        r = rounds.get_round(db, round_id)
        tabs = QTabWidget()
        main, meta = QWidget(), QWidget()
        f, m = QFormLayout(main), QFormLayout(meta)
        self.texts = {k: QLineEdit(getattr(r, k)) for k, _l in TEXTS + META}
        self.dates = {k: DateField(empty_label=self.tr("未知")) for k, _l in DATES}
        for k, label in TEXTS:
            f.addRow(self.tr(label), self.texts[k])
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in RoundKind])
        self.kind.setCurrentText(r.kind)
        f.addRow(self.tr("类型"), self.kind)
        for k, label in DATES:
            self.dates[k].set_value(getattr(r, k))
            f.addRow(self.tr(label), self.dates[k])
        self.yellow, self.red = QSpinBox(), QSpinBox()
        for spin, value in ((self.yellow, r.warn_yellow_days), (self.red, r.warn_red_days)):
            spin.setRange(0, 365)
            spin.setValue(value)
        f.addRow(self.tr("黄色预警（剩余天数 ≤）"), self.yellow)
        f.addRow(self.tr("红色预警（剩余天数 ≤）"), self.red)
        self.style = QComboBox()
        for code, label in (("A", "A：1.关于……的问题 + 整改情况"), ("B", "B：分方面，问题一…… + 整改措施及成效"),
                            ("C", "C：方面 → 项 → 具体问题，含整改进程")):
            self.style.addItem(self.tr(label), code)
        self.style.setCurrentIndex("ABC".index(r.layout_style))
        f.addRow(self.tr("通报版式"), self.style)
        for k, label in META:
            m.addRow(self.tr(label), self.texts[k])
        tabs.addTab(main, self.tr("基本信息"))
        tabs.addTab(meta, self.tr("公开信息"))
        form = QFormLayout(self)
        form.addRow(tabs)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def accept(self) -> None:
        changes: dict[str, Any] = {k: e.text() for k, e in self.texts.items()}
        changes.update({k: d.value() for k, d in self.dates.items()})
        changes.update(kind=self.kind.currentText(), warn_yellow_days=self.yellow.value(),
                       warn_red_days=self.red.value(), layout_style=self.style.currentData())
        if not attempt(self, lambda: rounds.update_round(self.db, self.round_id, **changes)):
            return
        super().accept()
