"""Review page: one self-contained HTML file showing every fact highlighted in its text.

``iter_review_html(documents)`` yields the page in pieces (Jinja2 ``Template.generate``,
autoescaping on), one document at a time, so a run of thousands of documents is never
one string in memory. A document's text with its ``<mark>`` highlights, and its facts as
JSON for the table, are built here in chunks (escaped as markupsafe, Jinja's own
escaper, does) because Jinja's per-piece cost is too high for 300,000 highlights. The page
needs no network: its style and script are inside it.

Overlapping facts: facts whose spans overlap or nest share one highlight covering the
union of their spans (a *highlight* lists the keys of all its facts in ``data-facts``).
Every fact belongs to exactly one highlight and keeps its own row in the facts table;
a fact whose span lies outside the text has a row but no highlight.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from .encode import FactTable, RowFormat, json_string
from .models import Document, Fact
from .panel import PanelRow, panel_number
from .schema import fact_columns
from .tagger import cache_dir, mark_used, write_cache_file

TEMPLATE_NAME = "review.html.j2"
DOCUMENT_TEMPLATE_NAME = "review_document.html.j2"

#: Characters of HTML (or JSON) gathered into one piece before it is yielded: big enough
#: that the template loops over few pieces, small enough that none holds a whole document.
CHUNK_CHARS = 1 << 16

#: Fact rows joined into one piece of a document's JSON.
CHUNK_ROWS = 500

#: Fact fields the page carries for the details panel and the table (``sentence`` is
#: left out: the text around the highlight shows it).
PAGE_FACT_FIELDS: tuple[str, ...] = (
    "mention",
    "value",
    "unit",
    "normalized_value",
    "base_unit",
    "per",
    "comparator",
    "indicator",
    "qualifiers",
    "section",
    "start",
    "end",
    "line",
    "upper_value",
    "place",
    "period",
    "status",
    "concept",
)

#: Characters that must not appear literally in JSON inside a <script> element: ``</``
#: would end the element, ``<!--`` would start a comment state, U+2028/9 break old parsers.
_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def fact_key(document_number: int, fact_number: int) -> str:
    """Return the key naming a fact on the page: document and fact positions, 0-based.

    >>> fact_key(2, 15)
    '2-15'
    """
    return f"{document_number}-{fact_number}"


def script_safe(json_text: str) -> Markup:
    """Return ``json_text`` with the characters a ``<script>`` element cannot hold escaped.

    >>> str(script_safe('{"a":"</script><b>&"}'))
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    for character, replacement in _SCRIPT_ESCAPES.items():
        json_text = json_text.replace(character, replacement)
    return Markup(json_text)


#: What goes around the fields of a fact in the page's JSON: ``{"mention":`` … ``}``.
_PAGE_FACT = RowFormat(
    (
        *(
            ("{" if position == 0 else ",") + json_string(name) + ":"
            for position, name in enumerate(PAGE_FACT_FIELDS)
        ),
        "}",
    )
)
#: The page fields holding a list.
_PAGE_LIST_FIELDS = frozenset(
    column.name for column in fact_columns() if column.kind == "list"
) & frozenset(PAGE_FACT_FIELDS)


def page_fact_json(table: FactTable) -> Iterator[str]:
    """Yield the object of each fact of ``table`` in the page's JSON, before ``script_safe``.

    Each the text of ``json.dumps(row, ensure_ascii=False, separators=(",", ":"))`` for
    the ``PAGE_FACT_FIELDS`` of the fact's ``fact_row``.
    """
    columns = [
        # A list's JSON text in the table has ", " between items; the page has ",".
        _compact_json_lists(table.values[name]) if name in _PAGE_LIST_FIELDS else table.json[name]
        for name in PAGE_FACT_FIELDS
    ]
    return _PAGE_FACT.rows(columns)


def _compact_json_lists(lists: list[Any]) -> list[str]:
    """Return ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))`` of each list."""
    if all(type(item) is str for value in lists for item in value):
        return ["[" + ",".join(map(json_string, value)) + "]" for value in lists]
    return [json.dumps(value, ensure_ascii=False, separators=(",", ":")) for value in lists]


