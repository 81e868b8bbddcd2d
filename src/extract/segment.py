"""Title, subtitle, byline, sections and sentences of a cleaned text.

The cleaned text holds one paragraph a line. Each paragraph gets a kind
(``title``, ``subtitle``, ``byline``, ``keyword``, ``heading``, ``ordinal`` or
``body``); sections are opened by a ``关键词`` line (the section name is the
next paragraph), by a top-level numbered heading (一、… / 第一部分 …), or, in web
text, by plain short heading lines between paragraphs (亮点回顾); every
paragraph is cut into sentences on 。！？； that are not inside quotes or
brackets. The patterns and punctuation classes come from
``data/structure.toml`` (see ``structure.py``).
"""

from __future__ import annotations

from functools import cache

import regex
from pydantic import TypeAdapter

from . import validate
from .lexicon import Lexicon, load_lexicon
from .models import (
    CleanText,
    Paragraph,
    ParagraphKind,
    Section,
    SegmentedText,
    Sentence,
    batches,
)
from .regex_calls import any_of, match_here, replace_all
from .structure import HeadingStyle, Structure

#: A title or subtitle is one short line; a longer first paragraph is body text.
MAX_TITLE_CHARS = 64
#: Metadata lines (来源：, 时间：) are read from this many lines at the top of a document.
METADATA_LINES = 30
#: Quotes and brackets nest at most this deep; deeper openers are ignored.
MAX_NESTING = 16

# A document's paragraphs and sentences are validated validate.BATCH_SIZE at a time, as
# fact candidates are.
_PARAGRAPH_LIST = TypeAdapter(list[Paragraph])
_SENTENCE_LIST = TypeAdapter(list[Sentence])

#: A quote or bracket longer than this is taken as unbalanced OCR (a stray
#: “ that would otherwise swallow the rest of the paragraph): sentences split
#: inside it as if it were not there.
MAX_QUOTED_CHARS = 300

#: A quotation closed by one of these after 。！？ ends its sentence when it
#: is an utterance: opened after a colon (他说：“…。”) or at the sentence start.
_UTTERANCE_CLOSERS = "”’」』"
_UTTERANCE_INTRODUCERS = "：:"

#: Marks stripped from the end of a section title: 意味着什么？ → 意味着什么.
_TITLE_END_MARKS = "？?！!。 "
#: Marks stripped from the start of a section title after its enumerator.
_TITLE_START_MARKS = "：:、．. "


# A plain class, not a dataclass: in a compiled module a dataclass still has its methods
# written out and compiled at every start-up, and its __init__ runs as Python.
class _Heading:
    """A paragraph that may open a section."""

    def __init__(self, index: int, rank: int, title: str, heading: str, start_index: int) -> None:
        self.index = index
        self.rank = rank
        self.title = title
        self.heading = heading
        #: The paragraph whose start opens the section (the 关键词 line for keywords).
        self.start_index = start_index


