"""Property tests: every public normalizer takes any string without raising,
returns spans inside the text whose text matches, and finite values."""
from __future__ import annotations

import math
import time
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.normalize.dates import find_dates
from pipeline.normalize.money import find_money, parse_money
from pipeline.normalize.numbers import find_numbers, parse_number
from pipeline.normalize.percent import find_percent, parse_percent

FINDERS: list[Callable[[str], list[Any]]] = [find_numbers, find_money, find_percent, find_dates]
PARSERS: list[Callable[[str], Any]] = [parse_number, parse_money, parse_percent]

# characters that drive the finders: digits, separators, signs, currency
# symbols, letters of scale and currency words, odd spaces
_ALPHABET = "0123456789.,-–−/%$€£¥₹₩ \u00a0\u2009\u202fkKmMbBnNtTrRsSuUdDeEaAlLoOiIcCyYhH()~'\n"
_WORDS = ["one", "twenty", "hundred", "and", "a", "half", "third", "million", "bn", "k", "US$", "USD",
          "EUR", "euros", "yen", "Rs.", "crore", "lakh", "%", "percent", "per cent", "points", "from",
          "to", "between", "about", "up to", "more than", "-", "2015", "2022-23", "FY", "March", "12,",
          "1,107", "1 107", "4.5", ".5", "of", "the", "costs", "dollars", "u . s .", "$", "€", "(", ")"]

text_strategies = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=_ALPHABET, max_size=200),
    st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join),
    st.lists(st.sampled_from(_WORDS), max_size=40).map("".join),
)


def _check(text: str) -> None:
    for finder in FINDERS:
        for m in finder(text):
            assert 0 <= m.start <= m.end <= len(text)
            assert text[m.start:m.end] == m.text
            for key in ("value", "low", "high", "from_value"):
                v = getattr(m, key, None)
                assert v is None or math.isfinite(v)
    for parser in PARSERS:
        got = parser(text)
        if isinstance(got, float):
            assert math.isfinite(got)


@settings(max_examples=1200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_strategies)
def test_never_raises_and_spans_are_exact(text: str) -> None:
    _check(text)


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(["9", "1,", "1 ", ".", "-", "$", "one ", "and ", "million ", "%", "20", "a "]),
       st.integers(min_value=1000, max_value=8000))
def test_long_repetitive_strings(unit: str, times: int) -> None:
    _check(unit * times)


def test_linear_time_on_long_text() -> None:
    """Doubling the text roughly doubles the time (no quadratic blow-up)."""
    base = ("The government spent nearly two billion U.S. dollars (about 10% of 1,107 million) "
            "in 2015-2020, from 35% to 25%, Rs. 3 to 10 crore, $5-10 million. ") * 60
    timings = []
    for text in (base, base * 4):
        t0 = time.perf_counter()
        for finder in FINDERS:
            finder(text)
        timings.append(time.perf_counter() - t0)
    assert timings[1] < timings[0] * 4 * 3 + 0.5, timings


def test_non_strings() -> None:
    for bad in (None, 3, b"12%", ["$5"]):
        for finder in FINDERS:
            assert finder(bad) == []  # type: ignore[arg-type]
        for parser in PARSERS:
            assert parser(bad) is None  # type: ignore[arg-type]
