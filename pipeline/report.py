"""A one-page HTML summary of a run: measures by country and instrument
(stacked bars, an embedded PNG), money totals by country and currency with
the years and papers each total mixes, nominal USD totals by country and
instrument (ECB annual average rates), the top programs across papers and
one line per paper. Papers marked ``duplicate_of`` are left out of every
count and total (and the page says so).

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
img{max-width:100%;height:auto}.note{color:#666;font-size:.85em}td.small{font-size:.8em;color:#555;overflow-wrap:anywhere;max-width:22em}
table{max-width:100%}td{overflow-wrap:anywhere}
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


def without_duplicates(measures: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """Measures of papers that are no copy of another (documents.duplicate_of empty)."""
    if documents is None or "duplicate_of" not in documents or measures.empty:
        return measures
    copies = set(documents.loc[documents["duplicate_of"].notna(), "doc_id"].astype(str))
    return measures[~measures["doc_id"].astype("string").isin(copies).fillna(False)]


def _years_text(years: pd.Series) -> str:
    """"2004, 2016 + 3 without a year": the years a total mixes."""
    known = sorted({int(y) for y in years.dropna()})
    missing = int(years.isna().sum())
    text = ", ".join(str(y) for y in known) if len(known) <= 4 else f"{known[0]}-{known[-1]} ({len(known)} years)"
    if missing:
        text = (text + " + " if text else "") + f"{missing} without a year"
    return text


def _number_column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame:
        return pd.Series(pd.NA, index=frame.index, dtype="Float64")
    return frame[name]


def _money_rows(measures: pd.DataFrame) -> pd.DataFrame:
    """Money measures with a value, less a table's total column and total row."""
    money = measures[(measures["quantity_type"] == "money") & measures["value"].notna()].copy()
    # a table's total column and total row restate the cells they sum: leave them out
    unit, evidence = _text_column(money, "unit"), _text_column(money, "evidence")
    # (a column or row whose name starts with "Total": "Project total cost" is no sum)
    table_total = unit.str.startswith("table") & (unit.str.lower().str.match(r"table:\s*(?:grand\s+)?total\b")
                                                  | evidence.str.lower().str.match(r"\s*(?:grand\s+)?total\b"))
    money = money[~table_total]
    money["country"] = money["country"].astype("string").fillna(NO_COUNTRY)
    money["currency"] = money["currency"].astype("string").fillna("?")
    money["approximate"] = money["approx"].notna()
    money["value_usd"] = _number_column(money, "value_usd")
    money["year"] = _number_column(money, "year")
    money["fx_year"] = _number_column(money, "fx_year")
    return money


