"""OCR letters inside numbers: O for 0 and l/I for 1 between digits or before a unit.

Never inside a Latin word or code. Rows are sentences written for these tests.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text
from extract.clean import fix_characters


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("就业率达到4O%。", [("40%", "40")], id="o-before-percent"),
        pytest.param("建成公园1O0座。", [("100座", "100")], id="o-between-digits"),
        pytest.param("人均收入27l36元。", [("27136元", "27136")], id="l-between-digits"),
        pytest.param("人均收入27I36元。", [("27136元", "27136")], id="capital-i-between-digits"),
        pytest.param("就业率达到4o%。", [("40%", "40")], id="lowercase-o-before-percent"),
        pytest.param("新增岗位3O万个。", [("30万个", "300000")], id="o-before-multiplier"),
        pytest.param("2O21年全市新增企业5家。", [("5家", "5")], id="o-in-a-year"),
        pytest.param("新增城镇就业4O.5万人。", [("40.5万人", "405000")],
                     id="o-before-decimal-point"),
        pytest.param("粮食产量l2.3亿斤。", [("12.3亿斤", "1230000000")],
                     id="l-opening-a-number-after-chinese"),
        pytest.param("物价上涨O.8%。", [("0.8%", "0.8")], id="o-opening-a-decimal-after-chinese"),
        pytest.param("零售总额达到8641.7O亿元。", [("8641.70亿元", "864170000000")],
                     id="o-ending-the-decimals"),
        pytest.param("增加值为6029.O3亿元。", [("6029.03亿元", "602903000000")],
                     id="o-right-after-the-decimal-point"),
        pytest.param("客流量增长53.l6%。", [("53.16%", "53.16")],
                     id="l-right-after-the-decimal-point"),
    ],
)
def test_ocr_letters_read_as_digits(text: str, expected: list[tuple[str, str]]) -> None:
    got = [
        (f.mention, f"{Decimal(f.normalized_value).normalize():f}")
        for f in extract_text(text, doc_id="t").facts
    ]
    assert got == expected


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("升级到Win1O系统", id="latin-word-before"),
        pytest.param("型号A12O0", id="code-with-letter"),
        pytest.param("5G和IoT应用", id="latin-words"),
        pytest.param("共10 Online", id="word-after-space"),
        pytest.param("支持Wi-Fi和l2tp协议", id="lowercase-word-with-digit"),
        pytest.param("使用OpenGL4.6接口", id="word-ending-before-a-version"),
        pytest.param("见第5.I节", id="roman-numeral-after-a-section-number"),
    ],
)
def test_latin_words_keep_their_letters(text: str) -> None:
    assert fix_characters(text)[0] == text


# A made-up report paragraph with OCR noise: full-width digits and percent signs, l and O
# for 1 and 0, spaces inside numbers. Cut into a column of any width, it gives the same
# facts as the clean paragraph.
NOISY = (
    "全年全市地区生产总值增长６.５%，规模以上工业增加值增长7.2％，固定资产投资增长l2.3%，"
    "社会消费品零售总额达到864l.7O亿元，城镇新增就业4.6万 人，居民人均可支配收入达到3 . 2万元，"
    "粮食产量达到2O.5亿斤，新建学校36所，城乡居民收入倍差缩小到1.85，"
    "一般公共预算收入1 234 567万元，增长O.8%。"
)
CLEAN_READINGS = [
    ("6.5%", "6.5"), ("7.2%", "7.2"), ("12.3%", "12.3"), ("8641.70亿元", "864170000000"),
    ("4.6万人", "46000"), ("3.2万元", "32000"), ("20.5亿斤", "2050000000"), ("36所", "36"),
    ("1.85", "1.85"), ("1234567万元", "12345670000"), ("0.8%", "0.8"),
]


@pytest.mark.parametrize("width", [pytest.param(w, id=f"column-{w}") for w in range(13, 23)])
def test_noisy_column_report_reads_every_fact(width: int) -> None:
    lines = [NOISY[i : i + width] for i in range(0, len(NOISY), width)]
    text = "某市经济运行情况\n" + "\n".join(lines) + "\n"
    result = extract_text(text, doc_id="t")
    got = [
        (f.mention.replace(" ", ""), f"{Decimal(f.normalized_value).normalize():f}")
        for f in result.facts
    ]
    assert got == CLEAN_READINGS
    assert not [i for i in result.issues if i.stage == "extract"]
