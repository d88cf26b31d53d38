"""python -m pipeline.review OUTPUT_DIR REVIEW_DIR | --serve [OUTPUT_DIR] [--port N] ..."""
from __future__ import annotations

import argparse
import sys

DEFAULT_PORT = 8765


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.review",
        description="Static review pages (OUTPUT_DIR REVIEW_DIR), or the local labeling app (--serve).")
    parser.add_argument("output_dir", nargs="?", default="output", help="pipeline output (default: output)")
    parser.add_argument("review_dir", nargs="?", help="where to write the static pages")
    parser.add_argument("--serve", action="store_true", help="run the labeling app instead of writing pages")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"app port (default {DEFAULT_PORT})")
    parser.add_argument("--host", default="127.0.0.1", help="app address (default 127.0.0.1: this machine only)")
    parser.add_argument("--raw", default="raw", help="raw papers, for page images (default raw)")
    parser.add_argument("--expectations", default="tests/expectations",
                        help="labels folder, the only place the app writes (default tests/expectations)")
    args = parser.parse_args(argv)
    if args.serve:
        from .server import serve
        return serve(args.output_dir, args.expectations, args.raw, args.host, args.port)
    if not args.review_dir:
        parser.error("REVIEW_DIR is required without --serve")
    from .static import write_review
    written = write_review(args.output_dir, args.review_dir)
    print(f"{len(written)} pages in {args.review_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