def highlight_groups(facts: list[Fact], text_length: int) -> list[tuple[int, int, list[int]]]:
    """Return the highlights of ``facts``: (start, end, fact positions), in text order.

    Facts whose spans overlap or nest are merged into one highlight covering all of them;
    facts whose span lies outside a text of ``text_length`` characters get none.

    >>> from types import SimpleNamespace as F
    >>> highlight_groups([F(start=5, end=9), F(start=0, end=3), F(start=6, end=12)], 20)
    [(0, 3, [1]), (5, 12, [0, 2])]
    """
    # Sorted by start, longest first; facts of the same span stay in their order.
    spans = sorted(
        (fact.start, -fact.end, position)
        for position, fact in enumerate(facts)
        if fact.end <= text_length
    )
    groups: list[tuple[int, int, list[int]]] = []
    for start, negative_end, position in spans:
        end = -negative_end
        if groups and start < groups[-1][1]:
            group_start, group_end, members = groups[-1]
            groups[-1] = (group_start, max(group_end, end), [*members, position])
        else:
            groups.append((start, end, [position]))
    return [
        (start, end, sorted(members) if len(members) > 1 else members)
        for start, end, members in groups
    ]


def render_highlight(text_html: str, fact_keys: Sequence[str]) -> str:
    """Return a focusable ``<mark>`` around ``text_html`` (escaped text) listing its facts.

    >>> render_highlight("&lt;3个&gt;", ["0-1"])
    '<mark class="fact" tabindex="0" id="f0-1" data-facts="0-1">&lt;3个&gt;</mark>'
    """
    classes = "fact multi" if len(fact_keys) > 1 else "fact"
    # Keys and ids are digits and dashes: nothing to escape (f-strings here are several
    # times faster than Markup.format, which escapes every field).
    keys = " ".join(fact_keys)
    return (
        f'<mark class="{classes}" tabindex="0" id="f{fact_keys[0]}" data-facts="{keys}">'
        f"{text_html}</mark>"
    )


#: The characters ``escape_text`` replaces.
_HTML_SPECIAL_CHARACTERS = ("&", "<", ">", "'", '"')


def escape_text(text: str) -> str:
    """Return ``str(markupsafe.escape(text))``, without making a Markup of each piece.

    The replacements of markupsafe's own pure-Python escape, which is what its C one does.

    >>> from markupsafe import escape
    >>> hostile = "<b class='x'>A&B</b>" + '"'
    >>> escape_text(hostile), escape_text(hostile) == str(escape(hostile))
    ('&lt;b class=&#39;x&#39;&gt;A&amp;B&lt;/b&gt;&#34;', True)
    """
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


def iter_text_html(document: Document, document_number: int) -> Iterator[Markup]:
    """Yield ``document``'s cleaned text as escaped HTML with its highlights, in chunks.

    Built here rather than in the template: Jinja's per-piece cost made a 300,000-fact
    document several times slower to render.
    """
    text = document.text
    # Most texts hold nothing to escape: their pieces are then their HTML as they are.
    escaping = any(character in text for character in _HTML_SPECIAL_CHARACTERS)
    parts: list[str] = []
    size = 0
    cursor = 0
    for start, end, members in highlight_groups(document.facts, len(text)):
        before, marked = text[cursor:start], text[start:end]
        if escaping:
            before, marked = escape_text(before), escape_text(marked)
        keys = [fact_key(document_number, member) for member in members]
        html = before + render_highlight(marked, keys)
        parts.append(html)
        size += len(html)
        cursor = end
        if size >= CHUNK_CHARS:
            yield Markup("".join(parts))
            parts, size = [], 0
    parts.append(escape_text(text[cursor:]))
    yield Markup("".join(parts))


def iter_fact_json(document: Document, fact_table: FactTable | None = None) -> Iterator[Markup]:
    """Yield the JSON array of ``document``'s page fact rows, made safe for a <script>.

    ``fact_table``, the document's facts as ``encode.FactTable`` gives them, saves making
    them again; without it they are made ``CHUNK_ROWS`` at a time.
    """
    facts = document.facts
    if fact_table is not None:
        tables: Iterable[FactTable] = [fact_table]
    else:
        chunks = (facts[first : first + CHUNK_ROWS] for first in range(0, len(facts), CHUNK_ROWS))
        tables = map(FactTable.of, chunks)
    yield Markup("[")
    separator = ""
    for table in tables:
        rows = ",".join(page_fact_json(table))
        if rows:
            yield script_safe(separator + rows)  # chunks are joined by commas
            separator = ","
    yield Markup("]")


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class DocumentView:
    """What the template needs of one document; the pieces are produced lazily."""

    number: int
    document: Document
    fact_table: FactTable | None = None

    @property
    def label(self) -> str:
        """Return the document's title, or its doc_id when it has none."""
        return self.document.title or self.document.doc_id

    def text_html(self) -> Iterator[Markup]:
        """Yield the document's text as HTML with its highlights (see ``iter_text_html``)."""
        return iter_text_html(self.document, self.number)

    def fact_json(self) -> Iterator[Markup]:
        """Yield the document's fact rows as script-safe JSON (see ``iter_fact_json``)."""
        return iter_fact_json(self.document, self.fact_table)


