"""PROGRAM and ORG candidates from general patterns (no names in code).

Three sources, all driven by the head/connector lists in pipeline/data:
- title-case chunks whose nucleus (the last word before the first
  preposition) is a programme head ("National Action Plan for ...") or an
  organisation head ("Ministry of Education and Research");
- names carrying a year or version ("Society 5.0", "Digital Agenda 2030");
- quoted title-case names ("“Advanced Manufacturing Partner Program”").
An acronym in parentheses right after a name pairs with it ("... (NIST)").
"""
from __future__ import annotations

import bisect
import calendar
import functools
import re
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from . import adapters
from .candidates import Candidate
from .vocab import NameVocab

_MONTHS = frozenset(m for m in list(calendar.month_name) + list(calendar.month_abbr) if m)
_PREPOSITIONS = frozenset({"of", "for", "on", "in", "to", "de", "des", "du", "la"})
_LEAD_TRIM_TAGS = frozenset({"DT", "IN", "PRP", "PRP$", "CC", "WDT", "WRB", "RB", "TO", "EX", "MD", "PDT", "UH"})
# Lower-case words a title-case heading may contain ("Brought to China by the ...").
_HEADING_SMALL_TAGS = frozenset({"IN", "DT", "CC", "TO", "PRP$", "POS", "WDT"})
_VERB_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
_NUMBER = re.compile(r"\d+(?:\.\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_VERSION = re.compile(r"\d\.0")   # "Society 5.0", "Web 3.0"; "Nabisco 8.3" is a table value
ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&]{1,9}")
_QUOTED = re.compile(r"[“\"«„]([^“”\"«»\n]{2,150}?)[”\"»]")
_BAD_IN_QUOTE = re.compile(r"[—–:;!?()\[\]]")


def is_acronym(text: str) -> bool:
    return bool(ACRONYM.fullmatch(text)) and sum(c.isupper() for c in text) >= 2 and not text.isdigit()


def _is_cap(tok: Token) -> bool:
    t = tok.text
    return t[:1].isupper() and any(c.isalpha() for c in t)


def _is_number(tok: Token) -> bool:
    return bool(_NUMBER.fullmatch(tok.text))


def _is_name_number(text: str) -> bool:
    return bool(_YEAR.fullmatch(text) or _VERSION.fullmatch(text))


def _chunks(doc: Doc, vocab: NameVocab) -> Iterable[list[Token]]:
    """Maximal runs of capitalized words, connectors, numbers and word-internal hyphens."""
    run: list[Token] = []
    for tok in doc:
        joins = False
        if run and not tok.is_sent_start and "\n" not in run[-1].whitespace_:
            prev = run[-1]
            if _is_cap(tok):
                # "... Plan in February 2023": a month after a connector is a date, not a name.
                joins = not (tok.text in _MONTHS and prev.lower_ in vocab.connectors)
            elif _is_number(tok) and (_is_cap(prev) or _is_number(prev)):
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
        run = [tok] if _is_cap(tok) or _starts_ordinal_name(doc, tok) else []
    if run:
        yield run


_ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")


def _starts_ordinal_name(doc: Doc, tok: Token) -> bool:
    """'14th Five-Year Plan', '3rd National Action Plan': an ordinal that opens
    a capitalized name is part of it (several plans share the rest)."""
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (bool(_ORDINAL.fullmatch(tok.text)) and nxt is not None and _is_cap(nxt)
            and not tok.is_sent_end and "\n" not in tok.whitespace_)


_MAX_LIST_WORDS = 3


def _comma_list_in_name(doc: Doc, run: list[Token], comma: int, vocab: NameVocab) -> bool:
    """'Ministry of Trade, Industry and Energy': a comma list of capitalized words that
    ends in 'and X', right after the prepositional object of a headed name."""
    heads = vocab.program_heads | vocab.org_heads
    prep = next((k for k, t in enumerate(run) if t.lower_ in ("of", "for")), None)
    if prep is None or prep == 0 or run[prep - 1].text not in heads or not _is_cap(run[-1]):
        return False
    i, words = comma + 1, 0
    while i < len(doc) and words <= _MAX_LIST_WORDS:
        tok = doc[i]
        if "\n" in doc[i - 1].whitespace_:
            return False
        if _is_cap(tok) and tok.is_alpha:
            words += 1
        elif tok.text == "," and words:
            words = 0
        elif tok.lower_ in ("and", "&") and words:
            nxt = doc[i + 1] if i + 1 < len(doc) else None
            return nxt is not None and _is_cap(nxt) and nxt.is_alpha and "\n" not in tok.whitespace_ \
                and not _only_places(nxt.text)
        else:
            return False
        i += 1
    return False


