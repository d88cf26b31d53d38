"""find_dates, driven by tests/fixtures/normalize_dates.yaml."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.normalize.dates import find_dates

FIXTURE = yaml.safe_load((Path(__file__).parent / "fixtures" / "normalize_dates.yaml").read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=[c["text"][:40] for c in FIXTURE["cases"]])
def test_find_dates(case: dict[str, Any]) -> None:
    text = case["text"]
    got = find_dates(text)
    assert len(got) == len(case["want"]), [(d.text, d.year) for d in got]
    for d, want in zip(got, case["want"]):
        assert d.text == want["text"]
        assert text[d.start:d.end] == d.text
        assert d.year == want["year"]
        assert d.month == want.get("month")
        assert d.kind == want.get("kind", "year")
        assert d.end_year == want.get("end_year")


@pytest.mark.parametrize("text", FIXTURE["none"])
def test_no_dates(text: str) -> None:
    assert find_dates(text) == []


def test_one_year_among_amounts_and_spans_of_years() -> None:
    text = ("In the field of drone technology, the Danish government named delivery drones as a "
            "key area for state support in 2013, and spent 3.5 billion kroner in the year. "
            "It is planned that over the next five years, several schemes")
    assert [(d.text, d.year) for d in find_dates(text)] == [("2013", 2013)]
