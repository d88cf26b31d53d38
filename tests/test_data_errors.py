"""Errors surface inside the stages: a broken data file names its file and line,
a broken normalizer names the function, and the runner reports either as the
paper's one-line error instead of finding less."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import data_access
from pipeline.data_access import DataFileError, read_csv, read_yaml
from pipeline.normalize import dates, money
from pipeline.normalize.numbers import NormalizerError
from pipeline.parse import repair
from pipeline.run import RunOptions, _call

DATA = Path(data_access.__file__).parent / "data"


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A writable copy of pipeline/data that the loaders read instead (caches cleared around it)."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    caches = (dates._cues, repair._rules, repair._lower_abbrev_re)
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(data_access, "DATA_DIR", copy)
    yield copy
    monkeypatch.undo()
    for cache in caches:
        cache.cache_clear()


def _append_line(path: Path, line: str) -> int:
    """Append ``line`` to a data file; its 1-based line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_bad_row_in_a_cue_file_names_file_and_line(data_copy):
    bad = _append_line(data_copy / "date_cues.csv", "circa,not_before,oops")   # three fields, header has two
    with pytest.raises(DataFileError) as err:
        dates.find_dates("The scheme started in 2019.")
    message = str(err.value)
    assert "date_cues.csv" in message and f"line {bad}" in message and "3 fields" in message
    assert err.value.line == bad


def test_bad_cell_names_file_and_line(data_copy):
    bad = _append_line(data_copy / "months.csv", "Brumaire,eleven")
    with pytest.raises(DataFileError, match=rf"months\.csv line {bad}: bad cell"):
        read_rows_checked("months.csv")


def read_rows_checked(name: str) -> dict[str, int]:
    out = {}
    for row in read_csv(name):
        with row.checked():
            out[row["name"]] = int(row["month"])
    return out


def test_typo_in_repair_rules_fails_loudly(data_copy):
    path = data_copy / "repair_rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nunits:" in text
    broken = text.replace("\nunits:", "\nunit:")
    path.write_text(broken, encoding="utf-8")
    line = next(n for n, x in enumerate(broken.split("\n"), start=1) if x.startswith("unit:"))
    with pytest.raises(DataFileError) as err:
        repair.keep_hyphen("cross", "border")
    assert "repair_rules.yaml" in str(err.value) and f"line {line}" in str(err.value) and "'unit'" in str(err.value)


def test_invalid_yaml_names_file_and_line(data_copy):
    path = data_copy / "repair_rules.yaml"
    bad = _append_line(path, "units: [km, m2")        # unclosed flow sequence
    with pytest.raises(DataFileError, match=r"repair_rules\.yaml line \d+: not valid YAML") as err:
        read_yaml("repair_rules.yaml")
    assert err.value.line >= bad


def test_missing_data_file_is_an_error(data_copy):
    (data_copy / "months.csv").unlink()
    with pytest.raises(DataFileError, match=r"months\.csv: cannot read"):
        read_csv("months.csv")


def _broken(*args, **kwargs):
    raise ValueError("deliberately broken")


def test_broken_normalizer_names_the_function(monkeypatch):
    monkeypatch.setattr(money, "_attach", _broken)
    with pytest.raises(NormalizerError, match=r"pipeline\.normalize\.money\.find_money failed: ValueError: "
                                              r"deliberately broken"):
        money.find_money("a grant of EUR 5 million")


def test_broken_normalizer_is_the_papers_error_row(monkeypatch, tmp_path):
    paper = tmp_path / "grant.txt"
    paper.write_text("Harbour Fund\n\nThe Harbour Fund gives EUR 5 million to small ports.\n", encoding="utf-8")
    monkeypatch.setattr(money, "_attach", _broken)
    result = _call((str(paper), "grant", ["parse", "extract", "link"], RunOptions(), None))
    parsed = result["parse"]
    assert parsed["status"] == "error"
    assert "pipeline.normalize.money.find_money failed" in parsed["error"]
    assert "\n" not in parsed["error"]
