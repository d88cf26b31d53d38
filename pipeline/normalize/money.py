"""Monetary amounts in text: number + scale + currency, with qualifiers and
ranges ("almost two billion U.S. dollars", "EUR 1 107 million", "Rs. 3 to 10
crore", "$5-10 million").

Decisions (see also pipeline/data/currencies.csv):
- a bare "$" and a bare "dollar(s)" mean USD: the papers this project reads
  use "$" for US dollars unless they say otherwise ("A$", "C$", "HK$"...).
- value is in whole currency units (120 million euros -> 1.2e8); cents and
  pence are scaled to dollars and pounds.
- the qualifier is part of the span ("almost two billion U.S. dollars"), and
  so is "between" of a range; a range's value is its upper end.
- a number alone is never money: it needs a currency marker next to it.
- an upper-case ISO code BEFORE a number is trusted for every code ("AOA 5
  million"); AFTER a number only for the widely used codes marked ``common``
  in currencies.csv, and never after a spelled-out number without a scale
  ("the two AOA sensors" is an acronym).
- unit labels of table headers are no amounts: "($000)", "(EUR 000)".
- "from $4.1 trillion to $5.6 trillion" is a change (two amounts); "from 20
  to 45 cents" is a range.
Pure functions.

Modules: ``currencies`` (markers, local currencies, formats), ``qualifiers``
(qualifier and range wording), ``money`` (attaching numbers to markers, ranges, the finders).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from ..data_access import read_csv
from .currencies import Found, currency_formats, find_currency_markers, lookup_marker
from .digits import ScanMatch, exact, exact_product, lookup_scale
from .number_phrases import scan_numbers
from .numbers import parse_single, text_finder
from .qualifiers import (
    FROM_ALLOCATION_RE,
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


@dataclass
class MoneyMatch:
    start: int
    end: int
    text: str
    value: float
    currency: str
    low: Optional[float] = None
    high: Optional[float] = None
    approx: str = ""
    unit: str = ""
    # why the value may be read otherwise ("separator: ..."); empty when sure
    flags: str = ""



_ZEROS_RE = re.compile(r"0{2,}\Z")
# a number that is part of a digit fraction or a date ("3/4", "5/17/2018")
_FRACTION_BEFORE_RE = re.compile(r"\d\s?/\s?\Z")
_FRACTION_AFTER_RE = re.compile(r"\s?/\s?\d")


@lru_cache(maxsize=None)
def _base_year_re() -> re.Pattern[str]:
    """ "in 1990 dollars", "chain-weighted 2005 dollars": a price base year, not
    an amount. The cue words are the "price_base" rows of date_cues.csv."""
    cues = [(row.get("cue") or "").strip().lower() for row in read_csv("date_cues.csv")
            if (row.get("role") or "").strip() == "price_base"]
    cues = [c for c in cues if c] or ["in", "constant", "real", "nominal", "current"]
    alts = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(cues, key=len, reverse=True))
    return re.compile(r"(?i)(?<![^\W\d_])(?:" + alts + r")\s+\Z")
_PERCENT_AFTER_RE = re.compile(r"(?i)\s?(?:%|percent|per\s?cent|pct)")


@dataclass
class _Quantity:
    num: ScanMatch
    start: int
    end: int
    value: float
    currency: str = ""
    unit: str = ""
    has_scale: bool = False
    prefix: bool = False
    flags: str = ""


def _gap_ok(gap: str, allow_hyphen: bool) -> bool:
    if len(gap) > 2:
        return False
    g = gap.strip()
    return g == "" or (allow_hyphen and g == "-" and len(gap) == 1)


_GROUPED_RE = re.compile(r"\d[, \u00a0\u2009\u202f]\d{3}")
# An amount written the way money is: grouped digits or cents ("1,500",
# "2 310", "12.50", "7,25").
_MONEY_SHAPED_RE = re.compile(r"\d[,.'\u2019 \u00a0\u2009\u202f]\d{3}|\d[.,]\d{2}\Z")
# The clause ends at punctuation or the end of the text ("5 GEL.").
_PUNCT_END = r"\s*(?:[.,;:!?)\]]|\Z)"
_PUNCT_END_RE = re.compile(_PUNCT_END)
# After an amount and its code: the phrase ends ("5 GEL.", "17 RON per unit"),
# so the code is not a noun modifier ("20 AMD processors").
_PHRASE_END_RE = re.compile(
    _PUNCT_END + r"|\s+(?:per|each|in|for|and|or|to|a|an|of|from|by|on|at|as|was|were|is|are|will|"
    r"would|has|had|have|which|that|with|more|less|only)\b")


def _money_shaped(n: ScanMatch) -> bool:
    return n.has_scale or _MONEY_SHAPED_RE.search(n.text) is not None


def _code_ok(text: str, n: ScanMatch, marker: Found, after: bool) -> bool:
    """An ISO code next to a number. Widely used codes (``common``) stand before
    or after any digit amount. Every other code stands before any amount
    ("AOA 5 million") and after a digit amount when the amount looks like money
    or the phrase ends there ("17 RON.", not "two AOA sensors", "20 AMD chips").
    Codes that are English words (strict: ALL, TOP, AMD) need a money-shaped
    amount on either side ("TOP 1,500", not "TOP 10"), or after the amount at
    the end of the clause ("5 GEL."); so do withdrawn currencies' codes."""
    info = marker.info
    # MONEY-CODE-GLUED-NAME: a code glued to a bare whole number ("COP21", "COP28") is a name
    # (a conference, a model), not an amount; "EUR5bn" and "USD5.2m" stay amounts
    if not after and marker.end == n.start and n.plain_int and not _money_shaped(n):
        return False
    if info.strict:
        return n.is_digits and (_money_shaped(n) or (after and _PUNCT_END_RE.match(text, marker.end) is not None))
    if not after:
        return True
    if info.common:
        return n.is_digits or n.has_scale or info.multiplier != 1
    return n.is_digits and (_money_shaped(n) or _PHRASE_END_RE.match(text, marker.end) is not None)