def split_sentences(text: str, *, structure: Structure | None = None) -> list[tuple[int, int]]:
    """Return the (start, end) spans of the sentences of one paragraph.

    A sentence ends after 。！？； (and ``!?;``) with any closing quotes that
    follow; never inside a balanced quote or bracket. One exception: a quoted
    utterance (a quote opened after ： or at the start of the sentence) that
    ends in 。！？ ends the sentence with its closing quote. Spans cover the
    text without its surrounding spaces; a paragraph with text always yields
    one span at least.

    >>> text = "他说：“要加快发展。”会议强调（详见附件。）落实；贯彻“稳住。”的要求。"
    >>> [text[a:b] for a, b in split_sentences(text)]
    ['他说：“要加快发展。”', '会议强调（详见附件。）落实；', '贯彻“稳住。”的要求。']
    """
    structure = structure or load_lexicon().structure
    closes_at = _balanced_pairs(text, structure)
    spans: list[tuple[int, int]] = []
    start = 0
    inside_until = -1  # index of the closer of the outermost open pair
    opened_at = -1  # index of its opener
    length = len(text)
    # Only openers, closers and sentence ends can change anything: visit those alone.
    ends = [mark.start() for mark in any_of(structure.sentence_end).finditer(text)]
    events = sorted({*ends, *closes_at, *closes_at.values()})
    resume = 0  # events before this index were skipped by a sentence end's closers
    for index in events:
        if index < resume:
            continue
        char = text[index]
        close = closes_at.get(index)
        if close is not None and close > inside_until:
            inside_until, opened_at = close, index
        if index == inside_until:  # the outermost open pair closes here
            inside_until = -1
            if (
                char in _UTTERANCE_CLOSERS
                and text[index - 1] in structure.terminal
                and (opened_at == start or text[opened_at - 1] in _UTTERANCE_INTRODUCERS)
            ):
                end = _absorb_closers(text, index + 1, structure)
                spans.append((start, end))
                start = resume = end
        elif char in structure.sentence_end and index > inside_until:
            end = _absorb_closers(text, index + 1, structure)
            spans.append((start, end))
            start = resume = end
    if start < length:
        spans.append((start, length))
    return [span for span in (_trim(text, a, b) for a, b in spans) if span[0] < span[1]]


def _balanced_pairs(text: str, structure: Structure) -> dict[int, int]:
    """Return {opener index: closer index} for the quote and bracket pairs of ``text`` that balance.

    One linear pass with a stack of at most ``MAX_NESTING`` openers; an opener
    left unclosed, or closed more than ``MAX_QUOTED_CHARS`` later, is dropped.
    """
    openers, closers = structure.pairs, structure.pair_closers
    stack: list[tuple[str, int]] = []
    pairs: dict[int, int] = {}
    for mark in any_of(structure.pair_marks).finditer(text):
        index, char = mark.start(), mark.group()
        if char in openers:
            if len(stack) < MAX_NESTING:
                stack.append((openers[char], index))
        elif char in closers:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    opened = stack[depth][1]
                    del stack[depth:]  # openers above it were never closed
                    if index - opened <= MAX_QUOTED_CHARS:
                        pairs[opened] = index
                    break
    return pairs


def _absorb_closers(text: str, index: int, structure: Structure) -> int:
    """Return the index after the end marks and closing quotes that start at ``index``."""
    while index < len(text) and (
        text[index] in structure.sentence_end or text[index] in structure.closing
    ):
        index += 1
    return index


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Return ``start, end`` moved inwards past spaces."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def section_title(heading: str, *, structure: Structure | None = None) -> str:
    """Return the section title of a heading line: enumerator and end marks removed.

    >>> section_title("一、2025年工作及“十四五”时期发展回顾")
    '2025年工作及“十四五”时期发展回顾'
    >>> section_title("对深圳乃至大湾区意味着什么？")
    '对深圳乃至大湾区意味着什么'
    >>> section_title("【经济运行】")
    '经济运行'
    >>> section_title("一、综 合"), section_title("拼搏实干 奋勇先行")
    ('综合', '拼搏实干 奋勇先行')
    """
    structure = structure or load_lexicon().structure
    title = heading.strip()
    found = structure.match_heading(title)
    if found is not None:
        _, match = found
        rest = title[match.end() :].lstrip(_TITLE_START_MARKS)
        inner = match.groupdict().get("title")
        title = rest or inner or title
    title = title.rstrip(_TITLE_END_MARKS) or heading.strip()
    if " " in title:
        title = replace_all(_space_after_number_re(), r"\1", title)
        if _letter_spaced(title):
            title = title.replace(" ", "")  # 综 合, 农 业: a bulletin's letter-spaced heading
    return title


def _letter_spaced(title: str) -> bool:
    """Return whether ``title`` is two to six Han characters each one space apart, as
    typesetting spreads a short heading (综 合)."""
    parts = title.split(" ")
    return 2 <= len(parts) <= _MAX_SPACED_CHARS and all(
        len(part) == 1 and "\u4e00" <= part <= "\u9fff" for part in parts
    )


_MAX_SPACED_CHARS = 6


