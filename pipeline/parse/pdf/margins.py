"""Line numbers printed in a page's left margin (bills, statutes, court filings).

A bill numbers its lines 1, 2, 3 ... in the margin, restarting at each section
or page. Read as text, each number lands at the start of its line ("1 Section
7.005. To the Harbour Office 2 For the ferry division ..."), splitting names and
amounts apart. The numbers are recognized by their layout, never by their
values alone: small integers standing alone, all in the margin left of the body
text (none of them overlaps it), aligned on one edge, each beside a line of body
text, and counting up by one down the page. A table's column of row numbers is
not in the margin (the table's body starts at it), so it is kept.
"""

from __future__ import annotations

import re

from .model import Fragment

_NUMBER = re.compile(r"\d{1,3}")
# PARSE-MARGIN-LINE-NUMBERS: a column of line numbers in the left margin is no text
MIN_NUMBERS = 5          # fewer on a page: no evidence of a numbered page
MIN_STEP_SHARE = 0.8     # of consecutive numbers (top to bottom) that count up by one or restart at 1
ALIGN_TOLERANCE = 1.5    # points: the numbers share their right (or left) edge


def without_line_numbers(frags: list[Fragment]) -> list[Fragment]:
    """The page's fragments without its margin line numbers (unchanged when it has none)."""
    numbers = [f for f in frags if _NUMBER.fullmatch(f.text)]
    if len(numbers) < MIN_NUMBERS:
        return frags
    body = [f for f in frags if not _NUMBER.fullmatch(f.text)]
    if not body:
        return frags
    body_left = min(f.x0 for f in body)
    margin = [f for f in numbers if f.x1 < body_left]
    if len(margin) < MIN_NUMBERS or not _aligned(margin) or not _beside_text(margin, body):
        return frags
    margin.sort(key=lambda f: f.top)
    values = [int(f.text) for f in margin]
    steps = sum(1 for a, b in zip(values, values[1:]) if b == a + 1 or b == 1)
    if steps < MIN_STEP_SHARE * (len(values) - 1):
        return frags
    dropped = {id(f) for f in margin}
    return [f for f in frags if id(f) not in dropped]


def _aligned(margin: list[Fragment]) -> bool:
    rights = [f.x1 for f in margin]
    lefts = [f.x0 for f in margin]
    return max(rights) - min(rights) <= ALIGN_TOLERANCE or max(lefts) - min(lefts) <= ALIGN_TOLERANCE


def _beside_text(margin: list[Fragment], body: list[Fragment]) -> bool:
    """Most numbers share their line with body text to their right."""
    beside = 0
    for f in margin:
        mid = (f.top + f.bottom) / 2
        if any(b.top <= mid <= b.bottom and b.x0 > f.x1 for b in body):
            beside += 1
    return beside >= MIN_STEP_SHARE * len(margin)
