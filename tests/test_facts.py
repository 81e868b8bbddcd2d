"""Table tests for the extractor: one sentence → its facts, one phenomenon a row.

Expectations are written by hand from FACTS.md, never read from a gold file.
A row is (sentence, [(mention, normalized_value, base_unit, comparator), ...]).
"""

from __future__ import annotations

import dataclasses
import inspect
from decimal import Decimal

import pytest

from extract import Fact, extract_text
from extract.facts import Quantity
from extract.lexicon import Unit

Brief = tuple[str, str, str, str]


def facts_of(text: str) -> list[Fact]:
    """Return the facts the whole pipeline finds in ``text``."""
    return extract_text(text, doc_id="t").facts


def brief(fact: Fact) -> Brief:
    return (fact.mention, f"{fact.normalized_value.normalize():f}", fact.base_unit, fact.comparator)


def check(text: str, expected: list[Brief]) -> None:
    got = [brief(f) for f in facts_of(text)]
    want = [(m, f"{Decimal(v).normalize():f}", b, c) for m, v, b, c in expected]
    assert got == want


NUMBERS = [
    pytest.param(
        "累计整治低效工业用地1,723亩。", [("1,723亩", "1723", "亩", "=")], id="thousands-separator"
    ),
    pytest.param(
        "新建学校１２，３４５所。",
        [],  # 12345 or a list 12，345: refused with an issue (test_split_numbers), never 345
        id="full-width-comma-group-is-refused",
    ),
    pytest.param(
        "累计实施减负降费３６．５亿元。",
        [("36.5亿元", "3650000000", "元", "=")],
        id="full-width-digits-and-point",
    ),
    pytest.param(
        "累计实施减负降费36.5 亿元。",
        [("36.5 亿元", "3650000000", "元", "=")],
        id="ocr-space-before-multiplier",
    ),
    pytest.param(
        "全年接待游客一万二千三百人次。",
        [("一万二千三百人次", "12300", "人次", "=")],
        id="chinese-numeral-wan-qian-bai",
    ),
    pytest.param("新增市场主体两千家。", [("两千家", "2000", "家", "=")], id="chinese-liang-qian"),
    pytest.param(
        "实现营收三十六点五亿元。",
        [("三十六点五亿元", "3650000000", "元", "=")],
        id="chinese-decimal-with-multiplier",
    ),
    pytest.param(
        "投入资金十二亿元。", [("十二亿元", "1200000000", "元", "=")], id="chinese-shi-er-yi"
    ),
    pytest.param(
        "新增公办学位1.1万个。", [("1.1万个", "11000", "个", "=")], id="arabic-decimal-with-wan"
    ),
    pytest.param(
        "经济总量突破3万亿元。", [("3万亿元", "3000000000000", "元", ">")], id="wan-yi-multiplier"
    ),
    pytest.param(
        "一般公共预算收入突破7千亿元。",
        [("7千亿元", "700000000000", "元", ">")],
        id="qian-yi-multiplier",
    ),
    pytest.param(
        "全口径发电装机容量8000万千瓦。",
        [("8000万千瓦", "80000000", "千瓦", "=")],
        id="qian-inside-unit-qianwa-is-not-a-multiplier",
    ),
    pytest.param(
        "财政收入首破万亿元。",
        [("万亿元", "1000000000000", "元", ">")],
        id="bare-multiplier-framed-by-comparator",
    ),
    pytest.param(
        "学前一年免费教育惠及43万儿童。",
        [("43万", "430000", "人", "=")],
        id="multiplier-without-measure-word-counts-people",
    ),
]

NUMBERS += [
    pytest.param(
        "全市常住人口100万三千人。",
        [("100万三千人", "1003000", "人", "=")],
        id="arabic-then-chinese-numeral",
    ),
    pytest.param(
        "惠及10万一线职工。", [("10万", "100000", "人", "=")], id="word-after-wan-is-not-a-numeral"
    ),
]

APPROXIMATE = [
    pytest.param(
        "投资超百亿元。", [("百亿元", "10000000000", "元", ">")], id="chao-bai-yi-is-a-magnitude"
    ),
    pytest.param(
        "上百万人次参与。",
        [("百万人次", "1000000", "人次", ">=")],
        id="shang-bai-wan-is-a-magnitude",
    ),
    pytest.param("建成服务站点100余个。", [("100余个", "100", "个", ">")], id="yu-after-number"),
    pytest.param("引进企业10多个。", [("10多个", "10", "个", ">")], id="duo-after-number"),
    pytest.param(
        "惠及消费者750余万人次。",
        [("750余万人次", "7500000", "人次", ">")],
        id="yu-before-multiplier",
    ),
    pytest.param(
        "1.4万余家企业实施改造。", [("1.4万余家", "14000", "家", ">")], id="yu-after-multiplier"
    ),
    pytest.param(
        "全市已有近千家企业上云。", [("千家", "1000", "家", "~")], id="jin-qian-approximate-count"
    ),
    pytest.param(
        "活动吸引上万人参加。", [("万人", "10000", "人", ">=")], id="shang-wan-as-many-as"
    ),
    pytest.param("数十家企业参加。", [], id="shu-shi-is-vague"),
    pytest.param("上百家企业参加。", [], id="shang-bai-is-vague"),
]

SHARES = [
    pytest.param("贫困发生率降至百分之二十。", [("百分之二十", "20", "%", "=")], id="bai-fen-zhi"),
    pytest.param("出生缺陷率为千分之五。", [("千分之五", "5", "‰", "=")], id="qian-fen-zhi"),
    pytest.param(
        "绿化面积占三分之一。", [("三分之一", "33.333333333333", "%", "=")], id="san-fen-zhi-yi"
    ),
    pytest.param("坚持财政支出七成用于民生。", [("七成", "70", "%", "=")], id="qi-cheng"),
    pytest.param("八成以上企业实现盈利。", [("八成", "80", "%", ">=")], id="ba-cheng-yi-shang"),
    pytest.param(
        "第三产业增加值占GDP总量的一半以上。", [("一半", "50", "%", ">=")], id="yi-ban-is-half"
    ),
    pytest.param(
        "全省PM2.5平均浓度27.4微克/立方米。",
        [("27.4微克/立方米", "27.4", "微克/立方米", "=")],
        id="concentration-unit",
    ),
]

MULTIPLES_AND_RANGES = [
    pytest.param("经济总量翻了一番。", [("翻了一番", "2", "倍", "=")], id="fan-le-yi-fan"),
    pytest.param(
        "利润增长一倍。", [("一倍", "1", "倍", "=")], id="yi-bei-is-a-multiple-not-an-article"
    ),
    pytest.param("新能源汽车产量增长2倍。", [("2倍", "2", "倍", "=")], id="multiple-bei"),
    pytest.param(
        "高价值发明专利拥有量实现翻一番。",
        [("翻一番", "2", "倍", "=")],
        id="fan-yi-fan-is-two-times",
    ),
    pytest.param("每个乡镇建设3-5个示范点。", [("3-5个", "3", "个", ">=")], id="range-hyphen"),
    pytest.param("每个乡镇建设3～5个示范点。", [("3～5个", "3", "个", ">=")], id="range-tilde"),
    pytest.param("每个乡镇建设3至5个示范点。", [("3至5个", "3", "个", ">=")], id="range-zhi"),
    pytest.param("预期增长5%-8%。", [("5%-8%", "5", "%", ">=")], id="range-percent-hyphen"),
    pytest.param("预期增长5%—8%。", [("5%—8%", "5", "%", ">=")], id="range-percent-dash"),
]

