"""NoticeDocument → .docx in GB/T 9704-2012 format, with real named styles an office can restyle.

Techniques as verified in shared/specs/gbt9704.md §6: A4 37/35/28/26 mm, a line grid of 579 twips
(28.95 pt, 22 lines), −0.25 pt character spacing in the body style (28 characters), East Asian
fonts set on w:rFonts with theme attributes removed, odd/even footers with a PAGE field.
"""
from __future__ import annotations

from pathlib import Path
from typing import cast

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from app.exporting.atomic import atomic_write
from app.exporting.blocks import (
    Addressee,
    Blank,
    DataTable,
    FieldTable,
    Heading,
    NoticeDocument,
    PageBreak,
    Paragraph,
    Signature,
    Title,
)
from app.exporting.docx_props import set_document_properties
from app.exporting.docx_tables import TEXT_TWIPS, append_table

W_P, W_PPR, W_PSTYLE, W_KEEP_NEXT, W_IND = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:keepNext"), qn("w:ind")
W_R, W_RPR, W_RSTYLE, W_T, W_VAL = qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:t"), qn("w:val")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
LINE_TWIPS = 579            # 28.95 pt: 22 lines in the 225 mm text block
CHAR_PT = 16.0
FONT_BODY, FONT_HEI, FONT_KAI, FONT_TITLE, FONT_SONG = "仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"
LATIN = "Times New Roman"

STYLE_BODY = "公文正文"
STYLE_TITLE = "公文标题"
STYLE_ADDRESSEE = "公文主送机关"
STYLE_H = {1: "公文一级标题", 2: "公文二级标题", 3: "公文三级标题", 4: "公文四级标题"}
STYLE_SIGN = "公文署名"
STYLE_DATE = "公文成文日期"
STYLE_FOOTER = "公文页码"
STYLE_TABLE = "公文表格文字"
STYLE_TABLE_HEAD = "公文表格栏目"
CHAR_BODY = "公文正文字符"
CHAR_LABEL = "公文标签字符"

