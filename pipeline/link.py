"""Link stage: turn a paper's mentions into measures and its programs table.

Every MONEY, PERCENT and COUNT mention becomes one measure (``Measure``),
except a count of actors or outputs ("the 5 largest firms", "3.2 million
jobs": data/count_units.csv kind=population) whose sentence says nothing of
support ("subsidises 300 firms" stays; the guide counts funded things), and
except an amount's conversion in parentheses ("70 billion yen (about $530
million)"), which is folded into the amount it converts. Two PERCENT mentions
that the extractor left apart around "to"/"-" ("8% to 10%") are joined into one
range. Each measure then gets the context the text ties to it:

* country: the actor whose policy it is. Search order, with the confidence
  written to ``Measure.confidence``:

  ====  ==============================================================
  0.9   a COUNTRY in the sentence that acts (followed by "government"/
        "ministry", by an acting verb "has invested", or the sentence's
        subject before the quantity)
  0.8   another COUNTRY in the sentence (nearest, same clause first), or
        the country of a REGION in the sentence
  0.75  the iso3 of an ORG or PROGRAM in the sentence
  0.7   the section heading or run-in heading the paragraph stands under
  0.6   the nearest COUNTRY before the sentence in the same paragraph
        (a paragraph split by a page break counts as one)
  0.5   the nearest COUNTRY after the sentence in the same paragraph
  0.45  the iso3 of the nearest ORG, PROGRAM or REGION in the same
        paragraph (before the sentence first): "The UK Infrastructure Bank
        will lend ..." tells whose paragraph it is
  0.4   the document's most mentioned country (a COUNTRY counts 1, the
        iso3 of an ORG or PROGRAM 0.5: an EU text names "the Commission"
        more often than any member state), only when it holds at least
        ``document_country_min_share`` of that vote (a paper comparing a
        dozen member states has no main country); in a section beside
        sibling sections titled by a country ("## Federal programmes"
        next to "## Austria"), those siblings' countries are left out of
        the vote
  0.2   no country found (country left empty)
  ====  ==============================================================

  For a descriptive statistic (instrument ``indicator``) the country is the
  one described, so the acting cues are ignored and the nearest one wins; a
  statistic about a group ("40% in developed countries", or a sentence
  framed by "in all member states"/"in most other countries" whose clause
  names no country) gets no country (confidence 0.8), and a country set
  apart by a contrast marker ("although ... 10% in Italy", "with the
  exception of") does not describe it. A heading that names several countries governs nothing;
  its paragraphs take the nearest ancestor heading naming one country (from
  the section path, else from heading numbering "2." > "2.1"). A country named
  only as the other term of a comparison ("like Austria", "than in France";
  markers in data/beneficiary_cues.yaml) is skipped when the sentence names
  another, and when it is alone the section/paragraph decides. In a country's
  section, a sentence whose countries are all places/partners after a
  preposition ("exports to Austria") keeps the heading's country (not for an
  indicator). A lone country run-in heading ("Austria. The fund ...") counts.
* region: see ``assign_region`` (a REGION of the clause/sentence in the
  measure's country, not a site after "in"/"near" when a COUNTRY acts; else
  the run-in/section heading's region, "the state" -> the paragraph's
  region, the region the title names alone).
* program: a PROGRAM in the quantity's own segment; else a definite
  description pointing back ("through the fund", "The Act also ...") to the
  latest program of the section whose name ends in that noun; else the
  nearest in the clause/sentence; else, for a sentence opening "It ..."/"The
  plan ...", the program of the sentence right before it.
* org/sector/year: the nearest mention of that type in the quantity's
  clause, else its sentence; org prefers mentions before the quantity (the
  actor), sector after it ("for robotics").
* quantities: "from 50% in 1988 to about 10%" and "25% ..., up from 16%" are
  one change each (value, from_value).
* instrument: a weighted cue classifier over data/instrument_cues.yaml
  (see the comments there for window, weights and tie priority). When only
  generic funding words ("awards", "budget", "funds") make it ``investment``,
  the topic of its sentence, paragraph or section refines it ("22 awards
  were made" in a paragraph on research -> ``rd_funding``).
* beneficiary: "to|for|in ... <actor noun>" after the quantity (its own
  segment, else the rest of its clause, so "30% depreciation or 7% tax
  deductions for SMEs" gives SMEs to both), else "of|for|by ... <actor
  noun>" ending right before it, else the subject of a receiving verb
  ("SMEs can deduct 25%", "allows companies to deduct"); nouns and verbs
  from data/beneficiary_cues.yaml; empty for an indicator.

Both public functions are pure: same input, same output, no I/O.
CLI: ``python -m pipeline.link IN_MENTIONS_JSONL OUT_MEASURES_JSONL --parsed PARSED_JSON``.
"""
from __future__ import annotations

import argparse
import bisect
import functools
import re
import sys
import dataclasses
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

from .jurisdiction import DOCUMENT_VOTE, paper_region, paper_sector, vote_country
from .normalize.percent import RANGING_VERBS
from .records import (
    INSTRUMENTS, OCR_LOW_CONFIDENCE, Measure, Mention, ParsedDoc, ProgramRow, Paragraph,
    mention_from_dict, parsed_from_dict, to_dict,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
QUANTITY_TYPES = {"MONEY": "money", "PERCENT": "percent", "COUNT": "count"}

CONF_ACTOR = 0.9
CONF_SENTENCE = 0.8
CONF_SENTENCE_ORG = 0.75
CONF_HEADING = 0.7
CONF_PARAGRAPH = 0.6
CONF_PARAGRAPH_AFTER = 0.5
CONF_PARAGRAPH_NAMED = 0.45
CONF_DOCUMENT = 0.4
CONF_NONE = 0.2

_YEAR_IN_NAME = re.compile(r"(?<!\d)(1[89]\d{2}|20\d{2}|2100)(?!\d)")
# A conversion of the amount before it: "(about $530 million)", "(USD 1.2 bn)".
_CONVERSION_OPEN = re.compile(
    r"^\s*[\(\[]\s*(?:(?:about|approximately|approx\.?|around|roughly|nearly|some|ca\.?|"
    r"circa|or|i\.e\.,?|equivalent\s+to|equal\s+to|equivalent\s+of|worth|US\$?\s*)\s*)*$",
    re.IGNORECASE,
)
_CONVERSION_COMMA = re.compile(
    r"^\s*,?\s*(?:or|i\.e\.,?)\s+(?:about|approximately|around|roughly|nearly|some)?\s*$", re.IGNORECASE)
_RANGE_JOIN = re.compile(r"^\s*(?:to|-|–|—|and)\s*$", re.IGNORECASE)
# "from 50% in 1988 to about 10%": a change whose start carries its year.
# "from 0.7% of GDP in 2022 to 1%": a short complement ("of GDP") and a start year may
# stand between the two ends of a change.
_CHANGE_JOIN = re.compile(
    r"^\s*(?:of\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+)?"
    r"(?:in\s+(?:FY\s*)?\d{4}(?:\s*[-–/]\s*\d{2,4})?\s*,?\s+)?to\s*$", re.IGNORECASE)
# "aid intensities range from 10% of eligible costs to 20%": a span of values, not a change
_RANGING_BEFORE = re.compile(r"\b(?:" + RANGING_VERBS + r")\s+from\s*$", re.IGNORECASE)
# "25% of the cost, up from 16%": the change is stated after its end value.
_CHANGE_AFTER = re.compile(r"^\s*(?:[^.;%]{0,60}?)?,\s*(?:up|down)\s+from\s*$", re.IGNORECASE)
# The start year of a change right before its end value: "... in 2010 to 71.1 percent".
_START_YEAR = re.compile(r"^\s*,?\s+to\s+(?:about|around|approximately|roughly|nearly|almost|some|over|under)?\s*$",
                         re.IGNORECASE)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z\"“(\d])")
_WS = re.compile(r"\s+")


# --------------------------------------------------------------------------- data


@dataclass
class _Cue:
    pattern: re.Pattern[str]
    weight: float
    before: bool = False      # match only against the text ending at the quantity
    sentence: bool = False    # match anywhere in the quantity's sentence, no distance decay
    generic: bool = False     # a generic funding word that a topic prior may refine
    quantities: frozenset[str] = frozenset()   # only for these quantity types (empty: all)
    bounded: bool = False     # only for a bounded quantity ("more than $X", "$X or less")


@dataclass
class _Cues:
    decay_chars: float
    clause_separators: list[str]
    segment_separators: list[str]
    priority: list[str]
    defaults: dict[str, str]
    quantity_weights: dict[str, dict[str, float]]
    rate_change_class: str
    context_threshold: float
    reinterpret: list[tuple[re.Pattern[str], str, str]]
    section_weight: float
    paragraph_weight: float
    paragraph_decay_chars: float
    prior_classes: set[str]
    classes: dict[str, list[_Cue]]
    beneficiary: re.Pattern[str]
    leading_determiners: set[str]
    beneficiary_verbs: set[str]
    actor_noun: re.Pattern[str]
    actor_verb: re.Pattern[str]
    non_actor_prep: re.Pattern[str]
    flow_prep: re.Pattern[str]
    beneficiary_before: re.Pattern[str]
    program_anaphora: re.Pattern[str]
    country_group: re.Pattern[str]
    group_framed: re.Pattern[str]
    receiving_verb: Optional[re.Pattern[str]]
    contrast: Optional[re.Pattern[str]]
    document_country_min_share: float
    beneficiary_subject: tuple[re.Pattern[str], ...] = ()
    region_government: re.Pattern[str] = re.compile(r"(?!x)x")
    program_reference: re.Pattern[str] = re.compile(r"(?!x)x")
    program_head_synonyms: dict[str, str] = dataclasses.field(default_factory=dict)
    program_reference_reach: int = 3000
    supranational: frozenset[str] = frozenset()
    program_name_instruments: re.Pattern[str] = re.compile(r"(?!x)x")
    domestic_actor: re.Pattern[str] = re.compile(r"(?!x)x")
    # classes the paragraph prior may add (a tax rate earlier in the paragraph
    # does not make the next sentence's spending a tax incentive)
    paragraph_prior_classes: frozenset[str] = frozenset()
    generic_class: str = ""
    refines_generic: frozenset[str] = frozenset()
    # reinterpretations read in the text right before the quantity, for some
    # quantity types only: (pattern, from, to, quantity types)
    reinterpret_before: list[tuple[re.Pattern[str], str, str, frozenset[str]]] = dataclasses.field(
        default_factory=list)
    # the marker of a comparison right before a country ("like Austria", "than in France")
    comparison: re.Pattern[str] = re.compile(r"(?!x)x")


