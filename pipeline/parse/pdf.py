"""PDF reader: pypdfium2 words -> rows -> columns -> blocks in reading order.

Why pypdfium2 and not pdfplumber chars: pdfium builds the page's text (with
its own word spacing, ligatures and line-end hyphen marks) in C; this reader
asks it for one page string and then only two char boxes and one text-object
handle per *word*, never a Python object per character (per-word calls go
through ctypes prototypes without argtypes; style is read once per text object,
boldness once per font; char boxes are kept as flat float lists, which the garbage
collector does not trace). That keeps it at about 4x pypdfium2's bare
``get_text_range`` (CPU time, the 8 sample PDFs) and over 10x faster than
pdfplumber's ``extract_text``, while doing its own layout (pdfium's and
pdfplumber's text order interleave columns).

Layout, per page:
1. words are put into the reading frame of the page's dominant text direction
   (a page printed sideways reads normally); words in another direction (margin
   stamps, rotated table heads) are laid out separately and appended;
2. consecutive words of one style on one line merge into runs (fragments);
3. fragments are grouped into rows by vertical overlap with the row's tallest
   member (never the union, so rows cannot chain across offset columns; drop
   caps are placed last);
4. gutters are vertical "rivers" of whitespace: an x-interval that stays empty
   in consecutive rows, with text on both sides. A gutter is only valid for the
   rows it runs through, so a page can go from full-width heading to three
   columns to two columns to a full-width table. Rivers between table cells
   are dropped (narrow columns, or columns of short cells, narrowest first);
5. consecutive rows with the same active gutters form a band; a band is read
   column by column, bands top to bottom; each column's lines are regrouped so
   a heading in one column never shares a line with another column;
6. each column's lines are split into blocks at vertical gaps, font-size
   changes, whole-line bold changes and first-line indents after a paragraph
   end. The first and last row of a page are their own blocks so the structure
   builder can recognize running headers and footers. Blocks whose lines
   mostly have several wide gaps are marked ``kind="table"``. Per line, the
   count of leading bold characters goes to ``RawBlock.line_bold_chars`` (bold
   run-in heads); a whole-bold line followed by a line that starts bold is one
   head wrapped over two lines and stays in the block; small capitals inside a
   sentence do not count as a font-size change.
7. footnote markers set as superscripts (smaller and raised: compared from the
   word's first and last char boxes, so no extra pdfium call for most words)
   are dropped when glued to or standing after a word ("2007.1" -> "2007.",
   "Reports 1 from" -> "Reports from"), and separated when they open a line
   ("10A flight" -> "10 A flight", a footnote's own number). Powers after "10"
   and after units such as "m2" are kept.

Pages without a usable text layer (none, or garbage) that hold images are read
by OCR (ocr.py: pypdfium2 renders, Tesseract reads); their words enter the same
layout from step 2 on. A page that gives no text says why in ``RawPage.error``.

Unreadable files raise ``ParseError`` with a one-line reason whose first words
name the class: ``not a PDF``, ``encrypted PDF``, ``damaged PDF``,
``no pages``, ``no text layer`` (plus ``unreadable file`` for OS errors).
pdfium does the decoding; it bounds Form XObject recursion itself, and this
module has no recursion at all.
"""
from __future__ import annotations

import ctypes
import math
import re
import statistics
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, le
from pathlib import Path
from typing import Iterable, NamedTuple, Optional

from .blocks import ParseError, RawBlock, RawPage, page_errors

_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold", re.IGNORECASE)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\uffff]")
_SPACES = re.compile(r"\s+")
_SURROGATES = re.compile("[\ud800-\udfff]")
# pdfium marks a hyphen it joined across a line break with U+FFFE (or U+0002) and no
# break after it: a word ends there, keeping its hyphen.
_LINE_END_HYPHENS = "\ufffe\x02"
_WORD = re.compile(rf"[^\s{_LINE_END_HYPHENS}]+[{_LINE_END_HYPHENS}]?|[{_LINE_END_HYPHENS}]")

# Layout constants, in units of the page's median font size (em) unless noted.
_RUN_GAP_EM = 0.6           # widest word gap inside one run (narrower than any gutter)
_ROW_OVERLAP = 0.5          # share of the smaller height two fragments must share to be one row
_TALL_FACTOR = 1.8          # fragments taller than this x the median height are drop caps or symbols
_MIN_GUTTER_EM = 0.8        # narrowest whitespace river counted as a column gutter
_MIN_GUTTER_ROWS = 3        # rows a river must run through
_MIN_COLUMN_SHARE = 0.17    # a column is at least this share of the text width (tables are not columns)
_MIN_WIDE_SHARE = 0.4       # text lines fill their column; table cells are short
_BLOCK_GAP_EM = 0.5         # extra vertical space beyond the normal line gap that starts a new block
_SIZE_CHANGE = 0.12         # relative font-size change that starts a new block
_BOLD_LINE_SHARE = 0.9      # share of bold chars that makes a whole line bold
_INDENT_EM = 0.8            # first-line indent that starts a paragraph
_TABLE_GAP_EM = 2.0         # a gap this wide inside a line looks like a table cell boundary


class _Fragment:
    """A run of words on one line with one style, in the page's reading frame (x right, y down)."""

    # A plain slotted class: one is made per run of words, and a dataclass init costs more.
    __slots__ = ("x0", "top", "x1", "bottom", "text", "size", "bold", "height", "weight")

    def __init__(self, x0: float, top: float, x1: float, bottom: float, text: str, size: float, bold: bool) -> None:
        self.x0, self.top, self.x1, self.bottom = x0, top, x1, bottom
        self.text, self.size, self.bold = text, size, bold
        self.height = bottom - top
        self.weight = max(1, len(text) - text.count(" "))   # characters, for weighted medians and shares


@dataclass(slots=True)   # no __dict__: one object less per row for the garbage collector
class _Row:
    ref_top: float
    ref_bottom: float
    frags: list[_Fragment] = field(default_factory=list)


class _Line:
    """One line of one column; its extent is computed once (frags are not changed after)."""

    __slots__ = ("frags", "column", "x0", "x1", "top", "bottom")

    def __init__(self, frags: list[_Fragment], column: int) -> None:
        self.frags = frags
        self.column = column
        head = frags[0]
        x0, x1, top, bottom = head.x0, head.x1, head.top, head.bottom
        for f in frags:
            if f.x0 < x0:
                x0 = f.x0
            if f.x1 > x1:
                x1 = f.x1
            if f.top < top:
                top = f.top
            if f.bottom > bottom:
                bottom = f.bottom
        self.x0, self.x1, self.top, self.bottom = x0, x1, top, bottom


@dataclass(eq=False)
class _Gutter:
    """One whitespace river; compared by identity (rivers are mutable while they are traced)."""

    x0: float
    x1: float
    first_row: int
    last_row: int


# --------------------------------------------------------------------------- open


def _classify_open_error(exc: Exception, password: Optional[str]) -> ParseError:
    message = str(exc)
    if "password" in message.lower():
        if password:
            return ParseError("encrypted PDF: wrong password")
        return ParseError("encrypted PDF: a password is required")
    cause = message.split("(PDFium:")[-1].strip(" .)") if "PDFium:" in message else message
    return ParseError(f"damaged PDF: {cause or type(exc).__name__}")


