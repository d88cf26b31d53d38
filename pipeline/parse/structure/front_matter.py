"""Front matter and back matter: author lines and bylines, authors' notes,
affiliations, e-mails, journal lines, and the reference list.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Optional

from ..repair import ends_sentence, join_lines
from .cues import (
    EMAIL_RE,
    MARKER_RE,
    MAX_META_WORDS,
    MD_EMPH_RE,
    NUMBERED_HEADING_RE,
    REF_MARKER_RE,
    WS_RE,
    YEAR_RE,
    all_cues,
    cue_words,
    is_section_word,
)
from .paragraphs import Para

# ---------------------------------------------------------------- front matter

def _strip_markers(text: str) -> str:
    text = MARKER_RE.sub(" ", text)
    return WS_RE.sub(" ", text).strip()


def parse_author_line(text: str, lower_words: Optional[set[str]] = None) -> list[str]:
    """Names from an author line, or [] when the line does not look like one.

    ``lower_words``: words the document writes in lower case; a "name" made of
    them ("Proposed Rules") is ordinary words in title case, not a person.
    """
    if len(text) > 300 or EMAIL_RE.search(text) or text.rstrip().endswith((".", ":")) and not re.search(r"\b[A-Z]\.$", text):
        return []
    lowered = text.lower()
    if any(re.search(r"\b" + re.escape(c) + r"\b", lowered) for c in cue_words("affiliation_cues") | cue_words("journal_cues")):
        return []
    if is_section_word(text) or NUMBERED_HEADING_RE.match(text):
        return []
    clean = _strip_markers(text)
    clean = re.sub(r"(?<=[^\W\d_])\d+(?:,\d+)*", "", clean)  # "Liang1,2" footnote digits
    parts = [p.strip(" ,;") for p in re.split(r",|;|\band\b|&", clean) if p.strip(" ,;")]
    particles = cue_words("name_particles")
    names = []
    for part in parts:
        tokens = part.split()
        if not 2 <= len(tokens) <= 5:
            return []
        for tok in tokens:
            if tok.lower() in particles:
                continue
            if len(tok) > 2 and tok.isupper():
                return []  # all-caps words are headings, not names
            if not (tok[0].isupper() and re.fullmatch(r"[^\W\d_][^\W\d_'’.\-]*\.?|[A-Z]\.(?:-?[A-Z]\.)*", tok)):
                return []
        names.append(" ".join(tokens))
    if lower_words is not None:
        content = [t.lower().strip(".") for n in names for t in n.split() if len(t.strip(".")) > 2]
        if not content or sum(t in lower_words for t in content) * 2 > len(content) \
                or (len(names) == 1 and any(t in lower_words for t in content)):
            return []
    return names


BYLINE_WINDOW = 12          # body paragraphs after which a name line is no longer a byline
_BYLINE_MAX_WORDS = 16


@lru_cache(maxsize=1)
def byline_regex() -> Optional[re.Pattern]:
    prefixes = sorted(cue_words("byline_prefixes"), key=len, reverse=True)
    if not prefixes:
        return None
    alts = "|".join(re.escape(x) + (r"(?![\w])" if x[-1:].isalpha() else "") for x in prefixes)
    return re.compile(r"^\s*(?:" + alts + r")\s*", re.I)


def parse_byline(text: str, lower_words: Optional[set[str]] = None) -> list[str]:
    """Names from a byline: an author line, optionally opened by "By" and followed by
    roles ("By Jane Doe, Economist" -> ["Jane Doe"]); [] when it is not one."""
    if len(text.split()) > _BYLINE_MAX_WORDS:
        return []
    rx = byline_regex()
    m = rx.match(text) if rx else None
    rest = text[m.end():] if m else text
    parts = rest.split(",")
    roles = cue_words("byline_role_words")
    # The names end before the first part that holds a job title ("Senior Fellow").
    for k, part in enumerate(parts):
        if k and any(w.strip(".()").lower() in roles for w in part.split()):
            parts = parts[:k]
            break
    names = parse_author_line(",".join(parts), lower_words)
    if names or not m:
        return names
    for k in range(len(parts) - 1, 0, -1):  # "By" lines: drop trailing affiliations
        names = parse_author_line(",".join(parts[:k]), lower_words)
        if names:
            return names
    return []


def names_confirmed(names: list[str], paras: list[Para]) -> bool:
    """A bare name line after the body began is a byline only when the document
    confirms it: an author note opens with the name, or an e-mail holds the surname."""
    for p in paras:
        if is_author_note(p.text, names):
            return True
        for email in EMAIL_RE.findall(p.text) if "@" in p.text else ():
            local = email.split("@")[0].lower()
            if any(name.split()[-1].lower() in local for name in names if len(name.split()[-1]) > 2):
                return True
    return False


def is_author_note(text: str, authors: list[str]) -> bool:
    """"<Author Name> is an economist in ..." (a short biographical note)."""
    if len(text.split(None, 80)) > 80:   # more than 80 words (splits no further)
        return False
    rx = _author_note_regex(tuple(authors))
    return bool(rx and rx.match(text))


@lru_cache(maxsize=64)
def _author_note_regex(authors: tuple[str, ...]) -> Optional[re.Pattern]:
    """One of the names, then a note verb; compiled once per author list (it is tried on
    every paragraph). None when there is no name or no verb."""
    verbs = "|".join(re.escape(v) for v in cue_words("author_note_verbs"))
    if not verbs or not authors:
        return None
    return re.compile("(?:" + "|".join(re.escape(name) for name in authors) + r"),?\s+(?:" + verbs + r")\b")


@lru_cache(maxsize=1)
def _prefix_regex() -> Optional[re.Pattern]:
    alts = []
    for kind, prefixes in all_cues().get("line_prefixes", {}).items():
        for prefix in sorted(prefixes, key=len, reverse=True):
            edge = r"(?![a-z])" if prefix[-1:].isalpha() else ""  # "jel" is not "jelly"
            alts.append(f"(?P<{kind}_{len(alts)}>{re.escape(prefix)}{edge})")
    return re.compile("|".join(alts)) if alts else None


def line_prefix_kind(text: str) -> str:
    rx = _prefix_regex()
    if rx is None:
        return ""
    head = text[:80].lower()
    for candidate in (head, head.lstrip(" *¹²³⁴⁵⁶⁷⁸⁹⁰^{}0123456789,")):
        m = rx.match(candidate)
        if m:
            return m.lastgroup.rsplit("_", 1)[0]
    return ""


def _is_email_line(text: str) -> bool:
    if "@" not in text:
        return False   # no e-mail address (spares the scan)
    emails = EMAIL_RE.findall(text)
    if not emails:
        return False
    rest = EMAIL_RE.sub("", text)
    rest_words = [w for w in re.split(r"[\s,;:()]+", _strip_markers(rest)) if w and any(c.isalpha() for c in w)]
    return len(rest_words) <= 6


def is_affiliation(text: str) -> bool:
    if len(text.split()) > 30 or ends_sentence(text):
        return False  # an affiliation is a short address line, not a sentence
    lowered = text.lower()
    if any(re.search(r"\b" + re.escape(c) + r"\b", lowered) for c in cue_words("affiliation_cues")):
        return True
    return bool(re.match(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]|\^\{?\w)", text)) and not ends_sentence(text)


def is_journal_line(text: str) -> bool:
    if len(text.split()) > 25:
        return False
    lowered = text.lower()
    return any(c in lowered for c in cue_words("journal_cues")) and not ends_sentence(text.rstrip(". ")) \
        and (bool(YEAR_RE.search(text)) or bool(re.search(r"\b(?:vol|no|pp|issn|doi)\b", lowered)))


# PARSE-ITEM-C-NOT-COPYRIGHT: "(c)" is a copyright mark only before a year or "Copyright" ("(c) 2019
# Elsevier"); "(c) $500 per system for ..." and "(c) For the purposes of this section:" are the third
# item of a law's list, body text
_STRONG_JOURNAL_RE = re.compile(r"\bdoi\b|\bissn\b|\bisbn\b|©|\(c\)\s*(?:(?:19|20)\d\d|copyright)|all rights reserved|https?://",
                                re.I)


def metadata_kind(text: str) -> str:
    """Kind of a short metadata line that may stand anywhere, or ''."""
    if len(text.split(None, MAX_META_WORDS)) > MAX_META_WORDS:   # more words than that (splits no further)
        return ""
    kind = line_prefix_kind(text)
    if kind == "email" and "@" not in text:
        kind = ""  # "Email campaigns reached ..." is a sentence
    if kind == "journal" and (len(text.split()) > 20 or not _STRONG_JOURNAL_RE.search(text)):
        kind = ""  # "Received ..."/"Vol." lines need a hard journal marker to leave the body
    if kind:
        return kind
    if _is_email_line(text):
        return "email"
    return ""


def add_meta(meta: dict[str, Any], key: str, text: str) -> None:
    if key == "email":
        meta.setdefault("emails", []).extend(EMAIL_RE.findall(text))
        return
    if key == "keywords":
        body = re.split(r"[:：—–-]\s*|\.\s+", text, maxsplit=1)
        words = body[1] if len(body) > 1 else ""
        meta.setdefault("keywords", []).extend(
            w.strip(" .") for w in re.split(r"[;,·•]", words) if w.strip(" ."))
        return
    names = {"corresponding": "corresponding", "journal": "journal", "affiliation": "affiliations"}
    meta.setdefault(names.get(key, key), []).append(text)


# ---------------------------------------------------------------- references

def _clean_ref(text: str) -> str:
    text = MD_EMPH_RE.sub(r"\2", text)
    return WS_RE.sub(" ", text).strip()


def split_references(blocks: list[list[str]], vocab: Optional[set[str]] = None) -> list[str]:
    """Reference entries from the lines of the reference-list blocks."""
    all_lines = [ln for block in blocks for ln in block]
    marked = sum(1 for ln in all_lines if REF_MARKER_RE.match(ln))
    entries: list[list[str]] = []
    if marked >= max(1, len(all_lines) // 5) and marked:
        for line in all_lines:
            m = REF_MARKER_RE.match(line)
            if m or not entries:
                entries.append([line[m.end():] if m else line])
            else:
                entries[-1].append(line)
    else:
        for block in blocks:
            if len(blocks) > 1 and len(block) <= 6:
                entries.append(block)
                continue
            current: list[str] = []
            for line in block:
                starts_entry = bool(re.match(r"^[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)?,\s", line)) and \
                    (not current or current[-1].rstrip().endswith((".", ")")))
                if current and starts_entry:
                    entries.append(current)
                    current = []
                current.append(line)
            if current:
                entries.append(current)
    out = []
    for entry in entries:
        text = _clean_ref(join_lines(entry, vocab))
        if len(text) >= 8 and any(c.isalpha() for c in text):
            out.append(text)
    return out


def reference_year(text: str) -> Optional[int]:
    years = YEAR_RE.findall(text)
    return int(years[-1]) if years else None
