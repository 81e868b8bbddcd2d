"""Write stage, and the only module that writes files: facts, documents and the manifest.

The facts go to one file per requested format, and each format is one entry of the
``FORMATS`` registry: its file name (facts.csv, facts.jsonl, facts.json, facts.parquet),
its writer, the files it brings along (``datapackage.json`` describes facts.csv whenever
it is written) and the optional package it needs. Fact files of formats not requested
are removed at commit, so the folder holds exactly the formats that ``manifest.json``
lists. The text of each output is made by ``encode.py`` (rows, document JSON),
``schema.py`` (datapackage, Arrow schema) and ``review.py`` (the review page).

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
import errno
import importlib
import json
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from .encode import FactTable, RenderedDocument, document_json, iter_model_json
from .models import FACT_FIELDS, Document, Fact, ManifestEntry
from .schema import FACTS_CSV_DTYPES, fact_arrow_schema, import_pyarrow, render_datapackage

if TYPE_CHECKING:
    # pandas takes 0.3 s to import, pyarrow longer: each is imported where first needed.
    import pandas as pd
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

#: Rows of facts.parquet buffered before they are written as one row group: large enough
#: for efficient reading, small enough that memory does not grow with the corpus.
PARQUET_ROW_GROUP_ROWS = 65_536


#: Errors writing one document's JSON that come from its name, not from the disk: they
#: fail that document only. Anything else (disk full, permissions) stops the run.
_NAME_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.ENOTDIR, errno.EISDIR, errno.EEXIST})


class OutputFolderError(Exception):
    """The output folder cannot be used; the message names the path and the fix."""


class FormatError(ValueError):
    """An output format is unknown or cannot be written here; the message says the fix."""


class DocumentPathError(Exception):
    """One document's JSON file cannot be written under its name; the run goes on."""


def document_path(doc_id: str) -> str:
    """Return the path of a document's JSON file, relative to the output folder.

    >>> document_path("2023/一季度")
    'documents/2023/一季度.json'
    """
    return f"{DOCUMENTS_DIR}/{doc_id}.json"


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


class FactFile:
    """One fact file being written in the staging folder, in one format.

    ``render`` turns one document's facts into what ``write`` appends; it is a static
    method so that it can run where the document was extracted (a worker process). Text
    formats render UTF-8 bytes there, so the writing process only copies them.
    """

    def __init__(self, path: Path) -> None:
        """Start writing the fact file at ``path`` (in the staging folder)."""
        raise NotImplementedError

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


class TextFactFile(FactFile):
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


class JsonlFile(TextFactFile):
    """facts.jsonl: one JSON object a line."""

    @staticmethod
    def render(facts: Sequence[Fact], table: FactTable) -> bytes:
        return table.jsonl_text().encode("utf-8")

    def write(self, rendered: bytes) -> None:
        self._handle.write(rendered)


class CsvFile(TextFactFile):
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


class JsonFile(TextFactFile):
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


class ParquetFile(FactFile):
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


@dataclass(frozen=True)
class Dependency:
    """An optional package a format needs: what to import, and how the user installs it."""

    #: The package's name, as the error message names it (``pyarrow``).
    name: str
    #: The module to import to know it is there (``pyarrow.parquet``).
    module: str
    #: The command that installs it (``pip install 'pyarrow>=14'``).
    install: str


@dataclass(frozen=True)
class ExtraFile:
    """A file a format brings beside its fact file, written whenever the format is."""

    name: str
    #: Returns the file's text, given the name of the format's fact file.
    render: Callable[[str], str]


@dataclass(frozen=True)
class OutputFormat:
    """One fact file format: its file, its writer, what it brings along and needs."""

    file_name: str
    writer: type[FactFile]
    extra_files: tuple[ExtraFile, ...] = ()
    dependency: Dependency | None = None
    #: Written when no format is asked for.
    default: bool = False

    def file_names(self) -> tuple[str, ...]:
        """Return the names of the files the format writes: its fact file, then the extra."""
        return (self.file_name, *(extra.name for extra in self.extra_files))


