"""SECTOR candidates from the controlled vocabulary in pipeline/data/sectors.csv."""
from __future__ import annotations

from spacy.tokens import Doc

from .candidates import Candidate
from .vocab import SectorVocab


def find_sectors(doc: Doc, vocab: SectorVocab) -> list[Candidate]:
    text = doc.text
    out = []
    if vocab.pattern_exact is not None:
        for m in vocab.pattern_exact.finditer(text):
            canonical = vocab.canonical_of.get(m.group(0), "")
            if canonical:
                out.append(Candidate(m.start(), m.end(), "SECTOR", {"canonical": canonical}))
    if vocab.pattern_folded is not None:
        for m in vocab.pattern_folded.finditer(text):
            canonical = vocab.canonical_of.get(m.group(0).casefold(), "")
            if canonical:
                out.append(Candidate(m.start(), m.end(), "SECTOR", {"canonical": canonical}))
    return out
