"""The composed ledger as a landscape Word table: title, note, the table (header row repeated on every
page, real column widths, 三色 shading), page numbers in the footer."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.exporting.atomic import atomic_write
from app.exporting.compose_ledger import LedgerSheet, print_table
from app.exporting.docx_props import set_document_properties
from app.exporting.docx_tables import MM_TWIPS, append_table
from app.exporting.docx_writer import set_fonts
from app.numerals import date_cn

PPR_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                       "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                       "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
                       "w:pPrChange")
PAGE_W, PAGE_H, MARGIN = 297, 210, 15
TEXT, HEAD, TITLE = "仿宋_GB2312", "黑体", "方正小标宋简体"


def _style(doc: Any, name: str, east: str, size: float, align: Any = None) -> str:
    st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = doc.styles["Normal"]
    st.font.size = Pt(size)
    set_fonts(st.element, east)
    pf = st.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if align is not None:
        pf.alignment = align
    return str(st.style_id)


def _field(p: Any, instr: str) -> None:
    for kind in ("begin", "instr", "separate", "end"):
        r = OxmlElement("w:r")
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instr} "
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r.append(el)
        p._p.append(r)
        if kind == "separate":
            cached = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = "1"
            cached.append(t)
            p._p.append(cached)


def write_ledger_docx(sheet: LedgerSheet, path: Path | str) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(PAGE_W), Mm(PAGE_H)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(MARGIN))
    sec.footer_distance = Mm(7)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.remove(rpr.find(qn("w:rFonts")))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")   # Chinese typography: no space added between 年 and digits
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.attrib.clear()
    spacing.set(qn("w:after"), "0")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    set_fonts(normal.element, TEXT)
    ppr = normal.element.get_or_add_pPr()
    for tag in ("w:autoSpaceDE", "w:autoSpaceDN"):  # no extra space between Chinese and digits (2026年10月28日)
        el = OxmlElement(tag)
        el.set(qn("w:val"), "0")
        ppr.insert_element_before(el, *PPR_AFTER_AUTOSPACE)
    _style(doc, "台账标题", TITLE, 18, WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "台账说明", TEXT, 12)
    cell = _style(doc, "台账表格文字", TEXT, 10)
    head = _style(doc, "台账表格栏目", HEAD, 10, WD_ALIGN_PARAGRAPH.CENTER)
    _style(doc, "台账页码", "宋体", 10.5, WD_ALIGN_PARAGRAPH.CENTER)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    doc.add_paragraph(sheet.title, style=doc.styles["台账标题"])
    doc.add_paragraph(f"单位：{sheet.unit}　　统计日期：{date_cn(sheet.as_of)}", style=doc.styles["台账说明"])
    append_table(body, print_table(sheet), int((PAGE_W - 2 * MARGIN) * MM_TWIPS), cell, head)
    f = sec.footer.paragraphs[0]
    f.style = doc.styles["台账页码"]
    f.add_run("第 ")
    _field(f, "PAGE")
    f.add_run(" 页，共 ")
    _field(f, "NUMPAGES")
    f.add_run(" 页")
    set_document_properties(doc, title=sheet.title, author=sheet.unit, subject="整改台账")
    return atomic_write(path, doc.save, ".docx")
