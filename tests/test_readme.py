"""The README's Python examples run verbatim in a fresh interpreter."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures" / "output_small"


def _python_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_blocks_run_verbatim(tmp_path: Path) -> None:
    blocks = _python_blocks()
    assert blocks, "the README has no Python example"
    shutil.copytree(FIXTURE, tmp_path / "output")
    for block in blocks:
        done = subprocess.run([sys.executable, "-c", block], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, f"README example failed:\n{block}\n{done.stderr}"
