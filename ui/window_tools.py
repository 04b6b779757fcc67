"""The window's menu commands that open dialogs or run long work (kept out of main_window.py).

Each dialog's module is imported when the dialog is first opened: none is needed for the first screen."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from ui.errors import show_error
from ui.services import evidence, rounds

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class WindowTools:
    def __init__(self, window: MainWindow) -> None:
        self.w = window

    def _after(self, dialog: Any) -> bool:
        ok = bool(dialog.exec())
        self.w.refresh()
        return ok

    # -- rounds ---------------------------------------------------------------------------
    def new_round(self) -> None:
        from ui.dialogs.round_wizard import RoundWizard

        wizard = RoundWizard(self.w.db, self.w)
        if wizard.exec() and wizard.round_id is not None:
            self.w.reload_rounds(wizard.round_id)
            self.w.statusBar().showMessage(self.w.tr("已创建轮次。可在“设置 → 问题分类”中建立方面和项。"), 8000)

    def edit_round(self) -> None:
        from ui.dialogs.round_dialog import RoundDialog

        if self.w.round_id is not None and RoundDialog(self.w.db, self.w.round_id, self.w).exec():
            self.w.reload_rounds(self.w.round_id)

    def delete_round(self) -> None:
        if self.w.round_id is None:
            return
        r = rounds.get_round(self.w.db, self.w.round_id)
        text, ok = QInputDialog.getText(
            self.w, self.w.tr("删除本轮"),
            self.w.tr("删除“%s”及其全部问题、措施和记录，不能撤销。\n确认请输入轮次名称：") % r.title)
        if not ok:
            return
        if text.strip() != r.title:
            QMessageBox.information(self.w, self.w.tr("删除本轮"), self.w.tr("名称不一致，未删除。"))
            return
        try:
            rounds.delete_round(self.w.db, r.id)
        except Exception as exc:
            show_error(self.w, exc)
            return
        self.w.reload_rounds()

    # -- one problem ---------------------------------------------------------------------------
    def change_status(self) -> None:
        from ui.dialogs.status_dialog import StatusDialog

        row = self.w.table.current_problem()
        if row is None:
            QMessageBox.information(self.w, self.w.tr("更改状态"), self.w.tr("请先选择一个问题。"))
            return
        self._after(StatusDialog(self.w.undo, row, self.w))

    # -- settings dialogs --------------------------------------------------------------------------
    def edit_unit(self) -> None:
        from ui.dialogs.settings import UnitDialog

        if self.w.round_id is not None:
            unit_id = rounds.get_round(self.w.db, self.w.round_id).unit_id
            if self._after(UnitDialog(self.w.db, unit_id, self.w)):
                self.w.reload_rounds(self.w.round_id)

    def edit_directory(self) -> None:
        from ui.dialogs.directory import DirectoryDialog

        self._after(DirectoryDialog(self.w.db, self.w))
        self.w.editor.form.load_directory()

    def edit_categories(self) -> None:
        from ui.dialogs.categories import CategoryDialog

        if self.w.round_id is not None:
            self._after(CategoryDialog(self.w.undo, self.w.round_id, self.w))

    def edit_figures(self) -> None:
        from ui.dialogs.settings import FiguresDialog

        if self.w.round_id is not None:
            self._after(FiguresDialog(self.w.db, self.w.round_id, self.w))

    def edit_regulations(self) -> None:
        from ui.dialogs.lists import RegulationsDialog

        if self.w.round_id is not None:
            self._after(RegulationsDialog(self.w.db, self.w.round_id, self.w))

    def edit_notice(self) -> None:
        from ui.dialogs.settings import NoticeTextDialog

        if self.w.round_id is not None:
            self._after(NoticeTextDialog(self.w.db, self.w.round_id, self.w))

    def edit_size_limit(self) -> None:
        from app import local_settings

        current = int(local_settings.load(self.w.db.data_dir)["max_evidence_mb"])
        value, ok = QInputDialog.getInt(self.w, self.w.tr("佐证材料大小上限"),
                                        self.w.tr("单个佐证材料文件最大（MB）："), current, 1, 4096)
        if ok:
            try:
                local_settings.set_value(self.w.db.data_dir, "max_evidence_mb", value)
            except Exception as exc:
                show_error(self.w, exc)

    def edit_fonts(self) -> None:
        from ui.dialogs.font_dialog import FontDialog

        FontDialog(self.w.db.data_dir, self.w).exec()

    def recycle_bin(self) -> None:
        from ui.dialogs.lists import RecycleBinDialog

        self._after(RecycleBinDialog(self.w.db, self.w))

    # -- data safety (long work off the GUI thread) -------------------------------------------------
    def backup(self) -> None:
        from app.backup import write_backup

        target, _ = QFileDialog.getSaveFileName(self.w, self.w.tr("备份到"), "巡察整改台账备份.zip", "备份文件 (*.zip)")
        if not target:
            return
        self.w.runner.run(self.w, self.w.tr("正在备份"),
                          lambda progress, _cancelled: write_backup(self.w.db, Path(target), progress),
                          lambda path: QMessageBox.information(self.w, self.w.tr("备份"),
                                                               self.w.tr("备份已写入：\n%s") % path),
                          lambda exc: show_error(self.w, exc, self.w.tr("备份未完成")))

    def restore(self) -> None:
        from app.backup import restore_backup

        source, _ = QFileDialog.getOpenFileName(self.w, self.w.tr("选择备份文件"), "", "备份文件 (*.zip)")
        if not source:
            return
        if QMessageBox.question(self.w, self.w.tr("从备份恢复"),
                                self.w.tr("用备份替换当前全部数据？当前数据库会先另存一份。")) \
                != QMessageBox.StandardButton.Yes:
            return
        safety = self._swap_database(lambda path: restore_backup(source, path))
        if safety is not False:
            self.w.statusBar().showMessage(self.w.tr("已从备份恢复。") + (
                self.w.tr("原数据库另存为 %s，可在“文件 → 恢复前的安全副本”中换回。") % safety.name if safety else ""),
                15000)

    def safety_copies(self) -> None:
        from app.safety_copies import undo_restore
        from ui.dialogs.restore_dialog import SafetyCopiesDialog

        def swap(name: str) -> bool:
            result = self._swap_database(lambda path: undo_restore(path, name))
            if result is not False:
                self.w.statusBar().showMessage(self.w.tr("已换回安全副本 %s。") % name, 15000)
            return result is not False

        SafetyCopiesDialog(self.w.db.path, swap, self.w).exec()

    def _swap_database(self, job: Any) -> Any:
        """Run `job(db_path)` with the database closed (a restore needs it to itself); False on failure."""
        db = self.w.db
        self.w.editor.flush()
        db.close()
        try:
            result = job(db.path)
        except Exception as exc:
            show_error(self.w, exc, self.w.tr("未恢复"))
            db.open()
            return False
        db.open()
        self.w.reload_rounds()
        return result

    def check(self) -> None:
        self.w.runner.run(self.w, self.w.tr("正在检查数据"),
                          lambda progress, _c: evidence.check_store(self.w.db, progress),
                          lambda report: QMessageBox.information(self.w, self.w.tr("检查结果"),
                                                                 "\n".join(report.lines())),
                          lambda exc: show_error(self.w, exc))

    # -- import, export, print ------------------------------------------------------------------------
    def import_file(self) -> None:
        from ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.w.db, self.w, current_round=self.w.round_id)
        if dialog.exec() and dialog.round_id is not None:
            self.w.reload_rounds(dialog.round_id)
            self.w.statusBar().showMessage(self.w.tr("导入完成。"), 8000)

    def export(self, what: str = "notice") -> None:
        from ui.dialogs.export_dialog import ExportDialog

        if self.w.round_id is None:
            return
        from ui.models.round_tree import ID_ROLE, KIND_ROLE, PROBLEM

        selected = [r.id for r in self.w.table.selected_problems()]
        index = self.w.tree.currentIndex()
        category = None
        if index.isValid() and index.data(KIND_ROLE) != PROBLEM:
            category = (int(index.data(ID_ROLE)), str(index.data(Qt.ItemDataRole.ToolTipRole) or index.data()))
        dialog = ExportDialog(self.w.db, self.w.round_id, self.w.runner, self.w, what, selected, category)
        dialog.problem_requested.connect(self.w.select_problem)  # a preflight entry: show that problem
        dialog.exec()

    def collect(self) -> None:
        from ui.dialogs.collect_dialog import CollectDialog

        if self.w.round_id is not None:
            self._after(CollectDialog(self.w.db, self.w.round_id, self.w.runner, self.w))

    def print_preview(self) -> None:
        import tempfile

        from app.exporting.service import export
        from ui.print_preview import preview_pdf

        if self.w.round_id is None:
            return
        choices = {self.w.tr("通报（公开版）"): "notice", self.w.tr("整改台账（横向表格）"): "ledger",
                   self.w.tr("佐证材料汇编"): "evidence"}
        name, ok = QInputDialog.getItem(self.w, self.w.tr("打印预览"), self.w.tr("打印哪一份？"), list(choices), 0,
                                        False)
        if not ok:
            return
        folder = Path(tempfile.mkdtemp(prefix="xuncha-print-"))
        round_id = self.w.round_id
        self.w.runner.run(self.w, self.w.tr("正在准备打印"),
                          lambda progress, cancelled: export(self.w.db, choices[name], round_id, "pdf",
                                                             folder / "print.pdf", progress=progress,
                                                             cancelled=cancelled),
                          lambda result: preview_pdf(result.path, self.w),
                          lambda exc: show_error(self.w, exc, self.w.tr("无法打印")))

    def about(self) -> None:
        QMessageBox.about(self.w, self.w.tr("关于"), self.w.tr(
            "<b>巡察整改台账</b><br>巡察整改的台账、销号与佐证材料管理。<br>数据保存在本机：%s") % self.w.db.path)