def _cue_pattern(cue: str) -> re.Pattern[str]:
    open_end = cue.endswith("*")
    core = re.escape(cue.rstrip("*"))
    core = core.replace(r"\ ", r"\s+")
    tail = r"[\w-]*" if open_end else r"(?![\w&])"
    return re.compile(r"(?<![\w&])" + core + tail, re.IGNORECASE)


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({str(w).strip() for w in words if isinstance(w, str) and w.strip()}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@functools.lru_cache(maxsize=1)
def load_cues() -> _Cues:
    """Read instrument_cues.yaml and beneficiary_cues.yaml once."""
    with open(DATA_DIR / "instrument_cues.yaml", encoding="utf-8-sig") as fh:
        inst = yaml.safe_load(fh) or {}
    with open(DATA_DIR / "beneficiary_cues.yaml", encoding="utf-8-sig") as fh:
        who = yaml.safe_load(fh) or {}

    classes: dict[str, list[_Cue]] = {}
    for name, cues in (inst.get("classes") or {}).items():
        if name not in INSTRUMENTS:
            raise ValueError(f"instrument_cues.yaml: unknown instrument {name!r}")
        compiled = []
        for cue in cues or []:
            if "re" in cue:
                pat = re.compile(cue["re"], re.IGNORECASE)
            else:
                pat = _cue_pattern(str(cue["cue"]))
            compiled.append(_Cue(pat, float(cue.get("weight", 1.0)), bool(cue.get("before", False)),
                                 str(cue.get("window", "")) == "sentence", bool(cue.get("generic", False)),
                                 frozenset(cue.get("quantities") or ()), bool(cue.get("bounded", False))))
        classes[name] = compiled
    priority = [p for p in inst.get("priority", []) if p in INSTRUMENTS]
    priority += [p for p in INSTRUMENTS if p not in priority]

    heads = _alternation(who.get("beneficiary_heads", []))
    preps = _alternation(who.get("beneficiary_prepositions", ["to", "for", "in"]))
    # Modifier words may not themselves be prepositions or conjunctions, so a
    # phrase never runs across "of"/"to" into an unrelated noun.
    modifier = r"(?!(?:to|for|in|of|on|at|by|and|or|with|from|that|which|is|are|was|were|be)\b)[\w’'-]+"
    post_words = _alternation(who.get("beneficiary_postmodifiers", []))
    post_word = r"(?!(?:and|or|to|for|in|of|by|is|are|was|were|which|that)\b)[\w-]+"
    postmodifier = rf"(?:\s+(?:{post_words})\s+(?:{post_word}\s+){{0,3}}{post_word})?" if post_words else ""
    # "small firms, start-ups and universities": up to three modifiers before each head
    head_list = (rf"(?:{modifier}\s+){{0,3}}?(?:{heads})"
                 rf"(?:\s*(?:,|and|or|&|as\s+well\s+as)\s+(?:{modifier}\s+){{0,3}}?(?:{heads}))*")
    beneficiary = re.compile(rf"(?<![\w-])(?:{preps})\s+({head_list}{postmodifier})(?![\w-])", re.IGNORECASE)
    before_preps = _alternation(who.get("beneficiary_before_prepositions", ["of", "for"]))
    beneficiary_before = re.compile(rf"(?<![\w-])(?:{before_preps})\s+({head_list})\s*,?\s*(?:from\s+)?$",
                                    re.IGNORECASE)
    program_anaphora = re.compile(
        rf"^[\s\"“'‘(]*(?:{_alternation(who.get('program_anaphora_starts', []))})\b", re.IGNORECASE)
    # "40% in developed countries", "10% of GDP in each of Africa's three
    # largest economies": a short complement ("of GDP") may come first.
    country_group = re.compile(
        rf"^(?:\s*of\s+[\w-]+){{0,1}}\s*(?:{_alternation(who.get('country_group_prepositions', ['in']))})\s+"
        rf"(?:each\s+of\s+|all\s+|the\s+)?(?:[\w'’-]+\s+){{0,3}}?"
        rf"(?:{_alternation(who.get('country_group_nouns', ['countries']))})\b", re.IGNORECASE)
    group_nouns = [n for n in who.get('country_group_nouns', ['countries']) if n not in ('world', 'regions')]
    group_framed = re.compile(
        rf"(?<![\w-])(?:{_alternation(who.get('country_group_quantifiers', ['all', 'most']))})\s+"
        rf"(?:[\w'’-]+\s+){{0,2}}?(?:{_alternation(group_nouns)})\b", re.IGNORECASE)
    actor_noun = re.compile(
        rf"^\s*(?:['’]s\s+)?(?:(?-i:[A-Z])[\w-]*\s+){{0,2}}?(?:{_alternation(who.get('actor_nouns', []))})\b",
        re.IGNORECASE,
    )
    aux = _alternation(who.get("actor_aux", []))
    verbs = _alternation(who.get("actor_verbs", []))
    actor_verb = re.compile(
        rf"^\s*(?:,[^,]{{0,60}},\s*)?(?:(?:{aux})\s+)*(?:\w+ly\s+)?(?:{verbs})", re.IGNORECASE)
    non_actor = re.compile(rf"(?<![\w-])(?:{_alternation(who.get('non_actor_prepositions', []))})\s+(?:(?:the|a|an)\s+)?$",
                           re.IGNORECASE)
    receiving = _alternation(who.get("receiving_verbs", []))
    enabling = _alternation(who.get("enabling_verbs", []))
    subject_np = rf"((?:{modifier}\s+){{0,3}}?(?:{heads}))"
    # "allows companies to ..." is tried first: its verb would otherwise pass
    # for a modifier of the subject.
    beneficiary_subject = re.compile(
        rf"\b(?:{enabling})\s+{subject_np}\s+to\b", re.IGNORECASE) if enabling and heads else None
    # the subject opens the sentence, or a clause after a colon, a semicolon
    # or ", and" ("... in tax incentives: companies may deduct up to 91%")
    subject_of_receiving = re.compile(
        rf"(?:^|[:;,])\W*(?:and\s+)?(?:the\s+)?{subject_np}(?:\s+(?!(?:{receiving})\b)[\w-]+){{0,8}}?"
        rf"\s+(?:(?:{_alternation(who.get('receiving_aux', []))})\s+)*(?:{receiving})\b",
        re.IGNORECASE,
    ) if receiving and heads else None
    # "Enterprises that build new fabs ... receive": a relative clause between subject and verb
    subject_with_relative = re.compile(
        rf"(?:^|[:;]|,\s+and\b)\W*(?:the\s+)?{subject_np}\s+(?:that|which|who|whose)\b"
        rf"(?:\s+[^\s.;:]+){{1,{int(who.get('relative_clause_words', 24))}}}?"
        rf"\s+(?:(?:{_alternation(who.get('receiving_aux', []))})\s+)*(?:{receiving})\b",
        re.IGNORECASE,
    ) if receiving and heads else None
    # "The city grants design firms a subsidy of": the indirect object receives it
    granting = _alternation(who.get("granting_verbs", []))
    support = _alternation(who.get("support_nouns", []))
    granted_object = re.compile(
        rf"\b(?:{granting})\s+{subject_np}\s+(?:a|an|the)?\s*(?:[\w-]+\s+){{0,2}}?(?:{support})\b[^.;]*$",
        re.IGNORECASE,
    ) if granting and support and heads else None
    receiving_verb = re.compile(
        rf"^[^.;:]*?\b(?:(?:{_alternation(who.get('receiving_aux', []))})\s+)*(?:{receiving})\b",
        re.IGNORECASE) if receiving else None
    subject_patterns = tuple(p for p in (beneficiary_subject, subject_of_receiving, subject_with_relative,
                                         granted_object) if p is not None)
    region_government = re.compile(
        rf"(?<![\w-])(?:{_alternation(who.get('region_government_phrases', []))})(?![\w-])", re.IGNORECASE) \
        if who.get("region_government_phrases") else re.compile(r"(?!x)x")
    synonyms = {str(k).lower(): str(v).lower() for k, v in (who.get("program_head_synonyms") or {}).items()}
    program_reference = re.compile(
        rf"(?<![\w-])(?:{_alternation(who.get('program_reference_determiners', ['the']))})\s+"
        rf"({_alternation(who.get('program_reference_heads', []))})(?![\w-])", re.IGNORECASE) \
        if who.get("program_reference_heads") else re.compile(r"(?!x)x")
    return _Cues(
        beneficiary_subject=subject_patterns,
        receiving_verb=receiving_verb,
        region_government=region_government,
        program_reference=program_reference,
        program_head_synonyms=synonyms,
        program_reference_reach=int(who.get("program_reference_reach", 3000)),
        program_name_instruments=re.compile(
            rf"(?<![\w-])(?:{_alternation(inst.get('program_name_instruments', []))})(?![\w-])", re.IGNORECASE)
        if inst.get("program_name_instruments") else re.compile(r"(?!x)x"),
        supranational=frozenset(str(x) for x in who.get("supranational_iso3", []) or []),
        domestic_actor=re.compile(rf"(?<![\w-])(?:{_alternation(who.get('domestic_actor_words', []))})(?![\w-])",
                                  re.IGNORECASE) if who.get("domestic_actor_words") else re.compile(r"(?!x)x"),
        decay_chars=float(inst.get("decay_chars", 40)),
        clause_separators=list(inst.get("clause_separators", [";"])),
        segment_separators=list(inst.get("segment_separators", [" or ", " and ", ","])),
        priority=priority,
        defaults=dict(inst.get("defaults", {})),
        quantity_weights={k: dict(v) for k, v in (inst.get("quantity_weights") or {}).items()},
        rate_change_class=str(inst.get("rate_change_class", "tax_incentive")),
        context_threshold=float(inst.get("context_threshold", 0.0)),
        reinterpret=[(re.compile(r["re"], re.IGNORECASE), str(r["from"]), str(r["to"]))
                     for r in inst.get("reinterpret") or []
                     if r.get("from") in INSTRUMENTS and r.get("to") in INSTRUMENTS and not r.get("before")],
        reinterpret_before=[(re.compile(r["re"], re.IGNORECASE), str(r["from"]), str(r["to"]),
                             frozenset(r.get("quantities") or QUANTITY_TYPES.values()))
                            for r in inst.get("reinterpret") or []
                            if r.get("from") in INSTRUMENTS and r.get("to") in INSTRUMENTS and r.get("before")],
        section_weight=float(inst.get("section_weight", 0.0)),
        paragraph_weight=float(inst.get("paragraph_weight", 0.0)),
        paragraph_decay_chars=float(inst.get("paragraph_decay_chars", 200)),
        prior_classes={c for c in inst.get("prior_classes") or INSTRUMENTS if c in INSTRUMENTS},
        paragraph_prior_classes=frozenset(
            c for c in (inst.get("paragraph_prior_classes") or inst.get("prior_classes") or INSTRUMENTS)
            if c in INSTRUMENTS),
        classes=classes,
        generic_class=str(inst.get("generic_class", "")) if inst.get("generic_class") in INSTRUMENTS else "",
        refines_generic=frozenset(c for c in inst.get("refines_generic") or [] if c in INSTRUMENTS),
        beneficiary=beneficiary,
        leading_determiners={w.lower() for w in who.get("leading_determiners", [])},
        beneficiary_verbs={str(w).lower() for w in who.get("beneficiary_verbs", [])},
        actor_noun=actor_noun,
        actor_verb=actor_verb,
        non_actor_prep=non_actor,
        flow_prep=re.compile(rf"(?<![\w-])(?:{_alternation(who.get('flow_prepositions', []))})\s+(?:(?:the|a|an)\s+)?$",
                             re.IGNORECASE) if who.get("flow_prepositions") else re.compile(r"(?!x)x"),
        beneficiary_before=beneficiary_before,
        program_anaphora=program_anaphora,
        country_group=country_group,
        group_framed=group_framed,
        contrast=re.compile(rf"(?<![\w-])(?:{_alternation(who.get('contrast_markers', []))})(?![\w-])", re.IGNORECASE)
        if who.get("contrast_markers") else None,
        document_country_min_share=float(who.get("document_country_min_share", 0.0)),
        comparison=re.compile(
            rf"(?<![\w-])(?:{'|'.join(f'(?:{m})' for m in who.get('comparison_markers') or [])})"
            rf"\s+(?:(?:the|in)\s+)?$", re.IGNORECASE) if who.get("comparison_markers") else re.compile(r"(?!x)x"),
    )


# ------------------------------------------------------------------ text helpers


class _DocIndex:
    """Sorted views of a document's paragraphs and mentions for quick lookups."""

    def __init__(self, parsed: ParsedDoc, mentions: list[Mention]):
        self.parsed = parsed
        self.text = parsed.text or ""
        self.paragraphs: list[Paragraph] = sorted(parsed.paragraphs, key=lambda p: (p.start, p.end))
        self.para_starts = [p.start for p in self.paragraphs]
        self.mentions = sorted(mentions, key=lambda m: (m.start, m.end, m.type, m.mention_id))
        self.by_type: dict[str, list[Mention]] = {}
        for m in self.mentions:
            self.by_type.setdefault(m.type, []).append(m)
        self.type_starts = {t: [m.start for m in ms] for t, ms in self.by_type.items()}
        self._document_country: Optional[str] = None
        self._section_paths: Optional[list[str]] = None
        self._beside_country_sections: dict[str, Optional[str]] = {}
        self._title_region: Optional[tuple[Optional[Mention]]] = None
        self._paper_context: Optional[tuple[str, Optional[Mention]]] = None
        # Names blanked before cue matching (see instrument_cues.yaml).
        masked = list(self.text)
        keep = load_cues().program_name_instruments
        for m in self.mentions:
            if m.type in ("ORG", "PROGRAM"):
                end = m.end
                tail = keep.search(self.text, m.start, m.end) if m.type == "PROGRAM" else None
                if tail is not None and tail.end() == m.end:
                    end = tail.start()    # "... Investment Tax Credit": the head names the instrument
                for i in range(max(0, m.start), min(len(masked), end)):
                    masked[i] = " "
        self.masked = "".join(masked)

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


def _clause_bounds(text: str, sent: tuple[int, int], start: int, end: int, separators: list[str]) -> tuple[int, int]:
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


def _segment_bounds(text: str, clause: tuple[int, int], q: Mention, quantities: list[Mention],
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


def _distance(a0: int, a1: int, b0: int, b1: int) -> int:
    if a1 <= b0:
        return b0 - a1
    if b1 <= a0:
        return a0 - b1
    return 0


def _collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


# ------------------------------------------------------------- quantity grouping


def _count_vocab() -> Any:
    """The extract stage's count table (count_units.csv), imported on first use: the
    link stage alone does not need spaCy loaded."""
    from .extract.vocab import count_vocab
    return count_vocab()


@functools.lru_cache(maxsize=1)
def _count_qualifier_words() -> frozenset[str]:
    """The words of the count qualifiers ("about", "more than"): not part of a counted noun."""
    return frozenset(w for phrase in _count_vocab().qualifiers for w in phrase.split())


def _counts_funded_things(index: _DocIndex, m: Mention) -> bool:
    """A count is a measure when it counts funded or created things ("22 awards",
    "200 universities"); a count of actors or outputs ("the 5 largest firms",
    "3.2 million jobs") only when its sentence says they are supported
    (count_units.csv: kind=population needs a support_cue)."""
    vocab = _count_vocab()
    if (m.unit or "").lower() not in vocab.population:
        return True
    lo, hi = (m.sent_start, m.sent_end) if m.sent_end > m.sent_start else (m.start - 200, m.end + 200)
    sentence = index.text[max(0, lo):min(len(index.text), hi)]
    return vocab.support_cue is not None and bool(vocab.support_cue.search(sentence))


def _near(index: _DocIndex, types: tuple[str, ...], m: Mention, reach: int = 300) -> list[Mention]:
    return index.of_type_in(types, max(0, m.start - reach), m.end + reach)


def _change_pair_open(text: str, m: Mention, nxt: Mention) -> bool:
    """Two percents that may still form one change or range: neither has a start
    value, or the extract stage already gave one the other's value as its start
    ("from 24% in 2000 to 10%": 10 from 24; "25%, up from 16%": 25 from 16)."""
    between = text[m.end:nxt.start]
    lead = text[max(0, m.start - 9):m.start].lower()
    m_open = m.from_value is None or (m.from_value == nxt.value and bool(_CHANGE_AFTER.match(between)))
    nxt_open = nxt.from_value is None or (nxt.from_value == m.value and lead.rstrip().endswith("from")
                                          and bool(_CHANGE_JOIN.match(between)))
    return m_open and nxt_open


def _quantity_mentions(index: _DocIndex) -> list[Mention]:
    """Quantity mentions in text order, deduplicated, conversions and split ranges merged."""
    seen: set[tuple[int, int]] = set()
    raw: list[Mention] = []
    for m in index.mentions:
        if m.type not in QUANTITY_TYPES or (m.start, m.end) in seen:
            continue
        if m.type == "COUNT":
            # A number inside a name ("Plan 2025") is no count, and a COUNT on a
            # MONEY/PERCENT span is that same quantity.
            if any(n.start <= m.start and m.end <= n.end for n in _near(index, ("PROGRAM", "ORG"), m)):
                continue
            if any(o.start < m.end and m.start < o.end for o in _near(index, ("MONEY", "PERCENT"), m)):
                continue
            if not _counts_funded_things(index, m):
                continue
        seen.add((m.start, m.end))
        raw.append(m)

    text = index.text
    out: list[Mention] = []
    i = 0
    while i < len(raw):
        m = raw[i]
        nxt = raw[i + 1] if i + 1 < len(raw) else None
        if nxt is not None and m.type == "MONEY" and nxt.type == "MONEY":
            between = text[m.end:nxt.start]
            after = text[nxt.end:nxt.end + 3]
            in_parens = bool(_CONVERSION_OPEN.match(between)) and (")" in after or "]" in after)
            comma_or = bool(_CONVERSION_COMMA.match(between)) and m.currency and nxt.currency \
                and m.currency != nxt.currency
            if in_parens or comma_or:
                out.append(m)
                i += 2
                continue
            # "from $4.1 trillion to $5.6 trillion": one change, not two amounts.
            lead = text[max(0, m.start - 9):m.start].lower()
            if lead.rstrip().endswith("from") and _CHANGE_JOIN.match(between) \
                    and m.currency == nxt.currency and m.low is None and nxt.low is None:
                out.append(replace(nxt, start=m.start, text=text[m.start:nxt.end], from_value=m.value,
                                   approx=nxt.approx or m.approx,
                                   sent_start=min(m.sent_start, nxt.sent_start),
                                   sent_end=max(m.sent_end, nxt.sent_end)))
                i += 2
                continue
        if nxt is not None and m.type == "PERCENT" and nxt.type == "PERCENT" \
                and m.low is None and nxt.low is None and _change_pair_open(text, m, nxt):
            between = text[m.end:nxt.start]
            lead = text[max(0, m.start - 9):m.start].lower()
            if _CHANGE_AFTER.match(between):
                out.append(replace(m, from_value=nxt.value, approx=m.approx,
                                   sent_start=min(m.sent_start, nxt.sent_start),
                                   sent_end=max(m.sent_end, nxt.sent_end)))
                i += 2
                continue
            if lead.rstrip().endswith("from") and _CHANGE_JOIN.match(between):
                between = "to"      # the start's year stays a DATE of its own; the change is one measure
            if _RANGE_JOIN.match(between) and (between.strip().lower() != "and" or lead.rstrip().endswith("between")):
                ranging = bool(_RANGING_BEFORE.search(text[max(0, m.start - 40):m.start]))
                if lead.rstrip().endswith("from") and between.strip().lower() == "to" and not ranging:
                    merged = replace(m, end=nxt.end, text=text[m.start:nxt.end], value=nxt.value,
                                     from_value=m.value, approx=nxt.approx or m.approx,
                                     sent_start=min(m.sent_start, nxt.sent_start),
                                     sent_end=max(m.sent_end, nxt.sent_end))
                else:
                    lo_v, hi_v = m.value, nxt.value
                    merged = replace(m, end=nxt.end, text=text[m.start:nxt.end], value=hi_v,
                                     low=lo_v, high=hi_v, approx=m.approx or nxt.approx,
                                     sent_start=min(m.sent_start, nxt.sent_start),
                                     sent_end=max(m.sent_end, nxt.sent_end))
                out.append(merged)
                i += 2
                continue
        out.append(m)
        i += 1
    return out


# -------------------------------------------------------------------- instrument


def classify_instrument(text: str, q_start: int, q_end: int, segment: tuple[int, int],
                        sentence: tuple[int, int], quantity_type: str,
                        from_value: Optional[float] = None, section: str = "",
                        paragraph_start: Optional[int] = None, approx: str = "") -> str:
    """The instrument class of the quantity at [q_start, q_end) of ``text``.

    ``text`` should have ORG/PROGRAM names blanked; ``section`` (the section
    path) and the paragraph text from ``paragraph_start`` to the sentence are
    topic priors used when no strong cue is near. ``approx`` (">" or "<": a
    bounded quantity) enables the cues marked ``bounded``. Pure; never raises
    on offsets outside the text.
    """
    cues = load_cues()
    n = len(text)
    q_start, q_end = max(0, min(q_start, n)), max(0, min(q_end, n))
    if from_value is not None and quantity_type == "percent":
        sent_scores = _score(text, q_start, q_end, sentence, quantity_type, cues)
        if sent_scores.get(cues.rate_change_class, 0) > 0:
            return cues.rate_change_class
    bounded = approx in (">", "<")
    scores = _score(text, q_start, q_end, segment, quantity_type, cues, sentence=sentence, bounded=bounded)
    if not scores:
        scores = _score(text, q_start, q_end, sentence, quantity_type, cues, sentence=sentence, bounded=bounded)
    if max(scores.values(), default=0.0) < cues.context_threshold:
        for name, value in _topic_scores(text, sentence, quantity_type, section, paragraph_start, cues).items():
            scores[name] = scores.get(name, 0.0) + value
    if cues.generic_class and scores and max(scores, key=lambda c: (scores[c], -cues.priority.index(c))) \
            == cues.generic_class and not _score(text, q_start, q_end, sentence, quantity_type, cues,
                                                 sentence=sentence, specific_only=True).get(cues.generic_class):
        # "22 awards were made" in a paragraph on research: generic funding words alone
        # take the specific class that the sentence or its paragraph is about (a section
        # title alone is too weak: "Research policy" also holds energy subsidies).
        topic = _topic_scores(text, sentence, quantity_type, "", paragraph_start, cues)
        whole = _score(text, q_start, q_end, sentence, quantity_type, cues, decay=False)
        topic = {c: topic.get(c, 0.0) + whole.get(c, 0.0) for c in cues.refines_generic}
        topic = {c: v for c, v in topic.items() if v > 0}
        if topic:
            best_topic = max(topic, key=lambda c: (topic[c], -cues.priority.index(c)))
            scores[best_topic] = scores[cues.generic_class] + topic[best_topic]
    sentence_text = text[max(0, sentence[0]):max(0, sentence[1])]
    for pattern, source, target in cues.reinterpret:
        if source in scores and pattern.search(sentence_text):
            scores[target] = scores.get(target, 0.0) + scores.pop(source)
    before_text = text[max(0, sentence[0], q_start - 120):q_start]
    for pattern, source, target, quantity_types in cues.reinterpret_before:
        if source in scores and quantity_type in quantity_types and pattern.search(before_text):
            scores[target] = scores.get(target, 0.0) + scores.pop(source)
    best = max(scores.values(), default=0.0)
    if best > 0:
        tied = [c for c, v in scores.items() if v >= best - 1e-9]
        return min(tied, key=cues.priority.index)
    return cues.defaults.get(quantity_type, "indicator")


def _topic_scores(text: str, sentence: tuple[int, int], quantity_type: str, section: str,
                  paragraph_start: Optional[int], cues: _Cues) -> dict[str, float]:
    """Weighted cue scores of the section path and of the paragraph before the sentence."""
    out: dict[str, float] = {}
    priors: list[tuple[float, dict[str, float], set[str] | frozenset[str]]] = []
    if section.strip() and cues.section_weight > 0:
        priors.append((cues.section_weight,
                       _score(section, 0, 0, (0, len(section)), quantity_type, cues, decay=False),
                       cues.prior_classes))
    if paragraph_start is not None and paragraph_start < sentence[0] and cues.paragraph_weight > 0:
        priors.append((cues.paragraph_weight,
                       _score(text, sentence[0], sentence[0], (paragraph_start, sentence[0]), quantity_type,
                              cues, decay_chars=cues.paragraph_decay_chars),
                       cues.paragraph_prior_classes & cues.prior_classes))
    for weight, topic, allowed in priors:
        for name, value in topic.items():
            if name in allowed:
                out[name] = out.get(name, 0.0) + weight * value
    return out


def _score(text: str, q_start: int, q_end: int, window: tuple[int, int], quantity_type: str,
           cues: _Cues, decay: bool = True, decay_chars: Optional[float] = None,
           sentence: Optional[tuple[int, int]] = None, specific_only: bool = False,
           bounded: bool = False) -> dict[str, float]:
    lo, hi = max(0, window[0]), min(len(text), max(window[1], q_end))
    lo = min(lo, q_start)
    chunk = text[lo:hi]
    before_text = text[lo:q_start]
    sentence_text = text[max(0, sentence[0]):max(0, sentence[1])] if sentence is not None else ""
    scores: dict[str, float] = {}
    for name, class_cues in cues.classes.items():
        total = 0.0
        for cue in class_cues:
            if (specific_only and cue.generic) or (cue.quantities and quantity_type not in cue.quantities) \
                    or (cue.bounded and not bounded):
                continue
            if cue.sentence:
                # A sentence-wide cue counts once, only for the quantity's own sentence.
                if sentence_text and cue.pattern.search(sentence_text):
                    total += cue.weight
                continue
            if cue.before:
                if decay and cue.pattern.search(before_text):
                    total += cue.weight
                continue
            for hit in cue.pattern.finditer(chunk):
                d = _distance(lo + hit.start(), lo + hit.end(), q_start, q_end) if decay else 0
                total += cue.weight / (1.0 + d / (decay_chars or cues.decay_chars))
        total *= cues.quantity_weights.get(name, {}).get(quantity_type, 1.0)
        if total > 0:
            scores[name] = total
    return scores


# ----------------------------------------------------------------------- country


def _is_actor(index: _DocIndex, c: Mention, sent: tuple[int, int], cues: _Cues) -> bool:
    after = index.text[c.end:min(sent[1], c.end + 80)]
    if cues.actor_noun.match(after) or cues.actor_verb.match(after):
        return True
    return False


def _after_non_actor_prep(index: _DocIndex, c: Mention, cues: _Cues) -> bool:
    lead = index.text[max(0, c.start - 14):c.start]
    return bool(cues.non_actor_prep.search(lead))


def _in_comparison(index: _DocIndex, c: Mention, cues: _Cues) -> bool:
    """The country is the other term of a comparison ("like Austria", "than in France")."""
    lead = index.text[max(0, c.start - 40):c.start]
    return bool(cues.comparison.search(lead))


def _sentence_country(index: _DocIndex, q: Mention, sent: tuple[int, int], clause: tuple[int, int],
                      indicator: bool, keep_compared: bool = False) -> tuple[str, float]:
    """Country of the quantity's sentence. A country named only in a comparison
    is dropped when another country of the sentence remains; when all are, none
    is chosen (the section decides) unless ``keep_compared``."""
    cues = load_cues()
    if indicator and cues.country_group.match(index.text[q.end:clause[1]]):
        return "", CONF_SENTENCE
    countries = [c for c in index.of_type_in(["COUNTRY"], sent[0], sent[1]) if c.iso3]
    if indicator and cues.contrast is not None:
        # a statistic is not about a country set apart after it by "although", "except", ...
        # ("typically 5% to 7%, although ... 10% in Italy"); a country before the marker
        # may still govern ("In Germany, although growth slowed, ... reached 3.1%")
        countries = [c for c in countries if not (c.start >= q.end and cues.contrast.search(
            index.text[q.end:c.start]))]
    if indicator and not [c for c in countries if clause[0] <= c.start and c.end <= clause[1]] \
            and cues.group_framed.search(index.text[sent[0]:sent[1]]):
        return "", CONF_SENTENCE   # "in all member states ... typically by 5% to 7%"
    if countries and not keep_compared:
        plain = [c for c in countries if not _in_comparison(index, c, cues)]
        if not plain:
            return "", 0.0
        countries = plain
    if countries and not indicator and all(_after_non_actor_prep(index, c, cues) for c in countries):
        # "Seoul will fund machines from a German supplier": a country named only as a
        # source, site or destination is not the actor; the sentence's region or body, else
        # the heading or the paper, decides (a statistic keeps the country it describes)
        countries = []
    if countries:
        first_free = next((c for c in countries if not _after_non_actor_prep(index, c, cues)), None)
        best: Optional[tuple[float, int, Mention, bool]] = None
        for c in countries:
            d = _distance(c.start, c.end, q.start, q.end)
            actor = _is_actor(index, c, sent, cues)
            score = -d / 100.0
            if clause[0] <= c.start and c.end <= clause[1]:
                score += 1.0
            if not indicator:
                if actor:
                    score += 2.0
                elif c is first_free and c.end <= q.start:
                    score += 1.0        # the sentence's subject, before the quantity
                elif _after_non_actor_prep(index, c, cues):
                    score -= 0.5
            elif first_free is not None and c is not first_free \
                    and cues.flow_prep.search(index.text[max(0, c.start - 14):c.start]):
                score -= 0.5            # "<A>'s exports to <B> were ...": a flow's far end
            key = (score, -c.start, c, actor)
            if best is None or key[:2] > best[:2]:
                best = key
        assert best is not None
        chosen, actor = best[2], best[3]
        return chosen.iso3, (CONF_ACTOR if actor or (not indicator and chosen is first_free
                                                      and chosen.end <= q.start) else CONF_SENTENCE)
    regions = [r for r in index.of_type_in(["REGION"], sent[0], sent[1]) if r.iso3]
    if regions:
        r = min(regions, key=lambda r: (_distance(r.start, r.end, q.start, q.end), r.start))
        return r.iso3, CONF_SENTENCE
    named = [m for m in index.of_type_in(["ORG", "PROGRAM"], sent[0], sent[1]) if m.iso3]
    if named:
        m = min(named, key=lambda m: (_distance(m.start, m.end, q.start, q.end), m.start))
        return m.iso3, CONF_SENTENCE_ORG
    return "", 0.0


def _countries_in(index: _DocIndex, lo: int, hi: int) -> list[Mention]:
    return [c for c in index.of_type_in(["COUNTRY"], lo, hi) if c.iso3]


def _named_in(index: _DocIndex, lo: int, hi: int) -> list[Mention]:
    """ORG, PROGRAM and REGION mentions with a known country, in text order."""
    return [m for m in index.of_type_in(["ORG", "PROGRAM", "REGION"], lo, hi) if m.iso3]


def _logical_paragraph(index: _DocIndex, pi: int) -> tuple[int, int]:
    """Paragraph index range [first, pi]: a body paragraph that starts in lower
    case continues the one before it (a paragraph split by a page break)."""
    first = pi
    while first > 0:
        para = index.paragraphs[first]
        prev = index.paragraphs[first - 1]
        stripped = para.text.lstrip()
        if para.kind == "body" and prev.kind == "body" and stripped[:1].islower():
            first -= 1
        else:
            break
    return first, pi


def _run_in_heading_end(para: Paragraph) -> Optional[int]:
    """End offset of a run-in heading ("Germany Expands Its Training Policy. ...")."""
    m = re.match(r"\s*([^.!?:]{3,140}?)[.:]\s+(?=\S)", para.text)
    if not m:
        return None
    words = re.findall(r"[A-Za-z][\w’'-]*", m.group(1))
    if not (2 <= len(words) <= 14):
        return None
    content = [w for w in words if len(w) > 3]
    if not content:
        return None
    capitalized = sum(1 for w in content if w[0].isupper())
    if capitalized / len(content) < 0.75:
        return None
    return para.start + m.end(1)


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Any:
    try:
        from pipeline.normalize.geo import Gazetteer  # optional: without it, pycountry names serve
        return Gazetteer.default()
    except Exception:
        return None


def _iso3_in_string(text: str) -> str:
    """The country a section title names: Gazetteer.default().find (COUNTRY
    matches first, then a REGION's country), else pycountry names."""
    if not text.strip():
        return ""
    gaz = _gazetteer()
    if gaz is not None:
        try:
            found = list(gaz.find(text))
        except Exception:
            found = []
        for wanted in ("COUNTRY", "REGION"):
            isos = [str(getattr(p, "iso3", "") or "") for p in found if getattr(p, "type", "") == wanted]
            isos = [i for i in isos if re.fullmatch(r"[A-Z]{3}", i)]
            if isos:
                return isos[0] if len(set(isos)) == 1 else ""
    return _pycountry_in_string(text)


@functools.lru_cache(maxsize=1)
def _pycountry_names() -> list[tuple[re.Pattern[str], str]]:
    try:
        import pycountry
    except Exception:
        return []
    pairs: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            name = getattr(c, attr, None)
            if name and len(name) > 3:
                pairs[name] = c.alpha_3
    return [(re.compile(r"(?<!\w)" + re.escape(n) + r"(?!\w)"), iso)
            for n, iso in sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0]))]


