"""Context that flows down to a measure: its region, sector and year from the clause,
sentence, paragraph lead, section heading or the paper itself.
"""

from __future__ import annotations

import functools
import re
from typing import Optional

from ..jurisdiction import paper_region, paper_sector, sector_name_words
from ..records import (
    Mention,
    Paragraph,
)
from .country import after_non_actor_prep, countries_in, excluded_place, logical_paragraph, norm_heading, run_in_heading_end
from ..extract.vocab import sector_matches, sector_vocab
from .cues import load_cues
from .index import DocIndex, distance


# LINK-REGION-EXCLUDED: a place the measure leaves out ("investment outside the Capital District and
# Port County", "all regions except Harbour County") is not where it applies (country.excluded_place)


def assign_region(index: DocIndex, q: Mention, clause: tuple[int, int], sent: tuple[int, int],
                  country: str) -> Optional[Mention]:
    """The subnational jurisdiction acting for the quantity, if any.

    A REGION of the quantity's clause, else sentence, that lies in the
    measure's country; a place after a locative preposition ("a plant in
    Magdeburg") is the site, not the actor, when the sentence names a
    COUNTRY. A sentence that names no COUNTRY and no REGION takes the region
    of its run-in or section heading ("Ohio. The package includes ..."), then,
    when it speaks of "the state"/"the province", the nearest REGION before it
    in its paragraph, then the region the document's title names alone
    ("Tamil Nadu Industrial Policy ...").
    """
    cues = load_cues()
    names_country = bool(countries_in(index, sent[0], sent[1]))
    site: Optional[Mention] = None
    for lo, hi in (clause, sent):
        found = [r for r in index.of_type_in(["REGION"], lo, hi)
                 if r.iso3 and (not country or r.iso3 == country)
                 and not (r.start < q.end and q.start < r.end) and not excluded_place(index, r)]
        if names_country:
            found = [r for r in found if not after_non_actor_prep(index, r, cues)]
        # "awarded $100 million to Maricopa County colleges": a place after the amount and
        # a preposition is where the money goes; the heading's region acts, when there is one.
        sites = [r for r in found if r.start >= q.end and after_non_actor_prep(index, r, cues)]
        if sites and len(sites) == len(found):
            site = site or min(sites, key=lambda r: r.start)
            continue
        if found:
            return min(found, key=lambda r: (distance(r.start, r.end, q.start, q.end) *
                                              (1.0 if r.end <= q.start else 2.0), r.start))
    if site is not None:
        pi = index.paragraph_index(q.start)
        heading = _heading_region(index, pi, logical_paragraph(index, pi)[0]) if pi >= 0 else None
        if heading is not None and (not country or heading.iso3 == country) \
                and (heading.canonical or heading.text) != (site.canonical or site.text):
            return heading
        # LINK-REGION-SITE-NATIONAL: in a paper that names its country and that no state, province or
        # city speaks for ("services in Harbourton and Port Ellis" in a national rail plan), a place
        # after a locative preposition is where the measure happens, not a subnational government acting
        national = paper_context(index)[1] is None and _title_region(index) is None \
            and bool(index.by_type.get("COUNTRY"))
        return None if national else site
    if names_country or index.of_type_in(["REGION"], sent[0], sent[1]):
        return None
    pi = index.paragraph_index(q.start)
    candidates: list[Optional[Mention]] = []
    if pi >= 0:
        first, _ = logical_paragraph(index, pi)
        candidates.append(_heading_region(index, pi, first))
        if cues.region_government.search(index.text[sent[0]:sent[1]]):
            before = [r for r in index.of_type_in(["REGION"], index.paragraphs[first].start, sent[0]) if r.iso3]
            candidates.append(before[-1] if before else None)
    candidates.append(_title_region(index))
    candidates.append(paper_context(index)[1])
    for r in candidates:
        if r is not None and (not country or r.iso3 == country):
            return r
    return None


def _places_in(name: str) -> list[tuple[str, str]]:
    """(canonical, iso3) of the subnational places inside a body's or program's name."""
    from ..normalize.geo import Gazetteer
    return [(p.canonical or p.text, p.iso3) for p in Gazetteer.default().find(name)
            if p.type == "REGION" and p.iso3]


# LINK-REGION-PROGRAM-NAME: a programme named for a state, province or city ("Harbour Bay Ferry Policy")
# is that government's: its measures that name no region of their own are that place's
def program_region(program: Mention, country: str) -> Optional[Mention]:
    place = _leading_jurisdiction(re.sub(r"^(?:the|The)\s+", "", program.canonical or program.text))
    if place is None or (country and place[2] != country):
        return None
    return Mention(doc_id=program.doc_id, mention_id="", type="REGION", text=place[0],
                   start=program.start, end=program.start, canonical=place[1], iso3=place[2])


