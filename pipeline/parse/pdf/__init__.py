"""PDF reader: pypdfium2 words -> rows -> columns -> blocks in reading order.

Why pypdfium2 and not pdfplumber chars: pdfium builds the page's text (with
its own word spacing, ligatures and line-end hyphen marks) in C; this reader
asks it for one page string and then only two char boxes and one text-object
handle per *word*, never a Python object per character (per-word calls go
through ctypes prototypes without argtypes; style is read once per text object,
boldness once per font; char boxes are kept as flat float lists, which the garbage
collector does not trace). That keeps it at about 4x pypdfium2's bare
``get_text_range`` (CPU time, the 8 sample PDFs) and over 10x faster than
pdfplumber's ``extract_text``, while doing its own layout (pdfium's and
pdfplumber's text order interleave columns).

Layout, per page:
1. words are put into the reading frame of the page's dominant text direction
   (a page printed sideways reads normally); words in another direction (margin
   stamps, rotated table heads) are laid out separately and appended;
2. consecutive words of one style on one line merge into runs (fragments);
3. fragments are grouped into rows by vertical overlap with the row's tallest
   member (never the union, so rows cannot chain across offset columns; drop
   caps are placed last);
4. gutters are vertical "rivers" of whitespace: an x-interval that stays empty
   in consecutive rows, with text on both sides. A gutter is only valid for the
   rows it runs through, so a page can go from full-width heading to three
   columns to two columns to a full-width table. Rivers between table cells
   are dropped (narrow columns, or columns of short cells, narrowest first);
5. consecutive rows with the same active gutters form a band; a band is read
   column by column, bands top to bottom; each column's lines are regrouped so
   a heading in one column never shares a line with another column;
6. each column's lines are split into blocks at vertical gaps, font-size
   changes, whole-line bold changes and first-line indents after a paragraph
   end. The first and last row of a page are their own blocks so the structure
   builder can recognize running headers and footers. Blocks whose lines
   mostly have several wide gaps are marked ``kind="table"``. Per line, the
   count of leading bold characters goes to ``RawBlock.line_bold_chars`` (bold
   run-in heads); a whole-bold line followed by a line that starts bold is one
   head wrapped over two lines and stays in the block; small capitals inside a
   sentence do not count as a font-size change.
7. footnote markers set as superscripts (smaller and raised: compared from the
   word's first and last char boxes, so no extra pdfium call for most words)
   are dropped when glued to or standing after a word ("2007.1" -> "2007.",
   "Reports 1 from" -> "Reports from"), and separated when they open a line
   ("10A flight" -> "10 A flight", a footnote's own number). Powers after "10"
   and after units such as "m2" are kept.

Pages without a usable text layer (none, or garbage) that hold images are read
by OCR (ocr.py: pypdfium2 renders, Tesseract reads); their words enter the same
layout from step 2 on. A page that gives no text says why in ``RawPage.error``.

Unreadable files raise ``ParseError`` with a one-line reason whose first words
name the class: ``not a PDF``, ``encrypted PDF``, ``damaged PDF``,
``no pages``, ``no text layer`` (plus ``unreadable file`` for OS errors).
pdfium does the decoding; it bounds Form XObject recursion itself, and this
module has no recursion at all.

Modules, bottom to top: ``model`` (shapes and layout constants),
``pdfium_access`` (opening, ctypes prototypes, styles), ``words`` (words and
runs, superscripts), ``columns`` (rows, gutters, column lines), ``lines``
(column lines -> blocks), ``reader`` (pages, OCR hand-off, ``read_pdf``).
"""
from .reader import page_text, read_pdf

__all__ = ["page_text", "read_pdf"]
