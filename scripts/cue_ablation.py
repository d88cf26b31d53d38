"""Which instrument cues pay their way: remove each rule of ``pipeline/data/instrument_cues.yaml``
in turn (with ``--words``, each word of the word groups too), relink the labeled DEV papers and
count how many measures get their instrument right, and how many all fields.

Issue 13 asks for rules that generalize. A cue written for one paper's shape may fire far from
it; on 64 dev papers the marginal effect of each cue shows which ones do net harm (removing it
raises the count on several papers and lowers it on none) and which decide nothing here. The
run reads the stored extraction of a corpus run (``OUT_DIR/parsed``, ``OUT_DIR/mentions``) and
reruns only the link stage, about 7 s per variant on 64 papers. Blind papers are refused: the
ablation must not be read on them (tests/expectations/BLIND.md).

    python scripts/cue_ablation.py OUT_DIR            # -> OUT_DIR/cue_ablation.json (rules)
    python scripts/cue_ablation.py OUT_DIR --words    # ... and every single word (~30 min)

Rows are sorted most harmful first (removing it gains the most); ``papers_up``/``papers_down``
count papers whose instrument count rises/falls without the unit. Read with care: a gain of one
or two on one paper is noise at this size.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Callable, Iterator, Optional

from pipeline import io
from pipeline.link import link_document, load_cues
from pipeline.link import instrument as instrument_module
from pipeline.link.cues import Cues
from pipeline.records import Mention, ParsedDoc, mention_from_dict, parsed_from_dict
from pipeline.validate import load_expectations
from pipeline.validate.scoring import score_paper

ROOT = Path(__file__).resolve().parents[1]
EXPECTATIONS = ROOT / "tests" / "expectations"
_REINTERPRET_LISTS = ("reinterpret", "reinterpret_before", "reinterpret_after")


@dataclasses.dataclass
class Paper:
    doc_id: str
    expected: dict
    parsed: ParsedDoc
    mentions: list[Mention]


@dataclasses.dataclass(frozen=True)
class Unit:
    """What one variant removes: every cue and reinterpretation of ``rule``, or (``word`` set)
    the one cue of that rule's word group at ``index`` of its class's list."""
    rule: str
    word: str = ""
    cls: str = ""
    index: int = -1


def dev_papers(expectations: Path, out_dir: Path) -> list[Paper]:
    """The final, non-blind labeled papers with measures whose extraction ``out_dir`` holds."""
    papers = []
    for path in sorted(expectations.glob("*.yaml")):
        if path.name == "thresholds.yaml":
            continue
        expected = load_expectations(path)
        if expected.get("blind") is True or expected.get("status") != "final" or not expected.get("measures"):
            continue
        parsed_path = out_dir / "parsed" / f"{path.stem}.json"
        mentions_path = out_dir / "mentions" / f"{path.stem}.jsonl"
        if not parsed_path.exists() or not mentions_path.exists():
            continue
        mentions = [mention_from_dict(d) for d in io.read_jsonl(mentions_path)]
        papers.append(Paper(path.stem, expected, parsed_from_dict(io.read_json(parsed_path)), mentions))
    return papers


def ablation_units(cues: Cues, words: bool = False) -> list[Unit]:
    """Every rule id of the instrument cues (classes, then reinterpretations), in file order; with
    ``words``, then every cue of a word group (its pattern as ``word``)."""
    rules: dict[str, None] = {}
    for class_cues in cues.classes.values():
        for cue in class_cues:
            rules.setdefault(cue.id, None)
    for name in _REINTERPRET_LISTS:
        for entry in getattr(cues, name):
            rules.setdefault(_reinterpret_id(name, entry), None)
    units = [Unit(rule) for rule in rules]
    if words:
        for cls, class_cues in cues.classes.items():
            counts: dict[str, int] = {}
            for cue in class_cues:
                counts[cue.id] = counts.get(cue.id, 0) + 1
            units += [Unit(cue.id, cue.pattern.pattern, cls, i) for i, cue in enumerate(class_cues)
                      if counts[cue.id] > 1]      # a group of words, not a one-pattern rule
    return units


def _reinterpret_id(name: str, entry: tuple) -> str:
    return str(entry[3] if name == "reinterpret" else entry[4])


@contextlib.contextmanager
def without(cues: Cues, unit: Unit) -> Iterator[None]:
    """The shared cues with ``unit`` removed, restored on exit."""
    saved_classes = {cls: list(class_cues) for cls, class_cues in cues.classes.items()}
    saved_lists = {name: list(getattr(cues, name)) for name in _REINTERPRET_LISTS}
    try:
        if unit.word:
            cues.classes[unit.cls] = [c for i, c in enumerate(cues.classes[unit.cls]) if i != unit.index]
        else:
            for cls in cues.classes:
                cues.classes[cls] = [c for c in cues.classes[cls] if c.id != unit.rule]
            for name in _REINTERPRET_LISTS:
                setattr(cues, name, [e for e in getattr(cues, name) if _reinterpret_id(name, e) != unit.rule])
        instrument_module._section_scores.cache_clear()
        yield
    finally:
        cues.classes.clear()
        cues.classes.update(saved_classes)
        for name, entries in saved_lists.items():
            setattr(cues, name, entries)
        instrument_module._section_scores.cache_clear()


def score(papers: list[Paper]) -> dict[str, tuple[int, int]]:
    """doc_id -> (measures with the instrument right, measures right in every field)."""
    out = {}
    for paper in papers:
        rows = [{k: ("" if v is None else v) for k, v in dataclasses.asdict(m).items()}
                for m in link_document(paper.parsed, paper.mentions)]
        result = score_paper(paper.expected, [dataclasses.asdict(m) for m in paper.mentions], rows)
        field = result.fields.get("instrument")
        out[paper.doc_id] = (field.correct if field else 0, result.all_fields.tp)
    return out


def compare(base: dict[str, tuple[int, int]], variant: dict[str, tuple[int, int]]) -> dict:
    per_paper = {d: variant[d][0] - base[d][0] for d in sorted(base) if variant[d][0] != base[d][0]}
    return {
        "instrument": sum(v[0] for v in variant.values()) - sum(v[0] for v in base.values()),
        "all_fields": sum(v[1] for v in variant.values()) - sum(v[1] for v in base.values()),
        "papers_up": sum(1 for d in per_paper.values() if d > 0),
        "papers_down": sum(1 for d in per_paper.values() if d < 0),
        "per_paper": per_paper,
    }


def run(out_dir: Path, words: bool = False, expectations: Path = EXPECTATIONS,
        log: Optional[Callable[[str], None]] = None) -> dict:
    started = time.monotonic()
    papers = dev_papers(expectations, out_dir)
    if not papers:
        raise SystemExit(f"no labeled dev paper has an extraction in {out_dir} (run the corpus first)")
    cues = load_cues()
    base = score(papers)
    rows = []
    for unit in ablation_units(cues, words):
        with without(cues, unit):
            row = {"rule": unit.rule, "word": unit.word, **compare(base, score(papers))}
        rows.append(row)
        if log:
            log(f"{unit.rule} {unit.word} {row['instrument']:+d} ({row['papers_up']} up, {row['papers_down']} down)")
    rows.sort(key=lambda r: (-r["instrument"], -r["all_fields"], r["rule"], r["word"]))
    return {
        "papers": len(papers),
        "base": {"instrument": sum(v[0] for v in base.values()), "all_fields": sum(v[1] for v in base.values())},
        "units": rows,
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="a corpus run's output directory (parsed/, mentions/)")
    parser.add_argument("--words", action="store_true", help="also remove each word of the word groups")
    args = parser.parse_args(argv)
    result = run(args.out_dir, args.words, log=lambda line: print(line, file=sys.stderr, flush=True))
    target = args.out_dir / "cue_ablation.json"
    io.atomic_write_text(target, json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    harmful = [r for r in result["units"] if r["instrument"] > 0 and r["papers_down"] == 0 and r["papers_up"] >= 2]
    print(f"{len(result['units'])} variants on {result['papers']} dev papers in {result['seconds']} s -> {target}; "
          f"removing these gains on two or more papers and loses on none: "
          + (", ".join(f"{r['rule']} {r['word']}".strip() for r in harmful) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