def _pycountry_in_string(text: str) -> str:
    found = {iso for pat, iso in _pycountry_names() if pat.search(text)}
    return found.pop() if len(found) == 1 else ""


def _heading_country(index: _DocIndex, pi: int, first: int) -> str:
    para = index.paragraphs[pi]
    # Run-in heading at the start of the logical paragraph.
    lead = index.paragraphs[first]
    end = _run_in_heading_end(lead)
    if end is not None:
        iso = _single_country(_countries_in(index, lead.start, end))
        if iso:
            return iso
    iso = _one_word_run_in_country(index, lead)
    if iso:
        return iso
    # Heading paragraphs the paragraph stands under, most specific first.
    components = [c.strip() for c in para.section.split(">") if c.strip()] if para.section else []
    headings = [(j, h) for j, h in enumerate(index.paragraphs[:first]) if h.kind == "heading"]
    if components:
        for comp in reversed(components):
            match = next((h for _, h in reversed(headings) if _norm_heading(h.text) == _norm_heading(comp)), None)
            if match is not None:
                iso = _single_country(_countries_in(index, match.start, match.end))
                if iso:
                    return iso
            iso = _iso3_in_string(comp)
            if iso:
                return iso
    elif headings:
        return _ancestor_heading_country(index, [h for _, h in headings])
    return ""


