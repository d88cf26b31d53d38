"""Money in tables whose currency and scale stand in the column header (pipeline/extract/tables.py).

The allocation case is shaped like the EIB JASPERS table of paper 03 (EURbn per
new Member State, 2007-2013) as the parse stage writes it, with invented figures; the 01 cases are the EU retail
tables headed "(mn ecu)" and "(bn ecus)" (ecu = ISO 4217 XEU).
"""
from __future__ import annotations

import re

import pytest

from pipeline.extract import extract_document, get_nlp
from pipeline.extract.tables import find_table_money
from pipeline.link import link_document
from pipeline.records import Paragraph, ParsedDoc

ALLOCATION_TABLE = """2.1 STRUCTURAL FUNDS REGULATIONS 2007-2013

A General Regulation defines common principles for the three cohesion instruments, the European Regional Development Fund (ERDF), the European Social Fund (ESF) and the Cohesion Fund (CF).

The total indicative amounts available to new Member States under ERDF and Cohesion Funds for 2007-2013 are summarised in tabular form below.

Country/Heading Cohesion Fund EURbn ERDF Convergence EURbn Total EURbn

Bulgaria 2.4 3.1 5.5
Cyprus 0.19 0 0.19
Czech Republic 8.6 13.7 22.3
Malta 0.26 0.46 0.72
Poland 22 33 55
Technical Assistance 0.87

TOTAL 57.91 86.40 144.31"""

# 04: world production capacity of abrasives, in metric tons: no currency, no money.
CAPACITY_TABLE = """World Production Capacity (metric tons)

Fused aluminum oxide Silicon carbide 2009 2010 2009 2010

United States and Canada 60,400 60,400 42,600 42,600
Australia 50,000 50,000 — —
Brazil 50,000 50,000 43,000 43,000
China 700,000 700,000 455,000 455,000"""


def parsed_doc(text: str, doc_id: str = "t") -> ParsedDoc:
    """A ParsedDoc with one paragraph per blank-line block (as the parse stage splits)."""
    paragraphs, pos = [], 0
    for block in re.split(r"(\n\s*\n)", text):
        if block.strip() and not re.fullmatch(r"\n\s*\n", block):
            paragraphs.append(Paragraph(text=block, page=1, section="2.1", start=pos, end=pos + len(block)))
        pos += len(block)
    return ParsedDoc(doc_id=doc_id, source_file=f"{doc_id}.txt", format="txt", text=text,
                     paragraphs=paragraphs, page_starts=[(0, 1)], pages=1)


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def cells(text: str) -> list[tuple[str, float, str]]:
    return [(text[c.start:c.end], c.value, c.currency) for c in find_table_money(text)]


def row_of(text: str, cell) -> str:
    return text[cell.row_start:cell.row_end]


# ------------------------------------------------------------- table finder


def test_allocation_table_gives_one_amount_per_cell_in_the_header_unit():
    found = find_table_money(ALLOCATION_TABLE)
    text = ALLOCATION_TABLE
    bulgaria = [c for c in found if row_of(text, c) == "Bulgaria 2.4 3.1 5.5"]
    assert [(c.value, c.currency) for c in bulgaria] == [(2.4e9, "EUR"), (3.1e9, "EUR"), (5.5e9, "EUR")]
    assert [text[c.start:c.end] for c in bulgaria] == ["2.4", "3.1", "5.5"]
    values = {(row_of(text, c).split()[0], c.value) for c in found}
    assert ("Cyprus", 1.9e8) in values and ("Cyprus", 0.0) in values
    assert ("Poland", 2.2e10) in values and ("Poland", 5.5e10) in values
    assert ("TOTAL", 5.791e10) in values and ("TOTAL", 1.4431e11) in values   # after a blank line
    # "Technical Assistance 0.87": one cell where the table has three, so its column is unknown
    assert not [c for c in found if row_of(text, c).startswith("Technical")]
    assert len(found) == 6 * 3


