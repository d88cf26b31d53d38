"""REGIONs the gazetteer cannot list: a capitalized name before an administrative-unit word.

"Licking County", "Maricopa County community colleges", "Kumamoto Prefecture":
one or two capitalized words (not a determiner, not sentence-initial
function words) before a word of ``unit_suffix_words`` in geo_context.yaml.
The region's country is that of the nearest place named before it in the
same paragraph, else after it; else empty (the link stage decides).
"""
from __future__ import annotations

import functools

from spacy.tokens import Doc

from ..normalize.geo import load_context
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
