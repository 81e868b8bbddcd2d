"""extract: turn Chinese report text into validated numeric facts."""

from .models import CleanText, Document, Fact, Issue, ManifestEntry, SegmentedText, SourceText
from .pipeline import extract_source, extract_text

__all__ = [
    "CleanText",
    "Document",
    "Fact",
    "Issue",
    "ManifestEntry",
    "SegmentedText",
    "SourceText",
    "extract_source",
    "extract_text",
]
