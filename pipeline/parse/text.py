"""Plain-text and Markdown readers: bytes -> pages of blocks of lines.

Pages split at form feeds (and at the "-- 3 of 12 --" lines some PDF-to-text tools write
between pages); blocks at blank lines. Markdown markup is stripped;
``#`` heading lines become blocks of kind "heading" that keep their ``#``
prefix so structure/ can read the level (the same convention html.py uses).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from .blocks import ParseError, RawBlock, RawPage

NOT_TEXT = "not text: binary content"
MARKDOWN_SUFFIXES = (".md", ".markdown")
# Single-byte Latin code pages the detector may pick for a short cp1252 sample
# (Windows, ISO, Mac, DOS, HP): cp1252 is tried before them.
_LATIN_FAMILY = ("cp125", "windows_125", "iso8859", "iso_8859", "latin", "mac_", "cp850", "cp437", "ascii",
                 "cp775", "cp852", "cp857", "cp858", "cp860", "cp861", "cp863", "cp865", "hp_roman")

# Thresholds of the "is this text?" checks. A file named .txt/.md/.html that
# fails one is an error row "not text: binary content (<which check>)".
# Measured on the project's text material (32 files: the seed, the .txt/.md/
# .html under tests/fixtures, the body texts of the shared PDFs): letters or
# digits are 89-98% of the visible characters of the extracted text, and
# whitespace 13-18% of all characters. 20,000 random printable bytes give 1%
# whitespace, a run of one letter 0%, random punctuation 6% letters or digits.
# The bars sit far from both sides.
BINARY_CONTROL_SHARE = 0.01   # C0 controls (not tab/newline/CR/FF/ESC) in the raw bytes
MIN_ALNUM_SHARE = 0.40        # letters or digits among non-whitespace characters
MIN_SPACE_SHARE = 0.04        # whitespace among all characters, for scripts that space words
MAX_ODD_SHARE = 0.01          # control, private-use, unassigned, surrogate or U+FFFD characters
NO_SPACE_SCRIPT_SHARE = 0.5   # CJK/Thai letters above this share of letters: no spacing check
MIN_VISIBLE = 50              # shares of fewer visible characters say nothing ("<", "Table 1")
_SAMPLE_CHARS = 200_000


def _looks_binary(data: bytes) -> str | None:
    """Why the raw bytes are not text (NUL bytes, C0 controls), or None."""
    sample = data[:65536]
    if b"\x00" in sample:
        return f"{NOT_TEXT} (NUL bytes)"
    # Many C0 control characters (other than whitespace / form feed) = binary.
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    if controls > max(8, len(sample) * BINARY_CONTROL_SHARE):
        return f"{NOT_TEXT} (control characters)"
    return None


def decode_bytes(data: bytes) -> str:
    """Decode text bytes robustly; raise ParseError for empty or binary input."""
    return decode_text(data)[0]


def decode_text(data: bytes) -> tuple[str, bool]:
    """(text, guessed): guessed is True when no BOM or valid UTF-8 said the encoding.

    Raises ParseError for empty or binary input.
    """
    if not data or not data.strip():
        raise ParseError("empty file")
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), False
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                     (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), False
            except UnicodeDecodeError:
                raise ParseError(f"{NOT_TEXT} (undecodable bytes)") from None
    binary = _looks_binary(data)
    if binary:
        raise ParseError(binary)
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    guess = None
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(data[:200000]).best()
        if best is not None and best.encoding:
            guess = best.encoding
    except Exception:
        guess = None
    # Western papers without a BOM are mostly cp1252; a short sample makes the
    # detector pick a sibling single-byte Latin code page, so those yield to cp1252.
    order = [guess, "cp1252"]
    if guess and guess.lower().replace("-", "_").startswith(_LATIN_FAMILY):
        order = ["cp1252", guess]
    for enc in [e for e in order if e]:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if _mostly_printable(text):
            return text, True
    text = data.decode("latin-1")
    if _mostly_printable(text):
        return text, True
    raise ParseError(f"{NOT_TEXT} (undecodable bytes)")


def _mostly_printable(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or 0x7f <= ord(c) < 0xa0)
    return bad <= max(4, len(sample) // 200)


def _no_space_script(c: str) -> bool:
    """Letters of scripts written without spaces between words (CJK, kana, Thai...)."""
    o = ord(c)
    return (0x0E00 <= o <= 0x0EFF or 0x1000 <= o <= 0x109F or 0x3040 <= o <= 0x30FF
            or 0x3400 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x2FFFF)


def noise_reason(text: str, guessed: bool = False) -> str | None:
    """Why decoded ``text`` is not text (binary decoded to noise), or None.

    Run on the text a reader extracted (markup and embedded images removed).
    ``guessed``: the encoding was guessed; then CJK-looking text must still
    space its words, since a wrong multi-byte guess turns bytes into CJK.
    """
    sample = text[:_SAMPLE_CHARS]
    visible = odd = alnum = letters = no_space = 0
    for c in sample:
        if c.isspace():
            continue
        visible += 1
        if c.isalnum():
            alnum += 1
            if c.isalpha():
                letters += 1
                if _no_space_script(c):
                    no_space += 1
        elif c == "\ufffd" or unicodedata.category(c) in ("Cc", "Co", "Cn", "Cs"):
            odd += 1
    if visible < MIN_VISIBLE:
        return None
    if odd > max(4, visible * MAX_ODD_SHARE):
        return f"{NOT_TEXT} (control or unassigned characters)"
    if alnum < visible * MIN_ALNUM_SHARE:
        return f"{NOT_TEXT} (only {100 * alnum // visible}% letters or digits)"
    spaces = len(sample) - visible
    spaced_script = guessed or no_space <= letters * NO_SPACE_SCRIPT_SHARE
    if spaced_script and spaces < len(sample) * MIN_SPACE_SHARE:
        return f"{NOT_TEXT} (no word spacing: {100 * spaces // len(sample)}% whitespace)"
    return None


def check_pages_are_text(pages: list[RawPage], guessed: bool = False) -> None:
    """Raise ParseError when the pages' text is noise (see noise_reason)."""
    text = "\n".join(line for page in pages for block in page.blocks for line in block.lines)
    reason = noise_reason(text, guessed)
    if reason:
        raise ParseError(reason)


