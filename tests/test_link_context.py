"""Link stage, context that flows down: program, region, sector, year (synthetic documents, see tests/linkdoc.py)."""
from __future__ import annotations

from linkdoc import build_doc, link_text, only

from pipeline.link import link_document, programs_table


def test_region_gives_region_and_its_country():
    m = only(link_text(("", "The {REGION iso3=CHN canonical=Hubei_Province|Hubei Province} government set aside "
                            "{MONEY value=2e9 currency=CNY|2 billion yuan} for new materials.")))
    assert (m.region, m.country, m.confidence) == ("Hubei Province", "CHN", 0.8)


def test_program_org_year_sector_attachment():
    measures = link_text((
        "",
        "Under {PROGRAM canonical=Smart_Factory_Plan iso3=KOR|the Smart Factory Plan}, launched in {DATE year=2018|2018}, "
        "{ORG canonical=Ministry_of_SMEs iso3=KOR|the SME ministry} granted {MONEY value=1e11 currency=KRW|100 billion won} "
        "for {SECTOR canonical=artificial_intelligence|AI}; in {DATE year=2021|2021} a further "
        "{MONEY value=5e10 currency=KRW|50 billion won} went to {SECTOR canonical=robotics|robotics}.",
    ))
    first, second = measures
    assert (first.program, first.org, first.year, first.sector) == (
        "Smart Factory Plan", "Ministry of SMEs", 2018, "artificial intelligence")
    assert (second.year, second.sector, second.country) == (2021, "robotics", "KOR")


def test_programs_table_counts_years_and_countries():
    doc, mentions = build_doc([
        ("", "{COUNTRY iso3=DEU|Germany} adopted {PROGRAM canonical=Digital_Agenda_2030|the Digital Agenda 2030}. "
             "In {DATE year=2016|2016} {COUNTRY iso3=DEU|Germany} started {PROGRAM canonical=Factory_Push|Factory Push}."),
        ("", "{PROGRAM canonical=Factory_Push|The Push} gave {MONEY value=1e8 currency=EUR|100 million euros} "
             "to firms. {PROGRAM canonical=Digital_Agenda_2030 iso3=DEU|The Agenda} followed."),
    ])
    measures = link_document(doc, mentions)
    rows = programs_table(doc, mentions, measures)
    assert [(r.program, r.iso3, r.year, r.mentions) for r in rows] == [
        ("Digital Agenda 2030", "DEU", 2030, 2),
        ("Factory Push", "DEU", 2016, 2),
    ]
    assert measures[0].program == "Factory Push"


def test_sentence_starting_with_it_belongs_to_the_previous_program():
    measures = link_text((
        "",
        "{COUNTRY iso3=NLD|The Netherlands} adopted {PROGRAM canonical=Green_Steel_Plan iso3=NLD|the Green Steel Plan}. "
        "It provides {MONEY value=2e9 currency=EUR|2 billion euros} to steelmakers. "
        "Separately, a fund of {MONEY value=1e8 currency=EUR|100 million euros} supports ports.",
    ))
    assert [m.program for m in measures] == ["Green Steel Plan", ""]


def test_one_word_run_in_heading_names_the_region_of_its_paragraph():
    measures = link_text(
        ("", "{REGION iso3=USA canonical=Ohio|Ohio}. The package includes {MONEY value=6e8 currency=USD|$600 million} "
             "in grants. {COUNTRY iso3=USA|The United States} also pays {MONEY value=1e9 currency=USD|$1 billion}."),
    )
    assert [(m.region, m.country) for m in measures] == [("Ohio", "USA"), ("", "USA")]


def test_region_site_after_a_preposition_is_not_the_actor_and_must_match_the_country():
    measures = link_text((
        "",
        "{COUNTRY iso3=DEU|Germany} approved {MONEY value=9.9e9 currency=EUR|EUR 9.9 billion} for a plant in "
        "{REGION iso3=DEU canonical=Magdeburg|Magdeburg}. {COUNTRY iso3=FRA|France} invests "
        "{MONEY value=2.9e9 currency=EUR|EUR 2.9 billion} near {REGION iso3=FRA canonical=Grenoble|Grenoble}, while "
        "{COUNTRY iso3=ITA|Italy} has allocated {MONEY value=4e9 currency=EUR|EUR 4 billion} to chips.",
    ))
    assert [(m.country, m.region) for m in measures] == [("DEU", ""), ("FRA", ""), ("ITA", "")]


