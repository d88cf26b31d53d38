"""Names that carry a year or a version ("Harbour 2.0", "Green Roads 2035").
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from ..vocab import NameVocab
from .heads import title_case_chunks, trim_name
from .lower_heads import has_cue
from .tokens import MONTHS, VERB_TAGS, VERSION, YEAR, is_cap, is_name_number, is_number, only_places


_PERIOD_OF_YEAR = re.compile(r"[QH][1-4]")


def version_candidates(doc: Doc, vocab: NameVocab) -> list[list[Token]]:
    """Names ending in a year or version number: 'Society 5.0', 'Made in Korea 2030'."""
    out = []
    for run in title_case_chunks(doc, vocab):
        for idx, tok in enumerate(run):
            if idx == 0 or not is_name_number(tok.text):
                continue
            before = run[idx - 1]
            if not is_cap(before) or before.text in MONTHS or before.text.rstrip(".") in vocab.reference_words:
                continue
            # EXTRACT-NAME-QUARTER: "Q1 2026", "H2 2025" are a quarter and a half-year, dates
            if _PERIOD_OF_YEAR.fullmatch(before.text):
                continue
            # Walk back over at most four words; stop at verbs and plural proper
            # nouns, which in headings are verbs ("Germany Implements ...").
            first = idx - 1
            while first - 1 >= 0 and idx - (first - 1) <= 4:
                prev = run[first - 1]
                if prev.tag_ in VERB_TAGS or prev.tag_ == "NNPS" or is_number(prev):
                    break
                first -= 1
            tokens = trim_name(run[first:idx + 1], vocab)
            if len(tokens) < 2 or tokens[0].text in MONTHS:
                continue
            if idx + 1 < len(run) and is_number(run[idx + 1]):
                continue  # a table row: "Estonia 1.1 2.3"
            words = [t for t in tokens[:-1] if t.is_alpha]
            if words and all(t.is_upper for t in words) and len(words) > 1:
                continue  # an all-caps heading
            if only_places(doc.text[tokens[0].idx:tokens[-2].idx + len(tokens[-2].text)]):
                continue  # "EU 2020": a place and a year
            if VERSION.fullmatch(tok.text) and only_places(before.text):
                continue  # "Switzerland 2.0": a table value after a place
            if tok.i + 1 < len(doc) and doc[tok.i + 1].text[:1] in "-–—" \
                    and not tok.whitespace_:
                continue  # an identifier: "AD 2018-23-05"
            has_head = any(t.text in vocab.program_heads for t in tokens)
            if YEAR.fullmatch(tok.text) and not has_head and not has_cue(doc, tokens[0].idx, vocab):
                continue  # "Retail Pocket Book 1998": a title and a year, no policy context
            out.append(tokens)
    return out
