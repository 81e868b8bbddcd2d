"""Hostile text never crashes or hangs the extractor: a bounded value or an Issue.

Sizes here are small enough for a unit test; benchmarks/bench_large.py times the
large versions (10 MB without a line break).
"""

from __future__ import annotations

import pytest

from extract import extract_text


@pytest.mark.parametrize(
    ("text", "facts", "issue_word"),
    [
        pytest.param(
            "收入99999999999999999999999亿元。",
            0,
            "significant digits",
            id="number-too-long-to-write-exactly",
        ),
        pytest.param(
            "收入" + "9" * 5000 + "元。", 0, "significant digits", id="thousands-of-digits"
        ),
        pytest.param(
            "增长5%。" + "8" * 100 + "%。",
            1,
            "significant digits",
            id="long-number-costs-only-itself",
        ),
        # One significant digit, but too far from the point for facts.parquet's decimals.
        pytest.param(
            "收入1" + "0" * 40 + "元。", 0, "digits before the point", id="number-too-large"
        ),
        pytest.param("增长0." + "0" * 40 + "1%。", 0, "after", id="fraction-too-small"),
    ],
)
def test_unwritable_numbers_become_issues(text: str, facts: int, issue_word: str) -> None:
    document = extract_text(text, doc_id="t")
    assert len(document.facts) == facts
    assert any(issue_word in issue.reason for issue in document.issues)


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        pytest.param("“" * 5000 + "增长5%" + "”" * 5000, 1, id="deeply-nested-quotes"),
        pytest.param("“增长5%，" * 2000, 2000, id="unclosed-quotes-everywhere"),
        pytest.param("关键词\n稳进提质\n" * 20000 + "增长5%。", 1, id="many-keyword-lines"),
        # 5% stands before a noun and another value, the threshold pattern of 3亿元以上项目11个:
        # without punctuation only the 3亿元 of each repeat reads as a fact.
        pytest.param("增长5%投资3亿元" * 2000, 2000, id="no-punctuation-at-all"),
        pytest.param("投资3亿元，" * 2000 + "。", 2000, id="one-sentence-of-many-clauses"),
    ],
)
def test_hostile_text_still_extracts(text: str, facts: int) -> None:
    found = extract_text(text, doc_id="t").facts
    if "3亿元" in text:
        found = [fact for fact in found if fact.mention == "3亿元"]
    assert len(found) == facts


def test_fact_sentence_is_an_excerpt_when_the_sentence_is_huge() -> None:
    document = extract_text("投资3亿元，" * 2000 + "。", doc_id="t")
    assert all(len(fact.sentence) < 1000 for fact in document.facts)
    assert all(fact.mention in fact.sentence for fact in document.facts)
