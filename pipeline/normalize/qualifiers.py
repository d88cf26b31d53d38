"""Wording around a quantity shared by the money and percent finders: qualifier words
before or after it ("roughly", "at least", "or more"; pipeline/data/qualifiers.csv)
and range wording ("between X and Y", "from X to Y").
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, NamedTuple, Optional

from ..data_access import read_csv

# ---------------------------------------------------------- qualifiers ----

@lru_cache(maxsize=None)
def _qualifier_table(position: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for row in read_csv("qualifiers.csv"):
        phrase = (row.get("phrase") or "").strip().lower()
        if phrase and ((row.get("position") or "before").strip() or "before") == position:
            table[phrase] = (row.get("approx") or "").strip()
    return table


def _alternatives(phrases: Iterable[str]) -> list[str]:
    alts = []
    for p in sorted(phrases, key=len, reverse=True):
        pat = re.escape(p).replace(r"\ ", r"\s+")
        if p[0].isalpha():
            pat = r"(?<![^\W\d_])" + pat
        elif p[0] in "<>":
            # QUAL-SYMBOL: "≥ 30%", "< 10%" bound the amount; "->" and "=>" are arrows ("60% -> 95%")
            pat = r"(?<![-=<>])" + pat
        alts.append(pat)
    return alts


# Where a qualifier stands: right before the amount (also across "an additional":
# "up to an additional $2,400"), or right after it ("$500,000 or more").
_QUALIFIER_FRAMES = {
    # (and across an article after a bound of several words: "owe at least a 12 per cent levy", "up
    # to a $5,000 grant"; not after a lone preposition: "talks about a $5 million grant")
    "before": (r"(?i)(?P<q>", r")(?:\s+(?:an?\s+)?(?:additional|extra|further)"
               r"|(?:(?<=least)|(?<=most)|(?<=than)|(?<=\bto))\s+an?)?\s*\Z"),
    # QUAL-AFTER: a bound word right after the amount ("$500,000 or more", "the $2 million cap
    # for docks": a cap or a ceiling written as the noun the amount modifies; not "limit", which
    # tax forms use for thresholds, "the $100 limit").
    # "or more" closes the bound ("$10,000 or more.", "or more in", "Rs 5 crore or more will"),
    # not "or more than that"; a unit rate may stand between ("Rs 0.80 per unit (upper ceiling)"),
    # and a parenthesis may follow ("Rs 100 crore and above (as notified)")
    "after": (r"(?i)(?:\s+per\s+[^\W\d_]+)?\s+(?P<q>", r")(?=\s*(?:[.,;:()\]]|$)|\s+(?!than\b)[^\W\d_])"),
    # "a maximum grant of $5,000", "a minimum payout of $1,500", "a maximum total dock
    # amount of $9 million": the bound word, one to three nouns, "of", right before the amount
    # (the last noun one of the amount nouns of qualifiers.csv: "a minimum wage of" is no bound)
    # QUAL-NOUN-LABEL: the same words as a table row's label right before its value, without "of"
    # ("Maximum loan quantum S$300,000", "Maximum grant [Revised]: $5,000")
    "noun_of": (r"(?i)(?<![\w-])(?P<q>", r")\s+(?:[^\W\d_][\w-]*\s+){0,2}?(?:{nouns})"
                r"(?:\s+of|\s*(?:\[[^\]\n]{1,20}\]\s*)?:?)\s*\Z"),
    # QUAL-SUBJECT-BE: "The maximum grant available under this window shall be $40,000": the bound
    # word and an amount noun as the subject, a few words, then "shall be"/"is" right before the amount
    # (also "has been", "was", and a level the bound is raised or set to: "The maximum ferry loan
    # size will be raised to $700,000 next year")
    "subject_be": (r"(?i)(?<![\w-])(?P<q>", r")\s+(?:[^\W\d_][\w-]*\s+){0,3}?(?:{nouns})\b[^\d.;:]{0,90}?"
                   r"\s(?:(?:shall|will|would|must|may)\s+be|is|are|was|were|has\s+been|have\s+been|remains?)"
                   r"(?:\s+(?:\w+ly\s+)?(?:raised|increased|lowered|reduced|set|fixed|capped|doubled)\s+(?:to|at))?\s*\Z"),
    # QUAL-WHICHEVER: "$2,000 per berth on new quays, whichever is lower": later in the amount's
    # clause, with no other number between
    "whichever": (r"(?i)[^\d.;:%$€£¥₹]{0,70}?\s(?P<q>", r")(?![\w-])"),
}


@lru_cache(maxsize=None)
def _qualifier_re(position: str = "before") -> tuple[re.Pattern[str], dict[str, str]]:
    table = _qualifier_table(position)
    alts = _alternatives(table)
    if not alts:
        return re.compile(r"(?!x)x"), table
    head, tail = _QUALIFIER_FRAMES[position]
    if "{nouns}" in tail:
        nouns = sorted(_qualifier_table("amount_noun"), key=len, reverse=True)
        tail = tail.replace("{nouns}", "|".join(re.escape(n) for n in nouns) or r"(?!x)x")
    return re.compile(head + "|".join(alts) + tail), table


def _approx_of(m: re.Match[str], table: dict[str, str]) -> str:
    """The approx of the qualifier phrase a frame matched (its spaces squeezed, lower case)."""
    return table.get(re.sub(r"\s+", " ", m.group("q").strip().lower()), "")


# QUAL-SYMBOL-BRACKET: a symbol before a range's lower end (">$8,000 - $30,000", "> 5-10%") opens a
# bracket of a schedule: the range is its bound, so it carries no approx of its own
_SYMBOLS = frozenset("<>≥≤≧≦")


def range_qualifier_before(text: str, start: int) -> tuple[int, str]:
    """qualifier_before for a range that begins at ``start`` (QUAL-SYMBOL-BRACKET)."""
    qstart, approx = qualifier_before(text, start)
    if approx in ("<", ">") and text[qstart:start].lstrip()[:1] in _SYMBOLS:
        approx = ""
    return qstart, approx


# QUAL-BEFORE: a qualifier phrase of qualifiers.csv (position before) ending right before the amount
# gives its approx ("about $5 million", "an estimated 40%", "estimated to be 3.5%")
def qualifier_before(text: str, start: int) -> tuple[int, str]:
    """(new start, approx) when a qualifier phrase ends right before ``start``."""
    window_start = max(0, start - 40)
    window = text[window_start:start]
    pattern, table = _qualifier_re()
    m = pattern.search(window)
    if not m or m.start() == m.end():
        pattern, table = _qualifier_re("noun_of")
        m = pattern.search(window)
        if not m:
            return start, ""
    qstart, approx = window_start + m.start(), _approx_of(m, table)
    if approx in ("<", ">") and _negated_before(text, qstart, m.group("q")):
        approx = "<" if approx == ">" else ">"
    return qstart, approx


# QUAL-NEGATED-BOUND: "A ferry firm may not borrow more than $90,000", "no yard may owe more than
# $5,000", "cannot cut the reserve to less than 8 percent": a bound under a negated verb of its clause
# is the opposite bound (at most $90,000; at least 8 percent). The clause runs back to the last
# sentence or clause break or subordinating word ("The board does not fund yards that export more
# than 10%" keeps the relative clause's "more than"); a bound word that holds its own negation ("not
# more than", "may not exceed") is already the right way round.
_NEGATION = re.compile(
    r"(?i)\b(?:(?:may|must|shall|should|can|could|will|would|do|does|did|need)\s+not|cannot|can[’']t|"
    r"won[’']t|mustn[’']t|shouldn[’']t|doesn[’']t|don[’']t|never|no\s+[\w-]+\s+(?:may|must|shall|can|will|should))\b")
_CLAUSE_BREAK = re.compile(r"(?i)[.;:!?()]|\b(?:which|that|who|whom|whose|where|if|unless|when|whether|because|"
                           r"although|while|but|except|provided|whereas)\b")
_NEGATION_REACH = 100


_COMPARATIVE = re.compile(r"(?i)\s*(?:more|less|fewer|greater|higher|lower)\s+than\b|\s*(?:over|under|above|below)\s*$"
                          r"|\s*in\s+excess\s+of\b")


def _negated_before(text: str, qstart: int, phrase: str) -> bool:
    """A comparative bound ("more than", "over") under a negated verb of its own clause; not "up to"
    or "at least", which a negation leaves as they are ("need not pay up to $50")."""
    if not _COMPARATIVE.match(phrase):
        return False
    lo = max(0, qstart - _NEGATION_REACH)
    breaks = list(_CLAUSE_BREAK.finditer(text, lo, qstart))
    if breaks:
        lo = breaks[-1].end()
    return _NEGATION.search(text, lo, qstart) is not None


def bound_subject_before(text: str, start: int) -> str:
    """The approx of a bound stated by the sentence's subject ("The maximum grant ... shall be"),
    or ""; the amount's span is not widened over the subject."""
    pattern, table = _qualifier_re("subject_be")
    m = pattern.search(text[max(0, start - 120):start])
    return _approx_of(m, table) if m else ""


