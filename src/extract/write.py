"""Write stage, and the only module that writes files: facts, documents and the manifest.

The facts go to one file per requested format (``FACT_FILES``: facts.csv, facts.jsonl,
facts.json, facts.parquet), and ``datapackage.json`` describes facts.csv whenever it is
written. Fact files of formats not requested are removed at commit, so the folder holds
exactly the formats that ``manifest.json`` lists.

Every output is written whole or not at all. A run writes into a staging folder inside
the output folder (``.extract-staging-*``) and moves each finished file into place with
``os.replace`` only when the run has finished; on any exception, Ctrl-C included, the
staging folder is removed and the previous outputs stay as they were. ``manifest.json``
is moved last, so a manifest always describes outputs that are complete.

Documents stream through: each one is written to its JSON file and its facts appended
to every fact file as it arrives, so memory does not grow with the corpus.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import itertools
import json
import math
import operator
import os
import re
import shutil
import socket
import tempfile
import types
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

import pydantic_core
from pydantic import BaseModel

from .models import (
    FACT_FIELDS,
    MAX_DECIMAL_PLACES,
    MAX_INTEGER_DIGITS,
    Document,
    Fact,
    ManifestEntry,
    decimal_to_json,
)

if TYPE_CHECKING:
    # pandas takes 0.3 s to import, pyarrow longer: each is imported where first needed.
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

FACTS_JSONL = "facts.jsonl"
FACTS_CSV = "facts.csv"
FACTS_JSON = "facts.json"
FACTS_PARQUET = "facts.parquet"
DATAPACKAGE_JSON = "datapackage.json"
REVIEW_HTML = "review.html"
#: A review page holds at most this many documents, or this many characters of HTML; a
#: bigger run gets more pages (review-2.html, review-3.html, …), linked from each other.
#: One page of thousands of reports would be hundreds of MB, more than a browser opens.
REVIEW_PAGE_DOCUMENTS = 500
REVIEW_PAGE_CHARS = 30_000_000
_REVIEW_PAGE_RE = re.compile(r"review-[0-9]+\.html")


#: The manifest entries of a run, gathered in the staging folder as files are done.
MANIFEST_ENTRIES = ".manifest-entries.part"


def _indent(text: str, prefix: str) -> str:
    """Return ``text`` with ``prefix`` before each of its lines."""
    return prefix + text.replace("\n", "\n" + prefix)


def _staging_prefix(pid: int | None = None) -> str:
    """Return the name start of a staging folder of process ``pid`` (default: this one).

    Host and process are in the name so that a later run can tell a folder left by a
    killed run (kill -9, power loss) from one a running process is still filling.
    """
    host = re.sub(r"[^A-Za-z0-9.]", "_", socket.gethostname()) or "host"
    return f"{STAGING_PREFIX}{host}-{os.getpid() if pid is None else pid}-"


def _process_is_alive(pid: int) -> bool:
    """Return whether process ``pid`` exists on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, or cannot tell: never remove what may be in use
    return True


def review_page_name(page: int) -> str:
    """Return the file name of review page ``page`` (1-based).

    >>> review_page_name(1), review_page_name(12)
    ('review.html', 'review-12.html')
    """
    return REVIEW_HTML if page == 1 else f"review-{page}.html"


@dataclass
class _ReviewPart:
    """The documents of one review page, gathered in a staging file as they come."""

    path: Path
    #: The staged documents' HTML, as UTF-8 bytes.
    handle: IO[bytes]
    first_document: int
    documents: int = 0
    #: Characters (not bytes) of HTML staged: ``REVIEW_PAGE_CHARS`` counts characters.
    chars: int = 0


MANIFEST_JSON = "manifest.json"
DOCUMENTS_DIR = "documents"
STAGING_PREFIX = ".extract-staging-"

#: The fact file each output format writes, in the order formats are listed.
FACT_FILES: dict[str, str] = {
    "csv": FACTS_CSV,
    "jsonl": FACTS_JSONL,
    "json": FACTS_JSON,
    "parquet": FACTS_PARQUET,
}

#: The output formats a run can write.
FACT_FORMATS: frozenset[str] = frozenset(FACT_FILES)

#: The formats written when none are asked for.
DEFAULT_FORMATS: frozenset[str] = frozenset({"csv", "jsonl"})

#: Rows of facts.parquet buffered before they are written as one row group: large enough
#: for efficient reading, small enough that memory does not grow with the corpus.
PARQUET_ROW_GROUP_ROWS = 65_536

#: Separator of the ``qualifiers`` list inside one CSV cell.
QUALIFIER_SEPARATOR = ";"

#: The dtypes ``read_facts_csv`` gives each column of facts.csv (documented in README.md).
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
}

#: Errors writing one document's JSON that come from its name, not from the disk: they
#: fail that document only. Anything else (disk full, permissions) stops the run.
_NAME_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.EEXIST})


class OutputFolderError(Exception):
    """The output folder cannot be used; the message names the path and the fix."""


class FormatError(ValueError):
    """An output format is unknown or cannot be written here; the message says the fix."""


def check_formats(formats: Iterable[str]) -> frozenset[str]:
    """Return ``formats`` as a set after checking each is one of ``FACT_FORMATS``.

    >>> sorted(check_formats(["parquet", "csv"]))
    ['csv', 'parquet']
    """
    chosen = frozenset(formats)
    unknown = sorted(chosen - FACT_FORMATS)
    if unknown:
        raise FormatError(
            f"unknown output format {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(FACT_FILES)}"
        )
    if not chosen:
        raise FormatError(f"no output format given; choose from {', '.join(FACT_FILES)}")
    return chosen


