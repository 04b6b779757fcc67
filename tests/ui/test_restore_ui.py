"""The window's restore: from a backup, then back to the safety copy through the small dialog."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.backup import write_backup
from app.services import evidence, problems
from db.session import Database
from tests.conftest import make_pdf
from tests.crafted import png_header_bomb
from tests.ui.conftest import pick_files
from ui.main_window import MainWindow


def test_restore_then_put_the_safety_copy_back(window: MainWindow, db: Database, seeded: dict[str, int],
                                               tmp_path: Path, messages: list[tuple[str, str]],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.dialogs.restore_dialog import SafetyCopiesDialog

    archive = write_backup(db, tmp_path / "b.zip")
    problems.update_problem(db, seeded["p1"], text="备份之后的修改")
    pick_files(monkeypatch, archive)
    window.tools.restore()
    assert problems.get_problem(db, seeded["p1"]).text == "学习计划性不强。"
    assert "恢复前的安全副本" in window.statusBar().currentMessage()
    shown: list[SafetyCopiesDialog] = []

    def run_dialog(dialog: SafetyCopiesDialog) -> int:
        shown.append(dialog)
        assert dialog.model.rowCount() == 1 and "恢复前" in dialog.model.item(0, 1).text()
        dialog.swap_selected()
        return 1

    monkeypatch.setattr(SafetyCopiesDialog, "exec", run_dialog)
    window.tools.safety_copies()
    assert shown and problems.get_problem(db, seeded["p1"]).text == "备份之后的修改"
    assert not [m for m in messages if m[0] == "warning"], messages
    dialog = SafetyCopiesDialog(db.path, lambda name: False)
    assert dialog.model.rowCount() == 2  # the restore's copy, and the undo's own
    dialog.deleteLater()


def test_a_refused_restore_reopens_the_same_ledger(window: MainWindow, db: Database, seeded: dict[str, int],
                                                   tmp_path: Path, messages: list[tuple[str, str]],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a backup")
    pick_files(monkeypatch, junk)
    window.tools.restore()
    assert any("不是有效的备份" in text for kind, text in messages if kind == "warning")
    assert db.is_open and problems.get_problem(db, seeded["p1"]).text == "学习计划性不强。"


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