def test_column_name_spans_name_the_funds():
    text = ALLOCATION_TABLE
    names = {text[c.column_start:c.column_end].strip() for c in find_table_money(text)}
    assert names == {"Cohesion Fund EURbn", "ERDF Convergence EURbn", "Total EURbn"}


def test_capacity_in_metric_tons_gives_nothing():
    assert cells(CAPACITY_TABLE) == []


def test_row_with_a_missing_cell_gives_nothing():
    text = ("Country Cohesion Fund EURbn ERDF Convergence EURbn Total EURbn\n"
            "Bulgaria 2.4 3.1 5.5\nCyprus 0.19 0.19\nMalta 0.26 0.46 0.72\n")
    found = cells(text)
    assert ("0.19", 1.9e8, "EUR") not in found
    assert ("0.26", 2.6e8, "EUR") in found and len(found) == 6


def test_dollar_million_header():
    text = ("Agency budgets\n\nAgency FY2019 $ million FY2020 $ million\n"
            "National Science Foundation 8,075 8,278\nDepartment of Energy 6,585 7,000\n")
    assert cells(text) == [("8,075", 8.075e9, "USD"), ("8,278", 8.278e9, "USD"),
                           ("6,585", 6.585e9, "USD"), ("7,000", 7.0e9, "USD")]


def test_mn_ecu_and_bn_ecus_headers_are_xeu():
    text = "Table 6.3\n\nturnover (mn ecu)\n\nEU15 1261\nUSA 1350\nJapan 682\n"
    assert cells(text) == [("1261", 1.261e9, "XEU"), ("1350", 1.35e9, "XEU"), ("682", 6.82e8, "XEU")]
    text = ("Table 6.11: EU's top 20 grocery wholesalers\n\nCountry of origin Sales (bn ecus)\n\n"
            "Nestle Switzerland 38.2\nRewe Germany 14.6\nFyffes Ireland 1.1\n")
    assert cells(text) == [("38.2", 3.82e10, "XEU"), ("14.6", 1.46e10, "XEU"), ("1.1", 1.1e9, "XEU")]


def test_money_and_non_money_columns_on_one_header_line():
    # 01's Table 6.12: the NACE codes column is no money; "ConAgra 24.8" lacks two cells
    text = ("World food Total sales in EU food Markets in which firm is one\n"
            "sales manufacturing of the 5 leaders\n($US bn) (bn ecus) (NACE 3 digit)\n\n"
            "Nestle 38.8 13.1 412,413,414,417,421,423,428\nConAgra 24.8\nCargill 18.7 2.4 411\n")
    assert cells(text) == [("38.8", 3.88e10, "USD"), ("13.1", 1.31e10, "XEU"),
                           ("18.7", 1.87e10, "USD"), ("2.4", 2.4e9, "XEU")]
    text = "Country Budget (EUR m) Share (%)\nFrance 120 3.5\nGermany 140 4.1\n"
    assert cells(text) == [("120", 1.2e8, "EUR"), ("140", 1.4e8, "EUR")]


def test_other_header_spellings():
    assert cells("Grants by state (in thousands of dollars)\nOhio 1,250\nTexas 2,500\n") == [
        ("1,250", 1.25e6, "USD"), ("2,500", 2.5e6, "USD")]
    assert cells("Region £000\nNorth East 12,500\nLondon 40,000\n") == [
        ("12,500", 1.25e7, "GBP"), ("40,000", 4.0e7, "GBP")]
    assert cells("Member State €m\nIreland 310\nFinland 95\n") == [("310", 3.1e8, "EUR"), ("95", 9.5e7, "EUR")]


def test_negative_cell_keeps_its_sign_and_footnote_marker_is_left_out():
    text = "Country Change EURm\nGreece -10.8\nFrance 5.8*\nSpain \u22123\n"
    assert cells(text) == [("-10.8", -1.08e7, "EUR"), ("5.8", 5.8e6, "EUR"), ("\u22123", -3.0e6, "EUR")]


