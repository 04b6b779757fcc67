"""The window's commands on problems: new, delete, move, attach files. Each is one undoable command."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from ui.commands import AttachFiles, CreateProblem, DeleteProblems, MoveProblems
from ui.errors import show_error

if TYPE_CHECKING:
    from ui.host import WindowHost

FILE_FILTER = "佐证材料 (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.bmp *.doc *.docx *.xls *.xlsx *.wps *.et);;所有文件 (*)"


class ProblemTools:
    def __init__(self, host: WindowHost) -> None:
        self.host = host

    def tr(self, text: str) -> str:
        return self.host.widget().tr(text)

    def new_problem(self) -> None:
        """Ask for the text and the category (the one chosen in the tree, or the selected problem's)."""
        from ui.dialogs.new_problem import NewProblemDialog

        host = self.host
        if host.round_id is None:
            return
        chosen = host.current_category()
        current = host.current_problem()
        default = chosen[0] if chosen else (current.category_id if current else None)
        dialog = NewProblemDialog(host.category_choices(), default, host.widget())
        if not dialog.exec():
            return
        try:
            pid = host.undo.execute(CreateProblem(host.undo, host.round_id, dialog.text(), dialog.category_id()))
        except Exception as exc:
            show_error(host.widget(), exc)
            return
        host.select_problem(pid)
        host.show_message(self.tr("已新建问题，可在下方填写责任人和时限。"), 5000)

    def delete_problems(self) -> None:
        from ui.ask import confirm_destructive

        rows = self.host.selected_problems()
        if not rows:
            return
        numbers = "、".join(str(r.number) for r in rows)
        if not confirm_destructive(self.host.widget(), self.tr("删除问题"), self.tr(
                "删除第 %s 个问题？\n它的措施、进展记录、佐证材料关联和审核记录一并移入回收站，"
                "可用 Ctrl+Z 撤销，或在“设置 → 回收站”中恢复。") % numbers):
            return
        try:
            self.host.undo.execute(DeleteProblems(self.host.undo, [r.id for r in rows]))
        except Exception as exc:
            show_error(self.host.widget(), exc)
            return
        self.host.show_message(self.tr("已删除。按 Ctrl+Z 可撤销。"), 5000)

    def move_problems(self, ids: list[int], category_id: int | None, index: int) -> None:
        try:
            self.host.undo.execute(MoveProblems(self.host.undo, ids, category_id, index))
        except Exception as exc:
            show_error(self.host.widget(), exc)

    def choose_files(self) -> None:
        from ui import file_dialogs

        row = self.host.current_problem()
        if row is None:
            QMessageBox.information(self.host.widget(), self.tr("添加佐证材料"), self.tr("请先选择一个问题。"))
            return
        paths = file_dialogs.open_files(self.host.widget(), self.host.settings, self.tr("选择佐证材料"),
                                        self.tr(FILE_FILTER))
        if paths:
            self.attach_files(row.id, paths)

    def attach_files(self, problem_id: int, paths: list[Path]) -> None:
        """Copy files into the store off the GUI thread; the result lands on the undo stack as one step."""
        host = self.host
        cmd = AttachFiles(host.undo, problem_id, list(paths))

        def done(batch: Any) -> None:
            if batch.cancelled:
                host.show_message(self.tr("已取消，未添加任何文件。"), 5000)
                return
            if batch.link_ids:
                host.undo.push_applied(cmd)
            taken = [p for p in paths if p.name not in {name for name, _m in batch.refused}]
            host.files_assigned(taken)
            host.refresh()
            host.select_problem(problem_id)
            linked = sum(1 for r in batch.results if r.already_stored)
            msg = self.tr("已添加 %d 个佐证材料") % len(batch.results)
            if linked:
                msg += self.tr("（其中 %d 个已在库中，直接关联，未重复存储）") % linked
            host.show_message(msg, 8000)
            if batch.refused:
                QMessageBox.warning(host.widget(), self.tr("有文件未能添加"),
                                    "\n".join(message for _name, message in batch.refused))

        host.runner.run(host.widget(), self.tr("添加佐证材料"), cmd.attach, done,
                        lambda exc: show_error(host.widget(), exc, self.tr("未能添加佐证材料")))
