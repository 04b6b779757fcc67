"""Reading a returned 填报表 as it comes back from a department, whatever was done to it.

Nothing is written here: the result is a plain `ReturnedBook` (rows, the hidden sheet if it survived,
and notes in Chinese), or a `ReturnFileError` saying in words why the file cannot be read.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.collect.layout import DATA_SHEET, FORMAT, HEADERS, LABELS, META_SHEET, cell_text, parse_id_cell
from app.errors import LedgerError

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReturnFileError(LedgerError):
    """The file cannot be read as a 填报表; the message says why and what to do."""


@dataclass(frozen=True)
class Meta:
    round_id: int | None
    round_title: str
    department: str
    token: str
    exported_at: str
    sheet: str
    checksum: str
    row_sums: dict[int, str]          # problem id → checksum of its locked cells as sent


@dataclass
class ReturnedRow:
    sheet_row: int
    problem_id: int | None            # from the hidden 问题编号 column
    locked: dict[str, str]            # 序号, 方面/项 … as found now
    progress: str = ""
    narrative: str = ""
    done: str = ""
    evidence: str = ""
    reporter: str = ""
    phone: str = ""
    date: dt.date | None = None
    date_text: str = ""               # what was typed, when it was not a date cell
    notes: list[str] = field(default_factory=list)

    @property
    def filled(self) -> bool:
        return any((self.progress, self.done, self.evidence, self.reporter, self.phone, self.date_text, self.date))

    @property
    def number(self) -> int | None:
        text = self.locked.get("number", "")
        return int(text) if text.isdigit() else None


@dataclass
class ReturnedBook:
    path: Path
    sha256: str
    meta: Meta | None
    sheet: str
    department: str                   # from the hidden sheet, else the sheet's 填报部门 line
    rows: list[ReturnedRow]
    notes: list[str] = field(default_factory=list)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ReturnFileError(f"找不到文件：{path}")
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except PermissionError as exc:
        raise ReturnFileError(f"“{path.name}”正被其他程序占用（可能仍在 Excel 或 WPS 中打开），"
                              "请先关闭该文件再导入。") from exc
    if not head:
        raise ReturnFileError(f"“{path.name}”是空文件（0 字节），可能没有保存完整，请让部门重新发送。")
    if head == _OLE:
        from app.importing.readers import ole_kind

        kind = ole_kind(path)   # reads the stream names near the start, not the whole file
        if kind == "word":
            raise ReturnFileError(f"“{path.name}”是 Word 文档，不是填报表。请选择部门交回的 Excel 填报表。")
        # An .xlsx in an OLE container is how Excel and WPS store one with an opening password.
        if kind == "encrypted" or (kind == "unknown" and path.suffix.lower() in (".xlsx", ".xlsm")):
            raise ReturnFileError(f"“{path.name}”设置了打开密码，程序不知道这个密码，无法读取。请部门在 Excel 或 WPS 中"
                                  "取消打开密码（另存时不设密码）后再发回；填报表本身的工作表保护不需要取消。")
        raise ReturnFileError(f"“{path.name}”是 Excel 97-2003（.xls）或 WPS 表格（.et）格式，程序只能读取 .xlsx。"
                              "请在 WPS 或 Excel 中打开它，选择“另存为 → Excel 工作簿（*.xlsx）”后再导入。")
    if not zipfile.is_zipfile(path):
        raise ReturnFileError(f"“{path.name}”不是 Excel 工作簿（.xlsx），或文件已损坏。")


def _lock_note(path: Path) -> str | None:
    for name in (f"~${path.name}", f".~lock.{path.name}#"):
        if (path.parent / name).exists():
            return ("旁边有 Excel/WPS 的占用标记文件，这个文件可能仍在编辑中；读到的是最后一次保存的内容，"
                    "如部门还在填写，请关闭后再导入。")
    return None


def read_return(path: Path | str) -> ReturnedBook:
    from openpyxl import load_workbook

    from app.importing.readers import ImportError_
    from app.importing.xlsx_bounds import check_workbook

    path = Path(path)
    _check_file(path)
    try:
        # A cell typed far away (Ctrl+End, then a key), a whole column merged, a part that expands to gigabytes:
        # measured before openpyxl builds anything, which would fill every cell up to it.
        check_workbook(path)
    except PermissionError as exc:
        raise ReturnFileError(f"“{path.name}”正被其他程序占用（可能仍在 Excel 或 WPS 中打开），"
                              "请先关闭该文件再导入。") from exc
    except ImportError_ as exc:
        raise ReturnFileError(str(exc).replace("整改台账读取的上限", "填报表读取的上限")) from exc
    try:
        with open(path, "rb") as f:   # a file object: WPS's .et may hold an .xlsx, which openpyxl refuses by name
            wb = load_workbook(f, data_only=True)
    except PermissionError as exc:
        raise ReturnFileError(f"“{path.name}”正被其他程序占用（可能仍在 Excel 或 WPS 中打开），"
                              "请先关闭该文件再导入。") from exc
    except Exception as exc:  # openpyxl raises many kinds for a damaged package
        raise ReturnFileError(f"“{path.name}”已损坏或不是填报表，无法读取（{type(exc).__name__}）。") from exc
    notes: list[str] = []
    if (lock := _lock_note(path)) is not None:
        notes.append(lock)
    meta = _read_meta(wb, notes)
    ws, header_row, header = _find_data_sheet(wb, meta, notes)
    columns = {HEADERS[h]: i for i, h in header.items() if h in HEADERS}
    missing = [LABELS[k] for k in ("progress", "narrative", "done", "reporter", "date") if k not in columns]
    if missing:
        notes.append("填报表缺少这些列（可能被删除或改了列名）：" + "、".join(missing) + "；这些内容读不到。")
    if "id" not in columns and meta is not None:
        notes.append("隐藏的“问题编号”列不见了，将按序号和问题内容匹配，请逐项核对后确认。")
    values = _grid(ws, header_row, notes)
    rows = [_row(r, cells, columns) for r, cells in values]
    department = meta.department if meta else _department_line(ws, header_row)
    return ReturnedBook(path, file_sha256(path), meta, ws.title, department, rows, notes)


def _read_meta(wb: Any, notes: list[str]) -> Meta | None:
    if META_SHEET not in wb.sheetnames:
        notes.append("隐藏的“回执信息”工作表不见了（可能复制到了新文件或被删除），将按序号和问题内容匹配，"
                     "请逐项核对后确认。")
        return None
    ws = wb[META_SHEET]
    kv: dict[str, Any] = {}
    row_sums: dict[int, str] = {}
    for row in _used_rows(ws).values():
        if not row or row[0] is None:
            continue
        pid = parse_id_cell(row[0])
        if pid is not None and len(row) > 2:
            row_sums[pid] = str(row[2] or "")
        else:
            kv[str(row[0])] = row[1] if len(row) > 1 else None
    if kv.get("格式") != FORMAT:
        notes.append("“回执信息”工作表不是本程序写的格式，已忽略，将按序号和问题内容匹配。")
        return None
    rid = str(kv.get("轮次编号") or "").split(".")[0]
    return Meta(int(rid) if rid.isdigit() else None, str(kv.get("轮次") or ""),
                str(kv.get("部门") or ""), str(kv.get("下发编号") or ""), str(kv.get("导出时间") or ""),
                str(kv.get("工作表") or DATA_SHEET), str(kv.get("校验和") or ""), row_sums)


def _headers_of(ws: Any) -> tuple[int, dict[int, str]]:
    """The header row (within the first ten) and its texts by column number."""
    for r, row in _used_rows(ws, 1, 10).items():
        texts = {c: str(v).strip() for c, v in enumerate(row, 1) if isinstance(v, str)}
        if sum(1 for t in texts.values() if t in HEADERS) >= 4 and "问题" in texts.values():
            return r, texts
    return 0, {}


def _find_data_sheet(wb: Any, meta: Meta | None, notes: list[str]) -> tuple[Any, int, dict[int, str]]:
    expected = meta.sheet if meta else DATA_SHEET
    order = ([expected] if expected in wb.sheetnames else []) + [n for n in wb.sheetnames if n != expected]
    for name in order:
        ws = wb[name]
        if getattr(ws, "sheet_state", "visible") == "veryHidden" or not hasattr(ws, "_cells"):
            continue
        r, header = _headers_of(ws)
        if r:
            if name != expected:
                notes.append(f"工作表“{expected}”已改名为“{name}”，已按表头找到填报内容。")
            return ws, r, header
    raise ReturnFileError(f"找不到填报表：工作表“{expected}”已被删除，"
                          "其他工作表中也没有填报表的表头（序号、问题、本期进展……）。请让部门用下发的原表重新填报。")


def _used_rows(ws: Any, first: int = 1, last: int | None = None) -> dict[int, list[Any]]:
    """The rows from `first` to `last` that hold a value, by row number, each as long as the widest such row.

    Built from the cells that hold something, never from the sheet's dimension: one empty formatted cell at
    XFD1048576 would make openpyxl's `iter_rows` walk seventeen billion cells."""
    cells = [(r, c, cell.value) for (r, c), cell in ws._cells.items()
             if cell.value is not None and r >= first and (last is None or r <= last)]
    width = max((c for _r, c, _v in cells), default=0)
    rows: dict[int, list[Any]] = {}
    for r, c, value in cells:
        rows.setdefault(r, [None] * width)[c - 1] = value
    return dict(sorted(rows.items()))


