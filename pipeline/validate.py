"""Score the pipeline's output tables against hand-labeled expectations.

One YAML file per labeled paper lives in ``tests/expectations/<doc_id>.yaml``
(format: docs/EXPECTATIONS.md). ``score_paper`` is pure: it takes the expected
dict and this paper's rows of mentions.csv / measures.csv and returns a
``PaperScore``. ``main`` (``python -m pipeline validate``) and ``check_main``
(``python -m pipeline check``) wrap it for the command line.

Mentions are scored as normalized SETS per type: an expected item is found
when at least one predicted row matches it; a distinct predicted key that
matches no expected item is a false positive. Items marked ``optional: true``
count on neither side. Measures are matched one-to-one by their quantity, then
each labeled field is compared over the matched pairs.
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import yaml

from .corpus import doc_id_for, list_papers
from .io import write_csv, write_json
from .records import INSTRUMENTS, MENTION_TYPES

STATUSES = ("final", "draft")
QUANTITY_TYPES = ("money", "percent", "count")
# Measure fields a label may state; absent key = not scored.
MEASURE_FIELDS = ("country", "region", "program", "org", "year", "sector",
                  "instrument", "beneficiary", "approx")
QUANTITY_KEYS = ("quantity_type", "value", "currency", "low", "high", "from_value")
VALIDATION_COLUMNS = ["doc_id", "item", "precision", "recall", "f1", "accuracy",
                      "tp", "fp", "fn", "n", "threshold", "pass"]
TOTAL_ID = "ALL"
# Micro totals over the blind papers (``blind: true``): reported, never gated,
# and never mixed into ALL, so that a blind score stays a blind score.
BLIND_TOTAL_ID = "BLIND"
MONEY_REL_TOL = 1e-6
# Percent labels round fractions ("one-third" -> 33.33): accept a hundredth.
PERCENT_ABS_TOL = 0.006


class ExpectationError(ValueError):
    """An expectations file that cannot be read or breaks the schema."""


# ----------------------------------------------------------------- loading

def load_expectations(path: str | Path) -> dict:
    """Read one expectations YAML; raise ExpectationError with the reason."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8-sig") as fh:
            data = yaml.safe_load(fh)
    except FileNotFoundError:
        raise ExpectationError(f"{path}: no such expectations file") from None
    except yaml.YAMLError as exc:
        raise ExpectationError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ExpectationError(f"{path}: top level must be a mapping")
    problems = schema_problems(data)
    if problems:
        raise ExpectationError(f"{path}: " + "; ".join(problems))
    data.setdefault("mentions", {})
    data.setdefault("measures", [])
    if data["mentions"] is None:
        data["mentions"] = {}
    if data["measures"] is None:
        data["measures"] = []
    return data


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


_MENTION_REQUIRED = {
    "COUNTRY": ("iso3",), "REGION": ("name",), "PROGRAM": ("canonical",),
    "ORG": ("canonical",), "MONEY": ("value", "currency"), "PERCENT": ("value",),
    "DATE": ("year",), "SECTOR": ("canonical",),
}
_MENTION_ALLOWED = {
    "COUNTRY": {"iso3", "name", "aliases"},
    "REGION": {"name", "iso3", "aliases"},
    "PROGRAM": {"canonical", "aliases", "iso3"},
    "ORG": {"canonical", "aliases", "iso3"},
    "MONEY": {"value", "currency", "approx", "low", "high", "from_value"},
    "PERCENT": {"value", "approx", "low", "high", "from_value"},
    "DATE": {"year", "month"},
    "SECTOR": {"canonical", "aliases"},
}
_COMMON_ALLOWED = {"optional", "note", "evidence"}


