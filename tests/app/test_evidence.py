"""The evidence store: copy-then-commit, dedupe, recycle bin, check, bad files."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text

import app.services.evidence as evidence_service
from app.errors import EvidenceError
from app.evidence_store import EvidenceStore
from app.services import evidence
from db.session import Database
from tests.conftest import make_pdf


def _rows(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text(f"select count(*) from {table}")).scalar()


def test_attach_stores_by_content_with_facts(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "会议纪要（第3次）.pdf", pages=3)
    res = evidence.attach_evidence(db, src, [seeded["p1"]], description="党组会纪要")
    stored = db.data_dir / "evidence" / res.sha256[:2] / res.sha256
    assert stored.read_bytes() == src.read_bytes()
    [row] = evidence.list_evidence(db, seeded["p1"])
    assert (row.original_name, row.file_type, row.page_count, row.size) == ("会议纪要（第3次）.pdf", "pdf", 3,
                                                                           src.stat().st_size)
    assert row.stored_path == f"evidence/{res.sha256[:2]}/{res.sha256}"  # relative: a moved folder still works
    assert list((db.data_dir / "evidence" / "tmp").iterdir()) == []


def test_type_is_read_from_content(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    jpeg = tmp_path / "scan.pdf"  # misnamed
    Image.new("RGB", (50, 70), "white").save(jpeg, format="JPEG")
    tiff = tmp_path / "multi.tif"
    frames = [Image.new("L", (40, 40), c) for c in (0, 128, 255)]
    frames[0].save(tiff, save_all=True, append_images=frames[1:])
    docx = tmp_path / "制度.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    for f in (jpeg, tiff, docx):
        evidence.attach_evidence(db, f, [seeded["p1"]])
    got = {r.original_name: (r.file_type, r.page_count) for r in evidence.list_evidence(db, seeded["p1"])}
    assert got == {"scan.pdf": ("jpeg", 1), "multi.tif": ("tiff", 3), "制度.docx": ("docx", 0)}


def test_same_file_links_instead_of_storing_twice(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "制度.pdf")
    first = evidence.attach_evidence(db, src, [seeded["p1"]])
    copy = tmp_path / "制度-副本.pdf"
    copy.write_bytes(src.read_bytes())
    second = evidence.attach_evidence(db, copy, [seeded["p2"], seeded["p3"]])
    assert (second.already_stored, second.evidence_id, second.new_links) == (
        True, first.evidence_id, (seeded["p2"], seeded["p3"]))
    again = evidence.attach_evidence(db, src, [seeded["p1"]])
    assert again.already_linked == (seeded["p1"],) and again.new_links == ()
    assert _rows(db, "evidence") == 1 and _rows(db, "evidence_link") == 3
    assert len(EvidenceStore(db.data_dir).stored_files()) == 1


def test_failure_between_copy_and_commit_leaves_nothing(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(evidence_service, "_before_commit", boom)
    with pytest.raises(OSError):
        evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf"), [seeded["p1"]])
    assert _rows(db, "evidence") == 0 and _rows(db, "evidence_link") == 0
    assert EvidenceStore(db.data_dir).stored_files() == {}
    assert evidence.check_store(db).ok


def test_failed_link_of_an_existing_file_keeps_that_file(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    src = make_pdf(tmp_path / "a.pdf")
    evidence.attach_evidence(db, src, [seeded["p1"]])
    monkeypatch.setattr(evidence_service, "_before_commit", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        evidence.attach_evidence(db, src, [seeded["p2"]])
    assert evidence.check_store(db).ok and len(evidence.list_evidence(db, seeded["p1"])) == 1


def test_recycle_bin_restore_and_empty(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    a = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf", text="a"), [seeded["p1"], seeded["p2"]])
    evidence.attach_evidence(db, make_pdf(tmp_path / "b.pdf", text="b"), [seeded["p1"]])
    links = {r.original_name: r.link_id for r in evidence.list_evidence(db, seeded["p1"])}
    evidence.remove_evidence(db, links["a.pdf"])
    assert [r.original_name for r in evidence.list_evidence(db, seeded["p1"])] == ["b.pdf"]
    assert [r.original_name for r in evidence.recycle_bin(db)] == ["a.pdf"]
    evidence.restore_evidence(db, links["a.pdf"])
    assert len(evidence.list_evidence(db, seeded["p1"])) == 2
    evidence.remove_evidence(db, links["a.pdf"])
    assert evidence.empty_recycle_bin(db) == 0  # a.pdf still supports p2: the file stays
    p2_link = evidence.list_evidence(db, seeded["p2"])[0].link_id
    evidence.remove_evidence(db, p2_link)
    assert evidence.empty_recycle_bin(db) == 1
    assert a.sha256 not in EvidenceStore(db.data_dir).stored_files()
    assert evidence.check_store(db).ok


def test_check_reports_missing_altered_and_orphan_files(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    a = evidence.attach_evidence(db, make_pdf(tmp_path / "a.pdf", text="a"), [seeded["p1"]])
    b = evidence.attach_evidence(db, make_pdf(tmp_path / "b.pdf", text="b"), [seeded["p1"]])
    store = EvidenceStore(db.data_dir)
    store.path_of(store.relative_for(a.sha256)).unlink()
    with open(store.path_of(store.relative_for(b.sha256)), "ab") as f:
        f.write(b"tampered")
    stray = db.data_dir / "evidence" / "00" / ("0" * 64)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"x")
    report = evidence.check_store(db)
    assert [m[1] for m in report.missing] == ["a.pdf"]
    assert [m[1] for m in report.altered] == ["b.pdf"]
    assert report.orphans == [f"evidence/00/{'0' * 64}"]
    assert not report.ok and "缺失" in "\n".join(report.lines())


@pytest.mark.parametrize("make, message", [
    (lambda d: (d / "empty.pdf").write_bytes(b"") and None or d / "empty.pdf", "0 字节"),
    (lambda d: (d / "broken.pdf").write_bytes(b"%PDF-1.4 garbage") and None or d / "broken.pdf", "已损坏"),
    (lambda d: (d / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really") and None or d / "broken.jpg", "已损坏"),
    (lambda d: d / "gone.pdf", "找不到"),
    (lambda d: d, "不是一个文件"),
])
def test_bad_files_get_a_message_and_leave_nothing(db: Database, seeded: dict[str, int], tmp_path: Path,
                                                    make: object, message: str) -> None:
    src = make(tmp_path)  # type: ignore[operator]
    with pytest.raises(EvidenceError, match=message):
        evidence.attach_evidence(db, src, [seeded["p1"]])
    assert _rows(db, "evidence") == 0 and EvidenceStore(db.data_dir).stored_files() == {}


def test_windows_forbidden_name_and_size_limit(db: Database, seeded: dict[str, int], tmp_path: Path) -> None:
    odd = make_pdf(tmp_path / "纪要:第1次?.pdf")
    with pytest.raises(EvidenceError, match="Windows"):
        evidence.attach_evidence(db, odd, [seeded["p1"]])
    big = make_pdf(tmp_path / "big.pdf", pages=50)
    with pytest.raises(EvidenceError, match="上限"):
        evidence.attach_evidence(db, big, [seeded["p1"]], max_bytes=1000)
    assert _rows(db, "evidence") == 0
