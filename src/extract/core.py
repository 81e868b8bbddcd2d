"""The engine-free core: one input's bytes to its manifest entry and document.

Whatever runs the files (the CLI's worker processes in ``runner.py``, a Dask cluster in
``cluster.py``, a user's own engine), each file goes through ``extract_input``: the size
limit, the binary and encoding checks and repairs of ``read.source_of_input``, then the
stages of ``pipeline.extract_source``. It never raises for one bad file: a file that
gives no text is ``skipped`` or ``error`` with the reason, and an exception inside a
stage is an ``error`` naming the stage. ``extract_batch`` does the same for several
inputs and returns Arrow tables with the published schemas of ``schema.py``
(``part_fact_arrow_schema``, ``manifest_arrow_schema``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import pipeline
from .lexicon import Lexicon
from .models import Document, DocumentMeta, Issue, ManifestEntry, SourceText
from .pipeline import describe_failure
from .read import (
    UnreadableFile,
    doc_id_of_name,
    is_text_name,
    name_bytes,
    source_of_input,
    text_of_name,
)
from .schema import FACT_INDEX, import_pyarrow, manifest_arrow_schema, part_fact_arrow_schema

if TYPE_CHECKING:
    import pyarrow as pa

#: The reason of a file whose extraction killed the process extracting it.
WORKER_DIED = "the worker process extracting this file died (killed, or out of memory)"


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class InputResult:
    """What became of one input: its manifest entry, and its document when it is ``ok``."""

    entry: ManifestEntry
    document: Document | None = None
    #: The repairs the read stage made, the first of the document's issues.
    read_issues: tuple[Issue, ...] = ()

    def failed(self, reason: str) -> ManifestEntry:
        """Return the entry of this input failed after its extraction (its document could
        not be written) for ``reason``: what was read of it, and the read stage's issues."""
        return self.entry.model_copy(
            update={
                "status": "error",
                "reason": reason,
                "facts": 0,
                "place": None,
                "place_from": None,
                "date": None,
                "date_from": None,
                "reused": False,
                "issues": list(self.read_issues),
            }
        )


def batch_end(sizes: Sequence[int], start: int, *, max_files: int, max_bytes: int) -> int:
    """Return where the batch that starts at input ``start`` ends: it takes the inputs after
    it while it holds fewer than ``max_files`` and they keep it within ``max_bytes`` (an
    input bigger than that goes alone). The local pool and the cluster both batch so.

    >>> batch_end([5, 5, 5, 5], 0, max_files=3, max_bytes=100), batch_end([50, 60], 0,
    ...     max_files=3, max_bytes=100)
    (3, 1)
    """
    end = start + 1
    total = sizes[start]
    while end < len(sizes) and end - start < max_files and total + sizes[end] <= max_bytes:
        total += sizes[end]
        end += 1
    return end


def entry_names(name: str) -> dict[str, Any]:
    """Return the ``path``, ``path_bytes`` and ``doc_id`` of the manifest entry of the input
    named ``name`` (its '/'-separated relative path); ``doc_id`` is None unless ``*.txt``.

    >>> entry_names("2023/报告.txt")
    {'path': '2023/报告.txt', 'path_bytes': None, 'doc_id': '2023/报告'}
    """
    raw = name_bytes(name)
    return {
        "path": text_of_name(name),
        "path_bytes": None if raw is None else raw.hex(),
        "doc_id": doc_id_of_name(name) if is_text_name(Path(name)) else None,
    }


def unreadable_result(name: str, error: UnreadableFile) -> InputResult:
    """Return the result of the input named ``name`` that gave no text, with the reason."""
    entry = ManifestEntry(
        **entry_names(name),
        status=error.status,
        reason=error.reason,
        sha256=error.sha256,
        size=error.size,
    )
    return InputResult(entry)


def failed_result(name: str, reason: str) -> InputResult:
    """Return the ``error`` result of the input named ``name``, failed for ``reason``
    outside the stages (its worker died, its bytes could not be fetched)."""
    return InputResult(ManifestEntry(**entry_names(name), status="error", reason=reason))