def schema_problems(data: dict) -> list[str]:
    """Every way ``data`` breaks the expectations schema (empty list = valid)."""
    problems: list[str] = []
    for key in ("doc_id", "status"):
        if not isinstance(data.get(key), str) or not data.get(key):
            problems.append(f"missing or empty '{key}'")
    if data.get("status") not in STATUSES:
        problems.append(f"status must be one of {STATUSES}")
    if "blind" in data and not isinstance(data["blind"], bool):
        problems.append("'blind' must be true or false")
    mentions = data.get("mentions") or {}
    if not isinstance(mentions, dict):
        problems.append("'mentions' must be a mapping of type -> list")
        mentions = {}
    for mtype, items in mentions.items():
        if mtype not in MENTION_TYPES:
            problems.append(f"unknown mention type {mtype!r}")
            continue
        if items is None:
            continue
        if not isinstance(items, list):
            problems.append(f"mentions.{mtype} must be a list")
            continue
        for i, item in enumerate(items):
            where = f"mentions.{mtype}[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where} must be a mapping")
                continue
            for req in _MENTION_REQUIRED[mtype]:
                if item.get(req) in (None, ""):
                    problems.append(f"{where} needs '{req}'")
            extra = set(item) - _MENTION_ALLOWED[mtype] - _COMMON_ALLOWED
            if extra:
                problems.append(f"{where} has unknown keys {sorted(extra)}")
            for num in ("value", "low", "high", "from_value"):
                if num in item and item[num] is not None and not _is_number(item[num]):
                    problems.append(f"{where}.{num} must be a number")
            if mtype == "DATE" and not isinstance(item.get("year"), int):
                problems.append(f"{where}.year must be an integer")
            if "aliases" in item and not isinstance(item["aliases"], list):
                problems.append(f"{where}.aliases must be a list")
            if "approx" in item and item["approx"] not in ("", "~", ">", "<"):
                problems.append(f"{where}.approx must be one of '', '~', '>', '<'")
            if "currency" in item and not re.fullmatch(r"[A-Z]{3}", str(item["currency"])):
                problems.append(f"{where}.currency must be an ISO 4217 code")
    measures = data.get("measures") or []
    if not isinstance(measures, list):
        problems.append("'measures' must be a list")
        measures = []
    allowed = set(QUANTITY_KEYS) | set(MEASURE_FIELDS) | _COMMON_ALLOWED
    for i, m in enumerate(measures):
        where = f"measures[{i}]"
        if not isinstance(m, dict):
            problems.append(f"{where} must be a mapping")
            continue
        if m.get("quantity_type") not in QUANTITY_TYPES:
            problems.append(f"{where}.quantity_type must be one of {QUANTITY_TYPES}")
        if not _is_number(m.get("value")):
            problems.append(f"{where}.value must be a number")
        if m.get("quantity_type") == "money" and not re.fullmatch(r"[A-Z]{3}", str(m.get("currency", ""))):
            problems.append(f"{where}.currency must be an ISO 4217 code")
        # A field may list accepted alternatives when the text is ambiguous.
        instruments = m.get("instrument") if isinstance(m.get("instrument"), list) else [m.get("instrument")]
        if "instrument" in m and any(i not in INSTRUMENTS + ("",) for i in instruments):
            problems.append(f"{where}.instrument {m['instrument']!r} not in the guide's list")
        countries = m.get("country") if isinstance(m.get("country"), list) else [m.get("country")]
        if "country" in m and any(not re.fullmatch(r"([A-Z]{3})?", str(c)) for c in countries):
            problems.append(f"{where}.country must be ISO3 codes or ''")
        if "approx" in m and m["approx"] not in ("", "~", ">", "<"):
            problems.append(f"{where}.approx must be one of '', '~', '>', '<'")
        for fname in MEASURE_FIELDS:
            value = m.get(fname)
            if isinstance(value, (dict, bool)) or (isinstance(value, list) and not value):
                problems.append(f"{where}.{fname} must be a value or a non-empty list of values")
        extra = set(m) - allowed
        if extra:
            problems.append(f"{where} has unknown keys {sorted(extra)}")
    return problems


# ----------------------------------------------------------------- scoring

