"""The context stage: each fact's period, status and concept, and the document's date."""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract import context
from extract.context import _bisect_right, _period_text, _with_context
from extract.lexicon import LexiconError, bundled_table, load_lexicon
from extract.models import Status
from extract.pipeline import extract_text

#: A report delivered in 2026, with a review section and a plan section; the sentence under
#: test goes into the section named by the row.
REVIEW = "2026年某省政府工作报告\n一、2025年工作回顾\n"
#: The list of main targets of a report delivered in 2026.
T2026 = (
    "2026年某省政府工作报告\n一、2025年工作回顾\n过去一年，成绩很好。\n二、2026年工作安排\n"
    "今年经济社会发展的主要预期目标是："
)
PLAN = "2026年某省政府工作报告\n一、2025年工作回顾\n过去一年，成绩很好。\n二、2026年工作安排\n"


def _fact(text: str, mention: str) -> tuple[str | None, str, str | None]:
    document = extract_text(text)
    facts = [f for f in document.facts if f.mention == mention]
    assert facts, [f.mention for f in document.facts]
    fact = facts[-1]
    return fact.period, fact.status, fact.concept


@pytest.mark.parametrize(
    ("text", "mention", "period", "status"),
    [
        pytest.param(
            REVIEW + "全市新建学校12所。", "12所", "2025", "actual", id="review-heading-year"
        ),
        pytest.param(PLAN + "全年新建学校30所。", "30所", "2026", "target", id="plan-heading"),
        pytest.param(
            REVIEW + "过去五年，累计新建学校80所。",
            "80所",
            "2021/2025",
            "actual",
            id="five-years-total",
        ),
        pytest.param(
            REVIEW + "过去5年，全省生产总值年均增长5.4%。",
            "5.4%",
            "2021/2025",
            "actual",
            id="five-years-in-digits",
        ),
        pytest.param(
            REVIEW + "近3年，累计新建学校30所。",
            "30所",
            "2023/2025",
            "actual",
            id="three-years-in-digits",
        ),
        pytest.param(
            REVIEW + "10年来，累计新建学校90所。",
            "90所",
            "2016/2025",
            "actual",
            id="ten-years-in-digits",
        ),
        pytest.param(
            REVIEW + "粮食总产创近5年新高，规上工业增加值增长7.3%。",
            "7.3%",
            "2025",
            "actual",
            id="a-record-over-recent-years-dates-nothing",
        ),
        pytest.param(
            REVIEW + "居民收入增速为近十年最好水平，城镇新增就业50万人。",
            "50万人",
            "2025",
            "actual",
            id="a-best-over-ten-years-dates-nothing",
        ),
        pytest.param(
            "2026年某省经济新闻\n2026年，某省将培育新兴产业；同时，新建充电设施2500个。",
            "2500个",
            "2026",
            "target",
            id="a-plan-that-opens-the-time-in-force-plans-what-follows",
        ),
        pytest.param(
            "2026年某省经济新闻\n2025年，某省将改革推向深入；同时，新建充电设施2500个。",
            "2500个",
            "2025",
            "actual",
            id="jiang-under-a-past-year-plans-nothing",
        ),
        pytest.param(
            "2026年某省经济新闻\n2026年，某省将培育新兴产业。\n一、2025年回顾\n新建充电设施2500个。",
            "2500个",
            "2025",
            "actual",
            id="a-heading-ends-the-plan-of-an-opening-time",
        ),
        pytest.param(
            "2026年某区政府工作报告\n总的来看，“十四五”时期的五年，成绩很好。地区生产总值年均增长5.9%。",
            "5.9%",
            "2021/2025",
            "actual",
            id="a-time-after-a-short-lead-in-opens-its-sentence",
        ),
        pytest.param(
            "2026年某区政府工作报告\n我们坚持稳中求进工作总基调，“十四五”时期成绩很好。"
            "地区生产总值增长5.9%。",
            "5.9%",
            None,
            "actual",
            id="a-time-after-a-long-first-clause-opens-nothing",
        ),
        pytest.param(
            REVIEW + "2023年最低工资标准提高10%。",
            "10%",
            "2023",
            "actual",
            id="a-minimum-wage-of-a-year-is-no-record",
        ),
        pytest.param(
            REVIEW + "五年来，成绩很好。医院床位达到9万张。",
            "9万张",
            "2025",
            "actual",
            id="five-years-level-reached-is-last-year",
        ),
        pytest.param(
            REVIEW + "五年来，人均收入从3万元增加到4万元。",
            "3万元",
            "2020",
            "actual",
            id="from-x-is-the-year-before",
        ),
        pytest.param(
            REVIEW + "五年来，人均收入从3万元增加到4万元。",
            "4万元",
            "2025",
            "actual",
            id="to-y-is-the-last-year",
        ),
        pytest.param(
            REVIEW + "这五年，工业投资年均增长6%。",
            "6%",
            "2021/2025",
            "actual",
            id="annual-average-takes-the-interval",
        ),
        pytest.param(
            REVIEW + "五年来，成绩很好。过去一年，新建学校9所。",
            "9所",
            "2025",
            "actual",
            id="a-sentence-names-another-time",
        ),
        pytest.param(
            "某市新闻\n去年1-11月，全市工业增加值增长4.8%。",
            "4.8%",
            None,
            "actual",
            id="no-year-no-period",
        ),
        pytest.param(
            "某市新闻\n2022年1月5日电\n去年1-11月，全市工业增加值增长4.8%。",
            "4.8%",
            "2021-01/2021-11",
            "actual",
            id="months-of-last-year",
        ),
        pytest.param(
            REVIEW + "五年来，成绩很好。贸易伙伴扩大至200个。",
            "200个",
            "2025",
            "actual",
            id="five-years-a-verb-of-reaching-is-a-level",
        ),
        pytest.param(
            REVIEW + "全年出口比2019年增长20%。",
            "20%",
            "2020/2025",
            "actual",
            id="change-since-a-base-year",
        ),
        pytest.param(
            PLAN + "到2030年，全省生产总值比2020年翻一番。",
            "翻一番",
            "2021/2030",
            "target",
            id="doubling-since-a-base-year",
        ),
        pytest.param(
            REVIEW + "全年出口两年平均增长6%。",
            "6%",
            "2024/2025",
            "actual",
            id="two-year-average",
        ),
        pytest.param(
            PLAN + "到2030年，森林覆盖率达到30%。", "30%", "2030", "target", id="target-date"
        ),
        pytest.param(
            "2026年某省政府工作报告\n二、“十五五”时期主要目标\n城镇新增就业累计500万人。",
            "500万人",
            "2026/2030",
            "target",
            id="plan-period-total",
        ),
        pytest.param(
            "某市经济总量破3万亿元\n2022年1月5日电\n2021年，全市经济总量为3.02万亿元。",
            "3万亿元",
            "2021",
            "actual",
            id="news-without-a-time-takes-the-year-it-names-most",
        ),
        pytest.param(
            "某省新闻\n发布时间：2024-01-25\n2024年，某省将坚持稳中求进，全省地区生产总值增长5.5%左右。",
            "5.5%",
            "2024",
            "target",
            id="plan-word-after-the-documents-year-opening-the-sentence",
        ),
        pytest.param(
            "某省新闻\n发布时间：2024-01-25\n2023年，某省坚持稳中求进，全省地区生产总值增长5.5%。",
            "5.5%",
            "2023",
            "actual",
            id="a-year-before-the-documents-opening-the-sentence-reviews",
        ),
        pytest.param(
            "某市新闻\n发布时间：2026-01-25\n市长作政府工作报告，全市地区生产总值增长5.4%。过去一年形势复杂。"
            "\n今年是开局之年，要着力扩大内需。今年地区生产总值增长目标为5%左右。",
            "5.4%",
            "2025",
            "actual",
            id="the-years-of-plans-do-not-count-towards-the-year-named-most",
        ),
        pytest.param(
            "某市新闻\n发布时间：2022-01-05\n全市经济总量突破3万亿元。全市项目于2022年1月5日开工。",
            "3万亿元",
            None,
            "actual",
            id="a-dateline-names-no-year-of-the-figures",
        ),
        pytest.param(
            "某市新闻\n2022年1月5日电\n2021年，全市工业增加值增长4.8%。"
            "\n今年的省政府工作报告对都市圈提出了要求。全省4个城市经济总量超过万亿元。",
            "4个",
            "2021",
            "actual",
            id="the-time-of-a-report-named-is-not-the-time-of-later-figures",
        ),
        pytest.param(
            "某市新闻\n2022年1月5日电\n2020年，全市成绩很好。"
            "\n去年我们认真贯彻省委全会和中央经济工作会议精神。全市经济总量突破3万亿元。",
            "3万亿元",
            "2021",
            "actual",
            id="a-meeting-far-on-in-the-opening-clause-is-not-dated-by-its-time",
        ),
        pytest.param(
            "2026年某省政府工作报告\n一、“十四五”时期发展成就和2025年工作回顾\n"
            "五年来，全省生产总值年均增长5.5%。\n刚刚过去的2025年，全省地区生产总值增长5.3%。"
            "\n城镇新增就业50万人。",
            "50万人",
            "2025",
            "actual",
            id="a-year-after-words-that-open-a-review-sets-the-time",
        ),
        pytest.param(
            REVIEW
            + "五年来，全省生产总值从2020年的2.5万亿元增加到2025年的3.6万亿元，年均增长5.6%。",
            "5.6%",
            "2021/2025",
            "actual",
            id="an-annual-average-from-a-start-year-to-an-end-year",
        ),
        pytest.param(
            REVIEW + "全省生产总值由2024年的5.5万亿元增加到5.8万亿元，增长5.2%。",
            "5.2%",
            "2025",
            "actual",
            id="a-change-after-a-start-year-without-an-average-is-the-years",
        ),
        pytest.param(
            PLAN + "2025年全省地区生产总值增长5.3%，为今年发展打下基础。",
            "5.3%",
            "2025",
            "actual",
            id="a-past-year-named-in-a-plan-section-is-done",
        ),
        pytest.param(
            "2026年某省政府工作报告\n二、“十五五”时期主要目标\n“十四五”时期，全省生产总值年均增长5.5%。",
            "5.5%",
            "2021/2025",
            "actual",
            id="the-plan-before-named-in-a-plan-section-is-done",
        ),
        pytest.param(
            "2026年某省政府工作报告\n一、政府工作回顾\n过去一年，成绩很好。\n"
            "二、“十五五”时期主要目标\n到2030年，森林覆盖率达到30%。\n"
            "三、重点工作任务\n城镇新增就业45万人以上。",
            "45万人",
            "2026",
            "target",
            id="a-section-of-plans-without-a-year-is-the-documents-year",
        ),
        pytest.param(
            "某市经济总量破3万亿元\n2022年1月5日电\n2021年，全市经济总量为3.02万亿元。"
            "\n02\n关键词\n下一步\n全市锚定3年内再上一个新台阶，经济总量力争达到4万亿元。",
            "4万亿元",
            None,
            "target",
            id="a-plan-in-a-text-whose-year-is-only-its-topic-has-no-period",
        ),
        pytest.param(
            "某市新闻\n2022年1月5日电\n01\n关键词\n工业平稳\n去年1-11月，全市工业增加值增长4.8%。"
            "\n02\n关键词\n总量跃升\n全市经济总量突破3万亿元。",
            "3万亿元",
            "2021",
            "actual",
            id="a-sentence-time-ends-with-its-section",
        ),
        pytest.param(
            REVIEW + "五年来，成绩很好。\n二、政府自身建设\n一般性支出压减5%。",
            "5%",
            "2025",
            "actual",
            id="a-heading-without-time-keeps-the-heading-time",
        ),
        pytest.param(
            REVIEW + "五年来，全省经济总量由2020年的2.5万亿元增加到3.6万亿元。",
            "3.6万亿元",
            "2025",
            "actual",
            id="the-year-of-a-starting-point-is-not-the-year-of-the-level-reached",
        ),
        pytest.param(
            REVIEW + "五年来，全省经济总量由2020年的2.5万亿元增加到3.6万亿元。",
            "2.5万亿元",
            "2020",
            "actual",
            id="the-year-of-a-starting-point-is-its-own",
        ),
        pytest.param(
            "某市新闻\n2022年1月5日电\n这是实现全市经济总量达到4万亿元的“十四五”目标的重要一步。",
            "4万亿元",
            "2025",
            "target",
            id="a-level-named-as-the-goal-of-a-plan-after-it",
        ),
        pytest.param(
            REVIEW + "五年来，成绩很好。顺利实现经济总量达到6万亿元的“十四五”规划目标。",
            "6万亿元",
            "2025",
            "actual",
            id="a-goal-of-a-plan-that-ended-before-the-report",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年主要预期目标是：地区生产总值增长5%左右；"
            "城镇新增就业60万人以上；居民消费价格涨幅2%左右。",
            "2%",
            "2026",
            "target",
            id="a-list-of-targets-after-a-colon-runs-to-the-full-stop",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年力争地区生产总值增长6%；城镇新增就业60万人以上。",
            "60万人",
            "2026",
            "target",
            id="a-list-opened-by-lizheng-runs-to-the-full-stop",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年主要预期目标是：地区生产总值增长5%左右；"
            "城镇新增就业60万人以上。今年全省新建学校12所。",
            "12所",
            "2026",
            "actual",
            id="a-list-of-targets-ends-at-its-full-stop",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年主要预期目标是：地区生产总值增长5%左右；\n"
            "今年全省新建学校12所；",
            "12所",
            "2026",
            "actual",
            id="a-list-of-targets-ends-with-its-paragraph",
        ),
        pytest.param(
            "2026年某省政府工作报告\n报告提出，今年主要预期目标是：\n◆地区生产总值增长5%；\n"
            "◆城镇新增就业60万人以上；\n◆粮食产量1270万吨。",
            "1270万吨",
            "2026",
            "target",
            id="a-list-of-targets-one-bullet-a-line",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年主要预期目标是：\n◆地区生产总值增长5%；\n"
            "今年全省新建学校12所；",
            "12所",
            "2026",
            "actual",
            id="a-bullet-list-of-targets-ends-at-a-line-without-a-bullet",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年居民消费价格涨幅控制在2%左右，主要考虑物价压力不大。",
            "2%",
            "2026",
            "target",
            id="a-bound-to-keep-to-this-year-is-a-target",
        ),
        pytest.param(
            "2026年某省政府工作报告\n去年城镇调查失业率控制在5.5%以内。",
            "5.5%",
            "2025",
            "actual",
            id="a-bound-kept-last-year-is-done",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年地区生产总值增长5%；城镇新增就业60万人。",
            "60万人",
            "2026",
            "actual",
            id="a-list-without-a-plan-word-is-done",
        ),
        pytest.param(
            "2021年，某省粮食产量连续8年稳定在1000亿斤以上。",
            "1000亿斤",
            "2014/2021",
            "actual",
            id="held-for-n-years",
        ),
        pytest.param(
            "2024年某省政府工作报告\n一、2023年工作回顾\n“十四五”以来，全市新建学校60所。",
            "60所",
            "2021/2023",
            "actual",
            id="since-a-plan-began-runs-to-the-year-before-the-report",
        ),
        pytest.param(
            REVIEW + "近三年，全市地区生产总值年均增长5.4%。",
            "5.4%",
            "2023/2025",
            "actual",
            id="the-last-three-years",
        ),
        pytest.param(
            REVIEW + "三年来，全市累计新建学校45所。",
            "45所",
            "2023/2025",
            "actual",
            id="three-years-since",
        ),
        pytest.param(
            "2026年某省政府工作报告\n这五年，全市新建学校80所。\n"
            "会上提出，某省2026年主要预期目标是：全省生产总值增长5%左右；"
            "新建学校10所，固定资产投资增长4%；城镇调查失业率控制在5.5%以内。",
            "4%",
            "2026",
            "target",
            id="the-year-the-list-cue-names-dates-items-after-a-semicolon",
        ),
        pytest.param(
            "2026年某省政府工作报告\n这五年，全市新建学校80所。\n"
            "会上提出，某省2026年主要预期目标是：全省生产总值增长5%左右；"
            "新建学校10所，城镇调查失业率控制在5.5%以内。",
            "5.5%",
            "2026",
            "target",
            id="a-bound-in-a-dated-list-of-targets-is-that-years-target",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年全市主要预期目标建议为：全市生产总值增长5%左右；"
            "新建学校10所；城镇新增就业8万人。",
            "8万人",
            "2026",
            "target",
            id="a-list-cue-proposed-as-targets",
        ),
        pytest.param(
            REVIEW + "全市生产总值增长5.2%，高于年初确定的5%左右的预期目标。",
            "5%",
            "2025",
            "target",
            id="a-figure-named-as-the-goal-is-a-target",
        ),
        pytest.param(
            "2019年某省经济要闻\n今年某省力保实现全省生产总值增长6%左右目标",
            "6%",
            "2019",
            "target",
            id="a-headline-figure-named-as-the-goal-is-a-target",
        ),
        pytest.param(
            REVIEW + "全市生产总值增长5.2%，目标任务全面完成。",
            "5.2%",
            "2025",
            "actual",
            id="a-goal-word-in-the-next-clause-names-no-figure",
        ),
        pytest.param(
            REVIEW + "全市生产总值增长6.1%、创2012年以来最好水平，人均生产总值突破9万元。",
            "9万元",
            "2025",
            "actual",
            id="a-record-since-a-year-dates-no-figure",
        ),
        pytest.param(
            REVIEW + "粮食产量创2015年以来新高、达到320亿斤。",
            "320亿斤",
            "2025",
            "actual",
            id="a-record-high-since-a-year-dates-no-figure-of-its-clause",
        ),
        pytest.param(
            "2026年某省政府工作报告\n“十五五”时期，全省地区生产总值年均增长5%左右。",
            "5%",
            "2026/2030",
            "target",
            id="a-period-from-this-year-running-past-it-is-planned",
        ),
        pytest.param(
            REVIEW + "五年累计新建学校260所。",
            "260所",
            "2021/2025",
            "actual",
            id="n-years-then-a-total",
        ),
        pytest.param(
            REVIEW + "税收收入达到900亿元，3年增长28%。",
            "28%",
            "2023/2025",
            "actual",
            id="n-years-then-a-change",
        ),
        pytest.param(
            REVIEW + "启动实施3年行动，新建学校30所。",
            "30所",
            "2025",
            "actual",
            id="n-years-naming-an-action-is-no-interval",
        ),
        pytest.param(
            "2024年某省政府工作报告\n数据展示了 2023 年全省经济发展的新成绩："
            "粮食产量达 700 万吨、增长 1.5%。",
            "1.5%",
            "2023",
            "actual",
            id="a-year-written-with-a-space-before-nian",
        ),
        pytest.param(
            "2026年某省政府工作报告\n今年，全省地区生产总值按增长5%左右安排。",
            "5%",
            "2026",
            "target",
            id="an-amount-set-as-planned-with-an-an-anpai",
        ),
        pytest.param(
            "2024年某省政府工作报告\n过去一年，成绩很好。今年，全省还要再加把劲。\n"
            "数据展示了2023年全省的新成绩：粮食产量达700万吨。工业投资增长6.5%。",
            "6.5%",
            "2023",
            "actual",
            id="a-year-leading-a-colon-dates-the-sentences-after",
        ),
        pytest.param(
            "时间：2021-02-01\n某省政府工作报告\n全省粮食产量由2015年的500万吨增加到600万吨。"
            "造林面积新增30万亩。",
            "30万亩",
            None,
            "actual",
            id="the-start-of-a-from-x-to-y-is-not-what-the-text-is-about",
        ),
        pytest.param(
            REVIEW + "1-11 月，全省进出口总额增长8.1%。", "8.1%", "2025-01/2025-11", "actual",
            id="month-range-spaced-as-web-pages-do",
        ),
        pytest.param(
            "2026 年某省政府工作报告\n五年来，全省地区生产总值年均增长5.5%。", "5.5%", "2021/2025",
            "actual", id="spaced-title-year-anchors-five-years",
        ),
        pytest.param(
            REVIEW + "全省生产总值达5000亿元，“十四五”时期年平均增长率达5.7%。", "5.7%",
            "2021/2025", "actual", id="a-yearly-mean-rate-reached-is-over-the-period",
        ),
    ],
)
def test_period_and_status(text: str, mention: str, period: str | None, status: str) -> None:
    assert _fact(text, mention)[:2] == (period, status)