@cache
def _space_after_number_re() -> regex.Pattern[str]:
    """Return the pattern of a space OCR puts between a number inside a title and the word
    after it (深圳的3 万亿之路): not part of the section's name. A number opening the title
    keeps its space (2025 回顾). Compiled for the first title holding a space."""
    return regex.compile(r"(\p{Han}[\d.]*\d) +(?=\p{Han})")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the non-empty lines of ``text``."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _is_title_like(text: str, structure: Structure) -> bool:
    """Return whether ``text`` is one short line with no sentence ending inside it (a
    headline's ！ between its two parts aside)."""
    if len(text) > MAX_TITLE_CHARS:
        return False
    body = text.rstrip(structure.closing)[:-1]
    return not any(
        mark in structure.terminal and mark not in structure.headline_inner for mark in body
    )


def _is_tagged_headline(
    text: str, heading_line: tuple[HeadingStyle, regex.Match[str]], structure: Structure
) -> bool:
    """Return whether a heading line is a news headline led by a tag in brackets
    (【两会@你】某省交出五年发展“成绩单”): a bracket heading with a title after it, on the
    first line, where a document's title stands."""
    style, match = heading_line
    return style.name == "bracket" and bool(text[match.end() :].strip()) and _is_title_like(
        text, structure
    )


def _classify(texts: list[str], structure: Structure) -> tuple[list[ParagraphKind], list[_Heading]]:
    """Return the kind of every paragraph and the headings that may open sections."""
    kinds: list[ParagraphKind] = []
    headings: list[_Heading] = []
    name_of_keyword = False
    # Lines opening with the same bullet mark one after another are items of a list, not
    # cross-heads, whatever the mark (◆地区生产总值增长5% / ◆粮食产量600亿斤).
    marks = [text[:1] if text[:1] and text[0] in structure.bullets else "" for text in texts]
    for index, text in enumerate(texts):
        keyword = match_here(structure.keyword, text) if len(text) <= MAX_TITLE_CHARS else None
        mark = marks[index]
        listed = bool(mark) and (
            (index > 0 and marks[index - 1] == mark)
            or (index + 1 < len(marks) and marks[index + 1] == mark)
        )
        heading_line = None if listed else structure.heading_line(text)
        if keyword is not None:
            kinds.append("keyword")
            name = keyword.group("name")
            if name:
                title = section_title(name, structure=structure)
                headings.append(_Heading(index, 0, title, name.strip(), index))
            name_of_keyword = not name
            continue
        if name_of_keyword:
            # 关键词 / 稳进提质: the line after 关键词 names the section
            kinds.append("heading")
            headings.append(
                _Heading(index, 0, section_title(text, structure=structure), text, index - 1)
            )
        elif heading_line is not None and not (
            index == 0 and _is_tagged_headline(text, heading_line, structure)
        ):
            kinds.append("heading")
            headings.append(_heading(index, text, heading_line[0], structure))
        elif len(text) <= 3 and match_here(structure.ordinal, text):
            kinds.append("ordinal")
        elif structure.is_byline(text):
            kinds.append("byline")
        elif index == 0 and (heading_line is not None or _is_title_like(text, structure)):
            kinds.append("title")
        elif (
            index == 1
            and kinds[0] == "title"
            and _is_title_like(text, structure)
            and not structure.ends_sentence(text)
        ):
            kinds.append("subtitle")
        else:
            kinds.append("body")
            lead = structure.match_heading(text)
            if lead is not None and lead[0].lead:
                headings.append(_lead_heading(index, text, lead[0], structure))
        name_of_keyword = False
    plain = _plain_headings(texts, kinds, structure)
    if plain:
        for index in plain:
            kinds[index] = "heading"
            title = section_title(texts[index], structure=structure)
            headings.append(_Heading(index, structure.plain_rank, title, texts[index], index))
        headings.sort(key=lambda heading: heading.index)
    return kinds, headings


