"""What a killed process leaves beside the database, removed the next time it is opened.

Every temporary thing the program makes in the data folder carries the maker's process id in its
name (`restore-<pid>-…`, `backup-tmp-<pid>-…`, `evidence/tmp/incoming-<pid>-…`, `pending-output-<pid>-…`),
so a leftover is told from work still in progress: it is removed only when that process is gone
(or it is older than a day). None of them is ever damage; `check` does not report them.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

log = logging.getLogger("xuncha.leftovers")

STAGING_PREFIX = "restore-"
BACKUP_TMP_PREFIX = "backup-tmp-"
INCOMING_PREFIX = "incoming-"
PENDING_PREFIX = "pending-output-"
OLD_TMP_PREFIX = "xuncha-backup-"     # earlier versions snapshotted into the system's temporary folder
STALE_SECONDS = 24 * 3600
_PID = re.compile(r"^[a-z-]+?-(\d+)-")


def pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def _windows_pid_alive(pid: int) -> bool:
    import ctypes

    synchronize, wait_timeout = 0x00100000, 0x102
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(synchronize, False, pid)
    if not handle:
        return False  # no such process (or not ours to see: then it is not ours to have made the file either)
    try:
        return bool(kernel32.WaitForSingleObject(handle, 0) == wait_timeout)
    finally:
        kernel32.CloseHandle(handle)


def is_leftover(path: Path, now: float | None = None) -> bool:
    """True when the process that made `path` is gone, or the file is older than a day."""
    match = _PID.match(path.name)
    try:
        age = (now or time.time()) - path.lstat().st_mtime
    except OSError:
        return False
    if age > STALE_SECONDS:
        return True
    if match is None:
        return age > 3600  # an old-style name without a process id
    return not pid_alive(int(match.group(1)))


def pending_record(data_dir: Path, partial: Path) -> Path | None:
    """Note a partial output file (a backup's `.part`) so that a kill leaves nothing behind."""
    record = data_dir / f"{PENDING_PREFIX}{os.getpid()}-{time.monotonic_ns()}.json"
    try:
        record.write_text(json.dumps({"partial": str(partial)}, ensure_ascii=False), encoding="utf-8")
    except OSError:
        return None  # a read-only data folder: the output is written all the same
    return record


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return True
    except OSError as exc:
        log.warning("could not remove leftover %s: %s", path, exc)
        return False
    return True


def _drop_pending(record: Path) -> None:
    try:
        partial = Path(json.loads(record.read_text(encoding="utf-8"))["partial"])
    except (OSError, ValueError, KeyError, TypeError):
        partial = None
    if partial is not None and partial.name.endswith(".part") and partial.is_file():
        _remove(partial)
    _remove(record)


def clean_leftovers(db_path: Path) -> list[str]:
    """Remove what killed processes left; returns what was removed (for the log). Never raises."""
    data_dir = db_path.parent
    removed: list[str] = []
    try:
        entries = list(data_dir.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if name.startswith((STAGING_PREFIX, BACKUP_TMP_PREFIX)) and entry.is_dir() and is_leftover(entry):
            if _remove(entry):
                removed.append(name)
        elif name.startswith(PENDING_PREFIX) and name.endswith(".json") and is_leftover(entry):
            _drop_pending(entry)
            removed.append(name)
        elif name.startswith(".~") and entry.is_file() and is_leftover(entry):
            if _remove(entry):  # an atomic write of settings.json that never reached its rename
                removed.append(name)
        elif name.startswith(f"{db_path.stem}.before-") and entry.is_file():
            # A restore killed between naming the safety copy and swapping: the same file twice.
            try:
                same = db_path.exists() and os.path.samefile(entry, db_path)
            except OSError:
                same = False
            if same and _remove(entry):
                removed.append(name)
    incoming = data_dir / "evidence" / "tmp"
    if incoming.is_dir():
        for entry in incoming.iterdir():
            if entry.name.startswith(INCOMING_PREFIX) and is_leftover(entry) and _remove(entry):
                removed.append(f"evidence/tmp/{entry.name}")
    try:
        for entry in Path(tempfile.gettempdir()).glob(OLD_TMP_PREFIX + "*"):
            if entry.is_dir() and is_leftover(entry) and _remove(entry):
                removed.append(str(entry))
    except OSError:
        pass
    if removed:
        log.info("removed leftovers of earlier runs: %s", ", ".join(removed))
    return removed
