"""The shared pieces of number reading: match shapes, the number-word and scale-word
tables (pipeline/data), and exact parsing of digit strings ("1,250", "3 400,5", ".75")
with their separator shape.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Optional

from ..data_access import read_csv

# Spaces used as thousands separators: space, NBSP, thin space, narrow NBSP.
_GROUP_SPACES = " \u00a0\u2009\u202f"
MINUS_SIGNS = "-\u2212\u2013"

# Digit numbers. Each alternative ends with (?![\d]) so a partial group never
# matches; the lookbehind keeps a match from starting inside another number.
_DIGITS = (
    r"(?<![\d])(?:"
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d])(?!,\d)"          # 1,234,567.89
    r"|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?![\d])(?!,\d)"   # 12,34,567.89 (Indian)
    r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?(?![\d])(?!\.\d)"     # 1.107.000 / 1.234.567,89
    r"|\d{1,3}(?:\.\d{3})+,\d+(?![\d])(?![.,]\d)"           # 1.107,5
    r"|\d{1,3}(?:['\u2019]\d{3})+(?:[.,]\d{1,2})?(?![\d])(?![.,'\u2019]\d)"  # 2'310,50 (Swiss)
    r"|\d{1,3}(?:[" + _GROUP_SPACES + r"]\d{3})+(?:\.\d+|,\d{1,2})?(?![\d])(?![.,]\d)"  # 1 107 000 / 2 416,30
    # a decimal comma: one or two digits after it can never be a thousands
    # group ("2,5", "23,45"); a four-digit year before it is a list
    # ("2019,20"), and a comma-separated run is a list ("nos. 22,24,26,31")
    r"|(?<!\d,)(?:\d{1,3}|(?!(?:1[89]|20)\d\d,)\d{4,}),\d{1,2}(?![\d])(?![.,]\d)"
    r"|\d+(?:\.\d+(?![.\d]))?(?:[eE][-+]?\d+)?"             # 4.5 / 1e10
    r")"
    r"|(?<![\d.])(?<![^\W\d_])\.\d+(?![.\d])"              # .5 (not "Rs.350")
)
TOKEN_RE = re.compile(r"(?P<num>" + _DIGITS + r")|(?P<word>[^\W\d_]+)|(?P<other>\S)")


@dataclass
class NumberMatch:
    start: int
    end: int
    text: str
    value: float


@dataclass
class Token:
    kind: str      # num | word | other
    text: str
    start: int
    end: int


@dataclass
class ScanMatch:
    """A number phrase found by ``scan_numbers`` with context flags the money
    and percent finders need (find_numbers filters on them)."""
    start: int
    end: int
    text: str
    value: float
    is_digits: bool = True        # starts with digits (not words)
    has_scale: bool = False       # a scale word/abbreviation is part of it
    plain_int: bool = False       # bare integer digits, no separators, no scale
    glued_before: bool = False    # a letter right before ("G20")
    glued_after: str = ""         # letters right after ("180ml" -> "ml")
    scale_value: float = 1.0      # product of the scale words in the phrase
    shape: str = ""               # "dot3" ("48.700") / "comma3" ("2,500"): see separator_shape


# ---------------------------------------------------------------- data ----

@lru_cache(maxsize=None)
def number_words() -> dict[str, tuple[float, str]]:
    out: dict[str, tuple[float, str]] = {}
    for row in read_csv("number_words.csv"):
        with row.checked():
            out[row["word"].strip().lower()] = (float(row["value"]), row["kind"].strip())
    return out


@dataclass(frozen=True)
class ScaleWord:
    word: str
    multiplier: float
    kind: str          # word | abbr
    spaced_ok: bool
    money_only: bool


@lru_cache(maxsize=None)
def scale_words() -> dict[str, ScaleWord]:
    """Full words keyed lower-case; abbreviations keyed as written (case matters:
    "M" is million, "m" is usually metres). scale_words.csv, over the generated
    scale_words_cldr.csv (scripts/build_scale_words.py)."""
    out: dict[str, ScaleWord] = {}
    # other languages' long scale words from CLDR first ("bilhões", "Milliarden"); the hand-kept
    # English rows win
    for row in [*read_csv("scale_words_cldr.csv"), *read_csv("scale_words.csv")]:
        with row.checked():
            kind = row["kind"].strip()
            word = row["word"].strip()
            sw = ScaleWord(word, float(row["multiplier"]), kind,
                           row.get("spaced_ok", "0").strip() == "1",
                           row.get("money_only", "0").strip() == "1")
        out[word.lower() if kind == "word" else word] = sw
    return out


def lookup_scale(word: str, glued: bool, money: bool) -> Optional[ScaleWord]:
    """The scale word ``word`` if it may follow a number here."""
    table = scale_words()
    sw = table.get(word.lower())
    if sw is not None and sw.kind == "word":
        return sw
    sw = table.get(word)
    if sw is None or sw.kind != "abbr":
        return None
    if sw.money_only and not money:
        return None
    if not glued and not sw.spaced_ok:
        return None
    return sw


# ------------------------------------------------------------ parsing ----

def parse_digits_exact(s: str) -> Optional[Decimal]:
    """Exact value of one digit token as matched by the tokenizer. The
    separators are read from the number's own shape: two kinds -> the last is
    the decimal mark; repeated -> groups; apostrophes and spaces -> groups; a
    lone comma before one or two digits, or after a lone zero ("0,750"), ->
    decimal; a lone comma before three -> a group (English). A lone dot is a decimal point here: money.py
    revisits "48.700" with the currency's convention (ScanMatch.shape)."""
    t = s.strip()
    for ch in _GROUP_SPACES + "'\u2019":
        t = t.replace(ch, "")
    if not t:
        return None
    if "," in t and "." in t:
        if t.rfind(",") > t.rfind("."):     # 1.107,5: European
            t = t.replace(".", "").replace(",", ".")
        else:
            t = t.replace(",", "")
    elif "," in t:
        head, _, tail = t.rpartition(",")
        if t.count(",") == 1 and (len(tail) <= 2 or head.lstrip("-") in ("", "0")):
            t = head + "." + tail            # 2,5 / 23,45 / 0,750: decimal comma
        else:
            t = t.replace(",", "")           # 1,107 / 12,34,567
    elif t.count(".") >= 2:
        t = t.replace(".", "")               # 1.107.000
    try:
        value = Decimal(t)
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def parse_digits(s: str) -> Optional[float]:
    """Value of one digit token as matched by the tokenizer (separators known)."""
    value = parse_digits_exact(s)
    if value is None:
        return None
    try:
        out = float(value)
    except (OverflowError, ValueError):
        return None
    return out if math.isfinite(out) else None


def exact(x: float | int | Decimal) -> Decimal:
    """The decimal a float stands for (its shortest repr): 8.22 -> Decimal('8.22')."""
    return x if isinstance(x, Decimal) else Decimal(repr(float(x)))


def exact_product(*xs: float | int | Decimal) -> float:
    """Product without binary noise: 8.22 x 1e5 x 1e7 = 8220000000000.0 exactly."""
    out = Decimal(1)
    for x in xs:
        out *= exact(x)
    return float(out)


# (a leading zero is never a thousands group: "0.500" and "0,500" are decimals)
_SHAPE_RES = (("dot3", re.compile(r"[1-9]\d{0,2}\.\d{3}")), ("comma3", re.compile(r"[1-9]\d{0,2},\d{3}")))


def separator_shape(s: str) -> str:
    """ "dot3" for "48.700", "comma3" for "2,500": one separator before exactly
    three digits, which reads as a decimal mark in one convention and a
    thousands group in the other. "" otherwise."""
    for name, rx in _SHAPE_RES:
        if rx.fullmatch(s):
            return name
    return ""
