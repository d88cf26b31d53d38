"""The labeling core: one paper's expectations as data, checked, scored and saved.

Pure functions over dicts plus three small file operations (read, save with a
version check and a backup, read the output rows). The app (``server.py``)
only routes requests to these. Scores come from ``pipeline.validate``
(``score_paper``, ``score_rows``, ``match_measures``, ``field_correct``): the
app shows exactly what ``make validate`` would.

The version of a labels file is a hash of its bytes. A save names the version
it started from; when the file changed since (another tab, another person, a
text editor), the save is refused with ``Conflict`` and nothing is lost.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import pycountry
import yaml

from ..io import atomic_write_text, read_text
from ..label import draft_yaml, flow, sentence_around
from ..normalize.dates import find_dates
from ..normalize.money import parse_money
from ..data_access import read_csv as read_data_csv
from ..normalize.percent import parse_percent
from ..records import INSTRUMENTS, MENTION_TYPES
from ..validate import (MEASURE_FIELDS, QUANTITY_KEYS, QUANTITY_TYPES, Counts, field_correct,
                        load_thresholds, match_measures, read_rows, schema_problems, score_mentions,
                        score_paper, score_rows, thresholds_for)

NEW_VERSION = "new"                 # the version of a labels file that does not exist yet
BACKUP_DIR = ".backup"              # <expectations>/.backup/<doc_id>.yaml: the previous version
# Top-level keys written first, in this order; others follow as they came.
_TOP_KEYS = ("doc_id", "status", "blind", "source", "labeled_by", "notes")
_MEASURE_KEY_ORDER = QUANTITY_KEYS + ("approx",) + tuple(f for f in MEASURE_FIELDS if f != "approx") + (
    "optional", "note", "evidence")
_BAD_DOC_ID = re.compile(r"[/\\\x00-\x1f\x7f]|^\.|^$")


class LabelError(ValueError):
    """A request the core refuses; ``status`` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 400, problems: Optional[list[str]] = None):
        super().__init__(message)
        self.status = status
        self.problems = problems or []


class Conflict(LabelError):
    """The labels file changed since the version the editor started from."""

    def __init__(self, message: str, current: str):
        super().__init__(message, 409)
        self.current = current


# ------------------------------------------------------------------ paths

def check_doc_id(doc_id: str, known: set[str]) -> str:
    """``doc_id`` when it names a known paper and is safe as a file name; else LabelError."""
    if not isinstance(doc_id, str) or _BAD_DOC_ID.search(doc_id) or ".." in doc_id:
        raise LabelError(f"not a valid doc id: {doc_id!r}", 400)
    if doc_id not in known:
        raise LabelError(f"no paper {doc_id!r} in the outputs", 404)
    return doc_id


def labels_path(exp_dir: Path, doc_id: str) -> Path:
    """``exp_dir/<doc_id>.yaml``, refusing any path that would leave ``exp_dir``."""
    if _BAD_DOC_ID.search(doc_id) or ".." in doc_id:
        raise LabelError(f"not a valid doc id: {doc_id!r}", 400)
    root = exp_dir.resolve()
    path = (root / f"{doc_id}.yaml").resolve()
    if path.parent != root:
        raise LabelError(f"not a valid doc id: {doc_id!r}", 400)
    return path


def version_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else NEW_VERSION


# ------------------------------------------------------------ output rows

@dataclass
class PaperRows:
    """One paper's rows of the output tables, as validate reads them."""
    document: dict
    mentions: list[dict]
    measures: list[dict]
    text: str


@lru_cache(maxsize=8)
def _grouped(path: Path, mtime: float) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for row in read_rows(path):
        groups.setdefault(row.get("doc_id", ""), []).append(row)
    return groups


def rows_by_doc(output_dir: Path, table: str) -> dict[str, list[dict]]:
    """``table``.csv grouped by doc_id (re-read when the file changes)."""
    path = output_dir / f"{table}.csv"
    return _grouped(path, path.stat().st_mtime if path.is_file() else 0.0)


def paper_rows(output_dir: Path, doc_id: str) -> PaperRows:
    docs = rows_by_doc(output_dir, "documents").get(doc_id) or [{"doc_id": doc_id}]
    text_path = output_dir / "text" / f"{doc_id}.txt"
    return PaperRows(docs[0], rows_by_doc(output_dir, "mentions").get(doc_id, []),
                     rows_by_doc(output_dir, "measures").get(doc_id, []),
                     read_text(text_path) if text_path.is_file() else "")


