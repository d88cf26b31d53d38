"""The country of a measure: the acting country of its sentence, else its heading,
paragraph or the document's main country, with a confidence per level (see the
package docstring).
"""

from __future__ import annotations

import functools
import re
from typing import Optional

import pycountry

from ..jurisdiction import DOCUMENT_VOTE, vote_country
from ..normalize.currencies import currencies_of
from ..normalize.geo import Gazetteer
from ..records import (
    Mention,
    Paragraph,
)
from .cues import Cues, load_cues
from .index import DocIndex, collapse, distance

CONF_ACTOR = 0.9
CONF_SENTENCE = 0.8
CONF_SENTENCE_ORG = 0.75
CONF_HEADING = 0.7
CONF_PARAGRAPH = 0.6
CONF_PARAGRAPH_AFTER = 0.5
CONF_PARAGRAPH_NAMED = 0.45
CONF_DOCUMENT = 0.4
CONF_NONE = 0.2


def _is_actor(index: DocIndex, c: Mention, sent: tuple[int, int], cues: Cues) -> bool:
    after = index.text[c.end:min(sent[1], c.end + 80)]
    if cues.actor_noun.match(after) or cues.actor_verb.match(after):
        return True
    return False


def after_non_actor_prep(index: DocIndex, c: Mention, cues: Cues) -> bool:
    lead = index.text[max(0, c.start - 14):c.start]
    if cues.non_actor_prep.search(lead):
        return True
    # LINK-PLACE-COORDINATED-SITE: "services in Harbourton and Port Ellis", "exports to A or B": a
    # place joined by "and"/"or" to a place after a locative preposition is a site too
    joined = _PLACE_JOINER.search(index.text, max(0, c.start - 8), c.start)
    if joined is None:
        return False
    before = [p for p in index.of_type_in([c.type], max(0, c.start - 80), joined.start())
              if p.end <= joined.start() and not index.text[p.end:joined.start()].strip()]
    return bool(before) and after_non_actor_prep(index, before[-1], cues)


_PLACE_JOINER = re.compile(r"(?:\s*,\s*(?:and|or)\s+|\s+(?:and|or|&)\s+)(?:the\s+)?$")


def _in_comparison(index: DocIndex, c: Mention, cues: Cues) -> bool:
    """The country is the other term of a comparison ("like Austria", "than in France")."""
    lead = index.text[max(0, c.start - 40):c.start]
    return bool(cues.comparison.search(lead))


# LINK-COUNTRY-EXCLUDED: a place a measure leaves out ("freight subsidy on exports excluding Harbouria",
# "outside the Capital District") is neither its country nor its region
_EXCLUDING = re.compile(r"\b(?:outside|outside\s+of|except(?:\s+for|\s+in)?|excluding|other\s+than|beyond)"
                        r"\s+(?:(?:the|a|an)\s+)?(?:[\w’'-]+[,]?\s+){0,6}?$", re.IGNORECASE)


def excluded_place(index: DocIndex, r: Mention) -> bool:
    """The place stands in a phrase of exclusion ("outside X and Y") that ends right before it."""
    before = index.text[max(0, r.start - 80):r.start]
    before = re.split(r"[.;:()]", before)[-1]
    return bool(_EXCLUDING.search(before))


# a speaker's own country ("we account for 10% of global output") is named by a first-person pronoun
_FIRST_PERSON = re.compile(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)


_WORLD = re.compile(r"\bworld\b", re.IGNORECASE)


_SEGMENT_BREAK = re.compile(r"[,;:]|\s(?:and|while|whereas|but)\s")


