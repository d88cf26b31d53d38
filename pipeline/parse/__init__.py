"""Parse stage: a paper file -> ParsedDoc (records.py). Never raises.

``parse_path`` dispatches on the file extension to a reader (text.py,
html.py, pdf/) that yields pages of raw blocks, then structure/ builds the
document. Any failure becomes ``ParsedDoc(status="error", error=<one line>)``.
"""
from __future__ import annotations

from ..io import file_sha256

import os
from pathlib import Path
from typing import Callable

from ..corpus import doc_id_for
from ..records import ParsedDoc
from .blocks import ParseError, RawPage, page_errors
from .structure import build_document

FORMATS: dict[str, str] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf",
}
SUPPORTED = ", ".join(sorted(FORMATS))
OUT_OF_MEMORY = "ran out of memory while parsing"


def _read_pdf(path: Path) -> list[RawPage]:
    try:
        from .pdf import read_pdf  # written by another engineer; imported lazily
    except ImportError:
        raise ParseError("PDF reader unavailable") from None
    return read_pdf(str(path))


def _reader(fmt: str) -> Callable[[Path], list[RawPage]]:
    if fmt in ("txt", "md"):
        from .text import read_text_file
        return read_text_file
    if fmt == "html":
        from .html import read_html_file
        return read_html_file
    return _read_pdf


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(str(text).split())
    return line[:limit] if line else "unknown error"


def _sha256(path: Path) -> str:
    return file_sha256(path)


def parse_path(path: str | os.PathLike, doc_id: str | None = None) -> ParsedDoc:
    """Parse one paper; errors come back as a ParsedDoc with status "error"."""
    path = Path(path)
    doc_id = doc_id or doc_id_for(path)
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix, suffix.lstrip(".") or "unknown")
    doc = ParsedDoc(doc_id=doc_id, source_file=path.name, format=fmt)
    try:
        doc.sha256 = _sha256(path)
    except OSError as exc:
        doc.status, doc.error = "error", _one_line(f"cannot read file: {exc.strerror or exc}")
        return doc
    if suffix not in FORMATS:
        doc.status = "error"
        doc.error = f"unsupported file type: {suffix or '(none)'} (supported: {SUPPORTED})"
        return doc
    try:
        pages = _reader(fmt)(path)
        if not pages or not any(p.blocks for p in pages):
            raise ParseError("no text found in the file")
        built = build_document(pages, doc_id, path.name, fmt)
    except ParseError as exc:
        doc.status, doc.error = "error", _one_line(str(exc) or "unreadable file")
        return doc
    except MemoryError:
        doc.status, doc.error = "error", OUT_OF_MEMORY
        return doc
    except RecursionError:
        doc.status, doc.error = "error", "parser crashed: recursion too deep"
        return doc
    except Exception as exc:  # a reader bug must not stop the run
        doc.status, doc.error = "error", _one_line(f"parser crashed: {type(exc).__name__}: {exc}")
        return doc
    built.sha256 = doc.sha256
    built.ocr_confidence = [(p.number, p.ocr_confidence) for p in pages if p.ocr_confidence is not None]
    built.ocr_pages = len(built.ocr_confidence)
    notes = page_errors(pages)
    if notes:   # page-level: the paper is ok, the pages that gave no text say why
        built.error = _one_line(notes)
    from .meta import improve_metadata
    from .text import decode_bytes, read_bytes
    raw_text = decode_bytes(read_bytes(path)) if fmt in ("md", "html") else ""
    improve_metadata(built, path, fmt, pages, raw_text)
    if not built.text.strip():
        built.status = "error"
        built.error = "no body text found (the file has only metadata or is image-only)"
    return built


__all__ = ["parse_path", "doc_id_for", "build_document", "ParseError", "FORMATS"]
