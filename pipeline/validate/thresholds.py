"""Thresholds (tests/expectations/thresholds.yaml): per-paper bars, and a paper's score as
rows of validation.csv with pass/fail.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import yaml

from .expectations import MEASURE_FIELDS, TOTAL_ID, ExpectationError
from .scoring import Counts, PaperScore

# -------------------------------------------------------------- thresholds

def load_thresholds(path: str | Path) -> dict:
    """thresholds.yaml: ``default`` block, ``papers.<doc_id>`` overrides, optional ``total``."""
    path = Path(path)
    if not path.exists():
        return {"default": {}, "papers": {}}
    with open(path, encoding="utf-8-sig") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise ExpectationError(f"{path}: top level must be a mapping")
    data.setdefault("default", {})
    data["papers"] = data.get("papers") or {}
    return data


def thresholds_for(config: dict, doc_id: str) -> dict:
    """Merged thresholds of a paper: default, then its override (per key)."""
    base = config.get("total") if doc_id == TOTAL_ID else config.get("default")
    merged: dict[str, Any] = {"mentions": {}, "measures": None, "all_fields": None,
                              "fields": {}, "min_n": 0}
    for block in (base or {}, (config.get("papers") or {}).get(doc_id) or {}):
        merged["mentions"].update(block.get("mentions") or {})
        merged["fields"].update(block.get("fields") or {})
        for key in ("measures", "all_fields", "min_n"):
            if block.get(key) is not None:
                merged[key] = block[key]
    return merged


def _fmt(x: Optional[float]) -> Optional[float]:
    return None if x is None else round(x, 4)


def score_rows(score: PaperScore, limits: dict) -> list[dict]:
    """validation.csv rows of one paper (or of the totals)."""
    rows: list[dict] = []

    def counts_row(item: str, c: Counts, threshold: Optional[float]) -> dict:
        passed = threshold is None or c.f1 >= threshold - 1e-9
        return {"doc_id": score.doc_id, "item": item, "precision": _fmt(c.precision),
                "recall": _fmt(c.recall), "f1": _fmt(c.f1), "accuracy": None,
                "tp": c.tp, "fp": c.fp, "fn": c.fn, "n": c.n,
                "threshold": threshold, "pass": passed}

    for mtype, c in score.mentions.items():
        rows.append(counts_row(mtype, c, limits["mentions"].get(mtype)))
    if score.measures is not None:
        rows.append(counts_row("measures", score.measures, limits["measures"]))
        rows.append(counts_row("measures.all_fields", score.all_fields,
                               limits.get("all_fields")))
    for fname in MEASURE_FIELDS:
        if fname not in score.fields:
            continue
        acc = score.fields[fname]
        # A field scored on fewer than min_n pairs is reported, not judged:
        # one pair would make the gate flip on a single sentence.
        threshold = limits["fields"].get(fname) if acc.n >= limits.get("min_n", 0) else None
        rows.append({"doc_id": score.doc_id, "item": f"measure.{fname}", "precision": None,
                     "recall": None, "f1": None, "accuracy": _fmt(acc.accuracy),
                     "tp": acc.correct, "fp": None, "fn": acc.n - acc.correct, "n": acc.n,
                     "threshold": threshold,
                     "pass": threshold is None or acc.accuracy >= threshold - 1e-9})
    return rows
