"""Link stage, who receives a measure (synthetic documents, see tests/linkdoc.py)."""
from __future__ import annotations

import pytest
from linkdoc import link_text, only


def test_indicator_has_no_beneficiary_but_two_amounts_in_a_list_stay_two():
    measures = link_text((
        "",
        "Only {PERCENT value=5|5%} of firms in {COUNTRY iso3=KOR|Korea} use robots. The ministry gave "
        "{MONEY value=1e9 currency=KRW|1 billion won} and {MONEY value=2e9 currency=USD|2 million dollars} to startups.",
    ))
    assert [(m.instrument, m.beneficiary, m.currency) for m in measures] == [
        ("indicator", "", ""), ("investment", "startups", "KRW"), ("investment", "startups", "USD")]


@pytest.mark.parametrize("sentence, expected", [
    ("The state invested {MONEY value=2e9 currency=USD|2 billion dollars} in technical colleges to train workers.",
     "technical colleges"),
    ("A loan of {MONEY value=1e8 currency=EUR|100 million euros} is offered to small and medium-sized enterprises.",
     "small and medium-sized enterprises"),
    ("A budget of {MONEY value=1e10 currency=JPY|10 billion yen} supports the study of research institutes and universities.",
     "research institutes and universities"),
    ("A budget of {MONEY value=1e10 currency=JPY|10 billion yen} was approved last year.", ""),
    ("The scheme, granted {MONEY value=3e7 currency=EUR|30 million euros}, is to help adults with low literacy, "
     "and more.", "adults with low literacy"),
    ("Grants of {MONEY value=5e5 currency=EUR|500 000 euros} go to firms with fewer than 50 employees.",
     "firms with fewer than 50 employees"),
])
def test_beneficiary(sentence, expected):
    assert only(link_text(("", sentence))).beneficiary == expected


def test_beneficiary_stated_right_before_the_quantity():
    m = only(link_text((
        "",
        "The reform lowers the profit tax rate of small manufacturers "
        "{PERCENT value=20 from_value=30|from 30% to 20%}.",
    )))
    assert (m.beneficiary, m.instrument, m.from_value) == ("small manufacturers", "tax_incentive", 30.0)


@pytest.mark.parametrize("sentence, expected", [
    ("Small and medium-sized enterprises can now deduct {PERCENT value=25|25%} of their facility investment.",
     "Small and medium-sized enterprises"),
    ("Eligible units in advanced manufacturing will receive a subsidy of {PERCENT value=25|25%} of capital costs.",
     "units"),
    ("Full expensing allows companies to deduct {PERCENT value=100|100 per cent} of plant investment.", "companies"),
    ("Electricity tax is exempted at {PERCENT value=100|100%} for five years for new units.", "new units"),
])
def test_beneficiary_as_the_subject_of_a_receiving_verb(sentence, expected):
    assert only(link_text(("", sentence))).beneficiary == expected


@pytest.mark.parametrize("sentence, expected", [
    ("The decree offers tax incentives: companies may deduct up to {PERCENT value=80 approx=<|80%} of new machinery.",
     "companies"),
    ("The agency cut the rate to 10%, and qualifying exporters may deduct {PERCENT value=150|150%} of R&D costs.",
     "qualifying exporters"),
    ("The programme grants tax credits of {MONEY value=2e9 currency=EUR|EUR 2 billion} over five years to "
     "automakers that invest in research.", "automakers"),
])
def test_beneficiary_after_a_colon_or_clause_and_new_heads(sentence, expected):
    assert only(link_text(("", sentence))).beneficiary == expected


@pytest.mark.parametrize("sentence, expected", [
    ("Enterprises that build new fabs in the zone receive a one-off subsidy of {PERCENT value=5|5%} of costs.",
     "Enterprises"),
    ("The city grants design firms a subsidy of {PERCENT value=30|30%} of their tape-out costs.", "design firms"),
    ("All {COUNT value=40 unit=centres|40 vocational education centres} (see annex) receive operating grants.",
     "vocational education centres"),
    ("Under the scheme, eligible companies receive an incentive of {PERCENT value=5|5%} on sales.", "companies"),
    ("Preferred enterprises pay corporate tax of {PERCENT value=12|12%}.", "Preferred enterprises"),
    ("Innovative SMEs will continue to receive a credit of {PERCENT value=27|27%}.", "Innovative SMEs"),
])
def test_beneficiary_forms(sentence, expected):
    assert only(link_text(("", sentence))).beneficiary == expected
