"""Starting the GUI: the application object, translations, the database, the window."""
from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import paths
from app.errors import USER_ERRORS
from db.session import Database, open_database
from ui import qt_chinese

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("xuncha.ui")
TRANSLATIONS = paths.RESOURCES / "translations"


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName("xuncha-ledger")
    app.setApplicationName("巡察整改台账")
    app.setApplicationDisplayName("巡察整改台账")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    if not app.property("xuncha_translated"):  # Qt's own dialogs in Chinese, then the program's catalogue
        qt_chinese.install(app, ("xuncha_zh_CN", str(TRANSLATIONS)))
        app.setProperty("xuncha_translated", True)
    return app


def log_file() -> Path | None:
    """The log file errors are written to (beside the ledger opened, see `app.paths.setup_logging`)."""
    for handler in logging.getLogger("xuncha").handlers:
        if isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    log.error("uncaught exception:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    if QApplication.instance() is not None:
        where = log_file()
        QMessageBox.warning(None, "巡察整改台账", "程序遇到了一个意外错误，刚才的操作可能没有完成；已保存的数据不受影响。\n"
                            f"错误信息：{exc}\n" + (f"详细信息已记录在 {where}" if where else "未能写入日志文件。"))


def open_demo() -> Database:
    from app.demo import load_demo

    folder = Path(tempfile.mkdtemp(prefix="xuncha-demo-"))
    db = open_database(folder / paths.DB_NAME)
    load_demo(db)
    return db


def show_window(window: MainWindow) -> None:
    """Show the window and let it paint its first screen (read without SQLAlchemy, see
    `db/session.py`), then load the rest while the clerk is still looking at it."""
    window.show()
    QApplication.processEvents()
    # The rest loads on the runner's thread (the window never stands still for it), but only once the events
    # that showing queued have run: the tree lays its items out again on a zero timer (30 ms for 10,000
    # problems), three times slower while the job competes with it for the interpreter lock.
    QTimer.singleShot(0, window, lambda: QTimer.singleShot(0, window, window.load_in_background))


def open_window(db: Database, settings: QSettings, demo: bool = False) -> MainWindow:
    """The main window on an open ledger, shown; the clerk's name is asked once if not kept yet."""
    from ui.main_window import MainWindow

    window = MainWindow(db, settings=settings, quick_start=True)
    if demo:  # Qt adds the program's name after the window's title
        window.title_note = window.tr("演示数据（关闭后丢弃）")
        window.update_title()
    show_window(window)
    if db.read_only:  # a read-only folder or file: the ledger can be read, and the clerk is told why not changed
        window.statusBar().showMessage(window.tr("只读：数据文件夹不能写入，可以查看和导出，不能保存修改。"))
        QMessageBox.information(window, "巡察整改台账", window.tr(
            "数据文件夹“%s”是只读的（没有写入权限或位于只读的磁盘上）。\n"
            "可以查看台账和导出文件，但不能保存任何修改。请检查文件夹权限，或把数据文件夹复制到可写的位置。")
            % db.data_dir)
    elif db.account is None:  # the name is kept beside the ledger: a read-only folder could not keep it
        QTimer.singleShot(0, lambda: clerk_name(db, window))  # (a signed-in account signs instead)
    return window


def clerk_name(db: Database, window: QWidget) -> None:
    """The clerk's name, kept in the program's settings, signs what is written from now on; asked
    once if there is none (after the first screen: nothing is written before the clerk acts)."""
    from ui import ask

    if not ask.load_clerk_name(db):
        ask.ask_clerk_name(db, window)


def run_gui(db_path: Path | str | None = None, demo: bool = False) -> int:
    app = make_application()
    sys.excepthook = _excepthook
    settings = QSettings()
    if demo:
        try:
            db = open_demo()
        except USER_ERRORS as exc:
            QMessageBox.critical(None, "巡察整改台账", str(exc))
            return 1
    else:
        from ui.opening import open_for_gui  # a file, or a server ledger (connection dialog, login)

        opened = open_for_gui(db_path, settings)
        if opened is None:
            return 1
        db = opened
    window = open_window(db, settings, demo)  # kept referenced while the program runs
    try:
        return app.exec()
    finally:
        del window
        db.close()
        if demo:  # the demo database is thrown away with the window
            import shutil

            shutil.rmtree(db.data_dir, ignore_errors=True)
