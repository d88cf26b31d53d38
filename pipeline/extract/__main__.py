"""CLI: python -m pipeline.extract IN_PARSED_JSON OUT_MENTIONS_JSONL
       python -m pipeline.extract --snippets IN OUT   ('-' = stdin/stdout)
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Iterator

from .. import io
from ..records import parsed_from_dict, to_dict


def _read_lines(path: str) -> Iterator[dict]:
    fh = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")
    try:
        for line in fh:
            line = line.strip()
            if line:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    yield {"id": None, "text": ""}
    finally:
        if fh is not sys.stdin:
            fh.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.extract", description=__doc__)
    ap.add_argument("--snippets", action="store_true", help="IN/OUT are JSON lines of {id, text}")
    ap.add_argument("input")
    ap.add_argument("output")
    args = ap.parse_args(argv)

    from .document import extract_document
    from .nlp import get_nlp
    from .snippets import extract_snippets

    nlp = get_nlp()
    if args.snippets:
        rows = extract_snippets(_read_lines(args.input), nlp)
        if args.output == "-":
            for row in rows:
                sys.stdout.write(io.dumps(row) + "\n")
            sys.stdout.flush()
        else:
            io.write_jsonl(args.output, rows)
        return 0
    parsed = parsed_from_dict(io.read_json(args.input))
    io.write_jsonl(args.output, (to_dict(m) for m in extract_document(parsed, nlp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
