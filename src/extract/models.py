"""Pydantic models passed between the pipeline stages.

read → ``SourceText`` → clean → ``CleanText`` → segment → ``SegmentedText``
→ extract → ``Document`` (with ``Fact`` and ``Issue`` records).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidatorFunctionWrapHandler,
    model_validator,
)

#: Largest number of significant digits a value may carry and still be written
#: as an exact JSON number (a double holds 15 decimal digits without loss).
MAX_SIGNIFICANT_DIGITS = 15

#: Most digits a number may have before, and after, its decimal point. facts.parquet stores
#: numbers as decimal256(76, 38), which holds every number within these bounds exactly;
#: 15 digits × 万亿 needs 27 before the point, a ‰ of a 15-digit fraction about 20 after.
MAX_INTEGER_DIGITS = 38
MAX_DECIMAL_PLACES = 38


def decimal_to_json(value: Decimal) -> int | float:
    """Return ``value`` as a JSON number: an int when integral, else a float.

    >>> decimal_to_json(Decimal("3650000000"))
    3650000000
    >>> decimal_to_json(Decimal("36.5"))
    36.5
    """
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _significant_digits(value: Decimal) -> int:
    """Return how many digits of ``value`` matter, trailing zeros not counted.

    Computed on the digit tuple, not with ``normalize()``, which rounds to the context
    precision and would make a 5000-digit number look like one digit.

    >>> _significant_digits(Decimal("3650000000")), _significant_digits(Decimal("36.50"))
    (3, 3)
    """
    digits = value.as_tuple().digits
    end = len(digits)
    while end > 1 and digits[end - 1] == 0:
        end -= 1
    return end


def _digits_around_point(value: Decimal, significant: int | None = None) -> tuple[int, int]:
    """Return how many digits ``value`` has before and after its point, trailing zeros not counted.

    ``significant`` is ``_significant_digits(value)`` when the caller has it already.

    >>> _digits_around_point(Decimal("3.65E+9")), _digits_around_point(Decimal("0.00050"))
    ((10, 0), (0, 4))
    """
    if not value:
        return 0, 0
    if significant is None:
        significant = _significant_digits(value)
    # adjusted() is the place of the first significant digit (0 for units, -1 for tenths).
    last_place = value.adjusted() - significant + 1
    return max(value.adjusted() + 1, 0), max(-last_place, 0)


def _check_number(name: str, number: Decimal) -> None:
    """Raise ValueError unless ``number`` is finite and can be written exactly (the bounds
    above); ``name`` is the field it is the value of."""
    # Nearly every number is written plainly in at most 15 characters (3650000000.0,
    # -2.5): then it has at most 15 digits, all within 15 places of the point, and passes
    # the checks below. str() is cheap; as_tuple() makes a named tuple (about 1 µs).
    text = str(number)
    if len(text) <= MAX_SIGNIFICANT_DIGITS and text.lstrip("-").replace(".", "", 1).isdigit():
        return
    if not number.is_finite():
        raise ValueError(f"{name} is not a finite number")
    digits = _significant_digits(number)
    if digits > MAX_SIGNIFICANT_DIGITS:
        raise ValueError(
            f"{name} {number} has {digits} significant digits, more than "
            f"{MAX_SIGNIFICANT_DIGITS} can be written exactly"
        )
    before, after = _digits_around_point(number, digits)
    if before > MAX_INTEGER_DIGITS or after > MAX_DECIMAL_PLACES:
        raise ValueError(
            f"{name} {number} has {before} digits before the point and {after} after, "
            f"more than the {MAX_INTEGER_DIGITS} and {MAX_DECIMAL_PLACES} "
            "that can be written exactly"
        )


#: A fact's ``place_code``: a GB/T 2260 administrative division code.
PLACE_CODE_PATTERN = r"^[0-9]{6}$"

#: A fact's ``period``: an ISO 8601 year or month, or an interval of them (2025, 2025-11,
#: 2021/2025, 2025-01/2025-11).
PERIOD_PATTERN = r"^[0-9]{4}(-[0-9]{2})?(/[0-9]{4}(-[0-9]{2})?)?$"

_Item = TypeVar("_Item")


def batches(items: Iterable[_Item], size: int) -> Iterator[list[_Item]]:
    """Yield ``items`` in lists of ``size`` (the last may be shorter): what the stages
    validate in one call, many models for pydantic's cost of one call, few held at once.

    >>> list(batches(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    remaining = iter(items)
    while batch := list(islice(remaining, size)):
        yield batch


#: A ``Decimal`` inside Python, a plain JSON number outside.
JsonDecimal = Annotated[Decimal, PlainSerializer(decimal_to_json, when_used="json")]

Comparator = Literal["=", ">", ">=", "<", "<=", "~"]
#: Whether a fact reports what was done or measured (``actual``) or what is planned.
Status = Literal["actual", "target"]
Stage = Literal["read", "clean", "segment", "extract", "validate", "context", "write"]


class Issue(BaseModel):
    """A problem found in the data of one document; it never stops the run."""

    stage: Stage
    reason: str
    line: int | None = None
    text: str | None = None


class SourceText(BaseModel):
    """One input file decoded to text (the output of the read stage)."""

    path: str = Field(description="path relative to the input folder, '/'-separated")
    doc_id: str
    encoding: str
    sha256: str
    size: int
    text: str
    issues: list[Issue] = []
    #: The 1-based line of the file on which each line of ``text`` begins, when they are
    #: not the same lines (HTML stripped to text); None: line N of ``text`` is line N.
    raw_lines: list[int] | None = None


class RemovedText(BaseModel):
    """Text the cleaner dropped as page furniture, kept so nothing is lost silently."""

    line: int
    text: str
    reason: str


class CleanText(BaseModel):
    """Re-flowed text, one paragraph a line, with a map back to the raw lines."""

    doc_id: str
    text: str
    #: (offset in ``text``, raw line number) at every offset where the raw line changes.
    line_starts: list[tuple[int, int]]
    removed: list[RemovedText] = []
    steps: list[str] = []
    issues: list[Issue] = []

    def raw_line(self, offset: int) -> int:
        """Return the 1-based raw line that the cleaned character at ``offset`` came from."""
        if not self.line_starts:
            return 1
        index = bisect_right(self.line_starts, (offset, float("inf"))) - 1
        return self.line_starts[max(index, 0)][1]


ParagraphKind = Literal["title", "subtitle", "byline", "keyword", "heading", "ordinal", "body"]


class Paragraph(BaseModel):
    """One line of the cleaned text and what it is."""

    kind: ParagraphKind
    text: str
    start: int
    end: int


class Section(BaseModel):
    """A section opened by a ``关键词`` line or a top-level numbered heading."""

    title: str = Field(description="heading text, enumerator and end punctuation removed")
    heading: str = Field(description="the heading line as it stands in the cleaned text")
    start: int
    end: int


class Sentence(BaseModel):
    """One sentence of the cleaned text."""

    index: int
    text: str
    start: int
    end: int
    section: str | None
    kind: ParagraphKind


class SegmentedText(BaseModel):
    """The cleaned text cut into title, byline, sections and sentences."""

    clean: CleanText
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    paragraphs: list[Paragraph] = []
    sections: list[Section] = []
    sentences: list[Sentence] = []
    #: The metadata lines at the top of a web page, label → value: {"来源": "江西日报",
    #: "时间": "2026-02-05"} (segment.metadata_lines).
    metadata: dict[str, str] = {}


class Fact(BaseModel):
    """One numeric fact, with the fields of docs/facts.md in their documented order."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    section: str | None
    mention: str
    value: JsonDecimal
    unit: str
    normalized_value: JsonDecimal
    base_unit: str
    per: str | None
    comparator: Comparator
    indicator: str
    qualifiers: list[str]
    sentence: str
    start: int
    end: int
    line: int
    upper_value: JsonDecimal | None
    #: The context of the fact (docs/facts.md): the area it is about, by its official
    #: name, and that area's 6-digit GB/T 2260 code; the time it is about, an ISO 8601
    #: year or interval (2025, 2021/2025, 2025-01/2025-11); whether it is done or planned;
    #: the id of the headline indicator it measures. Null where unknown or not headline.
    place: str | None = None
    place_code: str | None = None
    period: str | None = None
    status: Status = "actual"
    concept: str | None = None

    @model_validator(mode="wrap")
    @classmethod
    def _check_once(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Fact:
        # An "after" validator would run again on every Fact put into a Document (pydantic
        # calls a model's after-validators on instances too); a Fact is checked once, made.
        if isinstance(data, cls):
            return data
        fact: Fact = handler(data)
        return fact._check()

    def _check(self) -> Fact:
        """Return the fact after the checks fields alone cannot make; raise ValueError."""
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")
        if self.end - self.start != len(self.mention):
            raise ValueError("span length differs from the mention")
        if self.line < 1:
            raise ValueError("line must be 1-based")
        _check_number("value", self.value)
        _check_number("normalized_value", self.normalized_value)
        if self.upper_value is not None:
            _check_number("upper_value", self.upper_value)
        if self.value < 0:
            raise ValueError("value is the number as written and cannot be negative")
        if self.upper_value is not None and abs(self.upper_value) < abs(self.normalized_value):
            raise ValueError("upper_value is below the lower bound")
        if not self.unit and not self.base_unit:
            raise ValueError("a fact needs a unit or a base unit")
        if self.place_code is not None and not re.match(PLACE_CODE_PATTERN, self.place_code):
            raise ValueError(f"place_code {self.place_code!r} is not a 6-digit GB/T 2260 code")
        if self.period is not None and not re.match(PERIOD_PATTERN, self.period):
            raise ValueError(f"period {self.period!r} is not an ISO 8601 year, month or interval")
        return self


#: Column order of facts.csv and key order of facts.jsonl.
FACT_FIELDS: tuple[str, ...] = tuple(Fact.model_fields)


@dataclass(frozen=True)
class DocumentMeta:
    """What the user says about one document (``extract run --meta FILE.csv``): its place
    and its date, each None where not said. It wins over what the text says (the context
    stage records ``place_from``/``date_from`` ``"meta"``).

    ``place`` is a division's full official name (江西省) or 全国; ``place_code`` its GB/T
    2260 code (None for 全国); ``date`` an ISO date, year-month or year. ``origin`` says
    where it was said, for messages (``meta.csv row 3``).
    """

    place: str | None = None
    place_code: str | None = None
    date: str | None = None
    origin: str = "meta"


class Document(BaseModel):
    """Everything the pipeline learned about one input file."""

    doc_id: str
    path: str
    encoding: str
    sha256: str
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    #: The place and date the whole document is about, and where each was read from
    #: (``title``, ``meta``, ``file name`` …); null when unknown. ``date`` is an ISO date
    #: or year.
    place: str | None = None
    place_from: str | None = None
    date: str | None = None
    date_from: str | None = None
    text: str = Field(description="the cleaned text that fact offsets point into")
    sections: list[Section] = []
    sentences: list[Sentence] = []
    facts: list[Fact] = []
    issues: list[Issue] = []
    cleaning_steps: list[str] = []
    removed: list[RemovedText] = []


#: What became of a file that gives no text (``read.UnreadableFile``): ``skipped`` when it
#: holds no report (empty, binary, not a regular file), ``error`` when it cannot be read.
UnreadableStatus = Literal["skipped", "error"]

#: What became of a file in a run: ``ok`` (extracted), or its ``UnreadableStatus``; a file
#: whose extraction fails is an ``error`` too.
FileStatus = Literal["ok", UnreadableStatus]


class ManifestEntry(BaseModel):
    """One file found under the input folder and what became of it."""

    #: The path relative to the input folder; bytes of a name that are not UTF-8 are
    #: written ``\\xNN`` (``read.relative_name``).
    path: str
    #: The path's bytes in hex when they are not UTF-8 (the lossless name), else None.
    path_bytes: str | None = None
    doc_id: str | None
    status: FileStatus
    reason: str | None = None
    encoding: str | None = None
    sha256: str | None = None
    size: int | None = None
    facts: int = 0
    #: The document's place and date and where each came from (as in ``Document``).
    place: str | None = None
    place_from: str | None = None
    date: str | None = None
    date_from: str | None = None
    #: True when an incremental run took the document from the previous run unchanged.
    reused: bool = False
    issues: list[Issue] = []