def test_the_state_and_the_title_give_the_region():
    measures = link_text(
        ("", "{REGION iso3=IND canonical=Kerala|Kerala} Startup Policy 2024", "heading"),
        ("Support", "Startups can obtain seed funding of up to {MONEY value=5e6 currency=INR approx=<|Rs 50 lakh}."),
        ("Support", "{COUNTRY iso3=IND|India} gives {MONEY value=1e9 currency=INR|Rs 100 crore} to all states."),
    )
    assert [(m.region, m.country) for m in measures] == [("Kerala", "IND"), ("", "IND")]
    assert measures[0].beneficiary == "Startups"
    measures = link_text(
        ("", "Provincial budgets", "heading"),
        ("", "{REGION iso3=CAN canonical=Ontario|Ontario} reformed its rules. The province will waive "
             "{PERCENT value=50|50%} of the land transfer tax."),
    )
    assert [(m.region, m.instrument) for m in measures] == [("Ontario", "tax_incentive")]


def test_program_in_the_quantitys_own_segment_wins_and_definite_descriptions_point_back():
    measures = link_text(
        ("Funds", "{PROGRAM canonical=Chips_Fund iso3=EUU|A Chips Fund} will open to start-ups. The bank will "
                  "provide equity of {MONEY value=2e9 currency=EUR approx=~|about EUR 2 billion} through the fund."),
        ("Funds", "{PROGRAM canonical=CHIPS_and_Science_Act_of_2022 iso3=USA|The CHIPS and Science Act of 2022} "
                  "passed. The Act also created a {PERCENT value=25|25%} investment tax credit."),
        ("Funds", "The plan adds {MONEY value=3e9 currency=EUR|EUR 3 billion}, of which "
                  "{MONEY value=1e9 currency=EUR|EUR 1 billion} comes from "
                  "{PROGRAM canonical=Horizon_Europe iso3=EUU|Horizon Europe}."),
        ("Other", "The fund lends {MONEY value=5e8 currency=EUR|EUR 500 million} to ports."),
    )
    assert [m.program for m in measures] == [
        "Chips Fund", "CHIPS and Science Act of 2022", "Horizon Europe", "Horizon Europe", ""]


def test_paragraph_about_a_program_by_definite_description_carries_it():
    measures = link_text(
        ("Funds", "The {PROGRAM canonical=Green_Skills_programme iso3=IRL|Green Skills programme} trains welders."),
        ("Funds", "The budget of the programme is {MONEY value=9e7 currency=EUR|EUR 90 million}. Regional "
                  "funding adds {MONEY value=2e7 currency=EUR|EUR 20 million}."),
        ("Other", "Ports received {MONEY value=5e6 currency=EUR|EUR 5 million}."),
    )
    assert [m.program for m in measures] == ["Green Skills programme", "Green Skills programme", ""]


def test_funding_sentence_continues_the_program_of_the_sentence_before():
    measures = link_text(
        ("", "The {PROGRAM canonical=Battery_Alliance_Initiative|Battery Alliance Initiative} groups "
             "{COUNT value=12|12 firms}. Governments will provide {MONEY value=3e9 currency=EUR|EUR 3 billion} "
             "in grants."),
        ("", "Governments will provide {MONEY value=1e9 currency=EUR|EUR 1 billion} more."),
    )
    assert [m.program for m in measures] == ["Battery Alliance Initiative", "Battery Alliance Initiative", ""]


