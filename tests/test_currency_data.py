"""Currency knowledge from CLDR (scripts/build_currency_data.py): the generated
files are current, and every ISO 4217 currency is read by its code before and
after an amount and by its English name, singular and plural."""
from __future__ import annotations

import subprocess
import sys

import pycountry
import pytest
from babel import Locale

from conftest import ROOT
from pipeline.normalize.currencies import currency_formats
from pipeline.normalize.money import find_money

CODES = sorted(c.alpha_3 for c in pycountry.currencies)
EN = Locale("en")
# Funds, precious metals and test codes: ISO lists them, nobody pays with them
# in a policy paper, and some are not amounts at all (XXX = no currency).
NOT_MONEY = {"XXX", "XTS"}


def test_generated_currency_files_match_babel() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_currency_data.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_generated_scale_words_match_babel() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_scale_words.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("text, value, currency", [
    ("R$ 12,5 bilhões em crédito", 1.25e10, "BRL"),         # Portuguese, decimal comma
    ("3,2 Milliarden Euro", 3.2e9, "EUR"),
    ("PLN 7 mld", 7e9, "PLN"),
    ("EUR 1,5 Mrd.", 1.5e9, "EUR"),
    ("MXN 4 billones", 4e12, "MXN"),                       # the Spanish long scale: 10^12
])
def test_foreign_scale_words_scale_the_amount(text: str, value: float, currency: str) -> None:
    got = find_money(text)
    assert [(m.value, m.currency) for m in got] == [(pytest.approx(value), currency)]


@pytest.mark.parametrize("text", ["$6 bil in loans", "a 5 bilion dollar fund"])
def test_english_lookalikes_are_not_foreign_scales(text: str) -> None:
    """'bil' is an English billion, 'bilion' a misspelt one: neither takes Polish 10^12."""
    assert all(m.value < 1e12 for m in find_money(text))


def test_pycountry_lists_178_currencies() -> None:
    assert len(CODES) == 178


@pytest.mark.parametrize("code", [c for c in CODES if c not in NOT_MONEY])
def test_every_iso_code_before_and_after_an_amount(code: str) -> None:
    for text in (f"a grant of {code} 1,250,000 for the plant", f"a grant of 1,250,000 {code} for the plant",
                 f"fees rose to {code} 2.5 million", f"they paid 17 {code}."):
        got = [(m.value, m.currency) for m in find_money(text)]
        want = 2.5e6 if "2.5 million" in text else 17.0 if "17" in text else 1250000.0
        assert got == [(want, code)], text


@pytest.mark.parametrize("code", [c for c in CODES if c not in NOT_MONEY and c in EN.currencies])
def test_every_currency_by_its_english_name(code: str) -> None:
    plural = EN._data["currency_names_plural"].get(code) or {}
    names = {EN.currencies[code], plural.get("one", EN.currencies[code]), plural.get("other", EN.currencies[code])}
    for name in sorted(names):
        got = [(m.value, m.currency) for m in find_money(f"The budget sets aside 40 million {name} for it.")]
        assert got == [(4e7, code)], name


def test_codes_that_are_english_words_need_an_amount_that_looks_like_money() -> None:
    assert find_money("the TOP 10 exporters") == []
    assert find_money("20 AMD processors were bought") == []
    assert [(m.value, m.currency) for m in find_money("a fee of TOP 1,500")] == [(1500.0, "TOP")]
    assert [(m.value, m.currency) for m in find_money("it costs 5 GEL.")] == [(5.0, "GEL")]
    # a withdrawn currency's code is an acronym more often than not
    assert find_money("a GWP 25 gas") == []
    assert [(m.value, m.currency) for m in find_money("BGN 88 million")] == [(8.8e7, "BGN")]


def test_conventions_come_from_the_issuing_country() -> None:
    fmt = currency_formats()
    assert fmt["USD"] == (".", ",")
    assert fmt["IDR"] == (",", ".")
    assert fmt["ZAR"] == (",", " ")
    assert fmt["CHF"] == (".", "'")
    assert fmt["EUR"] == ("mixed", "mixed")
