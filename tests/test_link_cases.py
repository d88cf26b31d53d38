"""Every rule has an id, a reason and a test: the cases of tests/cases/link.yaml, one or more
per rule id, each an invented document run through the link stage (or, with ``stage:
extract``, through extract and link), and the registry check that ties ids to cases.

A rule id is UPPER-KEBAB-CASE. It is defined either in a cue file (an entry's ``id``, or a
``rules`` entry for the file's settings; see pipeline/link/cues.py) or in code, by a comment
line ``# RULE-ID: why`` right above the code that implements it (CODE_RULE below). A case:

    - rule: INSTR-TARGET-WILL-REACH
      paragraphs: [["section", "text with {PERCENT value=30|30%} markup (tests/linkdoc.py)"]]
      expect: {instrument: target, country: ...}     # fields of the measure
      measure: 0          # which measure, when the document gives several (default: the only one)
      xfail: "why"        # a rule that does not do what its id says (reported, not hidden)

A parse rule's case (``stage: parse``) gives PDF pages as lists of text blocks, each a list
of lines (body font, not bold), and the paragraphs that must or must not come out as headings:

    - rule: PARSE-HEADING-OPEN-END
      stage: parse
      pages: [[["Body line."], ["4.2 A numbered line that ends in of"]], [["next page."]]]
      not_headings: ["4.2 A numbered line that ends in of"]

or an HTML page (``html: "<html>..."``), or a plain-text file (``text: "..."``), or one PDF page
as positioned runs of words (``fragments: [[x0, top, x1, "text"], ...]``); ``title`` checks
the document's title, ``absent`` lists strings the body text must not hold and ``pages`` (with
``text``) the number of pages.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from linkdoc import build_doc, link_text

from pipeline.link import link_document
from pipeline.link.cues import RULE_ID, rule_ids

ROOT = Path(__file__).resolve().parents[1]
CASES_FILE = Path(__file__).parent / "cases" / "link.yaml"
CASES: list[dict] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
# the convention for a rule defined in code: a comment line that opens with its id and a colon
CODE_RULE = re.compile(r"^\s*#\s*(" + RULE_ID.pattern + r"):", re.MULTILINE)


def code_rule_ids() -> dict[str, str]:
    """Rule id -> ``file:line`` of every ``# RULE-ID:`` comment under pipeline/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "pipeline").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for m in CODE_RULE.finditer(text):
            found.setdefault(m.group(1), f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start(1)) + 1}")
    return found


def all_rule_ids() -> dict[str, str]:
    return {**code_rule_ids(), **rule_ids()}


def _param(case: dict):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
    return pytest.param(case, id=f"{case['rule']}-{CASES.index(case)}", marks=marks)


def _measures(case: dict):
    paragraphs = [tuple(p) for p in case["paragraphs"]]
    if case.get("stage") != "extract":
        return link_text(*paragraphs), []
    from pipeline.extract import extract_document, get_nlp
    doc, _ = build_doc(paragraphs)
    mentions = extract_document(doc, get_nlp())
    return link_document(doc, mentions), mentions


