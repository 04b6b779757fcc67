"""Crafting hostile files byte by byte for the tests: zips with lying headers, zip bombs, backups
rebuilt with a doctored member, images that claim billions of pixels."""
from __future__ import annotations

import hashlib
import json
import sqlite3
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

LOG_NAME = "xuncha-ledger.log"


def zeros_deflated(megabytes: int) -> bytes:
    """A raw deflate stream of `megabytes` MiB of zero bytes, about 1 KB per MiB (a zip bomb's payload)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = c.compress(b"\0" * (1 << 20)) + c.flush(zlib.Z_FULL_FLUSH)
    return chunk * megabytes + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


@dataclass
class RawMember:
    name: str
    payload: bytes            # as stored in the archive (already compressed when method is 8)
    file_size: int            # what the headers claim once uncompressed
    crc: int = 0
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0


def raw_zip(path: Path, members: list[RawMember]) -> Path:
    """A zip written by hand, so that the headers say whatever the test wants them to."""
    out, central = bytearray(), bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, m.flags | 0x800, m.method, 0, 0x21, m.crc,
                           len(m.payload), m.file_size, len(name), 0) + name + m.payload
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, m.flags | 0x800, m.method, 0, 0x21, m.crc,
                               len(m.payload), m.file_size, len(name), 0, 0, 0, 0, 0, offset) + name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    path.write_bytes(bytes(out))
    return path


def entry_meta(data: bytes) -> dict[str, Any]:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def read_members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_backup_zip(path: Path, files: dict[str, bytes], *, manifest: dict[str, Any] | None = None,
                     edit: Callable[[dict[str, Any]], None] | None = None, extra: dict[str, bytes] | None = None) -> Path:
    """A backup whose manifest matches `files` (unless `edit` changes it); `extra` entries are left out of it."""
    if manifest is None:
        manifest = {"format": "xuncha-ledger-backup/1", "created": "2024-06-10T10:00:00", "schema": "0003",
                    "files": {n: entry_meta(d) for n, d in files.items()}}
    if edit is not None:
        edit(manifest)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in {**files, **(extra or {})}.items():
            z.writestr(name, data)
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False))
    return path


def doctor_db(db_bytes: bytes, work: Path, *sql: str) -> bytes:
    """The database file with `sql` run on it (a crafted ledger)."""
    f = work / "doctored.sqlite"
    f.unlink(missing_ok=True)
    f.write_bytes(db_bytes)
    conn = sqlite3.connect(f)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        for statement in sql:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    return f.read_bytes()


def tree(folder: Path, skip: tuple[str, ...] = (LOG_NAME,)) -> dict[str, str]:
    """Every file under `folder` and its SHA-256 (byte-for-byte comparison of a whole folder)."""
    out: dict[str, str] = {}
    if not folder.exists():
        return out
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name not in skip:
            out[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
        elif p.is_dir():
            out[p.relative_to(folder).as_posix() + "/"] = "dir"
    return out


def png_header_bomb(path: Path, width: int, height: int) -> Path:
    """A real, complete greyscale PNG of width×height black pixels in a few hundred KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\0" * (width + 1)
    c = zlib.compressobj(1)
    idat = bytearray()
    block = c.compress(row * 64)
    idat += block
    for _ in range(height // 64 - 1):
        idat += c.compress(row * 64)
    idat += c.compress(row * (height % 64)) + c.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", bytes(idat)) + chunk(b"IEND", b""))
    return path