def bound_whichever_after(text: str, end: int) -> str:
    """The approx that a later "whichever is lower" of the amount's clause gives it, or ""."""
    pattern, table = _qualifier_re("whichever")
    m = pattern.match(text, end, min(len(text), end + 100))
    return _approx_of(m, table) if m else ""


def qualifier_after(text: str, end: int) -> tuple[int, str]:
    """(new end, approx) when a bounding phrase follows the amount ("$500,000 or more")."""
    pattern, table = _qualifier_re("after")
    m = pattern.match(text, end, min(len(text), end + 40))
    if not m:
        return end, ""
    return m.end(), _approx_of(m, table)


# "ranges from 30% to 60%", "varying from $5 million to 10 million": a span of values, not a change
RANGING_VERBS = r"range|ranges|ranged|ranging|vary|varies|varied|varying"
# a range of two quantities, money or percent: "between|from X and|to|- Y"
RANGE_LEAD_RE = re.compile(r"(?i)(?<![^\W\d_])(?:between|from)\s+\Z")
# QUAL-BAND-RANGE: a band of a tax or benefit schedule, "above $2 500 000 but not exceeding
# $8 000 000", "over 5% and up to 10%", "above 30% and equal to or less than 60%": one range,
# low to high (its value the upper end), not two bounds
_BAND_LEAD_RE = re.compile(r"(?i)(?<![^\W\d_])(?:exceeding|over|above|more\s+than|greater\s+than|in\s+excess\s+of)\s+\Z")
_UPPER = (r"not\s+(?:exceeding|more\s+than|over|above|greater\s+than|in\s+excess\s+of)"
          r"|(?:equal\s+to\s+or\s+)?less\s+than(?:\s+or\s+equal\s+to)?|under|below|up\s+to(?:\s+and\s+including)?")
