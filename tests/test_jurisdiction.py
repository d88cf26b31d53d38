"""The paper's own country (pipeline/jurisdiction.py) and the currencies that
depend on it (pipeline/normalize/money.py local_currency). Examples invented."""
from __future__ import annotations

import pytest

from pipeline.jurisdiction import localize_currencies, paper_country, vote_country
from pipeline.normalize.currencies import local_currency
from pipeline.records import Mention


def m(kind: str, iso3: str, start: int, **kw) -> Mention:
    return Mention(doc_id="d", mention_id=f"d:{start}", type=kind, text="x", start=start, end=start + 1,
                   iso3=iso3, **kw)


def test_the_vote_counts_bodies_and_programs_half_and_breaks_ties_by_first_mention() -> None:
    ms = [m("COUNTRY", "CAN", 5), m("ORG", "USA", 1), m("PROGRAM", "USA", 2), m("COUNTRY", "MEX", 9)]
    assert vote_country(ms) == "USA"                       # 1.0 each; USA first
    assert vote_country(ms, min_share=0.5) == ""           # 1 of 3 votes
    assert vote_country(ms, exclude=frozenset({"USA"})) == "CAN"
    assert vote_country(ms, skip=lambda c: c.type == "ORG") == "CAN"


def test_a_paper_needs_a_dominant_country() -> None:
    assert paper_country([m("COUNTRY", "AUS", i) for i in range(3)] + [m("COUNTRY", "USA", 9)]) == "AUS"
    assert paper_country([m("COUNTRY", "AUS", 1), m("COUNTRY", "USA", 2)]) == ""
    assert paper_country([m("COUNTRY", "AUS", 1), m("COUNTRY", "AUS", 2), m("COUNTRY", "NZL", 3)]) == ""  # few
    # LINK-PAPER-SOLE-COUNTRY: the only country a paper names, even once, is its own
    assert paper_country([m("COUNTRY", "BRB", 1)]) == "BRB"
    assert paper_country([m("ORG", "BRB", 1)]) == ""                                 # half a vote


@pytest.mark.parametrize("marker,iso3,want", [
    ("$", "AUS", "AUD"), ("dollars", "CAN", "CAD"), ("cents", "NZL", "NZD"), ("$", "MEX", "MXN"),
    ("¥", "CHN", "CNY"), ("¥", "JPN", "JPY"), ("Rs", "PAK", "PKR"), ("pesos", "PHL", "PHP"),
    ("kroner", "NOR", "NOK"), ("francs", "SEN", "XOF"),
    # CLDR writes these rupees in their own scripts; their English papers write "Rs"
    ("Rs", "NPL", "NPR"), ("Rs.", "LKA", "LKR"), ("Rs", "MUS", "MUR"), ("Rs", "IND", "INR"),
    ("Rs", "IDN", ""),
    ("$", "USA", "USD"),
    # a dollar that CLDR writes with a prefix is still the bare "$" of its own papers
    ("$", "HKG", "HKD"), ("dollars", "HKG", "HKD"),
    # cents are hundredths of the country's dollar, euro, rand or shilling; a rupee has paise
    ("cents", "ZAF", "ZAR"), ("cents", "IRL", "EUR"), ("cent", "KEN", "KES"), ("cents", "IND", ""),
    # not shared, or not how that country writes its currency: the marker's own reading stands
    ("US$", "AUS", ""), ("$", "PAN", ""), ("dollars", "EUU", ""), ("€", "AUS", ""), ("$", "", ""),
])
def test_local_currency(marker: str, iso3: str, want: str) -> None:
    assert local_currency(marker, iso3) == want


def test_localize_changes_only_money_written_with_a_shared_marker() -> None:
    money = [m("MONEY", "", 1, currency="USD", unit="$", value=5.0),
             m("MONEY", "", 2, currency="USD", unit="USD", value=5.0),
             m("COUNTRY", "AUS", 3)]
    out = localize_currencies(money, "AUS")
    assert [x.currency for x in out] == ["AUD", "USD", ""]
    assert localize_currencies(money, "") == money


def test_without_a_country_shared_markers_take_the_paper_s_own_currency() -> None:
    rand = [m("MONEY", "", i, currency="ZAR", unit="R", value=5.0) for i in range(4)]
    cents = m("MONEY", "", 9, currency="USD", unit="cents", value=0.2)
    dollar = m("MONEY", "", 10, currency="USD", unit="$", value=5.0)
    out = localize_currencies(rand + [cents, dollar], "")
    assert [x.currency for x in out[4:]] == ["ZAR", "USD"]     # cents fit the rand, "$" does not
    # too few amounts in the paper's own markers, or no currency holding most of them: nothing changes
    assert [x.currency for x in localize_currencies(rand[:2] + [cents], "")] == ["ZAR", "ZAR", "USD"]
    euro = [m("MONEY", "", 20 + i, currency="EUR", unit="€", value=5.0) for i in range(3)]
    assert localize_currencies(rand + euro + [cents], "")[-1].currency == "USD"


def s(kind: str, canonical: str, start: int, iso3: str = "", text: str = "x") -> Mention:
    return Mention(doc_id="d", mention_id=f"d:{start}", type=kind, text=text, start=start, end=start + 1,
                   canonical=canonical, iso3=iso3)


def test_paper_sector_needs_most_of_the_sector_mentions() -> None:
    from pipeline.jurisdiction import paper_sector
    steel = [s("SECTOR", "steel", i) for i in range(4)]
    assert paper_sector(steel + [s("SECTOR", "robotics", 9)]) == "steel"
    assert paper_sector(steel[:3]) == ""                                 # too few
    assert paper_sector(steel + [s("SECTOR", "robotics", 9 + i) for i in range(3)]) == ""   # 4 of 7


def test_paper_region_counts_places_inside_body_names() -> None:
    from pipeline.jurisdiction import paper_region
    inside = {"Ruritania State Energy Office": [("Ruritania State", "USA")]}
    ms = [s("ORG", "", i, text="Ruritania State Energy Office") for i in range(6)] + \
         [s("REGION", "Ruritania State", 10, "USA"), s("REGION", "Elsewhere", 11, "USA")]
    assert paper_region(ms, lambda name: inside.get(name, [])) == ("Ruritania State", "USA")
    # a national paper that names its country more often than the state
    national = ms + [s("COUNTRY", "United States", 20 + i, "USA") for i in range(5)]
    assert paper_region(national, lambda name: inside.get(name, [])) is None


def test_fiscal_labels_of_countries_that_name_the_year_by_its_end() -> None:
    from pipeline.jurisdiction import flag_fiscal_labels
    d = Mention(doc_id="d", mention_id="d:1", type="DATE", text="FY2026", start=1, end=7, year=2026)
    r = Mention(doc_id="d", mention_id="d:2", type="DATE", text="2025-26", start=9, end=16, year=2025)
    us = flag_fiscal_labels([d, r], "USA")
    assert us[0].year == 2026 and "starts in 2025" in us[0].flags
    assert us[1].flags == ""                                  # a span says both years already
    assert flag_fiscal_labels([d], "JPN")[0].flags == ""      # Japan names it by its start
    assert flag_fiscal_labels([d], "")[0].flags == ""
