"""scripts/instrument_eval.py: examples from dev labels, the blind filter, the LOPO splits.

Sentences here are invented. One tiny model is trained (the blind-once totals); the
experiment itself runs with ``make instrument-eval``.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from scripts_module import load_script

ie = load_script("instrument_eval")


def _write(folder: Path, doc_id: str, measures: str, blind: bool | None = None) -> Path:
    flag = "" if blind is None else f"blind: {'true' if blind else 'false'}\n"
    path = folder / f"{doc_id}.yaml"
    path.write_text(f"doc_id: {doc_id}\nstatus: final\n{flag}measures:\n" + textwrap.indent(measures, "  "),
                    encoding="utf-8")
    return path


MEASURES = textwrap.dedent("""\
    - quantity_type: money
      value: 4.5e+7
      currency: EUR
      instrument: [rd_funding, investment]
      evidence: "The agency will grant EUR 45 million to university laboratories."
    - quantity_type: percent
      value: 12
      instrument: tax_incentive
      evidence: "Small firms may claim a tax credit of 12% on machinery."
    - quantity_type: count
      value: 300
      instrument: education_training
      evidence: "Some 300 apprentices will be trained each year."
    - quantity_type: money
      value: 1.8e+9
      currency: EUR
      instrument: indicator
      evidence: "Retail sales of the group 1.8"
    - quantity_type: percent
      value: 7
      instrument: indicator
      optional: true
      evidence: "The share rose to 7%."
    - quantity_type: percent
      value: 3
      evidence: "A rate of 3% without an instrument label."
    """)


def test_examples_from_a_small_paper(tmp_path):
    path = _write(tmp_path, "x1_invented", MEASURES, blind=False)
    examples = ie.examples_from(path)
    # the optional measure and the one without an instrument are left out
    assert [e.label for e in examples] == ["rd_funding", "tax_incentive", "education_training", "indicator"]
    money, percent, count, cell = examples
    assert money.accepted == ("rd_funding", "investment")
    assert money.sentence[money.q_start:money.q_end] == "EUR 45 million"
    assert percent.sentence[percent.q_start:percent.q_end] == "12%"
    assert count.sentence[count.q_start:count.q_end] == "300"
    # a table cell in billions: the bare number is the quantity
    assert cell.located and cell.sentence[cell.q_start:cell.q_end] == "1.8"
    assert {e.doc_id for e in examples} == {"x1_invented"}
    assert all(e.located for e in examples)


def test_unlocated_quantity_is_flagged(tmp_path):
    path = _write(tmp_path, "x2_invented", textwrap.dedent("""\
        - quantity_type: money
          value: 5.0e+6
          currency: USD
          instrument: procurement
          evidence: "The ministry buys buses for the city."
        """))
    (example,) = ie.examples_from(path)
    assert not example.located and (example.q_start, example.q_end) == (0, 0)
    assert "QTY_UNLOCATED" in ie.model_text(example, "words")


def test_blind_papers_are_refused(tmp_path):
    _write(tmp_path, "x1_dev", MEASURES, blind=False)
    _write(tmp_path, "x2_dev_no_flag", MEASURES)
    blind = _write(tmp_path, "x3_blind", MEASURES, blind=True)
    (tmp_path / "thresholds.yaml").write_text("defaults: {}\n", encoding="utf-8")
    dev, blind_files = ie.split_files(tmp_path)
    assert [p.stem for p in dev] == ["x1_dev", "x2_dev_no_flag"]
    assert blind_files == [blind]
    with pytest.raises(ValueError, match="blind"):
        ie.examples_from(blind)
    assert {e.doc_id for e in ie.build_examples(dev)} == {"x1_dev", "x2_dev_no_flag"}


def test_lopo_never_trains_on_the_held_out_paper(tmp_path):
    paths = [_write(tmp_path, f"x{i}_invented", MEASURES) for i in range(3)]
    examples = ie.build_examples(paths)
    splits = ie.lopo_splits(examples)
    assert [doc for doc, _, _ in splits] == ["x0_invented", "x1_invented", "x2_invented"]
    for doc, train, test in splits:
        assert {e.doc_id for e in test} == {doc}
        assert doc not in {e.doc_id for e in train}
        assert len(train) + len(test) == len(examples) == 12


def test_blind_once_reads_blind_papers_only_as_totals(tmp_path):
    dev = ie.build_examples([_write(tmp_path, f"x{i}_dev", MEASURES, blind=False) for i in range(2)])
    blind_path = _write(tmp_path, "x9_blind", MEASURES, blind=True)
    blind = ie.examples_from(blind_path, blind_test=True)
    assert {e.doc_id for e in blind} == {"x9_blind"} and len(blind) == 4
    result = ie.blind_once(dev, blind)
    assert result["blind_papers"] == 1
    assert set(result["summary"]) == {"rules", f"model:{ie.MODEL}", "hybrid"}
    assert all(set(s) == {"right", "n", "accuracy", "macro"} and s["n"] == 4 for s in result["summary"].values())
    assert "rows" not in result and "per_paper" not in result      # no blind miss can be read from it
    with pytest.raises(AssertionError):
        ie.blind_once(dev + blind, blind)                            # never trains on a blind paper


def test_model_text_marks_the_quantity_and_cues(tmp_path):
    path = _write(tmp_path, "x1_invented", MEASURES)
    percent = ie.examples_from(path)[1]
    words = ie.model_text(percent, "words")
    assert "12%" not in words and "QTY_PERCENT" in words
    assert "L_credit" in words.split() and "R_on" in words.split()
    cued = ie.model_text(percent, "words+cues")
    assert f"RULE_{ie.rules_predict(percent)}" in cued.split()
    assert "CUE_tax_incentive" in cued.split()
    assert ie.model_text(percent, "context+cues").startswith("QTY_PERCENT ")


def test_scores_use_the_accepted_set():
    rows = [{"accepted": ["rd_funding", "investment"], "p": "investment"},
            {"accepted": ["indicator"], "p": "target"}]
    assert ie._acc(rows, "p") == {"right": 1, "n": 2, "accuracy": 0.5}
    assert ie.hybrid(ie.Labeled("d", "An invented sentence 5%.", "percent", ("indicator",), 21, 23, True),
                     "indicator", "target") == "target"