@functools.lru_cache(maxsize=1024)
def _leading_jurisdiction(name: str) -> Optional[tuple[str, str, str]]:
    """(text, canonical, iso3) of the state, province or city a name opens with, if any."""
    from ..normalize.geo import Gazetteer
    gazetteer = Gazetteer.default()
    found = gazetteer.find(name)
    if not found or found[0].start != 0 or found[0].type != "REGION" or not found[0].iso3 \
            or not gazetteer.is_jurisdiction(found[0].text):
        return None
    return found[0].text, found[0].canonical, found[0].iso3


def _is_city(name: str) -> bool:
    from ..normalize.geo import Gazetteer
    return Gazetteer.default().is_city(name)


def paper_context(index: DocIndex) -> tuple[str, Optional[Mention]]:
    """What the whole paper is about (pipeline/jurisdiction.py), computed once:
    its sector, and the state/province/city whose government it is about (as a
    REGION mention standing for the paper, at offset 0)."""
    if index._paper_context is None:
        mentions = [m for mtype in ("COUNTRY", "REGION", "ORG", "PROGRAM", "SECTOR")
                    for m in index.by_type.get(mtype, [])]
        sections = {p.section for p in index.paragraphs}
        first = index.paragraphs[0] if index.paragraphs else None
        title_end = first.end if first is not None and first.kind == "heading" else 0
        region = paper_region(mentions, _places_in, index.text, _is_city, title_end)
        as_mention = None
        if region is not None:
            as_mention = Mention(doc_id=index.parsed.doc_id, mention_id="", type="REGION", text=region[0],
                                 start=0, end=0, canonical=region[0], iso3=region[1])
        # LINK-SECTOR-PAPER-NAME-WORD: a sector word that names a body or fund ("department of health
        # services") is no vote for the paper's sector (an act funding many departments is about none)
        mentions = [m for m in mentions if not (m.type == "SECTOR" and _names_a_body(index.text, m))]
        index._paper_context = (paper_sector(mentions, sections, len(index.text), title_end,
                                              index.parsed.words or len(index.text.split())), as_mention)
    return index._paper_context


