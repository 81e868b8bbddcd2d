"""Write stage, and the only module that writes files: facts, documents and the manifest.

The facts go to one file per requested format, and each format is one entry of the
``FORMATS`` registry: its file name (facts.csv, facts.jsonl, facts.json, facts.parquet),
its writer, the files it brings along (``datapackage.json`` describes facts.csv whenever
it is written) and the optional package it needs. Fact files of formats not requested
are removed at commit, so the folder holds exactly the formats that ``manifest.json``
lists. The text of each output is made by ``encode.py`` (rows, document JSON),
``schema.py`` (datapackage, Arrow schema) and ``review.py`` (the review page).

Every output is written whole or not at all, and a reader never finds two runs' outputs
side by side. A run writes into a staging folder inside the output folder
(``.extract-staging-*``); when it has finished, the folder becomes a generation
(``.extract-output-*``) and one ``rename(2)`` of the symbolic link ``.extract-current``
makes it the current one: that rename is the commit. The names a user reads (facts.csv,
manifest.json, documents/, …) are symbolic links into ``.extract-current``, so before the
commit they show the previous run whole and after it this run whole. On any failure
before the commit, Ctrl-C and SIGTERM included, the staging folder is removed and the
previous outputs stay as they were; Ctrl-C and SIGTERM during the commit itself are held
back until it is done (a few renames). A kill -9 or a power loss leaves the previous run
or this one, and scraps (``.extract-*``) that the next run removes.

One run at a time writes into a folder: a run holds ``fcntl.flock`` on ``.extract-lock``
there, which the system releases when the process ends, however it ends. And a run
replaces or removes only what an earlier run wrote: in a folder holding a facts.csv,
manifest.json, documents/, … that no run of extract wrote, it stops before writing
anything (``force`` replaces them).

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
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from .encode import FactTable, RenderedDocument, csv_line, document_json, iter_model_json
from .lexicon import Lexicon
from .models import FACT_FIELDS, Document, Fact, ManifestEntry
from .panel import PANEL_FIELDS, PanelBuilder, PanelRow, concept_facts, panel_number
from .schema import (
    CSV_ESCAPE,
    FACTS_CSV_DTYPES,
    PANEL_CSV_DTYPES,
    csv_escape,
    csv_unescape,
    fact_arrow_schema,
    import_pyarrow,
    panel_arrow_schema,
    render_datapackage,
)

if TYPE_CHECKING:
    # pandas takes 0.3 s to import, pyarrow longer: each is imported where first needed.
    import pandas as pd
    import pyarrow.parquet as pq

FACTS_JSONL = "facts.jsonl"
FACTS_CSV = "facts.csv"
FACTS_JSON = "facts.json"
FACTS_PARQUET = "facts.parquet"
DATAPACKAGE_JSON = "datapackage.json"
#: The panel (panel.py): written by every run, and as Parquet with the parquet format.
PANEL_CSV = "panel.csv"
PANEL_PARQUET = "panel.parquet"
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


#: The lock files this process holds (open descriptors). A worker process forked from it
#: closes its copies (``close_inherited_locks``), so that the lock ends with this process.
_HELD_LOCKS: set[int] = set()


def close_inherited_locks() -> None:
    """Close this process's copies of the output folder locks (in a forked worker)."""
    for descriptor in list(_HELD_LOCKS):
        with contextlib.suppress(OSError):
            os.close(descriptor)
    _HELD_LOCKS.clear()


