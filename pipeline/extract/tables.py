"""Money cells of tables whose currency and scale stand in the column header.

A table in the body text is a run of data rows ("Moldova 4.1 2.7 6.2": a
label with a letter, then numeric cells) under a header of at most four short
lines right above it (blank lines may separate header, rows and a TOTAL row).
A header *unit* is a currency marker (currencies.csv and ISO 4217) with an
optional scale (scale_words.csv, plus the header-only spellings of
table_units.csv): "EURbn", "EUR million", "€m", "$ million", "($000)",
"(mn ecu)", "Ecu bn", "($US bn)", "in thousands of dollars", "£'000".

Which cells are money (precision first; otherwise no cell of the table is):
- every header unit is money, nothing follows the last one, and the table's
  modal row has exactly k cells (k = number of units): cell i has unit i.
  With units on several header lines their order is unknown, so this holds
  there only when all units are the same;
- else, with all units on one header line, the modal row has one cell per
  column, the columns being the units (money, a parenthesized non-money
  unit such as "(mn)" or "(NACE 3 digit)", or "%") plus one unitless column
  when words follow the last unit: cell i is money when column i is.
Only rows with the modal number of cells give money; a cell that is a year,
a percentage, a placeholder ("n.a.", "-", "..") or not a number gives none;
a negative cell keeps its sign; a footnote marker glued to a cell ("1.0*")
is left out of the span. A header with an amount in it ("Projects over EUR 50m")
is no unit header; a currency word needs a scale, "in"/"of" or parentheses
("Euro area" is no unit), and some words are never units in a header
(table_units.csv role=stop: "pounds", "won", "per cent"...).

A table whose lines are split by "|" (Markdown and HTML tables as the parse
stage writes them: "Country | Cohesion Fund EURbn | ERDF EURbn") has explicit
columns: its first line is the header, and a row with as many cells as the
header has a money cell in each column whose header cell holds exactly one
money unit and nothing else that is a unit ("(%)"); the first cell is the label.

Each money cell carries its row's line (the measure's evidence) and the span
of its column's name in the header (for the link stage: a PROGRAM named
there is the cell's program), when the header is one line.
Pure functions over the body text; odd input gives no cells.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable, Optional

from ..data_access import read_csv
from ..normalize.currencies import currency_markers
from ..normalize.money import find_money

MAX_HEADER_LINES = 4
MAX_LINE_CHARS = 200
MAX_LABEL_WORDS = 10
MAX_BLANK_LINES = 2          # blank lines allowed between header, row groups and a total row

_NUMBER = r"[-+\u2212\u2013]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[-+\u2212\u2013]?\.\d+"
_CELL_RE = re.compile(r"(?P<num>" + _NUMBER + r")(?P<mark>\*{1,3}|[\u2020\u2021])?")
_PERCENT_CELL_RE = re.compile(r"(?:" + _NUMBER + r")\s?%")
_PLACEHOLDER_RE = re.compile(r"(?i)n\.?a\.?|n/a|\.{2,}|[-\u2013\u2014\u2212:x]")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_PERCENT_WORD_RE = re.compile(r"%|(?i:(?<![^\W\d_])(?:per\s?cent|percent|pct)(?![^\W\d_]))")
_PAREN_RE = re.compile(r"\([^()\n]{1,40}\)")


@dataclass(frozen=True)
class Unit:
    start: int             # offsets into the body text
    end: int
    currency: str          # ISO 4217; "" for a non-money unit ("(mn)", "(%)")
    multiplier: float
    line: int              # index of the header line it stands on
    marker: str = ""       # the currency marker as written ("$", "R", "EUR")


@dataclass(frozen=True)
class TableCell:
    start: int             # the number's span (sign kept, footnote marker left out)
    end: int
    value: float
    currency: str
    row_start: int         # the row's line
    row_end: int
    column_start: int = -1  # the column's name in a one-line header; -1 when unknown
    column_end: int = -1
    marker: str = ""        # the header's currency marker as written ("$m": "$")


@dataclass(frozen=True)
class _Cell:
    start: int
    end: int
    number: str            # "" for a placeholder, a percentage or a year
    is_year: bool = False


@dataclass(frozen=True)
class _Row:
    start: int
    end: int
    cells: tuple[_Cell, ...]


# ------------------------------------------------------------------ units ----

@dataclass(frozen=True)
class _Currency:
    iso: str
    multiplier: float
    standalone: bool       # a unit without scale: a symbol or a common code ("$", "EUR"), not a word


def _marker_regex(marker: str) -> str:
    body = r"\s+".join(re.escape(part) for part in marker.split())
    return body


@lru_cache(maxsize=1)
def _vocab() -> tuple[re.Pattern[str], dict[str, _Currency], dict[str, _Currency], dict[str, float], dict[str, float]]:
    """(unit regex, exact currency markers, casefolded markers, exact scales, casefolded scales)."""
    stops: set[str] = set()
    header_scales: list[tuple[str, float, bool]] = []
    for row in read_csv("table_units.csv"):
        spelling = (row.get("spelling") or "").strip()
        role = (row.get("role") or "").strip()
        if not spelling:
            continue
        if role == "stop":
            stops.add(spelling.casefold())
        elif role == "scale":
            with row.checked():
                header_scales.append((spelling, float(row.get("multiplier") or 0),
                                      (row.get("case_sensitive") or "1").strip() == "1"))
    exact: dict[str, _Currency] = {}
    folded: dict[str, _Currency] = {}
    for marker, case_sensitive in currency_markers():
        if marker.kind in ("letter", "glyph") or marker.marker.casefold() in stops:
            continue               # "R", "N", "`": only beside a scaled number; header stop words
        info = _Currency(marker.iso, marker.multiplier,
                         marker.kind == "symbol" or (marker.kind == "code" and marker.common))
        key = " ".join(marker.marker.split())
        if case_sensitive:
            exact.setdefault(key, info)
        else:
            folded.setdefault(key.casefold(), info)
    scales_exact: dict[str, float] = {}
    scales_folded: dict[str, float] = {}
    for row in read_csv("scale_words.csv"):
        word = (row.get("word") or "").strip()
        with row.checked():
            mult = float(row.get("multiplier") or 0)
        if not word or mult <= 0:
            continue
        if (row.get("kind") or "").strip() == "word":
            scales_folded[word.casefold()] = mult
        else:
            scales_exact[word] = mult
    for spelling, mult, sensitive in header_scales:
        if mult > 0:
            (scales_exact if sensitive else scales_folded)[spelling if sensitive else spelling.casefold()] = mult

    def alternation(exact_keys: list[str], folded_keys: list[str]) -> str:
        alts = [(k, _marker_regex(k)) for k in exact_keys] + [(k, "(?i:" + _marker_regex(k) + ")") for k in folded_keys]
        alts.sort(key=lambda a: len(a[0]), reverse=True)    # longest first: "U.S. dollars" before "dollars"
        return "(?:" + "|".join(a[1] for a in alts) + ")" if alts else r"(?!x)x"

    cur = alternation(list(exact), list(folded))
    scale = alternation(list(scales_exact), list(scales_folded))
    boundary = r"(?<![^\W_])"
    pattern = re.compile(
        boundary
        + r"(?:(?P<pre>" + scale + r")(?P<of>\s+of)?\s+)?"
        + r"(?P<cur>" + cur + r")"
        + r"(?:\s?(?P<post>" + scale + r"))?"
        + r"(?![^\W_])")
    return pattern, exact, folded, scales_exact, scales_folded


def _lookup(table_exact: dict, table_folded: dict, found: str):
    key = " ".join(found.split())
    hit = table_exact.get(key)
    return hit if hit is not None else table_folded.get(key.casefold())


def _money_units(text: str, start: int, end: int, line: int) -> list[Unit]:
    pattern, exact, folded, s_exact, s_folded = _vocab()
    out: list[Unit] = []
    pos = start
    while pos < end:
        m = pattern.search(text, pos, end)
        if m is None:
            break
        pos = m.end() if m.end() > m.start() else m.start() + 1
        info = _lookup(exact, folded, m.group("cur"))
        if info is None or not info.iso:
            continue
        mult = info.multiplier
        has_scale = False
        for group in ("pre", "post"):
            if m.group(group):
                sm = _lookup(s_exact, s_folded, m.group(group))
                if sm is None:
                    break
                mult *= sm
                has_scale = True
        else:
            before = text[max(start, m.start() - 4):m.start()]
            alone_in_parens = before.endswith("(") and text[m.end():m.end() + 1] == ")"
            after_in = re.search(r"(?i)(?<![^\W_])in\s+\Z", before) is not None
            if not (has_scale or info.standalone or alone_in_parens or after_in):
                continue       # "Euro area", "Dollars per Return": a word needs a scale
            out.append(Unit(m.start(), m.end(), info.iso, mult, line, m.group("cur")))
    return out


def header_units(text: str, lines: list[tuple[int, int]]) -> list[Unit]:
    """Money and non-money units of header lines [(start, end), ...], in text order."""
    units: list[Unit] = []
    for i, (a, b) in enumerate(lines):
        money = _money_units(text, a, b, i)
        units += money
        for p in _PAREN_RE.finditer(text, a, b):
            if not any(p.start() <= u.start < p.end() for u in money):
                units.append(Unit(p.start(), p.end(), "", 1.0, i))
        for p in _PERCENT_WORD_RE.finditer(text, a, b):
            if not any(u.start <= p.start() < u.end for u in units):
                units.append(Unit(p.start(), p.end(), "", 1.0, i))
    return sorted(units, key=lambda u: u.start)


# ------------------------------------------------------------------- rows ----

def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _cell(text: str, start: int, end: int) -> Optional[_Cell]:
    token = text[start:end]
    m = _CELL_RE.fullmatch(token)
    if m is not None:
        num = m.group("num")
        bare = num.lstrip("+-\u2212\u2013")
        year = bool(_YEAR_RE.fullmatch(bare)) and num == bare
        return _Cell(start, start + len(num), num, is_year=year)
    if _PERCENT_CELL_RE.fullmatch(token) or _PLACEHOLDER_RE.fullmatch(token):
        return _Cell(start, end, "")
    return None


def parse_row(text: str, start: int, end: int) -> Optional[_Row]:
    """A data row: a label (a letter in its last word, at most 10 words), then cells."""
    if end - start > MAX_LINE_CHARS:
        return None
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
    cells: list[_Cell] = []
    i = len(tokens)
    while i > 0:
        c = _cell(text, start + tokens[i - 1][0], start + tokens[i - 1][1])
        if c is None:
            break
        cells.insert(0, c)
        i -= 1
    label = tokens[:i]
    if not cells or not label or len(label) > MAX_LABEL_WORDS:
        return None
    last = text[start + label[-1][0]:start + label[-1][1]]
    if not re.search(r"[^\W\d_]", last):
        return None
    if all(c.is_year for c in cells):
        return None        # "Country 2007 2008 2009": a header line of years
    return _Row(start, end, tuple(cells))


def _is_header_line(text: str, start: int, end: int) -> bool:
    line = text[start:end]
    return bool(line.strip()) and end - start <= MAX_LINE_CHARS and not line.rstrip().endswith(".")


def _header_above(text: str, lines: list[tuple[int, int]], first_row: int) -> list[tuple[int, int]]:
    """The header lines right above line ``first_row`` (blank lines skipped)."""
    j = first_row - 1
    blanks = 0
    while j >= 0 and not text[lines[j][0]:lines[j][1]].strip() and blanks < MAX_BLANK_LINES:
        j -= 1
        blanks += 1
    header: list[tuple[int, int]] = []
    while j >= 0 and len(header) < MAX_HEADER_LINES:
        a, b = lines[j]
        if not _is_header_line(text, a, b) or parse_row(text, a, b) is not None:
            break
        header.insert(0, (a, b))
        j -= 1
    return header


def _modal_cells(rows: list[_Row]) -> Optional[int]:
    counts = Counter(len(r.cells) for r in rows).most_common()
    if not counts or counts[0][1] < 2 or (len(counts) > 1 and counts[1][1] == counts[0][1]):
        return None
    return counts[0][0]


def _columns(text: str, header: list[tuple[int, int]], units: list[Unit], n: int
             ) -> Optional[list[tuple[Optional[Unit], int, int]]]:
    """(unit or None, name start, name end) per column, or None when the cells cannot be placed."""
    money = [u for u in units if u.currency]
    if not money:
        return None
    lines = {u.line for u in units}
    single = len(lines) == 1
    trailing = False
    if single:
        a, b = header[next(iter(lines))]
        trailing = bool(re.search(r"[^\W\d_]{2,}", text[units[-1].end:b]))
    named = single and len(header) == 1

    def spans(cols: list[Unit]) -> list[tuple[Optional[Unit], int, int]]:
        out, prev = [], header[cols[0].line][0] if named else -1
        if named:
            lead = _label_header_re().match(text, prev)   # "Country/Heading Cohesion Fund EURbn"
            prev = lead.end() if lead else prev
        for u in cols:
            end = u.end + 1 if named and text[u.end:u.end + 1] == ")" else u.end   # "Sales (bn ecus)"
            out.append((u, prev, end) if named else (u, -1, -1))
            prev = end
        return out

    same = len({(u.currency, u.multiplier) for u in money}) == 1
    if len(money) == len(units) and not trailing and n == len(money) and (single or same):
        return spans(money)
    if single and n == len(units) + int(trailing):
        cols = spans(units)
        if trailing:
            cols.append((None, -1, -1))
        return cols
    return None


@lru_cache(maxsize=1)
def _label_header_re() -> re.Pattern[str]:
    """The row-label column's header at the start of a header line (table_units.csv, role=label)."""
    labels = sorted({(row.get("spelling") or "").strip() for row in read_csv("table_units.csv")
                     if (row.get("role") or "").strip() == "label"} - {""}, key=len, reverse=True)
    if not labels:
        return re.compile(r"(?!x)x")
    return re.compile(r"(?i)\s*(?:" + "|".join(re.escape(w) for w in labels) + r")(?![^\W\d_])\s*")


