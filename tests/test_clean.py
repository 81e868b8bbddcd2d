"""Tests for the clean stage: character fixes, re-flow, furniture, the raw-line map."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.clean import (
    FIX_STEPS,
    FixStep,
    _fix_to_fixed_point,
    _header_kind,
    _is_keyword,
    _is_start_header,
    _is_sub_heading,
    _may_be_header,
    _Memo,
    _names_next_line,
    _wide_re,
    clean_text,
    display_width,
    fix_characters,
)
from extract.lexicon import load_lexicon
from extract.models import CleanText

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
RAW_FILES = sorted((CORPUS / "raw").glob("*.txt")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not RAW_FILES, reason=f"shared corpus not found at {CORPUS} (tests read ../shared/corpus)"
)


def column(*lines: str) -> str:
    """Return ``lines`` as OCR column text: a stray blank line after every line."""
    return "\n\n".join(lines) + "\n"


# A column-broken body paragraph (17-character column) used as context, so the
# text under test is judged column-broken rather than already flowed.
BODY = (
    "深入实施新一轮制造业“腾笼换",
    "鸟、凤凰涅槃”攻坚行动，研究出台行",
    "动方案5个、配套政策7项。",
    "招大引强力度空前，落地3亿元",
    "以上项目11个，其中10亿元以上项",
    "目6个，签约50亿元、100亿元以上",
    "项目各1个。",
)
BODY_TEXT = (
    "深入实施新一轮制造业“腾笼换鸟、凤凰涅槃”攻坚行动，研究出台行动方案5个、配套政策7项。\n"
    "招大引强力度空前，落地3亿元以上项目11个，其中10亿元以上项目6个，签约50亿元、100亿元以上项目各1个。"
)


# --------------------------------------------------------------------------
# Character fixes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "steps"),
    [
        pytest.param("增长１３．８％", "增长13.8%", [
            "fix_fullwidth_digits", "fix_fullwidth_percent", "fix_fullwidth_decimal_point"],
            id="fullwidth-number-becomes-ascii"),
        pytest.param("１２，３４", "12，34", ["fix_fullwidth_digits"],
                     id="fullwidth-comma-list-stays-two-numbers"),
        pytest.param("完成．", "完成．", [], id="fullwidth-stop-not-between-digits-kept"),
        pytest.param("收入增长7，4%，高于全国。", "收入增长7.4%，高于全国。",
                     ["fix_ocr_decimal_comma"], id="ocr-comma-inside-a-percentage-is-its-point"),
        pytest.param("人口自然增长率为1，8‰。", "人口自然增长率为1.8‰。",
                     ["fix_ocr_decimal_comma"], id="ocr-comma-inside-a-per-mille-is-its-point"),
        pytest.param("排名第3，5%的企业", "排名第3，5%的企业", [],
                     id="comma-after-an-ordinal-is-no-point"),
        pytest.param("依次为1，2，3%", "依次为1，2，3%", [],
                     id="comma-in-a-list-of-bare-numbers-is-no-point"),
        pytest.param("拼搏实干\u3000奋勇先行", "拼搏实干 奋勇先行", ["replace_ideographic_space"],
                     id="ideographic-space-becomes-space"),
        pytest.param("36.5\u00a0亿元", "36.5 亿元", ["replace_no_break_space"],
                     id="no-break-space-becomes-space"),
        pytest.param("3\u200b6.\u200d5亿元\ufeff", "36.5亿元", ["remove_zero_width"],
                     id="zero-width-characters-removed"),
        pytest.param("３\u200b．５", "3.5", [
            "remove_zero_width", "fix_fullwidth_digits", "fix_fullwidth_decimal_point"],
            id="decimal-point-fixed-after-zero-width-removed"),
        pytest.param("ＧＤＰ增长", "GDP增长", ["fix_fullwidth_letters"],
                     id="fullwidth-letters-become-ascii"),
        pytest.param("10³㎡“１＋７＋Ｎ”", "10³㎡“1＋7＋N”",
                     ["fix_fullwidth_digits", "fix_fullwidth_letters"],
                     id="no-blanket-nfkc-superscript-and-symbols-kept"),
        pytest.param("增长5.2%，完成。", "增长5.2%，完成。", [], id="clean-text-records-no-step"),
        pytest.param("——2030 年 1 月 15 日在", "——2030年1月15日在", ["remove_space_in_date"],
                     id="spaced-date-closed-up"),
        pytest.param("1-11 月，连续 8 年", "1-11月，连续 8年", ["remove_space_in_date"],
                     id="space-before-month-and-year-words-only"),
        pytest.param("达 5.5 万元，09:30 来源：某报", "达 5.5 万元，09:30 来源：某报", [],
                     id="space-before-a-unit-or-a-label-kept"),
        pytest.param("年 3个", "年 3个", [], id="year-word-without-a-number-keeps-its-space"),
        pytest.param("增长5.2%[3]。", "增长5.2%。", ["remove_footnote_references"],
                     id="footnote-reference-after-a-figure-removed"),
        pytest.param("任务如下：[1]加快发展", "任务如下：[1]加快发展", [],
                     id="bracketed-number-opening-an-item-kept"),
        pytest.param("领跑全国.尽管如此", "领跑全国。尽管如此", ["fix_ascii_full_stop"],
                     id="ascii-full-stop-between-chinese-is-a-sentence-end"),
        pytest.param("增长5.4%.地方收入", "增长5.4%。地方收入", ["fix_ascii_full_stop"],
                     id="ascii-full-stop-after-a-percentage-is-a-sentence-end"),
        pytest.param("见www.gov.cn，1.加快发展", "见www.gov.cn，1.加快发展", [],
                     id="ascii-full-stop-of-an-address-or-an-enumerator-kept"),
        pytest.param("第一产业(yè)增加值217.3亿元，统(tǒng)计局", "第一产业增加值217.3亿元，统计局",
                     ["remove_pinyin_glosses"], id="pinyin-gloss-after-a-character-removed"),
        pytest.param("见附表(b)，增长5%(初步)", "见附表(b)，增长5%(初步)", [],
                     id="bracketed-letter-without-a-tone-mark-kept"),
        pytest.param("全年地區生產總值增長5.3%，原煤產量1.53億噸。",
                     "全年地区生产总值增长5.3%，原煤产量1.53亿吨。",
                     ["convert_traditional_script"], id="traditional-script-read-as-simplified"),
        pytest.param("成效顯著，經濟總量達到3萬億元", "成效显著，经济总量达到3万亿元",
                     ["convert_traditional_script"], id="traditional-phrase-converted-whole"),
        pytest.param("与臺灣積體電路合作，产值增长5%", "与臺灣積體電路合作，产值增长5%", [],
                     id="traditional-name-in-simplified-text-kept"),
        pytest.param("显著提高，著名企业增长12%", "显著提高，著名企业增长12%", [],
                     id="simplified-text-with-shared-characters-kept"),
    ],
)
def test_fix_characters(raw: str, expected: str, steps: list[str]) -> None:
    assert fix_characters(raw) == (expected, steps)
    assert clean_text(raw).steps == steps


def test_fix_table_runs_to_a_fixed_point_without_repeating_a_step_on_unchanged_text() -> None:
    calls: list[str] = []

    def replacing(old: str, new: str) -> FixStep:
        def apply(text: str) -> str:
            calls.append(old)
            return text.replace(old, new)

        return FixStep(f"{old}-to-{new}", apply, keeps_length=True)

    # x becomes y in the second step, which the first step then turns into z in round two
    fixed = _fix_to_fixed_point("x", (replacing("y", "z"), replacing("x", "y")))
    assert fixed == ("z", ["x-to-y", "y-to-z"], True)
    # round two's second step would see the text it left as it was in round one: not run
    assert calls == ["y", "x", "y", "x", "y"]


def test_steps_record_a_fix_made_only_after_joining() -> None:
    raw = column(
        "标题", *BODY[:3], "全市生产总值增长３", "．５%，增速居全省第", "一位，经济运行稳中有",
        "进。",
    )
    clean = clean_text(raw)
    assert "增长3.5%，" in clean.text
    assert clean.steps == ["fix_fullwidth_digits", "fix_fullwidth_decimal_point"]


#: Characters the fixes change, and characters they look at around them.
FIXABLE = (
    "０５９．％Ａｚ\u3000\u00a0\u2009\u2028\x0b\u0665\u066b\u066a\u06f5"
    "05.,%，。Ol增长 \n"
)


@pytest.mark.parametrize(
    "step", [step for step in FIX_STEPS if step.per_character], ids=lambda step: step.name
)
@settings(max_examples=100, deadline=None)
@given(left=st.text(alphabet=FIXABLE, max_size=12), right=st.text(alphabet=FIXABLE, max_size=12))
def test_a_per_character_fix_fixes_joined_text_part_by_part(
    step: FixStep, left: str, right: str
) -> None:
    # Re-flow runs only the other fixes on paragraphs joined from fixed lines.
    for gap in ("", " ", "\n"):
        assert step.apply(left + gap + right) == step.apply(left) + gap + step.apply(right)


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(["增长5，", "3%"], id="decimal-comma-at-a-line-end"),
        pytest.param(["82，", "225.00元"], id="thousands-comma-at-a-line-end"),
        pytest.param(["增长3", "．5%"], id="decimal-point-at-a-line-start"),
        pytest.param(["就业4", "O%", "产量", "l2.3亿斤"], id="ocr-letters-at-a-line-start"),
        pytest.param([" 4O% ", "\u3000１２，３４ "], id="spaces-around-the-fixes"),
    ],
)
def test_fixes_see_one_line_at_a_time(lines: list[str]) -> None:
    # Re-flow fixes only the paragraphs it joins: fixing a line among others, or stripped,
    # must give what fixing it alone gives.
    together = fix_characters("\n".join(lines))[0].split("\n")
    alone = [fix_characters(line)[0] for line in lines]
    assert together == alone
    assert [line.strip() for line in alone] == [
        fix_characters(line.strip())[0] for line in lines
    ]


@pytest.mark.parametrize(
    ("text", "width"),
    [
        pytest.param("增长", 4, id="han-is-two-columns"),
        pytest.param("13.8%", 5, id="ascii-is-one-column"),
        pytest.param("“十四五”", 10, id="chinese-quotes-are-two-columns"),
        pytest.param("", 0, id="empty"),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


# --------------------------------------------------------------------------
# Re-flow
# --------------------------------------------------------------------------

FIRST = BODY_TEXT.split("\n")[0]

#: Key points of a report one a line, as news sites list them: short items of any length
#: and longer ones, none with an end mark; no line runs on into the next.
#: The same kind of list with a bullet before each point, and a plain line after the
#: longest ones: each line is a paragraph, however wide.
BULLET_POINTS = [
    "某省政府工作报告要点",
    "■ 过去五年",
    "●地区生产总值迈上5万亿元台阶",
    "●高铁通车里程进至全国第8位",
    "城乡面貌焕然一新",
    "●市场主体突破800万户",
    "●新增就业超60万人",
    "民生福祉持续增进",
    "●新增学位20万个",
    "●5个遗址入选考古发现",
    "■ 今年目标",
    "●新增就业50万人",
    "●居民收入同步增长",
    "●粮食产量保持400亿斤以上",
]


KEY_POINTS = [
    "某省政府工作报告要点",
    "一、过去五年工作回顾",
    "地区生产总值迈上5万亿元台阶",
    "高铁通车里程进至全国第8位、实现市市通高铁",
    "市场经营主体总量突破800万户",
    "都市圈经济总量达到2.6万亿元",
    "城镇新增就业每年超过60万人",
    "5个遗址入选百大考古发现",
    "二、今年重点工作",
    "预期目标：城镇新增就业50万人以上；居民收入增长和经济增长同步；粮食产量保持400亿斤以上",
    "消费：稳定住房、汽车、家电家居等大宗消费；落实职工带薪错峰休假制度",
    "投资：推进水运新通道等1.2万个亿元以上新建续建项目建设",
    "改革：全面推行零基预算改革；推进50个扩面试点项目建设",
]

REFLOW_CASES = [
    pytest.param(
        column("标题", *BODY, "制造业投资增长13.3%、连续48个", "月保持两位数增长；",
               "二、2026年经济社会发展主要目标", "全省地区生产总值增长5.5%以上；",
               "固定资产投资增长5%左右。"),
        f"标题\n{BODY_TEXT}\n制造业投资增长13.3%、连续48个月保持两位数增长；\n"
        "二、2026年经济社会发展主要目标\n全省地区生产总值增长5.5%以上；固定资产投资增长5%左右。",
        id="a-heading-as-wide-as-the-column-after-an-item-ending-in-a-semicolon",
    ),
    pytest.param(
        "某省新闻\n发布时间：2024-01-25\n2024年，全省地区生产总值增长5%。",
        "某省新闻\n发布时间：2024-01-25\n2024年，全省地区生产总值增长5%。",
        id="a-line-ending-in-a-date-is-not-joined-to-digits-after-it",
    ),
    pytest.param(
        "某省新闻\n2026-01-27 23:08\n2026年主要预期目标：地区生产总值增长5%左右。",
        "某省新闻\n2026-01-27 23:08\n2026年主要预期目标：地区生产总值增长5%左右。",
        id="a-line-ending-in-a-clock-time-is-not-joined-to-digits-after-it",
    ),
    pytest.param(
        column("标题", *BODY, "售超800亿元、惠及消费者", "750余万人次；旅游总花费增长1",
               "3.8%，接待入境游客超60万人次", "，“赣超”火爆出圈。"),
        f"标题\n{BODY_TEXT}\n售超800亿元、惠及消费者750余万人次；旅游总花费增长13.8%，"
        "接待入境游客超60万人次，“赣超”火爆出圈。",
        id="number-cut-across-lines-joined",
    ),
    pytest.param(
        column("标题", *BODY, "稳定的经济增速，2021年这3个省份的G", "DP均增长了8%及以上，广东两年",
               "平均增速与全国持平。"),
        f"标题\n{BODY_TEXT}\n稳定的经济增速，2021年这3个省份的GDP均增长了8%及以上，广东两年"
        "平均增速与全国持平。",
        id="latin-acronym-cut-in-chinese-text-joins-without-space",
    ),
    pytest.param(
        column(
            "标题", *BODY, "新一代电子信息、Apple ", "Watch 等产品出口增长，全省", "外贸稳中有进。"
        ),
        f"标题\n{BODY_TEXT}\n新一代电子信息、Apple Watch 等产品出口增长，全省外贸稳中有进。",
        id="latin-words-with-space-at-the-break-keep-one-space",
    ),
    pytest.param(
        column("Report", "The city economy grew", "by 13.8 percent in the", "first three quarters,",
               "ahead of the national", "average, and industry", "output rose strongly."),
        "Report\nThe city economy grew by 13.8 percent in the first three quarters, ahead of the "
        "national average, and industry output rose strongly.",
        id="latin-script-text-joins-with-one-space",
    ),
    pytest.param(
        column("标题", *BODY, "深入开展“扛旗强基 三源共洽”", "专项行动，迭代升级“龙山经验”“一",
               "中心四平台一网格”社会治理体系。"),
        f"标题\n{BODY_TEXT}\n深入开展“扛旗强基 三源共洽”专项行动，迭代升级“龙山经验”“一"
        "中心四平台一网格”社会治理体系。",
        id="inner-space-kept",
    ),
    pytest.param(
        column("标题", *BODY),
        f"标题\n{BODY_TEXT}",
        id="short-line-with-period-ends-paragraph",
    ),
    pytest.param(
        column("标题", *BODY, "支持和保证人大依法履职，打响", "全过程人民民主基层实践永康品牌。",
               "支持和保证政协发挥制度优势，", "“三位一体”履职平台建设成效明显。",
               "党管武装工作扎实有效。"),
        f"标题\n{BODY_TEXT}\n支持和保证人大依法履职，打响全过程人民民主基层实践永康品牌。"
        "支持和保证政协发挥制度优势，“三位一体”履职平台建设成效明显。党管武装工作扎实有效。",
        id="full-width-line-with-period-does-not-end-paragraph",
    ),
    pytest.param(
        column("拼搏实干 奋勇先行", "我市经济社会发展实现稳中求进",
               "9月21日下午召开的市委全体会议，全面总结了今年以来的工作。面对深刻复杂变化的国内外形势，",
               "市委坚决贯彻“疫情要防住、经济要稳住、发展要安全”的重要指示要求，建设迈出坚定步伐。",
               "融媒记者 吕晓婷 王佳涵 整理", "关键词", "稳进提质", *BODY),
        "拼搏实干 奋勇先行\n我市经济社会发展实现稳中求进\n"
        "9月21日下午召开的市委全体会议，全面总结了今年以来的工作。面对深刻复杂变化的国内外形势，"
        "市委坚决贯彻“疫情要防住、经济要稳住、发展要安全”的重要指示要求，建设迈出坚定步伐。\n"
        f"融媒记者 吕晓婷 王佳涵 整理\n关键词\n稳进提质\n{BODY_TEXT}",
        id="title-subtitle-wide-lead-byline-keyword-stand-alone",
    ),
    pytest.param(
        column("标题", "“深圳卫视深视新闻”微信公众号", *BODY),
        f"标题\n“深圳卫视深视新闻”微信公众号\n{BODY_TEXT}",
        id="channel-credit-stands-alone",
    ),
    pytest.param(
        column("一、2025年工作及“十四五”时期发展回顾", *BODY, "（二）产业发展向新图强",
               "科技创新和产业创新双向奔赴，崖州湾", "国家实验室南昌物种创新平台成功落地",
               "，2家全国重点实验室获批建设。"),
        f"一、2025年工作及“十四五”时期发展回顾\n{BODY_TEXT}\n（二）产业发展向新图强\n"
        "科技创新和产业创新双向奔赴，崖州湾国家实验室南昌物种创新平台成功落地，2家全国重点实验室获批建设。",
        id="numbered-headings-stand-alone-and-comma-line-continues",
    ),
    pytest.param(
        column("标题", *BODY, "一是经济增长好于预期。地区生产总值",
               "增长5.2%，规模以上工业增加值增长", "7.5%。"),
        f"标题\n{BODY_TEXT}\n一是经济增长好于预期。地区生产总值增长5.2%，规模以上工业增加值增长7.5%。",
        id="yi-shi-lead-sentence-is-not-a-heading",
    ),
    pytest.param(
        column("标题", *BODY, "（一）着力扩大内需。坚持提振消费", "和扩大投资结合，社会消费品零售",
               "总额增长4.7%。"),
        f"标题\n{BODY_TEXT}\n（一）着力扩大内需。坚持提振消费和扩大投资结合，社会消费品零售总额增长4.7%。",
        id="heading-with-body-on-its-line-is-not-standalone",
    ),
    pytest.param(
        column("标题", *BODY, "01", "关键词", "深圳的3万亿之路", "目前，深圳全年详细的经济数据",
               "尚未发布，但是从深圳市统计局发布", "的数据看，依然可以一窥端倪。"),
        f"标题\n{BODY_TEXT}\n01\n关键词\n深圳的3万亿之路\n"
        "目前，深圳全年详细的经济数据尚未发布，但是从深圳市统计局发布的数据看，依然可以一窥端倪。",
        id="ordinal-line-kept-and-stands-alone",
    ),
    pytest.param(
        column("2025年某市国民经济和社", "会发展统计公报", "一、综合", *BODY),
        f"2025年某市国民经济和社\n会发展统计公报\n一、综合\n{BODY_TEXT}",
        id="short-heading-stands-alone-after-a-wrapped-headline",
    ),
    pytest.param(
        column("标题", *BODY, "关键词：稳进提质", *BODY),
        f"标题\n{BODY_TEXT}\n关键词：稳进提质\n{BODY_TEXT}",
        id="keyword-with-its-name-does-not-cut-the-next-paragraph",
    ),
    pytest.param(
        column("标题", *BODY, "（一）聚焦扩大需求，经济运行稳中", "向好。实施重点项目386个。"),
        f"标题\n{BODY_TEXT}\n（一）聚焦扩大需求，经济运行稳中向好。实施重点项目386个。",
        id="sub-heading-lead-sentence-filling-the-column-runs-on",
    ),
    pytest.param(
        column("政府工作报告", "——2026年1月10日在市第十七届人民代表大会第五次会议上",
               "市长 王五", "各位代表：", *BODY),
        "政府工作报告\n——2026年1月10日在市第十七届人民代表大会第五次会议上\n市长 王五\n"
        f"各位代表：\n{BODY_TEXT}",
        id="work-report-occasion-speaker-and-salutation-stand-alone",
    ),
    pytest.param(
        column("标题", *BODY, "生产安全事故起数、死亡人数分别下", "降9.62%、10.47%",
               "。打击治理电信网络诈骗成效连续5", "个季度居全国前列，信访总量下降9",
               ".6%，社会运行更加安定有序。"),
        f"标题\n{BODY_TEXT}\n生产安全事故起数、死亡人数分别下降9.62%、10.47%。打击治理电信网络诈骗成效连续5"
        "个季度居全国前列，信访总量下降9.6%，社会运行更加安定有序。",
        id="short-line-before-line-starting-with-punctuation-continues",
    ),
    pytest.param(
        "标题\n坚持外防输入、内防反弹。\n就业形势总体稳定，新增城镇就业人员超1万人。\n党管武装工作扎实有效\n",
        "标题\n坚持外防输入、内防反弹。\n就业形势总体稳定，新增城镇就业人员超1万人。\n党管武装工作扎实有效",
        id="flowed-text-keeps-one-paragraph-a-line",
    ),
    pytest.param(
        column("全市生产总值达到1", "2345亿元，增长5%。", *BODY),
        f"全市生产总值达到12345亿元，增长5%。\n{BODY_TEXT}",
        id="number-cut-after-the-first-line-of-a-file-without-title",
    ),
    pytest.param(
        column("12", "345亿元，增长5%。", *BODY),
        f"12345亿元，增长5%。\n{BODY_TEXT}",
        id="first-line-of-digits-continued-by-digits-is-no-ordinal",
    ),
    pytest.param(
        column("标题", *BODY, "123", "45亿元，增长5%。"),
        f"标题\n{BODY_TEXT}\n12345亿元，增长5%。",
        id="line-of-digits-continued-by-digits-is-no-ordinal-anywhere",
    ),
    pytest.param(
        column("标题", *BODY, "全市地区生产总值增长6.", "8%，社会运行更加安定有序。"),
        f"标题\n{BODY_TEXT}\n全市地区生产总值增长6.8%，社会运行更加安定有序。",
        id="number-cut-after-its-decimal-point-joined",
    ),
    pytest.param(
        "标题\n地区生产总值增长6.\n8%，就业形势总体稳定。",
        "标题\n地区生产总值增长6.8%，就业形势总体稳定。",
        id="number-cut-after-its-decimal-point-in-flowed-text-joined",
    ),
    pytest.param(
        "标题\n1.\n2025年工作回顾",
        "标题\n1.\n2025年工作回顾",
        id="enumerator-alone-on-its-line-stays",
    ),
    pytest.param(
        column("标题", *BODY, "一般公共预算收入1 ", "234 567万元，社会运行更加安定有序。"),
        f"标题\n{BODY_TEXT}\n一般公共预算收入1 234 567万元，社会运行更加安定有序。",
        id="space-between-digit-groups-at-a-break-kept",
    ),
    pytest.param(
        column("标题", *BODY, "全市地区生产总值达到1", "2345亿元，社会运行更加安定有序。"),
        f"标题\n{BODY_TEXT}\n全市地区生产总值达到12345亿元，社会运行更加安定有序。",
        id="digits-cut-without-a-space-join-without-one",
    ),
    pytest.param(
        "首页\n要闻\n——2025年1月20日在某市第十届人民代表大会第\n三次会议上\n各位代表：",
        "首页\n要闻\n——2025年1月20日在某市第十届人民代表大会第三次会议上\n各位代表：",
        id="ordinal-cut-after-di-in-flowed-text-joined",
    ),
    pytest.param(
        "标题\n全市经济总量跃居全省第\n2位，增长5%。",
        "标题\n全市经济总量跃居全省第2位，增长5%。",
        id="ordinal-cut-before-its-digits-in-flowed-text-joined",
    ),
    pytest.param(
        "标题\n次第\n花开，春意正浓。",
        "标题\n次第\n花开，春意正浓。",
        id="line-ending-in-di-before-no-numeral-stays",
    ),
    pytest.param("12\n\n345亿元", "12345亿元", id="number-cut-in-flowed-text-joined"),
    pytest.param(
        "标题\n城镇新增就业人数达到43.6\n万人，就业形势总体稳定。",
        "标题\n城镇新增就业人数达到43.6万人，就业形势总体稳定。",
        id="multiplier-cut-from-its-number-in-flowed-text-joined",
    ),
    pytest.param(
        "标题\n全区生产总值达到2.7万\n亿元，增长5%。",
        "标题\n全区生产总值达到2.7万亿元，增长5%。",
        id="compound-multiplier-cut-in-flowed-text-joined",
    ),
    pytest.param(
        "标题\n02\n万家灯火 温暖民生",
        "标题\n02\n万家灯火 温暖民生",
        id="line-of-digits-before-a-line-opening-with-wan-stays",
    ),
    pytest.param(
        "标题\n地区生产总值12\n345亿元，增长5%。\n就业形势总体稳定。",
        "标题\n地区生产总值12345亿元，增长5%。\n就业形势总体稳定。",
        id="number-cut-inside-flowed-text-joined",
    ),
    pytest.param(
        column("标题", *BODY, "招大引强力度空前，落地3亿元以上。", "营商环境",
               "迭代落地数字化改革“1612”体", "系，健全“一把手”抓改革机制。"),
        f"标题\n{BODY_TEXT}\n招大引强力度空前，落地3亿元以上。\n营商环境\n"
        "迭代落地数字化改革“1612”体系，健全“一把手”抓改革机制。",
        id="plain-heading-after-a-full-line-ending-a-sentence-stands-alone",
    ),
    pytest.param(
        column("标题", *BODY, "经济平稳增长 民生持续改善", "全年城镇新增就业人员超过12万人，",
               "居民人均可支配收入增长6%。"),
        f"标题\n{BODY_TEXT}\n经济平稳增长 民生持续改善\n"
        "全年城镇新增就业人员超过12万人，居民人均可支配收入增长6%。",
        id="two-part-heading-short-of-the-column-after-a-paragraph-stands-alone",
    ),
    pytest.param(
        column("标题", *BODY, "“十五五”时期主要目标", "全市生产总值增长5%左右，城镇新增",
               "就业人员超过12万人。"),
        f"标题\n{BODY_TEXT}\n“十五五”时期主要目标\n全市生产总值增长5%左右，城镇新增就业人员超过12万人。",
        id="line-naming-a-part-of-a-report-after-a-paragraph-stands-alone",
    ),
    pytest.param(
        column("标题", "全市生产总值增长5%左右；", "今年工作安排",
               "全市生产总值增长5%左右，城镇新增", "就业人员超过12万人。", *BODY),
        f"标题\n全市生产总值增长5%左右；\n今年工作安排\n"
        f"全市生产总值增长5%左右，城镇新增就业人员超过12万人。\n{BODY_TEXT}",
        id="line-naming-a-part-of-a-report-after-a-list-item-stands-alone",
    ),
    pytest.param(
        column("标题", *BODY, "招大引强力度空前，落地3亿元以上", "项目11个，圆满完成年度目标",
               "任务，签约项目各1个。"),
        f"标题\n{BODY_TEXT}\n招大引强力度空前，落地3亿元以上项目11个，圆满完成年度目标任务，签约项目各1个。",
        id="line-ending-in-a-report-part-word-inside-a-paragraph-runs-on",
    ),
    pytest.param(
        column("标题", *BODY, "“世界五金之都 品质活力", "永康”建设迈出坚定步伐，研究出",
               "台行动方案5个、配套政策7项。"),
        f"标题\n{BODY_TEXT}\n“世界五金之都 品质活力永康”建设迈出坚定步伐，"
        "研究出台行动方案5个、配套政策7项。",
        id="slogan-with-a-space-opening-a-paragraph-runs-on",
    ),
    pytest.param(
        column("标题", *BODY, "招大引强力度空前，落地3亿元以上。", "成功入围国家知识产权试点示",
               "范城市，建成一批创新平台。"),
        f"标题\n{BODY_TEXT}\n招大引强力度空前，落地3亿元以上。成功入围国家知识产权试点示"
        "范城市，建成一批创新平台。",
        id="line-without-marks-as-wide-as-the-next-runs-on",
    ),
    pytest.param(
        column("标题", *BODY, "■ 过去一年", "●全省地区生产总值增长5%", "●粮食产量达到600亿斤",
               "▲城乡居民收入稳步增长", "•新增城镇就业45万人"),
        f"标题\n{BODY_TEXT}\n■ 过去一年\n●全省地区生产总值增长5%\n●粮食产量达到600亿斤\n"
        "▲城乡居民收入稳步增长\n•新增城镇就业45万人",
        id="each-bullet-line-is-its-own-paragraph",
    ),
    pytest.param(
        column("标题", *BODY, "●全省地区生产总值增长5%，规上", "工业增加值增长6%，固定资产",
               "投资增长4%", "●粮食产量达到600亿斤"),
        f"标题\n{BODY_TEXT}\n●全省地区生产总值增长5%，规上工业增加值增长6%，固定资产投资增长4%\n"
        "●粮食产量达到600亿斤",
        id="a-wrapped-bullet-item-joins-its-own-lines-only",
    ),
    pytest.param(
        column("标题", *BODY, "◆全省地区生产总值增长5%；", "◆固定资产投资增长4%，社会消",
               "费品零售总额增长6%；", "◆城乡居民收入增长与经济增长",
               "同步，物价涨幅3%左右。"),
        f"标题\n{BODY_TEXT}\n◆全省地区生产总值增长5%；\n◆固定资产投资增长4%，社会消费品零售总额增长6%；\n"
        "◆城乡居民收入增长与经济增长同步，物价涨幅3%左右。",
        id="a-cross-head-mark-opening-a-full-line-is-a-wrapped-list-item",
    ),
    pytest.param(
        column("标题", *BODY, "■ 2026年全省经济社会发展的主要", "预期目标",
               "●全省地区生产总值增长5%左右"),
        f"标题\n{BODY_TEXT}\n■ 2026年全省经济社会发展的主要预期目标\n●全省地区生产总值增长5%左右",
        id="a-cross-head-as-wide-as-the-column-goes-on-in-the-next-line",
    ),
    pytest.param(
        column("某省政府工作报告要点", "■ 去年成绩单", "●全省地区生产总值增长",
               "5%左右", "●规上工业增加值、固定资产", "投资、社会消费品零售总额增",
               "速均高于全国平均", "●粮食总产达到600亿斤", "●十大类民生实事全部超额",
               "完成", "●城镇调查失业率5.5%左", "右，城镇新增就业70万人以", "上",
               "●居民收入增长与经济增长同", "步"),
        "某省政府工作报告要点\n■ 去年成绩单\n●全省地区生产总值增长5%左右\n"
        "●规上工业增加值、固定资产投资、社会消费品零售总额增速均高于全国平均\n"
        "●粮食总产达到600亿斤\n●十大类民生实事全部超额完成\n"
        "●城镇调查失业率5.5%左右，城镇新增就业70万人以上\n●居民收入增长与经济增长同步",
        id="a-list-of-bullet-items-cut-into-a-column-is-rejoined",
    ),
    pytest.param(
        "\n".join(BULLET_POINTS),
        "\n".join(BULLET_POINTS),
        id="a-list-of-bullet-points-one-a-line-is-no-column",
    ),
    pytest.param(
        column("标题", *BODY, "全省地区生产总值增长5%，二", "○二五年粮食产量达到600亿斤。"),
        f"标题\n{BODY_TEXT}\n全省地区生产总值增长5%，二○二五年粮食产量达到600亿斤。",
        id="a-line-opening-with-the-zero-circle-is-no-bullet",
    ),
    pytest.param(
        column("标题", *BODY, "全省地区生产总值增长5%，规", "□工业增加值增长6%。"),
        f"标题\n{BODY_TEXT}\n全省地区生产总值增长5%，规□工业增加值增长6%。",
        id="a-line-opening-with-an-unreadable-box-is-no-bullet",
    ),
    pytest.param(
        "\n".join(KEY_POINTS),
        "\n".join(KEY_POINTS),
        id="a-list-of-key-points-one-a-line-is-no-column",
    ),
    pytest.param("", "", id="empty-text"),
    pytest.param("\n \n\u3000\n", "", id="only-blank-lines"),
    pytest.param("\r\n".join(["标题", *BODY]), f"标题\n{BODY_TEXT}", id="crlf-line-ends"),
]


@pytest.mark.parametrize(("raw", "expected"), REFLOW_CASES)
def test_reflow(raw: str, expected: str) -> None:
    assert clean_text(raw).text == expected


def test_blank_lines_are_not_paragraph_breaks() -> None:
    dense = "\n".join(["标题", *BODY])
    sparse = "\n\n\n".join(["标题", *BODY])
    assert clean_text(dense).text == clean_text(sparse).text == f"标题\n{BODY_TEXT}"


def test_column_width_is_measured_per_document() -> None:
    # A 22-character column: a 19-character line ending in 。 is nearly full
    # width here, so it does not end the paragraph; in 000's 17-character
    # column a 13-character one does (see short-line-with-period-ends-paragraph).
    lines = (
        "标题",
        "尽管受疫情影响，粤苏鲁3省份依旧维持了较为",
        "稳定的经济增速，这3个省份的生产总值均增长了",
        "百分之八及以上，广东两年平均增速与全国持",
        "平。江苏、山东则均超过全国的增速水平和经",
        "济总量相加超过三十万亿元，三省继续领跑全国的。",
        "局面，从生产总值总量来看，广东依旧稳居全国",
        "第一位，为十二万亿元，江苏、山东分居第二",
        "和第三位。",
    )
    assert clean_text(column(*lines)).text == "标题\n" + "".join(lines[1:])


# --------------------------------------------------------------------------
# Page furniture
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("furniture", "reason"),
    [
        pytest.param("- 3 -", "page number", id="dashed-page-number"),
        pytest.param("—12—", "page number", id="em-dash-page-number"),
        pytest.param("第3版", "page number", id="newspaper-page"),
        pytest.param("（下转第2版）", "continuation note", id="continued-on"),
        pytest.param("(上接第1版)", "continuation note", id="continued-from"),
        pytest.param("责任编辑：张三", "editor credit", id="responsible-editor"),
        pytest.param("编辑：李四 校对：王五", "editor credit", id="editor-and-proofreader"),
        pytest.param("美编 赵六", "editor credit", id="art-editor"),
        pytest.param("【编辑:张三】", "editor credit", id="editor-in-square-brackets"),
        pytest.param("（责任编辑：李四）", "editor credit", id="responsible-editor-in-parentheses"),
    ],
)
def test_furniture_removed_and_recorded(furniture: str, reason: str) -> None:
    # The furniture falls inside a paragraph (a page break mid-sentence):
    # it is dropped, recorded with its raw line, and the paragraph still joins.
    raw = "\n".join(["标题", *BODY[:2], furniture, *BODY[2:]])
    clean = clean_text(raw)
    assert clean.text == f"标题\n{BODY_TEXT}"
    assert [(r.line, r.text, r.reason) for r in clean.removed] == [(4, furniture, reason)]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("01", id="section-number-is-not-a-page-number"),
        pytest.param("编辑出版工作", id="editing-as-a-word"),
        pytest.param("第3版块建设加快推进。", id="page-word-inside-a-sentence"),
        pytest.param("- 3 - 项目", id="dash-number-with-text"),
    ],
)
def test_not_furniture(line: str) -> None:
    raw = "\n".join(["标题", line, *BODY])
    clean = clean_text(raw)
    assert clean.removed == []
    assert line.replace(" ", "") in clean.text.replace(" ", "")


# --------------------------------------------------------------------------
# The raw-line map
# --------------------------------------------------------------------------


def test_line_map_points_each_character_to_its_raw_line() -> None:
    raw = column("标题", *BODY, "售超800亿元、惠及消费者", "750余万人次；旅游总花费增长1",
                 "3.8%，接待入境游客超60万人次", "，“赣超”火爆出圈。")
    # raw lines: 1 标题, 3 深入…, 5 鸟、…, …, 15 项目各1个。, 17 售超…, 19 750…,
    # 21 3.8%…, 23 ，“赣超”…
    clean = clean_text(raw)
    text = clean.text
    assert clean.raw_line(text.index("标题")) == 1
    assert clean.raw_line(text.index("鸟、")) == 5
    assert clean.raw_line(text.index("项目各1个")) == 15
    assert clean.raw_line(text.index("\n售超") + 1) == 17
    assert clean.raw_line(text.index("\n售超")) == 15  # the paragraph break: previous line
    assert clean.raw_line(text.index("13.8%")) == 19  # a number cut across lines: its first line
    assert clean.raw_line(text.index("3.8%")) == 21
    assert clean.raw_line(text.index("，“赣超”")) == 23
    assert clean.raw_line(len(text) - 1) == 23
    assert clean.line_starts[:3] == [(0, 1), (3, 3), (17, 5)]


def test_line_map_counts_removed_and_blank_lines() -> None:
    raw = "\n".join(["", "标题", "", *BODY[:2], "- 3 -", *BODY[2:]])
    clean = clean_text(raw)
    assert clean.raw_line(clean.text.index("动方案")) == 7
    assert clean.raw_line(clean.text.index("招大引强")) == 8


def _fold(text: str) -> str:
    """Return ``text`` with what a fix may change only once lines are joined folded back: an
    ASCII full stop at the end of a line becomes 。 when the next line starts with Han."""
    return text.replace("。", ".")


def assert_line_map_exact(raw: str, clean: CleanText) -> None:
    """Assert that the cleaned characters mapped to each raw line spell that line."""
    fixed, _ = fix_characters(raw)
    by_line: dict[int, list[str]] = {}
    for offset, char in enumerate(clean.text):
        by_line.setdefault(clean.raw_line(offset), []).append(char)
    removed = {item.line for item in clean.removed}
    lines = fixed.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        if line.strip() and number not in removed:
            mapped = "".join(by_line.get(number, [])).strip()
            assert _fold(mapped) == _fold(line.strip()), number


def assert_nothing_dropped(raw: str, clean: CleanText) -> None:
    """Assert that every non-space character of ``raw`` is in the cleaned text or removed."""
    fixed, _ = fix_characters(raw)
    keyed = [(clean.raw_line(i), c) for i, c in enumerate(clean.text) if not c.isspace()]
    keyed += [(item.line, c) for item in clean.removed for c in item.text if not c.isspace()]
    keyed.sort(key=lambda pair: pair[0])  # stable: keeps the order within a line
    kept = "".join(c for _, c in keyed)
    assert _fold(kept) == _fold("".join(c for c in fixed if not c.isspace()))


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"  # noqa: E501
PUNCT_MID = "，、；："


@st.composite
def chinese_paragraphs(draw: st.DrawFn) -> list[str]:
    """Return random Chinese paragraphs: clauses of Han, digits and quotes, ended by 。！？."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 6))):
        clauses = []
        for _ in range(draw(st.integers(1, 5))):
            body = draw(st.text(alphabet=HAN + "0123456789%.“”", min_size=2, max_size=30))
            clauses.append(body + draw(st.sampled_from(PUNCT_MID)))
        paragraphs.append("".join(clauses)[:-1] + draw(st.sampled_from("。！？")))
    return paragraphs


