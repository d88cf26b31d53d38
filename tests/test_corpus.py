"""Comparing across papers: duplicates caught (pipeline/duplicates.py), one
registry row per program or body across papers (pipeline/registry.py), and a
corpus holding the seed twice (as .txt and as a PDF rendering) totalling as one copy."""
from __future__ import annotations

import csv
import shutil
import textwrap
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from pipeline.duplicates import DocText, find_duplicates
from pipeline.load import load
from pipeline.registry import Registry, Sighting, name_key
from pipeline.report import money_totals, report_html, usd_totals
from pipeline.run import run_corpus

from conftest import SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ----------------------------------------------------------------- duplicates

def test_same_bytes_same_text_and_similar_text_are_copies() -> None:
    words = SEED_TEXT.split(" ")
    # running headers and page numbers every 300 words, as a PDF rendering has them
    paged = " ".join(w if i % 300 else f"\nResearch on Policy {i // 300}\n{w}" for i, w in enumerate(words))
    reflowed = SEED_TEXT.replace(" and ", "\nand ").upper().replace("-", " ")
    edited = " ".join(w if i % 12 else "changed" for i, w in enumerate(words))   # one word in twelve differs
    docs = [
        DocText("a_paper", "s1", SEED_TEXT),
        DocText("b_same_bytes", "s1", SEED_TEXT),
        DocText("c_reflowed", "s2", reflowed),        # line breaks, case, hyphens differ: same words
        DocText("d_paged", "s3", paged),
        DocText("e_edited", "s4", edited),
        DocText("f_excerpt", "s5", SEED_TEXT[: len(SEED_TEXT) // 2]),
    ]
    found = find_duplicates(docs)
    assert found["b_same_bytes"] == ("a_paper", "sha256")
    assert found["c_reflowed"] == ("a_paper", "text")
    assert found["d_paged"][0] == "a_paper" and found["d_paged"][1].startswith("similar text (Jaccard 0.9")
    assert "e_edited" not in found and "f_excerpt" not in found and "a_paper" not in found


def test_the_copy_kept_is_an_ok_paper_then_the_first_name() -> None:
    found = find_duplicates([DocText("a_broken", "s1", "", ok=False), DocText("b_good", "s1", SEED_TEXT),
                             DocText("c_good", "s2", SEED_TEXT)])
    assert found == {"a_broken": ("b_good", "sha256"), "c_good": ("b_good", "text")}


# ------------------------------------------------------------------- registry

def test_name_key_folds_case_articles_and_spelling() -> None:
    assert name_key("The Regional Development Programme") == "regional development program"
    assert name_key("regional development program") == "regional development program"
    assert name_key("Centre for R&D") == "center for r and d"


def test_one_row_across_papers_and_ambiguous_merges_left_apart() -> None:
    reg = Registry([
        Sighting("p1", "Regional Development Programme", "GBR", 2004, 3),
        Sighting("p2", "the Regional Development Program", "", 2009, 1),
        Sighting("p1", "Innovation Fund", "DEU", None, 2),
        Sighting("p2", "Innovation Fund", "FRA", None, 1),
        Sighting("p3", "Innovation Fund", "", None, 1),
        Sighting("p9", "Regional Development Programme", "GBR", None, 5),
    ], skip_docs={"p9"})
    assert reg.add_measure("p2", "the Regional Development Program", Decimal("10.5")) == "regional-development-program-gbr"
    assert reg.add_measure("p9", "Regional Development Programme", Decimal("99")) == "regional-development-program-gbr"
    rows = {r["program_id"]: r for r in reg.rows("program_id")}
    rdp = rows["regional-development-program-gbr"]
    assert rdp["name"] == "Regional Development Programme" and rdp["aliases"] == "the Regional Development Program"
    assert rdp["papers"] == "p1;p2" and rdp["n_papers"] == 2          # p9 is a copy: left out
    assert (rdp["first_year"], rdp["last_year"], rdp["mentions"], rdp["measures"]) == (2004, 2009, 4, 1)
    assert rdp["value_usd"] == Decimal("10.5")
    assert set(rows) == {"regional-development-program-gbr", "innovation-fund-deu", "innovation-fund-fra",
                         "innovation-fund-xx"}
    assert rows["innovation-fund-xx"]["note"] == "ambiguous: the same name is also used in DEU, FRA; not merged"


# ---------------------------------------------- the seed twice: .txt and PDF

def render_pdf(text: str, path: Path, width: int = 95, lines_per_page: int = 62) -> None:
    """A plain PDF rendering of a text (TrueType text layer, fixed metadata)."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure
    lines: list[str] = []
    for para in text.split("\n"):
        lines += textwrap.wrap(para, width) or [""]
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        with PdfPages(path, metadata={"CreationDate": None, "Creator": None, "Producer": None}) as pdf:
            for first in range(0, len(lines), lines_per_page):
                fig = Figure(figsize=(8.27, 11.69))
                for j, line in enumerate(lines[first:first + lines_per_page]):
                    fig.text(0.07, 0.95 - j * 0.0145, line, fontsize=9, family="DejaVu Sans")
                pdf.savefig(fig)


@pytest.fixture(scope="module")
def seed_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("seed_twice")
    raw_two, raw_one = tmp / "raw2", tmp / "raw1"
    raw_two.mkdir()
    raw_one.mkdir()
    shutil.copyfile(SEED, raw_two / SEED.name)
    shutil.copyfile(SEED, raw_one / SEED.name)
    render_pdf(SEED.read_text(encoding="utf-8"), raw_two / "seed rendered copy.pdf")
    two, one = tmp / "out2", tmp / "out1"
    run_corpus(raw_two, two, workers=1, progress=False)
    # the one-copy corpus reuses the per-paper outputs: only collect runs again
    shutil.copytree(two, one)
    assert run_corpus(raw_one, one, workers=1, progress=False)["processed"] == []
    return one, two


def test_seed_as_txt_and_pdf_is_one_paper_with_a_copy(seed_twice) -> None:
    _one, two = seed_twice
    docs = {d["doc_id"]: d for d in _rows(two / "documents.csv")}
    assert docs["seed rendered copy"]["format"] == "pdf" and docs["seed rendered copy"]["status"] == "ok"
    assert [d["duplicate_of"] for d in docs.values() if d["duplicate_of"]] == [SEED.stem]
    assert docs["seed rendered copy"]["duplicate_how"] in ("text",) or \
        docs["seed rendered copy"]["duplicate_how"].startswith("similar text")
    # the copy's measures are kept in measures.csv, for the record
    assert any(m["doc_id"] == "seed rendered copy" for m in _rows(two / "measures.csv"))


def test_seed_twice_totals_as_one_copy(seed_twice) -> None:
    one, two = seed_twice
    t1, t2 = load(one), load(two)
    pd.testing.assert_frame_equal(money_totals(t1.measures, t1.documents), money_totals(t2.measures, t2.documents))
    pd.testing.assert_frame_equal(usd_totals(t1.measures, t1.documents), usd_totals(t2.measures, t2.documents))
    money = money_totals(t2.measures, t2.documents)
    assert money["papers"].tolist() == [SEED.stem] * len(money) and len(money) > 0
    # the registries count one copy: byte-identical to the one-copy corpus
    for name in ("program_registry.csv", "org_registry.csv"):
        assert (two / name).read_bytes() == (one / name).read_bytes()
    page = report_html(t2)
    assert "1 paper(s) left out of every count and total" in page
    assert report_html(t1).count("<tr>") + 1 == page.count("<tr>")      # only the papers table grows


def test_an_acronym_alone_joins_its_expansion_and_ambiguous_ones_stay_apart() -> None:
    reg = Registry([
        Sighting("p1", "Small Business Innovation Research", "USA", None, 4),
        Sighting("p2", "SBIR", "USA", None, 2),
        Sighting("p3", "SBIR", "", None, 1),
        Sighting("p1", "European Investment Bank", "EUU", None, 1),
        Sighting("p2", "European Innovation Board", "EUU", None, 1),
        Sighting("p3", "EIB", "EUU", None, 1),
        Sighting("p3", "Horizon", "", None, 1),            # not written as an acronym
    ])
    assert reg.add_measure("p2", "SBIR", None) == "small-business-innovation-research-usa"
    assert reg.add_measure("p3", "SBIR", None) == "small-business-innovation-research-usa"
    rows = {r["program_id"]: r for r in reg.rows("program_id")}
    sbir = rows["small-business-innovation-research-usa"]
    assert (sbir["aliases"], sbir["papers"], sbir["mentions"], sbir["measures"]) == ("SBIR", "p1;p2;p3", 7, 2)
    assert "sbir-usa" not in rows and "sbir-xx" not in rows
    assert rows["eib-euu"]["note"] == ("ambiguous acronym: could be european innovation board (EUU); "
                                       "european investment bank (EUU); not merged")
