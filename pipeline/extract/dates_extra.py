"""Date forms the dates normalizer does not cover yet, found on the extract side.

- slug dates of registers and forms: "6-DEC-2007", "06 Dec 2007", "6/DEC/2007";
- a month and year with a footnote marker glued on by PDF extraction:
  "began in December 2007.1 The characteristics ..." (year 2007, month 12).

Month names come from pipeline/data/months.csv (Unicode CLDR English names).
Pure functions: never raise on arbitrary input.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Optional

from .vocab import read_rows


@dataclass
class ExtraDate:
    start: int
    end: int
    text: str
    year: int
    month: Optional[int] = None
    kind: str = "date"


@functools.lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    out: dict[str, int] = {}
    for row in read_rows("months.csv"):
        try:
            out[row["name"].casefold()] = int(row["month"])
        except (KeyError, ValueError):
            continue
    return out


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    names = "|".join(re.escape(n) for n in sorted(_months(), key=len, reverse=True)) or "(?!)"
    year = r"(?:19|20)\d\d"
    slug = re.compile(rf"(?<![\w-])(?:0?[1-9]|[12]\d|3[01])([-/ ])(?P<mon>{names})\.?\1(?P<year>{year})(?![\w-])",
                      re.IGNORECASE)
    # Month name (capitalized) + year + ".<footnote digits>" before a new sentence or the end.
    footnote = re.compile(rf"(?<![\w-])(?P<mon>[A-Z][a-z]+)\s+(?P<year>{year})(?=\.\d{{1,2}}(?:\s+[A-Z\"“]|\s*$))")
    return slug, footnote


def find_extra_dates(text: str) -> list[ExtraDate]:
    try:
        return _find(text)
    except Exception:  # a pure helper: never raise
        return []


def _find(text: str) -> list[ExtraDate]:
    if not isinstance(text, str) or not text:
        return []
    months = _months()
    slug, footnote = _patterns()
    out: list[ExtraDate] = []
    for m in slug.finditer(text):
        month = months.get(m.group("mon").casefold())
        out.append(ExtraDate(m.start(), m.end(), m.group(0), int(m.group("year")), month))
    for m in footnote.finditer(text):
        month = months.get(m.group("mon").casefold())
        if month is None or len(m.group("mon")) < 3:
            continue
        out.append(ExtraDate(m.start(), m.end(), m.group(0), int(m.group("year")), month, "month"))
    return out