_LOWER = (r"(?:equal\s+to\s+or\s+)?(?:more|greater)\s+than(?:\s+or\s+equal\s+to)?|over|above|exceeding"
          r"|at\s+least|not\s+less\s+than")
_BAND_CONNECTOR_RE = re.compile(rf"(?i)\A\s*,?\s*(?:but|and)\s+(?:{_UPPER})\s+\Z")
# QUAL-BAND-RANGE-DESC: the upper end first, "less than $90,000, but more than $15,000"
_BAND_DESC_LEAD_RE = re.compile(rf"(?i)(?<![^\W\d_])(?:{_UPPER}|not\s+more\s+than|at\s+most)\s+\Z")
_BAND_DESC_CONNECTOR_RE = re.compile(rf"(?i)\A\s*,?\s*(?:but|and)\s+(?:{_LOWER})\s+\Z")
# QUAL-BAND-UP-TO-EXCLUDING: a scoring bracket, "20 per cent up to, but not including 40 per cent"
_BAND_EXCLUDING_RE = re.compile(r"(?i)\A\s*(?:up\s+to,?\s+but\s+(?:not\s+including|excluding)|to\s+less\s+than)\s+\Z")


class Band(NamedTuple):
    start: int          # where the band's wording begins (its lead bound word, or the first amount)
    descending: bool    # the upper end is written first


def band_of(text: str, a_start: int, a_end: int, b_start: int) -> Optional[Band]:
    """The band that two quantities [a_start, a_end) ... b_start form, or None
    (QUAL-BAND-RANGE, QUAL-BAND-RANGE-DESC, QUAL-BAND-UP-TO-EXCLUDING)."""
    between = text[a_end:b_start]
    lo = max(0, a_start - 30)
    if _BAND_EXCLUDING_RE.match(between):
        return Band(a_start, False)
    for connector, lead_re, descending in ((_BAND_CONNECTOR_RE, _BAND_LEAD_RE, False),
                                           (_BAND_DESC_CONNECTOR_RE, _BAND_DESC_LEAD_RE, True)):
        if connector.match(between):
            lead = lead_re.search(text[lo:a_start])
            return Band(lo + lead.start(), descending) if lead else None
    return None


# "from an allocation of $9 million to $12 million": the start of a change named as an
# allocation, budget or level, no range (LINK-CHANGE-FROM-BUDGET)
# (and the level in force, "from the current $90,000 to $110,000")
FROM_ALLOCATION_RE = re.compile(r"(?i)\bfrom\s+(?:an?\s+|the\s+|its\s+|their\s+)?(?:[\w-]+\s+){0,2}?"
                                r"(?:allocation|budget|provision|ceiling|level|amount|estimate)s?\s+of\s+\Z"
                                r"|\bfrom\s+(?:the\s+)?(?:current|existing|present|previous)\s+\Z")
# a tilde between two numbers is a range in East Asian English ("15~30%", "KRW 3~5 billion")
RANGE_CONNECTOR_RE = re.compile(r"(?i)\A\s*(?:-|\u2013|\u2014|to|and|~|\u301c|\uff5e)\s*\Z")