def _sentence_country(index: DocIndex, q: Mention, sent: tuple[int, int], clause: tuple[int, int],
                      indicator: bool, keep_compared: bool = False) -> tuple[str, float]:
    """Country of the quantity's sentence. A country named only in a comparison
    is dropped when another country of the sentence remains; when all are, none
    is chosen (the section decides) unless ``keep_compared``."""
    cues = load_cues()
    countries = [c for c in index.of_type_in(["COUNTRY"], sent[0], sent[1])
                 if c.iso3 and not excluded_place(index, c)]
    group = cues.country_group.match(index.text[q.end:clause[1]]) if indicator else None
    # LINK-COUNTRY-WORLD-SHARE: "Ruritania alone makes 80% of the world's ferries" is the country's
    # share of the world: a country before the amount in its clause keeps it
    if group and not (_WORLD.search(group.group(0))
                      and any(clause[0] <= c.start and c.end <= q.start for c in countries)):
        return "", CONF_SENTENCE
    if indicator and cues.contrast is not None:
        # a statistic is not about a country set apart after it by "although", "except", ...
        # ("typically 5% to 7%, although ... 10% in Italy"); a country before the marker
        # may still govern ("In Germany, although growth slowed, ... reached 3.1%")
        countries = [c for c in countries if not (c.start >= q.end and cues.contrast.search(
            index.text[q.end:c.start]))]
    if indicator and not [c for c in countries if clause[0] <= c.start and c.end <= clause[1]] \
            and cues.group_framed.search(index.text[sent[0]:sent[1]]):
        return "", CONF_SENTENCE   # "in all member states ... typically by 5% to 7%"
    if indicator and not countries and cues.global_words is not None \
            and cues.global_words.search(index.text[sent[0]:sent[1]]) \
            and not _named_in(index, sent[0], sent[1]) and not _FIRST_PERSON.search(index.text[sent[0]:sent[1]]):
        return "", CONF_SENTENCE   # LINK-COUNTRY-GLOBAL: "20% of global jobs": no country's
    if countries and not keep_compared:
        plain = [c for c in countries if not _in_comparison(index, c, cues)]
        if not plain:
            return "", 0.0
        countries = plain
    if countries and not indicator and all(after_non_actor_prep(index, c, cues) for c in countries):
        # "Seoul will fund machines from a German supplier": a country named only as a
        # source, site or destination is not the actor; the sentence's region or body, else
        # the heading or the paper, decides (a statistic keeps the country it describes)
        countries = []
    if countries:
        first_free = next((c for c in countries if not after_non_actor_prep(index, c, cues)), None)
        best: Optional[tuple[float, int, Mention, bool]] = None
        for c in countries:
            d = distance(c.start, c.end, q.start, q.end)
            actor = _is_actor(index, c, sent, cues)
            score = -d / 100.0
            if clause[0] <= c.start and c.end <= clause[1]:
                score += 1.0
            if not indicator:
                if actor:
                    score += 2.0
                elif c is first_free and c.end <= q.start:
                    score += 1.0        # the sentence's subject, before the quantity
                elif after_non_actor_prep(index, c, cues):
                    score -= 0.5
            elif first_free is not None and c is not first_free \
                    and cues.flow_prep.search(index.text[max(0, c.start - 14):c.start]):
                score -= 0.5            # "<A>'s exports to <B> were ...": a flow's far end
            if indicator and c.end <= q.start and not _SEGMENT_BREAK.search(index.text, c.end, q.start):
                # LINK-COUNTRY-SEGMENT-BEFORE: "A's grew by 20%, B's by 21%": in a series of statistics
                # the country before the figure in its own comma segment is the one it describes
                score += 0.5
            key = (score, -c.start, c, actor)
            if best is None or key[:2] > best[:2]:
                best = key
        assert best is not None
        chosen, actor = best[2], best[3]
        return chosen.iso3, (CONF_ACTOR if actor or (not indicator and chosen is first_free
                                                      and chosen.end <= q.start) else CONF_SENTENCE)
    regions = [r for r in index.of_type_in(["REGION"], sent[0], sent[1]) if r.iso3]
    if regions:
        r = min(regions, key=lambda r: (distance(r.start, r.end, q.start, q.end), r.start))
        return r.iso3, CONF_SENTENCE
    named = [m for m in index.of_type_in(["ORG", "PROGRAM"], sent[0], sent[1]) if m.iso3]
    if named:
        m = min(named, key=lambda m: (distance(m.start, m.end, q.start, q.end), m.start))
        return m.iso3, CONF_SENTENCE_ORG
    # LINK-COUNTRY-NATIONAL-BODY (beneficiary_cues.yaml): "the Ministry of Industry will grant ..." in a
    # paper about one country is that country's measure, whatever country the paragraph named before
    bodies = [m for m in index.of_type_in(["ORG"], sent[0], sent[1])
              if not m.iso3 and cues.national_body.search((m.canonical or m.text).strip())]
    if bodies:
        iso = _document_country(index)
        if iso:
            return iso, CONF_SENTENCE_ORG
    return "", 0.0


