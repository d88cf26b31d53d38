"""OCR evaluation on scans made from born-digital PDFs (``make ocr-eval``).

Scans are made, not collected: pages of the shared PDFs are rendered to grey
images at 150/200/300 dpi (optionally turned, skewed, with speckle noise) and
wrapped as image-only PDFs (``scan_pdf``; the tests use it too). Their text
layer is then the ground truth of the same pages:

* word recall: the share of the text layer's words (``[a-z0-9]+`` tokens,
  counted with multiplicity) found in the OCR text of the same page, and the
  word-sequence similarity (difflib ratio) as a reading-order check;
* speed: OCR pages per second, one page at a time on one core
  (OMP_THREAD_LIMIT=1, as the pipeline runs it);
* measures: the pipeline on image-only versions of labeled papers against the
  same papers born-digital, scored against tests/expectations (detection F1),
  and every amount the scans give that the born-digital run does not (an OCR
  digit error would show there).

    python -m pipeline.ocr_eval output/ocr_eval.json [--dpi 150 200 300] [--quick] [--keep DIR]
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterable, Optional

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYX_SHARED", ROOT.parent / "shared"))
PDF_DIR = SHARED / "papers" / "pdf"
EXPECTATIONS = ROOT / "tests" / "expectations"

# >= 20 pages with one, two and three columns, tables and front pages.
RECALL_PAGES: dict[str, list[int]] = {
    "01_icdar2013-eu-004_eu-retail-market-structure.pdf": [1, 2, 3, 4, 5],
    "02_icdar2013-eu-014_cedefop-finland-vet-financing.pdf": [1, 2, 3, 4, 5],
    "03_icdar2013-eu-008_eib-jaspers-evaluation.pdf": [1],
    "04_icdar2013-us-026_usgs-mcs-abrasives-manufactured.pdf": [1],
    "05_tabula-us-017_nni-nanotechnology-report.pdf": [1, 2, 3, 4],
    "06_pdfplumber_federal-register-2020-17221.pdf": [2, 3, 4],
    "07_pdfminer_irs-i1040nr-2007-instructions.pdf": [3, 4, 5],
    "08_tabula-labor_bls-employment-projections-2020.pdf": [1],
}
# Labeled papers with multi-column pages for the measures comparison (06 is held out).
MEASURE_PAPERS = [
    "02_icdar2013-eu-014_cedefop-finland-vet-financing.pdf",
    "05_tabula-us-017_nni-nanotechnology-report.pdf",
    "08_tabula-labor_bls-employment-projections-2020.pdf",
    "07_pdfminer_irs-i1040nr-2007-instructions.pdf",
]
_TOKEN = re.compile(r"[a-z0-9]+")


# ----------------------------------------------------------------- material


def scan_image(page, dpi: int, rotate: int = 0, skew: float = 0.0, noise: float = 0.0, seed: int = 0):
    """A pypdfium2 page as a grey scan: rendered at ``dpi``, turned ``rotate`` degrees
    clockwise (a multiple of 90), skewed ``skew`` degrees counter-clockwise, with
    ``noise`` (share of pixels) of deterministic speckle."""
    from PIL import Image

    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        image = bitmap.to_pil().convert("L")
    finally:
        bitmap.close()
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if rotate % 360:
        image = image.rotate(-(rotate % 360), expand=True)
    if noise > 0:
        rng = random.Random(seed)
        pixels = image.load()
        width, height = image.size
        for _ in range(int(noise * width * height)):
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = 0 if rng.random() < 0.5 else 255
    return image


def scan_pdf(src: str | os.PathLike, dst: str | os.PathLike, pages: Optional[Iterable[int]] = None,
             dpi: int = 200, rotate: int = 0, skew: float = 0.0, noise: float = 0.0) -> Path:
    """Write an image-only PDF of ``pages`` (1-based; all by default) of ``src``."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(src))
    try:
        numbers = list(pages) if pages is not None else list(range(1, len(document) + 1))
        images = []
        for number in numbers:
            page = document[number - 1]
            try:
                images.append(scan_image(page, dpi, rotate, skew, noise, seed=number))
            finally:
                page.close()
    finally:
        document.close()
    dst = Path(dst)
    images[0].save(dst, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return dst


# ------------------------------------------------------------------ metrics


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def word_recall(reference: str, ocr_text: str) -> float:
    ref, got = Counter(tokens(reference)), Counter(tokens(ocr_text))
    total = sum(ref.values())
    return sum((ref & got).values()) / total if total else 1.0


def sequence_similarity(reference: str, ocr_text: str) -> float:
    return difflib.SequenceMatcher(None, tokens(reference), tokens(ocr_text), autojunk=False).ratio()


def _doc_text(pages) -> str:
    from .parse.pdf import page_text
    return "\n\n".join(page_text(p) for p in pages)


def _recall_job(job: tuple[str, int, int]) -> dict:
    """One page at one dpi: text layer vs OCR of its scan."""
    name, number, dpi = job
    from .parse.pdf import read_pdf

    reference = _doc_text(read_pdf(PDF_DIR / name, pages=[number]))
    with tempfile.TemporaryDirectory(prefix="policyx-ocr-") as tmp:
        scan = scan_pdf(PDF_DIR / name, Path(tmp) / "scan.pdf", pages=[number], dpi=dpi)
        started = time.perf_counter()
        pages = read_pdf(scan)
        seconds = time.perf_counter() - started
    text = _doc_text(pages)
    return {"file": name, "page": number, "dpi": dpi, "words": len(tokens(reference)),
            "recall": round(word_recall(reference, text), 4),
            "order": round(sequence_similarity(reference, text), 4),
            "ocr_confidence": pages[0].ocr_confidence, "seconds": round(seconds, 2)}


def recall_eval(dpis: list[int], workers: int = 2, quick: bool = False) -> dict:
    jobs = [(name, number, dpi) for dpi in dpis for name, numbers in RECALL_PAGES.items()
            for number in (numbers[:1] if quick else numbers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        rows = list(pool.map(_recall_job, jobs))
    summary = {}
    for dpi in dpis:
        mine = [r for r in rows if r["dpi"] == dpi]
        words = sum(r["words"] for r in mine)
        summary[str(dpi)] = {
            "pages": len(mine),
            "word_recall": round(sum(r["recall"] * r["words"] for r in mine) / words, 4) if words else None,
            "worst_page_recall": min(r["recall"] for r in mine),
            "sequence_similarity": round(sum(r["order"] * r["words"] for r in mine) / words, 4) if words else None,
            "ocr_pages_per_s_one_core": round(len(mine) / sum(r["seconds"] for r in mine), 3),
        }
    return {"summary": summary, "pages": rows}


def measures_eval(dpi: int, papers: list[str], workers: int = 2, keep: Optional[Path] = None) -> dict:
    """Run the pipeline on born-digital and scanned copies; score both against the labels.
    ``keep``: a folder to leave both runs' raw/ and outputs in (for reading the differences)."""
    from .run import RunOptions, run_corpus
    from .validate import run_validation

    out: dict = {"dpi": dpi, "papers": {}}
    with tempfile.TemporaryDirectory(prefix="policyx-ocr-") as tmp:
        tmp_path = Path(tmp) if keep is None else Path(keep)
        if keep is not None:
            shutil.rmtree(tmp_path, ignore_errors=True)
        runs = {}
        for kind in ("born_digital", "scanned"):
            raw = tmp_path / kind / "raw"
            raw.mkdir(parents=True)
            for name in papers:
                if kind == "scanned":
                    scan_pdf(PDF_DIR / name, raw / name, dpi=dpi)
                else:
                    shutil.copyfile(PDF_DIR / name, raw / name)
            result_dir = tmp_path / kind / "out"
            started = time.perf_counter()
            run_corpus(raw, result_dir, workers=workers,
                       opts=RunOptions(timeout_s=300, memory_mb=2048), progress=False)
            out[f"{kind}_seconds"] = round(time.perf_counter() - started, 1)
            runs[kind] = (raw, result_dir)
        scores = {kind: run_validation(result_dir, EXPECTATIONS, raw_dir=raw).rows
                  for kind, (raw, result_dir) in runs.items()}
        amounts = {kind: _amounts(result_dir) for kind, (_raw, result_dir) in runs.items()}
        for name in papers:
            doc_id = Path(name).stem
            row = {kind: _f1(scores[kind], doc_id) for kind in runs}
            row["only_in_scan"] = sorted(amounts["scanned"].get(doc_id, set()) - amounts["born_digital"].get(doc_id, set()))
            row["lost_in_scan"] = len(amounts["born_digital"].get(doc_id, set()) - amounts["scanned"].get(doc_id, set()))
            out["papers"][doc_id] = row
    return out


def _amounts(out_dir: Path) -> dict[str, set]:
    import csv

    found: dict[str, set] = {}
    with open(out_dir / "measures.csv", encoding="utf-8-sig", newline="") as fh:
        for r in csv.DictReader(fh):
            found.setdefault(r["doc_id"], set()).add((r["quantity_type"], r["value"], r["currency"]))
    return found


def _f1(rows: list[dict], doc_id: str) -> dict:
    """Detection F1 of measures and the accuracy of the value field."""
    out = {}
    for row in rows:
        if row.get("doc_id") == doc_id and row["item"] == "measures":
            out.update(measures_f1=row["f1"], tp=row["tp"], fp=row["fp"], fn=row["fn"])
        if row.get("doc_id") == doc_id and row["item"] == "measure.value":
            out["value_accuracy"] = row["accuracy"]
    return out


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--dpi", type=int, nargs="+", default=[150, 200, 300])
    ap.add_argument("--measures-dpi", type=int, default=300)
    ap.add_argument("--quick", action="store_true", help="one page per paper, no measures run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="leave the measures runs (born_digital/, scanned/) in this folder")
    args = ap.parse_args(argv)
    if not PDF_DIR.is_dir():
        print(f"error: shared PDFs not found at {PDF_DIR}", file=sys.stderr)
        return 2
    from .parse.ocr import engine_id, engine_status
    if engine_status():
        print("error: " + engine_status(), file=sys.stderr)
        return 2
    report = {"engine": engine_id(), "recall": recall_eval(args.dpi, args.workers, args.quick)}
    for dpi, s in report["recall"]["summary"].items():
        print(f"{dpi} dpi: {s['pages']} pages, word recall {s['word_recall']}, worst page {s['worst_page_recall']}, "
              f"sequence {s['sequence_similarity']}, {s['ocr_pages_per_s_one_core']} pages/s on one core")
    if not args.quick:
        report["measures"] = measures_eval(args.measures_dpi, MEASURE_PAPERS, args.workers, args.keep)
        for doc_id, row in report["measures"]["papers"].items():
            print(doc_id, json.dumps(row, sort_keys=True))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
