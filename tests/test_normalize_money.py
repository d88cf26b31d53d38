"""find_money / parse_money, driven by tests/fixtures/normalize_money.yaml."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.normalize.money import find_money, parse_money

FIXTURE = yaml.safe_load((Path(__file__).parent / "fixtures" / "normalize_money.yaml").read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=[c["text"][:40] for c in FIXTURE["cases"]])
def test_find_money(case: dict[str, Any]) -> None:
    text = case["text"]
    got = find_money(text)
    assert len(got) == len(case["want"]), [(m.text, m.value) for m in got]
    for m, want in zip(got, case["want"]):
        assert m.text == want["text"]
        assert text[m.start:m.end] == m.text
        assert m.value == pytest.approx(float(want["value"]))
        assert m.currency == want["currency"]
        assert m.approx == want.get("approx", "")
        for key in ("low", "high"):
            if key in want:
                assert getattr(m, key) == pytest.approx(float(want[key]))
            else:
                assert getattr(m, key) is None


@pytest.mark.parametrize("text", FIXTURE["none"])
def test_no_money(text: str) -> None:
    assert find_money(text) == []


def test_parse_money_whole_string() -> None:
    m = parse_money("about EUR 1.2 billion.")
    assert m is not None and m.value == pytest.approx(1.2e9) and m.currency == "EUR" and m.approx == "~"
    assert parse_money("EUR 1.2 billion for robots") is None
    assert parse_money("") is None
    assert parse_money(None) is None  # type: ignore[arg-type]
