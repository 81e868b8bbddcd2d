"""The one place that knows the stage order: read → clean → segment → extract → validate."""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .clean import clean_text
from .facts import extract_candidates
from .lexicon import add_lexicon_files
from .models import Document, Issue, ManifestEntry, SourceText
from .read import UnreadableFile, doc_id_for, find_inputs, is_text_name, read_source, relative_name
from .segment import segment_text
from .validate import validate_candidates
from .write import DocumentPathError, OutputFolderError, OutputWriter


def extract_source(source: SourceText) -> Document:
    """Return the ``Document`` for one decoded input file: its structure, facts and issues."""
    clean = clean_text(source.text, doc_id=source.doc_id)
    segmented = segment_text(clean)
    extract_issues: list[Issue] = []
    facts, validate_issues = validate_candidates(
        extract_candidates(segmented, issues=extract_issues)
    )
    return Document(
        doc_id=source.doc_id,
        path=source.path,
        encoding=source.encoding,
        sha256=source.sha256,
        title=segmented.title,
        subtitle=segmented.subtitle,
        byline=segmented.byline,
        text=clean.text,
        sections=segmented.sections,
        sentences=segmented.sentences,
        facts=facts,
        issues=[*source.issues, *clean.issues, *extract_issues, *validate_issues],
        cleaning_steps=clean.steps,
        removed=clean.removed,
    )


def extract_text(
    text: str, *, doc_id: str = "text", lexicon_files: Sequence[Path] = ()
) -> Document:
    """Return the ``Document`` for a text already in memory (no file involved).

    ``lexicon_files`` are added to the lexicons first (``lexicon.add_lexicon_files``: they
    stay in use for the rest of the process); a bad one raises ``LexiconError``.

    >>> [f.mention for f in extract_text("新增公办学位1.1万个。").facts]
    ['1.1万个']
    """
    add_lexicon_files(lexicon_files)
    data = text.encode("utf-8")
    source = SourceText(
        path=f"{doc_id}.txt",
        doc_id=doc_id,
        encoding="utf-8",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        text=text,
    )
    return extract_source(source)


#: Which stage a module belongs to, to name the stage an unexpected exception came from.
_STAGE_OF_MODULE: dict[str, str] = {
    "extract.clean": "clean",
    "extract.segment": "segment",
    "extract.facts": "extract",
    "extract.numbers": "extract",
    "extract.validate": "validate",
}

#: Longest exception message kept in a manifest reason.
_MAX_REASON_CHARS = 300


@dataclass(frozen=True)
class RunSummary:
    """What became of every file of one run, in input order."""

    entries: list[ManifestEntry]

    def count(self, status: str) -> int:
        """Return how many files ended with ``status`` (``ok``, ``skipped`` or ``error``)."""
        return sum(1 for entry in self.entries if entry.status == status)

    @property
    def facts(self) -> int:
        """Return the number of facts written, over all files."""
        return sum(entry.facts for entry in self.entries)

    def totals(self) -> dict[str, int]:
        """Return the run totals written to manifest.json."""
        return {
            "files": len(self.entries),
            "ok": self.count("ok"),
            "skipped": self.count("skipped"),
            "error": self.count("error"),
            "facts": self.facts,
        }


def extract_paths(
    input_dir: Path,
    output_dir: Path,
    *,
    progress: Callable[[ManifestEntry], None] | None = None,
    lexicon_files: Sequence[Path] = (),
) -> RunSummary:
    """Return the summary of a run over every file under ``input_dir``, outputs in ``output_dir``.

    Each file is read, extracted and written on its own: a file that cannot be read is
    ``skipped`` or ``error`` in the manifest with the reason, and an exception inside a
    stage fails that file only, naming the stage. ``progress`` is called with each
    file's manifest entry as soon as the file is done. The outputs are published only
    when every file has been handled; an exception (Ctrl-C included) leaves the previous
    outputs untouched. ``lexicon_files`` are added to the lexicons before the run
    (``lexicon.add_lexicon_files``: they stay in use for the rest of the process).

    Raises ``InputFolderError`` or ``OutputFolderError`` when a folder cannot be used,
    ``LexiconError`` when a lexicon file is bad (before any file is read).
    """
    add_lexicon_files(lexicon_files)
    paths = find_inputs(input_dir)
    _check_output_outside_input(input_dir, output_dir)
    entries: list[ManifestEntry] = []
    first_path_of_doc: dict[str, str] = {}
    with OutputWriter(output_dir) as writer:
        for path in paths:
            entry = _extract_file(path, input_dir, writer, first_path_of_doc)
            entries.append(entry)
            if progress is not None:
                progress(entry)
        summary = RunSummary(entries)
        writer.commit(entries, totals=summary.totals(), input_dir=input_dir)
    return summary


def _check_output_outside_input(input_dir: Path, output_dir: Path) -> None:
    """Raise ``OutputFolderError`` when ``output_dir`` is ``input_dir`` or inside it."""
    inside = input_dir.resolve()
    output = output_dir.resolve()
    if output == inside or inside in output.parents:
        raise OutputFolderError(
            f"{output_dir}: is inside the input folder {input_dir}, so a later run would "
            "read its own outputs; pass an output folder outside the input folder"
        )


def _extract_file(
    path: Path, input_dir: Path, writer: OutputWriter, first_path_of_doc: dict[str, str]
) -> ManifestEntry:
    """Return the manifest entry of one file after reading, extracting and staging it."""
    relative = relative_name(path, root=input_dir)
    try:
        source = read_source(path, root=input_dir)
    except UnreadableFile as error:
        return ManifestEntry(
            path=relative,
            doc_id=doc_id_for(relative) if is_text_name(path) else None,
            status=error.status,
            reason=error.reason,
            sha256=error.sha256,
            size=error.size,
        )
    known = {
        "path": relative,
        "doc_id": source.doc_id,
        "encoding": source.encoding,
        "sha256": source.sha256,
        "size": source.size,
    }
    earlier = first_path_of_doc.setdefault(source.doc_id, relative)
    if earlier != relative:
        # a.txt and a.TXT would both be document "a" and overwrite each other's output.
        return ManifestEntry(
            **known,
            status="error",
            reason=f"same doc_id as {earlier}; rename one of the two files",
            issues=source.issues,
        )
    try:
        document = extract_source(source)
    except Exception as error:  # one file's failure must never stop the run
        return ManifestEntry(
            **known, status="error", reason=describe_failure(error), issues=source.issues
        )
    try:
        writer.add_document(document)
    except DocumentPathError as error:
        return ManifestEntry(**known, status="error", reason=str(error), issues=document.issues)
    return ManifestEntry(**known, status="ok", facts=len(document.facts), issues=document.issues)


def describe_failure(error: BaseException) -> str:
    """Return a one-line reason naming the stage that raised ``error``, the error and where.

    The stage is that of the innermost frame in a stage module, so a failure inside
    ``numbers.py`` called from ``facts.py`` is an extract-stage failure.
    """
    stage = "pipeline"
    location = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if module in _STAGE_OF_MODULE:
            stage = _STAGE_OF_MODULE[module]
        if module.startswith("extract."):
            location = f" ({module.removeprefix('extract.')}.py line {line})"
    message = str(error).replace("\n", " ")
    if len(message) > _MAX_REASON_CHARS:
        message = message[:_MAX_REASON_CHARS] + "…"
    return f"{stage} stage failed: {type(error).__name__}: {message}{location}"
