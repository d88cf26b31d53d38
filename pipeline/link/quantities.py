"""Which mentions become measures: quantities, with conversions folded in, split percent
ranges joined, changes ("from 50% to 10%", "up from 16%") paired, and counts of actors
or outputs left out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from typing import Any

from ..normalize.qualifiers import FROM_ALLOCATION_RE, RANGING_VERBS
from ..records import (
    Mention,
)
from .cues import QUANTITY_TYPES
from .index import DocIndex

# A conversion of the amount before it: "(about $530 million)", "(USD 1.2 bn)".
_CONVERSION_OPEN = re.compile(
    r"^\s*[\(\[]\s*(?:(?:about|approximately|approx\.?|around|roughly|nearly|some|ca\.?|"
    r"circa|or|i\.e\.,?|equivalent\s+to|equal\s+to|equivalent\s+of|worth|US\$?\s*)\s*)*$",
    re.IGNORECASE,
)


_CONVERSION_COMMA = re.compile(
    r"^\s*,?\s*(?:or|i\.e\.,?)\s+(?:about|approximately|around|roughly|nearly|some)?\s*$", re.IGNORECASE)


# LINK-CHANGE-ARROW: "25% → 40%", "KRW 3 trillion -> KRW 5 trillion (2025)": an arrow between two
# amounts of one kind is a change from the first to the second (a plan's "now -> target" table style);
# a year in parentheses may stand before the second
_ARROW_JOIN = re.compile(r"^\s*(?:\u2192|->|\u27f6|\u21d2|\u279d)\s*(?:\(\s*(?:19|20)\d{2}\s*\)\s*)?$")
# LINK-RESTATED-IN-WORDS: an amount restated in words in parentheses right after it
# ("30 % (thirty percent)", "Rs 5 crore (Rupees five crore)") is the same quantity
_RESTATED = re.compile(r"^\s*\(\s*(?:rupees|rs\.?|dollars|euros|pounds)?\s*$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–|—|and)\s*$", re.IGNORECASE)


# "from 50% in 1988 to about 10%": a change whose start carries its year.
# "from 0.7% of GDP in 2022 to 1%": a short complement ("of GDP") and a start year may
# stand between the two ends of a change.
# LINK-CHANGE-FROM-BUDGET: also the budget or estimates the start stands in, "from $9 million in
# this year's budget to $12 million", and a start named as an allocation, "from an allocation of
# $9 million to $12 million" (FROM_ALLOCATION_RE)
_CHANGE_JOIN = re.compile(
    r"^\s*(?:of\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+)?"
    r"(?:in\s+(?:FY\s*)?\d{4}(?:\s*[-–/]\s*\d{2,4})?\s*,?\s+"
    r"|(?:in|under)\s+(?:the\s+|this\s+|last\s+|next\s+)?(?:[\w’'-]+\s+){0,3}?(?:budgets?|estimates?|allocations?|appropriations?)\s*,?\s+)?"
    r"to\s*$", re.IGNORECASE)


# "aid intensities range from 10% of eligible costs to 20%": a span of values, not a change
_RANGING_BEFORE = re.compile(r"\b(?:" + RANGING_VERBS + r")\s+from\s*$", re.IGNORECASE)


# "25% of the cost, up from 16%": the change is stated after its end value.
_CHANGE_AFTER = re.compile(r"^\s*(?:[^.;%]{0,60}?)?,\s*(?:up|down)\s+from\s*$", re.IGNORECASE)


def _count_vocab() -> Any:
    """The extract stage's count table (count_units.csv), imported on first use: the
    link stage alone does not need spaCy loaded."""
    from ..extract.vocab import count_vocab
    return count_vocab()


@functools.lru_cache(maxsize=1)
def count_qualifier_words() -> frozenset[str]:
    """The words of the count qualifiers ("about", "more than"): not part of a counted noun."""
    return frozenset(w for phrase in _count_vocab().qualifiers for w in phrase.split())


def _counts_funded_things(index: DocIndex, m: Mention) -> bool:
    """A count is a measure when it counts funded or created things ("22 awards",
    "200 universities"); a count of actors or outputs ("the 5 largest firms",
    "3.2 million jobs") only when its sentence says they are supported
    (count_units.csv: kind=population needs a support_cue)."""
    vocab = _count_vocab()
    if (m.unit or "").lower() not in vocab.population:
        return True
    lo, hi = (m.sent_start, m.sent_end) if m.sent_end > m.sent_start else (m.start - 200, m.end + 200)
    sentence = index.text[max(0, lo):min(len(index.text), hi)]
    return vocab.support_cue is not None and bool(vocab.support_cue.search(sentence))


def _near(index: DocIndex, types: tuple[str, ...], m: Mention, reach: int = 300) -> list[Mention]:
    return index.of_type_in(types, max(0, m.start - reach), m.end + reach)


def _change_pair_open(text: str, m: Mention, nxt: Mention) -> bool:
    """Two percents that may still form one change or range: neither has a start
    value, or the extract stage already gave one the other's value as its start
    ("from 24% in 2000 to 10%": 10 from 24; "25%, up from 16%": 25 from 16)."""
    between = text[m.end:nxt.start]
    lead = text[max(0, m.start - 9):m.start].lower()
    m_open = m.from_value is None or (m.from_value == nxt.value and bool(_CHANGE_AFTER.match(between)))
    nxt_open = nxt.from_value is None or (nxt.from_value == m.value and lead.rstrip().endswith("from")
                                          and bool(_CHANGE_JOIN.match(between)))
    return m_open and nxt_open


def _change(text: str, start: Mention, end: Mention) -> Mention:
    """One change from ``start``'s value to ``end``'s, spanning both."""
    return replace(end, start=start.start, text=text[start.start:end.end], from_value=start.value,
                   approx=end.approx or start.approx, sent_start=min(start.sent_start, end.sent_start),
                   sent_end=max(start.sent_end, end.sent_end))


# LINK-RATIO-BASE: "a return of £7 for every £1 invested", "one shilling in each twenty shillings",
# "$5 per $100 of value": the money after every/each/per is the ratio's base, not an amount of its own
_RATIO_BASE = re.compile(r"\b(?:every|each|per)\s+$", re.IGNORECASE)


# LINK-CHANGE-TO-FROM: "raise the dock levy to 25% from 20%", "to $5 million in 2031 from $4 million",
# "$5 million, up from $4 million", "$5 million per berth, from $8 million previously": the end
# value stated first, then its start (one measure, its from_value the second amount)
_TO_LEAD = re.compile(r"\bto\s+$", re.IGNORECASE)
_TO_FROM_JOIN = re.compile(r"^\s*(?:(?:in|by|for)\s+(?:FY\s*)?\d{4}(?:\s*[-–/]\s*\d{2,4})?\s+)?from\s*"
                           r"(?:the\s+(?:current|existing|present|previous)\s+)?$", re.IGNORECASE)
_FROM_PREVIOUSLY = re.compile(r"^\s*(?:per\s+[\w-]+(?:\s+[\w-]+)?\s*)?,\s*from\s*$", re.IGNORECASE)
_PREVIOUSLY_AFTER = re.compile(r"\s+(?:previously|before|earlier|currently|at\s+present)\b", re.IGNORECASE)


def _stated_then_start(text: str, m: Mention, nxt: Mention) -> bool:
    """``m`` is a change's end and ``nxt`` its start (LINK-CHANGE-TO-FROM)."""
    if m.type != nxt.type or m.type not in ("MONEY", "PERCENT") or m.from_value is not None \
            or nxt.from_value is not None or m.low is not None or nxt.low is not None:
        return False
    if m.type == "MONEY" and m.currency != nxt.currency:
        return False
    between = text[m.end:nxt.start]
    if _TO_FROM_JOIN.match(between):
        return bool(_TO_LEAD.search(text, max(0, m.start - 6), m.start))
    if m.type == "MONEY" and _CHANGE_AFTER.match(between):
        return True     # "$5 million, up from $4 million" (percentages: the pairing below)
    return bool(_FROM_PREVIOUSLY.match(between) and _PREVIOUSLY_AFTER.match(text, nxt.end))


