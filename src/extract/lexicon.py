"""The lexicons of ``data/*.toml`` and of lexicon files, as one frozen ``Lexicon`` value.

Every word list lives in the data files, not in code: units and multipliers
(units.toml), comparators, qualifiers and the words the extractor's rules read
(words.toml), header and furniture patterns (structure.toml), the headline indicators
and their wordings (concepts.toml) and the time and plan words of the context stage
(context.toml).

``load_lexicon(files)`` returns the ``Lexicon`` of the bundled files with the entries of
the lexicon files (the CLI's ``--lexicon``) added; without files, the bundled lexicon,
built once. The stages take a lexicon as an argument (``lexicon=None``: the bundled one)
and keep what they derive from it (compiled regexes, tables) with the value itself
(``Lexicon.derived``): nothing in the process changes when a lexicon is loaded.
"""

from __future__ import annotations

import copy
import hashlib
import importlib
import marshal
import math
import sys
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeGuard, TypeVar, get_args

import regex

from .models import Comparator
from .structure import (
    HEADING_RANKS,
    PATTERN_ARRAYS,
    PATTERN_TABLES,
    PUNCTUATION_CLASSES,
    PUNCTUATION_PAIRS,
    Structure,
    build_structure,
)
from .tagger import cache_dir, mark_used, write_cache_file

_Derived = TypeVar("_Derived")


class LexiconError(ValueError):
    """A data file is missing, malformed or has an entry of the wrong shape."""


@cache
def bundled_table(name: str) -> dict[str, Any]:
    """Return the parsed ``data/NAME.toml`` as shipped (cached; it never changes at run time).

    The parsed table is also kept in the cache folder (``tagger.cache_dir``), marshalled,
    in a file named for the Python that wrote it and a checksum of the file: tomllib
    parses in Python, and reading the bundled tables back costs a start-up a small part
    of parsing them. A missing or damaged file is parsed and written again; one that
    cannot be written only costs time.
    """
    resource = resources.files("extract").joinpath("data", f"{name}.toml")
    try:
        data = resource.read_bytes()
    except FileNotFoundError as error:
        raise LexiconError(f"data/{name}.toml: missing from the package") from error
    checksum = hashlib.blake2b(data, digest_size=16).hexdigest()
    cache_file = cache_dir() / f"tables-{name}-{sys.implementation.cache_tag}-{checksum}.bin"
    try:
        table = marshal.loads(cache_file.read_bytes())
        if isinstance(table, dict):
            mark_used(cache_file)
            return table
    except (OSError, EOFError, ValueError, TypeError):
        pass  # no cache yet, or a damaged one: parse the file again
    # Newlines as reading the file as text gives them.
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(f"data/{name}.toml: {error}") from error
    try:
        write_cache_file(cache_file, marshal.dumps(table))
    except ValueError:
        pass  # a value marshal cannot write (a TOML date): parsed at every start
    return table


#: Unit groups in units.toml that hold units (the rest are rule tables).
_RULE_TABLES = {"not_before", "kinds"}


@dataclass(frozen=True)
class Unit:
    """One unit of measure as written, with its base unit and conversion factor."""

    text: str
    base: str
    factor: Decimal
    group: str


# Built once per lexicon and never compared or printed: no __repr__ or __eq__ (nor
# __hash__), whose code the dataclass machinery would otherwise write and compile at
# every start-up.
@dataclass(frozen=True, repr=False, eq=False)
class Units:
    """Every known unit, and the rules that say when a unit is really one."""

    by_text: dict[str, Unit]
    not_before: dict[str, tuple[str, ...]]
    classifier_groups: frozenset[str]
    dated: frozenset[str]
    calendar: frozenset[str]
    pattern: str  # regex alternation, longest first
    # Groups whose units rate equipment: before a noun they name a class (500千伏变电站).
    specification_groups: frozenset[str] = frozenset()


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
        specification_groups=frozenset(kinds.get("specifications", [])),
        pattern=trie_pattern(ordered),
    )


def trie_pattern(words: Iterable[str]) -> str:
    """Return a regex matching the longest of ``words`` that stands at a position.

    The words share their prefixes (one branch per first character, and so on), so the
    engine tries the one branch whose character is there instead of every word in turn:
    the unit after each number is looked up this way.

    >>> trie_pattern(["千瓦时", "千瓦", "千克", "元"])
    '(?:元|千(?:克|瓦(?:时)?))'
    """
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branches(node: dict[str, Any]) -> str:
        alternatives = [
            regex.escape(char) + branches(child) for char, child in sorted(node.items()) if char
        ]
        if not alternatives:
            return ""
        group = f"(?:{'|'.join(alternatives)})"
        return group + "?" if "" in node else group  # greedy: the longer word first

    return branches(root) or "(?!)"


