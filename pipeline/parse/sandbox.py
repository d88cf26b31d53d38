"""Run parse_path in a forked child with a memory cap and a wall-clock timeout.

A hostile file can make a reader loop, blow up memory or crash the
interpreter; the child absorbs that and the parent turns it into an error
ParsedDoc with a one-line reason. The result travels back over a pipe as JSON
(records.to_dict / parsed_from_dict).

The memory cap is RLIMIT_AS = the address space the child inherited + memory_mb,
so a parent that already loaded big libraries is not penalized for them.

OCR (scanned pages) runs in the same child under the same caps; Tesseract, its
subprocess, inherits RLIMIT_AS and dies with it. Before OCR starts the child
announces how many pages it will read (a line ``#ocr N`` ahead of the JSON) and
the parent extends the deadline by N x ``ocr_page_timeout_s``: the time limit
scales with the scanned page count.
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
OCR_PAGE_TIMEOUT_S = 30.0   # extra seconds per page to OCR (a page takes 3-6 s, a turned one up to 17 s)
_OCR_MESSAGE = b"#ocr "


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view[: 1 << 16])
        view = view[n:]


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
        from . import ocr
        ocr.set_progress_hook(lambda n: _write_all(write_fd, _OCR_MESSAGE + b"%d\n" % n))
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
        _write_all(write_fd, data)
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
                   memory_mb: int = 2048, target: Optional[Parser] = None,
                   ocr_page_timeout_s: float = OCR_PAGE_TIMEOUT_S) -> ParsedDoc:
    """parse_path(path, doc_id) in a child process; failures become error docs.

    ``target`` replaces parse_path (tests inject a slow or greedy parser). The
    time limit is ``timeout_s`` plus ``ocr_page_timeout_s`` per page the child
    announces it will OCR.
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
    limit_s = float(timeout_s)
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
                # OCR announcements come first, one line each, before the JSON payload.
                while chunks and chunks[0].startswith(_OCR_MESSAGE[:1]):
                    head = b"".join(chunks)
                    if not head.startswith(_OCR_MESSAGE) or b"\n" not in head:
                        break
                    line, rest = head.split(b"\n", 1)
                    try:
                        pages = max(0, int(line[len(_OCR_MESSAGE):]))
                    except ValueError:
                        pages = 0
                    deadline += pages * ocr_page_timeout_s
                    limit_s += pages * ocr_page_timeout_s
                    chunks = [rest] if rest else []
    finally:
        os.close(read_fd)
    if timed_out:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    if timed_out:
        if limit_s != timeout_s:
            timeout_label = f"{limit_s:g} s (incl. {limit_s - timeout_s:g} s for OCR)"
        else:
            timeout_label += " s"
        return _error_doc(path, doc_id, f"timed out: exceeded {timeout_label} while parsing (TIMEOUT)")
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