def money_totals(measures: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per country and currency: sum, count, approximate rows, the years and papers the
    total mixes, and the nominal USD total of the rows that have a rate."""
    money = _money_rows(without_duplicates(measures, documents))
    columns = ["country", "currency", "total", "measures", "approximate", "years", "papers",
               "total_usd", "converted", "fx_years"]
    if money.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    for (country, currency), group in money.groupby(["country", "currency"], sort=True):
        usd = group["value_usd"].dropna()
        rows.append({
            "country": country, "currency": currency, "total": group["value"].sum(),
            "measures": len(group), "approximate": int(group["approximate"].sum()),
            "years": _years_text(group["year"]),
            "papers": ", ".join(sorted(group["doc_id"].astype(str).unique())) if "doc_id" in group else "",
            "total_usd": float(usd.sum()) if len(usd) else None, "converted": len(usd),
            "fx_years": _years_text(group.loc[group["value_usd"].notna(), "fx_year"]) if len(usd) else "",
        })
    return pd.DataFrame(rows, columns=columns)


def usd_totals(measures: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Nominal USD per country and instrument, over money rows with a rate, with the rate years."""
    money = _money_rows(without_duplicates(measures, documents))
    money = money[money["value_usd"].notna()]
    columns = ["country", "instrument", "total_usd", "measures", "fx_years", "currencies"]
    if money.empty:
        return pd.DataFrame(columns=columns)
    money["instrument"] = money["instrument"].astype("string").fillna(NO_INSTRUMENT)
    rows = []
    for (country, instrument), group in money.groupby(["country", "instrument"], sort=True, observed=True):
        rows.append({"country": country, "instrument": instrument, "total_usd": float(group["value_usd"].sum()),
                     "measures": len(group), "fx_years": _years_text(group["fx_year"]),
                     "currencies": ", ".join(sorted(group["currency"].astype(str).unique()))})
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["total_usd", "country", "instrument"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def top_programs(registry: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """Programs named in the most papers, then with the most measures."""
    if registry is None or registry.empty:
        return pd.DataFrame()
    order = registry.assign(_n=registry["n_papers"].fillna(0), _m=registry["measures"].fillna(0))
    order = order.sort_values(["_n", "_m", "program_id"], ascending=[False, False, True], kind="stable")
    return order.head(top).drop(columns=["_n", "_m"]).reset_index(drop=True)


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


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "policyx"}):
        fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight")
    return buf.getvalue()


def year_counts(measures: pd.DataFrame) -> pd.DataFrame:
    """Measures per year the text ties them to (rows: years ascending; columns: quantity types)."""
    dated = measures[measures["year"].notna()] if "year" in measures else measures.iloc[0:0]
    if dated.empty:
        return pd.DataFrame()
    counts = pd.crosstab(dated["year"].astype(int), dated["quantity_type"].astype("string"))
    order = [q for q in ("money", "percent", "count") if q in counts.columns]
    return counts[order].sort_index()


def timeline_png(counts: pd.DataFrame) -> bytes:
    """Stacked bars of measures per year, as PNG bytes with no varying metadata."""
    fig = Figure(figsize=(9, 2.8), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colors = {"money": "#1f77b4", "percent": "#ff7f0e", "count": "#2ca02c"}
    bottom = pd.Series(0, index=counts.index, dtype=float)
    for q in counts.columns:
        ax.bar(counts.index.astype(int), counts[q].to_numpy(), bottom=bottom.to_numpy(), label=str(q),
               color=colors.get(q, "#999999"), width=0.8)
        bottom += counts[q]
    ax.set_xlabel("year tied to the measure")
    ax.set_ylabel("measures")
    ax.set_title("Measures by year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def _money(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1 else f"{value:,.2f}"


def _usd(value: object) -> str:
    return "" if value is None or pd.isna(value) else _money(float(value))


def report_html(tables: Tables) -> str:
    docs = tables.documents
    copies = docs[docs["duplicate_of"].notna()] if "duplicate_of" in docs else docs.iloc[0:0]
    measures = without_duplicates(tables.measures, docs)
    mentions = tables.mentions[~tables.mentions["doc_id"].astype("string").isin(set(copies["doc_id"].astype(str))).fillna(False)]
    errors = int((docs["status"] == "error").sum())
    counts = measure_counts(measures)
    totals = money_totals(measures)
    parts = [
        "<h1>policyx: measures across the corpus</h1>",
        f"<p>{len(docs) - len(copies)} papers ({errors} failed), {len(mentions)} mentions, {len(measures)} measures "
        f"({int((measures['quantity_type'] == 'money').sum())} money, "
        f"{int((measures['quantity_type'] == 'percent').sum())} percent, "
        f"{int((measures['quantity_type'] == 'count').sum())} count).</p>",
    ]
    if len(copies):
        listed = "; ".join(f"{_esc(r.doc_id)} (copy of {_esc(r.duplicate_of)})" for r in copies.itertuples(index=False))
        parts.append(f'<p class="note">{len(copies)} paper(s) left out of every count and total as the same paper '
                     f"added twice: {listed}.</p>")
    parts.append("<h2>Measures by country and instrument</h2>")
    if counts.empty:
        parts.append('<p class="note">No measures.</p>')
    else:
        png = base64.b64encode(chart_png(counts)).decode("ascii")
        parts.append(f'<img alt="Stacked bars: measures per country, split by instrument" src="data:image/png;base64,{png}">')
        parts.append(f'<p class="note">Countries are ISO 3166-1 alpha-3 codes; {NO_COUNTRY}: no country linked.'
                     + (f" Countries after the top {TOP_COUNTRIES} are summed as {OTHER_COUNTRIES}." if OTHER_COUNTRIES in counts.index else "")
                     + "</p>")
    years = year_counts(measures)
    if not years.empty:
        png = base64.b64encode(timeline_png(years)).decode("ascii")
        undated = int(measures["year"].isna().sum())
        parts.append("<h2>Timeline</h2>")
        parts.append(f'<img alt="Bars: measures per year, split by money, percent and count" src="data:image/png;base64,{png}">')
        parts.append(f'<p class="note">The year the text ties to each measure (announcement, spending or target year; '
                     f"future years are targets or projections). Left out: {undated} of {len(measures)} measures "
                     "without a year, and papers that are copies.</p>")
    parts.append("<h2>Money by country and currency</h2>")
    if totals.empty:
        parts.append('<p class="note">No money measures.</p>')
    else:
        rows = "".join(
            f"<tr><td>{_esc(r.country)}</td><td>{_esc(r.currency)}</td><td class=\"num\">{_money(float(r.total))}</td>"
            f"<td class=\"num\">{int(r.measures)}</td><td class=\"num\">{int(r.approximate)}</td>"
            f"<td>{_esc(r.years)}</td><td class=\"num\">{_usd(r.total_usd)}</td>"
            f"<td class=\"num\">{int(r.converted)} of {int(r.measures)}</td><td>{_esc(r.fx_years)}</td>"
            f"<td class=\"small\">{_esc(r.papers)}</td></tr>\n"
            for r in totals.itertuples(index=False)
        )
        parts.append("<table><thead><tr><th>country</th><th>currency</th><th>total (currency units)</th>"
                     "<th>measures</th><th>of which approximate</th><th>years of the amounts</th>"
                     "<th>USD (nominal)</th><th>converted</th><th>rate years</th><th>papers</th></tr></thead>"
                     f"<tbody>\n{rows}</tbody></table>")
        parts.append('<p class="note">Totals add amounts in their own currency; each total mixes the years and papers '
                     "listed beside it. Rows marked ~, &gt; or &lt; make a total approximate, and the same money named in "
                     "two papers is counted twice. USD: the rows with a rate only (see below).</p>")
    parts += _usd_section(measures)
    parts += _programs_section(getattr(tables, "program_registry", None))
    parts += _papers_section(docs, tables.measures)
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
            f"<title>policyx report</title><style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n")


FX_CAVEAT = ("Nominal US dollars, not deflated: each amount converted at the annual average of the ECB euro "
             "reference rates of its year (the measure's year, else the paper's), legacy euro currencies and the "
             "ECU by their fixed euro conversion rates. Left out: amounts without a year or without an ECB rate for "
             "their year and currency (before 1999, after the last complete year, or a currency the ECB does not "
             "quote), ranges without a single value, table total rows and columns, and papers that are copies.")


def _usd_section(measures: pd.DataFrame) -> list[str]:
    parts = ["<h2>Money in US dollars by country and instrument</h2>"]
    usd = usd_totals(measures)
    money = _money_rows(measures)
    if usd.empty:
        parts.append('<p class="note">No money measure has a rate (no year, or no ECB rate for its year).</p>')
    else:
        rows = "".join(
            f"<tr><td>{_esc(r.country)}</td><td>{_esc(r.instrument)}</td><td class=\"num\">{_money(r.total_usd)}</td>"
            f"<td class=\"num\">{int(r.measures)}</td><td>{_esc(r.fx_years)}</td><td>{_esc(r.currencies)}</td></tr>\n"
            for r in usd.itertuples(index=False))
        parts.append("<table><thead><tr><th>country</th><th>instrument</th><th>USD (nominal)</th><th>measures</th>"
                     f"<th>rate years</th><th>from currencies</th></tr></thead><tbody>\n{rows}</tbody></table>")
    missing = int(money["value_usd"].isna().sum()) if not money.empty else 0
    parts.append(f'<p class="note">{_esc(FX_CAVEAT)} {missing} of {len(money)} money rows have no USD amount '
                 "(measures.csv, column fx_note, says why).</p>")
    return parts


def _programs_section(registry: pd.DataFrame | None) -> list[str]:
    top = top_programs(registry) if registry is not None else pd.DataFrame()
    if top.empty:
        return []
    rows = "".join(
        f"<tr><td>{_esc(r.name)}</td><td>{_esc(r.iso3 if pd.notna(r.iso3) else '')}</td>"
        f"<td class=\"num\">{int(r.n_papers)}</td><td class=\"num\">{int(r.measures)}</td>"
        f"<td class=\"num\">{_usd(r.value_usd)}</td></tr>\n" for r in top.itertuples(index=False))
    return ["<h2>Top programs across papers</h2>",
            "<table><thead><tr><th>program</th><th>country</th><th>papers</th><th>measures</th>"
            f"<th>USD (nominal)</th></tr></thead><tbody>\n{rows}</tbody></table>",
            '<p class="note">From program_registry.csv: one row per program across papers (names compared case-folded, '
            "British and American spellings as one); named in most papers first. USD: nominal, rows with a rate only.</p>"]


def _papers_section(docs: pd.DataFrame, measures: pd.DataFrame) -> list[str]:
    per_doc = measures.groupby("doc_id", observed=True).size() if len(measures) else pd.Series(dtype=int)
    rows = []
    for r in docs.itertuples(index=False):
        dup = getattr(r, "duplicate_of", pd.NA)
        status = r.status if pd.isna(dup) else f"copy of {dup} (left out)"
        if r.status == "error" and pd.notna(r.error):
            status = f"error: {r.error}"
        year = "" if pd.isna(r.year) else int(r.year)
        rows.append(f"<tr><td>{_esc(r.doc_id)}</td><td>{_esc(status)}</td><td class=\"num\">{year}</td>"
                    f"<td class=\"num\">{int(per_doc.get(r.doc_id, 0))}</td></tr>\n")
    return ["<h2>Papers</h2>",
            "<table><thead><tr><th>paper</th><th>status</th><th>year</th><th>measures</th></tr></thead>"
            f"<tbody>\n{''.join(rows)}</tbody></table>"]


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
