"""Run parse_path in a forked child with a memory cap and a wall-clock timeout.

A hostile file can make a reader loop, blow up memory or crash the
interpreter; the child absorbs that and the parent turns it into an error
ParsedDoc with a one-line reason. The result travels back over a pipe as JSON
(records.to_dict / parsed_from_dict).

The memory cap is RLIMIT_AS = the address space the child inherited + memory_mb,
so a parent that already loaded big libraries is not penalized for them.
"""
from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
from pathlib import Path
from typing import Callable, Optional

from ..records import ParsedDoc, parsed_from_dict, to_dict
from . import FORMATS, OUT_OF_MEMORY, doc_id_for, parse_path

Parser = Callable[[str, str], ParsedDoc]


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _error_doc(path: str, doc_id: str, reason: str) -> ParsedDoc:
    suffix = Path(path).suffix.lower()
    return ParsedDoc(doc_id=doc_id, source_file=Path(path).name,
                     format=FORMATS.get(suffix, suffix.lstrip(".") or "unknown"),
                     status="error", error=reason)


def _child(write_fd: int, path: str, doc_id: str, memory_mb: int, target: Parser) -> None:
    """Runs in the forked child; never returns."""
    code = 0
    try:
        limit = _vm_size_bytes() + memory_mb * 1024 * 1024
        try:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ValueError, OSError):
            pass
        try:
            doc = target(path, doc_id)
            payload = {"doc": to_dict(doc)}
        except MemoryError:
            payload = {"memory": True}
        try:
            data = json.dumps(payload, ensure_ascii=False, allow_nan=False).encode("utf-8")
        except MemoryError:
            data = b'{"memory": true}'
        except (ValueError, TypeError, UnicodeError) as exc:  # a record that cannot be sent
            reason = f"{type(exc).__name__}: {exc}".encode("utf-8", "backslashreplace").decode("utf-8")
            data = json.dumps({"crash": reason}).encode("utf-8")
        view = memoryview(data)
        while view:
            n = os.write(write_fd, view[: 1 << 16])
            view = view[n:]
    except MemoryError:
        code = 3
    except BaseException:
        code = 4
    finally:
        try:
            os.close(write_fd)
        finally:
            os._exit(code)


def parse_in_child(path: str | os.PathLike, doc_id: Optional[str] = None, timeout_s: float = 120,
                   memory_mb: int = 2048, target: Optional[Parser] = None) -> ParsedDoc:
    """parse_path(path, doc_id) in a child process; failures become error docs.

    ``target`` replaces parse_path (tests inject a slow or greedy parser).
    """
    path = str(path)
    doc_id = doc_id or doc_id_for(path)
    target = target or parse_path
    timeout_label = f"{timeout_s:g}"
    memory_reason = f"out of memory: exceeded {memory_mb} MB while parsing (MEMORY_MB)"
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        _child(write_fd, path, doc_id, memory_mb, target)
    os.close(write_fd)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout_s
    timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], min(remaining, 1.0))
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
    finally:
        os.close(read_fd)
    if timed_out:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return _error_doc(path, doc_id, f"timed out: exceeded {timeout_label} s while parsing (TIMEOUT)")
    data = b"".join(chunks)
    payload = None
    if data:
        try:
            payload = json.loads(data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            payload = None
    if isinstance(payload, dict):
        if payload.get("memory"):
            return _error_doc(path, doc_id, memory_reason)
        if isinstance(payload.get("crash"), str):
            return _error_doc(path, doc_id, " ".join(f"parser crashed: {payload['crash']}".split())[:300])
        if isinstance(payload.get("doc"), dict):
            doc = parsed_from_dict(payload["doc"])
            if doc.status == "error" and doc.error == OUT_OF_MEMORY:
                doc.error = memory_reason
            return doc
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGKILL:  # the kernel's OOM killer
            return _error_doc(path, doc_id, memory_reason)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return _error_doc(path, doc_id, f"parser crashed: killed by signal {name}")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
    if code == 3:
        return _error_doc(path, doc_id, memory_reason)
    return _error_doc(path, doc_id, f"parser crashed: exit code {code}")
