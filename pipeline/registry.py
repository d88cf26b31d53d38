"""Registries of programs and bodies across the corpus.

One row per program (``program_registry.csv``) and per organization
(``org_registry.csv``) over all papers, with a stable id, the canonical name,
every form seen, the country, the papers naming it, years, mention and
measure counts and the money total in USD.

Which names are one:
- names are compared by a key: case folded, a leading "the" dropped, words
  only, British spellings mapped to one form (``data/name_variants.csv``:
  programme/program, centre/center, organisation/organization ...);
  acronyms and "the Act"/"the Fund" back-references were already resolved
  to the full name inside each paper by the extract stage (a mention's
  ``canonical``);
- the same key with the same country is one entry; the same key without a
  country joins the entry of that key's single country; when the key has
  entries in two or more countries, a row without a country is not forced
  into either: it stays its own row and ``note`` lists the candidates;
- an acronym one paper uses alone ("SBIR") joins the entry whose name's
  initials it is ("Small Business Innovation Research", minor words such as
  "of", "and", "the" skipped or not) when exactly one entry of a compatible
  country (the same, or either without one) matches; with two or more
  candidates it stays apart and ``note`` names them.

Stable ids: ``<slug of the key>-<iso3 in lower case>`` (``-xx`` without a
country); adding papers never renames an entry unless a country-less
entry gets its country from a new paper. Papers marked ``duplicate_of`` are
left out of the counts, papers and totals (their measures still get ids).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterable, Optional

from .data_access import read_csv, yaml_mapping

_WORD = re.compile(r"[^\W_]+")


@lru_cache(maxsize=1)
def name_variants() -> dict[str, str]:
    return {row["variant"].casefold(): row["form"].casefold() for row in read_csv("name_variants.csv")}


def name_key(name: str) -> str:
    """The comparison key of a name: "The Regional Development Programme" -> "regional development program"."""
    text = unicodedata.normalize("NFKC", name or "").casefold().replace("&", " and ")
    tokens = _WORD.findall(text)
    if tokens and tokens[0] == "the":
        tokens = tokens[1:]
    variants = name_variants()
    return " ".join(variants.get(t, t) for t in tokens)


@lru_cache(maxsize=1)
def minor_words() -> frozenset[str]:
    """Words an acronym may skip ("of", "and", "the"): title_case_minor_words of data/metadata_patterns.yaml."""
    data = yaml_mapping("metadata_patterns.yaml")
    return frozenset(str(w).casefold() for w in data.get("title_case_minor_words", []))


def slug(key: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "x"


@dataclass
class Sighting:
    """One paper's use of a name: the form, its country, year, mentions."""
    doc_id: str
    name: str
    iso3: str = ""
    year: Optional[int] = None
    mentions: int = 0


@dataclass
class Entry:
    key: str
    iso3: str
    forms: Counter = field(default_factory=Counter)
    papers: set = field(default_factory=set)
    years: set = field(default_factory=set)
    mentions: int = 0
    measures: int = 0
    value_usd: Decimal = Decimal(0)
    usd_measures: int = 0
    note: str = ""

    entry_id: str = ""


