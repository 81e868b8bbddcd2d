"""Numeric facts in sentences: number + unit + comparator + qualifiers + indicator.

For each sentence the extractor
1. finds quantities with one regex (numbers, multipliers, units, ranges, fractions);
2. drops those that are not facts (names in quotes, codes, dates, ordinals,
   idioms, groupings, thresholds inside an indicator) — ``_reject_early``,
   ``_reject_late`` and ``_drop_thresholds``;
3. reads the comparator on either side, the sign of a change, ``per`` and the
   qualifiers from the words around the number (``data/words.toml``);
4. spreads a value over the items it is distributed to (分别, 各, 均, 双双);
5. finds the indicator: the phrase of the clause the number measures, cut with
   jieba's word boundaries, borrowing the subject of the clause before when the
   clause left it out (…，同比增长11.8%).

jieba runs only on clauses that hold a quantity.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any

import regex

from .clean import is_latin_letter
from .lexicon import Lexicon, Unit, Units, Words, load_lexicon
from .models import CleanText, Issue, SegmentedText, Sentence
from .numbers import (
    ARABIC_NUMBER_CHARS,
    ARABIC_NUMBER_PATTERN,
    CN_DIGIT_CHARS,
    CN_DIGITS,
    CN_PLACES,
    MULTIPLIER_CHARS,
    SECTION_CHARS,
    NumberError,
    chinese_number_pattern,
    multiplier_pattern,
    multiplier_value,
    parse_arabic,
    parse_chinese,
)
from .regex_calls import any_of, find_all, find_strings, match_here, replace_all, search_in
from .structure import Structure
from .tagger import Token, tag, word_count

# --------------------------------------------------------------------------- regexes

def _compile_quantity_re(units: Units) -> regex.Pattern[str]:
    """Return the quantity regex of the units of a lexicon.

    The number grammar is numbers.py's; a multiplier character that begins a unit of the
    lexicon is the unit's (``numbers.multiplier_pattern``).
    """
    digits, ar_num, sections = CN_DIGIT_CHARS, ARABIC_NUMBER_PATTERN, SECTION_CHARS
    mult = multiplier_pattern(units.by_text)  # one multiplier character: 千, not 千瓦's
    cn_num = chinese_number_pattern(mult)
    return regex.compile(
        rf"""
        (?P<fraction>                                   # 百分之二十, 千分之五, 三分之一
            (?P<den>[百千万]|{cn_num}|\d+)分之(?P<numer>{cn_num}|{ar_num})
        )
        | (?P<half>一半|半数)                            # 一半 = 50 %
        | (?P<fan>翻了?(?P<fan_n>[一两二三四]?)番(?P<fan_more>多)?)  # 翻一番 = 2 倍 (optional)
        | (?:
            (?:                                         # lower bound of a range: 3-5个, 5%—8%
                # Atomic and possessive: a shorter bound would leave a digit or a numeral
                # before the separator, so backtracking into it could only cost time.
                (?P<lo>(?>{ar_num}|{cn_num}))(?P<lo_mult>(?:{mult})*+)[%‰]?
                [ ]?(?:[-–—～~－]{{1,2}}|至|到)[ ]?             # 2-3, 2——3, 2--3
            )?
            (?:
                (?P<arabic>{ar_num})[ ]?(?P<a_mult>(?:{mult})*)   # 36.5亿, 1.1万, 7千亿
                # 100万三千: Chinese numerals going on after 万/亿
                (?P<a_tail>(?<=[{sections}])[{digits}]?{mult}(?:[{digits}]|{mult})*)?
                | (?P<cn>{cn_num})                     # 一万二千, 十二亿, 七
            )
            (?P<inside>余|多)?                          # 100余个, 750余万人次 (approximate)
            (?:[个個](?=[{sections}]))?                 # 两个亿: 个 before 亿 counts nothing
            (?P<mult2>[{sections}]+)?                         # the 万 of 750余万
            [ ]?
            (?P<unit>{units.pattern})?
        )
        """,
        regex.VERBOSE,
    )


_LIST_SEPARATORS = "、"
# What may stand between two values of one list: 5.1%、6.3%和7.2%
_LIST_GAPS = ("、", "和", "及", "与", "或")
# A quote holding clause punctuation or more than this many characters is speech,
# whose numbers are facts; shorter quotes are names and slogans (“4610”工程).
_NAME_QUOTE_MAX = 20
_NOUN_FLAGS = ("n", "vn", "j", "eng", "s", "l", "nz", "ns", "nt", "nr", "an", "ng")

_MAX_DISTRIBUTED = 20  # 这3个省份…均: one fact per item, for a sane number of items
# How far around a number its words are looked for. Indicators, comparators and
# qualifiers sit within a few words of the number; the bound keeps every rule linear
# in the text, however long a sentence without punctuation is.
_WINDOW = 60
# A run of text without clause punctuation longer than this is cut into pieces of this
# size before jieba sees it (natural clauses are far shorter; OCR garbage is not).
_MAX_CLAUSE = 400
# Longest sentence copied whole into a fact's ``sentence`` field (see _sentence_excerpt).
_MAX_SENTENCE = 600
_EXCERPT_CONTEXT = 100  # characters kept on each side of the mention in an excerpt
# A subject longer than this is not carried to the next clause (it is a clause, not a name).
_MAX_TOPIC = 40


# --------------------------------------------------------------------------- reasons


class Rejection(StrEnum):
    """Why a number the scanner read is not a fact; the value is the phrase shown to users.

    ``python -m extract explain`` prints these; the extractor only names them.
    """

    NAME_IN_QUOTES = "inside a short quoted name or a title (“4610”工程, 《2021年…》)"
    BARE_NUMBER = "a bare number without unit or multiplier (list marker, year alone, part ratio)"
    DATE = "part of a date or clock time (9月21日, 1-11月, 10时)"
    CODE = "part of a code with Latin letters (S316, G60, PM2.5, 5G)"
    ORDINAL = "an ordinal after 第 (第一轮, 第29年)"
    SESSION = "a session number after 届 (十五届二次全会)"
    RATE_BASE = "the denominator of a rate after 每 (每万人口)"
    CLASS_LEVEL = "a class with 级 (万吨级海船, 10万千瓦级机组)"
    VAGUE = "a vague or idiomatic numeral (数十, 上百, 十佳)"
    INDEFINITE = "一 as an indefinite article (一批, 一项, 一个新台阶)"
    INSIDE_WORD = "a numeral inside a longer word (统一, 两位数, 千家万户)"
    NON_FACT_TERM = "part of a term that states no quantity (三次产业, 一揽子, 年均)"
    NUMBERED_BODY = "the number in the name of an institute or academy (电科38所, 航天科工二院)"
    YEAR = "a calendar year (2025年, 2023—2025年)"
    YEAR_FRAME = "N年 dates or frames the statement, no duration verb (五年来, 三年行动)"
    GROUPING = "a count in words before an abstract noun (三个方面, 十二个领域)"
    FRAME = "a count of parts right before the count it splits (三批次135个项目)"
    CLASS_NAME = "a specification naming a class of things (时速350公里高铁)"
    DETERMINER = "a count pointing back at a set (这3个省份)"
    BARE_MULTIPLIER = "a bare multiplier with no comparator (万亿元)"
    MAGNITUDE = "a magnitude without a unit (超百万村)"
    THRESHOLD = "a threshold naming which things are counted (3亿元以上项目, 60岁以上老人)"
    FRAGMENT = "a piece of a number split by a space, comma or dot (1 23万, 5·3%): refused"
    ILLEGIBLE = "next to a character OCR could not read (□.6万人, ■35亿元, 7.Z%): refused"
    # Found by ``explain`` outside the extractor:
    INVALID = "failed validation"
    UNREADABLE = "the sentence holds a number that could not be read"
    HEADING = "numbering of a heading or list item (一、 （二） 3.)"
    NOT_A_QUANTITY = "not read as a quantity (no unit, or part of a date, code or word)"


class Rule(StrEnum):
    """How a fact was read; ``str.format`` fills the braces. Recorded in ``Quantity.reasons``."""

    UNIT_SHARED = "unit {unit} of the next value of the list (0.8、2.5个百分点)"
    RANGE = "a range: the number before {sep} is the lower bound"
    COMPARATOR_INSIDE = "comparator {word} inside the number (100余个)"
    COMPARATOR_BEFORE = "comparator {word} before the number"
    COMPARATOR_AFTER = "comparator {word} after the unit"
    COMPARATOR_SHARED = "comparator {word} before the first value of the list"
    SIGN_FALLING = "negative: {word} before the number"
    SIGN_MINUS = "negative: a minus sign"
    SIGN_SHARED = "sign of the value listed before it"
    PER = "per {per} from 每{per} before the number"
    PER_SLASH = "per {per} from the denominator of the unit (元/{per})"
    BARE_RATIO = "a multiple (倍): a bare number after a ratio noun such as 倍差 or 比值"
    QUALIFIERS = "qualifiers from the clause before the number: {words}"
    LIST_QUALIFIERS = "qualifiers from the clause introducing the list (…目标是：): {words}"
    BASE_PEOPLE = "base unit 人: people are named after the number"
    BASE_MONEY = "base unit 元: the clause speaks of money"
    RESPECTIVELY = "value distributed by {word} to list item {n}: {item}"
    PARTNER = "paired by {word} with the earlier fact {mention}"
    EACH = "value given by {word} to every item; this is item {n}: {item}"
    INDICATOR_PHRASE = "indicator from the words of its clause around the number: {words}"
    INDICATOR_BENCHMARK = "indicator is the object of the comparison verb: «{before}»"
    INDICATOR_LIST_SUBJECT = "indicator takes the subject of the list's first item: «{subject}»"
    INDICATOR_CONVERSION = "indicator of the fact before (a conversion such as 折合)"
    INDICATOR_LISTED = "indicator of the value listed before: «{phrase}»"
    INDICATOR_TOPIC = "indicator borrowed from the subject of an earlier clause: «{topic}»"
    INDICATOR_TOPIC_PREFIX = "subject «{topic}» of an earlier clause put before the predicate"


# --------------------------------------------------------------------------- data types


# The small classes of this module are plain classes, not dataclasses: in a compiled module
# a dataclass still has its methods written out and compiled at every start-up, and its
# __init__ runs as Python. They are built here and read, never compared or printed.
class _Marks:
    """The punctuation classes of data/structure.toml, as the extractor reads them."""

    def __init__(
        self,
        *,
        quotes: dict[str, str],
        clause_break: frozenset[str],
        all: frozenset[str],
        bullets: str,
        opener_re: re.Pattern[str],
        clause_break_re: re.Pattern[str],
    ) -> None:
        self.quotes = quotes  # opener → closer of the marks that quote names and speech
        self.clause_break = clause_break  # ，：；。！？ end a clause; 、 only separates items
        self.all = all  # every mark that is never part of a word
        self.bullets = bullets  # ● ■ ◆ …: open a list item, never part of its indicator
        # The same classes as regexes, to jump from one mark to the next.
        self.opener_re = opener_re
        self.clause_break_re = clause_break_re


#: A hyphen or en dash with a space on each side, or opening a sentence before a space,
#: separates items as a comma would (AI summaries, Markdown lists: 经济平稳 - 规上工业增加值
#: 增长6%; - 地区生产总值增长5.4%); a minus sign is written against its number.
_DASHES = "-–"


def _build_marks(structure: Structure) -> _Marks:
    ends = structure.terminal | structure.clause_end
    clause_break = ends - set(_LIST_SEPARATORS)
    return _Marks(
        quotes=structure.quotes,
        clause_break=clause_break,
        opener_re=any_of(frozenset(structure.quotes)),
        clause_break_re=any_of(frozenset(clause_break) | frozenset(_DASHES)),
        bullets=structure.bullets,
        all=ends
        | set(structure.closing)
        | set(structure.pairs)
        | set(structure.pairs.values())
        | set(structure.quotes)
        | set(structure.quotes.values())
        | structure.other,
    )


@dataclass(init=False)
class Quantity:
    """A number with its unit as found in a sentence, before it is judged a fact."""

    start: int  # mention span in the sentence
    end: int
    value: Decimal
    multiplier: str
    unit: Unit | None
    normalized: Decimal
    upper: Decimal | None
    comparator: str
    before_start: int  # start of the comparator word before the number (else start)
    after_end: int  # end of the comparator word after the unit (else end)
    has_digits: bool
    is_range: bool
    kind: str
    negative: bool
    base_unit: str
    unit_text: str
    per: str | None
    indicator: str
    qualifiers: list[str]
    # 事故12起，死亡15人，分别下降20%和16.7%: the earlier fact a value is paired with by
    # 分别 when no list of items names them, and the verb phrase they share.
    partner: Quantity | None
    predicate: str
    # 这3个省份的GDP均增长8%: the copies for the 2nd and 3rd province measure what the
    # first copy measures; they take its indicator once it is found.
    same_as: Quantity | None
    # How each field was read (Rule phrases), for ``python -m extract explain``.
    reasons: list[str]

    # Written out rather than generated by @dataclass: compiled with mypyc, a generated
    # __init__ stays a Python function and costs eight times as much, for every number read.
    # One parameter per field, in field order (tests/test_facts.py checks).
    def __init__(
        self,
        start: int,
        end: int,
        value: Decimal,
        multiplier: str,
        unit: Unit | None,
        normalized: Decimal,
        upper: Decimal | None = None,
        comparator: str = "=",
        before_start: int = -1,
        after_end: int = -1,
        has_digits: bool = True,
        is_range: bool = False,
        kind: str = "number",
        negative: bool = False,
        base_unit: str = "",
        unit_text: str = "",
        per: str | None = None,
        indicator: str = "",
        qualifiers: list[str] | None = None,
        partner: Quantity | None = None,
        predicate: str = "",
        same_as: Quantity | None = None,
        reasons: list[str] | None = None,
    ) -> None:
        self.start = start
        self.end = end
        self.value = value
        self.multiplier = multiplier
        self.unit = unit
        self.normalized = normalized
        self.upper = upper
        self.comparator = comparator
        self.before_start = start if before_start < 0 else before_start
        self.after_end = end if after_end < 0 else after_end
        self.has_digits = has_digits
        self.is_range = is_range
        self.kind = kind
        self.negative = negative
        if unit is not None:
            self.base_unit = base_unit or unit.base
            self.unit_text = unit_text or multiplier + unit.text
        else:
            self.base_unit = base_unit
            self.unit_text = unit_text or multiplier
        self.per = per
        self.indicator = indicator
        self.qualifiers = [] if qualifiers is None else qualifiers
        self.partner = partner
        self.predicate = predicate
        self.same_as = same_as
        self.reasons = [] if reasons is None else reasons


class Rejected:
    """A quantity the scanner read that did not become a fact, and why."""

    def __init__(self, quantity: Quantity, reason: Rejection) -> None:
        self.quantity = quantity
        self.reason = reason


class SentenceTrace:
    """What the extractor did with one sentence: its facts and the quantities it rejected."""

    def __init__(
        self,
        sentence: Sentence,
        facts: list[Quantity],
        rejected: list[Rejected],
        error: str | None = None,
    ) -> None:
        self.sentence = sentence
        self.facts = facts
        self.rejected = rejected
        self.error = error  # why the sentence was skipped (a number that could not be read)


class _Context:
    """What the extractor remembers from one sentence to the next."""

    def __init__(self) -> None:
        self.topic = ""
        self.last_indicator = ""
        self.paragraph_end = -1
        # 主要预期目标是：地区生产总值增长6%左右；…: qualifiers an introducing clause gives
        # every item listed after it, to the end of the paragraph.
        self.list_qualifiers: tuple[str, ...] = ()
        # Numbers split in a way the grammar cannot read whole (5·3%, 1 23万) or holding a
        # character OCR could not read (■35亿元): why and the text of each, for the caller
        # to report as an issue; the fragment is never a fact.
        self.refused: list[str] = []


# --------------------------------------------------------------------------- scanning


def _quote_spans(rules: _Rules, text: str) -> list[tuple[int, int, bool]]:
    """Return (start, end, is_name) for every quoted span of ``text``, in order, not nested."""
    marks = rules.marks
    spans: list[tuple[int, int, bool]] = []
    unclosed: set[str] = set()  # closers not found after some point: never search again
    index = 0
    while (found := marks.opener_re.search(text, index)) is not None:
        opener_at = found.start()
        opener = text[opener_at]
        closer = marks.quotes[opener]
        end = -1 if closer in unclosed else text.find(closer, opener_at + 1)
        if end < 0:
            unclosed.add(closer)
            index = opener_at + 1
            continue
        inner = text[opener_at + 1 : end]
        is_name = opener == "《" or (
            len(inner) <= _NAME_QUOTE_MAX and not any(c in inner for c in "，。；！？,;!?")
        )
        spans.append((opener_at, end + 1, is_name))
        index = end + 1
    return spans


#: A short bracketed aside without figures or sentence ends (（人民币，下同）, (现价,下同)): the
#: comma inside it ends no clause, so the phrase before it reaches the figure after it.
_SHORT_ASIDE_RE = regex.compile(r"[（(][^（）()\d。；;！？!?“”]{1,16}[）)]")


def _clause_spans(
    rules: _Rules, text: str, quotes: list[tuple[int, int, bool]]
) -> list[tuple[int, int]]:
    """Return the clauses of a sentence: split on ，：；。！？ outside quotes and short asides.

    A clause longer than ``_MAX_CLAUSE`` is cut every ``_MAX_CLAUSE`` characters.
    """
    quote_starts = [start for start, _, _ in quotes]
    spans: list[tuple[int, int]] = []
    start = 0
    asides: list[tuple[int, int]] = []
    if "（" in text or "(" in text:
        asides = [aside.span() for aside in find_all(_SHORT_ASIDE_RE, text)]
    dashes = "-" in text or "–" in text  # most sentences have none: no test at each mark
    for mark in rules.marks.clause_break_re.finditer(text):
        at = mark.start()
        dash = dashes and text[at] in _DASHES
        if dash and not (text[at + 1 : at + 2] == " " and (at == 0 or text[at - 1] == " ")):
            continue  # a hyphen or minus sign inside a word or number: no separator
        quote = bisect_right(quote_starts, at) - 1
        if quote >= 0 and at < quotes[quote][1]:
            continue  # inside a quote (quotes are in order and do not nest)
        if asides and any(open_at < at < close_at for open_at, close_at in asides):
            continue  # inside a short aside: （人民币，下同）
        while at + 1 - start > _MAX_CLAUSE:
            spans.append((start, start + _MAX_CLAUSE))
            start += _MAX_CLAUSE
        # a dash separator (… - …) is no part of the clause it ends, unlike a comma
        spans.append((start, at if dash else at + 1))
        start = at + 1
    while len(text) - start >= _MAX_CLAUSE:
        spans.append((start, start + _MAX_CLAUSE))
        start += _MAX_CLAUSE
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _split_number(text: str) -> tuple[str, str]:
    """Return (number part, trailing multiplier) of a Chinese numeral: 十二亿 → (十二, 亿)."""
    if not any(c in CN_DIGIT_CHARS for c in text):
        return "", text  # a bare multiplier: 万亿, 千亿
    index = len(text)
    while index > 0 and text[index - 1] in SECTION_CHARS:
        index -= 1
    return text[:index], text[index:]


def _scan(rules: _Rules, text: str) -> list[Quantity]:
    """Return every quantity the grammar reads in ``text``, facts or not."""
    found: list[Quantity] = []
    for match in find_all(rules.quantity_re, text):
        quantity = _read_match(rules, match)
        if quantity is not None:
            found.append(quantity)
    return found


# Quantities written as words: 一半 is 50 %, 翻一番 is 2 倍 (翻两番 4 倍).
_HALF = Unit("半", "%", Decimal(50), "ratio")
_DOUBLING = Unit("番", "倍", Decimal(1), "ratio")
_PER_MILLE_UNITS = {"百": "%", "千": "‰", "万": "‱"}  # 百分之, 千分之, 万分之


#: The groups _read_number reads, fetched with one call; and those whose end may end a
#: mention that has no unit.
_NUMBER_GROUPS = ("arabic", "cn", "a_mult", "a_tail", "mult2", "lo", "inside")
_END_GROUPS = ("arabic", "a_mult", "a_tail", "cn", "inside", "mult2")


class _Groups:
    """The numbers of the quantity regex's groups, for reading a match by number.

    The regex module tries a group name as an integer first, and fails with an exception
    before it looks the name up: ten times the cost of a number, for every number read.
    """

    def __init__(self, quantity_re: regex.Pattern[str]) -> None:
        number_of = quantity_re.groupindex
        self.kind = (number_of["fraction"], number_of["half"], number_of["fan"])
        self.number = tuple(number_of[name] for name in _NUMBER_GROUPS)
        self.ends = tuple(number_of[name] for name in _END_GROUPS)
        self.fan_n = number_of["fan_n"]
        self.den = number_of["den"]
        self.numer = number_of["numer"]
        self.arabic = number_of["arabic"]
        self.cn = number_of["cn"]
        self.lo = number_of["lo"]
        self.lo_mult = number_of["lo_mult"]
        self.unit = number_of["unit"]


def _read_match(rules: _Rules, match: regex.Match[str]) -> Quantity | None:
    """Return the quantity one match of the quantity regex stands for, or None."""
    fraction, half, fan = match.group(*rules.groups.kind)  # one call, not three
    if fraction:
        return _read_fraction(rules, match)
    if half:
        return Quantity(match.start(), match.end(), Decimal(1), "", _HALF, Decimal(50), kind="half")
    if fan:
        times = _number(match.group(rules.groups.fan_n) or "一") or Decimal(1)
        doubled = Decimal(2) ** int(times)
        more = rules.words.comparators_inside["多"] if match.group("fan_more") else "="
        return Quantity(
            match.start(), match.end(), times, "", _DOUBLING, doubled, comparator=more, kind="fan"
        )
    return _read_number(rules, match)


def _read_fraction(rules: _Rules, match: regex.Match[str]) -> Quantity | None:
    """百分之二十 → 20 %, 千分之五 → 5 ‰, 三分之一 → 33.33… %."""
    groups = rules.groups
    den_text, numerator = match.group(groups.den), _number(match.group(groups.numer))
    if numerator is None:
        return None
    if den_text in _PER_MILLE_UNITS:
        unit_text, normalized = _PER_MILLE_UNITS[den_text], numerator
    else:
        denominator = _number(den_text)
        if not denominator:
            return None
        unit_text = "%"
        normalized = (numerator / denominator * 100).quantize(Decimal("1e-12")).normalize()
    unit = rules.units.by_text.get(unit_text) or Unit(unit_text, unit_text, Decimal(1), "ratio")
    return Quantity(match.start(), match.end(), numerator, "", unit, normalized, kind="fraction")


def _read_number(rules: _Rules, match: regex.Match[str]) -> Quantity | None:
    """36.5亿元, 一万二千三百人次, 750余万人次, 3-5个, 4.2万元/人, 43万 (no unit)."""
    groups = rules.groups
    arabic, cn, a_mult, a_tail, mult2, lo, inside = match.group(*groups.number)
    if arabic is not None and a_tail:
        # 100万三千: Arabic and Chinese numerals make one number, with no multiplier left
        number_text, multiplier, has_digits = arabic + a_mult + a_tail, "", True
    elif arabic is not None:
        number_text, multiplier, has_digits = arabic, a_mult or "", True
    elif cn:
        number_text, multiplier = _split_number(cn)
        has_digits = any(c in CN_DIGIT_CHARS for c in cn)
    else:
        return None
    multiplier += mult2 or ""
    value = _number(number_text) if has_digits else Decimal(1)  # 万亿元 is one 万亿元
    if value is None:
        return None
    try:
        factor = multiplier_value(multiplier)
    except NumberError:
        return None
    unit, end = _read_unit(rules, match)
    if (
        unit is not None
        and match.string[end : end + 1] in _SMALLER_PART_STARTS
        and unit.base in _SMALLER_PARTS
    ):
        # 2倍多 is more than 2倍; 123元1角1分 is 123.11元
        parts = _SMALLER_PARTS[unit.base].match(match.string, end)
        if parts is not None and parts.end() > end:
            end = parts.end()
            if unit.base == "倍":
                inside = "多"
            else:
                jiao, fen = parts.group("jiao"), parts.group("fen")
                cents = (_number(jiao) or 0 if jiao else 0) * 10 + (_number(fen) or 0 if fen else 0)
                value += Decimal(cents) / 100 / (factor * unit.factor)
    if (
        unit is None
        and arabic is not None
        and not multiplier
        and match.string[end : end + 1] in _RATIO_COLONS
        and (ratio := _TO_ONE_RE.match(match.string, end)) is not None
    ):
        unit, end = Unit(ratio.group(), "倍", Decimal(1), "ratio"), ratio.end()  # 2.5∶1
    if (
        unit is None
        and lo is None
        and arabic is not None
        and not multiplier
        and match.string[end : end + 1] == "/"
        and (fraction := _slash_fraction(rules, match, value, end)) is not None
    ):
        return fraction  # 1/6
    if unit is None:
        # a multiplier with no unit (惠及43万儿童) ends the mention where the number ends
        present = (arabic, a_mult, a_tail, cn, inside, mult2)
        end = max(match.end(g) for g, text in zip(groups.ends, present, strict=True) if text)
    start = match.start(groups.arabic if arabic is not None else groups.cn)
    unit_factor = unit.factor if unit else Decimal(1)
    upper = None
    lo_value = _number(lo) if lo is not None else None
    if lo_value is not None:
        upper = value * factor * unit_factor  # 3-5个: the number read so far is the upper bound
        lo_mult = match.group(groups.lo_mult)
        try:
            factor = multiplier_value(lo_mult or multiplier)
        except NumberError:
            pass
        if not lo_mult and multiplier and lo_value * factor * unit_factor > upper:
            # 从8500到3万元: a bound that the upper's 万 would put above it has none
            factor, multiplier = Decimal(1), ""
        value, start = lo_value, match.start(groups.lo)
        if cn and lo in CN_DIGITS and (tail := _places_after_digit_re().match(number_text)):
            value *= multiplier_value(tail.group(1))  # 两到三千 is 2000 to 3000
    elif cn and (pair := _NEIGHBOUR_DIGITS_RE.match(number_text)) is not None:
        lo_digit, hi_digit = CN_DIGITS[pair.group(1)], CN_DIGITS[pair.group(2)]
        if hi_digit == lo_digit + 1:
            # 八九亿 is 8亿 to 9亿, 两三千 2000 to 3000: two neighbouring digits, a range
            places = multiplier_value(pair.group(3))
            value = lo_digit * places
            upper = hi_digit * places * factor * unit_factor
    return Quantity(
        start=start,
        end=end,
        value=value,
        multiplier=multiplier,
        unit=unit,
        normalized=value * factor * unit_factor,
        upper=upper,
        comparator=">=" if upper is not None else rules.words.comparators_inside.get(inside, "="),
        has_digits=has_digits,
        is_range=upper is not None,
    )


# The denominator of a fraction written with a slash (1/6), not one of a date (2025/12/31).
@cache
def _slash_denominator_re() -> regex.Pattern[str]:
    """Compiled on first use: few numbers need it."""
    return regex.compile(r"/(\d{1,3})(?![\d./年月日号])")


def _slash_fraction(
    rules: _Rules, match: regex.Match[str], numerator: Decimal, end: int
) -> Quantity | None:
    """仅为甲市的1/6 → 16.67 %: a whole numerator below its denominator, as a share."""
    start = match.start()
    if start and match.string[start - 1] in "/0123456789":
        return None  # the middle of 2025/12/31
    found = _slash_denominator_re().match(match.string, end)
    if found is None or numerator != numerator.to_integral_value() or numerator < 1:
        return None
    denominator = Decimal(found.group(1))
    if numerator >= denominator:
        return None  # 5/3, 24/7: no share
    normalized = (numerator / denominator * 100).quantize(Decimal("1e-12")).normalize()
    unit = rules.units.by_text["%"]
    return Quantity(start, found.end(), numerator, "", unit, normalized, kind="fraction")


# A ratio against one: 城乡收入比2.5∶1 is a multiple, 2.5 倍 (never a clock time 10:15).
_RATIO_COLONS = frozenset("∶:：")
_TO_ONE_RE = regex.compile(r"[∶:：]1(?![\d.:：∶])")
# What may follow a unit to make the amount more exact: 多 after 倍 (2倍多), 角 and 分
# after 元 (123元1角1分, 伍圆壹角捌分).
_SMALL_DIGIT = rf"[0-9{''.join(CN_DIGITS)}]"
_SMALLER_PARTS: dict[str, regex.Pattern[str]] = {
    "倍": regex.compile("多"),
    "元": regex.compile(
        rf"(?:(?P<jiao>{_SMALL_DIGIT})角)?(?:(?P<fen>{_SMALL_DIGIT})分)?(?<=[角分])"
    ),
}
# The first characters of what _SMALLER_PARTS reads: a test before the regex call.
_SMALLER_PART_STARTS = frozenset("多0123456789" + "".join(CN_DIGITS))


# A digit and the places after it, the whole numeral: 三千, 五百.
@cache
def _places_after_digit_re() -> regex.Pattern[str]:
    """Compiled on first use: few numbers need it."""
    return regex.compile(rf"[{''.join(CN_DIGITS)}]([{''.join(CN_PLACES)}]+)$")


# Two digits (not 零) and the places after them, as a numeral of neighbouring digits is
# written; the caller checks that the second is one more than the first.
_NONZERO_DIGITS = "".join(c for c, d in CN_DIGITS.items() if d)
_NEIGHBOUR_DIGITS_RE = regex.compile(
    rf"([{_NONZERO_DIGITS}])([{_NONZERO_DIGITS}])([{''.join(CN_PLACES)}]*)$"
)


def _read_unit(rules: _Rules, match: regex.Match[str]) -> tuple[Unit | None, int]:
    """Return the unit after the number and where it ends; None when there is none."""
    lexicon = rules.units
    unit_text, end = match.group(rules.groups.unit), match.end()
    if not unit_text:
        return None, end
    following = match.string[end : end + 3]
    if following.startswith(lexicon.not_before.get(unit_text, ())):
        return None, end  # 两位数, 3万亿台阶: the unit's character begins another word
    unit = lexicon.by_text[unit_text]
    # 元/人: the "/" test first, as most units have no denominator
    den_text = (
        _denominator(rules, match.string, end + 1)
        if match.string[end : end + 1] == "/" and "/" not in unit_text
        else None
    )
    if den_text is not None:
        # 元/人, 万元/亩: a compound unit, the base of each part kept
        den = lexicon.by_text.get(den_text)
        unit = Unit(
            f"{unit.text}/{den_text}",
            f"{unit.base}/{den.base if den else den_text}",
            unit.factor,
            unit.group,
        )
        end += 1 + len(den_text)
    return unit, end


def _denominator(rules: _Rules, text: str, start: int) -> str | None:
    """Return the denominator of a compound unit at ``start``, after its "/": the longest
    unit of the lexicon there, else 月 or 日; None when there is none.

    Looked up by length rather than with a regex of every unit, whose compiling at
    start-up cost more than all the rare lookups of a run.
    """
    by_text = rules.units.by_text
    for size in range(min(rules.longest_unit, len(text) - start), 0, -1):
        word = text[start : start + size]
        if word in by_text:
            return word
    following = text[start : start + 1]
    return following if following in ("月", "日") else None


def _number(text: str) -> Decimal | None:
    try:
        if text[:1].isdigit() and all(c.isdigit() or c in ARABIC_NUMBER_CHARS for c in text):
            return parse_arabic(text)
        return parse_chinese(text)
    except NumberError:
        return None


# --------------------------------------------------------------------------- sentence work


class _SentenceView:
    """A sentence with its quotes, clauses and (lazily) jieba tokens."""

    # A plain class, not a dataclass: compiled, its __init__ is native (see Quantity).
    def __init__(
        self,
        text: str,
        quotes: list[tuple[int, int, bool]],
        clauses: list[tuple[int, int]],
        rules: _Rules,
    ) -> None:
        self.text = text
        self.rules = rules
        self.quotes = quotes
        self.clauses = clauses
        self.tokens: dict[int, list[Token]] = {}
        self.clause_starts = [start for start, _ in clauses]

    def clause_index(self, position: int) -> int:
        index = bisect_right(self.clause_starts, position) - 1
        return min(max(index, 0), len(self.clauses) - 1)

    def clause_tokens(self, index: int) -> list[Token]:
        if index not in self.tokens:
            start, end = self.clauses[index]
            self.tokens[index] = tag(self.text[start:end], start)
        return self.tokens[index]

    def token_at(self, position: int) -> Token | None:
        tokens = self.clause_tokens(self.clause_index(position))
        index = bisect_right([t.start for t in tokens], position) - 1
        if index >= 0 and tokens[index].start <= position < tokens[index].end:
            return tokens[index]
        return None

    def starts_word(self, position: int) -> bool:
        token = self.token_at(position)
        return token is None or token.start == position

    def in_name_quote(self, start: int, end: int) -> bool:
        return any(q0 < start and end <= q1 and name for q0, q1, name in self.quotes)


def extract_candidates(
    segmented: SegmentedText,
    *,
    issues: list[Issue],
    trace: list[SentenceTrace] | None = None,
    lexicon: Lexicon | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield fact candidates (dicts shaped like ``Fact``) sentence by sentence.

    Problems in the data are appended to ``issues``. Candidates are yielded, not
    collected, so that validation keeps only the ``Fact`` models in memory. With a
    ``trace`` list, each sentence that holds a quantity appends its ``SentenceTrace``
    (facts in the order their candidates are yielded, and the rejected quantities).
    ``lexicon`` gives the units and words (None: the bundled lexicon).
    """
    rules = _rules_of(lexicon)
    context = _Context()
    clean = segmented.clean
    document = _Document(clean)
    for sentence in segmented.sentences:
        if "\n" in clean.text[context.paragraph_end : sentence.start]:
            context = _Context()  # a new paragraph: subjects do not carry over
        context.paragraph_end = sentence.end
        rejected: list[Rejected] | None = None if trace is None else []
        try:
            quantities = _extract_sentence(rules, sentence.text, context, rejected)
        except (NumberError, ArithmeticError) as error:
            if trace is not None:
                trace.append(SentenceTrace(sentence, [], [], error=str(error)))
            issues.append(
                Issue(
                    stage="extract",
                    reason=f"could not read a number: {error}",
                    line=clean.raw_line(sentence.start),
                    text=sentence.text,
                )
            )
            continue
        for refused in context.refused:
            issues.append(
                Issue(
                    stage="extract",
                    reason=refused,
                    line=clean.raw_line(sentence.start),
                    text=sentence.text,
                )
            )
        context.refused.clear()
        if trace is not None and (quantities or rejected):
            trace.append(SentenceTrace(sentence, quantities, rejected or []))
        if quantities:
            # the sentence's fields read once, not once per fact (model attributes cost)
            offset, section, text = sentence.start, sentence.section, sentence.text
            for quantity in quantities:
                yield _to_candidate(quantity, offset, section, text, document)


