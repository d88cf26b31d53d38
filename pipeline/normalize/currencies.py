"""Currency markers in text (symbols, ISO codes, names from pipeline/data/currencies*.csv)
as one trie-shaped regex, each country's local currency for ambiguous markers ("$",
"kr"), and the per-currency number formats.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from ..data_access import read_csv


@dataclass(frozen=True)
class CurrencyMarker:
    marker: str
    iso: str
    kind: str          # symbol | code | word | letter (one letter: "R2.5 billion") | glyph (a font stand-in)
    position: str      # prefix | suffix | both
    multiplier: float
    common: bool = True  # a code that may also stand after a number ("75 USD")
    # an ISO code that is also an English word or acronym (ALL, TOP, AMD...):
    # trusted only next to an amount that looks like money (see _code_ok)
    strict: bool = False
    # written the same way by several currencies ("$", "dollars", "Rs"): the
    # word or symbol to look for in the paper's country's currency ("" = not shared)
    shared: str = ""


@dataclass
class Found:
    start: int
    end: int
    info: CurrencyMarker


# ------------------------------------------------------------ markers ----

def _marker_atoms(marker: str, fold: bool) -> list[str]:
    """Regex pieces, one per character, that also match tokenised text
    ("u . s . $" for "U.S.$"); the last piece carries the end boundary."""
    atoms: list[str] = []
    for i, ch in enumerate(marker):
        if ch == " ":
            atoms.append(r"\s+")
        elif ch == ".":
            atoms.append(r"\s?\.")
            if i + 1 < len(marker) and marker[i + 1] != " ":
                atoms.append(r"\s?")
        elif ch == "$":
            atoms.append(r"\s?\$" if i > 0 else r"\$")
        else:
            atoms.append(re.escape(ch.lower() if fold else ch))
    return atoms


def _trie_regex(markers: list[str], fold: bool) -> str:
    """One regex for many markers, shaped as a trie so that each text position
    tries only the branches that share its first character (a flat alternation
    of hundreds of markers is far slower on long texts)."""
    trie: dict[str, Any] = {}
    for marker in markers:
        node = trie
        for atom in _marker_atoms(marker, fold):
            node = node.setdefault(atom, {})
        # a marker ending in a letter must not run into the next word
        node[""] = r"(?![^\W\d_])" if marker[-1].isalpha() else ""

    def build(node: dict[str, Any]) -> str:
        alts = [atom + build(child) for atom, child in node.items() if atom != ""]
        if "" in node:
            alts.append(node[""])       # last: longer markers win
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return build(trie) if trie else r"(?!x)x"


def _key(s: str) -> str:
    return re.sub(r"\s+", "", s)


@lru_cache(maxsize=None)
def currency_markers() -> tuple[tuple[CurrencyMarker, bool], ...]:
    """Every currency marker with its case sensitivity: the rows of currencies.csv
    (hand-kept usage: shared symbols, colloquial names, scaled codes), then the
    rows generated from CLDR in currencies_cldr.csv (every ISO 4217 code, the
    English names singular and plural, distinctive symbols) where currencies.csv
    has no row for the same marker. Codes listed as "stop" in currencies.csv
    are English words or acronyms (ALL, TOP, AMD): they stay, marked strict.
    Shared by the money finder and the table reader."""
    out: list[tuple[CurrencyMarker, bool]] = []
    seen_exact: set[str] = set()
    seen_folded: set[str] = set()
    stop = {(row.get("marker") or "").strip() for row in read_csv("currencies.csv")
            if (row.get("kind") or "").strip() == "stop"}
    for name in ("currencies.csv", "currencies_cldr.csv"):
        for row in read_csv(name):
            marker = (row.get("marker") or "").strip()
            kind = (row.get("kind") or "").strip()
            if not marker or kind == "stop":
                continue
            sensitive = (row.get("case_sensitive") or "0").strip() == "1"
            key = _key(marker) if sensitive else _key(marker).lower()
            if key in seen_exact or key in seen_folded or _key(marker).lower() in seen_folded:
                continue
            with row.checked():
                mult = float(row.get("multiplier") or 1)
            common_cell = (row.get("common") or "").strip().lower()
            common = common_cell in ("yes", "1", "true")
            iso = (row.get("iso") or "").strip()
            shared = (row.get("shared") or "").strip()
            info = CurrencyMarker(marker, iso, kind, (row.get("position") or "both").strip(), mult,
                                  common or kind != "code",
                                  strict=marker in stop or common_cell == "historic",
                                  shared=marker if shared == "yes" else shared)
            (seen_exact if sensitive else seen_folded).add(key)
            out.append((info, sensitive))
    return tuple(out)


@lru_cache(maxsize=None)
def currency_formats() -> dict[str, tuple[str, str]]:
    """ISO code -> (decimal mark, group separator) of the issuing country, from
    CLDR (currency_formats.csv); "mixed" where its users differ (EUR)."""
    return {row["iso"]: (row.get("decimal", ""), row.get("group", ""))
            for row in read_csv("currency_formats.csv", strip=False) if row.get("iso")}


@lru_cache(maxsize=None)
def _markers() -> tuple[re.Pattern[str], dict[str, CurrencyMarker], dict[str, CurrencyMarker]]:
    exact: dict[str, CurrencyMarker] = {}
    folded: dict[str, CurrencyMarker] = {}
    sensitive: list[str] = []
    insensitive: list[str] = []
    for info, case_sensitive in currency_markers():
        if case_sensitive:
            exact[_key(info.marker)] = info
            sensitive.append(info.marker)
        else:
            folded[_key(info.marker).lower()] = info
            insensitive.append(info.marker)
    letter_start = r"(?<![^\W\d_])"
    parts = []
    for group, fold in ((insensitive, True), (sensitive, False)):
        words = [m for m in group if m[0].isalpha()]
        symbols = [m for m in group if not m[0].isalpha()]
        if words:
            body = letter_start + _trie_regex(words, fold)
            parts.append("(?i:" + body + ")" if fold else body)
        if symbols:
            body = _trie_regex(symbols, fold)
            parts.append("(?i:" + body + ")" if fold else body)
    pattern = re.compile("|".join(parts) if parts else r"(?!x)x")
    return pattern, exact, folded


@lru_cache(maxsize=None)
def _territory_currencies() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in read_csv("territory_currencies.csv"):
        out.setdefault(row["iso3"], []).append(row)
    return out


def currencies_of(iso3: str) -> frozenset[str]:
    """The currencies that are legal tender in territory ``iso3`` (CLDR via territory_currencies.csv)."""
    return frozenset(row["currency"] for row in _territory_currencies().get(iso3, []))


def local_currency(marker_text: str, iso3: str) -> str:
    """The currency that a shared marker ("$", "dollars", "Rs", "cents") stands
    for in a paper about country ``iso3``: that country's currency when the
    country writes its currency with that symbol, or names it with that word
    ("$" and "dollars" in an Australian paper are AUD, "pesos" in a Philippine
    one PHP; CLDR data). "" when the marker is not shared or does not fit, so
    the marker's own reading stands."""
    info = lookup_marker(marker_text)
    if info is None or not info.shared or not iso3:
        return ""
    for want in _family_words(info):
        for row in _territory_currencies().get(iso3, []):
            if _row_fits(row, want, info.kind):
                return row["currency"]
    return ""


