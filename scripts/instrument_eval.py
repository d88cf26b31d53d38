"""Instrument of a measure: cue rules against a trained classifier, leave one paper out.

An experiment (issue 13, item 2), not a production switch. Examples come from the
labeled DEV papers only (``tests/expectations/*.yaml`` whose ``blind`` is not true;
a blind paper is used for nothing but its ``blind`` flag): every expected measure with an
instrument and an evidence sentence. A label may list accepted instruments: the first
is the training label, any counts as right at scoring.

The predictors, each scored leave-one-paper-out (train on the other dev papers,
test on the held-out one; the rules train on nothing):

* ``rules``:  ``pipeline.link.classify_instrument`` on the evidence sentence alone
  (window = the whole sentence, the quantity located in it; no section, paragraph or
  blanked names, so it sees less than the link stage does).
* ``model:<features>``: spaCy ``textcat`` (bag of words and bigrams, exclusive classes)
  over the sentence with the quantity replaced by a type token and the words around it
  as position-marked tokens; with ``+cues`` the rules' cue scores and answer as tokens
  too (see ``model_text``).
* ``majority``: the training papers' most frequent instrument (the floor).
* ``hybrid``: the rules, but the model's label when the rules' best cue score in the
  sentence is under ``context_threshold`` (no specific cue) or the rules answer the
  generic class (investment), the model being ``model:<MODEL>``.

    python scripts/instrument_eval.py OUT_DIR   # -> OUT_DIR/instrument_eval.json
    python scripts/instrument_eval.py OUT_DIR --blind-once   # -> OUT_DIR/instrument_blind.json (totals)
"""
from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Optional

import spacy
from spacy.training import Example

from pipeline.link import classify_instrument, load_cues
from pipeline.link.instrument import _score
from pipeline.normalize.money import find_money
from pipeline.normalize.numbers import find_numbers
from pipeline.normalize.percent import find_percent
from pipeline.records import INSTRUMENTS
from pipeline.validate import load_expectations

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "expectations"
BIG_PAPER = "07_pdfminer_irs-i1040nr-2007-instructions"   # ~a third of the dev measures
CONTEXT_WORDS = 4      # words on each side of the quantity given as position-marked tokens
EPOCHS = 5         # fits the training papers (train accuracy >= 0.99); more only memorizes them
DROPOUT = 0.2
MODEL = "words+cues"   # the variant the hybrid uses
SEED = 0
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@dataclass(frozen=True)
class Labeled:
    doc_id: str
    sentence: str
    quantity_type: str
    accepted: tuple[str, ...]   # first = training label
    q_start: int                # quantity span in the sentence; (0, 0) when not found
    q_end: int
    located: bool
    approx: str = ""
    from_value: Optional[float] = None

    @property
    def label(self) -> str:
        return self.accepted[0]


# ------------------------------------------------------------------ examples

def is_blind(data: dict) -> bool:
    return data.get("blind") is True


def split_files(folder: Path = EXPECTATIONS) -> tuple[list[Path], list[Path]]:
    """(dev, blind) expectations files of ``folder`` (thresholds.yaml is not a paper)."""
    dev, blind = [], []
    for path in sorted(folder.glob("*.yaml")):
        if path.name != "thresholds.yaml":
            (blind if is_blind(load_expectations(path)) else dev).append(path)
    return dev, blind


def dev_files(folder: Path = EXPECTATIONS) -> list[Path]:
    return split_files(folder)[0]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=0.006)


def locate(sentence: str, measure: dict) -> Optional[tuple[int, int, str]]:
    """(start, end, approx) of the measure's quantity in ``sentence``, or None.

    First a mention of the measure's type with its value (or low, high, from_value);
    else a bare number that is the value in units, thousands, millions... (a table
    cell "1.8" under a heading "EUR billion").
    """
    qtype = measure["quantity_type"]
    finder: Callable[[str], list] = {"money": find_money, "percent": find_percent, "count": find_numbers}[qtype]
    wanted = [measure[k] for k in ("value", "low", "high", "from_value") if measure.get(k) is not None]
    for match in finder(sentence):
        values = [getattr(match, k, None) for k in ("value", "low", "high", "from_value")]
        if any(v is not None and _close(v, w) for v in values for w in wanted):
            return match.start, match.end, getattr(match, "approx", "")
    for match in find_numbers(sentence):
        if any(_close(match.value * 10 ** k, w) for w in wanted for k in (0, 3, 6, 9, 12)):
            return match.start, match.end, ""
    return None


