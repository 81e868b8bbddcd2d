"""Pure encoders of the outputs: fact rows, document JSON and CSV fields, as text.

Each output of a document is text built here from its facts, once, in columns
(``FactTable``): the json module, the csv module and pydantic define what the text must
be (tests/oracles.py holds them as references), and these encoders make the same text
several times faster. Nothing here writes a file: ``write.py`` does, and ``review.py``
builds the review page from the same rows.
"""

from __future__ import annotations

import itertools
import json
import math
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from typing import Any

import pydantic_core
from pydantic import BaseModel

from .models import FACT_FIELDS, Document, Fact, decimal_to_json
from .schema import (
    CSV_ESCAPE,
    CSV_ESCAPED_STARTS,
    QUALIFIER_SEPARATOR,
    csv_escape,
    fact_columns,
)


def fact_row(fact: Fact) -> dict[str, Any]:
    """Return ``fact`` as a JSON-ready dict, keys in ``FACT_FIELDS`` order, numbers as numbers."""
    return fact.model_dump(mode="json")


#: ``json.dumps(text, ensure_ascii=False)`` of a str: the C function json's encoder calls
#: for every string, without the set-up json.dumps makes on each call.
json_string: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]

_NONE_TYPE = type(None)

#: The fields of a fact, read in one call, in ``FACT_FIELDS`` order.
_fact_values = operator.attrgetter(*FACT_FIELDS)

#: The ``Decimal`` fields, written as JSON numbers (``decimal_to_json``).
_NUMBER_FIELDS = frozenset(column.name for column in fact_columns() if column.kind == "number")


def json_value(value: Any) -> str:
    """Return ``value`` as ``json.dumps(value, ensure_ascii=False)`` writes it.

    >>> json_value("增长5%"), json_value(None), json_value(3.5), json_value(["累计", "同比"])
    ('"增长5%"', 'null', '3.5', '["累计", "同比"]')
    """
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
        """Yield each fact's facts.jsonl line (no newline), Chinese kept as is.

        The text of ``json.dumps(fact_row(fact), ensure_ascii=False)``.
        """
        return _JSONL_LINE.rows(self.json.values())

    def jsonl_text(self) -> str:
        """Return the facts' lines of facts.jsonl, each ending in a newline."""
        return "".join(_JSONL_LINE_WITH_NEWLINE.rows(self.json.values()))

    def csv_text(self) -> str:
        """Return the facts.csv lines (no header), each ending in a newline.

        The text the csv module writes of each fact's ``fact_row``, its qualifiers joined
        by ``QUALIFIER_SEPARATOR`` (``render_csv_rows`` in tests/oracles.py).
        """
        columns = [
            csv_fields(list(map(QUALIFIER_SEPARATOR.join, values)), {str})
            if name == "qualifiers"
            else csv_fields(values, self.kinds[name], self.json[name])
            for name, values in self.values.items()
        ]
        return "".join(_CSV_LINE.rows(columns))


#: What goes around the fields of a facts.csv line.
_CSV_LINE = RowFormat(("", *[","] * (len(FACT_FIELDS) - 1), "\n"))


#: The first character of a text ("" for an empty one).
_first_character = operator.itemgetter(slice(0, 1))


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
    known, saves writing numbers again. A text (never a number) that a spreadsheet would
    read as a formula is escaped (``csv_escape``).

    >>> csv_fields(["新增", "1,000", None], {str, type(None)})
    ['新增', '"1,000"', '']
    """
    if kinds <= {str, _NONE_TYPE}:
        fields = list(values) if kinds <= {str} else ["" if v is None else v for v in values]
        # The first character of each distinct text (a document's facts repeat their
        # doc_id, units and sentences), looked at in C; a column holding a text to escape
        # (csv_escape: the comparator =) is mapped through the escapes of its texts.
        distinct = set(fields)
        if not CSV_ESCAPED_STARTS.isdisjoint(map(_first_character, distinct)):
            escaped = {
                field: CSV_ESCAPE + field if field[:1] in CSV_ESCAPED_STARTS else field
                for field in distinct
            }
            fields = list(map(escaped.__getitem__, fields))
    elif kinds <= {int, float} and json_texts and _NON_FINITE_JSON.isdisjoint(json_texts):
        fields = list(json_texts)  # a finite number's JSON is its repr, which csv writes
    elif kinds <= {int, float}:
        fields = list(map(str, values))  # what csv writes for a number
    else:
        fields = [
            "" if value is None else csv_escape(value) if isinstance(value, str) else str(value)
            for value in values
        ]
    if not _may_need_quotes("".join(fields)):
        return fields
    return [_csv_field(field) if _may_need_quotes(field) else field for field in fields]


def _csv_field(text: str) -> str:
    """Return ``text`` quoted as the csv module quotes a field, a lone "\\r" included.

    Python 3.11's csv module leaves a field holding "\\r" but no "\\n" unquoted, which
    every reader takes for a line end; this quotes whatever ``_may_need_quotes`` finds.

    >>> _csv_field("a,b"), _csv_field('1"2'), _csv_field("a\\rb")
    ('"a,b"', '"1""2"', '"a\\rb"')
    """
    return '"' + text.replace('"', '""') + '"'


def csv_line(fields: Iterable[str]) -> str:
    """Return ``fields`` as one CSV line with its "\\n", quoted where they need it.

    >>> csv_line(["地区", "a,b", ""])
    '地区,"a,b",\\n'
    """
    return ",".join(_csv_field(f) if _may_need_quotes(f) else f for f in fields) + "\n"


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


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
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
    #: Each requested format's rendering of the facts (``write.FactFile.render``); empty
    #: for a large document, whose facts the writer renders a chunk at a time.
    facts: dict[str, Any]
    #: The document's part of review.html, or None for a large document.
    review_html: bytes | None
    #: The document's number on the review page (unique in a run, not always 0, 1, 2 …).
    number: int = 0
    #: The document itself, only when it is large.
    document: Document | None = None
    #: The length of ``review_html`` in characters (review pages are cut by characters).
    review_chars: int = 0
    #: The document's facts that have a concept, each with its position among its facts:
    #: what the panel is built of (``panel.concept_facts``), few and small. Empty for a
    #: large document, whose facts the writer goes through itself.
    panel_facts: tuple[tuple[int, Fact], ...] = ()


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
