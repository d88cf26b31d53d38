"""World gazetteer: COUNTRY and REGION mentions found in plain text.

Pure Python (no spaCy). One index is compiled once from pycountry and the data
files under ``pipeline/data/``:

- ``country_aliases.csv``: aliases, abbreviations, adjectives/demonyms (COUNTRY)
- ``areas.csv``: multi-country areas, named sub-national areas, English exonyms (REGION)
- ``cities.csv``: capitals and major economic cities (REGION)
- ``region_stoplist.csv``: ISO 3166-2 names that are common words or ambiguous
  (built offline by ``scripts/build_region_stoplist.py``)
- ``geo_context.yaml``: context cue words (languages, personal names, blockers)

Text is cut into tokens (runs of letters/digits, single punctuation marks), so
"U.S.", "U. S." and "u . s ." are the same key. Matching is greedy left to right,
longest key first, so "New Mexico" beats "Mexico" and "Nigeria" never yields
"Niger". Spans never include a leading article or a trailing possessive: keys
never start with "the" and never end with "'s".

Decisions (see tests/fixtures/geo_cases.yaml):
- Hong Kong, Macao and Taiwan are COUNTRY with their own ISO 3166-1 codes (HKG,
  MAC, TWN): analysts tabulate them separately from mainland China.
- "European" is the adjective of the area Europe (REGION, iso3 ""); the EU is
  only "European Union", "EU", "E.U." (COUNTRY EUU).
- "English" is never a country (a language; England is a REGION of GBR).
- Names match as written (capitalized); when the whole text is lower case, every
  key matches in lower case except the case-sensitive ones ("US", "Turkey").
"""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional

from .. import data_access

COUNTRY = "COUNTRY"
REGION = "REGION"

# Higher wins when two sources give the same key.
_PRIORITY = {"none": 9, "country": 4, "alias": 5, "area": 3, "city": 2, "subdivision": 1}
NON_PLACE = "NONE"  # internal type of fixed phrases that contain a place word but name no place

