"""Making a write survive a power cut: fsync of a file, or of the folder that names it."""
from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path, directory: bool = False) -> None:
    """Flush `path` to the disk. A folder cannot be opened for fsync on Windows (NTFS journals its
    names itself), so there it is a no-op."""
    if directory and os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
