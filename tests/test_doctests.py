"""The examples in the docstrings of the stages, the pipeline and the CLI run and hold."""

from __future__ import annotations

import doctest
import types

import pytest

import extract.clean
import extract.cli
import extract.explain
import extract.facts
import extract.numbers
import extract.pipeline
import extract.read
import extract.regex_calls
import extract.review
import extract.segment
import extract.structure
import extract.tagger
import extract.write


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(extract.read, id="read"),
        pytest.param(extract.clean, id="clean"),
        pytest.param(extract.structure, id="structure"),
        pytest.param(extract.regex_calls, id="regex-calls"),
        pytest.param(extract.segment, id="segment"),
        pytest.param(extract.numbers, id="numbers"),
        pytest.param(extract.facts, id="facts"),
        pytest.param(extract.tagger, id="tagger"),
        pytest.param(extract.pipeline, id="pipeline"),
        pytest.param(extract.explain, id="explain"),
        pytest.param(extract.review, id="review"),
        pytest.param(extract.write, id="write"),
        pytest.param(extract.cli, id="cli"),
    ],
)
def test_docstring_examples_hold(module: types.ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
