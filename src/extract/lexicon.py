"""Load the word lists in ``data/*.toml``; every lexicon lives there, not in code."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


class LexiconError(ValueError):
    """A data file is missing, malformed or has an entry of the wrong shape."""


@cache
def load_table(name: str) -> dict[str, Any]:
    """Return the parsed ``data/NAME.toml`` (cached; the files never change at run time)."""
    resource = resources.files("extract").joinpath("data", f"{name}.toml")
    try:
        return tomllib.loads(resource.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise LexiconError(f"data/{name}.toml: missing from the package") from error
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"data/{name}.toml: {error}") from error


def word_list(table: str, key: str) -> list[str]:
    """Return the list ``key`` of ``data/TABLE.toml``, checked to hold non-empty strings.

    Entries are returned longest first, the order a regex alternation needs.
    """
    entries = load_table(table).get(key)
    if not isinstance(entries, list) or not all(isinstance(e, str) and e for e in entries):
        raise LexiconError(f"data/{table}.toml: {key!r} must be a list of non-empty strings")
    return sorted(set(entries), key=lambda e: (-len(e), e))
