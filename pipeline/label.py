"""Draft an expectations file from the pipeline's outputs, for a human to correct.

``python -m pipeline label raw/<file> OUTPUT_DIR EXPECTATIONS_DIR`` writes
``EXPECTATIONS_DIR/<doc_id>.yaml`` with ``status: draft``: every distinct
mention and every measure the pipeline found, each with its evidence sentence
as a YAML comment. A draft is never scored; the labeler reads the paper, fixes
the items, adds what was missed, and sets ``status: final``. A file that is
already final is never overwritten (exit 2).
"""
from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path
from typing import Any, Optional

import yaml

from .io import atomic_write_text, read_text
from .records import MENTION_TYPES
from .validate import (MEASURE_FIELDS, ExpectationError, load_expectations, read_rows,
                       to_float, to_int, predicted_key)

EVIDENCE_CHARS = 160
# Numeric mention fields kept on a drafted item, in this order.
_NUMERIC_KEYS = ("value", "low", "high", "from_value")


def flow(item: Any) -> str:
    """One YAML flow value on one line: ``{iso3: USA, name: United States}``."""
    if isinstance(item, (dict, list)):
        return yaml.safe_dump(item, default_flow_style=True, width=math.inf,
                              allow_unicode=True, sort_keys=False).strip()
    # A bare scalar dump ends with a document marker: dump it inside a list.
    text = yaml.safe_dump([item], default_flow_style=True, width=math.inf,
                          allow_unicode=True).strip()
    return text[1:-1]


def one_line(text: str, limit: int = EVIDENCE_CHARS) -> str:
    s = re.sub(r"\s+", " ", text or "").strip()
    return s if len(s) <= limit else s[: limit - 3] + "..."