# pPr children must follow the schema order or Word reports the file as damaged.
PPR_AFTER_SPACING = ("w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                     "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                     "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
RPR_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                     "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                     "w:eastAsianLayout", "w:specVanish", "w:oMath")


def set_fonts(element: object, east: str, latin: str = LATIN) -> object:
    """Name the East Asian and Latin fonts on a style or run; theme attributes would override them."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.get_or_add_rFonts()
    for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn("w:" + a), None)
    for a, v in (("ascii", latin), ("hAnsi", latin), ("eastAsia", east), ("cs", latin)):
        rfonts.set(qn("w:" + a), v)
    return rpr


def _char_spacing(rpr: object, twentieths: int) -> None:
    old = rpr.find(qn("w:spacing"))  # type: ignore[attr-defined]
    if old is not None:
        rpr.remove(old)  # type: ignore[attr-defined]
    sp = OxmlElement("w:spacing")
    sp.set(qn("w:val"), str(twentieths))
    rpr.insert_element_before(sp, *RPR_AFTER_SPACING)  # type: ignore[attr-defined]


def _ppr_child(ppr: object, tag: str, attrs: dict[str, str], following: tuple[str, ...]) -> None:
    old = ppr.find(qn(tag))  # type: ignore[attr-defined]
    if old is not None:
        ppr.remove(old)  # type: ignore[attr-defined]
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k), v)
    ppr.insert_element_before(el, *following)  # type: ignore[attr-defined]


def _indent(ppr: object, *, first_chars: int = 0, left_chars: int = 0, right_chars: int = 0) -> None:
    ind = ppr.get_or_add_ind()  # type: ignore[attr-defined]
    for name in list(ind.attrib):
        del ind.attrib[name]
    if first_chars:
        ind.set(qn("w:firstLineChars"), str(first_chars))
        ind.set(qn("w:firstLine"), str(int(first_chars / 100 * CHAR_PT * 20)))
    if left_chars:
        ind.set(qn("w:leftChars"), str(left_chars))
        ind.set(qn("w:left"), str(int(left_chars / 100 * CHAR_PT * 20)))
    if right_chars:
        ind.set(qn("w:rightChars"), str(right_chars))
        ind.set(qn("w:right"), str(int(right_chars / 100 * CHAR_PT * 20)))


class DocxWriter:
    def __init__(self, notice: NoticeDocument) -> None:
        self.notice = notice
        self.doc = Document()

    # -- page and styles -----------------------------------------------------------------
    def _setup(self) -> None:
        doc, opts = self.doc, self.notice.options
        sec = doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
        sec.footer_distance = Mm(25)
        grid = sec._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sec._sectPr.append(grid)
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(LINE_TWIPS))
        settings = doc.settings.element
        if opts.mirror_margins:
            settings.insert(0, OxmlElement("w:mirrorMargins"))
        doc.settings.odd_and_even_pages_header_footer = opts.page_numbers == "outside"
        set_document_properties(doc, title=self.notice.title, author=self.notice.author, subject=self.notice.subject)

        # docDefaults: no theme fonts, Chinese language, 16 pt, no paragraph spacing.
        styles = doc.styles.element
        rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        rf = rpr_default.find(qn("w:rFonts"))
        for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rf.attrib.pop(qn("w:" + a), None)
        for a, v in (("ascii", LATIN), ("hAnsi", LATIN), ("eastAsia", FONT_BODY), ("cs", LATIN)):
            rf.set(qn("w:" + a), v)
        lang = rpr_default.find(qn("w:lang"))
        if lang is not None:
            lang.set(qn("w:eastAsia"), "zh-CN")
        ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault"))
        if ppr_default is not None:
            sp = ppr_default.find(qn("w:pPr")).find(qn("w:spacing"))
            if sp is not None:
                sp.attrib.clear()
                sp.set(qn("w:after"), "0")

        normal = doc.styles["Normal"]
        self._style_font(normal, FONT_BODY, CHAR_PT)
        _char_spacing(normal.element.get_or_add_rPr(), -5)   # −0.25 pt: 28 characters a line
        pf = normal.paragraph_format
        pf.space_before = pf.space_after = Pt(0)
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Twips(LINE_TWIPS)
        pf.widow_control = True
        ppr = normal.element.get_or_add_pPr()
        # w:autoSpaceDE/DN stay on (Word's default): Word, like LibreOffice (which ignores them) and the PDF,
        # sets a little space between Chinese characters and Latin letters or digits.
        # No ，。 hanging in the margin: the line-break rules push a character down instead, as the PDF does.
        # LibreOffice reads w:overflowPunct inverted (writerfilter sets ParaIsHangingPunctuation to
        # val == 0), so "1" is what keeps its rendering inside the 版心; Word's own default hangs them too.
        _ppr_child(ppr, "w:overflowPunct", {"w:val": "1"}, ("w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
                                                             "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                                                             "w:spacing", "w:ind") + PPR_AFTER_SPACING)

        body = self._paragraph_style(STYLE_BODY, FONT_BODY)
        _indent(body.element.get_or_add_pPr(), first_chars=200)
        body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        for level, font in ((1, FONT_HEI), (2, FONT_KAI), (3, FONT_BODY), (4, FONT_BODY)):
            st = self._paragraph_style(STYLE_H[level], font, base=STYLE_BODY)
            st.font.bold = level == 3 and self.notice.options.bold_level3
            st.paragraph_format.keep_with_next = True
            _ppr_child(st.element.get_or_add_pPr(), "w:outlineLvl", {"w:val": str(level - 1)},
                       PPR_AFTER_SPACING[PPR_AFTER_SPACING.index("w:outlineLvl") + 1:])
        title = self._paragraph_style(STYLE_TITLE, FONT_TITLE, size=22)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.keep_with_next = True   # the title's lines stay together, with the text
        title_ppr = title.element.get_or_add_pPr()
        _indent(title_ppr)
        _ppr_child(title_ppr, "w:snapToGrid", {"w:val": "0"}, ("w:spacing", "w:ind") + PPR_AFTER_SPACING)
        _char_spacing(title.element.get_or_add_rPr(), 0)
        # 主送机关: 顶格, and 顶格 again when it wraps (no first-line indent, unlike the body)
        addressee = self._paragraph_style(STYLE_ADDRESSEE, FONT_BODY)
        addressee.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        addressee.paragraph_format.keep_with_next = True
        _indent(addressee.element.get_or_add_pPr())
        for name, align in ((STYLE_SIGN, WD_ALIGN_PARAGRAPH.RIGHT), (STYLE_DATE, WD_ALIGN_PARAGRAPH.RIGHT)):
            st = self._paragraph_style(name, FONT_BODY)
            st.paragraph_format.alignment = align
            st.paragraph_format.keep_with_next = name == STYLE_SIGN
        footer = self._paragraph_style(STYLE_FOOTER, FONT_SONG, size=14, latin=FONT_SONG)
        fppr = footer.element.get_or_add_pPr()
        _ppr_child(fppr, "w:snapToGrid", {"w:val": "0"}, ("w:spacing", "w:ind") + PPR_AFTER_SPACING)
        footer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        _char_spacing(footer.element.get_or_add_rPr(), 0)
        for name, font in ((STYLE_TABLE, FONT_BODY), (STYLE_TABLE_HEAD, FONT_HEI)):
            st = self._paragraph_style(name, font, size=14)
            st.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _indent(st.element.get_or_add_pPr())
            _char_spacing(st.element.get_or_add_rPr(), 0)
        char_body = doc.styles.add_style(CHAR_BODY, WD_STYLE_TYPE.CHARACTER)
        set_fonts(char_body.element, FONT_BODY)
        char_body.font.bold = False
        char_body.font.size = Pt(CHAR_PT)
        label = doc.styles.add_style(CHAR_LABEL, WD_STYLE_TYPE.CHARACTER)
        set_fonts(label.element, FONT_BODY)
        label.font.bold = True
        label.font.size = Pt(CHAR_PT)

    @staticmethod
    def _style_font(style: BaseStyle, east: str, size: float, latin: str = LATIN) -> None:
        style.font.size = Pt(size)  # type: ignore[attr-defined]
        set_fonts(style.element, east, latin)

    def _paragraph_style(self, name: str, east: str, size: float = CHAR_PT, base: str = "Normal",
                         latin: str = LATIN) -> ParagraphStyle:
        st = cast(ParagraphStyle, self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH))
        st.base_style = self.doc.styles[base]
        st.quick_style = True
        self._style_font(st, east, size, latin)
        return st

    # -- footers -------------------------------------------------------------------------------
    def _footers(self) -> None:
        sec = self.doc.sections[0]
        outside = self.notice.options.page_numbers == "outside"
        footers = [(sec.footer, "right" if outside else "center")]
        if outside:
            footers.append((sec.even_page_footer, "left"))
        for footer, side in footers:
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
            p.style = self.doc.styles[STYLE_FOOTER]
            p.alignment = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "left": WD_ALIGN_PARAGRAPH.LEFT,
                           "center": WD_ALIGN_PARAGRAPH.CENTER}[side]
            ind = p._p.get_or_add_pPr().get_or_add_ind()
            if side != "center":  # one 4号 character from the text block's edge
                ind.set(qn(f"w:{side}Chars"), "100")
                ind.set(qn(f"w:{side}"), "280")
            p.add_run("\u2014 ")
            self._field(p, "PAGE")
            p.add_run(" \u2014")

    @staticmethod
    def _field(p: DocxParagraph, instr: str) -> None:
        for kind, text in (("begin", None), ("instr", f" {instr} "), ("separate", None), ("cached", "1"),
                           ("end", None)):
            run = p.add_run()
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            elif kind == "cached":
                run.text = text or ""
                continue
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)

    # -- blocks ---------------------------------------------------------------------------------
    def _p(self, style: str, *runs: tuple[str, str | None], keep: bool | None = None,
           right_chars: float = 0.0) -> etree._Element:
        """A paragraph appended before the section properties: constant time whatever the length."""
        p = etree.Element(W_P)
        ppr = etree.SubElement(p, W_PPR)
        etree.SubElement(ppr, W_PSTYLE).set(W_VAL, self.ids[style])
        if keep is not None:
            etree.SubElement(ppr, W_KEEP_NEXT).set(W_VAL, "1" if keep else "0")
        if right_chars:
            ind = etree.SubElement(ppr, W_IND)
            ind.set(qn("w:rightChars"), str(round(right_chars * 100)))
            ind.set(qn("w:right"), str(round(right_chars * CHAR_PT * 20)))
        for text, char_style in runs:
            if not text:
                continue
            r = etree.SubElement(p, W_R)
            if char_style:
                etree.SubElement(etree.SubElement(r, W_RPR), W_RSTYLE).set(W_VAL, self.ids[char_style])
            t = etree.SubElement(r, W_T)
            t.text = text
            t.set(XML_SPACE, "preserve")
        self._sect.addprevious(p)
        self._last = p
        return p

    def write(self, path: Path | str) -> Path:
        self._setup()
        self._footers()
        body = self.doc.element.body
        for child in list(body):  # the template's empty paragraph
            if child.tag == W_P and not "".join(child.itertext()).strip():
                body.remove(child)
        self._sect = body.find(qn("w:sectPr"))
        self.ids = {name: self.doc.styles[name].style_id for name in (
            STYLE_BODY, STYLE_TITLE, STYLE_ADDRESSEE, STYLE_SIGN, STYLE_DATE, CHAR_BODY, CHAR_LABEL, *STYLE_H.values())}
        for block in self.notice.blocks:
            if isinstance(block, Title):
                for line in block.text.split("\n"):
                    self._p(STYLE_TITLE, (line, None))
            elif isinstance(block, Blank):
                self._p(STYLE_BODY)
            elif isinstance(block, Addressee):
                self._p(STYLE_ADDRESSEE, (block.line, None))
            elif isinstance(block, Heading):
                # A run-in heading is a paragraph of text: chaining it to the next one would push
                # whole runs of such paragraphs onto the next page.
                self._p(STYLE_H[block.level], (block.prefix + block.text, None), (block.body, CHAR_BODY),
                        keep=False if block.body else None)
            elif isinstance(block, Paragraph):
                self._p(STYLE_BODY, (block.label, CHAR_LABEL if block.bold_label else None), (block.text, None),
                        keep=True if block.keep_with_next else None)
            elif isinstance(block, Signature):
                self._signature(block)
            elif isinstance(block, PageBreak):
                p = self._p(STYLE_BODY)
                etree.SubElement(etree.SubElement(p, W_R), qn("w:br")).set(qn("w:type"), "page")
            elif isinstance(block, FieldTable):
                self._table(block)
            elif isinstance(block, DataTable):
                append_table(body, block, TEXT_TWIPS, STYLE_TABLE, STYLE_TABLE_HEAD)
        return atomic_write(path, self.doc.save, ".docx")

    def _table(self, t: FieldTable) -> None:
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, value in t.rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(28), Mm(128)
            for cell, text, style in ((cells[0], label, STYLE_TABLE_HEAD), (cells[1], value, STYLE_TABLE)):
                lines = text.split("\n") or [""]
                cell.paragraphs[0].style = self.doc.styles[style]
                cell.paragraphs[0].add_run(lines[0])
                for more in lines[1:]:
                    cell.add_paragraph(more, style=self.doc.styles[STYLE_TABLE])
        self._p(STYLE_BODY)

    def _signature(self, s: Signature) -> None:
        w_sign, w_date = _width(s.signature), _width(s.date)
        last = getattr(self, "_last", None)
        if last is not None:  # the 署名 never stands alone on a page: the last text goes with it
            _keep(last)
        for _ in range(2 if s.sealed else 1):  # room for the seal; one blank line without it
            self._p(STYLE_BODY, keep=True)
        if s.sealed:  # 7.3.5.1: date 右空四字, 署名 centred on the date
            sign_right, date_right = 4 + (w_date - w_sign) / 2, 4.0
        else:          # 7.3.5.2: 署名 右空二字, date two characters further right
            sign_right, date_right = 2.0, w_sign - w_date
            if date_right < 2:
                date_right, sign_right = 2.0, w_date - w_sign + 4
        if s.signature:
            self._p(STYLE_SIGN, (s.signature, None), keep=bool(s.date), right_chars=max(0.0, sign_right))
        if s.date:
            self._p(STYLE_DATE, (s.date, None), right_chars=max(0.0, date_right))


def _keep(p: etree._Element) -> None:
    """Set keepNext on a paragraph built by `_p` (its pStyle comes first, keepNext right after)."""
    ppr = p.find(W_PPR)
    old = ppr.find(W_KEEP_NEXT)
    if old is None:
        old = etree.Element(W_KEEP_NEXT)
        ppr.find(W_PSTYLE).addnext(old)
    old.set(W_VAL, "1")


def _width(text: str) -> float:
    """Width in 16 pt characters: half-width digits and Latin count half."""
    return sum(0.5 if ord(c) < 0x2000 else 1.0 for c in text)


def write_docx(notice: NoticeDocument, path: Path | str) -> Path:
    return DocxWriter(notice).write(path)
