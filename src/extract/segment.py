"""Title, byline, sections and sentences (placeholder: '# ' lines open sections)."""

from __future__ import annotations

import regex

from .models import CleanText, Paragraph, Section, SegmentedText, Sentence

_SENTENCE_RE = regex.compile(r"[^。！？；]*(?:[。！？；]+[”’」』）)]*|$)")


def segment_text(clean: CleanText) -> SegmentedText:
    """Return ``clean`` cut into paragraphs, sections and sentences (placeholder)."""
    paragraphs: list[Paragraph] = []
    sections: list[Section] = []
    sentences: list[Sentence] = []
    section: str | None = None
    offset = 0
    for line in clean.text.split("\n"):
        start, end = offset, offset + len(line)
        offset = end + 1
        kind = "body"
        if line.startswith("# "):
            section = line[2:].rstrip("？?")
            sections.append(Section(title=section, heading=line, start=start, end=end))
            kind = "heading"
        paragraphs.append(Paragraph(kind=kind, text=line, start=start, end=end))
        for match in _SENTENCE_RE.finditer(line):
            if not match.group().strip():
                continue
            sentences.append(
                Sentence(
                    index=len(sentences),
                    text=match.group(),
                    start=start + match.start(),
                    end=start + match.end(),
                    section=section,
                    kind=kind,
                )
            )
    return SegmentedText(clean=clean, paragraphs=paragraphs, sections=sections, sentences=sentences)
