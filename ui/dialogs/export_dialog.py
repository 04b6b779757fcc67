"""导出 dialog: what, format, options; a preview of the notice's text, of each text-hygiene change and of
the preflight list (what the notice lacks; an entry with a problem jumps to it); names found in the public
text, for the clerk to confirm their redaction. The plan and the evidence volume take the date the clerk
chooses here (成文日期): unticked, none is printed and the preflight list says so.

The round is read once (one snapshot) and the notice composed off the GUI thread; an option toggled
composes again from the same snapshot. The export writes the very blocks the preview shows."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.exporting.compose_notice import ComposedNotice, compose_snapshot
from app.exporting.hygiene import Change
from app.exporting.plan import ComposedPlan
from app.exporting.preflight import PreflightItem, Severity
from app.exporting.service import DATED, FORMATS, KIND_NAMES, date_preflight, export, notice_options
from db.session import Database
from ui import file_dialogs
from ui.errors import show_error
from ui.services import rounds
from ui.workers import TaskRunner

RULES = ("标点", "括号", "引号", "日期")


def _refused(key: str) -> Change:
    """A change the user undid, rebuilt from its key so it stays listed (unticked)."""
    rule, before, context = key.split("|", 2)
    return Change(rule, before, "（保留原样）", context)


class ExportDialog(QDialog):
    problem_requested = Signal(int)   # a preflight entry was activated: the window shows that problem

    def __init__(self, db: Database, round_id: int, runner: TaskRunner, parent: Any = None,
                 what: str = "notice", selected: list[int] | None = None,
                 category: tuple[int, str] | None = None) -> None:
        super().__init__(parent)
        self.db, self.round_id, self.runner = db, round_id, runner
        self.result_path: Path | None = None
        self.snapshot: Any = None                  # the round, read once
        self.composed: ComposedNotice | None = None  # what the preview shows and the export writes
        self._generation = 0                       # the latest composition asked for
        self.confirmed_names: set[str] = set()
        self.setWindowTitle(self.tr("导出"))
        self.resize(980, 640)
        r = rounds.get_round(db, round_id)
        self.round_title = r.title

        left = QWidget()
        form = QFormLayout(left)
        self.what = QComboBox()
        for key, name in KIND_NAMES.items():
            self.what.addItem(name, key)
        self.what.setCurrentIndex(list(KIND_NAMES).index(what))
        self.format = QComboBox()
        self.public = QComboBox()
        self.public.addItem(self.tr("公开版（不含内部备注，按脱敏名单替换人名）"), True)
        self.public.addItem(self.tr("内部版（含责任人、进展、佐证材料和内部备注）"), False)
        self.sealed = QComboBox()
        self.sealed.addItem(self.tr("加盖印章（成文日期右空四字）"), True)
        self.sealed.addItem(self.tr("不加盖印章（网上公开）"), False)
        self.page_numbers = QComboBox()
        self.page_numbers.addItem(self.tr("单页在右、双页在左（GB/T 9704）"), "outside")
        self.page_numbers.addItem(self.tr("居中"), "centre")
        self.numbering = QComboBox()
        self.numbering.addItem(self.tr("按本轮的编号方案"), None)
        self.numbering.addItem(self.tr("每个方面重新编号"), True)
        self.numbering.addItem(self.tr("全文连续编号"), False)
        self.bold3 = QCheckBox(self.tr("三级标题“1.”加粗"))
        self.bold3.setChecked(True)
        self.mirror = QCheckBox(self.tr("双面打印对称页边距"))
        self.hashes = QCheckBox(self.tr("附录列出每个文件的 SHA-256"))
        self.scope = QComboBox()  # the evidence volume: whole round, a category, or the selected problems
        self.scope.addItem(self.tr("整轮巡察"), None)
        if category is not None:
            self.scope.addItem(self.tr("分类：%s") % category[1][:24], ("category", category[0]))
        if selected:
            self.scope.addItem(self.tr("台账中选中的 %d 个问题") % len(selected), ("problems", selected))
        # The plan's and the volume's own date: chosen by the clerk, never the notice's 成文日期 nor today unasked.
        self.dated = QCheckBox(self.tr("印日期"))
        self.dated.setToolTip(self.tr("整改方案的成文日期、佐证材料汇编封面的日期；不勾选则不印日期"))
        self.sign_date = QDateEdit(QDate.currentDate())
        self.sign_date.setCalendarPopup(True)
        self.sign_date.setDisplayFormat("yyyy年M月d日")
        self.sign_date.setEnabled(False)
        self.dated.toggled.connect(self._dated_toggled)
        self.sign_date.dateChanged.connect(self.refresh_preview)
        dated = QHBoxLayout()
        dated.addWidget(self.dated)
        dated.addWidget(self.sign_date, 1)
        rules = QHBoxLayout()
        self.rules: dict[str, QCheckBox] = {}
        for rule in RULES:
            box = QCheckBox(rule)
            box.setChecked(True)
            box.toggled.connect(self.refresh_preview)
            self.rules[rule] = box
            rules.addWidget(box)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("浏览…"))
        browse.clicked.connect(self.choose_path)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.fonts = QLabel()
        self.fonts.setWordWrap(True)
        self.fonts.setStyleSheet("color: #555")
        form.addRow(self.tr("导出内容"), self.what)
        form.addRow(self.tr("格式"), self.format)
        form.addRow(self.tr("版本"), self.public)
        form.addRow(self.tr("署名"), self.sealed)
        form.addRow(self.tr("页码"), self.page_numbers)
        form.addRow(self.tr("问题编号"), self.numbering)
        form.addRow("", self.bold3)
        form.addRow("", self.mirror)
        form.addRow("", self.hashes)
        form.addRow(self.tr("汇编范围"), self.scope)
        form.addRow(self.tr("成文日期"), dated)
        form.addRow(self.tr("文字规范处理"), rules)
        form.addRow(self.tr("保存到"), where)
        form.addRow(self.tr("字体"), self.fonts)

        right = QGroupBox(self.tr("预览"))
        rl = QVBoxLayout(right)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.changes = QListWidget()
        self.changes.itemChanged.connect(self._change_toggled)
        self.refused_changes: set[str] = set()
        self.preflight = QListWidget()
        self.preflight.setWordWrap(True)
        self.preflight.setToolTip(self.tr("双击带问题序号的一项，转到该问题"))
        self.preflight.itemActivated.connect(self._jump)
        self.preflight.itemDoubleClicked.connect(self._jump)
        self.names = QListWidget()
        self.names.setToolTip(self.tr("勾选的人名在公开版中替换为“某”，如 张三→张某"))
        self.names.itemChanged.connect(self._name_toggled)
        rl.addWidget(self.preview, 3)
        rl.addWidget(QLabel(self.tr("导出前检查（双击转到该问题）：")))
        rl.addWidget(self.preflight, 1)
        self.names_label = QLabel(self.tr("公开文本中的人名（勾选即脱敏，如 张三→张某）："))
        self.names.setMaximumHeight(110)
        rl.addWidget(self.names_label)
        rl.addWidget(self.names)
        rl.addWidget(QLabel(self.tr("将自动修改的文字（取消某一处的勾选即保留原样；上面的勾选针对一整类）：")))
        rl.addWidget(self.changes, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 560])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton(self.tr("导出"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.run_export)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split, 1)
        lay.addWidget(buttons)
        self.what.currentIndexChanged.connect(self._what_changed)
        self.format.currentIndexChanged.connect(self._suggest_path)
        for w in (self.public, self.sealed, self.numbering, self.page_numbers):
            w.currentIndexChanged.connect(self.refresh_preview)
        for box in (self.bold3, self.mirror):
            box.toggled.connect(self.refresh_preview)
        self._what_changed()

    # -- state -------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.what.currentData())

    def refused(self) -> tuple[str, ...]:
        rules = tuple(r for r, box in self.rules.items() if not box.isChecked())
        return rules + tuple(sorted(self.refused_changes))

    def options(self) -> Any:
        return notice_options(bool(self.public.currentData()), bool(self.sealed.currentData()),
                              str(self.page_numbers.currentData()), self.bold3.isChecked(), self.mirror.isChecked(),
                              self.refused(), self.numbering.currentData(), tuple(sorted(self.confirmed_names)))

    def chosen_date(self) -> dt.date | None:
        """The date the clerk chose for a plan or a volume (None: print none)."""
        if self.kind() not in DATED or not self.dated.isChecked():
            return None
        return self.sign_date.date().toPython()  # type: ignore[no-any-return]

    def _dated_toggled(self, on: bool) -> None:
        self.sign_date.setEnabled(on and self.kind() in DATED)
        self.refresh_preview()

    def _jump(self, item: QListWidgetItem) -> None:
        pid = item.data(Qt.ItemDataRole.UserRole)
        if pid is not None:
            self.problem_requested.emit(int(pid))
            self.reject()  # the clerk goes to mend the problem; the export waits for another time

    def _name_toggled(self, item: QListWidgetItem) -> None:
        name = str(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            self.confirmed_names.add(name)
        else:
            self.confirmed_names.discard(name)
        self.refresh_preview()

    def _change_toggled(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self.refused_changes.discard(key)
        else:
            self.refused_changes.add(key)
        self.refresh_preview()

    def _what_changed(self) -> None:
        kind = self.kind()
        self.format.blockSignals(True)
        self.format.clear()
        for fmt in FORMATS[kind]:
            self.format.addItem(f".{fmt}", fmt)
        self.format.blockSignals(False)
        notice = kind == "notice"
        for w in (self.public, self.sealed, self.page_numbers, self.numbering, self.bold3, self.mirror,
                  *self.rules.values()):
            w.setEnabled(notice)
        self.hashes.setEnabled(kind == "evidence")
        self.scope.setEnabled(kind == "evidence")
        self.dated.setEnabled(kind in DATED)
        self.sign_date.setEnabled(kind in DATED and self.dated.isChecked())
        self._suggest_path()
        self.refresh_preview()

    def _suggest_path(self) -> None:
        folder = str(file_dialogs.start_folder(file_dialogs.settings_for(self)))  # the last folder, or Documents
        name = f"{self.round_title}{KIND_NAMES[self.kind()]}.{self.format.currentData() or 'pdf'}"
        current = Path(self.path.text()) if self.path.text() else Path(folder) / name
        self.path.setText(str(current.with_name(name)))
        fmt = self.format.currentData()
        if fmt == "pdf":
            self.fonts.setText(self.tr("正在查找字体…"))

            def fonts_job(_progress: Any, _cancelled: Any) -> str:
                from app.exporting.font_settings import load_chosen
                from app.exporting.fonts import describe, prepare, resolve_all

                try:  # the fonts read now, off the GUI thread: the export only writes
                    return "；".join(describe(prepare(resolve_all(load_chosen(self.db.data_dir)))))
                except FileNotFoundError as exc:
                    return str(exc)

            self.runner.run(self, self.tr("查找字体"), fonts_job, self.fonts.setText,
                            lambda exc: self.fonts.setText(str(exc)))
        elif fmt == "docx":
            self.fonts.setText(self.tr("Word 文件写入公文字体名称（仿宋_GB2312、黑体、楷体_GB2312、方正小标宋简体）"))
        else:
            self.fonts.setText(self.tr("Excel 文件不嵌入字体，由 Excel 按单元格格式显示"))

    def choose_path(self) -> None:
        fmt = self.format.currentData()
        chosen = file_dialogs.save_file(self, file_dialogs.settings_for(self), self.tr("保存到"), self.path.text(),
                                        f"*.{fmt}")
        if chosen is not None:
            path = str(chosen)
            self.path.setText(path if path.lower().endswith(f".{fmt}") else f"{path}.{fmt}")

    def refresh_preview(self) -> None:
        """Compose the notice, or the plan, off the GUI thread; the round is read once, the first time."""
        self.changes.clear()
        kind = self.kind()
        if kind not in ("notice", "plan"):
            self._generation += 1  # a composition still running is not shown
            self.preview.setPlainText(self.tr("（预览适用于通报和整改方案；台账和汇编直接按数据生成。）"))
            self._show_preflight([PreflightItem(Severity.MISSING, m)
                                  for m in date_preflight(kind, self.chosen_date())], checked=False)
            self._hide_names()
            self.go.setEnabled(True)
            return
        self._generation += 1
        generation, opts, snapshot, date = self._generation, self.options(), self.snapshot, self.chosen_date()
        db, round_id = self.db, self.round_id
        self.go.setEnabled(False)

        def job(_progress: Any, _cancelled: Any) -> tuple[Any, Any]:
            from app.services.snapshot import read_snapshot

            snap = snapshot if snapshot is not None else read_snapshot(db, round_id)
            if kind == "plan":
                from app.exporting.plan import compose_plan

                return snap, compose_plan(snap, date)
            return snap, compose_snapshot(snap, opts)

        def done(result: tuple[Any, Any]) -> None:
            self.snapshot = result[0]
            if generation == self._generation:  # an older composition that finished late is dropped
                (self.show_plan if kind == "plan" else self.show_composed)(result[1])

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.preview.setPlainText(str(exc))

        self.runner.run(self, self.tr("正在生成预览"), job, done, failed)

    def show_plan(self, plan: ComposedPlan) -> None:
        """The plan as it will be written, and what it lacks (an entry with a problem jumps to it)."""
        self.go.setEnabled(True)
        self.preview.setPlainText(plan.document.plain_text())
        self._show_preflight(plan.missing)
        self._hide_names()

    def _show_preflight(self, items: list[PreflightItem], checked: bool = True) -> None:
        """The entries; with none, "没有发现缺项" where the document was `checked` (a ledger or volume is not)."""
        self.preflight.clear()
        for entry in items:
            item = QListWidgetItem(str(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.problem_id)
            if entry.severity == Severity.MISSING:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.preflight.addItem(item)
        if not items and checked:
            self.preflight.addItem(self.tr("没有发现缺项。"))

    def _hide_names(self) -> None:
        self.names.clear()
        self.names_label.setVisible(False)
        self.names.setVisible(False)

    def show_composed(self, composed: ComposedNotice) -> None:
        self.composed = composed
        self.go.setEnabled(True)
        self.preview.setPlainText(composed.document.plain_text())
        self.changes.blockSignals(True)
        self.changes.clear()
        shown = list(composed.changes[:500]) + [_refused(k) for k in sorted(self.refused_changes)]
        for c in shown:
            item = QListWidgetItem(f"[{c.rule}] {c.before} → {c.after}　…{c.context}…")
            item.setData(Qt.ItemDataRole.UserRole, c.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if c.key in self.refused_changes else Qt.CheckState.Checked)
            self.changes.addItem(item)
        self.changes.blockSignals(False)
        self._show_preflight(composed.preflight)
        self.names.blockSignals(True)
        self.names.clear()
        for name in sorted(set(composed.found_names) | self.confirmed_names):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in self.confirmed_names else Qt.CheckState.Unchecked)
            self.names.addItem(item)
        self.names.blockSignals(False)
        for w in (self.names_label, self.names):  # only when there are names to decide on
            w.setVisible(self.names.count() > 0)

    # -- export ------------------------------------------------------------------------------
    def run_export(self) -> None:
        target = Path(self.path.text().strip())
        if not self.path.text().strip():
            QMessageBox.warning(self, self.windowTitle(), self.tr("请选择保存位置。"))
            return
        kwargs: dict[str, Any] = {}
        kind, fmt = self.kind(), str(self.format.currentData())
        if kind == "notice":
            if self.composed is None:
                QMessageBox.warning(self, self.windowTitle(), self.tr("预览尚未生成，请稍候再导出。"))
                return
            kwargs["composed"] = self.composed  # the blocks the preview shows
        if kind in DATED:
            kwargs["sign_date"] = self.chosen_date()
        if kind == "evidence":
            kwargs["include_hashes"] = self.hashes.isChecked()
            scope = self.scope.currentData()
            if scope is not None:
                kwargs["category_id" if scope[0] == "category" else "problem_ids"] = scope[1]

        def job(progress: Any, cancelled: Any) -> Any:
            return export(self.db, kind, self.round_id, fmt, target, progress=progress, cancelled=cancelled,
                          **kwargs)

        def done(result: Any) -> None:
            self.result_path = result.path
            QMessageBox.information(self, self.windowTitle(), self.tr("已导出：\n%s") % result.path
                                    + ("\n" + "\n".join(result.notes) if result.notes else ""))
            self.accept()

        self.runner.run(self, self.tr("正在导出%s") % KIND_NAMES[kind], job, done,
                        lambda exc: show_error(self, exc, self.tr("导出未完成")))