def _check_header(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ParseError(f"unreadable file: {exc.strerror or type(exc).__name__}") from None
    if size == 0:
        raise ParseError("not a PDF: file is empty")
    # The spec allows junk before the header; readers accept it within 1 KiB.
    if b"%PDF-" not in head:
        raise ParseError("not a PDF: no %PDF header")


def _open_document(path: Path, password: Optional[str]):
    import pypdfium2 as pdfium

    _check_header(path)
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        raise _classify_open_error(exc, password) from None
    except Exception as exc:  # noqa: BLE001 - a reader reports, it does not crash
        raise ParseError(f"damaged PDF: {type(exc).__name__}") from None


# -------------------------------------------------------------------------- words


def _c_function(function, restype, *argtypes):
    """A private ctypes prototype for a pdfium function: plain ints for handles, no wrappers."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _c_function_unchecked(function, restype):
    """A prototype without argtypes, for the per-word calls: the caller passes a prebuilt
    ``c_void_p`` handle, a Python int index and a ``byref`` pointer, so ctypes converts
    nothing per call (about 40% less call overhead than with argtypes)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype)(address)


class _Pdfium:
    """pdfium text-page calls with lean prototypes (they run once per word)."""

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        void, integer = ctypes.c_void_p, ctypes.c_int
        # The rect goes in as a plain address: ctypes converts an int faster than a pointer object.
        self.loose_box = _c_function(pdfium_c.FPDFText_GetLooseCharBox, integer, void, integer, void)
        self.text_object = _c_function(pdfium_c.FPDFText_GetTextObject, void, void, integer)
        self.font_size = _c_function(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, void, integer)
        self.char_matrix = _c_function(pdfium_c.FPDFText_GetMatrix, integer, void, integer, void)
        self.font_info = _c_function(
            pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong, void, integer, void, ctypes.c_ulong, void)
        self.unicode = _c_function(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, void, integer)
        # One pointer argument: ctypes converts the int handle faster than a c_void_p made per call.
        self.object_font = _c_function(pdfium_c.FPDFTextObj_GetFont, void, void)
        # Unchecked twins of the hottest calls (see _c_function_unchecked for the calling rules).
        self.loose_box_fast = _c_function_unchecked(pdfium_c.FPDFText_GetLooseCharBox, integer)
        self.text_object_fast = _c_function_unchecked(pdfium_c.FPDFText_GetTextObject, void)
        self.font_size_fast = _c_function_unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
        self.char_matrix_fast = _c_function_unchecked(pdfium_c.FPDFText_GetMatrix, integer)
        self.unicode_fast = _c_function_unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)


_PDFIUM: Optional[_Pdfium] = None


def _pdfium() -> _Pdfium:
    global _PDFIUM
    if _PDFIUM is None:
        _PDFIUM = _Pdfium()
    return _PDFIUM


# A word's style: (font size, bold, direction); direction is the baseline direction in
# user space, 0, 90, 180 or 270. A tuple, because it is read once per word.
_Style = tuple[float, bool, int]