@lru_cache(maxsize=None)
def _homonyms() -> frozenset[str]:
    return frozenset((row.get("marker") or "").strip().lower() for row in read_csv("unit_homonyms.csv"))


_MONEY_NOUN_AFTER_RE = re.compile(r"(?i)\s+(?:notes?|coins?|bills?|fines?|fees?|banknotes?)\b")
_OF_AFTER_RE = re.compile(r"(?i)\s+of\s+[^\W\d_]")


def _weight_not_money(text: str, n: ScanMatch, marker: Found) -> bool:
    """A currency word that is also a weight (unit_homonyms.csv) read as the weight."""
    if marker.info.marker.lower() not in _homonyms():
        return False
    if text[n.end:marker.start] == "-":
        return _MONEY_NOUN_AFTER_RE.match(text, marker.end) is None
    return not n.has_scale and _OF_AFTER_RE.match(text, marker.end) is not None


def _convention(n: ScanMatch, iso: str) -> tuple[float, str]:
    """The value of ``n`` for currency ``iso`` when its separator is ambiguous by
    shape alone ("48.700", "2,500"): the currency's own convention (CLDR, issuing
    country) decides; where that convention is mixed or unknown, or goes against
    the English reading, the value carries a flag instead of a silent guess."""
    if not n.shape:
        return n.value, ""
    decimal, group = currency_formats().get(iso, ("", ""))
    head = n.text.split()[0]          # the digits, without a scale word
    if n.shape == "dot3":
        if not n.has_scale:
            # three decimals are not how money is written: a thousands group
            # where the currency groups with "." or is written both ways
            if group == "." or decimal in (",", "mixed"):
                grouped = exact_product(n.value, 1000)
                flag = "" if group == "." else f"separator: '{head}' read as thousands; could be a decimal point"
                return grouped, flag
            return n.value, f"separator: '{head}' read as a decimal point; could be thousands"
        if group == ".":
            return n.value, f"separator: '{head}' read as a decimal point; could be thousands"
        return n.value, ""
    # comma3: "2,500" is 2500 in English; with a scale word and a currency
    # written with decimal commas it may be 2.5 billion
    if n.has_scale and decimal in (",", "mixed"):
        return n.value, f"separator: '{head}' read as thousands; could be a decimal comma"
    return n.value, ""


