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

import pytest

from pipeline import validate

from conftest import ROOT
from unseen_harness import assert_final_labels, assert_holdout_floors, floor_problems, print_scores, run_and_score

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


@pytest.fixture(scope="module")
def unseen_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return run_and_score(UNSEEN, tmp_path_factory.mktemp("unseen"), PAPER_SUFFIXES)


@pytest.fixture(scope="module")
def holdout_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return run_and_score(HOLDOUT, tmp_path_factory.mktemp("holdout"), PAPER_SUFFIXES)


def test_every_unseen_paper_has_labels():
    assert_final_labels(UNSEEN, PAPER_SUFFIXES, 5)


def test_unseen_papers_meet_the_floors(unseen_scores, capsys):
    print_scores("unseen", unseen_scores, capsys)
    total = validate.total_score(unseen_scores)
    assert floor_problems(total, MENTION_F1_FLOORS, MEASURES_F1_FLOOR, FIELD_ACCURACY_FLOORS) == []


def test_every_paper_yields_measures_with_evidence(unseen_scores):
    # Each paper finds most of its labeled measures (a per-paper floor, so one
    # paper cannot hide behind the others in the micro total).
    for s in unseen_scores:
        assert s.measures is not None and s.measures.recall >= 0.6, (s.doc_id, s.measures)


def test_holdout_papers_meet_lower_floors(holdout_scores, capsys):
    print_scores("holdout", holdout_scores, capsys)
    assert_holdout_floors(holdout_scores, HOLDOUT_FLOORS)
