"""A document index for linking: sorted paragraphs and mentions, sentence, clause and
segment bounds, and the nearest mention of a type (``DocIndex``, ``nearest``).
"""

from __future__ import annotations

import bisect
import re
from typing import Callable, Iterable, Optional

from ..records import (
    Mention,
    Paragraph,
    ParsedDoc,
)
from ..extract.vocab import name_vocab
from .acronyms import acronym_pattern, find_acronyms
from .cues import load_cues

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“(\d])")
_WS = re.compile(r"\s+")


def _head_words(name: str) -> set[str]:
    """The last word of a name, its years dropped ("FY 2025 Budget", "Budget 2016" -> "budget")."""
    words = re.findall(r"[A-Za-z]+", name)
    return {words[-1].lower()} if words else set()


class DocIndex:
    """Sorted views of a document's paragraphs and mentions for quick lookups."""

    def __init__(self, parsed: ParsedDoc, mentions: list[Mention]):
        self.parsed = parsed
        self.text = parsed.text or ""
        self.paragraphs: list[Paragraph] = sorted(parsed.paragraphs, key=lambda p: (p.start, p.end))
        self.para_starts = [p.start for p in self.paragraphs]
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end, m.type, m.mention_id))
        self.by_type: dict[str, list[Mention]] = {}
        documents = name_vocab().document_heads
        for m in self.mentions:
            # LINK-PROGRAM-BUDGET-DOCUMENT: "Budget 2016 proposes $2 billion": the budget is the
            # paper speaking, not a programme its measures belong to (programs.csv still lists it)
            if m.type == "PROGRAM" and documents and _head_words(m.canonical or m.text) & documents:
                continue
            self.by_type.setdefault(m.type, []).append(m)
        self.type_starts = {t: [m.start for m in ms] for t, ms in self.by_type.items()}
        self._document_country: Optional[str] = None
        self._section_paths: Optional[list[str]] = None
        self._beside_country_sections: dict[str, Optional[str]] = {}
        self._title_region: Optional[tuple[Optional[Mention]]] = None
        self._paper_context: Optional[tuple[str, Optional[Mention]]] = None
        self._paper_program: Optional[tuple[Optional[Mention]]] = None
        # the programme a section heading names, by (heading start, section path): link/program.py
        self._heading_programs: dict[tuple[int, str], Optional[Mention]] = {}
        self._place_names: Optional[frozenset[str]] = None
        # Names blanked before cue matching (see instrument_cues.yaml).
        masked = list(self.text)
        keep = load_cues().program_name_instruments
        tails: dict[str, str] = {}     # each name -> the instrument words that stay visible at its end
        for m in self.mentions:
            if m.type in ("ORG", "PROGRAM"):
                end = m.end
                tail = keep.search(self.text, m.start, m.end) if m.type == "PROGRAM" else None
                if tail is not None and tail.end() == m.end:
                    end = tail.start()    # "... Investment Tax Credit": the head names the instrument
                for i in range(max(0, m.start), min(len(masked), end)):
                    masked[i] = " "
                if len(m.text) >= 4:      # the same names in section headings (masked_section)
                    tails[m.text] = self.text[end:m.end]
        self.masked = "".join(masked)
        self._name_tails = tails
        self._name_re = re.compile("|".join(re.escape(t) for t in sorted(tails, key=len, reverse=True))) \
            if tails else None
        self._masked_sections: dict[str, str] = {}
        # LINK-ACRONYM-EXPANSION: the paper's own acronyms for plain terms, for the instrument cues
        # (an acronym that is itself a cue word, "R&D", "VAT", keeps its own weight only)
        cue_patterns = [cue.pattern for class_cues in load_cues().classes.values() for cue in class_cues]
        # nor one that stands for a body's or programme's name: names stay blanked ("VEDP" for the
        # "Harbour Economic Development Partnership Authority" is no partnership cue)
        names = [(m.canonical or m.text).casefold() for m in self.mentions if m.type in ("ORG", "PROGRAM")]
        self.acronyms = {short: long for short, long in find_acronyms(self.text).items()
                         if not any(p.search(short) for p in cue_patterns)
                         and not any(long.casefold() in name for name in names)}
        self.acronym_re = acronym_pattern(self.acronyms)

    def masked_section(self, section: str) -> str:
        """A section path with the paper's body and programme names blanked, as in ``masked``
        ("Harbour Partnership Authority" in a heading is no partnership cue)."""
        if self._name_re is None or not section:
            return section
        found = self._masked_sections.get(section)
        if found is None:
            found = self._name_re.sub(lambda m: " " * (len(m.group(0)) - len(self._name_tails[m.group(0)]))
                                      + self._name_tails[m.group(0)], section)
            self._masked_sections[section] = found
        return found

    def section_paths(self) -> list[str]:
        """Distinct section paths of the body, in text order (cached)."""
        if self._section_paths is None:
            self._section_paths = list(dict.fromkeys(p.section for p in self.paragraphs if p.section))
        return self._section_paths

    def paragraph_index(self, offset: int) -> int:
        i = bisect.bisect_right(self.para_starts, offset) - 1
        if i >= 0 and offset <= self.paragraphs[i].end:
            return i
        return -1

    def sentence(self, m: Mention) -> tuple[int, int]:
        """The mention's sentence bounds; computed from its paragraph when absent."""
        if m.sent_end > m.sent_start and m.sent_start <= m.start and m.end <= m.sent_end:
            return m.sent_start, m.sent_end
        return self.sentence_at(m.start, m.end)

    def sentence_at(self, start: int, end: int) -> tuple[int, int]:
        i = self.paragraph_index(start)
        if i >= 0:
            lo, hi = self.paragraphs[i].start, self.paragraphs[i].end
        else:
            lo, hi = 0, len(self.text)
        chunk = self.text[lo:hi]
        s = lo
        for cut in _SENTENCE_SPLIT.finditer(chunk):
            boundary = lo + cut.end()
            if boundary > start:
                return s, max(lo + cut.start(), end)
            s = boundary
        return s, max(hi, end)

    def of_type_in(self, types: Iterable[str], lo: int, hi: int) -> list[Mention]:
        out = []
        for t in types:
            ms = self.by_type.get(t, [])
            i = bisect.bisect_left(self.type_starts.get(t, []), lo)
            while i < len(ms) and ms[i].start < hi:
                if ms[i].end <= hi:
                    out.append(ms[i])
                i += 1
        return sorted(out, key=lambda m: (m.start, m.end))


