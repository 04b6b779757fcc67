"""Reading a notice or feedback document into lines: .txt (UTF-8 with or without BOM, GBK) or .docx.

Nothing is opened on trust: a .docx/.xlsx is a zip whose members are measured (count, uncompressed
size, expansion) before python-docx or openpyxl reads a byte of them, a text file has a size limit,
and a file that is not text (a PDF, an image, a program …) is refused before it is decoded.
"""
from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from typing import Any

from app.errors import LedgerError

log = logging.getLogger("xuncha.import")

MAX_TEXT_BYTES = 20 * 1024 * 1024   # a notice is tens of KB; anything this large is not one
MAX_PACKAGE_MEMBERS = 5000           # parts of one .docx/.xlsx
MAX_PACKAGE_BYTES = 200 * 1024 * 1024  # all parts uncompressed: what python-docx/openpyxl would hold in memory
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_MEMBER_RATIO = 100               # uncompressed : compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 8 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARKERS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
# Beginnings of files that are certainly not a notice's text.
_BINARY_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF 文件"), (b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"), (b"MM\x00*", "TIFF 图片"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"), (b"\x7fELF", "程序文件"), (b"MZ", "程序文件"), (b"SQLite format 3", "数据库文件"),
    (b"{\\rtf", "RTF 文档"), (b"%!PS", "PostScript 文件"), (OLE_MAGIC, "旧版 Office 文件"),
)


class ImportError_(LedgerError):
    """A file that cannot be read as a notice; the message says why, in Chinese."""


def read_document(path: Path | str) -> str:
    path = Path(path)
    if not path.exists():
        raise ImportError_(f"找不到文件“{path}”。")
    if not path.is_file():
        raise ImportError_(f"“{path.name}”不是文件。")
    size = path.stat().st_size
    if size == 0:
        raise ImportError_(f"文件“{path.name}”是空的（0 字节），没有可导入的内容。")
    suffix = path.suffix.lower()
    if suffix in (".doc", ".wps"):
        if ole_kind(path) == "encrypted":
            raise ImportError_(f"“{path.name}”有密码保护，无法读取。请在 Word 或 WPS 中取消密码并另存为 .docx 后再导入。")
        raise ImportError_(f"“{path.name}”是旧版 Word（.doc）文件，无法直接读取。请在 Word 或 WPS 中另存为 .docx 后再导入。")
    if suffix in (".docx", ".docm", ".dotx"):
        return read_docx(path)
    if suffix in (".xls", ".et"):
        raise ImportError_(f"“{path.name}”是旧版 Excel（.xls）或 WPS 表格（.et）文件，本程序不能直接读取。请在 Excel 或 WPS 中"
                           "另存为 .xlsx，再导入这个 .xlsx 文件（窗口中的“导入”，或命令 python main.py import 文件.xlsx）。")
    if suffix in (".xlsx", ".xlsm"):
        raise ImportError_(f"“{path.name}”是 Excel 台账，不是通报文本：请按台账导入（窗口中的“导入”，"
                           "或命令 python main.py import 文件.xlsx）。")
    with open(path, "rb") as f:
        head = f.read(16)
    if head.startswith(b"PK\x03\x04"):
        return read_docx(path)
    refuse_binary(head, path.name)
    if size > MAX_TEXT_BYTES:
        raise ImportError_(f"文件“{path.name}”有 {size / 1048576:.0f} MB，不像是一份通报或反馈意见"
                           f"（上限 {MAX_TEXT_BYTES // 1048576} MB），未导入。")
    return decode_text(path.read_bytes(), path.name)


def refuse_binary(head: bytes, name: str) -> None:
    for magic, kind in _BINARY_KINDS:
        if head.startswith(magic):
            hint = "请用 WPS 或 Word 打开它，另存为 .docx 或 .txt 后再导入。" if kind in ("PDF 文件", "RTF 文档", "旧版 Office 文件") \
                else ""
            raise ImportError_(f"“{name}”是{kind}，不是通报文本（不是文本文件或 Word 文档），未导入。{hint}")


def ole_kind(path: Path) -> str:
    """What an OLE (old Office container) file holds: "encrypted" (a password-protected .docx/.xlsx is
    stored so), "word", "excel", "" (not an OLE file) or "unknown"; read from its stream names."""
    found = ""
    try:
        with open(path, "rb") as f:
            if f.read(8) != OLE_MAGIC:
                return ""
            f.seek(0)
            tail = b""
            for _ in range(64):  # the directory of an OLE file is near its start; 64 MB at most
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                block = tail + chunk
                if any(m in block for m in _ENCRYPTED_MARKERS):
                    return "encrypted"
                if not found and "WordDocument".encode("utf-16-le") in block:
                    found = "word"
                elif not found and ("Workbook".encode("utf-16-le") in block or "Book".encode("utf-16-le") in block):
                    found = "excel"
                tail = block[-40:]
    except OSError:
        return "unknown"
    return found or "unknown"


