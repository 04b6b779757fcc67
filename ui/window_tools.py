"""The window's menu commands that open dialogs or run long work (kept out of the window's own module).

The handlers see the window only through `WindowHost` (ui/host.py). Each dialog's module is imported
when the dialog is first opened: none is needed for the first screen."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from ui.errors import show_error
from ui.services import evidence, rounds

if TYPE_CHECKING:
    from app.restore import BackupSummary
    from ui.host import WindowHost


class WindowTools:
    def __init__(self, host: WindowHost) -> None:
        self.host = host

    def tr(self, text: str) -> str:
        return self.host.widget().tr(text)

    def _after(self, dialog: Any) -> bool:
        ok = bool(dialog.exec())
        self.host.refresh()
        return ok

    # -- rounds ---------------------------------------------------------------------------
    def new_round(self) -> None:
        from ui.dialogs.round_wizard import RoundWizard

        wizard = RoundWizard(self.host.db, self.host.widget())
        if wizard.exec() and wizard.round_id is not None:
            self.host.reload_rounds(wizard.round_id)
            self.host.show_message(self.tr("已创建轮次。可在“设置 → 问题分类”中建立方面和项。"), 8000)

    def edit_round(self) -> None:
        from ui.dialogs.round_dialog import RoundDialog

        rid = self.host.round_id
        if rid is not None and RoundDialog(self.host.db, rid, self.host.widget()).exec():
            self.host.reload_rounds(rid)

    def delete_round(self) -> None:
        if self.host.round_id is None:
            return
        parent = self.host.widget()
        r = rounds.get_round(self.host.db, self.host.round_id)
        text, ok = QInputDialog.getText(
            parent, self.tr("删除本轮"),
            self.tr("删除“%s”及其全部问题、措施和记录，不能撤销。\n确认请输入轮次名称：") % r.title)
        if not ok:
            return
        if text.strip() != r.title:
            QMessageBox.information(parent, self.tr("删除本轮"), self.tr("名称不一致，未删除。"))
            return
        try:
            rounds.delete_round(self.host.db, r.id)
        except Exception as exc:
            show_error(parent, exc)
            return
        self.host.reload_rounds()

    # -- one problem ---------------------------------------------------------------------------
    def change_status(self) -> None:
        from ui.dialogs.status_dialog import StatusDialog

        row = self.host.current_problem()
        if row is None:
            QMessageBox.information(self.host.widget(), self.tr("更改状态"), self.tr("请先选择一个问题。"))
            return
        self.host.flush_edits()
        StatusDialog(self.host.undo, row, self.host.widget()).exec()
        self.host.refresh()

    # -- settings dialogs --------------------------------------------------------------------------
    def edit_unit(self) -> None:
        from ui.dialogs.settings import UnitDialog

        if self.host.round_id is not None:
            unit_id = rounds.get_round(self.host.db, self.host.round_id).unit_id
            if self._after(UnitDialog(self.host.db, unit_id, self.host.widget())):
                self.host.reload_rounds(self.host.round_id)

    def edit_directory(self) -> None:
        from ui.dialogs.directory import DirectoryDialog

        self._after(DirectoryDialog(self.host.db, self.host.widget()))
        self.host.directory_changed()

    def edit_categories(self) -> None:
        from ui.dialogs.categories import CategoryDialog

        if self.host.round_id is not None:
            self._after(CategoryDialog(self.host.undo, self.host.round_id, self.host.widget()))

    def edit_figures(self) -> None:
        from ui.dialogs.settings import FiguresDialog

        if self.host.round_id is not None:
            self._after(FiguresDialog(self.host.db, self.host.round_id, self.host.widget()))

    def edit_regulations(self) -> None:
        from ui.dialogs.lists import RegulationsDialog

        if self.host.round_id is not None:
            self._after(RegulationsDialog(self.host.db, self.host.round_id, self.host.widget()))

    def edit_notice(self) -> None:
        from ui.dialogs.settings import NoticeTextDialog

        if self.host.round_id is not None:
            self._after(NoticeTextDialog(self.host.db, self.host.round_id, self.host.widget()))

    def edit_size_limit(self) -> None:
        from app import local_settings

        db, parent = self.host.db, self.host.widget()
        current = int(local_settings.load(db.data_dir)["max_evidence_mb"])
        value, ok = QInputDialog.getInt(parent, self.tr("佐证材料大小上限"),
                                        self.tr("单个佐证材料文件最大（MB）："), current, 1, 4096)
        if ok:
            try:
                local_settings.set_value(db.data_dir, "max_evidence_mb", value)
            except Exception as exc:
                show_error(parent, exc)

    def edit_clerk_name(self) -> None:
        from ui.ask import ask_clerk_name

        if ask_clerk_name(self.host.db, self.host.widget()):
            self.host.show_message(self.tr("此后的进展记录和操作日志署名为“%s”。") % self.host.db.clerk, 8000)

    def edit_fonts(self) -> None:
        from ui.dialogs.font_dialog import FontDialog

        FontDialog(self.host.db.data_dir, self.host.widget()).exec()

    def recycle_bin(self) -> None:
        from ui.dialogs.recycle_bin import RecycleBinDialog

        self.host.flush_edits()
        self._after(RecycleBinDialog(self.host.db, self.host.widget(), self.host.runner))

    # -- data safety (long work off the GUI thread) -------------------------------------------------
    def backup(self) -> None:
        from app.backup import write_backup
        from ui import file_dialogs

        host, parent = self.host, self.host.widget()
        name = f"巡察整改台账备份-{dt.date.today():%Y%m%d}.zip"   # one a day: yesterday's is not overwritten
        target = file_dialogs.save_file(parent, host.settings, self.tr("备份到"), name,
                                        self.tr("备份文件 (*.zip)"))
        if target is None:
            return
        host.flush_edits()
        host.runner.run(parent, self.tr("正在备份"),
                        lambda progress, _cancelled: write_backup(host.db, target, progress),
                        lambda path: host.show_message(self.tr("备份已写入：%s") % path, 15000),
                        lambda exc: show_error(parent, exc, self.tr("备份未完成")))

    def restore(self) -> None:
        from app.backup import restore_backup
        from app.restore import backup_summary
        from ui import file_dialogs
        from ui.ask import confirm_destructive

        host, parent = self.host, self.host.widget()
        source = file_dialogs.open_file(parent, host.settings, self.tr("选择备份文件"), self.tr("备份文件 (*.zip)"))
        if source is None:
            return
        try:  # the manifest only: small, read here; the archive is checked and unpacked on the runner's thread
            summary = backup_summary(source)
        except Exception as exc:
            show_error(parent, exc, self.tr("未恢复"))
            return
        if not confirm_destructive(parent, self.tr("从备份恢复"), self._describe_backup(source, summary)
                                   + self.tr("用这个备份替换当前全部数据？当前数据库会先另存一份。")):
            return

        def restored(safety: Any) -> None:
            host.show_message(self.tr("已从备份恢复。") + (
                self.tr("原数据库另存为 %s，可在“文件 → 恢复前的安全副本”中换回。") % safety.name if safety else ""),
                15000)

        self.swap_database(parent, self.tr("正在从备份恢复"),
                           lambda path, progress: restore_backup(source, path, progress), restored)

    def _describe_backup(self, source: Path, summary: BackupSummary) -> str:
        """备份文件、备份时间、问题数/佐证材料数, as far as the backup tells them; a line each."""
        lines = [self.tr("备份文件：%1").replace("%1", source.name)]
        if summary.created is not None:
            lines.append(self.tr("备份时间：%1").replace("%1", f"{summary.created:%Y-%m-%d %H:%M}"))
        if summary.problems is not None:
            lines.append(self.tr("其中问题 %1 个，佐证材料 %2 份。").replace("%1", str(summary.problems))
                         .replace("%2", str(summary.evidence)))
        else:
            lines.append(self.tr("其中佐证材料 %1 份。").replace("%1", str(summary.evidence)))
        return "\n".join(lines) + "\n\n"

    def safety_copies(self) -> None:
        from app.safety_copies import undo_restore
        from ui.dialogs.restore_dialog import SafetyCopiesDialog

        host = self.host

        def swap(dialog: SafetyCopiesDialog, name: str, finished: Callable[[bool], object]) -> None:
            def swapped(_result: Any) -> None:
                host.show_message(self.tr("已换回安全副本 %s。") % name, 15000)
                finished(True)

            if not self.swap_database(dialog, self.tr("正在换回安全副本"),
                                      lambda path, progress: undo_restore(path, name, progress=progress),
                                      swapped, lambda: finished(False)):
                finished(False)

        host.flush_edits()
        SafetyCopiesDialog(host.db.path, swap, host.widget()).exec()

    def swap_database(self, parent: QWidget, title: str, job: Callable[[Path, Any], Any],
                      on_done: Callable[[Any], object], on_failed: Callable[[], object] | None = None) -> bool:
        """Run `job(db_path, progress)` on the runner's thread with the database closed (a restore needs the
        file to itself). The database is closed and opened again here, on the GUI thread; meanwhile the window
        takes no input (the progress dialog shows at once and cannot be closed). False if it could not start."""
        host = self.host
        host.flush_edits()
        if not host.runner.idle:
            QMessageBox.information(parent, title, self.tr("还有后台任务在运行，请等它完成后再进行。"))
            return False
        db = host.db
        db.close()

        def reopen() -> bool:
            try:
                db.open()
            except Exception as exc:
                show_error(parent, exc, self.tr("无法打开台账"))
                return False
            return True

        def done(result: Any) -> None:
            host.undo.stack.clear()  # the commands on it were for the ledger that has just been replaced
            if reopen():
                host.reload_rounds(host.round_id)
                on_done(result)

        def failed(exc: BaseException) -> None:  # nothing was replaced: the same ledger opens again
            reopen()
            show_error(parent, exc, self.tr("未恢复"))
            if on_failed is not None:
                on_failed()

        try:
            host.runner.run(parent, title, lambda progress, _cancelled: job(db.path, progress), done, failed,
                            cancellable=False, block_now=True)
        except BaseException:
            reopen()
            raise
        return True

    def check(self) -> None:
        host, parent = self.host, self.host.widget()
        host.runner.run(parent, self.tr("正在检查数据"),
                        lambda progress, _c: evidence.check_store(host.db, progress),
                        lambda report: QMessageBox.information(parent, self.tr("检查结果"), "\n".join(report.lines())),
                        lambda exc: show_error(parent, exc))

    # -- import, export, print ------------------------------------------------------------------------
    def import_file(self) -> None:
        from ui.dialogs.import_dialog import ImportDialog

        self.host.flush_edits()
        dialog = ImportDialog(self.host.db, self.host.widget(), current_round=self.host.round_id)
        if dialog.exec() and dialog.round_id is not None:
            self.host.reload_rounds(dialog.round_id)
            self.host.show_message(self.tr("导入完成。"), 8000)

    def export(self, what: str = "notice") -> None:
        from ui.dialogs.export_dialog import ExportDialog

        if self.host.round_id is None:
            return
        self.host.flush_edits()
        selected = [r.id for r in self.host.selected_problems()]
        dialog = ExportDialog(self.host.db, self.host.round_id, self.host.runner, self.host.widget(), what, selected,
                              self.host.current_category())
        dialog.problem_requested.connect(self.host.select_problem)  # a preflight entry: show that problem
        dialog.exec()

    def collect(self) -> None:
        from ui.dialogs.collect_dialog import CollectDialog

        if self.host.round_id is not None:
            self._after(CollectDialog(self.host.db, self.host.round_id, self.host.runner, self.host.widget()))

    def print_preview(self) -> None:
        import shutil
        import tempfile
        from pathlib import Path

        from app.exporting.service import export
        from ui.print_preview import preview_pdf

        host, parent = self.host, self.host.widget()
        if host.round_id is None:
            return
        choices = {self.tr("通报（公开版）"): "notice", self.tr("整改台账（横向表格）"): "ledger",
                   self.tr("佐证材料汇编"): "evidence"}
        name, ok = QInputDialog.getItem(parent, self.tr("打印预览"), self.tr("打印哪一份？"), list(choices), 0, False)
        if not ok:
            return
        host.flush_edits()
        folder = Path(tempfile.mkdtemp(prefix="xuncha-print-"))
        round_id, db = host.round_id, host.db

        def shown(result: Any) -> None:  # the PDF is only for the preview: no copy of the case left in the temp folder
            try:
                preview_pdf(result.path, parent)
            finally:
                shutil.rmtree(folder, ignore_errors=True)

        def failed(exc: BaseException) -> None:
            shutil.rmtree(folder, ignore_errors=True)
            show_error(parent, exc, self.tr("无法打印"))

        host.runner.run(parent, self.tr("正在准备打印"),
                        lambda progress, cancelled: export(db, choices[name], round_id, "pdf", folder / "print.pdf",
                                                           progress=progress, cancelled=cancelled),
                        shown, failed)

    def about(self) -> None:
        QMessageBox.about(self.host.widget(), self.tr("关于"), self.tr(
            "<b>巡察整改台账</b><br>巡察整改的台账、销号与佐证材料管理。<br>数据保存在本机：%s") % self.host.db.path)
