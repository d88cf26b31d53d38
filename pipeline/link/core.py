"""Link one paper: each quantity mention to one ``Measure`` with its context, and the
per-paper programs table.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from typing import Optional

from ..records import (
    OCR_LOW_CONFIDENCE,
    Measure,
    Mention,
    ParsedDoc,
    ProgramRow,
)
from .beneficiary import (
    beneficiary,
    beneficiary_before,
    beneficiary_frame,
    beneficiary_subject,
    benefiting,
    counted_object,
    counted_receivers,
    incurred_by,
    named_body,
    paid_to,
    possessor_receiver,
    proper_object,
    relative_subject,
    support_receiver,
    supported_with,
)
from .context import (
    BUDGET_AFTER_YEAR, assign_region, heading_sector, program_region, named_sector, recipient_names, paper_context, paragraph_lead_date, paragraph_sector,
)
from .country import (
    CONF_ACTOR, CONF_SENTENCE, assign_country, is_forecast, logical_paragraph, own_currency_country,
    respectively_country,
)
from .cues import QUANTITY_TYPES, Cues, load_cues
from .index import DocIndex, clause_bounds, collapse, nearest, segment_bounds
from .instrument import classify_instrument, described_scores
from .program import (
    heading_body,
    heading_program,
    paper_program,
    paragraph_program,
    program_named_back,
    program_of_previous_sentence,
    program_referred_to,
)
from .quantities import quantity_mentions
from .tables import table_column_name, table_column_program

_YEAR_IN_NAME = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2}|2100)(?!\d)")


# The start year of a change right before its end value: "... in 2012 to 64.3 percent".
_START_YEAR = re.compile(r"^\s*,?\s+to\s+(?:about|around|approximately|roughly|nearly|almost|some|over|under)?\s*$",
                         re.IGNORECASE)


# The old level of a change stated new level first, and its year right after it ("to K2 billion from
# K1.5 billion in 2030"): the year is the old level's
_OLD_LEVEL_YEAR = re.compile(r"[^;]{0,60}?\sfrom\s[^;]{0,40}?\s(?:in|during|for)\s+(?:the\s+)?(?:year\s+|FY\s*)?",
                             re.IGNORECASE)


def link_document(parsed: ParsedDoc, mentions: list[Mention]) -> list[Measure]:
    """One measure per quantity mention, in text order, numbered from q1."""
    if not parsed.text:
        return []
    cues = load_cues()
    index = DocIndex(parsed, mentions)
    quantities = quantity_mentions(index)
    measures: list[Measure] = []
    for n, q in enumerate(quantities, start=1):
        measures.append(_link_one(index, q, quantities, n, cues))
    return _alternative_amounts(index, _measure_bounds(index, _measure_costs(index, measures, cues), cues))


# INSTR-ALTERNATIVE-AMOUNT: "is more than $60,000 ($90,000 if you run two ferries)", "$50 for a
# single yard; $80 if ..." : an amount given for another case of the amount right before it is
# the same kind of quantity, so it takes that amount's instrument
_ALTERNATIVE_GAP = re.compile(r"\A(?:\s+(?:per|a|an|each)\s+[^\W\d_]+)?\s*(?:[(;,]\s*(?:or\s+)?|or\s+)\Z")
_ALTERNATIVE_CASE = re.compile(r"\A\s+(?:if|for|when|where|in\s+the\s+case\s+of)\b", re.IGNORECASE)


def _alternative_amounts(index: DocIndex, measures: list[Measure]) -> list[Measure]:
    out = list(measures)
    for i in range(1, len(out)):
        m, prev = out[i], out[i - 1]
        if m.quantity_type != prev.quantity_type or m.start is None or prev.end is None or m.start < prev.end:
            continue
        if _ALTERNATIVE_GAP.match(index.text[prev.end:m.start]) and _ALTERNATIVE_CASE.match(index.text[m.end:m.end + 30]):
            if m.instrument != prev.instrument:
                out[i] = dataclasses.replace(m, instrument=prev.instrument)
    return out


# LINK-PROGRAM-OWN-ITEM: a paragraph that lists measures as "(a) ...; (b) ...; and (c) ..." states one
# measure per item: a programme named in item (b) is not the programme of item (c), nor of item (a)
_LIST_ITEM = re.compile(r"(?:^|[:;]\s*(?:and\s+|or\s+)?)\(([a-z]|[ivx]{1,4}|\d{1,2})\)\s", re.IGNORECASE)


def _item_bounds(index: DocIndex, q: Mention, pi: int) -> Optional[tuple[int, int]]:
    """Start and end of the enumerated item holding ``q``, in a paragraph of two or more such
    items (the text before the first mark is an item of its own)."""
    if pi < 0:
        return None
    para = index.paragraphs[pi]
    marks = [para.start + m.start(1) - 1 for m in _LIST_ITEM.finditer(para.text)]
    if len(marks) < 2:
        return None
    before = [at for at in marks if at <= q.start]
    after = [at for at in marks if at > q.start]
    return (before[-1] if before else para.start, after[0] if after else para.end)


def _nearer_receiver(text: str, q_end: int, phrase: str, name: str) -> str:
    """Of a receiver phrase and a receiver's proper name after the amount, the one named first:
    "$9 million to FERRYNET, a network that links harbour workers" goes to FERRYNET."""
    if not (phrase and name):
        return phrase
    at_phrase, at_name = text.find(phrase, q_end), text.find(name, q_end)
    return name if 0 <= at_name < at_phrase else phrase


def _place_names(index: DocIndex) -> frozenset[str]:
    """The paper's COUNTRY and REGION names, folded: a place is no receiving body."""
    if index._place_names is None:
        index._place_names = frozenset(n.casefold() for m in index.mentions if m.type in ("COUNTRY", "REGION")
                                       for n in (m.text.strip(), m.canonical or "") if n)
    return index._place_names


