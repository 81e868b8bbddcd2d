"""extract: turn Chinese report text into validated numeric facts."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import (
        CleanText,
        Document,
        DocumentMeta,
        Fact,
        Issue,
        ManifestEntry,
        SegmentedText,
        SourceText,
    )
    from .pipeline import extract_source, extract_text
    from .runner import RunSummary, extract_paths

__all__ = [
    "CleanText",
    "Document",
    "DocumentMeta",
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

#: The module of each public name. They are imported on first use, so that
#: `extract --help` and `extract --version` answer without loading jieba.
_MODULE_OF_NAME = {
    "CleanText": "models",
    "Document": "models",
    "DocumentMeta": "models",
    "Fact": "models",
    "Issue": "models",
    "ManifestEntry": "models",
    "RunSummary": "runner",
    "SegmentedText": "models",
    "SourceText": "models",
    "extract_paths": "runner",
    "extract_source": "pipeline",
    "extract_text": "pipeline",
}


def __getattr__(name: str) -> Any:
    """Return the public object ``name``, importing the module that defines it."""
    if name not in _MODULE_OF_NAME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{_MODULE_OF_NAME[name]}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value
