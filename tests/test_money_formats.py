"""Amounts written the way the world writes them: decimal commas, apostrophe,
space and Indian grouping, scale words, sub-units. A wrong value is a test
failure: where the shape of a number is ambiguous, the value must carry a
flag (mentions.flags), never a silent guess. Examples are invented."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.currencies import currency_formats
from pipeline.normalize.money import find_money


def _group(int_part: str, sep: str, indian: bool = False) -> str:
    if indian and len(int_part) > 3:
        head, tail = int_part[:-3], int_part[-3:]
        pairs = []
        while len(head) > 2:
            pairs.insert(0, head[-2:])
            head = head[:-2]
        return ",".join([head] + pairs + [tail])
    out = []
    while len(int_part) > 3:
        out.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    return sep.join([int_part] + out)


# style -> (group separator, decimal mark, Indian grouping)
STYLES = {
    "english": (",", ".", False),
    "european": (".", ",", False),
    "swiss": ("'", ".", False),
    "swiss_comma": ("\u2019", ",", False),
    "space_comma": ("\u00a0", ",", False),
    "space_dot": (" ", ".", False),
    "indian": (",", ".", True),
    "plain_comma": ("", ",", False),
}


def render(amount: Decimal, style: str, cents: bool) -> str:
    group, dec, indian = STYLES[style]
    whole, frac = f"{amount:.2f}".split(".")
    text = _group(whole, group, indian) if group else whole
    return text + (dec + frac if cents else "")


CURRENCIES = ["EUR", "USD", "CHF", "INR", "IDR", "ZAR", "BRL", "CZK", "PLN", "JPY", "SEK", "AOA", "KWD"]


@settings(max_examples=400, deadline=None)
@given(whole=st.integers(min_value=0, max_value=10**9), cents=st.integers(min_value=0, max_value=99),
       with_cents=st.booleans(), style=st.sampled_from(sorted(STYLES)), code=st.sampled_from(CURRENCIES),
       before=st.booleans())
def test_a_generated_amount_is_read_exactly_or_flagged(whole, cents, with_cents, style, code, before) -> None:
    amount = Decimal(whole) + (Decimal(cents) / 100 if with_cents else 0)
    number = render(amount, style, with_cents)
    text = f"The scheme grants {code} {number} to each firm." if before else \
        f"The scheme grants {number} {code} to each firm."
    found = find_money(text)
    assert len(found) == 1, (text, [(m.text, m.value) for m in found])
    m = found[0]
    assert m.currency == code
    if m.value != float(amount):
        assert m.flags, f"wrong value without a flag: {text!r} -> {m.value}"


@pytest.mark.parametrize("text,value,currency,flagged", [
    ("EUR 2,5 billion", 2.5e9, "EUR", False),
    ("€ 23,45", 23.45, "EUR", False),
    ("CHF 2'310,50", 2310.5, "CHF", False),
    ("CHF 1\u2019250.75", 1250.75, "CHF", False),
    ("Rp 48.700", 48700.0, "IDR", False),          # IDR groups with "."
    ("₫200.000", 200000.0, "VND", False),
    ("1.234,56 €", 1234.56, "EUR", False),
    ("1 234,56 Kč", 1234.56, "CZK", False),
    ("R45,7 billion", 4.57e10, "ZAR", False),
    ("R2 416 300", 2416300.0, "ZAR", False),
    ("₹2,47,315", 247315.0, "INR", False),
    ("Rs.350 crores", 3.5e9, "INR", False),
    ("Rs 8200 Crore", 8.2e10, "INR", False),
    ("₹8.22 lakh crore", 8.22e12, "INR", False),
    ("$45,210 M", 4.521e10, "USD", False),
    ("3 G$", 3.0, "GYD", False),
    ("$35 and 12c", 35.12, "USD", False),
    ("It costs 15 dollars 50.", 15.5, "USD", False),
    ("12 Kuwaiti dinars", 12.0, "KWD", False),
    ("Malaysian ringgit 30", 30.0, "MYR", False),
    ("310 billion Czech crowns", 3.1e11, "CZK", False),
    ("740 Kč", 740.0, "CZK", False),
    ("₺15", 15.0, "TRY", False),
    ("20 zł", 20.0, "PLN", False),
    ("10 bucks", 10.0, "USD", False),
    ("a fee of 2019,50 EUR per year", 2019.5, "EUR", False),   # a year-like whole part
    ("a fee of EUR 1987,05 per year", 1987.05, "EUR", False),
    ("0,750 EUR", 0.75, "EUR", False),              # a leading zero is never a group
    ("EUR 0.500", 0.5, "EUR", False),
        # ambiguous by shape and by the currency's convention: a flag, not a silent guess
    ("$1.500", 1.5, "USD", True),
    ("€ 1.500", 1500.0, "EUR", True),
    ("EUR 2,500 million", 2.5e9, "EUR", True),
])
def test_written_forms(text: str, value: float, currency: str, flagged: bool) -> None:
    found = find_money(text)
    assert [(m.value, m.currency) for m in found] == [(value, currency)]
    assert bool(found[0].flags) == flagged, found[0].flags


def test_scale_arithmetic_is_exact() -> None:
    # no float noise: 8.22 x 1e5 x 1e7 is 8220000000000 exactly, and so on
    for text, value in (("₹8.22 lakh crore", 8220000000000.0), ("$0.3 million", 300000.0),
                        ("EUR 1.1 billion", 1100000000.0), ("¥4.35 trillion", 4350000000000.0),
                        ("Rs 3.7 crore", 37000000.0), ("$2.675 bn", 2675000000.0)):
        (m,) = find_money(text)
        assert m.value == value and repr(m.value) == repr(value), (text, m.value)


def test_a_range_written_out_twice_is_one_range() -> None:
    (m,) = find_money("between 5 euros and 9 euros")
    assert (m.low, m.high, m.value, m.currency) == (5.0, 9.0, 9.0, "EUR")


def test_every_currency_has_a_convention_row() -> None:
    assert {"EUR", "USD", "INR", "BRL"} <= set(currency_formats())
