"""Tests of the scorer: one FACTS.md scoring rule a row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extract.evaluate import (
    DocScore,
    EvalReport,
    FactsFileError,
    evaluate_dirs,
    format_report,
    indicator_f1,
    load_facts_jsonl,
    normalize_unit,
    score_document,
)

SHARED_GOLD = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gold"


def fact(
    value: float,
    unit: str = "个",
    base_unit: str | None = None,
    *,
    indicator: str = "项目",
    doc_id: str = "doc",
    **fields: Any,
) -> dict[str, Any]:
    """Return a fact row with the FACTS.md fields; ``normalized_value`` is ``value``."""
    row: dict[str, Any] = {
        "doc_id": doc_id,
        "section": None,
        "mention": f"{abs(value):g}{unit}",
        "value": abs(value),
        "unit": unit,
        "normalized_value": value,
        "base_unit": unit if base_unit is None else base_unit,
        "per": None,
        "comparator": "=",
        "indicator": indicator,
    }
    row.update(fields)
    return row


def optional(value: float, unit: str = "个", **fields: Any) -> dict[str, Any]:
    """Return a gold fact marked optional."""
    return fact(value, unit, optional=True, **fields)


def counts(score: DocScore) -> tuple[int, int, int, int]:
    """Return (tp, fp, fn, ignored)."""
    return (score.tp, score.fp, score.fn, score.ignored)


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` one JSON object a line and return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        pytest.param([fact(11)], [fact(11)], (1, 0, 0, 0), id="exact-match"),
        pytest.param([fact(11)], [fact(12)], (0, 1, 1, 0), id="different-value-no-match"),
        pytest.param(
            [fact(2.3, "%")], [fact(-2.3, "%")], (1, 0, 0, 0), id="magnitude-match-despite-sign"
        ),
        pytest.param(
            [fact(3650000000 * (1 + 9e-7), "亿元", "元")],
            [fact(3650000000, "亿元", "元")],
            (1, 0, 0, 0),
            id="within-1e-6-relative",
        ),
        pytest.param(
            [fact(3650000000 * (1 + 2e-6), "亿元", "元")],
            [fact(3650000000, "亿元", "元")],
            (0, 1, 1, 0),
            id="beyond-1e-6-relative",
        ),
        pytest.param([fact(0, "%")], [fact(0, "%")], (1, 0, 0, 0), id="zero-matches-zero"),
        pytest.param([fact(5, "%")], [fact(5, "％")], (1, 0, 0, 0), id="unit-full-width-folded"),
        pytest.param(
            [fact(5, "套")], [fact(5, "套（间）")], (1, 0, 0, 0), id="unit-parenthesised-variant"
        ),
        pytest.param(
            [fact(5, "套(间)")], [fact(5, "套")], (1, 0, 0, 0), id="unit-half-width-parentheses"
        ),
        pytest.param([fact(5, "个")], [fact(5, "项")], (0, 1, 1, 0), id="base-unit-differs"),
        pytest.param(
            [fact(430000, "万名", "名")],
            [fact(430000, "万", "人")],
            (1, 0, 0, 0),
            id="multiplier-only-gold-unit-matches-on-value",
        ),
        pytest.param(
            [fact(3e12, "万亿美元", "美元")],
            [fact(3e12, "万亿", "元")],
            (1, 0, 0, 0),
            id="multiplier-only-gold-unit-wan-yi",
        ),
        pytest.param(
            [fact(3e12, "萬億美元", "美元")],
            [fact(3e12, "萬億", "元")],
            (1, 0, 0, 0),
            id="multiplier-only-gold-unit-traditional",
        ),
        pytest.param(
            [fact(3000, "仟元", "元")],
            [fact(3000, "仟", "元")],
            (1, 0, 0, 0),
            id="multiplier-only-gold-unit-financial",
        ),
        pytest.param(
            [fact(1, "位")],
            [fact(1, "", "位")],
            (1, 0, 0, 0),
            id="empty-gold-unit-matches-on-value",
        ),
        pytest.param(
            [fact(430000, "万", "人")],
            [fact(430000, "万元", "元")],
            (0, 1, 1, 0),
            id="multiplier-only-predicted-unit-still-needs-base-unit",
        ),
        pytest.param([fact(5)], [optional(5)], (0, 0, 0, 1), id="optional-gold-ignored"),
        pytest.param([], [optional(5)], (0, 0, 0, 0), id="optional-gold-not-in-recall"),
        pytest.param(
            [fact(5), fact(5)], [optional(5)], (0, 1, 0, 1), id="optional-gold-absorbs-once"
        ),
        pytest.param(
            [fact(5)],
            [optional(5), fact(5)],
            (1, 0, 0, 0),
            id="non-optional-gold-matched-first",
        ),
        pytest.param([fact(5), fact(5)], [fact(5)], (1, 1, 0, 0), id="gold-matched-at-most-once"),
        pytest.param(
            [fact(5)], [fact(5), fact(5)], (1, 0, 1, 0), id="prediction-matched-at-most-once"
        ),
        pytest.param(
            # Greedy alone pairs 人 with the 万 gold (same indicator) and strands
            # the 人 gold; an augmenting path moves the 万 gold to 名.
            [fact(50000, "人", indicator="就业"), fact(50000, "名", indicator="培训")],
            [fact(50000, "万", "人", indicator="就业"), fact(50000, "人", indicator="参保")],
            (2, 0, 0, 0),
            id="matches-maximised-over-indicator-similarity",
        ),
        pytest.param([], [], (0, 0, 0, 0), id="empty-inputs"),
        pytest.param([fact(5)], [], (0, 1, 0, 0), id="no-gold-all-extras"),
        pytest.param([], [fact(5)], (0, 0, 1, 0), id="no-predictions-all-misses"),
    ],
)
def test_detection(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]], expected: tuple[int, ...]
) -> None:
    assert counts(score_document(predicted, gold)) == expected


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        pytest.param([], [], (1.0, 1.0, 1.0), id="nothing-expected-nothing-predicted"),
        pytest.param([], [fact(5)], (1.0, 0.0, 0.0), id="nothing-predicted"),
        pytest.param([fact(5)], [], (0.0, 1.0, 0.0), id="nothing-expected"),
        pytest.param(
            [fact(1), fact(2), fact(3), fact(9)],
            [fact(1), fact(2), fact(3), fact(4), fact(5), fact(6)],
            (0.75, 0.5, 0.6),
            id="precision-recall-f1",
        ),
    ],
)
def test_precision_recall_f1(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]], expected: tuple[float, ...]
) -> None:
    score = score_document(predicted, gold)
    assert (score.precision, score.recall, score.f1) == pytest.approx(expected)


def test_equal_values_pair_by_indicator() -> None:
    gold = [fact(5, indicator="新建学校"), fact(5, indicator="改造医院")]
    predicted = [fact(5, indicator="改造医院"), fact(5, indicator="新建学校")]
    score = score_document(predicted, gold)
    assert (score.tp, score.indicator.correct, score.indicator.total) == (2, 2, 2)


def test_equal_facts_pair_by_section() -> None:
    gold = [fact(5, section="甲"), fact(5, section="乙")]
    predicted = [fact(5, section="丙"), fact(5, section="甲"), fact(5, section="乙")]
    score = score_document(predicted, gold)
    assert (score.tp, score.fp, score.section.correct) == (2, 1, 2)
    assert score.extras[0]["section"] == "丙"


# ---------------------------------------------------------------- indicator


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        pytest.param("城镇失业率", "城镇失业率", 1.0, id="identical"),
        pytest.param("“三服务”问题解决率", "三服务问题解决率", 1.0, id="quotes-ignored"),
        pytest.param("《城镇》、失业率。", "城镇失业率", 1.0, id="cjk-punctuation-ignored"),
        pytest.param("(GDP)增长", "GDP增长", 1.0, id="ascii-punctuation-ignored"),
        pytest.param("减负", "减负降费", 2 / 3, id="partial"),
        pytest.param("", "", 1.0, id="both-empty"),
        pytest.param("", "减负", 0.0, id="one-empty"),
        pytest.param("增长增长", "增长", 2 / 3, id="multiset-not-set"),
    ],
)
def test_indicator_f1(predicted: str, gold: str, expected: float) -> None:
    assert indicator_f1(predicted, gold) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("predicted", "correct"),
    [
        # gold 城镇失业率 has 5 characters; 城镇失 are shared.
        pytest.param("城镇失调", 1, id="just-above-threshold"),  # F1 2*3/9 = 0.667
        pytest.param("“城镇失”调查", 1, id="at-threshold-quotes-ignored"),  # F1 6/10 = 0.6
        pytest.param("城镇失调查数", 0, id="just-below-threshold"),  # F1 6/11 = 0.545
    ],
)
def test_indicator_threshold(predicted: str, correct: int) -> None:
    score = score_document([fact(5, indicator=predicted)], [fact(5, indicator="城镇失业率")])
    assert (score.indicator.correct, score.indicator.total) == (correct, 1)


# ---------------------------------------------------------------- field accuracies


@pytest.mark.parametrize(
    ("field", "predicted", "gold", "correct"),
    [
        pytest.param("comparator", ">=", ">=", 1, id="comparator-equal"),
        pytest.param("comparator", ">", ">=", 0, id="comparator-differs"),
        pytest.param("section", "稳进提质", "稳进提质", 1, id="section-equal"),
        pytest.param("section", None, None, 1, id="section-none-equals-none"),
        pytest.param("section", "稳进提质", None, 0, id="section-differs"),
        pytest.param("per", "月", "月", 1, id="per-equal"),
        pytest.param("per", None, None, 1, id="per-none-equals-none"),
        pytest.param("per", None, "周", 0, id="per-missing"),
    ],
)
def test_field_accuracy(field: str, predicted: Any, gold: Any, correct: int) -> None:
    score = score_document([fact(5, **{field: predicted})], [fact(5, **{field: gold})])
    ratio = getattr(score, field)
    assert (ratio.correct, ratio.total) == (correct, 1)


@pytest.mark.parametrize(
    ("field", "predicted", "gold", "correct", "total"),
    [
        pytest.param("place", "江西省", "江西省", 1, 1, id="place-equal"),
        pytest.param("place", "南昌市", "江西省", 0, 1, id="place-differs"),
        pytest.param("place", None, None, 1, 1, id="place-unknown-equals-unknown"),
        pytest.param("period", "2021/2025", "2021/2025", 1, 1, id="period-interval-equal"),
        pytest.param("period", "2025", "2021/2025", 0, 1, id="period-year-for-interval"),
        pytest.param("status", "target", "target", 1, 1, id="status-equal"),
        pytest.param("status", "actual", "target", 0, 1, id="status-differs"),
        pytest.param("concept", "gdp_growth", "gdp_growth", 1, 1, id="concept-equal"),
        pytest.param("concept", "gdp_growth", None, 0, 1, id="concept-where-gold-has-none"),
    ],
)
def test_context_accuracy(field: str, predicted: Any, gold: Any, correct: int, total: int) -> None:
    score = score_document([fact(5, **{field: predicted})], [fact(5, **{field: gold})])
    ratio = getattr(score, field)
    assert (ratio.correct, ratio.total) == (correct, total)
    pair_failed = score.pairs[0].failed
    assert (field in pair_failed) == (correct == 0)


@pytest.mark.parametrize("field", ["place", "period", "status", "concept"])
def test_context_field_absent_from_gold_is_not_scored(field: str) -> None:
    score = score_document([fact(5, **{field: "x"})], [fact(5)])
    assert (getattr(score, field).total, score.pairs[0].failed) == (0, [])


def test_context_columns_in_the_report() -> None:
    report = EvalReport(
        documents=[score_document([fact(5, place="甲", status="target")], [fact(5, place="乙")])]
    )
    header, _, overall = format_report(report).splitlines()[:3]
    assert header.split()[-4:] == ["place", "period", "status", "concept"]
    assert overall.split()[-8:] == ["0.000", "(0/1)", "-", "(0/0)", "-", "(0/0)", "-", "(0/0)"]
    assert report.place == 0.0 and report.status == 1.0
    assert "place: gold 乙 / predicted 甲" in format_report(report, list_errors=True)


def test_field_accuracies_count_only_non_optional_pairs() -> None:
    score = score_document([fact(5, comparator=">")], [optional(5)])
    assert (score.comparator.total, score.indicator.total) == (0, 0)


@pytest.mark.parametrize(
    ("predicted", "gold", "expected"),
    [
        pytest.param(-2.3, -2.3, (1, 1), id="negative-predicted-negative"),
        pytest.param(2.3, -2.3, (0, 1), id="fall-predicted-positive"),
        pytest.param(-2.3, 2.3, (0, 0), id="positive-gold-not-scored"),
        pytest.param(2.3, 2.3, (0, 0), id="rise-not-scored"),
    ],
)
def test_sign_accuracy(predicted: float, gold: float, expected: tuple[int, int]) -> None:
    score = score_document([fact(predicted, "%")], [fact(gold, "%")])
    assert (score.sign.correct, score.sign.total) == expected
    assert score.tp == 1


# ---------------------------------------------------------------- folders


def test_evaluate_dirs_missing_and_unscored_documents(tmp_path: Path) -> None:
    gold_dir, run_dir = tmp_path / "gold", tmp_path / "run"
    write_jsonl(gold_dir / "a.facts.jsonl", [fact(1, doc_id="a"), fact(2, doc_id="a")])
    write_jsonl(gold_dir / "sub" / "b.facts.jsonl", [fact(3, doc_id="sub/b")])
    write_jsonl(
        run_dir / "facts.jsonl",
        [fact(1, doc_id="a"), fact(3, doc_id="sub/b"), fact(7, doc_id="stray")],
    )
    report = evaluate_dirs(run_dir, gold_dir)
    assert [doc.doc_id for doc in report.documents] == ["a", "sub/b"]
    assert counts(report.documents[0]) == (1, 0, 1, 0)
    assert report.unscored == ["stray"]
    assert report.missing == []
    assert (report.precision, report.recall) == pytest.approx((1.0, 2 / 3))


def test_evaluate_dirs_document_without_predictions_is_all_misses(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "gold" / "a.facts.jsonl", [fact(1, doc_id="a"), fact(2, doc_id="a")])
    write_jsonl(tmp_path / "run" / "facts.jsonl", [])
    report = evaluate_dirs(tmp_path / "run", tmp_path / "gold")
    assert counts(report.documents[0]) == (0, 0, 2, 0)
    assert report.missing == ["a"]
    assert (report.recall, report.f1) == (0.0, 0.0)


def test_evaluate_dirs_micro_averages(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "gold" / "a.facts.jsonl", [fact(1, doc_id="a")])
    write_jsonl(tmp_path / "gold" / "b.facts.jsonl", [fact(n, doc_id="b") for n in (1, 2, 3)])
    write_jsonl(
        tmp_path / "run" / "facts.jsonl",
        [fact(1, doc_id="a", comparator=">"), *(fact(n, doc_id="b") for n in (1, 2, 3))],
    )
    report = evaluate_dirs(tmp_path / "run", tmp_path / "gold")
    assert report.comparator == pytest.approx(3 / 4)  # a macro average would give 0.5
    assert (report.overall.comparator.correct, report.overall.comparator.total) == (3, 4)


def test_evaluate_dirs_nothing_required_and_nothing_found(tmp_path: Path) -> None:
    # Only an optional gold fact: nothing is required, so nothing found scores 1.0 (an
    # empty gold folder is an error, test_gold_files.py).
    write_jsonl(tmp_path / "gold" / "doc.facts.jsonl", [optional(5)])
    write_jsonl(tmp_path / "run" / "facts.jsonl", [])
    report = evaluate_dirs(tmp_path / "run", tmp_path / "gold")
    assert (report.precision, report.recall, report.f1, report.sign) == (1.0, 1.0, 1.0, 1.0)
    assert "overall" in format_report(report, list_errors=True)
    json.dumps(report.to_dict())


def test_evaluate_dirs_accepts_the_facts_file_itself(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "gold" / "a.facts.jsonl", [fact(1, doc_id="a")])
    facts = write_jsonl(tmp_path / "run" / "facts.jsonl", [fact(1, doc_id="a")])
    assert evaluate_dirs(facts, tmp_path / "gold").f1 == 1.0


#: Two reports whose facts cover a range, a negative value, qualifiers and no section.
RUN_REPORTS = {
    "a.txt": "新增公办学位1.1万个，投资3亿至5亿元。\n",
    "sub/b.txt": "一、经济运行\n全市进出口总额同比下降2.5%，累计增长约5%。\n",
}


@pytest.mark.parametrize("formats", [["csv"], ["json"], ["csv", "json"]])
def test_evaluate_dirs_reads_a_run_without_facts_jsonl(tmp_path: Path, formats: list[str]) -> None:
    from extract import extract_paths

    for name, text in RUN_REPORTS.items():
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    extract_paths(tmp_path / "in", tmp_path / "jsonl", jobs=1, formats=["jsonl"])
    extract_paths(tmp_path / "in", tmp_path / "other", jobs=1, formats=formats)
    rows = (tmp_path / "jsonl" / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    for doc_id in ("a", "sub/b"):  # the run's own facts as gold: every field must agree
        gold = [row for row in rows if json.loads(row)["doc_id"] == doc_id]
        (tmp_path / "gold" / f"{doc_id}.facts.jsonl").parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "gold" / f"{doc_id}.facts.jsonl").write_text("\n".join(gold), "utf-8")
    expected = evaluate_dirs(tmp_path / "jsonl", tmp_path / "gold").to_dict()
    assert evaluate_dirs(tmp_path / "other", tmp_path / "gold").to_dict() == expected
    assert expected["overall"]["f1"] == 1.0


def test_evaluate_dirs_without_facts_file(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    with pytest.raises(FileNotFoundError, match=r"facts\.jsonl"):
        evaluate_dirs(tmp_path / "run", tmp_path / "gold")


# ---------------------------------------------------------------- loading


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param('{"normalized_value": 1}\n{"normalized_value": \n', r":2: not valid JSON",
                     id="malformed-json"),
        pytest.param('{"normalized_value": 1}\n\n[1, 2]\n', r":3: expected a JSON object",
                     id="not-an-object-after-blank-line"),
        pytest.param('{"normalized_value": "1"}\n', r":1: normalized_value must be a number",
                     id="value-not-a-number"),
    ],
)  # fmt: skip
def test_load_facts_jsonl_errors_name_file_and_line(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "a.facts.jsonl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactsFileError, match=rf"a\.facts\.jsonl{message}"):
        load_facts_jsonl(path)


def test_load_facts_jsonl_reads_bom_and_skips_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.facts.jsonl"
    path.write_text('{"normalized_value": 1}\n\n{"normalized_value": 2}\n', encoding="utf-8-sig")
    assert [row["normalized_value"] for row in load_facts_jsonl(path)] == [1, 2]


def test_malformed_prediction_line_is_named(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "facts.jsonl").write_text('{"doc_id": "a"}\n{oops\n', encoding="utf-8")
    with pytest.raises(FactsFileError, match=r"facts\.jsonl:2: not valid JSON"):
        evaluate_dirs(tmp_path / "run", tmp_path / "gold")


def test_prediction_without_doc_id_is_named(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    write_jsonl(tmp_path / "run" / "facts.jsonl", [{"normalized_value": 1}])
    with pytest.raises(FactsFileError, match=r"facts\.jsonl:1: missing field doc_id"):
        evaluate_dirs(tmp_path / "run", tmp_path / "gold")


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        pytest.param("套（间）", "套", id="full-width-parentheses"),
        pytest.param("套(间)", "套", id="half-width-parentheses"),
        pytest.param("％", "%", id="full-width-percent"),
        pytest.param("亿元", "亿元", id="unchanged"),
        pytest.param(None, "", id="none"),
    ],
)
def test_normalize_unit(unit: str | None, expected: str) -> None:
    assert normalize_unit(unit) == expected


# ---------------------------------------------------------------- report


def sample_report() -> EvalReport:
    """Return a report with one miss, one extra and one mismatched pair."""
    gold = [
        fact(1, "个", indicator="新建学校", sentence="新建学校1个。"),
        fact(36.5e8, "亿元", "元", indicator="减负降费", comparator=">"),
        fact(-2.3, "%", indicator="能耗"),
    ]
    predicted = [
        fact(36.5e8, "亿元", "元", indicator="减负降费"),
        fact(-2.3, "%", indicator="能耗"),
        fact(9, "项", indicator="多余"),
    ]
    return EvalReport(documents=[score_document(predicted, gold, doc_id="报告/甲")])


def test_format_report_shows_shares_with_counts() -> None:
    text = format_report(sample_report())
    assert "0.667 (2/3)" in text  # precision and recall
    assert "0.500 (1/2)" in text  # comparator
    assert "1.000 (1/1)" in text  # sign
    assert "报告/甲" in text
    assert "新建学校" not in text  # errors only on request


def test_format_report_lists_errors() -> None:
    text = format_report(sample_report(), list_errors=True)
    assert "新建学校1个。" in text  # the miss, with its sentence
    assert "多余" in text  # the extra
    assert "comparator: gold > / predicted =" in text  # the mismatched pair


def test_report_attributes_and_json() -> None:
    report = sample_report()
    assert (report.precision, report.recall, report.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert (report.indicator, report.comparator, report.section, report.per, report.sign) == (
        pytest.approx((1.0, 0.5, 1.0, 1.0, 1.0))
    )
    dumped = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert dumped["overall"]["comparator"] == {"value": 0.5, "correct": 1, "total": 2}
    assert dumped["documents"][0]["misses"][0]["indicator"] == "新建学校"
    assert dumped["documents"][0]["mismatched"][0]["failed"] == ["comparator"]


# ---------------------------------------------------------------- shared gold


@pytest.mark.skipif(not SHARED_GOLD.is_dir(), reason="../shared/corpus/gold is absent")
def test_shared_gold_scores_perfect_against_itself(tmp_path: Path) -> None:
    rows = []
    for path in sorted(SHARED_GOLD.rglob("*.facts.jsonl")):
        doc_id = path.relative_to(SHARED_GOLD).as_posix().removesuffix(".facts.jsonl")
        rows += [{**row, "doc_id": doc_id} for row in load_facts_jsonl(path)]
    write_jsonl(tmp_path / "facts.jsonl", rows)
    report = evaluate_dirs(tmp_path, SHARED_GOLD)
    assert report.documents
    assert report.unscored == []
    figures = ("precision", "recall", "f1", "indicator", "comparator", "section", "per", "sign")
    assert {name: getattr(report, name) for name in figures} == dict.fromkeys(figures, 1.0)
    assert report.overall.fp == 0
