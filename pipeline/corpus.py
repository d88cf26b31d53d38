"""The corpus on disk: which files in raw/ are papers, and their doc ids.

One place for what every stage and tool agrees on (the runner, collect,
validate, bench): a paper is every regular file in raw/ except hidden files
and the folder's own documentation; its ``doc_id`` is the file name without
its extension.
"""
from __future__ import annotations

import os
from pathlib import Path

# Files of raw/ that document the folder rather than being papers.
IGNORED_NAMES = frozenset({"README.md", "README", "MANIFEST.csv", "SOURCES.md"})


def list_papers(raw_dir: str | os.PathLike) -> list[Path]:
    """Every regular file in raw/ except docs and hidden files, sorted by name."""
    return [p for p in sorted(Path(raw_dir).iterdir(), key=lambda p: p.name)
            if not p.name.startswith(".") and p.name not in IGNORED_NAMES and p.is_file()]


def doc_id_for(path: str | os.PathLike) -> str:
    """The doc_id of a paper: its file name without its (last) extension."""
    name = Path(path).name
    return Path(name).stem or name
