"""Round 2 of "papers nobody has seen": five more short papers in styles the
project had not met (an HTML press release of a Latin American ministry in
R$/MXN, a Chinese five-year-plan summary in yuan/RMB, an African development
report in KES/NGN/ZAR with conversions, a German/Austrian Mittelstand note in
EUR, an Australian state budget brief in A$ with FY2024-25 and percentage
points).

Papers and hand labels live in tests/fixtures/unseen2/ (labels written by
reading the text before any pipeline run). The tuned set (three papers) was
used to find general fixes; the holdout set (two papers, holdout/) was written
and labeled first, scored once before any fix and once after, and never tuned
on. The pipeline runs once per set (module-scoped fixtures); the micro totals
must meet the floors below, set from what the pipeline honestly reached.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from pipeline import validate
from pipeline.run import run_corpus

from conftest import ROOT

UNSEEN2 = ROOT / "tests" / "fixtures" / "unseen2"
HOLDOUT = UNSEEN2 / "holdout"
PAPER_SUFFIXES = {".md", ".txt", ".html"}

# Floors on the tuned set's micro totals (F1 for mention types and measures,
# accuracy for measure fields). Before the round-2 fixes: MONEY 0.93, PERCENT
# 1.00, COUNTRY 1.00, measures 0.93, country 0.96, instrument 0.70. After:
# MONEY 1.00, PERCENT 1.00, COUNTRY 1.00, measures 1.00, country 0.98,
# instrument 0.95, region 1.00, beneficiary 1.00. The floors leave a margin
# for parallel work on other stages.
MENTION_F1_FLOORS = {"MONEY": 0.9, "PERCENT": 0.9, "COUNTRY": 0.9}
MEASURES_F1_FLOOR = 0.9
FIELD_ACCURACY_FLOORS = {"country": 0.9, "instrument": 0.85, "region": 0.8, "beneficiary": 0.6}

# Holdout floors, never tuned on. Scored before the fixes: measures 0.96,
# country 0.74, instrument 0.74, ORG 0.50; after: the same, ORG 0.62. Floors
# are those scores minus a margin.
HOLDOUT_FLOORS = {"measures": 0.85, "country": 0.65, "instrument": 0.65}


def _papers(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in PAPER_SUFFIXES)


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _run_and_score(folder: Path, tmp: Path) -> list[validate.PaperScore]:
    raw, out = tmp / "raw", tmp / "out"
    raw.mkdir()
    for p in _papers(folder):
        shutil.copyfile(p, raw / p.name)
    run_corpus(raw, out, workers=2, progress=False)
    mentions = _read_csv(out / "mentions.csv")
    measures = _read_csv(out / "measures.csv")
    scores = []
    for p in _papers(folder):
        expected = validate.load_expectations(folder / f"{p.stem}.yaml")
        doc = expected["doc_id"]
        scores.append(validate.score_paper(
            expected,
            [r for r in mentions if r.get("doc_id") == doc],
            [r for r in measures if r.get("doc_id") == doc]))
    return scores


@pytest.fixture(scope="module")
def tuned_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return _run_and_score(UNSEEN2, tmp_path_factory.mktemp("unseen2"))


@pytest.fixture(scope="module")
def holdout_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return _run_and_score(HOLDOUT, tmp_path_factory.mktemp("unseen2_holdout"))


def _table(scores: list[validate.PaperScore]) -> str:
    types = ["MONEY", "PERCENT", "COUNTRY", "REGION", "PROGRAM", "ORG", "DATE", "SECTOR"]
    fields = ["country", "region", "program", "org", "year", "sector", "instrument", "beneficiary"]
    head = ["paper"] + types + ["measures"] + [f"m.{f}" for f in fields]
    lines = [" | ".join(head)]
    for s in scores + [validate.total_score(scores)]:
        cells = [s.doc_id[:28]]
        cells += [f"{s.mentions[t].f1:.2f}" if t in s.mentions else "-" for t in types]
        cells.append(f"{s.measures.f1:.2f}" if s.measures is not None else "-")
        cells += [f"{s.fields[f].accuracy:.2f}/{s.fields[f].n}" if f in s.fields else "-" for f in fields]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def _print_scores(title: str, scores: list[validate.PaperScore], capsys) -> None:
    with capsys.disabled():
        print(f"\n{title}\n" + _table(scores))
        for s in scores:
            for line in s.missed + s.field_errors:
                print(f"  {s.doc_id}: {line}")


@pytest.mark.parametrize("folder,count", [(UNSEEN2, 3), (HOLDOUT, 2)])
def test_every_paper_has_final_labels(folder, count):
    papers = _papers(folder)
    assert len(papers) == count
    for p in papers:
        expected = validate.load_expectations(folder / f"{p.stem}.yaml")
        assert expected["doc_id"] == p.stem
        assert expected["status"] == "final"
        assert len(expected["measures"]) >= 15


def test_tuned_papers_meet_the_floors(tuned_scores, capsys):
    _print_scores("unseen2 tuned", tuned_scores, capsys)
    total = validate.total_score(tuned_scores)
    problems = []
    for mtype, floor in MENTION_F1_FLOORS.items():
        if total.mentions[mtype].f1 < floor:
            problems.append(f"{mtype} F1 {total.mentions[mtype].f1:.3f} < {floor}")
    assert total.measures is not None
    if total.measures.f1 < MEASURES_F1_FLOOR:
        problems.append(f"measures F1 {total.measures.f1:.3f} < {MEASURES_F1_FLOOR}")
    for fname, floor in FIELD_ACCURACY_FLOORS.items():
        if total.fields[fname].accuracy < floor:
            problems.append(f"measure.{fname} accuracy {total.fields[fname].accuracy:.3f} < {floor}")
    assert problems == []


def test_every_tuned_paper_finds_most_measures(tuned_scores):
    # A per-paper floor, so one paper cannot hide behind the others.
    for s in tuned_scores:
        assert s.measures is not None and s.measures.recall >= 0.6, (s.doc_id, s.measures)


def test_holdout_papers_meet_lower_floors(holdout_scores, capsys):
    _print_scores("unseen2 holdout", holdout_scores, capsys)
    total = validate.total_score(holdout_scores)
    assert total.measures is not None and len(holdout_scores) == 2
    assert total.measures.f1 >= HOLDOUT_FLOORS["measures"]
    assert total.fields["country"].accuracy >= HOLDOUT_FLOORS["country"]
    assert total.fields["instrument"].accuracy >= HOLDOUT_FLOORS["instrument"]
