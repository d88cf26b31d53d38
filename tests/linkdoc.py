"""Small synthetic documents for the link stage's tests.

Documents are written with inline markup: ``{TYPE key=value ...|surface}``
marks a mention, e.g. ``{COUNTRY iso3=DEU|Germany}`` or
``{MONEY value=5e9 currency=EUR|5 billion euros}``. ``build_doc`` strips the
markup, computes offsets, pages and sentence bounds, and returns the ParsedDoc
and its mentions, so these tests do not depend on the extract stage.
"""
from __future__ import annotations

import re

from pipeline.link import link_document
from pipeline.records import Measure, Mention, Paragraph, ParsedDoc

MARK = re.compile(r"\{([A-Z]+)((?:\s+\w+=[^\s|}]+)*)\|([^}]*)\}")
SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")
NUMERIC = {"value", "low", "high", "from_value"}
INTEGER = {"year", "month"}

Para = tuple  # (section, text) or (section, text, kind) or (section, text, kind, page)


def build_doc(paragraphs: list[Para], doc_id: str = "t") -> tuple[ParsedDoc, list[Mention]]:
    body = ""
    paras: list[Paragraph] = []
    mentions: list[Mention] = []
    page_starts: list[tuple[int, int]] = []
    for item in paragraphs:
        section, marked = item[0], item[1]
        kind = item[2] if len(item) > 2 else "body"
        page = item[3] if len(item) > 3 else 1
        if body:
            body += "\n\n"
        p_start = len(body)
        plain = ""
        pending: list[tuple[int, int, str, dict[str, str]]] = []
        pos = 0
        for m in MARK.finditer(marked):
            plain += marked[pos:m.start()]
            start = len(plain)
            plain += m.group(3)
            attrs = dict(kv.split("=", 1) for kv in m.group(2).split())
            pending.append((start, len(plain), m.group(1), attrs))
            pos = m.end()
        plain += marked[pos:]
        body += plain
        if not page_starts or page_starts[-1][1] != page:
            page_starts.append((p_start, page))
        paras.append(Paragraph(text=plain, page=page, section=section, start=p_start,
                               end=p_start + len(plain), kind=kind))
        bounds = []
        s = 0
        for cut in SENT.finditer(plain):
            bounds.append((s, cut.start()))
            s = cut.end()
        bounds.append((s, len(plain)))
        for start, end, mtype, attrs in pending:
            ss, se = next(b for b in bounds if b[0] <= start < b[1] + 1)
            fields: dict[str, object] = {}
            for k, v in attrs.items():
                fields[k] = float(v) if k in NUMERIC else int(v) if k in INTEGER else v.replace("_", " ")
            a, b = p_start + start, p_start + end
            mentions.append(Mention(doc_id=doc_id, mention_id=f"{doc_id}:m{a}-{b}-{mtype}", type=mtype,
                                    text=plain[start:end], start=a, end=b, page=page, section=section,
                                    sent_start=p_start + ss, sent_end=p_start + se, **fields))
    doc = ParsedDoc(doc_id=doc_id, source_file=f"{doc_id}.txt", format="txt", text=body,
                    paragraphs=paras, page_starts=page_starts, pages=max(p for _, p in page_starts))
    return doc, mentions


def link_text(*paragraphs: Para) -> list[Measure]:
    doc, mentions = build_doc(list(paragraphs))
    return link_document(doc, mentions)


def only(measures: list[Measure]) -> Measure:
    assert len(measures) == 1, [m.evidence for m in measures]
    return measures[0]


# ------------------------------------------------------------------ country


