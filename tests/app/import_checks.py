"""Checks shared by the import tests: where every source paragraph went, and what the parsed data holds."""
from __future__ import annotations

from pathlib import Path

from app.importing.furniture import date_of
from app.importing.lines import INLINE_LABEL, Line, label_of, progress_of
from app.importing.model import ParsedCategory, ParsedNotice
from app.importing.numbering import ITEM, classify, damaged, normalise
from app.importing.tree import QUOTED_PROBLEM


def tree_of(n: ParsedNotice) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(cats: list[ParsedCategory], depth: int) -> None:
        for c in cats:
            out.append((depth, c.text))
            walk(c.children, depth + 1)
    walk(n.categories, 1)
    return out


def stored_texts(n: ParsedNotice) -> list[str]:
    """Every text the import would store (not the dropped furniture)."""
    f = n.facts
    out = [f.title, n.opening, n.part_one, n.part_two_intro, n.part_three, n.contact_paragraph, f.signature]

    def walk(cats: list[ParsedCategory]) -> None:
        for c in cats:
            out.append(c.text)
            walk(c.children)
    walk(n.categories)
    for p in n.all_problems():
        out += [p.title, p.text, p.progress_line, *p.narrative]
    return out


def _core(line: str) -> str:
    """What of a source line must be found in the data: without its number or its label."""
    text = normalise(line.replace("\u3000", " ").strip())
    line = Line(0, text, None)
    found = progress_of(line) or label_of(line)
    if found is not None:
        return found[1]
    num = classify(text) or damaged(text)
    item = ITEM.match(text)   # 一是… taken as a problem keeps the text after 一是
    rest = num.rest if num else text[item.end():] if item else text
    quoted = QUOTED_PROBLEM.match(rest)  # 关于“…”的问题: the problem is what the quotes hold
    return quoted.group(1) if quoted else rest


def lost_paragraphs(text: str, n: ParsedNotice) -> list[tuple[int, str]]:
    """Source lines that landed nowhere: not in the tree, the parts, the facts or the dropped list."""
    placed = [normalise(s) for s in stored_texts(n) if s]
    dropped = {no for no, _t in n.dropped}
    lost = []
    for no, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        if no in dropped:
            continue
        if "\t" in line:  # a table row: each cell lands somewhere (the row number is derived)
            cells = [c.strip() for c in line.split("\t") if c.strip() and not c.strip().isdigit()]
            lost += [(no, c) for c in cells if not any(normalise(c) in s for s in placed)]
            continue
        inline = INLINE_LABEL.search(line)
        if inline is not None and (classify(line.strip()) or damaged(line.strip())):  # "1.问题。整改情况：…"
            parts = [_core(line[:inline.start()]), _core(line[inline.start():])]
            lost += [(no, p) for p in parts if p and not any(normalise(p) in s for s in placed)]
            continue
        core = _core(line)
        if not core:
            continue
        looks, d = date_of(line)
        if looks and d is not None and d in (n.facts.sign_date, n.date_under_title and n.date_under_title[1]):
            continue
        signed = n.facts.signature and core.startswith(n.facts.signature)  # "中共XX局党组  2023年1月10日"
        if signed and date_of(core[len(n.facts.signature):])[1] == n.facts.sign_date:
            continue
        if not any(core in s for s in placed):
            lost.append((no, line.strip()))
    return lost


def write_docx(text: str, path: Path) -> Path:
    """The text as a Word file, one paragraph per line, the way offices save a pasted notice."""
    from docx import Document

    doc = Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    doc.save(str(path))
    return path