SIGNS = [
    pytest.param("人口自然增长率为-0.5‰。", [("0.5‰", "-0.5", "‰", "=")], id="minus-sign"),
    pytest.param(
        "工业利润增长-2.3%。", [("2.3%", "-2.3", "%", "=")], id="growth-with-a-minus-sign"
    ),
    pytest.param("信访总量下降9.6%。", [("9.6%", "-9.6", "%", "=")], id="xia-jiang-is-negative"),
    pytest.param(
        "煤炭消费量减少120万吨。", [("120万吨", "-1200000", "吨", "=")], id="jian-shao-is-negative"
    ),
    pytest.param(
        "房价指数回落1.2个百分点。",
        [("1.2个百分点", "-1.2", "个百分点", "=")],
        id="hui-luo-is-negative",
    ),
    pytest.param("工业利润负增长3.5%。", [("3.5%", "-3.5", "%", "=")], id="fu-zeng-zhang"),
    pytest.param("失业率下降至3%。", [("3%", "3", "%", "=")], id="xia-jiang-zhi-is-a-level"),
    pytest.param(
        "压减地下水开采量21.5亿立方米。",
        [("21.5亿立方米", "2150000000", "立方米", "=")],
        id="size-of-an-action-stays-positive",
    ),
    pytest.param(
        "固定资产投资下降超10%。", [("10%", "-10", "%", ">")], id="comparator-after-falling-verb"
    ),
    pytest.param(
        "生产安全事故起数、死亡人数分别下降9.62%、10.47%。",
        [("9.62%", "-9.62", "%", "="), ("10.47%", "-10.47", "%", "=")],
        id="falling-verb-shared-by-a-list",
    ),
]


UNITS = [
    pytest.param(
        "实际利用外资12.5亿美元。",
        [("12.5亿美元", "1250000000", "美元", "=")],
        id="unit-yi-mei-yuan",
    ),
    pytest.param(
        "募集资金30亿港元。", [("30亿港元", "3000000000", "港元", "=")], id="unit-gang-yuan"
    ),
    pytest.param("完成造林1.2万公顷。", [("1.2万公顷", "12000", "公顷", "=")], id="unit-gong-qing"),
    pytest.param(
        "改造老旧小区35万平方米。",
        [("35万平方米", "350000", "平方米", "=")],
        id="unit-wan-ping-fang-mi",
    ),
    pytest.param(
        "治理水土流失面积120平方公里。",
        [("120平方公里", "120", "平方公里", "=")],
        id="unit-ping-fang-gong-li",
    ),
    pytest.param("新建管网15千米。", [("15千米", "15", "千米", "=")], id="unit-qian-mi"),
    pytest.param("港口吞吐量1.5亿吨。", [("1.5亿吨", "150000000", "吨", "=")], id="unit-yi-dun"),
    pytest.param("新增光伏装机300兆瓦。", [("300兆瓦", "300", "兆瓦", "=")], id="unit-zhao-wa"),
    pytest.param(
        "全社会用电量1200亿千瓦时。",
        [("1200亿千瓦时", "120000000000", "千瓦时", "=")],
        id="unit-yi-qian-wa-shi",
    ),
    pytest.param(
        "集装箱吞吐量350万标箱。",
        [("350万标箱", "3500000", "标准箱", "=")],
        id="unit-wan-biao-xiang",
    ),
    pytest.param("集装箱吞吐量120万TEU。", [("120万TEU", "1200000", "标准箱", "=")], id="unit-teu"),
    pytest.param(
        "接待游客2.3万人次。", [("2.3万人次", "23000", "人次", "=")], id="unit-wan-ren-ci"
    ),
    pytest.param("招聘教师300名。", [("300名", "300", "名", "=")], id="unit-ming"),
    pytest.param("搬迁群众1200户。", [("1200户", "1200", "户", "=")], id="unit-hu"),
    pytest.param("新增公交车200辆。", [("200辆", "200", "辆", "=")], id="unit-liang"),
    pytest.param("建成保障性住房5000套。", [("5000套", "5000", "套", "=")], id="unit-tao"),
    pytest.param("新增工业机器人800台。", [("800台", "800", "台", "=")], id="unit-tai"),
    pytest.param("查处案件40起。", [("40起", "40", "起", "=")], id="unit-qi"),
    pytest.param("开行班列9列。", [("9列", "9", "列", "=")], id="unit-lie"),
    pytest.param("开展培训20批。", [("20批", "20", "批", "=")], id="unit-pi"),
    pytest.param("出生缺陷发生率2.5‰。", [("2.5‰", "2.5", "‰", "=")], id="unit-per-mille"),
    pytest.param(
        "城镇化率提高1.2个百分点。",
        [("1.2个百分点", "1.2", "个百分点", "=")],
        id="unit-ge-bai-fen-dian",
    ),
    pytest.param("企业开办时间缩短至3天。", [("3天", "3", "天", "=")], id="time-amount-days"),
    pytest.param("审批时限压缩至8小时。", [("8小时", "8", "小时", "=")], id="time-amount-hours"),
    pytest.param(
        "北京、上海都花了3到4年。", [("3到4年", "3", "年", ">=")], id="time-amount-years-range"
    ),
    pytest.param("人均预期寿命达79岁。", [("79岁", "79", "岁", "=")], id="unit-sui"),
]

UNITS += [
    pytest.param(
        "人均可支配收入4.2万元/人。",
        [("4.2万元/人", "42000", "元", "=")],
        id="compound-unit-yuan-per-person-counts-yuan",
    ),
    pytest.param(
        "亩均税收达15万元/亩。",
        [("15万元/亩", "150000", "元", "=")],
        id="compound-unit-wan-yuan-per-mu-counts-yuan",
    ),
]

