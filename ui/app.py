"""Starting the GUI: the application object, translations, the database, the window."""
from __future__ import annotations

import logging
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from app import paths
from app.errors import USER_ERRORS
from db.session import Database, open_database

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
    # Qt's own dialog buttons (确定/取消) in Chinese, then the program's own catalogue, if built.
    for name, folder in (("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         ("xuncha_zh_CN", str(TRANSLATIONS))):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
    return app


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    log.error("uncaught exception:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
    if QApplication.instance() is not None:
        QMessageBox.warning(None, "巡察整改台账", "程序遇到了一个意外错误，刚才的操作可能没有完成；已保存的数据不受影响。\n"
                            f"错误信息：{exc}\n详细信息已记录在 {paths.log_path(paths.data_dir())}")


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
    QTimer.singleShot(0, window.finish_loading)


def run_gui(db_path: Path | str | None = None, demo: bool = False) -> int:
    from ui.main_window import MainWindow

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
    window = MainWindow(db, settings=settings, quick_start=True)
    if demo:
        window.setWindowTitle(window.tr("巡察整改台账 — 演示数据（关闭后丢弃）"))
    show_window(window)
    if db.read_only:  # a read-only folder or file: the ledger can be read, and the clerk is told why not changed
        window.statusBar().showMessage(window.tr("只读：数据文件夹不能写入，可以查看和导出，不能保存修改。"))
        QMessageBox.information(window, "巡察整改台账", window.tr(
            "数据文件夹“%s”是只读的（没有写入权限或位于只读的磁盘上）。\n"
            "可以查看台账和导出文件，但不能保存任何修改。请检查文件夹权限，或把数据文件夹复制到可写的位置。")
            % db.data_dir)
    try:
        return app.exec()
    finally:
        db.close()
        if demo:  # the demo database is thrown away with the window
            import shutil

            shutil.rmtree(db.data_dir, ignore_errors=True)
