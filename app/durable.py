"""Making a write survive a power cut: fsync of a file, or of the folder that names it."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

CHUNK = 1 << 20


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


def copy_hashing(source: Path, fd: int) -> tuple[str, int]:
    """Copy `source` into the open file `fd` (closed on return), hashing it as it is read, then flush it to
    the disk: (sha256, size). Each byte is read once."""
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "wb") as out, open(source, "rb") as src:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
            size += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest(), size
