"""Ratios written against one (2.5∶1) are multiples, base unit 倍.

Rows are sentences written for these tests: (sentence, [(mention, normalized_value,
base_unit), ...]).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("城乡收入比由2.6∶1缩小到2.4∶1。",
                     [("2.6∶1", "2.6", "倍"), ("2.4∶1", "2.4", "倍")], id="ratio-colon"),
        pytest.param("城乡收入比为2.1:1。", [("2.1:1", "2.1", "倍")], id="ascii-colon"),
        pytest.param("城乡收入比为2.1：1。", [("2.1：1", "2.1", "倍")], id="fullwidth-colon"),
        pytest.param("会议于10:15开始。", [], id="clock-time-is-no-ratio"),
        pytest.param("三次产业结构为4.1∶40.2∶55.7。", [], id="parts-are-no-multiple"),
    ],
)
def test_ratio_to_one(text: str, expected: list[tuple[str, str, str]]) -> None:
    got = [
        (f.mention, f"{Decimal(f.normalized_value).normalize():f}", f.base_unit)
        for f in extract_text(text, doc_id="t").facts
    ]
    assert got == [(m, f"{Decimal(v).normalize():f}", b) for m, v, b in expected]
