"""The structure builder: paragraphs walked once (front matter -> body -> back
matter) into a ParsedDoc with its section paths, title, authors, year and
references.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Optional

from ...normalize.divisions import is_division_heading
from ...records import Paragraph, ParsedDoc, Reference
from ..blocks import RawBlock, RawPage
from ..repair import document_vocabulary, ends_sentence
from .cues import (
    NUMBERED_HEADING_RE,
    RUN_IN_LEVEL,
    YEAR_RE,
    cue_words,
    heading_key,
    heading_level_of_number,
    is_page_number_line,
    is_section_word,
)
from .front_matter import (
    BYLINE_WINDOW,
    add_meta,
    byline_regex,
    is_affiliation,
    is_author_note,
    is_journal_line,
    line_prefix_kind,
    metadata_kind,
    names_confirmed,
    parse_byline,
    reference_year,
    split_references,
)
from .headings import run_in_level, split_run_in_headings
from .paragraphs import Para, join_broken, make_paragraphs, strip_headers_footers
from .running_title import running_title

# ---------------------------------------------------------------- the builder

def _title_like(text: str) -> bool:
    return any(sum(c.isalpha() for c in w) >= 3 for w in text.split())


def _title_section(title: str, para: Para, push, section_path) -> str:
    """A numbered title ("10. Financing") or a law's division head ("Sec. 7. FOR THE PORT
    AUTHORITY", PARSE-DIVISION-SUBHEADING) is also the top section of what follows."""
    m = NUMBERED_HEADING_RE.match(title)
    if m:
        push(heading_level_of_number(m.group("num")), title)
    elif is_division_heading(title):
        push(1, title)
    else:
        return ""
    return section_path()


def _font_title(paras: list[Para]) -> Optional[Para]:
    """The largest-font paragraph among the first ones of page 1 (PDF), if any."""
    sized = [p for p in paras[:25] if p.page == 1 and p.font_size and p.kind != "table"]
    if not sized:
        return None
    candidates = [p for p in sized if len(p.text.split()) <= 30
                  and sum(1 for w in p.text.split() if sum(c.isalpha() for c in w) >= 2) >= 1
                  and not is_page_number_line(p.text) and not metadata_kind(p.text)]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: p.font_size or 0)
    body = Counter(round(p.font_size or 0) for p in sized).most_common(1)[0][0]
    return best if (best.font_size or 0) > body else None


# A title broken over two lines that became two paragraphs runs on into the next line of
# the same page when it cannot end there ("... on the Issuance of the", "Plan for the"), or
# when the next line is set in the same large type (a PDF's title type, larger than the body).
_TITLE_RUNS_ON_RE = re.compile(r"(?i)(?:\b(?:the|of|and|for|on|in|to|a|an|with|from)|[-\u2013,:&])$")


