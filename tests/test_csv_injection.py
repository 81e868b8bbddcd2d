"""CSV formula injection: a text cell of facts.csv or panel.csv that a spreadsheet would
open as a formula (it begins with =, +, -, @, a tab or a carriage return) is written with a
leading ``'``, as OWASP advises; numbers stay numbers, the other formats stay exact, and
``extract eval`` reads the cells back as they were.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest

from extract.encode import FactTable
from extract.evaluate import load_run_facts
from extract.panel import PanelRow
from extract.schema import csv_escape, csv_unescape
from extract.write import DATAPACKAGE_JSON, read_facts_csv, write_panel_csv
from test_formats import make_document, make_fact, write_run

#: Texts a spreadsheet opens as a formula, and one that starts with the escape itself.
RISKY_TEXTS = [
    pytest.param("=1+1", id="equals"),
    pytest.param("+1", id="plus"),
    pytest.param("-2", id="minus"),
    pytest.param("@SUM(A1)", id="at"),
    pytest.param("\t=1", id="tab-before"),
    pytest.param("\r=1", id="carriage-return-before"),
    pytest.param("'=1", id="the-escape-itself"),
]
TEXT_FIELDS = ["indicator", "sentence", "mention", "section", "unit", "per"]


def csv_cells(text: str) -> list[list[str]]:
    """Return the cells of CSV ``text``."""
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("text", RISKY_TEXTS)
def test_formula_text_cell_gets_a_leading_quote(field: str, text: str) -> None:
    span = {"end": 8 + len(text)} if field == "mention" else {}
    fact = make_fact(**{field: text}, **span)
    text_of_row = FactTable.of([fact]).csv_text()
    assert csv_escape(text) == "'" + text
    assert csv_unescape("'" + text) == text
    if "\r" in text:  # the csv module of Python 3.11 writes a lone \r unquoted
        assert "'" + text in text_of_row
        return
    (row,) = csv_cells(text_of_row)
    assert row[fact_field_names().index(field)] == "'" + text


def fact_field_names() -> list[str]:
    from extract.models import FACT_FIELDS

    return list(FACT_FIELDS)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("新增", id="chinese"),
        pytest.param("1万人", id="digit-first"),
        pytest.param("a-b=c", id="sign-inside"),
        pytest.param(" =1", id="space-before"),
    ],
)
def test_safe_text_cell_is_unchanged(text: str) -> None:
    (row,) = csv_cells(FactTable.of([make_fact(indicator=text)]).csv_text())
    assert row[fact_field_names().index("indicator")] == text


@pytest.mark.parametrize(
    ("fields", "column", "cell"),
    [
        pytest.param(
            {"value": Decimal("2.3"), "normalized_value": Decimal("-0.023")},
            "normalized_value",
            "-0.023",
            id="negative-number-stays-a-number",
        ),
        pytest.param(
            {"value": Decimal("1"), "normalized_value": Decimal("-1E+4")},
            "normalized_value",
            "-10000",
            id="negative-whole-number",
        ),
        pytest.param({"comparator": "="}, "comparator", "'=", id="comparator-equals"),
        pytest.param({"comparator": ">="}, "comparator", ">=", id="comparator-at-least"),
    ],
)
def test_numbers_are_not_escaped_and_the_bare_equals_is(
    fields: dict[str, object], column: str, cell: str
) -> None:
    (row,) = csv_cells(FactTable.of([make_fact(**fields)]).csv_text())
    assert row[fact_field_names().index(column)] == cell


def test_run_escapes_csv_keeps_jsonl_and_eval_reads_csv_back(tmp_path: Path) -> None:
    fact = make_fact(
        indicator="=HYPERLINK(1)",
        mention="-2.3%",
        end=13,
        value=Decimal("2.3"),
        normalized_value=Decimal("-0.023"),
        comparator="=",
        qualifiers=["+同比", "累计"],
        section="@节",
    )
    document = make_document("=cmd", [fact])
    write_run(tmp_path / "csv", [document], frozenset({"csv"}))
    write_run(tmp_path / "jsonl", [document], frozenset({"jsonl"}))
    text = (tmp_path / "csv" / "facts.csv").read_text(encoding="utf-8-sig")
    assert "'=cmd," in text and ",'=HYPERLINK(1)," in text and ",-0.023," in text
    jsonl = (tmp_path / "jsonl" / "facts.jsonl").read_text(encoding="utf-8")
    assert json.loads(jsonl)["indicator"] == "=HYPERLINK(1)"
    from_csv = load_run_facts(tmp_path / "csv" / "facts.csv")
    from_jsonl = load_run_facts(tmp_path / "jsonl" / "facts.jsonl")
    assert from_csv == from_jsonl
    frame = read_facts_csv(tmp_path / "csv" / "facts.csv")
    assert frame.loc[0, "doc_id"] == "=cmd" and frame.loc[0, "comparator"] == "="
    assert frictionless.validate(tmp_path / "csv" / DATAPACKAGE_JSON).valid


def test_panel_csv_escapes_text_cells(tmp_path: Path) -> None:
    fact = make_fact(
        place="=地",
        concept="gdp_growth",
        period="2025",
        comparator="=",
        normalized_value=Decimal("-1"),
    )
    write_panel_csv(tmp_path / "panel.csv", [PanelRow(fact=fact, facts=1)])
    (header, row) = csv_cells((tmp_path / "panel.csv").read_text(encoding="utf-8-sig"))
    cells = dict(zip(header, row, strict=True))
    assert cells["place"] == "'=地" and cells["comparator"] == "'="
    assert cells["normalized_value"] == "-1"
