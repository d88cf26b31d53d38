"""The paper's own country, voted once per paper from its mentions, and what
the extract stage derives from it: the reading of currency markers that
several currencies share ("$" in an Australian paper is AUD; see
``local_currency`` in pipeline/normalize/money.py and the annotation guide).

The vote is also the link stage's document-level country (pipeline/link/country.py calls
``vote_country`` with its own threshold and comparison filter).
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Iterable, Optional

from .data_access import DataFileError, data_path, key_line, read_csv, yaml_mapping
from .normalize.currencies import currency_fits, is_shared, local_currency
from .records import Mention

# Weight of one mention in the document-level country vote: a body or program
# of a country counts half a naming of the country.
DOCUMENT_VOTE = {"COUNTRY": 1.0, "ORG": 0.5, "PROGRAM": 0.5}
_GEO_CONTEXT = "geo_context.yaml"


def vote_country(mentions: Iterable[Mention], exclude: frozenset[str] = frozenset(), min_share: float = 0.0,
                 min_votes: float = 0.0, skip: Optional[Callable[[Mention], bool]] = None) -> str:
    """The most mentioned country (weights in DOCUMENT_VOTE; a tie goes to the
    first mentioned) outside ``exclude``; "" when it holds less than
    ``min_share`` of the vote or fewer than ``min_votes``. ``skip`` leaves
    mentions out of the vote (a country named only as a comparison)."""
    counts: dict[str, list[float]] = {}
    for c in mentions:
        weight = DOCUMENT_VOTE.get(c.type)
        if weight is None or not c.iso3 or c.iso3 in exclude or (skip is not None and skip(c)):
            continue
        _tally(counts, c.iso3, weight, c.start)
    won = _winner(counts, min_share, min_votes)
    return won[0] if won is not None else ""


def _tally(counts: dict, key: object, weight: float, start: int) -> None:
    """One vote of ``weight`` for ``key``, remembering where it is first named."""
    entry = counts.setdefault(key, [0.0, start])
    entry[0] += weight
    entry[1] = min(entry[1], start)


def _winner(counts: dict, min_share: float, min_votes: float) -> Optional[tuple[object, float]]:
    """(key, votes) of the most voted key (a tie goes to the first named), or
    None when it holds less than ``min_share`` of all votes or fewer than
    ``min_votes``. The one rule of every paper-level vote here."""
    if not counts:
        return None
    key, (n, _) = min(counts.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    if n < min_share * sum(v[0] for v in counts.values()) or n < min_votes:
        return None
    return key, n


@lru_cache(maxsize=None)
def _settings(block: str, keys: tuple[str, ...]) -> dict[str, float]:
    """The numbers of one block of geo_context.yaml; an error names what is missing."""
    data = yaml_mapping(_GEO_CONTEXT).get(block)
    try:
        return {k: float(data[k]) for k in keys}
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(data_path(_GEO_CONTEXT), 0, f"{block} needs {', '.join(keys)} ({exc})") from None


def paper_country(mentions: Iterable[Mention]) -> str:
    """The country a paper is about, when one dominates its mentions."""
    settings = _settings("paper_country", ("min_share", "min_votes", "sole_min_votes"))
    mentions = list(mentions)
    # LINK-PAPER-SOLE-COUNTRY: a paper that names one country and no other ("Cap. 73 of the Laws of
    # Ruritania", its only country name) is about it, however seldom it names it
    return vote_country(mentions, min_share=settings["min_share"], min_votes=settings["min_votes"]) \
        or vote_country(mentions, min_share=1.0, min_votes=settings["sole_min_votes"])


# MONEY-PAPER-CURRENCY: a paper that names no dominant country but writes its money in one
# currency with that currency's own markers ("R2 billion", "R40 million", "R300 000") means that
# currency by its shared markers too ("5 cents a litre" are rand cents)
def paper_currency(mentions: Iterable[Mention],
                   table_markers: Optional[dict[tuple[int, int], str]] = None) -> str:
    """The one currency of most of a paper's money written with unshared markers, or ""."""
    settings = _settings("paper_currency", ("min_share", "min_votes"))
    table_markers = table_markers or {}
    counts: dict = {}
    for m in mentions:
        marker = table_markers.get((m.start, m.end)) or m.unit
        if m.type == "MONEY" and m.currency and marker and not is_shared(marker):
            _tally(counts, m.currency, 1.0, m.start)
    won = _winner(counts, settings["min_share"], settings["min_votes"])
    return str(won[0]) if won else ""


def localize_currencies(mentions: list[Mention], iso3: str,
                        table_markers: Optional[dict[tuple[int, int], str]] = None) -> list[Mention]:
    """MONEY mentions written with a shared marker, read as ``iso3``'s currency
    where that country writes its currency that way (``unit`` keeps the marker
    as written; a table cell's marker stands in its column header:
    ``table_markers`` by the cell's offsets). Without a country, the paper's
    own currency (MONEY-PAPER-CURRENCY) where the marker fits it."""
    table_markers = table_markers or {}
    currency = "" if iso3 else paper_currency(mentions, table_markers)
    if not iso3 and not currency:
        return mentions
    out = []
    for m in mentions:
        marker = table_markers.get((m.start, m.end)) or m.unit
        if m.type == "MONEY" and marker:
            local = local_currency(marker, iso3) if iso3 else (currency if currency_fits(marker, currency) else "")
            if local and local != m.currency:
                m = replace(m, currency=local)
        out.append(m)
    return out