def build_structure_table(table: dict[str, Any]) -> Structure:
    """Return the compiled structure of a parsed table; a bad entry raises ``LexiconError``."""
    _check_structure(table)
    return build_structure(table)


def _check_structure(table: dict[str, Any]) -> None:
    """Raise ``LexiconError`` naming the entry unless ``table`` has the shape structure.py reads."""

    def fail(where: str, problem: str) -> LexiconError:
        return LexiconError(f"data/structure.toml: {where} {problem}")

    punctuation = table.get("punctuation", {})
    for key in PUNCTUATION_CLASSES:
        if not _is_strings(punctuation.get(key)):
            raise fail(f"punctuation.{key}", "must be a list of non-empty strings")
    for key in PUNCTUATION_PAIRS:
        if not _is_pairs(punctuation.get(key)):
            raise fail(f"punctuation.{key}", "must be [open, close] pairs")
    patterns = [(f"{key}.pattern", table.get(key, {}).get("pattern")) for key in PATTERN_TABLES]
    for key in PATTERN_ARRAYS:
        for index, entry in enumerate(table.get(key, [])):
            patterns.append((f"{key}[{index}].pattern", entry.get("pattern")))
            if key == "headings" and entry.get("rank") not in HEADING_RANKS:
                allowed = ", ".join(map(str, HEADING_RANKS))
                raise fail(f"headings[{index}].rank", f"must be one of {allowed}")
            if key == "headings" and not isinstance(entry.get("lead", True), bool):
                raise fail(f"headings[{index}].lead", "must be true or false")
    plain = table.get("plain_heading", {})
    if plain.get("rank") not in HEADING_RANKS:
        raise fail("plain_heading.rank", f"must be one of {', '.join(map(str, HEADING_RANKS))}")
    patterns.append(("plain_heading.lone", plain.get("lone")))
    siblings = plain.get("siblings")
    if not isinstance(siblings, int) or isinstance(siblings, bool) or siblings < 1:
        raise fail("plain_heading.siblings", "must be a whole number, 1 or more")
    for where, pattern in patterns:
        if not isinstance(pattern, str):
            raise fail(where, "must be a string anchored with '^'")
        groups = ("label", "value") if where == "metadata.pattern" else ()
        problem = _pattern_problem(pattern, groups=groups, anchored=True)
        if problem:
            raise fail(where, problem)


