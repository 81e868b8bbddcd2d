"""Scoring of extracted facts against gold annotations, as docs/explain-and-eval.md describes.

Detection pairs predicted and gold facts of one document on magnitude and base
unit; the matched pairs are then checked field by field (indicator, comparator,
section, per, sign). Figures over several documents are micro-averaged.

Matching choice
---------------
Inside a document every (gold, prediction) pair whose magnitudes agree within
1e-6 relative and whose units agree is a candidate. Candidates are taken
greedily, best first: higher indicator character F1, then more agreement on
section, mention, comparator and per, then gold reading order, then prediction
order (so facts that look alike pair in document order). Augmenting paths
(Kuhn's algorithm) then extend this matching until no more gold facts can be
matched, so the number of matches is always the maximum; the indicator
similarity of the pairs is maximised only greedily. Non-optional gold facts
are matched first; the predictions left over may then absorb optional gold
facts (each at most once) and are ignored; the rest are false positives.

Empty denominators
------------------
A ratio with nothing to count (``0/0``) is worth 1.0: precision when nothing is
predicted, recall when nothing is expected, an accuracy when no pair qualifies
(the sign accuracy of a document without falls, say). F1 is the harmonic mean
of precision and recall, and 0.0 when both are 0. So an empty prediction for a
document with gold facts scores precision 1.0, recall 0.0, F1 0.0, and an empty
prediction for an empty gold scores 1.0 throughout. The text report prints such
ratios as ``-`` with their ``(0/0)`` counts.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    StringConstraints,
    ValidationError,
)

from .models import PERIOD_PATTERN
from .numbers import MULTIPLIER_CHARS as _GRAMMAR_MULTIPLIERS
from .schema import csv_unescape

__all__ = [
    "GOLD_SUFFIX",
    "INDICATOR_THRESHOLD",
    "PANEL_GOLD_SUFFIX",
    "PREDICTION_FILE",
    "RELATIVE_TOLERANCE",
    "DocScore",
    "EvalReport",
    "FactsFileError",
    "GoldFact",
    "MatchedPair",
    "PanelFileError",
    "PanelGoldCell",
    "PanelReport",
    "Ratio",
    "evaluate_dirs",
    "evaluate_panel",
    "format_panel_report",
    "format_report",
    "indicator_f1",
    "load_facts_jsonl",
    "load_gold_facts",
    "load_panel_gold",
    "load_run_facts",
    "normalize_unit",
    "score_document",
    "score_panel",
]

#: Magnitudes agree when they differ by at most this share of the larger one.
RELATIVE_TOLERANCE = 1e-6
#: An indicator is right when its character F1 against gold reaches this.
INDICATOR_THRESHOLD = 0.6
#: Suffix of gold files: ``DOC_ID.facts.jsonl``.
GOLD_SUFFIX = ".facts.jsonl"
#: Name of the run output inside an output folder.
PREDICTION_FILE = "facts.jsonl"
#: The fact files of a run that ``evaluate_dirs`` reads, the first one present: a run
#: made with ``--format csv`` or ``--format json`` has no facts.jsonl.
PREDICTION_FILES = (PREDICTION_FILE, "facts.json", "facts.csv")

#: The multipliers of the number grammar (numbers.py: 十百千万亿, the financial 拾佰仟 and
#: the traditional 萬億); a unit made only of them names no measure.
MULTIPLIER_CHARS = frozenset(_GRAMMAR_MULTIPLIERS)

# A parenthesised variant inside a unit: 套（间） → 套, 套(间) → 套 (NFKC runs first,
# so full-width brackets are already half-width here).
_PAREN_RE = re.compile(r"\([^()]*\)")


def _finite(value: float) -> float:
    """Return ``value`` when it is a finite number; raise ValueError."""
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return float(value)


#: A JSON number, never a string or a boolean (strict), and finite.
FiniteNumber = Annotated[StrictInt | StrictFloat, AfterValidator(_finite)]


class FactsFileError(ValueError):
    """A facts file that cannot be read; the message names the file and line."""


# ---------------------------------------------------------------- loading


def load_facts_jsonl(path: Path, *, required: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Return the JSON objects of a facts file, one per non-blank line, in file order.

    Raises ``FactsFileError`` naming the file and 1-based line when a line is
    not valid JSON, not a JSON object, or lacks one of the ``required`` keys.
    A UTF-8 byte order mark is accepted.
    """
    path = Path(path)
    required = tuple(required)
    facts: list[dict[str, Any]] = []
    for number, row in _numbered_rows(path):
        missing = [key for key in required if key not in row]
        if missing:
            raise FactsFileError(f"{path}:{number}: missing field {', '.join(missing)}")
        value = row.get("normalized_value")
        if "normalized_value" in row and not _is_number(value):
            raise FactsFileError(
                f"{path}:{number}: normalized_value must be a number, got {value!r}"
            )
        facts.append(row)
    return facts


