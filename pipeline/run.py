"""Corpus runner: every paper in raw/ through parse -> extract -> link, then collect.

Incremental per paper: a paper's stage is redone only when its raw bytes or
the code/data that stage depends on changed (fingerprints kept beside the
per-paper outputs in ``output/state/``). Papers run in parallel on a local
process pool (the spaCy model loads once per worker) or, with
``--executor dask`` / ``DASK_SCHEDULER``, as Dask tasks on a cluster; the
combined CSVs are always written here, atomically, in a stable order.

    python -m pipeline run RAW_DIR OUTPUT_DIR [--workers N] [--executor local|dask]
"""
from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from . import io as pio
from .corpus import doc_id_for, list_papers
from .records import SCHEMA_VERSION

log = logging.getLogger("policyx.run")

PACKAGE_DIR = Path(__file__).resolve().parent
# Which files each stage's output depends on (besides the paper itself).
STAGE_SOURCES: dict[str, tuple[str, ...]] = {
    # (tests/test_stage_sources.py checks that every module a stage imports is listed)
    "parse": ("parse/**/*.py", "normalize/divisions.py", "records.py", "io.py", "corpus.py", "data_access.py",
              "data/*.csv", "data/*.yaml"),
    "extract": ("extract/**/*.py", "normalize/**/*.py", "jurisdiction.py", "records.py", "io.py", "load.py",
                "datapackage.py", "data_access.py", "config.cfg", "data/*.csv", "data/*.yaml"),
    "link": ("link/**/*.py", "extract/vocab.py", "normalize/**/*.py", "jurisdiction.py", "records.py", "io.py",
             "load.py", "datapackage.py", "data_access.py", "data/*.yaml", "data/*.csv"),
}


# Exit statuses of `python -m pipeline run` (sysexits.h: EX_IOERR, EX_TEMPFAIL).
EXIT_WRITE_ERROR = 74
EXIT_LOCKED = 75


@dataclass(frozen=True)
class RunOptions:
    timeout_s: float = 120.0
    memory_mb: int = 2048
    force: bool = False
    ocr_page_timeout_s: float = 30.0   # added to timeout_s per page to OCR


def stage_fingerprints() -> dict[str, str]:
    """A hash per stage of the code and data that stage reads."""
    out = {}
    for stage, patterns in STAGE_SOURCES.items():
        h = hashlib.sha256(SCHEMA_VERSION.encode())
        files = sorted({p for pat in patterns for p in PACKAGE_DIR.glob(pat) if p.is_file() and "__pycache__" not in p.parts})
        for p in files:
            h.update(str(p.relative_to(PACKAGE_DIR)).encode())
            h.update(p.read_bytes())
        if stage == "parse":
            # Installing (or upgrading) the OCR engine changes what scanned pages give.
            from .parse.ocr import engine_id
            h.update(engine_id().encode())
        out[stage] = h.hexdigest()[:16]
    return out


# ---------------------------------------------------------------- per paper

def _paths(out_dir: Path, doc_id: str) -> dict[str, Path]:
    return {
        "parse": out_dir / "parsed" / f"{doc_id}.json",
        "extract": out_dir / "mentions" / f"{doc_id}.jsonl",
        "link": out_dir / "measures" / f"{doc_id}.jsonl",
        "state": out_dir / "state" / f"{doc_id}.json",
    }


def stages_needed(out_dir: Path, doc_id: str, sha: str, fps: dict[str, str], force: bool) -> list[str]:
    """The stages to redo for this paper: the first stale one and all after it."""
    paths = _paths(out_dir, doc_id)
    try:
        state = pio.read_json(paths["state"])
    except (OSError, ValueError):
        state = {}
    order = ["parse", "extract", "link"]
    for i, stage in enumerate(order):
        key = sha if stage == "parse" else ""
        fresh = (not force and paths[stage].exists()
                 and state.get(stage) == fps[stage] + key)
        if not fresh:
            return order[i:]
    return []


