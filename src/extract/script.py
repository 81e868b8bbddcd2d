"""Traditional script: a report copied from a mirror in 繁體 is read in simplified characters.

Every lexicon of the project (units, plan words, headline wordings, place names) is written
in simplified characters, so 億噸, 將 and 增長 would find no unit, no plan word and no
concept. A document that is in traditional script is converted whole with OpenCC's
phrase-aware ``t2s`` table before the character fixes: phrases keep their sense where a
character alone would not (顯著 → 显著, 著名 stays 著名), and simplified text passes through
it unchanged. Positions are kept: the conversion is used only where it maps each
character to one, line by line, else character by character.

OpenCC is imported only for a document that holds traditional characters, so a run of
simplified reports never loads its dictionaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

#: Characters that exist only in traditional script and stand in almost any report text
#: (國, 會, 經濟, 增長, 億, 萬, 將 …): the test that a document may be traditional. Only a
#: trigger: OpenCC, not this list, decides what each character becomes.
TRADITIONAL_MARKS = (
    "國會為來說時對發經與業產區長開關過還進項總點體實動現應數"
    "資據報務設計達萬億們這個濟場員幣當從將書術"
)
#: The commonest of them, looked for one by one in a document's opening before any regex:
#: a document in traditional script has several in its first lines, and a search for one
#: character costs far less than compiling and running a class of fifty.
COMMON_MARKS = "國會為經發長個這"


@cache
def _traditional_mark_re() -> re.Pattern[str]:
    """Compiled on first use: only a document that holds a common mark needs it."""
    return re.compile(f"[{TRADITIONAL_MARKS}]")


#: How many marks a document needs, and their least share of its characters, to be
#: called traditional: a simplified report quoting a name in traditional script (臺灣積體
#: 電路) has one or two, a traditional one about one character in ten.
MIN_TRADITIONAL_MARKS = 3
MIN_TRADITIONAL_SHARE = 0.01

#: How much of a document's opening is searched for marks first: a document in
#: traditional script shows them in its first lines, and the whole of a long simplified
#: report is not scanned for them.
HEAD_CHARS = 2000

#: The name ``CleanText.steps`` records when a document was converted.
STEP_NAME = "convert_traditional_script"


def opencc_version() -> str:
    """Return the version of the installed OpenCC, read without importing it: its tables
    decide what a traditional document's facts read (``pipeline.extractor_version``)."""
    import importlib.metadata

    try:
        return importlib.metadata.version("opencc")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@cache
def _converter() -> Callable[[str], str]:
    """Return OpenCC's t2s conversion (the bound method of one converter)."""
    import opencc  # imported for traditional documents only: its dictionaries take a while

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


def is_traditional(text: str) -> bool:
    """Return whether ``text`` is written in traditional script.

    >>> is_traditional("全年地區生產總值增長5.3%"), is_traditional("全年地区生产总值增长5.3%")
    (True, False)
    """
    head = text[:HEAD_CHARS]
    if not any(mark in head for mark in COMMON_MARKS):
        return False  # most documents: a few scans of their opening, no regex
    marks = len(_traditional_mark_re().findall(text))
    return marks >= MIN_TRADITIONAL_MARKS and marks >= MIN_TRADITIONAL_SHARE * len(text)


def to_simplified(text: str) -> str:
    """Return ``text`` in simplified characters when it is in traditional script, else
    ``text`` itself; the result is exactly as long as ``text``, line by line.

    >>> to_simplified("全年地區生產總值增長5.3%，原煤產量1.53億噸。")
    '全年地区生产总值增长5.3%，原煤产量1.53亿吨。'
    """
    if not is_traditional(text):
        return text
    convert = _converter()
    converted = convert(text)
    lines = text.split("\n")
    if [len(line) for line in converted.split("\n")] == [len(line) for line in lines]:
        return converted  # every line kept its length (one phrase could shrink, another grow)
    return "\n".join(_line_to_simplified(convert, line) for line in lines)


def _line_to_simplified(convert: Callable[[str], str], line: str) -> str:
    """One line converted as a whole when that keeps its length, else each character alone
    (a phrase the table maps to one of another length)."""
    converted = convert(line)
    if len(converted) == len(line):
        return converted
    characters = []
    for char in line:
        one = convert(char)
        characters.append(one if len(one) == 1 else char)
    return "".join(characters)
