"""HTML reader with the standard library's html.parser.

script/style/nav/head (and other non-content elements) are dropped, and so
is a page-level <header> (the site banner) outside <article>/<main>; h1-h6
become heading blocks carrying a Markdown-style ``#`` level prefix (the
convention structure/ reads); p, li, div, ... each become a block. A table
is one block with a line per row, its cells joined by " | ", so a number in a
cell keeps its row label as context.
HTML has no pages: everything is page 1.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .blocks import ParseError, RawBlock, RawPage
from .text import check_pages_are_text, decode_text, read_bytes

_SKIP_TAGS = {"script", "style", "nav", "head", "noscript", "template", "svg", "iframe",
              "object", "embed", "canvas", "button", "select", "form", "footer", "aside"}
_HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CELL_TAGS = {"td", "th"}
_CONTENT_TAGS = {"article", "main"}
_BLOCK_TAGS = {"p", "li", "div", "dd", "dt", "blockquote", "pre",
               "section", "article", "main", "header", "table", "ul", "ol", "dl",
               "figcaption", "caption", "address", "body", "html", "center"}
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col",
              "embed", "param", "source", "track", "wbr"}
_WS_RE = re.compile(r"\s+")


class _BlockCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RawBlock] = []
        self.title = ""
        self._skip_depth = 0
        self._skip_stack: list[str] = []
        self._buf: list[str] = []
        self._lines: list[str] = []
        self._heading_level = 0
        self._in_title = False
        self._title_buf: list[str] = []
        self._table_depth = 0
        self._content_depth = 0
        self._cells_in_row = 0

    # -- buffering
    def _end_line(self) -> None:
        line = _WS_RE.sub(" ", "".join(self._buf)).strip()
        self._buf = []
        if line:
            self._lines.append(line)

    def _flush(self) -> None:
        self._end_line()
        if not self._lines:
            return
        if self._heading_level:
            text = " ".join(self._lines)
            self.blocks.append(RawBlock(lines=["#" * self._heading_level + " " + text], kind="heading"))
        else:
            self.blocks.append(RawBlock(lines=self._lines, kind="table" if self._table_depth else "text"))
        self._lines = []

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs) -> None:
        tag = tag.lower()
        # PARSE-HTML-TITLE: the <title> stands in <head>, which is skipped as page furniture
        if tag == "title" and not self._title_buf and "svg" not in self._skip_stack:
            self._in_title = True
            return
        if tag in _CONTENT_TAGS and not self._skip_depth:
            self._content_depth += 1
        if tag in _SKIP_TAGS or (tag == "header" and not self._content_depth):
            if tag not in _VOID_TAGS:
                self._skip_depth += 1
                self._skip_stack.append(tag)
            return
        if self._skip_depth:
            return
        if tag in _HEADING_TAGS:
            self._flush()
            self._heading_level = _HEADING_TAGS[tag]
        elif tag == "br":
            self._end_line()
        elif self._table_depth and tag == "tr":
            self._end_line()
            self._cells_in_row = 0
        elif self._table_depth and tag in _CELL_TAGS:
            if self._cells_in_row and "".join(self._buf).strip():
                self._buf.append(" | ")
            self._cells_in_row += 1
        elif self._table_depth and tag in _BLOCK_TAGS and tag != "table":
            self._buf.append(" ")   # a <p> inside a cell stays in its row
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "table":
                self._table_depth += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag.lower() == "br" and not self._skip_depth:
            self._end_line()

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag == "title":
            self._in_title = False
            return
        if self._skip_depth:
            if tag in self._skip_stack:
                while self._skip_stack:
                    top = self._skip_stack.pop()
                    self._skip_depth -= 1
                    if top == tag:
                        break
            return
        if tag in _CONTENT_TAGS and self._content_depth:
            self._content_depth -= 1
        if tag in _HEADING_TAGS:
            self._flush()
            self._heading_level = 0
        elif self._table_depth and tag == "tr":
            self._end_line()
        elif self._table_depth and (tag in _CELL_TAGS or (tag in _BLOCK_TAGS and tag != "table")):
            pass
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "table" and self._table_depth:
                self._table_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_buf.append(data)
            return
        if self._skip_depth:
            return
        self._buf.append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        self.title = _WS_RE.sub(" ", "".join(self._title_buf)).strip()


def html_to_pages(text: str) -> list[RawPage]:
    collector = _BlockCollector()
    try:
        collector.feed(text)
        collector.close()
    except Exception as exc:  # html.parser is lenient; this is a last resort
        raise ParseError(f"unreadable HTML: {type(exc).__name__}") from None
    blocks = collector.blocks
    # The <title> stands in for a missing h1 so the document gets a title.
    if collector.title and not any(b.kind == "heading" and b.lines[0].startswith("# ") for b in blocks):
        blocks.insert(0, RawBlock(lines=["# " + collector.title], kind="heading"))
    return [RawPage(number=1, blocks=blocks)]


def read_html_file(path: str | Path) -> list[RawPage]:
    text, guessed = decode_text(read_bytes(path))
    pages = html_to_pages(text)
    if not pages[0].blocks:
        raise ParseError("empty file: no text in the HTML")
    check_pages_are_text(pages, guessed)
    return pages