def read_bytes(path: str | Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


_BLANK_SPLIT_RE = re.compile(r"\n[ \t]*\n")
# Markdown inline markup
_MD_IMAGE_RE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_MD_LINK_RE = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_MD_REFLINK_RE = re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]")
_MD_EMPH_RE = re.compile(r"(\*\*|\*|~~)(?=\S)([^*~\n]+?)(?<=\S)\1")
# underscores only at word edges, so snake_case names survive
_MD_UNDERSCORE_RE = re.compile(r"(?<!\w)(__|_)(?=\S)([^_\n]+?)(?<=\S)\1(?!\w)")
_MD_CODE_RE = re.compile(r"`([^`\n]*)`")
# "## Title", and "##Title" as converted pages write it (two or more hashes before a capital:
# a lone "#5" or "#tag" stays text)
_MD_HEADING_RE = re.compile(r"^\s{0,3}(#{1,6})(?:\s+|(?<=##)(?=[A-Z]))(.*?)\s*#*\s*$")
_MD_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_MD_QUOTE_RE = re.compile(r"^\s*>\s?")
_MD_RULE_RE = re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$")
_MD_TABLE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HTML_TAG_RE = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")


def strip_markdown_inline(line: str) -> str:
    line = _MD_IMAGE_RE.sub(r"\1", line)
    line = _MD_LINK_RE.sub(r"\1", line)
    line = _MD_REFLINK_RE.sub(r"\1", line)
    line = _MD_CODE_RE.sub(r"\1", line)
    line = _MD_EMPH_RE.sub(r"\2", line)
    line = _MD_UNDERSCORE_RE.sub(r"\2", line)
    line = _HTML_TAG_RE.sub("", line)
    return line


