"""Load the extract stage's knowledge tables from pipeline/data (cached), read
through ``pipeline.data_access`` (a bad row names its file and line)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from ..data_access import read_csv


@dataclass
class SectorVocab:
    pattern_exact: re.Pattern | None
    pattern_folded: re.Pattern | None
    canonical_of: dict[str, str] = field(default_factory=dict)  # key: exact or casefolded synonym
    # casefolded single words that need domain context ("software", "retail")
    ambiguous: frozenset[str] = frozenset()
    # casefolded context cues ("industry", "sector", "technology")
    context_cues: frozenset[str] = frozenset()


def _is_acronym(word: str) -> bool:
    # "AI", "ICT", "IoT", "UAVs": matched case-sensitively so that "it" is not IT.
    return " " not in word and sum(c.isupper() for c in word) >= 2


def _alternation(words: list[str]) -> str:
    # Longest first so that "industrial robots" beats "robots".
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def sector_matches(text: str, vocab: SectorVocab) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of every vocabulary word in ``text``, exact acronyms first."""
    out = []
    if vocab.pattern_exact is not None:
        for m in vocab.pattern_exact.finditer(text):
            canonical = vocab.canonical_of.get(m.group(0), "")
            if canonical:
                out.append((m.start(), m.end(), canonical))
    if vocab.pattern_folded is not None:
        for m in vocab.pattern_folded.finditer(text):
            canonical = vocab.canonical_of.get(m.group(0).casefold(), "")
            if canonical:
                out.append((m.start(), m.end(), canonical))
    return out


@functools.lru_cache(maxsize=8)
def sector_vocab(name: str = "sectors.csv") -> SectorVocab:
    exact: list[str] = []
    folded: list[str] = []
    canonical_of: dict[str, str] = {}
    ambiguous: set[str] = set()
    cues: set[str] = set()
    for row in read_csv(name):
        canonical, context = row.get("canonical", ""), row.get("context", "")
        if context == "cue" and row.get("synonym"):
            cues.add(row["synonym"].casefold())
            continue
        if not canonical:
            continue
        if context == "ambiguous" and row.get("synonym"):
            ambiguous.add(row["synonym"].casefold())
        for word in {canonical, row.get("synonym", "")}:
            if not word:
                continue
            if _is_acronym(word):
                exact.append(word)
                canonical_of[word] = canonical
            else:
                folded.append(word)
                canonical_of[word.casefold()] = canonical
    edge_l, edge_r = r"(?<![\w-])", r"(?![\w-])"
    return SectorVocab(
        pattern_exact=re.compile(edge_l + "(?:" + _alternation(exact) + ")" + edge_r) if exact else None,
        pattern_folded=re.compile(edge_l + "(?:" + _alternation(folded) + ")" + edge_r, re.IGNORECASE) if folded else None,
        canonical_of=canonical_of,
        ambiguous=frozenset(ambiguous),
        context_cues=frozenset(cues),
    )