def examples_from(path: Path, blind_test: bool = False) -> list[Labeled]:
    """Every required measure of one dev paper that has an instrument and an evidence sentence
    (an ``optional`` measure counts on neither side in validation, so not here either).
    ``blind_test``: a blind paper's measures, for the one blind scoring (``--blind-once``); never
    used to train."""
    data = load_expectations(path)
    if is_blind(data) and not blind_test:
        raise ValueError(f"{path.name} is a blind paper: never used to train or test")
    out = []
    for m in data["measures"]:
        instrument = m.get("instrument")
        accepted = [i for i in (instrument if isinstance(instrument, list) else [instrument]) if i]
        evidence = m.get("evidence")
        sentences = [e for e in (evidence if isinstance(evidence, list) else [evidence]) if isinstance(e, str) and e]
        if m.get("optional") or not accepted or not sentences:
            continue
        found = [(s, locate(s, m)) for s in sentences]
        sentence, span = next(((s, sp) for s, sp in found if sp), found[0])
        approx = m.get("approx") if isinstance(m.get("approx"), str) else (span[2] if span else "")
        out.append(Labeled(
            doc_id=data["doc_id"], sentence=sentence, quantity_type=m["quantity_type"], accepted=tuple(accepted),
            q_start=span[0] if span else 0, q_end=span[1] if span else 0, located=span is not None,
            approx=approx, from_value=m.get("from_value")))
    return out


def build_examples(paths: Iterable[Path]) -> list[Labeled]:
    out: list[Labeled] = []
    for path in paths:
        out.extend(examples_from(path))
    return out


def lopo_splits(examples: list[Labeled]) -> list[tuple[str, list[Labeled], list[Labeled]]]:
    """(held-out doc_id, train, test) per paper: train holds every other paper's examples."""
    docs = sorted({e.doc_id for e in examples})
    return [(d, [e for e in examples if e.doc_id != d], [e for e in examples if e.doc_id == d]) for d in docs]


# ------------------------------------------------------------------ predictors

@functools.lru_cache(maxsize=None)
def rule_scores(e: Labeled) -> dict[str, float]:
    """The cue scores of the whole sentence around the quantity (decayed by distance)."""
    whole = (0, len(e.sentence))
    return _score(e.sentence, e.q_start, e.q_end, whole, e.quantity_type, load_cues(), sentence=whole,
                  bound=e.approx if e.approx in (">", "<") else "")


@functools.lru_cache(maxsize=None)
def rules_predict(e: Labeled) -> str:
    whole = (0, len(e.sentence))
    return classify_instrument(e.sentence, e.q_start, e.q_end, whole, whole, e.quantity_type,
                               from_value=e.from_value, approx=e.approx)


FEATURES = ("words", "words+cues", "context+cues")


@functools.lru_cache(maxsize=None)
def model_text(e: Labeled, features: str) -> str:
    """The example as the classifier reads it (one of FEATURES).

    ``words``: the sentence with the quantity replaced by a type token, plus the
    CONTEXT_WORDS words on each side as position-marked tokens (``L_tax``, ``R_credit``).
    ``words+cues``: also a ``CUE_<class>`` token per class the cue rules score and
    ``RULE_<class>`` for the rules' answer. ``context+cues``: only the type token, the
    position-marked words and the cue tokens (no bag of the whole sentence).
    """
    s = e.sentence
    qtok = f"QTY_{e.quantity_type.upper()}"
    if e.located:
        before, after = s[:e.q_start], s[e.q_end:]
        text = f"{before} {qtok} {after}"
        left = [w.lower() for w in WORD.findall(before)][-CONTEXT_WORDS:]
        right = [w.lower() for w in WORD.findall(after)][:CONTEXT_WORDS]
        extra = [f"L_{w}" for w in left] + [f"R_{w}" for w in right]
    else:
        text, extra = f"{s} {qtok}", ["QTY_UNLOCATED"]
    if e.approx in (">", "<"):
        extra.append("QTY_BOUNDED")
    if features != "words":
        extra += [f"CUE_{c}" for c, v in rule_scores(e).items() if v >= 0.5]
        extra.append(f"RULE_{rules_predict(e)}")
    if features == "context+cues":
        text = qtok
    return text + " " + " ".join(extra)


class TextcatModel:
    """spaCy textcat (bag of words and bigrams, exclusive classes) on model_text."""

    def __init__(self, features: str):
        if features not in FEATURES:
            raise ValueError(f"features must be one of {FEATURES}, not {features!r}")
        self.features = features
        self.nlp = spacy.blank("en")
        config = {"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": True,
                            "ngram_size": 2, "no_output_layer": False}}
        self.textcat = self.nlp.add_pipe("textcat", config=config)

    def fit(self, train: list[Labeled]) -> "TextcatModel":
        spacy.util.fix_random_seed(SEED)
        for label in INSTRUMENTS:
            self.textcat.add_label(label)
        data = [Example.from_dict(self.nlp.make_doc(model_text(e, self.features)),
                                  {"cats": {c: float(c == e.label) for c in INSTRUMENTS}}) for e in train]
        optimizer = self.nlp.initialize(lambda: data)
        rng = random.Random(SEED)
        for _ in range(EPOCHS):
            rng.shuffle(data)
            for batch in spacy.util.minibatch(data, size=16):
                self.nlp.update(batch, sgd=optimizer, drop=DROPOUT)
        return self

    def predict(self, examples: list[Labeled]) -> list[str]:
        docs = self.nlp.pipe(model_text(e, self.features) for e in examples)
        return [max(d.cats, key=d.cats.get) for d in docs]


