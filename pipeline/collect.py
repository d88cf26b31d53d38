"""Collect per-paper outputs into the combined tables (all papers, stable order).

    python -m pipeline.collect OUTPUT_DIR RAW_DIR

Reads output/{parsed,mentions,measures}/<doc_id>.* for the papers now in raw/,
writes output/{documents,mentions,measures,programs,references}.csv, the
corpus registries output/{program,org}_registry.csv, the body texts
output/text/<doc_id>.txt and output/datapackage.json, each atomically.
Per-paper files of papers no longer in raw/ are removed.

Corpus-wide columns are filled here, from what the stages recorded: money in
USD/EUR at the year's rate (pipeline/fx.py), ``duplicate_of`` for a paper
added twice (pipeline/duplicates.py), and program/org ids of the registries
(pipeline/registry.py).
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Iterable, Optional

from . import io as pio
from .datapackage import write_datapackage
from .duplicates import DocText, find_duplicates
from .fx import fx_fields
from .link import programs_table
from .registry import Registry, Sighting
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
    texts: list[DocText] = []
    org_sightings: list[Sighting] = []
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
        texts.append(DocText(parsed.doc_id, parsed.sha256, parsed.text, parsed.status == "ok"))
        for m in sorted(measures, key=lambda m: _measure_order(m.measure_id)):
            row = to_dict(m)
            row.update(fx_fields(m.value, m.currency, m.quantity_type, m.year, parsed.year))
            measures_rows.append(row)
        org_sightings += _org_sightings(doc_id, mentions)
        programs_rows += sorted((to_dict(p) for p in programs_table(parsed, mentions, measures)),
                                key=lambda p: p["program"].casefold())
        refs_rows += [to_dict(r) for r in sorted(parsed.references, key=lambda r: _ref_order(r.ref_id))]
    for name, reason in sorted((duplicates or {}).items()):
        docs.append({"doc_id": name, "source_file": name, "format": Path(name).suffix.lstrip(".").lower(),
                     "status": "error", "error": reason})
        failed.append((name, reason))
    docs.sort(key=lambda d: d["doc_id"])

    # the same paper twice: later copies point to the one kept, and stay out of the registries' counts
    dup = find_duplicates(texts)
    for d in docs:
        if d["doc_id"] in dup:
            d["duplicate_of"], d["duplicate_how"] = dup[d["doc_id"]]
    programs = Registry((Sighting(r["doc_id"], r["program"], r["iso3"], r["year"], r["mentions"]) for r in programs_rows),
                        skip_docs=dup)
    orgs = Registry(org_sightings, skip_docs=dup)
    for r in programs_rows:
        entry = programs.lookup(r["doc_id"], r["program"])
        r["program_id"] = entry.entry_id if entry else ""
    for r in measures_rows:
        r["program_id"] = programs.add_measure(r["doc_id"], r["program"], r.get("value_usd"))
        r["org_id"] = orgs.add_measure(r["doc_id"], r["org"], r.get("value_usd"))

    _remove_orphans(out_dir, {d for _, d in papers})
    # One group: a write error (a full disk) leaves every previous table.
    with pio.atomic_group():
        pio.write_csv(out_dir / "mentions.csv", TABLE_COLUMNS["mentions"], mentions_rows)
        pio.write_csv(out_dir / "measures.csv", TABLE_COLUMNS["measures"], measures_rows)
        pio.write_csv(out_dir / "programs.csv", TABLE_COLUMNS["programs"], programs_rows)
        pio.write_csv(out_dir / "references.csv", TABLE_COLUMNS["references"], refs_rows)
        pio.write_csv(out_dir / "program_registry.csv", TABLE_COLUMNS["program_registry"],
                      programs.rows("program_id"))
        pio.write_csv(out_dir / "org_registry.csv", TABLE_COLUMNS["org_registry"], orgs.rows("org_id"))
        write_datapackage(out_dir)
        # documents.csv last: it is make's target, so it is only new when all is.
        pio.write_csv(out_dir / "documents.csv", TABLE_COLUMNS["documents"], docs)
    return {"papers": len(docs), "failed": failed, "mentions": len(mentions_rows),
            "measures": len(measures_rows), "duplicates": dict(sorted(dup.items()))}


def _org_sightings(doc_id: str, mentions: list) -> list[Sighting]:
    """One sighting per canonical ORG name of a paper: its first country, its number of mentions."""
    groups: dict[str, list] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.type == "ORG":
            name = (m.canonical or m.text).strip()
            if name:
                groups.setdefault(name, []).append(m)
    return [Sighting(doc_id, name, next((m.iso3 for m in group if m.iso3), ""), None, len(group))
            for name, group in groups.items()]


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
    from .corpus import doc_id_for, list_papers
    ap = argparse.ArgumentParser(prog="python -m pipeline.collect", description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("raw_dir", type=Path)
    args = ap.parse_args(argv)
    summary = collect(args.out_dir, [(p, doc_id_for(p)) for p in list_papers(args.raw_dir)])
    print(f"{summary['papers']} papers, {summary['mentions']} mentions, {summary['measures']} measures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
