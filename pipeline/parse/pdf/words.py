"""A page's words from pdfium: per-word char boxes and style, merged into runs
(fragments) in the page's reading frame, with superscript note markers dropped or
separated.
"""
from __future__ import annotations

import ctypes
import re
import statistics
from dataclasses import dataclass, field
from functools import lru_cache

from .model import LINE_END_HYPHENS, RUN_GAP_EM, WORD, Fragment
from .pdfium_access import Pdfium, Style, StyleReader, pdfium_api, pdfium_page_text


@dataclass
class _PageWords:
    """A page's words, already merged into runs, in pdfium's order."""
    runs: list[Fragment] = field(default_factory=list)
    directions: list[int] = field(default_factory=list)     # per run
    weights: dict[int, int] = field(default_factory=dict)   # characters per direction
    # Per direction, each word's first and last char box as pdfium's left, top, right, bottom,
    # flat (four floats a box): a page holds thousands, and float lists cost the garbage
    # collector nothing while a list per box made it trace them all again and again.
    boxes: dict[int, list[float]] = field(default_factory=dict)


def page_words(textpage, page_box: tuple[float, float, float, float]) -> _PageWords:
    """Words as pdfium separates them (real or generated whitespace), merged into runs.

    Per word: its first and last char box, and its text object's style (read once
    per text object). Consecutive words on the same line in the same style become
    one run in the reading frame of their direction (x right, y down): fewer
    fragments for the layout, and a run never spans a gap a gutter could hide in.
    This loop runs once per word of the document, so it keeps everything local and
    char boxes stay pdfium's [left, top, right, bottom] lists (one slice per box).
    """
    out = _PageWords()
    api = pdfium_api()
    n_chars = api.c.FPDFText_CountChars(textpage)
    if n_chars <= 0:
        return out
    text = pdfium_page_text(api, textpage, n_chars)
    handle = ctypes.cast(textpage, ctypes.c_void_p).value
    handle_arg = ctypes.c_void_p(handle)
    rect = api.c.FS_RECTF()
    rect_pointer = ctypes.addressof(rect)
    rect_ref = ctypes.byref(rect)
    # The same memory as four floats (left, top, right, bottom): one slice reads them all.
    rect_floats = (ctypes.c_float * 4).from_address(rect_pointer)
    styles: dict[int, Style] = {}
    style_reader = StyleReader(api, textpage)
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
    hyphens = LINE_END_HYPHENS

    for match in WORD.finditer(text):
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
                first_box, last_box = user_box(first), user_box(last)
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
                fx0, _, fx1, _ = to_frame(user_box(first), 0, page_box)
                lx0, _, lx1, _ = to_frame(user_box(last), 0, page_box)
                _, v_top, _, v_bottom = to_frame(user_box(vertical), 0, page_box)
                x0, x1 = min(fx0, lx0), max(fx1, lx1)
        else:
            boxes.setdefault(direction, []).extend(first + last)
            fx0, _, fx1, _ = to_frame(user_box(first), direction, page_box)
            lx0, _, lx1, _ = to_frame(user_box(last), direction, page_box)
            _, v_top, _, v_bottom = to_frame(user_box(vertical), direction, page_box)
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
        run = Fragment(x0, v_top, x1, v_bottom, word, size, bold)
        runs.append(run)
        directions.append(direction)
        run_starts.append(len(run_words))
        run_words.append(word)
        run_direction, run_size, run_bold = direction, size, bold
        run_top, run_bottom, run_x1 = v_top, v_bottom, x1
        run_tolerance = 0.2 * run.height
        gap_limit = RUN_GAP_EM * size
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


def user_box(box: list[float]) -> tuple[float, float, float, float]:
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
    from ..repair import _set
    return frozenset(u for u in _set("units") if u[-1:].isdigit())


def _split_superscript(word: str, start: int, first, last, handle, rect, rect_pointer, api: Pdfium) -> str:
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


def to_frame(
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


_NOTE_MARKER_RE = re.compile(r"[0-9*†‡§¶,]{1,6}")


def without_note_markers(frags: list[Fragment]) -> list[Fragment]:
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
    kept: list[Fragment] = []
    for index, frag in enumerate(frags):
        if (index > 0 and frag.size < _SUPERSCRIPT_HEIGHT * size and frag.bottom < bottom - _SUPERSCRIPT_RISE * height
                and _NOTE_MARKER_RE.fullmatch(frag.text) and any(c != "," for c in frag.text)):
            _SUPERSCRIPT_STATS["standalone_dropped"] += 1
            continue
        kept.append(frag)
    return kept
