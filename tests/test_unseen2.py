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

import pytest

from pipeline import validate

from conftest import ROOT
from unseen_harness import assert_final_labels, assert_holdout_floors, floor_problems, print_scores, run_and_score

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


@pytest.fixture(scope="module")
def tuned_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return run_and_score(UNSEEN2, tmp_path_factory.mktemp("unseen2"), PAPER_SUFFIXES)


@pytest.fixture(scope="module")
def holdout_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return run_and_score(HOLDOUT, tmp_path_factory.mktemp("unseen2_holdout"), PAPER_SUFFIXES)


@pytest.mark.parametrize("folder,count", [(UNSEEN2, 3), (HOLDOUT, 2)])
def test_every_paper_has_final_labels(folder, count):
    assert_final_labels(folder, PAPER_SUFFIXES, count)


def test_tuned_papers_meet_the_floors(tuned_scores, capsys):
    print_scores("unseen2 tuned", tuned_scores, capsys)
    total = validate.total_score(tuned_scores)
    assert floor_problems(total, MENTION_F1_FLOORS, MEASURES_F1_FLOOR, FIELD_ACCURACY_FLOORS) == []


def test_every_tuned_paper_finds_most_measures(tuned_scores):
    # A per-paper floor, so one paper cannot hide behind the others.
    for s in tuned_scores:
        assert s.measures is not None and s.measures.recall >= 0.6, (s.doc_id, s.measures)


def test_holdout_papers_meet_lower_floors(holdout_scores, capsys):
    print_scores("unseen2 holdout", holdout_scores, capsys)
    assert_holdout_floors(holdout_scores, HOLDOUT_FLOORS)
