"""A table block (`DataTable`) as a Word table, built as XML in one go.

Real widths in `w:tblGrid` and in every cell's `w:tcW` with a fixed layout, so that Word, WPS and
LibreOffice all draw the columns as intended (python-docx's `add_table` gives every grid column the
same width); borders in the table's own properties (no dependence on a template style); the header
row marked `w:tblHeader`, so it repeats on every page; shading per row; a spanning row as one cell
with `w:gridSpan`. The table goes in before the section properties, in constant time.
"""
from __future__ import annotations

from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from app.exporting.blocks import DataTable, TableRow

MM_TWIPS = 56.6929
TEXT_TWIPS = 8844         # the 156 mm GB/T 9704 text block
CELL_MARGIN = 57          # 1 mm left and right inside each cell, half of it above and below


_CLARK: dict[str, str] = {}


def _q(tag: str) -> str:
    """`w:tc` → `{…main}tc`, worked out once per name (a ledger table has a million elements)."""
    found = _CLARK.get(tag)
    if found is None:
        found = _CLARK[tag] = qn(tag)
    return found


def _el(tag: str, parent: Any = None, **attrs: str) -> Any:
    attrib = {_q("w:" + k): v for k, v in attrs.items()}
    if parent is None:
        el = OxmlElement(tag)
        for k, v in attrib.items():
            el.set(k, v)
        return el
    return etree.SubElement(parent, _q(tag), attrib)


def _borders(parent: Any) -> None:
    b = _el("w:tblBorders", parent)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(f"w:{side}", b, val="single", sz="4", space="0", color="000000")


def column_twips(table: DataTable, width_twips: int) -> list[int]:
    total = sum(c.width for c in table.columns)
    widths = [int(width_twips * c.width / total) for c in table.columns]
    widths[-1] += width_twips - sum(widths)
    return widths


def _cell(tr: Any, text: str, width: int, *, span: int = 1, fill: str = "", style_id: str = "",
          align: str = "left", bold: bool = False, size_half_points: int = 0, keep_next: bool = False) -> None:
    tc = _el("w:tc", tr)
    pr = _el("w:tcPr", tc)
    _el("w:tcW", pr, w=str(width), type="dxa")
    if span > 1:
        _el("w:gridSpan", pr, val=str(span))
    if fill:
        _el("w:shd", pr, val="clear", color="auto", fill=fill)
    for line in text.split("\n"):
        p = _el("w:p", tc)
        ppr = _el("w:pPr", p)
        if style_id:
            _el("w:pStyle", ppr, val=style_id)
        if keep_next:
            _el("w:keepNext", ppr)
        _el("w:snapToGrid", ppr, val="0")   # table lines at their own height, not the page's line grid
        if align == "center":
            _el("w:jc", ppr, val="center")
        if not line:
            continue
        r = _el("w:r", p)
        if bold or size_half_points:
            rpr = _el("w:rPr", r)
            if bold:
                _el("w:b", rpr)
            if size_half_points:
                _el("w:sz", rpr, val=str(size_half_points))
                _el("w:szCs", rpr, val=str(size_half_points))
        t = _el("w:t", r)
        t.text = line
        if line != line.strip():
            t.set(qn("xml:space"), "preserve")


def table_element(table: DataTable, width_twips: int, body_style: str = "", head_style: str = "") -> Any:
    """The `w:tbl` element for `table`, `width_twips` wide; styles are style ids (or '' for none)."""
    widths = column_twips(table, width_twips)
    size = int(table.font_size * 2) if table.font_size else 0
    tbl = _el("w:tbl")
    pr = _el("w:tblPr", tbl)
    _el("w:tblW", pr, w=str(sum(widths)), type="dxa")
    _el("w:jc", pr, val="center")
    _borders(pr)
    _el("w:tblLayout", pr, type="fixed")
    mar = _el("w:tblCellMar", pr)
    _el("w:top", mar, w=str(CELL_MARGIN // 2), type="dxa")
    _el("w:left", mar, w=str(CELL_MARGIN), type="dxa")
    _el("w:bottom", mar, w=str(CELL_MARGIN // 2), type="dxa")
    _el("w:right", mar, w=str(CELL_MARGIN), type="dxa")
    _el("w:tblLook", pr, val="04A0", firstRow="1", lastRow="0", firstColumn="0", lastColumn="0", noHBand="0",
        noVBand="1")
    grid = _el("w:tblGrid", tbl)
    for w in widths:
        _el("w:gridCol", grid, w=str(w))
    if table.header:
        tr = _el("w:tr", tbl)
        trpr = _el("w:trPr", tr)
        _el("w:cantSplit", trpr)
        _el("w:tblHeader", trpr)
        for c, w in zip(table.columns, widths, strict=True):
            _cell(tr, c.label, w, fill=table.header_fill, style_id=head_style, align="center",
                  size_half_points=size, keep_next=not table.rows)
    last = len(table.rows) - 1
    for i, row in enumerate(table.rows):
        keep = table.keep_with_next and i == last
        _row(tbl, row, table, widths, body_style, size, keep)
    return tbl


def _row(tbl: Any, row: TableRow, table: DataTable, widths: list[int], style: str, size: int, keep: bool) -> None:
    tr = _el("w:tr", tbl)
    if keep or row.span:  # a group heading or the row before a 署名 is never split
        _el("w:cantSplit", _el("w:trPr", tr))
    if row.span:
        _cell(tr, row.cells[0], sum(widths), span=len(widths), fill=row.fill, style_id=style, bold=row.bold,
              size_half_points=size, keep_next=True)
        return
    for text, col, w in zip(row.cells, table.columns, widths, strict=True):
        _cell(tr, text, w, fill=row.fill, style_id=style, align=col.align, size_half_points=size, keep_next=keep)


def append_table(body: Any, table: DataTable, width_twips: int, body_style: str = "", head_style: str = "") -> Any:
    """Put the table at the end of the document body (before its section properties); the paragraphs
    just before it (`keep_previous`) stay on the same page as the table's first rows."""
    tbl = table_element(table, width_twips, body_style, head_style)
    sect = body[-1] if len(body) else None   # the section properties close the body: no search
    if sect is not None and sect.tag == qn("w:sectPr"):
        sect.addprevious(tbl)
    else:
        body.append(tbl)
    prev = tbl.getprevious()
    for _ in range(table.keep_previous):
        if prev is None or prev.tag != qn("w:p"):
            break
        ppr = prev.find(qn("w:pPr"))
        if ppr is None:
            ppr = _el("w:pPr")
            prev.insert(0, ppr)
        if ppr.find(qn("w:keepNext")) is None:
            keep = _el("w:keepNext")
            style = ppr.find(qn("w:pStyle"))
            if style is not None:
                style.addnext(keep)
            else:
                ppr.insert(0, keep)
        prev = prev.getprevious()
    return tbl
