"""The whole pipeline on five short "unseen" papers in styles the project had
not met (Indian state policy in Rs crore/lakh, an EU communication, a
Korea/Japan note in KRW/JPY, a UK/Canada/Australia budget brief in £/C$/A$,
a US federal/state mix with run-in headings).

Papers and hand labels live in tests/fixtures/unseen/ (labels written by
reading the text before any pipeline run). The pipeline runs once per module;
every paper is scored with pipeline.validate and the micro totals must meet
the floors below, which were set from what the pipeline honestly reached.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from pipeline import validate
from pipeline.run import run_corpus

from conftest import ROOT

UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
# Two more papers written and labeled after the link rules were tuned on the
# five above, scored once before any further change: the honest check that
# the rules carry over. Their floors are lower and were not tuned on.
HOLDOUT = UNSEEN / "holdout"
PAPER_SUFFIXES = {".md", ".txt"}

# Floors on the micro totals over all five papers (F1 for mention types and
# measures, accuracy for measure fields). Reached when set: MONEY 1.00,
# PERCENT 0.93, COUNTRY 1.00, measures 1.00, country 1.00, instrument 0.99,
# region 1.00, beneficiary 1.00; the floors leave room for the extract stage,
# which other engineers change in parallel.
MENTION_F1_FLOORS = {"MONEY": 0.9, "PERCENT": 0.85, "COUNTRY": 0.9}
MEASURES_F1_FLOOR = 0.9
FIELD_ACCURACY_FLOORS = {"country": 0.9, "instrument": 0.85, "region": 0.8, "beneficiary": 0.6}


# Reached when written: measures 1.00, country 1.00, instrument 0.92, region 1.00.
HOLDOUT_FLOORS = {"measures": 0.8, "country": 0.85, "instrument": 0.75}


def _papers(folder: Path = UNSEEN) -> list[Path]:
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
def unseen_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return _run_and_score(UNSEEN, tmp_path_factory.mktemp("unseen"))


@pytest.fixture(scope="module")
def holdout_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return _run_and_score(HOLDOUT, tmp_path_factory.mktemp("holdout"))


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


def test_every_unseen_paper_has_labels():
    papers = _papers()
    assert len(papers) == 5
    for p in papers:
        expected = validate.load_expectations(UNSEEN / f"{p.stem}.yaml")
        assert expected["doc_id"] == p.stem
        assert expected["status"] == "final"
        assert len(expected["measures"]) >= 15


def test_unseen_papers_meet_the_floors(unseen_scores, capsys):
    total = validate.total_score(unseen_scores)
    with capsys.disabled():
        print("\n" + _table(unseen_scores))
        for s in unseen_scores:
            for line in s.missed + s.field_errors:
                print(f"  {s.doc_id}: {line}")
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


def test_every_paper_yields_measures_with_evidence(unseen_scores):
    # Each paper finds most of its labeled measures (a per-paper floor, so one
    # paper cannot hide behind the others in the micro total).
    for s in unseen_scores:
        assert s.measures is not None and s.measures.recall >= 0.6, (s.doc_id, s.measures)


def test_holdout_papers_meet_lower_floors(holdout_scores, capsys):
    total = validate.total_score(holdout_scores)
    with capsys.disabled():
        print("\nholdout\n" + _table(holdout_scores))
        for s in holdout_scores:
            for line in s.missed + s.field_errors:
                print(f"  {s.doc_id}: {line}")
    assert total.measures is not None and len(holdout_scores) == 2
    assert total.measures.f1 >= HOLDOUT_FLOORS["measures"]
    assert total.fields["country"].accuracy >= HOLDOUT_FLOORS["country"]
    assert total.fields["instrument"].accuracy >= HOLDOUT_FLOORS["instrument"]
