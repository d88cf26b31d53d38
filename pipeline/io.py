"""File helpers shared by every stage: atomic writes, JSON lines, safe CSV,
the run lock.

Every output goes through ``atomic_write``: a temp file in the same directory,
fsync, then ``os.replace``. Killing a run at any moment leaves either the old
file or the new one, never half of one. Inside ``atomic_group()`` the renames
wait until every file of the group is written, so a write error (a full disk)
leaves all of the group's previous files, not a mix. A failed write raises
``OutputWriteError`` naming the file. ``run_lock`` keeps two runs from
writing one output folder at the same time.
"""
from __future__ import annotations

import contextlib
import csv
import errno
import fcntl
import hashlib
import io
import json
import logging
import math
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Iterator

from .records import NUMERIC_COLUMNS

FILE_MODE = 0o644
# Spreadsheets evaluate cells starting with these; see OWASP "CSV injection".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class OutputWriteError(Exception):
    """An output file could not be written (no space, read-only folder...)."""

    def __init__(self, path: str | os.PathLike, exc: OSError):
        self.path, self.errno = Path(path), exc.errno
        code = errno.errorcode.get(exc.errno, "") if exc.errno else ""
        reason = exc.strerror or str(exc) or type(exc).__name__
        super().__init__(f"cannot write {path}: {reason}" + (f" ({code})" if code else ""))


# Temp files written inside atomic_group(), renamed into place when it ends.
_GROUP: list[tuple[str, Path]] | None = None


@contextlib.contextmanager
def atomic_group() -> Iterator[None]:
    """All atomic writes inside are renamed into place at the end, or none is."""
    global _GROUP
    if _GROUP is not None:  # nested: the outer group commits
        yield
        return
    _GROUP = []
    try:
        yield
        pending = list(_GROUP)
    except BaseException:
        pending, _GROUP = _GROUP, None
        for tmp, _path in pending:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        raise
    _GROUP = None
    for i, (tmp, path) in enumerate(pending):
        try:
            os.replace(tmp, path)
        except OSError as exc:
            for rest, _path in pending[i:]:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(rest)
            raise OutputWriteError(path, exc) from exc


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[Any]:
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        kwargs = {"encoding": encoding, "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        if _GROUP is not None:
            _GROUP.append((tmp, path))
        else:
            os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputWriteError(path, exc) from exc
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_writer(path) as fh:
        fh.write(text)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_writer(path, "wb", encoding=None) as fh:
        fh.write(data)


def dumps(obj: Any) -> str:
    """Deterministic JSON: sorted keys, no NaN, UTF-8 kept readable."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, allow_nan=False)


def write_json(path: str | os.PathLike, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n")


def read_json(path: str | os.PathLike) -> Any:
    with open(path, encoding="utf-8-sig") as fh:
        return json.load(fh)


def write_jsonl(path: str | os.PathLike, rows: Iterable[Any]) -> None:
    with atomic_writer(path) as fh:
        for row in rows:
            fh.write(dumps(row) + "\n")


def read_jsonl(path: str | os.PathLike) -> list[Any]:
    out = []
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def format_cell(column: str, value: Any) -> str:
    """One CSV cell: empty for None, stable number text, neutralized formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(round(value, 6))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        # exact decimals in fixed notation, no trailing zeros ("41000000", "0.0091")
        if not value.is_finite():
            return ""
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "") else text
    text = str(value)
    if column not in NUMERIC_COLUMNS and text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def csv_text(columns: list[str], rows: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([format_cell(c, row.get(c)) for c in columns])
    return buf.getvalue()


def write_csv(path: str | os.PathLike, columns: list[str], rows: Iterable[dict[str, Any]]) -> None:
    atomic_write_text(path, csv_text(columns, rows))


def read_text(path: str | os.PathLike) -> str:
    with open(path, encoding="utf-8-sig") as fh:
        return fh.read()


def check_writable(folder: str | os.PathLike) -> None:
    """Raise OutputWriteError at once if ``folder`` takes no new file (read-only, full)."""
    folder = Path(folder)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".write-check.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        raise OutputWriteError(folder, exc) from exc


def file_sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- run lock

LOCK_NAME = ".policyx.lock"
log = logging.getLogger("policyx.io")


class RunLocked(Exception):
    """Another live run holds the output folder's lock."""


_HELD: dict[str, int] = {}  # resolved output folder -> lock file descriptor (this process)


def _forget_locks_in_child() -> None:
    # A forked child (pool worker, parse sandbox) must not keep the lock alive
    # if the run that took it is killed: close its copies (the parent's lock stays).
    for fd in _HELD.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


def _lock_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


@contextlib.contextmanager
def run_lock(out_dir: str | os.PathLike) -> Iterator[None]:
    """Hold ``out_dir/.policyx.lock`` for one run; refuse at once if another run holds it.

    An flock: the kernel releases it when the holder exits however it exits,
    so the lock of a killed run is stale by construction; its file (with the
    dead run's pid) is taken over and the takeover logged. Re-entrant within
    one process.
    """
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputWriteError(out_dir, exc) from exc
    key = str(out_dir.resolve())
    if key in _HELD:
        yield
        return
    path = out_dir / LOCK_NAME
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        except OSError as exc:
            raise OutputWriteError(path, exc) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _lock_pid(fd)
            os.close(fd)
            who = f"pid {holder}" if holder else "another process"
            raise RunLocked(f"another run ({who}) is writing to {out_dir}/; wait for it to finish "
                            f"or stop it{f' (kill {holder})' if holder else ''}, then run again") from None
        except OSError:
            os.close(fd)
            raise
        # The file may have been removed (and re-created) by a run that just
        # finished: hold the lock of the file now at the path, not of an old one.
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    stale = _lock_pid(fd)
    if stale and stale != os.getpid():
        log.warning("cleared a stale lock of run pid %s in %s/ (that run ended without releasing it)",
                    stale, out_dir)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    except OSError as exc:
        os.close(fd)
        raise OutputWriteError(path, exc) from exc
    _HELD[key] = fd
    try:
        yield
    finally:
        _HELD.pop(key, None)
        with contextlib.suppress(OSError):
            os.unlink(path)  # still holding the lock: a waiting run re-checks the path
        os.close(fd)
