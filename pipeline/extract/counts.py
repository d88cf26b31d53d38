"""COUNT candidates: a number followed within 3 tokens by a counted plural noun.

"about 200 universities" -> value 200, approx "~", unit "universities";
"100 examples of awards" -> 100 awards (a partitive noun from the data file);
"31 grants were made and, in 2019, about 14" -> the second number counts the
same unit (an elliptical count: a bare number later in the sentence of a
count, joined by a comma or a conjunction and standing without a noun).
Years, money and percentages are not counts (money/percent win overlaps in
the resolver; years are skipped here).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from . import adapters
from .candidates import Candidate
from .names.tokens import QUOTE_TOKENS
from .vocab import CountVocab

_YEAR = re.compile(r"(?<!\d)(?:1[89]|20|21)\d\d(?!\d)")
_YEAR_RANGE_OPEN = re.compile(r"(?<!\d)(?:1[89]|20)\d\d[-–/]$")
_YEAR_AFTER = re.compile(r"\s+(?:in|by|for|during)\s+(?:FY\s*)?(?:1[89]|20|21)\d\d(?!\d)")
# Tokens that may stand between the number and its noun ("200 new research institutes").
_GAP_POS = frozenset({"ADJ", "NOUN", "PROPN", "VERB"})
_GAP_TAGS_STOP = frozenset({"VBZ", "VBD", "VBP", "MD", "VB"})
_WINDOW = 4
# A coordinated or quoted modifier run ('5,000 small and innovative
# "hidden champion" firms') may be longer: its "and" and quotes are skipped,
# and a coordination allows one more modifier.
_LONG_WINDOW = 9


# What may stand right before an elliptical count ("..., and, in 2004, about 12").
_ELLIPSIS_BEFORE = frozenset({",", ";", "and", "or", "but", "while", "whereas", "to", "than", "versus", "vs",
                              "vs."})
# What may follow it: the end of its clause, or "in/by/for <year>".
_ELLIPSIS_AFTER = frozenset({".", ",", ";", ":", ")", "!", "?"})
_ELLIPSIS_YEAR_PREPS = frozenset({"in", "by", "for", "during"})
_MAX_ELLIPTICAL = 10_000_000


def find_counts(doc: Doc, vocab: CountVocab) -> list[Candidate]:
    text = doc.text
    out = []
    bare = []   # numbers with no counted noun: candidates for an elliptical count
    for num in adapters.find_numbers(text):
        start, end, value = int(num.start), int(num.end), num.value
        if value is None or not 0 <= start < end <= len(text):
            continue
        if _YEAR.fullmatch(text[start:end].strip()):
            continue
        # EXTRACT-COUNT-YEAR-RANGE: the end of a year range ("2025-27 Dock Grants") counts nothing
        if _YEAR_RANGE_OPEN.search(text, max(0, start - 5), start):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if _numbering(text, start, span, doc):
            continue
        if value != int(value) or (span.start > 0 and doc[span.start - 1].lower_ in vocab.labels):
            continue   # "2.3 projects" counts nothing; "Table 2 projects" is a label
        unit_tok = None
        skipped = 0
        for j in range(span.end, min(span.end + _LONG_WINDOW, len(doc))):
            tok = doc[j]
            if tok.text in vocab.units or tok.lower_ in vocab.units:
                unit_tok = tok
                break
            if tok.lower_ in vocab.partitives and j + 1 < len(doc) and doc[j + 1].lower_ == "of":
                unit_tok = _unit_after_of(doc, j + 2, vocab)
                break
            if _modifier_joint(doc, j, span.end):
                skipped += 1
                continue
            if tok.pos_ not in _GAP_POS or tok.tag_ in _GAP_TAGS_STOP or tok.is_sent_start \
                    or j - span.end - skipped >= _WINDOW - 1 + min(skipped, 1):
                break
        start, approx = _qualified_start(text, start, vocab)
        if unit_tok is None:
            bare.append((start, end, float(value), approx, span))
            continue
        out.append(Candidate(start, unit_tok.idx + len(unit_tok.text), "COUNT",
                             {"value": float(value), "approx": approx, "unit": unit_tok.text}))
    out.extend(_elliptical_counts(doc, out, bare))
    out.sort(key=lambda c: (c.start, c.end))
    return out


def _qualified_start(text: str, start: int, vocab: CountVocab) -> tuple[int, str]:
    """Move the start over a qualifier right before the number ("about 200")."""
    if vocab.qualifier_pattern is not None:
        m = vocab.qualifier_pattern.search(text, max(0, start - 30), start)
        if m:
            return m.start(), vocab.qualifiers.get(" ".join(m.group(0).lower().split()), "")
    return start, ""


def _unit_after_of(doc: Doc, j: int, vocab: CountVocab):
    """The counted noun after a partitive's "of", over at most 3 modifiers."""
    for k in range(j, min(j + 4, len(doc))):
        tok = doc[k]
        if tok.text in vocab.units or tok.lower_ in vocab.units:
            return tok
        if tok.pos_ not in _GAP_POS or tok.tag_ in _GAP_TAGS_STOP:
            return None
    return None