@pytest.mark.parametrize(
    ("text", "mention", "concept"),
    [
        pytest.param(REVIEW + "地区生产总值增长5.2%。", "5.2%", "gdp_growth", id="gdp-growth"),
        pytest.param(REVIEW + "地区生产总值达3.6万亿元。", "3.6万亿元", "gdp", id="gdp-level"),
        pytest.param(
            REVIEW + "人均地区生产总值达1.1万美元。",
            "1.1万美元",
            "gdp_per_capita",
            id="longest-wording-wins",
        ),
        pytest.param(
            REVIEW + "人均gdp超过1.2万美元。", "1.2万美元", "gdp_per_capita", id="gdp-in-lower-case"
        ),
        pytest.param(
            REVIEW + "全省gdp增长5.1%。", "5.1%", "gdp_growth", id="gdp-growth-in-lower-case"
        ),
        pytest.param(
            REVIEW + "城镇居民人均可支配收入增长4.3%。", "4.3%", None, id="urban-income-is-a-part"
        ),
        pytest.param(
            REVIEW + "工业经济总量突破2000亿元。",
            "2000亿元",
            None,
            id="one-sector-economic-total-is-no-gdp",
        ),
        pytest.param(
            REVIEW + "城镇常住居民人均可支配收入增长4.1%。",
            "4.1%",
            None,
            id="urban-resident-income-is-a-part",
        ),
        pytest.param(
            REVIEW + "全体常住居民人均可支配收入增长5.2%。",
            "5.2%",
            "income_growth",
            id="all-resident-income-is-the-whole",
        ),
        pytest.param(REVIEW + "研发投入占地区生产总值比重2.5%。", "2.5%", None, id="share-of-gdp"),
        pytest.param(
            "2026年某省经济简报\n全省地区生产总值比2020年增长50%。",
            "50%",
            None,
            id="growth-since-a-base-years-before-the-document",
        ),
        pytest.param(
            "2026年某省经济简报\n全省地区生产总值比2025年增长5%。",
            "5%",
            "gdp_growth",
            id="growth-since-the-year-before-the-document",
        ),
        pytest.param(
            REVIEW + "五年来，地区生产总值增长40%。",
            "40%",
            None,
            id="cumulative-growth-has-no-concept",
        ),
        pytest.param(
            REVIEW + "五年来，地区生产总值年均增长6%。",
            "6%",
            "gdp_growth",
            id="annual-average-growth",
        ),
        pytest.param(
            REVIEW + "粮食播种面积1500万亩、总产量130亿斤。",
            "130亿斤",
            "grain_output",
            id="shared-head-of-a-list",
        ),
        pytest.param(REVIEW + "财政收入增长3%。", "3%", None, id="fiscal-revenue-is-not-budget"),
        pytest.param(
            REVIEW.replace("某省", "浙江省") + "五年来，人均地区生产总值从8万元增加到10万元。",
            "8万元",
            None,
            id="the-starting-point-of-a-change-is-no-headline-figure",
        ),
        pytest.param(
            REVIEW.replace("某省", "浙江省") + "五年来，人均地区生产总值从8万元增加到10万元。",
            "10万元",
            "gdp_per_capita",
            id="the-end-point-of-a-change-is-the-level-reached",
        ),
        pytest.param(
            REVIEW.replace("某省", "浙江省")
            + "一般公共预算收入由2020年的3000亿元提高到2025年的3500亿元。",
            "3000亿元",
            None,
            id="a-dated-starting-point-is-no-headline-figure",
        ),
        pytest.param(
            REVIEW + "五年来，全省生产总值连续跨越7万亿、8万亿、9万亿三个大台阶。",
            "8万亿",
            None,
            id="a-list-of-milestones-passed-states-no-level",
        ),
        pytest.param(
            REVIEW + "五年来，地区生产总值先后突破2万亿元、3万亿元。",
            "3万亿元",
            None,
            id="milestones-passed-one-after-another",
        ),
        pytest.param(
            REVIEW + "五年来，全省生产总值迈上6万亿元新台阶。",
            "6万亿元",
            "gdp",
            id="a-single-milestone-is-the-level-reached",
        ),
        pytest.param(
            REVIEW + "一般公共预算收入、税收收入分别突破3000亿元、2000亿元大关。",
            "3000亿元",
            "budget_revenue",
            id="values-paired-with-items-are-no-milestone-list",
        ),
        pytest.param(
            REVIEW + "一般公共预算收入3100亿元、同口径增长4%。",
            "4%",
            "budget_revenue_growth",
            id="a-change-naming-no-measure-is-of-the-level-before-it",
        ),
        pytest.param(
            REVIEW + "一般公共预算收入完成3100亿元，可比增长4%。",
            "4%",
            "budget_revenue_growth",
            id="a-comparable-change-after-the-level-in-the-next-clause",
        ),
        pytest.param(
            REVIEW + "一般公共预算收入3100亿元，税收收入同口径增长4%。",
            "4%",
            None,
            id="a-change-naming-its-own-measure-borrows-none",
        ),
        pytest.param(
            REVIEW + "居民消费价格上涨0.7%，进出口增长9.5%，城镇登记失业率3.3%。",
            "9.5%",
            "trade_growth",
            id="bare-imports-and-exports-opening-the-indicator",
        ),
        pytest.param(
            REVIEW + "跨境电商进出口增长20%。",
            "20%",
            None,
            id="imports-and-exports-of-a-part-of-trade",
        ),
        pytest.param(
            REVIEW + "一般贸易进出口增长15%。",
            "15%",
            None,
            id="imports-and-exports-of-one-kind-of-trade",
        ),
        pytest.param(
            REVIEW + "居民消费价格上涨0.7%，城镇登记失业率3.3%。",
            "3.3%",
            None,
            id="registered-unemployment-is-not-the-surveyed-rate",
        ),
        pytest.param(
            T2026 + "全省地区生产总值增长5%左右，居民消费价格涨幅控制在2%左右。",
            "2%",
            "cpi",
            id="target-cpi-held-under-a-bound",
        ),
        pytest.param(
            T2026 + "经济增长5.5%左右，城镇新增就业45万人以上。",
            "45万人",
            "urban_new_jobs",
            id="target-new-urban-jobs",
        ),
        pytest.param(
            REVIEW + "城镇、农村居民人均可支配收入分别增长4.3%、6.1%。",
            "6.1%",
            None,
            id="rural-income-growth-is-a-part",
        ),
        pytest.param(
            REVIEW + "全体居民人均可支配收入3.6万元、增长5.3%。",
            "3.6万元",
            "income_per_capita",
            id="income-of-all-residents",
        ),
        pytest.param(
            REVIEW + "规上工业增加值同比增长6.8%，全社会固定资产投资下降2.1%。",
            "2.1%",
            "fixed_investment_growth",
            id="fixed-investment-of-the-whole-society-falling",
        ),
        pytest.param(
            REVIEW + "一般公共预算总收入5743亿元。",
            "5743亿元",
            None,
            id="total-budget-revenue-with-the-central-share-is-not-the-concept",
        ),
        pytest.param(
            REVIEW + "全省地区生产总值达到6.1万亿元，按不变价计算增长5.5%。",
            "5.5%",
            "gdp_growth",
            id="a-change-at-constant-prices-after-the-level",
        ),
        pytest.param(
            REVIEW + "粮食播种面积稳定在5600万亩，总产量达到430亿斤。",
            "430亿斤",
            "grain_output",
            id="shared-head-opening-the-sentence",
        ),
        pytest.param(
            REVIEW + "生猪出栏稳定在3000万头，总产量达到430万吨。",
            "430万吨",
            None,
            id="a-tail-without-the-head-of-the-wording",
        ),
        pytest.param(
            REVIEW + "五年来，人均地区生产总值年均增长5.4%。",
            "5.4%",
            None,
            id="per-capita-gdp-growth-is-not-gdp-growth",
        ),
        pytest.param(
            PLAN + "力争海洋生产总值增长6%左右。",
            "6%",
            None,
            id="the-gdp-of-one-sector-is-not-the-regions",
        ),
        pytest.param(
            PLAN + "单位国内生产总值能耗下降2.5%左右。",
            "2.5%",
            None,
            id="energy-use-per-unit-of-national-gdp-is-not-gdp",
        ),
        pytest.param(
            PLAN + "单位地区生产总值能耗降低3%。",
            "3%",
            None,
            id="energy-use-per-unit-of-regional-gdp-is-not-gdp",
        ),
        pytest.param(
            REVIEW + "万元地区生产总值能耗下降4.1%。",
            "4.1%",
            None,
            id="energy-use-per-ten-thousand-yuan-of-gdp-is-not-gdp",
        ),
        pytest.param(
            PLAN + "单位GDP二氧化碳排放降低4%。",
            "4%",
            None,
            id="emissions-per-unit-of-gdp-are-not-gdp",
        ),
        pytest.param(
            REVIEW + "县域经济总量达到2万亿元。",
            "2万亿元",
            None,
            id="the-sum-of-the-counties-is-not-the-regions-gdp",
        ),
        pytest.param(
            REVIEW + "交通固定资产投资增长12%，水利投资增长8%。",
            "12%",
            None,
            id="investment-of-one-sector-is-not-fixed-investment",
        ),
        pytest.param(
            REVIEW + "省级一般公共预算收入增长2%。",
            "2%",
            None,
            id="the-provincial-governments-own-revenue-is-not-the-provinces",
        ),
        pytest.param(
            REVIEW + "全省一般公共预算收入增长2%。",
            "2%",
            "budget_revenue_growth",
            id="budget-revenue-of-the-whole-province",
        ),
        pytest.param(
            REVIEW + "全省规模工业增加值增长6.8%，高于全国平均水平。",
            "6.8%",
            "industry_va_growth",
            id="industry-above-scale-without-yishang",
        ),
        pytest.param(
            "2026年某省政府工作报告\n一、“十四五”发展回顾\n五年来，全省经济总量年均增长5.7%。",
            "5.7%",
            "gdp_growth",
            id="the-average-growth-of-the-economys-total-is-gdp-growth",
        ),
        pytest.param(
            REVIEW + "全省经济总量连跨两个万亿元台阶、达到6.2万亿元。",
            "6.2万亿元",
            "gdp",
            id="the-level-after-a-count-of-steps-passed-is-the-subjects",
        ),
        pytest.param(
            REVIEW + "全省地区生产总值迈上新台阶、人均达9.6万元。",
            "9.6万元",
            "gdp_per_capita",
            id="renjun-after-a-level-of-gdp-is-gdp-per-person",
        ),
        pytest.param(
            REVIEW + "全省GDP达到5万亿元、人均8.1万元。",
            "8.1万元",
            "gdp_per_capita",
            id="renjun-listed-after-gdp-is-gdp-per-person",
        ),
        pytest.param(
            REVIEW + "全省粮食产量达到300亿斤、人均800斤。",
            "800斤",
            None,
            id="renjun-after-another-level-is-no-gdp-per-person",
        ),
        pytest.param(
            REVIEW + "全体居民人均可支配收入达到3.6万元，扣除价格因素实际增长5.2%。",
            "5.2%",
            "income_growth",
            id="a-real-change-after-the-price-factor-is-of-the-level-before-it",
        ),
        pytest.param(
            REVIEW + "全省经济总量连跨两个万亿元台阶、达到6.2万亿元。",
            "两个万亿元",
            None,
            id="a-count-of-steps-passed-is-no-level",
        ),
        pytest.param(
            REVIEW + "全省地区生产总值达到8万亿元，约合1.2万亿美元。",
            "1.2万亿美元",
            None,
            id="a-conversion-of-a-headline-figure-is-no-headline-figure",
        ),
        pytest.param(
            REVIEW + "全省地区生产总值达到8万亿元，约合1.2万亿美元。",
            "8万亿元",
            "gdp",
            id="the-figure-before-a-conversion-keeps-its-concept",
        ),
        pytest.param(
            "2018年某省政府工作报告\n全省生产总值达到4.5万亿元，年均增长8.4%。",
            "8.4%",
            None,
            id="an-average-over-years-unnamed-is-no-change-of-one-year",
        ),
        pytest.param(
            "2018年某省政府工作报告\n过去五年，全省生产总值达到4.5万亿元，年均增长8.4%。",
            "8.4%",
            "gdp_growth",
            id="an-average-over-years-named-keeps-its-concept",
        ),
    ],
)
def test_concept(text: str, mention: str, concept: str | None) -> None:
    assert _fact(text, mention)[2] == concept


