"""Start the program on the demo database and save screenshots of the main views.

Run under a display (e.g. `xvfb-run -s "-screen 0 1600x1000x24" python tools/screenshots.py out/`)
or offscreen (QT_QPA_PLATFORM=offscreen). Each view is grabbed from the real window.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def grab_dialogs(w: object, out: Path, app: QApplication) -> None:
    """The import dialog on a published sample, the export dialog, the scan inbox."""
    from ui.dialogs.export_dialog import ExportDialog
    from ui.dialogs.import_dialog import ImportDialog

    samples = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"
    sample = samples / "huangpi_2024.txt"
    if sample.exists():
        dialog = ImportDialog(w.db, w, sample)  # type: ignore[attr-defined]
        dialog.resize(1300, 800)
        dialog.show()
        item = next(dialog.warnings.item(i) for i in range(dialog.warnings.count())
                    if "缺少" in dialog.warnings.item(i).text())
        dialog.jump_to_warning(item)
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(3))
        app.processEvents()
        dialog.grab().save(str(out / "07-import.png"))
        dialog.close()
    export = ExportDialog(w.db, w.round_id, w.runner, w)  # type: ignore[attr-defined]
    export.show()
    app.processEvents()
    export.grab().save(str(out / "08-export.png"))
    export.close()
    scans = out / "scans"
    scans.mkdir(exist_ok=True)
    from app.demo import _sample_pdf

    _sample_pdf(scans, "扫描件001.pdf", "会议纪要")
    w.inbox.set_folder(scans)  # type: ignore[attr-defined]
    w.inbox_dock.show()  # type: ignore[attr-defined]
    app.processEvents()
    w.thumbs.wait()  # type: ignore[attr-defined]
    app.processEvents()
    w.inbox.rescan()  # type: ignore[attr-defined]
    app.processEvents()
    w.grab().save(str(out / "09-inbox.png"))
    for name in ("07-import", "08-export", "09-inbox"):
        print(out / f"{name}.png")


def main(out: Path) -> None:
    from ui.app import make_application, open_demo
    from ui.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = make_application([])
    db = open_demo()
    settings = QSettings(str(out / "screenshots.ini"), QSettings.Format.IniFormat)
    w = MainWindow(db, settings=settings)
    w.resize(1500, 920)
    w.show()

    def shot(name: str) -> None:
        app.processEvents()
        w.thumbs.wait()
        app.processEvents()
        w.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")

    def run() -> None:
        w.select_problem(w.table_model.problem_at(0).id)
        shot("01-ledger")
        w.editor.tabs.setCurrentIndex(1)
        w.select_problem(w.table_model.problem_at(2).id)
        shot("02-measures")
        w.editor.tabs.setCurrentIndex(3)
        w.select_problem(w.table_model.problem_at(0).id)
        QTimer.singleShot(300, lambda: None)
        shot("03-evidence")
        w.editor.tabs.setCurrentIndex(4)
        shot("04-narrative")
        w.filters.show_only(overdue=True)
        shot("05-filter-overdue")
        w.filters.clear()
        w.pages.setCurrentIndex(1)
        shot("06-dashboard")
        w.pages.setCurrentIndex(0)
        grab_dialogs(w, out, app)
        w.close()
        app.quit()

    QTimer.singleShot(200, run)
    app.exec()
    db.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots"))