# Built once per lexicon and never compared or printed: no __repr__ or __eq__ (nor
# __hash__), whose code the dataclass machinery would otherwise write and compile at
# every start-up.
@dataclass(frozen=True, repr=False, eq=False)
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
    negative_contributions: tuple[str, ...]
    rising: tuple[str, ...]
    fillers: tuple[str, ...]
    level_verbs: tuple[str, ...]
    per_words: tuple[str, ...]
    counted_nouns: tuple[str, ...]
    framing: tuple[regex.Pattern[str], ...]
    #: Words around a time of several years opening a clause (``topics.period_*``).
    period_plan_after: tuple[str, ...]
    period_years_before: tuple[str, ...]
    period_years_after: tuple[str, ...]
    respectively: tuple[str, ...]
    each: tuple[str, ...]
    before_verbs: tuple[str, ...]
    comparison: tuple[str, ...]
    contractions: tuple[tuple[str, tuple[str, ...]], ...]  # (word, its parts), longest first
    duration_verbs: tuple[str, ...]
    length_nouns: tuple[str, ...]
    ratio_nouns: tuple[str, ...]
    numbered_bodies: tuple[str, ...]
    vague_numerals: tuple[str, ...]
    generic: frozenset[str]
    predicate_openers: tuple[str, ...]
    conversions: tuple[str, ...]
    action_verbs: tuple[str, ...]
    milestones: tuple[str, ...]
    appositive: tuple[str, ...]
    phrase_end_particles: tuple[str, ...]
    variant_qualifiers: frozenset[str]
    people: frozenset[str]
    money: tuple[str, ...]
    non_fact_terms: tuple[str, ...]
    grouping_nouns: tuple[str, ...]
    grouping_measures: tuple[str, ...]
    frame_measures: frozenset[str]
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
        negative_contributions=_sorted(table["changes"]["negative_contributions"]),
        rising=_sorted(table["changes"]["rising"]),
        fillers=_sorted(table["changes"]["fillers"]),
        level_verbs=_sorted(table["changes"]["level_verbs"]),
        per_words=_sorted(table["per"]["words"]),
        counted_nouns=_sorted(table["distributors"]["counted_nouns"]),
        framing=tuple(_compile(p, "topics.framing") for p in table["topics"]["framing"]),
        period_plan_after=_sorted(table["topics"]["period_plan_after"]),
        period_years_before=_sorted(table["topics"]["period_years_before"]),
        period_years_after=_sorted(table["topics"]["period_years_after"]),
        respectively=_sorted(table["distributors"]["respectively"]),
        each=_sorted(table["distributors"]["each"]),
        before_verbs=_sorted(table["distributors"]["before_verbs"]),
        comparison=_sorted(table["distributors"]["comparison"]),
        contractions=_contractions(table["distributors"].get("contractions", {})),
        duration_verbs=_sorted(table["durations"]["verbs"]),
        length_nouns=_sorted(table["durations"]["length_nouns"]),
        ratio_nouns=_sorted(table["topics"]["ratio_nouns"]),
        numbered_bodies=_sorted(table["non_facts"]["numbered_bodies"]),
        vague_numerals=_sorted(table["non_facts"]["vague_numerals"]),
        generic=frozenset(table["topics"]["generic"]),
        predicate_openers=_sorted(table["topics"]["predicate_openers"]),
        conversions=_sorted(table["topics"]["conversions"]),
        action_verbs=_sorted(table["topics"]["action_verbs"]),
        milestones=_sorted(table["topics"]["milestones"]),
        appositive=_sorted(table["topics"]["appositive"]),
        phrase_end_particles=_sorted(table["topics"]["phrase_end_particles"]),
        variant_qualifiers=frozenset(_sorted(table["panel"]["variant_qualifiers"])),
        people=frozenset(table["topics"]["people"]),
        money=_sorted(table["topics"]["money"]),
        non_fact_terms=_sorted(table["non_facts"]["terms"]),
        grouping_nouns=_sorted(table["non_facts"]["grouping_nouns"]),
        grouping_measures=_sorted(table["non_facts"].get("grouping_measures", [])),
        frame_measures=frozenset(table["non_facts"].get("frame_measures", [])),
        specification_nouns=_sorted(table["non_facts"]["specification_nouns"]),
        determiners=_sorted(table["non_facts"]["determiners"]),
    )


def _contractions(table: dict[str, Any]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    pairs = []
    for word, parts in table.items():
        if not word or not _is_strings(parts) or len(parts) < 2:
            raise LexiconError(
                f"data/words.toml: [distributors.contractions] {word!r} must list two or "
                "more non-empty parts"
            )
        pairs.append((word, tuple(parts)))
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))


def _compile(pattern: str, where: str) -> regex.Pattern[str]:
    problem = _pattern_problem(pattern)
    if problem:
        raise LexiconError(f"data/words.toml: [{where}] {problem}")
    return regex.compile(pattern)


def _sorted(entries: list[str]) -> tuple[str, ...]:
    if not _is_strings(entries):
        raise LexiconError("data/words.toml: word lists must hold non-empty strings")
    return tuple(sorted(set(entries), key=lambda e: (-len(e), e)))


def _is_strings(value: object) -> TypeGuard[list[str]]:
    """Return whether ``value`` is a list of non-empty strings (a word list)."""
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _is_pairs(value: object) -> TypeGuard[list[list[str]]]:
    """Return whether ``value`` is a list of [open, close] pairs of single characters."""
    return isinstance(value, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) and len(c) == 1 for c in p)
        for p in value
    )


@dataclass(frozen=True)
class Concept:
    """One headline indicator of data/concepts.toml: its id, name and wordings."""

    id: str
    name: str
    wordings: tuple[str, ...]
    base_units: frozenset[str]
    growth: bool
    excluded_before: tuple[str, ...]
    #: Wordings that count only when they open the indicator (进出口增长).
    leading_wordings: tuple[str, ...] = ()


#: Keys of a ``[[concepts.indicators]]`` entry, with the type each must have.
_CONCEPT_KEYS: dict[str, type] = {
    "id": str,
    "name": str,
    "wordings": list,
    "base_units": list,
    "growth": bool,
    "excluded_before": list,
    "leading_wordings": list,
}


