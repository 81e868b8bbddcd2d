"""Shared helpers of the tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


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
