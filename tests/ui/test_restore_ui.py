"""The window's restore: from a backup, then back to the safety copy through the small dialog."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QPushButton

from app.backup import write_backup
from app.services import evidence, problems, registry
from db.session import Database
from tests.conftest import make_pdf
from tests.crafted import png_header_bomb
from tests.ui.conftest import pick_files, wait_jobs
from ui.main_window import MainWindow


def test_restore_from_the_menu_runs_on_the_runner_thread(qtbot: Any, window: MainWindow, db: Database,
                                                         seeded: dict[str, int], tmp_path: Path,
                                                         messages: list[tuple[str, str]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """文件 → 从备份恢复… clicked: the restore runs on the runner's thread with the database closed, the window
    keeps painting (a progress dialog without 取消 that Escape does not close), and the restored ledger is shown."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication, QProgressDialog

    import app.backup

    archive = write_backup(db, tmp_path / "b.zip")
    problems.update_problem(db, seeded["p1"], text="备份之后的修改")
    window.reload_rounds(seeded["round"])
    window.undo.stack.push(QUndoCommand("备份之后的一步"))
    real, seen = app.backup.restore_backup, {}
    go = threading.Event()

    def restore(*args: Any, **kw: Any) -> Any:
        seen.update(thread=threading.current_thread(), open=db.is_open)
        assert go.wait(20), "the GUI thread never saw the progress dialog"
        return real(*args, **kw)

    monkeypatch.setattr(app.backup, "restore_backup", restore)
    pick_files(monkeypatch, archive)
    window.actions["restore"].trigger()       # returns at once: the restore is running on the runner's thread
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QProgressDialog), timeout=10000)
    progress = QApplication.activeModalWidget()
    assert progress.isVisible() and not window.runner.idle and not db.is_open
    assert all(b.text() != "取消" for b in progress.findChildren(QPushButton))
    QApplication.sendEvent(progress, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier))
    progress.close()
    assert progress.isVisible()                # neither Escape nor the title bar's × closes it mid-swap
    go.set()
    wait_jobs(qtbot, window)
    assert seen["thread"] is not threading.main_thread() and seen["open"] is False
    assert db.is_open and problems.get_problem(db, seeded["p1"]).text == "学习计划性不强。"
    assert "学习计划性不强" in "".join(r.text for r in window._rows)   # the window shows the restored ledger
    assert window.undo.stack.count() == 0     # nothing left to undo against the ledger that was replaced
    assert "恢复前的安全副本" in window.statusBar().currentMessage()
    assert QApplication.activeModalWidget() is None
    assert not [m for m in messages if m[0] in ("warning", "critical")], messages
    audit = [a for a in registry.read_audit(db) if a.action == "恢复"]
    assert audit and audit[-1].entity_id == "b.zip"


