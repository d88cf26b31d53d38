"""CLI: ``python -m pipeline.link IN_MENTIONS_JSONL OUT_MEASURES_JSONL --parsed PARSED_JSON``.
"""

from __future__ import annotations

import argparse
from typing import Optional

from ..records import (
    mention_from_dict,
    parsed_from_dict,
    to_dict,
)
from .core import link_document, programs_table


def main(argv: Optional[list[str]] = None) -> int:
    from ..io import read_json, read_jsonl, write_jsonl

    ap = argparse.ArgumentParser(prog="python -m pipeline.link", description="Link a paper's mentions into measures and its programs table.")
    ap.add_argument("mentions", help="mentions JSONL of one paper")
    ap.add_argument("out", help="measures JSONL to write")
    ap.add_argument("--parsed", required=True, help="parsed JSON of the same paper")
    ap.add_argument("--programs", help="optional programs JSONL to write")
    args = ap.parse_args(argv)

    parsed = parsed_from_dict(read_json(args.parsed))
    mentions = [mention_from_dict(d) for d in read_jsonl(args.mentions)]
    measures = link_document(parsed, mentions) if parsed.status == "ok" else []
    write_jsonl(args.out, (to_dict(m) for m in measures))
    if args.programs:
        write_jsonl(args.programs, (to_dict(r) for r in programs_table(parsed, mentions, measures)))
    return 0
