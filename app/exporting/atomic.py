"""Writing an export so that a crash or a full disk never leaves half a file under the real name.

The temporary file is created private (0600) by `mkstemp`; before it is renamed into place it gets the
permissions a file saved by the user would have — the mode of the file it replaces, or 0666 less the
umask — so colleagues can open an export on a shared folder.
"""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


def _umask() -> int:
    """The process umask, read without changing it where the system allows (Linux /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere the only way to read it is to set it and put it back
    os.umask(mask)
    return mask


def usual_mode(path: Path) -> int:
    """The mode a new export at `path` should have."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def atomic_write(path: Path | str, write: Callable[[str], object], suffix: str) -> Path:
    """Call `write(temporary_name)` beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = usual_mode(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".~", suffix=suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
