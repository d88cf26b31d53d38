"""The scorer, the expectations schema, and the validate/check commands."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml

from pipeline.io import write_csv
from pipeline.records import INSTRUMENTS, MENTION_TYPES, TABLE_COLUMNS
from pipeline import validate as v

EXPECTATIONS_DIR = Path(__file__).parent / "expectations"
FIXTURES = Path(__file__).parent / "fixtures"
LABEL_FILES = sorted(p for p in EXPECTATIONS_DIR.glob("*.yaml") if p.name != "thresholds.yaml")


# ------------------------------------------------------------ helpers

def mention(mtype: str, **kw) -> dict:
    row = {c: "" for c in TABLE_COLUMNS["mentions"]}
    row.update(type=mtype, doc_id="p")
    row.update({k: str(val) for k, val in kw.items()})
    return row


def measure(**kw) -> dict:
    row = {c: "" for c in TABLE_COLUMNS["measures"]}
    row.update(doc_id="p")
    row.update({k: str(val) for k, val in kw.items()})
    return row


def first(value):
    return value[0] if isinstance(value, list) else value


def perfect_predictions(exp: dict) -> tuple[list[dict], list[dict]]:
    """Rows a flawless pipeline would write for the required labels."""
    mentions = []
    for mtype, items in (exp.get("mentions") or {}).items():
        for item in items or []:
            if item.get("optional"):
                continue
            kw = {k: item[k] for k in ("iso3", "value", "currency", "low", "high", "from_value",
                                       "approx", "year", "month") if item.get(k) not in (None, "")}
            name = item.get("canonical") or item.get("name")
            if name:
                kw["canonical"] = name
                kw["text"] = name
            mentions.append(mention(mtype, **kw))
    measures = []
    for m in exp.get("measures") or []:
        if m.get("optional"):
            continue
        measures.append(measure(**{k: first(val) for k, val in m.items()
                                   if k not in ("optional", "note") and first(val) is not None}))
    return mentions, measures


# ------------------------------------------------ the real hand labels

@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.stem)
def test_every_expectations_file_follows_the_schema(path: Path) -> None:
    exp = v.load_expectations(path)
    assert exp["doc_id"] == path.stem
    assert exp["status"] in v.STATUSES
    assert exp.get("source") and exp.get("labeled_by")
    assert set(exp["mentions"]) <= set(MENTION_TYPES)
    for m in exp["measures"]:
        assert m["quantity_type"] in v.QUANTITY_TYPES
        for inst in m.get("instrument", []) if isinstance(m.get("instrument"), list) else [m.get("instrument")]:
            assert inst is None or inst in INSTRUMENTS
    # a final paper states its countries and dates, if only as "none" ([]:
    # a state budget whose running header alone names the country)
    if exp["status"] == "final":
        assert "COUNTRY" in exp["mentions"], "a final paper labels its countries"
        assert "DATE" in exp["mentions"], "a final paper labels its dates"
        assert exp["mentions"]["COUNTRY"] or exp["mentions"]["COUNTRY"] == [] and exp["measures"]


def test_the_labeled_papers_are_final() -> None:
    finals = {p.stem for p in LABEL_FILES if v.load_expectations(p)["status"] == "final"}
    assert {"000_5339488b9e4b4fe2", "02_icdar2013-eu-014_cedefop-finland-vet-financing",
            "08_tabula-labor_bls-employment-projections-2020",
            "05_tabula-us-017_nni-nanotechnology-report",
            "01_icdar2013-eu-004_eu-retail-market-structure",
            "03_icdar2013-eu-008_eib-jaspers-evaluation",
            "04_icdar2013-us-026_usgs-mcs-abrasives-manufactured",
            "06_pdfplumber_federal-register-2020-17221",
            "07_pdfminer_irs-i1040nr-2007-instructions"} <= finals


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.stem)
def test_a_flawless_pipeline_scores_one_on_every_label(path: Path) -> None:
    exp = v.load_expectations(path)
    mentions, measures = perfect_predictions(exp)
    score = v.score_paper(exp, mentions, measures)
    for mtype, counts in score.mentions.items():
        assert (counts.fp, counts.fn, counts.f1) == (0, 0, 1.0), (mtype, score.missed, score.spurious)
    assert score.measures is not None and score.measures.f1 == 1.0, score.missed
    for fname, acc in score.fields.items():
        assert acc.accuracy == 1.0, (fname, score.field_errors)


def test_seed_labels_hold_the_guides_worked_examples() -> None:
    exp = v.load_expectations(EXPECTATIONS_DIR / "000_5339488b9e4b4fe2.yaml")
    money = {(m["value"], m["currency"]) for m in exp["mentions"]["MONEY"]}
    assert (1.2e8, "EUR") in money and (4.5e9, "JPY") in money
    percents = exp["mentions"]["PERCENT"]
    assert {"value": 25, "from_value": 35} in percents
    assert {"value": 10, "low": 8, "high": 10} in percents
    assert {m["iso3"] for m in exp["mentions"]["COUNTRY"]} == {"USA", "DEU", "JPN", "CHN", "EUU"}
    # the affiliation's city is metadata, not a region of the body
    assert "wuhan" not in {v.norm_name(r["name"]) for r in exp["mentions"]["REGION"]}


def test_thresholds_config_is_well_formed() -> None:
    config = v.load_thresholds(EXPECTATIONS_DIR / "thresholds.yaml")
    labeled = {p.stem for p in LABEL_FILES}
    assert set(config["papers"]) <= labeled
    for block in [config["default"], config.get("total") or {}, *config["papers"].values()]:
        assert set(block) <= {"mentions", "measures", "fields", "min_n"}
        assert set(block.get("mentions") or {}) <= set(MENTION_TYPES)
        assert set(block.get("fields") or {}) <= set(v.MEASURE_FIELDS)
        numbers = list((block.get("mentions") or {}).values()) + list((block.get("fields") or {}).values())
        numbers += [block["measures"]] if block.get("measures") is not None else []
        assert all(0.0 <= x <= 1.0 for x in numbers)
    paper = "05_tabula-us-017_nni-nanotechnology-report"
    merged = v.thresholds_for(config, paper)
    override = config["papers"][paper]["mentions"]["SECTOR"]
    assert override != config["default"]["mentions"]["SECTOR"]
    assert merged["mentions"]["SECTOR"] == override          # override
    assert merged["mentions"]["MONEY"] == config["default"]["mentions"]["MONEY"]   # inherited


# ------------------------------------------------------- schema checks

def test_schema_problems_name_each_broken_field() -> None:
    bad = {"doc_id": "x", "status": "done",
           "mentions": {"MONEY": [{"value": "ten", "currency": "euro"}], "CITY": []},
           "measures": [{"quantity_type": "cash", "value": 1, "instrument": "grant"}]}
    problems = " | ".join(v.schema_problems(bad))
    for needle in ("status must be", "MONEY[0].value must be a number", "ISO 4217",
                   "unknown mention type 'CITY'", "quantity_type must be", "'grant' not in"):
        assert needle in problems


def test_missing_expectations_file_gives_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(v.ExpectationError, match="no such expectations file"):
        v.load_expectations(tmp_path / "nope.yaml")


def test_broken_fixture_file_is_rejected() -> None:
    with pytest.raises(v.ExpectationError, match="needs 'iso3'"):
        v.load_expectations(FIXTURES / "validate_broken.yaml")


# ---------------------------------------------------- mention scoring

def test_exact_set_matching_counts_each_item_once() -> None:
    exp = {"doc_id": "p", "mentions": {"COUNTRY": [{"iso3": "USA"}, {"iso3": "DEU"}]}}
    rows = [mention("COUNTRY", iso3="USA", text="U.S."), mention("COUNTRY", iso3="USA", text="United States"),
            mention("COUNTRY", iso3="FRA", text="France"), mention("COUNTRY", iso3="FRA", text="French")]
    c = v.score_paper(exp, rows, []).mentions["COUNTRY"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    assert c.precision == 0.5 and c.recall == 0.5 and c.f1 == 0.5


def test_program_matches_by_alias_canonical_or_text() -> None:
    exp = {"doc_id": "p", "mentions": {"PROGRAM": [
        {"canonical": "Industry 4.0", "aliases": ["Industrie 4.0"]},
        {"canonical": "Made in China 2025"}]}}
    rows = [mention("PROGRAM", canonical="industrie 4.0", text="Industrie 4.0"),
            mention("PROGRAM", canonical="MIC2025", text="the Made in China 2025"),
            mention("PROGRAM", canonical="Some Plan", text="Some Plan")]
    c = v.score_paper(exp, rows, []).mentions["PROGRAM"]
    assert (c.tp, c.fp, c.fn) == (2, 1, 0)


def test_optional_items_count_on_neither_side() -> None:
    exp = {"doc_id": "p", "mentions": {"ORG": [
        {"canonical": "National Science Foundation", "aliases": ["NSF"]},
        {"canonical": "Japanese government", "optional": True}]}}
    found_optional = v.score_paper(exp, [mention("ORG", canonical="NSF"),
                                         mention("ORG", canonical="Japanese government")], []).mentions["ORG"]
    missed_optional = v.score_paper(exp, [mention("ORG", canonical="NSF")], []).mentions["ORG"]
    assert (found_optional.tp, found_optional.fp, found_optional.fn) == (1, 0, 0)
    assert (missed_optional.tp, missed_optional.fp, missed_optional.fn) == (1, 0, 0)


def test_money_needs_value_within_tolerance_and_the_currency() -> None:
    exp = {"doc_id": "p", "mentions": {"MONEY": [{"value": 1.2e8, "currency": "EUR"},
                                                 {"value": 4.5e9, "currency": "JPY"}]}}
    rows = [mention("MONEY", value="120000000.00001", currency="EUR"),
            mention("MONEY", value="4500000000", currency="USD")]
    score = v.score_paper(exp, rows, [])
    c = score.mentions["MONEY"]
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    assert any("JPY" in m for m in score.missed)


def test_percent_change_and_range_must_carry_their_bounds() -> None:
    exp = {"doc_id": "p", "mentions": {"PERCENT": [{"value": 25, "from_value": 35},
                                                   {"value": 10, "low": 8, "high": 10}]}}
    plain = [mention("PERCENT", value=25), mention("PERCENT", value=10)]
    full = [mention("PERCENT", value=25, from_value=35), mention("PERCENT", value=10, low=8, high=10)]
    assert v.score_paper(exp, plain, []).mentions["PERCENT"].tp == 0
    assert v.score_paper(exp, full, []).mentions["PERCENT"].f1 == 1.0
    # a third, rounded in the label, still matches the parser's float
    third = {"doc_id": "p", "mentions": {"PERCENT": [{"value": 33.33}]}}
    assert v.score_paper(third, [mention("PERCENT", value=100 / 3)], []).mentions["PERCENT"].tp == 1


def test_dates_match_by_year_and_regions_by_normalized_name() -> None:
    exp = {"doc_id": "p", "mentions": {"DATE": [{"year": 2016, "month": 3}],
                                       "REGION": [{"name": "Southeast Asia", "aliases": ["Southeast Asian"]}]}}
    rows = [mention("DATE", year="2016", month="3"), mention("DATE", year="2025"),
            mention("REGION", text="Southeast Asian", canonical="")]
    s = v.score_paper(exp, rows, [])
    assert (s.mentions["DATE"].tp, s.mentions["DATE"].fp) == (1, 1)
    assert s.mentions["REGION"].f1 == 1.0


def test_empty_paper_has_defined_scores() -> None:
    exp = {"doc_id": "p", "mentions": {t: [] for t in MENTION_TYPES}, "measures": []}
    s = v.score_paper(exp, [], [])
    for c in s.mentions.values():
        assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0)
    assert s.measures.f1 == 1.0 and s.fields == {}
    # labeled types with nothing predicted: recall 0, no crash
    labeled = {"doc_id": "p", "mentions": {"MONEY": [{"value": 5, "currency": "USD"}]}}
    c = v.score_paper(labeled, [], []).mentions["MONEY"]
    assert (c.precision, c.recall, c.f1) == (1.0, 0.0, 0.0)


def test_unlabeled_types_are_not_scored() -> None:
    exp = {"doc_id": "p", "mentions": {"COUNTRY": [{"iso3": "USA"}]}}
    s = v.score_paper(exp, [mention("COUNTRY", iso3="USA"), mention("SECTOR", canonical="robotics")], [])
    assert set(s.mentions) == {"COUNTRY"} and s.measures is None


# ---------------------------------------------------- measure scoring

def test_measures_match_one_to_one_and_evidence_breaks_ties() -> None:
    exp = {"doc_id": "p", "mentions": {}, "measures": [
        {"quantity_type": "percent", "value": 2.9, "year": 2010, "evidence": "output grows 2.9 percent during 2010"},
        {"quantity_type": "percent", "value": 2.9, "year": 2020, "evidence": "a yearly rise of 2.9 percent in 2020"}]}
    rows = [measure(quantity_type="percent", value="2.9", year="2020", evidence="reach $6.1 trillion in 2020, a yearly rise of 2.9 percent"),
            measure(quantity_type="percent", value="2.9", year="2010", evidence="real output grows 2.9 percent during 2010"),
            measure(quantity_type="percent", value="2.9", year="2010", evidence="a third, unrelated 2.9 percent")]
    s = v.score_paper(exp, [], rows)
    assert (s.measures.tp, s.measures.fp, s.measures.fn) == (2, 1, 0)
    assert s.fields["year"].accuracy == 1.0          # paired by evidence, not by row order
    assert v.match_measures(exp["measures"], rows) == [(0, 1), (1, 0)]


def test_a_label_quoting_part_of_a_long_sentence_pairs_with_the_row_that_holds_the_quote() -> None:
    # a schedule repeated in the next sentence: the long sentence holds the label's quote, the
    # short repeat shares a larger share of its own words with it (the old Jaccard choice)
    quote = "(b) the levy payable on dues from international shipping shall be 3 per cent"
    long_sentence = ("(4) From 2031, (a) the levy payable by a small yard shall be 4 per cent; and " + quote
                     + "; and (c) the levy payable by a dock shall be 2 per cent, each on dues paid in the year")
    exp = {"doc_id": "p", "mentions": {}, "measures": [
        {"quantity_type": "percent", "value": 3, "sector": "logistics", "evidence": quote}]}
    rows = [measure(quantity_type="percent", value="3", sector="",
                    evidence="(5) The levy payable by a firm named in subsection (4) shall be 3 per cent"),
            measure(quantity_type="percent", value="3", sector="logistics", evidence=long_sentence)]
    assert v.match_measures(exp["measures"], rows) == [(0, 1)]
    assert v.evidence_overlap(quote, long_sentence)[0] == 1.0


def test_field_accuracy_scores_only_labeled_keys() -> None:
    exp = {"doc_id": "p",
           "mentions": {"PROGRAM": [{"canonical": "Industry 4.0", "aliases": ["Industrie 4.0"]}]},
           "measures": [
               {"quantity_type": "money", "value": 1.2e8, "currency": "EUR", "country": "DEU",
                "program": "Industry 4.0", "instrument": "rd_funding", "org": ""},
               {"quantity_type": "money", "value": 1e11, "currency": "JPY", "country": "JPN",
                "year": [2015, ""], "beneficiary": "research institutes and universities"}]}
    rows = [measure(quantity_type="money", value="120000000", currency="EUR", country="DEU",
                    program="Industrie 4.0", instrument="investment", org="BMBF", sector="robotics"),
            measure(quantity_type="money", value="1e11", currency="JPY", country="CHN",
                    beneficiary="universities")]
    s = v.score_paper(exp, [], rows)
    acc = {k: (a.correct, a.n) for k, a in s.fields.items()}
    assert acc == {"country": (1, 2), "program": (1, 1), "instrument": (0, 1), "org": (0, 1),
                   "year": (1, 1), "beneficiary": (1, 1)}
    assert "sector" not in s.fields                 # absent key: not scored


@pytest.mark.parametrize("expected, predicted, right", [
    (["dock owners", ""], "", True),                 # "" in the list: an empty cell is accepted
    (["dock owners", ""], "small dock owners", True),
    (["dock owners", ""], "ferry crews", False),      # "" accepts an empty cell, not any phrase
    ("dock owners", "", False),
    ("", "", True),
    ("", "dock owners", False),
])
def test_beneficiary_accepts_an_empty_cell_only_where_the_label_lists_it(expected, predicted, right) -> None:
    assert v.field_correct("beneficiary", expected, predicted, {}) is right


def test_all_fields_right_counts_a_measure_only_when_every_labeled_field_is_right() -> None:
    exp = {"doc_id": "p", "measures": [
        {"quantity_type": "money", "value": 5e6, "currency": "EUR", "country": "FRA", "year": 2021},
        {"quantity_type": "percent", "value": 12, "country": "FRA", "instrument": "target"},
        {"quantity_type": "count", "value": 40, "country": "FRA"}]}
    rows = [measure(quantity_type="money", value="5000000", currency="EUR", country="FRA", year="2021"),
            measure(quantity_type="percent", value="12", country="FRA", instrument="indicator"),
            measure(quantity_type="percent", value="99", country="FRA")]
    s = v.score_paper(exp, [], rows)
    assert (s.measures.tp, s.measures.fp, s.measures.fn) == (2, 1, 1)
    # One measure fully right; the percent with a wrong instrument counts as a
    # wrong row and a missed right one.
    assert (s.all_fields.tp, s.all_fields.fp, s.all_fields.fn) == (1, 2, 2)
    assert v.total_score([s, s]).all_fields.tp == 2


def test_money_measure_with_wrong_currency_is_not_a_match() -> None:
    exp = {"doc_id": "p", "measures": [{"quantity_type": "money", "value": 1e9, "currency": "USD"}]}
    s = v.score_paper(exp, [], [measure(quantity_type="money", value="1e9", currency="EUR")])
    assert (s.measures.tp, s.measures.fp, s.measures.fn) == (0, 1, 1)


def test_predicted_measure_matching_an_optional_one_is_not_a_false_positive() -> None:
    exp = {"doc_id": "p", "measures": [{"quantity_type": "count", "value": 8, "optional": True}]}
    s = v.score_paper(exp, [], [measure(quantity_type="count", value="8")])
    assert (s.measures.tp, s.measures.fp, s.measures.fn) == (0, 0, 0)


def test_totals_are_micro_sums() -> None:
    a = v.PaperScore("a", mentions={"COUNTRY": v.Counts(tp=1, fp=0, fn=1)})
    b = v.PaperScore("b", mentions={"COUNTRY": v.Counts(tp=3, fp=1, fn=0)})
    c = v.total_score([a, b]).mentions["COUNTRY"]
    assert (c.tp, c.fp, c.fn) == (4, 1, 1) and c.precision == 0.8


# ---------------------------------------------------- the commands

PAPER = "p1"
LABEL = {
    "doc_id": PAPER, "status": "final", "source": "raw/p1.txt", "labeled_by": "test",
    "mentions": {"COUNTRY": [{"iso3": "DEU"}], "MONEY": [{"value": 1.2e8, "currency": "EUR"}]},
    "measures": [{"quantity_type": "money", "value": 1.2e8, "currency": "EUR", "country": "DEU",
                  "evidence": "committed 120 million euros"}],
}


def make_run(tmp_path: Path, label: dict | None = LABEL, status: str = "ok",
             thresholds: dict | None = None, extra_docs: tuple[str, ...] = ()) -> tuple[Path, Path, Path]:
    out, exp_dir, raw = tmp_path / "output", tmp_path / "expectations", tmp_path / "raw"
    for d in (out, exp_dir, raw):
        d.mkdir()
    docs = [{"doc_id": PAPER, "source_file": "p1.txt", "format": "txt", "status": status,
             "error": "boom" if status == "error" else ""}]
    docs += [{"doc_id": d, "source_file": f"{d}.txt", "format": "txt", "status": "ok"} for d in extra_docs]
    for d in docs:
        (raw / d["source_file"]).write_text("x", encoding="utf-8")
    write_csv(out / "documents.csv", TABLE_COLUMNS["documents"], docs)
    write_csv(out / "mentions.csv", TABLE_COLUMNS["mentions"], [
        mention("COUNTRY", doc_id=PAPER, iso3="DEU", text="Germany"),
        mention("MONEY", doc_id=PAPER, value=120000000, currency="EUR", text="120 million euros")])
    write_csv(out / "measures.csv", TABLE_COLUMNS["measures"], [
        measure(doc_id=PAPER, quantity_type="money", value=120000000, currency="EUR", country="DEU",
                evidence="has since committed 120 million euros")])
    if label is not None:
        (exp_dir / f"{label['doc_id']}.yaml").write_text(yaml.safe_dump(label), encoding="utf-8")
    (exp_dir / "thresholds.yaml").write_text(yaml.safe_dump(thresholds or {
        "default": {"mentions": {"COUNTRY": 0.8, "MONEY": 0.8}, "measures": 0.6,
                    "fields": {"country": 0.7}}}), encoding="utf-8")
    return out, exp_dir, raw


def argv(out: Path, exp_dir: Path, raw: Path) -> list[str]:
    return [str(out), str(exp_dir), "--raw", str(raw)]


def test_check_passes_and_writes_validation_files(tmp_path: Path, capsys) -> None:
    out, exp_dir, raw = make_run(tmp_path)
    assert v.check_main(argv(out, exp_dir, raw)) == 0
    with open(out / "validation.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == v.VALIDATION_COLUMNS
    by_item = {(r["doc_id"], r["item"]): r for r in rows}
    assert by_item[(PAPER, "MONEY")]["f1"] == "1" and by_item[(PAPER, "MONEY")]["pass"] == "true"
    assert by_item[(PAPER, "measure.country")]["accuracy"] == "1"
    assert (v.TOTAL_ID, "COUNTRY") in by_item
    report = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert report["failures"] == []


def test_check_fails_on_a_deliberately_broken_expectation(tmp_path: Path, capsys) -> None:
    broken = {**LABEL, "mentions": {"COUNTRY": [{"iso3": "FRA"}], "MONEY": LABEL["mentions"]["MONEY"]}}
    out, exp_dir, raw = make_run(tmp_path, label=broken)
    assert v.check_main(argv(out, exp_dir, raw)) == 1
    assert "p1 COUNTRY: 0.0 < threshold 0.8" in capsys.readouterr().err


def test_check_fails_below_a_field_threshold(tmp_path: Path, capsys) -> None:
    wrong_country = {**LABEL, "measures": [{**LABEL["measures"][0], "country": "AUT"}]}
    out, exp_dir, raw = make_run(tmp_path, label=wrong_country)
    assert v.main(argv(out, exp_dir, raw)) == 0          # validate only reports
    assert v.check_main(argv(out, exp_dir, raw)) == 1
    assert "measure.country" in capsys.readouterr().err


def test_fields_scored_on_too_few_pairs_are_reported_not_judged(tmp_path: Path) -> None:
    wrong_country = {**LABEL, "measures": [{**LABEL["measures"][0], "country": "AUT"}]}
    out, exp_dir, raw = make_run(tmp_path, label=wrong_country, thresholds={
        "default": {"fields": {"country": 0.7}, "min_n": 2}})
    assert v.check_main(argv(out, exp_dir, raw)) == 0
    row = next(r for r in v.run_validation(out, exp_dir, raw).rows if r["item"] == "measure.country")
    assert (row["accuracy"], row["n"], row["threshold"], row["pass"]) == (0.0, 1, None, True)


def test_blind_papers_are_reported_in_their_own_total_never_gated(tmp_path: Path, capsys) -> None:
    wrong_country = {**LABEL, "blind": True,
                     "measures": [{**LABEL["measures"][0], "country": "AUT"}]}
    out, exp_dir, raw = make_run(tmp_path, label=wrong_country)
    assert v.check_main(argv(out, exp_dir, raw)) == 0         # under the bar, yet no failure
    run = v.run_validation(out, exp_dir, raw)
    items = {(r["doc_id"], r["item"]): r for r in run.rows}
    assert (v.BLIND_TOTAL_ID, "measures") in items and (v.TOTAL_ID, "measures") not in items
    assert items[(PAPER, "measure.country")]["threshold"] is None
    assert items[(PAPER, "measures.all_fields")]["tp"] == 0
    # Its misses stay hidden unless asked for explicitly.
    assert "AUT" not in v.report_text(run, verbose=True)
    assert "AUT" in v.report_text(run, verbose=True, show_blind=True)
    assert PAPER not in v.run_json(run)["details"]


def test_blind_must_be_a_boolean() -> None:
    assert "'blind' must be true or false" in v.schema_problems({**LABEL, "blind": "yes"})


def test_check_fails_when_a_paper_has_status_error(tmp_path: Path, capsys) -> None:
    out, exp_dir, raw = make_run(tmp_path, status="error")
    assert v.check_main(argv(out, exp_dir, raw)) == 1
    assert "p1: pipeline status=error: boom" in capsys.readouterr().err


def test_drafts_and_unlabeled_papers_are_reported_not_scored(tmp_path: Path, capsys) -> None:
    out, exp_dir, raw = make_run(tmp_path, label={**LABEL, "status": "draft"}, extra_docs=("p2",))
    assert v.check_main(argv(out, exp_dir, raw)) == 0
    text = capsys.readouterr().out
    assert "draft (not scored): p1" in text and "not labeled: p2" in text
    assert not any(r.startswith("p1,") for r in (out / "validation.csv").read_text().splitlines())


def test_expectations_for_a_paper_not_in_outputs_get_a_clear_message(tmp_path: Path, capsys) -> None:
    out, exp_dir, raw = make_run(tmp_path)
    (exp_dir / "ghost.yaml").write_text(yaml.safe_dump({**LABEL, "doc_id": "ghost"}), encoding="utf-8")
    assert v.check_main(argv(out, exp_dir, raw)) == 0
    assert "expectations file for a paper not among the papers: ghost.yaml" in capsys.readouterr().out
    # a labeled paper in raw/ that the pipeline skipped is scored as empty and fails
    (raw / "ghost.txt").write_text("x", encoding="utf-8")
    assert v.check_main(argv(out, exp_dir, raw)) == 1
    assert "ghost: labeled paper in raw/ has no row in documents.csv" in capsys.readouterr().err


def test_missing_outputs_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert v.check_main([str(tmp_path), str(EXPECTATIONS_DIR)]) == 2
    assert "documents.csv not found" in capsys.readouterr().err
