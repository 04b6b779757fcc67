"""The scan inbox: which files in the scanner's folder are ready to be assigned (no Qt here)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.evidence_store import detect_type

IGNORED_SUFFIXES = (".tmp", ".part", ".crdownload", ".lock", ".ini", ".db")


@dataclass(frozen=True)
class InboxFile:
    path: Path
    size: int
    mtime: float
    file_type: str

    @property
    def key(self) -> str:
        """Identifies this version of the file (for the thumbnail cache)."""
        return f"inbox-{abs(hash((str(self.path), self.size, self.mtime))):x}"


def scan_inbox(folder: Path, previous: dict[Path, tuple[int, float]] | None = None) -> list[InboxFile]:
    """Files in `folder` that look finished: not hidden, not temporary, not empty and — when the
    previous scan is given — the same size as then (a scanner may still be writing a growing file)."""
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.is_file() or path.name.startswith((".", "~$")) or path.suffix.lower() in IGNORED_SUFFIXES:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        if stat.st_size == 0:
            continue
        if previous is not None and previous.get(path, (stat.st_size, stat.st_mtime))[0] != stat.st_size:
            continue
        try:
            kind = detect_type(path)
        except OSError:
            continue
        out.append(InboxFile(path, stat.st_size, stat.st_mtime, kind))
    return out
