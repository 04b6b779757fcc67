"""Qt's own dialogs in Simplified Chinese: Qt's translations (qtbase, shipped with PySide6), and the few
strings they leave in English (the file dialog's "Look in:", "Files of type:", the "Folder" type)."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator

# (context, source) → text, for what qtbase_zh_CN does not translate.
MISSING = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "Alias"): "别名",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
    ("QFileSystemModel", "Folder"): "文件夹",
    ("QFileSystemModel", "%1 byte(s)"): "%1 字节",
}


class _Missing(QTranslator):
    """Asked after Qt's catalogue (installed first, so consulted last)."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # noqa: N802 - Qt
                  n: int = -1) -> str | None:
        return MISSING.get((context, source))  # None: a null string, "not translated here" (not "")

    def isEmpty(self) -> bool:  # noqa: N802 - Qt override
        return False


def install(app: QCoreApplication, own_catalogue: tuple[str, str] | None = None) -> list[QObject]:
    """Install the translators on `app`; returns them (parented to `app`, kept alive by it)."""
    installed: list[QObject] = []
    missing = _Missing(app)
    app.installTranslator(missing)
    installed.append(missing)
    catalogues = [("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    if own_catalogue is not None:
        catalogues.append(own_catalogue)
    for name, folder in catalogues:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed
