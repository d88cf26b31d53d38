"""OCR for PDF pages without a usable text layer: pypdfium2 renders, Tesseract reads.

Engine: the ``tesseract`` program (Debian's ``tesseract-ocr`` 5.x) called once
per page with its TSV output (word text, box, confidence), chosen by measurement
over a pip-only engine (docs/DECISIONS.md, "OCR"). It runs as a subprocess of
the per-paper child process, so the child's time and memory limits cover it
(RLIMIT_AS is inherited; PR_SET_PDEATHSIG kills it with the child).

Determinism: a fixed resolution (``DPI``), one OpenMP thread
(``OMP_THREAD_LIMIT=1``: also 6x faster on two shared cores than Tesseract's
default threading) and no randomness in our own steps.

Per page:
1. render at ``DPI`` in grey, read with ``--psm 3`` (automatic layout);
2. a page that reads badly (low mean confidence) is checked for orientation
   (``--psm 0``, Tesseract's orientation model) and read again turned upright;
   of the readings the one with the higher confidence wins;
3. mild skew (a few degrees) is measured from the baselines of Tesseract's
   lines and the word boxes are turned back around the page centre, so rows
   and column gutters line up as on a born-digital page (Tesseract itself
   reads skewed lines well);
4. words become ``OcrWord``s in PDF points in the reading frame (x right, y
   down) with a font size from their line's height; pdf/ lays them out with
   the same column detection as text-layer words;
5. a word holding digits whose confidence is under ``MIN_NUMBER_CONFIDENCE``
   is replaced by ``[?]``: a missing number is better than a wrong one;
6. a page whose char-weighted mean confidence is under
   ``MIN_PAGE_CONFIDENCE`` is noise: an error on that page, not text.
"""
from __future__ import annotations

import ctypes
import io
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

DPI = 300                      # render resolution (fixed: same input -> same output)
MAX_PIXELS = 60_000_000        # a larger page (a poster) is rendered at a lower resolution
MIN_PAGE_CONFIDENCE = 0.60     # char-weighted mean word confidence under which a page is noise
ORIENTATION_CHECK_BELOW = 0.80  # a first reading under this confidence triggers the orientation check
MIN_NUMBER_CONFIDENCE = 0.85   # a word with digits under this confidence becomes UNREADABLE
UNREADABLE = "[?]"
_MAX_SKEW_DEGREES = 5.0
_MIN_SKEW_DEGREES = 0.1
# A line's tall words (90th percentile of its word box heights: ascenders and descenders)
# in em (font size): text-layer size / that height was 1.02-1.11 (median per page) on
# four shared PDFs, with a wide spread per line; hence the generous snapping below.
_TALL_WORD_EM = 0.92
_SIZE_SNAP = (0.7, 1.3)        # line sizes within these shares of the page's body size are the body size
INSTALL_HINT = ("install Tesseract OCR: `apt-get install tesseract-ocr` "
                "(Debian/Ubuntu; `make venv` does it when run as root), then rerun")
_DESCENDERS = set("gjpqy,;()[]{}|/@$Qß")


@dataclass
class OcrWord:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    conf: float            # 0..1
    line: int              # index of Tesseract's line on the page
    size: float = 0.0      # font size estimate in points (the line's)


@dataclass
class OcrPage:
    words: list[OcrWord] = field(default_factory=list)
    width: float = 0.0     # reading frame, points
    height: float = 0.0
    confidence: float = 0.0
    rotation: int = 0      # degrees the rendered page was turned clockwise to read upright
    skew: float = 0.0      # degrees of residual skew corrected in the boxes
    dropped_numbers: int = 0
    error: str = ""        # set when the page gives no usable text


class OcrUnavailable(Exception):
    """Tesseract is not installed (the message says what to install)."""


# Called with the number of pages about to be OCRed (the sandbox extends its time limit).
_progress_hook: Optional[Callable[[int], None]] = None


def set_progress_hook(hook: Optional[Callable[[int], None]]) -> None:
    global _progress_hook
    _progress_hook = hook


def announce(n_pages: int) -> None:
    if _progress_hook is not None and n_pages > 0:
        _progress_hook(n_pages)


@lru_cache(maxsize=1)
def tesseract_path() -> Optional[str]:
    return shutil.which(os.environ.get("POLICYX_TESSERACT", "tesseract"))


@lru_cache(maxsize=1)
def engine_id() -> str:
    """The engine's version line ('none' when absent): part of the parse stage's fingerprint."""
    exe = tesseract_path()
    if exe is None:
        return "ocr:none"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return "ocr:unusable"
    lines = (out.stdout or out.stderr).decode("utf-8", "replace").splitlines()
    return "ocr:" + (lines[0].strip() if lines else "unknown")