class _Document:
    """What every candidate of one document repeats: its id, its text, its raw lines."""

    # A plain class, not a dataclass: compiled, its __init__ is native (see Quantity).
    def __init__(self, clean: CleanText) -> None:
        self.doc_id = clean.doc_id
        self.text = clean.text
        # CleanText.line_starts split in two, so that a fact's raw line is one bisect of
        # ints (CleanText.raw_line bisects tuples, and is a Python method)
        self.line_offsets = [offset for offset, _ in clean.line_starts]
        self.raw_lines = [line for _, line in clean.line_starts]

    def raw_line(self, offset: int) -> int:
        """Return ``CleanText.raw_line(offset)``."""
        if not self.raw_lines:
            return 1
        return self.raw_lines[max(bisect_right(self.line_offsets, offset) - 1, 0)]


def _to_candidate(
    quantity: Quantity, offset: int, section: str | None, sentence: str, document: _Document
) -> dict[str, Any]:
    """Return the candidate of a fact of the sentence ``sentence`` at ``offset``."""
    start = offset + quantity.start
    end = offset + quantity.end
    normalized = -quantity.normalized if quantity.negative else quantity.normalized
    upper = quantity.upper
    if upper is not None and quantity.negative:
        upper = -upper
    return {
        "doc_id": document.doc_id,
        "section": section,
        "mention": document.text[start:end],
        "value": quantity.value,
        "unit": quantity.unit_text,
        "normalized_value": normalized,
        "base_unit": quantity.base_unit,
        "per": quantity.per,
        "comparator": quantity.comparator,
        "indicator": quantity.indicator,
        "qualifiers": quantity.qualifiers,
        "sentence": _sentence_excerpt(sentence, quantity.start, quantity.end),
        "start": start,
        "end": end,
        "line": document.raw_line(start),
        "upper_value": upper,
    }