_SPENDING_COST = re.compile(r"\b(?:expenditures?|spending|outlays?)\b", re.IGNORECASE)


# an amount "for the HDF" / "to HX RF": one or two all-capital words, then the clause goes on or ends
_FOR_ACRONYM = re.compile(r"\s+(?:for|to)\s+(?:the\s+)?[A-Z][A-Z0-9&-]{1,9}(?:\s+[A-Z][A-Z0-9&-]{1,9})?"
                          r"(?=\s*(?:[,.;)]|$|\s+(?:to|for|and|which|in)\b))")


def _measures_before(earlier: list[Measure], m: Measure, sent: tuple[int, int], reach: int) -> list[Measure]:
    """The measures ``m``'s sentence may refer back to ("this measure", "This would be subject to"):
    those ending within ``reach`` characters before the sentence, in its section, no statistic."""
    lo = max(0, sent[0] - reach)
    return [p for p in earlier if p.end is not None and lo <= p.end <= sent[0]
            and p.section == m.section and p.instrument != "indicator"]


def _measure_bounds(index: DocIndex, measures: list[Measure], cues: Cues) -> list[Measure]:
    """Quantities of a sentence that only bounds the measure just stated ("This would be subject to
    a yearly cap of 20% ...", INSTR-BOUND-OF-THIS) take that measure's instrument: the last
    measure before the sentence, in its section and within reach, that is no statistic."""
    out = list(measures)
    for i, m in enumerate(measures):
        if m.start is None:
            continue
        sent = index.sentence_at(m.start, m.end)
        if not cues.measure_bound.search(index.text[sent[0]:sent[1]]):
            continue
        before = _measures_before(out[:i], m, sent, cues.measure_cost_reach)
        if before and before[-1].instrument != m.instrument:
            out[i] = dataclasses.replace(m, instrument=before[-1].instrument)
    return out


