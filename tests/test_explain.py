"""Table tests for ``explain``: why a number is no fact, which rule made a fact, and the CLI.

Expected reasons were found by running the code and checked by hand against the
sentence; they are never read from a gold file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extract import cli
from extract.explain import Explanation, explain_source, format_explanation
from extract.facts import Rejection
from extract.models import SourceText
from extract.pipeline import extract_source
from extract.read import read_source

REPOSITORY = Path(__file__).resolve().parents[1]
SAMPLE = REPOSITORY / "raw" / "000_a624ea3b61366e50.txt"


def explain_text(text: str) -> Explanation:
    """Return the explanation of ``text`` as if it were the file t.txt."""
    data = text.encode("utf-8")
    source = SourceText(
        path="t.txt",
        doc_id="t",
        encoding="utf-8",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        text=text,
    )
    return explain_source(source)


REJECTIONS = [
    pytest.param("会议于9月21日下午召开。", "21", Rejection.DATE, id="day-of-a-date"),
    pytest.param("2022年全市地区生产总值增长5.3%。", "2022年", Rejection.YEAR, id="calendar-year"),
    pytest.param("五年来，经济总量稳步增长。", "五年", Rejection.YEAR_FRAME, id="years-framing"),
    pytest.param("实施“4610”工程。", "4610", Rejection.NAME_IN_QUOTES, id="name-in-quotes"),
    pytest.param("落地3亿元以上项目11个。", "3亿元", Rejection.THRESHOLD, id="threshold"),
    pytest.param(
        "签约50亿元、100亿元以上项目各2个。",
        "50亿元",
        Rejection.THRESHOLD,
        id="item-coordinated-with-a-threshold",
    ),
    pytest.param("重点抓好三个方面工作。", "三个", Rejection.GROUPING, id="grouping"),
    pytest.param("通时速350公里高铁。", "350公里", Rejection.CLASS_NAME, id="class-name"),
    pytest.param("建设万吨级海船码头。", "万吨", Rejection.CLASS_LEVEL, id="class-with-ji"),
    pytest.param("（一）推进改革。", "一", Rejection.HEADING, id="list-numbering-in-brackets"),
    pytest.param("一、综合\n工业产值下降3.2%。", "一", Rejection.HEADING, id="heading-numbering"),
    pytest.param("1.工业生产稳定。", "1", Rejection.HEADING, id="arabic-list-numbering"),
    pytest.param("开展第一轮巡察。", "一轮", Rejection.ORDINAL, id="ordinal"),
    pytest.param("S316国道改造完成。", "316", Rejection.CODE, id="road-code"),
    pytest.param("召开十五届二次全会。", "二次", Rejection.SESSION, id="session-number"),
    pytest.param("落地一批项目。", "一批", Rejection.INDEFINITE, id="indefinite-yi"),
    pytest.param("这3个省份的GDP均增长5%。", "3个", Rejection.DETERMINER, id="count-after-zhe"),
    pytest.param("数十家企业入驻。", "十家", Rejection.VAGUE, id="vague-numeral"),
    pytest.param("每万人口拥有医生30名。", "万", Rejection.RATE_BASE, id="rate-denominator"),
    pytest.param("超百万村民受益。", "百万", Rejection.MAGNITUDE, id="magnitude-without-unit"),
]


@pytest.mark.parametrize(("text", "number", "reason"), REJECTIONS)
def test_rejected_number_has_its_reason(text: str, number: str, reason: Rejection) -> None:
    explanation = explain_text(text)
    reasons = {item.text: item.reason for item in explanation.rejected}
    assert reasons.get(number) == reason.name.lower()
    assert number not in {f.fact.mention for f in explanation.facts}


RULES = [
    pytest.param(
        "新增城镇就业人员超1万人。",
        "1万人",
        "comparator 超 before the number",
        id="comparator-before",
    ),
    pytest.param(
        "平均失业率稳定在3%以下。", "3%", "comparator 以下 after the unit", id="comparator-after"
    ),
    pytest.param(
        "新建学校100余所。", "100余所", "comparator 余 inside the number", id="comparator-inside"
    ),
    pytest.param("计划投资3-5亿元。", "3-5亿元", "a range: the number before - is", id="range"),
    pytest.param(
        "城镇、农村居民人均可支配收入分别增长5.1%和6.3%。",
        "6.3%",
        "value distributed by 分别 to list item 2: 农村居民人均可支配收入",
        id="fen-bie-list-item",
    ),
    pytest.param(
        "事故12起，死亡15人，分别下降20%和16.7%。",
        "16.7%",
        "paired by 分别 with the earlier fact 15人",
        id="fen-bie-partner",
    ),
    pytest.param(
        "广东、江苏GDP均突破10万亿元。",
        "10万亿元",
        "value given by 均 to every item; this is item 1: 广东GDP",
        id="jun-every-item",
    ),
    pytest.param("工业产值下降3.2%。", "3.2%", "negative: 下降 before the number", id="sign-fall"),
    pytest.param("自然增长率为-0.5‰。", "0.5‰", "negative: a minus sign", id="sign-minus"),
    pytest.param(
        "分别下降9.62%、10.47%。", "10.47%", "sign of the value listed before it", id="sign-shared"
    ),
    pytest.param("每月发放补贴290元。", "290元", "per 月 from 每月", id="per"),
    pytest.param(
        "惠及43万儿童。", "43万", "base unit 人: people are named after", id="base-unit-people"
    ),
    pytest.param(
        "经济总量突破3万亿。", "3万亿", "base unit 元: the clause speaks of money", id="base-money"
    ),
    pytest.param(
        "全市固定资产投资1000亿元，同比增长11.8%。",
        "11.8%",
        "subject «全市固定资产投资» of an earlier clause",
        id="indicator-from-earlier-subject",
    ),
    pytest.param(
        "全市固定资产投资1000亿元，同比增长11.8%。",
        "1000亿元",
        "indicator from the words of its clause around the number: «全市固定资产投资» number",
        id="indicator-from-its-clause",
    ),
    pytest.param(
        "主要预期目标是：地区生产总值增长6%左右；城镇新增就业50万人。",
        "50万人",
        "qualifiers from the clause introducing the list (…目标是：): 目标、预期",
        id="list-qualifiers",
    ),
]


@pytest.mark.parametrize(("text", "mention", "rule"), RULES)
def test_fact_records_the_rule_that_made_it(text: str, mention: str, rule: str) -> None:
    explained = [f for f in explain_text(text).facts if f.fact.mention == mention]
    assert explained, f"no fact {mention}"
    assert any(r.startswith(rule) for f in explained for r in f.rules), explained[0].rules


def test_fact_shows_its_clause_as_jieba_segmented_it() -> None:
    (explained,) = explain_text("全市固定资产投资1000亿元，同比增长11.8%。").facts[:1]
    assert explained.clause == "全市固定资产投资1000亿元，"
    assert "".join(word for word, _ in explained.words) == explained.clause
    assert all(flag for _, flag in explained.words)


def test_cleaning_steps_of_a_column_broken_input() -> None:
    raw = "\n\n".join(
        [
            "标题",
            "坚持外防输入、内防反弹，迭代",
            "应用精密智控“七大机制”，高效打赢",
            "疫情遭遇战。",
            "落实落细稳经济一揽子政策，深",
            "入开展市镇联动现场集中办公活动，",
            "累计实施减负降费３６．５亿元、惠及企业",
            "９０万家次。",
        ]
    )
    steps = {step.name: step for step in explain_text(raw).cleaning}
    assert list(steps) == ["fix_fullwidth_digits", "fix_fullwidth_decimal_point", "reflow"]
    assert steps["fix_fullwidth_digits"].count == 5  # ３６５９０
    assert steps["fix_fullwidth_digits"].line == 13
    assert "36.5" in steps["fix_fullwidth_decimal_point"].after
    assert steps["reflow"].count == 5  # 8 lines become 3 paragraphs
    assert steps["reflow"].before == "lines 3-7"


def test_explained_facts_are_the_facts_the_pipeline_writes() -> None:
    source = read_source(SAMPLE, root=SAMPLE.parent)
    explanation = explain_source(source)
    assert [f.fact for f in explanation.facts] == extract_source(source).facts


def test_every_digit_of_the_sample_is_a_fact_or_has_a_reason() -> None:
    source = read_source(SAMPLE, root=SAMPLE.parent)
    explanation = explain_source(source)
    text = extract_source(source).text
    spans = [(f.fact.start, f.fact.end) for f in explanation.facts]
    spans += [(r.start, r.end) for r in explanation.rejected]
    unexplained = [
        i for i, c in enumerate(text) if c.isdigit() and not any(s <= i < e for s, e in spans)
    ]
    assert unexplained == []
    assert all(r.explanation for r in explanation.rejected)


def test_format_names_every_part() -> None:
    text = format_explanation(explain_text("一、综合\n落地3亿元以上项目11个，同比增长5%。"))
    for heading in ("Cleaning:", "Sections: 1", "Facts: 2", "Not facts: 2"):
        assert heading in text
    assert "threshold: a threshold naming" in text
    assert "clause: 落地/" in text


def test_cli_explain_prints_sections_and_facts(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["explain", str(SAMPLE)]) == cli.EXIT_OK
    out = capsys.readouterr().out
    assert "Sections: 7" in out
    assert "Facts: 39" in out
    assert "comparator 超 before the number" in out


def test_cli_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["explain", str(SAMPLE), "--json"]) == cli.EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["doc_id"] == SAMPLE.stem
    assert len(data["facts"]) == 39
    assert {"text", "line", "reason", "explanation"} <= set(data["rejected"][0])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        pytest.param("missing.txt", None, "no such file", id="missing-file"),
        pytest.param("empty.txt", b"", "empty file", id="empty-file"),
        pytest.param("photo.jpg", b"\xff\xd8\xff\xe0", "not a .txt file", id="not-text"),
        pytest.param("pipe.txt", "fifo", "not a regular file (a named pipe)", id="fifo"),
        pytest.param("folder.txt", "folder", "is a folder", id="folder"),
    ],
)
def test_cli_explain_bad_file_is_a_usage_error(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes | str | None,
    reason: str,
) -> None:
    path = tmp_path / name
    if content == "fifo":
        os.mkfifo(path)  # reading it would wait for a writer for ever
    elif content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    assert cli.main(["explain", str(path)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path}: ")
    assert reason in err


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_reader_closing_the_pipe_early_is_no_error(tmp_path: Path, json_output: bool) -> None:
    """``extract explain FILE | head -1``: the rest of the explanation goes nowhere, quietly."""
    report = tmp_path / "report.txt"
    report.write_text("新增公办学位1.1万个，投资36.5亿元。\n" * 2000, encoding="utf-8")
    command = [sys.executable, "-m", "extract", "explain", str(report)]
    process = subprocess.Popen(
        [*command, "--json"] if json_output else command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=120)
    assert first.strip()
    assert (process.returncode, stderr) == (cli.EXIT_OK, b"")


@pytest.mark.parametrize(
    ("text", "mention", "reason"),
    [
        pytest.param(
            "2026年江西省政府工作报告\n一、2025年工作回顾\n地区生产总值增长5.2%。",
            "5.2%",
            "period 2025: section heading",
            id="period-from-the-heading",
        ),
        pytest.param(
            "2026年江西省政府工作报告\n一、2026年工作安排\n力争新建学校9所。",
            "9所",
            "status target: section",
            id="status-from-a-plan-section",
        ),
        pytest.param(
            "2026年江西省政府工作报告\n一、2025年工作回顾\n地区生产总值增长5.2%。",
            "5.2%",
            "concept gdp_growth: wording “地区生产总值”",
            id="concept-from-its-wording",
        ),
        pytest.param(
            "2026年广西壮族自治区政府工作报告\n一、2025年工作回顾\n桂林入境游客增长21%。",
            "21%",
            "place 桂林市: its clause names “桂林”",
            id="place-from-its-clause",
        ),
    ],
)
def test_fact_says_why_it_got_its_context(text: str, mention: str, reason: str) -> None:
    explanation = explain_text(text)
    (explained,) = [f for f in explanation.facts if f.fact.mention == mention]
    assert any(line.startswith(reason) for line in explained.context), explained.context
    assert reason in format_explanation(explanation)


def test_explain_shows_the_document_place_and_date() -> None:
    text = format_explanation(explain_text("2026年江西省政府工作报告\n地区生产总值增长5.2%。"))
    assert "Place: 江西省 (from the title); date: 2026 (from the title)" in text
