"""parse_number / find_numbers, driven by tests/fixtures/normalize_numbers.yaml."""
from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml

from pipeline.normalize.numbers import find_numbers, parse_number

FIXTURE = yaml.safe_load((Path(__file__).parent / "fixtures" / "normalize_numbers.yaml").read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize("text,want", FIXTURE["parse"], ids=[repr(c[0]) for c in FIXTURE["parse"]])
def test_parse_number(text: str, want: float | None) -> None:
    got = parse_number(text)
    if want is None:
        assert got is None
    else:
        assert got is not None and math.isclose(got, want, rel_tol=1e-9), got


@pytest.mark.parametrize("text,want", FIXTURE["find"], ids=[repr(c[0]) for c in FIXTURE["find"]])
def test_find_numbers(text: str, want: list[list]) -> None:
    got = find_numbers(text)
    assert [(m.text, m.value) for m in got] == [(t, pytest.approx(v)) for t, v in want]
    for m in got:
        assert text[m.start:m.end] == m.text


def test_non_string_input_gives_none() -> None:
    assert parse_number(None) is None  # type: ignore[arg-type]
    assert find_numbers(None) == []  # type: ignore[arg-type]
