"""Chinese numerals read completely: 零 before a place, 廿 and 卅, the financial capitals,
traditional characters, and two neighbouring digits as an approximate range.

Rows are sentences and numerals written for these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text
from extract.numbers import parse_chinese


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("一千零十", "1010", id="zero-before-ten"),
        pytest.param("三万零十", "30010", id="zero-after-wan-before-ten"),
        pytest.param("一亿零一百万", "101000000", id="zero-after-yi"),
        pytest.param("兩千六", "2600", id="traditional-liang"),
        pytest.param("三萬", "30000", id="traditional-wan"),
        pytest.param("五億", "500000000", id="traditional-yi"),
        pytest.param("三點五", "3.5", id="traditional-dian"),
        pytest.param("廿二", "22", id="nian-twenty"),
        pytest.param("卅五", "35", id="sa-thirty"),
        pytest.param("壹拾万零叁仟肆佰伍拾叁", "103453", id="financial-capitals"),
        pytest.param("贰仟", "2000", id="financial-qian"),
        pytest.param("十万", "100000", id="round-shi-wan"),
        pytest.param("三万亿", "3000000000000", id="wan-yi-compound"),
    ],
)
def test_parse_numeral(text: str, expected: str) -> None:
    assert parse_chinese(text) == Decimal(expected)


def brief(text: str) -> list[tuple[str, str, str, str | None]]:
    return [
        (
            f.mention,
            f"{Decimal(f.normalized_value).normalize():f}",
            f.base_unit,
            None if f.upper_value is None else f"{Decimal(f.upper_value).normalize():f}",
        )
        for f in extract_text(text, doc_id="t").facts
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("全年投入一千零十万元。", [("一千零十万元", "10100000", "元", None)],
                     id="zero-in-amount"),
        # a sentence in traditional script is read in simplified characters (script.py)
        pytest.param("新增就業崗位三萬個。", [("三万个", "30000", "个", None)],
                     id="traditional-wan-ge"),
        pytest.param("本地生產總值增長兩點五個百分點。",
                     [("两点五个百分点", "2.5", "个百分点", None)], id="traditional-points"),
        # one traditional mark is no traditional document: its numerals are read as they are
        pytest.param("財政收入五百億圓。", [("五百億圓", "50000000000", "元", None)],
                     id="traditional-yuan"),
        pytest.param("项目总投资八九亿元。",
                     [("八九亿元", "800000000", "元", "900000000")],
                     id="neighbouring-digits-range"),
        pytest.param("每户补贴两三千元。",
                     [("两三千元", "2000", "元", "3000")], id="neighbouring-digits-thousands"),
    ],
)
def test_numerals_in_sentences(
    text: str, expected: list[tuple[str, str, str, str | None]]
) -> None:
    assert brief(text) == expected