@pytest.mark.parametrize(
    ("text", "doc_id", "date", "date_from"),
    [
        pytest.param("2026年江西省政府工作报告\n各位代表：\n", "x", "2026", "title", id="title"),
        pytest.param(
            "政府工作报告\n——2026年1月27日在省人民代表大会上\n",
            "x",
            "2026-01-27",
            "occasion line",
            id="occasion-line",
        ),
        pytest.param(
            "政府工作报告\n——二〇二六年一月二十七日在省第十四届人民代表大会第五次会议上\n",
            "x",
            "2026-01-27",
            "occasion line",
            id="occasion-line-in-chinese-numerals",
        ),
        pytest.param(
            "政府工作报告\n——二○二六年二月三日在省人民代表大会上\n",
            "x",
            "2026-02-03",
            "occasion line",
            id="occasion-line-with-the-circle-for-zero",
        ),
        pytest.param(
            "政府工作报告\n时间：2026-02-05\n各位代表：\n",
            "x",
            "2026-02-05",
            "date line",
            id="date-line",
        ),
        pytest.param(
            "政府工作报告\n各位代表：\n",
            "2026_某省_政府工作报告",
            "2026",
            "file name",
            id="file-name",
        ),
        pytest.param(
            "政府工作报告\n——2026 年 1 月 27 日在省第十四届人民代表大会第五次会议上\n",
            "x",
            "2026-01-27",
            "occasion line",
            id="occasion-line-spaced-as-web-pages-do",
        ),
        pytest.param("政府工作报告\n各位代表：\n", "x", None, None, id="none"),
    ],
)
def test_document_date(text: str, doc_id: str, date: str | None, date_from: str | None) -> None:
    document = extract_text(text + "新建学校3所。", doc_id=doc_id)
    assert (document.date, document.date_from) == (date, date_from)


