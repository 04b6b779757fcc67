"""GUI fixtures: a real main window on a real database file; long work runs on the runner's thread."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from app import local_settings
from db.session import Database
from ui.ask import load_clerk_name
from ui.main_window import MainWindow


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


def pick_files(monkeypatch: pytest.MonkeyPatch, *paths: Path | str) -> list[str]:
    """The clerk picks `paths` in the next file dialogs (the program's own, ui/file_dialogs.py); returns the
    list of folders those dialogs opened in, for tests that check where they start."""
    from ui import file_dialogs

    starts: list[str] = []

    def chosen(_parent: Any, settings: Any, _title: str, start: str, *_args: Any, **_kw: Any) -> list[Path]:
        starts.append(start)
        picked = [Path(p) for p in paths]
        if picked:
            file_dialogs.remember(settings, picked[0])
        return picked

    monkeypatch.setattr(file_dialogs, "_run", chosen)
    return starts


CLERK = "张文书"


@pytest.fixture
def window(qtbot: Any, db: Database, tmp_path: Path, messages: list[tuple[str, str]]) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    local_settings.set_clerk_name(db.data_dir, CLERK)
    load_clerk_name(db)
    w = MainWindow(db, settings=settings)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.runner.shutdown()
    w.thumbs.wait()


def wait_jobs(qtbot: Any, window: MainWindow, timeout: int = 30000) -> None:
    """Until the window's background jobs have ended and their results are shown."""
    qtbot.waitUntil(lambda: window.runner.idle, timeout=timeout)


def answer(*handlers: Callable[[QWidget], object], otherwise: str = "fail") -> QTimer:
    """Deal with the modal dialogs the code under test opens (with exec()), in order, as a clerk would:
    each handler gets the dialog and fills, accepts or rejects it. A dialog beyond the handlers is
    rejected (`otherwise="reject"`) or, by default, rejected and recorded in `timer.unexpected`."""
    queue = list(handlers)
    timer = QTimer()
    timer.setInterval(15)
    timer.unexpected = []  # type: ignore[attr-defined]
    timer.seen = []  # type: ignore[attr-defined]

    def tick() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.property("answered") or isinstance(dialog, QProgressDialog):
            return  # a progress dialog is nobody's to answer: it closes when its job ends
        dialog.setProperty("answered", True)
        timer.seen.append(type(dialog).__name__)  # type: ignore[attr-defined]
        if queue:
            try:
                queue.pop(0)(dialog)
            except BaseException:  # close it, or the code under test waits for it for ever
                if dialog.isVisible():
                    dialog.reject() if isinstance(dialog, QDialog) else dialog.close()
                raise
        else:
            if otherwise == "fail":
                timer.unexpected.append(dialog.windowTitle())  # type: ignore[attr-defined]
            if isinstance(dialog, QDialog):
                dialog.reject()
            else:
                dialog.close()

    timer.timeout.connect(tick)
    timer.start()
    return timer
