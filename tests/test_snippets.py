"""Snippet mode: {"id","text"} lines -> {"id","mentions"} lines, in process and via the CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.extract import extract_snippets, get_nlp
from pipeline.extract.snippets import SNIPPET_FIELDS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def _by_type(row, kind):
    return [m for m in row["mentions"] if m["type"] == kind]


def test_lowercase_tokenised_text(nlp):
    items = [{"id": 1, "text": "the u . s . government spent $ 75 million on 20 universities in 2009 ."},
             {"id": 2, "text": "u . k . shares rose 5 % after the european commission said ."}]
    rows = list(extract_snippets(items, nlp))
    assert [r["id"] for r in rows] == [1, 2]
    first, second = rows
    assert [(m["text"], m["iso3"]) for m in _by_type(first, "COUNTRY")] == [("u . s .", "USA")]
    assert [(m["value"], m["currency"]) for m in _by_type(first, "MONEY")] == [(7.5e7, "USD")]
    assert [m["value"] for m in _by_type(first, "COUNT")] == [20.0]
    assert [m["year"] for m in _by_type(first, "DATE")] == [2009]
    assert [(m["text"], m["iso3"]) for m in _by_type(second, "COUNTRY")] == [("u . k .", "GBR")]
    assert [m["value"] for m in _by_type(second, "PERCENT")] == [5.0]
    assert [(m["text"], m["iso3"]) for m in _by_type(second, "ORG")] == [("european commission", "EUU")]
    for item, row in zip(items, rows):
        for m in row["mentions"]:
            assert set(m) == set(SNIPPET_FIELDS)
            assert item["text"][m["start"]:m["end"]] == m["text"]


def test_empty_and_odd_items(nlp):
    rows = list(extract_snippets([{"id": "e", "text": ""}, {"id": "n", "text": None}, {"id": "s", "text": "   "}], nlp))
    assert rows == [{"id": "e", "mentions": []}, {"id": "n", "mentions": []}, {"id": "s", "mentions": []}]


def test_many_snippets_keep_order(nlp):
    items = [{"id": i, "text": f"Spain paid {i + 1} million euros."} for i in range(50)]
    rows = list(extract_snippets(items, nlp, chunk=16))
    assert [r["id"] for r in rows] == list(range(50))
    assert [_by_type(r, "MONEY")[0]["value"] for r in rows] == [(i + 1) * 1e6 for i in range(50)]


def test_cli_round_trip_three_lines(tmp_path):
    lines = [{"id": "a", "text": "Mexico granted 3 billion pesos to 15 clusters in 2016."},
             {"id": "b", "text": "Sales fell from 12% to 9% in Kenya."},
             {"id": "c", "text": "nothing to see here"}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "pipeline.extract", "--snippets", str(src), str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    a, b, c = rows
    assert [(m["value"], m["currency"]) for m in _by_type(a, "MONEY")] == [(3e9, "MXN")]
    assert [(m["value"], m["text"]) for m in _by_type(a, "COUNT")] == [(15.0, "15 clusters")]
    assert [(m["value"], m["from_value"]) for m in _by_type(b, "PERCENT")] == [(9.0, 12.0)]
    assert [m["iso3"] for m in _by_type(b, "COUNTRY")] == ["KEN"]
    assert c["mentions"] == []