def _grid(ws: Any, header_row: int, notes: list[str]) -> list[tuple[int, list[Any]]]:
    """The data rows' cell values, merged areas resolved: a merge down one column gives each row its value."""
    rows = _used_rows(ws, header_row + 1)
    width = max((len(v) for v in rows.values()), default=0)
    for rng in list(ws.merged_cells.ranges):   # bounded in number and area by `check_workbook`
        if rng.max_row <= header_row:
            continue
        top = rows.get(rng.min_row)
        value = top[rng.min_col - 1] if top and len(top) >= rng.min_col else None
        where = f"{rng.coord}"
        if rng.min_col == rng.max_col:
            if value is not None:
                for r in range(rng.min_row + 1, rng.max_row + 1):
                    row = rows.setdefault(r, [None] * width)
                    if len(row) < rng.min_col:
                        row.extend([None] * (rng.min_col - len(row)))
                    row[rng.min_col - 1] = value
            notes.append(f"发现合并单元格 {where}：已把合并区域中的内容用于其中每一行。")
        else:
            notes.append(f"发现跨列合并的单元格 {where}：只读取了最左一列的内容，其余列按空白处理。")
    return [(r, cells) for r, cells in sorted(rows.items()) if any(v not in (None, "") for v in cells)]


_MONTH_ONLY = re.compile(r"^\s*(\d{1,2})\s*月\s*(底|末|\d{1,2}\s*[日号]?)?\s*$")
_NO_DAY = re.compile(r"^\s*(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*月?\s*$")     # 2024.6, 2024年6月: which day?
_CN_DATE = re.compile(r"^\s*([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                      r"\s*([一二三四五六七八九十]{1,3})\s*[日号]\s*$")
_CN_DIGITS = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0}
_SERIAL_RANGE = (36526, 73050)   # Excel's day numbers of 2000-01-01 … 2099-12-31: a date pasted as a number


