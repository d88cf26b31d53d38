"""load(): typed DataFrames from the output CSVs, and the docstring's example analysis."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.load import Tables, load
from pipeline.records import INSTRUMENTS, TABLE_COLUMNS

FIXTURE = Path(__file__).parent / "fixtures" / "output_small"


@pytest.fixture(scope="module")
def tables() -> Tables:
    return load(FIXTURE)


def test_every_table_has_the_schema_columns(tables: Tables) -> None:
    for name, frame in tables:
        assert list(frame.columns) == TABLE_COLUMNS[name]
    assert len(tables.documents) == 3
    assert len(tables.mentions) == 18
    assert len(tables.measures) == 5


@pytest.mark.parametrize(
    ("table", "column", "dtype"),
    [
        ("documents", "pages", "Int64"),
        ("documents", "year", "Int64"),
        ("documents", "title", "string"),
        ("mentions", "start", "Int64"),
        ("mentions", "value", "Float64"),
        ("mentions", "month", "Int64"),
        ("measures", "value", "Float64"),
        ("measures", "confidence", "Float64"),
        ("measures", "page", "Int64"),
        ("measures", "country", "string"),
        ("programs", "mentions", "Int64"),
        ("references", "year", "Int64"),
    ],
)
def test_column_dtypes(tables: Tables, table: str, column: str, dtype: str) -> None:
    assert str(tables[table][column].dtype) == dtype


def test_categoricals(tables: Tables) -> None:
    instrument = tables.measures["instrument"]
    assert isinstance(instrument.dtype, pd.CategoricalDtype)
    assert list(instrument.cat.categories) == list(INSTRUMENTS)
    assert list(tables.measures["quantity_type"].cat.categories) == ["money", "percent", "count"]
    assert "MONEY" in list(tables.mentions["type"].cat.categories)
    assert list(tables.measures["approx"].cat.categories) == ["~", ">", "<"]
    assert tables.measures["approx"].isna().sum() == 2          # exact amounts: empty, not ""


def test_empty_cells_are_na_never_zero(tables: Tables) -> None:
    error_doc = tables.documents.set_index("doc_id").loc["gamma_broken"]
    assert error_doc["status"] == "error"
    assert error_doc["error"] == "PDF is encrypted and cannot be opened"
    assert pd.isna(error_doc["year"])
    assert error_doc["pages"] == 0
    q = tables.measures.set_index("measure_id")
    assert pd.isna(q.loc["alpha_paper:q2", "year"])
    assert q.loc["beta_note:q2", "from_value"] == 35.0
    assert pd.isna(q.loc["beta_note:q2", "currency"])


def test_values_parsed(tables: Tables) -> None:
    q = tables.measures.set_index("measure_id")
    assert q.loc["alpha_paper:q1", "value"] == 4.5e9
    assert q.loc["alpha_paper:q1", "year"] == 2015
    assert q.loc["beta_note:q1", "approx"] == ">"
    m = tables.mentions.set_index("mention_id").loc["alpha_paper:m18-23-COUNTRY"]
    assert (m["start"], m["end"], m["iso3"]) == (18, 23, "JPN")
    assert tables.text("alpha_paper")[m["start"]:m["end"]] == "Japan"
    assert tables.text("gamma_broken") == ""


def test_formula_guard_is_undone(tables: Tables) -> None:
    refs = tables.references.set_index(["doc_id", "ref_id"])
    assert refs.loc[("alpha_paper", "2"), "text"].startswith('=HYPERLINK("x")')


def test_docstring_example_money_by_country_and_instrument(tables: Tables) -> None:
    money = tables.measures[tables.measures.quantity_type == "money"]
    totals = (money.groupby(["country", "instrument", "currency"], observed=True, dropna=False)["value"]
              .sum().unstack("currency"))
    assert totals.loc[("JPN", "rd_funding"), "JPY"] == 4.5e9
    assert totals.loc[("DEU", "rd_funding"), "EUR"] == 1.2e8
    assert totals.loc[("USA", "education_training"), "USD"] == 7e7
    assert pd.isna(totals.loc[("JPN", "rd_funding"), "EUR"])
    assert len(totals) == 3


def test_bad_and_missing_cells(tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(FIXTURE, out)
    (out / "references.csv").unlink()
    path = out / "measures.csv"
    text = path.read_text(encoding="utf-8").replace(",0.8,1,", ",0.8,one,", 1).replace(",rd_funding,,0.7,", ",grants,,0.7,", 1)
    path.write_text(text, encoding="utf-8")
    t = load(out)
    assert t.references.empty and list(t.references.columns) == TABLE_COLUMNS["references"]
    assert str(t.references["year"].dtype) == "Int64"
    q = t.measures.set_index("measure_id")
    assert pd.isna(q.loc["alpha_paper:q1", "page"])                 # not a number -> NA
    assert q.loc["alpha_paper:q2", "instrument"] == "grants"        # unknown category kept
    assert "grants" in list(t.measures["instrument"].cat.categories)
