"""A PDF writer that streams: each object goes to the file as soon as it is made.

pypdf and reportlab both hold a whole document in memory until they save it; a volume of
hundreds of scans would then need as much memory as the scans themselves. Here pages are
copied from source PDFs one file at a time (pypdf parses, this writes), JPEG scans are copied
from disk in chunks as DCT streams, and only the small page tree and outline wait for the end.
"""
from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

CHUNK = 1 << 20


def pdf_string(text: str) -> bytes:
    """A text string as UTF-16BE with its byte-order mark (titles in any language)."""
    data = b"\xfe\xff" + text.encode("utf-16-be")
    return b"<" + data.hex().encode() + b">"


@dataclass
class OutlineItem:
    title: str
    page: int                       # 0-based page index
    children: list[OutlineItem] = field(default_factory=list)


class StreamingPdf:
    def __init__(self, out: IO[bytes]) -> None:
        self.out = out
        self.offsets: dict[int, int] = {}
        self.next_num = 1
        self.page_refs: list[int] = []
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.pages_num = self.reserve()
        self.number_font = self.reserve()
        self.write(self.number_font, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                                     b"/Encoding /WinAnsiEncoding >>")

    # -- objects -----------------------------------------------------------------------
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

    # -- pages ------------------------------------------------------------------------------
    def _number_stream(self, number: int, width: float) -> bytes:
        text = b"\x97 %d \x97" % number  # — N — in WinAnsi
        x = width / 2 - 4.2 * len(text) / 1.6
        return b"q BT /XcNum 11 Tf %.2f 22.68 Td (%s) Tj ET Q" % (x, text)

    def add_jpeg_page(self, path: Path, width: int, height: int, mode: str, number: int,
                      page_size: tuple[float, float], margin: float) -> int:
        """An A4 page showing one JPEG scan, its bytes copied as they are (DCTDecode)."""
        img = self.reserve()
        space = {"L": b"/DeviceGray", "CMYK": b"/DeviceCMYK"}.get(mode, b"/DeviceRGB")
        decode = b" /Decode [1 0 1 0 1 0 1 0]" if mode == "CMYK" else b""  # Adobe CMYK JPEGs are inverted
        size = path.stat().st_size
        self.write_stream(img, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                               b"/BitsPerComponent 8 /Filter /DCTDecode%s" % (width, height, space, decode),
                          _chunks(path), size)
        return self._image_page(img, width, height, number, page_size, margin)

    def add_raw_image_page(self, pixels: bytes, width: int, height: int, gray: bool, number: int,
                           page_size: tuple[float, float], margin: float) -> int:
        """A page showing decoded pixels, compressed losslessly (FlateDecode)."""
        img = self.reserve()
        data = zlib.compress(pixels, 6)
        space = b"/DeviceGray" if gray else b"/DeviceRGB"
        self.write_stream(img, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                               b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height, space),
                          iter([data]), len(data))
        return self._image_page(img, width, height, number, page_size, margin)

    def _image_page(self, img: int, iw: int, ih: int, number: int, page_size: tuple[float, float],
                    margin: float) -> int:
        pw, ph = page_size
        scale = min((pw - 2 * margin) / iw, (ph - 2 * margin) / ih)
        dw, dh = iw * scale, ih * scale
        content = b"q %.3f 0 0 %.3f %.3f %.3f cm /Im0 Do Q\n" % (dw, dh, (pw - dw) / 2, (ph - dh) / 2)
        content += self._number_stream(number, pw)
        contents = self.reserve()
        self.write_stream(contents, b"", iter([content]), len(content))
        page = self.reserve()
        self.write(page, b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
                         b"/Resources << /XObject << /Im0 %d 0 R >> /Font << /XcNum %d 0 R >> >> >>"
                   % (self.pages_num, pw, ph, contents, img, self.number_font))
        self.page_refs.append(page)
        return len(self.page_refs) - 1

    def add_pdf_pages(self, path: Path, first_number: int) -> int:
        """Copy every page of a PDF, stamping page numbers from `first_number`. Returns pages copied."""
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        copier = _Copier(self, reader)
        for i, page in enumerate(reader.pages):
            box = page.mediabox
            stamp = b"Q\n" + self._number_stream(first_number + i, float(box.width))
            stamp_num, open_num = self.reserve(), self.reserve()
            self.write_stream(open_num, b"", iter([b"q\n"]), 2)
            self.write_stream(stamp_num, b"", iter([stamp]), len(stamp))
            resources = page.get("/Resources")
            resources = resources.get_object() if resources is not None else DictionaryObject()
            fonts = resources.get("/Font")
            fonts = fonts.get_object() if fonts is not None else DictionaryObject()
            contents = page.get("/Contents")
            content_refs = b""
            if contents is not None:
                c = contents.get_object()
                items = c if isinstance(c, ArrayObject) else [contents]
                content_refs = b" ".join(copier.value(x) for x in items)
            res_body = copier.entries((k, v) for k, v in resources.items() if k != "/Font")
            font_body = copier.entries(fonts.items())
            # Links, article beads and structure point into the source document: they are left behind.
            extra = copier.entries((k, v) for k, v in page.items()
                                   if k not in ("/Parent", "/Contents", "/Resources", "/Type", "/Annots", "/B",
                                                "/StructParents", "/Thumb"))
            page_num = self.reserve()
            self.write(page_num, b"<< /Type /Page /Parent %d 0 R %s /Contents [%d 0 R %s %d 0 R] "
                                 b"/Resources << %s /Font << %s /XcNum %d 0 R >> >> >>"
                       % (self.pages_num, extra, open_num, content_refs, stamp_num, res_body, font_body,
                          self.number_font))
            self.page_refs.append(page_num)
            copier.drain()
        return len(reader.pages)

    # -- the end ----------------------------------------------------------------------------
    def finish(self, outline: list[OutlineItem], info: dict[str, str]) -> None:
        kids = b" ".join(b"%d 0 R" % n for n in self.page_refs)
        self.write(self.pages_num, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.page_refs)))
        outlines = self._outline(outline) if outline else None
        catalog = self.reserve()
        extra = b" /Outlines %d 0 R /PageMode /UseOutlines" % outlines if outlines else b""
        self.write(catalog, b"<< /Type /Catalog /Pages %d 0 R%s >>" % (self.pages_num, extra))
        info_num = self.reserve()
        self.write(info_num, b"<< " + b" ".join(b"/%s %s" % (k.encode(), pdf_string(v)) for k, v in info.items())
                   + b" >>")
        xref = self.out.tell()
        count = self.next_num
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % count)
        for num in range(1, count):
            self.out.write(b"%010d 00000 n \n" % self.offsets[num])
        self.out.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                       % (count, catalog, info_num, xref))

    def _outline(self, items: list[OutlineItem]) -> int:
        root = self.reserve()
        first, last, count = self._outline_level(items, root)
        self.write(root, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (first, last, count))
        return root

    def _outline_level(self, items: list[OutlineItem], parent: int) -> tuple[int, int, int]:
        nums = [self.reserve() for _ in items]
        total = len(items)
        for i, (item, num) in enumerate(zip(items, nums, strict=True)):
            links = b" /Parent %d 0 R" % parent
            if i:
                links += b" /Prev %d 0 R" % nums[i - 1]
            if i + 1 < len(nums):
                links += b" /Next %d 0 R" % nums[i + 1]
            if item.children:
                f, la, c = self._outline_level(item.children, num)
                links += b" /First %d 0 R /Last %d 0 R /Count %d" % (f, la, c)
                total += c
            page = self.page_refs[item.page]
            self.write(num, b"<< /Title %s%s /Dest [%d 0 R /XYZ null null null] >>"
                       % (pdf_string(item.title), links, page))
        return nums[0], nums[-1], total


