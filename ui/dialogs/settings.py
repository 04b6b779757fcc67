"""Dialogs over a unit's and a round's settings: contact block, figures, the notice's texts."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db.session import Database
from ui.errors import attempt, show_error
from ui.services import rounds
from ui.widgets import DateField


def _buttons(dialog: QDialog) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class UnitDialog(QDialog):
    FIELDS = (("name", "单位名称"), ("signature", "署名（党组织）"), ("contact_phone", "联系电话"),
              ("contact_hours", "接听时间"), ("contact_address", "通信地址"), ("contact_postcode", "邮政编码"),
              ("contact_email", "电子邮箱"))

    def __init__(self, db: Database, unit_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.db, self.unit_id = db, unit_id
        self.setWindowTitle(self.tr("单位信息与联系方式"))
        self.resize(520, 320)
        unit = rounds.get_unit(db, unit_id)
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        for name, label in self.FIELDS:
            self.edits[name] = QLineEdit(getattr(unit, name))
            form.addRow(self.tr(label), self.edits[name])
        form.addRow(_buttons(self))

    def accept(self) -> None:
        if not attempt(self, lambda: rounds.update_unit(self.db, self.unit_id,
                                                        **{k: e.text() for k, e in self.edits.items()})):
            return
        super().accept()


class FiguresDialog(QDialog):
    COUNTS = (("clues_transferred", "移交问题线索（件）"), ("clues_closed", "已办结（件）"),
              ("clues_in_progress", "正在办理（件）"), ("cases_filed", "立案（人）"),
              ("disciplined", "党纪政务处分（人）"), ("other_handled", "其他方式处理（人）"))
    MONEY = (("recovered_during", "巡察期间挽回经济损失（万元）"), ("recovered_since", "巡察以来挽回经济损失（万元）"))

    def __init__(self, db: Database, round_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.db, self.round_id = db, round_id
        self.setWindowTitle(self.tr("纪律处分与经济数据"))
        f = rounds.get_figures(db, round_id)
        form = QFormLayout(self)
        self.counts: dict[str, QSpinBox] = {}
        for name, label in self.COUNTS:
            spin = QSpinBox()
            spin.setRange(-1, 100000)
            spin.setSpecialValueText(self.tr("不填"))
            value = getattr(f, name)
            spin.setValue(-1 if value is None else value)
            self.counts[name] = spin
            form.addRow(self.tr(label), spin)
        self.money: dict[str, QLineEdit] = {}
        for name, label in self.MONEY:
            value = getattr(f, name)
            edit = QLineEdit("" if value is None else format(value, "f").rstrip("0").rstrip("."))
            edit.setPlaceholderText(self.tr("如 27.493，留空表示不填"))
            self.money[name] = edit
            form.addRow(self.tr(label), edit)
        form.addRow(_buttons(self))

    def accept(self) -> None:
        changes: dict[str, Any] = {k: (None if s.value() < 0 else s.value()) for k, s in self.counts.items()}
        try:
            for k, e in self.money.items():
                text = e.text().strip()
                changes[k] = Decimal(text) if text else None
        except InvalidOperation:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, self.windowTitle(), self.tr("金额请填写数字，如 2.3"))
            return
        if not attempt(self, lambda: rounds.update_figures(self.db, self.round_id, **changes)):
            return
        super().accept()


class NoticeTextDialog(QDialog):
    """The notice's editable sections, signature, date and the redaction list."""

    TEXTS = (("opening", "开头段"), ("part_one", "一、整改工作开展情况"), ("part_two_intro", "二、导语"),
             ("part_three", "三、下一步工作"), ("contact_paragraph", "监督与联系方式"))

    def __init__(self, db: Database, round_id: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.db, self.round_id = db, round_id
        self.setWindowTitle(self.tr("通报文本"))
        self.resize(760, 560)
        n = rounds.get_notice_settings(db, round_id)
        lay = QVBoxLayout(self)
        head = QFormLayout()
        self.title = QLineEdit(n.title)
        self.signature = QLineEdit(n.signature)
        self.sign_date = DateField(empty_label=self.tr("未定"))
        self.sign_date.set_value(n.sign_date)
        head.addRow(self.tr("标题"), self.title)
        head.addRow(self.tr("署名"), self.signature)
        head.addRow(self.tr("成文日期"), self.sign_date)
        lay.addLayout(head)
        tabs = QTabWidget()
        self.texts: dict[str, QPlainTextEdit] = {}
        for name, label in self.TEXTS:
            page = QWidget()
            v = QVBoxLayout(page)
            edit = QPlainTextEdit(getattr(n, name))
            v.addWidget(edit)
            if name == "opening":
                regen = QPushButton(self.tr("按轮次信息重新生成"))
                regen.clicked.connect(self._regenerate)
                v.addWidget(regen)
            self.texts[name] = edit
            tabs.addTab(page, self.tr(label))
        red = QWidget()
        v = QVBoxLayout(red)
        self.redactions = QPlainTextEdit("\n".join(f"{k}={v}" for k, v in rounds.get_redactions(db, round_id).items()))
        self.redactions.setPlaceholderText(self.tr("每行一条：原文=替换为，如 张三=张某"))
        v.addWidget(self.redactions)
        tabs.addTab(red, self.tr("公开版脱敏"))
        lay.addWidget(tabs, 1)
        lay.addWidget(_buttons(self))

    def _regenerate(self) -> None:
        r = rounds.regenerate_opening(self.db, self.round_id)
        self.texts["opening"].setPlainText(r.opening)

    def accept(self) -> None:
        terms: dict[str, str] = {}
        for line in self.redactions.toPlainText().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                if k.strip():
                    terms[k.strip()] = v.strip()
        try:
            rounds.update_notice_settings(self.db, self.round_id, title=self.title.text(),
                                          signature=self.signature.text(), sign_date=self.sign_date.value(),
                                          **{k: e.toPlainText() for k, e in self.texts.items()})
            rounds.set_redactions(self.db, self.round_id, terms)
        except Exception as exc:
            show_error(self, exc)
            return
        super().accept()
