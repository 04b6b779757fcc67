"""Web-page furniture around a notice copied from a portal: recognised, dropped and listed, never kept as text.

Some lines are furniture wherever they stand (打印本页, 发布时间：…, 分享到, font-size widgets); others only
before the title (the portal's banner, 欢迎来到…, breadcrumbs) or after the signature (garbled dates).
"""
from __future__ import annotations

import re

from app.importing.numbering import normalise
from app.numerals import parse_date

_WIDGET = r"(?:我要打印|打印正文|打印本页|打印此页|打印文章|打印|我要收藏|保存本页|关闭窗口|关闭本页|关闭|收藏本页|收藏|分享|返回顶部|返回|顶部|纠错|我要纠错)"
ANYWHERE = re.compile(
    rf"^(?:[【\[]?\s*{_WIDGET}\s*[】\]]?[\s|｜/、]*)+$|"
    r"^[【\[]?\s*(?:扫一扫|微信扫一扫|用手机扫|手机扫码|分享到|分享：|分享:|【?\s*字体|字体\s*[：:]|字号\s*[：:]|【?\s*字号|"
    r"(?:阅读|浏览|点击|访问)(?:数|次数|量)?\s*[：:]\s*\d+\s*次?|主办\s*[：:]|承办\s*[：:]|协办\s*[：:]|网站维护|维护单位|"
    r"浏览次数|浏览量|阅读次数|阅读量|点击数|点击量|点击率|访问量|访问次数|责任编辑|编辑\s*[：:]|审核\s*[：:]|"
    r"发布时间|发布日期|发文日期\s*[：:]\s*\d{4}-|更新时间|信息来源|来源\s*[：:]|文章来源|作者\s*[：:]|"
    r"上一篇|下一篇|上一条|下一条|相关链接|相关文章|相关阅读|网站地图|联系我们|版权所有|主办单位|承办单位|"
    r"技术支持|网站标识码|网站识别码|ICP|京ICP|.{0,4}ICP备|.{0,6}公网安备|视力保护色|无障碍|长者模式|"
    r"当前位置|您现在的位置|你现在的位置|您的位置|所在位置|上一页|下一页|共\d+页|第\d+页)|"
    r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$|"
    r"^\d{4}年\d{1,2}月\d{1,2}日\s+\d{1,2}:\d{2}(?::\d{2})?$|"
    r"^[【\[]?\s*[大中小]\s*[】\]]?(?:\s*[【\[]?\s*[大中小]\s*[】\]]?){1,2}$|"
    r"^(?:[\[【(（]?\s*)?(?:默认|标准|大|中|小)\s*(?:字体|字号)")
# Only before the title: the portal's banner, the welcome line, breadcrumbs and navigation.
BEFORE_TITLE = re.compile(
    r"欢迎(?:来到|访问|光临|进入|您)|门户网站|政府网站|政务公开|信息公开|——|—{1,}\s*\S{0,8}网|"
    r"首页\s*[>＞»›→/|-]|[>＞»›]\s*\S+\s*[>＞»›]|网站首页|^首页$|^导航|^搜索|^登录|^注册|^English$")
_DATEISH = re.compile(r"^[\d\s年月日号.\-/〇零一二三四五六七八九十]{4,16}$")
_CN_DIGIT = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGIT["零"] = "0"


def anywhere(text: str) -> bool:
    return bool(ANYWHERE.match(normalise(text)))


def before_title(text: str) -> bool:
    return anywhere(text) or bool(BEFORE_TITLE.search(normalise(text)))


def date_of(text: str) -> tuple[bool, object]:
    """(looks like a date, the date or None when it is garbled): '202122' → (True, None)."""
    t = normalise(text).strip().strip("（）()").replace(" ", "")
    if not _DATEISH.match(t) or not re.search(r"\d|〇", t):
        return False, None
    t = _cn_date(t)
    try:
        d = parse_date(t)
    except ValueError:
        return True, None
    if d is not None and not re.match(r"^\d{4}(年\d{1,2}月\d{1,2}日|[-/.]\d{1,2}[-/.]\d{1,2}|\d{4})$", t):
        return True, None  # 2021年12月 (a month, not a day): not a 成文日期
    return True, d


def _cn_date(t: str) -> str:
    """二〇二二年一月二十日 → 2022年1月20日; other text unchanged."""
    m = re.match(r"^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日$", t)
    if not m:
        return t
    from app.numerals import from_chinese

    year = "".join(_CN_DIGIT[c] for c in m.group(1))
    return f"{year}年{from_chinese(m.group(2))}月{from_chinese(m.group(3))}日"
