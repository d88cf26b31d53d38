"""The beneficiary of a measure: "to|for ... <actor noun>" after the quantity, "of|for ...
<actor noun>" before it, or the subject of a receiving verb.
"""

from __future__ import annotations

import re

from ..records import (
    Mention,
)
from .cues import load_cues
from .quantities import count_qualifier_words


def _phrase(words: list[str], strip: str = " ,") -> str:
    """The words of a receiver phrase without its leading determiners ("the", "eligible", ...)."""
    determiners = load_cues().leading_determiners
    while words and words[0].lower() in determiners:
        words = words[1:]
    return " ".join(words).strip(strip) if strip else " ".join(words)


def _matched_phrase(m: re.Match[str]) -> str:
    """The receiver phrase a cue pattern captured (its first non-empty group), determiners dropped."""
    return _phrase(next((g for g in m.groups() if g), "").split())


def beneficiary_subject(text: str, sent_start: int, q_start: int) -> str:
    """The subject of a receiving verb before the quantity ("SMEs can deduct
    25%", "Eligible units will receive ...", "allows companies to deduct")."""
    cues = load_cues()
    before = text[sent_start:max(sent_start, q_start)]
    m = next((found for found in (p.search(before) for p in cues.beneficiary_subject) if found), None)
    return _matched_phrase(m) if m else ""


def support_receiver(text: str, clause_start: int, q_start: int) -> str:
    """The receiver of a support noun in the quantity's clause before it ("the seed capital
    assistance to new ferry entrepreneurs is 10%"; LINK-BENEFICIARY-SUPPORT-TO in cues.py)."""
    return _last_receiver(load_cues().support_receiver, text, clause_start, q_start)


def possessor_receiver(text: str, clause_start: int, q_start: int) -> str:
    """The receiver that owns or modifies the support noun before the amount in its clause ("Raise
    dock workers' benefits by 6%"; LINK-BENEFICIARY-POSSESSOR in cues.py)."""
    return _last_receiver(load_cues().possessor_receiver, text, clause_start, q_start)


def _last_receiver(pattern: re.Pattern[str] | None, text: str, clause_start: int, q_start: int) -> str:
    """The receiver phrase of the last match of ``pattern`` in the clause before the quantity."""
    found = list(pattern.finditer(text, clause_start, max(clause_start, q_start))) if pattern is not None else []
    return _matched_phrase(found[-1]) if found else ""


# LINK-BENEFICIARY-RELATIVE-SUBJECT: an amount inside the relative clause of a receiving subject
# ("Ferry units that raise output by at least 20% are eligible") goes with that subject
def relative_subject(text: str, sent_start: int, sent_end: int, q_start: int) -> str:
    pattern = load_cues().beneficiary_relative
    m = pattern.search(text[sent_start:sent_end]) if pattern is not None else None
    if not m or not sent_start + m.start() < q_start < sent_start + m.end():
        return ""
    return _matched_phrase(m)


_RECEIVER_GAP = 80   # characters between a counted noun and its receiving verb ("(see Glossary) and eight ...")


def counted_receivers(text: str, q: Mention, sent_end: int) -> str:
    """A count whose things receive the support names its own beneficiary:
    "All 12 regional design schools ... receive running grants"."""
    if q.type != "COUNT" or not q.unit:
        return ""
    cues = load_cues()
    if cues.receiving_verb is None or not cues.receiving_verb.search(text[q.end:min(sent_end, q.end + _RECEIVER_GAP)]):
        return ""
    return _counted_noun(text, q)


def _counted_noun(text: str, q: Mention) -> str:
    """A count's noun phrase without its number, qualifiers and determiners ("about 40 small firms")."""
    qualifier_words = count_qualifier_words()
    determiners = load_cues().leading_determiners
    words = text[q.start:q.end].split()
    while words and (any(ch.isdigit() for ch in words[0]) or words[0].lower() in qualifier_words
                     or words[0].lower() in determiners):
        words = words[1:]
    return " ".join(words)


def beneficiary_before(text: str, lo: int, q_start: int) -> str:
    m = load_cues().beneficiary_before.search(text[lo:max(lo, q_start)])
    return _clean_phrase(m) if m else ""


def beneficiary(text: str, q_end: int, hi: int) -> str:
    m = load_cues().beneficiary.search(text[q_end:max(q_end, hi)])
    return _clean_phrase(m) if m else ""


# INSTR-PAID-TO-RECEIVER: money right before "to"/"for" and a receiver ("$2,000 to ferry firms and $1,000
# to sole traders") is paid to them, though its sentence's other clause states a statistic
_PAID_LEAD = re.compile(r"\s*(?:each\s+|per\s+\w+\s+)?(?=(?:to|for)\s)")


