"""Tests for the segment stage: paragraph kinds, sections, sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extract.validate
from extract.clean import clean_text
from extract.models import CleanText, SegmentedText, SourceText
from extract.pipeline import extract_source
from extract.segment import section_title, segment_text, split_sentences

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "raw").is_dir(),
    reason=f"shared corpus not found at {CORPUS} (tests read ../shared/corpus)",
)


def segment(*paragraphs: str) -> SegmentedText:
    """Return the segmentation of a cleaned text made of ``paragraphs``, one a line."""
    text = "\n".join(paragraphs)
    return segment_text(CleanText(doc_id="t", text=text, line_starts=[(0, 1)]))


# --------------------------------------------------------------------------
# Paragraph kinds
# --------------------------------------------------------------------------

LEAD = "9月21日下午召开的市委全体会议，全面总结了今年以来的工作。经济社会发展实现稳中求进。"


@pytest.mark.parametrize(
    ("paragraphs", "kinds"),
    [
        pytest.param(
            ["拼搏实干 奋勇先行", "我市经济社会发展实现稳中求进", LEAD,
             "融媒记者 吕晓婷 王佳涵 整理",
             "关键词", "稳进提质", "就业形势总体稳定，新增城镇就业人员超1万人。"],
            ["title", "subtitle", "body", "byline", "keyword", "heading", "body"],
            id="newspaper-title-subtitle-lead-byline-keyword-name",
        ),
        pytest.param(
            ["书记市长拜年爆猛料，深圳GDP破3万亿元", "“深圳卫视深视新闻”微信公众号",
             "深圳GDP突破3万亿元大关。", "01", "关键词", "深圳的3万亿之路"],
            ["title", "byline", "body", "ordinal", "keyword", "heading"],
            id="channel-credit-and-section-number",
        ),
        pytest.param(
            ["粤苏鲁经济领跑全国，GDP总量相加超30万亿元", "2021年各省份GDP数据已陆续发布。"],
            ["title", "body"],
            id="lead-sentence-after-title-is-not-a-subtitle",
        ),
        pytest.param(
            ["一、2025年工作及“十四五”时期发展回顾", "过去一年，全省上下坚持稳中求进。"],
            ["heading", "body"],
            id="numbered-heading-first-is-a-heading-not-a-title",
        ),
        pytest.param(
            ["标题", "一是经济增长好于预期。地区生产总值增长5.2%。"],
            ["title", "body"],
            id="yi-shi-lead-sentence-is-body",
        ),
        pytest.param(
            ["标题", "（一）着力扩大内需", "（二）着力扩大内需。坚持提振消费和扩大投资结合。"],
            ["title", "heading", "body"],
            id="sub-heading-alone-vs-with-body",
        ),
        pytest.param(
            ["标题", "【经济运行】", "■ 消费回升", "第二部分 2026年工作安排"],
            ["title", "heading", "heading", "heading"],
            id="bracket-square-and-part-headings",
        ),
        pytest.param(
            ["标题", "关键词：稳进提质", "记者 张三 报道", "来源：新华社"],
            ["title", "keyword", "byline", "byline"],
            id="keyword-with-colon-and-credit-lines",
        ),
        pytest.param(
            ["标题", "今年经济回升。", "亮点回顾", "甲增长5%。", "问题清单", "乙下降2%。"],
            ["title", "body", "heading", "body", "heading", "body"],
            id="plain-heading-lines-between-paragraphs",
        ),
        pytest.param(
            ["标题", "主要指标如下。", "地区生产总值", "工业增加值", "甲增长5%。"],
            ["title", "body", "body", "body", "body"],
            id="short-list-lines-stay-body",
        ),
        pytest.param(
            ["某省政府工作报告摘要", "◆ 过去一年", "●全省地区生产总值增长5%", "◆ 今年主要目标",
             "●经济增长5%左右"],
            ["title", "heading", "body", "heading", "body"],
            id="square-marks-between-bullet-items-are-cross-heads",
        ),
        pytest.param(
            ["某省政府工作报告摘要", "● 过去一年", "◆全省地区生产总值增长5%", "◆粮食产量600亿斤",
             "● 今年主要目标", "◆经济增长5%左右", "◆城镇新增就业60万人以上"],
            ["title", "subtitle", "body", "body", "body", "body", "body"],
            id="a-run-of-lines-with-the-same-square-mark-is-a-list",
        ),
        pytest.param(
            ["面对深刻复杂变化的国内外形势，市委坚决贯彻重要指示要求。经济社会发展实现稳中求进，"
             "建设迈出坚定步伐，全年主要指标好于预期，发展质量稳步提升。"],
            ["body"],
            id="long-first-paragraph-is-body-not-title",
        ),
        pytest.param(
            ["某省经济年报来了！一文读懂", "过去一年，全省上下坚持稳中求进。"],
            ["title", "body"],
            id="an-exclamation-between-two-parts-of-a-headline",
        ),
        pytest.param(
            ["过去一年成绩很好。全省上下坚持稳中求进。"],
            ["body"],
            id="a-full-stop-inside-a-first-line-makes-it-body",
        ),
        pytest.param(
            ["【两会@你】某省交出五年发展“成绩单”", "过去一年，全省上下坚持稳中求进。"],
            ["title", "body"],
            id="a-headline-led-by-a-bracketed-tag-is-the-title",
        ),
        pytest.param(
            ["【经济运行】", "过去一年，全省上下坚持稳中求进。"],
            ["heading", "body"],
            id="a-bracket-heading-alone-on-the-first-line-stays-a-heading",
        ),
        pytest.param(
            ["某省政府工作报告", "【聚焦】经济运行稳中有进", "过去一年，全省上下坚持稳中求进。"],
            ["title", "heading", "body"],
            id="a-bracket-heading-with-a-title-after-the-first-line-stays-a-heading",
        ),
    ],
)
def test_paragraph_kinds(paragraphs: list[str], kinds: list[str]) -> None:
    assert [p.kind for p in segment(*paragraphs).paragraphs] == kinds


def test_title_subtitle_byline_strings() -> None:
    seg = segment(
        "拼搏实干 奋勇先行", "我市经济社会发展实现稳中求进", LEAD, "融媒记者 吕晓婷 王佳涵 整理"
    )
    assert (seg.title, seg.subtitle, seg.byline) == (
        "拼搏实干 奋勇先行",
        "我市经济社会发展实现稳中求进",
        "融媒记者 吕晓婷 王佳涵 整理",
    )


def test_no_title_when_the_text_opens_with_a_heading() -> None:
    seg = segment("一、2025年工作回顾", "过去一年，全省上下坚持稳中求进。")
    assert (seg.title, seg.subtitle, seg.byline) == (None, None, None)


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        pytest.param("一、2025年工作及“十四五”时期发展回顾", "2025年工作及“十四五”时期发展回顾",
                     id="number-enumerator-removed"),
        pytest.param("对深圳乃至大湾区意味着什么？", "对深圳乃至大湾区意味着什么",
                     id="question-mark-removed"),
        pytest.param("第一部分 2025年工作回顾", "2025年工作回顾", id="part-enumerator-removed"),
        pytest.param("第二章：主要任务", "主要任务", id="chapter-enumerator-and-colon-removed"),
        pytest.param("（三）持续深化改革开放！", "持续深化改革开放", id="sub-enumerator-removed"),
        pytest.param("(四)着力保障民生", "着力保障民生", id="half-width-brackets-removed"),
        pytest.param("【经济运行】", "经济运行", id="bracket-title-is-its-content"),
        pytest.param("【聚焦】稳中求进", "稳中求进", id="bracket-label-before-title"),
        pytest.param("■ 消费回升。", "消费回升", id="square-marker-and-stop-removed"),
        pytest.param("稳进提质", "稳进提质", id="plain-name-unchanged"),
        pytest.param("十二、其他", "其他", id="two-character-number"),
        pytest.param("深圳的3 万亿之路", "深圳的3万亿之路", id="ocr-space-after-a-number-removed"),
        pytest.param("迈向1.5 万亿", "迈向1.5万亿", id="ocr-space-after-a-decimal-removed"),
        pytest.param("2025 回顾", "2025 回顾", id="space-after-a-leading-number-kept"),
        pytest.param("一、综 合", "综合", id="letter-spaced-heading-closed-up"),
        pytest.param("二、工 业 和 建 筑 业", "工业和建筑业", id="letter-spaced-longer-heading"),
        pytest.param("拼搏实干 奋勇先行", "拼搏实干 奋勇先行", id="space-between-words-kept"),
    ],
)
def test_section_title(heading: str, title: str) -> None:
    assert section_title(heading) == title


# Paragraphs of running text around a lone heading line.
_RUNNING_2025 = "2025年，全省地区生产总值增长5.4%，规模以上工业增加值增长6.3%，经济运行稳中有进。"
_RUNNING_FIVE_YEARS = "五年来，全省地区生产总值年均增长5.2%，居民人均可支配收入年均增长6.1%。"
_RUNNING_PLAN = "2026年，全省地区生产总值预期增长5%左右，城镇新增就业50万人以上，物价保持稳定。"


@pytest.mark.parametrize(
    ("paragraphs", "sections"),
    [
        pytest.param(
            ["标题", LEAD, "关键词", "稳进提质", "甲增长5%。", "关键词", "产业转型", "乙增长6%。"],
            [("稳进提质", "稳进提质"), ("产业转型", "产业转型")],
            id="keyword-lines-open-sections",
        ),
        pytest.param(
            ["标题", "关键词：稳进提质", "甲增长5%。"],
            [("稳进提质", "稳进提质")],
            id="keyword-with-name-on-its-line",
        ),
        pytest.param(
            ["标题", "关键词 稳进提质", "甲增长5%。"],
            [("稳进提质", "稳进提质")],
            id="keyword-with-name-after-a-space",
        ),
        pytest.param(
            ["一、2025年工作回顾", "（一）经济增长", "甲增长5%。", "（二）产业发展", "乙增长6%。",
             "二、2026年工作安排", "丙增长7%。"],
            [("2025年工作回顾", "一、2025年工作回顾"), ("2026年工作安排", "二、2026年工作安排")],
            id="sub-headings-stay-inside-the-top-level-section",
        ),
        pytest.param(
            ["标题", "（一）经济增长", "甲增长5%。", "（二）产业发展", "乙增长6%。"],
            [("经济增长", "（一）经济增长"), ("产业发展", "（二）产业发展")],
            id="sub-headings-used-when-the-only-level",
        ),
        pytest.param(
            ["标题", "【经济运行】", "甲增长5%。", "■ 消费回升", "乙增长6%。"],
            [("经济运行", "【经济运行】"), ("消费回升", "■ 消费回升")],
            id="bracket-and-square-headings-when-no-numbered-heading",
        ),
        pytest.param(
            ["标题", "报告提出，今年的主要预期目标是：", "◆地区生产总值增长5%；",
             "◆城镇调查失业率5.5%左右，城镇新增就业110万人以上；", "◆粮食产量1270万吨。"],
            [],
            id="paragraphs-led-by-a-square-mark-are-list-items-not-sections",
        ),
        pytest.param(
            ["标题", "一、总体回顾", "【经济运行】", "甲增长5%。"],
            [("总体回顾", "一、总体回顾")],
            id="bracket-heading-under-a-numbered-heading-is-not-a-section",
        ),
        pytest.param(
            ["第一部分 2025年工作回顾", "甲增长5%。", "第二部分 2026年工作安排", "乙增长6%。"],
            [("2025年工作回顾", "第一部分 2025年工作回顾"),
             ("2026年工作安排", "第二部分 2026年工作安排")],
            id="part-headings-open-sections",
        ),
        pytest.param(
            ["标题", "一、总体回顾", "一是经济增长好于预期。地区生产总值增长5.2%。",
             "二是产业发展向新图强。"],
            [("总体回顾", "一、总体回顾")],
            id="yi-shi-lead-sentences-do-not-open-sections",
        ),
        pytest.param(
            ["标题", "一、坚持稳中求进。全年地区生产总值增长5.2%。",
             "二、坚持改革开放。外贸增长2.7%。"],
            [("坚持稳中求进", "一、坚持稳中求进。"), ("坚持改革开放", "二、坚持改革开放。")],
            id="numbered-lead-sentence-opens-a-section",
        ),
        pytest.param(
            ["标题", "今年经济回升。", "亮点回顾", "甲增长5%。", "问题清单", "乙下降2%。"],
            [("亮点回顾", "亮点回顾"), ("问题清单", "问题清单")],
            id="web-text-plain-heading-lines-open-sections",
        ),
        pytest.param(
            ["广州保住第四城", "记者 张三 报道", "今年经济回升。", "亮点回顾", "甲增长5%。",
             "今后五年的主要目标", "乙增长6%。"],
            [("亮点回顾", "亮点回顾"), ("今后五年的主要目标", "今后五年的主要目标")],
            id="plain-headings-after-title-and-byline-which-are-no-headings",
        ),
        pytest.param(
            ["标题", "今年经济回升。", "今年工作回顾", "（一）经济增长", "甲增长5%。",
             "（二）产业发展", "乙增长6%。", "明年主要目标", "丙增长7%。"],
            [("今年工作回顾", "今年工作回顾"), ("明年主要目标", "明年主要目标")],
            id="sub-headings-not-promoted-under-plain-headings",
        ),
        pytest.param(
            ["标题", "今年经济回升。", "01", "城市的三万亿之路", "甲增长5%。", "02",
             "对本省意味着什么？", "乙增长6%。"],
            [("城市的三万亿之路", "城市的三万亿之路"), ("对本省意味着什么", "对本省意味着什么？")],
            id="plain-heading-after-a-section-number-may-end-in-a-question-mark",
        ),
        pytest.param(
            ["标题", "今年经济回升。", "亮点回顾", "甲增长5%。", "为何要重视都市圈建设？",
             "乙增长6%。"],
            [],
            id="question-line-between-paragraphs-is-no-heading",
        ),
        pytest.param(
            ["标题", "今年经济回升。", "亮点回顾", "甲增长5%。"],
            [],
            id="one-plain-line-alone-is-no-section",
        ),
        pytest.param(
            ["标题", _RUNNING_2025, "“十四五”时期重大成就", _RUNNING_FIVE_YEARS, _RUNNING_PLAN],
            [("“十四五”时期重大成就", "“十四五”时期重大成就")],
            id="lone-plan-period-heading-between-running-text-opens-a-section",
        ),
        pytest.param(
            ["标题", _RUNNING_2025, "今后五年的主要目标", _RUNNING_PLAN],
            [("今后五年的主要目标", "今后五年的主要目标")],
            id="lone-goals-heading-between-running-text-opens-a-section",
        ),
        pytest.param(
            ["标题", _RUNNING_2025, "2026年工作安排", _RUNNING_PLAN],
            [("2026年工作安排", "2026年工作安排")],
            id="lone-heading-naming-a-year-opens-a-section",
        ),
        pytest.param(
            ["标题", _RUNNING_2025, "广州保住第四城", _RUNNING_PLAN],
            [],
            id="lone-news-headline-in-a-body-is-no-heading",
        ),
        pytest.param(
            ["标题", _RUNNING_2025, "全年增长5.2%目标", _RUNNING_PLAN],
            [],
            id="lone-line-with-an-amount-is-no-heading",
        ),
        pytest.param(
            ["标题", _RUNNING_2025, "着力完成全年经济社会发展主要目标", _RUNNING_PLAN],
            [],
            id="lone-line-too-long-for-a-heading-word-line-is-no-heading",
        ),
        pytest.param(
            ["标题", "要点如下。", "稳增长目标", "甲增长5%。", "乙增长6%。"],
            [],
            id="lone-heading-word-line-in-a-key-point-list-is-no-heading",
        ),
        pytest.param(
            ["标题", _RUNNING_2025, "今后五年的主要目标", "稳增长", "促消费", "扩投资",
             _RUNNING_PLAN],
            [],
            id="lone-heading-word-line-before-a-list-of-short-lines-is-no-heading",
        ),
        pytest.param(
            ["标题", "主要指标如下。", "地区生产总值", "工业增加值", "社会消费品零售总额",
             "甲增长5%。", "就业形势", "乙增长6%。"],
            [],
            id="run-of-short-lines-is-a-list-not-headings",
        ),
        pytest.param(
            ["标题", "重点抓好以下工作：", "扩大内需", "甲增长5%。", "稳定就业", "乙增长6%。"],
            [],
            id="short-line-after-a-colon-is-a-list-item",
        ),
        pytest.param(
            ["标题", "今年经济回升，就业稳定", "甲增长5%。", "投资回升，消费回暖", "乙增长6%。"],
            [],
            id="short-lines-with-a-comma-are-no-headings",
        ),
        pytest.param(
            ["标题", "今年经济回升。", "亮点回顾", "甲增长5%。", "问题清单", "乙下降2%。",
             "奋进新征程"],
            [("亮点回顾", "亮点回顾"), ("问题清单", "问题清单")],
            id="closing-slogan-is-no-heading",
        ),
        pytest.param(
            ["一、总体回顾", "甲增长5%。", "亮点回顾", "乙增长6%。", "问题清单", "丙增长7%。"],
            [("总体回顾", "一、总体回顾")],
            id="numbered-headings-outrank-plain-lines",
        ),
        pytest.param(
            ["标题", "导语。", "关键词", "稳进提质", "甲增长5%。", "亮点回顾", "乙增长6%。",
             "问题清单", "丙增长7%。"],
            [("稳进提质", "稳进提质")],
            id="keyword-sections-outrank-plain-lines",
        ),
        pytest.param(["标题", LEAD], [], id="no-heading-no-section"),
    ],
)
def test_sections(paragraphs: list[str], sections: list[tuple[str, str]]) -> None:
    seg = segment(*paragraphs)
    assert [(s.title, s.heading) for s in seg.sections] == sections
    for section in seg.sections:
        opening = seg.clean.text[section.start :]
        assert opening.startswith(section.heading) or opening.startswith("关键词")


# One made-up report in three layouts: its sections must come out the same in each.
_REPORT_HEADINGS = ("亮点回顾", "问题清单", "今后五年的主要目标")
_WEB_TEXT = "\n".join([
    "某市经济运行稳中向好", "来源：某市日报", "今年以来，全市经济运行总体平稳，主要指标好于预期。",
    "亮点回顾", "全市地区生产总值增长5.3%，规模以上工业增加值增长6.1%，固定资产投资增长4.2%。",
    "问题清单", "消费恢复仍然偏慢，社会消费品零售总额增长2.1%，低于年初预期目标。",
    "今后五年的主要目标", "到2030年，全市地区生产总值年均增长5%左右，城镇新增就业30万人以上。",
])
_OCR_COLUMNS = "\n\n".join([  # a 17-character newspaper column
    "某市经济运行稳中向好", "来源：某市日报", "今年以来，全市经济运行总体平稳，主",
    "要指标好于预期，发展质量稳步提升，", "民生保障有力有效。", "亮点回顾",
    "全市地区生产总值增长5.3%，规模以", "上工业增加值增长6.1%，固定资产投",
    "资增长4.2%，外贸稳中有进。", "问题清单", "消费恢复仍然偏慢，社会消费品零售总",
    "额增长2.1%，低于年初预期目标，需求", "不足仍是当前经济运行的主要矛盾。",
    "今后五年的主要目标", "到2030年，全市地区生产总值年均增长",
    "5%左右，城镇新增就业30万人以上。",
]) + "\n"
_NUMBERED_CROSS_HEADS = "\n".join([
    "某市经济运行稳中向好", "今年以来，全市经济运行总体平稳。", "01", "亮点回顾",
    "全市地区生产总值增长5.3%，规模以上工业增加值增长6.1%。", "02", "问题清单",
    "消费恢复仍然偏慢，社会消费品零售总额增长2.1%。", "03", "今后五年的主要目标",
    "到2030年，全市地区生产总值年均增长5%左右。",
])
_SUB_HEADINGS = "\n".join([
    "某市经济运行稳中向好", "今年以来，全市经济运行总体平稳。", "亮点回顾",
    "（一）经济增长", "全市地区生产总值增长5.3%。", "（二）产业升级",
    "规模以上工业增加值增长6.1%。",
    "问题清单", "（一）消费偏慢", "社会消费品零售总额增长2.1%。", "今后五年的主要目标",
    "到2030年，全市地区生产总值年均增长5%左右。",
])


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(_WEB_TEXT, id="web-text-one-paragraph-a-line"),
        pytest.param(_OCR_COLUMNS, id="ocr-column-lines-with-blank-lines"),
        pytest.param(_NUMBERED_CROSS_HEADS, id="cross-heads-after-section-numbers"),
        pytest.param(_SUB_HEADINGS, id="plain-headings-over-sub-headings"),
    ],
)
def test_plain_heading_sections_in_every_layout(raw: str) -> None:
    seg = segment_text(clean_text(raw))
    assert tuple(s.title for s in seg.sections) == _REPORT_HEADINGS
    assert seg.title == "某市经济运行稳中向好"
    numbers = [s.section for s in seg.sentences if "%" in s.text]
    assert None not in numbers and numbers[-1] == "今后五年的主要目标"


# One heading alone in a web page and in a 17-character newspaper column, whose lines
# 全面完成年度目标 and 圆满完成规划目标 end in a heading word but are no headings.
_LONE_PARAGRAPHS = [
    "某省经济运行稳中向好", "来源：某省日报",
    "2025年，全省经济运行总体平稳，主要指标好于预期，全面完成年度目标任务，民生保障有力有效。",
    "今后五年的主要目标",
    "全省地区生产总值年均增长5.2%，规模以上工业增加值年均增长6.1%，圆满完成规划目标任务。",
]
_LONE_COLUMNS = [
    "某省经济运行稳中向好", "来源：某省日报", "2025年，全省经济运行总体平稳，主",
    "要指标好于预期，全面完成年度目标", "任务，民生保障有力有效。", "今后五年的主要目标",
    "全省地区生产总值年均增长5.2%，规", "模以上工业增加值年均增长6.1%，发展",
    "质量稳步提升，圆满完成规划目标", "任务。",
]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("\n".join(_LONE_PARAGRAPHS) + "\n", id="web-text-lone-heading"),
        pytest.param("\n\n".join(_LONE_COLUMNS) + "\n", id="ocr-column-lone-heading"),
    ],
)
def test_lone_heading_in_every_layout(raw: str) -> None:
    seg = segment_text(clean_text(raw))
    assert [s.title for s in seg.sections] == ["今后五年的主要目标"]
    assert [s.section for s in seg.sentences if "%" in s.text] == ["今后五年的主要目标"]


@pytest.mark.parametrize(
    ("heading", "sections", "periods"),
    [
        pytest.param(
            "“十四五”时期重大成就",
            [None, None, "“十四五”时期重大成就", "“十四五”时期重大成就"],
            ["2025", "2025", "2021/2025", "2021/2025"],
            id="lone-plan-period-heading-heads-its-five-year-facts",
        ),
        pytest.param(
            "全省就业保持稳定",
            [None, None, None, None],
            ["2025", "2025", "2025", "2025"],
            id="lone-headline-without-a-heading-word-heads-nothing",
        ),
    ],
)
def test_lone_heading_sections_and_periods(
    heading: str, sections: list[str | None], periods: list[str]
) -> None:
    text = "\n".join([
        "2026年某省政府工作报告摘要",
        "2025年，全省地区生产总值增长5.4%，规模以上工业增加值增长6.3%，经济运行稳中有进。",
        heading,
        "全省城镇新增就业累计500万人，居民人均可支配收入增加1.2万元，发展质量稳步提升。",
    ]) + "\n"
    doc_id = "2026_某省_政府工作报告摘要"
    source = SourceText(
        path=f"{doc_id}.txt", doc_id=doc_id, encoding="utf-8", sha256="0",
        size=len(text.encode()), text=text,
    )
    facts = extract_source(source).facts
    assert [fact.section for fact in facts] == sections
    assert [fact.period for fact in facts] == periods


def test_sentence_sections_and_text_before_first_section() -> None:
    seg = segment("标题", "导语增长5%。", "关键词", "稳进提质", "甲增长5%。", "01", "关键词",
                  "对深圳意味着什么？", "乙增长6%。")
    assert [(s.text, s.section) for s in seg.sentences] == [
        ("标题", None),
        ("导语增长5%。", None),
        ("关键词", "稳进提质"),
        ("稳进提质", "稳进提质"),
        ("甲增长5%。", "稳进提质"),
        ("01", "稳进提质"),
        ("关键词", "对深圳意味着什么"),
        ("对深圳意味着什么？", "对深圳意味着什么"),
        ("乙增长6%。", "对深圳意味着什么"),
    ]
    first, second = seg.sections
    assert (first.start, first.end) == (seg.clean.text.index("关键词"), second.start - 1)
    assert second.end == len(seg.clean.text)


# --------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "sentences"),
    [
        pytest.param("甲增长5%。乙增长6%。", ["甲增长5%。", "乙增长6%。"], id="full-stop"),
        pytest.param("增长了吗？增长了！好。", ["增长了吗？", "增长了！", "好。"],
                     id="question-and-exclamation"),
        pytest.param("甲增长5%；乙增长6%。", ["甲增长5%；", "乙增长6%。"], id="semicolon"),
        pytest.param("GDP grew 5%; exports rose! Why? ok",
                     ["GDP grew 5%;", "exports rose!", "Why?", "ok"],
                     id="ascii-marks-and-spaces-trimmed"),
        pytest.param("真的吗？！是的。", ["真的吗？！", "是的。"], id="end-marks-stay-together"),
        pytest.param("坚决贯彻“疫情要防住。经济要稳住。”的要求。",
                     ["坚决贯彻“疫情要防住。经济要稳住。”的要求。"],
                     id="no-split-inside-quotes"),
        pytest.param("他说：“要加快发展。”会议强调落实。",
                     ["他说：“要加快发展。”", "会议强调落实。"],
                     id="split-after-quoted-utterance"),
        pytest.param("甲增长5%。“要加快发展！”会议强调落实。",
                     ["甲增长5%。", "“要加快发展！”", "会议强调落实。"],
                     id="split-after-quote-opening-a-sentence"),
        pytest.param("会议（详见附件。）强调落实。", ["会议（详见附件。）强调落实。"],
                     id="no-split-inside-full-width-brackets"),
        pytest.param("会议(详见附件。)强调；落实。", ["会议(详见附件。)强调；", "落实。"],
                     id="no-split-inside-half-width-brackets"),
        pytest.param("舞剧《天工开物？》在联合国亮相。", ["舞剧《天工开物？》在联合国亮相。"],
                     id="no-split-inside-book-title"),
        pytest.param("他说：“报告称‘增长5%。’很好。”然后。",
                     ["他说：“报告称‘增长5%。’很好。”", "然后。"],
                     id="nested-quotes"),
        pytest.param("他说“要加快发展。后来增长5%。再后来增长6%。",
                     ["他说“要加快发展。", "后来增长5%。", "再后来增长6%。"],
                     id="unclosed-quote-does-not-swallow-the-rest"),
        pytest.param("增长5%。”又增长6%。", ["增长5%。”", "又增长6%。"],
                     id="stray-closing-quote-kept"),
        pytest.param("一是经济增长好于预期。地区生产总值增长5.2%",
                     ["一是经济增长好于预期。", "地区生产总值增长5.2%"],
                     id="text-after-last-mark-is-a-sentence"),
        pytest.param("拼搏实干 奋勇先行", ["拼搏实干 奋勇先行"], id="title-is-one-sentence"),
    ],
)
def test_split_sentences(paragraph: str, sentences: list[str]) -> None:
    assert [paragraph[a:b] for a, b in split_sentences(paragraph)] == sentences


def test_overlong_quote_is_taken_as_unbalanced() -> None:
    # A “ closed only 300+ characters later is OCR noise, not a quotation.
    paragraph = "他说“" + "增长5%。" * 80 + "”完"
    spans = split_sentences(paragraph)
    assert len(spans) == 81


def test_sentence_offsets_point_into_the_cleaned_text() -> None:
    seg = segment("标题", "导语 增长5%。 又增长6%。", "关键词", "稳进提质")
    text = seg.clean.text
    assert [(s.index, s.text, text[s.start : s.end]) for s in seg.sentences] == [
        (0, "标题", "标题"),
        (1, "导语 增长5%。", "导语 增长5%。"),
        (2, "又增长6%。", "又增长6%。"),
        (3, "关键词", "关键词"),
        (4, "稳进提质", "稳进提质"),
    ]
    assert [s.kind for s in seg.sentences] == ["title", "body", "body", "keyword", "heading"]


PARAGRAPH_TEXT = st.lists(
    st.sampled_from(
        [*"增长5%亿元一二、，。！？；;!? “”‘’（）()《》【】「」关键词01", "一、", "关键词"]
    ),
    min_size=1,
    max_size=200,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH_TEXT, min_size=1, max_size=8))
def test_property_sentences_tile_every_paragraph(paragraphs: list[str]) -> None:
    # Every paragraph with text yields at least one sentence; sentences are
    # exact slices of the cleaned text, in order, and lose no character.
    clean = clean_text("\n".join(paragraphs))
    seg = segment_text(clean)
    text = clean.text
    for paragraph in seg.paragraphs:
        inside = [s for s in seg.sentences if paragraph.start <= s.start < paragraph.end]
        assert inside, paragraph
        assert all(s.kind == paragraph.kind and s.end <= paragraph.end for s in inside)
        assert "".join(s.text for s in inside).replace(" ", "") == paragraph.text.replace(" ", "")
    assert all(text[s.start : s.end] == s.text for s in seg.sentences)
    assert [s.index for s in seg.sentences] == list(range(len(seg.sentences)))
    assert all(a.end <= b.start for a, b in zip(seg.sentences, seg.sentences[1:], strict=False))


# --------------------------------------------------------------------------
# Hostile text
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("关键词\n" * 100_000, id="hundred-thousand-keyword-lines"),
        pytest.param("“" * 50_000 + "增长5%。" + "”" * 50_000, id="deeply-nested-quotes"),
        pytest.param("（" * 100_000, id="unclosed-brackets"),
        pytest.param("一、\n" * 20_000, id="many-empty-headings"),
    ],
)
def test_hostile_text_segments_without_error(text: str) -> None:
    seg = segment_text(clean_text(text))
    assert seg.sentences


# --------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize(
    ("stem", "title", "byline", "sections"),
    [
        pytest.param(
            "000_a624ea3b61366e50", "拼搏实干 奋勇先行", "融媒记者 吕晓婷 王佳涵 整理",
            ["稳进提质", "产业转型", "城乡面貌", "营商环境", "共同富裕", "除险保安", "党的建设"],
            id="newspaper-keyword-sections",
        ),
        pytest.param(
            "01_jiangxi-2026-gov-work-report", None, None, ["2025年工作及“十四五”时期发展回顾"],
            id="work-report-numbered-section",
        ),
        pytest.param(
            "05_shenzhen-2022-gdp-3-trillion-news", "书记市长拜年爆猛料，深圳GDP破3万亿元",
            "“深圳卫视深视新闻”微信公众号", ["深圳的3万亿之路", "对深圳乃至大湾区意味着什么"],
            id="news-ordinal-and-keyword-sections",
        ),
        pytest.param(
            "12_guangdong-jiangsu-shandong-2021-stats-news",
            "粤苏鲁经济领跑全国，GDP总量相加超30万亿元",
            None, [], id="stats-news-without-sections",
        ),
    ],
)
def test_corpus_structure(stem: str, title: str | None, byline: str | None,
                          sections: list[str]) -> None:
    raw = (CORPUS / "raw" / f"{stem}.txt").read_text(encoding="utf-8")
    seg = segment_text(clean_text(raw, doc_id=stem))
    assert (seg.title, seg.byline) == (title, byline)
    assert [s.title for s in seg.sections] == sections


@pytest.mark.parametrize("batch", [1, 2, 3])
def test_paragraphs_and_sentences_are_the_same_whatever_the_validation_batch(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    text = "\n".join(
        [
            "标题",
            "一、总体回顾",
            "一是增长好于预期。投资增长5%；消费回升。",
            "二、明年安排",
            "稳增长。保就业。",
        ]
    )
    clean = CleanText(doc_id="d", text=text, line_starts=[(0, 1)])
    whole = segment_text(clean)
    monkeypatch.setattr(extract.validate, "BATCH_SIZE", batch)
    batched = segment_text(clean)
    assert batched.model_dump() == whole.model_dump()
    assert [s.index for s in batched.sentences] == list(range(8))
    assert len(batched.paragraphs) == 5
