"""Every action of the menus and the toolbar, triggered as a click triggers it, on the demo ledger.

Each dialog that opens is closed, each question is answered 否, and the test fails on any exception
(pytest-qt catches those raised in Qt callbacks) or any error box. New actions are swept without
changing this test: it walks the window's own action registry.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from app import local_settings
from app.demo import load_demo
from app.services import problems, registry
from db.session import Database, open_database
from tests.ui.conftest import answer, wait_jobs
from ui.ask import load_clerk_name
from ui.main_window import MainWindow

EXPORTS = {"export": "notice", "export_notice": "notice", "export_ledger": "ledger", "export_plan": "plan",
           "export_evidence": "evidence"}


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Message boxes: errors recorded (the test fails on them), questions answered 否."""
    seen: dict[str, list[str]] = {"error": [], "information": [], "question": []}

    def record(kind: str, answer_: Any) -> Any:
        def box(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
            seen[kind].append(text)
            return answer_
        return box

    monkeypatch.setattr(QMessageBox, "warning", record("error", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record("error", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record("question", QMessageBox.StandardButton.No))
    monkeypatch.setattr(QMessageBox, "about", lambda *_a, **_k: seen["information"].append("about"))
    return seen


def _window(qtbot: Any, db: Database, tmp_path: Path) -> MainWindow:
    local_settings.set_clerk_name(db.data_dir, "张文书")
    load_clerk_name(db)
    settings = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    settings.setValue("last_folder", str(tmp_path))  # file dialogs open here, not in the project
    w = MainWindow(db, settings=settings)
    qtbot.addWidget(w)
    w.show()
    w.finish_loading()
    return w


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "demo" / "ledger.sqlite")
    load_demo(database)
    yield database
    database.close()


def _menu_and_toolbar_actions(window: MainWindow) -> list[tuple[str, QAction]]:
    keyed = {id(a): k for k, a in window.actions.actions.items()}
    found: list[tuple[str, QAction]] = []

    def walk(actions: list[QAction]) -> None:
        for action in actions:
            if action.menu() is not None:
                walk(action.menu().actions())
            elif not action.isSeparator() and id(action) not in {id(a) for _k, a in found}:
                found.append((keyed.get(id(action), action.text()), action))

    walk(window.menuBar().actions())
    walk(window.actions.toolbar.actions())
    return found


def _trigger(qtbot: Any, window: MainWindow, action: QAction, closed: list[tuple[str, Any]]) -> list[str]:
    """Trigger as a click does, closing what opens; returns the titles of dialogs nobody expected."""

    def close(dialog: QWidget) -> None:
        kind = dialog.kind() if hasattr(dialog, "kind") and callable(dialog.kind) else None
        closed.append((type(dialog).__name__, kind))
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()

    timer = answer(*([close] * 10))
    try:
        action.trigger()
        wait_jobs(qtbot, window)
        QApplication.processEvents()
    finally:
        timer.stop()
    return timer.unexpected  # type: ignore[attr-defined, no-any-return]


def test_every_action_on_the_demo_ledger(qtbot: Any, demo: Database, tmp_path: Path,
                                         boxes: dict[str, list[str]]) -> None:
    window = _window(qtbot, demo, tmp_path)
    rid = window.round_id
    assert rid is not None
    before = [(p.id, p.status) for p in problems.list_problems(demo, rid)]
    audit_before = len(registry.read_audit(demo, limit=100000))
    window.select_problem(before[2][0])
    actions = _menu_and_toolbar_actions(window)
    keys = [k for k, _a in actions]
    assert set(EXPORTS) <= set(keys) and "quit" in keys and len(keys) >= 35

    for key, action in actions:
        if key == "quit" or action in (window.undo_action, window.redo_action):
            continue  # undo and redo come last, once the sweep has made nothing to undo
        assert action.isEnabled(), key
        window.select_problem(before[2][0])
        closed: list[tuple[str, Any]] = []
        unexpected = _trigger(qtbot, window, action, closed)
        assert not unexpected, (key, unexpected)
        assert not boxes["error"], (key, boxes["error"])
        if key in EXPORTS:  # item 1: every export action opens the export dialog on its kind
            assert ("ExportDialog", EXPORTS[key]) in closed, (key, closed)
    for action in (window.undo_action, window.redo_action):
        _trigger(qtbot, window, action, [])
    assert not boxes["error"]
    # Every question was answered 否 and every dialog cancelled: nothing changed.
    assert [(p.id, p.status) for p in problems.list_problems(demo, rid)] == before
    assert len(registry.read_audit(demo, limit=100000)) == audit_before
    assert boxes["question"]  # the delete asked first

    dict(actions)["quit"].trigger()
    assert not window.isVisible()


def test_every_action_without_a_round(qtbot: Any, db: Database, tmp_path: Path,
                                      boxes: dict[str, list[str]]) -> None:
    window = _window(qtbot, db, tmp_path)
    assert window.round_id is None
    for key, action in _menu_and_toolbar_actions(window):
        spec = window.actions.specs.get(key)
        if spec is not None and spec.needs_round:
            assert not action.isEnabled(), key
            continue
        if key == "quit" or not action.isEnabled():
            continue
        unexpected = _trigger(qtbot, window, action, [])
        assert not unexpected and not boxes["error"], (key, unexpected, boxes["error"])


def test_handlers_see_the_window_only_through_its_narrow_interface(window: MainWindow) -> None:
    import inspect

    from tests.conftest import ROOT
    from ui.host import WindowHost

    for name in ("window_tools", "problem_tools", "window_actions", "host"):
        source = (ROOT / "ui" / f"{name}.py").read_text(encoding="utf-8")
        assert "main_window" not in source and "MainWindow" not in source, name
        assert "self.w." not in source, name
    members = [n for n, _v in inspect.getmembers(WindowHost) if not n.startswith("_")]
    members += list(WindowHost.__annotations__)
    assert all(hasattr(window, n) for n in members), [n for n in members if not hasattr(window, n)]


def test_destructive_questions_all_default_to_no() -> None:
    """Every yes/no question of the window goes through `confirm_destructive` (否 is the default)."""
    from tests.conftest import ROOT

    asking = [str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
              if "QMessageBox.question(" in p.read_text(encoding="utf-8") and p.name != "ask.py"]
    assert asking == []
