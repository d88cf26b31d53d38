"""The corpus runner end to end: incremental work, determinism, atomicity under
SIGKILL, and the Dask backend giving the same outputs as the local pool."""
from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.corpus import list_papers
from pipeline.run import run_corpus, stage_fingerprints

from conftest import PDF_DIR, ROOT, SEED

TABLES = ["documents.csv", "mentions.csv", "measures.csv", "programs.csv", "references.csv"]
SMALL_PDF = "03_icdar2013-eu-008_eib-jaspers-evaluation.pdf"
TWO_COL_PDF = "08_tabula-labor_bls-employment-projections-2020.pdf"


def _raw(tmp_path: Path, *names: str) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in names:
        src = SEED if name == SEED.name else PDF_DIR / name
        if not src.exists():
            pytest.skip(f"{src} not available")
        shutil.copyfile(src, raw / name)
    return raw


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every output file except run logs, by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "logs" not in p.relative_to(out).parts}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_list_papers_skips_readme_and_hidden_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ["b paper.txt", "a.pdf", "README.md", ".DS_Store", "ünï $(x);.md"]:
        (raw / name).write_text("x")
    (raw / "sub").mkdir()
    assert [p.name for p in list_papers(raw)] == ["a.pdf", "b paper.txt", "ünï $(x);.md"]


def test_fingerprints_cover_every_stage():
    fps = stage_fingerprints()
    assert set(fps) == {"parse", "extract", "link"}
    assert all(len(v) == 16 for v in fps.values())


def test_second_run_does_no_work_and_new_paper_runs_alone(tmp_path):
    raw = _raw(tmp_path, SEED.name)
    out = tmp_path / "out"
    first = run_corpus(raw, out, workers=1, progress=False)
    assert first["processed"] == [SEED.stem]
    assert run_corpus(raw, out, workers=1, progress=False)["processed"] == []
    shutil.copyfile(PDF_DIR / SMALL_PDF, raw / SMALL_PDF)
    third = run_corpus(raw, out, workers=1, progress=False)
    assert third["processed"] == [Path(SMALL_PDF).stem]
    docs = _rows(out / "documents.csv")
    assert [d["doc_id"] for d in docs] == sorted([SEED.stem, Path(SMALL_PDF).stem])
    # A removed paper leaves the tables and its per-paper files go.
    (raw / SMALL_PDF).unlink()
    run_corpus(raw, out, workers=1, progress=False)
    assert [d["doc_id"] for d in _rows(out / "documents.csv")] == [SEED.stem]
    assert not (out / "parsed" / f"{Path(SMALL_PDF).stem}.json").exists()


def test_outputs_are_byte_identical_across_runs_and_worker_counts(tmp_path):
    raw = _raw(tmp_path, SEED.name, SMALL_PDF, TWO_COL_PDF)
    run_corpus(raw, tmp_path / "a", workers=1, progress=False)
    run_corpus(raw, tmp_path / "b", workers=2, progress=False)
    a, b = _snapshot(tmp_path / "a"), _snapshot(tmp_path / "b")
    assert set(a) == set(b)
    for name in a:
        assert a[name] == b[name], f"{name} differs between runs"
    # Every mention's offsets index the body text exactly.
    texts = {}
    for row in _rows(tmp_path / "a" / "mentions.csv"):
        doc = row["doc_id"]
        if doc not in texts:
            texts[doc] = (tmp_path / "a" / "text" / f"{doc}.txt").read_text(encoding="utf-8")
        assert texts[doc][int(row["start"]):int(row["end"])] == row["text"].lstrip("'") or \
            texts[doc][int(row["start"]):int(row["end"])] == row["text"]


def _run_cmd(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(raw), str(out), "--workers", "1", "-q"]


def test_sigkill_midway_leaves_previous_outputs_and_rerun_completes(tmp_path):
    raw = _raw(tmp_path, SEED.name, SMALL_PDF)
    out = tmp_path / "out"
    subprocess.run(_run_cmd(raw, out), check=True, cwd=ROOT)
    before = {t: (out / t).read_bytes() for t in TABLES}
    # The complete result after adding a paper, computed elsewhere.
    shutil.copyfile(PDF_DIR / TWO_COL_PDF, raw / TWO_COL_PDF)
    subprocess.run(_run_cmd(raw, tmp_path / "ref"), check=True, cwd=ROOT)
    after = {t: (tmp_path / "ref" / t).read_bytes() for t in TABLES}
    for delay in (0.3, 1.0, 2.5):
        proc = subprocess.Popen(_run_cmd(raw, out), cwd=ROOT, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        for t in TABLES:
            current = (out / t).read_bytes()
            assert current in (before[t], after[t]), f"{t} is neither the old nor the new table"
    subprocess.run(_run_cmd(raw, out), check=True, cwd=ROOT)
    for t in TABLES:
        assert (out / t).read_bytes() == after[t]
    assert not list(out.rglob(".*.tmp"))


def test_dask_local_cluster_gives_identical_outputs(tmp_path):
    pytest.importorskip("dask.distributed")
    raw = _raw(tmp_path, SEED.name, SMALL_PDF)
    run_corpus(raw, tmp_path / "local", workers=1, progress=False)
    run_corpus(raw, tmp_path / "dask", workers=2, executor="dask", progress=False)
    a, b = _snapshot(tmp_path / "local"), _snapshot(tmp_path / "dask")
    assert set(a) == set(b)
    assert all(a[k] == b[k] for k in a)


def test_noop_make_all_is_fast_and_does_nothing(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make not installed")
    raw = _raw(tmp_path, SMALL_PDF)
    out = tmp_path / "out"
    args = ["make", "-s", "all", f"RAW={raw}", f"OUT={out}", "WORKERS=1"]
    subprocess.run(args, check=True, cwd=ROOT, capture_output=True)
    t0 = time.perf_counter()
    second = subprocess.run(args, check=True, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    assert "papers:" not in second.stdout and "processed" not in second.stdout
    assert elapsed < 2.0