# ------------------------------------------------------------- paper context

def _context_settings() -> dict[str, float]:
    return _settings("paper_context", ("sector_min_share", "sector_min_mentions", "sector_min_sections",
                                       "sector_min_per_1000_words",
                                       "sector_min_span", "region_min_share",
                                       "region_min_votes", "region_state_words_min", "program_min_body_mentions"))


def sector_name_words() -> tuple[list[str], list[str]]:
    """(words before, head nouns after) that make a SECTOR mention a word of a body's or fund's name
    (geo_context.yaml paper_context, LINK-SECTOR-PAPER-NAME-WORD)."""
    data = yaml_mapping(_GEO_CONTEXT).get("paper_context") or {}
    before, heads = data.get("sector_name_before"), data.get("sector_name_heads")
    if not isinstance(before, list) or not isinstance(heads, list):
        raise DataFileError(data_path(_GEO_CONTEXT), 0, "paper_context needs the lists sector_name_before and sector_name_heads")
    return [str(w) for w in before], [str(w) for w in heads]


def paper_program_min_mentions() -> int:
    """How often the body must name a title-block program for it to be the paper's own
    (LINK-PROGRAM-PAPER-NAMED)."""
    return int(_context_settings()["program_min_body_mentions"])


@lru_cache(maxsize=1)
def program_cross_reference_re() -> re.Pattern[str]:
    """Words that end right before a programme named only to point elsewhere ("as defined in
    the X Scheme"), from geo_context.yaml (LINK-PROGRAM-CROSS-REFERENCE)."""
    phrases = yaml_mapping(_GEO_CONTEXT).get("program_cross_reference")
    if not phrases:
        raise DataFileError(data_path(_GEO_CONTEXT), key_line(_GEO_CONTEXT, "program_cross_reference"),
                            "program_cross_reference: a list of phrases is needed")
    alternatives = "|".join(r"\s+".join(map(re.escape, str(p).split())) for p in phrases)
    return re.compile(r"\b(?:" + alternatives + r")\s+(?:the\s+)?(?:provisions\s+of\s+(?:the\s+)?)?$",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def _state_government_re() -> re.Pattern[str]:
    words = yaml_mapping(_GEO_CONTEXT).get("state_government_words")
    if not words:
        raise DataFileError(data_path(_GEO_CONTEXT), key_line(_GEO_CONTEXT, "state_government_words"),
                            "state_government_words: a list of words is needed")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(str(w)) for w in words) + r")(?![\w-])")


def paper_sector(mentions: Iterable[Mention], sections: Optional[Iterable[str]] = None,
                 text_length: int = 0, title_end: int = 0, words: int = 0) -> str:
    """The sector a whole paper is about (a semiconductor policy, a petroleum
    tax schedule): the canonical of most of its SECTOR mentions, when it holds
    at least ``sector_min_share`` of them and ``sector_min_mentions``
    mentions; "" for a paper that spans sectors."""
    mentions = list(mentions)
    settings = _context_settings()
    counts: dict[str, list[float]] = {}
    for m in mentions:
        if m.type == "SECTOR" and (m.canonical or m.text):
            _tally(counts, m.canonical or m.text.lower(), 1.0, m.start)
    won = _winner(counts, settings["sector_min_share"], settings["sector_min_mentions"])
    if won is None:
        return ""
    # LINK-SECTOR-PAPER-DENSITY: a paper about one sector names it often, not four times in a long
    # budget speech that mentions health care in passing
    if words and won[1] * 1000.0 / words < settings["sector_min_per_1000_words"]:
        return ""
    # LINK-SECTOR-PAPER-SPREAD: a paper wholly about one sector names it across its sections,
    # not in one section of a wider policy (a "green subsidies" section of an industrial policy)
    sections = set(sections) if sections is not None else {m.section for m in mentions}
    spread = {m.section for m in mentions if m.type == "SECTOR" and (m.canonical or m.text.lower()) == won[0]}
    if len(sections) > 1 and len(spread) < settings["sector_min_sections"]:
        return ""
    # LINK-SECTOR-PAPER-SPAN: ... and from its beginning to its end, not in one stretch of a
    # budget speech that moves on to other industries (one section or many), unless its
    # title (ending at ``title_end``) names it: a "Steel plan" is about steel throughout
    offsets = [m.start for m in mentions if m.type == "SECTOR" and (m.canonical or m.text.lower()) == won[0]]
    if text_length and min(offsets) >= title_end \
            and (max(offsets) - min(offsets)) < settings["sector_min_span"] * text_length:
        return ""
    return str(won[0])