class _TemplateCache(jinja2.BytecodeCache):
    """The compiled templates, kept in the cache folder (``tagger.cache_dir``).

    Jinja compiles a template to Python code at every start, which costs a run about as
    much as building the extract stage's rules; the code is kept here as Jinja's own
    bytecode cache writes it (the template source's checksum and the code), in a file named
    for the Jinja version and the Python that made it. A file that is missing, damaged or
    made from another source is ignored and written again; one that cannot be written only
    costs time.
    """

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        tag = sys.implementation.cache_tag
        return cache_dir() / f"templates-{jinja2.__version__}-{tag}-{bucket.key}.bin"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = self._path(bucket)
        try:
            bucket.bytecode_from_string(path.read_bytes())
        except Exception:  # missing, unreadable or damaged (pickle and marshal raise many)
            bucket.reset()
        if bucket.code is not None:
            mark_used(path)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        write_cache_file(self._path(bucket), bucket.bytecode_to_string())


@cache
def _environment() -> jinja2.Environment:
    """Return the template environment, autoescaping on (built once)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("extract", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_TemplateCache(),
    )


def review_template() -> jinja2.Template:
    """Return the review page template."""
    return _environment().get_template(TEMPLATE_NAME)


def render_review_document(
    document: Document, number: int, *, fact_table: FactTable | None = None
) -> str:
    """Return the HTML of one document of the review page: its text, highlights and facts.

    ``number`` names the document in its highlights' keys; numbers must differ between the
    documents of one page but need not count from 0 (a run renders documents apart, in
    worker processes, and joins them with ``iter_review_page``). ``fact_table``, the
    document's facts as ``encode.FactTable`` gives them, saves making them again.
    """
    return "".join(iter_review_document(document, number, fact_table=fact_table))


def iter_review_document(
    document: Document, number: int, *, fact_table: FactTable | None = None
) -> Iterator[str]:
    """Yield the pieces of ``render_review_document``, for a document too big to join."""
    view = DocumentView(number, document, fact_table)
    for piece in _environment().get_template(DOCUMENT_TEMPLATE_NAME).generate(view=view):
        yield str(piece)


#: How the panel table writes a comparator before its number.
_COMPARATOR_SIGNS = {"=": "", "~": "≈", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class PanelCell:
    """One cell of the panel table: a row's value, and the link to its fact."""

    text: str
    #: The fact's highlight: ``#f0-3`` on this page, ``review-2.html#f512-3`` on another.
    href: str
    key: str
    #: Shown on hover: the sentence, where it is, and how many facts had the key.
    title: str


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class PanelTableRow:
    """One line of the panel table: a place and a concept, a cell per period and status."""

    place: str
    concept: str
    cells: tuple[PanelCell | None, ...]


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class PanelView:
    """The panel as the review page shows it: places × concepts down, periods × status across."""

    columns: tuple[str, ...]
    rows: tuple[PanelTableRow, ...]
    #: How many panel rows the table shows (each is one cell).
    cells: int


def panel_value_text(row: PanelRow) -> str:
    """Return a panel row's value as the table shows it: comparator, number, base unit.

    >>> from types import SimpleNamespace as F
    >>> fact = F(comparator="~", normalized_value=Decimal("5"), upper_value=None, base_unit="%")
    >>> panel_value_text(F(fact=fact))
    '≈5 %'
    """
    fact = row.fact
    number = _grouped(fact.normalized_value)
    if fact.upper_value is not None:
        number += "–" + _grouped(fact.upper_value)
    unit = f" {fact.base_unit}" if fact.base_unit else ""
    return _COMPARATOR_SIGNS.get(fact.comparator, fact.comparator) + number + unit


def _grouped(value: Decimal) -> str:
    """Return ``value`` as written in the fact files, its digits grouped in threes.

    >>> _grouped(Decimal("3.65E+11")), _grouped(Decimal("-2.50"))
    ('365,000,000,000', '-2.5')
    """
    return format(Decimal(panel_number(value)), ",")


def _period_label(period: str | None, status: str) -> str:
    """Return a column head of the panel table: ``2025 actual``, ``? target``."""
    return f"{period or '?'} {status}"


def _column_order(column: tuple[str | None, str]) -> tuple[bool, str, str]:
    """Return the order of a (period, status) column: by period, unknown last, then status."""
    period, status = column
    return (period is None, period or "", status)


