"""Output formats: each --format writes exactly its files, Parquet keeps exact decimals,
facts.json agrees with facts.jsonl, and datapackage.json passes ``frictionless validate``.
"""

from __future__ import annotations

import json
import sys
import tomllib
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import pyarrow.parquet as pq
import pytest
from pydantic import ValidationError

import extract.write
from extract import cli
from extract.encode import FactTable, document_json, fact_row
from extract.models import FACT_FIELDS, Document, Fact, ManifestEntry
from extract.runner import extract_paths
from extract.schema import FACT_FIELD_DOCS, datapackage_descriptor, fact_columns
from extract.write import (
    DATAPACKAGE_JSON,
    DEFAULT_FORMATS,
    FORMATS,
    STAGING_PREFIX,
    FormatError,
    OutputWriter,
    parse_formats,
)
from oracles import csv_frame, render_csv_rows, render_fact_line, visible_outputs

REPOSITORY = Path(__file__).resolve().parents[1]
#: The fact file of each format, in the registry's order.
FACT_FILES = {name: output_format.file_name for name, output_format in FORMATS.items()}
SENTENCE = "新增城镇就业人员1万人，“1612”体系,“NA”, 下降2.3%。"


def make_fact(**fields: Any) -> Fact:
    """Return a valid Fact of the mention 1万人 in ``SENTENCE``, ``fields`` overriding."""
    values: dict[str, Any] = {
        "doc_id": "a",
        "section": None,
        "mention": "1万人",
        "value": Decimal("1"),
        "unit": "万人",
        "normalized_value": Decimal("1E+4"),
        "base_unit": "人",
        "per": None,
        "comparator": ">",
        "indicator": "新增城镇就业人员",
        "qualifiers": ["新增"],
        "sentence": SENTENCE,
        "start": 8,
        "end": 11,
        "line": 1,
        "upper_value": None,
    }
    values.update(fields)
    return Fact(**values)


#: The numbers at the edges of what a Fact may hold, each stored by Parquet exactly.
EXTREME_FACTS = [
    pytest.param(make_fact(value=Decimal("0.0005"), unit="‰"), id="a-permille-fraction"),
    pytest.param(
        make_fact(
            value=Decimal("123456789012345"),
            unit="万亿元",
            normalized_value=Decimal("123456789012345E12"),
            base_unit="元",
        ),
        id="fifteen-digits-of-wanyi",
    ),
    pytest.param(
        make_fact(value=Decimal("0.333333333333333"), normalized_value=Decimal("33.3333333333333")),
        id="fifteen-digit-fraction",
    ),
    pytest.param(make_fact(normalized_value=Decimal("-2.3")), id="negative-for-a-fall"),
    pytest.param(
        make_fact(normalized_value=Decimal("3"), upper_value=Decimal("5.00")), id="range-upper"
    ),
    pytest.param(
        make_fact(value=Decimal("1E-38"), normalized_value=Decimal("1E-38")),
        id="smallest-place-allowed",
    ),
    pytest.param(
        make_fact(
            value=Decimal("999999999999999E+23"), normalized_value=Decimal("999999999999999E+23")
        ),
        id="largest-number-allowed",
    ),
]


def make_document(doc_id: str, facts: list[Fact]) -> Document:
    """Return a Document of ``doc_id`` holding ``facts``."""
    return Document(
        doc_id=doc_id,
        path=f"{doc_id}.txt",
        encoding="utf-8",
        sha256="0" * 64,
        text=SENTENCE,
        facts=[fact.model_copy(update={"doc_id": doc_id}) for fact in facts],
    )


def write_run(
    output_dir: Path, documents: list[Document], formats: frozenset[str] | None = None
) -> None:
    """Write ``documents`` to ``output_dir`` in ``formats`` (the default when None)."""
    entries = [
        ManifestEntry(path=d.path, doc_id=d.doc_id, status="ok", facts=len(d.facts))
        for d in documents
    ]
    options = {} if formats is None else {"formats": formats}
    with OutputWriter(output_dir, **options) as writer:
        for document in documents:
            writer.add_document(document)
        writer.commit(entries, totals={"files": len(entries)}, input_dir=Path("in"))