def _sentence_excerpt(text: str, start: int, end: int) -> str:
    """Return the sentence, or the part of it around the mention when it is unreasonably long.

    A real sentence is a few hundred characters; a "sentence" of megabytes is OCR garbage
    or a file without punctuation, and copying it into every fact would multiply the output.
    """
    if len(text) <= _MAX_SENTENCE:
        return text
    left = max(0, start - _EXCERPT_CONTEXT)
    right = min(len(text), end + _EXCERPT_CONTEXT)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def extract_sentence(
    text: str,
    context: _Context | None = None,
    *,
    rejected: list[Rejected] | None = None,
    lexicon: Lexicon | None = None,
) -> list[Quantity]:
    """Return the facts of one sentence, in reading order.

    With a ``rejected`` list, every quantity read but not kept is appended with its reason.
    ``lexicon`` gives the units and words (None: the bundled lexicon).

    >>> facts = extract_sentence("新增城镇就业人员超1万人。")
    >>> [(q.value, q.unit_text, q.comparator, q.indicator) for q in facts]
    [(Decimal('1'), '万人', '>', '新增城镇就业人员')]
    """
    return _extract_sentence(_rules_of(lexicon), text, context or _Context(), rejected)


def _extract_sentence(
    rules: _Rules, text: str, context: _Context, rejected: list[Rejected] | None
) -> list[Quantity]:
    """Return the facts of one sentence, in reading order (see ``extract_sentence``)."""
    quantities = _scan(rules, text)
    if not quantities:
        return []
    _share_list_units(quantities, text)
    quotes = _quote_spans(rules, text)
    view = _SentenceView(text, quotes, _clause_spans(rules, text, quotes), rules)
    kept: list[Quantity] = []
    for quantity in quantities:
        why = _reject_early(quantity, view)
        if why is None:
            _read_comparators(quantity, view)
            why = _reject_late(quantity, view)
        if why is not None:
            if rejected is not None:
                rejected.append(Rejected(quantity, why))
            if why is Rejection.FRAGMENT and (quantity.unit or quantity.multiplier):
                split_at = _split_from(text, quantity.start)
                piece = text[split_at : quantity.end]
                context.refused.append(f"a number split in a way it cannot be read whole: {piece}")
            elif why is Rejection.ILLEGIBLE:
                span = _illegible_span(text, quantity)
                if span is not None:
                    piece = text[span[0] : span[1]]
                    context.refused.append(f"a number with a character OCR could not read: {piece}")
            continue
        kept.append(quantity)
    read = kept
    kept = _drop_thresholds(kept, view)
    if rejected is not None and len(kept) < len(read):
        dropped = [q for q in read if not any(q is k for k in kept)]
        rejected.extend(Rejected(q, Rejection.THRESHOLD) for q in dropped)
        rejected.sort(key=lambda r: r.quantity.start)
    previous: Quantity | None = None
    listed = ""  # the comparator word before the first value of a list of values
    for quantity in kept:
        _note_comparators(quantity, view.text)
        listed = _share_comparator(quantity, view, previous, listed)
        _read_sign(quantity, view, previous)
        previous = quantity
        _read_per(quantity, view)
        _read_qualifiers(quantity, view)
        _infer_base_unit(quantity, view)
    facts = _distribute(kept, view)
    _find_indicators(facts, view, context)
    _apply_list_qualifiers(facts, view, context)
    return facts


def _share_list_units(quantities: list[Quantity], text: str) -> None:
    """Give bare numbers listed before a unit that unit: 分别提高0.8、2.5、4个百分点.

    Chinese writes the measure word once, after the last value of a list, or only its
    first character before (1.2个、0.5个百分点); each bare number
    joined to the next value by 、/和/及/与/或 takes its multiplier and unit (read from the
    end, so a whole run of bare numbers shares them).
    """
    for index in range(len(quantities) - 2, -1, -1):
        bare, listed = quantities[index], quantities[index + 1]
        if (
            (bare.unit is not None and not _abbreviates(bare, listed))
            or bare.multiplier
            or bare.kind != "number"
            or bare.is_range
            or listed.unit is None
            or listed.kind != "number"
            or text[bare.end : listed.start] not in _LIST_GAPS
        ):
            continue
        try:
            factor = multiplier_value(listed.multiplier) * listed.unit.factor
        except NumberError:
            continue
        quantities[index] = replace(
            bare,
            multiplier=listed.multiplier,
            unit=listed.unit,
            normalized=bare.value * factor,
            base_unit=listed.base_unit,
            unit_text=listed.unit_text,
            qualifiers=[],
            reasons=[Rule.UNIT_SHARED.format(unit=listed.unit_text)],
        )


def _names_a_session(quantity: Quantity, text: str) -> bool:
    """True for the session number of a congress named by its term: 省十四届人大三次会议
    (届, then the body, then N次会议 or N次全会)."""
    return (
        quantity.unit is not None
        and quantity.unit.text == "次"
        and text.startswith(_SESSION_AFTER, quantity.end)
        and "届" in text[max(0, quantity.start - _SESSION_REACH) : quantity.start]
    )


#: What follows a session number (三次会议, 四次全会), and how far before it 届 may stand
#: (届人民代表大会常务委员会: the longest body between them).
_SESSION_AFTER = ("会议", "全会", "全体会议")
_SESSION_REACH = 12


def _han_count(text: str) -> int:
    """Return how many characters of ``text`` are Han (of the basic block)."""
    return sum(1 for char in text if "\u4e00" <= char <= "\u9fff")


def _names_a_measure(phrase: str) -> bool:
    """Return whether the words before a conversion word name what is restated
    (人均生产总值约合…), not only how it is reckoned (按年平均汇率粗算约合…, 折算后约合…)."""
    return (
        _han_count(phrase) >= 2
        and not phrase.startswith(_RECKONING_OPENERS)
        and not phrase.endswith(_RECKONING_ENDS)
    )


#: How a conversion is reckoned: 按年平均汇率计算, 以当年汇率折算, 折算后.
_RECKONING_OPENERS = ("按", "以", "依", "折算", "换算")
_RECKONING_ENDS = ("算", "算后", "计")


def _abbreviates(value: Quantity, listed: Quantity) -> bool:
    """True when ``value``'s unit is the measure word that opens ``listed``'s longer one:
    高于全国、全省1.2个、0.5个百分点 writes 百分点 once, after the last 个."""
    short, full = value.unit_text, listed.unit_text
    return (
        bool(short)
        and len(full) > len(short)
        and full.startswith(short)
        and not value.multiplier
        and not listed.multiplier
        and "/" not in full  # 20亿元、30亿元/年 is no abbreviation
    )


def _apply_list_qualifiers(facts: list[Quantity], view: _SentenceView, context: _Context) -> None:
    """Give the items of a list the qualifiers of the clause that introduces it (…目标是：)."""
    rules = view.rules
    introduced_at = 0
    for start, end in view.clauses:
        clause = view.text[start:end]
        if clause.endswith(("：", ":")):
            found = tuple(w for w in rules.words.qualifiers if w in clause)
            if found:
                context.list_qualifiers, introduced_at = found, end
    for fact in facts:
        if fact.start >= introduced_at:
            added = [w for w in context.list_qualifiers if w not in fact.qualifiers]
            fact.qualifiers += added
            if added:
                fact.reasons.append(Rule.LIST_QUALIFIERS.format(words="、".join(added)))


# --------------------------------------------------------------------------- rejection


