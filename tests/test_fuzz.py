"""The mutational fuzzer (pipeline/fuzz.py): deterministic mutants of real
inputs, a short campaign through the whole pipeline, findings saved as named
fixtures, and the saved fixtures replayed. `make fuzz N=1000` is the long run."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline import fuzz
from pipeline.run import RunOptions, process_paper

from conftest import PDF_DIR, ROOT, SEED

FIXTURES = ROOT / "tests" / "fixtures"
SMALL_PDFS = ["04_icdar2013-us-026_usgs-mcs-abrasives-manufactured.pdf",
              "08_tabula-labor_bls-employment-projections-2020.pdf"]


@pytest.fixture(scope="module")
def small_inputs(tmp_path_factory) -> list[Path]:
    """Real inputs small enough for a short run: two shared PDFs, the seed's
    first 4 KB, the HTML and Markdown samples."""
    pdfs = [PDF_DIR / n for n in SMALL_PDFS]
    if not all(p.exists() for p in pdfs):
        pytest.skip("../shared/papers/pdf not available")
    head = tmp_path_factory.mktemp("fuzz-inputs") / "000_seed_head.txt"
    head.write_bytes(SEED.read_bytes()[:4096])
    return [*pdfs, head, FIXTURES / "parse_sample.html", FIXTURES / "parse_sample.md"]


def test_mutants_are_deterministic_and_damaged(small_inputs):
    a = [fuzz.make_mutant(small_inputs, 7, i) for i in range(40)]
    b = [fuzz.make_mutant(small_inputs, 7, i) for i in range(40)]
    assert [(m.name, m.data) for m in a] == [(m.name, m.data) for m in b]
    assert [m.data for m in a] != [fuzz.make_mutant(small_inputs, 8, i).data for i in range(40)]
    assert sum(m.data != m.source.read_bytes() for m in a) >= 36
    assert {m.source.suffix for m in a} == {".pdf", ".txt", ".html", ".md"}
    # Every mutation family is drawn, and only for the formats it fits.
    drawn = {(m.source.suffix, name) for m in a for name in m.mutations}
    assert not any(s != ".pdf" and n in ("xref", "stream") for s, n in drawn)
    assert not any(s == ".pdf" and n in ("encoding", "markup") for s, n in drawn)


def test_pdf_mutations_hit_their_structures():
    import random
    pdf = (PDF_DIR / SMALL_PDFS[0]).read_bytes()
    rng = random.Random(3)
    for _ in range(5):
        assert fuzz.pdf_xref_damage(rng, pdf) != pdf
        assert fuzz.pdf_stream_damage(rng, pdf) != pdf
    cut = fuzz.truncate(rng, pdf)
    assert len(cut) < len(pdf) and pdf.startswith(cut)


def test_classify_flags_crashes_hangs_memory_and_bad_rows():
    assert fuzz.classify("ok", "") is None
    assert fuzz.classify("error", "not a PDF: file is empty") is None
    assert fuzz.classify("error", "parser crashed: KeyError: 'x'") == "crash"
    assert fuzz.classify("error", "timed out: exceeded 120 s while parsing (TIMEOUT)") == "hang"
    assert fuzz.classify("error", "out of memory: exceeded 2048 MB while parsing (MEMORY_MB)") == "memory"
    assert fuzz.classify("error", "") == "no one-line reason"
    assert fuzz.classify("error", "two\nlines") == "no one-line reason"
    assert fuzz.classify("ok", "stray") == "error text on an ok row"


def test_short_campaign_every_mutant_ends_ok_or_with_a_reason(small_inputs, tmp_path):
    rep = fuzz.run_fuzz(36, seed=0, inputs=small_inputs, workers=1, timeout_s=60,
                        findings_dir=tmp_path / "findings")
    assert rep["findings"] == [] and rep["saved"] == []
    assert sum(rep["status"].values()) == 36 and set(rep["status"]) <= {"ok", "error"}
    assert rep["status"].get("ok", 0) >= 10 and rep["status"].get("error", 0) >= 3
    assert rep["collected"]["papers"] == 36 and rep["collected"]["mentions"] > 0
    assert sum(rep["reasons"].values()) == 36
    assert not (tmp_path / "findings").exists()
    assert "findings: 0" in fuzz.format_report(rep)


def test_a_finding_is_saved_as_a_named_fixture(small_inputs, tmp_path):
    # A parse limit nobody meets turns every mutant into a "hang" finding.
    rep = fuzz.run_fuzz(2, seed=5, inputs=small_inputs, workers=1, timeout_s=0.0001,
                        findings_dir=tmp_path / "findings")
    assert [f["finding"] for f in rep["findings"]] == ["hang", "hang"]
    saved = sorted(Path(p).name for p in rep["saved"])
    expected = sorted(f"hang-seed5-{fuzz.make_mutant(small_inputs, 5, i).name}"
                      f"{fuzz.make_mutant(small_inputs, 5, i).source.suffix}" for i in range(2))
    assert saved == expected
    for i, name in enumerate(sorted(saved)):
        assert (tmp_path / "findings" / name).read_bytes() in {fuzz.make_mutant(small_inputs, 5, j).data for j in range(2)}
    with open(tmp_path / "findings" / "findings.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["file"] for r in rows] == saved and {r["status"] for r in rows} == {"error"}
    assert all(r["error"] == "timed out: exceeded 0.0001 s while parsing (TIMEOUT)" for r in rows)


SAVED = sorted(p for p in (FIXTURES / "fuzz").glob("*") if p.name not in ("findings.csv", "README.md"))


@pytest.mark.parametrize("path", SAVED, ids=[p.name for p in SAVED])
def test_saved_fuzz_findings_now_end_ok_or_with_a_reason(path):
    result = process_paper(str(path), path.stem, ["parse", "extract", "link"], RunOptions(timeout_s=120))
    parsed = result["parse"]
    assert fuzz.classify(parsed["status"], parsed.get("error") or "") is None, parsed.get("error")