def process_paper(path: str, doc_id: str, stages: list[str], opts: RunOptions,
                  prior: Optional[dict[str, Any]] = None, data: Optional[bytes] = None) -> dict[str, Any]:
    """Run the given stages for one paper and return their records as dicts.

    Runs on a worker (local process or Dask). ``data`` carries the file bytes
    when the worker may not share the client's file system; ``prior`` the
    outputs of the stages that are still fresh.
    """
    from .records import parsed_from_dict, mention_from_dict, to_dict
    result: dict[str, Any] = dict(prior or {})
    t0 = time.perf_counter()
    if "parse" in stages:
        from .parse.sandbox import parse_in_child
        if data is not None:
            suffix = Path(path).suffix
            with tempfile.TemporaryDirectory(prefix="policyx-") as tmp:
                local = Path(tmp) / f"paper{suffix}"
                local.write_bytes(data)
                parsed = parse_in_child(local, doc_id, timeout_s=opts.timeout_s, memory_mb=opts.memory_mb,
                                        ocr_page_timeout_s=opts.ocr_page_timeout_s)
        else:
            parsed = parse_in_child(Path(path), doc_id, timeout_s=opts.timeout_s, memory_mb=opts.memory_mb,
                                    ocr_page_timeout_s=opts.ocr_page_timeout_s)
        parsed.source_file = Path(path).name
        result["parse"] = to_dict(parsed)
    parsed = parsed_from_dict(result["parse"])
    if "extract" in stages:
        if parsed.status == "ok":
            from .extract import extract_document, get_nlp
            mentions = extract_document(parsed, get_nlp())
        else:
            mentions = []
        result["extract"] = [to_dict(m) for m in mentions]
    if "link" in stages:
        if parsed.status == "ok":
            from .link import link_document
            mentions = [mention_from_dict(m) for m in result["extract"]]
            measures = link_document(parsed, mentions)
        else:
            measures = []
        result["link"] = [to_dict(m) for m in measures]
    result["seconds"] = round(time.perf_counter() - t0, 3)
    return result


def _load_prior(out_dir: Path, doc_id: str, stages: list[str]) -> dict[str, Any]:
    paths = _paths(out_dir, doc_id)
    prior: dict[str, Any] = {}
    if "parse" not in stages:
        prior["parse"] = pio.read_json(paths["parse"])
    if "extract" not in stages:
        prior["extract"] = pio.read_jsonl(paths["extract"])
    return prior


def _save(out_dir: Path, doc_id: str, stages: list[str], result: dict[str, Any],
          sha: str, fps: dict[str, str], remember: bool = True) -> None:
    paths = _paths(out_dir, doc_id)
    if not remember:
        paths["state"].unlink(missing_ok=True)
    if "parse" in stages:
        pio.write_json(paths["parse"], result["parse"])
    if "extract" in stages:
        pio.write_jsonl(paths["extract"], result["extract"])
    if "link" in stages:
        pio.write_jsonl(paths["link"], result["link"])
    if not remember:
        return
    # State last: an interrupted save leaves the paper stale, never wrongly fresh.
    pio.write_json(paths["state"], {
        "parse": fps["parse"] + sha, "extract": fps["extract"], "link": fps["link"],
    })


# ---------------------------------------------------------------- executors

def _worker_init() -> None:
    # Quiet workers; the model is loaded lazily, once per worker process.
    logging.getLogger().setLevel(logging.WARNING)


class LocalExecutor:
    def __init__(self, workers: int):
        self.workers = max(1, workers)

    def run(self, jobs: list[tuple], on_done) -> None:
        if self.workers == 1 or len(jobs) == 1:
            for job in jobs:
                on_done(job, _call(job))
            return
        import multiprocessing as mp
        if any("extract" in job[2] for job in jobs):
            # Load the model once here: forked workers share it copy-on-write
            # instead of each loading its own.
            from .extract import get_nlp
            get_nlp()
        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=_worker_init) as pool:
            futures = {pool.submit(_call, job): job for job in jobs}
            try:
                for fut in as_completed(futures):
                    job = futures[fut]
                    try:
                        res = fut.result()
                    except Exception as exc:  # a crashed worker: that paper's error
                        res = _error_result(job, f"worker crashed: {type(exc).__name__}: {exc}".strip())
                    on_done(job, res)
            except BaseException:  # saving failed (a full disk) or interrupted: stop, run no more papers
                pool.shutdown(wait=True, cancel_futures=True)
                raise


