"""The one place that knows the stage order: read → clean → segment → extract → validate
→ context."""

from __future__ import annotations

import contextlib
import hashlib
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from . import script, tagger
from .clean import clean_text
from .context import add_context, document_date, document_place
from .facts import SentenceTrace, extract_candidates
from .lexicon import Lexicon, load_lexicon
from .models import (
    CleanText,
    Document,
    DocumentMeta,
    Fact,
    Issue,
    SegmentedText,
    SourceText,
)
from .segment import segment_text
from .validate import validate_candidates
from .version import installed_version

_Item = TypeVar("_Item")


class StageError(Exception):
    """An unexpected exception inside a stage, with the stage named (``.stage``, ``.cause``)."""

    def __init__(self, stage: str, cause: Exception) -> None:
        super().__init__(f"{stage} stage failed: {type(cause).__name__}: {cause}")
        self.stage = stage
        self.cause = cause


@contextlib.contextmanager
def stage_named(stage: str) -> Iterator[None]:
    """Raise an exception of the block as a ``StageError`` naming ``stage`` (once named, kept)."""
    try:
        yield
    except StageError:
        raise
    except Exception as error:
        raise StageError(stage, error) from error


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(repr=False, eq=False)
class StageWork:
    """One report on its way through ``STAGES``: its inputs, and what each stage made of it."""

    source: SourceText
    lexicon: Lexicon | None = None
    #: What the user said about the document (``--meta``): it wins over the text.
    meta: DocumentMeta | None = None
    #: explain's hooks: the extractor's trace of every sentence with a number, and the
    #: positions of the candidates that failed validation (None: not recorded).
    trace: list[SentenceTrace] | None = None
    invalid: list[int] | None = None
    clean: CleanText | None = None
    segmented: SegmentedText | None = None
    candidates: Iterable[dict[str, Any]] = ()
    facts: list[Fact] = field(default_factory=list)
    #: The document's issues, in stage order.
    issues: list[Issue] = field(default_factory=list)
    #: The document's place and date, and where each was read from (the context stage).
    place: str | None = None
    place_from: str | None = None
    date: str | None = None
    date_from: str | None = None
    #: explain's hook: why each fact got its context, one list per fact (None: not recorded).
    context_reasons: list[list[str]] | None = None


def _read(work: StageWork) -> None:
    """Take the report as ``read.read_source`` decoded it, and its repairs as the first issues.

    The caller reads the file: a file that cannot be read is skipped or failed with the
    reader's reason, not a stage failure.
    """
    work.issues.extend(work.source.issues)


def _clean(work: StageWork) -> None:
    """Fix characters and re-flow column-broken lines (clean.py)."""
    work.clean = clean_text(
        work.source.text,
        doc_id=work.source.doc_id,
        lexicon=work.lexicon,
        raw_lines=work.source.raw_lines,
    )
    work.issues.extend(work.clean.issues)


def _segment(work: StageWork) -> None:
    """Find the title, byline, sections and sentences (segment.py)."""
    assert work.clean is not None
    work.segmented = segment_text(work.clean, lexicon=work.lexicon)


def _extract(work: StageWork) -> None:
    """Read the fact candidates of every sentence (facts.py), as the next stage asks for them."""
    assert work.segmented is not None
    candidates = extract_candidates(
        work.segmented, issues=work.issues, trace=work.trace, lexicon=work.lexicon
    )
    work.candidates = _named_stage("extract", candidates)


def _named_stage(stage: str, items: Iterable[_Item]) -> Iterator[_Item]:
    """Yield ``items``; an exception while making one is a ``StageError`` naming ``stage``.

    The extract stage yields its candidates to the validate stage one batch at a time, so a
    failure inside it is raised while the validate stage runs.
    """
    with stage_named(stage):
        yield from items


def _validate(work: StageWork) -> None:
    """Keep the candidates that are valid ``Fact``s; each other one becomes an issue."""
    facts, issues = validate_candidates(work.candidates, invalid=work.invalid)
    work.facts = facts
    work.issues.extend(issues)


def _context(work: StageWork) -> None:
    """Fill each fact's place, period, status and concept (context.py); never drop one."""
    assert work.segmented is not None and work.clean is not None
    removed = [item.text for item in work.clean.removed]
    work.date, work.date_from = document_date(work.segmented, work.source.doc_id, removed=removed)
    division, work.place, work.place_from = document_place(work.segmented, work.source.doc_id)
    place_code = division.code if division is not None else None
    # What the user said of the document (--meta, when the run threads it here) wins.
    meta = getattr(work, "meta", None)
    if meta is not None and meta.date:
        work.date, work.date_from = meta.date, "meta"
    if meta is not None and meta.place:
        work.place, place_code, work.place_from = meta.place, meta.place_code, "meta"
    year = int(work.date[:4]) if work.date else None
    if work.place is None:
        work.issues.append(
            Issue(
                stage="context",
                reason="no place found in the title, the opening lines or the file name: "
                "facts that name none get place null (give it with --meta)",
            )
        )
    if work.trace is not None:
        work.context_reasons = []
    work.facts = add_context(
        work.facts,
        work.segmented,
        doc_id=work.source.doc_id,
        lexicon=work.lexicon,
        year=year,
        place=work.place,
        place_code=place_code,
        reasons=work.context_reasons,
    )


