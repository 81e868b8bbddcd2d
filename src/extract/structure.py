"""The heading, byline and furniture patterns and punctuation classes of a document.

``Structure`` is the compiled ``structure`` table of a lexicon (``data/structure.toml`` and
the ``[structure.…]`` additions of lexicon files): clean.py reads it to tell header lines
from wrapped ones, segment.py to find sections and sentences, facts.py for its
punctuation classes. ``build_structure`` compiles a parsed table once the lexicon
(``lexicon.load_lexicon``) has validated it, so this module knows nothing of files.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import regex

from .regex_calls import match_here


# A plain class, not a dataclass: in a compiled module a dataclass still has its methods
# written out and compiled at every start-up. Built with the structure, never compared.
class HeadingStyle:
    """One numbered-heading style: its name, its level and its enumerator pattern."""

    def __init__(
        self, name: str, rank: int, pattern: regex.Pattern[str], *, lead: bool = True
    ) -> None:
        self.name = name
        self.rank = rank
        self.pattern = pattern
        #: Whether the marker also heads a body paragraph, its first sentence the heading
        #: (一、坚持稳中求进。2025年…); a bullet-like marker (◆) leads list items instead.
        self.lead = lead


# A plain class (see HeadingStyle): built with the structure, never compared.
class LinePattern:
    """A pattern matched at the start of a line, asked only about a line whose first
    character may open one of its matches.

    Which characters may open a match is learned from the pattern itself, once per
    character met: a match of ``text`` starts with ``text[0]``, so ``text[0]`` alone is a
    partial match of the pattern (the ``regex`` module's ``partial``: a match the text could
    complete) whenever ``text`` matches. A line whose first character is no partial match
    cannot match; the answer for that character is a dict lookup from then on, where a match
    call costs several thousand instructions even on a line it rejects at once.
    """

    def __init__(self, pattern: regex.Pattern[str]) -> None:
        self.pattern = pattern
        #: Whether a match may start with the character, for each character asked about.
        self.openers: dict[str, bool] = {}

    def match(self, text: str) -> regex.Match[str] | None:
        """Return ``pattern.match(text)``, after the test of its first character.

        >>> line = LinePattern(regex.compile("(?:下载|打印)$"))
        >>> line.match("下载") is not None, line.match("增长") is None, line.openers
        (True, True, {'下': True, '增': False})
        """
        if text:
            first = text[0]
            opens = self.openers.get(first)
            if opens is None:
                opens = self.pattern.match(first, partial=True) is not None
                self.openers[first] = opens
            if not opens:
                return None
        return match_here(self.pattern, text)


# A plain class (see HeadingStyle), built once per lexicon and only read.
class Structure:
    """The compiled contents of ``data/structure.toml``."""

    def __init__(self, table: dict[str, Any]) -> None:
        """Compile a parsed table that ``lexicon`` has validated (``build_structure``)."""
        punctuation = table["punctuation"]
        pairs = _pairs(punctuation["pairs"])
        quotes = _pairs(punctuation["quotes"])
        self.terminal: frozenset[str] = frozenset(punctuation["terminal"])
        #: The terminal marks a headline may hold between its parts (！？).
        self.headline_inner: frozenset[str] = frozenset(punctuation["headline_inner"])
        self.closing = "".join(punctuation["closing"])
        self.clause_end: frozenset[str] = frozenset(punctuation["clause_end"])
        self.sentence_end: frozenset[str] = frozenset(punctuation["sentence_end"])
        self.pairs = pairs
        #: The closers of ``pairs``, and all its openers and closers.
        self.pair_closers = frozenset(pairs.values())
        self.pair_marks = frozenset(pairs) | frozenset(pairs.values())
        self.quotes = quotes
        self.other: frozenset[str] = frozenset(punctuation["other"])
        #: Marks that open a list item at the start of a line (●, ■).
        self.bullets = "".join(punctuation["bullets"])
        self.keyword = _compile(table["keyword"]["pattern"])
        self.ordinal = _compile(table["ordinal"]["pattern"])
        #: Web page chrome: a tool bar button, the line opening a breadcrumb trail, its
        #: separators, the line opening a list of related links, a metadata line (label,
        #: value) and a label alone.
        self.toolbar = _compile(table["toolbar"]["pattern"])
        self.breadcrumb = _compile(table["breadcrumb"]["pattern"])
        self.breadcrumb_separator = _compile(table["breadcrumb_separator"]["pattern"])
        self.related = _compile(table["related"]["pattern"])
        self.metadata = _compile(table["metadata"]["pattern"])
        self.metadata_label = _compile(table["metadata_label"]["pattern"])
        #: The tool bar and metadata label patterns, tested on every short line of a document
        #: (the others on a few lines at its top or end), with the test of a first character.
        self.toolbar_line = LinePattern(self.toolbar)
        self.metadata_label_line = LinePattern(self.metadata_label)
        #: The shape of a plain heading line (亮点回顾), its rank, and how many a document
        #: needs before they open sections.
        plain = table["plain_heading"]
        self.plain_heading = _compile(plain["pattern"])
        self.plain_rank: int = plain["rank"]
        self.plain_siblings: int = plain["siblings"]
        #: A plain heading line that heads a section with no sibling: 今后五年的主要目标.
        self.plain_lone = _compile(plain["lone"])
        self.headings = tuple(
            HeadingStyle(
                str(entry.get("name", index)),
                entry["rank"],
                _compile(entry["pattern"]),
                lead=entry.get("lead", True),
            )
            for index, entry in enumerate(table.get("headings", []))
        )
        #: The byline patterns and the furniture patterns with their reasons, as written:
        #: compiled in the alternations below, and a furniture pattern alone only once its
        #: alternation matched (``furniture_reason``), which few lines do.
        self.bylines = tuple(str(entry["pattern"]) for entry in table.get("bylines", []))
        self.furniture = tuple(
            (str(entry.get("reason", "page furniture")), str(entry["pattern"]))
            for entry in table.get("furniture", [])
        )
        #: All byline (furniture, header, heading) patterns as one alternation: one
        #: match call rejects an ordinary line.
        self.any_byline = _alternation(self.bylines)
        self.any_furniture = _alternation(p for _, p in self.furniture)
        #: Asked of every short line in every re-flow pass: its first character first.
        self.any_furniture_line = LinePattern(self.any_furniture)
        self.any_header = _alternation(
            [
                *(h.pattern.pattern for h in self.headings),
                *self.bylines,
                self.ordinal.pattern,
                self.keyword.pattern,
            ]
        )
        self.any_heading = _alternation(h.pattern.pattern for h in self.headings)

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
        if len(text) > MAX_HEADER_CHARS or self.any_furniture_line.match(text) is None:
            return None
        for reason, pattern in self.furniture:
            if _compiled_once(pattern).match(text):
                return reason
        return None


#: Header, byline and furniture lines are short; longer lines are never
#: tested against those patterns (it also bounds the cost on huge lines).
MAX_HEADER_CHARS = 80


#: The levels a numbered heading style may have: 一、 is 1, （一） 2, 1. 3.
HEADING_RANKS = (1, 2, 3)

#: The punctuation classes of the table, each a list of marks.
PUNCTUATION_CLASSES = (
    "terminal",
    "headline_inner",
    "closing",
    "clause_end",
    "sentence_end",
    "other",
    "bullets",
)
#: The punctuation tables of [open, close] pairs.
PUNCTUATION_PAIRS = ("pairs", "quotes")
#: The tables holding one whole-line ``pattern``, and the arrays of tables holding one each.
PATTERN_TABLES = (
    "keyword",
    "ordinal",
    "plain_heading",
    "toolbar",
    "breadcrumb",
    "breadcrumb_separator",
    "related",
    "metadata",
    "metadata_label",
)
PATTERN_ARRAYS = ("headings", "bylines", "furniture")


def _compile(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern, regex.VERSION1)


@cache
def _compiled_once(pattern: str) -> regex.Pattern[str]:
    """Return ``pattern`` compiled, compiling it on the first call only."""
    return _compile(pattern)


def build_structure(table: dict[str, Any]) -> Structure:
    """Return the compiled structure of a parsed table that ``lexicon`` has validated.

    The shapes this reads (``PUNCTUATION_CLASSES`` … ``HEADING_RANKS``) are checked in one
    place, lexicon.py, with the lexicon files' entries.
    """
    return Structure(table)


def _pairs(pairs: list[list[str]]) -> dict[str, str]:
    """Return [open, close] pairs as {open: close}."""
    return {open_: close for open_, close in pairs}


def _alternation(patterns: Iterable[str]) -> regex.Pattern[str]:
    """Return one pattern matching where any of ``patterns`` matches (never, if none)."""
    sources = [f"(?:{p})" for p in patterns]
    return regex.compile("|".join(sources) or r"(?!)", regex.VERSION1)
