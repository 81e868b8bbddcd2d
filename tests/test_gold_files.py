"""Gold fact files are checked as strictly as gold panel files: a line that is not a gold
fact is an error naming file and line, and a gold folder without facts is an error, never
a perfect score.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extract import cli
from extract.evaluate import FactsFileError, evaluate_dirs, load_gold_facts

GOOD: dict[str, Any] = {
    "doc_id": "a",
    "mention": "3亿元",
    "value": 3,
    "unit": "亿元",
    "normalized_value": 300000000,
    "base_unit": "元",
    "comparator": "=",
    "indicator": "投资",
    "optional": False,
}


def write_lines(path: Path, rows: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"normalized_value": None}, "normalized_value", id="no-normalized-value"),
        pytest.param({"normalized_value": "3"}, "normalized_value", id="value-as-text"),
        pytest.param({"normalized_value": True}, "normalized_value", id="value-as-boolean"),
        pytest.param({"optional": "no"}, "optional", id="optional-as-text"),
        pytest.param({"optional": 1}, "optional", id="optional-as-number"),
        pytest.param({"comparator": "≈"}, "comparator", id="unknown-comparator"),
        pytest.param({"indicator": 5}, "indicator", id="indicator-not-text"),
        pytest.param({"status": "planned"}, "status", id="unknown-status"),
    ],
)
def test_bad_gold_line_is_named_by_file_and_line(
    tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    row = {key: value for key, value in {**GOOD, **change}.items() if value is not None}
    path = write_lines(tmp_path / "gold" / "a.facts.jsonl", [GOOD, row])
    with pytest.raises(FactsFileError, match=rf"a\.facts\.jsonl:2: not a gold fact \(.*{field}"):
        load_gold_facts(path)


def test_good_gold_lines_are_read_as_written(tmp_path: Path) -> None:
    noted = {**GOOD, "optional": True, "evidence": "annotator's note", "period": "2025"}
    path = write_lines(tmp_path / "a.facts.jsonl", [GOOD, noted])
    assert load_gold_facts(path) == [GOOD, noted]


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({}, id="empty-folder"),
        pytest.param({"a.facts.jsonl": ""}, id="only-empty-gold-files"),
    ],
)
def test_gold_folder_without_facts_is_an_error(tmp_path: Path, files: dict[str, str]) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    for name, text in files.items():
        (gold / name).write_text(text, "utf-8")
    write_lines(tmp_path / "run" / "facts.jsonl", [GOOD])
    with pytest.raises(FactsFileError, match="no gold fact"):
        evaluate_dirs(tmp_path / "run", gold)


@pytest.mark.parametrize(
    ("gold_rows", "message"),
    [
        pytest.param([], "no gold fact", id="empty-gold"),
        pytest.param([{**GOOD, "optional": "no"}], "a.facts.jsonl:1: not a gold fact", id="bad"),
    ],
)
def test_cli_eval_refuses_bad_gold_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], gold_rows: list[Any], message: str
) -> None:
    write_lines(tmp_path / "run" / "facts.jsonl", [GOOD])
    (tmp_path / "gold").mkdir()
    if gold_rows:
        write_lines(tmp_path / "gold" / "a.facts.jsonl", gold_rows)
    code = cli.main(["eval", str(tmp_path / "run"), str(tmp_path / "gold")])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert "error:" in captured.err and message in captured.err