def _letter_amount(marker: Found, n: ScanMatch) -> bool:
    """A one-letter currency ("R", "N") only glued to a digit number that has a
    scale word or thousands separators: "R2.5 billion", "N50,000"."""
    return (marker.end == n.start and n.is_digits
            and (n.has_scale or _GROUPED_RE.search(n.text) is not None))


# MONEY-GLYPH-SOUTH-ASIAN-SCALE: a font's stand-in for a currency sign (the grave accent that
# Indian government PDFs set in a rupee font: "` 5 lakh crore") is that currency only before an
# amount scaled in lakh or crore, which no other use of the character precedes
_SOUTH_ASIAN_SCALE_RE = re.compile(r"(?i)\b(?:lakhs?|lacs?|crores?)\b")


def _glyph_amount(n: ScanMatch) -> bool:
    return n.is_digits and _SOUTH_ASIAN_SCALE_RE.search(n.text) is not None


# NUM-ACCOUNTING-NEGATIVE: "the sum of $(9,500,000) is reduced": accounting notation writes a
# negative amount in parentheses after its symbol; the value is the amount's size, flagged
_ACCOUNTING_FLAG = "sign: $(X) is accounting notation for a negative amount; the value is its size"


def _accounting_negative(text: str, marker: Found, n: ScanMatch) -> bool:
    """Whether the number ``n`` stands in parentheses right after the symbol ``marker``: "$(1,250)"."""
    return marker.info.kind == "symbol" and n.start == marker.end + 1 and text[marker.end] == "(" \
        and text[n.end:n.end + 1] == ")"


