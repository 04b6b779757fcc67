"""The 填报表's fixed shape, shared by the writer and the reader: columns, sheet names, checksums."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from db.enums import Status

FORMAT = "xuncha-collect/1"
DATA_SHEET = "填报表"
HELP_SHEET = "填报说明"
META_SHEET = "回执信息"   # very hidden: round, send token, problem ids, export time, checksums


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    locked: bool


COLUMNS: tuple[Column, ...] = (
    Column("id", "问题编号", 8, True),           # hidden: the problem's id, moves with its row when sorted
    Column("number", "序号", 5, True),
    Column("category", "方面/项", 11, True),
    Column("problem", "问题", 30, True),
    Column("measures", "整改措施", 30, True),
    Column("deadline", "完成时限", 11, True),
    Column("status", "当前状态", 8, True),
    Column("progress", "本期进展", 30, False),
    Column("narrative", "整改情况", 30, False),
    Column("done", "完成情况", 9, False),
    Column("evidence", "佐证材料清单", 16, False),
    Column("reporter", "填报人", 8, False),
    Column("phone", "联系电话", 11, False),
    Column("date", "填报日期", 10, False),
)
KEYS = tuple(c.key for c in COLUMNS)
LOCKED_KEYS = tuple(c.key for c in COLUMNS if c.locked and c.key != "id")
OPEN_KEYS = tuple(c.key for c in COLUMNS if not c.locked)
HEADERS = {c.header: c.key for c in COLUMNS}
LABELS = {c.key: c.header for c in COLUMNS}
TITLE_ROW, INFO_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
CHOICES = (Status.NOT_STARTED.value, Status.IN_PROGRESS.value, Status.DONE.value, Status.LONG_TERM.value)
ID_PREFIX = "P"


def id_cell(problem_id: int) -> str:
    return f"{ID_PREFIX}{problem_id}"


def parse_id_cell(value: object) -> int | None:
    text = str(value or "").strip()
    if text.upper().startswith(ID_PREFIX) and text[1:].isdigit():
        return int(text[1:])
    return None


def cell_text(value: object) -> str:
    """A cell as the department sees it, for comparing what was sent with what came back."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").strip()


def row_checksum(problem_id: int, locked: Sequence[str]) -> str:
    return hashlib.sha256(json.dumps([problem_id, *locked], ensure_ascii=False).encode()).hexdigest()[:16]


def sheet_checksum(row_sums: Sequence[str]) -> str:
    return hashlib.sha256("".join(row_sums).encode()).hexdigest()


def text_width(text: str) -> int:
    """Width in Excel's column units: a Chinese character takes two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def row_height(texts: Sequence[tuple[str, float]], line_pt: float = 13.0) -> float:
    """Height that shows every wrapped cell of a row whole (Calc and Excel keep a written height)."""
    lines = 1
    for text, width in texts:
        room = max(int(width) - 1, 1)
        lines = max(lines, sum(max(1, -(-text_width(part) // room)) for part in text.split("\n")))
    return min(lines * line_pt + 4, 409)