def majority(train: list[Labeled]) -> str:
    """The most frequent training label (a baseline that learns nothing but the prior)."""
    counts = Counter(e.label for e in train)
    return max(sorted(counts), key=counts.get)


def hybrid(e: Labeled, rule: str, model: str) -> str:
    """The rules' label unless no specific cue decides (weak best score or the generic class)."""
    cues = load_cues()
    weak = max(rule_scores(e).values(), default=0.0) < cues.context_threshold
    return model if weak or rule == cues.generic_class else rule


# ------------------------------------------------------------------ evaluation

def _acc(rows: list[dict], key: str) -> dict:
    n = len(rows)
    right = sum(r[key] in r["accepted"] for r in rows)
    return {"right": right, "n": n, "accuracy": round(right / n, 3) if n else None}


def evaluate(examples: list[Labeled]) -> dict:
    """LOPO per paper, micro (with and without the big IRS paper) and macro over papers."""
    rows: list[dict] = []
    for doc_id, train, test in lopo_splits(examples):
        assert doc_id not in {e.doc_id for e in train}
        models = {f"model:{f}": TextcatModel(f).fit(train).predict(test) for f in FEATURES}
        models["majority"] = [majority(train)] * len(test)
        for i, e in enumerate(test):
            row = {"doc_id": doc_id, "accepted": list(e.accepted), "quantity_type": e.quantity_type,
                   "located": e.located, "rules": rules_predict(e), **{k: v[i] for k, v in models.items()}}
            row["hybrid"] = hybrid(e, row["rules"], row[f"model:{MODEL}"])
            rows.append(row)
    predictors = ("majority", "rules", *(f"model:{f}" for f in FEATURES), "hybrid")
    docs = sorted({r["doc_id"] for r in rows})
    per_paper = {d: {p: _acc([r for r in rows if r["doc_id"] == d], p) for p in predictors} for d in docs}
    summary = {}
    for p in predictors:
        macro = [per_paper[d][p]["accuracy"] for d in docs]
        summary[p] = {"micro": _acc(rows, p)["accuracy"],
                      "micro_without_07": _acc([r for r in rows if r["doc_id"] != BIG_PAPER], p)["accuracy"],
                      "macro": round(sum(macro) / len(macro), 3)}
    return {"summary": summary, "per_paper": per_paper, "rows": rows}


def blind_once(dev: list[Labeled], blind: list[Labeled]) -> dict:
    """The rules, the model trained on every dev example, and the hybrid, scored on the blind
    papers' examples: totals only (micro over examples, macro over papers), no per-paper rows,
    so no blind miss is ever read from it (tests/expectations/BLIND.md)."""
    assert not {e.doc_id for e in dev} & {e.doc_id for e in blind}
    model = TextcatModel(MODEL).fit(dev).predict(blind)
    rows = [{"doc_id": e.doc_id, "accepted": list(e.accepted), "rules": rules_predict(e),
             f"model:{MODEL}": p, "hybrid": hybrid(e, rules_predict(e), p)} for e, p in zip(blind, model)]
    docs = sorted({r["doc_id"] for r in rows})
    summary = {}
    for key in ("rules", f"model:{MODEL}", "hybrid"):
        macro = [_acc([r for r in rows if r["doc_id"] == d], key)["accuracy"] for d in docs]
        summary[key] = {**_acc(rows, key), "macro": round(sum(macro) / len(macro), 3)}
    return {"blind_papers": len(docs), "summary": summary}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--blind-once", action="store_true",
                        help="train on all dev papers, score rules, model and hybrid on the blind papers "
                             "(totals only; once per session, BLIND.md)")
    args = parser.parse_args(argv)
    started = time.time()
    files, blind = split_files()
    if args.blind_once:
        result = blind_once(build_examples(files), [e for p in blind for e in examples_from(p, blind_test=True)])
        args.out_dir.mkdir(parents=True, exist_ok=True)
        out = args.out_dir / "instrument_blind.json"
        out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "hybrid_model": MODEL, **result}, indent=1) + "\n",
                       encoding="utf-8")
        for name, s in result["summary"].items():
            print(f"  {name:20} blind micro {s['accuracy']:.3f} ({s['right']}/{s['n']})  macro {s['macro']:.3f}")
        return 0
    examples = build_examples(files)
    used = {e.doc_id for e in examples}
    assert not used & {load_expectations(p)["doc_id"] for p in blind}, "a blind paper reached the experiment"
    result = evaluate(examples)
    result = {"date": time.strftime("%Y-%m-%d"), "papers": [p.stem for p in files], "examples": len(examples),
              "located": sum(e.located for e in examples), "epochs": EPOCHS, "dropout": DROPOUT, "seed": SEED, "hybrid_model": MODEL,
              "seconds": round(time.time() - started, 1), **result}
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir / "instrument_eval.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"{len(examples)} examples from {len(files)} dev papers ({result['located']} quantities located)")
    for name, s in result["summary"].items():
        print(f"  {name:20} micro {s['micro']:.3f}  micro without 07 {s['micro_without_07']:.3f}  "
              f"macro {s['macro']:.3f}")
    print(f"-> {out} ({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
