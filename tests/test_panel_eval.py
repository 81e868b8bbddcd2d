"""Tests of ``extract eval --panel``: panel.csv rows against hand-made gold cells."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extract import cli
from extract.evaluate import (
    PanelFileError,
    PanelGoldCell,
    PanelPrediction,
    evaluate_panel,
    format_panel_report,
    load_panel_gold,
    score_panel,
)
from extract.panel import PANEL_FIELDS


def cell(value: float = 5.2, **fields: Any) -> dict[str, Any]:
    """Return a gold panel line: 甲省's 2025 GDP growth unless ``fields`` say otherwise."""
    row: dict[str, Any] = {
        "place": "甲省",
        "concept": "gdp_growth",
        "period": "2025",
        "status": "actual",
        "normalized_value": value,
        "base_unit": "%",
        "comparator": "=",
        "upper_value": None,
    }
    row.update(fields)
    return row


def prediction(value: float = 5.2, **fields: Any) -> PanelPrediction:
    """Return a panel.csv row, as ``cell`` makes a gold one."""
    row = {**cell(value), "sentence": "地区生产总值增长5.2%。", "line": 2}
    row.update(fields)
    row.pop("upper_value")
    return PanelPrediction(**row)


def scores(rows: list[PanelPrediction], gold: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Return (right, rows, gold cells) of ``rows`` against ``gold``."""
    overall = score_panel(rows, [PanelGoldCell.model_validate(line) for line in gold]).overall
    return overall.right, overall.rows, overall.gold


@pytest.mark.parametrize(
    ("rows", "gold", "expected"),
    [
        pytest.param([prediction()], [cell()], (1, 1, 1), id="key-value-comparator-agree"),
        pytest.param([prediction(5.2000001)], [cell()], (1, 1, 1), id="value-within-1e-6"),
        pytest.param([prediction(5.21)], [cell()], (0, 1, 1), id="value-differs"),
        pytest.param([prediction(comparator="~")], [cell()], (0, 1, 1), id="comparator-differs"),
        pytest.param([prediction(period="2026")], [cell()], (0, 1, 1), id="other-period-is-extra"),
        pytest.param([prediction(status="target")], [cell()], (0, 1, 1), id="other-status"),
        pytest.param([prediction(place=None)], [cell()], (0, 1, 1), id="unknown-place-never-right"),
        pytest.param([], [cell(), cell(concept="gdp", base_unit="元")], (0, 0, 2), id="no-rows"),
        pytest.param(
            [prediction(), prediction(6.0, place="乙省")],
            [cell(), cell(6.0, place="乙省"), cell(4.0, place="丙省")],
            (2, 2, 3),
            id="recall-over-gold-cells",
        ),
    ],
)
def test_panel_rows_are_right_by_key_value_and_comparator(
    rows: list[PanelPrediction], gold: list[dict[str, Any]], expected: tuple[int, int, int]
) -> None:
    assert scores(rows, gold) == expected


def test_precision_over_rows_recall_over_cells_by_place() -> None:
    gold = [cell(), cell(6.0, place="乙省"), cell(5.0, status="target", period="2026")]
    rows = [prediction(), prediction(6.5, place="乙省"), prediction(1.0, concept="cpi")]
    report = score_panel(rows, [PanelGoldCell.model_validate(line) for line in gold])
    assert [score.place for score in report.places] == ["乙省", "甲省"]
    first, second = report.places
    assert (str(first.precision), str(first.recall)) == ("0.000 (0/1)", "0.000 (0/1)")
    assert (str(second.precision), str(second.recall)) == ("0.500 (1/2)", "0.500 (1/2)")
    assert [cell.key for cell in second.misses] == [("甲省", "gdp_growth", "2026", "target")]
    assert [row.concept for row in second.extras] == ["cpi"]
    assert [(c.normalized_value, r.normalized_value) for c, r in first.wrong] == [(6.0, 6.5)]
    assert first.misses == []  # a wrong row's cell is listed once, as wrong


def write_gold(folder: Path, lines: list[Any], name: str = "甲省_2026") -> Path:
    """Write ``lines`` (JSON values, or raw text) as a gold panel file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    (folder / f"{name}.panel.jsonl").write_text(text + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        pytest.param(["{not json"], ":1: not valid JSON", id="bad-json"),
        pytest.param([[1, 2]], ":1: not a gold panel cell", id="not-an-object"),
        pytest.param([cell(normalized_value="5.2")], "normalized_value", id="value-as-string"),
        pytest.param([cell(normalized_value=True)], "normalized_value", id="value-as-boolean"),
        pytest.param([cell(comparator="≈")], "comparator", id="unknown-comparator"),
        pytest.param([cell(status="plan")], "status", id="unknown-status"),
        pytest.param([cell(period="2025年")], "period", id="period-not-iso"),
        pytest.param([cell(place="")], "place", id="empty-place"),
        pytest.param(
            [{k: v for k, v in cell().items() if k != "concept"}], "concept", id="missing-concept"
        ),
        pytest.param(
            [cell(), "", cell(6.0)],
            ":3: the cell 甲省 / gdp_growth / 2025 / actual is given twice",
            id="key-twice",
        ),
        pytest.param([], "no gold panel cell", id="empty-gold-set"),
    ],
)
def test_gold_panel_files_are_validated_strictly(
    tmp_path: Path, lines: list[Any], message: str
) -> None:
    folder = write_gold(tmp_path / "gold", lines)
    with pytest.raises(PanelFileError, match=None) as raised:
        load_panel_gold(folder)
    assert message in str(raised.value)
    if lines:
        assert "甲省_2026.panel.jsonl" in str(raised.value)


