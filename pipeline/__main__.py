"""python -m pipeline {run,parse,extract,link,collect,validate,check,label,review,report,bench}"""
from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "run": ("pipeline.run", "main", "every paper in RAW through all stages -> OUTPUT/*.csv"),
    "parse": ("pipeline.parse.__main__", "main", "one paper -> parsed JSON"),
    "extract": ("pipeline.extract.__main__", "main", "parsed JSON -> mentions JSONL (or --snippets)"),
    "link": ("pipeline.link", "main", "mentions JSONL -> measures JSONL"),
    "collect": ("pipeline.collect", "main", "per-paper outputs -> combined CSVs"),
    "validate": ("pipeline.validate", "main", "score outputs against tests/expectations"),
    "check": ("pipeline.validate", "check_main", "exit 1 if a score is under threshold or a paper failed"),
    "label": ("pipeline.label", "main", "draft expectations for one paper"),
    "review": ("pipeline.review", "main", "HTML review pages"),
    "report": ("pipeline.report", "main", "one-page summary"),
    "bench": ("pipeline.bench", "main", "benchmark against bare baselines"),
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"} or argv[0] not in COMMANDS:
        print(__doc__)
        for name, (_m, _f, desc) in COMMANDS.items():
            print(f"  {name:<9} {desc}")
        return 0 if argv and argv[0] in {"-h", "--help", "help"} else 2
    module, func, _ = COMMANDS[argv[0]]
    rc = getattr(importlib.import_module(module), func)(argv[1:])
    return int(rc or 0)


if __name__ == "__main__":
    sys.exit(main())
