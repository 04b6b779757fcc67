from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.numerals import date_cn, from_chinese, money_wan, parse_date, to_chinese


@pytest.mark.parametrize("n, text", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (23, "二十三"),
                                     (38, "三十八"), (100, "一百"), (105, "一百零五"), (110, "一百一十"),
                                     (1001, "一千零一")])
def test_chinese_numbers_both_ways(n: int, text: str) -> None:
    assert to_chinese(n) == text
    assert from_chinese(text) == n


def test_from_chinese_refuses_non_numbers() -> None:
    with pytest.raises(ValueError):
        from_chinese("是")
    assert from_chinese("两") == 2 and from_chinese("12") == 12


def test_dates_as_notices_write_them() -> None:
    assert date_cn(dt.date(2024, 6, 6)) == "2024年6月6日"
    assert date_cn(None) == ""


@pytest.mark.parametrize("text, expected", [
    ("2024年6月30日", dt.date(2024, 6, 30)), ("2024.6.30", dt.date(2024, 6, 30)), ("2024-06-30", dt.date(2024, 6, 30)),
    ("2024/6/3", dt.date(2024, 6, 3)), ("20240630", dt.date(2024, 6, 30)), ("2024年6月底", dt.date(2024, 6, 30)),
    ("2024年2月", dt.date(2024, 2, 29)), ("2024年12月", dt.date(2024, 12, 31)), ("长期坚持", None), ("", None)])
def test_parse_date(text: str, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


def test_impossible_date_is_an_error() -> None:
    with pytest.raises(ValueError):
        parse_date("2024年2月30日")


def test_money_keeps_decimals_exactly() -> None:
    assert money_wan(Decimal("27.4930")) == "27.493" and money_wan(Decimal("2.30")) == "2.3"
    assert money_wan(Decimal("12")) == "12"
