"""The document model between the data and every writer: a plain list of typed blocks.

Writers (Word, PDF) turn blocks into files; they never read the database and never know
the layout styles. Composers (notice, plan, ledger) build blocks from the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Title:
    text: str                 # its lines, joined by '\n' (the composer breaks it at word boundaries)


@dataclass(frozen=True)
class Blank:
    pass


@dataclass(frozen=True)
class Addressee:
    """主送机关 (GB/T 9704 7.3.2): one blank line under the title, flush left (顶格) and flush left again
    when it wraps, ending with a full-width colon (added here when the composer leaves it off)."""

    text: str

    @property
    def line(self) -> str:
        return self.text.strip().rstrip("：:，,。 ") + "："


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: str = ""           # a run-in label such as 整改情况：, set in the body font (bold when asked)
    bold_label: bool = False
    keep_with_next: bool = False  # 问题一：… never stands alone at the foot of a page


@dataclass(frozen=True)
class Heading:
    level: int                # 1 一、 (黑体), 2 （一） (楷体), 3 1. (仿宋), 4 （1） (仿宋)
    prefix: str               # 一、 / （一） / 1. / （1）
    text: str                 # the heading; ends with 。 when body text runs in after it
    body: str = ""            # run-in body text after the heading, in the body font
    outline: str = ""         # bookmark text (PDF outline), empty for none


@dataclass(frozen=True)
class Signature:
    signature: str            # '' when the clerk has given none: nothing is printed in its place
    date: str                 # as printed: 2024年6月6日; '' when there is no 成文日期
    sealed: bool = True       # 加盖印章: date 右空四字, 署名 centred above it; else 7.3.5.2 layout


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class FieldTable:
    """A two-column table of (label, value) rows: the plan's table per problem (Word only)."""

    rows: tuple[tuple[str, str], ...]


Block = Union[Title, Blank, Addressee, Paragraph, Heading, Signature, PageBreak, FieldTable, "DataTable"]  # noqa: UP007 (DataTable: at the end)


@dataclass(frozen=True)
class LayoutOptions:
    page_numbers: str = "outside"      # "outside" (GB/T 9704: odd right, even left) or "centre"
    bold_level3: bool = True           # 1. headings in bold 仿宋 (the common practice)
    mirror_margins: bool = False       # inside 28 mm / outside 26 mm for double-sided printing


@dataclass
class NoticeDocument:
    title: str
    author: str
    subject: str = "巡察整改情况的通报"
    blocks: list[Block] = field(default_factory=list)
    options: LayoutOptions = field(default_factory=LayoutOptions)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def plain_text(self) -> str:
        """The text in reading order (tests and the preview compare with this)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Title):
                out.append(b.text.replace("\n", ""))
            elif isinstance(b, Addressee):
                out.append(b.line)
            elif isinstance(b, Paragraph):
                out.append(b.label + b.text)
            elif isinstance(b, Heading):
                out.append(b.prefix + b.text + b.body)
            elif isinstance(b, Signature):
                out += [b.signature, b.date]
            elif isinstance(b, DataTable):  # a row a line, its cells apart (the plan's measures)
                if b.header:
                    out.append("　".join(c.label for c in b.columns))
                out += ["　".join(r.cells) for r in b.rows]
        return "\n".join(out)


# -- tables with real columns: the ledger (PDF, Word) and the plan ------------------------------------
@dataclass(frozen=True)
class TableColumn:
    label: str
    width: float              # relative; writers scale the columns to the text block
    align: str = "left"       # left | center


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]    # one per column; a spanning row has one
    fill: str = ""            # background RRGGBB, "" for none
    span: bool = False        # one cell across the whole table (a group heading)
    bold: bool = False


@dataclass(frozen=True)
class DataTable:
    """A table with a header row that repeats on every page; rows may break across pages."""

    columns: tuple[TableColumn, ...]
    rows: tuple[TableRow, ...]
    header: bool = True
    header_fill: str = ""
    font_size: float = 0          # 0: the writer's table size
    keep_with_next: bool = False  # the last row stays on the page of what follows (a 署名 after the last table)
    keep_previous: int = 1        # paragraphs just before the table kept on the page of its first rows
