"""The paper's title as its running header prints it (PARSE-RUNNING-TITLE).

An excerpt, or a paper whose first page is a chapter opening, often names itself
only in the running header that the header/footer pass removes from every page:
"Harbour Development Policy of Coastal Province 2031 | Page 4 of 30". That line
is the paper's own title block: it names the jurisdiction that speaks, the plan
and often the one sector the whole paper is about, which is the context every
measure of the paper inherits (annotation guide: sentence, heading, paper). So
the header's title, cleaned of page numbers, goes once at the top of the body as
a heading, unless the body already opens with it; the other page furniture
(page labels, chapter and part labels, dates, disclaimers, URLs) does not.

Rules:

- PARSE-RUNNING-TITLE: the running line that is a title (title case or capitals,
  2-15 words, no sentence, no URL, not a "Chapter 4"/"Part 2" label), on the most
  pages, goes first in the body as a heading of page 1.
- PARSE-RUNNING-TITLE-SEGMENT: a running line of several fields ("Ferry Plan 2031 |
  Page 7") is read field by field; page numbers at either end of a field are cut.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Optional

from ..repair import ends_sentence
from .cues import NUMBERED_HEADING_RE, cue_words, is_all_caps, is_page_number_line, is_title_case

MAX_WORDS = 15
_FIELD_SPLIT = re.compile(r"\s+[|\u2022\u00b7]\s+|\s*\|\s*")
_PAGE_LABEL = re.compile(r"(?i)\bpage\s*\|?\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\b")
# a page number, not a year ("Ferry Plan 2031" keeps its year)
_NUMBER = r"(?:[-\u2013\u2014]?\s*(?!(?:19|20)\d\d\b)\d{1,4}\s*[-\u2013\u2014]?|[ivxlc]{1,5})"
_LEAD_NUMBER = re.compile(r"^" + _NUMBER + r"\s+(?=\S)", re.I)
_TRAIL_NUMBER = re.compile(r"(?<=\S)\s+" + _NUMBER + r"$", re.I)
# a division label alone is no title ("Chapter 4", "Part II \u2013 Summaries", "Annex B")
_DIVISION = re.compile(r"(?i)^(?:chapter|part|section|annex|appendix|schedule|table|figure|recommendation|"
                       r"volume|vol\.|no\.)\s+[\dIVXLC]+\b")
_URL = re.compile(r"(?i)https?://|www\.|\.htm|@")


# PARSE-RUNNING-TITLE-SEGMENT: a running line is read field by field ("Ferry Plan 2031 | Page 7"),
# page numbers cut at either end of a field (a year stays)
def _fields(line: str) -> Iterable[str]:
    for field in _FIELD_SPLIT.split(line):
        field = _PAGE_LABEL.sub(" ", field)
        field = " ".join(field.split())
        while True:
            cut = _TRAIL_NUMBER.sub("", _LEAD_NUMBER.sub("", field)).strip()
            if cut == field:
                break
            field = cut
        if field and not is_page_number_line(field):
            yield field


def _is_title(field: str) -> bool:
    words = field.split()
    if not 2 <= len(words) <= MAX_WORDS or _URL.search(field) or _DIVISION.match(field) \
            or NUMBERED_HEADING_RE.match(field) or ends_sentence(field):
        return False
    if sum(1 for w in words if sum(c.isalpha() for c in w) >= 3) < 2:
        return False
    if any(cue in field.lower() for cue in cue_words("journal_cues")):
        return False                     # a journal's running head names the journal, not the paper
    return is_title_case(field, min_words=2, max_words=MAX_WORDS) or is_all_caps(field)


# PARSE-RUNNING-TITLE: the title only the running header prints is the paper's title block
def running_title(headers_footers: Iterable[str], body_start: str = "") -> Optional[str]:
    """The paper's title from its running lines (PARSE-RUNNING-TITLE), or None; None too when
    ``body_start`` (the opening of the body text) already holds it."""
    counts: Counter[str] = Counter()
    for line in headers_footers:
        for field in dict.fromkeys(_fields(line)):
            if _is_title(field):
                counts[field] += 1
    if not counts:
        return None
    title = min(counts, key=lambda f: (-counts[f], -len(f), f))
    if " ".join(title.split()).casefold() in " ".join(body_start.split()).casefold():
        return None
    return title