def build_concepts(
    table: dict[str, Any], units: Units, where: str = "data/concepts.toml"
) -> tuple[Concept, ...]:
    """Return the headline indicators of a parsed concepts table; a bad entry raises
    ``LexiconError`` naming ``where``, the entry and what is allowed.

    Entries with the same id are one concept: their wordings are joined.
    """
    entries = table.get("indicators")
    if not isinstance(entries, list):
        raise LexiconError(f"{where}: [[concepts.indicators]] must be an array of tables")
    bases = sorted({unit.base for unit in units.by_text.values()})
    merged: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(entries, 1):

        def fail(problem: str, number: int = number) -> LexiconError:
            return LexiconError(f"{where}: [[concepts.indicators]] entry {number}: {problem}")

        if not isinstance(entry, dict):
            raise fail("must be a table")
        unknown = [key for key in entry if key not in _CONCEPT_KEYS]
        if unknown:
            raise fail(f"unknown key {unknown[0]!r}; allowed: {', '.join(_CONCEPT_KEYS)}")
        if "id" not in entry:
            raise fail("missing key 'id'")
        known = merged.get(entry["id"])
        needed = ("wordings",) if known else ("id", "name", "wordings", "base_units", "growth")
        missing = [
            key
            for key in needed
            if key not in entry and not (key == "wordings" and "leading_wordings" in entry)
        ]
        if missing:
            raise fail(f"missing key {missing[0]!r}; a new concept needs {', '.join(needed)}")
        for key, value in entry.items():
            kind = _CONCEPT_KEYS[key]
            if kind is list:
                if not _is_strings(value):
                    raise fail(f"{key} must be a list of non-empty strings, not {value!r}")
            elif type(value) is not kind:
                raise fail(f"{key} must be {_TYPE_NAMES[kind]}, not {value!r}")
        if not regex.fullmatch(r"[a-z][a-z0-9_]*", entry["id"]):
            raise fail(f"id {entry['id']!r} must be lower-case letters, digits and _")
        for base in entry.get("base_units", []):
            if base not in bases:
                raise fail(
                    f"base unit {base!r} is no base unit of units.toml; allowed: {', '.join(bases)}"
                )
        if known:
            for key in ("wordings", "leading_wordings", "excluded_before", "base_units"):
                known[key] = _union(known.get(key, []), entry.get(key, []))
        else:
            merged[entry["id"]] = {
                "wordings": [],
                "leading_wordings": [],
                "excluded_before": [],
                **copy.deepcopy(entry),
            }
    return tuple(
        Concept(
            id=key,
            name=value["name"],
            wordings=tuple(value["wordings"]),
            base_units=frozenset(value["base_units"]),
            growth=value["growth"],
            excluded_before=tuple(value["excluded_before"]),
            leading_wordings=tuple(value["leading_wordings"]),
        )
        for key, value in merged.items()
    )


# --------------------------------------------------------------------------- lexicon files

#: The data files a lexicon file adds to, each under a top-level table of its name:
#: ``[units.containers]``, ``[words.qualifiers]``, ``[[structure.headings]]``.
EXTENSIBLE_TABLES = ("units", "words", "structure", "concepts")

#: Word lists of words.toml whose entries are regexes, with the named groups each one needs.
_PATTERN_LISTS: dict[str, tuple[str, ...]] = {
    "words.qualifiers.base_patterns": (),
    "words.topics.framing": ("topic",),
}

#: Tables of words.toml keyed by comparator, where a file may add a comparator not yet used.
_COMPARATOR_TABLES = frozenset(
    {"words.comparators.before", "words.comparators.after", "words.comparators.inside"}
)

