"""Where the program keeps its data and log (the user's data folder, via platformdirs), and the guard
that keeps every output file off the ledger's own files."""
from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from platformdirs import user_cache_path, user_data_path

from app.errors import LedgerError

APP_NAME = "xuncha-ledger"
DB_NAME = "ledger.sqlite"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Per-machine caches (the fonts' facts): safe to delete at any time."""
    return user_cache_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    return data_dir() / DB_NAME


def log_path(folder: Path) -> Path:
    return folder / "xuncha-ledger.log"


def setup_logging(folder: Path) -> None:
    """Errors go to a rotating log file in the data folder; tolerate a folder we cannot write."""
    root = logging.getLogger("xuncha")
    if root.handlers:
        return
    root.setLevel(logging.INFO)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_path(folder), maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.propagate = False
    # Libraries' own warnings (pypdf's "EOF marker not found" …) go to the log too, never to the clerk's screen.
    top = logging.getLogger()
    if not top.handlers:
        top.setLevel(logging.WARNING)
        top.addHandler(handler)


# -- outputs never land on the ledger ------------------------------------------------------------
LEDGER_SUFFIXES = ("", "-wal", "-shm", "-journal", ".lock")
EVIDENCE_DIRNAME = "evidence"


class OutputOnLedger(LedgerError):
    """An export or backup was aimed at one of the ledger's own files."""


def _norm(path: Path) -> str:
    return os.path.normcase(str(path))


def _inside(path: Path, folder: Path) -> bool:
    p, f = _norm(path), _norm(folder)
    return p == f or p.startswith(f.rstrip(os.sep) + os.sep)


def refuse_ledger_output(output: Path | str, db_path: Path | str) -> Path:
    """Refuse an output file that is the database, its -wal/-shm/-journal, the lock file, a safety
    copy, a restore's staging folder or anything inside the evidence store. Returns the output path."""
    out = Path(output)
    db = Path(db_path).resolve()
    target = out.resolve()  # follows a symbolic link to the ledger
    data = db.parent
    protected = [Path(str(db) + s) for s in LEDGER_SUFFIXES]
    hit = any(_norm(target) == _norm(p) for p in protected)
    if not hit:
        for p in protected:  # a hard link or another spelling of the same file
            try:
                if target.exists() and p.exists() and os.path.samefile(target, p):
                    hit = True
                    break
            except OSError:
                continue
    if not hit and _norm(target.parent) == _norm(data):
        name = os.path.normcase(target.name)
        stem = os.path.normcase(db.stem)
        hit = name.startswith(stem + ".before-") or name.startswith("restore-")
    if not hit and (_inside(target, data / EVIDENCE_DIRNAME) or any(
            _inside(target, d) for d in data.glob("restore-*") if d.is_dir())):
        hit = True
    if hit:
        raise OutputOnLedger(f"不能把导出或备份的文件保存为“{out}”：这是台账自己的数据文件（数据库、安全副本或佐证材料库），"
                             "写入会毁坏台账。请另选一个文件名或文件夹。")
    return out