def _measure_costs(index: DocIndex, measures: list[Measure], cues: Cues) -> list[Measure]:
    """Money in a sentence about what "this measure" costs (INSTR-MEASURE-COST) ("This measure lowers
    the tax take by $40 million") takes the instrument of the measure it costs: revenue given up is a
    tax incentive's cost; else the class the text just before the sentence describes, else the
    instrument of the measure stated last before it (same section, within reach); a cost stated as
    spending is never a tax incentive's."""
    out = list(measures)
    for i, m in enumerate(measures):
        if m.quantity_type != "money" or m.start is None:
            continue
        sent = index.sentence_at(m.start, m.end)
        words = index.text[sent[0]:sent[1]]
        if not cues.measure_cost.search(words):
            continue
        # what "this measure" is: the cues of the text just before the sentence (its description),
        # else the instrument of the measure stated last before it
        lo = max(0, sent[0] - cues.measure_cost_reach)
        described = {c: v for c, v in described_scores(index.masked, lo, sent[0], m.quantity_type).items()
                     if c in cues.prior_classes}
        before = _measures_before(out[:i], m, sent, cues.measure_cost_reach)
        forgone = bool(cues.revenue_forgone.search(words))
        spending = not forgone and bool(_SPENDING_COST.search(words))
        if spending:
            # "it means extra spending of $X": a spending measure's cost, not a tax's
            described.pop("tax_incentive", None)
            before = [p for p in before if p.instrument != "tax_incentive"]
        if forgone:
            instrument = "tax_incentive"
        elif described and max(described.values()) >= cues.context_threshold:
            instrument = max(described, key=lambda c: (described[c], -cues.priority.index(c)))
        elif before:
            instrument = before[-1].instrument
        elif spending:
            instrument = cues.generic_class or m.instrument
        else:
            continue
        if instrument != m.instrument:
            out[i] = dataclasses.replace(m, instrument=instrument)
    return out