def _one_word_run_in_country(index: _DocIndex, lead: Paragraph) -> str:
    """A paragraph opening with a country alone as its run-in heading ("Austria. The fund ...")."""
    first_country = next(iter(_countries_in(index, lead.start, lead.end)), None)
    if first_country is None or index.text[lead.start:first_country.start].strip():
        return ""
    if re.match(r"[.:]\s+(?=[A-Z\"“(])", index.text[first_country.end:first_country.end + 4]):
        return first_country.iso3
    return ""


_HEADING_NUMBER = re.compile(r"\s*(?:(#{1,6})\s|(\d{1,2}(?:\.\d{1,2})*)\.?\s|([IVX]{1,5})\.\s)")


def _heading_level(text: str) -> Optional[int]:
    """Depth of a heading from its markup or numbering ("## ", "3.", "3.1", "II."); None if unnumbered."""
    m = _HEADING_NUMBER.match(text)
    if not m:
        return None
    if m.group(1):
        return len(m.group(1))
    if m.group(2):
        return m.group(2).count(".") + 1
    return 1


def _ancestor_heading_country(index: _DocIndex, headings: list[Paragraph]) -> str:
    """Country of the nearest heading before a paragraph without a section path, else of
    the nearest ancestor by numbering ("2. Germany" governs "2.1 Funding"); a heading naming
    several countries or none passes on to its ancestor; unnumbered headings end the walk."""
    limit: Optional[int] = None
    for h in reversed(headings):
        level = _heading_level(h.text)
        if limit is not None and (level is None or level >= limit):
            continue
        iso = _single_country(_countries_in(index, h.start, h.end)) or _iso3_in_string(h.text)
        if iso:
            return iso
        if level is None or level <= 1:
            return ""
        limit = level
    return ""