def _lock_output_folder(output_dir: Path) -> int | None:
    """Return the descriptor of the lock this process now holds on ``output_dir``.

    Raises ``OutputFolderError`` naming the holder when another run holds it. None where
    the system has no ``flock`` (Windows) or the file system refuses it: no lock then.
    """
    try:
        import fcntl
    except ImportError:
        return None
    descriptor = os.open(output_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip()
        os.close(descriptor)
        if error.errno in (errno.EAGAIN, errno.EACCES):
            raise OutputFolderError(
                f"{output_dir}: another run of extract is writing there "
                f"({holder or 'holder unknown'}); wait for it to end, or choose another folder"
            ) from None
        return None  # a file system without locks (ENOLCK): run unlocked, as before
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    os.ftruncate(descriptor, 0)
    os.pwrite(
        descriptor, f"pid {os.getpid()} on {socket.gethostname()}, started {started}\n".encode(), 0
    )
    _HELD_LOCKS.add(descriptor)
    return descriptor


def _release_lock(descriptor: int | None) -> None:
    """Release the lock ``_lock_output_folder`` took (the file stays: removing it races)."""
    if descriptor is not None:
        _HELD_LOCKS.discard(descriptor)
        with contextlib.suppress(OSError):
            os.close(descriptor)


def _is_output_name(name: str) -> bool:
    """Return whether ``name`` is one a run writes at the top of its output folder."""
    return name in _OUTPUT_NAMES or _REVIEW_PAGE_RE.fullmatch(name) is not None


def _is_our_link(path: Path) -> bool:
    """Return whether ``path`` is a run's link into the current generation."""
    try:
        return os.readlink(path) == f"{CURRENT_LINK}/{path.name}"
    except OSError:
        return False


def _older_run_names(output_dir: Path) -> set[str]:
    """Return the names a run of an older version of extract wrote into ``output_dir``.

    Those runs moved each output into place, with no links: their manifest.json (a file)
    names the formats they wrote; each also wrote documents/ and its review pages.
    """
    path = output_dir / MANIFEST_JSON
    if path.is_symlink() or not path.is_file():
        return set()
    manifest = _previous_manifest(output_dir)
    if manifest is None:
        return set()
    formats = manifest.get("formats", ["csv", "jsonl"])
    if not isinstance(formats, list):
        return set()
    names = {MANIFEST_JSON, DOCUMENTS_DIR, REVIEW_HTML}
    for name in formats:
        if name in FORMATS:
            names.update(FORMATS[name].file_names())
    names.update(path.name for path in output_dir.glob("review-*.html"))
    return names


def foreign_outputs(output_dir: Path) -> list[str]:
    """Return the names in ``output_dir`` a run would replace or remove but no run wrote.

    A run's own outputs are its links into ``.extract-current``, or the files an older
    version's run named in its manifest.json; anything else under an output's name
    (facts.csv, manifest.json, documents/, review-2.html, …) is someone else's.
    """
    try:
        names = os.listdir(output_dir)
    except (FileNotFoundError, NotADirectoryError):
        return []
    older = _older_run_names(output_dir)
    return sorted(
        name
        for name in names
        if _is_output_name(name) and name not in older and not _is_our_link(output_dir / name)
    )


@contextlib.contextmanager
def _signals_held() -> Iterator[list[int]]:
    """Hold back SIGINT and SIGTERM inside the block; yield the list of those received.

    The block is a run's commit: a few renames, which must all happen or none. Signal
    handlers can only be set in the main thread; elsewhere the block runs unguarded.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def hold(number: int, frame: object) -> None:
        received.append(number)

    saved = {number: signal.signal(number, hold) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _link(target: str, path: Path) -> None:
    """Make ``path`` a symbolic link to ``target`` in one rename, whatever was there."""
    new = path.with_name(f"{NEW_LINK_PREFIX}{os.getpid()}-{path.name}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(new)
    os.symlink(target, new)
    os.replace(new, path)


def _sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (the renames in it) to disk, where the system can."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _carry_over(previous: Path, generation: Path) -> list[Callable[[], None]]:
    """Move the files in ``previous``'s documents/ that its run did not write (a user's
    notes beside the documents) to the same place in ``generation``; return the undo steps.

    A run removes only what a run wrote. When the previous manifest cannot be read, which
    files the run wrote is unknown, and nothing is carried over: the new documents/ holds
    this run's documents only.
    """
    manifest = _previous_manifest(previous)
    if manifest is None:
        return []
    written = {document_path(entry["doc_id"]) for entry in _written_entries(manifest)}
    undo: list[Callable[[], None]] = []
    for root, _, files in os.walk(previous / DOCUMENTS_DIR):
        for name in files:
            path = Path(root) / name
            relative = path.relative_to(previous).as_posix()
            target = generation / relative
            if relative in written or os.path.lexists(target):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(path, target)
            undo.append(partial(os.rename, target, path))
    return undo


def _remove_empty_folders(folder: Path) -> None:
    """Remove the empty folders under ``folder`` (not ``folder`` itself), deepest first."""
    for root, _, _ in sorted(os.walk(folder), key=lambda item: -len(item[0])):
        if Path(root) != folder:
            with contextlib.suppress(OSError):
                os.rmdir(root)


def review_page_name(page: int) -> str:
    """Return the file name of review page ``page`` (1-based).

    >>> review_page_name(1), review_page_name(12)
    ('review.html', 'review-12.html')
    """
    return REVIEW_HTML if page == 1 else f"review-{page}.html"


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(repr=False, eq=False)
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
#: A finished run's outputs; the one ``CURRENT_LINK`` names is what the output folder shows.
GENERATION_PREFIX = ".extract-output-"
#: The symbolic link whose rename commits a run: it names the current generation.
CURRENT_LINK = ".extract-current"
#: Outputs being replaced (an older layout's files, or the user's with ``force``).
REPLACED_PREFIX = ".extract-replaced-"
#: A link being made, before it is renamed over its name.
NEW_LINK_PREFIX = ".extract-new-"
#: The file a run holds a lock on while it writes into the folder.
LOCK_FILE = ".extract-lock"

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

    Only empty cells are missing values: a mention reading ``NA`` stays text. The ``'``
    the writer put before a text a spreadsheet would read as a formula is taken off.
    """
    return _read_csv_table(path, FACTS_CSV_DTYPES)