def test_sentence_subject_program_beats_a_source_named_after_the_amount():
    measures = link_text(
        ("", "The {PROGRAM canonical=Quantum_Flagship_Initiative|Quantum Flagship Initiative} starts in "
             "{DATE year=2025|2025}. It will be supported by {MONEY value=2e9 currency=EUR|EUR 2 billion}, of which "
             "{MONEY value=1e9 currency=EUR|EUR 1 billion} comes from {PROGRAM canonical=Horizon_Europe|Horizon Europe}."),
    )
    assert [m.program for m in measures] == ["Quantum Flagship Initiative", "Horizon Europe"]


def test_place_after_the_amount_is_a_site_when_the_heading_names_the_region():
    measures = link_text(
        ("", "{REGION iso3=USA canonical=Texas|Texas}. The state agency awarded {MONEY value=5e7 currency=USD|$50 million} "
             "to {REGION iso3=USA canonical=Bexar_County|Bexar County} colleges."),
        ("", "Grants of {MONEY value=2e7 currency=USD|$20 million} went to {REGION iso3=USA canonical=Bexar_County|Bexar County}."),
    )
    assert [m.region for m in measures] == ["Texas", "Bexar County"]


def test_start_year_of_a_change_does_not_date_the_measure():
    m = only(link_text(
        ("", "Services raised their share from 69.4 percent in {DATE year=2010|2010} to "
             "{PERCENT value=71.1 from_value=69.4|71.1 percent} in {DATE year=2020|2020}."),
    ))
    assert (m.value, m.from_value, m.year) == (71.1, 69.4, 2020)


def test_sector_from_the_sentence_else_the_heading_else_the_paper():
    measures = link_text(
        ("", "{SECTOR canonical=steel|Steel} plan", "heading"),
        ("Steel plan", "The ministry backs {SECTOR canonical=steel|steel} mills and {SECTOR canonical=steel|steel} "
                       "exports; {SECTOR canonical=steel|steel} jobs and {SECTOR canonical=steel|steel} "
                       "towns matter."),
        ("", "{SECTOR canonical=robotics|Robotics} support", "heading"),
        ("Robotics support", "The government will provide {MONEY value=4.5e10 currency=KRW|45 billion won} "
                             "to the new plants."),
        ("", "Finance", "heading"),
        ("Finance", "It also lends {MONEY value=2e10 currency=KRW|20 billion won} to the new plants. "
                    "A fund for {SECTOR canonical=biotechnology|biotechnology} gets "
                    "{MONEY value=1e10 currency=KRW|10 billion won}."),
    )
    assert [(m.value, m.sector) for m in measures] == [
        (4.5e10, "robotics"),        # the section heading names one sector
        (2e10, "steel"),             # nothing closer: the paper's own sector
        (1e10, "biotechnology"),     # the sentence
    ]


def test_a_state_government_paper_gives_its_measures_the_state():
    # a state budget that names its state only inside its bodies' names
    body = " ".join("The {ORG iso3=USA|Ohio Energy Office} reports." for _ in range(8))
    m = only(link_text(("", body + " The bill includes {MONEY value=1.5e6 currency=USD|$1.5 million} "
                                   "for office leases.")))
    assert (m.region, m.country) == ("Ohio", "USA")
    # a national paper that names one state's office but its country more often does not
    national = body + " " + " ".join("The {COUNTRY iso3=USA|United States} agrees." for _ in range(5))
    m = only(link_text(("", national + " The bill includes {MONEY value=1.5e6 currency=USD|$1.5 million} "
                                       "for office leases.")))
    assert m.region == ""


def test_a_date_framing_a_paragraph_or_a_list_dates_its_quantities():
    measures = link_text(
        ("", "By {DATE year=2030|2030}, the plan will double output. Exports will reach "
             "{PERCENT value=40|40%} of sales."),
        ("", "\u25cf By {DATE year=2027|2027} Ruritania will employ more people."),
        ("", "\u25cf Its revenue will exceed {MONEY value=5e9 currency=EUR|EUR 5 billion}."),
        ("", "Separately, exports were {PERCENT value=12|12%} of output."),
        ("", "By {DATE year=2035|2035} the plan will:"),
        ("", "- cut emissions by {PERCENT value=30|30%};"),
    )
    assert [(m.value, m.year) for m in measures] == [(40.0, 2030), (5e9, 2027), (12.0, None), (30.0, 2035)]


