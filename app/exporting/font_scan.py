"""What each font file of the machine is, read once per machine.

A font's facts — its family names, weight, slant, whether reportlab can embed it and whether it has the
Chinese characters (or the digits and Latin letters) a notice needs — are read from its small tables
and one look at its character map (`font_face.face_over`), never from a full parse. They are kept in
the user's cache folder, keyed by the file's path, size and modification time: a file replaced, moved
or deleted is read again or dropped. The folders are walked each time (a new font is found at once);
only files not yet known are opened. A cache that cannot be read is ignored and rebuilt; it is
written through a temporary name, so a crash never leaves half of one.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from struct import unpack_from
from typing import Any

log = logging.getLogger("xuncha.fonts")

FORMAT = 1
CACHE_NAME = "fonts.json"
FONT_SUFFIXES = (".ttf", ".ttc")
CJK_PROBE = "中国共产党整改问题情况通报一二三"      # a notice cannot be set without these
LATIN_PROBE = "0123456789ABCXYZabcxyz"


@dataclass(frozen=True)
class FaceFacts:
    path: Path
    index: int
    families: tuple[str, ...]   # every family name in the name table (English and localized)
    style: str
    weight: int
    italic: bool
    usable: bool                # TrueType outlines reportlab reads and may embed
    cjk: bool
    latin: bool

    def has_family(self, family: str) -> bool:
        want = family.casefold()
        return any(f.casefold() == want for f in self.families)


def cache_file() -> Path:
    from app.paths import cache_dir

    return cache_dir() / CACHE_NAME


def font_folders() -> list[Path]:
    """Where fonts are installed: the system's folders, the user's own, and those fontconfig names."""
    home = Path.home()
    if os.name == "nt":
        folders = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return folders
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    data_home = os.environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    return [Path(d) / "fonts" for d in [data_home, *data_dirs] if d] + [home / ".fonts"]


def _fontconfig_folders() -> list[str]:
    """Folders fontconfig was configured with beyond the usual ones (one `fc-list`, once per machine)."""
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(["fc-list", "--format", "%{file}\n"], capture_output=True, text=True,
                             timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({str(Path(line).parent) for line in out.splitlines() if line.strip()})


def _walk(folder: Path, found: dict[str, os.stat_result], seen: set[str]) -> None:
    try:
        real = os.path.realpath(folder)
        if real in seen:
            return
        seen.add(real)
        with os.scandir(folder) as entries:
            for e in entries:
                if e.is_dir():
                    _walk(Path(e.path), found, seen)
                elif e.name.lower().endswith(FONT_SUFFIXES):
                    found[e.path] = e.stat()
    except OSError:
        return


def read_facts(path: Path) -> list[FaceFacts]:
    """Read a font file's faces (each sub-font of a .ttc) from its small tables; never raises."""
    from app.exporting.font_face import face_over

    faces: list[FaceFacts] = []
    index, count = 0, 1
    while index < count:
        try:
            with face_over(path, index) as face:
                count = getattr(face, "numSubfonts", 1) if face.fileKind == "TTC" else 1
                faces.append(_facts(face, path, index))
        except Exception as exc:  # a damaged or foreign file is only a font we cannot use
            log.info("font %s #%d not usable: %s", path, index, exc)
            if index == 0 and not faces:
                return [FaceFacts(path, 0, (), "", 400, False, False, False, False)]
        index += 1
    return faces


def _facts(face: Any, path: Path, index: int) -> FaceFacts:
    families, style = _names(face)
    weight, italic = 400, bool(face.italicAngle)
    if "OS/2" in face.table:
        os2 = face.get_table_pos("OS/2")[0]
        weight = face.get_ushort(os2 + 4)
        italic = italic or bool(face.get_ushort(os2 + 62) & 1)
    c2g = face.charToGlyph

    def covers(probe: str) -> bool:
        return all(c2g.get(ord(ch)) for ch in probe)

    usable = "glyf" in face.table and "loca" in face.table
    return FaceFacts(path, index, families, style, weight, italic, usable, covers(CJK_PROBE), covers(LATIN_PROBE))


def _names(face: Any) -> tuple[tuple[str, ...], str]:
    """Family names (name IDs 1 and 16, every language) and the English style name."""
    at = face.get_table_pos("name")[0]
    data = face._ttf_data
    count, strings = unpack_from(">HH", data, at + 2)
    families: list[str] = []
    styles: dict[int, str] = {}
    for n in range(count):
        platform, encoding, language, name_id, length, offset = unpack_from(">6H", data, at + 6 + 12 * n)
        if name_id not in (1, 2, 16, 17):
            continue
        raw = bytes(data[at + strings + offset:at + strings + offset + length])
        text = _decode(raw, platform, encoding)
        if not text:
            continue
        if name_id in (1, 16):
            if text not in families:
                families.append(text)
        else:
            styles.setdefault(0 if language in (0, 0x409) else 1, text)
    return tuple(families), styles.get(0) or styles.get(1) or "Regular"