def engine_status() -> str:
    """'' when OCR can run, else the one-line reason with what to install."""
    if tesseract_path() is None:
        return "OCR is unavailable: " + INSTALL_HINT
    return ""


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - best effort; the parent's kill still ends the child
        pass


def _run_tesseract(png: bytes, *args: str, dpi: int = DPI) -> str:
    exe = tesseract_path()
    if exe is None:
        raise OcrUnavailable("OCR is unavailable: " + INSTALL_HINT)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    result = subprocess.run([exe, "-", "stdout", "--dpi", str(dpi), *args], input=png,
                            capture_output=True, env=env, preexec_fn=_die_with_parent, check=False)
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"tesseract failed: {message[-1] if message else result.returncode}")
    return result.stdout.decode("utf-8", "replace")


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def _parse_tsv(tsv: str, scale: float) -> list[OcrWord]:
    """Tesseract TSV rows of words -> OcrWords in points, sized from their line's word heights."""
    words: list[OcrWord] = []
    line_index: dict[tuple[str, str, str, str], int] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        level = cols[0]
        key = (cols[1], cols[2], cols[3], cols[4])
        try:
            left, top, width, height, conf = (float(cols[6]), float(cols[7]), float(cols[8]),
                                              float(cols[9]), float(cols[10]))
        except ValueError:
            continue
        text = " ".join(cols[11].split())
        if level != "5" or not text or conf < 0:
            continue
        line = line_index.setdefault(key, len(line_index))
        words.append(OcrWord(left / scale, top / scale, (left + width) / scale, (top + height) / scale,
                             text, conf / 100.0, line))
    # A line's size from its words' median height (the line box can span two columns'
    # lines when Tesseract joins them; a word box cannot).
    heights: dict[int, list[float]] = {}
    for word in words:
        heights.setdefault(word.line, []).append(word.bottom - word.top)
    sizes = {}
    for line, values in heights.items():
        values.sort()
        sizes[line] = values[min(len(values) - 1, int(0.9 * len(values)))] / _TALL_WORD_EM
    for word in words:
        word.size = sizes[word.line]
    return words


def _confidence(words: list[OcrWord]) -> float:
    total = weight = 0.0
    for word in words:
        n = sum(1 for c in word.text if c.isalnum())
        total += n * word.conf
        weight += n
    return total / weight if weight else 0.0


def _orientation(png: bytes, dpi: int) -> int:
    """Clockwise degrees to turn the image upright, from Tesseract's orientation model (0 if unsure)."""
    try:
        out = _run_tesseract(png, "--psm", "0", dpi=dpi)
    except RuntimeError:   # too little text to tell
        return 0
    match = re.search(r"Rotate:\s*(\d+)", out)
    return int(match.group(1)) % 360 if match else 0


def _sideways(words: list[OcrWord]) -> bool:
    """Most longer words standing taller than wide: the page lies on its side (Tesseract
    then reads its lines vertically, with good confidence but boxes in the wrong frame)."""
    longer = [w for w in words if len(w.text) >= 4]
    tall = sum(1 for w in longer if (w.bottom - w.top) > (w.x1 - w.x0))
    return bool(longer) and tall * 2 > len(longer)


def _skew_degrees(words: list[OcrWord]) -> float:
    """Median baseline slope of Tesseract's lines (words without descenders), in degrees;
    positive when lines fall to the right."""
    by_line: dict[int, list[OcrWord]] = {}
    for word in words:
        if not (set(word.text) & _DESCENDERS):
            by_line.setdefault(word.line, []).append(word)
    slopes: list[float] = []
    for line_words in by_line.values():
        if len(line_words) < 4:
            continue
        xs = [(w.x0 + w.x1) / 2 for w in line_words]
        ys = [w.bottom for w in line_words]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        if sxx <= 0:
            continue
        slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx)
    if len(slopes) < 3:
        return 0.0
    return math.degrees(math.atan(statistics.median(slopes)))


