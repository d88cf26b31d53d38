"""The instrument of a measure: a weighted cue classifier over data/instrument_cues.yaml,
refined by the topic of the sentence, paragraph or section when only generic funding
words decide.
"""

from __future__ import annotations

import functools
import re
from typing import Mapping, Optional

from ..normalize.percent import rate_base_end
from .cues import Cues, load_cues
from .index import distance


def classify_instrument(text: str, q_start: int, q_end: int, segment: tuple[int, int],
                        sentence: tuple[int, int], quantity_type: str,
                        from_value: Optional[float] = None, section: str = "",
                        paragraph_start: Optional[int] = None, approx: str = "",
                        acronyms: Optional[tuple[re.Pattern[str], Mapping[str, str]]] = None,
                        recipients: tuple[str, ...] = ()) -> str:
    """The instrument class of the quantity at [q_start, q_end) of ``text``.

    ``text`` should have ORG/PROGRAM names blanked; ``section`` (the section
    path) and the paragraph text from ``paragraph_start`` to the sentence are
    topic priors used when no strong cue is near. ``approx`` (">" or "<": a
    bounded quantity) enables the cues marked ``bounded``. ``acronyms`` (a pattern of
    the paper's short forms and their long forms) lets an acronym's long form count as
    cue words where the acronym stands. Only the sentence's part between semicolons
    around the quantity refines generic funding into a topic (INSTR-REFINE-OWN-CLAUSE).
    Pure; never raises on offsets outside the text.
    """
    cues = load_cues()
    n = len(text)
    q_start, q_end = max(0, min(q_start, n)), max(0, min(q_end, n))
    if from_value is not None and quantity_type == "percent":
        sent_scores = _score(text, q_start, q_end, sentence, quantity_type, cues)
        if sent_scores.get(cues.rate_change_class, 0) > 0:
            return cues.rate_change_class
    bound = approx if approx in (">", "<") else ""
    scores = _score(text, q_start, q_end, segment, quantity_type, cues, sentence=sentence, bound=bound,
                    acronyms=acronyms)
    if not scores:
        # INSTR-SEMICOLON-ITEM: "$73 million water supply; $11 million forest care; $2 million forest
        # research": an amount whose own segment has no cue reads its own semicolon item and the
        # list's lead (before the first semicolon), not its sibling items
        for window in _item_and_lead(text, q_start, sentence):
            scores = _score(text, q_start, q_end, window, quantity_type, cues, sentence=sentence, bound=bound,
                            acronyms=acronyms)
            if scores:
                break
    if not scores and paragraph_start is not None:
        # INSTR-LETTERED-ITEM-LEAD: "... reimbursement of the harbour levy as follows - a. 90% for small
        # yards. b. 60% for medium yards.": an item with no cue of its own is of the list's lead
        lead = _list_lead(text, paragraph_start, sentence)
        if lead is not None:
            scores = _score(text, lead[1], lead[1], lead, quantity_type, cues, decay=False)
    if max(scores.values(), default=0.0) < cues.context_threshold:
        # INSTR-LIST-COLON-LEAD: "... may claim a tax credit as follows:" then "(1) For each solar
        # system: 35% of the cost": an item of a list set out under a lead ending in a colon reads the lead
        # an item of a nested list reads the lead of the list above when its own lead has no cue
        lead = _colon_lead(text, sentence)
        for _level in range(_LEAD_LEVELS):
            if lead is None:
                break
            found = _score(text, lead[1], lead[1], lead, quantity_type, cues, decay=False)
            if found:
                for name, value in found.items():
                    scores[name] = scores.get(name, 0.0) + value
                break
            lead = _colon_lead(text, lead)
    if max(scores.values(), default=0.0) < cues.context_threshold:
        topic = _topic_scores(text, sentence, quantity_type, section, paragraph_start, cues)
        if not scores and max(topic.values(), default=0.0) < cues.prior_only_min.get(quantity_type, 0.0):
            # "Ferry use stands at 84%" under a heading "Infrastructure": a quantity with no cue of its
            # own keeps its type's default unless the topic is clear (prior_only_min, instrument_cues.yaml)
            topic = {}
        for name, value in topic.items():
            scores[name] = scores.get(name, 0.0) + value
    if cues.generic_class and scores and max(scores, key=lambda c: (scores[c], -cues.priority.index(c))) \
            == cues.generic_class and not _score(text, q_start, q_end, sentence, quantity_type, cues,
                                                 sentence=sentence, specific_only=True).get(cues.generic_class):
        # "22 awards were made" in a paragraph on research: generic funding words alone
        # take the specific class that the sentence or its paragraph is about (a section
        # title alone is too weak: "Research policy" also holds energy subsidies).
        topic = _topic_scores(text, sentence, quantity_type, "", paragraph_start, cues)
        # INSTR-REFINE-OWN-CLAUSE: only the quantity's own clause refines it: in "(1) funded
        # research on ferries; (2) gave boatyards grants of 30%" the research is item (1)'s
        whole = _score(text, q_start, q_end, _semicolon_part(text, q_start, sentence),
                       quantity_type, cues, decay=False)
        topic = {c: topic.get(c, 0.0) + whole.get(c, 0.0) for c in cues.refines_generic}
        # INSTR-NAMED-RECIPIENT-TOPIC: "$30 million for the Ferry Research Institute": the name
        # of the body or programme that receives generic funding says what it is for (the
        # names are blanked in ``text``, so they are read here, whole, once)
        for name in recipients:
            for c, v in _score(name, 0, 0, (0, len(name)), quantity_type, cues, decay=False).items():
                if c in topic:
                    topic[c] += v
        topic = {c: v for c, v in topic.items() if v >= cues.refine_min_score}
        if topic:
            best_topic = max(topic, key=lambda c: (topic[c], -cues.priority.index(c)))
            scores[best_topic] = scores[cues.generic_class] + topic[best_topic]
    if not scores:
        # LINK-DEFAULT-REINTERPRETED: a quantity with no cue at all holds its type's default as a
        # token score, so that the reinterpretations read it too ("visitors spent $900 million": the
        # default spending of an amount becomes a statistic, as a cued one does)
        scores = {cues.defaults.get(quantity_type, "indicator"): 1e-6}
    sentence_text = text[max(0, sentence[0]):max(0, sentence[1])]
    for pattern, source, target, _rule in cues.reinterpret:
        if source in scores and pattern.search(sentence_text):
            scores[target] = scores.get(target, 0.0) + scores.pop(source)
    _reinterpret_near(scores, cues.reinterpret_before, text[max(0, sentence[0], q_start - 120):q_start], quantity_type)
    _reinterpret_near(scores, cues.reinterpret_after, text[q_end:max(q_end, min(sentence[1], q_end + 120))],
                      quantity_type)
    best = max(scores.values(), default=0.0)
    if best > 0:
        tied = [c for c, v in scores.items() if v >= best - 1e-9]
        return min(tied, key=cues.priority.index)
    return cues.defaults.get(quantity_type, "indicator")