COMPARATORS = [
    pytest.param(
        "年度投资保持1万亿元以上。",
        [("1万亿元", "1000000000000", "元", ">=")],
        id="yi-shang-includes",
    ),
    pytest.param("平均失业率稳定在3%以下。", [("3%", "3", "%", "<=")], id="yi-xia-includes"),
    pytest.param("赤字率控制在3%以内。", [("3%", "3", "%", "<=")], id="yi-nei-includes"),
    pytest.param(
        "粮食产量不少于600亿斤。", [("600亿斤", "60000000000", "斤", ">=")], id="bu-shao-yu"
    ),
    pytest.param("研发投入强度不低于2.5%。", [("2.5%", "2.5", "%", ">=")], id="bu-di-yu"),
    pytest.param(
        "单位GDP能耗不超过0.5吨标准煤。",
        [("0.5吨标准煤", "0.5", "吨标准煤", "<=")],
        id="bu-chao-guo",
    ),
    pytest.param("新增城镇就业人员超1万人。", [("1万人", "10000", "人", ">")], id="chao-excludes"),
    pytest.param(
        "社会消费品零售总额超过4万亿元。", [("4万亿元", "4000000000000", "元", ">")], id="chao-guo"
    ),
    pytest.param("新增市场主体逾3万户。", [("3万户", "30000", "户", ">")], id="yu-excludes"),
    pytest.param("参赛队员不满50人。", [("50人", "50", "人", "<")], id="bu-man"),
    pytest.param(
        "不满18岁的未成年人3000人。",
        [("3000人", "3000", "人", "=")],
        id="threshold-bu-man-before-de",
    ),
    pytest.param("贫困人口不足1000人。", [("1000人", "1000", "人", "<")], id="bu-zu"),
    pytest.param("空置率不到5%。", [("5%", "5", "%", "<")], id="bu-dao"),
    pytest.param(
        "按年平均汇率约合1.92万亿美元。",
        [("1.92万亿美元", "1920000000000", "美元", "~")],
        id="yue-he",
    ),
    pytest.param("规模以上工业企业接近2万家。", [("2万家", "20000", "家", "~")], id="jie-jin"),
    pytest.param("惠州经济总量近5000亿元。", [("5000亿元", "500000000000", "元", "~")], id="jin"),
    pytest.param("民生支出占比保持在80%左右。", [("80%", "80", "%", "~")], id="zuo-you"),
    pytest.param("物价涨幅在3%上下。", [("3%", "3", "%", "~")], id="shang-xia"),
    pytest.param(
        "签约50亿元。",
        [("50亿元", "5000000000", "元", "=")],
        id="yue-inside-qian-yue-is-not-a-comparator",
    ),
    pytest.param(
        "新退出政府融资平台346家、超计划19家。",
        [("346家", "346", "家", "="), ("19家", "19", "家", "=")],
        id="chao-not-next-to-the-number-is-no-comparator",
    ),
]

STRUCTURE = [
    pytest.param(
        "江苏、山东则均超过全国5.1%的增速水平。",
        [("5.1%", "5.1", "%", "=")],
        id="jun-compared-with-one-benchmark-is-one-fact",
    ),
    pytest.param(
        "广东、江苏均超过8%。",
        [("8%", "8", "%", ">"), ("8%", "8", "%", ">")],
        id="jun-gives-each-item-the-value",
    ),
    pytest.param(
        "全市41个工业行业大类中有32个行业增加值保持增长。",
        [("41个", "41", "个", "="), ("32个", "32", "个", "=")],
        id="count-before-its-noun-is-a-fact-not-a-threshold",
    ),
    pytest.param(
        "这3个省份的GDP均增长了8%及以上。",
        [("8%", "8", "%", ">="), ("8%", "8", "%", ">="), ("8%", "8", "%", ">=")],
        id="jun-over-a-counted-subject-and-the-count-is-a-determiner",
    ),
    pytest.param("为60岁以上老人发放补贴。", [], id="bound-before-a-noun-is-a-threshold"),
    pytest.param("引进一批亿元以上项目。", [], id="bare-bound-before-a-noun-is-a-threshold"),
    pytest.param(
        "民生支出占比稳定在80%以上水平。",
        [("80%", "80", "%", ">=")],
        id="bound-before-an-appositive-head-is-a-fact",
    ),
    pytest.param(
        "签约50亿元、100亿元以上项目各1个。",
        [("1个", "1", "个", "="), ("1个", "1", "个", "=")],
        id="ge-gives-one-fact-per-item",
    ),
    pytest.param(
        "落地3亿元以上项目11个，其中10亿元以上项目6个。",
        [("11个", "11", "个", "="), ("6个", "6", "个", "=")],
        id="threshold-inside-indicator-is-not-a-fact",
    ),
    pytest.param(
        "年销售收入超10亿元的龙头企业达100家以上。",
        [("100家", "100", "家", ">=")],
        id="threshold-before-de-is-not-a-fact",
    ),
    pytest.param(
        "金融机构本外币存、贷款余额双双突破6万亿元。",
        [("6万亿元", "6000000000000", "元", ">"), ("6万亿元", "6000000000000", "元", ">")],
        id="shuang-shuang-gives-two-facts",
    ),
    pytest.param(
        "班次由每周2列增至9列。",
        [("2列", "2", "列", "="), ("9列", "9", "列", "=")],
        id="change-gives-two-facts",
    ),
    pytest.param("建成万吨级纯电动智能海船。", [], id="ji-class-is-not-an-amount"),
    pytest.param(
        "每千人口托位数达4.6个。", [("4.6个", "4.6", "个", "=")], id="mei-denominator-is-not-a-fact"
    ),
]

NOT_FACTS = [
    pytest.param("成为全国首个通时速350公里高铁的省份。", [], id="specification-names-a-class"),
    pytest.param(
        "线路全长120公里。",
        [("120公里", "120", "公里", "=")],
        id="specification-before-punctuation-is-an-amount",
    ),
    pytest.param("重点抓好三个方面工作。", [], id="grouping-of-abstract-nouns"),
    pytest.param("办好两件大事。", [], id="grouping-of-great-matters"),
    pytest.param(
        "全市三批次135个项目集中开工。",
        [("135个", "135", "个", "=")],
        id="batches-before-the-count-they-split",
    ),
    pytest.param(
        "前两批12家企业获评。",
        [("12家", "12", "家", "=")],
        id="batches-in-digits-or-words-alike",
    ),
    pytest.param(
        "全年抽检食品1.2万批次。",
        [("1.2万批次", "12000", "批次", "=")],
        id="batches-alone-are-a-count",
    ),
    pytest.param(
        "涉及12个方面的改革任务。",
        [("12个", "12", "个", "=")],
        id="arabic-count-before-abstract-noun-is-a-count",
    ),
    pytest.param("实施2023—2025年行动计划。", [], id="year-range"),
    pytest.param("2025年工作回顾。", [], id="year"),
    pytest.param("3月5日上午召开会议。", [], id="month-day"),
    pytest.param("2021年1-11月全市工业稳定。", [], id="month-range"),
    pytest.param("高效打赢“1·5”“9·10”疫情遭遇战。", [], id="dot-date-in-quotes"),
    pytest.param("十四五时期发展回顾。", [], id="plan-period"),
    pytest.param("深入贯彻党的二十大精神。", [], id="congress-number"),
    pytest.param("第十二届全国人民代表大会。", [], id="session-number-di"),
    pytest.param("市委十五届二次全体会议召开。", [], id="session-and-plenum-number"),
    pytest.param("省十四届人大三次会议隆重开幕。", [], id="session-number-after-the-body"),
    pytest.param("市委召开六届五次、六次全会。", [], id="session-numbers-listed"),
    pytest.param("完成十五届市委第一轮巡察。", [], id="ordinal-round"),
    pytest.param("S316开工建设。", [], id="road-code"),
    pytest.param("G60科创走廊建设加快。", [], id="corridor-code"),
    pytest.param("34个项目进入全国5G工厂名录。", [("34个", "34", "个", "=")], id="5g-is-a-code"),
    pytest.param("“1+7+N”重点工作扎实推进。", [], id="slogan-in-quotes"),
    pytest.param("“文润永康4610”工程加快实施。", [], id="project-name-in-quotes"),
    pytest.param("“三位一体”履职平台建设成效明显。", [], id="idiom-in-quotes"),
    pytest.param("1.坚持稳中求进。", [], id="list-marker"),
    pytest.param("（2）扩大有效投资。", [], id="bracket-list-marker"),
    pytest.param("咨询电话0579-87123456。", [], id="phone-number"),
    pytest.param(
        "规模以上工业增加值增长7.5%。", [("7.5%", "7.5", "%", "=")], id="gui-mo-yi-shang-is-a-name"
    ),
    pytest.param(
        "查处违反中央八项规定精神问题40起。",
        [("40起", "40", "起", "=")],
        id="policy-name-ba-xiang-gui-ding",
    ),
    pytest.param("三次产业结构持续优化。", [], id="san-ci-chan-ye-is-a-term"),
    pytest.param("两年平均增长4.2%。", [("4.2%", "4.2", "%", "=")], id="liang-nian-is-a-qualifier"),
    pytest.param("五年来，我们砥砺前行。", [], id="wu-nian-lai-is-a-period"),
    pytest.param("芝英千年古城获评省大花园耀眼明珠。", [], id="qian-nian-idiom"),
    pytest.param("再上一个新台阶。", [], id="yi-ge-is-an-article"),
    pytest.param(
        "5个行业增加值实现两位数增长。",
        [("5个", "5", "个", "=")],
        id="liang-wei-shu-is-not-a-count",
    ),
    pytest.param("迭代升级“七张问题清单”应用。", [], id="count-inside-a-quoted-name"),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_numbers(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), APPROXIMATE)
