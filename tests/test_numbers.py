"""Table tests for the number grammar (numbers.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.numbers import NumberError, multiplier_value, parse_arabic, parse_chinese, to_chinese


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("一万二千三百", "12300", id="wan-qian-bai"),
        pytest.param("两千", "2000", id="liang-for-two"),
        pytest.param("三十六点五", "36.5", id="decimal-dian"),
        pytest.param("十二亿", "1200000000", id="shi-er-yi"),
        pytest.param("零点五", "0.5", id="zero-point-five"),
        pytest.param("〇", "0", id="ling-circle"),
        pytest.param("十", "10", id="bare-ten"),
        pytest.param("十五", "15", id="shi-wu"),
        pytest.param("一百零五", "105", id="zero-inside"),
        pytest.param("三千零五十", "3050", id="zero-before-tens"),
        pytest.param("一万五", "15000", id="elided-tail-wan"),
        pytest.param("三千五", "3500", id="elided-tail-qian"),
        pytest.param("二〇二五", "2025", id="digit-by-digit"),
        pytest.param("3万亿", "3000000000000", id="arabic-wan-yi"),
        pytest.param("1.1万", "11000", id="arabic-decimal-wan"),
        pytest.param("100万三千", "1003000", id="arabic-then-chinese"),
        pytest.param("7千亿", "700000000000", id="qian-yi"),
    ],
)
def test_parse_chinese(text: str, expected: str) -> None:
    assert parse_chinese(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("1,723", "1723", id="thousands-separator"),
        pytest.param("8641.70", "8641.70", id="trailing-zero-kept"),
        pytest.param("36.5", "36.5", id="decimal"),
    ],
)
def test_parse_arabic(text: str, expected: str) -> None:
    assert parse_arabic(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", "1", id="none"),
        pytest.param("万", "10000", id="wan"),
        pytest.param("亿", "100000000", id="yi"),
        pytest.param("万亿", "1000000000000", id="wan-yi"),
        pytest.param("千亿", "100000000000", id="qian-yi"),
        pytest.param("百万", "1000000", id="bai-wan"),
    ],
)
def test_multiplier_value(text: str, expected: str) -> None:
    assert multiplier_value(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        pytest.param(multiplier_value, "万x", id="not-a-multiplier"),
        pytest.param(parse_chinese, "三x", id="not-a-numeral"),
        pytest.param(parse_chinese, "", id="empty"),
    ],
)
def test_bad_numerals_raise(parse: Callable[[str], Decimal], text: str) -> None:
    with pytest.raises(NumberError):
        parse(text)


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_chinese_numeral_round_trip(value: int) -> None:
    assert parse_chinese(to_chinese(value)) == value
