"""Money in USD and EUR at the year's rate, in exact decimal arithmetic.

``convert(value, currency, year)`` gives the amount in USD and EUR at the
annual average of the ECB euro reference rates of ``year``
(``data/fx_ecb_annual.csv``, built from the ECB history file by
``data/build_fx_rates.py``). Currencies replaced by the euro (XEU, DEM, FRF,
...) go to EUR by their irrevocable conversion rates (``data/fx_fixed.csv``)
from the year those took effect. A cross rate is the ratio of the two annual
averages against the euro: USD per unit of C = (USD per EUR) / (C per EUR).

Nothing is guessed: no year, a year without a complete ECB year (before 1999,
the current or a future year), or a currency the ECB does not quote that year
gives empty amounts and a one-line reason. Amounts are nominal: never deflated.

Rounding: ``fx_rate`` (USD per one unit of the currency) is rounded half-even
to 10 significant digits, and ``value_usd = value * fx_rate`` rounded to the
cent, so anyone can redo a row by hand from the CSV; ``value_eur`` is
``value / (C per EUR)`` to the cent.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from functools import lru_cache
from typing import Optional

from .data_access import read_csv

CENT = Decimal("0.01")
RATE_DIGITS = 10
_CTX = Context(prec=40, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Conversion:
    value_usd: Optional[Decimal] = None
    value_eur: Optional[Decimal] = None
    fx_rate: Optional[Decimal] = None     # USD per 1 unit of the currency
    fx_year: Optional[int] = None         # the year whose annual average was used
    fx_source: str = ""
    fx_note: str = ""                     # why the cells are empty, or what was assumed


@lru_cache(maxsize=1)
def ecb_annual() -> dict[tuple[int, str], Decimal]:
    """(year, currency) -> units of the currency per 1 EUR (annual average)."""
    out = {}
    for row in read_csv("fx_ecb_annual.csv"):
        with row.checked():
            out[(int(row["year"]), row["currency"].strip().upper())] = Decimal(row["per_eur"])
    return out


@lru_cache(maxsize=1)
def fixed_rates() -> dict[str, tuple[Decimal, int, str]]:
    """Legacy currency -> (units per 1 EUR, first year in force, legal source)."""
    out = {}
    for row in read_csv("fx_fixed.csv"):
        with row.checked():
            out[row["currency"].strip().upper()] = (Decimal(row["per_eur"]), int(row["from_year"]), row["source"].strip())
    return out


@lru_cache(maxsize=1)
def ecb_years() -> tuple[int, int]:
    years = [y for y, _ in ecb_annual()]
    return min(years), max(years)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """The decimal the CSV shows for value (io.format_cell: whole numbers as integers, else
    rounded to 6 decimals, shortest repr): 0.1 -> 0.1, 4.1 * 1e9 -> 4100000000."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return Decimal(int(value))
        return Decimal(repr(round(value, 6)))
    return Decimal(str(value))


def _per_eur(currency: str, year: int) -> tuple[Optional[Decimal], str]:
    """Units of currency per 1 EUR in year, and the source phrase; (None, reason) when unknown."""
    if currency == "EUR":
        return Decimal(1), ""
    fixed = fixed_rates().get(currency)
    if fixed and year >= fixed[1]:
        rate, _, source = fixed
        return rate, f"{currency} {rate:f} per EUR fixed ({source})"
    rate = ecb_annual().get((year, currency))
    if rate is not None:
        return rate, f"{currency} {rate:f} per EUR"
    first, last = ecb_years()
    if fixed:
        return None, f"no rate for {currency} in {year}: its euro conversion rate applies from {fixed[1]} and the ECB has no rate for it that year"
    if year < first or year > last:
        return None, f"no rate for {year}: ECB annual averages cover {first}-{last}"
    return None, f"no rate for {currency} in {year}: not an ECB reference currency that year"


def convert(value: Optional[float | Decimal], currency: str, year: Optional[int]) -> Conversion:
    """value in currency, dated year -> USD and EUR at year's annual average (see the module docstring)."""
    currency = (currency or "").strip().upper()
    if value is None:
        return Conversion(fx_note="no single value (a range or a bound only)")
    if not currency:
        return Conversion(fx_note="no currency")
    amount = to_decimal(value)
    with localcontext(_CTX):
        if year is None:
            if currency == "USD":
                return Conversion(value_usd=amount, fx_rate=Decimal(1), fx_note="no year: no EUR amount")
            if currency == "EUR":
                return Conversion(value_eur=amount, fx_note="no year: no USD amount")
            return Conversion(fx_note="no year (neither the measure's nor the paper's)")
        usd, usd_why = _per_eur("USD", year)
        cur, cur_why = _per_eur(currency, year)
        # no rate used: fx_year stays empty (the note names the year)
        if usd is None and currency == "USD":
            return Conversion(value_usd=amount, fx_rate=Decimal(1), fx_note=f"{usd_why}: no EUR amount")
        if usd is None or cur is None:
            # a euro amount is one without any rate
            return Conversion(value_eur=amount if currency == "EUR" else None,
                              fx_note=usd_why if usd is None else cur_why)
        if currency == "USD":
            rate = Decimal(1)
        else:
            rate = _significant(usd / cur, RATE_DIGITS)
        value_usd = (amount * rate).quantize(CENT)
        value_eur = (amount / cur).quantize(CENT)
        parts = [f"ECB annual average {year}: USD {usd:f} per EUR"]
        if cur_why and currency != "USD":
            parts.append(cur_why)
        return Conversion(value_usd=value_usd, value_eur=value_eur, fx_rate=rate, fx_year=year,
                          fx_source="; ".join(parts))


def _significant(x: Decimal, digits: int) -> Decimal:
    if x == 0:
        return x
    exp = x.adjusted() - digits + 1
    return x.quantize(Decimal(1).scaleb(exp), rounding=ROUND_HALF_EVEN)


def fx_fields(value: Optional[float], currency: str, quantity_type: str,
              measure_year: Optional[int], paper_year: Optional[int]) -> dict:
    """The fx columns of one measure row: money at the measure's year, else the paper's year."""
    if quantity_type != "money":
        return {}
    year = measure_year if measure_year is not None else paper_year
    conv = convert(value, currency, year)
    note = conv.fx_note
    if measure_year is None and paper_year is not None:
        note = "; ".join(x for x in ("year of the paper (the measure states none)", note) if x)
    return {"value_usd": conv.value_usd, "value_eur": conv.value_eur, "fx_rate": conv.fx_rate,
            "fx_year": conv.fx_year, "fx_source": conv.fx_source, "fx_note": note}
