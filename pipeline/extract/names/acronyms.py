"""Acronyms: pairing '(ACR)' with the name it abbreviates, programmes named by an alias
table entry without a head noun, and one instance of an acronym-named series.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..candidates import Candidate
from ..vocab import NameVocab
from .heads import trim_name
from .tokens import QUOTE_TOKENS, is_acronym


def _initials(tokens: list[Token], vocab: NameVocab, with_connectors: bool, whole_acronyms: bool = False) -> str:
    # EXTRACT-ACRONYM-INNER-ACRONYM: with ``whole_acronyms``, a word that is itself an acronym gives
    # all its letters: "VAT Harbour Rebate (VATHR)"
    return "".join((t.text.upper() if whole_acronyms and t.text.isalpha() and is_acronym(t.text) else t.text[0].upper())
                   for t in tokens if t.text[:1].isalpha() and (with_connectors or t.lower_ not in vocab.connectors))


def _spells(tokens: list[Token], vocab: NameVocab, letters: str) -> bool:
    """Whether ``letters`` are the initials of ``tokens`` (with or without connectors, with an inner
    acronym's letters or its first one)."""
    return any(_initials(tokens, vocab, connectors, whole) == letters
               for connectors in (False, True) for whole in (False, True))


_ACRONYM_LEADS = frozenset({"or", "hereafter", "hereinafter"})


def pair_acronym(doc: Doc, tokens: list[Token], vocab: NameVocab) -> tuple[list[Token], Token | None]:
    """If '(ACR)' follows the name, trim the name to the words the acronym abbreviates."""
    end = tokens[-1].i + 1
    # EXTRACT-ACRONYM-OR-APPOSITIVE: "the Harbour Dock Grant, or HDG," names its acronym without
    # parentheses; only an acronym that spells the whole name's initials counts
    if end + 2 < len(doc) and doc[end].text == "," and doc[end + 1].lower_ == "or" \
            and is_acronym(doc[end + 2].text) and doc[end + 2].text.isalpha() \
            and _spells(tokens, vocab, doc[end + 2].text.upper()):
        return tokens, doc[end + 2]
    # "(or ACR)", "(hereafter ACR)": the same pair with a word before the acronym
    lead = 1 if end + 1 < len(doc) and doc[end].text == "(" and doc[end + 1].lower_ in _ACRONYM_LEADS else 0
    # EXTRACT-ACRONYM-QUOTED: "(“HDI”)", "("HDI")": the acronym may stand in quotes inside the parentheses
    quoted = 1 if end + 1 + lead < len(doc) and doc[end + 1 + lead].text in QUOTE_TOKENS else 0
    close = end + 2 + lead + 2 * quoted
    if close >= len(doc) or doc[end].text != "(" or doc[close].text != ")" \
            or not is_acronym(doc[end + 1 + lead + quoted].text) \
            or (quoted and doc[close - 1].text not in QUOTE_TOKENS):
        return tokens, None
    acr = doc[end + 1 + lead + quoted]
    letters = "".join(c for c in acr.text if c.isalpha()).upper()
    for first in range(len(tokens) - 1, -1, -1):
        suffix = tokens[first:]
        if _spells(suffix, vocab, letters):
            return trim_name(suffix, vocab) or tokens, acr
    return _extend_to_initials(doc, tokens, letters, vocab), acr


# EXTRACT-NAME-ACRONYM-EXTENDS: "Research, Innovation and Enterprise 2025 (RIE2025)": a name cut
# at a comma takes back the capitalized words before it whose initials its acronym spells
def _extend_to_initials(doc: Doc, tokens: list[Token], letters: str, vocab: NameVocab) -> list[Token]:
    have = _initials(tokens, vocab, False)
    if not have or len(have) >= len(letters) or not letters.endswith(have):
        return tokens
    need = letters[:len(letters) - len(have)]
    i, got = tokens[0].i - 1, ""
    while i >= 0 and len(got) < len(need):
        tok = doc[i]
        if tok.text == "," or tok.lower_ in vocab.connectors:
            i -= 1
            continue
        if not (tok.text[:1].isupper() and tok.text.isalpha()):
            break
        got = tok.text[0] + got
        i -= 1
    if got != need:
        return tokens
    start = i + 1
    while doc[start].text == "," or doc[start].lower_ in vocab.connectors:
        start += 1
    return list(doc[start:tokens[-1].i + 1])


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
