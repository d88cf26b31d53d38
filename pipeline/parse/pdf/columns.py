"""Column layout: fragments -> rows -> whitespace gutters (rivers) -> column lines in
reading order (bands top to bottom, each read column by column).
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from operator import attrgetter, le
from typing import NamedTuple, Optional

from .model import (
    MIN_COLUMN_SHARE,
    MIN_GUTTER_EM,
    MIN_GUTTER_ROWS,
    MIN_WIDE_SHARE,
    ROW_OVERLAP,
    TALL_FACTOR,
    Fragment,
    Gutter,
    Line,
    Row,
)
from .words import without_note_markers

# --------------------------------------------------------------------------- rows


_TOP_LEFT = attrgetter("top", "x0")
_LEFT = attrgetter("x0")


def group_rows(frags: list[Fragment]) -> list[Row]:
    """Rows of fragments that share a baseline band; the seed's extent never grows."""
    heights = sorted(f.height for f in frags)
    normal_height = heights[len(heights) // 2] if heights else 0.0
    # Drop caps and tall symbols would seed rows that swallow several lines: place them last.
    tall = [f for f in frags if f.height > TALL_FACTOR * normal_height]
    rows: list[Row] = []
    open_rows: list[Row] = []
    tall_limit = TALL_FACTOR * normal_height
    for frag in sorted((f for f in frags if f.height <= tall_limit), key=_TOP_LEFT):
        best: Optional[Row] = None
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
        if best is not None and best_share >= ROW_OVERLAP:
            best.frags.append(frag)
            # The reference is the tallest member (never the union): a superscript
            # seed hands over to its line, and rows still cannot chain.
            if frag.height > best.ref_bottom - best.ref_top:
                best.ref_top, best.ref_bottom = frag.top, frag.bottom
        else:
            row = Row(frag.top, frag.bottom, [frag])
            rows.append(row)
            open_rows.append(row)
    rows.sort(key=lambda r: r.ref_top)
    for frag in tall:
        # The topmost row it covers the middle of, as a drop cap belongs to its first line.
        host = next((r for r in rows if frag.top <= (r.ref_top + r.ref_bottom) / 2 <= frag.bottom
                     and r.frags and min(abs(frag.x1 - g.x0) for g in r.frags) < 2 * normal_height), None)
        if host is None:
            rows.append(Row(frag.top, frag.bottom, [frag]))
        else:
            host.frags.append(frag)
    for row in rows:
        row.frags.sort(key=_LEFT)
    rows.sort(key=lambda r: (r.ref_top + r.ref_bottom) / 2)
    return rows


def segments(frags: list[Fragment], join_gap: float) -> list[tuple[float, float]]:
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


def find_gutters(rows: list[Row], em: float, text_left: float, text_right: float) -> list[Gutter]:
    """Whitespace rivers: x-intervals empty in consecutive rows, with text on both sides."""
    min_width = MIN_GUTTER_EM * em
    text_width = max(1.0, text_right - text_left)
    row_spans = [segments(row.frags, min_width) for row in rows]
    finished: list[Gutter] = []
    active: list[Gutter] = []
    for index, spans in enumerate(row_spans):
        gaps = _row_gaps(spans, text_left - 1.0, text_right + 1.0, min_width)
        still: list[Gutter] = []
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
                still.append(Gutter(gx0, gx1, index, index))
        active = still
    finished.extend(active)

    accepted: list[Gutter] = []
    for gutter in finished:
        if gutter.last_row - gutter.first_row + 1 < MIN_GUTTER_ROWS:
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
    return drop_narrow_columns(accepted, row_spans, text_left, text_right, text_width)


def _dedupe_gutters(gutters: list[Gutter]) -> list[Gutter]:
    """Merge rivers that overlap in x and in rows (the same gutter found twice)."""
    gutters = sorted(gutters, key=lambda g: (g.first_row, g.x0))
    merged: list[Gutter] = []
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
            merged.append(Gutter(gutter.x0, gutter.x1, gutter.first_row, gutter.last_row))
    return merged


def drop_narrow_columns(
    gutters: list[Gutter], row_spans: list[list[tuple[float, float]]],
    text_left: float, text_right: float, text_width: float,
) -> list[Gutter]:
    """Table cells also leave rivers; a text column is wide on both sides of its gutter.

    The narrowest failing river goes first, then its row-neighbours are judged
    again: a table's cell gaps must not make the real column gutter beside them
    look narrow.
    """
    # A river too close to the text edge can never have a wide column on that side.
    kept = [g for g in gutters
            if min(g.x0 - text_left, text_right - g.x1) >= MIN_COLUMN_SHARE * text_width]
    if not kept:
        return kept
    # Per row, the gutters running through it, left to right (a stable sort: gutters with
    # the same x0 keep their order in ``kept``; removals keep the rest in order).
    active_by_row: dict[int, list[Gutter]] = {}
    for gutter in kept:
        for index in range(gutter.first_row, gutter.last_row + 1):
            active_by_row.setdefault(index, []).append(gutter)
    # Only rows some gutter runs through are ever read (gutters do not grow here).
    row_edges: list[Optional[RowEdges]] = [None] * len(row_spans)
    for index, row in active_by_row.items():
        row.sort(key=_LEFT)
        row_edges[index] = RowEdges.of(row_spans[index])

    # A gutter's two column regions, each kept with the bounds it was found for: removing a
    # neighbour usually moves the bounds on one side only, and the other side is reused.
    sides: dict[tuple[int, bool], tuple[_Stretches, _SideSpans]] = {}

    def side(gutter: Gutter, right: bool, bounds: _Stretches) -> _SideSpans:
        cached = sides.get((id(gutter), right))
        if cached is None or cached[0] != bounds:
            found = (_right_side if right else _left_side)(gutter, row_edges, bounds)
            cached = sides[id(gutter), right] = (bounds, found)
        return cached[1]

    def narrowest_if_failing(gutter: Gutter) -> Optional[float]:
        lows, highs = _side_bounds(gutter, kept, text_left, text_right)
        left, right = side(gutter, False, lows), side(gutter, True, highs)
        narrowest = min(left.extent(), right.extent()) / text_width
        # Table columns are narrow, or hold short cells rather than lines that fill them.
        if (narrowest < MIN_COLUMN_SHARE or left.wide_share() < MIN_WIDE_SHARE
                or right.wide_share() < MIN_WIDE_SHARE):
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


def _nearest_neighbours(removed: Gutter, active_by_row: dict[int, list[Gutter]]) -> set[int]:
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


class RowEdges(NamedTuple):
    """A row's spans with their starts and ends as lists, for bisecting. Spans from
    ``segments`` run left to right (starts and ends ascending); ``ordered`` says so,
    and rows where it does not hold are scanned span by span. A tuple: it is unpacked
    once per row and gutter."""

    spans: list[tuple[float, float]]
    starts: list[float]
    ends: list[float]
    ordered: bool

    @classmethod
    def of(cls, spans: list[tuple[float, float]]) -> "RowEdges":
        starts = [a for a, _ in spans]
        ends = [b for _, b in spans]
        # Both ascend (each pair <=), checked in C: table rows have dozens of spans.
        ordered = all(map(le, starts, starts[1:])) and all(map(le, ends, ends[1:]))
        return cls(spans, starts, ends, ordered)


# A column bound per stretch of rows: (first row, row after the last, bound); stretches run
# top to bottom, and neighbouring stretches have different bounds.
_Stretches = list[tuple[int, int, float]]


def side_spans(
    gutter: Gutter, gutters: list[Gutter], row_edges: list[RowEdges], text_left: float, text_right: float,
) -> tuple[_SideSpans, _SideSpans]:
    """Spans in the columns left and right of a gutter, each row bounded by the gutters active there.

    Left: spans ending before the gutter and starting after the row's previous gutter;
    right: the others starting after the gutter and ending before the next gutter.
    """
    lows, highs = _side_bounds(gutter, gutters, text_left, text_right)
    return _left_side(gutter, row_edges, lows), _right_side(gutter, row_edges, highs)


def _side_bounds(
    gutter: Gutter, gutters: list[Gutter], text_left: float, text_right: float,
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


def _left_side(gutter: Gutter, row_edges: list[RowEdges], lows: _Stretches) -> _SideSpans:
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


def _right_side(gutter: Gutter, row_edges: list[RowEdges], highs: _Stretches) -> _SideSpans:
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


def layout_lines(rows: list[Row], gutters: list[Gutter]) -> list[list[Line]]:
    """Bands of rows with the same gutters, read column by column: a list of columns' lines.

    Global rows only decide band and column membership; lines are regrouped per
    column so a heading in one column never shares a line with body text of another.
    """
    columns_out: list[list[Line]] = []
    band_key: Optional[tuple] = None
    band_columns: dict[int, list[Fragment]] = {}
    whole_rows: list[Row] = []   # the band's rows when it has no gutter (no regrouping needed)
    last = len(rows) - 1

    def flush() -> None:
        for column in sorted(band_columns):
            grouped = whole_rows if whole_rows and column == 0 else group_rows(band_columns[column])
            lines = [Line(without_note_markers(row.frags) if len(row.frags) > 1 else row.frags, column)
                     for row in grouped]
            if lines:
                columns_out.append(lines)
        band_columns.clear()
        whole_rows.clear()

    # The gutters active in a row (left to right), their extents and middles change only
    # in rows where a gutter starts or the row after one ends.
    by_x0 = sorted(gutters, key=_LEFT)
    changes = {g.first_row for g in gutters} | {g.last_row + 1 for g in gutters}
    active: list[Gutter] = []
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
