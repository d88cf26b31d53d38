"""find_percent / parse_percent, driven by tests/fixtures/normalize_percent.yaml."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.normalize.percent import find_percent, parse_percent

FIXTURE = yaml.safe_load((Path(__file__).parent / "fixtures" / "normalize_percent.yaml").read_text(encoding="utf-8-sig"))


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=[c["text"][:40] for c in FIXTURE["cases"]])
def test_find_percent(case: dict[str, Any]) -> None:
    text = case["text"]
    got = find_percent(text)
    assert len(got) == len(case["want"]), [(m.text, m.value) for m in got]
    for m, want in zip(got, case["want"]):
        assert m.text == want["text"]
        assert text[m.start:m.end] == m.text
        assert m.value == pytest.approx(float(want["value"]))
        assert m.approx == want.get("approx", "")
        assert m.points == want.get("points", False)
        for key in ("low", "high", "from_value"):
            if key in want:
                assert getattr(m, key) == pytest.approx(float(want[key]))
            else:
                assert getattr(m, key) is None


@pytest.mark.parametrize("text", FIXTURE["none"])
def test_no_percent(text: str) -> None:
    assert find_percent(text) == []


def test_parse_percent_whole_string() -> None:
    m = parse_percent("more than 50%")
    assert m is not None and m.value == 50 and m.approx == ">"
    assert parse_percent("50% of firms") is None
    assert parse_percent(None) is None  # type: ignore[arg-type]
