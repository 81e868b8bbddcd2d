"""The one place that knows the stage order: read → clean → segment → extract → validate."""

from __future__ import annotations

import hashlib

from .clean import clean_text
from .facts import extract_candidates
from .models import Document, SourceText
from .segment import segment_text
from .validate import validate_candidates


def extract_source(source: SourceText) -> Document:
    """Return the ``Document`` for one decoded input file: its structure, facts and issues."""
    clean = clean_text(source.text, doc_id=source.doc_id)
    segmented = segment_text(clean)
    candidates, extract_issues = extract_candidates(segmented)
    facts, validate_issues = validate_candidates(candidates)
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


def extract_text(text: str, *, doc_id: str = "text") -> Document:
    """Return the ``Document`` for a text already in memory (no file involved).

    >>> [f.mention for f in extract_text("新增公办学位1.1万个。").facts]
    ['1.1万个']
    """
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
