"""REGIONs the gazetteer cannot list: a capitalized name before an administrative-unit word, and two
subdivisions written as one area.

"Licking County", "Maricopa County community colleges", "Kumamoto Prefecture":
one or two capitalized words (not a determiner, not sentence-initial
function words) before a word of ``unit_suffix_words`` in geo_context.yaml.
The region's country is that of the nearest place named before it in the
same paragraph, else after it; else empty (the link stage decides).
"""
from __future__ import annotations

import functools
import re

from spacy.tokens import Doc

from ..normalize.geo import iter_subdivisions, load_context
from .candidates import Candidate

_MAX_NAME_WORDS = 2
_NOT_NAME_TAGS = frozenset({"DT", "PRP$", "IN", "CC", "WDT", "PRP", "MD", "VB", "VBD", "VBZ", "VBP"})


@functools.lru_cache(maxsize=1)
def unit_words() -> frozenset[str]:
    return frozenset(str(w) for w in load_context().get("unit_suffix_words", []) or [])


def unit_regions(doc: Doc, places: list[Candidate]) -> list[Candidate]:
    """REGION candidates for '<Name> County' not already covered by a gazetteer place."""
    words = unit_words()
    out: list[Candidate] = []
    if not words:
        return out
    for tok in doc:
        if tok.text not in words or tok.i == 0:
            continue
        first = tok.i
        while first - 1 >= 0 and tok.i - (first - 1) <= _MAX_NAME_WORDS:
            prev = doc[first - 1]
            if not (prev.is_alpha and prev.text[:1].isupper() and prev.tag_ not in _NOT_NAME_TAGS) \
                    or "\n" in prev.whitespace_ or prev.text in words:
                break
            first -= 1
        if first == tok.i:
            continue
        if first - 1 >= 0 and doc[first - 1].is_alpha and doc[first - 1].text[:1].isupper() \
                and doc[first - 1].tag_ not in _NOT_NAME_TAGS:
            continue  # part of a longer title-case run ("Arizona Commerce Authority County ...")
        start, end = doc[first].idx, tok.idx + len(tok.text)
        if any(p.start < end and start < p.end for p in places):
            continue  # the gazetteer knows it ("Gyeonggi Province")
        before = [p for p in places if p.end <= start and p.norm.get("iso3")]
        after = [p for p in places if p.start >= end and p.norm.get("iso3")]
        nearest = before[-1] if before else (after[0] if after else None)
        iso3 = nearest.norm["iso3"] if nearest is not None else ""
        out.append(Candidate(start, end, "REGION", {"iso3": iso3, "canonical": doc.text[start:end],
                                                    "form": "name"}))
    return out


@functools.lru_cache(maxsize=1)
def _subdivision_names() -> dict[str, frozenset[str]]:
    """iso3 -> the names of its first-level subdivisions, stop-listed ones included (pycountry)."""
    out: dict[str, set[str]] = {}
    for name, iso3, _kind, _display in iter_subdivisions(load_context()):
        out.setdefault(iso3, set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


_WORD_BEFORE = re.compile(r"(?<![\w'’-])([A-Z][a-z]+(?:[’'][a-z]+)?)(?:\s|-|–|/)$")
_WORD_AFTER = re.compile(r"(?:\s|-|–|/)([A-Z][a-z]+(?:[’'][a-z]+)?)(?![\w-])")


# GEO-PAIRED-SUBDIVISIONS: "Otago Southland", "Otago-Southland": a subdivision written right next to
# another of the same country (a space, hyphen, dash or slash between) names one combined area; the other
# name counts even where it is stop-listed alone (a personal name)
def paired_regions(doc: Doc, places: list[Candidate]) -> list[Candidate]:
    """REGION candidates for two subdivisions of one country written as one area."""
    out: list[Candidate] = []
    names = _subdivision_names()
    text = doc.text
    for p in places:
        iso3 = p.norm.get("iso3") or ""
        if p.type != "REGION" or not iso3 or iso3 not in names:
            continue
        own = p.norm.get("canonical") or text[p.start:p.end]
        before = _WORD_BEFORE.search(text, max(0, p.start - 30), p.start)
        after = _WORD_AFTER.match(text, p.end)
        for hit, first in ((before, True), (after, False)):
            if hit is None or hit.group(1) not in names[iso3] or hit.group(1) == own:
                continue
            start, end = (hit.start(1), p.end) if first else (p.start, hit.end(1))
            hs, he = hit.start(1), hit.end(1)
            if any(q is not p and q.start < end and start < q.end
                   and not (q.type == "REGION" and q.norm.get("iso3") == iso3 and (q.start, q.end) == (hs, he))
                   for q in places):
                continue     # a word of another place or name ("Lake Nelson Tasman")
            canonical = f"{hit.group(1)} {own}" if first else f"{own} {hit.group(1)}"
            out.append(Candidate(start, end, "REGION", {"iso3": iso3, "canonical": canonical, "form": "name"}))
    return out