# -------------------------------------------------------- read and write

def read_labels(exp_dir: Path, doc_id: str, rows: PaperRows) -> tuple[dict, str, str]:
    """(labels, version, origin): the saved file, else a draft made from the
    outputs exactly as ``make label`` makes it (origin "draft from outputs")."""
    path = labels_path(exp_dir, doc_id)
    if not path.is_file():
        source = f"raw/{rows.document.get('source_file') or doc_id}"
        text = draft_yaml(doc_id, source, rows.mentions, rows.measures, rows.text,
                          rows.document.get("status") or "ok")
        return yaml.safe_load(text), NEW_VERSION, "draft from outputs (not saved yet)"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise LabelError(f"{path.name} is not valid YAML: fix it in an editor first ({exc})", 422) from None
    if not isinstance(data, dict):
        raise LabelError(f"{path.name}: top level must be a mapping", 422)
    if data.get("blind") is True:
        # Blind labels stay unseen by whoever writes rules (tests/expectations/BLIND.md).
        raise LabelError(f"{doc_id} is a blind paper: its labels are not shown or edited here "
                         "(tests/expectations/BLIND.md)", 403)
    return data, version_of(path), f"{path.name}"


def header_comments(text: str) -> str:
    """The comment lines at the top of a labels file (kept on save)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines) + ("\n" if lines else "")


def _scalar(key: str, value: Any) -> str:
    return yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100).rstrip("\n")


def dump_labels(data: dict, header: str = "") -> str:
    """The labels as YAML in the repository's style: one flow line per mention
    item, one block per measure. ``load_expectations`` reads back the same dict."""
    out = [header.rstrip("\n")] if header.strip() else []
    keys = [k for k in _TOP_KEYS if k in data] + [k for k in data if k not in _TOP_KEYS + ("mentions", "measures")]
    out += [_scalar(k, data[k]) for k in keys]
    mentions = data.get("mentions") or {}
    out += ["", "mentions:" + ("" if mentions else " {}")]
    for mtype in [t for t in MENTION_TYPES if t in mentions] + [t for t in mentions if t not in MENTION_TYPES]:
        items = mentions[mtype] or []
        out.append(f"  {mtype}:" + ("" if items else " []"))
        out += [f"    - {flow(item)}" for item in items]
    measures = data.get("measures") or []
    out += ["", "measures:" + ("" if measures else " []")]
    for item in measures:
        keys = [k for k in _MEASURE_KEY_ORDER if k in item] + [k for k in item if k not in _MEASURE_KEY_ORDER]
        for i, key in enumerate(keys):
            out.append(f"  {'- ' if i == 0 else '  '}{key}: {flow(item[key])}")
    return "\n".join(out) + "\n"


def save_labels(exp_dir: Path, doc_id: str, data: dict, base_version: str) -> str:
    """Write ``exp_dir/<doc_id>.yaml`` atomically when ``base_version`` is the
    file's current version; the previous file goes to ``.backup/``. Returns the
    new version. Raises Conflict (someone saved first) or LabelError (schema)."""
    path = labels_path(exp_dir, doc_id)
    current = version_of(path)
    if base_version != current:
        raise Conflict(f"{doc_id}.yaml was saved elsewhere since you opened it (yours: {base_version}, "
                       f"now: {current}). Nothing was written: reload to see the other edit, then redo "
                       "yours.", current)
    if not isinstance(data, dict):
        raise LabelError("labels must be a mapping", 422)
    if data.get("doc_id") != doc_id:
        raise LabelError(f"doc_id in the labels ({data.get('doc_id')!r}) is not {doc_id!r}", 422)
    problems = schema_problems(data)
    if problems:
        raise LabelError("the labels break the expectations schema: " + "; ".join(problems[:5]), 422, problems)
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    if labels_state(exp_dir, doc_id).endswith("(blind)") or data.get("blind") is True:
        raise LabelError(f"{doc_id}: blind labels are not edited here (tests/expectations/BLIND.md)", 403)
    text = dump_labels(data, header_comments(old))
    if yaml.safe_load(text) != _normalized(data):  # a guard on dump_labels, never expected
        raise LabelError("internal error: the YAML would not read back as the labels; nothing written", 500)
    if old:
        atomic_write_text(exp_dir.resolve() / BACKUP_DIR / f"{doc_id}.yaml", old)
    atomic_write_text(path, text)
    return version_of(path)


def _normalized(data: dict) -> dict:
    """What the written file must read back as: ``data`` with empty lists for
    missing ones (as validate reads them), through YAML (tuples become lists)."""
    mentions = {mtype: items or [] for mtype, items in (data.get("mentions") or {}).items()}
    full = {**data, "mentions": mentions, "measures": data.get("measures") or []}
    return yaml.safe_load(yaml.safe_dump(full, allow_unicode=True))


# ------------------------------------------------------------------ scores

def scores(data: dict, rows: PaperRows, exp_dir: Path) -> list[dict]:
    """validate's rows for these labels against the current output (draft or final)."""
    problems = schema_problems(data)
    if problems:
        raise LabelError("cannot score labels that break the schema: " + "; ".join(problems[:5]), 422, problems)
    labeled = {**data, "mentions": data.get("mentions") or {}, "measures": data.get("measures") or []}
    score = score_paper(labeled, rows.mentions, rows.measures)
    limits = thresholds_for(load_thresholds(exp_dir / "thresholds.yaml"), str(data["doc_id"]))
    return score_rows(score, limits)