def panel_view(
    rows: Sequence[PanelRow], pages: Mapping[int, str] | None = None, *, here: str = "review.html"
) -> PanelView:
    """Return the table of ``rows`` for review page ``here``.

    ``pages`` names the review page of each document (by its number) that gave a row; a
    cell links within ``here`` or to the other page holding its fact. Text is escaped by
    the template (autoescape), never here.
    """
    columns = sorted({(row.fact.period, row.fact.status) for row in rows}, key=_column_order)
    position = {column: index for index, column in enumerate(columns)}
    lines: dict[tuple[str | None, str], list[PanelCell | None]] = {}
    for row in rows:
        fact = row.fact
        key = fact_key(row.document, row.position)
        page = (pages or {}).get(row.document, here)
        href = f"#f{key}" if page == here else f"{page}#f{key}"
        count = f"; {row.facts} facts have this key" if row.facts > 1 else ""
        title = f"{fact.sentence}\n— {fact.doc_id}, offset {fact.start}{count}"
        cells = lines.setdefault((fact.place, fact.concept or ""), [None] * len(columns))
        cells[position[(fact.period, fact.status)]] = PanelCell(
            panel_value_text(row), href, key, title
        )
    return PanelView(
        columns=tuple(_period_label(period, status) for period, status in columns),
        rows=tuple(
            PanelTableRow(place or "?", concept, tuple(cells))
            for (place, concept), cells in lines.items()
        ),
        cells=len(rows),
    )


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, repr=False, eq=False)
class ReviewPage:
    """One page of a run's review: its file name and which documents it holds."""

    name: str
    #: Position of the page's first document in the run (0-based), and how many it holds.
    first_document: int
    documents: int

    @property
    def label(self) -> str:
        """Return the documents the page holds, 1-based: ``1–500``."""
        if self.documents == 0:
            return "no documents"
        return f"{self.first_document + 1}–{self.first_document + self.documents}"


def iter_review_page(
    document_chunks: Iterable[str],
    *,
    title: str = "extract: review",
    pages: Sequence[ReviewPage] = (),
    page: int = 0,
    panel: PanelView | None = None,
) -> Iterator[str]:
    """Yield the pieces of a review page around the given document HTML, in order.

    ``document_chunks`` is the concatenation of ``render_review_document`` results, cut
    anywhere; it is consumed lazily. With no chunks the page says the run had no documents.
    ``pages`` lists every page of the run (when there are several, each links to the
    others) and ``page`` is the position of this one. ``panel``, when given and not
    empty, is shown as a table above the documents.
    """
    chunks = (Markup(chunk) for chunk in document_chunks if chunk)
    pages = list(pages) or [ReviewPage("review.html", first_document=0, documents=0)]
    pieces = review_template().generate(
        title=title,
        document_chunks=chunks,
        pages=pages,
        page=pages[page],
        panel=panel if panel is not None and panel.rows else None,
    )
    # Jinja yields some pieces as ``Markup``, whose ``+`` would escape the other operand.
    for piece in pieces:
        yield str(piece)


#: Stands for the documents' HTML in ``review_page_frame``: no page text holds a NUL.
_DOCUMENTS_MARK = "\x00documents\x00"


def review_page_frame(
    *,
    title: str = "extract: review",
    pages: Sequence[ReviewPage] = (),
    page: int = 0,
    panel: PanelView | None = None,
) -> tuple[str, str]:
    """Return the text of a review page before and after its documents' HTML.

    ``head + html + tail`` is the page ``iter_review_page`` makes of a non-empty ``html``
    (the same arguments), so a run can copy its staged documents between the two.
    """
    pieces = iter_review_page([_DOCUMENTS_MARK], title=title, pages=pages, page=page, panel=panel)
    text = "".join(pieces)
    head, found, tail = text.partition(_DOCUMENTS_MARK)
    if not found:
        raise RuntimeError("the review template does not show the documents' HTML")
    return head, tail


def iter_review_html(
    documents: Iterable[Document],
    *,
    title: str = "extract: review",
    panel: Sequence[PanelRow] = (),
) -> Iterator[str]:
    """Yield the pieces of the review page of ``documents``; joined, they are the page.

    ``documents`` is consumed lazily, one document at a time, in the order given;
    ``panel`` is their panel (each row's ``document`` their position in ``documents``).
    """
    chunks = (render_review_document(document, number) for number, document in enumerate(documents))
    return iter_review_page(chunks, title=title, panel=panel_view(panel))


def render_review_html(
    documents: Iterable[Document],
    *,
    title: str = "extract: review",
    panel: Sequence[PanelRow] = (),
) -> str:
    """Return the whole review page of ``documents`` as one string (for small runs and tests)."""
    return "".join(iter_review_html(documents, title=title, panel=panel))
