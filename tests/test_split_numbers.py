"""Numbers split by spaces, commas or dots: read whole, or refused with an issue.

A fact whose value is a fragment of a number (the 000 of ``3 000万元``) is never written.
Rows are sentences written for these tests. A row is (sentence, [(mention,
normalized_value, base_unit), ...], words the issue must hold or "" for no issue).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from extract import extract_text

SPLIT = [
    pytest.param("全年投入3 000万元用于修路。", [("3 000万元", "30000000", "元")], "",
                 id="space-thousands"),
    pytest.param("营收1 000万元。", [("1 000万元", "10000000", "元")], "", id="space-after-noun"),
    pytest.param("带动就业1 234万人。", [("1 234万人", "12340000", "人")], "",
                 id="space-group-of-three"),
    pytest.param("全年投入1 234 567元。", [("1 234 567元", "1234567", "元")], "",
                 id="two-space-groups"),
    pytest.param("投入3\u00a0000万元。", [("3 000万元", "30000000", "元")], "",
                 id="no-break-space"),
    pytest.param("投入3\u2009000万元。", [("3 000万元", "30000000", "元")], "", id="thin-space"),
    pytest.param("投入3\u202f000万元。", [("3 000万元", "30000000", "元")], "",
                 id="narrow-no-break-space"),
    pytest.param("投入1, 000万元。", [("1, 000万元", "10000000", "元")], "",
                 id="comma-and-space"),
    pytest.param("合同金额82，225.00元。", [("82,225.00元", "82225", "元")], "",
                 id="fullwidth-comma-before-decimals"),
    pytest.param("增速为5 . 3%。", [("5 . 3%", "5.3", "%")], "", id="spaces-around-point"),
    pytest.param("增速为5 .3%。", [("5 .3%", "5.3", "%")], "", id="space-before-point"),
    pytest.param("增速为\u0665\u066b\u0663%。", [("5.3%", "5.3", "%")], "",
                 id="arabic-indic-digits"),
    pytest.param("增速为\u06f5\u066b\u06f3%。", [("5.3%", "5.3", "%")], "",
                 id="extended-arabic-indic-digits"),
    # ambiguous: refused with an issue naming the text, never read as a part of itself
    pytest.param("增速为5·3%。", [], "5·3%", id="middle-dot-refused"),
    pytest.param("增速为5. 3%。", [], "5. 3%", id="point-and-space-refused"),
    pytest.param("带动就业1 23万人。", [], "1 23万人", id="short-group-refused"),
    pytest.param("投入12，345万元。", [], "12，345万元", id="fullwidth-comma-group-refused"),
    pytest.param("投入1,23万元。", [], "1,23万元", id="comma-short-group-refused"),
    # a character OCR could not read inside the number: refused with an issue
    pytest.param("新增就业□.6万人。", [], "□.6万人", id="box-before-point-refused"),
    pytest.param("完成投资■35亿元。", [], "■35亿元", id="black-box-before-digits-refused"),
    pytest.param("完成投资\ufffd35亿元。", [], "\ufffd35亿元", id="replacement-char-refused"),
    pytest.param("新增就业?.6万人。", [], ".6万人", id="question-mark-as-digit-refused"),
    pytest.param("全年增长6.□%。", [], "6.□%", id="box-after-point-refused"),
    pytest.param("全年增长7.Z%。", [], "7.Z%", id="letter-after-point-refused"),
    pytest.param("人均收入12S6元。", [], "12S6元", id="letter-between-digits-refused"),
    pytest.param("建成5G基站3万个。", [("3万个", "30000", "个")], "",
                 id="code-before-a-count-is-no-misread-digit"),
    pytest.param("是否达标?3家企业未达标。", [("3家", "3", "家")], "",
                 id="question-mark-before-a-number-is-punctuation"),
    # not fragments: a list after a full-width comma, an enumerator before a number
    pytest.param("排名第1，7家企业上榜。", [("7家", "7", "家")], "", id="fullwidth-comma-list"),
    pytest.param("1. 30家企业上榜。", [("30家", "30", "家")], "", id="enumerator-point"),
]


@pytest.mark.parametrize(("text", "expected", "issue"), SPLIT)
def test_split_numbers(text: str, expected: list[tuple[str, str, str]], issue: str) -> None:
    result = extract_text(text, doc_id="t")
    got = [
        (f.mention, f"{Decimal(f.normalized_value).normalize():f}", f.base_unit)
        for f in result.facts
    ]
    assert got == [(m, f"{Decimal(v).normalize():f}", b) for m, v, b in expected]
    reasons = [f"{i.reason} {i.text}" for i in result.issues if i.stage == "extract"]
    if issue:
        assert any(issue in reason for reason in reasons), reasons
    else:
        assert reasons == []
