"""ParsedDoc -> list[Mention]: run the pipeline over paragraphs, map back to body offsets.

Paragraphs go through ``nlp.pipe`` in batches (never one huge Doc); a
paragraph longer than the configured limit is cut at sentence-like breaks.
Document-level steps (acronym pairing, canonical names, variants seen again
in lower case) run after all paragraphs are processed.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Iterable, Iterator, Optional

from spacy.language import Language

from ..data_access import DataFileError, data_path, key_line, yaml_mapping
from ..jurisdiction import flag_fiscal_labels, localize_currencies, paper_country
from ..normalize.digits import exact_product, scale_words
from ..records import Mention, Paragraph, ParsedDoc
from .backrefs import acronyms_by_initials, back_references
from .candidates import ACRONYMS_KEY, SPANS_KEY, TIER, read_candidates
from .doc_name import document_name
from ..normalize.names import name_key
from .resolve import canonicalize
from .displaced import displaced_scale
from .leaders import leader_amounts
from .tables import find_table_money, header_scales
from .vocab import name_vocab

# one or more initials, an optional first name and a parenthesized nickname right before a
# name ("J. (Ann) ", "J. R. ", "Mary J. "), after "the" or a sentence/line start
_INITIALS_BEFORE = re.compile(r"(?:(?<=\bthe )|(?<=\bThe )|(?<=^)|(?<=\n))"
                              r"(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s*){1,3}(?:\([A-Z][a-z]+\)\s*)?\Z")

_MENTION_FIELDS = ("canonical", "iso3", "value", "currency", "low", "high", "from_value", "approx", "year", "month",
                   "flags", "unit", "table_cell", "column_start", "column_end")


@dataclass
class _Piece:
    doc_index: int
    offset: int        # where this piece starts in the body text
    text: str
    heading: bool = False


@dataclass
class _DocState:
    parsed: ParsedDoc
    mentions: list[Mention] = field(default_factory=list)
    acronyms: list[tuple[int, int, str]] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)


def _split_long(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """(local offset, piece) with each piece at most ``limit`` chars, cut after a sentence end."""
    pos = 0
    while len(text) - pos > limit:
        window = text[pos:pos + limit]
        cut = max((m.end() for m in re.finditer(r"[.!?]\s+|\n", window)), default=0)
        if cut < limit // 4:
            cut = window.rfind(" ") + 1 or limit
        yield pos, text[pos:pos + cut]
        pos += cut
    if pos < len(text):
        yield pos, text[pos:]


def _paragraph_ranges(parsed: ParsedDoc, with_kind: bool = False) -> list:
    text = parsed.text
    ranges = []
    for para in parsed.paragraphs:
        start, end = max(0, int(para.start)), min(len(text), int(para.end))
        if end > start:
            ranges.append((start, end, para.kind == "heading") if with_kind else (start, end))
    if with_kind and ranges:
        return ranges
    if not ranges and text.strip():
        # No paragraph structure: split the body at blank lines.
        pos = 0
        for block in re.split(r"(\n\s*\n)", text):
            if block.strip() and not re.fullmatch(r"\n\s*\n", block):
                ranges.append((pos, pos + len(block), False) if with_kind else (pos, pos + len(block)))
            pos += len(block)
    return ranges


def _pieces(states: list[_DocState], limit: int) -> Iterator[_Piece]:
    for i, state in enumerate(states):
        text = state.parsed.text
        for start, end, heading in _paragraph_ranges(state.parsed, with_kind=True):
            for local, piece in _split_long(text[start:end], limit):
                if piece.strip():
                    yield _Piece(i, start + local, piece, heading)


def _mention(parsed: ParsedDoc, start: int, end: int, kind: str, norm: dict[str, Any],
             sent: tuple[int, int]) -> Mention:
    m = Mention(doc_id=parsed.doc_id, mention_id=f"{parsed.doc_id}:m{start}-{end}-{kind}", type=kind,
                text=parsed.text[start:end], start=start, end=end, page=parsed.page_at(start),
                section=parsed.section_at(start), sent_start=sent[0], sent_end=sent[1],
                ocr_confidence=parsed.ocr_confidence_at(start))
    for name in _MENTION_FIELDS:
        value = norm.get(name)
        if value is not None and value != "":
            setattr(m, name, value)
    # Hints for document-level canonicalization; not a Mention field.
    m.norm_extra = {k: norm[k] for k in ("acronym", "acronym_of", "alias_of") if norm.get(k)}  # type: ignore[attr-defined]
    return m


def _sentence_of(state: _DocState, offset: int) -> tuple[int, int]:
    i = bisect.bisect_right(state.sentences, (offset, float("inf"))) - 1
    if 0 <= i < len(state.sentences) and state.sentences[i][0] <= offset < state.sentences[i][1] + 1:
        return state.sentences[i]
    return (offset, offset)


def _overlaps(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    return [m for m in mentions if m.start < end and start < m.end]


def _finish(state: _DocState, nlp_vocab_heads: frozenset[str]) -> list[Mention]:
    parsed, mentions = state.parsed, state.mentions
    state.sentences.sort()
    # 1. Bare acronyms that the document pairs with a name elsewhere.
    known: dict[str, tuple[str, str]] = {}
    for m in mentions:
        extra = getattr(m, "norm_extra", {})
        if m.type in ("PROGRAM", "ORG") and extra.get("acronym"):
            known.setdefault(extra["acronym"], (m.type, m.text))
    for start, end, acr in state.acronyms:
        if acr in known and not _overlaps(mentions, start, end):
            kind, expansion = known[acr]
            mentions.append(_mention(parsed, start, end, kind, {"acronym_of": expansion}, _sentence_of(state, start)))
    # 1a. Initials before a name.
    # EXTRACT-NAME-INITIALS: a name's initials and a nickname in parentheses belong to it ("the J. (Ann) Moreno Program")
    for k, m in enumerate(mentions):
        if m.type in ("PROGRAM", "ORG"):
            lead = _INITIALS_BEFORE.search(parsed.text, max(0, m.start - 40), m.start)
            if lead is not None and lead.start() < m.start and not _overlaps(mentions, lead.start(), m.start):
                extra = getattr(m, "norm_extra", {})
                start = lead.start()
                new = replace(m, start=start, text=parsed.text[start:m.end],
                              mention_id=f"{parsed.doc_id}:m{start}-{m.end}-{m.type}")
                new.norm_extra = extra  # type: ignore[attr-defined]
                mentions[k] = new
    # 1b. The document's own name in its title block (doc_name.py, EXTRACT-DOC-NAME).
    own = document_name(parsed, name_vocab())
    if own is not None:
        clash = _overlaps(mentions, *own)
        # EXTRACT-DOC-NAME-WHOLE: a programme name inside the title's name is a piece of it
        # ("Policy of Coastal Province 2031" inside "Harbour Investment Policy of Coastal Province 2031")
        if not any((TIER.get(c.type, 9) <= TIER["COUNT"] or c.type in ("PROGRAM", "ORG"))
                   and not (c.type == "PROGRAM" and own[0] <= c.start and c.end <= own[1]) for c in clash):
            for c in clash:
                mentions.remove(c)          # a sector or place word inside the name
            mentions.append(_mention(parsed, own[0], own[1], "PROGRAM", {}, _sentence_of(state, own[0])))
    # 2. Later variants of multi-word or versioned names, in any case.
    names = {}
    for m in mentions:
        if m.type in ("PROGRAM", "ORG") and (len(m.text.split()) >= 2 or re.search(r"\d", m.text)) and len(m.text) >= 6:
            names.setdefault(name_key(m.text), (m.type, m.text))
    if names:
        text = parsed.text
        # Versioned names recur in any case ("society 5.0"); other names only
        # as written, so "Customer Service" does not catch "customer service".
        def alt(v: str) -> str:
            body = re.escape(v).replace(r"\ ", r"\s+")
            return f"(?i:{body})" if re.search(r"\d", v) else body
        pattern = re.compile(r"(?<![\w-])(?:" + "|".join(
            alt(v[1]) for v in sorted(names.values(), key=lambda v: -len(v[1]))) + r")(?![\w-])")
        for hit in pattern.finditer(text):
            start, end = hit.start(), hit.end()
            if any(a <= start < b for a, b in state.headings):
                continue
            clash = _overlaps(mentions, start, end)
            if any(TIER.get(c.type, 9) <= TIER["COUNT"] for c in clash):
                continue
            key = name_key(hit.group(0))
            if key not in names and name_key(re.sub(r"\s+", " ", hit.group(0))) not in names:
                continue
            for c in clash:
                mentions.remove(c)
            mentions.append(_mention(parsed, start, end, names[key][0], {}, _sentence_of(state, start)))
    # 2a. "the Commission" / "the Union" after the full name; acronyms that spell a name.
    vocab = name_vocab()

    def make(start: int, end: int, kind: str, norm: dict[str, Any]) -> Mention:
        return _mention(parsed, start, end, kind, norm, _sentence_of(state, start))

    def name_of(m: Mention) -> str:
        extra = getattr(m, "norm_extra", {})
        return extra.get("alias_of") or extra.get("acronym_of") or m.text

    named = [replace(m, canonical=name_of(m)) if m.type in ("PROGRAM", "ORG") else m for m in mentions]
    outside_headings = [a for a in state.acronyms if not any(h0 <= a[0] < h1 for h0, h1 in state.headings)]
    spelled = acronyms_by_initials(parsed.text, named, outside_headings, vocab, make)
    replaced = {(m.start, m.end, m.type) for m in spelled}
    mentions[:] = [m for m in mentions if (m.start, m.end, m.type) not in replaced] + spelled
    named = [replace(m, canonical=name_of(m)) if m.type in ("PROGRAM", "ORG") else m for m in mentions]
    mentions += back_references(parsed.text, named, vocab, make)
    # 2b. Spelling variants of names that end in a year or version ("ICT 2030"
    # for "ICT2030 Plan", "Made-in-Korea 2030"): the year is part of the name, not a DATE.
    _versioned_variants(state)
    # 2c. Names that are classes or carry a year that is no part of them; bodies named by acronym.
    mentions[:] = _drop_class_names(mentions)
    mentions += _acronym_actors(parsed.text, mentions, make)
    # 2d. A body the paper names by a bare acronym ("HFDA will provide") is that body
    # wherever the acronym stands again ("allocated by the HFDA").
    _acronym_orgs_again(state)
    mentions[:] = _split_leading_year(parsed.text, mentions, make)
    # 3. One canonical name and iso3 per PROGRAM / ORG entity.
    canonicalize(mentions, nlp_vocab_heads)
    # 4. Money cells of tables whose currency and scale stand in the column header.
    table_markers: dict[tuple[int, int], str] = {}
    mentions += _table_money(parsed, mentions, table_markers)
    # 4b. Dot-leader lines whose amounts carry no currency sign (EXTRACT-MONEY-DOT-LEADER).
    money = [(m.start, m.end, m.currency, m.unit) for m in mentions if m.type == "MONEY"]
    mentions += [_mention(parsed, a.start, a.end, "MONEY", {"value": a.value, "currency": a.currency, "unit": a.marker},
                          _sentence_of(state, a.start))
                 for a in leader_amounts(parsed.text, money)
                 if not _overlaps(mentions, a.start, a.end)]
    # 4c. A scale word the layout set apart from its amount ("Ksh 5.2 Harbour centre billion ...").
    for k, m in enumerate(mentions):
        if m.type == "MONEY" and m.value is not None and m.low is None and m.from_value is None:
            found = displaced_scale(parsed.text, m.text, m.end)
            if found is not None:
                flags = "; ".join(f for f in (m.flags, f"scale displaced: {found.word}") if f)
                mentions[k] = replace(m, value=exact_product(m.value, found.multiplier), flags=flags)
    for m in mentions:
        if m.type == "SECTOR" and not m.canonical:
            m.canonical = m.text.lower()
        if hasattr(m, "norm_extra"):
            del m.norm_extra
    mentions = [m for m in mentions if parsed.text[m.start:m.end] == m.text]
    # 5. "$", "dollars", "Rs" in a paper about one country: that country's currency.
    country = paper_country(mentions)
    mentions = localize_currencies(mentions, country, table_markers)
    # 5b. Rows of "$30.96 $33.52" under a "($BILLIONS)" header take the header's scale.
    mentions = _scale_table_rows(parsed.text, mentions)
    # 5c. A chart's axis ticks flattened into the text ("$0 $100 $200 $300 ...") are no amounts.
    mentions = _drop_axis_ticks(parsed.text, mentions)
    # 6. "FY2026" in a paper of a country that names fiscal years by their end.
    mentions = flag_fiscal_labels(mentions, country)
    mentions.sort(key=lambda m: (m.start, m.end, m.type))
    return mentions


# EXTRACT-ACRONYM-ORG-AGAIN: a body named by a bare acronym is that body wherever the acronym stands again
_BARE_ACRONYM = re.compile(r"[A-Z][A-Z&]{2,7}")


def _acronym_orgs_again(state: _DocState) -> None:
    """EXTRACT-ACRONYM-ORG-AGAIN: the other stand-alone occurrences of an ORG that is a bare
    acronym, outside headings and other mentions."""
    parsed, mentions = state.parsed, state.mentions
    acronyms = sorted({m.text for m in mentions if m.type == "ORG" and _BARE_ACRONYM.fullmatch(m.text)})
    if not acronyms:
        return
    pattern = re.compile(r"(?<![\w&/-])(?:" + "|".join(map(re.escape, acronyms)) + r")(?![\w&/-])")
    for hit in pattern.finditer(parsed.text):
        start, end = hit.start(), hit.end()
        if any(a <= start < b for a, b in state.headings) or _overlaps(mentions, start, end):
            continue
        mentions.append(_mention(parsed, start, end, "ORG", {}, _sentence_of(state, start)))


# EXTRACT-AXIS-TICKS: five or more amounts counting up from zero in an even step, with only spaces between, are a chart's axis
_MIN_TICKS = 5
_ZERO_TICK = re.compile(r"(?:^|\s)[$€£¥]?\s?[-–—]\s+$")


def _drop_axis_ticks(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop runs of at least _MIN_TICKS MONEY or PERCENT mentions of one type whose values rise
    from zero by one even step and stand with nothing but spaces between them (a chart's value
    axis). A table row of rates ("10% 25% 30%") is no such run."""
    amounts = sorted((m for m in mentions if m.type in ("MONEY", "PERCENT") and m.value is not None),
                     key=lambda m: m.start)
    drop: set[int] = set()
    run: list[Mention] = []

    def close() -> None:
        # an axis counts up from a zero tick: "0%", "$0", or a dash "$-" right before one step
        if len(run) < _MIN_TICKS:
            return
        if run[0].value == 0 or (abs(run[0].value - (run[1].value - run[0].value)) < 1e-9
                                 and _ZERO_TICK.search(text[max(0, run[0].start - 6):run[0].start])):
            drop.update(id(m) for m in run)

    for m in amounts:
        if run and (m.type != run[-1].type or text[run[-1].end:m.start].strip()
                    or (len(run) >= 2 and abs((m.value - run[-1].value) - (run[1].value - run[0].value)) > 1e-9)
                    or m.value <= run[-1].value):
            close()
            run = []
        run.append(m)
    close()
    return [m for m in mentions if id(m) not in drop] if drop else mentions