def _attach(text: str, nums: list[ScanMatch], markers: list[Found]) -> list[_Quantity]:
    """Attach each number to an adjacent currency marker (each marker used once)."""
    by_end = {m.end: m for m in markers}
    by_start = {m.start: m for m in markers}
    # markers end/start may be separated from numbers by up to 2 spaces
    def prefix_of(n: ScanMatch) -> Optional[Found]:
        for k in range(0, 3):
            mk = by_end.get(n.start - k)
            if mk is not None and _gap_ok(text[mk.end:n.start], False):
                return mk
        mk = by_end.get(n.start - 1)
        if mk is not None and _accounting_negative(text, mk, n):
            return mk
        return None

    def suffix_of(n: ScanMatch) -> Optional[Found]:
        for k in range(0, 3):
            mk = by_start.get(n.end + k)
            if mk is not None and _gap_ok(text[n.end:mk.start], True):
                return mk
        return None

    used: set[int] = set()
    out: list[_Quantity] = []
    for idx, n in enumerate(nums):
        if _PERCENT_AFTER_RE.match(text, n.end):
            out.append(_Quantity(n, n.start, n.end, n.value, has_scale=n.has_scale))
            continue
        q = _Quantity(n, n.start, n.end, n.value, has_scale=n.has_scale)
        if _ZEROS_RE.match(n.text) or _FRACTION_BEFORE_RE.search(text, max(0, n.start - 3), n.start) \
                or _FRACTION_AFTER_RE.match(text, n.end):
            out.append(q)                    # "($000)", "(EUR 000)": a unit label; "3/4"
            continue
        pre = prefix_of(n)
        if pre is not None and (id(pre) in used or pre.info.position == "suffix"):
            pre = None
        if pre is not None and pre.info.kind == "word" and not n.has_scale and not (
                n.is_digits and " " in pre.info.marker.strip()):
            pre = None                       # "dollar 22.5 million", "Malaysian ringgit 30"; not "dollar 5"
        if pre is not None and pre.info.kind == "code" and not _code_ok(text, n, pre, False):
            pre = None
        if pre is not None and pre.info.kind == "letter" and not _letter_amount(pre, n):
            pre = None                       # "R2.5 billion" is rand, "R2 value" is not
        if pre is not None and pre.info.kind == "glyph" and not _glyph_amount(n):
            pre = None                       # "` 5 crore" is rupees, "`5`" a code span
        suf = suffix_of(n)
        if suf is not None and (id(suf) in used or suf.info.position == "prefix"):
            suf = None
        if suf is not None and pre is None and suf.info.kind == "symbol" and n.plain_int \
                and 1900 <= n.value <= 2099:
            suf = None                       # "2024 $ million" heads a table column: a year and a unit
        if suf is not None and suf.info.kind == "word" and _weight_not_money(text, n, suf):
            suf = None                       # "a fifty-pound sack", "0.5 pounds of flour"
        if suf is not None and suf.info.kind == "code" and not _code_ok(text, n, suf, True):
            suf = None                       # "two AOA sensors": an acronym, not a currency
        if suf is not None and idx + 1 < len(nums):
            nxt = nums[idx + 1]
            gap_next = nxt.start - suf.end
            gap_here = suf.start - n.end
            if 0 <= gap_next <= 2 and not text[suf.end:nxt.start].strip() and suf.info.position != "suffix":
                if gap_next < gap_here or (gap_next == gap_here and pre is not None):
                    suf = None               # "rmb 10 usd 20": usd belongs to 20
        if n.glued_before and pre is None:
            out.append(q)
            continue
        if n.glued_after and (suf is None or suf.start != n.end):
            out.append(q)                    # "180ml"
            continue
        chosen: list[Found] = []
        if pre is not None:
            chosen.append(pre)
        if suf is not None and (pre is None or (suf.info.iso == pre.info.iso and suf.info.kind == "word")):
            chosen.append(suf)
        if not chosen:
            out.append(q)
            continue
        main = chosen[0]
        if (n.plain_int and 1900 <= n.value <= 2099 and pre is None and main.info.kind == "word"
                and _base_year_re().search(text[max(0, n.start - 30):n.start])):
            out.append(q)
            continue
        for mk in chosen:
            used.add(id(mk))
        q.currency = main.info.iso
        q.unit = text[main.start:main.end]
        q.prefix = pre is not None
        value, q.flags = _convention(n, main.info.iso)
        q.value = exact_product(value, main.info.multiplier)
        q.start = min(n.start, chosen[0].start)
        q.end = max(n.end, chosen[-1].end)
        if pre is not None and _accounting_negative(text, pre, n):
            q.end = n.end + 1
            q.flags = "; ".join(f for f in (q.flags, _ACCOUNTING_FLAG) if f)
        # "75 USD million": a scale word after a suffix code
        if suf is not None and suf in chosen and not n.has_scale:
            m = re.match(r"\s+([^\W\d_]+)", text[q.end:q.end + 20])
            if m:
                sw = lookup_scale(m.group(1), False, True)
                if sw is not None and sw.kind == "word":
                    q.value = exact_product(q.value, sw.multiplier)
                    q.end += m.end()
                    q.has_scale = True
        # "$45,210 M", "€ 3 bn": a scale abbreviation after a space, right after
        # an amount whose currency stands before it
        if pre is not None and suf is None and not n.has_scale and q.end == n.end:
            m = _SPACED_SCALE_RE.match(text, q.end)
            if m:
                sw = lookup_scale(m.group(1), True, True)
                if sw is not None and sw.kind == "abbr":
                    q.value = exact_product(q.value, sw.multiplier)
                    q.end = m.end(1)
                    q.has_scale = True
        out.append(q)
    return out


_SUBUNIT_GAP_RE = re.compile(r"(?i)\s+(?:and\s+)?")
_SPACED_SCALE_RE = re.compile(r" ([A-Za-z]{1,2})(?![^\W\d_])")
# "15 dollars 50.", "17 USD and 25": a bare number under 100 that closes the
# phrase after a whole amount counts the sub-unit
_CENT_SIGNS = ("c",)                 # "$35 and 12c"
_SUBUNIT_END_RE = re.compile(_PUNCT_END + r"|\s+more\b")


def _merge_subunits(text: str, qs: list[_Quantity]) -> list[_Quantity]:
    """ "3 dollars 50 cents", "thirteen dollars and forty-five cents": one amount
    in the main unit's currency."""
    out: list[_Quantity] = []
    for q in qs:
        prev = out[-1] if out else None
        if (prev is not None and prev.currency and not prev.has_scale
                and _SUBUNIT_GAP_RE.fullmatch(text, prev.end, q.start) and not q.prefix):
            main = lookup_marker(prev.unit)
            sub = lookup_marker(q.unit) if q.currency else None
            if main is not None and main.multiplier == 1 and (
                    (sub is not None and sub.multiplier < 1)
                    or (not q.currency and not q.has_scale and q.num.plain_int and 0 < q.value < 100
                        and prev.value == int(prev.value)
                        and q.num.glued_after in (("",) if not prev.prefix else ()) + _CENT_SIGNS
                        and _SUBUNIT_END_RE.match(text, q.end + len(q.num.glued_after)))):
                prev.value = float(exact(prev.value) + (
                    exact(q.value) if sub is not None else Decimal(int(q.value)) / 100))
                prev.end = q.end + len(q.num.glued_after)
                continue
        out.append(q)
    return out


