"""The long tail of issue 19: approximate magnitudes, bare ratios, slash fractions, years
as a length, numbered bodies, thresholds before a count.

Rows are sentences written for these tests:
(sentence, [(mention, normalized_value, base_unit, comparator), ...]).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text

Brief = tuple[str, str, str, str]


def brief(text: str) -> list[Brief]:
    return [
        (f.mention, f"{Decimal(f.normalized_value).normalize():f}", f.base_unit, f.comparator)
        for f in extract_text(text, doc_id="t").facts
    ]


def expect(rows: list[Brief]) -> list[Brief]:
    return [(m, f"{Decimal(v).normalize():f}", b, c) for m, v, b, c in rows]


MAGNITUDES = [
    pytest.param("项目带动数十亿元社会投资。", [("十亿元", "1000000000", "元", ">")],
                 id="shu-shi-yi-is-more-than"),
    pytest.param("培训惠及数万人。", [("万人", "10000", "人", ">")], id="shu-wan-people"),
    pytest.param("撬动几十亿元民间资本。", [("十亿元", "1000000000", "元", ">")],
                 id="ji-shi-yi-is-more-than"),
    pytest.param("园区产值近千亿元。", [("千亿元", "100000000000", "元", "~")],
                 id="jin-qian-yi-is-about"),
    pytest.param("打造上百亿元产业集群。", [("百亿元", "10000000000", "元", ">=")],
                 id="shang-bai-yi-is-at-least"),
    pytest.param("开展数十场招聘活动。", [], id="shu-shi-without-section-stays-vague"),
    pytest.param("新建十万个充电桩。", [("十万个", "100000", "个", "=")],
                 id="round-numeral-before-a-measure-word"),
    pytest.param("全年培训百万人次。", [("百万人次", "1000000", "人次", "=")],
                 id="round-numeral-before-people"),
    pytest.param("培育千亿元产业集群。", [], id="round-amount-of-money-names-a-class"),
    pytest.param("召开万人大会。", [], id="wan-alone-is-no-round-numeral"),
    pytest.param("全省参保人数320万人。", [("320万人", "3200000", "人", "=")],
                 id="shu-ending-a-word-is-no-comparator"),
    pytest.param("全市规上企业数5家。", [("5家", "5", "家", "=")],
                 id="shu-before-digits-is-the-noun-number"),
    pytest.param("专利授权数3000件。", [("3000件", "3000", "件", "=")],
                 id="shu-after-a-noun-before-digits"),
]

RATIOS = [
    pytest.param("城乡居民收入倍差1.85。", [("1.85", "1.85", "倍", "=")], id="bei-cha"),
    pytest.param("两地人均收入比值为1.62。", [("1.62", "1.62", "倍", "=")], id="bi-zhi"),
    pytest.param("城乡居民收入比缩小到2.04。", [("2.04", "2.04", "倍", "=")],
                 id="shou-ru-bi-narrowed"),
    pytest.param("城乡收入倍差由2.41缩小到2.12。",
                 [("2.41", "2.41", "倍", "="), ("2.12", "2.12", "倍", "=")],
                 id="bei-cha-from-to"),
    pytest.param("城乡居民人均收入之比为2.3。", [("2.3", "2.3", "倍", "=")], id="zhi-bi"),
    pytest.param("城乡收入比由2.6∶1缩小到2.4∶1。",
                 [("2.6∶1", "2.6", "倍", "="), ("2.4∶1", "2.4", "倍", "=")],
                 id="against-one-the-one-is-no-ratio"),
    pytest.param("收入倍差明显缩小。全市新建学校12所。", [("12所", "12", "所", "=")],
                 id="ratio-noun-in-another-sentence"),
    pytest.param("收入比值持续优化，3项指标位居全省前列。", [("3项", "3", "项", "=")],
                 id="ratio-noun-in-another-clause-no-bare-number"),
]

FRACTIONS = [
    pytest.param("该县耕地面积仅为全市的1/6。", [("1/6", "16.666666666667", "%", "=")],
                 id="slash-one-sixth"),
    pytest.param("新能源车占新车销量的1/4。", [("1/4", "25", "%", "=")], id="slash-one-quarter"),
    pytest.param("三分之一的乡镇建成污水处理厂。", [("三分之一", "33.333333333333", "%", "=")],
                 id="written-fraction"),
    pytest.param("统计截至2025/12/31。", [], id="slash-date-is-no-fraction"),
    pytest.param("改为5/3运行。", [], id="numerator-above-denominator-is-no-fraction"),
]

YEARS = [
    pytest.param("劳动年龄人口平均受教育年限达到11.3年。", [("11.3年", "11.3", "年", "=")],
                 id="schooling-length-decimal"),
    pytest.param("新增劳动力平均受教育年限提高到14年。", [("14年", "14", "年", "=")],
                 id="schooling-length-whole"),
    pytest.param("PM2.5年平均浓度下降3%。", [("3%", "-3", "%", "=")],
                 id="code-before-decimal-year-is-no-length"),
    pytest.param("推进城市更新三年行动。", [], id="three-year-action-is-a-frame"),
    pytest.param("五年来全市面貌焕然一新。", [], id="five-years-since-is-a-frame"),
]

NAMES = [
    pytest.param("引进中国电科29所等科研机构。", [], id="numbered-institute"),
    pytest.param("航天科工二院落户园区。", [], id="numbered-academy"),
    pytest.param("全市新建学校29所。", [("29所", "29", "所", "=")], id="schools-still-count"),
    pytest.param("新引进世界500强企业9家。", [("9家", "9", "家", "=")],
                 id="rank-qualifies-a-count"),
    pytest.param("实施“3456”工程。", [], id="quoted-programme-name"),
    pytest.param("新开工3亿元以上制造业项目41个。", [("41个", "41", "个", "=")],
                 id="threshold-before-a-count"),
]


@pytest.mark.parametrize(("text", "expected"), MAGNITUDES)
def test_approximate_magnitudes(text: str, expected: list[Brief]) -> None:
    assert brief(text) == expect(expected)


@pytest.mark.parametrize(("text", "expected"), RATIOS)
def test_bare_ratios(text: str, expected: list[Brief]) -> None:
    assert brief(text) == expect(expected)


@pytest.mark.parametrize(("text", "expected"), FRACTIONS)
def test_fractions(text: str, expected: list[Brief]) -> None:
    assert brief(text) == expect(expected)


@pytest.mark.parametrize(("text", "expected"), YEARS)
def test_years_as_a_length(text: str, expected: list[Brief]) -> None:
    assert brief(text) == expect(expected)


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_numbers_inside_names(text: str, expected: list[Brief]) -> None:
    assert brief(text) == expect(expected)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        pytest.param("新开工3亿元以上制造业项目41个。", "新开工3亿元以上制造业项目",
                     id="threshold-stays-in-the-indicator"),
        pytest.param("新引进世界500强企业9家。", "新引进世界500强企业",
                     id="rank-stays-in-the-indicator"),
        pytest.param("城乡居民收入倍差1.85。", "城乡居民收入倍差", id="ratio-noun-names-the-ratio"),
    ],
)
def test_indicators(text: str, indicator: str) -> None:
    assert [f.indicator for f in extract_text(text, doc_id="t").facts] == [indicator]