#: A plain heading line (亮点回顾) is at most this long; longer body paragraphs are not
#: tested against its pattern.
MAX_PLAIN_HEADING_CHARS = 25


def _plain_headings(
    texts: list[str], kinds: list[ParagraphKind], structure: Structure
) -> list[int]:
    """Return the indexes of the body paragraphs that are plain headings: 亮点回顾, 问题清单.

    Such a paragraph has the shape of ``structure.plain_heading`` and stands between
    paragraphs: the one before ends a sentence or is a title, credit, heading or section
    number (after which the heading may end in ？ or ！), the one after is a numbered heading
    or a body paragraph not of that shape (a run of short lines is a list, not headings).
    The first paragraph is the title's place and the last has nothing to head. They count
    only when the document has ``structure.plain_siblings`` of them, or, one by one, when
    the line names a part of a report (``structure.plain_lone``: 今后五年的主要目标) between
    two paragraphs of running text, longer than a heading and ending a sentence: a line of
    a list of short lines has short neighbours.
    """
    found: list[int] = []
    for index in range(1, len(texts) - 1):
        text = texts[index]
        if kinds[index] != "body" or len(text) > MAX_PLAIN_HEADING_CHARS:
            continue
        before = kinds[index - 1]
        if before == "ordinal" and text[-1] in structure.terminal:
            text = text[:-1]  # 01 / 意味着什么？
        if not text or match_here(structure.plain_heading, text) is None:
            continue
        previous = texts[index - 1]
        if previous[-1] in structure.clause_end or (
            before == "body" and not structure.ends_sentence(previous)
        ):
            continue  # a list item, or a line after 如下：
        after, following = kinds[index + 1], texts[index + 1]
        if after == "heading" or (
            after == "body"
            and not (
                len(following) <= MAX_PLAIN_HEADING_CHARS
                and match_here(structure.plain_heading, following) is not None
            )
        ):
            found.append(index)
    if len(found) >= structure.plain_siblings:
        return found
    return [index for index in found if _lone_heading(texts, kinds, index, structure)]


def _lone_heading(
    texts: list[str], kinds: list[ParagraphKind], index: int, structure: Structure
) -> bool:
    """Return whether the plain line at ``index`` heads a section with no sibling."""
    if match_here(structure.plain_lone, texts[index]) is None:
        return False
    return all(
        kinds[near] == "body"
        and len(texts[near]) > MAX_PLAIN_HEADING_CHARS
        and structure.ends_sentence(texts[near])
        for near in (index - 1, index + 1)
    )


def _heading(index: int, text: str, style: HeadingStyle, structure: Structure) -> _Heading:
    return _Heading(index, style.rank, section_title(text, structure=structure), text, index)


def _lead_heading(index: int, text: str, style: HeadingStyle, structure: Structure) -> _Heading:
    """Return the heading of a body paragraph led by an enumerator: 一、坚持稳中求进。2025年…"""
    spans = split_sentences(text, structure=structure)
    first = text[: spans[0][1]] if spans else text
    return _Heading(index, style.rank, section_title(first, structure=structure), first, index)


def _section_rank(headings: list[_Heading]) -> int:
    """Return the heading rank that opens sections in this document.

    一、 and 第一部分 (rank 1) when present; 【…】, ■ and plain heading lines (rank 2)
    only when there is no rank-1 heading and no 关键词 section; （一） (rank 3) only
    when it is the only level. 关键词 sections (rank 0) always open.
    """
    ranks = {heading.rank for heading in headings}
    if 1 in ranks or 0 in ranks:
        return 1
    return min(ranks, default=1)


def metadata_lines(text: str, *, lexicon: Lexicon | None = None) -> dict[str, str]:
    """Return the metadata lines at the top of ``text`` (a web page's 来源： and 时间：
    lines), label → value; the first line of a label wins.

    >>> metadata_lines("2026年江西省政府工作报告\\n来源：江西日报\\n时间：2026-02-05\\n各位代表：")
    {'来源': '江西日报', '时间': '2026-02-05'}
    """
    structure = (lexicon or load_lexicon()).structure
    lines = text.split("\n", METADATA_LINES)[:METADATA_LINES]
    return _metadata([line.strip() for line in lines], structure)


