"""Scans streamed into a finished PDF as an incremental update: each image is read from disk and written
once, in chunks, never held in memory.

The volume is first assembled by pikepdf with a tiny placeholder image object for every scan (the pages,
their drawing, page numbers, outline and annotations are all there). Then each placeholder object is
redefined, under the same object number, in an update appended to the file (PDF 32000-1 §7.5.6): a JPEG's
bytes as they are (DCTDecode, no re-encoding), other images losslessly (Flate). The placeholders stay
behind as a few dead bytes each.
"""
from __future__ import annotations

import os
import re
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

CHUNK = 1 << 20
MARKER = "/XcScan"          # the placeholder's key: its value is the scan's index


@dataclass(frozen=True)
class Scan:
    """One image to write in place of a placeholder."""

    path: Path
    frame: int              # frame of a multi-page TIFF
    jpeg: bool              # copy the file's bytes as they are
    pixels: tuple[int, int] = (0, 0)  # a JPEG's size and colours as the plan read them (the store's files
    mode: str = ""                    # never change: named by their content); unknown: read here


def _copy_file(out: IO[bytes], path: Path) -> int:
    """Append the file's bytes to `out`; how many. On Linux the kernel copies them from file to file
    (`sendfile`, as `shutil.copyfile` does), so a scan never passes through the program's memory; elsewhere
    in chunks."""
    with open(path, "rb") as src:
        if not sys.platform.startswith("linux"):
            copied = 0
            while chunk := src.read(CHUNK):
                out.write(chunk)
                copied += len(chunk)
            return copied
        out.flush()
        start, fd = out.tell(), out.fileno()
        os.lseek(fd, start, os.SEEK_SET)
        copied = 0
        while sent := os.sendfile(fd, src.fileno(), copied, CHUNK * 64):
            copied += sent
        out.seek(start + copied)  # the buffered file's own position follows what the kernel wrote
        return copied


def _write_object(out: IO[bytes], num: int, header: bytes, data: bytes | Path, length: int) -> None:
    out.write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (num, header, length))
    written = _copy_file(out, data) if isinstance(data, Path) else out.write(data)
    if written != length:
        raise OSError("文件在写入汇编时被改动了（长度不符）。")
    out.write(b"\nendstream\nendobj\n")


def _jpeg(out: IO[bytes], num: int, path: Path, pixels: tuple[int, int], mode: str) -> None:
    space = {"L": b"/DeviceGray", "CMYK": b"/DeviceCMYK"}.get(mode, b"/DeviceRGB")
    decode = b" /Decode [1 0 1 0 1 0 1 0]" if mode == "CMYK" else b""  # Adobe CMYK JPEGs are inverted
    header = (b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
              b"/Filter /DCTDecode%s" % (*pixels, space, decode))
    _write_object(out, num, header, path, path.stat().st_size)


def _image(out: IO[bytes], num: int, scan: Scan) -> None:
    if scan.jpeg and scan.mode:  # known from the plan: the file is only copied, not opened a second time
        _jpeg(out, num, scan.path, scan.pixels, scan.mode)
        return
    from PIL import Image

    with Image.open(scan.path) as img:
        if scan.jpeg:
            _jpeg(out, num, scan.path, img.size, img.mode)
            return
        img.seek(scan.frame)
        frame = img.convert("L" if img.mode in ("1", "L", "I;16", "I") else "RGB")
    data = zlib.compress(frame.tobytes(), 6)
    space = b"/DeviceGray" if frame.mode == "L" else b"/DeviceRGB"
    header = (b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 "
              b"/Filter /FlateDecode" % (frame.width, frame.height, space))
    _write_object(out, num, header, data, len(data))


def append_scans(path: Path | str, placeholders: dict[int, Scan], trailer: bytes, done: Iterator[None] | None = None
                 ) -> None:
    """Append an update to the PDF at `path` that redefines each placeholder object number with its scan.

    `trailer` holds the entries the update's trailer repeats (/Size, /Root, /Info, /ID)."""
    with open(path, "r+b") as out:
        out.seek(-1024, 2) if out.seek(0, 2) > 1024 else out.seek(0)
        tail = out.read()
        found = re.findall(rb"startxref\s+(\d+)", tail)
        if not found:
            raise OSError("汇编文件不完整（没有 startxref）。")
        previous = int(found[-1])
        out.seek(0, 2)
        if not tail.endswith(b"\n"):
            out.write(b"\n")
        offsets: dict[int, int] = {}
        for num in sorted(placeholders):
            offsets[num] = out.tell()
            _image(out, num, placeholders[num])
            if done is not None:
                next(done, None)
        xref = out.tell()
        out.write(b"xref\n0 1\n0000000000 65535 f \n")
        for num in sorted(offsets):
            out.write(b"%d 1\n%010d 00000 n \n" % (num, offsets[num]))
        out.write(b"trailer\n<< %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, previous, xref))