def test_approximate_counts(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), SHARES)
def test_shares(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), MULTIPLES_AND_RANGES)
def test_multiples_and_ranges(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), SIGNS)
def test_signs(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), UNITS)
def test_units(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), COMPARATORS)
def test_comparators(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), STRUCTURE)
def test_structure(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), NOT_FACTS)
def test_not_facts(text: str, expected: list[Brief]) -> None:
    check(text, expected)


@pytest.mark.parametrize(
    ("text", "upper"),
    [
        pytest.param("每个乡镇建设3-5个示范点。", "5", id="range-upper-count"),
        pytest.param("预期增长5%-8%。", "8", id="range-upper-percent"),
        pytest.param("都花了3到4年。", "4", id="range-upper-years"),
    ],
)
def test_range_upper_value(text: str, upper: str) -> None:
    (fact,) = facts_of(text)
    assert fact.upper_value == Decimal(upper)


@pytest.mark.parametrize(
    ("text", "per"),
    [
        pytest.param("养老保险基础标准增至每月290元。", ["月"], id="per-month"),
        pytest.param("班次由每周2列增至9列。", ["周", "周"], id="per-carried-through-a-change"),
        pytest.param("每千人口托位数达4.6个。", [None], id="denominator-is-not-per"),
    ],
)
def test_per(text: str, per: list[str | None]) -> None:
    assert [f.per for f in facts_of(text)] == per


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        pytest.param("累计发放消费券1.1亿元。", "累计", id="lei-ji"),
        pytest.param("新增领军人才7人。", "新增", id="xin-zeng"),
        pytest.param("其中集中连片用地1723亩。", "其中", id="qi-zhong"),
        pytest.param("全市规模以上工业增加值同比增长4.8%。", "同比", id="tong-bi"),
        pytest.param("地区生产总值比上年增长6.5%。", "比上年", id="bi-shang-nian"),
        pytest.param("农村居民人均可支配收入年均增长8.8%。", "年均", id="nian-jun"),
        pytest.param("城镇居民人均住房建筑面积50平方米。", "人均", id="ren-jun"),
        pytest.param("地区生产总值预期增长5%左右。", "预期", id="yu-qi"),
        pytest.param("研发投入强度目标达到2.8%。", "目标", id="mu-biao"),
        pytest.param("力争新增就业10万人。", "力争", id="li-zheng"),
        pytest.param("固定资产投资比2019年同期增长8.5%。", "比2019年同期", id="base-year"),
    ],
)
def test_qualifiers(text: str, qualifier: str) -> None:
    (fact,) = facts_of(text)
    assert qualifier in fact.qualifiers