# EXTRACT-PROGRAM-CLASS-PLURAL: a project name the paper also writes in the plural names a class of projects
_CLASS_HEADS = frozenset({"project", "projects"})


def _drop_class_names(mentions: list[Mention]) -> list[Mention]:
    """"Pilot Projects are those ...; a Pilot Project gets ...": a name the paper uses in
    the plural ("Expansion Projects") is a kind of project that rules define, not one
    funded project, and its singular ("Expansion Project") is the same class."""
    def split(m: Mention) -> tuple[str, str]:
        words = m.text.split()
        return " ".join(words[:-1]).casefold(), words[-1].casefold() if words else ""
    classes = {stem for m in mentions if m.type == "PROGRAM"
               for stem, head in [split(m)] if head == "projects" and stem}
    if not classes:
        return mentions
    return [m for m in mentions if not (m.type == "PROGRAM" and split(m)[1] in _CLASS_HEADS
                                        and split(m)[0] in classes)]


# EXTRACT-ACRONYM-ACTOR: a body named only by its acronym, as the subject of a funding verb, is an ORG
@functools.lru_cache(maxsize=1)
def _acronym_actor_re() -> tuple[re.Pattern[str], frozenset[str], re.Pattern[str]]:
    data = yaml_mapping("acronym_actors.yaml")
    heads = "|".join(re.escape(str(h)) for h in data.get("heads") or [])
    aux = "|".join(re.escape(str(a)).replace(r"\ ", r"\s+") for a in data.get("aux") or [])
    verbs = "|".join(re.escape(str(v)) for v in data.get("verbs") or [])
    if not verbs:
        raise DataFileError(data_path("acronym_actors.yaml"), key_line("acronym_actors.yaml", "verbs"),
                            "verbs: a list of verb stems is needed")
    pattern = re.compile(rf"(?<![\w&-])(?P<name>{_BARE_ACRONYM.pattern}(?:\s+(?:{heads}))?)(?![\w&-])"
                         rf"\s+(?P<aux>(?:(?:{aux})\s+)*)(?P<verb>(?:{verbs})\w*)")
    things = "|".join(re.escape(str(w)) for w in data.get("thing_nouns") or []) or r"(?!x)x"
    return pattern, frozenset(str(w).upper() for w in data.get("stop") or []), re.compile(rf"\s+(?:{things})\b")


_ACTOR_AMOUNT_REACH = 80     # characters from the verb to the amount it takes
# EXTRACT-ACRONYM-ACTOR-THING: an acronym written twice before a thing noun ("the ABC project") names a kind of project
_THING_USES = 2


_BARE_ACRONYM_WORD = re.compile(rf"(?<![\w&-])({_BARE_ACRONYM.pattern})(?![\w&-])")


def _thing_acronyms(text: str, thing: re.Pattern[str]) -> frozenset[str]:
    """Acronyms written _THING_USES times or more right before a thing noun ("ABC project")."""
    counts = Counter(m.group(1) for m in _BARE_ACRONYM_WORD.finditer(text) if thing.match(text, m.end()))
    return frozenset(a for a, n in counts.items() if n >= _THING_USES)


def _acronym_actors(text: str, mentions: list[Mention], make) -> list[Mention]:
    pattern, stop, thing = _acronym_actor_re()
    amounts = sorted(m.start for m in mentions if m.type in ("MONEY", "PERCENT"))
    found: list[Mention] = []
    things: Optional[frozenset[str]] = None
    for m in pattern.finditer(text):
        start, end = m.start("name"), m.end("name")
        acronym = m.group("name").split()[0]
        if acronym.upper() in stop or _overlaps(mentions, start, end) or _overlaps(found, start, end):
            continue
        things = _thing_acronyms(text, thing) if things is None else things
        if acronym in things:
            continue      # "the ABC project" twice: a kind of project, no body
        i = bisect.bisect_left(amounts, m.end())
        if i >= len(amounts) or amounts[i] - m.end() > _ACTOR_AMOUNT_REACH \
                or "." in text[m.end():amounts[i]].replace(". ", "|"):
            continue      # the verb must take an amount ("HFDA will provide 40 million dollars")
        found.append(make(start, end, "ORG", {}))
    return found


# EXTRACT-ORG-LEADING-YEAR: "the 2013 World Bank survey": a year before a body's name dates the text, it is no name word
_LEADING_YEAR = re.compile(r"((?:19|20)\d\d)\s+(?=[A-Z])")


def _split_leading_year(text: str, mentions: list[Mention], make) -> list[Mention]:
    out = []
    for m in mentions:
        hit = _LEADING_YEAR.match(m.text) if m.type == "ORG" else None
        if hit is None or len(m.text.split()) < 3:
            out.append(m)
            continue
        start = m.start + hit.end()
        extra = getattr(m, "norm_extra", {})
        trimmed = replace(m, start=start, text=text[start:m.end], mention_id=f"{m.doc_id}:m{start}-{m.end}-ORG")
        trimmed.norm_extra = extra  # type: ignore[attr-defined]
        out.append(trimmed)
        out.append(make(m.start, m.start + 4, "DATE", {"year": int(hit.group(1))}))
    return out


def _scale_table_rows(text: str, mentions: list[Mention]) -> list[Mention]:
    """Amounts with a currency sign but no scale, in table rows under a header that declares
    one (tables.header_scales), are multiplied by it; the flag says so."""
    words = scale_words()
    amounts = [(m.start, m.end, m.currency or "", any(w.lower() in words or w in words
                                                      for w in re.findall(r"[^\W\d_]+", m.text)))
               for m in mentions if m.type == "MONEY" and not m.table_cell and m.value is not None]
    scales = header_scales(text, amounts)
    if not scales:
        return mentions
    out = []
    for m in mentions:
        mult = scales.get((m.start, m.end)) if m.type == "MONEY" else None
        if mult is None:
            out.append(m)
            continue
        note = f"scaled by {mult:g} from its table's header"

        def scaled(v: float | None, k: float = mult) -> float | None:   # exact: 33.52 x 1e9 = 33520000000
            return float(Decimal(repr(v)) * Decimal(repr(k))) if v is not None else None
        out.append(replace(m, value=scaled(m.value), low=scaled(m.low), high=scaled(m.high),
                           flags="; ".join(f for f in (m.flags, note) if f)))
    return out


