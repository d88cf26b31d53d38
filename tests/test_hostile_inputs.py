"""Whatever users drop into raw/: every file ends as a documents.csv row with a
clear status and reason, and the good papers' outputs are complete."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from pipeline.run import RunOptions, run_corpus

from conftest import PDF_BAD_DIR, PDF_DIR, ROOT, SEED

FIXTURE = Path(__file__).parent / "fixtures" / "hostile_expected.csv"
GOOD_PDF = "03_icdar2013-eu-008_eib-jaspers-evaluation.pdf"
TEXT = "Japan spent 4.5 billion yen on robotics in 2015, and Germany invested EUR 5 million."


def _expected() -> list[tuple[str, str, str]]:
    with open(FIXTURE, encoding="utf-8-sig", newline="") as fh:
        return [tuple(r) for r in csv.reader(line for line in fh if not line.startswith("#"))]


def _make_text_inputs(raw: Path) -> None:
    (raw / "utf8_bom.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    (raw / "utf16.txt").write_text(TEXT, encoding="utf-16")
    (raw / "cp1252.txt").write_bytes(TEXT.replace("EUR ", "\u20ac").encode("cp1252") + b" Caf\xe9.")
    (raw / "junk.txt").write_bytes(bytes(range(256)) * 20)
    (raw / "empty.txt").write_bytes(b"")
    (raw / "scripts.html").write_text(
        "<html><head><style>p{color:red}</style><script>var x = '$9 billion';</script></head>"
        f"<body><h1>Robot Plan</h1><p>{TEXT}</p></body></html>", encoding="utf-8")
    (raw / "notes.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (raw / "name with spaces & $(touch pwned);ü.txt").write_text(TEXT, encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    if not PDF_BAD_DIR.is_dir():
        pytest.skip("../shared/papers/pdf_bad not available")
    tmp = tmp_path_factory.mktemp("hostile")
    raw, out = tmp / "raw", tmp / "out"
    raw.mkdir()
    for f in PDF_BAD_DIR.iterdir():
        shutil.copyfile(f, raw / f.name)
    shutil.copyfile(SEED, raw / SEED.name)
    shutil.copyfile(PDF_DIR / GOOD_PDF, raw / GOOD_PDF)
    _make_text_inputs(raw)
    summary = run_corpus(raw, out, workers=2, opts=RunOptions(timeout_s=60, memory_mb=2048), progress=False)
    with open(out / "documents.csv", encoding="utf-8-sig", newline="") as fh:
        docs = {r["source_file"]: r for r in csv.DictReader(fh)}
    return raw, out, docs, summary


@pytest.mark.parametrize("name,status,reason", _expected())
def test_each_input_gets_its_status_and_reason(hostile_run, name, status, reason):
    _raw, _out, docs, _summary = hostile_run
    row = docs[name]
    assert row["status"] == status, row["error"]
    if status == "error":
        assert reason in row["error"]
        assert "\n" not in row["error"] and len(row["error"]) < 300
    else:
        assert row["error"] == ""


def test_no_paper_is_silently_skipped(hostile_run):
    raw, _out, docs, summary = hostile_run
    assert set(docs) == {p.name for p in raw.iterdir()}
    assert len(summary["failed"]) == sum(1 for _n, s, _r in _expected() if s == "error")


def test_good_papers_are_complete_beside_the_broken_ones(hostile_run):
    _raw, out, docs, _summary = hostile_run
    with open(out / "mentions.csv", encoding="utf-8-sig", newline="") as fh:
        mentions = list(csv.DictReader(fh))
    by_doc = {}
    for m in mentions:
        by_doc.setdefault(m["doc_id"], []).append(m)
    seed = by_doc[SEED.stem]
    assert {m["iso3"] for m in seed if m["type"] == "COUNTRY"} >= {"USA", "DEU", "JPN", "CHN"}
    assert any(m["type"] == "MONEY" and float(m["value"]) == 4.5e9 and m["currency"] == "JPY" for m in seed)
    assert by_doc[Path(GOOD_PDF).stem]
    for stem in ("utf8_bom", "utf16", "cp1252", "scripts", "name with spaces & $(touch pwned);ü"):
        money = {(float(m["value"]), m["currency"]) for m in by_doc.get(stem, []) if m["type"] == "MONEY"}
        assert (4.5e9, "JPY") in money, stem
    assert (out / "text" / "name with spaces & $(touch pwned);ü.txt").exists()
    # Scans without a text layer are read by OCR: a typewritten two-page service bulletin
    # and a JBIG2 cartoon; their rows say which pages came from OCR.
    assert (docs["09_pdfminer_nonfree-175.pdf"]["pages"], docs["09_pdfminer_nonfree-175.pdf"]["ocr_pages"]) == ("2", "2")
    assert docs["08_pdfminer_pdf-with-jbig2_image-only.pdf"]["ocr_pages"] == "1"
    assert docs[GOOD_PDF]["ocr_pages"] == "0"
    scan_text = " ".join((out / "text" / "09_pdfminer_nonfree-175.txt").read_text(encoding="utf-8").split())
    assert "Installation of 6.00X6 main gear tires and extended nose gear fork" in scan_text
    assert "Tighten nut to produce friction of 10-13 lbs. force along axle center line" in scan_text
    scanned = by_doc["09_pdfminer_nonfree-175"]
    assert scanned and all(0.85 < float(m["ocr_confidence"]) <= 1 for m in scanned)
    assert any(m["type"] == "DATE" and m["year"] == "1974" for m in scanned)
    assert all(m["ocr_confidence"] == "" for m in seed)
    assert not (ROOT / "pwned").exists()
    # Scripts and styles never reach the body text.
    assert "9 billion" not in (out / "text" / "scripts.txt").read_text(encoding="utf-8")

