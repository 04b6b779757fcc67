"""Text that a copy broke apart, put back before it is read: lines hard-wrapped at a fixed width, and a table
of problems pasted as tab-separated rows.

A site (or a copy from a PDF) that breaks every line at ~40 characters leaves paragraphs cut mid-sentence;
each cut is joined again, never made into a paragraph or a problem of its own. A table row ("1⇥问题⇥整改措施⇥
已完成") becomes the problem's lines, each cell under its column's own header — no label the source lacks.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from app.importing.lines import INLINE_LABEL, Line, is_anchor, label_of, progress_of
from app.importing.model import ParsedNotice
from app.importing.numbering import ITEM, Kind, Numbered, classify, normalise
from app.numbering_scheme import NumberStyle
from app.numerals import from_chinese

_SENTENCE_END = "。！？；;：:”」）)!?"
_MIN_WRAPPED = 6


def _width(text: str) -> int:
    """Display width: a Chinese character or full-width sign takes two columns, ASCII one."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _wrap_width(lines: list[Line]) -> tuple[int, object] | None:
    """The width the text was broken at, when most long lines have it and end mid-sentence."""
    best: tuple[int, int, object] | None = None
    for measure in (len, _width):
        sizes = [measure(ln.text) for ln in lines if len(ln.text) >= 16]
        if len(sizes) < _MIN_WRAPPED:
            continue
        width, _count = Counter(sizes).most_common(1)[0]
        at = [ln for ln in lines if len(ln.text) >= 16 and abs(measure(ln.text) - width) <= 1]
        cut = [ln for ln in at if ln.text[-1] not in _SENTENCE_END]
        distinct = len({ln.text for ln in at})
        if len(at) * 2 >= len(sizes) and len(cut) * 5 >= len(at) * 3 and distinct >= _MIN_WRAPPED and width >= 20:
            if best is None or len(at) > best[1]:
                best = (width, len(at), measure)
    return (best[0], best[2]) if best else None


def _starts_new(prev: Line, ln: Line) -> bool:
    """A line that opens something of its own even after a full line: a numbered heading, a label, 一是…"""
    if ln.num is not None or label_of(ln) is not None or progress_of(ln) is not None:
        return True
    return bool(ITEM.match(ln.text)) and prev.text[-1] in _SENTENCE_END


