"""导入回执: the merge preview of the returned workbooks; nothing is written until the clerk accepts.

Left, the files with what each would change (tick the ones to import); right, the chosen file's
changes problem by problem, old → new, with its conflicts to decide and its notes.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.collect.merge import MergeOutcome, merge_return
from app.collect.model import DEPARTMENT, OFFICE, OPEN, Decisions, FilePreview
from app.collect.preview import preview_returns
from app.collect.send import round_departments
from db.session import Database
from ui import file_dialogs
from ui.dialogs.collect_dialog import _table
from ui.dialogs.collect_models import MergePreviewTableModel
from ui.errors import message_for, show_error
from ui.workers import TaskRunner

BOOKS = "Excel 工作簿 (*.xlsx *.xlsm *.xls *.et);;所有文件 (*)"


class ReceiveDialog(QDialog):
    def __init__(self, db: Database, round_id: int, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.round_id, self.runner = db, round_id, runner
        self.paths: list[Path] = []
        self.evidence_dir: Path | None = None
        self.previews: list[FilePreview] = []
        self.decisions: dict[Path, Decisions] = {}
        self.outcomes: list[MergeOutcome] = []
        self.setWindowTitle(self.tr("导入回执：合并预览"))
        self.resize(1180, 680)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.evidence_button = QPushButton(self.tr("佐证材料文件夹…"))
        self.evidence_label = QLabel(self.tr("佐证材料：自动查找回执旁的同名文件夹或“佐证材料”文件夹"))
        self.department = QComboBox()
        self.department.addItem(self.tr("（按回执中的部门）"), "")
        for name, _count in round_departments(db, round_id, include_done=True):
            self.department.addItem(name, name)
        self.department.setToolTip(self.tr("回执信息丢失、表头也没有“填报部门”时，指定这些回执是哪个部门的"))
        self.repreview = QPushButton(self.tr("重新预览"))
        top.addWidget(self.evidence_button)
        top.addWidget(self.evidence_label, 1)
        top.addWidget(QLabel(self.tr("部门：")))
        top.addWidget(self.department)
        top.addWidget(self.repreview)
        layout.addLayout(top)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("回执文件（勾选要导入的）")))
        self.files = QStandardItemModel(self)
        self.file_view = QListView()
        self.file_view.setModel(self.files)
        self.file_view.setWordWrap(True)
        left_layout.addWidget(self.file_view)
        split.addWidget(left)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.file_title = QLabel()
        self.file_title.setWordWrap(True)
        right_layout.addWidget(self.file_title)
        self.model = MergePreviewTableModel()
        self.view = _table(self.model, self, (0, 0, 0, 0, 18), (2, 3))
        self.view.setWordWrap(True)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        right_layout.addWidget(self.view, 3)
        row = QHBoxLayout()
        self.take_department = QPushButton(self.tr("冲突：采用部门填报"))
        self.keep_office = QPushButton(self.tr("冲突：保留台账内容"))
        self.leave_open = QPushButton(self.tr("冲突：以后再定"))
        self.confirm = QCheckBox(self.tr("已逐项核对，确认按序号和问题内容匹配无误"))
        self.newer_only = QCheckBox(self.tr("旧表：只采用较新的内容"))
        for w in (self.take_department, self.keep_office, self.leave_open):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.newer_only)
        row.addWidget(self.confirm)
        right_layout.addLayout(row)
        self.notes = QPlainTextEdit()
        self.notes.setReadOnly(True)
        right_layout.addWidget(self.notes, 1)
        split.addWidget(right)
        split.setSizes([300, 880])
        layout.addWidget(split, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        self.import_button = self.buttons.addButton(self.tr("导入勾选的回执"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.evidence_button.clicked.connect(self.choose_evidence)
        self.repreview.clicked.connect(self.run_preview)
        self.file_view.selectionModel().currentChanged.connect(lambda *_: self.show_file())
        self.take_department.clicked.connect(lambda: self.decide(DEPARTMENT))
        self.keep_office.clicked.connect(lambda: self.decide(OFFICE))
        self.leave_open.clicked.connect(lambda: self.decide(OPEN))
        self.confirm.toggled.connect(self._remember_flags)
        self.newer_only.toggled.connect(self._remember_flags)
        self.flags: dict[Path, tuple[bool, bool]] = {}
        self.import_button.setEnabled(False)

    # -- choosing ----------------------------------------------------------------------------
    def choose_files(self) -> bool:
        paths = file_dialogs.open_files(self, file_dialogs.settings_for(self), self.tr("选择部门交回的填报表"),
                                        self.tr(BOOKS))
        if not paths:
            return False
        self.set_files(paths)
        return True

    def set_files(self, paths: list[Path], evidence_dir: Path | None = None) -> None:
        self.paths, self.evidence_dir = paths, evidence_dir
        if evidence_dir:
            self.evidence_label.setText(self.tr("佐证材料：%s") % evidence_dir)
        self.run_preview()

    def choose_evidence(self) -> None:
        folder = file_dialogs.folder(self, file_dialogs.settings_for(self),
                                     self.tr("选择佐证材料文件夹（文件名以问题序号开头）"))
        if folder is not None:
            self.set_files(self.paths, folder)

    # -- preview -------------------------------------------------------------------------------
    def run_preview(self) -> None:
        if not self.paths:
            return
        paths, folder, dept = list(self.paths), self.evidence_dir, self.department.currentData() or None

        def job(progress: Any, _cancelled: Any) -> list[FilePreview]:
            return preview_returns(self.db, self.round_id, paths, evidence_dir=folder, department=dept,
                                   progress=progress)

        self.runner.run(self, self.tr("正在读取回执"), job, self.show_previews,
                        lambda exc: show_error(self, exc, self.tr("无法预览")))

    def show_previews(self, previews: list[FilePreview]) -> None:
        self.previews = previews
        self.files.clear()
        for fp in previews:
            self.decisions.setdefault(fp.path, {})
            self.flags.setdefault(fp.path, (False, fp.superseded_by is not None))
            item = QStandardItem(f"{fp.file_name}\n{fp.department or self.tr('部门不明')}：{fp.summary()}")
            item.setEditable(False)
            item.setCheckable(True)
            ok = fp.mergeable and fp.already_received is None
            item.setCheckState(Qt.CheckState.Checked if ok else Qt.CheckState.Unchecked)
            item.setEnabled(True)
            if fp.errors:
                item.setCheckable(False)
                item.setForeground(QBrush(QColor("#a00000")))
            self.files.appendRow(item)
        self.import_button.setEnabled(any(fp.mergeable for fp in previews))
        if previews:
            self.file_view.setCurrentIndex(self.files.index(0, 0))
            self.show_file()

    def current(self) -> FilePreview | None:
        index = self.file_view.currentIndex()
        return self.previews[index.row()] if index.isValid() and index.row() < len(self.previews) else None

    def show_file(self) -> None:
        fp = self.current()
        self.model.set_preview(fp, self.decisions.get(fp.path, {}) if fp else {})
        if fp is None:
            return
        sent = f"{fp.sent_at:%Y-%m-%d %H:%M} 下发" if fp.sent_at else self.tr("没有下发记录")
        self.file_title.setText(f"<b>{fp.file_name}</b>　{fp.department}　{sent}　"
                                + self.tr("匹配方式：%s") % (self.tr("问题编号") if fp.matched_by == "id"
                                                          else self.tr("序号和问题内容（须确认）")))
        confirm, newer = self.flags.get(fp.path, (False, False))
        for box, value, enabled in ((self.confirm, confirm, fp.needs_confirmation),
                                    (self.newer_only, newer, fp.superseded_by is not None)):
            box.blockSignals(True)
            box.setChecked(value)
            box.setEnabled(enabled and not fp.errors)
            box.setVisible(enabled)
            box.blockSignals(False)
        lines = [f"错误：{e}" for e in fp.errors] + fp.notes + fp.ignored_rows + fp.missing
        if fp.phones or fp.reporters:
            lines.append(self.tr("填报人：%s　联系电话：%s") % (fp.reporters or "—", fp.phones or "—"))
        self.notes.setPlainText("\n".join(lines) or self.tr("没有需要说明的情况。"))

    def _remember_flags(self) -> None:
        fp = self.current()
        if fp is not None:
            self.flags[fp.path] = (self.confirm.isChecked(), self.newer_only.isChecked())

    def decide(self, choice: str) -> None:
        rows = {i.row() for i in self.view.selectionModel().selectedIndexes()}
        if not any(self.model.decide(r, choice) for r in sorted(rows)):
            QMessageBox.information(self, self.tr("冲突"), self.tr("请先在表中选择一行冲突（红色）。"))

    # -- merge ---------------------------------------------------------------------------------
    def chosen(self) -> list[FilePreview]:
        return [fp for i, fp in enumerate(self.previews)
                if self.files.item(i).checkState() == Qt.CheckState.Checked and not fp.errors]

    def merge(self) -> None:
        chosen = self.chosen()
        if not chosen:
            QMessageBox.information(self, self.tr("导入回执"), self.tr("请勾选要导入的回执。"))
            return
        unconfirmed = [fp.file_name for fp in chosen if fp.needs_confirmation and not self.flags[fp.path][0]]
        if unconfirmed:
            QMessageBox.information(self, self.tr("导入回执"), self.tr("以下回执是按序号和问题内容匹配的，请逐项核对后勾选"
                                                                  "“确认匹配无误”：\n%s") % "\n".join(unconfirmed))
            return
        plan = [(fp, dict(self.decisions[fp.path]), self.flags[fp.path]) for fp in chosen]

        def job(progress: Any, _cancelled: Any) -> list[MergeOutcome | str]:
            out: list[MergeOutcome | str] = []
            for n, (fp, decisions, (confirm, newer)) in enumerate(plan, 1):
                try:   # one transaction per file: a refused file leaves the others merged
                    out.append(merge_return(self.db, fp, decisions, confirm_match=confirm, newer_only=newer))
                except Exception as exc:
                    out.append(f"{fp.file_name}：{message_for(exc)}")
                progress(n, len(plan), fp.file_name)
            return out

        self.import_button.setEnabled(False)
        self.runner.run(self, self.tr("正在导入回执"), job, self._merged,
                        lambda exc: show_error(self, exc, self.tr("未导入")))

    def _merged(self, results: list[MergeOutcome | str]) -> None:
        self.outcomes = [r for r in results if isinstance(r, MergeOutcome)]
        lines = [self.tr("%s（%s）：更新 %d 个问题，进展 %d 条，佐证材料 %d 个，待定冲突 %d 处")
                 % (r.file_name, r.department, r.items_updated, r.progress_added, r.evidence_added, r.conflicts_open)
                 if isinstance(r, MergeOutcome) else self.tr("未导入：%s") % r for r in results]
        lines += [n for r in self.outcomes for n in r.notes]
        QMessageBox.information(self, self.tr("导入回执"), "\n".join(lines))
        self.accept()
