"""Column lines -> blocks: line text, block breaks at gaps, font-size and bold changes
and first-line indents, table-like lines, footnote markers before size estimates.
"""
from __future__ import annotations

import statistics
from typing import Iterable, Optional

from ..blocks import RawBlock
from .columns import find_gutters, group_rows, layout_lines, segments
from .model import (
    BLOCK_GAP_EM, BOLD_LINE_SHARE, INDENT_EM, SIDE_HEAD_MAX_LINES, SIDE_HEAD_MAX_SHARE, SIZE_CHANGE, TABLE_GAP_EM, Fragment,
    Line,
)


def _line_text(frags: list[Fragment], em: float) -> str:
    # " ".join(text.split()) is SPACES.sub(" ", text).strip() (both split at str.isspace), faster.
    if len(frags) == 1:
        return " ".join(frags[0].text.split())
    parts: list[str] = []
    previous: Optional[Fragment] = None
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


def _bold_prefix_chars(text: str, frags: list[Fragment]) -> int:
    """How many leading characters of a line's text are set in bold."""
    count = 0
    for frag in frags:
        if not frag.bold:
            break
        count += len(frag.text) + 1
    return min(count, len(text))


def _is_table_line(frags: list[Fragment], em: float) -> bool:
    if len(frags) < 3:
        return False   # fewer fragments than the spans asked for
    spans = segments(frags, TABLE_GAP_EM * em)
    return len(spans) >= 3


def text_size(frags: list[Fragment]) -> float:
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


def _weighted_median_size(frags: Iterable[Fragment]) -> float:
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


def _bold_share(frags: Iterable[Fragment]) -> float:
    bold = total = 0
    for frag in frags:
        total += frag.weight
        if frag.bold:
            bold += frag.weight
    return bold / total if total else 0.0


def _is_bold(frags: Iterable[Fragment]) -> bool:
    return _bold_share(frags) > 0.5


def _blocks_from_column(lines: list[Line], em: float, pitch: float) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    current: list[Line] = []

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
                font_size=text_size(frags),
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
    previous: Optional[Line] = None
    previous_size = previous_bold = None
    for line in lines:
        size = text_size(line.frags)
        # Only whole bold lines count (ending in bold): a run-in bold head stays with its paragraph.
        bold = _bold_share(line.frags) >= BOLD_LINE_SHARE and line.frags[-1].bold
        if previous is not None:
            gap = line.top - previous.bottom
            size_changed = abs(size - previous_size) > SIZE_CHANGE * max(size, previous_size)
            # A bold run-in head wrapped over lines ("Alternative minimum tax (AMT)" /
            # "exemption amount decreased. The AMT ...") stays with its paragraph.
            bold_changed = bold != previous_bold and not (previous_bold and line.frags[0].bold)
            if (gap > pitch + BLOCK_GAP_EM * min(size, previous_size) or size_changed
                    or bold_changed or _starts_paragraph(line, previous, left_edge, right_edge, size)):
                flush()
        current.append(line)
        previous, previous_size, previous_bold = line, size, bold
    flush()
    return blocks


def _starts_paragraph(line: Line, previous: Line, left_edge: float, right_edge: float, em: float) -> bool:
    """A first-line indent after a line that ends a paragraph (short, or closing punctuation)."""
    indented = line.x0 - left_edge > INDENT_EM * em
    previous_flush = previous.x0 - left_edge < 0.3 * em
    if not (indented and previous_flush):
        return False
    previous_text = previous.frags[-1].text.rstrip() if previous.frags else ""
    return previous.x1 < right_edge - 1.5 * em or previous_text.endswith((".", ":", ";", "?", "!"))


def _line_pitch(columns: list[list[Line]], em: float) -> float:
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


def layout_page(frags: list[Fragment]) -> list[RawBlock]:
    if not frags:
        return []
    em = _weighted_median_size(frags) or 10.0
    rows = group_rows(frags)
    text_left = min(f.x0 for f in frags)
    text_right = max(f.x1 for f in frags)
    gutters = find_gutters(rows, em, text_left, text_right)
    columns = layout_lines(rows, gutters)
    pitch = _line_pitch(columns, em)
    blocks: list[RawBlock] = []
    i = 0
    while i < len(columns):
        column_blocks = _blocks_from_column(columns[i], em, pitch)
        if _two_column_band(columns, i):
            body = _blocks_from_column(columns[i + 1], em, pitch)
            if _side_headings(column_blocks, body, text_right - text_left):
                blocks.extend(_interleave(column_blocks, body, em))
            else:
                blocks.extend(column_blocks + body)   # read column by column, each once
            i += 2
            continue
        blocks.extend(column_blocks)
        i += 1
    return blocks


def _two_column_band(columns: list[list[Line]], i: int) -> bool:
    """columns[i] and columns[i + 1] are the left and right column of one two-column band."""
    return (i + 1 < len(columns) and columns[i][0].column == 1 and columns[i + 1][0].column == 2
            and not (i + 2 < len(columns) and columns[i + 2][0].column == 3))


def _side_headings(left: list[RawBlock], body: list[RawBlock], text_width: float) -> bool:
    """A narrow left column of a few short blocks set no smaller than
    the body beside it is a column of side headings (a report's margin heads), not a
    sidebar: each heads the body paragraph it stands level with."""
    if not left or not body or any(b.bbox is None for b in left + body):
        return False
    left_x0 = min(b.bbox[0] for b in left)
    left_x1 = max(b.bbox[2] for b in left)
    left_lines = sum(len(b.lines) for b in left)
    body_lines = sum(len(b.lines) for b in body)
    left_size = min((b.font_size or 0.0) for b in left)
    body_size = statistics.median([(b.font_size or 0.0) for b in body])
    return (left_x1 - left_x0 <= SIDE_HEAD_MAX_SHARE * text_width
            and all(len(b.lines) <= SIDE_HEAD_MAX_LINES for b in left)
            and left_lines * 3 <= body_lines
            and left_size >= body_size > 0)


def _interleave(heads: list[RawBlock], body: list[RawBlock], em: float) -> list[RawBlock]:
    """Side headings placed before the first body block that starts level with them (or
    below), so each heads its own paragraph rather than the page's first."""
    out: list[RawBlock] = []
    pending = sorted(heads, key=lambda b: b.bbox[1])
    for block in body:
        while pending and block.bbox[1] >= pending[0].bbox[1] - em:
            out.append(pending.pop(0))
        out.append(block)
    out.extend(pending)
    return out