@dataclass
class Counts:
    """Set-matching counts for one mention type or for measures."""
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def n(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        # Nothing claimed means nothing claimed wrongly.
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class FieldAccuracy:
    correct: int = 0
    n: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 1.0

    def add(self, other: "FieldAccuracy") -> None:
        self.correct += other.correct
        self.n += other.n


@dataclass
class PaperScore:
    doc_id: str
    mentions: dict[str, Counts] = field(default_factory=dict)    # only labeled types
    measures: Optional[Counts] = None                            # None: measures not labeled
    # A measure counted right only when matched AND every labeled field is right.
    all_fields: Optional[Counts] = None
    fields: dict[str, FieldAccuracy] = field(default_factory=dict)
    blind: bool = False
    # human-readable detail: missed expected items, unmatched predictions
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)


def norm_name(text: Any) -> str:
    """Casefold, drop a leading article and trailing possessive, squeeze spaces."""
    s = re.sub(r"\s+", " ", str(text or "")).strip().strip("\"'“”‘’").strip()
    s = s.casefold()
    s = re.sub(r"^the ", "", s)
    s = re.sub(r"['’]s$", "", s)
    return s


def to_float(x: Any) -> Optional[float]:
    """A CSV cell or YAML value as a float; None when empty or not a number."""
    if x is None or isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x) if math.isfinite(x) else None
    s = str(x).strip().replace(",", "")
    if not s:
        return None
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def to_int(x: Any) -> Optional[int]:
    v = to_float(x)
    return int(v) if v is not None and v.is_integer() else None


def _close(a: Optional[float], b: Optional[float], percent: bool) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=MONEY_REL_TOL, abs_tol=PERCENT_ABS_TOL if percent else 0.0)


def _names(item: dict, key: str) -> set[str]:
    names = {norm_name(item.get(key))}
    names.update(norm_name(a) for a in item.get("aliases") or [])
    names.discard("")
    return names


def _row_names(row: dict) -> set[str]:
    names = {norm_name(row.get("canonical")), norm_name(row.get("text"))}
    names.discard("")
    return names


def _optional_bounds_match(item: dict, row: dict, percent: bool) -> bool:
    for key in ("low", "high", "from_value"):
        if item.get(key) is not None and not _close(to_float(item[key]), to_float(row.get(key)), percent):
            return False
    return True


def _mention_matcher(mtype: str) -> Callable[[dict, dict], bool]:
    """Does predicted ``row`` match expected ``item`` for this type?"""
    if mtype == "COUNTRY":
        return lambda item, row: str(row.get("iso3", "")).strip().upper() == str(item["iso3"]).upper()
    if mtype in ("REGION",):
        return lambda item, row: bool(_names(item, "name") & _row_names(row))
    if mtype in ("PROGRAM", "ORG", "SECTOR"):
        return lambda item, row: bool(_names(item, "canonical") & _row_names(row))
    if mtype == "MONEY":
        return lambda item, row: (
            str(row.get("currency", "")).strip().upper() == str(item["currency"]).upper()
            and _close(to_float(item["value"]), to_float(row.get("value")), False))
    if mtype == "PERCENT":
        return lambda item, row: (
            _close(to_float(item["value"]), to_float(row.get("value")), True)
            and _optional_bounds_match(item, row, True))
    if mtype == "DATE":
        return lambda item, row: to_int(row.get("year")) == to_int(item["year"])
    raise ValueError(mtype)


def predicted_key(mtype: str, row: dict) -> tuple:
    """Distinct predicted items: rows with the same key are one item."""
    if mtype == "COUNTRY":
        iso = str(row.get("iso3", "")).strip().upper()
        return (iso,) if iso else ("?", norm_name(row.get("text")))
    if mtype in ("REGION", "PROGRAM", "ORG", "SECTOR"):
        return (norm_name(row.get("canonical")) or norm_name(row.get("text")),)
    if mtype == "MONEY":
        v = to_float(row.get("value"))
        return (None if v is None else float(f"{v:.6g}"), str(row.get("currency", "")).upper())
    if mtype == "PERCENT":
        return tuple(None if to_float(row.get(k)) is None else round(to_float(row.get(k)), 2)
                     for k in ("value", "from_value", "low", "high"))
    if mtype == "DATE":
        return (to_int(row.get("year")),)
    return (row.get("text"),)