def paid_to(text: str, q_end: int, hi: int) -> str:
    """The receiver an amount ending at ``q_end`` is paid to, named right after it ("$2,000 to ferry
    firms", "$50 each for small yards"), or ""."""
    lead = _PAID_LEAD.match(text, q_end)
    m = load_cues().beneficiary.match(text, lead.end(), max(lead.end(), hi)) if lead else None
    return _clean_phrase(m) if m else ""


def _clean_phrase(match: re.Match[str]) -> str:
    """The noun phrase without leading determiners, or the verb of "to <verb> ..."."""
    cues = load_cues()
    words = match.group(1).split()
    if match.group(0).lower().startswith("to") and len(words) > 1 and words[0].lower() in cues.beneficiary_verbs:
        words = words[1:]
    return _phrase(words)


# LINK-BENEFICIARY-COUNTED-OBJECT: a count of receivers that a support verb takes ("has supported
# 317 harbour businesses", "support 100 small enterprises") names its own beneficiary
_OBJECT_LEAD = re.compile(r"(?i)\b([a-z]+)\s+(?:a\s+total\s+of\s+|(?:over|about|around|nearly|some|more\s+than|up\s+to)\s+)?$")


def counted_object(text: str, q: Mention, sent_start: int) -> str:
    if q.type != "COUNT" or not q.unit:
        return ""
    cues = load_cues()
    if q.unit.lower().split()[-1] not in cues.beneficiary_head_words:
        return ""
    lead = _OBJECT_LEAD.search(text, max(sent_start, q.start - 40), q.start)
    verb = lead.group(1).lower() if lead else ""
    if not any(verb == v or (verb.startswith(v) and verb[len(v):] in ("s", "ed", "d", "es", "ing"))
               or (v.endswith("e") and verb == v[:-1] + "ing") for v in cues.beneficiary_verbs):
        return ""
    return _counted_noun(text, q)


# LINK-BENEFICIARY-SUPPORTED-WITH: the object of a support verb before "with <amount>" ("is
# supporting the Harbour Robotics Centre with £85 million") receives the amount
_SUPPORTED_WITH = re.compile(
    r"(?i)\b(?:support|supports|supporting|supported|fund|funds|funding|funded|back|backs|backing|backed|"
    r"help|helps|helping|helped|assist|assists|assisting|assisted)\s+(?P<np>(?:the\s+|its\s+|their\s+)?"
    r"[^\s.;,()]+(?:\s+[^\s.;,()]+){0,6}?)\s+with\s+"
    # "... with a planned investment of £85 million": the amount may be named first
    r"(?:an?\s+(?:[a-z-]+\s+){0,2}?(?:investment|funding|grant|package|budget|allocation|contribution)\s+of\s+)?"
    r"(?:about\s+|around\s+|over\s+|nearly\s+|up\s+to\s+|a\s+further\s+|an\s+(?:additional|extra)\s+)?$")


def supported_with(text: str, sent_start: int, q_start: int) -> str:
    m = _SUPPORTED_WITH.search(text, max(sent_start, q_start - 120), q_start)
    if not m:
        return ""
    words = m.group("np").split()
    return _phrase(words, strip="")


# A receiver that frames the sentence receives its quantities (LINK-BENEFICIARY-FRAME, beneficiary_cues.yaml)
# LINK-BENEFICIARY-FRAME-ITEM: in a schedule whose items run on in one sentence ("...; (m) in respect of
# a ferry company, the rate shall be 15%; (n) ..."), the quantity's own item opens like a sentence
_ITEM_OPEN = re.compile(r"(?:^|[\s;:,])\(([a-z]{1,2}|[ivx]{1,4}|\d{1,2})\)\s*(?=[a-z])", re.IGNORECASE)


def beneficiary_frame(text: str, sent_start: int, q_start: int) -> str:
    """"In respect of small units, the subsidy is limited to ...": the framed receiver, framing the
    sentence or the enumerated item the quantity stands in."""
    pattern = load_cues().beneficiary_frame
    before = text[sent_start:max(sent_start, q_start)]
    m = pattern.search(before)
    if m is None:
        items = list(_ITEM_OPEN.finditer(before))
        if items and items[-1].start() > 0:
            m = pattern.search(before[items[-1].end():])
    return _matched_phrase(m) if m else ""


