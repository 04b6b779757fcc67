"""A reportlab TrueType face that reads only what a document uses.

reportlab's `TTFontFile.extractInfo` decodes a font's whole character map, all its advance widths and
its whole glyph index before the first character is drawn: 0.1–0.16 s for each Chinese font, four of
them in a notice. `LazyFace` lets reportlab read and check the small tables exactly as it does (name,
head, OS/2, post, hhea, maxp), then answers for the few thousand characters a document holds from the
character map, `hmtx` and `loca` tables, one character at a time. What it answers is what the full parse
would have held (tests/app/test_font_face.py compares them glyph for glyph on every font of the machine),
so reportlab's subsetting, widths and text objects are unchanged. Character maps of a rare format, out
of order, or fonts embedded whole fall back to reportlab's own full parse.
"""
from __future__ import annotations

import mmap
import os
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from struct import unpack_from
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace, TTFontFile

__all__ = ["LazyFace", "TTFError", "face_over", "load_font"]

_MISSING = object()


class _LazyMap(dict):
    """A dict filled one key at a time by `fill` (None: the key is absent). reportlab reads the face's
    `charToGlyph` and `charWidths` with `in`, `[]` and `.get` only."""

    def __init__(self, fill: Callable[[int], Any]) -> None:
        super().__init__()
        self._fill = fill
        self._absent: set[int] = set()

    def _look(self, key: int) -> Any:
        if key in self._absent or not isinstance(key, int):
            return _MISSING
        value = self._fill(key)
        if value is None:
            self._absent.add(key)
            return _MISSING
        self[key] = value
        return value

    def __missing__(self, key: int) -> Any:
        value = self._look(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return dict.__contains__(self, key) or self._look(key) is not _MISSING  # type: ignore[arg-type]

    def get(self, key: int, default: Any = None) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        value = self._look(key)
        return default if value is _MISSING else value


class _Table:
    """A read-only sequence over a table of fixed-size records (`hmtx`, `loca`)."""

    def __init__(self, item: Callable[[int], Any], length: int) -> None:
        self._item, self._length = item, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, i: int) -> Any:
        if not 0 <= i < self._length:
            raise IndexError(i)
        return self._item(i)

    def __iter__(self) -> Iterator[Any]:
        return (self._item(i) for i in range(self._length))


class _Window:
    """The `glyf` table sliced without copying it whole: makeSubset takes one glyph at a time."""

    def __init__(self, data: Any, start: int, length: int) -> None:
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, s: slice) -> bytes:
        start, stop, _ = s.indices(self._length)
        return bytes(self._data[self._start + start:self._start + stop])


