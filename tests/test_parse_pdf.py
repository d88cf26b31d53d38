"""The PDF reader (pipeline/parse/pdf/): reading order, blocks, hostile files.

Cases live in fixtures/pdf_reader_cases.yaml. Each real PDF is parsed once per
module (only the pages the cases need), so the file runs in seconds.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from pipeline.parse.blocks import ParseError, RawPage
from pipeline.parse.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYX_SHARED", ROOT.parent / "shared"))
CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "pdf_reader_cases.yaml").read_text(encoding="utf-8-sig"))
PDF_DIR = SHARED / CASES["pdf_dir"]
BAD_DIR = SHARED / CASES["bad_dir"]
FR = "06_pdfplumber_federal-register-2020-17221.pdf"
IRS = "07_pdfminer_irs-i1040nr-2007-instructions.pdf"
BLS = "08_tabula-labor_bls-employment-projections-2020.pdf"
USGS = "04_icdar2013-us-026_usgs-mcs-abrasives-manufactured.pdf"

_TOKEN = re.compile(r"[a-z0-9]+")


def _pages_needed() -> dict[str, set[int]]:
    needed: dict[str, set[int]] = {}
    for case in CASES["wrapped_sentences"]:
        needed.setdefault(case["file"], set()).update(case["pages"])
    for name, pages in CASES["recall_pages"].items():
        needed.setdefault(name, set()).update(pages)
    return needed


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[RawPage]]:
    if not PDF_DIR.is_dir():
        pytest.skip(f"shared PDFs not found at {PDF_DIR}")
    return {name: read_pdf(PDF_DIR / name, pages=sorted(pages)) for name, pages in _pages_needed().items()}


def _page(parsed: dict[str, list[RawPage]], name: str, number: int) -> RawPage:
    return next(page for page in parsed[name] if page.number == number)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines the way the structure builder will: de-hyphenate word breaks only."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith("-") and len(text) > 1 and text[-2].islower() and line[:1].islower():
            text = text[:-1] + line            # "under-" + "stood"
        elif text.endswith("-") and len(text) > 1 and text[-2].isalnum():
            text = text + line                 # "FAA-" + "approved" keeps its hyphen
        else:
            text = text + " " + line
    return text


def _joined_text(pages: list[RawPage]) -> str:
    return "\n".join(join_lines(block.lines) for page in pages for block in page.blocks)


# ----------------------------------------------------------------- reading order


def test_join_lines_helper() -> None:
    assert join_lines(["usually under-", "stood only"]) == "usually understood only"
    assert join_lines(["an existing FAA-", "approved MEL"]) == "an existing FAA-approved MEL"
    assert join_lines(["AD 2018–", "23–51"]) == "AD 2018– 23–51"


@pytest.mark.parametrize(
    "name,pages,sentence",
    [(c["file"], c["pages"], s) for c in CASES["wrapped_sentences"] for s in c["sentences"]],
    ids=lambda value: value[:40] if isinstance(value, str) else None,
)
def test_wrapped_sentence_is_whole(parsed, name: str, pages: list[int], sentence: str) -> None:
    text = _joined_text([page for page in parsed[name] if page.number in pages])
    assert sentence in text


def test_each_fixture_sentence_wraps_in_the_output(parsed) -> None:
    """The sentences really span lines (else the test above would prove nothing about columns)."""
    for case in CASES["wrapped_sentences"]:
        lines = [line for page in parsed[case["file"]] for block in page.blocks for line in block.lines]
        for sentence in case["sentences"]:
            assert not any(sentence in line for line in lines), sentence


@pytest.mark.parametrize("name", sorted(CASES["recall_pages"]))
def test_word_recall_against_pypdfium2(parsed, name: str) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(PDF_DIR / name))
    try:
        reference_text = " ".join(
            # U+FFFE is pdfium's mark for a hyphen it joined across a line break.
            document[number - 1].get_textpage().get_text_range().replace("\ufffe", "")
            for number in CASES["recall_pages"][name]
        )
    finally:
        document.close()
    ours = _joined_text([p for p in parsed[name] if p.number in CASES["recall_pages"][name]])
    reference = Counter(_TOKEN.findall(reference_text.lower()))
    found = Counter(_TOKEN.findall(ours.lower()))
    recall = sum((reference & found).values()) / sum(reference.values())
    assert recall >= CASES["min_recall"], (recall, (reference - found).most_common(10))


def test_three_columns_read_column_by_column(parsed) -> None:
    page = _page(parsed, FR, 2)
    assert {block.column for block in page.blocks} >= {1, 2, 3}
    text = _joined_text([page])
    # The first words at the top of columns 1, 2 and 3.
    tops = [text.index("Hatta International Airport"), text.index("altitude disagree alert, and may"),
            text.index("and the Ethiopian Civil Aviation")]
    assert tops == sorted(tops)
    # Column 1 ends (its footnotes) before column 2 starts.
    assert text.index("providing tactile annunciation to the pilot.") < tops[1]


def test_column_blocks_stay_inside_their_column(parsed) -> None:
    page = _page(parsed, FR, 2)
    by_column: dict[int, list[tuple[float, float, float, float]]] = {}
    for block in page.blocks:
        if block.column and block.bbox:
            by_column.setdefault(block.column, []).append(block.bbox)
    right_of = {col: max(b[2] for b in boxes) for col, boxes in by_column.items()}
    left_of = {col: min(b[0] for b in boxes) for col, boxes in by_column.items()}
    assert right_of[1] < left_of[2] and right_of[2] < left_of[3]


def test_table_rows_are_not_split_into_columns(parsed) -> None:
    page = _page(parsed, USGS, 1)
    lines = [line for block in page.blocks for line in block.lines]
    assert "China 700,000 700,000 455,000 455,000" in lines
    table = next(block for block in page.blocks if "China 700,000 700,000 455,000 455,000" in block.lines)
    assert table.kind == "table"


def test_table_beside_text_column_keeps_the_column(parsed) -> None:
    # IRS page 7: a table sits in columns 2-3 beside column 1 text.
    page = _page(parsed, IRS, 7)
    text = _joined_text([page])
    assert "2001 116,000 580,000" in text
    assert "you did not waive treaty benefits." in text


# ------------------------------------------------------------------------ blocks


def test_page_edges_are_their_own_blocks(parsed) -> None:
    page = _page(parsed, FR, 2)
    assert page.blocks[0].lines == ["Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules 47699"]
    footer = [block for block in page.blocks if any(line.startswith("VerDate") for line in block.lines)]
    assert len(footer) == 1 and len(footer[0].lines) == 1


def test_layout_hints(parsed) -> None:
    page = _page(parsed, FR, 1)
    assert (page.width, page.height) == (612.0, 792.0)
    title = next(block for block in page.blocks if block.lines == ["Proposed Rules"])
    assert title.font_size == 18.0 and title.bold
    heading = next(block for block in page.blocks if block.lines == ["Examining the AD Docket"])
    assert heading.bold and heading.font_size == 9.0 and heading.column == 2
    body = next(block for block in page.blocks if block.lines[0].startswith("You may examine the AD docket"))
    assert not body.bold and body.font_size == 9.0 and body.kind == "text"
    x0, top, x1, bottom = body.bbox
    assert 200 < x0 < x1 < 400 and 0 < top < bottom < page.height


def test_blocks_split_at_paragraph_indent_and_gaps(parsed) -> None:
    page = _page(parsed, FR, 3)
    starts = [block.lines[0] for block in page.blocks]
    assert "To ensure that an erroneous signal" in starts       # first-line indent
    assert "Proposed Design Changes" in starts                  # bold heading after a gap


def test_run_in_bold_heading_stays_with_its_paragraph(parsed) -> None:
    page = _page(parsed, IRS, 1)
    block = next(block for block in page.blocks if block.lines[0].startswith("Tax benefits extended."))
    assert len(block.lines) > 1 and block.lines[1].startswith("tax benefits were extended")


def test_line_end_hyphen_is_kept(parsed) -> None:
    lines = [line for block in _page(parsed, BLS, 1).blocks for line in block.lines]
    index = lines.index("impacts of a recession are usually under-")
    assert lines[index + 1].startswith("stood only in retrospect.")


def test_drop_cap_joins_its_word(parsed) -> None:
    lines = [line for block in _page(parsed, BLS, 1).blocks for line in block.lines]
    assert "This release of the Bureau of Labor" in lines


def test_pages_argument_reads_only_those_pages() -> None:
    if not PDF_DIR.is_dir():
        pytest.skip("shared PDFs not available")
    pages = read_pdf(PDF_DIR / IRS, pages=[2, 99])
    assert [page.number for page in pages] == [2]


def test_rotated_text_reads_horizontally() -> None:
    path = BAD_DIR / "04_pdfminer_zen_of_python_corrupted.pdf"
    if not path.is_file():
        pytest.skip("pdf_bad not available")
    lines = [line for page in read_pdf(path) for block in page.blocks for line in block.lines]
    assert "Beautiful is better than ugly." in lines
    assert "Explicit is better than implicit." in lines


# ---------------------------------------------------------------------- hostile


@pytest.mark.parametrize(
    "case", CASES["hostile"], ids=lambda c: f"{c['file'][:2]}-{c.get('password') or 'nopw'}")
def test_hostile_pdf_reason(case: dict) -> None:
    path = BAD_DIR / case["file"]
    if not path.exists():
        pytest.skip("pdf_bad not available")
    if case["expect"] == "ok":
        pages = read_pdf(path, password=case.get("password"))
        text = "\n".join(line for page in pages for block in page.blocks for line in block.lines)
        assert case["contains"] in text
        return
    with pytest.raises(ParseError) as caught:
        read_pdf(path, password=case.get("password"))
    message = str(caught.value)
    assert message.startswith(case["expect"])
    assert "\n" not in message and len(message) < 200


def test_not_a_pdf_and_damaged(tmp_path: Path) -> None:
    not_pdf = tmp_path / "letter.pdf"
    not_pdf.write_text("Dear reader, this is plain text.", encoding="utf-8")
    with pytest.raises(ParseError, match=r"^not a PDF: no %PDF header$"):
        read_pdf(not_pdf)
    if PDF_DIR.is_dir():
        data = (PDF_DIR / "03_icdar2013-eu-008_eib-jaspers-evaluation.pdf").read_bytes()
        truncated = tmp_path / "truncated.pdf"
        truncated.write_bytes(data[: len(data) // 2])
        with pytest.raises(ParseError, match=r"^damaged PDF: "):
            read_pdf(truncated)
    with pytest.raises(ParseError, match=r"^unreadable file: "):
        read_pdf(tmp_path / "missing.pdf")


# ------------------------------------------------------------ second pass: notes, bold, small caps


@pytest.fixture(scope="module")
def marker_pages() -> dict[tuple[str, int], RawPage]:
    if not PDF_DIR.is_dir():
        pytest.skip(f"shared PDFs not found at {PDF_DIR}")
    wanted: dict[str, set[int]] = {}
    for case in CASES["footnote_markers"] + CASES["bold_run_ins"]:
        wanted.setdefault(case["file"], set()).add(case["page"])
    wanted.setdefault(FR, set()).add(1)
    return {(name, page.number): page for name, pages in wanted.items()
            for page in read_pdf(PDF_DIR / name, pages=sorted(pages))}


@pytest.mark.parametrize("case", CASES["footnote_markers"], ids=lambda c: f"{c['file'][:2]}-p{c['page']}")
def test_superscript_footnote_markers(marker_pages, case: dict) -> None:
    page = marker_pages[(case["file"], case["page"])]
    text = " ".join(line for block in page.blocks for line in block.lines)
    for phrase in case["present"]:
        assert phrase in text, phrase
    for glued in case["absent"]:
        assert glued not in text, glued


def test_footnotes_are_blocks_of_their_own(marker_pages) -> None:
    page = marker_pages[(FR, 2)]
    notes = [block for block in page.blocks if block.lines[0].startswith(("1 Preliminary", "2 The flight"))]
    assert len(notes) == 2
    body = next(block for block in page.blocks if "airspeed disagree alert, and" in block.lines[-1])
    assert all(note.font_size < body.font_size for note in notes)


@pytest.mark.parametrize("case", CASES["bold_run_ins"], ids=lambda c: c["file"][:2])
def test_bold_run_in_heads_are_marked(marker_pages, case: dict) -> None:
    page = marker_pages[(case["file"], case["page"])]
    for head in case["heads"]:
        block = next(b for b in page.blocks if " ".join(b.lines).startswith(head))
        assert len(block.line_bold_chars) == len(block.lines)
        bold_chars = 0
        for line, bold in zip(block.lines, block.line_bold_chars):
            bold_chars += bold + (1 if bold == len(line) else 0)
            if bold < len(line):
                break
        assert abs(bold_chars - len(head)) <= 2, (head, block.line_bold_chars)
        assert len(" ".join(block.lines)) > len(head) + 20  # the paragraph follows in the same block


def test_small_capitals_do_not_split_a_paragraph(marker_pages) -> None:
    page = marker_pages[(FR, 1)]
    block = next(b for b in page.blocks if "in the FOR FURTHER INFORMATION" in b.lines)
    assert "CONTACT section. Any commentary that" in block.lines
    assert "should be sent to the person identified" in block.lines


# ------------------------------------------------------------ speed paths give the plain answers


def test_unchecked_pdfium_calls_match_the_checked_ones() -> None:
    """The per-word calls without ctypes argtypes, and boldness cached per font handle,
    read the same boxes, text objects and styles as the checked calls."""
    import ctypes

    import pypdfium2 as pdfium

    from pipeline.parse.pdf.pdfium_access import StyleReader, pdfium_api

    if not PDF_DIR.is_dir():
        pytest.skip("shared PDFs not available")
    api = pdfium_api()
    document = pdfium.PdfDocument(str(PDF_DIR / FR))
    try:
        page = document[0]
        textpage = page.get_textpage()
        raw = textpage.raw
        handle = ctypes.cast(raw, ctypes.c_void_p).value
        handle_arg = ctypes.c_void_p(handle)
        checked, unchecked = api.c.FS_RECTF(), api.c.FS_RECTF()
        reader, plain_reader = StyleReader(api, raw), StyleReader(api, raw)
        sizes, bold_sizes = set(), set()
        n_chars = textpage.count_chars()
        assert n_chars > 1000
        for index in range(0, n_chars, 7):
            assert api.loose_box(handle, index, ctypes.addressof(checked)) == \
                api.loose_box_fast(handle_arg, index, ctypes.byref(unchecked))
            assert (checked.left, checked.top, checked.right, checked.bottom) == \
                (unchecked.left, unchecked.top, unchecked.right, unchecked.bottom)
            obj = api.text_object_fast(handle_arg, index) or 0
            assert obj == (api.text_object(handle, index) or 0)
            style = reader.style(index, obj)
            assert style == plain_reader.style(index)     # boldness read from the font name each time
            sizes.add(style[0])
            if style[1]:
                bold_sizes.add(style[0])
        assert {9.0, 18.0} <= sizes and 18.0 in bold_sizes  # body text; the bold "Proposed Rules" title
        textpage.close()
        page.close()
    finally:
        document.close()


def _frag(x0: float, x1: float, text: str = "word", size: float = 9.0, top: float = 0.0):
    from pipeline.parse.pdf.model import Fragment

    return Fragment(x0, top, x1, top + size, text, size, False)


def test_segments_merge_fragments_closer_than_the_gap() -> None:
    from pipeline.parse.pdf.columns import segments

    frags = [_frag(0, 10), _frag(12, 20), _frag(30, 35), _frag(31, 33), _frag(50, 60)]
    assert segments(frags, 5.0) == [(0, 20), (30, 35), (50, 60)]
    assert segments(frags, 100.0) == [(0, 60)]
    assert segments([], 5.0) == []


def test_text_size_of_one_size_and_of_small_capitals() -> None:
    from pipeline.parse.pdf.lines import text_size

    assert text_size([_frag(0, 10, "in the", 9.004), _frag(12, 20, "rule", 9.004)]) == 9.0
    # Small capitals inside a sentence do not make the line small, even when they are most of it.
    line = [_frag(0, 10, "in the", 9.0), _frag(12, 80, "FOR FURTHER INFORMATION CONTACT", 7.2),
            _frag(82, 90, "section", 9.0)]
    assert text_size(line) == 9.0
    assert text_size([_frag(0, 10, "a", 7.0), _frag(12, 80, "long body text", 10.0)]) == 10.0


def _scan_side_spans(gutter, gutters, row_spans, text_left, text_right):
    """The spans beside a gutter by a plain scan of every row and gutter (the reference)."""
    left, right = [], []
    for index in range(gutter.first_row, gutter.last_row + 1):
        low, high = text_left, text_right
        for other in gutters:
            if other.first_row <= index <= other.last_row:
                if other.x1 <= gutter.x0 and other.x1 > low:
                    low = other.x1
                elif other.x0 >= gutter.x1 and other.x0 < high:
                    high = other.x0
        low, high = low - 0.5, high + 0.5
        for a, b in row_spans[index]:
            if b <= gutter.x0 + 0.5:
                if a >= low:
                    left.append((a, b, gutter.x0 - low))
            elif a >= gutter.x1 - 0.5 and b <= high:
                right.append((a, b, high - gutter.x1))
    return left, right


def _extent(spans) -> float:
    return max(s[1] for s in spans) - min(s[0] for s in spans) if spans else 0.0


def _wide_share(spans) -> float:
    total = sum(b - a for a, b, _ in spans)
    return sum(b - a for a, b, region in spans if b - a >= 0.5 * region) / total if total else 0.0


@pytest.mark.parametrize("seed", range(40))
def test_side_spans_by_bisection_match_a_plain_scan(seed: int) -> None:
    """Column regions beside a gutter found by bisection (ordered rows) and by stretches
    of rows between gutter ends give exactly what scanning every row and gutter gives."""
    import random

    from pipeline.parse.pdf.model import Gutter
    from pipeline.parse.pdf.columns import RowEdges, segments, side_spans

    rng = random.Random(seed)
    n_rows = rng.randint(3, 30)
    row_spans = []
    for _ in range(n_rows):
        xs = sorted(round(rng.uniform(0, 500), 1) for _ in range(2 * rng.randint(1, 8)))
        row_spans.append(segments([_frag(a, b) for a, b in zip(xs[::2], xs[1::2])], rng.choice([0.5, 8.0])))
    if seed % 4 == 0:   # a row whose spans do not ascend (never built by segments) takes the scan path
        row_spans[0] = [(300.0, 320.0), (10.0, 40.0), (100.0, 400.0)]
    gutters = []
    for _ in range(rng.randint(1, 6)):
        x0 = rng.uniform(20, 480)
        first = rng.randrange(n_rows)
        gutters.append(Gutter(x0, x0 + rng.uniform(1, 20), first, rng.randrange(first, n_rows)))
    edges = [RowEdges.of(spans) for spans in row_spans]
    assert (seed % 4 != 0) or not edges[0].ordered
    for gutter in gutters:
        left, right = side_spans(gutter, gutters, edges, 0.0, 500.0)
        ref_left, ref_right = _scan_side_spans(gutter, gutters, row_spans, 0.0, 500.0)
        assert left.spans() == [s[:2] for s in ref_left]
        assert right.spans() == [s[:2] for s in ref_right]
        assert (left.extent(), right.extent()) == (_extent(ref_left), _extent(ref_right))
        assert (left.wide_share(), right.wide_share()) == (_wide_share(ref_left), _wide_share(ref_right))


def _drop_narrow_columns_afresh(gutters, row_spans, text_left, text_right, text_width):
    """The narrow-column rule with both column regions of a gutter found afresh at every
    judgement and each row's gutters sorted anew (the reference)."""
    from pipeline.parse.pdf.model import MIN_COLUMN_SHARE, MIN_WIDE_SHARE
    from pipeline.parse.pdf.columns import RowEdges, side_spans

    kept = [g for g in gutters if min(g.x0 - text_left, text_right - g.x1) >= MIN_COLUMN_SHARE * text_width]
    edges = [RowEdges.of(spans) for spans in row_spans]

    def verdict(gutter):
        left, right = side_spans(gutter, kept, edges, text_left, text_right)
        narrowest = min(left.extent(), right.extent()) / text_width
        if narrowest < MIN_COLUMN_SHARE or left.wide_share() < MIN_WIDE_SHARE or right.wide_share() < MIN_WIDE_SHARE:
            return narrowest
        return None

    verdicts = {id(g): verdict(g) for g in kept}
    while kept:
        failing = [(verdicts[id(g)], g) for g in kept if verdicts[id(g)] is not None]
        if not failing:
            break
        worst = min(failing, key=lambda item: item[0])[1]
        kept = [g for g in kept if g is not worst]
        affected = set()
        for index in range(worst.first_row, worst.last_row + 1):
            row = sorted([g for g in kept if g.first_row <= index <= g.last_row] + [worst], key=lambda g: g.x0)
            position = next(i for i, g in enumerate(row) if g is worst)
            affected.update(id(g) for g in row[max(0, position - 1):position + 2] if g is not worst)
        for gutter in kept:
            if id(gutter) in affected:
                verdicts[id(gutter)] = verdict(gutter)
    return kept