def described_scores(text: str, lo: int, hi: int, quantity_type: str) -> dict[str, float]:
    """Cue scores of the text [lo, hi) read back from ``hi``, decayed as a paragraph prior is: what
    the sentence at ``hi`` refers to as "this measure" (INSTR-MEASURE-COST)."""
    cues = load_cues()
    return _score(text, hi, hi, (lo, hi), quantity_type, cues, decay_chars=cues.paragraph_decay_chars)


def _reinterpret_near(scores: dict[str, float], rules: list, near_text: str, quantity_type: str) -> None:
    """Move a class's score to another where the text right before (or after) the quantity
    matches a reinterpretation; ``unless_other`` drops it instead when another class scored."""
    for pattern, source, target, quantity_types, _rule, unless_other in rules:
        if source in scores and quantity_type in quantity_types and pattern.search(near_text):
            moved = scores.pop(source)
            if not (unless_other and scores):
                scores[target] = scores.get(target, 0.0) + moved


def _semicolon_part(text: str, q_start: int, window: tuple[int, int]) -> tuple[int, int]:
    """The part of ``window`` between the semicolons around ``q_start`` (the whole window
    when it has none): enumerated items "(1) ...; (2) ..." are separate measures."""
    lo, hi = max(0, window[0]), max(0, window[1])
    before = text.rfind(";", lo, q_start)
    after = text.find(";", q_start, hi)
    return (before + 1 if before >= 0 else lo, after if after >= 0 else hi)


def _item_and_lead(text: str, q_start: int, sentence: tuple[int, int]) -> list[tuple[int, int]]:
    """The windows an amount without a cue of its own reads: the whole sentence, or, in a list of
    two or more semicolon items, its own item and then the list's lead (the first item's text)."""
    lo, hi = max(0, sentence[0]), max(0, sentence[1])
    if text.count(";", lo, hi) < 2:
        return [(lo, hi)]
    own = _semicolon_part(text, q_start, (lo, hi))
    lead = (lo, text.find(";", lo, hi))
    return [own] if own[0] == lo else [own, lead]