@functools.lru_cache(maxsize=1)
def _body_name_words() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a pattern ending right before a SECTOR mention, one starting right after it) that make the
    mention part of a body's or fund's name (geo_context.yaml, LINK-SECTOR-PAPER-NAME-WORD)."""
    before_words, head_words = sector_name_words()
    before = "|".join(re.escape(w) for w in before_words)
    heads = "|".join(re.escape(w) for w in head_words)
    return (re.compile(rf"(?i)\b(?:{before})[ \t]+(?:the[ \t]+)?$"),      # words of one line only
            re.compile(rf"(?i)^(?:[ \t]+[\w'’-]+){{0,3}}?[ \t]+(?:{heads})\b"))


def _names_a_body(text: str, m: Mention) -> bool:
    """Whether the SECTOR mention ``m`` is a word of a body's or fund's name ("department of health")."""
    before, after = _body_name_words()
    return bool(before.search(text, max(0, m.start - 40), m.start) or after.match(text[m.end:m.end + 60]))


_LEAD_DATE_BEFORE = re.compile(r"(?i)^\W*(?:by|in|until|through|before|from|for)\s+(?:the\s+end\s+of\s+)?$")
_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u25a0\u2023\u2043\u25e6*\u2013\u2014-]|\(?[a-z0-9]{1,3}[.)])\s")


def _lead_date(index: DocIndex, para: Paragraph, intro: bool = False) -> Optional[Mention]:
    """ "By 2030, ..." / "By 2030 China ...": a date framing the paragraph (any
    word may follow it in a list's introduction, "By 2030 the plan will:")."""
    dates = index.of_type_in(["DATE"], para.start, min(para.end, para.start + 40))
    if not dates:
        return None
    d = dates[0]
    if _LEAD_DATE_BEFORE.match(index.text[para.start:d.start]) \
            and re.match(r"\s*,|\s+\w" if intro else r"\s*,|\s+[A-Z]", index.text[d.end:d.end + 3]):
        return d
    return None


# LINK-YEAR-BUDGET-INTRO: a list introduced by a budget named with its year ("The 2031 Budget
# includes the following allocations:", "Budget 2031 provides:") states that budget's amounts
BUDGET_AFTER_YEAR = re.compile(r"^\s+(?:[Bb]udget|BUDGET)\b")
_BUDGET_BEFORE_YEAR = re.compile(r"\b(?:[Bb]udget|BUDGET)\s+$")


def _budget_year(index: DocIndex, para: Paragraph) -> Optional[Mention]:
    found = [d for d in index.of_type_in(["DATE"], para.start, para.end)
             if BUDGET_AFTER_YEAR.match(index.text[d.end:d.end + 10])
             or _BUDGET_BEFORE_YEAR.search(index.text[max(0, d.start - 10):d.start])]
    return found[0] if len({d.year for d in found}) == 1 else None


# LINK-YEAR-LIST-INTRO-SENTENCE: "Changes proposed for 1 March 2031 include the following: firstly, the
# ferry allowance rises ...": the one year of a sentence that opens a list with a colon dates the
# items after it in the same paragraph
_INTRO_COLON = re.compile(r"\b(?:the\s+following|as\s+follows)\s*:", re.IGNORECASE)


def _list_intro_date(index: DocIndex, q: Mention, para_start: int) -> Optional[Mention]:
    sent_start = index.sentence(q)[0]
    intros = list(_INTRO_COLON.finditer(index.text, para_start, sent_start))
    if not intros:
        return None
    colon = intros[-1].end()
    lo, _ = index.sentence_at(colon - 1, colon)
    dates = [d for d in index.of_type_in(["DATE"], max(lo, para_start), colon)]
    return dates[0] if dates and len({d.year for d in dates}) == 1 else None


def paragraph_lead_date(index: DocIndex, q: Mention) -> Optional[Mention]:
    """A date that opens the quantity's paragraph as a frame for all of it
    ("By 2025, the industry will ... and exports will reach 30%"), or opens an
    earlier item of the same bulleted list ("- By 2030 the country will ...",
    "- The industry will exceed ..."): the year of a quantity whose own
    sentence dates nothing."""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return None
    first = logical_paragraph(index, pi)[0]
    intro = _list_intro_date(index, q, index.paragraphs[first].start)
    if intro is not None:
        return intro
    for k in range(first, max(-1, first - 10), -1):
        para = index.paragraphs[k]
        bullet = _BULLET.match(para.text) is not None
        if k < first and not bullet:
            # the sentence that introduces the list ("By 2030 the plan will:")
            if not para.text.rstrip().endswith(":"):
                return None
            return _lead_date(index, para, intro=True) or _budget_year(index, para)
        found = _lead_date(index, para)
        if found is not None and found.start < q.start:
            return found
        if not bullet:
            return None
    return None


def heading_sector(index: DocIndex, q: Mention) -> str:
    """The one sector the section heading above the quantity names."""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return ""
    heading = section_heading(index, pi, logical_paragraph(index, pi)[0])
    if heading is None:
        return ""
    names = {(m.canonical or m.text) for m in index.of_type_in(["SECTOR"], heading.start, heading.end)}
    return names.pop() if len(names) == 1 else ""


# LINK-SECTOR-PARAGRAPH: a sentence that names no sector takes the one sector its paragraph named before it
def paragraph_sector(index: DocIndex, q: Mention) -> str:
    """LINK-SECTOR-PARAGRAPH: the one sector that the sentences of the quantity's paragraph
    before its own sentence name ("Electricity demand grew fast. It reached 5% a year":
    the paragraph is about the power sector); none when they name several, and a sector
    named after the sentence does not reach back to it."""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return ""
    first, _ = logical_paragraph(index, pi)
    sent = index.sentence(q)
    lo, hi = index.paragraphs[first].start, sent[0]
    if _names_other_sector(index, sent):
        return ""
    # a bullet glyph inside the paragraph starts another item: the sectors of earlier items are theirs
    bullet = max((index.text.rfind(g, lo, hi) for g in _ITEM_GLYPHS), default=-1)
    lo = max(lo, bullet + 1)
    names = {(m.canonical or m.text) for m in index.of_type_in(["SECTOR"], lo, hi)}
    return names.pop() if len(names) == 1 else ""


# LINK-SECTOR-OWN-UNLISTED: "Farm output will grow by 4 percent. The service sector will grow by 7
# percent.": a sentence that names its own sector, even one the vocabulary lacks ("the service
# sector", "the industrial sector"), does not take the paragraph's
_SECTOR_NOUN = re.compile(r"\b[A-Za-z][\w-]*\s+(?:sector|industry)\b", re.IGNORECASE)
_NOT_A_SECTOR_WORD = re.compile(r"^(?:the|this|that|each|every|any|whole|entire|private|public|same|other|"
                                r"formal|informal|real|overall|our|its|their)\s", re.IGNORECASE)


def _names_other_sector(index: DocIndex, sent: tuple[int, int]) -> bool:
    """Whether the sentence names a sector of its own ("the service sector") that no SECTOR
    mention covers."""
    covered = index.of_type_in(["SECTOR"], sent[0], sent[1])
    for m in _SECTOR_NOUN.finditer(index.text, sent[0], sent[1]):
        if _NOT_A_SECTOR_WORD.match(m.group()):
            continue
        if not any(c.start < m.end() and m.start() < c.end for c in covered):
            return True
    return False


# bullet glyphs that run list items together in one extracted paragraph, with the private-use
# code points PDF symbol fonts map their bullets to
_ITEM_GLYPHS = ("•", "▪", "◦", "‣", "●", "■", "\uf0a7", "\uf0b7", "\uf076", "\uf0d8")


def _single_region(found: list[Mention]) -> Optional[Mention]:
    regions = [r for r in found if r.iso3]
    names = {(r.canonical or r.text).casefold() for r in regions}
    return regions[0] if len(names) == 1 else None


def _heading_region(index: DocIndex, pi: int, first: int) -> Optional[Mention]:
    """The one REGION a run-in heading ("Ohio. ...") or the section heading names."""
    lead = index.paragraphs[first]
    end = run_in_heading_end(lead)
    if end is None:
        # A one-name run-in heading: the paragraph opens with a place and a full stop.
        opening = index.of_type_in(["REGION"], lead.start, lead.start + 60)
        if opening and not index.text[lead.start:opening[0].start].strip() \
                and re.match(r"\s*[.:]\s", index.text[opening[0].end:opening[0].end + 3]):
            end = opening[0].end
    if end is not None:
        if countries_in(index, lead.start, end):
            return None
        region = _single_region(index.of_type_in(["REGION"], lead.start, end))
        if region is not None:
            return region
    heading = section_heading(index, pi, first)
    if heading is not None and not countries_in(index, heading.start, heading.end):
        return _single_region(index.of_type_in(["REGION"], heading.start, heading.end))
    return None


def section_heading(index: DocIndex, pi: int, first: int) -> Optional[Paragraph]:
    """The heading paragraph of the innermost section that paragraph ``pi``
    (logically starting at ``first``) stands under, if it is in the text."""
    para = index.paragraphs[pi]
    components = [c.strip() for c in para.section.split(">") if c.strip()] if para.section else []
    if not components:
        return None
    last = norm_heading(components[-1])
    return next((h for h in reversed(index.paragraphs[:first])
                 if h.kind == "heading" and norm_heading(h.text) == last), None)


def _title_region(index: DocIndex) -> Optional[Mention]:
    """The region a document's title names, when it names one region and no country."""
    if index._title_region is None:
        found: Optional[Mention] = None
        title = next((p for p in index.paragraphs if p.kind == "heading"), None)
        if title is not None and title.start == index.paragraphs[0].start \
                and not countries_in(index, title.start, title.end):
            found = _single_region(index.of_type_in(["REGION"], title.start, title.end))
            if found is None:
                # The name may hide inside a longer title mention ("Tamil Nadu
                # Industrial Policy 2023"): a REGION named elsewhere whose
                # name stands in the title.
                named = [r for r in index.by_type.get("REGION", []) if r.iso3 and r.text.strip()
                         and re.search(r"(?<!\w)" + re.escape(r.text.strip()) + r"(?!\w)", title.text)]
                found = _single_region(named)
        index._title_region = (found,)
    return index._title_region[0]


def recipient_names(index: DocIndex, q: Mention, segment: tuple[int, int]) -> list[Mention]:
    """The programmes in the quantity's own segment and the bodies named after it, nearest
    first: what receives the money ("$40 million for the Tidal Power Office"); a body named
    before the amount is the one that pays ("the Ministry of Fisheries gives $5 million")."""
    names = [m for m in index.of_type_in(["PROGRAM", "ORG"], segment[0], segment[1])
             if m.type == "PROGRAM" or m.start >= q.end]
    names.sort(key=lambda m: abs(m.start - q.start))
    return names


# LINK-SECTOR-NAMED-RECIPIENT: a sentence that names no sector, but gives the money to a body or
# programme whose name carries one, is for that sector
def named_sector(index: DocIndex, q: Mention, segment: tuple[int, int]) -> str:
    """LINK-SECTOR-NAMED-RECIPIENT: the sector inside the name of the programme in the
    quantity's own segment, or of the body named after it ("$40 million for the Tidal Power
    Office": tidal power is the office's subject); a body named before the amount is the
    one that pays ("the Ministry of Fisheries gives $5 million ..."), not the sector."""
    vocab = sector_vocab()
    for m in recipient_names(index, q, segment):
        found = sector_matches(m.text, vocab)
        if found:
            return found[0][2]
    return ""