def parse_formats(names: Iterable[str]) -> frozenset[str]:
    """Return the formats named in ``names``, each item one name or several comma-separated.

    >>> sorted(parse_formats(["csv,parquet", " jsonl "]))
    ['csv', 'jsonl', 'parquet']
    """
    return check_formats(
        part.strip().lower() for name in names for part in name.split(",") if part.strip()
    )


def ordered_formats(formats: Iterable[str]) -> list[str]:
    """Return ``formats`` in the order of ``FACT_FILES`` (csv, jsonl, json, parquet).

    >>> ordered_formats({"parquet", "csv"})
    ['csv', 'parquet']
    """
    chosen = set(formats)
    return [name for name in FACT_FILES if name in chosen]


@dataclass(frozen=True)
class FieldDoc:
    """What one column of the fact files means, for datapackage.json and facts.parquet."""

    description: str
    #: Never empty: facts.csv has a value in every row (``required`` in datapackage.json).
    required: bool = False
    #: Smallest allowed value of a number.
    minimum: int | None = None


#: The meaning of each ``Fact`` field, the one source of the column descriptions in
#: datapackage.json and facts.parquet (README.md and FACTS.md say the same in prose).
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
}


@dataclass(frozen=True)
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


def _fact_column(name: str) -> FactColumn:
    """Return the column of ``Fact`` field ``name``, reading its type off the annotation."""
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
    return FactColumn(name, kind, nullable, choices, FACT_FIELD_DOCS[name])


def datapackage_descriptor() -> dict[str, Any]:
    """Return the Frictionless Data Package (tabular-data-package) describing facts.csv.

    No primary key: one mention can give several facts at the same span (各1个 spread
    over two items), so even doc_id + start + end is not unique.
    """
    fields = []
    for column in fact_columns():
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
        if column.choices:
            constraints["enum"] = list(column.choices)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {
        "profile": "tabular-data-package",
        "name": "extract-facts",
        "title": "Numeric facts extracted from Chinese report text",
        "resources": [
            {
                "name": "facts",
                "path": FACTS_CSV,
                "profile": "tabular-data-resource",
                "title": "One row per numeric fact",
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
                "schema": {
                    "fields": fields,
                    # Only an empty cell is null: a mention or indicator reading NA is text.
                    "missingValues": [""],
                },
            }
        ],
    }


def render_datapackage() -> str:
    """Return the text of datapackage.json, ending in a newline."""
    return json.dumps(datapackage_descriptor(), ensure_ascii=False, indent=2) + "\n"


def import_pyarrow() -> types.ModuleType:
    """Return the ``pyarrow`` module, imported only when asked (it is heavy); raise if absent."""
    try:
        import pyarrow
        import pyarrow.parquet  # a submodule: loads the Parquet writer
    except ImportError:
        raise FormatError(
            "parquet output needs pyarrow, which is not installed; "
            "run pip install 'extract[parquet]', or leave parquet out of the formats"
        ) from None
    return pyarrow


def fact_arrow_schema() -> pa.Schema:
    """Return the Arrow schema of facts.parquet: exact decimals, list<string> qualifiers.

    Numbers are decimal256(76, 38): ``Fact`` allows at most 38 digits before and after
    the point, so every valid fact is stored exactly.
    """
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
            for column in fact_columns()
        ]
    )


class DocumentPathError(Exception):
    """One document's JSON file cannot be written under its name; the run goes on."""


def fact_row(fact: Fact) -> dict[str, Any]:
    """Return ``fact`` as a JSON-ready dict, keys in ``FACT_FIELDS`` order, numbers as numbers."""
    return fact.model_dump(mode="json")


def render_fact_line(fact: Fact) -> str:
    """Return the facts.jsonl line of ``fact`` (no newline), Chinese kept as is."""
    return render_row_line(fact_row(fact))


def render_row_line(row: dict[str, Any]) -> str:
    """Return the facts.jsonl line of a ``fact_row`` dict (no newline)."""
    return json.dumps(row, ensure_ascii=False)


#: ``json.dumps(text, ensure_ascii=False)`` of a str: the C function json's encoder calls
#: for every string, without the set-up json.dumps makes on each call.
json_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]

_NONE_TYPE = type(None)

#: The fields of a fact, read in one call, in ``FACT_FIELDS`` order.
_fact_values = operator.attrgetter(*FACT_FIELDS)

#: The ``Decimal`` fields, written as JSON numbers (``decimal_to_json``).
_NUMBER_FIELDS = frozenset(column.name for column in fact_columns() if column.kind == "number")


def json_value(value: Any) -> str:
    """Return ``value`` as ``json.dumps(value, ensure_ascii=False)`` writes it."""
    kind = type(value)
    if kind is str:
        return json_string(value)
    if value is None:
        return "null"
    if kind is int or (kind is float and math.isfinite(value)):
        return repr(value)  # json writes an int, and a finite float, as its repr
    if kind is list and all(type(item) is str for item in value):
        return "[" + ", ".join(map(json_string, value)) + "]"
    return json.dumps(value, ensure_ascii=False)


#: The reprs of the floats json does not write as their repr, and what it writes instead.
_NON_FINITE_REPRS = frozenset({"nan", "inf", "-inf"})
_NON_FINITE_JSON = frozenset({"NaN", "Infinity", "-Infinity"})


def json_column(values: Sequence[Any], kinds: Set[type]) -> list[str]:
    """Return the ``json_value`` of each of ``values``, one field of several facts.

    ``kinds`` are the types of the values. A column of one kind (texts, numbers, lists
    of texts) is encoded without a Python call per value.
    """
    if kinds <= {str, _NONE_TYPE}:
        # Each text once: a document's facts repeat their doc_id, section and units,
        # and the facts of one sentence the sentence.
        distinct = set(values)
        distinct.discard(None)
        encoded = dict(zip(distinct, map(json_string, distinct), strict=True))
        encoded[None] = "null"
        return list(map(encoded.__getitem__, values))
    if kinds <= {int, float, _NONE_TYPE}:
        if _NONE_TYPE in kinds:
            texts = ["null" if value is None else repr(value) for value in values]
        else:
            texts = list(map(repr, values))
        if _NON_FINITE_REPRS.isdisjoint(texts):
            return texts
    if kinds == {list} and all(type(item) is str for value in values for item in value):
        return ["[" + ", ".join(map(json_string, value)) + "]" for value in values]
    return list(map(json_value, values))


