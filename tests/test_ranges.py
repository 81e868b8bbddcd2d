"""Ranges written with doubled or long dashes, asides and numerals: no bound is lost or
read as negative. Rows are sentences written for these tests:
(sentence, [(mention, normalized_value, upper_value or None, comparator), ...]).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text


def number(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


RANGES = [
    pytest.param("每户补助2——3万元。", [("2——3万元", "20000", "30000", ">=")],
                 id="double-em-dash"),
    pytest.param("每户补助2--3万元。", [("2--3万元", "20000", "30000", ">=")],
                 id="double-hyphen"),
    pytest.param("每户补助1万元--5万元。",
                 [("1万元", "10000", None, "="), ("5万元", "50000", None, "=")],
                 id="double-hyphen-after-unit-not-minus"),
    pytest.param("每户补助1万(含)-5万元。",
                 [("1万", "10000", None, "="), ("5万元", "50000", None, "=")],
                 id="aside-before-dash-not-minus"),
    pytest.param("每户补助两到三千元。", [("两到三千元", "2000", "3000", ">=")],
                 id="lower-numeral-takes-the-place"),
    pytest.param("每亩奖励3到5万元。", [("3到5万元", "30000", "50000", ">=")],
                 id="lower-bound-shares-the-multiplier"),
    pytest.param("每亩奖励从6500到2万元。", [("6500到2万元", "6500", "20000", ">=")],
                 id="lower-bound-above-upper-with-multiplier-has-none"),
    pytest.param("每亩奖励7000-1.5万元。", [("7000-1.5万元", "7000", "15000", ">=")],
                 id="lower-bound-mixed-magnitude-dash"),
    pytest.param("每亩奖励从6500元到2万元。",
                 [("6500元", "6500", None, "="), ("2万元", "20000", None, "=")],
                 id="both-bounds-with-units-two-facts"),
    pytest.param("自然增长率为-0.5‰。", [("0.5‰", "-0.5", None, "=")], id="minus-still-minus"),
]


@pytest.mark.parametrize(("text", "expected"), RANGES)
def test_ranges(text: str, expected: list[tuple[str, str, str | None, str]]) -> None:
    got = [
        (f.mention, number(f.normalized_value), number(f.upper_value), f.comparator)
        for f in extract_text(text, doc_id="t").facts
    ]
    assert got == expected