#: The stages every report goes through, in order: the one place that knows the order
#: (``extract_source`` and ``explain.explain_source`` both run it).
STAGES: tuple[tuple[str, Callable[[StageWork], None]], ...] = (
    ("read", _read),
    ("clean", _clean),
    ("segment", _segment),
    ("extract", _extract),
    ("validate", _validate),
    ("context", _context),
)


def run_stages(work: StageWork) -> StageWork:
    """Return ``work`` once every stage of ``STAGES`` has run on it, in order.

    An exception inside a stage is raised as a ``StageError`` naming that stage.
    """
    for stage, run in STAGES:
        with stage_named(stage):
            run(work)
    return work


def extract_source(
    source: SourceText, *, lexicon: Lexicon | None = None, meta: DocumentMeta | None = None
) -> Document:
    """Return the ``Document`` for one decoded input file: its structure, facts and issues.

    ``lexicon`` gives the units, words and heading patterns (None: the bundled lexicon);
    ``meta`` what the user says about the document (its place and date), which wins over
    what the text says. An exception inside a stage is raised as a ``StageError`` naming
    the stage.
    """
    work = run_stages(StageWork(source, lexicon, meta=meta))
    clean, segmented = work.clean, work.segmented
    assert clean is not None and segmented is not None
    return Document(
        doc_id=source.doc_id,
        path=source.path,
        encoding=source.encoding,
        sha256=source.sha256,
        title=segmented.title,
        subtitle=segmented.subtitle,
        byline=segmented.byline,
        place=work.place,
        place_from=work.place_from,
        date=work.date,
        date_from=work.date_from,
        text=clean.text,
        sections=segmented.sections,
        sentences=segmented.sentences,
        facts=work.facts,
        issues=work.issues,
        cleaning_steps=clean.steps,
        removed=clean.removed,
    )


def extract_text(
    text: str,
    *,
    doc_id: str = "text",
    lexicon_files: Sequence[Path | str] = (),
    meta: DocumentMeta | None = None,
) -> Document:
    """Return the ``Document`` for a text already in memory (no file involved).

    The entries of ``lexicon_files`` are added to the bundled lexicon for this call only
    (``lexicon.load_lexicon``); a bad file raises ``LexiconError``. ``meta`` is what the
    caller knows of the text's place and date (``meta.meta_row``).

    >>> [f.mention for f in extract_text("新增公办学位1.1万个。").facts]
    ['1.1万个']
    """
    lexicon = load_lexicon(lexicon_files)
    data = text.encode("utf-8")
    source = SourceText(
        path=f"{doc_id}.txt",
        doc_id=doc_id,
        encoding="utf-8",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        text=text,
    )
    return extract_source(source, lexicon=lexicon, meta=meta)


def extractor_version(lexicon: Lexicon | None = None) -> str:
    """Return a name for the code and data that make facts: same name, same facts.

    The package version, then a digest of every module and data file of the package and
    of the jieba and OpenCC versions, so that an edited rule or lexicon is a new version; then, when
    ``lexicon`` has lexicon files, the digest of their contents (``Lexicon.digest``).
    """
    version = _code_version()
    if lexicon is None or not lexicon.files:
        return version
    return f"{version}.lexicon-{lexicon.digest}"


@cache
def _code_version() -> str:
    """Return the package version and a digest of the code and data shipped with it."""
    versions = f"jieba {tagger.jieba_version()} opencc {script.opencc_version()}"
    digest = hashlib.sha256(versions.encode())
    package = resources.files("extract")
    files = [*package.iterdir(), *package.joinpath("data").iterdir()]
    for item in sorted(files, key=lambda item: item.name):
        if item.is_file() and item.name.endswith((".py", ".toml", ".tsv")):
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return f"{installed_version()}+{digest.hexdigest()[:12]}"


#: Longest exception message kept in a manifest reason.
_MAX_REASON_CHARS = 300


def describe_failure(error: BaseException) -> str:
    """Return a one-line reason naming the stage that raised ``error``, the error and where.

    The stage is the one a ``StageError`` names ("pipeline" for any other exception); where
    is the innermost line of the package in the traceback, so a failure inside
    ``numbers.py`` called from ``facts.py`` is an extract-stage failure at its numbers.py line.
    """
    stage, cause = "pipeline", error
    if isinstance(error, StageError):
        stage, cause = error.stage, error.cause
    location = ""
    for frame, line in traceback.walk_tb(cause.__traceback__):
        module = frame.f_globals.get("__name__", "")
        if module.startswith("extract."):
            location = f" ({module.removeprefix('extract.')}.py line {line})"
    message = str(cause).replace("\n", " ")
    if len(message) > _MAX_REASON_CHARS:
        message = message[:_MAX_REASON_CHARS] + "…"
    return f"{stage} stage failed: {type(cause).__name__}: {message}{location}"
