"""Traditional script: documents in 繁體 are read in simplified characters (script.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from extract import script
from extract.clean import clean_text
from extract.pipeline import extract_text


@pytest.mark.parametrize(
    ("text", "traditional"),
    [
        pytest.param("全年地區生產總值增長5.3%", True, id="growth-statement-in-traditional"),
        pytest.param("全年地区生产总值增长5.3%", False, id="growth-statement-in-simplified"),
        pytest.param("与臺灣積體電路合作，产值增长5%", False, id="one-name-in-traditional"),
        pytest.param(
            "全省国内生产总值增长5%，国际会展中心开业。" * 20 + "國會",
            False,
            id="two-marks-in-a-long-simplified-text",
        ),
        pytest.param("", False, id="empty-text"),
    ],
)
def test_is_traditional(text: str, traditional: bool) -> None:
    assert script.is_traditional(text) is traditional


def test_the_common_marks_are_marks() -> None:
    assert set(script.COMMON_MARKS) <= set(script.TRADITIONAL_MARKS)


def test_every_mark_is_a_character_opencc_converts() -> None:
    # a mark OpenCC left as it is would be a simplified character: a false trigger
    convert = script._converter()
    assert [mark for mark in script.TRADITIONAL_MARKS if convert(mark) == mark] == []


class _LengthChangingConverter:
    """Maps 萬億 as a phrase to one character and each character alone to one."""

    def convert(self, text: str) -> str:
        return text.replace("萬億", "兆").replace("萬", "万").replace("億", "亿").translate(
            str.maketrans("國會經濟長", "国会经济长")
        )


def test_a_phrase_of_another_length_is_converted_character_by_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(script, "_converter", lambda: _LengthChangingConverter().convert)
    text = "國會\n經濟總量達3萬億元，增長5%\n經濟增長"
    converted = script.to_simplified(text)
    assert converted == "国会\n经济總量達3万亿元，增长5%\n经济增长"
    assert [len(line) for line in converted.split("\n")] == [
        len(line) for line in text.split("\n")
    ]


def test_traditional_column_text_is_cleaned_mapped_and_idempotent() -> None:
    paragraph = (
        "過去一年，面對複雜嚴峻的外部環境，全省上下團結奮鬥，經濟運行穩中有進。"
        "全省地區生產總值增長5.3%，規模以上工業增加值增長6.1%，社會消費品零售總額"
        "增長4.8%，城鄉居民收入穩步增長，民生保障有力有效。"
    )
    lines = [paragraph[i : i + 15] for i in range(0, len(paragraph), 15)]
    raw = "\n\n".join(["政府工作報告", *lines])
    clean = clean_text(raw)
    assert clean.steps == ["convert_traditional_script"]
    assert clean.text.split("\n")[0] == "政府工作报告"
    assert "地区生产总值增长5.3%，规模以上工业增加值增长6.1%" in clean.text
    position = clean.text.index("6.1%")
    assert raw.split("\n")[clean.raw_line(position) - 1].find("6.1%") >= 0
    assert clean_text(clean.text).text == clean.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "原煤產量達1.53億噸、增長10.8%。",
            [("1.53亿吨", "原煤产量", "="), ("10.8%", "原煤产量增长", "=")],
            id="unit-and-subject-found-after-conversion",
        ),
        pytest.param(
            "全省一般公共預算收入、一般公共預算支出分別突破2000億元、6000億元，經濟發展穩中向好。",
            [("2000亿元", "全省一般公共预算收入", ">"), ("6000亿元", "一般公共预算支出", ">")],
            id="distributor-found-after-conversion",
        ),
    ],
)
def test_facts_of_traditional_text(text: str, expected: list[tuple[str, str, str]]) -> None:
    facts = extract_text(text).facts
    assert [(f.mention, f.indicator, f.comparator) for f in facts] == expected


def test_simplified_documents_never_import_opencc() -> None:
    code = (
        "import sys\n"
        "from extract.pipeline import extract_text\n"
        "extract_text('全省生产总值增长5%。')\n"
        "print('opencc' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