def top_level_files(folder: Path) -> set[str]:
    """Return the names of the files a reader finds directly in ``folder``."""
    return {name for name in visible_outputs(folder) if "/" not in name}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Return the objects of a .jsonl file, numbers as Decimal."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line, parse_float=Decimal, parse_int=Decimal) for line in lines]


DOCUMENTS = [
    make_document("a", [make_fact(), make_fact(qualifiers=[], indicator="NA")]),
    make_document("empty", []),
    make_document("sub/年报 b", [make_fact(per="月", upper_value=Decimal("2E+4"))]),
]


@pytest.mark.parametrize(
    ("formats", "fact_files"),
    [
        pytest.param(None, {"facts.csv", "facts.jsonl"}, id="default-is-csv-and-jsonl"),
        pytest.param({"csv"}, {"facts.csv"}, id="csv"),
        pytest.param({"jsonl"}, {"facts.jsonl"}, id="jsonl"),
        pytest.param({"json"}, {"facts.json"}, id="json"),
        pytest.param({"parquet"}, {"facts.parquet"}, id="parquet"),
        pytest.param({"csv", "parquet"}, {"facts.csv", "facts.parquet"}, id="csv-and-parquet"),
        pytest.param(set(FORMATS), set(FACT_FILES.values()), id="all"),
    ],
)
def test_each_format_choice_writes_exactly_its_files(
    tmp_path: Path, formats: set[str] | None, fact_files: set[str]
) -> None:
    write_run(tmp_path, DOCUMENTS, None if formats is None else frozenset(formats))
    written = formats or DEFAULT_FORMATS
    datapackage = {DATAPACKAGE_JSON} if "csv" in written else set()
    panel = {"panel.csv", "panel.parquet"} if "parquet" in written else {"panel.csv"}
    always = {"review.html", "manifest.json"}
    assert top_level_files(tmp_path) == fact_files | datapackage | panel | always
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == [name for name in FACT_FILES if name in written]


def test_rerun_with_other_formats_removes_the_stale_fact_files_only(tmp_path: Path) -> None:
    write_run(tmp_path, DOCUMENTS, frozenset(FORMATS))
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "facts.tsv").write_text("mine too", encoding="utf-8")
    write_run(tmp_path, DOCUMENTS, frozenset({"jsonl"}))
    assert top_level_files(tmp_path) == {
        "facts.jsonl",
        "panel.csv",
        "review.html",
        "manifest.json",
        "notes.txt",
        "facts.tsv",
    }


def test_default_csv_and_jsonl_are_the_facts_rendered_whole(tmp_path: Path) -> None:
    write_run(tmp_path, DOCUMENTS)
    facts = [fact for document in DOCUMENTS for fact in document.facts]
    jsonl = "".join(render_fact_line(fact) + "\n" for fact in facts)
    csv = csv_frame(facts).to_csv(index=False, lineterminator="\n")
    assert (tmp_path / "facts.jsonl").read_bytes() == jsonl.encode()
    assert (tmp_path / "facts.csv").read_bytes() == b"\xef\xbb\xbf" + csv.encode()


