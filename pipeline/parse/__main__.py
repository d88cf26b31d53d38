"""CLI: python -m pipeline.parse IN OUT_JSON [--timeout S] [--memory-mb M] [--doc-id ID]

Parses one paper in a sandboxed child and writes its ParsedDoc as JSON
(atomically). Exit code 0 even for an unreadable paper: the error travels as
data (status "error"); only bad usage exits non-zero.
"""
from __future__ import annotations

import argparse
import sys

from ..io import write_json
from ..records import to_dict
from . import doc_id_for
from .sandbox import parse_in_child


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.parse", description=__doc__.splitlines()[0])
    ap.add_argument("input", help="paper file (.txt .md .html .htm .pdf)")
    ap.add_argument("output", help="where to write the ParsedDoc JSON")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds (default 120)")
    ap.add_argument("--memory-mb", type=int, default=2048, help="memory cap in MB (default 2048)")
    ap.add_argument("--doc-id", default=None, help="default: file name without extension")
    args = ap.parse_args(argv)
    doc = parse_in_child(args.input, args.doc_id or doc_id_for(args.input),
                         timeout_s=args.timeout, memory_mb=args.memory_mb)
    write_json(args.output, to_dict(doc))
    print(f"{doc.doc_id}: {doc.status}" + (f" ({doc.error})" if doc.error else "")
          + f", {doc.pages} pages, {doc.words} words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