class DaskExecutor:
    """Papers as Dask tasks; file bytes travel with the task (no shared disk needed)."""

    def __init__(self, address: Optional[str], workers: int):
        self.address = address
        self.workers = workers

    def run(self, jobs: list[tuple], on_done) -> None:
        from dask.distributed import Client, LocalCluster, as_completed as dask_completed
        cluster = None
        if self.address:
            client = Client(self.address)
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            futures = {}
            for job in jobs:
                path, doc_id, stages, opts, prior = job
                data = Path(path).read_bytes() if "parse" in stages else None
                fut = client.submit(process_paper, path, doc_id, stages, opts, prior, data,
                                    key=f"policyx-{hashlib.sha1(doc_id.encode()).hexdigest()}-{time.time_ns()}",
                                    pure=False)
                futures[fut] = job
            for fut in dask_completed(list(futures)):
                job = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:
                    res = _error_result(job, f"worker crashed: {type(exc).__name__}: {exc}".strip())
                on_done(job, res)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def _call(job: tuple) -> dict[str, Any]:
    path, doc_id, stages, opts, prior = job
    try:
        return process_paper(path, doc_id, stages, opts, prior)
    except Exception as exc:  # never lose the corpus to one paper
        return _error_result(job, f"{type(exc).__name__}: {exc}")


def _error_result(job: tuple, reason: str) -> dict[str, Any]:
    from .records import ParsedDoc, to_dict
    path, doc_id, _stages, _opts, _prior = job
    reason = " ".join(reason.split())[:300]
    doc = ParsedDoc(doc_id=doc_id, source_file=Path(path).name, format=Path(path).suffix.lstrip(".").lower(),
                    status="error", error=reason)
    try:
        doc.sha256 = pio.file_sha256(Path(path))
    except OSError:
        pass
    return {"parse": to_dict(doc), "extract": [], "link": [], "seconds": 0.0, "crashed": True}


def make_executor(name: str, workers: int, scheduler: Optional[str]):
    if name == "dask" or scheduler:
        return DaskExecutor(scheduler, workers)
    return LocalExecutor(workers)


# ---------------------------------------------------------------- the run

def run_corpus(raw_dir: Path, out_dir: Path, workers: int = 1, executor: str = "local",
               scheduler: Optional[str] = None, opts: RunOptions = RunOptions(),
               progress: bool = True) -> dict[str, Any]:
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    # One run at a time per output folder: a second one raises pio.RunLocked.
    with pio.run_lock(out_dir):
        return _run_corpus(raw_dir, out_dir, workers, executor, scheduler, opts, progress)


def _run_corpus(raw_dir: Path, out_dir: Path, workers: int, executor: str, scheduler: Optional[str],
                opts: RunOptions, progress: bool) -> dict[str, Any]:
    from .collect import collect
    pio.check_writable(out_dir)
    _remove_stale_temp_files(out_dir)
    fps = stage_fingerprints()
    papers = list_papers(raw_dir)
    jobs: list[tuple] = []
    seen: dict[str, Path] = {}
    duplicates: dict[str, str] = {}
    shas: dict[str, str] = {}
    for path in papers:
        doc_id = doc_id_for(path)
        if doc_id in seen:
            duplicates[path.name] = (f"duplicate doc_id: {seen[doc_id].name} has the same name "
                                     "without extension; rename one of them")
            continue
        seen[doc_id] = path
        sha = shas[doc_id] = pio.file_sha256(path)
        stages = stages_needed(out_dir, doc_id, sha, fps, opts.force)
        if stages:
            try:
                prior = _load_prior(out_dir, doc_id, stages)
            except (OSError, ValueError):
                stages, prior = ["parse", "extract", "link"], {}
            jobs.append((str(path), doc_id, stages, opts, prior))

    # Largest papers first: the pool's last task is then a short one.
    jobs.sort(key=lambda job: (-Path(job[0]).stat().st_size, job[1]))
    bar = _progress(len(jobs), progress)
    timings: dict[str, float] = {}

    def on_done(job: tuple, result: dict[str, Any]) -> None:
        path, doc_id, stages, _o, _p = job
        crashed = bool(result.get("crashed"))
        if crashed:
            stages = ["parse", "extract", "link"]
        # A crashed worker says nothing about the paper: retry it next run.
        _save(out_dir, doc_id, stages, result, shas[doc_id], fps, remember=not crashed)
        timings[doc_id] = result.get("seconds", 0.0)
        status = result["parse"].get("status")
        log.info("%s: %s (%s) in %.2fs", doc_id, status, ",".join(stages), timings[doc_id])
        if bar is not None:
            bar.update(1)

    t0 = time.perf_counter()
    if jobs:
        make_executor(executor, workers, scheduler).run(jobs, on_done)
    if bar is not None:
        bar.close()
    summary = collect(out_dir, [(seen[d], d) for d in seen], duplicates)
    summary["processed"] = sorted(timings)
    summary["seconds"] = round(time.perf_counter() - t0, 3)
    return summary