@pytest.mark.parametrize(
    "documents",
    [
        pytest.param(DOCUMENTS, id="facts-in-several-documents"),
        pytest.param([make_document("empty", [])], id="no-facts"),
    ],
)
def test_json_array_holds_the_jsonl_rows(tmp_path: Path, documents: list[Document]) -> None:
    write_run(tmp_path, documents, frozenset({"json", "jsonl"}))
    array = json.loads((tmp_path / "facts.json").read_text(encoding="utf-8"))
    lines = (tmp_path / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert array == [json.loads(line) for line in lines]
    assert len(array) == sum(len(document.facts) for document in documents)


@pytest.mark.parametrize("fact", EXTREME_FACTS)
def test_parquet_keeps_every_field_and_exact_decimals(tmp_path: Path, fact: Fact) -> None:
    write_run(tmp_path, [make_document("a", [fact])], frozenset({"parquet"}))
    (row,) = pq.read_table(tmp_path / "facts.parquet").to_pylist()
    assert list(row) == list(FACT_FIELDS)
    for name in ("value", "normalized_value", "upper_value"):
        expected = getattr(fact, name)
        assert row[name] == expected, name
        assert expected is None or isinstance(row[name], Decimal), name
    assert row == fact.model_dump()


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        pytest.param(Decimal("1E+38"), "39 digits before the point", id="one-digit-too-large"),
        pytest.param(Decimal("1E-39"), "39 after", id="one-place-too-small"),
    ],
)
def test_numbers_parquet_cannot_hold_are_refused_by_fact(number: Decimal, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        make_fact(value=number, normalized_value=number)


@pytest.mark.parametrize(
    ("number", "accepted"),
    [
        # Written plainly in at most 15 characters: accepted on its text alone.
        pytest.param(Decimal("1234567890.1234"), True, id="plain-15-characters"),
        pytest.param(Decimal("0.0000000000005"), True, id="plain-small"),
        # Longer, or in exponent notation: the digits are counted.
        pytest.param(Decimal("999999999999999E+23"), True, id="15-digits-38-places-before"),
        pytest.param(Decimal("999999999999999E+24"), False, id="15-digits-39-places-before"),
        pytest.param(Decimal("1E+37"), True, id="one-digit-38-places"),
        pytest.param(Decimal("0.999999999999999E-23"), True, id="15-digits-38-places-after"),
        pytest.param(Decimal("0.999999999999999E-24"), False, id="15-digits-39-places-after"),
        pytest.param(Decimal("1.000000000000000000"), True, id="trailing-zeros-not-significant"),
        pytest.param(Decimal("1234567890123456"), False, id="16-significant-digits"),
        pytest.param(Decimal("5E-38"), True, id="smallest-place"),
        pytest.param(Decimal("0E-50"), True, id="zero-with-a-far-exponent"),
        pytest.param(Decimal("1000E+34"), True, id="zeros-then-exponent-38-places"),
        pytest.param(Decimal("Infinity"), False, id="infinite"),
        pytest.param(Decimal("NaN"), False, id="not-a-number"),
    ],
)
def test_fact_numbers_are_judged_by_their_digits(number: Decimal, accepted: bool) -> None:
    if accepted:
        assert make_fact(value=number, normalized_value=number).value == number
    else:
        with pytest.raises(ValidationError, match=r"digits|finite"):
            make_fact(value=number, normalized_value=number)


def test_parquet_schema_is_explicit_and_row_groups_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extract.write, "PARQUET_ROW_GROUP_ROWS", 2)
    write_run(tmp_path, [*DOCUMENTS, make_document("c", [make_fact()] * 2)], frozenset({"parquet"}))
    parquet = pq.ParquetFile(tmp_path / "facts.parquet")
    assert [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)] == [
        2,
        2,
        1,
    ]
    schema = parquet.schema_arrow
    assert [str(schema.field(name).type) for name in ("value", "qualifiers", "start")] == [
        "decimal256(76, 38)",
        "list<element: string>",
        "int64",
    ]
    assert [row["doc_id"] for row in parquet.read().to_pylist()] == [
        "a",
        "a",
        "sub/年报 b",
        "c",
        "c",
    ]


def test_parquet_of_no_facts_has_the_schema_and_no_rows(tmp_path: Path) -> None:
    write_run(tmp_path, [make_document("empty", [])], frozenset({"parquet"}))
    table = pq.read_table(tmp_path / "facts.parquet")
    assert table.num_rows == 0
    assert table.column_names == list(FACT_FIELDS)


@pytest.mark.parametrize(
    ("names", "formats"),
    [
        pytest.param(["csv,parquet"], {"csv", "parquet"}, id="comma-separated"),
        pytest.param(["json", "jsonl"], {"json", "jsonl"}, id="repeated"),
        pytest.param([" CSV , jsonl,"], {"csv", "jsonl"}, id="spaces-case-and-trailing-comma"),
    ],
)
def test_format_names_are_parsed(names: list[str], formats: set[str]) -> None:
    assert parse_formats(names) == formats


@pytest.mark.parametrize(
    ("names", "message"),
    [
        pytest.param(["csv,xlsx"], "unknown output format 'xlsx'", id="unknown-name"),
        pytest.param([""], "no output format given", id="empty"),
    ],
)
def test_bad_format_names_say_which_are_allowed(names: list[str], message: str) -> None:
    with pytest.raises(FormatError, match=message) as raised:
        parse_formats(names)
    assert "choose from csv, jsonl, json, parquet" in str(raised.value)