@dataclass
class NameVocab:
    program_heads: frozenset[str]
    org_heads: frozenset[str]
    reference_words: frozenset[str]
    generic_words: frozenset[str]
    connectors: frozenset[str]
    cue_words: frozenset[str]
    # alias -> (canonical, iso3)
    org_aliases: dict[str, tuple[str, str]]
    org_alias_pattern: re.Pattern | None
    # org heads that also name companies/services: need more evidence (org_heads.csv role=weak)
    weak_org_heads: frozenset[str] = frozenset()
    # words that mark a body as public ("National", "Federal")
    public_modifiers: frozenset[str] = frozenset()
    # lower-case heads after a short proper name ("the Noste programme")
    lower_heads: frozenset[str] = frozenset()
    # lower-case heads after a quoted name ('the "X" measures')
    quoted_heads: frozenset[str] = frozenset()
    # heads that make a name only with three content words or an acronym pair ("... Tax Credit")
    weak_program_heads: frozenset[str] = frozenset()
    # programme names without a head noun (program_aliases.csv): alias -> (canonical, iso3)
    program_aliases: dict[str, tuple[str, str]] = field(default_factory=dict)
    program_alias_pattern: re.Pattern | None = None
    # acronyms naming a series of projects: "IPCEI on <topic>" (role=series)
    program_series: frozenset[str] = frozenset()
    # lower-case descriptors that make an appositive name a PROGRAM / ORG
    # ("X, the country's new industrial policy,"; "its development agency, X")
    program_descriptors: frozenset[str] = frozenset()
    org_descriptors: frozenset[str] = frozenset()
    # heads of documents that a paper speaks through, not programmes of its measures ("Budget 2016")
    document_heads: frozenset[str] = frozenset()
    # country names that end the names of a government's bodies ("Natural Resources Canada")
    org_country_tails: frozenset[str] = frozenset()
    # plural instrument nouns of a heading whose numbered sub-headings each name one instrument
    # ("3.4 Incentives and Subsidies" > "3.4.2 Freight Subsidy"), lower-cased (role=item_parent)
    item_parents: frozenset[str] = frozenset()
    # words of a sub-heading about procedure, not an instrument ("Eligibility"), lower-cased (role=not_item)
    not_item_words: frozenset[str] = frozenset()
    # names of funding-instrument types, not programmes ("Coordination and Support Action"), lower-cased
    # (role=action_type)
    action_types: frozenset[str] = frozenset()
    # lower-case heads of bodies as statutes write them ("the department of transportation"; role=statute_head)
    statute_heads: frozenset[str] = frozenset()


@functools.lru_cache(maxsize=8)
def name_vocab(program_heads: str = "program_heads.csv", org_heads: str = "org_heads.csv",
               org_aliases: str = "org_aliases.csv", program_aliases: str = "program_aliases.csv") -> NameVocab:
    heads, refs, generic, connectors, cues = set(), set(), set(), set(), set()
    lower_heads, quoted_heads, weak_heads = set(), set(), set()
    prog_descriptors: set[str] = set()
    document_heads: set[str] = set()
    item_parents: set[str] = set()
    not_item: set[str] = set()
    action_types: set[str] = set()
    for row in read_csv(program_heads):
        word, role = row.get("word", ""), row.get("role", "")
        if not word:
            continue
        if role == "weak_head":
            heads.add(word)
            weak_heads.add(word)
            continue
        {"head": heads, "reference": refs, "generic": generic, "connector": connectors, "cue": cues,
         "lower_head": lower_heads, "quoted_head": quoted_heads,
         "descriptor": prog_descriptors, "document": document_heads, "item_parent": item_parents,
         "not_item": not_item, "action_type": action_types}.get(role, set()).add(word)
    org_rows = [row for row in read_csv(org_heads) if row.get("word")]
    orgs = {row["word"] for row in org_rows if row.get("role", "strong") in ("strong", "weak")}
    weak = {row["word"] for row in org_rows if row.get("role") == "weak"}
    modifiers = {row["word"] for row in org_rows if row.get("role") == "modifier"}
    org_descriptors = {row["word"] for row in org_rows if row.get("role") == "descriptor"}
    country_tails = {row["word"] for row in org_rows if row.get("role") == "country_tail"}
    statute_heads = {row["word"] for row in org_rows if row.get("role") == "statute_head"}
    aliases = {row["alias"]: (row.get("canonical", "") or row["alias"], row.get("iso3", ""))
               for row in read_csv(org_aliases) if row.get("alias")}
    # Multi-word names match in any case ("european commission" in lower-cased
    # text); short forms only as written ("NASA", not "nasa").
    long_names = [a for a in aliases if " " in a]
    short = [a for a in aliases if " " not in a]
    pattern = re.compile(r"(?<![\w-])(?:(?i:" + _alternation(long_names) + r")|" + _alternation(short) + r")(?![\w-])") if aliases else None
    for alias in long_names:
        aliases.setdefault(alias.casefold(), aliases[alias])
    prog_rows = [row for row in read_csv(program_aliases) if row.get("alias")] if program_aliases else []
    prog_aliases = {row["alias"]: (row.get("canonical", "") or row["alias"], row.get("iso3", "")) for row in prog_rows}
    series = frozenset(row["alias"] for row in prog_rows if row.get("role") == "series")
    prog_pattern = re.compile(r"(?<![\w-])(?:" + _alternation(list(prog_aliases)) + r")(?![\w-])") \
        if prog_aliases else None
    return NameVocab(frozenset(heads), frozenset(orgs), frozenset(refs), frozenset(generic),
                     frozenset(connectors), frozenset(cues), aliases, pattern,
                     frozenset(weak), frozenset(modifiers), frozenset(lower_heads),
                     frozenset(lower_heads | quoted_heads), frozenset(weak_heads),
                     prog_aliases, prog_pattern, series,
                     frozenset(prog_descriptors), frozenset(org_descriptors),
                     frozenset(w.lower() for w in document_heads), frozenset(country_tails),
                     frozenset(w.lower() for w in item_parents), frozenset(w.lower() for w in not_item),
                     action_types=frozenset(w.lower() for w in action_types),
                     statute_heads=frozenset(statute_heads))


