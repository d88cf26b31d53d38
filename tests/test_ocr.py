"""OCR of scanned pages: scans are made here from the shared born-digital PDFs
(pipeline.ocr_eval.scan_pdf renders pages to grey images and wraps them as
image-only PDFs), so the text layer of the same page is the ground truth.

Kept small (about 20 s): one skewed two-column page, page crops for turned
scans and a mixed document, a noise page. The full measurement (>= 20 pages at
200 and 300 dpi, measures of scanned labeled papers) is ``make ocr-eval``.

These tests need Tesseract (``make venv`` installs it where it can); they fail,
never skip, without it: CI must run them.
"""
from __future__ import annotations

import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from pipeline.ocr_eval import scan_image, scan_pdf, sequence_similarity, word_recall
from pipeline.parse import ocr, parse_path
from pipeline.parse.blocks import ParseError
from pipeline.parse.pdf import page_text, read_pdf
from pipeline.parse.sandbox import parse_in_child
from pipeline.records import ParsedDoc

from conftest import PDF_DIR

NNI = PDF_DIR / "05_tabula-us-017_nni-nanotechnology-report.pdf"
BLS = PDF_DIR / "08_tabula-labor_bls-employment-projections-2020.pdf"  # a sidebar and two columns
JASPERS = PDF_DIR / "03_icdar2013-eu-008_eib-jaspers-evaluation.pdf"   # one page, one column


@pytest.fixture(scope="module", autouse=True)
def _engine():
    if not PDF_DIR.is_dir():
        pytest.skip(f"shared PDFs not found at {PDF_DIR}")
    assert ocr.engine_status() == "", ocr.engine_status()


def _crop_pdf(src: Path, number: int, box: tuple[float, float, float, float], dst: Path,
              rotate: int = 0, skew: float = 0.0, dpi: int = 200) -> Path:
    """An image-only PDF of a part of a page (box = left, top, right, bottom as shares)."""
    document = pdfium.PdfDocument(str(src))
    try:
        image = scan_image(document[number - 1], dpi)
    finally:
        document.close()
    w, h = image.size
    image = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    if skew:
        from PIL import Image
        image = image.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255)
    if rotate:
        image = image.rotate(-rotate, expand=True)
    image.save(dst, "PDF", resolution=float(dpi))
    return dst


def _text(pages) -> str:
    return "\n\n".join(page_text(p) for p in pages)


def test_skewed_two_column_scan_reads_like_its_text_layer(tmp_path):
    """A sidebar and two columns, scanned at 200 dpi and 1.5 degrees askew: a skewed row
    would mix the columns' lines unless the boxes are turned back."""
    reference = _text(read_pdf(BLS))
    scan = scan_pdf(BLS, tmp_path / "scan.pdf", dpi=200, skew=1.5)
    pages = read_pdf(scan)
    text = _text(pages)
    assert len(pages) == 1 and 0.9 < pages[0].ocr_confidence <= 1.0
    assert word_recall(reference, text) >= 0.97
    assert sequence_similarity(reference, text) >= 0.95
    # Reading order: sentences that cross line breaks come whole, the left column's first.
    joined = " ".join(text.split())
    left = joined.find("These recovery paths for an industry are greatly influenced by a recession’s impact")
    right = joined.find("BLS projects that total employment in the United States will rise 20.5 million "
                        "between 2010 and 2020, from about 143.1 million")
    last = joined.find("The remaining growth is accounted for by a projected increase of 776,800 "
                       "nonagricultural self-employed and unpaid family workers")
    assert 0 <= left < right < last, (left, right, last)


# The first lines of the JASPERS page (one column), as a small scan.
JASPERS_TOP = (0.0, 0.09, 1.0, 0.2)
JASPERS_SENTENCE = ("During the planning phase prior to the start of the 2007-2013 programming period, "
                    "it was believed that the scale of the effort required by the New Member States")


@pytest.mark.parametrize("rotate", [90, 180])
def test_turned_scans_are_read_upright(tmp_path, rotate):
    crop = _crop_pdf(JASPERS, 1, JASPERS_TOP, tmp_path / "turned.pdf", rotate=rotate, dpi=150)
    pages = read_pdf(crop)
    assert JASPERS_SENTENCE in " ".join(_text(pages).split())
    assert pages[0].width > pages[0].height      # laid out in the upright frame


def test_skew_is_measured_from_baselines_and_undone():
    import math

    words = []
    for line in range(6):
        for k in range(8):
            x = 50 + k * 60
            y = 100 + line * 14 + x * math.tan(math.radians(2.0))   # lines falling 2 degrees
            words.append(ocr.OcrWord(x, y - 8, x + 40, y, "word", 0.95, line))
    assert ocr._skew_degrees(words) == pytest.approx(2.0, abs=0.05)
    ocr._deskew(words, 2.0, 612, 792)
    assert abs(ocr._skew_degrees(words)) < 0.05


def test_noise_page_is_a_page_level_error(tmp_path):
    import random
    from PIL import Image

    rng = random.Random(7)
    image = Image.new("L", (300, 200), 255)
    pixels = image.load()
    for _ in range(6000):
        pixels[rng.randrange(300), rng.randrange(200)] = 0
    image.save(tmp_path / "noise.pdf", "PDF", resolution=100.0)
    with pytest.raises(ParseError, match=r"^no text layer: page 1: OCR "):
        read_pdf(tmp_path / "noise.pdf")


