"""spaCy components of the extract stage (factories named policyx_*).

Each component finds candidates over ``doc.text`` with regexes, dictionary
lookups or the normalizers, and appends token-aligned spans to
``doc.spans["policyx"]`` (label = mention type, ``span._.norm`` = exact
offsets + normalized fields). ``policyx_resolver`` then removes overlaps.
"""
from __future__ import annotations

from typing import Any, Optional

from spacy.language import Language
from spacy.tokens import Doc, Token

from . import adapters
from .candidates import ACRONYMS_KEY, SPANS_KEY, Candidate, add_candidates, read_candidates, to_span
from .counts import find_counts
from .names import (appositive_candidates, head_candidates, is_acronym, law_short_name, lower_head_candidates,
                    pair_acronym, program_alias_candidates, quoted_candidates, statute_body_candidates,
                    version_candidates)
from .places_extra import paired_regions, unit_regions
from .resolve import resolve_doc
from .sectors import find_sectors
from .vocab import NameVocab, count_vocab, law_pattern_table, name_vocab, sector_vocab


def _num(x: Any) -> float | None:
    try:
        return None if x is None else float(x)
    except (TypeError, ValueError):
        return None


def _valid(text: str, start: Any, end: Any) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


class MoneyFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cands = [Candidate(m.start, m.end, "MONEY", {
            "value": _num(m.value), "currency": getattr(m, "currency", "") or "",
            "low": _num(getattr(m, "low", None)), "high": _num(getattr(m, "high", None)),
            "approx": getattr(m, "approx", "") or "", "unit": getattr(m, "unit", "") or "",
            "flags": getattr(m, "flags", "") or ""})
            for m in adapters.find_money(text) if _valid(text, m.start, m.end)]
        add_candidates(doc, cands)
        return doc


class PercentFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cands = [Candidate(m.start, m.end, "PERCENT", {
            "value": _num(m.value), "low": _num(getattr(m, "low", None)),
            "high": _num(getattr(m, "high", None)), "from_value": _num(getattr(m, "from_value", None)),
            "approx": getattr(m, "approx", "") or "",
            # a change in percentage points; the link stage maps it to "percentage points"
            "unit": "points" if getattr(m, "points", False)
            else "basis points" if getattr(m, "basis", False) else ""})
            for m in adapters.find_percent(text) if _valid(text, m.start, m.end)]
        add_candidates(doc, cands)
        return doc


class DateFinder:
    def __init__(self, skip_kinds: list[str]):
        self.skip_kinds = set(skip_kinds)

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cands = []
        for m in adapters.find_dates(text):
            year = getattr(m, "year", None)
            if not _valid(text, m.start, m.end) or year is None or getattr(m, "kind", "") in self.skip_kinds:
                continue
            month = getattr(m, "month", None)
            cands.append(Candidate(m.start, m.end, "DATE", {"year": int(year), "month": int(month) if month else None}))
        add_candidates(doc, cands)
        return doc


class PlaceFinder:
    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        cands = []
        for m in adapters.find_places(text):
            kind = getattr(m, "type", "COUNTRY")
            if kind not in ("COUNTRY", "REGION") or not _valid(text, m.start, m.end):
                continue
            cands.append(Candidate(m.start, m.end, kind, {
                "iso3": getattr(m, "iso3", "") or "", "canonical": getattr(m, "canonical", "") or "",
                "form": getattr(m, "form", "") or ""}))
        cands += unit_regions(doc, sorted(cands, key=lambda c: c.start))
        cands += paired_regions(doc, cands)
        add_candidates(doc, cands)
        return doc


