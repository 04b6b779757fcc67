"""Undoable edits. Each command's apply() and revert() call service functions, nothing more.

`Undo.execute(cmd)` applies the command first, so a refused edit raises to the
caller and never reaches the stack; later redo/undo errors are reported and the
command is dropped from the history.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack

from app.edit_conflict import EditConflict
from db.enums import Status
from db.session import Database
from ui.services import categories, evidence, measures, problems, status


class Undo:
    def __init__(self, db: Database, changed: Callable[[], None], failed: Callable[[BaseException], None]) -> None:
        self.db, self.changed, self.failed = db, changed, failed
        self.stack = QUndoStack()
        self.stack.setUndoLimit(500)
        # Asked when another clerk saved the row first (`ui/multi_user.py`): True = apply mine on top of
        # theirs, False = show theirs and drop mine; the second argument says what mine was. None: the
        # refusal goes to the caller.
        self.conflicted: Callable[[EditConflict, str], bool] | None = None

    def execute(self, cmd: ServiceCommand) -> Any:
        try:
            result = cmd.apply()
        except EditConflict as exc:
            if self.conflicted is None or not hasattr(cmd, "version"):
                raise
            if not self.conflicted(exc, cmd.mine()):
                self.changed()
                return None
            cmd.version = exc.current_version
            result = cmd.apply()
        self.push_applied(cmd)
        self.changed()
        return result

    def push_applied(self, cmd: ServiceCommand) -> None:
        """Put a command that has already been applied on the stack (QUndoStack.push calls redo())."""
        cmd.skip_redo = True
        self.stack.push(cmd)


def _in_words(value: Any) -> str:
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, bool):
        return "是" if value else "否"
    text = "（空）" if value is None or value == "" else str(value)
    return text if len(text) <= 40 else text[:40] + "…"


class ServiceCommand(QUndoCommand):
    def __init__(self, undo: Undo, text: str) -> None:
        super().__init__(text)
        self.ctx = undo
        self.db = undo.db
        self.skip_redo = False

    def apply(self) -> Any:
        raise NotImplementedError

    def mine(self) -> str:
        """The clerk's own change in words, for the question after another clerk saved first."""
        return self.text()

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self.skip_redo:  # the first application happened before the push
            self.skip_redo = False
            return
        self._safely(self.apply)

    def undo(self) -> None:
        self._safely(self.revert)

    def _safely(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception as exc:  # e.g. the row was changed elsewhere since
            self.setObsolete(True)
            self.ctx.failed(exc)
        self.ctx.changed()


class EditProblem(ServiceCommand):
    """`version`: the problem's version the form showed; each apply and revert expects the version the
    last one left, so neither writes over another clerk's change (`app/services/conflicts.py`)."""

    def __init__(self, undo: Undo, problem_id: int, old: dict[str, Any], new: dict[str, Any], label: str,
                 version: int | None = None) -> None:
        super().__init__(undo, f"修改{label}")
        self.problem_id, self.old, self.new, self.version = problem_id, old, new, version
        self.label = label

    def mine(self) -> str:
        if len(self.new) != 1:
            return self.text()
        [value] = self.new.values()
        return f"{self.label} → {_in_words(value)}"

    def _save(self, values: dict[str, Any]) -> None:
        problems.update_problem(self.db, self.problem_id, expected_version=self.version, **values)
        if self.version is not None:
            self.version += 1

    def apply(self) -> None:
        self._save(self.new)

    def revert(self) -> None:
        self._save(self.old)


class CreateProblem(ServiceCommand):
    """Undo deletes the new problem softly; redo brings the same problem back."""

    def __init__(self, undo: Undo, round_id: int, text: str, category_id: int | None, **fields: Any) -> None:
        super().__init__(undo, "新建问题")
        self.round_id, self.problem_text, self.category_id, self.fields = round_id, text, category_id, fields
        self.problem_id: int | None = None

    def apply(self) -> int:
        if self.problem_id is not None:
            problems.restore_problems(self.db, [self.problem_id])
        else:
            self.problem_id = problems.create_problem(self.db, self.round_id, self.problem_text, self.category_id,
                                                      **self.fields)
        return self.problem_id

    def revert(self) -> None:
        assert self.problem_id is not None
        problems.delete_problems(self.db, [self.problem_id])


class DeleteProblems(ServiceCommand):
    """Deleting is soft: undo puts the problems back whole (measures, progress, evidence, reviews,
    extensions, links) in their places, under the same ids."""

    def __init__(self, undo: Undo, problem_ids: list[int]) -> None:
        super().__init__(undo, f"删除问题（{len(problem_ids)}个）" if len(problem_ids) > 1 else "删除问题")
        self.problem_ids = list(problem_ids)

    def apply(self) -> None:
        problems.delete_problems(self.db, self.problem_ids)

    def revert(self) -> None:
        problems.restore_problems(self.db, self.problem_ids)


class MoveProblems(ServiceCommand):
    def __init__(self, undo: Undo, ids: list[int], category_id: int | None, index: int) -> None:
        super().__init__(undo, "移动问题")
        self.ids, self.category_id, self.index = ids, category_id, index
        self.before: list[problems.Placement] = []

    def apply(self) -> None:
        self.before = problems.move_problems(self.db, self.ids, self.category_id, self.index)

    def revert(self) -> None:
        problems.place_problems(self.db, self.before)


class ChangeStatus(ServiceCommand):
    def __init__(self, undo: Undo, problem_id: int, new: Status, reason: str = "") -> None:
        super().__init__(undo, f"状态改为“{new.value}”")
        self.problem_id, self.new, self.reason = problem_id, new, reason
        self.change: status.StatusChange | None = None

    def apply(self) -> Status:
        self.change = status.set_status(self.db, self.problem_id, self.new, override_reason=self.reason)
        return self.change.new_status

    def revert(self) -> None:
        assert self.change is not None
        status.revert_status(self.db, self.change)


class AddMeasure(ServiceCommand):
    def __init__(self, undo: Undo, problem_id: int, text: str, **fields: Any) -> None:
        super().__init__(undo, "添加整改措施")
        self.problem_id, self.measure_text, self.fields = problem_id, text, fields
        self.measure_id: int | None = None

    def apply(self) -> int:
        if self.measure_id is not None:
            measures.restore_measure(self.db, self.measure_id)
        else:
            self.measure_id = measures.add_measure(self.db, self.problem_id, self.measure_text, **self.fields)
        return self.measure_id

    def revert(self) -> None:
        assert self.measure_id is not None
        measures.delete_measure(self.db, self.measure_id)


class EditMeasure(ServiceCommand):
    """`version`: as `EditProblem`'s, for the measure."""

    def __init__(self, undo: Undo, measure_id: int, old: dict[str, Any], new: dict[str, Any],
                 version: int | None = None) -> None:
        super().__init__(undo, "修改整改措施")
        self.measure_id, self.old, self.new, self.version = measure_id, old, new, version

    def _save(self, values: dict[str, Any]) -> None:
        measures.update_measure(self.db, self.measure_id, expected_version=self.version, **values)
        if self.version is not None:
            self.version += 1

    def apply(self) -> None:
        self._save(self.new)

    def revert(self) -> None:
        self._save(self.old)


class DeleteMeasure(ServiceCommand):
    """Soft, like a problem's delete: undo brings the same measure back in its place."""

    def __init__(self, undo: Undo, measure_id: int) -> None:
        super().__init__(undo, "删除整改措施")
        self.measure_id = measure_id

    def apply(self) -> None:
        measures.delete_measure(self.db, self.measure_id)

    def revert(self) -> None:
        measures.restore_measure(self.db, self.measure_id)


class MoveMeasure(ServiceCommand):
    def __init__(self, undo: Undo, measure_id: int, old_index: int, new_index: int) -> None:
        super().__init__(undo, "调整措施顺序")
        self.measure_id, self.old_index, self.new_index = measure_id, old_index, new_index

    def apply(self) -> None:
        measures.move_measure(self.db, self.measure_id, self.new_index)

    def revert(self) -> None:
        measures.move_measure(self.db, self.measure_id, self.old_index)


class LogProgress(ServiceCommand):
    def __init__(self, undo: Undo, problem_id: int, note: str, entry_date: dt.date) -> None:
        super().__init__(undo, "记录进展")
        self.problem_id, self.note, self.entry_date = problem_id, note, entry_date
        self.entry_id: int | None = None

    def apply(self) -> int:
        self.entry_id = measures.log_progress(self.db, self.problem_id, self.note, self.entry_date)
        return self.entry_id

    def revert(self) -> None:
        assert self.entry_id is not None
        measures.delete_progress(self.db, self.entry_id)


class AttachFiles(ServiceCommand):
    """Files attached to a problem (`evidence.attach_files`, run off the GUI thread and pushed once done);
    undo moves the new links to the recycle bin, redo takes them back out."""

    def __init__(self, undo: Undo, problem_id: int, paths: list[Path]) -> None:
        super().__init__(undo, f"添加佐证材料（{len(paths)}个）")
        self.problem_id, self.paths = problem_id, paths
        self.batch: evidence.AttachBatch | None = None

    def attach(self, progress: Any = None, cancelled: Any = None) -> evidence.AttachBatch:
        """The first application (on a worker thread): copy and link, in one transaction."""
        self.batch = evidence.attach_files(self.db, self.paths, self.problem_id, progress, cancelled)
        return self.batch

    def apply(self) -> None:
        assert self.batch is not None
        evidence.restore_links(self.db, self.batch.link_ids)

    def revert(self) -> None:
        assert self.batch is not None
        evidence.remove_links(self.db, self.batch.link_ids)


class RemoveEvidence(ServiceCommand):
    def __init__(self, undo: Undo, link_id: int, name: str) -> None:
        super().__init__(undo, f"移除佐证材料“{name}”")
        self.link_id = link_id

    def apply(self) -> None:
        evidence.remove_evidence(self.db, self.link_id)

    def revert(self) -> None:
        evidence.restore_evidence(self.db, self.link_id)


class AddCategory(ServiceCommand):
    def __init__(self, undo: Undo, round_id: int, text: str, parent_id: int | None) -> None:
        super().__init__(undo, "添加分类")
        self.round_id, self.category_text, self.parent_id = round_id, text, parent_id
        self.category_id: int | None = None

    def apply(self) -> int:
        self.category_id = categories.add_category(self.db, self.round_id, self.category_text, self.parent_id).id
        return self.category_id

    def revert(self) -> None:
        assert self.category_id is not None
        categories.delete_category(self.db, self.category_id)


class RenameCategory(ServiceCommand):
    def __init__(self, undo: Undo, category_id: int, old: str, new: str) -> None:
        super().__init__(undo, "重命名分类")
        self.category_id, self.old, self.new = category_id, old, new

    def apply(self) -> None:
        categories.rename_category(self.db, self.category_id, self.new)

    def revert(self) -> None:
        categories.rename_category(self.db, self.category_id, self.old)


class MoveCategory(ServiceCommand):
    def __init__(self, undo: Undo, category_id: int, old: tuple[int | None, int], new: tuple[int | None, int]) -> None:
        super().__init__(undo, "移动分类")
        self.category_id, self.old, self.new = category_id, old, new

    def apply(self) -> None:
        categories.move_category(self.db, self.category_id, *self.new)

    def revert(self) -> None:
        categories.move_category(self.db, self.category_id, *self.old)


class DeleteCategory(ServiceCommand):
    def __init__(self, undo: Undo, category_id: int, round_id: int, text: str, parent_id: int | None,
                 index: int) -> None:
        super().__init__(undo, "删除分类")
        self.category_id, self.round_id, self.category_text, self.parent_id, self.index = (
            category_id, round_id, text, parent_id, index)

    def apply(self) -> None:
        categories.delete_category(self.db, self.category_id)

    def revert(self) -> None:
        self.category_id = categories.add_category(self.db, self.round_id, self.category_text, self.parent_id,
                                                   self.index).id
