"""Fail when code, data or tests quote a labeled paper.

Examples in comments, docstrings and data files must be invented, never a
sentence from the papers the pipeline is scored on (a rule written around a
quoted sentence fits that paper, not the next one). The papers' sentences are
taken from the ``evidence`` strings of ``tests/expectations/*.yaml`` (the
labeled sentences: cheap, and the ones rules get written around). Any run of
N words (default 6) shared by an evidence sentence and a file under
``pipeline/`` or ``tests/`` is reported as ``file:line``; the exit status is 1
if any is found. Test files and fixtures invent their examples too; the few
that must hold a real paper's text (the labels, the pipeline's real outputs,
sentences asserted against a real PDF) are listed in EXCLUDED and ALLOWED
below, each with why.

Words are compared case-insensitively, letters and digits only, so quoting
punctuation, line breaks and comment markers do not hide a quote.

    python scripts/check_quotes.py            # run by `make lint` (pipeline/ and tests/)
    python scripts/check_quotes.py --root tests
    python scripts/check_quotes.py --words 8  # a longer window
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Files whose quotes are reported but do not fail the check yet, each with why.
# Remove an entry once its file is fixed.
PENDING: dict[str, str] = {}   # file -> why its quotes are reported but not yet failing
# Files and folders (relative to the repository, "/" at the end for a folder)
# that hold a real paper's text by design and are not checked, each with why.
EXCLUDED: dict[str, str] = {
    "tests/expectations/": "the labels themselves: their evidence is the papers' sentences",
    "tests/fixtures/output_small/": "the pipeline's real outputs (evidence column) on labeled papers",
    "tests/fixtures/pdf_reader_cases.yaml": "sentences that must match the real PDFs' text (reading-order test)",
    "tests/test_regression_labeled.py": "the titles the pipeline gives the real labeled papers (regression snapshot)",
}
# Quoted runs allowed in one file, because a test asserts a real PDF's text:
# file -> {the quoted text: why}. A run is allowed when it lies inside the text.
ALLOWED: dict[str, dict[str, str]] = {
    "tests/test_parse.py": {
        "with focus on nanotechnology and the environment since 2002; in FY 2003, 22 awards were made":
            "the text parse must give for the real NNI PDF (a sentence broken by a table)",
    },
    "tests/test_ocr.py": {
        "BLS projects that total employment in the United States will rise 20.5 million":
            "OCR reading order on a scan of the real BLS PDF",
        "The remaining growth is accounted for by a projected increase of 776,800 "
        "nonagricultural self-employed and unpaid family workers":
            "OCR reading order on a scan of the real BLS PDF",
    },
}
DEFAULT_ROOTS = ("pipeline", "tests")
TEXT_SUFFIXES = {".py", ".csv", ".yaml", ".yml", ".cfg", ".md", ".txt", ".json"}
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def words(text: str) -> list[tuple[str, int]]:
    """(casefolded word, offset) for every word of ``text``."""
    return [(m.group(0).casefold().replace("’", "'"), m.start()) for m in WORD.finditer(text)]


def evidence_strings(node, out: list[str]) -> list[str]:
    """Every string under an ``evidence`` key, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence" and isinstance(value, str):
                out.append(value)
            elif key == "evidence" and isinstance(value, list):
                out.extend(v for v in value if isinstance(v, str))
            else:
                evidence_strings(value, out)
    elif isinstance(node, list):
        for value in node:
            evidence_strings(value, out)
    return out


def paper_ngrams(expectations: Path, n: int) -> dict[tuple[str, ...], str]:
    """Every n-word run of the labeled evidence -> the paper it comes from."""
    grams: dict[tuple[str, ...], str] = {}
    for path in sorted(expectations.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if path.name == "thresholds.yaml" or not isinstance(data, dict):
            continue
        for sentence in evidence_strings(data, []):
            ws = [w for w, _ in words(sentence)]
            for i in range(len(ws) - n + 1):
                grams.setdefault(tuple(ws[i:i + n]), path.stem)
    return grams


def quotes_in(path: Path, grams: dict[tuple[str, ...], str], n: int) -> list[tuple[int, str, str]]:
    """(line, quoted words, paper) for each maximal quoted run in one file."""
    text = path.read_text(encoding="utf-8", errors="replace")
    ws = words(text)
    found, i = [], 0
    while i <= len(ws) - n:
        paper = grams.get(tuple(w for w, _ in ws[i:i + n]))
        if paper is None:
            i += 1
            continue
        j = i + n
        while j < len(ws) and tuple(w for w, _ in ws[j - n + 1:j + 1]) in grams:
            j += 1
        line = text.count("\n", 0, ws[i][1]) + 1
        found.append((line, " ".join(w for w, _ in ws[i:j]), paper))
        i = j
    return found


def excluded(shown: str) -> bool:
    """True for a file under EXCLUDED (the file itself or a folder above it)."""
    return any(shown == k or (k.endswith("/") and shown.startswith(k)) for k in EXCLUDED)


def allowed(shown: str, quoted: str) -> bool:
    """True when the quoted run lies inside one of the file's ALLOWED texts."""
    return any(f" {quoted} " in " " + " ".join(w for w, _ in words(text)) + " " for text in ALLOWED.get(shown, {}))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=6, help="shortest shared run reported (default 6)")
    ap.add_argument("--root", type=Path, action="append",
                    help="folder or file checked, may be repeated (default: pipeline/ and tests/)")
    ap.add_argument("--expectations", type=Path, default=ROOT / "tests" / "expectations")
    args = ap.parse_args(argv)
    grams = paper_ngrams(args.expectations, args.words)
    roots = [r.resolve() for r in (args.root or [ROOT / r for r in DEFAULT_ROOTS])]
    total = pending = 0
    for path in sorted(p for root in roots for p in ([root] if root.is_file() else root.rglob("*"))):
        if path.suffix not in TEXT_SUFFIXES or "__pycache__" in path.parts or not path.is_file():
            continue
        shown = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)
        if excluded(shown):
            continue
        for line, quoted, paper in quotes_in(path, grams, args.words):
            if allowed(shown, quoted):
                continue
            if shown in PENDING:
                pending += 1
                continue
            total += 1
            print(f"{shown}:{line}: quotes {paper}: \"{quoted}\"")
    if pending:
        print(f"note: {pending} quoted run(s) in files pending a fix: "
              + "; ".join(f"{k} ({v})" for k, v in PENDING.items()), file=sys.stderr)
    if total:
        print(f"{total} quoted run(s) of {args.words}+ words from labeled papers: replace them with "
              f"invented examples of the same shape", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