def _reject_early(quantity: Quantity, view: _SentenceView) -> Rejection | None:
    """Return why the quantity is plainly not a fact (names, codes, dates, ordinals), else None."""
    rules = view.rules
    text = view.text
    start, end = quantity.start, quantity.end
    if (
        ((start and text[start - 1] in _ILLEGIBLE_NEIGHBOURS) or text[end : end + 1] == ".")
        and quantity.kind == "number"
        and _illegible_span(text, quantity) is not None
    ):
        return Rejection.ILLEGIBLE  # ■35亿元, □.6万人, 6.□%: a digit OCR could not read
    if start and text[start - 1] in _SPLIT_MARKS and _split_from(text, start) is not None:
        return Rejection.FRAGMENT  # 5·3%, 1 23万: the rest of a number read in part
    if view.in_name_quote(start, end):
        return Rejection.NAME_IN_QUOTES  # “4610”工程, “1+7+N”, 《2021年1-11月…》
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    if quantity.unit is None and quantity.kind == "number" and not quantity.multiplier:
        if not (quantity.has_digits and _states_a_ratio(quantity, view, before, after)):
            return _bare_number_reason(rules, before, after)  # list markers, years alone
        quantity.unit, quantity.base_unit = _BARE_RATIO, _BARE_RATIO.base  # 收入倍差1.9
        quantity.reasons.append(Rule.BARE_RATIO)
    if quantity.has_digits and quantity.kind == "number":
        # codes: S316, G60, PM2.5, 5G, AR-E3000 (a Latin unit such as TEU is not a code)
        digits_end = _digits_end(quantity, text)
        letter_after = is_latin_letter(text[digits_end : digits_end + 1])
        if (is_latin_letter(before) and quantity.unit is None) or (
            letter_after and not (quantity.unit is not None and quantity.unit.text.isascii())
        ):
            return Rejection.CODE
    if before == "第":
        return Rejection.ORDINAL  # 第一轮, 第29年: ordinals
    if (
        quantity.unit is not None
        and quantity.unit.text in _NUMBERED_UNITS
        and text[max(0, start - _LONGEST_BODY) : start].endswith(rules.words.numbered_bodies)
    ):
        return Rejection.NUMBERED_BODY  # 电科38所, 航天科工二院
    if before == "届" or _names_a_session(quantity, text):
        return Rejection.SESSION  # 十五届二次全体会议, 十四届人大三次会议: session numbers
    if before == "每":
        # 每万人口, 每千人: the denominator of a rate, not a quantity
        return Rejection.RATE_BASE
    if after == "级" or text[end : end + 2] == "级的":
        return Rejection.CLASS_LEVEL  # 万吨级海船, 10万千瓦级机组: a class, not an amount
    if quantity.kind == "number" and not quantity.has_digits:
        number_text = text[quantity.start : quantity.end]
        if number_text[:1] in "十百" and not any(c in SECTION_CHARS for c in quantity.multiplier):
            # 数十, 上百, 十佳, 百团: vague or idiomatic (but 超百亿元, 上百万人次)
            return Rejection.VAGUE
    if (
        quantity.kind == "number"
        and quantity.has_digits
        and not any(c.isdigit() for c in text[start:end])
    ):
        numeral = text[start:end]
        if (
            numeral.startswith("一")
            and quantity.value == 1
            and not quantity.multiplier
            and quantity.unit is not None
            and quantity.unit.group in rules.units.classifier_groups
        ):
            # 一个新台阶, 一批, 一项: 一 is the indefinite article here
            return Rejection.INDEFINITE
        if not view.starts_word(start):
            return Rejection.INSIDE_WORD  # 统一, 唯一: a numeral character inside a word
        token = view.token_at(start)
        if token is not None and token.end > quantity.end:
            # 两位数, 千家万户, 三次产业: the numeral belongs to a longer word
            return Rejection.INSIDE_WORD
    longest = rules.longest_non_fact_term
    near = rules.non_fact_term_re.search(text, max(0, start - longest + 1), start + longest)
    for term in rules.words.non_fact_terms if near else ():
        position = text.find(term, max(0, start - len(term) + 1), start + len(term))
        if 0 <= position <= start and position + len(term) > start:
            return Rejection.NON_FACT_TERM
    if quantity.unit is not None and quantity.unit.text in rules.units.dated:
        if quantity.value >= 1000:
            return Rejection.YEAR  # 2025年, 2023—2025年: calendar years
        if not quantity.is_range and _year_is_date(quantity, view):
            return Rejection.YEAR_FRAME
    return None


#: What OCR leaves where it could not read a character (a box, the replacement character),
#: and, next to a decimal point, the question mark some engines write instead.
_ILLEGIBLE = frozenset("□■\ufffd")
_ILLEGIBLE_BY_POINT = frozenset("□■\ufffd?？")
_AFTER_DIGIT = frozenset("%‰0123456789")
# What may stand before a number _illegible_span refuses: a test before calling it.
_ILLEGIBLE_NEIGHBOURS = _ILLEGIBLE | frozenset("." + string.ascii_letters)


def _illegible_span(text: str, quantity: Quantity) -> tuple[int, int] | None:
    """Return the span of a number and the unreadable character beside it, or None.

    ■35亿元, □.6万人 and a sentence opening with .6万人 before the digits, 6.□% after them;
    a Latin letter standing for a digit (7.Z%, 12S6元).
    """
    start, end = quantity.start, quantity.end
    if start and text[start - 1] in _ILLEGIBLE:
        return start - 1, end
    if start and text[start - 1] == "." and (start == 1 or text[start - 2] in _ILLEGIBLE_BY_POINT):
        # ?.6万人: where the question mark ended the sentence, the point opens it
        return max(0, start - 2), end
    if text.startswith(".", end) and (
        text[end + 1 : end + 2] in _ILLEGIBLE_BY_POINT
        # 7.Z%: a letter for a digit between the point and the percent sign
        or (is_latin_letter(text[end + 1 : end + 2]) and text[end + 2 : end + 3] in _AFTER_DIGIT)
    ):
        return start, min(len(text), end + 3)
    if (
        quantity.unit is not None
        and start > 1
        and is_latin_letter(text[start - 1])
        and text[start - 2].isascii()
        and text[start - 2].isdigit()
    ):
        # 12S6元: a letter for a digit inside an amount (a code has no unit: G60)
        index = start - 2
        while index > 0 and text[index - 1].isascii() and text[index - 1].isdigit():
            index -= 1
        return index, end
    return None


#: The characters that may split an Arabic number into pieces the grammar does not join.
_SPLIT_MARKS = frozenset(" ,，.·•・‧")
# The digits before a split and the split itself, at the end of the text before a number.
_SPLIT_BEFORE_RE = regex.compile(r"(?<![\d.,])(?P<digits>\d+)(?P<sep>[ ]?[.,，·•・‧][ ]?|[ ])$")
_GROUP_AFTER_RE = regex.compile(r"\d{3}(?![\d])")


def _split_from(text: str, start: int) -> int | None:
    """Return where the number that the digits at ``start`` are a piece of begins, or None.

    None when the digits at ``start`` begin a number of their own: after a number with a
    decimal point or of four digits and a space (a table row), after a full-width comma
    or a comma and a space that start no group of three (a list: 第1，7家), after an
    enumerator (1. 30家).
    """
    left = max(0, start - 24)
    found = _SPLIT_BEFORE_RE.search(text[left:start])
    if found is None or not text[start : start + 1].isdigit():
        return None
    sep = found.group("sep")
    mark = sep.strip() or " "
    group_after = _GROUP_AFTER_RE.match(text, start) is not None
    if mark == " ":
        split = len(found.group("digits")) <= 3  # 1 23万; 2025 100万元 is two numbers
    elif mark == "，" or sep == ", ":
        split = group_after  # 12，345万元 may be 12345; 第1，7家 is a list
    elif mark == ".":
        # 1. 30家 at the start of the sentence is an enumerator; 5. 3% inside it is not
        split = sep == "." or bool(text[: left + found.start()].strip())
    else:
        split = True  # 1,23万, 5·3%
    return left + found.start() if split else None


def _compile_non_fact_term_re(words: Words) -> re.Pattern[str]:
    """Any term that holds a number without stating one: a quick test before each term.

    The standard library's ``re``: an alternation of plain words, searched in a window
    around every number read, which ``re`` answers at about half ``regex``'s cost per call.
    """
    return re.compile("|".join(map(re.escape, words.non_fact_terms)) or "(?!)")


def _longest_non_fact_term(words: Words) -> int:
    return max(map(len, words.non_fact_terms), default=0)


# A ratio of two quantities written as a bare number (城乡居民收入倍差1.9): a multiple.
_BARE_RATIO = Unit("", "倍", Decimal(1), "ratio")
# What stands next to a number that is a term of a written ratio or fraction, not a ratio
# itself: the 1 of 2.5∶1, the 6 of 1/6, the terms of 3.9：59.5：36.6.
_RATIO_TERM_MARKS = frozenset("∶:：/")
# The units a numbered institute or academy is named with (电科38所, 航天科工二院), and how
# far before the number its group's name is looked for.
_NUMBERED_UNITS = frozenset(("所", "院", "研究所", "研究院"))
_LONGEST_BODY = 6


def _states_a_ratio(quantity: Quantity, view: _SentenceView, before: str, after: str) -> bool:
    """True for a bare number after a ratio noun in its clause: 收入倍差1.9, 比值为1.76."""
    text = view.text
    if not text[quantity.start].isdigit():
        return False  # Arabic digits only: the 一 of 收入比一直 is no number
    if before in _RATIO_TERM_MARKS or after in _RATIO_TERM_MARKS or after.isdigit():
        return False
    if is_latin_letter(before) or is_latin_letter(after):
        return False
    head = text[max(0, quantity.start - _WINDOW) : quantity.start]
    clause = _clause_tail(view, head)
    return any(noun in clause for noun in view.rules.words.ratio_nouns)


def _bare_number_reason(rules: _Rules, before: str, after: str) -> Rejection:
    """Return why a bare number is no fact, named as precisely as its neighbours allow."""
    if after in rules.units.calendar:
        return Rejection.DATE  # the 9 of 9月21日
    if before == "第":
        return Rejection.ORDINAL  # 第一轮
    if is_latin_letter(before) or is_latin_letter(after):
        return Rejection.CODE  # S316, ISO9001
    return Rejection.BARE_NUMBER


def _digits_end(quantity: Quantity, text: str) -> int:
    """Return where the Arabic digits of the quantity end."""
    index = quantity.start
    while index < len(text) and (text[index].isdigit() or text[index] in ".,"):
        index += 1
    if quantity.is_range:
        index = quantity.end
        while index > quantity.start and not text[index - 1].isdigit():
            index -= 1
    return index


def _year_is_date(quantity: Quantity, view: _SentenceView) -> bool:
    """True when N年 does not measure time: only 连续, a verb of duration, a noun of a
    length (年限) or decimals make it one.

    五年来, 三年行动, 两年平均 date or frame a statement; 花了3年, 连续13年, 受教育年限
    12年 and 10.8年 measure time.
    """
    rules = view.rules
    if quantity.value != quantity.value.to_integral_value() and not is_latin_letter(
        view.text[quantity.start - 1 : quantity.start]
    ):
        return False  # 10.8年: a date or a frame counts whole years (PM2.5年均值 is a code)
    head = view.text[max(0, quantity.before_start - _WINDOW) : quantity.before_start]
    if head.endswith(rules.words.duration_verbs):
        return False
    # 平均受教育年限达到12年: a length noun earlier in the clause
    clause = _clause_tail(view, head)
    return not any(noun in clause for noun in rules.words.length_nouns)


def _clause_tail(view: _SentenceView, head: str) -> str:
    """Return the part of ``head`` after its last clause or sentence mark."""
    marks = view.rules.marks.clause_break
    index = len(head)
    while index > 0 and head[index - 1] not in marks:
        index -= 1
    return head[index:]


def _read_comparators(quantity: Quantity, view: _SentenceView) -> None:
    """Set the comparator from the words right before the number and right after the unit."""
    rules = view.rules
    text = view.text
    lexicon = rules.words
    head_start = max(0, quantity.start - _WINDOW)
    head = text[head_start : quantity.start].rstrip(" ")
    # Most numbers have no comparator: one C-level test skips the loop for them.
    before = lexicon.comparators_before if rules.comparators_before.ends(head) else ()
    for word, comparator in before:
        if not head.endswith(word):
            continue
        word_start = head_start + len(head) - len(word)
        if (
            word_start > 0
            and text[word_start - 1] not in rules.marks.all
            and not view.starts_word(word_start)
        ):
            continue  # 签约50亿元: 约 ends the word 签约, it is no comparator
        quantity.before_start = word_start
        quantity.comparator = _combine(quantity, comparator)
        break
    if (
        quantity.before_start == quantity.start
        and text[quantity.start] in MULTIPLIER_CHARS
        and head.endswith(lexicon.vague_numerals)
    ):
        # 数十亿元, 几十万人: some tens of 亿, more than 10亿
        word = next(w for w in lexicon.vague_numerals if head.endswith(w))
        word_start = head_start + len(head) - len(word)
        if view.starts_word(word_start):
            quantity.before_start = word_start
            quantity.comparator = _combine(quantity, ">")
    tail = text[quantity.end : quantity.end + _WINDOW]
    offset = len(tail) - len(tail.lstrip(" "))
    tail = tail.lstrip(" ")
    after = lexicon.comparators_after if rules.comparators_after.starts(tail) else ()
    for word, comparator in after:
        if tail.startswith(word):
            quantity.after_end = quantity.end + offset + len(word)
            quantity.comparator = _combine(quantity, comparator)
            break


def _comparator_words_before(words: Words) -> tuple[str, ...]:
    return tuple(word for word, _ in words.comparators_before)


def _comparator_words_after(words: Words) -> tuple[str, ...]:
    return tuple(word for word, _ in words.comparators_after)


def _combine(quantity: Quantity, comparator: str) -> str:
    """Return the comparator of a quantity that meets one more comparator word.

    A range keeps >= (its bounds say the rest); the first word read wins, except that
    近/约 make an approximate count approximate (近100余个 → ~).
    """
    current = quantity.comparator
    if quantity.is_range:
        return current
    if current == "=":
        return comparator
    if comparator == "~":
        return "~"
    return current


def _note_comparators(quantity: Quantity, text: str) -> None:
    """Record in ``reasons`` which words gave the quantity its comparator."""
    if quantity.is_range:
        separator = next((c for c in text[quantity.start : quantity.end] if c in "-–—～~至到"), "-")
        quantity.reasons.append(Rule.RANGE.format(sep=separator))
    inside = next((c for c in text[quantity.start : quantity.end] if c in "余多"), None)
    if inside is not None and quantity.kind == "number":
        quantity.reasons.append(Rule.COMPARATOR_INSIDE.format(word=inside))
    if quantity.before_start < quantity.start:
        word = text[quantity.before_start : quantity.start].strip()
        quantity.reasons.append(Rule.COMPARATOR_BEFORE.format(word=word))
    if quantity.after_end > quantity.end:
        word = text[quantity.end : quantity.after_end].strip()
        quantity.reasons.append(Rule.COMPARATOR_AFTER.format(word=word))


