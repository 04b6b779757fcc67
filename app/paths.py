"""Where the program keeps its data and log (the user's data folder, via platformdirs)."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "xuncha-ledger"
DB_NAME = "ledger.sqlite"
RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


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
