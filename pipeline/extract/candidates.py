"""The span record components exchange, and helpers to put spans on a Doc.

Components find candidates as exact character offsets into ``doc.text``; the
span written to ``doc.spans`` is token-aligned (``alignment_mode="expand"``),
while ``span._.norm`` keeps the exact offsets and the normalized fields.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from spacy.tokens import Doc, Span

SPANS_KEY = "policyx"
ACRONYMS_KEY = "policyx_acronyms"   # bare all-caps tokens, resolved per document

_NORM_STORE = "policyx_norm"


def _get_norm(span: Span) -> dict[str, Any] | None:
    return span.doc.user_data.get(_NORM_STORE, {}).get((span.start_char, span.end_char, span.label_))


def _set_norm(span: Span, value: dict[str, Any] | None) -> None:
    # Keyed by label too: spaCy's default span extension storage is not, so
    # an ORG and a COUNTRY over the same tokens would overwrite each other.
    span.doc.user_data.setdefault(_NORM_STORE, {})[(span.start_char, span.end_char, span.label_)] = value


if not Span.has_extension("norm"):
    Span.set_extension("norm", getter=_get_norm, setter=_set_norm)

# Resolution tiers: lower wins an overlap; within a tier the longer span wins.
TIER = {"MONEY": 0, "PERCENT": 0, "PROGRAM": 1, "ORG": 1, "COUNT": 2,
        "COUNTRY": 3, "REGION": 3, "SECTOR": 3, "DATE": 4}

_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE|a|A|an|An)\s+(?=\S)")
_TRAILING_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@dataclass
class Candidate:
    start: int
    end: int
    type: str
    norm: dict[str, Any] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: "Candidate") -> bool:
        return self.start < other.end and other.start < self.end


def trim(text: str, cand: Candidate) -> Candidate | None:
    """Drop a leading article and a trailing possessive; None if nothing is left."""
    start, end = cand.start, cand.end
    m = _LEADING_ARTICLE.match(text[start:end])
    if m and cand.type not in ("MONEY", "PERCENT", "COUNT"):
        start += m.end()
    m = _TRAILING_POSSESSIVE.search(text[start:end])
    if m and cand.type not in ("MONEY", "PERCENT") and end - m.start() < end - start:
        end = start + m.start()
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    cand.start, cand.end = start, end
    return cand


def to_span(doc: Doc, cand: Candidate) -> Span | None:
    span = doc.char_span(cand.start, cand.end, label=cand.type, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    span._.norm = dict(cand.norm, start=cand.start, end=cand.end)
    return span


def add_candidates(doc: Doc, cands: Iterable[Candidate], key: str = SPANS_KEY) -> None:
    spans = [s for s in (to_span(doc, c) for c in cands) if s is not None]
    if key in doc.spans:
        doc.spans[key].extend(spans)
    else:
        doc.spans[key] = spans


def read_candidates(doc: Doc, key: str = SPANS_KEY) -> list[Candidate]:
    out = []
    for span in doc.spans.get(key, []):
        norm = dict(span._.norm or {})
        start = norm.pop("start", span.start_char)
        end = norm.pop("end", span.end_char)
        out.append(Candidate(start, end, span.label_, norm))
    return out
