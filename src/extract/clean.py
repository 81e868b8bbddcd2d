"""Character fixes and re-flow of column-broken lines into one paragraph a line.

The OCR'd reports this project reads are cut into newspaper columns of 13-22
characters, with stray blank lines between most lines and words and numbers
cut across lines (``增\\n长1\\n3.8%``). Cleaning has two parts:

1. **Character fixes**: small named ``str -> str`` steps in one ordered table
   (``FIX_STEPS``, ftfy style). The driver repeats the table until nothing
   changes and records a step in ``CleanText.steps`` only when it changed the
   text. No blanket NFKC: ``１２，３４`` keeps its full-width comma, so it stays
   two numbers.
2. **Re-flow**: lines are joined into paragraphs (no space between CJK
   characters) and page furniture is dropped and recorded. A line ends a
   paragraph when it is a header line, when it ends in 。！？ and is well short
   of (or much wider than) the document's column width, or when it is much
   shorter than the next line; a plain line after a paragraph's end stands alone as a
   heading when it names a part of a report (2026年主要预期目标) or is two phrases parted
   by a space short of the column. Text whose lines are mostly complete sentences
   is already flowed and keeps one paragraph a line, which makes cleaning
   idempotent. In either layout a line never ends inside a number
   (``12`` | ``345亿元``), not even the first line or a line of digits alone.

``CleanText.line_starts`` maps every cleaned character back to its raw line.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Sequence
from functools import cache
from typing import Final

import regex

from . import script
from .lexicon import Lexicon, load_lexicon
from .models import CleanText, Issue, RemovedText
from .numbers import CN_DIGIT_CHARS, CN_PLACES
from .regex_calls import match_here
from .structure import MAX_HEADER_CHARS, Structure

# --------------------------------------------------------------------------
# Character fixes
# --------------------------------------------------------------------------

# The steps that replace single characters use one str.replace per character: most
# text has none of them, and a str.replace that finds nothing is several times cheaper
# than a regex scanning for a set of characters.

#: Zero-width characters OCR and web copies leave inside words and numbers.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
#: Line and paragraph separators that are not ``\n``: they would break the
#: "one paragraph a line" contract, so they become plain spaces.
_ODD_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: No-break and narrow spaces (U+00A0, figure space U+2007, narrow U+202F, thin U+2009,
#: hair U+200A): the thousands separators of typeset numbers (3\u2009000).
_NO_BREAK_SPACES = "\u00a0\u2007\u202f\u2009\u200a"


#: Arabic-Indic digits (U+0660-0669) and their Persian forms (U+06F0-06F9), with the
#: Arabic decimal and thousands separators and percent sign (U+066B, U+066C, U+066A):
#: ٥٫٣٪ is 5.3%.
@cache
def _arabic_indic_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile("[\u0660-\u066c\u06f0-\u06f9]+")


_ARABIC_INDIC_ONE_RANGE_RE = regex.compile("[\u0660-\u066c]")
_PERSIAN_RANGE_RE = regex.compile("[\u06f0-\u06f9]")
_ARABIC_INDIC_DIGITS = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u066b\u066c"
    "\u066a\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "0123456789.,%0123456789",
)
#: A full-width full stop between two digits is a decimal point: ３６．５ → 36.5.
_FULLWIDTH_DECIMAL_RE = regex.compile(r"(?<=[0-9])．(?=[0-9])")

_FULLWIDTH_DIGIT_RE = regex.compile("[０-９]+")
#: A full-width comma OCR read for the decimal point of a percentage: 增长5，3% is 5.3%. The
#: whole part stands alone (no list of bare numbers 1，2，3% and no ordinal 第3，5%) and one
#: or two decimals end in the percent sign; 12，34 without it may be a list and stays.
_OCR_DECIMAL_COMMA_RE = regex.compile(r"(?<=(?<![\d.,，第])\d{1,3})，(?=\d{1,2}[%‰])")
#: A full-width comma in a number of groups of three with decimals after: 82，225.00.
_DIGIT_COMMA_GROUP_RE = regex.compile("[0-9]，[0-9]{3}")


#: The comma comes first so the search runs from one comma to the next.
@cache
def _fullwidth_thousands_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile(
        r"，(?<=(?<![\d.,，])\d{1,3}(?:，\d{3})*，)(?=\d{3}(?:，\d{3})*\.\d)"
    )


#: O, o, l and I after a digit run no Latin letter starts, its decimals included (27l36,
#: 1O0, 4O%, 3O万, 8641.7O亿, 6029.O3亿).
#: The letters come first, so the search runs from one letter to the next.
@cache
def _ocr_letter_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile(
        r"(?:[OolI]+(?=\.?\d)|[Oo]+(?=[%‰\p{Han}]))(?<=(?<![A-Za-z\d.])\d+(?:\.\d*)?[OolI]+)"
    )


_OCR_LETTERS = str.maketrans("OolI", "0011")


#: l opening a digit run that no Latin letter ends (产量l2.3亿斤), and O opening a decimal
#: (上涨O.8%), right after a Chinese character: OCR's 1 and 0, as no Latin word starts so.
@cache
def _ocr_opening_letter_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile(r"l(?=\d++(?![A-Za-z]))(?<=\p{Han}l)|O(?=\.\d)(?<=\p{Han}O)")


_DIGIT_THEN_LETTER_RE = regex.compile("[0-9][.]?[OolI]")
# Ａ-ｚ also spans ［＼］＾＿｀, which the translation table leaves alone: one range is
# scanned several times faster than the two of the letters.
_FULLWIDTH_LETTER_RE = regex.compile("[Ａ-ｚ]+")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_LETTERS = str.maketrans(
    "ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
)


#: Spaces inside a date or a count of years as web pages space them (2025 年 1 月 15 日,
#: 1-11 月, 连续 8 年): after a digit before 年, 月 or 日, and after such a 年 or 月 before a
#: digit.
#: The space comes first in the pattern, so the search runs from one space to the next.
@cache
def _date_space_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile(r" +(?:(?=[年月日])(?<=\d +)|(?=\d)(?<=\d *[年月] +))")


#: A text holds such a space only if it holds one of these (str.__contains__ runs in C,
#: where the regex tests every space of the text).
_DATE_SPACE_NEEDLES = (" 年", " 月", " 日", "年 ", "月 ")


#: An ASCII full stop after a Chinese character or a percent sign and before a Chinese
#: character: OCR's reading of 。 (no number, abbreviation or web address puts one there;
#: after a digit it may be an enumerator, 1.加快发展).
_ASCII_FULL_STOP_RE = regex.compile(r"\.(?<=[\p{Han}%‰]\.)(?=\p{Han})")


#: A footnote reference of a web encyclopedia or a summary, a number of one to three digits
#: in square brackets right after a word, a figure or the end of a sentence (增长5.2%[3],
#: 万亿元 ［12］): never a figure of the text. After a comma or colon, or opening a line, it
#: may number an item ([1]加快发展) and stays.
@cache
def _footnote_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile(
        r"[\[［]\d{1,3}[\]］](?<=[\p{Han}\d%‰。！？”）)] ?[\[［]\d{1,3}[\]］])"
    )


#: Vowels with a tone mark that a page glossed with pinyin (產業(yè), 統(tǒng)計) shows in its
#: first lines: looked for one by one before any regex. The glosses of a page hold
#: dozens of syllables, so the commonest tones of a, e, i and o are sure to be among them.
_COMMON_TONE_VOWELS = "èàìǎǐíáòǒé"


@cache
def _pinyin_gloss_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile(
        r"(?<=\p{Han})[(（][a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,5}[)）]"
    )


def _replace_each(text: str, characters: str, replacement: str) -> str:
    """Return ``text`` with every one of ``characters`` replaced by ``replacement``."""
    for character in characters:
        text = text.replace(character, replacement)
    return text


def remove_zero_width(text: str) -> str:
    """Return ``text`` without zero-width spaces, joiners and BOMs.

    >>> remove_zero_width("36\u200b.5")
    '36.5'
    """
    return _replace_each(text, _ZERO_WIDTH, "")


def replace_odd_line_breaks(text: str) -> str:
    r"""Return ``text`` with form feeds and Unicode line separators as spaces.

    >>> replace_odd_line_breaks("a\u2028b")
    'a b'
    """
    return _replace_each(text, _ODD_BREAKS, " ")


def replace_ideographic_space(text: str) -> str:
    """Return ``text`` with the ideographic space U+3000 as an ASCII space.

    >>> replace_ideographic_space("拼搏实干\u3000奋勇先行")
    '拼搏实干 奋勇先行'
    """
    return text.replace("\u3000", " ")


def replace_no_break_space(text: str) -> str:
    """Return ``text`` with no-break spaces as ASCII spaces.

    >>> replace_no_break_space("36.5\u00a0亿元")
    '36.5 亿元'
    """
    return _replace_each(text, _NO_BREAK_SPACES, " ")


def remove_space_in_date(text: str) -> str:
    """Return ``text`` without the spaces web pages put between the numbers of a date and
    年, 月 and 日, so that a date reads as one whatever the spacing.

    >>> remove_space_in_date("——2025 年 1 月 15 日在，1-11 月，连续 8 年，达 5.5 万元")
    '——2025年1月15日在，1-11月，连续 8年，达 5.5 万元'
    """
    if not any(needle in text for needle in _DATE_SPACE_NEEDLES):
        return text
    return _date_space_re().sub("", text)


def remove_footnote_references(text: str) -> str:
    """Return ``text`` without footnote references ([3]) after its characters.

    >>> remove_footnote_references("增长5.2%[3]。总量10.3万亿元 [12]；见[2023]号，[1]加快发展")
    '增长5.2%。总量10.3万亿元 ；见[2023]号，[1]加快发展'
    """
    if "[" not in text and "［" not in text:
        return text
    return _footnote_re().sub("", text)


def remove_pinyin_glosses(text: str) -> str:
    """Return ``text`` without the pinyin glosses of a single syllable after characters.

    >>> remove_pinyin_glosses("第一產業(yè)增加值217.3億元(人民幣)，(a)项")
    '第一產業增加值217.3億元(人民幣)，(a)项'
    """
    head = text[: script.HEAD_CHARS]
    if not any(vowel in head for vowel in _COMMON_TONE_VOWELS):
        return text  # a page glossed by its converter is glossed from its first lines
    return _pinyin_gloss_re().sub("", text)


def fix_ascii_full_stop(text: str) -> str:
    """Return ``text`` with an ASCII full stop between two Chinese characters, or after a
    percent sign, as 。, so that it ends its sentence.

    >>> fix_ascii_full_stop("领跑全国.尽管如此，增长5.1%.其中，www.gov.cn，1.加快发展")
    '领跑全国。尽管如此，增长5.1%。其中，www.gov.cn，1.加快发展'
    """
    if "." not in text:
        return text
    return _ASCII_FULL_STOP_RE.sub("。", text)


def fix_fullwidth_digits(text: str) -> str:
    """Return ``text`` with full-width digits as ASCII digits.

    >>> fix_fullwidth_digits("１２，３４")
    '12，34'
    """
    # str.translate is slow on long non-ASCII text; touch only the runs found.
    return _FULLWIDTH_DIGIT_RE.sub(lambda m: m.group().translate(_FULLWIDTH_DIGITS), text)


def fix_arabic_indic_digits(text: str) -> str:
    """Return ``text`` with Arabic-Indic digits and separators as ASCII ones.

    >>> fix_arabic_indic_digits("\u0665\u066b\u0663%")
    '5.3%'
    """
    # two scans of one range each are cheaper than one scan of two ranges
    if _ARABIC_INDIC_ONE_RANGE_RE.search(text) is None and _PERSIAN_RANGE_RE.search(text) is None:
        return text
    return _arabic_indic_re().sub(lambda m: m.group().translate(_ARABIC_INDIC_DIGITS), text)


def fix_fullwidth_thousands_separator(text: str) -> str:
    """Return ``text`` with full-width commas as ``,`` in a number with groups and decimals.

    ``82，225.00`` is one amount; ``12，345`` alone may be a list and keeps its comma.

    >>> fix_fullwidth_thousands_separator("合同金额82，225.00元，第1，7家")
    '合同金额82,225.00元，第1，7家'
    """
    if _DIGIT_COMMA_GROUP_RE.search(text) is None:
        return text  # a scan that starts at digits is cheaper than one from comma to comma
    return _fullwidth_thousands_re().sub(",", text)


def fix_ocr_letters_in_numbers(text: str) -> str:
    """Return ``text`` with O read as 0 and l/I as 1 where OCR put them inside a number.

    A letter counts when a digit run that no Latin letter starts stands before it, and a
    digit or a decimal point (or, for O, a percent sign or a Chinese character) after it;
    after a Chinese character, l opening a digit run and O opening a decimal count too.

    >>> fix_ocr_letters_in_numbers("4O%，1O0座，27l36元，Win1O系统")
    '40%，100座，27136元，Win1O系统'
    >>> fix_ocr_letters_in_numbers("就业4O.5万人，产量l2.3亿斤，上涨O.8%，l2tp协议")
    '就业40.5万人，产量12.3亿斤，上涨0.8%，l2tp协议'
    >>> fix_ocr_letters_in_numbers("增加值6029.O3亿元，下降53.O6%，第5.I节")
    '增加值6029.03亿元，下降53.06%，第5.I节'
    """
    if "l" in text or "O" in text:
        text = _ocr_opening_letter_re().sub(lambda m: m.group().translate(_OCR_LETTERS), text)
    elif "o" not in text and "I" not in text:
        return text  # none of the letters: four scans in C are cheaper than one regex scan
    if _DIGIT_THEN_LETTER_RE.search(text) is None:
        return text  # a scan that starts at digits is cheaper than one that starts at letters
    return _ocr_letter_re().sub(lambda m: m.group().translate(_OCR_LETTERS), text)


def fix_fullwidth_letters(text: str) -> str:
    """Return ``text`` with full-width Latin letters as ASCII letters.

    >>> fix_fullwidth_letters("ＧＤＰ")
    'GDP'
    """
    return _FULLWIDTH_LETTER_RE.sub(lambda m: m.group().translate(_FULLWIDTH_LETTERS), text)


def fix_fullwidth_percent(text: str) -> str:
    """Return ``text`` with the full-width percent sign as ``%``.

    >>> fix_fullwidth_percent("5.2％")
    '5.2%'
    """
    return text.replace("％", "%")


def fix_ocr_decimal_comma(text: str) -> str:
    """Return ``text`` with a full-width comma OCR read inside a percentage as ``.``.

    >>> fix_ocr_decimal_comma("增长5，3%，第1，2名")
    '增长5.3%，第1，2名'
    """
    if "，" not in text or ("%" not in text and "‰" not in text):
        return text  # the comma stands before the decimals of a percentage
    return _OCR_DECIMAL_COMMA_RE.sub(".", text)


def fix_fullwidth_decimal_point(text: str) -> str:
    """Return ``text`` with a full-width ``．`` between two digits as ``.``.

    >>> fix_fullwidth_decimal_point("36．5亿元．")
    '36.5亿元．'
    """
    return _FULLWIDTH_DECIMAL_RE.sub(".", text)


# The classes of this module are plain classes, not dataclasses: in a compiled module a
# dataclass still has its methods written out and compiled at every start-up, and its
# __init__ runs as Python. None of them is compared or printed.
class FixStep:
    """One named character fix; ``keeps_length`` when it maps one character to one, and
    ``per_character`` when it maps each character whatever stands around it, spaces and
    line ends left alone: such a step leaves text joined from texts it leaves as they are
    as it is."""

    def __init__(
        self,
        name: str,
        apply: Callable[[str], str],
        *,
        keeps_length: bool,
        per_character: bool = False,
    ) -> None:
        self.name = name
        self.apply = apply
        self.keeps_length = keeps_length
        self.per_character = per_character


#: The character fixes, in the order they run. Zero-width removal comes first
#: so that ``3\u200b．5`` is a number by the time the decimal point is fixed. No step
#: looks across a line's end or at a space, before or after what it changes: a line is
#: fixed the same alone or among others, stripped or not, which lets re-flow fix only the
#: paragraphs it joins (``_apply_fixes_in_place``). The one exception comes before them
#: all: the script conversion judges the whole text (script.py), and a text it converted
#: holds no traditional marks left for it to find in a paragraph.
FIX_STEPS: tuple[FixStep, ...] = (
    FixStep(script.STEP_NAME, script.to_simplified, keeps_length=True),
    FixStep("remove_zero_width", remove_zero_width, keeps_length=False),
    FixStep(
        "replace_odd_line_breaks", replace_odd_line_breaks, keeps_length=True, per_character=True,
    ),
    FixStep(
        "replace_ideographic_space",
        replace_ideographic_space,
        keeps_length=True,
        per_character=True,
    ),
    FixStep(
        "replace_no_break_space", replace_no_break_space, keeps_length=True, per_character=True,
    ),
    FixStep("remove_space_in_date", remove_space_in_date, keeps_length=False),
    FixStep("remove_footnote_references", remove_footnote_references, keeps_length=False),
    FixStep("remove_pinyin_glosses", remove_pinyin_glosses, keeps_length=False),
    FixStep("fix_fullwidth_digits", fix_fullwidth_digits, keeps_length=True, per_character=True),
    FixStep(
        "fix_arabic_indic_digits", fix_arabic_indic_digits, keeps_length=True, per_character=True,
    ),
    FixStep("fix_fullwidth_letters", fix_fullwidth_letters, keeps_length=True, per_character=True),
    FixStep("fix_ocr_letters_in_numbers", fix_ocr_letters_in_numbers, keeps_length=True),
    FixStep("fix_fullwidth_percent", fix_fullwidth_percent, keeps_length=True, per_character=True),
    FixStep("fix_fullwidth_decimal_point", fix_fullwidth_decimal_point, keeps_length=True),
    FixStep("fix_ascii_full_stop", fix_ascii_full_stop, keeps_length=True),
    FixStep("fix_ocr_decimal_comma", fix_ocr_decimal_comma, keeps_length=True),
    FixStep(
        "fix_fullwidth_thousands_separator", fix_fullwidth_thousands_separator, keeps_length=True
    ),
)

#: The table is idempotent after two rounds in practice; the cap only guards
#: against a future step that undoes another one.
_MAX_FIX_ROUNDS = 4


def fix_characters(text: str, *, steps: Sequence[FixStep] = FIX_STEPS) -> tuple[str, list[str]]:
    """Return ``text`` with every fix of ``steps`` applied, and the names of those that fired.

    The table is repeated until nothing changes, so the result is a fixed point.

    >>> fix_characters("增长１３．８％，１２，３４")
    ('增长13.8%，12，34', ['fix_fullwidth_digits', 'fix_fullwidth_percent', \
'fix_fullwidth_decimal_point'])
    """
    text, fired, _ = _fix_to_fixed_point(text, steps)
    fired.sort(key=[step.name for step in FIX_STEPS].index)
    return text, fired


def _fix_to_fixed_point(text: str, steps: Sequence[FixStep]) -> tuple[str, list[str], bool]:
    """Return ``text`` with the table ``steps`` repeated until nothing changes, the names of
    the steps that fired (in the order they first did), and whether it settled.

    The steps run in turn, round after round, and stop once every step in a row has left
    the text as it was: a step that did so on this very text would do so again, so the
    rest of a round after the last change is not run a second time.
    """
    fired: list[str] = []
    unchanged = 0  # the steps in a row that left the text as it was
    count = len(steps)
    for turn in range(_MAX_FIX_ROUNDS * count):
        step = steps[turn % count]
        fixed = step.apply(text)
        if fixed == text:
            unchanged += 1
            if unchanged == count:
                return text, fired, True
        else:
            text = fixed
            unchanged = 0
            if step.name not in fired:
                fired.append(step.name)
    return text, fired, count == 0


# --------------------------------------------------------------------------
# Display width
# --------------------------------------------------------------------------


#: East Asian Wide, Fullwidth and Ambiguous characters take two columns in
#: Chinese typesetting (Han, full-width punctuation, “ ” …).
@cache
def _wide_re() -> regex.Pattern[str]:
    """Compiled on first use: behind a cheaper test, most reports never need it."""
    return regex.compile(r"[\p{ea=W}\p{ea=F}\p{ea=A}]")


#: A character outside ASCII that takes one column (Latin-1 letters, …): when a line has
#: none, its width is counted without looking at each character.
_NARROW_NON_ASCII_RE = regex.compile(r"[^\x00-\x7F\p{ea=W}\p{ea=F}\p{ea=A}]")
#: Widths only matter up to a few column widths; longer text is measured on
#: its head, so a 10 MB line costs no more than a short one.
_WIDTH_LIMIT = 400


def display_width(text: str) -> int:
    """Return the display width of ``text`` (CJK and full-width 2, ASCII 1), capped.

    >>> display_width("增长13.8%")
    9
    """
    head = text[:_WIDTH_LIMIT]
    if _NARROW_NON_ASCII_RE.search(head) is None:
        # The common case: ASCII (1 column) and wide characters (2) only.
        return 2 * len(head) - len(head.encode("ascii", "ignore"))
    return sum(map(_char_width, head))


def _display_widths(texts: list[str]) -> list[int]:
    """Return the ``display_width`` of each of ``texts``.

    >>> _display_widths(["增长13.8%", "GDP", "Čapek"])
    [9, 3, 5]
    """
    heads = [text[:_WIDTH_LIMIT] for text in texts]
    # One search through all the heads instead of one a text: most documents have no
    # narrow non-ASCII character, and then every head is counted the cheap way.
    if _NARROW_NON_ASCII_RE.search("".join(heads)) is None:
        return [2 * len(head) - len(head.encode("ascii", "ignore")) for head in heads]
    return [display_width(head) for head in heads]


@cache
def _char_width(char: str) -> int:
    """Return the display width of one character: 2 if East Asian wide, else 1."""
    # Per character and cached: a report has a few thousand distinct characters, and a
    # dict lookup per character is several times cheaper than a regex call per line.
    return 2 if _wide_re().match(char) else 1


# --------------------------------------------------------------------------
# Re-flow
# --------------------------------------------------------------------------

#: A line ending in 。！？ ends its paragraph when narrower than this share of
#: the column width: in a 17-character column (width 34) a 13-character line
#: (26) ends a paragraph, a 15-character one (30) does not.
SHORT_LINE_RATIO = 0.85
#: ... or wider than this share: such a line is not a column line (a lead
#: paragraph set across the page).
WIDE_LINE_RATIO = 1.25
#: A line with no end mark ends its paragraph when narrower than this share of
#: the next line: a subtitle (我市经济社会发展实现稳中求进) before a lead set
#: across the page.
NEXT_LINE_RATIO = 0.6
#: Text is column-broken only when at least this many lines, and this share of
#: all lines, are wrapped (no end mark, no header); otherwise it is flowed.
MIN_WRAPPED_LINES = 5
MIN_WRAPPED_SHARE = 0.2
#: Lines with no end mark are no column when fewer than this share of them come near the
#: column width and at least the next share are short (under NEXT_LINE_RATIO of it): a
#: list of key points one a line (地区生产总值迈上6万亿元台阶 / 市场经营主体总量突破1000万户),
#: each line a paragraph. In column text most such lines come near the column width and
#: hardly any are short.
LIST_NEAR_SHARE = 0.5
LIST_SHORT_SHARE = 0.25
#: ... unless at least this many lines opening with a bullet, and most of those that fill
#: the column, run on into a line opening with none: bullet items cut into a column.
MIN_BULLET_RUN_ONS = 2
#: The column width is this percentile of the wrapped lines' widths, after
#: dropping lines more than twice the median (lead lines across the page).
COLUMN_PERCENTILE = 0.9
#: Re-flow repeats on its own output until it settles (so cleaning twice is
#: cleaning once); real text settles on the second pass.
MAX_REFLOW_PASSES = 6

#: Whether a document is written in Latin script is judged on its head.
_SAMPLE_LINES = 2000
_SAMPLE_CHARS = 20000

#: The Latin letters, as bytes: counted among the ASCII bytes of a sample.
_ASCII_LETTERS = string.ascii_letters.encode("ascii")
# Runs, not single characters: counting the length of a few runs is much cheaper than
# one match object per character of a 20,000-character sample.
_HAN_CHARACTERS_RE = regex.compile(r"\p{Han}+")
#: Han characters are counted this many characters of the sample at a time, stopping
#: once they reach the Latin letters: a Chinese document is settled on its first chunk.
_HAN_CHUNK_CHARS = 1000


class _Unit:
    """A line (first pass) or a paragraph (later passes) with its raw-line pieces."""

    def __init__(
        self,
        text: str,
        pieces: list[tuple[int, int]],
        space_before: bool = False,
        space_after: bool = False,
        fixed: bool = False,
        joined_fixed: bool = False,
    ) -> None:
        self.text = text
        #: (offset in ``text``, 1-based raw line) where each raw line's text begins.
        self.pieces = pieces
        #: The raw line had whitespace at its start / end (an explicit word gap).
        self.space_before = space_before
        self.space_after = space_after
        #: The character fixes leave ``text`` as it is (a line of fixed text, or a
        #: paragraph fixed since it was joined): they need not run on it again.
        self.fixed = fixed
        #: A paragraph joined from lines or paragraphs the fixes left as they were, with
        #: nothing or a space between them: the per-character fixes leave it as it is.
        self.joined_fixed = joined_fixed


def _split_units(
    text: str, raw_lines: Sequence[int] | None = None, *, fixed: bool = False
) -> list[_Unit]:
    """Return the non-blank lines of ``text`` as units, stripped, with their raw line numbers
    (``raw_lines[n - 1]`` for line n when given: text stripped of HTML); ``fixed`` when the
    character fixes leave ``text`` as it is, and so each of its lines."""
    units: list[_Unit] = []
    # A line ends at \r\n, \r or \n: turned into \n for str.split, several times cheaper
    # than a regex split.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if raw_lines is not None:
            number = raw_lines[min(number, len(raw_lines)) - 1]
        padded = len(stripped) < len(line)  # else neither end is whitespace
        # Positional arguments: keywords double the cost of making a _Unit.
        units.append(
            _Unit(
                stripped,
                [(0, number)],
                padded and line[0].isspace(),
                padded and line[-1].isspace(),
                fixed,
            )
        )
    return units


def _is_keyword(structure: Structure, text: str) -> bool:
    return len(text) <= MAX_HEADER_CHARS and match_here(structure.keyword, text) is not None


def _names_next_line(structure: Structure, text: str) -> bool:
    """Return whether a 关键词 line leaves its section name to the next line."""
    match = match_here(structure.keyword, text)
    return match is not None and not match.group("name")


def _may_be_header(structure: Structure, text: str) -> bool:
    """Return whether ``text`` starts like any header line (one cheap match to rule most out)."""
    return len(text) <= MAX_HEADER_CHARS and match_here(structure.any_header, text) is not None


def _is_start_header(structure: Structure, text: str) -> bool:
    """Return whether ``text`` stands alone when it starts a paragraph."""
    return (
        structure.heading_line(text) is not None
        or structure.is_byline(text)
        or (len(text) <= 3 and match_here(structure.ordinal, text) is not None)
    )


def _is_plain_heading(structure: Structure, text: str) -> bool:
    """Return whether ``text`` has the shape of a plain heading line: 营商环境, 亮点回顾."""
    return len(text) <= MAX_HEADER_CHARS and match_here(structure.plain_heading, text) is not None


#: The fewest characters a line of a newspaper column holds: a shorter line that starts a
#: paragraph is the whole paragraph.
#: Final: compiled, it is read from a C static, not looked up in the module's dict.
MIN_COLUMN_CHARS: Final = 13


@cache
def _two_part_re() -> regex.Pattern[str]:
    """Two phrases parted by a space, as a headline sets them (经济持续健康发展 实现新跨越);
    compiled on first use: only column text with a spaced short line asks for it."""
    return regex.compile(r"\p{Han} \p{Han}")


def _is_column_heading(structure: Structure, text: str, layout: _Layout, index: int) -> bool:
    """Return whether a line of column text that starts a paragraph is a plain heading line.

    A paragraph in a column fills its first line, a heading line does not (the column cuts
    a longer one), so a line of the shape of a plain heading (no punctuation) heads a
    section when, besides, it names a part of a report in fewer characters than any column
    holds (2026年主要预期目标, 今年工作安排), or is set as two phrases parted by a space,
    as headlines are, short of the column (经济平稳增长 民生持续改善). A quote or
    bracket it opens and does not close goes on in the next line: no heading.
    """
    # The tests that need no regex first: most lines that open a paragraph fill the
    # column and hold no space.
    short = len(text) < MIN_COLUMN_CHARS
    two_part = " " in text and layout.widths[index] < SHORT_LINE_RATIO * layout.column
    if not (short or two_part) or not _is_plain_heading(structure, text):
        return False
    if not (
        (two_part and _two_part_re().search(text) is not None)
        or (short and match_here(structure.plain_lone, text) is not None)
    ):
        return False
    return all(
        text.count(opener) == text.count(closer) for opener, closer in structure.pairs.items()
    )


def _is_sub_heading(structure: Structure, text: str) -> bool:
    """Return whether ``text`` is a lowest-rank heading line: （一）聚焦扩大需求…"""
    found = structure.heading_line(text)
    return found is not None and found[0].rank == max(h.rank for h in structure.headings)


def _column_width(widths: list[int]) -> int:
    """Return a robust column width from the widths of wrapped lines."""
    widths = sorted(widths)
    median = widths[len(widths) // 2]
    kept = [w for w in widths if w <= 2 * median] or widths
    return max(1, kept[int(COLUMN_PERCENTILE * (len(kept) - 1))])


def _is_short_line_list(wrapped: list[int], column: int) -> bool:
    """Return whether lines with no end mark, of these widths, are items of a list rather
    than the lines of a column: few of them fill the column and many are short."""
    near = sum(1 for width in wrapped if width >= SHORT_LINE_RATIO * column)
    short = sum(1 for width in wrapped if width < NEXT_LINE_RATIO * column)
    return near < LIST_NEAR_SHARE * len(wrapped) and short >= LIST_SHORT_SHARE * len(wrapped)


def _wraps_bullet_items(
    structure: Structure, units: list[_Unit], widths: list[int], column: int
) -> bool:
    """Return whether the bullet items of a list are cut into a column: most lines opening
    with a bullet that fill the column go on in a line that opens with none.

    A list of key points cut into a column has as many short lines as a list one a line
    (each item's last line, 6%左右, 步), but its full lines run on into the next; in a list
    one a line the line after an item is the next item.
    """
    bullets = tuple(structure.bullets)
    full = run_on = 0
    for index in range(len(units) - 1):
        if widths[index] >= SHORT_LINE_RATIO * column and units[index].text.startswith(bullets):
            full += 1
            if not units[index + 1].text.startswith(bullets):
                run_on += 1
    return run_on >= MIN_BULLET_RUN_ONS and 2 * run_on > full


class _Layout:
    """What one re-flow pass learned about the lines of a document."""

    def __init__(
        self,
        *,
        flowed: bool,
        column: int,
        widths: list[int],
        ends_sentence: list[bool],
        keyword: list[bool],
        names_next: list[bool],
        sub_heading: list[bool],
        start_header: list[bool],
        latin: bool,
    ) -> None:
        self.flowed = flowed
        self.column = column
        #: The display width of each line; none when the text is flowed.
        self.widths = widths
        self.ends_sentence = ends_sentence
        #: The line is 关键词 / may stand alone when it starts a paragraph.
        self.keyword = keyword
        #: The line is a bare 关键词 whose section name is the next line.
        self.names_next = names_next
        #: The line starts like a （一） sub-heading.
        self.sub_heading = sub_heading
        self.start_header = start_header
        self.latin = latin


def _count(runs_re: regex.Pattern[str], text: str) -> int:
    """Return how many characters of ``text`` lie in the runs ``runs_re`` matches."""
    return sum(map(len, runs_re.findall(text)))


def _is_latin_script(sample: str) -> bool:
    """Return whether ``sample`` has more Latin letters than Han characters."""
    # Latin letters are ASCII: counted among the sample's ASCII bytes, which is far
    # cheaper than a regex scan over Han text.
    ascii_bytes = sample.encode("ascii", "ignore")
    latin = len(ascii_bytes) - len(ascii_bytes.translate(None, _ASCII_LETTERS))
    han = 0
    for start in range(0, len(sample), _HAN_CHUNK_CHARS):
        han += _count(_HAN_CHARACTERS_RE, sample[start : start + _HAN_CHUNK_CHARS])
        if han >= latin:
            return False
    return latin > han


class _HeaderKind:
    """What the header patterns say of one line (``_header_kind``)."""

    def __init__(
        self, keyword: bool, names_next: bool, start_header: bool, sub_heading: bool
    ) -> None:
        self.keyword = keyword
        self.names_next = names_next
        self.start_header = start_header
        self.sub_heading = sub_heading


#: The kind of the lines no header pattern matches: most lines.
_NO_HEADER = _HeaderKind(False, False, False, False)


class _Memo:
    """What the passes of re-flow over one document learned of its lines, by their texts.

    Each re-flow pass measures its lines again, and most are the lines the pass before
    measured: every line of flowed text, and the heading lines of column text. What the
    header patterns say of a line, and whether a sample is Latin script, depend on the
    text alone, so they are kept here for the next pass.
    """

    def __init__(self) -> None:
        self.kinds: dict[str, _HeaderKind] = {}
        self.sample = ""
        self.latin = False


def _header_kind(structure: Structure, text: str, memo: _Memo) -> _HeaderKind:
    """Return what the header patterns say of ``text``, from ``memo`` if it was asked."""
    kind = memo.kinds.get(text)
    if kind is None:
        kind = _NO_HEADER
        if _may_be_header(structure, text):
            keyword = _is_keyword(structure, text)
            start_header = _is_start_header(structure, text)
            kind = _HeaderKind(
                keyword,
                keyword and _names_next_line(structure, text),
                start_header,
                start_header and _is_sub_heading(structure, text),
            )
        memo.kinds[text] = kind
    return kind


def _is_latin_sample(sample: str, memo: _Memo) -> bool:
    """Return ``_is_latin_script(sample)``, from ``memo`` if the last pass asked it too."""
    if sample != memo.sample:  # the memo starts with "", which is no Latin script
        memo.sample = sample
        memo.latin = _is_latin_script(sample)
    return memo.latin


def _measure(structure: Structure, units: list[_Unit], memo: _Memo) -> _Layout:
    """Return the layout of ``units``: flowed or column-broken, and the column width."""
    ends = [structure.ends_sentence(u.text) for u in units]
    kinds = [_header_kind(structure, u.text, memo) for u in units]
    keywords = [kind.keyword for kind in kinds]
    start_headers = [kind.start_header for kind in kinds]
    names_next = [kind.names_next for kind in kinds]
    wrapped = [
        index
        for index in range(1, len(units))
        if not (ends[index] or keywords[index] or names_next[index - 1] or start_headers[index])
    ]
    flowed = len(wrapped) < MIN_WRAPPED_LINES or len(wrapped) < MIN_WRAPPED_SHARE * len(units)
    # Flowed text keeps its lines: only column-broken text needs their widths.
    widths = [] if flowed else _display_widths([u.text for u in units])
    wrapped_widths = [widths[index] for index in wrapped] if widths else []
    column = 0 if flowed else _column_width(wrapped_widths)
    if (
        not flowed
        and _is_short_line_list(wrapped_widths, column)
        and not _wraps_bullet_items(structure, units, widths, column)
    ):
        flowed, column, widths = True, 0, []
    # Joining a Latin word cut across lines: in Chinese column text the cut
    # falls anywhere (G|DP → GDP), in Latin-script text it falls between words.
    sample = "".join(u.text[:_SAMPLE_CHARS] for u in units[:_SAMPLE_LINES])[:_SAMPLE_CHARS]
    latin = _is_latin_sample(sample, memo)
    return _Layout(
        flowed=flowed,
        column=column,
        widths=widths,
        ends_sentence=ends,
        keyword=keywords,
        names_next=names_next,
        sub_heading=[kind.sub_heading for kind in kinds],
        start_header=start_headers,
        latin=latin,
    )


def _continues(structure: Structure, text: str) -> bool:
    """Return whether ``text`` starts with a mark no paragraph starts with (。，、；： ” ）)."""
    first = text[0]
    return (
        first in structure.clause_end or first in structure.terminal or first in structure.closing
    )


def _cuts_token(left: str, right: str) -> bool:
    """Return whether the break between ``left`` and ``right`` falls inside a number or word.

    >>> _cuts_token("增长1", "3.8%"), _cuts_token("的G", "DP均"), _cuts_token("增长", "3%")
    (True, True, False)
    """
    last, first = left[-1], right[0]
    if last.isascii() and last.isdigit():
        return first.isascii() and (first.isdigit() or first in ".%")
    if last == "." and _cuts_after_point(left, first):
        return True
    return is_latin_letter(last) and is_latin_letter(first)


def _cuts_after_point(left: str, first: str) -> bool:
    """Return whether ``left`` ends in a number's decimal point and ``first`` goes on with
    its digits: 增长6. | 8%. A line of an enumerator alone (1. | 2025年…) is no number.

    >>> _cuts_after_point("增长6.", "8"), _cuts_after_point("1.", "2")
    (True, False)
    """
    if not (first.isascii() and first.isdigit()):
        return False
    index = len(left) - 1
    while index > 0 and left[index - 1].isascii() and left[index - 1].isdigit():
        index -= 1
    return 0 < index < len(left) - 1


def _cuts_number(left: str, right: str) -> bool:
    """Return whether the break between ``left`` and ``right`` falls inside a number.

    >>> _cuts_number("12", "345亿元"), _cuts_number("Report", "The"), _cuts_number("01", "关键词")
    (True, False, False)
    >>> _cuts_number("发布时间：2024-01-25", "2024年"), _cuts_number("10:30", "2025年")
    (False, False)
    >>> _cuts_number("人民代表大会第", "三次会议上"), _cuts_number("次第", "花开")
    (True, False)
    """
    last, first = left[-1], right[0]
    if last == ".":
        return _cuts_after_point(left, first)  # 增长6. | 8%
    if last in _CUT_MULTIPLIERS:
        # 2.7万 | 亿元: a compound multiplier cut after its first character
        before = left[-2:-1]
        return first in _CUT_MULTIPLIERS and before.isascii() and before.isdigit()
    if not (last.isascii() and last.isdigit()):
        # 第 | 三次会议, 第 | 2位: the prefix of an ordinal never ends a line
        return ord(last) == _ORDINAL_PREFIX and (
            (first.isascii() and first.isdigit()) or first in _ORDINAL_NUMERALS
        )
    if first in _CUT_MULTIPLIERS:
        # 43.6 | 万人: the multiplier of a number at the end of a line of words (a line of
        # digits alone, 02 | 万家灯火, is a section number before a heading)
        return not left.isdigit()
    if _ends_in_date_or_time_re().search(left[-_DATE_TAIL:]) is not None:
        return False  # 2024-01-25 | 2024年，…: a date line ends there, whole
    return first.isascii() and (first.isdigit() or first in ".%")


#: A line ending in a full date or a clock time (2024-01-25, 2024/1/25, 10:30) ends whole:
#: the digits on the next line begin something new. A ratio's parts (6.01:55.04) are no
#: time. Only the line's last characters are searched.
@cache
def _ends_in_date_or_time_re() -> re.Pattern[str]:
    """Compiled on first use: only a line ending in a digit before one opening with a
    digit asks."""
    return re.compile(
        r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|(?<![\d.:])\d{1,2}:\d{2}(?::\d{2})?)$"
    )

_DATE_TAIL = 19


#: The prefix of an ordinal, as a code point: compared once a line, and a compiled ord()
#: and integer test is cheaper than a string comparison.
_ORDINAL_PREFIX: Final = ord("第")
#: The Chinese numerals an ordinal's 第 may stand before (第三次, 第十四届, 第二〇二五号).
_ORDINAL_NUMERALS: Final = CN_DIGIT_CHARS + "".join(CN_PLACES)
#: Multipliers a line break may cut from the number before them (43.6 | 万人, 2.7万 | 亿元).
_CUT_MULTIPLIERS = "万亿"


def _ends_paragraph(structure: Structure, units: list[_Unit], index: int, layout: _Layout) -> bool:
    """Return whether the non-header line ``units[index]`` ends its paragraph."""
    if index + 1 == len(units):
        return True
    text = units[index].text
    if _continues(structure, units[index + 1].text) or _cuts_token(text, units[index + 1].text):
        return False
    width = layout.widths[index]
    if layout.ends_sentence[index]:
        return width < SHORT_LINE_RATIO * layout.column or width > WIDE_LINE_RATIO * layout.column
    last = text[-1]
    if last in structure.clause_end:
        # 今年工作安排 after an item ending in ；: the list ends before a heading line
        return (
            last in _ITEM_ENDS
            and index + 2 < len(units)
            and _is_column_heading(structure, units[index + 1].text, layout, index + 1)
        )
    return width < NEXT_LINE_RATIO * layout.widths[index + 1]


def _merge(group: list[_Unit], *, latin: bool) -> _Unit:
    """Return the lines of ``group`` joined into one paragraph.

    Chinese lines join with no space: the column cuts words anywhere
    (``G|DP`` → ``GDP``), except that an explicit space at the break between
    two Latin letters, or two digits (the groups of ``1 234 567``), stays one
    space. Latin-script text was wrapped at
    spaces, so its lines join with one space.
    """
    if len(group) == 1:
        return group[0]
    parts: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    previous: _Unit | None = None
    for unit in group:
        if previous is not None and (
            latin
            or (
                _word_or_group_gap(previous.text[-1], unit.text[0])
                and (previous.space_after or unit.space_before)
            )
        ):
            parts.append(" ")
            length += 1
        pieces.extend((length + offset, line) for offset, line in unit.pieces)
        parts.append(unit.text)
        length += len(unit.text)
        previous = unit
    return _Unit(
        "".join(parts),
        pieces,
        group[0].space_before,
        group[-1].space_after,
        False,
        all(unit.fixed for unit in group),
    )


def is_latin_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _word_or_group_gap(last: str, first: str) -> bool:
    """Return whether a space at a line break between ``last`` and ``first`` is kept: it
    parts two Latin words, or two digit groups of one number (1 234 | 567万元)."""
    if last.isascii() and last.isdigit():
        return first.isascii() and first.isdigit()
    return is_latin_letter(last) and is_latin_letter(first)


def _runs_on(layout: _Layout, index: int, bulleted: bool) -> bool:
    """Return whether a （一） line, or a line opening with a bullet mark, fills the column:
    a lead sentence or a list item running on, not a heading.

    Government work reports open paragraphs with （一）聚焦扩大需求，经济运行稳中向好。 in
    bold; wrapped in a column its first line is full width, where a heading line is short.
    ◆ and ■ mark both cross-heads and the items of a list (◆固定资产投资增长4%，社会消 |
    费品零售总额增长6%；): a line they open that fills the column goes on in the next,
    a cross-head too long for the column among them (■ 2026年全省经济社会发展的主要 |
    预期目标).
    """
    if SHORT_LINE_RATIO * layout.column > layout.widths[index]:
        return False
    return layout.sub_heading[index] or bulleted


def _reflow_once(
    structure: Structure, units: list[_Unit], memo: _Memo
) -> tuple[list[_Unit], list[RemovedText], bool]:
    """Return the paragraphs of ``units``, the furniture removed, and whether anything changed."""
    kept: list[_Unit] = []
    removed: list[RemovedText] = []
    for unit in units:
        reason = structure.furniture_reason(unit.text)
        if reason is None:
            kept.append(unit)
        else:
            removed.append(RemovedText(line=unit.pieces[0][1], text=unit.text, reason=reason))
    if not kept:
        return [], removed, bool(removed)
    layout = _measure(structure, kept, memo)
    if layout.flowed:
        paragraphs = _join_cut_numbers(kept, latin=layout.latin)
        return paragraphs, removed, bool(removed) or len(paragraphs) != len(kept)

    groups: list[list[_Unit]] = []
    bullets = tuple(structure.bullets)
    # Whether each line opens with a bullet, asked once a line (each is asked as the line
    # and as the next one).
    bulleted = [unit.text.startswith(bullets) for unit in kept]
    ended = True  # the previous line ended a paragraph (or there is none)
    last = len(kept) - 1
    for index, unit in enumerate(kept):
        # A number cut across lines joins whatever the line is: the first line of a file
        # (12 | 345亿元 is no title) or a line of digits (no section number 12 before 345亿元).
        cut = index < last and _cuts_number(unit.text, kept[index + 1].text)
        standalone = (
            layout.keyword[index]
            or (index > 0 and layout.names_next[index - 1])
            or (
                not cut
                and (
                    index == 0
                    or (
                        ended
                        and layout.start_header[index]
                        and not _runs_on(layout, index, bulleted[index])
                    )
                    # 一、综合 after a headline wrapped over two lines: a short heading line
                    # stands alone even when the line before it did not end a paragraph
                    or (
                        layout.start_header[index]
                        and layout.widths[index] < SHORT_LINE_RATIO * layout.column
                    )
                    # 二、2025年主要目标任务 as wide as the column, after an item ending in
                    # ；: a list ends there, and a heading (not a （一） lead sentence) opens
                    or (
                        layout.start_header[index]
                        and not layout.sub_heading[index]
                        and kept[index - 1].text.endswith(_ITEM_ENDS)
                        and not bulleted[index]
                    )
                    # 2026年主要目标 or 经济平稳增长 民生持续改善 after a paragraph's end
                    # or a list item (_ends_paragraph): a plain heading line, though not
                    # much shorter than the line after it
                    or (
                        ended
                        and index < last
                        and _is_column_heading(structure, unit.text, layout, index)
                    )
                    # 营商环境 after a full line ending in 。: a plain heading line, much
                    # shorter than the line after it (a line that ends its paragraph)
                    or (
                        index < last
                        and layout.ends_sentence[index - 1]
                        and layout.widths[index] < NEXT_LINE_RATIO * layout.widths[index + 1]
                        and _is_plain_heading(structure, unit.text)
                    )
                )
            )
        )
        # A line opening with a bullet (●, ■) starts a list item: a paragraph of its own,
        # which its wrapped lines still join.
        if ended or standalone or bulleted[index]:
            groups.append([unit])
        else:
            groups[-1].append(unit)
        next_keyword = index + 1 < len(kept) and (
            layout.keyword[index + 1] or bulleted[index + 1]
        )
        ended = standalone or next_keyword or _ends_paragraph(structure, kept, index, layout)
    paragraphs = [_merge(group, latin=layout.latin) for group in groups]
    changed = bool(removed) or len(paragraphs) != len(units)
    return paragraphs, removed, changed


#: What ends an item of a list (…连续48个月保持两位数增长；): a line ending so, then a
#: heading line, is the list's end, however wide the heading.
_ITEM_ENDS: Final = ("；", ";")


#: A breadcrumb trail opens within this many lines of the top of a page.
_CHROME_TOP_LINES = 20
#: A breadcrumb item is at most this many characters (政务信息, 宁夏要闻).
_BREADCRUMB_ITEM_CHARS = 12
#: A list of related links has at most this many lines, each a header-length line.
_RELATED_LINES = 40
#: Tool bar buttons are page chrome in a run of at least this many lines, each this short.
_TOOLBAR_RUN = 3
_TOOLBAR_CHARS = 16


def _drop_page_chrome(
    structure: Structure, units: list[_Unit]
) -> tuple[list[_Unit], list[RemovedText]]:
    """Return the lines of a web page without its tool bar, breadcrumb trail and list of
    related links, with what was dropped; a metadata label alone on its line is joined
    with its value (发表时间： + 2026-02-09 → 发表时间：2026-02-09).

    >>> structure = load_lexicon().structure
    >>> lines = ["当前位置：", "首页", ">", "要闻", "下载", "打印", "】", "标题", "正文。",
    ...          "相关报道：", "另一篇"]
    >>> units, removed = _drop_page_chrome(structure, _split_units("\\n".join(lines)))
    >>> [unit.text for unit in units]
    ['标题', '正文。']
    """
    drop: dict[int, str] = {}
    run: list[int] = []  # the lines of the current run of tool bar buttons
    for index, unit in enumerate([*units, None]):
        if unit is not None and len(unit.text) <= _TOOLBAR_CHARS and structure.toolbar_line.match(
                unit.text):
            run.append(index)
            continue
        if len(run) >= _TOOLBAR_RUN:
            drop.update((line, "page chrome") for line in run)
        run = []
    for index, unit in enumerate(units[:_CHROME_TOP_LINES]):
        if len(unit.text) <= MAX_HEADER_CHARS and match_here(structure.breadcrumb, unit.text):
            drop[index] = "page chrome"
            _drop_breadcrumb(structure, units, index + 1, drop)
            # Short lines without punctuation above the trail are the site's own header
            # (客户端, 官方微博, the names of its channels): the article starts below it.
            marks = structure.clause_end | structure.terminal  # never in a header's line
            if all(len(above.text) <= _BREADCRUMB_ITEM_CHARS
                   and marks.isdisjoint(above.text) for above in units[:index]):
                drop.update((above, "page chrome") for above in range(index))
            break
    for index in range(len(units) - 1, max(-1, len(units) - _RELATED_LINES - 2), -1):
        if len(units[index].text) > MAX_HEADER_CHARS:
            break  # the article's own text: the list of links ends at the page's end
        if match_here(structure.related, units[index].text):
            drop.update((later, "related links") for later in range(index, len(units)))
            break
    kept: list[_Unit] = []
    removed: list[RemovedText] = []
    for index, unit in enumerate(units):
        if index in drop:
            removed.append(RemovedText(line=unit.pieces[0][1], text=unit.text,
                                       reason=drop[index]))
        elif (kept and structure.metadata_label_line.match(kept[-1].text)
              and len(unit.text) <= _BREADCRUMB_ITEM_CHARS * 4):
            kept[-1] = _merge([kept[-1], unit], latin=False)
        else:
            kept.append(unit)
    return kept, removed


def _drop_breadcrumb(
    structure: Structure, units: list[_Unit], start: int, drop: dict[int, str]
) -> None:
    """Mark the lines of a breadcrumb trail from ``start`` on in ``drop``: separators, and
    short items next to a separator (首页 > 政务信息 > 宁夏要闻, one a line)."""

    def separator(index: int) -> bool:
        return 0 <= index < len(units) and bool(
            match_here(structure.breadcrumb_separator, units[index].text))

    index = start
    while index < len(units):
        text = units[index].text
        if not (separator(index) or (
                len(text) <= _BREADCRUMB_ITEM_CHARS
                and (separator(index - 1) or separator(index + 1)))):
            return
        drop[index] = "page chrome"
        index += 1


def _join_cut_numbers(units: list[_Unit], *, latin: bool) -> list[_Unit]:
    """Return the lines of flowed text, a line ending in a digit joined to a next one going on
    with the number (``12`` | ``345亿元``): a flowed line is a paragraph, but never a number's
    part.
    """
    groups: list[list[_Unit]] = []
    for index, unit in enumerate(units):
        if index > 0 and _cuts_number(units[index - 1].text, unit.text):
            groups[-1].append(unit)
        else:
            groups.append([unit])
    if len(groups) == len(units):
        return units
    return [_merge(group, latin=latin) for group in groups]


#: The fixes that keep every length, run again on joined lines.
#: The fixes re-run on joined paragraphs: those that keep lengths, less the script
#: conversion, which judges the whole document once (a paragraph's share of traditional
#: characters is not the document's).
_LENGTH_KEEPING_STEPS = tuple(
    step for step in FIX_STEPS if step.keeps_length and step.name != script.STEP_NAME
)
#: Those of them that look at the characters around what they change (a digit before
#: ．): the only ones with anything to do on lines fixed before they were joined.
_CONTEXT_STEPS = tuple(step for step in _LENGTH_KEEPING_STEPS if not step.per_character)


def _apply_fixes_in_place(paragraphs: list[_Unit], fired: list[str]) -> bool:
    """Re-run the length-keeping fixes on the paragraphs (３\\n．５ is a number once joined).

    The steps never touch ``\\n`` and keep every length, so one pass over the
    paragraphs joined by newlines fixes each of them in place. Only the paragraphs joined
    since the fixes last ran are fixed: no step looks across a line's end or at a space
    (``FIX_STEPS``), so a line or paragraph the fixes left as it was stays so. When every
    one of them was joined from such lines, the per-character steps have nothing to do
    either: the table runs only if a step that looks around a character changes the text
    (the fix then made once lines are joined, 增长３ | ．５%), and the text is left as it
    is, as the table would leave it, when none does.
    """
    fresh = [paragraph for paragraph in paragraphs if not paragraph.fixed]
    if not fresh:
        return False
    before = "\n".join(paragraph.text for paragraph in fresh)
    if all(paragraph.joined_fixed for paragraph in fresh) and all(
        step.apply(before) == before for step in _CONTEXT_STEPS
    ):
        for paragraph in fresh:
            paragraph.fixed = True
        return False
    after, names, settled = _fix_to_fixed_point(before, _LENGTH_KEEPING_STEPS)
    if len(after) != len(before):
        return False
    if settled:
        for paragraph in fresh:
            paragraph.fixed = True
    if after == before:
        return False
    for paragraph, text in zip(fresh, after.split("\n"), strict=True):
        paragraph.text = text
        paragraph.joined_fixed = False  # fixed only if the table settled (above)
    fired.extend(name for name in names if name not in fired)
    return True


def clean_text(
    text: str,
    *,
    doc_id: str = "",
    lexicon: Lexicon | None = None,
    raw_lines: Sequence[int] | None = None,
) -> CleanText:
    """Return ``text`` with its characters fixed and its column-broken lines re-flowed.

    ``lexicon`` gives the header and furniture patterns (None: the bundled lexicon).
    ``raw_lines`` gives the raw line of each line of ``text`` when they differ (HTML
    stripped to text, ``SourceText.raw_lines``).

    >>> raw = "\\n\\n".join([
    ...     "标题", "坚持外防输入、内防反弹，迭代", "应用精密智控“七大机制”，高效打赢",
    ...     "疫情遭遇战。", "落实落细稳经济一揽子政策，深", "入开展市镇联动现场集中办公活动，",
    ...     "累计实施减负降费36.5亿元、惠及企业", "90万家次。"])
    >>> clean = clean_text(raw)
    >>> print(clean.text)
    标题
    坚持外防输入、内防反弹，迭代应用精密智控“七大机制”，高效打赢疫情遭遇战。
    落实落细稳经济一揽子政策，深入开展市镇联动现场集中办公活动，累计实施减负降费36.5亿元、惠及企业90万家次。
    >>> clean.raw_line(clean.text.index("90万"))
    15
    """
    structure = (lexicon or load_lexicon()).structure
    fixed, steps, settled = _fix_to_fixed_point(text, FIX_STEPS)
    units, removed = _drop_page_chrome(
        structure, _split_units(fixed, raw_lines, fixed=settled)
    )
    issues: list[Issue] = []
    memo = _Memo()
    for _ in range(MAX_REFLOW_PASSES):
        units, removed_now, changed = _reflow_once(structure, units, memo)
        removed.extend(removed_now)
        changed = _apply_fixes_in_place(units, steps) or changed
        if not changed:
            break
        for unit in units:  # later passes see what a second clean_text call would see
            unit.space_before = unit.space_after = False
    else:
        issues.append(
            Issue(stage="clean", reason=f"re-flow did not settle in {MAX_REFLOW_PASSES} passes")
        )
    steps.sort(key=[step.name for step in FIX_STEPS].index)
    removed.sort(key=lambda item: item.line)

    line_starts: list[tuple[int, int]] = []
    offset = 0
    for unit in units:
        for piece_offset, line in unit.pieces:
            if not line_starts or line_starts[-1][1] != line:
                line_starts.append((offset + piece_offset, line))
        offset += len(unit.text) + 1
    return CleanText(
        doc_id=doc_id,
        text="\n".join(unit.text for unit in units),
        line_starts=line_starts,
        removed=removed,
        steps=steps,
        issues=issues,
    )