def _value(number: str, multiplier: float) -> Optional[float]:
    s = number.replace(",", "").replace("\u2212", "-").replace("\u2013", "-")
    try:
        return float(Decimal(s) * Decimal(repr(multiplier)))
    except (InvalidOperation, ValueError):
        return None


def find_table_money(text: str) -> list[TableCell]:
    """Money cells of every table in ``text`` whose header carries the money units."""
    if not text or "\n" not in text:
        return []
    lines = _lines(text)
    piped = [text.count("|", a, b) >= 1 for a, b in lines]
    rows = [None if piped[k] else parse_row(text, a, b) for k, (a, b) in enumerate(lines)]
    out: list[TableCell] = []
    i = 0
    while i < len(lines):
        if piped[i]:
            j = i
            while j < len(lines) and piped[j]:
                j += 1
            out += _pipe_table_cells(text, lines[i:j])
            i = j
            continue
        if rows[i] is None:
            i += 1
            continue
        found, j = _row_run(text, lines, i, lambda k: rows[k] is not None)
        header = _header_above(text, lines, i)
        out += _table_cells(text, header, [rows[k] for k in found])
        i = j
    return out


def _row_run(text: str, lines: list[tuple[int, int]], first: int,
             is_row: Callable[[int], bool]) -> tuple[list[int], int]:
    """The row lines of the run of rows that starts at line ``first`` (blank lines allowed
    between groups), and the line after the run."""
    run: list[int] = []
    j, blanks = first, 0
    while j < len(lines):
        a, b = lines[j]
        if is_row(j):
            run.append(j)
            blanks = 0
        elif not text[a:b].strip() and blanks < MAX_BLANK_LINES:
            blanks += 1
        else:
            break
        j += 1
    return run, j


