"""Tests for the page chrome of web pages: tool bar, breadcrumb trail, related links and
the metadata lines (clean.py drops the chrome, segment.py reads the metadata)."""

from __future__ import annotations

import pytest
import regex

from extract.clean import clean_text
from extract.lexicon import load_lexicon
from extract.segment import metadata_lines, segment_text
from extract.structure import LinePattern

TITLE = "2030年某某省政府工作报告"
BODY = [
    "各位代表：",
    "一、2029年工作回顾",
    "过去一年，全省地区生产总值增长5.1%，城镇新增就业40万人。",
]
TOOLBAR = ["下载", "打印", "全屏", "收藏", "【字号：", "加大", "还原", "减小", "】"]
FONT_BAR = ["阅读量：", "【字体：", "小", "中", "大", "】"]
BREADCRUMB = ["当前位置：", "首页", ">", "政务信息", ">", "本省要闻"]
FOOTER = ["扫一扫在手机打开当前页【", "打印本页】【", "关闭窗口】"]


def run(lines: list[str]) -> tuple[str | None, list[tuple[str, str]], str]:
    """Return the title, the removed lines with their reasons, and the cleaned text."""
    clean = clean_text("\n".join(lines), doc_id="t")
    segmented = segment_text(clean)
    return segmented.title, [(r.text, r.reason) for r in clean.removed], clean.text


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(TOOLBAR, [], id="tool-bar-above-the-title"),
        pytest.param(BREADCRUMB, [], id="breadcrumb-one-item-a-line"),
        pytest.param(["当前位置：首页 > 政务信息 > 本省要闻"], [], id="breadcrumb-on-one-line"),
        pytest.param([*BREADCRUMB, *FONT_BAR], [], id="breadcrumb-then-font-bar"),
        pytest.param(TOOLBAR, ["相关报道："], id="related-links-heading-at-the-end"),
        pytest.param(TOOLBAR, ["相关报道：", "另一篇报道的标题", "第三篇报道的标题"],
                     id="related-links-list"),
        pytest.param([], FOOTER, id="footer-buttons"),
        pytest.param(["首页 > 新闻中心 > 要闻"], [], id="breadcrumb-without-its-label"),
        pytest.param(["首页＞政务公开＞政府工作报告", "【字号：大 中 小】", "打印", "分享到："], [],
                     id="unlabelled-breadcrumb-then-font-sizes-on-one-line-and-share"),
        pytest.param(["客户端", "官方微博", "本网首页", "新闻 > 要闻 > 正文"], [],
                     id="site-header-above-the-breadcrumb"),
        pytest.param(["简繁互换", "设为首页", "手机版", "某网 / 新闻 / 社会(即时新闻) / 正文"],
                     [], id="breadcrumb-of-spaced-slashes-with-an-aside"),
        pytest.param(["某某网", "某某网>>某省频道"], [], id="two-names-with-a-doubled-separator"),
        pytest.param(["小字号"], [], id="font-size-button-alone"),
    ],
)
def test_chrome_dropped_and_title_found(before: list[str], after: list[str]) -> None:
    title, removed, text = run([*before, TITLE, *BODY, *after])
    assert title == TITLE
    assert len(removed) == len(before) + len(after)
    assert all(reason in ("page chrome", "related links") for _, reason in removed)
    assert text.endswith("城镇新增就业40万人。")


