"""The structure builder's cue words (pipeline/data/metadata_patterns.yaml) and the
small tests on one line of text built on them: page numbers, title case, section
words, captions, numbered headings.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

from ...data_access import yaml_mapping
from ..repair import ends_sentence

DATA_FILE = "metadata_patterns.yaml"

RUN_IN_LEVEL = 100          # run-in headings sit below every real heading
HEADER_FOOTER_SHARE = 0.4   # a line on >= 40% of pages' edges is a running header/footer
EDGE_LINES = 2              # lines at the top and bottom of a page searched for headers
MAX_HEADING_WORDS = 20
MAX_META_WORDS = 40


@lru_cache(maxsize=1)
def all_cues() -> dict[str, Any]:
    data = yaml_mapping(DATA_FILE)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out[key] = {k: tuple(str(x).lower() for x in (v or [])) for k, v in value.items()}
        else:
            out[key] = frozenset(str(x).lower() for x in (value or []))
    return out


def cue_words(name: str) -> frozenset:
    return all_cues().get(name, frozenset())


# ---------------------------------------------------------------- small text tests

_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:of|/)\s*\d{1,4}|\d{1,5}|[ivxlcdm]{1,6}|\[\s*\d{1,4}\s*\])\s*$",
    re.I,
)
_DIGITS_RE = re.compile(r"\d+")
WS_RE = re.compile(r"\s+")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
NUMBERED_HEADING_RE = re.compile(
    r"^(?P<num>(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?)|(?:[IVX]{1,5}\.)|(?:[A-H]\.))\s+(?P<title>\S.*)$"
)
MD_PREFIX_RE = re.compile(r"^(#{1,6})(?:\s+|(?<=##)(?=[A-Z]))(.*)$")
YEAR_RE = re.compile(r"(?<![\w])(?:19|20)\d\d(?!\d)")
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰⁺⁻*†‡§¶#"
MARKER_RE = re.compile(r"\^\{[^}]{0,20}\}|\^\S{1,5}|[" + _SUPERSCRIPTS + r"]+")
REF_MARKER_RE = re.compile(
    r"^\s*(?:[-*•·]\s*)?(?:\[(?P<a>\d{1,4})\]|\((?P<b>\d{1,4})\)|(?P<c>\d{1,4})\.(?=\s)|(?P<d>\d{1,4})\s(?=[A-Z]))\s*"
)
MD_EMPH_RE = re.compile(r"(\*\*|\*|__)(?=\S)([^*\n]+?)(?<=\S)\1")
BULLET_RE = re.compile(r"^\s*(?:[•◦▪●‣∙·–]|[-*](?=\s)|\(?[a-z0-9]{1,2}\))\s*")
TOKEN_STRIP = "\"'“”‘’()[]{}:;,.!?"


_KEY_PUNCT_RE = re.compile(r"[^\w#]+")


def norm_key(line: str) -> str:
    """Running-line key: digits are '#'; spacing and the punctuation around numbers
    are ignored ("-10-" == "- 9 -"); other punctuation stays (a sentence stays one)."""
    tokens = []
    for token in _DIGITS_RE.sub("#", line.lower()).split():
        if "#" in token or not any(c.isalnum() for c in token):
            token = _KEY_PUNCT_RE.sub("", token)
        if token:
            tokens.append(token)
    return " ".join(tokens)


def is_page_number_line(line: str) -> bool:
    return bool(_PAGE_NUMBER_RE.match(line)) if len(line) <= 24 else False


def heading_key(text: str) -> str:
    t = MD_PREFIX_RE.sub(r"\2", text).strip()
    m = NUMBERED_HEADING_RE.match(t)
    if m:
        t = m.group("title")
    return t.strip().rstrip(".:").strip().lower()


def is_title_case(text: str, min_words: int = 1, max_words: int = MAX_HEADING_WORDS) -> bool:
    """Capitalized content words (>= 80%), starts upper-case, no long numbers run."""
    words = text.split()
    if not (min_words <= len(words) <= max_words):
        return False
    first = words[0].lstrip(TOKEN_STRIP)
    if not first or not (first[0].isupper() or first[0].isdigit()):
        return False
    minor = cue_words("title_case_minor_words")
    content = caps = numeric = 0
    allowed_misses = len(words) * 0.2 + 0.5
    for raw in words:
        w = raw.strip(TOKEN_STRIP)
        if not w:
            continue
        if not any(c.isalpha() for c in w):
            numeric += 1
            continue
        if w.lower() in minor:
            continue
        content += 1
        if w[0].isupper() or (len(w) > 1 and w[0] in "'‘\"“" and w[1].isupper()):
            caps += 1
        elif content - caps > allowed_misses:
            return False  # early exit keeps long body paragraphs cheap
    # PARSE-HEADING-ITEM-CODE: a budget line's code in parentheses after its name ("2025-27 Dock
    # Grants (40000100)") is the item's reference, not a run of numbers
    if numeric and _ITEM_CODE_RE.match(words[-1]):
        numeric -= 1
    if content == 0 or numeric > max(1, len(words) // 3):
        return False
    return caps / content >= 0.8


def is_section_word(text: str) -> bool:
    key = heading_key(text)
    return key in cue_words("section_words") or key in cue_words("reference_headings") or key in cue_words("metadata_headings")


_ITEM_CODE_RE = re.compile(r"^\(\d{5,}\)$")
def is_caption(text: str) -> bool:
    first = text.split(maxsplit=1)[0].lower().rstrip(".:") if text.split() else ""
    return first in cue_words("caption_prefixes")


@lru_cache(maxsize=1)
def _caption_label_regex() -> Optional[re.Pattern]:
    """"Table 2.3", "Figure 4:", "Box A1", "Fig. IV" at a line start: a caption prefix
    (caption_prefixes, words only) and its number; the rest of the line follows."""
    words = sorted((w for w in cue_words("caption_prefixes") if w.isalpha()), key=len, reverse=True)
    if not words:
        return None
    return re.compile(
        r"^(?i:" + "|".join(re.escape(w) for w in words) + r")\.?\s*"
        r"(?:[A-Z]{1,2}[-.]?\d{1,3}(?:[.\-–]\d{1,3})*[a-z]?|\d{1,3}(?:[.\-–]\d{1,3})*[a-z]?|[IVXL]{1,5}|[A-Z])"
        r"(?![\w.,]\w|[\w])")


def _caption_label_end(line: str) -> int:
    """Length of the caption label ("Table 2.3") a line starts with, or 0."""
    rx = _caption_label_regex()
    m = rx.match(line) if rx else None
    return m.end() if m else 0


def _all_bold(line: str, bold: int) -> bool:
    return bold >= len(line.rstrip())


def _starts_caption(lines: list[str], bold: list[int], i: int, width: int) -> bool:
    """Line i of a text block opens a caption ("Table 2.3" / "Figure 4: Share of ..."),
    not a wrapped in-sentence reference ("... are given in" / "Table 2.3. EPA has ...").

    Layout decides: the line is all bold while the block's body is not, or it holds
    only the label (+ ":" and a short title) with a capitalised title line below it.
    """
    line = lines[i]
    end = _caption_label_end(line)
    if not end:
        return False
    rest = line[end:].strip()
    if bold and len(bold) == len(lines):
        if _all_bold(line, bold[i]) and not all(_all_bold(ln, b) for ln, b in zip(lines, bold)):
            return True
        # a short block that opens with its label in bold ("Table 6.8: Franchising ...")
        title = rest.lstrip(":.—–- ")
        if i == 0 and len(lines) <= 3 and bold[0] >= end and (not title or title[:1].isupper()) \
                and not INNER_SENTENCE_END_RE.search(" ".join([title] + lines[1:])):
            return True
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    after_sentence = i == 0 or ends_sentence(lines[i - 1])
    if not rest or (rest == "." and after_sentence) or rest == ":":
        # a bare label: its title follows on the next line (or it stands alone)
        return (bool(nxt) and (nxt[:1].isupper() or nxt[:1].isdigit())) or (i == 0 and len(lines) == 1)
    if rest[:1] in ":—–" and after_sentence and len(line) < 0.8 * max(width, 1) and rest[1:].strip()[:1].isupper() \
            and not (nxt[:1].islower()):
        return True  # "Figure 4: Share of exports by country" on its own short line
    return False


def split_captions(lines: list[str], bold: list[int]) -> list[tuple[list[str], bool]]:
    """A text block's lines cut before a caption line: (lines, is caption) runs in order.

    A caption run holds the caption line and, when it is bold, the bold lines after
    it (its title); the first line not in bold starts the next run. An unbolded
    caption keeps the rest of the block.
    """
    # No line starts with a caption label (any(_caption_label_end(ln) ...), matched in C;
    # a label is never empty): the common case, one run.
    rx = _caption_label_regex()
    if rx is None or not any(map(rx.match, lines)):
        return [(lines, False)]
    width = max(len(ln) for ln in lines)
    known = bool(bold) and len(bold) == len(lines)
    runs: list[tuple[list[str], bool]] = []
    i = 0
    while i < len(lines):
        if _starts_caption(lines, bold, i, width):
            j = i + 1
            if known and _all_bold(lines[i], bold[i]):
                while j < len(lines) and _all_bold(lines[j], bold[j]):
                    j += 1
            else:
                j = len(lines)
            runs.append((lines[i:j], True))
            i = j
            continue
        if runs and not runs[-1][1]:
            runs[-1][0].append(lines[i])
        else:
            runs.append(([lines[i]], False))
        i += 1
    return runs


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 12


def heading_level_of_number(num: str) -> int:
    num = num.rstrip(".")
    if re.fullmatch(r"[IVX]+|[A-H]", num):
        return 1 if re.fullmatch(r"[IVX]+", num) else 2
    return num.count(".") + 1


INNER_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*\s+[\"“‘(]?[A-Z]")
