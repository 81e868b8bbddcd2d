"""Shared fixtures: every test starts and ends with the bundled lexicons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from extract.lexicon import reset_lexicons


@pytest.fixture(autouse=True)
def bundled_lexicons() -> Iterator[None]:
    """Drop any lexicon file a test added (they are process-wide), before and after it."""
    reset_lexicons()
    yield
    reset_lexicons()