def _link_one(index: DocIndex, q: Mention, quantities: list[Mention], n: int, cues: Cues) -> Measure:
    text = index.text
    sent = index.sentence(q)
    clause = clause_bounds(text, sent, q.start, q.end, cues.clause_separators)
    segment = segment_bounds(text, clause, q, quantities, cues.segment_separators)
    qtype = QUANTITY_TYPES[q.type]
    section = index.parsed.section_at(q.start)
    pi = index.paragraph_index(q.start)
    paragraph_start = index.paragraphs[logical_paragraph(index, pi)[0]].start if pi >= 0 else None
    column = table_column_name(index, q)
    if column is not None:
        # A table cell is read as "<column name> <row>" ("Exports (bn ecus) Acme Foods Denmark 12.4"):
        # the column says what the number is, not the chapter title nor the paragraph above.
        row = index.masked[sent[0]:sent[1]]
        cell_text = f"{column} {row}"
        at = len(column) + 1 + (q.start - sent[0])
        instrument = classify_instrument(cell_text, at, at + (q.end - q.start), (0, len(cell_text)),
                                         (0, len(cell_text)), qtype, q.from_value)
    else:
        instrument = classify_instrument(index.masked, q.start, q.end, segment, sent, qtype, q.from_value,
                                         section=index.masked_section(section).replace(">", " ; "),
                                         paragraph_start=paragraph_start,
                                         approx=q.approx,
                                         acronyms=(index.acronym_re, index.acronyms) if index.acronym_re else None,
                                         recipients=tuple(m.text for m in recipient_names(index, q, segment)))
    if instrument == "indicator" and qtype == "money" and column is None and paid_to(text, q.end, segment[1]):
        instrument = "investment"             # paid to a receiver (INSTR-PAID-TO-RECEIVER)
    if instrument == "regulation_standards" and qtype == "percent" and beneficiary_frame(text, sent[0], q.start) \
            and cues.preferential_rate.search(text, sent[0], q.start):
        instrument = "tax_incentive"          # a rate granted to a framed receiver (INSTR-PREFERENTIAL-RATE)
    country, confidence = assign_country(index, q, sent, clause, indicator=(instrument == "indicator"))
    paired = respectively_country(index, q, sent, quantities)
    if paired:
        country, confidence = paired, CONF_SENTENCE
    if instrument == "target" and confidence < CONF_ACTOR and is_forecast(index, q, sent, country):
        instrument = "indicator"              # a forecast about others, not the paper's aim:
        country, confidence = assign_country(index, q, sent, clause, indicator=True)   # what it describes
    country = own_currency_country(index, q, country, confidence)

    region = assign_region(index, q, clause, sent, country)
    source_fund = functools.partial(_source_fund, text)     # LINK-PROGRAM-SOURCE-FUND
    program = (nearest(index, "PROGRAM", q, segment, segment, prefer="before", skip=source_fund)
               or program_named_back(index, sent))
    if program is None:
        in_sentence = nearest(index, "PROGRAM", q, clause, sent, prefer="before", skip=source_fund)
        referred = program_referred_to(index, sent)
        # "It will be supported by EUR 3.3 billion ..., of which ... comes from Horizon Europe":
        # the sentence's subject is the program before it; a program named after the amount is a source.
        if referred is not None and (in_sentence is None or in_sentence.start >= q.end):
            program = referred
        else:
            program = in_sentence or referred
    # LINK-PROGRAM-OWN-SEMICOLON-ITEM: "$150 million for the Dock program; $200 million for the HDF;
    # ...": a programme named in another item of a semicolon list is that item's
    if program is not None and sent[0] <= program.start < sent[1] and text.count(";", sent[0], sent[1]) >= 2:
        lo = text.rfind(";", sent[0], q.start) + 1 or sent[0]
        hi = text.find(";", q.end, sent[1])
        if not lo <= program.start < (hi if hi >= 0 else sent[1]):
            program = None
    # LINK-PROGRAM-OWN-ACRONYM: "$400 million for the HDF": an amount for a body or fund the sentence
    # names by its own acronym is not the programme of the sentence or heading before it
    own_acronym = program is None and bool(_FOR_ACRONYM.match(text, q.end))
    if program is None and not own_acronym:
        program = paragraph_program(index, sent)
    if program is None and instrument != "indicator" and not own_acronym:
        program = program_of_previous_sentence(index, sent)
    item = _item_bounds(index, q, pi)
    if program is not None and item is not None and not item[0] <= program.start < item[1]:
        program = None      # named in another item of an enumerated list (LINK-PROGRAM-OWN-ITEM)
    if program is None and instrument != "indicator" and not own_acronym:
        program = heading_program(index, q) or paper_program(index)   # the section's, else the paper's
    program = table_column_program(index, q, program)
    if region is None and program is not None:
        region = program_region(program, country)
    org = _list_item_nearest(index, "ORG", q, segment, clause, sent, quantities, "before")
    if org is not None and _DEFINING_SOURCE.search(text, max(0, org.start - 40), org.start):
        org = None      # LINK-ORG-DEFINING-SOURCE: "organizations, as defined by the harbour office"
    if org is not None and org.end <= q.start and _ASKED_BEFORE.search(text, max(0, org.start - 40), org.start) \
            and _ASKED_TO.match(text, org.end):
        # LINK-ORG-ASKED-BODY: "the Governor calls on the Legislature to give $5 million to the Ferry
        # Board": the body asked to act passes the money on; the one it goes to spends it
        org = next((m for m in index.of_type_in(["ORG"], q.end, sent[1])), org)
    org = org or _paragraph_lead_org(index, q) or _section_opener_org(index, q) or heading_body(index, q)
    sector = _list_item_nearest(index, "SECTOR", q, segment, clause, sent, quantities, "after")
    # LINK-YEAR-OWN-SEGMENT: "to 4% by 2030, 10% by 2040": a date in the quantity's own segment is its own
    date = (_segment_date(index, q, segment, clause, quantities)
            or nearest(index, "DATE", q, clause, sent, prefer="none", skip=lambda d: _comparison_base(text, d))
            or paragraph_lead_date(index, q))
    if date is not None and q.from_value is not None and _START_YEAR.match(text[date.end:q.start]):
        # "from 58.2 percent in 2012 to 61.7 percent in 2022": 2010 dates the start, not the measure
        later = [d for d in index.of_type_in(["DATE"], q.end, sent[1])]
        date = later[0] if later else date
    # LINK-YEAR-OLD-LEVEL: "to K2 billion from K1.5 billion in 2030": 2030 dates the old level
    elif date is not None and q.from_value is not None and date.start >= q.end \
            and _OLD_LEVEL_YEAR.fullmatch(text, q.start, date.start):
        date = None
    if date is not None and not segment[0] <= date.start < segment[1] \
            and (_RELATIVE_PAST.search(text, q.end, min(segment[1], q.end + 60))
                 or _RELATIVE_PAST.search(text, max(segment[0], q.start - 40), q.start)):
        # LINK-YEAR-RELATIVE-PAST: "ferry use is 12% in 2031, against 9% a decade ago": a quantity
        # its own segment dates "ago" or "the previous year" is not of the year named beside it
        date = None
    proper = proper_object(text, q.end, segment[1], _place_names(index)) if instrument != "indicator" else ""
    if region is not None and not country:
        country, confidence = region.iso3, CONF_SENTENCE
    ocr_confidence = index.parsed.ocr_confidence_at(q.start)
    if ocr_confidence is not None and ocr_confidence < OCR_LOW_CONFIDENCE:
        confidence = round(confidence * ocr_confidence, 2)   # a poorly read page: less sure

    return Measure(
        doc_id=index.parsed.doc_id,
        measure_id=f"{index.parsed.doc_id}:q{n}",
        quantity_type=qtype,
        value=q.value, currency=q.currency if qtype == "money" else "",
        low=q.low, high=q.high, from_value=q.from_value, approx=q.approx, flags=q.flags,
        unit=_unit(q, qtype) if column is None else ("table: " + collapse(column) if column.strip() else "table"),
        country=country,
        region=(region.canonical or region.text) if region is not None else "",
        program=(program.canonical or program.text) if program is not None else "",
        org=(org.canonical or org.text) if org is not None else "",
        year=date.year if date is not None else None,
        # sentence, else section heading, else the paper's own sector (guide)
        sector=(sector.canonical or sector.text) if sector is not None
        else (named_sector(index, q, segment) or heading_sector(index, q) or paragraph_sector(index, q)
              or paper_context(index)[0]),
        instrument=instrument,
        beneficiary=(incurred_by(text, q.end, sent[1])
                     or _nearer_receiver(text, q.end, beneficiary(text, q.end, segment[1]), proper)
                     or named_body(text, q.end, [(m.start, m.text) for m in index.of_type_in(["ORG", "PROGRAM"], q.end, segment[1])
                                                 if m.type == "ORG" or _is_project(m)])
                     or proper
                     or beneficiary(text, q.end, _before_next_quantity(q, quantities, clause[1]))
                     or beneficiary_before(text, segment[0], q.start)
                     or beneficiary_subject(text, sent[0], q.start)
                     or support_receiver(text, clause[0], q.start)
                     or possessor_receiver(text, clause[0], q.start)
                     or relative_subject(text, sent[0], sent[1], q.start)
                     or beneficiary_frame(text, sent[0], q.start)
                     or counted_receivers(text, q, sent[1])
                     or counted_object(text, q, sent[0])
                     or supported_with(text, sent[0], q.start)
                     or benefiting(text, q.end, sent[1])
                     or _shared_receiver(index, q, quantities, clause, sent, cues))
        if instrument != "indicator" else "",     # a statistic has no recipient
        confidence=confidence,
        page=index.parsed.page_at(q.start),
        section=section,
        evidence=collapse(text[sent[0]:sent[1]]),
        ocr_confidence=ocr_confidence,
        start=q.start, end=q.end, mention_id=q.mention_id,
    )