def test_gold_notes_are_read_and_left_alone(tmp_path: Path) -> None:
    folder = write_gold(tmp_path / "gold", [cell(line=12, evidence="增长5.2%", average=True)])
    (gold,) = load_panel_gold(folder)
    assert (gold.key, gold.evidence) == (("甲省", "gdp_growth", "2025", "actual"), "增长5.2%")


def write_panel(folder: Path, rows: list[list[str]]) -> Path:
    """Write a panel.csv of ``rows`` (cells in ``PANEL_FIELDS`` order) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [",".join(PANEL_FIELDS), *(",".join(row) for row in rows)]
    (folder / "panel.csv").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return folder


ROW_JIA = [
    "甲省",
    "",
    "gdp_growth",
    "2025",
    "actual",
    "5.2",
    "%",
    "=",
    "",
    "%",
    "a",
    "3",
    "增长5.2%。",
    "1",
]
ROW_EXTRA = [
    "甲省",
    "",
    "cpi",
    "2025",
    "actual",
    "0.1",
    "%",
    "=",
    "",
    "%",
    "a",
    "9",
    "上涨0.1%。",
    "1",
]


def test_evaluate_panel_reads_panel_csv_and_gold_folder(tmp_path: Path) -> None:
    out = write_panel(tmp_path / "out", [ROW_JIA, ROW_EXTRA])
    gold = write_gold(tmp_path / "gold", [cell(), cell(5.0, status="target", period="2026")])
    report = evaluate_panel(out, gold)
    assert (report.overall.right, report.overall.rows, report.overall.gold) == (1, 2, 2)
    text = format_panel_report(report, list_errors=True)
    assert text.splitlines()[0].split() == ["panel", "rows", "gold", "right", "precision", "recall"]
    overall = next(line for line in text.splitlines() if line.startswith("overall"))
    assert overall.split() == ["overall", "2", "2", "1", "0.500", "(1/2)", "0.500", "(1/2)"]
    assert "- gdp_growth 2026 target: = 5 %" in text
    assert "+ cpi 2025 actual: = 0.1 % | panel.csv line 3 | sentence 上涨0.1%。" in text
    assert "== 甲省 ==" not in format_panel_report(report)


def test_panel_csv_with_a_bad_value_is_named(tmp_path: Path) -> None:
    out = write_panel(tmp_path / "out", [[*ROW_JIA[:5], "five", *ROW_JIA[6:]]])
    with pytest.raises(PanelFileError, match=r"panel.csv:2: normalized_value must be a number"):
        evaluate_panel(out, write_gold(tmp_path / "gold", [cell()]))


@pytest.mark.parametrize(
    ("arguments", "code", "shown"),
    [
        pytest.param(["--panel", "GOLD"], cli.EXIT_OK, ["panel ", "0.500 (1/2)"], id="panel-alone"),
        pytest.param(["FACTS", "--panel", "GOLD"], cli.EXIT_OK, ["document ", "panel "], id="both"),
        pytest.param([], cli.EXIT_USAGE, [], id="neither"),
        pytest.param(["--panel", "EMPTY"], cli.EXIT_USAGE, [], id="empty-gold-panel"),
    ],
)
def test_cli_eval_panel(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    code: int,
    shown: list[str],
) -> None:
    out = write_panel(tmp_path / "out", [ROW_JIA, ROW_EXTRA])
    (out / "facts.jsonl").write_text("", encoding="utf-8")
    folders = {
        "GOLD": write_gold(tmp_path / "gold", [cell(), cell(5.0, status="target", period="2026")]),
        "FACTS": tmp_path / "facts-gold",
        "EMPTY": tmp_path / "empty",
    }
    folders["FACTS"].mkdir()
    # An empty gold fact folder is an error: one gold fact, which the empty run misses.
    (folders["FACTS"] / "a.facts.jsonl").write_text('{"normalized_value": 1}\n', "utf-8")
    folders["EMPTY"].mkdir()
    argv = ["eval", str(out), *(str(folders.get(a, a)) for a in arguments)]
    assert cli.main(argv) == code
    captured = capsys.readouterr()
    for text in shown:
        assert text in captured.out
    if code != cli.EXIT_OK:
        assert captured.out == ""
        assert "error:" in captured.err
