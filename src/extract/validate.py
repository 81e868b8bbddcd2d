"""Turn extraction candidates into validated ``Fact`` models; failures become ``Issue``s."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .models import Fact, Issue, batches

#: Models validated in one call: fact candidates here, paragraphs and sentences in
#: segment.py. One call for many saves pydantic's cost per call (a model made one at a
#: time costs about twice as much); a bounded batch keeps few rows in memory (a one-line
#: 10 MB input has hundreds of thousands of sentences).
BATCH_SIZE = 1000

_FACT_LIST = TypeAdapter(list[Fact])


def validate_candidates(
    candidates: Iterable[dict[str, Any]], *, invalid: list[int] | None = None
) -> tuple[list[Fact], list[Issue]]:
    """Return the candidates that validate as ``Fact``s, and an ``Issue`` for each that does not.

    With an ``invalid`` list, the position of each candidate that does not validate is
    appended to it, in the order of the issues (``explain`` pairs candidates with facts).
    """
    facts: list[Fact] = []
    issues: list[Issue] = []
    start = 0
    for batch in batches(candidates, BATCH_SIZE):
        try:
            facts.extend(_FACT_LIST.validate_python(batch))
        except ValidationError:
            # Some candidate is bad: each is validated alone, to say which and why.
            for position, candidate in enumerate(batch, start):
                fact = _validate_one(candidate, issues)
                if fact is not None:
                    facts.append(fact)
                elif invalid is not None:
                    invalid.append(position)
        start += len(batch)
    return facts, issues


def _validate_one(candidate: dict[str, Any], issues: list[Issue]) -> Fact | None:
    """Return ``candidate`` as a ``Fact``, or None with an ``Issue`` saying why it is not one."""
    try:
        return Fact.model_validate(candidate)
    except ValidationError as error:
        reasons = "; ".join(e["msg"] for e in error.errors())
        issues.append(
            Issue(
                stage="validate",
                reason=f"candidate {candidate.get('mention')!r} rejected: {reasons}",
                line=candidate.get("line"),
                text=candidate.get("sentence"),
            )
        )
        return None
