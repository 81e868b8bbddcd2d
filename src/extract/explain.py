"""What the pipeline did with one report, and why: ``python -m extract explain FILE``.

An ``Explanation`` lists the cleaning steps that changed something, the lines dropped
as page furniture, the sections found, every fact with the rules that produced it and
its clause as jieba segmented it, and every number in the text that did not become a
fact with the reason (a ``facts.Rejection``). The stages run from the same
table as in ``pipeline.extract_source`` (``pipeline.STAGES``), so the facts explained are
the facts written.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import regex
from pydantic import BaseModel

from .clean import FIX_STEPS
from .facts import Rejected, Rejection, SentenceTrace, clause_words
from .lexicon import Lexicon
from .models import (
    CleanText,
    Fact,
    Issue,
    RemovedText,
    Section,
    Sentence,
    SourceText,
    decimal_to_json,
)
from .numbers import NUMBER_RUN_PATTERN
from .pipeline import StageWork, run_stages

#: A run of Arabic digits (with decimals) or Chinese numerals: what a reader sees as a number.
_NUMBER_RUN_RE = regex.compile(NUMBER_RUN_PATTERN)
#: The number of a heading or list item: 一、 （二） 3. at the start of a line or sentence.
_NUMBERING_BEFORE = ("", "\n", "（", "(", "〔", "【")
_NUMBERING_AFTER = ("、", "）", ")", "．", ".", "〕", "】", "是")
#: Characters of context shown on each side of a cleaning change.
_CHANGE_CONTEXT = 8
#: Characters of context shown on each side of a number that is no fact.
_NUMBER_CONTEXT = 6


class CleaningStep(BaseModel):
    """One cleaning step that changed the text: how often, and the first place it did."""

    name: str
    count: int
    line: int | None = None
    before: str = ""
    after: str = ""


class ExplainedSection(BaseModel):
    """A section found by the segmenter, with where it starts and how many facts it holds."""

    section: Section
    line: int
    facts: int


class ExplainedFact(BaseModel):
    """One fact with the rules that produced it and its clause as jieba segmented it."""

    fact: Fact
    rules: list[str]
    clause: str
    words: list[tuple[str, str]]
    #: Why the fact got its place, period, status and concept (the context stage).
    context: list[str] = []


class RejectedNumber(BaseModel):
    """A number in the text that is no fact, and why (``reason`` is a ``Rejection`` name)."""

    text: str
    start: int
    end: int
    line: int
    reason: str
    explanation: str
    context: str = ""


class Explanation(BaseModel):
    """Everything ``explain`` shows for one report."""

    doc_id: str
    path: str
    encoding: str
    cleaning: list[CleaningStep]
    removed: list[RemovedText]
    sections: list[ExplainedSection]
    facts: list[ExplainedFact]
    rejected: list[RejectedNumber]
    issues: list[Issue]
    #: The document's place and date, and where each was read from (the context stage).
    place: str | None = None
    place_from: str | None = None
    date: str | None = None
    date_from: str | None = None


def explain_source(source: SourceText, *, lexicon: Lexicon | None = None) -> Explanation:
    """Return the explanation of one decoded report: cleaning, sections, facts and non-facts.

    The stages run as ``pipeline.extract_source`` runs them (``pipeline.STAGES``), with the
    extractor's trace recorded. ``lexicon`` is the one to extract with (None: the bundled one).
    """
    work = run_stages(StageWork(source, lexicon, trace=[], invalid=[]))
    clean, segmented, trace = work.clean, work.segmented, work.trace
    assert clean is not None and segmented is not None and trace is not None
    invalid = dict(zip(work.invalid or [], _validation_issues(work.issues), strict=True))
    valid = iter(work.facts)
    context = iter(work.context_reasons or [])
    facts: list[ExplainedFact] = []
    rejected: list[RejectedNumber] = []
    traced = [(entry, quantity) for entry in trace for quantity in entry.facts]
    for position, (entry, quantity) in enumerate(traced):
        issue = invalid.get(position)
        if issue is None:
            facts.append(_explain_fact(next(valid), quantity.reasons, entry.sentence, lexicon))
            facts[-1].context = next(context, [])
        else:
            rejected.append(
                _rejected(clean, entry.sentence, quantity.start, quantity.end, Rejection.INVALID)
            )
            rejected[-1].explanation += f": {issue.reason}"
    for entry in trace:
        for item in entry.rejected:
            rejected.append(_explain_rejected(clean, entry.sentence, item))
    rejected.extend(_unread_numbers(clean, trace, facts, rejected))
    rejected.sort(key=lambda r: (r.start, r.end))
    return Explanation(
        doc_id=source.doc_id,
        path=source.path,
        encoding=source.encoding,
        cleaning=_cleaning_steps(source.text, clean),
        removed=clean.removed,
        sections=[
            ExplainedSection(
                section=section,
                line=clean.raw_line(section.start),
                facts=sum(1 for f in facts if f.fact.section == section.title),
            )
            for section in segmented.sections
        ],
        facts=facts,
        rejected=rejected,
        issues=work.issues,
        place=work.place,
        place_from=work.place_from,
        date=work.date,
        date_from=work.date_from,
    )


def _validation_issues(issues: list[Issue]) -> list[Issue]:
    """Return the issues of the validate stage, one for each candidate it refused, in order."""
    return [issue for issue in issues if issue.stage == "validate"]


def _explain_fact(
    fact: Fact, rules: list[str], sentence: Sentence, lexicon: Lexicon | None
) -> ExplainedFact:
    """Return a fact with its rules and the jieba words of its clause."""
    start, end, words = clause_words(sentence.text, fact.start - sentence.start, lexicon=lexicon)
    return ExplainedFact(fact=fact, rules=list(rules), clause=sentence.text[start:end], words=words)


def _explain_rejected(clean: CleanText, sentence: Sentence, item: Rejected) -> RejectedNumber:
    """Return a rejected quantity of a sentence as a ``RejectedNumber``."""
    reason = item.reason
    start, end = item.quantity.start, item.quantity.end
    if reason is Rejection.BARE_NUMBER and _is_numbering(sentence.text, start, end):
        reason = Rejection.HEADING
    return _rejected(clean, sentence, start, end, reason)


def _rejected(
    clean: CleanText, sentence: Sentence, start: int, end: int, reason: Rejection
) -> RejectedNumber:
    """Return the record of ``start:end`` (offsets in the sentence) rejected for ``reason``."""
    absolute = sentence.start + start
    return RejectedNumber(
        text=sentence.text[start:end],
        start=absolute,
        end=sentence.start + end,
        line=clean.raw_line(absolute),
        reason=reason.name.lower(),
        explanation=reason.value,
        context=_context(sentence.text, start, end),
    )


def _context(text: str, start: int, end: int) -> str:
    """Return the number at ``start:end`` of ``text`` with a few characters on each side.

    >>> _context("会议于2022年9月21日下午召开", 8, 10)
    '于2022年9月21日下午召'
    """
    left = max(0, start - _NUMBER_CONTEXT)
    return text[left : end + _NUMBER_CONTEXT].replace("\n", " ")


def _is_numbering(text: str, start: int, end: int) -> bool:
    """True for the number of a heading or list item: 一、 （二） 3. at the start.

    >>> _is_numbering("（二）推进改革", 1, 2), _is_numbering("增长三成", 2, 3)
    (True, False)
    """
    before = text[max(0, start - 1) : start]
    return before in _NUMBERING_BEFORE and text[end : end + 1] in _NUMBERING_AFTER


def _unread_numbers(
    clean: CleanText,
    trace: list[SentenceTrace],
    facts: list[ExplainedFact],
    rejected: list[RejectedNumber],
) -> Iterator[RejectedNumber]:
    """Yield the numbers of the text the extractor never read as quantities, with a reason."""
    covered = [(f.fact.start, f.fact.end) for f in facts] + [(r.start, r.end) for r in rejected]
    covered.sort()
    failed = [(e.sentence.start, e.sentence.end) for e in trace if e.error is not None]
    text = clean.text
    for match in _NUMBER_RUN_RE.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in covered):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if any(s <= start < e for s, e in failed):
            reason = Rejection.UNREADABLE
        elif _is_numbering(text, start, end) or start == line_start:
            reason = Rejection.HEADING
        else:
            reason = Rejection.NOT_A_QUANTITY
        yield RejectedNumber(
            text=match.group(),
            start=start,
            end=end,
            line=clean.raw_line(start),
            reason=reason.name.lower(),
            explanation=reason.value,
            context=_context(text[line_start:line_end], start - line_start, end - line_start),
        )


def _cleaning_steps(raw: str, clean: CleanText) -> list[CleaningStep]:
    """Return the cleaning steps that fired, each with a count and its first change.

    The steps run in table order over the raw text, as the cleaner's first round does;
    a step that fired only after re-flow (３\n．５) shows a count of 0.
    """
    steps: list[CleaningStep] = []
    text = raw
    for fix in FIX_STEPS:
        fixed = fix.apply(text)
        if fix.name not in clean.steps:
            text = fixed
            continue
        if len(fixed) == len(text):
            changed = [i for i, (a, b) in enumerate(zip(text, fixed, strict=True)) if a != b]
            count = len(changed)
        else:
            changed = [_first_difference(text, fixed)]
            count = len(text) - len(fixed)
        step = CleaningStep(name=fix.name, count=count)
        if changed:
            first = changed[0]
            left = max(0, first - _CHANGE_CONTEXT)
            step.line = text.count("\n", 0, first) + 1
            step.before = text[left : first + _CHANGE_CONTEXT].replace("\n", " ")
            step.after = fixed[left : first + _CHANGE_CONTEXT].replace("\n", " ")
        steps.append(step)
        text = fixed
    steps.extend(_reflow_step(raw, clean))
    return steps


def _first_difference(a: str, b: str) -> int:
    """Return the first index where ``a`` and ``b`` differ (or the shorter length)."""
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def _reflow_step(raw: str, clean: CleanText) -> list[CleaningStep]:
    """Return the re-flow as a step when it joined lines: how many, and the first paragraph."""
    raw_lines = sum(1 for line in raw.splitlines() if line.strip())
    paragraphs = clean.text.split("\n")
    kept_lines = raw_lines - len(clean.removed)
    if kept_lines <= len(paragraphs):
        return []
    offset = 0
    for paragraph in paragraphs:
        first = clean.raw_line(offset)
        last = clean.raw_line(offset + max(len(paragraph) - 1, 0))
        if last > first:
            return [
                CleaningStep(
                    name="reflow",
                    count=kept_lines - len(paragraphs),
                    line=first,
                    before=f"lines {first}-{last}",
                    after=paragraph[: 3 * _CHANGE_CONTEXT],
                )
            ]
        offset += len(paragraph) + 1
    return []


def format_explanation(explanation: Explanation) -> str:
    """Return the explanation as text for a terminal, one block per part."""
    out: list[str] = [f"{explanation.path} ({explanation.encoding})", ""]
    place = explanation.place or "unknown"
    if explanation.place_from:
        place += f" (from the {explanation.place_from})"
    date = explanation.date or "unknown"
    if explanation.date_from:
        date += f" (from the {explanation.date_from})"
    out += [f"Place: {place}; date: {date}", ""]
    out.append(f"Cleaning: {_count(len(explanation.cleaning), 'step')} changed the text")
    for step in explanation.cleaning:
        where = f"line {step.line}: {step.before} → {step.after}" if step.line else ""
        if step.name == "reflow":
            where = f"{step.before} → {step.after}…"
            out.append(f"  reflow: {step.count} line breaks inside paragraphs removed; {where}")
        else:
            where = where or "after re-flow joined the lines"
            out.append(f"  {step.name}: {_count(step.count, 'character')}; {where}")
    for removed in explanation.removed:
        out.append(f"  removed line {removed.line} ({removed.reason}): {removed.text}")
    out += ["", f"Sections: {len(explanation.sections)}"]
    for item in explanation.sections:
        out.append(f"  line {item.line}: {item.section.title} ({item.facts} facts)")
    out += ["", f"Facts: {len(explanation.facts)}"]
    for explained in explanation.facts:
        fact = explained.fact
        value = _number(fact.normalized_value)
        if fact.upper_value is not None:
            value += f" to {_number(fact.upper_value)}"
        comparator = "" if fact.comparator == "=" else f"{fact.comparator} "
        per = f" per {fact.per}" if fact.per else ""
        out.append(
            f"  line {fact.line}: {fact.mention} → {comparator}{value} {fact.base_unit}{per}"
        )
        out.append(f"    indicator: {fact.indicator or '(none)'}")
        if fact.qualifiers:
            out.append(f"    qualifiers: {'、'.join(fact.qualifiers)}")
        for rule in explained.rules:
            out.append(f"    - {rule}")
        for reason in explained.context:
            out.append(f"    - {reason}")
        out.append("    clause: " + " ".join(f"{word}/{flag}" for word, flag in explained.words))
    out += ["", f"Not facts: {len(explanation.rejected)}"]
    for number in explanation.rejected:
        out.append(f"  line {number.line}: {number.text}  ({number.context})")
        out.append(f"    {number.reason}: {number.explanation}")
    if explanation.issues:
        out += ["", f"Issues: {len(explanation.issues)}"]
        for issue in explanation.issues:
            line = f"line {issue.line}: " if issue.line else ""
            out.append(f"  {issue.stage}: {line}{issue.reason}")
    return "\n".join(out)


def _count(n: int, noun: str) -> str:
    """Return ``n`` with its noun, plural when needed: 1 step, 2 steps."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _number(value: Decimal) -> str:
    """Return a value as written in facts.jsonl: 3650000000, not 3650000000.0 or 3.65E+9."""
    return str(decimal_to_json(value))


__all__ = [
    "CleaningStep",
    "ExplainedFact",
    "ExplainedSection",
    "Explanation",
    "RejectedNumber",
    "explain_source",
    "format_explanation",
]