class LazyFace(TTFontFace):
    def __init__(self, data: Any, filename: str, subfontIndex: int = 0,  # noqa: N803 (reportlab's name)
                 stamp: tuple[int, int] | None = None) -> None:
        self._ttf_data = data     # reportlab's readFile keeps data already there
        self.filename = filename
        self._stamp = stamp       # (size, mtime): the glyphs are read from the file when a subset is made
        super().__init__(filename, validate=0, subfontIndex=subfontIndex)

    def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802, N803 (reportlab's names)
        TTFontFile.extractInfo(self, False)   # the small tables, read and checked by reportlab itself
        if not charInfo:
            return
        if getattr(self, "_full_font", False) or not self._lazy_cmap():
            TTFontFile.extractInfo(self, True)   # embedded whole, or a character map we do not read
            return
        head = self.get_table_pos("head")[0]
        if self.get_ushort(head + 52) != 0:
            raise TTFError(f"Unknown glyph data format ({self.get_ushort(head + 52)})")
        if "loca" not in self.table:
            raise TTFError("missing location table")
        long_loca = self.get_ushort(head + 50)
        if long_loca not in (0, 1):
            raise TTFError(f"Unknown location table format ({long_loca})")
        n_metrics = self.get_ushort(self.get_table_pos("hhea")[0] + 34)
        hmtx, loca, data = self.get_table_pos("hmtx")[0], self.get_table_pos("loca")[0], self._ttf_data
        scale: Callable[[float], float] = getattr(self, "_pdfScale")  # noqa: B009 (set by reportlab, untyped)
        glyphs = self.numGlyphs
        # Past the last full record reportlab repeats the last advance already scaled: so do we.
        last_aw = scale(unpack_from(">H", data, hmtx + 4 * (n_metrics - 1))[0])

        def metric(g: int) -> tuple[float, int]:
            if g < n_metrics:
                return unpack_from(">HH", data, hmtx + 4 * g)
            return last_aw, unpack_from(">H", data, hmtx + 4 * n_metrics + 2 * (g - n_metrics))[0]

        def position(g: int) -> int:
            return int(unpack_from(">L", data, loca + 4 * g)[0] if long_loca else unpack_from(">H", data, loca + 2 * g)[0] << 1)

        self.hmetrics = _Table(metric, glyphs)
        self.glyphPos = _Table(position, glyphs + 1)
        self.defaultWidth = scale(metric(0)[0])

        def width(code: int) -> float | None:
            g = self.charToGlyph.get(code)
            if g is None or g >= glyphs:
                return None
            return scale(metric(g)[0]) if g < n_metrics else last_aw

        self.charWidths = _LazyMap(width)
        self.glyphToChar: dict[int, list[int]] = {}   # only reportlab's text shaping reads it; fonts are registered unshaped

    def _lazy_cmap(self) -> bool:
        """Read the character map reportlab would choose, if it is of format 4 or 12 and well ordered."""
        cmap = self.get_table_pos("cmap")[0]
        version, count = self.get_ushort(cmap), self.get_ushort(cmap + 2)
        if count == 0 and version != 0:
            count = version
        found = None
        pref = 0
        for n in range(count):   # reportlab's choice, record by record (later ones win)
            platform, encoding = self.get_ushort(cmap + 4 + 8 * n), self.get_ushort(cmap + 6 + 8 * n)
            offset = self.get_ulong(cmap + 8 + 8 * n)
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                pref, found = 1, offset
            elif platform == 1 and encoding == 0 and pref != 1:
                pref, found = 2, offset
        if found is None:
            raise TTFError("could not find a suitable cmap encoding")
        at = cmap + found
        fmt = self.get_ushort(at)
        lookup = _format4(self._ttf_data, at) if fmt == 4 else _format12(self._ttf_data, at) if fmt == 12 else None
        if lookup is None:
            return False

        def glyph(code: int) -> int | None:
            if code in (0x20, 0xA0):   # reportlab gives the no-break space the space's glyph, or the reverse
                g = lookup(0x20)
                return g if g is not None else lookup(0xA0)
            return lookup(code)

        self.charToGlyph = _LazyMap(glyph)
        return True

    def makeSubset(self, subset: Sequence[int]) -> bytes:  # noqa: N802 (reportlab's name)
        if self._stamp is not None:
            self._read_glyphs([self.charToGlyph.get(code, 0) for code in subset])
        return bytes(super().makeSubset(subset))

    def _read_glyphs(self, wanted: list[int]) -> None:
        """Bring the glyphs of a subset (and the parts of composite glyphs) in from the file, where the
        memory left room for them; refused if the file has changed since the face was read."""
        loaded: set[int] = self.__dict__.setdefault("_loaded", set())
        todo = [g for g in wanted + [0] if g not in loaded]
        if not todo:
            return
        st = os.stat(self.filename)
        if (st.st_size, st.st_mtime_ns) != self._stamp:
            raise TTFError(f"字体文件“{self.filename}”在导出过程中被更换，请重新导出")
        glyf = self.get_table_pos("glyf")[0]
        data = self._ttf_data
        with open(self.filename, "rb") as f:
            while todo:
                g = todo.pop()
                if g in loaded or g >= self.numGlyphs:
                    continue
                loaded.add(g)
                start, end = glyf + self.glyphPos[g], glyf + self.glyphPos[g + 1]
                if end <= start:
                    continue
                f.seek(start)
                chunk = f.read(end - start)
                if len(chunk) != end - start:
                    raise TTFError(f"字体文件“{self.filename}”不完整")
                data[start:end] = chunk
                todo += _components(chunk)

    def get_table(self, tag: str) -> Any:
        pos, length = self.get_table_pos(tag)
        if tag == "glyf":
            return _Window(self._ttf_data, pos, length)
        return bytes(self._ttf_data[pos:pos + length])


def _components(glyph: bytes) -> list[int]:
    """The glyphs a composite glyph is made of (as reportlab's makeSubset walks them)."""
    if len(glyph) <= 2 or unpack_from(">h", glyph)[0] >= 0:
        return []
    out, pos, flags = [], 10, 0x20
    while flags & 0x20 and pos + 4 <= len(glyph):   # MORE_COMPONENTS
        flags, index = unpack_from(">HH", glyph, pos)
        out.append(index)
        pos += 8 if flags & 1 else 6                   # ARG_1_AND_2_ARE_WORDS
        pos += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0   # the scale, if any
    return out


def _format4(data: Any, at: int) -> Callable[[int], int | None] | None:
    length = unpack_from(">H", data, at + 2)[0]
    seg = unpack_from(">H", data, at + 6)[0] // 2
    ends = unpack_from(f">{seg}H", data, at + 14)
    starts = unpack_from(f">{seg}H", data, at + 16 + 2 * seg)
    deltas = unpack_from(f">{seg}h", data, at + 16 + 4 * seg)
    ranges_at = at + 16 + 6 * seg
    ranges = unpack_from(f">{seg}H", data, ranges_at)
    limit = at + length
    if any(ends[i] >= starts[i + 1] for i in range(seg - 1)) or any(s > e for s, e in zip(starts, ends, strict=True)):
        return None   # overlapping or out of order: reportlab's reading order decides, so let it read

    def lookup(code: int) -> int | None:
        n = bisect_left(ends, code)
        if n >= seg or code < starts[n]:
            return None
        if ranges[n] == 0:
            return (code + deltas[n]) & 0xFFFF
        offset = ranges_at + 2 * n + (code - starts[n]) * 2 + ranges[n]
        if offset >= limit:
            return 0
        g = unpack_from(">H", data, offset)[0]
        return (g + deltas[n]) & 0xFFFF if g else 0

    return lookup


def _format12(data: Any, at: int) -> Callable[[int], int | None] | None:
    groups = unpack_from(">L", data, at + 12)[0]
    flat = unpack_from(f">{3 * groups}L", data, at + 16)
    starts, ends, firsts = flat[0::3], flat[1::3], flat[2::3]
    if any(ends[i] >= starts[i + 1] for i in range(groups - 1)) or any(s > e for s, e in zip(starts, ends, strict=True)):
        return None

    def lookup(code: int) -> int | None:
        n = bisect_left(ends, code)
        if n >= groups or code < starts[n]:
            return None
        return int(code - starts[n] + firsts[n])

    return lookup


@contextmanager
def face_over(path: Path, index: int) -> Iterator[LazyFace]:
    """A face over the file mapped into memory, for a look at it (coverage, names) that reads only
    the pages it touches; nothing of it may be kept after the block."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:
            raise TTFError(f"empty font file {path}")
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            yield LazyFace(data, str(path), index)


# Each font file read once per process, keyed by what identifies its contents: a file replaced,
# moved or deleted is read again (or refused), never answered from the old one.
_LOADED: dict[tuple[str, int, int, int], TTFont] = {}


def load_font(name: str, path: Path, index: int) -> TTFont:
    """A reportlab font over the file, unshaped (our writers place each glyph themselves)."""
    st = path.stat()
    key = (str(path), index, st.st_size, st.st_mtime_ns)
    font = _LOADED.get(key)
    if font is None:
        data, stamp = _tables(path, index)
        font = _LOADED[key] = _font(name, LazyFace(data, str(path), index, stamp))
    return font


# The tables reportlab reads or copies into a subset, and how much of each (of `post`, only its header):
# bitmaps (EBDT), vertical metrics, layout tables are left on the disk; `glyf` is read glyph by glyph.
_READ = {tag.encode("latin-1"): 1 << 62 for tag in ("head", "hhea", "maxp", "OS/2", "name", "cmap", "hmtx", "loca",
                                                     "cvt ", "fpgm", "prep")} | {b"post": 32}


def _tables(path: Path, index: int) -> tuple[mmap.mmap, tuple[int, int]]:
    """The tables reportlab needs, each at its own offset, in anonymous memory that costs nothing where
    nothing is written: of a 20 MB font, half a megabyte is read."""
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        size = st.st_size
        if size < 12:
            raise TTFError(f"not a font file: {path}")
        buf = mmap.mmap(-1, size)

        def copy(pos: int, length: int) -> bytes:
            f.seek(pos)
            chunk = f.read(max(0, min(length, size - pos)))
            buf[pos:pos + len(chunk)] = chunk
            return chunk

        head = copy(0, 12)
        at = 0
        if head[:4] == b"ttcf":   # a collection: its directory of sub-fonts, then the chosen one's header
            offsets = copy(12, 4 * unpack_from(">L", head, 8)[0])
            if 4 * index + 4 > len(offsets):
                raise TTFError(f"{path}: no sub-font {index}")
            at = unpack_from(">L", offsets, 4 * index)[0]
            copy(at, 12)
        if at + 6 > size:
            raise TTFError(f"{path}: damaged table directory")
        directory = copy(at + 12, 16 * unpack_from(">H", buf, at + 4)[0])
        for t in range(len(directory) // 16):
            tag, _sum, offset, length = unpack_from(">4sLLL", directory, 16 * t)
            if tag in _READ and offset < size:
                copy(offset, min(length, _READ[tag]))
    return buf, (st.st_size, st.st_mtime_ns)


class LazyFont(TTFont):
    """A reportlab font over a `LazyFace`. Its widths are read through the face's lazy map, as reportlab's
    own Python code reads them: reportlab's C accelerator (rl_accel) reads `charWidths` as a plain dict and
    would give every character not looked up yet the default width, and text would run past its margin."""

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:  # noqa: N802
        if isinstance(text, bytes):
            text = text.decode(encoding or "utf8")
        get, default = self.face.charWidths.get, self.face.defaultWidth
        return 0.001 * size * sum(get(ord(ch), default) for ch in text)


def _font(name: str, face: LazyFace) -> TTFont:
    """`TTFont.__init__` with our face in place of the one it would parse (tests compare the attributes)."""
    font = LazyFont.__new__(LazyFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable  # type: ignore[attr-defined]
    font.shapable = False
    return font