def _elliptical_counts(doc: Doc, counts: list[Candidate], bare) -> list[Candidate]:
    """A bare number after a count in the same sentence, in a coordinated clause
    with its noun left out: it counts the same unit."""
    out = []
    for start, end, value, approx, span in bare:
        if value != int(value) or not 0 < value < _MAX_ELLIPTICAL:
            continue
        sent = span.sent
        earlier = [c for c in counts if sent.start_char <= c.start and c.end <= start]
        if not earlier:
            continue
        before = doc.char_span(start, end, alignment_mode="expand")
        first = before.start if before is not None else span.start
        if first == 0 or doc[first - 1].lower_ not in _ELLIPSIS_BEFORE:
            continue
        if first >= 2 and doc[first - 2].like_num and not _YEAR.fullmatch(doc[first - 2].text):
            continue   # a list of bare numbers ("pages 3, 4") counts nothing
        # a parallel clause with its own time ("22 awards in 2003 and 12 in 2004", "..., in
        # 2004, about 12"), not any trailing number ("each was rated 3, and 2")
        if not (_YEAR.search(doc.text, earlier[-1].end, start) or _YEAR_AFTER.match(doc.text, span.end_char)):
            continue
        if not _clause_ends_after(doc, span.end):
            continue
        unit = earlier[-1].norm["unit"]
        out.append(Candidate(start, end, "COUNT", {"value": value, "approx": approx, "unit": unit}))
    return out


def _clause_ends_after(doc: Doc, j: int) -> bool:
    if j >= len(doc) or doc[j].text in _ELLIPSIS_AFTER:
        return True
    return (doc[j].lower_ in _ELLIPSIS_YEAR_PREPS and j + 1 < len(doc)
            and bool(_YEAR.fullmatch(doc[j + 1].text)))


def _modifier_joint(doc: Doc, j: int, first: int) -> bool:
    """An 'and'/'or' between two adjectives, or a quote mark, inside the
    modifiers between a number and its counted noun."""
    tok = doc[j]
    if tok.text in QUOTE_TOKENS:
        return True
    return (tok.lower_ in ("and", "or") and j > first and j + 1 < len(doc)
            and doc[j - 1].pos_ == "ADJ" and doc[j + 1].pos_ == "ADJ")


def _numbering(text: str, start: int, span, doc: Doc) -> bool:
    """A digit number opening a paragraph or line right before a capitalized
    word is a footnote or list number ("7 Projects whose cost ..."), not a count."""
    if start > 0 and text[start - 1] != "\n":
        return False
    if not text[start:start + 1].isdigit() or span.end >= len(doc):
        return False
    nxt = doc[span.end].text
    return nxt[:1].isupper() and not nxt.isupper()
