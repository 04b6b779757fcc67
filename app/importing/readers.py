"""Reading a notice or feedback document into lines: .txt (UTF-8 with or without BOM, GBK) or .docx."""
from __future__ import annotations

import zipfile
from pathlib import Path

from app.errors import LedgerError

MAX_TEXT_BYTES = 20 * 1024 * 1024   # a notice is tens of KB; anything this large is not one


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
    if suffix == ".doc":
        raise ImportError_(f"“{path.name}”是旧版 Word（.doc）文件，无法直接读取。请在 Word 或 WPS 中另存为 .docx 后再导入。")
    if suffix in (".docx", ".docm"):
        return read_docx(path)
    if suffix in (".xlsx", ".xls", ".et"):
        raise ImportError_(f"“{path.name}”是表格文件，请使用“导入台账（Excel）”。")
    if size > MAX_TEXT_BYTES:
        raise ImportError_(f"文件“{path.name}”有 {size / 1048576:.0f} MB，不像是一份通报或反馈意见"
                           f"（上限 {MAX_TEXT_BYTES // 1048576} MB），未导入。")
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return read_docx(path)
    return decode_text(path.read_bytes(), path.name)


def decode_text(data: bytes, name: str = "文本") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030; binary data is refused."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise ImportError_(f"“{name}”不是文本文件（可能是图片、压缩包或其他二进制文件），未导入。")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        bad = sum(1 for ch in text[:20000] if ch < " " and ch not in "\r\n\t\f")
        if bad > 20:
            raise ImportError_(f"“{name}”含有大量控制字符，不像是文本文件，未导入。")
        return text
    raise ImportError_(f"无法识别“{name}”的文字编码（既不是 UTF-8 也不是 GBK），请另存为 UTF-8 文本后再导入。")


def read_docx(path: Path) -> str:
    """Paragraphs of a .docx in order, tables' cells included (some offices put the notice in a table)."""
    try:
        if not zipfile.is_zipfile(path):
            raise ImportError_(f"“{path.name}”不是有效的 Word 文档（.docx），可能是其他文件改了扩展名。")
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError

        try:
            doc = Document(str(path))
        except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ImportError_(f"“{path.name}”已损坏或不是 Word 文档，无法读取。") from exc
    except ImportError_:
        raise
    except (OSError, zipfile.BadZipFile) as exc:
        raise ImportError_(f"读取“{path.name}”失败：{exc}") from exc
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    body = doc.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)