def summary(rows: list[dict]) -> dict[str, Optional[float]]:
    """Mentions F1 (micro over the labeled types), measures F1, all-fields F1."""
    counts = Counts()
    found: dict[str, Optional[float]] = {"mentions": None, "measures": None, "all_fields": None}
    for row in rows:
        if row["item"] in MENTION_TYPES:
            counts.add(Counts(row["tp"], row["fp"], row["fn"]))
            found["mentions"] = 0.0
        elif row["item"] == "measures":
            found["measures"] = row["f1"]
        elif row["item"] == "measures.all_fields":
            found["all_fields"] = row["f1"]
    if found["mentions"] is not None:
        found["mentions"] = round(counts.f1, 4)
    return found


def item_status(data: dict, rows: PaperRows) -> dict[str, Any]:
    """Per labeled item: found by the pipeline or not, with the page where; per
    measure, the matched row and the labeled fields it gets wrong."""
    mentions = data.get("mentions") or {}
    out: dict[str, Any] = {"mentions": {}, "measures": []}
    for mtype, items in mentions.items():
        typed = [r for r in rows.mentions if str(r.get("type", "")).upper() == mtype]
        statuses = []
        for item in items or []:
            hits = [r for r in typed if score_mentions(mtype, [{**item, "optional": False}], [r])[0].tp]
            statuses.append({"found": bool(hits), "pages": sorted({r.get("page", "") for r in hits})[:5],
                             "starts": [int(r["start"]) for r in hits if str(r.get("start", "")).isdigit()][:20]})
        out["mentions"][mtype] = statuses
    expected = data.get("measures") or []
    pairs = dict(match_measures(expected, rows.measures))
    for ei, item in enumerate(expected):
        ri = pairs.get(ei)
        if ri is None:
            out["measures"].append({"found": False})
            continue
        row = rows.measures[ri]
        wrong = {f: row.get(f, "") for f in MEASURE_FIELDS
                 if f in item and not field_correct(f, item[f], row.get(f), mentions)}
        out["measures"].append({"found": True, "page": row.get("page", ""), "measure_id": row.get("measure_id", ""),
                                "evidence": row.get("evidence", ""), "wrong": wrong})
    return out


# ------------------------------------------------------------ vocabularies

@lru_cache(maxsize=1)
def _static_vocabularies() -> dict[str, list]:
    countries = {c.alpha_3: c.name for c in pycountry.countries}
    for row in read_data_csv("country_aliases.csv"):
        if row.get("form") in ("display", "name") and row.get("iso3"):
            countries.setdefault(row["iso3"], row["alias"])
    currencies = sorted({row["iso"] for row in read_data_csv("currencies.csv") if re.fullmatch(r"[A-Z]{3}", row.get("iso", ""))})
    return {
        "countries": sorted([iso, name] for iso, name in countries.items()),
        "currencies": currencies,
        "instruments": list(INSTRUMENTS),
        "sectors": sorted({row["canonical"] for row in read_data_csv("sectors.csv") if row.get("canonical")}),
        "quantity_types": list(QUANTITY_TYPES),
        "mention_types": list(MENTION_TYPES),
        "measure_fields": list(MEASURE_FIELDS),
    }


