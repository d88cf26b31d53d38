"""Thin adapters over the normalizers (pipeline.normalize.*).

Each finder is imported lazily; if a normalizer module is missing or broken,
a conservative fallback keeps the extract stage importable and running (it
finds less, never raises). The adapters also shield spaCy components from any
exception a normalizer might raise on odd input.
"""
from __future__ import annotations

import functools
import importlib
import logging
import re
from typing import Any, Callable

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=None)
def _load(module: str, attr: str) -> Callable[..., Any] | None:
    try:
        return getattr(importlib.import_module(module), attr)
    except Exception as exc:  # missing module or a bug in it: degrade, do not crash
        log.warning("extract: %s.%s unavailable (%s); using fallback", module, attr, exc)
        return None


def _safe(fn: Callable[[str], list] | None, text: str) -> list:
    if fn is None:
        return []
    try:
        return list(fn(text) or [])
    except Exception as exc:
        log.warning("extract: normalizer %s failed: %s", getattr(fn, "__name__", fn), exc)
        return []


def find_money(text: str) -> list:
    return _safe(_load("pipeline.normalize.money", "find_money"), text)


def find_percent(text: str) -> list:
    return _safe(_load("pipeline.normalize.percent", "find_percent"), text)


def find_dates(text: str) -> list:
    return _safe(_load("pipeline.normalize.dates", "find_dates"), text)


_DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])")


class _FallbackNumber:
    def __init__(self, m: re.Match):
        self.start, self.end, self.text = m.start(), m.end(), m.group(0)
        self.value = float(self.text.replace(",", ""))


def find_numbers(text: str) -> list:
    fn = _load("pipeline.normalize.numbers", "find_numbers")
    if fn is None:
        return [_FallbackNumber(m) for m in _DIGITS.finditer(text)]
    return _safe(fn, text)


class _FallbackPlace:
    def __init__(self, m: re.Match, iso3: str):
        self.start, self.end, self.text = m.start(), m.end(), m.group(0)
        self.type, self.iso3, self.canonical, self.form = "COUNTRY", iso3, m.group(0), "name"


@functools.lru_cache(maxsize=1)
def _fallback_country_pattern() -> tuple[re.Pattern, dict[str, str]]:
    import pycountry  # pinned dependency; only names, no demonyms
    names = {c.name: c.alpha_3 for c in pycountry.countries}
    names.update({getattr(c, "common_name"): c.alpha_3 for c in pycountry.countries if hasattr(c, "common_name")})
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + alternation + r")(?![\w-])"), names


@functools.lru_cache(maxsize=1)
def _gazetteer() -> Any:
    cls = _load("pipeline.normalize.geo", "Gazetteer")
    if cls is None:
        return None
    try:
        return cls.default()
    except Exception as exc:
        log.warning("extract: Gazetteer.default() failed: %s", exc)
        return None


def find_places(text: str) -> list:
    gaz = _gazetteer()
    if gaz is not None:
        return _safe(gaz.find, text)
    pattern, names = _fallback_country_pattern()
    return [_FallbackPlace(m, names[m.group(0)]) for m in pattern.finditer(text)]


def is_place_name(text: str) -> bool:
    """True when the whole text names a country or region ("Washington State", "the U.S.")."""
    gaz = _gazetteer()
    if gaz is None:
        return False
    try:
        return gaz.lookup(text) is not None
    except Exception as exc:
        log.warning("extract: gazetteer lookup failed: %s", exc)
        return False