class RowFormat:
    """How the fields of a row are joined into its text: what comes before each field,
    and after the last one.

    The rows are joined in C (zip, str.join) rather than by a Python loop per row.
    """

    def __init__(self, separators: Sequence[str]) -> None:
        # One item more than the fields: ``separators[0] + field 0 + separators[1] + …``.
        self._separators = [itertools.repeat(separator) for separator in separators]

    def rows(self, columns: Iterable[Sequence[str]]) -> Iterator[str]:
        """Yield the text of each row of ``columns`` (one list of field texts each)."""
        pieces: list[Iterable[str]] = [*self._separators, *self._separators[1:]]
        pieces[0::2] = self._separators
        pieces[1::2] = columns  # raises unless there is a column for each field
        return map("".join, zip(*pieces, strict=False))  # the repeats never end


#: What goes around the fields of a facts.jsonl line: ``{"doc_id": `` … ``, "line": `` … ``}``.
_JSONL_SEPARATORS = tuple(
    ("{" if position == 0 else ", ") + json_string(name) + ": "
    for position, name in enumerate(FACT_FIELDS)
)
_JSONL_LINE = RowFormat((*_JSONL_SEPARATORS, "}"))
_JSONL_LINE_WITH_NEWLINE = RowFormat((*_JSONL_SEPARATORS, "}\n"))


@dataclass(frozen=True)
class FactTable:
    """Some facts as text, one column per field, made once for every output listing them.

    facts.jsonl, facts.json, facts.csv and the review page all take the facts from here:
    a json.dumps per fact and per output took most of the time of rendering a document.
    """

    #: Each field's values, in ``FACT_FIELDS`` order, as ``fact_row`` gives them (read
    #: off the fact: the same values for a validated ``Fact``, whose fields have their
    #: declared types, where pydantic's serialiser would also convert wrong types).
    values: dict[str, list[Any]]
    #: Each field's values as JSON text (``json_value``).
    json: dict[str, list[str]]
    #: The types of each field's values.
    kinds: dict[str, set[type]]

    @classmethod
    def of(cls, facts: Sequence[Fact]) -> FactTable:
        """Return the table of ``facts``."""
        columns = zip(*map(_fact_values, facts), strict=True) if facts else [()] * len(FACT_FIELDS)
        values: dict[str, list[Any]] = {}
        kinds: dict[str, set[type]] = {}
        for name, column in zip(FACT_FIELDS, columns, strict=True):
            column_kinds = set(map(type, column))
            if name not in _NUMBER_FIELDS:
                values[name] = list(column)
            elif _NONE_TYPE in column_kinds:  # not None in: == on a Decimal is slow
                values[name] = [
                    None if value is None else decimal_to_json(value) for value in column
                ]
                column_kinds = set(map(type, values[name]))
            else:
                values[name] = list(map(decimal_to_json, column))
                column_kinds = set(map(type, values[name]))
            kinds[name] = column_kinds
        json_texts = {name: json_column(values[name], kinds[name]) for name in FACT_FIELDS}
        return cls(values, json_texts, kinds)

    def jsonl_lines(self) -> Iterator[str]:
        """Yield each fact's facts.jsonl line (the text of ``render_fact_line``)."""
        return _JSONL_LINE.rows(self.json.values())

    def jsonl_text(self) -> str:
        """Return the facts' lines of facts.jsonl, each ending in a newline."""
        return "".join(_JSONL_LINE_WITH_NEWLINE.rows(self.json.values()))

    def csv_text(self) -> str:
        """Return the facts.csv lines (no header): the text of ``render_csv_rows``."""
        columns = [
            csv_fields(list(map(QUALIFIER_SEPARATOR.join, values)), {str})
            if name == "qualifiers"
            else csv_fields(values, self.kinds[name], self.json[name])
            for name, values in self.values.items()
        ]
        return "".join(_CSV_LINE.rows(columns))


#: What goes around the fields of a facts.csv line.
_CSV_LINE = RowFormat(("", *[","] * (len(FACT_FIELDS) - 1), "\n"))


def _may_need_quotes(text: str) -> bool:
    """Return whether the csv module may quote ``text``: it holds the delimiter, the quote
    character or a line end (Python 3.11 writes a "\r" as it is, later versions quote it)."""
    return "," in text or '"' in text or "\n" in text or "\r" in text


def csv_fields(
    values: Sequence[Any], kinds: Set[type], json_texts: Sequence[str] = ()
) -> list[str]:
    """Return each of ``values`` as the csv module writes it as a field of a row.

    The csv module costs more than the rest of the rendering, as it looks at every
    character of every field twice. Here a field without a character that may need
    quoting is taken as it is; only the others are written by the csv module.
    ``kinds`` are the types of the values; ``json_texts``, their ``json_value`` when
    known, saves writing numbers again.
    """
    if kinds <= {str}:
        fields = list(values)
    elif kinds <= {int, float} and json_texts and _NON_FINITE_JSON.isdisjoint(json_texts):
        fields = list(json_texts)  # a finite number's JSON is its repr, which csv writes
    elif kinds <= {int, float}:
        fields = list(map(str, values))  # what csv writes for a number
    else:
        fields = [
            "" if value is None else value if isinstance(value, str) else str(value)
            for value in values
        ]
    if not _may_need_quotes("".join(fields)):
        return fields
    return [_csv_field(field) if _may_need_quotes(field) else field for field in fields]


