"""A scale word set apart from its amount by the layout.

Infographics and two-column allocation lists wrap "Ksh 5.2 billion" inside a
narrow box, so the text reads the amount and its description line by line:
"Ksh 5.2 Harbour data centre and smart berth billion facilities;". Read as is,
the amount is 5.2 shillings, a wrong number. A decimal amount with no scale of
its own, followed in its sentence (before any other number) by a bare scale word
that no number precedes, takes that scale; the mention's flags say so.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..normalize.digits import scale_words

# EXTRACT-MONEY-DISPLACED-SCALE: "Ksh 5.2 Harbour data centre billion facilities" is 5.2 billion
_DECIMAL_AMOUNT = re.compile(r"\d+\.\d{1,2}\s*$")
_BARE_SCALE = re.compile(r"(?<![\d,.])\s+(?P<word>million|billion|trillion)\b(?!-)", re.IGNORECASE)
_NUMBER_WORD_BEFORE = re.compile(r"(?:\d|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|half|several))\s*$",
                                 re.IGNORECASE)
_STOP = re.compile(r"[\d;:]|\.\s")
REACH = 80


class DisplacedScale(NamedTuple):
    word: str
    multiplier: float


def displaced_scale(text: str, amount_text: str, end: int) -> DisplacedScale | None:
    """The bare scale word after an unscaled decimal amount ending at ``end``, or None."""
    if not _DECIMAL_AMOUNT.search(amount_text):
        return None
    window = text[end:end + REACH]
    stop = _STOP.search(window)
    window = window[:stop.start()] if stop else window
    for m in _BARE_SCALE.finditer(window):
        if not _NUMBER_WORD_BEFORE.search(window[:m.start()]):
            word = m.group("word").lower()
            return DisplacedScale(word, scale_words()[word].multiplier)
    return None