# "grants ranging from $5 million to 10 million": a span of values, not a change
_RANGING_FROM_RE = re.compile(r"(?i)\b(?:" + RANGING_VERBS + r")\s+from\s+\Z")


def _marker_multiplier(unit: str) -> float:
    """The scale a suffix marker carries ("MUSD" 1e6), 1 for none."""
    marker = lookup_marker(unit) if unit else None
    return marker.multiplier if marker is not None else 1.0


def _merge_ranges(text: str, qs: list[_Quantity]) -> list[tuple[_Quantity, Optional[_Quantity]]]:
    """Pair a quantity with the next one when they form a range."""
    out: list[tuple[_Quantity, Optional[_Quantity]]] = []
    i = 0
    while i < len(qs):
        a = qs[i]
        if i + 1 < len(qs):
            b = qs[i + 1]
            between = text[a.end:b.start]
            conn = RANGE_CONNECTOR_RE.match(between)
            lead = RANGE_LEAD_RE.search(text[max(0, a.start - 10):a.start])
            is_and = conn is not None and "and" in between.lower()
            # "from $4.1 trillion to $5.6 trillion" is a change (two amounts);
            # "from 20 to 45 cents" is a range
            is_from = bool(a.currency) and ((lead is not None and lead.group().strip().lower() == "from")
                                            or bool(FROM_ALLOCATION_RE.search(text[max(0, a.start - 50):a.start]))) \
                and not _RANGING_FROM_RE.search(text, max(0, a.start - 25), a.start)
            # "or 6—$75,000": the "$" belongs to the second number only
            lone_prefix = not a.currency and b.prefix
            same_cur = not a.currency or not b.currency or a.currency == b.currency
            # "between 5 euros and 9 euros": both written out, still one range
            is_between = lead is not None and lead.group().strip().lower() == "between"
            if is_from and conn and "to" in between.lower() and not b.currency and a.has_scale == b.has_scale \
                    and _marker_multiplier(a.unit) == 1:
                # MONEY-CHANGE-SHARED-CURRENCY: "from $5 million to 10 million": the change's end is in
                # the start's currency (flagged), so the link stage sees both amounts of the change
                qs[i + 1] = replace(b, currency=a.currency, unit=a.unit,
                                    flags="; ".join(f for f in (b.flags, "currency: the change's start's") if f))
                out.append((a, None))
                i += 1
                continue
            if band_of(text, a.start, a.end, b.start) is not None and same_cur and (a.currency or b.currency):
                out.append((a, b))
                i += 2
                continue
            if (conn and (a.currency or b.currency) and same_cur and not is_from and not lone_prefix
                    and (not is_and or lead is not None)
                    and not (a.currency and b.currency and not a.prefix and not is_between)):
                out.append((a, b))
                i += 2
                continue
        out.append((a, None))
        i += 1
    return out


def _join_decimal_commas(text: str, nums: list[ScanMatch], markers: list[Found]) -> list[ScanMatch]:
    """ "EUR 2019,50" / "2019,50 EUR": a four-digit whole part that looks like a
    year is kept apart from ",50" by the number scanner ("in 2019,20 firms" is
    a list); next to a currency marker it is one amount with decimal cents."""
    starts = {m.start for m in markers}
    ends = {m.end for m in markers}
    out: list[ScanMatch] = []
    i = 0
    while i < len(nums):
        a = nums[i]
        b = nums[i + 1] if i + 1 < len(nums) else None
        if (b is not None and a.plain_int and len(a.text) == 4 and b.plain_int and len(b.text) <= 2
                and b.start == a.end + 1 and text[a.end] == ","
                and (any(e in ends for e in range(a.start - 2, a.start + 1))
                     or any(st in starts for st in range(b.end, b.end + 3)))):
            value = float(Decimal(a.text) + Decimal(b.text) / (10 ** len(b.text)))
            out.append(ScanMatch(a.start, b.end, text[a.start:b.end], value, glued_before=a.glued_before,
                                 glued_after=b.glued_after))
            i += 2
            continue
        out.append(a)
        i += 1
    return out