def _trim(tokens: list[Token], vocab: NameVocab) -> list[Token]:
    while tokens and (tokens[0].tag_ in _LEAD_TRIM_TAGS or tokens[0].lower_ in vocab.connectors
                      or not any(c.isalnum() for c in tokens[0].text)
                      or _participle_before_connector(tokens, vocab)):
        tokens = tokens[1:]
    while tokens and (tokens[-1].lower_ in vocab.connectors or tokens[-1].text == "-"):
        tokens = tokens[:-1]
    return tokens


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
        inner = bool(cur) and _is_cap(tok) and k + 1 < len(tokens) and tokens[k + 1].lower_ in _PREPOSITIONS
        if tok.tag_ in _VERB_TAGS and not inner:
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
        if tok.lower_ in ("and", "&") and cur and (cur[-1].text in heads or starts_new) and i + 1 < len(tokens):
            parts.append(cur)
            cur = []
            continue
        cur.append(tok)
    if cur:
        parts.append(cur)
    return parts


def _nucleus(tokens: list[Token]) -> Token | None:
    last = None
    for tok in tokens:
        if tok.lower_ in _PREPOSITIONS:
            break
        if not _is_number(tok):
            last = tok
    return last


def _content_words(tokens: list[Token], vocab: NameVocab) -> list[Token]:
    return [t for t in tokens if t.lower_ not in vocab.connectors and any(c.isalnum() for c in t.text)]


def _is_heading_sentence(sent: Span, vocab: NameVocab) -> bool:
    """A run-in or stand-alone heading: every word capitalized (connectors aside)."""
    words = [t for t in sent if t.is_alpha]
    if len(words) < 3:
        return False
    return all(t.text[:1].isupper() or t.lower_ in vocab.connectors or t.tag_ in _HEADING_SMALL_TAGS
               for t in words)


_BULLETS = frozenset("•▪◦‣⁃●○■□–-*·")


def _is_list_item(sent: Span) -> bool:
    """A sentence opened by a bullet glyph is a list item, not a heading."""
    first = sent.text.lstrip()[:1]
    return bool(first) and first in _BULLETS


def _type_of(nucleus_text: str, vocab: NameVocab) -> str | None:
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
    for run in _chunks(doc, vocab):
        k = bisect.bisect_right(sent_starts, run[0].i) - 1
        if k not in heading_sents:
            heading_sents[k] = _is_heading_sentence(sents[k], vocab)
        if heading_sents[k] and not (_is_list_item(sents[k]) or _paren_acronym_follows(doc, run)):
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
                for piece in _split_nested(_trim(coordinated, vocab), vocab):
                    piece = _drop_reference_lead(_cut_trailing_place(_trim(_drop_period(piece), vocab)), vocab)
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
                    if kind is None:
                        continue
                    if nucleus.text in vocab.weak_program_heads and len(content) < 3 \
                            and not _paren_acronym_follows(doc, piece):
                        continue  # "Tax Credit", "Investment Incentive": generic without more words
                    if all(t.text in vocab.generic_words or t.text in heads for t in content):
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
            and all(_is_cap(t) and t.text not in vocab.program_heads | vocab.org_heads for t in piece[1:])
            and first.i > 0 and first.doc[first.i - 1].tag_ not in ("DT", "PRP$", "POS"))


def _is_year_token(text: str) -> bool:
    return bool(_YEAR.fullmatch(text))


_PERIOD_TOKEN = re.compile(r"(?:19|20)\d\d[-–/](?:\d\d|(?:19|20)\d\d)")


