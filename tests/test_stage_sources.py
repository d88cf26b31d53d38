"""Each stage's fingerprint covers every pipeline module the stage imports, also
inside functions, so editing one re-runs the stage (pipeline/run.py STAGE_SOURCES)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.run import PACKAGE_DIR, STAGE_SOURCES

ENTRY = {"parse": "parse/__init__.py", "extract": "extract/__init__.py", "link": "link/__init__.py"}


def _module_file(dotted: str) -> Path | None:
    base = PACKAGE_DIR.parent.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _imports(path: Path) -> set[Path]:
    """Pipeline modules that ``path`` imports anywhere (top level or in a function)."""
    package = ".".join(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + "." + "__init__"
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            parts = package.split(".")[:-node.level] if node.level else []
            mod = ".".join(parts + ([node.module] if node.module else []))
            names = [mod] + [f"{mod}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if name.startswith("pipeline"):
                f = _module_file(name)
                if f is not None:
                    found.add(f)
    return found


def _closure(entry: Path) -> set[Path]:
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        todo.extend(_imports(f) - seen)
    return seen


@pytest.mark.parametrize("stage", sorted(ENTRY))
def test_every_imported_module_is_in_the_stage_fingerprint(stage):
    covered = {p for pattern in STAGE_SOURCES[stage] for p in PACKAGE_DIR.glob(pattern)}
    files = _closure(PACKAGE_DIR / ENTRY[stage])
    missing = sorted(str(f.relative_to(PACKAGE_DIR)) for f in files
                     if f not in covered and f != PACKAGE_DIR / "__init__.py")
    assert missing == [], f"{stage} imports modules its fingerprint misses: {missing}"