def extract_input(
    name: str,
    raw: bytes,
    *,
    lexicon: Lexicon | None = None,
    meta: DocumentMeta | None = None,
    duplicate_of: str | None = None,
    reuse: Callable[[SourceText], Document | None] | None = None,
) -> InputResult:
    """Return the manifest entry and document of one input: its name and its bytes.

    ``name`` is the input's '/'-separated path relative to the input folder (or its key
    under the input prefix), as the file system gives it; ``raw`` its bytes. The file is
    extracted with ``lexicon`` (None: the bundled one) and what the user says about it,
    ``meta``. ``duplicate_of`` names an earlier input with the same doc_id: this one is
    then an ``error``. ``reuse`` may return an earlier document of the decoded text (an
    incremental run), which is then taken instead of extracting again.

    Never raises for a bad file: see the module docstring.

    >>> result = extract_input("a.txt", "新增公办学位1.1万个。".encode())
    >>> result.entry.status, result.entry.facts, result.document.facts[0].mention
    ('ok', 1, '1.1万个')
    >>> extract_input("scan.txt", b"%PDF-1.7").entry.reason
    'binary content (PDF file)'
    """
    names = entry_names(name)
    try:
        source = source_of_input(raw, name=name)
    except UnreadableFile as error:
        return unreadable_result(name, error)
    known: dict[str, Any] = {
        **names,
        "doc_id": source.doc_id,
        "encoding": source.encoding,
        "sha256": source.sha256,
        "size": source.size,
    }
    if duplicate_of is not None:
        # a.txt and a.TXT would both be document "a" and overwrite each other's output.
        reason = f"same doc_id as {duplicate_of}; rename one of the two files"
        entry = ManifestEntry(**known, status="error", reason=reason, issues=source.issues)
        return InputResult(entry)
    document = reuse(source) if reuse is not None else None
    reused = document is not None
    try:
        # Through the module: the stages are pipeline's, and whoever replaces
        # pipeline.extract_source (a test, a debugger) replaces it for every engine too.
        document = document or pipeline.extract_source(source, lexicon=lexicon, meta=meta)
    except Exception as error:  # one file's failure must never stop the run
        entry = ManifestEntry(
            **known, status="error", reason=describe_failure(error), issues=source.issues
        )
        return InputResult(entry)
    entry = ManifestEntry(
        **known,
        status="ok",
        facts=len(document.facts),
        place=document.place,
        place_from=document.place_from,
        date=document.date,
        date_from=document.date_from,
        issues=document.issues,
        reused=reused,
    )
    return InputResult(entry, document, tuple(source.issues))


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class BatchTables:
    """The Arrow tables of a batch of inputs: their facts and their manifest entries."""

    #: One row per fact, ``part_fact_arrow_schema``: documents in input order, each
    #: document's facts in its ``fact_index`` order.
    facts: pa.Table
    #: One row per input, in input order, ``manifest_arrow_schema``.
    manifest: pa.Table


def extract_batch(
    inputs: Iterable[tuple[str, bytes]], *, lexicon: Lexicon | None = None
) -> BatchTables:
    """Return the facts and manifest entries of ``inputs``, (name, bytes) pairs, as Arrow
    tables (``extract_input`` on each; needs pyarrow). Never raises for a bad input.

    >>> tables = extract_batch([("a.txt", "增长5%。".encode()), ("b.pdf", b"%PDF")])
    >>> tables.facts.column("mention").to_pylist(), tables.manifest.column("status").to_pylist()
    (['5%'], ['ok', 'skipped'])
    """
    return batch_tables([extract_input(name, raw, lexicon=lexicon) for name, raw in inputs])


def batch_tables(results: Sequence[InputResult]) -> BatchTables:
    """Return the Arrow tables of ``results``, in their order (``extract_batch``)."""
    pyarrow = import_pyarrow()
    facts = [
        {**fact.model_dump(), FACT_INDEX: index}
        for result in results
        if result.document is not None
        for index, fact in enumerate(result.document.facts)
    ]
    entries = [result.entry.model_dump(mode="json") for result in results]
    return BatchTables(
        facts=pyarrow.Table.from_pylist(facts, schema=part_fact_arrow_schema()),
        manifest=pyarrow.Table.from_pylist(entries, schema=manifest_arrow_schema()),
    )
