"""Percentages in text: "12%", "45.3 %", "5 per cent", ranges ("8% to 10%",
"8-10%", "between 8 and 10 percent"), changes ("from 35% to 25%", "rose from
10 to 12 percent"), qualifiers ("more than 50%") and fractions in words that
state a rate of a quantity ("up to one-third of the capital costs").

Decisions:
- percentage points are PERCENT matches with ``points=True``; value is the
  number of points.
- qualifiers (and "between"/"from" of a range or change) are part of the span.
- a range's value is its upper end; a change's value is its final value and
  ``from_value`` its starting value.
- a fraction in words is a percent only when "of" + a word follows it
  ("half of the project cost"), never "half of 2016" or "the second half of".
Pure functions (see ``numbers.text_finder`` for the contract).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..data_access import read_csv
from .digits import ScanMatch, number_words, scale_words
from .number_phrases import scan_numbers
from .numbers import parse_single, text_finder
from .qualifiers import (
    RANGE_CONNECTOR_RE,
    RANGE_LEAD_RE,
    RANGING_VERBS,
    band_of,
    bound_subject_before,
    bound_whichever_after,
    qualifier_after,
    qualifier_before,
    range_qualifier_before,
)

# "from a fleet share of around 12% to 30%": a change whose start is named before its value
_FROM_NAMED_RE = re.compile(r"(?i)\bfrom\s+(?:an?|the|its|their)\s+(?:[\w-]+\s+){0,3}?of\s+"
                            r"(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?\Z")
_RANGING_VERB_RE = re.compile(r"(?i)\b(?:" + RANGING_VERBS + r"|spans?|spanning)\s+\Z")

# the unit right after a number; "percentage points" before "percentage"
# (basis points are a unit of their own: 25 basis points = 0.25 percentage points)
_UNIT_RE = re.compile(
    r"(?i)(?:\s?|[ -])(?:(?P<points>percentage[ -]points?|pp\b|p\.p\.|%[ -]points?)"
    r"|(?P<basis>basis[ -]points?\b|(?-i:bps?)\b)"
    r"|(?P<pct>%|\uff05|percents?\b|percentages?\b|per\s?cent(?:s|age)?\b|pct\b\.?))"
)
_PCT_OF_RE = re.compile(r"(?i)(?<![^\W\d_])(?:percents?|per\s?cent)\s+of\s+\Z")
# "of" + the quantity; "of" closing the text ("one quarter of") is a bare
# share phrase as a form field or a list item writes it
_FRACTION_OF_RE = re.compile(r"(?i)\s+of(?:\s+(?P<word>[^\W\d_]+)|\s*\Z)")
_HALF_THE_RE = re.compile(r"(?i)\s+(?P<word>the|its|their|his|her|your|our)\s")
_DIGIT_FRACTION_RE = re.compile(r"(?<![\d/.,])(?P<num>\d{1,2})\s?/\s?(?P<den>\d{1,2})(?![\d/]|[.,]\d)")
_NOT_FRACTION_BEFORE_RE = re.compile(r"(?i)(?<![^\W\d_])(?:the|first|second|last|latter|former|other|each)\s+\Z")


@lru_cache(maxsize=None)
def _slug_label_re() -> re.Pattern[str]:
    """Print-control labels of typesetting slugs ("Leadpct: 0%"): the value after
    one is no quantity. The labels are the "slug_label" rows of date_cues.csv."""
    cues = [(row.get("cue") or "").strip().lower() for row in read_csv("date_cues.csv")
            if (row.get("role") or "").strip() == "slug_label"]
    cues = [c for c in cues if c]
    if not cues:
        return re.compile(r"(?!x)x")
    alts = "|".join(re.escape(c).replace(r"\ ", r"\s*") for c in sorted(cues, key=len, reverse=True))
    return re.compile(r"(?i)(?<![^\W\d_])(?:" + alts + r")\s*\Z")


@dataclass
class PercentMatch:
    start: int
    end: int
    text: str
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    from_value: Optional[float] = None
    approx: str = ""
    points: bool = False
    basis: bool = False          # basis points: value is the number of basis points


@dataclass
class _Pct:
    start: int          # of the number
    end: int            # after the unit (or the number when the unit comes later)
    value: float
    has_unit: bool
    points: bool
    year_like: bool = False      # a bare 1900-2099 integer: "from 2015 to 12%" is no change
    basis: bool = False


def _unit_after(text: str, n: ScanMatch) -> Optional[re.Match[str]]:
    if n.glued_after and not text[n.end:n.end + 1].isalpha():
        return None
    m = _UNIT_RE.match(text, n.end)
    if m is None:
        return None
    after = text[m.end():m.end() + 1]
    if m.group("pct") in ("%", "\uff05") and after.isalnum():
        return None                  # "%28" in a URL
    return m


def _is_word_fraction(n: ScanMatch) -> bool:
    if n.is_digits or not (0 < n.value <= 1) or n.has_scale:
        return False
    words = re.findall(r"[^\W\d_]+", n.text.lower())
    table = number_words()
    return any(table.get(w, (0, ""))[1] == "denominator" for w in words)


@text_finder
def find_percent(text: str) -> list[PercentMatch]:
    nums = scan_numbers(text)
    items: list[_Pct | None] = []
    for n in nums:
        if n.start > 0 and text[n.start - 1] in "%=&?":
            items.append(None)       # inside a URL or query string
            continue
        if _slug_label_re().search(text, max(0, n.start - 16), n.start):
            items.append(None)       # "Leadpct: 0%": a typesetting control value
            continue
        m = _unit_after(text, n)
        if m is not None and n.plain_int and 1900 <= n.value <= 2099 and m.group("pct") \
                and m.group("pct").lower().startswith("percentage"):
            items.append(None)       # "a 2015 percentage pay rise": a year, not 2015%
            continue
        if m is not None:
            items.append(_Pct(n.start, m.end(), n.value, True, m.group("points") is not None,
                              basis=m.group("basis") is not None))
            continue
        pof = _PCT_OF_RE.search(text[max(0, n.start - 20):n.start])
        if pof is not None:
            start = max(0, n.start - 20) + pof.start()
            items.append(_Pct(start, n.end, n.value, True, False))
            continue
        items.append(_Pct(n.start, n.end, n.value, False, False,
                          n.plain_int and 1900 <= n.value <= 2099))
    out: list[PercentMatch] = []
    i = 0
    while i < len(items):  # noqa: C901 (one pass pairs ranges and changes)
        a = items[i]
        if a is None:
            i += 1
            continue
        b = items[i + 1] if i + 1 < len(items) else None
        band = band_of(text, a.start, a.end, b.start) if b is not None and b.has_unit else None
        low, high = (b, a) if band is not None and band.descending else (a, b)
        if b is not None and band is not None and low.value <= high.value:
            # QUAL-BAND-RANGE: "exceeding 5% but not exceeding 10%" is one band, its ends no approx
            out.append(PercentMatch(band.start, b.end, text[band.start:b.end], high.value, low=low.value,
                                    high=high.value, points=b.points, basis=b.basis))
            i += 2
            continue
        if b is not None and b.has_unit and RANGE_CONNECTOR_RE.match(text[a.end:b.start]):
            lead = RANGE_LEAD_RE.search(text[max(0, a.start - 10):a.start])
            lead_word = lead.group().strip().lower() if lead else ""
            is_and = "and" in text[a.end:b.start].lower()
            is_to = "to" in text[a.end:b.start].lower()
            if (not is_and or lead_word == "between") and (a.has_unit or not a.year_like):
                start = max(0, a.start - 10) + lead.start() if lead else a.start
                qstart, approx = range_qualifier_before(text, start)
                span = text[qstart:b.end]
                ranging = lead is not None and _RANGING_VERB_RE.search(text[max(0, a.start - 40):start])
                if (lead_word == "from" or (not lead_word and _FROM_NAMED_RE.search(text[max(0, a.start - 60):start]))) \
                        and is_to and not ranging:
                    out.append(PercentMatch(qstart, b.end, span, b.value, from_value=a.value,
                                            approx=approx, points=b.points, basis=b.basis))
                    i += 2
                    continue
                if a.value <= b.value:
                    out.append(PercentMatch(qstart, b.end, span, b.value, low=a.value, high=b.value,
                                            approx=approx, points=b.points, basis=b.basis))
                    i += 2
                    continue
        if a.has_unit:
            qstart, approx = qualifier_before(text, a.start)
            end = a.end
            if not approx:
                end, approx = qualifier_after(text, a.end)   # "50% or more"
            approx = approx or bound_subject_before(text, qstart) or bound_whichever_after(text, end)
            out.append(PercentMatch(qstart, end, text[qstart:end], a.value, approx=approx,
                                    points=a.points, basis=a.basis))
        i += 1
    out.extend(_fractions(text, nums))
    out.extend(_ratios(text, nums))
    out.sort(key=lambda p: p.start)
    return _drop_overlaps(out)


@lru_cache(maxsize=None)
def _rate_bases() -> frozenset[str]:
    words = frozenset((row.get("word") or "").strip().lower() for row in read_csv("rate_bases.csv"))
    if not words - {""}:
        raise ValueError("pipeline/data/rate_bases.csv: no words")
    return words


_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


_OF_BASE_RE = re.compile(r"\s+of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?")


def rate_base_end(text: str, end: int) -> int:
    """Where the base of the rate that ends at ``end`` ends ("20% of fixed capital investment
    or ...": after "investment"), or ``end`` when no "of" + a rate base (rate_bases.csv, within
    four words) follows."""
    m = _OF_BASE_RE.match(text, end)
    if m is None:
        return end
    found = end
    for w in _WORD_RE.finditer(text, m.end(), min(len(text), m.end() + 80)):
        is_base = w.group(0).lower() in _rate_bases() or w.group(0).lower().split("-")[-1] in _rate_bases()
        if found > end:                  # "capital investment", "project costs": the base runs on,
            if w.group(0).lower() in ("of", "the"):      # also through "of the" ("value of the investment")
                continue
            gap = text[found:w.start()]
            if not is_base or (gap.strip() and not _OF_BASE_RE.fullmatch(gap)):
                break
            found = w.end()
        elif text[m.end():w.start()].count(" ") >= 4:
            break
        elif is_base:
            found = w.end()
    return found


def _rate_base_follows(text: str, start: int) -> bool:
    """A quantity a policy sets (rate_bases.csv) among the first four words
    after "of": "one-third of the capital costs", "half of its total budget"."""
    for w in _WORD_RE.findall(text, start, min(len(text), start + 60))[:4]:
        if w.lower() in _rate_bases() or w.lower().split("-")[-1] in _rate_bases():
            return True
    return False


def _fractions(text: str, nums: list[ScanMatch]) -> list[PercentMatch]:
    """ "one-third of the capital costs" -> 33.33; conservative on purpose."""
    out = []
    scales = scale_words()
    table = number_words()
    for n in nums:
        if not _is_word_fraction(n):
            continue
        m = _FRACTION_OF_RE.match(text, n.end)
        if m is None and n.text.lower().endswith("half"):
            m = _HALF_THE_RE.match(text, n.end)      # "more than half the cost"
        if m is None:
            continue
        word = m.group("word")
        if word is not None and (word.lower() in scales or word in scales
                                 or word.lower() in table and table[word.lower()][1] != "article"):
            continue                 # "two thirds of a million" is a number
        if word is not None and not _rate_base_follows(text, m.start("word")):
            continue                 # "three quarters of the pie": a fraction, not a policy rate
        if word is not None and word.lower() in ("a", "an") and re.match(r"\s+(?:[^\W\d_]+\s+)?(?:million|billion|thousand|hundred)\b",
                                                    text[m.end():m.end() + 30], re.I):
            continue
        if _NOT_FRACTION_BEFORE_RE.search(text[max(0, n.start - 12):n.start]):
            continue                 # "the second half of the year"
        qstart, approx = qualifier_before(text, n.start)
        value = round(n.value * 100.0, 2)
        out.append(PercentMatch(qstart, n.end, text[qstart:n.end], value, approx=approx))
    # "1/4 of the budget"
    for m in _DIGIT_FRACTION_RE.finditer(text):
        num, den = int(m.group("num")), int(m.group("den"))
        if not 0 < num < den:
            continue
        of = _FRACTION_OF_RE.match(text, m.end())
        if of is None or (of.group("word") is not None and (
                of.group("word").lower() in scales or of.group("word").lower() in table
                or not _rate_base_follows(text, of.start("word")))):
            continue
        qstart, approx = qualifier_before(text, m.start())
        out.append(PercentMatch(qstart, m.end(), text[qstart:m.end()], round(num * 100.0 / den, 2),
                                approx=approx))
    return out


_RATIO_RE = re.compile(r"(?i)\s+(?P<word>out\s+of|in)\s+")


def _ratios(text: str, nums: list[ScanMatch]) -> list[PercentMatch]:
    """ "one out of three", "one in five firms": a share stated as a ratio.
    "in" only between spelled-out numbers ("1 in 2015" is no ratio)."""
    out = []
    for a, b in zip(nums, nums[1:]):
        m = _RATIO_RE.fullmatch(text, a.end, b.start)
        if m is None or a.has_scale or b.has_scale:
            continue
        if not (0 < a.value < b.value and a.value == int(a.value) and b.value == int(b.value)):
            continue
        if m.group("word").lower() == "in" and (a.is_digits or b.is_digits):
            continue
        if b.plain_int and 1900 <= b.value <= 2099:
            continue
        qstart, approx = qualifier_before(text, a.start)
        out.append(PercentMatch(qstart, b.end, text[qstart:b.end], round(a.value * 100.0 / b.value, 2),
                                approx=approx))
    return out


def _drop_overlaps(items: list[PercentMatch]) -> list[PercentMatch]:
    out: list[PercentMatch] = []
    for p in items:
        if out and p.start < out[-1].end:
            continue
        if math.isfinite(p.value):
            out.append(p)
    return out


def parse_percent(s: str) -> Optional[PercentMatch]:
    """The percentage when ``s`` (trimmed, trailing punctuation ignored) is one percent phrase."""
    return parse_single(find_percent, s)