# LINK-PROGRAM-SOURCE-FUND: "From the Harbour Revenue Fund ...... 3,074,368", "paid out of the Dock
# Fund": a fund an appropriation line draws the money from is its source account, not the programme
# it pays for. A lower-case "from" is left alone: "£9 million from the Harbour Challenge Fund into the
# ferry programme" names a funding programme
_FROM_BEFORE = re.compile(r"(?:\bFrom|\bFROM|\bout\s+of|\bOUT\s+OF)\s+(?:the\s+|THE\s+)?$")
_FUND_END = re.compile(r"\b(?:Funds?|FUNDS?|Accounts?|ACCOUNTS?)$")


def _source_fund(text: str, m: Mention) -> bool:
    return bool(_FUND_END.search(m.text) and _FROM_BEFORE.search(text, max(0, m.start - 14), m.start))


# LINK-ORG-SECTION-OPENER: "Section 4.010. To the Office of Harbours" opens a section of an
# appropriation act: the body after "To the" or "For the" receives the section's amounts, up to the
# next numbered section
_SECTION_NUMBER = re.compile(r"\s*(?:Section|SECTION|Sec\.|SEC\.)\s+\d+(?:\.\d+)*\.\s")
_SECTION_TO_BODY = re.compile(_SECTION_NUMBER.pattern + r"\s*(?:To|For|TO|FOR)\s+(?:the|THE)\s+$")
_SECTION_REACH = 40      # paragraphs looked back for the section's opener