def _reject_late(quantity: Quantity, view: _SentenceView) -> Rejection | None:
    """Return why the quantity's context shows it is not a measured amount, else None."""
    rules = view.rules
    if _groups_abstract_nouns(quantity, view):
        return Rejection.GROUPING
    if (
        quantity.unit is not None
        and quantity.unit.text in rules.words.frame_measures
        and quantity.after_end == quantity.end
        and (after := view.text[quantity.end : quantity.end + 1])
        and (after.isdigit() or after in CN_DIGIT_CHARS)
    ):
        return Rejection.FRAME  # 三批次135个项目: the batches frame the count after them
    if _names_a_class(quantity, view) or (
        quantity.unit is not None
        and quantity.unit.group in rules.units.specification_groups
        and quantity.before_start == quantity.start
        and _rates_a_noun(quantity, view)
    ):
        return Rejection.CLASS_NAME  # 时速350公里高铁, 500千伏变电站
    if quantity.unit is not None and quantity.unit.group in rules.units.classifier_groups:
        head = view.text[max(0, quantity.before_start - 2) : quantity.before_start]
        if head.endswith(rules.words.determiners):
            # 这3个省份的GDP: the count points back at a set, it states nothing
            return Rejection.DETERMINER
    if quantity.kind == "number" and not quantity.has_digits:
        # a bare multiplier (万亿元, 千亿斤) is a number only when a comparator frames it
        if (
            quantity.before_start == quantity.start
            and quantity.after_end == quantity.end
            and not _counts_round(quantity, view)
        ):
            return Rejection.BARE_MULTIPLIER
        if quantity.unit is None:
            return Rejection.MAGNITUDE  # 超百万村: a magnitude without a unit
    return None


def _counts_round(quantity: Quantity, view: _SentenceView) -> bool:
    """True for 十万个, 百万人次: a place and 万 or 亿 before a measure word of things or
    people count that many (a bare 万亿元 or 千亿元 names a class or a milestone)."""
    unit = quantity.unit
    return (
        unit is not None
        and unit.group in view.rules.units.classifier_groups
        and view.text[quantity.start] in CN_PLACES
        and any(c in SECTION_CHARS for c in quantity.multiplier)
    )


def _groups_abstract_nouns(quantity: Quantity, view: _SentenceView) -> bool:
    """True for 三个方面, 十二个领域: a count written in words before an abstract noun.

    However large, a numeral written in words before 方面 or 领域 groups the work it names
    (FACTS.md); the same count in Arabic digits is meant as a number.
    """
    rules = view.rules
    text = view.text
    if any(c.isdigit() for c in text[quantity.start : quantity.end]):
        return False  # written in Arabic digits, the count is meant as a number
    if quantity.unit is None or quantity.unit.group not in rules.units.classifier_groups:
        return False
    return text[quantity.after_end : quantity.after_end + 4].startswith(rules.words.grouping_nouns)


def _names_a_class(quantity: Quantity, view: _SentenceView) -> bool:
    """True for 通时速350公里高铁: a specification noun, the quantity, then a noun."""
    rules = view.rules
    if quantity.before_start < quantity.start:
        return False  # a comparator makes it a statement: 经济总量过5.5万亿元
    head = view.text[max(0, quantity.start - _WINDOW) : quantity.start]
    return rules.specification_nouns.ends(head) and _modifies_noun(quantity, view)


def _drop_thresholds(quantities: list[Quantity], view: _SentenceView) -> list[Quantity]:
    """Drop quantities that qualify the indicator of a later quantity in the same clause.

    落地3亿元以上项目11个: 3亿元以上 names which projects are counted; the fact is 11个.
    A bound before a noun (为60岁以上老人发放补贴) names a set even with no count after it.
    """
    rules = view.rules
    text = view.text
    kept: list[Quantity] = []
    thresholds: set[int] = set()
    clauses = [view.clause_index(q.start) for q in quantities]
    for index, quantity in enumerate(quantities):
        # 以上, 以下, 以内 after a measure (60岁以上老人); a share before a noun is a share of
        # that set (八成以上企业实现盈利), not a bound on it
        bounded = _bound_after(quantity, view) and (
            quantity.unit is None or quantity.unit.group != "ratio"
        )
        later = quantities[index + 1] if index + 1 < len(quantities) else None
        if later is None or clauses[index + 1] != clauses[index]:
            if bounded and _modifies_noun(quantity, view):
                thresholds.add(index)
            continue
        if any(sep in text[quantity.after_end : later.before_start] for sep in _LIST_SEPARATORS):
            continue  # 3个、1个: items of one list, not a modifier and its head
        counts = quantity.unit is not None and quantity.unit.group in rules.units.classifier_groups
        if counts and not (bounded or text[quantity.after_end : quantity.after_end + 1] == "的"):
            continue  # 全市41个工业行业大类中有32个…: a count before its noun is a fact
        if _is_share(quantity, view):
            continue  # 以全省5%的耕地生产了12%的粮食: a share of a set, not a bound on it
        if _modifies_noun(quantity, view):
            thresholds.add(index)
    # 签约50亿元、100亿元以上项目: an item coordinated with a threshold is one too
    for index in sorted(thresholds, reverse=True):
        previous = index - 1
        while previous >= 0:
            gap = text[quantities[previous].after_end : quantities[previous + 1].before_start]
            if gap.strip() not in _LIST_SEPARATORS or not gap.strip():
                break
            thresholds.add(previous)
            previous -= 1
    for index, quantity in enumerate(quantities):
        if index not in thresholds:
            kept.append(quantity)
    return kept


def _is_share(quantity: Quantity, view: _SentenceView) -> bool:
    """True for 65%的行政村: a ratio with no comparator word before 的 is a share of the set
    named after it (超过20%的企业 bounds a measure instead, and is a threshold)."""
    words = view.rules.words
    return (
        quantity.unit is not None
        and quantity.unit.group == "ratio"
        and view.text[quantity.end : quantity.end + 1] == "的"
        and quantity.before_start == quantity.start
        and quantity.after_end == quantity.end
        # 5.1%的数据, 80%的水平: the noun restates the quantity (appositive), no set
        and not view.text.startswith(words.appositive, quantity.end + 1)
        and not view.text.startswith(words.milestones, quantity.end + 1)
    )


def _names_its_measure(quantity: Quantity, view: _SentenceView) -> bool:
    """True for 102719亿元的GDP: an amount of money before 的 and the money measure it is.

    GDP, 生产总值, 收入 … (topics.money) after 的 name what the amount measures; other
    nouns (超10亿元的项目) are a set the amount bounds.
    """
    if not (
        quantity.unit is not None
        and quantity.unit.group == "money"
        and view.text[quantity.after_end : quantity.after_end + 1] == "的"
    ):
        return False
    start = quantity.after_end + 1
    end = start
    marks = view.rules.marks.all
    while end < len(view.text) and end - start < _MAX_MEASURE and view.text[end] not in marks:
        end += 1
    return view.text[start:end].endswith(view.rules.words.money)  # 的地区生产总值，


# The noun phrase of a measure after 的 (地区生产总值) is at most this long.
_MAX_MEASURE = 12


def _bound_after(quantity: Quantity, view: _SentenceView) -> bool:
    """True when 以上/以下/以内 follows the unit (左右 and 量级 are no bounds)."""
    rules = view.rules
    word = view.text[quantity.end : quantity.after_end].strip()
    return any(w == word and c in (">=", "<=") for w, c in rules.words.comparators_after)


def _rates_a_noun(quantity: Quantity, view: _SentenceView) -> bool:
    """True for 500千伏变电站 and the 750千伏 of 750千伏和330千伏电网工程: ratings of one unit,
    joined by 和/、, standing before the noun they rate."""
    assert quantity.unit is not None
    text = view.text
    found = _rating_list_re(quantity.unit.text).match(text, quantity.after_end)  # or ""
    position = found.end() if found is not None else quantity.after_end
    if position >= len(text) or text[position] in view.rules.marks.all:
        return False
    token = view.token_at(position)
    return token is not None and token.flag.startswith(_NOUN_FLAGS)


@lru_cache(maxsize=64)
def _rating_list_re(unit: str) -> regex.Pattern[str]:
    """Return the regex of more ratings in ``unit`` listed after one: 和330千伏, 、220千伏."""
    return regex.compile(rf"(?:[和及与或、]\d+(?:\.\d+)?{regex.escape(unit)})*")


def _modifies_noun(quantity: Quantity, view: _SentenceView) -> bool:
    """True when a noun follows the quantity (directly or after 的): 3亿元以上项目, 超10亿元的企业.

    Milestones (突破3万亿元大关) and appositive heads (5.1%的数据) restate the quantity
    rather than narrow a set, so they do not count.
    """
    rules = view.rules
    text = view.text
    lexicon = rules.words
    follow = text[quantity.after_end : quantity.after_end + _WINDOW]
    if follow.startswith(lexicon.milestones) or follow.removeprefix("的").startswith(
        lexicon.appositive
    ):
        return False  # 突破3万亿元大关, 稳定在80%以上水平, 5.1%的数据
    if _names_its_measure(quantity, view):
        return False  # 4500亿元的地区生产总值: the measure, not a set it bounds
    position = quantity.after_end + 1 if follow.startswith(("的", "之")) else quantity.after_end
    if position >= len(text) or text[position] in rules.marks.all:
        return False
    token = view.token_at(position)
    return token is not None and token.flag.startswith(_NOUN_FLAGS)


# --------------------------------------------------------------------------- readings


def _share_comparator(
    quantity: Quantity, view: _SentenceView, previous: Quantity | None, listed: str
) -> str:
    """Give a listed value the comparator word before the list's first value; return that word.

    分别突破500亿元和2000亿元: 突破 bounds both values; a value with a comparator word of
    its own (超过80%、75%以上) keeps it.
    """
    text = view.text
    if (
        previous is None
        or quantity.before_start - previous.after_end != 1  # every list gap is one character
        or text[previous.after_end] not in _LIST_GAPS
    ):
        # a value that starts a list: its own word before it, if any, is the list's
        if quantity.before_start == quantity.start:
            return ""
        return text[quantity.before_start : quantity.start].strip()
    own = quantity.before_start < quantity.start or quantity.after_end > quantity.end
    if listed and not own and not quantity.is_range and quantity.comparator == "=":
        comparator = dict(view.rules.words.comparators_before).get(listed, "=")
        if comparator != "=":
            quantity.comparator = comparator
            quantity.reasons.append(Rule.COMPARATOR_SHARED.format(word=listed))
    return listed


def _read_sign(quantity: Quantity, view: _SentenceView, previous: Quantity | None) -> None:
    """Mark a change as negative when the verb right before it says the indicator fell.

    A value listed after another (分别下降9.62%、10.47%) shares the verb of the first.
    """
    rules = view.rules
    if previous is not None and view.text[previous.after_end : quantity.before_start] in _LIST_GAPS:
        quantity.negative = previous.negative
        if quantity.negative:
            quantity.reasons.append(Rule.SIGN_SHARED)
        return
    head = _strip_fillers(
        rules, view.text[max(0, quantity.before_start - _WINDOW) : quantity.before_start]
    )
    if rules.falling.ends(head):
        quantity.negative = True
        falling = next(w for w in rules.words.falling if head.endswith(w))
        quantity.reasons.append(Rule.SIGN_FALLING.format(word=falling))
    elif head.endswith(_MINUS_SIGNS) and head[:-1][-1:] not in _BEFORE_A_RANGE_DASH and not (
        previous is not None and previous.end == quantity.before_start - 1
    ):
        # 自然增长率为-0.5‰: a minus sign; not the dash of 2019-2021, 1万元--5万元, 1万(含)-5万元
        quantity.negative = True
        quantity.reasons.append(Rule.SIGN_MINUS)
    else:
        # 负向拉动经济增长0.9个百分点: the word stands anywhere in the clause before the number
        clause_start = view.clauses[view.clause_index(quantity.start)][0]
        if previous is not None and previous.after_end > clause_start:
            clause_start = previous.after_end
        found = search_in(
            rules.negative_contribution_re, view.text, clause_start, quantity.before_start
        )
        if found is not None:
            quantity.negative = True
            quantity.reasons.append(Rule.SIGN_FALLING.format(word=found.group()))


_MINUS_SIGNS = ("-", "−", "－")
# What stands before the dash of a range, never before a minus sign: a digit, another dash,
# the end of an aside.
_BEFORE_A_RANGE_DASH = frozenset("0123456789-−－–—~～)）")


def _strip_fillers(rules: _Rules, head: str) -> str:
    """Remove the words that may stand between a change verb and its number."""
    fillers = rules.words.fillers
    while rules.fillers.ends(head):
        head = head[: -len(next(f for f in fillers if head.endswith(f)))]
    return head


def _compile_per_re(words: Words) -> regex.Pattern[str]:
    alternatives = "|".join(regex.escape(w) for w in words.per_words)
    return regex.compile(rf"每(?P<per>{alternatives})")


# 由每周2列: the rate word stands a few characters before the number at most
_PER_REACH = 4


def _read_per(quantity: Quantity, view: _SentenceView) -> None:
    """Set ``per`` from 每月/每周… right before the number (每月290元, 由每周2列)."""
    rules = view.rules
    unit = quantity.unit
    if unit is not None and "/" in unit.text and unit.text not in rules.units.by_text:
        # 800元/头, 28万元/人: the denominator of a compound unit is the rate's per
        amount, _, per = unit.text.partition("/")
        base = unit.base.partition("/")[0]
        quantity.unit = Unit(amount, base, unit.factor, unit.group)  # unit_text stays 万元/亩
        quantity.base_unit = base
        quantity.per = per
        quantity.reasons.append(Rule.PER_SLASH.format(per=per))
        return
    clause_start = view.clauses[view.clause_index(quantity.start)][0]
    head = view.text[max(clause_start, quantity.before_start - _WINDOW) : quantity.before_start]
    if "每" not in head:
        return  # the pattern starts with 每: a test far cheaper than a regex call
    matches = list(find_all(rules.per_re, head))
    if matches and matches[-1].end() >= len(head) - _PER_REACH:
        quantity.per = matches[-1].group("per")
        quantity.reasons.append(Rule.PER.format(per=quantity.per))


def _read_qualifiers(quantity: Quantity, view: _SentenceView) -> None:
    """Collect the qualifier words of the clause before the number.

    A clause that is nothing but a qualifier (其中，出口17103.48亿元) lends it to the next.
    """
    rules = view.rules
    lexicon = rules.words
    clause_index = view.clause_index(quantity.start)
    clause_start = view.clauses[clause_index][0]
    head = view.text[max(clause_start, quantity.before_start - _WINDOW) : quantity.before_start]
    if clause_index > 0:
        previous_start, previous_end = view.clauses[clause_index - 1]
        previous = view.text[previous_start:previous_end].rstrip("，,：:")
        if previous in rules.qualifier_set:
            head = previous + head
    found: list[str] = []
    for word in lexicon.qualifiers:  # longest first, so 比上年 wins over a shorter overlap
        if word in head and not any(word in other for other in found):
            found.append(word)
    base_re = lexicon.qualifier_base_re
    if base_re.groups:
        found.extend(match.group() for match in find_all(base_re, head))
    else:  # without groups, findall gives the matched text itself, with no Match objects
        found.extend(find_strings(base_re, head))
    # 比上年同期 holds 比上年: keep the longer reading only
    found = [w for w in set(found) if not any(w != other and w in other for other in found)]
    quantity.qualifiers = sorted(found, key=head.find)
    if found:
        quantity.reasons.append(Rule.QUALIFIERS.format(words="、".join(quantity.qualifiers)))


