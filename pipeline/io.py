"""File helpers shared by every stage: atomic writes, JSON lines, safe CSV.

Every output goes through ``atomic_write``: a temp file in the same directory,
fsync, then ``os.replace``. Killing a run at any moment leaves either the old
file or the new one, never half of one.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
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


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[Any]:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        kwargs = {"encoding": encoding, "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
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


def file_sha256(path: str | os.PathLike) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
