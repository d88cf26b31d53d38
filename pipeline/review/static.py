"""Review pages: each paper's body text with its mentions highlighted (displaCy),
its measures and metadata; plus an index of all papers.

Pages are self-contained (inline CSS, no scripts, nothing from the network; a
Content-Security-Policy forbids both) and every piece of paper text is
HTML-escaped, since a paper may contain markup. Long texts are rendered one
paragraph at a time so displaCy stays fast. Pages fit a 1366 px screen: wide
or long tables scroll inside their own box, long words wrap.

    python -m pipeline.review OUTPUT_DIR REVIEW_DIR
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional
from urllib.parse import quote

import pandas as pd
from spacy import displacy

from .. import io as pio
from ..load import Tables, load

# One colour per mention type; unknown types get displaCy's default grey.
MENTION_COLORS: dict[str, str] = {
    "COUNTRY": "#7aecec", "REGION": "#bfeeb7", "PROGRAM": "#feca74", "ORG": "#aa9cfc",
    "MONEY": "#e4e7d2", "PERCENT": "#f0d0ff", "DATE": "#bfe1d9", "SECTOR": "#ffeb80", "COUNT": "#e0e0e0",
}
# Columns of a paper's measure table; "value" shows approx, range or change with it.
MEASURE_COLUMNS = ("measure", "type", "value", "currency", "country", "program", "org", "instrument",
                   "sector", "year", "page", "evidence")
DOCUMENT_FIELDS = ("source_file", "format", "status", "error", "title", "authors", "year", "pages", "words", "sha256")
# Paragraphs longer than this are cut at the next line break so one chunk stays small.
MAX_CHUNK_CHARS = 4000
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

CSS = """
*,*::before,*::after{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;max-width:1200px;padding:1em 2em;color:#222;background:#fff;overflow-wrap:anywhere}
h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em;width:100%}th,td{border:1px solid #ddd;padding:.25em .45em;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:#f3f3f3;position:sticky;top:0;overflow-wrap:normal}tr:nth-child(even) td{background:#fafafa}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.status-error{color:#b00020;font-weight:bold}.status-ok{color:#1b7f3b}
.meta th{width:9em;position:static}.legend mark{padding:.1em .4em;margin-right:.4em;border-radius:.3em}
.paragraph{margin:.2em 0 .8em 0;max-width:100%}.paragraph.heading{font-weight:bold}.page-tag{color:#888;font-size:.75em;border-top:1px dashed #ccc;margin-top:1em}
td.evidence{min-width:18em}td.error{color:#b00020}
.wide{max-width:100%;max-height:75vh;overflow:auto;border:1px solid #eee}
.entities{line-height:2.5!important;overflow-wrap:anywhere}.note{color:#666;font-size:.85em}
a{color:#0b57d0}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@dataclass
class Chunk:
    start: int
    end: int
    page: Optional[int] = None
    kind: str = "body"


def _esc(value: Any) -> str:
    """HTML-escaped text of a cell; "" for a missing value."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return default


def _number(value: Any) -> str:
    """A readable number cell: 4.5e9 -> 4,500,000,000; 33.3333 -> 33.33."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    if number.is_integer() and abs(number) < 1e18:
        return f"{int(number):,}"
    return f"{number:,.4g}" if abs(number) >= 1e6 else f"{number:,.2f}".rstrip("0").rstrip(".")


def readable_title(value: Any) -> str:
    """The title as text worth showing, or "" when it is missing or not text:
    control or replacement characters, or too few letters (binary read as text)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    title = " ".join(str(value).split())
    if not title or len(title) > 400:
        return ""
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") or ch == "\ufffd" for ch in title):
        return ""
    letters = sum(ch.isalpha() for ch in title)
    return title if letters >= 2 and letters >= 0.5 * len(title.replace(" ", "")) else ""


def display_title(doc: Any) -> str:
    """A paper's title for a page heading: its readable title, else its doc_id."""
    return readable_title(doc.get("title")) or str(doc["doc_id"])


def page_href(doc_id: str) -> str:
    return quote(f"{doc_id}.html")


def text_chunks(text: str, paragraphs: Optional[list[dict[str, Any]]] = None) -> list[Chunk]:
    """Spans of the body text to render one at a time: the parsed paragraphs when
    known (with their pages), else blocks between blank lines; long ones are cut."""
    spans: list[Chunk] = []
    if paragraphs:
        cursor = 0
        for para in sorted(paragraphs, key=lambda p: _int(p.get("start"))):
            start, end = max(_int(para.get("start")), cursor), min(_int(para.get("end")), len(text))
            if end <= start:
                continue
            if start > cursor:                      # text between paragraphs is not lost
                spans.append(Chunk(cursor, start))
            spans.append(Chunk(start, end, _int(para.get("page"), 0) or None, str(para.get("kind") or "body")))
            cursor = end
        if cursor < len(text):
            spans.append(Chunk(cursor, len(text)))
    else:
        cursor = 0
        for brk in _PARAGRAPH_BREAK.finditer(text):
            spans.append(Chunk(cursor, brk.start()))
            cursor = brk.end()
        spans.append(Chunk(cursor, len(text)))
    out: list[Chunk] = []
    for span in spans:
        start = span.start
        while span.end - start > MAX_CHUNK_CHARS:
            cut = text.rfind("\n", start + 1, start + MAX_CHUNK_CHARS)
            if cut <= start:
                cut = text.rfind(" ", start + 1, start + MAX_CHUNK_CHARS)
            if cut <= start:
                cut = start + MAX_CHUNK_CHARS
            out.append(Chunk(start, cut, span.page, span.kind))
            start = cut
        out.append(Chunk(start, span.end, span.page, span.kind))
    return [c for c in out if text[c.start:c.end].strip()]


def non_overlapping(mentions: pd.DataFrame, text_length: int) -> tuple[list[dict[str, Any]], int]:
    """Mentions as displaCy spans, sorted, without overlaps (the longer span wins).
    Returns the spans and how many mentions could not be shown."""
    spans = []
    for row in mentions.itertuples(index=False):
        start, end = row.start, row.end
        if pd.isna(start) or pd.isna(end):
            continue
        start, end = int(start), int(end)
        if 0 <= start < end <= text_length:
            spans.append({"start": start, "end": end, "label": str(row.type), "kb_id": _mention_value(row)})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"])))
    kept: list[dict[str, Any]] = []
    last_end = -1
    for span in spans:
        if span["start"] >= last_end:
            kept.append(span)
            last_end = span["end"]
    return kept, len(mentions) - len(kept)


def _mention_value(row: Any) -> str:
    """The normalized value shown beside a highlighted mention's label."""
    def get(name: str) -> Any:
        value = getattr(row, name, None)
        return None if value is None or pd.isna(value) else value

    kind, parts = get("type"), []
    if kind in ("MONEY", "PERCENT") and get("value") is not None:
        unit = "%" if kind == "PERCENT" else ""
        start = "" if get("from_value") is None else f"{_number(get('from_value'))}{unit}\u2192"
        parts.append(f"{start}{get('approx') or ''}{_number(get('value'))}{unit}")
        if get("currency"):
            parts.append(str(get("currency")))
    elif kind == "DATE" and get("year") is not None:
        month = get("month")
        parts.append(str(get("year")) + ("" if month is None else f"-{int(month):02d}"))
    else:
        if get("canonical") and get("canonical") != get("text"):
            parts.append(str(get("canonical")))
        if get("iso3"):
            parts.append(str(get("iso3")))
    return " ".join(parts)


def render_text(text: str, mentions: pd.DataFrame, paragraphs: Optional[list[dict[str, Any]]] = None) -> tuple[str, int]:
    """Highlighted body text as HTML, and the number of mentions left out for overlapping."""
    spans, _ = non_overlapping(mentions, len(text))
    shown = 0
    last_page: Optional[int] = None
    options = {"colors": MENTION_COLORS}
    parts = []
    index = 0
    for chunk in text_chunks(text, paragraphs):
        while index < len(spans) and spans[index]["start"] < chunk.start:
            index += 1                            # a span starting between chunks is skipped
        ents = []
        while index < len(spans) and spans[index]["end"] <= chunk.end:
            span = spans[index]
            ents.append({
                "start": span["start"] - chunk.start, "end": span["end"] - chunk.start,
                # displaCy escapes the text but not labels or kb ids.
                "label": html.escape(span["label"]), "kb_id": html.escape(span["kb_id"]), "kb_url": "#measures",
            })
            index += 1
        shown += len(ents)
        rendered = displacy.render({"text": text[chunk.start:chunk.end], "ents": ents, "title": None},
                                   style="ent", manual=True, page=False, minify=True, options=options)
        # Mark only where a new page starts.
        page = ""
        if chunk.page and chunk.page != last_page:
            page = f'<div class="page-tag">page {int(chunk.page)}</div>'
            last_page = chunk.page
        kind = "heading" if chunk.kind == "heading" else "body"
        parts.append(f'{page}<div class="paragraph {kind}" id="c{chunk.start}">{rendered}</div>')
    return "\n".join(parts), len(mentions) - shown


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{_esc(title)}</title><style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def _table(columns: Iterable[str], rows: Iterable[Iterable[str]], numeric: Iterable[str] = ()) -> str:
    """An HTML table of already-escaped cells; a cell's class is its column (numbers right-aligned)."""
    columns, numeric = list(columns), set(numeric)
    classes = [f' class="num {col}"' if col in numeric else f' class="{col}"' for col in columns]
    head = "".join(f"<th>{_esc(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td{css}>{cell}</td>" for css, cell in zip(classes, row)) + "</tr>\n"
        for row in rows
    )
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table></div>'


def quantity_text(row: Any) -> str:
    """"~4,500,000,000", "3–10", "35 → 50" or "50%": a quantity as a reader says it."""
    if pd.isna(row["value"]):
        return ""
    unit = "%" if row["quantity_type"] == "percent" else ""
    approx = "" if pd.isna(row["approx"]) else str(row["approx"])
    if not pd.isna(row["low"]) and not pd.isna(row["high"]):
        return f"{approx}{_number(row['low'])}{unit}\u2013{_number(row['high'])}{unit}"
    if not pd.isna(row["from_value"]):
        return f"{_number(row['from_value'])}{unit} \u2192 {approx}{_number(row['value'])}{unit}"
    return f"{approx}{_number(row['value'])}{unit}"


def _measure_cells(row: pd.Series) -> list[str]:
    measure_id = str(row["measure_id"])
    cells = {
        "measure": _esc(measure_id.rsplit(":", 1)[-1]),
        "type": _esc(row["quantity_type"]),
        "value": _esc(quantity_text(row)),
    }
    return [cells[c] if c in cells else _esc(row.get(c)) for c in MEASURE_COLUMNS]


def _status_cell(status: Any) -> str:
    text = _esc(status) or "?"
    css = "status-error" if text == "error" else "status-ok" if text == "ok" else ""
    return f'<span class="{css}">{text}</span>'


def _meta_cell(doc: pd.Series, field: str) -> str:
    if field == "status":
        return _status_cell(doc.get(field))
    if field == "title":
        return _esc(readable_title(doc.get(field)))
    if field == "error":
        return f'<span class="status-error">{_esc(doc.get(field))}</span>'
    return _esc(doc.get(field))


def _legend() -> str:
    marks = "".join(f'<mark style="background:{color}">{html.escape(label)}</mark>'
                    for label, color in MENTION_COLORS.items() if label != "COUNT")
    return f'<p class="legend">{marks}</p>'


def _read_paragraphs(output_dir: Path, doc_id: str) -> Optional[list[dict[str, Any]]]:
    path = output_dir / "parsed" / f"{doc_id}.json"
    if not path.is_file():
        return None
    try:
        paragraphs = pio.read_json(path).get("paragraphs")
    except (OSError, ValueError, AttributeError):
        return None
    return paragraphs if isinstance(paragraphs, list) and all(isinstance(p, dict) for p in paragraphs) else None


def document_page(tables: Tables, doc: pd.Series) -> str:
    """The review page of one paper."""
    doc_id = str(doc["doc_id"])
    mentions = tables.mentions[tables.mentions["doc_id"] == doc_id]
    measures = tables.measures[tables.measures["doc_id"] == doc_id]
    references = tables.references[tables.references["doc_id"] == doc_id]
    text = tables.text(doc_id)

    meta_rows = "".join(
        f"<tr><th>{field}</th><td>{_meta_cell(doc, field)}</td></tr>"
        for field in DOCUMENT_FIELDS if field in doc.index
    )
    parts = [
        '<p><a href="index.html">&larr; all papers</a></p>',
        f"<h1>{_esc(display_title(doc))}</h1>",
        f'<table class="meta"><tbody><tr><th>doc_id</th><td>{_esc(doc_id)}</td></tr>{meta_rows}'
        f"<tr><th>mentions</th><td>{len(mentions)}</td></tr><tr><th>measures</th><td>{len(measures)}</td></tr></tbody></table>",
    ]
    parts.append(f'<h2 id="measures">Measures ({len(measures)})</h2>')
    if len(measures):
        rows = (_measure_cells(row) for _, row in measures.iterrows())
        parts.append(_table(MEASURE_COLUMNS, rows, numeric={"value", "page", "year"}))
    else:
        parts.append('<p class="note">No measures.</p>')

    parts.append(f'<h2 id="text">Body text with {len(mentions)} mentions</h2>')
    if text.strip():
        rendered, hidden = render_text(text, mentions, _read_paragraphs(tables.output_dir, doc_id))
        parts.append(_legend())
        if hidden:
            parts.append(f'<p class="note">{hidden} overlapping or out-of-range mention(s) not highlighted.</p>')
        parts.append(f'<div class="body-text">{rendered}</div>')
    else:
        parts.append('<p class="note">No body text.</p>')

    if len(references):
        rows = ([_esc(r["ref_id"]), _esc(r["text"]), _esc(r["year"])] for _, r in references.iterrows())
        parts.append(f"<h2>References ({len(references)})</h2>" + _table(["ref_id", "text", "year"], rows, numeric={"year"}))
    return _page(f"{doc_id}: review", "\n".join(parts))


def index_page(tables: Tables) -> str:
    """The list of all papers with status, error and counts, linking to each page."""
    docs = tables.documents
    mention_counts = tables.mentions["doc_id"].value_counts()
    measure_counts = tables.measures["doc_id"].value_counts()
    errors = int((docs["status"] == "error").sum()) if len(docs) else 0
    rows = []
    for _, doc in docs.iterrows():
        doc_id = str(doc["doc_id"])
        rows.append([
            f'<a href="{html.escape(page_href(doc_id))}">{_esc(doc_id)}</a>',
            _esc(readable_title(doc.get("title"))),
            _esc(doc.get("format")),
            _status_cell(doc.get("status")),
            _esc(doc.get("error")),
            _esc(doc.get("pages")),
            str(int(mention_counts.get(doc_id, 0))),
            str(int(measure_counts.get(doc_id, 0))),
        ])
    summary = (f"<p>{len(docs)} papers, {errors} with errors; {len(tables.mentions)} mentions, "
               f"{len(tables.measures)} measures.</p>")
    table = _table(["paper", "title", "format", "status", "error", "pages", "mentions", "measures"], rows,
                   numeric={"pages", "mentions", "measures"})
    return _page("policyx review", f"<h1>policyx review</h1>\n{summary}\n{table}")


def write_review(output_dir: str | Path, review_dir: str | Path) -> list[Path]:
    """Write review_dir/index.html and review_dir/<doc_id>.html for every paper; return the paths."""
    tables = load(output_dir)
    review_dir = Path(review_dir)
    review_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for _, doc in tables.documents.iterrows():
        path = review_dir / f"{doc['doc_id']}.html"
        pio.atomic_write_text(path, document_page(tables, doc))
        written.append(path)
    index = review_dir / "index.html"
    pio.atomic_write_text(index, index_page(tables))
    written.append(index)
    return written