def _section_opener_org(index: DocIndex, q: Mention) -> Optional[Mention]:
    pi = index.paragraph_index(q.start)
    for k in range(pi, max(-1, pi - _SECTION_REACH), -1):
        para = index.paragraphs[k]
        if not _SECTION_NUMBER.match(index.text, para.start):
            continue
        orgs = index.of_type_in(["ORG"], para.start, min(para.end, para.start + 120))
        if orgs and _SECTION_TO_BODY.fullmatch(index.text, para.start, orgs[0].start):
            return orgs[0]
        return None     # the quantity's section opens without a body
    return None


# LINK-ORG-PARAGRAPH-LEAD: a body whose name opens the paragraph ("Office of Ferries: Harbour Fund. Provides
# $5 million ...") is the body of the paragraph's amounts that name none
def _paragraph_lead_org(index: DocIndex, q: Mention) -> Optional[Mention]:
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return None
    start = index.paragraphs[pi].start
    lead = [m for m in index.of_type_in(["ORG"], start, q.start) if m.start < start + 4]
    return lead[0] if lead else None


def _is_project(m: Mention) -> bool:
    """A programme mention that names one funded project ("the Old Quay project"): its receiver."""
    return m.text.split()[-1].lower() in ("project", "projects") if m.text.split() else False


# LINK-YEAR-COMPARISON-BASE: a year the amount is compared with ("29 percent above the 2029 enacted
# level", "double the 2028 level", "compared with 2027") is the baseline, not the measure's year
_BASE_BEFORE = re.compile(r"\b(?:than|above|below|compared\s+(?:to|with)|relative\s+to|versus|vs\.?)"
                          r"\s+(?:the\s+)?(?:FY\s*|fiscal\s+year\s+)?$", re.IGNORECASE)
_BASE_AFTER = re.compile(r"^\s*(?:enacted\s+|actual\s+|baseline\s+)?(?:levels?|baselines?|figures?)\b", re.IGNORECASE)
# "an increase of 7% from the 2030 Budget of $9 billion": the earlier budget compared with
_BASE_BUDGET = re.compile(r"\bfrom\s+the\s+$", re.IGNORECASE)


_RELATIVE_PAST = re.compile(
    r"\b(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:decades?|years?|months?)"
    r"\s+(?:ago|earlier|before)|the\s+(?:previous|prior|preceding)\s+year|a\s+year\s+earlier)\b", re.IGNORECASE)


def _comparison_base(text: str, d: Mention) -> bool:
    before = text[max(0, d.start - 40):d.start]
    return bool(_BASE_BEFORE.search(before) or _BASE_AFTER.match(text[d.end:d.end + 30])
                or (_BASE_BUDGET.search(before) and BUDGET_AFTER_YEAR.match(text[d.end:d.end + 10])))


def _segment_date(index: DocIndex, q: Mention, segment: tuple[int, int], clause: tuple[int, int],
                  quantities: list[Mention]) -> Optional[Mention]:
    """LINK-YEAR-OWN-SEGMENT: in a list of quantities with their dates ("to 4% by 2030, 10% by
    2040"), the date after the quantity in its own segment; None when the clause holds no other
    quantity or the segment another one (the clause decides)."""
    others = [m for m in quantities if m is not q and clause[0] <= m.start < clause[1]]
    if not others or any(segment[0] <= m.start < segment[1] for m in others):
        return None
    after = [m for m in index.of_type_in(["DATE"], q.end, segment[1]) if not _comparison_base(index.text, m)]
    return after[0] if after else None


