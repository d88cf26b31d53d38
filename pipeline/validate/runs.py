"""A validation run over an output folder, its report, and the command-line entry points
(``python -m pipeline validate`` and ``python -m pipeline check``).
"""
from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from ..corpus import doc_id_for, list_papers
from ..io import write_csv, write_json
from .expectations import BLIND_TOTAL_ID, TOTAL_ID, VALIDATION_COLUMNS, ExpectationError, load_expectations
from .scoring import PaperScore, score_paper, total_score
from .thresholds import load_thresholds, score_rows, thresholds_for

# -------------------------------------------------------------------- runs

def read_rows(path: Path) -> list[dict]:
    """CSV rows as dicts of strings; [] when the file does not exist."""
    if not path.exists():
        return []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class Run:
    """Everything one validate/check invocation found."""
    rows: list[dict] = field(default_factory=list)
    scores: list[PaperScore] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    not_labeled: list[str] = field(default_factory=list)
    not_in_output: list[str] = field(default_factory=list)   # labeled, in raw, no output
    labels_without_paper: list[str] = field(default_factory=list)
    errored: list[tuple[str, str]] = field(default_factory=list)
    bad_expectations: list[str] = field(default_factory=list)


def raw_doc_ids(raw_dir: Path) -> list[str]:
    return sorted(doc_id_for(p) for p in list_papers(raw_dir))


def run_validation(output_dir: str | Path, expectations_dir: str | Path,
                   raw_dir: str | Path | None = None) -> Run:
    output_dir, expectations_dir = Path(output_dir), Path(expectations_dir)
    run = Run()
    documents = read_rows(output_dir / "documents.csv")
    output_ids = {d.get("doc_id", "") for d in documents}
    run.errored = [(d["doc_id"], d.get("error", "")) for d in documents
                   if d.get("status", "").strip().lower() == "error"]
    if raw_dir is not None and Path(raw_dir).is_dir():
        paper_ids = raw_doc_ids(Path(raw_dir))
    else:
        paper_ids = sorted(output_ids)

    expectations: dict[str, dict] = {}
    for path in sorted(expectations_dir.glob("*.yaml")):
        if path.name == "thresholds.yaml":
            continue
        try:
            exp = load_expectations(path)
        except ExpectationError as exc:
            run.bad_expectations.append(str(exc))
            continue
        if exp["doc_id"] != path.stem:
            run.bad_expectations.append(f"{path}: doc_id {exp['doc_id']!r} differs from the file name")
            continue
        expectations[path.stem] = exp

    run.labels_without_paper = sorted(set(expectations) - set(paper_ids))
    mentions_by_doc: dict[str, list[dict]] = {}
    for r in read_rows(output_dir / "mentions.csv"):
        mentions_by_doc.setdefault(r.get("doc_id", ""), []).append(r)
    measures_by_doc: dict[str, list[dict]] = {}
    for r in read_rows(output_dir / "measures.csv"):
        measures_by_doc.setdefault(r.get("doc_id", ""), []).append(r)

    config = load_thresholds(expectations_dir / "thresholds.yaml")
    for doc_id in paper_ids:
        exp = expectations.get(doc_id)
        if exp is None:
            run.not_labeled.append(doc_id)
            continue
        if exp["status"] != "final":
            run.drafts.append(doc_id)
            continue
        if doc_id not in output_ids:
            # Scored against nothing, so its thresholds fail loudly.
            run.not_in_output.append(doc_id)
        score = score_paper(exp, mentions_by_doc.get(doc_id, []), measures_by_doc.get(doc_id, []))
        score.blind = bool(exp.get("blind"))
        run.scores.append(score)
        # Blind papers are reported, never gated: a gate would force tuning to them.
        limits = _NO_LIMITS if score.blind else thresholds_for(config, doc_id)
        run.rows += score_rows(score, limits)
    dev = [s for s in run.scores if not s.blind]
    blind = [s for s in run.scores if s.blind]
    if dev:
        run.rows += score_rows(total_score(dev), thresholds_for(config, TOTAL_ID))
    if blind:
        run.rows += score_rows(total_score(blind, BLIND_TOTAL_ID), _NO_LIMITS)
    return run


_NO_LIMITS: dict[str, Any] = {"mentions": {}, "measures": None, "all_fields": None,
                              "fields": {}, "min_n": 0}


def failures(run: Run) -> list[str]:
    out = [f"{r['doc_id']} {r['item']}: {r['f1'] if r['f1'] is not None else r['accuracy']} "
           f"< threshold {r['threshold']}" for r in run.rows if not r["pass"]]
    out += [f"{d}: pipeline status=error: {e}" for d, e in run.errored]
    out += [f"{d}: labeled paper in raw/ has no row in documents.csv" for d in run.not_in_output]
    out += [f"bad expectations: {b}" for b in run.bad_expectations]
    return out


