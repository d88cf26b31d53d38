"""Link stage, the country of a measure: actors, headings, paragraphs, the document vote (synthetic documents, see tests/linkdoc.py)."""
from __future__ import annotations

import pytest
from linkdoc import link_text, only


def test_section_heading_paragraph_names_the_country():
    m = only(link_text(
        ("3 Policies", "3 Policies", "heading"),
        ("3 Policies > 3.2 Policies in Korea", "3.2 Policies in {COUNTRY iso3=KOR|Korea}", "heading"),
        ("3 Policies > 3.2 Policies in Korea",
         "The ministry allocated {MONEY value=2e12 currency=KRW|2 trillion won} for {SECTOR canonical=robotics|robotics}."),
    ))
    assert (m.country, m.confidence) == ("KOR", 0.7)
    assert m.sector == "robotics"
    assert m.section == "3 Policies > 3.2 Policies in Korea"


def test_run_in_heading_governs_its_paragraph_and_continuation():
    measures = link_text(
        ("", "{COUNTRY iso3=CAN|Canadian} Government Expands Apprenticeship Support. The plan offers "
             "{MONEY value=4e8 currency=CAD|400 million dollars} to employers. Firms in "
             "{COUNTRY iso3=USA|the United States} watched closely, and"),
        ("", "the federal budget adds {MONEY value=5e7 currency=CAD|50 million dollars} for vocational schools."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("CAN", 0.7), ("CAN", 0.7)]
    assert measures[1].instrument == "education_training"
    assert measures[1].beneficiary == "vocational schools"


def test_section_string_without_mentions_uses_country_names():
    m = only(link_text(("2 Cases > 2.1 Brazil", "A fund of {MONEY value=3e9 currency=BRL|3 billion reais} supports ports.")))
    assert (m.country, m.confidence) == ("BRA", 0.7)


def test_several_countries_the_governing_one_wins_not_the_first():
    measures = link_text((
        "",
        "{COUNTRY iso3=FRA|France} launched a digital plan in {DATE year=2019|2019}. Unlike {COUNTRY iso3=FRA|France}, "
        "the {COUNTRY iso3=ITA|Italian} government allocated {MONEY value=3e9 currency=EUR|3 billion euros} "
        "to start-ups. Exports to {COUNTRY iso3=DEU|Germany} rose, and {COUNTRY iso3=ESP|Spain} has invested "
        "{MONEY value=2e9 currency=EUR|2 billion euros} in infrastructure.",
    ))
    assert [(m.country, m.confidence) for m in measures] == [("ITA", 0.9), ("ESP", 0.9)]
    assert measures[0].beneficiary == "start-ups"
    assert measures[1].instrument == "investment"


def test_paragraph_and_document_fallbacks():
    measures = link_text(
        ("", "{COUNTRY iso3=IND|India} reformed its industrial policy. A scheme worth "
             "{MONEY value=1e10 currency=INR|Rs. 1,000 crore} followed. "
             "Another {MONEY value=2e10 currency=INR|Rs. 2,000 crore} went to ports."),
        ("", "Elsewhere, {MONEY value=5e6 currency=USD|5 million dollars} was spent. {COUNTRY iso3=IND|India} "
             "also exported more."),
        ("", "Finally, {MONEY value=1e6 currency=USD|1 million dollars} was lost."),
    )
    assert [(m.country, m.confidence) for m in measures] == [
        ("IND", 0.6), ("IND", 0.6), ("IND", 0.5), ("IND", 0.4)]


def test_no_country_anywhere_gives_lowest_confidence():
    m = only(link_text(("", "A fund of {MONEY value=1e6 currency=EUR|1 million euros} was created.")))
    assert (m.country, m.confidence) == ("", 0.2)


def test_confidence_ordering_across_sources():
    measures = link_text(
        ("", "The {COUNTRY iso3=JPN|Japanese} government provides {MONEY value=5e9 currency=JPY|5 billion yen} for research."),
        # a payment that "reached" firms is described (a grant of 6 billion yen would be a lever, whose
        # country after "in" is a place, confidence 0.4: INSTR-INVEST-SUPPORT-OF)
        ("", "A payment of {MONEY value=6e9 currency=JPY|6 billion yen} reached firms in {COUNTRY iso3=JPN|Japan}."),
        ("", "A grant of {MONEY value=7e9 currency=JPY|7 billion yen} came from "
             "{ORG canonical=New_Energy_Agency iso3=JPN|the New Energy Agency}."),
        ("1 > Japan", "{COUNTRY iso3=JPN|Japan}", "heading"),
        ("1 > Japan", "A grant of {MONEY value=8e9 currency=JPY|8 billion yen} was paid."),
    )
    confidences = [m.confidence for m in measures]
    assert confidences == [0.9, 0.8, 0.75, 0.7]
    assert all(m.country == "JPN" for m in measures)
    assert measures[2].org == "New Energy Agency"
    assert confidences == sorted(confidences, reverse=True)


def test_descriptive_statistic_takes_the_described_country():
    measures = link_text((
        "",
        "The adoption rate in {COUNTRY iso3=CHN|China} is only about {PERCENT value=10 approx=~|about 10%}, "
        "and even lower than the figure of {PERCENT value=60|60%} in {COUNTRY iso3=KOR|Korea}.",
    ))
    assert [(m.country, m.instrument) for m in measures] == [("CHN", "indicator"), ("KOR", "indicator")]
    assert measures[0].approx == "~"


def test_heading_that_lists_several_countries_governs_nothing():
    measures = link_text((
        "",
        "Lessons From {COUNTRY iso3=FRA|France}, {COUNTRY iso3=ITA|Italy} and {COUNTRY iso3=ESP|Spain}. "
        "The {COUNTRY iso3=ITA|Italian} plan is the broadest. It funds {COUNT value=12 unit=centers|twelve centers}.",
    ))
    assert [(m.country, m.confidence) for m in measures] == [("ITA", 0.6)]


def test_statistic_about_a_group_of_countries_has_no_country():
    measures = link_text((
        "",
        "Robot density in {COUNTRY iso3=BRA|Brazil} is only {PERCENT value=10|10%}, against an average of "
        "{PERCENT value=35|35%} across OECD economies.",
    ))
    assert [(m.country, m.instrument) for m in measures] == [("BRA", "indicator"), ("", "indicator")]


def test_paragraph_org_tells_the_country_before_the_document_vote():
    measures = link_text(
        ("", "{COUNTRY iso3=AUS|Australia} builds ports. {COUNTRY iso3=AUS|Australia} builds roads."),
        ("", "A budget of {MONEY value=2e10 currency=GBP|£20 billion} was confirmed. "
             "{ORG canonical=UK_Infrastructure_Bank iso3=GBR|The UK Infrastructure Bank} will lend more."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("GBR", 0.45)]


def test_document_vote_counts_bodies_and_programs_at_half_weight():
    measures = link_text(
        ("", "{ORG canonical=European_Commission iso3=EUU|The European Commission} met. "
             "{ORG canonical=European_Parliament iso3=EUU|The European Parliament} agreed. "
             "{ORG canonical=European_Investment_Bank iso3=EUU|The European Investment Bank} lends."),
        ("", "{COUNTRY iso3=DEU|Germany} hosts a fab."),
        ("", "A budget of {MONEY value=3.3e9 currency=EUR|EUR 3.3 billion} supports pilot lines."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("EUU", 0.4)]


def test_second_term_of_a_comparison_is_a_statistic_of_its_own_country():
    measures = link_text(("", "Tax credits are generous in {COUNTRY iso3=CAN|Canada}. {COUNTRY iso3=AUS|Australia}'s "
                              "investment reached {PERCENT value=2.1|2.1 per cent} of GDP, compared with "
                              "{PERCENT value=1.4|1.4 per cent} in {COUNTRY iso3=GBR|the United Kingdom}."))
    assert [(m.instrument, m.country) for m in measures] == [("indicator", "AUS"), ("indicator", "GBR")]


def test_domestic_money_in_a_union_paragraph_belongs_to_the_member_country():
    measures = link_text(
        ("", "{COUNTRY iso3=PRT|Portugal} runs the scheme. {COUNTRY iso3=PRT|Portuguese} firms apply."),
        ("", "The budget is {MONEY value=8e8 currency=EUR|EUR 800 million}, of which the {COUNTRY iso3=EUU|EU} share "
             "is {MONEY value=3e8 currency=EUR|EUR 300 million}. National funding comes from the state budget "
             "({MONEY value=4e8 currency=EUR|EUR 400 million}). Private funding adds "
             "{MONEY value=1e8 currency=EUR|EUR 100 million}."),
    )
    assert [m.country for m in measures] == ["EUU", "EUU", "PRT", "EUU"]


def test_statistic_about_the_largest_economies_of_a_continent_has_no_country():
    measures = link_text((
        "",
        "{COUNTRY iso3=KEN|Kenya} is growing. Manufacturing is less than {PERCENT value=10 approx=<|10%} of GDP in "
        "each of Africa's three largest economies.",
    ))
    assert [(m.country, m.instrument) for m in measures] == [("", "indicator")]


# Austria is mentioned most often, so a wrong document vote would show.
_AUSTRIA_HEAVY = ("", "{COUNTRY iso3=AUT|Austria}, {COUNTRY iso3=AUT|Austria} and again {COUNTRY iso3=AUT|Austria} "
                      "are compared in this paper.")


def test_each_country_section_governs_its_paragraphs_until_the_next_heading():
    measures = link_text(
        _AUSTRIA_HEAVY,
        ("Germany", "{COUNTRY iso3=DEU|Germany}", "heading"),
        ("Germany", "The federal budget provides {MONEY value=2e9 currency=EUR|EUR 2 billion} in grants."),
        ("Germany", "Compared with {COUNTRY iso3=AUT|Austria}, the programme adds "
                    "{MONEY value=5e8 currency=EUR|EUR 500 million} for start-ups."),
        ("Austria", "{COUNTRY iso3=AUT|Austria}", "heading"),
        ("Austria", "The fund offers {MONEY value=1e8 currency=EUR|EUR 100 million} in loans."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("DEU", 0.7), ("DEU", 0.7), ("AUT", 0.7)]


@pytest.mark.parametrize("sentence", [
    "Like {COUNTRY iso3=AUT|Austria}, the ministry offers {MONEY value=3e8 currency=EUR|EUR 300 million} in grants.",
    "Unlike {COUNTRY iso3=AUT|Austria}, the ministry offers {MONEY value=3e8 currency=EUR|EUR 300 million} in grants.",
    "As in {COUNTRY iso3=AUT|Austria}, the ministry offers {MONEY value=3e8 currency=EUR|EUR 300 million} in grants.",
    "The ministry offers {MONEY value=3e8 currency=EUR|EUR 300 million} in grants, more than in {COUNTRY iso3=AUT|Austria}.",
    "In contrast to {COUNTRY iso3=FRA|France}, the ministry offers {MONEY value=3e8 currency=EUR|EUR 300 million} in grants.",
    "Like {COUNTRY iso3=AUT|Austria}, {COUNTRY iso3=DEU|Germany} offers {MONEY value=3e8 currency=EUR|EUR 300 million} in grants.",
])
def test_country_named_in_a_comparison_is_not_the_actor(sentence):
    m = only(link_text(
        _AUSTRIA_HEAVY,
        ("2 Country cases > 2.1 Germany", "2.1 {COUNTRY iso3=DEU|Germany}", "heading"),
        ("2 Country cases > 2.1 Germany", sentence),
    ))
    assert m.country == "DEU"
    assert m.confidence >= 0.7


def test_nested_sections_inherit_the_nearest_single_country_ancestor():
    measures = link_text(
        ("3 Policy in Austria", "3. Policy in {COUNTRY iso3=AUT|Austria}", "heading"),
        ("3 Policy in Austria > 3.1 Funding", "3.1 Funding", "heading"),
        ("3 Policy in Austria > 3.1 Funding > 3.1.1 Grants", "3.1.1 Grants", "heading"),
        ("3 Policy in Austria > 3.1 Funding > 3.1.1 Grants",
         "Small firms receive {MONEY value=4e7 currency=EUR|EUR 40 million} a year."),
        ("3 Policy in Austria > 3.2 Germany and Austria compared",
         "3.2 {COUNTRY iso3=DEU|Germany} and {COUNTRY iso3=AUT|Austria} compared", "heading"),
        ("3 Policy in Austria > 3.2 Germany and Austria compared",
         "The joint fund holds {MONEY value=6e7 currency=EUR|EUR 60 million}."),
        ("4 Policy in Germany", "4. Policy in {COUNTRY iso3=DEU|Germany}", "heading"),
        ("4 Policy in Germany > 4.1 Funding", "4.1 Funding", "heading"),
        ("4 Policy in Germany > 4.1 Funding", "Grants total {MONEY value=9e8 currency=EUR|EUR 900 million}."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("AUT", 0.7), ("AUT", 0.7), ("DEU", 0.7)]


def test_numbered_headings_without_section_paths_follow_their_level():
    measures = link_text(
        _AUSTRIA_HEAVY,
        ("", "2. Policy in {COUNTRY iso3=DEU|Germany}", "heading"),
        ("", "2.1 Funding", "heading"),
        ("", "Grants total {MONEY value=9e8 currency=EUR|EUR 900 million}."),
        ("", "2.2 Taxes", "heading"),
        ("", "A credit of {PERCENT value=25|25%} applies to research."),
        ("", "3. Outlook", "heading"),
        ("", "The budget grows by {MONEY value=1e8 currency=EUR|EUR 100 million}."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("DEU", 0.7), ("DEU", 0.7), ("AUT", 0.4)]


def test_heading_naming_two_countries_governs_nothing_and_the_vote_never_beats_a_section():
    measures = link_text(
        _AUSTRIA_HEAVY,
        ("1 Germany and Austria", "1 {COUNTRY iso3=DEU|Germany} and {COUNTRY iso3=AUT|Austria}", "heading"),
        ("1 Germany and Austria", "Together they spend {MONEY value=7e9 currency=EUR|EUR 7 billion}."),
        ("2 Germany", "2 {COUNTRY iso3=DEU|Germany}", "heading"),
        ("2 Germany", "Exports to {COUNTRY iso3=AUT|Austria} matter. Hence the ministry pays "
                      "{MONEY value=2e8 currency=EUR|EUR 200 million} in subsidies."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("AUT", 0.4), ("DEU", 0.7)]


def test_run_in_country_headings_govern_their_own_paragraph():
    measures = link_text(
        ("", "{COUNTRY iso3=DEU|Germany}. The federal government pays {MONEY value=2e9 currency=EUR|EUR 2 billion} "
             "in grants."),
        ("", "{COUNTRY iso3=AUT|Austria}. Compared with {COUNTRY iso3=DEU|Germany}, the fund offers "
             "{MONEY value=1e8 currency=EUR|EUR 100 million} in loans."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("DEU", 0.7), ("AUT", 0.7)]


def test_partner_country_after_a_preposition_does_not_override_the_section():
    measures = link_text(
        ("2 Germany", "2 {COUNTRY iso3=DEU|Germany}", "heading"),
        ("2 Germany", "The ministry grants {MONEY value=3e7 currency=EUR|EUR 30 million} to firms that export to "
                      "{COUNTRY iso3=AUT|Austria}. The export share to {COUNTRY iso3=AUT|Austria} is "
                      "{PERCENT value=12|12%}."),
    )
    assert [(m.country, m.confidence) for m in measures] == [("DEU", 0.7), ("AUT", 0.8)]


def test_section_beside_a_country_section_is_not_that_countrys():
    measures = link_text(
        ("Note", "Note", "heading"),
        ("Note", "Firms in {COUNTRY iso3=ITA|Italy} and {COUNTRY iso3=ESP|Spain} invest little; "
                 "{COUNTRY iso3=ITA|Italian} firms least."),
        ("Note > National programmes", "National programmes", "heading"),
        ("Note > National programmes", "The ministry made {MONEY value=2e8 currency=EUR|EUR 200 million} available."),
        ("Note > Spain", "{COUNTRY iso3=ESP|Spain}", "heading"),
        ("Note > Spain", "In {COUNTRY iso3=ESP|Spain}, the agency spends {MONEY value=4e7 currency=EUR|EUR 40 million}. "
                         "{COUNTRY iso3=ESP|Spanish} firms apply. {COUNTRY iso3=ESP|Spain} leads."),
    )
    assert [(m.value, m.country) for m in measures] == [(2e8, "ITA"), (4e7, "ESP")]


def test_respectively_pairs_quantities_and_countries_in_order():
    measures = link_text(
        ("", "Manufacturing shares are {PERCENT value=21|21%}, {PERCENT value=17|17%} and {PERCENT value=11|11%} in "
             "{COUNTRY iso3=KOR|Korea}, {COUNTRY iso3=MEX|Mexico} and {COUNTRY iso3=CHL|Chile} respectively."),
    )
    assert [(m.value, m.country) for m in measures] == [(21.0, "KOR"), (17.0, "MEX"), (11.0, "CHL")]


def test_section_beside_region_sections_or_with_one_compared_country_gets_none_of_them():
    measures = link_text(
        ("Note", "Note", "heading"),
        ("Note", "Germany's system is federal, like {COUNTRY iso3=FRA|France}'s."),
        ("Note > Federal programmes", "Federal programmes", "heading"),
        ("Note > Federal programmes", "It provides loans of {MONEY value=1e9 currency=EUR|EUR 1 billion}."),
        ("Note > Bavaria", "{REGION iso3=DEU canonical=Bavaria|Bavaria}", "heading"),
        ("Note > Bavaria", "{REGION iso3=DEU canonical=Bavaria|Bavaria} adds grants."),
    )
    assert [m.country for m in measures] == [""]


def test_contrast_marker_sets_apart_only_a_country_after_the_statistic():
    measures = link_text(
        ("", "{COUNTRY iso3=FRA|France} and {COUNTRY iso3=ITA|Italy} lag. In {COUNTRY iso3=DEU|Germany}, although "
             "growth slowed, business R&D intensity reached {PERCENT value=3.1|3.1%}."),
        ("", "Discount stores gained in all member states, typically {PERCENT value=5|5%}, although "
             "they gained {PERCENT value=10|10%} in {COUNTRY iso3=ITA|Italy}."),
    )
    assert [(m.value, m.country) for m in measures] == [(3.1, "DEU"), (5.0, ""), (10.0, "ITA")]


def test_a_long_sibling_title_that_mentions_a_country_is_no_country_section():
    measures = link_text(
        ("Guide", "Guide", "heading"),
        ("Guide", "Residents of the {COUNTRY iso3=USA|United States} file here; {COUNTRY iso3=USA|U.S.} rules apply."),
        ("Guide > U.S. Income Tax Return for Estates", "{COUNTRY iso3=USA|U.S.} Income Tax Return for Estates",
         "heading"),
        ("Guide > Exemptions", "Exemptions", "heading"),
        ("Guide > Exemptions", "Estates enter {MONEY value=600 currency=USD|$600} on line 39."),
    )
    assert [m.country for m in measures] == ["USA"]


def test_a_country_named_only_as_source_or_destination_is_not_the_actor():
    m = only(link_text(("", "{REGION iso3=KOR|Seoul} will fund the firm's purchase of machines from a "
                            "{COUNTRY iso3=DEU|German} supplier with {MONEY value=3e11 currency=KRW|300 billion won}.")))
    assert m.country == "KOR"
    # a statistic of a flow describes its near end
    m = only(link_text(("", "{COUNTRY iso3=DEU|Germany}'s exports to {COUNTRY iso3=POL|Poland} were "
                            "{MONEY value=9e10 currency=EUR|EUR 90 billion} in {DATE year=2023|2023}.")))
    assert (m.country, m.instrument) == ("DEU", "indicator")


def test_a_body_named_by_its_function_belongs_to_the_papers_country():
    # LINK-COUNTRY-NATIONAL-BODY: the paragraph named another country first, but a ministry
    # without a country in its name is the paper's own government's
    paras = [("", "{COUNTRY iso3=KOR|Korea} sets out its plan. {COUNTRY iso3=KOR|Korea} leads in memory chips, "
                  "and {COUNTRY iso3=KOR|Korea} will widen that lead."),
             ("", "{COUNTRY iso3=USA|The United States} published a chip plan in 2022. The {ORG|Ministry of Digital "
                  "Affairs} will spend {MONEY value=5e11 currency=KRW|500 billion won} on design tools.")]
    m = only(link_text(*paras))
    assert (m.country, m.confidence) == ("KOR", 0.75)
    # with no dominant country in the paper, the body tells nothing
    paras[0] = ("", "This note compares plans.")
    m = only(link_text(*paras))
    assert m.country == "USA"