def test_mixed_document_ocrs_only_the_scanned_page(tmp_path):
    scan = _crop_pdf(JASPERS, 1, JASPERS_TOP, tmp_path / "scan.pdf", dpi=200)
    mixed = pdfium.PdfDocument(str(NNI))
    mixed.del_page(3)
    mixed.del_page(2)            # keep the text-layer pages 1 and 2
    scanned = pdfium.PdfDocument(str(scan))
    mixed.import_pages(scanned)  # page 3: an image only
    mixed.save(tmp_path / "mixed.pdf")
    mixed.close()
    scanned.close()
    doc = parse_path(tmp_path / "mixed.pdf")
    assert doc.status == "ok" and doc.error == ""
    assert doc.pages == 3 and doc.ocr_pages == 1
    assert [p for p, _c in doc.ocr_confidence] == [3] and doc.ocr_confidence[0][1] > 0.9
    at = doc.text.find(JASPERS_SENTENCE)
    assert at > 0 and doc.ocr_confidence_at(at) == doc.ocr_confidence[0][1]
    assert doc.ocr_confidence_at(doc.text.find("National Nanotechnology Initiative")) is None
    # Same input -> same output: one Tesseract thread, a fixed resolution.
    assert parse_path(tmp_path / "mixed.pdf") == doc


def test_without_tesseract_a_scan_says_what_to_install(tmp_path, monkeypatch):
    scan = scan_pdf(JASPERS, tmp_path / "scan.pdf", dpi=150)
    monkeypatch.setattr(ocr, "tesseract_path", lambda: None)
    doc = parse_path(scan)
    assert doc.status == "error"
    assert doc.error.startswith("no text layer: page 1: scanned, and OCR is unavailable: install Tesseract")
    assert "apt-get install tesseract-ocr" in doc.error


def test_time_limit_grows_with_the_pages_to_ocr(tmp_path):
    paper = tmp_path / "p.pdf"
    paper.write_bytes(b"%PDF-1.4\n")

    def slow_ocr(path: str, doc_id: str) -> ParsedDoc:
        ocr.announce(2)          # what read_pdf does before it OCRs two pages
        time.sleep(1.5)
        return ParsedDoc(doc_id=doc_id, source_file="p.pdf", format="pdf")

    def slow(path: str, doc_id: str) -> ParsedDoc:
        time.sleep(1.5)
        return ParsedDoc(doc_id=doc_id, source_file="p.pdf", format="pdf")

    assert parse_in_child(paper, timeout_s=1, target=slow_ocr, ocr_page_timeout_s=1).status == "ok"
    late = parse_in_child(paper, timeout_s=1, target=slow, ocr_page_timeout_s=1)
    assert late.error == "timed out: exceeded 1 s while parsing (TIMEOUT)"
    too_slow = parse_in_child(paper, timeout_s=0.5, target=slow_ocr, ocr_page_timeout_s=0.25)
    assert too_slow.error == "timed out: exceeded 1 s (incl. 0.5 s for OCR) while parsing (TIMEOUT)"


def test_unsure_numbers_are_masked_not_guessed():
    words = [ocr.OcrWord(0, 0, 1, 1, text, conf, 0) for text, conf in [
        ("$14.5", 0.97), ("$14.5", 0.62), ("2020.5", 0.97), ("million.2", 0.95),
        ("alert,15", 0.9), ("12The", 0.9), ("F16", 0.96), ("m2", 0.96), ("billion", 0.40)]]
    dropped = ocr._mask_unsure_numbers(words)
    assert [w.text for w in words] == ["$14.5", "[?]", "[?]", "million.", "alert,", "12 The", "F16", "m2",
                                       "billion"]
    assert dropped == 2


def test_measure_confidence_drops_on_poorly_read_pages():
    from linkdoc import build_doc
    from pipeline.link import link_document

    text = "{COUNTRY iso3=DEU|Germany} invested {MONEY value=5e6 currency=EUR|EUR 5 million} in robotics."
    parsed, mentions = build_doc([("", text)])
    clear = link_document(parsed, mentions)[0]
    assert clear.ocr_confidence is None
    parsed.ocr_confidence = [(1, 0.95)]
    assert link_document(parsed, mentions)[0].confidence == clear.confidence
    parsed.ocr_confidence = [(1, 0.7)]
    poor = link_document(parsed, mentions)[0]
    assert poor.ocr_confidence == 0.7
    assert poor.confidence == round(clear.confidence * 0.7, 2) and poor.value == 5e6


def test_garbage_text_layer_is_recognized():
    from pipeline.parse.blocks import RawBlock
    from pipeline.parse.pdf.reader import is_garbage

    assert is_garbage([RawBlock(lines=["\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd a\ufffd"])])
    assert is_garbage([RawBlock(lines=["!#$% &*()+ ,-./: ;<=>? @[]^_ {|}~"])])
    assert not is_garbage([RawBlock(lines=["Table of contents ........................ 12"])])
    assert not is_garbage([RawBlock(lines=["- 3 -"])])          # too little to tell