class _Copier:
    """Copies objects of one source PDF, giving each a new number the first time it is met."""

    def __init__(self, pdf: StreamingPdf, reader: PdfReader) -> None:
        self.pdf, self.reader = pdf, reader
        self.numbers: dict[int, int] = {}
        self.pending: list[tuple[int, PdfObject]] = []

    def key(self, name: str) -> bytes:
        buf = io.BytesIO()
        NameObject(name).write_to_stream(buf)
        return buf.getvalue()

    def entries(self, items: Any) -> bytes:
        return b" ".join(self.key(k) + b" " + self.value(v) for k, v in items)

    def value(self, obj: Any) -> bytes:
        if isinstance(obj, IndirectObject):
            num = self.numbers.get(obj.idnum)
            if num is None:
                num = self.numbers[obj.idnum] = self.pdf.reserve()
                self.pending.append((num, obj))
            return b"%d 0 R" % num
        if isinstance(obj, StreamObject):  # a direct stream cannot be; pypdf would not give one
            raise ValueError("direct stream")
        if isinstance(obj, DictionaryObject):
            return b"<< " + self.entries(obj.items()) + b" >>"
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self.value(v) for v in obj) + b"]"
        buf = io.BytesIO()
        obj.write_to_stream(buf)
        return buf.getvalue()

    def drain(self) -> None:
        """Write every object referred to so far (and what they refer to)."""
        while self.pending:
            num, ref = self.pending.pop()
            obj = ref.get_object()
            if isinstance(obj, StreamObject):
                data = obj._data  # the stream as stored (still encoded): copied, never re-encoded
                header = self.entries((k, v) for k, v in obj.items() if k != "/Length")
                self.pdf.write_stream(num, header, iter([data]), len(data))
            elif isinstance(obj, DictionaryObject) and obj.get("/Type") == "/Page":
                self.pdf.write(num, b"null")  # a link to another page: not copied as a page
            else:
                self.pdf.write(num, self.value(obj))


def _chunks(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk
