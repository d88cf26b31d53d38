"""Blocks -> paragraphs: running headers and footers dropped, lines joined, headings
classified, paragraphs broken by a page, column, footnote or float joined again.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Optional

from ...normalize.divisions import is_division_heading
from ..blocks import RawBlock, RawPage
from ..repair import ends_sentence, join_lines, keep_hyphen, repair_line
from .cues import (
    BULLET_RE,
    EDGE_LINES,
    HEADER_FOOTER_SHARE,
    INNER_SENTENCE_END_RE,
    MAX_HEADING_WORDS,
    MD_PREFIX_RE,
    NUMBERED_HEADING_RE,
    RUN_IN_LEVEL,
    cue_words,
    heading_level_of_number,
    is_all_caps,
    is_caption,
    is_page_number_line,
    is_section_word,
    is_title_case,
    norm_key,
    split_captions,
)

# ---------------------------------------------------------------- paragraphs

@dataclass
class Para:
    text: str
    page: int
    kind: str = "body"            # body | heading | table
    level: int = 0                # heading level (1 = top); RUN_IN_LEVEL for run-in only
    strong: bool = False          # heading given by the reader/markup/font/numbering
    lines: list[list[str]] = field(default_factory=list)  # repaired lines, per block
    breaks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page)
    font_size: Optional[float] = None
    bold_lead: int = 0            # leading characters set in bold (a bold run-in head)
    caption: bool = False         # a table/figure caption the layout marks ("Table 2.3" on its own line)


def strip_headers_footers(pages: list[RawPage], meta: dict[str, Any]) -> list[list[tuple[RawBlock, list[str]]]]:
    """Repaired lines per block per page, running headers/footers/page numbers removed."""
    repaired: list[list[tuple[RawBlock, list[str]]]] = []
    for page in pages:
        blocks = []
        for block in page.blocks or []:
            if block.kind == "header_footer":
                meta.setdefault("headers_footers", []).append(" ".join(block.lines)[:200])
                continue
            bold = block.line_bold_chars or []
            pairs = [(repair_line(ln).strip(), bold[i] if i < len(bold) else 0)
                     for i, ln in enumerate(block.lines or []) if isinstance(ln, str)]
            pairs = [(ln, b) for ln, b in pairs if ln]
            if pairs:
                if bold:
                    kept_bold = [b for _, b in pairs]
                    if kept_bold != bold:   # blocks are not changed in place, so an equal list is shared
                        block = replace(block, line_bold_chars=kept_bold)
                blocks.append((block, [ln for ln, _ in pairs]))
        repaired.append(blocks)

    def edge_positions(blocks) -> list[tuple[int, int]]:
        flat = [(bi, li) for bi, (_, lines) in enumerate(blocks) for li in range(len(lines))]
        if len(flat) <= 2 * EDGE_LINES:
            return flat
        return flat[:EDGE_LINES] + flat[-EDGE_LINES:]

    n_pages = len(repaired)
    page_edges = [edge_positions(blocks) for blocks in repaired]
    repeated: set[str] = set()
    sentences: set[str] = set()
    if n_pages >= 3:
        counts: Counter[str] = Counter()
        exact: Counter[str] = Counter()
        for blocks, edges in zip(repaired, page_edges):
            lines = {blocks[bi][1][li] for bi, li in edges}
            keys = {norm_key(line) for line in lines}
            counts.update(k for k in keys if k and k.strip("# ") and len(k) <= 200)
            exact.update({line.strip() for line in lines})
        threshold = max(3, math.ceil(HEADER_FOOTER_SHARE * n_pages))
        # a full sentence repeated at page edges is text, not a running header (unless it
        # continues one: PARSE-FOOTER-CONTINUATION below)
        repeated = {k for k, c in counts.items() if c >= threshold
                    and not (ends_sentence(k) and len(k.split()) > 3)}
        # the same sentence, word for word (numbers too), at the edges of many pages
        sentences = {k for k, c in exact.items() if c >= threshold and ends_sentence(k) and len(k.split()) > 3}

    if n_pages < 3:
        repeated = _repeated_running_lines(repaired)

    out: list[list[tuple[RawBlock, list[str]]]] = []
    for blocks, edges in zip(repaired, page_edges):
        drop: set[tuple[int, int]] = set()
        for bi, li in edges:
            line = blocks[bi][1][li]
            if (repeated and norm_key(line) in repeated) or (is_page_number_line(line) and blocks[bi][0].kind != "table"):
                drop.add((bi, li))
        # PARSE-FOOTER-CONTINUATION: a two-line running footer ("Disclaimer: this copy is for
        # information" / "purposes only. Certified copies come from the Clerk.") ends in a sentence;
        # that line, the same word for word on many pages, goes with the running line right before
        # or after it (in its block or the next)
        running = {e for e in edges if e in drop and norm_key(blocks[e[0]][1][e[1]]) in repeated}
        for k, (bi, li) in enumerate(edges):
            if blocks[bi][1][li].strip() in sentences \
                    and ((k > 0 and edges[k - 1] in running) or (k + 1 < len(edges) and edges[k + 1] in running)):
                drop.add((bi, li))
        kept_blocks = []
        for bi, (block, lines) in enumerate(blocks):
            kept = [ln for li, ln in enumerate(lines) if (bi, li) not in drop]
            if block.line_bold_chars and len(kept) != len(lines):
                block = replace(block, line_bold_chars=[b for li, b in enumerate(block.line_bold_chars)
                                                        if (bi, li) not in drop])
            for li, ln in enumerate(lines):
                if (bi, li) in drop and not is_page_number_line(ln):
                    meta.setdefault("headers_footers", []).append(ln[:200])
            # A running line away from the page edges (pages where figures or stamps
            # come after it) is still a running line when it stands alone in its block.
            if len(kept) == 1 and repeated and (n_pages < 3 or len(kept[0].split()) >= 3) and norm_key(kept[0]) in repeated:
                meta.setdefault("headers_footers", []).append(kept[0][:200])
                kept = []
            # A block that is only a page number (txt extraction) anywhere on the page.
            if len(kept) == 1 and block.kind != "table" and is_page_number_line(kept[0]) \
                    and not re.fullmatch(r"[ivxlcdm]+", kept[0].strip(), re.I):
                kept = []
            if kept:
                kept_blocks.append((block, kept))
        out.append(kept_blocks)
    # Keep the metadata small and deduplicated.
    if "headers_footers" in meta:
        meta["headers_footers"] = list(dict.fromkeys(meta["headers_footers"]))[:50]
    return out


def _repeated_running_lines(pages: list[list[tuple[RawBlock, list[str]]]]) -> set[str]:
    """Without page breaks (a text file), running headers are one-line blocks
    repeated >= 3 times that carry a page/volume number, a journal cue or "et al"."""
    counts: Counter[str] = Counter()
    raw: dict[str, set[str]] = {}
    for blocks in pages:
        for block, lines in blocks:
            if len(lines) == 1 and block.kind in ("text", "header_footer") and 3 <= len(lines[0].split()) <= 15 \
                    and not ends_sentence(lines[0]):
                key = norm_key(lines[0])
                counts[key] += 1
                raw.setdefault(key, set()).add(lines[0])
    cues = cue_words("journal_cues")
    return {k for k, c in counts.items()
            if c >= 3 and ("#" in k or "et al" in k or any(cue in k for cue in cues))
            and not _numbered_divisions(raw[k], c) and not any(_list_item_line(line) for line in raw[k])}


# PARSE-RUNNING-NOT-LIST-ITEM: "(B) $80 per berth per crane for shared yards; and", repeated under each kind
# of system in a law, is the same item of three lists: an item mark at its start, an amount in it or
# a list's "; and" / ";" at its end is body text, never a running header
_ITEM_LINE = re.compile(r"^\s*(?:\(?[A-Za-z0-9]{1,3}\)|[A-Za-z0-9]{1,3}[.)]\s)|[;,]\s*(?:and|or)?\s*$|[$\u20ac\u00a3\u00a5\u20b9]\s?\d")


def _list_item_line(line: str) -> bool:
    return bool(_ITEM_LINE.search(line))


# PARSE-DIVISION-NOT-RUNNING: "Sec. 7. FOR THE PORT AUTHORITY", then "Sec. 8. ...": a division
# word before the number and a different number each time is a run of section headings of a law
# or bill, not a running header
def _numbered_divisions(lines: set[str], count: int) -> bool:
    return len(lines) == count and is_division_heading(next(iter(lines)))


def _split_wrapped(lines: list[str]) -> list[list[str]]:
    """Split a hard-wrapped text block at paragraph ends and bullet lines."""
    if len(lines) < 3:
        return [lines]
    width = max(len(ln) for ln in lines)
    groups: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if groups[-1] and BULLET_RE.match(line):
            groups.append([])  # each list item is its own paragraph
        groups[-1].append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt and width >= 40 and len(line) < 0.7 * width and ends_sentence(line) and nxt[:1].isupper():
            groups.append([])
    return [g for g in groups if g]


def _classify_heading(text: str, block: RawBlock, body_font: Optional[float]) -> tuple[bool, int, bool]:
    """(is heading, level, strong) for one single-paragraph block."""
    md = MD_PREFIX_RE.match(text)
    if block.kind == "heading":
        if md:
            return True, len(md.group(1)), True
        m = NUMBERED_HEADING_RE.match(text)
        return True, heading_level_of_number(m.group("num")) if m else 1, True
    words = len(text.split())
    if words == 0 or words > MAX_HEADING_WORDS or len(text) > 200 or is_caption(text):
        return False, 0, False
    if body_font and block.font_size and block.font_size < body_font * 0.95:
        return False, 0, False  # footnotes, table cells and captions are set smaller
    if _field_line(text) or _LEADER_LINE_RE.search(text):
        return False, 0, False
    if is_section_word(text):
        return True, 1, True
    m = NUMBERED_HEADING_RE.match(text)
    if m:
        title = m.group("title")
        # PARSE-HEADING-OPEN-END: a numbered line ending in a small word ("5.2 Units should
        # submit the list of staff trained with their") is a sentence broken at a page end
        open_end = title.split()[-1].lower().strip(",;:") in cue_words("title_case_minor_words")
        # PARSE-HEADING-COUNT-END: ... or in a number after a lower-case word ("12. Since then,
        # universities have created nearly 300"): a count cut off from its noun, not a title
        words = title.split()
        open_end = open_end or (len(words) > 2 and re.fullmatch(r"\d[\d,.]*", words[-1]) is not None
                                and words[-2][:1].islower() and not re.fullmatch(r"(?:19|20)\d\d", words[-1]))
        if title[:1].isupper() and not title.rstrip().endswith((".", ",", ";")) and len(title.split()) <= 15 \
                and not re.match(r"^\d", title) and any(c.isalpha() for c in title) and not open_end:
            return True, heading_level_of_number(m.group("num")), True
        return False, 0, False
    if body_font and block.font_size and block.font_size >= body_font * 1.15 and words <= MAX_HEADING_WORDS \
            and not text.endswith((",", ";")):
        return True, 0, True  # level from the font rank, set later
    if text.endswith((",", ";", ":")):
        return False, 0, False
    if text.endswith("."):
        # a lone title-case sentence ("Improve the X Mechanism.") is a run-in heading
        if is_title_case(text.rstrip(".").strip(), min_words=2) and "." not in text.rstrip(".").replace("U.S", ""):
            return True, RUN_IN_LEVEL, False
        return False, 0, False
    if is_title_case(text) or is_all_caps(text) or (block.bold and words <= 12 and text[:1].isupper()):
        return True, 1, False
    return False, 0, False


# PARSE-LEADER-LINE: "From the Harbour Fund ........ 3,074,368": a line that ends in dot leaders
# and an amount is an item of a list or a table row, not a heading
_LEADER_LINE_RE = re.compile(r"\.{4,}\s*\$?\s*[\d,.]*\d\s*$")
_FIELD_LINE_RE = re.compile(r"^(?P<label>[A-Za-z][^:\d]{1,80}):\s+(?P<value>\S.*)$")


# PARSE-FIELD-LINE: "Indicative budget: EUR 2 million", "Call opening: Q1 2026": a label, a colon
# and a short value with a number or date is a form's field, not a heading (set in bold or not)
def _field_line(text: str) -> bool:
    m = _FIELD_LINE_RE.match(text.strip())
    if m is None:
        return False
    label, value = m.group("label").split(), m.group("value").split()
    return len(label) <= 8 and len(value) <= 6 and any(c.isdigit() for c in m.group("value"))


def _body_font_size(pages: list[list[tuple[RawBlock, list[str]]]]) -> Optional[float]:
    sizes: Counter[float] = Counter()
    for blocks in pages:
        for block, lines in blocks:
            if block.font_size and block.kind == "text":
                sizes[round(block.font_size * 2) / 2] += sum(len(ln) for ln in lines)
    return sizes.most_common(1)[0][0] if sizes else None


def _demote_layout_headings(paras: list[Para]) -> None:
    """Weak (style-only) PDF headings that are a table's header row or end a page are body text.

    A heading introduces what follows it: a line right above a table is the
    table's column heads, and a line with nothing after it on its page is a
    running footer or a caption, not a heading (typesetting keeps a heading
    with its text).
    """
    for i, p in enumerate(paras):
        if p.kind != "heading" or p.strong or not p.font_size or NUMBERED_HEADING_RE.match(p.text):
            continue
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        if nxt is None or nxt.page != p.page or (nxt.kind == "table"):
            p.kind, p.level = "body", 0


def _bold_lead(lines: list[str], bold_chars: list[int]) -> int:
    """Leading characters of the joined lines that are set in bold (0 when unknown)."""
    total = 0
    for line, bold in zip(lines, bold_chars):
        if bold >= len(line):
            total += len(line) + 1
            continue
        return total + bold
    return max(0, total - 1)


def make_paragraphs(pages: list[list[tuple[RawBlock, list[str]]]], vocab: set[str],
                     numbers: Optional[list[int]] = None) -> list[Para]:
    body_font = _body_font_size(pages)
    paras: list[Para] = []
    numbers = numbers or list(range(1, len(pages) + 1))
    for number, blocks in zip(numbers, pages):
        for block, lines in blocks:
            if block.kind == "table":
                paras.append(Para(text="\n".join(lines), page=number, kind="table", lines=[lines]))
                continue
            if block.kind == "heading":
                groups = [(lines, False)]
            else:
                groups = [(group, caption) for run, caption in split_captions(lines, block.line_bold_chars)
                          for group in ([run] if caption else _split_wrapped(run))]
            first_line = 0
            for group, caption in groups:
                bold_lead = _bold_lead(group, block.line_bold_chars[first_line:first_line + len(group)])
                first_line += len(group)
                text = join_lines(group, vocab)
                if not text:
                    continue
                if len(group) > 1:
                    text = repair_line(text)  # "4." + "5 billion" split across two lines
                heading, level, strong = _classify_heading(text, block, body_font) if len(group) <= 3 else (False, 0, False)
                if heading:
                    md = MD_PREFIX_RE.match(text)
                    if md and block.kind == "heading":
                        text = md.group(2).strip()
                    paras.append(Para(text=text, page=number, kind="heading", level=level, strong=strong,
                                       lines=[group], font_size=block.font_size))
                else:
                    paras.append(Para(text=text, page=number, lines=[group], font_size=block.font_size,
                                       bold_lead=bold_lead, caption=caption))
    _demote_layout_headings(paras)
    # Levels of font-size headings: larger font -> higher level.
    sizes = sorted({round(p.font_size * 2) / 2 for p in paras if p.kind == "heading" and p.level == 0 and p.font_size},
                   reverse=True)
    rank = {s: i + 1 for i, s in enumerate(sizes[:3])}
    for p in paras:
        if p.kind == "heading" and p.level == 0:
            p.level = rank.get(round((p.font_size or 0) * 2) / 2, min(3, len(sizes)) or 1)
    return paras


_CONNECTOR_END_RE = re.compile(
    r"(?:[,\-–—(/]|\b(?:and|or|of|the|a|an|to|in|on|for|with|by|from|as|at|that|which|its|their|is|are|was|were|be))$",
    re.I,
)


_FONT_CHANGE = 0.05          # relative font-size difference between body text and notes/footers (10 vs 11 pt)


def _font_differs(a: Para, b: Para) -> bool:
    """Both sizes known and different: a footnote, caption or running footer is not body text."""
    if not a.font_size or not b.font_size:
        return False
    return abs(a.font_size - b.font_size) > _FONT_CHANGE * max(a.font_size, b.font_size)


def _junction_joins(left: str, right: str) -> bool:
    """True when the repairs join the two texts with no space ("4." + "5 billion", "U." + "S. firms")."""
    if not (left[-1:] == "." and right[:1].isalnum()):
        return False
    head, tail = left[-60:], right[:60]
    return repair_line(head + " " + tail) == head + tail


def _continues(prev: Para, nxt: Para) -> bool:
    if prev.kind == "heading" and nxt.kind == "heading":
        # a heading set on two lines/blocks: same font, same page, same case style
        return bool(prev.font_size and prev.font_size == nxt.font_size and prev.page == nxt.page
                    and not prev.text.rstrip().endswith((".", ":", "?", "!"))
                    and not NUMBERED_HEADING_RE.match(nxt.text)
                    and (is_all_caps(prev.text) and is_all_caps(nxt.text) or nxt.text[:1].islower())
                    and len(prev.text.split()) + len(nxt.text.split()) <= MAX_HEADING_WORDS)
    if prev.kind != "body" or nxt.kind != "body" or _font_differs(prev, nxt):
        return False
    if nxt.caption or (prev.caption and prev.page != nxt.page):
        return False  # a caption is no part of the body sentence before it (its own lines may follow it)
    if _junction_joins(prev.text, nxt.text):
        return True
    if ends_sentence(prev.text):
        return False
    first = nxt.text.lstrip("\"'“‘(")[:1]
    if first.islower():
        return True
    # The connector ends the text and holds no space: search from the last space on.
    text = prev.text.rstrip()
    return bool(_CONNECTOR_END_RE.search(text, text.rfind(" ") + 1)) and not BULLET_RE.match(nxt.text)


_MAX_NOTES_SKIPPED = 12


def _is_note_between(other: Para, nxt: Para) -> bool:
    """Text in another font size (footnotes between a sentence's two halves, or the
    body between a footnote's two halves) that a broken sentence may skip over."""
    return other.kind == "body" and _font_differs(other, nxt)


_HYPHENATED_END_RE = re.compile(r"([^\W\d_]+)-$")


def _merge_into(prev: Para, p: Para, vocab: set[str]) -> None:
    # The word before a final hyphen has no space in it: search from the last space on
    # (the same match as searching the whole paragraph, without the scan).
    m1 = _HYPHENATED_END_RE.search(prev.text, prev.text.rfind(" ") + 1)
    m2 = re.match(r"([^\W\d_]+)", p.text)
    if m1 and m2:
        if keep_hyphen(m1.group(1), m2.group(1), vocab):
            joined, sep = prev.text, ""
        else:
            joined, sep = prev.text[:-1], ""
    elif _junction_joins(prev.text, p.text):
        joined, sep = prev.text, ""   # "4." + "5 billion" -> "4.5 billion"
    else:
        joined, sep = prev.text, " "
    offset = len(joined) + len(sep)
    if p.page != prev.page:
        prev.breaks.append((offset, p.page))
    prev.breaks.extend((offset + o, pg) for o, pg in p.breaks)
    prev.text = joined + sep + p.text
    prev.lines.extend(p.lines)


_MAX_FLOATS_SKIPPED = 60      # captions, table blocks and cells a broken sentence may skip over
_CELL_MAX_WORDS = 20
_CELL_MAX_LINES = 3
def _is_cell_fragment(p: Para) -> bool:
    """A table cell read as a paragraph: a few short lines, no sentence punctuation, no list item."""
    if p.kind != "body" or p.caption:
        return False
    text = p.text
    return (len(text) <= 40 * _CELL_MAX_WORDS and len(text.split()) <= _CELL_MAX_WORDS
            and sum(len(g) for g in p.lines) <= _CELL_MAX_LINES and not ends_sentence(text) and not INNER_SENTENCE_END_RE.search(text)
            and not BULLET_RE.match(text))


def _is_float_between(other: Para, nxt: Para) -> bool:
    """What a table or figure puts between a sentence's two halves: its caption, the
    table itself, its cells read as short paragraphs, or notes in another font size."""
    return other.kind == "table" or other.caption or _is_cell_fragment(other) or _is_note_between(other, nxt)


def _continues_after_float(prev: Para, nxt: Para) -> bool:
    """A sentence broken by a table/figure set in its middle: the body paragraph before it
    does not end a sentence and the one after it (same or next page) starts lower-case."""
    if prev.kind != "body" or nxt.kind != "body" or prev.caption or nxt.caption:
        return False
    if not 0 <= nxt.page - prev.page <= 1 or prev.text.rstrip().endswith(":") or _is_cell_fragment(nxt):
        return False
    return _starts_lower(nxt) and _continues(prev, nxt)


def _starts_lower(p: Para) -> bool:
    return p.text.lstrip("\"'“‘(")[:1].islower()


def join_broken(paras: list[Para], vocab: set[str]) -> list[Para]:
    """Join paragraphs broken by a page/column break, also across footnotes set in between
    (the footnotes then follow the joined paragraph), and across a table or figure (its
    caption, table blocks and cells; they then follow the joined paragraph too)."""
    def after_float(p: Para) -> tuple[int, bool]:
        """(index of the body paragraph p continues across a table/figure or -1, whether a
        caption or table block lies in between).

        A weak (style-only) heading in between is skipped only below the caption or
        table block it belongs to (the table's bold header row)."""
        j = len(out) - 1
        weak_heading = saw_float = False
        while j >= 0 and len(out) - 1 - j < _MAX_FLOATS_SKIPPED and out[j].page >= p.page - 1:
            q = out[j]
            if q.kind == "heading" and not q.strong:
                weak_heading = True
            elif q.kind == "table" or q.caption:
                weak_heading, saw_float = False, True
            elif not _is_float_between(q, p):
                break
            j -= 1
        if weak_heading or not 0 <= j < len(out) - 1 or not _continues_after_float(out[j], p):
            return -1, False
        return j, saw_float

    out: list[Para] = []
    for p in paras:
        if p.kind == "body" and out and _starts_lower(p):
            # A lower-case paragraph after a table or figure continues the sentence its
            # caption/table interrupted, not the caption or a cell just above it.
            j, saw_float = after_float(p)
            if j >= 0 and saw_float:
                _merge_into(out[j], p, vocab)
                continue
        if out and _continues(out[-1], p):
            _merge_into(out[-1], p, vocab)
            continue
        if p.kind == "body" and out:
            j = len(out) - 1
            while j >= 0 and len(out) - 1 - j < _MAX_NOTES_SKIPPED and _is_note_between(out[j], p):
                j -= 1
            if j < len(out) - 1 and j >= 0 and _continues(out[j], p):
                _merge_into(out[j], p, vocab)
                continue
            j, _ = after_float(p) if _starts_lower(p) else (-1, False)
            if j >= 0:
                _merge_into(out[j], p, vocab)
                continue
        out.append(p)
    return out
