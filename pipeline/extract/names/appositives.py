"""Appositive names: a capitalized name followed by a descriptor phrase ("Tarnow, the
region's development agency, ...").
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from ..candidates import Candidate
from ..vocab import NameVocab
from .heads import trim_name
from .lower_heads import only_countries
from .tokens import MONTHS, is_acronym, is_cap, only_places

_APPOSITIVE_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "a", "an"})
_MAX_DESCRIPTOR_WORDS = 6
_MAX_APPOSITIVE_NAME = 4
_CLOSERS = frozenset({",", ".", ";", ":", ")"})


def _cap_name_before(doc: Doc, end: int) -> tuple[int, int] | None:
    """Token range [start, end) of 1-4 capitalized words ending at ``end``
    (an '(ACR)' between the name and the comma is skipped by the caller)."""
    start = end
    while start > 0 and end - start < _MAX_APPOSITIVE_NAME and is_cap(doc[start - 1]) \
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
                while end < len(doc) and end - start < _MAX_APPOSITIVE_NAME and is_cap(doc[end]):
                    end += 1
                if end > start and (end == len(doc) or doc[end].text in _CLOSERS):
                    _add_appositive(doc, (start, end), _descriptor_kind(doc[i - 1].lower_, vocab), None, vocab, out)
    return out


def _add_appositive(doc: Doc, span: tuple[int, int], kind: str | None, acr: Token | None,
                    vocab: NameVocab, out: list[Candidate]) -> None:
    tokens = trim_name(list(doc[span[0]:span[1]]), vocab)
    if not tokens or kind is None:
        return
    text = doc.text[tokens[0].idx:tokens[-1].idx + len(tokens[-1].text)]
    if tokens[0].is_sent_start and len(tokens) == 1 and tokens[0].tag_ not in ("NNP", "NNPS"):
        return                      # "However, the agency, ...": a sentence adverb, no name
    if only_places(text) or only_countries(text) or text in MONTHS \
            or all(t.text in vocab.generic_words for t in tokens):
        return
    norm: dict = {}
    if acr is not None:
        norm["acronym"] = acr.text
        out.append(Candidate(acr.idx, acr.idx + len(acr.text), kind, {"acronym_of": text}))
    out.append(Candidate(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), kind, norm))