# MONEY-CENTS-OF-FAMILY: a family word may list several ("dollar|euro|rand|shilling": the
# currencies whose hundredth is a cent, so "5 cents a litre" in a rand paper are rand cents)
def _family_words(info: CurrencyMarker) -> list[str]:
    """The symbol or family words a shared marker stands for, normalized for comparison."""
    return [unicodedata.normalize("NFKC", w).casefold().rstrip(".") for w in info.shared.split("|")]


def _row_fits(row: dict[str, str], want: str, kind: str) -> bool:
    """Whether a currency (a row of territory_currencies.csv) is written with the shared symbol or
    named with the family word ``want``."""
    if kind in ("symbol", "letter"):
        symbol = unicodedata.normalize("NFKC", row.get("symbol", "")).casefold().rstrip(".")
        # a bare "$" is the dollar of the paper's own jurisdiction (guide), also where CLDR
        # writes that dollar with a prefix ("HK$" in a Hong Kong paper that writes "$ 5 billion")
        if symbol == want or (want == "$" and symbol.endswith("$")
                              and (row.get("name") or "").split()[-1:] == ["Dollar"]):
            return True
    # MONEY-SHARED-SYMBOL-FAMILY-NAME: a symbol may also list its family word ("Rs|rupee"), for
    # countries whose CLDR symbol is in their own script but whose English papers write "Rs"
    words = {(row.get(k) or "").split()[-1].casefold() for k in ("name", "plural") if row.get(k)}
    return want in words or want + "s" in words


def is_shared(marker_text: str) -> bool:
    """Whether several currencies write a marker this way ("$", "cents", "Rs")."""
    info = lookup_marker(marker_text)
    return info is not None and bool(info.shared)


def currency_fits(marker_text: str, currency: str) -> bool:
    """Whether a shared marker may stand for ``currency`` ("cents" for ZAR, "$" for BSD): the
    currency is written with that symbol or named with that family word (CLDR)."""
    info = lookup_marker(marker_text)
    if info is None or not info.shared or not currency:
        return False
    rows = [row for rows in _territory_currencies().values() for row in rows if row["currency"] == currency]
    return any(_row_fits(row, want, info.kind) for want in _family_words(info) for row in rows)


def lookup_marker(found: str) -> Optional[CurrencyMarker]:
    _, exact, folded = _markers()
    key = _key(found)
    return exact.get(key) or folded.get(key.lower())


def find_currency_markers(text: str) -> list[Found]:
    pattern, _, _ = _markers()
    out = []
    for m in pattern.finditer(text):
        info = lookup_marker(m.group())
        end = m.end()
        if info is not None and info.position == "prefix" and m.group().endswith(".") \
                and not _DIGIT_NEXT_RE.match(text, end):
            # "17 INR." ends a sentence: the code, not the abbreviation "INR." of "INR. 17"
            shorter = lookup_marker(m.group()[:-1])
            if shorter is not None:
                info, end = shorter, end - 1
        if info is not None and end > m.start():
            out.append(Found(m.start(), end, info))
    return out


_DIGIT_NEXT_RE = re.compile(r"\s{0,2}\d")
