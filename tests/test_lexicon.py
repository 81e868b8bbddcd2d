"""The data files load, and a bad entry is reported with the file and the entry named."""

from __future__ import annotations

import copy
import marshal
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from extract.lexicon import (
    LexiconError,
    build_structure_table,
    build_units,
    build_words,
    bundled_table,
    load_lexicon,
)


def test_shipped_lexicons_load() -> None:
    lexicon = load_lexicon()
    assert lexicon.files == ()
    assert lexicon.units.by_text["人民币"].base == "元"
    assert lexicon.units.by_text["成"].factor == 10
    assert ("超", ">") in lexicon.words.comparators_before


def test_bundled_lexicon_is_built_once() -> None:
    assert load_lexicon() is load_lexicon(())


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder, and bundled_table reading the data files again."""
    monkeypatch.setenv("EXTRACT_CACHE_DIR", str(tmp_path))
    bundled_table.cache_clear()
    yield tmp_path
    bundled_table.cache_clear()


def _parsed(name: str) -> dict[str, Any]:
    return tomllib.loads((resources.files("extract") / "data" / f"{name}.toml").read_text("utf-8"))


def test_bundled_tables_are_kept_parsed_in_the_cache_folder(cache_folder: Path) -> None:
    assert bundled_table("units") == _parsed("units")
    (cache_file,) = cache_folder.glob("tables-units-*.bin")
    # What a later start gets is the file's table, not the TOML parsed again.
    cache_file.write_bytes(marshal.dumps({"read": "from the cache"}))
    bundled_table.cache_clear()
    assert bundled_table("units") == {"read": "from the cache"}


@pytest.mark.parametrize(
    "contents",
    [
        pytest.param(b"", id="empty-file"),
        pytest.param(b"damaged", id="not-marshal-data"),
        pytest.param(marshal.dumps({"a": 1})[:-3], id="cut-short"),
        pytest.param(marshal.dumps(["not", "a", "table"]), id="not-a-table"),
    ],
)
def test_a_damaged_table_cache_is_parsed_again_and_rewritten(
    cache_folder: Path, contents: bytes
) -> None:
    bundled_table("words")
    (cache_file,) = cache_folder.glob("tables-words-*.bin")
    cache_file.write_bytes(contents)
    bundled_table.cache_clear()
    assert bundled_table("words") == _parsed("words")
    assert marshal.loads(cache_file.read_bytes()) == _parsed("words")


def test_bundled_structure_table_passes_the_checks_of_lexicon_files() -> None:
    # A run builds the bundled table without checking it (its patterns are then compiled
    # only as a run needs them): the checks that a lexicon file's entries get run here.
    bundled = load_lexicon().structure
    checked = build_structure_table(copy.deepcopy(bundled_table("structure")))
    assert checked.bylines == bundled.bylines and checked.furniture == bundled.furniture
    assert checked.any_header.pattern == bundled.any_header.pattern


@pytest.mark.parametrize(
    ("table", "message"),
    [
        pytest.param(
            {"money": {"元": ["元"]}},
            "[money] '元' must be [base_unit, factor]",
            id="unit-entry-without-factor",
        ),
        pytest.param({"money": ["元"]}, "[money] must be a table", id="unit-group-not-a-table"),
        pytest.param(
            {"money": {"元": ["元", 1]}, "not_before": {"吨": ["级"]}},
            "[not_before] names unknown units ['吨']",
            id="rule-for-unknown-unit",
        ),
    ],
)
def test_bad_units_table_names_the_entry(table: dict[str, Any], message: str) -> None:
    with pytest.raises(LexiconError) as error:
        build_units(table)
    assert message in str(error.value)
    assert "data/units.toml" in str(error.value)


def _words_with(**changes: Any) -> dict[str, Any]:
    table = dict(bundled_table("words"))
    table.update(changes)
    return table


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"comparators": {"before": {"≈": ["约"]}, "after": {}, "inside": {}}},
            "key '≈' is not one of",
            id="unknown-comparator",
        ),
        pytest.param({"per": {}}, "missing table or list 'words'", id="missing-list"),
        pytest.param(
            {"qualifiers": {"words": ["累计"], "base_patterns": ["(比"]}},
            "[qualifiers.base_patterns]",
            id="bad-regex",
        ),
        pytest.param(
            {
                "distributors": {
                    **bundled_table("words")["distributors"],
                    "contractions": {"城乡": ["城镇"]},
                }
            },
            "[distributors.contractions] '城乡' must list two or more",
            id="contraction-of-one-part",
        ),
    ],
)
def test_bad_words_table_names_the_entry(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(LexiconError) as error:
        build_words(_words_with(**changes))
    assert message in str(error.value)


def _structure_with(**changes: Any) -> dict[str, Any]:
    table = copy.deepcopy(bundled_table("structure"))
    for where, value in changes.items():
        key, _, field = where.partition("__")
        if field.isdigit():
            table[key][int(field)] = value
        else:
            table[key][field] = value
    return table


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param(
            {"punctuation__pairs": [["（", "）", "】"]]},
            "punctuation.pairs must be [open, close] pairs",
            id="pair-of-three",
        ),
        pytest.param(
            {"punctuation__terminal": "。！？"},
            "punctuation.terminal must be a list of non-empty strings",
            id="marks-not-a-list",
        ),
        pytest.param(
            {"headings__0": {"name": "number", "rank": 4, "pattern": "^一、"}},
            "headings[0].rank must be one of 1, 2, 3",
            id="heading-rank-out-of-range",
        ),
        pytest.param(
            {"plain_heading__rank": 0},
            "plain_heading.rank must be one of 1, 2, 3",
            id="plain-heading-rank-out-of-range",
        ),
        pytest.param(
            {"plain_heading__siblings": 0},
            "plain_heading.siblings must be a whole number, 1 or more",
            id="plain-heading-siblings-zero",
        ),
        pytest.param(
            {"plain_heading__lone": "目标$"},
            "plain_heading.lone pattern '目标$' must start with '^'",
            id="lone-heading-pattern-not-anchored",
        ),
        pytest.param(
            {"keyword__pattern": "关键词"},
            "keyword.pattern pattern '关键词' must start with '^'",
            id="pattern-not-anchored",
        ),
        pytest.param(
            {"bylines__0": {"pattern": "^记者("}},
            "bylines[0].pattern pattern '^记者(' is not a valid regex",
            id="bad-regex",
        ),
    ],
)
def test_bad_structure_table_names_the_entry(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(LexiconError) as error:
        build_structure_table(_structure_with(**changes))
    assert message in str(error.value)
    assert str(error.value).startswith("data/structure.toml: ")
