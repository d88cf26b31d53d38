"""Parse stage: readers, structure builder, entry points and the sandbox."""
from __future__ import annotations

import codecs
import json
import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.parse import doc_id_for, parse_path
from pipeline.parse.__main__ import main as cli_main
from pipeline.parse.blocks import ParseError, RawBlock, RawPage
from pipeline.parse.html import read_html_file
from pipeline.parse.sandbox import parse_in_child
from pipeline.parse.structure import build_document, parse_author_line, split_run_in_headings
from pipeline.parse.text import read_text_file
from pipeline.records import parsed_from_dict

SEED = Path("/work/shared/papers/000_5339488b9e4b4fe2.txt")
FIXTURES = Path(__file__).parent / "fixtures"


# ---------------------------------------------------------------- seed paper

@pytest.fixture(scope="module")
def seed():
    if not SEED.exists():
        pytest.skip("seed paper not available")
    doc = parse_path(SEED)
    assert doc.status == "ok", doc.error
    return doc


def test_seed_repairs_split_numbers_and_abbreviations(seed):
    for good in ("4.5 billion yen", "Industry 4.0", "U.S."):
        assert good in seed.text
    for bad in ("4. 5", "4. 0", "U. S."):
        assert bad not in seed.text


def test_seed_metadata_is_out_of_the_body(seed):
    assert not re.search(r"\S+@\S+", seed.text)
    assert "Jiangnan University Business School" not in seed.text
    assert "Keywords:" not in seed.text
    assert "corresponding author" not in seed.text
    assert "References" not in [p.text for p in seed.paragraphs]
    for ref in seed.references:
        assert ref.text[:40] not in seed.text
    assert seed.metadata["keywords"] == ["Advanced manufacturing", "Competitive advantage",
                                         "Government support policy"]
    assert seed.metadata["emails"] == ["925243770@qq.com", "1039857158@qq.com"]


def test_seed_title_authors_references(seed):
    assert seed.title == "Research on Domestic and Foreign Advanced Manufacturing Development Policy"
    assert seed.authors == "Dong Liang; Zhongwei Zhang"
    assert seed.year is None
    assert [r.year for r in seed.references] == [2017, 2016, 2015, 2016, 2014, 2011]
    assert [r.ref_id for r in seed.references] == ["1", "2", "3", "4", "5", "6"]
    assert seed.references[2].text.startswith("Qingran Guo. Research on the countermeasures")
    assert "*" not in seed.references[0].text


def test_seed_paragraph_broken_at_page_boundary_is_one(seed):
    joined = [p for p in seed.paragraphs if "Industrialization”" in p.text]
    assert len(joined) == 1
    assert "Industrialization” innovation chain of" in joined[0].text
    assert not any(p.text.startswith("innovation chain of") for p in seed.paragraphs)
    assert not any(p.text.startswith("government established") for p in seed.paragraphs)


def test_seed_run_in_headings_are_sections(seed):
    para = next(p for p in seed.paragraphs if p.text.startswith("U.S. Advanced Manufacturing Strategy"))
    assert para.section.endswith("> U.S. Advanced Manufacturing Strategy Development Policy")
    assert para.section.startswith("Analysis of Foreign Support Policies for Advanced Manufacturing Industries")
    # the run-in heading stays the section of the following paragraph too
    nxt = seed.paragraphs[seed.paragraphs.index(para) + 1]
    assert nxt.section == para.section
    japan = seed.text.index("10 billion yen")
    assert seed.section_at(japan).endswith("Japanese Government Promotes Smart Manufacturing Development Policy")


def test_seed_offsets_index_the_body_text(seed):
    assert seed.paragraphs[0].start == 0
    for p in seed.paragraphs:
        assert seed.text[p.start:p.end] == p.text
    assert seed.words == len(seed.text.split())
    assert seed.pages == 1 and seed.page_starts == [(0, 1)]
    assert len(seed.sha256) == 64


# ---------------------------------------------------------------- structure on fixtures

@pytest.fixture(scope="module")
def paged():
    return parse_path(FIXTURES / "parse_pages.txt")


def test_form_feed_pages_headers_and_page_numbers(paged):
    assert paged.pages == 3
    assert "Journal of Policy Studies" not in paged.text
    assert not re.search(r"^- \d -$", paged.text, re.M)
    assert paged.page_at(paged.text.index("Programs in Sweden")) == 2
    assert paged.page_at(paged.text.index("Norway uses grants")) == 3
    assert paged.year == 2019


def test_paragraph_joined_across_a_page_keeps_both_pages(paged):
    start = paged.text.index("Governments spend")
    para = next(p for p in paged.paragraphs if p.start == start)
    assert "research institutes in the same period." in para.text
    assert para.page == 1
    assert paged.page_at(paged.text.index("institutes in the same")) == 2
    assert "2.5 billion kronor" in para.text


def test_numbered_headings_nest(paged):
    credit = paged.text.index("A tax credit of 10%")
    assert paged.section_at(credit) == "2. Programs in Sweden > 2.2 Tax credits"
    assert paged.section_at(paged.text.index("Norway uses")) == "3. Programs in Norway"


def test_front_matter_and_numbered_references(paged):
    assert paged.title == "Support for Small Firms in Two Countries"
    assert paged.authors == "Anna Berg; Tomas Lind; Eva Holm"
    assert "Lund University" not in paged.text
    assert "We thank" not in paged.text
    assert [r.year for r in paged.references] == [2015, 2018, 2020]
    assert paged.references[1].text == ("Olsen, K. and Berg, A. Tax credits in the Nordic countries. "
                                        "Nordic Economic Review, 12(3), 2018.")


