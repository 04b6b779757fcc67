"""Content-addressed file store for 佐证材料, beside the database.

A file is copied to a temporary name, flushed and fsynced, then renamed to
`evidence/ab/<sha256>`; only then may a database row point at it. The type is
read from the content, not the extension.
"""
from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from app.durable import CHUNK, copy_hashing, fsync_path
from app.errors import EvidenceError

log = logging.getLogger("xuncha.evidence")

DEFAULT_MAX_BYTES = 300 * 1024 * 1024
MAX_IMAGE_PIXELS = 89_478_485   # Pillow's own decompression-bomb limit (Image.MAX_IMAGE_PIXELS)
MAX_IMAGE_FRAMES = 2000
STORED_PATH = re.compile(r"evidence/([0-9a-f]{2})/([0-9a-f]{64})")

_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

TYPE_LABELS = {
    "pdf": "PDF 文档", "jpeg": "JPEG 图片", "png": "PNG 图片", "tiff": "TIFF 图片", "bmp": "BMP 图片",
    "docx": "Word 文档", "doc": "Word 文档", "xlsx": "Excel 表格", "xls": "Excel 表格", "other": "其他文件",
}
IMAGE_TYPES = {"jpeg", "png", "tiff", "bmp"}


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    relative_path: str      # relative to the data folder, '/'-separated
    size: int
    file_type: str
    page_count: int
    newly_stored: bool      # False when the same content was already in the store


def check_name(name: str) -> None:
    """Refuse names Windows cannot hold, so a backup restored on Windows keeps every file."""
    stem = name.split(".")[0].upper()
    if _WINDOWS_FORBIDDEN.search(name) or stem in _WINDOWS_RESERVED or name.endswith((" ", ".")):
        raise EvidenceError(f"文件名“{name}”含有 Windows 不允许的字符或保留名（如 < > : \" / \\ | ? * 或 CON、NUL），"
                            "请改名后再添加。")


def detect_type(path: Path) -> str:
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
        except zipfile.BadZipFile:
            return "other"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "other"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls" if path.suffix.lower() in (".xls", ".et") else "doc"
    return "other"


def check_image_size(width: int, height: int, name: str,
                     outcome: str = "未添加。请缩小图片或降低扫描分辨率后再添加。") -> None:
    """Refuse an image whose pixels would exhaust memory when decoded (Pillow's decompression-bomb limit)."""
    if width <= 0 or height <= 0:
        raise EvidenceError(f"图片“{name}”已损坏或无法读取（尺寸为 {width}×{height}），{outcome}")
    if width * height > MAX_IMAGE_PIXELS:
        raise EvidenceError(f"图片“{name}”有 {width}×{height} 像素，超过了 {MAX_IMAGE_PIXELS // 1_000_000} 百万像素的上限，"
                            f"打开它可能耗尽内存，{outcome}")


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EvidenceError(f"PDF 文件“{path.name}”有打开密码，无法作为佐证材料读取。请提供未加密的版本。")
        pages = len(reader.pages)
    except EvidenceError:
        raise
    except FileNotDecryptedError as exc:
        raise EvidenceError(f"PDF 文件“{path.name}”有打开密码，无法作为佐证材料读取。请提供未加密的版本。") from exc
    except DependencyError as exc:
        log.error("reading the encrypted PDF %s: %s", path, exc)
        raise EvidenceError(f"PDF 文件“{path.name}”是加密的，本机缺少读取它所需的组件（cryptography），未添加。") from exc
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError, NotImplementedError) as exc:
        raise EvidenceError(f"PDF 文件“{path.name}”已损坏或无法读取，未添加。") from exc
    if pages == 0:
        raise EvidenceError(f"PDF 文件“{path.name}”没有任何页面，未添加。")
    return pages


def _image_pages(path: Path, file_type: str) -> int:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked below, with a message in words
            with Image.open(path) as img:
                frames = int(getattr(img, "n_frames", 1))
                if frames > MAX_IMAGE_FRAMES:
                    raise EvidenceError(f"图片“{path.name}”有 {frames} 页，超过了 {MAX_IMAGE_FRAMES} 页的上限，未添加。")
                for frame in range(frames):
                    if frame:
                        img.seek(frame)
                    check_image_size(img.width, img.height, path.name)
                if file_type != "tiff":
                    img.verify()
                return frames
    except EvidenceError:
        raise
    except Image.DecompressionBombError as exc:
        raise EvidenceError(f"图片“{path.name}”的像素过多，打开它可能耗尽内存，未添加。请缩小图片后再添加。") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise EvidenceError(f"图片“{path.name}”已损坏或无法读取，未添加。") from exc


def count_pages(path: Path, file_type: str) -> int:
    """Pages of a PDF or a (multi-page) TIFF; 1 for other images; 0 for plain attachments."""
    if file_type == "pdf":
        return _pdf_pages(path)
    if file_type in IMAGE_TYPES:
        return _image_pages(path, file_type)
    return 0