#: Every output format a run can write, in the order they are listed (in messages and in
#: manifest.json). Adding a format is an entry here and its ``FactFile`` writer.
FORMATS: dict[str, OutputFormat] = {
    "csv": OutputFormat(
        FACTS_CSV,
        CsvFile,
        extra_files=(ExtraFile(DATAPACKAGE_JSON, render_datapackage),),
        default=True,
    ),
    "jsonl": OutputFormat(FACTS_JSONL, JsonlFile, default=True),
    "json": OutputFormat(FACTS_JSON, JsonFile),
    "parquet": OutputFormat(
        FACTS_PARQUET,
        ParquetFile,
        # pyarrow by its own name: 'extract' on PyPI is another project. The requirement
        # is the parquet extra's in pyproject.toml (tests/test_formats.py holds them equal).
        dependency=Dependency("pyarrow", "pyarrow.parquet", "pip install 'pyarrow>=14'"),
    ),
}

#: The formats written when none are asked for.
DEFAULT_FORMATS: frozenset[str] = frozenset(
    name for name, output_format in FORMATS.items() if output_format.default
)


def check_formats(formats: Iterable[str]) -> frozenset[str]:
    """Return ``formats`` as a set after checking each is one of ``FORMATS``.

    >>> sorted(check_formats(["parquet", "csv"]))
    ['csv', 'parquet']
    """
    chosen = frozenset(formats)
    unknown = sorted(chosen - FORMATS.keys())
    if unknown:
        raise FormatError(
            f"unknown output format {', '.join(map(repr, unknown))}; "
            f"choose from {', '.join(FORMATS)}"
        )
    if not chosen:
        raise FormatError(f"no output format given; choose from {', '.join(FORMATS)}")
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
    """Return ``formats`` in the order of ``FORMATS`` (csv, jsonl, json, parquet).

    >>> ordered_formats({"parquet", "csv"})
    ['csv', 'parquet']
    """
    chosen = set(formats)
    return [name for name in FORMATS if name in chosen]


def require_dependencies(formats: Iterable[str]) -> None:
    """Return once the optional package of each of ``formats`` imports; raise ``FormatError``.

    >>> require_dependencies(["csv", "jsonl"])
    """
    for name in formats:
        dependency = FORMATS[name].dependency
        if dependency is None:
            continue
        try:
            importlib.import_module(dependency.module)
        except ImportError:
            raise FormatError(
                f"{name} output needs {dependency.name}, which is not installed; "
                f"run {dependency.install}, or leave {name} out of the formats"
            ) from None


#: A document whose text is longer than this is written piece by piece by the writer
#: instead of being rendered whole: its JSON and review HTML could take hundreds of MB.
LARGE_DOCUMENT_CHARS = 1_000_000


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
    return {name: FORMATS[name].writer.render(facts, table) for name in formats}


#: Facts of a large document rendered at a time, so that its rendering stays small.
LARGE_DOCUMENT_FACT_CHUNK = 10_000


class OutputWriter:
    """Collects one run's outputs in a staging folder and publishes them together.

    Use as a context manager; nothing reaches the output folder unless ``commit`` is
    called, and leaving the block by an exception removes the staging folder::

        with OutputWriter(output_dir, formats={"csv", "parquet"}) as writer:
            writer.add_document(document)
            writer.commit(entries, totals=totals, input_dir=input_dir)

    ``formats`` are names from ``FORMATS``; an unknown one, or one whose optional
    package is not installed (parquet without pyarrow), raises ``FormatError`` before
    anything is written.
    """

    def __init__(self, output_dir: Path, *, formats: Iterable[str] = DEFAULT_FORMATS) -> None:
        self.output_dir = output_dir
        self.formats = ordered_formats(check_formats(formats))
        self._staging: Path | None = None
        self._fact_files: list[FactFile] = []
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
        # A missing optional package is reported before any folder is made.
        require_dependencies(self.formats)
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
                output_format = FORMATS[name]
                path = self._staging / output_format.file_name
                self._fact_files.append(output_format.writer(path))
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
        published = [FORMATS[name].file_name for name in self.formats]
        for name in self.formats:
            for extra in FORMATS[name].extra_files:
                text = extra.render(FORMATS[name].file_name)
                (staging / extra.name).write_text(text, encoding="utf-8")
                published.append(extra.name)
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
            staged_part = self._review_parts[index] if index < len(self._review_parts) else None
            with (staging / page.name).open("wb") as handle:
                if staged_part is not None and staged_part.path.stat().st_size:
                    # The page's own HTML around its documents' staged HTML, copied as is.
                    head, tail = review_page_frame(pages=pages, page=index)
                    handle.write(head.encode("utf-8"))
                    with staged_part.path.open("rb") as staged:
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
        """Delete the fact files (and their extra files) this run did not write (only files)."""
        every = {name for output_format in FORMATS.values() for name in output_format.file_names()}
        for name in sorted(every - published):
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
