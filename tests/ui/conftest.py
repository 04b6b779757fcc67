"""GUI fixtures: a real main window on a real database file, long work run inline."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from db.session import Database
from ui.main_window import MainWindow
from ui.workers import TaskRunner


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes answered automatically ('Yes'); what they said is recorded."""
    seen: list[tuple[str, str]] = []

    def record(kind: str, answer: Any) -> Any:
        def box(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            seen.append((kind, text))
            return answer
        return box

    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.Yes))
    return seen


@pytest.fixture
def window(qtbot: Any, db: Database, tmp_path: Path, messages: list[tuple[str, str]]) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, runner=TaskRunner(inline=True), settings=settings)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.thumbs.wait()