class UnsafeStoredPath(EvidenceError):
    """A path from the database that does not name a file inside the store: never followed."""

    def __init__(self, relative_path: str) -> None:
        super().__init__(f"佐证材料的登记路径“{relative_path[:200]}”不在佐证材料库内，已拒绝使用（不读取、不删除该位置的文件）。"
                         "请运行“检查数据完整性”。")
        self.relative_path = relative_path


class EvidenceStore:
    def __init__(self, data_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.data_dir = data_dir
        self.root = data_dir / "evidence"
        self.max_bytes = max_bytes

    def path_of(self, relative_path: str) -> Path:
        """The file a stored path names: the one resolver for every path read from the database.

        Only `evidence/ab/<sha256>` is accepted, and the file (followed through any symbolic link)
        must lie inside the store; anything else raises `UnsafeStoredPath` and is never followed."""
        match = STORED_PATH.fullmatch(relative_path) if isinstance(relative_path, str) else None
        if match is None or match.group(2)[:2] != match.group(1):
            raise UnsafeStoredPath(str(relative_path))
        path = self.root / match.group(1) / match.group(2)
        if path.is_symlink() or path.parent.is_symlink():
            root = os.path.realpath(self.root)
            if not os.path.realpath(path).startswith(root + os.sep):
                raise UnsafeStoredPath(relative_path)
        return path

    @staticmethod
    def relative_for(sha256: str) -> str:
        return f"evidence/{sha256[:2]}/{sha256}"

    def validate_source(self, source: Path) -> None:
        if not source.exists():
            raise EvidenceError(f"找不到文件“{source}”，它可能已被移动或删除。")
        if not source.is_file():
            raise EvidenceError(f"“{source.name}”不是一个文件（可能是文件夹）。")
        check_name(source.name)
        size = source.stat().st_size
        if size == 0:
            raise EvidenceError(f"文件“{source.name}”是空文件（0 字节），可能扫描未完成，未添加。")
        if size > self.max_bytes:
            raise EvidenceError(f"文件“{source.name}”有 {size / 1048576:.1f} MB，超过了 "
                                f"{self.max_bytes / 1048576:.0f} MB 的上限，未添加。")

    def put(self, source: Path) -> StoredFile:
        """Copy `source` into the store (or find it there). Raises EvidenceError, leaving nothing behind."""
        source = Path(source)
        self.validate_source(source)
        file_type = detect_type(source)
        pages = count_pages(source, file_type)
        tmp_dir = self.root / "tmp"
        try:
            tmp_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=f"incoming-{os.getpid()}-")
        except OSError as exc:
            raise EvidenceError(f"无法写入佐证材料目录：{os_words(exc)}") from exc
        tmp = Path(tmp_name)
        try:
            sha, size = copy_hashing(source, fd)
            rel = self.relative_for(sha)
            final = self.path_of(rel)
            # Another thread may store or discard the same content meanwhile (its rollback, under the
            # write lock): a copy that vanishes while it is read is simply not there; the caller checks
            # again under the lock before a row may point at it.
            if _holds(final, sha):
                tmp.unlink()
                return StoredFile(sha, rel, size, file_type, pages, False)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, final)  # the same bytes whoever wins: storing by hash is idempotent
            fsync_path(final.parent, directory=True)
            return StoredFile(sha, rel, size, file_type, pages, True)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if getattr(exc, "errno", None) == 28:
                raise EvidenceError("磁盘空间已满，文件未能存入，已有数据未受影响。") from exc
            raise EvidenceError(f"复制文件“{source.name}”时出错：{os_words(exc)}") from exc

    def discard(self, relative_path: str) -> None:
        """Remove a stored file (after its last row is gone, or when a commit failed)."""
        self.path_of(relative_path).unlink(missing_ok=True)

    def stored_files(self) -> dict[str, Path]:
        """sha256 → path of every file in the store (temporary files excluded)."""
        out: dict[str, Path] = {}
        if not self.root.exists():
            return out
        for sub in self.root.iterdir():
            if sub.is_dir() and len(sub.name) == 2:
                for f in sub.iterdir():
                    if f.is_file():
                        out[f.name] = f
        return out


def _holds(path: Path, sha: str) -> bool:
    try:
        return path.is_file() and file_sha256(path) == sha
    except FileNotFoundError:
        return False


def os_words(exc: OSError) -> str:
    """An operating-system failure in words a clerk can act on (the detail goes to the log)."""
    log.warning("file operation failed: %r", exc)
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "文件夹是只读的或没有写入权限，已有数据未受影响。请检查文件夹权限"
    if exc.errno == errno.ENOSPC:
        return "磁盘空间已满，已有数据未受影响"
    if exc.errno == errno.ENOENT:
        return "文件或文件夹不存在（可能已被移动或删除）"
    return "文件操作失败，已有数据未受影响（详细信息已记录在日志中）"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()