def report_text(run: Run, verbose: bool = False, show_blind: bool = False) -> str:
    lines = [f"{'doc_id':<44} {'item':<20} {'P':>6} {'R':>6} {'F1/acc':>7} {'tp':>4} {'fp':>4} "
             f"{'fn':>4} {'min':>5}  ok"]
    for r in run.rows:
        main_score = r["f1"] if r["f1"] is not None else r["accuracy"]

        def num(x: Any) -> str:
            return "" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)
        lines.append(f"{r['doc_id'][:44]:<44} {r['item']:<20} {num(r['precision']):>6} "
                     f"{num(r['recall']):>6} {num(main_score):>7} {num(r['tp']):>4} "
                     f"{num(r['fp']):>4} {num(r['fn']):>4} {num(r['threshold']):>5}  "
                     f"{'ok' if r['pass'] else 'FAIL'}")
    notes = ((run.drafts, "draft (not scored): {}"),
             (run.not_labeled, "not labeled: {}"),
             (run.not_in_output, "labeled but missing from the outputs (scored as empty): {}"),
             (run.labels_without_paper, "expectations file for a paper not among the papers: {}.yaml "
                                        "(no such paper in raw/ or documents.csv; not scored)"))
    for doc_ids, template in notes:
        lines += [template.format(doc_id) for doc_id in doc_ids]
    lines += [f"pipeline error: {doc_id}: {err}" for doc_id, err in run.errored]
    lines += [f"bad expectations file: {bad}" for bad in run.bad_expectations]
    if verbose:
        for s in run.scores:
            if s.blind and not show_blind:
                lines.append(f"  {s.doc_id}: blind paper, misses not shown (--show-blind "
                             f"only when rotating it out of the blind set)")
                continue
            for kind, items in (("missed", s.missed), ("spurious", s.spurious), ("field", s.field_errors)):
                lines += [f"  {s.doc_id} {kind}: {m}" for m in items]
    return "\n".join(lines)


def run_json(run: Run, show_blind: bool = False) -> dict:
    return {
        "rows": run.rows,
        "drafts": run.drafts,
        "not_labeled": run.not_labeled,
        "not_in_output": run.not_in_output,
        "labels_without_paper": run.labels_without_paper,
        "errored": [{"doc_id": d, "error": e} for d, e in run.errored],
        "bad_expectations": run.bad_expectations,
        "blind": [s.doc_id for s in run.scores if s.blind],
        "details": {s.doc_id: {"missed": s.missed, "spurious": s.spurious,
                               "field_errors": s.field_errors}
                    for s in run.scores if show_blind or not s.blind},
        "failures": failures(run),
    }


def _parser(prog: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    p.add_argument("output_dir", help="pipeline output directory (documents.csv, mentions.csv, ...)")
    p.add_argument("expectations_dir", help="directory of <doc_id>.yaml and thresholds.yaml")
    p.add_argument("--raw", default=None, help="raw papers directory (default: papers in documents.csv)")
    p.add_argument("--json", action="store_true", help="print the JSON report instead of the table")
    p.add_argument("-v", "--verbose", action="store_true", help="list missed and spurious items")
    p.add_argument("--show-blind", action="store_true",
                   help="also list the misses of blind papers (only when rotating one out)")
    return p


def _run_and_write(args: argparse.Namespace) -> Optional[Run]:
    output_dir = Path(args.output_dir)
    if not Path(args.expectations_dir).is_dir():
        print(f"error: expectations directory {args.expectations_dir} does not exist", file=sys.stderr)
        return None
    if not (output_dir / "documents.csv").exists():
        print(f"error: {output_dir}/documents.csv not found: run the pipeline first", file=sys.stderr)
        return None
    run = run_validation(output_dir, args.expectations_dir, args.raw)
    write_csv(output_dir / "validation.csv", VALIDATION_COLUMNS, run.rows)
    write_json(output_dir / "validation.json", run_json(run, args.show_blind))
    if args.json:
        import json
        print(json.dumps(run_json(run, args.show_blind), ensure_ascii=False, indent=1))
    else:
        print(report_text(run, args.verbose, args.show_blind))
    return run


def main(argv: list[str] | None = None) -> int:
    """python -m pipeline validate OUTPUT_DIR EXPECTATIONS_DIR [--raw RAW] [--json]"""
    args = _parser("python -m pipeline validate").parse_args(argv)
    run = _run_and_write(args)
    return 2 if run is None else 0


def check_main(argv: list[str] | None = None) -> int:
    """Like validate; exit 1 when a score is under its threshold or a paper failed."""
    args = _parser("python -m pipeline check").parse_args(argv)
    run = _run_and_write(args)
    if run is None:
        return 2
    problems = failures(run)
    out = sys.stderr
    if problems:
        print(f"\ncheck FAILED ({len(problems)} problems):", file=out)
        for p in problems:
            print(f"  {p}", file=out)
        return 1
    print(f"\ncheck passed: {len(run.scores)} papers scored", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