class NameFinder:
    """PROGRAM and ORG names, alias-table bodies, and acronyms (see names/)."""

    def __init__(self, program_heads: str, org_heads: str, org_aliases: str, program_aliases: str,
                 law_patterns: str = "law_patterns.csv"):
        self.vocab = name_vocab(program_heads, org_heads, org_aliases, program_aliases)
        # Numbered legal instruments named by their citation ("Executive Order 14008").
        self.laws = law_pattern_table(law_patterns)

    def __call__(self, doc: Doc) -> Doc:
        vocab, text = self.vocab, doc.text
        cands: list[Candidate] = []
        paired: set[int] = set()
        token_names = [(toks, kind) for toks, kind in head_candidates(doc, vocab)]
        token_names += [(toks, "PROGRAM") for toks in version_candidates(doc, vocab)]
        for toks, kind in token_names:
            toks, acr = pair_acronym(doc, toks, vocab)
            start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
            # EXTRACT-NAME-KNOWN-BODY: a name the list of bodies knows ("Harbour Environment Facility") is a body
            if kind == "PROGRAM" and text[start:end] in vocab.org_aliases:
                continue
            norm: dict[str, Any] = {}
            short = law_short_name(text, start, end) if kind == "PROGRAM" else None
            if short:
                # "Trade Act of 1974": the span keeps the year, the canonical name is the law's
                norm["alias_of"] = short
            if acr is not None:
                norm["acronym"] = acr.text
                paired.add(acr.i)
                cands.append(Candidate(acr.idx, acr.idx + len(acr.text), kind,
                                       {"acronym_of": text[start:end]}))
                named = _acronym_programme(doc, acr, vocab) if kind == "ORG" else None
                if named is not None:
                    cands.append(named)
            cands.append(Candidate(start, end, kind, norm))
        cands += quoted_candidates(doc, vocab)
        cands += lower_head_candidates(doc, vocab)
        cands += statute_body_candidates(doc, vocab)
        cands += appositive_candidates(doc, vocab)
        if vocab.org_alias_pattern is not None:
            for m in vocab.org_alias_pattern.finditer(text):
                found = vocab.org_aliases.get(m.group(0)) or vocab.org_aliases.get(m.group(0).casefold())
                if found is None:
                    continue
                canonical, iso3 = found
                cands.append(Candidate(m.start(), m.end(), "ORG", {"alias_of": canonical, "iso3": iso3}))
        cands += program_alias_candidates(doc, vocab)
        # EXTRACT-LAW-CITATION: a numbered legal instrument named by its citation (law_patterns.csv:
        # "Executive Order 14008", "Laws 2023, chapter 133") is a programme
        cands += [Candidate(m.start(), m.end(), "PROGRAM", {"iso3": iso3})
                  for pattern, iso3 in self.laws for m in pattern.finditer(text)]
        add_candidates(doc, cands)
        # Bare acronyms: ORG/PROGRAM only if the document pairs them somewhere.
        acronyms = [Candidate(t.idx, t.idx + len(t.text), "ACRONYM", {})
                    for t in doc if t.i not in paired and is_acronym(t.text) and t.text not in vocab.org_aliases
                    and t.text not in vocab.program_aliases]
        add_candidates(doc, acronyms, key=ACRONYMS_KEY)
        return doc


class SectorFinder:
    def __init__(self, sectors: str):
        self.vocab = sector_vocab(sectors)

    def __call__(self, doc: Doc) -> Doc:
        add_candidates(doc, find_sectors(doc, self.vocab))
        return doc


class CountFinder:
    def __init__(self, count_units: str):
        self.vocab = count_vocab(count_units)

    def __call__(self, doc: Doc) -> Doc:
        add_candidates(doc, find_counts(doc, self.vocab))
        return doc


class Resolver:
    def __call__(self, doc: Doc) -> Doc:
        chosen = resolve_doc(doc.text, read_candidates(doc, SPANS_KEY))
        doc.spans[SPANS_KEY] = [s for s in (to_span(doc, c) for c in chosen) if s is not None]
        return doc


@Language.factory("policyx_money")
def make_money(nlp: Language, name: str) -> MoneyFinder:
    return MoneyFinder()


@Language.factory("policyx_percent")
def make_percent(nlp: Language, name: str) -> PercentFinder:
    return PercentFinder()


@Language.factory("policyx_dates", default_config={"skip_kinds": ["duration"]})
def make_dates(nlp: Language, name: str, skip_kinds: list[str]) -> DateFinder:
    return DateFinder(skip_kinds)


@Language.factory("policyx_places")
def make_places(nlp: Language, name: str) -> PlaceFinder:
    return PlaceFinder()


@Language.factory("policyx_names", default_config={
    "program_heads": "program_heads.csv", "org_heads": "org_heads.csv", "org_aliases": "org_aliases.csv",
    "program_aliases": "program_aliases.csv", "law_patterns": "law_patterns.csv"})
def make_names(nlp: Language, name: str, program_heads: str, org_heads: str, org_aliases: str,
               program_aliases: str, law_patterns: str) -> NameFinder:
    return NameFinder(program_heads, org_heads, org_aliases, program_aliases, law_patterns)


@Language.factory("policyx_sectors", default_config={"sectors": "sectors.csv"})
def make_sectors(nlp: Language, name: str, sectors: str) -> SectorFinder:
    return SectorFinder(sectors)


@Language.factory("policyx_counts", default_config={"count_units": "count_units.csv"})
def make_counts(nlp: Language, name: str, count_units: str) -> CountFinder:
    return CountFinder(count_units)


@Language.factory("policyx_resolver")
def make_resolver(nlp: Language, name: str) -> Resolver:
    return Resolver()


def _acronym_programme(doc: Doc, acr: Token, vocab: NameVocab) -> Optional[Candidate]:
    """A programme named by a body's acronym and a head ("HDC Vouchers"), or None."""
    # EXTRACT-ACRONYM-BODY-PROGRAMME: "the Harbour Development Council (HDC) Vouchers": a programme
    # head right after a body's acronym in parentheses names the body's programme, "HDC Vouchers"
    close = acr.i + 1
    if close + 1 >= len(doc) or doc[close].text != ")" or doc[close + 1].text not in vocab.program_heads \
            or doc[close + 1].text in vocab.reference_words:
        return None
    head = doc[close + 1]     # the span is the head alone (the acronym stays the body's mention)
    return Candidate(head.idx, head.idx + len(head.text), "PROGRAM", {"alias_of": f"{acr.text} {head.text}"})
