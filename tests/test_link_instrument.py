"""Link stage, the instrument classifier and its topic refinement (synthetic documents, see tests/linkdoc.py)."""
from __future__ import annotations

import pytest
from linkdoc import link_text, only

from pipeline.records import INSTRUMENTS


def test_tax_rate_change_is_tax_incentive_with_from_value():
    m = only(link_text((
        "",
        "The {COUNTRY iso3=GBR|British} government cut the corporate tax rate "
        "{PERCENT value=20 from_value=30|from 30% to 20%} to attract plants.",
    )))
    assert (m.instrument, m.from_value, m.value, m.country) == ("tax_incentive", 30.0, 20.0, "GBR")


def test_target_with_year():
    m = only(link_text((
        "",
        "{COUNTRY iso3=VNM|Vietnam} plans to raise the share of digital services in agriculture to "
        "{PERCENT value=40 approx=>|more than 40%} by {DATE year=2030|2030}.",
    )))
    assert (m.instrument, m.year, m.approx, m.country) == ("target", 2030, ">", "VNM")


def test_indicator_statistic():
    m = only(link_text((
        "",
        "Manufacturing accounts for {PERCENT value=18 approx=~|about 18%} of GDP in {COUNTRY iso3=MEX|Mexico}.",
    )))
    assert (m.instrument, m.country, m.confidence) == ("indicator", "MEX", 0.8)


@pytest.mark.parametrize("sentence, instrument", [
    ("The agency spent {MONEY value=1e8 currency=EUR|100 million euros} on a pilot line for batteries.", "rd_funding"),
    ("Plants must create at least {COUNT value=50 unit=jobs|50 jobs} to be eligible.", "condition"),
    ("Investors must reach a minimum investment of {MONEY value=5e6 currency=USD|5 million dollars}.", "condition"),
    ("A tariff of {PERCENT value=25|25%} applies to imported steel.", "trade_measure"),
    ("The government will buy {MONEY value=3e8 currency=USD|300 million dollars} of domestic chips through procurement.",
     "procurement"),
    ("A fund of {MONEY value=2e8 currency=EUR|200 million euros} backs regional clusters of suppliers.",
     "partnership_cluster"),
    ("Universities received {MONEY value=4e7 currency=GBP|40 million pounds} to speed up commercialization of patents.",
     "technology_transfer"),
    ("A sum of {MONEY value=9e6 currency=EUR|9 million euros} was paid.", "investment"),
    ("Exports are projected to rise by 2 points to reach {PERCENT value=30|30%} of output.", "indicator"),
    ("The plan aims to raise exports to {PERCENT value=30|30%} of output by {DATE year=2030|2030}.", "target"),
    ("The plan raises the weight of new industries to more than {PERCENT value=17 approx=>|17%} of GDP.", "target"),
    ("It keeps the share of industry in GDP stable at around {PERCENT value=26 approx=~|26%}.", "target"),
    ("Small firms employ almost {PERCENT value=60 approx=~|60%} of the workforce.", "indicator"),
    ("By 2030 the sector will {MONEY value=2e12 currency=JPY approx=>|exceed 2 trillion yen}.", "target"),
    # INSTR-TAX-BURDEN: a charge is a rule; a relief stays a tax incentive
    ("Importers of fireworks owe a {PERCENT value=12|12%} excise tax on the declared value.",
     "regulation_standards"),
    ("Late filers can be billed a penalty equal to {PERCENT value=25|25%} of the unpaid tax.",
     "regulation_standards"),
    ("Small bakeries get a tax credit of {PERCENT value=12|12%} of their oven costs.", "tax_incentive"),
    # INSTR-INDICATOR-BALANCE-SHEET, INSTR-INDICATOR-ACQUIRED
    ("The utility has assets of about {MONEY value=4e10 currency=USD approx=~|US$40 billion}.", "indicator"),
    ("At a 10% discount rate the present value of the plant is {MONEY value=2e7 currency=USD|US$20 million}.",
     "indicator"),
    ("The start-up was acquired by a rival for {MONEY value=1.5e8 currency=USD|$150 million}.", "indicator"),
    ("The firm has attracted {MONEY value=3e10 currency=KRW|30 billion won} in venture capital.", "indicator"),
    ("The cabinet approved {MONEY value=1e10 currency=THB|THB 10 billion} for a design centre by "
     "{DATE year=2030|2030}.", "investment"),
    ("The relief lifts the tax-free threshold to {MONEY value=1.2e6 currency=AUD|A$1.2 million}.", "tax_incentive"),
    ("{PERCENT value=64.5|64.5%} of the apprentices surveyed said the training helped.", "indicator"),
    ("The scheme created 900 jobs, with {PERCENT value=70|70%} going to young people.", "indicator"),
    ("Vouchers issued ... Achieved {PERCENT value=93|93%}", "indicator"),
    ("By 2030 the output of the battery industry will be {MONEY value=3e11 currency=CNY approx=>|more than "
     "300 billion yuan}.", "target"),
    ("The royalty on gas shall be {PERCENT value=7|7%} of the field price.", "tax_incentive"),
    ("Operators shall keep reserves of {PERCENT value=15|15%} in the escrow account.", "regulation_standards"),
    ("The share of chips in exports had fallen to {PERCENT value=12|12 percent} by {DATE year=2019|2019}.",
     "indicator"),
    ("Chip exports will reach {PERCENT value=20|20%} of output by {DATE year=2030|2030}.", "target"),
    ("The plant is expected to need {MONEY value=3e12 currency=KRW|3 trillion won}.", "indicator"),
    ("The government is supporting the joint venture with {MONEY value=2e9 currency=USD|$2 billion}.",
     "investment"),
    ("Its exports to the region were {MONEY value=9e10 currency=EUR|EUR 90 billion} last year.", "indicator"),
])
def test_instrument_classes(sentence, instrument):
    assert instrument in INSTRUMENTS
    assert only(link_text(("", sentence))).instrument == instrument