def test_numbered_reference_entries_do_not_end_the_list(tmp_path):
    text = ("A Study of Grants\n\nIntro text here. The state pays.\n\nReferences\n\n"
            "1. Smith, J. Small firm policy. Policy Press, 2015.\n\n12. World Bank Doing Business 2019\n\n"
            "13. OECD Review 2020\n\nAppendix\n\nThe appendix table lists 5 grants.\n")
    doc = parse_path(_write(tmp_path, "refs.txt", text.encode("utf-8")))
    assert [(r.ref_id, r.year) for r in doc.references] == [("1", 2015), ("2", 2019), ("3", 2020)]
    assert doc.references[1].text == "World Bank Doing Business 2019"
    assert "World Bank" not in doc.text
    assert doc.section_at(doc.text.index("appendix table")) == "Appendix"


def test_build_document_from_blocks_with_fonts_and_hyphenation():
    pages = [
        RawPage(1, [RawBlock(["A Budget Review"], font_size=20.0),
                    RawBlock(["The ministry granted funds for manu-", "facturing pilots in the"], font_size=10.0),
                    RawBlock(["7"], font_size=9.0)]),
        RawPage(2, [RawBlock(["northern region. It also set a long-", "term plan."], font_size=10.0),
                    RawBlock(["8"], font_size=9.0)]),
    ]
    doc = build_document(pages, "x", "x.pdf", "pdf")
    assert doc.title == "A Budget Review"
    body = [p for p in doc.paragraphs if p.kind == "body"]
    assert len(body) == 1
    assert body[0].text == ("The ministry granted funds for manufacturing pilots in the northern region. "
                            "It also set a long-term plan.")
    assert doc.page_at(doc.text.index("northern")) == 2
    assert doc.page_at(doc.text.index("ministry")) == 1
    assert "7" not in doc.text.split()


def test_repairs_across_line_ends():
    pages = [RawPage(1, [RawBlock(["The U.", "S. agency spent 4.", "5 billion yen on a plan."])])]
    doc = build_document(pages, "l", "l.pdf", "pdf")
    assert doc.text == "The U.S. agency spent 4.5 billion yen on a plan."


def test_running_headers_removed_when_repeated():
    pages = [RawPage(n, [RawBlock([f"Annual Report {2020} page {n}"]),
                         RawBlock([f"Body sentence number {n} ends here."]),
                         RawBlock(["The same short note."]),
                         RawBlock([f"Closing sentence of page {n} that ends the page."]),
                         RawBlock([str(n)])]) for n in range(1, 6)]
    doc = build_document(pages, "r", "r.txt", "txt")
    # removed from every page; once at the top as the paper's title (PARSE-RUNNING-TITLE)
    assert doc.text.count("Annual Report") == 1
    assert doc.paragraphs[0].text == "Annual Report 2020" and doc.paragraphs[0].kind == "heading"
    assert doc.text.count("Body sentence") == 5
    assert doc.text.count("Closing sentence of page") == 5
    assert doc.pages == 5 and [p for _, p in doc.page_starts] == [1, 2, 3, 4, 5]
    assert doc.metadata["headers_footers"] == [f"Annual Report 2020 page {n}" for n in range(1, 6)]


def test_running_header_without_page_breaks(tmp_path):
    chunk = "Economic Policy Review, Vol. 7 (2020), p. {n}\n\nThe agency spent {n} million euros on pilots.\n\n"
    text = "".join(chunk.format(n=n) for n in range(1, 5))
    doc = parse_path(_write(tmp_path, "run.txt", text.encode("utf-8")))
    assert "Economic Policy Review" not in doc.text
    assert doc.text.count("million euros") == 4
    assert doc.year == 2020


def test_labelled_and_section_run_ins(tmp_path):
    text = ("1. Introduction\n\nSome text on policy here. It goes on.\n\n"
            "Conclusion: the grants of 5 million euros worked.\n")
    doc = parse_path(_write(tmp_path, "lab.txt", text.encode("utf-8")))
    assert doc.section_at(doc.text.index("5 million")) == "Conclusion"
    assert split_run_in_headings("Abstract: The core of it.") == ["Abstract"]
    assert split_run_in_headings("Note: this is it.") == []


def test_run_in_heading_rules():
    assert split_run_in_headings("Germany Implements Industry 4.0 Strategy. Industry 4.0 is new.") == \
        ["Germany Implements Industry 4.0 Strategy"]
    assert split_run_in_headings("In March 2017, the Dutch government published a plan. It works.") == []
    assert split_run_in_headings("AGENCY: Federal Aviation Administration. ACTION: Notice.") == []
    assert split_run_in_headings("Policy Trends in Asia. Pay Attention to Training. The state pays.") == \
        ["Policy Trends in Asia", "Pay Attention to Training"]


def test_author_line_rules():
    assert parse_author_line("Dong Liang¹ and Zhongwei Zhang^{2,*}") == ["Dong Liang", "Zhongwei Zhang"]
    assert parse_author_line("J. K. Smith, Maria van der Berg") == ["J. K. Smith", "Maria van der Berg"]
    assert parse_author_line("Jiangnan University Business School") == []
    assert parse_author_line("Proposed Rules", {"proposed", "rules"}) == []
    assert parse_author_line("EXECUTIVE SUMMARY") == []


_line = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.lists(_line, min_size=1, max_size=4), max_size=5), min_size=1, max_size=4))
def test_build_document_is_consistent_on_arbitrary_blocks(raw):
    pages = [RawPage(i + 1, [RawBlock(lines) for lines in blocks]) for i, blocks in enumerate(raw)]
    doc = build_document(pages, "h", "h.txt", "txt")
    for p in doc.paragraphs:
        assert doc.text[p.start:p.end] == p.text
    assert [o for o, _ in doc.page_starts] == sorted(o for o, _ in doc.page_starts)
    assert all(1 <= pg <= len(pages) for _, pg in doc.page_starts)


def test_markdown_keeps_snake_case(tmp_path):
    path = _write(tmp_path, "s.md", b"Use the var_name_here field and _emphasis_ here.\n")
    assert _text_of(read_text_file(path)) == "Use the var_name_here field and emphasis here."


