"""The program of a measure: a PROGRAM in its segment, a definite description pointing
back ("the fund"), the paragraph's or the previous sentence's program.
"""

from __future__ import annotations

import re
from typing import Optional

from ..extract.vocab import name_vocab
from ..normalize.divisions import is_division_heading
from ..normalize.names import initials_variant, name_key, title_cased
from ..jurisdiction import paper_program_min_mentions, program_cross_reference_re
from ..records import (
    Mention,
    Paragraph,
)
from .context import section_heading
from .country import logical_paragraph
from .cues import load_cues
from .index import DocIndex


# LINK-PROGRAM-HEAD-FIRST: a name whose first word takes a complement ("Scheme for ...") has that word as a head
def _program_heads(name: str) -> set[str]:
    """Head nouns of a program name: its last word, a trailing year dropped
    ("Clean Steel Act of 2031" -> "act"), and its first word when a complement
    follows it (LINK-PROGRAM-HEAD-FIRST: "Scheme for Rural Bakeries", "Programme
    of Works in the Ports Sector" are a scheme and a programme)."""
    words = re.findall(r"[A-Za-z]+", name)
    while words and words[-1].lower() in {"of", "the", "for", "in"}:
        words.pop()
    heads = {words[-1].lower()} if words else set()
    if len(words) > 2 and words[1].lower() in {"of", "for", "on", "to"}:
        heads.add(words[0].lower())
    return heads


