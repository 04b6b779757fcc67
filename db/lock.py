"""An exclusive, OS-level lock beside the database: one program instance per database.

The OS drops the lock when the process dies, so a crash never leaves a stale lock.
"""
from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import IO

from db.errors import DatabaseInUse

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl


class InstanceLock:
    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".lock")
        self._db_path = db_path
        self._file: IO[bytes] | None = None
        self.writable = True  # False: the folder is read-only; the lock is taken on the existing file, if any

    def acquire(self) -> None:
        f: IO[bytes]
        try:
            f = open(self.path, "a+b")
            self.writable = True
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise
            self.writable = False
            try:
                f = open(self.path, "rb")  # a lock on the existing file still keeps a second program out
            except OSError:
                return  # nothing to lock in a read-only folder; nobody can write there either
        try:
            if sys.platform == "win32":
                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            f.close()
            raise DatabaseInUse(str(self._db_path)) from exc
        self._file = f

    def release(self) -> None:
        if self._file is None:
            return
        try:
            if sys.platform == "win32":
                self._file.seek(0)
                msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        finally:
            self._file.close()
            self._file = None