def test_a_program_named_head_first_is_referred_to_by_its_head():
    # LINK-PROGRAM-HEAD-FIRST: "Programme of Works in ..." is a programme
    measures = link_text(
        ("", "The {PROGRAM|Programme of Works in the Ports Sector} runs to 2030."),
        ("", "The programme aims to keep a spare capacity of {PERCENT value=20|20 percent}."),
    )
    assert only(measures).program == "Programme of Works in the Ports Sector"


def test_the_plan_a_paper_states_is_the_program_of_its_measures():
    # LINK-PROGRAM-PAPER: named in the title block, referred to by the body as "this plan"
    title = ("", "A {PROGRAM|Coastal Robotics Development Plan}", "heading")
    body = ("1. Goals", "The coastal robotics industry is growing fast across the region, and this plan has been "
                        "written to lead it over the coming decade with public money.")
    goal = ("1. Goals", "By {DATE year=2030|2030} the robotics industry will exceed "
                        "{MONEY value=4e11 currency=CNY approx=>|400 billion yuan}.")
    m = only(link_text(title, body, goal))
    assert m.program == "Coastal Robotics Development Plan"
    # a paper that never calls itself "this plan" is about the plan, it is not the plan
    other = ("1. Goals", "The coastal robotics industry is growing fast across the region, and the plan has been "
                         "written to lead it over the coming decade with public money.")
    assert only(link_text(title, other, goal)).program == ""
    # a statistic is no measure of the plan
    stat = ("1. Goals", "Robot sales were {MONEY value=2e10 currency=CNY|20 billion yuan} in {DATE year=2016|2016}.")
    assert only(link_text(title, body, stat)).program == ""


def test_a_paragraph_about_one_sector_gives_it_to_its_later_quantities():
    # LINK-SECTOR-PARAGRAPH: sentence, else heading, else the paragraph so far, else the paper
    measures = link_text(
        ("Background", "{SECTOR canonical=electricity|Electricity} demand grew fast last decade. "
                       "It rose by {PERCENT value=5.2|5.2 percent} a year."),
        ("Background", "Farm output rose by {PERCENT value=3|3 percent}. Later, {SECTOR canonical=tourism|tourism} "
                       "grew too."),
    )
    assert [(m.value, m.sector) for m in measures] == [(5.2, "electricity"), (3.0, "")]


def test_a_state_budget_that_names_its_state_once_still_gives_it():
    # region_state_words_min (geo_context.yaml): one subnational place, and the paper
    # speaks as a state government (Governor, General Fund ...)
    paras = [("", "Office of the Governor and Lieutenant Governor. The Governor's request adds General Fund money."),
             ("", "The {ORG iso3=USA|Ohio Energy Office} gets General Fund support, as the General Assembly "
                  "and the Governor agreed."),
             ("", "The bill includes {MONEY value=1.5e5 currency=USD|$150,000} General Fund for office leases.")]
    m = only(link_text(*paras))
    assert (m.region, m.country) == ("Ohio", "USA")
    # two states named: no single region
    paras[1] = ("", "The {ORG iso3=USA|Ohio Energy Office} and the {ORG iso3=USA|Utah Energy Office} get General "
                    "Fund support, as the General Assembly and the Governor agreed.")
    assert only(link_text(*paras)).region == ""


def test_the_body_that_runs_a_program_does_not_break_its_thread():
    measures = link_text(("", "The {ORG iso3=GBR|Harbour Agency} funds partners through the {PROGRAM|Coastal Partner Fund}. "
                              "Last year the {ORG iso3=GBR|Harbour Agency} paid for "
                              "{COUNT value=12 unit=ferries|12 ferries}."))
    assert only(measures).program == "Coastal Partner Fund"
    # another body in the sentence does
    measures = link_text(("", "The {ORG iso3=GBR|Harbour Agency} funds partners through the {PROGRAM|Coastal Partner Fund}. "
                              "The {ORG iso3=GBR|Rail Office} paid for {COUNT value=12 unit=ferries|12 ferries}."))
    assert only(measures).program == ""
