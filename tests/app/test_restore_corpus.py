"""A corpus of crafted backups (issue 13, items 1, 2 and 8): each one is refused with its message,
the data folder is byte-for-byte what it was, and nothing outside it is touched."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.backup import BackupError, restore_backup
from app.evidence_store import EvidenceStore
from tests.app.restore_fixtures import Live
from tests.conftest import ROOT
from tests.crafted import RawMember, doctor_db, raw_zip, write_backup_zip, zeros_deflated

Case = Callable[[Live, Path], Path]


def _with_db(db: Callable[[Live, Path, bytes], bytes]) -> Case:
    def build(live: Live, out: Path) -> Path:
        files = live.members()
        files.pop("manifest.json")
        files["ledger.sqlite"] = db(live, out.parent, files["ledger.sqlite"])
        return write_backup_zip(out, files)
    return build


def _doctored(*sql: str) -> Case:
    return _with_db(lambda live, work, data: doctor_db(data, work, *sql))


def _files(change: Callable[[Live, dict[str, bytes]], None], **kwargs: Any) -> Case:
    def build(live: Live, out: Path) -> Path:
        files = live.members()
        files.pop("manifest.json")
        change(live, files)
        return write_backup_zip(out, files, **kwargs)
    return build


def _manifest(edit: Callable[[dict[str, Any]], None]) -> Case:
    def build(live: Live, out: Path) -> Path:
        files = live.members()
        files.pop("manifest.json")
        return write_backup_zip(out, files, edit=edit)
    return build


def _other_sqlite(live: Live, work: Path, _data: bytes) -> bytes:
    f = work / "other.sqlite"
    conn = sqlite3.connect(f)
    conn.execute("create table songs(id integer primary key, title text)")
    conn.execute("insert into songs(title) values ('另一个程序的数据')")
    conn.commit()
    conn.close()
    return f.read_bytes()


def _damaged_pages(live: Live, work: Path, data: bytes) -> bytes:
    page = struct.unpack(">H", data[16:18])[0]
    raw = bytearray(data)
    for n in range(2, min(len(raw) // page, 12)):  # b-tree pages of the tables, not the header page
        raw[n * page + 8: n * page + 200] = bytes(range(192))
    return bytes(raw)


def _bomb_single(live: Live, out: Path) -> Path:
    """3 MB of archive that expands to 3 GiB, with a manifest that agrees about the size."""
    files = live.members()
    payload = zeros_deflated(3 * 1024)
    size = 3 * 1024 ** 3
    fake_sha = "ab" * 32
    name = f"evidence/{fake_sha[:2]}/{fake_sha}"
    manifest = json.loads(files["manifest.json"])
    manifest["files"][name] = {"sha256": fake_sha, "size": size}
    members = [RawMember(n, zlib_raw(d), len(d), crc(d)) for n, d in files.items() if n != "manifest.json"]
    members.append(RawMember(name, payload, size))
    mf = json.dumps(manifest).encode()
    members.append(RawMember("manifest.json", zlib_raw(mf), len(mf), crc(mf)))
    return raw_zip(out, members)


def zlib_raw(data: bytes) -> bytes:
    import zlib

    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def crc(data: bytes) -> int:
    import zlib

    return zlib.crc32(data) & 0xFFFFFFFF


def _bomb_spread(live: Live, out: Path) -> Path:
    """Many modest entries that together expand 100 times past the archive's size."""
    def change(_live: Live, files: dict[str, bytes]) -> None:
        for i in range(100):
            data = b"\0" * (3 * 1024 * 1024) + str(i).encode()
            sha = hashlib.sha256(data).hexdigest()
            files[f"evidence/{sha[:2]}/{sha}"] = data
    return _files(change)(live, out)


def _encrypted_flag(live: Live, out: Path) -> Path:
    files = live.members()
    members = [RawMember(n, zlib_raw(d), len(d), crc(d), flags=1 if n == "ledger.sqlite" else 0)
               for n, d in files.items()]
    return raw_zip(out, members)


def _duplicate(live: Live, out: Path) -> Path:
    files = live.members()
    members = [RawMember(n, zlib_raw(d), len(d), crc(d)) for n, d in files.items()]
    db = files["ledger.sqlite"]
    members.insert(0, RawMember("ledger.sqlite", zlib_raw(db), len(db), crc(db)))
    return raw_zip(out, members)


