"""Facts read from a notice's prose: the opening, the metadata block, the statistics, the contact block."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from app.importing.model import Contact, ParsedNotice, RoundFacts, Statistics
from app.numerals import from_chinese, parse_date

_DATE = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
_MD = r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日?"
_BODY = r"(?:中央|省委|市委|区委|县委|州委|旗委|盟委|自治区党委|[\u4e00-\u9fa5]{0,8}(?:党委|党组|工委))"
_GROUP = r"((?:[\u4e00-\u9fa5]{0,8}?)(?:委|党委|党组)?(?:第[一二三四五六七八九十]+|[一二三四五六七八九十]+)?巡[察视](?:组|工作组)|[\u4e00-\u9fa5]{1,12}巡[察视]组)"
_NUM = r"([0-9]+|[零一二三四五六七八九十百两]+)"

METADATA_KEYS = {"索引号": "index_no", "主题分类": "topic", "发布机构": "publisher", "文号": "doc_no"}


def _num(text: str) -> int:
    return int(text) if text.isdigit() else from_chinese(text)


def _date(y: str | None, m: str, d: str, year_hint: int | None) -> dt.date | None:
    year = int(y) if y else year_hint
    if year is None:
        return None
    try:
        return dt.date(year, int(m), int(d))
    except ValueError:
        return None


_META_KEYS = ("索引号", "主题分类", "发布机构", "成文时间", "成文日期", "文号", "发文时间", "发布日期", "标题", "效力状态",
              "发文机关", "公开方式", "来源", "发文字号", "主题词", "公开时限", "有效性", "生效日期", "信息索引号")
_META = re.compile(r"^[-•·*\s]*([\u4e00-\u9fa5 　]{2,10})\s*[：:]\s*(.*)$")


def metadata_key(line: str) -> str:
    """The field of a metadata line some sites print above the title (`- 索 引 号:…`), or ''."""
    m = _META.match(line)
    if not m:
        return ""
    key = re.sub(r"[ 　]", "", m.group(1))
    return key if key in _META_KEYS else ""


def read_metadata_line(line: str, no: int, facts: RoundFacts, notice: ParsedNotice) -> bool:
    """Read one metadata line (or several fields on one line, apart by spaces) into the facts."""
    pieces = [p for p in re.split(r"\s{2,}|\t", line.strip()) if p]
    if len(pieces) > 1 and all(metadata_key(p) or not _META.match(p) for p in pieces) and metadata_key(pieces[0]):
        for piece in pieces:
            if metadata_key(piece):
                _read_field(piece, no, facts, notice)
        return True
    return _read_field(line, no, facts, notice)


def _read_field(line: str, no: int, facts: RoundFacts, notice: ParsedNotice) -> bool:
    key = metadata_key(line)
    if not key:
        return False
    m = _META.match(line)
    assert m is not None
    value = m.group(2).strip()
    if key in METADATA_KEYS or key == "发文字号":
        setattr(facts, METADATA_KEYS.get(key, "doc_no"), "" if value in ("无", "-", "—") else value)
    elif key == "信息索引号":
        facts.index_no = value
    elif key == "标题":
        facts.title = value
    elif key in ("成文时间", "成文日期"):
        try:
            facts.sign_date = facts.sign_date or parse_date(value)
        except ValueError:
            notice.warn(no, f"成文时间“{value}”不是有效日期。")
    return True


def read_opening(text: str, facts: RoundFacts, line: int, notice: ParsedNotice) -> None:
    """Who inspected whom, when, and when the feedback came (根据…统一部署，…至…，…巡察组对…进行了巡察…)."""
    m = re.search(rf"根据({_BODY})", text)
    if m:
        facts.deciding_body = m.group(1)
    m = re.search(_GROUP, text)
    if m:
        facts.inspection_group = re.sub(r"^.*?部署[，,]?", "", m.group(1))
    if "回头看" in text:
        facts.kind = "巡察“回头看”"
    elif "专项巡察" in text:
        facts.kind = "专项巡察"
    elif "巡视" in text and "巡察" not in text:
        facts.kind = "巡视"
    else:
        facts.kind = "常规巡察"
    m = re.search(rf"{_DATE}\s*(?:至|到|—|-|－)\s*{_MD}", text)
    if m:
        facts.inspection_start = _date(m.group(1), m.group(2), m.group(3), None)
        year = facts.inspection_start.year if facts.inspection_start else None
        facts.inspection_end = _date(m.group(4), m.group(5), m.group(6), year)
        if facts.inspection_start and facts.inspection_end and facts.inspection_end < facts.inspection_start:
            facts.inspection_end = _date(None, m.group(5), m.group(6), (year or 0) + 1)
    elif re.search(r"\d{4}年\d{1,2}月\d{3,4}日", text):
        notice.warn(line, "开头段的日期缺字（如“2020114日”），无法读出巡察起止日期，请手工填写。")
    m = re.search(r"对(.{2,40}?)(?:开展了|进行了|开展|进行)", text)
    if m:
        facts.inspected = m.group(1)
    # Feedback: the last date before 反馈 (the year may be left out: take the inspection's).
    fb = text.find("反馈")
    found = list(re.finditer(_MD, text[:fb])) if fb > 0 else []
    m = found[-1] if found else None
    if m and fb - m.end() <= 40:
        year = facts.inspection_end.year if facts.inspection_end else None
        d = _date(m.group(1), m.group(2), m.group(3), year)
        if d and facts.inspection_end and d < facts.inspection_end and not m.group(1):
            d = _date(None, m.group(2), m.group(3), d.year + 1)
        facts.feedback_date = d
    if facts.inspection_start is None:
        notice.warn(line, "开头段中没有找到巡察起止日期，请在轮次信息中补充。")


def read_statistics(text: str, stats: Statistics) -> None:
    """Figures stated in prose; the first mention of each wins."""
    patterns: list[tuple[str, str]] = [
        ("aspects", rf"{_NUM}\s*个(?:大)?(?:方面|大类)"),
        ("items", rf"{_NUM}\s*(?:个)?(?:大项|项问题)"),
        ("problems", rf"{_NUM}\s*(?:条|个)(?:具体)?问题(?!已|正在|线索)"),
        ("tasks", rf"整改任务\s*{_NUM}\s*(?:个|项|条)"),
        ("measures", rf"整改措施\s*{_NUM}\s*(?:条|项|个)"),
        ("done", rf"(?:{_NUM}\s*个(?:方面)?问题已(?:整改到位|整改完成|完成整改)|已整改完成\s*{_NUM}\s*个)"),
        ("in_progress", rf"{_NUM}\s*个问题正在整改"),
        ("clues_transferred", rf"(?:线索)?移交\s*{_NUM}\s*件"),
        ("clues_closed", rf"办结\s*{_NUM}\s*件"),
        ("clues_in_progress", rf"正在办理\s*{_NUM}\s*件"),
        ("cases_filed", rf"立案\s*{_NUM}\s*人"),
        ("disciplined", rf"党纪政务处分\s*{_NUM}\s*人"),
        ("other_handled", rf"其他方式处理\s*{_NUM}\s*人"),
        ("regulations_new", rf"新(?:制定|建立|出台)(?:制度|文件)?\s*{_NUM}\s*(?:项|个|件)"),
        ("regulations_revised", rf"修(?:订|改)完善(?:制度|文件)?\s*{_NUM}\s*(?:项|个|件)"),
    ]
    for name, pattern in patterns:
        if getattr(stats, name) is None:
            m = re.search(pattern, text)
            if m:
                setattr(stats, name, _num(next(g for g in m.groups() if g)))
    if stats.problems is None:
        m = re.search(rf"反馈问题\s*{_NUM}\s*个", text)
        if m:
            stats.problems = _num(m.group(1))
    for name, pattern in (("recovered_during", r"巡察(?:中|期间)挽回经济损失\s*([0-9.]+)\s*万元"),
                          ("recovered_since", r"巡察以来挽回经济损失\s*([0-9.]+)\s*万元")):
        if getattr(stats, name) is None:
            m = re.search(pattern, text)
            if m:
                setattr(stats, name, Decimal(m.group(1).rstrip(".")))


def read_contact(text: str, contact: Contact) -> None:
    m = re.search(r"(?:电话|联系方式)\s*[：:]?\s*(?:电话)?\s*([0-9０-９][0-9０-９\-－— ]{5,20}[0-9０-９])", text)
    if m:
        contact.phone = m.group(1).strip()
        rest = text[m.end():]
        h = re.match(r"\s*[（(]([^）)]{3,60})[）)]", rest)
        if h:
            contact.hours = h.group(1).strip()
    m = re.search(r"(?:邮政信箱|邮政地址|通信地址|通讯地址|地址)\s*[：:]?\s*([^；;，,。]+?)(?:[，,]\s*邮编|[；;。]|$)", text)
    if m:
        contact.address = m.group(1).strip()
    m = re.search(r"邮(?:政)?编(?:码)?\s*[：:]?\s*(\d{6})", text)
    if m:
        contact.postcode = m.group(1)
    m = re.search(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", text)
    if m:
        contact.email = m.group(0)


def read_disclosure(text: str, facts: RoundFacts) -> None:
    m = re.search(r"公开期限\s*[：:]\s*([^。；;]+)", text)
    if m:
        facts.disclosure_period = m.group(1).strip()
