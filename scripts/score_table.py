"""Print a validation report's measure scores as the Markdown table of BLIND.md.

Usage: python -m pipeline validate OUT tests/expectations --json > v.json
       python scripts/score_table.py v.json [--set blind|dev|all]

One row per paper (measures F1 with tp/fp/fn, all-fields-right F1, and each
field's accuracy with its number of matched pairs), then a total row. Only
totals and per-paper aggregates are printed: never a blind paper's misses.
"""

from __future__ import annotations

import argparse
import json

FIELDS = ("country", "instrument", "sector", "approx", "region", "program", "year")


def _cell_f1(row: dict | None) -> str:
    if not row:
        return "–"
    return f"{row['f1']:.2f} ({row['tp']}/{row['fp']}/{row['fn']})"


def _cell_acc(row: dict | None) -> str:
    if not row or not row.get("n"):
        return "–"
    return f"{row['accuracy']:.2f} ({row['n']})"


def table(report: dict, which: str) -> str:
    blind = set(report["blind"])
    by_doc: dict[str, dict[str, dict]] = {}
    for row in report["rows"]:
        by_doc.setdefault(row["doc_id"], {})[row["item"]] = row
    docs = [d for d in by_doc if d not in ("TOTAL", "BLIND", "ALL")]
    if which == "blind":
        docs = [d for d in docs if d in blind]
    elif which == "dev":
        docs = [d for d in docs if d not in blind]
    head = ["paper", "measures F1 (tp/fp/fn)", "all fields right", *FIELDS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    tp = fp = fn = atp = afp = afn = 0
    field_tot = {f: [0.0, 0] for f in FIELDS}
    for doc in sorted(docs):
        items = by_doc[doc]
        m, a = items.get("measures"), items.get("measures.all_fields")
        if m:
            tp, fp, fn = tp + m["tp"], fp + m["fp"], fn + m["fn"]
        if a:
            atp, afp, afn = atp + a["tp"], afp + a["fp"], afn + a["fn"]
        cells = [doc, _cell_f1(m), _cell_f1(a)]
        for f in FIELDS:
            r = items.get(f"measure.{f}")
            cells.append(_cell_acc(r))
            if r and r.get("n"):
                field_tot[f][0] += r["accuracy"] * r["n"]
                field_tot[f][1] += r["n"]
        lines.append("| " + " | ".join(cells) + " |")

    def f1(t: int, p: int, n: int) -> str:
        return f"{(2 * t / (2 * t + p + n)) if t else 0.0:.2f} ({t}/{p}/{n})"

    total = [f"**{which} total**", f1(tp, fp, fn), f1(atp, afp, afn)]
    for f in FIELDS:
        s, n = field_tot[f]
        total.append(f"{s / n:.2f} ({n})" if n else "–")
    lines.append("| " + " | ".join(total) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("report")
    ap.add_argument("--set", choices=("blind", "dev", "all"), default="blind")
    args = ap.parse_args()
    with open(args.report, encoding="utf-8-sig") as fh:
        print(table(json.load(fh), args.set))


if __name__ == "__main__":
    main()