def continued_title(title: str, paras: list[Para]) -> str:
    """The whole title when the layout broke it over two lines that became two paragraphs."""
    if not title or ends_sentence(title):
        return title
    for i, p in enumerate(paras[:-1]):
        if p.text.rstrip(".") != title:
            continue
        nxt = paras[i + 1]
        sized = bool(p.font_size and nxt.font_size)
        same_size = not sized or abs(p.font_size - nxt.font_size) < 0.5
        title_type = sized and same_size and p.kind == "heading" and nxt.kind == "heading"
        if nxt.page == p.page and same_size and (title_type or _TITLE_RUNS_ON_RE.search(title)) \
                and nxt.text[:1].isupper() and len(nxt.text.split()) <= 15 and not ends_sentence(nxt.text):
            return f"{title} {nxt.text.strip()}".rstrip(".")
        break
    return title


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
    cleaned = strip_headers_footers(pages, meta)
    vocab = document_vocabulary(ln for blocks in cleaned for _, lines in blocks for ln in lines)
    numbers = [p.number if isinstance(p.number, int) and p.number > 0 else i
               for i, p in enumerate(pages, start=1)]
    paras = join_broken(make_paragraphs(cleaned, vocab, numbers), vocab)

    title = ""
    title_para = _font_title(paras)
    if title_para is None and fmt == "html":
        # PARSE-HTML-H1-TITLE: a web page's title is its h1, not the skip links and banners
        # above it ("Skip to main content", "This page has been archived")
        title_para = next((p for p in paras[:40] if p.kind == "heading" and p.level == 1), None)
    authors: list[str] = []
    lower_words = _lowercase_words(cleaned)
    ref_blocks: list[list[str]] = []
    body: list[tuple[Para, str]] = []   # paragraph, section path
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
                kind = metadata_kind(text) or (
                    line_prefix_kind(text) if len(text.split()) <= 25 and "@" not in text else "")
                if kind:
                    add_meta(meta, kind, text)
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
                            and not is_journal_line(text) and not is_affiliation(text):
                        title = text
                        p.kind = "heading"
                        body.append((p, ""))
                        continue
                if not authors and (names := parse_byline(text, lower_words)) \
                        and not any(text in hf for hf in meta.get("headers_footers", [])):
                    authors = names
                    meta["author_line"] = text
                    continue
                if is_affiliation(text) and p.kind != "table":
                    add_meta(meta, "affiliation", text)
                    continue
                if is_journal_line(text):
                    add_meta(meta, "journal", text)
                    continue
                if not pre_title:
                    mode = "body"

        # -- a byline set after the title and a deck ("Richard Henderson", "By Jane Doe,
        # Economist") on the first page, and the authors' biographical notes anywhere
        if mode == "body" and p.kind != "table" and not p.strong:
            if not authors and p.page == pages_first and len(body) <= BYLINE_WINDOW \
                    and not any(text in hf for hf in meta.get("headers_footers", [])) \
                    and (names := parse_byline(text, lower_words)) \
                    and (byline_regex() and byline_regex().match(text) or names_confirmed(names, paras)):
                authors = names
                meta["author_line"] = text
                continue
            if authors and is_author_note(text, authors):
                meta.setdefault("author_notes", []).append(text)
                continue

        # -- metadata lines anywhere (short e-mail / keywords / doi lines)
        if p.kind != "table":
            kind = metadata_kind(text)
            if kind and mode != "refs":
                add_meta(meta, kind, text)
                continue

        if p.kind == "heading":
            key = heading_key(text)
            # Inside the reference list / acknowledgements only a known section
            # name or a markup/font heading ends it: a numbered entry ("12. World
            # Bank 2019") or a title-case line is part of the list.
            ends_meta = is_section_word(text) or (p.strong and not NUMBERED_HEADING_RE.match(text))
            if key in cue_words("reference_headings"):
                mode = "refs"
                meta.setdefault("reference_heading", text)
                continue
            if key in cue_words("metadata_headings"):
                mode = "ack"
                continue
            if mode in ("refs", "ack") and not ends_meta:
                (ref_blocks.extend(p.lines) if mode == "refs"
                 else meta.setdefault("acknowledgements", []).append(text))
                continue
            if mode != "front":
                mode = "body"
            if NUMBERED_HEADING_RE.match(text) and p.level < RUN_IN_LEVEL:
                numbered_seen = True
                push(p.level, text.rstrip("."))
            elif p.level >= RUN_IN_LEVEL:
                push(run_in_level(stack), text.rstrip("."))
            elif stack and not p.strong and is_division_heading(stack[-1][1]) and not is_division_heading(text):
                # PARSE-DIVISION-SUBHEADING: a heading under a law's division head ("Sec. 7. FOR THE
                # PORT AUTHORITY" > "Ferry Dock Grants (40000100)") is within that division
                push(stack[-1][0] + 1, text.rstrip(".:"))
            elif is_section_word(text) or fmt in ("md", "html") or not (
                    numbered_seen or any(NUMBERED_HEADING_RE.match(t) for _, t in stack)):
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
                push(run_in_level(stack), run_ins[0])
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

    # PARSE-RUNNING-TITLE (running_title.py): the title only the running header prints opens the body
    running_title_text = running_title(meta.get("headers_footers", []),
                                       " ".join(p.text for p, _ in body[:3])[:2000])
    if running_title_text is not None:
        first_page = body[0][0].page if body else 1
        parts.append(running_title_text)
        offset = len(running_title_text)
        add_page_start(0, first_page)
        paragraphs.append(Paragraph(text=running_title_text, page=first_page, section="", start=0, end=offset,
                                    kind="heading"))
        meta["running_title"] = running_title_text

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
    journal_cues = cue_words("journal_cues")
    running = [ln for ln in meta.get("headers_footers", []) if any(c in ln.lower() for c in journal_cues)]
    for line in meta.get("journal", []) + running:
        years = [int(y) for y in YEAR_RE.findall(line)]
        if years:
            year = years[0]
            break

    return ParsedDoc(
        doc_id=doc_id, source_file=source_file, format=fmt, pages=len(pages),
        words=len(text.split()), title=continued_title(title, paras), authors="; ".join(authors), year=year,
        status="ok", text=text, paragraphs=paragraphs, page_starts=page_starts,
        references=references, metadata=meta,
    )