def _numbered_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """Return (1-based line, JSON object) of each non-blank line of the facts file ``path``;
    raise ``FactsFileError`` naming the line that is not a JSON object."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactsFileError(f"{path}: not UTF-8 ({exc.reason}); save it as UTF-8") from exc
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise FactsFileError(
                f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})"
            ) from exc
        if not isinstance(row, dict):
            raise FactsFileError(
                f"{path}:{number}: expected a JSON object, got {type(row).__name__}"
            )
        rows.append((number, row))
    return rows


class GoldFact(BaseModel):
    """One line of a gold fact file, checked strictly: the value a JSON number (not a
    string, not true or false), texts as texts, the comparator one of the six,
    ``optional`` true or false. Only ``normalized_value`` is required: a gold file written
    before a field existed is not scored on it. Other keys (the annotator's notes) are read
    and left alone; the scorer reads the line itself, as written.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    normalized_value: FiniteNumber
    doc_id: StrictStr | None = None
    section: StrictStr | None = None
    mention: StrictStr | None = None
    value: FiniteNumber | None = None
    unit: StrictStr | None = None
    base_unit: StrictStr | None = None
    per: StrictStr | None = None
    comparator: Literal["=", ">", ">=", "<", "<=", "~"] | None = None
    indicator: StrictStr | None = None
    upper_value: FiniteNumber | None = None
    place: StrictStr | None = None
    period: Annotated[StrictStr, StringConstraints(pattern=PERIOD_PATTERN)] | None = None
    status: Literal["actual", "target"] | None = None
    concept: StrictStr | None = None
    optional: StrictBool = False


def load_gold_facts(path: Path) -> list[dict[str, Any]]:
    """Return the gold facts of the gold file ``path``, each line as written.

    Raises ``FactsFileError`` naming the file and line of a line that is not valid JSON or
    not a ``GoldFact`` (``"optional": "no"``, a value given as text, no normalized_value).
    """
    path = Path(path)
    facts = []
    for number, row in _numbered_rows(path):
        try:
            GoldFact.model_validate(row)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(map(str, problem['loc'])) or 'line'}: {problem['msg']}"
                for problem in error.errors(include_url=False)
            )
            raise FactsFileError(f"{path}:{number}: not a gold fact ({problems})") from None
        facts.append(row)
    return facts


def load_run_facts(path: Path) -> list[dict[str, Any]]:
    """Return the facts of a run's fact file as facts.jsonl gives them, from ``path``:
    facts.jsonl, facts.json or facts.csv (by its name's suffix). Every fact needs a doc_id.

    Raises ``FactsFileError`` naming the file (and line) when it cannot be read.
    """
    path = Path(path)
    if path.suffix == ".csv":
        facts = _load_facts_csv(path)
    elif path.suffix == ".json":
        facts = _load_facts_json(path)
    else:
        return load_facts_jsonl(path, required=("doc_id",))
    for number, row in enumerate(facts, start=1):
        if "doc_id" not in row:
            raise FactsFileError(f"{path}: fact {number}: missing field doc_id")
    return facts


def _prediction_file(run_dir: Path) -> Path:
    """Return the first of ``PREDICTION_FILES`` in ``run_dir``; raise FileNotFoundError."""
    for name in PREDICTION_FILES:
        if (run_dir / name).is_file():
            return run_dir / name
    names = ", ".join(PREDICTION_FILES)
    raise FileNotFoundError(
        f"{run_dir}: no fact file ({names}); pass the folder a run wrote to, or run again "
        "with --format jsonl if it wrote only facts.parquet"
    )


def _load_facts_json(path: Path) -> list[dict[str, Any]]:
    """Return the objects of facts.json, a JSON array of facts.jsonl's objects."""
    try:
        facts = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FactsFileError(f"{path}: not UTF-8 ({exc.reason}); save it as UTF-8") from exc
    except json.JSONDecodeError as exc:
        raise FactsFileError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from exc
    if not isinstance(facts, list) or not all(isinstance(row, dict) for row in facts):
        raise FactsFileError(f"{path}: expected a JSON array of objects")
    return facts


#: The columns of facts.csv whose cells are JSON numbers, as in facts.jsonl (docs/outputs.md).
_CSV_NUMBER_COLUMNS = frozenset(
    {"value", "normalized_value", "upper_value", "start", "end", "line"}
)
#: The facts.csv column that holds a list, and what joins its items (docs/outputs.md).
_CSV_LIST_COLUMN = "qualifiers"
_CSV_LIST_SEPARATOR = ";"


def _load_facts_csv(path: Path) -> list[dict[str, Any]]:
    """Return the rows of facts.csv as facts.jsonl gives them: numbers as numbers, an empty
    cell as null, ``qualifiers`` as a list."""
    import csv

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except UnicodeDecodeError as exc:
        raise FactsFileError(f"{path}: not UTF-8 ({exc.reason}); save it as UTF-8") from exc
    facts: list[dict[str, Any]] = []
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        fact: dict[str, Any] = {}
        for name, cell in row.items():
            if name == _CSV_LIST_COLUMN:
                fact[name] = csv_unescape(cell).split(_CSV_LIST_SEPARATOR) if cell else []
            elif not cell:
                fact[name] = None
            elif name in _CSV_NUMBER_COLUMNS:
                try:
                    fact[name] = json.loads(cell)
                except json.JSONDecodeError:
                    raise FactsFileError(
                        f"{path}:{number}: {name} must be a number, got {cell!r}"
                    ) from None
            else:
                fact[name] = csv_unescape(cell)  # the writer's ' before a formula-like text
        facts.append(fact)
    return facts


