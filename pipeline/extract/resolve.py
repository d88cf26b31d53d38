"""Overlap resolution (per spaCy Doc) and canonicalization (per document).

Per Doc: trim articles/possessives, keep the best of overlapping candidates
(money/percent > program/org > count > place/sector > date; longer wins
within a tier), give PROGRAM/ORG an iso3 from a country inside the name or
right before it.

Per document: pair acronyms and expansions, give every PROGRAM/ORG variant
one canonical name and iso3, and find later bare acronyms and lower-case
variants of names already seen.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from ..normalize.names import QUOTES, initials_variant, name_key
from .candidates import TIER, Candidate, trim

_PLACE_TYPES = ("COUNTRY", "REGION")
_NAME_TYPES = ("PROGRAM", "ORG")
_MAX_OWNER_GAP = 45
_MAX_OWNER_WORDS = 4


def select(cands: Iterable[Candidate]) -> list[Candidate]:
    """Greedy non-overlapping selection by (tier, -length, start)."""
    chosen: list[Candidate] = []
    for cand in sorted(cands, key=lambda c: (TIER.get(c.type, 9), -c.length, c.start)):
        if all(not cand.overlaps(other) for other in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: (c.start, c.end, c.type))
    return chosen


def _dedupe(cands: Iterable[Candidate]) -> list[Candidate]:
    seen: dict[tuple[int, int, str], Candidate] = {}
    for c in cands:
        key = (c.start, c.end, c.type)
        if key in seen:
            # Keep the richer norm (e.g. the one with an acronym or canonical).
            if len(c.norm) > len(seen[key].norm):
                seen[key] = c
        else:
            seen[key] = c
    return list(seen.values())


def owner_iso3(text: str, name: Candidate, places: list[Candidate]) -> str:
    """iso3 of a country named inside the name, else right before it."""
    inside = [p for p in places if name.start <= p.start and p.end <= name.end and p.norm.get("iso3")]
    countries = [p for p in inside if p.type == "COUNTRY"] or inside
    if countries:
        return countries[0].norm["iso3"]
    before = [p for p in places if p.type == "COUNTRY" and p.end <= name.start
              and name.start - p.end <= _MAX_OWNER_GAP and p.norm.get("iso3")]
    if before:
        # The nearest country before the name, in the same clause: "U.S. X",
        # "EU-funded X", "the German government released the X".
        p = max(before, key=lambda c: c.end)
        gap = text[p.end:name.start]
        if len(gap.split()) <= _MAX_OWNER_WORDS and not re.search(r"[.;:,()\[\]]|\band\b|\bor\b", gap):
            return p.norm["iso3"]
    return ""


_NAME_TAIL = re.compile(r"(?:[\s,;:(\[]|\b(?:of|for|on|in|to|the|and|with|at|a|an)\b)+$", re.IGNORECASE)


def _cut_before_amounts(text: str, cands: list[Candidate]) -> list[Candidate]:
    """'Hydrogen Production Tax Incentive of A$2': a name run into an amount ends before it."""
    amounts = [c for c in cands if c.type in ("MONEY", "PERCENT")]
    out = []
    for c in cands:
        if c.type in _NAME_TYPES and not c.norm.get("quoted"):
            starts = [a.start for a in amounts if c.start < a.start < c.end]
            if starts:
                end = min(starts)
                end = c.start + len(_NAME_TAIL.sub("", text[c.start:end]))
                if end - c.start < 3 or " " not in text[c.start:end].strip():
                    continue
                c = Candidate(c.start, end, c.type, dict(c.norm))
        out.append(c)
    return out


# "from 24% in 2000 to about 10%": a change whose start carries its year (the year stays a DATE).
# "from a fleet share of around 12%": the start may be named before its value
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:(?:an?|the|its|their)\s+(?:[\w-]+\s+){0,3}?of\s+)?"
                          r"(?:about\s+|around\s+|roughly\s+|nearly\s+|some\s+)?$", re.IGNORECASE)
# "from 4% in 2031 towards 9% in 2036": "towards" ends a change as "to" does
_YEAR_THEN_TO = re.compile(r"^\s*(?:in\s+(?:FY\s*)?(?:19|20)\d\d(?:\s*[-–/]\s*\d{2,4})?\s*,?\s+)?(?:to|towards|toward)\s+$",
                           re.IGNORECASE)
# "25% of their investment, up from 16%": the start is stated after the end value.
_UP_FROM = re.compile(r"^[^.;%\d]{0,60}?,\s*(?:up|down)\s+from\s+$", re.IGNORECASE)
# EXTRACT-CHANGE-FROM-PREVIOUS: "S$2,500,000 per berth, from S$4,000,000 previously", "to 40 cents a
# litre from the current 25 cents": the new level first, the old one after "from" and a word that
# dates it ("previously", "the current")
_FROM_CURRENT = re.compile(r"^[^.;%\d]{0,60}?\bfrom\s+(?:the\s+)?(?:current|present|existing|previous)\s+$",
                           re.IGNORECASE)
_FROM_THEN = re.compile(r"^[^.;%\d]{0,60}?,\s*from\s+$", re.IGNORECASE)
# EXTRACT-CHANGE-TO-FROM: "will raise the dredging budget to $40 million from $25 million", "the levy is
# lowered to 12% from 18%": a change verb, "to" the new level, "from" the old one
_TO_FROM = re.compile(r"^\s*from\s+$", re.IGNORECASE)
_CHANGED_TO = re.compile(r"\b(?:increas|rais|revis|reduc|cut|lower|decreas|adjust|enhanc|extend|expand|doubl|"
                         r"bring|brought|reset|restor|grow|grew|rise|rose|fall|fell|drop|lift|boost|top)\w*\b"
                         r"[^.;\d]{0,80}?\bto\s+(?:about\s+|around\s+|nearly\s+)?$", re.IGNORECASE)
# EXTRACT-CHANGE-AMENDMENT: an amendment's "by deleting the figure “$4,500,000” and substituting
# therefor the figure “$3,200,000”" changes the first amount into the second; "the dock line of $4.5
# million is being reduced to $3.2 million" likewise
_DELETING = re.compile(r"\bdelet\w*\s+(?:the\s+(?:expression|figure|amount|sum|words?)\s+(?:of\s+)?)?[“\"‘']?\s*$",
                       re.IGNORECASE)
_SUBSTITUTING = re.compile(r"^[”\"’'.]*\s*,?\s*and\s+(?:substitut|insert)\w*\s+(?:there(?:for|fore|of)\s+)?"
                           r"(?:the\s+(?:expression|figure|amount|sum|words?)\s+(?:of\s+)?)?[“\"‘']?\s*$", re.IGNORECASE)
_IS_CHANGED_TO = re.compile(r"^\s*,?\s*(?:is|are|was|were|will\s+be|shall\s+be|has\s+been|have\s+been)\s+(?:being\s+)?"
                            r"(?:\w+ly\s+)?(?:reduc|increas|rais|revis|cut|lower|decreas|adjust|enhanc|doubl)\w*\s+to\s+"
                            r"(?:about\s+|around\s+|nearly\s+)?$", re.IGNORECASE)
_PREVIOUSLY = re.compile(r"^\s*(?:previously|before|earlier|at\s+present|currently)\b", re.IGNORECASE)


def _quantity_changes(text: str, chosen: list[Candidate]) -> list[Candidate]:
    """One PERCENT (or MONEY, of one currency) per two-mention change: the end value gets the
    start as from_value and the start is no mention of its own (its year between them stays a DATE)."""
    starts: set[int] = set()
    for kind in ("PERCENT", "MONEY"):
        quantities = [c for c in chosen if c.type == kind and c.norm.get("value") is not None
                      and c.norm.get("low") is None and c.norm.get("from_value") is None]
        for a, b in zip(quantities, quantities[1:]):
            if id(a) in starts or a.norm.get("from_value") is not None \
                    or a.norm.get("currency") != b.norm.get("currency"):
                continue
            between = text[a.end:b.start]
            if kind == "PERCENT" and _YEAR_THEN_TO.match(between) \
                    and _FROM_BEFORE.search(text[max(0, a.start - 60):a.start]):
                b.norm["from_value"] = a.norm["value"]
                starts.add(id(a))
            elif (_SUBSTITUTING.match(between) and _DELETING.search(text[max(0, a.start - 60):a.start])) \
                    or _IS_CHANGED_TO.match(between):
                b.norm["from_value"] = a.norm["value"]
                starts.add(id(a))
            elif (kind == "PERCENT" and _UP_FROM.match(between)) or _FROM_CURRENT.match(between) \
                    or (_FROM_THEN.match(between) and _PREVIOUSLY.match(text[b.end:b.end + 20])) \
                    or (_TO_FROM.match(between) and _CHANGED_TO.search(text[max(0, a.start - 120):a.start])):
                a.norm["from_value"] = b.norm["value"]
                starts.add(id(b))
    return [c for c in chosen if id(c) not in starts]


def resolve_doc(text: str, cands: list[Candidate]) -> list[Candidate]:
    cands = _cut_before_amounts(text, cands)
    trimmed = [c for c in (trim(text, c) for c in cands) if c is not None]
    trimmed = _dedupe(trimmed)
    places = [c for c in trimmed if c.type in _PLACE_TYPES]
    chosen = select(trimmed)
    chosen = _quantity_changes(text, chosen)
    for c in chosen:
        if c.type in _NAME_TYPES and not c.norm.get("iso3"):
            c.norm["iso3"] = owner_iso3(text, c, places)
    return chosen


# --- document level ---------------------------------------------------------



def _best_surface(variants: list[str]) -> str:
    counts = Counter(variants)
    # Most frequent; ties: not all-caps, more capitals (title case), first seen.
    order = {v: i for i, v in reversed(list(enumerate(variants)))}
    return max(counts, key=lambda v: (counts[v], not v.isupper(), sum(ch.isupper() for ch in v), -order[v]))


def canonicalize(mentions: list, program_heads: frozenset[str]) -> None:
    """Give PROGRAM and ORG mentions one canonical name and iso3 per entity (in place).

    ``mentions`` are records.Mention-like objects with a ``norm_extra`` dict
    attribute holding 'acronym' / 'acronym_of' / 'canonical' hints.
    """
    heads_folded = {h.casefold() for h in program_heads}
    for kind in ("PROGRAM", "ORG"):
        group = [m for m in mentions if m.type == kind]
        if not group:
            continue
        parent: dict[str, str] = {}

        def find(k: str) -> str:
            while parent.get(k, k) != k:
                k = parent[k]
            return k

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        keys = {}
        for m in group:
            hint = m.norm_extra.get("acronym_of") or m.norm_extra.get("alias_of")
            keys[id(m)] = name_key(hint) if hint else name_key(m.text)
            parent.setdefault(keys[id(m)], keys[id(m)])
        all_keys = set(parent)
        for m in group:
            acr = m.norm_extra.get("acronym")
            if acr:
                parent.setdefault(name_key(acr), name_key(acr))
                union(keys[id(m)], name_key(acr))
        # EXTRACT-ACRONYM-PAPER-DEFINES: an acronym the paper defines ("the Harbour Bank for Ferries
        # (HBF)") names what the paper says, also where the alias table knows it by another name
        defined = {name_key(m.norm_extra["acronym"]) for m in group if m.norm_extra.get("acronym")}
        for m in group:
            if m.norm_extra.get("alias_of") and name_key(m.text) in defined:
                union(name_key(m.text), keys[id(m)])
        texts = {keys[id(m)]: m.text for m in group}
        for k_short, t_short in texts.items():
            if t_short.split(" ", 1)[0].isupper():
                for k_long, t_long in texts.items():
                    if k_long != k_short and initials_variant(t_short, t_long):
                        union(k_long, k_short)
        # "Society 5.0 Strategy" -> "Society 5.0" when the shorter name exists.
        for k in all_keys:
            words = k.split(" ")
            if len(words) >= 2 and words[-1] in heads_folded and " ".join(words[:-1]) in all_keys:
                union(" ".join(words[:-1]), k)
        surfaces: dict[str, list[str]] = defaultdict(list)
        expansions: dict[str, list[str]] = defaultdict(list)
        paper_expansions: dict[str, list[str]] = defaultdict(list)
        isos: dict[str, Counter] = defaultdict(Counter)
        for m in group:
            root = find(keys[id(m)])
            surface = m.norm_extra.get("acronym_of") or m.norm_extra.get("alias_of") or m.text
            surface = surface.strip().strip(QUOTES).strip(" ,.;:")
            surface = re.sub(r"^(?:the|The)\s+", "", surface)
            surfaces[root].append(surface)
            if m.norm_extra.get("acronym") or m.norm_extra.get("alias_of"):
                expansions[root].append(surface)
            if m.norm_extra.get("acronym"):
                paper_expansions[root].append(surface)
            if m.iso3:
                isos[root][m.iso3] += 1
        # Shortest base name wins over "<base> <Head>" variants; expansions over acronyms.
        canonical: dict[str, str] = {}
        for root, vs in surfaces.items():
            if paper_expansions.get(root):
                canonical[root] = _best_surface(paper_expansions[root])
            elif expansions.get(root):
                canonical[root] = _best_surface(expansions[root])
            else:
                base = [v for v in vs if name_key(v) == root]
                canonical[root] = _best_surface(base or vs)
        for m in group:
            root = find(keys[id(m)])
            m.canonical = canonical[root]
            if not m.iso3 and isos[root]:
                m.iso3 = isos[root].most_common(1)[0][0]
