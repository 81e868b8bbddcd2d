"""Every docstring example of read, encode, schema, panel, review, write and the CLI holds."""

from __future__ import annotations

import doctest
import types

import pytest

import extract.cli
import extract.encode
import extract.panel
import extract.read
import extract.review
import extract.schema
import extract.write


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(extract.read, id="read"),
        pytest.param(extract.encode, id="encode"),
        pytest.param(extract.schema, id="schema"),
        pytest.param(extract.panel, id="panel"),
        pytest.param(extract.review, id="review"),
        pytest.param(extract.write, id="write"),
        pytest.param(extract.cli, id="cli"),
    ],
)
def test_docstring_examples_hold(module: types.ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
