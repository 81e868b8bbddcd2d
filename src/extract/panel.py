"""The panel: the headline figures of a run, one row per place, concept, period and status.

Pure: facts in, panel rows out. ``PanelBuilder`` takes the facts of one document at a
time (only those with a ``concept`` are looked at) and keeps, for each key, the fact
chosen so far and how many facts had the key, so memory grows with the number of
distinct keys, not with the corpus. ``write.py`` writes the rows (panel.csv,
panel.parquet); ``review.py`` shows them.

Which fact a key's row shows (docs/outputs.md, "Choosing a row's fact"):

1. not a variant: a fact whose qualifiers say it is counted on another base (同口径,
   可比口径: ``[panel] variant_qualifiers`` in data/words.toml) loses to any other;
2. for an ``actual``, a stated value (comparator ``=`` or ``~``) over a bound (``>``,
   ``>=``, ``<``, ``<=``): a review that gives 地区生产总值3.65万亿元 and also
   迈上3万亿元台阶 reports the first and restates a milestone with the second. Not for a
   ``target``: targets are written as bounds (增长5%以上, 失业率5.5%以内), and the
   first one, in the list of main targets, is the headline;
3. the first in reading order: the documents in the run's order, the facts of one in
   the order of the text. A report states its headline figure before it comes back to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .encode import json_value
from .lexicon import Lexicon, load_lexicon
from .models import Comparator, Fact, decimal_to_json

#: The columns of panel.csv, in order: the key, the value, where it came from, and how
#: many facts had the key.
PANEL_FIELDS: tuple[str, ...] = (
    "place",
    "place_code",
    "concept",
    "period",
    "status",
    "normalized_value",
    "base_unit",
    "comparator",
    "upper_value",
    "unit",
    "doc_id",
    "start",
    "sentence",
    "facts",
)

#: The key of a row: place, concept, period, status (place and period may be unknown).
PanelKey = tuple[str | None, str, str | None, str]

#: Comparators of a value stated as such rather than bounded.
_POINT_COMPARATORS: frozenset[Comparator] = frozenset({"=", "~"})


def variant_qualifiers(lexicon: Lexicon | None = None) -> frozenset[str]:
    """Return the qualifiers that mark a fact as a variant of its key's headline statement.

    >>> "同口径" in variant_qualifiers()
    True
    """
    return (lexicon or load_lexicon()).words.variant_qualifiers


def panel_key(fact: Fact) -> PanelKey | None:
    """Return the panel key of ``fact``, or None when it measures no headline concept."""
    if fact.concept is None:
        return None
    return (fact.place, fact.concept, fact.period, fact.status)


def _rank(fact: Fact, variants: frozenset[str]) -> tuple[bool, bool]:
    """Return how ``fact`` ranks for its key's row, lowest best (before reading order)."""
    variant = not variants.isdisjoint(fact.qualifiers)
    bound = fact.status == "actual" and fact.comparator not in _POINT_COMPARATORS
    return (variant, bound)


@dataclass(frozen=True)
class PanelRow:
    """One row of the panel: the chosen fact of a key and how many facts had the key."""

    fact: Fact
    #: How many facts of the run had this row's key (the chosen one included).
    facts: int
    #: Where the fact is on the review page: the document's number and the fact's
    #: position among the document's facts.
    document: int = 0
    position: int = 0

    @property
    def key(self) -> PanelKey:
        """Return the row's place, concept, period and status."""
        fact = self.fact
        assert fact.concept is not None  # only concept facts become rows
        return (fact.place, fact.concept, fact.period, fact.status)

    def values(self) -> dict[str, Any]:
        """Return the row's columns, ``PANEL_FIELDS`` in order (numbers as ``Decimal``)."""
        fact = self.fact
        row: dict[str, Any] = {name: getattr(fact, name) for name in PANEL_FIELDS[:-1]}
        row["facts"] = self.facts
        return row


def _sort_key(key: PanelKey) -> tuple[tuple[bool, str], ...]:
    """Return the order of a key: place, concept, period, status; unknowns after the known."""
    return tuple((part is None, part or "") for part in key)


class PanelBuilder:
    """Gathers the panel of a run from its documents' facts, as they come."""

    def __init__(self, *, lexicon: Lexicon | None = None) -> None:
        self._variants = variant_qualifiers(lexicon)
        #: For each key: the rank of the chosen fact, the row.
        self._rows: dict[PanelKey, tuple[tuple[bool, bool], PanelRow]] = {}

    def add(self, facts: Iterable[tuple[int, Fact]], *, document: int = 0) -> None:
        """Take one document's facts, each with its position among the document's facts.

        ``document`` is the document's number in the run (its review page key). Facts
        without a concept are passed over. Call in reading order: documents in the run's
        order, facts in the text's.
        """
        for position, fact in facts:
            key = panel_key(fact)
            if key is None:
                continue
            rank = _rank(fact, self._variants)
            held = self._rows.get(key)
            if held is None:
                self._rows[key] = (rank, PanelRow(fact, 1, document, position))
            elif rank < held[0]:
                self._rows[key] = (rank, PanelRow(fact, held[1].facts + 1, document, position))
            else:
                self._rows[key] = (held[0], _counted(held[1]))

    def rows(self) -> list[PanelRow]:
        """Return the rows, sorted by place, concept, period and status."""
        return [self._rows[key][1] for key in sorted(self._rows, key=_sort_key)]


def _counted(row: PanelRow) -> PanelRow:
    """Return ``row`` with one more fact counted."""
    return PanelRow(row.fact, row.facts + 1, row.document, row.position)


def concept_facts(facts: Iterable[Fact]) -> Iterator[tuple[int, Fact]]:
    """Yield the facts with a concept, each with its position among ``facts``.

    What a worker sends to the writing process of a run: little, as few facts are headline.
    """
    for position, fact in enumerate(facts):
        if fact.concept is not None:
            yield position, fact


def build_panel(facts: Iterable[Fact]) -> list[PanelRow]:
    """Return the panel of ``facts`` (in reading order), as ``PanelBuilder`` makes it.

    Each row's ``document`` is 0 and ``position`` the fact's position in ``facts``.
    """
    builder = PanelBuilder()
    builder.add(concept_facts(facts))
    return builder.rows()


def panel_number(value: Decimal | None) -> str:
    """Return a number of the panel as the fact files write it (empty when None).

    >>> panel_number(Decimal("5.20")), panel_number(Decimal("3.65E+9")), panel_number(None)
    ('5.2', '3650000000', '')
    """
    return "" if value is None else json_value(decimal_to_json(value))
