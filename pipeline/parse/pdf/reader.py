"""The PDF reader: every page's blocks (text layer, or OCR for scanned pages), with a
one-line ``ParseError`` when a file gives no text at all.
"""
from __future__ import annotations

import re
from operator import attrgetter
from pathlib import Path
from typing import Iterable, Optional

import pypdfium2 as pdfium

from ..blocks import ParseError, RawBlock, RawPage, page_errors
from .lines import layout_page
from .margins import without_line_numbers
from .model import RUN_GAP_EM, SPACES, Fragment
from .pdfium_access import open_document
from .words import page_words, to_frame, user_box

# -------------------------------------------------------------------------- pages


def _page_blocks(page, textpage) -> tuple[list[RawBlock], float, float, int]:
    """Blocks of one page in reading order, the frame's width and height, and its char count."""
    left, bottom, right, top = page.get_mediabox()
    page_box = (left, bottom, right, top)
    words = page_words(textpage, page_box)
    weights = words.weights
    main_direction = max(weights, key=weights.get) if weights else 0
    if main_direction in (90, 270):
        frame_width, frame_height = top - bottom, right - left
    else:
        frame_width, frame_height = right - left, top - bottom

    main: list[Fragment] = []
    other: dict[int, list[Fragment]] = {}
    for run, direction in zip(words.runs, words.directions):
        if direction == main_direction:
            main.append(run)
        else:
            other.setdefault(direction, []).append(run)

    blocks = blocks_of_fragments(main)
    # Text at another angle (margin stamps, rotated table heads) goes after the page body;
    # outside the body's box it is a stamp or running head the structure builder may drop.
    for direction in sorted(other):
        in_margin = bool(main) and _outside_body(words.boxes[direction], main, main_direction, page_box)
        for block in layout_page(other[direction]):
            if block.kind == "text" and in_margin and len(block.lines) <= 2:
                block.kind = "header_footer"
            block.bbox = None  # not in the page's reading frame
            block.column = 0
            blocks.append(block)
    n_chars = sum(weights.values())
    return blocks, round(frame_width, 2), round(frame_height, 2), n_chars


def blocks_of_fragments(frags: list[Fragment]) -> list[RawBlock]:
    """The blocks of a page's body fragments in reading order, its margin line numbers dropped."""
    return layout_page(without_line_numbers(frags))


def _outside_body(
    word_boxes: list[float], body: list[Fragment], main_direction: int,
    page_box: tuple[float, float, float, float],
) -> bool:
    """True when these char boxes (flat, see _PageWords.boxes) lie beside, above or below all
    of the body text (in the body's frame)."""
    boxes = [to_frame(user_box(word_boxes[i:i + 4]), main_direction, page_box)
             for i in range(0, len(word_boxes), 4)]
    x0, top = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, bottom = max(b[2] for b in boxes), max(b[3] for b in boxes)
    body_x0, body_x1 = min(f.x0 for f in body), max(f.x1 for f in body)
    body_top, body_bottom = min(f.top for f in body), max(f.bottom for f in body)
    return x1 <= body_x0 or x0 >= body_x1 or bottom <= body_top or top >= body_bottom


def _page_has_images(page) -> bool:
    import pypdfium2.raw as pdfium_c

    raw_page = page.raw
    for index in range(pdfium_c.FPDFPage_CountObjects(raw_page)):
        obj = pdfium_c.FPDFPage_GetObject(raw_page, index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM):
            return True
    return False


# A text layer is garbage when under this share of its visible characters are letters or
# digits, or over this share are U+FFFD (glyphs without a Unicode mapping). Such a page
# is OCRed when it holds images (a scan under a broken text layer).
_GARBAGE_ALNUM_SHARE = 0.3
_GARBAGE_UNMAPPED_SHARE = 0.3
_GARBAGE_MIN_CHARS = 10
_GARBAGE_SAMPLE = 1500      # characters looked at (a page's first lines tell; it runs on every page)
_NOT_ALNUM = re.compile(r"[\W_]+")


def is_garbage(blocks: list[RawBlock]) -> bool:
    parts, size = [], 0
    for block in blocks:
        for line in block.lines:
            parts.append(line)
            size += len(line)
        if size >= _GARBAGE_SAMPLE:
            break
    visible = SPACES.sub("", "".join(parts))
    if len(visible) < _GARBAGE_MIN_CHARS:
        return False
    alnum = len(_NOT_ALNUM.sub("", visible))
    unmapped = visible.count("\ufffd")
    return alnum < _GARBAGE_ALNUM_SHARE * len(visible) or unmapped > _GARBAGE_UNMAPPED_SHARE * len(visible)