def _drop_period(tokens: list[Token]) -> list[Token]:
    """A programming period after a name is not part of it: "Operational Programme 2007-2013"."""
    if not tokens:
        return tokens
    if len(tokens) >= 2 and tokens[-1].text == tokens[-2].text and tokens[-1].is_alpha:
        tokens = tokens[:-1]  # "Board of Education Education": a figure label run into the next
    last = tokens[-1]
    if _PERIOD_TOKEN.fullmatch(last.text):
        return tokens[:-1]
    doc = last.doc
    if _is_year_token(last.text) and last.i + 2 < len(doc) and doc[last.i + 1].text in ("-", "–", "/") \
            and not last.whitespace_ and re.fullmatch(r"\d\d|(?:19|20)\d\d", doc[last.i + 2].text):
        return tokens[:-1]
    if len(tokens) >= 3 and tokens[-2].text in ("-", "–", "/") and _is_year_token(tokens[-3].text) \
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

    - "Subcommittee of the National Science and Technology Council": a sub-unit
      "of the" a full body name; the main body is kept, the sub-unit dropped
      (decision: measures are attributed to the named main body).
    - "Ministry of Education Finnish National Board of Education": a second
      headed name right after the first one's prepositional object.
    - a bare number after the prepositional object ends an ORG name
      ("Department of the Treasury 2007 Internal Revenue Service").
    """
    heads = vocab.program_heads | vocab.org_heads
    prep = next((k for k, t in enumerate(tokens) if t.lower_ in _PREPOSITIONS), None)
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
        if is_org and _is_number(tok):
            return [tokens[:k]] + _split_nested(tokens[k + 1:], vocab)
        prev = tokens[k - 1]
        if tok.is_alpha and _is_cap(tok) and tok.lower_ not in vocab.connectors \
                and prev.lower_ not in vocab.connectors and prev.text != "-":
            tail = tokens[k:]
            tail_nucleus = _nucleus(tail)
            if tail_nucleus is not None and tail_nucleus.text in heads \
                    and len(_content_words(tail, vocab)) >= 2 \
                    and first_nucleus is not None and first_nucleus.text in heads:
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
    if any(t.lower_ in _PREPOSITIONS for t in tokens):
        return True
    if any(t.text in vocab.public_modifiers for t in content):
        return True
    text = doc.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)]
    return any(getattr(p, "type", "") == "COUNTRY" for p in adapters.find_places(text))


def version_candidates(doc: Doc, vocab: NameVocab) -> list[list[Token]]:
    """Names ending in a year or version number: 'Society 5.0', 'Made in Korea 2030'."""
    out = []
    for run in _chunks(doc, vocab):
        for idx, tok in enumerate(run):
            if idx == 0 or not _is_name_number(tok.text):
                continue
            before = run[idx - 1]
            if not _is_cap(before) or before.text in _MONTHS or before.text.rstrip(".") in vocab.reference_words:
                continue
            # Walk back over at most four words; stop at verbs and plural proper
            # nouns, which in headings are verbs ("Germany Implements ...").
            first = idx - 1
            while first - 1 >= 0 and idx - (first - 1) <= 4:
                prev = run[first - 1]
                if prev.tag_ in _VERB_TAGS or prev.tag_ == "NNPS" or _is_number(prev):
                    break
                first -= 1
            tokens = _trim(run[first:idx + 1], vocab)
            if len(tokens) < 2 or tokens[0].text in _MONTHS:
                continue
            if idx + 1 < len(run) and _is_number(run[idx + 1]):
                continue  # a table row: "Estonia 1.1 2.3"
            words = [t for t in tokens[:-1] if t.is_alpha]
            if words and all(t.is_upper for t in words) and len(words) > 1:
                continue  # an all-caps heading
            if _only_places(doc.text[tokens[0].idx:tokens[-2].idx + len(tokens[-2].text)]):
                continue  # "EU 2020": a place and a year
            if _VERSION.fullmatch(tok.text) and _only_places(before.text):
                continue  # "Switzerland 2.0": a table value after a place
            if tok.i + 1 < len(doc) and doc[tok.i + 1].text[:1] in "-–—" \
                    and not tok.whitespace_:
                continue  # an identifier: "AD 2018-23-05"
            has_head = any(t.text in vocab.program_heads for t in tokens)
            if _YEAR.fullmatch(tok.text) and not has_head and not _has_cue(doc, tokens[0].idx, vocab):
                continue  # "Retail Pocket Book 1998": a title and a year, no policy context
            out.append(tokens)
    return out


_MAX_SHORT_NAME = 4


def _name_token(tok: Token) -> bool:
    return (_is_cap(tok) or _is_number(tok)) and not tok.is_punct


def lower_head_candidates(doc: Doc, vocab: NameVocab) -> list[Candidate]:
    """'the Noste programme', 'Objective 3 programme', 'the ESF-funded Equal programme'.

    A short capitalized name (at most four words, or a word and a number)
    right before a lower-case programme head. The span is name + head; with a
    programming period in between ("Objective 3 2000-06 programme") the span
    is the name and the head goes into the canonical.
    """
    out: list[Candidate] = []
    text = doc.text
    for head in doc:
        if head.text not in vocab.lower_heads or head.i == 0 \
                or (head.tag_.startswith("VB") and _verb_reading(doc, head.i)):
            continue  # "Analysts at the X Association project that ...": a verb, not a head
        j = head.i - 1
        # skip a programming period between the name and the head
        period = False
        if _PERIOD_TOKEN.fullmatch(doc[j].text):
            j, period = j - 1, True
        elif j >= 2 and doc[j - 1].text in ("-", "–", "/") and _is_year_token(doc[j - 2].text):
            j, period = j - 3, True
        end_tok = j

        def joins(k: int) -> bool:
            return _name_token(doc[k]) and (k == end_tok or "\n" not in doc[k].whitespace_)

        while j >= 0 and end_tok - j < _MAX_SHORT_NAME and joins(j):
            j -= 1
        if j >= 0 and joins(j):
            continue  # a longer title-case run: the head-noun rules handle it
        first = j + 1
        while first <= end_tok and doc[first].tag_ in _LEAD_TRIM_TAGS:
            first += 1  # "The Noste programme" at a sentence start
        if first > end_tok:
            continue
        has_number = any(_is_number(t) for t in doc[first + 1:end_tok + 1])
        if _is_number(doc[first]):
            continue  # "20 Retirement plan": a line number, not a name
        if doc[first].is_sent_start and not has_number:
            continue  # a sentence-initial capital is no evidence of a name
        if not has_number and not _determined(doc, first):
            continue  # a bare capitalized word before "plan" ("Retirement plan" box) is a label
        if first - 1 >= 1 and doc[first - 1].lower_ in vocab.connectors and _is_cap(doc[first - 2]) \
                and doc[first - 2].tag_ not in _LEAD_TRIM_TAGS:  # "Under the X programme" is no longer name
            continue  # "Made in Korea 2030 plan": the tail of a longer name
        name = list(doc[first:end_tok + 1])
        name = _strip_leading_demonyms(name)
        if not name or not _good_short_name(name, doc, vocab):
            continue
        start = name[0].idx
        if _is_name_number(name[-1].text):
            # "the Vision 2030 strategy": a versioned name is complete without the head
            out.append(Candidate(start, name[-1].idx + len(name[-1].text), "PROGRAM", {}))
        elif period:
            name_end = name[-1].idx + len(name[-1].text)
            out.append(Candidate(start, name_end, "PROGRAM",
                                 {"alias_of": text[start:name_end] + " " + head.text}))
        else:
            out.append(Candidate(start, head.idx + len(head.text), "PROGRAM", {}))
    return out


_DETERMINER_TAGS = frozenset({"DT", "PRP$", "POS", "WP$"})


def _determined(doc: Doc, first: int) -> bool:
    """'the Noste programme', "Finland's Noste programme", 'the ESF-funded Equal programme'."""
    i = first - 1
    # a hyphenated modifier between the determiner and the name: "the ESF-funded"
    while i >= 2 and doc[i].tag_ in ("VBN", "JJ", "VBG") and doc[i - 1].text in ("-", "–") \
            and not doc[i - 1].whitespace_:
        i -= 3
    return i >= 0 and (doc[i].tag_ in _DETERMINER_TAGS or doc[i].lower_ in ("the", "a", "an", "its", "their"))


def _strip_leading_demonyms(name: list[Token]) -> list[Token]:
    """'the Finnish Noste programme' -> 'Noste programme' (the owner comes from the demonym)."""
    while len(name) > 1 and _only_countries(name[0].text):
        name = name[1:]
    return name


def _good_short_name(name: list[Token], doc: Doc, vocab: NameVocab) -> bool:
    words = [t for t in name if any(c.isalpha() for c in t.text)]
    if not words or not any(_is_cap(t) for t in words):
        return False
    has_number = any(_is_number(t) for t in name)
    if has_number and _is_year_token(name[-1].text) and len(name) == 1:
        return False
    if any(t.text in _MONTHS or t.text.rstrip(".") in vocab.reference_words for t in words):
        return False  # "the June plan", "Table 3 project"
    if all(t.text in vocab.generic_words or t.text in vocab.program_heads or t.text in vocab.public_modifiers
           for t in words):
        return False  # "the Government programme", "the National strategy", "the State scheme"
    last = words[-1].text
    if last in vocab.org_heads and last not in vocab.weak_org_heads:
        return False  # "the Ministry programme": a body's programme, not a name
    if last in vocab.weak_org_heads and _verb_reading(doc, name[-1].i + 1):
        return False  # "the X Association project that ...": the body is the subject of a verb
    if len(words) == 1 and words[0].text.isupper() and not has_number and words[0].text in vocab.org_aliases:
        return False  # "the NSF program": a known body's programme, not a name
    text = doc.text[name[0].idx:name[-1].idx + len(name[-1].text)]
    if _only_countries(text):
        return False  # "the EU programme", "the Finnish scheme"
    return True


def _verb_reading(doc: Doc, head_i: int) -> bool:
    """The lower-case head reads as a verb: 'project that ...', 'plan to invest'."""
    nxt = head_i + 1
    if nxt >= len(doc):
        return False
    if doc[nxt].lower_ == "that":
        return True
    return doc[nxt].lower_ == "to" and nxt + 1 < len(doc) and doc[nxt + 1].tag_ == "VB"


def _only_countries(text: str) -> bool:
    countries = [p for p in adapters.find_places(text) if getattr(p, "type", "") == "COUNTRY"]
    return sum(p.end - p.start for p in countries) >= len(text.strip()) - 1


@functools.lru_cache(maxsize=4)
def _cue_pattern(cues: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def _has_cue(doc: Doc, start_char: int, vocab: NameVocab) -> bool:
    """A policy word in the sentence around start_char ("launched", "plan", "funding")."""
    span = doc.char_span(start_char, min(start_char + 1, len(doc.text)), alignment_mode="expand")
    if span is None or not vocab.cue_words:
        return False
    sent = span[0].sent
    return bool(_cue_pattern(vocab.cue_words).search(sent.text))


def _only_places(text: str) -> bool:
    covered = sum(m.end - m.start for m in adapters.find_places(text))
    return covered >= len(text.strip()) - 1


def quoted_candidates(doc: Doc, vocab: NameVocab) -> list[Candidate]:
    """Quoted names: title case, or with a head word / version, 1-10 words."""
    text = doc.text
    out = []
    for m in _QUOTED.finditer(text):
        inner = m.group(1)
        start = m.start(1) + (len(inner) - len(inner.lstrip()))
        stripped = inner.strip().rstrip(",.;: ")
        end = start + len(stripped)
        if not stripped or _BAD_IN_QUOTE.search(stripped) or not stripped[0].isupper():
            continue
        words = stripped.split()
        if not 1 <= len(words) <= 10:
            continue
        content = [w for w in words if w.lower() not in vocab.connectors]
        has_number = any(_is_name_number(w) or re.search(r"[A-Za-z]\d{2,}", w) for w in words)
        has_head = any(w in vocab.program_heads or w in vocab.org_heads for w in words)
        first_tok = doc.char_span(start, start + len(words[0]), alignment_mode="expand")
        if first_tok is not None and first_tok[0].tag_ == "VB" and len(words) > 1:
            continue  # “Set Up a Payment Plan”: an instruction, not a name
        # 'the "Reinvigoration of manufacturing" measures': a quoted name before a lower-case head
        after = re.match(r"\s+([a-z]+)\b", text[m.end():m.end() + 20])
        if after and after.group(1) in vocab.quoted_heads and len(words) >= 2:
            has_head = True
        title_case = all(w[:1].isupper() or w[:1].isdigit() for w in content)
        if len(words) == 1 and not has_number:
            continue
        if not title_case and not has_head:
            continue
        if not has_head and not _has_cue(doc, m.start(), vocab):
            # A quoted title without a head noun is a name only in a policy context.
            continue
        nucleus = None
        for w in words:
            if w.lower() in _PREPOSITIONS:
                break
            if not _NUMBER.fullmatch(w):
                nucleus = w
        kind = "ORG" if nucleus in vocab.org_heads else "PROGRAM"
        out.append(Candidate(start, end, kind, {"quoted": True}))
    return out


def _initials(tokens: list[Token], vocab: NameVocab, with_connectors: bool) -> str:
    return "".join(t.text[0].upper() for t in tokens
                   if t.text[:1].isalpha() and (with_connectors or t.lower_ not in vocab.connectors))


def pair_acronym(doc: Doc, tokens: list[Token], vocab: NameVocab) -> tuple[list[Token], Token | None]:
    """If '(ACR)' follows the name, trim the name to the words the acronym abbreviates."""
    end = tokens[-1].i + 1
    if end + 2 >= len(doc) or doc[end].text != "(" or doc[end + 2].text != ")" or not is_acronym(doc[end + 1].text):
        return tokens, None
    acr = doc[end + 1]
    letters = "".join(c for c in acr.text if c.isalpha()).upper()
    for first in range(len(tokens) - 1, -1, -1):
        suffix = tokens[first:]
        if _initials(suffix, vocab, False) == letters or _initials(suffix, vocab, True) == letters:
            return _trim(suffix, vocab) or tokens, acr
    return tokens, acr


_SERIES_TOPIC_TAGS = frozenset({"NN", "NNS", "JJ", "CC", "VBG", "HYPH"})
_MAX_SERIES_TOPIC = 8


def program_alias_candidates(doc: Doc, vocab: NameVocab) -> list[Candidate]:
    """Programmes named without a head noun ("Horizon Europe"), from program_aliases.csv, and
    single instances of an acronym-named series: "IPCEI on microelectronics and communication
    technologies" (the acronym, "on", then lower-case topic words ending in a noun)."""
    if vocab.program_alias_pattern is None:
        return []
    out: list[Candidate] = []
    for m in vocab.program_alias_pattern.finditer(doc.text):
        canonical, iso3 = vocab.program_aliases[m.group(0)]
        end = m.end()
        if m.group(0) in vocab.program_series:
            end = _series_topic_end(doc, m.end())
            if end > m.end():
                out.append(Candidate(m.start(), end, "PROGRAM", {"iso3": iso3}))
                continue
        out.append(Candidate(m.start(), end, "PROGRAM", {"alias_of": canonical, "iso3": iso3}))
    return out