def _deskew(words: list[OcrWord], degrees: float, width: float, height: float) -> None:
    """Turn word boxes by -degrees around the page centre (box sizes kept)."""
    angle = math.radians(-degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = width / 2, height / 2
    for word in words:
        mx, my = (word.x0 + word.x1) / 2 - cx, (word.top + word.bottom) / 2 - cy
        nx, ny = cx + mx * cos - my * sin, cy + mx * sin + my * cos
        dx, dy = nx - (word.x0 + word.x1) / 2, ny - (word.top + word.bottom) / 2
        word.x0, word.x1, word.top, word.bottom = word.x0 + dx, word.x1 + dx, word.top + dy, word.bottom + dy


def _snap_sizes(words: list[OcrWord]) -> None:
    """Word heights vary with ascenders and descenders: sizes near the page's body size
    become the body size (so blocks do not split on noise; a heading set 1.3x larger still
    stands out), others are rounded to 0.5 pt."""
    if not words:
        return
    totals: dict[float, int] = {}
    for word in words:
        size = round(word.size * 2) / 2
        totals[size] = totals.get(size, 0) + len(word.text)
    half, running, body = sum(totals.values()) / 2, 0, 0.0
    for size in sorted(totals):
        running += totals[size]
        if running >= half:
            body = size
            break
    for word in words:
        size = round(word.size * 2) / 2
        word.size = body if body and _SIZE_SNAP[0] * body <= size <= _SIZE_SNAP[1] * body else size


# Superscript note markers that OCR glues to their word (the text-layer path drops them by
# their smaller, raised boxes): "alert,5" / "checklists,15" lose the marker, "12The" is
# split like a footnote's own number, and a year with one glued digit ("2020.5", "20035"
# is "2003" + "5") is unreadable rather than a decimal.
_GLUED_NOTE_AFTER = re.compile(r"^(.*[^\W\d_][.,;:)\]”’\"']+)\d{1,2}$")
_GLUED_NOTE_BEFORE = re.compile(r"^(\d{1,2})([A-Z][a-z]+\W*)$")
_YEAR_WITH_NOTE = re.compile(r"^\(?(19|20)\d\d(?:[.,]?\d)\W*$")


def _mask_unsure_numbers(words: list[OcrWord]) -> int:
    """A missing number is better than a wrong one: glued note markers are cut off, and
    a word with digits read under MIN_NUMBER_CONFIDENCE becomes UNREADABLE."""
    dropped = 0
    for word in words:
        text = word.text
        if not any(c.isdigit() for c in text):
            continue
        after = _GLUED_NOTE_AFTER.match(text)
        if after and not any(c.isdigit() for c in after.group(1)):
            word.text = after.group(1)
            continue
        before = _GLUED_NOTE_BEFORE.match(text)
        if before:
            word.text = before.group(1) + " " + before.group(2)
            continue
        if word.conf < MIN_NUMBER_CONFIDENCE or _YEAR_WITH_NOTE.match(text):
            word.text = UNREADABLE
            dropped += 1
    return dropped


def _read(image, scale: float) -> tuple[list[OcrWord], float]:
    png = _png(image)
    words = _parse_tsv(_run_tesseract(png, "--psm", "3", "-l", "eng", "tsv", dpi=round(scale * 72)), scale)
    return words, _confidence(words)


def ocr_image(image, dpi: int = DPI) -> OcrPage:
    """OCR one page image (PIL, rendered at ``dpi``)."""
    scale = dpi / 72.0
    image = image.convert("L")
    words, conf = _read(image, scale)
    rotation = 0
    sideways = _sideways(words)
    if conf < ORIENTATION_CHECK_BELOW or sideways:
        turn = _orientation(_png(image), dpi)
        # Tesseract unsure of a page on its side: try both quarter turns.
        for candidate in ([turn] if turn else [90, 270] if sideways else []):
            turned = image.rotate(-candidate, expand=True)   # PIL turns counter-clockwise
            turned_words, turned_conf = _read(turned, scale)
            # A reading of lines standing on end is wrong however sure Tesseract is of it.
            if (sideways and not _sideways(turned_words)) or turned_conf > conf:
                image, words, conf, rotation = turned, turned_words, turned_conf, candidate
                sideways = _sideways(words)
    width, height = image.size[0] / scale, image.size[1] / scale
    page = OcrPage(words=words, width=round(width, 2), height=round(height, 2),
                   confidence=round(conf, 4), rotation=rotation)
    if not words:
        page.error = "OCR found no text on the page image"
        return page
    if conf < MIN_PAGE_CONFIDENCE:
        page.error = f"OCR read only noise (mean confidence {conf:.2f} < {MIN_PAGE_CONFIDENCE:.2f})"
        page.words = []
        return page
    skew = _skew_degrees(words)
    if _MIN_SKEW_DEGREES <= abs(skew) <= _MAX_SKEW_DEGREES:
        _deskew(words, skew, width, height)
        page.skew = round(skew, 2)
    _snap_sizes(words)
    page.dropped_numbers = _mask_unsure_numbers(words)
    return page


def ocr_pdf_page(page, dpi: int = DPI) -> OcrPage:
    """Render a pypdfium2 page (its /Rotate applied) and OCR it."""
    if tesseract_path() is None:
        raise OcrUnavailable("OCR is unavailable: " + INSTALL_HINT)
    width, height = page.get_size()
    if width * height > 0:
        dpi = min(dpi, int(72 * math.sqrt(MAX_PIXELS / (width * height))))
    bitmap = page.render(scale=dpi / 72.0, grayscale=True)
    try:
        image = bitmap.to_pil().convert("L")   # a copy: the bitmap's buffer is freed below
    finally:
        bitmap.close()
    return ocr_image(image, dpi)
