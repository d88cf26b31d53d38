"""Loading expectations files (tests/expectations/<doc_id>.yaml, format:
docs/EXPECTATIONS.md) and checking them against the schema.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml

from ..records import INSTRUMENTS, MENTION_TYPES

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