def test_the_context_stage_keeps_every_fact() -> None:
    text = PLAN + "新建学校30所，改造道路20公里。"
    document = extract_text(text)
    assert [f.mention for f in document.facts] == ["30所", "20公里"]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            'id = "x"\nname = "x"\nwordings = ["某"]\nbase_units = ["元"]',
            "missing key 'growth'",
            id="missing-key",
        ),
        pytest.param(
            'id = "x"\nname = "x"\nwordings = ["某"]\nbase_units = ["光年"]\ngrowth = false',
            "base unit '光年'",
            id="unknown-base-unit",
        ),
        pytest.param(
            'id = "X Y"\nname = "x"\nwordings = ["某"]\nbase_units = ["元"]\ngrowth = false',
            "lower-case",
            id="bad-id",
        ),
        pytest.param('id = "gdp"\ncolour = "red"', "unknown key 'colour'", id="unknown-key"),
    ],
)
def test_a_bad_concept_entry_is_named(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(f"[[concepts.indicators]]\n{entry}\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=message) as error:
        load_lexicon([path])
    assert str(path) in str(error.value)


def test_a_lexicon_file_adds_a_wording(tmp_path: Path) -> None:
    path = tmp_path / "lexicon.toml"
    path.write_text(
        '[[concepts.indicators]]\nid = "gdp_growth"\nwordings = ["经济发展速度"]\n',
        encoding="utf-8",
    )
    document = extract_text(REVIEW + "经济发展速度为5%。", lexicon_files=[path])
    assert document.facts[0].concept == "gdp_growth"


@pytest.mark.parametrize(
    ("text", "mention", "place"),
    [
        pytest.param(
            REVIEW.replace("某省", "广西壮族自治区") + "地区生产总值增长5%。",
            "5%",
            "广西壮族自治区",
            id="the-document-place",
        ),
        pytest.param(
            REVIEW.replace("某省", "广西壮族自治区") + "桂林入境游客增长21%。",
            "21%",
            "桂林市",
            id="a-city-named-as-subject",
        ),
        pytest.param(
            REVIEW.replace("某省", "广西壮族自治区") + "全国平均增速5.1%。",
            "5.1%",
            "全国",
            id="the-country-as-subject",
        ),
        pytest.param(
            REVIEW.replace("某省", "广西壮族自治区") + "增速高于全国平均0.3个百分点。",
            "0.3个百分点",
            "广西壮族自治区",
            id="a-comparison-base-is-no-subject",
        ),
        pytest.param(
            REVIEW.replace("某省", "广西壮族自治区") + "工业机器人产量增长31%、占全国四成。",
            "四成",
            "广西壮族自治区",
            id="the-whole-a-share-is-of-is-no-subject",
        ),

        pytest.param(
            REVIEW.replace("某省", "广西壮族自治区") + "全省接待游客9亿人次。",
            "9亿人次",
            "广西壮族自治区",
            id="quan-sheng-is-the-document",
        ),
        pytest.param(
            "三省经济\n2021年，江苏第一产业增加值4722亿元，增长3.1%；第二产业增加值51775亿元。",
            "51775亿元",
            "江苏省",
            id="a-statistic-keeps-its-subject-in-its-paragraph",
        ),
        pytest.param("某地新闻\n交通运输业增长3%。", "3%", None, id="no-place-known"),
        pytest.param(
            "两省经济\n从总量看，福建稳居前列，为5.8万亿元。",
            "5.8万亿元",
            "福建省",
            id="a-clause-without-a-figure-opens-the-subject-of-its-sentence",
        ),
        pytest.param(
            "两省经济\n福建省统计局发布的数据显示，福建经济稳中向好。全年地区生产总值达到5.8万亿元。",
            "5.8万亿元",
            "福建省",
            id="without-a-document-place-a-sentence-without-a-figure-sets-the-paragraph-subject",
        ),
        pytest.param(
            REVIEW.replace("某省", "江西省") + "赣州市获评全国文明城市。地区生产总值增长5%。",
            "5%",
            "江西省",
            id="a-report-place-outlasts-a-city-named-in-a-sentence-before",
        ),
        pytest.param(
            REVIEW.replace("某省", "江西省") + "赣州火灾事故整改通过评估，事故起数下降9.6%。",
            "9.6%",
            "江西省",
            id="a-report-place-outlasts-a-city-opening-a-clause-without-a-figure",
        ),
        pytest.param(
            "2026年江西省政府工作报告\n五年来，赣州平原经济区经济总量达到2万亿元，"
            "赣南协同发展区经济总量突破8000亿元。",
            "8000亿元",
            "赣南协同发展区",
            id="a-zone-opening-its-clause-is-the-subject",
        ),
        pytest.param(
            "2026年永康市政府工作报告\n一、2025年工作回顾\n全省经济增长5.5%。",
            "5.5%",
            "浙江省",
            id="quan-sheng-in-a-city-report-is-its-province",
        ),
        pytest.param(
            "2022年深圳市经济新闻\n广州、深圳、佛山，全省3个城市的经济总量占全省的六成。",
            "六成",
            "广东省",
            id="quan-sheng-in-a-city-news-piece-is-its-province",
        ),
        pytest.param(
            "2026年永康市政府工作报告\n一、2025年工作回顾\n全市经济增长5.5%。",
            "5.5%",
            "永康市",
            id="quan-shi-in-a-city-report-is-the-city",
        ),
        pytest.param(
            "2022年某市经济新闻\n包括甲市、乙市全域的杭州都市圈，已有2万亿量级的杭州，"
            "整个都市圈经济总量超过3.5万亿元。",
            "3.5万亿元",
            "杭州都市圈",
            id="a-zone-named-again-by-its-kind-is-the-zone-named-before",
        ),
        pytest.param(
            "2026年某省政府工作报告\n长江中游城市群建设提速，该城市群经济总量突破10万亿元。",
            "10万亿元",
            "长江中游城市群",
            id="gai-and-the-kind-name-the-zone-again",
        ),
        pytest.param(
            "2022年杭州市经济新闻\n全市经济增长5%，整个都市圈经济总量增长6%。",
            "6%",
            "杭州市",
            id="a-kind-with-no-zone-named-before-names-nothing",
        ),
        pytest.param(
            "2022年某市经济新闻\n随着甲市经济总量破1万亿元，长三角地区生产总值超过30万亿元，"
            "按年平均汇率约合4.6万亿美元。",
            "4.6万亿美元",
            "长三角",
            id="a-value-restated-in-another-unit-keeps-the-place-of-the-value-before",
        ),
    ],
)
def test_place(text: str, mention: str, place: str | None) -> None:
    document = extract_text(text)
    assert [f.place for f in document.facts if f.mention == mention] == [place]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        pytest.param(
            "政府工作报告\n新华社南昌1月20日电 江西省省长在省十四届人大五次会议上作报告。\n",
            "江西省",
            id="a-news-agency-dateline-is-where-the-story-was-filed",
        ),
        pytest.param(
            "政府工作报告\n人民网福州1月11日电 福建省省长向大会作政府工作报告。\n",
            "福建省",
            id="a-news-site-dateline-is-where-the-story-was-filed",
        ),
        pytest.param(
            "政府工作报告\n中广网合肥1月14日消息 安徽省省长在省人民代表大会上作报告。\n",
            "安徽省",
            id="a-dateline-ending-in-xiaoxi",
        ),
        pytest.param(
            "政府工作报告\n荆楚在线武汉1月15日讯 湖北省省长向大会作政府工作报告。\n",
            "湖北省",
            id="a-dateline-of-an-online-paper",
        ),
        pytest.param(
            "政府工作报告\n中新网 太原1月23日电 山西省省长向大会作政府工作报告。\n",
            "山西省",
            id="a-dateline-with-a-space-after-the-agency",
        ),
        pytest.param(
            "政府工作报告\n——2026年1月27日在江西省第十四届人民代表大会第五次会议上\n",
            "江西省",
            id="an-occasion-line-without-a-dateline",
        ),
        pytest.param(
            "政府工作报告\n——2026年1月9日在江西赣州市第六届人民代表大会第五次会议上\n",
            "赣州市",
            id="a-province-before-a-city-of-its-own-names-the-city",
        ),
        pytest.param(
            "（贵州省）2021年黔西南州人民政府工作报告（全文）\n各位代表：\n",
            "黔西南布依族苗族自治州",
            id="a-title-names-the-government-whose-report-it-is",
        ),
        pytest.param(
            "广东省GDP突破14万亿元 深圳市政府发布数据\n各位代表：\n",
            "广东省",
            id="a-government-publishing-is-not-the-subject-of-a-headline",
        ),
        pytest.param(
            "政府工作报告\n——2026年3月5日在第十四届全国人民代表大会第四次会议上\n"
            "国务院总理 李强\n",
            "全国",
            id="the-national-congress-hears-the-countrys-report",
        ),
        pytest.param(
            "政府工作报告要点\n3月5日，国务院总理向大会作政府工作报告，要点如下：\n",
            "全国",
            id="the-premier-speaks-for-the-country",
        ),
        pytest.param(
            "中华人民共和国2025年国民经济和社会发展统计公报\n国家统计局\n",
            "全国",
            id="the-national-bulletin",
        ),
        pytest.param(
            "政府工作报告\n——2026年1月27日在江西省第十四届人民代表大会第五次会议上\n"
            "国务院批复同意我省规划。\n",
            "江西省",
            id="a-province-naming-the-state-council-is-still-the-province",
        ),
    ],
)
def test_document_place(text: str, place: str) -> None:
    assert extract_text(text + "新建学校3所。").place == place