def _ocr_fragments(words) -> list[Fragment]:
    """OCR words (ocr.OcrWord, in the reading frame) -> runs as page_words makes them:
    consecutive words of one Tesseract line merge while the gap stays under a run gap."""
    frags: list[Fragment] = []
    lines: dict[int, list] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    for line in lines.values():
        line.sort(key=attrgetter("x0"))
        run = [line[0]]
        for word in line[1:]:
            last = run[-1]
            if word.size == last.size and 0 <= word.x0 - last.x1 < RUN_GAP_EM * word.size:
                run.append(word)
                continue
            frags.append(_ocr_run(run))
            run = [word]
        frags.append(_ocr_run(run))
    return frags


def _ocr_run(words) -> Fragment:
    return Fragment(min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
                     max(w.bottom for w in words), " ".join(w.text for w in words), words[0].size, False)


def _ocr_pages(document, result: list[RawPage], indexes: list[int]) -> int:
    """OCR the pages ``result[i]`` for i in ``indexes`` in place; returns the characters read.
    A page that gives no text keeps no blocks and says why in ``RawPage.error``."""
    from .. import ocr

    unavailable = ocr.engine_status()
    if unavailable:
        for i in indexes:
            result[i].blocks, result[i].error = [], "scanned, and " + unavailable
        return 0
    ocr.announce(len(indexes))
    chars = 0
    for i in indexes:
        raw = result[i]
        raw.blocks = []
        try:
            page = document[raw.number - 1]
            try:
                scan = ocr.ocr_pdf_page(page)
            finally:
                page.close()
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - one page's failure must not lose the others
            raw.error = " ".join(f"OCR failed: {type(exc).__name__}: {exc}".split())[:200]
            continue
        if scan.error:
            raw.error = scan.error
            continue
        raw.blocks = layout_page(_ocr_fragments(scan.words))
        raw.width, raw.height = scan.width, scan.height
        raw.ocr_confidence = round(scan.confidence, 3)
        chars += sum(len(w.text) for w in scan.words)
    return chars


def read_pdf(path: str | Path, password: str | None = None, *, pages: Optional[Iterable[int]] = None) -> list[RawPage]:
    """Pages of blocks of lines in reading order; ParseError with a one-line reason if unreadable.

    Pages without a usable text layer (none, or garbage) that hold images are OCRed
    (ocr.py) after the text pages are read; their words go through the same layout.
    ``pages`` (1-based numbers) limits the work to some pages, e.g. for tests.
    """
    path = Path(path)
    document = open_document(path, password)
    try:
        try:
            n_pages = len(document)
        except pdfium.PdfiumError as exc:
            raise ParseError(f"damaged PDF: page tree unreadable ({type(exc).__name__})") from None
        if n_pages <= 0:
            raise ParseError("no pages: the PDF has zero pages")
        wanted = range(1, n_pages + 1) if pages is None else sorted({n for n in pages if 1 <= n <= n_pages})
        result: list[RawPage] = []
        total_chars = 0
        images = False
        failures = 0
        to_ocr: list[int] = []   # indexes into result
        for number in wanted:
            try:
                page = document[number - 1]
            except pdfium.PdfiumError:  # one broken page must not lose the others
                failures += 1
                result.append(RawPage(number=number))
                continue
            scanned = False
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                try:
                    blocks, width, height, n_chars = _page_blocks(page, textpage.raw)
                finally:
                    textpage.close()
                if (n_chars == 0 or is_garbage(blocks)) and _page_has_images(page):
                    images = scanned = True
                    n_chars = 0
            except pdfium.PdfiumError:  # a damaged page object: the page gives no text
                failures += 1
                blocks, n_chars, width, height = [], 0, 0.0, 0.0
            finally:
                page.close()
            total_chars += n_chars
            if scanned:
                to_ocr.append(len(result))
            result.append(RawPage(number=number, blocks=blocks, width=width, height=height))
        if to_ocr:
            total_chars += _ocr_pages(document, result, to_ocr)
        if total_chars == 0 and wanted:
            if failures == len(wanted):
                raise ParseError("damaged PDF: no page could be read")
            if images:
                raise ParseError("no text layer: " + (page_errors(result) or "the PDF is scanned images"))
            blank = [p.number for p in result]
            label = (f"page {blank[0]} is" if len(blank) == 1 else
                     f"pages {', '.join(map(str, blank))} are" if len(blank) <= 10 else f"all {len(blank)} pages are")
            raise ParseError(f"no text layer: {label} blank (no text, no images)")
        return result
    finally:
        document.close()


def page_text(page: RawPage) -> str:
    """A page's text with blocks separated by blank lines (handy for tests and debugging)."""
    return "\n\n".join("\n".join(block.lines) for block in page.blocks)