def _is_number(value: object) -> TypeGuard[int | float]:
    """Return whether ``value`` is a finite JSON number (true and false are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


# ---------------------------------------------------------------- helpers


def normalize_unit(unit: str | None) -> str:
    """Return ``unit`` with full-width forms folded and parenthesised variants dropped.

    >>> normalize_unit("套（间）")
    '套'
    >>> normalize_unit("％")
    '%'
    >>> normalize_unit(None)
    ''
    """
    if not unit:
        return ""
    folded = unicodedata.normalize("NFKC", unit)
    previous = None
    while previous != folded:  # nested brackets: 套((间))
        previous, folded = folded, _PAREN_RE.sub("", folded)
    return "".join(folded.split())


def is_multiplier_only(unit: str | None) -> bool:
    """Return whether ``unit`` is empty or made only of multipliers (it names no measure).

    >>> is_multiplier_only("万"), is_multiplier_only("万亿"), is_multiplier_only("万人")
    (True, True, False)
    >>> is_multiplier_only(""), is_multiplier_only("萬億")
    (True, True)
    """
    return set(normalize_unit(unit)) <= MULTIPLIER_CHARS


def _indicator_chars(text: str | None) -> Counter[str]:
    # Punctuation (P*), symbols (S*), separators and controls carry no meaning here:
    # “三服务”问题解决率 and 三服务问题解决率 name the same thing.
    folded = unicodedata.normalize("NFKC", text or "")
    return Counter(ch for ch in folded if unicodedata.category(ch)[0] not in "PSZC")


def indicator_f1(predicted: str | None, gold: str | None) -> float:
    """Return the character F1 of two indicators, punctuation and symbols ignored.

    Characters are compared as multisets. Two indicators that are both empty
    after stripping agree fully (1.0); one empty side gives 0.0.

    >>> indicator_f1("“三服务”问题解决率", "三服务问题解决率")
    1.0
    >>> round(indicator_f1("减负", "减负降费"), 3)
    0.667
    """
    pred_chars, gold_chars = _indicator_chars(predicted), _indicator_chars(gold)
    if not pred_chars and not gold_chars:
        return 1.0
    common = (pred_chars & gold_chars).total()
    # 2PR/(P+R) with P = common/|pred| and R = common/|gold|, in one exact division.
    return 2 * common / (pred_chars.total() + gold_chars.total())


def _magnitude(fact: dict[str, Any]) -> float | None:
    value = fact.get("normalized_value")
    return abs(float(value)) if _is_number(value) else None


def _is_negative(fact: dict[str, Any]) -> bool:
    value = fact.get("normalized_value")
    return _is_number(value) and value < 0


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Ratio:
    """A share with its counts: ``correct`` out of ``total``."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        """Return correct/total, or 1.0 when there is nothing to count."""
        return self.correct / self.total if self.total else 1.0

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.correct + other.correct, self.total + other.total)

    def __str__(self) -> str:
        shown = f"{self.value:.3f}" if self.total else "-"
        return f"{shown} ({self.correct}/{self.total})"

    def to_dict(self) -> dict[str, Any]:
        """Return the share and its counts as plain JSON values."""
        return {"value": self.value, "correct": self.correct, "total": self.total}


#: The field checks run on every matched pair, in report order.
FIELD_CHECKS: tuple[str, ...] = ("indicator", "comparator", "section", "per")
#: The context checks (docs/facts.md): run on a matched pair whose gold fact has the
#: field (a gold file annotated before the context fields existed is skipped for them).
CONTEXT_CHECKS: tuple[str, ...] = ("place", "period", "status", "concept")


@dataclass(frozen=True)
class MatchedPair:
    """A gold fact and the prediction it was matched with."""

    gold: dict[str, Any]
    predicted: dict[str, Any]
    indicator_f1: float

    @property
    def indicator_ok(self) -> bool:
        """Return whether the indicators agree at character F1 >= 0.6."""
        return self.indicator_f1 >= INDICATOR_THRESHOLD

    @property
    def sign_applies(self) -> bool:
        """Return whether the sign is scored on this pair (gold value negative)."""
        return _is_negative(self.gold)

    @property
    def sign_ok(self) -> bool:
        """Return whether the prediction is negative (meaningful when ``sign_applies``)."""
        return _is_negative(self.predicted)

    def agrees(self, check: str) -> bool:
        """Return whether the pair passes ``check``, one of ``FIELD_CHECKS``."""
        if check == "indicator":
            return self.indicator_ok
        return self.predicted.get(check) == self.gold.get(check)

    def context_applies(self, check: str) -> bool:
        """Return whether context ``check`` (of ``CONTEXT_CHECKS``) is scored on this pair."""
        return check in self.gold

    @property
    def failed(self) -> list[str]:
        """Return the field checks this pair fails, sign and context included when scored."""
        failed = [check for check in FIELD_CHECKS if not self.agrees(check)]
        if self.sign_applies and not self.sign_ok:
            failed.append("sign")
        failed += [
            check
            for check in CONTEXT_CHECKS
            if self.context_applies(check) and not self.agrees(check)
        ]
        return failed


#: The shares of a ``DocScore``, in report order.
_RATIOS: tuple[str, ...] = (*FIELD_CHECKS, "sign", *CONTEXT_CHECKS)


@dataclass
class DocScore:
    """The detection counts and field accuracies of one document (or of a whole run)."""

    doc_id: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    #: Predictions that matched an optional gold fact and were ignored.
    ignored: int = 0
    #: Non-optional gold facts (the recall denominator) and optional ones.
    gold: int = 0
    optional: int = 0
    predicted: int = 0
    indicator: Ratio = field(default_factory=Ratio)
    comparator: Ratio = field(default_factory=Ratio)
    section: Ratio = field(default_factory=Ratio)
    per: Ratio = field(default_factory=Ratio)
    sign: Ratio = field(default_factory=Ratio)
    place: Ratio = field(default_factory=Ratio)
    period: Ratio = field(default_factory=Ratio)
    status: Ratio = field(default_factory=Ratio)
    concept: Ratio = field(default_factory=Ratio)
    #: False when the run wrote no fact for a document that has gold facts.
    has_predictions: bool = True
    pairs: list[MatchedPair] = field(default_factory=list, repr=False)
    misses: list[dict[str, Any]] = field(default_factory=list, repr=False)
    extras: list[dict[str, Any]] = field(default_factory=list, repr=False)

    @property
    def precision_ratio(self) -> Ratio:
        """Return TP out of TP + FP."""
        return Ratio(self.tp, self.tp + self.fp)

    @property
    def recall_ratio(self) -> Ratio:
        """Return TP out of the non-optional gold facts."""
        return Ratio(self.tp, self.tp + self.fn)

    @property
    def precision(self) -> float:
        """Return TP/(TP+FP), 1.0 when nothing counted was predicted."""
        return self.precision_ratio.value

    @property
    def recall(self) -> float:
        """Return TP/(non-optional gold), 1.0 when nothing was expected."""
        return self.recall_ratio.value

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall, 0.0 when both are 0."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def mismatched(self) -> list[MatchedPair]:
        """Return the matched pairs that fail a field check."""
        return [pair for pair in self.pairs if pair.failed]

    def add(self, other: DocScore) -> None:
        """Add the counts of ``other`` to this score (micro-averaging); lists are not kept."""
        for name in ("tp", "fp", "fn", "ignored", "gold", "optional", "predicted"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in _RATIOS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self, *, include_errors: bool = True) -> dict[str, Any]:
        """Return the score as plain JSON values; misses, extras and mismatches optional."""
        result: dict[str, Any] = {
            "doc_id": self.doc_id,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "ignored": self.ignored,
            "gold": self.gold,
            "optional": self.optional,
            "predicted": self.predicted,
            "has_predictions": self.has_predictions,
        }
        for name in _RATIOS:
            result[name] = getattr(self, name).to_dict()
        if include_errors:
            result["misses"] = self.misses
            result["extras"] = self.extras
            result["mismatched"] = [
                {
                    "gold": pair.gold,
                    "predicted": pair.predicted,
                    "indicator_f1": pair.indicator_f1,
                    "failed": pair.failed,
                }
                for pair in self.mismatched
            ]
        return result


@dataclass
class EvalReport:
    """The scores of a run: one ``DocScore`` per gold document, micro-averaged overall."""

    documents: list[DocScore] = field(default_factory=list)
    #: Documents of the run that have no gold file (not scored).
    unscored: list[str] = field(default_factory=list)

    @property
    def overall(self) -> DocScore:
        """Return the counts of all documents summed (micro-average)."""
        total = DocScore(doc_id="overall")
        for doc in self.documents:
            total.add(doc)
        return total

    @property
    def missing(self) -> list[str]:
        """Return the gold documents for which the run wrote no fact."""
        return [doc.doc_id for doc in self.documents if not doc.has_predictions]

    @property
    def precision(self) -> float:
        """Return the overall detection precision."""
        return self.overall.precision

    @property
    def recall(self) -> float:
        """Return the overall detection recall."""
        return self.overall.recall

    @property
    def f1(self) -> float:
        """Return the overall detection F1."""
        return self.overall.f1

    @property
    def indicator(self) -> float:
        """Return the overall indicator accuracy."""
        return self.overall.indicator.value

    @property
    def comparator(self) -> float:
        """Return the overall comparator accuracy."""
        return self.overall.comparator.value

    @property
    def section(self) -> float:
        """Return the overall section accuracy."""
        return self.overall.section.value

    @property
    def per(self) -> float:
        """Return the overall per accuracy."""
        return self.overall.per.value

    @property
    def sign(self) -> float:
        """Return the overall sign accuracy."""
        return self.overall.sign.value

    @property
    def place(self) -> float:
        """Return the overall place accuracy."""
        return self.overall.place.value

    @property
    def period(self) -> float:
        """Return the overall period accuracy."""
        return self.overall.period.value

    @property
    def status(self) -> float:
        """Return the overall status accuracy."""
        return self.overall.status.value

    @property
    def concept(self) -> float:
        """Return the overall concept accuracy."""
        return self.overall.concept.value

    def to_dict(self, *, include_errors: bool = True) -> dict[str, Any]:
        """Return the report as plain JSON values (``json.dumps`` ready)."""
        return {
            "overall": self.overall.to_dict(include_errors=False),
            "documents": [doc.to_dict(include_errors=include_errors) for doc in self.documents],
            "unscored": list(self.unscored),
            "missing": self.missing,
        }


# ---------------------------------------------------------------- matching


def _candidates(
    predicted: Sequence[dict[str, Any]],
    pred_indices: Sequence[int],
    gold: Sequence[dict[str, Any]],
    gold_indices: Sequence[int],
) -> dict[int, list[int]]:
    """Return, for each gold index, the prediction indices it may match."""
    pred_keys = sorted(
        (magnitude, index)
        for index in pred_indices
        if (magnitude := _magnitude(predicted[index])) is not None
    )
    magnitudes = [magnitude for magnitude, _ in pred_keys]
    pred_units = {i: normalize_unit(predicted[i].get("base_unit")) for i in pred_indices}
    edges: dict[int, list[int]] = {}
    for g in gold_indices:
        fact = gold[g]
        magnitude = _magnitude(fact)
        if magnitude is None:
            continue
        any_unit = is_multiplier_only(fact.get("unit"))
        unit = normalize_unit(fact.get("base_unit"))
        # A slightly wide window from the sorted magnitudes, then the exact test.
        slack = magnitude * RELATIVE_TOLERANCE * 2
        low = bisect_left(magnitudes, magnitude - slack)
        high = bisect_right(magnitudes, magnitude + slack)
        edges[g] = [
            p
            for other, p in pred_keys[low:high]
            if math.isclose(other, magnitude, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0)
            and (any_unit or pred_units[p] == unit)
        ]
    return edges


#: Fields that break ties between equally similar indicators: the pair that agrees
#: on more of them is taken first (a 3万亿元 restated in two sections pairs by section).
_TIE_KEYS: tuple[str, ...] = ("section", "mention", "comparator", "per")


def _match(
    predicted: Sequence[dict[str, Any]],
    pred_indices: Sequence[int],
    gold: Sequence[dict[str, Any]],
    gold_indices: Sequence[int],
) -> dict[int, int]:
    """Return a maximum matching {gold index: prediction index}, best-looking pairs first."""
    edges = _candidates(predicted, pred_indices, gold, gold_indices)

    def preference(g: int, p: int) -> tuple[float, int, int, int]:
        similarity = indicator_f1(predicted[p].get("indicator"), gold[g].get("indicator"))
        agreements = sum(predicted[p].get(key) == gold[g].get(key) for key in _TIE_KEYS)
        return (-similarity, -agreements, g, p)

    ranked = sorted((preference(g, p) for g, ps in edges.items() for p in ps))
    gold_to_pred: dict[int, int] = {}
    pred_to_gold: dict[int, int] = {}
    for _, _, g, p in ranked:
        if g not in gold_to_pred and p not in pred_to_gold:
            gold_to_pred[g], pred_to_gold[p] = p, g

    # Kuhn's augmenting paths: each free gold is tried once, which is enough
    # for a maximum matching (a vertex without an augmenting path never gains one).
    for start in gold_indices:
        if start in gold_to_pred or not edges.get(start):
            continue
        parent: dict[int, int] = {}  # prediction → gold it was reached from
        queue = deque([start])
        end = None
        while queue and end is None:
            g = queue.popleft()
            for p in edges[g]:
                if p in parent:
                    continue
                parent[p] = g
                if p not in pred_to_gold:
                    end = p
                    break
                queue.append(pred_to_gold[p])
        while end is not None:  # flip the path back to its start
            g = parent[end]
            previous = gold_to_pred.get(g)
            gold_to_pred[g], pred_to_gold[end] = end, g
            end = previous if g != start else None
    return gold_to_pred


def score_document(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]], *, doc_id: str | None = None
) -> DocScore:
    """Return the detection counts and field accuracies of one document's predictions.

    ``predicted`` and ``gold`` are fact rows (dicts with the fields of docs/facts.md) of
    the same document; gold rows may carry ``"optional": true``. ``doc_id``
    defaults to the ``doc_id`` of the first gold or predicted row.
    """
    if doc_id is None:
        first = next(iter(gold), None) or next(iter(predicted), None) or {}
        doc_id = str(first.get("doc_id", ""))
    required = [i for i, fact in enumerate(gold) if not fact.get("optional")]
    optional = [i for i, fact in enumerate(gold) if fact.get("optional")]

    matched = _match(predicted, range(len(predicted)), gold, required)
    taken = set(matched.values())
    leftover = [p for p in range(len(predicted)) if p not in taken]
    absorbed = _match(predicted, leftover, gold, optional)
    used = set(matched.values()) | set(absorbed.values())

    score = DocScore(
        doc_id=doc_id,
        tp=len(matched),
        fp=len(predicted) - len(used),
        fn=len(required) - len(matched),
        ignored=len(absorbed),
        gold=len(required),
        optional=len(optional),
        predicted=len(predicted),
        has_predictions=bool(predicted),
    )
    for g in sorted(matched):
        pair = MatchedPair(
            gold=gold[g],
            predicted=predicted[matched[g]],
            indicator_f1=indicator_f1(
                predicted[matched[g]].get("indicator"), gold[g].get("indicator")
            ),
        )
        score.pairs.append(pair)
        for check in FIELD_CHECKS:
            setattr(score, check, getattr(score, check) + Ratio(int(pair.agrees(check)), 1))
        if pair.sign_applies:
            score.sign += Ratio(int(pair.sign_ok), 1)
        for check in CONTEXT_CHECKS:
            if pair.context_applies(check):
                setattr(score, check, getattr(score, check) + Ratio(int(pair.agrees(check)), 1))
    score.misses = [gold[g] for g in required if g not in matched]
    score.extras = [fact for p, fact in enumerate(predicted) if p not in used]
    return score


# ---------------------------------------------------------------- folders


def _gold_files(gold_dir: Path) -> dict[str, Path]:
    """Return {doc_id: gold file} for every ``*.facts.jsonl`` under ``gold_dir``, sorted."""
    found = {}
    for path in sorted(gold_dir.rglob(f"*{GOLD_SUFFIX}")):
        if path.is_file():
            relative = path.relative_to(gold_dir).as_posix()
            found[relative[: -len(GOLD_SUFFIX)]] = path
    return found


def evaluate_dirs(pred_dir: Path, gold_dir: Path) -> EvalReport:
    """Return the scores of the run in ``pred_dir`` against the gold files in ``gold_dir``.

    ``pred_dir`` holds the run's ``facts.jsonl`` (a path to the file itself is
    accepted too); every row needs a ``doc_id``. ``gold_dir`` holds
    ``DOC_ID.facts.jsonl`` files, searched recursively; a file's doc_id is its
    path relative to ``gold_dir`` without the suffix, ``/``-separated. Gold
    documents the run left out count as all misses; run documents without gold
    are listed in ``unscored``.
    """
    pred_dir, gold_dir = Path(pred_dir), Path(gold_dir)
    pred_file = pred_dir if pred_dir.is_file() else _prediction_file(pred_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{gold_dir}: no such folder; pass the folder of gold files")

    by_doc: dict[str, list[dict[str, Any]]] = {}
    for fact in load_run_facts(pred_file):
        by_doc.setdefault(str(fact["doc_id"]), []).append(fact)

    report = EvalReport()
    gold_files = _gold_files(gold_dir)
    for doc_id, path in gold_files.items():
        gold = load_gold_facts(path)
        report.documents.append(score_document(by_doc.get(doc_id, []), gold, doc_id=doc_id))
    if not any(document.gold or document.optional for document in report.documents):
        # Nothing to score against: a perfect score of nothing would hide a wrong folder.
        raise FactsFileError(
            f"{gold_dir}: no gold fact (no non-empty *{GOLD_SUFFIX} file); "
            "pass the folder of gold fact files"
        )
    report.unscored = sorted(set(by_doc) - set(gold_files))
    return report


# ---------------------------------------------------------------- text report


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    space = " " * max(width - _width(text), 0)
    return space + text if right else text + space


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [_pad(row[0], widths[0])]
        for cell, width in zip(row[1:], widths[1:], strict=True):
            cells.append(_pad(cell, width, right=True))
        lines.append("  ".join(cells).rstrip())
    return lines


def _row(name: str, score: DocScore) -> list[str]:
    return [
        name,
        str(score.predicted),
        str(score.gold),
        str(score.ignored),
        str(score.precision_ratio),
        str(score.recall_ratio),
        f"{score.f1:.3f}",
        *(str(getattr(score, check)) for check in _RATIOS),
    ]


def _describe(fact: dict[str, Any]) -> str:
    parts = [
        f"{fact.get('mention', '')!s}",
        f"value {fact.get('normalized_value')} {fact.get('base_unit', '')}".rstrip(),
        f"unit {fact.get('unit', '')}",
        f"indicator {fact.get('indicator', '')}",
    ]
    if fact.get("sentence"):
        parts.append(f"sentence {fact['sentence']}")
    return " | ".join(parts)


def _describe_pair(pair: MatchedPair) -> str:
    gold, pred = pair.gold, pair.predicted
    differences = []
    for check in pair.failed:
        key = "normalized_value" if check == "sign" else check
        detail = f"{check}: gold {gold.get(key)!s} / predicted {pred.get(key)!s}"
        if check == "indicator":
            detail += f" (F1 {pair.indicator_f1:.2f})"
        differences.append(detail)
    return f"{gold.get('mention', '')!s}: " + "; ".join(differences)


def format_report(report: EvalReport, *, list_errors: bool = False) -> str:
    """Return the report as a text table: overall, then one row per gold document.

    Each share is printed with its counts, e.g. ``0.912 (312/342)``; ``-`` marks
    a share with nothing to count. With ``list_errors``, each document's misses
    (gold facts not matched), extras (predictions not matched) and matched pairs
    failing the indicator, comparator, section, per, sign, place, period, status or
    concept check follow.
    """
    header = [
        "document", "pred", "gold", "ignored", "precision", "recall", "f1", *_RATIOS,
    ]  # fmt: skip
    rows = [header, _row("overall", report.overall)]
    rows += [_row(doc.doc_id, doc) for doc in report.documents]
    table = _table(rows)
    rule = "-" * max(_width(line) for line in table)
    lines = [table[0], rule, table[1], rule, *table[2:]]
    lines.append("")
    lines.append(
        f"{len(report.documents)} gold documents; pred = predicted facts, gold = non-optional "
        f"gold facts, ignored = predictions matching optional gold"
    )
    if report.missing:
        lines.append(f"no predictions (all misses): {', '.join(report.missing)}")
    if report.unscored:
        lines.append(f"no gold file (not scored): {', '.join(report.unscored)}")

    if list_errors:
        for doc in report.documents:
            if not (doc.misses or doc.extras or doc.mismatched):
                continue
            lines += ["", f"== {doc.doc_id} =="]
            if doc.misses:
                lines.append(f"  misses ({len(doc.misses)} gold facts not matched):")
                lines += [f"    - {_describe(fact)}" for fact in doc.misses]
            if doc.extras:
                lines.append(f"  extras ({len(doc.extras)} predictions not matched):")
                lines += [f"    + {_describe(fact)}" for fact in doc.extras]
            if doc.mismatched:
                lines.append(f"  mismatched ({len(doc.mismatched)} matched pairs):")
                lines += [f"    ~ {_describe_pair(pair)}" for pair in doc.mismatched]
    return "\n".join(lines)


# ---------------------------------------------------------------- panel

#: Suffix of gold panel files: ``NAME.panel.jsonl``, one gold cell a line.
PANEL_GOLD_SUFFIX = ".panel.jsonl"
#: Name of the panel inside an output folder.
PANEL_FILE = "panel.csv"

#: A panel key: place, concept, period, status.
PanelKey = tuple[str, str, str, str]


class PanelGoldCell(BaseModel):
    """One line of a gold panel file: a headline cell the reports state, and its value.

    Checked strictly: every key field a non-empty string of its form, the value a JSON
    number (not a string), the comparator one of the six. Other keys (``line``,
    ``evidence``: the annotator's notes) are read and left alone.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    place: Annotated[StrictStr, StringConstraints(min_length=1)]
    concept: Annotated[StrictStr, StringConstraints(min_length=1)]
    period: Annotated[StrictStr, StringConstraints(pattern=PERIOD_PATTERN)]
    status: Literal["actual", "target"]
    normalized_value: FiniteNumber
    base_unit: StrictStr
    comparator: Literal["=", ">", ">=", "<", "<=", "~"]
    upper_value: FiniteNumber | None = None
    evidence: StrictStr | None = None

    @property
    def key(self) -> PanelKey:
        """Return the cell's place, concept, period and status."""
        return (self.place, self.concept, self.period, self.status)


@dataclass(frozen=True)
class PanelPrediction:
    """One row of a run's panel.csv, as the scorer reads it."""

    place: str | None
    concept: str
    period: str | None
    status: str
    normalized_value: float
    comparator: str
    base_unit: str
    sentence: str
    #: 1-based line of panel.csv (the header is line 1).
    line: int

    @property
    def key(self) -> tuple[str | None, str, str | None, str]:
        """Return the row's place, concept, period and status."""
        return (self.place, self.concept, self.period, self.status)


@dataclass
class PanelScore:
    """The panel scores of one place (or of the whole run): rows right out of rows, and
    gold cells found out of gold cells, with what went wrong."""

    place: str
    rows: int = 0
    gold: int = 0
    right: int = 0
    #: Gold cells no row has the key of.
    misses: list[PanelGoldCell] = field(default_factory=list, repr=False)
    #: Rows whose key is no gold cell.
    extras: list[PanelPrediction] = field(default_factory=list, repr=False)
    #: Rows whose key is a gold cell but whose value or comparator differs.
    wrong: list[tuple[PanelGoldCell, PanelPrediction]] = field(default_factory=list, repr=False)

    @property
    def precision(self) -> Ratio:
        """Return the rows that are right out of all rows."""
        return Ratio(self.right, self.rows)

    @property
    def recall(self) -> Ratio:
        """Return the gold cells found (a right row) out of all gold cells."""
        return Ratio(self.right, self.gold)

    def add(self, other: PanelScore) -> None:
        """Add the counts of ``other`` to this score; lists are not kept."""
        self.rows += other.rows
        self.gold += other.gold
        self.right += other.right

    def to_dict(self) -> dict[str, Any]:
        """Return the score as plain JSON values."""
        return {
            "place": self.place,
            "precision": self.precision.to_dict(),
            "recall": self.recall.to_dict(),
            "misses": [cell.model_dump() for cell in self.misses],
            "extras": [asdict(row) for row in self.extras],
            "wrong": [
                {"gold": cell.model_dump(), "predicted": asdict(row)} for cell, row in self.wrong
            ],
        }


@dataclass
class PanelReport:
    """The panel scores of a run: one ``PanelScore`` per place, summed overall."""

    places: list[PanelScore] = field(default_factory=list)

    @property
    def overall(self) -> PanelScore:
        """Return the counts of all places summed."""
        total = PanelScore(place="overall")
        for score in self.places:
            total.add(score)
        return total

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain JSON values."""
        overall = self.overall
        return {
            "overall": {
                "precision": overall.precision.to_dict(),
                "recall": overall.recall.to_dict(),
            },
            "places": [score.to_dict() for score in self.places],
        }


class PanelFileError(ValueError):
    """A gold panel file or panel.csv that cannot be read; the message names file and line."""


def load_panel_gold(gold_dir: Path) -> list[PanelGoldCell]:
    """Return the gold cells of every ``*.panel.jsonl`` under ``gold_dir``, sorted by file.

    Raises ``PanelFileError`` naming the file and line of a line that is not a valid
    cell, of a key given twice, and when there is no gold cell at all.
    """
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{gold_dir}: no such folder; pass the folder of gold panel files")
    cells: dict[PanelKey, tuple[PanelGoldCell, str]] = {}
    for path in sorted(gold_dir.rglob(f"*{PANEL_GOLD_SUFFIX}")):
        for number, row in _numbered_json_lines(path):
            where = f"{path}:{number}"
            try:
                cell = PanelGoldCell.model_validate(row)
            except ValidationError as error:
                problems = "; ".join(
                    f"{'.'.join(map(str, problem['loc'])) or 'line'}: {problem['msg']}"
                    for problem in error.errors(include_url=False)
                )
                raise PanelFileError(f"{where}: not a gold panel cell ({problems})") from None
            if cell.key in cells:
                raise PanelFileError(
                    f"{where}: the cell {' / '.join(cell.key)} is given twice "
                    f"(first at {cells[cell.key][1]}); a key has one value"
                )
            cells[cell.key] = (cell, where)
    if not cells:
        raise PanelFileError(
            f"{gold_dir}: no gold panel cell (no non-empty *{PANEL_GOLD_SUFFIX} file); "
            "pass the folder of gold panel files"
        )
    return [cell for cell, _ in cells.values()]


def _numbered_json_lines(path: Path) -> list[tuple[int, Any]]:
    """Return (1-based line, parsed JSON) of each non-blank line of ``path``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PanelFileError(f"{path}: not UTF-8 ({exc.reason}); save it as UTF-8") from exc
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise PanelFileError(
                f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})"
            ) from exc
    return rows