_TOKEN_RE = re.compile(r"[^\W_]+|[^\w\s]")
_UPPER_RE = re.compile(r"[A-Z]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'",
                              "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_ARTICLES = {"the", "The", "THE"}
_CLOSING_PUNCT = {".", ",", ";", ":", ")", "!", "?", "]"}
# Fraction of upper-case ASCII letters below which a text counts as lower-cased.
_LOWER_MODE_RATIO = 0.001


@dataclass
class PlaceMatch:
    start: int
    end: int
    text: str
    type: str          # COUNTRY | REGION
    iso3: str          # ISO 3166-1 alpha-3; EUU for the EU; "" for multi-country areas
    canonical: str     # display name
    form: str          # name | abbrev | adjective
    source: str = ""   # country | alias | area | city | subdivision: where the name comes from


# gazetteer sources written by hand (cities.csv, areas.csv), as opposed to ISO subdivision names
_HAND_SOURCES = frozenset({"city", "area"})


@dataclass(frozen=True)
class _Entry:
    tokens: tuple[str, ...]     # surface tokens as written in the data
    type: str
    iso3: str
    canonical: str
    form: str
    case_sensitive: bool
    source: str                 # country | alias | area | city | subdivision

    @property
    def priority(self) -> int:
        return _PRIORITY[self.source]


def _fold(token: str) -> str:
    """Lower case, typographic apostrophes/dashes unified, diacritics removed."""
    if token.isascii():
        return token.lower()
    token = token.translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", token)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _fold_keep_case(token: str) -> str:
    if token.isascii():
        return token
    decomposed = unicodedata.normalize("NFKD", token.translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for every word run and punctuation mark."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]


def _read_csv(path: Path) -> list[dict[str, str]]:
    return data_access.read_csv(path)


def _uninvert(name: str) -> str:
    """'Korea, Republic of' -> 'Republic of Korea'; other commas are kept."""
    if "," not in name:
        return name
    head, tail = (part.strip() for part in name.split(",", 1))
    tail_words = tail.split()
    if tail_words and (tail_words[-1].lower() in {"of", "the"} or len(tail_words) == 1):
        return f"{tail} {head}"
    return name


def _strip_article(name: str) -> str:
    words = name.split()
    while words and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def _base_names(raw: str) -> list[str]:
    """Variants of an ISO name: raw, without parentheses/brackets, un-inverted, bracket contents."""
    out = [raw]
    inner = re.findall(r"[\[(]([^\])]*)[\])]", raw)
    base = re.sub(r"\s*[\[(][^\])]*[\])]", "", raw).strip()
    out.append(base)
    out.append(_uninvert(base))
    for part in inner:
        # "[Cymru GB-CYM]" -> "Cymru"; drop code-like words and descriptions such as "French part".
        words = [w for w in part.split() if not re.search(r"[A-Z]{2}-", w)]
        cleaned = " ".join(words).strip()
        if cleaned and cleaned[0].isupper() and "part" not in cleaned:
            out.append(cleaned)
    return [_strip_article(n) for n in out if n]


def clean_subdivision_name(raw: str, suffixes: Iterable[str], prefixes: Iterable[str]) -> list[str]:
    """English-usable names of an ISO 3166-2 subdivision ('Henan Sheng' -> ['Henan Sheng', 'Henan'])."""
    names: list[str] = []
    for name in _base_names(raw):
        names.append(name)
        if "," in name:  # 'Asturias, Principado de' -> 'Asturias'
            name = name.split(",", 1)[0].strip()
            names.append(name)
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix) + 2:
                name = name[: -len(suffix)].strip()
                names.append(name)
                break
        for prefix in prefixes:
            if name.startswith(prefix) and len(name) > len(prefix) + 2:
                names.append(name[len(prefix):].strip())
                break
    seen: list[str] = []
    for n in names:
        if n and n not in seen:
            seen.append(n)
    return seen


def subdivision_display_name(raw: str, suffixes: Iterable[str], prefixes: Iterable[str]) -> str:
    """Display name of an ISO 3166-2 subdivision: 'Henan Sheng' -> 'Henan', 'Wales [Cymru GB-CYM]' -> 'Wales'."""
    name = _uninvert(re.sub(r"\s*[\[(][^\])]*[\])]", "", raw).strip())
    if "," in name:
        name = name.split(",", 1)[0].strip()
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 2:
            name = name[: -len(suffix)].strip()
            break
    for prefix in prefixes:
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            name = name[len(prefix):].strip()
            break
    return _english_letters(_strip_article(name) or raw)


# GEO-ROMANIZATION-MARKS: ISO 3166-2 writes some names in a scholarly romanization
# ("Karnātaka", "Tamil Nādu"); English writes them without its long-vowel and under-dot
# marks. A native orthography's accents ("São Paulo", "Québec") are kept.
_ROMANIZATION_MARKS = {"\u0304", "\u0323", "\u0331"}   # combining macron, dot below, macron below


def _english_letters(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _ROMANIZATION_MARKS))


def iter_subdivisions(context: dict) -> Iterator[tuple[str, str, str, str]]:
    """(name, iso3, type, display name) for every name variant of every first-level ISO 3166-2 subdivision."""
    import pycountry
    suffixes = context.get("subdivision_name_suffixes", [])
    prefixes = context.get("subdivision_name_prefixes", [])
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            continue
        display = subdivision_display_name(sub.name, suffixes, prefixes)
        for name in clean_subdivision_name(sub.name, suffixes, prefixes):
            yield name, country.alpha_3, sub.type, display


def load_context(data_dir: Optional[Path] = None) -> dict:
    return data_access.yaml_mapping(Path(data_dir or data_access.DATA_DIR) / "geo_context.yaml")