_SENT_END = re.compile(r"[.!?](?=\s+[A-Z\"“(])|\n\s*\n")


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding [start, end): a cheap splitter, enough
    for a reviewer to recognize the place."""
    if not text or start < 0 or start > len(text):
        return ""
    left = 0
    for m in _SENT_END.finditer(text, 0, start):
        left = m.end()
    m = _SENT_END.search(text, max(end, start))
    right = m.end() if m else len(text)
    return text[left:right].strip()


def _number(x: Any) -> Optional[float | int]:
    v = to_float(x)
    if v is None:
        return None
    return int(v) if v.is_integer() and abs(v) < 1e15 else v


def mention_item(mtype: str, row: dict) -> Optional[dict]:
    """The expectations item for one predicted row; None when the row lacks
    the field the schema requires (listed as unresolved instead)."""
    text = (row.get("text") or "").strip()
    canonical = (row.get("canonical") or "").strip() or text
    iso3 = (row.get("iso3") or "").strip().upper()
    if mtype == "COUNTRY":
        return {"iso3": iso3, "name": text} if iso3 else None
    if mtype == "REGION":
        return {"name": canonical, "iso3": iso3} if canonical else None
    if mtype in ("PROGRAM", "ORG"):
        item: dict[str, Any] = {"canonical": canonical}
        if iso3:
            item["iso3"] = iso3
        return item if canonical else None
    if mtype == "SECTOR":
        return {"canonical": canonical} if canonical else None
    if mtype in ("MONEY", "PERCENT"):
        item = {}
        for key in _NUMERIC_KEYS:
            v = _number(row.get(key))
            if v is not None:
                item[key] = v
        if "value" not in item:
            return None
        if mtype == "MONEY":
            currency = (row.get("currency") or "").strip().upper()
            if not re.fullmatch(r"[A-Z]{3}", currency):
                return None
            item["currency"] = currency
        approx = (row.get("approx") or "").strip()
        if approx in ("~", ">", "<"):
            item["approx"] = approx
        return item
    if mtype == "DATE":
        year = to_int(row.get("year"))
        if year is None:
            return None
        item = {"year": year}
        month = to_int(row.get("month"))
        if month:
            item["month"] = month
        return item
    return None


def measure_item(row: dict) -> dict:
    item: dict[str, Any] = {"quantity_type": (row.get("quantity_type") or "").strip()}
    for key in _NUMERIC_KEYS:
        v = _number(row.get(key))
        if v is not None:
            item[key] = v
    currency = (row.get("currency") or "").strip().upper()
    if currency:
        item["currency"] = currency
    for fname in MEASURE_FIELDS:
        value = (row.get(fname) or "").strip()
        if not value:
            continue
        item[fname] = to_int(value) if fname == "year" and to_int(value) is not None else value
    return item


def draft_yaml(doc_id: str, paper: str, mentions: list[dict], measures: list[dict],
               body_text: str, doc_status: str = "ok") -> str:
    """The text of a draft expectations file (pure)."""
    lines = [
        "# DRAFT made by `python -m pipeline label` from the pipeline's own output.",
        "# Read the paper, correct every item, add what is missing, mark debatable",
        "# items `optional: true`, then set `status: final` (docs/EXPECTATIONS.md).",
        f"doc_id: {flow(doc_id)}",
        "status: draft",
        f"source: {flow(paper)}",
        "labeled_by: pipeline draft (to review)",
        f"notes: {flow('pipeline status: ' + doc_status)}",
        "",
        "mentions:",
    ]
    for mtype in MENTION_TYPES:
        rows = [r for r in mentions if (r.get("type") or "").upper() == mtype]
        lines.append(f"  {mtype}:" + ("" if rows else " []"))
        seen: dict[tuple, dict] = {}
        aliases: dict[tuple, list[str]] = {}
        evidence: dict[tuple, str] = {}
        unresolved: list[str] = []
        for row in rows:
            item = mention_item(mtype, row)
            if item is None:
                unresolved.append(one_line(row.get("text", ""), 60))
                continue
            key = predicted_key(mtype, row)
            if key not in seen:
                seen[key] = item
                aliases[key] = []
                start, end = to_int(row.get("start")) or 0, to_int(row.get("end")) or 0
                evidence[key] = f"p.{row.get('page', '')}: " + one_line(sentence_around(body_text, start, end))
            text = (row.get("text") or "").strip()
            names = {str(item.get("canonical", "")).casefold(), str(item.get("name", "")).casefold()}
            if mtype in ("REGION", "PROGRAM", "ORG", "SECTOR") and text and text.casefold() not in names \
                    and text not in aliases[key]:
                aliases[key].append(text)
        for key, item in seen.items():
            if aliases[key]:
                item = {**item, "aliases": aliases[key]}
            lines.append(f"    - {flow(item)}")
            lines.append(f"      # {evidence[key]}")
        for text in unresolved:
            lines.append(f"    # unresolved (no normalized value): {text}")
    lines.append("")
    lines.append("measures:" + ("" if measures else " []"))
    for row in measures:
        item = measure_item(row)
        lines.append(f"  # p.{row.get('page', '')} {row.get('measure_id', '')}")
        first = True
        for key, value in item.items():
            lines.append(f"  {'- ' if first else '  '}{key}: {flow(value)}")
            first = False
        lines.append(f"    evidence: {flow(one_line(row.get('evidence', ''), 400))}")
    return "\n".join(lines) + "\n"


def existing_status(path: Path) -> Optional[str]:
    """Status of an existing expectations file ('' when unreadable)."""
    if not path.exists():
        return None
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError):
        return ""
    return str(data.get("status", "")) if isinstance(data, dict) else ""


def main(argv: list[str] | None = None) -> int:
    """python -m pipeline label raw/<file> OUTPUT_DIR EXPECTATIONS_DIR"""
    p = argparse.ArgumentParser(prog="python -m pipeline label", description=__doc__.splitlines()[0])
    p.add_argument("paper", help="the raw paper, e.g. raw/05_report.pdf")
    p.add_argument("output_dir")
    p.add_argument("expectations_dir")
    args = p.parse_args(argv)

    doc_id = Path(args.paper).stem
    output_dir, exp_dir = Path(args.output_dir), Path(args.expectations_dir)
    target = exp_dir / f"{doc_id}.yaml"
    status = existing_status(target)
    if status is not None and status != "draft":
        print(f"error: {target} exists with status {status or '(unreadable)'!r}, not 'draft': "
              "refusing to overwrite hand labels. Delete it or set status: draft first.",
              file=sys.stderr)
        return 2
    documents = read_rows(output_dir / "documents.csv")
    doc = next((d for d in documents if d.get("doc_id") == doc_id), None)
    if doc is None:
        print(f"error: {doc_id} not in {output_dir}/documents.csv: run the pipeline on "
              f"{args.paper} first", file=sys.stderr)
        return 2
    mentions = [r for r in read_rows(output_dir / "mentions.csv") if r.get("doc_id") == doc_id]
    measures = [r for r in read_rows(output_dir / "measures.csv") if r.get("doc_id") == doc_id]
    text_path = output_dir / "text" / f"{doc_id}.txt"
    body = read_text(text_path) if text_path.exists() else ""
    text = draft_yaml(doc_id, args.paper, mentions, measures, body, doc.get("status", "") or "ok")
    atomic_write_text(target, text)
    try:
        load_expectations(target)
    except ExpectationError as exc:  # the draft still helps; say what to fix
        print(f"warning: draft does not pass the schema yet: {exc}", file=sys.stderr)
    print(f"wrote {target}: {len(mentions)} mentions, {len(measures)} measures (status: draft)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
