"""The context stage: where, when, done or planned, and which headline indicator.

``add_context`` fills the context fields of every fact (docs/facts.md, "Context"):
``period`` and ``status`` from the time words of the fact's sentence, the sentences before
it and its section heading, resolved against the document's year; ``concept`` from the
headline indicator table (data/concepts.toml, ``Lexicon.concepts``); ``place`` from the
document's place, or the area its clause names as its subject. It also finds the
document's own date and place (title, occasion line, ``时间：`` line, file name). It never
drops a fact and changes no field extraction set.

The words it reads are data (data/context.toml); the regexes built from them are kept
with the lexicon (``Lexicon.derived``), built once per lexicon.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from .lexicon import Concept, Lexicon, bundled_table, load_lexicon, trie_pattern
from .models import Fact, SegmentedText, Sentence, Status
from .places import (
    COUNTRY,
    Division,
    PlaceMention,
    division_named,
    document_place_words,
    find_places,
    place_spans,
    place_words,
    province_of,
)

# ----------------------------------------------------------------------------- the rules


class _Span:
    """A time expression found in a text: where, and the years (and months) it names.

    One is made for each time word of each sentence read, and never changed: a plain
    class, whose ``__init__`` is compiled with the module (a dataclass's is written out
    when the module is imported and runs as Python).
    """

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        first: int,
        last: int,
        months: tuple[int, int] | None = None,
        target: bool = False,
        relative: bool = False,
        base: bool = False,
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.first = first
        self.last = last
        #: Months of a part of a year (1-11月, 上半年); the year is the one in scope.
        self.months = months
        #: A target date (到2030年): the period and status of what follows.
        self.target = target
        #: Names a span of several years relative to the document (五年来, “十四五”).
        self.relative = relative
        #: A comparison base (比2019年同期): the time of the figure it is compared with.
        self.base = base


# Built once and never compared or printed: no __repr__ or __eq__, whose code the
# dataclass machinery would otherwise write and compile at every start-up.
@dataclass(frozen=True, repr=False, eq=False)
class _Rules:
    """The compiled words of data/context.toml and of the lexicon's concepts."""

    time_re: re.Pattern[str]
    #: A text with none of these characters holds no time expression (年, 月, 季, 五): each
    #: tested with ``in``, which costs less than a call of a regex over a sentence. 年 and
    #: 月 first: most texts with a time word have one of them, and the test stops there.
    time_chars: tuple[str, ...]
    #: The most characters a match of ``time_re`` can span, or read from where it starts,
    #: when no two whitespace characters stand together (``_time_matches``).
    time_width: int
    averages_re: re.Pattern[str]
    running_re: re.Pattern[str]
    years_then_re: re.Pattern[str]
    change_words: tuple[str, ...]
    relative: dict[str, tuple[int, int]]
    plans: dict[str, tuple[int, int]]
    months: dict[str, tuple[int, int]]
    comparison_before: tuple[str, ...]
    #: The last characters of ``comparison_before`` and the first of ``not_time_after``.
    comparison_before_last: frozenset[str]
    end_after: tuple[str, ...]
    not_time_after: tuple[str, ...]
    not_time_after_first: frozenset[str]
    since_after: tuple[str, ...]
    #: Nouns of a document or meeting a time may date (今年的政府工作报告).
    document_nouns: tuple[str, ...]
    #: Words that may stand before a time opening a sentence (刚刚过去的2025年).
    opening_words: frozenset[str]
    #: Words after a plan named after a figure that make the figure its goal (目标).
    goal_after: tuple[str, ...]
    named_goal_re: re.Pattern[str]
    #: The characters ``named_goal_re`` can start with (左, 的, 目): a clause after a figure
    #: opening with none of them is not matched.
    named_goal_starts: frozenset[str]
    whole_words: tuple[str, ...]
    #: The interval, level and to words (in that order, each list longest first) by their
    #: last character, each with whether it says a level reached (the first list it stands
    #: in): read from a clause's end, the first found is the word nearest the figure.
    nearest_words: dict[str, tuple[tuple[str, bool], ...]]
    from_words: tuple[str, ...]
    #: The last characters of ``from_words``.
    from_words_last: frozenset[str]
    to_words: tuple[str, ...]
    annual_average: tuple[str, ...]
    target_words: tuple[str, ...]
    #: Marks that end an item of a list, and what opens a list of targets (``_advance_list``).
    list_item_end: tuple[str, ...]
    list_cue_re: re.Pattern[str]
    #: Bullet marks (data/structure.toml): a paragraph opening with one is a list item.
    bullets: tuple[str, ...]
    plan_headings: tuple[str, ...]
    review_headings: tuple[str, ...]
    not_target_before: str
    not_target_after: str
    concepts: tuple[Concept, ...]
    #: (wording, concept) pairs, longest wording first.
    wordings: tuple[tuple[str, Concept], ...]
    #: The (wording, concept) pairs of each base unit, longest wording first: a fact
    #: whose base unit no concept has is passed over at once.
    by_unit: dict[str, tuple[tuple[str, Concept], ...]]
    #: Every wording as one regex: an indicator it finds nothing in holds none of them,
    #: and the wordings of its base unit are not tried one by one.
    wording_re: re.Pattern[str]
    #: For each base unit, the tails of its wordings (of concepts of a level) and, for each
    #: tail, the (order, head, wording, concept) it is the tail of (``_shared_head``):
    #: an indicator is looked up by its beginnings instead of trying every cut of every
    #: wording. The order is that of ``by_unit``, a wording's longest tail first.
    tails: dict[str, dict[str, tuple[tuple[int, str, str, Concept], ...]]]
    #: For each base unit, the lengths its tails have, shortest first: the beginnings of an
    #: indicator of other lengths are not looked up.
    tail_sizes: dict[str, tuple[int, ...]]
    #: For each base unit, the first two characters of its tails of two or more: an
    #: indicator opening otherwise opens with none of them.
    tail_starts: dict[str, frozenset[str]]
    excluded_after: tuple[str, ...]
    per_person: tuple[str, ...]
    share_words: tuple[str, ...]
    milestone_sequence: tuple[str, ...]
    milestone_nouns: tuple[str, ...]
    milestone_counters: tuple[str, ...]
    milestone_pairing: tuple[str, ...]
    change_only: tuple[str, ...]
    #: The characters of ``change_only``: an indicator with any other (spaces aside) is not
    #: only those words.
    change_only_chars: frozenset[str]
    #: (wording, concept id) pairs that count only when they open the indicator.
    leading: frozenset[tuple[str, str]]
    leading_prefixes: frozenset[str]
    base_before: tuple[str, ...]
    #: The last characters of ``base_before`` and the first of ``rank_after``.
    base_before_last: frozenset[str]
    rank_after: tuple[str, ...]
    rank_after_first: frozenset[str]
    own_words: tuple[str, ...]
    #: The first characters of ``own_words`` (我, 全, 本): a sentence without any has none,
    #: and a word whose first character a sentence lacks is not looked for in it.
    own_chars: tuple[str, ...]
    #: ``own_words`` (in their order), each with its first character.
    own_words_first: tuple[tuple[str, str], ...]
    place_openers: frozenset[str]
    #: 整个都市圈, 该城市群: a zone named again by its kind alone (data/context.toml).
    zone_again_re: re.Pattern[str]
    #: The kinds ``zone_again_re`` names (都市圈, 湾区), and their last characters.
    zone_kinds: tuple[str, ...]
    zone_kind_last: frozenset[str]
    #: 约合, 折合: a value after one restates the value before it (data/words.toml).
    conversions: tuple[str, ...]
    #: The end of a clause before the X of 从X到Y (从, 由2020年的).
    from_end_re: re.Pattern[str]
    #: The characters a clause ``from_end_re`` finds something in ends with, spaces aside
    #: (从, 由, 年, 的): a clause ending otherwise is not searched.
    from_end_last: frozenset[str]
    #: The last character of the document words that name a province (全省, 我省).
    province_word_end: str


