"""Acronyms a paper defines for plain terms ("a concessionary harbour rate (CHR)"), so
that the cue words of the written-out term speak for the acronym wherever it is used
("approved ferry firms are eligible for a CHR of 8%").

The definition finder follows Schwartz and Hearst (2003, "A simple algorithm for
identifying abbreviation definitions in biomedical text"): a short form in
parentheses is defined by the words right before it whose initials spell it, read
from the end, function words skipped. Both orders count: "Long Form (LF)" and
"LF (long form)". Pure; computed once per paper by ``DocIndex``.
"""

from __future__ import annotations

import re
from typing import Optional

# LINK-ACRONYM-EXPANSION: a paper's own acronym for a plain term carries the term's cue words
_SHORT = r"[A-Z][A-Za-z&]{1,9}?"
_IN_PARENS = re.compile(r"\(\s*[\"“‘']?(?P<short>" + _SHORT + r")(?P<plural>s)?[\"”’']?\s*\)")
_SHORT_BEFORE_PARENS = re.compile(r"\b(?P<short>" + _SHORT + r")(?P<plural>s)?\s*\((?P<long>[^()]{3,80})\)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SKIP = {"of", "and", "the", "for", "in", "on", "to", "&", "a", "an", "with", "by"}
_MAX_WORDS = 12


def _letters(short: str) -> list[str]:
    caps = [c.lower() for c in short if c.isupper()]
    return caps if len(caps) >= 2 else []


def _spelled_by(letters: list[str], words: list[str]) -> Optional[int]:
    """The index of the first word of the shortest word run ending ``words`` whose initials
    spell ``letters`` (function words may be skipped), else None."""
    k = len(letters) - 1
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        parts = [p for p in re.split(r"[-‐]", word) if p]
        initials = [p[0].lower() for p in parts]
        # a hyphenated word may give one letter ("Top-up") or one per part ("Buy-Back" -> BB)
        if k + 1 >= len(initials) > 1 and letters[k - len(initials) + 1:k + 1] == initials:
            k -= len(initials)
        elif initials and initials[0] == letters[k]:
            k -= 1
        elif word.lower() in _SKIP:
            continue
        else:
            return None
        if k < 0:
            return i
    return None


def find_acronyms(text: str) -> dict[str, str]:
    """Short form -> long form, for every definition in ``text`` (the first one wins)."""
    out: dict[str, str] = {}
    for m in _IN_PARENS.finditer(text):
        short = m.group("short")
        letters = _letters(short)
        if not letters or short in out:
            continue
        before = text[max(0, m.start() - 160):m.start()]
        before = re.split(r"[.;:()\n]", before)[-1]
        words = _WORD.findall(before)[-_MAX_WORDS:]
        first = _spelled_by(letters, words)
        if first is not None:
            out[short] = " ".join(words[first:])
    for m in _SHORT_BEFORE_PARENS.finditer(text):
        short = m.group("short")
        letters = _letters(short)
        if not letters or short in out:
            continue
        words = _WORD.findall(m.group("long"))
        first = _spelled_by(letters, words)
        if first == 0 and len(words) <= len(letters) + 3:
            out[short] = " ".join(words)
    return out


def acronym_pattern(acronyms: dict[str, str]) -> Optional[re.Pattern[str]]:
    """A pattern matching any of the short forms as a word (plural "s" allowed), or None."""
    if not acronyms:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(acronyms, key=len, reverse=True))
    return re.compile(r"(?<![\w(])(?P<short>" + alternatives + r")s?(?![\w])")