def read_panel_csv(path: Path) -> pd.DataFrame:
    """Return panel.csv as a DataFrame with the documented ``PANEL_CSV_DTYPES``."""
    return _read_csv_table(path, PANEL_CSV_DTYPES)


def _read_csv_table(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    """Return a CSV file this module wrote as a DataFrame of ``dtypes``, as it was meant.

    Only empty cells are missing values (a mention reading ``NA`` stays text), and the
    ``'`` the writer put before a text a spreadsheet would read as a formula is taken off.
    """
    import pandas as pd

    frame = pd.read_csv(
        path, dtype=dtypes, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
    )
    return _unescape_text_columns(frame, dtypes)


def _unescape_text_columns(frame: pd.DataFrame, dtypes: dict[str, str]) -> pd.DataFrame:
    """Return ``frame`` with the ``'`` the writer put before a formula-like text undone."""
    for name, dtype in dtypes.items():
        if dtype == "string" and name in frame:
            column = frame[name]
            escaped = column.str.startswith(CSV_ESCAPE, na=False)
            if escaped.any():
                frame[name] = column.where(~escaped, column.map(csv_unescape, na_action="ignore"))
    return frame


def write_panel_csv(path: Path, rows: Sequence[PanelRow]) -> None:
    """Write panel.csv: a header, then one line per row, as facts.csv is written (UTF-8
    with a byte-order mark, numbers as in facts.jsonl, an empty cell for null)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(csv_line(PANEL_FIELDS))
        for row in rows:
            handle.write(csv_line([_panel_cell(value) for value in row.values().values()]))
        handle.flush()
        os.fsync(handle.fileno())


def _panel_cell(value: Any) -> str:
    """Return one value of a panel row as its panel.csv cell."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return panel_number(value)
    if isinstance(value, str):
        return csv_escape(value)  # a text a spreadsheet would read as a formula
    return str(value)


def write_panel_parquet(path: Path, rows: Sequence[PanelRow]) -> None:
    """Write panel.parquet: the rows of panel.csv, numbers exact (``panel_arrow_schema``)."""
    pyarrow = import_pyarrow()
    table = pyarrow.Table.from_pylist([row.values() for row in rows], schema=panel_arrow_schema())
    with path.open("wb") as handle:
        pyarrow.parquet.write_table(table, handle)
        handle.flush()
        os.fsync(handle.fileno())


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


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class Dependency:
    """An optional package a format needs: what to import, and how the user installs it."""

    #: The package's name, as the error message names it (``pyarrow``).
    name: str
    #: The module to import to know it is there (``pyarrow.parquet``).
    module: str
    #: The command that installs it (``pip install 'pyarrow>=14'``).
    install: str


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class ExtraFile:
    """A file a format brings beside its fact file, written whenever the format is."""

    name: str
    #: Returns the file's text, given the name of the format's fact file.
    render: Callable[[str], str]


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class OutputFormat:
    """One fact file format: its file, its writer, what it brings along and needs."""

    file_name: str
    writer: type[FactFile]
    extra_files: tuple[ExtraFile, ...] = ()
    dependency: Dependency | None = None
    #: Written when no format is asked for.
    default: bool = False
    #: The panel in this format, beside panel.csv (which every run writes), and its writer.
    panel_file: str | None = None
    panel_writer: Callable[[Path, Sequence[PanelRow]], None] | None = None

    def file_names(self) -> tuple[str, ...]:
        """Return the names of the files the format writes: its fact file, the extra files
        and its panel file."""
        panel = () if self.panel_file is None else (self.panel_file,)
        return (self.file_name, *(extra.name for extra in self.extra_files), *panel)


#: Every output format a run can write, in the order they are listed (in messages and in
#: manifest.json). Adding a format is an entry here and its ``FactFile`` writer.
FORMATS: dict[str, OutputFormat] = {
    "csv": OutputFormat(
        FACTS_CSV,
        CsvFile,
        extra_files=(
            ExtraFile(DATAPACKAGE_JSON, partial(render_datapackage, panel_file=PANEL_CSV)),
        ),
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
        panel_file=PANEL_PARQUET,
        panel_writer=write_panel_parquet,
    ),
}

#: The names a run writes at the top of its output folder (review-N.html pages besides).
_OUTPUT_NAMES = frozenset(
    {MANIFEST_JSON, DOCUMENTS_DIR, REVIEW_HTML, PANEL_CSV}
    | {name for output_format in FORMATS.values() for name in output_format.file_names()}
)

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
        panel_facts=tuple(concept_facts(document.facts)),
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

    def __init__(
        self,
        output_dir: Path,
        *,
        formats: Iterable[str] = DEFAULT_FORMATS,
        force: bool = False,
        lexicon: Lexicon | None = None,
    ) -> None:
        self.output_dir = output_dir
        self.formats = ordered_formats(check_formats(formats))
        #: Replace outputs in the folder that no run of extract wrote (``foreign_outputs``).
        self.force = force
        #: Whether ``commit`` made this run's outputs the current ones.
        self.published = False
        self._lock: int | None = None
        self._staging: Path | None = None
        self._fact_files: list[FactFile] = []
        self._documents: list[str] = []
        self._review_parts: list[_ReviewPart] = []
        self._entries: IO[str] | None = None
        self._entry_count = 0
        self._claimed_files: set[str] = set()
        self._claimed_folders: set[str] = set()
        #: Folders of documents/ made so far in the staging folder: one mkdir per folder,
        #: not one per document.
        self._made_folders: set[Path] = set()
        #: Whether staging's documents/ may hold a folder that no document of
        #: ``_documents`` is in: one made for a document that then could not be written.
        self._stray_document_folders = False
        #: The panel, gathered from the documents' concept facts as they come, and the
        #: review page (its index) of each document that gave it a fact.
        self._panel = PanelBuilder(lexicon=lexicon)  # its variant qualifiers
        self._panel_pages: dict[int, int] = {}

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
        """Create the output folder if needed, lock it, and make a fresh staging folder in it.

        Raises ``OutputFolderError`` when the folder cannot be used: another run holds it,
        it holds outputs no run wrote (unless ``force``), or it cannot be written.
        """
        # A missing optional package is reported before any folder is made.
        require_dependencies(self.formats)
        try:
            self.output_dir.mkdir(parents=True, exist_ok=True)
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
            self._open_staging()
            for name in self.formats:
                output_format = FORMATS[name]
                path = self._require_open() / output_format.file_name
                self._fact_files.append(output_format.writer(path))
        except BaseException:
            self.abort()
            raise

    def _open_staging(self) -> None:
        """Lock the output folder, check what it holds, and make the staging folder."""
        try:
            self._lock = _lock_output_folder(self.output_dir)
        except OSError as error:
            raise OutputFolderError(
                f"{self.output_dir}: cannot write there ({error.strerror}); "
                "pass a folder you can write to"
            ) from None
        foreign = foreign_outputs(self.output_dir)
        if foreign and not self.force:
            raise OutputFolderError(
                f"{self.output_dir}: holds {', '.join(foreign)}, which no run of extract "
                "wrote; a run would replace or remove them. Move them away, choose another "
                "folder, or pass --force to replace them"
            )
        try:
            self._remove_leftovers()
            self._staging = Path(tempfile.mkdtemp(prefix=_staging_prefix(), dir=self.output_dir))
            # mkdtemp makes a folder only its owner may read; published, it is the outputs'
            # folder, as readable as the output folder itself.
            os.chmod(self._staging, self.output_dir.stat().st_mode & 0o777)
            probe = self._staging / f"{NEW_LINK_PREFIX}probe"
            os.symlink(DOCUMENTS_DIR, probe)
            os.unlink(probe)
        except OSError as error:
            raise OutputFolderError(
                f"{self.output_dir}: cannot write there ({error.strerror}); a run needs to "
                "make folders and symbolic links in it: pass a folder you can write to"
            ) from None

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
        panel_facts = rendered.panel_facts
        if rendered.document is not None:
            panel_facts = tuple(concept_facts(rendered.document.facts))
        if panel_facts:
            self._panel.add(panel_facts, document=rendered.number)
            self._panel_pages[rendered.number] = len(self._review_parts) - 1

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
        """Write manifest.json and review.html, then publish the run's outputs all at once.

        The output folder then shows this run's outputs and nothing of the previous run's:
        its fact files of formats not written this run, its documents not produced again
        and its extra review pages are gone with it. Nothing else is touched.
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
        for name in self.formats:
            for extra in FORMATS[name].extra_files:
                text = extra.render(FORMATS[name].file_name)
                (staging / extra.name).write_text(text, encoding="utf-8")
        for fact_file in self._fact_files:
            fact_file.finish()
        self._fact_files = []
        panel = self._panel.rows()
        write_panel_csv(staging / PANEL_CSV, panel)
        for name in self.formats:
            output_format = FORMATS[name]
            if output_format.panel_file is not None and output_format.panel_writer is not None:
                output_format.panel_writer(staging / output_format.panel_file, panel)
        self._write_review(staging, panel)
        if self._stray_document_folders:
            _remove_empty_folders(staging / DOCUMENTS_DIR)
        self._publish(staging)
        self.abort()

    def _publish(self, staging: Path) -> None:
        """Make ``staging`` the current generation: the commit, one rename of a link.

        Before the commit the names this run publishes are made links into
        ``.extract-current`` (one rename each: a name new to the folder shows nothing
        until the commit), and the outputs that are not such links (an older version's
        files, or the user's under ``force``) are moved aside, so that a reader finds
        them missing, never beside this run's. A failure before the commit undoes all
        of it; after the commit nothing can fail the run (scraps wait for the next run).
        """
        output_dir = self.output_dir
        generation = output_dir / (GENERATION_PREFIX + staging.name.removeprefix(STAGING_PREFIX))
        replaced = output_dir / (REPLACED_PREFIX + generation.name.removeprefix(GENERATION_PREFIX))
        current = output_dir / CURRENT_LINK
        previous = os.readlink(current) if current.is_symlink() else None
        undo: list[Callable[[], None]] = []
        with _signals_held():
            try:
                os.rename(staging, generation)
                self._staging = generation
                if previous is not None and "/" not in previous:
                    undo.extend(_carry_over(output_dir / previous, generation))
                names = sorted(os.listdir(generation))
                existing = os.listdir(output_dir)
                # manifest.json last: an older version's folder keeps it until the rest is aside.
                aside = sorted(
                    (
                        name
                        for name in existing
                        if _is_output_name(name) and not _is_our_link(output_dir / name)
                    ),
                    key=lambda name: name == MANIFEST_JSON,
                )
                for name in aside:
                    replaced.mkdir(exist_ok=True)
                    os.rename(output_dir / name, replaced / name)
                    undo.append(partial(os.rename, replaced / name, output_dir / name))
                for name in names:
                    if not _is_our_link(output_dir / name):
                        _link(f"{CURRENT_LINK}/{name}", output_dir / name)
                        undo.append(partial(os.unlink, output_dir / name))
                _link(generation.name, current)  # the commit
            except BaseException:
                for step in reversed(undo):
                    with contextlib.suppress(OSError):
                        step()
                raise
            self.published = True
            self._staging = None
            with contextlib.suppress(OSError):
                _sync_folder(output_dir)
                for name in set(existing) - set(names):
                    if _is_our_link(output_dir / name):
                        os.unlink(output_dir / name)
            for leftover in existing:
                if leftover.startswith(REPLACED_PREFIX) or (
                    leftover == previous and leftover.startswith(GENERATION_PREFIX)
                ):
                    shutil.rmtree(output_dir / leftover, ignore_errors=True)
            shutil.rmtree(replaced, ignore_errors=True)

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

    def _write_review(self, staging: Path, panel: Sequence[PanelRow] = ()) -> list[str]:
        """Write the staged review pages around the documents' parts; return their names.

        The first page shows ``panel`` as a table, each cell linking to its fact.
        """
        # Jinja2 is loaded only when needed.
        from .review import ReviewPage, iter_review_page, panel_view, review_page_frame

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
        page_names = {
            number: pages[index].name for number, index in self._panel_pages.items()
        }
        view = panel_view(panel, page_names, here=pages[0].name)
        for index, page in enumerate(pages):
            staged_part = self._review_parts[index] if index < len(self._review_parts) else None
            page_panel = view if index == 0 else None
            with (staging / page.name).open("wb") as handle:
                if staged_part is not None and staged_part.path.stat().st_size:
                    # The page's own HTML around its documents' staged HTML, copied as is.
                    head, tail = review_page_frame(pages=pages, page=index, panel=page_panel)
                    handle.write(head.encode("utf-8"))
                    with staged_part.path.open("rb") as staged:
                        shutil.copyfileobj(staged, handle, 1 << 20)
                    handle.write(tail.encode("utf-8"))
                else:
                    pieces = iter_review_page((), pages=pages, page=index, panel=page_panel)
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
        _release_lock(self._lock)
        self._lock = None

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

    def _remove_leftovers(self) -> None:
        """Remove the scraps of killed runs: staging folders, generations no longer current.

        Folders of outputs moved aside (``REPLACED_PREFIX``) stay: they may hold the only
        copy of an older version's outputs; the next commit removes them.
        """
        self._remove_abandoned_staging()
        if self._lock is None:
            return  # without the lock, another run may be using what looks abandoned
        current = self.output_dir / CURRENT_LINK
        keep = os.readlink(current) if current.is_symlink() else None
        for path in self.output_dir.iterdir():
            if path.name == keep:
                continue
            if path.name.startswith(GENERATION_PREFIX) and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.startswith(NEW_LINK_PREFIX) and path.is_symlink():
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
