"""Review the pipeline's output and label papers.

- ``static``: self-contained HTML review pages (``make review``), no server.
- ``labels``: the labeling core (pure): read, pre-fill, check, score and save
  ``tests/expectations/<doc_id>.yaml`` with a version check.
- ``server``: the local labeling app over ``labels`` (``make serve``).

    python -m pipeline.review OUTPUT_DIR REVIEW_DIR        # static pages
    python -m pipeline.review --serve [--port 8765]        # the labeling app
"""
from __future__ import annotations

from .static import (document_page, index_page, non_overlapping, readable_title, render_text,
                     text_chunks, write_review)

__all__ = ["document_page", "index_page", "non_overlapping", "readable_title", "render_text",
           "text_chunks", "write_review", "main"]


def main(argv: list[str] | None = None) -> int:
    from .__main__ import main as cli_main
    return cli_main(argv)
