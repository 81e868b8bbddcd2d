"""Approximate multiples (2倍多, 翻了一番多) and amounts in 元, 角 and 分.

Rows are sentences written for these tests:
(sentence, [(mention, normalized_value, base_unit, comparator), ...]).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text

ROWS = [
    pytest.param("出口额增长2倍多。", [("2倍多", "2", "倍", ">")], id="bei-duo"),
    pytest.param("经济总量翻了一番多。", [("翻了一番多", "2", "倍", ">")], id="fan-duo"),
    pytest.param("经济总量翻了一番。", [("翻了一番", "2", "倍", "=")], id="fan-exact"),
    pytest.param("人均补助123元1角1分。", [("123元1角1分", "123.11", "元", "=")],
                 id="yuan-jiao-fen"),
    pytest.param("单价为5元8角。", [("5元8角", "5.8", "元", "=")], id="yuan-jiao"),
    pytest.param("合同金额玖仟陆佰陆拾伍圆壹角捌分。",
                 [("玖仟陆佰陆拾伍圆壹角捌分", "9665.18", "元", "=")],
                 id="financial-yuan-jiao-fen"),
]


@pytest.mark.parametrize(("text", "expected"), ROWS)
def test_rows(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    got = [
        (f.mention, f"{Decimal(f.normalized_value).normalize():f}", f.base_unit, f.comparator)
        for f in extract_text(text, doc_id="t").facts
    ]
    assert got == [(m, f"{Decimal(v).normalize():f}", b, c) for m, v, b, c in expected]
