"""Table cells: a measure in a table takes its column header's name and program.
"""

from __future__ import annotations

from typing import Optional

from ..records import (
    Mention,
)
from .index import DocIndex

def _table_column_span(q: Mention) -> Optional[tuple[int, int]]:
    """The span of a table cell's column name in the header (``Mention.column_start`` and
    ``column_end``, written by extract/tables.py); (0, 0) when unknown; None for running text."""
    if q.type != "MONEY" or not q.table_cell:
        return None
    if q.column_start is None or q.column_end is None:
        return (0, 0)
    return (q.column_start, q.column_end)


def table_column_name(index: DocIndex, q: Mention) -> Optional[str]:
    """The column name of a table cell, "" when unknown; None for running text."""
    span = _table_column_span(q)
    return None if span is None else index.text[span[0]:span[1]]


def table_column_program(index: DocIndex, q: Mention, program: Optional[Mention]) -> Optional[Mention]:
    """A table cell (extract/tables.py: ``Mention.column_start``/``column_end`` span its
    column's name in the header) belongs to the one PROGRAM named in that column name
    ("Cohesion Fund EURbn", "ERDF Convergence EURbn"), else to the one PROGRAM its row
    names ("Horizon Europe 95,500" under "Budget (EUR million)"), else to none: a program
    of the paragraph or of the sentence before is not the table's. Any other quantity
    keeps ``program``."""
    column = _table_column_span(q)
    if column is None:
        return program
    for lo, hi in (column, index.sentence(q)):
        named = index.of_type_in(["PROGRAM"], lo, hi) if hi > lo else []
        if len({(p.canonical or p.text).casefold() for p in named}) == 1:
            return named[0]
    return None