@st.composite
def column_texts(draw: st.DrawFn) -> str:
    """Return a title and random paragraphs cut at a random width 13-22, with stray blank lines."""
    width = draw(st.integers(13, 22))
    lines = [draw(st.text(alphabet=HAN, min_size=4, max_size=16))]
    for paragraph in draw(chinese_paragraphs()):
        lines.extend(paragraph[i : i + width] for i in range(0, len(paragraph), width))
    gaps = draw(st.lists(st.sampled_from(["\n", "\n\n", "\n \n"]), min_size=len(lines),
                         max_size=len(lines)))
    return "".join(line + gap for line, gap in zip(lines, gaps, strict=True))


@settings(max_examples=200, deadline=None)
@given(column_texts())
def test_property_cleaning_twice_is_cleaning_once(raw: str) -> None:
    once = clean_text(raw).text
    assert clean_text(once).text == once


@settings(max_examples=200, deadline=None)
@given(column_texts())
def test_property_reflow_drops_no_character(raw: str) -> None:
    clean = clean_text(raw)
    assert_nothing_dropped(raw, clean)
    assert_line_map_exact(raw, clean)


ANY_TEXT = st.lists(
    st.sampled_from(
        [*HAN[:40], *"0123456789０１％．，。！？、；：“”（）() abcXYZ-—关键词第版一、",
         *"\u3000\u200b\u2028", "\n", "\n\n", "\r\n", "\r"]
    ),
    max_size=400,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(ANY_TEXT)
def test_property_any_text_idempotent_and_lossless(raw: str) -> None:
    clean = clean_text(raw)
    assert clean_text(clean.text).text == clean.text
    assert_nothing_dropped(raw, clean)
    assert_line_map_exact(raw, clean)


def test_ten_megabyte_single_line_is_one_paragraph() -> None:
    # Linear passes only; the time bound lives in the benchmark, not here.
    raw = "增长13.8%，" * 1_250_000
    clean = clean_text(raw)
    assert clean.text == raw
    assert clean.line_starts == [(0, 1)]


# --------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------


def reference_paragraphs(raw_path: Path) -> list[str]:
    """Return the reference paragraphs without the annotation format ("# ", 关键词 lines)."""
    reference = CORPUS / "clean" / f"{raw_path.stem}.clean.txt"
    lines = reference.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# ") for line in lines if line.strip() not in ("", "关键词")]


@needs_corpus
@pytest.mark.parametrize("raw_path", RAW_FILES, ids=[p.stem for p in RAW_FILES])
def test_corpus_reflow_recovers_reference_text(raw_path: Path) -> None:
    raw = raw_path.read_text(encoding="utf-8")
    clean = clean_text(raw, doc_id=raw_path.stem)
    paragraphs = [p for p in clean.text.split("\n") if p != "关键词"]
    assert "".join(paragraphs) == "".join(reference_paragraphs(raw_path))


@needs_corpus
@pytest.mark.parametrize("raw_path", RAW_FILES, ids=[p.stem for p in RAW_FILES])
def test_corpus_paragraph_breaks_mostly_agree(raw_path: Path) -> None:
    # Paragraph ends may differ from the reference (FACTS.md); this bounds how much.
    def breaks(paragraphs: list[str]) -> set[int]:
        ends, offset = set(), 0
        for paragraph in paragraphs[:-1]:
            offset += len(paragraph)
            ends.add(offset)
        return ends

    clean = clean_text(raw_path.read_text(encoding="utf-8"))
    got = breaks([p for p in clean.text.split("\n") if p != "关键词"])
    want = breaks(reference_paragraphs(raw_path))
    assert len(got ^ want) <= 3


@needs_corpus
@pytest.mark.parametrize("raw_path", RAW_FILES, ids=[p.stem for p in RAW_FILES])
def test_corpus_cleaning_is_idempotent_lossless_and_mapped(raw_path: Path) -> None:
    raw = raw_path.read_text(encoding="utf-8")
    clean = clean_text(raw)
    assert clean_text(clean.text).text == clean.text
    assert_nothing_dropped(raw, clean)
    assert_line_map_exact(raw, clean)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("增长率5.3%（）“”·é—–…ＡＢ１２　 \tabc€±×ⅰ①")))