# ---------------------------------------------------------------- readers

def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _text_of(pages: list[RawPage]) -> str:
    return "\n".join(line for p in pages for b in p.blocks for line in b.lines)


def test_utf8_bom(tmp_path):
    path = _write(tmp_path, "a.txt", codecs.BOM_UTF8 + "Über 5 € Förderung.\n".encode("utf-8"))
    assert _text_of(read_text_file(path)) == "Über 5 € Förderung."


def test_utf16_with_bom(tmp_path):
    path = _write(tmp_path, "a.txt", "Budget: 3 million €.\n\nSecond block.".encode("utf-16"))
    pages = read_text_file(path)
    assert [b.lines for b in pages[0].blocks] == [["Budget: 3 million €."], ["Second block."]]


def test_cp1252_euro_sign(tmp_path):
    path = _write(tmp_path, "a.txt", b"The fund holds 20 \x80 million for na\xefve caf\xe9 owners.\n")
    assert _text_of(read_text_file(path)) == "The fund holds 20 € million for naïve café owners."


def test_binary_junk_is_refused(tmp_path):
    path = _write(tmp_path, "junk.txt", bytes(range(256)) * 40)
    with pytest.raises(ParseError, match="not text"):
        read_text_file(path)
    doc = parse_path(path)
    assert doc.status == "error" and doc.error.startswith("not text")



_PROSE = ("Japan spent 4.5 billion yen on robotics in 2015, and Germany invested "
          "EUR 5 million in caf\u00e9 research. ") * 40


def _noise(seed: int, n: int, low: int, high: int) -> bytes:
    import random
    rng = random.Random(seed)
    return bytes(rng.randint(low, high) for _ in range(n))


@pytest.mark.parametrize("name,data,reason", [
    ("notes.txt", _noise(1, 20000, 0, 255), "not text: binary content (NUL bytes)"),
    ("notes2.txt", _noise(2, 20000, 1, 255), "not text: binary content (control characters)"),
    ("high.txt", _noise(3, 20000, 128, 255), "not text: binary content (undecodable bytes)"),
    ("printable.txt", _noise(4, 20000, 33, 126), "not text: binary content (no word spacing: 0% whitespace)"),
    ("one-letter.txt", b"A" * 20000, "not text: binary content (no word spacing: 0% whitespace)"),
    ("punct.txt", bytes(b"!@#$%^&*()_+=[]{};:,.<>/? "[i % 26] for i in range(20000)),
     "not text: binary content (only 0% letters or digits)"),
    ("nul.md", b"\x00" * 5000, "not text: binary content (NUL bytes)"),
    ("heading-then-nul.md", b"# Title\n\nSome text.\n" + b"\x00" * 5000, "not text: binary content (NUL bytes)"),
    ("bom-noise.txt", codecs.BOM_UTF8 + _noise(5, 20000, 32, 255),
     "not text: binary content (control or unassigned characters)"),
    ("noise.html", b"<html><body><p>" + _noise(6, 20000, 33, 126) + b"</p></body></html>",
     "not text: binary content (no word spacing: 0% whitespace)"),
    ("gb18030.txt", ("\u4e2d\u56fd\u7684\u5de5\u4e1a\u653f\u7b56\u3002" * 300).encode("gb18030"),
     "not text: binary content (no word spacing: 0% whitespace)"),
])
def test_binary_or_noise_is_an_error_row_with_its_reason(tmp_path, name, data, reason):
    doc = parse_path(_write(tmp_path, name, data))
    assert (doc.status, doc.error, doc.title) == ("error", reason, "")


@pytest.mark.parametrize("name,data", [
    ("utf16.txt", _PROSE.encode("utf-16")),
    ("utf16be.txt", codecs.BOM_UTF16_BE + _PROSE.encode("utf-16-be")),
    ("cp1252.txt", _PROSE.replace("EUR ", "\u20ac").encode("cp1252")),
    ("cp1252.md", ("# Robot money\n\n" + _PROSE).encode("cp1252")),
    ("utf8-chinese.txt", ("\u4e2d\u56fd\u7684\u5de5\u4e1a\u653f\u7b56\u3002" * 300).encode("utf-8")),
    ("image.md", ("# Robot money\n\n![chart](data:image/png;base64," + "QUJD" * 20000 + ")\n\n" + _PROSE).encode()),
])
def test_real_text_in_any_supported_encoding_still_reads(tmp_path, name, data):
    doc = parse_path(_write(tmp_path, name, data))
    assert doc.status == "ok", doc.error
    if "chinese" not in name:
        assert "Japan spent 4.5 billion yen" in doc.text and "caf\u00e9" in doc.text

def test_empty_file(tmp_path):
    path = _write(tmp_path, "empty.txt", b"")
    with pytest.raises(ParseError, match="empty file"):
        read_text_file(path)
    blank = parse_path(_write(tmp_path, "blank.md", b" \n\n \n"))
    assert blank.status == "error" and blank.error == "empty file"


def test_markdown_headings_and_markup():
    doc = parse_path(FIXTURES / "parse_sample.md")
    assert doc.format == "md" and doc.title == "Industrial Policy Notes"
    headings = [p.text for p in doc.paragraphs if p.kind == "heading"]
    assert headings == ["Industrial Policy Notes", "Background", "Funding", "Grants"]
    assert "the 2016 strategy by the ministry" in doc.text
    for markup in ("**", "](", "```", "#", "*pilot"):
        assert markup not in doc.text
    assert doc.section_at(doc.text.index("120 million euros")) == "Funding > Grants"
    assert "The fund gives 120 million euros to pilot lines." in [p.text for p in doc.paragraphs]


