"""新建巡察轮次 wizard: unit, kind and bodies, dates."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QSpinBox, QWizard, QWizardPage

from db.enums import RoundKind
from db.session import Database
from ui.services import rounds
from ui.widgets import DateField

NEW_UNIT = "（新建单位）"


class RoundWizard(QWizard):
    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.round_id: int | None = None
        self.setWindowTitle(self.tr("新建巡察轮次"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(620, 460)
        self.units = rounds.list_units(db)

        p1 = QWizardPage()
        p1.setTitle(self.tr("被巡察单位"))
        p1.setSubTitle(self.tr("选择已有单位，或填写新单位的名称和署名。"))
        f1 = QFormLayout(p1)
        self.unit = QComboBox()
        self.unit.addItems([u.name for u in self.units] + [NEW_UNIT])
        self.unit_name = QLineEdit()
        self.signature = QLineEdit()
        self.signature.setPlaceholderText(self.tr("如：中共××局党组"))
        f1.addRow(self.tr("单位"), self.unit)
        f1.addRow(self.tr("新单位名称"), self.unit_name)
        f1.addRow(self.tr("署名（党组织）"), self.signature)
        self.unit.currentTextChanged.connect(self._unit_changed)
        self._unit_changed(self.unit.currentText())

        p2 = QWizardPage()
        p2.setTitle(self.tr("巡察信息"))
        p2.setSubTitle(self.tr("填写轮次名称、巡察类型、决策机关和巡察组；“回头看”时选择对应的前一轮。"))
        f2 = QFormLayout(p2)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("如：区委第三巡察组2024年常规巡察"))
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in RoundKind])
        self.body = QLineEdit(self.tr("区委"))
        self.group = QLineEdit()
        self.group.setPlaceholderText(self.tr("如：区委第三巡察组"))
        self.earlier = QComboBox()
        self.earlier.addItem(self.tr("（无）"), None)
        for r in rounds.list_rounds(db):
            self.earlier.addItem(r.title, r.id)
        self.style = QComboBox()
        self.style.addItem(self.tr("A：1.关于……的问题 + 整改情况"), "A")
        self.style.addItem(self.tr("B：分方面，问题一/问题二…… + 整改措施及成效"), "B")
        self.style.addItem(self.tr("C：方面 → 项 → 具体问题，含整改进程"), "C")
        f2.addRow(self.tr("轮次名称"), self.title)
        f2.addRow(self.tr("类型"), self.kind)
        f2.addRow(self.tr("决策机关"), self.body)
        f2.addRow(self.tr("巡察组"), self.group)
        f2.addRow(self.tr("“回头看”对应的前一轮"), self.earlier)
        f2.addRow(self.tr("通报版式"), self.style)
        p2.registerField("title*", self.title)

        p3 = QWizardPage()
        p3.setTitle(self.tr("日期与预警"))
        p3.setSubTitle(self.tr("不知道的日期可以先空着，以后在“文件 → 轮次信息”中补填；预警按剩余天数显示黄色和红色。"))
        f3 = QFormLayout(p3)
        self.start, self.end = DateField(empty_label=self.tr("未知")), DateField(empty_label=self.tr("未知"))
        self.feedback, self.period_end = DateField(empty_label=self.tr("未知")), DateField(empty_label=self.tr("未知"))
        self.yellow, self.red = QSpinBox(), QSpinBox()
        self.yellow.setRange(1, 365)
        self.yellow.setValue(20)
        self.red.setRange(0, 365)
        self.red.setValue(10)
        f3.addRow(self.tr("巡察开始日期"), self.start)
        f3.addRow(self.tr("巡察结束日期"), self.end)
        f3.addRow(self.tr("反馈日期"), self.feedback)
        f3.addRow(self.tr("集中整改期截止"), self.period_end)
        f3.addRow(self.tr("黄色预警（剩余天数 ≤）"), self.yellow)
        f3.addRow(self.tr("红色预警（剩余天数 ≤）"), self.red)
        for page in (p1, p2, p3):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("创建"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("下一步 >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< 上一步"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("取消"))

    def _unit_changed(self, text: str) -> None:
        new = text == NEW_UNIT
        self.unit_name.setEnabled(new)
        self.signature.setEnabled(new)

    def accept(self) -> None:
        from ui.errors import show_error

        try:
            if self.unit.currentText() == NEW_UNIT:
                name = self.unit_name.text().strip()
                unit_id = rounds.create_unit(self.db, name, signature=self.signature.text().strip() or name).id
            else:
                unit_id = self.units[self.unit.currentIndex()].id
            self.round_id = rounds.create_round(
                self.db, unit_id, self.title.text(), kind=self.kind.currentText(), deciding_body=self.body.text(),
                inspection_group=self.group.text(), earlier_round_id=self.earlier.currentData(),
                layout_style=self.style.currentData(), inspection_start=self.start.value(),
                inspection_end=self.end.value(), feedback_date=self.feedback.value(),
                rectification_end=self.period_end.value(), warn_yellow_days=self.yellow.value(),
                warn_red_days=self.red.value()).id
        except Exception as exc:
            show_error(self, exc, self.tr("无法创建轮次"))
            return
        super().accept()
