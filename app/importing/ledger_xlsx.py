"""Reading an office's Excel ledger (.xlsx): header detection with synonyms, merged cells,
several sheets, headers below row 1, dates as dates or as text. All rows are validated first;
nothing is written unless every row is good, and then in one transaction."""
from __future__ import annotations

import datetime as dt
import logging
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.errors import LedgerError
from app.importing.numbering import DEPTH, Kind, classify
from app.importing.readers import ImportError_, is_encrypted_office
from app.importing.xlsx_bounds import check_workbook, used_rows
from app.measure_facts import read_facts
from app.numerals import parse_date
from db.enums import Status
from db.session import Database

SYNONYMS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "问题序号"),
    "problem": ("问题", "问题描述", "反馈问题", "存在问题", "具体问题", "问题清单", "巡察反馈问题"),
    "measures": ("整改措施", "整改举措", "措施"),
    "leaders": ("责任领导", "分管领导", "牵头领导", "责任领导（分管领导）"),
    "departments": ("责任部门", "责任科室", "牵头单位", "责任单位", "牵头部门", "责任股室"),
    "persons": ("责任人", "具体责任人", "经办人"),
    "deadline": ("完成时限", "整改时限", "完成时间", "整改期限", "时限"),
    "progress": ("整改进展", "整改情况", "进展情况", "整改落实情况", "整改成效"),
    "status": ("完成情况", "整改状态", "完成状态", "状态", "是否完成"),
    "category": ("问题类别", "类别", "方面", "问题分类", "一级分类", "问题方面"),
    "category2": ("项", "二级分类", "问题小类", "问题子类"),   # deeper category columns, when the sheet has them
    "category3": ("三级分类", "小项"),
}
CATEGORY_KEYS = ("category", "category2", "category3")
STATUS_WORDS = ((Status.LONG_TERM, ("长期坚持", "长期", "持续推进")), (Status.DONE, ("已完成", "完成", "已整改", "已销号", "是")),
                # 待销号 in another ledger: the sign-off happens in this one, so the work counts as in progress
                (Status.IN_PROGRESS, ("整改中", "正在", "推进中", "进行中", "部分完成", "待销号", "待审核", "审核中")),
                (Status.NOT_STARTED, ("未启动", "未开始", "未完成", "否")))


log = logging.getLogger("xuncha.import")


class LedgerImportError(LedgerError):
    def __init__(self, problems: list[str]) -> None:
        head = "台账中有以下问题，未导入任何数据："
        super().__init__("\n".join([head] + problems[:30] + ([f"……另有 {len(problems) - 30} 处"] if len(problems) > 30
                                                              else [])))
        self.problems = problems


@dataclass
class LedgerMeasure:
    """A measure as the sheet states it; owner, deadline and state only where the cell says them
    ("1.措施（责任人：张三；时限：2024年6月30日；已完成）", as our own export writes)."""

    text: str
    owner: str = ""
    deadline: dt.date | None = None
    status: Status | None = None

    def __str__(self) -> str:
        return self.text


@dataclass
class LedgerRow:
    sheet: str
    row: int
    problem: str
    category: str = ""                                   # the innermost category
    measures: list[LedgerMeasure] = field(default_factory=list)
    leaders: str = ""
    departments: str = ""
    persons: str = ""
    deadline: dt.date | None = None
    long_term: bool = False
    progress: str = ""
    status: Status = Status.NOT_STARTED
    category_path: list[str] = field(default_factory=list)   # outermost first, of any depth


@dataclass
class LedgerImport:
    rows: list[LedgerRow] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            if isinstance(v, dt.date):
                return v.isoformat()
            if isinstance(v, Status):
                return v.value
            if isinstance(v, dict):
                return {k: plain(x) for k, x in v.items()}
            if isinstance(v, list):
                return [plain(x) for x in v]
            return v
        return plain(asdict(self))


def _norm(value: Any) -> str:
    return re.sub(r"\s+", "", str(value or ""))


def _open(path: Path) -> Any:
    if not path.exists():
        raise ImportError_(f"找不到文件“{path}”。")
    if path.stat().st_size == 0:
        raise ImportError_(f"文件“{path.name}”是空的（0 字节）。")
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if is_encrypted_office(path) and path.suffix.lower() not in (".xls", ".et"):
            raise ImportError_(f"“{path.name}”设置了打开密码（已加密），无法读取。请先取消密码，另存后再导入。")
        raise ImportError_(f"“{path.name}”是旧版 Excel（.xls）或 WPS 表格（.et）文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入。")
    if not zipfile.is_zipfile(path):
        raise ImportError_(f"“{path.name}”不是有效的 Excel 文件（.xlsx），可能已损坏或是其他文件改了扩展名。")
    check_workbook(path)  # sizes, cells and merged ranges measured before openpyxl builds anything
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=True)
    except Exception as exc:  # KeyError, ValueError, lxml/expat parse errors …: all one thing to the clerk
        log.warning("openpyxl cannot read %s: %r", path, exc)
        raise ImportError_(f"“{path.name}”已损坏，无法作为 Excel 表格读取。") from exc