def _single_country(found: list[Mention]) -> str:
    """The country a heading is about; none when it lists several ("Trends in
    the United States, Germany and Japan" governs no single paragraph)."""
    distinct = {c.iso3 for c in found}
    return found[0].iso3 if len(distinct) == 1 else ""


def _norm_heading(text: str) -> str:
    return _collapse(re.sub(r"^[\d.\sIVXivx)]+(?=[A-Za-z])", "", text)).lower().rstrip(".:")


def _document_country(index: _DocIndex) -> str:
    """The paper's main country, if one dominates its country vote."""
    if index._document_country is None:
        share = load_cues().document_country_min_share
        index._document_country = _most_mentioned_country(index, min_share=share, skip_compared=True)
    return index._document_country


def _most_mentioned_country(index: _DocIndex, exclude: frozenset[str] = frozenset(),
                            min_share: float = 0.0, skip_compared: bool = False, min_votes: float = 0.0) -> str:
    """The paper's most mentioned country outside ``exclude`` (the document
    vote of pipeline/jurisdiction.py); none when it holds less than
    ``min_share`` of that vote or fewer than ``min_votes``. ``skip_compared``
    leaves out countries named only as the other term of a comparison."""
    cues = load_cues() if skip_compared else None
    voters = [c for mtype in DOCUMENT_VOTE for c in index.by_type.get(mtype, [])]
    skip = (lambda c: c.type == "COUNTRY" and _in_comparison(index, c, cues)) if cues is not None else None
    return vote_country(voters, exclude, min_share, min_votes, skip)


def assign_country(index: _DocIndex, q: Mention, sent: tuple[int, int], clause: tuple[int, int],
                   indicator: bool = False) -> tuple[str, float]:
    """(iso3, confidence) of the actor for the quantity ``q``; see the module docstring."""
    iso, conf = _sentence_country(index, q, sent, clause, indicator)
    if iso and not indicator and conf == CONF_SENTENCE:
        heading = _site_only_sentence_heading(index, q, sent)
        if heading and heading != iso:
            return heading, CONF_HEADING
    if iso or conf:
        return iso, conf
    iso, conf = _context_country(index, q, sent)
    if not iso:
        # the sentence names countries only in comparisons and nothing else tells
        iso, conf = _sentence_country(index, q, sent, clause, indicator, keep_compared=True)
        if iso or conf:
            return iso, conf
        iso, conf = "", CONF_NONE
    cues = load_cues()
    if iso in cues.supranational and cues.domestic_actor.search(index.text[sent[0]:sent[1]]):
        # "Regional money comes from the regional budget": the member state's money, not the
        # union's; the member is the paper's most mentioned country that is not a union.
        member = _most_mentioned_country(index, cues.supranational)
        if member:
            return member, conf
    return iso, conf


def _site_only_sentence_heading(index: _DocIndex, q: Mention, sent: tuple[int, int]) -> str:
    """The section heading's country when every country of the sentence is only a place
    or partner after a preposition ("exports to Austria", "plants in France"): in a
    country's section the money is still that country's."""
    cues = load_cues()
    countries = _countries_in(index, sent[0], sent[1])
    if not countries or not all(_after_non_actor_prep(index, c, cues) or _in_comparison(index, c, cues)
                                for c in countries):
        return ""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return ""
    first, _ = _logical_paragraph(index, pi)
    return _heading_country(index, pi, first)