def countries_in(index: DocIndex, lo: int, hi: int) -> list[Mention]:
    return [c for c in index.of_type_in(["COUNTRY"], lo, hi) if c.iso3]


def _named_in(index: DocIndex, lo: int, hi: int) -> list[Mention]:
    """ORG, PROGRAM and REGION mentions with a known country, in text order."""
    return [m for m in index.of_type_in(["ORG", "PROGRAM", "REGION"], lo, hi) if m.iso3]


def logical_paragraph(index: DocIndex, pi: int) -> tuple[int, int]:
    """Paragraph index range [first, pi]: a body paragraph that starts in lower
    case continues the one before it (a paragraph split by a page break)."""
    first = pi
    while first > 0:
        para = index.paragraphs[first]
        prev = index.paragraphs[first - 1]
        stripped = para.text.lstrip()
        if para.kind == "body" and prev.kind == "body" and stripped[:1].islower():
            first -= 1
        else:
            break
    return first, pi


def run_in_heading_end(para: Paragraph) -> Optional[int]:
    """End offset of a run-in heading ("Germany Expands Its Training Policy. ...")."""
    m = re.match(r"\s*([^.!?:]{3,140}?)[.:]\s+(?=\S)", para.text)
    if not m:
        return None
    words = re.findall(r"[A-Za-z][\w’'-]*", m.group(1))
    if not (2 <= len(words) <= 14):
        return None
    content = [w for w in words if len(w) > 3]
    if not content:
        return None
    capitalized = sum(1 for w in content if w[0].isupper())
    if capitalized / len(content) < 0.75:
        return None
    return para.start + m.end(1)


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return Gazetteer.default()


@functools.lru_cache(maxsize=4096)
def _iso3_in_string(text: str) -> str:
    """The country a section title names: Gazetteer.default().find (COUNTRY
    matches first, then a REGION's country), else pycountry names."""
    if not text.strip():
        return ""
    found = _gazetteer().find(text)
    for wanted in ("COUNTRY", "REGION"):
        isos = [p.iso3 for p in found if p.type == wanted and re.fullmatch(r"[A-Z]{3}", p.iso3 or "")]
        if isos:
            return isos[0] if len(set(isos)) == 1 else ""
    return _pycountry_in_string(text)


@functools.lru_cache(maxsize=1)
def _pycountry_names() -> list[tuple[re.Pattern[str], str]]:
    pairs: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name and len(name) > 3:
                pairs[name] = c.alpha_3
    return [(re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)"), iso)
            for n, iso in sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0]))]


@functools.lru_cache(maxsize=4096)
def _pycountry_in_string(text: str) -> str:
    found = {iso for pat, iso in _pycountry_names() if pat.search(text)}
    return found.pop() if len(found) == 1 else ""


