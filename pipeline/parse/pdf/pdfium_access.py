"""pdfium access: opening a PDF (one-line ``ParseError`` reasons for unreadable files),
lean ctypes prototypes for the per-word text-page calls, per-text-object style
(size, boldness) and a page's text string.
"""
from __future__ import annotations

import ctypes
import math
from pathlib import Path
from typing import Optional

from ..blocks import ParseError
from .model import BOLD_NAME, CONTROL_CHARS, SURROGATES

# --------------------------------------------------------------------------- open


def _classify_open_error(exc: Exception, password: Optional[str]) -> ParseError:
    message = str(exc)
    if "password" in message.lower():
        if password:
            return ParseError("encrypted PDF: wrong password")
        return ParseError("encrypted PDF: a password is required")
    cause = message.split("(PDFium:")[-1].strip(" .)") if "PDFium:" in message else message
    return ParseError(f"damaged PDF: {cause or type(exc).__name__}")


def _check_header(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ParseError(f"unreadable file: {exc.strerror or type(exc).__name__}") from None
    if size == 0:
        raise ParseError("not a PDF: file is empty")
    # The spec allows junk before the header; readers accept it within 1 KiB.
    if b"%PDF-" not in head:
        raise ParseError("not a PDF: no %PDF header")


def open_document(path: Path, password: Optional[str]):
    import pypdfium2 as pdfium

    _check_header(path)
    try:
        return pdfium.PdfDocument(str(path), password=password)
    except pdfium.PdfiumError as exc:
        raise _classify_open_error(exc, password) from None
    except Exception as exc:  # noqa: BLE001 - a reader reports, it does not crash
        raise ParseError(f"damaged PDF: {type(exc).__name__}") from None


# -------------------------------------------------------------------------- words


def _c_function(function, restype, *argtypes):
    """A private ctypes prototype for a pdfium function: plain ints for handles, no wrappers."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def _c_function_unchecked(function, restype):
    """A prototype without argtypes, for the per-word calls: the caller passes a prebuilt
    ``c_void_p`` handle, a Python int index and a ``byref`` pointer, so ctypes converts
    nothing per call (about 40% less call overhead than with argtypes)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype)(address)


class Pdfium:
    """pdfium text-page calls with lean prototypes (they run once per word)."""

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        void, integer = ctypes.c_void_p, ctypes.c_int
        # The rect goes in as a plain address: ctypes converts an int faster than a pointer object.
        self.loose_box = _c_function(pdfium_c.FPDFText_GetLooseCharBox, integer, void, integer, void)
        self.text_object = _c_function(pdfium_c.FPDFText_GetTextObject, void, void, integer)
        self.font_size = _c_function(pdfium_c.FPDFText_GetFontSize, ctypes.c_double, void, integer)
        self.char_matrix = _c_function(pdfium_c.FPDFText_GetMatrix, integer, void, integer, void)
        self.font_info = _c_function(
            pdfium_c.FPDFText_GetFontInfo, ctypes.c_ulong, void, integer, void, ctypes.c_ulong, void)
        self.unicode = _c_function(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, void, integer)
        # One pointer argument: ctypes converts the int handle faster than a c_void_p made per call.
        self.object_font = _c_function(pdfium_c.FPDFTextObj_GetFont, void, void)
        # Unchecked twins of the hottest calls (see _c_function_unchecked for the calling rules).
        self.loose_box_fast = _c_function_unchecked(pdfium_c.FPDFText_GetLooseCharBox, integer)
        self.text_object_fast = _c_function_unchecked(pdfium_c.FPDFText_GetTextObject, void)
        self.font_size_fast = _c_function_unchecked(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
        self.char_matrix_fast = _c_function_unchecked(pdfium_c.FPDFText_GetMatrix, integer)
        self.unicode_fast = _c_function_unchecked(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)


_PDFIUM: Optional[Pdfium] = None


def pdfium_api() -> Pdfium:
    global _PDFIUM
    if _PDFIUM is None:
        _PDFIUM = Pdfium()
    return _PDFIUM


# A word's style: (font size, bold, direction); direction is the baseline direction in
# user space, 0, 90, 180 or 270. A tuple, because it is read once per word.
Style = tuple[float, bool, int]


class StyleReader:
    """Size, boldness and direction of a char's text object; buffers reused across calls.

    Runs once per text object (some PDFs set every word as its own object): boldness
    comes from the font's name, read once per font handle.
    """

    def __init__(self, api: Pdfium, textpage) -> None:
        self.api = api
        self.handle = ctypes.cast(textpage, ctypes.c_void_p).value
        self.handle_arg = ctypes.c_void_p(self.handle)
        self.matrix = api.c.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        # The matrix's a, b, c, d as four floats over the same memory: one slice reads them.
        self.matrix_abcd = (ctypes.c_float * 4).from_address(ctypes.addressof(self.matrix))
        self.name_buffer = ctypes.create_string_buffer(128)
        self.name_address = ctypes.addressof(self.name_buffer)
        self.flags = ctypes.c_int(0)
        self.flags_address = ctypes.addressof(self.flags)
        self.bold_by_name: dict[bytes, bool] = {}
        self.bold_by_font: dict[int, bool] = {}

    def style(self, index: int, text_object: int = 0) -> Style:
        """The style of char ``index``, whose text object is ``text_object`` (0: unknown)."""
        api, handle_arg = self.api, self.handle_arg
        size = api.font_size_fast(handle_arg, index) or 1.0
        direction = 0
        if api.char_matrix_fast(handle_arg, index, self.matrix_ref):
            a, b, c, d = self.matrix_abcd[:]
            # The char matrix holds text matrix, CTM and form matrices, so it scales the Tf size.
            size *= math.sqrt(abs(a * d - b * c)) or 1.0
            if b or a < 0:
                angle = math.degrees(math.atan2(b, a)) % 360
                direction = int(((angle + 45) % 360) // 90) * 90
        font = api.object_font(text_object) if text_object else None
        bold = self.bold_by_font.get(font) if font else None
        if bold is None:
            bold = self._bold_by_name(index)
            if font:
                self.bold_by_font[font] = bold
        return (round(size, 2), bold, direction)

    def _bold_by_name(self, index: int) -> bool:
        api = self.api
        n = api.font_info(self.handle, index, self.name_address, 128, self.flags_address)
        name = ctypes.string_at(self.name_address, max(0, min(n, 128) - 1))
        bold = self.bold_by_name.get(name)
        if bold is None:
            bold = bool(BOLD_NAME.search(name.decode("latin-1", "replace")))
            self.bold_by_name[name] = bold
        return bold


def pdfium_page_text(api: Pdfium, textpage, n_chars: int) -> str:
    """The text page's characters, one per char index (generated spaces and breaks included)."""
    c = api.c
    buffer = (ctypes.c_ushort * (n_chars + 1))()
    n_units = c.FPDFText_GetText(textpage, 0, n_chars, buffer)
    text = ctypes.string_at(buffer, max(0, n_units - 1) * 2).decode("utf-16-le", errors="replace")
    if len(text) != n_chars:
        # pdfium drops some control code points from GetText (and surrogates take two units).
        unicode, handle_arg = api.unicode_fast, ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
        text = "".join(map(chr, [unicode(handle_arg, i) for i in range(n_chars)]))
        # GetUnicode gives UTF-16 units: a surrogate (damaged font maps) can't be
        # written as UTF-8; it becomes U+FFFD, one for one.
        text = SURROGATES.sub("\ufffd", text)
    # One char for one char keeps text index == char index; control chars become breaks.
    return CONTROL_CHARS.sub(" ", text)
