"""Shared harness of the "unseen papers" tests (test_unseen.py, test_unseen2.py):
run the whole pipeline on a folder of labeled papers, score every paper with
pipeline.validate, print a score table and check micro totals against floors.
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from pipeline import validate
from pipeline.run import run_corpus

TABLE_TYPES = ["MONEY", "PERCENT", "COUNTRY", "REGION", "PROGRAM", "ORG", "DATE", "SECTOR"]
TABLE_FIELDS = ["country", "region", "program", "org", "year", "sector", "instrument", "beneficiary"]


def papers(folder: Path, suffixes: set[str]) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in suffixes)


def _read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def run_and_score(folder: Path, tmp: Path, suffixes: set[str]) -> list[validate.PaperScore]:
    raw, out = tmp / "raw", tmp / "out"
    raw.mkdir()
    for p in papers(folder, suffixes):
        shutil.copyfile(p, raw / p.name)
    run_corpus(raw, out, workers=2, progress=False)
    mentions = _read_csv(out / "mentions.csv")
    measures = _read_csv(out / "measures.csv")
    scores = []
    for p in papers(folder, suffixes):
        expected = validate.load_expectations(folder / f"{p.stem}.yaml")
        doc = expected["doc_id"]
        scores.append(validate.score_paper(
            expected,
            [r for r in mentions if r.get("doc_id") == doc],
            [r for r in measures if r.get("doc_id") == doc]))
    return scores


def assert_final_labels(folder: Path, suffixes: set[str], count: int) -> None:
    found = papers(folder, suffixes)
    assert len(found) == count
    for p in found:
        expected = validate.load_expectations(folder / f"{p.stem}.yaml")
        assert expected["doc_id"] == p.stem
        assert expected["status"] == "final"
        assert len(expected["measures"]) >= 15


def table(scores: list[validate.PaperScore]) -> str:
    head = ["paper"] + TABLE_TYPES + ["measures"] + [f"m.{f}" for f in TABLE_FIELDS]
    lines = [" | ".join(head)]
    for s in scores + [validate.total_score(scores)]:
        cells = [s.doc_id[:28]]
        cells += [f"{s.mentions[t].f1:.2f}" if t in s.mentions else "-" for t in TABLE_TYPES]
        cells.append(f"{s.measures.f1:.2f}" if s.measures is not None else "-")
        cells += [f"{s.fields[f].accuracy:.2f}/{s.fields[f].n}" if f in s.fields else "-"
                  for f in TABLE_FIELDS]
        lines.append(" | ".join(cells))
    return "\n".join(lines)


def print_scores(title: str, scores: list[validate.PaperScore], capsys) -> None:
    with capsys.disabled():
        print(f"\n{title}\n" + table(scores))
        for s in scores:
            for line in s.missed + s.field_errors:
                print(f"  {s.doc_id}: {line}")


def floor_problems(total: validate.PaperScore, mention_f1_floors: dict[str, float],
                   measures_f1_floor: float, field_accuracy_floors: dict[str, float]) -> list[str]:
    """Every micro total below its floor, as a readable line (empty when all pass)."""
    problems = []
    for mtype, floor in mention_f1_floors.items():
        if total.mentions[mtype].f1 < floor:
            problems.append(f"{mtype} F1 {total.mentions[mtype].f1:.3f} < {floor}")
    assert total.measures is not None
    if total.measures.f1 < measures_f1_floor:
        problems.append(f"measures F1 {total.measures.f1:.3f} < {measures_f1_floor}")
    for fname, floor in field_accuracy_floors.items():
        if total.fields[fname].accuracy < floor:
            problems.append(f"measure.{fname} accuracy {total.fields[fname].accuracy:.3f} < {floor}")
    return problems


def assert_holdout_floors(scores: list[validate.PaperScore], floors: dict[str, float]) -> None:
    total = validate.total_score(scores)
    assert total.measures is not None and len(scores) == 2
    assert total.measures.f1 >= floors["measures"]
    assert total.fields["country"].accuracy >= floors["country"]
    assert total.fields["instrument"].accuracy >= floors["instrument"]