def clause_bounds(text: str, sent: tuple[int, int], start: int, end: int, separators: list[str]) -> tuple[int, int]:
    """The clause of the sentence that holds [start, end)."""
    s0, s1 = sent
    lower = text[s0:s1].lower()
    cuts: list[tuple[int, int]] = []
    for sep in separators:
        sep_l = sep.lower()
        pos = lower.find(sep_l)
        while pos >= 0:
            cuts.append((s0 + pos, s0 + pos + len(sep_l)))
            pos = lower.find(sep_l, pos + 1)
    lo, hi = s0, s1
    for a, b in cuts:
        if b <= start:
            lo = max(lo, b)
        elif a >= end:
            hi = min(hi, a)
    return lo, hi


def segment_bounds(text: str, clause: tuple[int, int], q: Mention, quantities: list[Mention],
                    separators: list[str]) -> tuple[int, int]:
    """The clause cut at neighbouring quantities and the word that joins them."""
    lo, hi = clause
    starts = [o.start for o in quantities]      # quantities are in text order
    nearby = quantities[bisect.bisect_left(starts, lo):bisect.bisect_right(starts, hi)]
    before = [o for o in nearby if o is not q and lo <= o.start and o.end <= q.start]
    after = [o for o in nearby if o is not q and o.start >= q.end and o.end <= hi]
    if before:
        prev = before[-1]
        between = text[prev.end:q.start].lower()
        cut = _last_separator(between, separators)
        lo = prev.end + cut if cut is not None else prev.end
    if after:
        nxt = after[0]
        between = text[q.end:nxt.start].lower()
        cut = _first_separator(between, separators)
        hi = q.end + cut if cut is not None else nxt.start
    return lo, hi


def _last_separator(between: str, separators: list[str]) -> Optional[int]:
    best = None
    for sep in separators:
        pos = between.rfind(sep.lower())
        if pos >= 0 and (best is None or pos + len(sep) > best):
            best = pos + len(sep)
    return best


def _first_separator(between: str, separators: list[str]) -> Optional[int]:
    best = None
    for sep in separators:
        pos = between.find(sep.lower())
        if pos >= 0 and (best is None or pos < best):
            best = pos
    return best


def distance(a0: int, a1: int, b0: int, b1: int) -> int:
    if a1 <= b0:
        return b0 - a1
    if b1 <= a0:
        return a0 - b1
    return 0


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def nearest(index: DocIndex, mtype: str, q: Mention, clause: tuple[int, int], sent: tuple[int, int],
             prefer: str, require_iso3: bool = False,
             skip: Optional[Callable[[Mention], bool]] = None) -> Optional[Mention]:
    """Nearest mention of ``mtype`` in the clause, else the sentence.

    prefer="before" weighs a mention after the quantity as twice as far,
    prefer="after" weighs one before it as 1.5 times as far.
    """
    for lo, hi in (clause, sent):
        found = [m for m in index.of_type_in([mtype], lo, hi)
                 if not (m.start < q.end and q.start < m.end) and (m.iso3 or not require_iso3)
                 and not (skip and skip(m))]
        if not found:
            continue

        def cost(m: Mention) -> tuple[float, int]:
            d = distance(m.start, m.end, q.start, q.end)
            is_before = m.end <= q.start
            if prefer == "before" and not is_before:
                d *= 2.0
            elif prefer == "after" and is_before:
                d *= 1.5
            return d, m.start

        return min(found, key=cost)
    return None