def test_display_width_counts_every_character_as_its_class(text: str) -> None:
    expected = sum(2 if _wide_re().match(char) else 1 for char in text[:400])
    assert display_width(text) == expected


@pytest.mark.parametrize(
    ("line", "is_byline"),
    [
        pytest.param("“深圳卫视深视新闻”微信公众号", True, id="channel-wechat"),
        pytest.param("永康日报客户端", True, id="channel-app"),
        pytest.param("新华社微博", True, id="channel-weibo"),
        pytest.param("公众号", False, id="channel-word-alone"),
        pytest.param("关注本报微信公众号，获取更多资讯", False, id="channel-in-a-sentence"),
        pytest.param("本报微信公众号：", False, id="channel-then-a-colon"),
        pytest.param("名" * 30 + "微信公众号", True, id="channel-name-of-30"),
        pytest.param("名" * 31 + "公众号", False, id="channel-name-of-31"),
        pytest.param("名" * 29 + "微信公众号", True, id="channel-wechat-of-29"),
    ],
)
def test_channel_bylines(line: str, is_byline: bool) -> None:
    # The channel pattern opens with a lookahead for the line's last word (structure.toml
    # says why): the rows pin what the whole pattern accepts, names up to 30 characters.
    assert load_lexicon().structure.is_byline(line) is is_byline


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("关键词", id="bare-keyword"),
        pytest.param("关键词：营商环境", id="keyword-with-its-name"),
        pytest.param("一、2025年工作回顾", id="numbered-heading"),
        pytest.param("（一）聚焦扩大需求", id="sub-heading"),
        pytest.param("（一）聚焦扩大需求。坚持提振消费", id="lead-sentence"),
        pytest.param("12", id="section-number"),
        pytest.param("深入实施新一轮制造业", id="column-line"),
    ],
)
def test_header_kind_is_asked_once_a_text(text: str) -> None:
    structure = load_lexicon().structure
    memo = _Memo()
    kind = _header_kind(structure, text, memo)
    maybe = _may_be_header(structure, text)
    keyword = maybe and _is_keyword(structure, text)
    start_header = maybe and _is_start_header(structure, text)
    assert (kind.keyword, kind.names_next, kind.start_header, kind.sub_heading) == (
        keyword,
        keyword and _names_next_line(structure, text),
        start_header,
        start_header and _is_sub_heading(structure, text),
    )
    assert _header_kind(structure, text, memo) is kind  # the next pass reads the memo