def test_parquet_without_pyarrow_fails_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A None entry in sys.modules makes the import raise ImportError.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(FormatError) as raised:
        write_run(tmp_path / "out", DOCUMENTS, frozenset({"csv", "parquet"}))
    assert not (tmp_path / "out").exists()
    # The hint installs what the parquet extra lists, by its own name: 'extract' on PyPI
    # is another project, so 'pip install extract[parquet]' would install that.
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    (requirement,) = pyproject["project"]["optional-dependencies"]["parquet"]
    assert f"pip install '{requirement}'" in str(raised.value)
    assert "extract[" not in str(raised.value)


@pytest.mark.parametrize(
    ("arguments", "fact_files"),
    [
        pytest.param(["--format", "csv,parquet"], {"facts.csv", "facts.parquet"}, id="comma"),
        pytest.param(
            ["--format", "json", "--format", "jsonl"], {"facts.json", "facts.jsonl"}, id="repeated"
        ),
    ],
)
def test_cli_format_option_chooses_the_files(
    tmp_path: Path, arguments: list[str], fact_files: set[str]
) -> None:
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    (input_dir / "a.txt").write_text("新增公办学位1.1万个。\n", encoding="utf-8")
    assert cli.main([str(input_dir), str(tmp_path / "out"), *arguments]) == cli.EXIT_OK
    datapackage = {DATAPACKAGE_JSON} if "facts.csv" in fact_files else set()
    panel = {"panel.csv", "panel.parquet"} if "facts.parquet" in fact_files else {"panel.csv"}
    expected = fact_files | datapackage | panel | {"review.html", "manifest.json"}
    assert top_level_files(tmp_path / "out") == expected


def test_cli_unknown_format_is_a_usage_error_listing_the_formats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    code = cli.main([str(tmp_path / "in"), str(tmp_path / "out"), "--format", "csv,xls"])
    assert code == cli.EXIT_USAGE
    assert "unknown output format 'xls'; choose from csv, jsonl, json, parquet" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "out").exists()


def test_cli_help_and_readme_name_every_format() -> None:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    help_text = " ".join(cli._extract_parser().format_help().split())
    assert ", ".join(FACT_FILES) in help_text
    for file_name in FACT_FILES.values():
        assert f"| `{file_name}` |" in readme, file_name
    assert f"| `{DATAPACKAGE_JSON}` |" in readme


def test_every_fact_field_is_documented_and_described_in_the_datapackage() -> None:
    assert list(FACT_FIELD_DOCS) == list(FACT_FIELDS)
    resource, _ = datapackage_descriptor("facts.csv")["resources"]
    fields = resource["schema"]["fields"]
    assert [field["name"] for field in fields] == list(FACT_FIELDS)
    assert all(field["description"] for field in fields)


def test_required_columns_are_never_null_in_fact() -> None:
    for column in fact_columns():
        assert not (column.doc.required and column.nullable), column.name


@pytest.mark.parametrize(
    ("fields", "accepted"),
    [
        pytest.param({"place": "江西省", "place_code": "360000"}, True, id="province-code"),
        pytest.param({"place": "全国", "place_code": None}, True, id="no-code-for-the-nation"),
        pytest.param({"place_code": "36000"}, False, id="code-of-five-digits"),
        pytest.param({"place_code": "36000a"}, False, id="code-with-a-letter"),
        pytest.param({"period": "2025"}, True, id="year"),
        pytest.param({"period": "2021/2025"}, True, id="years-interval"),
        pytest.param({"period": "2025-01/2025-11"}, True, id="months-interval"),
        pytest.param({"period": "今年"}, False, id="relative-word-unresolved"),
        pytest.param({"period": "2025年"}, False, id="year-with-nian"),
        pytest.param({"status": "target", "concept": "gdp_growth"}, True, id="target-concept"),
        pytest.param({"status": "planned"}, False, id="status-outside-the-two"),
    ],
)
def test_fact_context_fields_are_checked(fields: dict[str, Any], accepted: bool) -> None:
    if accepted:
        assert make_fact(**fields).model_dump(include=set(fields)) == fields
    else:
        with pytest.raises(ValueError):
            make_fact(**fields)


