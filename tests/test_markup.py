"""HTML saved as .txt: the markup is stripped to text, recorded, and lines point into the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.pipeline import extract_source
from extract.read import UnreadableFile, read_source

PAGE = """<!DOCTYPE html>
<html>
<head>
<title>某市统计公报</title>
<style>p { color: red; }</style>
<script>var growth = "9.9%";</script>
</head>
<body>
<h1>某市国民经济和社会发展统计公报</h1>
<p>全市地区生产总值增长<b>5.3</b>%，</p>
<p>规模以上工业增加值增长<span class="num">6.1</span>%&nbsp;。</p>
<div>社会消费品零售总额&ldquo;同比&rdquo;增长2.1%。<br>固定资产投资增长4.2%。</div>
<!-- 注释里的增长8.8%不是事实 -->
</body>
</html>
"""


def facts_of(tmp_path: Path, text: str) -> dict[str, tuple[str, int | None]]:
    """Return each fact's mention with its indicator and line, for ``text`` read from a file."""
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    document = extract_source(read_source(path, root=tmp_path))
    return {fact.mention: (fact.indicator or "", fact.line) for fact in document.facts}


def test_html_saved_as_txt_gives_its_facts_without_tags(tmp_path: Path) -> None:
    facts = facts_of(tmp_path, PAGE)
    assert set(facts) == {"5.3%", "6.1%", "2.1%", "4.2%"}  # no script, comment or head
    for indicator, _line in facts.values():
        assert not any(mark in indicator for mark in "<>&;")


@pytest.mark.parametrize(
    ("mention", "line"),
    [
        pytest.param("5.3%", 10, id="bold-number-line-of-its-p"),
        pytest.param("6.1%", 11, id="span-number-line-of-its-p"),
        pytest.param("2.1%", 12, id="first-of-two-on-one-raw-line"),
        pytest.param("4.2%", 12, id="after-br-same-raw-line"),
    ],
)
def test_html_fact_lines_point_into_the_raw_file(tmp_path: Path, mention: str, line: int) -> None:
    assert facts_of(tmp_path, PAGE)[mention][1] == line
    assert mention.rstrip("%") in PAGE.splitlines()[line - 1]


@pytest.mark.parametrize(
    ("text", "stripped"),
    [
        pytest.param(PAGE, True, id="doctype"),
        pytest.param("<html><body><p>增长<b>5.3</b>%</p></body></html>", True, id="html-tag"),
        pytest.param(
            "<p>甲增长5%</p>\n<p>乙增长6%</p>\n<div>丙增长<b>7</b>%</div>\n", True, id="dense-tags"
        ),
        pytest.param("全年增长5.3%，<5%的企业亏损。\n", False, id="less-than-sign-is-text"),
        pytest.param(
            '指标"</script><b>粗体</b>"增长8%。\n', False, id="inline-tags-pasted-in-text-are-text"
        ),
        pytest.param("增长5.3%。\n", False, id="plain-text"),
    ],
)
def test_markup_is_recognised_and_recorded(tmp_path: Path, text: str, stripped: bool) -> None:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    source = read_source(path, root=tmp_path)
    recorded = [issue for issue in source.issues if "HTML" in issue.reason]
    assert bool(recorded) == stripped
    assert ("<" not in source.text) == (stripped or "<" not in text)
    assert all(issue.stage == "read" for issue in recorded)


def test_markup_with_no_text_is_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_text("<!DOCTYPE html><html><head><title>t</title></head><body></body></html>")
    with pytest.raises(UnreadableFile, match="only markup"):
        read_source(path, root=tmp_path)
