"""Fonts read once: the machine's cache of font facts and the per-process reading never answer from a
file that has been replaced, moved or deleted, and the lazy face answers what reportlab's full parse holds."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

import app.exporting.font_scan as font_scan
import app.exporting.fonts as fonts
from app.exporting.font_face import LazyFace, load_font
from app.exporting.font_scan import FontCatalog

BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "fonts"
SONG, KAI = BUNDLED / "gbsn00lp.ttf", BUNDLED / "gkai00mp.ttf"


def _machine_fonts() -> list[tuple[Path, int]]:
    """The bundled fonts and those this machine would print a notice with."""
    found = {(SONG, 0), (KAI, 0)}
    found |= {(c.path, c.index) for c in fonts.resolve_all().values()}
    return sorted(found)


# -- the lazy face --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("path", "index"), _machine_fonts(), ids=lambda v: getattr(v, "name", str(v)))
def test_lazy_face_answers_what_the_full_parse_holds(path: Path, index: int) -> None:
    full = TTFontFace(str(path), subfontIndex=index)
    lazy = LazyFace(path.read_bytes(), str(path), index)
    codes = list(full.charToGlyph) + list(range(0, 0x10000, 13)) + [0x20, 0xA0, 0x3000, 0x1F600]
    for code in codes:
        assert (code in lazy.charToGlyph) == (code in full.charToGlyph), hex(code)
        assert lazy.charToGlyph.get(code) == full.charToGlyph.get(code), hex(code)
        assert lazy.charWidths.get(code, -1) == full.charWidths.get(code, -1), hex(code)
    for g in range(full.numGlyphs):
        assert tuple(lazy.hmetrics[g]) == tuple(full.hmetrics[g]) and lazy.glyphPos[g] == full.glyphPos[g], g
    assert lazy.defaultWidth == full.defaultWidth and lazy.name == full.name
    chars = list(full.charToGlyph)
    subset = chars[len(chars) // 2:len(chars) // 2 + 200] + [0x20, ord("0")]
    assert lazy.makeSubset(subset) == full.makeSubset(subset)


def test_our_font_has_what_reportlab_gives_its_own() -> None:
    ours = load_font("xc-test-song", SONG, 0)
    theirs = TTFont("xc-test-song-full", str(SONG))
    assert set(vars(ours)) == set(vars(theirs))
    assert set(vars(theirs.face)) <= set(vars(ours.face))
    assert ours.stringWidth("整改2024年", 16) == theirs.stringWidth("整改2024年", 16)


def test_widths_of_characters_not_looked_up_yet_are_their_own_with_the_c_accelerator() -> None:
    """reportlab's C accelerator (a dependency: the `accel` extra) reads a face's widths as a plain dict; a
    lazy face's characters not looked up yet would all get the default width there, and the notice's lines
    would run past the 版心."""
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfmetrics

    from app.exporting.font_face import _font

    assert type(rl_accel.instanceStringWidthTTF).__name__ == "builtin_function_or_method"  # the C one
    fresh = _font("xc-test-kai-fresh", LazyFace(KAI.read_bytes(), str(KAI), 0))  # nothing looked up yet
    theirs = TTFont("xc-test-kai-full", str(KAI))
    text = "巡察整改情况通报：A4 版心 156×225 mm，“一、”（二）1. ①"
    assert fresh.stringWidth(text, 16) == theirs.stringWidth(text, 16)
    pdfmetrics.registerFont(fresh)
    pdfmetrics.registerFont(theirs)
    assert pdfmetrics.stringWidth("龘龍靐" + text, "xc-test-kai-fresh", 12) == \
        pdfmetrics.stringWidth("龘龍靐" + text, "xc-test-kai-full", 12)


# -- the per-process reading ----------------------------------------------------------------------------------
def test_a_font_file_replaced_or_deleted_is_read_again(tmp_path: Path) -> None:
    f = tmp_path / "chosen.ttf"
    shutil.copy(SONG, f)
    choice = fonts.FontChoice("body", "chosen", f, 0, False)
    name = fonts.register(choice)
    first = load_font(name, f, 0)
    assert load_font(name, f, 0) is first                   # once per process
    shutil.copy(KAI, f)                                       # replaced in place (another size)
    assert fonts.register(choice) == name
    second = load_font(name, f, 0)
    assert second is not first and second.face.familyName != first.face.familyName
    from reportlab.pdfbase import pdfmetrics

    assert pdfmetrics.getFont(name) is second                # what is drawn with is the new file
    f.unlink()
    with pytest.raises(FileNotFoundError, match="chosen.ttf"):
        fonts.register(choice)


# -- the machine's cache ----------------------------------------------------------------------------------------
@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "fonts"
    d.mkdir()
    shutil.copy(KAI, d / "a.ttf")
    return d


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real = font_scan.read_facts

    def counting(path: Path) -> list[font_scan.FaceFacts]:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(font_scan, "read_facts", counting)
    return reads


def _families(cache: Path, folder: Path) -> dict[str, tuple[str, ...]]:
    cat = FontCatalog(cache, folders=[folder])
    got = {f.path.name: f.families for f in cat.installed()}
    cat.save()
    return got


def test_facts_are_read_once_per_machine(tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache" / "fonts.json"
    reads = _count_reads(monkeypatch)
    assert "AR PL KaitiM GB" in _families(cache, folder)["a.ttf"]
    assert len(reads) == 1 and cache.exists()
    [face] = FontCatalog(cache, folders=[folder]).installed()   # a later process: from the cache
    assert len(reads) == 1 and face.usable and face.cjk and face.has_family("ar pl kaitim gb")
    assert [p.name for p in cache.parent.iterdir()] == ["fonts.json"]   # no temporary file left


def test_a_replaced_moved_or_deleted_font_is_never_answered_from_the_cache(
        tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "fonts.json"
    reads = _count_reads(monkeypatch)
    _families(cache, folder)
    shutil.copy(SONG, folder / "a.ttf")                        # replaced: another size
    assert "AR PL SungtiL GB" in _families(cache, folder)["a.ttf"]
    st = (folder / "a.ttf").stat()
    os.utime(folder / "a.ttf", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))   # same size, touched
    _families(cache, folder)
    assert len(reads) == 3
    (folder / "a.ttf").rename(folder / "b.ttf")               # moved
    assert list(_families(cache, folder)) == ["b.ttf"]
    assert str(folder / "a.ttf") not in json.loads(cache.read_text(encoding="utf-8"))["files"]
    (folder / "b.ttf").unlink()                                # deleted
    assert _families(cache, folder) == {}
    assert json.loads(cache.read_text(encoding="utf-8"))["files"] == {}


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"format": 1, "files": [1, 2]}',
                                     b'{"format": 1, "reportlab": "x", "files": {}}', b"\xff\xfe\x00"])
def test_a_corrupt_cache_is_ignored_and_rebuilt(tmp_path: Path, folder: Path, garbage: bytes) -> None:
    cache = tmp_path / "fonts.json"
    cache.write_bytes(garbage)
    assert "AR PL KaitiM GB" in _families(cache, folder)["a.ttf"]
    assert json.loads(cache.read_text(encoding="utf-8"))["format"] == font_scan.FORMAT


def test_a_damaged_entry_is_read_again(tmp_path: Path, folder: Path) -> None:
    cache = tmp_path / "fonts.json"
    _families(cache, folder)
    raw = json.loads(cache.read_text(encoding="utf-8"))
    raw["files"][str(folder / "a.ttf")]["faces"] = [["x"]]
    cache.write_text(json.dumps(raw), encoding="utf-8")
    assert "AR PL KaitiM GB" in _families(cache, folder)["a.ttf"]


def test_files_that_are_not_fonts_are_kept_as_unusable(tmp_path: Path, folder: Path) -> None:
    (folder / "junk.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 100)
    (folder / "empty.ttc").write_bytes(b"")
    (folder / "otf.ttf").write_bytes(b"OTTO" + b"\x00" * 100)
    faces = {f.path.name: f for f in FontCatalog(tmp_path / "c.json", folders=[folder]).installed()}
    assert faces["a.ttf"].usable
    assert not any(faces[n].usable for n in ("junk.ttf", "empty.ttc", "otf.ttf"))


def test_an_unwritable_cache_costs_only_time(tmp_path: Path, folder: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    cat = FontCatalog(blocker / "fonts.json", folders=[folder])   # its folder cannot be made
    assert cat.installed()[0].usable
    cat.save()


# -- resolution over the cache --------------------------------------------------------------------------------
def test_a_newly_installed_font_is_found_and_a_removed_one_forgotten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    monkeypatch.setattr(fonts, "catalog", lambda: FontCatalog(tmp_path / "fonts.json", folders=[folder]))
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [])
    assert fonts.resolve("heading2").path == KAI                       # nothing installed: the bundled font
    shutil.copy(KAI, folder / "kai.ttf")                               # AR PL KaitiM GB is a 楷体 family
    assert fonts.resolve("heading2").path == folder / "kai.ttf"
    (folder / "kai.ttf").unlink()
    assert fonts.resolve("heading2").path == KAI


def test_a_chosen_font_that_is_gone_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "catalog", lambda: FontCatalog(tmp_path / "fonts.json", folders=[]))
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [])
    chosen = tmp_path / "mine.ttf"
    shutil.copy(KAI, chosen)
    assert fonts.resolve("body", {"body": chosen}).path == chosen
    chosen.unlink()
    assert fonts.resolve("body", {"body": chosen}).path == SONG
    assert fonts.usable_for(chosen, "body") is not None


def test_the_regular_face_of_a_family_is_chosen() -> None:
    def face(name: str, weight: int, italic: bool) -> font_scan.FaceFacts:
        return font_scan.FaceFacts(Path(name), 0, ("Liberation Serif",), "", weight, italic, True, False, True)

    faces = [face("b.ttf", 700, False), face("i.ttf", 400, True), face("r.ttf", 400, False)]
    got = fonts._family_face(faces, "liberation serif", "latin")
    assert got is not None and got.path.name == "r.ttf"
    assert fonts._family_face(faces, "Liberation Serif", "body") is None   # no Chinese in it


@pytest.mark.parametrize(("path", "index"), _machine_fonts(), ids=lambda v: getattr(v, "name", str(v)))
def test_a_registered_font_reads_only_its_small_tables_and_subsets_alike(path: Path, index: int) -> None:
    full = TTFontFace(str(path), subfontIndex=index)
    ours = load_font(f"xc-test-{path.stem}-{index}", path, index).face
    chars = [c for c in full.charToGlyph if full.charToGlyph[c]]
    subset = chars[:100] + chars[-100:]
    assert [ours.charWidths.get(c) for c in subset] == [full.charWidths.get(c) for c in subset]
    assert ours.makeSubset(subset) == full.makeSubset(subset)


def test_a_font_replaced_while_a_document_is_written_is_refused(tmp_path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFError

    f = tmp_path / "f.ttf"
    shutil.copy(SONG, f)
    face = load_font("xc-test-replaced", f, 0).face
    shutil.copy(KAI, f)
    with pytest.raises(TTFError, match="更换"):
        face.makeSubset([0x20, ord("中")])


def test_the_windows_files_are_taken_by_name_without_walking_the_font_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    windows = tmp_path / "Fonts"
    windows.mkdir()
    for name, source in (("simfang.ttf", SONG), ("FZXBSJW.TTF", SONG), ("simhei.ttf", SONG), ("simkai.ttf", KAI),
                         ("simsun.ttc", SONG), ("times.ttf", SONG)):
        shutil.copy(source, windows / name)

    class NoWalk(FontCatalog):
        def installed(self) -> list[font_scan.FaceFacts]:
            raise AssertionError("the font folders were walked")

    monkeypatch.setattr(fonts, "catalog", lambda: NoWalk(tmp_path / "fonts.json", folders=[windows]))
    monkeypatch.setattr(fonts, "_windows_dirs", lambda: [windows])
    got = fonts.resolve_all()
    assert got["body"].name == "仿宋" and got["body"].path == windows / "simfang.ttf"
    assert got["heading2"].path == windows / "simkai.ttf" and got["latin"].path == windows / "times.ttf"
    assert not got["title"].fake_bold and not got["heading1"].fake_bold   # 方正小标宋简体, 黑体 by name
