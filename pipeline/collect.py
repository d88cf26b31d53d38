"""Collect per-paper outputs into the combined tables (all papers, stable order).

    python -m pipeline.collect OUTPUT_DIR RAW_DIR

Reads output/{parsed,mentions,measures}/<doc_id>.* for the papers now in raw/,
writes output/{documents,mentions,measures,programs,references}.csv, the body
texts output/text/<doc_id>.txt and output/datapackage.json, each atomically.
Per-paper files of papers no longer in raw/ are removed.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

from . import io as pio
from .datapackage import write_datapackage
from .link import programs_table
from .records import (
    INTERNAL_MENTION_TYPES, TABLE_COLUMNS, ParsedDoc, document_row,
    measure_from_dict, mention_from_dict, parsed_from_dict, to_dict,
)

log = logging.getLogger("policyx.collect")
PER_PAPER_DIRS = {"parsed": ".json", "mentions": ".jsonl", "measures": ".jsonl", "state": ".json", "text": ".txt"}


def _measure_order(measure_id: str) -> int:
    tail = measure_id.rsplit(":q", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def _ref_order(ref_id: str) -> tuple[int, str]:
    return (int(ref_id), "") if ref_id.isdigit() else (10**9, ref_id)


def _write_text_if_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    pio.atomic_write_text(path, text)


def collect(out_dir: Path, papers: Iterable[tuple[Path, str]],
            duplicates: Optional[dict[str, str]] = None) -> dict[str, Any]:
    """Write the combined tables for ``papers`` [(raw path, doc_id)]."""
    out_dir = Path(out_dir)
    papers = sorted(papers, key=lambda x: x[1])
    docs, mentions_rows, measures_rows, programs_rows, refs_rows = [], [], [], [], []
    failed: list[tuple[str, str]] = []
    for raw_path, doc_id in papers:
        try:
            parsed = parsed_from_dict(pio.read_json(out_dir / "parsed" / f"{doc_id}.json"))
            mentions = [mention_from_dict(m) for m in pio.read_jsonl(out_dir / "mentions" / f"{doc_id}.jsonl")]
            measures = [measure_from_dict(m) for m in pio.read_jsonl(out_dir / "measures" / f"{doc_id}.jsonl")]
        except (OSError, ValueError) as exc:
            parsed = ParsedDoc(doc_id=doc_id, source_file=Path(raw_path).name,
                               format=Path(raw_path).suffix.lstrip(".").lower(), status="error",
                               error=f"outputs missing or unreadable, rerun: {type(exc).__name__}")
            mentions, measures = [], []
        docs.append(to_dict(document_row(parsed)))
        if parsed.status != "ok":
            failed.append((doc_id, parsed.error))
        _write_text_if_changed(out_dir / "text" / f"{doc_id}.txt", parsed.text)
        mentions_rows += [to_dict(m) for m in sorted(mentions, key=lambda m: (m.start, m.end, m.type))
                          if m.type not in INTERNAL_MENTION_TYPES]
        measures_rows += [to_dict(m) for m in sorted(measures, key=lambda m: _measure_order(m.measure_id))]
        programs_rows += sorted((to_dict(p) for p in programs_table(parsed, mentions, measures)),
                                key=lambda p: p["program"].casefold())
        refs_rows += [to_dict(r) for r in sorted(parsed.references, key=lambda r: _ref_order(r.ref_id))]
    for name, reason in sorted((duplicates or {}).items()):
        docs.append({"doc_id": name, "source_file": name, "format": Path(name).suffix.lstrip(".").lower(),
                     "status": "error", "error": reason})
        failed.append((name, reason))
    docs.sort(key=lambda d: d["doc_id"])

    _remove_orphans(out_dir, {d for _, d in papers})
    # One group: a write error (a full disk) leaves every previous table.
    with pio.atomic_group():
        pio.write_csv(out_dir / "mentions.csv", TABLE_COLUMNS["mentions"], mentions_rows)
        pio.write_csv(out_dir / "measures.csv", TABLE_COLUMNS["measures"], measures_rows)
        pio.write_csv(out_dir / "programs.csv", TABLE_COLUMNS["programs"], programs_rows)
        pio.write_csv(out_dir / "references.csv", TABLE_COLUMNS["references"], refs_rows)
        write_datapackage(out_dir)
        # documents.csv last: it is make's target, so it is only new when all is.
        pio.write_csv(out_dir / "documents.csv", TABLE_COLUMNS["documents"], docs)
    return {"papers": len(docs), "failed": failed, "mentions": len(mentions_rows),
            "measures": len(measures_rows)}


def _remove_orphans(out_dir: Path, keep: set[str]) -> None:
    for sub, ext in PER_PAPER_DIRS.items():
        folder = out_dir / sub
        if not folder.is_dir():
            continue
        for f in folder.iterdir():
            if f.name.endswith(ext) and f.name[: -len(ext)] not in keep and not f.name.startswith("."):
                f.unlink()


def main(argv: Optional[list[str]] = None) -> int:
    import argparse
    from .run import doc_id_for, list_papers
    ap = argparse.ArgumentParser(prog="python -m pipeline.collect", description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("raw_dir", type=Path)
    args = ap.parse_args(argv)
    summary = collect(args.out_dir, [(p, doc_id_for(p)) for p in list_papers(args.raw_dir)])
    print(f"{summary['papers']} papers, {summary['mentions']} mentions, {summary['measures']} measures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