def _series_topic_end(doc: Doc, acronym_end: int) -> int:
    """End offset of an "on <topic>" phrase right after an acronym, or acronym_end if none."""
    span = doc.char_span(acronym_end - 1, acronym_end, alignment_mode="expand")
    if span is None or len(span) == 0 or span[-1].idx + len(span[-1].text) != acronym_end:
        return acronym_end
    i = span[-1].i + 1
    if i >= len(doc) or doc[i].lower_ != "on":
        return acronym_end
    end, last_noun = acronym_end, None
    for tok in doc[i + 1:i + 1 + _MAX_SERIES_TOPIC]:
        if tok.tag_ not in _SERIES_TOPIC_TAGS or not tok.text[:1].islower():
            break
        if tok.tag_ in ("NN", "NNS"):
            last_noun = tok
    if last_noun is not None:
        end = last_noun.idx + len(last_noun.text)
    return end


_APPOSITIVE_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "a", "an"})
_MAX_DESCRIPTOR_WORDS = 6
_MAX_APPOSITIVE_NAME = 4
_CLOSERS = frozenset({",", ".", ";", ":", ")"})


def _cap_name_before(doc: Doc, end: int) -> tuple[int, int] | None:
    """Token range [start, end) of 1-4 capitalized words ending at ``end``
    (an '(ACR)' between the name and the comma is skipped by the caller)."""
    start = end
    while start > 0 and end - start < _MAX_APPOSITIVE_NAME and _is_cap(doc[start - 1]) \
            and "\n" not in doc[start - 1].whitespace_:
        start -= 1
    return (start, end) if start < end else None