_ITEM_OPENS = re.compile(r"\s*\(?([b-h]|i{2,3}|iv|v|vi{1,3})[.)]\s")
_ITEM_BEFORE = re.compile(r"(?<![\w(])\(?([b-h]|i{2,3}|iv|v|vi{1,3})[.)]\s*$")
_FIRST_ITEM = {"b": "a", "c": "a", "d": "a", "e": "a", "f": "a", "g": "a", "h": "a",
               "ii": "i", "iii": "i", "iv": "i", "v": "i", "vi": "i", "vii": "i", "viii": "i"}


def _list_lead(text: str, paragraph_start: int, sentence: tuple[int, int]) -> Optional[tuple[int, int]]:
    """(start, end) of the lead of the enumerated list whose later item ("b.", "(c)", "ii.")
    opens ``sentence``: the paragraph's text before the list's first item mark, or None."""
    opened = _ITEM_OPENS.match(text, max(0, sentence[0]))
    if opened is None:      # the sentence splitter may leave the mark on the sentence before
        opened = _ITEM_BEFORE.search(text, max(0, sentence[0] - 8), max(0, sentence[0]))
    if opened is None:
        return None
    first = _FIRST_ITEM[opened.group(1)]
    mark = re.compile(r"(?<![\w(])\(?" + first + r"[.)]\s")
    hit = mark.search(text, paragraph_start, sentence[0])
    if hit is None or hit.start() - paragraph_start < 12:
        return None
    return paragraph_start, hit.start()


_ANY_ITEM_MARK = re.compile(r"\s*(?:\(\s*(?:[A-Za-z]|\d{1,2}|[ivx]{1,4})\s*\)|(?:[A-Za-z]|\d{1,2}|[ivx]{1,4})[.)])\s")
_COLON_END = re.compile(r":\s*\n")
_COLON_REACH = 1500
_LEAD_LEVELS = 2


def _mark_style(mark: str) -> Optional[tuple[str, str]]:
    """The style of an item mark, ("(", "digit") for "(2)", (".", "upper") for "B.": siblings share it."""
    core = mark.strip()
    bracket = "(" if core.startswith("(") else core[-1:]
    body = core.strip("().")
    if body.isdigit():
        return bracket, "digit"
    if re.fullmatch(r"[ivx]{1,4}", body) and body not in ("i", "v", "x") or re.fullmatch(r"[IVX]{2,4}", body):
        return bracket, "roman"
    if len(body) == 1 and body.isalpha():
        return bracket, "upper" if body.isupper() else "lower"
    return None


def _colon_lead(text: str, sentence: tuple[int, int]) -> Optional[tuple[int, int]]:
    """(start, end) of the lead sentence ending in a colon of the list whose item opens ``sentence``
    (every paragraph between the lead and the sentence is an item too), or None."""
    start = max(0, sentence[0])
    own = _ANY_ITEM_MARK.match(text, start)
    if not own:
        return None
    lo = max(0, start - _COLON_REACH)
    colons = list(_COLON_END.finditer(text, lo, start))
    # LINK-LIST-LEAD-SIBLING: "(2) For the other hulls, the caps are:" climbs past its sibling "(1) For
    # small hulls, the caps are:" to the lead of both ("The credit shall not exceed a cap, as follows:")
    style = _mark_style(own.group(0))
    while colons and style is not None:
        newline = text.rfind("\n", lo, colons[-1].start())
        if newline < 0:
            break           # the colon's line starts beyond the reach: no way to tell
        above = _ANY_ITEM_MARK.match(text, newline + 1)
        if above is None or _mark_style(above.group(0)) != style:
            break
        colons.pop()
    colon = colons[-1] if colons else None
    if colon is None:
        return None
    between = [chunk for chunk in text[colon.end():start].split("\n") if chunk.strip()]
    if not all(_ANY_ITEM_MARK.match(chunk) for chunk in between):
        return None
    lead_start = max(text.rfind(". ", lo, colon.start()) + 2, text.rfind("\n", lo, colon.start()) + 1, lo)
    return lead_start, colon.start()


def _topic_scores(text: str, sentence: tuple[int, int], quantity_type: str, section: str,
                  paragraph_start: Optional[int], cues: Cues) -> dict[str, float]:
    """Weighted cue scores of the section path and of the paragraph before the sentence."""
    out: dict[str, float] = {}
    priors: list[tuple[float, dict[str, float], set[str] | frozenset[str]]] = []
    if section.strip() and cues.section_weight > 0:
        priors.append((cues.section_weight, _section_scores(section, quantity_type), cues.prior_classes))
    if paragraph_start is not None and paragraph_start < sentence[0] and cues.paragraph_weight > 0:
        # the paragraph before the sentence, at most paragraph_reach_chars of it: a cue
        # further away weighs under a tenth of a near one, and scanning a page-long
        # "paragraph" once per quantity was the link stage's main cost
        lo = max(paragraph_start, sentence[0] - cues.paragraph_reach_chars)
        priors.append((cues.paragraph_weight,
                       _score(text, sentence[0], sentence[0], (lo, sentence[0]), quantity_type,
                              cues, decay_chars=cues.paragraph_decay_chars),
                       cues.paragraph_prior_classes & cues.prior_classes))
    for weight, topic, allowed in priors:
        for name, value in topic.items():
            if name in allowed:
                out[name] = out.get(name, 0.0) + weight * value
    return out


