"""The document's own name: a plan, strategy, policy or act named in its title block.

Title-case headings are no name source elsewhere (a heading is all capitals, so a
name's start cannot be told); the title block of a policy document is the
exception, because a plan's title usually *is* its name: "Coastal Robotics
Development Plan", "Notice on the Issuance of the Coastal Robotics Development
Plan", "A Coastal Robotics Development Plan".

Rule EXTRACT-DOC-NAME: among the heading paragraphs before the first body
paragraph (and the first ``TITLE_BLOCK`` paragraphs at most), a run of
capitalized words and inner connectors ("for", "of", "and") that ends in a
programme head noun (program_heads.csv: Plan, Strategy, Policy, Act ...), or
starts with one and runs to the end of the line ("Strategy for Coastal
Robotics"), with at least three content words; the run stops at an article
("the", "a"), so "Notice on the Issuance of the X Plan" gives "X Plan". The
longest such run is the document's name (a title broken over two lines gives a
shorter piece first). It becomes one PROGRAM mention where no mention stands.
"""
from __future__ import annotations

import re
from typing import Optional

from ..records import ParsedDoc
from .vocab import NameVocab

TITLE_BLOCK = 6            # paragraphs at the start of the document that may hold its title
MIN_CONTENT_WORDS = 3
_WORD = re.compile(r"[^\s]+")
_ARTICLES = {"a", "an", "the"}
_INNER = {"for", "of", "and", "on", "in", "to", "&"}
# A title that opens with a genre word is about its subject, not the subject itself:
# "Research on Coastal Robotics Policy", "Review of the Freedonia Export Strategy".
_GENRE = {"research", "study", "studies", "analysis", "review", "evaluation", "assessment", "report",
          "survey", "overview", "notes", "comments", "response", "lessons", "impact", "impacts"}
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.|\(\w{1,3}\))$")


def _capitalized(word: str) -> bool:
    core = word.strip("\"'“”‘’(),:;.")
    return bool(core) and (core[0].isupper() or core[0].isdigit())


def _run_in(text: str, vocab: NameVocab) -> Optional[tuple[int, int]]:
    """(start, end) of the longest programme-headed title-case run of one title line."""
    words = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    heads = {h for h in vocab.program_heads - vocab.weak_program_heads if not h.endswith("s")}
    best: Optional[tuple[int, int]] = None
    for i, (w, _, _) in enumerate(words):
        if w.rstrip(".:;") not in heads or not _capitalized(w):
            continue
        lo = i
        while lo > 0:
            prev = words[lo - 1][0]
            if prev.lower() in _ARTICLES or prev.endswith((",", ":", ";")) or _NUMBERING.match(prev) \
                    or not (_capitalized(prev) or prev.lower() in _INNER):
                break                    # an article, a list comma or a section number ends the name
            lo -= 1
        while lo < i and words[lo][0].lower() in _INNER:
            lo += 1
        hi = i
        tail = words[i + 1:]
        if tail and all((_capitalized(t) or t.lower() in _INNER) and not t.endswith((",", ";"))
                        for t, _, _ in tail) and tail[-1][0].lower() not in _INNER:
            hi = len(words) - 1          # "Strategy for Coastal Robotics": the head opens the name
        content = [t for t, _, _ in words[lo:hi + 1] if t.lower() not in _INNER]
        if len(content) < MIN_CONTENT_WORDS or content[0].lower() in _GENRE:
            continue
        start, end = words[lo][1], words[hi][2]
        while end > start and text[end - 1] in ".,:;":
            end -= 1
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
    return best


# EXTRACT-DOC-NAME: the longest title-block run that ends in a programme head noun is the paper's own name
def document_name(parsed: ParsedDoc, vocab: NameVocab) -> Optional[tuple[int, int]]:
    """Body offsets of the document's own name in its title block, or None."""
    found: Optional[tuple[int, int]] = None
    for para in sorted(parsed.paragraphs, key=lambda p: p.start)[:TITLE_BLOCK]:
        if para.kind != "heading":
            if len(para.text.split()) > 12:
                break                    # the body has begun
            continue
        span = _run_in(parsed.text[para.start:para.end], vocab)
        if span is not None and (found is None or span[1] - span[0] > found[1] - found[0]):
            found = (para.start + span[0], para.start + span[1])
    return found