def _csv_field(text: str) -> str:
    """Return ``text`` as the csv module writes it as a field of a row of several."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(["", text])
    return buffer.getvalue()[1:-1]  # without the empty first field and the line end


def render_document_json(document: Document) -> str:
    """Return the text of ``documents/DOC_ID.json`` for ``document``, ending in a newline.

    The same text as ``document.model_dump_json(indent=2)``, built piece by piece.
    """
    return "".join(iter_model_json(document)) + "\n"


def iter_model_json(model: BaseModel) -> Iterator[str]:
    """Yield the pieces of ``model``'s JSON, indented by 2, one list item at a time.

    ``model_dump_json`` builds the whole text at once; for a 10 MB single-line input with
    300,000 facts that string alone would take hundreds of MB. Here only one item of a
    list of models is rendered at a time.
    """
    names = list(type(model).model_fields)
    yield "{"
    for index, name in enumerate(names):
        value = getattr(model, name)
        yield f"\n  {json.dumps(name)}: "
        if isinstance(value, list) and value and all(isinstance(v, BaseModel) for v in value):
            yield "["
            for position, item in enumerate(value):
                text = item.model_dump_json(indent=2)
                comma = "," if position < len(value) - 1 else ""
                yield "\n    " + text.replace("\n", "\n    ") + comma
            yield "\n  ]"
        else:
            dumped = model.model_dump(mode="json", include={name})[name]
            yield json.dumps(dumped, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        if index < len(names) - 1:
            yield ","
    yield "\n}"


def document_path(doc_id: str) -> str:
    """Return the path of a document's JSON file, relative to the output folder.

    >>> document_path("2023/一季度")
    'documents/2023/一季度.json'
    """
    return f"{DOCUMENTS_DIR}/{doc_id}.json"


def csv_frame(facts: Iterable[Fact]) -> pd.DataFrame:
    """Return the facts.csv rows of ``facts``: ``FACT_FIELDS`` columns, qualifiers joined by ';'.

    Columns are kept as Python objects so numbers are written exactly as in facts.jsonl
    (``3650000000``, not ``3650000000.0``).
    """
    import pandas as pd

    rows = []
    for fact in facts:
        row = fact_row(fact)
        row["qualifiers"] = QUALIFIER_SEPARATOR.join(row["qualifiers"]) or None
        rows.append(row)
    return pd.DataFrame(rows, columns=list(FACT_FIELDS), dtype=object)


def render_csv_rows(rows: Iterable[dict[str, Any]]) -> str:
    """Return the facts.csv lines (no header) of ``fact_row`` dicts: the text pandas writes.

    The same bytes as ``csv_frame(facts).to_csv(index=False, header=False)`` (a test holds
    the two together), without building a DataFrame per document, which cost more than
    the rest of the writing.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        qualifiers = QUALIFIER_SEPARATOR.join(row["qualifiers"])
        writer.writerow(
            [
                qualifiers if name == "qualifiers" else ("" if row[name] is None else row[name])
                for name in FACT_FIELDS
            ]
        )
    return buffer.getvalue()


def read_facts_csv(path: Path) -> pd.DataFrame:
    """Return facts.csv as a DataFrame with the documented ``FACTS_CSV_DTYPES``.

    Only empty cells are missing values: a mention reading ``NA`` stays text.
    """
    import pandas as pd

    return pd.read_csv(
        path,
        dtype=FACTS_CSV_DTYPES,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8-sig",
    )


def read_manifest_entries(output_dir: Path) -> list[ManifestEntry]:
    """Return the file entries of the manifest.json in ``output_dir``, in input order."""
    manifest = json.loads((output_dir / MANIFEST_JSON).read_text(encoding="utf-8"))
    return [ManifestEntry.model_validate(entry) for entry in manifest["files"]]


def previous_documents(output_dir: Path, *, extractor_version: str) -> dict[str, tuple[str, Path]]:
    """Return {input path: (sha256, document JSON)} of the files the previous run extracted.

    Empty when there was no previous run, or when it was made by another extractor
    version (its facts might differ from this version's).
    """
    manifest = _previous_manifest(output_dir)
    if manifest is None or manifest.get("extractor_version") != extractor_version:
        return {}
    return {
        entry["path"]: (entry["sha256"], output_dir / document_path(entry["doc_id"]))
        for entry in _written_entries(manifest)
        if isinstance(entry.get("sha256"), str) and isinstance(entry.get("path"), str)
    }