_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The units, words and heading structure the stages read, and the files they came from.

    A value: equal only to itself (so it can key a cache), never changed once built.
    """

    #: The lexicon files added to the bundled data, in order (empty: the bundled lexicon).
    files: tuple[Path, ...]
    units: Units
    words: Words
    structure: Structure
    #: The headline indicators of data/concepts.toml and the lexicon files.
    concepts: tuple[Concept, ...]
    #: A digest of the lexicon files' bytes ("" for the bundled lexicon): part of the
    #: extractor version, so that facts made with other files are not reused.
    digest: str = ""
    _derived: dict[Callable[[Lexicon], Any], Any] = field(
        default_factory=dict, init=False, repr=False
    )

    def derived(self, build: Callable[[Lexicon], _Derived]) -> _Derived:
        """Return ``build(self)``, built on the first call and kept with this lexicon.

        The stages keep their compiled regexes and tables here, so that each lexicon has
        its own and dropping the lexicon drops them.
        """
        try:
            return self._derived[build]  # type: ignore[no-any-return]
        except KeyError:
            value = self._derived[build] = build(self)
            return value


@cache
def _bundled_lexicon() -> Lexicon:
    """Return the lexicon of the bundled data files, built once."""
    units = build_units(bundled_table("units"))
    return Lexicon(
        files=(),
        units=units,
        words=build_words(bundled_table("words")),
        # The bundled table is checked by the tests (test_lexicon.py), not at every start:
        # the checks compile every pattern, even those a run never needs alone.
        structure=build_structure(bundled_table("structure")),
        concepts=build_concepts(bundled_table("concepts"), units),
    )


def load_lexicon(files: Sequence[Path | str] = ()) -> Lexicon:
    """Return the bundled lexicon with the entries of the lexicon files ``files`` added.

    A lexicon file is TOML with the layout of the bundled data files, under a table
    naming the file: ``[units.containers]``, ``[words.comparators.before]``,
    ``[[structure.headings]]`` (any subset). Entries are added to the bundled ones; none
    is replaced. A file given twice is used once. A bad file raises ``LexiconError``
    naming the file, the entry and what is allowed. Without files, the bundled lexicon
    (the same value on every call).
    """
    if not files:
        return _bundled_lexicon()
    used: list[Path] = []
    in_use: set[Path] = set()
    tables = {name: copy.deepcopy(bundled_table(name)) for name in EXTENSIBLE_TABLES}
    digest = hashlib.sha256()
    built: tuple[Units, Words, Structure, tuple[Concept, ...]] | None = None
    for path in map(Path, files):
        if path.resolve() in in_use:
            continue
        for name, addition in read_lexicon_file(path).items():
            if name == "units":
                _extend_units(tables["units"], addition, path)
            elif name == "concepts":
                _extend_concepts(tables["concepts"], addition, path)
            else:
                _extend_like(tables[name], addition, bundled_table(name), name, path)
        built = _build_tables(tables, path)
        digest.update(path.read_bytes() + b"\0")
        used.append(path)
        in_use.add(path.resolve())
    assert built is not None  # files is not empty, and its first file is always used
    units, words, structure, concepts = built
    return Lexicon(tuple(used), units, words, structure, concepts, digest.hexdigest()[:12])


def read_lexicon_file(path: Path) -> dict[str, Any]:
    """Return the tables of the lexicon file at ``path``; raise ``LexiconError`` if unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise LexiconError(
            f"{path}: cannot read the lexicon file ({error.strerror}); check the path"
        ) from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: not UTF-8 text; save the lexicon file as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LexiconError(
            f"{path}: not valid TOML ({error}); see examples/lexicon.toml for the layout"
        ) from None
    allowed = ", ".join(f"[{name}.…]" for name in EXTENSIBLE_TABLES)
    for name, value in data.items():
        if name not in EXTENSIBLE_TABLES:
            raise LexiconError(
                f"{path}: unknown table [{name}]; allowed: {allowed}, holding the tables of "
                f"src/extract/data/{{units,words,structure,concepts}}.toml"
            )
        if not isinstance(value, dict):
            raise _fail(path, name, f"must be a table of tables, as in data/{name}.toml")
    return data


def _fail(path: Path, where: str, problem: str, *, number: int | None = None) -> LexiconError:
    """Return the error for a bad entry: the file, the entry in TOML terms and the problem.

    ``number`` counts the entries of an array of tables from 1: ``[[structure.headings]] 2``.
    """
    if number is not None:
        return LexiconError(f"{path}: [[{where}]] entry {number}: {problem}")
    return LexiconError(f"{path}: [{where}] {problem}")