# LINK-SEGMENT-FIRST: in a list of amounts ("$5m for the A Office, $3m for the B Office") each
# amount's own segment names its body and sector; the clause's lead-in before the first amount
# speaks for all of them, another item's segment for none
def _list_item_nearest(index: DocIndex, mtype: str, q: Mention, segment: tuple[int, int],
                       clause: tuple[int, int], sent: tuple[int, int], quantities: list[Mention],
                       prefer: str) -> Optional[Mention]:
    # a name with a comma ("Office of Ports, Docks and Ferries 5 billion won") may straddle the
    # segment's start: the segment begins where the name does
    lo = min([segment[0]] + [m.start for m in index.of_type_in([mtype], max(0, segment[0] - 200), segment[1])
                             if m.start < segment[0] < m.end])
    own = nearest(index, mtype, q, (lo, segment[1]), (lo, segment[1]), prefer=prefer)
    if own is not None:
        return own
    if mtype == "SECTOR":
        item = _lettered_item(index.text, sent, q)
        if item is not None:
            # LINK-SECTOR-LETTERED-ITEM: "(a) small firms pay 5.5 per cent; (b) ferry lines pay as
            # follows: (i) 3 per cent ...": a sentence run on into lettered items gives each item's
            # amounts the sector of that item, else of the lead before "(a)", never a sibling's
            return nearest(index, mtype, q, item[:2], item[:2], prefer=prefer) or \
                nearest(index, mtype, q, (sent[0], item[2]), (sent[0], item[2]), prefer=prefer)
    listed = [m for m in quantities if clause[0] <= m.start < clause[1] and m.type == q.type]
    if len(listed) < 3:
        if mtype == "SECTOR" and ";" in index.text[sent[0]:sent[1]]:
            # LINK-SECTOR-SEMICOLON-ITEM: "...as follows: $9 million ferry berths; $4 million for the
            # solar quay; and ...": a sector named in another item is that item's; the quantity's own
            # item, else the list's lead before its first amount
            first = min((m.start for m in quantities if sent[0] <= m.start < sent[1]), default=q.start)
            return nearest(index, mtype, q, clause, clause, prefer=prefer) or \
                nearest(index, mtype, q, (sent[0], first), (sent[0], first), prefer=prefer)
        return nearest(index, mtype, q, clause, sent, prefer=prefer)
    lead = (clause[0], min(m.start for m in listed))
    return nearest(index, mtype, q, lead, lead, prefer=prefer)


_ITEM_MARK = re.compile(r"(?<![\w)])\(([a-z])\)\s")


def _lettered_item(text: str, sent: tuple[int, int], q: Mention) -> Optional[tuple[int, int, int]]:
    """(start, end, start of "(a)") of the lettered item "(a)", "(b)", ... of the quantity's
    sentence that holds it, when the sentence runs on into at least "(a)" and "(b)" in order."""
    marks, want = [], "a"
    for m in _ITEM_MARK.finditer(text, sent[0], sent[1]):
        if m.group(1) == want:
            marks.append(m.start())
            want = chr(ord(want) + 1)
    if len(marks) < 2 or q.start < marks[0]:
        return None
    ends = marks[1:] + [sent[1]]
    for lo, hi in zip(marks, ends):
        if lo <= q.start < hi:
            return lo, hi, marks[0]
    return None


# LINK-ORG-DEFINING-SOURCE: a body named as the source of a definition ("a tenth of the grants go
# to small yards, as the harbour office defines them"; "yards, as defined by the harbour office") is
# not the body of the amount
_DEFINING_SOURCE = re.compile(r"\b(?:defined|determined)\s+(?:by|in)\s+(?:the\s+)?$",
                              re.IGNORECASE)


_ASKED_BEFORE = re.compile(r"\b(?:call(?:s|ed|ing)?\s+(?:up)?on|urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|request(?:s|ed|ing)?|invit(?:e|es|ed|ing))\s+(?:the\s+)?$",
                           re.IGNORECASE)