def test_years_percent_placeholders_and_ambiguous_headers_give_nothing():
    # a year cell in a money column is no amount; n.a. is a cell without a value
    text = "Country Budget EURm\nFrance 2010\nItaly 120\nSpain n.a.\nPortugal 80\n"
    assert cells(text) == [("120", 1.2e8, "EUR"), ("80", 8.0e7, "EUR")]
    # a percent column, a header without a currency, "Euro area", a currency word without scale
    assert cells("Country Growth per cent\nFrance 1.2\nGermany 1.5\n") == []
    assert cells("Euro area Germany France\nGrowth 1.2 1.5 0.9\nInflation 2.0 1.8 2.1\n") == []
    assert cells("Average Dollars per Return\nSingle filers 204\nJoint filers 310\n") == []
    # a sentence with an amount is no unit header
    assert cells("The programme costs EUR 5 million in total\nFrance 120\nGermany 140\n") == []
    # one unit, two numeric columns: which one is money is unknown
    assert cells("Country Population Budget (EUR m)\nFrance 65 120\nGermany 82 140\n") == []
    # the unit on a second header line: its column is unknown
    assert cells("Country Sales Staff\n(EUR m)\nFrance 120 3000\nGermany 140 4000\n") == []


def test_pipe_table_from_markdown_or_html():
    text = ("The allocations are shown below.\n\nCountry | Cohesion Fund EURbn | Share (%) | ERDF EURbn\n"
            "Bulgaria | 2.3 | 12 | 3.2\nCyprus | 0.21 | | 0\nTotal | 1 107 | 100 | 9\n")
    assert cells(text) == [("2.3", 2.3e9, "EUR"), ("3.2", 3.2e9, "EUR"), ("0.21", 2.1e8, "EUR"),
                           ("0", 0.0, "EUR"), ("1 107", 1.107e12, "EUR"), ("9", 9e9, "EUR")]


# ------------------------------------------------------- extract and link


def test_extract_and_link_the_allocation_table(nlp):
    parsed = parsed_doc(ALLOCATION_TABLE)
    mentions = extract_document(parsed, nlp)
    money = [m for m in mentions if m.type == "MONEY"]
    assert len(money) == 18
    first = money[0]
    assert (first.text, first.value, first.currency) == ("2.4", 2.4e9, "EUR")
    row = "Bulgaria 2.4 3.1 5.5"
    assert parsed.text[first.sent_start:first.sent_end] == row
    measures = {(m.evidence, m.value): m for m in link_document(parsed, mentions) if m.quantity_type == "money"}
    bg_cf, bg_erdf, bg_total = (measures[(row, v)] for v in (2.4e9, 3.1e9, 5.5e9))
    assert bg_cf.country == bg_erdf.country == bg_total.country == "BGR"
    assert bg_cf.currency == "EUR"
    assert bg_cf.program == "Cohesion Fund"
    assert bg_erdf.program == "European Regional Development Fund"
    assert bg_total.program == ""
    cz = measures[("Czech Republic 8.6 13.7 22.3", 1.37e10)]
    assert cz.country == "CZE" and cz.program == "European Regional Development Fund"
    total = measures[("TOTAL 57.91 86.40 144.31", 8.64e10)]
    assert total.program == "European Regional Development Fund"


def test_extract_gives_no_money_for_a_tons_table(nlp):
    mentions = extract_document(parsed_doc(CAPACITY_TABLE), nlp)
    assert [m for m in mentions if m.type == "MONEY"] == []


def test_a_row_that_already_holds_an_amount_is_left_alone(nlp):
    text = "Item EUR million\n\nGrant of EUR 5 million 7\nLoan 12\nGuarantee 3\n"
    mentions = extract_document(parsed_doc(text), nlp)
    money = sorted((m.text, m.value) for m in mentions if m.type == "MONEY")
    assert money == [("12", 1.2e7), ("3", 3e6), ("EUR 5 million", 5e6)]
