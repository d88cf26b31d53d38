"""Shared shapes of the PDF layout: word runs (fragments), rows, column lines, gutters,
and the layout constants they are measured with (in em of the page's median font size).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold", re.IGNORECASE)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\uffff]")
SPACES = re.compile(r"\s+")
SURROGATES = re.compile("[\ud800-\udfff]")
# pdfium marks a hyphen it joined across a line break with U+FFFE (or U+0002) and no
# break after it: a word ends there, keeping its hyphen.
LINE_END_HYPHENS = "\ufffe\x02"
WORD = re.compile(rf"[^\s{LINE_END_HYPHENS}]+[{LINE_END_HYPHENS}]?|[{LINE_END_HYPHENS}]")

# Layout constants, in units of the page's median font size (em) unless noted.
RUN_GAP_EM = 0.6           # widest word gap inside one run (narrower than any gutter)
ROW_OVERLAP = 0.5          # share of the smaller height two fragments must share to be one row
TALL_FACTOR = 1.8          # fragments taller than this x the median height are drop caps or symbols
MIN_GUTTER_EM = 0.8        # narrowest whitespace river counted as a column gutter
MIN_GUTTER_ROWS = 3        # rows a river must run through
MIN_COLUMN_SHARE = 0.17    # a column is at least this share of the text width (tables are not columns)
MIN_WIDE_SHARE = 0.4       # text lines fill their column; table cells are short
BLOCK_GAP_EM = 0.5         # extra vertical space beyond the normal line gap that starts a new block
SIZE_CHANGE = 0.12         # relative font-size change that starts a new block
BOLD_LINE_SHARE = 0.9      # share of bold chars that makes a whole line bold
INDENT_EM = 0.8            # first-line indent that starts a paragraph
TABLE_GAP_EM = 2.0         # a gap this wide inside a line looks like a table cell boundary
SIDE_HEAD_MAX_SHARE = 0.35  # share of the text width a column of side headings spans at most
SIDE_HEAD_MAX_LINES = 4     # lines of one side heading at most


class Fragment:
    """A run of words on one line with one style, in the page's reading frame (x right, y down)."""

    # A plain slotted class: one is made per run of words, and a dataclass init costs more.
    __slots__ = ("x0", "top", "x1", "bottom", "text", "size", "bold", "height", "weight")

    def __init__(self, x0: float, top: float, x1: float, bottom: float, text: str, size: float, bold: bool) -> None:
        self.x0, self.top, self.x1, self.bottom = x0, top, x1, bottom
        self.text, self.size, self.bold = text, size, bold
        self.height = bottom - top
        self.weight = max(1, len(text) - text.count(" "))   # characters, for weighted medians and shares


@dataclass(slots=True)   # no __dict__: one object less per row for the garbage collector
class Row:
    ref_top: float
    ref_bottom: float
    frags: list[Fragment] = field(default_factory=list)


class Line:
    """One line of one column; its extent is computed once (frags are not changed after)."""

    __slots__ = ("frags", "column", "x0", "x1", "top", "bottom")

    def __init__(self, frags: list[Fragment], column: int) -> None:
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
class Gutter:
    """One whitespace river; compared by identity (rivers are mutable while they are traced)."""

    x0: float
    x1: float
    first_row: int
    last_row: int