def test_html_drops_script_style_nav():
    pages = read_html_file(FIXTURES / "parse_sample.html")
    raw = _text_of(pages)
    for hidden in ("999 billion", "hidden script", "color: red", "About navigation"):
        assert hidden not in raw
    doc = parse_path(FIXTURES / "parse_sample.html")
    assert doc.title == "Regional Innovation Programs"
    assert "The province invested 3.5 billion yuan in 2019 & more." in doc.text
    assert doc.section_at(doc.text.index("15%")) == "Tax measures"
    assert "A reduced rate of 15% applies to high-tech firms." in doc.text
    assert "First list item." in [p.text for p in doc.paragraphs]


def test_large_text_file_is_linear(tmp_path):
    para = ("The agency granted 4. 5 billion yen to the U. S. partner for manu-\nfacturing "
            "research in 2019, a rise of 12%.\n\n")
    path = _write(tmp_path, "big.txt", (para * 20000).encode("utf-8"))  # ~2.3 MB
    started = time.monotonic()
    doc = parse_path(path)
    elapsed = time.monotonic() - started
    assert doc.status == "ok"
    assert doc.text.count("4.5 billion yen") == 20000
    assert "manufacturing research" in doc.text
    assert elapsed < 60


# ---------------------------------------------------------------- entry points

def test_unsupported_extension(tmp_path):
    doc = parse_path(_write(tmp_path, "paper.docx", b"PK\x03\x04"))
    assert doc.status == "error"
    assert doc.error.startswith("unsupported file type: .docx (supported: ")
    assert doc.doc_id == "paper" and len(doc.sha256) == 64


def test_missing_file_is_an_error_doc(tmp_path):
    doc = parse_path(tmp_path / "nope.txt")
    assert doc.status == "error" and doc.error.startswith("cannot read file")


def test_doc_id_for():
    assert doc_id_for("/x/raw/01_icdar2013-eu-004.pdf") == "01_icdar2013-eu-004"
    assert doc_id_for("a.b.txt") == "a.b"


def test_pdf_errors_travel_as_data(tmp_path):
    doc = parse_path(_write(tmp_path, "empty.pdf", b""))
    assert doc.status == "error" and doc.error
    assert doc.format == "pdf"


# ---------------------------------------------------------------- sandbox

def _slow_parse(path, doc_id):
    time.sleep(30)
    return parse_path(path, doc_id)


def _greedy_parse(path, doc_id):
    hog = bytearray(4 * 1024 ** 3)  # 4 GB, far over the cap
    return hog


def _hanging_parse(path, doc_id):
    while True:  # a reader stuck in a loop: busy, never returns
        pass


def _growing_parse(path, doc_id):
    hog = []
    while True:  # a reader that keeps allocating 16 MB at a time
        hog.append(bytearray(16 * 1024 ** 2))


def _crashing_parse(path, doc_id):
    os._exit(7)


def test_sandbox_round_trip():
    doc = parse_in_child(FIXTURES / "parse_pages.txt", "pages", timeout_s=60, memory_mb=1024)
    direct = parse_path(FIXTURES / "parse_pages.txt", "pages")
    assert doc == direct


def test_sandbox_timeout():
    started = time.monotonic()
    doc = parse_in_child(FIXTURES / "parse_pages.txt", "pages", timeout_s=1, target=_slow_parse)
    assert time.monotonic() - started < 10
    assert doc.status == "error" and doc.error == "timed out: exceeded 1 s while parsing (TIMEOUT)"
    assert doc.doc_id == "pages" and doc.format == "txt"


def test_sandbox_timeout_of_a_busy_loop_names_the_limit():
    started = time.monotonic()
    doc = parse_in_child(FIXTURES / "parse_pages.txt", "pages", timeout_s=1.5, target=_hanging_parse)
    assert 1.5 <= time.monotonic() - started < 10
    assert doc.error == "timed out: exceeded 1.5 s while parsing (TIMEOUT)"


def test_sandbox_memory_limit():
    doc = parse_in_child(FIXTURES / "parse_pages.txt", "pages", timeout_s=60, memory_mb=256,
                         target=_greedy_parse)
    assert doc.status == "error"
    assert doc.error == "out of memory: exceeded 256 MB while parsing (MEMORY_MB)"


def test_sandbox_memory_cap_of_a_growing_parser_names_the_limit():
    doc = parse_in_child(FIXTURES / "parse_pages.txt", "pages", timeout_s=60, memory_mb=128,
                         target=_growing_parse)
    assert (doc.status, doc.error) == ("error", "out of memory: exceeded 128 MB while parsing (MEMORY_MB)")


def _unsendable_parse(path, doc_id):
    doc = parse_path(path, doc_id)
    doc.title = "broken \udcbc font"  # a lone surrogate: not UTF-8
    return doc


def test_sandbox_names_a_record_it_cannot_send():
    doc = parse_in_child(FIXTURES / "parse_pages.txt", "pages", timeout_s=60, target=_unsendable_parse)
    assert doc.status == "error"
    assert doc.error.startswith("parser crashed: UnicodeEncodeError: 'utf-8' codec can't encode character "
                                "'\\udcbc' in position ")
    assert doc.error.endswith(": surrogates not allowed")


def test_sandbox_crash():
    doc = parse_in_child(FIXTURES / "parse_pages.txt", "pages", timeout_s=60, target=_crashing_parse)
    assert doc.status == "error" and doc.error == "parser crashed: exit code 7"


