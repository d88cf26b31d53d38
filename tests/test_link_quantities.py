"""Link stage, which mentions become measures: ranges, conversions, changes, counts (synthetic documents, see tests/linkdoc.py)."""
from __future__ import annotations

import pytest
from linkdoc import build_doc, link_text, only

from pipeline.link import link_document


def test_range_in_one_mention_and_split_range_are_one_measure():
    measures = link_text((
        "",
        "Firms deduct {PERCENT value=10 low=8 high=10|8% to 10%} of their spending from tax. "
        "Grants cover {PERCENT value=15|15%} to {PERCENT value=25|25%} of project costs.",
    ))
    assert [(m.low, m.high, m.value) for m in measures] == [(8.0, 10.0, 10.0), (15.0, 25.0, 25.0)]
    assert measures[0].instrument == "tax_incentive"


def test_or_list_of_two_rates_gives_two_measures_with_own_instruments():
    measures = link_text((
        "",
        "Buyers of machinery may choose a {PERCENT value=20|20%} investment subsidy or a "
        "{PERCENT value=10|10%} tax credit on the purchase price.",
    ))
    assert [(m.value, m.instrument) for m in measures] == [(20.0, "investment"), (10.0, "tax_incentive")]
    assert [m.measure_id for m in measures] == ["t:q1", "t:q2"]


@pytest.mark.parametrize("conversion", [
    " ({MONEY value=5.3e8 currency=USD approx=~|about $530 million})",
    " (about {MONEY value=5.3e8 currency=USD|$530 million})",
    ", or about {MONEY value=5.3e8 currency=USD|530 million dollars},",
])
def test_conversion_in_parentheses_is_one_measure_in_the_first_currency(conversion):
    m = only(link_text((
        "",
        "{COUNTRY iso3=JPN|Japan} earmarked {MONEY value=7e10 currency=JPY|70 billion yen}"
        + conversion + " for semiconductor research.",
    )))
    assert (m.value, m.currency, m.instrument, m.country) == (7e10, "JPY", "rd_funding", "JPN")
    assert m.mention_id.endswith("-MONEY") and m.start < m.end


def test_count_becomes_a_count_measure():
    m = only(link_text((
        "",
        "{COUNTRY iso3=DEU|Germany} runs {COUNT value=150 approx=~ unit=colleges|about 150 vocational colleges} "
        "that train technicians.",
    )))
    assert (m.quantity_type, m.value, m.approx, m.currency) == ("count", 150.0, "~", "")
    assert m.instrument == "education_training"


def test_percentage_points_stay_percent_measures():
    m = only(link_text(("", "{COUNTRY iso3=POL|Poland} cut the VAT on e-books by "
                            "{PERCENT value=5 unit=points|5 percentage points}.")))
    assert (m.quantity_type, m.value, m.instrument, m.country) == ("percent", 5.0, "tax_incentive", "POL")


@pytest.mark.parametrize("marked, value, from_value, approx", [
    ("Its share fell from {PERCENT value=50|50%} in {DATE year=1988|1988} to {PERCENT value=10 approx=~|about 10%} "
     "in {DATE year=2019|2019}.", 10.0, 50.0, "~"),
    ("Small firms can now deduct {PERCENT value=25|25%} of their investment, up from {PERCENT value=16|16%}.",
     25.0, 16.0, ""),
    # the extract stage may already have joined the change: the start is still not a measure of its own
    ("Its share fell from {PERCENT value=50|50%} in {DATE year=1988|1988} to "
     "{PERCENT value=10 from_value=50 approx=~|about 10%} in {DATE year=2019|2019}.", 10.0, 50.0, "~"),
    ("Small firms can now deduct {PERCENT value=25 from_value=16|25%} of their investment, up from "
     "{PERCENT value=16|16%}.", 25.0, 16.0, ""),
])
def test_split_change_with_a_year_or_stated_after_is_one_measure(marked, value, from_value, approx):
    m = only(link_text(("", marked)))
    assert (m.value, m.from_value, m.approx) == (value, from_value, approx)


def test_money_change_from_one_amount_to_another_is_one_measure():
    parsed, mentions = build_doc([("", "{COUNTRY iso3=KOR|Korea}'s output is set to grow from "
                                       "{MONEY value=2.1e12 currency=USD|$2.1 trillion} to "
                                       "{MONEY value=2.8e12 currency=USD|$2.8 trillion} by {DATE year=2030|2030}.")])
    measures = link_document(parsed, mentions)
    assert len(measures) == 1
    m = measures[0]
    assert (m.value, m.from_value, m.currency, m.country, m.year) == (2.8e12, 2.1e12, "USD", "KOR", 2030)


def test_two_amounts_in_different_currencies_after_from_stay_apart():
    parsed, mentions = build_doc([("", "Funding moved from {MONEY value=5e6 currency=EUR|EUR 5 million} to "
                                       "{MONEY value=6e6 currency=GBP|GBP 6 million} projects.")])
    assert len(link_document(parsed, mentions)) == 2


def test_count_of_actors_is_a_measure_only_when_they_are_supported():
    measures = link_text(
        ("", "{COUNTRY iso3=FRA|France} has a concentrated market: the {COUNT value=5 unit=firms|5 largest firms} "
             "hold half of sales. The state subsidises {COUNT value=300 unit=firms|300 firms} in the region."),
    )
    assert [(m.quantity_type, m.value) for m in measures] == [("count", 300.0)]


def test_elliptical_count_is_its_own_measure():
    measures = link_text(
        ("", "The {ORG canonical=Science_Council|Science Council} made {COUNT value=22 unit=awards|22 awards} "
             "in {DATE year=2003|2003} and, in {DATE year=2004|2004}, {COUNT value=12 approx=~ unit=awards|about 12}."),
    )
    assert [(m.value, m.approx, m.org) for m in measures] == [(22.0, "", "Science Council"),
                                                               (12.0, "~", "Science Council")]


def test_change_with_a_complement_and_start_year_is_one_target():
    measures = link_text(
        ("", "The plan raises public R&D from {PERCENT value=0.7|0.7%} of GDP in {DATE year=2022|2022} to "
             "{PERCENT value=1|1%} by {DATE year=2030|2030}."),
    )
    assert [(m.value, m.from_value, m.instrument) for m in measures] == [(1.0, 0.7, "target")]


def test_an_arrow_between_two_amounts_is_one_change():
    # LINK-CHANGE-ARROW
    m = only(link_text(("", "Raise the digital budget ({MONEY value=3e12 currency=KRW|KRW 3 trillion} → "
                            "{MONEY value=5e12 currency=KRW|KRW 5 trillion}).")))
    assert (m.value, m.from_value) == (5e12, 3e12)
    m = only(link_text(("", "Broadband coverage: {PERCENT value=60|60%} -> (2030) {PERCENT value=95|95%}")))
    assert (m.value, m.from_value) == (95.0, 60.0)