def test_an_unknown_document_place_is_an_issue() -> None:
    document = extract_text("某地新闻\n交通运输业增长3%。")
    assert document.place is None
    assert any(issue.stage == "context" for issue in document.issues)


def test_what_the_user_said_of_the_document_wins() -> None:
    from types import SimpleNamespace

    from extract.models import SourceText
    from extract.pipeline import StageWork, run_stages

    text = "2026年江西省政府工作报告\n一、2025年工作回顾\n地区生产总值增长5.2%。"
    source = SourceText(path="x.txt", doc_id="x", encoding="utf-8", sha256="0", size=1, text=text)
    work = StageWork(source, load_lexicon())
    meta = SimpleNamespace(place="浙江省", place_code="330000", date="2027")
    work.meta = meta  # type: ignore[attr-defined]
    run_stages(work)
    assert (work.place, work.place_from, work.date, work.date_from) == (
        "浙江省",
        "meta",
        "2027",
        "meta",
    )
    assert (work.facts[0].place, work.facts[0].place_code) == ("浙江省", "330000")


@pytest.mark.parametrize(
    ("text", "places"),
    [
        pytest.param(
            "两省经济\n浙江、福建两省的服务业增加值均增长了6%。",
            ["浙江省", "福建省"],
            id="each-place-of-a-list-gets-its-copy",
        ),
        pytest.param(
            "两省经济\n浙江、福建服务业增加值均占地区生产总值的一半以上。",
            ["浙江省", "福建省"],
            id="each-place-of-a-list-gets-its-share",
        ),
    ],
)
def test_a_value_distributed_over_places(text: str, places: list[str]) -> None:
    document = extract_text(text)
    assert [f.place for f in document.facts] == places