def quantity_mentions(index: DocIndex) -> list[Mention]:
    """Quantity mentions in text order, deduplicated, conversions and split ranges merged."""
    seen: set[tuple[int, int]] = set()
    raw: list[Mention] = []
    for m in index.mentions:
        if m.type not in QUANTITY_TYPES or (m.start, m.end) in seen:
            continue
        if m.type == "COUNT":
            # A number inside a name ("Plan 2025") is no count, and a COUNT on a
            # MONEY/PERCENT span is that same quantity.
            if any(n.start <= m.start and m.end <= n.end for n in _near(index, ("PROGRAM", "ORG"), m)):
                continue
            if any(o.start < m.end and m.start < o.end for o in _near(index, ("MONEY", "PERCENT"), m)):
                continue
            if not _counts_funded_things(index, m):
                continue
        if m.type == "MONEY" and _RATIO_BASE.search(index.text, max(0, m.start - 12), m.start):
            continue
        seen.add((m.start, m.end))
        raw.append(m)

    text = index.text
    out: list[Mention] = []
    i = 0
    while i < len(raw):
        m = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if nxt is not None and m.type == nxt.type and m.value is not None and m.value == nxt.value \
                and _RESTATED.match(text[m.end:nxt.start]) and text[nxt.end:nxt.end + 2].lstrip().startswith(")"):
            out.append(m)     # LINK-RESTATED-IN-WORDS: "30% (thirty percent)" is one quantity
            i += 2
            continue
        if nxt is not None and _stated_then_start(text, m, nxt):
            # LINK-CHANGE-TO-FROM: the end value first, then its start
            out.append(replace(m, from_value=nxt.value, sent_start=min(m.sent_start, nxt.sent_start),
                               sent_end=max(m.sent_end, nxt.sent_end)))
            i += 2
            continue
        if nxt is not None and m.type == "MONEY" and nxt.type == "MONEY":
            between = text[m.end:nxt.start]
            after = text[nxt.end:nxt.end + 3]
            in_parens = bool(_CONVERSION_OPEN.match(between)) and (")" in after or "]" in after)
            comma_or = bool(_CONVERSION_COMMA.match(between)) and m.currency and nxt.currency \
                and m.currency != nxt.currency
            if in_parens or comma_or:
                out.append(m)
                i += 2
                continue
            # "from $4.1 trillion to $5.6 trillion", "$4.1 trillion → $5.6 trillion": one change
            lead = text[max(0, m.start - 9):m.start].lower()
            from_lead = lead.rstrip().endswith("from") or FROM_ALLOCATION_RE.search(text, max(0, m.start - 50), m.start)
            if ((from_lead and _CHANGE_JOIN.match(between)) or _ARROW_JOIN.match(between)) \
                    and m.currency == nxt.currency and m.low is None and nxt.low is None:
                out.append(_change(text, m, nxt))
                i += 2
                continue
        if nxt is not None and m.type == "PERCENT" and nxt.type == "PERCENT" \
                and m.low is None and nxt.low is None and _change_pair_open(text, m, nxt):
            between = text[m.end:nxt.start]
            lead = text[max(0, m.start - 9):m.start].lower()
            if _CHANGE_AFTER.match(between):
                out.append(replace(m, from_value=nxt.value, approx=m.approx,
                                   sent_start=min(m.sent_start, nxt.sent_start),
                                   sent_end=max(m.sent_end, nxt.sent_end)))
                i += 2
                continue
            if lead.rstrip().endswith("from") and _CHANGE_JOIN.match(between):
                between = "to"      # the start's year stays a DATE of its own; the change is one measure
            if _ARROW_JOIN.match(between):
                out.append(_change(text, m, nxt))
                i += 2
                continue
            if _RANGE_JOIN.match(between) and (between.strip().lower() != "and" or lead.rstrip().endswith("between")):
                ranging = bool(_RANGING_BEFORE.search(text[max(0, m.start - 40):m.start]))
                if lead.rstrip().endswith("from") and between.strip().lower() == "to" and not ranging:
                    merged = replace(m, end=nxt.end, text=text[m.start:nxt.end], value=nxt.value,
                                     from_value=m.value, approx=nxt.approx or m.approx,
                                     sent_start=min(m.sent_start, nxt.sent_start),
                                     sent_end=max(m.sent_end, nxt.sent_end))
                else:
                    lo_v, hi_v = m.value, nxt.value
                    merged = replace(m, end=nxt.end, text=text[m.start:nxt.end], value=hi_v,
                                     low=lo_v, high=hi_v, approx=m.approx or nxt.approx,
                                     sent_start=min(m.sent_start, nxt.sent_start),
                                     sent_end=max(m.sent_end, nxt.sent_end))
                out.append(merged)
                i += 2
                continue
        out.append(m)
        i += 1
    return _shared_bounds(text, out)


