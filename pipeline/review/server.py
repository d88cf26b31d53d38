"""The local labeling app: ``make serve`` (``python -m pipeline.review --serve``).

A stdlib ``http.server`` on 127.0.0.1 that routes requests to ``labels`` and
serves two pages whose script (``assets/app.js``, plain JavaScript, no build
step) talks to a small JSON API:

    GET  /                               the corpus: status, counts, errors, scores
    GET  /paper/<doc_id>                 one paper: text, page image, labels editor
    GET  /api/paper/<doc_id>             text, predicted spans, labels, version, scores
    GET  /api/vocab                      controlled vocabularies
    GET  /api/page/<doc_id>/<n>.png      page n of the source PDF (pypdfium2)
    POST /api/paper/<doc_id>/score       {labels} -> scores of unsaved labels
    POST /api/paper/<doc_id>/save        {labels, version} -> new version and scores; 409 on conflict
    POST /api/paper/<doc_id>/suggest     {kind, start, end} -> a pre-filled new item

Safety: it listens on 127.0.0.1 unless told otherwise, answers only requests
addressed to a local host name (no DNS rebinding), takes POSTs only as JSON
(a cross-site form cannot post), writes only ``<expectations>/<doc_id>.yaml``
and its backup for a doc id of the outputs, and every error is a JSON answer
with a reason, never a traceback.
"""
from __future__ import annotations

import html
import io
import json
import sys
import threading
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from . import labels as lab
from .static import CSS, readable_title

ASSETS = Path(__file__).parent / "assets"
MAX_BODY = 8 * 1024 * 1024
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
PAGE_WIDTH_PX = 900


@dataclass
class App:
    output_dir: Path
    exp_dir: Path
    raw_dir: Path
    save_lock: threading.Lock = field(default_factory=threading.Lock)

    def doc_id(self, raw: str) -> str:
        return lab.check_doc_id(unquote(raw), set(lab.known_doc_ids(self.output_dir)))

    def rows(self, doc_id: str) -> lab.PaperRows:
        return lab.paper_rows(self.output_dir, doc_id)

    def pdf_path(self, rows: lab.PaperRows) -> Path | None:
        name = rows.document.get("source_file") or ""
        path = self.raw_dir / name
        if rows.document.get("format") != "pdf" or not name or "/" in name or not path.is_file():
            return None
        return path

    # ------------------------------------------------------------- API
    def paper(self, doc_id: str) -> dict:
        rows = self.rows(doc_id)
        data, version, origin = lab.read_labels(self.exp_dir, doc_id, rows)
        pdf = self.pdf_path(rows)
        return {"doc_id": doc_id, "document": rows.document, "title": readable_title(rows.document.get("title")),
                "text": rows.text, "chunks": _chunks(rows.text), "spans": _spans(rows),
                "labels": data, "version": version, "origin": origin,
                "pdf_pages": _pdf_pages(str(pdf), pdf.stat().st_mtime) if pdf else 0,
                **self._scored(data, rows)}

    def _scored(self, data: dict, rows: lab.PaperRows) -> dict:
        try:
            scores = lab.scores(data, rows, self.exp_dir)
        except lab.LabelError as exc:
            return {"scores": [], "summary": {}, "status": {}, "problems": exc.problems}
        return {"scores": scores, "summary": lab.summary(scores), "status": lab.item_status(data, rows),
                "problems": []}

    def score(self, doc_id: str, body: dict) -> dict:
        data = body.get("labels")
        if not isinstance(data, dict):
            raise lab.LabelError("send {labels: {...}}", 400)
        return self._scored(data, self.rows(doc_id))

    def save(self, doc_id: str, body: dict) -> dict:
        data, version = body.get("labels"), body.get("version")
        if not isinstance(data, dict) or not isinstance(version, str):
            raise lab.LabelError("send {labels: {...}, version: '...'}", 400)
        with self.save_lock:
            new_version = lab.save_labels(self.exp_dir, doc_id, data, version)
        return {"version": new_version, "saved": f"{doc_id}.yaml", **self._scored(data, self.rows(doc_id))}

    def suggest(self, doc_id: str, body: dict) -> dict:
        kind = body.get("kind")
        if kind not in lab.MENTION_TYPES + ("measure",):
            raise lab.LabelError(f"unknown kind {kind!r}", 400)
        start, end = body.get("start"), body.get("end")
        if not isinstance(start, int) or not isinstance(end, int):
            raise lab.LabelError("start and end must be integers", 400)
        return {"item": lab.suggest(kind, self.rows(doc_id).text, start, end)}

    def page_png(self, doc_id: str, page: int) -> bytes:
        pdf = self.pdf_path(self.rows(doc_id))
        if pdf is None:
            raise lab.LabelError(f"{doc_id} has no PDF source in {self.raw_dir}", 404)
        if not 1 <= page <= _pdf_pages(str(pdf), pdf.stat().st_mtime):
            raise lab.LabelError(f"no page {page} in {pdf.name}", 404)
        return _render(str(pdf), pdf.stat().st_mtime, page)

    # ----------------------------------------------------------- pages
    def corpus_html(self) -> str:
        docs = lab.rows_by_doc(self.output_dir, "documents")
        rows = []
        for doc_id, (doc, *_) in docs.items():
            rows.append(self._corpus_row(doc_id, doc))
        head = "".join(f"<th>{h}</th>" for h in ("paper", "title", "format", "status", "error", "pages", "mentions",
                                                 "measures", "labels", "mentions F1", "measures F1", "all fields F1"))
        errors = sum(1 for d in docs.values() if d[0].get("status") == "error")
        body = (f'<header class="bar"><h1>policyx labeling</h1><span class="note">{len(docs)} papers, {errors} with '
                'errors. Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>Enter</kbd> open.</span></header>'
                f'<main class="corpus"><div class="wide"><table id="corpus"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(rows)}</tbody></table></div></main>')
        return _page("policyx labeling", body, "corpus")

    def _corpus_row(self, doc_id: str, doc: dict) -> str:
        rows = self.rows(doc_id)
        state = lab.labels_state(self.exp_dir, doc_id)
        summary: dict[str, Any] = {}
        if state in ("draft", "final"):             # blind papers: neither opened nor scored here
            data, _, _ = lab.read_labels(self.exp_dir, doc_id, rows)
            summary = self._scored(data, rows)["summary"]
        status = doc.get("status", "")
        cells = [
            f'<a href="/paper/{html.escape(quote(doc_id, safe=""))}">{html.escape(doc_id)}</a>',
            html.escape(readable_title(doc.get("title"))), html.escape(doc.get("format", "")),
            f'<span class="status-{html.escape(status)}">{html.escape(status)}</span>',
            html.escape(doc.get("error", "")), html.escape(doc.get("pages", "")),
            str(len(rows.mentions)), str(len(rows.measures)), html.escape(state or "none"),
            *(_score_cell(summary.get(k)) for k in ("mentions", "measures", "all_fields")),
        ]
        classes = ["paper", "title", "format", "status", "error", "num", "num", "num", "labels", "num", "num", "num"]
        return "<tr>" + "".join(f'<td class="{c}">{v}</td>' for c, v in zip(classes, cells)) + "</tr>"

    def paper_html(self, doc_id: str) -> str:
        body = (f'<div id="app" data-doc="{html.escape(doc_id)}"><p class="note">Loading {html.escape(doc_id)}'
                '&hellip; (this page needs JavaScript)</p></div>')
        return _page(f"{doc_id}: labeling", body, "paper")


def _score_cell(value: Any) -> str:
    return "" if value is None else f"{value:.2f}"


def _page(title: str, body: str, kind: str) -> str:
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{html.escape(title)}</title>"
            f"<style>{CSS}</style><link rel=\"stylesheet\" href=\"/assets/app.css\"></head>\n"
            f"<body class=\"app {kind}\">\n{body}\n<script src=\"/assets/app.js\"></script>\n</body></html>\n")


def _chunks(text: str) -> list[list]:
    from .static import text_chunks
    return [[c.start, c.end, c.page, c.kind] for c in text_chunks(text)]


def _spans(rows: lab.PaperRows) -> list[dict]:
    """Predicted mentions as non-overlapping spans (the longer wins), with their values."""
    spans = []
    for row in rows.mentions:
        try:
            start, end = int(row.get("start", "")), int(row.get("end", ""))
        except ValueError:
            continue
        if 0 <= start < end <= len(rows.text):
            spans.append({"start": start, "end": end, "type": row.get("type", ""), "page": row.get("page", ""),
                          "value": " ".join(v for v in (row.get("iso3"), row.get("canonical"), row.get("value"),
                                                        row.get("currency"), row.get("year")) if v)})
    spans.sort(key=lambda s: (s["start"], -(s["end"] - s["start"])))
    kept, last_end = [], -1
    for span in spans:
        if span["start"] >= last_end:
            kept.append(span)
            last_end = span["end"]
    return kept


@lru_cache(maxsize=16)
def _pdf_pages(path: str, mtime: float) -> int:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    try:
        return len(pdf)
    finally:
        pdf.close()


@lru_cache(maxsize=32)
def _render(path: str, mtime: float, page_no: int) -> bytes:
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[page_no - 1]
        image = page.render(scale=PAGE_WIDTH_PX / max(page.get_width(), 1.0)).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        return out.getvalue()
    finally:
        pdf.close()


