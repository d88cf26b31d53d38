"""Mutational fuzzing of real inputs through the whole pipeline.

    python -m pipeline.fuzz [--n 200] [--seed 0] [--workers 2] [--report output/fuzz.json]

Each mutant is a real input (the shared PDFs, the seed paper, the HTML and
Markdown samples) damaged by one to three mutations: truncation at a random
point, byte flips, a chunk duplicated or removed, PDF xref and stream damage,
invalid encodings for text. It goes through the production path for one
paper (``run.process_paper``: parse in the sandboxed child with the time limit
and memory cap, then extract and link) and its records through ``collect``.

Every mutant must end as ``ok`` or as an error row with a one-line reason,
within the time limit and under the memory cap. A *finding* is any mutant
that does not: a parser crash (an exception caught only by parse_path's
catch-all, or a child that died), a timeout, the memory cap, an exception
leaking from extract/link, a worker that died, a malformed row. Each finding
is saved as a named regression fixture (``tests/fixtures/fuzz/``, replayed by
``tests/test_fuzz.py``) and makes the exit status 1.

Deterministic: mutant ``i`` of seed ``s`` depends only on (s, i) and the inputs.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

from . import io as pio

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYX_SHARED", ROOT.parent / "shared"))
FINDINGS_DIR = ROOT / "tests" / "fixtures" / "fuzz"
# Extract and link have no limit of their own; a mutant still running this
# long after its parse limit is a hang of those stages.
EXTRA_STAGE_SECONDS = 120


def default_inputs() -> list[Path]:
    """The real inputs: shared PDFs, the seed paper, the HTML/Markdown samples."""
    inputs = sorted((SHARED / "papers" / "pdf").glob("*.pdf"))
    inputs += sorted((ROOT / "raw").glob("000_*.txt"))
    inputs += [ROOT / "tests" / "fixtures" / "parse_sample.html", ROOT / "tests" / "fixtures" / "parse_sample.md"]
    return [p for p in inputs if p.is_file()]


# ---------------------------------------------------------------- mutations

Mutation = Callable[[random.Random, bytes], bytes]


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data))] if data else data


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 4, 16, 64))):
        i = rng.randrange(len(out))
        out[i] ^= rng.randrange(1, 256)
    return bytes(out)


def _chunk(rng: random.Random, data: bytes) -> tuple[int, int]:
    start = rng.randrange(len(data))
    return start, min(len(data), start + rng.choice((1, 16, 256, 4096, 65536)))


def duplicate_chunk(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    a, b = _chunk(rng, data)
    at = _pos(rng, data)
    return data[:at] + data[a:b] * rng.choice((1, 2, 50)) + data[at:]


def remove_chunk(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return data
    a, b = _chunk(rng, data)
    return data[:a] + data[b:]


_XREF_RE = re.compile(rb"startxref\s+(\d+)|xref\s|\d{10} \d{5} [nf]")
_STREAM_RE = re.compile(rb"stream\r?\n")
_LENGTH_RE = re.compile(rb"/Length \d+")


def pdf_xref_damage(rng: random.Random, data: bytes) -> bytes:
    """Break the cross-reference: a wrong startxref, garbled entries or no table."""
    hits = list(_XREF_RE.finditer(data))
    if not hits:
        return flip_bytes(rng, data)
    m = rng.choice(hits)
    kind = rng.randrange(3)
    if kind == 0:  # a wrong offset / entry digits
        digits = bytes(rng.choice(b"0123456789") for _ in range(m.end() - m.start()))
        return data[:m.start()] + re.sub(rb"\d", lambda _d: digits[:1], m.group(0)) + data[m.end():]
    if kind == 1:  # the keyword or entry garbled
        junk = bytes(rng.randrange(256) for _ in range(m.end() - m.start()))
        return data[:m.start()] + junk + data[m.end():]
    return data[:m.start()] + data[m.end():]  # removed


def pdf_stream_damage(rng: random.Random, data: bytes) -> bytes:
    """Damage one stream: flipped bytes inside, its data cut, or a wrong /Length."""
    starts = [m.end() for m in _STREAM_RE.finditer(data)]
    if not starts:
        return flip_bytes(rng, data)
    kind = rng.randrange(3)
    if kind == 2:
        lengths = list(_LENGTH_RE.finditer(data))
        if lengths:
            m = rng.choice(lengths)
            return data[:m.start()] + b"/Length " + str(rng.choice((0, 1, 10**9, rng.randrange(99999)))).encode() + data[m.end():]
    start = rng.choice(starts)
    end = data.find(b"endstream", start)
    end = len(data) if end < 0 else end
    if end <= start:
        return data
    if kind == 0:
        out = bytearray(data)
        for _ in range(rng.choice((1, 8, 64))):
            i = rng.randrange(start, end)
            out[i] ^= rng.randrange(1, 256)
        return bytes(out)
    cut = rng.randrange(start, end)
    return data[:cut] + data[end:]


_INVALID_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3\x28", b"\x80", b"\xe2\x82", b"\xf0\x9f\x98", b"\xed\xa0\x80", b"\xc0\xaf")


def bad_encoding(rng: random.Random, data: bytes) -> bytes:
    """Invalid UTF-8 in the middle, a lying BOM, another encoding, NULs, a split character."""
    kind = rng.randrange(6)
    at = _pos(rng, data)
    if kind == 0:
        out = data
        for _ in range(rng.choice((1, 3, 30))):
            at = _pos(rng, out)
            out = out[:at] + rng.choice(_INVALID_UTF8) + out[at:]
        return out
    if kind == 1:
        return rng.choice((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00")) + data
    if kind == 2:
        text = data.decode("utf-8", errors="replace")
        return text.encode(rng.choice(("utf-16-le", "utf-16", "utf-32", "cp1252", "latin-1", "cp037")), errors="replace")
    if kind == 3:
        return data[:at] + b"\x00" * rng.choice((1, 8, 4096)) + data[at:]
    if kind == 4:  # cut inside a multi-byte character
        multi = [m.start() + 1 for m in re.finditer(rb"[\xc2-\xf4][\x80-\xbf]", data)]
        at = rng.choice(multi) if multi else at
        return data[:at] + data[at + 1:]
    return data[:at] + bytes(rng.randrange(256) for _ in range(rng.choice((16, 512, 8192)))) + data[at:]


def markup_damage(rng: random.Random, data: bytes) -> bytes:
    """Unbalanced or deeply nested tags, broken entities, a lost '<' or '>'."""
    kind = rng.randrange(4)
    at = _pos(rng, data)
    if kind == 0:
        return data[:at] + rng.choice((b"<div>", b"<table><tr><td>", b"<h2>", b"<li>", b"<b><i>")) * rng.choice((1, 100, 5000)) + data[at:]
    if kind == 1:
        return data[:at] + rng.choice((b"&#x110000;", b"&#0;", b"&#99999999999;", b"&bogus", b"<!--", b"<![CDATA[", b"<script>")) + data[at:]
    marks = [m.start() for m in re.finditer(rb"[<>]", data)]
    if not marks:
        return data
    i = rng.choice(marks)
    return data[:i] + data[i + 1:]


COMMON: dict[str, Mutation] = {"truncate": truncate, "flip": flip_bytes,
                               "dup": duplicate_chunk, "cut": remove_chunk}
BY_FORMAT: dict[str, dict[str, Mutation]] = {
    "pdf": {**COMMON, "xref": pdf_xref_damage, "stream": pdf_stream_damage},
    "txt": {**COMMON, "encoding": bad_encoding},
    "md": {**COMMON, "encoding": bad_encoding, "markup": markup_damage},
    "html": {**COMMON, "encoding": bad_encoding, "markup": markup_damage},
}


@dataclass
class Mutant:
    index: int
    source: Path
    mutations: list[str]
    data: bytes = field(repr=False)

    @property
    def name(self) -> str:
        stem = re.sub(r"[^A-Za-z0-9]+", "-", self.source.stem)[:24].strip("-")
        return f"m{self.index:05d}-{stem}-{'+'.join(self.mutations)}"


def _format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    return {"htm": "html", "markdown": "md", "text": "txt"}.get(suffix, suffix)


def make_mutant(inputs: list[Path], seed: int, index: int, cache: Optional[dict] = None) -> Mutant:
    """Mutant ``index`` of ``seed``: the same bytes on every machine and run."""
    rng = random.Random(f"policyx-fuzz:{seed}:{index}")
    source = inputs[rng.randrange(len(inputs))]
    if cache is not None and source in cache:
        data = cache[source]
    else:
        data = source.read_bytes()
        if cache is not None:
            cache[source] = data
    table = BY_FORMAT[_format(source)]
    names = [rng.choice(sorted(table)) for _ in range(rng.choice((1, 1, 1, 2, 3)))]
    for name in names:
        data = table[name](rng, data)
    return Mutant(index, source, names, data)


# ---------------------------------------------------------------- one mutant

class _StageHang(Exception):
    pass


def _on_alarm(_signum, _frame):
    raise _StageHang()


def classify(status: str, error: str) -> Optional[str]:
    """The finding kind for a result row, or None when the row is acceptable."""
    if status not in ("ok", "error"):
        return "bad status"
    if status == "ok":
        return "error text on an ok row" if error else None
    if not error or "\n" in error or len(error) >= 300:
        return "no one-line reason"
    if error.startswith("timed out"):
        return "hang"
    if error.startswith("out of memory"):
        return "memory"
    if error.startswith("parser crashed"):
        return "crash"
    return None


def run_mutant(mutant: Mutant, workdir: str, timeout_s: float, memory_mb: int) -> dict:
    """The mutant through parse (child) -> extract -> link; never raises."""
    from .run import RunOptions, process_paper
    path = Path(workdir) / f"{mutant.name}{mutant.source.suffix}"
    path.write_bytes(mutant.data)
    t0 = time.perf_counter()
    row = {"index": mutant.index, "name": mutant.name, "source": mutant.source.name,
           "mutations": mutant.mutations, "size": len(mutant.data)}
    old = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(int(timeout_s) + EXTRA_STAGE_SECONDS)
    try:
        result = process_paper(str(path), mutant.name, ["parse", "extract", "link"],
                               RunOptions(timeout_s=timeout_s, memory_mb=memory_mb))
        parsed = result["parse"]
        row.update(status=parsed.get("status"), error=parsed.get("error") or "",
                   mentions=len(result["extract"]), measures=len(result["link"]), result=result)
        row["finding"] = classify(row["status"], row["error"])
    except _StageHang:
        row.update(status="hang", error=f"extract/link still running after {int(timeout_s) + EXTRA_STAGE_SECONDS} s",
                   finding="hang")
    except Exception as exc:  # the fuzzer's own boundary: this is what it looks for
        row.update(status="exception", error=" ".join(f"{type(exc).__name__}: {exc}".split())[:300],
                   finding="uncaught exception")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
        path.unlink(missing_ok=True)
    row["seconds"] = round(time.perf_counter() - t0, 3)
    return row


_STATE: dict = {}


def _worker_job(index: int) -> dict:
    mutant = make_mutant(_STATE["inputs"], _STATE["seed"], index, _STATE["cache"])
    return run_mutant(mutant, _STATE["workdir"], _STATE["timeout"], _STATE["memory"])


# ---------------------------------------------------------------- the campaign

def reason_key(row: dict) -> str:
    """A reason with its numbers and quoted names generalized, for counting."""
    if row["status"] == "ok":
        return "ok"
    text = re.sub(r"\d+(\.\d+)?", "N", row["error"])
    return f"{row['status']}: {text}"[:160]


def run_fuzz(n: int, seed: int = 0, inputs: Optional[list[Path]] = None, workers: int = 1,
             timeout_s: float = 120, memory_mb: int = 2048, findings_dir: Optional[Path] = FINDINGS_DIR,
             progress: bool = False) -> dict:
    """Run ``n`` mutants; return the report (counts, time, findings)."""
    from .collect import collect
    from .run import _save, stage_fingerprints
    inputs = list(inputs or default_inputs())
    if not inputs:
        raise SystemExit("fuzz: no inputs found (../shared/papers/pdf, raw/000_*.txt, tests/fixtures)")
    t0 = time.perf_counter()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="policyx-fuzz-") as tmp:
        work, out = Path(tmp) / "mutants", Path(tmp) / "out"
        work.mkdir()
        _STATE.update(inputs=inputs, seed=seed, cache={}, workdir=str(work), timeout=timeout_s, memory=memory_mb)
        if workers <= 1:
            for i in range(n):
                rows.append(_worker_job(i))
                _tick(progress, len(rows), n, t0)
        else:
            import multiprocessing as mp
            from .extract import get_nlp
            get_nlp()  # loaded once, shared copy-on-write by the forked workers
            pending = list(range(n))
            while pending:
                with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
                    futures = {pool.submit(_worker_job, i): i for i in pending}
                    pending = []
                    broken = []
                    for fut in as_completed(futures):
                        i = futures[fut]
                        try:
                            rows.append(fut.result())
                        except BrokenProcessPool:
                            broken.append(i)
                            continue
                        _tick(progress, len(rows), n, t0)
                # A worker that died takes the pool with it: its mutant is a
                # finding; the others that were in flight are run again.
                if broken:
                    culprit = min(broken)
                    m = make_mutant(inputs, seed, culprit)
                    rows.append({"index": culprit, "name": m.name, "source": m.source.name,
                                 "mutations": m.mutations, "size": len(m.data), "status": "worker died",
                                 "error": "the worker process died", "finding": "worker died", "seconds": 0.0})
                    pending = sorted(set(broken) - {culprit})
        rows.sort(key=lambda r: r["index"])
        # The records through collect, as a run writes them.
        fps = stage_fingerprints()
        for row in rows:
            result = row.pop("result", None)
            if result is not None:
                _save(out, row["name"], ["parse", "extract", "link"], result, "fuzz", fps, remember=False)
        summary = collect(out, [(Path(r["name"] + ".x"), r["name"]) for r in rows if (out / "parsed" / f"{r['name']}.json").exists()])
        with open(out / "documents.csv", encoding="utf-8", newline="") as fh:
            docs = {d["doc_id"]: d for d in csv.DictReader(fh)}
        for row in rows:
            doc = docs.get(row["name"])
            if doc is not None and row.get("finding") is None and (doc["status"], doc["error"]) != (row["status"], row["error"]):
                row["finding"] = "row differs after collect"
    seconds = time.perf_counter() - t0
    findings = [r for r in rows if r.get("finding")]
    saved = _save_findings(findings, inputs, seed, findings_dir) if findings_dir and findings else []
    times = sorted(r["seconds"] for r in rows)
    return {
        "n": n, "seed": seed, "workers": workers, "timeout_s": timeout_s, "memory_mb": memory_mb,
        "inputs": [p.name for p in inputs],
        "seconds": round(seconds, 1),
        "mutant_seconds": {"mean": round(sum(times) / len(times), 3) if times else 0,
                           "p50": times[len(times) // 2] if times else 0, "max": times[-1] if times else 0},
        "status": dict(sorted(Counter(r["status"] for r in rows).items())),
        "reasons": dict(Counter(reason_key(r) for r in rows).most_common()),
        "by_mutation": dict(sorted(Counter(m for r in rows for m in r["mutations"]).items())),
        "collected": {"papers": summary["papers"], "mentions": summary["mentions"], "measures": summary["measures"]},
        "findings": [{k: r[k] for k in ("index", "name", "source", "mutations", "status", "error", "finding")}
                     for r in findings],
        "saved": [str(p) for p in saved],
    }


def _tick(enabled: bool, done: int, total: int, t0: float) -> None:
    if enabled and (done % 25 == 0 or done == total):
        print(f"  {done}/{total} mutants, {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)


def _save_findings(findings: list[dict], inputs: list[Path], seed: int, folder: Path) -> list[Path]:
    """Each finding as a named fixture, listed in folder/findings.csv."""
    saved = []
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "findings.csv"
    known: dict[str, dict] = {}
    if manifest.exists():
        with open(manifest, encoding="utf-8", newline="") as fh:
            known = {r["file"]: r for r in csv.DictReader(fh)}
    for f in findings:
        m = make_mutant(inputs, seed, f["index"])
        kind = re.sub(r"[^a-z]+", "-", f["finding"].lower()).strip("-")
        path = folder / f"{kind}-seed{seed}-{m.name}{m.source.suffix}"
        pio.atomic_write_bytes(path, m.data)
        saved.append(path)
        known[path.name] = {"file": path.name, "finding": f["finding"], "seed": seed, "index": f["index"],
                            "source": m.source.name, "mutations": "+".join(m.mutations),
                            "status": f["status"], "error": f["error"]}
    buf = io.StringIO()
    cols = ["file", "finding", "seed", "index", "source", "mutations", "status", "error"]
    w = csv.DictWriter(buf, cols, lineterminator="\n")
    w.writeheader()
    for name in sorted(known):
        w.writerow(known[name])
    pio.atomic_write_text(manifest, buf.getvalue())
    return saved


def format_report(rep: dict) -> str:
    lines = [f"fuzz: {rep['n']} mutants (seed {rep['seed']}, {rep['workers']} workers, "
             f"timeout {rep['timeout_s']:g} s, memory {rep['memory_mb']} MB) in {rep['seconds']:.1f} s; "
             f"per mutant mean {rep['mutant_seconds']['mean']:.2f} s, max {rep['mutant_seconds']['max']:.2f} s",
             "  status: " + ", ".join(f"{k} {v}" for k, v in rep["status"].items()),
             "  mutations: " + ", ".join(f"{k} {v}" for k, v in rep["by_mutation"].items()),
             "  reasons:"]
    lines += [f"    {v:5d}  {k}" for k, v in rep["reasons"].items()]
    lines.append(f"  findings: {len(rep['findings'])} (crashes, hangs, memory, uncaught exceptions, bad rows)")
    for f in rep["findings"]:
        lines.append(f"    {f['finding']}: {f['name']} -> {f['status']}: {f['error']}")
    for p in rep["saved"]:
        lines.append(f"    saved {p}")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.fuzz", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200, help="number of mutants")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=120, help="seconds allowed to parse one mutant")
    ap.add_argument("--memory-mb", type=int, default=2048)
    ap.add_argument("--report", type=Path, help="also write the report as JSON here")
    ap.add_argument("--findings-dir", type=Path, default=FINDINGS_DIR,
                    help="where mutants that crash, hang or leak an exception are saved")
    ap.add_argument("--input", type=Path, action="append", help="an input file (default: the real inputs)")
    args = ap.parse_args(argv)
    import logging
    logging.basicConfig(level=logging.ERROR)
    rep = run_fuzz(args.n, args.seed, args.input, args.workers, args.timeout, args.memory_mb,
                   args.findings_dir, progress=True)
    print(format_report(rep))
    if args.report:
        pio.write_json(args.report, rep)
    return 1 if rep["findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
