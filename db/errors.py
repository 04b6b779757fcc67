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


class ChangedMeanwhile(StorageError):
    """A save found its row changed by someone else since it was read (the row's version moved on)."""

    def __init__(self) -> None:
        super().__init__("这条记录刚被其他人修改，本次修改未保存。请重新载入后再改。")


def changed_meanwhile(exc: BaseException) -> StorageError | None:
    """SQLAlchemy's StaleDataError (an UPDATE or DELETE that found another version) as a known error."""
    import sys

    orm_exc = sys.modules.get("sqlalchemy.orm.exc")
    return ChangedMeanwhile() if orm_exc is not None and isinstance(exc, orm_exc.StaleDataError) else None


# -- a ledger on a PostgreSQL server (db/server.py) ------------------------------------------------------
class ServerError(StorageError):
    """A server ledger could not be reached or refused us; the detail goes to the log, not the message."""


class ServerUnreachable(ServerError):
    def __init__(self, host: str) -> None:
        super().__init__(f"无法连接到台账服务器 {host}。请检查网络连接、服务器是否开机，以及地址和端口是否正确。")


class PasswordNeeded(ServerError):
    def __init__(self, user: str) -> None:
        super().__init__(f"连接台账服务器需要数据库用户“{user}”的密码，请填写密码。")


class LoginRefused(ServerError):
    def __init__(self, user: str) -> None:
        super().__init__(f"服务器拒绝了数据库用户“{user}”的登录：用户名或密码不正确。请核对后重新输入密码。")


class NoSuchLedger(ServerError):
    def __init__(self, database: str) -> None:
        super().__init__(f"服务器上没有名为“{database}”的台账数据库。请核对数据库名称，或请管理员先用 server-init 创建。")


class ServerPermission(ServerError):
    def __init__(self) -> None:
        super().__init__("服务器拒绝了这次操作：数据库用户没有相应的权限。请联系管理员。")


class ConnectionLost(ServerError):
    def __init__(self) -> None:
        super().__init__("与台账服务器的连接中断，本次修改未保存。请检查网络后重试，已保存的数据不受影响。")


class ServerBusy(ServerError):
    def __init__(self) -> None:
        super().__init__("台账服务器正忙（另一位同事同时在修改同一处），本次修改未保存，请稍后重试。")


def translate_server_error(exc: BaseException) -> StorageError | None:
    """Map a psycopg/SQLAlchemy error to a known error by its SQLSTATE, or None for a bug."""
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or ""
    text = str(orig).lower()
    if state in ("40001", "40P01", "55P03"):           # serialization failure, deadlock, lock not available
        return ServerBusy()
    if state == "53100":
        return DiskFull()
    if state == "25006":                               # read-only transaction (a standby server)
        return ReadOnly()
    if state in ("42501",):                            # insufficient privilege
        return ServerPermission()
    if state.startswith("08") or "server closed the connection" in text or "connection" in text and not state:
        return ConnectionLost()
    return None
