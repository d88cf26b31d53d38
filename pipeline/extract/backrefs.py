"""Document-level references back to names already written out (after all paragraphs).

- "the Commission" after "the European Commission", "the Ministry" after one
  "Ministry of ..." : a capitalized strong ORG head word after "the" refers to
  the one earlier ORG whose name ends in that word (none if several do); a head
  the paper writes as "the Agency" twice before naming any "... Agency" is its own
  defined term and refers to none.
- "the Union" after "the European Union": words listed in
  back_references.csv refer to the earlier multi-word COUNTRY ending in them.
- "the PLI scheme" after "the Production Linked Incentive scheme": a bare
  acronym (three letters or more) that spells the initials of an earlier or
  later PROGRAM/ORG name is that name; a lower-case programme head right
  after it joins the span.
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Callable

from ..data_access import read_csv
from ..records import Mention
from .vocab import NameVocab, implied_names

_THE = re.compile(r"(?:^|\W)the\s+$", re.IGNORECASE)
_WORD = re.compile(r"[A-Z][a-z]+")


@functools.lru_cache(maxsize=2)
def country_back_words(name: str = "back_references.csv") -> frozenset[str]:
    return frozenset(r["word"] for r in read_csv(name) if r.get("word") and r.get("type") == "COUNTRY")


MakeMention = Callable[[int, int, str, dict], Mention]


def _free(mentions: list[Mention], start: int, end: int) -> bool:
    return not any(m.start < end and start < m.end for m in mentions)


def back_references(text: str, mentions: list[Mention], vocab: NameVocab, make: MakeMention) -> list[Mention]:
    """New ORG/COUNTRY mentions for 'the <Head>' back-references (not added to ``mentions``)."""
    strong = vocab.org_heads - vocab.weak_org_heads
    country_words = country_back_words()
    # word -> [(position, type, canonical/name, iso3)] of full names ending in that word
    named: dict[str, list[tuple[int, str, str, str]]] = {}
    for m in mentions:
        words = m.text.split()
        if len(words) < 2:
            continue
        last = words[-1]
        if m.type == "ORG" and last in strong:
            named.setdefault(last, []).append((m.start, "ORG", m.canonical or m.text, m.iso3))
        elif m.type == "COUNTRY" and last in country_words and m.iso3:
            named.setdefault(last, []).append((m.start, "COUNTRY", m.canonical or m.text, m.iso3))
    # "the Commission" in an EU text that never writes "European Commission"
    present = {m.iso3 for m in mentions if m.type == "COUNTRY" and m.iso3}
    for word, kind, canonical, iso3, requires in implied_names():
        if requires in present and word not in named:
            named[word] = [(-1, kind, canonical, iso3)]
    out: list[Mention] = []
    if not named:
        return out
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(named)) + r")(?![\w-])")
    hits = [hit for hit in pattern.finditer(text)
            if _THE.search(text[max(0, hit.start() - 12):hit.start()])
            and not re.match(r"\s+(?:of|for|on)\b|\s*[-–]?\s*[A-Z]", text[hit.end():hit.end() + 6])]
    # "the Commission Regulation", "the Commission of ...": a longer name (dropped above)
    defined = _defined_terms(hits, named)
    taken = list(mentions)
    for hit in hits:
        start, end = hit.start(), hit.end()
        if hit.group(0) in defined:
            continue
        earlier = [e for e in named[hit.group(0)] if e[0] < start]
        if not earlier or not _free(taken, start, end):
            continue
        # EXTRACT-BACKREF-MAJORITY: "the Agency" is the body of that head named most often before it
        counts = Counter(e[2].casefold() for e in earlier)
        top, n = counts.most_common(1)[0]
        if n * 2 <= len(earlier):
            continue   # two agencies named as often: unknown
        _, kind, canonical, iso3 = [e for e in earlier if e[2].casefold() == top][-1]
        norm = {"alias_of": canonical, "iso3": iso3} if kind == "ORG" else {"canonical": canonical, "iso3": iso3}
        m = make(start, end, kind, norm)
        out.append(m)
        taken.append(m)
    return out


# EXTRACT-BACKREF-DEFINED-TERM: "the Agency" written twice before any "<...> Agency" is named is the
# paper's own defined term (a rule's "the Agency", a contract's "the Authority"), no reference to
# a body named later
_DEFINED_TERM_USES = 2


def _defined_terms(hits: list[re.Match[str]], named: dict[str, list[tuple[int, str, str, str]]]) -> set[str]:
    out = set()
    for word, names in named.items():
        first = min(e[0] for e in names)
        if first >= 0 and sum(1 for h in hits if h.group(0) == word and h.start() < first) >= _DEFINED_TERM_USES:
            out.add(word)
    return out


def initials_of(name: str, vocab: NameVocab) -> set[str]:
    """Acronyms a name can have: initials of its content words, with/without its head noun."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", name)]
    content = [w for w in words if w.lower() not in vocab.connectors]
    out = set()
    for ws in (content, content[:-1] if content and content[-1].lower() in vocab.lower_heads else None):
        if ws and len(ws) >= 3:
            out.add("".join(w[0].upper() for w in ws))
    return out


def acronyms_by_initials(text: str, mentions: list[Mention], acronyms: list[tuple[int, int, str]],
                         vocab: NameVocab, make: MakeMention) -> list[Mention]:
    """Bare acronyms that spell a PROGRAM/ORG name of the document ("PLI" for
    "Production Linked Incentive scheme"); one name per acronym, else none."""
    spelled: dict[str, set[tuple[str, str]]] = {}
    for m in mentions:
        if m.type in ("PROGRAM", "ORG") and " " in m.text.strip():
            for acr in initials_of(m.canonical or m.text, vocab):
                spelled.setdefault(acr, set()).add((m.type, m.canonical or m.text))
    out: list[Mention] = []
    taken = list(mentions)
    for start, end, acr in acronyms:
        found = spelled.get(acr)
        if not found or len(found) != 1 or not acr.isalpha() or len(acr) < 3:
            continue
        kind, name = next(iter(found))
        head = re.match(r"\s+([a-z]+)\b", text[end:end + 20])
        if kind == "PROGRAM" and head and head.group(1) in vocab.lower_heads:
            end += head.end()
        clash = [t for t in taken if t.start < end and start < t.end]
        if clash and not all((t.start, t.end, t.type) == (start, end, kind) for t in clash):
            continue
        # "the GMC scheme" already found as a name: it gets the spelled-out canonical
        # (the caller drops the same-span mention it replaces).
        m = make(start, end, kind, {"acronym_of": name})
        out.append(m)
        taken.append(m)
    return out