# MONEY-RANGE-SHARED-THOUSANDS: "earning $46-70,000", "$5-10,000 a berth": a bare lower end of one
# to three digits before an upper end written in thousands shares its thousands (46,000 to 70,000);
# not when that would pass the upper end ("$80-72,000" stays as written and is no range)
_BARE_SMALL = re.compile(r"\D*\d{1,3}\D*")
_GROUPS = re.compile(r"(?<=\d),\d{3}(?!\d)")


def _shared_thousands(text: str, a: _Quantity, b: _Quantity, low: float) -> float:
    if not _BARE_SMALL.fullmatch(text[a.start:a.end]) or "." in text[a.start:a.end]:
        return low
    groups = len(_GROUPS.findall(text[b.start:b.end]))
    if groups == 0 or not text[a.end:b.start].strip() in ("-", "–", "—"):
        return low
    scaled = exact_product(low, 1000.0 ** groups)
    return scaled if scaled <= b.value else low


@text_finder
def find_money(text: str) -> list[MoneyMatch]:
    markers = find_currency_markers(text)
    if not markers:
        return []
    nums = _join_decimal_commas(text, scan_numbers(text, money=True), markers)
    qs = _merge_subunits(text, _attach(text, nums, markers))
    out: list[MoneyMatch] = []
    for a, b in _merge_ranges(text, qs):
        if b is None:
            if not a.currency or not math.isfinite(a.value):
                continue
            start, approx = qualifier_before(text, a.start)
            end = a.end
            if not approx:
                end, approx = qualifier_after(text, a.end)
            approx = approx or bound_subject_before(text, start) or bound_whichever_after(text, end)
            out.append(MoneyMatch(start, end, text[start:end], a.value, a.currency,
                                  approx=approx, unit=a.unit, flags=a.flags))
            continue
        currency = b.currency or a.currency
        unit = b.unit or a.unit
        band = band_of(text, a.start, a.end, b.start)
        low, high = a.value, b.value
        # "$5-10 million", "Rs. 3 to 10 crore": the upper end's scale applies to both
        if not a.has_scale and b.has_scale and b.num.scale_value > 1:
            low = exact_product(low, b.num.scale_value)
        elif not a.has_scale and not b.has_scale:
            low = _shared_thousands(text, a, b, low)
        # the currency multiplier of a suffix marker ("5 to 10 MUSD")
        if not a.currency and b.currency and b.unit:
            from_marker = lookup_marker(b.unit)
            if from_marker is not None:
                low = exact_product(low, from_marker.multiplier)
        if band is not None and band.descending:
            low, high = high, low     # QUAL-BAND-RANGE-DESC: "less than $90,000, but more than $15,000"
        if not (math.isfinite(low) and math.isfinite(high)) or low > high:
            # not a range after all: keep the parts that carry a currency
            for q in (a, b):
                if q.currency:
                    start, approx = qualifier_before(text, q.start)
                    out.append(MoneyMatch(start, q.end, text[start:q.end], q.value, q.currency,
                                          approx=approx, unit=q.unit, flags=q.flags))
            continue
        start = a.start
        lead = RANGE_LEAD_RE.search(text[max(0, start - 10):start])
        if band is not None:
            # the band's own bound words ("above $2 500 000 but not exceeding $8 000 000") are its
            # ends, no approx
            qstart, approx = band.start, ""
        else:
            if lead is not None:
                start = max(0, start - 10) + lead.start()
            qstart, approx = range_qualifier_before(text, start)
        out.append(MoneyMatch(qstart, b.end, text[qstart:b.end], high, currency,
                              low=low, high=high, approx=approx, unit=unit,
                              flags="; ".join(f for f in (a.flags, b.flags) if f)))
    return out


def parse_money(s: str) -> Optional[MoneyMatch]:
    """The amount when ``s`` (trimmed, trailing punctuation ignored) is one money phrase."""
    return parse_single(find_money, s)
