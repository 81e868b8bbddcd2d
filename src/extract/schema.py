"""Column documentation of the fact files: what each column means, its type and dtype.

The one source of the column descriptions in datapackage.json (the Frictionless Data
Package describing facts.csv) and of the Arrow schema of facts.parquet. Nothing here
writes a file: ``write.py`` does, from the texts and schemas made here.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .models import (
    FACT_FIELDS,
    MAX_DECIMAL_PLACES,
    MAX_INTEGER_DIGITS,
    PERIOD_PATTERN,
    PLACE_CODE_PATTERN,
    Fact,
)

if TYPE_CHECKING:
    # pyarrow takes long to import: it is imported where first needed.
    import pyarrow as pa


#: Separator of the ``qualifiers`` list inside one CSV cell.
QUALIFIER_SEPARATOR = ";"

#: The first characters that make a spreadsheet (Excel, LibreOffice) read a cell as a
#: formula, a tab or carriage return before one of them included, and the escape itself.
#: A text cell of facts.csv or panel.csv starting with one of them gets a leading ``'``
#: (OWASP's advice on CSV injection); numbers are never escaped (docs/outputs.md).
CSV_ESCAPED_STARTS = frozenset("=+-@\t\r'")
CSV_ESCAPE = "'"


def csv_escape(text: str) -> str:
    """Return text cell ``text`` as facts.csv holds it: ``'`` before a formula's start.

    >>> csv_escape("=1+1"), csv_escape("-2"), csv_escape("'a"), csv_escape("新增")
    ("'=1+1", "'-2", "''a", '新增')
    """
    return CSV_ESCAPE + text if text[:1] in CSV_ESCAPED_STARTS else text


def csv_unescape(cell: str) -> str:
    """Return the text of a facts.csv text cell: ``csv_escape`` undone.

    >>> csv_unescape("'=1+1"), csv_unescape("''a"), csv_unescape("新增")
    ('=1+1', "'a", '新增')
    """
    if cell[:1] == CSV_ESCAPE and cell[1:2] in CSV_ESCAPED_STARTS:
        return cell[1:]
    return cell


#: The dtypes ``write.read_facts_csv`` gives each column of facts.csv (docs/outputs.md).
#: Text is pandas' nullable ``string``; numbers are ``float64`` (NaN when null), offsets
#: and line numbers ``int64``. Stated explicitly because inference depends on the data
#: (a column with no value at all would come back as float64) and on the pandas version.
FACTS_CSV_DTYPES: dict[str, str] = {
    "doc_id": "string",
    "section": "string",
    "mention": "string",
    "value": "float64",
    "unit": "string",
    "normalized_value": "float64",
    "base_unit": "string",
    "per": "string",
    "comparator": "string",
    "indicator": "string",
    "qualifiers": "string",
    "sentence": "string",
    "start": "int64",
    "end": "int64",
    "line": "int64",
    "upper_value": "float64",
    "place": "string",
    "place_code": "string",
    "period": "string",
    "status": "string",
    "concept": "string",
}


def _anchorless(pattern: str) -> str:
    """Return a Python ``^…$`` pattern without its anchors: Frictionless patterns (XML
    Schema regular expressions) always match the whole value.

    >>> _anchorless("^[0-9]{6}$")
    '[0-9]{6}'
    """
    return pattern.removeprefix("^").removesuffix("$")


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class FieldDoc:
    """What one column of the fact files means, for datapackage.json and facts.parquet."""

    description: str
    #: Never empty: facts.csv has a value in every row (``required`` in datapackage.json).
    required: bool = False
    #: Smallest allowed value of a number.
    minimum: int | None = None
    #: Regular expression a text value must match (XML Schema style, as Frictionless asks).
    pattern: str | None = None


#: The meaning of each ``Fact`` field, the one source of the column descriptions in
#: datapackage.json and facts.parquet (docs/outputs.md and docs/facts.md say the same in prose).
FACT_FIELD_DOCS: dict[str, FieldDoc] = {
    "doc_id": FieldDoc(
        "Input file's path relative to the input folder, without extension, '/'-separated.",
        required=True,
    ),
    "section": FieldDoc(
        "Section header the fact sits under (关键词 header or numbered heading); empty when none."
    ),
    "mention": FieldDoc(
        "The number and unit exactly as in the document's cleaned text, without "
        "comparator words (1万人).",
        required=True,
    ),
    "value": FieldDoc(
        "The number as written (36.5 for 36.5亿元); its unit is in the column unit.",
        required=True,
        minimum=0,
    ),
    "unit": FieldDoc("Unit as written, with its multiplier (亿元; 万 alone for 惠及43万儿童)."),
    "normalized_value": FieldDoc(
        "Value in base_unit: multipliers applied (36.5亿元 → 3650000000), 成 and 百分之 as %; "
        "negative for a fall (下降2.3% → -2.3).",
        required=True,
    ),
    "base_unit": FieldDoc(
        "Unit of normalized_value and upper_value, without multiplier (元, 人, %, 个百分点); "
        "empty when the text names none (踏上3万亿)."
    ),
    "per": FieldDoc("Rate denominator (月 for 每月290元); empty when none."),
    "comparator": FieldDoc(
        "How the stated quantity relates to the value: = (达, 为), > (超, 逾), "
        ">= (以上), < (不足), <= (以下, 以内) or ~ (约, 左右).",
        required=True,
    ),
    "indicator": FieldDoc(
        "The shortest phrase of the sentence naming what is measured (新增城镇就业人员); "
        "empty when none was found."
    ),
    "qualifiers": FieldDoc(
        "Context words that change the reading (累计, 新增, 同比, 预期); in facts.csv "
        f"joined with '{QUALIFIER_SEPARATOR}' (累计;同比) and empty when none; "
        "a list elsewhere."
    ),
    "sentence": FieldDoc(
        "The cleaned sentence holding the mention (in text without punctuation, the 100 "
        "characters on each side of it, marked with …).",
        required=True,
    ),
    "start": FieldDoc(
        "Offset in characters of the mention in the document's cleaned text "
        "(the text of documents/DOC_ID.json).",
        required=True,
        minimum=0,
    ),
    "end": FieldDoc(
        "Offset just after the mention; end - start is the mention's length.",
        required=True,
        minimum=1,
    ),
    "line": FieldDoc(
        "1-based line of the raw input file where the mention begins.", required=True, minimum=1
    ),
    "upper_value": FieldDoc(
        "Upper bound of a range (3至5个), normalised like normalized_value and in base_unit; "
        "empty when the fact is not a range."
    ),
    "place": FieldDoc(
        "The area the fact is about, by its full official name (江西省, 桂林市, 全国); "
        "an area that is not a division as written (长三角); empty when unknown."
    ),
    "place_code": FieldDoc(
        "The place's 6-digit GB/T 2260 administrative division code (360000); empty for "
        "全国, places abroad, areas that are not divisions, and an unknown place.",
        pattern=_anchorless(PLACE_CODE_PATTERN),
    ),
    "period": FieldDoc(
        "The time the fact is about, an ISO 8601 year, month or interval (2025, 2021/2025, "
        "2025-01/2025-11); empty when the document's year cannot be known.",
        pattern=_anchorless(PERIOD_PATTERN),
    ),
    "status": FieldDoc(
        "actual for what the text reports as done, measured or estimated; target for what "
        "it plans, expects or aims at.",
        required=True,
    ),
    "concept": FieldDoc(
        "Id of the headline indicator the fact measures for its place as a whole "
        "(gdp_growth, urban_new_jobs; the concepts table of docs/facts.md); empty for "
        "every other indicator."
    ),
}


#: The dtypes ``write.read_panel_csv`` gives each column of panel.csv.
PANEL_CSV_DTYPES: dict[str, str] = {
    "place": "string",
    "place_code": "string",
    "concept": "string",
    "period": "string",
    "status": "string",
    "normalized_value": "float64",
    "base_unit": "string",
    "comparator": "string",
    "upper_value": "float64",
    "unit": "string",
    "doc_id": "string",
    "start": "int64",
    "sentence": "string",
    "facts": "int64",
}

#: The meaning of each column of panel.csv: a fact's column means what it does in the
#: fact files, said of the fact the row shows.
PANEL_FIELD_DOCS: dict[str, FieldDoc] = {
    **{name: FACT_FIELD_DOCS[name] for name in PANEL_CSV_DTYPES if name in FACT_FIELD_DOCS},
    "concept": FieldDoc(
        "Id of the headline indicator (gdp_growth, urban_new_jobs; the concepts table of "
        "docs/facts.md).",
        required=True,
    ),
    "doc_id": FieldDoc("The document of the fact the row shows.", required=True),
    "start": FieldDoc(
        "Offset in characters of that fact's mention in its document's cleaned text.",
        required=True,
        minimum=0,
    ),
    "sentence": FieldDoc("The cleaned sentence holding that fact's mention.", required=True),
    "facts": FieldDoc(
        "How many facts of the run have this row's place, concept, period and status; the "
        "row shows one of them, chosen as docs/outputs.md says.",
        required=True,
        minimum=1,
    ),
}


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class FactColumn:
    """One column of the fact files: its type read off ``Fact``, its meaning documented."""

    name: str
    #: ``string``, ``number`` (an exact ``Decimal``), ``integer`` or ``list`` (of strings).
    kind: str
    #: The ``Fact`` field may be None.
    nullable: bool
    #: The allowed values of a ``Literal`` field (the comparators), else empty.
    choices: tuple[str, ...]
    doc: FieldDoc


def fact_columns() -> tuple[FactColumn, ...]:
    """Return the columns of the fact files in ``FACT_FIELDS`` order, typed from ``Fact``.

    Raises ``KeyError`` for a ``Fact`` field that ``FACT_FIELD_DOCS`` does not describe.

    >>> [(c.name, c.kind, c.nullable) for c in fact_columns()][3:5]
    [('value', 'number', False), ('unit', 'string', False)]
    """
    return tuple(_fact_column(name) for name in FACT_FIELDS)


def panel_columns() -> tuple[FactColumn, ...]:
    """Return the columns of panel.csv in ``panel.PANEL_FIELDS`` order: a fact's column
    typed as in the fact files, ``concept`` never null, ``facts`` a count.

    >>> [(c.name, c.kind, c.nullable) for c in panel_columns()][2::11]
    [('concept', 'string', False), ('facts', 'integer', False)]
    """
    columns = []
    for name in PANEL_CSV_DTYPES:
        doc = PANEL_FIELD_DOCS[name]
        if name == "facts":
            columns.append(FactColumn(name, "integer", False, (), doc))
            continue
        column = _fact_column(name, doc)
        columns.append(
            FactColumn(name, column.kind, column.nullable and not doc.required, column.choices, doc)
        )
    return tuple(columns)


def _fact_column(name: str, doc: FieldDoc | None = None) -> FactColumn:
    """Return the column of ``Fact`` field ``name``, reading its type off the annotation;
    ``doc`` is its meaning (default: ``FACT_FIELD_DOCS``)."""
    annotation: Any = Fact.model_fields[name].annotation
    nullable = False
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        nullable = len(members) < len(typing.get_args(annotation))
        (annotation,) = members
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    choices: tuple[str, ...] = ()
    if typing.get_origin(annotation) is typing.Literal:
        choices = typing.get_args(annotation)
        kind = "string"
    elif typing.get_origin(annotation) is list:
        kind = "list"
    else:
        kind = {str: "string", Decimal: "number", int: "integer"}[annotation]
    return FactColumn(name, kind, nullable, choices, doc or FACT_FIELD_DOCS[name])


def _table_schema(columns: tuple[FactColumn, ...]) -> dict[str, Any]:
    """Return the Frictionless table schema of ``columns``."""
    fields = []
    for column in columns:
        # facts.csv joins the qualifiers list into one text cell.
        field: dict[str, Any] = {
            "name": column.name,
            "type": "string" if column.kind == "list" else column.kind,
            "description": column.doc.description,
        }
        constraints: dict[str, Any] = {}
        if column.doc.required:
            constraints["required"] = True
        if column.doc.minimum is not None:
            constraints["minimum"] = column.doc.minimum
        if column.doc.pattern is not None:
            constraints["pattern"] = column.doc.pattern
        if column.choices:
            # As the CSV holds them: the comparator = is written '= (csv_escape).
            constraints["enum"] = [csv_escape(choice) for choice in column.choices]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    # Only an empty cell is null: a mention or indicator reading NA is text.
    return {"fields": fields, "missingValues": [""]}


def _csv_resource(name: str, path: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
    """Return a tabular data resource of a CSV file written as the run writes facts.csv."""
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        # The file starts with a byte-order mark for Excel; "utf-8" is the IANA
        # name the spec asks for, and readers (frictionless, pandas, DuckDB) skip it.
        "encoding": "utf-8",
        "dialect": {
            "delimiter": ",",
            "lineTerminator": "\n",
            "quoteChar": '"',
            "doubleQuote": True,
            "header": True,
        },
        "schema": schema,
    }


def datapackage_descriptor(csv_file: str, panel_file: str = "panel.csv") -> dict[str, Any]:
    """Return the Frictionless Data Package (tabular-data-package) describing facts.csv
    and panel.csv.

    ``csv_file`` is the path of facts.csv relative to datapackage.json (the csv format's
    file name in ``write.FORMATS``), ``panel_file`` that of panel.csv.

    No primary key in facts.csv: one mention can give several facts at the same span
    (各1个 spread over two items), so even doc_id + start + end is not unique. None in
    panel.csv either: place, concept, period and status are unique together, but place
    and period may be unknown (empty), which a primary key does not allow.
    """
    return {
        "profile": "tabular-data-package",
        "name": "extract-facts",
        "title": "Numeric facts extracted from Chinese report text",
        "resources": [
            _csv_resource(
                "facts", csv_file, "One row per numeric fact", _table_schema(fact_columns())
            ),
            _csv_resource(
                "panel",
                panel_file,
                "One row per place, headline concept, period and status",
                _table_schema(panel_columns()),
            ),
        ],
    }


def render_datapackage(csv_file: str, panel_file: str = "panel.csv") -> str:
    """Return the text of datapackage.json describing ``csv_file`` and ``panel_file``,
    ending in a newline."""
    descriptor = datapackage_descriptor(csv_file, panel_file)
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


def import_pyarrow() -> types.ModuleType:
    """Return the ``pyarrow`` module with its Parquet writer, imported only when asked.

    It is heavy, and optional: raises ``ImportError`` when it is not installed (the run
    checks first, through the parquet format's dependency in ``write.FORMATS``, and says
    how to install it).
    """
    import pyarrow
    import pyarrow.parquet  # a submodule: loads the Parquet writer

    return pyarrow


def fact_arrow_schema() -> pa.Schema:
    """Return the Arrow schema of facts.parquet: exact decimals, list<string> qualifiers.

    Numbers are decimal256(76, 38): ``Fact`` allows at most 38 digits before and after
    the point, so every valid fact is stored exactly.
    """
    return _arrow_schema(fact_columns())


def panel_arrow_schema() -> pa.Schema:
    """Return the Arrow schema of panel.parquet, typed as facts.parquet is."""
    return _arrow_schema(panel_columns())


def _arrow_schema(columns: tuple[FactColumn, ...]) -> pa.Schema:
    """Return the Arrow schema of ``columns``, each column's meaning in its metadata."""
    pyarrow = import_pyarrow()
    arrow_types = {
        "string": pyarrow.string(),
        "number": pyarrow.decimal256(MAX_INTEGER_DIGITS + MAX_DECIMAL_PLACES, MAX_DECIMAL_PLACES),
        "integer": pyarrow.int64(),
        "list": pyarrow.list_(pyarrow.string()),
    }
    return pyarrow.schema(
        [
            pyarrow.field(
                column.name,
                arrow_types[column.kind],
                nullable=column.nullable,
                metadata={"description": column.doc.description},
            )
            for column in columns
        ]
    )


