"""Quoted title-case names ("\u201cCoastal Skills Partnership\u201d").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ..candidates import Candidate
from ..vocab import NameVocab
from .lower_heads import has_cue
from .tokens import BAD_IN_QUOTE, NUMBER, PREPOSITIONS, QUOTED, is_name_number


_HEAD_AFTER = re.compile(r"\s+([A-Z][a-z]+)\b")
_SINGLE_QUOTED_HEAD = re.compile(r"\u2018([A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\u2019\s+([A-Z][a-z]+)\b")


def quoted_candidates(doc: Doc, vocab: NameVocab) -> list[Candidate]:
    """Quoted names: title case, or with a head word / version, 1-10 words."""
    text = doc.text
    out = []
    for m in QUOTED.finditer(text):
        inner = m.group(1)
        start = m.start(1) + (len(inner) - len(inner.lstrip()))
        stripped = inner.strip().rstrip(",.;: ")
        end = start + len(stripped)
        if not stripped or BAD_IN_QUOTE.search(stripped) or not stripped[0].isupper():
            continue
        words = stripped.split()
        if not 1 <= len(words) <= 10:
            continue
        # EXTRACT-NAME-QUOTED-HEAD: "the ‘Dockmaster’ Programme": a quoted name and the
        # capitalized programme head right after its closing quote are one name
        head = _HEAD_AFTER.match(text, m.end())
        if head is not None and head.group(1) in vocab.program_heads and len(words) <= 4 \
                and all(w[:1].isupper() or w.lower() in vocab.connectors for w in words):
            out.append(Candidate(m.start(), head.end(), "PROGRAM", {"alias_of": f"{stripped} {head.group(1)}"}))
            continue
        content = [w for w in words if w.lower() not in vocab.connectors]
        has_number = any(is_name_number(w) or re.search(r"[A-Za-z]\d{2,}", w) for w in words)
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
        if not has_head and not has_cue(doc, m.start(), vocab):
            # A quoted title without a head noun is a name only in a policy context.
            continue
        nucleus = None
        for w in words:
            if w.lower() in PREPOSITIONS:
                break
            if not NUMBER.fullmatch(w):
                nucleus = w
        kind = "ORG" if nucleus in vocab.org_heads else "PROGRAM"
        out.append(Candidate(start, end, kind, {"quoted": True}))
    # the same in single curly quotes, which stand for names only before a head ("’" alone is
    # an apostrophe)
    for m in _SINGLE_QUOTED_HEAD.finditer(text):
        if m.group(2) in vocab.program_heads:
            out.append(Candidate(m.start(), m.end(), "PROGRAM", {"alias_of": f"{m.group(1)} {m.group(2)}"}))
    return out