def incurred_by(text: str, q_end: int, hi: int) -> str:
    """"75% of the costs incurred by ferry yards": the receiver who bore the costs."""
    pattern = load_cues().beneficiary_incurred_by
    m = pattern.search(text[q_end:max(q_end, hi)]) if pattern is not None else None
    return _matched_phrase(m) if m else ""


# LINK-BENEFICIARY-BENEFITING: "... 250 million in loans to benefit more than 7,000 women
# entrepreneurs", "benefitting over 80 thousand SMEs": the receivers a benefit verb names after the
# amount (a count between them allowed), when the phrase ends in a receiving noun
_BENEFITING = re.compile(
    r"(?i)\b(?:to\s+)?benefit(?:s|ed|ing|ting|ted)?\s+"
    r"(?:(?:more\s+than|over|about|around|nearly|some|up\s+to|at\s+least)\s+)?"
    r"(?:\d[\d,.]*\s+(?:thousand\s+|million\s+)?)?"
    r"(?P<np>[^.;:()\d][^.;:()]{1,120}?)(?=\s*(?:[.;:)]|$)|\s+(?:in|across|through|by|with|from|during|under|who|which|that)\s)")


def benefiting(text: str, q_end: int, sent_end: int) -> str:
    m = _BENEFITING.search(text, q_end, sent_end)
    if not m:
        return ""
    words = m.group("np").split()
    if not words or words[-1].lower().strip(",") not in load_cues().beneficiary_head_words:
        return ""
    return _phrase(words)


# LINK-BENEFICIARY-NAMED-BODY: a named body or project the amount goes "for", "to" or "in" right after
# it ("£4 million of funding for the Harbour Robotics Centre", "$2 million to the Old Quay project")
_TO_BODY = re.compile(r"\b(?:for|to|in|into)\s+(?:the\s+)?$")
_BODY_REACH = 40        # characters from the amount to the body's name


def named_body(text: str, q_end: int, bodies: list[tuple[int, str]]) -> str:
    """The first named body (start, name) after the amount that the amount is given for,
    to or in, with nothing between but a few words and no clause break."""
    for start, name in bodies:
        gap = text[q_end:start]
        if len(gap) > _BODY_REACH or any(c in gap for c in ".;:()"):
            return ""
        if _TO_BODY.search(gap):
            return name
    return ""


# LINK-BENEFICIARY-PROPER-OBJECT: a proper name that the amount goes to ("$40 million over five years to
# support the Harbour Light Source", "$9 million to FERRYNET, a not-for-profit network") receives it,
# though no ORG was found for it: an acronym, or two or more capitalised words
_PROPER_OBJECT = re.compile(
    r"\b(?:to\s+(?:support|fund|help|assist)|(?:support|funding)\s+(?:for|to)|to)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w’'.&-]*(?:\s+(?:[A-Z][\w’'.&-]*|of|and|for|the|&)){0,9})")
_PROPER_REACH = 90      # characters from the amount to the verb or "to"
_NAME_TAIL = ("of", "and", "for", "the", "&")
# a name followed by a programme noun ("the Harbour Ready Sites program") names the programme, not a receiver
_NAMES_A_PROGRAMME = re.compile(r"\s+(?:program|programme|fund|initiative|scheme|mission|project|plan|strategy|"
                                r"challenge|competition|facility)s?\b", re.IGNORECASE)


def proper_object(text: str, q_end: int, hi: int, places: frozenset[str]) -> str:
    window = text[q_end:max(q_end, min(hi, q_end + _PROPER_REACH + 120))]
    for m in _PROPER_OBJECT.finditer(window):
        gap = window[:m.start()]
        if len(gap) > _PROPER_REACH or any(c in gap for c in ".;:()"):
            return ""
        words = []
        for w in m.group("name").split():
            if w.endswith(("’s", "'s")):
                words = []            # "Ruritania's ferry yards": a possessive, no receiver's name
                break
            words.append(w)
        while words and (words[-1].lower() in _NAME_TAIL or words[-1].endswith((".", ","))):
            if words[-1].endswith((".", ",")) and len(words[-1]) > 2 and not words[-1][-2:-1].isupper():
                words[-1] = words[-1].rstrip(".,")
                break
            words.pop()
        after = window[m.start("name") + len(" ".join(words)):]
        if not words or " ".join(words).casefold() in places or _NAMES_A_PROGRAMME.match(after) \
                or _NAMES_A_PROGRAMME.match(" " + words[-1]):
            continue
        acronym = any(len(w) >= 3 and w.isupper() and w.isalpha() for w in words)
        if acronym or sum(1 for w in words if w[:1].isupper()) >= 2:
            return " ".join(words)
    return ""