def is_encrypted_office(path: Path) -> bool:
    """An OLE file that is not plainly an old Word or Excel file: with a .docx/.xlsx name, that is
    how Office and WPS store a document with an opening password."""
    return ole_kind(path) in ("encrypted", "unknown")


def check_package(path: Path, what: str) -> None:
    """Measure a .docx/.xlsx before any reader opens it: members, their uncompressed sizes, expansion."""
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportError_(f"“{path.name}”已损坏，无法作为{what}读取。") from exc
    if len(infos) > MAX_PACKAGE_MEMBERS:
        raise ImportError_(f"“{path.name}”内部有 {len(infos)} 个部件，超过了 {MAX_PACKAGE_MEMBERS} 个的上限，"
                           f"不像是正常的{what}，未导入。")
    total = 0
    for info in infos:
        total += info.file_size
        if info.flag_bits & 0x1:
            raise ImportError_(f"“{path.name}”有密码保护，无法读取。请取消密码后另存，再导入。")
        too_big = info.file_size > MAX_MEMBER_BYTES
        exploding = info.file_size > RATIO_FLOOR and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1)
        if too_big or exploding or total > MAX_PACKAGE_BYTES:
            log.warning("%s: member %s expands to %d bytes (%d compressed), total %d", path, info.filename,
                        info.file_size, info.compress_size, total)
            raise ImportError_(f"“{path.name}”解压后过大（其中“{info.filename[:80]}”有 {info.file_size / 1048576:.0f} MB），"
                               f"超过了读取{what}的上限，可能已损坏或是恶意构造的文件，未导入。")


def decode_text(data: bytes, name: str = "文本") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030; binary data is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ImportError_(f"“{name}”不是通报文本：不是文本文件（可能是图片、压缩包或其他二进制文件），未导入。")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        bad = sum(1 for ch in text[:20000] if ch < " " and ch not in "\r\n\t\f")
        if bad > 20:
            raise ImportError_(f"“{name}”含有大量控制字符，不是通报文本，未导入。")
        return text
    raise ImportError_(f"无法识别“{name}”的文字编码（既不是 UTF-8 也不是 GBK），请另存为 UTF-8 文本后再导入。")


def read_docx(path: Path) -> str:
    """Paragraphs of a .docx in order, tables' cells included (some offices put the notice in a table)."""
    try:
        with open(path, "rb") as f:
            head = f.read(8)
        if head == OLE_MAGIC:
            if is_encrypted_office(path):
                raise ImportError_(f"“{path.name}”有密码保护（已加密），无法读取。请在 Word 或 WPS 中取消密码并另存后再导入。")
            raise ImportError_(f"“{path.name}”其实是旧版 Word（.doc）文件，无法直接读取。请在 Word 或 WPS 中另存为 .docx 后再导入。")
        if not zipfile.is_zipfile(path):
            raise ImportError_(f"“{path.name}”不是有效的 Word 文档（.docx），可能是其他文件改了扩展名。")
        check_package(path, "Word 文档")
        from docx import Document

        try:
            doc = Document(str(path))
        except Exception as exc:  # KeyError, lxml's XMLSyntaxError, ValueError …: all one thing to the clerk
            log.warning("python-docx cannot read %s: %r", path, exc)
            raise ImportError_(f"“{path.name}”已损坏或不是 Word 文档（内部格式有误），无法读取。") from exc
    except ImportError_:
        raise
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportError_(f"读取“{path.name}”失败：{getattr(exc, 'strerror', None) or '文件无法读取'}。") from exc
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from app.importing.docx_numbering import ListNumbers

    numbers = ListNumbers(doc)

    def text(p: Any) -> str:  # the typed text after the number Word draws for a numbered list
        return numbers.label(p) + Paragraph(p, doc).text

    lines: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(text(child))
        elif tag == "tbl":
            # Cell by cell as written, not python-docx's grid (`row.cells`), which repeats a cell once per
            # column it spans: a crafted gridSpan of millions would fill the memory.
            rows = [[[text(p) for p in tc.iter(qn("w:p"))] for tc in row._tr.tc_lst] for row in Table(child, doc).rows]
            if _problem_table(rows):
                # A table of problems (序号 | 问题 | 整改措施 | …): a row per line, its cells tab-separated, as a
                # table copied from a web page reads; the importer reads the rows by their header.
                lines.extend("\t".join("".join(paras).strip() for paras in row) for row in rows)
            else:
                lines.extend(t for row in rows for paras in row for t in paras)
    return "\n".join(lines)


def _problem_table(rows: list[list[list[str]]]) -> bool:
    """Three columns or more, and a header cell naming the problems (反馈问题, 存在问题 …)."""
    if not rows or len(rows[0]) < 3:
        return False
    head = ["".join(paras).strip() for paras in rows[0]]
    return any("问题" in h and "整改" not in h and len(h) <= 16 for h in head)