# 惠及10万一线职工: the people noun may stand a word after the number
_PEOPLE_REACH = 4


def _infer_base_unit(quantity: Quantity, view: _SentenceView) -> None:
    """Give a multiplier-only quantity the natural unit of what it counts.

    惠及43万儿童 → 人 (the noun after it names people); 经济总量突破3万亿 → 元 (the clause
    speaks of money); 惠及10万一线职工 → 人 (people named a word later). Else unknown ("").
    """
    rules = view.rules
    if quantity.unit is not None or quantity.base_unit:
        return
    text = view.text
    lexicon = rules.words
    after = text[quantity.after_end : quantity.after_end + _PEOPLE_REACH]
    clause_start, clause_end = view.clauses[view.clause_index(quantity.start)]
    if rules.people.starts(after):
        quantity.base_unit = "人"
        quantity.reasons.append(Rule.BASE_PEOPLE)
    elif any(word in text[clause_start:clause_end] for word in lexicon.money):
        quantity.base_unit = "元"
        quantity.reasons.append(Rule.BASE_MONEY)
    elif any(noun in after for noun in lexicon.people):
        quantity.base_unit = "人"
        quantity.reasons.append(Rule.BASE_PEOPLE)


# --------------------------------------------------------------------------- distribution


def _distribute(quantities: list[Quantity], view: _SentenceView) -> list[Quantity]:
    """Give each item of a list its own fact: 分别, 各, 均, 双双 (FACTS.md)."""
    rules = view.rules
    text = view.text
    lexicon = rules.words
    out: list[Quantity] = []
    index = 0
    while index < len(quantities):
        quantity = quantities[index]
        verb_window = _distributor_before(quantity.before_start, view)
        if verb_window is None:
            run = _implicitly_paired_run(quantities, index, out, view)
            for partner, value in zip(out[-len(run) :] if run else [], run, strict=True):
                # 分别为39310元、20356元，增长5.5%、5.6%: the growth of each level in turn
                clause_start = view.clauses[view.clause_index(value.before_start)][0]
                verb = text[clause_start : run[0].before_start]
                value.partner, value.predicate = partner, _strip_link(rules, verb)
                mention = text[partner.start : partner.end]
                value.reasons.append(Rule.PARTNER.format(word="、", mention=mention))
            out.extend(run or [quantity])
            index += len(run) or 1
            continue
        word, word_start = verb_window
        # the run of values that follow the distributor: 分别增长5.1%、6.3%和7.2%
        run = _listed_run(quantities, index, text)
        respectively = word in lexicon.respectively
        items = _list_items(text, word_start, view, expected=len(run) if respectively else 0)
        if respectively and not items:
            items = _contracted_items(text, word_start, view, len(run))
        if respectively:
            predicate = text[word_start + len(word) : run[0].before_start]
            if not items:
                # 增速分别高于全国、全省1.2、0.5个百分点: the items are the benchmarks
                after = word_start + len(word)
                items = _compared_items(rules, text, word_start, after, view, len(run))
                predicate = "" if items else predicate
            if items and len(items) == len(run):
                for number, (item, value) in enumerate(zip(items, run, strict=True), 1):
                    value.indicator = _item_indicator(rules, item, predicate)
                    value.reasons.append(Rule.RESPECTIVELY.format(word=word, n=number, item=item))
            elif len(out) >= len(run) and not _names_a_subject(text, word_start, view):
                for partner, value in zip(out[-len(run) :], run, strict=True):
                    value.partner, value.predicate = partner, _strip_link(rules, predicate)
                    mention = text[partner.start : partner.end]
                    value.reasons.append(Rule.PARTNER.format(word=word, mention=mention))
            out.extend(run)
            index += len(run)
            continue
        # 各, 均, 双双: every item gets every value
        between = text[word_start + len(word) : quantity.before_start]
        compares = _compares_with_benchmark(rules, between)  # 均超过全国5.1%: one benchmark value
        count = len(items)
        if count < 2 and not compares:
            count = _counted_items(rules, text[max(0, word_start - _WINDOW) : word_start])
            items = [""] * count
        if compares or count < 2 or count > _MAX_DISTRIBUTED:
            out.extend(run)
            index += len(run)
            continue
        for value in run:
            first: Quantity | None = None
            for number, item in enumerate(items, 1):
                copy = replace(
                    value, qualifiers=list(value.qualifiers), reasons=list(value.reasons)
                )
                copy.indicator = _item_indicator(rules, item, between) if item else ""
                if not item:
                    copy.same_as = first  # counted, not named: one phrase for all
                    first = first or copy
                shown = item or f"one of the {count} counted"
                copy.reasons.append(Rule.EACH.format(word=word, n=number, item=shown))
                out.append(copy)
        index += len(run)
    return out


def _listed_run(quantities: list[Quantity], index: int, text: str) -> list[Quantity]:
    """Return the value at ``index`` and the values listed right after it (5.1%、6.3%和7.2%)."""
    run = [quantities[index]]
    while index + len(run) < len(quantities):
        nxt = quantities[index + len(run)]
        if text[run[-1].after_end : nxt.before_start] not in _LIST_GAPS:
            break
        run.append(nxt)
    return run


def _implicitly_paired_run(
    quantities: list[Quantity], index: int, out: list[Quantity], view: _SentenceView
) -> list[Quantity]:
    """Return the run of values from ``index`` that pairs with the run just before it, else [].

    A clause of values listed with no subject and no 分别 of their own (增长5.5%、5.6%)
    right after a clause whose values went to as many items in turn (城镇、农村居民…分别为
    39310元、20356元) takes those items in the same order.
    """
    if len(out) < 2 or not out[-1].indicator:
        return []  # most values: nothing before them was paired with an item
    text = view.text
    run = _listed_run(quantities, index, text)
    if len(run) < 2 or len(out) < len(run):
        return []
    earlier = out[-len(run) :]
    clause = view.clause_index(run[0].before_start)
    if (
        clause == 0
        or any(view.clause_index(value.before_start) != clause for value in run)
        or any(view.clause_index(value.before_start) != clause - 1 for value in earlier)
        or _names_a_subject(text, run[0].before_start, view)
        or len({value.indicator for value in earlier}) < len(earlier)
        or not all(value.indicator for value in earlier)
    ):
        return []
    return run


#: The longest benchmark a comparison after 分别 lists (全国, 全省, 长三角地区平均).
_BENCHMARK_CHARS = 8


def _compared_items(
    rules: _Rules, text: str, end: int, predicate_start: int, view: _SentenceView, count: int
) -> list[str]:
    """Return an indicator for each benchmark when 分别 (ending before ``predicate_start``)
    is followed by a comparison with ``count`` benchmarks listed before its values:
    增速分别高于全国、全省1.2、0.5个百分点 → 增速高于全国, 增速高于全省.
    """
    predicate = text[predicate_start:]
    verb = next((w for w in rules.words.comparison if predicate.startswith(w)), "")
    if not verb:
        return []
    bases_start = predicate_start + len(verb)
    bases_end = bases_start
    while bases_end < len(text) and not text[bases_end].isdigit():
        bases_end += 1  # the benchmarks run up to the first value
    bases = text[bases_start:bases_end].split("、")
    if len(bases) < count:
        offset = bases_end - len(bases[-1])
        bases = bases[:-1] + _split_conjunctions(view, offset, bases[-1])
    if len(bases) != count or not all(0 < len(base) <= _BENCHMARK_CHARS for base in bases):
        return []
    head = text[view.clauses[view.clause_index(end)][0] : end]
    return [head + verb + base for base in bases]


def _contracted_items(text: str, end: int, view: _SentenceView, count: int) -> list[str]:
    """Return the items a subject joins in one word, before ``end`` in its clause, when it
    has ``count`` parts: 城乡居民人均可支配收入 (分别为…、…) → 城镇居民…, 农村居民….
    """
    head = text[view.clauses[view.clause_index(end)][0] : end]
    for word, parts in view.rules.words.contractions:
        if len(parts) == count and word in head:
            return [head.replace(word, part, 1) for part in parts]
    return []


#: Han characters a clause may hold before 分别 and still have no subject of its own
#: (同比分别下降, 比上年分别增长): fewer than a measure's name.
_SUBJECT_CHARS = 4


def _names_a_subject(text: str, word_start: int, view: _SentenceView) -> bool:
    """True when the clause of a distributor at ``word_start`` names what it measures before
    it (其中城乡居民人均可支配收入分别增长…), so its values are not paired with earlier
    facts; qualifiers and a comparison base (其中, 同比, 比上年) are no subject."""
    clause_start = view.clauses[view.clause_index(word_start)][0]
    head = text[clause_start:word_start]
    lexicon = view.rules.words
    head = lexicon.qualifier_base_re.sub("", head)
    for word in lexicon.qualifiers:
        head = head.replace(word, "")
    return _han_count(head) >= _SUBJECT_CHARS


def _distributor_before(end: int, view: _SentenceView) -> tuple[str, int] | None:
    """Return the distributor word (分别, 各, 均…) governing a number, with its position."""
    rules = view.rules
    lexicon = rules.words
    clause_start = view.clauses[view.clause_index(max(end - 1, 0))][0]
    clause_start = max(clause_start, end - _WINDOW)
    window = view.text[clause_start:end]
    best: tuple[str, int] | None = None
    for word in (*lexicon.respectively, *lexicon.each):
        position = window.rfind(word)
        if position < 0:
            continue
        absolute = clause_start + position
        token = view.token_at(absolute)
        if token is not None and (
            token.start != absolute
            or (token.word != word and not _is_words(view, absolute, absolute + len(word)))
        ):
            continue  # 各类, 都市圈: the character belongs to another word (同为 is two)
        rest = _DATE_IN_INDICATOR_RE.sub("", view.text[absolute + len(word) : end])
        if any(c.isdigit() for c in rest) or (
            "、" in rest and not rest.startswith(lexicon.comparison)
        ):
            # another value or list stands between: not this number's distributor, unless
            # the list is of benchmarks (分别高于全国、全省…)
            continue
        if best is None or absolute > best[1]:
            best = (word, absolute)
    return best


def _is_words(view: _SentenceView, start: int, end: int) -> bool:
    """True when jieba's words start at ``start`` and end at ``end`` (同为 is 同 + 为)."""
    first, last = view.token_at(start), view.token_at(end - 1)
    return (first is None or first.start == start) and (last is None or last.end == end)


def _list_items(text: str, end: int, view: _SentenceView, *, expected: int = 0) -> list[str]:
    """Return the coordinated items before ``end`` (in this clause or the one before).

    Items are split on 、; when that gives fewer items than ``expected`` values, the
    last item is split on 和/及/与 too (体育娱乐用品类、通讯器材类和新能源汽车零售额).
    """
    rules = view.rules
    clause_index = view.clause_index(end)  # the clause of the distributor word at ``end``
    start = view.clauses[clause_index][0]
    segment = text[start:end]
    if not any(sep in segment for sep in "、和及与") and clause_index > 0:
        previous_start = view.clauses[clause_index - 1][0]
        segment = text[previous_start:start].rstrip("，,：:")
        if any(char.isdigit() for char in segment):
            return []  # 分别达到56789元和34567元，分别增长…: that clause lists values, not items
        start = previous_start
    items = segment.split("、")
    if len(items) < max(expected, 2):
        # 体育娱乐用品类、通讯器材类和新能源汽车零售额; 社区食堂和老年驿站各15个
        last = _split_conjunctions(view, start + len(segment) - len(items[-1]), items[-1])
        if len(items) - 1 + len(last) == expected or (not expected and len(last) > 1):
            items = items[:-1] + last
    if len(items) < 2:
        return []
    return _share_heads(rules, items)


def _split_conjunctions(view: _SentenceView, start: int, item: str) -> list[str]:
    """Split ``item`` (at ``start`` in the sentence) on 和/与/及 standing as words of their own.

    中国和平发展 holds the 和 of the word 和平: no conjunction there.
    """
    parts: list[str] = []
    cut = 0
    for index, char in enumerate(item):
        if char in _CONJUNCTIONS:
            token = view.token_at(start + index)
            if token is not None and token.start == start + index and token.word == char:
                parts.append(item[cut:index])
                cut = index + 1
    parts.append(item[cut:])
    return parts if all(parts) else [item]


#: Conjunctions that join the items of a list: 甲和乙, 甲与乙, 甲及乙.
_CONJUNCTIONS = "和与及"


def _share_heads(rules: _Rules, items: list[str]) -> list[str]:
    """Spread the shared head or modifier of a coordinated list over its items.

    城镇、农村居民人均可支配收入 → 城镇居民人均可支配收入, 农村居民人均可支配收入;
    生产安全事故起数、死亡人数 → 生产安全事故起数, 生产安全事故死亡人数.
    """
    items = [_strip_leading(rules, item) for item in items]
    if len(items) < 2:
        return items
    tokens = [[t.word for t in tag(item, 0)] for item in items]
    first, last = tokens[0], tokens[-1]
    anchor = first[-1]
    if len(first) > 1 and anchor in last[:-1] and all(t[-1] == anchor for t in tokens[:-1]):
        # 通用设备制造业、仪器仪表制造业增加值: the words after the shared last word are shared
        shared = "".join(last[last.index(anchor) + 1 :])
        return [item + shared for item in items[:-1]] + [items[-1]]
    if all(len(t) == 1 for t in tokens[:-1]) and len(last) > 1:
        # 城镇、农村居民人均可支配收入: one-word items modify the head the last one carries
        shared = "".join(last[1:])
        lead = _parallel_lead(tokens[:-1], last[0])
        if lead:
            # 农村居民 is one word of jieba's: its 居民 is shared too (城镇居民…)
            shared = last[0][lead:] + shared
        if "等" in shared:
            shared = shared[shared.rindex("等") + 1 :]  # 光伏电池等绿色低碳产品产量
        return [item + shared for item in items[:-1]] + [items[-1]]
    if len(last) <= 2 < len(first):
        # 生产安全事故起数、死亡人数: the first item's modifier is shared by the rest
        shared = "".join(first[: len(first) - len(last)])
        return [items[0]] + [shared + item for item in items[1:]]
    return items


