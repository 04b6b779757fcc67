"""Chinese numerals and dates as notices write them, in one place.

GB/T 9704 7.3.5.4: dates in Arabic numerals, full year, no zero padding
(2024年6月6日). Headings count in Chinese numerals (一、二十三、).
"""
from __future__ import annotations

import datetime as dt
import re

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUE = {c: i for i, c in enumerate(_DIGITS)} | {"〇": 0, "两": 2, "幺": 1}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def to_chinese(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五, 10001 → 一万零一 (as headings count; 0 < n < 10⁸)."""
    if not 0 < n < 100_000_000:
        raise ValueError(f"number out of range for a heading: {n}")
    if n >= 10000:  # a ledger of many years numbers its problems past ten thousand
        high, low = divmod(n, 10000)
        rest = to_chinese(low) if low else ""
        rest = "一" + rest if rest.startswith("十") else rest   # 一万零一十, not 一万零十
        return to_chinese(high) + "万" + ("零" if 0 < low < 1000 else "") + rest
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, value)
        if d:
            if zero:
                parts.append("零")
                zero = False
            parts.append(_DIGITS[d] + unit)
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def from_chinese(text: str) -> int:
    """一 → 1, 十 → 10, 二十三 → 23, 一百零五 → 105; also plain Arabic digits. ValueError if not a number."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _DIGIT_VALUE and c not in _UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, digit = 0, None
    for c in text:
        if c in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[c]
            digit = None
        else:
            digit = _DIGIT_VALUE[c]
    return total + (digit or 0)


def date_cn(d: dt.date | None) -> str:
    """2024年6月6日 (no zero padding); '' for no date."""
    return "" if d is None else f"{d.year}年{d.month}月{d.day}日"


def month_day_cn(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


_DATE_PATTERNS = (
    re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*$"),
    re.compile(r"^\s*(\d{4})\s*[-./／]\s*(\d{1,2})\s*[-./／]\s*(\d{1,2})\s*$"),
    re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$"),
)
_MONTH_END = re.compile(r"^\s*(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*月?\s*(底|末)?\s*$")


def parse_date(text: str) -> dt.date | None:
    """Read a date written as 2024年6月30日, 2024.6.30, 2024-06-30, 2024/6/30 or 20240630.

    `2024年6月` / `2024年6月底` read as the month's last day (offices write deadlines so).
    Returns None for text that is not a date (长期坚持, empty); raises ValueError for an
    impossible date such as 2024年2月30日.
    """
    if not text or not text.strip():
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            return dt.date(y, mo, d)
    m = _MONTH_END.match(text)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return None


def money_wan(value: object) -> str:
    """A Decimal amount of 万元 written without trailing zeros: 2.30 → 2.3, 27.4930 → 27.493."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
