"""Turn extraction candidates into validated ``Fact`` models; failures become ``Issue``s."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import ValidationError

from .models import Fact, Issue


def validate_candidates(candidates: Iterable[dict[str, Any]]) -> tuple[list[Fact], list[Issue]]:
    """Return the candidates that validate as ``Fact``s, and an ``Issue`` for each that does not."""
    facts: list[Fact] = []
    issues: list[Issue] = []
    for candidate in candidates:
        try:
            facts.append(Fact.model_validate(candidate))
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
    return facts, issues
