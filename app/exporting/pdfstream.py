"""Image pages written as a PDF that streams: each scan goes to the file as soon as it is read.

reportlab and pikepdf hold a new image's bytes in memory until they save; a volume of hundreds of
scans would then need as much memory as the scans. Here a JPEG is copied from disk in chunks as it is
(DCTDecode, no re-encoding), other images are stored losslessly (Flate), and only the small page tree
waits for the end. The volume (`evidence_volume`) then takes these pages with pikepdf, which reads
them back lazily. No text is drawn here (page numbers are stamped later, in an embedded font).
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

CHUNK = 1 << 20


class ImagePdf:
    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        self.next_num = 1
        self.page_refs: list[int] = []
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.pages_num = self.reserve()

    def reserve(self) -> int:
        num = self.next_num
        self.next_num += 1
        return num

    def write(self, num: int, body: bytes) -> None:
        self.offsets[num] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    def write_stream(self, num: int, header: bytes, chunks: Iterator[bytes], length: int) -> None:
        """`header` is the dictionary's inside, without /Length; the data comes in chunks."""
        self.offsets[num] = self.out.tell()
        self.out.write(b"%d 0 obj\n<< %s /Length %d >>\nstream\n" % (num, header, length))
        written = 0
        for chunk in chunks:
            self.out.write(chunk)
            written += len(chunk)
        if written != length:
            raise OSError("文件在写入汇编时被改动了（长度不符）。")
        self.out.write(b"\nendstream\nendobj\n")

    def add_jpeg_page(self, path: Path, width: int, height: int, mode: str, page_size: tuple[float, float],
                      margins: tuple[float, float]) -> int:
        """A page showing one JPEG scan, its bytes copied as they are (DCTDecode)."""
        img = self.reserve()
        space = {"L": b"/DeviceGray", "CMYK": b"/DeviceCMYK"}.get(mode, b"/DeviceRGB")
        decode = b" /Decode [1 0 1 0 1 0 1 0]" if mode == "CMYK" else b""  # Adobe CMYK JPEGs are inverted
        size = path.stat().st_size
        self.write_stream(img, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                               b"/BitsPerComponent 8 /Filter /DCTDecode%s" % (width, height, space, decode),
                          _chunks(path), size)
        return self._image_page(img, width, height, page_size, margins)

    def add_raw_image_page(self, pixels: bytes, width: int, height: int, gray: bool, page_size: tuple[float, float],
                           margins: tuple[float, float]) -> int:
        """A page showing decoded pixels, compressed losslessly (FlateDecode)."""
        img = self.reserve()
        data = zlib.compress(pixels, 6)
        space = b"/DeviceGray" if gray else b"/DeviceRGB"
        self.write_stream(img, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                               b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height, space),
                          iter([data]), len(data))
        return self._image_page(img, width, height, page_size, margins)

    def _image_page(self, img: int, iw: int, ih: int, page_size: tuple[float, float],
                    margins: tuple[float, float]) -> int:
        """The image fitted with its proportions inside the margins (side, bottom: room for the number)."""
        pw, ph = page_size
        side, bottom = margins
        scale = min((pw - 2 * side) / iw, (ph - side - bottom) / ih)
        dw, dh = iw * scale, ih * scale
        content = b"q %.3f 0 0 %.3f %.3f %.3f cm /Im0 Do Q\n" % (dw, dh, (pw - dw) / 2,
                                                                bottom + (ph - side - bottom - dh) / 2)
        contents = self.reserve()
        self.write_stream(contents, b"", iter([content]), len(content))
        page = self.reserve()
        self.write(page, b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
                         b"/Resources << /XObject << /Im0 %d 0 R >> >> >>"
                   % (self.pages_num, pw, ph, contents, img))
        self.page_refs.append(page)
        return len(self.page_refs) - 1

    def finish(self) -> None:
        kids = b" ".join(b"%d 0 R" % n for n in self.page_refs)
        self.write(self.pages_num, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.page_refs)))
        catalog = self.reserve()
        self.write(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % self.pages_num)
        xref = self.out.tell()
        count = self.next_num
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        for num in range(1, count):
            self.out.write(b"%010d 00000 n \n" % self.offsets[num])
        self.out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, catalog, xref))


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk
