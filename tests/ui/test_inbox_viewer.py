"""The scan inbox picks up a file written into the watched folder; assigning stores it; the viewer pages."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PIL import Image

from app.inbox import scan_inbox
from app.services import evidence
from db.session import Database
from tests.conftest import make_pdf
from tests.ui.conftest import wait_jobs
from ui.main_window import MainWindow
from ui.viewer import EvidenceViewer


def test_scan_inbox_skips_unfinished_and_temporary_files(tmp_path: Path) -> None:
    make_pdf(tmp_path / "扫描001.pdf")
    (tmp_path / "扫描002.pdf.part").write_bytes(b"%PDF-1.4 partial")
    (tmp_path / ".hidden.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "empty.pdf").write_bytes(b"")
    growing = tmp_path / "growing.jpg"
    growing.write_bytes(b"\xff\xd8\xff" + b"0" * 10)
    first = scan_inbox(tmp_path)
    assert sorted(f.path.name for f in first) == ["growing.jpg", "扫描001.pdf"]
    growing.write_bytes(b"\xff\xd8\xff" + b"0" * 500)  # the scanner is still writing it
    again = scan_inbox(tmp_path, {f.path: (f.size, f.mtime) for f in first})
    assert [f.path.name for f in again] == ["扫描001.pdf"]


def test_inbox_picks_up_a_new_scan_and_assigns_it(qtbot: Any, window: MainWindow, db: Database,
                                                 seeded: dict[str, int], tmp_path: Path) -> None:
    scans = tmp_path / "scans"
    scans.mkdir()
    window.reload_rounds(seeded["round"])
    window.inbox.set_folder(scans)
    assert window.inbox.model.rowCount() == 0
    make_pdf(scans / "会议纪要扫描.pdf", pages=2)
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 1, timeout=5000)  # file-system watching
    window.select_problem(seeded["p1"])
    window.inbox.remove_after.setChecked(True)
    window.inbox.view.selectAll()
    window.inbox._assign()
    wait_jobs(qtbot, window)
    assert [e.original_name for e in evidence.list_evidence(db, seeded["p1"])] == ["会议纪要扫描.pdf"]
    assert not (scans / "会议纪要扫描.pdf").exists() and window.inbox.model.rowCount() == 0


def test_inbox_keeps_originals_by_default_and_drags_as_files(qtbot: Any, window: MainWindow,
                                                            seeded: dict[str, int], tmp_path: Path) -> None:
    scans = tmp_path / "scans2"
    scans.mkdir()
    make_pdf(scans / "a.pdf")
    window.inbox.remove_after.setChecked(False)
    window.inbox.set_folder(scans)
    mime = window.inbox.model.mimeData([window.inbox.model.index(0, 0)])
    assert [u.toLocalFile() for u in mime.urls()] == [str(scans / "a.pdf")]
    window.reload_rounds(seeded["round"])
    window.problem_tools.attach_files(seeded["p2"], [scans / "a.pdf"])
    wait_jobs(qtbot, window)
    assert (scans / "a.pdf").exists()


def test_viewer_pages_zooms_and_rotates(qtbot: Any, tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "three.pdf", pages=3)
    viewer = EvidenceViewer(pdf, "pdf", "three.pdf")
    qtbot.addWidget(viewer)
    assert viewer.status.text().startswith("第 1 / 3 页")
    viewer.go(1)
    viewer.go(5)
    assert viewer.page == 2
    w = viewer.label.pixmap().width()
    viewer.scale(1.25)
    assert viewer.label.pixmap().width() > w
    h = viewer.label.pixmap().height()
    viewer.rotate(90)
    assert viewer.label.pixmap().width() == h
    tif = tmp_path / "two.tif"
    frames = [Image.new("L", (200, 300), c) for c in (0, 255)]
    frames[0].save(tif, save_all=True, append_images=frames[1:])
    tv = EvidenceViewer(tif, "tiff", "two.tif")
    qtbot.addWidget(tv)
    assert tv.source.count == 2
    assert os.path.exists(tif)
