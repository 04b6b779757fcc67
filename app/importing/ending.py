"""The end of a notice: furniture after it, the 成文日期, the 署名 and the closing (supervision, contact).

Nothing is invented: a missing or garbled date is a warning at its line and stays empty; the 署名 comes
from the last lines, or else from the unit that opens the title ("中共XX局党组关于…").
"""
from __future__ import annotations

import datetime as dt
import re

from app.importing import facts as F
from app.importing import furniture
from app.importing.head import unit_from_title
from app.importing.lines import Line, is_anchor
from app.importing.model import ParsedNotice
from app.importing.numbering import normalise
from app.numerals import date_cn

CLOSING = re.compile(r"^(?:欢迎|如有意见|联系方式|联系电话|监督电话|举报电话|联系人|联系地址|通信地址|通讯地址|邮政地址|"
                     r"邮寄地址|来信地址|地址|邮编|邮政编码|电子邮箱|电子信箱|邮箱|公开期限|受理时间|接待时间|来信来访|"
                     r"电话|传真|网址)")
ORG = re.compile(r"(?:党组|党委|委员会|党工委|工委|党总支|总支部|党支部|支部委员会|纪委|监委|政府|法院|检察院|局|办公室|"
                 r"中心|公司|学校|大学|学院|医院|街道|镇|乡|管委会|领导小组)$")
NOTE = re.compile(r"^[（(](?:此件|本件|此页)[^）)]{0,20}[）)]$")
TRAILING_DATE = re.compile(r"^(.{2,40}?)\s+((?:\d{4}|[〇零一二三四五六七八九]{4})\s*年.{2,8}日)$")


def read_ending(lines: list[Line], notice: ParsedNotice) -> list[Line]:
    """Reads the tail into the facts; returns the lines before the closing paragraphs."""
    facts = notice.facts
    end = len(lines)
    tail: list[tuple[Line, bool, dt.date | None]] = []   # after the signature: (line, looks like a date, date)
    while end > 0 and len(tail) < 10:
        ln = lines[end - 1]
        looks, d = furniture.date_of(ln.text)
        if looks or furniture.anywhere(ln.text) or NOTE.match(ln.text) or (tail and furniture.before_title(ln.text)):
            tail.insert(0, (ln, looks, d if isinstance(d, dt.date) else None))
            end -= 1
            continue
        break
    date_at = next((i for i, (_ln, looks, _d) in enumerate(tail) if looks), None)
    for i, (ln, _looks, _d) in enumerate(tail):
        if i != date_at:
            notice.dropped.append((ln.no, ln.text))
    found_date = date_at is not None
    if date_at is not None:
        ln, _looks, d = tail[date_at]
        facts.sign_date = d
        if d is None:
            notice.dropped.append((ln.no, ln.text))
            under = notice.date_under_title
            hint = f"（标题下注明的日期是{date_cn(under[1])}）" if under else ""
            notice.warn(ln.no, f"成文日期“{ln.text}”缺字或无法识别，已留空，请填写{hint}。")
    if end > 0:
        ln = lines[end - 1]
        text = normalise(ln.text)
        m = TRAILING_DATE.match(text)
        if m and not found_date:  # "中共XX局党组 2022年1月20日" on one line
            _looks, d = furniture.date_of(m.group(2))
            if isinstance(d, dt.date):
                facts.sign_date, found_date, text = d, True, m.group(1).strip()
        if _is_signature(text, ln, found_date):
            facts.signature = text
            end -= 1
    if not found_date:
        facts.sign_date = notice.date_under_title[1] if notice.date_under_title else None
        if facts.sign_date is None:
            notice.warn(lines[end - 1].no if end else 0, "末尾没有找到成文日期，已留空，请在“通报文本”中填写。")
    if not facts.signature:
        unit = unit_from_title(facts.title)
        if unit:
            facts.signature = unit
            notice.warn(notice.title_line, f"末尾没有署名，署名取自标题中的单位“{unit}”，请核对。")
        else:
            notice.warn(lines[end - 1].no if end else 0, "末尾没有找到署名，已留空，请在“通报文本”中填写。")
    start = end
    while start > 0 and CLOSING.match(lines[start - 1].text) and lines[start - 1].num is None \
            and not is_anchor(lines[start - 1]):
        start -= 1
    closing = [ln.text for ln in lines[start:end]]
    notice.contact_paragraph = "\n".join(closing)
    joined = normalise("".join(closing))
    F.read_contact(joined, facts.contact)
    F.read_disclosure(joined, facts)
    return lines[:start]


def _is_signature(text: str, ln: Line, after_date: bool) -> bool:
    if not text or len(text) > 40 or "。" in text or ln.num is not None or is_anchor(ln) or CLOSING.match(text):
        return False
    if re.search(r"[：:；;，,]", text):
        return False
    return after_date or bool(ORG.search(text))