def _cn_date(text: str) -> dt.date | None:
    from app.numerals import from_chinese

    m = _CN_DATE.match(text)
    if m is None:
        return None
    year = int("".join(str(_CN_DIGITS[ch]) for ch in m.group(1)))
    return dt.date(year, from_chinese(m.group(2)), from_chinese(m.group(3)))


def read_date(value: Any) -> tuple[dt.date | None, str, str]:
    """(date, text as typed, note): a date cell, or text such as 2024.6.30, ２０２４．６．３０ or 二〇二四年六月三十日,
    or a date pasted as Excel's day number; 6月底 has no year and 2024.6 no day: those are refused."""
    import unicodedata

    from app.numerals import parse_date

    if isinstance(value, dt.datetime):
        return value.date(), "", ""
    if isinstance(value, dt.date):
        return value, "", ""
    text = "" if value is None else str(value).strip()
    if not text:
        return None, "", ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and float(value).is_integer():
            text = str(int(value))
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
            return day, text, (f"填报日期是数字“{text}”（日期粘贴成了数值），已按 Excel 的日期读作 "
                               f"{day.year}年{day.month}月{day.day}日，请核对。")
        return None, text, f"填报日期“{text}”不是日期。"
    plain = unicodedata.normalize("NFKC", text)    # full-width digits and ．／－ as typed with a Chinese input method
    if _NO_DAY.match(plain):
        return None, text, f"填报日期“{text}”没有写日，无法确定是哪一天；进展日期将记为收到回执的日期。"
    try:
        parsed = parse_date(plain) or _cn_date(plain)
    except ValueError:
        return None, text, f"填报日期“{text}”不是真实存在的日期。"
    if parsed is not None:
        return parsed, text, f"填报日期是文字“{text}”，已读作 {parsed.year}年{parsed.month}月{parsed.day}日。"
    if _MONTH_ONLY.match(plain):
        return None, text, f"填报日期“{text}”没有年份，无法确定是哪一天；进展日期将记为收到回执的日期。"
    return None, text, f"填报日期“{text}”无法识别为日期；进展日期将记为收到回执的日期。"


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def cell_plain(value: Any) -> str:
    """A cell's text as `clean_text` has it (line breaks kept, control characters dropped), fast."""
    if value is None:
        return ""
    text = cell_text(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def _row(r: int, cells: list[Any], columns: dict[str, int]) -> ReturnedRow:
    def get(key: str) -> Any:
        c = columns.get(key)
        return cells[c - 1] if c is not None and c - 1 < len(cells) else None

    locked = {k: cell_plain(get(k)) for k in ("number", "category", "problem", "measures", "deadline", "status")}
    row = ReturnedRow(r, parse_id_cell(get("id")), locked, cell_plain(get("progress")), cell_plain(get("narrative")),
                      cell_plain(get("done")), cell_plain(get("evidence")), cell_plain(get("reporter")), cell_plain(get("phone")))
    row.date, row.date_text, note = read_date(get("date"))
    if note:
        row.notes.append(note)
    return row


def _department_line(ws: Any, header_row: int) -> str:
    for row in _used_rows(ws, 1, max(header_row - 1, 1)).values():
        for v in row:
            m = re.search(r"填报部门[:：]\s*(\S+)", str(v or ""))
            if m:
                return m.group(1)
    return ""
