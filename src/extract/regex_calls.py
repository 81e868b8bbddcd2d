"""Regex calls that keep the GIL: the ``regex`` module's methods, with ``concurrent=False``.

The ``regex`` module releases and retakes the GIL around each match of a str unless told
not to (``concurrent=False``), and whenever it grows its backtracking stack: on the short
lines and clauses matched in this package, that costs more than the match itself. The
helpers here pass ``concurrent=False`` by position, as the module parses a keyword
argument more slowly still. Every stage that matches a regex per line, per clause or per
number calls these instead of the pattern's own methods; the module is compiled with
mypyc with the stages that call it (setup.py).

``any_of`` builds the one-character-class patterns scanned over every sentence, once per
class.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import regex


def match_here(pattern: regex.Pattern[str], text: str) -> regex.Match[str] | None:
    """Return ``pattern.match(text)``, the GIL kept."""
    return pattern.match(text, None, None, False)


def search_in(
    pattern: regex.Pattern[str], text: str, start: int | None = None, end: int | None = None
) -> regex.Match[str] | None:
    """Return ``pattern.search(text, start, end)``, the GIL kept."""
    return pattern.search(text, start, end, False)


def find_all(pattern: regex.Pattern[str], text: str) -> Iterator[regex.Match[str]]:
    """Return ``pattern.finditer(text)``, the GIL kept."""
    return pattern.finditer(text, None, None, False, False)  # after ``overlapped``


def find_strings(pattern: regex.Pattern[str], text: str) -> list[str]:
    """Return ``pattern.findall(text)``, the GIL kept: the matched texts of a pattern without
    groups (with groups, ``findall`` gives the groups' texts)."""
    return pattern.findall(text, None, None, False, False)  # after ``overlapped``


def replace_all(pattern: regex.Pattern[str], replacement: str, text: str) -> str:
    """Return ``pattern.sub(replacement, text)``, the GIL kept."""
    return pattern.sub(replacement, text, 0, None, None, False)


@cache
def any_of(characters: frozenset[str]) -> re.Pattern[str]:
    """Return a regex matching any one of ``characters`` (none: a regex that never matches).

    The standard library's ``re``, not ``regex``: it finds the characters of a class in
    about half the time, and these classes are scanned over every sentence.

    >>> any_of(frozenset("。！")).findall("增长。好！")
    ['。', '！']
    """
    escaped = "".join(re.escape(c) for c in sorted(characters))
    return re.compile(f"[{escaped}]" if escaped else "(?!)")