def _previous_manifest(output_dir: Path) -> dict[str, Any] | None:
    """Return the previous run's manifest.json, or None when there is no readable one."""
    try:
        manifest = json.loads((output_dir / MANIFEST_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
        return None
    return manifest


def _written_entries(manifest: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the manifest's entries of files whose document was written (ok, with a doc_id)."""
    for entry in manifest["files"]:
        if (
            isinstance(entry, dict)
            and entry.get("status") == "ok"
            and isinstance(entry.get("doc_id"), str)
        ):
            yield entry


class _FactFile:
    """One fact file being written in the staging folder, in one format.

    ``render`` turns one document's facts into what ``write`` appends; it is a static
    method so that it can run where the document was extracted (a worker process). Text
    formats render UTF-8 bytes there, so the writing process only copies them.
    """

    @staticmethod
    def render(facts: Sequence[Fact], table: FactTable) -> Any:
        """Return one document's ``facts`` (and their ``FactTable``) in this format."""
        raise NotImplementedError

    def write(self, rendered: Any) -> None:
        """Append one document's rendered facts to the file."""
        raise NotImplementedError

    def finish(self) -> None:
        """Write the end of the file, flush it to disk and close it."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the file without finishing it (the run was abandoned)."""
        raise NotImplementedError


class _TextFactFile(_FactFile):
    """A fact file of UTF-8 text: a head written at once, a tail written when finished.

    ``encoding`` encodes the head only ("utf-8-sig" starts the file with a byte-order
    mark); the documents' facts come as UTF-8 bytes from ``render``.
    """

    def __init__(self, path: Path, *, encoding: str = "utf-8", head: str = "") -> None:
        self._handle: IO[bytes] = path.open("wb")
        self._handle.write(head.encode(encoding))

    def tail(self) -> str:
        """Return the text that ends the file."""
        return ""

    def finish(self) -> None:
        self._handle.write(self.tail().encode("utf-8"))
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def close(self) -> None:
        self._handle.close()


class _JsonlFile(_TextFactFile):
    """facts.jsonl: one JSON object a line."""

    @staticmethod
    def render(facts: Sequence[Fact], table: FactTable) -> bytes:
        return table.jsonl_text().encode("utf-8")

    def write(self, rendered: bytes) -> None:
        self._handle.write(rendered)


class _CsvFile(_TextFactFile):
    """facts.csv: a header row, then one row per fact."""

    def __init__(self, path: Path) -> None:
        # utf-8-sig puts the byte-order mark Excel needs to read the file as UTF-8. The
        # field names are plain: nothing to quote.
        super().__init__(path, encoding="utf-8-sig", head=",".join(FACT_FIELDS) + "\n")

    @staticmethod
    def render(facts: Sequence[Fact], table: FactTable) -> bytes:
        return table.csv_text().encode("utf-8")

    def write(self, rendered: bytes) -> None:
        self._handle.write(rendered)


class _JsonFile(_TextFactFile):
    """facts.json: one JSON array of the facts.jsonl objects, one a line."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, head="[")
        self._count = 0

    @staticmethod
    def render(facts: Sequence[Fact], table: FactTable) -> tuple[int, bytes]:
        """Return the number of facts and their lines, each after a newline and all but the
        first after a comma too: ``write`` adds that comma unless the lines open the array."""
        lines = list(table.jsonl_lines())
        return len(lines), ("\n" + ",\n".join(lines)).encode("utf-8") if lines else b""

    def write(self, rendered: tuple[int, bytes]) -> None:
        count, text = rendered
        if count:
            self._handle.write((b"," if self._count else b"") + text)
            self._count += count

    def tail(self) -> str:
        return "\n]\n" if self._count else "]\n"


class _ParquetFile(_FactFile):
    """facts.parquet: rows buffered and written as row groups of ``PARQUET_ROW_GROUP_ROWS``."""

    def __init__(self, path: Path) -> None:
        self._pyarrow = import_pyarrow()
        self._schema = fact_arrow_schema()
        self._row_group_rows = PARQUET_ROW_GROUP_ROWS
        self._rows: list[dict[str, Any]] = []
        self._handle = path.open("wb")
        self._writer: pq.ParquetWriter = self._pyarrow.parquet.ParquetWriter(
            self._handle, self._schema
        )

    @staticmethod
    def render(facts: Sequence[Fact], table: FactTable) -> list[dict[str, Any]]:
        # model_dump keeps Decimal values, which Arrow stores exactly.
        return [fact.model_dump() for fact in facts]

    def write(self, rendered: list[dict[str, Any]]) -> None:
        self._rows.extend(rendered)
        while len(self._rows) >= self._row_group_rows:
            self._write_rows(self._rows[: self._row_group_rows])
            del self._rows[: self._row_group_rows]

    def _write_rows(self, rows: list[dict[str, Any]]) -> None:
        """Write ``rows`` as one row group."""
        table = self._pyarrow.Table.from_pylist(rows, schema=self._schema)
        self._writer.write_table(table, row_group_size=len(rows))

    def finish(self) -> None:
        if self._rows:
            self._write_rows(self._rows)
            self._rows = []
        self._writer.close()
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()

    def close(self) -> None:
        try:
            self._writer.close()
        finally:
            self._handle.close()


#: The writer of each format's fact file.
_FACT_FILE_WRITERS: dict[str, type[_FactFile]] = {
    "csv": _CsvFile,
    "jsonl": _JsonlFile,
    "json": _JsonFile,
    "parquet": _ParquetFile,
}


#: A document whose text is longer than this is written piece by piece by the writer
#: instead of being rendered whole: its JSON and review HTML could take hundreds of MB.
LARGE_DOCUMENT_CHARS = 1_000_000


@dataclass(frozen=True)
class RenderedDocument:
    """One document's outputs as UTF-8 text, ready to be written.

    Made where the document was extracted (a worker process, with ``--jobs``), so that
    the process that writes only copies bytes: text sent as ``str`` would be encoded to
    cross the pipe, decoded, and encoded again to be written. A large document is passed
    whole instead (``document``) and written piece by piece, so no output of it is one
    huge string.
    """

    doc_id: str
    #: The bytes of documents/DOC_ID.json, or None for a large document.
    document_json: bytes | None
    #: Each requested format's rendering of the facts (``_FactFile.render``); empty for a
    #: large document, whose facts the writer renders a chunk at a time.
    facts: dict[str, Any]
    #: The document's part of review.html, or None for a large document.
    review_html: bytes | None
    #: The document's number on the review page (unique in a run, not always 0, 1, 2 …).
    number: int = 0
    #: The document itself, only when it is large.
    document: Document | None = None
    #: The length of ``review_html`` in characters (review pages are cut by characters).
    review_chars: int = 0


#: What goes around the fields of a fact in a document's JSON (``model_dump_json(indent=2)``).
_DOCUMENT_FACT = RowFormat(
    (
        *(
            ("    {\n" if position == 0 else ",\n") + "      " + json_string(name) + ": "
            for position, name in enumerate(FACT_FIELDS)
        ),
        "\n    }",
    )
)

#: The facts of a document without facts in its JSON: a top-level key is the only text at
#: the start of a line indented by 2 (a string holds no newline, only its escape).
_NO_FACTS_JSON = '\n  "facts": []'


def document_json(document: Document, table: FactTable) -> str:
    """Return the text of ``document.model_dump_json(indent=2)``; ``table`` holds its facts.

    pydantic writes the document without its facts, which took most of its time (a Python
    call for each number); they are joined from the table, each value as pydantic writes
    it: a string as json.dumps does, an int as its repr, floats and lists by pydantic.
    """
    if not document.facts:
        return document.model_dump_json(indent=2)
    head, found, tail = (
        document.model_copy(update={"facts": []})
        .model_dump_json(indent=2)
        .partition(_NO_FACTS_JSON)
    )
    if not found:
        return document.model_dump_json(indent=2)
    columns = []
    for name, values in table.values.items():
        kinds = table.kinds[name]
        if kinds <= {str, int, _NONE_TYPE}:
            columns.append(table.json[name])
        elif kinds <= {int, float, _NONE_TYPE}:
            # pydantic writes some floats otherwise than repr (1e-05 as 0.00001).
            columns.append(pydantic_core.to_json(values).decode()[1:-1].split(","))
        else:
            # The lists (qualifiers), mostly empty; a list's items on lines of their own.
            columns.append(
                [
                    "[]"
                    if value == []
                    else pydantic_core.to_json(value, indent=2).decode().replace("\n", "\n      ")
                    for value in values
                ]
            )
    facts = ",\n".join(_DOCUMENT_FACT.rows(columns))
    return f'{head}\n  "facts": [\n{facts}\n  ]{tail}'


def render_document(document: Document, *, formats: Iterable[str], number: int) -> RenderedDocument:
    """Return ``document``'s outputs rendered for ``formats``; ``number`` is its review page key."""
    from .review import render_review_document

    if len(document.text) > LARGE_DOCUMENT_CHARS:
        return RenderedDocument(document.doc_id, None, {}, None, number, document)
    table = FactTable.of(document.facts)
    facts = _render_facts(document.facts, formats, table)
    review_html = render_review_document(document, number, fact_table=table)
    return RenderedDocument(
        doc_id=document.doc_id,
        # Whole, as pydantic renders it (iter_model_json gives the same text in pieces).
        document_json=(document_json(document, table) + "\n").encode("utf-8"),
        facts=facts,
        review_html=review_html.encode("utf-8"),
        number=number,
        review_chars=len(review_html),
    )


def _render_facts(
    facts: Sequence[Fact], formats: Iterable[str], table: FactTable | None = None
) -> dict[str, Any]:
    """Return each format's rendering of ``facts`` (``table``: their ``FactTable``)."""
    table = FactTable.of(facts) if table is None else table
    return {name: _FACT_FILE_WRITERS[name].render(facts, table) for name in formats}


#: Facts of a large document rendered at a time, so that its rendering stays small.
LARGE_DOCUMENT_FACT_CHUNK = 10_000


class OutputWriter:
    """Collects one run's outputs in a staging folder and publishes them together.

    Use as a context manager; nothing reaches the output folder unless ``commit`` is
    called, and leaving the block by an exception removes the staging folder::

        with OutputWriter(output_dir, formats={"csv", "parquet"}) as writer:
            writer.add_document(document)
            writer.commit(entries, totals=totals, input_dir=input_dir)

    ``formats`` are names from ``FACT_FORMATS``; an unknown one, or parquet without
    pyarrow installed, raises ``FormatError`` before anything is written.
    """

    def __init__(self, output_dir: Path, *, formats: Iterable[str] = DEFAULT_FORMATS) -> None:
        self.output_dir = output_dir
        self.formats = ordered_formats(check_formats(formats))
        self._staging: Path | None = None
        self._fact_files: list[_FactFile] = []
        self._documents: list[str] = []
        self._review_parts: list[_ReviewPart] = []
        self._entries: IO[str] | None = None
        self._entry_count = 0
        self._claimed_files: set[str] = set()
        self._claimed_folders: set[str] = set()
        #: Folders of documents/ made so far, in the staging folder and in the output
        #: folder: one mkdir per folder, not one per document.
        self._made_folders: set[Path] = set()
        #: Whether staging's documents/ may hold a folder that no document of
        #: ``_documents`` is in: one made for a document that then could not be written.
        self._stray_document_folders = False

    def __enter__(self) -> OutputWriter:
        self.open()
        return self

    def __exit__(
        self,
        error_type: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Without a commit nothing is published; a failed run leaves no trace behind.
        self.abort()

    def open(self) -> None:
        """Create the output folder if needed and a fresh staging folder inside it."""
        if "parquet" in self.formats:
            import_pyarrow()  # a missing pyarrow is reported before any folder is made
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            self._remove_abandoned_staging()
            self._staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(), dir=self.output_dir))
        except FileExistsError:
            raise OutputFolderError(
                f"{self.output_dir}: is a file, not a folder; pass a folder for the outputs"
            ) from None
        except OSError as error:
            raise OutputFolderError(
                f"{self.output_dir}: cannot write there ({error.strerror}); "
                "pass a folder you can write to"
            ) from None
        try:
            for name in self.formats:
                path = self._staging / FACT_FILES[name]
                self._fact_files.append(_FACT_FILE_WRITERS[name](path))
        except BaseException:
            self.abort()
            raise

    def add_document(self, document: Document) -> None:
        """Stage ``document``'s JSON file and append its facts to every fact file.

        Raises ``DocumentPathError`` when the document's name cannot be a file here (too
        long, or clashing with another document's folder); nothing of it is then written.
        """
        number = len(self._documents)
        self.add_rendered(render_document(document, formats=self.formats, number=number))

    def add_rendered(self, rendered: RenderedDocument) -> None:
        """Stage a document rendered by ``render_document`` (see ``add_document``)."""
        staging = self._require_open()
        relative = document_path(rendered.doc_id)
        self._claim(relative)
        target = staging / relative
        try:
            self._make_folder(target.parent)
            with target.open("wb") as handle:
                if rendered.document is not None:
                    pieces = iter_model_json(rendered.document)
                    handle.writelines(piece.encode("utf-8") for piece in pieces)
                    handle.write(b"\n")
                else:
                    handle.write(rendered.document_json or b"")
        except OSError as error:
            if error.errno not in _NAME_ERRNOS:
                raise
            self._stray_document_folders = True
            raise DocumentPathError(
                f"cannot write {relative}: {error.strerror}; rename the input file"
            ) from None
        self._documents.append(relative)
        if rendered.document is None:
            self._write_facts(rendered.facts)
        else:
            facts = rendered.document.facts
            for first in range(0, len(facts), LARGE_DOCUMENT_FACT_CHUNK):
                chunk = facts[first : first + LARGE_DOCUMENT_FACT_CHUNK]
                self._write_facts(_render_facts(chunk, self.formats))
        self._write_review_part(rendered)

    def _write_facts(self, rendered: Mapping[str, Any]) -> None:
        """Append facts rendered by ``_render_facts`` to every fact file."""
        for name, fact_file in zip(self.formats, self._fact_files, strict=True):
            fact_file.write(rendered[name])

    def _write_review_part(self, rendered: RenderedDocument) -> None:
        """Append the document's part of the review pages to the current page's staged part."""
        from .review import iter_review_document

        part = self._review_parts[-1] if self._review_parts else None
        if part is None or (
            part.documents >= REVIEW_PAGE_DOCUMENTS or part.chars >= REVIEW_PAGE_CHARS
        ):
            part = self._new_review_part()
        if rendered.document is not None:
            for piece in iter_review_document(rendered.document, rendered.number):
                part.handle.write(piece.encode("utf-8"))
                part.chars += len(piece)
        else:
            part.handle.write(rendered.review_html or b"")
            part.chars += rendered.review_chars
        part.documents += 1

    def _new_review_part(self) -> _ReviewPart:
        """Close the current review part (if any) and start the next page's."""
        first = sum(part.documents for part in self._review_parts)
        if self._review_parts:
            self._review_parts[-1].handle.close()
        path = self._require_open() / f".review-part-{len(self._review_parts) + 1}"
        handle = path.open("wb")
        self._review_parts.append(_ReviewPart(path, handle, first_document=first))
        return self._review_parts[-1]

    def commit(
        self,
        entries: Sequence[ManifestEntry] = (),
        *,
        totals: Mapping[str, int],
        input_dir: Path,
        extractor_version: str = "",
    ) -> None:
        """Write manifest.json and review.html, then move every staged file into the output folder.

        Documents named in the previous manifest that this run did not produce again are
        removed, so ``documents/`` matches the new manifest, and so are the fact files of
        formats not written this run (datapackage.json too when facts.csv is not written),
        so no stale facts lie beside the new ones. Nothing else is touched.
        """
        staging = self._require_open()
        for entry in entries:
            self.add_entry(entry)
        self._write_manifest(
            staging,
            {
                "input_dir": str(input_dir),
                "extractor_version": extractor_version,
                "formats": self.formats,
                "totals": dict(totals),
            },
        )
        published = [FACT_FILES[name] for name in self.formats]
        if "csv" in self.formats:
            (staging / DATAPACKAGE_JSON).write_text(render_datapackage(), encoding="utf-8")
            published.append(DATAPACKAGE_JSON)
        for fact_file in self._fact_files:
            fact_file.finish()
        self._fact_files = []
        review_pages = self._write_review(staging)
        previous = self._previous_documents()
        self._publish_documents(staging)
        for name in [*published, *review_pages, MANIFEST_JSON]:
            os.replace(staging / name, self.output_dir / name)
        self._remove_stale_documents(previous - set(self._documents))
        self._remove_stale_fact_files(set(published))
        self._remove_stale_review_pages(set(review_pages))
        self.abort()

    def _publish_documents(self, staging: Path) -> None:
        """Move the staged documents into the output folder's documents/.

        Into an output folder without documents/ (a first run) the staged folder moves
        whole: one rename, where moving each document took a mkdir for each of its
        folders and a rename for each file (a third of a second for 2,600 documents).
        """
        folder = self.output_dir / DOCUMENTS_DIR
        if self._documents and not self._stray_document_folders and not os.path.lexists(folder):
            os.replace(staging / DOCUMENTS_DIR, folder)
            return
        for relative in self._documents:
            target = self.output_dir / relative
            self._make_folder(target.parent)
            os.replace(staging / relative, target)

    def add_entry(self, entry: ManifestEntry) -> None:
        """Stage one file's manifest entry; ``commit`` writes them all into manifest.json.

        Entries go to a staging file as they come, so that a run of 100,000 files does
        not hold 100,000 entries in memory.
        """
        if self._entries is None:
            path = self._require_open() / MANIFEST_ENTRIES
            self._entries = path.open("w", encoding="utf-8", newline="\n")
        text = json.dumps(entry.model_dump(mode="json"), ensure_ascii=False, indent=2)
        # Indented as json.dumps(manifest, indent=2) places an item of "files".
        self._entries.write((",\n" if self._entry_count else "") + _indent(text, "    "))
        self._entry_count += 1

    def _write_manifest(self, staging: Path, head: dict[str, Any]) -> None:
        """Write manifest.json: ``head``, then "files" with the staged entries, in order.

        The same text as ``json.dumps({**head, "files": entries}, indent=2)``.
        """
        text = json.dumps({**head, "files": []}, ensure_ascii=False, indent=2)
        with (staging / MANIFEST_JSON).open("w", encoding="utf-8", newline="\n") as handle:
            if self._entries is None:
                handle.write(text + "\n")
                return
            self._entries.close()
            self._entries = None
            handle.write(text.removesuffix("[]\n}") + "[\n")
            with (staging / MANIFEST_ENTRIES).open(encoding="utf-8", newline="\n") as entries:
                shutil.copyfileobj(entries, handle, 1 << 20)
            handle.write("\n  ]\n}\n")
        (staging / MANIFEST_ENTRIES).unlink()

    def _write_review(self, staging: Path) -> list[str]:
        """Write the staged review pages around the documents' parts; return their names."""
        # Jinja2 is loaded only when needed.
        from .review import ReviewPage, iter_review_page, review_page_frame

        for part in self._review_parts:
            part.handle.close()
        pages = [
            ReviewPage(
                review_page_name(number),
                first_document=part.first_document,
                documents=part.documents,
            )
            for number, part in enumerate(self._review_parts, start=1)
        ] or [ReviewPage(REVIEW_HTML, first_document=0, documents=0)]
        for index, page in enumerate(pages):
            part = self._review_parts[index] if index < len(self._review_parts) else None
            with (staging / page.name).open("wb") as handle:
                if part is not None and part.path.stat().st_size:
                    # The page's own HTML around its documents' staged HTML, copied as is.
                    head, tail = review_page_frame(pages=pages, page=index)
                    handle.write(head.encode("utf-8"))
                    with part.path.open("rb") as staged:
                        shutil.copyfileobj(staged, handle, 1 << 20)
                    handle.write(tail.encode("utf-8"))
                else:
                    pieces = iter_review_page((), pages=pages, page=index)
                    handle.writelines(piece.encode("utf-8") for piece in pieces)
        for part in self._review_parts:
            part.path.unlink(missing_ok=True)
        self._review_parts = []
        return [page.name for page in pages]

    def abort(self) -> None:
        """Close the staged files and remove the staging folder (published files stay)."""
        if self._entries is not None:
            self._entries.close()
            self._entries = None
        for part in self._review_parts:
            part.handle.close()
        self._review_parts = []
        for fact_file in self._fact_files:
            # Closing an abandoned file must not hide why it was abandoned.
            with contextlib.suppress(Exception):
                fact_file.close()
        self._fact_files = []
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
        self._staging = None
        self._made_folders.clear()

    def _make_folder(self, folder: Path) -> None:
        """Make ``folder`` and its parents unless this writer made it already."""
        if folder not in self._made_folders:
            folder.mkdir(parents=True, exist_ok=True)
            self._made_folders.add(folder)

    def _require_open(self) -> Path:
        """Return the staging folder; raise if the writer is not open."""
        if self._staging is None:
            raise RuntimeError("OutputWriter is not open; use it in a with block")
        return self._staging

    def _claim(self, relative: str) -> None:
        """Reserve ``relative`` for one document; raise when it clashes with another's path.

        ``a.txt`` and ``a.json/b.txt`` would need ``documents/a.json`` as file and folder.
        """
        folders = [str(parent) for parent in PurePosixPath(relative).parents][:-1]
        if relative in self._claimed_files or relative in self._claimed_folders:
            raise DocumentPathError(f"cannot write {relative}: another document uses that name")
        clash = next((folder for folder in folders if folder in self._claimed_files), None)
        if clash is not None:
            raise DocumentPathError(
                f"cannot write {relative}: {clash} is another document's file; rename the input"
            )
        self._claimed_files.add(relative)
        self._claimed_folders.update(folders)

    def _previous_documents(self) -> set[str]:
        """Return the document files the previous run's manifest says it wrote (may be none)."""
        manifest = _previous_manifest(self.output_dir)
        if manifest is None:
            return set()  # no readable previous manifest: there is nothing we know we wrote
        return {document_path(entry["doc_id"]) for entry in _written_entries(manifest)}

    def _remove_stale_fact_files(self, published: set[str]) -> None:
        """Delete the fact files and datapackage.json this run did not write (only files)."""
        for name in sorted({*FACT_FILES.values(), DATAPACKAGE_JSON} - published):
            path = self.output_dir / name
            if path.is_file() or path.is_symlink():
                path.unlink(missing_ok=True)

    def _remove_abandoned_staging(self) -> None:
        """Remove staging folders left by killed runs on this host (their process is gone)."""
        own_host = _staging_prefix(0).removesuffix("0-")
        for path in self.output_dir.glob(f"{STAGING_PREFIX}*"):
            rest = path.name.removeprefix(own_host)
            pid_text = rest.split("-", 1)[0]
            if rest == path.name or not pid_text.isdigit() or not path.is_dir():
                continue  # another host's, or a name this version does not write
            if not _process_is_alive(int(pid_text)):
                shutil.rmtree(path, ignore_errors=True)

    def _remove_stale_review_pages(self, published: set[str]) -> None:
        """Delete review-N.html pages of an earlier, bigger run (only files of that name)."""
        for path in self.output_dir.glob("review-*.html"):
            if _REVIEW_PAGE_RE.fullmatch(path.name) and path.name not in published:
                if path.is_file() or path.is_symlink():
                    path.unlink(missing_ok=True)

    def _remove_stale_documents(self, stale: Iterable[str]) -> None:
        """Delete the given document files and the folders they leave empty, inside documents/."""
        documents = (self.output_dir / DOCUMENTS_DIR).resolve()
        for relative in sorted(stale):
            path = (self.output_dir / relative).resolve()
            # A hand-edited manifest must never make us delete outside documents/.
            if documents not in path.parents or path.suffix != ".json":
                continue
            path.unlink(missing_ok=True)
            for folder in path.parents:
                if folder == documents:
                    break
                try:
                    folder.rmdir()
                except OSError:
                    break