def _table_money(parsed: ParsedDoc, mentions: list[Mention],
                 markers: dict[tuple[int, int], str]) -> list[Mention]:
    """MONEY mentions of table cells (tables.py); the sentence of each is its row's line.
    A row that already holds an amount or a percentage is left alone, and so is a
    cell that overlaps another mention. ``markers`` gets each cell's header
    currency marker as written (the paper's own "$" is read later)."""
    found = []
    for cell in find_table_money(parsed.text):
        on_row = _overlaps(mentions, cell.row_start, cell.row_end)
        if any(m.type in ("MONEY", "PERCENT") for m in on_row) or _overlaps(on_row, cell.start, cell.end):
            continue
        named = 0 <= cell.column_start < cell.column_end
        norm = {"value": cell.value, "currency": cell.currency, "table_cell": True,
                "column_start": cell.column_start if named else None,
                "column_end": cell.column_end if named else None}
        found.append(_mention(parsed, cell.start, cell.end, "MONEY", norm, (cell.row_start, cell.row_end)))
        markers[(cell.start, cell.end)] = cell.marker
    return found


_NAME_NUMBER = re.compile(r"(?:19|20)\d\d|\d\.0")
_SOFT_TYPES = ("DATE", "COUNTRY", "REGION", "SECTOR", "COUNT")