def _longest_first(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _alternatives(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words``, longest first."""
    return "|".join(map(re.escape, _longest_first(list(words))))


def _build_rules(lexicon: Lexicon) -> _Rules:
    """Return the compiled context rules of ``lexicon`` (kept with it: ``Lexicon.derived``)."""
    table = bundled_table("context")
    periods, review, status = table["periods"], table["review"], table["status"]
    # 都市圈, 城市群 …: the kinds of zones
    kinds = [*place_words()["zone_suffixes"], *table["places"]["zone_kinds"]]
    relative = {w: (int(a), int(b)) for w, a, b in periods["relative"]}
    plans = {w: (int(a), int(b)) for w, a, b in periods["plans"]}
    months = {w: (int(a), int(b)) for w, a, b in periods["months"]}
    # The words as tries (the longest that stands at a place, as a list longest first
    # would find): the engine tries the one branch of the character there, not every word.
    words = trie_pattern([*relative, *months])
    plan_names = trie_pattern(plans)
    ends = trie_pattern(periods["end_after"])
    # Every alternative below starts with one of these characters: the lookahead lets the
    # regex engine pass over the other positions at once instead of trying each alternative.
    openers = {"到", "至", "“", '"', *(w[0] for w in [*relative, *months, *plans])}
    gate = _time_gate([*relative, *months, *plans])
    time_re = re.compile(
        rf"(?=[\d{_char_class(openers)}]){gate}"
        # ``to`` matches nothing when there is no 到: an optional group would cost the engine
        # a repeat at every place it tries.
        rf"(?P<to>[到至]?)(?:(?P<y1>(?:19|20)\d\d)\s*(?:年\s*)?[-—–～~至到]\s*(?P<y2>(?:19|20)\d\d)年"
        rf"|(?P<year>(?:19|20)\d\d)\s?年(?:(?P<m1>\d{{1,2}})\s*[-—–～~至]\s*(?P<m2>\d{{1,2}})月)?"
        rf"|(?P<m3>\d{{1,2}})\s*[-—–～~至]\s*(?P<m4>\d{{1,2}})月"
        rf"|[“\"]?(?P<plan>{plan_names})[”\"]?(?P<end>{ends})?"
        rf"|(?<![\d〇零一二两三四五六七八九十百])(?P<word>{words}))"
    )
    if tuple(time_re.groupindex) != _TIME_GROUPS:  # the order _time_spans reads them in
        raise ValueError(f"time_re groups {tuple(time_re.groupindex)} are not {_TIME_GROUPS}")
    concepts = lexicon.concepts
    wordings = sorted(
        ((w, c) for c in concepts for w in (*c.wordings, *c.leading_wordings)),
        key=lambda pair: -len(pair[0]),
    )
    by_unit = {
        unit: tuple(pair for pair in wordings if unit in pair[1].base_units)
        for unit in {unit for concept in concepts for unit in concept.base_units}
    }
    averages = "|".join(re.escape(w) for w in _longest_first(periods["averages"]))
    running = "|".join(re.escape(w) for w in _longest_first(periods["running"]))
    words_of_time = [*relative, *months, *plans]
    time_chars = frozenset("年月") | {min(word, key=_rarity) for word in words_of_time}
    own_words = _longest_first(document_place_words())
    list_cues = [*(w for w in status["target"] if len(w) > 1), *status["list_openers"]]
    # The words of a change or count over an interval, and of a level reached.
    interval_words = _longest_first(review["interval"])
    level_words = _longest_first(review["level"])
    to_words = _longest_first(review["to_words"])
    # A verb of reaching (扩大至, 提高到) says a level, as the level words do; a word in two
    # lists is what the first says.
    nearest_words: dict[str, bool] = {}
    for listed, level in ((interval_words, False), (level_words, True), (to_words, True)):
        for word in listed:
            nearest_words.setdefault(word, level)
    nearest_by_last: dict[str, list[tuple[str, bool]]] = {}
    for word, level in nearest_words.items():
        nearest_by_last.setdefault(word[-1], []).append((word, level))
    return _Rules(
        time_re=time_re,
        time_chars=("年", "月", *sorted(time_chars - {"年", "月"})),
        time_width=_time_width(plans, periods["end_after"], [*relative, *months]),
        averages_re=re.compile(rf"(?P<n>{averages})年平均"),
        running_re=re.compile(rf"(?:{running})(?P<n>\d+|[一二三四五六七八九十]+)年"),
        years_then_re=re.compile(
            rf"(?<![\d〇零一二三四五六七八九十])(?P<n>\d{{1,2}}|[两二三四五六七八九十]+)年"
            rf"(?:{_alternatives(periods['years_then'])})"
        ),
        change_words=_longest_first(periods["change_after_base"]),
        relative=relative,
        plans=plans,
        months=months,
        comparison_before=_longest_first(periods["comparison_before"]),
        comparison_before_last=frozenset(word[-1] for word in periods["comparison_before"]),
        end_after=_longest_first(periods["end_after"]),
        not_time_after=_longest_first(periods["not_time_after"]),
        not_time_after_first=frozenset(word[0] for word in periods["not_time_after"]),
        since_after=_longest_first(periods["since_after"]),
        document_nouns=_longest_first(periods["document_nouns"]),
        goal_after=_longest_first(periods["goal_after"]),
        named_goal_re=re.compile(
            rf"(?:{_alternatives(periods['goal_lead'])}){{0,3}}"
            rf"(?:{_alternatives(periods['goal_after'])})"
        ),
        named_goal_starts=frozenset(
            word[0] for word in [*periods["goal_lead"], *periods["goal_after"]]
        ),
        opening_words=frozenset(periods["opening_words"]),
        whole_words=_longest_first(review["whole"]),
        nearest_words={last: tuple(words) for last, words in nearest_by_last.items()},
        from_words=_longest_first(review["from_words"]),
        from_words_last=frozenset(word[-1] for word in review["from_words"]),
        to_words=to_words,
        annual_average=_longest_first(review["annual_average"]),
        target_words=_longest_first(status["target"]),
        list_item_end=tuple(status["list_item_end"]),
        bullets=tuple(lexicon.structure.bullets),
        # The lookahead of the characters the cues start with, as in ``time_re``.
        list_cue_re=re.compile(
            rf"(?=[{_char_class(w[0] for w in list_cues)}])"
            rf"(?:(?:{_alternatives(w for w in status['target'] if len(w) > 1)})"
            rf"(?:{_alternatives(status['list_colon_links'])})?[：:]"
            rf"|{_alternatives(status['list_openers'])})"
        ),
        plan_headings=_longest_first(status["plan_headings"]),
        review_headings=_longest_first(status["review_headings"]),
        not_target_before="".join(status["not_target_before"]),
        not_target_after="".join(status["not_target_after"]),
        concepts=concepts,
        wordings=tuple(wordings),
        by_unit=by_unit,
        wording_re=re.compile(trie_pattern(wording for wording, _ in wordings)),
        tails={unit: _tails(pairs) for unit, pairs in by_unit.items()},
        tail_sizes={
            unit: tuple(sorted({len(tail) for tail in _tails(pairs)}))
            for unit, pairs in by_unit.items()
        },
        tail_starts={
            unit: frozenset(tail[:2] for tail in _tails(pairs) if len(tail) >= 2)
            for unit, pairs in by_unit.items()
        },
        excluded_after=_longest_first(table["concepts"]["excluded_after"]),
        per_person=_longest_first(table["concepts"]["per_person"]),
        share_words=_longest_first(table["concepts"]["share_words"]),
        milestone_sequence=_longest_first(table["concepts"]["milestone_sequence"]),
        milestone_nouns=_longest_first(table["concepts"]["milestone_nouns"]),
        milestone_counters=tuple(table["concepts"]["milestone_counters"]),
        milestone_pairing=_longest_first(table["concepts"]["milestone_pairing"]),
        change_only=_longest_first(table["concepts"]["change_only"]),
        change_only_chars=frozenset("".join(table["concepts"]["change_only"])),
        leading=frozenset((w, c.id) for c in concepts for w in c.leading_wordings),
        leading_prefixes=frozenset(["", *table["concepts"]["leading_prefixes"]]),
        base_before=_longest_first(table["places"]["base_before"]),
        base_before_last=frozenset(word[-1] for word in table["places"]["base_before"]),
        rank_after=_longest_first(table["places"]["rank_after"]),
        rank_after_first=frozenset(word[0] for word in table["places"]["rank_after"]),
        own_words=own_words,
        own_chars=tuple(sorted({word[0] for word in own_words})),
        own_words_first=tuple((word, word[0]) for word in own_words),
        place_openers=frozenset(["", *table["places"]["openers"]]),
        conversions=tuple(lexicon.words.conversions),
        zone_again_re=re.compile(
            rf"(?:{_alternatives(table['places']['zone_again'])})"
            rf"(?P<kind>{_alternatives(kinds)})"
        ),
        zone_kinds=_longest_first(kinds),
        zone_kind_last=frozenset(kind[-1] for kind in kinds),
        from_end_re=re.compile(
            rf"(?:{'|'.join(map(re.escape, _longest_first(review['from_words'])))})"
            r"(?:(?:19|20)\d\d年的?)?\s*$"
        ),
        from_end_last=frozenset(["年", "的", *(word[-1] for word in review["from_words"])]),
        province_word_end=str(table["places"]["province_word_end"]),
    )


def _time_gate(words: Iterable[str]) -> str:
    """Return the second lookahead of ``time_re``: the first two characters one of its
    alternatives can start with (到, a quote, 19 or 20, a month range, 一季, 上半 …).

    Most of the places the first lookahead lets in are digits of figures (5.5%) and common
    characters (一, 上, 十), where a failed try of the alternatives costs the engine about
    2,000 instructions; each branch here opens with a character the engine tests at once.
    """
    heads = trie_pattern(sorted({word[:2] for word in words}))
    return rf"(?=[到至“\"]|19|20|\d\d?\s*[-—–～~至]|{heads})"


#: The widest match of the numeric alternatives of ``time_re`` when no two whitespace
#: characters stand together: 到2021 年 - 2025年 and 到2025 年11 - 12月, 到 and a year's
#: four digits then ten characters more.
_NUMERIC_TIME_WIDTH: Final = 15


def _time_width(plans: Iterable[str], ends: Iterable[str], words: Iterable[str]) -> int:
    """Return the widest match of ``time_re`` when no two whitespace characters stand
    together: a numeric one, a plan (到“十四五”末 …: to, quotes and an end word) or a word
    after 到."""
    longest_plan = max(map(len, plans), default=0) + 2 + max(map(len, ends), default=0)
    return max(_NUMERIC_TIME_WIDTH, 1 + longest_plan, 1 + max(map(len, words), default=0))


def _tails(
    pairs: Iterable[tuple[str, Concept]],
) -> dict[str, tuple[tuple[int, str, str, Concept], ...]]:
    """Return the tails of the wordings of ``pairs`` (of concepts of a level, not growth),
    each with the (order, head, wording, concept) it ends: 总产量 → 粮食 of 粮食总产量."""
    table: dict[str, list[tuple[int, str, str, Concept]]] = {}
    order = 0
    for wording, concept in pairs:
        if concept.growth:
            continue
        for cut in range(1, len(wording) - 1):
            table.setdefault(wording[cut:], []).append((order, wording[:cut], wording, concept))
            order += 1
    return {tail: tuple(entries) for tail, entries in table.items()}


def _char_class(chars: Iterable[str]) -> str:
    """Return the inside of a regex character class of ``chars`` (``[`` and ``]`` left out)."""
    return "".join(re.escape(char) for char in sorted(chars))


def _rarity(char: str) -> int:
    """Order the characters of a time word: those most time words share first (年, 月, 季,
    五 of the plans), so that few characters tell a text with no time word."""
    return 0 if char in "年月季五" else 1


#: The groups of ``_Rules.time_re``, in order, and the position of each in its groups().
_TIME_GROUPS: Final = ("to", "y1", "y2", "year", "m1", "m2", "m3", "m4", "plan", "end", "word")
# Final: compiled, each is read from a C static, not looked up in the module's dict.
_TO: Final = _TIME_GROUPS.index("to")
_Y1: Final = _TIME_GROUPS.index("y1")
_Y2: Final = _TIME_GROUPS.index("y2")
_YEAR: Final = _TIME_GROUPS.index("year")
_M1: Final = _TIME_GROUPS.index("m1")
_M2: Final = _TIME_GROUPS.index("m2")
_M3: Final = _TIME_GROUPS.index("m3")
_M4: Final = _TIME_GROUPS.index("m4")
_PLAN: Final = _TIME_GROUPS.index("plan")
_END: Final = _TIME_GROUPS.index("end")
_WORD: Final = _TIME_GROUPS.index("word")


def _time_spans(text: str, year: int | None, rules: _Rules) -> list[_Span]:
    """Return the time expressions of ``text`` (comparison bases left out).

    Relative words need the document's ``year``; without it they are left out.
    """
    spans: list[_Span] = []
    for char in rules.time_chars:
        if char in text:
            break
    else:
        return spans
    for match in _time_matches(text, rules):
        # The groups in one call, by position (``_TIME_GROUPS``): a call of ``group`` each
        # would cost more than the rest of the work on a time word.
        start, end = match.span()
        groups: tuple[str | None, ...] = match.groups()
        # The character next to the time first, as in ``_is_base``.
        base = (
            start > 0
            and text[start - 1] in rules.comparison_before_last
            and text[max(0, start - 2) : start].endswith(rules.comparison_before)
        )
        if (
            end < len(text)
            and text[end] in rules.not_time_after_first
            and text.startswith(rules.not_time_after, end)
        ):
            continue
        found = text[start:end]
        # 到2030年 opens a target date; 提高到2025年的 is the year of a level reached.
        target = bool(groups[_TO]) and (start == 0 or not text[start - 1].isalpha())
        year_text = groups[_YEAR]
        if base and year_text:
            y = int(year_text)
            spans.append(_Span(start, end, found, y, y, base=True))
            continue
        if base:
            continue
        y1, y2, m1, m2 = groups[_Y1], groups[_Y2], groups[_M1], groups[_M2]
        m3, m4, plan = groups[_M3], groups[_M4], groups[_PLAN]
        if y1 and y2:
            first, last = int(y1), int(y2)
            if last < first:
                continue
            spans.append(_Span(start, end, found, first, last, target=target))
        elif year_text:
            y = int(year_text)
            months = None
            if m1 and m2:
                months = (int(m1), int(m2))
                if not 1 <= months[0] <= months[1] <= 12:
                    months = None
            spans.append(_Span(start, end, found, y, y, months=months, target=target))
        elif m3 and m4:
            months = (int(m3), int(m4))
            if 1 <= months[0] <= months[1] <= 12:
                _add_months(spans, _Span(start, end, found, 0, 0, months=months))
        elif plan:
            first, last = rules.plans[plan]
            since = text.startswith(rules.since_after, end)
            if since and year is not None and first < year <= last:
                last = year - 1  # “十四五”以来 in a report of 2024: 2021/2023
            if groups[_END]:
                first = last
            spans.append(_Span(start, end, found, first, last, target=target, relative=True))
        else:
            word = groups[_WORD] or ""
            if word in rules.months:
                _add_months(spans, _Span(start, end, word, 0, 0, months=rules.months[word]))
            elif year is not None:
                a, b = rules.relative[word]
                spans.append(_Span(start, end, word, year + a, year + b, relative=a != b or a != 0))
    return spans


def _time_matches(text: str, rules: _Rules) -> list[re.Match[str]]:
    """Return the matches of ``rules.time_re`` in ``text``, as its ``finditer`` gives them.

    A long text is searched only around the characters of ``rules.time_chars``, one of
    which every time expression holds (年, 月, 季, 五): the engine's try at each position
    costs more than finding those characters, and most of a text is far from them. A match
    holding one at ``at`` starts after ``at - width`` and reads nothing from ``at + width``
    on (``width``: ``rules.time_width``), so searching the windows around them, joined
    where they meet, finds the same matches. That width holds when no two whitespace
    characters stand together; a text where some do is searched whole.
    """
    finditer = rules.time_re.finditer
    width = rules.time_width
    if len(text) <= _WINDOWED_FROM * width or not _single_spaced(text):
        return list(finditer(text))
    positions: list[int] = []
    for char in rules.time_chars:
        at = text.find(char)
        while at >= 0:
            positions.append(at)
            at = text.find(char, at + 1)
    positions.sort()
    matches: list[re.Match[str]] = []
    start, end = 0, -1  # the window being joined; none yet
    for at in positions:
        if at - width >= end:
            if end >= 0:
                matches.extend(finditer(text, start, end))
            start = max(0, at - width + 1)
        end = at + width + 1
    if end >= 0:
        matches.extend(finditer(text, start, min(end, len(text))))
    return matches


#: How many times ``_Rules.time_width`` a text must be long to be searched in windows.
_WINDOWED_FROM: Final = 4


def _single_spaced(text: str) -> bool:
    """Return whether no two whitespace characters of ``text`` stand together: then its
    whitespace characters are as many as the gaps ``str.split`` splits at."""
    words = text.split()
    gaps = len(words) - 1 + text[:1].isspace() + text[-1:].isspace()
    return len(text) - sum(map(len, words)) == gaps


def _add_months(spans: list[_Span], span: _Span) -> None:
    """Append a part of a year to ``spans``, joined to the year right before it (去年1-11月)."""
    if spans:
        previous = spans[-1]
        if previous.end == span.start and previous.first == previous.last and previous.first:
            text = previous.text + span.text
            spans[-1] = _Span(
                previous.start, span.end, text, previous.first, previous.last, months=span.months
            )
            return
    spans.append(span)


def _period_text(first: int, last: int, months: tuple[int, int] | None = None) -> str:
    # A report names few periods, each for many facts: each text is made once.
    if not (0 <= first < _YEARS and 0 <= last < _YEARS):
        return _make_period_text(first, last, months)
    # One integer for the key (a tuple would be made and hashed at every call); those of
    # parts of years are negative, apart from those of whole years.
    key = first * _YEARS + last
    if months is not None:
        key = -1 - (key * _MONTHS + months[0]) * _MONTHS - months[1]
    text = _PERIOD_TEXTS.get(key)
    if text is None:
        if len(_PERIOD_TEXTS) >= _PERIOD_TEXTS_KEPT:
            _PERIOD_TEXTS.clear()
        text = _PERIOD_TEXTS[key] = _make_period_text(first, last, months)
    return text


def _make_period_text(first: int, last: int, months: tuple[int, int] | None) -> str:
    # str.zfill, not a format spec: the same digits for the years of a text, made cheaper.
    start, end = str(first).zfill(4), str(last).zfill(4)
    if months is not None:
        return f"{start}-{str(months[0]).zfill(2)}/{end}-{str(months[1]).zfill(2)}"
    if first == last:
        return start
    return f"{start}/{end}"


#: The texts ``_period_text`` made, by years and months; cleared when it holds this many.
_PERIOD_TEXTS: Final[dict[int, str]] = {}
#: Bounds of a year and of a month number in the keys of ``_PERIOD_TEXTS``: a period of other
#: years is made each time (months are 1 to 12).
_YEARS: Final = 10_000
_MONTHS: Final = 100
_PERIOD_TEXTS_KEPT: Final = 4096


# ----------------------------------------------------------------------------- document


#: The occasion line of a report: ——2026年1月27日在…会议上.
_OCCASION_RE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日在")
#: The same date in Chinese numerals, as some reports print it: ——二〇二六年一月二十七日在….
_OCCASION_CN_RE = re.compile(
    r"([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日在"
)
#: A web page's date line: 时间：2026-02-05, 发表时间：\n2026-02-09 09:45.
_DATE_LINE_RE = re.compile(r"(?:时间|日期)[:：]\s*((?:19|20)\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")
_BODY_DATE_RE = re.compile(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日")
_YEAR_RE = re.compile(r"((?:19|20)\d\d)年")
_FILE_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
#: Characters of the start of a text searched for the document's date.
_HEAD_CHARS: Final = 600


def _iso(year: str, month: str, day: str) -> str | None:
    m, d = int(month), int(day)
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    return f"{int(year):04d}-{m:02d}-{d:02d}"


def document_date(
    segmented: SegmentedText, doc_id: str, *, removed: Sequence[str] = ()
) -> tuple[str | None, str | None]:
    """Return the document's date (ISO date or year) and where it was read from.

    The occasion line (——2026年1月27日在…会议上), a ``时间：`` line (kept or dropped as
    page furniture), the title's year, a date near the start of the body, the file name;
    (None, None) when none gives one.

    >>> from extract.pipeline import extract_text
    >>> document = extract_text("2026年江西省政府工作报告\\n各位代表：\\n地区生产总值增长5%。")
    >>> document.date, document.date_from
    ('2026', 'title')
    """
    head = segmented.clean.text[:_HEAD_CHARS]
    # Each pattern is tried only where a word it cannot match without stands: ``in`` costs
    # a small part of a search, which tries the pattern at each digit.
    occasion = "日在" in head
    if occasion and (match := _OCCASION_RE.search(head)):
        if iso := _iso(*match.groups()):
            return iso, "occasion line"
    if occasion and (match := _OCCASION_CN_RE.search(head)):
        year = "".join(str(_CHINESE_DIGITS.get(c, 0)) for c in match.group(1))
        month, day = _small_number(match.group(2)), _small_number(match.group(3))
        if month and day and (iso := _iso(year, str(month), str(day))):
            return iso, "occasion line"
    for text in (head, "\n".join(removed)):
        if ("时间" in text or "日期" in text) and (match := _DATE_LINE_RE.search(text)):
            if iso := _iso(*match.groups()):
                return iso, "date line"
    if segmented.title and (match := _YEAR_RE.search(segmented.title)):
        return match.group(1), "title"
    if "日" in head and (match := _BODY_DATE_RE.search(head)):
        if iso := _iso(*match.groups()):
            return iso, "body"
    if match := _FILE_YEAR_RE.search(doc_id.rsplit("/", 1)[-1]):
        return match.group(1), "file name"
    return None, None


#: Words of the lines that open a report and name its place: the occasion line (…会议上)
#: and the speaker's office (江西省省长, 自治区人民政府主席).
_OCCASION_WORDS = ("会议上", "大会上")
_OFFICE_WORDS = ("省长", "市长", "县长", "区长", "主席", "州长", "盟长", "旗长")
#: Paragraphs of the start of a report read for its place (occasion line, office, 我市).
_HEAD_PARAGRAPHS: Final = 12
#: Paragraphs of the start of a report where 我市/全省 and the place named with them count.
_OPENING_PARAGRAPHS: Final = 5
#: The longest short name tried when a report names its place only in passing (永康).
_LONGEST_NAME: Final = 4


def document_place(
    segmented: SegmentedText, doc_id: str
) -> tuple[Division | None, str | None, str | None]:
    """Return the division a document is about, its name, and where it was read from.

    The title, the occasion line, the speaker's office, the first lines when they say
    我市/全省 and name a division, the file name; then the country (no division) for a
    national document (data/places.toml); (None, None, None) when none names one.
    """
    if segmented.title:
        # One search of the title for both questions.
        in_title = find_places(segmented.title)
        division = _government_division(segmented.title, in_title) or _first_division(
            segmented.title, in_title
        )
        if division is not None:
            return division, division.name, "title"
    head = [p.text for p in segmented.paragraphs[:_HEAD_PARAGRAPHS]]
    head_text = "\n".join(head)  # one search for a word in any line, before line by line
    for words, source in ((_OCCASION_WORDS, "occasion line"), (_OFFICE_WORDS, "speaker's office")):
        if not any(word in head_text for word in words):
            continue
        for line in head:
            if any(word in line for word in words):
                division = _first_division(_dateline_re().sub("", line))
                if division is not None:
                    return division, division.name, source
    opening = "\n".join(head[:_OPENING_PARAGRAPHS])
    own = [word for word in document_place_words() if word in opening]
    if own:
        division = _named_most(opening, own)
        if division is not None:
            return division, division.name, "first lines"
    parts = regex_split_name(doc_id)
    division = _first_division(" ".join(parts))
    if division is not None:
        return division, division.name, "file name"
    lists = place_words()
    if any(part in lists["country"] for part in parts):
        return None, COUNTRY, "file name"
    national = lists["national"]
    if segmented.title and any(word in segmented.title for word in national):
        return None, COUNTRY, "title"
    if any(word in head_text for word in national):
        return None, COUNTRY, "first lines"
    return None, None, None


@lru_cache(maxsize=1)
def _dateline_re() -> re.Pattern[str]:
    """Return the pattern of a news dateline (新华社北京3月13日电), data/context.toml."""
    return re.compile(bundled_table("context")["places"]["dateline"])


def regex_split_name(doc_id: str) -> list[str]:
    """Return the parts of a file name between its separators (2026_江西省_报告 → 江西省)."""
    return [part for part in re.split(r"[_\-/. ]+", doc_id) if part]


def _first_division(text: str, found: list[PlaceMention] | None = None) -> Division | None:
    """Return the first division ``text`` names (not as a facility), or the one right after
    it when that lies inside it: 陕西咸阳市第九届人民代表大会 is 咸阳市's congress. ``found``:
    the places of ``text`` when already searched for."""
    if found is None:
        found = find_places(text)
    mentions = [m for m in found if m.division is not None and m.facility is None]
    if not mentions:
        return None
    first = mentions[0].division
    if len(mentions) > 1 and mentions[1].start == mentions[0].end:
        inner = mentions[1].division
        if inner is not None and inner != first and province_of(inner.code) == first:
            return inner
    return first


def _government_division(title: str, found: list[PlaceMention]) -> Division | None:
    """Return the division whose government a title names (黔西南州人民政府工作报告), or None;
    ``found``: the places of the title."""
    government = tuple(place_words()["government"])
    for mention in found:
        if mention.division is not None and title.startswith(government, mention.end):
            return mention.division
    return None


def _named_most(text: str, own: list[str]) -> Division | None:
    """Return the division ``text`` names most often at the level its 我市/全省 words name
    (a county's short name too: 品质活力永康 in a 永康 paper)."""
    ends = {word[-1] for word in own}
    counts: dict[str, tuple[int, Division]] = {}
    for mention in place_spans(text):
        division = mention.division
        if division is not None and mention.facility is None and division.name[-1] in ends:
            n, _ = counts.get(division.code, (0, division))
            counts[division.code] = (n + 1, division)
    if not counts:
        for start in range(len(text)):
            for size in range(2, _LONGEST_NAME + 1):
                name = text[start : start + size]
                if not name.isalpha():
                    break  # a longer name from here holds the same mark
                # The look-up first: few names are divisions, and it costs less than
                # the test of the document's own words.
                division = division_named(name)
                if (
                    division is None
                    or division.name[-1] not in ends
                    or division.level == "province"
                    or any(w in name for w in own)
                ):
                    continue
                n, _ = counts.get(division.code, (0, division))
                counts[division.code] = (n + 1, division)
    if not counts:
        return None
    return max(counts.values(), key=lambda item: item[0])[1]


# ----------------------------------------------------------------------------- facts


@dataclass
class Context:
    """The document-wide context the facts are read against."""

    year: int | None
    place: str | None
    place_code: str | None = None
    #: Why each fact got its context, when asked (explain): one list per fact.
    reasons: list[list[str]] | None = None


@dataclass
class _Scope:
    """The time in force: set by a section heading, changed by a sentence's opening words."""

    span: _Span | None = None
    source: str = ""
    plan_section: bool | None = None
    heading: str = ""
    #: The time the last heading that named one set, and its source: what a section
    #: whose heading names none goes back to.
    heading_span: _Span | None = None
    heading_source: str = ""
    #: The words that opened a list of targets still under way, and its paragraph.
    target_list: str = ""
    target_list_paragraph: int = -1
    #: The plan word of the sentence whose opening time ``span`` is, when that time is not
    #: past (2026年，某省将…; in a report of 2026): what follows under it is planned too.
    plan_word: str = ""


def _section_kind(heading: str, spans: list[_Span], year: int | None, rules: _Rules) -> bool | None:
    """Return True for a section of plans, False for a review, None when it says neither."""
    if any(w in heading for w in rules.review_headings):
        return False
    if any(w in heading for w in rules.plan_headings):
        return True
    if year is not None and spans and spans[0].first >= year and spans[0].months is None:
        return True
    if year is not None and spans and spans[0].last < year:
        return False
    return None


#: The marks that end a clause.
_CLAUSE_MARKS: Final = ("，", "；", "：", "。", ",", ";", ":")


def _clause_end(text: str, position: int) -> int:
    """Return where the clause holding ``position`` ends (at ，；：。 or the text end)."""
    return _end_among(_clause_marks(text), position, len(text))


def _clause_start(text: str, position: int) -> int:
    """Return where the clause holding ``position`` starts (after ，；：。 or the text start)."""
    return _start_among(_clause_marks(text), position)


def _bisect_right(values: list[int], x: int) -> int:
    """Return where ``x`` goes in the sorted ``values``, after any equal to it: what
    ``bisect.bisect_right`` returns. Compiled with the module, a call of it costs less than
    one of the builtin, which compares boxed integers; the stage makes one or more a fact.

    >>> _bisect_right([1, 3, 3, 7], 3), _bisect_right([1, 3, 3, 7], 0), _bisect_right([], 5)
    (3, 0, 0)
    """
    low, high = 0, len(values)
    while low < high:
        middle = (low + high) // 2
        if x < values[middle]:
            high = middle
        else:
            low = middle + 1
    return low


def _end_among(marks: list[int], position: int, length: int) -> int:
    """Return ``_clause_end`` of a text of ``length`` whose clause marks are ``marks``."""
    index = _bisect_right(marks, position - 1)
    return marks[index] if index < len(marks) else length


def _start_among(marks: list[int], position: int) -> int:
    """Return ``_clause_start`` in a text whose clause marks are ``marks``."""
    index = _bisect_right(marks, position - 1)
    return marks[index - 1] + 1 if index else 0


def _clause_marks(text: str) -> list[int]:
    """Return the offsets of the clause marks of ``text`` (kept for the sentences at hand).

    The lists are kept in a dict, emptied when it holds ``_MARKS_KEPT``: compiled, a look-up
    there costs less than a call through ``functools.lru_cache``, and the stage asks for
    the marks of a sentence several times a fact.
    """
    marks = _MARKS_OF.get(text)
    if marks is None:
        if len(_MARKS_OF) >= _MARKS_KEPT:
            _MARKS_OF.clear()
        marks = _MARKS_OF[text] = _find_clause_marks(text)
    return marks


#: The clause marks of the texts ``_clause_marks`` was asked about, and how many it keeps.
_MARKS_OF: Final[dict[str, list[int]]] = {}
_MARKS_KEPT: Final = 256


def _find_clause_marks(text: str) -> list[int]:
    """Return the offsets of the clause marks of ``text``, in order."""
    # Each mark found with str.find, which runs through the text in C; a regex would stop
    # at every character.
    marks: list[int] = []
    for mark in _CLAUSE_MARKS:
        at = text.find(mark)
        while at >= 0:
            marks.append(at)
            at = text.find(mark, at + 1)
    marks.sort()
    return marks


def _has_target_word(text: str, rules: _Rules) -> str | None:
    """Return the first of ``rules.target_words`` (in their order) that ``text`` holds as a
    plan word: one of two characters or more anywhere, 将 or 要 not inside a word that is
    none (将近, 要素, 主要, 需要)."""
    for word in rules.target_words:
        at = text.find(word)
        while at >= 0:
            if len(word) > 1:
                return word
            before = text[at - 1 : at]
            after = text[at + 1 : at + 2]
            if (not before or before not in rules.not_target_before) and (
                not after or after not in rules.not_target_after
            ):
                return word
            at = text.find(word, at + 1)
    return None


def _review_period(
    span: _Span, clause: str, rules: _Rules, *, explain: bool = True
) -> tuple[int, int, str]:
    """Return the years a fact in a span of several years is about, and the rule that said so
    (with ``explain`` only: "" otherwise).

    ``clause`` is the text of the fact's clause up to its number.
    """
    stripped = clause.rstrip()
    # A tuple of words tried in one call first; the loops below name the word that ends it.
    if stripped.endswith(rules.to_words) and any(w in clause for w in rules.from_words):
        for word in rules.to_words:
            if stripped.endswith(word):
                why = f"the Y of 从X{word}Y: the last year" if explain else ""
                return span.last, span.last, why
    if stripped.endswith(rules.from_words):
        for word in rules.from_words:
            if stripped.endswith(word):
                why = f"the X of {word}X到Y: the year before" if explain else ""
                return span.first - 1, span.first - 1, why
    part = clause[clause.rfind("、") + 1 :]
    for word in rules.whole_words:
        if word in part:
            why = f"“{word}”: a total, average or bound over it" if explain else ""
            return span.first, span.last, why
    # Otherwise the word nearest the number decides: a change or a count over the
    # interval, or a level reached in its last year; of two that end at the same place, the
    # first of the lists.
    for end in range(len(clause), 0, -1):
        for word, level in rules.nearest_words.get(clause[end - 1], ()):
            if end < len(word) or not clause.startswith(word, end - len(word)):
                continue
            if level:
                return span.last, span.last, (
                    f"“{word}”: a level reached in the last year" if explain else ""
                )
            return span.first, span.last, (
                f"“{word}”: a change or count over the interval" if explain else ""
            )
    return span.first, span.last, "a figure of the whole interval"


def _concept(
    indicator: str,
    base_unit: str,
    several_years: bool,
    clause: str,
    rules: _Rules,
    rest: str = "",
    opening: str = "",
    *,
    mention: str = "",
    explain: bool = True,
) -> tuple[str | None, str]:
    """Return the concept id of a fact of ``indicator`` and ``base_unit`` (None: no
    headline indicator) and why (with a concept and no ``explain``: "").

    ``rest`` is the rest of its clause after the mention, ``opening`` the first clause of
    its sentence when that is not its own.
    """
    candidates = rules.by_unit.get(base_unit, ())
    if (
        candidates
        and clause.rstrip()[-1:] in rules.from_end_last
        and (match := rules.from_end_re.search(clause))
    ):
        # 从5.6万元增至7.8万元: the X is where a change started, restated as its base; the
        # level the text reports is the Y.
        return None, f"“{match.group(0)}” before it: the starting point of a change, no concept"
    if candidates and indicator.rsplit("、", 1)[-1].endswith(rules.per_person):
        return _per_person(clause, candidates, rules)
    if candidates and not rules.wording_re.search(indicator):
        # no wording in the indicator
        return _shared_head(indicator, base_unit, clause, rules, opening)
    if candidates and mention and _counts_steps(mention, rest, rules):
        return None, "a count of steps passed (…个…台阶): no level, no concept"
    for wording, concept in candidates:
        at = indicator.find(wording)
        if at < 0:
            continue
        before = indicator[:at]
        if before.endswith(concept.excluded_before):
            continue
        if (wording, concept.id) in rules.leading and before not in rules.leading_prefixes:
            continue
        after = indicator[at + len(wording) :]
        if any(w in after for w in rules.excluded_after):
            continue
        if any(w in indicator for w in rules.share_words):
            return None, f"“{wording}” with a share word: a part of it, no concept"
        reached = clause.rstrip().endswith(rules.to_words) or after.endswith(rules.to_words)
        if not concept.growth and not reached and any(w in after for w in rules.change_words):
            return None, f"“{wording}” then a change word: a change of the level, no concept"
        if not concept.growth and (word := _milestone_list(clause, rest, rules)):
            return None, f"one of a list of milestones passed (“{word}”): no level, no concept"
        if concept.growth and several_years:
            if "平均" not in clause and "平均" not in indicator and "年均" not in indicator:
                return None, f"“{wording}” over several years without 年均: no concept"
        elif concept.growth and any(word in indicator for word in rules.annual_average):
            # 年均增长8.4% where no span of years is known: the average of years the text
            # names elsewhere, never the change of the one year its period falls back to
            return None, f"“{wording}” averaged over years its period does not span: no concept"
        if not explain:
            return concept.id, ""
        return concept.id, f"wording “{wording}” in the indicator, base unit {base_unit}"
    if not candidates:
        return None, ""
    return _shared_head(indicator, base_unit, clause, rules, opening)


def _per_person(
    clause: str, candidates: Sequence[tuple[str, Concept]], rules: _Rules
) -> tuple[str | None, str]:
    """Return the concept of a figure listed as 人均 after a level (全省GDP突破12万亿元、人均达
    14.3万元): the one worded 人均 + the level's wording named before it in ``clause``."""
    for word in rules.per_person:
        at = clause.rfind(word)
        if at < 0:
            continue
        head = clause[:at]
        for wording, concept in candidates:
            if wording.startswith(word) and wording[len(word) :] in head:
                return concept.id, f"“{word}” after “{wording[len(word) :]}” in its clause"
    return None, "a per-person figure of a level with no per-person concept: no concept"


def _counts_steps(mention: str, rest: str, rules: _Rules) -> bool:
    """Return whether a value counts the steps passed (连跨两个万亿元台阶): a measure word
    of counting in its mention, a step noun right after it."""
    return any(c in mention for c in rules.milestone_counters) and any(
        noun in rest[: len(noun) + _STEP_NOUN_REACH] for noun in rules.milestone_nouns
    )


#: Characters between a counted value and its step noun (大台阶, 级台阶).
_STEP_NOUN_REACH: Final = 1


#: A value after the mention, in the same list: 、8万亿, 和3万亿元.
_NEXT_VALUE_RE: Final = re.compile(r"\s*[、和及]\s*[\d一二三四五六七八九十两]")


def _milestone_list(clause: str, rest: str, rules: _Rules) -> str | None:
    """Return the word that makes the value between ``clause`` and ``rest`` one of a list of
    milestones passed (连续跨越7万亿、8万亿、9万亿三个大台阶), or None."""
    if not (clause.rstrip().endswith(("、", "和", "及")) or _NEXT_VALUE_RE.match(rest)):
        return None
    if any(word in clause for word in rules.milestone_pairing):
        return None
    for word in rules.milestone_sequence:
        if word in clause:
            return word
    for word in rules.milestone_nouns:
        if word in rest:
            return word
    return None


def _shared_head(
    indicator: str, base_unit: str, clause: str, rules: _Rules, opening: str = ""
) -> tuple[str | None, str]:
    """Return the concept of an indicator that names only the tail of a wording whose head
    opens its clause or its sentence: 粮食播种面积1584.6万亩、总产量132.4亿斤 and
    粮食播种面积稳定在5600万亩，总产量达到430亿斤 → 总产量 of 粮食."""
    listed = clause[: clause.find("、")] if "、" in clause else ""
    # The sentence's first clause counts only when the fact's own clause opens with it.
    if not indicator or not clause.lstrip().startswith(indicator[:2]):
        opening = ""
    if not listed and not opening:
        return None, ""
    tails = rules.tails.get(base_unit)
    if not tails or indicator[:2] not in rules.tail_starts[base_unit]:
        return None, ""
    # The wordings whose tail opens the indicator, in the order of ``rules.by_unit``.
    found: list[tuple[int, str, str, Concept]] = []
    for size in rules.tail_sizes[base_unit]:
        if size < 2:
            continue
        if size > len(indicator):
            break
        entries = tails.get(indicator[:size])
        if entries:
            found.extend(entries)
    found.sort(key=_first)
    for _, head, wording, concept in found:
        tail = wording[len(head) :]
        if listed and head in listed:
            return concept.id, f"“{tail}” after “{head}” opening its clause: “{wording}”"
        if opening and any(opening.startswith(p + head) for p in rules.leading_prefixes):
            return concept.id, f"“{tail}” after “{head}” opening its sentence: “{wording}”"
    return None, ""


def _first(entry: tuple[int, str, str, Concept]) -> int:
    return entry[0]


def add_context(
    facts: list[Fact],
    segmented: SegmentedText,
    *,
    doc_id: str,
    lexicon: Lexicon | None = None,
    year: int | None,
    place: str | None,
    place_code: str | None = None,
    reasons: list[list[str]] | None = None,
) -> list[Fact]:
    """Return ``facts`` with place, place_code, period, status and concept filled.

    ``year`` is the document's year (None: relative words give no period); ``place`` the
    document's place. With ``reasons``, one list of the rules applied per fact is appended.
    """
    lexicon = lexicon or load_lexicon()
    rules = lexicon.derived(_build_rules)
    sentences = segmented.sentences
    # The fields of the sentences and sections, read once: a field of a model read again
    # for each fact costs more than a look-up in a list. A sentence's four are read from its
    # dict, whose one look-up costs less than four attribute reads of a pydantic model.
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    kinds: list[str] = []
    for model in sentences:
        values = model.__dict__
        starts.append(values["start"])
        ends.append(values["end"])
        texts.append(values["text"])
        kinds.append(values["kind"])
    sections = segmented.sections
    section_starts = [s.start for s in sections]
    section_ends = [s.end for s in sections]
    headings = [s.heading for s in sections]
    # Scope at the start of each sentence, computed lazily in reading order.
    scope = _Scope()
    scanned = 0  # sentences whose opening words updated the scope
    spans_of: dict[int, list[_Span]] = {}
    places_of: dict[int, list[_Place]] = {}
    #: Whether a place of each sentence is a zone (深圳都市圈): only then can one be named
    #: again by its kind (整个都市圈).
    zones_of: dict[int, bool] = {}
    #: The subject a sentence with facts opened with, and its paragraph: later sentences of
    #: the paragraph that name none keep it (2021年，江苏第一产业…；第二产业…).
    carried: tuple[int, _Place] | None = None
    text_all = segmented.clean.text
    #: The year the text is about (``_topic_year``), found when a fact first needs it.
    topic: list[_Span | None] | None = None

    fact_starts: list[int] = [f.__dict__["start"] for f in facts]

    numbers_of: dict[int, list[int]] = {}
    out: list[Fact] = []

    #: The start, base unit and indicator of the last fact done.
    #: The start (-1: none yet), base unit, indicator and place of the last fact done: plain
    #: variables, where a tuple would be one more object made for each fact.
    previous_start, previous_unit, previous_indicator = -1, "", ""
    previous_place: str | None = None
    previous_code: str | None = None
    #: The heading of the section last looked up, and the offsets it holds for.
    heading, section_from, section_to = "", 0, -1

    #: Why each fact got its context is put into words only when asked (explain): the
    #: texts would cost more than the rest of the work on most facts.
    explain = reasons is not None
    for number, fact in enumerate(facts):
        why: list[str] = []
        fact_start = fact_starts[number]
        # The fields read from the model's dict: cheaper than its attributes (see _with_context).
        fields = fact.__dict__
        indicator: str = fields["indicator"]
        base_unit: str = fields["base_unit"]
        index = _bisect_right(starts, fact_start) - 1
        sentence: Sentence | None = sentences[index] if index >= 0 else None
        # Advance the scope over the sentences before this one, then into its section.
        while scanned < index:
            at = starts[scanned]
            if not section_from <= at < section_to:
                heading, section_from, section_to = _section_around(
                    section_starts, section_ends, headings, at
                )
            _enter(scope, heading, year, rules)
            done_text, done_kind = texts[scanned], kinds[scanned]
            opening = spans_of.get(scanned)
            if opening is None:
                opening = _time_spans(done_text[:_OPENING_TEXT], year, rules)
            _advance(scope, done_text, done_kind, opening, year, rules)
            if scope.target_list or done_text.rstrip().endswith(rules.list_item_end):
                paragraph = text_all.rfind("\n", 0, at)
                bulleted = text_all.startswith(rules.bullets, paragraph + 1)
                cue = _advance_list(scope, done_text, done_kind, paragraph, bulleted, rules)
                if cue > 0:
                    # 某省2026年主要预期目标是：…；…: the time the cue's clause names dates
                    # every item of the list, after its ； too.
                    done_spans = spans_of.get(scanned)
                    if done_spans is None:
                        done_spans = spans_of[scanned] = _time_spans(done_text, year, rules)
                    dated = [
                        s
                        for s in done_spans
                        if not s.base and s.end <= cue and (s.first or s.months is None)
                    ]
                    if dated:
                        scope.span = dated[-1]
                        scope.plan_word = ""
                        scope.source = f"“{dated[-1].text}” in the clause opening the list"
            if scanned in places_of:
                numbers = _numbers_in(numbers_of, fact_starts, scanned, at, ends[scanned])
                opener = _last_opener(places_of[scanned], done_text, numbers, rules)
                if opener is not None:
                    carried = (text_all.rfind("\n", 0, at), opener)
                elif places_of[scanned]:
                    carried = None
            elif place is None and done_kind != "heading":
                # Without a place of its own, a text's topic is the place a sentence
                # opens with, figure or not (山东省统计局称，山东经济稳中向好。全年…).
                opener = _last_opener(
                    _sentence_places(done_text, place, place_code, rules), done_text, None, rules
                )
                if opener is not None:
                    carried = (text_all.rfind("\n", 0, at), opener)
            scanned += 1
        if not section_from <= fact_start < section_to:
            heading, section_from, section_to = _section_around(
                section_starts, section_ends, headings, fact_start
            )
        _enter(scope, heading, year, rules)
        sentence_start = starts[index] if sentence else 0
        text = texts[index] if sentence else ""
        offset = fact_start - sentence_start if sentence else 0
        own_spans: list[_Span] = []
        if sentence is not None:
            found_spans = spans_of.get(index)
            if found_spans is None:
                found_spans = spans_of[index] = _time_spans(text, year, rules)
            own_spans = found_spans
        spans: list[_Span] = []
        from_spans: list[_Span] = []  # the years of the X of 由2020年的X增加到Y
        for s in own_spans:
            if s.end <= offset:
                (from_spans if _starting_year(text, s, offset, rules) else spans).append(s)
        # The clause marks of the sentence, looked up once for the fact's three clauses.
        marks = _clause_marks(text)
        clause_from = _start_among(marks, offset)
        clause = text[clause_from:offset]
        span, period, rule, several = _fact_period(
            spans, scope, clause, year, rules, figure_head=text[offset : offset + 1],
            explain=explain,
        )
        if (
            from_spans
            and span is not None
            and not several
            and span.months is None
            and from_spans[-1].first < span.last
            and any(word in clause for word in rules.annual_average)
        ):
            # 从2020年的X增加到2025年的Y，年均增长Z%: the years after X's up to the last.
            period, several = _period_text(from_spans[-1].first + 1, span.last), True
            if explain:
                rule += f"; an average since “{from_spans[-1].text}”"
        own_time = any(not s.base for s in spans)
        if period is None and year is not None and not _plan_word(text[:offset], clause, rules):
            # A plan with no time of its own is not dated by the figures the text reports.
            if topic is None:
                topic = [_topic_year(text_all, year, rules)]
            if topic[0] is not None:
                span, period = topic[0], _period_text(topic[0].first, topic[0].last)
                if explain:
                    rule = f"the year the text names most, {period}: nothing nearer names one"
        end = fields["end"] - sentence_start if sentence else 0
        rest = text[end : _end_among(marks, end, len(text))]
        if sentence is not None and (goal := _plan_goal(rest, rules)) is not None:
            own_time = True
            first, last, how = _review_period(goal, clause, rules, explain=explain)
            span, period, several = goal, _period_text(first, last), first != last
            if explain:
                rule = f"“{goal.text}” after it names the plan it is a goal of; {how}"
        if explain and period is None:
            why.append("period unknown: no year in its sentence, section or document")
        elif explain:
            why.append(f"period {period}: {rule}")
        in_list = scope.target_list
        if in_list and scope.target_list_paragraph != (
            paragraph := text_all.rfind("\n", 0, starts[index])
        ):
            # A list ends with its paragraph, unless the items that follow open with bullets.
            if not text_all.startswith(rules.bullets, paragraph + 1):
                in_list = ""
        status, status_why = _status(
            fact, span, period, scope, text[:offset], clause, year, rules,
            own=own_time, in_list=in_list, rest=rest, explain=explain,
        )
        if explain:
            why.append(f"status {status}: {status_why}")
        first_end = _end_among(marks, 0, len(text))
        first_clause = text[:first_end] if offset > first_end else ""
        concept, concept_why = _concept(
            indicator, base_unit, several, clause, rules, rest, first_clause,
            mention=fields["mention"], explain=explain,
        )
        if (
            concept is None
            and not concept_why
            and sentence is not None
            and previous_start >= sentence_start
            and previous_unit != base_unit
            and _names_no_measure(indicator, rules)
        ):
            # 一般公共预算收入3100亿元、同口径增长4%: the change is of the level before it.
            concept, concept_why = _concept(
                previous_indicator + indicator, base_unit, several, clause, rules, rest,
                mention=fields["mention"], explain=explain,
            )
            if concept_why and explain:
                concept_why += f" (“{indicator}” names no measure: the one before it)"
        if (
            concept is None
            and not concept_why
            and out
            and sentence is not None
            and out[-1].start >= sentence_start
            and indicator.startswith(rules.milestone_nouns)
        ):
            # 经济总量连跨两个万亿元台阶、达到6.2万亿元: the level reached after a count of
            # steps is of the subject the count took the words of (the nearest fact of the
            # sentence whose indicator is not the step's tail too).
            stepped: str | None = None
            for earlier in reversed(out):
                if earlier.start < sentence_start:
                    break
                if not earlier.indicator.startswith(rules.milestone_nouns):
                    stepped = earlier.indicator
                    break
            if stepped is not None:
                concept, concept_why = _concept(
                    stepped + indicator, base_unit, several, clause, rules, rest,
                    mention=fields["mention"], explain=explain,
                )
            if concept_why and explain:
                concept_why += f" (“{indicator}” ends a count of steps: the words before it)"
        if concept_why and explain:
            why.append(f"concept {concept}: {concept_why}")
        if sentence is not None:
            numbers = _numbers_in(numbers_of, fact_starts, index, sentence_start, ends[index])
            if index not in places_of:
                # Only a place before a number can be its subject: the rest is not read.
                read = text[: max(numbers, default=offset)]
                places_of[index] = _sentence_places(read, place, place_code, rules)
                zones_of[index] = _names_a_zone(places_of[index], rules)
            subject, how = _subject(
                places_of[index], text, offset, clause_from, numbers, rules,
                topic=place is None, zoned=zones_of[index],
            )
            # 浙江、福建服务业增加值均增长6%: each copy of a value spread over a list of
            # places has its item's place at the start of its indicator.
            item = _item_place(places_of[index], indicator, offset)
            if item is not None and item is not subject:
                subject, how = item, "its indicator, an item of a list spread over, opens with"
        else:
            subject, how = None, ""
        if (
            subject is None
            and carried is not None
            and carried[0] == text_all.rfind("\n", 0, starts[index])
        ):
            subject, how = carried[1], "the sentence before, in its paragraph, opens with"
        restated = (
            sentence is not None
            and previous_start >= sentence_start
            and (subject is None or subject.start < clause_from)
            and clause.rstrip().endswith(rules.conversions)
        )
        if restated:
            # 粤港澳大湾区GDP可超过12万亿人民币，约合1.92万亿美元: the value before, restated;
            # the headline figure is that value, not its conversion
            fact_place, fact_code = previous_place, previous_code
            if explain:
                why.append(f"place {fact_place}: the value before it, restated in another unit")
            if concept is not None:
                concept = None
                if explain:
                    why.append("concept none: a conversion of the value before it")
        elif subject is not None:
            fact_place, fact_code = subject.name, subject.code
            if explain:
                why.append(f"place {fact_place}: {how} “{subject.text}”")
        else:
            fact_place, fact_code = place, place_code
            if explain:
                why.append(f"place {place}: the document's place" if place else "place unknown")
        out.append(_with_context(fact, fields, fact_place, fact_code, period, status, concept))
        previous_start, previous_unit, previous_indicator = fact_start, base_unit, indicator
        previous_place, previous_code = fact_place, fact_code
        if reasons is not None:
            reasons.append(why)
    return out


#: The fields the context stage sets (``_with_context``).
_CONTEXT_FIELDS: Final = frozenset(["place", "place_code", "period", "status", "concept"])
#: The same names, as a tuple: compiled, a loop over it costs less than a call of a method.
_CONTEXT_NAMES: Final = tuple(sorted(_CONTEXT_FIELDS))
#: How many fields a fact has but the context fields: those validation sets on every fact.
_OTHER_FIELD_COUNT: Final = len(Fact.model_fields) - len(_CONTEXT_FIELDS)
#: The fields set of a fact after the context stage, when every field had been set before it:
#: one set for all such facts, where a union would make a set of all the names for each.
#: Nothing adds to it: Fact is frozen, and pydantic copies the set before updating a copy
#: (``model_copy(update=...)``).
_ALL_FIELDS_SET: Final[set[str]] = set(Fact.model_fields)
#: ``object.__new__``, taken once: ``Fact.__new__`` is looked up on the model class (through
#: its metaclass) at each call.
_new_object: Final = object.__new__


def _with_context(
    fact: Fact,
    fields: dict[str, Any],
    place: str | None,
    place_code: str | None,
    period: str | None,
    status: Status,
    concept: str | None,
) -> Fact:
    """Return a copy of ``fact`` (whose ``__dict__`` is ``fields``) with its context fields set.

    What ``fact.model_copy(update=...)`` does (no validation: the values are made valid
    here), in one step: pydantic's copy calls ``copy.copy`` on each of the model's four
    slots in Python, which cost more than the rest of the stage's work on a fact.
    """
    values = dict(fields)
    values["place"] = place
    values["place_code"] = place_code
    values["period"] = period
    values["status"] = status
    values["concept"] = concept
    copied: Fact = _new_object(Fact)
    object.__setattr__(copied, "__dict__", values)
    fields_set: set[str] = fact.__pydantic_fields_set__
    # A fields set holds names of the model's fields only: with as many names as there are
    # fields but the context ones, and none of those, it is all the others (a comparison
    # of the sets would look up every name).
    if len(fields_set) == _OTHER_FIELD_COUNT and not any(
        name in fields_set for name in _CONTEXT_NAMES
    ):
        fields_set = _ALL_FIELDS_SET
    else:
        fields_set = fields_set | _CONTEXT_FIELDS
    object.__setattr__(copied, "__pydantic_fields_set__", fields_set)
    object.__setattr__(copied, "__pydantic_extra__", None)
    object.__setattr__(copied, "__pydantic_private__", None)
    return copied


def _numbers_in(
    numbers_of: dict[int, list[int]], fact_starts: list[int], index: int, start: int, end: int
) -> list[int]:
    """Return where the facts of sentence ``index`` (``start`` to ``end`` of the text)
    start in its text, from ``fact_starts``; kept in ``numbers_of``, found once a sentence."""
    found = numbers_of.get(index)
    if found is None:
        low = _bisect_right(fact_starts, start - 1)
        high = _bisect_right(fact_starts, end)
        found = numbers_of[index] = [at - start for at in fact_starts[low:high]]
    return found


def _section_around(
    starts: list[int], ends: list[int], headings: list[str], offset: int
) -> tuple[str, int, int]:
    """Return the heading of the section holding ``offset`` ("" outside any section), from
    the sections' ``starts``, ``ends`` and ``headings``, and the offsets from and up to
    which it is the same: the sentences after it need no look-up until then."""
    i = _bisect_right(starts, offset) - 1
    after = starts[i + 1] if i + 1 < len(starts) else sys.maxsize
    if i >= 0 and offset < ends[i]:
        return headings[i], starts[i], min(ends[i], after)
    return "", max(starts[i], ends[i]) if i >= 0 else -1, after


def _changes_after(base: _Span, clause: str, figure_head: str, rules: _Rules) -> bool:
    """Return whether a change word follows the comparison base ``base`` in ``clause``, or
    opens the figure (比2010年翻一番: 翻 is the figure's first character)."""
    between = clause[clause.rfind(base.text) + len(base.text) :] + figure_head
    return any(w in between for w in rules.change_words)


def _fact_period(
    spans: list[_Span],
    scope: _Scope,
    clause: str,
    year: int | None,
    rules: _Rules,
    *,
    figure_head: str = "",
    explain: bool = True,
) -> tuple[_Span | None, str | None, str, bool]:
    """Return the time span that decides a fact's period, the period, the rule that gave it
    (with ``explain`` only: "" otherwise), and whether it covers several years.

    ``spans`` are the time expressions of the fact's sentence before it, ``clause`` the
    text of its clause up to its number.
    """
    span: _Span | None = None
    rule = ""
    # The last of the sentence's own times (no base) by a loop: the list of them is made
    # only for the few months without a year that need an earlier one.
    for s in reversed(spans):
        if not s.base:
            span = s
            if explain:
                rule = f"“{span.text}” before it in its sentence"
            break
    else:
        if scope.span is not None:
            span, rule = scope.span, scope.source
    if span is not None and span.months is not None and not span.first:
        own = [s for s in spans if not s.base]
        anchor = _anchor_year(own[:-1] if own and own[-1] is span else own, scope, year)
        span = None if anchor is None else _with_year(span, anchor)
    base = spans[-1] if spans and spans[-1].base else None
    if span is None:
        # 比2020年增长50% with no time of its own: no period, but a change over years when
        # the base is before the year ahead of the document's (a cumulative growth)
        several = (
            base is not None
            and year is not None
            and base.first < year - 1
            and base.text in clause
            and _changes_after(base, clause, figure_head, rules)
        )
        return None, None, "", several
    first, last, months = span.first, span.last, span.months
    if base is not None and base.text in clause:
        if _changes_after(base, clause, figure_head, rules) and base.first < last:
            first = base.first + 1
            if explain:
                rule += f"; a change since the base “{base.text}”"
            if months is not None:
                months = (1, months[1])
        else:
            first = last = base.first
            months = None
            rule = f"the figure of the base “{base.text}”" if explain else ""
            return span, _period_text(first, last), rule, False
    elif first != last and months is None:
        first, last, how = _review_period(span, clause, rules, explain=explain)
        if explain:
            rule += f"; {how}"
    elif (
        first == last
        # Both patterns end their count of years in 年: a clause without it is not searched.
        and "年" in clause
        and (match := rules.running_re.search(clause) or rules.years_then_re.search(clause))
    ):
        n = _small_number(match.group("n"))
        if n and n > 1:
            first = last - n + 1
            if explain:
                rule += f"; “{match.group(0)}”: the {n} years ending in it"
    # averages_re ends in 年平均: a clause without it is not searched.
    if first == last and "年平均" in clause and (match := rules.averages_re.search(clause)):
        n = _small_number(match.group("n"))
        if n and n > 1:
            first = last - n + 1
            if explain:
                rule += f"; “{match.group(0)}”: an average over {n} years"
    return span, _period_text(first, last, months), rule, first != last


_CHINESE_DIGITS: Final = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _small_number(text: str) -> int | None:
    """Return the number of a count of years: 8, 十三, 两 (None: not one).

    >>> _small_number("13"), _small_number("十三"), _small_number("两"), _small_number("二十")
    (13, 13, 2, 20)
    """
    if text.isdigit():
        return int(text)
    text = text.replace("两", "二")
    if text in _CHINESE_DIGITS:
        return _CHINESE_DIGITS[text]
    tens, sep, ones = text.partition("十")
    if not sep:
        return None
    high = _CHINESE_DIGITS.get(tens, 0) if tens else 1
    low = _CHINESE_DIGITS.get(ones, 0) if ones else 0
    return high * 10 + low


def _with_year(span: _Span, year: int) -> _Span:
    """Return the part of a year ``span`` (1-11月) in ``year``."""
    return _Span(span.start, span.end, span.text, year, year, months=span.months)


class _Place:
    """A subject place of a sentence: where, its name and code (None: not a division).

    Made for each place of each sentence read, and never changed: a plain class, as
    ``_Span`` is.
    """

    def __init__(
        self, start: int, end: int, text: str, name: str | None, code: str | None
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.name = name
        self.code = code


def _sentence_places(
    text: str, place: str | None, place_code: str | None, rules: _Rules
) -> list[_Place]:
    """Return the places ``text`` names that can be the subject of a clause, in order:
    divisions and areas (not facilities, comparison bases or ranks) and 我省/全市 words,
    which name the document's place."""
    found: list[_Place] = []
    for mention in place_spans(text, within=place_code):
        if mention.facility is not None or _is_base(text, mention.start, mention.end, rules):
            continue
        code = mention.division.code if mention.division is not None else None
        found.append(_Place(mention.start, mention.end, mention.text, mention.name, code))
    mentions = len(found)  # in order of their start; the words added below are not
    present = [char for char in rules.own_chars if char in text]
    for word, first in rules.own_words_first if present else ():
        if first not in present:
            continue
        at = text.find(word)
        while at >= 0:
            if not _is_base(text, at, at + len(word), rules) and not any(
                p.start <= at < p.end for p in found
            ):
                # 江苏省统计局分析称，全省GDP…: 全省 is the province just named.
                named = [
                    p for p in found if p.end <= at and p.code and p.name and p.name[-1] == word[-1]
                ]
                if named:
                    found.append(_Place(at, at + len(word), word, named[-1].name, named[-1].code))
                elif (
                    word.endswith(rules.province_word_end)
                    and place_code is not None
                    and (province := province_of(place_code)) is not None
                ):
                    # 全省 in a 深圳 or 永康 text is the province it lies in.
                    found.append(_Place(at, at + len(word), word, province.name, province.code))
                else:
                    found.append(_Place(at, at + len(word), word, place, place_code))
            at = text.find(word, at + len(word))
    if len(found) > mentions:
        found.sort(key=_place_start)
    return found


def _place_start(place: _Place) -> int:
    return place.start


def _item_place(places: list[_Place], indicator: str, offset: int) -> _Place | None:
    """Return the place of the sentence before ``offset`` that opens ``indicator``, when the
    sentence names other places before it too (the longest name first): the item of a list
    of places that a value spread over the list (均, 各) was given to."""
    best: _Place | None = None
    for place in places:
        if (
            place.end <= offset
            and place.name is not None
            and indicator.startswith(place.text)
            and any(p is not place and p.end <= offset for p in places)
            and (best is None or len(place.text) > len(best.text))
        ):
            best = place
    return best


def _is_base(text: str, start: int, end: int, rules: _Rules) -> bool:
    """Return whether the place at ``text[start:end]`` is a comparison base or a rank."""
    # The character next to the place first: most are not one a word ends or starts with,
    # and a test in a set costs less than a method called with a tuple of words, which
    # tries them all in one call.
    if start > 0 and text[start - 1] in rules.base_before_last:
        if text[max(0, start - 2) : start].endswith(rules.base_before):
            return True
    return (
        end < len(text)
        and text[end] in rules.rank_after_first
        and text.startswith(rules.rank_after, end)
    )


def _subject(
    places: list[_Place],
    text: str,
    offset: int,
    clause_from: int,
    numbers: list[int],
    rules: _Rules,
    *,
    topic: bool = False,
    zoned: bool = True,
) -> tuple[_Place | None, str]:
    """Return the subject place of the clause holding ``offset`` (which starts at
    ``clause_from``) and how it was found: a place in the clause before the number, else
    one opening an earlier clause (with a figure, or with ``topic`` any: the document has
    no place of its own; ``zoned``: a place of ``places`` is a zone, ``_names_a_zone``)."""
    # The last place in the clause, by a loop: most facts have one, and need no list.
    for p in reversed(places):
        if p.end <= offset and p.start >= clause_from:
            return p, "its clause names"
    before = [p for p in places if p.end <= offset]
    # A zone named again by its kind is one of ``places``: without any, the clause is not
    # searched (most sentences).
    again = rules.zone_again_re.search(text, clause_from, offset) if zoned else None
    if again is not None:
        # 包括…的深圳都市圈，…，整个都市圈经济总量超过4.7万亿元: the last zone of that kind
        named = [p for p in before if p.text.endswith(again.group("kind"))]
        if named:
            return named[-1], f"“{again.group()}” names again the zone"
    opener = _last_opener(before, text, numbers, rules)
    if opener is not None:
        return opener, "an earlier clause of its sentence, with a figure, opens with"
    # 从总量看，广东稳居全国第一，为12.4万亿元: in a text without a place of its own, a
    # clause without a figure opening with a place makes it the topic of the clauses
    # after it. A report's own place stays the topic (新余火灾事故整改通过评估，事故起数
    # 下降9.6% is the province's).
    opener = _last_opener(before, text, None, rules) if topic else None
    if opener is not None:
        return opener, "an earlier clause of its sentence opens with"
    return None, ""


def _names_a_zone(places: list[_Place], rules: _Rules) -> bool:
    """Return whether one of ``places`` ends with the kind of a zone (深圳都市圈)."""
    for place in places:
        # The last character first: a method called with a tuple of words costs more.
        if place.text[-1:] in rules.zone_kind_last and place.text.endswith(rules.zone_kinds):
            return True
    return False


def _last_opener(
    places: list[_Place], text: str, numbers: list[int] | None, rules: _Rules
) -> _Place | None:
    """Return the last of ``places`` that opens a statistic (``_opens_a_statistic``)."""
    for place in reversed(places):
        if _opens_a_statistic(place, text, numbers, rules):
            return place
    return None


def _opens_a_statistic(
    place: _Place, text: str, numbers: list[int] | None, rules: _Rules
) -> bool:
    """Return whether ``place`` opens its clause (其中 and the like aside) and that clause
    holds a figure (at one of ``numbers``; None: any clause): the subject of a statistic,
    which the clauses after it keep (2021年，江苏第一产业增加值4722.4亿元，增长3.1%)."""
    start = _clause_start(text, place.start)
    prefix = text[start : place.start]
    if prefix not in rules.place_openers and not rules.time_re.fullmatch(prefix):
        return False
    if numbers is None:
        return True
    end = len(text)
    for mark in _STATISTIC_END:
        at = text.find(mark, place.end)
        if 0 <= at < end:
            end = at
    return any(place.end <= n < end for n in numbers)


#: The marks that end the clauses of a statistic a place opens (``_opens_a_statistic``).
_STATISTIC_END: Final = ("，", "；", "。", ",", ";")


def _anchor_year(own: list[_Span], scope: _Scope, year: int | None) -> int | None:
    """Return the year a part of a year (1-11月, 上半年) belongs to."""
    for span in reversed(own):
        if span.first:
            return span.last
    if scope.span is not None and scope.span.last:
        return scope.span.last
    return year


#: Characters of a sentence read for a time that opens it (2021年1-11月 is 10).
_OPENING_TEXT: Final = 24

#: A time that sets the scope of the sentences after it opens its sentence: 过去一年，…;
#: 2025年是…; “十四五”时期… (a quote or a word like 在 may come first).
_OPENING_CHARS: Final = 2


def _enter(scope: _Scope, heading: str, year: int | None, rules: _Rules) -> None:
    """Update ``scope`` on entering the section of ``heading`` ("" outside any section): the
    heading's time and kind, when it has them."""
    if heading == scope.heading:
        return
    scope.heading = heading
    scope.plan_word = ""
    spans = _time_spans(heading, year, rules) if heading else []
    scope.plan_section = _section_kind(heading, spans, year, rules) if heading else None
    if spans:
        scope.span = scope.heading_span = spans[0]
        scope.source = scope.heading_source = f"section heading “{heading}”"
    elif scope.plan_section and year is not None:
        # 三、重点工作任务: a report's plans without a year are for the year it is delivered in.
        scope.span = _Span(0, 0, heading, year, year)
        scope.source = f"section “{heading}” sets out plans, with no year: the document's year"
    else:
        # A time that opened a sentence of the section before ends with it (去年1-11月 in a
        # news piece's first part is not the time of its second).
        scope.span, scope.source = scope.heading_span, scope.heading_source


#: Marks that end the clause before a colon: a time must sit in the clause right before it.
_CLAUSE_ENDS: Final = "，,。；;！？"


def _leads_a_colon(text: str, end: int) -> bool:
    """Return whether the time ending at ``end`` sits in the clause that leads a colon, which
    introduces what the sentences after it list (数据展示了2023年全省的新成绩：…。…。)."""
    for char in text[end:]:
        if char in "：:":
            return True
        if char in _CLAUSE_ENDS:
            return False
    return False


def _advance(
    scope: _Scope, text: str, kind: str, spans: list[_Span], year: int | None, rules: _Rules
) -> None:
    """Update ``scope`` with a sentence read before a fact's (its ``text`` and ``kind``): a
    time in its opening clause.

    A section heading is read on entering its section (``_enter``). A time that dates a
    document or meeting its clause names (今年的政府工作报告) sets none.
    """
    if kind == "heading":
        return
    for span in spans:
        opens = (
            span.start <= _OPENING_CHARS
            or text[: span.start] in rules.opening_words
            or _after_a_lead_in(text[: span.start])
            or _leads_a_colon(text, span.end)
        )
        if opens and not span.base:
            if _dates_a_document(text, span.end, rules):
                continue
            if span.months is not None and not span.first:
                anchor = _anchor_year([], scope, year)
                if anchor is None:
                    continue
                span = _with_year(span, anchor)
            scope.span = span
            scope.source = f"“{span.text}” opening an earlier sentence"
            planned = year is not None and span.first >= year
            scope.plan_word = (_has_target_word(text, rules) or "") if planned else ""
            break


def _after_a_lead_in(before: str) -> bool:
    """Return whether ``before``, the text before a time in its sentence, is one short
    clause leading in to it (总的来看，“十四五”时期…; 同时，2026年…): the time opens the
    sentence all the same."""
    return (
        _LEAD_IN_CHARS >= len(before) > 1
        and before[-1] in "，,"
        and not any(char.isdigit() or char in _CLAUSE_MARKS for char in before[:-1])
    )


#: The longest lead-in clause, its comma included, before a time that opens a sentence.
_LEAD_IN_CHARS: Final = 6


def _after_from_word(text: str, at: int, rules: _Rules) -> bool:
    """Return whether ``text`` has one of the words of 从X到Y (从, 由) right before ``at``."""
    # The character before first: a slice of the text up to ``at`` would copy all of it.
    return (
        at > 0
        and text[at - 1] in rules.from_words_last
        and text.endswith(rules.from_words, 0, at)
    )


def _starting_year(text: str, span: _Span, offset: int, rules: _Rules) -> bool:
    """Return whether ``span`` dates the X of 由2020年的X增加到Y and the figure at ``offset``
    comes after the verb of reaching: the year is X's, not the Y's."""
    if not _after_from_word(text, span.start, rules):
        return False
    between = text[span.end : offset]
    return any(word in between for word in rules.to_words)


def _plan_goal(rest: str, rules: _Rules) -> _Span | None:
    """Return the plan that ``rest``, the clause after a figure, opens and names as the
    figure's goal (4万亿元“十四五”经济目标, 6万亿元的“十四五”规划目标), as a target span."""
    if not any(word in rest for word in rules.goal_after):
        return None
    match = rules.time_re.search(rest, 0, _GOAL_REACH)
    if match is None or not match.group("plan") or match.group("end"):
        return None
    if rest[: match.start()].strip("的“\"") or match.group("to"):
        return None
    if not any(word in rest[match.end() : match.end() + _GOAL_REACH] for word in rules.goal_after):
        return None
    first, last = rules.plans[match.group("plan")]
    return _Span(0, 0, match.group(0), first, last, target=True, relative=True)


#: Characters after a figure within which a plan named as its goal starts, and after the
#: plan's name within which the goal word stands (“十四五”规划目标).
_GOAL_REACH: Final = 6


def _names_no_measure(indicator: str, rules: _Rules) -> bool:
    """Return whether ``indicator`` is only words of how a change is counted (同口径增长)."""
    for char in indicator:
        if char not in rules.change_only_chars and not char.isspace():
            return False  # a character no word removes stays (一般公共预算收入)
    for word in rules.change_only:
        indicator = indicator.replace(word, "")
    return not indicator.strip()


def _dates_a_document(text: str, end: int, rules: _Rules) -> bool:
    """Return whether the time ending at ``end`` qualifies a document or meeting named right
    after it (今年的省政府工作报告提出…, 2021年统计公报显示…): the noun follows 的 within a
    name's length, or the time itself within a few characters. A meeting further on in
    the clause (过去一年我们认真贯彻…经济工作会议精神) is no document the time dates."""
    after = text[end : min(_clause_end(text, end), end + _DOCUMENT_REACH)]
    reach = _DOCUMENT_REACH if after.startswith("的") else _DOCUMENT_REACH * 2 // 3
    return any(0 <= after.find(noun) <= reach - len(noun) for noun in rules.document_nouns)


#: Characters after a time within which the noun of a document it dates ends, when 的 comes
#: first (今年的广东省政府工作报告); two thirds as many without it (今年省政府工作报告).
_DOCUMENT_REACH: Final = 12


def _topic_year(text: str, year: int, rules: _Rules) -> _Span | None:
    """Return the year a dated text is about when a fact's sentence and scope name none:
    the single year it names most often, not after its own year (the later of a tie); its
    own year counts only where its sentence plans nothing (今年…目标为5%左右 names the year
    of a plan, not that of the figures the text reports).

    A full date (2022年1月5日) dates an event or the text itself and is not counted, nor
    is a comparison base (比2020年), the start of a change (由2015年的X增加到Y) or a year of a
    document named (今年的政府工作报告).
    """
    counts: dict[int, int] = {}
    for span in _time_spans(text, year, rules):
        if span.base or span.first != span.last or not 0 < span.first <= year:
            continue
        if _after_from_word(text, span.start, rules):
            continue  # 由2015年的X增加到Y: where a change started, like a comparison base
        if _FULL_DATE_RE.match(text, span.end) or _dates_a_document(text, span.end, rules):
            continue
        if span.first >= year and _has_target_word(_sentence_around(text, span.start), rules):
            continue  # 今年…增长目标为5%左右: the year of a plan, not of the figures reported
        counts[span.first] = counts.get(span.first, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda y: (counts[y], y))
    return _Span(0, 0, f"{best}年", best, best)


def _sentence_around(text: str, at: int) -> str:
    """Return the sentence of ``text`` that holds the character at ``at``, at most
    ``_SENTENCE_REACH`` characters on each side (a search for a mark the text lacks would
    otherwise run to its end, at every time the text names)."""
    low, high = max(0, at - _SENTENCE_REACH), at + _SENTENCE_REACH
    start = max(low - 1, *(text.rfind(mark, low, at) for mark in _SENTENCE_ENDS)) + 1
    ends = [end for end in (text.find(mark, at, high) for mark in _SENTENCE_ENDS) if end >= 0]
    return text[start : min(ends) if ends else min(high, len(text))]


#: How far from a time ``_sentence_around`` looks for its sentence's ends.
_SENTENCE_REACH: Final = 300


#: What ends a sentence, for ``_sentence_around``: its marks and a paragraph's end.
_SENTENCE_ENDS: Final = ("。", "！", "？", "\n")


#: The month and day after a year that make it a full date (2022年1月5日).
_FULL_DATE_RE: Final = re.compile(r"\s*\d{1,2}月\d{1,2}日")


def _status(
    fact: Fact,
    span: _Span | None,
    period: str | None,
    scope: _Scope,
    before: str,
    clause: str,
    year: int | None,
    rules: _Rules,
    *,
    own: bool = False,
    in_list: str = "",
    rest: str = "",
    explain: bool = True,
) -> tuple[Status, str]:
    """Return whether ``fact`` is planned or done, and why (with ``explain`` only: ""
    otherwise; ``own``: ``span`` is a time its own sentence names; ``in_list``: the words
    that opened the list of targets it is an item of; ``rest``: its clause after it)."""
    if rest[:1] in rules.named_goal_starts and (match := rules.named_goal_re.match(rest)):
        return "target", f"“{match.group(0)}” after it: the figure is the goal" if explain else ""
    if span is not None and span.target and year is not None and span.last >= year:
        return "target", f"“{span.text}”: a target date" if explain else ""
    if year is not None and span is not None and span.first > year:
        return "target", f"its period starts after the document's year {year}" if explain else ""
    if year is not None and span is not None and span.first == year < span.last:
        # “十五五”时期…年均增长5%: a period that opens in the year of the report and runs
        # past it cannot have been done yet.
        return "target", (
            f"its period starts in the document's year {year} and runs past it" if explain else ""
        )
    if year is not None and span is not None and own and span.last < year:
        # 2025年全省地区生产总值增长5.3% in a section of plans for 2026 restates what was done.
        return "actual", (
            f"its own time “{span.text}” ends before the document's year {year}" if explain else ""
        )
    if scope.plan_section:
        return "target", f"section “{scope.heading}” sets out plans" if explain else ""
    if scope.plan_section is False:
        return "actual", f"section “{scope.heading}” reviews what was done" if explain else ""
    if year is not None and span is not None and span.last < year:
        return "actual", f"its period ends before the document's year {year}" if explain else ""
    if sentence_word := _plan_word(before, clause, rules):
        return "target", f"plan word “{sentence_word}” before it" if explain else ""
    if in_list:
        return "target", f"an item of the list of targets “{in_list}” opened" if explain else ""
    if scope.plan_word and span is scope.span:
        return "target", (
            f"plan word “{scope.plan_word}” in the sentence that opened its time" if explain else ""
        )
    if (
        own
        and span is not None
        and year is not None
        and span.first >= year
        and span.start <= _OPENING_CHARS
        and (word := _has_target_word(before, rules))
    ):
        # 2024年，贵州将坚持…，全省地区生产总值增长5.5%左右: the time that opens the sentence
        # is in force and its 将 plans what follows, as for the sentences after it
        return "target", (
            f"plan word “{word}” after “{span.text}” opening its sentence" if explain else ""
        )
    return "actual", "no plan word or plan section"


def _advance_list(
    scope: _Scope, text: str, kind: str, paragraph: int, item: bool, rules: _Rules
) -> int:
    """Update the list of targets under way with a sentence read before a fact's (its
    ``text`` and ``kind``, in the paragraph starting after offset ``paragraph``; ``item``:
    that paragraph opens with a bullet). One that ends in ； or ： opens a list
    (主要预期目标是：…；) or continues it, in its paragraph or in the bullet items after it;
    any other ends it. Return where the cue of a list the sentence opens starts in it,
    else -1."""
    text = text.rstrip()
    if kind == "heading" or not text.endswith(rules.list_item_end):
        scope.target_list, scope.target_list_paragraph = "", -1
    elif scope.target_list and (scope.target_list_paragraph == paragraph or item):
        scope.target_list_paragraph = paragraph
    elif match := rules.list_cue_re.search(text):
        scope.target_list, scope.target_list_paragraph = match.group(0), paragraph
        return match.start()
    else:
        scope.target_list, scope.target_list_paragraph = "", -1
    return -1


def _plan_word(before: str, clause: str, rules: _Rules) -> str | None:
    """Return the plan word of the sentence before a figure that makes it planned: one of
    two characters or more, or 将/要 when its own clause has one too."""
    sentence_word = _has_target_word(before, rules)
    if sentence_word and (len(sentence_word) > 1 or _has_target_word(clause, rules)):
        return sentence_word
    return None