def describe_item(mtype: str, item: dict) -> str:
    keys = [k for k in ("iso3", "name", "canonical", "value", "currency", "from_value",
                        "low", "high", "year") if item.get(k) not in (None, "")]
    return f"{mtype} " + " ".join(f"{k}={item[k]}" for k in keys)


def score_mentions(mtype: str, expected: list[dict], rows: list[dict]) -> tuple[Counts, list[str], list[str]]:
    """Set scoring of one mention type; returns counts, missed, spurious."""
    match = _mention_matcher(mtype)
    required = [e for e in expected if not e.get("optional")]
    counts = Counts()
    missed: list[str] = []
    for item in required:
        if any(match(item, row) for row in rows):
            counts.tp += 1
        else:
            counts.fn += 1
            missed.append(describe_item(mtype, item))
    spurious_keys: dict[tuple, str] = {}
    for row in rows:
        if any(match(item, row) for item in expected):
            continue
        key = predicted_key(mtype, row)
        spurious_keys.setdefault(key, f"{mtype} {row.get('text', '')!r} -> {key}")
    # Rows matching an optional item were skipped above: neither TP nor FP.
    counts.fp = len(spurious_keys)
    return counts, missed, list(spurious_keys.values())


def _quantity_matches(exp: dict, row: dict) -> bool:
    qtype = str(exp.get("quantity_type", "")).lower()
    if str(row.get("quantity_type", "")).strip().lower() != qtype:
        return False
    percent = qtype == "percent"
    if not _close(to_float(exp.get("value")), to_float(row.get("value")), percent):
        return False
    if qtype == "money" and str(row.get("currency", "")).strip().upper() != str(exp.get("currency", "")).upper():
        return False
    return _optional_bounds_match(exp, row, percent)


_WORD = re.compile(r"\w+")


def evidence_overlap(a: Any, b: Any) -> float:
    """Jaccard overlap of the word sets of two evidence strings."""
    wa = set(_WORD.findall(str(a or "").casefold()))
    wb = set(_WORD.findall(str(b or "").casefold()))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def match_measures(expected: list[dict], rows: list[dict]) -> list[tuple[int, int]]:
    """One-to-one (expected index, row index) pairs: required items first, each
    in text order, taking the compatible unmatched row whose evidence overlaps
    most (earliest row on a tie)."""
    order = ([i for i, e in enumerate(expected) if not e.get("optional")]
             + [i for i, e in enumerate(expected) if e.get("optional")])
    used: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for ei in order:
        exp = expected[ei]
        best, best_overlap = None, -1.0
        for ri, row in enumerate(rows):
            if ri in used or not _quantity_matches(exp, row):
                continue
            overlap = evidence_overlap(exp.get("evidence"), row.get("evidence"))
            if overlap > best_overlap:
                best, best_overlap = ri, overlap
        if best is not None:
            used.add(best)
            pairs.append((ei, best))
    return pairs


def _accepted_names(value: Any, mention_items: list[dict], key: str) -> set[str]:
    """Expected name(s) of a measure field plus the aliases of the labeled
    mention with that canonical name (a measure may use any variant)."""
    values = value if isinstance(value, list) else [value]
    names = {norm_name(v) for v in values}
    for item in mention_items:
        item_names = _names(item, key)
        if item_names & names:
            names |= item_names
    return names


def field_correct(fname: str, expected_value: Any, predicted: Any, mentions: dict) -> bool:
    """Compare one labeled measure field with the predicted cell."""
    pred = "" if predicted is None else str(predicted).strip()
    if expected_value in (None, "") or expected_value == []:
        return pred == ""
    if fname == "year":
        values = expected_value if isinstance(expected_value, list) else [expected_value]
        return to_int(pred) in {to_int(v) for v in values}
    if fname in ("country", "instrument", "approx"):
        values = expected_value if isinstance(expected_value, list) else [expected_value]
        return pred.casefold() in {str(v).strip().casefold() for v in values}
    if fname in ("program", "org", "sector"):
        mtype = {"program": "PROGRAM", "org": "ORG", "sector": "SECTOR"}[fname]
        return norm_name(pred) in _accepted_names(expected_value, mentions.get(mtype) or [], "canonical")
    if fname == "region":
        return norm_name(pred) in _accepted_names(expected_value, mentions.get("REGION") or [], "name")
    if fname == "beneficiary":
        # "in the text's words": either phrase may be the longer quote.
        p = norm_name(pred)
        values = expected_value if isinstance(expected_value, list) else [expected_value]
        return bool(p) and any(norm_name(v) in p or p in norm_name(v) for v in values)
    return norm_name(pred) == norm_name(expected_value)