def test_context_fields_default_to_unknown_and_actual() -> None:
    fact = make_fact()
    assert (fact.place, fact.place_code, fact.period, fact.status, fact.concept) == (
        None,
        None,
        None,
        "actual",
        None,
    )


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        pytest.param("place_code", "3600", id="place-code-too-short"),
        pytest.param("period", "2025年", id="period-not-iso"),
        pytest.param("status", "planned", id="status-not-in-enum"),
    ],
)
def test_frictionless_catches_a_bad_context_cell(tmp_path: Path, column: str, cell: str) -> None:
    fact = make_fact(place="江西省", place_code="360000", period="2025", status="target")
    write_run(tmp_path, [make_document("a", [fact])], frozenset({"csv"}))
    csv = tmp_path / "facts.csv"
    wrong = {"place_code": ",360000,", "period": ",2025,", "status": ",target,"}[column]
    text = csv.read_text(encoding="utf-8-sig")
    assert wrong in text
    csv.write_text(text.replace(wrong, f",{cell},"), "utf-8-sig")
    report = frictionless.validate(tmp_path / DATAPACKAGE_JSON)
    assert report.flatten(["fieldName", "type"]) == [[column, "constraint-error"]]


def make_raw_input(folder: Path, files: dict[str, str]) -> Path:
    """Return ``folder`` after writing the UTF-8 text ``files`` into it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def validate_run(input_dir: Path, output_dir: Path) -> frictionless.Report:
    """Return frictionless's report on the datapackage.json of a run over ``input_dir``."""
    extract_paths(input_dir, output_dir)
    return frictionless.validate(output_dir / DATAPACKAGE_JSON)


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(None, id="sample-reports-in-raw"),
        pytest.param(
            {
                "quotes.txt": '他说"增长5%"，"1612"体系,投资3亿元, "NA"达到20个。\n'
                "另起一行：新增公办学位1.1万个，同比增长2.3%。\n"
            },
            id="quotes-and-commas-in-sentences",
        ),
        pytest.param({"none.txt": "没有数字的报告。\n"}, id="no-facts"),
        pytest.param({}, id="no-files"),
    ],
)
def test_frictionless_validates_a_real_run(tmp_path: Path, files: dict[str, str] | None) -> None:
    input_dir = REPOSITORY / "raw" if files is None else make_raw_input(tmp_path / "in", files)
    report = validate_run(input_dir, tmp_path / "out")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_frictionless_reads_the_extreme_numbers_of_facts_csv_exactly(tmp_path: Path) -> None:
    facts = [param.values[0] for param in EXTREME_FACTS]
    write_run(tmp_path, [make_document("a", facts)], frozenset({"csv"}))
    report = frictionless.validate(tmp_path / DATAPACKAGE_JSON)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    rows = frictionless.Package(tmp_path / DATAPACKAGE_JSON).get_resource("facts").read_rows()
    numbers = ("value", "normalized_value", "upper_value")
    assert [[row[name] for name in numbers] for row in rows] == [
        [getattr(fact, name) for name in numbers] for fact in facts
    ]