_ASKED_TO = re.compile(r"\s+to\s+\w")


_COORDINATED_NEXT = re.compile(r"\s*,?\s*(?:and|or)?\s*")
_OWN_PURPOSE = re.compile(r"\b(?:for|to|towards?)\b", re.IGNORECASE)


# LINK-BENEFICIARY-COORDINATED-AMOUNTS: amounts coordinated as one subject share its predicate
# ("$4 million of the dock account, and $2 million of the ferry account are provided for grants to
# harbour councils"): the receiver after the last amount is each one's, when none has a purpose of
# its own. Bounded amounts are compared, not shared ("output over 5 billion, and over 9 billion as
# driven by X")
def _shared_receiver(index: DocIndex, q: Mention, quantities: list[Mention], clause: tuple[int, int],
                     sent: tuple[int, int], cues: Cues) -> str:
    text = index.text
    end = clause[1]
    if q.approx or end >= sent[1] or _OWN_PURPOSE.search(text, q.end, end):
        return ""
    for m in quantities[bisect.bisect_left([o.start for o in quantities], end):]:
        if m.start >= sent[1]:
            break
        if m.type != q.type:
            continue
        if m.approx or not _COORDINATED_NEXT.fullmatch(text[end:m.start]):
            break
        end = clause_bounds(text, sent, m.start, m.end, cues.clause_separators)[1]
        if end >= sent[1]:
            break
    return beneficiary(text, clause[1], end) if end > clause[1] else ""


# LINK-BENEFICIARY-OWN-PHRASE: a recipient phrase after the next quantity of another kind is that quantity's
def _before_next_quantity(q: Mention, quantities: list[Mention], hi: int) -> int:
    """A recipient phrase after the next quantity of another kind in
    the clause is that quantity's ("30% of the cost, up to Rs 10 crore for small units": the units
    go with the cap), so the clause is read only up to it; quantities of one kind side by side
    share it ("20% write-offs or 5% tax credits for SMEs")."""
    later = [m.start for m in quantities if q.end <= m.start < hi and m.type != q.type]
    return min(later, default=hi)


def _unit(q: Mention, qtype: str) -> str:
    """What a percent or count measures: points vs percent, the counted noun."""
    if qtype == "count":
        return q.unit
    if qtype == "percent" and q.unit in {"points", "percentage points"}:
        return "percentage points"
    if qtype == "percent" and q.unit == "basis points":
        return "basis points"
    return ""


def programs_table(parsed: ParsedDoc, mentions: list[Mention], measures: list[Measure]) -> list[ProgramRow]:
    """One row per canonical program, in order of first mention."""
    index = DocIndex(parsed, mentions)
    cues = load_cues()
    groups: dict[str, list[Mention]] = {}
    for m in (m for m in index.mentions if m.type == "PROGRAM"):    # budget documents too
        name = (m.canonical or m.text).strip()
        if name:
            groups.setdefault(name, []).append(m)
    rows: list[ProgramRow] = []
    for name, group in sorted(groups.items(), key=lambda kv: (kv[1][0].start, kv[0])):
        first = group[0]
        iso3 = next((m.iso3 for m in group if m.iso3), "")
        if not iso3 and index.text:
            sent = index.sentence(first)
            clause = clause_bounds(index.text, sent, first.start, first.end, cues.clause_separators)
            iso3, _ = assign_country(index, first, sent, clause)
        year: Optional[int] = None
        # the year in the name, or in a mention's own text ("Trade Act of 1974", canonical "Trade Act")
        in_name = _YEAR_IN_NAME.search(name) or next(
            (found for found in (_YEAR_IN_NAME.search(m.text) for m in group) if found), None)
        if in_name:
            year = int(in_name.group(1))
        elif index.text:
            sent = index.sentence(first)
            date = nearest(index, "DATE", first, sent, sent, prefer="none")
            year = date.year if date is not None else None
        rows.append(ProgramRow(doc_id=parsed.doc_id, program=name, iso3=iso3, year=year, mentions=len(group)))
    return rows