def _context_country(index: _DocIndex, q: Mention, sent: tuple[int, int]) -> tuple[str, float]:
    """Country from the paragraph, its headings, then the document (the sentence names none)."""
    pi = index.paragraph_index(q.start)
    if pi >= 0:
        first, _ = _logical_paragraph(index, pi)
        iso = _heading_country(index, pi, first)
        if iso:
            return iso, CONF_HEADING
        lo = index.paragraphs[first].start
        before = _countries_in(index, lo, sent[0])
        if before:
            return before[-1].iso3, CONF_PARAGRAPH
        after = _countries_in(index, sent[1], index.paragraphs[pi].end)
        if after:
            return after[0].iso3, CONF_PARAGRAPH_AFTER
        named_before = _named_in(index, lo, sent[0])
        if named_before:
            return named_before[-1].iso3, CONF_PARAGRAPH_NAMED
        named_after = _named_in(index, sent[1], index.paragraphs[pi].end)
        if named_after:
            return named_after[0].iso3, CONF_PARAGRAPH_NAMED
        iso = _country_beside_country_sections(index, index.paragraphs[pi].section)
        if iso is not None:
            return (iso, CONF_DOCUMENT) if iso else ("", CONF_NONE)
    iso = _document_country(index)
    if iso:
        return iso, CONF_DOCUMENT
    return "", CONF_NONE


def _country_beside_country_sections(index: _DocIndex, section: str) -> Optional[str]:
    """"## Federal programmes" beside "## Austria": the unnamed section is not Austria's;
    the paper's main country outside its siblings' decides, if it is named more than once
    and not only in comparisons ("" when none is). None when no sibling names a country.
    Computed once per section."""
    if section not in index._beside_country_sections:
        siblings = _sibling_section_countries(index, section)
        index._beside_country_sections[section] = _most_mentioned_country(
            index, frozenset(siblings), skip_compared=True, min_votes=2.0,
            min_share=load_cues().document_country_min_share) if siblings else None
    return index._beside_country_sections[section]


def _sibling_section_countries(index: _DocIndex, section: str) -> set[str]:
    """Countries named by the titles of the sections beside ``section`` (same parent)."""
    if not section:
        return set()
    parent, _, own = section.rpartition(" > ")
    if _iso3_in_string(own):
        return set()
    found = set()
    for path in index.section_paths():
        p_parent, _, title = path.rpartition(" > ")
        if p_parent == parent and title != own:
            iso = _country_in_title(title)
            if iso:
                found.add(iso)
    return found


_MAX_COUNTRY_TITLE_WORDS = 3


def _country_in_title(title: str) -> str:
    """The COUNTRY a short section title is about ("Austria", "Austrian programmes"); a
    region's title ("Bavaria") or a longer title that mentions a country on the way
    ("Ruritanian Annual Corporate Tax Return Form") names none here."""
    if len(_norm_heading(title).split()) > _MAX_COUNTRY_TITLE_WORDS:
        return ""
    gaz = _gazetteer()
    if gaz is None:
        return _pycountry_in_string(title)
    try:
        isos = {str(getattr(p, "iso3", "") or "") for p in gaz.find(title) if getattr(p, "type", "") == "COUNTRY"}
    except Exception:
        return ""
    isos.discard("")
    return next(iter(isos)) if len(isos) == 1 else ""


# ------------------------------------------------------------- attached mentions


def _nearest(index: _DocIndex, mtype: str, q: Mention, clause: tuple[int, int], sent: tuple[int, int],
             prefer: str, require_iso3: bool = False) -> Optional[Mention]:
    """Nearest mention of ``mtype`` in the clause, else the sentence.

    prefer="before" weighs a mention after the quantity as twice as far,
    prefer="after" weighs one before it as 1.5 times as far.
    """
    for lo, hi in (clause, sent):
        found = [m for m in index.of_type_in([mtype], lo, hi)
                 if not (m.start < q.end and q.start < m.end) and (m.iso3 or not require_iso3)]
        if not found:
            continue

        def cost(m: Mention) -> tuple[float, int]:
            d = _distance(m.start, m.end, q.start, q.end)
            is_before = m.end <= q.start
            if prefer == "before" and not is_before:
                d *= 2.0
            elif prefer == "after" and is_before:
                d *= 1.5
            return d, m.start

        return min(found, key=cost)
    return None


def assign_region(index: _DocIndex, q: Mention, clause: tuple[int, int], sent: tuple[int, int],
                  country: str) -> Optional[Mention]:
    """The subnational jurisdiction acting for the quantity, if any.

    A REGION of the quantity's clause, else sentence, that lies in the
    measure's country; a place after a locative preposition ("a plant in
    Magdeburg") is the site, not the actor, when the sentence names a
    COUNTRY. A sentence that names no COUNTRY and no REGION takes the region
    of its run-in or section heading ("Ohio. The package includes ..."), then,
    when it speaks of "the state"/"the province", the nearest REGION before it
    in its paragraph, then the region the document's title names alone
    ("Tamil Nadu Industrial Policy ...").
    """
    cues = load_cues()
    names_country = bool(_countries_in(index, sent[0], sent[1]))
    site: Optional[Mention] = None
    for lo, hi in (clause, sent):
        found = [r for r in index.of_type_in(["REGION"], lo, hi)
                 if r.iso3 and (not country or r.iso3 == country)
                 and not (r.start < q.end and q.start < r.end)]
        if names_country:
            found = [r for r in found if not _after_non_actor_prep(index, r, cues)]
        # "awarded $100 million to Maricopa County colleges": a place after the amount and
        # a preposition is where the money goes; the heading's region acts, when there is one.
        sites = [r for r in found if r.start >= q.end and _after_non_actor_prep(index, r, cues)]
        if sites and len(sites) == len(found):
            site = site or min(sites, key=lambda r: r.start)
            continue
        if found:
            return min(found, key=lambda r: (_distance(r.start, r.end, q.start, q.end) *
                                              (1.0 if r.end <= q.start else 2.0), r.start))
    if site is not None:
        pi = index.paragraph_index(q.start)
        heading = _heading_region(index, pi, _logical_paragraph(index, pi)[0]) if pi >= 0 else None
        if heading is not None and (not country or heading.iso3 == country) \
                and (heading.canonical or heading.text) != (site.canonical or site.text):
            return heading
        return site
    if names_country or index.of_type_in(["REGION"], sent[0], sent[1]):
        return None
    pi = index.paragraph_index(q.start)
    candidates: list[Optional[Mention]] = []
    if pi >= 0:
        first, _ = _logical_paragraph(index, pi)
        candidates.append(_heading_region(index, pi, first))
        if cues.region_government.search(index.text[sent[0]:sent[1]]):
            before = [r for r in index.of_type_in(["REGION"], index.paragraphs[first].start, sent[0]) if r.iso3]
            candidates.append(before[-1] if before else None)
    candidates.append(_title_region(index))
    candidates.append(_paper_context(index)[1])
    for r in candidates:
        if r is not None and (not country or r.iso3 == country):
            return r
    return None


def _places_in(name: str) -> list[tuple[str, str]]:
    """(canonical, iso3) of the subnational places inside a body's or program's name."""
    from .normalize.geo import Gazetteer
    return [(p.canonical or p.text, p.iso3) for p in Gazetteer.default().find(name)
            if p.type == "REGION" and p.iso3]


def _paper_context(index: _DocIndex) -> tuple[str, Optional[Mention]]:
    """What the whole paper is about (pipeline/jurisdiction.py), computed once:
    its sector, and the state/province/city whose government it is about (as a
    REGION mention standing for the paper, at offset 0)."""
    if index._paper_context is None:
        mentions = [m for mtype in ("COUNTRY", "REGION", "ORG", "PROGRAM", "SECTOR")
                    for m in index.by_type.get(mtype, [])]
        region = paper_region(mentions, _places_in)
        as_mention = None
        if region is not None:
            as_mention = Mention(doc_id=index.parsed.doc_id, mention_id="", type="REGION", text=region[0],
                                 start=0, end=0, canonical=region[0], iso3=region[1])
        index._paper_context = (paper_sector(mentions), as_mention)
    return index._paper_context


_LEAD_DATE_BEFORE = re.compile(r"(?i)^\W*(?:by|in|until|through|before|from|for)\s+(?:the\s+end\s+of\s+)?$")


_BULLET = re.compile(r"^\s*(?:[\u2022\u25cf\u25aa\u25a0\u2023\u2043\u25e6*\u2013\u2014-]|\(?[a-z0-9]{1,3}[.)])\s")


def _lead_date(index: _DocIndex, para: Paragraph, intro: bool = False) -> Optional[Mention]:
    """ "By 2030, ..." / "By 2030 China ...": a date framing the paragraph (any
    word may follow it in a list's introduction, "By 2030 the plan will:")."""
    dates = index.of_type_in(["DATE"], para.start, min(para.end, para.start + 40))
    if not dates:
        return None
    d = dates[0]
    if _LEAD_DATE_BEFORE.match(index.text[para.start:d.start]) \
            and re.match(r"\s*,|\s+\w" if intro else r"\s*,|\s+[A-Z]", index.text[d.end:d.end + 3]):
        return d
    return None


def _paragraph_lead_date(index: _DocIndex, q: Mention) -> Optional[Mention]:
    """A date that opens the quantity's paragraph as a frame for all of it
    ("By 2025, the industry will ... and exports will reach 30%"), or opens an
    earlier item of the same bulleted list ("- By 2030 the country will ...",
    "- The industry will exceed ..."): the year of a quantity whose own
    sentence dates nothing."""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return None
    first = _logical_paragraph(index, pi)[0]
    for k in range(first, max(-1, first - 10), -1):
        para = index.paragraphs[k]
        bullet = _BULLET.match(para.text) is not None
        if k < first and not bullet:
            # the sentence that introduces the list ("By 2030 the plan will:")
            found = _lead_date(index, para, intro=True) if para.text.rstrip().endswith(":") else None
            return found
        found = _lead_date(index, para)
        if found is not None and found.start < q.start:
            return found
        if not bullet:
            return None
    return None