def _heading_country(index: DocIndex, pi: int, first: int) -> str:
    para = index.paragraphs[pi]
    # Run-in heading at the start of the logical paragraph.
    lead = index.paragraphs[first]
    end = run_in_heading_end(lead)
    if end is not None:
        iso = _single_country(countries_in(index, lead.start, end))
        if iso:
            return iso
    iso = _one_word_run_in_country(index, lead)
    if iso:
        return iso
    # Heading paragraphs the paragraph stands under, most specific first.
    components = [c.strip() for c in para.section.split(">") if c.strip()] if para.section else []
    headings = [(j, h) for j, h in enumerate(index.paragraphs[:first]) if h.kind == "heading"]
    if components:
        for comp in reversed(components):
            match = next((h for _, h in reversed(headings) if norm_heading(h.text) == norm_heading(comp)), None)
            if match is not None:
                iso = _single_country(countries_in(index, match.start, match.end))
                if iso:
                    return iso
            iso = _iso3_in_string(comp)
            if iso:
                return iso
    elif headings:
        return _ancestor_heading_country(index, [h for _, h in headings])
    return ""


def _one_word_run_in_country(index: DocIndex, lead: Paragraph) -> str:
    """A paragraph opening with a country alone as its run-in heading ("Austria. The fund ...")."""
    first_country = next(iter(countries_in(index, lead.start, lead.end)), None)
    if first_country is None or index.text[lead.start:first_country.start].strip():
        return ""
    if re.match(r"[.:]\s+(?=[A-Z\"“(])", index.text[first_country.end:first_country.end + 4]):
        return first_country.iso3
    return ""


_HEADING_NUMBER = re.compile(r"\s*(?:(#{1,6})\s|(\d{1,2}(?:\.\d{1,2})*)\.?\s|([IVX]{1,5})\.\s)")


def _heading_level(text: str) -> Optional[int]:
    """Depth of a heading from its markup or numbering ("## ", "3.", "3.1", "II."); None if unnumbered."""
    m = _HEADING_NUMBER.match(text)
    if not m:
        return None
    if m.group(1):
        return len(m.group(1))
    if m.group(2):
        return m.group(2).count(".") + 1
    return 1


def _ancestor_heading_country(index: DocIndex, headings: list[Paragraph]) -> str:
    """Country of the nearest heading before a paragraph without a section path, else of
    the nearest ancestor by numbering ("2. Germany" governs "2.1 Funding"); a heading naming
    several countries or none passes on to its ancestor; unnumbered headings end the walk."""
    limit: Optional[int] = None
    for h in reversed(headings):
        level = _heading_level(h.text)
        if limit is not None and (level is None or level >= limit):
            continue
        iso = _single_country(countries_in(index, h.start, h.end)) or _iso3_in_string(h.text)
        if iso:
            return iso
        if level is None or level <= 1:
            return ""
        limit = level
    return ""


def _single_country(found: list[Mention]) -> str:
    """The country a heading is about; none when it lists several ("Trends in
    the United States, Germany and Japan" governs no single paragraph)."""
    distinct = {c.iso3 for c in found}
    return found[0].iso3 if len(distinct) == 1 else ""


@functools.lru_cache(maxsize=16384)
def norm_heading(text: str) -> str:
    return collapse(re.sub(r"^[\d.\sIVXivx)]+(?=[A-Za-z])", "", text)).lower().rstrip(".:")


def _document_country(index: DocIndex) -> str:
    """The paper's main country, if one dominates its country vote."""
    if index._document_country is None:
        share = load_cues().document_country_min_share
        index._document_country = _most_mentioned_country(index, min_share=share, skip_compared=True)
    return index._document_country


def _most_mentioned_country(index: DocIndex, exclude: frozenset[str] = frozenset(),
                            min_share: float = 0.0, skip_compared: bool = False, min_votes: float = 0.0) -> str:
    """The paper's most mentioned country outside ``exclude`` (the document
    vote of pipeline/jurisdiction.py); none when it holds less than
    ``min_share`` of that vote or fewer than ``min_votes``. ``skip_compared``
    leaves out countries named only as the other term of a comparison."""
    cues = load_cues() if skip_compared else None
    voters = [c for mtype in DOCUMENT_VOTE for c in index.by_type.get(mtype, [])]
    skip = (lambda c: c.type == "COUNTRY" and _in_comparison(index, c, cues)) if cues is not None else None
    return vote_country(voters, exclude, min_share, min_votes, skip)


