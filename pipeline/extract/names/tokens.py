"""Shared token tests and word classes of the name finders (acronyms, capitalized words,
numbers in names, months, prepositions, place-only phrases).
"""
from __future__ import annotations

import calendar
import re

from spacy.tokens import Token

from .. import adapters

MONTHS = frozenset(m for m in list(calendar.month_name) + list(calendar.month_abbr) if m)
PREPOSITIONS = frozenset({"of", "for", "on", "in", "to", "de", "des", "du", "la"})
LEAD_TRIM_TAGS = frozenset({"DT", "IN", "PRP", "PRP$", "CC", "WDT", "WRB", "RB", "TO", "EX", "MD", "PDT", "UH"})
# Lower-case words a title-case heading may contain ("Brought to China by the ...").
HEADING_SMALL_TAGS = frozenset({"IN", "DT", "CC", "TO", "PRP$", "POS", "WDT"})
VERB_TAGS = frozenset({"VBZ", "VBD", "VBP", "MD"})
NUMBER = re.compile(r"\d+(?:\.\d+)*")
YEAR = re.compile(r"(?:19|20)\d\d")
VERSION = re.compile(r"\d\.0")   # "Society 5.0", "Web 3.0"; "Nabisco 8.3" is a table value
ACRONYM = re.compile(r"[A-Z][A-Za-z0-9&]{1,9}")
# quotation marks as spaCy tokens (straight and curly, single and double)
QUOTE_TOKENS = frozenset({'"', "\u201c", "\u201d", "'", "\u2018", "\u2019"})
QUOTED = re.compile(r"[“\"«„]([^“”\"«»\n]{2,150}?)[”\"»]")
BAD_IN_QUOTE = re.compile(r"[—–:;!?()\[\]]")


def is_acronym(text: str) -> bool:
    return bool(ACRONYM.fullmatch(text)) and sum(c.isupper() for c in text) >= 2 and not text.isdigit()


def is_cap(tok: Token) -> bool:
    t = tok.text
    return t[:1].isupper() and any(c.isalpha() for c in t)


def is_number(tok: Token) -> bool:
    return bool(NUMBER.fullmatch(tok.text))


def is_name_number(text: str) -> bool:
    return bool(YEAR.fullmatch(text) or VERSION.fullmatch(text))


def only_places(text: str) -> bool:
    covered = sum(m.end - m.start for m in adapters.find_places(text))
    return covered >= len(text.strip()) - 1
