"""Finding the font files the PDF needs, in the order an office expects.

1. fonts the user chose in settings; 2. the official-document fonts of the system (Windows files,
or fontconfig on Linux); 3. any CJK TrueType font; 4. the Arphic fonts shipped in resources/fonts.
Each candidate is checked (TrueType outlines, embedding allowed) before it is used.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

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


_PARSED: dict[tuple[str, int], object] = {}   # each font file parsed once per process, kept for registering


def _font_name(path: Path, index: int) -> str:
    return f"xc-{path.stem}-{index}"


def _usable(path: Path, index: int) -> bool:
    """TrueType outlines whose licence allows embedding (reportlab refuses the rest)."""
    key = (str(path), index)
    if key in _PARSED:
        return _PARSED[key] is not None
    try:
        from reportlab.pdfbase.ttfonts import TTFont

        _PARSED[key] = TTFont(_font_name(path, index), str(path), subfontIndex=index)
    except Exception:
        _PARSED[key] = None
    return _PARSED[key] is not None


def _windows_dirs() -> list[Path]:
    dirs = []
    if os.name == "nt":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


@cache
def _fc_lookup(family: str, lang: str = ":lang=zh-cn") -> tuple[Path, int] | None:
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}|%{family}", f"{family}{lang}"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    if "|" not in out:
        return None
    file, index, families = out.split("|", 2)
    if family.lower() not in families.lower():  # fc-match always answers; only take a real match
        return None
    return Path(file), int(index or 0)


def resolve(role: str, chosen: dict[str, Path] | None = None) -> FontChoice:
    def pick(name: str, path: Path, index: int) -> FontChoice | None:
        if path.exists() and path.suffix.lower() in (".ttf", ".ttc") and _usable(path, index):
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
        found = _fc_lookup(family, "" if role == "latin" else ":lang=zh-cn")
        if found:
            got = pick(family, *found)
            if got:
                return got
    if role == "latin":  # no Latin face: the body font's own Latin glyphs
        body = resolve("body", chosen)
        return FontChoice("latin", f"{body.name}（自带西文）", body.path, body.index, False)
    name, file, index = BUNDLED[role]
    got = pick(name, RESOURCES / "fonts" / file, index)
    if got is None:
        raise FileNotFoundError(f"找不到可用的中文字体（连随程序附带的 {file} 也缺失），无法生成 PDF。")
    return got


def register(choice: FontChoice) -> str:
    """Register the font with reportlab once (from the parse that checked it); returns the name to draw with."""
    from reportlab.pdfbase import pdfmetrics

    name = _font_name(choice.path, choice.index)
    if name not in pdfmetrics.getRegisteredFontNames():
        if not _usable(choice.path, choice.index):
            raise FileNotFoundError(f"字体文件“{choice.path}”无法用于 PDF。")
        pdfmetrics.registerFont(_PARSED[(str(choice.path), choice.index)])
    return name


def resolve_all(chosen: dict[str, Path] | None = None) -> dict[str, FontChoice]:
    return {role: resolve(role, chosen) for role in ROLES}


def describe(choices: dict[str, FontChoice]) -> list[str]:
    """For the export dialog: which font stands in for which."""
    return [f"{ROLE_NAMES[r]}：{c.name}" + ("（加粗描边）" if c.fake_bold else "") for r, c in choices.items()]