def _remove_stale_temp_files(out_dir: Path) -> None:
    """Temp files of a run that was killed mid-write (atomic writes never rename them)."""
    for folder in [out_dir, *(p for p in out_dir.iterdir() if p.is_dir())]:
        for f in folder.glob(".*.tmp"):
            f.unlink(missing_ok=True)


def _progress(total: int, enabled: bool):
    if not enabled or total == 0 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="paper", desc="papers", file=sys.stderr)


class _LogFileHandler(logging.FileHandler):
    """The run log; a log line that cannot be written (full disk) is dropped
    quietly: the write that matters fails on its own, with one clear message."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def _setup_logging(out_dir: Path, verbosity: int) -> Path:
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG if verbosity > 1 else logging.ERROR)
    logs = out_dir / "logs"
    log_path = logs / time.strftime("run-%Y%m%dT%H%M%S.log")
    try:
        logs.mkdir(parents=True, exist_ok=True)
        fh = _LogFileHandler(log_path, encoding="utf-8")
    except OSError as exc:
        raise pio.OutputWriteError(log_path, exc) from exc
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    fh.setLevel(logging.INFO)
    fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    sh = logging.StreamHandler(sys.stderr)
    sh.setLevel(level)
    sh.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(fh)
    root.addHandler(sh)
    return log_path


def main(argv: Optional[Iterable[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline run", description=__doc__.splitlines()[0])
    ap.add_argument("raw_dir", type=Path)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--workers", type=int, default=int(os.environ.get("POLICYX_WORKERS", os.cpu_count() or 1)))
    ap.add_argument("--executor", choices=["local", "dask"], default=os.environ.get("POLICYX_EXECUTOR", "local"))
    ap.add_argument("--scheduler", default=os.environ.get("DASK_SCHEDULER") or None,
                    help="Dask scheduler address, e.g. tcp://host:8786 (implies --executor dask)")
    ap.add_argument("--timeout", type=float, default=float(os.environ.get("POLICYX_TIMEOUT", 120)),
                    help="seconds allowed to parse one paper")
    ap.add_argument("--ocr-page-timeout", type=float,
                    default=float(os.environ.get("POLICYX_OCR_PAGE_TIMEOUT", 30)),
                    help="extra seconds allowed per page that needs OCR (scanned pages)")
    ap.add_argument("--memory-mb", type=int, default=int(os.environ.get("POLICYX_MEMORY_MB", 2048)),
                    help="memory cap of the child process that parses one paper")
    ap.add_argument("--force", action="store_true", help="redo every paper")
    ap.add_argument("-v", "--verbose", action="count", default=0)
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if not args.raw_dir.is_dir():
        print(f"error: {args.raw_dir} is not a directory", file=sys.stderr)
        return 2
    verbosity = -1 if args.quiet else args.verbose
    opts = RunOptions(timeout_s=args.timeout, memory_mb=args.memory_mb, force=args.force,
                      ocr_page_timeout_s=args.ocr_page_timeout)
    try:
        with pio.run_lock(args.out_dir):
            log_path = _setup_logging(args.out_dir, verbosity)
            summary = run_corpus(args.raw_dir, args.out_dir, args.workers, args.executor, args.scheduler,
                                 opts, progress=not args.quiet)
    except pio.RunLocked as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    except pio.OutputWriteError as exc:
        print(f"error: {exc}; the run stopped and the combined CSVs are unchanged", file=sys.stderr)
        return EXIT_WRITE_ERROR
    failed = summary["failed"]
    if not args.quiet:
        print(f"{summary['papers']} papers: {summary['papers'] - len(failed)} ok, {len(failed)} failed; "
              f"{len(summary['processed'])} processed in {summary['seconds']:.1f}s; "
              f"{summary['mentions']} mentions, {summary['measures']} measures -> {args.out_dir}/ "
              f"(log: {log_path})")
        for doc_id, reason in failed:
            print(f"  FAILED {doc_id}: {reason}")
        for doc_id, (kept, how) in summary.get("duplicates", {}).items():
            print(f"  COPY {doc_id}: same paper as {kept} ({how}); left out of registries and report totals")
    return 0


if __name__ == "__main__":
    sys.exit(main())
