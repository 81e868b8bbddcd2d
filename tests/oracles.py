"""Reference renderers: the outputs written the slow, obvious way, for tests to compare.

``encode.FactTable`` and ``encode.document_json`` build the same text from columns,
several times faster; these say what that text must be (json.dumps, the csv module,
pandas, pydantic), and the golden fixtures are written with them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from extract.encode import fact_row, iter_model_json
from extract.models import FACT_FIELDS, Document, Fact
from extract.schema import QUALIFIER_SEPARATOR

if TYPE_CHECKING:
    import pandas as pd


def render_fact_line(fact: Fact) -> str:
    """Return the facts.jsonl line of ``fact`` (no newline), Chinese kept as is."""
    return render_row_line(fact_row(fact))


def render_row_line(row: dict[str, Any]) -> str:
    """Return the facts.jsonl line of a ``fact_row`` dict (no newline)."""
    return json.dumps(row, ensure_ascii=False)


def render_document_json(document: Document) -> str:
    """Return the text of ``documents/DOC_ID.json`` for ``document``, ending in a newline.

    The same text as ``document.model_dump_json(indent=2)``, built piece by piece.
    """
    return "".join(iter_model_json(document)) + "\n"


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
    the two together): the csv module's own text, which ``FactTable.csv_text`` must match.
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