def test_target_list_gives_its_qualifiers_to_every_item() -> None:
    text = (
        "今年的主要预期目标是：地区生产总值增长6%左右；城镇新增就业12万人以上。\n"
        "过去一年新增就业11万人。"
    )
    assert [(f.mention, "预期" in f.qualifiers) for f in facts_of(text)] == [
        ("6%", True),
        ("12万人", True),
        ("11万人", False),
    ]


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        pytest.param(
            "累计实施减负降费36.5亿元、惠及企业90万家次。",
            ["实施减负降费", "惠及企业"],
            id="list-items-each-name-their-measure",
        ),
        pytest.param("平均失业率稳定在3%以下。", ["平均失业率"], id="linking-verb-stripped"),
        pytest.param(
            "17项列入省IRS“一本账”。", ["列入省IRS“一本账”"], id="indicator-after-the-number"
        ),
        pytest.param(
            "2家全国重点实验室获批建设。",
            ["全国重点实验室获批建设"],
            id="counted-noun-after-classifier",
        ),
        pytest.param(
            "地区生产总值12345.6亿元，比上年增长6.5%。",
            ["地区生产总值", "地区生产总值比上年增长"],
            id="growth-clause-borrows-the-subject",
        ),
        pytest.param(
            "城镇、农村居民人均可支配收入分别增长4.3%、5.7%。",
            ["城镇居民人均可支配收入增长", "农村居民人均可支配收入增长"],
            id="fen-bie-shares-the-head-of-the-last-item",
        ),
        pytest.param(
            "中、小学生人数分别增长2.1%、3.4%。",
            ["中学生人数增长", "小学生人数增长"],
            id="fen-bie-one-character-items-share-the-word-they-parallel",
        ),
        pytest.param(
            "城乡居民人均可支配收入分别增长5.5%和6.8%。",
            ["城镇居民人均可支配收入增长", "农村居民人均可支配收入增长"],
            id="fen-bie-after-a-contraction-names-its-parts",
        ),
        pytest.param(
            "全县中小学分别新增3所、5所。",
            ["全县中学新增", "全县小学新增"],
            id="fen-bie-after-a-contraction-of-three-characters",
        ),
        pytest.param(
            "城镇、农村居民人均可支配收入分别为39310元、20356元，增长5.5%、5.6%。",
            [
                "城镇居民人均可支配收入",
                "农村居民人均可支配收入",
                "城镇居民人均可支配收入增长",
                "农村居民人均可支配收入增长",
            ],
            id="values-listed-after-a-fen-bie-list-pair-with-its-items",
        ),
        pytest.param(
            "城镇、农村居民收入分别为3万元、2万元，消费支出增长5%、6%。",
            ["城镇居民收入", "农村居民收入", "消费支出增长", "消费支出增长"],
            id="values-listed-with-a-subject-of-their-own-are-not-paired",
        ),
        pytest.param(
            "全市增速分别高于全国、全省1.2、0.5个百分点。",
            ["全市增速高于全国", "全市增速高于全省"],
            id="fen-bie-before-a-comparison-with-benchmarks-listed",
        ),
        pytest.param(
            "增速分别快于全国和全省2.1个、0.9个百分点。",
            ["增速快于全国", "增速快于全省"],
            id="fen-bie-before-benchmarks-joined-by-he",
        ),
        pytest.param(
            "人均生产总值141647元，增长4.8%，按平均汇率折算，人均生产总值约合20533美元。",
            ["人均生产总值", "人均生产总值增长", "人均生产总值"],
            id="a-conversion-that-names-its-measure-keeps-it",
        ),
        pytest.param(
            "全省生产总值12万亿元，按年平均汇率粗算约合1.7万亿美元。",
            ["全省生产总值", "全省生产总值"],
            id="a-conversion-after-how-it-is-reckoned-restates-the-value-before",
        ),
        pytest.param(
            "人均地区生产总值39102元，按平均汇率计算为5791美元。",
            ["人均地区生产总值", "人均地区生产总值"],
            id="a-conversion-by-ji-suan-wei-restates-the-value-before",
        ),
        pytest.param(
            "全省共发布10大类52项惠民政策。",
            ["全省共发布惠民政策"],
            id="grouping-in-digits-before-a-count-is-no-part-of-its-indicator",
        ),
        pytest.param(
            "推出三大类12项措施。",
            ["推出措施"],
            id="grouping-in-chinese-numerals-before-a-count",
        ),
        pytest.param(
            "- 地区生产总值增长5.4%",
            ["地区生产总值增长"],
            id="dash-opening-a-list-item-is-no-part-of-the-indicator",
        ),
        pytest.param(
            "经济平稳 - 规上工业增加值增长6%，投资增长3% - 社会消费品零售总额增长4%。",
            ["规上工业增加值增长", "投资增长", "社会消费品零售总额增长"],
            id="dash-between-spaces-separates-items",
        ),
        pytest.param(
            "支持项目4200余个 - 旅游收入增长10%。",
            ["支持项目", "旅游收入增长"],
            id="dash-ends-the-phrase-after-a-number",
        ),
        pytest.param(
            "国有、民营企业利润分别增长6.2%和8.8%。",
            ["国有企业利润增长", "民营企业利润增长"],
            id="fen-bie-modifiers-share-the-noun-of-the-last-word",
        ),
        pytest.param(
            "通用设备制造业、仪器仪表制造业增加值同比分别增长17.3%、14.6%。",
            ["通用设备制造业增加值同比增长", "仪器仪表制造业增加值同比增长"],
            id="fen-bie-pairs-items-with-values",
        ),
        pytest.param(
            "工业、农业和服务业投资分别增长5.1%、6.3%和7.2%。",
            ["工业投资增长", "农业投资增长", "服务业投资增长"],
            id="fen-bie-with-he-before-the-last-item",
        ),
        pytest.param(
            "地区生产总值突破3万亿元、达3.6万亿元。",
            ["地区生产总值", "地区生产总值"],
            id="restated-level-keeps-the-subject",
        ),
        pytest.param(
            "其中，出口17103.48亿元，同比增长12.6%。",
            ["出口", "出口同比增长"],
            id="qi-zhong-is-not-part-of-the-subject",
        ),
        pytest.param(
            "统计显示限额以上单位商品零售额增长52.2%。",
            ["限额以上单位商品零售额增长"],
            id="reporting-verb-cut",
        ),
        pytest.param(
            "全年共发生生产安全事故12起，死亡15人，分别下降20%和16.7%。",
            ["发生生产安全事故", "死亡", "发生生产安全事故下降", "死亡下降"],
            id="fen-bie-pairs-values-with-earlier-facts",
        ),
        pytest.param("●粮食总产达到557亿斤", ["粮食总产"], id="bullet-is-no-part-of-the-indicator"),
        pytest.param(
            "■ 城镇新增就业70万人以上", ["城镇新增就业"], id="square-bullet-and-space-stripped"
        ),
        pytest.param(
            "出口1.2万亿元、进口0.8万亿元，比上年分别增长5%和3%。",
            ["出口", "进口", "出口增长", "进口增长"],
            id="fen-bie-after-a-comparison-base-still-pairs",
        ),
        pytest.param(
            "进出口总额增长13%，收入增长8%，其中城乡居民收入分别增长6.5%、10%。",
            ["进出口总额增长", "收入增长", "城镇居民收入增长", "农村居民收入增长"],
            id="fen-bie-after-a-subject-of-its-own-pairs-with-no-earlier-fact",
        ),
        pytest.param(
            "城乡居民人均可支配收入达到56789元和34567元。",
            ["城乡居民人均可支配收入", "城乡居民人均可支配收入"],
            id="second-value-of-a-list-shares-the-phrase",
        ),
        pytest.param(
            "粮食总产量245.6万吨，增产3.4%。",
            ["粮食总产量", "粮食总产量增产"],
            id="zeng-chan-borrows-the-subject",
        ),
        pytest.param("共有卫生机构床位5.6万张。", ["卫生机构床位"], id="gong-you-stripped"),
        pytest.param(
            "政策性担保撬动银行贷款50亿元、惠及小微企业3000家。",
            ["政策性担保撬动银行贷款", "政策性担保惠及小微企业"],
            id="list-item-starting-with-a-verb-shares-the-subject",
        ),
        pytest.param(
            "接待国内游客8600万人次、旅游收入980亿元，分别恢复到2019年的95%和92%。",
            ["接待国内游客", "旅游收入", "接待国内游客恢复到", "旅游收入恢复到"],
            id="fen-bie-with-a-date-before-the-values",
        ),
        pytest.param(
            "人口自然增长率为-0.5‰。", ["人口自然增长率"], id="minus-sign-not-in-indicator"
        ),
        pytest.param("2019-2021年均增长6%。", ["2019-2021年均增长"], id="nian-jun-is-one-word"),
        pytest.param(
            "全市37个工业行业大类中有30个行业增长。",
            ["全市工业行业大类", "工业行业大类中行业增长"],
            id="count-names-the-set-it-counts",
        ),
        pytest.param(
            "居民消费价格上涨0.3%，涨幅较上月回落0.4个百分点。",
            ["居民消费价格上涨", "居民消费价格涨幅较上月回落"],
            id="generic-head-with-predicate-borrows-the-subject",
        ),
        pytest.param("全市GDP首次突破2万亿元大关。", ["全市GDP"], id="shou-ci-stripped"),
        pytest.param(
            "从GDP总量来看，广东稳居全国第一，为124369.67亿元。",
            ["GDP总量"],
            id="framing-clause-gives-the-topic",
        ),
        pytest.param(
            "全省生产总值增长6.5%，税收收入升至全国第5位，增长9.2%。",
            ["全省生产总值增长", "税收收入增长"],
            id="a-rank-clause-names-the-subject-of-the-change-after-it",
        ),
        pytest.param(
            "这3个省份的GDP均增长5%。",
            ["GDP增长", "GDP增长", "GDP增长"],
            id="jun-over-counted-items-every-copy-measures-the-same",
        ),
        pytest.param(
            "全省地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%。",
            ["全省地区生产总值", "全省地区生产总值增长"],
            id="a-rank-listed-between-a-level-and-its-growth-is-left-out",
        ),
        pytest.param(
            "全市生产总值达到1.2万亿元、跃居全省第二、同比增长6%。",
            ["全市生产总值", "全市生产总值同比增长"],
            id="a-rank-listed-before-a-tongbi-growth-is-left-out",
        ),
        pytest.param("新建5所高中。", ["新建高中"], id="zhong-inside-a-word-is-kept"),
        pytest.param(
            "新建3所学校等。", ["新建学校"], id="deng-etc-after-the-counted-noun-is-dropped"
        ),
        pytest.param(
            "各类市场主体新增3000家。",
            ["各类市场主体新增"],
            id="ge-beginning-a-word-is-no-distributor",
        ),
        pytest.param("均衡发展指数达到85%。", ["均衡发展指数"], id="jun-beginning-a-word-is-kept"),
        pytest.param("各地新增就业3万人。", ["各地新增就业"], id="gedi-is-a-word-not-ge"),
        pytest.param(
            "城镇调查失业率平均为5.1%。",
            ["城镇调查失业率平均"],
            id="linking-character-ending-a-word-is-kept-pingjun",
        ),
        pytest.param(
            "全年查处违法行为1200起。",
            ["查处违法行为"],
            id="linking-character-ending-a-word-is-kept-xingwei",
        ),
        pytest.param(
            "研发投入强度为2.5%。", ["研发投入强度"], id="linking-wei-of-its-own-is-dropped"
        ),
        pytest.param(
            "全省生产总值增长5.3%，“十四五”时期年均增长5.7%。",
            ["全省生产总值增长", "全省生产总值“十四五”时期年均增长"],
            id="a-plan-period-before-a-carried-predicate",
        ),
        pytest.param(
            "地区生产总值达5000亿元，五年来年平均增长率达6%。",
            ["地区生产总值", "地区生产总值五年来年平均增长率"],
            id="years-since-before-a-carried-predicate",
        ),
        pytest.param(
            "地区生产总值达5000亿元，2021-2025年年均增长6%。",
            ["地区生产总值", "地区生产总值年均增长"],  # dates leave an indicator, as always
            id="a-year-range-before-a-carried-predicate",
        ),
        pytest.param(
            "地区生产总值达5000亿元，“十四五”时期新增就业50万人。",
            ["地区生产总值", "“十四五”时期新增就业"],
            id="a-period-before-a-subject-of-its-own",
        ),
        pytest.param(
            "全省一般公共预算收入增长8%，2017年达到5238.3亿元。",
            ["全省一般公共预算收入增长", "全省一般公共预算收入"],
            id="a-date-alone-before-the-value-borrows-the-subject",
        ),
        pytest.param(
            "森林覆盖率达45%，年平均气温15.6℃。",
            ["森林覆盖率", "年平均气温"],
            id="a-yearly-mean-names-its-own-measure",
        ),
    ],
)
def test_indicators(text: str, indicators: list[str]) -> None:
    assert [f.indicator for f in facts_of(text)] == indicators