@pytest.mark.parametrize("seed", range(200))
def test_dropping_narrow_columns_matches_judging_every_side_afresh(seed: int) -> None:
    """A column region kept from an earlier judgement (its bounds unchanged) and the rows'
    gutters kept in order give the same surviving gutters as finding everything afresh."""
    import random

    from pipeline.parse.pdf.columns import drop_narrow_columns, segments
    from pipeline.parse.pdf.model import Gutter

    rng = random.Random(seed)
    n_rows = rng.randint(3, 40)
    row_spans = []
    for _ in range(n_rows):
        cells = rng.choice([1, 2, 3])   # a full line, or pieces of two or three columns
        xs = sorted(round(rng.uniform(0, 500), 1) for _ in range(2 * cells))
        row_spans.append(segments([_frag(a, b) for a, b in zip(xs[::2], xs[1::2])], 4.0))
    gutters = []
    for _ in range(rng.randint(1, 30)):   # many rivers: several removals, neighbours judged again
        x0 = rng.uniform(85, 415)
        first = rng.randrange(n_rows)
        gutters.append(Gutter(x0, x0 + rng.uniform(2, 20), first, rng.randrange(first, n_rows)))
    expected = _drop_narrow_columns_afresh(list(gutters), row_spans, 0.0, 500.0, 500.0)
    assert drop_narrow_columns(list(gutters), row_spans, 0.0, 500.0, 500.0) == expected