def _markdown_blocks(chunk: str) -> list[RawBlock]:
    """One blank-line chunk of Markdown -> heading / text / table blocks."""
    blocks: list[RawBlock] = []
    current: list[str] = []
    kind = "text"

    def flush() -> None:
        nonlocal current, kind
        if current:
            blocks.append(RawBlock(lines=current, kind=kind))
        current, kind = [], "text"

    lines = chunk.split("\n")
    for i, raw in enumerate(lines):
        if _MD_RULE_RE.match(raw) and not (current and _MD_SETEXT_RE.match(raw)):
            flush()
            continue
        hm = _MD_HEADING_RE.match(raw)
        if hm:
            flush()
            text = strip_markdown_inline(hm.group(2)).strip()
            if text:
                blocks.append(RawBlock(lines=[hm.group(1) + " " + text], kind="heading"))
            continue
        if current and len(current) == 1 and kind == "text" and _MD_SETEXT_RE.match(raw):
            level = "#" if raw.strip().startswith("=") else "##"
            blocks.append(RawBlock(lines=[level + " " + current[0]], kind="heading"))
            current = []
            continue
        if _MD_TABLE_SEP_RE.match(raw) and "|" in raw:
            kind = "table"
            continue
        if raw.lstrip().startswith("|"):
            if kind != "table" and current:
                flush()
            kind = "table"
            cells = [strip_markdown_inline(c).strip() for c in raw.strip().strip("|").split("|")]
            current.append(" | ".join(c for c in cells if c))
            continue
        line = _MD_QUOTE_RE.sub("", raw)
        if _MD_LIST_RE.match(line):
            # each list item is its own block (a separate statement)
            flush()
            line = _MD_LIST_RE.sub("", line)
        line = strip_markdown_inline(line).strip()
        if line:
            current.append(line)
    flush()
    return blocks


# PARSE-TEXT-PAGE-MARKER: text saved from a PDF by a converter that marks each page's end with
# a line "-- 3 of 12 --" (pdf.js-based tools) keeps its pages: the line is a page break, so running
# headers are found per page and evidence carries its page. Only a run of at least two such lines
# with one and the same total and page numbers that rise counts; one stray line is text.
_PAGE_MARKER_RE = re.compile(r"^[ \t]*--[ \t]*(\d{1,5})[ \t]+of[ \t]+(\d{1,5})[ \t]*--[ \t]*$", re.M)


def _page_markers_to_form_feeds(text: str) -> str:
    """Replace "-- N of M --" page-end lines with form feeds when they form a page sequence."""
    found = [(int(m.group(1)), int(m.group(2))) for m in _PAGE_MARKER_RE.finditer(text)]
    if len(found) < 2 or len({total for _, total in found}) != 1 \
            or any(b <= a for (a, _), (b, _) in zip(found, found[1:])) or found[-1][0] > found[0][1]:
        return text
    return _PAGE_MARKER_RE.sub("\f", text)


def split_pages(text: str, markdown: bool = False) -> list[RawPage]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if markdown:
        text = _strip_code_fences(text)
    if "--" in text:
        text = _page_markers_to_form_feeds(text)
    pages_text = text.split("\f")
    # A trailing form feed does not start a real page.
    while len(pages_text) > 1 and not pages_text[-1].strip():
        pages_text.pop()
    pages: list[RawPage] = []
    for number, page_text in enumerate(pages_text, start=1):
        page = RawPage(number=number)
        for chunk in _BLANK_SPLIT_RE.split(page_text):
            if not chunk.strip():
                continue
            if markdown:
                page.blocks.extend(_markdown_blocks(chunk))
            else:
                lines = [ln.rstrip() for ln in chunk.split("\n") if ln.strip()]
                if lines:
                    page.blocks.append(RawBlock(lines=lines))
        pages.append(page)
    return pages


def _strip_code_fences(text: str) -> str:
    """Drop fence lines; keep the code as plain text (it may hold tables/numbers)."""
    out = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("```") or s.startswith("~~~"):
            out.append("")
            continue
        out.append(line)
    return "\n".join(out)


def read_text_file(path: str | Path) -> list[RawPage]:
    """Read a .txt or .md file into pages of blocks; ParseError when not text."""
    path = Path(path)
    text, guessed = decode_text(read_bytes(path))
    if not text.strip():
        raise ParseError("empty file")
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    if markdown:
        from .meta import strip_front_matter
        text = strip_front_matter(text)     # YAML front matter is metadata, not body
    pages = split_pages(text, markdown=markdown)
    if not any(p.blocks for p in pages):
        raise ParseError("empty file")
    check_pages_are_text(pages, guessed)
    return pages
