"""The shapes of `notice_texts_more` as offices save them in Word: problems in Word's own list numbering, a
multi-level list holding both the 方面 and the problems, and the problems in a real table."""
from __future__ import annotations

import re

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from tests.app.notice_texts_more import Case, huitoukan, province, tab_table


def numbered_docx(path: str) -> Case:
    """The 巡视 notice with its problems in Word's own list numbering (style List Number: the numbers are not in
    the text) and its part headings in Heading 1 / Heading 2 styles. One list runs on through the 方面, as Word
    shows it: the problems are numbered 1 … 11 across the notice."""
    c = province()
    doc = Document()
    n = 0
    for ln in c.text.split("\n"):
        m = re.match(r"^(\d+)\.(.*)$", ln)
        if ln.startswith(("一、", "二、", "三、")):
            doc.add_paragraph(ln, style="Heading 1")
        elif ln.startswith("（"):
            doc.add_paragraph(ln, style="Heading 2")
        elif m and ln not in c.not_problems:
            doc.add_paragraph(m.group(2), style="List Number")
            n += 1
        else:
            doc.add_paragraph(ln)
    doc.save(path)
    c.problems = [(k, text) for k, (_n, text) in enumerate(c.problems, 1)]
    c.across = True
    return c


_NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>
</w:abstractNum>"""


def outline_docx(path: str) -> Case:
    """A notice whose （一） 方面 and 1. problems are both levels of one multi-level list (chineseCounting and
    decimal), so the problems restart under each 方面, and whose problems sit in a table-free body."""
    c = huitoukan()
    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING))
    numbering.append(parse_xml('<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                               'w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def listed(text: str, level: int) -> None:
        p = doc.add_paragraph(text)
        num_pr = parse_xml(f'<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                           f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        p._p.get_or_add_pPr().insert(0, num_pr)
        assert p._p.pPr.find(qn("w:numPr")) is not None

    for ln in c.text.split("\n"):
        cat = re.match(r"^（[一二三四五六七八九十]+）(.*)$", ln)
        prob = re.match(r"^第[一二三四五六七八九十]+，(.*)$", ln)
        if cat:
            listed(cat.group(1), 0)
        elif prob:
            listed(prob.group(1), 1)
        else:
            doc.add_paragraph(ln)
    doc.save(path)
    return c


def table_docx(path: str) -> Case:
    """The table notice saved from Word: the problems in a real table (序号 | 反馈问题 | 整改措施 | 整改进展)."""
    c = tab_table()
    doc = Document()
    rows = [ln.split("\t") for ln in c.text.split("\n") if "\t" in ln]
    body = [ln for ln in c.text.split("\n") if "\t" not in ln]
    at = body.index("二、巡察反馈问题整改落实情况") + 1
    for ln in body[:at]:
        doc.add_paragraph(ln)
    table = doc.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    for ln in body[at:]:
        doc.add_paragraph(ln)
    doc.save(path)
    return c