def _table_cells(text: str, header: list[tuple[int, int]], run: list[_Row]) -> list[TableCell]:
    if not header or not run:
        return []
    hs, he = header[0][0], header[-1][1]
    if find_money(text[hs:he]):
        return []          # an amount in the header: a caption or a sentence, not unit labels
    units = header_units(text, header)
    n = _modal_cells(run)
    if n is None:
        return []
    columns = _columns(text, header, units, n)
    if columns is None:
        return []
    out: list[TableCell] = []
    for row in run:
        if len(row.cells) != n:
            continue       # a missing or extra cell: its columns are unknown
        for cell, (unit, c0, c1) in zip(row.cells, columns):
            if unit is None or not unit.currency or not cell.number or cell.is_year:
                continue
            value = _value(cell.number, unit.multiplier)
            if value is None:
                continue
            out.append(TableCell(cell.start, cell.end, value, unit.currency, row.start, row.end, c0, c1,
                                 unit.marker))
    return out


_PIPE_NUMBER_RE = re.compile(r"(?P<num>[-+\u2212\u2013]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?|" + _NUMBER
                             + r")(?P<mark>\*{1,3}|[\u2020\u2021])?")
_SEPARATOR_ROW_RE = re.compile(r"[\s|:\-\u2013\u2014=+]*")


