"""Shared test fixtures: paths to the project's and the shared material."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYX_SHARED", ROOT.parent / "shared"))
SEED = ROOT / "raw" / "000_5339488b9e4b4fe2.txt"
PDF_DIR = SHARED / "papers" / "pdf"
PDF_BAD_DIR = SHARED / "papers" / "pdf_bad"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared material not found at {SHARED}")
    return SHARED
