"""The head of a notice: the metadata block, web-page furniture, the title (found by its shape) and the opening.

The title is the line shaped like a notice title ("…关于…的通报", "…整改情况的报告", "…整改进展情况")
wherever it stands; what stands before it is the portal's furniture, dropped and listed.
"""
from __future__ import annotations

import datetime as dt
import re

from app.importing import facts as F
from app.importing import furniture
from app.importing.lines import Line, is_anchor
from app.importing.model import ParsedNotice

TITLE = re.compile(
    r"(?:关于.{2,}?(?:的)?(?:通报|报告|情况|公告|公示|说明|意见|通知)|"
    r"整改(?:落实|工作)?(?:进展|推进)?情况(?:的)?(?:通报|报告|公告|公示)?|整改进展情况|整改情况通报|反馈意见|"
    r"巡[察视].{0,30}(?:通报|报告|公告|公示))$")
OPENING = re.compile(r"^(?:根据|按照|依据|遵照|为深入|为认真|为进一步|\d{4}年\d{1,2}月)")
# The unit that issues a notice, where its title begins with it: "中共XX局党组关于…".
TITLE_UNIT = re.compile(
    r"^(.{2,40}?(?:党组|党委|委员会|党工委|工委|党总支|总支部|党支部|纪委|监委|政府|人民法院|人民检察院|局|办公室|中心|公司|"
    r"学校|大学|学院|医院|街道|镇|乡|管委会))(?:关于|巡察|巡视)")


def is_title(text: str) -> bool:
    t = text.strip().rstrip("。")
    return 6 <= len(t) <= 120 and "。" not in t and not OPENING.match(t) and bool(TITLE.search(t))


def is_opening(line: Line) -> bool:
    t = line.text
    if line.num is not None or is_title(t) or furniture.anywhere(t):
        return False
    return bool(OPENING.match(t)) or (("巡察" in t or "巡视" in t) and len(t) > 40 and re.search(r"[，,。]", t) is not None)


def read_head(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    """Facts and furniture before the body; returns the lines from the first part heading (or problem) on."""
    facts = notice.facts
    limit = min(len(lines), 40)
    opening_at = next((i for i in range(limit) if is_opening(lines[i])), None)
    search_end = opening_at if opening_at is not None else next(
        (i for i in range(limit) if lines[i].num is not None or is_anchor(lines[i])), limit)
    titles = [i for i in range(search_end)
              if is_title(lines[i].text) and lines[i].num is None and not F.metadata_key(lines[i].text)]
    title_at: int | None = titles[-1] if titles else None
    if title_at is None and search_end > 0:
        # No title-shaped line: the last short line before the body that is neither furniture nor metadata.
        for i in range(search_end - 1, -1, -1):
            t = lines[i].text
            if not furniture.before_title(t) and not F.metadata_key(t) and len(t) <= 80 and "。" not in t:
                title_at = i
                break
    start = 0
    for i in range(title_at if title_at is not None else search_end):
        _head_line(lines[i], notice)
    if title_at is not None:
        title_lines = [lines[title_at]]
        # A long title broken over two lines: "中共XX局党组关于…" / "…整改情况的通报", or "中共XX局党组" / "关于…".
        if title_at > 0 and (title_at - 1) not in titles:
            prev, this = lines[title_at - 1], lines[title_at].text
            head_part = "关于" in prev.text and "关于" not in this
            unit_part = this.startswith("关于") and bool(TITLE_UNIT.match(prev.text + "关于"))
            if (head_part or unit_part) and "。" not in prev.text and prev.num is None and len(prev.text) <= 60 \
                    and not furniture.anywhere(prev.text) and (prev.no, prev.text) in notice.dropped:
                notice.dropped.remove((prev.no, prev.text))
                title_lines.insert(0, prev)
        text = "".join(ln.text for ln in title_lines)
        if facts.title and facts.title != text:
            notice.warn(lines[title_at].no, "标题与网页信息栏中的标题不一致，已采用正文中的标题。")
        facts.title = text
        notice.title_line = title_lines[0].no
        start = title_at + 1
    elif not facts.title:
        notice.warn(lines[0].no if lines else 0, "没有找到通报标题（如“……关于……整改情况的通报”），请在“通报文本”中填写。")
    else:
        start = search_end
    # Between the title and the body: furniture (发布时间, 来源 …) and the opening paragraphs.
    opening: list[Line] = []
    i = start
    while i < len(lines) and lines[i].num is None and not is_anchor(lines[i]):
        ln = lines[i]
        if not opening and F.metadata_key(ln.text):
            _head_line(ln, notice)          # 索引号, 发布机构 … printed under the title
        elif (not opening and furniture.before_title(ln.text)) or furniture.anywhere(ln.text):
            notice.dropped.append((ln.no, ln.text))
        elif not opening and furniture.date_of(ln.text)[0]:
            _date_under_title(ln, notice)
        else:
            opening.append(ln)  # the opening; a subtitle or the unit's name under the title stays text too
        i += 1
    if opening:
        notice.opening = "\n".join(ln.text for ln in opening)
        first = next((ln for ln in opening if is_opening(ln)), opening[0])
        F.read_opening("".join(ln.text for ln in opening), facts, first.no, notice)
    else:
        notice.warn(lines[i].no if i < len(lines) else 0, "没有找到开头段（“根据……统一部署……”），请在“通报文本”中补写。")
    return lines[i:]


def _head_line(ln: Line, notice: ParsedNotice) -> None:
    """A line above the title: a metadata field (read into the facts) or furniture; either way listed."""
    F.read_metadata_line(ln.text, ln.no, notice.facts, notice)
    notice.dropped.append((ln.no, ln.text))


def _date_under_title(ln: Line, notice: ParsedNotice) -> None:
    """"（2022年1月20日）" under the title: the notice's date where its end has none."""
    _looks, d = furniture.date_of(ln.text)
    if isinstance(d, dt.date):
        notice.date_under_title = (ln.no, d)
    else:
        notice.dropped.append((ln.no, ln.text))
        notice.warn(ln.no, f"标题下的日期“{ln.text}”缺字，无法确定是哪一天，请核对。")


def unit_from_title(title: str) -> str:
    m = TITLE_UNIT.match(title.strip())
    return m.group(1) if m else ""
