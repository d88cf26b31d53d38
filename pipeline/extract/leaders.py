"""Amounts that end a dot-leader line without their currency sign.

Appropriation bills and budget statements set each item on a line of dot
leaders ending in its amount, and print the currency sign only on the first
amount of a column or on the totals:

    Personal Service ..................... $1,870,250
    Expense and Equipment ................   1,204,118
    From the Harbour Fund ................   3,074,368

The later lines are money of the same currency. A grouped number (thousands
separators) right after a dot leader is read as money in the currency of the
last dot-leader amount before it that carries a currency sign, within
``MAX_GAP`` characters; with no such amount before it, it is left alone (a
table of contents' page numbers are not grouped, and a wrong currency is a
wrong number).
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

# EXTRACT-MONEY-DOT-LEADER: "Equipment ......... 1,204,118" after "Service ......... $1,870,250" is money
_LEADER_AMOUNT = re.compile(r"\.{4,}[ \t]*(\d{1,3}(?:,\d{3})+)(?![\d,]|\.\d)")
_LEADER_BEFORE = re.compile(r"\.{4,}[ \t]*$")
MAX_GAP = 4000


class LeaderAmount(NamedTuple):
    start: int
    end: int
    value: float
    currency: str
    marker: str      # the signed amount's currency marker as written ("$"), read like it later


def leader_amounts(text: str, money: list[tuple[int, int, str, str]]) -> list[LeaderAmount]:
    """Dot-leader amounts without a currency sign, with the currency of the signed dot-leader
    amount before them. ``money``: (start, end, currency, marker) of the paper's MONEY mentions."""
    anchors = sorted((start, currency, marker) for start, _end, currency, marker in money
                     if currency and marker and _LEADER_BEFORE.search(text, max(0, start - 40), start))
    if not anchors:
        return []
    starts = [a[0] for a in anchors]
    taken = sorted((start, end) for start, end, _, _ in money)
    out = []
    for m in _LEADER_AMOUNT.finditer(text):
        start, end = m.span(1)
        i = bisect.bisect_left(taken, (end, end))
        if i > 0 and taken[i - 1][1] > start:
            continue      # already an amount (a signed one, or part of one)
        k = bisect.bisect_left(starts, start) - 1
        if k < 0 or start - starts[k] > MAX_GAP:
            continue
        out.append(LeaderAmount(start, end, float(m.group(1).replace(",", "")), anchors[k][1], anchors[k][2]))
    return out