@pytest.mark.parametrize(
    ("place", "place_code", "period", "status", "concept"),
    [
        pytest.param("江西省", "360000", "2025", "actual", "gdp_growth", id="all-set"),
        pytest.param(None, None, None, "target", None, id="none-known"),
    ],
)
def test_a_fact_with_context_is_the_copy_pydantic_makes(
    place: str | None, place_code: str | None, period: str | None, status: Status,
    concept: str | None,
) -> None:
    """``_with_context`` sets the fields as ``model_copy(update=...)`` does, more cheaply."""
    fact = extract_text("新增公办学位1.1万个。").facts[0]
    update = {
        "place": place, "place_code": place_code, "period": period, "status": status,
        "concept": concept,
    }
    made = _with_context(fact, fact.__dict__, place, place_code, period, status, concept)
    expected = fact.model_copy(update=update)
    assert made == expected
    assert made.model_dump_json() == expected.model_dump_json()
    assert made.model_fields_set == expected.model_fields_set
    assert fact.place is None  # the fact itself is left as it was


@given(st.lists(st.integers(-50, 50)).map(sorted), st.integers(-60, 60))
def test_the_compiled_bisect_is_the_builtin(values: list[int], x: int) -> None:
    assert _bisect_right(values, x) == bisect.bisect_right(values, x)