class _StyleReader:
    """Size, boldness and direction of a char's text object; buffers reused across calls.

    Runs once per text object (some PDFs set every word as its own object): boldness
    comes from the font's name, read once per font handle.
    """

    def __init__(self, api: _Pdfium, textpage) -> None:
        self.api = api
        self.handle = ctypes.cast(textpage, ctypes.c_void_p).value
        self.handle_arg = ctypes.c_void_p(self.handle)
        self.matrix = api.c.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        # The matrix's a, b, c, d as four floats over the same memory: one slice reads them.
        self.matrix_abcd = (ctypes.c_float * 4).from_address(ctypes.addressof(self.matrix))
        self.name_buffer = ctypes.create_string_buffer(128)
        self.name_address = ctypes.addressof(self.name_buffer)
        self.flags = ctypes.c_int(0)
        self.flags_address = ctypes.addressof(self.flags)
        self.bold_by_name: dict[bytes, bool] = {}
        self.bold_by_font: dict[int, bool] = {}

    def style(self, index: int, text_object: int = 0) -> _Style:
        """The style of char ``index``, whose text object is ``text_object`` (0: unknown)."""
        api, handle_arg = self.api, self.handle_arg
        size = api.font_size_fast(handle_arg, index) or 1.0
        direction = 0
        if api.char_matrix_fast(handle_arg, index, self.matrix_ref):
            a, b, c, d = self.matrix_abcd[:]
            # The char matrix holds text matrix, CTM and form matrices, so it scales the Tf size.
            size *= math.sqrt(abs(a * d - b * c)) or 1.0
            if b or a < 0:
                angle = math.degrees(math.atan2(b, a)) % 360
                direction = int(((angle + 45) % 360) // 90) * 90
        font = api.object_font(text_object) if text_object else None
        bold = self.bold_by_font.get(font) if font else None
        if bold is None:
            bold = self._bold_by_name(index)
            if font:
                self.bold_by_font[font] = bold
        return (round(size, 2), bold, direction)

    def _bold_by_name(self, index: int) -> bool:
        api = self.api
        n = api.font_info(self.handle, index, self.name_address, 128, self.flags_address)
        name = ctypes.string_at(self.name_address, max(0, min(n, 128) - 1))
        bold = self.bold_by_name.get(name)
        if bold is None:
            bold = bool(_BOLD_NAME.search(name.decode("latin-1", "replace")))
            self.bold_by_name[name] = bold
        return bold


def _page_text(api: _Pdfium, textpage, n_chars: int) -> str:
    """The text page's characters, one per char index (generated spaces and breaks included)."""
    c = api.c
    buffer = (ctypes.c_ushort * (n_chars + 1))()
    n_units = c.FPDFText_GetText(textpage, 0, n_chars, buffer)
    text = ctypes.string_at(buffer, max(0, n_units - 1) * 2).decode("utf-16-le", errors="replace")
    if len(text) != n_chars:
        # pdfium drops some control code points from GetText (and surrogates take two units).
        unicode, handle_arg = api.unicode_fast, ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
        text = "".join(map(chr, [unicode(handle_arg, i) for i in range(n_chars)]))
        # GetUnicode gives UTF-16 units: a surrogate (damaged font maps) can't be
        # written as UTF-8; it becomes U+FFFD, one for one.
        text = _SURROGATES.sub("\ufffd", text)
    # One char for one char keeps text index == char index; control chars become breaks.
    return _CONTROL_CHARS.sub(" ", text)


@dataclass
class _PageWords:
    """A page's words, already merged into runs, in pdfium's order."""
    runs: list[_Fragment] = field(default_factory=list)
    directions: list[int] = field(default_factory=list)     # per run
    weights: dict[int, int] = field(default_factory=dict)   # characters per direction
    # Per direction, each word's first and last char box as pdfium's left, top, right, bottom,
    # flat (four floats a box): a page holds thousands, and float lists cost the garbage
    # collector nothing while a list per box made it trace them all again and again.
    boxes: dict[int, list[float]] = field(default_factory=dict)


def _page_words(textpage, page_box: tuple[float, float, float, float]) -> _PageWords:
    """Words as pdfium separates them (real or generated whitespace), merged into runs.

    Per word: its first and last char box, and its text object's style (read once
    per text object). Consecutive words on the same line in the same style become
    one run in the reading frame of their direction (x right, y down): fewer
    fragments for the layout, and a run never spans a gap a gutter could hide in.
    This loop runs once per word of the document, so it keeps everything local and
    char boxes stay pdfium's [left, top, right, bottom] lists (one slice per box).
    """
    out = _PageWords()
    api = _pdfium()
    n_chars = api.c.FPDFText_CountChars(textpage)
    if n_chars <= 0:
        return out
    text = _page_text(api, textpage, n_chars)
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    handle_arg = ctypes.c_void_p(handle)
    rect = api.c.FS_RECTF()
    rect_pointer = ctypes.addressof(rect)
    rect_ref = ctypes.byref(rect)
    # The same memory as four floats (left, top, right, bottom): one slice reads them all.
    rect_floats = (ctypes.c_float * 4).from_address(rect_pointer)
    styles: dict[int, _Style] = {}
    style_reader = _StyleReader(api, textpage)
    left, bottom, right, top = page_box
    plain_frame = left == 0 and bottom == 0
    loose_box, text_object = api.loose_box_fast, api.text_object_fast
    weights, boxes = out.weights, out.boxes
    runs, directions = out.runs, out.directions
    upright_boxes: list[float] = []   # flat, see _PageWords.boxes
    # The open run lives in locals; its text and right edge are written back at the end.
    run_words: list[str] = []         # the words of all runs, run after run (no list per run)
    run_starts: list[int] = []        # per run: the index of its first word in run_words
    run_x1s: list[float] = []         # per run: its right edge
    run_direction = -1
    run_size = run_top = run_bottom = run_x1 = run_tolerance = gap_limit = 0.0
    run_bold = False
    hyphens = _LINE_END_HYPHENS

    for match in _WORD.finditer(text):
        start, end = match.span()
        if not loose_box(handle_arg, start, rect_ref):
            continue
        first = rect_floats[:]
        f_left, f_top, f_right, f_bottom = first
        if end - 1 > start and loose_box(handle_arg, end - 1, rect_ref):
            last = rect_floats[:]
            l_left, l_top, l_right, l_bottom = last
        else:
            last = first
            l_left, l_top, l_right, l_bottom = first
        first_height = abs(f_top - f_bottom)
        last_height = abs(l_top - l_bottom)
        # Vertical extent: a drop cap is far taller than its word; else the taller end
        # (a superscript footnote mark sits at either end of its word).
        if first_height > 2.0 * last_height or last_height > first_height:
            vertical, anchor = last, end - 1
        else:
            vertical, anchor = first, start
        obj = text_object(handle_arg, anchor) or 0
        style = styles.get(obj)
        if style is None:
            style = styles[obj] = style_reader.style(anchor, obj)
        size, bold, direction = style
        word = match.group()
        if word[-1] in hyphens:
            word = word[:-1] + "-"
        if direction == 0:
            # Ends of different heights (cheap tests first): maybe a superscript note marker.
            if first_height != last_height and end - start > 1 \
                    and abs(first_height - last_height) > 0.1 * (first_height + last_height):
                first_box, last_box = _user_box(first), _user_box(last)
                if _is_raised_small(last_box, first_box) or _is_raised_small(first_box, last_box):
                    word = _split_superscript(word, start, first_box, last_box, handle, rect, rect_pointer, api)
                    if not word:
                        continue
            upright_boxes += first
            upright_boxes += last
            if plain_frame:
                x0 = f_left if f_left < l_left else l_left
                x1 = f_right if f_right > l_right else l_right
                v_top, v_bottom = top - vertical[1], top - vertical[3]
            else:
                fx0, _, fx1, _ = _to_frame(_user_box(first), 0, page_box)
                lx0, _, lx1, _ = _to_frame(_user_box(last), 0, page_box)
                _, v_top, _, v_bottom = _to_frame(_user_box(vertical), 0, page_box)
                x0, x1 = min(fx0, lx0), max(fx1, lx1)
        else:
            boxes.setdefault(direction, []).extend(first + last)
            fx0, _, fx1, _ = _to_frame(_user_box(first), direction, page_box)
            lx0, _, lx1, _ = _to_frame(_user_box(last), direction, page_box)
            _, v_top, _, v_bottom = _to_frame(_user_box(vertical), direction, page_box)
            x0, x1 = min(fx0, lx0), max(fx1, lx1)
        # Consecutive words on the same line in the same style become one run (the
        # chained comparisons are abs(difference) < tolerance).
        if (direction == run_direction and size == run_size and bold == run_bold
                and -run_tolerance < v_top - run_top < run_tolerance
                and -run_tolerance < v_bottom - run_bottom < run_tolerance
                and 0 <= x0 - run_x1 < gap_limit):
            run_words.append(word)
            if x1 > run_x1:
                run_x1 = x1
            continue
        if runs:
            run_x1s.append(run_x1)
        run = _Fragment(x0, v_top, x1, v_bottom, word, size, bold)
        runs.append(run)
        directions.append(direction)
        run_starts.append(len(run_words))
        run_words.append(word)
        run_direction, run_size, run_bold = direction, size, bold
        run_top, run_bottom, run_x1 = v_top, v_bottom, x1
        run_tolerance = 0.2 * run.height
        gap_limit = _RUN_GAP_EM * size
    if runs:
        run_x1s.append(run_x1)
    run_stops = run_starts[1:]
    run_stops.append(len(run_words))
    # Weights as if each word had been added to its run one by one.
    for run, begin, stop, x1, direction in zip(runs, run_starts, run_stops, run_x1s, directions):
        if stop - begin > 1:
            parts = run_words[begin:stop]
            run.text = " ".join(parts)
            run.x1 = x1
            chars = sum(map(len, parts))
            run.weight += chars - len(parts[0])
        else:
            chars = len(run_words[begin])
        weights[direction] = weights.get(direction, 0) + chars
    if upright_boxes:
        boxes[0] = upright_boxes
    return out


def _user_box(box: list[float]) -> tuple[float, float, float, float]:
    """pdfium's [left, top, right, bottom] as the (left, bottom, right, top) box used below."""
    return (box[0], box[3], box[2], box[1])


# Footnote markers: digits and the usual note symbols, set smaller and raised.
_MARKER_CHARS = frozenset("0123456789*†‡§¶,")
_SUPERSCRIPT_HEIGHT = 0.85   # a superscript box is at most this share of the normal box height
_SUPERSCRIPT_RISE = 0.2      # ... and its bottom sits this share of the normal height higher


def _is_raised_small(box: tuple[float, float, float, float], normal: tuple[float, float, float, float]) -> bool:
    """A char box (user space: left, bottom, right, top) set smaller and higher than ``normal``."""
    height = normal[3] - normal[1]
    return (height > 0 and box[3] - box[1] < _SUPERSCRIPT_HEIGHT * height
            and box[1] > normal[1] + _SUPERSCRIPT_RISE * height)


@lru_cache(maxsize=1)
def _units_with_powers() -> frozenset[str]:
    """Units written with a raised power ("m2", "km2"): their superscript is kept."""
    from .repair import _set
    return frozenset(u for u in _set("units") if u[-1:].isdigit())


def _split_superscript(word: str, start: int, first, last, handle, rect, rect_pointer, api: _Pdfium) -> str:
    """The word with its footnote marker handled; '' when the word is only a marker.

    pdfium glues a superscript note number to its word ("2007.1", "dollars),4",
    "10A flight"). A trailing marker is dropped (kept as a power after "10" and
    after units such as "m2"); a leading marker (a footnote's own number) is
    kept but separated from the word. Only marker characters count, and only
    while each char box stays small and raised.
    """
    n = len(word)
    if _is_raised_small(last, first) and word[-1] in _MARKER_CHARS:
        k = n - 1
        while k > 0 and word[k - 1] in _MARKER_CHARS and api.loose_box(handle, start + k - 1, rect_pointer) \
                and _is_raised_small((rect.left, rect.bottom, rect.right, rect.top), first):
            k -= 1
        base, marker = word[:k], word[k:].strip(",")
        if not marker or not any(c.isdigit() or c in "*†‡§¶" for c in marker) or not base:
            return word
        _SUPERSCRIPT_STATS["dropped"] += 1
        if base == "10" or (base.lower() + marker) in _units_with_powers():
            return base + ("^" + marker if base == "10" else marker)
        return base
    if _is_raised_small(first, last) and word[0] in _MARKER_CHARS:
        k = 1
        while k < n - 1 and word[k] in _MARKER_CHARS and api.loose_box(handle, start + k, rect_pointer) \
                and _is_raised_small((rect.left, rect.bottom, rect.right, rect.top), last):
            k += 1
        marker, rest = word[:k], word[k:]
        if rest[:1].isalpha() or rest[:1] in "\"'“‘(":
            _SUPERSCRIPT_STATS["separated"] += 1
            return marker + " " + rest
    return word


# Counts of footnote markers handled since import (for reports and tests).
_SUPERSCRIPT_STATS = {"dropped": 0, "separated": 0, "standalone_dropped": 0}


def _to_frame(
    box: tuple[float, float, float, float], direction: int, page_box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """Map a user-space box into the reading frame of ``direction`` (x right, y down)."""
    left, bottom, right, top = page_box
    bx0, by0, bx1, by1 = box
    corners = ((bx0, by0), (bx1, by1))
    if direction == 90:
        points = [(y - bottom, x - left) for x, y in corners]
    elif direction == 180:
        points = [(right - x, y - bottom) for x, y in corners]
    elif direction == 270:
        points = [(top - y, right - x) for x, y in corners]
    else:
        points = [(x - left, top - y) for x, y in corners]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


# --------------------------------------------------------------------------- rows


_TOP_LEFT = attrgetter("top", "x0")
_LEFT = attrgetter("x0")


def _group_rows(frags: list[_Fragment]) -> list[_Row]:
    """Rows of fragments that share a baseline band; the seed's extent never grows."""
    heights = sorted(f.height for f in frags)
    normal_height = heights[len(heights) // 2] if heights else 0.0
    # Drop caps and tall symbols would seed rows that swallow several lines: place them last.
    tall = [f for f in frags if f.height > _TALL_FACTOR * normal_height]
    rows: list[_Row] = []
    open_rows: list[_Row] = []
    tall_limit = _TALL_FACTOR * normal_height
    for frag in sorted((f for f in frags if f.height <= tall_limit), key=_TOP_LEFT):
        best: Optional[_Row] = None
        best_share = 0.0
        f_top, f_bottom, f_height = frag.top, frag.bottom, frag.height
        # Fragments arrive sorted by top: a row that ends above this one is closed for good.
        if open_rows:
            open_rows = [row for row in open_rows if row.ref_bottom > f_top]
        for row in open_rows:
            # min()/max() spelled out (same tie and NaN behaviour): this runs per fragment and row.
            r_top, r_bottom = row.ref_top, row.ref_bottom
            overlap = (f_bottom if f_bottom < r_bottom else r_bottom) - (f_top if f_top > r_top else r_top)
            smaller = r_bottom - r_top
            if f_height < smaller:
                smaller = f_height
            if not smaller > 1e-6:
                smaller = 1e-6
            share = overlap / smaller
            if share > best_share:
                best, best_share = row, share
        if best is not None and best_share >= _ROW_OVERLAP:
            best.frags.append(frag)
            # The reference is the tallest member (never the union): a superscript
            # seed hands over to its line, and rows still cannot chain.
            if frag.height > best.ref_bottom - best.ref_top:
                best.ref_top, best.ref_bottom = frag.top, frag.bottom
        else:
            row = _Row(frag.top, frag.bottom, [frag])
            rows.append(row)
            open_rows.append(row)
    rows.sort(key=lambda r: r.ref_top)
    for frag in tall:
        # The topmost row it covers the middle of, as a drop cap belongs to its first line.
        host = next((r for r in rows if frag.top <= (r.ref_top + r.ref_bottom) / 2 <= frag.bottom
                     and r.frags and min(abs(frag.x1 - g.x0) for g in r.frags) < 2 * normal_height), None)
        if host is None:
            rows.append(_Row(frag.top, frag.bottom, [frag]))
        else:
            host.frags.append(frag)
    for row in rows:
        row.frags.sort(key=_LEFT)
    rows.sort(key=lambda r: (r.ref_top + r.ref_bottom) / 2)
    return rows


def _segments(frags: list[_Fragment], join_gap: float) -> list[tuple[float, float]]:
    """Merge a row's fragments into x-intervals separated by gaps wider than join_gap."""
    spans: list[tuple[float, float]] = []
    if not frags:
        return spans
    start, end = frags[0].x0, frags[0].x1
    for index in range(1, len(frags)):  # sorted by x0
        frag = frags[index]
        if frag.x0 - end < join_gap:
            if frag.x1 > end:   # max(end, x1)
                end = frag.x1
        else:
            spans.append((start, end))
            start, end = frag.x0, frag.x1
    spans.append((start, end))
    return spans


def _row_gaps(spans: list[tuple[float, float]], left: float, right: float, min_width: float) -> list[tuple[float, float]]:
    gaps = []
    edge = left
    for x0, x1 in spans:
        if x0 - edge >= min_width:
            gaps.append((edge, x0))
        edge = max(edge, x1)
    if right - edge >= min_width:
        gaps.append((edge, right))
    return gaps


def _find_gutters(rows: list[_Row], em: float, text_left: float, text_right: float) -> list[_Gutter]:
    """Whitespace rivers: x-intervals empty in consecutive rows, with text on both sides."""
    min_width = _MIN_GUTTER_EM * em
    text_width = max(1.0, text_right - text_left)
    row_spans = [_segments(row.frags, min_width) for row in rows]
    finished: list[_Gutter] = []
    active: list[_Gutter] = []
    for index, spans in enumerate(row_spans):
        gaps = _row_gaps(spans, text_left - 1.0, text_right + 1.0, min_width)
        still: list[_Gutter] = []
        for gutter in active:
            best_x0 = best_x1 = 0.0
            best_width = -1.0
            g_x0, g_x1 = gutter.x0, gutter.x1
            for gx0, gx1 in gaps:
                x0 = g_x0 if g_x0 > gx0 else gx0
                x1 = g_x1 if g_x1 < gx1 else gx1
                width = x1 - x0
                if width >= min_width and width > best_width:
                    best_x0, best_x1, best_width = x0, x1, width
            if best_width < 0:
                finished.append(gutter)
            else:
                gutter.x0, gutter.x1, gutter.last_row = best_x0, best_x1, index
                still.append(gutter)
        for gx0, gx1 in gaps:
            # A gap already followed by a running river does not start a new one.
            low, high = gx0 - 0.5, gx1 + 0.5
            for g in still:
                if g.x0 >= low and g.x1 <= high:
                    break
            else:
                still.append(_Gutter(gx0, gx1, index, index))
        active = still
    finished.extend(active)

    accepted: list[_Gutter] = []
    for gutter in finished:
        if gutter.last_row - gutter.first_row + 1 < _MIN_GUTTER_ROWS:
            continue
        if gutter.x0 <= text_left or gutter.x1 >= text_right:
            continue  # a margin, not a gutter
        # Text on both sides in at least two rows each. A row's spans run left to right,
        # so its first (last) span usually decides; the scan stops once both sides count two.
        left_limit, right_limit = gutter.x0 + 0.5, gutter.x1 - 0.5
        lefts = rights = 0
        for spans in row_spans[gutter.first_row : gutter.last_row + 1]:
            if spans[0][1] <= left_limit or any(s[1] <= left_limit for s in spans):
                lefts += 1
            if spans[-1][0] >= right_limit or any(s[0] >= right_limit for s in spans):
                rights += 1
            if lefts >= 2 and rights >= 2:
                accepted.append(gutter)
                break
    accepted = _dedupe_gutters(accepted)
    return _drop_narrow_columns(accepted, row_spans, text_left, text_right, text_width)


def _dedupe_gutters(gutters: list[_Gutter]) -> list[_Gutter]:
    """Merge rivers that overlap in x and in rows (the same gutter found twice)."""
    gutters = sorted(gutters, key=lambda g: (g.first_row, g.x0))
    merged: list[_Gutter] = []
    for gutter in gutters:
        for other in merged:
            x_overlap = min(other.x1, gutter.x1) - max(other.x0, gutter.x0)
            rows_touch = gutter.first_row <= other.last_row + 1 and other.first_row <= gutter.last_row + 1
            if x_overlap > 0 and rows_touch:
                other.first_row = min(other.first_row, gutter.first_row)
                other.last_row = max(other.last_row, gutter.last_row)
                other.x0, other.x1 = max(other.x0, gutter.x0), min(other.x1, gutter.x1)
                if other.x1 <= other.x0:
                    middle = (other.x0 + other.x1) / 2
                    other.x0, other.x1 = middle - 0.5, middle + 0.5
                break
        else:
            merged.append(_Gutter(gutter.x0, gutter.x1, gutter.first_row, gutter.last_row))
    return merged


def _drop_narrow_columns(
    gutters: list[_Gutter], row_spans: list[list[tuple[float, float]]],
    text_left: float, text_right: float, text_width: float,
) -> list[_Gutter]:
    """Table cells also leave rivers; a text column is wide on both sides of its gutter.

    The narrowest failing river goes first, then its row-neighbours are judged
    again: a table's cell gaps must not make the real column gutter beside them
    look narrow.
    """
    # A river too close to the text edge can never have a wide column on that side.
    kept = [g for g in gutters
            if min(g.x0 - text_left, text_right - g.x1) >= _MIN_COLUMN_SHARE * text_width]
    if not kept:
        return kept
    # Per row, the gutters running through it, left to right (a stable sort: gutters with
    # the same x0 keep their order in ``kept``; removals keep the rest in order).
    active_by_row: dict[int, list[_Gutter]] = {}
    for gutter in kept:
        for index in range(gutter.first_row, gutter.last_row + 1):
            active_by_row.setdefault(index, []).append(gutter)
    # Only rows some gutter runs through are ever read (gutters do not grow here).
    row_edges: list[Optional[_RowEdges]] = [None] * len(row_spans)
    for index, row in active_by_row.items():
        row.sort(key=_LEFT)
        row_edges[index] = _RowEdges.of(row_spans[index])

    # A gutter's two column regions, each kept with the bounds it was found for: removing a
    # neighbour usually moves the bounds on one side only, and the other side is reused.
    sides: dict[tuple[int, bool], tuple[_Stretches, _SideSpans]] = {}

    def side(gutter: _Gutter, right: bool, bounds: _Stretches) -> _SideSpans:
        cached = sides.get((id(gutter), right))
        if cached is None or cached[0] != bounds:
            found = (_right_side if right else _left_side)(gutter, row_edges, bounds)
            cached = sides[id(gutter), right] = (bounds, found)
        return cached[1]

    def narrowest_if_failing(gutter: _Gutter) -> Optional[float]:
        lows, highs = _side_bounds(gutter, kept, text_left, text_right)
        left, right = side(gutter, False, lows), side(gutter, True, highs)
        narrowest = min(left.extent(), right.extent()) / text_width
        # Table columns are narrow, or hold short cells rather than lines that fill them.
        if (narrowest < _MIN_COLUMN_SHARE or left.wide_share() < _MIN_WIDE_SHARE
                or right.wide_share() < _MIN_WIDE_SHARE):
            return narrowest
        return None

    verdicts = {id(gutter): narrowest_if_failing(gutter) for gutter in kept}
    while kept:
        failing = [(verdicts[id(g)], g) for g in kept if verdicts[id(g)] is not None]
        if not failing:
            break
        worst = min(failing, key=lambda item: item[0])[1]
        kept.remove(worst)
        # Only a gutter whose nearest neighbour the removed one was (in some shared row)
        # sees its column regions change.
        affected = _nearest_neighbours(worst, active_by_row)
        for index in range(worst.first_row, worst.last_row + 1):
            active_by_row[index].remove(worst)
        for gutter in kept:
            if id(gutter) in affected:
                verdicts[id(gutter)] = narrowest_if_failing(gutter)
    return kept


def _nearest_neighbours(removed: _Gutter, active_by_row: dict[int, list[_Gutter]]) -> set[int]:
    """Ids of the gutters that have ``removed`` as their nearest gutter on one side in some row
    (each row's gutters are kept in x0 order)."""
    out: set[int] = set()
    for index in range(removed.first_row, removed.last_row + 1):
        row = active_by_row.get(index, ())
        if len(row) < 2:
            continue
        position = row.index(removed)   # identity: gutters do not compare equal
        if position > 0:
            out.add(id(row[position - 1]))
        if position + 1 < len(row):
            out.add(id(row[position + 1]))
    return out


# Spans of one row inside a column region: spans[begin:stop], and half the region's width there.
_RowPart = tuple[list[tuple[float, float]], int, int, float]


class _SideSpans:
    """The spans of one column region beside a gutter, row by row, as the verdict reads them:
    their x extent first (cheap), and only when that passes, their widths."""

    __slots__ = ("x0", "x1", "parts", "share")

    def __init__(self, x0: float, x1: float, parts: list[_RowPart]) -> None:
        self.x0 = x0
        self.x1 = x1
        self.parts = parts
        self.share: Optional[float] = None   # wide_share(), once asked

    def extent(self) -> float:
        return self.x1 - self.x0 if self.parts else 0.0

    def spans(self) -> list[tuple[float, float]]:
        return [span for spans, begin, stop, _ in self.parts for span in spans[begin:stop]]

    def wide_share(self) -> float:
        """Share of the text width in spans that fill half of their row's column region or more."""
        if self.share is None:
            self.share = self._wide_share()
        return self.share

    def _wide_share(self) -> float:
        widths: list[float] = []
        wide: list[float] = []
        for spans, begin, stop, half_width in self.parts:
            for a, b in spans[begin:stop]:
                width = b - a
                widths.append(width)
                if width >= half_width:
                    wide.append(width)
        total = sum(widths)
        return sum(wide) / total if total else 0.0


class _RowEdges(NamedTuple):
    """A row's spans with their starts and ends as lists, for bisecting. Spans from
    ``_segments`` run left to right (starts and ends ascending); ``ordered`` says so,
    and rows where it does not hold are scanned span by span. A tuple: it is unpacked
    once per row and gutter."""

    spans: list[tuple[float, float]]
    starts: list[float]
    ends: list[float]
    ordered: bool

    @classmethod
    def of(cls, spans: list[tuple[float, float]]) -> "_RowEdges":
        starts = [a for a, _ in spans]
        ends = [b for _, b in spans]
        # Both ascend (each pair <=), checked in C: table rows have dozens of spans.
        ordered = all(map(le, starts, starts[1:])) and all(map(le, ends, ends[1:]))
        return cls(spans, starts, ends, ordered)


# A column bound per stretch of rows: (first row, row after the last, bound); stretches run
# top to bottom, and neighbouring stretches have different bounds.
_Stretches = list[tuple[int, int, float]]


def _side_spans(
    gutter: _Gutter, gutters: list[_Gutter], row_edges: list[_RowEdges], text_left: float, text_right: float,
) -> tuple[_SideSpans, _SideSpans]:
    """Spans in the columns left and right of a gutter, each row bounded by the gutters active there.

    Left: spans ending before the gutter and starting after the row's previous gutter;
    right: the others starting after the gutter and ending before the next gutter.
    """
    lows, highs = _side_bounds(gutter, gutters, text_left, text_right)
    return _left_side(gutter, row_edges, lows), _right_side(gutter, row_edges, highs)


def _side_bounds(
    gutter: _Gutter, gutters: list[_Gutter], text_left: float, text_right: float,
) -> tuple[_Stretches, _Stretches]:
    """Per stretch of rows, where the column left of a gutter starts (the nearest gutter ending
    left of it, or the text's left edge, less 0.5) and where the column right of it ends.

    The bounds only change where another gutter starts or ends, so they are found once
    per stretch of rows.
    """
    g_x0, g_x1 = gutter.x0, gutter.x1
    first_row, last_row = gutter.first_row, gutter.last_row
    neighbours = [g for g in gutters if g.first_row <= last_row and g.last_row >= first_row]
    cuts = {first_row, last_row + 1}
    for other in neighbours:
        cuts.add(max(other.first_row, first_row))
        cuts.add(min(other.last_row, last_row) + 1)
    cuts = sorted(cuts)
    lows: _Stretches = []
    highs: _Stretches = []
    for stretch_start, stretch_end in zip(cuts, cuts[1:]):
        # The nearest gutter ending left of this one and the nearest starting right of it.
        low, high = text_left, text_right
        for other in neighbours:
            if other.first_row <= stretch_start <= other.last_row:
                if other.x1 <= g_x0 and other.x1 > low:
                    low = other.x1
                elif other.x0 >= g_x1 and other.x0 < high:
                    high = other.x0
        low -= 0.5
        high += 0.5
        # Stretches with the same bound are one (each row is read alone, so the spans are the same).
        if lows and lows[-1][2] == low:
            lows[-1] = (lows[-1][0], stretch_end, low)
        else:
            lows.append((stretch_start, stretch_end, low))
        if highs and highs[-1][2] == high:
            highs[-1] = (highs[-1][0], stretch_end, high)
        else:
            highs.append((stretch_start, stretch_end, high))
    return lows, highs


def _left_side(gutter: _Gutter, row_edges: list[_RowEdges], lows: _Stretches) -> _SideSpans:
    """The spans left of a gutter: in an ordered row an index range found by bisection
    (table rows have many spans)."""
    parts: list[_RowPart] = []
    add = parts.append
    x0, x1 = math.inf, -math.inf
    g_x0 = gutter.x0
    left_limit = g_x0 + 0.5
    for stretch_start, stretch_end, low in lows:
        half = 0.5 * (g_x0 - low)
        for spans, starts, ends, ordered in row_edges[stretch_start:stretch_end]:
            if ordered:
                split = bisect_right(ends, left_limit)              # spans[:split] end left of the gutter
                begin = bisect_left(starts, low, 0, split)
                if begin < split:
                    add((spans, begin, split, half))
                    # Starts and ends ascend: the first start and the last end are the extremes.
                    if starts[begin] < x0:
                        x0 = starts[begin]
                    if ends[split - 1] > x1:
                        x1 = ends[split - 1]
                continue
            part = [(a, b) for a, b in spans if b <= left_limit and a >= low]
            if part:
                add((part, 0, len(part), half))
                x0 = min(x0, min(a for a, _ in part))
                x1 = max(x1, max(b for _, b in part))
    return _SideSpans(x0, x1, parts)


def _right_side(gutter: _Gutter, row_edges: list[_RowEdges], highs: _Stretches) -> _SideSpans:
    """The spans right of a gutter (the spans not left of it), as _left_side finds those."""
    parts: list[_RowPart] = []
    add = parts.append
    x0, x1 = math.inf, -math.inf
    g_x0, g_x1 = gutter.x0, gutter.x1
    left_limit, right_limit = g_x0 + 0.5, g_x1 - 0.5
    for stretch_start, stretch_end, high in highs:
        half = 0.5 * (high - g_x1)
        for spans, starts, ends, ordered in row_edges[stretch_start:stretch_end]:
            if ordered:
                split = bisect_right(ends, left_limit)
                begin = bisect_left(starts, right_limit, split)
                stop = bisect_right(ends, high, begin)
                if begin < stop:
                    add((spans, begin, stop, half))
                    if starts[begin] < x0:
                        x0 = starts[begin]
                    if ends[stop - 1] > x1:
                        x1 = ends[stop - 1]
                continue
            part = [(a, b) for a, b in spans if b > left_limit and a >= right_limit and b <= high]
            if part:
                add((part, 0, len(part), half))
                x0 = min(x0, min(a for a, _ in part))
                x1 = max(x1, max(b for _, b in part))
    return _SideSpans(x0, x1, parts)


# ------------------------------------------------------------------------ layout


def _layout_lines(rows: list[_Row], gutters: list[_Gutter]) -> list[list[_Line]]:
    """Bands of rows with the same gutters, read column by column: a list of columns' lines.

    Global rows only decide band and column membership; lines are regrouped per
    column so a heading in one column never shares a line with body text of another.
    """
    columns_out: list[list[_Line]] = []
    band_key: Optional[tuple] = None
    band_columns: dict[int, list[_Fragment]] = {}
    whole_rows: list[_Row] = []   # the band's rows when it has no gutter (no regrouping needed)
    last = len(rows) - 1

    def flush() -> None:
        for column in sorted(band_columns):
            grouped = whole_rows if whole_rows and column == 0 else _group_rows(band_columns[column])
            lines = [_Line(_without_note_markers(row.frags) if len(row.frags) > 1 else row.frags, column)
                     for row in grouped]
            if lines:
                columns_out.append(lines)
        band_columns.clear()
        whole_rows.clear()

    # The gutters active in a row (left to right), their extents and middles change only
    # in rows where a gutter starts or the row after one ends.
    by_x0 = sorted(gutters, key=_LEFT)
    changes = {g.first_row for g in gutters} | {g.last_row + 1 for g in gutters}
    active: list[_Gutter] = []
    extents: tuple = ()
    middles: list[float] = []
    for index, row in enumerate(rows):
        if index in changes:
            active = [g for g in by_x0 if g.first_row <= index <= g.last_row]
            extents = tuple((g.x0, g.x1) for g in active)
            middles = [(g.x0 + g.x1) / 2 for g in active]
        # The page's first and last rows stand alone so running heads/feet stay recognizable.
        is_edge = index in (0, last) and len(rows) > 2
        key = ("edge", index) if is_edge else extents
        if key != band_key:
            flush()
            band_key = key
        if not active or is_edge:
            band_columns.setdefault(0, []).extend(row.frags)
            whole_rows.append(row)
            continue
        for frag in row.frags:
            center = (frag.x0 + frag.x1) / 2
            column = 1 + sum(1 for middle in middles if center > middle)
            band_columns.setdefault(column, []).append(frag)
    flush()
    return columns_out


def _line_text(frags: list[_Fragment], em: float) -> str:
    # " ".join(text.split()) is _SPACES.sub(" ", text).strip() (both split at str.isspace), faster.
    if len(frags) == 1:
        return " ".join(frags[0].text.split())
    parts: list[str] = []
    previous: Optional[_Fragment] = None
    for frag in frags:
        text = frag.text
        if previous is not None:
            overlap = previous.x1 - frag.x0
            # Fake bold: the same text drawn twice with a tiny offset.
            if overlap > 0.5 * (frag.x1 - frag.x0) and text.strip() == previous.text.strip():
                continue
            # Words are pdfium's whitespace-separated tokens (pdfium already glues
            # touching pieces such as a drop cap), so tokens are always spaced.
            parts.append(" ")
        parts.append(text)
        previous = frag
    return " ".join("".join(parts).split())


def _bold_prefix_chars(text: str, frags: list[_Fragment]) -> int:
    """How many leading characters of a line's text are set in bold."""
    count = 0
    for frag in frags:
        if not frag.bold:
            break
        count += len(frag.text) + 1
    return min(count, len(text))


def _is_table_line(frags: list[_Fragment], em: float) -> bool:
    if len(frags) < 3:
        return False   # fewer fragments than the spans asked for
    spans = _segments(frags, _TABLE_GAP_EM * em)
    return len(spans) >= 3


def _text_size(frags: list[_Fragment]) -> float:
    """The font size of running text: small capitals ("FOR FURTHER INFORMATION" set
    smaller inside a sentence) do not make a line or block small."""
    if frags:
        # One size for all (most lines): that is the median whichever fragments count.
        size = frags[0].size
        for frag in frags:
            if frag.size != size:
                break
        else:
            return round(size, 2)
    lower = [f for f in frags if not f.text.isupper()]
    if lower and len(lower) < len(frags):
        biggest = max(f.size for f in lower)
        kept = [f for f in frags if f.size >= biggest or not f.text.isupper()]
        return _weighted_median_size(kept)
    return _weighted_median_size(frags)


def _weighted_median_size(frags: Iterable[_Fragment]) -> float:
    totals: dict[float, int] = {}
    for frag in frags:
        totals[frag.size] = totals.get(frag.size, 0) + frag.weight
    if not totals:
        return 0.0
    half = sum(totals.values()) / 2
    running = 0
    for size in sorted(totals):
        running += totals[size]
        if running >= half:
            return round(size, 2)
    return 0.0


def _bold_share(frags: Iterable[_Fragment]) -> float:
    bold = total = 0
    for frag in frags:
        total += frag.weight
        if frag.bold:
            bold += frag.weight
    return bold / total if total else 0.0


def _is_bold(frags: Iterable[_Fragment]) -> bool:
    return _bold_share(frags) > 0.5


def _blocks_from_column(lines: list[_Line], em: float, pitch: float) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    current: list[_Line] = []

    def flush() -> None:
        if not current:
            return
        frags = [f for line in current for f in line.frags]
        texts = [_line_text(line.frags, em) for line in current]
        pairs = [(t, line) for t, line in zip(texts, current) if t]
        if not pairs:
            current.clear()
            return
        table_lines = sum(1 for _, line in pairs if _is_table_line(line.frags, em))
        head = frags[0]
        x0, top, x1, bottom = head.x0, head.top, head.x1, head.bottom
        for f in frags:
            if f.x0 < x0:
                x0 = f.x0
            if f.top < top:
                top = f.top
            if f.x1 > x1:
                x1 = f.x1
            if f.bottom > bottom:
                bottom = f.bottom
        blocks.append(
            RawBlock(
                lines=[t for t, _ in pairs],
                line_bold_chars=[_bold_prefix_chars(t, line.frags) for t, line in pairs],
                font_size=_text_size(frags),
                bold=_is_bold(frags),
                bbox=(round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)),
                column=current[0].column,
                kind="table" if table_lines >= 2 and table_lines * 2 >= len(pairs) else "text",
            )
        )
        current.clear()

    left_edge = min(line.x0 for line in lines)
    right_edges = sorted(line.x1 for line in lines)
    right_edge = right_edges[(len(right_edges) * 9) // 10]
    previous: Optional[_Line] = None
    previous_size = previous_bold = None
    for line in lines:
        size = _text_size(line.frags)
        # Only whole bold lines count (ending in bold): a run-in bold head stays with its paragraph.
        bold = _bold_share(line.frags) >= _BOLD_LINE_SHARE and line.frags[-1].bold
        if previous is not None:
            gap = line.top - previous.bottom
            size_changed = abs(size - previous_size) > _SIZE_CHANGE * max(size, previous_size)
            # A bold run-in head wrapped over lines ("Alternative minimum tax (AMT)" /
            # "exemption amount decreased. The AMT ...") stays with its paragraph.
            bold_changed = bold != previous_bold and not (previous_bold and line.frags[0].bold)
            if (gap > pitch + _BLOCK_GAP_EM * min(size, previous_size) or size_changed
                    or bold_changed or _starts_paragraph(line, previous, left_edge, right_edge, size)):
                flush()
        current.append(line)
        previous, previous_size, previous_bold = line, size, bold
    flush()
    return blocks


def _starts_paragraph(line: _Line, previous: _Line, left_edge: float, right_edge: float, em: float) -> bool:
    """A first-line indent after a line that ends a paragraph (short, or closing punctuation)."""
    indented = line.x0 - left_edge > _INDENT_EM * em
    previous_flush = previous.x0 - left_edge < 0.3 * em
    if not (indented and previous_flush):
        return False
    previous_text = previous.frags[-1].text.rstrip() if previous.frags else ""
    return previous.x1 < right_edge - 1.5 * em or previous_text.endswith((".", ":", ";", "?", "!"))


_NOTE_MARKER_RE = re.compile(r"[0-9*†‡§¶,]{1,6}")


def _without_note_markers(frags: list[_Fragment]) -> list[_Fragment]:
    """A line's fragments without standalone superscript note numbers ("Reports 1 from").

    A marker opening the line ("1 The flight control ...") numbers a footnote and stays.
    """
    # A marker is at most six characters: the length test spares the regex for most runs.
    normal = [f for f in frags if len(f.text) > 6 or not _NOTE_MARKER_RE.fullmatch(f.text)]
    if not normal or len(normal) == len(frags):
        return frags
    size = max(f.size for f in normal)
    body = [f for f in normal if f.size == size]
    bottom = statistics.median(f.bottom for f in body)
    height = statistics.median(f.height for f in body)
    kept: list[_Fragment] = []
    for index, frag in enumerate(frags):
        if (index > 0 and frag.size < _SUPERSCRIPT_HEIGHT * size and frag.bottom < bottom - _SUPERSCRIPT_RISE * height
                and _NOTE_MARKER_RE.fullmatch(frag.text) and any(c != "," for c in frag.text)):
            _SUPERSCRIPT_STATS["standalone_dropped"] += 1
            continue
        kept.append(frag)
    return kept


def _line_pitch(columns: list[list[_Line]], em: float) -> float:
    """The typical whitespace between consecutive lines of a column (top - previous bottom)."""
    gaps = []
    for lines in columns:
        for above, below in zip(lines, lines[1:]):
            gap = below.top - above.bottom
            if -0.5 * em < gap < 2.0 * em:
                gaps.append(gap)
    if not gaps:
        return 0.3 * em
    return statistics.median(gaps)


def _layout_page(frags: list[_Fragment]) -> list[RawBlock]:
    if not frags:
        return []
    em = _weighted_median_size(frags) or 10.0
    rows = _group_rows(frags)
    text_left = min(f.x0 for f in frags)
    text_right = max(f.x1 for f in frags)
    gutters = _find_gutters(rows, em, text_left, text_right)
    columns = _layout_lines(rows, gutters)
    pitch = _line_pitch(columns, em)
    blocks: list[RawBlock] = []
    for lines in columns:
        blocks.extend(_blocks_from_column(lines, em, pitch))
    return blocks


# -------------------------------------------------------------------------- pages


def _page_blocks(page, textpage) -> tuple[list[RawBlock], float, float, int]:
    """Blocks of one page in reading order, the frame's width and height, and its char count."""
    left, bottom, right, top = page.get_mediabox()
    page_box = (left, bottom, right, top)
    words = _page_words(textpage, page_box)
    weights = words.weights
    main_direction = max(weights, key=weights.get) if weights else 0
    if main_direction in (90, 270):
        frame_width, frame_height = top - bottom, right - left
    else:
        frame_width, frame_height = right - left, top - bottom

    main: list[_Fragment] = []
    other: dict[int, list[_Fragment]] = {}
    for run, direction in zip(words.runs, words.directions):
        if direction == main_direction:
            main.append(run)
        else:
            other.setdefault(direction, []).append(run)

    blocks = _layout_page(main)
    # Text at another angle (margin stamps, rotated table heads) goes after the page body;
    # outside the body's box it is a stamp or running head the structure builder may drop.
    for direction in sorted(other):
        in_margin = bool(main) and _outside_body(words.boxes[direction], main, main_direction, page_box)
        for block in _layout_page(other[direction]):
            if block.kind == "text" and in_margin and len(block.lines) <= 2:
                block.kind = "header_footer"
            block.bbox = None  # not in the page's reading frame
            block.column = 0
            blocks.append(block)
    n_chars = sum(weights.values())
    return blocks, round(frame_width, 2), round(frame_height, 2), n_chars


def _outside_body(
    word_boxes: list[float], body: list[_Fragment], main_direction: int,
    page_box: tuple[float, float, float, float],
) -> bool:
    """True when these char boxes (flat, see _PageWords.boxes) lie beside, above or below all
    of the body text (in the body's frame)."""
    boxes = [_to_frame(_user_box(word_boxes[i:i + 4]), main_direction, page_box)
             for i in range(0, len(word_boxes), 4)]
    x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    body_x0, body_x1 = min(f.x0 for f in body), max(f.x1 for f in body)
    body_top, body_bottom = min(f.top for f in body), max(f.bottom for f in body)
    return x1 <= body_x0 or x0 >= body_x1 or bottom <= body_top or top >= body_bottom


def _page_has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    raw_page = page.raw
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


def _plain_blocks(textpage) -> list[RawBlock]:
    """Fallback when the layout fails on a page: pdfium's own text order, one block."""
    lines = [_SPACES.sub(" ", line).strip() for line in textpage.get_text_range().splitlines()]
    lines = [line for line in lines if line]
    return [RawBlock(lines=lines)] if lines else []


# A text layer is garbage when under this share of its visible characters are letters or
# digits, or over this share are U+FFFD (glyphs without a Unicode mapping). Such a page
# is OCRed when it holds images (a scan under a broken text layer).
_GARBAGE_ALNUM_SHARE = 0.3
_GARBAGE_UNMAPPED_SHARE = 0.3
_GARBAGE_MIN_CHARS = 10
_GARBAGE_SAMPLE = 1500      # characters looked at (a page's first lines tell; it runs on every page)
_NOT_ALNUM = re.compile(r"[\W_]+")


def _is_garbage(blocks: list[RawBlock]) -> bool:
    parts, size = [], 0
    for block in blocks:
        for line in block.lines:
            parts.append(line)
            size += len(line)
        if size >= _GARBAGE_SAMPLE:
            break
    visible = _SPACES.sub("", "".join(parts))
    if len(visible) < _GARBAGE_MIN_CHARS:
        return False
    alnum = len(_NOT_ALNUM.sub("", visible))
    unmapped = visible.count("\ufffd")
    return alnum < _GARBAGE_ALNUM_SHARE * len(visible) or unmapped > _GARBAGE_UNMAPPED_SHARE * len(visible)


def _ocr_fragments(words) -> list[_Fragment]:
    """OCR words (ocr.OcrWord, in the reading frame) -> runs as _page_words makes them:
    consecutive words of one Tesseract line merge while the gap stays under a run gap."""
    frags: list[_Fragment] = []
    lines: dict[int, list] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    for line in lines.values():
        line.sort(key=attrgetter("x0"))
        run = [line[0]]
        for word in line[1:]:
            last = run[-1]
            if word.size == last.size and 0 <= word.x0 - last.x1 < _RUN_GAP_EM * word.size:
                run.append(word)
                continue
            frags.append(_ocr_run(run))
            run = [word]
        frags.append(_ocr_run(run))
    return frags


def _ocr_run(words) -> _Fragment:
    return _Fragment(min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
                     max(w.bottom for w in words), " ".join(w.text for w in words), words[0].size, False)


def _ocr_pages(document, result: list[RawPage], indexes: list[int]) -> int:
    """OCR the pages ``result[i]`` for i in ``indexes`` in place; returns the characters read.
    A page that gives no text keeps no blocks and says why in ``RawPage.error``."""
    from . import ocr

    unavailable = ocr.engine_status()
    if unavailable:
        for i in indexes:
            result[i].blocks, result[i].error = [], "scanned, and " + unavailable
        return 0
    ocr.announce(len(indexes))
    chars = 0
    for i in indexes:
        raw = result[i]
        raw.blocks = []
        try:
            page = document[raw.number - 1]
            try:
                scan = ocr.ocr_pdf_page(page)
            finally:
                page.close()
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - one page's failure must not lose the others
            raw.error = " ".join(f"OCR failed: {type(exc).__name__}: {exc}".split())[:200]
            continue
        if scan.error:
            raw.error = scan.error
            continue
        raw.blocks = _layout_page(_ocr_fragments(scan.words))
        raw.width, raw.height = scan.width, scan.height
        raw.ocr_confidence = round(scan.confidence, 3)
        chars += sum(len(w.text) for w in scan.words)
    return chars


def read_pdf(path: str | Path, password: str | None = None, *, pages: Optional[Iterable[int]] = None) -> list[RawPage]:
    """Pages of blocks of lines in reading order; ParseError with a one-line reason if unreadable.

    Pages without a usable text layer (none, or garbage) that hold images are OCRed
    (ocr.py) after the text pages are read; their words go through the same layout.
    ``pages`` (1-based numbers) limits the work to some pages, e.g. for tests.
    """
    path = Path(path)
    document = _open_document(path, password)
    try:
        try:
            n_pages = len(document)
        except Exception as exc:  # noqa: BLE001 - pdfium errors are plain exceptions
            raise ParseError(f"damaged PDF: page tree unreadable ({type(exc).__name__})") from None
        if n_pages <= 0:
            raise ParseError("no pages: the PDF has zero pages")
        wanted = range(1, n_pages + 1) if pages is None else sorted({n for n in pages if 1 <= n <= n_pages})
        result: list[RawPage] = []
        total_chars = 0
        images = False
        failures = 0
        to_ocr: list[int] = []   # indexes into result
        for number in wanted:
            try:
                page = document[number - 1]
            except Exception:  # noqa: BLE001 - one broken page must not lose the others
                failures += 1
                result.append(RawPage(number=number))
                continue
            scanned = False
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    blocks, width, height, n_chars = _page_blocks(page, textpage.raw)
                except Exception:  # noqa: BLE001 - odd geometry must not cost the page's text
                    blocks = _plain_blocks(textpage)
                    n_chars = sum(len(line) for block in blocks for line in block.lines)
                finally:
                    textpage.close()
                if (n_chars == 0 or _is_garbage(blocks)) and _page_has_images(page):
                    images = scanned = True
                    n_chars = 0
            except Exception:  # noqa: BLE001
                failures += 1
                blocks, n_chars, width, height = [], 0, 0.0, 0.0
            finally:
                page.close()
            total_chars += n_chars
            if scanned:
                to_ocr.append(len(result))
            result.append(RawPage(number=number, blocks=blocks, width=width, height=height))
        if to_ocr:
            total_chars += _ocr_pages(document, result, to_ocr)
        if total_chars == 0 and wanted:
            if failures == len(wanted):
                raise ParseError("damaged PDF: no page could be read")
            if images:
                raise ParseError("no text layer: " + (page_errors(result) or "the PDF is scanned images"))
            blank = [p.number for p in result]
            label = (f"page {blank[0]} is" if len(blank) == 1 else
                     f"pages {', '.join(map(str, blank))} are" if len(blank) <= 10 else f"all {len(blank)} pages are")
            raise ParseError(f"no text layer: {label} blank (no text, no images)")
        return result
    finally:
        document.close()


def page_text(page: RawPage) -> str:
    """A page's text with blocks separated by blank lines (handy for tests and debugging)."""
    return "\n\n".join("\n".join(block.lines) for block in page.blocks)