def test_cli_writes_json(tmp_path, capsys):
    out = tmp_path / "out" / "pages.json"
    assert cli_main([str(FIXTURES / "parse_pages.txt"), str(out), "--timeout", "60"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    doc = parsed_from_dict(data)
    assert doc.doc_id == "parse_pages" and doc.status == "ok" and doc.pages == 3
    assert doc.page_starts[1][1] == 2


# ---------------------------------------------------------------- second pass: run-ins, bylines, joins, headings

def _csv_cases(name: str) -> list[dict[str, str]]:
    import csv
    with open(FIXTURES / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


@pytest.mark.parametrize("case", _csv_cases("parse_run_in_cases.csv"), ids=lambda c: c["text"][:30])
def test_run_in_headings_table(case: dict[str, str]) -> None:
    expected = [h.strip() for h in case["expected"].split(" | ") if h.strip()]
    assert split_run_in_headings(case["text"], bold_lead=int(case["bold_lead"])) == expected


@pytest.mark.parametrize("case", _csv_cases("parse_byline_cases.csv"), ids=lambda c: c["line"][:30])
def test_byline_table(case: dict[str, str]) -> None:
    from pipeline.parse.structure import parse_byline
    expected = [h.strip() for h in case["expected"].split(" | ") if h.strip()]
    assert parse_byline(case["line"], {"proposed", "rules", "end", "year"}) == expected


def _pdf_block(lines: list[str], size: float = 10.0, bold: bool = False, bold_chars: list[int] | None = None) -> RawBlock:
    return RawBlock(lines=lines, font_size=size, bold=bold, line_bold_chars=bold_chars or [])


def test_sentence_case_run_in_heading_is_a_section() -> None:
    pages = [RawPage(1, [
        _pdf_block(["Policy Support"], size=14.0, bold=True),
        _pdf_block(["Emphasis on cooperation and integration. Cooperation between firms and universities",
                    "is a lasting guarantee of innovation in the manufacturing industry."]),
        _pdf_block(["This is important. The government has decided to fund the programme for five years."]),
    ])]
    doc = build_document(pages, "s", "s.pdf", "pdf")
    body = [p for p in doc.paragraphs if p.kind == "body"]
    assert body[0].section.endswith("Emphasis on cooperation and integration")
    assert body[1].section == body[0].section  # "This is important." opens no section


def test_bold_run_in_head_wrapped_over_lines_is_a_section() -> None:
    lines = ["Foreign housing credit (FHC)", "ceiling amount raised. The", "FHC ceiling amount has risen",
             "to a higher figure for most filers this year."]
    pages = [RawPage(1, [_pdf_block(["General Instructions"], size=14.0, bold=True),
                         _pdf_block(lines, bold_chars=[len(lines[0]), 22, 0, 0])])]
    doc = build_document(pages, "b", "b.pdf", "pdf")
    body = next(p for p in doc.paragraphs if p.kind == "body")
    assert body.section.endswith("Foreign housing credit (FHC) ceiling amount raised")


def test_byline_after_deck_goes_to_authors_with_its_note() -> None:
    pages = [RawPage(1, [
        _pdf_block(["Industry output projections to 2030"], size=24.0, bold=True),
        _pdf_block(["Services will account for almost half of the projected job growth over the decade,",
                    "while manufacturing declines"], size=14.0),
        _pdf_block(["Jane Roe"], size=9.0),
        _pdf_block(["Jane Roe is an economist in the Office of Employment Projections. Email: roe.jane@example.gov."],
                   size=8.0),
        _pdf_block(["The projections assume that the economy is at or near full employment in the final year."]),
        _pdf_block(["Real output is projected to grow by 2.9 percent per year over the period."]),
    ])]
    doc = build_document(pages, "a", "a.pdf", "pdf")
    assert doc.authors == "Jane Roe"
    assert "Jane Roe" not in doc.text
    assert doc.metadata["author_notes"][0].startswith("Jane Roe is an economist")


def test_bare_name_line_without_confirmation_stays_in_body() -> None:
    pages = [RawPage(1, [
        _pdf_block(["Regional programmes in review"], size=24.0, bold=True),
        _pdf_block(["A short deck that introduces the review of regional programmes in several countries"], size=14.0),
        _pdf_block(["Northern Star"], size=9.0),
        _pdf_block(["The programme funds regional clusters with grants to small firms in the north."]),
    ])]
    doc = build_document(pages, "n", "n.pdf", "pdf")
    assert doc.authors == ""
    assert "Northern Star" in doc.text


def test_split_number_and_abbreviation_across_page_break_are_joined() -> None:
    pages = [RawPage(1, [_pdf_block(["The ministry spent 3."])]),
             RawPage(2, [_pdf_block(["5 billion yen over the year, with the U."])]),
             RawPage(3, [_pdf_block(["S. agency adding 12."]), ]),
             RawPage(4, [_pdf_block(["5 percent more."])])]
    doc = build_document(pages, "j", "j.pdf", "pdf")
    assert doc.text == "The ministry spent 3.5 billion yen over the year, with the U.S. agency adding 12.5 percent more."
    assert [doc.page_at(doc.text.index(w)) for w in ("spent", "billion", "agency", "percent")] == [1, 2, 3, 4]


def test_sentence_end_then_number_is_not_joined() -> None:
    pages = [RawPage(1, [_pdf_block(["Sales fell in 2011."])]), RawPage(2, [_pdf_block(["5 firms closed."])])]
    doc = build_document(pages, "k", "k.pdf", "pdf")
    assert "2011.\n\n5 firms" in doc.text


def test_sentence_broken_by_footnotes_is_joined_and_notes_follow() -> None:
    pages = [RawPage(1, [
        _pdf_block(["These effects include stall warning activation, airspeed disagree alert, and"], size=9.0),
        _pdf_block(["1 Preliminary investigation report, dated November 2018."], size=7.0),
        _pdf_block(["2 The flight control system includes two computers."], size=7.0),
        _pdf_block(["altitude disagree alert, and may affect the crew."], size=9.0),
        _pdf_block(["Monthly Review • January 2012 65"], size=8.0),
    ]), RawPage(2, [_pdf_block(["The next page starts a new paragraph."], size=9.0)])]
    doc = build_document(pages, "f", "f.pdf", "pdf")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == ("These effects include stall warning activation, airspeed disagree alert, and "
                        "altitude disagree alert, and may affect the crew.")
    assert texts[1].startswith("1 Preliminary") and texts[2].startswith("2 The flight")
    assert not any("alert, and Monthly" in t or t.endswith("crew. Monthly Review • January 2012 65") for t in texts)


def test_footer_in_smaller_font_is_not_glued_to_a_hyphenated_line() -> None:
    pages = [RawPage(1, [_pdf_block(["This gain in sales is quicker than the yearly pace of loss expe-"], size=11.0),
                         _pdf_block(["Monthly Labor Review • January 2012 65"], size=8.0)])]
    doc = build_document(pages, "h", "h.pdf", "pdf")
    assert [p.text for p in doc.paragraphs][-1] == "Monthly Labor Review • January 2012 65"


@pytest.mark.parametrize("lines, next_kind, is_heading", [
    (["Fused oxide Silicon carbide 2009 2010"], "table", False),   # a table's column heads
    (["Country of origin Sales"], "table", False),
    (["Market Size of Retail Outlets"], "text", True),               # a bold line before its text
])
def test_bold_line_above_a_table_is_not_a_heading(lines, next_kind, is_heading) -> None:
    follower = RawBlock(lines=["Austria 79 14", "Belgium 57 1"], font_size=10.0, kind="table") if next_kind == "table" \
        else _pdf_block(["Retail outlets grew in number in most member states over the decade."])
    pages = [RawPage(1, [_pdf_block(["Opening text of the chapter that runs on for a while here."]),
                         _pdf_block(lines, bold=True), follower])]
    doc = build_document(pages, "t", "t.pdf", "pdf")
    para = next(p for p in doc.paragraphs if p.text == lines[0])
    assert (para.kind == "heading") is is_heading


def test_weak_heading_that_ends_a_page_is_body() -> None:
    pages = [RawPage(1, [_pdf_block(["Body text of the first page that ends with a full stop."]),
                         _pdf_block(["Geological Survey, Commodity Summaries, January 2011"], bold=True)]),
             RawPage(2, [_pdf_block(["Body text of the second page that ends with a full stop."])])]
    doc = build_document(pages, "w", "w.pdf", "pdf")
    footer = next(p for p in doc.paragraphs if p.text.startswith("Geological Survey"))
    assert footer.kind == "body"


@pytest.mark.parametrize("line, is_heading", [
    ("4.2.3 Yards must send the list of boats repaired along with their", False),   # PARSE-HEADING-OPEN-END
    ("4.2.3 The harbour office will review the claims of", False),
    ("4.2.3 Reimbursement of Harbour Dues", True),
])
def test_numbered_line_ending_in_a_small_word_is_a_broken_sentence(line, is_heading) -> None:
    pages = [RawPage(1, [_pdf_block(["Body text of the first page that ends with a full stop."]),
                         _pdf_block([line])]),
             RawPage(2, [_pdf_block(["invoices of the last year, within thirty days of the claim."])])]
    doc = build_document(pages, "o", "o.pdf", "pdf")
    para = next(p for p in doc.paragraphs if p.text.startswith("4.2.3"))
    assert (para.kind == "heading") is is_heading


def test_pdf_font_headings_get_levels_by_number_and_size() -> None:
    pages = [RawPage(1, [_pdf_block(["Annual review of programmes"], size=20.0, bold=True),
                         _pdf_block(["Introductory text that explains the review and its scope in detail."]),
                         _pdf_block(["2 Funding"], size=14.0, bold=True),
                         _pdf_block(["Text about funding that explains the grants given to firms."]),
                         _pdf_block(["2.1 Grants to small firms"], size=12.0, bold=True),
                         _pdf_block(["Text about grants that are given to small firms in regions."]),
                         _pdf_block(["Regional programmes"], size=12.0, bold=True),
                         _pdf_block(["Text about regional programmes that are funded by the state."])])]
    doc = build_document(pages, "l", "l.pdf", "pdf")
    sections = [p.section for p in doc.paragraphs if p.kind == "body"]
    assert sections[1] == "2 Funding"
    assert sections[2] == "2 Funding > 2.1 Grants to small firms"
    assert sections[3] == "2 Funding > 2.1 Grants to small firms > Regional programmes" or \
        sections[3] == "2 Funding > Regional programmes"


@pytest.mark.parametrize("first, second", [
    ("-10- Instructions for Form 1040NR", "- 9 - Instructions for Form 1040NR"),
    ("Instructions for Form 1040NR -11-", "Instructions for Form 1040NR - 13 -"),
])
def test_running_footer_key_ignores_number_punctuation(first: str, second: str) -> None:
    from pipeline.parse.structure.cues import norm_key
    assert norm_key(first) == norm_key(second)
    assert norm_key("Body ends here.") != norm_key("Body ends here")


# ---------------------------------------------------------------- captions and tables inside a sentence

_BODY = 11.0
_CELL = 9.5


def _table_between(cell_size: float | None) -> list[RawBlock]:
    """A bold caption (label line + title line), a bold column-head row and cell blocks."""
    caption = ["Table 4.2", "Examples of Projects Supporting Regional Research"]
    cells = [["Project Agency"], ["Coastal water quality monitoring Ministry"],
             ["Soil and ethical research in", "agrifood innovation (PILOT)"],
             ["Regional databases and timelines Agency"], ["nanoscale sensors for rivers (SGER)"]]
    return [_pdf_block(caption, size=12.0, bold=True, bold_chars=[len(c) for c in caption])] + \
        [RawBlock(lines=c, font_size=cell_size, bold=i == 0, line_bold_chars=[len(c[0]) if i == 0 else 0] * len(c))
         for i, c in enumerate(cells)]


@pytest.mark.parametrize("cell_size", [_CELL, None], ids=["cells-in-smaller-font", "cells-font-unknown"])
def test_sentence_continues_after_table_and_caption(cell_size) -> None:
    first = ["Examples of funded projects are given in Table 4.2. The agency has had annual programme",
             "announcements in the research programme with focus on water and"]
    pages = [RawPage(1, [_pdf_block(["Opening text of the chapter that runs on for a while and ends here."], size=_BODY),
                         _pdf_block(first, size=_BODY)] + _table_between(cell_size)),
             RawPage(2, [_pdf_block(["Regional Research Report 29"], size=10.0),
                         _pdf_block(["the environment since 2009; in 2011, 31 awards were given and, in 2012, about 14.",
                                     "The ministry has included the topic in its laboratories."], size=_BODY),
                         _pdf_block(["A new paragraph starts here and ends with a full stop."], size=_BODY)])]
    doc = build_document(pages, "c", "c.pdf", "pdf")
    texts = [p.text for p in doc.paragraphs]
    joined = next(t for t in texts if "with focus on water and" in t)
    assert "with focus on water and the environment since 2009; in 2011, 31 awards were given" in joined
    assert "Table 4.2 Examples" not in joined and "Project Agency" not in joined
    # the caption and the cells stay, after the joined paragraph; the next paragraph stays apart
    after = texts[texts.index(joined) + 1:]
    assert after[0] == "Table 4.2 Examples of Projects Supporting Regional Research"
    assert "Project Agency" in after and any("nanoscale sensors for rivers (SGER)" in t for t in after)
    assert texts[-1] == "A new paragraph starts here and ends with a full stop."
    # the joined paragraph knows where page 2 starts
    assert doc.page_at(doc.text.index("the environment since")) == 2


def test_lower_case_table_cell_does_not_continue_a_sentence() -> None:
    pages = [RawPage(1, [_pdf_block(["The agency has had annual announcements with focus on water and"]),
                         _pdf_block(["Table 3"], bold=True, bold_chars=[7]),
                         RawBlock(lines=["Project Agency"]), RawBlock(lines=["nanoscale sensors for rivers"])])]
    doc = build_document(pages, "d", "d.pdf", "pdf")
    assert [p.text for p in doc.paragraphs][0] == "The agency has had annual announcements with focus on water and"


def test_caption_line_splits_from_paragraph() -> None:
    # bold caption lines at the end of a body block that is not bold
    body = ["Examples of funded projects are given below. The agency has had annual programme",
            "announcements in the research programme with focus on water and"]
    caption = ["Table 2.3", "Examples of Projects Supporting Regional Research"]
    block = _pdf_block(body + caption, bold_chars=[0, 0] + [len(c) for c in caption])
    doc = build_document([RawPage(1, [block])], "s", "s.pdf", "pdf")
    assert [p.text for p in doc.paragraphs] == [" ".join(body), " ".join(caption)]
    # no bold known: a bare label line under a finished sentence, its title below it
    lines = ["The results for all regions are summarised in the table that follows this text.",
             "Figure 4", "Share of firms by region and year"]
    doc = build_document([RawPage(1, [RawBlock(lines=lines)])], "t", "t.txt", "txt")
    assert [p.text for p in doc.paragraphs] == [lines[0], "Figure 4 Share of firms by region and year"]
    # "Figure 4: Title" on its own short line after a sentence
    lines = ["The results for all regions are summarised in the figure that follows this text.",
             "Figure 4: Share of firms by region"]
    doc = build_document([RawPage(1, [RawBlock(lines=lines)])], "u", "u.txt", "txt")
    assert [p.text for p in doc.paragraphs] == lines


@pytest.mark.parametrize("lines", [
    ["Examples of projects supporting regional research are given in",
     "Table 2.3. The agency has had annual programme announcements since 2002 in the",
     "research programme with focus on water."],
    ["The results for all regions are summarised in the table below, see",
     "Table 2.3", "and the annex for the regional details of the programme."],
    ["The results for all regions are summarised in the table below, see",
     "Table 2.3: it shows the regional details of the programme."],
])
def test_in_sentence_table_reference_stays(lines) -> None:
    doc = build_document([RawPage(1, [_pdf_block(lines, bold_chars=[0] * len(lines))])], "r", "r.pdf", "pdf")
    assert [p.text for p in doc.paragraphs] == [" ".join(lines)]


def test_in_sentence_table_reference_across_a_page_break_stays() -> None:
    pages = [RawPage(1, [_pdf_block(["Examples of projects supporting regional research are given in"])]),
             RawPage(2, [_pdf_block(["Table 2.3. The agency has had annual programme announcements since 2002."])])]
    doc = build_document(pages, "p", "p.pdf", "pdf")
    assert doc.text == ("Examples of projects supporting regional research are given in "
                        "Table 2.3. The agency has had annual programme announcements since 2002.")


# ---------------------------------------------------------------- second pass: real PDFs end to end

REAL_PDFS = Path(os.environ.get("POLICYX_SHARED", Path(__file__).resolve().parents[2] / "shared")) / "papers" / "pdf"
BLS_PDF = "08_tabula-labor_bls-employment-projections-2020.pdf"
FR_PDF = "06_pdfplumber_federal-register-2020-17221.pdf"


@pytest.fixture(scope="module")
def real_docs():
    if not (REAL_PDFS / BLS_PDF).exists():
        pytest.skip("shared PDFs not available")
    return {name: parse_path(REAL_PDFS / name) for name in (BLS_PDF, FR_PDF)}


def test_bls_byline_footnotes_and_footer(real_docs) -> None:
    doc = real_docs[BLS_PDF]
    assert doc.authors == "Richard Henderson"
    assert not any(p.text == "Richard Henderson" or p.text.startswith("Richard Henderson is")
                   for p in doc.paragraphs)
    assert "began in December 2007. The characteristics" in doc.text
    assert "(in chain-weighted 2005 dollars), an annual" in doc.text or "2005 dollars), an annual" in doc.text
    assert "expe-Monthly" not in doc.text and "expeMonthly" not in doc.text


def test_federal_register_sentences_joined_across_footnotes(real_docs) -> None:
    doc = real_docs[FR_PDF]
    joined = ("These effects include stall warning activation, airspeed disagree alert, and "
              "altitude disagree alert, and may affect the flightcrew’s ability")
    assert joined in doc.text
    assert "and 1 Preliminary" not in doc.text and "and 1Preliminary" not in doc.text
    assert "Reports from the accident investigation indicate" in doc.text
    # the running stamp on figure pages is a running line, not body text
    assert "VerDate" not in doc.text


def test_html_site_banner_is_dropped_and_table_rows_keep_their_labels():
    from pipeline.parse.html import html_to_pages
    html = ("<html><head><title>Press office</title></head><body>"
            "<header><div>gov.example</div><nav>Home | News</nav></header>"
            "<main><article><header><h1>Chile launches a lithium plan</h1></header>"
            "<p>The plan is funded by the state.</p>"
            "<table><tr><th>Line</th><th>Amount</th></tr>"
            "<tr><td>Refining <b>hub</b></td><td><p>US$ 1.2 billion</p></td></tr></table>"
            "<p>After the table.</p></article></main><footer>Contact</footer></body></html>")
    blocks = html_to_pages(html)[0].blocks
    assert [(b.kind, b.lines) for b in blocks] == [
        ("heading", ["# Chile launches a lithium plan"]),
        ("text", ["The plan is funded by the state."]),
        ("table", ["Line | Amount", "Refining hub | US$ 1.2 billion"]),
        ("text", ["After the table."]),
    ]


NNI_PDF = "05_tabula-us-017_nni-nanotechnology-report.pdf"


def test_nni_sentence_broken_by_table_and_caption_is_one() -> None:
    path = next((d / NNI_PDF for d in (REAL_PDFS, Path(__file__).resolve().parents[1] / "raw")
                 if (d / NNI_PDF).exists()), None)
    if path is None:
        pytest.skip("NNI report PDF not available")
    doc = parse_path(path)
    para = next(p for p in doc.paragraphs if "nanotechnology and the environment since 2002" in p.text)
    assert "with focus on nanotechnology and the environment since 2002; in FY 2003, 22 awards were made" in para.text
    assert "Examples of NNI Projects" not in para.text and "Table 2.3 Examples" not in para.text
    assert "are given in Table 2.3. EPA has had annual program announcements" in para.text
    assert any(p.text.startswith("Table 2.3 Examples of NNI Projects") for p in doc.paragraphs)


def test_markdown_heading_without_the_space_after_the_hashes(tmp_path):
    # "##Title" as converted web pages write it is a heading; a lone "#5" or "#tag" stays text
    p = tmp_path / "h.md"
    p.write_text("###Export Credit Policies\n\nThe premium is 2%.\n\n#5 is a hashtag, #tag too\n\n"
                 "##Loan Terms\n\nLoans run ten years.\n", encoding="utf-8")
    doc = parse_path(p)
    assert doc.title == "Export Credit Policies"
    assert [(q.kind, q.text) for q in doc.paragraphs] == [
        ("heading", "Export Credit Policies"), ("body", "The premium is 2%."),
        ("body", "#5 is a hashtag, #tag too"), ("heading", "Loan Terms"), ("body", "Loans run ten years.")]


def test_a_title_broken_over_two_lines_is_joined():
    from pipeline.parse.structure.builder import continued_title
    from pipeline.parse.structure.paragraphs import Para
    # a line that cannot end a title runs on
    paras = [Para("Notice on the Release of the", 1, "heading"), Para("Harbour Robotics Plan", 1, "heading"),
             Para("The plan sets out ten tasks for the years ahead.", 1)]
    assert continued_title("Notice on the Release of the", paras) == "Notice on the Release of the Harbour Robotics Plan"
    # two lines in the same title type, page 1
    paras = [Para("Notice on the Release of the Next", 1, "heading", font_size=18.0),
             Para("Generation Harbour Robotics Plan", 1, "heading", font_size=18.0)]
    assert continued_title("Notice on the Release of the Next", paras).endswith("Next Generation Harbour Robotics Plan")
    # a subtitle in smaller type, a sentence, or the next page: not the title
    paras = [Para("Harbour Robotics Plan", 1, "heading", font_size=18.0),
             Para("A Review for the Ministry", 1, "heading", font_size=12.0)]
    assert continued_title("Harbour Robotics Plan", paras) == "Harbour Robotics Plan"
    paras = [Para("Plans for the", 1, "heading"), Para("The ministry will act.", 1)]
    assert continued_title("Plans for the", paras) == "Plans for the"


def test_page_marker_lines_split_pages(tmp_path):
    # PARSE-TEXT-PAGE-MARKER: "-- N of M --" lines of a PDF-to-text converter are page breaks,
    # so the running header repeated under each of them is dropped and pages are kept
    body = "\n".join(f"Harbour Review {n}\nThe ferry board met on day {n} and approved the berth plan.\n-- {n} of 4 --\n"
                     for n in range(1, 5))
    path = tmp_path / "ferry.txt"
    path.write_text(body, encoding="utf-8")
    pages = read_text_file(path)
    assert len(pages) == 4
    doc = build_document(pages, "f", "ferry.txt", "txt")
    assert "-- 2 of 4 --" not in doc.text
    assert doc.text.count("Harbour Review") == 1 and doc.paragraphs[0].text == "Harbour Review"  # PARSE-RUNNING-TITLE
    assert doc.text.count("approved the berth plan") == 4


def test_one_stray_page_marker_is_text(tmp_path):
    # PARSE-TEXT-PAGE-MARKER: a single "-- N of M --" line is no page sequence
    path = tmp_path / "one.txt"
    path.write_text("Scores ran -- 2 of 9 -- in the cup.\n-- 2 of 9 --\nThe end.\n", encoding="utf-8")
    assert len(read_text_file(path)) == 1
