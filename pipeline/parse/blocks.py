"""What a format reader hands to the structure builder.

Readers (pdf/, text.py, html.py) only decode a file into pages of blocks of
lines in reading order; structure/ turns those into a ParsedDoc (repair,
headers/footers, headings, metadata, references, paragraph joining).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class RawBlock:
    """A visually separate block of lines (a paragraph, heading, table row group)."""
    lines: list[str]
    # Layout hints where the reader knows them (PDF); None when unknown.
    font_size: Optional[float] = None
    bold: bool = False
    bbox: Optional[tuple[float, float, float, float]] = None  # x0, top, x1, bottom
    column: int = 0           # 0 = full width, 1.. = column index left to right
    kind: str = "text"        # text | heading | table | header_footer
    # Per line, how many leading characters are set in bold (the whole line's
    # length when all of it is bold); empty when unknown. A bold run-in head
    # ("Tax benefits extended. The following ...") shows here.
    line_bold_chars: list[int] = field(default_factory=list)


@dataclass
class RawPage:
    number: int               # 1-based
    blocks: list[RawBlock] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    # OCR (PDF pages without a usable text layer): the page's mean word confidence
    # (0..1) when its text came from OCR, else None; ``error`` says why a page gave
    # no text (OCR unavailable, noise), page-level: the paper can still be ok.
    ocr_confidence: Optional[float] = None
    error: str = ""


def page_errors(pages: list[RawPage]) -> str:
    """Page-level reasons, grouped: "page 3: ...; pages 5, 7: ..." ('' when none)."""
    by_reason: dict[str, list[int]] = {}
    for page in pages:
        if page.error:
            by_reason.setdefault(page.error, []).append(page.number)
    parts = []
    for reason, numbers in by_reason.items():
        label = "page" if len(numbers) == 1 else "pages"
        shown = ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")
        parts.append(f"{label} {shown}: {reason}")
    return "; ".join(parts)


class ParseError(Exception):
    """A paper that cannot be read; the message is the one-line human reason."""
