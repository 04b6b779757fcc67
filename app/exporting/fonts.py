"""Finding the font files the PDF needs, in the order an office expects.

1. fonts the user chose in settings; 2. the official-document fonts of the system (the Windows files,
then any installed face of the families named for the role); 3. on a machine with neither, the Arphic
fonts shipped in resources/fonts. A candidate must have TrueType outlines reportlab may embed and the
characters the role needs. What each font file is comes from `font_scan` (read once per machine, kept
in the user's cache folder); a chosen font is read once per process (`font_face.load_font`), and only
the characters a document uses.
"""
from __future__ import annotations

import functools
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.exporting.font_scan import FaceFacts, FontCatalog, cache_file
from app.paths import RESOURCES

ROLES = ("body", "title", "heading1", "heading2", "pagenum", "latin")
ROLE_NAMES = {"body": "仿宋（正文）", "title": "小标宋（标题）", "heading1": "黑体（一级标题）",
              "heading2": "楷体（二级标题）", "pagenum": "宋体（页码）", "latin": "数字和西文"}

# Windows files, best first, for each role.
WINDOWS_FILES = {
    "body": [("仿宋_GB2312", "FSGB2312.ttf", 0), ("仿宋_GB2312", "SIMFANG_GB2312.TTF", 0), ("仿宋", "simfang.ttf", 0)],
    "title": [("方正小标宋简体", "FZXBSJW.TTF", 0), ("方正小标宋_GBK", "FZXBSK.TTF", 0), ("华文中宋", "STZHONGS.TTF", 0),
              ("宋体", "simsun.ttc", 0)],
    "heading1": [("黑体", "simhei.ttf", 0)],
    "heading2": [("楷体_GB2312", "KAIGB2312.TTF", 0), ("楷体", "simkai.ttf", 0)],
    "pagenum": [("宋体", "simsun.ttc", 0)],
    "latin": [("Times New Roman", "times.ttf", 0)],
}
# fontconfig family names on Linux, best first.
FC_FAMILIES = {
    "body": ["FangSong", "FangSong_GB2312", "仿宋", "AR PL UMing CN", "AR PL SungtiL GB", "Noto Serif CJK SC"],
    "title": ["FZXiaoBiaoSong-B05S", "方正小标宋简体", "STZhongsong", "AR PL UMing CN", "AR PL SungtiL GB"],
    "heading1": ["SimHei", "黑体", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "AR PL UMing CN"],
    "heading2": ["KaiTi", "楷体", "AR PL UKai CN", "AR PL KaitiM GB", "LXGW WenKai"],
    "pagenum": ["SimSun", "宋体", "AR PL UMing CN", "AR PL SungtiL GB"],
    # Word sets digits and Latin letters in Times New Roman; Liberation Serif and Tinos share its widths.
    "latin": ["Times New Roman", "Liberation Serif", "Tinos", "DejaVu Serif"],
}
BUNDLED = {"body": ("AR PL SungtiL GB（随程序附带）", "gbsn00lp.ttf", 0),
           "title": ("AR PL SungtiL GB（随程序附带）", "gbsn00lp.ttf", 0),
           "heading1": ("AR PL SungtiL GB（随程序附带）", "gbsn00lp.ttf", 0),
           "heading2": ("AR PL KaitiM GB（随程序附带）", "gkai00mp.ttf", 0),
           "pagenum": ("AR PL SungtiL GB（随程序附带）", "gbsn00lp.ttf", 0)}
# Faces that are not the official ones get a stroke where the role wants a heavy face.
OFFICIAL = {"title": ("小标宋", "中宋"), "heading1": ("黑", "Hei", "HEI")}


@dataclass(frozen=True)
class FontChoice:
    role: str
    name: str          # what the user is told
    path: Path
    index: int         # sub-font in a .ttc
    fake_bold: bool    # draw with a stroke (no heavy face available)


def _font_name(path: Path, index: int) -> str:
    return f"xc-{path.stem}-{index}-{zlib.crc32(str(path).encode('utf-8')):08x}"  # two files, two names


def _windows_dirs() -> list[Path]:
    dirs = []
    if os.name == "nt":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def catalog() -> FontCatalog:
    """The machine's fonts, over the cache in the user's cache folder."""
    return FontCatalog(cache_file())


def _fits(face: FaceFacts, role: str) -> bool:
    return face.usable and (face.latin if role == "latin" else face.cjk)


