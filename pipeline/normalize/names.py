"""Comparison keys of programme and body names: one key for variants of one name within a
paper ("the Harbour Fund", "Harbour Fund"), and names that differ by a place's initials."""
from __future__ import annotations

import re
from typing import Collection

QUOTES = "\"“”«»„'‘’"


def name_key(text: str) -> str:
    """Variant-insensitive key: no quotes, no leading article, case-folded, one space."""
    t = text.strip().strip(QUOTES).strip(" ,.;:")
    t = re.sub(r"^(?:the|a|an)\s+", "", t, flags=re.IGNORECASE)
    t = re.sub(r"\s+", " ", t)
    t = re.sub(r"\s*\.\s*(?=\d)", ".", t)
    t = re.sub(r"(?<=[^\W\d_])-(?=(?:19|20)\d\d\b)", " ", t)   # "Policy-2031" is "Policy 2031"
    return t.casefold()


# EXTRACT-NAME-PLACE-INITIALS: "HB Ferry Policy" and "Harbour Bay Ferry Policy" name one programme: a
# leading all-capital word that spells the initials of the other name's first words
def initials_variant(short: str, long: str) -> bool:
    """``short`` opens with 2-4 capitals that are the initials of ``long``'s first words, and the
    rest of both names is the same (compared by name_key)."""
    head, _, rest = short.strip().partition(" ")
    if not (2 <= len(head) <= 4 and head.isalpha() and head.isupper() and rest):
        return False
    words = long.strip().split()
    n = len(head)
    if len(words) <= n or not all(w[:1].isupper() for w in words[:n]):
        return False
    return "".join(w[0] for w in words[:n]) == head and name_key(rest) == name_key(" ".join(words[n:]))


def title_cased(name: str, minor_words: Collection[str]) -> str:
    """A name written in capitals or in lower case, as a title: "DEPARTMENT OF COMMERCE" and
    "department of ports" -> "Department of Commerce", "Department of Ports" (``minor_words``,
    lower-cased, stay lower case)."""
    return " ".join(w.lower() if w.lower() in minor_words else w.capitalize() for w in name.split())
