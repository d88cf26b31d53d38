"""Gazetteer tests: table-driven from tests/fixtures/geo_cases.yaml plus ISO coverage and speed."""
from __future__ import annotations

import time
from pathlib import Path

import pycountry
import pytest
import yaml

from pipeline.normalize.geo import COUNTRY, REGION, Gazetteer, PlaceMatch, tokenize

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "geo_cases.yaml").read_text(encoding="utf-8-sig"))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_fixture_cases(gaz: Gazetteer, case: dict) -> None:
    found = gaz.find(case["text"])
    got = [[m.text, m.type, m.iso3, m.form] for m in found]
    assert got == [[str(x) for x in row] for row in case["expect"]]
    for m in found:  # offsets index the input text
        assert case["text"][m.start:m.end] == m.text


def test_default_is_cached(gaz: Gazetteer) -> None:
    assert Gazetteer.default() is gaz


@pytest.mark.parametrize("attr", ["name", "official_name", "common_name"])
def test_every_iso_country_name_resolves_to_itself(gaz: Gazetteer, attr: str) -> None:
    wrong = {}
    for c in pycountry.countries:
        name = getattr(c, attr, None)
        if not name:
            continue
        hit = gaz.lookup(name)
        if hit is None or hit.iso3 != c.alpha_3 or hit.type != COUNTRY:
            wrong[name] = hit and hit.iso3
        found = gaz.find(f"Trade with {name} grew.")
        if not found or found[0].iso3 != c.alpha_3:
            wrong[f"find:{name}"] = found and found[0].iso3
    assert wrong == {}


def test_adjective_coverage(gaz: Gazetteer) -> None:
    adjectives = gaz.adjectives()
    iso_codes = {c.alpha_3 for c in pycountry.countries}
    covered = set(adjectives) & iso_codes
    assert len(covered) >= 180, sorted(iso_codes - covered)
    assert "Japanese" in adjectives["JPN"] and "German" in adjectives["DEU"]


@pytest.mark.parametrize("name,iso3,type_,canonical", [
    ("the U.S.", "USA", COUNTRY, "United States"),
    ("United States's", "USA", COUNTRY, "United States"),
    ("Korea, Republic of", "KOR", COUNTRY, "South Korea"),
    ("European Union", "EUU", COUNTRY, "European Union"),
    ("Henan Province", "CHN", REGION, "Henan"),
    ("Henan", "CHN", REGION, "Henan"),
    ("Southeast Asia", "", REGION, "Southeast Asia"),
    ("Bengaluru", "IND", REGION, "Bengaluru"),
    ("Nordrhein-Westfalen", "DEU", REGION, "North Rhine-Westphalia"),
    ("Bayern", "DEU", REGION, "Bavaria"),
    ("Gyeonggi-do", "KOR", REGION, "Gyeonggi"),
    ("Tamil Nādu", "IND", REGION, "Tamil Nadu"),
    ("Karnātaka", "IND", REGION, "Karnataka"),      # GEO-ROMANIZATION-MARKS
    ("Chhattisgarh", "IND", REGION, "Chhattisgarh"),
    ("São Paulo", "BRA", REGION, "São Paulo"),
])
def test_lookup(gaz: Gazetteer, name: str, iso3: str, type_: str, canonical: str) -> None:
    hit = gaz.lookup(name)
    assert hit is not None
    assert (hit.iso3, hit.type, hit.canonical) == (iso3, type_, canonical)


@pytest.mark.parametrize("junk", ["", "   ", "us", "Central", "the", "zzqx", None, 42, "\x00\ufffd", "'s"])
def test_lookup_rejects_non_places(gaz: Gazetteer, junk) -> None:
    assert gaz.lookup(junk) is None


def test_country_name(gaz: Gazetteer) -> None:
    assert gaz.country_name("USA") == "United States"
    assert gaz.country_name("deu") == "Germany"
    assert gaz.country_name("EUU") == "European Union"
    assert gaz.country_name("XXX") == ""
    assert gaz.country_name(None) == ""  # type: ignore[arg-type]


def test_stoplisted_subdivisions_never_match(gaz: Gazetteer) -> None:
    text = "Central and Eastern regions; the Capital; North-West suppliers; Littoral areas."
    assert [m.text for m in gaz.find(text) if m.type == REGION] == []


def test_find_never_raises_on_odd_input(gaz: Gazetteer) -> None:
    for text in ["", "\x00", "....", "U.", "'s", "-" * 1000, "Ü" * 50, "\ud800" if False else "\u200b", None, 3.5]:
        assert isinstance(gaz.find(text), list)  # type: ignore[arg-type]


def test_matches_do_not_overlap_and_are_ordered(gaz: Gazetteer) -> None:
    text = " ".join(c["text"] for c in CASES)
    found = gaz.find(text)
    assert found and all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert all(isinstance(m, PlaceMatch) and text[m.start:m.end] == m.text for m in found)


def test_tokenize_offsets() -> None:
    assert tokenize("U. S.-China") == [(0, 1, "U"), (1, 2, "."), (3, 4, "S"), (4, 5, "."), (5, 6, "-"), (6, 11, "China")]


def test_speed_two_megabytes(gaz: Gazetteer) -> None:
    paragraph = ("The Japanese government and the U.S. Department of Energy fund robotics in Henan Province, "
                 "while the European Union and Germany invest 4.5 billion euros in Industry 4.0 across "
                 "Southeast Asia and New Mexico; analysts in London compare it with China's plan. ")
    text = paragraph * (2_000_000 // len(paragraph))
    elapsed = float("inf")
    for _ in range(2):  # best of two: the machine is shared
        t0 = time.perf_counter()
        found = gaz.find(text)
        elapsed = min(elapsed, time.perf_counter() - t0)
    assert len(found) == 9 * (2_000_000 // len(paragraph))
    assert elapsed < 3.0, elapsed


def _data_rows(name: str) -> list[dict[str, str]]:
    import csv
    path = Path(__file__).resolve().parents[1] / "pipeline" / "data" / name
    lines = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize("name,column", [("country_aliases.csv", "iso3"), ("areas.csv", "iso3"), ("cities.csv", "iso3")])
def test_data_files_use_valid_codes(name: str, column: str) -> None:
    # ISO 3166-3 keeps the alpha-3 codes of former countries (ANT, SUN, YUG...)
    valid = {c.alpha_3 for c in pycountry.countries} | {c.alpha_3 for c in pycountry.historic_countries} \
        | {"EUU", "XKX", ""}
    rows = _data_rows(name)
    assert len(rows) > 100
    assert [r for r in rows if r[column] not in valid] == []


def test_stoplist_holds_generic_names() -> None:
    names = {r["name"] for r in _data_rows("region_stoplist.csv")}
    assert {"Central", "Eastern", "Capital Territory", "Centre", "Free"} <= names
    assert "Henan" not in names and "California" not in names


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_find_and_lookup_never_raise(text: str) -> None:
    gaz = Gazetteer.default()
    for m in gaz.find(text):
        assert text[m.start:m.end] == m.text and m.type in (COUNTRY, REGION)
    gaz.lookup(text)