def test_text_above_a_breadcrumb_stays() -> None:
    _, removed, text = run(["各位代表：", "首页 > 要闻 > 正文", TITLE, *BODY])
    assert [line for line, _ in removed] == ["首页 > 要闻 > 正文"]
    assert text.startswith("各位代表：")


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param([TITLE, "收入增长较快，规模扩", "大", "。"], id="lone-char-ending-a-word"),
        pytest.param([TITLE, "下载", "各位代表："], id="one-button-word-alone"),
        pytest.param([TITLE, "产值>投资>消费。"], id="comparison-chain-in-a-sentence"),
        pytest.param([TITLE, "A>B>C"], id="chain-of-one-letter-names"),
        pytest.param([TITLE, "产量/产值/利润"], id="slash-list-without-spaces"),
        pytest.param(["某某网 / 正文", TITLE], id="two-names-between-slashes"),
        pytest.param([TITLE, "产值>>投资。"], id="doubled-separator-in-a-sentence"),
        pytest.param([TITLE, "过去一年，经济增长5%。", "相关报道：", "x" * 90],
                     id="long-line-after-related-is-text"),
    ],
)
def test_lines_that_are_no_chrome_stay(lines: list[str]) -> None:
    _, removed, _ = run(lines)
    assert removed == []


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(["来源：某某日报", "时间：2030-01-20"],
                     {"来源": "某某日报", "时间": "2030-01-20"}, id="label-and-value"),
        pytest.param(["发表时间：", "2030-02-09 09:45:30", "来源：", "某某日报客户端"],
                     {"发表时间": "2030-02-09 09:45:30", "来源": "某某日报客户端"},
                     id="value-on-the-next-line"),
        pytest.param(["来源：甲报", "来源：乙报"], {"来源": "甲报"}, id="first-one-wins"),
        pytest.param(["时间就是效率，来源于实干。"], {}, id="body-sentence-is-no-metadata"),
    ],
)
def test_metadata(lines: list[str], expected: dict[str, str]) -> None:
    text = "\n".join([*TOOLBAR, TITLE, *lines, *BODY])
    assert segment_text(clean_text(text, doc_id="t")).metadata == expected
    assert metadata_lines(text) == expected


# The chrome patterns are tested with a first-character test learned from each pattern
# (structure.LinePattern): it must answer as the pattern does.
CHROME_LINES = [
    *TOOLBAR, *FONT_BAR, *FOOTER, "【字号：大 中 小】", "分享到：", "浏览次数：1024",
    "【 打印本页】",
    "发表时间：", "来源：", "日期 :", "来源：某某日报", TITLE, *BODY, "大", "中国", "收藏家",
    "增长5%", "】】", "时间", "扫一扫", "阅读量：12345678901",
    "- 3 -", "第3版", "（下转第2版）", "责任编辑：张三", "【编辑:张三】", "编辑出版工作",
]


@pytest.mark.parametrize("name", ["toolbar", "metadata_label", "any_furniture"])
def test_first_character_test_answers_as_the_pattern(name: str) -> None:
    structure = load_lexicon().structure
    pattern = getattr(structure, name)
    line_pattern = LinePattern(pattern)
    for line in CHROME_LINES:
        expected = pattern.match(line)
        found = line_pattern.match(line)
        assert (found is None) == (expected is None), line
    assert False in line_pattern.openers.values()  # it does rule lines out
    assert True in line_pattern.openers.values()


@pytest.mark.parametrize(
    ("pattern", "line", "matches"),
    [
        pytest.param("(?:下载|打印)$", "下载", True, id="a-word-of-the-pattern"),
        pytest.param("(?:下载|打印)$", "下", False, id="the-first-character-alone"),
        pytest.param("(?:下载|打印)$", "增长", False, id="another-first-character"),
        pytest.param(r"[【\s]*下载$", "【下载", True, id="an-optional-opening"),
        pytest.param(r"\p{Han}{2}：$", "来源：", True, id="a-class-of-first-characters"),
        pytest.param(r"(?=\d)\d+$", "12", True, id="a-lookahead-first"),
        pytest.param(r"(?!增)\p{Han}+$", "增长", False, id="a-negative-lookahead-first"),
        pytest.param(r"(?!增)\p{Han}+$", "下载", True, id="a-negative-lookahead-passed"),
        pytest.param("a*", "增长", True, id="an-empty-match"),
        pytest.param("a*$", "", True, id="an-empty-line"),
    ],
)
def test_line_pattern(pattern: str, line: str, matches: bool) -> None:
    compiled = regex.compile(pattern, regex.VERSION1)
    assert (compiled.match(line) is not None) is matches  # the row says what the pattern does
    assert (LinePattern(compiled).match(line) is not None) is matches