#: The columns of panel.csv the scorer reads.
_PANEL_COLUMNS = ("place", "concept", "period", "status", "normalized_value", "comparator")


def load_panel_csv(path: Path) -> list[PanelPrediction]:
    """Return the rows of a run's panel.csv; raise ``PanelFileError`` on a malformed one."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PanelFileError(f"{path}: not UTF-8 ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in _PANEL_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        raise PanelFileError(f"{path}: no column {', '.join(missing)}; is it a panel.csv?")
    rows = []
    for raw in reader:
        number = reader.line_num
        # Text cells a spreadsheet would read as a formula carry a ' (csv_escape): undone.
        row = {name: csv_unescape(cell) if cell else cell for name, cell in raw.items()}
        try:
            value = float(row["normalized_value"])
        except ValueError:
            raise PanelFileError(
                f"{path}:{number}: normalized_value must be a number, got "
                f"{row['normalized_value']!r}"
            ) from None
        rows.append(
            PanelPrediction(
                place=row["place"] or None,
                concept=row["concept"],
                period=row["period"] or None,
                status=row["status"],
                normalized_value=value,
                comparator=row["comparator"],
                base_unit=row.get("base_unit") or "",
                sentence=row.get("sentence") or "",
                line=number,
            )
        )
    return rows


def _panel_right(cell: PanelGoldCell, row: PanelPrediction) -> bool:
    """Return whether ``row`` states gold ``cell``: its value (1e-6 relative) and comparator."""
    return row.comparator == cell.comparator and math.isclose(
        row.normalized_value, cell.normalized_value, rel_tol=RELATIVE_TOLERANCE, abs_tol=0.0
    )


def score_panel(rows: Sequence[PanelPrediction], gold: Sequence[PanelGoldCell]) -> PanelReport:
    """Return the panel scores of ``rows`` against the ``gold`` cells, by place.

    A row is right when its key is a gold cell's and its value (within 1e-6 relative)
    and comparator agree with it; precision is over rows, recall over gold cells. A row
    of an unknown place or period is never right.
    """
    cells = {cell.key: cell for cell in gold}
    by_place: dict[str, PanelScore] = {}

    def score_of(place: str | None) -> PanelScore:
        name = place if place is not None else "(unknown place)"
        return by_place.setdefault(name, PanelScore(place=name))

    for cell in gold:
        score_of(cell.place).gold += 1
    found: set[PanelKey] = set()
    for row in rows:
        score = score_of(row.place)
        score.rows += 1
        match = cells.get(row.key)  # type: ignore[arg-type]
        if match is None:
            score.extras.append(row)
        elif _panel_right(match, row):
            score.right += 1
            found.add(match.key)
        else:
            score.wrong.append((match, row))
    wrong_keys = {cell.key for score in by_place.values() for cell, _ in score.wrong}
    for cell in gold:
        if cell.key not in found and cell.key not in wrong_keys:
            score_of(cell.place).misses.append(cell)
    return PanelReport(places=[by_place[name] for name in sorted(by_place)])


def evaluate_panel(pred_dir: Path, gold_dir: Path) -> PanelReport:
    """Return the panel scores of the run in ``pred_dir`` (its panel.csv, or the file
    itself) against the ``*.panel.jsonl`` files under ``gold_dir``."""
    pred_dir = Path(pred_dir)
    pred_file = pred_dir if pred_dir.is_file() else pred_dir / PANEL_FILE
    gold = load_panel_gold(gold_dir)
    if not pred_file.is_file():
        raise FileNotFoundError(f"{pred_file}: no such file; pass the folder a run wrote to")
    return score_panel(load_panel_csv(pred_file), gold)


def _describe_cell(cell: PanelGoldCell) -> str:
    """Return a gold cell as --list shows it."""
    text = f"{' '.join(cell.key[1:])}: {cell.comparator} {cell.normalized_value:g} {cell.base_unit}"
    return text + (f" | evidence {cell.evidence}" if cell.evidence else "")


def _describe_row(row: PanelPrediction) -> str:
    """Return a panel.csv row as --list shows it."""
    key = " ".join(part or "?" for part in row.key[1:])
    return (
        f"{key}: {row.comparator} {row.normalized_value:g} {row.base_unit} "
        f"| panel.csv line {row.line} | sentence {row.sentence}"
    )


def format_panel_report(report: PanelReport, *, list_errors: bool = False) -> str:
    """Return the panel report as a text table: overall, then one row per place.

    With ``list_errors``, each place's misses (gold cells without a row), wrong rows
    (a gold key with another value or comparator) and extras (rows of no gold key) follow.
    """
    header = ["panel", "rows", "gold", "right", "precision", "recall"]

    def line(score: PanelScore) -> list[str]:
        return [
            score.place,
            str(score.rows),
            str(score.gold),
            str(score.right),
            str(score.precision),
            str(score.recall),
        ]

    table = _table([header, line(report.overall), *map(line, report.places)])
    rule = "-" * max(_width(text) for text in table)
    lines = [table[0], rule, table[1], rule, *table[2:], ""]
    lines.append(
        f"{len(report.places)} places; rows = panel.csv rows, gold = gold cells, right = rows "
        "whose key is a gold cell with the same value and comparator"
    )
    if list_errors:
        for score in report.places:
            if not (score.misses or score.wrong or score.extras):
                continue
            lines += ["", f"== {score.place} =="]
            if score.misses:
                lines.append(f"  misses ({len(score.misses)} gold cells without a row):")
                lines += [f"    - {_describe_cell(cell)}" for cell in score.misses]
            if score.wrong:
                lines.append(f"  wrong ({len(score.wrong)} rows of a gold key, other value):")
                for cell, row in score.wrong:
                    lines.append(f"    ~ gold {_describe_cell(cell)}")
                    lines.append(f"      row  {_describe_row(row)}")
            if score.extras:
                lines.append(f"  extras ({len(score.extras)} rows of no gold key):")
                lines += [f"    + {_describe_row(row)}" for row in score.extras]
    return "\n".join(lines)