def _parallel_lead(items: list[list[str]], word: str) -> int:
    """Return the length of the part of ``word`` that parallels one-word ``items``, else 0.

    城镇、农村居民: jieba reads 农村居民 as one word; 农村 stands where 城镇 stands and
    居民 is what both modify. That holds when the items are all as long as that part and
    both parts are words of the dictionary, the second of two characters or more
    (服务业 is not 服务 + 业 for 工业、农业和服务业).
    """
    lengths = {len(item[0]) for item in items}
    if len(lengths) != 1:
        return 0
    lead = lengths.pop()
    if len(word) - lead < 2 or not word_count(word[:lead]) or not word_count(word[lead:]):
        return 0
    return lead


def _counted_items(rules: _Rules, head: str) -> int:
    """Return N for a subject that counts its items (这3个省份的GDP均…), else 0."""
    matches = list(rules.counted_subject_re.finditer(head))
    if not matches:
        return 0
    value = _number(matches[-1].group("count"))
    return int(value) if value is not None and value == int(value) else 0


def _item_indicator(rules: _Rules, item: str, predicate: str) -> str:
    predicate = _strip_link(rules, predicate)
    return _strip_leading(rules, item) + predicate


# --------------------------------------------------------------------------- indicators


def _strip_link(rules: _Rules, text: str) -> str:
    """Remove linking verbs and particles from both ends of an indicator phrase."""
    text = text.strip(_EDGE_MARKS).rstrip("".join(_MINUS_SIGNS))
    tails = rules.link_tails
    while word := tails.longest(text):
        if len(word) == 1 and _ends_a_common_word(text):
            break  # the last character of a word (平均, 行为, 目的), not a particle
        text = text[: -len(word)].rstrip(" 、，,")
    for word in rules.distributors:
        # 各类市场主体, 均衡发展: 各 and 均 begin a longer word there, not a distributor
        if text.startswith(word) and _ends_a_word(text, len(word)):
            text = text[len(word) :]
    return text


#: How many characters at the end of a phrase are segmented to see whether its last one
#: ends a longer word: enough for the words jieba's dictionary has around it.
_WORD_WINDOW = 6

#: The dictionary count from which a word is a common one (平均 9,932, 行为 8,963): jieba's
#: dictionary also holds rare words and names (比达 260, 多达 278) that would swallow a
#: particle (占比达84%).
_COMMON_WORD_COUNT = 1000


def _ends_a_common_word(text: str) -> bool:
    """Return whether the last character of ``text`` ends a word jieba segments there that
    is common, or ends in a common word of two characters (违法行为: 行为).

    >>> [_ends_a_common_word(t) for t in ("失业率平均", "违法行为", "占比达", "总量为")]
    [True, True, False, False]
    """
    window = text[-_WORD_WINDOW:]
    last = tag(window)[-1].word if len(window) > 1 else ""
    return len(last) > 1 and (
        word_count(last) >= _COMMON_WORD_COUNT or word_count(last[-2:]) >= _COMMON_WORD_COUNT
    )


def _ends_a_word(text: str, position: int) -> bool:
    """Return whether a word of ``text``, as jieba segments it, ends at ``position``.

    >>> _ends_a_word("各类市场主体", 1), _ends_a_word("各新增", 1)
    (False, True)
    """
    return any(token.end == position for token in tag(text))


class _Tails:
    """Words that may end a phrase, found at its end by one set lookup per word length.

    Not ``text.endswith(words)``: that tries each of the hundreds of words in turn.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(word for word in words if word)
        self.lengths = sorted({len(word) for word in self.words}, reverse=True)

    def longest(self, text: str) -> str:
        """Return the longest of the words that ``text`` ends with ("" when none does).

        >>> _Tails(["增长了", "了"]).longest("增长了"), _Tails(["了"]).longest("增长")
        ('增长了', '')
        """
        for length in self.lengths:
            if length <= len(text) and text[-length:] in self.words:
                return text[-length:]
        return ""


class _Affixes:
    """Words a text is tested to start or end with, and the characters they start and end with.

    Most texts start (end) with none of those characters: one set lookup then answers for
    the whole tuple, which ``str.startswith`` would try word by word.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(words)
        self.firsts = frozenset(word[:1] for word in self.words)
        self.lasts = frozenset(word[-1:] for word in self.words)
        self.empty = "" in self.words  # the empty word starts and ends every text
        # then one set lookup per word length, not one comparison per word (as _Tails)
        self.set = frozenset(self.words)
        self.lengths = sorted({len(word) for word in self.words if word})

    def may_start(self, text: str) -> bool:
        """Return False when ``text`` starts with none of the words (True: it may)."""
        return self.empty or text[:1] in self.firsts

    def starts(self, text: str) -> bool:
        """Return ``text.startswith(words)``.

        >>> _Affixes(["同比", "比"]).starts("比上年"), _Affixes(["同比"]).starts("增长")
        (True, False)
        """
        if self.empty:
            return True
        if text[:1] not in self.firsts:
            return False
        # a slice shorter than the length asked for is the whole text: it is a word
        # only if the text is one, and then the text starts with it all the same
        return any(text[:length] in self.set for length in self.lengths)

    def ends(self, text: str) -> bool:
        """Return ``text.endswith(words)``.

        >>> _Affixes(["超过", "达"]).ends("总量达"), _Affixes(["达"]).ends("总量")
        (True, False)
        """
        if self.empty:
            return True
        if text[-1:] not in self.lasts:
            return False
        return any(text[-length:] in self.set for length in self.lengths)


def _link_tails(lexicon: Words) -> _Tails:
    """Words stripped from the end of an indicator: linking verbs and comparator words."""
    return _Tails([*lexicon.linking, *(w for w, _ in lexicon.comparators_before if len(w) > 1)])


def _strip_leading(rules: _Rules, text: str) -> str:
    lexicon = rules.words
    text = text.strip(_EDGE_MARKS)
    if text[:1] in rules.marks.bullets:  # ●预计全省地区生产总值增长6%左右
        text = text.lstrip(rules.marks.bullets + " ")
    for word in lexicon.reporting:  # a few rfinds in C: cheaper than any regex test first
        position = text.rfind(word)
        if position >= 0:
            text = text[position + len(word) :]
    if text[:1] in _ENUMERATOR_STARTS:
        enumerator = match_here(_ENUMERATOR_RE, text)  # 7. or （三） numbers an item
        if enumerator is not None:
            text = text[enumerator.end() :]
    changed = rules.leading.starts(text)  # else no word below can match
    while changed and text:
        changed = False
        for word in lexicon.leading:
            if (
                text.startswith(word)
                and len(text) > len(word)
                and (len(word) > 1 or _ends_a_word(text[:4], 1))  # 共济 keeps its 共
            ):
                text = text[len(word) :].lstrip(" ，,、")
                changed = True
    return text


# The number of a list item or heading at the start of a phrase: 7. 7、 （三） (3) 三、 ①.
_ENUMERATOR_RE = regex.compile(
    r"^(?:\d{1,2}[.．、](?!\d)|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]"
    r"|[一二三四五六七八九十]{1,3}、|[①-⑳])[\s、]*"
)
_ENUMERATOR_STARTS = frozenset("0123456789（(一二三四五六七八九十①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳")

# A complete bracketed aside: 税收收入（不含退税）增长 → 税收收入增长; inside a title
# (《纲要（草案）》) the brackets belong to the name.
_ASIDE_RE = regex.compile(r"[（(][^（）()]*[）)](?![^《》]*》)")


def _drop_asides(text: str) -> str:
    """Remove bracketed asides from a phrase, and anything before an unclosed opening bracket.

    出口增长7.5%（上年同期为下降3.2%）: the second value stands inside the aside, so its
    phrase starts after the bracket.
    """
    text = replace_all(_ASIDE_RE, "", text)
    opened = max(text.rfind("（"), text.rfind("("))
    closed = max(text.rfind("）"), text.rfind(")"))
    return text[opened + 1 :] if opened > closed else text


# A year or month that dates the statement, not part of what is measured:
# 江苏2021年GDP数据为… → 江苏GDP数据. A year after 比/较/相比/与 is a base and stays.
_DATE_IN_INDICATOR_RE = regex.compile(
    r"(?<![比较与同和])"
    r"(?:\d{4}(?:[-—–~至到]\d{4})?年(?!均)(?:\d{1,2}(?:-\d{1,2})?月)?"  # 2021年1-11月 (not 年均)
    r"|\d{1,2}(?:-\d{1,2})?月(?:份)?)"  # 1-11月
)


#: Spaces and clause marks trimmed from either end of a phrase or an indicator.
_EDGE_MARKS = " ，,、：:；;"


def _tidy_dates(indicator: str) -> str:
    """Return ``indicator`` without its dates and the marks around them."""
    return replace_all(_DATE_IN_INDICATOR_RE, "", indicator).strip(_EDGE_MARKS)


def _compile_counted_subject_re(words: Words) -> regex.Pattern[str]:
    """这3个省份的: a subject that counts its items (the items stand for it in indicators)."""
    nouns = "|".join(regex.escape(w) for w in words.counted_nouns)
    return regex.compile(rf"(?:这|该|上述)?(?P<count>\d+|[{_COUNT_NUMERALS}])个?(?:{nouns})的?")


#: The numerals that count a subject's items in words (这三个省份).
_COUNT_NUMERALS = "两二三四五六七八九十"


def _find_indicators(facts: list[Quantity], view: _SentenceView, context: _Context) -> None:
    """Set the indicator of every fact of the sentence (see module docstring, step 5)."""
    rules = view.rules
    text = view.text
    previous_end: dict[int, int] = {}
    fact_clauses = {view.clause_index(f.start) for f in facts}
    for fact_index, fact in enumerate(facts):
        clause_index = view.clause_index(fact.start)
        clause_start, clause_end = view.clauses[clause_index]
        _update_framing_topic(view, clause_index, fact_clauses, context)
        if fact.partner is not None and not fact.indicator:
            fact.indicator = _topic_of(rules, fact.partner.indicator) + fact.predicate
        if fact.same_as is not None and not fact.indicator:
            fact.indicator = fact.same_as.indicator
        if fact.indicator:
            fact.indicator = _tidy(rules, fact.indicator)
            context.last_indicator = fact.indicator
            context.topic = _topic_of(rules, fact.indicator)
            previous_end[clause_index] = fact.after_end
            continue
        start = max(clause_start, previous_end.get(clause_index, clause_start))
        start = max(start, fact.before_start - _WINDOW)
        raw_before = text[start : fact.before_start]
        if any(c in raw_before for c in "（()）"):
            raw_before = _drop_asides(raw_before)
        if clause_index in previous_end and "、" in raw_before:
            # 地区生产总值达到5.53万亿元、稳居全国前十强、增长4.8%: the items between the
            # level and its change say more of the subject; the change is the subject's.
            item = raw_before[raw_before.rfind("、") :]
            if rules.predicate_openers.starts(item[1:].lstrip()):
                raw_before = item
        before = _strip_link(rules, _strip_per(rules, _strip_leading(rules, raw_before)))
        listed = raw_before.strip() in _LIST_GAPS
        if listed:
            before = ""  # 56789元和34567元: the second value of a list shares the first's phrase
        elif raw_before.lstrip().startswith("、") and rules.action_verbs.starts(before):
            subject = _list_subject(rules, text[clause_start:start])
            before = subject + before
            if subject:
                fact.reasons.append(Rule.INDICATOR_LIST_SUBJECT.format(subject=subject))
        next_start = clause_end
        for later in range(fact_index + 1, len(facts)):
            if facts[later].before_start >= fact.after_end:
                next_start = facts[later].before_start
                break
        after = _after_phrase(fact, view, min(clause_end, next_start))
        if after and before.endswith("等") and _ends_a_word(before[-4:], len(before[-4:]) - 1):
            before = _drop_examples(rules, before)  # 增值税、个人所得税等3项收入
        if _compares_with_benchmark(rules, raw_before):
            before = _benchmark(rules, raw_before)
            fact.reasons.append(Rule.INDICATOR_BENCHMARK.format(before=before))
        head = text[max(0, fact.start - _WINDOW) : fact.start].rstrip()
        conversion = rules.conversions.ends(head)
        indicator = before + after
        if indicator[:1].isdigit() and not _tidy_dates(indicator):
            indicator = ""  # 2017年达到5238.3亿元: a date names nothing, the subject is before
        own = ""
        if conversion:
            word = next((w for w in rules.words.conversions if before.endswith(w)), "")
            own = _strip_link(rules, before[: len(before) - len(word)])
        if conversion and context.last_indicator and not _names_a_measure(own):
            # 12万亿元，约合1.92万亿美元 restates the value before; 人均生产总值约合20533美元
            # names what it restates, 按年平均汇率粗算约合… only how
            indicator = context.last_indicator
            fact.reasons.append(Rule.INDICATOR_CONVERSION)
        elif not indicator and listed and previous_end.get(clause_index, -1) >= start:
            # 分别提高1.2、0.8个百分点: the whole phrase of the value listed before, verb too
            indicator = context.last_indicator or context.topic
            fact.reasons.append(Rule.INDICATOR_LISTED.format(phrase=indicator))
        elif not indicator:
            indicator = context.topic or context.last_indicator
            fact.reasons.append(Rule.INDICATOR_TOPIC.format(topic=indicator))
        elif (
            context.topic
            and not after
            and len(context.topic) <= _MAX_TOPIC
            # the cheap tests first: most facts have a phrase after them or no topic
            and (
                rules.predicate_openers.starts(before)
                or _generic_with_predicate(rules, before)
                or _period_then_predicate(rules, before)
            )
        ):
            indicator = context.topic + indicator
            fact.reasons.append(Rule.INDICATOR_TOPIC_PREFIX.format(topic=context.topic))
        else:
            around = [f"«{before}»"] * bool(before) + ["number"] + [f"«{after}»"] * bool(after)
            fact.reasons.append(Rule.INDICATOR_PHRASE.format(words=" ".join(around)))
        fact.indicator = _tidy(rules, indicator)
        previous_end[clause_index] = fact.after_end
        after_end = text.find(after, fact.after_end) + len(after) if after else -1
        if after and (_is_share(fact, view) or text[after_end : after_end + 1] == "、"):
            # 5%的耕地生产了12%的粮食, 新建12个村、整治河道30公里: the next value's
            # phrase starts after the words this value took
            previous_end[clause_index] = after_end
        if fact.indicator and rules.milestones.ends(after) and before:
            # 经济总量连跨3个千亿级台阶、突破8000亿元: the steps climbed are the subject's;
            # the values after them measure the subject, not the steps
            context.topic = _tidy(rules, _leading_nouns(before) or before)
            context.last_indicator = context.topic
            continue
        if fact.indicator:
            context.last_indicator = fact.indicator
            context.topic = _topic_of(rules, fact.indicator)


def _drop_examples(rules: _Rules, before: str) -> str:
    """Return what is left of a phrase ending in examples and 等 before a count: its verb.

    增值税、个人所得税等 (3项收入增长) → "": the count's noun names what is counted, the
    examples only illustrate it; 新增餐饮、零售等 → 新增.
    """
    lexicon = rules.words
    for word in (*lexicon.action_verbs, *lexicon.qualifiers):
        if before.startswith(word) and len(before) > len(word):
            return word
    return ""