def _pipe_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stripped (start, end) of each "|"-separated cell; outer pipes dropped."""
    spans, pos = [], start
    for part in text[start:end].split("|"):
        a, b = pos, pos + len(part)
        pos = b + 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        spans.append((a, b))
    if spans and spans[0][0] == spans[0][1] and text[start:end].lstrip().startswith("|"):
        spans = spans[1:]
    if spans and spans[-1][0] == spans[-1][1] and text[start:end].rstrip().endswith("|"):
        spans = spans[:-1]
    return spans


def _pipe_table_cells(text: str, lines: list[tuple[int, int]]) -> list[TableCell]:
    lines = [(a, b) for a, b in lines if not _SEPARATOR_ROW_RE.fullmatch(text[a:b])]   # "|---|---|"
    if len(lines) < 2:
        return []
    (hs, he), body = lines[0], lines[1:]
    if find_money(text[hs:he]):
        return []
    header = _pipe_cells(text, hs, he)
    units: list[Optional[Unit]] = []
    for a, b in header:
        found = header_units(text, [(a, b)])
        money = [u for u in found if u.currency]
        units.append(money[0] if len(found) == 1 and len(money) == 1 else None)
    if not any(units):
        return []
    out: list[TableCell] = []
    for a, b in body:
        cells = _pipe_cells(text, a, b)
        if len(cells) != len(header) or not re.search(r"[^\W\d_]", text[cells[0][0]:cells[0][1]]):
            continue
        for (c0, c1), unit, (h0, h1) in zip(cells, units, header):
            m = _PIPE_NUMBER_RE.fullmatch(text[c0:c1]) if unit is not None else None
            if m is None:
                continue
            num = m.group("num")
            if _YEAR_RE.fullmatch(num):
                continue
            value = _value(re.sub(r"[ \u00a0\u202f]", "", num), unit.multiplier)
            if value is not None:
                out.append(TableCell(c0, c0 + len(num), value, unit.currency, a, b, h0, h1, unit.marker))
    return out



# ------------------------------------------------------ rows of amounts ----

# TABLE-HEADER-SCALES-AMOUNTS: "DOE BUDGET ($BILLIONS)" over rows of "$30.96 $33.52": amounts that
# carry their own currency sign but no scale take the scale their table's header declares
def header_scales(text: str, amounts: list[tuple[int, int, str, bool]]) -> dict[tuple[int, int], float]:
    """Multipliers for amounts in table rows under a header that declares a scale.

    ``amounts``: (start, end, currency, has_own_scale) of the paper's money amounts. A row is
    a short line, not a sentence, with two or more amounts of no scale of their own; a run
    of such rows (blank lines allowed) takes the header lines right above it. The header's
    money units must agree on one multiplier other than 1 and on the amounts' currency;
    otherwise nothing is scaled."""
    if not amounts or "\n" not in text:
        return {}
    lines = _lines(text)
    starts = [a for a, _ in lines]
    by_line: dict[int, list[tuple[int, int, str, bool]]] = {}
    for amt in amounts:
        by_line.setdefault(bisect.bisect_right(starts, amt[0]) - 1, []).append(amt)

    def is_row(k: int) -> bool:
        a, b = lines[k]
        found = by_line.get(k, [])
        return (len(found) >= 2 and b - a <= MAX_LINE_CHARS and not text[a:b].rstrip().endswith(".")
                and not any(own for *_, own in found))

    out: dict[tuple[int, int], float] = {}
    k = 0
    while k < len(lines):
        if not is_row(k):
            k += 1
            continue
        run, j = _row_run(text, lines, k, is_row)
        header = _header_above(text, lines, k)
        units = [u for u in header_units(text, header) if u.currency] if header else []
        mults = {u.multiplier for u in units}
        currencies = {u.currency for u in units}
        if len(mults) == 1 and next(iter(mults)) != 1.0:
            mult = next(iter(mults))
            for r in run:
                for start, end, currency, _own in by_line[r]:
                    if currency in currencies:
                        out[(start, end)] = mult
        k = j
    return out
