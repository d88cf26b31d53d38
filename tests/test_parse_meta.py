"""Paper metadata (pipeline/parse/meta.py): front matter, HTML metas, cover lines, PDF dates."""
from __future__ import annotations

from pathlib import Path

from pipeline.parse import parse_path
from pipeline.parse.blocks import RawBlock, RawPage
from pipeline.parse.meta import _pdf_year, strip_front_matter, text_year


def _page(*lines: str) -> list[RawPage]:
    return [RawPage(number=1, blocks=[RawBlock(lines=[ln]) for ln in lines])]


def test_markdown_front_matter_gives_title_year_authors_and_leaves_the_body(tmp_path: Path) -> None:
    md = tmp_path / "note.md"
    md.write_text("---\ntitle: \"Chips Act: one year on\"\ndate: 2024-03-05\nauthors: [A. Kim, B. Ode]\n---\n\n"
                  "# Overview\n\nThe government spent $50 billion on fabs in 2023.\n", encoding="utf-8")
    doc = parse_path(md)
    assert (doc.title, doc.year, doc.authors) == ("Chips Act: one year on", 2024, "A. Kim; B. Ode")
    assert doc.metadata["title_from"] == "front matter" and "title:" not in doc.text and "2024-03-05" not in doc.text
    assert strip_front_matter("---\na: 1\n---\nbody") == "\n\n\nbody"


def test_html_og_title_and_published_time(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<html><head><title>Budget | Ministry</title><meta property="og:title" content="Budget 2025 ">'
                    '<meta property="article:published_time" content="2025-02-01T10:00:00Z"></head>'
                    "<body><h1>Budget</h1><p>The budget gives EUR 2 billion to research.</p></body></html>",
                    encoding="utf-8")
    doc = parse_path(page)
    assert (doc.title, doc.year) == ("Budget 2025", 2025)


def test_year_from_update_line_copyright_and_cover_line() -> None:
    assert text_year(_page("State aid", "Updated April 21, 2026", "Body text of 2019.")) == (2026, "publication cue")
    assert text_year(_page("A report", "© 2024 Ministry of Industry")) == (2024, "copyright")
    assert text_year(_page("Monthly Labor Review • January 2012 65", "Industry Employment")) == (2012, "dated cover line")
    # a long sentence naming a month is body, not a cover line
    assert text_year(_page("The recession that began in December 2007 hit every industry in the country hard, "
                           "and the recovery has been slow since then.")) == (None, "")


def test_pdf_creation_date_is_used_unless_a_resaving_tool_made_the_file() -> None:
    assert _pdf_year({"Producer": "Acrobat Distiller 7.0 (Windows)", "CreationDate": "D:20071206080123-05'00'"}) == 2007
    assert _pdf_year({"Creator": "pdftk 1.44 - www.pdftk.com", "CreationDate": "D:20130405140033+02'00'"}) is None
    assert _pdf_year({"Producer": "GPL Ghostscript 9.06", "CreationDate": "D:20130405114507+01'00'"}) is None