def test_restore_then_put_the_safety_copy_back(qtbot: Any, window: MainWindow, db: Database, seeded: dict[str, int],
                                               tmp_path: Path, messages: list[tuple[str, str]],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.restore_dialog import SafetyCopiesDialog

    archive = write_backup(db, tmp_path / "b.zip")
    problems.update_problem(db, seeded["p1"], text="备份之后的修改")
    pick_files(monkeypatch, archive)
    window.actions["restore"].trigger()
    wait_jobs(qtbot, window)
    assert problems.get_problem(db, seeded["p1"]).text == "学习计划性不强。"
    assert "恢复前的安全副本" in window.statusBar().currentMessage()
    [asked] = [text for kind, text in messages if kind == "question"]  # QA: which backup, of when, holding what
    assert "备份文件：b.zip" in asked and "备份时间：" in asked and "其中问题 3 个，佐证材料 0 份" in asked, asked
    shown: list[SafetyCopiesDialog] = []

    def run_dialog(dialog: SafetyCopiesDialog) -> int:
        shown.append(dialog)
        assert dialog.model.rowCount() == 1 and "恢复前" in dialog.model.item(0, 1).text()
        dialog.swap_selected()
        wait_jobs(qtbot, window)
        return dialog.result()

    monkeypatch.setattr(SafetyCopiesDialog, "exec", run_dialog)
    window.actions["safety_copies"].trigger()
    assert shown and shown[0].result() == 1
    assert problems.get_problem(db, seeded["p1"]).text == "备份之后的修改"
    assert not [m for m in messages if m[0] == "warning"], messages
    dialog = SafetyCopiesDialog(db.path, lambda *_a: None)
    assert dialog.model.rowCount() == 2  # the restore's copy, and the undo's own
    dialog.deleteLater()


def test_a_refused_restore_reopens_the_same_ledger(qtbot: Any, window: MainWindow, db: Database,
                                                   seeded: dict[str, int], tmp_path: Path,
                                                   messages: list[tuple[str, str]],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a backup")
    pick_files(monkeypatch, junk)
    window.undo.stack.push(QUndoCommand("恢复之前的一步"))
    window.actions["restore"].trigger()
    wait_jobs(qtbot, window)
    assert any("不是有效的备份" in text for kind, text in messages if kind == "warning")
    assert db.is_open and problems.get_problem(db, seeded["p1"]).text == "学习计划性不强。"
    assert window.undo.stack.count() == 1     # the ledger was not replaced: its undo history stays


def test_emptying_the_bin_runs_as_a_job(qtbot: Any, window: MainWindow, db: Database, seeded: dict[str, int],
                                        tmp_path: Path, messages: list[tuple[str, str]]) -> None:
    from ui.dialogs.recycle_bin import RecycleBinDialog

    res = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    [row] = evidence.list_evidence(db, seeded["p1"])
    evidence.remove_evidence(db, row.link_id)
    jobs: list[str] = []
    real = window.runner.run

    def run(parent: Any, title: str, *rest: Any) -> Any:
        jobs.append(title)
        return real(parent, title, *rest)

    window.runner.run = run  # type: ignore[method-assign]
    dialog = RecycleBinDialog(db, window, window.runner)
    dialog.empty_files()
    qtbot.waitUntil(lambda: window.runner.idle, timeout=20000)
    assert jobs == ["正在清空回收站"] and evidence.recycle_bin(db) == []
    assert any("删除了 1 个文件" in text for _k, text in messages)
    assert not (db.data_dir / "evidence" / res.sha256[:2] / res.sha256).exists()
    dialog.deleteLater()


def test_image_bombs_are_neither_thumbnailed_nor_decoded_by_the_viewer(qtbot: Any, tmp_path: Path) -> None:
    from app.errors import EvidenceError
    from ui.thumbnails import render_thumbnail
    from ui.viewer import EvidenceViewer

    bomb = png_header_bomb(tmp_path / "bomb.png", 13000, 13000)
    assert render_thumbnail(bomb, "png") is None
    with pytest.raises(EvidenceError, match="像素"):
        EvidenceViewer(bomb, "png", "bomb.png")


def test_the_viewer_names_an_open_password(qtbot: Any, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    from app.errors import EvidenceError
    from ui.viewer import EvidenceViewer

    writer = PdfWriter()
    writer.add_page(PdfReader(str(make_pdf(tmp_path / "a.pdf"))).pages[0])
    writer.encrypt(user_password="open", owner_password="x", algorithm="AES-256")
    with open(tmp_path / "locked.pdf", "wb") as f:
        writer.write(f)
    with pytest.raises(EvidenceError, match="打开密码"):
        EvidenceViewer(tmp_path / "locked.pdf", "pdf", "locked.pdf")


def test_the_backup_is_named_with_the_day(qtbot: Any, window: MainWindow, db: Database, seeded: dict[str, int],
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """文件 → 备份… offered “巡察整改台账备份.zip” every day: yesterday's backup was the one to overwrite."""
    import datetime as dt

    from tests.ui.conftest import wait_jobs
    from ui import file_dialogs

    offered: list[str] = []

    def chosen(_parent: Any, _settings: Any, _title: str, start: str, *_a: Any, **_k: Any) -> list[Path]:
        offered.append(start)
        return [tmp_path / Path(start).name]

    monkeypatch.setattr(file_dialogs, "_run", chosen)
    window.actions["backup"].trigger()
    wait_jobs(qtbot, window)
    [start] = offered
    assert Path(start).name == f"巡察整改台账备份-{dt.date.today():%Y%m%d}.zip"
    assert (tmp_path / Path(start).name).is_file()