def _parse_case(case: dict) -> None:
    from pipeline.parse.blocks import RawBlock, RawPage
    from pipeline.parse.structure import build_document
    if "html" in case:
        from pipeline.parse.html import html_to_pages
        doc = build_document(html_to_pages(case["html"]), "case", "case.html", "html")
    elif "text" in case:
        from pipeline.parse.text import split_pages
        raw_pages = split_pages(case["text"])
        if "pages" in case:
            assert len(raw_pages) == case["pages"]
        doc = build_document(raw_pages, "case", "case.txt", "txt")
    elif "fragments" in case:
        # one PDF page as positioned runs of words: [x0, top, x1, text] in points (10 pt type)
        from pipeline.parse.pdf.model import Fragment
        from pipeline.parse.pdf.reader import blocks_of_fragments
        frags = [Fragment(x0, top, x1, top + 10.0, text, 10.0, False) for x0, top, x1, text in case["fragments"]]
        doc = build_document([RawPage(1, blocks_of_fragments(frags))], "case", "case.pdf", "pdf")
    else:
        pages = [RawPage(n, [RawBlock(lines=list(block), font_size=10.0) for block in blocks])
                 for n, blocks in enumerate(case["pages"], start=1)]
        doc = build_document(pages, "case", "case.pdf", "pdf")
    if "title" in case:
        assert doc.title == case["title"]
    for text in case.get("absent", []):
        assert text not in doc.text, doc.text
    for text in case.get("present", []):
        assert text in doc.text, doc.text
    for text, section in case.get("sections", {}).items():   # the section path of the paragraph that opens with text
        assert [p.section for p in doc.paragraphs if p.text.startswith(text)][:1] == [section], \
            [(p.text, p.section) for p in doc.paragraphs]
    kinds = {p.text: p.kind for p in doc.paragraphs}
    for text in case.get("headings", []):
        assert kinds.get(text) == "heading", kinds
    for text in case.get("not_headings", []):     # the paragraph that opens with it (it may join the next page)
        found = [kind for para, kind in kinds.items() if para.startswith(text)]
        assert found and "heading" not in found, kinds


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_case(case):
    if case.get("stage") == "parse":
        _parse_case(case)
        return
    measures, mentions = _measures(case)
    for mtype, text in case.get("mentions", []):
        assert any(m.type == mtype and m.text == text for m in mentions), \
            [(m.type, m.text) for m in mentions]
    for mtype, text in case.get("no_mentions", []):
        assert not any(m.type == mtype and m.text == text for m in mentions), \
            [(m.type, m.text) for m in mentions]
    if "expect" not in case:
        return
    if "measure" in case:
        measure = measures[case["measure"]]
    else:
        assert len(measures) == 1, [m.evidence for m in measures]
        measure = measures[0]
    got = {field: getattr(measure, field) for field in case["expect"]}
    assert got == case["expect"], measure.evidence


def test_every_rule_has_a_case_and_every_case_a_rule():
    ids = all_rule_ids()
    cased = {c["rule"] for c in CASES}
    assert not sorted(set(ids) - cased), f"rules without a case in {CASES_FILE.name}: " + \
        ", ".join(f"{i} ({ids[i]})" for i in sorted(set(ids) - cased))
    assert not sorted(cased - set(ids)), f"cases naming no rule: {sorted(cased - set(ids))}"


def test_rule_ids_referred_to_exist():
    """An id written anywhere under pipeline/ with a rule prefix (LINK-..., INSTR-...) names a defined rule."""
    ids = all_rule_ids()
    prefixes = sorted({i.split("-")[0] for i in ids})
    ref = re.compile(r"\b(?:" + "|".join(prefixes) + r")(?:-[A-Z0-9]+)+\b")
    stale = []
    for path in sorted((ROOT / "pipeline").rglob("*")):
        if path.suffix in {".py", ".yaml", ".md", ".csv"} and "__pycache__" not in path.parts:
            for m in ref.finditer(path.read_text(encoding="utf-8")):
                if m.group(0) not in ids:
                    stale.append(f"{path.relative_to(ROOT)}: {m.group(0)}")
    assert not stale, stale


def test_code_rule_ids_are_not_also_cue_file_ids():
    both = set(code_rule_ids()) & set(rule_ids())
    assert not both, f"defined twice (code and cue file): {sorted(both)}"


# (old text, new text, message, the new text's line that the error names: its last occurrence)
@pytest.mark.parametrize("old, new, message, at", [
    ("    - id: INSTR-TRADE-IMPORT\n", "    - id: INSTR-TRADE-EXPORT\n", "rule id INSTR-TRADE-EXPORT is used twice",
     "    - id: INSTR-TRADE-EXPORT\n"),
    ("      why: the word forms of \"import\" (not \"important\") point to a trade measure\n", "",
     "rule INSTR-TRADE-IMPORT has no why", "    - id: INSTR-TRADE-IMPORT\n"),
    ("    - id: INSTR-TRADE-IMPORT\n      why", "    - why", "entry without a rule id", "    - why: the word forms"),
])
def test_a_cue_entry_without_id_or_why_or_with_a_duplicate_id_fails_with_its_line(tmp_path, monkeypatch, old, new,
                                                                                   message, at):
    from pipeline import data_access
    from pipeline.data_access import DataFileError
    for name in ("instrument_cues.yaml", "beneficiary_cues.yaml"):
        (tmp_path / name).write_text((data_access.DATA_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "instrument_cues.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    line = text[:text.rindex(at)].count("\n") + 1
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(data_access, "DATA_DIR", tmp_path)
    with pytest.raises(DataFileError, match=rf"instrument_cues\.yaml line {line}: .*{re.escape(message)}"):
        rule_ids()