def unwrap(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    found = _wrap_width(lines)
    if found is None:
        return lines
    width, measure = found
    out: list[Line] = []
    joined, first = 0, 0
    full = False
    for ln in lines:
        if out and full and not _starts_new(out[-1], ln):
            prev = out[-1]
            text = prev.text + ln.text
            out[-1] = Line(prev.no, text, classify(text))
            joined += 1
            first = first or prev.no
        else:
            out.append(ln)
        full = measure(ln.text) >= width - 1  # type: ignore[operator]
    if joined:
        notice.warn(first, f"原文每行约 {width} 字处断行，已把断开的 {joined} 处接回原段落，请核对段落划分。")
    return out


def split_labels(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    """A problem's heading and its 整改情况 run together in one paragraph ("1.……问题。整改情况：……", as a copy
    that lost the line breaks has it): two lines again, the heading and the labelled narrative."""
    out: list[Line] = []
    for ln in lines:
        m = INLINE_LABEL.search(ln.text) if ln.num is not None or progress_of(ln) is not None else None
        if m is None or label_of(ln) is not None:
            out.append(ln)
            continue
        head, rest = ln.text[:m.start()].rstrip(), ln.text[m.start():].lstrip()
        num = ln.num and replace(ln.num, rest=ln.num.rest[:len(ln.num.rest) - (len(ln.text) - m.start())].rstrip())
        out += [Line(ln.no, head, num), Line(ln.no, rest, None)]
        notice.warn(ln.no, f"问题与“{m.group(1)}”写在同一段，已在“{m.group(1)}”处分开，请核对。")
    return out


def item_problems(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    """一是…, 二是… lines that each carry their own 整改情况 (or 整改进程) right under them are problems, numbered
    within their group. Only a run in order from 一是, two at least, is taken: an 一是 paragraph of a narrative or of
    part 一 has no label of its own under it."""
    found: dict[int, int] = {}
    run: list[tuple[int, int]] = []

    def close() -> None:
        if len(run) >= 2:
            found.update(run)
        run.clear()

    for i, ln in enumerate(lines):
        m = ITEM.match(ln.text) if ln.num is None else None
        if m is None:
            if ln.num is not None:
                close()
            continue
        try:
            n = from_chinese(m.group(1))
        except ValueError:
            continue
        if i + 1 < len(lines) and is_anchor(lines[i + 1]) and n == (run[-1][1] + 1 if run else 1):
            run.append((i, n))
        elif n == 1:
            close()
    close()
    out = list(lines)
    for i, n in found.items():
        ln = lines[i]
        rest = ln.text[ITEM.match(ln.text).end():].strip()  # type: ignore[union-attr]
        out[i] = Line(ln.no, ln.text, Numbered(Kind.ITEM, n, rest, NumberStyle.ITEM))
    return out


# -- tables ------------------------------------------------------------------------------------------------
_NUMBER_HEAD = re.compile(r"^(?:序号|编号|序|号)$")
_PROBLEM_HEAD = re.compile(r"问题")
_HEAD_CELL = 16


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.split("\t")]


def _header(ln: Line) -> list[str] | None:
    cells = _cells(ln.text)
    if len(cells) < 2 or any(len(c) > _HEAD_CELL for c in cells) or not all(cells):
        return None
    if not any(_PROBLEM_HEAD.search(c) and "整改" not in c for c in cells):
        return None
    return cells


def tables(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    """Tab-separated rows under a header row that names the problem column, as the problems' lines."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        head = _header(lines[i]) if "\t" in lines[i].text else None
        if head is None:
            out.append(lines[i])
            i += 1
            continue
        notice.dropped.append((lines[i].no, lines[i].text))
        notice.warn(lines[i].no, "问题以表格形式列出（各列以制表符分隔），已按表头“" + "、".join(head) + "”逐行读取，表头本身未导入，请核对。")
        i = _rows(lines, i + 1, head, out)
    return out


def _rows(lines: list[Line], i: int, head: list[str], out: list[Line]) -> int:
    """Reads the rows from line i; returns the index after the table."""
    rows: list[tuple[int, list[list[str]]]] = []       # (line no, paragraphs of each column)
    done = 0                                            # rows already written out

    def flush() -> None:
        nonlocal done
        for k, (no, row) in enumerate(rows[done:], done + 1):
            out.extend(_row_lines(no, row, head, k))
        done = len(rows)

    while i < len(lines):
        ln = lines[i]
        cells = _cells(ln.text)
        if "\t" not in ln.text:
            rows_follow = any("\t" in x.text for x in lines[i + 1:i + 3])
            if ln.num is not None and rows_follow:
                flush()              # a category heading between the rows ("（一）…方面"): the table goes on under it
                out.append(ln)
                i += 1
                continue
            if not (rows and ln.num is None and rows_follow):
                break
        number = _number(cells[0]) if _NUMBER_HEAD.match(head[0]) else None
        if rows and (len(cells) < len(head) and number is None):
            start = len(head) - len(cells)    # a cell broken over lines: the rest of the row goes on here
            for k, cell in enumerate(cells):
                if cell:
                    rows[-1][1][start + k].append(cell)
        else:
            row: list[list[str]] = [[] for _ in head]
            for k, cell in enumerate(cells[:len(head)]):
                if cell:
                    row[k].append(cell)
            if len(cells) > len(head):          # more cells than headers: the surplus stays in the last column
                row[-1] += [c for c in cells[len(head):] if c]
            rows.append((ln.no, row))
        i += 1
    flush()
    return i


def _number(cell: str) -> int | None:
    m = re.match(r"^(\d{1,3})[.．、]?$", normalise(cell))
    return int(m.group(1)) if m else None


def _row_lines(no: int, row: list[list[str]], head: list[str], index: int) -> list[Line]:
    problem_col = next(k for k, h in enumerate(head) if _PROBLEM_HEAD.search(h) and "整改" not in h)
    numbered = _NUMBER_HEAD.match(head[0]) is not None
    number = _number(row[0][0]) if numbered and row[0] else None
    paras = row[problem_col]
    text = paras[0] if paras else ""
    out = [Line(no, text, Numbered(Kind.AR_DOT, number or index, text, NumberStyle.AR_DOT))]
    out += [Line(no, p, None) for p in paras[1:]]
    progress, labelled, other = [], [], []
    for k, h in enumerate(head):
        if k == problem_col or (numbered and k == 0) or not row[k]:
            continue
        first = Line(no, f"{h}：{row[k][0]}", None)
        rest = [Line(no, p, None) for p in row[k][1:]]
        if progress_of(first) is not None:
            progress.append(first)
        elif label_of(first) is not None:
            labelled += [first, *rest]
        else:
            other += [first, *rest]
    return out + progress + labelled + other
