"""HTML saved as ``.txt``: recognise it and strip it to text, each line with its raw line.

A web page saved with a ``.txt`` name (or copied from a browser's source view) would
leave tags and entities in indicators and split ``<b>5.3</b>%`` into two tokens. The
standard library's ``html.parser`` reads it: it is well kept, forgiving of broken markup,
unescapes entities, and adds no dependency; nothing here needs a DOM. Block elements
(``p``, ``div``, ``br``, ``li``, ``tr``, headings, …) end a line, inline ones (``b``,
``span``, ``a``, ``font``, …) are dropped with their text kept, table cells are parted by
a space, and ``script``, ``style``, ``head`` and comments go whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

#: Characters of the head of a text judged for markup.
SNIFF_CHARS = 8 * 1024

#: A text without a doctype or ``<html`` at its start is HTML when its head holds at least
#: this many tags of HTML elements ...
MIN_TAGS = 4

#: ... at least one per this many characters (a report that mentions ``<b>`` once is not a
#: web page), and a tag of a block element among them: a page is made of blocks, while
#: tags pasted into a sentence (``"</script><b>"``) are text.
MAX_CHARS_PER_TAG = 200

#: The start of a text that is a web page whatever follows.
_HTML_START_RE = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)

#: Elements whose start or end tag ends a line of text.
BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote body br caption dd div dl dt figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot thead "
    "title tr ul".split()
)

#: Elements dropped with everything inside them.
DROPPED_ELEMENTS = frozenset({"head", "script", "style", "noscript", "template"})

#: Table cells: parted from the cell before by a space.
CELL_ELEMENTS = frozenset({"td", "th"})

@cache
def _tag_re() -> re.Pattern[str]:
    """Return the pattern of a start or end tag of an HTML element (those above and the
    common inline ones); compiled for the first text with a ``<`` in it."""
    return re.compile(
        r"</?("
        + "|".join(
            sorted(BLOCK_ELEMENTS | DROPPED_ELEMENTS | CELL_ELEMENTS | {"html", "meta", "link"})
            + "a b i u em strong span font small big sub sup img".split()
        )
        + r")\b[^<>]*>",
        re.IGNORECASE,
    )


def looks_like_html(text: str) -> bool:
    """Return whether ``text`` is a web page: a doctype or ``<html`` at its start, or dense
    tags, block ones among them.

    >>> looks_like_html("<!DOCTYPE html><p>增长5%</p>"), looks_like_html("<5%的企业")
    (True, False)
    >>> looks_like_html('指标"</script><b>粗体</b>"增长8%。')
    False
    """
    if _HTML_START_RE.match(text):
        return True
    sample = text[:SNIFF_CHARS]
    if "<" not in sample:
        return False
    names = [name.lower() for name in _tag_re().findall(sample)]
    return (
        len(names) >= MIN_TAGS
        and len(names) * MAX_CHARS_PER_TAG >= len(sample)
        and not BLOCK_ELEMENTS.isdisjoint(names)
    )


# Never compared or printed: no __repr__ or __eq__ written out and compiled at start-up.
@dataclass(frozen=True, slots=True, repr=False, eq=False)
class PageText:
    """The text of a web page, one line a block, and the raw line each line begins on."""

    text: str
    #: 1-based line of the HTML file on which each line of ``text`` begins.
    raw_lines: list[int]
    #: Tags read (start and end tags both count).
    tags: int


def html_to_text(html: str) -> PageText:
    """Return the text of the web page ``html`` and the raw line of each of its lines.

    >>> page = html_to_text("<p>全市增长<b>5.3</b>%&nbsp;，</p>\\n<div>甲<br>乙</div>")
    >>> page.text.split("\\n"), page.raw_lines
    (['全市增长5.3%\\xa0，', '甲', '乙'], [1, 2, 2])
    """
    parser = _text_parser_class()()
    parser.feed(html)
    parser.close()
    parser.end_line()
    return PageText("\n".join(parser.lines), parser.raw_lines, parser.tags)


@cache
def _text_parser_class() -> Any:
    """Return the parser class (html.parser is imported for the first web page, not by
    every run: most inputs are plain text)."""
    from html.parser import HTMLParser

    class _TextParser(HTMLParser):
        """Collects the text of a page as lines, each with the raw line it begins on."""

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.lines: list[str] = []
            self.raw_lines: list[int] = []
            self.tags = 0
            self._pieces: list[str] = []
            self._start: int | None = None
            self._dropping = 0

        def end_line(self) -> None:
            """End the line being collected, keeping it when it holds any text."""
            text = "".join(self._pieces)
            if text.strip() and self._start is not None:
                self.lines.append(text)
                self.raw_lines.append(self._start)
            self._pieces = []
            self._start = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags += 1
            if tag == "body":
                self._dropping = 0  # a <head> never closed ends where the body begins
            if tag in DROPPED_ELEMENTS:
                self._dropping += 1
            elif tag in BLOCK_ELEMENTS:
                self.end_line()
            elif tag in CELL_ELEMENTS and self._pieces:
                self._pieces.append(" ")

        def handle_endtag(self, tag: str) -> None:
            self.tags += 1
            if tag in DROPPED_ELEMENTS:
                self._dropping = max(0, self._dropping - 1)
            elif tag in BLOCK_ELEMENTS:
                self.end_line()

        def handle_data(self, data: str) -> None:
            if self._dropping:
                return
            line = self.getpos()[0]
            for index, part in enumerate(data.split("\n")):
                if index:
                    self.end_line()
                if part.strip() and self._start is None:
                    self._start = line + index
                if self._start is not None:
                    self._pieces.append(part)

    return _TextParser
