"""Paper metadata that comparisons rest on: title, publication year, authors.

Applied by ``parse_path`` after the structure builder, from what the file
says about itself (never from the body's mentions):

- Markdown: YAML front matter (Jekyll/Hugo/Pandoc) ``title`` (else
  ``description``), ``date``/``published``/``year``, ``author(s)``; the front
  matter is kept out of the body text (``strip_front_matter``).
- HTML: ``og:title``, else the page's ``<h1>`` (the builder's title), else
  ``<title>``; the year from ``article:published_time``,
  ``citation_publication_date``, ``DC.date``, ``date`` metas or a ``<time
  datetime>``.
- PDF: the builder's title (the largest type on page 1), else the PDF's Title.
- Every format: a year stated on the first page: "Updated April 21, 2026",
  "Published ...", "(c)/© 2024", "Copyright 2024", or a dated cover line (a
  short line at the top or foot of page 1 with a month and a year: "Monthly
  Labor Review • January 2012"); else the PDF's creation date, unless a tool
  that re-saves PDFs made it (pdftk, Ghostscript ...: that date is when the
  file was cut, not when the paper was published; list in
  ``data/paper_metadata.yaml``).

``doc.metadata["title_from"]`` and ``["year_from"]`` record which rule gave
each. A year outside 1900-2099 is no year.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Optional

import yaml

from ..data_access import yaml_mapping
from ..records import ParsedDoc
from .blocks import RawPage

DATA = "paper_metadata.yaml"
_FRONT_RE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_YEAR = r"(19\d\d|20\d\d)"
_YEAR_RE = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATED_RE = re.compile(rf"\b{_MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?{_YEAR}(?!\d)", re.I)
_COPYRIGHT_RE = re.compile(rf"(?:©|\(c\)|\bcopyright\b)\s*(?:©\s*)?{_YEAR}(?!\d)", re.I)


@lru_cache(maxsize=1)
def _config() -> dict[str, Any]:
    return yaml_mapping(DATA)


def _year(value: Any) -> Optional[int]:
    if isinstance(value, (dt.date, dt.datetime)):
        year = value.year
    elif isinstance(value, int):
        year = value
    else:
        m = _YEAR_RE.search(str(value or ""))
        year = int(m.group(1)) if m else None
    return year if year is not None and 1900 <= year <= 2099 else None


# ------------------------------------------------------------ front matter

def strip_front_matter(text: str) -> str:
    """Markdown text without its leading YAML front matter (line count kept: blank lines)."""
    m = _FRONT_RE.match(text)
    if not m:
        return text
    return "\n" * m.group(0).count("\n") + text[m.end():]


def front_matter(text: str) -> dict[str, Any]:
    m = _FRONT_RE.match(text)
    if not m:
        return {}
    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


# -------------------------------------------------------------------- HTML

class _HeadMeta(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
            if key and "content" in a:
                self.meta.setdefault(key, a["content"].strip())
        elif tag == "time" and a.get("datetime"):
            self.times.append(a["datetime"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def html_meta(text: str) -> dict[str, Any]:
    p = _HeadMeta()
    try:
        p.feed(text)
        p.close()
    except (AssertionError, ValueError):  # html.parser on a malformed user file: no metadata
        return {}
    year = None
    for key in _config().get("html_date_metas", []):
        year = year or _year(p.meta.get(key))
    if year is None and p.times:
        year = _year(p.times[0])
    return {"og_title": " ".join(p.meta.get("og:title", "").split()), "title": " ".join(p.title.split()),
            "year": year, "author": p.meta.get("author", "")}


# --------------------------------------------------------------------- PDF

def pdf_info(path: Path) -> dict[str, str]:
    import pypdfium2 as pdfium
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError:  # the reader already read it; a damaged info dict is no metadata
        return {}
    try:
        return {k: str(v) for k, v in doc.get_metadata_dict().items() if v}
    except (pdfium.PdfiumError, UnicodeDecodeError):
        return {}
    finally:
        doc.close()


def _pdf_year(info: dict[str, str]) -> Optional[int]:
    tools = [t.lower() for t in _config().get("pdf_resaving_tools", [])]
    made_by = (info.get("Creator", "") + " " + info.get("Producer", "")).lower()
    if any(t in made_by for t in tools):
        return None
    m = re.match(r"D?:?(\d{4})", info.get("CreationDate", ""))
    return _year(m.group(1)) if m else None


# ------------------------------------------------------- the year in the text

def text_year(pages: list[RawPage]) -> tuple[Optional[int], str]:
    """A publication year stated on page 1: update/publication cue, copyright, dated cover line."""
    if not pages:
        return None, ""
    lines = [" ".join(ln.split()) for b in pages[0].blocks for ln in b.lines]
    lines = [ln for ln in lines if ln]
    cues = _config().get("publication_cues", [])
    cue_re = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in cues) + r")\b[:\s]*(?:on\s+)?", re.I)
    for ln in lines:
        for m in cue_re.finditer(ln):
            d = _DATED_RE.match(ln, m.end()) or _YEAR_RE.match(ln, m.end())
            if d:
                return _year(d.group(0)), "publication cue"
    for ln in lines:
        m = _COPYRIGHT_RE.search(ln)
        if m:
            return _year(m.group(1)), "copyright"
    cfg = _config()
    top, foot, max_words = cfg.get("cover_top_lines", 12), cfg.get("cover_foot_lines", 3), cfg.get("cover_max_words", 12)
    for ln in lines[:top] + lines[-foot:]:
        if len(ln.split()) <= max_words:
            m = _DATED_RE.search(ln)
            if m:
                return _year(m.group(0)), "dated cover line"
    return None, ""


# ------------------------------------------------------------------ applying

def _clean_title(value: Any) -> str:
    return " ".join(str(value or "").split())[:300]


def improve_metadata(doc: ParsedDoc, path: Path, fmt: str, pages: list[RawPage], raw_text: str = "") -> None:
    """Fill doc.title, doc.year, doc.authors from the file's own metadata (see the module docstring)."""
    title_from = "largest type" if fmt == "pdf" and doc.title else ("first heading" if doc.title else "")
    year_from = "journal line" if doc.year else ""
    title, year, authors = doc.title, doc.year, doc.authors
    if fmt == "md" and raw_text:
        fm = front_matter(raw_text)
        t = _clean_title(fm.get("title") or fm.get("description"))
        if t:
            title, title_from = t, "front matter"
        y = next((_year(fm.get(k)) for k in ("date", "published", "publishDate", "year") if _year(fm.get(k))), None)
        if y:
            year, year_from = y, "front matter"
        a = fm.get("authors") or fm.get("author")
        if a and not authors:
            authors = "; ".join(str(x) for x in a) if isinstance(a, list) else str(a)
    elif fmt == "html" and raw_text:
        hm = html_meta(raw_text)
        if hm.get("og_title"):
            title, title_from = hm["og_title"], "og:title"
        elif not title and hm.get("title"):
            title, title_from = hm["title"], "<title>"
        if hm.get("year"):
            year, year_from = hm["year"], "html meta"
        if hm.get("author") and not authors:
            authors = hm["author"]
    info = pdf_info(path) if fmt == "pdf" else {}
    if fmt == "pdf" and not title and _clean_title(info.get("Title")):
        title, title_from = _clean_title(info.get("Title")), "pdf metadata"
    if year is None:
        year, year_from = text_year(pages)
    if year is None and info:
        year = _pdf_year(info)
        year_from = "pdf metadata" if year else ""
    doc.title, doc.year, doc.authors = title, year, authors
    if title_from:
        doc.metadata["title_from"] = title_from
    if year_from:
        doc.metadata["year_from"] = year_from