def _grid(ws: Any) -> tuple[list[list[Any]], dict[tuple[int, int], tuple[int, int]]]:
    """The sheet's values with every merged range filled from its top-left cell."""
    rows = used_rows(ws)  # the cells that hold a value, never the sheet's (claimed) dimension
    merged_from: dict[tuple[int, int], tuple[int, int]] = {}
    for rng in ws.merged_cells.ranges:
        top = (rng.min_row - 1, rng.min_col - 1)
        if top[0] >= len(rows) or top[1] >= len(rows[top[0]]):
            continue
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(rows[r]))):
                if r < len(rows) and c < len(rows[r]):
                    rows[r][c] = rows[top[0]][top[1]]
                    merged_from[(r, c)] = top
    return rows, merged_from


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(rows[:20]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            text = _norm(value)
            for key, names in SYNONYMS.items():
                if key not in found and text in names:
                    found[key] = c
        if "problem" in found and len(found) >= 2:
            texts = [_norm(v) for v in row]
            if "整改情况" in texts:   # beside a 整改进展 log (our own export), 整改情况 is the narrative
                found["progress"] = texts.index("整改情况")
            return i, found
    return None


def _status(text: str) -> Status | None:
    t = _norm(text)
    if not t:
        return None
    for status, words in STATUS_WORDS:
        if any(w in t for w in words):
            return status
    return None


_FACTS = re.compile(r"[（(]([^（）()]*)[）)]$")


def _split_items(text: str) -> list[str]:
    """Lines, and items ended by ；/; outside brackets (the facts of a measure are separated by ； too)."""
    out, piece, depth = [], "", 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        if ch == "\n" or (ch in "；;" and depth == 0):
            out.append(piece + ("" if ch == "\n" else ch))
            piece = ""
        else:
            piece += ch
    return [p.strip() for p in [*out, piece] if p.strip()]


def measure_facts(text: str) -> LedgerMeasure:
    """A measure's text, and the 责任人/时限/state of a closing bracket in which every part is one of them
    (`app.measure_facts`)."""
    m = _FACTS.search(text)
    facts = read_facts(m.group(1)) if m is not None else None
    if m is None or facts is None or not text[:m.start()].strip():
        return LedgerMeasure(text)  # no bracket, or one of the measure's own wording: kept as written
    return LedgerMeasure(text[:m.start()].rstrip(), *facts)


def _measures(text: str) -> list[LedgerMeasure]:
    out = []
    for ln in _split_items(text):
        num = classify(ln)
        item = (num.rest if num and num.kind in (Kind.AR_DOT, Kind.AR_PAREN, Kind.CIRCLED) else ln).rstrip("；;")
        if item:
            out.append(measure_facts(item))
    return out


def _heading(headings: dict[int, str], depth: int, text: str) -> None:
    """A category row: it replaces the heading at its depth and ends the deeper ones."""
    for d in [d for d in headings if d >= depth]:
        del headings[d]
    headings[depth] = text


def read_ledger(path: Path | str) -> LedgerImport:
    path = Path(path)
    wb = _open(path)
    result, errors = LedgerImport(), []
    for ws in wb.worksheets:
        rows, merged_from = _grid(ws)  # merged_from groups the rows of one merged problem
        found = _header(rows)
        if found is None:
            if any(any(v not in (None, "") for v in r) for r in rows):
                result.warnings.append(f"工作表“{ws.title}”中没有找到表头（如“问题”“整改措施”），已跳过。")
            continue
        head, cols = found
        result.sheets.append(ws.title)
        headings: dict[int, str] = {}   # category rows across the sheet: depth of their numbering → text
        previous: LedgerRow | None = None
        for i in range(head + 1, len(rows)):
            row = rows[i]

            def cell(key: str, row: list[Any] = row, cols: dict[str, int] = cols) -> Any:
                c = cols.get(key)
                return row[c] if c is not None and c < len(row) else None

            values = [v for v in row if v not in (None, "")]
            if not values:
                continue
            problem = str(cell("problem") or "").strip()
            first = str(row[0] or "").strip()
            if len(set(map(str, values))) == 1 and classify(str(values[0])):  # a category row across the sheet
                num = classify(str(values[0]))
                if num:
                    _heading(headings, DEPTH[num.kind], num.rest)
                continue
            if not problem:
                heading = classify(first)
                if heading and heading.kind in (Kind.CN_COMMA, Kind.CN_PAREN):
                    _heading(headings, DEPTH[heading.kind], heading.rest)
                    continue
                errors.append(f"工作表“{ws.title}”第 {i + 1} 行：有内容但缺少问题描述。")
                continue
            measures_text = str(cell("measures") or "")
            merged = merged_from.get((i, cols["problem"]))
            if previous is not None and merged is not None and previous.problem == problem and \
                    merged_from.get((i - 1, cols["problem"])) == merged:
                previous.measures += _measures(measures_text)  # one merged problem, one measure per row
                continue
            raw_deadline = cell("deadline")
            deadline, long_term = None, False
            if isinstance(raw_deadline, dt.datetime):
                deadline = raw_deadline.date()
            elif isinstance(raw_deadline, dt.date):
                deadline = raw_deadline
            elif raw_deadline not in (None, ""):
                text = _norm(raw_deadline)
                long_term = "长期" in text
                try:
                    deadline = parse_date(text.replace("前", "").replace("底前", "底"))
                except ValueError:
                    deadline = None
                if deadline is None and not long_term:
                    errors.append(f"工作表“{ws.title}”第 {i + 1} 行：完成时限“{raw_deadline}”不是有效日期"
                                  "（可写作 2024年6月30日、2024.6.30 或 长期坚持）。")
            status_text = str(cell("status") or "")
            status = _status(status_text)
            if status_text.strip() and status is None:
                errors.append(f"工作表“{ws.title}”第 {i + 1} 行：完成情况“{status_text}”无法识别"
                              "（可写作 已完成、整改中、未启动、长期坚持）。")
            progress = str(cell("progress") or "").strip()
            if status is None:
                status = Status.IN_PROGRESS if progress else Status.NOT_STARTED
            if long_term and status == Status.DONE:
                status = Status.LONG_TERM
            columns = [str(cell(k) or "").strip() for k in CATEGORY_KEYS]
            cat_path = [c for c in columns if c] if any(columns) else [headings[d] for d in sorted(headings)]
            previous = LedgerRow(ws.title, i + 1, problem, cat_path[-1] if cat_path else "",
                                 _measures(measures_text), str(cell("leaders") or "").strip(),
                                 str(cell("departments") or "").strip(), str(cell("persons") or "").strip(),
                                 deadline, long_term, progress, status, cat_path)
            result.rows.append(previous)
    if errors:
        raise LedgerImportError(errors)
    if not result.rows:
        raise ImportError_(f"“{path.name}”中没有找到可导入的问题：请确认表头含有“问题”一列（或“问题描述”“反馈问题”）。")
    return result


def commit_ledger(db: Database, ledger: LedgerImport, *, round_id: int | None = None, title: str | None = None,
                  unit_name: str = "") -> int:
    """Write the rows as problems of a new round (or of `round_id`), in one transaction."""
    from app.services.common import load  # the ORM only to write: a dry run reads without it
    from db.models import Category, Measure, NoticeSettings, Problem, Round, RoundFigures, Unit

    with db.transaction() as s:
        if round_id is not None:
            r = load(s, Round, round_id)
        else:
            unit = s.query(Unit).first() if not unit_name else None
            if unit is None:
                unit = Unit(name=unit_name, signature=unit_name)  # a sheet names no unit: left for the clerk
                s.add(unit)
                s.flush()
            r = Round(unit_id=unit.id, title=(title or "从台账导入的巡察整改").strip(), warn_yellow_days=20,
                      warn_red_days=10, layout_style="A")
            s.add(r)
            s.flush()
            s.add(NoticeSettings(round_id=r.id, signature=unit.signature or unit.name))
            s.add(RoundFigures(round_id=r.id))
        cats: dict[tuple[str, ...], Category] = {}
        counts: dict[int | None, int] = {}
        kids: dict[int | None, int] = {}
        for row in ledger.rows:
            cat_id = None
            path = tuple(row.category_path) or ((row.category,) if row.category else ())
            for depth in range(1, len(path) + 1):  # the category tree, any depth
                key = path[:depth]
                if key not in cats:
                    parent = cats[key[:-1]].id if depth > 1 else None
                    cats[key] = Category(round_id=r.id, parent_id=parent, text=key[-1], position=kids.get(parent, 0))
                    kids[parent] = kids.get(parent, 0) + 1
                    s.add(cats[key])
                    s.flush()
                cat_id = cats[key].id
            position = counts.get(cat_id, 0)
            counts[cat_id] = position + 1
            p = Problem(round_id=r.id, category_id=cat_id, position=position, text=row.problem,
                        leaders=row.leaders, departments=row.departments, persons=row.persons,
                        deadline=row.deadline, long_term=row.long_term, narrative=row.progress, status=row.status,
                        done_override_reason="导入自整改台账" if row.status.is_done else "")
            s.add(p)
            s.flush()
            for k, m in enumerate(row.measures):
                s.add(Measure(problem_id=p.id, position=k, text=m.text, owner=m.owner or row.persons,
                              deadline=m.deadline or row.deadline,
                              status=m.status or (Status.DONE if row.status.is_done else Status.IN_PROGRESS)))
        return r.id
