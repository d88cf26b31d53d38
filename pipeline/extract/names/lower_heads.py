"""Names with a lower-case head ("the Lakeside fund"): short capitalized names before a
programme or organisation head word, kept when a cue or the article supports them.
"""
from __future__ import annotations

import functools
import re

from spacy.tokens import Doc, Token

from ...normalize.names import title_cased
from .. import adapters
from ..candidates import Candidate
from ..vocab import NameVocab
from .heads import PERIOD_TOKEN, is_year_token
from .tokens import LEAD_TRIM_TAGS, MONTHS, is_cap, is_name_number, is_number

_MAX_SHORT_NAME = 4


def _name_token(tok: Token) -> bool:
    return (is_cap(tok) or is_number(tok)) and not tok.is_punct


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
        if PERIOD_TOKEN.fullmatch(doc[j].text):
            j, period = j - 1, True
        elif j >= 2 and doc[j - 1].text in ("-", "–", "/") and is_year_token(doc[j - 2].text):
            j, period = j - 3, True
        end_tok = j

        def joins(k: int) -> bool:
            # EXTRACT-NAME-HYPHEN-JOINED: a hyphen inside a name joins it ("the Restore-Harbour Communities fund")
            if doc[k].text in ("-", "\u2013") and 0 < k < end_tok and not doc[k].whitespace_ \
                    and not doc[k - 1].whitespace_ and _name_token(doc[k - 1]) and _name_token(doc[k + 1]):
                return True
            return _name_token(doc[k]) and (k == end_tok or "\n" not in doc[k].whitespace_)

        while j >= 0 and end_tok - j < _MAX_SHORT_NAME and joins(j):
            j -= 1
        if j >= 0 and joins(j):
            continue  # a longer title-case run: the head-noun rules handle it
        first = j + 1
        while first <= end_tok and doc[first].tag_ in LEAD_TRIM_TAGS:
            first += 1  # "The Noste programme" at a sentence start
        if first > end_tok:
            continue
        if first - 1 >= 1 and doc[first - 1].lower_ in vocab.connectors and is_cap(doc[first - 2]) \
                and doc[first - 2].tag_ not in LEAD_TRIM_TAGS:  # "Under the X programme" is no longer name
            # EXTRACT-NAME-CONNECTED-LOWER-HEAD: "the Safe and Sound programme": a short name joined by
            # "and" after an article is one name; else "Made in Korea 2030 plan" is a longer name's tail
            lead = first - 2
            while lead - 1 >= 0 and first - lead < _MAX_SHORT_NAME and joins(lead - 1) \
                    and doc[lead - 1].tag_ not in LEAD_TRIM_TAGS:
                lead -= 1
            if doc[first - 1].lower_ != "and" or not _determined(doc, lead) or (lead >= 1 and joins(lead - 1)):
                continue
            first = lead
        has_number = any(is_number(t) for t in doc[first + 1:end_tok + 1])
        if is_number(doc[first]):
            continue  # "20 Retirement plan": a line number, not a name
        if doc[first].is_sent_start and not has_number:
            continue  # a sentence-initial capital is no evidence of a name
        if not has_number and not _determined(doc, first) and not _branded(doc[first:end_tok + 1]):
            continue  # a bare capitalized word before "plan" ("Retirement plan" box) is a label
        name = list(doc[first:end_tok + 1])
        name = _strip_leading_demonyms(name)
        if not name or not _good_short_name(name, doc, vocab):
            continue
        start = name[0].idx
        if is_name_number(name[-1].text):
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
_BRAND_RE = re.compile(r"[A-Z][a-z]{2,}[A-Z][A-Za-z]*|[A-Z][a-z]*-[A-Z][a-z]+")


# EXTRACT-NAME-BRANDED-LOWER-HEAD: a coined name ("$500 in HarbourPass credits", "Dock-Save rebates":
# inner capitals or a capitalized hyphen compound) is a name without a determiner before it
def _branded(tokens) -> bool:
    return any(_BRAND_RE.fullmatch(t.text) for t in tokens)


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
    while len(name) > 1 and only_countries(name[0].text):
        name = name[1:]
    return name


def _good_short_name(name: list[Token], doc: Doc, vocab: NameVocab) -> bool:
    words = [t for t in name if any(c.isalpha() for c in t.text)]
    if not words or not any(is_cap(t) for t in words):
        return False
    has_number = any(is_number(t) for t in name)
    if has_number and is_year_token(name[-1].text) and len(name) == 1:
        return False
    if any(t.text in MONTHS or t.text.rstrip(".") in vocab.reference_words for t in words):
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
    if only_countries(text):
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


def only_countries(text: str) -> bool:
    countries = [p for p in adapters.find_places(text) if getattr(p, "type", "") == "COUNTRY"]
    return sum(p.end - p.start for p in countries) >= len(text.strip()) - 1


@functools.lru_cache(maxsize=4)
def _cue_pattern(cues: frozenset[str]) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def has_cue(doc: Doc, start_char: int, vocab: NameVocab) -> bool:
    """A policy word in the sentence around start_char ("launched", "plan", "funding")."""
    span = doc.char_span(start_char, min(start_char + 1, len(doc.text)), alignment_mode="expand")
    if span is None or not vocab.cue_words:
        return False
    sent = span[0].sent
    return bool(_cue_pattern(vocab.cue_words).search(sent.text))


_STATUTE_NOUN_TAGS = frozenset({"NN", "NNS", "JJ"})
_STATUTE_MAX_WORDS = 4


# EXTRACT-ORG-STATUTE-LOWER: statutes and appropriation bills write public bodies in lower case ("the
# department of transportation must report to the office of financial management"): "the <statute head>
# of" and one to four lower-case nouns or adjectives, the last a noun, is a body; its canonical name
# is title-cased ("Department of Transportation")
def statute_body_candidates(doc: Doc, vocab: NameVocab) -> list[Candidate]:
    out: list[Candidate] = []
    for tok in doc:
        if tok.text not in vocab.statute_heads or tok.i == 0 or doc[tok.i - 1].lower_ != "the" \
                or tok.i + 2 >= len(doc) or doc[tok.i + 1].text != "of":
            continue
        k = tok.i + 2
        if doc[k].lower_ == "the":
            k += 1
        words: list[Token] = []
        while k < len(doc) and len(words) < _STATUTE_MAX_WORDS and doc[k].text.islower() \
                and (doc[k].tag_ in _STATUTE_NOUN_TAGS or (doc[k].lower_ == "and" and words)):
            words.append(doc[k])
            k += 1
        while words and (words[-1].tag_ not in ("NN", "NNS")):
            words.pop()
        if not words:
            continue
        start, end = tok.idx, words[-1].idx + len(words[-1].text)
        out.append(Candidate(start, end, "ORG", {"alias_of": title_cased(doc.text[start:end], vocab.connectors)}))
    return out
