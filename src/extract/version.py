"""The installed version of the package, read from its metadata alone, so ``--version`` is fast."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version


def installed_version() -> str:
    """Return the installed version of this package, such as ``0.1.0``, or ``unknown``."""
    try:
        return version("extract")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"