@pytest.mark.parametrize(
    ("first", "last", "months", "text"),
    [
        pytest.param(2025, 2025, None, "2025", id="one-year"),
        pytest.param(2021, 2025, None, "2021/2025", id="years"),
        pytest.param(2025, 2025, (1, 11), "2025-01/2025-11", id="months-apart-from-the-year"),
        pytest.param(2025, 2025, (1, 12), "2025-01/2025-12", id="other-months-apart"),
        pytest.param(202, 5202, None, "0202/5202", id="years-of-fewer-digits"),
        pytest.param(-3, 2025, None, "-003/2025", id="a-year-out-of-range-is-made-each-time"),
    ],
)
def test_period_texts_kept_by_years_and_months(
    first: int, last: int, months: tuple[int, int] | None, text: str
) -> None:
    """The texts are kept by one integer: no two periods may share one (asked twice)."""
    assert _period_text(first, last, months) == text
    assert _period_text(first, last, months) == text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(REVIEW + "十五年来，累计新建学校150所。", id="fifteen-years-in-words"),
        pytest.param(REVIEW + "近15年来，累计新建学校150所。", id="fifteen-years-in-digits"),
        pytest.param(REVIEW + "十二年来，累计新建学校150所。", id="twelve-years-in-words"),
    ],
)
def test_a_count_of_years_is_not_read_from_its_last_digit(text: str) -> None:
    # 十五年来 holds 五年来, 近15年来 holds 5年来: neither is the five years before the report.
    assert _fact(text, "150所")[0] not in {"2021/2025", "2024/2025", "2023/2025"}


