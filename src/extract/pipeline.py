"""The one place that knows the stage order: read → clean → segment → extract → validate."""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path

from . import tagger
from .clean import clean_text
from .facts import extract_candidates
from .lexicon import add_lexicon_files, lexicon_files
from .models import Document, Issue, SourceText
from .segment import segment_text
from .validate import validate_candidates
from .version import installed_version


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


def extractor_version() -> str:
    """Return a name for the code and data that make facts: same name, same facts.

    The package version, then a digest of every module and data file of the package and
    of the jieba version, so that an edited rule or lexicon is a new version; then, when
    lexicon files are in use, a digest of their contents.
    """
    version = _code_version()
    extra = lexicon_files()
    if not extra:
        return version
    digest = hashlib.sha256()
    for path in extra:
        digest.update(path.read_bytes() + b"\0")
    return f"{version}.lexicon-{digest.hexdigest()[:12]}"


@cache
def _code_version() -> str:
    """Return the package version and a digest of the code and data shipped with it."""
    digest = hashlib.sha256(f"jieba {tagger.jieba_version()}".encode())
    package = resources.files("extract")
    files = [*package.iterdir(), *package.joinpath("data").iterdir()]
    for item in sorted(files, key=lambda item: item.name):
        if item.is_file() and item.name.endswith((".py", ".toml")):
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return f"{installed_version()}+{digest.hexdigest()[:12]}"


#: Which stage a module belongs to, to name the stage an unexpected exception came from.
_STAGE_OF_MODULE: dict[str, str] = {
    "extract.clean": "clean",
    "extract.segment": "segment",
    "extract.facts": "extract",
    "extract.numbers": "extract",
    "extract.validate": "validate",
    "extract.write": "write",
    "extract.review": "write",
}

#: Longest exception message kept in a manifest reason.
_MAX_REASON_CHARS = 300


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
