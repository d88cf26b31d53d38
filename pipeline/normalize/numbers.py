"""Numbers in text: digits ("1,107", "1 107", "1.107,5", ".5"), words
("one hundred and twenty-five", "two thirds"), scale words ("1.2 million",
"1.5k", "three lakh crore") and fractions ("3/4", "2 1/4", "48\u00bd", and the
PDF rendering "481 /2" of a superscript "48\u00bd").

Pure functions (contract: ``text_finder``). One tokenizer pass plus a left-to-right scan,
so time is linear in the text length. The money and percent finders build on
``scan_numbers``; the vocabularies live in ``pipeline/data``.

Modules: ``digits`` (shapes, word tables, digit strings), ``number_phrases`` (the
scanner), ``numbers`` (the finders' contract and the public finders).
"""
from __future__ import annotations

from functools import wraps
from typing import Any, Callable, Optional, TypeVar

from ..data_access import DataFileError
from .digits import NumberMatch
from .number_phrases import scan_numbers

_Match = TypeVar("_Match")


class NormalizerError(RuntimeError):
    """A finder failed: a bug in a normalizer. The message names the finder and the input."""


def text_finder(find: Callable[[str], list[_Match]]) -> Callable[[Any], list[_Match]]:
    """The finders' contract in one place: no matches for anything but a
    non-empty string; a DataFileError passes through; any other exception inside
    the finder is a bug and propagates as
    ``NormalizerError`` naming the finder (``pipeline.normalize.money.find_money``)
    and the start of the input."""
    name = f"{find.__module__}.{find.__qualname__}"

    @wraps(find)
    def checked_find(text: Any) -> list[_Match]:
        if not isinstance(text, str) or not text:
            return []
        try:
            return find(text)
        except (NormalizerError, DataFileError, MemoryError):
            raise
        except Exception as exc:
            raise NormalizerError(f"{name} failed: {type(exc).__name__}: {exc} (input {text[:60]!r})") from exc
    return checked_find


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
    t = s.strip()
    if not t or len(t) > 1000:
        return None
    try:
        matches = scan_numbers(t)
    except (NormalizerError, DataFileError, MemoryError):
        raise
    except Exception as exc:
        raise NormalizerError(f"{__name__}.parse_number failed: {type(exc).__name__}: {exc} (input {t[:60]!r})") from exc
    if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(t):
        return matches[0].value
    return None


def parse_single(find, s) -> Any:
    """The one match of ``find`` that spans all of ``s`` (trimmed, trailing
    punctuation ignored), else None. ``find`` is a ``text_finder``: a bug in it
    raises NormalizerError."""
    if not isinstance(s, str):
        return None
    t = s.strip().rstrip(".,;:")
    if not t or len(t) > 1000:
        return None
    found = find(t)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(t):
        return found[0]
    return None
