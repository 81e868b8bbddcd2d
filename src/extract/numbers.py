"""Exact values of written numbers: "3.5万", "十二亿", "七成", "百分之二十", "三分之一".

The number grammar (十百千万亿) lives here, beside its parser: the digits, places and
multipliers, and the regex pieces built from them that facts.py and explain.py use to
find numbers. Units are data (``data/units.toml``); a unit that starts with a multiplier
character (千瓦, 百分点) turns that character's multiplier reading off where the unit
is written (``multiplier_pattern``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import regex

#: Chinese digits, with the variants reports use (两 for 2, 〇 beside 零), the traditional
#: 兩, and the financial capitals of budgets and contracts (壹贰叁…, traditional 貳參陸).
CN_DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "兩": 2,
    "壹": 1,
    "贰": 2,
    "貳": 2,
    "叁": 3,
    "參": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "陸": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
#: Tens written as one character: 廿 is 20 (廿二 = 22), 卅 is 30.
CN_TENS: dict[str, int] = {"廿": 20, "卅": 30}
#: Place values below 万: they multiply the digit before them (financial 拾佰仟 too).
CN_PLACES: dict[str, int] = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
#: Section multipliers: they scale everything before them (traditional 萬 and 億 too).
CN_SECTIONS: dict[str, int] = {"万": 10**4, "亿": 10**8, "萬": 10**4, "億": 10**8}
#: The decimal point of a Chinese numeral (三点五), simplified and traditional.
CN_POINTS = "点點"

#: Every digit character (with 廿 and 卅), and every multiplier character (places, then
#: sections), and the section characters alone.
CN_DIGIT_CHARS = "".join(CN_DIGITS) + "".join(CN_TENS)
MULTIPLIER_CHARS = "".join(CN_PLACES) + "".join(CN_SECTIONS)
SECTION_CHARS = "".join(CN_SECTIONS)

#: An Arabic number: with thousands separators (1,723.5; 3 000; 1, 000) or without
#: (8641.70), and a decimal point with a space before it (5 . 3, which OCR writes).
#: A group after a separator has exactly three digits; a shorter or longer one is not
#: read as a part of this number (facts.py refuses what is left as a fragment).
ARABIC_NUMBER_PATTERN = (
    r"\d{1,3}(?:(?:,[ ]?|[ ])\d{3})+(?!\d)(?:[ ]?\.[ ]?\d+)?|\d+(?:(?:[ ]\.[ ]?|\.)\d+)?"
)
#: The characters an Arabic number may hold besides its digits.
ARABIC_NUMBER_CHARS = "., "
#: A run of Arabic digits (with decimals) or Chinese numerals: what a reader sees as a number.
NUMBER_RUN_PATTERN = rf"\d+(?:[.,]\d+)*|[{CN_DIGIT_CHARS}{MULTIPLIER_CHARS}]+"


def multiplier_pattern(unit_texts: Iterable[str]) -> str:
    """Return the regex of one multiplier character that does not begin one of the units.

    8000万千瓦 is 8000万 + 千瓦, not 8000万千 + 瓦: the 千 that starts 千瓦 is the unit's.

    >>> multiplier_pattern(["千瓦", "千米", "个", "百分点"])
    '[十百千拾佰仟万亿萬億](?!(?<=百)(?:分点)|(?<=千)(?:瓦|米))'
    >>> multiplier_pattern(["个"])
    '[十百千拾佰仟万亿萬億]'
    """
    rests: dict[str, set[str]] = {}
    for text in unit_texts:
        if len(text) > 1 and text[0] in MULTIPLIER_CHARS:
            rests.setdefault(text[0], set()).add(text[1:])
    guards = [
        f"(?<={regex.escape(char)})(?:"
        + "|".join(regex.escape(rest) for rest in sorted(rests[char], key=lambda r: (-len(r), r)))
        + ")"
        for char in MULTIPLIER_CHARS
        if char in rests
    ]
    return f"[{MULTIPLIER_CHARS}]" + (f"(?!{'|'.join(guards)})" if guards else "")


def chinese_number_pattern(multiplier: str) -> str:
    """Return the regex of a Chinese numeral, given that of a multiplier character.

    >>> regex.fullmatch(chinese_number_pattern("[十百千万亿]"), "三十六点五") is not None
    True
    """
    return rf"(?:[{CN_DIGIT_CHARS}]|{multiplier})+(?:[{CN_POINTS}][{CN_DIGIT_CHARS}]+)?"


class NumberError(ValueError):
    """The text is not a number this grammar reads."""


# Cached: every number read asks, and nearly all ask for one of a handful ("", 万, 亿).
@lru_cache(maxsize=256)
def multiplier_value(text: str) -> Decimal:
    """Return the factor a run of multiplier characters stands for.

    >>> multiplier_value("万亿")
    Decimal('1000000000000')
    >>> multiplier_value("千亿")
    Decimal('100000000000')
    >>> multiplier_value("")
    Decimal('1')
    """
    factor = Decimal(1)
    for char in text:
        if char in CN_PLACES:
            factor *= CN_PLACES[char]
        elif char in CN_SECTIONS:
            factor *= CN_SECTIONS[char]
        else:
            raise NumberError(f"{text!r}: {char!r} is not a multiplier")
    return factor


def parse_arabic(text: str) -> Decimal:
    """Return the value of an Arabic number, thousands separators allowed.

    >>> parse_arabic("1,723")
    Decimal('1723')
    >>> parse_arabic("8641.70")
    Decimal('8641.70')
    >>> parse_arabic("3 000")
    Decimal('3000')
    """
    try:
        return Decimal(text.replace(",", "").replace(" ", ""))
    except InvalidOperation as error:
        raise NumberError(f"{text!r} is not an Arabic number") from error


def parse_chinese(text: str) -> Decimal:
    """Return the value of a Chinese numeral, with Arabic digits mixed in where written.

    >>> parse_chinese("一万二千三百")
    Decimal('12300')
    >>> parse_chinese("三十六点五")
    Decimal('36.5')
    >>> parse_chinese("十二亿")
    Decimal('1200000000')
    >>> parse_chinese("二〇二五")
    Decimal('2025')
    >>> parse_chinese("一万五")
    Decimal('15000')
    >>> parse_chinese("100万三千")
    Decimal('1003000')
    """
    if not text:
        raise NumberError("empty numeral")
    integer_part, _, fraction_part = text.replace("點", "点").partition("点")
    value = _parse_chinese_integer(integer_part) if integer_part else Decimal(0)
    if fraction_part:
        digits = "".join(str(CN_DIGITS[c]) if c in CN_DIGITS else c for c in fraction_part)
        # a digit string after 点, nothing else (廿 is no digit there)
        if not digits.isdigit():
            raise NumberError(f"{text!r}: bad digits after 点")
        value += Decimal("0." + digits)
    return value


def _parse_chinese_integer(text: str) -> Decimal:
    # Plain digit strings (二〇二五, 2025) are read digit by digit.
    if all(c in CN_DIGITS for c in text):
        return Decimal("".join(str(CN_DIGITS[c]) for c in text))
    total = Decimal(0)  # the part already scaled by 亿
    wan = Decimal(0)  # the part scaled by 万, below 亿
    section = Decimal(0)  # the part below 万
    number: Decimal | None = None  # the digit (or Arabic number) waiting for its place
    last_place = 0  # the place value just used, for the elided tail of 一万五 = 15000
    after_zero = False
    index = 0
    while index < len(text):
        char = text[index]
        if char.isascii() and (char.isdigit() or char == "."):
            end = index
            while (
                end < len(text)
                and text[end].isascii()
                and (text[end].isdigit() or text[end] in ARABIC_NUMBER_CHARS)
            ):
                end += 1
            number = parse_arabic(text[index:end])
            index = end
            continue
        if char in "零〇":
            # 零 holds an empty place (一千零十 = 1010): it is never the digit of a place
            after_zero = True
        elif char in CN_DIGITS:
            digit = Decimal(CN_DIGITS[char])
            number = digit if number is None or number == 0 else number * 10 + digit
        elif char in CN_TENS:
            section += CN_TENS[char]  # 廿二 = 20 + 2
            number, last_place, after_zero = None, 10, False
        elif char in CN_PLACES:
            place = CN_PLACES[char]
            section += (number if number is not None else Decimal(1)) * place
            number, last_place, after_zero = None, place, False
        elif char in CN_SECTIONS:
            scale = CN_SECTIONS[char]
            if scale == 10**4:
                wan = (wan + section + (number or 0)) * scale
            else:
                total = (total + wan + section + (number or 0)) * scale
                wan = Decimal(0)
            section, number, last_place, after_zero = Decimal(0), None, scale, False
        else:
            raise NumberError(f"{text!r}: {char!r} is not part of a numeral")
        index += 1
    if number is not None and last_place >= 10 and not after_zero and number < 10:
        # 一万五 = 15000, 三千五 = 3500: a lone digit after a place is the next place down.
        number *= Decimal(last_place) / 10
    return total + wan + section + (number or 0)


def to_chinese(value: int) -> str:
    """Return the Chinese numeral for a non-negative integer below 10**16.

    >>> to_chinese(12300)
    '一万二千三百'
    >>> to_chinese(105)
    '一百零五'
    >>> to_chinese(10)
    '十'
    """
    if value < 0 or value >= 10**16:
        raise NumberError(f"{value} is out of range")
    if value == 0:
        return "零"
    digits = "零一二三四五六七八九"

    def below_wan(n: int) -> str:
        out, zero = "", False
        for place, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d = n // place % 10
            if d == 0:
                zero = bool(out)
                continue
            if zero:
                out += "零"
                zero = False
            out += digits[d] + name
        return out

    parts: list[str] = []
    for scale, name in ((10**8, "亿"), (10**4, "万"), (1, "")):
        chunk = value // scale % 10**4 if scale != 10**8 else value // scale
        if chunk:
            if parts and chunk < 1000:
                parts.append("零")
            words = to_chinese(chunk) if chunk >= 10**4 else below_wan(chunk)
            parts.append(words + name)
        elif parts and parts[-1] != "零":
            parts.append("零")
    text = "".join(parts).rstrip("零")
    if text.startswith("一十"):
        text = text[1:]  # 十二, not 一十二
    return text
