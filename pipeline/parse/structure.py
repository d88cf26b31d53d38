"""Pages of raw blocks -> ParsedDoc: the reader-independent structure builder.

Order of work (each step linear in the text size):

1. repair every line (repair.py) and drop running headers/footers and page
   numbers (lines repeated near the top/bottom of >= 40% of pages, digits
   ignored; "12", "Page 3 of 10", "- 4 -");
2. turn blocks into paragraphs (lines joined, hyphenation undone, hard-wrapped
   text blocks split at short sentence-final lines), classify headings;
3. join a paragraph broken by a page/column break (the previous one does not
   end a sentence and the next starts lower-case or the previous ends with a
   hyphen/comma, or the two halves form one number/abbreviation: "4." + "5
   billion"), also across footnotes set in another font size in between, and
   (next paragraph lower-case, same or next page) across a table or figure set
   in the sentence: its caption, table blocks and cells read as short
   paragraphs, which then follow the joined paragraph; never across a
   font-size change (footers, notes). A caption line inside a text block
   ("Table 2.3" in bold under non-bold body, or a bare label with its title
   below) starts its own paragraph and is never glued to the body sentence
   before it. Weak style-only PDF headings above a table (its column heads)
   or ending a page become body;
4. walk the paragraphs once with a small state machine: front matter (title,
   authors, affiliations, e-mails, keywords, journal lines) -> body ->
   acknowledgements / reference list (metadata), keeping the section path,
   including run-in headings ("Japanese Government Promotes X. In order ...",
   sentence-case noun phrases "Emphasis on cooperation. The ...", bold PDF
   run-in heads and bold labels "World Resources: ..."), a byline after the
   title/deck ("By Jane Doe, Economist") and authors' notes;
5. assemble the body text ("\\n\\n" between paragraphs) with offsets and
   page starts.

Cue words live in pipeline/data/metadata_patterns.yaml.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

from ..records import Paragraph, ParsedDoc, Reference
from .blocks import RawBlock, RawPage
from .repair import document_vocabulary, ends_sentence, join_lines, keep_hyphen, repair_line

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "metadata_patterns.yaml"

RUN_IN_LEVEL = 100          # run-in headings sit below every real heading
HEADER_FOOTER_SHARE = 0.4   # a line on >= 40% of pages' edges is a running header/footer
EDGE_LINES = 2              # lines at the top and bottom of a page searched for headers
MAX_HEADING_WORDS = 20
MAX_META_WORDS = 40


@lru_cache(maxsize=1)
def _cues() -> dict[str, Any]:
    try:
        with open(DATA_FILE, encoding="utf-8-sig") as fh:
            data = yaml.safe_load(fh) or {}
    except Exception:
        data = {}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out[key] = {k: tuple(str(x).lower() for x in (v or [])) for k, v in value.items()}
        else:
            out[key] = frozenset(str(x).lower() for x in (value or []))
    return out


def _cue(name: str) -> frozenset:
    return _cues().get(name, frozenset())


# ---------------------------------------------------------------- small text tests

_PAGE_NUMBER_RE = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:page|p\.|pg\.?)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"
    r"|\d{1,4}\s*(?:of|/)\s*\d{1,4}|\d{1,5}|[ivxlcdm]{1,6}|\[\s*\d{1,4}\s*\])\s*$",
    re.I,
)
_DIGITS_RE = re.compile(r"\d+")
_WS_RE = re.compile(r"\s+")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NUMBERED_HEADING_RE = re.compile(
    r"^(?P<num>(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?)|(?:[IVX]{1,5}\.)|(?:[A-H]\.))\s+(?P<title>\S.*)$"
)
_MD_PREFIX_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_YEAR_RE = re.compile(r"(?<![\w])(?:19|20)\d\d(?!\d)")
_SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰⁺⁻*†‡§¶#"
_MARKER_RE = re.compile(r"\^\{[^}]{0,20}\}|\^\S{1,5}|[" + _SUPERSCRIPTS + r"]+")
_REF_MARKER_RE = re.compile(
    r"^\s*(?:[-*•·]\s*)?(?:\[(?P<a>\d{1,4})\]|\((?P<b>\d{1,4})\)|(?P<c>\d{1,4})\.(?=\s)|(?P<d>\d{1,4})\s(?=[A-Z]))\s*"
)
_MD_EMPH_RE = re.compile(r"(\*\*|\*|__)(?=\S)([^*\n]+?)(?<=\S)\1")
_BULLET_RE = re.compile(r"^\s*(?:[•◦▪●‣∙·–]|[-*](?=\s)|\(?[a-z0-9]{1,2}\))\s*")
_TOKEN_STRIP = "\"'“”‘’()[]{}:;,.!?"


_KEY_PUNCT_RE = re.compile(r"[^\w#]+")


def _norm_key(line: str) -> str:
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


def _heading_key(text: str) -> str:
    t = _MD_PREFIX_RE.sub(r"\2", text).strip()
    m = _NUMBERED_HEADING_RE.match(t)
    if m:
        t = m.group("title")
    return t.strip().rstrip(".:").strip().lower()


def is_title_case(text: str, min_words: int = 1, max_words: int = MAX_HEADING_WORDS) -> bool:
    """Capitalized content words (>= 80%), starts upper-case, no long numbers run."""
    words = text.split()
    if not (min_words <= len(words) <= max_words):
        return False
    first = words[0].lstrip(_TOKEN_STRIP)
    if not first or not (first[0].isupper() or first[0].isdigit()):
        return False
    minor = _cue("title_case_minor_words")
    content = caps = numeric = 0
    allowed_misses = len(words) * 0.2 + 0.5
    for raw in words:
        w = raw.strip(_TOKEN_STRIP)
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
    if content == 0 or numeric > max(1, len(words) // 3):
        return False
    return caps / content >= 0.8


def is_section_word(text: str) -> bool:
    key = _heading_key(text)
    return key in _cue("section_words") or key in _cue("reference_headings") or key in _cue("metadata_headings")


def _is_caption(text: str) -> bool:
    first = text.split(maxsplit=1)[0].lower().rstrip(".:") if text.split() else ""
    return first in _cue("caption_prefixes")


@lru_cache(maxsize=1)
def _caption_label_regex() -> Optional[re.Pattern]:
    """"Table 2.3", "Figure 4:", "Box A1", "Fig. IV" at a line start: a caption prefix
    (caption_prefixes, words only) and its number; the rest of the line follows."""
    words = sorted((w for w in _cue("caption_prefixes") if w.isalpha()), key=len, reverse=True)
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
                and not _INNER_SENTENCE_END_RE.search(" ".join([title] + lines[1:])):
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


def _split_captions(lines: list[str], bold: list[int]) -> list[tuple[list[str], bool]]:
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


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters) and len(text.split()) <= 12


def heading_level_of_number(num: str) -> int:
    num = num.rstrip(".")
    if re.fullmatch(r"[IVX]+|[A-H]", num):
        return 1 if re.fullmatch(r"[IVX]+", num) else 2
    return num.count(".") + 1


# ---------------------------------------------------------------- paragraphs

@dataclass
class _Para:
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


def _strip_headers_footers(pages: list[RawPage], meta: dict[str, Any]) -> list[list[tuple[RawBlock, list[str]]]]:
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
    repeated: set[str] = set()
    if n_pages >= 3:
        counts: Counter[str] = Counter()
        for blocks in repaired:
            keys = {_norm_key(blocks[bi][1][li]) for bi, li in edge_positions(blocks)}
            counts.update(k for k in keys if k and k.strip("# ") and len(k) <= 200)
        threshold = max(3, math.ceil(HEADER_FOOTER_SHARE * n_pages))
        # a full sentence repeated at page edges is text, not a running header
        repeated = {k for k, c in counts.items() if c >= threshold
                    and not (ends_sentence(k) and len(k.split()) > 3)}

    if n_pages < 3:
        repeated = _repeated_running_lines(repaired)

    out: list[list[tuple[RawBlock, list[str]]]] = []
    for blocks in repaired:
        drop: set[tuple[int, int]] = set()
        for bi, li in edge_positions(blocks):
            line = blocks[bi][1][li]
            if (repeated and _norm_key(line) in repeated) or (is_page_number_line(line) and blocks[bi][0].kind != "table"):
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
            if len(kept) == 1 and repeated and (n_pages < 3 or len(kept[0].split()) >= 3) and _norm_key(kept[0]) in repeated:
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
    for blocks in pages:
        for block, lines in blocks:
            if len(lines) == 1 and block.kind in ("text", "header_footer") and 3 <= len(lines[0].split()) <= 15 \
                    and not ends_sentence(lines[0]):
                counts[_norm_key(lines[0])] += 1
    cues = _cue("journal_cues")
    return {k for k, c in counts.items()
            if c >= 3 and ("#" in k or "et al" in k or any(cue in k for cue in cues))}


def _split_wrapped(lines: list[str]) -> list[list[str]]:
    """Split a hard-wrapped text block at paragraph ends and bullet lines."""
    if len(lines) < 3:
        return [lines]
    width = max(len(ln) for ln in lines)
    groups: list[list[str]] = [[]]
    for i, line in enumerate(lines):
        if groups[-1] and _BULLET_RE.match(line):
            groups.append([])  # each list item is its own paragraph
        groups[-1].append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if nxt and width >= 40 and len(line) < 0.7 * width and ends_sentence(line) and nxt[:1].isupper():
            groups.append([])
    return [g for g in groups if g]


def _classify_heading(text: str, block: RawBlock, body_font: Optional[float]) -> tuple[bool, int, bool]:
    """(is heading, level, strong) for one single-paragraph block."""
    md = _MD_PREFIX_RE.match(text)
    if block.kind == "heading":
        if md:
            return True, len(md.group(1)), True
        m = _NUMBERED_HEADING_RE.match(text)
        return True, heading_level_of_number(m.group("num")) if m else 1, True
    words = len(text.split())
    if words == 0 or words > MAX_HEADING_WORDS or len(text) > 200 or _is_caption(text):
        return False, 0, False
    if body_font and block.font_size and block.font_size < body_font * 0.95:
        return False, 0, False  # footnotes, table cells and captions are set smaller
    if is_section_word(text):
        return True, 1, True
    m = _NUMBERED_HEADING_RE.match(text)
    if m:
        title = m.group("title")
        if title[:1].isupper() and not title.rstrip().endswith((".", ",", ";")) and len(title.split()) <= 15 \
                and not re.match(r"^\d", title) and any(c.isalpha() for c in title):
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
    if is_title_case(text) or _is_all_caps(text) or (block.bold and words <= 12 and text[:1].isupper()):
        return True, 1, False
    return False, 0, False


def _body_font_size(pages: list[list[tuple[RawBlock, list[str]]]]) -> Optional[float]:
    sizes: Counter[float] = Counter()
    for blocks in pages:
        for block, lines in blocks:
            if block.font_size and block.kind == "text":
                sizes[round(block.font_size * 2) / 2] += sum(len(ln) for ln in lines)
    return sizes.most_common(1)[0][0] if sizes else None


def _demote_layout_headings(paras: list[_Para]) -> None:
    """Weak (style-only) PDF headings that are a table's header row or end a page are body text.

    A heading introduces what follows it: a line right above a table is the
    table's column heads, and a line with nothing after it on its page is a
    running footer or a caption, not a heading (typesetting keeps a heading
    with its text).
    """
    for i, p in enumerate(paras):
        if p.kind != "heading" or p.strong or not p.font_size or _NUMBERED_HEADING_RE.match(p.text):
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


def _make_paragraphs(pages: list[list[tuple[RawBlock, list[str]]]], vocab: set[str],
                     numbers: Optional[list[int]] = None) -> list[_Para]:
    body_font = _body_font_size(pages)
    paras: list[_Para] = []
    numbers = numbers or list(range(1, len(pages) + 1))
    for number, blocks in zip(numbers, pages):
        for block, lines in blocks:
            if block.kind == "table":
                paras.append(_Para(text="\n".join(lines), page=number, kind="table", lines=[lines]))
                continue
            if block.kind == "heading":
                groups = [(lines, False)]
            else:
                groups = [(group, caption) for run, caption in _split_captions(lines, block.line_bold_chars)
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
                    md = _MD_PREFIX_RE.match(text)
                    if md and block.kind == "heading":
                        text = md.group(2).strip()
                    paras.append(_Para(text=text, page=number, kind="heading", level=level, strong=strong,
                                       lines=[group], font_size=block.font_size))
                else:
                    paras.append(_Para(text=text, page=number, lines=[group], font_size=block.font_size,
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


def _font_differs(a: _Para, b: _Para) -> bool:
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


def _continues(prev: _Para, nxt: _Para) -> bool:
    if prev.kind == "heading" and nxt.kind == "heading":
        # a heading set on two lines/blocks: same font, same page, same case style
        return bool(prev.font_size and prev.font_size == nxt.font_size and prev.page == nxt.page
                    and not prev.text.rstrip().endswith((".", ":", "?", "!"))
                    and not _NUMBERED_HEADING_RE.match(nxt.text)
                    and (_is_all_caps(prev.text) and _is_all_caps(nxt.text) or nxt.text[:1].islower())
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
    return bool(_CONNECTOR_END_RE.search(text, text.rfind(" ") + 1)) and not _BULLET_RE.match(nxt.text)


_MAX_NOTES_SKIPPED = 12


def _is_note_between(other: _Para, nxt: _Para) -> bool:
    """Text in another font size (footnotes between a sentence's two halves, or the
    body between a footnote's two halves) that a broken sentence may skip over."""
    return other.kind == "body" and _font_differs(other, nxt)


_HYPHENATED_END_RE = re.compile(r"([^\W\d_]+)-$")


def _merge_into(prev: _Para, p: _Para, vocab: set[str]) -> None:
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
_INNER_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*\s+[\"“‘(]?[A-Z]")


def _is_cell_fragment(p: _Para) -> bool:
    """A table cell read as a paragraph: a few short lines, no sentence punctuation, no list item."""
    if p.kind != "body" or p.caption:
        return False
    text = p.text
    return (len(text) <= 40 * _CELL_MAX_WORDS and len(text.split()) <= _CELL_MAX_WORDS
            and sum(len(g) for g in p.lines) <= _CELL_MAX_LINES and not ends_sentence(text) and not _INNER_SENTENCE_END_RE.search(text)
            and not _BULLET_RE.match(text))


def _is_float_between(other: _Para, nxt: _Para) -> bool:
    """What a table or figure puts between a sentence's two halves: its caption, the
    table itself, its cells read as short paragraphs, or notes in another font size."""
    return other.kind == "table" or other.caption or _is_cell_fragment(other) or _is_note_between(other, nxt)


def _continues_after_float(prev: _Para, nxt: _Para) -> bool:
    """A sentence broken by a table/figure set in its middle: the body paragraph before it
    does not end a sentence and the one after it (same or next page) starts lower-case."""
    if prev.kind != "body" or nxt.kind != "body" or prev.caption or nxt.caption:
        return False
    if not 0 <= nxt.page - prev.page <= 1 or prev.text.rstrip().endswith(":") or _is_cell_fragment(nxt):
        return False
    return _starts_lower(nxt) and _continues(prev, nxt)


def _starts_lower(p: _Para) -> bool:
    return p.text.lstrip("\"'“‘(")[:1].islower()


def _join_broken(paras: list[_Para], vocab: set[str]) -> list[_Para]:
    """Join paragraphs broken by a page/column break, also across footnotes set in between
    (the footnotes then follow the joined paragraph), and across a table or figure (its
    caption, table blocks and cells; they then follow the joined paragraph too)."""
    def after_float(p: _Para) -> tuple[int, bool]:
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

    out: list[_Para] = []
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


# ---------------------------------------------------------------- run-in headings

_SENT_END_RE = re.compile(r"[.!?](?=\s+[\"“‘(]?[A-Z])")


def _first_sentence_end(text: str, limit: int = 300) -> int:
    """Index just after the first sentence-final period in text[:limit], or -1."""
    abbreviations = _cue("abbreviations")
    for m in _SENT_END_RE.finditer(text, 0, min(len(text), limit)):
        i = m.start()
        if text[i] != ".":
            return -1  # a question/exclamation is not a heading
        j = i
        while j > 0 and not text[j - 1].isspace():
            j -= 1
        token = text[j:i].strip(_TOKEN_STRIP[:-4]).lower()
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
    if tokens[0] in _cue("run_in_stop_openers") or not any(len(t) >= 4 for t in tokens):
        return False
    stop, verbs = _cue("run_in_stop_words"), _cue("verb_cues")
    for index, token in enumerate(tokens):
        if token in stop or token in verbs:
            return False
        if index > 0 and len(token) > 4 and token.endswith("ed") and not token.endswith("eed"):
            return False  # "Sales increased"
    end = _first_sentence_end(following)
    next_sentence = following[:end] if end > 0 else following
    return len(next_sentence.split()) > len(words) + 2


def _run_in_level(stack: list[tuple[int, str]]) -> int:
    """A lone run-in heading is a sibling of the deepest run-in heading open
    ("A. B. text" opened A > B; the next "C. text" gives A > C)."""
    if stack and stack[-1][0] >= RUN_IN_LEVEL:
        return stack[-1][0]
    return RUN_IN_LEVEL


# ---------------------------------------------------------------- front matter

def _strip_markers(text: str) -> str:
    text = _MARKER_RE.sub(" ", text)
    return _WS_RE.sub(" ", text).strip()


def parse_author_line(text: str, lower_words: Optional[set[str]] = None) -> list[str]:
    """Names from an author line, or [] when the line does not look like one.

    ``lower_words``: words the document writes in lower case; a "name" made of
    them ("Proposed Rules") is ordinary words in title case, not a person.
    """
    if len(text) > 300 or _EMAIL_RE.search(text) or text.rstrip().endswith((".", ":")) and not re.search(r"\b[A-Z]\.$", text):
        return []
    lowered = text.lower()
    if any(re.search(r"\b" + re.escape(c) + r"\b", lowered) for c in _cue("affiliation_cues") | _cue("journal_cues")):
        return []
    if is_section_word(text) or _NUMBERED_HEADING_RE.match(text):
        return []
    clean = _strip_markers(text)
    clean = re.sub(r"(?<=[^\W\d_])\d+(?:,\d+)*", "", clean)  # "Liang1,2" footnote digits
    parts = [p.strip(" ,;") for p in re.split(r",|;|\band\b|&", clean) if p.strip(" ,;")]
    particles = _cue("name_particles")
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


_BYLINE_WINDOW = 12          # body paragraphs after which a name line is no longer a byline
_BYLINE_MAX_WORDS = 16


@lru_cache(maxsize=1)
def _byline_regex() -> Optional[re.Pattern]:
    prefixes = sorted(_cue("byline_prefixes"), key=len, reverse=True)
    if not prefixes:
        return None
    alts = "|".join(re.escape(x) + (r"(?![\w])" if x[-1:].isalpha() else "") for x in prefixes)
    return re.compile(r"^\s*(?:" + alts + r")\s*", re.I)


def parse_byline(text: str, lower_words: Optional[set[str]] = None) -> list[str]:
    """Names from a byline: an author line, optionally opened by "By" and followed by
    roles ("By Jane Doe, Economist" -> ["Jane Doe"]); [] when it is not one."""
    if len(text.split()) > _BYLINE_MAX_WORDS:
        return []
    rx = _byline_regex()
    m = rx.match(text) if rx else None
    rest = text[m.end():] if m else text
    parts = rest.split(",")
    roles = _cue("byline_role_words")
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


def _names_confirmed(names: list[str], paras: list[_Para]) -> bool:
    """A bare name line after the body began is a byline only when the document
    confirms it: an author note opens with the name, or an e-mail holds the surname."""
    for p in paras:
        if _is_author_note(p.text, names):
            return True
        for email in _EMAIL_RE.findall(p.text) if "@" in p.text else ():
            local = email.split("@")[0].lower()
            if any(name.split()[-1].lower() in local for name in names if len(name.split()[-1]) > 2):
                return True
    return False


def _is_author_note(text: str, authors: list[str]) -> bool:
    """"<Author Name> is an economist in ..." (a short biographical note)."""
    if len(text.split(None, 80)) > 80:   # more than 80 words (splits no further)
        return False
    rx = _author_note_regex(tuple(authors))
    return bool(rx and rx.match(text))


@lru_cache(maxsize=64)
def _author_note_regex(authors: tuple[str, ...]) -> Optional[re.Pattern]:
    """One of the names, then a note verb; compiled once per author list (it is tried on
    every paragraph). None when there is no name or no verb."""
    verbs = "|".join(re.escape(v) for v in _cue("author_note_verbs"))
    if not verbs or not authors:
        return None
    return re.compile("(?:" + "|".join(re.escape(name) for name in authors) + r"),?\s+(?:" + verbs + r")\b")


@lru_cache(maxsize=1)
def _prefix_regex() -> Optional[re.Pattern]:
    alts = []
    for kind, prefixes in _cues().get("line_prefixes", {}).items():
        for prefix in sorted(prefixes, key=len, reverse=True):
            edge = r"(?![a-z])" if prefix[-1:].isalpha() else ""  # "jel" is not "jelly"
            alts.append(f"(?P<{kind}_{len(alts)}>{re.escape(prefix)}{edge})")
    return re.compile("|".join(alts)) if alts else None


def _line_prefix_kind(text: str) -> str:
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
    emails = _EMAIL_RE.findall(text)
    if not emails:
        return False
    rest = _EMAIL_RE.sub("", text)
    rest_words = [w for w in re.split(r"[\s,;:()]+", _strip_markers(rest)) if w and any(c.isalpha() for c in w)]
    return len(rest_words) <= 6


def _is_affiliation(text: str) -> bool:
    if len(text.split()) > 30 or ends_sentence(text):
        return False  # an affiliation is a short address line, not a sentence
    lowered = text.lower()
    if any(re.search(r"\b" + re.escape(c) + r"\b", lowered) for c in _cue("affiliation_cues")):
        return True
    return bool(re.match(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]|\^\{?\w)", text)) and not ends_sentence(text)


def _is_journal_line(text: str) -> bool:
    if len(text.split()) > 25:
        return False
    lowered = text.lower()
    return any(c in lowered for c in _cue("journal_cues")) and not ends_sentence(text.rstrip(". ")) \
        and (bool(_YEAR_RE.search(text)) or bool(re.search(r"\b(?:vol|no|pp|issn|doi)\b", lowered)))


_STRONG_JOURNAL_RE = re.compile(r"\bdoi\b|\bissn\b|\bisbn\b|©|\(c\)\s|all rights reserved|https?://", re.I)


def _metadata_kind(text: str) -> str:
    """Kind of a short metadata line that may stand anywhere, or ''."""
    if len(text.split(None, MAX_META_WORDS)) > MAX_META_WORDS:   # more words than that (splits no further)
        return ""
    kind = _line_prefix_kind(text)
    if kind == "email" and "@" not in text:
        kind = ""  # "Email campaigns reached ..." is a sentence
    if kind == "journal" and (len(text.split()) > 20 or not _STRONG_JOURNAL_RE.search(text)):
        kind = ""  # "Received ..."/"Vol." lines need a hard journal marker to leave the body
    if kind:
        return kind
    if _is_email_line(text):
        return "email"
    return ""


def _add_meta(meta: dict[str, Any], key: str, text: str) -> None:
    if key == "email":
        meta.setdefault("emails", []).extend(_EMAIL_RE.findall(text))
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
    text = _MD_EMPH_RE.sub(r"\2", text)
    return _WS_RE.sub(" ", text).strip()


def split_references(blocks: list[list[str]], vocab: Optional[set[str]] = None) -> list[str]:
    """Reference entries from the lines of the reference-list blocks."""
    all_lines = [ln for block in blocks for ln in block]
    marked = sum(1 for ln in all_lines if _REF_MARKER_RE.match(ln))
    entries: list[list[str]] = []
    if marked >= max(1, len(all_lines) // 5) and marked:
        for line in all_lines:
            m = _REF_MARKER_RE.match(line)
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
    years = _YEAR_RE.findall(text)
    return int(years[-1]) if years else None


# ---------------------------------------------------------------- the builder

def _title_like(text: str) -> bool:
    return any(sum(c.isalpha() for c in w) >= 3 for w in text.split())


def _title_section(title: str, para: _Para, push, section_path) -> str:
    """A numbered title ("10. Financing") is also the top section of what follows."""
    m = _NUMBERED_HEADING_RE.match(title)
    if not m:
        return ""
    push(heading_level_of_number(m.group("num")), title)
    return section_path()


def _font_title(paras: list[_Para]) -> Optional[_Para]:
    """The largest-font paragraph among the first ones of page 1 (PDF), if any."""
    sized = [p for p in paras[:25] if p.page == 1 and p.font_size and p.kind != "table"]
    if not sized:
        return None
    candidates = [p for p in sized if len(p.text.split()) <= 30
                  and sum(1 for w in p.text.split() if sum(c.isalpha() for c in w) >= 2) >= 1
                  and not is_page_number_line(p.text) and not _metadata_kind(p.text)]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: p.font_size or 0)
    body = Counter(round(p.font_size or 0) for p in sized).most_common(1)[0][0]
    return best if (best.font_size or 0) > body else None


_URL_OR_EMAIL_RE = re.compile(r"\S*@\S*|\S*://\S*|www\.\S*")
# A lower-case word not glued to a word or hyphen before it: (?<![\w-])[a-z][a-z'’-]+, with the
# look-behind checked after the first letter (the same matches; the scan skips to letters fast).
_LOWER_WORD_RE = re.compile(r"[a-z](?<![\w-][a-z])[a-z'’-]+")


def _lowercase_words(pages: list[list[tuple[RawBlock, list[str]]]]) -> set[str]:
    """Words the document writes starting lower-case (one linear pass)."""
    out: set[str] = set()
    for blocks in pages:
        for _, lines in blocks:
            for line in lines:
                if "@" in line or "/" in line:
                    line = _URL_OR_EMAIL_RE.sub(" ", line)  # "henderson.richard@" is no word use
                out.update(_LOWER_WORD_RE.findall(line))
    return out


def build_document(pages: list[RawPage], doc_id: str, source_file: str, fmt: str) -> ParsedDoc:
    meta: dict[str, Any] = {}
    cleaned = _strip_headers_footers(pages, meta)
    vocab = document_vocabulary(ln for blocks in cleaned for _, lines in blocks for ln in lines)
    numbers = [p.number if isinstance(p.number, int) and p.number > 0 else i
               for i, p in enumerate(pages, start=1)]
    paras = _join_broken(_make_paragraphs(cleaned, vocab, numbers), vocab)

    title = ""
    title_para = _font_title(paras)
    authors: list[str] = []
    lower_words = _lowercase_words(cleaned)
    ref_blocks: list[list[str]] = []
    body: list[tuple[_Para, str]] = []   # paragraph, section path
    stack: list[tuple[int, str]] = []    # (level, heading text)
    mode = "front"
    front_seen = 0
    numbered_seen = False

    def section_path() -> str:
        return " > ".join(t for _, t in stack)

    def push(level: int, text: str) -> None:
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, text))

    pages_first = min((p.page for p in paras), default=1)
    for p in paras:
        text = p.text
        pre_title = False
        # -- front matter: title, authors, affiliations, e-mails, keywords, journal lines
        if mode == "front":
            if p.page > 1 or front_seen >= 15:
                mode = "body"
            else:
                front_seen += 1
                # on the first page any listed prefix marks metadata ("Received 3 May 2019")
                kind = _metadata_kind(text) or (
                    _line_prefix_kind(text) if len(text.split()) <= 25 and "@" not in text else "")
                if kind:
                    _add_meta(meta, kind, text)
                    continue
                if not title:
                    if title_para is not None:
                        if p is title_para:
                            title = text.rstrip(".")
                            p.kind = "heading"
                            body.append((p, _title_section(title, p, push, section_path)))
                            continue
                        pre_title = True  # stays body, front matter goes on
                    elif p.kind == "heading" and not is_section_word(text) and _title_like(text):
                        title = text.rstrip(".")
                        body.append((p, _title_section(title, p, push, section_path)))
                        continue
                    elif p.kind == "body" and len(text.split()) <= 25 and not ends_sentence(text) and _title_like(text) \
                            and not _is_journal_line(text) and not _is_affiliation(text):
                        title = text
                        p.kind = "heading"
                        body.append((p, ""))
                        continue
                if not authors and (names := parse_byline(text, lower_words)) \
                        and not any(text in hf for hf in meta.get("headers_footers", [])):
                    authors = names
                    meta["author_line"] = text
                    continue
                if _is_affiliation(text) and p.kind != "table":
                    _add_meta(meta, "affiliation", text)
                    continue
                if _is_journal_line(text):
                    _add_meta(meta, "journal", text)
                    continue
                if not pre_title:
                    mode = "body"

        # -- a byline set after the title and a deck ("Richard Henderson", "By Jane Doe,
        # Economist") on the first page, and the authors' biographical notes anywhere
        if mode == "body" and p.kind != "table" and not p.strong:
            if not authors and p.page == pages_first and len(body) <= _BYLINE_WINDOW \
                    and not any(text in hf for hf in meta.get("headers_footers", [])) \
                    and (names := parse_byline(text, lower_words)) \
                    and (_byline_regex() and _byline_regex().match(text) or _names_confirmed(names, paras)):
                authors = names
                meta["author_line"] = text
                continue
            if authors and _is_author_note(text, authors):
                meta.setdefault("author_notes", []).append(text)
                continue

        # -- metadata lines anywhere (short e-mail / keywords / doi lines)
        if p.kind != "table":
            kind = _metadata_kind(text)
            if kind and mode != "refs":
                _add_meta(meta, kind, text)
                continue

        if p.kind == "heading":
            key = _heading_key(text)
            # Inside the reference list / acknowledgements only a known section
            # name or a markup/font heading ends it: a numbered entry ("12. World
            # Bank 2019") or a title-case line is part of the list.
            ends_meta = is_section_word(text) or (p.strong and not _NUMBERED_HEADING_RE.match(text))
            if key in _cue("reference_headings"):
                mode = "refs"
                meta.setdefault("reference_heading", text)
                continue
            if key in _cue("metadata_headings"):
                mode = "ack"
                continue
            if mode in ("refs", "ack") and not ends_meta:
                (ref_blocks.extend(p.lines) if mode == "refs"
                 else meta.setdefault("acknowledgements", []).append(text))
                continue
            if mode != "front":
                mode = "body"
            if _NUMBERED_HEADING_RE.match(text) and p.level < RUN_IN_LEVEL:
                numbered_seen = True
                push(p.level, text.rstrip("."))
            elif p.level >= RUN_IN_LEVEL:
                push(_run_in_level(stack), text.rstrip("."))
            elif is_section_word(text) or fmt in ("md", "html") or not (
                    numbered_seen or any(_NUMBERED_HEADING_RE.match(t) for _, t in stack)):
                push(p.level or 1, text.rstrip(".:"))
            else:
                # an unnumbered heading inside numbered sections is a sub-heading
                deepest = max((lv for lv, _ in stack if lv < RUN_IN_LEVEL), default=0)
                push(deepest + 1, text)
            body.append((p, section_path()))
            continue

        if mode == "refs":
            ref_blocks.extend(p.lines)
            continue
        if mode == "ack":
            meta.setdefault("acknowledgements", []).append(text)
            continue

        if p.kind == "body":
            run_ins = split_run_in_headings(text, bold_lead=p.bold_lead)
            if run_ins and is_section_word(run_ins[0]):
                push(1, run_ins[0])  # "Abstract. ..." / "Conclusion: ..." is a top section
                for i, heading in enumerate(run_ins[1:], start=1):
                    push(RUN_IN_LEVEL + i, heading)
            elif len(run_ins) == 1:
                push(_run_in_level(stack), run_ins[0])
            else:
                for i, heading in enumerate(run_ins):
                    push(RUN_IN_LEVEL + i, heading)
        body.append((p, section_path()))

    references = [
        Reference(doc_id=doc_id, ref_id=str(i), text=t, year=reference_year(t))
        for i, t in enumerate(split_references(ref_blocks, vocab), start=1)
    ]

    # -- assemble the body text with offsets and page starts
    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    page_starts: list[tuple[int, int]] = []
    offset = 0

    def add_page_start(at: int, page: int) -> None:
        if not page_starts or page_starts[-1][1] != page:
            page_starts.append((at, page))

    for p, section in body:
        if parts:
            parts.append("\n\n")
            offset += 2
        start = offset
        parts.append(p.text)
        offset += len(p.text)
        add_page_start(start, p.page)
        for rel, page in p.breaks:
            add_page_start(start + rel, page)
        paragraphs.append(Paragraph(text=p.text, page=p.page, section=section, start=start, end=offset,
                                    kind="heading" if p.kind == "heading" else "body"))
    text = "".join(parts)
    if not page_starts:
        page_starts = [(0, 1)]

    year = None
    journal_cues = _cue("journal_cues")
    running = [ln for ln in meta.get("headers_footers", []) if any(c in ln.lower() for c in journal_cues)]
    for line in meta.get("journal", []) + running:
        years = [int(y) for y in _YEAR_RE.findall(line)]
        if years:
            year = years[0]
            break

    return ParsedDoc(
        doc_id=doc_id, source_file=source_file, format=fmt, pages=len(pages),
        words=len(text.split()), title=title, authors="; ".join(authors), year=year,
        status="ok", text=text, paragraphs=paragraphs, page_starts=page_starts,
        references=references, metadata=meta,
    )
