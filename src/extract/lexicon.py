"""The lexicons of ``data/*.toml``: loaded, validated and compiled once, on first use.

Every word list lives in the data files, not in code: units and multipliers
(units.toml), comparators, qualifiers and the words the extractor's rules read
(words.toml), header and furniture patterns (structure.toml).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, get_args

import regex

from .models import Comparator


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


#: Unit groups in units.toml that hold units (the rest are rule tables).
_RULE_TABLES = {"not_before", "kinds"}


@dataclass(frozen=True)
class Unit:
    """One unit of measure as written, with its base unit and conversion factor."""

    text: str
    base: str
    factor: Decimal
    group: str


@dataclass(frozen=True)
class Units:
    """Every known unit, and the rules that say when a unit is really one."""

    by_text: dict[str, Unit]
    not_before: dict[str, tuple[str, ...]]
    classifier_groups: frozenset[str]
    dated: frozenset[str]
    calendar: frozenset[str]
    pattern: str  # regex alternation, longest first


@cache
def units() -> Units:
    """Return the unit lexicon of data/units.toml, validated on load."""
    return build_units(load_table("units"))


def build_units(table: dict[str, Any]) -> Units:
    """Return the unit lexicon of a parsed units table; a bad entry raises ``LexiconError``."""
    by_text: dict[str, Unit] = {}
    for group, entries in table.items():
        if group in _RULE_TABLES:
            continue
        if not isinstance(entries, dict):
            raise LexiconError(f"data/units.toml: [{group}] must be a table")
        for text, spec in entries.items():
            if (
                not isinstance(spec, list)
                or len(spec) != 2
                or not isinstance(spec[0], str)
                or not isinstance(spec[1], int | float)
            ):
                raise LexiconError(
                    f"data/units.toml: [{group}] {text!r} must be [base_unit, factor]"
                )
            if text in by_text:
                raise LexiconError(f"data/units.toml: unit {text!r} is listed twice")
            by_text[text] = Unit(text, spec[0], Decimal(str(spec[1])), group)
    kinds = table.get("kinds", {})
    not_before = {
        unit: tuple(sorted(words, key=len, reverse=True))
        for unit, words in table.get("not_before", {}).items()
    }
    unknown = set(not_before) - set(by_text)
    if unknown:
        raise LexiconError(f"data/units.toml: [not_before] names unknown units {sorted(unknown)}")
    ordered = sorted(by_text, key=lambda t: (-len(t), t))
    return Units(
        by_text=by_text,
        not_before=not_before,
        classifier_groups=frozenset(kinds.get("classifiers", [])),
        dated=frozenset(kinds.get("dated", [])),
        calendar=frozenset(kinds.get("calendar", [])),
        pattern="|".join(regex.escape(t) for t in ordered),
    )


@dataclass(frozen=True)
class Words:
    """The word lists of ``data/words.toml``."""

    comparators_before: tuple[tuple[str, str], ...]  # (word, comparator), longest first
    comparators_after: tuple[tuple[str, str], ...]
    comparators_inside: dict[str, str]
    qualifiers: tuple[str, ...]
    qualifier_base_re: regex.Pattern[str]
    linking: tuple[str, ...]
    leading: tuple[str, ...]
    reporting: tuple[str, ...]
    falling: tuple[str, ...]
    rising: tuple[str, ...]
    fillers: tuple[str, ...]
    level_verbs: tuple[str, ...]
    per_words: tuple[str, ...]
    counted_nouns: tuple[str, ...]
    framing: tuple[regex.Pattern[str], ...]
    respectively: tuple[str, ...]
    each: tuple[str, ...]
    comparison: tuple[str, ...]
    duration_verbs: tuple[str, ...]
    generic: frozenset[str]
    predicate_openers: tuple[str, ...]
    conversions: tuple[str, ...]
    action_verbs: tuple[str, ...]
    milestones: tuple[str, ...]
    appositive: tuple[str, ...]
    people: frozenset[str]
    money: tuple[str, ...]
    non_fact_terms: tuple[str, ...]
    grouping_nouns: tuple[str, ...]
    specification_nouns: tuple[str, ...]
    determiners: tuple[str, ...]


def _comparator_table(section: dict[str, list[str]], where: str) -> tuple[tuple[str, str], ...]:
    allowed = set(get_args(Comparator))
    pairs: list[tuple[str, str]] = []
    for comparator, entries in section.items():
        if comparator not in allowed:
            raise LexiconError(
                f"data/words.toml: [comparators.{where}] key {comparator!r} "
                f"is not one of {sorted(allowed)}"
            )
        pairs.extend((word, comparator) for word in entries)
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


@cache
def words() -> Words:
    """Return the word lexicon of data/words.toml, validated on load."""
    return build_words(load_table("words"))


def build_words(table: dict[str, Any]) -> Words:
    """Return the word lexicon of a parsed words table; a bad entry raises ``LexiconError``."""
    try:
        return _build_words(table)
    except KeyError as error:
        raise LexiconError(f"data/words.toml: missing table or list {error}") from error


def _build_words(table: dict[str, Any]) -> Words:
    comparators = table["comparators"]
    inside = dict(_comparator_table(comparators["inside"], "inside"))
    return Words(
        comparators_before=_comparator_table(comparators["before"], "before"),
        comparators_after=_comparator_table(comparators["after"], "after"),
        comparators_inside=inside,
        qualifiers=_sorted(table["qualifiers"]["words"]),
        qualifier_base_re=_compile(
            "|".join(table["qualifiers"]["base_patterns"]), "qualifiers.base_patterns"
        ),
        linking=_sorted(table["linking"]["words"]),
        leading=_sorted(table["linking"]["leading"]),
        reporting=_sorted(table["linking"]["reporting"]),
        falling=_sorted(table["changes"]["falling"]),
        rising=_sorted(table["changes"]["rising"]),
        fillers=_sorted(table["changes"]["fillers"]),
        level_verbs=_sorted(table["changes"]["level_verbs"]),
        per_words=_sorted(table["per"]["words"]),
        counted_nouns=_sorted(table["distributors"]["counted_nouns"]),
        framing=tuple(_compile(p, "topics.framing") for p in table["topics"]["framing"]),
        respectively=_sorted(table["distributors"]["respectively"]),
        each=_sorted(table["distributors"]["each"]),
        comparison=_sorted(table["distributors"]["comparison"]),
        duration_verbs=_sorted(table["durations"]["verbs"]),
        generic=frozenset(table["topics"]["generic"]),
        predicate_openers=_sorted(table["topics"]["predicate_openers"]),
        conversions=_sorted(table["topics"]["conversions"]),
        action_verbs=_sorted(table["topics"]["action_verbs"]),
        milestones=_sorted(table["topics"]["milestones"]),
        appositive=_sorted(table["topics"]["appositive"]),
        people=frozenset(table["topics"]["people"]),
        money=_sorted(table["topics"]["money"]),
        non_fact_terms=_sorted(table["non_facts"]["terms"]),
        grouping_nouns=_sorted(table["non_facts"]["grouping_nouns"]),
        specification_nouns=_sorted(table["non_facts"]["specification_nouns"]),
        determiners=_sorted(table["non_facts"]["determiners"]),
    )


def _compile(pattern: str, where: str) -> regex.Pattern[str]:
    try:
        return regex.compile(pattern)
    except regex.error as error:
        raise LexiconError(f"data/words.toml: [{where}] {pattern!r}: {error}") from error


def _sorted(entries: list[str]) -> tuple[str, ...]:
    if not isinstance(entries, list) or not all(isinstance(e, str) and e for e in entries):
        raise LexiconError("data/words.toml: word lists must hold non-empty strings")
    return tuple(sorted(set(entries), key=lambda e: (-len(e), e)))