def _extend_units(target: dict[str, Any], addition: dict[str, Any], path: Path) -> None:
    """Add the unit groups and rules of ``addition`` to the units table ``target``."""
    known = {
        text: (group, spec)
        for group, entries in target.items()
        if group not in _RULE_TABLES
        for text, spec in entries.items()
    }
    for group, entries in addition.items():
        where = f"units.{group}"
        if group == "not_before":
            rules = _table(entries, where, path, "of unit = [words that may not follow it]")
            for unit, followers in rules.items():
                new = _strings(followers, f"{where}.{unit}", path)
                target.setdefault("not_before", {})[unit] = _union(
                    target.get("not_before", {}).get(unit, []), new
                )
        elif group == "kinds":
            kinds = _table(entries, where, path, "of lists")
            for kind, values in kinds.items():
                allowed = bundled_table("units")["kinds"]
                if kind not in allowed:
                    raise _fail(path, where, f"unknown key {kind!r}; allowed: {_keys(allowed)}")
                new = _strings(values, f"{where}.{kind}", path)
                target["kinds"][kind] = _union(target["kinds"].get(kind, []), new)
        else:
            for text, spec in _table(entries, where, path, "of units").items():
                if not text or not _is_unit_spec(spec):
                    raise _fail(
                        path,
                        where,
                        f"{text!r} = {spec!r}: a unit is [base_unit, factor] with a finite "
                        'positive factor (not inf or nan), e.g. "英里" = ["公里", 1.609344]',
                    )
                if text in known:
                    other_group, other = known[text]
                    if [other[0], Decimal(str(other[1]))] == [spec[0], Decimal(str(spec[1]))]:
                        continue
                    raise _fail(
                        path,
                        where,
                        f"{text!r} is already the unit [units.{other_group}] {text!r} = {other!r};"
                        " a lexicon file adds units and cannot change one",
                    )
                target.setdefault(group, {})[text] = spec
                known[text] = (group, spec)


def _is_unit_spec(spec: object) -> bool:
    """Return whether ``spec`` is ``[base_unit, factor]`` with a finite positive factor."""
    return (
        isinstance(spec, list)
        and len(spec) == 2
        and isinstance(spec[0], str)
        and bool(spec[0])
        and isinstance(spec[1], int | float)
        and not isinstance(spec[1], bool)
        and spec[1] > 0
        and math.isfinite(spec[1])
    )


def _extend_like(
    target: dict[str, Any], addition: object, model: dict[str, Any], where: str, path: Path
) -> None:
    """Add ``addition`` to ``target``, allowing only the keys and shapes found in ``model``."""
    for key, value in _table(addition, where, path, f"with keys {_keys(model)}").items():
        here = f"{where}.{key}"
        if where in _COMPARATOR_TABLES:
            _extend_comparator(target, key, value, here, path)
            continue
        if key not in model:
            raise _fail(path, where, f"unknown key {key!r}; allowed: {_keys(model)}")
        expected = model[key]
        if isinstance(expected, dict):
            _extend_like(target.setdefault(key, {}), value, expected, here, path)
        elif isinstance(expected, list) and all(isinstance(e, dict) for e in expected):
            entries = _list(value, here, path, "an array of tables ([[…]])")
            target[key] = [
                *target.get(key, []),
                *(
                    _checked_entry(entry, expected, here, index + 1, path)
                    for index, entry in enumerate(entries)
                ),
            ]
        elif isinstance(expected, list) and all(isinstance(e, list) for e in expected):
            target[key] = _union(target.get(key, []), _pairs(value, here, path))
        elif isinstance(expected, list):
            new = _strings(value, here, path)
            if here in _PATTERN_LISTS:
                for pattern in new:
                    problem = _pattern_problem(pattern, groups=_PATTERN_LISTS[here])
                    if problem:
                        raise _fail(path, here, problem)
            target[key] = _union(target.get(key, []), new)
        else:
            raise _fail(
                path,
                here,
                "is a single setting, which a lexicon file cannot change; it can add to "
                "word lists and to arrays of tables",
            )


def _extend_comparator(
    position: dict[str, list[str]], symbol: str, value: object, where: str, path: Path
) -> None:
    """Add the words of ``value`` to comparator ``symbol`` of one position (before, after…)."""
    allowed = sorted(get_args(Comparator))
    if symbol not in allowed:
        table = where.rpartition(".")[0]
        raise _fail(
            path, table, f"key {symbol!r} is not a comparator; allowed: {', '.join(allowed)}"
        )
    new = _strings(value, where, path)
    for word in new:
        for other, taken in position.items():
            if other != symbol and word in taken:
                raise _fail(
                    path,
                    where,
                    f"{word!r} is already the comparator {other!r} in this position; "
                    "a lexicon file adds words and cannot change one",
                )
    position[symbol] = _union(position.get(symbol, []), new)