def _heading_sector(index: _DocIndex, q: Mention) -> str:
    """The one sector the section heading above the quantity names."""
    pi = index.paragraph_index(q.start)
    if pi < 0:
        return ""
    heading = _section_heading(index, pi, _logical_paragraph(index, pi)[0])
    if heading is None:
        return ""
    names = {(m.canonical or m.text) for m in index.of_type_in(["SECTOR"], heading.start, heading.end)}
    return names.pop() if len(names) == 1 else ""


def _single_region(found: list[Mention]) -> Optional[Mention]:
    regions = [r for r in found if r.iso3]
    names = {(r.canonical or r.text).casefold() for r in regions}
    return regions[0] if len(names) == 1 else None


def _heading_region(index: _DocIndex, pi: int, first: int) -> Optional[Mention]:
    """The one REGION a run-in heading ("Ohio. ...") or the section heading names."""
    lead = index.paragraphs[first]
    end = _run_in_heading_end(lead)
    if end is None:
        # A one-name run-in heading: the paragraph opens with a place and a full stop.
        opening = index.of_type_in(["REGION"], lead.start, lead.start + 60)
        if opening and not index.text[lead.start:opening[0].start].strip() \
                and re.match(r"\s*[.:]\s", index.text[opening[0].end:opening[0].end + 3]):
            end = opening[0].end
    if end is not None:
        if _countries_in(index, lead.start, end):
            return None
        region = _single_region(index.of_type_in(["REGION"], lead.start, end))
        if region is not None:
            return region
    heading = _section_heading(index, pi, first)
    if heading is not None and not _countries_in(index, heading.start, heading.end):
        return _single_region(index.of_type_in(["REGION"], heading.start, heading.end))
    return None


def _section_heading(index: _DocIndex, pi: int, first: int) -> Optional[Paragraph]:
    """The heading paragraph of the innermost section that paragraph ``pi``
    (logically starting at ``first``) stands under, if it is in the text."""
    para = index.paragraphs[pi]
    components = [c.strip() for c in para.section.split(">") if c.strip()] if para.section else []
    if not components:
        return None
    last = _norm_heading(components[-1])
    return next((h for h in reversed(index.paragraphs[:first])
                 if h.kind == "heading" and _norm_heading(h.text) == last), None)


def _title_region(index: _DocIndex) -> Optional[Mention]:
    """The region a document's title names, when it names one region and no country."""
    if index._title_region is None:
        found: Optional[Mention] = None
        title = next((p for p in index.paragraphs if p.kind == "heading"), None)
        if title is not None and title.start == index.paragraphs[0].start \
                and not _countries_in(index, title.start, title.end):
            found = _single_region(index.of_type_in(["REGION"], title.start, title.end))
            if found is None:
                # The name may hide inside a longer title mention ("Tamil Nadu
                # Industrial Policy 2023"): a REGION named elsewhere whose
                # name stands in the title.
                named = [r for r in index.by_type.get("REGION", []) if r.iso3 and r.text.strip()
                         and re.search(r"(?<!\w)" + re.escape(r.text.strip()) + r"(?!\w)", title.text)]
                found = _single_region(named)
        index._title_region = (found,)
    return index._title_region[0]


def _program_head(name: str) -> str:
    """Head noun of a program name: its last word, a trailing year dropped
    ("CHIPS and Science Act of 2022" -> "act")."""
    words = re.findall(r"[A-Za-z]+", name)
    while words and words[-1].lower() in {"of", "the", "for", "in"}:
        words.pop()
    return words[-1].lower() if words else ""


