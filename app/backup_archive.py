"""Reading a backup archive without trusting it: the manifest, the names, the sizes, the hashes.

Nothing here writes outside the folder it is given. Every refusal is a `BackupError` whose text is
for the clerk; what exactly was wrong goes to the log.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from app.errors import LedgerError
from app.evidence_store import CHUNK, os_words

log = logging.getLogger("xuncha.backup")

DB_ENTRY = "ledger.sqlite"
MANIFEST = "manifest.json"
SETTINGS_ENTRY = "settings.json"
FORMAT = "xuncha-ledger-backup/1"

MAX_ENTRIES = 200_000                     # files in one archive
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SETTINGS_BYTES = 64 * 1024
MAX_DB_BYTES = 8 * 1024 ** 3
MAX_EVIDENCE_BYTES = 4096 * 1024 * 1024   # the largest evidence limit a clerk can set
MAX_RATIO = 100                           # uncompressed : compressed, for entries over BOMB_FLOOR
BOMB_FLOOR = 16 * 1024 * 1024
MAX_TOTAL_RATIO = 50                      # the whole archive, once it expands past TOTAL_FLOOR
TOTAL_FLOOR = 256 * 1024 * 1024
SPARE_BYTES = 64 * 1024 * 1024            # left free on the disk after a restore
_EVIDENCE_ENTRY = re.compile(r"evidence/([0-9a-f]{2})/([0-9a-f]{64})")
_SHA = re.compile(r"[0-9a-f]{64}")
_KNOWN_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


class BackupError(LedgerError):
    pass


@dataclass(frozen=True)
class Entry:
    name: str
    sha256: str
    size: int


@dataclass
class Manifest:
    created: str
    schema: str | None
    db: Entry
    evidence: dict[str, Entry]       # sha256 → entry
    settings: Entry | None
    counts: dict[str, int] = field(default_factory=dict)  # what the ledger held ("problems", "evidence"), if told

    @property
    def total_size(self) -> int:
        return self.db.size + sum(e.size for e in self.evidence.values()) + (self.settings.size if self.settings else 0)


def _refuse(message: str, detail: str = "") -> BackupError:
    if detail:
        log.warning("backup refused: %s (%s)", message, detail)
    return BackupError(message)


def open_archive(archive: Path) -> zipfile.ZipFile:
    if not archive.is_file():
        raise _refuse(f"找不到备份文件“{archive}”。")
    try:
        with open(archive, "rb") as f:  # count the entries before zipfile reads its whole directory
            end = zipfile._EndRecData(f)  # type: ignore[attr-defined]
        if end is not None and end[zipfile._ECD_ENTRIES_TOTAL] > MAX_ENTRIES:  # type: ignore[attr-defined]
            raise _refuse(f"备份文件中有 {end[zipfile._ECD_ENTRIES_TOTAL]} 个条目，超过了 {MAX_ENTRIES} 个的上限，"  # type: ignore[attr-defined]
                          "可能已损坏或被改动，未恢复。")
        return zipfile.ZipFile(archive)
    except BackupError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(f"“{archive.name}”不是有效的备份文件，或文件已损坏。", repr(exc)) from exc


def _read_small(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _refuse(f"备份中的 {info.filename} 过大（{info.file_size} 字节），可能已被改动，未恢复。")
    try:
        with z.open(info) as f:
            data = f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(f"备份中的 {info.filename} 已损坏，无法读取。", repr(exc)) from exc
    if len(data) > limit:
        raise _refuse(f"备份中的 {info.filename} 过大，可能已被改动，未恢复。")
    return data


def _unsafe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (name.startswith(("/", "\\")) or "\\" in name or ".." in parts or "." in parts
            or re.match(r"^[A-Za-z]:", name) is not None or "\x00" in name)


def _entry_of(name: str, meta: Any) -> Entry:
    if not isinstance(meta, dict):
        raise _refuse("备份的清单（manifest）格式不正确，未恢复。", f"entry {name!r}: {meta!r}")
    sha, size = meta.get("sha256"), meta.get("size")
    if not isinstance(sha, str) or not _SHA.fullmatch(sha) or isinstance(size, bool) or not isinstance(size, int) \
            or size < 0:
        raise _refuse("备份的清单（manifest）格式不正确，未恢复。", f"entry {name!r}: {meta!r}")
    return Entry(name, sha, size)


def read_manifest(z: zipfile.ZipFile, known_schema: Any) -> Manifest:
    """The manifest, checked for form; `known_schema(rev)` says whether this program knows a revision."""
    try:
        info = z.getinfo(MANIFEST)
    except KeyError as exc:
        raise _refuse("备份文件中没有有效的清单（manifest），无法确认其完整性。") from exc
    try:
        raw = json.loads(_read_small(z, info, MAX_MANIFEST_BYTES).decode("utf-8"))
    except ValueError as exc:
        raise _refuse("备份文件中没有有效的清单（manifest），无法确认其完整性。", repr(exc)) from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _refuse("这不是本程序生成的备份文件。")
    schema = raw.get("schema")
    if schema is not None and not isinstance(schema, str):
        raise _refuse("备份的清单（manifest）格式不正确，未恢复。", f"schema {schema!r}")
    if schema is not None and not known_schema(schema):
        raise _refuse(f"这个备份由更新版本的程序生成（数据结构版本 {schema}），本程序无法恢复。请先升级程序，再恢复这个备份。")
    files = raw.get("files")
    if not isinstance(files, dict):
        raise _refuse("备份的清单（manifest）格式不正确，未恢复。", f"files {type(files).__name__}")
    db, settings, evidence = None, None, {}
    for name, meta in files.items():
        _check_name(name)
        entry = _entry_of(name, meta)
        if name == DB_ENTRY:
            db = entry
        elif name == SETTINGS_ENTRY:
            settings = entry
        else:
            match = _EVIDENCE_ENTRY.fullmatch(name)
            assert match is not None  # _check_name let only these through
            if match.group(2) != entry.sha256 or match.group(2)[:2] != match.group(1):
                raise _refuse(f"备份中的佐证材料 {name} 的名称与清单记录的 SHA-256 不符，备份可能已被改动，未恢复。")
            evidence[entry.sha256] = entry
    if db is None:
        raise _refuse("备份中缺少数据库文件。")
    created = raw.get("created")
    counts = raw.get("counts")  # only for the clerk to read: older archives have none, odd values are left out
    told = {k: v for k, v in counts.items() if isinstance(k, str) and type(v) is int and v >= 0} \
        if isinstance(counts, dict) else {}
    return Manifest(created if isinstance(created, str) else "", schema, db, evidence, settings, told)


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name:
        raise _refuse("备份的清单（manifest）格式不正确，未恢复。", f"name {name!r}")
    if _unsafe(name):
        raise _refuse(f"备份中含有不安全的路径：{name[:200]}，未恢复。")
    if name.rstrip("/") == "evidence":
        if not name.endswith("/"):
            raise _refuse("备份中有一个名为“evidence”的文件，而这个名字属于佐证材料文件夹；备份可能已被改动，未恢复。")
        return
    if name in (DB_ENTRY, SETTINGS_ENTRY, MANIFEST) or _EVIDENCE_ENTRY.fullmatch(name):
        return
    if name.startswith("evidence/"):
        raise _refuse(f"备份中的“{name[:200]}”不是本程序存放佐证材料的方式（应为 evidence/xx/SHA-256），备份可能已被改动，未恢复。")
    raise _refuse(f"备份中含有本程序不认识的文件“{name[:200]}”（备份只应包含数据库、佐证材料和设置），未恢复。")


def check_entries(z: zipfile.ZipFile, manifest: Manifest, archive_size: int, free_bytes: int | None) -> None:
    """Every entry named by the manifest and nothing else, sizes as recorded, nothing that explodes, and
    (unless `free_bytes` is None) room for all of it on the disk."""
    listed = {manifest.db.name: manifest.db, **{e.name: e for e in manifest.evidence.values()}}
    if manifest.settings:
        listed[manifest.settings.name] = manifest.settings
    seen: set[str] = set()
    for info in z.infolist():
        name = info.filename
        if name in seen:
            raise _refuse(f"备份中的 {name[:200]} 出现了不止一次，备份可能已被改动，未恢复。")
        seen.add(name)
        if name.endswith("/"):
            if name not in ("evidence/",) and not re.fullmatch(r"evidence/[0-9a-f]{2}/", name):
                _check_name(name.rstrip("/"))  # "evidence/.." and friends
                raise _refuse(f"备份中含有本程序不认识的文件夹“{name[:200]}”，未恢复。")
            continue
        _check_name(name)
        if name == MANIFEST:
            continue
        entry = listed.get(name)
        if entry is None:
            raise _refuse(f"备份中的 {name} 不在清单（manifest）中，备份可能已被改动，未恢复。")
        if info.flag_bits & 0x1:
            raise _refuse(f"备份中的 {name} 被加密了，本程序不能恢复加密的备份。")
        if info.compress_type not in _KNOWN_METHODS:
            raise _refuse(f"备份中的 {name} 使用了本程序不认识的压缩方式，未恢复。")
        if info.file_size != entry.size:
            raise _refuse(f"备份中的 {name} 的大小与清单记录的不符，备份可能已被改动或损坏，未恢复。")
        limit = MAX_DB_BYTES if name == DB_ENTRY else MAX_SETTINGS_BYTES if name == SETTINGS_ENTRY \
            else MAX_EVIDENCE_BYTES
        if info.file_size > limit:
            raise _refuse(f"备份中的 {name} 有 {info.file_size / 1048576:.0f} MB，超过了 {limit // 1048576} MB 的上限，未恢复。")
        if info.file_size > BOMB_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(f"备份中的 {name} 解压后异常地大（{info.file_size / 1048576:.0f} MB，压缩前只有 "
                          f"{info.compress_size / 1024:.0f} KB），可能是恶意构造的文件，未恢复。")
    missing = sorted(set(listed) - seen)
    if missing:
        raise _refuse(f"备份不完整：缺少 {missing[0]}" + (f" 等 {len(missing)} 个文件" if len(missing) > 1 else "") + "。")
    total = manifest.total_size
    if total > TOTAL_FLOOR and total > MAX_TOTAL_RATIO * max(archive_size, 1):
        raise _refuse(f"备份文件解压后异常地大（{total / 1048576:.0f} MB，备份文件只有 {archive_size / 1048576:.1f} MB），"
                      "可能是恶意构造的文件，未恢复。")
    if free_bytes is not None and total + SPARE_BYTES > free_bytes:
        raise _refuse(f"磁盘空间不足：恢复需要约 {(total + SPARE_BYTES) / 1048576:.0f} MB，数据文件夹所在磁盘只剩 "
                      f"{free_bytes / 1048576:.0f} MB。请清理磁盘后重试，原有数据未受影响。")


def copy_verified(z: zipfile.ZipFile, entry: Entry, target: Path | None) -> None:
    """Stream `entry` out of the archive (into `target`, or nowhere), checking its size and SHA-256."""
    digest, size = hashlib.sha256(), 0
    out = None
    try:
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            out = open(target, "xb")  # a staging folder of our own: never an existing file
        with z.open(entry.name) as src:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > entry.size:
                    break
                digest.update(chunk)
                if out is not None:
                    out.write(chunk)
        if out is not None:
            out.flush()
            os.fsync(out.fileno())
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise _refuse(f"备份中的 {entry.name} 已损坏。", repr(exc)) from exc
    except OSError as exc:
        if exc.errno == 28:
            raise _refuse("磁盘空间已满，恢复未完成；原有数据未受影响。请清理磁盘后重试。") from exc
        raise _refuse(f"恢复时写入文件失败：{os_words(exc)}。", repr(exc)) from exc
    finally:
        if out is not None:
            out.close()
    if size != entry.size or digest.hexdigest() != entry.sha256:
        raise _refuse(f"备份中的 {entry.name} 与清单记录的 SHA-256 不符，备份可能已被改动或损坏。")


def settings_from(z: zipfile.ZipFile, manifest: Manifest, check_value: Any) -> dict[str, Any]:
    """The whitelisted settings in the backup, each value checked; anything else in the file is ignored."""
    if manifest.settings is None:
        return {}
    copy_verified(z, manifest.settings, None)
    try:
        raw = json.loads(_read_small(z, z.getinfo(SETTINGS_ENTRY), MAX_SETTINGS_BYTES).decode("utf-8"))
    except ValueError as exc:
        raise _refuse("备份中的设置文件（settings.json）已损坏，未恢复。", repr(exc)) from exc
    if not isinstance(raw, dict):
        raise _refuse("备份中的设置文件（settings.json）格式不正确，未恢复。")
    values: dict[str, Any] = {}
    for key, value in raw.items():
        try:
            check_value(key, value)
        except KeyError:
            log.info("backup setting %r ignored: not one this program restores", key)
            continue
        except LedgerError as exc:
            raise _refuse(f"备份中的设置“{key}”的值无效（{exc}），备份可能已被改动，未恢复。") from exc
        values[key] = value
    return values
