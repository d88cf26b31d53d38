"""The link stage's cue data: instrument, beneficiary, country and clause cues loaded from
data/instrument_cues.yaml and data/beneficiary_cues.yaml into compiled patterns (``Cues``).

Every rule in these files has an ``id`` (upper kebab case, unique across both files) and
a ``why``: each cue entry and reinterpretation carries its own, and each top-level
setting is listed under one entry of the file's ``rules`` table. The loader raises
DataFileError (file and line) for a missing id or why, a duplicate id, an unknown entry
key or a setting no rule lists. ``rule_ids()`` lists them (tests/cases/link.yaml has a
case for each).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Optional

from ..data_access import DataFileError, YamlMapping, data_path, key_line, read_csv, read_yaml_lines
from ..records import (
    INSTRUMENTS,
)

QUANTITY_TYPES = {"MONEY": "money", "PERCENT": "percent", "COUNT": "count"}


@dataclass
class _Cue:
    pattern: re.Pattern[str]
    weight: float
    before: bool = False      # match only against the text ending at the quantity
    sentence: bool = False    # match anywhere in the quantity's sentence, no distance decay
    generic: bool = False     # a generic funding word that a topic prior may refine
    quantities: frozenset[str] = frozenset()   # only for these quantity types (empty: all)
    bounded: str = ""         # "any": only for a bounded quantity ("more than $X", "$X or less");
    #                           ">" or "<": only for a quantity bounded that way
    id: str = ""              # the rule id of its entry in instrument_cues.yaml (for debugging tools)
    outside: bool = False     # not counted inside the quantity's own span ("an estimated £5 million")
    literal: str = ""         # a lower-case piece every match contains: skip the regex when it is absent
    unless_bounded: str = ""  # not counted for a quantity bounded that way ("will be capped at $200": a cap)


@dataclass
class Cues:
    decay_chars: float
    clause_separators: list[str]
    segment_separators: list[str]
    priority: list[str]
    defaults: dict[str, str]
    quantity_weights: dict[str, dict[str, float]]
    # the least topic prior that classes a quantity with no cue of its own, per quantity type
    prior_only_min: dict[str, float]
    rate_change_class: str
    context_threshold: float
    reinterpret: list[tuple[re.Pattern[str], str, str, str]]   # (pattern, from, to, rule id)
    section_weight: float
    paragraph_weight: float
    paragraph_decay_chars: float
    paragraph_reach_chars: int
    refine_min_score: float
    goal_words: re.Pattern[str]
    world_words: re.Pattern[str]
    prior_classes: set[str]
    classes: dict[str, list[_Cue]]
    beneficiary: re.Pattern[str]
    leading_determiners: set[str]
    beneficiary_verbs: set[str]
    beneficiary_head_words: frozenset[str]
    actor_noun: re.Pattern[str]
    actor_verb: re.Pattern[str]
    non_actor_prep: re.Pattern[str]
    flow_prep: re.Pattern[str]
    beneficiary_before: re.Pattern[str]
    program_anaphora: re.Pattern[str]
    country_group: re.Pattern[str]
    group_framed: re.Pattern[str]
    global_words: Optional[re.Pattern[str]]
    receiving_verb: Optional[re.Pattern[str]]
    contrast: Optional[re.Pattern[str]]
    document_country_min_share: float
    # currencies papers also use for other countries' money (LINK-COUNTRY-OWN-CURRENCY)
    reporting_currencies: frozenset[str] = frozenset()
    # how far after the sentence a country of its paragraph may stand (LINK-COUNTRY-PARAGRAPH-AFTER)
    paragraph_after_reach: int = 400
    beneficiary_subject: tuple[re.Pattern[str], ...] = ()
    support_receiver: Optional[re.Pattern[str]] = None     # LINK-BENEFICIARY-SUPPORT-TO
    possessor_receiver: Optional[re.Pattern[str]] = None   # rule LINK-BENEFICIARY-POSSESSOR of beneficiary_cues.yaml
    # "Yards that build at least 3 hulls ... are eligible": a subject with a relative clause
    beneficiary_relative: Optional[re.Pattern[str]] = None
    region_government: re.Pattern[str] = re.compile(r"(?!x)x")
    program_reference: re.Pattern[str] = re.compile(r"(?!x)x")
    program_head_synonyms: dict[str, str] = dataclasses.field(default_factory=dict)
    program_reference_reach: int = 3000
    supranational: frozenset[str] = frozenset()
    national_body: re.Pattern[str] = re.compile(r"(?!x)x")
    program_name_instruments: re.Pattern[str] = re.compile(r"(?!x)x")
    domestic_actor: re.Pattern[str] = re.compile(r"(?!x)x")
    # classes the paragraph prior may add (a tax rate earlier in the paragraph
    # does not make the next sentence's spending a tax incentive)
    paragraph_prior_classes: frozenset[str] = frozenset()
    generic_class: str = ""
    refines_generic: frozenset[str] = frozenset()
    # the receiver's own outlay that a rate is taken of ("20% of fixed capital investment")
    rate_base_words: re.Pattern[str] = re.compile(r"(?!x)x")
    # a sentence about what "this measure" costs (INSTR-MEASURE-COST), how far back its measure may
    # stand, and words of revenue given up
    measure_cost: re.Pattern[str] = re.compile(r"(?!x)x")
    measure_cost_reach: int = 0
    measure_bound: re.Pattern[str] = re.compile(r"(?!x)x")     # "This would be subject to ..." (INSTR-BOUND-OF-THIS)
    revenue_forgone: re.Pattern[str] = re.compile(r"(?!x)x")
    preferential_rate: re.Pattern[str] = re.compile(r"(?!x)x")     # tax-rate words (INSTR-PREFERENTIAL-RATE)
    # reinterpretations read in the text right before the quantity, for some
    # quantity types only: (pattern, from, to, quantity types, rule id)
    # (pattern, from, to, quantity types, rule id, unless_other: drop the score instead
    # of moving it when another class scored too)
    reinterpret_before: list[tuple[re.Pattern[str], str, str, frozenset[str], str, bool]] = dataclasses.field(
        default_factory=list)
    # the same, read in the text right after the quantity (``after: true``)
    reinterpret_after: list[tuple[re.Pattern[str], str, str, frozenset[str], str, bool]] = dataclasses.field(
        default_factory=list)
    # the marker of a comparison right before a country ("like Austria", "than in France")
    comparison: re.Pattern[str] = re.compile(r"(?!x)x")
    # "In case of small units, 50% ...": a receiver framing the sentence (LINK-BENEFICIARY-FRAME)
    beneficiary_frame: re.Pattern[str] = re.compile(r"(?!x)x")
    # "75% of the costs incurred by ferry yards" (LINK-BENEFICIARY-INCURRED-BY)
    beneficiary_incurred_by: Optional[re.Pattern[str]] = None


# LINK-BENEFICIARY-LIST-ITEM: a list item's label inside a sentence ("... System a. Small units shall
# be eligible ...", "(ii) Medium units may claim ...") opens a clause, as a colon does
_ITEM_MARK = r"(?:\s|^\s*)\(?(?:[a-h]|[ivx]{1,4}|\d{1,2})[.)]\s"


def _cue_pattern(cue: str) -> re.Pattern[str]:
    open_end = cue.endswith("*")
    core = re.escape(cue.rstrip("*"))
    core = core.replace(r"\ ", r"\s+")
    tail = r"[\w-]*" if open_end else r"(?![\w&])"
    return re.compile(r"(?<![\w&])" + core + tail, re.IGNORECASE)


def _alternation(words: Iterable[str]) -> str:
    ordered = sorted({str(w).strip() for w in words if isinstance(w, str) and w.strip()}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


RULE_ID = re.compile(r"[A-Z]+(?:-[A-Z0-9]+)+")
INSTRUMENT_FILE, BENEFICIARY_FILE = "instrument_cues.yaml", "beneficiary_cues.yaml"
# what a cue entry may hold besides its id and why (a typo fails loudly)
_CUE_OPTIONS = {"weight", "before", "window", "generic", "quantities", "bounded", "outside_quantity", "unless_bounded"}
_ENTRY_KEYS = {"id", "why", "re", "cue", "words"} | _CUE_OPTIONS
_REINTERPRET_KEYS = {"id", "why", "re", "from", "to", "before", "after", "quantities", "unless_other"}
# top-level keys that hold rules with their own ids, not settings listed under `rules`
_RULE_LISTS = {"rules", "classes", "reinterpret"}


def _entry(value: object, where: str, name: str, seen: dict[str, str]) -> YamlMapping:
    """A rule entry: a mapping with a new upper-kebab ``id`` and a one-line ``why``."""
    if not isinstance(value, YamlMapping):
        raise DataFileError(data_path(name), key_line(name, where), f"{where}: an entry must be a mapping with id and why")
    rule_id, why = value.get("id"), value.get("why")
    if not isinstance(rule_id, str) or not RULE_ID.fullmatch(rule_id):
        raise value.error(f"{where}: entry without a rule id (id: UPPER-KEBAB-CASE), got {rule_id!r}")
    if not isinstance(why, str) or not why.strip():
        raise value.error(f"{where}: rule {rule_id} has no why (one line: what it decides and why)")
    if rule_id in seen:
        raise value.error(f"rule id {rule_id} is used twice (first in {seen[rule_id]})")
    seen[rule_id] = f"{name} line {value.line}"
    return value


def _unknown_keys(entry: YamlMapping, allowed: set[str]) -> None:
    extra = sorted(str(k) for k in entry if k not in allowed)
    if extra:
        raise entry.error(f"rule {entry['id']}: unknown key(s) {', '.join(extra)} (allowed: {', '.join(sorted(allowed))})")


def _class_cues(entries: list[YamlMapping]) -> list[_Cue]:
    """The compiled cues of one instrument class (entries checked by ``_load_rules``), in file
    order (a group's words in order)."""
    compiled: list[_Cue] = []
    for entry in entries:
        if sum(k in entry for k in ("re", "cue", "words")) != 1:
            raise entry.error(f"rule {entry['id']}: give exactly one of re, cue, words")
        options = {k: entry[k] for k in _CUE_OPTIONS if k in entry}
        if "words" in entry:
            if not isinstance(entry["words"], dict) or not entry["words"]:
                raise entry.error(f"rule {entry['id']}: words must map each word to its weight")
            items = [(_cue_pattern(str(word)), {**options, **(spec if isinstance(spec, dict) else {"weight": spec})},
                      _literal(str(word))) for word, spec in entry["words"].items()]
        else:
            pattern = re.compile(entry["re"], re.IGNORECASE) if "re" in entry else _cue_pattern(str(entry["cue"]))
            items = [(pattern, options, _literal(str(entry["cue"])) if "cue" in entry else "")]
        for pattern, opts, literal in items:
            if set(opts) - _CUE_OPTIONS:
                raise entry.error(f"rule {entry['id']}: unknown word option(s) {sorted(set(opts) - _CUE_OPTIONS)}")
            with _checked(entry):
                compiled.append(_Cue(pattern, float(opts.get("weight", 1.0)), bool(opts.get("before", False)),
                                     str(opts.get("window", "")) == "sentence", bool(opts.get("generic", False)),
                                     frozenset(opts.get("quantities") or ()), _bound_option(entry, opts.get("bounded", False)),
                                     str(entry["id"]), bool(opts.get("outside_quantity", False)), literal,
                                     _bound_option(entry, opts.get("unless_bounded", False))))
    return compiled


def _near_reinterpretations(inst: dict, side: str) -> list[tuple[re.Pattern[str], str, str, frozenset[str], str, bool]]:
    """The reinterpretations read in the text right ``side`` ("before" or "after") the quantity."""
    return [(re.compile(r["re"], re.IGNORECASE), source, str(r["to"]),
             frozenset(r.get("quantities") or QUANTITY_TYPES.values()), str(r["id"]), bool(r.get("unless_other")))
            for r in inst.get("reinterpret") or [] for source in _sources(r)
            if r.get("to") in INSTRUMENTS and r.get(side)]


def _sources(rule: dict) -> list[str]:
    """The class or classes (a list) a reinterpretation moves scores from."""
    found = rule.get("from")
    return [str(c) for c in (found if isinstance(found, list) else [found]) if c in INSTRUMENTS]


def _literal(word: str) -> str:
    """The longest plain piece of a cue word, lower-cased, that every match must contain (a
    quick test before the regex runs); "" where a match may be written otherwise (non-ASCII)."""
    pieces = word.rstrip("*").split()
    longest = max(pieces, key=len, default="")
    return longest.lower() if longest.isascii() else ""


def _bound_option(entry: YamlMapping, value: object) -> str:
    """`bounded: true` (any bound), `bounded: ">"` or `"<"` (that bound only), or absent."""
    if value is True:
        return "any"
    if value is False or value is None:
        return ""
    if value in (">", "<"):
        return str(value)
    raise entry.error(f"rule {entry['id']}: bounded must be true, \">\" or \"<\", not {value!r}")


@contextlib.contextmanager
def _checked(entry: YamlMapping) -> Iterator[None]:
    """Report a bad value (``weight: heavy``) of a rule entry with the entry's file and line."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        if isinstance(exc, DataFileError):
            raise
        raise entry.error(f"rule {entry['id']}: bad value ({exc})") from exc


def _settings_rules(data: dict, name: str, seen: dict[str, str]) -> dict[str, str]:
    """setting -> rule id from the file's ``rules`` table; every other top-level key must be listed once."""
    owner: dict[str, str] = {}
    for value in data.get("rules") or []:
        entry = _entry(value, "rules", name, seen)
        _unknown_keys(entry, {"id", "why", "keys"})
        for key in entry.get("keys") or []:
            if key not in data:
                raise entry.error(f"rule {entry['id']} lists {key!r}, which is no setting of the file")
            if key in owner:
                raise entry.error(f"setting {key!r} is listed by two rules ({owner[key]}, {entry['id']})")
            owner[key] = str(entry["id"])
    for key in data:
        if key not in _RULE_LISTS and key not in owner:
            raise DataFileError(data_path(name), key_line(name, str(key)),
                                f"setting {key!r} belongs to no rule: list it under one entry of `rules`")
    return owner


def _load_rules() -> tuple[dict, dict, dict[str, str]]:
    """Both cue files, checked: (instrument data, beneficiary data, rule id -> where it is defined)."""
    inst, who = read_yaml_lines(INSTRUMENT_FILE), read_yaml_lines(BENEFICIARY_FILE)
    seen: dict[str, str] = {}
    _settings_rules(inst, INSTRUMENT_FILE, seen)
    _settings_rules(who, BENEFICIARY_FILE, seen)
    for value in inst.get("reinterpret") or []:
        _unknown_keys(_entry(value, "reinterpret", INSTRUMENT_FILE, seen), _REINTERPRET_KEYS)
    for name, entries in (inst.get("classes") or {}).items():
        for value in entries or []:
            _unknown_keys(_entry(value, f"classes.{name}", INSTRUMENT_FILE, seen), _ENTRY_KEYS)
    return inst, who, seen


def rule_ids() -> dict[str, str]:
    """Every rule id of the two cue files -> ``file line n`` where it is defined."""
    return dict(_load_rules()[2])


# LINK-BENEFICIARY-DEMONYM: a country's people ("adult Freedonians", "low-income Ruritanians") are receivers
def _demonym_plurals() -> list[str]:
    """The plural of each country demonym ending in -an (country_aliases.csv adjectives:
    "Singaporean" -> "Singaporeans"); forms in -ese or -ish are also adjectives of firms."""
    return sorted({row["alias"] + "s" for row in read_csv("country_aliases.csv")
                   if row.get("form") == "adjective" and row.get("alias", "").endswith("an")
                   and " " not in row.get("alias", "")})

@functools.lru_cache(maxsize=1)
def load_cues() -> Cues:
    """Read instrument_cues.yaml and beneficiary_cues.yaml once."""
    inst, who, _ = _load_rules()

    classes: dict[str, list[_Cue]] = {}
    for name, cues in (inst.get("classes") or {}).items():
        if name not in INSTRUMENTS:
            raise DataFileError(data_path(INSTRUMENT_FILE), key_line(INSTRUMENT_FILE, name),
                                f"unknown instrument {name!r}")
        classes[name] = _class_cues(cues or [])
    priority = [p for p in inst.get("priority", []) if p in INSTRUMENTS]
    priority += [p for p in INSTRUMENTS if p not in priority]

    # LINK-BENEFICIARY-ACRONYM-PLURAL: a plural acronym ("FPUs", "SHGs") names a class of bodies, as
    # "SMEs" does: it may head a receiver phrase
    heads = _alternation(list(who.get("beneficiary_heads", [])) + _demonym_plurals()) + r"|(?-i:[A-Z]{2,6}s)"
    preps = _alternation(who.get("beneficiary_prepositions", ["to", "for", "in"]))
    # Modifier words may not themselves be prepositions or conjunctions, so a
    # phrase never runs across "of"/"to" into an unrelated noun.
    modifier = r"(?!(?:to|for|in|of|on|at|by|and|or|with|from|that|which|is|are|was|were|be)\b)[\w’'-]+"
    post_words = _alternation(who.get("beneficiary_postmodifiers", []))
    post_word = r"(?!(?:and|or|to|for|in|of|by|is|are|was|were|which|that)\b)[\w-]+"
    postmodifier = rf"(?:\s+(?:{post_words})\s+(?:{post_word}\s+){{0,3}}{post_word})?" if post_words else ""
    # "small firms, start-ups and universities": up to three modifiers before each head
    # "film and television projects": two modifiers joined by "and"/"or" before one head
    modifiers = rf"(?:{modifier}\s+(?:(?:and|or)\s+(?={modifier}\s+(?:{modifier}\s+)?(?:{heads})))?){{0,3}}?"
    head_list = (rf"{modifiers}(?:{heads})"
                 rf"(?:\s*(?:,|and|or|&|as\s+well\s+as)\s+(?:{modifier}\s+){{0,3}}?(?:{heads}))*")
    beneficiary = re.compile(rf"(?<![\w-])(?:{preps})\s+({head_list}{postmodifier})(?![\w-])", re.IGNORECASE)
    before_preps = _alternation(who.get("beneficiary_before_prepositions", ["of", "for"]))
    # LINK-BENEFICIARY-BEFORE-TO: "raise the transfers to the provinces to $12 billion": the receiver
    # phrase may end in the "to"/"by" that the changed amount follows
    beneficiary_before = re.compile(rf"(?<![\w-])(?:{before_preps})\s+({head_list})\s*,?\s*(?:(?:from|to|by)\s+)?$",
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
    # LINK-BENEFICIARY-COORDINATED: coordinated modifiers ("Micro, Small and Medium Units",
    # "Micro & Small Units") belong to one receiving noun phrase
    coordinated = (rf"(?:{modifier}(?:\s*,\s*{modifier}){{0,3}}(?:\s*,?\s+(?:and|or)\s+|\s*&\s*){modifier}"
                   rf"|{modifier})")
    subject_np = rf"((?:{coordinated}\s+){{0,3}}?(?:{heads}))"
    # "allows companies to ..." is tried first: its verb would otherwise pass
    # for a modifier of the subject.
    beneficiary_subject = re.compile(
        rf"\b(?:{enabling})\s+{subject_np}\s+to\b", re.IGNORECASE) if enabling and heads else None
    # the subject opens the sentence, or a clause after a colon, a semicolon
    # or ", and" ("... in tax incentives: companies may deduct up to 91%")
    subject_of_receiving = re.compile(
        rf"(?:^|[:;,]|{_ITEM_MARK})\W*(?:and\s+)?(?:the\s+)?{subject_np}(?:\s+(?!(?:{receiving})\b)[\w-]+){{0,8}}?"
        rf"\s+(?:(?:{_alternation(who.get('receiving_aux', []))})\s+)*(?:{receiving})\b",
        re.IGNORECASE,
    ) if receiving and heads else None
    # "Enterprises that build new fabs ... receive": a relative clause between subject and verb
    subject_with_relative = re.compile(
        rf"(?:^|[:;]|,\s+and\b|{_ITEM_MARK})\W*(?:the\s+)?{subject_np}\s+(?:that|which|who|whose)\b"
        rf"(?:\s+[^\s.;:]+){{1,{int(who.get('relative_clause_words', 24))}}}?"
        rf"\s+(?:(?:{_alternation(who.get('receiving_aux', []))})\s+)*(?:{receiving})\b",
        re.IGNORECASE,
    ) if receiving and heads else None
    # "The city grants design firms a subsidy of", "paid ferry yards 20 cents a litre": the
    # indirect object receives it
    granting = _alternation(who.get("granting_verbs", []))
    support = _alternation(who.get("support_nouns", []))
    granted_object = re.compile(
        rf"\b(?:{granting})\s+{subject_np}(?:\s+(?:a|an|the)?\s*(?:[\w-]+\s+){{0,2}}?(?:{support})\b[^.;]*|\s+)$",
        re.IGNORECASE,
    ) if granting and support and heads else None
    receiving_verb = re.compile(
        rf"^[^.;:]*?\b(?:(?:{_alternation(who.get('receiving_aux', []))})\s+)*(?:{receiving})\b",
        re.IGNORECASE) if receiving else None
    frames = _alternation(who.get("beneficiary_frame_phrases", []))
    # "in the case of a firm running a ferry line, 10%": the receiver's own clause after its head
    relative_words = _alternation(who.get("frame_relative_words", []))
    frame_relative = rf"(?:\s+(?:{relative_words})\b[^,;:.()]{{0,80}}?)?" if relative_words else ""
    # the sentence opens with the frame, after a clause number ("5.2.1", "b)") if any
    # the receiver of an opening purpose clause, "To help ferry yards cope with fuel costs, a rebate
    # of 50% ..." (rule LINK-BENEFICIARY-PURPOSE-FRAME of beneficiary_cues.yaml)
    purpose = _alternation(who.get("beneficiary_purpose_verbs", []))
    purpose_frame = (rf"|to\s+(?:{purpose})\s+(?:the\s+)?{subject_np}(?:\s+[^\s,.;:]+){{0,8}}\s*,"
                     if purpose else "")
    beneficiary_frame = re.compile(
        rf"^\W*(?:(?:\d+(?:\.\d+)*\.?|\(?[a-z]{{1,3}}\))\s+)*(?:(?:{frames})\s+(?:the\s+|an?\s+|any\s+|each\s+|every\s+)?"
        rf"({subject_np}{frame_relative})\s*,{purpose_frame})",
        re.IGNORECASE) if frames and heads else re.compile(r"(?!x)x")
    # who bore the costs that are paid back, "repays 75% of the costs incurred by ferry yards for ..."
    # (rule LINK-BENEFICIARY-INCURRED-BY of beneficiary_cues.yaml)
    incurred = _alternation(who.get("incurred_cost_nouns", []))
    beneficiary_incurred_by = re.compile(
        rf"^[^.;:]{{0,60}}?\b(?:{incurred})\s+(?:actually\s+)?(?:incurred|paid|spent|borne)\s+by\s+(?:the\s+)?"
        rf"{subject_np}\b", re.IGNORECASE) if incurred and heads else None
    # LINK-BENEFICIARY-SUPPORT-TO: a support noun and its receiver before the amount ("The seed capital
    # assistance to new ferry entrepreneurs is 10% of the project cost", "support for ferry yards worth $2 million")
    # "support to grow their firms" is a purpose: after "to" no verb ("support", a verb as often as a noun,
    # takes "for" only)
    given = _alternation([n for n in who.get("support_nouns", []) if n not in ("support", "aid")])
    not_verb = rf"(?!(?:{_alternation(who.get('beneficiary_verbs', []))})\b)" if who.get("beneficiary_verbs") else ""
    support_to = re.compile(rf"\b(?:(?:{support})\s+for|(?:{given})\s+to){not_verb}\s+(?:the\s+|all\s+)?{subject_np}(?![\w-])",
                            re.IGNORECASE) if support and heads else None
    # the receiver owning or modifying a support noun, "raise dock workers' benefits by 6%" (rule
    # LINK-BENEFICIARY-POSSESSOR of beneficiary_cues.yaml)
    possessed = _alternation(who.get("possessed_support_nouns", []))
    not_modifiers = _alternation(who.get("possessor_not_modifiers", []))
    lead_ok = rf"(?!(?:{not_modifiers})\b)" if not_modifiers else ""
    possessor = re.compile(rf"(?<![\w-]){lead_ok}({head_list})(?:['’]s|['’])?\s+(?:{possessed})(?![\w-])",
                           re.IGNORECASE) if possessed and heads else None
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
    return Cues(
        beneficiary_subject=subject_patterns,
        support_receiver=support_to,
        possessor_receiver=possessor,
        beneficiary_relative=subject_with_relative,
        beneficiary_frame=beneficiary_frame,
        beneficiary_incurred_by=beneficiary_incurred_by,
        receiving_verb=receiving_verb,
        region_government=region_government,
        program_reference=program_reference,
        program_head_synonyms=synonyms,
        program_reference_reach=int(who.get("program_reference_reach", 3000)),
        program_name_instruments=re.compile(
            rf"(?<![\w-])(?:{_alternation(inst.get('program_name_instruments', []))})(?![\w-])", re.IGNORECASE)
        if inst.get("program_name_instruments") else re.compile(r"(?!x)x"),
        supranational=frozenset(str(x) for x in who.get("supranational_iso3", []) or []),
        national_body=re.compile(
            rf"^(?:the\s+)?(?:{_alternation(who['national_body_heads'])})\b|\b(?:{_alternation(who['national_body_heads'])})$",
            re.IGNORECASE),
        domestic_actor=re.compile(rf"(?<![\w-])(?:{_alternation(who.get('domestic_actor_words', []))})(?![\w-])",
                                  re.IGNORECASE) if who.get("domestic_actor_words") else re.compile(r"(?!x)x"),
        decay_chars=float(inst.get("decay_chars", 40)),
        clause_separators=list(inst.get("clause_separators", [";"])),
        segment_separators=list(inst.get("segment_separators", [" or ", " and ", ","])),
        priority=priority,
        defaults=dict(inst.get("defaults", {})),
        quantity_weights={k: dict(v) for k, v in (inst.get("quantity_weights") or {}).items()},
        prior_only_min={k: float(v) for k, v in (inst.get("prior_only_min") or {}).items()},
        rate_change_class=str(inst.get("rate_change_class", "tax_incentive")),
        context_threshold=float(inst.get("context_threshold", 0.0)),
        reinterpret=[(re.compile(r["re"], re.IGNORECASE), source, str(r["to"]), str(r["id"]))
                     for r in inst.get("reinterpret") or [] for source in _sources(r)
                     if r.get("to") in INSTRUMENTS and not r.get("before") and not r.get("after")],
        reinterpret_before=_near_reinterpretations(inst, "before"),
        reinterpret_after=_near_reinterpretations(inst, "after"),
        section_weight=float(inst.get("section_weight", 0.0)),
        paragraph_weight=float(inst.get("paragraph_weight", 0.0)),
        paragraph_decay_chars=float(inst.get("paragraph_decay_chars", 200)),
        paragraph_reach_chars=int(inst["paragraph_reach_chars"]),
        refine_min_score=float(inst["refine_min_score"]),
        goal_words=re.compile(rf"(?<![\w-])(?:{_alternation(inst['goal_words'])})(?![\w-])", re.IGNORECASE),
        world_words=re.compile(rf"(?<![\w-])(?:{_alternation(inst['world_words'])})(?![\w-])", re.IGNORECASE),
        prior_classes={c for c in inst.get("prior_classes") or INSTRUMENTS if c in INSTRUMENTS},
        paragraph_prior_classes=frozenset(
            c for c in (inst.get("paragraph_prior_classes") or inst.get("prior_classes") or INSTRUMENTS)
            if c in INSTRUMENTS),
        classes=classes,
        generic_class=str(inst.get("generic_class", "")) if inst.get("generic_class") in INSTRUMENTS else "",
        refines_generic=frozenset(c for c in inst.get("refines_generic") or [] if c in INSTRUMENTS),
        rate_base_words=re.compile(rf"(?<![\w-])(?:{_alternation(inst['rate_base_words'])})(?![\w-])", re.IGNORECASE)
        if inst.get("rate_base_words") else re.compile(r"(?!x)x"),
        measure_cost=re.compile(inst["measure_cost"], re.IGNORECASE) if inst.get("measure_cost") else re.compile(r"(?!x)x"),
        measure_cost_reach=int(inst.get("measure_cost_reach", 0)),
        measure_bound=re.compile(inst["measure_bound"], re.IGNORECASE) if inst.get("measure_bound")
        else re.compile(r"(?!x)x"),
        preferential_rate=re.compile(inst["preferential_rate"], re.IGNORECASE) if inst.get("preferential_rate")
        else re.compile(r"(?!x)x"),
        revenue_forgone=re.compile(inst["revenue_forgone"], re.IGNORECASE) if inst.get("revenue_forgone")
        else re.compile(r"(?!x)x"),
        beneficiary=beneficiary,
        leading_determiners={w.lower() for w in who.get("leading_determiners", [])},
        beneficiary_verbs={str(w).lower() for w in who.get("beneficiary_verbs", [])},
        beneficiary_head_words=frozenset(str(w).lower().split()[-1] for w in who.get("beneficiary_heads", [])),
        actor_noun=actor_noun,
        actor_verb=actor_verb,
        non_actor_prep=non_actor,
        flow_prep=re.compile(rf"(?<![\w-])(?:{_alternation(who.get('flow_prepositions', []))})\s+(?:(?:the|a|an)\s+)?$",
                             re.IGNORECASE) if who.get("flow_prepositions") else re.compile(r"(?!x)x"),
        beneficiary_before=beneficiary_before,
        program_anaphora=program_anaphora,
        country_group=country_group,
        group_framed=group_framed,
        global_words=re.compile(rf"(?<![\w-])(?:{_alternation(who.get('global_words', []))})(?![\w-])", re.IGNORECASE)
        if who.get("global_words") else None,
        contrast=re.compile(rf"(?<![\w-])(?:{_alternation(who.get('contrast_markers', []))})(?![\w-])", re.IGNORECASE)
        if who.get("contrast_markers") else None,
        document_country_min_share=float(who.get("document_country_min_share", 0.0)),
        reporting_currencies=frozenset(str(c) for c in who.get("reporting_currencies") or []),
        paragraph_after_reach=int(who.get("paragraph_after_reach", 400)),
        comparison=re.compile(
            rf"(?<![\w-])(?:{'|'.join(f'(?:{m})' for m in who.get('comparison_markers') or [])})"
            rf"\s+(?:(?:the|in)\s+)?$", re.IGNORECASE) if who.get("comparison_markers") else re.compile(r"(?!x)x"),
    )