def score_paper(expected: dict, mentions: list[dict], measures: list[dict]) -> PaperScore:
    """Score one paper's predicted rows against its expectations (pure)."""
    score = PaperScore(doc_id=str(expected.get("doc_id", "")))
    labeled = expected.get("mentions") or {}
    for mtype in MENTION_TYPES:
        if mtype not in labeled:
            continue  # type not labeled for this paper: not scored
        rows = [r for r in mentions if str(r.get("type", "")).upper() == mtype]
        counts, missed, spurious = score_mentions(mtype, labeled[mtype] or [], rows)
        score.mentions[mtype] = counts
        score.missed += missed
        score.spurious += spurious
    if "measures" in expected and expected["measures"] is not None:
        exp_measures = expected["measures"]
        pairs = match_measures(exp_measures, measures)
        matched_exp = {ei for ei, _ in pairs}
        matched_rows = {ri for _, ri in pairs}
        counts = Counts()
        for ei, exp in enumerate(exp_measures):
            if exp.get("optional"):
                continue
            if ei in matched_exp:
                counts.tp += 1
            else:
                counts.fn += 1
                score.missed.append("measure " + _describe_measure(exp))
        for ri, row in enumerate(measures):
            if ri not in matched_rows:
                counts.fp += 1
                score.spurious.append("measure " + _describe_measure(row))
        score.measures = counts
        all_right = 0
        for ei, ri in pairs:
            exp, row = exp_measures[ei], measures[ri]
            if exp.get("optional"):
                continue
            wrong = 0
            for fname in MEASURE_FIELDS:
                if fname not in exp:
                    continue
                acc = score.fields.setdefault(fname, FieldAccuracy())
                acc.n += 1
                if field_correct(fname, exp[fname], row.get(fname), labeled):
                    acc.correct += 1
                else:
                    wrong += 1
                    score.field_errors.append(
                        f"{fname}: expected {exp[fname]!r}, got {row.get(fname)!r} "
                        f"({_describe_measure(exp)})")
            all_right += wrong == 0
        # A matched measure with a wrong field is both a wrong row (fp) and a
        # missed right one (fn), as an analyst filtering by that field sees it.
        partly = counts.tp - all_right
        score.all_fields = Counts(tp=all_right, fp=counts.fp + partly, fn=counts.fn + partly)
    return score


def _describe_measure(m: dict) -> str:
    parts = [str(m.get("quantity_type", "")), str(m.get("value", ""))]
    for k in ("currency", "from_value", "low", "high"):
        if m.get(k) not in (None, ""):
            parts.append(f"{k}={m[k]}")
    ev = str(m.get("evidence", ""))[:70]
    return " ".join(parts) + (f" | {ev}" if ev else "")


def total_score(scores: Iterable[PaperScore], doc_id: str = TOTAL_ID) -> PaperScore:
    """Micro totals: counts summed over papers."""
    total = PaperScore(doc_id=doc_id)
    for s in scores:
        for mtype, c in s.mentions.items():
            total.mentions.setdefault(mtype, Counts()).add(c)
        if s.measures is not None:
            if total.measures is None:
                total.measures, total.all_fields = Counts(), Counts()
            total.measures.add(s.measures)
            total.all_fields.add(s.all_fields)
        for fname, acc in s.fields.items():
            total.fields.setdefault(fname, FieldAccuracy()).add(acc)
    return total


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
