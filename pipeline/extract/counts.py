"""COUNT candidates: a number followed within 3 tokens by a counted plural noun.

"about 200 universities" -> value 200, approx "~", unit "universities".
Years, money and percentages are not counts (money/percent win overlaps in
the resolver; years are skipped here).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from . import adapters
from .candidates import Candidate
from .vocab import CountVocab

_YEAR_TEXT = re.compile(r"(?:1[89]|20|21)\d\d")
# Tokens that may stand between the number and its noun ("200 new research institutes").
_GAP_POS = frozenset({"ADJ", "NOUN", "PROPN", "VERB"})
_GAP_TAGS_STOP = frozenset({"VBZ", "VBD", "VBP", "MD", "VB"})
_WINDOW = 4
# A coordinated or quoted modifier run ('10,000 specialised and sophisticated
# "little giant" enterprises') may be longer: its "and" and quotes are skipped,
# and a coordination allows one more modifier.
_LONG_WINDOW = 9
_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})


def find_counts(doc: Doc, vocab: CountVocab) -> list[Candidate]:
    text = doc.text
    out = []
    for num in adapters.find_numbers(text):
        try:
            start, end, value = int(num.start), int(num.end), num.value
        except Exception:
            continue
        if value is None or not 0 <= start < end <= len(text):
            continue
        if _YEAR_TEXT.fullmatch(text[start:end].strip()):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if _numbering(text, start, span, doc):
            continue
        unit_tok = None
        skipped = 0
        for j in range(span.end, min(span.end + _LONG_WINDOW, len(doc))):
            tok = doc[j]
            if tok.text in vocab.units or tok.lower_ in vocab.units:
                unit_tok = tok
                break
            if _modifier_joint(doc, j, span.end):
                skipped += 1
                continue
            if tok.pos_ not in _GAP_POS or tok.tag_ in _GAP_TAGS_STOP or tok.is_sent_start \
                    or j - span.end - skipped >= _WINDOW - 1 + min(skipped, 1):
                break
        if unit_tok is None:
            continue
        approx = ""
        if vocab.qualifier_pattern is not None:
            m = vocab.qualifier_pattern.search(text, max(0, start - 30), start)
            if m:
                approx = vocab.qualifiers.get(" ".join(m.group(0).lower().split()), "")
                start = m.start()
        out.append(Candidate(start, unit_tok.idx + len(unit_tok.text), "COUNT",
                             {"value": float(value), "approx": approx, "unit": unit_tok.text}))
    return out


def _modifier_joint(doc: Doc, j: int, first: int) -> bool:
    """An 'and'/'or' between two adjectives, or a quote mark, inside the
    modifiers between a number and its counted noun."""
    tok = doc[j]
    if tok.text in _QUOTES:
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