def _variant_pattern(name: str) -> str | None:
    """'Made in Korea 2030' -> made[ -]*in[ -]*korea[ -]*2030 (up to its last year/version)."""
    chunks = re.findall(r"[A-Za-z]+|\d+(?:\.\d+)?", name)
    last = max((i for i, c in enumerate(chunks) if _NAME_NUMBER.fullmatch(c)), default=None)
    if last is None or last == 0 or not any(c.isalpha() for c in chunks[:last]):
        return None
    return r"[\s\-–_.]{0,2}".join(re.escape(c) for c in chunks[:last + 1])


def _versioned_variants(state: _DocState) -> None:
    parsed, mentions = state.parsed, state.mentions
    names: dict[str, str] = {}
    for m in mentions:
        if m.type == "PROGRAM":
            extra = getattr(m, "norm_extra", {})
            pat = _variant_pattern(m.text)
            if pat:
                names.setdefault(pat.lower(), extra.get("acronym_of") or extra.get("alias_of") or m.text)
    if not names:
        return
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(sorted(names, key=len, reverse=True)) + r")(?![\w])",
                         re.IGNORECASE)
    keys = list(names)
    compiled = [re.compile(k, re.IGNORECASE) for k in keys]
    for hit in pattern.finditer(parsed.text):
        start, end = hit.start(), hit.end()
        clash = _overlaps(mentions, start, end)
        if any(c.type not in _SOFT_TYPES for c in clash):
            continue  # already a name (or an amount) here
        if any(a <= start < b for a, b in state.headings):
            continue
        name = next((names[k] for k, rx in zip(keys, compiled) if rx.fullmatch(hit.group(0))), None)
        if name is None:
            continue
        for c in clash:
            mentions.remove(c)
        mentions.append(_mention(parsed, start, end, "PROGRAM", {"alias_of": name}, _sentence_of(state, start)))


