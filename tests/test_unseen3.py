"""Round 3 of "papers nobody has seen": five short papers in styles and places
the project had not met, all held out (tests/fixtures/unseen3/holdout/):

- gcc_industrial_strategies.md: a Gulf policy brief with a section per
  country (Saudi Arabia, UAE, Qatar, Oman) in SAR/AED/QAR/OMR with USD
  conversions, an emirate-level actor, changes and ranges of amounts;
- eu_state_aid_roundup.txt: an EU state-aid roundup with run-in country
  headings ("Poland. The Commission approved ...") in PLN/CZK/SEK with EUR
  conversions, "ranges from 30% to 60%" next to "raised from 25% to 40%";
- in_pli_pib_release.html: an Indian Press Information Bureau release on the
  PLI schemes in "Rs." lakh crore / crore, fiscal years, eligibility
  thresholds, counts of approved applicants, a three-country comparison;
- tw_sg_il_rd_tax_incentives.txt: an academic working paper (author block,
  abstract, keywords, numbered sections, references) on R&D tax incentives in
  Taiwan, Singapore and Israel in NT$/S$/NIS, with "respectively" statistics;
- uk_budget_innovation_chapter.md: a UK Budget chapter with numbered
  paragraphs, "per cent", devolved nations and English city regions.

Labels were written by reading each text (per /work/shared/ANNOTATION_GUIDE.md
and docs/EXPECTATIONS.md) before the pipeline ever ran on it. Nobody tunes
rules on these papers. The pipeline runs once (module-scoped fixture); the
micro totals must meet the floors below, set just under the scores of its
first scoring run (recorded here).

First run (micro totals over the five papers, before any change):
  F1: MONEY 0.99, PERCENT 0.94, COUNTRY 1.00, REGION 0.74, PROGRAM 0.74,
  ORG 0.84, DATE 0.97, SECTOR 0.88, measures 0.94 (P 0.96, R 0.92);
  field accuracy (n): country 0.96 (135), region 0.43 (14), program 0.73 (67),
  org 0.75 (32), year 1.00 (51), sector 0.56 (18), instrument 0.80 (135),
  beneficiary 0.28 (18).
After that run three labels were corrected because they contradicted
docs/EXPECTATIONS.md (SIDF and PIF also optional PROGRAMs, "a fund is both";
Institutes of Technology an optional ORG, like universities); none of the
floored items below depends on them.

Not blind any more: after the first run the lead engineer read the error
patterns the labeler reported (counts of unknown nouns, "ranges from X to Y",
"respectively", NIS, names with years, "Greater <city>", changes with a
complement) and fixed them with general rules; the synthetic tests that pin
those rules use other words and numbers. The scores above are the honest
held-out numbers; the floors below guard against regressions only. New
held-out text must be written by someone who has not seen the rules.
"""
from __future__ import annotations

import pytest

from pipeline import validate

from conftest import ROOT
from test_validate import perfect_predictions
from unseen_harness import assert_final_labels, floor_problems, papers, print_scores, run_and_score

HOLDOUT = ROOT / "tests" / "fixtures" / "unseen3" / "holdout"
PAPER_SUFFIXES = {".md", ".txt", ".html"}

# Floors: the first-run micro scores above minus a margin of 0.07-0.09 (never
# above them), for parallel work on other stages. Held out: when a floor
# fails, read the paper's misses as a symptom of a general rule, never tune
# cue words or vocabularies on these papers.
MENTION_F1_FLOORS = {"MONEY": 0.9, "PERCENT": 0.86, "COUNTRY": 0.92}
MEASURES_F1_FLOOR = 0.86
FIELD_ACCURACY_FLOORS = {"country": 0.88, "instrument": 0.72}


@pytest.fixture(scope="module")
def holdout_scores(tmp_path_factory) -> list[validate.PaperScore]:
    return run_and_score(HOLDOUT, tmp_path_factory.mktemp("unseen3_holdout"), PAPER_SUFFIXES)


def test_every_paper_has_final_labels():
    assert_final_labels(HOLDOUT, PAPER_SUFFIXES, 5)
    assert {p.suffix for p in papers(HOLDOUT, PAPER_SUFFIXES)} == PAPER_SUFFIXES


@pytest.mark.parametrize("paper", papers(HOLDOUT, PAPER_SUFFIXES), ids=lambda p: p.stem)
def test_a_flawless_pipeline_scores_one_on_these_labels(paper):
    # Catches a label the matchers cannot match (the same check test_validate
    # runs on tests/expectations).
    exp = validate.load_expectations(HOLDOUT / f"{paper.stem}.yaml")
    mentions, measures = perfect_predictions(exp)
    s = validate.score_paper(exp, mentions, measures)
    assert all(c.f1 == 1.0 for c in s.mentions.values()), s.missed
    assert s.measures is not None and s.measures.f1 == 1.0, s.missed
    assert all(f.accuracy == 1.0 for f in s.fields.values()), s.field_errors


def test_holdout_papers_meet_the_floors(holdout_scores, capsys):
    print_scores("unseen3 holdout", holdout_scores, capsys)
    total = validate.total_score(holdout_scores)
    with capsys.disabled():
        for s in holdout_scores:
            for line in s.spurious:
                print(f"  {s.doc_id}: spurious {line}")
        print("micro totals: " + ", ".join(
            f"{k} P {c.precision:.2f} R {c.recall:.2f} F1 {c.f1:.2f}"
            for k, c in list(total.mentions.items()) + [("measures", total.measures)]))
    assert floor_problems(total, MENTION_F1_FLOORS, MEASURES_F1_FLOOR, FIELD_ACCURACY_FLOORS) == []