def assign_country(index: DocIndex, q: Mention, sent: tuple[int, int], clause: tuple[int, int],
                   indicator: bool = False) -> tuple[str, float]:
    """(iso3, confidence) of the actor for the quantity ``q``; see the module docstring."""
    iso, conf = _sentence_country(index, q, sent, clause, indicator)
    if iso and not indicator and conf == CONF_SENTENCE:
        heading = _site_only_sentence_heading(index, q, sent)
        if heading and heading != iso:
            return heading, CONF_HEADING
    if iso or conf:
        return iso, conf
    iso, conf = _context_country(index, q, sent)
    if not iso:
        # the sentence names countries only in comparisons and nothing else tells
        iso, conf = _sentence_country(index, q, sent, clause, indicator, keep_compared=True)
        if iso or conf:
            return iso, conf
        iso, conf = "", CONF_NONE
    cues = load_cues()
    if iso in cues.supranational and cues.domestic_actor.search(index.text[sent[0]:sent[1]]):
        # "Regional money comes from the regional budget": the member state's money, not the
        # union's; the member is the paper's most mentioned country that is not a union.
        member = _most_mentioned_country(index, cues.supranational)
        if member:
            return member, conf
    return iso, conf


def _site_only_sentence_heading(index: DocIndex, q: Mention, sent: tuple[int, int]) -> str:
    """The section heading's country when every country of the sentence is only a place
    or partner after a preposition ("exports to Austria", "plants in France"): in a
    country's section the money is still that country's."""
    cues = load_cues()
    countries = countries_in(index, sent[0], sent[1])
    if not countries or not all(after_non_actor_prep(index, c, cues) or _in_comparison(index, c, cues)
                                for c in countries):
        return ""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return ""
    first, _ = logical_paragraph(index, pi)
    return _heading_country(index, pi, first)


def _context_country(index: DocIndex, q: Mention, sent: tuple[int, int]) -> tuple[str, float]:
    """Country from the paragraph, its headings, then the document (the sentence names none)."""
    pi = index.paragraph_index(q.start)
    if pi >= 0:
        first, _ = logical_paragraph(index, pi)
        iso = _heading_country(index, pi, first)
        if iso:
            return iso, CONF_HEADING
        lo = index.paragraphs[first].start
        cues = load_cues()
        # LINK-COUNTRY-PARAGRAPH-ACTOR: a country the paragraph names only as a place, source or
        # partner ("a ban on imports from Ruritania") lends no country to its other sentences
        before = [c for c in countries_in(index, lo, sent[0]) if not after_non_actor_prep(index, c, cues)]
        if before:
            return before[-1].iso3, CONF_PARAGRAPH
        after = [c for c in countries_in(index, sent[1], min(index.paragraphs[pi].end,
                                                             sent[1] + cues.paragraph_after_reach))
                 if not after_non_actor_prep(index, c, cues)]
        if after:
            return after[0].iso3, CONF_PARAGRAPH_AFTER
        named_before = _named_in(index, lo, sent[0])
        if named_before:
            return named_before[-1].iso3, CONF_PARAGRAPH_NAMED
        named_after = _named_in(index, sent[1], index.paragraphs[pi].end)
        if named_after:
            return named_after[0].iso3, CONF_PARAGRAPH_NAMED
        iso = _country_beside_country_sections(index, index.paragraphs[pi].section)
        if iso is not None:
            return (iso, CONF_DOCUMENT) if iso else ("", CONF_NONE)
    iso = _document_country(index)
    if iso:
        return iso, CONF_DOCUMENT
    return "", CONF_NONE


