"""What the window's command handlers may ask of the window: a narrow interface.

`WindowTools` and `ProblemTools` are given a `WindowHost` (the main window satisfies it) instead of
the window itself, so they neither import the window's module nor reach into its panels.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from app.ledger_rows import ProblemRow
    from db.session import Database
    from ui.commands import Undo
    from ui.workers import TaskRunner


class WindowHost(Protocol):
    db: Database
    runner: TaskRunner
    undo: Undo
    settings: QSettings
    round_id: int | None

    def widget(self) -> QWidget:
        """The parent for dialogs and message boxes."""

    def selected_problems(self) -> list[ProblemRow]: ...

    def current_problem(self) -> ProblemRow | None: ...

    def current_category(self) -> tuple[int, str] | None:
        """The category chosen in the tree (id, full name), if a category and not a problem is chosen."""

    def category_choices(self) -> list[tuple[int | None, str]]:
        """The round's categories as the clerk sees them, indented by level."""

    def reload_rounds(self, select: int | None = None) -> None: ...

    def refresh(self) -> None: ...

    def select_problem(self, problem_id: int) -> None: ...

    def show_message(self, text: str, ms: int = 0) -> None: ...

    def flush_edits(self) -> None:
        """Save text still being typed, before a dialog or a long job reads the database."""

    def directory_changed(self) -> None:
        """The directory of people and departments changed: the editor's name lists follow."""

    def files_assigned(self, paths: list[Path]) -> None:
        """Files taken into the store (the scan inbox marks its own as done)."""
