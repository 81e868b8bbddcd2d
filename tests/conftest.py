"""Shared fixtures and helpers: every test starts and ends with the bundled lexicons."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.lexicon import reset_lexicons


@pytest.fixture(autouse=True)
def bundled_lexicons() -> Iterator[None]:
    """Drop any lexicon file a test added (they are process-wide), before and after it."""
    reset_lexicons()
    yield
    reset_lexicons()


def run_cli(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """Return the finished ``python -m extract ARGUMENTS`` process, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "extract", *map(str, arguments)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
