"""Numbers in text: digits ("1,107", "1 107", "1.107,5", ".5"), words
("one hundred and twenty-five", "two thirds"), scale words ("1.2 million",
"1.5k", "three lakh crore") and fractions ("3/4", "2 1/4", "48\u00bd", and the
PDF rendering "481 /2" of a superscript "48\u00bd").

Pure functions that never raise. One tokenizer pass plus a left-to-right scan,
so time is linear in the text length. The money and percent finders build on
``scan_numbers``; the vocabularies live in ``pipeline/data``.

Modules: ``digits`` (shapes, word tables, digit strings), ``number_phrases`` (the
scanner), ``numbers`` (the finders' contract and the public finders).
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable, Optional, TypeVar

from .digits import NumberMatch
from .number_phrases import scan_numbers

_Match = TypeVar("_Match")


def text_finder(find: Callable[[str], list[_Match]]) -> Callable[[Any], list[_Match]]:
    """The finders' contract in one place: no matches for anything but a
    non-empty string, and never an exception on arbitrary input."""
    @wraps(find)
    def safe_find(text: Any) -> list[_Match]:
        if not isinstance(text, str) or not text:
            return []
        try:
            return find(text)
        except Exception:  # never raise on arbitrary input
            return []
    return safe_find


@text_finder
def find_numbers(text: str) -> list[NumberMatch]:
    """Numbers standing on their own: not glued to a unit ("180ml", "29km")
    or to a preceding word ("G20")."""
    return [NumberMatch(m.start, m.end, m.text, m.value)
            for m in scan_numbers(text)
            if not m.glued_after and not (m.glued_before and m.is_digits)]


def parse_number(s: str) -> Optional[float]:
    """The value of ``s`` when the whole string (trimmed) is one number phrase."""
    if not isinstance(s, str):
        return None
    try:
        t = s.strip()
        if not t or len(t) > 1000:
            return None
        matches = scan_numbers(t)
        if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(t):
            return matches[0].value
        return None
    except Exception:  # never raise on arbitrary input
        return None


def parse_single(find, s) -> Any:
    """The one match of ``find`` that spans all of ``s`` (trimmed, trailing
    punctuation ignored), else None; never raises."""
    try:
        if not isinstance(s, str):
            return None
        t = s.strip().rstrip(".,;:")
        if not t or len(t) > 1000:
            return None
        found = find(t)
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(t):
            return found[0]
        return None
    except Exception:  # never raise on arbitrary input
        return None