class Gazetteer:
    """Compiled index of country and region names. Build once: ``Gazetteer.default()``."""

    def __init__(self, data_dir: Optional[Path] = None) -> None:
        self.data_dir = Path(data_dir or data_access.DATA_DIR)
        self.context = load_context(self.data_dir)
        self._index: dict[tuple[str, ...], list[_Entry]] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}
        self._display: dict[str, str] = {}
        # keys of names that an ISO 3166-2 subdivision or a listed city has, whichever entry won
        self._jurisdictions: set[tuple[str, ...]] = set()
        self._build()
        ctx = self.context
        self._lang_next = set(ctx.get("language_next_words", []))
        self._lang_prev = set(ctx.get("language_prev_words", []))
        self._person_names = set(ctx.get("person_ambiguous", []))
        self._person_safe = set(ctx.get("person_safe_neighbours", []))
        self._blockers = {k: set(v) for k, v in (ctx.get("next_word_blockers") or {}).items()}
        self._us_caps_blockers = set(ctx.get("us_allcaps_blockers", []))
        georgia = ctx.get("georgia_us") or {}
        self._georgia_prev = [tuple(_fold(t) for _, _, t in tokenize(p)) for p in georgia.get("prev_words", [])]
        self._georgia_next = set(georgia.get("next_words", []))
        self._georgia_cues = re.compile(
            r"\b(?:" + "|".join(re.escape(c) for c in georgia.get("window_cues", [])) + r")\b"
        ) if georgia.get("window_cues") else None
        self._georgia_window = int(georgia.get("window_chars", 200))
        self._suffixes = sorted(
            (tuple(t for _, _, t in tokenize(s)) for s in ctx.get("region_suffix_words", [])),
            key=len, reverse=True,
        )

    # ----- building -------------------------------------------------------------------------
    @classmethod
    @functools.lru_cache(maxsize=1)
    def default(cls) -> "Gazetteer":
        return cls()

    def _add(self, surface: str, type_: str, iso3: str, canonical: str, form: str,
             case_sensitive: bool, source: str) -> None:
        surface = _strip_article(surface.strip())
        if surface.startswith("Saint ") and source != "subdivision":
            for short in ("St. ", "St "):  # "St. Lucia", "St Kitts and Nevis"
                self._add_one(short + surface[len("Saint "):], type_, iso3, canonical, form, case_sensitive, source)
        self._add_one(surface, type_, iso3, canonical, form, case_sensitive, source)

    def _add_one(self, surface: str, type_: str, iso3: str, canonical: str, form: str,
                 case_sensitive: bool, source: str) -> None:
        tokens = tuple(t for _, _, t in tokenize(surface))
        if not tokens:
            return
        if len(tokens) >= 2 and tokens[-2:] == ("'", "s"):
            return  # possessives are stripped from spans, never keys
        entry = _Entry(tokens, type_, iso3, canonical, form, case_sensitive, source)
        key = tuple(_fold(t) for t in tokens)
        if type_ == REGION and source in ("subdivision", "city"):
            self._jurisdictions.add(key)
        bucket = self._index.setdefault(key, [])
        same_case = tuple(_fold_keep_case(t) for t in tokens)
        for i, old in enumerate(bucket):
            if ((old.iso3, old.type) == (iso3, type_) and old.canonical != canonical and not canonical.isascii()
                    and source in _HAND_SOURCES and old.source in _HAND_SOURCES
                    and _fold_keep_case(old.canonical) == _fold_keep_case(canonical)):
                # "Sao Paulo" and "São Paulo" rows of the hand-made lists: one place, displayed
                # with its diacritics (ISO subdivision transliterations such as "Tamil Nādu" are not)
                bucket[i] = dataclasses.replace(old, canonical=canonical)
                continue
            old_case = tuple(_fold_keep_case(t) for t in old.tokens)
            if old_case != same_case and (old.iso3, old.type, old.canonical) == (iso3, type_, canonical):
                continue  # another spelling of the same place ("sub-Saharan" / "Sub-Saharan"): keep both
            if old_case == same_case or (not old.case_sensitive and not case_sensitive):
                if entry.priority > old.priority:
                    bucket[i] = entry
                elif (entry.priority == old.priority and source == "subdivision"
                      and old.iso3 != iso3 and old.type == REGION):
                    # one name, subdivisions of two countries: keep it, country unknown
                    bucket[i] = _Entry(old.tokens, REGION, "", old.canonical, old.form, False, source)
                return
        bucket.append(entry)
        # ASCII spelling of a name with diacritics is matched through _fold already.

    def _build(self) -> None:
        import pycountry

        aliases = _read_csv(self.data_dir / "country_aliases.csv")
        for row in aliases:
            if row.get("form") == "display":
                self._display[row["iso3"]] = row["alias"]

        for c in pycountry.countries:
            iso3 = c.alpha_3
            display = self._display.get(iso3) or getattr(c, "common_name", None) or _uninvert(
                re.sub(r"\s*\([^)]*\)", "", c.name))
            self._display.setdefault(iso3, display)
            raw_names = {c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}
            for raw in filter(None, raw_names):
                for name in _base_names(raw):
                    self._add(name, COUNTRY, iso3, self._display[iso3], "name", False, "country")

        for row in aliases:
            iso3, alias = row.get("iso3", ""), row.get("alias", "")
            if not iso3 or not alias:
                continue
            form = row.get("form") or "name"
            form = "name" if form == "display" else form
            cs = row.get("case_sensitive", "").lower() in {"yes", "true", "1"}
            canonical = self._display.get(iso3, alias)
            self._add(alias, COUNTRY, iso3, canonical, form, cs, "alias")
            if form == "abbrev" and alias.endswith(".") and alias.count(".") == 2:
                self._add(alias[:-1], COUNTRY, iso3, canonical, form, cs, "alias")  # "the U.S, ..."

        # "exonym of Bayern" in areas.csv: the ISO name displays as the English one (Bavaria)
        exonyms: dict[str, str] = {}
        for row in _read_csv(self.data_dir / "areas.csv"):
            note = row.get("note", "")
            if note.startswith("exonym of ") and row.get("name"):
                exonyms[_fold(note[len("exonym of "):].strip())] = row.get("canonical") or row["name"]
            if row.get("name"):
                self._add(row["name"], REGION, row.get("iso3", ""), row.get("canonical") or row["name"],
                          row.get("form") or "name", False, "area")

        for row in _read_csv(self.data_dir / "cities.csv"):
            city = row.get("city", "")
            if not city:
                continue
            canonical = city.split(",")[0].strip()
            self._add(city, REGION, row.get("iso3", ""), canonical, "name", False, "city")
            if "," not in city:
                # "Greater Manchester", "Greater Sydney": the metropolitan area of a city
                self._add(f"Greater {city}", REGION, row.get("iso3", ""), f"Greater {canonical}", "name", False,
                          "city")

        stop = {_fold(r["name"]) for r in _read_csv(self.data_dir / "region_stoplist.csv") if r.get("name")}
        for name, iso3, _kind, display in iter_subdivisions(self.context):
            if _fold(name) in stop or len(re.sub(r"\W", "", name)) <= 3:
                continue
            display = exonyms.get(_fold(display), display)
            self._add(name, REGION, iso3, display, "name", False, "subdivision")
            if _kind in ("State", "Province") and not name.endswith((" State", " Province")):
                # "Washington State", "Lagos State", "Henan Province": the usual English long form
                self._add(f"{name} {_kind}", REGION, iso3, display, "name", False, "subdivision")

        for phrase in self.context.get("non_place_phrases", []):
            self._add(phrase, NON_PLACE, "", phrase, "name", False, "none")

        lengths: dict[str, set[int]] = {}
        for key, bucket in self._index.items():
            bucket.sort(key=lambda e: -e.priority)
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {k: tuple(sorted(v, reverse=True)) for k, v in lengths.items()}
        # Every spelling a first token may take in text (as written, folded, upper, capitalized, lower):
        # a cheap set test that skips almost every token before any folding.
        variants: set[str] = set()
        for bucket in self._index.values():
            for e in bucket:
                t = e.tokens[0]
                for v in (t, _fold_keep_case(t)):
                    variants.update((v, v.upper(), v.lower(), v[:1].upper() + v[1:]))
        self._first_variants = frozenset(variants)

    # ----- public API -----------------------------------------------------------------------
    def country_name(self, iso3: str) -> str:
        """Display name of an ISO 3166-1 alpha-3 code (or EUU); "" when unknown."""
        if not isinstance(iso3, str):
            return ""
        return self._display.get(iso3.strip().upper(), "")

    def countries(self) -> dict[str, str]:
        """iso3 -> display name for every known country code."""
        return dict(self._display)

    def adjectives(self) -> dict[str, list[str]]:
        """iso3 -> adjectives/demonyms (COUNTRY entries of form 'adjective')."""
        out: dict[str, list[str]] = {}
        for bucket in self._index.values():
            for e in bucket:
                if e.type == COUNTRY and e.form == "adjective":
                    out.setdefault(e.iso3, []).append(" ".join(e.tokens))
        return out

    def lookup(self, name: str) -> Optional[PlaceMatch]:
        """The place a whole name stands for ('the U.S.', 'Korea, Republic of', 'Henan Province')."""
        if not isinstance(name, str) or not name.strip():
            return None
        text = name.strip()
        toks = tokenize(text)
        while toks and toks[0][2] in _ARTICLES:
            toks = toks[1:]
        if len(toks) >= 2 and toks[-2][2] == "'" and toks[-1][2].lower() == "s":
            toks = toks[:-2]
        if not toks:
            return None
        key = tuple(_fold(t) for _, _, t in toks)
        bucket = self._index.get(key)
        if not bucket:
            # "Henan Province": a region name followed by an administrative word
            for suffix in self._suffixes:
                n = len(suffix)
                if len(toks) > n and tuple(t for _, _, t in toks[-n:]) == suffix:
                    inner = self.lookup(text[toks[0][0]:toks[-n - 1][1]])
                    if inner and inner.type == REGION:
                        return PlaceMatch(toks[0][0], toks[-1][1], text[toks[0][0]:toks[-1][1]],
                                          REGION, inner.iso3, inner.canonical, inner.form, inner.source)
            return None
        words = [t for _, _, t in toks]
        chosen = next((e for e in bucket if self._case_ok(words, e, False)), None) or \
            next((e for e in bucket if not e.case_sensitive), None)
        if chosen is None or chosen.type == NON_PLACE:
            return None
        start, end = toks[0][0], toks[-1][1]
        return PlaceMatch(start, end, text[start:end], chosen.type, chosen.iso3, chosen.canonical, chosen.form,
                          chosen.source)

    def is_city(self, name: str) -> bool:
        """Whether a REGION name is a city of the hand-made list (cities.csv), not a
        state, province or area: a state paper that names its capital still speaks for the state."""
        key = self._name_index_key(name)
        bucket = self._index.get(key, []) if key else []
        regions = [e for e in bucket if e.type == REGION]
        return bool(regions) and all(e.source == "city" for e in regions)

    def is_jurisdiction(self, name: str) -> bool:
        """Whether a REGION name is a government's territory: an ISO 3166-2 subdivision (a state,
        province, prefecture) or a city of cities.csv, not only a named area ("the Sahel")."""
        key = self._name_index_key(name)
        return bool(key) and key in self._jurisdictions

    @staticmethod
    def _name_index_key(name: str) -> tuple[str, ...]:
        """The index key of a whole name (its folded tokens, without a leading article)."""
        toks = tokenize(_strip_article(name.strip())) if isinstance(name, str) else []
        return tuple(_fold(t) for _, _, t in toks)

    def find(self, text: str) -> list[PlaceMatch]:
        """Non-overlapping COUNTRY/REGION mentions in text, left to right, longest match first."""
        if not isinstance(text, str) or not text:
            return []
        words = _TOKEN_RE.findall(text)
        starts = [m.start() for m in _TOKEN_RE.finditer(text)]
        lower_mode = len(_UPPER_RE.findall(text)) <= _LOWER_MODE_RATIO * len(text)
        first_variants = self._first_variants
        lengths = self._lengths
        index = self._index
        fold_cache: dict[str, str] = {}

        def folded(j: int) -> str:
            w = words[j]
            f = fold_cache.get(w)
            if f is None:
                f = fold_cache[w] = _fold(w)
            return f

        out: list[PlaceMatch] = []
        n = len(words)
        i = 0
        while i < n:
            w = words[i]
            if w not in first_variants and (w.isascii() or _fold_keep_case(w) not in first_variants):
                i += 1
                continue
            lens = lengths.get(folded(i))
            if lens is None:
                i += 1
                continue
            hit = None
            for size in lens:
                if i + size > n:
                    continue
                bucket = index.get(tuple(folded(j) for j in range(i, i + size)))
                if not bucket:
                    continue
                if size > 1 and "\n\n" in text[starts[i]:starts[i + size - 1]]:
                    continue  # a name never runs across a paragraph break
                for entry in bucket:
                    if not self._case_ok(words[i:i + size], entry, lower_mode):
                        continue
                    resolved = self._in_context(entry, text, starts, words, i, size, lower_mode)
                    if resolved is not None:
                        hit = (resolved, size)
                        break
                if hit:
                    break
            if hit is None:
                i += 1
                continue
            entry, size = hit
            end_tok = i + size
            if entry.type == NON_PLACE:
                i = end_tok
                continue
            if entry.type == REGION and (entry.source in {"subdivision", "city"}
                                         or (entry.iso3 and entry.source == "area" and entry.form == "name")):
                end_tok = self._extend_suffix(words, end_tok)
            start, end = starts[i], starts[end_tok - 1] + len(words[end_tok - 1])
            out.append(PlaceMatch(start, end, text[start:end], entry.type, entry.iso3, entry.canonical, entry.form,
                                  entry.source))
            i = end_tok
        return out

    # ----- matching helpers -----------------------------------------------------------------
    @staticmethod
    def _case_ok(words: list[str], entry: _Entry, lower_mode: bool) -> bool:
        if lower_mode:
            return not entry.case_sensitive or list(words) == list(entry.tokens)
        for got, want in zip(words, entry.tokens):
            if got == want:
                continue
            g, w = _fold_keep_case(got), _fold_keep_case(want)
            if g == w or not w[:1].isalnum():
                continue
            if w.islower() and g.lower() == w:      # "Republic Of Korea" in a title-case heading
                continue
            if not entry.case_sensitive and len(g) > 1 and g.isupper() and g == w.upper():
                continue                            # "CHINA" in an all-caps heading
            return False
        return True

    def _in_context(self, entry: _Entry, text: str, starts: list[int], words: list[str], i: int, size: int,
                    lower_mode: bool) -> Optional[_Entry]:
        """The entry this occurrence stands for, or None when the context says it is no place."""
        nxt = words[i + size] if i + size < len(words) else ""
        nxt2 = words[i + size + 1] if i + size + 1 < len(words) else ""
        prev = words[i - 1] if i > 0 else ""
        head = entry.tokens[0]
        surface = " ".join(entry.tokens)

        blockers = self._blockers.get(surface)
        if blockers and (nxt in blockers or nxt.lower() in blockers):
            return None
        if entry.form == "adjective" and entry.type == COUNTRY:
            if nxt.lower() in self._lang_next or (nxt == "-" and nxt2.lower() in {"speaking", "language"}):
                return None
            if prev.lower() in self._lang_prev and (nxt in _CLOSING_PUNCT or nxt == ""):
                return None
        if surface == "US" and prev in self._us_caps_blockers:
            return None
        # GEO-CURRENCY-MARKER: a place glued to a dollar sign is a currency marker
        # ("US$40 million", "$US 40 million", "NZ$3 million"), not the actor.
        end = starts[i + size - 1] + len(words[i + size - 1])
        if text[end:end + 1] == "$" or (starts[i] > 0 and text[starts[i] - 1] == "$"):
            return None
        if surface == "Georgia" and entry.iso3 == "GEO" and self._georgia_is_us(text, starts, words, i):
            return _Entry(entry.tokens, REGION, "USA", "Georgia", "name", False, "subdivision")
        if not lower_mode and head in self._person_names and size == 1:
            if self._looks_personal(prev) or self._looks_personal(nxt):
                return None
        return entry

    def _looks_personal(self, word: str) -> bool:
        """A capitalized word that is neither a function word nor a place: likely a personal name."""
        if len(word) < 2 or not word[0].isupper() or not word[1:].islower() or not word.isalpha():
            return False
        if word in self._person_safe:
            return False
        return (word.lower(),) not in self._index

    def _georgia_is_us(self, text: str, starts: list[int], words: list[str], i: int) -> bool:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt in self._georgia_next:
            return True
        folded_prev = tuple(_fold(w) for w in words[max(0, i - 5):i])
        for cue in self._georgia_prev:
            if cue and folded_prev[-len(cue):] == cue:
                return True
        # "<US city>, Georgia"
        if i >= 2 and words[i - 1] == ",":
            bucket = self._index.get((_fold(words[i - 2]),))
            if bucket and any(e.iso3 == "USA" and e.type == REGION for e in bucket):
                return True
        if self._georgia_cues is not None:
            lo = max(0, starts[i] - self._georgia_window)
            hi = min(len(text), starts[i] + len(words[i]) + self._georgia_window)
            if self._georgia_cues.search(text, lo, hi):
                return True
        return False

    def _extend_suffix(self, words: list[str], end_tok: int) -> int:
        for suffix in self._suffixes:
            n = len(suffix)
            if tuple(words[end_tok:end_tok + n]) == suffix:
                return end_tok + n
        return end_tok


def find_places(text: str) -> list[PlaceMatch]:
    """Convenience: ``Gazetteer.default().find(text)``."""
    return Gazetteer.default().find(text)