def test_org_names_do_not_count_as_cues():
    m = only(link_text((
        "",
        "The {ORG canonical=Ministry_of_Education iso3=DEU|Ministry of Education} paid "
        "{MONEY value=6e8 currency=EUR|600 million euros} for broadband infrastructure.",
    )))
    assert (m.instrument, m.org, m.country) == ("investment", "Ministry of Education", "DEU")


@pytest.mark.parametrize("section, paragraph, instrument", [
    ("4 Funding > 4.1 Funding for vocational training",
     "The subsidy covers {PERCENT value=45|45%} of operating costs.", "education_training"),
    ("4 Funding > 4.1 Funding for vocational training",
     "A tax credit of {PERCENT value=10|10%} applies to equipment.", "tax_incentive"),
    ("", "In terms of research and development, the state backs selected laboratories. "
         "Last year it paid out {MONEY value=2e9 currency=USD|2 billion dollars}.", "rd_funding"),
    ("", "Output grew quickly. Last year the state paid out {MONEY value=2e9 currency=USD|2 billion dollars}.",
     "investment"),
])
def test_section_and_paragraph_topic_decide_when_no_cue_is_near(section, paragraph, instrument):
    assert only(link_text((section, paragraph))).instrument == instrument


@pytest.mark.parametrize("paragraphs, instrument", [
    # "Important" is no import
    ([("Important Projects of Common Interest", "The states will provide up to "
       "{MONEY value=8.1e9 currency=EUR approx=<|EUR 8.1 billion} in public support for new plants.")], "investment"),
    # "the eligible investment" is no eligibility condition
    ([("Capital Subsidy", "Units in backward districts receive an additional {PERCENT value=5|5%} of the "
       "eligible investment.")], "investment"),
    ([("", "Firms may face fines of up to {PERCENT value=1.5 approx=<|1.5%} of their daily turnover.")],
     "regulation_standards"),
    # an obligation colours the whole sentence
    ([("", "The firm must create at least 3,000 jobs with an average annual payroll of "
       "{MONEY value=4.05e8 currency=USD|$405 million}.")], "condition"),
    # an aim with a deadline, even in the other half of the sentence
    ([("", "The policy seeks to attract investment of {MONEY value=1e13 currency=INR|Rs 10 lakh crore} and to "
       "create 2 million jobs by {DATE year=2030|2030}.")], "target"),
    ([("", "The EU proposes to double this share to {PERCENT value=20|20%} of world output.")], "target"),
    ([("", "Capacity will grow by {PERCENT value=203|203%} over the decade, analysts project.")], "indicator"),
    ([("", "Canada offers tax credits. Ontario has committed {MONEY value=5e8 currency=CAD|C$500 million} to a "
       "battery plant.")], "investment"),
])
def test_instrument_rules_for_unseen_styles(paragraphs, instrument):
    assert only(link_text(*paragraphs)).instrument == instrument