def test_frictionless_catches_a_cell_of_the_wrong_type(tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    extract_paths(make_raw_input(tmp_path / "in", {"a.txt": "投资3亿元。\n"}), output_dir)
    csv = output_dir / "facts.csv"
    csv.write_text(csv.read_text(encoding="utf-8-sig").replace(",3,", ",three,"), "utf-8-sig")
    report = frictionless.validate(output_dir / DATAPACKAGE_JSON)
    assert not report.valid
    assert report.flatten(["fieldName", "type"]) == [["value", "type-error"]]


def test_frictionless_reads_typed_exact_numbers(tmp_path: Path) -> None:
    output_dir = tmp_path / "out"
    extract_paths(REPOSITORY / "raw", output_dir)
    package = frictionless.Package(output_dir / DATAPACKAGE_JSON)
    rows = package.get_resource("facts").read_rows()
    expected = read_jsonl(output_dir / "facts.jsonl")
    assert len(rows) == len(expected) > 0
    for row, want in zip(rows, expected, strict=True):
        assert row["normalized_value"] == want["normalized_value"]
        assert row["start"] == want["start"]
        assert row["qualifiers"] == (";".join(want["qualifiers"]) or None)


def _with_text(field: str, text: str) -> Fact:
    """Return a valid fact whose ``field`` is ``text`` (the mention's span follows it)."""
    if field == "mention":
        return make_fact(mention=text, end=8 + len(text))
    return make_fact(**{field: text})


#: Facts whose texts hold every character the fast renderers treat apart: quotes, the
#: CSV delimiter, line ends, HTML marks, controls, line separators, astral characters.
HOSTILE_FACTS = [
    pytest.param(_with_text(field, text), id=f"{field}-{name}")
    for field in ("mention", "indicator", "sentence", "section", "per", "unit")
    for name, text in [
        ("quote-and-comma", '他说"1,000"'),
        ("line-ends", "甲\r\n乙\r丙\n"),
        ("html-marks", "<b>&amp;</b>"),
        ("controls", "\x00\x1f\x7f\t"),
        ("line-separators", "\u2028\u2029"),
        ("astral-and-backslash", "𠀀😀\\"),
    ]
] + [pytest.param(make_fact(qualifiers=["同比", '"其中"', "a,b"]), id="qualifiers-to-quote")]


@pytest.mark.parametrize("fact", [*EXTREME_FACTS, *HOSTILE_FACTS])
def test_fact_table_renders_as_the_reference_renderers(fact: Fact) -> None:
    # FactTable writes every output from columns of text; json.dumps, the csv module and
    # pydantic are the reference, each fact also next to a plain one in the same column.
    facts = [fact, make_fact()]
    document = make_document("a", facts)
    table = FactTable.of(document.facts)
    reference_rows = [fact_row(f) for f in document.facts]
    assert table.jsonl_text() == "".join(render_fact_line(f) + "\n" for f in document.facts)
    assert table.csv_text() == render_csv_rows(reference_rows)
    assert document_json(document, table) == document.model_dump_json(indent=2)


class TsvFile(extract.write.TextFactFile):
    """facts.tsv, a format made up for the test: a header row, then each fact's fields
    separated by tabs (none of the test's texts holds a tab or a line end)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, head="\t".join(FACT_FIELDS) + "\n")

    @staticmethod
    def render(facts: Sequence[Fact], table: FactTable) -> bytes:
        cells = [
            ["" if v is None else ";".join(v) if isinstance(v, list) else str(v) for v in values]
            for values in table.values.values()
        ]
        return "".join("\t".join(row) + "\n" for row in zip(*cells, strict=True)).encode("utf-8")

    def write(self, rendered: bytes) -> None:
        self._handle.write(rendered)


def test_a_new_format_is_one_registry_entry_and_its_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The whole of adding tsv: the writer above and this one entry.
    tsv = extract.write.OutputFormat("facts.tsv", TsvFile)
    monkeypatch.setitem(extract.write.FORMATS, "tsv", tsv)
    assert parse_formats(["TSV,csv"]) == {"csv", "tsv"}
    input_dir = make_raw_input(tmp_path / "in", {"a.txt": "新增公办学位1.1万个，同比增长2.3%。\n"})
    output_dir = tmp_path / "out"
    extract_paths(input_dir, output_dir, jobs=1, formats=parse_formats(["tsv,csv"]))
    header, *rows = (output_dir / "facts.tsv").read_text(encoding="utf-8").splitlines()
    document = json.loads((output_dir / "documents" / "a.json").read_text(encoding="utf-8"))
    mention = FACT_FIELDS.index("mention")
    assert header.split("\t") == list(FACT_FIELDS)
    assert [row.split("\t")[mention] for row in rows] == ["1.1万个", "2.3%"]
    assert [row.split("\t")[mention] for row in rows] == [f["mention"] for f in document["facts"]]
    manifest = json.loads((output_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["formats"] == ["csv", "tsv"]
    # A later run without tsv removes the facts.tsv it no longer writes.
    extract_paths(input_dir, output_dir, jobs=1, formats={"jsonl"})
    assert top_level_files(output_dir) == {
        "facts.jsonl",
        "panel.csv",
        "review.html",
        "manifest.json",
    }
