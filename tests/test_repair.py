"""Text repairs (pipeline/parse/repair.py): table-driven from fixtures."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.parse.repair import (
    ends_sentence, join_lines, join_split_decimals, keep_hyphen, repair_line,
)

FIXTURES = Path(__file__).parent / "fixtures"


def _rows(name: str) -> list[dict[str, str]]:
    with open(FIXTURES / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


REPAIR_CASES = _rows("parse_repair_cases.csv")
HYPHEN_CASES = _rows("parse_hyphen_cases.csv")


def test_fixture_has_both_kinds_of_cases():
    changed = [r for r in REPAIR_CASES if r["input"] != r["expected"]]
    unchanged = [r for r in REPAIR_CASES if r["input"] == r["expected"]]
    assert len(changed) >= 10 and len(unchanged) >= 5


@pytest.mark.parametrize("case", REPAIR_CASES, ids=[r["why"] for r in REPAIR_CASES])
def test_repair_line(case):
    assert repair_line(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", HYPHEN_CASES, ids=[r["first"] for r in HYPHEN_CASES])
def test_join_lines_hyphenation(case):
    assert join_lines([case["first"], case["second"]]) == case["expected"]


def test_document_vocabulary_decides_hyphenation():
    # the document writes "co-operation" elsewhere: keep the hyphen
    assert keep_hyphen("co", "operation", {"co-operation"}) is True
    # the document writes "cooperation": join
    assert keep_hyphen("co", "operation", {"cooperation"}) is False
    assert join_lines(["inter-", "national"], {"international"}) == "international"


def test_split_decimal_keeps_years_and_long_numbers():
    assert join_split_decimals("by 2025. 3 goals") == "by 2025. 3 goals"
    assert join_split_decimals("rose 1,200. 5 million") == "rose 1,200.5 million"


@pytest.mark.parametrize("text", [
    "each yard's benefit is capped at $30,000. 17. The harbour board also",   # a numbered paragraph follows
    "grants reach $2,500. 4) The ferry fund",
])
def test_split_decimal_not_joined_before_an_item_number(text):
    assert join_split_decimals(text) == text


def test_ends_sentence_ignores_closing_quotes():
    assert ends_sentence("it was “done.”")
    assert not ends_sentence("Application Research—Industrialization”")
    assert not ends_sentence("The Japanese")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_repairs_never_raise(text):
    out = repair_line(text)
    assert isinstance(out, str)
    assert isinstance(join_lines(text.split("\n")), str)


def test_non_string_input_is_safe():
    assert repair_line(None) == ""  # type: ignore[arg-type]


from hypothesis import given, settings, strategies as st


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab US.4 5\t\u00a0\ufb01,-%$")), max_size=40))
def test_repair_line_fast_path_changes_nothing_the_full_path_would(text):
    from pipeline.parse import repair as r
    full = r.collapse_double_periods(r.join_split_decimals(
        r.join_spaced_abbreviations(r.normalize_chars(text))))
    assert r.repair_line(text) == full