@pytest.mark.parametrize("paragraphs, instrument", [
    # a tax on imports is a trade measure, not a tax incentive
    ([("", "The duty-free quota ends and the import tax on solar panels rises to {PERCENT value=30|30%}.")],
     "trade_measure"),
    ([("", "Public buyers may grant a price preference of up to {PERCENT value=15 approx=<|15%} to local goods.")],
     "procurement"),
    ([("", "A further {MONEY value=3e8 currency=EUR|EUR 300 million} goes to regional training centres for welders.")],
     "education_training"),
    ([("", "The agency lent EUR 4 billion in 2023, roughly {PERCENT value=30 approx=~|30%} more than a year "
       "earlier.")], "indicator"),
    ([("", "Venture funds reach only about {PERCENT value=6 approx=~|6%} of small firms.")], "indicator"),
    ([("", "Public research spending should reach {PERCENT value=3|3%} of output.")], "target"),
    ([("", "Business R&D is to grow by more than {PERCENT value=7 approx=>|7%} a year.")], "target"),
    ([("", "The ministry plans to open more than {COUNT value=40 unit=hubs|40 hubs} across the country.")], "target"),
    # a spending verb right before the amount beats a goal stated later in the sentence
    ([("", "The province will invest {MONEY value=5e9 currency=EUR|EUR 5 billion} a year in its fund and aims "
       "for exports to double by {DATE year=2030|2030}.")], "investment"),
    # ... but not the purpose of the spending
    ([("", "The state earmarked {MONEY value=7e8 currency=EUR|EUR 700 million} for battery research.")],
     "rd_funding"),
    # a tax rate earlier in the paragraph does not make the next amount a tax incentive
    ([("", "Firms in a free zone pay a corporate tax of 10%. The institute received "
       "{MONEY value=1.3e9 currency=KES|KES 1.3 billion} for county parks.")], "investment"),
    ([("", "Exports of batteries exceeded {MONEY value=1e12 currency=CNY|RMB 1 trillion} for the first time.")],
     "indicator"),
])
def test_instrument_rules_for_unseen2_styles(paragraphs, instrument):
    assert only(link_text(*paragraphs)).instrument == instrument


def test_generic_funding_word_takes_the_topic_of_its_paragraph():
    measures = link_text(
        ("Research", "The agency funds basic research on materials and publishes calls for research proposals. "
                     "In {DATE year=2003|2003}, {COUNT value=22 unit=awards|22 awards} were made."),
        ("Roads", "The ministry builds roads and bridges. In {DATE year=2004|2004}, "
                  "{COUNT value=12 unit=awards|12 awards} went to infrastructure projects."),
    )
    assert [(m.value, m.instrument) for m in measures] == [(22.0, "rd_funding"), (12.0, "investment")]


def test_a_faint_topic_far_up_the_paragraph_does_not_refine_generic_money():
    # refine_min_score: one training word at the start of a long paragraph is no topic
    m = only(link_text(("Results", "Firms in the scheme also reported better skills. Most of them sell abroad, and "
                                   "their order books grew across the whole period under review, which the "
                                   "firms put down to a stronger market and new customers in several regions. "
                                   "Exports rose in each year, prices held steady, and the number of firms in "
                                   "the scheme doubled as word of it spread along the supply chains of the "
                                   "larger manufacturers in the north and the east of the country. "
                                   "Two in three expect to hire next year, mostly in sales and logistics. "
                                   "Of the sum, {MONEY value=2.7e7 currency=GBP|£27 million} came to them "
                                   "as grants.")))
    assert m.instrument == "investment"


def test_a_level_forecast_for_another_country_or_the_world_is_a_statistic():
    # LINK-TARGET-FORECAST: a paper about Freedonia's plan (Korea here) quoting forecasts
    own = ("", " ".join(["{COUNTRY iso3=KOR|Korea} will lead in robots."] * 4))
    m = only(link_text(own, ("Outlook", "By 2030, robot density will be {PERCENT value=38|38%} in "
                                        "{COUNTRY iso3=USA|the U.S.}")))
    assert (m.instrument, m.country) == ("indicator", "USA")
    m = only(link_text(own, ("Outlook", "By 2030, {PERCENT value=70|70%} of firms around the world "
                                        "will use robots.")))
    assert m.instrument == "indicator"
    # the paper's own aim, or another country acting on its own goal, stays a target
    m = only(link_text(own, ("Goals", "By 2030, robot density will be {PERCENT value=38|38%} in "
                                      "{COUNTRY iso3=KOR|Korea}.")))
    assert m.instrument == "target"
    m = only(link_text(own, ("Peers", "The {COUNTRY iso3=JPN|Japanese} government has proposed a plan to raise "
                                      "robot use in factories to {PERCENT value=50|50%} by 2025.")))
    assert (m.instrument, m.country) == ("target", "JPN")


def test_every_cue_literal_is_a_fixed_part_of_its_pattern():
    """The quick literal test before a cue's regex (cues.py ``_literal``) never skips a match:
    each cue's literal is written, escaped, in its pattern's source, which holds no
    alternation, so every match contains it (matching ignores case; the literal is lower case)."""
    import re

    from pipeline.link.cues import load_cues

    cues = [c for class_cues in load_cues().classes.values() for c in class_cues if c.literal]
    assert len(cues) > 100
    for cue in cues:
        source = cue.pattern.pattern
        assert "|" not in source and cue.pattern.flags & re.IGNORECASE, cue.id
        assert re.escape(cue.literal) in source.lower(), (cue.id, cue.literal, source)
