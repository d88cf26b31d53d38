"""Run-in headings: a heading that opens a paragraph ("Budget Outlook. The ...", a bold
label "Main Findings: ...", a sentence-case noun phrase) is split off as its own
heading.
"""
from __future__ import annotations

import re

from .cues import RUN_IN_LEVEL, TOKEN_STRIP, cue_words, is_section_word, is_title_case

# ---------------------------------------------------------------- run-in headings

_SENT_END_RE = re.compile(r"[.!?](?=\s+[\"“‘(]?[A-Z])")


def _first_sentence_end(text: str, limit: int = 300) -> int:
    """Index just after the first sentence-final period in text[:limit], or -1."""
    abbreviations = cue_words("abbreviations")
    for m in _SENT_END_RE.finditer(text, 0, min(len(text), limit)):
        i = m.start()
        if text[i] != ".":
            return -1  # a question/exclamation is not a heading
        j = i
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        token = text[j:i].strip(TOKEN_STRIP[:-4]).lower()
        # "U.S." / single initials / abbreviations do not end the sentence
        if len(token.replace(".", "")) <= 1 or "." in token or token in abbreviations:
            continue
        return i + 1
    return -1


_BOLD_LABEL_RE = re.compile(r"^([^\W\d_][^:.;]{1,80}?)\s*:\s+(?=\S)")
_LABELLED_SECTION_RE = re.compile(r"^([A-Za-z][A-Za-z ]{2,40}?)\s*(?:[:.]|\s[—–-])\s+(?=\S)")


def split_run_in_headings(text: str, max_headings: int = 2, bold_lead: int = 0) -> list[str]:
    """Leading sentences of a paragraph that act as its headings.

    A heading sentence is title case, a known section word, set in bold up to
    its period (``bold_lead``: leading bold characters the PDF reader saw), or a
    short sentence-case noun phrase followed by a longer sentence (see
    ``is_sentence_case_heading``; that one ends the chain).
    """
    labelled = _LABELLED_SECTION_RE.match(text)
    if labelled and is_section_word(labelled.group(1)):
        return [labelled.group(1)]  # "Abstract: ...", "Summary — ..."
    bold_label = _BOLD_LABEL_RE.match(text) if bold_lead else None
    if bold_label and len(bold_label.group(0).rstrip()) - 1 <= bold_lead <= bold_label.end() + 1 \
            and len(bold_label.group(1).split()) <= 8:
        return [bold_label.group(1)]  # "World Resources: ..." with the label set in bold
    found: list[str] = []
    rest = text
    while len(found) < max_headings:
        end = _first_sentence_end(rest)
        if end <= 0:
            break
        sentence = rest[: end - 1].strip()
        remainder = rest[end:].strip()
        if not remainder:
            break
        if ":" in sentence or ";" in sentence:
            break  # "AGENCY: X." is a labelled field, not a heading
        consumed = len(text) - len(rest)
        single_ok = len(sentence.split()) == 1 and is_section_word(sentence)
        bold_ok = consumed + end - 2 <= bold_lead <= consumed + end + 2 and len(sentence.split()) <= 18
        if single_ok or bold_ok or is_title_case(sentence, min_words=2, max_words=18):
            found.append(sentence)
            rest = remainder
            continue
        if is_sentence_case_heading(sentence, remainder):
            found.append(sentence)
        break
    return found


_SENTENCE_CASE_MAX_WORDS = 10


def is_sentence_case_heading(sentence: str, following: str) -> bool:
    """A short noun-phrase sentence ("Emphasis on cooperation and integration")
    that opens a paragraph and is followed by a longer sentence.

    Conservative: 2-10 words, capitalized first word, no digits, commas or
    quotes, no clause opener ("This", "In", ...), no pronoun, no auxiliary or
    common finite verb, and no past-tense "-ed" word after the first. Word lists
    are in metadata_patterns.yaml.
    """
    words = sentence.split()
    if not 2 <= len(words) <= _SENTENCE_CASE_MAX_WORDS or not words[0][:1].isupper():
        return False
    if any(c.isdigit() or c in ",;:\"“”'‘!?" for c in sentence):
        return False
    tokens = [w.strip("()[]’'").lower() for w in words]
    if tokens[0] in cue_words("run_in_stop_openers") or not any(len(t) >= 4 for t in tokens):
        return False
    stop, verbs = cue_words("run_in_stop_words"), cue_words("verb_cues")
    for index, token in enumerate(tokens):
        if token in stop or token in verbs:
            return False
        if index > 0 and len(token) > 4 and token.endswith("ed") and not token.endswith("eed"):
            return False  # "Sales increased"
    end = _first_sentence_end(following)
    next_sentence = following[:end] if end > 0 else following
    return len(next_sentence.split()) > len(words) + 2


def run_in_level(stack: list[tuple[int, str]]) -> int:
    """A lone run-in heading is a sibling of the deepest run-in heading open
    ("A. B. text" opened A > B; the next "C. text" gives A > C)."""
    if stack and stack[-1][0] >= RUN_IN_LEVEL:
        return stack[-1][0]
    return RUN_IN_LEVEL