def test_fact_positions_point_into_the_cleaned_text() -> None:
    document = extract_text("累计实施减负降费36.5亿元、惠及企业90万家次。", doc_id="t")
    for fact in document.facts:
        assert document.text[fact.start : fact.end] == fact.mention
        assert fact.line == 1


def test_quantity_init_takes_every_field_in_order() -> None:
    # Quantity's __init__ is written out (facts.py says why): a field added to the class
    # and not to __init__ would be missing from every quantity, and replace() would fail.
    parameters = list(inspect.signature(Quantity).parameters)
    assert parameters == [f.name for f in dataclasses.fields(Quantity)]


def test_quantity_defaults_and_copy() -> None:
    unit = Unit("亿元", "元", Decimal(100_000_000), "money")
    quantity = Quantity(3, 8, Decimal("36.5"), "", unit, Decimal("3650000000"))
    assert (quantity.before_start, quantity.after_end) == (3, 8)
    assert (quantity.base_unit, quantity.unit_text) == ("元", "亿元")
    assert quantity.qualifiers == [] and quantity.reasons == []
    assert quantity.qualifiers is not Quantity(0, 1, Decimal(1), "", unit, Decimal(1)).qualifiers
    copy = dataclasses.replace(quantity, comparator=">", qualifiers=["累计"])
    assert copy == Quantity(
        3, 8, Decimal("36.5"), "", unit, Decimal("3650000000"), comparator=">", qualifiers=["累计"]
    )
    assert copy.reasons is quantity.reasons  # replace() copies only what it is given
    bare = Quantity(0, 3, Decimal(43), "万", None, Decimal(430000))
    assert (bare.base_unit, bare.unit_text) == ("", "万")


# ----------------------------------------------------------------- which fact, which indicator
# A row is (sentence, [(mention, normalized_value, comparator, indicator), ...]).

Reading = tuple[str, str, str, str]


def readings(text: str) -> list[Reading]:
    return [
        (f.mention, f"{f.normalized_value.normalize():f}", f.comparator, f.indicator)
        for f in facts_of(text)
    ]


def check_readings(text: str, expected: list[Reading]) -> None:
    want = [(m, f"{Decimal(v).normalize():f}", c, i) for m, v, c, i in expected]
    assert readings(text) == want


