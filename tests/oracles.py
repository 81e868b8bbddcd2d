"""Reference renderers: the outputs written the slow, obvious way, for tests to compare.

``encode.FactTable`` and ``encode.document_json`` build the same text from columns,
several times faster; these say what that text must be (json.dumps, the csv module,
pandas, pydantic), and the golden fixtures are written with them.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from pathlib import Path
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
        rows.append(_escape_texts(row))
    return pd.DataFrame(rows, columns=list(FACT_FIELDS), dtype=object)


def render_csv_rows(rows: Iterable[dict[str, Any]]) -> str:
    """Return the facts.csv lines (no header) of ``fact_row`` dicts: the text pandas writes.

    The same bytes as ``csv_frame(facts).to_csv(index=False, header=False)`` (a test holds
    the two together): the csv module's own text, which ``FactTable.csv_text`` must match.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        cells = _escape_texts({**row, "qualifiers": QUALIFIER_SEPARATOR.join(row["qualifiers"])})
        writer.writerow(["" if cells[name] is None else cells[name] for name in FACT_FIELDS])
    return buffer.getvalue()


def _escape_texts(row: dict[str, Any]) -> dict[str, Any]:
    """Return ``row`` with a ``'`` before each text a spreadsheet would read as a formula
    (=, +, -, @, a tab or carriage return first; or the ``'`` itself), numbers as they are."""
    return {
        name: "'" + value
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "'")
        else value
        for name, value in row.items()
    }


def visible_tree(folder: Path) -> tuple[dict[str, bytes], set[str]]:
    """Return the files (with their bytes) and folders a reader finds under ``folder``.

    Symbolic links are followed, as a reader's tools follow them (facts.csv and documents/
    are links into the current run's folder); a link to nothing is not a file. The run's
    own bookkeeping, named ``.extract…`` at the top of the folder, is left out.
    """
    files: dict[str, bytes] = {}
    folders: set[str] = set()
    for root, names, file_names in os.walk(folder, followlinks=True):
        if Path(root) == folder:
            names[:] = [name for name in names if not name.startswith(".extract")]
            file_names = [name for name in file_names if not name.startswith(".extract")]
        folders.update((Path(root) / name).relative_to(folder).as_posix() for name in names)
        for name in file_names:
            path = Path(root) / name
            if path.is_file():
                files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files, folders


def visible_outputs(folder: Path) -> dict[str, bytes]:
    """Return every file a reader finds under ``folder``, by relative path (``visible_tree``)."""
    return visible_tree(folder)[0]