def program_named_back(index: DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """The program a definite description points back to: "through the fund",
    "The Act also created ...", "under the scheme" -> the most recent PROGRAM
    before the sentence, in its section, whose name ends in that noun."""
    cues = load_cues()
    lo, hi = sent
    spans = [(p.start, p.end) for p in index.of_type_in(["PROGRAM", "ORG"], lo, hi)]
    heads: list[str] = []
    for m in cues.program_reference.finditer(index.text[lo:hi]):
        a = lo + m.start(1)
        if not any(s <= a < e for s, e in spans):
            heads.append(cues.program_head_synonyms.get(m.group(1).lower(), m.group(1).lower()))
    if not heads:
        return None
    pi = index.paragraph_index(lo)
    section = index.paragraphs[pi].section if pi >= 0 else ""
    # LINK-PROGRAM-REFERENCE-SECTION: the referent stands in the sentence's own section or one that
    # encloses it, never in a sibling: under "4.3 Ferry Grants", "the scheme" is not the scheme of 4.2
    earlier = [p for p in index.of_type_in(["PROGRAM"], max(0, lo - cues.program_reference_reach), lo)
               if _encloses(index.parsed.section_at(p.start), section)]
    for p in reversed(earlier):
        if any(cues.program_head_synonyms.get(h, h) in heads for h in _program_heads(p.canonical or p.text)):
            return p
    return None


def _encloses(outer: str, inner: str) -> bool:
    """Section path ``outer`` is ``inner`` or one of its ancestors ("A > B" encloses "A > B > C")."""
    return outer == inner or inner.startswith(outer + " > ") if outer else True


def paragraph_program(index: DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """The program a paragraph is about: an earlier sentence of the same logical
    paragraph refers to it by a definite description ("The whole budget of the
    scheme ... EUR 900 million. The domestic share is paid from the state
    budget (EUR 80 million)."), and no other program is named since then."""
    cues = load_cues()
    pi = index.paragraph_index(sent[0])
    if pi < 0:
        return None
    first, _ = logical_paragraph(index, pi)
    lo = index.paragraphs[first].start
    refs = list(cues.program_reference.finditer(index.text, lo, sent[0]))
    for ref in reversed(refs):
        ref_sent = index.sentence_at(ref.start(1), ref.end(1))
        if ref_sent[1] > sent[0]:
            continue
        program = program_named_back(index, ref_sent)
        if program is None:
            continue
        key = (program.canonical or program.text).casefold()
        since = index.of_type_in(["PROGRAM"], ref_sent[0], sent[1])
        if any((p.canonical or p.text).casefold() != key for p in since):
            return None
        return program
    return None


def program_of_previous_sentence(index: DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """'The second IPCEI on X ... brings together 56 companies. The Member States will
    provide up to EUR 8.1 billion': a funding sentence that names no program or body
    continues the one program the sentence right before it (same paragraph) named. A body
    that the sentence before named too ("The Agency ... through the Fund. Last year the Agency
    paid for 12 ferries") is the program's own and does not break the thread."""
    found = _programs_of_sentence_before(index, sent)
    if found is None:
        return None
    earlier, last_sent = found
    own = index.of_type_in(["PROGRAM", "ORG"], sent[0], sent[1])
    if own:
        before = {(m.canonical or m.text).casefold() for m in index.of_type_in(["ORG"], last_sent[0], last_sent[1])}
        if any(m.type == "PROGRAM" or (m.canonical or m.text).casefold() not in before for m in own):
            return None
    names = {(p.canonical or p.text).casefold() for p in earlier if p.start >= last_sent[0]}
    return earlier[-1] if len(names) == 1 else None


def program_referred_to(index: DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """The program of the previous sentence when this one starts "It ..."/"The plan ..."."""
    cues = load_cues()
    if not cues.program_anaphora.match(index.text[sent[0]:sent[1]]):
        return None
    found = _programs_of_sentence_before(index, sent)
    return found[0][-1] if found is not None else None


def _programs_of_sentence_before(index: DocIndex, sent: tuple[int, int]
                                 ) -> Optional[tuple[list[Mention], tuple[int, int]]]:
    """The PROGRAMs of the logical paragraph before ``sent`` and the sentence of
    the last of them, when that sentence is the one right before ``sent``
    (nothing but spaces between the two); else None."""
    pi = index.paragraph_index(sent[0])
    if pi < 0:
        return None
    first, _ = logical_paragraph(index, pi)
    earlier = index.of_type_in(["PROGRAM"], index.paragraphs[first].start, sent[0])
    if not earlier:
        return None
    last_sent = index.sentence(earlier[-1])
    if index.text[last_sent[1]:sent[0]].strip():
        return None
    return earlier, last_sent


# LINK-PROGRAM-PAPER: the policy document itself is the program of its own measures
TITLE_BLOCK = 6                      # paragraphs at the start that may hold the title
_SELF_REFERENCE = r"\b(?:this|the\s+present)\s+{head}\b"


def paper_program(index: DocIndex) -> Optional[Mention]:
    """The program the whole paper states (a plan, a policy, an act): a PROGRAM named
    in the title block (heading paragraphs before the body begins) whose head noun
    the body uses for the paper itself ("this Plan", "the present Regulation").
    Computed once per paper; None for a paper that is about programs but is none."""
    if index._paper_program is None:
        index._paper_program = (_paper_program(index),)
    return index._paper_program[0]


def _paper_program(index: DocIndex) -> Optional[Mention]:
    block_end = None
    for para in index.paragraphs[:TITLE_BLOCK]:
        if para.kind != "heading" and len(para.text.split()) > 12:
            block_end = para.start
            break
    if block_end is None:
        return None
    named = [m for m in index.of_type_in(["PROGRAM"], 0, block_end)]
    if not named:
        return _body_program(index)
    own = max(named, key=lambda m: (m.end - m.start, -m.start))
    body = index.text[block_end:]
    for head in _program_heads(own.canonical or own.text):
        if re.search(_SELF_REFERENCE.format(head=re.escape(head)), body, re.IGNORECASE):
            return own
    # LINK-PROGRAM-PAPER-NAMED: the body keeps naming the title's program ("under the IIPP")
    key = (own.canonical or own.text).casefold()
    again = [m for m in index.of_type_in(["PROGRAM"], block_end, len(index.text))
             if (m.canonical or m.text).casefold() == key]
    if len(again) >= paper_program_min_mentions():
        return own
    return None


# LINK-PROGRAM-PAPER-BODY: an excerpt without its title page names its own policy in the body
_DEFINITE_REFERENCE = r"\b(?:this|the|present)\s+{head}\b"


def _body_program(index: DocIndex) -> Optional[Mention]:
    """A paper whose title block names no programme (an excerpt that starts at a section)
    states the policy it belongs to when one programme is named in its body at least
    ``program_min_body_mentions`` times (by name or acronym), more often than any other, and
    the body refers to it by its head noun ("the Policy", "this Scheme") as often.
    A name written with and without a leading place ("<State> Harbour Policy", "Harbour
    Policy") is one programme, represented by its longest name; a mention in a
    cross-reference ("as defined in the X Scheme") does not count."""
    least = paper_program_min_mentions()
    places = sorted({p for m in index.mentions if m.type in ("COUNTRY", "REGION")
                     for p in ((m.text or "").casefold(), (m.canonical or "").casefold()) if p},
                    key=len, reverse=True)
    groups: dict[str, list[Mention]] = {}
    headings = {_heading_name(p.text).casefold() for p in index.paragraphs if p.kind == "heading"}
    titled = set()
    for m in index.by_type.get("PROGRAM", []):
        if _cross_referenced(index, m):
            continue
        if m.text.strip().casefold() in headings or (m.canonical or "").casefold() in headings:
            titled.add(_without_place((m.canonical or m.text).casefold(), places))
        groups.setdefault(_without_place((m.canonical or m.text).casefold(), places), []).append(m)
    # LINK-PROGRAM-PAPER-NOT-SECTION: a programme that is a section's whole heading ("4.2 Ferry Berth
    # Incentive") is that section's programme, not the policy the whole paper states
    ranked = sorted((g for k, g in groups.items() if k not in titled), key=len, reverse=True)
    if not ranked or len(ranked[0]) < least or (len(ranked) > 1 and len(ranked[1]) == len(ranked[0])):
        return None
    own = max(ranked[0], key=lambda m: (len(m.canonical or m.text), -m.start))
    for head in _program_heads(own.canonical or own.text):
        pattern = _DEFINITE_REFERENCE.format(head=re.escape(head))
        if len(re.findall(pattern, index.text, re.IGNORECASE)) >= least:
            return own
    return None


# LINK-PROGRAM-PLACE-PREFIX: "<State> Harbour Policy 2030" and "Harbour Policy 2030" name one programme
def _without_place(key: str, places: list[str]) -> str:
    for place in places:
        if key.startswith(place + " ") and len(key) > len(place) + 1:
            return key[len(place) + 1:]
    return key


# LINK-PROGRAM-CROSS-REFERENCE: a programme named only to point elsewhere is not the paper's own
def _cross_referenced(index: DocIndex, m: Mention) -> bool:
    sent = index.sentence(m)
    return bool(program_cross_reference_re().search(index.text[max(sent[0], m.start - 80):m.start]))


_HEADING_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.|[A-Z]{1,3}-\d+(?:\.\d+)*\.|\(?[a-z0-9]{1,3}\))\s+")
_HEADING_CONNECTORS = {"of", "for", "and", "on", "in", "to", "the", "&", "by"}
_COMPLEMENTS = {"of", "for", "on", "to", "in", "by"}
_HEADING_UNDER = re.compile(r"^(?:Under|As per|Pursuant to)\s+(?:the\s+)?(?=[A-Z])")
_HEADING_YEAR = re.compile(r"(?:\s*[-–]\s*|\s+|\s*\()(?:19|20)\d\d(?:[-–/]\d{2,4})?\)?$")


# LINK-PROGRAM-HEADING: a measure under a heading that is a programme's name ("3.4.1 Harbour
# Capital Investment Incentive") belongs to that programme
def heading_program(index: DocIndex, q: Mention) -> Optional[Mention]:
    """The programme a section heading names whole: title-case words ending in a programme
    head noun (program_heads.csv; a weak head needs three content words, a plural head names a topic)."""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return None
    heading = section_heading(index, pi, logical_paragraph(index, pi)[0])
    if heading is None:
        return None
    key = (heading.start, index.paragraphs[pi].section)
    if key not in index._heading_programs:
        index._heading_programs[key] = _heading_program(index, heading, index.paragraphs[pi].section)
    return index._heading_programs[key]


def _heading_program(index: DocIndex, heading: Paragraph, section: str) -> Optional[Mention]:
    # LINK-PROGRAM-HEADING-UNDER: "Under the Harbour Ferry Policy-2031" heads the items granted under it;
    # the programme's year ("Policy-2031", "Policy 2031") follows its head
    name = _HEADING_UNDER.sub("", _heading_name(heading.text))
    vocab = name_vocab()
    item = _line_item_name(heading.text)
    if item:
        name = item
    elif not _names_programme(name, vocab) and not _instrument_item(section, heading.text, vocab) \
            and not _named_in_paper(index, name) and not _versioned(name):
        heading = _numbered_heading_above(index, heading)
        if heading is None:
            return None
        name = _HEADING_UNDER.sub("", _heading_name(heading.text))
        if not _names_programme(name, vocab):
            return None
    known = _named_elsewhere(index, name)
    return Mention(doc_id=index.parsed.doc_id, mention_id="", type="PROGRAM", text=name,
                   start=heading.start, end=heading.end, canonical=known.canonical if known else name,
                   iso3=known.iso3 if known else "")


# LINK-PROGRAM-HEADING-NAMED: a heading that is, whole, a programme name the extract stage found
# in the paper ("Harbour Promotion Measures for Island Development", a weak plural head that
# LINK-PROGRAM-HEADING-SINGULAR would read as a topic) names that programme
def _named_in_paper(index: DocIndex, name: str) -> bool:
    return len(name.split()) >= 3 and _named_elsewhere(index, name) is not None


# LINK-PROGRAM-HEADING-VERSIONED: a heading whose title-case words end in a version ("VII.4 Harbour
# Scaling Club 2.0", "Ferry Fairs 4.0") names a versioned initiative, whatever its head noun
_VERSION_END = re.compile(r"\s\d\.0$")


def _versioned(name: str) -> bool:
    words = name.split()
    return bool(_VERSION_END.search(name)) and 3 <= len(words) <= 10 and _title_words(words[:-1])


# LINK-PROGRAM-LINE-ITEM: a budget line item's heading, its period before and its project code
# in parentheses after ("2025-27 Ferry Dock Grants (40000100)"), names the programme of its section
_LINE_ITEM = re.compile(r"^(?:(?:FY\s*)?(?:19|20)\d\d(?:[-–/]\d{2,4})?\s+)?(?P<name>[A-Z][^()]*?)\s*\(\d{5,}\)$")


def _line_item_name(text: str) -> str:
    m = _LINE_ITEM.match(text.strip())
    if m is None:
        return ""
    words = m.group("name").split()
    return m.group("name") if 2 <= len(words) <= 12 and _title_words(words, digits=True) else ""


_MINOR_HEADING_WORDS = 4     # "Scheme Parameters", "Details": a table's or a list's labels
_MINOR_HEADINGS = 6


# LINK-PROGRAM-HEADING-MINOR: short unnumbered headings under a numbered programme heading (a
# parameter table's "Parameters" and "Details" columns read as headings) stay in its section
def _numbered_heading_above(index: DocIndex, heading: Paragraph) -> Optional[Paragraph]:
    """The nearest numbered heading before an unnumbered short one, over at most _MINOR_HEADINGS
    other short unnumbered headings; None when the heading is numbered or long."""
    k = index.paragraph_index(heading.start)
    minor = 0
    while k >= 0:
        para = index.paragraphs[k]
        if para.kind == "heading":
            if _HEADING_NUMBER.match(para.text):
                return para if minor else None
            if len(para.text.split()) > _MINOR_HEADING_WORDS or minor >= _MINOR_HEADINGS:
                return None
            minor += 1
        k -= 1
    return None


def _names_programme(name: str, vocab) -> bool:
    """Title-case words ending in a programme head noun, the head singular; a programme's
    strand after a dash ("Harbour Loan Scheme – Ferry Loan") is named by the part before it."""
    name = re.split(r"\s[-–—]\s", name, maxsplit=1)[0]
    words = _HEADING_YEAR.sub("", name).split()
    if not words or not _title_words(words, digits=True):
        return False
    # LINK-PROGRAM-HEADING-SINGULAR: a heading with a plural head ("Grants and Incentives") names a topic
    # the head is the noun before the first complement ("Customized Package of Incentives"), else the last
    cut = next((k for k in range(1, len(words) - 1) if words[k].lower() in _COMPLEMENTS), None)
    head = words[cut - 1] if cut is not None else words[-1]
    # LINK-PROGRAM-HEADING-HEAD-FIRST: the head may stand before its complement ("Harbour Promotion
    # Measure in the Dock Provinces", "Scheme for Ferry Yards"), as in the names of LINK-PROGRAM-HEAD-FIRST
    if words[-1] in vocab.program_heads:
        head_word = words[-1]
    elif cut is not None and head in vocab.program_heads:
        head_word = head
    else:
        return False
    if head.endswith("s") and not head.endswith("ss"):
        return False
    # two instruments joined ("Crane Subsidy and Dock Rent Relief") are no one programme's name
    if any(w.lower() == "and" and k > 0 and _instrument_noun(words[k - 1], vocab) for k, w in enumerate(words)):
        return False
    content = [w for w in words if w.lower() not in _HEADING_CONNECTORS]
    weak = head_word in vocab.weak_program_heads
    return len(content) >= (3 if weak else 2) and "," not in name


def _instrument_noun(word: str, vocab) -> bool:
    """A programme head or a singular instrument noun whose plural heads an item list ("Subsidy")."""
    low = word.lower()
    return word in vocab.program_heads or low + "s" in vocab.item_parents \
        or (low.endswith("y") and low[:-1] + "ies" in vocab.item_parents)


_ITEM_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\s+")


# LINK-PROGRAM-ITEM-HEADING: a numbered sub-heading of a heading that names instruments in the
# plural ("3.4 Incentives and Subsidies" > "3.4.5 Freight Subsidy") names one instrument, the
# programme of the amounts under it, unless it is about procedure ("3.4.1 Eligibility")
def _instrument_item(section: str, heading_text: str, vocab) -> bool:
    parts = [c.strip() for c in section.split(">") if c.strip()]
    if len(parts) < 2:
        return False
    parent, child = _ITEM_NUMBER.match(parts[-2]), _ITEM_NUMBER.match(heading_text)
    if parent is None or child is None or not child.group(1).startswith(parent.group(1) + "."):
        return False
    if not set(re.findall(r"[a-z]+", parts[-2].lower())) & vocab.item_parents:
        return False
    words = re.findall(r"[A-Za-z][\w'’-]*", _heading_name(heading_text))
    # "6.5 Freight Incentive and Export Growth Assistance": two instruments, neither the programme
    return 2 <= len(words) <= 8 and words[0][:1].isupper() and "and" not in {w.lower() for w in words} \
        and not {w.lower() for w in words} & vocab.not_item_words


def _named_elsewhere(index: DocIndex, name: str) -> Optional[Mention]:
    """The PROGRAM mention that names the programme a heading names, in the same words or
    with a place's initials for the place (EXTRACT-NAME-PLACE-INITIALS)."""
    key = name_key(name)
    for m in index.by_type.get("PROGRAM", []):
        if name_key(m.text) == key or initials_variant(name, m.text):
            return m
    return None


def _heading_name(text: str) -> str:
    """A heading's words without its numbering and closing stop or colon ("4.2 Ferry Fund." -> "Ferry Fund")."""
    return _HEADING_NUMBER.sub("", text).strip().rstrip(".:")


def _title_words(words: list[str], digits: bool = False) -> bool:
    """Every word capitalised (or a number, with ``digits``) but the heading connectors."""
    return all(w[:1].isupper() or (digits and w[:1].isdigit()) or w.lower() in _HEADING_CONNECTORS for w in words)


# LINK-ORG-SECTION-HEADING: a section whose heading is a body's name and nothing else ("Harbour
# Works Authority" over the items the authority runs) is that body's: the org of its amounts that
# name none
def heading_body(index: DocIndex, q: Mention) -> Optional[Mention]:
    """The body a heading of the quantity's section path names whole, innermost first: title-case
    words holding an organisation head noun (org_heads.csv, not a weak one), no programme head, at
    most ten words. A programme's heading in between is passed over: the body above runs it."""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return None
    para = index.paragraphs[pi]
    vocab = name_vocab()
    for component in reversed([c.strip() for c in (para.section or "").split(">") if c.strip()]):
        name = _appropriated_body(component) or _heading_name(component)
        words = name.split()
        if not 2 <= len(words) <= 10 or any(w in vocab.program_heads for w in words):
            continue
        if not _title_words(words):
            continue
        if any(w in vocab.org_heads and w not in vocab.weak_org_heads for w in words):
            return Mention(doc_id=index.parsed.doc_id, mention_id="", type="ORG", text=name,
                           start=para.start, end=para.start, canonical=name)
    return None


# LINK-ORG-APPROPRIATION-HEADING: an appropriation bill's section head "Sec. 7. FOR THE PORT
# AUTHORITY" names the body its amounts are appropriated to
_FOR_BODY = re.compile(r"\bFOR\s+THE\s+(?P<body>[A-Z][A-Z ,&'-]+)$")


def _appropriated_body(component: str) -> str:
    m = _FOR_BODY.search(component)
    if m is None or not is_division_heading(component):
        return ""
    return title_cased(m.group("body"), _HEADING_CONNECTORS)
