"""scripts/cue_ablation.py: dev papers only, every cue rule a unit, removal restored, real deltas.

Sentences here are invented; the ablation itself runs with ``make cue-ablation``.
"""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

from linkdoc import build_doc
from scripts_module import load_script
from pipeline import io
from pipeline.link import load_cues
from pipeline.records import to_dict

ca = load_script("cue_ablation")

# "Raise dock workers' benefits by 6 percent" is spending only through INSTR-INVEST-SPENDING-RAISED-BY
PARAGRAPHS = [("", "Raise dock workers’ benefits by {PERCENT value=6|6 percent}.")]
LABEL = textwrap.dedent("""\
    doc_id: {doc_id}
    status: final
    blind: {blind}
    measures:
      - quantity_type: percent
        value: 6
        instrument: investment
        evidence: "Raise dock workers’ benefits by 6 percent."
    """)


def _paper(expectations: Path, out_dir: Path, doc_id: str, blind: bool) -> None:
    parsed, mentions = build_doc(PARAGRAPHS, doc_id=doc_id)
    io.write_json(out_dir / "parsed" / f"{doc_id}.json", to_dict(parsed))
    io.write_jsonl(out_dir / "mentions" / f"{doc_id}.jsonl", [to_dict(m) for m in mentions])
    (expectations / f"{doc_id}.yaml").write_text(
        LABEL.format(doc_id=doc_id, blind="true" if blind else "false"), encoding="utf-8")


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    expectations, out_dir = tmp_path / "expectations", tmp_path / "out"
    for sub in (expectations, out_dir / "parsed", out_dir / "mentions"):
        sub.mkdir(parents=True)
    _paper(expectations, out_dir, "x1_dev", blind=False)
    _paper(expectations, out_dir, "x2_blind", blind=True)
    return expectations, out_dir


def test_blind_papers_are_refused(tmp_path):
    expectations, out_dir = _corpus(tmp_path)
    assert [p.doc_id for p in ca.dev_papers(expectations, out_dir)] == ["x1_dev"]


def test_every_rule_is_a_unit_and_removal_is_undone():
    cues = load_cues()
    units = ca.ablation_units(cues)
    ids = [u.rule for u in units]
    assert len(ids) == len(set(ids))
    assert {c.id for cl in cues.classes.values() for c in cl} <= set(ids)
    assert "INSTR-TARGET-FORECAST-VERB" in ids          # a reinterpretation (instrument_cues.yaml)
    before = {cls: len(cl) for cls, cl in cues.classes.items()}
    with ca.without(cues, ca.Unit("INSTR-INVEST-SPENDING-RAISED-BY")):
        assert all(c.id != "INSTR-INVEST-SPENDING-RAISED-BY" for c in cues.classes["investment"])
    assert {cls: len(cl) for cls, cl in cues.classes.items()} == before
    words = ca.ablation_units(cues, words=True)
    assert any(u.rule == "INSTR-TAX-WORDS" and u.word for u in words)


def test_the_deciding_rule_shows_its_worth(tmp_path):
    expectations, out_dir = _corpus(tmp_path)
    papers = ca.dev_papers(expectations, out_dir)
    base = ca.score(papers)
    assert base == {"x1_dev": (1, 1)}
    with ca.without(load_cues(), ca.Unit("INSTR-INVEST-SPENDING-RAISED-BY")):
        variant = ca.score(papers)
    row = ca.compare(base, variant)
    assert row == {"instrument": -1, "all_fields": -1, "papers_up": 0, "papers_down": 1,
                   "per_paper": {"x1_dev": -1}}
    assert ca.score(papers) == base          # restored


def test_main_writes_sorted_rows(tmp_path, monkeypatch):
    expectations, out_dir = _corpus(tmp_path)
    monkeypatch.setattr(ca, "EXPECTATIONS", expectations)
    keep = {"INSTR-INVEST-SPENDING-RAISED-BY", "INSTR-TAX-WORDS"}
    monkeypatch.setattr(ca, "ablation_units", lambda cues, words=False: [ca.Unit(r) for r in sorted(keep)])
    result = ca.run(out_dir, expectations=expectations)
    assert result["papers"] == 1 and result["base"] == {"instrument": 1, "all_fields": 1}
    assert [(r["rule"], r["instrument"]) for r in result["units"]] == [
        ("INSTR-TAX-WORDS", 0), ("INSTR-INVEST-SPENDING-RAISED-BY", -1)]
    assert json.loads(json.dumps(result)) == result