#: The column that the Parquet parts of a cluster run add to the fact columns: a fact's
#: position among its document's facts (0, 1, ...), the text's order. One mention can give
#: several facts at the same offset, so ``start`` alone does not order them.
FACT_INDEX = "fact_index"


def part_fact_arrow_schema() -> pa.Schema:
    """Return the Arrow schema of the fact parts of a cluster run (``core.extract_batch``):
    the columns of facts.parquet, then ``fact_index``.

    >>> part_fact_arrow_schema().names[-2:]
    ['concept', 'fact_index']
    """
    pyarrow = import_pyarrow()
    index = pyarrow.field(
        FACT_INDEX,
        pyarrow.int64(),
        nullable=False,
        metadata={
            "description": "the fact's position among its document's facts, from 0, in the "
            "order facts.jsonl gives them; (doc_id, fact_index) is unique"
        },
    )
    return fact_arrow_schema().append(index)


#: What each column of a manifest entry holds (``models.ManifestEntry``), for the Arrow
#: schema of the manifest parts of a cluster run.
MANIFEST_FIELD_DOCS: dict[str, str] = {
    "path": "the input's path relative to the input folder or prefix, '/'-separated; "
    "bytes of a name that are not UTF-8 written \\xNN",
    "path_bytes": "the path's bytes in hex when they are not UTF-8, else null",
    "doc_id": "the document id: the path without its extension; null for a file not *.txt",
    "status": "ok (extracted), skipped (gives no text) or error (failed; see reason)",
    "reason": "why the file was skipped or failed, naming the stage; null when ok",
    "encoding": "the encoding the bytes were read in",
    "sha256": "the sha256 of the input's bytes, in hex",
    "size": "the input's size in bytes",
    "facts": "the number of facts of the document",
    "place": "the document's place",
    "place_from": "where the place was read from",
    "date": "the document's date",
    "date_from": "where the date was read from",
    "reused": "true when an incremental run took the document from the previous run",
    "issues": "the problems found in the document's data (stage, reason, line, text)",
}


def manifest_arrow_schema() -> pa.Schema:
    """Return the Arrow schema of the manifest parts of a cluster run: one row per input,
    the fields of a manifest.json entry of a local run.

    >>> manifest_arrow_schema().field("issues").type.value_type.names
    ['stage', 'reason', 'line', 'text']
    """
    pyarrow = import_pyarrow()
    issue = pyarrow.struct(
        [
            pyarrow.field("stage", pyarrow.string(), nullable=False),
            pyarrow.field("reason", pyarrow.string(), nullable=False),
            pyarrow.field("line", pyarrow.int64()),
            pyarrow.field("text", pyarrow.string()),
        ]
    )
    types_ = {"size": pyarrow.int64(), "facts": pyarrow.int64(), "reused": pyarrow.bool_()}
    required = {"path", "status", "facts", "reused", "issues"}
    fields = [
        pyarrow.field(
            name,
            pyarrow.list_(issue) if name == "issues" else types_.get(name, pyarrow.string()),
            nullable=name not in required,
            metadata={"description": description},
        )
        for name, description in MANIFEST_FIELD_DOCS.items()
    ]
    return pyarrow.schema(fields)
