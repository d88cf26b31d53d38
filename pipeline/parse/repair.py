"""General repairs of extracted text: pure functions.

Rules (knowledge lists live in pipeline/data/repair_rules.yaml):

* Characters: ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) are expanded, no-break/thin/figure
  spaces become plain spaces, zero-width characters and soft hyphens are
  dropped. Smart quotes are kept as they are.
* Split decimals: ``A. B`` (A and B digits, one space after the point) is
  joined to ``A.B`` when the context says it is one number:
    - B is followed by a scale word, a unit, ``%`` or a currency name
      ("7. 5 billion", "12. 5%", "3. 5 percent"); or
    - A is preceded by a currency marker ("$ 3. 5", "USD 3. 5"); or
    - B is the single digit 0 ("Society 5. 0", "Web 2. 0": no
      sentence starts with the digit 0); or
    - A is preceded by a name-like capitalized word ("Web 2. 0", "Horizon 2. 1")
      that is not an enumerator such as Table/Figure/Step/No. ("Table 2. 5 new
      firms" is an item number followed by a sentence).
  It is never joined when A looks like a year (4 digits 1900-2099: "in 2011. 5
  firms"), when A has more than 3 digits, or when B has more than 3 digits, nor
  when B closes as an item number ("capped at $40,000. 29. Despite ...": a
  sentence end and a numbered paragraph).
* Spaced abbreviations: runs of single capital letters each followed by a
  period and one space ("U. S.", "U. S. A.", "E. U.") lose their spaces; the
  lower-case ones listed in the data file ("e. g.", "i. e.") too.
* A doubled sentence period ("promoted. . In") becomes one.
* Line-end hyphenation: ``join_lines`` joins "manu-" + "facturing" into
  "manufacturing" but keeps "long-term" when the document itself writes the
  hyphenated form, when the second part is capitalized or a digit, or when
  either part is a listed compound part (and the joined word is not seen in
  the document).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Optional

from ..data_access import check_keys, yaml_mapping

DATA_FILE = "repair_rules.yaml"
# The word lists repair_rules.yaml holds (a misspelt or missing one is an error).
RULE_LISTS = ("scale_words", "units", "currency_markers", "enumerator_words", "lowercase_abbreviations",
              "compound_first_parts", "compound_second_parts")

_CHAR_MAP = {
    "\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
    "\ufb05": "st", "\ufb06": "st",
    # spaces that are not plain spaces
    "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ",
    "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2007": " ", "\u2008": " ",
    "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ", "\u3000": " ",
    "\t": " ",
    # invisible characters
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
    "\x00": "",
}
_CHAR_TABLE = str.maketrans(_CHAR_MAP)
_CONTROL_RE = re.compile(r"[\x01-\x08\x0b-\x1f\x7f]")
_MULTISPACE_RE = re.compile(r" {2,}")
# Any character normalize_chars maps or replaces (with a double space, all it changes).
_TO_NORMALIZE_RE = re.compile("[" + "".join(map(re.escape, _CHAR_MAP)) + r"\x01-\x08\x0b-\x1f\x7f]")


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = yaml_mapping(DATA_FILE)
    check_keys(DATA_FILE, data, RULE_LISTS, lists=True)
    return {k: [str(x).lower() for x in v] for k, v in data.items()}


def _set(name: str) -> frozenset[str]:
    return frozenset(_rules()[name])


def normalize_chars(text: str) -> str:
    """Expand ligatures, unify odd spaces, drop invisible/control characters."""
    # Most texts have nothing to change: one scan instead of three passes
    # (none at all for printable ASCII).
    if "  " not in text and ((text.isascii() and text.isprintable()) or not _TO_NORMALIZE_RE.search(text)):
        return text
    text = text.translate(_CHAR_TABLE)
    text = _CONTROL_RE.sub(" ", text)
    return _MULTISPACE_RE.sub(" ", text)


# digit(s) ". " digit(s); the context before and after is read from the text
# around the match (bounded windows), so the scan stays linear.
_SPLIT_DECIMAL_RE = re.compile(r"(?<![\d.,])(?P<a>\d{1,3}(?:,\d{3})*|\d{4,})\. (?P<b>\d+)")
_AFTER_WORD_RE = re.compile(r"\s*(%|[^\W\d_][\w°]*)")
_BEFORE_WORD_RE = re.compile(r"(\S{1,40})(\s?)$")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# Every split decimal holds ". " and a digit: this search (a literal prefix, fast)
# spares the full scan for most texts.
_SPLIT_DECIMAL_HINT_RE = re.compile(r"\. \d")
_CURRENCY_SIGNS = "$€£¥₹₩"
# B closed as an item number: "29. Despite", "29) The" (a paragraph's number, not a decimal's digits)
_ITEM_NUMBER_AFTER_RE = re.compile(r"(?:\.|\))\s+[A-Z]")


def _strip_punct(word: str) -> str:
    return word.strip("\"'“”‘’()[]{}:;,").lower()


def _decimal_join_wanted(text: str, m: re.Match) -> bool:
    a, b = m.group("a"), m.group("b")
    if ("," not in a and len(a) > 3) or len(b) > 3:  # years ("in 2011. 5 firms"), long numbers
        return False
    tail = text[m.end(): m.end() + 40]
    if tail[:1] in (".", ",") and tail[1:2].isdigit():
        return False  # "1. 2.3": a list of numbers, not a split decimal
    if _ITEM_NUMBER_AFTER_RE.match(tail):
        return False  # "capped at $40,000. 29. Despite ...": a sentence end, then a numbered paragraph
    am = _AFTER_WORD_RE.match(tail)
    after = am.group(1).lower() if am else ""
    if after == "%" or (after and (after in _set("scale_words") or after in _set("units"))):
        return True
    bm = _BEFORE_WORD_RE.search(text[max(0, m.start() - 41): m.start()])
    before_raw = bm.group(1) if bm else ""
    gap = bm.group(2) if bm else ""
    before = _strip_punct(before_raw)
    if before_raw[-1:] in _CURRENCY_SIGNS or (before and before in _set("currency_markers")):
        return True
    if b == "0":
        return True
    # A name-like word right before the number ("Web 2. 0" style names).
    if before_raw and gap and before_raw[:1].isupper() and before_raw[-1:].isalpha():
        if before.rstrip(".") not in _set("enumerator_words"):
            return True
    return False


def join_split_decimals(text: str) -> str:
    """'7. 5 billion' -> '7.5 billion'; 'in 2011. 5 firms' stays (see module doc)."""
    if ". " not in text or not _SPLIT_DECIMAL_HINT_RE.search(text):
        return text
    out: list[str] = []
    last = 0
    for m in _SPLIT_DECIMAL_RE.finditer(text):
        if _decimal_join_wanted(text, m):
            out.append(text[last: m.end("a")])
            out.append(".")
            last = m.start("b")
    if not out:
        return text
    out.append(text[last:])
    return "".join(out)


# Two or more single capital letters each followed by ". " or "." at the end.
_SPACED_CAPS_RE = re.compile(r"(?<![\w.])(?:[A-Z]\. ){1,4}[A-Z]\.(?![\w])")
# A spaced abbreviation (either kind) holds ". " + a letter + "." ("U. S.", "e. g.");
# without one, the substitutions below would change nothing.
_SPACED_ABBREVIATION_HINT_RE = re.compile(r"\. [^\W\d_]\.")


@lru_cache(maxsize=1)
def _lower_abbrev_re() -> Optional[re.Pattern]:
    alts = []
    for abbr in _set("lowercase_abbreviations"):
        letters = [c for c in abbr if c.isalpha()]
        if len(letters) >= 2:
            alts.append(r"\. ?".join(re.escape(c) for c in letters) + r"\.")
    if not alts:
        return None
    return re.compile(r"(?<![\w.])(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")(?!\w)", re.I)


def join_spaced_abbreviations(text: str) -> str:
    """'U. S.' -> 'U.S.', 'e. g.' -> 'e.g.'."""
    if ". " not in text or not _SPACED_ABBREVIATION_HINT_RE.search(text):
        return text
    text = _SPACED_CAPS_RE.sub(lambda m: m.group(0).replace(" ", ""), text)
    rx = _lower_abbrev_re()
    if rx is not None:
        text = rx.sub(lambda m: m.group(0).replace(" ", ""), text)
    return text


# "word. . Next" (an extraction artifact); a spaced ellipsis ". . ." is kept.
_DOUBLE_PERIOD_RE = re.compile(r"(?<=[^\s.])\. \.(?= [^.\s])")


def collapse_double_periods(text: str) -> str:
    if ". ." not in text:
        return text
    return _DOUBLE_PERIOD_RE.sub(".", text)


def repair_line(text: str) -> str:
    """All in-line repairs, in a safe order."""
    if not isinstance(text, str):
        return ""
    # Anything a repair below could change: a character outside printable ASCII
    # (odd spaces, ligatures, tabs, controls), ". " (split numbers and
    # abbreviations, double periods) or a double space. Most lines have none.
    # (str methods rather than a regex scan: for ASCII, isprintable() is exactly \x20-\x7e.)
    if text.isascii() and text.isprintable() and ". " not in text and "  " not in text:
        return text
    text = normalize_chars(text)
    text = join_spaced_abbreviations(text)
    text = join_split_decimals(text)
    text = collapse_double_periods(text)
    return text


_WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# The same for ASCII text, where [^\W\d_] is [A-Za-z] (a faster scan; most lines are ASCII).
_ASCII_WORD_RE = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def document_vocabulary(lines: Iterable[str]) -> set[str]:
    """Lower-cased words and hyphenated compounds seen in a document (one pass)."""
    vocab: set[str] = set()
    ascii_findall, findall, lower = _ASCII_WORD_RE.findall, _WORD_RE.findall, str.lower
    for line in lines:
        vocab.update(map(lower, ascii_findall(line) if line.isascii() else findall(line)))
    return vocab


_TRAIL_WORD_RE = re.compile(r"([^\W\d_]+)-$")
_LEAD_WORD_RE = re.compile(r"^([^\W\d_]+)")


def keep_hyphen(first: str, second: str, vocab: Optional[set[str]] = None) -> bool:
    """Whether 'first-' at a line end + 'second' is a real compound."""
    if not first or not second:
        return True
    if second[:1].isupper() or second[:1].isdigit():
        return True
    f, s = first.lower(), second.lower()
    if vocab:
        if f"{f}-{s}" in vocab:
            return True
        if f + s in vocab:
            return False
    return f in _set("compound_first_parts") or s in _set("compound_second_parts")


def join_lines(lines: list[str], vocab: Optional[set[str]] = None) -> str:
    """Join the lines of one block into a paragraph, undoing line-end hyphenation."""
    parts: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if parts and parts[-1].endswith("-") and not parts[-1].endswith("--"):
            prev = parts[-1]
            m1 = _TRAIL_WORD_RE.search(prev)
            m2 = _LEAD_WORD_RE.match(line)
            if m1 and m2 and prev[: m1.start()][-1:] not in ("-",):
                if keep_hyphen(m1.group(1), m2.group(1), vocab):
                    parts[-1] = prev + line
                else:
                    parts[-1] = prev[:-1] + line
                continue
            if len(prev) >= 2 and prev[-2].isdigit() and line[:1].isdigit():
                parts[-1] = prev + line  # a number range "2015-" + "2020"
                continue
            if prev.endswith(" -") or not m1:
                parts.append(line)
                continue
        parts.append(line)
    return " ".join(parts)


_CLOSERS = "\"'”’»)]}*_"


def ends_sentence(text: str) -> bool:
    """True when text ends with sentence-final punctuation (closing quotes ignored)."""
    t = text.rstrip().rstrip(_CLOSERS).rstrip()
    return t[-1:] in (".", "!", "?", "。", "…")