@dataclass
class CountVocab:
    units: frozenset[str]
    # nouns that count instances of the unit after "of" ("100 examples of awards")
    partitives: frozenset[str]
    # words that make the number after them a label ("Table 2", "Phase 3")
    labels: frozenset[str]
    # units counted as actors/outputs: a measure only with a support cue
    population: frozenset[str]
    support_cue: re.Pattern | None
    # qualifier phrase (lower case) -> approx code
    qualifiers: dict[str, str]
    qualifier_pattern: re.Pattern | None


# Regular English endings a support-cue stem may take (see count_units.csv, kind=support_cue).
_SUPPORT_ENDINGS = r"(?:s|es|ed|d|ing|e|y|ies|ied|ise|ises|ised|ising|ize|izes|ized|izing|ment|ments)?"


@functools.lru_cache(maxsize=8)
def count_vocab(name: str = "count_units.csv") -> CountVocab:
    units, partitives, labels, population, cues, qualifiers = set(), set(), set(), set(), [], {}
    for row in read_csv(name):
        word, kind = row.get("word", ""), row.get("kind", "")
        if kind in ("unit", "population") and word:
            units.add(word)
            if kind == "population":
                population.add(word.lower())
        elif kind == "support_cue" and word:
            cues.append(word.lower())
        elif kind == "partitive" and word:
            partitives.add(word.lower())
        elif kind == "label" and word:
            labels.add(word.lower())
        elif kind == "qualifier" and word:
            qualifiers[word.lower()] = row.get("approx", "")
    # A qualifier that ends right before the number: "about 200".
    pattern = re.compile(r"(?<![\w-])(?:" + _alternation(list(qualifiers)) + r")\s+$", re.IGNORECASE) if qualifiers else None
    return CountVocab(frozenset(units), frozenset(partitives), frozenset(labels), frozenset(population),
                      re.compile(r"(?<![\w-])(?:" + _alternation(cues) + r")" + _SUPPORT_ENDINGS + r"(?![\w-])",
                                 re.IGNORECASE) if cues else None,
                      qualifiers, pattern)


@functools.lru_cache(maxsize=8)
def law_pattern_table(name: str = "law_patterns.csv") -> tuple[tuple[re.Pattern, str], ...]:
    """(compiled citation pattern, iso3) rows of law_patterns.csv."""
    return tuple((re.compile(row["pattern"]), row.get("iso3", ""))
                 for row in read_csv(name) if row.get("pattern"))


@functools.lru_cache(maxsize=4)
def implied_names(name: str = "implied_names.csv") -> tuple[tuple[str, str, str, str, str], ...]:
    """(word, type, canonical, iso3, requires_iso3) rows of implied_names.csv."""
    return tuple((r["word"], r["type"], r["canonical"], r.get("iso3", ""), r.get("requires_iso3", ""))
                 for r in read_csv(name) if r.get("word") and r.get("type") in ("ORG", "COUNTRY"))