DISTRIBUTED = [
    pytest.param(
        "新建社区食堂和老年驿站各15个。",
        [("15个", "15", "=", "新建社区食堂"), ("15个", "15", "=", "新建老年驿站")],
        id="ge-over-items-joined-by-he",
    ),
    pytest.param(
        "东城区与西城区均新增托育机构8家。",
        [("8家", "8", "=", "东城区新增托育机构"), ("8家", "8", "=", "西城区新增托育机构")],
        id="jun-over-items-joined-by-yu",
    ),
    pytest.param(
        "丙县和丁县财政收入双双突破50亿元。",
        [
            ("50亿元", "5000000000", ">", "丙县财政收入"),
            ("50亿元", "5000000000", ">", "丁县财政收入"),
        ],
        id="shuang-shuang-keeps-the-comparator-on-every-copy",
    ),
    pytest.param(
        "粮食和油料播种面积同为300万亩。",
        [
            ("300万亩", "3000000", "=", "粮食播种面积"),
            ("300万亩", "3000000", "=", "油料播种面积"),
        ],
        id="tong-wei-over-items-sharing-a-head",
    ),
    pytest.param(
        "货物出口额和服务出口额分别突破900亿元和60亿元。",
        [
            ("900亿元", "90000000000", ">", "货物出口额"),
            ("60亿元", "6000000000", ">", "服务出口额"),
        ],
        id="comparator-before-a-fen-bie-list-governs-every-value",
    ),
    pytest.param(
        "城区和郊区覆盖率分别超过80%、75%以上。",
        [("80%", "80", ">", "城区覆盖率"), ("75%", "75", ">=", "郊区覆盖率")],
        id="a-value-with-its-own-comparator-keeps-it",
    ),
    pytest.param(
        "中国和平发展各方共赢。",
        [],
        id="he-inside-a-word-is-no-conjunction",
    ),
]


@pytest.mark.parametrize(("text", "expected"), DISTRIBUTED)
def test_distributed_values(text: str, expected: list[Reading]) -> None:
    check_readings(text, expected)


SHARED_UNITS = [
    pytest.param(
        "三类企业占比分别提高0.8、2.5、4个百分点。",
        [
            ("0.8", "0.8", "个百分点", "="),
            ("2.5", "2.5", "个百分点", "="),
            ("4个百分点", "4", "个百分点", "="),
        ],
        id="unit-after-the-last-value-of-a-list",
    ),
    pytest.param(
        "粮食和蔬菜产量分别达到120和85万吨。",
        [("120", "1200000", "吨", "="), ("85万吨", "850000", "吨", "=")],
        id="multiplier-and-unit-shared-across-he",
    ),
    pytest.param(
        "管理和财务费用率分别下降1.5、2个百分点。",
        [("1.5", "-1.5", "个百分点", "="), ("2个百分点", "-2", "个百分点", "=")],
        id="shared-unit-keeps-the-shared-sign",
    ),
    pytest.param(
        "2024、2025年连续增长。",
        [],
        id="years-sharing-nian-stay-years",
    ),
    pytest.param(
        "工业和服务业占比分别提高1.2个、0.5个百分点。",
        [("1.2个", "1.2", "个百分点", "="), ("0.5个百分点", "0.5", "个百分点", "=")],
        id="measure-word-written-before-the-full-unit-of-the-last-value",
    ),
    pytest.param(
        "投资分别为20亿元、30亿元/年。",
        [("20亿元", "2000000000", "元", "="), ("30亿元/年", "3000000000", "元", "=")],
        id="a-unit-per-period-is-no-longer-form-of-the-first",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SHARED_UNITS)
def test_unit_shared_across_a_list(text: str, expected: list[Brief]) -> None:
    check(text, expected)


TRIMMED_INDICATORS = [
    pytest.param(
        "增值税、企业所得税、个人所得税等3项收入实现增长。",
        [("3项", "3", "=", "收入实现增长")],
        id="list-of-examples-before-deng-and-a-count-is-dropped",
    ),
    pytest.param(
        "新建学校、医院、养老院等项目40个。",
        [("40个", "40", "=", "新建学校、医院、养老院等项目")],
        id="deng-list-before-the-head-noun-is-kept",
    ),
    pytest.param(
        "税收收入（不含退税）增长4.1%。",
        [("4.1%", "4.1", "=", "税收收入增长")],
        id="bracketed-aside-before-the-number-is-dropped",
    ),
    pytest.param(
        "地区生产总值从1.37万亿元（人民币，下同）提高到1.58万亿元。",
        [
            ("1.37万亿元", "1370000000000", "=", "地区生产总值"),
            ("1.58万亿元", "1580000000000", "=", "地区生产总值"),
        ],
        id="comma-inside-an-aside-splits-no-clause",
    ),
    pytest.param(
        "实际使用外资126.6亿元(人民币,下同),增长11.3%。",
        [
            ("126.6亿元", "12660000000", "=", "实际使用外资"),
            ("11.3%", "11.3", "=", "实际使用外资增长"),
        ],
        id="comma-inside-an-ascii-aside-splits-no-clause",
    ),
    pytest.param(
        "出口增长7.5%（上年同期为下降3.2%）。",
        [("7.5%", "7.5", "=", "出口增长"), ("3.2%", "-3.2", "=", "上年同期为下降")],
        id="value-inside-an-aside-starts-after-the-bracket",
    ),
    pytest.param(
        "农村居民收入增长6%，（二）城镇新增就业3.5万人。",
        [("6%", "6", "=", "农村居民收入增长"), ("3.5万人", "35000", "=", "城镇新增就业")],
        id="bracket-enumerator-is-not-part-of-the-indicator",
    ),
    pytest.param(
        "外贸稳中有进，8.跨境电商交易额增长15%。",
        [("15%", "15", "=", "跨境电商交易额增长")],
        id="digit-enumerator-is-not-part-of-the-indicator",
    ),
]


@pytest.mark.parametrize(("text", "expected"), TRIMMED_INDICATORS)
def test_indicators_are_trimmed(text: str, expected: list[Reading]) -> None:
    check_readings(text, expected)


SHARES_OF_A_SET = [
    pytest.param(
        "以全省5%的耕地生产了12%的粮食。",
        [("5%", "5", "=", "以全省耕地"), ("12%", "12", "=", "生产粮食")],
        id="share-before-de-and-a-noun-is-a-fact",
    ),
    pytest.param(
        "65%的行政村建成快递服务点。",
        [("65%", "65", "=", "行政村建成快递服务点")],
        id="share-names-the-set-after-it",
    ),
    pytest.param(
        "全市有83%的乡镇实现污水处理全覆盖。",
        [("83%", "83", "=", "全市乡镇实现污水处理全覆盖")],
        id="share-after-you",
    ),
    pytest.param(
        "全省增速与全国6.2%的水平持平。",
        [("6.2%", "6.2", "=", "全省增速与全国")],
        id="appositive-after-de-is-no-set",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "相比上年4500亿元的地区生产总值，增加了约300亿元。",
            [("4500亿元", "上年地区生产总值"), ("300亿元", "上年地区生产总值增加")],
            id="money-before-de-and-a-money-noun-names-the-measure",
        ),
        pytest.param(
            "引进超10亿元的项目8个。",
            [("8个", "引进超10亿元的项目")],
            id="money-before-de-and-another-noun-stays-a-threshold",
        ),
    ],
)
def test_money_named_after_de(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.mention, f.indicator) for f in facts_of(text)] == expected


def test_a_bounded_ratio_before_de_stays_a_threshold() -> None:
    assert [f.mention for f in facts_of("营收增速超过20%的企业有45家。")] == ["45家"]


@pytest.mark.parametrize(("text", "expected"), SHARES_OF_A_SET)
def test_shares_of_a_set(text: str, expected: list[Reading]) -> None:
    check_readings(text, expected)


