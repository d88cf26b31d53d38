"""Money in USD and EUR at the year's ECB annual average (pipeline/fx.py).

Expected values are worked by hand from the rates in pipeline/data/fx_ecb_annual.csv
(units per 1 EUR) and fx_fixed.csv; the arithmetic is in each comment.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from pipeline import fx
from pipeline.io import format_cell

D = Decimal


def test_jpy_2019() -> None:
    # USD 1.119475 / JPY 122.005765 per EUR = 0.009175591006 USD per yen (10 digits);
    # 4,500,000,000 x 0.009175591006 = 41,290,159.527 -> 41,290,159.53
    # EUR: 4,500,000,000 / 122.005765 = 36,883,503.004 -> 36,883,503.00
    c = fx.convert(4.5e9, "JPY", 2019)
    assert c.fx_rate == D("0.009175591006")
    assert c.value_usd == D("41290159.53")
    assert c.value_eur == D("36883503.00")
    assert c.fx_year == 2019
    assert c.fx_source == "ECB annual average 2019: USD 1.119475 per EUR; JPY 122.005765 per EUR"
    assert c.fx_note == ""


def test_inr_crore_2020() -> None:
    # Rs 500 crore = 500 x 10^7 = 5,000,000,000 INR
    # USD 1.142196 / INR 84.639155 = 0.01349488898; x 5e9 = 67,474,444.90
    # EUR: 5e9 / 84.639155 = 59,074,313.77
    c = fx.convert(500 * 10**7, "INR", 2020)
    assert c.fx_rate == D("0.01349488898")
    assert c.value_usd == D("67474444.90")
    assert c.value_eur == D("59074313.77")


def test_inr_lakh_2019() -> None:
    # Rs 25 lakh = 25 x 10^5 = 2,500,000 INR
    # USD 1.119475 / INR 78.836140 = 0.01420002298; x 2.5e6 = 35,500.057 -> 35,500.06
    c = fx.convert(2_500_000.0, "INR", 2019)
    assert c.fx_rate == D("0.01420002298")
    assert c.value_usd == D("35500.06")
    assert c.value_eur == D("31711.34")       # 2.5e6 / 78.836140


def test_legacy_dem_2001_by_the_euro_conversion_rate() -> None:
    # DEM 1,000,000 / 1.95583 (Reg. 2866/98) = EUR 511,291.88
    # USD per DEM = 0.895630 (USD per EUR, 2001) / 1.95583 = 0.4579283476; x 1e6 = 457,928.35
    c = fx.convert(1e6, "DEM", 2001)
    assert c.value_eur == D("511291.88")
    assert c.fx_rate == D("0.4579283476")
    assert c.value_usd == D("457928.35")
    assert "DEM 1.95583 per EUR fixed (Reg. (EC) 2866/98)" in c.fx_source


def test_ecu_is_euro_one_to_one_from_1999() -> None:
    # XEU 2,000,000 = EUR 2,000,000 (Reg. 1103/97); x 1.065776 USD per EUR (1999) = 2,131,552
    c = fx.convert(2e6, "XEU", 1999)
    assert c.value_eur == D("2000000")
    assert c.value_usd == D("2131552")
    assert format_cell("value_usd", c.value_usd) == "2131552"


def test_usd_gets_eur_at_the_same_year() -> None:
    # USD 1,000,000 / 1.119475 = EUR 893,275.87
    c = fx.convert(1e6, "USD", 2019)
    assert (c.value_usd, c.value_eur, c.fx_rate) == (D("1000000"), D("893275.87"), D(1))


@pytest.mark.parametrize("value,currency,year,note", [
    (1e6, "XEU", 1995, "no rate for 1995: ECB annual averages cover 1999-2025"),
    (1e6, "DEM", 1995, "no rate for 1995: ECB annual averages cover 1999-2025"),
    (1e6, "GRD", 2000, "no rate for GRD in 2000: its euro conversion rate applies from 2001 and the ECB has no rate for it that year"),
    (1e6, "NGN", 2019, "no rate for NGN in 2019: not an ECB reference currency that year"),
    (1e6, "JPY", None, "no year (neither the measure's nor the paper's)"),
    (1e6, "JPY", 2031, "no rate for 2031: ECB annual averages cover 1999-2025"),
    (None, "JPY", 2019, "no single value (a range or a bound only)"),
    (1e6, "", 2019, "no currency"),
])
def test_missing_rate_leaves_cells_empty_with_a_reason(value, currency, year, note) -> None:
    c = fx.convert(value, currency, year)
    assert c.value_usd is None and c.fx_rate is None and c.fx_source == "" and c.fx_year is None
    assert c.fx_note == note


def test_euro_amount_without_usd_rate_keeps_its_euro_value() -> None:
    c = fx.convert(1.2e8, "EUR", 2030)
    assert c.value_usd is None and c.value_eur == D("120000000")
    assert "2030" in c.fx_note


def test_measure_year_first_then_paper_year() -> None:
    own = fx.fx_fields(1e6, "EUR", "money", 2016, 2019)
    assert own["fx_year"] == 2016 and own["fx_note"] == ""
    paper = fx.fx_fields(1e6, "EUR", "money", None, 2019)
    # 1,000,000 x 1.119475 (USD per EUR, 2019)
    assert paper["fx_year"] == 2019 and paper["value_usd"] == D("1119475")
    assert paper["fx_note"] == "year of the paper (the measure states none)"
    assert fx.fx_fields(30.0, "", "percent", 2019, 2019) == {}


def test_decimal_cells_have_no_float_noise() -> None:
    # 0.1 + 0.2 in floats is 0.30000000000000004; the converter works on the shown decimals
    c = fx.convert(0.1 + 0.2, "USD", 2019)
    assert format_cell("value_usd", c.value_usd) == "0.3"
    assert format_cell("fx_rate", D("1.065776000")) == "1.065776"
    assert format_cell("value_usd", D("4.1E+7")) == "41000000"
    # the amount is the one the CSV shows: 4.1 * 1e9 is 4099999999.9999995 as a float
    assert fx.to_decimal(4.1 * 1e9) == D("4100000000") == D(format_cell("value", 4.1 * 1e9))
    assert fx.convert(4.1 * 1e9, "JPY", 2019) == fx.convert(4.1e9, "JPY", 2019)


def test_rates_match_the_ecbs_published_annual_averages() -> None:
    # ECB Statistical Bulletin annual averages (4-5 significant digits as published)
    rates = fx.ecb_annual()
    assert round(rates[(2019, "USD")], 4) == D("1.1195")
    assert round(rates[(2019, "JPY")], 2) == D("122.01")
    assert round(rates[(2020, "INR")], 4) == D("84.6392")
    assert round(rates[(2001, "USD")], 4) == D("0.8956")
    assert fx.ecb_years() == (1999, 2025)


def test_data_file_is_what_the_builder_makes_from_the_ecb_history() -> None:
    pytest.importorskip("currency_converter")
    from pipeline.data.build_fx_rates import annual_averages, ecb_history
    rows, _version = ecb_history()
    table, _last = annual_averages(rows)
    assert {(y, c): r for y, c, r, _ in table} == fx.ecb_annual()
