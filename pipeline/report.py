"""A one-page HTML summary of a run: measures by country and instrument
(stacked bars, an embedded PNG) and money totals by country and currency.

Deterministic: the same output tables give a byte-identical file (no
timestamps; PNG written without software/date metadata).

    python -m pipeline.report OUTPUT_DIR OUT_HTML
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import sys
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import io as pio
from .load import Tables, load
from .records import INSTRUMENTS

# Countries beyond this many (by measure count) are grouped as "other".
TOP_COUNTRIES = 20
NO_COUNTRY = "(none)"
NO_INSTRUMENT = "(unassigned)"
OTHER_COUNTRIES = "(other)"
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;border-bottom:1px solid #ddd;margin-top:1.5em}
table{border-collapse:collapse;font-size:.85em}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
img{max-width:100%;height:auto}.note{color:#666;font-size:.85em}
"""
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def measure_counts(measures: pd.DataFrame, top: int = TOP_COUNTRIES) -> pd.DataFrame:
    """Measures per country (rows, most first) and instrument (columns, in records.INSTRUMENTS order)."""
    country = measures["country"].astype("string").fillna(NO_COUNTRY)
    instrument = measures["instrument"].astype("string").fillna(NO_INSTRUMENT)
    counts = pd.crosstab(country, instrument) if len(measures) else pd.DataFrame()
    if counts.empty:
        return counts
    order = [i for i in INSTRUMENTS if i in counts.columns] + sorted(c for c in counts.columns if c not in INSTRUMENTS)
    counts = counts[order]
    totals = counts.sum(axis=1)
    # Most measures first; ties by country code so the order never depends on input order.
    ranked = sorted(counts.index, key=lambda c: (-int(totals[c]), str(c)))
    counts = counts.loc[ranked]
    if len(counts) > top:
        head, rest = counts.iloc[:top], counts.iloc[top:].sum().to_frame(OTHER_COUNTRIES).T
        counts = pd.concat([head, rest])
    counts.index.name, counts.columns.name = "country", "instrument"
    return counts.astype(int)


def _text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column with "" for missing cells (all "" when the column is absent)."""
    if name not in frame:
        return pd.Series("", index=frame.index, dtype="string")
    return frame[name].astype("string").fillna("")


def money_totals(measures: pd.DataFrame) -> pd.DataFrame:
    """Sum, count and approximate-row count of money measures per country and currency."""
    money = measures[(measures["quantity_type"] == "money") & measures["value"].notna()].copy()
    # a table's total column and total row restate the cells they sum: leave them out
    unit, evidence = _text_column(money, "unit"), _text_column(money, "evidence")
    # (a column or row whose name starts with "Total": "Project total cost" is no sum)
    table_total = unit.str.startswith("table") & (unit.str.lower().str.match(r"table:\s*(?:grand\s+)?total\b")
                                                  | evidence.str.lower().str.match(r"\s*(?:grand\s+)?total\b"))
    money = money[~table_total]
    columns = ["country", "currency", "total", "measures", "approximate"]
    if money.empty:
        return pd.DataFrame(columns=columns)
    money["country"] = money["country"].astype("string").fillna(NO_COUNTRY)
    money["currency"] = money["currency"].astype("string").fillna("?")
    money["approximate"] = money["approx"].notna()
    grouped = money.groupby(["country", "currency"], sort=True).agg(
        total=("value", "sum"), measures=("value", "size"), approximate=("approximate", "sum"))
    return grouped.reset_index()[columns].sort_values(["country", "currency"], kind="stable").reset_index(drop=True)


def chart_png(counts: pd.DataFrame) -> bytes:
    """Stacked horizontal bars of measure counts, as PNG bytes with no varying metadata."""
    height = max(2.5, 0.38 * len(counts) + 1.6)
    fig = Figure(figsize=(9, height), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    cmap = matplotlib.colormaps["tab20"]
    left = pd.Series(0, index=counts.index, dtype=float)
    labels = [str(c) for c in counts.index]
    for i, instrument in enumerate(counts.columns):
        known = list(INSTRUMENTS).index(instrument) if instrument in INSTRUMENTS else len(INSTRUMENTS) + i
        ax.barh(labels, counts[instrument].to_numpy(), left=left.to_numpy(), label=str(instrument), color=cmap(known % 20))
        left += counts[instrument]
    ax.invert_yaxis()                                   # most measures on top
    ax.set_xlabel("measures")
    ax.set_title("Measures by country and instrument")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False, title="instrument")
    ax.spines[["top", "right"]].set_visible(False)
    buf = io.BytesIO()
    # Fixed salt and no "Software" stamp: same counts, same bytes.
    with matplotlib.rc_context({"svg.hashsalt": "policyx"}):
        fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _money(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1 else f"{value:,.2f}"


def report_html(tables: Tables) -> str:
    docs, measures = tables.documents, tables.measures
    errors = int((docs["status"] == "error").sum())
    counts = measure_counts(measures)
    totals = money_totals(measures)
    parts = [
        "<h1>policyx: measures across the corpus</h1>",
        f"<p>{len(docs)} papers ({errors} failed), {len(tables.mentions)} mentions, {len(measures)} measures "
        f"({int((measures['quantity_type'] == 'money').sum())} money, "
        f"{int((measures['quantity_type'] == 'percent').sum())} percent, "
        f"{int((measures['quantity_type'] == 'count').sum())} count).</p>",
        "<h2>Measures by country and instrument</h2>",
    ]
    if counts.empty:
        parts.append('<p class="note">No measures.</p>')
    else:
        png = base64.b64encode(chart_png(counts)).decode("ascii")
        parts.append(f'<img alt="Stacked bars: measures per country, split by instrument" src="data:image/png;base64,{png}">')
        parts.append(f'<p class="note">Countries are ISO 3166-1 alpha-3 codes; {NO_COUNTRY}: no country linked.'
                     + (f" Countries after the top {TOP_COUNTRIES} are summed as {OTHER_COUNTRIES}." if OTHER_COUNTRIES in counts.index else "")
                     + "</p>")
    parts.append("<h2>Money by country and currency</h2>")
    if totals.empty:
        parts.append('<p class="note">No money measures.</p>')
    else:
        rows = "".join(
            f"<tr><td>{_esc(r.country)}</td><td>{_esc(r.currency)}</td><td class=\"num\">{_money(float(r.total))}</td>"
            f"<td class=\"num\">{int(r.measures)}</td><td class=\"num\">{int(r.approximate)}</td></tr>\n"
            for r in totals.itertuples(index=False)
        )
        parts.append("<table><thead><tr><th>country</th><th>currency</th><th>total (currency units)</th>"
                     f"<th>measures</th><th>of which approximate</th></tr></thead><tbody>\n{rows}</tbody></table>")
        parts.append('<p class="note">Totals add amounts in their own currency, never converted; rows marked ~, &gt; or &lt; '
                     "make a total approximate, and the same money named in two papers is counted twice.</p>")
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            f"<title>policyx report</title><style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n")


def write_report(output_dir: str | Path, out_path: str | Path) -> Path:
    """Write the one-page summary of output_dir's tables to out_path (atomically)."""
    out_path = Path(out_path)
    pio.atomic_write_text(out_path, report_html(load(output_dir)))
    return out_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.report", description=__doc__.splitlines()[0])
    parser.add_argument("output_dir")
    parser.add_argument("out_html")
    args = parser.parse_args(argv)
    print(write_report(args.output_dir, args.out_html))
    return 0


if __name__ == "__main__":
    sys.exit(main())