def _program_named_back(index: _DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """The program a definite description points back to: "through the fund",
    "The Act also created ...", "under the scheme" -> the most recent PROGRAM
    before the sentence, in its section, whose name ends in that noun."""
    cues = load_cues()
    lo, hi = sent
    spans = [(p.start, p.end) for p in index.of_type_in(["PROGRAM", "ORG"], lo, hi)]
    heads: list[str] = []
    for m in cues.program_reference.finditer(index.text[lo:hi]):
        a = lo + m.start(1)
        if not any(s <= a < e for s, e in spans):
            heads.append(cues.program_head_synonyms.get(m.group(1).lower(), m.group(1).lower()))
    if not heads:
        return None
    pi = index.paragraph_index(lo)
    section = index.paragraphs[pi].section if pi >= 0 else ""
    earlier = [p for p in index.of_type_in(["PROGRAM"], max(0, lo - cues.program_reference_reach), lo)
               if index.parsed.section_at(p.start).split(" > ")[0] == section.split(" > ")[0]]
    for p in reversed(earlier):
        head = _program_head(p.canonical or p.text)
        if cues.program_head_synonyms.get(head, head) in heads:
            return p
    return None


def _paragraph_program(index: _DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """The program a paragraph is about: an earlier sentence of the same logical
    paragraph refers to it by a definite description ("The total budget of the
    programme ... EUR 1 510 million. National funding comes from the national
    budget (EUR 540 million)."), and no other program is named since then."""
    cues = load_cues()
    pi = index.paragraph_index(sent[0])
    if pi < 0:
        return None
    first, _ = _logical_paragraph(index, pi)
    lo = index.paragraphs[first].start
    refs = list(cues.program_reference.finditer(index.text, lo, sent[0]))
    for ref in reversed(refs):
        ref_sent = index.sentence_at(ref.start(1), ref.end(1))
        if ref_sent[1] > sent[0]:
            continue
        program = _program_named_back(index, ref_sent)
        if program is None:
            continue
        key = (program.canonical or program.text).casefold()
        since = index.of_type_in(["PROGRAM"], ref_sent[0], sent[1])
        if any((p.canonical or p.text).casefold() != key for p in since):
            return None
        return program
    return None


def _program_of_previous_sentence(index: _DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """'The second IPCEI on X ... brings together 56 companies. The Member States will
    provide up to EUR 8.1 billion': a funding sentence that names no program or body
    continues the one program the sentence right before it (same paragraph) named."""
    if index.of_type_in(["PROGRAM", "ORG"], sent[0], sent[1]):
        return None
    found = _programs_of_sentence_before(index, sent)
    if found is None:
        return None
    earlier, last_sent = found
    names = {(p.canonical or p.text).casefold() for p in earlier if p.start >= last_sent[0]}
    return earlier[-1] if len(names) == 1 else None


def _program_referred_to(index: _DocIndex, sent: tuple[int, int]) -> Optional[Mention]:
    """The program of the previous sentence when this one starts "It ..."/"The plan ..."."""
    cues = load_cues()
    if not cues.program_anaphora.match(index.text[sent[0]:sent[1]]):
        return None
    found = _programs_of_sentence_before(index, sent)
    return found[0][-1] if found is not None else None


def _programs_of_sentence_before(index: _DocIndex, sent: tuple[int, int]
                                 ) -> Optional[tuple[list[Mention], tuple[int, int]]]:
    """The PROGRAMs of the logical paragraph before ``sent`` and the sentence of
    the last of them, when that sentence is the one right before ``sent``
    (nothing but spaces between the two); else None."""
    pi = index.paragraph_index(sent[0])
    if pi < 0:
        return None
    first, _ = _logical_paragraph(index, pi)
    earlier = index.of_type_in(["PROGRAM"], index.paragraphs[first].start, sent[0])
    if not earlier:
        return None
    last_sent = index.sentence(earlier[-1])
    if index.text[last_sent[1]:sent[0]].strip():
        return None
    return earlier, last_sent


_TABLE_COLUMN_RE = re.compile(r"column(?::(\d+)-(\d+))?")


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def _respectively_country(index: _DocIndex, q: Mention, sent: tuple[int, int], quantities: list[Mention]) -> str:
    """'3.8%, 2.2% and 6.0% in Taiwan, Singapore and Israel respectively': the i-th
    quantity of the sentence goes with its i-th country."""
    if not _RESPECTIVELY.search(index.text[sent[0]:sent[1]]):
        return ""
    same = [m for m in quantities if m.type == q.type and sent[0] <= m.start and m.end <= sent[1]]
    countries: list[str] = []
    for c in _countries_in(index, sent[0], sent[1]):
        if not countries or countries[-1] != c.iso3:
            countries.append(c.iso3)
    if len(same) < 2 or len(same) != len(countries) or len(set(countries)) != len(countries):
        return ""
    return countries[same.index(q)] if q in same else ""


def _table_column_span(q: Mention) -> Optional[tuple[int, int]]:
    """The span of a table cell's column name in the header (extract/tables.py writes
    "column:<start>-<end>" into its unit); (0, 0) when unknown; None for running text."""
    found = _TABLE_COLUMN_RE.fullmatch(q.unit or "") if q.type == "MONEY" else None
    if found is None:
        return None
    return (int(found.group(1)), int(found.group(2))) if found.group(1) is not None else (0, 0)


def _table_column_name(index: _DocIndex, q: Mention) -> Optional[str]:
    """The column name of a table cell, "" when unknown; None for running text."""
    span = _table_column_span(q)
    return None if span is None else index.text[span[0]:span[1]]


def _table_column_program(index: _DocIndex, q: Mention, program: Optional[Mention]) -> Optional[Mention]:
    """A table cell (extract/tables.py: its unit is "column:<start>-<end>", the span of its
    column's name in the header) belongs to the one PROGRAM named in that column name
    ("Cohesion Fund EURbn", "ERDF Convergence EURbn"), else to the one PROGRAM its row
    names ("Horizon Europe 95,500" under "Budget (EUR million)"), else to none: a program
    of the paragraph or of the sentence before is not the table's. Any other quantity
    keeps ``program``."""
    column = _table_column_span(q)
    if column is None:
        return program
    for lo, hi in (column, index.sentence(q)):
        named = index.of_type_in(["PROGRAM"], lo, hi) if hi > lo else []
        if len({(p.canonical or p.text).casefold() for p in named}) == 1:
            return named[0]
    return None


def _beneficiary_subject(text: str, sent_start: int, q_start: int) -> str:
    """The subject of a receiving verb before the quantity ("SMEs can deduct
    25%", "Eligible units will receive ...", "allows companies to deduct")."""
    cues = load_cues()
    before = text[sent_start:max(sent_start, q_start)]
    m = next((found for found in (p.search(before) for p in cues.beneficiary_subject) if found), None)
    if not m:
        return ""
    words = next((g for g in m.groups() if g), "").split()
    while words and words[0].lower() in cues.leading_determiners:
        words = words[1:]
    return " ".join(words).strip(" ,")


_RECEIVER_GAP = 80   # characters between a counted noun and its receiving verb ("(see Glossary) and eight ...")


def _counted_receivers(text: str, q: Mention, sent_end: int) -> str:
    """A count whose things receive the support names its own beneficiary:
    "All 40 vocational adult education centres ... receive operating subventions"."""
    if q.type != "COUNT" or not q.unit:
        return ""
    cues = load_cues()
    if cues.receiving_verb is None or not cues.receiving_verb.search(text[q.end:min(sent_end, q.end + _RECEIVER_GAP)]):
        return ""
    qualifier_words = _count_qualifier_words()
    words = text[q.start:q.end].split()
    while words and (any(ch.isdigit() for ch in words[0]) or words[0].lower() in qualifier_words
                     or words[0].lower() in cues.leading_determiners):
        words = words[1:]
    return " ".join(words)


def _beneficiary_before(text: str, lo: int, q_start: int) -> str:
    m = load_cues().beneficiary_before.search(text[lo:max(lo, q_start)])
    return _clean_phrase(m) if m else ""


def _beneficiary(text: str, q_end: int, hi: int) -> str:
    m = load_cues().beneficiary.search(text[q_end:max(q_end, hi)])
    return _clean_phrase(m) if m else ""


def _clean_phrase(match: re.Match[str]) -> str:
    """The noun phrase without leading determiners, or the verb of "to <verb> ..."."""
    cues = load_cues()
    words = match.group(1).split()
    if match.group(0).lower().startswith("to") and len(words) > 1 and words[0].lower() in cues.beneficiary_verbs:
        words = words[1:]
    while words and words[0].lower() in cues.leading_determiners:
        words = words[1:]
    return " ".join(words).strip(" ,")


# ---------------------------------------------------------------------- public


def link_document(parsed: ParsedDoc, mentions: list[Mention]) -> list[Measure]:
    """One measure per quantity mention, in text order, numbered from q1."""
    if not parsed.text:
        return []
    cues = load_cues()
    index = _DocIndex(parsed, mentions)
    quantities = _quantity_mentions(index)
    measures: list[Measure] = []
    for n, q in enumerate(quantities, start=1):
        measures.append(_link_one(index, q, quantities, n, cues))
    return measures


def _link_one(index: _DocIndex, q: Mention, quantities: list[Mention], n: int, cues: _Cues) -> Measure:
    text = index.text
    sent = index.sentence(q)
    clause = _clause_bounds(text, sent, q.start, q.end, cues.clause_separators)
    segment = _segment_bounds(text, clause, q, quantities, cues.segment_separators)
    qtype = QUANTITY_TYPES[q.type]
    section = index.parsed.section_at(q.start)
    pi = index.paragraph_index(q.start)
    paragraph_start = index.paragraphs[_logical_paragraph(index, pi)[0]].start if pi >= 0 else None
    column = _table_column_name(index, q)
    if column is not None:
        # A table cell is read as "<column name> <row>" ("Exports (bn ecus) Acme Foods Denmark 12.4"):
        # the column says what the number is, not the chapter title nor the paragraph above.
        row = index.masked[sent[0]:sent[1]]
        cell_text = f"{column} {row}"
        at = len(column) + 1 + (q.start - sent[0])
        instrument = classify_instrument(cell_text, at, at + (q.end - q.start), (0, len(cell_text)),
                                         (0, len(cell_text)), qtype, q.from_value)
    else:
        instrument = classify_instrument(index.masked, q.start, q.end, segment, sent, qtype, q.from_value,
                                         section=section.replace(">", " ; "), paragraph_start=paragraph_start,
                                         approx=q.approx)
    country, confidence = assign_country(index, q, sent, clause, indicator=(instrument == "indicator"))
    paired = _respectively_country(index, q, sent, quantities)
    if paired:
        country, confidence = paired, CONF_SENTENCE

    region = assign_region(index, q, clause, sent, country)
    program = (_nearest(index, "PROGRAM", q, segment, segment, prefer="before")
               or _program_named_back(index, sent))
    if program is None:
        in_sentence = _nearest(index, "PROGRAM", q, clause, sent, prefer="before")
        referred = _program_referred_to(index, sent)
        # "It will be supported by EUR 3.3 billion ..., of which ... comes from Horizon Europe":
        # the sentence's subject is the program before it; a program named after the amount is a source.
        if referred is not None and (in_sentence is None or in_sentence.start >= q.end):
            program = referred
        else:
            program = in_sentence or referred
    if program is None:
        program = _paragraph_program(index, sent)
    if program is None and instrument != "indicator":
        program = _program_of_previous_sentence(index, sent)
    program = _table_column_program(index, q, program)
    org = _nearest(index, "ORG", q, clause, sent, prefer="before")
    sector = _nearest(index, "SECTOR", q, clause, sent, prefer="after")
    date = _nearest(index, "DATE", q, clause, sent, prefer="none") or _paragraph_lead_date(index, q)
    if date is not None and q.from_value is not None and _START_YEAR.match(text[date.end:q.start]):
        # "from 58.2 percent in 2012 to 61.7 percent in 2022": 2010 dates the start, not the measure
        later = [d for d in index.of_type_in(["DATE"], q.end, sent[1])]
        date = later[0] if later else date
    if region is not None and not country:
        country, confidence = region.iso3, CONF_SENTENCE
    ocr_confidence = index.parsed.ocr_confidence_at(q.start)
    if ocr_confidence is not None and ocr_confidence < OCR_LOW_CONFIDENCE:
        confidence = round(confidence * ocr_confidence, 2)   # a poorly read page: less sure

    return Measure(
        doc_id=index.parsed.doc_id,
        measure_id=f"{index.parsed.doc_id}:q{n}",
        quantity_type=qtype,
        value=q.value, currency=q.currency if qtype == "money" else "",
        low=q.low, high=q.high, from_value=q.from_value, approx=q.approx, flags=q.flags,
        unit=_unit(q, qtype) if column is None else ("table: " + _collapse(column) if column.strip() else "table"),
        country=country,
        region=(region.canonical or region.text) if region is not None else "",
        program=(program.canonical or program.text) if program is not None else "",
        org=(org.canonical or org.text) if org is not None else "",
        year=date.year if date is not None else None,
        # sentence, else section heading, else the paper's own sector (guide)
        sector=(sector.canonical or sector.text) if sector is not None
        else (_heading_sector(index, q) or _paper_context(index)[0]),
        instrument=instrument,
        beneficiary=(_beneficiary(text, q.end, segment[1]) or _beneficiary(text, q.end, clause[1])
                     or _beneficiary_before(text, segment[0], q.start)
                     or _beneficiary_subject(text, sent[0], q.start)
                     or _counted_receivers(text, q, sent[1]))
        if instrument != "indicator" else "",     # a statistic has no recipient
        confidence=confidence,
        page=index.parsed.page_at(q.start),
        section=section,
        evidence=_collapse(text[sent[0]:sent[1]]),
        ocr_confidence=ocr_confidence,
        start=q.start, end=q.end, mention_id=q.mention_id,
    )


def _unit(q: Mention, qtype: str) -> str:
    """What a percent or count measures: points vs percent, the counted noun."""
    if qtype == "count":
        return q.unit
    if qtype == "percent" and q.unit in {"points", "percentage points"}:
        return "percentage points"
    if qtype == "percent" and q.unit == "basis points":
        return "basis points"
    return ""


def programs_table(parsed: ParsedDoc, mentions: list[Mention], measures: list[Measure]) -> list[ProgramRow]:
    """One row per canonical program, in order of first mention."""
    index = _DocIndex(parsed, mentions)
    cues = load_cues()
    groups: dict[str, list[Mention]] = {}
    for m in index.by_type.get("PROGRAM", []):
        name = (m.canonical or m.text).strip()
        if name:
            groups.setdefault(name, []).append(m)
    rows: list[ProgramRow] = []
    for name, group in sorted(groups.items(), key=lambda kv: (kv[1][0].start, kv[0])):
        first = group[0]
        iso3 = next((m.iso3 for m in group if m.iso3), "")
        if not iso3 and index.text:
            sent = index.sentence(first)
            clause = _clause_bounds(index.text, sent, first.start, first.end, cues.clause_separators)
            iso3, _ = assign_country(index, first, sent, clause)
        year: Optional[int] = None
        # the year in the name, or in a mention's own text ("Trade Act of 1974", canonical "Trade Act")
        in_name = _YEAR_IN_NAME.search(name) or next(
            (found for found in (_YEAR_IN_NAME.search(m.text) for m in group) if found), None)
        if in_name:
            year = int(in_name.group(1))
        elif index.text:
            sent = index.sentence(first)
            date = _nearest(index, "DATE", first, sent, sent, prefer="none")
            year = date.year if date is not None else None
        rows.append(ProgramRow(doc_id=parsed.doc_id, program=name, iso3=iso3, year=year, mentions=len(group)))
    return rows


# ------------------------------------------------------------------------- CLI


def main(argv: Optional[list[str]] = None) -> int:
    from .io import read_json, read_jsonl, write_jsonl

    ap = argparse.ArgumentParser(prog="python -m pipeline.link", description=__doc__.split("\n")[0])
    ap.add_argument("mentions", help="mentions JSONL of one paper")
    ap.add_argument("out", help="measures JSONL to write")
    ap.add_argument("--parsed", required=True, help="parsed JSON of the same paper")
    ap.add_argument("--programs", help="optional programs JSONL to write")
    args = ap.parse_args(argv)

    parsed = parsed_from_dict(read_json(args.parsed))
    mentions = [mention_from_dict(d) for d in read_jsonl(args.mentions)]
    measures = link_document(parsed, mentions) if parsed.status == "ok" else []
    write_jsonl(args.out, (to_dict(m) for m in measures))
    if args.programs:
        write_jsonl(args.programs, (to_dict(r) for r in programs_table(parsed, mentions, measures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
