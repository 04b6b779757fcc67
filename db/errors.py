"""Known storage failures, each with a message a clerk can act on."""
from __future__ import annotations


class StorageError(Exception):
    """Base of storage errors; `str(err)` is the Chinese message for the user."""


class DatabaseInUse(StorageError):
    def __init__(self, path: str) -> None:
        super().__init__(f"数据库正被另一个“巡察整改台账”程序使用：{path}\n请先关闭另一个窗口，或在那里继续工作。")


class DatabaseTooNew(StorageError):
    def __init__(self, revision: str) -> None:
        super().__init__(f"此数据库由更新版本的程序创建（结构版本 {revision}），本程序无法打开。请升级程序。")


class DatabaseCorrupt(StorageError):
    def __init__(self, detail: str = "") -> None:
        super().__init__("数据库文件已损坏或不是本程序的数据库，无法打开。请从备份恢复。" + (f"\n（{detail}）" if detail else ""))


class DiskFull(StorageError):
    def __init__(self) -> None:
        super().__init__("磁盘空间已满，本次修改未保存。请清理磁盘后重试，已有数据未受影响。")


class ReadOnly(StorageError):
    def __init__(self) -> None:
        super().__init__("数据库文件是只读的，无法保存修改。请检查文件权限或存放位置。")


class ReadOnlyFolder(StorageError):
    def __init__(self, folder: str, what: str = "") -> None:
        super().__init__(f"数据文件夹“{folder}”是只读的（没有写入权限或位于只读的磁盘上）" + (f"，{what}" if what else "")
                         + "。请检查文件夹权限，或把数据文件夹复制到可以写入的位置后再打开。")


class AuditAppendOnly(StorageError):
    def __init__(self) -> None:
        super().__init__("审计日志只能追加，不能修改或删除已有的记录；本次修改未保存。")


class DatabaseLocked(StorageError):
    def __init__(self) -> None:
        super().__init__("数据库暂时被占用，本次修改未保存，请稍后重试。")


def translate_sqlite_error(exc: BaseException) -> StorageError | None:
    """Map an sqlite3/SQLAlchemy OperationalError to a known error, or None for a bug."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "audit log is read-only" in text:  # the append-only trigger of audit_log refused a change: a rule
        return AuditAppendOnly()
    if "database or disk is full" in text or "disk i/o error" in text and "full" in text:
        return DiskFull()
    if "readonly" in text or "read-only" in text:
        return ReadOnly()
    if "locked" in text or "busy" in text:
        return DatabaseLocked()
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return DatabaseCorrupt(str(getattr(exc, "orig", exc)))
    return None
