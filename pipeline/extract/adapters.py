"""The extract stage's entry to the normalizers (pipeline.normalize.*).

spaCy components call these instead of importing each normalizer. There is no
fallback: an exception inside a normalizer is a bug; it propagates, named by
``text_finder`` (``NormalizerError: pipeline.normalize.money.find_money: ...``),
and the runner turns it into the paper's error row.
"""
from __future__ import annotations

import functools

from ..normalize.dates import find_dates as _find_dates
from ..normalize.geo import Gazetteer
from ..normalize.money import find_money as _find_money
from ..normalize.numbers import find_numbers as _find_numbers
from ..normalize.percent import find_percent as _find_percent


def find_money(text: str) -> list:
    return list(_find_money(text) or [])


def find_percent(text: str) -> list:
    return list(_find_percent(text) or [])


def find_dates(text: str) -> list:
    return list(_find_dates(text) or [])


def find_numbers(text: str) -> list:
    return list(_find_numbers(text) or [])


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Gazetteer:
    return Gazetteer.default()


def find_places(text: str) -> list:
    return list(_gazetteer().find(text) or [])


def is_place_name(text: str) -> bool:
    """True when the whole text names a country or region ("Harbour State", "the U.K.")."""
    return _gazetteer().lookup(text) is not None