def _ghost_row_sql(live: Live) -> str:
    ghost = hashlib.sha256(b"ghost").hexdigest()
    return ("insert into evidence(sha256, stored_path, original_name, file_type, size, page_count, description, "
            f"attached_at) values ('{ghost}', 'evidence/{ghost[:2]}/{ghost}', '不在备份里的文件.pdf', 'pdf', 5, 1, '', "
            "'2024-06-01 10:00:00')")


def _ghost(live: Live, out: Path) -> Path:
    return _doctored(_ghost_row_sql(live))(live, out)


def _row_pointing_at(live: Live, out: Path) -> Path:
    return _doctored(f"update evidence set stored_path = 'evidence/{live.sha_b[:2]}/{live.sha_b}'")(live, out)


CASES: dict[str, tuple[Case, str]] = {
    # item 1: a database it should refuse
    "zero-byte database": (_with_db(lambda *_: b""), "空文件"),
    "text file as database": (_with_db(lambda *_: "这不是数据库\n".encode() * 40), "不是 SQLite 数据库"),
    "half a database": (_with_db(lambda _l, _w, d: d[: len(d) // 2]), "不完整"),
    "another program's SQLite": (_with_db(_other_sqlite), "不是本程序的台账"),
    "newer schema in the database": (_doctored("update alembic_version set version_num = '0099'"), "请先升级程序"),
    "newer schema in the manifest": (_manifest(lambda m: m.update(schema="0099")), "请先升级程序"),
    "damaged pages": (_with_db(_damaged_pages), "损坏"),
    "broken foreign keys": (_doctored("PRAGMA foreign_keys=OFF",
                                      "insert into evidence_link(evidence_id, problem_id, linked_at) values (1, 9999, '2024-06-01')"),
                            "不一致"),
    "no tables of the ledger": (_doctored("drop table evidence_link"), "缺少台账必需的数据表"),
    # item 2: paths that leave the store
    "row path ../outside": (_doctored("update evidence set stored_path = '../outside/victim.txt'"), "不安全"),
    "row path absolute": (_doctored("update evidence set stored_path = '/etc/passwd'"), "不安全"),
    "row path dot-dot inside": (_doctored("update evidence set stored_path = 'evidence/ab/../../victim.txt'"),
                                "不安全"),
    "row path names another file": (_row_pointing_at, "不安全"),
    "entry ../evil": (_files(lambda _l, f: f.update({"../evil.txt": b"x"})), "不安全的路径"),
    "entry absolute": (_files(lambda _l, f: f.update({"/tmp/evil.txt": b"x"})), "不安全的路径"),
    "entry backslash": (_files(lambda _l, f: f.update({"evidence\\..\\..\\evil.txt": b"x"})), "不安全的路径"),
    # item 8: only the database, the store and known settings; bounded
    "planted settings value": (_files(lambda _l, f: f.update(
        {"settings.json": json.dumps({"max_evidence_mb": "abc"}).encode()})), "max_evidence_mb"),
    "settings not JSON": (_files(lambda _l, f: f.update({"settings.json": b"{not json"})), "settings.json"),
    "user's own file": (_files(lambda _l, f: f.update({"我的文件.docx": b"PK\x03\x04 user data"})), "不认识的文件"),
    "the log file": (_files(lambda _l, f: f.update({"xuncha-ledger.log": b"overwritten"})), "不认识的文件"),
    "a -wal beside the database": (_files(lambda _l, f: f.update({"ledger.sqlite-wal": b"\0" * 32})), "不认识的文件"),
    "entry named evidence": (_files(lambda _l, f: f.update({"evidence": b"a file, not a folder"})), "名为“evidence”的文件"),
    "odd file in the store": (_files(lambda _l, f: f.update({"evidence/ab/notes.txt": b"x"})), "evidence/xx"),
    "3 MB expands to 3 GiB": (_bomb_single, "异常地大"),
    "300 MB from 1 MB": (_bomb_spread, "异常地大"),
    "database names a file the zip lacks": (_ghost, "找不到"),
    "entry not in the manifest": (_files(lambda _l, f: None, extra={"evidence/00/" + "0" * 64: b"x"}), "不在清单"),
    "manifest names a missing entry": (_manifest(lambda m: m["files"].update(
        {"evidence/11/" + "1" * 64: {"sha256": "1" * 64, "size": 3}})), "缺少"),
    "evidence name is not its hash": (_manifest(lambda m: m["files"].update(
        {"evidence/22/" + "2" * 64: {"sha256": "3" * 64, "size": 3}})), "不符"),
    "tampered evidence": (_files(lambda live, f: f.update(
        {f"evidence/{live.sha_a[:2]}/{live.sha_a}": f[f"evidence/{live.sha_a[:2]}/{live.sha_a}"] + b"x"}),
        edit=lambda m: None, manifest=None), "SHA-256"),
    "manifest not JSON": (lambda live, out: _raw_manifest(live, out, b"{broken"), "清单"),
    "manifest a list": (lambda live, out: _raw_manifest(live, out, b"[1, 2]"), "不是本程序"),
    "manifest files a list": (_manifest(lambda m: m.update(files=[1, 2])), "格式不正确"),
    "manifest sha not hex": (_manifest(lambda m: m["files"]["ledger.sqlite"].update(sha256="xyz")), "格式不正确"),
    "manifest size a string": (_manifest(lambda m: m["files"]["ledger.sqlite"].update(size="12")), "格式不正确"),
    "manifest size wrong": (_manifest(lambda m: m["files"]["ledger.sqlite"].update(
        size=m["files"]["ledger.sqlite"]["size"] + 1)), "大小"),
    "no manifest": (lambda live, out: _no_manifest(live, out), "清单"),
    "not a zip": (lambda live, out: (out.write_bytes(b"PK\x03\x04 but nothing else" * 10), out)[1], "不是有效的备份"),
    "encrypted entry": (_encrypted_flag, "加密"),
    "duplicate entry": (_duplicate, "不止一次"),
}


def _raw_manifest(live: Live, out: Path, manifest: bytes) -> Path:
    files = live.members()
    with zipfile.ZipFile(out, "w") as z:
        for n, d in files.items():
            z.writestr(n, manifest if n == "manifest.json" else d)
    return out


def _no_manifest(live: Live, out: Path) -> Path:
    files = live.members()
    with zipfile.ZipFile(out, "w") as z:
        for n, d in files.items():
            if n != "manifest.json":
                z.writestr(n, d)
    return out


# The tampered-evidence case must keep the original manifest: rebuild it so.
def _tampered(live: Live, out: Path) -> Path:
    files = live.members()
    manifest = json.loads(files.pop("manifest.json"))
    name = f"evidence/{live.sha_a[:2]}/{live.sha_a}"
    files[name] = files[name][:-1] + bytes([files[name][-1] ^ 1])  # same size, one bit changed
    return write_backup_zip(out, files, manifest=manifest)


CASES["tampered evidence"] = (_tampered, "SHA-256")


@pytest.mark.parametrize("name", list(CASES))
def test_crafted_backup_is_refused_and_nothing_changes(live: Live, name: str) -> None:
    build, message = CASES[name]
    crafted = build(live, live.root / "crafted.zip")
    archive_before = crafted.read_bytes()
    data_before, outside_before = live.snapshot()
    beside = (live.root / "victim.txt").read_bytes()
    with pytest.raises(BackupError) as err:
        restore_backup(crafted, live.db_path)
    assert message in str(err.value), str(err.value)
    assert "Traceback" not in str(err.value) and "Errno" not in str(err.value)
    assert live.snapshot() == (data_before, outside_before)
    assert (live.root / "victim.txt").read_bytes() == beside
    assert crafted.read_bytes() == archive_before


def test_the_same_through_the_command_line(live: Live) -> None:
    crafted = CASES["zero-byte database"][0](live, live.root / "empty.zip")
    before = live.snapshot()
    out = subprocess.run([sys.executable, "main.py", "restore", str(crafted), "--db", str(live.db_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 1 and "空文件" in out.stderr and "Traceback" not in out.stderr
    assert live.snapshot() == before


def test_refused_for_lack_of_disk_space(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    monkeypatch.setattr(shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9 - 1000, 1000))  # type: ignore[attr-defined]
    before = live.snapshot()
    with pytest.raises(BackupError, match="磁盘空间不足"):
        restore_backup(live.archive, live.db_path)
    assert live.snapshot() == before


def test_a_good_backup_of_the_same_ledger_is_accepted(live: Live) -> None:
    """The corpus is refused for what was crafted into it, not for what every backup has."""
    safety = restore_backup(live.archive, live.db_path)
    assert safety is not None and safety.exists()
    assert EvidenceStore(live.data).path_of(EvidenceStore.relative_for(live.sha_b)).exists()  # merged, not moved aside


def test_too_many_entries_are_refused_before_the_directory_is_read(live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import backup_archive

    monkeypatch.setattr(backup_archive, "MAX_ENTRIES", 2)  # the real bound is 200,000 files
    before = live.snapshot()
    with pytest.raises(BackupError, match="条目"):
        restore_backup(live.archive, live.db_path)
    assert live.snapshot() == before