def _side_heading_page(head_lines: int = 2, head_size: float = 12.0):
    """A report page: a narrow left column of side headings beside a wide body column of
    two paragraphs, each heading level with the paragraph it heads (text invented)."""
    frags = []
    body_tops = [100 + 13.5 * i for i in range(14)] + [320 + 13.5 * i for i in range(14)]
    for n, top in enumerate(body_tops):
        frags.append(_frag(216, 570, f"Body line {n} of the ferry harbour report and its yards", 11.0, top))
    for k, start in enumerate((100.0, 320.0)):
        for j in range(head_lines):
            frags.append(_frag(36, 190, f"Heading {k} line {j}", head_size, start + 1.5 + 14 * j))
    return frags


def test_side_headings_stand_before_the_paragraph_they_are_level_with() -> None:
    from pipeline.parse.pdf.lines import layout_page

    texts = [" ".join(b.lines) for b in layout_page(_side_heading_page())]
    first = next(i for i, t in enumerate(texts) if t.startswith("Heading 1"))
    second_paragraph = next(i for i, t in enumerate(texts) if "Body line 14 " in t)
    assert first == second_paragraph - 1
    assert texts[0].startswith("Heading 0")


def test_a_sidebar_of_small_long_text_is_read_as_its_own_column() -> None:
    from pipeline.parse.pdf.lines import layout_page

    texts = [" ".join(b.lines) for b in layout_page(_side_heading_page(head_lines=6, head_size=9.0))]
    heads = [i for i, t in enumerate(texts) if t.startswith("Heading")]
    body = [i for i, t in enumerate(texts) if t.startswith("Body")]
    assert max(heads) < min(body)                          # read column by column, as before
