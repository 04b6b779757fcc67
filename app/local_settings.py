"""Per-machine preferences kept beside the database (settings.json): limits the office may change.

Case data stays in SQLite; this file only holds values such as the evidence size limit, so the
command line and the window read the same value without Qt.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.errors import ValidationError
from app.exporting.atomic import atomic_write

FILE = "settings.json"
# collect_password: the 填报表's sheet protection; clerk_name: who signs progress notes and the audit log.
DEFAULTS: dict[str, Any] = {"max_evidence_mb": 300, "collect_password": "", "clerk_name": ""}
MAX_NAME = 40


def load(data_dir: Path) -> dict[str, Any]:
    """The settings, each value checked: a damaged or hand-edited file falls back to the defaults."""
    try:
        raw = json.loads((data_dir / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = {}
    if not isinstance(raw, dict):
        raw = {}
    good = {}
    for k, v in raw.items():
        if k in DEFAULTS:
            try:
                check_value(k, v)
            except ValidationError:
                continue
            good[k] = v
    return {**DEFAULTS, **good}


def check_value(key: str, value: Any) -> None:
    """Raise ValidationError (a Chinese message) when `value` is not allowed for `key`."""
    if key == "max_evidence_mb" and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4096):
        raise ValidationError("佐证材料大小上限应为 1 到 4096 MB 之间的整数。")
    if key == "clerk_name":
        _check_name(value)
    if key == "collect_password" and not isinstance(value, str):
        raise ValidationError("填报表保护密码应为文字。")


def set_value(data_dir: Path, key: str, value: Any) -> dict[str, Any]:
    if key not in DEFAULTS:
        raise KeyError(key)
    check_value(key, value)
    if key == "clerk_name":
        value = _check_name(value)
    values = load(data_dir)
    values[key] = value
    text = json.dumps(values, ensure_ascii=False, indent=1)
    atomic_write(data_dir / FILE, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"), ".json")
    return values


def _check_name(value: Any) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        raise ValidationError("请填写您的姓名：进展记录和操作日志以此署名。")
    if len(name) > MAX_NAME:
        raise ValidationError(f"姓名过长（最多 {MAX_NAME} 字）。")
    return name


def clerk_name(data_dir: Path) -> str:
    """The clerk's name kept for this ledger ('' until asked), which signs progress notes and the audit log."""
    value = load(data_dir)["clerk_name"]
    return value.strip() if isinstance(value, str) else ""


def set_clerk_name(data_dir: Path, name: str) -> str:
    """Keep the clerk's name (blank or overlong names are refused); returns it as kept."""
    return str(set_value(data_dir, "clerk_name", name)["clerk_name"])