class Handler(BaseHTTPRequestHandler):
    server_version = "policyx-review"
    app: App  # set on the subclass made by make_server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib's name)
        if getattr(self.server, "verbose", False):
            sys.stderr.write("%s %s\n" % (self.address_string(), format % args))

    def _send(self, status: int, body: bytes, ctype: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, obj: Any) -> None:
        self._send(status, json.dumps(obj, ensure_ascii=False, default=str).encode("utf-8"),
                   "application/json; charset=utf-8")

    def _local_host(self) -> bool:
        """Is the request addressed to this machine by name? (No DNS rebinding.)"""
        host = self.headers.get("Host") or ""
        name = host.split("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
        return name in LOCAL_HOSTS or name == self.server.server_address[0]

    def _body(self) -> dict:
        if not (self.headers.get("Content-Type") or "").startswith("application/json"):
            raise lab.LabelError("POST bodies must be application/json", 415)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise lab.LabelError("request too large", 413)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise lab.LabelError(f"not JSON: {exc}", 400) from None
        if not isinstance(body, dict):
            raise lab.LabelError("send a JSON object", 400)
        return body

    def do_GET(self) -> None:  # noqa: N802 (stdlib's name)
        self._dispatch("GET")

    def do_POST(self) -> None:  # noqa: N802 (stdlib's name)
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        # The request boundary: every failure becomes a clear answer, never a dropped connection.
        try:
            if not self._local_host():
                raise lab.LabelError("this app answers only requests to 127.0.0.1/localhost", 403)
            self._route(method, urlsplit(self.path).path)
        except lab.Conflict as exc:
            self._json(exc.status, {"error": str(exc), "current": exc.current})
        except lab.LabelError as exc:
            self._json(exc.status, {"error": str(exc), "problems": exc.problems})
        except Exception as exc:  # noqa: BLE001 (request boundary)
            traceback.print_exc(file=sys.stderr)
            self._json(500, {"error": f"internal error: {type(exc).__name__}: {exc}"})

    def _route(self, method: str, path: str) -> None:
        app = self.app
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/":
            return self._send(200, app.corpus_html().encode(), "text/html; charset=utf-8")
        if method == "GET" and len(parts) == 2 and parts[0] == "paper":
            return self._send(200, app.paper_html(app.doc_id(parts[1])).encode(), "text/html; charset=utf-8")
        if method == "GET" and len(parts) == 2 and parts[0] == "assets" and parts[1] in ("app.js", "app.css"):
            ctype = "text/javascript" if parts[1].endswith(".js") else "text/css"
            return self._send(200, (ASSETS / parts[1]).read_bytes(), f"{ctype}; charset=utf-8")
        if parts[0] == "api":
            if method == "GET" and parts[1:] == ["vocab"]:
                return self._json(200, lab.vocabularies(app.output_dir))
            if method == "GET" and len(parts) == 3 and parts[1] == "paper":
                return self._json(200, app.paper(app.doc_id(parts[2])))
            if method == "GET" and len(parts) == 4 and parts[1] == "page" and parts[3].endswith(".png"):
                number = parts[3][:-4]
                if not number.isdigit():
                    raise lab.LabelError("page must be a number", 400)
                return self._send(200, app.page_png(app.doc_id(parts[2]), int(number)), "image/png")
            if method == "POST" and len(parts) == 4 and parts[1] == "paper" and parts[3] in ("score", "save", "suggest"):
                doc_id = app.doc_id(parts[2])
                return self._json(200, getattr(app, parts[3])(doc_id, self._body()))
        raise lab.LabelError(f"nothing at {method} {path}", 404)


def make_server(output_dir: str | Path, exp_dir: str | Path, raw_dir: str | Path,
                host: str = "127.0.0.1", port: int = 8765) -> ThreadingHTTPServer:
    """A server (not yet serving) for the app; port 0 picks a free port."""
    exp = Path(exp_dir)
    if not exp.is_dir():
        raise lab.LabelError(f"expectations folder {exp} does not exist", 2)
    if not (Path(output_dir) / "documents.csv").is_file():
        raise lab.LabelError(f"{output_dir}/documents.csv not found: run the pipeline first (make all)", 2)
    app = App(Path(output_dir), exp, Path(raw_dir))
    handler = type("BoundHandler", (Handler,), {"app": app})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def serve(output_dir: str, exp_dir: str, raw_dir: str, host: str, port: int) -> int:
    try:
        server = make_server(output_dir, exp_dir, raw_dir, host, port)
    except lab.LabelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot listen on {host}:{port}: {exc.strerror} (try PORT=...)", file=sys.stderr)
        return 2
    server.verbose = True  # type: ignore[attr-defined]
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: listening on {host}: anyone who reaches it can edit the labels", file=sys.stderr)
    print(f"labeling app on http://{host}:{server.server_address[1]}/ (Ctrl+C stops it); "
          f"writes only {exp_dir}/<doc_id>.yaml", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