HEAD_NOUNS = [
    pytest.param(
        "全年有28个医院、社区卫生服务中心接入远程诊疗平台。",
        [("28个", "28", "=", "医院、社区卫生服务中心接入远程诊疗平台")],
        id="count-keeps-the-head-through-a-list-of-nouns",
    ),
    pytest.param(
        "新建12个村、整治河道30公里。",
        [("12个", "12", "=", "新建村"), ("30公里", "30", "=", "整治河道")],
        id="list-item-with-its-own-value-is-not-the-head",
    ),
    pytest.param(
        "3家企业入选国家级绿色工厂、数量居全省首位。",
        [("3家", "3", "=", "企业入选国家级绿色工厂")],
        id="a-statement-before-the-list-mark-ends-the-phrase",
    ),
    pytest.param(
        "服务覆盖1.2万名老人、共济资金800万元。",
        [("1.2万名", "12000", "=", "服务覆盖老人"), ("800万元", "8000000", "=", "共济资金")],
        id="gong-beginning-a-word-is-kept",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HEAD_NOUNS)
def test_head_nouns_through_lists_and_thresholds(text: str, expected: list[Reading]) -> None:
    check_readings(text, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "每人每年补贴最高1500元。", [("1500元", "元", "年")], id="innermost-rate-word-wins"
        ),
        pytest.param(
            "玉米每公斤收购价2.6元左右。", [("2.6元", "元", "公斤")], id="per-a-unit-of-weight"
        ),
        pytest.param("新增耕地每亩奖补600元。", [("600元", "元", "亩")], id="per-a-unit-of-area"),
        pytest.param(
            "能繁母猪补贴300元/头。", [("300元/头", "元", "头")], id="slash-denominator-is-per"
        ),
        pytest.param(
            "全员劳动生产率达到28万元/人。", [("28万元/人", "元", "人")], id="slash-per-person"
        ),
        pytest.param(
            "每个乡镇建设3-5个示范点。",
            [("3-5个", "个", None)],
            id="classifier-after-mei-is-no-rate",
        ),
    ],
)
def test_per_of_compound_rates(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert [(f.mention, f.base_unit, f.per) for f in facts_of(text)] == expected


def test_slash_unit_is_kept_as_written() -> None:
    (fact,) = facts_of("亩均税收达15万元/亩。")
    assert (fact.unit, fact.base_unit, fact.per) == ("万元/亩", "元", "亩")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        pytest.param("货物净出口负向拉动经济增长0.9个百分点。", ["-0.9"], id="fu-xiang-la-dong"),
        pytest.param("房地产投资下拉全部投资增长2.1个百分点。", ["-2.1"], id="xia-la"),
        pytest.param("外需拖累工业增长0.4个百分点。", ["-0.4"], id="tuo-lei"),
        pytest.param(
            "消费拉动经济增长3.1个百分点，投资负拉动0.5个百分点。",
            ["3.1", "-0.5"],
            id="only-the-clause-with-the-word-is-negative",
        ),
        pytest.param(
            "消费对经济增长的贡献率为56%。", ["56"], id="contribution-share-stays-positive"
        ),
    ],
)
def test_negative_contributions(text: str, values: list[str]) -> None:
    assert [f"{f.normalized_value.normalize():f}" for f in facts_of(text)] == values


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        pytest.param("重点抓好十二个方面工作。", [], id="large-grouping-in-words"),
        pytest.param("聚焦二十个领域精准发力。", [], id="twenty-fields-in-words"),
        pytest.param("扎实推进九个方面改革。", [], id="small-grouping-in-words"),
        pytest.param("推进12个方面改革。", ["12个"], id="grouping-count-in-digits-is-a-count"),
    ],
)
def test_groupings_in_chinese_numerals(text: str, mentions: list[str]) -> None:
    assert [f.mention for f in facts_of(text)] == mentions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "全市经济总量连跨两个千亿级台阶、突破6000亿元。",
            [("两个", "全市经济总量连跨千亿级台阶"), ("6000亿元", "全市经济总量")],
            id="value-after-a-count-of-milestones-measures-the-subject",
        ),
        pytest.param(
            "地区生产总值连续跨越3个千亿级台阶，达到9000亿元。",
            [("3个", "地区生产总值连续跨越千亿级台阶"), ("9000亿元", "地区生产总值")],
            id="next-clause-after-a-count-of-milestones",
        ),
        pytest.param(
            "居民收入增长5%。全年工业增加值迈上2万亿元台阶。",
            [("5%", "居民收入增长"), ("2万亿元", "工业增加值")],
            id="a-clause-with-its-own-subject-keeps-it",
        ),
    ],
)
def test_subject_of_the_clause(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.mention, f.indicator) for f in facts_of(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "每户每年补贴最高3000元。",
            [("3000元", "<=", "每户每年补贴")],
            id="zui-gao-is-an-upper-bound",
        ),
        pytest.param(
            "月最低工资标准最低1900元。",
            [("1900元", ">=", "月最低工资标准")],
            id="zui-di-before-the-number-is-a-lower-bound",
        ),
        pytest.param(
            "两类贷款余额分别提高1.2、0.8个百分点。",
            [("1.2", "=", "两类贷款余额提高"), ("0.8个百分点", "=", "两类贷款余额提高")],
            id="fen-bie-without-items-is-dropped-from-the-indicator",
        ),
    ],
)
def test_bounds_and_fen_bie_words(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(f.mention, f.comparator, f.indicator) for f in facts_of(text)] == expected


# --------------------------------------------------------------------------
# Rows pasted from a spreadsheet: a tab is a cell boundary
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "地区生产总值\t3.62万亿元\t5.1%",
            [("地区生产总值", "3.62万亿元"), ("地区生产总值", "5.1%")],
            id="row-label-is-the-indicator-of-every-cell",
        ),
        pytest.param(
            "指标\t数值\t增速\n一般公共预算收入\t3000亿元\t2.5%\n城镇新增就业\t5.2万人\t1.2%",
            [("一般公共预算收入", "3000亿元"), ("一般公共预算收入", "2.5%"),
             ("城镇新增就业", "5.2万人"), ("城镇新增就业", "1.2%")],
            id="each-row-its-own-label-header-row-has-no-fact",
        ),
        pytest.param(
            "城镇新增就业\t\t5.2万人",
            [("城镇新增就业", "5.2万人")],
            id="empty-cell-between-label-and-value",
        ),
        pytest.param(
            "货物进出口总额\t增长4.3%",
            [("货物进出口总额增长", "4.3%")],
            id="label-before-a-cell-with-its-own-verb",
        ),
        pytest.param(
            "全年粮食产量增长2%\t生猪出栏下降1%",
            [("粮食产量增长", "2%"), ("生猪出栏下降", "1%")],
            id="cells-with-their-own-subjects-keep-them",
        ),
    ],
)
def test_tab_separated_rows(text: str, expected: list[tuple[str, str]]) -> None:
    facts = facts_of(text)
    assert [(f.indicator, f.mention) for f in facts] == expected
    assert not any("\t" in f.indicator for f in facts)
