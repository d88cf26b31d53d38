"""Years and dates that the text uses as a time: "in 2011", "by 2025",
"March 2016", "12 March 2016", "March 12, 2016", fiscal years ("2022-23",
"FY2023-24", "FY 2024") and year ranges ("2015-2020"); slug dates of
registers and forms ("6-DEC-2007", "6/DEC/2007") and a month and year with a
footnote marker glued on by PDF extraction ("began in December 2007.1 The
characteristics ..." -> year 2007, month 12).

Decisions:
- only years 1900-2099 count.
- kind is "year", "month" (month + year), "date" (day + month + year),
  "fiscal" (year = the year it starts in), "range" ("2015-2020": year is
  the first year, ``end_year`` the last; one match, not two), "quarter"
  ("2020-Q3", "Q1 2022": the year) or "decade" ("the 1970s": 1970).
- numeric dates: ISO "2018-03-15"; "09/30/2011" and "30.09.2011" give the
  year, and the month only when the other side is over 12 (a day), since
  "04/05/2011" is April or May by convention; "04/2019" is a month.
- "from 2015 to 2020" gives two "year" matches; a short span ("2000-06",
  "1990-96", "1992-4") is a "range", "2022-23" and "1992/3" are "fiscal".
- not dates: years inside identifiers ("AD 2018-23-51", "FAA-2020-0686",
  "Product Identifier 2019-NM-035"), a count between two small counts in a
  table row ("Norway 5 1870 2 318 4").
- not dates: numbers with separators ("2,015"), amounts ("2015 workers",
  "$2000": anything inside a money or percent span), page and item references
  ("p. 2011", "Table 2015"), citations in parentheses ("(Smith, 2015)").
  Excluding years that are part of program names is the extract stage's job.
- "in the next five years" is a duration, never a DATE.
- slug and footnote-glued dates count only where no other date was found
  (they are checked against dates, not against money or percent spans).
Pure functions (see ``numbers.text_finder`` for the contract).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..data_access import read_csv
from .money import find_money
from .numbers import text_finder
from .percent import find_percent

_YEAR = r"(?:19|20)\d\d"


@dataclass
class DateMatch:
    start: int
    end: int
    text: str
    year: int
    month: Optional[int] = None
    kind: str = "year"
    end_year: Optional[int] = None   # last year of a "range"


@lru_cache(maxsize=None)
def _months() -> dict[str, int]:
    out: dict[str, int] = {}
    for row in read_csv("months.csv"):
        with row.checked():
            out[row["name"].strip().lower()] = int(row["month"])
    return out


@lru_cache(maxsize=None)
def _cues() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for row in read_csv("date_cues.csv"):
        cue = (row.get("cue") or "").strip()
        role = (row.get("role") or "").strip()
        if cue and role:
            out.setdefault(role, set()).add(cue.lower() if role != "fiscal" else cue)
    return out


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern[str]]:
    months = _alt(list(_months()) or ["january"])
    fiscal = _alt(sorted(_cues().get("fiscal", {"FY"})))
    day = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    month = r"(?P<month>" + months + r")\.?"
    year = r"(?P<year>" + _YEAR + r")"
    # a year is no date inside an identifier: "FAA-2020-0686", "AD 2018-23-51",
    # "FR Doc. 2020-17221", "Sep<11>2014" (but "post-1994" is one)
    edge_l = (r"(?<![\w$€£¥.,/<>])(?<!\d[-\u2013])"
              r"(?<![A-Z][-\u2013\u2014])(?<![A-Z][-\u2013\u2014]\s)")
    edge_r = r"(?![\w%$€£¥]|[.,]\d|-\w)"
    not_id = r"(?!\s?[-/\u2013\u2014]\s?\d|[-\u2013\u2014]\s?[A-Z]{2})"
    return {
        "dmy": re.compile(r"(?i)" + edge_l + day + r"\s+" + month + r",?\s+" + year + edge_r),
        "mdy": re.compile(r"(?i)(?<![\w])" + month + r"\s+" + day + r",?\s+" + year + edge_r),
        "my": re.compile(r"(?i)(?<![\w])" + month + r",?\s+" + year + edge_r),
        "apostrophe_year": re.compile(r"(?i)(?<![\w])(?:in|of|by|since|until|from|for|through|to)\s+['\u2019](?P<yy>\d\d)(?![\w%'\u2019]|[.,]\d)"),
        "fiscal_prefix": re.compile(
            r"(?<![\w])(?:" + fiscal + r")\s?['\u2019]?(?P<y1>" + _YEAR + r"|\d\d)"
            r"(?:\s?[-/\u2013]\s?(?P<y2>" + _YEAR + r"|\d\d))?(?![\w%]|[.,]\d)", re.I),
        # "2022-23" (fiscal), "2000-06" and "1990-96" (short ranges), "1992/3"
        "fiscal_short": re.compile(edge_l + r"(?P<y1>" + _YEAR + r")[-/\u2013\u2014](?P<y2>\d\d?)(?![\w%]|[.,]\d)"
                                   + not_id),
        "range": re.compile(edge_l + r"(?P<y1>" + _YEAR + r")\s?[-\u2013\u2014~\u301c\uff5e]\s?(?P<y2>" + _YEAR + r")" + edge_r
                            + not_id),
        "year": re.compile(edge_l + year + edge_r + not_id),
        "slug": re.compile(r"(?<![\w-])(?:0?[1-9]|[12]\d|3[01])([-/ ])(?P<month>" + months + r")\.?\1"
                           + year + r"(?![\w-])", re.I),
        # ISO dates "2018-03-15"; numeric "09/30/2011", "30.09.2011" (the year is
        # sure, the month only when one side is over 12); "04/2019"
        "iso": re.compile(r"(?<![\w/.\-])" + year + r"-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])"
                          r"(?![\w/\-]|\.\d)"),
        "numeric": re.compile(r"(?<![\w/.\-])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)" + year
                              + r"(?![\w/]|\.\d)"),
        "month_year": re.compile(r"(?<![\w/.\-$€£¥])(?P<month>0?[1-9]|1[0-2])/" + year + r"(?![\w/]|[.,]\d)"),
        # quarters "2020-Q3", "Q1 2022", "2Q 2021"; decades "the 1970s"
        "quarter": re.compile(r"(?<![\w\-])(?:(?P<y1>" + _YEAR + r")[-\s]?Q[1-4]|(?:Q[1-4]|[1-4]Q)[\s\-]?(?P<y2>"
                              + _YEAR + r"))(?![\w])"),
        "decade": re.compile(r"(?<![\w$€£¥.,\-])(?P<year>(?:19|20)\d0)['\u2019]?s(?![\w])"),
        # a capitalized month name + year + ".<footnote digits>" before a new sentence or the end
        "footnote": re.compile(r"(?<![\w-])(?P<month>[A-Z][a-z]+)\s+" + year
                               + r"(?=\.\d{1,2}(?:\s+[A-Z\"“]|\s*$))"),
    }


_WORD_BEFORE_RE = re.compile(r"([^\s]+)\s*\Z")
_WORD_AFTER_RE = re.compile(r"\s*([^\W\d_]+)")
# "(Smith, 2015)", "(Smith and Lee 2015", "; Wang et al., 2015",
# "(e.g. Tordjman, 1994)", "(Davies, Rondi and Sembenelli, 1998)"
_CITATION_RE = re.compile(
    r"[(;]\s*(?:(?:e\.\s?g\.|i\.\s?e\.|cf\.|see)\s*,?\s*)?[A-Z][\w'\-]+"
    r"(?:(?:,\s*|\s+(?:and|&)\s+)[A-Z][\w'\-]+){0,4}(?:\s+et\s+al\.?)?,?\s*\Z")
# a number cell of a table row: "Norway 5 1870 2 318 4" has no year
# (small bare integers on both sides: a year column beside amounts, "2005 127,000
# 2006 131,000", stays a year)
_CELL_BEFORE_RE = re.compile(r"(?<![\w.,])(\d{1,3})[ \t]\Z")
_CELL_AFTER_RE = re.compile(r"[ \t](\d{1,3})(?![\w.,])")
_ETAL_RE = re.compile(r"(?i)et\s+al\.?,?\s*\Z")


def _blocked_before(text: str, start: int) -> bool:
    window = text[max(0, start - 100):start]
    m = _WORD_BEFORE_RE.search(window)
    if m and m.group(1).lower() in _cues().get("not_before", set()):
        return True
    if _ETAL_RE.search(window):
        return True
    return bool(_CITATION_RE.search(window))


_DOTTED_AFTER_RE = re.compile(r"\s*((?:[^\W\d_]+\.)+)")


def _blocked_after(text: str, end: int) -> bool:
    cues = _cues().get("not_after", set())
    m = _WORD_AFTER_RE.match(text, end)
    if m and m.group(1).lower() in cues:
        return True
    dotted = _DOTTED_AFTER_RE.match(text, end)      # "2007-14 I.R.B. 883"
    return bool(dotted) and dotted.group(1).lower() in cues


def _short_year(y1: int, y2s: str) -> Optional[int]:
    """Second year of a fiscal span: "23" after 2022, or 2023 after 2022."""
    try:
        y2 = int(y2s)
    except ValueError:
        return None
    if len(y2s) == 2:
        return y2 if (y1 + 1) % 100 == y2 else None
    if len(y2s) == 1:
        return y2 if (y1 + 1) % 10 == y2 else None
    return y2 if y2 == y1 + 1 else None


def _short_range_end(y1: int, y2s: str) -> Optional[int]:
    """Last year of a short span: "2000-06" -> 2006, "1990-96" -> 1996, "1992-4" -> 1994.
    Only later years within the same century (decade for one digit), so that
    "2010-06" (a month) is no range."""
    if not y2s.isdigit() or len(y2s) > 2:
        return None
    base = 100 if len(y2s) == 2 else 10
    end = y1 - y1 % base + int(y2s)
    return end if y1 < end <= y1 + 30 else None


def _table_cell(text: str, start: int, end: int) -> bool:
    """A 4-digit number between two small bare integers on one line: a count in a table row."""
    return (_CELL_BEFORE_RE.search(text, max(0, start - 20), start) is not None
            and _CELL_AFTER_RE.match(text, end) is not None)


@text_finder
def find_dates(text: str) -> list[DateMatch]:
    taken: list[tuple[int, int]] = [(m.start, m.end) for m in find_money(text)]
    taken += [(p.start, p.end) for p in find_percent(text)]
    found: list[DateMatch] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(d: DateMatch) -> None:
        found.append(d)
        taken.append((d.start, d.end))

    pats = _patterns()
    months = _months()
    for m in pats["iso"].finditer(text):
        if free(m.start(), m.end()):
            add(DateMatch(m.start(), m.end(), m.group(), int(m.group("year")), int(m.group("month")), "date"))
    for m in pats["numeric"].finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if not free(m.start(), m.end()) or not (1 <= a <= 31 and 1 <= b <= 31) or (a > 12 and b > 12) \
                or _blocked_before(text, m.start()):
            continue
        # 09/30/2011 (US) or 30/09/2011: the side over 12 is the day; both <= 12 is no sure month
        month = a if b > 12 else b if a > 12 else None
        add(DateMatch(m.start(), m.end(), m.group(), int(m.group("year")), month, "date"))
    for m in pats["month_year"].finditer(text):
        if free(m.start(), m.end()) and not _blocked_before(text, m.start()):
            add(DateMatch(m.start(), m.end(), m.group(), int(m.group("year")), int(m.group("month")), "month"))
    for m in pats["quarter"].finditer(text):
        if free(m.start(), m.end()):
            add(DateMatch(m.start(), m.end(), m.group(), int(m.group("y1") or m.group("y2")), None, "quarter"))
    for m in pats["decade"].finditer(text):
        if free(m.start(), m.end()):
            add(DateMatch(m.start(), m.end(), m.group(), int(m.group("year")), None, "decade"))
    for key in ("dmy", "mdy", "my"):
        for m in pats[key].finditer(text):
            if not free(m.start(), m.end()):
                continue
            month_word = m.group("month").lower()
            if key == "my" and month_word == "may" and text[m.start()].islower():
                continue                 # "may 2020" is more often the verb
            if key != "my" and not 1 <= int(m.group("day")) <= 31:
                continue
            add(DateMatch(m.start(), m.end(), m.group(), int(m.group("year")),
                          months.get(month_word), "date" if key != "my" else "month"))
    for m in pats["fiscal_prefix"].finditer(text):
        if not free(m.start(), m.end()):
            continue
        y1s = m.group("y1")
        y1 = int(y1s) if len(y1s) == 4 else 2000 + int(y1s)
        if m.group("y2") and _short_year(y1, m.group("y2")) is None:
            continue
        add(DateMatch(m.start(), m.end(), m.group(), y1, None, "fiscal"))
    for m in pats["fiscal_short"].finditer(text):
        y1 = int(m.group("y1"))
        if not free(m.start(), m.end()) or _blocked_before(text, m.start()):
            continue
        if _short_year(y1, m.group("y2")) is not None:
            add(DateMatch(m.start(), m.end(), m.group(), y1, None, "fiscal"))
            continue
        last = _short_range_end(y1, m.group("y2"))
        if last is not None and not _blocked_after(text, m.end()):
            add(DateMatch(m.start(), m.end(), m.group(), y1, None, "range", end_year=last))
    for m in pats["range"].finditer(text):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if not free(m.start(), m.end()) or y2 <= y1 or _blocked_before(text, m.start()):
            continue
        add(DateMatch(m.start(), m.end(), m.group(), y1, None, "range", end_year=y2))
    for m in pats["year"].finditer(text):
        if not free(m.start(), m.end()):
            continue
        if _blocked_before(text, m.start()) or _blocked_after(text, m.end()):
            continue
        if _table_cell(text, m.start(), m.end()):
            continue
        add(DateMatch(m.start(), m.end(), m.group(), int(m.group("year"))))
    # DATE-APOSTROPHE-YEAR: "in '16", "January 1st of '16": a year cut to two digits after an
    # apostrophe, read as a time after a time preposition (00-49 -> 20xx, 50-99 -> 19xx)
    for m in pats["apostrophe_year"].finditer(text):
        if free(m.start("yy") - 1, m.end()):
            yy = int(m.group("yy"))
            add(DateMatch(m.start("yy") - 1, m.end(), text[m.start("yy") - 1:m.end()], (2000 if yy < 50 else 1900) + yy))
    for key in ("slug", "footnote"):
        for m in pats[key].finditer(text):
            month = months.get(m.group("month").casefold())
            if any(d.start < m.end() and m.start() < d.end for d in found):
                continue
            if key == "footnote" and (month is None or len(m.group("month")) < 3):
                continue
            add(DateMatch(m.start(), m.end(), m.group(), int(m.group("year")), month,
                          "date" if key == "slug" else "month"))
    found.sort(key=lambda d: d.start)
    return found
