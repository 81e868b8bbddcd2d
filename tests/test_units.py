"""Units of measure from a statistics yearbook's list, read with their numbers.

Rows are sentences written for these tests: (sentence, [(mention, normalized_value,
base_unit), ...]).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text

UNITS = [
    pytest.param("全年获得金牌12枚。", [("12枚", "12", "枚")], id="mei-medals"),
    pytest.param("发射卫星3颗。", [("3颗", "3", "颗")], id="ke-satellites"),
    pytest.param("开展督察2轮。", [("2轮", "2", "轮")], id="lun-rounds"),
    pytest.param("新结友好城市5对。", [("5对", "5", "对")], id="dui-pairs"),
    pytest.param("连续举办博览会10届。", [("10届", "10", "届")], id="jie-editions"),
    pytest.param("建成输电线路2回。", [("2回", "2", "回")], id="hui-circuits"),
    pytest.param("帮扶困难群众3万户次。", [("3万户次", "30000", "户次")], id="hu-ci"),
    pytest.param("投入科研人力800人年。", [("800人年", "800", "人年")], id="ren-nian"),
    pytest.param("抽检食品1200批次。", [("1200批次", "1200", "批次")], id="pi-ci-batches"),
    # (三批次135个项目 frames the count after it: no fact, see test_facts.NOT_FACTS)
    pytest.param("资金分三批次下达。", [("三批次", "3", "批次")], id="pi-ci-is-one-measure-word"),
    pytest.param("新增客运量12亿人公里。", [("12亿人公里", "1200000000", "人公里")],
                 id="passenger-kilometres"),
    pytest.param("货运量300亿吨公里。", [("300亿吨公里", "30000000000", "吨公里")],
                 id="tonne-kilometres"),
    pytest.param("存栏生猪20万头、羊5万只、马300匹。",
                 [("20万头", "200000", "头"), ("5万只", "50000", "只"), ("300匹", "300", "匹")],
                 id="livestock"),
    pytest.param("细颗粒物浓度28微克每立方米。", [("28微克每立方米", "28", "微克/立方米")],
                 id="micrograms-per-cubic-metre-in-words"),
    pytest.param("智能算力达到5000PF。", [("5000PF", "5000", "PF")], id="petaflops"),
    pytest.param("新增光伏装机3GW。", [("3GW", "3000000", "千瓦")], id="gigawatt-to-kilowatt"),
    pytest.param("新增储能规模200MW。", [("200MW", "200000", "千瓦")], id="megawatt-to-kilowatt"),
    pytest.param("电网最高电压1000千伏。", [("1000千伏", "1000", "千伏")], id="kilovolt"),
    pytest.param("年降水量1200毫米、日照1800小时。",
                 [("1200毫米", "1200", "毫米"), ("1800小时", "1800", "小时")], id="climate"),
    pytest.param("进出口额达到50亿韩元。", [("50亿韩元", "5000000000", "韩元")], id="won"),
    pytest.param("签约金额3亿泰铢。", [("3亿泰铢", "300000000", "泰铢")], id="baht"),
    pytest.param("贸易额20亿卢布。", [("20亿卢布", "2000000000", "卢布")], id="rouble"),
    pytest.param("投资两个亿元。", [("两个亿元", "200000000", "元")], id="liang-ge-yi"),
]


@pytest.mark.parametrize(("text", "expected"), UNITS)
def test_units(text: str, expected: list[tuple[str, str, str]]) -> None:
    got = [
        (f.mention, f"{Decimal(f.normalized_value).normalize():f}", f.base_unit)
        for f in extract_text(text, doc_id="t").facts
    ]
    assert got == [(m, f"{Decimal(v).normalize():f}", b) for m, v, b in expected]


NOT_FACTS = [
    pytest.param("建设20万吨级码头。", id="tonnage-class"),
    pytest.param("开工建设500千伏变电站工程。", id="voltage-class-in-name"),
    pytest.param("召开市委十五届九次全会。", id="session-number"),
    pytest.param("深入实施新一轮改革。", id="new-round"),
]


@pytest.mark.parametrize("text", NOT_FACTS)
def test_not_unit_facts(text: str) -> None:
    assert [f.mention for f in extract_text(text, doc_id="t").facts] == []