def _decode(raw: bytes, platform: int, encoding: int) -> str:
    try:
        if platform == 3 and encoding == 3:  # PRC: GB 2312 in two-byte units
            return raw.replace(b"\x00", b"").decode("gbk", "ignore").strip()
        if platform in (0, 3):
            return raw.decode("utf-16-be", "ignore").strip()
        if platform == 1 and encoding == 0:
            return raw.decode("mac_roman", "ignore").strip()
        if platform == 1 and encoding == 25:
            return raw.decode("gbk", "ignore").strip()
    except LookupError:
        pass
    return ""


def _reportlab_version() -> str:
    import reportlab  # the package alone: its modules are not imported

    return str(getattr(reportlab, "Version", "?"))


class FontCatalog:
    """The machine's fonts and their facts, over the cache file (None: no cache, as in some tests)."""

    def __init__(self, cache: Path | None = None, folders: list[Path] | None = None) -> None:
        self.cache = cache
        self._folders = folders
        self._files: dict[str, dict[str, Any]] = {}
        self._extra: list[str] | None = None
        self._dirty = False
        self._rl = _reportlab_version()
        self._load()

    # -- the cache file ------------------------------------------------------------------------
    def _load(self) -> None:
        if self.cache is None:
            return
        try:
            raw = json.loads(self.cache.read_text(encoding="utf-8"))
            if raw.get("format") != FORMAT or raw.get("reportlab") != self._rl:
                raise ValueError("another format")
            files, extra = raw["files"], raw.get("fontconfig")
            if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
                raise ValueError("files")
            self._files = files
            self._extra = [str(x) for x in extra] if isinstance(extra, list) else None
        except FileNotFoundError:
            self._dirty = True
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.info("font cache %s ignored (%s): rebuilt", self.cache, exc)
            self._files, self._dirty = {}, True

    def save(self) -> None:
        if self.cache is None or not self._dirty:
            return
        text = json.dumps({"format": FORMAT, "reportlab": self._rl, "fontconfig": self._extra,
                           "files": self._files}, ensure_ascii=False)
        try:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".fonts-", suffix=".tmp", dir=self.cache.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.cache)
            self._dirty = False
        except OSError as exc:  # a cache we cannot write costs time, nothing else
            log.info("font cache %s not written: %s", self.cache, exc)
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass

    # -- facts -------------------------------------------------------------------------------------
    def faces(self, path: Path, st: os.stat_result | None = None) -> list[FaceFacts]:
        """The faces of one file ([] if it is not there), from the cache when its size and time match."""
        try:
            st = st or path.stat()
        except OSError:
            return []
        key = str(path)
        entry = self._files.get(key)
        if entry is None or entry.get("size") != st.st_size or entry.get("mtime") != st.st_mtime_ns:
            faces = read_facts(path)
            entry = self._files[key] = {"size": st.st_size, "mtime": st.st_mtime_ns, "faces": [
                [f.index, list(f.families), f.style, f.weight, f.italic, f.usable, f.cjk, f.latin] for f in faces]}
            self._dirty = True
        try:
            return [FaceFacts(path, int(i), tuple(fam), str(style), int(w), bool(it), bool(u), bool(c), bool(la))
                    for i, fam, style, w, it, u, c, la in entry["faces"]]
        except (TypeError, ValueError):  # a damaged entry: read the file again
            del self._files[key]
            return self.faces(path, st)

    def folders(self) -> list[Path]:
        if self._folders is not None:
            return self._folders
        if self._extra is None and os.name != "nt":
            self._extra, self._dirty = _fontconfig_folders(), True
        return font_folders() + [Path(p) for p in self._extra or ()]

    def installed(self) -> list[FaceFacts]:
        """Every face in the font folders; entries of files no longer there are dropped."""
        found: dict[str, os.stat_result] = {}
        seen: set[str] = set()
        for folder in self.folders():
            _walk(folder, found, seen)
        out: list[FaceFacts] = []
        for path in sorted(found):
            out += self.faces(Path(path), found[path])
        gone = [p for p in self._files if p not in found and not os.path.exists(p)]
        for p in gone:
            del self._files[p]
        self._dirty = self._dirty or bool(gone)
        return out
