"""Scoring one paper: mentions as normalized sets per type, measures matched one-to-one
by their quantity and then compared field by field; micro totals over papers.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from ..records import MENTION_TYPES
from .expectations import MEASURE_FIELDS, MONEY_REL_TOL, PERCENT_ABS_TOL, TOTAL_ID

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


def evidence_overlap(a: Any, b: Any) -> tuple[float, float]:
    """How well a predicted row's evidence ``b`` holds a label's quote ``a``: the share of the
    quote's words it contains (a label quotes a short part of a sentence, the row gives the whole
    sentence, so two rows of one long sentence with a repeated schedule are told apart by the
    words of the quoted part), then the Jaccard overlap of the two word sets."""
    wa = set(_WORD.findall(str(a or "").casefold()))
    wb = set(_WORD.findall(str(b or "").casefold()))
    if not (wa and wb):
        return 0.0, 0.0
    return len(wa & wb) / len(wa), len(wa & wb) / len(wa | wb)


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
        best, best_overlap = None, (-1.0, -1.0)
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
        # A list with "" accepts an empty cell, as for every other field (docs/EXPECTATIONS.md).
        p = norm_name(pred)
        values = expected_value if isinstance(expected_value, list) else [expected_value]
        if not p:
            return any(norm_name(v) == "" for v in values)
        return any(norm_name(v) and (norm_name(v) in p or p in norm_name(v)) for v in values)
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