class Registry:
    """Builds one registry from sightings, then resolves (doc_id, name) to an id."""

    def __init__(self, sightings: Iterable[Sighting], skip_docs: Iterable[str] = ()):
        self.skip = set(skip_docs)
        sightings = [s for s in sightings if name_key(s.name)]
        countries: dict[str, set[str]] = defaultdict(set)
        for s in sightings:
            if s.iso3:
                countries[name_key(s.name)].add(s.iso3)
        self.entries: dict[tuple[str, str], Entry] = {}
        self._by_doc: dict[tuple[str, str], tuple[str, str]] = {}
        for s in sightings:
            key = name_key(s.name)
            iso3 = s.iso3
            note = ""
            if not iso3:
                found = countries.get(key, set())
                if len(found) == 1:
                    iso3 = next(iter(found))
                elif len(found) > 1:
                    note = f"ambiguous: the same name is also used in {', '.join(sorted(found))}; not merged"
            entry = self.entries.get((key, iso3))
            if entry is None:
                entry = self.entries[(key, iso3)] = Entry(key=key, iso3=iso3)
            entry.note = entry.note or note
            self._by_doc[(s.doc_id, s.name)] = (key, iso3)
            self._by_doc.setdefault((s.doc_id, key), (key, iso3))
            if s.doc_id in self.skip:
                continue
            entry.forms[s.name] += max(1, s.mentions)
            entry.papers.add(s.doc_id)
            entry.mentions += s.mentions
            if s.year is not None:
                entry.years.add(s.year)

        self._merge_acronyms()
        # ids: slug of the key and the country; two keys with one slug (only
        # accents or symbols differ) get a short hash of the key appended
        slugs = Counter(f"{slug(k)}-{(c or 'xx').lower()}" for k, c in self.entries)
        for (key, iso3), entry in self.entries.items():
            base = f"{slug(key)}-{(iso3 or 'xx').lower()}"
            entry.entry_id = base if slugs[base] == 1 else f"{base}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"

    def _merge_acronyms(self) -> None:
        minor = minor_words()
        initials: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, iso3 in self.entries:
            words = key.split()
            if len(words) >= 2:
                forms = {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in minor)}
                for form in forms:
                    if len(form) >= 2:
                        initials[form].append((key, iso3))
        for (key, iso3), entry in list(self.entries.items()):
            if " " in key or not (2 <= len(key) <= 10) or not key.isalpha():
                continue
            if not all(f.strip().upper() == f.strip() for f in entry.forms) and entry.forms:
                continue                      # only names written as acronyms ("SBIR", not "Horizon")
            candidates = sorted({c for c in initials.get(key, []) if not iso3 or not c[1] or c[1] == iso3})
            if len(candidates) > 1:
                names = "; ".join(f"{k} ({c or 'no country'})" for k, c in candidates)
                entry.note = entry.note or f"ambiguous acronym: could be {names}; not merged"
                continue
            if len(candidates) != 1:
                continue
            target = self.entries[candidates[0]]
            target.forms.update(entry.forms)
            target.papers |= entry.papers
            target.years |= entry.years
            target.mentions += entry.mentions
            for ref, where in self._by_doc.items():
                if where == (key, iso3):
                    self._by_doc[ref] = candidates[0]
            del self.entries[(key, iso3)]

    def lookup(self, doc_id: str, name: str) -> Optional[Entry]:
        if not name:
            return None
        found = self._by_doc.get((doc_id, name)) or self._by_doc.get((doc_id, name_key(name)))
        return self.entries.get(found) if found else None

    def add_measure(self, doc_id: str, name: str, value_usd: Optional[Decimal]) -> str:
        """Count a measure for the entry of (doc_id, name); its id ("" when the name is unknown)."""
        entry = self.lookup(doc_id, name)
        if entry is None:
            return ""
        if doc_id not in self.skip:
            entry.measures += 1
            if value_usd is not None:
                entry.value_usd += value_usd
                entry.usd_measures += 1
        return entry.entry_id

    def rows(self, id_column: str) -> list[dict]:
        out = []
        for entry in self.entries.values():
            if not entry.papers:        # named only by duplicates
                continue
            # the canonical name: the form used most, ties by the first in alphabetical order
            name = sorted(entry.forms.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            out.append({
                id_column: entry.entry_id,
                "name": name,
                "aliases": "; ".join(sorted(f for f in entry.forms if f != name)),
                "iso3": entry.iso3,
                "papers": ";".join(sorted(entry.papers)),
                "n_papers": len(entry.papers),
                "first_year": min(entry.years) if entry.years else None,
                "last_year": max(entry.years) if entry.years else None,
                "mentions": entry.mentions,
                "measures": entry.measures,
                "value_usd": entry.value_usd if entry.usd_measures else None,
                "note": entry.note,
            })
        out.sort(key=lambda r: r[id_column])
        return out
