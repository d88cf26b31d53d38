"""SECTOR candidates from the controlled vocabulary in pipeline/data/sectors.csv.

Precision rules (all driven by the data file):
- a capitalized word glued to other capitalized words mid-sentence is part of
  a proper name, not a sector ("Federal Aviation Administration", "Aerospace
  Engineer"), unless the whole sentence is a title-case heading;
- an acronym inside an identifier ("AI-01/19") is not a sector;
- a single word marked ``context=ambiguous`` ("software", "retail",
  "farming") needs domain context: a cue word (``context=cue``: "industry",
  "sector", "technology", ...) within a few words in the same sentence, or
  another sector in the same sentence ("robotics, software and electronics").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from .candidates import Candidate
from .names import is_heading_sentence
from .vocab import SectorVocab, name_vocab, sector_matches

_CONTEXT_WINDOW = 6   # tokens either side of the sector word
_IDENTIFIER_AFTER = re.compile(r"\s?[-–—]\s?\d")
_IDENTIFIER_BEFORE = re.compile(r"\d\s?[-–—/]\s?$")


def _is_acronym_text(word: str) -> bool:
    return " " not in word and sum(c.isupper() for c in word) >= 2


def _in_proper_name(span: Span, heading: bool) -> bool:
    """A capitalized sector word next to other capitalized words inside a sentence."""
    if heading or not span.text[:1].isupper() or _is_acronym_text(span.text):
        return False
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    cap_before = before is not None and not span[0].is_sent_start and before.is_alpha \
        and before.text[:1].isupper() and "\n" not in before.whitespace_
    cap_after = after is not None and not after.is_sent_start and after.is_alpha \
        and after.text[:1].isupper() and "\n" not in span[-1].whitespace_
    return cap_before or cap_after


def _words_around(span: Span, sent: Span) -> list:
    """Up to _CONTEXT_WINDOW words (punctuation not counted) either side, inside the sentence."""
    doc = span.doc
    out = []
    for step, first in ((-1, span.start - 1), (1, span.end)):
        i, n = first, 0
        while sent.start <= i < sent.end and n < _CONTEXT_WINDOW:
            if not doc[i].is_punct:
                out.append(doc[i])
                n += 1
            i += step
    return out


def _word_distance(a: Span, b: Span) -> int:
    lo, hi = (a, b) if a.start < b.start else (b, a)
    return sum(1 for t in a.doc[lo.end:hi.start] if not t.is_punct) + 1


def has_cue(span: Span, sent: Span, cues: frozenset[str]) -> bool:
    doc = span.doc
    for tok in _words_around(span, sent):
        if tok.lower_ in cues or tok.text in cues:
            return True
        if tok.i + 1 < len(doc) and f"{tok.lower_} {doc[tok.i + 1].lower_}" in cues:
            return True
    return False


def find_sectors(doc: Doc, vocab: SectorVocab) -> list[Candidate]:
    text = doc.text
    names = name_vocab()
    heading_of: dict[int, bool] = {}
    kept: list[tuple[int, int, str, Span, Span]] = []
    for start, end, canonical in sector_matches(text, vocab):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if _is_acronym_text(text[start:end]) and (
                _IDENTIFIER_AFTER.match(text, end) or _IDENTIFIER_BEFORE.search(text[max(0, start - 3):start])):
            continue  # "Report AI-01/19": an identifier
        sent = span[0].sent
        if sent.start not in heading_of:
            heading_of[sent.start] = is_heading_sentence(sent, names)
        if _in_proper_name(span, heading_of[sent.start]):
            continue
        kept.append((start, end, canonical, span, sent))
    # Ambiguous words: confirmed by a cue nearby, else by a confirmed sector nearby.
    ambiguous = [text[k[0]:k[1]].casefold() in vocab.ambiguous for k in kept]
    confirmed = [not amb or has_cue(k[3], k[4], vocab.context_cues) for k, amb in zip(kept, ambiguous)]
    # ... and transitively through a list ("aerospace, automotive, ... and steel industries").
    changed = True
    while changed:
        changed = False
        for i, (_, _, canonical, span, sent) in enumerate(kept):
            if confirmed[i]:
                continue
            if any(confirmed[j] and kept[j][2] != canonical and kept[j][4].start == sent.start
                   and _word_distance(kept[j][3], span) <= _CONTEXT_WINDOW for j in range(len(kept)) if j != i):
                confirmed[i] = changed = True
    return [Candidate(start, end, "SECTOR", {"canonical": canonical})
            for (start, end, canonical, _, _), ok in zip(kept, confirmed) if ok]
