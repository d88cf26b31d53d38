"""Load the pipeline's output tables into typed pandas DataFrames.

Integers are nullable ``Int64``, numbers ``Float64``, text the pandas
``string`` dtype, and the closed vocabularies are categoricals (mentions.type,
measures.quantity_type, measures.instrument, approx). Empty cells ("not
stated") become ``<NA>``, never zero. Text cells that the CSV writer guarded
against spreadsheet formulas ("'=...") get their original text back. Types come from the same place as the
data package (``pipeline.datapackage.field_types``).

Example: total money by country and instrument, one column per currency::

    >>> from pipeline.load import load
    >>> t = load("output")
    >>> money = t.measures[t.measures.quantity_type == "money"]
    >>> totals = (money.groupby(["country", "instrument", "currency"], observed=True, dropna=False)
    ...                ["value"].sum()
    ...                .unstack("currency"))
    >>> totals.loc[("JPN", "rd_funding"), "JPY"]       # doctest: +SKIP
    4500000000.0

Amounts in different currencies are never added together; ``approx`` tells
which amounts are "about", "more than" or "up to" (``>``/``<``), so a total
with such rows is a rough figure.
"""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pandas as pd

from .datapackage import enum_values, field_types
from .io import read_text
from .records import TABLE_COLUMNS

# Columns read as categoricals: "table.column" keys of datapackage.enum_values().
CATEGORICAL_COLUMNS = ("mentions.type", "measures.quantity_type", "measures.instrument", "mentions.approx", "measures.approx")

# A text cell io.format_cell prefixed with "'" so that spreadsheets do not run it.
_GUARDED_CELL = r"'[=+\-@\t\r]"


@dataclass
class Tables:
    """The output tables of one run, plus access to the body texts mentions index."""
    documents: pd.DataFrame
    mentions: pd.DataFrame
    measures: pd.DataFrame
    programs: pd.DataFrame
    references: pd.DataFrame
    program_registry: pd.DataFrame
    org_registry: pd.DataFrame
    output_dir: Path = Path("output")

    def __iter__(self) -> Iterator[tuple[str, pd.DataFrame]]:
        for name in TABLE_COLUMNS:
            yield name, getattr(self, name)

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in TABLE_COLUMNS:
            raise KeyError(name)
        return getattr(self, name)

    def text(self, doc_id: str) -> str:
        """The cleaned body text of a paper ("" when it has none)."""
        path = self.output_dir / "text" / f"{doc_id}.txt"
        return read_text(path) if path.is_file() else ""


def _unneutralize(strings: pd.Series) -> pd.Series:
    """Undo io.format_cell's spreadsheet guard ("'=..." -> "=..."): pandas evaluates nothing."""
    guarded = strings.str.match(_GUARDED_CELL, na=False)
    return strings.mask(guarded, strings.str.slice(1))


def _categories(key: str, observed: pd.Series) -> list[str]:
    declared = list(enum_values().get(key, []))
    # Values outside the vocabulary are kept (as extra categories), never lost.
    extra = sorted(set(observed.dropna().unique()) - set(declared))
    return declared + extra


def _convert(table: str, raw: pd.DataFrame) -> pd.DataFrame:
    types = field_types(table)
    out = {}
    for col in raw.columns:
        cells = raw[col].mask(raw[col] == "")
        kind = types.get(col, "string")
        key = f"{table}.{col}"
        if kind in ("integer", "number"):
            numbers = pd.to_numeric(cells, errors="coerce")
            if kind == "integer":
                numbers = numbers.where(numbers.isna() | (numbers % 1 == 0))
                out[col] = numbers.astype("Float64").astype("Int64")
            else:
                out[col] = numbers.astype("Float64")
        elif kind == "boolean":
            out[col] = cells.map({"true": True, "false": False}, na_action="ignore").astype("boolean")
        elif key in CATEGORICAL_COLUMNS:
            strings = cells.astype("string")
            out[col] = pd.Categorical(strings, categories=_categories(key, strings))
        else:
            out[col] = _unneutralize(cells.astype("string"))
    return pd.DataFrame(out, index=raw.index)


def read_table(output_dir: str | Path, table: str) -> pd.DataFrame:
    """One output CSV as a typed DataFrame (empty, with its columns, when missing)."""
    path = Path(output_dir) / f"{table}.csv"
    if path.is_file():
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        raw = pd.DataFrame({c: pd.Series([], dtype=str) for c in TABLE_COLUMNS[table]})
    return _convert(table, raw)


def load(output_dir: str | Path = "output") -> Tables:
    """All output tables of output_dir with proper dtypes (see the module docstring)."""
    output_dir = Path(output_dir)
    frames = {table: read_table(output_dir, table) for table in TABLE_COLUMNS}
    return Tables(output_dir=output_dir, **frames)


class _CallableModule(types.ModuleType):
    """``pipeline.load`` is both this module and its function: calling the module loads."""

    def __call__(self, output_dir: str | Path = "output") -> Tables:
        return load(output_dir)


sys.modules[__name__].__class__ = _CallableModule
