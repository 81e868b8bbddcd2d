"""Write stage, and the only module that writes files: facts, documents and the manifest.

Every output is written whole or not at all. A run writes into a staging folder inside
the output folder (``.extract-staging-*``) and moves each finished file into place with
``os.replace`` only when the run has finished; on any exception, Ctrl-C included, the
staging folder is removed and the previous outputs stay as they were. ``manifest.json``
is moved last, so a manifest always describes outputs that are complete.

Documents stream through: each one is written to its JSON file and its facts appended
to ``facts.jsonl`` and ``facts.csv`` as it arrives, so memory does not grow with the corpus.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, Any

import pandas as pd
from pydantic import BaseModel

from .models import FACT_FIELDS, Document, Fact, ManifestEntry
from .review import iter_review_html

FACTS_JSONL = "facts.jsonl"
FACTS_CSV = "facts.csv"
REVIEW_HTML = "review.html"
MANIFEST_JSON = "manifest.json"
DOCUMENTS_DIR = "documents"
STAGING_PREFIX = ".extract-staging-"

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


class DocumentPathError(Exception):
    """One document's JSON file cannot be written under its name; the run goes on."""


def fact_row(fact: Fact) -> dict[str, Any]:
    """Return ``fact`` as a JSON-ready dict, keys in ``FACT_FIELDS`` order, numbers as numbers."""
    return fact.model_dump(mode="json")


def render_fact_line(fact: Fact) -> str:
    """Return the facts.jsonl line of ``fact`` (no newline), Chinese kept as is."""
    return json.dumps(fact_row(fact), ensure_ascii=False)


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
                text = json.dumps(item.model_dump(mode="json"), indent=2, ensure_ascii=False)
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
    rows = []
    for fact in facts:
        row = fact_row(fact)
        row["qualifiers"] = QUALIFIER_SEPARATOR.join(row["qualifiers"]) or None
        rows.append(row)
    return pd.DataFrame(rows, columns=list(FACT_FIELDS), dtype=object)


def read_facts_csv(path: Path) -> pd.DataFrame:
    """Return facts.csv as a DataFrame with the documented ``FACTS_CSV_DTYPES``.

    Only empty cells are missing values: a mention reading ``NA`` stays text.
    """
    return pd.read_csv(
        path,
        dtype=FACTS_CSV_DTYPES,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8-sig",
    )


class OutputWriter:
    """Collects one run's outputs in a staging folder and publishes them together.

    Use as a context manager; nothing reaches the output folder unless ``commit`` is
    called, and leaving the block by an exception removes the staging folder::

        with OutputWriter(output_dir) as writer:
            writer.add_document(document)
            writer.commit(entries, totals=totals, input_dir=input_dir)
    """

    def __init__(self, output_dir: Path) -> None:
        self.output_dir = output_dir
        self._staging: Path | None = None
        self._jsonl: IO[str] | None = None
        self._csv: IO[str] | None = None
        self._documents: list[str] = []
        self._claimed_files: set[str] = set()
        self._claimed_folders: set[str] = set()

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
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
            self._staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.output_dir))
        except FileExistsError:
            raise OutputFolderError(
                f"{self.output_dir}: is a file, not a folder; pass a folder for the outputs"
            ) from None
        except OSError as error:
            raise OutputFolderError(
                f"{self.output_dir}: cannot write there ({error.strerror}); "
                "pass a folder you can write to"
            ) from None
        self._jsonl = (self._staging / FACTS_JSONL).open("w", encoding="utf-8", newline="\n")
        # utf-8-sig puts the byte-order mark Excel needs to read the file as UTF-8.
        self._csv = (self._staging / FACTS_CSV).open("w", encoding="utf-8-sig", newline="")
        csv_frame([]).to_csv(self._csv, index=False, lineterminator="\n")

    def add_document(self, document: Document) -> None:
        """Stage ``document``'s JSON file and append its facts to facts.jsonl and facts.csv.

        Raises ``DocumentPathError`` when the document's name cannot be a file here (too
        long, or clashing with another document's folder); nothing of it is then written.
        """
        staging, jsonl, csv = self._require_open()
        relative = document_path(document.doc_id)
        self._claim(relative)
        target = staging / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8") as handle:
                handle.writelines(iter_model_json(document))
                handle.write("\n")
        except OSError as error:
            if error.errno not in _NAME_ERRNOS:
                raise
            raise DocumentPathError(
                f"cannot write {relative}: {error.strerror}; rename the input file"
            ) from None
        self._documents.append(relative)
        for fact in document.facts:
            jsonl.write(render_fact_line(fact) + "\n")
        if document.facts:
            csv_frame(document.facts).to_csv(csv, index=False, header=False, lineterminator="\n")

    def commit(
        self,
        entries: Sequence[ManifestEntry],
        *,
        totals: Mapping[str, int],
        input_dir: Path,
    ) -> None:
        """Write manifest.json and review.html, then move every staged file into the output folder.

        Documents named in the previous manifest that this run did not produce again are
        removed, so ``documents/`` matches the new manifest. Nothing else is touched.
        """
        staging, jsonl, csv = self._require_open()
        manifest = {
            "input_dir": str(input_dir),
            "totals": dict(totals),
            "files": [entry.model_dump(mode="json") for entry in entries],
        }
        (staging / MANIFEST_JSON).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        for handle in (jsonl, csv):
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
        self._write_review(staging)
        previous = self._previous_documents()
        for relative in self._documents:
            target = self.output_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target)
        for name in (FACTS_JSONL, FACTS_CSV, REVIEW_HTML, MANIFEST_JSON):
            os.replace(staging / name, self.output_dir / name)
        self._remove_stale_documents(previous - set(self._documents))
        self.abort()

    def _write_review(self, staging: Path) -> None:
        """Write the staged review.html from the staged documents, read back one at a time."""
        documents = (
            Document.model_validate_json((staging / relative).read_bytes())
            for relative in self._documents
        )
        with (staging / REVIEW_HTML).open("w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(iter_review_html(documents))

    def abort(self) -> None:
        """Close the staged files and remove the staging folder (published files stay)."""
        for handle in (self._jsonl, self._csv):
            if handle is not None and not handle.closed:
                handle.close()
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
        self._staging = self._jsonl = self._csv = None

    def _require_open(self) -> tuple[Path, IO[str], IO[str]]:
        """Return the staging folder and the open facts files; raise if not open."""
        if self._staging is None or self._jsonl is None or self._csv is None:
            raise RuntimeError("OutputWriter is not open; use it in a with block")
        return self._staging, self._jsonl, self._csv

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
        try:
            manifest = json.loads((self.output_dir / MANIFEST_JSON).read_text(encoding="utf-8"))
            return {
                document_path(entry["doc_id"])
                for entry in manifest["files"]
                if entry.get("status") == "ok" and isinstance(entry.get("doc_id"), str)
            }
        except (OSError, ValueError, KeyError, TypeError):
            # No readable previous manifest: there is nothing we know we wrote.
            return set()

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
