"""Title-case chunks whose nucleus (the last word before the first preposition) is a
programme head ("National Savings Plan for ...") or an organisation head ("Office of
Fisheries and Water"): chunking, trimming, splitting at verbs and coordination, and
shared token tests.
Nested names are split at an inner head; a programming period stays out of the name.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from .. import adapters
from ..vocab import NameVocab
from .tokens import (
    HEADING_SMALL_TAGS,
    LEAD_TRIM_TAGS,
    MONTHS,
    PREPOSITIONS,
    VERB_TAGS,
    YEAR,
    is_acronym,
    is_cap,
    is_number,
    only_places,
)


def title_case_chunks(doc: Doc, vocab: NameVocab) -> Iterable[list[Token]]:
    """Maximal runs of capitalized words, connectors, numbers and word-internal hyphens."""
    run: list[Token] = []
    for tok in doc:
        joins = False
        if run and not tok.is_sent_start and "\n" not in run[-1].whitespace_:
            prev = run[-1]
            if tok.text in _LINE_OPENERS and _opens_next_item(doc, run, tok, vocab):
                # EXTRACT-NAME-CAPITAL-PREPOSITION: "the Office of Harbours For the Ferry Division",
                # "Harbour Fund From Dock Fund": a name that writes its connectors in lower case, or a
                # capital "From", or a capital preposition before a lower-case "the" opens the next
                # line's item (a bill's lines run together); "Blueprint For Ferries" stays one name
                joins = False
            elif is_cap(tok):
                # "... Plan in February 2023": a month after a connector is a date, not a name.
                joins = not (tok.text in MONTHS and prev.lower_ in vocab.connectors)
            elif is_number(tok) and (is_cap(prev) or is_number(prev)):
                joins = True
            elif tok.lower_ in vocab.connectors or tok.text in vocab.connectors:
                joins = True
            elif tok.text == "-" and not prev.whitespace_ and not tok.whitespace_:
                joins = True
            elif tok.text == "," and _comma_list_in_name(doc, run, tok.i, vocab):
                joins = True
            elif prev.text == "-" and not prev.whitespace_ and tok.is_alpha:
                joins = True
        if joins:
            run.append(tok)
            continue
        if run:
            yield run
        run = [tok] if is_cap(tok) or _starts_ordinal_name(doc, tok) else []
    if run:
        yield run


_LINE_OPENERS = frozenset({"For", "From", "To"})


def _opens_next_item(doc: Doc, run: list[Token], tok: Token, vocab: NameVocab) -> bool:
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (tok.text == "From" or (nxt is not None and nxt.text == "the")
            or any(t.text.islower() and t.lower_ in vocab.connectors for t in run))


_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")


def _starts_ordinal_name(doc: Doc, tok: Token) -> bool:
    """'14th Five-Year Plan', '3rd National Action Plan': an ordinal that opens
    a capitalized name is part of it (several plans share the rest)."""
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (bool(_ORDINAL.fullmatch(tok.text)) and nxt is not None and is_cap(nxt)
            and not tok.is_sent_end and "\n" not in tok.whitespace_)


_MAX_LIST_WORDS = 3


def _comma_list_in_name(doc: Doc, run: list[Token], comma: int, vocab: NameVocab) -> bool:
    """'Ministry of Ports, Rail and Shipping': a comma list of capitalized words that
    ends in 'and X', right after the prepositional object of a headed name."""
    heads = vocab.program_heads | vocab.org_heads
    prep = next((k for k, t in enumerate(run) if t.lower_ in ("of", "for")), None)
    if prep is None:
        return _comma_list_opens_name(doc, run, comma, vocab)
    if prep == 0 or run[prep - 1].text not in heads or not is_cap(run[-1]):
        return False
    i, words = comma + 1, 0
    while i < len(doc) and words <= _MAX_LIST_WORDS:
        tok = doc[i]
        if "\n" in doc[i - 1].whitespace_:
            return False
        if is_cap(tok) and tok.is_alpha:
            words += 1
        elif tok.text == "," and words:
            words = 0
        elif tok.lower_ in ("and", "&") and words:
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            return nxt is not None and is_cap(nxt) and nxt.is_alpha and "\n" not in tok.whitespace_ \
                and not only_places(nxt.text)
        else:
            return False
        i += 1
    return False


# EXTRACT-NAME-COMMA-LIST-OPENS: "the Harbour, Dock and Ferry Works Programme", "Fisheries, Ports and
# Coastal Affairs Canada": a list of capitalised subjects that opens a name and runs on to its head
_MAX_LIST_RUN = 8


def _comma_list_opens_name(doc: Doc, run: list[Token], comma: int, vocab: NameVocab) -> bool:
    """The run so far is one to three capitalised words, not places; after the comma come
    capitalised words and commas, then "and X", then capitalised words up to a programme or
    organisation head or a country tail, on one line."""
    heads = vocab.program_heads | vocab.org_heads | vocab.org_country_tails
    if not 1 <= len(run) <= 3 or not all(is_cap(t) and t.is_alpha for t in run) \
            or only_places(" ".join(t.text for t in run)):
        return False
    seen_and = False
    for i in range(comma + 1, min(len(doc), comma + 1 + _MAX_LIST_RUN)):
        tok = doc[i]
        if "\n" in doc[i - 1].whitespace_:
            return False
        if tok.lower_ in ("and", "&"):
            if seen_and:
                return False
            seen_and = True
            continue
        if tok.text == "," and not seen_and:
            continue
        if not (is_cap(tok) and tok.is_alpha):
            return False
        if seen_and and tok.text in heads and i > comma + 2:
            return True
    return False


def trim_name(tokens: list[Token], vocab: NameVocab) -> list[Token]:
    # EXTRACT-NAME-LEADING-YEAR: "In 2020 the Harbour Fund paid": a number before "the" opens no name
    while len(tokens) > 2 and tokens[0].like_num and tokens[1].lower_ == "the":
        tokens = tokens[2:]
    while tokens and (tokens[0].tag_ in LEAD_TRIM_TAGS or tokens[0].lower_ in vocab.connectors
                      or not any(c.isalnum() for c in tokens[0].text)
                      or _participle_before_connector(tokens, vocab)):
        tokens = tokens[1:]
    for k in range(1, len(tokens)):
        if tokens[k].text in _PERIOD_LABELS:
            tokens = tokens[:k]    # "Ferry Fund in FY 2031": the fiscal-year label and its year are no name words
            break
    while tokens and (tokens[-1].lower_ in vocab.connectors or tokens[-1].text == "-"):
        tokens = tokens[:-1]
    return tokens


# EXTRACT-NAME-PERIOD-LABEL: fiscal and calendar period labels written before a year
_PERIOD_LABELS = frozenset({"FY", "SFY", "FFY", "CY"})


_SITE_PREPOSITIONS = frozenset({"in", "at"})


def _cut_trailing_place(tokens: list[Token]) -> list[Token]:
    """'Environmental Molecular Sciences Laboratory in Washington State': the site
    after "in"/"at" is not part of the body's name ("Made in Korea 2030" keeps its
    place: what follows the preposition there is no place name alone)."""
    for k in range(len(tokens) - 2, 0, -1):
        if tokens[k].lower_ in _SITE_PREPOSITIONS and tokens[k].text.islower():
            tail = tokens[k + 1:]
            if adapters.is_place_name(tokens[0].doc.text[tail[0].idx:tail[-1].idx + len(tail[-1].text)]):
                return tokens[:k]
            return tokens
    return tokens


def _participle_before_connector(tokens: list[Token], vocab: NameVocab) -> bool:
    """'According to the National Bureau of Statistics', 'Following the X Act':
    a sentence-initial participle and its preposition open no name."""
    return (len(tokens) > 1 and tokens[0].tag_ in ("VBG", "VBN") and tokens[0].is_sent_start
            and tokens[1].lower_ in vocab.connectors and tokens[1].text.islower())


def _split_at_verbs(tokens: list[Token]) -> list[list[Token]]:
    parts, cur = [], []
    for k, tok in enumerate(tokens):
        # "Future Made in Australia Innovation Fund": a capitalized participle
        # inside a name, followed by its preposition, is part of the name.
        inner = bool(cur) and is_cap(tok) and k + 1 < len(tokens) and tokens[k + 1].lower_ in PREPOSITIONS
        if tok.tag_ in VERB_TAGS and not inner:
            if cur:
                parts.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        parts.append(cur)
    return parts


def _split_coordination(tokens: list[Token], heads: frozenset[str]) -> list[list[Token]]:
    """'X Foundation and the Y Department' -> two names; 'Education and Research' stays one."""
    parts, cur = [], []
    for i, tok in enumerate(tokens):
        starts_new = i + 1 < len(tokens) and tokens[i + 1].lower_ == "the"
        if tok.lower_ in ("and", "&") and cur and (_ends_in_head(cur, heads) or starts_new) and i + 1 < len(tokens):
            parts.append(cur)
            cur = []
            continue
        cur.append(tok)
    if cur:
        parts.append(cur)
    return parts


# EXTRACT-NAME-SPLIT-VERSIONED: "the Harbour Ferry Policy-2031 and Harbour Dock Policy 2032": a head
# with its year ends the first name, as a bare head does
def _ends_in_head(cur: list[Token], heads: frozenset[str]) -> bool:
    last = cur[-1].text
    if _without_glued_year(last) in heads:
        return True
    rest = cur[:-1]
    if rest and rest[-1].text == "-":
        rest = rest[:-1]
    return is_year_token(last) and bool(rest) and rest[-1].text in heads


def _without_glued_year(text: str) -> str:
    """"Policy-2031" -> "Policy": a head with its year glued on; other words unchanged."""
    base, dash, tail = text.rpartition("-")
    return base if dash and is_year_token(tail) else text


def _nucleus(tokens: list[Token]) -> Token | None:
    last = None
    for tok in tokens:
        if tok.lower_ in PREPOSITIONS:
            break
        if not is_number(tok):
            last = tok
    return last


def _content_words(tokens: list[Token], vocab: NameVocab) -> list[Token]:
    return [t for t in tokens if t.lower_ not in vocab.connectors and any(c.isalnum() for c in t.text)]


def is_heading_sentence(sent: Span, vocab: NameVocab) -> bool:
    """A run-in or stand-alone heading: every word capitalized (connectors aside)."""
    words = [t for t in sent if t.is_alpha]
    if len(words) < 3:
        return False
    return all(t.text[:1].isupper() or t.lower_ in vocab.connectors or t.tag_ in HEADING_SMALL_TAGS
               for t in words)


# EXTRACT-NAME-RUN-IN-HEADING: a name that opens a heading and ends at a wide gap ("Office of Ferries  Harbour Fund. Provides ...")
def _run_in_name(doc: Doc, run: list[Token], sent: Span) -> bool:
    """A title-case run that opens its heading sentence and ends at a run of spaces or a line
    break: the name of the body or programme the heading is about, set apart from what follows."""
    if run[0].i != sent.start or run[-1].i + 1 >= sent.end:
        return False
    after = doc[run[-1].i + 1]
    if after.is_space:
        return after.text != "\n"
    # a bullet glyph or a private-use symbol a PDF font maps its bullets to ("\uf0a7")
    return "  " in run[-1].whitespace_ or after.text in _BULLETS or (
        len(after.text) == 1 and unicodedata.category(after.text) in ("So", "Co"))


_BULLETS = frozenset("•▪◦‣⁃●○■□–-*·")


def _is_list_item(sent: Span) -> bool:
    """A sentence opened by a bullet glyph is a list item, not a heading."""
    first = sent.text.lstrip()[:1]
    return bool(first) and first in _BULLETS


def _type_of(nucleus_text: str, vocab: NameVocab) -> str | None:
    nucleus_text = _without_glued_year(nucleus_text)
    if nucleus_text in vocab.program_heads:
        return "PROGRAM"
    if nucleus_text in vocab.org_heads:
        return "ORG"
    return None


def head_candidates(doc: Doc, vocab: NameVocab) -> list[tuple[list[Token], str]]:
    """(tokens, type) for title-case names headed by a programme/organisation noun."""
    heads = vocab.program_heads | vocab.org_heads
    out = []
    sents = list(doc.sents)  # once per doc: Token.sent rescans the doc each call
    sent_starts = [s.start for s in sents]
    heading_sents: dict[int, bool] = {}
    for run in title_case_chunks(doc, vocab):
        k = bisect.bisect_right(sent_starts, run[0].i) - 1
        if k not in heading_sents:
            heading_sents[k] = is_heading_sentence(sents[k], vocab)
        if heading_sents[k] and not (_is_list_item(sents[k]) or _paren_acronym_follows(doc, run)
                                     or _run_in_name(doc, run, sents[k])):
            continue  # a heading, unless it is a bullet item or defines an acronym: "Food and Drug Administration (FDA)"
        for part in _split_at_verbs(run):
            # "Call Customer Service", "See the Official Payments Corporation", "Set Up a Payment Plan":
            # instructions of forms and web pages. Policy bullets ("Expand the X Partnership") stay.
            imperative = _after_imperative(doc, part[0]) or (
                part[0].tag_ == "VB" and len(part) > 1 and part[1].tag_ in ("DT", "RP", "PRP"))
            phrasal = imperative and _phrasal_instruction(doc, part)
            if part[0].tag_ == "VB" and len(part) > 1:
                part = part[1:]  # "Expand the X Partnership": the verb is not part of the name
            for coordinated in _split_coordination(part, heads):
                for piece in _split_nested(trim_name(coordinated, vocab), vocab):
                    piece = _drop_reference_lead(_cut_trailing_place(trim_name(_drop_period(piece), vocab)), vocab)
                    content = _content_words(piece, vocab)
                    if len(content) < 2:
                        continue
                    nucleus = _nucleus(piece)
                    kind = _type_of(nucleus.text, vocab) if nucleus is not None else None
                    if kind is None and piece[-1].text in vocab.program_heads:
                        # "Chips for Europe Initiative": the head closes a name with inner function words
                        kind, nucleus = "PROGRAM", piece[-1]
                    if kind is None and _head_first_name(piece, vocab):
                        # "Plan México", "Programa Brasil Mais": Romance-language word order
                        kind, nucleus = "PROGRAM", piece[0]
                    if kind is None and _country_named_body(piece, content, vocab):
                        kind, nucleus = "ORG", piece[-1]
                    if kind is None:
                        continue
                    # EXTRACT-NAME-WEAK-HEAD: a weak head ("Tax Credit", "Capital Allowance") names a programme
                    # only with three content words that are not numbers or ordinals ("Ferry Allowance 1" is a
                    # schedule line, "Second Term Loan" a loan's place in a sequence)
                    if nucleus.text in vocab.weak_program_heads and sum(not (is_number(t) or t.like_num) for t in content) < 3 \
                            and not _paren_acronym_follows(doc, piece) and not _acronym_named(content):
                        continue  # "Tax Credit", "Investment Incentive": generic without more words
                    if all(t.text in vocab.generic_words or t.text in heads for t in content):
                        continue
                    # EXTRACT-NAME-ACTION-TYPE: a funding instrument's type ("Coordination and Support
                    # Action", "Innovation Action" of a work programme) is what kind of grant, no programme
                    if kind == "PROGRAM" and " ".join(t.text for t in piece).lower() in vocab.action_types:
                        continue
                    # EXTRACT-NAME-PLURAL-OF: "Participants of the Ferry Accelerator" names people in a
                    # programme, not the programme: a plural noun and "of" open no programme's name
                    if kind == "PROGRAM" and len(piece) > 2 and piece[0].tag_ == "NNS" and piece[1].lower_ == "of":
                        continue
                    # EXTRACT-NAME-WEAK-PURPOSE: a weak head and a purpose ("Measures to Promote Ferry
                    # Yards") describe what measures do; no programme's title opens so
                    if kind == "PROGRAM" and piece[0].text in vocab.weak_program_heads and len(piece) > 2 \
                            and piece[1].lower_ == "to" and (piece[1].pos_ == "PART" or piece[2].tag_ == "VB"):
                        continue
                    weak = kind == "ORG" and nucleus.text in vocab.weak_org_heads
                    if phrasal or (imperative and weak):
                        continue
                    if weak and not _public_evidence(doc, piece, content, vocab):
                        continue
                    if kind == "PROGRAM":
                        piece = _with_enactment_year(doc, piece)
                    out.append((piece, kind))
    return out


# EXTRACT-NAME-COUNTRY-TAIL: "<Subject> <Country>" names a government body where that country names its bodies so
def _country_named_body(piece: list[Token], content: list[Token], vocab: NameVocab) -> bool:
    """"Natural Resources Canada", "Environment and Climate Change Canada": two or more content
    words, then a country of org_heads.csv role=country_tail, and no preposition ("Made in X")."""
    if not (len(piece) >= 2 and piece[-1].text in vocab.org_country_tails and len(content) >= 2):
        return False
    if piece[-2].lower_ in vocab.connectors or piece[-2].text == "&":
        return False      # "Greece and Ireland": a list of places
    if piece[0].lower_.endswith("ing"):
        return False      # "Boosting Ferries Iceland": a heading's verb, no body
    return (not any(t.lower_ in PREPOSITIONS for t in piece[:-1])
            and not any(adapters.is_place_name(t.text) for t in piece[:-1])
            and not adapters.is_place_name(" ".join(t.text for t in piece)))


# EXTRACT-NAME-ACRONYM-WEAK-HEAD: an acronym before a weak head names one instrument ("FYT Rebate", "HFC Credit")
def _acronym_named(content: list[Token]) -> bool:
    """A weak head ("Rebate", "Credit") after an acronym: the acronym names which one."""
    return len(content) == 2 and is_acronym(content[0].text) and "&" not in content[0].text


_ROMAN = re.compile(r"[IVXLC]+\Z")


def _drop_reference_lead(tokens: list[Token], vocab: NameVocab) -> list[Token]:
    """'Title II of the Social Security Act', 'Section 871 of the Internal Revenue Code':
    the part of a law is cited, the law is the name."""
    if len(tokens) < 4 or not (_ROMAN.match(tokens[0].text) or tokens[0].text.rstrip(".") in vocab.reference_words):
        return tokens
    for k in range(1, min(4, len(tokens) - 1)):
        if tokens[k].lower_ == "of":
            rest = tokens[k + 1:]
            while rest and rest[0].lower_ == "the":
                rest = rest[1:]
            return rest or tokens
    return tokens


# "of <year>" only: a period after a name ("Operational Programme 2007-2013") is the
# programming period, a DATE (docs/EXPECTATIONS.md), not part of the name.
_NAME_YEARS = re.compile(r"\s+of\s+(?:19|20)\d\d\b")
_ENDS_IN_NAME_YEAR = re.compile(r"(.*\S)\s+of\s+(?:19|20)\d\d$")


def law_short_name(text: str, start: int = 0, end: int | None = None) -> str | None:
    """'Trade Act of 1974' -> 'Trade Act' (the canonical of a law named with its year);
    None when text[start:end] does not end in "of <year>"."""
    found = _ENDS_IN_NAME_YEAR.match(text, start, len(text) if end is None else end)
    return found.group(1) if found else None


def _with_enactment_year(doc: Doc, piece: list[Token]) -> list[Token]:
    """'Trade Act of 1974': the year of a law is part of its name (guide: not a DATE)."""
    end_char = piece[-1].idx + len(piece[-1].text)
    m = _NAME_YEARS.match(doc.text, end_char)
    if not m:
        return piece
    span = doc.char_span(end_char, m.end(), alignment_mode="contract")
    if span is None or span.end_char != m.end():
        return piece
    return piece + list(span)


_MAX_HEAD_FIRST = 4


def _head_first_name(piece: list[Token], vocab: NameVocab) -> bool:
    """A programme head followed by 1-3 capitalized words and nothing else, not
    opening its sentence ("announced Plan México"): names in Spanish or
    Portuguese word order. Sentence-initial runs ("Plan Ahead ...") are not."""
    first = piece[0]
    return (first.text in vocab.program_heads and first.text not in vocab.weak_program_heads
            and 2 <= len(piece) <= _MAX_HEAD_FIRST and not first.is_sent_start
            and all(is_cap(t) and t.text not in vocab.program_heads | vocab.org_heads for t in piece[1:])
            and first.i > 0 and first.doc[first.i - 1].tag_ not in ("DT", "PRP$", "POS"))


def is_year_token(text: str) -> bool:
    return bool(YEAR.fullmatch(text))


PERIOD_TOKEN = re.compile(r"(?:19|20)\d\d[-–/](?:\d\d|(?:19|20)\d\d)")


def _drop_period(tokens: list[Token]) -> list[Token]:
    """A programming period after a name is not part of it: "Operational Programme 2007-2013"."""
    if not tokens:
        return tokens
    if len(tokens) >= 2 and tokens[-1].text == tokens[-2].text and tokens[-1].is_alpha:
        tokens = tokens[:-1]  # "Board of Education Education": a figure label run into the next
    last = tokens[-1]
    if PERIOD_TOKEN.fullmatch(last.text):
        return tokens[:-1]
    doc = last.doc
    if is_year_token(last.text) and last.i + 2 < len(doc) and doc[last.i + 1].text in ("-", "–", "/") \
            and not last.whitespace_ and re.fullmatch(r"\d\d|(?:19|20)\d\d", doc[last.i + 2].text):
        return tokens[:-1]
    if len(tokens) >= 3 and tokens[-2].text in ("-", "–", "/") and is_year_token(tokens[-3].text) \
            and re.fullmatch(r"\d\d|(?:19|20)\d\d", tokens[-1].text):
        return tokens[:-3]
    return tokens


def _after_imperative(doc: Doc, first: Token) -> bool:
    """The name is the object of a capitalized instruction ("Call X", "See the X", "Set Up a X")."""
    i = first.i - 1
    if i >= 0 and doc[i].tag_ == "DT":
        i -= 1
    particle = i >= 0 and doc[i].tag_ == "RP"
    if particle:
        i -= 1
    if i < 0 or not doc[i].text[:1].isupper():
        return False
    # a capitalized verb, or any capitalized word + particle ("Set Up", "Sign In")
    return doc[i].tag_ == "VB" or (particle and doc[i].is_alpha)


def _phrasal_instruction(doc: Doc, part: list[Token]) -> bool:
    """'Set Up a Payment Plan', 'Sign In to ...': a capitalized verb + particle before the name."""
    i = part[0].i
    window = list(doc[max(0, i - 3):min(len(doc), i + 2)])
    return any(t.tag_ == "RP" and t.text[:1].isupper() for t in window)


def _split_nested(tokens: list[Token], vocab: NameVocab) -> list[list[Token]]:
    """Split a run that holds two names.

    - "Working Group of the National Water and Soil Council": a sub-unit
      "of the" a full body name; the main body is kept, the sub-unit dropped
      (decision: measures are attributed to the named main body).
    - "Ministry of Education Finnish National Board of Education": a second
      headed name right after the first one's prepositional object.
    - a bare number after the prepositional object ends an ORG name
      ("Department of the Treasury 2007 Internal Revenue Service").
    """
    heads = vocab.program_heads | vocab.org_heads
    prep = next((k for k, t in enumerate(tokens) if t.lower_ in PREPOSITIONS), None)
    if prep is None or prep == 0:
        return [tokens]
    first_nucleus = _nucleus(tokens)
    is_org = first_nucleus is not None and first_nucleus.text in vocab.org_heads
    for k in range(prep, len(tokens) - 1):
        tok = tokens[k]
        if tok.lower_ == "of" and tokens[k + 1].lower_ == "the" and is_org:
            tail = tokens[k + 2:]
            tail_nucleus = _nucleus(tail)
            if tail_nucleus is not None and tail_nucleus.text in vocab.org_heads \
                    and len(_content_words(tail, vocab)) >= 2:
                return _split_nested(tail, vocab)
        if k <= prep:
            continue
        if is_org and is_number(tok):
            return [tokens[:k]] + _split_nested(tokens[k + 1:], vocab)
        prev = tokens[k - 1]
        if tok.is_alpha and is_cap(tok) and tok.lower_ not in vocab.connectors \
                and prev.lower_ not in vocab.connectors and prev.text != "-":
            tail = tokens[k:]
            tail_nucleus = _nucleus(tail)
            if tail_nucleus is not None and tail_nucleus.text in heads \
                    and len(_content_words(tail, vocab)) >= 2 \
                    and first_nucleus is not None and first_nucleus.text in heads:
                lead = tokens[:prep]
                if tokens[prep + 1].lower_ == "the" and prep + 2 < k and _nucleus(lead) is not None \
                        and _nucleus(lead).text in heads and len(_content_words(lead, vocab)) >= 2:
                    # EXTRACT-NAME-OBJECT-NAME: "General Fund for the Coastal Energy Office": the
                    # object after "for the" is the second name whole, not a tail of the first
                    return [lead] + _split_nested(tokens[prep + 2:], vocab)
                return [tokens[:k]] + _split_nested(tail, vocab)
    return [tokens]


def _paren_acronym_follows(doc: Doc, tokens: list[Token]) -> bool:
    end = tokens[-1].i + 1
    return end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")" and is_acronym(doc[end + 1].text)


def _public_evidence(doc: Doc, tokens: list[Token], content: list[Token], vocab: NameVocab) -> bool:
    """A name headed by a weak noun ("Service", "Center", "University") is a public body only with
    an acronym pair, a public modifier, a country in it, an of/for phrase, or three content words."""
    if len(content) >= 3 or _paren_acronym_follows(doc, tokens):
        return True
    if any(t.lower_ in PREPOSITIONS for t in tokens):
        return True
    if any(t.text in vocab.public_modifiers for t in content):
        return True
    text = doc.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)]
    return any(getattr(p, "type", "") == "COUNTRY" for p in adapters.find_places(text))