def _checked_entry(
    entry: object, models: list[dict[str, Any]], where: str, number: int, path: Path
) -> dict[str, Any]:
    """Return ``entry`` of an array of tables once its keys and values match the bundled ones."""

    def fail(problem: str) -> LexiconError:
        return _fail(path, where, problem, number=number)

    if not isinstance(entry, dict):
        raise fail("must be a table")
    allowed = sorted({key for model in models for key in model})
    required = sorted(set.intersection(*(set(model) for model in models)))
    unknown = [key for key in entry if key not in allowed]
    if unknown:
        raise fail(f"unknown key {unknown[0]!r}; allowed: {', '.join(allowed)}")
    missing = [key for key in required if key not in entry]
    if missing:
        raise fail(f"missing key {missing[0]!r}; required: {', '.join(required)}")
    for key, value in entry.items():
        examples = [model[key] for model in models if key in model]
        if type(value) is not type(examples[0]):
            raise fail(f"{key} must be {_TYPE_NAMES.get(type(examples[0]), 'as bundled')}")
        if isinstance(value, int) and value not in examples:
            choices = ", ".join(str(v) for v in sorted(set(examples)))
            raise fail(f"{key} = {value} is not one of {choices}")
        if key == "pattern":
            problem = _pattern_problem(value, anchored=True)
            if problem:
                raise fail(problem)
    return entry


def _pattern_problem(
    pattern: str, *, groups: tuple[str, ...] = (), anchored: bool = False
) -> str | None:
    """Return what is wrong with the regex ``pattern`` (None: it compiles, with ``groups``).

    ``anchored`` patterns are whole-line structure patterns: they start with ``^`` and
    are compiled as structure.py compiles them (``regex.VERSION1``).
    """
    if anchored and not pattern.startswith("^"):
        return f"pattern {pattern!r} must start with '^' (patterns match whole lines)"
    try:
        compiled = regex.compile(pattern, regex.VERSION1 if anchored else 0)
    except regex.error as error:
        return f"pattern {pattern!r} is not a valid regex ({error}); fix the pattern"
    missing = [group for group in groups if group not in compiled.groupindex]
    if missing:
        return f"pattern {pattern!r} needs a named group (?P<{missing[0]}>…)"
    if _backtracks_without_bound(pattern):
        return (
            f"pattern {pattern!r} can backtrack without bound (a repetition without an upper "
            "bound holds another one, a part that may be empty, or alternatives that can "
            "begin alike), which may take minutes on one line; bound the inner repetition "
            "({1,20}) or make the alternatives begin differently"
        )
    if not anchored and compiled.match("") is not None:
        return (
            f"pattern {pattern!r} matches the empty string; a word pattern must match at "
            "least one character"
        )
    return None


# Python's own regex parser, used only to read the shape of a lexicon pattern (its syntax
# tree): the regex module has none to offer. A pattern it cannot parse (syntax of the regex
# module only, such as \p{Han}) is not checked for unbounded backtracking.
_sre_parser: Any = importlib.import_module("re._parser")
_MAXREPEAT = _sre_parser.MAXREPEAT
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def _backtracks_without_bound(pattern: str) -> bool:
    """Return whether ``pattern`` has a repetition without upper bound around a part that
    may itself repeat without bound, may match nothing, or holds alternatives that may
    begin with the same character: the shapes (``(a+)+``, ``(a|a)*``, ``(a?)*``) whose
    matching time grows exponentially with the line.

    >>> [_backtracks_without_bound(p) for p in ("^(a|a)*$", "(a+)+", "(?:ab|cd)+", "a{1,3}+")]
    [True, True, False, False]
    """
    try:
        tree = _sre_parser.parse(pattern)
    except (_sre_parser.error, OverflowError, RecursionError):
        return False  # syntax of the regex module only (\p{Han}): not checked
    return _unbounded_risk(list(tree))


def _op(item: tuple[Any, Any]) -> str:
    """Return the name of a parsed item's operation (MAX_REPEAT, BRANCH, LITERAL …)."""
    return str(item[0])


def _children(value: Any) -> Iterable[list[tuple[Any, Any]]]:
    """Yield the sub-patterns (lists of items) inside a parsed item's argument."""
    if isinstance(value, _sre_parser.SubPattern):
        yield list(value)
    elif isinstance(value, tuple | list):
        for part in value:
            yield from _children(part)


def _unbounded_risk(items: list[tuple[Any, Any]]) -> bool:
    """Return whether a repetition without upper bound in ``items`` has a risky body."""
    for item in items:
        if _op(item) in _REPEATS:
            _, high, body = item[1]
            body = list(body)
            if high == _MAXREPEAT and (
                _has_unbounded(body) or _nullable(body) or _has_alike_branches(body)
            ):
                return True
        if any(_unbounded_risk(child) for child in _children(item[1])):
            return True
    return False


def _has_unbounded(items: list[tuple[Any, Any]]) -> bool:
    """Return whether ``items`` hold a repetition without upper bound, at any depth."""
    return any(
        (_op(item) in _REPEATS and item[1][1] == _MAXREPEAT)
        or any(_has_unbounded(child) for child in _children(item[1]))
        for item in items
    )


