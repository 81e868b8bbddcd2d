"""The modules whose docstrings carry examples keep them (``--doctest-modules`` runs them)."""

from __future__ import annotations

import doctest
import importlib

import pytest

#: The modules that had docstring examples when pytest took over running them: an edit
#: that drops the last example of one should be a choice, not an accident.
MODULES_WITH_EXAMPLES = (
    "read",
    "clean",
    "structure",
    "regex_calls",
    "segment",
    "numbers",
    "facts",
    "tagger",
    "pipeline",
    "explain",
    "encode",
    "schema",
    "review",
    "write",
    "cli",
)


@pytest.mark.parametrize("name", MODULES_WITH_EXAMPLES)
def test_module_keeps_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"extract.{name}")
    tests = doctest.DocTestFinder().find(module)
    assert sum(len(test.examples) for test in tests) > 0
