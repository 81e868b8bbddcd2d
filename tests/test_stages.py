"""The stage table: one order for extraction and explanation, and failures named by stage."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest

import extract.facts
import extract.validate
from extract import pipeline
from extract.explain import explain_source
from extract.models import SourceText
from extract.pipeline import STAGES, StageError, describe_failure


def _source(text: str, doc_id: str = "bad") -> SourceText:
    return SourceText(
        path=f"{doc_id}.txt", doc_id=doc_id, encoding="utf-8", sha256="0" * 64, size=1, text=text
    )


def _in_module(module: types.ModuleType, source: str) -> Callable[..., Any]:
    """Return the one function of ``source``, living in ``module``'s namespace and file."""
    module_code = compile(source, module.__file__ or module.__name__, "exec")
    code = next(c for c in module_code.co_consts if isinstance(c, types.CodeType))
    return types.FunctionType(code, vars(module))


def test_the_stages_run_in_reading_order() -> None:
    assert [name for name, _ in STAGES] == [
        "read",
        "clean",
        "segment",
        "extract",
        "validate",
        "context",
    ]


@pytest.mark.parametrize(
    ("target", "module", "source", "reason"),
    [
        pytest.param(
            "extract_candidates",
            extract.facts,
            "def failing(segmented, *, issues, trace=None, lexicon=None):\n"
            "    if segmented.clean.doc_id == 'bad':\n"
            "        raise ValueError('no numbers here')\n"
            "    yield from extract_candidates(segmented, issues=issues, lexicon=lexicon)\n",
            "extract stage failed: ValueError: no numbers here (facts.py line 3)",
            id="extract-fails-while-validate-asks-for-candidates",
        ),
        pytest.param(
            "validate_candidates",
            extract.validate,
            "def failing(candidates, *, invalid=None):\n"
            "    list(candidates)\n"
            "    raise MemoryError('no room')\n",
            "validate stage failed: MemoryError: no room (validate.py line 3)",
            id="validate",
        ),
    ],
)
def test_a_failure_is_named_by_the_stage_that_was_running(
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    module: types.ModuleType,
    source: str,
    reason: str,
) -> None:
    monkeypatch.setattr(pipeline, target, _in_module(module, source))
    with pytest.raises(StageError) as error:
        pipeline.extract_source(_source("增长5%。"))
    assert describe_failure(error.value) == reason


def test_explain_walks_the_same_stages(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*_: object, **__: object) -> None:
        raise ValueError("cannot re-flow")

    monkeypatch.setattr(pipeline, "segment_text", failing)
    with pytest.raises(StageError) as error:
        explain_source(_source("增长5%。"))
    assert (error.value.stage, str(error.value.cause)) == ("segment", "cannot re-flow")


def test_a_failure_outside_the_stages_is_a_pipeline_failure() -> None:
    assert describe_failure(KeyError("x")) == "pipeline stage failed: KeyError: 'x'"