def _descriptor_kind(word: str, vocab: NameVocab) -> str | None:
    if word in vocab.org_descriptors:
        return "ORG"
    if word in vocab.program_descriptors:
        return "PROGRAM"
    return None


def _descriptor_phrase(doc: Doc, first: int, vocab: NameVocab) -> tuple[int, str] | None:
    """'the federal innovation agency' starting at token ``first``: (index of
    the descriptor noun, kind) when a determiner, up to six lower-case words
    (a possessive allowed: "the country's new industrial policy") and a
    descriptor noun from the data follow."""
    if first >= len(doc) or doc[first].lower_ not in _APPOSITIVE_DETERMINERS:
        return None
    last_kind: tuple[int, str] | None = None
    for k in range(first + 1, min(len(doc), first + 2 + _MAX_DESCRIPTOR_WORDS)):
        tok = doc[k]
        if tok.text in _CLOSERS:
            return last_kind if last_kind is not None and last_kind[0] == k - 1 else None
        if not (tok.text.islower() or tok.text in ("'s", "’s")) or not (tok.is_alpha or tok.text in ("'s", "’s", "-")):
            return None
        kind = _descriptor_kind(tok.lower_, vocab)
        last_kind = (k, kind) if kind else None
    return None


def appositive_candidates(doc: Doc, vocab: NameVocab) -> list[Candidate]:
    """Names without a head noun, typed by an appositive descriptor:
    "Finep, the federal innovation agency, ..." and "its development agency,
    Desenvolve SP." (ORG); "Nova X (NX), the country's new industrial
    policy, ..." (PROGRAM). The name is 1-4 capitalized words, not only a
    place, not opening a heading."""
    out: list[Candidate] = []
    for comma in (t for t in doc if t.text == ","):
        i = comma.i
        # "<Name> [(ACR)], the ... <descriptor>,"
        described = _descriptor_phrase(doc, i + 1, vocab)
        if described is not None:
            end, acr = i, None
            if end >= 3 and doc[end - 1].text == ")" and doc[end - 3].text == "(" and is_acronym(doc[end - 2].text):
                acr, end = doc[end - 2], end - 3
            span = _cap_name_before(doc, end)
            if span is not None:
                _add_appositive(doc, span, described[1], acr, vocab, out)
        # "the ... <descriptor>, <Name>[.,;]"
        if i >= 2 and _descriptor_kind(doc[i - 1].lower_, vocab):
            k = i - 2
            while k >= 0 and k >= i - 2 - _MAX_DESCRIPTOR_WORDS and doc[k].text.islower() and doc[k].is_alpha \
                    and doc[k].lower_ not in _APPOSITIVE_DETERMINERS:
                k -= 1
            if k >= 0 and doc[k].lower_ in _APPOSITIVE_DETERMINERS:
                start = i + 1
                end = start
                while end < len(doc) and end - start < _MAX_APPOSITIVE_NAME and _is_cap(doc[end]):
                    end += 1
                if end > start and (end == len(doc) or doc[end].text in _CLOSERS):
                    _add_appositive(doc, (start, end), _descriptor_kind(doc[i - 1].lower_, vocab), None, vocab, out)
    return out


def _add_appositive(doc: Doc, span: tuple[int, int], kind: str | None, acr: Token | None,
                    vocab: NameVocab, out: list[Candidate]) -> None:
    tokens = _trim(list(doc[span[0]:span[1]]), vocab)
    if not tokens or kind is None:
        return
    text = doc.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)]
    if tokens[0].is_sent_start and len(tokens) == 1 and tokens[0].tag_ not in ("NNP", "NNPS"):
        return                      # "However, the agency, ...": a sentence adverb, no name
    if _only_places(text) or _only_countries(text) or text in _MONTHS \
            or all(t.text in vocab.generic_words for t in tokens):
        return
    norm: dict = {}
    if acr is not None:
        norm["acronym"] = acr.text
        out.append(Candidate(acr.idx, acr.idx + len(acr.text), kind, {"acronym_of": text}))
    out.append(Candidate(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), kind, norm))
