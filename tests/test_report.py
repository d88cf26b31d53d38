"""The summary report: counts, money totals, an embedded PNG, byte-identical reruns."""
from __future__ import annotations

import base64
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.load import load
from pipeline.report import OTHER_COUNTRIES, measure_counts, money_totals, write_report

FIXTURE = Path(__file__).parent / "fixtures" / "output_small"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(FIXTURE, tmp_path_factory.mktemp("report") / "report.html")


def test_measure_counts_by_country_and_instrument() -> None:
    counts = measure_counts(load(FIXTURE).measures)
    assert list(counts.index) == ["DEU", "CHN", "JPN", "USA"]          # most first, then by code
    assert list(counts.columns) == ["rd_funding", "tax_incentive", "education_training", "target"]
    assert counts.loc["DEU", "rd_funding"] == 1 and counts.loc["DEU", "tax_incentive"] == 1
    assert counts.loc["USA", "education_training"] == 1
    assert int(counts.to_numpy().sum()) == 5


def test_money_totals_per_country_and_currency() -> None:
    totals = money_totals(load(FIXTURE).measures)
    rows = {(r.country, r.currency): (r.total, r.measures, r.approximate) for r in totals.itertuples()}
    assert rows == {("DEU", "EUR"): (1.2e8, 1, 1), ("JPN", "JPY"): (4.5e9, 1, 1), ("USA", "USD"): (7e7, 1, 1)}


def test_many_countries_are_grouped_and_missing_ones_named() -> None:
    measures = pd.DataFrame({
        "country": pd.array([f"C{i:02d}" for i in range(25)] + [pd.NA, pd.NA], dtype="string"),
        "instrument": pd.array(["target"] * 26 + [pd.NA], dtype="string"),
    })
    counts = measure_counts(measures, top=5)
    assert list(counts.index) == ["(none)", "C00", "C01", "C02", "C03", OTHER_COUNTRIES]
    assert counts.loc["(none)", "target"] == 1 and counts.loc["(none)", "(unassigned)"] == 1
    assert counts.loc[OTHER_COUNTRIES, "target"] == 21
    assert int(counts.to_numpy().sum()) == 27


def test_report_html_contents(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert "3 papers (1 failed), 18 mentions, 5 measures (3 money, 2 percent, 0 count)" in page
    assert '<tr><td>JPN</td><td>JPY</td><td class="num">4,500,000,000</td>' in page
    assert '<tr><td>DEU</td><td>EUR</td><td class="num">120,000,000</td>' in page
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page).group(1))
    assert png.startswith(PNG_SIGNATURE)
    assert b"Software" not in png and b"matplotlib" not in png
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page) and "<script" not in page


def test_same_input_gives_byte_identical_report(report: Path, tmp_path: Path) -> None:
    again = write_report(FIXTURE, tmp_path / "again.html")
    assert again.read_bytes() == report.read_bytes()


def test_no_measures_still_writes_a_page(tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(FIXTURE, out)
    (out / "measures.csv").write_text((FIXTURE / "measures.csv").read_text(encoding="utf-8").splitlines()[0] + "\n",
                                      encoding="utf-8")
    page = write_report(out, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No measures." in page and "No money measures." in page and "<img" not in page


def test_money_totals_leave_out_a_tables_total_column_and_row() -> None:
    measures = pd.DataFrame({
        "quantity_type": ["money"] * 5, "currency": ["EUR"] * 5, "approx": [None] * 5,
        "value": [2.4e9, 3.1e9, 5.5e9, 7.0e9, 1.0e8],
        "country": ["BGR", "BGR", "BGR", None, "BGR"],
        "unit": ["table: Cohesion Fund EURbn", "table: ERDF EURbn", "table: Total EURbn", "table: Cohesion Fund EURbn", ""],
        "evidence": ["Bulgaria 2.4 3.1 5.5"] * 3 + ["TOTAL 7.0 9.0 16.0", "Bulgaria received EUR 100 million."],
    })
    rows = {(r.country, r.currency): (r.total, r.measures) for r in money_totals(measures).itertuples()}
    assert rows == {("BGR", "EUR"): (2.4e9 + 3.1e9 + 1.0e8, 3)}
    one_column = measures.assign(unit="table: Project total cost (EUR m)", evidence="Bulgaria 2.4")
    assert money_totals(one_column)["measures"].sum() == 5


def test_report_says_which_years_and_papers_a_total_mixes_and_gives_usd(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    # JPY 4.5bn of 2015 at the ECB 2015 averages: 4.5e9 x (1.109513 / 134.314023) = 37,172,652.48
    assert ('<tr><td>JPN</td><td>JPY</td><td class="num">4,500,000,000</td><td class="num">1</td>'
            '<td class="num">1</td><td>2015</td><td class="num">37,172,652</td><td class="num">1 of 1</td>'
            '<td>2015</td><td class="small">alpha_paper</td></tr>') in page
    # EUR 120m without a year of its own: the paper's year 2019 gives the rate
    assert '<td>1 without a year</td><td class="num">134,337,000</td><td class="num">1 of 1</td><td>2019</td>' in page
    assert "<h2>Money in US dollars by country and instrument</h2>" in page
    assert '<tr><td>DEU</td><td>rd_funding</td><td class="num">134,337,000</td>' in page
    assert "Nominal US dollars, not deflated" in page and "<h2>Timeline</h2>" in page
    assert "<h2>Top programs across papers</h2>" in page and "<td>New Strategy for Robotics</td>" in page


def test_usd_totals_leave_out_rows_without_a_rate() -> None:
    from pipeline.report import usd_totals
    t = load(FIXTURE)
    usd = usd_totals(t.measures, t.documents)
    assert usd[["country", "instrument", "measures"]].values.tolist() == [
        ["DEU", "rd_funding", 1], ["USA", "education_training", 1], ["JPN", "rd_funding", 1]]
    assert usd["total_usd"].tolist() == [134337000.0, 70000000.0, 37172652.48]
