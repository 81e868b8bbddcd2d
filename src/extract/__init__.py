"""extract: turn Chinese report text into validated numeric facts."""

from .models import CleanText, Document, Fact, Issue, ManifestEntry, SegmentedText, SourceText
from .pipeline import RunSummary, extract_paths, extract_source, extract_text

__all__ = [
    "CleanText",
    "Document",
    "Fact",
    "Issue",
    "ManifestEntry",
    "RunSummary",
    "SegmentedText",
    "SourceText",
    "extract_paths",
    "extract_source",
    "extract_text",
]