def _country_beside_country_sections(index: DocIndex, section: str) -> Optional[str]:
    """"## Federal programmes" beside "## Austria": the unnamed section is not Austria's;
    the paper's main country outside its siblings' decides, if it is named more than once
    and not only in comparisons ("" when none is). None when no sibling names a country.
    Computed once per section."""
    if section not in index._beside_country_sections:
        siblings = _sibling_section_countries(index, section)
        index._beside_country_sections[section] = _most_mentioned_country(
            index, frozenset(siblings), skip_compared=True, min_votes=2.0,
            min_share=load_cues().document_country_min_share) if siblings else None
    return index._beside_country_sections[section]


def _sibling_section_countries(index: DocIndex, section: str) -> set[str]:
    """Countries named by the titles of the sections beside ``section`` (same parent)."""
    if not section:
        return set()
    parent, _, own = section.rpartition(" > ")
    if _iso3_in_string(own):
        return set()
    found = set()
    for path in index.section_paths():
        p_parent, _, title = path.rpartition(" > ")
        if p_parent == parent and title != own:
            iso = _country_in_title(title)
            if iso:
                found.add(iso)
    return found


_MAX_COUNTRY_TITLE_WORDS = 3


def _country_in_title(title: str) -> str:
    """The COUNTRY a short section title is about ("Austria", "Austrian programmes"); a
    region's title ("Bavaria") or a longer title that mentions a country on the way
    ("Ruritanian Annual Corporate Tax Return Form") names none here."""
    if len(norm_heading(title).split()) > _MAX_COUNTRY_TITLE_WORDS:
        return ""
    isos = {p.iso3 for p in _gazetteer().find(title) if p.type == "COUNTRY" and p.iso3}
    return next(iter(isos)) if len(isos) == 1 else ""


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def respectively_country(index: DocIndex, q: Mention, sent: tuple[int, int], quantities: list[Mention]) -> str:
    """'3.8%, 2.2% and 6.0% in Taiwan, Singapore and Israel respectively': the i-th
    quantity of the sentence goes with its i-th country."""
    if not _RESPECTIVELY.search(index.text[sent[0]:sent[1]]):
        return ""
    same = [m for m in quantities if m.type == q.type and sent[0] <= m.start and m.end <= sent[1]]
    countries: list[str] = []
    for c in countries_in(index, sent[0], sent[1]):
        if not countries or countries[-1] != c.iso3:
            countries.append(c.iso3)
    if len(same) < 2 or len(same) != len(countries) or len(set(countries)) != len(countries):
        return ""
    return countries[same.index(q)] if q in same else ""


def is_forecast(index: DocIndex, q: Mention, sent: tuple[int, int], country: str) -> bool:
    """LINK-TARGET-FORECAST (instrument_cues.yaml goal_words): a level said to come is no
    target of the paper when it is about another country than the paper's main one, or
    about the world, and no goal word of its sentence says someone aims at it (the
    caller keeps the targets of a country that acts in the sentence)."""
    cues = load_cues()
    sentence = index.text[sent[0]:sent[1]]
    if cues.goal_words.search(sentence):
        return False
    own = _document_country(index)
    if not own:
        return False
    named = {c.iso3 for c in countries_in(index, sent[0], sent[1])}
    if own in named:
        return False
    return bool(named) or (bool(country) and country != own) or bool(cues.world_words.search(sentence))


def own_currency_country(index: DocIndex, q: Mention, country: str, confidence: float) -> str:
    """LINK-COUNTRY-OWN-CURRENCY: the paper's main country for money in its own currency
    when the country found for it came from no actor (a place, a modifier, the paragraph)
    and does not use that currency; ``country`` unchanged otherwise."""
    if q.type != "MONEY" or not q.currency or not country or confidence >= CONF_ACTOR:
        return country
    cues = load_cues()
    main = _document_country(index)
    if not main or main == country or q.currency in cues.reporting_currencies:
        return country
    if q.currency in currencies_of(main) and q.currency not in currencies_of(country):
        return main
    return country