@functools.lru_cache(maxsize=4096)
def _section_scores(section: str, quantity_type: str) -> dict[str, float]:
    """Cue scores of a section path (no decay), once per section and quantity type."""
    return _score(section, 0, 0, (0, len(section)), quantity_type, load_cues(), decay=False)


_RATE_END = re.compile(r"(?i)\d\s*(?:%|per\s?cent\b|percent\b)")


def _rate_bases_in(text: str, lo: int, hi: int, q_end: int, quantity_type: str, cues: Cues) -> list[tuple[int, int]]:
    """The bases ("of fixed capital investment") that name the receiver's outlay (rate_base_words):
    of the rates written in text[lo:hi], and of the quantity's own rate ending at ``q_end``."""
    ends = [m.end() for m in _RATE_END.finditer(text, lo, hi)]
    if quantity_type == "percent":
        ends.append(q_end)
    out = []
    for start in ends:
        end = rate_base_end(text, start)
        if end > start and cues.rate_base_words.search(text, start, end):
            out.append((start, end))
    return out


def _score(text: str, q_start: int, q_end: int, window: tuple[int, int], quantity_type: str,
           cues: Cues, decay: bool = True, decay_chars: Optional[float] = None,
           sentence: Optional[tuple[int, int]] = None, specific_only: bool = False,
           bound: str = "", acronyms: Optional[tuple[re.Pattern[str], Mapping[str, str]]] = None
           ) -> dict[str, float]:
    lo, hi = max(0, window[0]), min(len(text), max(window[1], q_end))
    lo = min(lo, q_start)
    chunk = text[lo:hi]
    chunk_lower = chunk.lower()
    before_text = text[lo:q_start]
    sentence_text = text[max(0, sentence[0]):max(0, sentence[1])] if sentence is not None else ""
    scores: dict[str, float] = {}
    # the words after "X% of" name what the rate is taken of, not an investment the measure
    # makes (INSTR-RATE-BASE-NOT-INVESTMENT, instrument_cues.yaml); so do those after any other
    # rate of the window ("a ceiling of 20% of the tax or 90% of capital investment"); read only
    # once a generic cue word is found in the window
    bases: Optional[list[tuple[int, int]]] = None if decay else []
    # LINK-ACRONYM-EXPANSION: "eligible for an HCTR of 8%" reads the cue words of "Harbour
    # Concessionary Tax Rate" where "HCTR" stands (not at its definition, where the long form is written)
    expansions: list[tuple[int, int, str]] = []
    if acronyms is not None and decay:
        pattern, long_forms = acronyms
        expansions = [(lo + a.start(), lo + a.end(), long_forms[a.group("short")])
                      for a in pattern.finditer(chunk) if not chunk[max(0, a.start() - 2):a.start()].strip(" ").endswith("(")]
    for name, class_cues in cues.classes.items():
        total = 0.0
        for cue in class_cues:
            if (specific_only and cue.generic) or (cue.quantities and quantity_type not in cue.quantities) \
                    or (cue.bounded and not (bound and cue.bounded in ("any", bound))) \
                    or (cue.unless_bounded and bound and cue.unless_bounded in ("any", bound)):
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
            for hit in (cue.pattern.finditer(chunk) if not cue.literal or cue.literal in chunk_lower else ()):
                if cue.outside and q_start <= lo + hit.start() and lo + hit.end() <= q_end:
                    continue   # "an estimated £60 million": the amount's own qualifier, its approx
                if name == cues.generic_class:
                    if bases is None:
                        bases = _rate_bases_in(text, lo, hi, q_end, quantity_type, cues)
                    if any(b0 <= lo + hit.start() and lo + hit.end() <= b1 for b0, b1 in bases):
                        continue
                d = distance(lo + hit.start(), lo + hit.end(), q_start, q_end) if decay else 0
                total += cue.weight / (1.0 + d / (decay_chars or cues.decay_chars))
            for a_start, a_end, long_form in expansions:
                if cue.pattern.search(long_form):
                    d = distance(a_start, a_end, q_start, q_end)
                    total += cue.weight / (1.0 + d / (decay_chars or cues.decay_chars))
        total *= cues.quantity_weights.get(name, {}).get(quantity_type, 1.0)
        if total > 0:
            scores[name] = total
    return scores
