"""Extract stage: typed, normalized mentions from synthetic sentences and the seed paper."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline import io
from pipeline.extract import extract_document, get_nlp, parsed_from_text
from pipeline.extract.document import _split_long
from pipeline.records import Paragraph, ParsedDoc, to_dict

SEED = Path("/work/shared/papers/000_5339488b9e4b4fe2.txt")
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str):
        parsed = parsed_from_text("t", text)
        mentions = extract_document(parsed, nlp)
        for m in mentions:  # the invariant every mention keeps
            assert parsed.text[m.start:m.end] == m.text
        return mentions
    return _run


def of_type(mentions, kind):
    return [m for m in mentions if m.type == kind]


def texts(mentions, kind):
    return [m.text for m in mentions if m.type == kind]


# --- data-driven cases: fixtures/extract_cases.yaml ---------------------------

def _cases():
    import yaml
    with open(FIXTURES / "extract_cases.yaml", encoding="utf-8-sig") as fh:
        return yaml.safe_load(fh)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_cases(run, case):
    mentions = run(case["text"])
    for exp in case.get("expect", []):
        hits = [m for m in mentions if m.type == exp["type"] and m.text == exp["text"]]
        assert hits, f"{exp['type']} {exp['text']!r} not in {[(m.type, m.text) for m in mentions]}"
        for field, value in exp.items():
            if field not in ("type", "text"):
                assert getattr(hits[0], field) == value, (field, to_dict(hits[0]))
    for bad in case.get("absent", []):
        assert not [m for m in mentions if m.type == bad["type"] and m.text == bad["text"]], bad


# --- structural rules ----------------------------------------------------------

def test_year_in_program_name_is_not_a_date(run):
    ms = run("Saudi Arabia pursues the Vision 2030 strategy while the agency reported results in 2019.")
    assert texts(ms, "PROGRAM") == ["Vision 2030"]
    assert [m.year for m in of_type(ms, "DATE")] == [2019]


def test_country_inside_org_is_only_the_org(run):
    ms = run("The French Ministry of Economy and Finance approved a loan.")
    org = of_type(ms, "ORG")
    assert [(m.text, m.iso3) for m in org] == [("French Ministry of Economy and Finance", "FRA")]
    assert not of_type(ms, "COUNTRY")


def test_acronym_pairing_and_later_bare_acronym(run):
    ms = run("Bare KIAT comes first. The Korea Institute for Advancement of Technology (KIAT) manages grants. "
             "Later, KIAT selected 30 projects.")
    orgs = of_type(ms, "ORG")
    assert [m.text for m in orgs] == ["KIAT", "Korea Institute for Advancement of Technology", "KIAT", "KIAT"]
    assert {m.canonical for m in orgs} == {"Korea Institute for Advancement of Technology"}
    assert {m.iso3 for m in orgs} == {"KOR"}
    count = of_type(ms, "COUNT")
    assert [(m.value, m.unit) for m in count] == [(30.0, "projects")]


def test_program_variants_share_one_canonical_and_owner(run):
    ms = run('In 2013 Brazil launched the "Inova Empresa Plan" for firms. '
             "Funding under the Inova Empresa Plan rose. The Inova Empresa Plan's budget was evaluated.")
    progs = of_type(ms, "PROGRAM")
    assert len(progs) == 3
    assert {m.canonical for m in progs} == {"Inova Empresa Plan"}
    assert {m.iso3 for m in progs} == {"BRA"}


def test_program_acronym_and_expansion(run):
    ms = run("Canada created the Clean Growth Partnership (CGP) in 2018. The CGP finances pilot lines.")
    progs = of_type(ms, "PROGRAM")
    assert [m.text for m in progs] == ["Clean Growth Partnership", "CGP", "CGP"]
    assert {m.canonical for m in progs} == {"Clean Growth Partnership"}


def test_base_name_absorbs_head_variant(run):
    ms = run("Japan promotes Society 5.0 widely. The Society 5.0 Strategy covers robotics; "
             "society 5.0 goals matter.")
    progs = of_type(ms, "PROGRAM")
    assert [m.text for m in progs] == ["Society 5.0", "Society 5.0 Strategy", "society 5.0"]
    assert {m.canonical for m in progs} == {"Society 5.0"}
    assert {m.iso3 for m in progs} == {"JPN"}
    assert texts(ms, "SECTOR") == ["robotics"]


@pytest.mark.parametrize("text", [
    "The Plan was approved. This Strategy is new. Policy matters.",
    "See Table 2.1 and Figure 3 for details on Section 4.2.",
    "Exports to Bulgaria 2.3 and Estonia 1.1 2.4 were listed.",
    "Analysis of Domestic Support Policies for Advanced Manufacturing Industry",
])
def test_generic_phrases_are_not_programs(run, text):
    assert not of_type(run(text), "PROGRAM")


def test_run_in_heading_is_not_a_program(run):
    ms = run("Canadian Government Promotes Clean Technology Development Policy. The government spent more.")
    assert not of_type(ms, "PROGRAM")


def test_article_and_possessive_are_trimmed(run):
    ms = run("The United Kingdom's strategy differs from the Netherlands' approach.")
    countries = of_type(ms, "COUNTRY")
    assert [(m.text, m.iso3) for m in countries] == [("United Kingdom", "GBR"), ("Netherlands", "NLD")]


def test_counts(run):
    ms = run("The fund supports nearly 50 startups and over 1,200 companies, one of the universities, "
             "and 3 new research institutes; in 2015 companies grew.")
    counts = [(m.text, m.value, m.approx, m.unit) for m in of_type(ms, "COUNT")]
    assert counts == [("nearly 50 startups", 50.0, "~", "startups"),
                      ("over 1,200 companies", 1200.0, ">", "companies"),
                      ("3 new research institutes", 3.0, "", "institutes")]


def test_counts_of_funded_loans_chairs_and_vouchers(run):
    ms = run("The harbour scheme funds 20 new research chairs, 40 ferry vouchers and 4 microloans a year.")
    counts = [(m.value, m.unit) for m in of_type(ms, "COUNT")]
    assert counts == [(20.0, "chairs"), (40.0, "vouchers"), (4.0, "microloans")]


def test_money_is_not_a_count(run):
    ms = run("The ministry set aside 300 million dollars for 40 laboratories.")
    assert [(m.value, m.currency) for m in of_type(ms, "MONEY")] == [(3e8, "USD")]
    assert [(m.value, m.unit) for m in of_type(ms, "COUNT")] == [(40.0, "laboratories")]


def test_sectors_acronyms_case_sensitive(run):
    ms = run("It is clear that AI and IoT, plus additive manufacturing, matter; it matters for ICT.")
    assert [(m.text, m.canonical) for m in of_type(ms, "SECTOR")] == [
        ("AI", "artificial intelligence"), ("IoT", "Internet of Things"),
        ("additive manufacturing", "3D printing"), ("ICT", "information technology")]


def test_mention_fields_pages_sections_sentences(nlp):
    text = "Intro line.\n\nGermany pledged 2 billion euros in 2020. Spain did not.\n\nLater page: Italy waited."
    p1 = text.index("Germany")
    p2 = text.index("Later")
    parsed = ParsedDoc(doc_id="d1", source_file="d1.txt", format="txt", text=text, pages=2,
                       paragraphs=[Paragraph("Intro line.", 1, "A", 0, 11),
                                   Paragraph(text[p1:p2 - 2], 1, "A > B", p1, p2 - 2),
                                   Paragraph(text[p2:], 2, "C", p2, len(text))],
                       page_starts=[(0, 1), (p2, 2)])
    ms = extract_document(parsed, nlp)
    money = of_type(ms, "MONEY")[0]
    assert money.mention_id == f"d1:m{money.start}-{money.end}-MONEY"
    assert (money.value, money.currency, money.section, money.page) == (2e9, "EUR", "A > B", 1)
    assert text[money.sent_start:money.sent_end] == "Germany pledged 2 billion euros in 2020."
    italy = [m for m in ms if m.text == "Italy"][0]
    assert (italy.page, italy.section, italy.iso3) == (2, "C", "ITA")
    assert ms == sorted(ms, key=lambda m: (m.start, m.end, m.type))


def test_error_doc_gives_no_mentions(nlp):
    bad = ParsedDoc(doc_id="x", source_file="x.pdf", format="pdf", status="error", error="encrypted", text="Germany")
    assert extract_document(bad, nlp) == []


def test_long_paragraph_is_split_below_the_limit():
    text = ("The agency spent 5 million euros. " * 400).strip()
    pieces = list(_split_long(text, 1000))
    assert all(len(p) <= 1000 for _, p in pieces)
    assert "".join(p for _, p in pieces) == text
    assert all(text[off:off + len(p)] == p for off, p in pieces)


def test_long_document_offsets(nlp):
    sentence = "Norway invested 7 million kroner in 40 schools. "
    text = sentence * 120  # one paragraph of ~6k chars, cut into 2k pieces
    parsed = parsed_from_text("long", text)
    nlp.meta["policyx"]["max_chars_per_doc"], old = 2000, nlp.meta["policyx"]["max_chars_per_doc"]
    try:
        ms = extract_document(parsed, nlp)
    finally:
        nlp.meta["policyx"]["max_chars_per_doc"] = old
    assert len(of_type(ms, "COUNTRY")) == 120
    assert len(of_type(ms, "COUNT")) == 120
    assert all(text[m.start:m.end] == m.text for m in ms)


# --- the seed paper -------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_mentions(nlp):
    if not SEED.exists():
        pytest.skip("seed paper not available")
    from pipeline.parse import parse_path
    parsed = parse_path(SEED)
    return parsed, extract_document(parsed, nlp)


def test_seed_countries(seed_mentions):
    _, ms = seed_mentions
    assert {"USA", "DEU", "JPN", "CHN", "EUU"} <= {m.iso3 for m in of_type(ms, "COUNTRY")}


def test_seed_money_and_percent(seed_mentions):
    _, ms = seed_mentions
    assert (4.5e9, "JPY") in [(m.value, m.currency) for m in of_type(ms, "MONEY")]
    assert (25.0, 35.0) in [(m.value, m.from_value) for m in of_type(ms, "PERCENT")]
    assert (10.0, 8.0, 10.0) in [(m.value, m.low, m.high) for m in of_type(ms, "PERCENT")]


def test_seed_programs_orgs_counts(seed_mentions):
    parsed, ms = seed_mentions
    programs = {m.canonical: m.iso3 for m in of_type(ms, "PROGRAM")}
    assert programs.get("Made in China 2025") == "CHN"
    assert programs.get("Industry 4.0") == "DEU"
    assert "IMS2020 Plan" in programs
    orgs = {(m.text, m.canonical) for m in of_type(ms, "ORG")}
    assert ("NIST", "National Institute of Standards and Technology") in orgs
    assert (200.0, "~", "universities") in [(m.value, m.approx, m.unit) for m in of_type(ms, "COUNT")]
    # No DATE inside a program name, and no mention in the reference list.
    for d in of_type(ms, "DATE"):
        assert not any(p.start <= d.start < p.end for p in of_type(ms, "PROGRAM"))
    assert all(parsed.text[m.start:m.end] == m.text for m in ms)


def test_cli_parsed_json_round_trip(nlp, tmp_path):
    from pipeline.extract.__main__ import main
    parsed = parsed_from_text("cli", "Chile approved 12 million dollars for 8 universities in 2021.")
    io.write_json(tmp_path / "in.json", to_dict(parsed))
    assert main([str(tmp_path / "in.json"), str(tmp_path / "out.jsonl")]) == 0
    rows = io.read_jsonl(tmp_path / "out.jsonl")
    assert [(r["type"], r["text"]) for r in rows] == [
        ("COUNTRY", "Chile"), ("MONEY", "12 million dollars"), ("COUNT", "8 universities"), ("DATE", "2021")]
    assert json.loads(json.dumps(rows))[1]["value"] == 1.2e7


@pytest.mark.parametrize("text", [
    "", "(((", "“”", '"', "\x00\x01", "A (B) (", "🙂 2025 🙂", "x" * 5000, "1.2.3.4.5 % $ € ¥",
    "THE PLAN (TP) (TP) AND THE ACT OF 2020", "Plan Plan Plan Plan", "the the the", "( NIST ) NIST",
    "Ministry of", "of the and for", "4.0 2025 Industry", "Hon. K.N. Jr. $$$ 5 5 5 universities universities",
])
def test_odd_input_never_raises(run, text):
    ms = run(text)
    assert all(m.start < m.end for m in ms)


def test_heading_paragraph_is_not_a_program(nlp):
    text = "3.2 Digital Agenda\n\nChile's Digital Agenda funds broadband."
    body = text.index("Chile")
    parsed = ParsedDoc(doc_id="h", source_file="h.txt", format="txt", text=text,
                       paragraphs=[Paragraph(text[:18], 1, "", 0, 18, kind="heading"),
                                   Paragraph(text[body:], 1, "3.2 Digital Agenda", body, len(text))])
    progs = [m for m in extract_document(parsed, nlp) if m.type == "PROGRAM"]
    assert [(m.text, m.start) for m in progs] == [("Digital Agenda", body + 8)]
    assert progs[0].iso3 == "CHL"


# --- second pass: variants, very long paragraphs ---------------------------------

def test_versioned_name_variants_are_not_dates(run):
    ms = run("The EU launched the IMS2020 Plan in 2011. Under IMS 2020, firms cooperate. "
             "The Made in China 2025 plan was issued; Made-in-China 2025 was revised by 2020. "
             "Vision-2030 targets follow the Vision 2030 strategy.")
    progs = [(m.text, m.canonical) for m in of_type(ms, "PROGRAM")]
    assert ("IMS 2020", "IMS2020 Plan") in progs
    assert ("Made-in-China 2025", "Made in China 2025") in progs
    assert ("Vision-2030", "Vision 2030") in progs
    assert sorted(m.year for m in of_type(ms, "DATE")) == [2011, 2020]


def test_paragraph_longer_than_nlp_max_length(nlp):
    sentence = "Norway invested 7 million kroner in 40 schools in March 2019. "
    # one paragraph: 200 sentences, then a 12,000-char token with no break, then a tail
    text = sentence * 200 + "x" * 12000 + " Finland paid 5% more."
    parsed = parsed_from_text("huge", text)
    old = nlp.max_length
    nlp.max_length = 5000
    try:
        ms = extract_document(parsed, nlp)
    finally:
        nlp.max_length = old
    assert len(of_type(ms, "COUNTRY")) == 201
    assert len(of_type(ms, "MONEY")) == 200 and {m.value for m in of_type(ms, "MONEY")} == {7e6}
    assert [m.text for m in ms][-2:] == ["Finland", "5%"]
    last = of_type(ms, "PERCENT")[0]
    assert (last.start, last.value) == (text.index("5%"), 5.0)
    assert all(text[m.start:m.end] == m.text for m in ms)


def test_count_partitive_counts_the_unit_after_of(run):
    ms = run("The agency has posted 80 examples of awards given in this field.")
    assert [(m.text, m.value, m.unit) for m in of_type(ms, "COUNT")] == [
        ("80 examples of awards", 80.0, "awards")]


def test_count_elliptical_second_number_counts_the_same_unit(run):
    ms = run("In FY 2011, 31 awards were given and, in 2012, about 14. It funded 30 projects in 2019 and 45 in 2020.")
    assert [(m.text, m.value, m.approx, m.unit) for m in of_type(ms, "COUNT")] == [
        ("31 awards", 31.0, "", "awards"), ("about 14", 14.0, "~", "awards"),
        ("30 projects", 30.0, "", "projects"), ("45", 45.0, "", "projects")]


def test_count_elliptical_not_from_lists_or_labels(run):
    ms = run("It funded 30 projects, see Table 12, and pages 3, 4. It built 40 laboratories and 5 more.")
    assert [(m.value, m.unit) for m in of_type(ms, "COUNT")] == [(30.0, "projects"), (40.0, "laboratories")]


def test_count_not_after_a_label_word_or_fractional(run):
    ms = run("Table 2.3 Examples of NNI Projects. Phase 2 projects start. It has 2.5 centers.")
    assert of_type(ms, "COUNT") == []


def test_count_elliptical_needs_a_parallel_time(run):
    ms = run("The agency funded 4 projects; each was rated 3, and 2. It made 9 awards, 7 in 2021.")
    assert [(m.value, m.unit) for m in of_type(ms, "COUNT")] == [(4.0, "projects"), (9.0, "awards"), (7.0, "awards")]


@pytest.mark.parametrize("text, value, start", [
    # a change whose start carries its year and ends with "towards" (invented)
    ("The ferry fuel quota will rise from 4% in 2031 towards 9% in 2036.", 9.0, 4.0),
    # a change whose start is named before its value
    ("The share of ferries will be raised from a fleet share of around 12% to 30%.", 30.0, 12.0),
    # a range of shares is no change
    ("Grants cover between 20% and 40% of the hull cost.", 40.0, None),
])
def test_percent_changes_across_years_and_named_starts(run, text, value, start):
    got = [(m.value, m.from_value) for m in of_type(run(text), "PERCENT")]
    assert (value, start) in got


@pytest.mark.parametrize("text, value, start", [
    # EXTRACT-CHANGE-FROM-PREVIOUS: the new level first, the old one after "from" (invented)
    ("The berth loan cap is now S$2,500,000 per yard, from S$4,000,000 previously.", 2500000.0, 4000000.0),
    ("The fuel levy rises to 40 cents a litre from the current 25 cents.", 0.4, 0.25),
    ("Berth rents are capped at 6.5%, from 6% previously.", 6.5, 6.0),
    # an amount after "from" that no word dates is a source, not an old level
    ("The yards got $2 million, from $9 million set aside for ports.", 2000000.0, None),
])
def test_changes_stated_new_level_first(run, text, value, start):
    got = [(m.value, m.from_value) for m in run(text) if m.type in ("MONEY", "PERCENT")]
    assert (value, start) in got
