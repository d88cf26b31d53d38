"""External check: Microsoft Recognizers-Text test cases (see
/work/shared/peer/README.md) through find_money, find_percent, find_numbers.

A predicted span matches an expected one when the spans overlap and the values
agree (relative tolerance 1e-6); for money the currency must agree where the
expected currency is known (an ISO code, or a unit name that maps to one).
Expected items without a value (a bare "dollar" or "percent") are out of scope
for finders that return amounts; they are counted and reported, not scored.
Run with ``pytest -s`` to see the scores.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from pipeline.normalize.money import find_money
from pipeline.normalize.numbers import find_numbers
from pipeline.normalize.percent import find_percent

PEER_DIR = Path("/work/shared/peer")

# Unit names of the peer suite -> ISO 4217 where the name is unambiguous for
# our conventions (bare "Dollar" is USD, see money.py). Sub-units carry the
# factor that turns the peer's value (50 cents = 50) into whole units (0.5).
UNIT_TO_ISO: dict[str, tuple[Optional[str], float]] = {
    "Dollar": ("USD", 1.0),
    "Pound": ("GBP", 1.0),
    "Pence": ("GBP", 0.01),
    "Penny": ("GBP", 0.01),
    "Cent": (None, 0.01),
    "Rupee": ("INR", 1.0),
    "Franc": (None, 1.0),
    "Finnish markka": ("FIM", 1.0),
    "Netherlands guilder": ("NLG", 1.0),
    "Peseta": ("ESP", 1.0),
}


@dataclass
class Score:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    skipped_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _load(name: str) -> list[dict[str, Any]]:
    path = PEER_DIR / name
    if not path.exists():
        pytest.skip(f"peer suite {path} not present")
    with open(path, encoding="utf-8-sig") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _close(a: float, b: float) -> bool:
    # rel tol 1e-6; fractions stated as percents are rounded to 2 decimals by
    # the annotation guide (one-third -> 33.33), so that rounding also matches
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9) or (a != int(a) and a == round(b, 2))


def _expected_money(e: dict[str, Any]) -> tuple[float, Optional[str]]:
    value = float(e["value"])
    if e.get("currency"):
        return value, e["currency"]
    iso, factor = UNIT_TO_ISO.get(e.get("unit") or "", (None, 1.0))
    return value * factor, iso


def score_suite(cases: list[dict[str, Any]], mention_type: str, finder: Callable[[str], list[Any]],
                expected_of: Callable[[dict[str, Any]], tuple[float, Optional[str]]],
                currency_of: Callable[[Any], Optional[str]] = lambda m: None,
                misses: Optional[list[str]] = None) -> Score:
    score = Score()
    for case in cases:
        if mention_type not in case.get("annotated_types", []):
            continue
        gold = [e for e in case["expected"] if e.get("type") == mention_type]
        valued = [e for e in gold if e.get("value") is not None]
        score.skipped_gold += len(gold) - len(valued)
        preds = finder(case["text"])
        score.n_pred += len(preds)
        score.n_gold += len(valued)
        used: set[int] = set()
        for e in valued:
            value, iso = expected_of(e)
            hit = False
            for k, p in enumerate(preds):
                if k in used or p.end <= e["start"] or p.start >= e["end"]:
                    continue
                if not _close(p.value, value):
                    continue
                if iso and currency_of(p) != iso:
                    continue
                used.add(k)
                hit = True
                break
            score.tp += hit
            if not hit and misses is not None:
                misses.append(f"{case['id']}: want {e['text']!r}={value} {iso or ''}; got "
                              + ", ".join(f"{p.text!r}={p.value}" for p in preds))
    return score


def _report(name: str, s: Score) -> None:
    print(f"\n[peer] {name}: P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f} "
          f"(tp={s.tp} pred={s.n_pred} gold={s.n_gold}, unscored valueless gold={s.skipped_gold})")


def test_currency_suite() -> None:
    misses: list[str] = []
    s = score_suite(_load("recognizers_currency.jsonl"), "MONEY", find_money, _expected_money,
                    lambda m: m.currency, misses)
    _report("currency", s)
    for line in misses:
        print("   miss", line)
    assert s.f1 >= 0.9


def test_percent_suite() -> None:
    misses: list[str] = []
    s = score_suite(_load("recognizers_percent.jsonl"), "PERCENT", find_percent,
                    lambda e: (float(e["value"]), None), misses=misses)
    _report("percent", s)
    for line in misses:
        print("   miss", line)
    assert s.f1 >= 0.9


def test_number_suite() -> None:
    misses: list[str] = []
    s = score_suite(_load("recognizers_number.jsonl"), "NUMBER", find_numbers,
                    lambda e: (float(e["value"]), None), misses=misses)
    _report("number", s)
    for line in misses:
        print("   miss", line)
    assert s.f1 >= 0.63
