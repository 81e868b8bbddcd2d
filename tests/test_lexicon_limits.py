"""A lexicon file cannot make a run hang or divide by nothing: regexes that backtrack
without bound (nested unbounded repetition), patterns that match the empty string, and
infinite or NaN unit factors are refused when the file loads, naming file, entry and pattern.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.lexicon import LexiconError, load_lexicon


@pytest.mark.parametrize(
    ("lexicon", "entry", "problem"),
    [
        pytest.param(
            "[[structure.headings]]\nname = 'x'\nrank = 1\npattern = '^(a|a)*$'\n",
            "[[structure.headings]] entry 1: pattern '^(a|a)*$'",
            "can backtrack without bound",
            id="repeated-alternation-of-the-same-text",
        ),
        pytest.param(
            "[[structure.headings]]\nname = 'x'\nrank = 1\npattern = '^(a+)+$'\n",
            "pattern '^(a+)+$'",
            "can backtrack without bound",
            id="nested-plus",
        ),
        pytest.param(
            "[words.qualifiers]\nbase_patterns = ['(?:比(?:\\d*)*)年']\n",
            "[words.qualifiers.base_patterns] pattern",
            "can backtrack without bound",
            id="nested-star-in-a-qualifier-pattern",
        ),
        pytest.param(
            "[words.topics]\nframing = ['^(?P<topic>(.|\\s)+)看$']\n",
            "[words.topics.framing] pattern",
            "can backtrack without bound",
            id="overlapping-branches-repeated",
        ),
        pytest.param(
            "[words.qualifiers]\nbase_patterns = ['(?:同比)?']\n",
            "[words.qualifiers.base_patterns] pattern '(?:同比)?'",
            "matches the empty string",
            id="zero-width-qualifier-pattern",
        ),
        pytest.param(
            "[words.topics]\nframing = ['(?P<topic>)']\n",
            "[words.topics.framing] pattern '(?P<topic>)'",
            "matches the empty string",
            id="zero-width-framing-pattern",
        ),
        pytest.param(
            '[units.length]\n"光年" = ["公里", inf]\n',
            "[units.length] '光年'",
            "finite",
            id="infinite-factor",
        ),
        pytest.param(
            '[units.length]\n"光年" = ["公里", nan]\n',
            "[units.length] '光年'",
            "finite",
            id="nan-factor",
        ),
    ],
)
def test_unbounded_or_empty_lexicon_entry_is_refused(
    tmp_path: Path, lexicon: str, entry: str, problem: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(lexicon, encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        load_lexicon([path])
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    assert entry in message
    assert problem in message


@pytest.mark.parametrize(
    "lexicon",
    [
        pytest.param(
            "[[structure.headings]]\nname = 'x'\nrank = 1\n"
            "pattern = '^(?:要点|重点)\\s*[：:]\\s*'\n",
            id="single-repetitions",
        ),
        pytest.param(
            "[[structure.headings]]\nname = 'x'\nrank = 1\npattern = '^(?:[一二三]{1,3}、)+'\n",
            id="bounded-inside-unbounded",
        ),
        pytest.param(
            "[words.qualifiers]\nbase_patterns = ['(?:比|较)(?:前年|上季度)(?:同期)?']\n",
            id="optional-after-a-word",
        ),
        pytest.param('[units.length]\n"海里" = ["公里", 1.852]\n', id="finite-factor"),
    ],
)
def test_bounded_lexicon_entry_is_accepted(tmp_path: Path, lexicon: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(lexicon, encoding="utf-8")
    assert load_lexicon([path]).files == (path,)
