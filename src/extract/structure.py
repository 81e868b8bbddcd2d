"""The heading, byline and furniture patterns and punctuation classes of a document.

``Structure`` is the compiled ``structure`` table of a lexicon (``data/structure.toml`` and
the ``[structure.…]`` additions of lexicon files): clean.py reads it to tell header lines
from wrapped ones, segment.py to find sections and sentences, facts.py for its
punctuation classes. ``build_structure`` compiles a parsed table; the lexicon
(``lexicon.load_lexicon``) calls it, so this module knows nothing of files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

from .regex_calls import match_here


class StructureError(ValueError):
    """A structure table has an entry of the wrong shape (``lexicon`` names the file)."""


@dataclass(frozen=True, slots=True)
class HeadingStyle:
    """One numbered-heading style: its name, its level and its enumerator pattern."""

    name: str
    rank: int
    pattern: regex.Pattern[str]


@dataclass(frozen=True, slots=True)
class Structure:
    """The compiled contents of ``data/structure.toml``."""

    terminal: frozenset[str]
    closing: str
    clause_end: frozenset[str]
    sentence_end: frozenset[str]
    pairs: dict[str, str]
    #: The closers of ``pairs``, and all its openers and closers.
    pair_closers: frozenset[str]
    pair_marks: frozenset[str]
    quotes: dict[str, str]
    other: frozenset[str]
    keyword: regex.Pattern[str]
    ordinal: regex.Pattern[str]
    headings: tuple[HeadingStyle, ...]
    bylines: tuple[regex.Pattern[str], ...]
    furniture: tuple[tuple[str, regex.Pattern[str]], ...]
    #: All byline (furniture, header, heading) patterns as one alternation: one
    #: match call rejects an ordinary line.
    any_byline: regex.Pattern[str]
    any_furniture: regex.Pattern[str]
    any_header: regex.Pattern[str]
    any_heading: regex.Pattern[str]

    def ends_sentence(self, text: str) -> bool:
        """Return whether ``text`` ends in a terminal mark, closing quotes aside.

        >>> from extract.lexicon import load_lexicon
        >>> load_lexicon().structure.ends_sentence("建设迈出坚定步伐。”")
        True
        """
        stripped = text.rstrip(self.closing)
        return bool(stripped) and stripped[-1] in self.terminal

    def match_heading(self, text: str) -> tuple[HeadingStyle, regex.Match[str]] | None:
        """Return the heading style whose enumerator starts ``text``, with its match."""
        if match_here(self.any_heading, text) is None:
            return None
        for style in self.headings:
            match = match_here(style.pattern, text)
            if match is not None:
                return style, match
        return None

    def heading_line(self, text: str) -> tuple[HeadingStyle, regex.Match[str]] | None:
        """Return the style and enumerator match of a heading line that stands alone, or None.

        A heading line has no body after it: （一）着力扩大内需。坚持… is a bold
        lead sentence opening a paragraph, and 一、总体要求： introduces a list.

        >>> from extract.lexicon import load_lexicon
        >>> load_lexicon().structure.heading_line("一、2025年工作回顾")[0].name
        'number'
        >>> load_lexicon().structure.heading_line("（一）着力扩大内需。坚持提振消费") is None
        True
        """
        if not text or len(text) > MAX_HEADER_CHARS or text[-1] in self.clause_end:
            return None
        found = self.match_heading(text)
        if found is None:
            return None
        body = text.rstrip(self.closing)[:-1]
        if any(mark in self.terminal for mark in body):
            return None
        return found

    def is_byline(self, text: str) -> bool:
        """Return whether the whole of ``text`` is a credit line (记者 … 整理, 来源：…)."""
        return len(text) <= MAX_HEADER_CHARS and match_here(self.any_byline, text) is not None

    def furniture_reason(self, text: str) -> str | None:
        """Return why ``text`` is page furniture (``"page number"`` …), or None."""
        if len(text) > MAX_HEADER_CHARS or match_here(self.any_furniture, text) is None:
            return None
        for reason, pattern in self.furniture:
            if pattern.match(text):
                return reason
        return None


#: Header, byline and furniture lines are short; longer lines are never
#: tested against those patterns (it also bounds the cost on huge lines).
MAX_HEADER_CHARS = 80


def _strings(table: dict[str, object], key: str, where: str) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise StructureError(f"data/structure.toml: {where}{key!r} must be a list of strings")
    return value


def _compile(value: object, where: str) -> regex.Pattern[str]:
    if not isinstance(value, str) or not value.startswith("^"):
        raise StructureError(f"data/structure.toml: {where} must be a string anchored with '^'")
    try:
        return regex.compile(value, regex.VERSION1)
    except regex.error as error:
        raise StructureError(f"data/structure.toml: {where}: {error}") from error


def build_structure(table: dict[str, Any]) -> Structure:
    """Return the compiled structure of a parsed table; a bad entry raises ``LexiconError``."""
    punctuation = table.get("punctuation", {})
    pairs = _pairs(punctuation, "pairs")
    quotes = _pairs(punctuation, "quotes")
    headings = []
    for index, entry in enumerate(table.get("headings", [])):
        rank = entry.get("rank")
        if rank not in (1, 2, 3):
            raise StructureError(f"data/structure.toml: headings[{index}].rank must be 1, 2 or 3")
        headings.append(
            HeadingStyle(
                str(entry.get("name", index)),
                rank,
                _compile(entry.get("pattern"), f"headings[{index}].pattern"),
            )
        )
    keyword = _compile(table.get("keyword", {}).get("pattern"), "keyword.pattern")
    ordinal = _compile(table.get("ordinal", {}).get("pattern"), "ordinal.pattern")
    bylines = tuple(
        _compile(entry.get("pattern"), f"bylines[{index}].pattern")
        for index, entry in enumerate(table.get("bylines", []))
    )
    furniture = tuple(
        (
            str(entry.get("reason", "page furniture")),
            _compile(entry.get("pattern"), f"furniture[{index}].pattern"),
        )
        for index, entry in enumerate(table.get("furniture", []))
    )
    return Structure(
        terminal=frozenset(_strings(punctuation, "terminal", "punctuation.")),
        closing="".join(_strings(punctuation, "closing", "punctuation.")),
        clause_end=frozenset(_strings(punctuation, "clause_end", "punctuation.")),
        sentence_end=frozenset(_strings(punctuation, "sentence_end", "punctuation.")),
        pairs=pairs,
        pair_closers=frozenset(pairs.values()),
        pair_marks=frozenset(pairs) | frozenset(pairs.values()),
        quotes=quotes,
        other=frozenset(_strings(punctuation, "other", "punctuation.")),
        keyword=keyword,
        ordinal=ordinal,
        headings=tuple(headings),
        bylines=bylines,
        furniture=furniture,
        any_byline=_alternation(p for p in bylines),
        any_furniture=_alternation(p for _, p in furniture),
        any_header=_alternation([*(h.pattern for h in headings), *bylines, ordinal, keyword]),
        any_heading=_alternation(h.pattern for h in headings),
    )


def _pairs(punctuation: dict[str, object], key: str) -> dict[str, str]:
    """Return the [open, close] pairs of ``punctuation.KEY`` as {open: close}."""
    pairs = punctuation.get(key)
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) and len(c) == 1 for c in p)
        for p in pairs
    ):
        raise StructureError(f"data/structure.toml: punctuation.{key} must be [open, close] pairs")
    return {open_: close for open_, close in pairs}


def _alternation(patterns: Iterable[regex.Pattern[str]]) -> regex.Pattern[str]:
    """Return one pattern matching where any of ``patterns`` matches (never, if none)."""
    sources = [f"(?:{p.pattern})" for p in patterns]
    return regex.compile("|".join(sources) or r"(?!)", regex.VERSION1)