def _is_whole_line(text: str, start: int, end: int) -> bool:
    """Only numbering, punctuation and spaces around [start, end)."""
    rest = text[:start] + text[end:]
    return not re.search(r"[A-Za-z]{2,}", rest)


def extract_many(parsed_docs: Iterable[ParsedDoc], nlp: Language) -> list[list[Mention]]:
    """Mentions for several documents, all paragraphs streamed through one nlp.pipe."""
    states = [_DocState(p) for p in parsed_docs]
    meta = nlp.meta.get("policyx", {})
    limit = int(meta.get("max_chars_per_doc", 100000))
    batch_size = int(meta.get("batch_size", 64))
    live = [s if s.parsed.status == "ok" else None for s in states]
    todo = [s for s in live if s is not None]
    pieces = list(_pieces(todo, min(limit, nlp.max_length - 1)))
    for doc, piece in nlp.pipe(((p.text, p) for p in pieces), as_tuples=True, batch_size=batch_size):
        state = todo[piece.doc_index]
        off = piece.offset
        if piece.heading:
            state.headings.append((off, off + len(piece.text)))
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        state.sentences.extend((a + off, b + off) for a, b in sents)
        starts = [s[0] for s in sents]

        def sent_of(local: int) -> tuple[int, int]:
            i = max(0, bisect.bisect_right(starts, local) - 1)
            return (sents[i][0] + off, sents[i][1] + off) if sents else (off, off + len(doc.text))

        for c in read_candidates(doc, SPANS_KEY):
            if piece.heading and c.type in ("PROGRAM", "ORG") and _is_whole_line(doc.text, c.start, c.end):
                continue  # a section heading line is not a name
            state.mentions.append(_mention(state.parsed, c.start + off, c.end + off, c.type, c.norm, sent_of(c.start)))
        for c in read_candidates(doc, ACRONYMS_KEY):
            state.acronyms.append((c.start + off, c.end + off, doc.text[c.start:c.end]))
    heads = name_vocab().program_heads
    return [_finish(s, heads) if s is not None else [] for s in live]


def extract_document(parsed: ParsedDoc, nlp: Language) -> list[Mention]:
    """Typed, normalized mentions of a parsed paper's body text ([] for an error doc)."""
    if parsed is None or parsed.status != "ok" or not parsed.text:
        return []
    return extract_many([parsed], nlp)[0]


def parsed_from_text(doc_id: str, text: str) -> ParsedDoc:
    """A one-paragraph ParsedDoc around a snippet (snippet mode, tests)."""
    return ParsedDoc(doc_id=doc_id, source_file="", format="txt", text=text, pages=1,
                     paragraphs=[Paragraph(text=text, page=1, start=0, end=len(text))] if text else [],
                     page_starts=[(0, 1)])