def vocabularies(output_dir: Path) -> dict[str, list]:
    """The controlled vocabularies the editor offers: ISO3 countries, ISO 4217
    currencies, instruments, sectors, and known programs and bodies by their
    canonical names (the project's alias tables plus the corpus registries)."""
    vocab = dict(_static_vocabularies())
    for key, table, registry in (("programs", "program_aliases.csv", "program_registry"),
                                 ("orgs", "org_aliases.csv", "org_registry")):
        names = {row["canonical"] for row in read_data_csv(table) if row.get("canonical")}
        names |= {row["name"] for rows in rows_by_doc(output_dir, registry).values() for row in rows if row.get("name")}
        vocab[key] = sorted(names)
    return vocab


@lru_cache(maxsize=1)
def _aliases() -> dict[str, dict[str, tuple[str, str]]]:
    """casefolded alias -> (canonical, iso3) for countries, programs, bodies, sectors."""
    out: dict[str, dict[str, tuple[str, str]]] = {"COUNTRY": {}, "PROGRAM": {}, "ORG": {}, "SECTOR": {}}
    for row in read_data_csv("country_aliases.csv"):
        out["COUNTRY"].setdefault(row["alias"].casefold(), (row["alias"], row["iso3"]))
    for mtype, table in (("PROGRAM", "program_aliases.csv"), ("ORG", "org_aliases.csv")):
        for row in read_data_csv(table):
            out[mtype].setdefault(row["alias"].casefold(), (row["canonical"], row.get("iso3", "")))
    for row in read_data_csv("sectors.csv"):
        for name in (row["canonical"], row["synonym"]):
            out["SECTOR"].setdefault(name.casefold(), (row["canonical"], ""))
    return out


def suggest(kind: str, body: str, start: int, end: int) -> dict:
    """A new item for the text selected at [start, end): a mention of type
    ``kind`` or a ``measure``, pre-filled by the project's normalizers."""
    if not (0 <= start < end <= len(body)):
        raise LabelError(f"selection {start}-{end} is outside the text ({len(body)} characters)", 400)
    text = " ".join(body[start:end].split())
    known = _aliases().get(kind, {}).get(text.casefold())
    if kind == "COUNTRY":
        return {"iso3": known[1] if known else _iso3(text), "name": text}
    if kind == "REGION":
        return {"name": text, "iso3": ""}
    if kind in ("PROGRAM", "ORG"):
        item = {"canonical": known[0] if known else text}
        if known and known[1]:
            item["iso3"] = known[1]
        if known and known[0] != text:
            item["aliases"] = [text]
        return item
    if kind == "SECTOR":
        return {"canonical": known[0] if known else text.lower()}
    if kind == "DATE":
        dates = find_dates(text)
        return {"year": dates[0].year} if dates else {"year": None}
    money = parse_money(text) if kind in ("MONEY", "measure") else None
    percent = parse_percent(text) if kind in ("PERCENT", "measure") and money is None else None
    found = money or percent
    item: dict[str, Any] = {}
    if kind == "measure":
        item["quantity_type"] = "money" if money else "percent" if percent else "count"
    item["value"] = _plain(found.value) if found else None
    for key in ("low", "high", "from_value"):
        if found is not None and getattr(found, key, None) is not None:
            item[key] = _plain(getattr(found, key))
    if money is not None:
        item["currency"] = money.currency
    if found is not None and found.approx in ("~", ">", "<"):
        item["approx"] = found.approx
    if kind == "MONEY" and "currency" not in item:
        item["currency"] = ""
    if kind == "measure":
        item["evidence"] = " ".join(sentence_around(body, start, end).split())
    return item


def _plain(number: float) -> float | int:
    return int(number) if float(number).is_integer() and abs(number) < 1e15 else number


def _iso3(name: str) -> str:
    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return ""


def known_doc_ids(output_dir: Path) -> list[str]:
    return list(rows_by_doc(output_dir, "documents"))


def labels_state(exp_dir: Path, doc_id: str) -> str:
    """"final", "draft", "unreadable" or "" (no labels file)."""
    path = labels_path(exp_dir, doc_id)
    if not path.is_file():
        return ""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError:
        return "unreadable"
    if not isinstance(data, dict):
        return "unreadable"
    return str(data.get("status", "")) + (" (blind)" if data.get("blind") is True else "")
