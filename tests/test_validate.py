"""The validate stage: candidates in, Facts and Issues out, in order, batch or not."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

import extract.validate
from extract.validate import validate_candidates

SENTENCE = "今年新增城镇就业人员超1万人。"


def candidate(number: int, **fields: Any) -> dict[str, Any]:
    """Return a valid candidate of the mention 1万人, told apart by its ``line``."""
    values: dict[str, Any] = {
        "doc_id": "a",
        "section": None,
        "mention": "1万人",
        "value": Decimal("1"),
        "unit": "万人",
        "normalized_value": Decimal("1E+4"),
        "base_unit": "人",
        "per": None,
        "comparator": ">",
        "indicator": "新增城镇就业人员",
        "qualifiers": ["新增"],
        "sentence": SENTENCE,
        "start": 11,
        "end": 14,
        "line": number,
        "upper_value": None,
    }
    values.update(fields)
    return values


BAD_SPAN = {"start": 14, "end": 11}
BAD_COMPARATOR = {"comparator": "≈"}
TOO_MANY_DIGITS = {"value": Decimal("1234567890123456")}


@pytest.mark.parametrize(
    ("faults", "reasons"),
    [
        pytest.param([None] * 5, [], id="all-good"),
        pytest.param([None, BAD_SPAN, None, None, None], ["bad span 14..11"], id="one-bad"),
        pytest.param(
            [BAD_COMPARATOR, None, None, None, TOO_MANY_DIGITS],
            ["Input should be", "16 significant digits"],
            id="bad-at-both-ends",
        ),
        pytest.param([BAD_SPAN] * 5, ["bad span"] * 5, id="all-bad"),
        pytest.param([], [], id="none"),
    ],
)
@pytest.mark.parametrize("batch_size", [1, 2, 1000])
def test_good_candidates_become_facts_in_order_and_each_bad_one_an_issue(
    monkeypatch: pytest.MonkeyPatch,
    faults: list[dict[str, Any] | None],
    reasons: list[str],
    batch_size: int,
) -> None:
    monkeypatch.setattr(extract.validate, "BATCH_SIZE", batch_size)
    candidates = [candidate(number, **(fault or {})) for number, fault in enumerate(faults, 1)]
    invalid: list[int] = []
    facts, issues = validate_candidates(iter(candidates), invalid=invalid)
    assert invalid == [position for position, fault in enumerate(faults) if fault is not None]
    assert [fact.line for fact in facts] == [
        number for number, fault in enumerate(faults, 1) if fault is None
    ]
    assert [issue.line for issue in issues] == [
        number for number, fault in enumerate(faults, 1) if fault is not None
    ]
    assert len(issues) == len(reasons)
    for issue, reason in zip(issues, reasons, strict=True):
        assert issue.stage == "validate"
        assert issue.reason.startswith("candidate '1万人' rejected: ")
        assert reason in issue.reason
        assert issue.text == SENTENCE
