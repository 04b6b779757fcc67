"""Fonts the user chose for PDF exports, kept per machine in fonts.json beside the database."""
from __future__ import annotations

import json
from pathlib import Path

from app.errors import ValidationError
from app.exporting.atomic import atomic_write
from app.exporting.fonts import ROLES, usable_for

FILE = "fonts.json"


def load_chosen(data_dir: Path) -> dict[str, Path]:
    try:
        raw = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {role: Path(p) for role, p in raw.items() if role in ROLES and isinstance(p, str)}


def choose(data_dir: Path, role: str, font: Path | None) -> dict[str, Path]:
    """Set (or with None, forget) the font file for one role; the file is checked first."""
    if role not in ROLES:
        raise ValidationError(f"未知的字体用途：{role}")
    chosen = load_chosen(data_dir)
    if font is None:
        chosen.pop(role, None)
    else:
        why = "需要允许嵌入的 TrueType 字体（.ttf/.ttc），OpenType（.otf）字体不受支持" \
            if font.suffix.lower() not in (".ttf", ".ttc") or not font.is_file() else usable_for(font, role)
        if why:
            raise ValidationError(f"“{font.name}”不能用于 PDF：{why}。")
        chosen[role] = font
    text = json.dumps({k: str(v) for k, v in chosen.items()}, ensure_ascii=False, indent=1)
    atomic_write(data_dir / FILE, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), ".json")
    return chosen