def usable_for(path: Path, role: str) -> str | None:
    """Why the file cannot stand for the role (None: it can), read cheaply and kept in the cache."""
    fonts = catalog()
    try:
        faces = fonts.faces(path)
    finally:
        fonts.save()
    if not faces or not faces[0].usable:
        return "需要允许嵌入的 TrueType 字体（.ttf/.ttc），OpenType（.otf）字体不受支持"
    if not _fits(faces[0], role):
        return "字体中没有数字和西文字母" if role == "latin" else "字体中没有通报所需的汉字"
    return None


def _family_face(faces: list[FaceFacts], family: str, role: str) -> FaceFacts | None:
    """The regular face of the family (upright, weight nearest 400), as fontconfig would answer."""
    matches = [f for f in faces if f.has_family(family) and _fits(f, role)]
    return min(matches, key=lambda f: (f.italic, abs(f.weight - 400), str(f.path), f.index), default=None)


def _resolve(role: str, chosen: dict[str, Path] | None, fonts: FontCatalog,
             installed: Callable[[], list[FaceFacts]]) -> FontChoice:
    def pick(name: str, path: Path, index: int) -> FontChoice | None:
        if path.suffix.lower() not in (".ttf", ".ttc"):
            return None
        if any(f.index == index and _fits(f, role) for f in fonts.faces(path)):
            heavy = OFFICIAL.get(role, ())
            return FontChoice(role, name, path, index, bool(heavy) and not any(h in name for h in heavy))
        return None

    if chosen and role in chosen:
        got = pick(chosen[role].stem, chosen[role], 0)
        if got:
            return got
    for folder in _windows_dirs():
        for name, file, index in WINDOWS_FILES[role]:
            got = pick(name, folder / file, index)
            if got:
                return got
    for family in FC_FAMILIES[role]:
        face = _family_face(installed(), family, role)
        if face:
            got = pick(family, face.path, face.index)
            if got:
                return got
    if role == "latin":  # no Latin face: the body font's own Latin glyphs
        body = _resolve("body", chosen, fonts, installed)
        return FontChoice("latin", f"{body.name}（自带西文）", body.path, body.index, False)
    name, file, index = BUNDLED[role]
    got = pick(name, RESOURCES / "fonts" / file, index)
    if got is None:
        raise FileNotFoundError(f"找不到可用的中文字体（连随程序附带的 {file} 也缺失），无法生成 PDF。")
    return got


def resolve(role: str, chosen: dict[str, Path] | None = None) -> FontChoice:
    return resolve_all(chosen, (role,))[role]


def resolve_all(chosen: dict[str, Path] | None = None, roles: tuple[str, ...] = ROLES) -> dict[str, FontChoice]:
    """Each role's font: one walk of the font folders, the facts from the machine's cache."""
    fonts = catalog()
    try:
        # The font folders are walked only if a role needs a family looked up (on Windows the usual
        # files are found by name first, and a thousand fonts there need not be opened).
        installed = functools.cache(fonts.installed)
        return {role: _resolve(role, chosen, fonts, installed) for role in roles}
    finally:
        fonts.save()


def register(choice: FontChoice) -> str:
    """Register the font with reportlab (its file read once per process); returns the name to draw with."""
    from reportlab.pdfbase import pdfmetrics

    from app.exporting.font_face import TTFError, load_font

    name = _font_name(choice.path, choice.index)
    try:
        font = load_font(name, choice.path, choice.index)
    except (OSError, ValueError, TTFError) as exc:
        raise FileNotFoundError(f"字体文件“{choice.path}”无法用于 PDF：{exc}") from exc
    if pdfmetrics._fonts.get(name) is not font:  # type: ignore[attr-defined]
        # New, or its file changed since. reportlab's registerFont keeps the first font registered under a
        # name or a PostScript face name and would hand back the old reading: put the new one in its place.
        pdfmetrics._fonts[name] = font  # type: ignore[attr-defined]
        pdfmetrics._dynFaceNames[font.face.name] = font  # type: ignore[attr-defined]
        pdfmetrics.registerFontFamily(name)
    return name


def prepare(choices: dict[str, FontChoice]) -> dict[str, FontChoice]:
    """Load reportlab, the PDF writer and the chosen fonts ahead of an export: the export dialog does it
    off the GUI thread while the clerk reads the preview, so the export itself only writes."""
    import app.exporting.pdf_writer  # noqa: F401 (imported now rather than at the click)

    for choice in choices.values():
        register(choice)
    return choices


def describe(choices: dict[str, FontChoice]) -> list[str]:
    """For the export dialog: which font stands in for which."""
    return [f"{ROLE_NAMES[r]}：{c.name}" + ("（加粗描边）" if c.fake_bold else "") for r, c in choices.items()]
