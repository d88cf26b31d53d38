"""The paper's own country, voted once per paper from its mentions, and what
the extract stage derives from it: the reading of currency markers that
several currencies share ("$" in an Australian paper is AUD; see
``local_currency`` in pipeline/normalize/money.py and the annotation guide).

The vote is also the link stage's document-level country (link.py calls
``vote_country`` with its own threshold and comparison filter).
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional

import yaml

from .normalize.money import local_currency
from .records import Mention

# Weight of one mention in the document-level country vote: a body or program
# of a country counts half a naming of the country.
DOCUMENT_VOTE = {"COUNTRY": 1.0, "ORG": 0.5, "PROGRAM": 0.5}
_GEO_CONTEXT = Path(__file__).resolve().parent / "data" / "geo_context.yaml"


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
        entry = counts.setdefault(c.iso3, [0.0, c.start])
        entry[0] += weight
        entry[1] = min(entry[1], c.start)
    if not counts:
        return ""
    best = min(counts.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    if best[1][0] < min_share * sum(v[0] for v in counts.values()) or best[1][0] < min_votes:
        return ""
    return best[0]


@lru_cache(maxsize=None)
def _thresholds() -> tuple[float, float]:
    with open(_GEO_CONTEXT, encoding="utf-8-sig") as fh:
        data = yaml.safe_load(fh) or {}
    try:
        block = data["paper_country"]
        return float(block["min_share"]), float(block["min_votes"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{_GEO_CONTEXT}: paper_country needs min_share and min_votes ({exc})") from None


def paper_country(mentions: Iterable[Mention]) -> str:
    """The country a paper is about, when one dominates its mentions."""
    share, votes = _thresholds()
    return vote_country(mentions, min_share=share, min_votes=votes)


def localize_currencies(mentions: list[Mention], iso3: str,
                        table_markers: Optional[dict[tuple[int, int], str]] = None) -> list[Mention]:
    """MONEY mentions written with a shared marker, read as ``iso3``'s currency
    where that country writes its currency that way (``unit`` keeps the marker
    as written; a table cell's marker stands in its column header:
    ``table_markers`` by the cell's offsets)."""
    if not iso3:
        return mentions
    table_markers = table_markers or {}
    out = []
    for m in mentions:
        marker = table_markers.get((m.start, m.end)) or m.unit
        if m.type == "MONEY" and marker:
            local = local_currency(marker, iso3)
            if local and local != m.currency:
                m = replace(m, currency=local)
        out.append(m)
    return out


# ------------------------------------------------------------- paper context

@lru_cache(maxsize=None)
def _context_settings() -> dict[str, float]:
    with open(_GEO_CONTEXT, encoding="utf-8-sig") as fh:
        data = yaml.safe_load(fh) or {}
    block = data.get("paper_context")
    keys = ("sector_min_share", "sector_min_mentions", "region_min_share", "region_min_votes")
    if not isinstance(block, dict) or any(k not in block for k in keys):
        raise ValueError(f"{_GEO_CONTEXT}: paper_context needs {', '.join(keys)}")
    return {k: float(block[k]) for k in keys}


def paper_sector(mentions: Iterable[Mention]) -> str:
    """The sector a whole paper is about (a semiconductor policy, a petroleum
    tax schedule): the canonical of most of its SECTOR mentions, when it holds
    at least ``sector_min_share`` of them and ``sector_min_mentions``
    mentions; "" for a paper that spans sectors."""
    settings = _context_settings()
    counts: dict[str, list[int]] = {}
    for m in mentions:
        if m.type == "SECTOR" and (m.canonical or m.text):
            entry = counts.setdefault(m.canonical or m.text.lower(), [0, m.start])
            entry[0] += 1
            entry[1] = min(entry[1], m.start)
    if not counts:
        return ""
    best, (n, _) = min(counts.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    total = sum(v[0] for v in counts.values())
    if n < settings["sector_min_mentions"] or n < settings["sector_min_share"] * total:
        return ""
    return best


def paper_region(mentions: Iterable[Mention],
                 places_in: Callable[[str], list[tuple[str, str]]]) -> Optional[tuple[str, str]]:
    """(canonical, iso3) of the state, province or city whose government the
    paper is about (a state budget, a provincial policy): the subnational
    place named most often, as a REGION or inside the names of bodies and
    programs ("<State> Energy Office": ``places_in`` returns the
    (canonical, iso3) of places inside a name), when it holds at least
    ``region_min_share`` of those votes and ``region_min_votes``, and the
    paper names it more often than it names its country."""
    settings = _context_settings()
    votes: dict[tuple[str, str], list[float]] = {}
    country_votes: dict[str, float] = {}
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
        for key in found:
            entry = votes.setdefault(key, [0.0, m.start])
            entry[0] += weight
            entry[1] = min(entry[1], m.start)
    if not votes:
        return None
    best, (n, _) = min(votes.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    total = sum(v[0] for v in votes.values())
    if n < settings["region_min_votes"] or n < settings["region_min_share"] * total \
            or n <= country_votes.get(best[1], 0.0):
        return None
    return best