def _metadata(lines: list[str], structure: Structure) -> dict[str, str]:
    """Return label → value of the metadata lines among ``lines`` (first one wins)."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        if len(line) > MAX_TITLE_CHARS:
            continue
        if index + 1 < len(lines) and match_here(structure.metadata_label, line):
            line += lines[index + 1]  # 发表时间： with its value on the next line
        match = match_here(structure.metadata, line)
        if match is not None:
            found.setdefault(match.group("label"), match.group("value").strip())
    return found


def segment_text(clean: CleanText, *, lexicon: Lexicon | None = None) -> SegmentedText:
    """Return ``clean`` cut into typed paragraphs, sections and sentences.

    ``lexicon`` gives the heading patterns and punctuation (None: the bundled lexicon).

    >>> from extract.models import CleanText
    >>> text = "标题\\n一、总体回顾\\n一是增长好于预期。投资增长5%；消费回升。"
    >>> seg = segment_text(CleanText(doc_id="d", text=text, line_starts=[(0, 1)]))
    >>> [(s.text, s.section, s.kind) for s in seg.sentences]  # doctest: +NORMALIZE_WHITESPACE
    [('标题', None, 'title'), ('一、总体回顾', '总体回顾', 'heading'),
     ('一是增长好于预期。', '总体回顾', 'body'), ('投资增长5%；', '总体回顾', 'body'),
     ('消费回升。', '总体回顾', 'body')]
    """
    structure = (lexicon or load_lexicon()).structure
    text = clean.text
    spans = _paragraph_spans(text)
    texts = [text[start:end] for start, end in spans]
    kinds, candidates = _classify(texts, structure)
    paragraph_rows = (
        {"kind": kind, "text": para, "start": start, "end": end}
        for kind, para, (start, end) in zip(kinds, texts, spans, strict=True)
    )
    paragraphs: list[Paragraph] = []
    for paragraph_batch in batches(paragraph_rows, validate.BATCH_SIZE):
        paragraphs.extend(_PARAGRAPH_LIST.validate_python(paragraph_batch))

    rank = _section_rank(candidates)
    openers = [h for h in candidates if h.rank == 0 or h.rank == rank]
    sections: list[Section] = []
    section_at: list[str | None] = [None] * len(paragraphs)
    for number, opener in enumerate(openers):
        start = spans[opener.start_index][0]
        following = openers[number + 1].start_index if number + 1 < len(openers) else None
        end = spans[following][0] - 1 if following is not None else len(text)
        sections.append(Section(title=opener.title, heading=opener.heading, start=start, end=end))
        for index in range(opener.start_index, following if following is not None else len(spans)):
            section_at[index] = opener.title

    sentence_spans = (
        (index, paragraph, start, end)
        for index, paragraph in enumerate(paragraphs)
        for start, end in split_sentences(paragraph.text, structure=structure)
    )
    sentence_rows = (
        {
            "index": number,
            "text": paragraph.text[start:end],
            "start": paragraph.start + start,
            "end": paragraph.start + end,
            "section": section_at[index],
            "kind": paragraph.kind,
        }
        for number, (index, paragraph, start, end) in enumerate(sentence_spans)
    )
    sentences: list[Sentence] = []
    for sentence_batch in batches(sentence_rows, validate.BATCH_SIZE):
        sentences.extend(_SENTENCE_LIST.validate_python(sentence_batch))

    def first(kind: ParagraphKind) -> str | None:
        return next((p.text for p in paragraphs if p.kind == kind), None)

    bylines = [p.text for p in paragraphs if p.kind == "byline"]
    return SegmentedText(
        metadata=_metadata(texts[:METADATA_LINES], structure),
        clean=clean,
        title=first("title"),
        subtitle=first("subtitle"),
        byline=" ".join(bylines) or None,
        paragraphs=paragraphs,
        sections=sections,
        sentences=sentences,
    )
