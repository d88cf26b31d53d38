"""Review pages: highlighted mentions, measure rows, escaping, the index."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.review import non_overlapping, render_text, text_chunks, write_review

FIXTURE = Path(__file__).parent / "fixtures" / "output_small"


@pytest.fixture(scope="module")
def review_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review")
    write_review(FIXTURE, out)
    return out


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _marks(page: str) -> list[tuple[str, str]]:
    """(highlighted text, label) for every displaCy <mark> on a page."""
    return re.findall(r'<mark class="entity"[^>]*>\s*(.*?)\s*<span[^>]*>([A-Z]+)', page, flags=re.S)


def test_one_page_per_paper_and_an_index(review_dir: Path) -> None:
    names = sorted(p.name for p in review_dir.iterdir())
    assert names == ["alpha_paper.html", "beta_note.html", "gamma_broken.html", "index.html"]


def test_mentions_are_highlighted_with_their_type(review_dir: Path) -> None:
    marks = _marks(_read(review_dir / "alpha_paper.html"))
    assert ("nearly 4.5 billion yen", "MONEY") in marks
    assert ("New Strategy for Robotics", "PROGRAM") in marks
    assert ("30%", "PERCENT") in marks
    assert marks.count(("Germany", "COUNTRY")) == 2
    assert len(marks) == 11                              # every fixture mention of the paper
    page = _read(review_dir / "alpha_paper.html")
    assert "~4,500,000,000 JPY" in page                  # normalized value beside the label


def test_measure_table_rows(review_dir: Path) -> None:
    page = _read(review_dir / "alpha_paper.html")
    rows = re.findall(r'<tr><td class="measure">(q\d)</td>(.*?)</tr>', page, flags=re.S)
    assert [r[0] for r in rows] == ["q1", "q2", "q3"]
    first = dict(re.findall(r'<td class="(?:num )?(\w+)">(.*?)</td>', rows[0][1]))
    assert first["value"] == "~4,500,000,000"
    assert (first["currency"], first["country"], first["instrument"]) == ("JPY", "JPN", "rd_funding")
    assert (first["program"], first["year"], first["page"]) == ("New Strategy for Robotics", "2015", "1")
    assert first["evidence"] == "It provides nearly 4.5 billion yen for robotics research."
    third = dict(re.findall(r'<td class="(?:num )?(\w+)">(.*?)</td>', rows[2][1]))
    assert (third["type"], third["value"], third["instrument"]) == ("percent", "30%", "tax_incentive")
    change = _read(review_dir / "beta_note.html")
    assert '<td class="num value">35% \u2192 50%</td>' in change


def test_paper_text_is_escaped(review_dir: Path) -> None:
    page = _read(review_dir / "beta_note.html")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert('x')&lt;/script&gt;" in page
    assert "&lt;b&gt;tag&lt;/b&gt; survived" in page
    assert ("more than $70 million", "MONEY") in _marks(page)


def test_malicious_metadata_and_mentions_are_escaped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(FIXTURE, out)
    evil = '<img src=x onerror=alert(1)>'
    docs = out / "documents.csv"
    docs.write_text(_read(docs).replace("Robot policies in Japan and Germany", f'"{evil}"'), encoding="utf-8")
    mentions = out / "mentions.csv"
    mentions.write_text(_read(mentions).replace(",New Strategy for Robotics,JPN,", f',"{evil}",JPN,', 1), encoding="utf-8")
    review = tmp_path / "review"
    write_review(out, review)
    for page in review.iterdir():
        text = _read(page)
        assert "<img" not in text and "<script" not in text.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in _read(review / "alpha_paper.html")
    assert "&lt;img src=x onerror=alert(1)&gt;" in _read(review / "index.html")


def test_index_lists_papers_with_status_error_and_counts(review_dir: Path) -> None:
    index = _read(review_dir / "index.html")
    rows = {m[0]: m[1] for m in re.findall(r'<tr><td class="paper"><a href="([^"]+)">[^<]*</a></td>(.*?)</tr>', index, flags=re.S)}
    assert set(rows) == {"alpha_paper.html", "beta_note.html", "gamma_broken.html"}
    broken = re.findall(r"<td[^>]*>(.*?)</td>", rows["gamma_broken.html"])
    assert "error" in broken[2]
    assert broken[3] == "PDF is encrypted and cannot be opened"
    assert broken[-2:] == ["0", "0"]
    alpha = re.findall(r"<td[^>]*>(.*?)</td>", rows["alpha_paper.html"])
    assert alpha[-2:] == ["11", "3"]                     # mentions, measures
    assert "3 papers, 1 with errors" in index


def test_pages_are_self_contained(review_dir: Path) -> None:
    for page in review_dir.iterdir():
        text = _read(page)
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
        assert "<script" not in text and "@import" not in text
        assert "Content-Security-Policy" in text


def test_error_paper_page_has_no_text_but_its_reason(review_dir: Path) -> None:
    page = _read(review_dir / "gamma_broken.html")
    assert "PDF is encrypted and cannot be opened" in page
    assert "No body text." in page and "No measures." in page


def test_chunks_cover_paragraphs_and_cut_long_ones() -> None:
    text = "First para.\n\nSecond para here.\n\n" + ("word " * 2000)
    chunks = text_chunks(text)
    assert text[chunks[0].start:chunks[0].end] == "First para."
    assert text[chunks[1].start:chunks[1].end] == "Second para here."
    assert all(c.end - c.start <= 4000 for c in chunks)
    assert "".join(text[c.start:c.end] for c in chunks[2:]).strip() == text[chunks[2].start:].strip()
    with_pages = text_chunks("ab cd", [{"start": 3, "end": 5, "page": 2}])
    assert [(c.start, c.end, c.page) for c in with_pages] == [(0, 3, None), (3, 5, 2)]


def test_overlapping_and_out_of_range_mentions_are_dropped() -> None:
    mentions = pd.DataFrame({
        "type": ["ORG", "COUNTRY", "MONEY", "DATE"], "text": ["U.S. Congress", "U.S.", "$5", "2020"],
        "start": [0, 0, 20, 90], "end": [13, 4, 22, 94],
        "canonical": [pd.NA] * 4, "iso3": ["USA", "USA", pd.NA, pd.NA], "value": [pd.NA, pd.NA, 5.0, pd.NA],
        "currency": [pd.NA, pd.NA, "USD", pd.NA], "approx": [pd.NA] * 4, "year": [pd.NA, pd.NA, pd.NA, 2020],
        "month": [pd.NA] * 4,
    })
    spans, hidden = non_overlapping(mentions, 30)
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(0, 13, "ORG"), (20, 22, "MONEY")]
    assert hidden == 2
    html, not_shown = render_text("U.S. Congress gives $5 to all.", mentions)
    assert not_shown == 2
    assert _marks(html) == [("U.S. Congress", "ORG"), ("$5", "MONEY")]


def test_odd_doc_ids_get_working_links(tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(FIXTURE, out)
    odd = "alpha paper#1%"
    for csv_path in out.glob("*.csv"):
        csv_path.write_text(_read(csv_path).replace("alpha_paper", odd), encoding="utf-8")
    (out / "text" / "alpha_paper.txt").rename(out / "text" / f"{odd}.txt")
    review = tmp_path / "review"
    write_review(out, review)
    assert (review / f"{odd}.html").is_file()
    assert 'href="alpha%20paper%231%25.html"' in _read(review / "index.html")
    assert ("nearly 4.5 billion yen", "MONEY") in _marks(_read(review / f"{odd}.html"))


def test_parsed_paragraphs_give_pages_and_headings(tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(FIXTURE, out)
    text = _read(out / "text" / "alpha_paper.txt")
    first_break = text.index("\n\n")
    second = text.index("\n\n", first_break + 2)
    paragraphs = [
        {"start": 0, "end": first_break, "page": 1, "kind": "heading", "text": "", "section": ""},
        {"start": first_break + 2, "end": second, "page": 1, "kind": "body", "text": "", "section": ""},
        {"start": second + 2, "end": len(text), "page": 2, "kind": "body", "text": "", "section": ""},
    ]
    (out / "parsed").mkdir()
    (out / "parsed" / "alpha_paper.json").write_text(json.dumps({"paragraphs": paragraphs}), encoding="utf-8")
    review = tmp_path / "review"
    write_review(out, review)
    page = _read(review / "alpha_paper.html")
    assert re.findall(r'<div class="page-tag">page (\d+)</div>', page) == ["1", "2"]
    assert page.count('class="paragraph heading"') == 1
    assert len(_marks(page)) == 11
