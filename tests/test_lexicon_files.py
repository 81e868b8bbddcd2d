"""Lexicon files extend units, comparators, qualifiers and header patterns without code.

Each good row adds one kind of entry and shows a sentence reading differently before and
after; each bad row shows that the error names the file, the entry and what is allowed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extract import cli, extract_paths, extract_text
from extract.lexicon import LexiconError, load_lexicon
from extract.models import Fact

REPOSITORY = Path(__file__).resolve().parents[1]
EXAMPLE_LEXICON = REPOSITORY / "examples" / "lexicon.toml"


def _write(tmp_path: Path, text: str, name: str = "lexicon.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _reading(fact: Fact) -> tuple[object, ...]:
    """The fields an extension can change: mention, base unit, value, comparator, qualifiers,
    indicator, section."""
    return (
        fact.mention,
        fact.base_unit,
        fact.normalized_value,
        fact.comparator,
        tuple(fact.qualifiers),
        fact.indicator,
        fact.section,
    )


def _readings(text: str, lexicon_files: tuple[Path, ...] = ()) -> list[tuple[object, ...]]:
    return [_reading(fact) for fact in extract_text(text, lexicon_files=lexicon_files).facts]


@pytest.mark.parametrize(
    ("lexicon", "text", "before", "after"),
    [
        pytest.param(
            '[units.length]\n"海里" = ["公里", 1.852]\n',
            "全线总长1200海里。",
            [],
            [("1200海里", "公里", Decimal("2222.4"), "=", (), "全线总长", None)],
            id="unit-with-base-unit-and-factor",
        ),
        pytest.param(
            '[units.freight]\n"车皮" = ["车皮", 1]\n',
            "全年发运煤炭300车皮。",
            [],
            [("300车皮", "车皮", Decimal("300"), "=", ("全年",), "发运煤炭", None)],
            id="unit-in-a-new-group",
        ),
        pytest.param(
            '[words.comparators.before]\n">=" = ["不下"]\n',
            "参会人数不下3000人。",
            [("3000人", "人", Decimal("3000"), "=", (), "参会人数不下", None)],
            [("3000人", "人", Decimal("3000"), ">=", (), "参会人数", None)],
            id="comparator-word-before-the-number",
        ),
        pytest.param(
            '[words.comparators.after]\n">" = ["有余"]\n',
            "游客人数3000人有余。",
            [("3000人", "人", Decimal("3000"), "=", (), "游客人数有余", None)],
            [("3000人", "人", Decimal("3000"), ">", (), "游客人数", None)],
            id="comparator-word-after-the-unit",
        ),
        pytest.param(
            '[words.qualifiers]\nwords = ["周均"]\n',
            "站点周均客流12万人次。",
            [("12万人次", "人次", Decimal("120000"), "=", (), "站点周均客流", None)],
            [("12万人次", "人次", Decimal("120000"), "=", ("周均",), "站点周均客流", None)],
            id="qualifier-word",
        ),
        pytest.param(
            "[[structure.headings]]\n"
            'name = "section"\nrank = 1\n'
            "pattern = '^第[一二三四五六七八九十]{1,3}节[\\s：:、]*'\n",
            "第一节 经济运行\n\n全市地区生产总值增长5%。",
            [("5%", "%", Decimal("5"), "=", (), "全市地区生产总值增长", None)],
            [("5%", "%", Decimal("5"), "=", (), "全市地区生产总值增长", "经济运行")],
            id="heading-pattern",
        ),
    ],
)
def test_lexicon_file_changes_the_reading(
    tmp_path: Path,
    lexicon: str,
    text: str,
    before: list[tuple[object, ...]],
    after: list[tuple[object, ...]],
) -> None:
    assert _readings(text) == before
    assert _readings(text, (_write(tmp_path, lexicon),)) == after
    assert _readings(text) == before  # the file changed that extraction, and nothing after it


@pytest.mark.parametrize(
    ("lexicon", "text", "before", "after"),
    [
        pytest.param(
            '[units.pressure]\n"百帕" = ["百帕", 1]\n',
            "平均气压1013百帕。",
            [("1013百", "百")],
            [("1013百帕", "百帕")],
            id="bai-pa-after-a-number",
        ),
        pytest.param(
            '[units.energy]\n"千卡" = ["千卡", 1]\n',
            "每日摄入热量2000千卡。",
            [("2000千", "千")],
            [("2000千卡", "千卡")],
            id="qian-ka-after-a-number",
        ),
        pytest.param(
            '[units.energy]\n"千卡" = ["千卡", 1]\n',
            "每日摄入热量两万千卡。",
            [],
            [("两万千卡", "万千卡")],
            id="qian-ka-after-a-chinese-numeral",
        ),
        pytest.param(
            '[units.energy]\n"千卡" = ["千卡", 1]\n',
            "装机容量8000万千瓦。",
            [("8000万千瓦", "万千瓦")],
            [("8000万千瓦", "万千瓦")],
            id="bundled-qian-wa-unchanged",
        ),
    ],
)
def test_unit_starting_with_a_multiplier_character_is_one_lexicon_entry(
    tmp_path: Path,
    lexicon: str,
    text: str,
    before: list[tuple[str, str]],
    after: list[tuple[str, str]],
) -> None:
    # The multiplier reading of 百 and 千 gives way to the units of the lexicon that start
    # with them (numbers.multiplier_pattern): no code names 帕 or 卡.
    path = _write(tmp_path, lexicon)
    assert [(f.mention, f.unit) for f in extract_text(text).facts] == before
    with_file = extract_text(text, lexicon_files=[path]).facts
    assert [(f.mention, f.unit) for f in with_file] == after


@pytest.mark.parametrize(
    ("lexicon", "entry", "allowed"),
    [
        pytest.param("[units.length\n", "not valid TOML", "examples/lexicon.toml", id="not-toml"),
        pytest.param(
            '[unit.length]\n"海里" = ["公里", 1.852]\n',
            "unknown table [unit]",
            "allowed: [units.…], [words.…], [structure.…]",
            id="unknown-top-table",
        ),
        pytest.param(
            '[words.qualifier]\nwords = ["周均"]\n',
            "[words] unknown key 'qualifier'",
            "allowed: changes, comparators,",
            id="unknown-words-table",
        ),
        pytest.param(
            '[words.qualifiers]\nword = ["周均"]\n',
            "[words.qualifiers] unknown key 'word'",
            "allowed: base_patterns, words",
            id="unknown-key-in-words-table",
        ),
        pytest.param(
            '[words.qualifiers]\nwords = "周均"\n',
            "[words.qualifiers.words]",
            "must be a list of non-empty strings",
            id="word-list-not-a-list",
        ),
        pytest.param(
            '[units.length]\n"海里" = ["公里"]\n',
            "[units.length] '海里' = ['公里']",
            "a unit is [base_unit, factor] with a finite positive factor",
            id="unit-without-factor",
        ),
        pytest.param(
            '[units.length]\n"海里" = ["公里", 0]\n',
            "[units.length] '海里' = ['公里', 0]",
            "with a finite positive factor",
            id="unit-with-zero-factor",
        ),
        pytest.param(
            '[units.ratio]\n"成" = ["%", 1]\n',
            "'成' is already the unit [units.ratio] '成' = ['%', 10]",
            "adds units and cannot change one",
            id="unit-redefined",
        ),
        pytest.param(
            '[units.not_before]\n"海里" = ["程"]\n',
            "[not_before] names unknown units ['海里']",
            "with its entries added",
            id="rule-for-an-unknown-unit",
        ),
        pytest.param(
            '[units.not_before]\n"米" = "程"\n',
            "[units.not_before.米] must be a list of non-empty strings",
            'e.g. ["词"]',
            id="unit-rule-not-a-list",
        ),
        pytest.param(
            '[units.kinds]\ncounters = ["freight"]\n',
            "[units.kinds] unknown key 'counters'",
            "allowed: calendar, classifiers, dated",
            id="unknown-unit-kind",
        ),
        pytest.param(
            '[words.comparators.before]\n"≈" = ["约莫"]\n',
            "[words.comparators.before] key '≈' is not a comparator",
            "allowed: <, <=, =, >, >=, ~",
            id="unknown-comparator-symbol",
        ),
        pytest.param(
            '[words.comparators.before]\n">" = ["约"]\n',
            "[words.comparators.before.>] '约' is already the comparator '~'",
            "adds words and cannot change one",
            id="comparator-word-given-a-second-comparator",
        ),
        pytest.param(
            "[words.qualifiers]\nbase_patterns = ['(比']\n",
            "[words.qualifiers.base_patterns] pattern '(比' is not a valid regex",
            "fix the pattern",
            id="bad-regex",
        ),
        pytest.param(
            "[words.topics]\nframing = ['^说到(.{1,8})$']\n",
            "[words.topics.framing] pattern '^说到(.{1,8})$'",
            "needs a named group (?P<topic>…)",
            id="framing-pattern-without-topic-group",
        ),
        pytest.param(
            "[[structure.headings]]\nname = \"section\"\npattern = '^第.节'\n",
            "[[structure.headings]] entry 1: missing key 'rank'",
            "required: name, pattern, rank",
            id="heading-without-rank",
        ),
        pytest.param(
            "[[structure.headings]]\nname = \"section\"\nrank = 4\npattern = '^第.节'\n",
            "[[structure.headings]] entry 1: rank = 4",
            "is not one of 1, 2, 3",
            id="heading-rank-out-of-range",
        ),
        pytest.param(
            '[[structure.headings]]\nname = "section"\nrank = "1"\npattern = \'^第.节\'\n',
            "[[structure.headings]] entry 1: rank",
            "must be an integer",
            id="heading-rank-a-string",
        ),
        pytest.param(
            "[[structure.headings]]\nname = \"section\"\nrank = 1\npattern = '第.节'\n",
            "[[structure.headings]] entry 1: pattern '第.节'",
            "must start with '^'",
            id="heading-pattern-not-anchored",
        ),
        pytest.param(
            "[[structure.bylines]]\nname = \"critic\"\npattern = '^评论员(\\s+'\n",
            "[[structure.bylines]] entry 1: pattern",
            "is not a valid regex",
            id="byline-bad-regex",
        ),
        pytest.param(
            "[structure.keyword]\npattern = '^要点$'\n",
            "[structure.keyword.pattern] is a single setting",
            "it can add to word lists and to arrays of tables",
            id="single-setting-cannot-change",
        ),
    ],
)
def test_bad_lexicon_file_is_refused_naming_file_entry_and_allowed(
    tmp_path: Path, lexicon: str, entry: str, allowed: str
) -> None:
    path = _write(tmp_path, lexicon, name="mine.toml")
    with pytest.raises(LexiconError) as error:
        load_lexicon([path])
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    assert entry in message
    assert allowed in message


def test_missing_lexicon_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(LexiconError, match=r"absent\.toml: cannot read the lexicon file"):
        load_lexicon([path])


def test_a_bad_file_leaves_the_bundled_lexicon_as_it_was(tmp_path: Path) -> None:
    good = _write(tmp_path, '[units.length]\n"海里" = ["公里", 1.852]\n', name="good.toml")
    bad = _write(tmp_path, '[units.length]\n"英里" = ["公里"]\n', name="bad.toml")
    with pytest.raises(LexiconError, match=r"bad\.toml"):
        load_lexicon([good, bad])
    assert load_lexicon().files == ()
    assert "海里" not in load_lexicon().units.by_text


def test_the_same_file_twice_is_added_once(tmp_path: Path) -> None:
    path = _write(tmp_path, '[words.qualifiers]\nwords = ["周均"]\n')
    lexicon = load_lexicon([path, tmp_path / "." / path.name, str(path)])
    assert lexicon.files == (path,)
    assert lexicon.words.qualifiers.count("周均") == 1


def test_later_files_extend_earlier_ones(tmp_path: Path) -> None:
    unit = _write(tmp_path, '[units.length]\n"海里" = ["公里", 1.852]\n', name="unit.toml")
    rule = _write(tmp_path, '[units.not_before]\n"海里" = ["程"]\n', name="rule.toml")
    lexicon = load_lexicon([unit, rule])
    assert lexicon.files == (unit, rule)
    assert lexicon.units.not_before["海里"] == ("程",)


def test_loading_a_lexicon_leaves_the_bundled_one_alone(tmp_path: Path) -> None:
    path = _write(tmp_path, '[units.length]\n"海里" = ["公里", 1.852]\n')
    assert "海里" in load_lexicon([path]).units.by_text
    assert "海里" not in load_lexicon().units.by_text
    assert load_lexicon().files == ()


def test_example_lexicon_loads_and_applies() -> None:
    document = extract_text("全线总长1200海里。", lexicon_files=[EXAMPLE_LEXICON])
    assert [fact.normalized_value for fact in document.facts] == [Decimal("2222.4")]
    assert load_lexicon([EXAMPLE_LEXICON]).files == (EXAMPLE_LEXICON,)


@pytest.mark.parametrize(
    ("lexicon", "text"),
    [
        pytest.param('[units.length]\n"海里" = ["公里", 1.852]\n', "全线总长1200海里。", id="unit"),
        pytest.param(
            '[words.comparators.before]\n">=" = ["不下"]\n', "参会人数不下3000人。", id="comparator"
        ),
        pytest.param(
            "[[structure.headings]]\n"
            'name = "section"\nrank = 1\n'
            "pattern = '^第[一二三四五六七八九十]{1,3}节[\\s：:、]*'\n",
            "第一节 经济运行\n\n全市地区生产总值增长5%。",
            id="heading-pattern",
        ),
    ],
)
def test_extracting_with_a_lexicon_file_changes_no_later_extraction(
    tmp_path: Path, lexicon: str, text: str
) -> None:
    before = extract_text(text).model_dump_json()
    with_file = extract_text(text, lexicon_files=[_write(tmp_path, lexicon)]).model_dump_json()
    assert with_file != before
    assert extract_text(text).model_dump_json() == before


@pytest.mark.parametrize("jobs", [1, 2], ids=["one-process", "two-workers"])
def test_extract_paths_applies_lexicon_files(tmp_path: Path, jobs: int) -> None:
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    (input_dir / "a.txt").write_text("全线总长1200海里。", encoding="utf-8")
    (input_dir / "b.txt").write_text("航程300海里。", encoding="utf-8")
    extract_paths(input_dir, tmp_path / "out", jobs=jobs, lexicon_files=[EXAMPLE_LEXICON])
    rows = (tmp_path / "out" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(row)["mention"] for row in rows] == ["1200海里", "300海里"]
    # The run's lexicon was the run's alone: the process still reads the bundled one.
    assert extract_text("全线总长1200海里。").facts == []


@pytest.mark.parametrize(
    ("lexicon", "code", "stderr"),
    [
        pytest.param(
            '[units.length]\n"海里" = ["公里", 1.852]\n', cli.EXIT_OK, "1 facts", id="good-file"
        ),
        pytest.param(
            '[units.length]\n"海里" = ["公里"]\n',
            cli.EXIT_USAGE,
            "error: {path}: [units.length] '海里' = ['公里']: a unit is [base_unit, factor]",
            id="bad-file-is-a-usage-error",
        ),
    ],
)
def test_cli_lexicon_option(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lexicon: str,
    code: int,
    stderr: str,
) -> None:
    path = _write(tmp_path, lexicon)
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    (input_dir / "a.txt").write_text("全线总长1200海里。", encoding="utf-8")
    arguments = [str(input_dir), str(tmp_path / "out"), "--lexicon", str(path)]
    assert cli.main(arguments) == code
    assert stderr.format(path=path) in capsys.readouterr().err