def _time_regexes() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The context stage's time regex, and the same without its second lookahead."""
    periods = bundled_table("context")["periods"]
    words = [row[0] for key in ("relative", "months", "plans") for row in periods[key]]
    gated = load_lexicon().derived(context._build_rules).time_re
    gate = context._time_gate(words)
    assert gate in gated.pattern
    return gated, re.compile(gated.pattern.replace(gate, "", 1))


def _time_matches(pattern: re.Pattern[str], text: str) -> list[tuple[Any, ...]]:
    return [(match.span(), match.groups()) for match in pattern.finditer(text)]


_TIME_ALPHABET = (
    "0123456789０２年月季度五十三四今去到至—-～~ “\"上半下第一二过近来的底末期本明前这未后刚增长"
)


@given(st.text(alphabet=_TIME_ALPHABET, max_size=40))
def test_the_time_regex_gate_lets_every_time_word_in(text: str) -> None:
    # The second lookahead only passes over places where no alternative can match.
    gated, ungated = _time_regexes()
    assert _time_matches(gated, text) == _time_matches(ungated, text)


@pytest.mark.parametrize("key", ["relative", "months", "plans"])
def test_the_time_regex_finds_every_word_of_its_tables(key: str) -> None:
    gated, ungated = _time_regexes()
    for row in bundled_table("context")["periods"][key]:
        text = f"全年{row[0]}增长5%，较“{row[0]}”到2025年、2021-2025年、1-11月"
        assert _time_matches(gated, text) == _time_matches(ungated, text) != []


def _windowed(text: str) -> list[tuple[Any, ...]]:
    rules = load_lexicon().derived(context._build_rules)
    return [(match.span(), match.groups()) for match in context._time_matches(text, rules)]


@given(st.text(alphabet=_TIME_ALPHABET + "\n\t\u3000，。比较", min_size=61, max_size=240))
def test_the_time_regex_searched_in_windows_finds_what_a_whole_search_finds(text: str) -> None:
    gated, _ = _time_regexes()
    assert _windowed(text) == _time_matches(gated, text)


_FILLER = "全省经济运行总体平稳、稳中有进，发展质量和效益稳步提升，"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_FILLER * 3 + "到2021 年 - 2025年", id="the-widest-range-at-the-end"),
        pytest.param(_FILLER * 3 + "到2021 - 2025年", id="the-farthest-year-character"),
        pytest.param("到2021 - 2025年" + _FILLER * 3, id="the-farthest-at-the-start"),
        pytest.param(_FILLER + "到2025年 1 - 11月" + _FILLER * 2, id="months-after-a-spaced-year"),
        pytest.param(_FILLER + "2021  -  2025年" + _FILLER * 2, id="two-spaces-search-whole"),
        pytest.param(_FILLER + "刚刚过去的一年" + _FILLER + "到“十四五”末", id="the-longest-words"),
        pytest.param(_FILLER * 2 + "2025年" + "一" * 13 + "2026年", id="windows-that-meet"),
        pytest.param(_FILLER * 2 + "2025年" + "一" * 30 + "2026年", id="windows-apart"),
    ],
)
def test_windows_around_time_characters(text: str) -> None:
    gated, _ = _time_regexes()
    assert len(text) > 4 * load_lexicon().derived(context._build_rules).time_width
    assert _windowed(text) == _time_matches(gated, text) != []


def test_the_time_width_is_the_regex_s_widest_match() -> None:
    # The width sre computes for the regex, with a run of whitespace as one character (what
    # _time_matches searches in windows); re._parser is private, so only a test reads it.
    import re._parser as sre_parser  # type: ignore[import-not-found]

    rules = load_lexicon().derived(context._build_rules)
    single = rules.time_re.pattern.replace(r"\s*", r"\s?")
    assert sre_parser.parse(single).getwidth()[1] == rules.time_width


@pytest.mark.parametrize(
    ("text", "word"),
    [
        pytest.param("全年力争取得新突破", "争取", id="overlapping-words-first-in-order"),
        pytest.param("主要目标是", "主要目标", id="longest-first"),
        pytest.param("将近翻一番", None, id="jiang-inside-jiangjin"),
        pytest.param("强化要素保障", None, id="yao-inside-yaosu"),
        pytest.param("需要", None, id="yao-after-xu"),
        pytest.param("将近翻一番，全省将实现", "将", id="a-later-jiang-counts"),
        pytest.param("", None, id="empty"),
        pytest.param("地区生产总值增长", None, id="none-at-all"),
    ],
)
def test_the_plan_word_of_a_text(text: str, word: str | None) -> None:
    rules = load_lexicon().derived(context._build_rules)
    assert context._has_target_word(text, rules) == word


@pytest.mark.parametrize(
    ("clause", "years"),
    [
        pytest.param("五年来城镇新增就业", (2021, 2025), id="a-count-over-the-interval"),
        pytest.param("五年来粮食产量达到", (2025, 2025), id="a-level-reached"),
        pytest.param("五年来新建学校，在校生规模达到", (2025, 2025), id="the-level-word-nearer"),
        pytest.param("五年来在校生规模达到新高，又新增", (2021, 2025), id="the-count-word-nearer"),
        pytest.param("五年来城镇居民收入增长到", (2025, 2025), id="a-to-word-ending-a-change"),
        pytest.param("五年来全省生态环境", (2021, 2025), id="no-word-the-whole-interval"),
    ],
)
def test_the_word_nearest_the_figure_decides_its_years(
    clause: str, years: tuple[int, int]
) -> None:
    rules = load_lexicon().derived(context._build_rules)
    span = context._Span(0, 3, "五年来", 2021, 2025, relative=True)
    assert context._review_period(span, clause, rules)[:2] == years