def _nullable(items: list[tuple[Any, Any]]) -> bool:
    """Return whether ``items`` may match the empty string."""
    for item in items:
        op = _op(item)
        if op in _REPEATS:
            if item[1][0] > 0 and not _nullable(list(item[1][2])):
                return False
        elif op == "SUBPATTERN":
            if not _nullable(list(item[1][-1])):
                return False
        elif op == "BRANCH":
            if not any(_nullable(list(branch)) for branch in item[1][1]):
                return False
        elif op not in {"AT", "ASSERT", "ASSERT_NOT"}:
            return False
    return True


def _has_alike_branches(items: list[tuple[Any, Any]]) -> bool:
    """Return whether ``items`` hold alternatives that may begin with the same character."""
    for item in items:
        if _op(item) == "BRANCH":
            firsts = [_first_characters(list(branch)) for branch in item[1][1]]
            if any(first is None for first in firsts):
                return True
            seen: set[int] = set()
            for first in firsts:
                assert first is not None
                if seen & first:
                    return True
                seen |= first
        if any(_has_alike_branches(child) for child in _children(item[1])):
            return True
    return False


def _first_characters(items: list[tuple[Any, Any]]) -> set[int] | None:
    """Return the characters a match of ``items`` may begin with; None when any (or when
    it may be empty)."""
    found: set[int] = set()
    for item in items:
        op, value = _op(item), item[1]
        if op == "AT":
            continue
        if op == "LITERAL":
            return found | {value}
        if op == "IN":
            for kind, argument in value:
                if str(kind) == "LITERAL":
                    found.add(argument)
                elif str(kind) == "RANGE" and argument[1] - argument[0] < 256:
                    found.update(range(argument[0], argument[1] + 1))
                else:
                    return None
            return found
        if op == "SUBPATTERN":
            first = _first_characters(list(value[-1]))
            if first is None:
                return None
            return found | first
        if op in _REPEATS:
            first = _first_characters(list(value[2]))
            if first is None:
                return None
            found |= first
            if value[0] > 0:
                return found
            continue
        if op == "BRANCH":
            union: set[int] = set()
            for branch in value[1]:
                first = _first_characters(list(branch))
                if first is None:
                    return None
                union |= first
            return found | union
        return None
    return None  # it may match nothing


def _table(value: object, where: str, path: Path, shape: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, where, f"must be a table {shape}, not {value!r}")
    return value


def _list(value: object, where: str, path: Path, shape: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, where, f"must be {shape}, not {value!r}")
    return value


def _strings(value: object, where: str, path: Path) -> list[str]:
    if not _is_strings(value):
        raise _fail(path, where, f'must be a list of non-empty strings, e.g. ["词"], not {value!r}')
    return value


def _pairs(value: object, where: str, path: Path) -> list[list[str]]:
    if not _is_pairs(value):
        raise _fail(path, where, 'must be a list of [open, close] pairs, e.g. [["〈", "〉"]]')
    return value


def _keys(model: dict[str, Any]) -> str:
    return ", ".join(sorted(model))


def _union(existing: list[Any], new: list[Any]) -> list[Any]:
    """Return ``existing`` followed by the items of ``new`` it lacks, in order."""
    merged = list(existing)
    for item in new:
        if item not in merged:
            merged.append(item)
    return merged


def _extend_concepts(target: dict[str, Any], addition: object, path: Path) -> None:
    """Add the ``[[concepts.indicators]]`` entries of ``addition`` to the concepts table."""
    table = _table(addition, "concepts", path, "with key indicators")
    for key in table:
        if key != "indicators":
            raise _fail(path, "concepts", f"unknown key {key!r}; allowed: indicators")
    entries = _list(
        table.get("indicators", []), "concepts.indicators", path, "an array of tables ([[…]])"
    )
    target["indicators"] = [*target.get("indicators", []), *entries]


def _build_tables(
    tables: dict[str, dict[str, Any]], path: Path
) -> tuple[Units, Words, Structure, tuple[Concept, ...]]:
    """Return the lexicons the extended tables build; ``LexiconError`` naming ``path`` if not."""
    try:
        units = build_units(tables["units"])
        return (
            units,
            build_words(tables["words"]),
            build_structure_table(tables["structure"]),
            build_concepts(tables["concepts"], units, where=str(path)),
        )
    except LexiconError as error:
        raise LexiconError(f"{path}: with its entries added, {error}") from None
