"""Atomic writes, deterministic JSON and spreadsheet-safe CSV cells."""
from __future__ import annotations

import csv
import io
import os
import stat

import pytest

from pipeline import io as pio


def test_atomic_write_replaces_whole_file_and_sets_mode(tmp_path):
    target = tmp_path / "out" / "a.csv"
    pio.atomic_write_text(target, "old\n")
    pio.atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["a.csv"]  # no temp file left


def test_atomic_write_failure_keeps_previous_file(tmp_path):
    target = tmp_path / "a.txt"
    pio.atomic_write_text(target, "previous")
    with pytest.raises(RuntimeError):
        with pio.atomic_writer(target) as fh:
            fh.write("half of a new fi")
            raise RuntimeError("killed")
    assert target.read_text() == "previous"
    assert len(list(tmp_path.iterdir())) == 1


@pytest.mark.parametrize("column,value,expected", [
    ("evidence", "=SUM(A1:A3)", "'=SUM(A1:A3)"),
    ("evidence", "+cmd", "'+cmd"),
    ("evidence", "-2+3", "'-2+3"),
    ("text", "@foo", "'@foo"),
    ("text", "\tx", "'\tx"),
    ("value", -3.5, "-3.5"),          # numeric columns keep negative numbers
    ("value", 120000000.0, "120000000"),
    ("value", 4.5e9, "4500000000"),
    ("value", 33.333333333, "33.333333"),
    ("year", None, ""),
    ("confidence", 0.9, "0.9"),
    ("evidence", "plain text", "plain text"),
])
def test_format_cell(column, value, expected):
    assert pio.format_cell(column, value) == expected


def test_csv_round_trip_keeps_commas_quotes_and_newlines():
    rows = [{"a": 'He said "hi", then\nleft', "value": 1.5}]
    text = pio.csv_text(["a", "value"], rows)
    back = list(csv.DictReader(io.StringIO(text)))
    assert back == [{"a": 'He said "hi", then\nleft', "value": "1.5"}]


def test_jsonl_is_deterministic(tmp_path):
    p = tmp_path / "x.jsonl"
    pio.write_jsonl(p, [{"b": 1, "a": "é"}])
    assert p.read_text(encoding="utf-8") == '{"a": "é", "b": 1}\n'
    assert pio.read_jsonl(p) == [{"a": "é", "b": 1}]