_THE_STATE = re.compile(r"(?<=\bthe )State\b(?!\s+(?:of|Council|Department|Bank|Government)\b)")
_LOCAL_UNIT = re.compile(r"\b(?:County|City|Parish|Borough|Township|District|Municipality)$")


def paper_region(mentions: Iterable[Mention],
                 places_in: Callable[[str], list[tuple[str, str]]], text: str = "",
                 is_city: Optional[Callable[[str], bool]] = None,
                 title_end: int = 0) -> Optional[tuple[str, str]]:
    """(canonical, iso3) of the state, province or city whose government the
    paper is about (a state budget, a provincial policy): the subnational
    place named most often, as a REGION or inside the names of bodies and
    programs ("<State> Energy Office": ``places_in`` returns the
    (canonical, iso3) of places inside a name), when it holds at least
    ``region_min_share`` of those votes and ``region_min_votes``, and the
    paper names it more often than it names its country. A paper that speaks as a state
    government (``state_government_words``) and names one state or province (its cities,
    by ``is_city``, aside) is that state's. So is a paper whose title (the text before
    ``title_end``) names one subnational place that no other place outvotes in the body."""
    settings = _context_settings()
    votes: dict[tuple[str, str], list[float]] = {}
    country_votes: dict[str, float] = {}
    titled: dict[tuple[str, str], None] = {}
    for m in mentions:
        if m.type == "COUNTRY" and m.iso3:
            country_votes[m.iso3] = country_votes.get(m.iso3, 0.0) + 1.0
            continue
        if m.type == "REGION" and m.iso3:
            found = [(m.canonical or m.text, m.iso3)]
            weight = 1.0
        elif m.type in ("ORG", "PROGRAM"):
            found = list(dict.fromkeys(places_in(m.text)))
            weight = 0.5
        else:
            continue
        if m.start < title_end:
            titled.update(dict.fromkeys(found))
        for key in found:
            _tally(votes, key, weight, m.start)
    won = _winner(votes, settings["region_min_share"], settings["region_min_votes"])
    if won is not None and won[1] > country_votes.get(won[0][1], 0.0):
        return won[0]
    # LINK-REGION-TITLE: "Harbour Investment Policy of Coastal Province 2031": the title names
    # the one state, province or city that speaks, and no other place is named more often
    if len(titled) == 1:
        place = next(iter(titled))
        if all(v[0] <= votes.get(place, [0.0])[0] for key, v in votes.items() if key != place):
            return place
    # LINK-REGION-STATE-GOVERNMENT: one state or province (its cities aside), and the paper speaks
    # as its government; it may name its country as often as its state ("the Government of India")
    # LINK-REGION-THE-STATE: a statute or policy of one state that names no country speaks of itself
    # as "the State" ("placed in service in the State"): that, too, is speaking as its government
    speaks_as_state = bool(text) and (len(_state_government_re().findall(text)) >= settings["region_state_words_min"]
                                      or (not country_votes and len(_THE_STATE.findall(text)) >= 2))
    if speaks_as_state:
        # LINK-REGION-STATE-GOVERNMENT-OWN-COUNTRY: the states of another country ("Santa Fe" read
        # as Argentina's province in a US bill) and the counties and cities inside the state do not
        # count against it
        top = _winner(votes, 0.0, 0.0)
        states = [key for key in votes if not (is_city and is_city(key[0])) and not _LOCAL_UNIT.search(key[0])
                  and (top is None or key[1] == top[0][1])]
        if len(states) == 1:
            return states[0]
    return None


# ------------------------------------------------------------- fiscal years

_FY_LABEL_RE = re.compile(r"(?i)^(?:FY|fiscal\s+year|financial\s+year)\s?['\u2019]?(\d{2}|\d{4})$")


@lru_cache(maxsize=None)
def _fiscal_years() -> dict[str, tuple[int, str]]:
    rows = read_csv("fiscal_years.csv")
    if not rows:
        raise DataFileError(data_path("fiscal_years.csv"), 0, "no rows")
    out = {}
    for row in rows:
        with row.checked():
            out[row["iso3"]] = (int(row["start_month"]), row["named_by"])
        if row["named_by"] not in ("start", "end"):
            raise row.error("named_by must be start or end")
    return out


def flag_fiscal_labels(mentions: list[Mention], iso3: str) -> list[Mention]:
    """A single-year fiscal label ("FY2026", "FY24") in a paper of a country
    that names its fiscal year by the year it ends in: the DATE keeps the
    label's year and says in ``flags`` which year the fiscal year starts in
    (the guide's year), so that neither reading is lost."""
    rule = _fiscal_years().get(iso3)
    if rule is None or rule[1] != "end":
        return mentions
    start_month = rule[0]
    out = []
    for m in mentions:
        hit = _FY_LABEL_RE.match(m.text.strip()) if m.type == "DATE" and m.year else None
        if hit is not None:
            m = replace(m, flags=f"fiscal year {m.text.strip()} ({iso3}) runs from month {start_month} of "
                                 f"{m.year - 1} to {m.year}: it starts in {m.year - 1}")
        out.append(m)
    return out
