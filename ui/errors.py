"""Turning exceptions into polite Chinese messages; bugs are logged with their traceback."""
from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import USER_ERRORS

log = logging.getLogger("xuncha.ui")


def message_for(exc: BaseException) -> str:
    if isinstance(exc, USER_ERRORS):
        return str(exc)
    if isinstance(exc, OSError):
        if exc.errno == 28:
            return "磁盘空间已满，文件没有写完，已删除未完成的部分；数据库中的数据未受影响。请清理磁盘后重试。"
        if exc.errno == 13:
            return f"没有权限写入或读取该位置：{exc.filename or ''}。请换一个文件夹，或检查文件是否被其他程序占用。"
        return f"文件操作失败：{exc.strerror or exc}"
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return ("程序遇到了一个意外错误，操作没有完成，已有数据未受影响。\n"
            f"错误信息：{exc}\n详细信息已记录到数据文件夹中的日志文件。")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "操作未完成") -> None:
    QMessageBox.warning(parent, title, message_for(exc))


def attempt(parent: QWidget | None, call: Callable[[], object], title: str = "操作未完成") -> bool:
    """Run what the clerk asked for; its error, if any, is shown in words (`show_error`). True if it went through."""
    try:
        call()
    except Exception as exc:
        show_error(parent, exc, title)
        return False
    return True