def _list_subject(rules: _Rules, head: str) -> str:
    """Return the subject before the first action verb of a list's first item, or "".

    消费品以旧换新带动相关商品销售超800亿元 → 消费品以旧换新; 累计实施减负降费 → "" (only
    a qualifier stands before 实施).
    """
    first_item = head.split("、", 1)[0]
    verbs = rules.words.action_verbs
    positions = [p for p in (first_item.find(v) for v in verbs) if p > 0]
    if not positions:
        return ""
    subject = _strip_leading(rules, first_item[: min(positions)])
    return "" if subject in rules.words.qualifiers else subject


def _generic_with_predicate(rules: _Rules, before: str) -> bool:
    """True for 总量, 增速比全省高, 涨幅较上月回落: a generic head, alone or with a predicate."""
    lexicon = rules.words
    if not rules.generic.may_start(before):
        return False  # no head can be the phrase or start it
    return any(
        before == head
        or (before.startswith(head) and rules.predicate_openers.starts(before[len(head) :]))
        for head in lexicon.generic
    )


def _period_then_predicate(rules: _Rules, before: str) -> bool:
    """True for “十四五”时期年均增长, 五年来年均增长: a time of several years, then a
    predicate whose subject was left out (``topics.period_*`` in words.toml)."""
    if before[:1] not in rules.period_lead_starts:
        return False  # most phrases start with none of the characters a time can start with
    lead = _period_lead_end(rules.words, before)
    return 0 < lead < len(before) and bool(
        rules.predicate_openers.starts(before[lead:].lstrip("，, "))
    )


def _period_lead_end(words: Words, text: str) -> int:
    """Return where a time of several years that opens ``text`` ends, else 0: “十四五”时期,
    过去五年, 五年来, 2021-2025年 (read by hand: a regex would cost start-up its compilation)."""
    at = 1 if text[:1] in _QUOTES else 0
    if text[at : at + 1] == "十" and text[at + 2 : at + 3] == "五" and _is_count(text[at + 1]):
        end = at + 3 + (text[at + 3 : at + 4] in _QUOTES)
        return end + next((len(w) for w in words.period_plan_after if text.startswith(w, end)), 0)
    start = next((len(w) for w in words.period_years_before if text.startswith(w)), 0)
    end = start
    while end < start + 2 and end < len(text) and _is_count(text[end]):
        end += 1
    if end > start and text[end : end + 1] == "年":
        after = next((len(w) for w in words.period_years_after if text.startswith(w, end + 1)), 0)
        return end + 1 + after if start or after else 0
    if text[:2] in ("19", "20") and text[:4].isdigit():  # 2021-2025年, 2021年至2025年
        end = 4 + (text[4:5] == "年")
        end += text[end : end + 1] == " "
        if text[end : end + 1] and text[end] in _RANGE_MARKS:
            end += 1 + (text[end + 1 : end + 2] == " ")
            year = text[end : end + 5]  # 2025年
            if year[:2] in ("19", "20") and year[:4].isdigit() and year[4:] == "年":
                return end + 5 + (text[end + 5 : end + 6] == "间")
    return 0


def _is_count(char: str) -> bool:
    """Whether ``char`` may be a digit of a count of years (5, 五, 两, 十)."""
    return char.isdigit() or char in _YEAR_NUMERALS


#: Quotes around a five-year plan's name, the numerals of a count of years, and the marks
#: between the years of a range.
_QUOTES = "“”\""
_YEAR_NUMERALS = "一二三四五六七八九十两"
_RANGE_MARKS = "-—–~～至到"


def _update_framing_topic(
    view: _SentenceView, clause_index: int, fact_clauses: set[int], context: _Context
) -> None:
    """Take the topic from a framing clause before this one: 从GDP总量来看，… / 消费方面，…"""
    rules = view.rules
    for index in range(clause_index - 1, -1, -1):
        if index in fact_clauses:
            return
        start, end = view.clauses[index]
        clause = view.text[start:end].rstrip("，,：:")
        for pattern in rules.words.framing:
            match = match_here(pattern, clause)
            if match:
                context.topic = match.group("topic")
                return


def _strip_per(rules: _Rules, text: str) -> str:
    """Remove a trailing 每周/每月: the rate word belongs to ``per``, not to the indicator."""
    match = rules.per_re.search(text[-3:]) if "每" in text[-3:] else None
    if match is not None and text.endswith(match.group()):
        return text[: -len(match.group())]
    return text


def _compares_with_benchmark(rules: _Rules, raw_before: str) -> bool:
    """True for 均超过全国5.1%: a comparison verb with its own object before the number."""
    for verb in rules.words.comparison:
        position = raw_before.rfind(verb)
        if position >= 0 and len(raw_before) - position - len(verb) >= 2:
            return True
    return False


def _benchmark(rules: _Rules, raw_before: str) -> str:
    """Return the object of the comparison verb: 均超过全国 → 全国."""
    best = max(raw_before.rfind(v) + len(v) for v in rules.words.comparison if v in raw_before)
    return raw_before[best:]


# 均增长, 各有: a distributor left inside the phrase (平均 is a word of its own)
def _compile_distributor_in_indicator_re(words: Words) -> regex.Pattern[str]:
    """Return the regex of a distributor left before the verb inside an indicator (均增长)."""
    return regex.compile(
        rf"(?<![平年人日月])(?:{'|'.join(map(regex.escape, words.before_verbs))})"  # 平均, 年均
        r"(?=增长|下降|提高|降低|增加|减少|超过|突破|占|达|为)"
    )


def _tidy(rules: _Rules, indicator: str) -> str:
    """Remove dates and counted subjects that only frame the statement, and stray punctuation."""
    tidied = indicator
    # Each pattern needs a digit, a numeral, 均 or 双双: tests far cheaper than a regex
    # call, and most indicators hold none of them.
    if any(c.isdigit() or c in _COUNT_NUMERALS for c in tidied):
        tidied = replace_all(_DATE_IN_INDICATOR_RE, "", tidied)
        tidied = replace_all(rules.counted_subject_re, "", tidied)
        if rules.grouping_re is not None:
            tidied = replace_all(rules.grouping_re, "", tidied)  # 发布10大类惠民政策
    if any(word in tidied for word in rules.words.before_verbs):
        tidied = replace_all(rules.distributor_in_indicator_re, "", tidied)
    tidied = _strip_leading(rules, tidied)
    tidied = tidied.strip(_EDGE_MARKS)
    return tidied if len(tidied) >= 2 else indicator.strip(_EDGE_MARKS)


# 大类中有, 企业里共有: "among them there are", which leads from a set to a count in it
_AMONG_TAIL_RE = regex.compile(r"(?:中|里|内)?(?:有|共有|包括)?$")


def _after_phrase(fact: Quantity, view: _SentenceView, stop: int) -> str:
    """Return the phrase a number stands before: 2家全国重点实验室获批建设, 七成用于民生."""
    rules = view.rules
    text = view.text
    lexicon = rules.words
    start = fact.after_end
    marks = rules.marks
    if start >= stop or (text[start] in marks.all and text[start] not in marks.quotes):
        return ""
    follow = text[start:stop]
    share = _is_share(fact, view)
    if share or _names_its_measure(fact, view):
        # 65%的行政村建成快递服务点: the set the share is taken of; 4500亿元的地区生产总值:
        # the measure the amount is
        start += 1
    elif follow.startswith(("的", "之")) or follow.startswith(lexicon.milestones):
        return ""
    end = start
    depth = 0
    counts = fact.unit is not None and fact.unit.group in rules.units.classifier_groups
    while end < stop:
        char = text[end]
        if char in marks.quotes:
            depth += 1
        elif char in marks.quotes.values():
            depth = max(depth - 1, 0)
        elif depth == 0 and (
            char in marks.clause_break or char in _LIST_SEPARATORS or char == "的"
        ):
            if not (
                char in _LIST_SEPARATORS and counts and _noun_item_follows(view, start, end, stop)
            ):
                break
            # 28个医院、社区卫生服务中心接入…: the count's noun is a list; the head follows
        end += 1
    phrase = text[start:end].strip()
    if end == stop and stop < len(text) and text[stop : stop + 1] not in marks.all:
        if share:
            return _leading_nouns(phrase)  # 5%的耕地生产了12%的粮食: only the set's noun
        if not counts:
            return ""  # 73129亿元增加了9966.9亿元: the words lead on to the next value
        # 41个工业行业大类中有32个…: the counted noun, without the words leading on
        phrase = replace_all(_AMONG_TAIL_RE, "", phrase)
    if phrase.startswith(lexicon.level_verbs):
        return ""  # 2列增至9列: a change verb leading to the next value
    for currency in ("人民币",):
        phrase = phrase.removeprefix(currency)
    phrase = phrase.strip()
    # 3所学校等: a particle that ends the phrase, but 高中 is a word of its own
    particles = lexicon.phrase_end_particles
    while phrase.endswith(particles) and _ends_a_word(phrase, len(phrase) - 1):
        phrase = phrase[:-1].rstrip()
    return phrase


def _noun_item_follows(view: _SentenceView, start: int, separator: int, stop: int) -> bool:
    """True when the 、 at ``separator`` joins another noun to a count's noun (from ``start``).

    The rest of the clause must hold no other value (新建12个村、整治河道30公里 lists two
    facts), the words before the 、 must all be nouns (7家企业上榜…、数量居全国第2 joins
    two statements) and the next item must start with a noun.
    """
    if stop < view.clauses[view.clause_index(separator)][1] or separator - start > _WINDOW:
        return False
    # the words of the phrase so far and of the next item's start (not the whole clause)
    tokens = tag(view.text[start : min(stop, separator + 8)], start)
    for token in tokens:
        if token.start < separator and not _is_noun(token):
            return False
    following = next((t for t in tokens if t.start == separator + 1), None)
    return following is not None and _is_noun(following)


def _is_noun(token: Token) -> bool:
    """True for a noun as jieba tags it (a verb used as a noun, vn, is no noun here)."""
    return token.flag != "vn" and token.flag.startswith(_NOUN_FLAGS)


def _leading_nouns(phrase: str) -> str:
    """Return the nouns ``phrase`` starts with (耕地生产了 → 耕地; 生产 is a verb there)."""
    end = 0
    for token in tag(phrase):
        if not _is_noun(token) or (token.flag == "nr" and len(token.word) == 1):
            # 连跨: jieba may read a lone 连 as a surname
            break
        end = token.end
    return phrase[:end]


def _topic_of(rules: _Rules, indicator: str) -> str:
    """Return the subject part of an indicator: 全市固定资产投资同比下降 → 全市固定资产投资."""
    tails = rules.topic_tails
    base_re = rules.words.qualifier_base_re
    text = indicator
    while True:
        word = tails.longest(text)
        if word:
            if len(word) == len(text):
                return text
            text = text[: -len(word)]
            continue
        match = search_in(base_re, text)
        if match and match.end() == len(text) and match.start() > 0:
            text = text[: match.start()]
            continue
        return text


def _topic_tails(lexicon: Words) -> _Tails:
    """Words that end an indicator after its subject: change verbs, qualifiers, links."""
    return _Tails([*lexicon.falling, *lexicon.rising, *lexicon.qualifiers, *lexicon.linking])


def clause_words(
    text: str, position: int, *, lexicon: Lexicon | None = None
) -> tuple[int, int, list[tuple[str, str]]]:
    """Return the span of the clause of ``text`` holding ``position`` and its jieba words.

    The words are (word, part-of-speech flag) pairs, as the extractor segments the clause.
    """
    rules = _rules_of(lexicon)
    quotes = _quote_spans(rules, text)
    view = _SentenceView(text, quotes, _clause_spans(rules, text, quotes), rules)
    index = view.clause_index(position)
    start, end = view.clauses[index]
    return start, end, [(token.word, token.flag) for token in view.clause_tokens(index)]


# --------------------------------------------------------------------------- rules of a lexicon


class _Rules:
    """The regexes and tables the extractor builds from one lexicon (``Lexicon.derived``).

    A plain class (see ``_Marks``), built once per lexicon and only read.
    """

    def __init__(self, lexicon: Lexicon) -> None:
        units, words = lexicon.units, lexicon.words
        self.units = units
        self.words = words
        self.marks = _build_marks(lexicon.structure)
        self.quantity_re = _compile_quantity_re(units)
        self.groups = _Groups(self.quantity_re)
        self.longest_unit = max(map(len, units.by_text), default=0)  # for _denominator
        self.non_fact_term_re = _compile_non_fact_term_re(words)
        self.longest_non_fact_term = _longest_non_fact_term(words)
        self.per_re = _compile_per_re(words)
        self.counted_subject_re = _compile_counted_subject_re(words)
        #: The characters a time of several years can start with (``_period_lead_end``).
        self.period_lead_starts = frozenset(
            _QUOTES + "十" + _YEAR_NUMERALS + string.digits
            + "".join(word[0] for word in words.period_years_before)
        )
        measures = "|".join(map(regex.escape, words.grouping_measures))
        self.grouping_re = (
            regex.compile(rf"(?:\d+|[{_COUNT_NUMERALS}]+)(?:{measures})") if measures else None
        )
        self.link_tails = _link_tails(words)
        self.topic_tails = _topic_tails(words)
        # 分别 first, then 各, 均…: stripped from an indicator's start
        self.distributors = (*words.respectively, *words.each)
        self.distributor_in_indicator_re = _compile_distributor_in_indicator_re(words)
        # any of changes.negative_contributions
        self.negative_contribution_re = regex.compile(
            "|".join(map(regex.escape, words.negative_contributions)) or "(?!)"
        )
        # Word lists tested at the start or end of a text, with their first and last
        # characters.
        self.comparators_before = _Affixes(_comparator_words_before(words))
        self.comparators_after = _Affixes(_comparator_words_after(words))
        self.leading = _Affixes(words.leading)
        self.falling = _Affixes(words.falling)
        self.fillers = _Affixes(words.fillers)
        self.specification_nouns = _Affixes(words.specification_nouns)
        self.action_verbs = _Affixes(words.action_verbs)
        self.predicate_openers = _Affixes(words.predicate_openers)
        self.conversions = _Affixes(words.conversions)
        self.milestones = _Affixes(words.milestones)
        self.generic = _Affixes(words.generic)
        self.people = _Affixes(words.people)
        self.qualifier_set = frozenset(words.qualifiers)  # for membership tests


def _build_rules(lexicon: Lexicon) -> _Rules:
    """Return the extractor's regexes and tables for ``lexicon``."""
    return _Rules(lexicon)


def _rules_of(lexicon: Lexicon | None) -> _Rules:
    """Return the rules of ``lexicon`` (None: the bundled one), built once per lexicon."""
    return (lexicon or load_lexicon()).derived(_build_rules)


__all__ = [
    "Quantity",
    "Rejected",
    "Rejection",
    "Rule",
    "SentenceTrace",
    "clause_words",
    "extract_candidates",
    "extract_sentence",
]