# LINK-BOUND-SHARED: "a maximum of Rs 6 crore for big yards and Rs 4 crore for the rest":
# an upper bound written once before two coordinated amounts bounds both
_SHARED_BOUND_BETWEEN = re.compile(r"^[^.;:()]{0,60}?\s(?:and|or)\s+$", re.IGNORECASE)
# LINK-BOUND-SHARED-SERIES: "a total cap of 100% of the outlay in the north, 90% of the outlay in
# the south (except the ports) and 80% of the outlay in the ports": each item of a series of rates
# that repeats the first one's base after one bound word is bounded too
_SERIES_BETWEEN = re.compile(r"^(?:[^.;:()]|\([^().;:]*\)){0,110}?(?:,|\s(?:and|or))\s+$", re.IGNORECASE)
_OF_BASE = re.compile(r"\s+of\s+((?:[\w-]+\s+){0,3}[\w-]+)")


def _shared_bounds(text: str, quantities: list[Mention]) -> list[Mention]:
    out = list(quantities)
    for k in range(1, len(out)):
        a, b = out[k - 1], out[k]
        if a.approx != "<" or b.approx or a.low is not None or b.low is not None:
            continue
        between = text[a.end:b.start]
        if a.type == b.type == "MONEY" and a.currency == b.currency and _SHARED_BOUND_BETWEEN.match(between):
            out[k] = replace(b, approx="<")
        elif a.type == b.type == "PERCENT" and _SERIES_BETWEEN.match(between):
            base_a, base_b = _OF_BASE.match(text, a.end), _OF_BASE.match(text, b.end)
            if base_a is not None and base_b is not None and base_a.group(1).lower() == base_b.group(1).lower():
                out[k] = replace(b, approx="<")
    return out
