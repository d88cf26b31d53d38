"""Faults a real corpus and a real machine bring: two runs on one output folder,
a killed run's lock, a read-only output folder, a full disk, and the per-paper
limits named in the error reason."""
from __future__ import annotations

import csv
import errno
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import io as pio
from pipeline.run import EXIT_LOCKED, EXIT_WRITE_ERROR, RunOptions, main as run_main, run_corpus

from conftest import ROOT, SEED

TABLES = ["documents.csv", "mentions.csv", "measures.csv", "programs.csv", "references.csv", "datapackage.json"]
NOTE = "Japan spent 4.5 billion yen on robotics in 2015, and Germany invested EUR 5 million.\n"


def _snapshot(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "logs" not in p.relative_to(out).parts}


def _tables(out: Path) -> dict[str, bytes]:
    return {t: (out / t).read_bytes() for t in TABLES}


def _cmd(raw: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "run", str(raw), str(out), "--workers", "1", "-q"]


def _wait_for_lock(out: Path, proc: subprocess.Popen, limit: float = 60) -> None:
    lock = out / pio.LOCK_NAME
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if lock.exists() and lock.read_text().strip() == str(proc.pid):
            return
        assert proc.poll() is None, "the first run ended before it was seen holding the lock"
        time.sleep(0.02)
    raise AssertionError("the first run never took the lock")


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)


# ---------------------------------------------------------------- run lock

def test_two_runs_at_once_second_refuses_naming_the_first_and_outputs_equal_one_run(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(SEED, raw / SEED.name)
    (raw / "note.txt").write_text(NOTE, encoding="utf-8")
    out = tmp_path / "out"
    first = subprocess.Popen(_cmd(raw, out), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    _wait_for_lock(out, first)
    started = time.monotonic()
    second = subprocess.run(_cmd(raw, out), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 20  # refused at once, not after the first run
    assert second.returncode == EXIT_LOCKED
    assert second.stderr == (f"error: another run (pid {first.pid}) is writing to {out}/; wait for it to "
                             f"finish or stop it (kill {first.pid}), then run again\n")
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert not (out / pio.LOCK_NAME).exists()
    run_corpus(raw, tmp_path / "single", workers=1, progress=False)
    both, single = _snapshot(out), _snapshot(tmp_path / "single")
    assert set(both) == set(single)
    assert all(both[k] == single[k] for k in single)


def test_a_live_holder_is_named_and_nothing_is_written(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "note.txt").write_text(NOTE, encoding="utf-8")
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from pipeline import io\n"
                               "with io.run_lock(sys.argv[1]):\n print('held', flush=True); time.sleep(60)", str(out)],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(pio.RunLocked, match=f"another run \\(pid {holder.pid}\\) is writing to"):
            run_corpus(raw, out, workers=1, progress=False)
        assert sorted(p.name for p in out.iterdir()) == [pio.LOCK_NAME]
    finally:
        holder.kill()
        holder.wait()


def test_the_stale_lock_of_a_killed_run_is_cleared(tmp_path, caplog):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "note.txt").write_text(NOTE, encoding="utf-8")
    killed = subprocess.Popen(_cmd(raw, out), cwd=ROOT, start_new_session=True)
    _wait_for_lock(out, killed)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait()
    assert (out / pio.LOCK_NAME).read_text().strip() == str(killed.pid)  # left behind
    with caplog.at_level(logging.WARNING, logger="policyx.io"):
        summary = run_corpus(raw, out, workers=1, progress=False)
    assert summary["papers"] == 1 and summary["failed"] == []
    assert f"cleared a stale lock of run pid {killed.pid}" in caplog.text
    assert not (out / pio.LOCK_NAME).exists()


# ---------------------------------------------------------------- write errors

def _first_run(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "note.txt").write_text(NOTE, encoding="utf-8")
    run_corpus(raw, out, workers=1, progress=False)
    (raw / "second.txt").write_text(NOTE.replace("Japan", "Korea"), encoding="utf-8")
    return raw, out, _tables(out)


@pytest.mark.parametrize("failing", ["parsed/second.json", "measures.csv"])
def test_no_space_left_stops_the_run_with_one_line_and_keeps_the_tables(tmp_path, monkeypatch, capsys,
                                                                       restore_logging, failing):
    raw, out, before = _first_run(tmp_path)
    real_fsync = os.fsync
    target = out / failing

    def full_disk_fsync(fd):
        name = os.readlink(f"/proc/self/fd/{fd}")
        if Path(name).parent == target.parent and Path(name).name.startswith(f".{target.name}."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk_fsync)
    assert run_main([str(raw), str(out), "--workers", "1", "-q"]) == EXIT_WRITE_ERROR
    err = capsys.readouterr().err
    assert err == (f"error: cannot write {target}: No space left on device (ENOSPC); "
                   "the run stopped and the combined CSVs are unchanged\n")
    assert _tables(out) == before
    assert not list(out.rglob("*.tmp")) and not (out / pio.LOCK_NAME).exists()
    monkeypatch.undo()
    run_main([str(raw), str(out), "--workers", "1", "-q"])  # space again: the run completes
    with open(out / "documents.csv", encoding="utf-8", newline="") as fh:
        assert [(d["doc_id"], d["status"]) for d in csv.DictReader(fh)] == [("note", "ok"), ("second", "ok")]


def test_read_only_output_folder_stops_at_once_and_keeps_the_tables(tmp_path):
    raw, out, before = _first_run(tmp_path)
    cmd = _cmd(raw, out)
    if os.geteuid() == 0:
        # root writes into a read-only folder anyway; in a user namespace
        # without a uid mapping it loses that override and the mode holds.
        if not shutil.which("unshare") or subprocess.run(["unshare", "-U", "true"]).returncode:
            pytest.skip("running as root without user namespaces: a read-only folder cannot be made")
        cmd = ["unshare", "-U", *cmd]
    listing = sorted(p.name for p in out.iterdir())
    os.chmod(out, 0o555)
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        os.chmod(out, 0o755)
    assert proc.returncode == EXIT_WRITE_ERROR, proc.stderr
    assert proc.stderr == (f"error: cannot write {out}/{pio.LOCK_NAME}: Permission denied (EACCES); "
                           "the run stopped and the combined CSVs are unchanged\n")
    assert _tables(out) == before
    assert sorted(p.name for p in out.iterdir()) == listing


def test_group_write_error_leaves_every_previous_file(tmp_path, monkeypatch):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("old a")
    b.write_text("old b")
    with pytest.raises(pio.OutputWriteError, match="b.csv: No space left on device"):
        with pio.atomic_group():
            pio.atomic_write_text(a, "new a")
            with pio.atomic_writer(b) as fh:
                fh.write("new b")
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert (a.read_text(), b.read_text()) == ("old a", "old b")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]
    with pio.atomic_group():
        pio.atomic_write_text(a, "new a")
        assert a.read_text() == "old a"  # renamed only when the group ends
    assert a.read_text() == "new a"


# ---------------------------------------------------------------- limits in the reason

def test_the_parse_time_limit_is_named_in_documents_csv(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "note.txt").write_text(NOTE * 2000, encoding="utf-8")
    summary = run_corpus(raw, tmp_path / "out", workers=1, opts=RunOptions(timeout_s=0.001), progress=False)
    assert summary["failed"] == [("note", "timed out: exceeded 0.001 s while parsing (TIMEOUT)")]
