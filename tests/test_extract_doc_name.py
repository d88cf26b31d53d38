"""EXTRACT-DOC-NAME: the document's own name from its title block (invented titles)."""
from __future__ import annotations

import pytest

from pipeline.extract import extract_document, get_nlp
from pipeline.extract.doc_name import document_name
from pipeline.extract.vocab import name_vocab
from pipeline.records import Paragraph, ParsedDoc

BODY = ("The government will support the coastal robotics industry with grants, loans and training "
        "for ten years, and this plan sets out how.")


def _doc(*headings: str, body: str = BODY) -> ParsedDoc:
    text, paras = "", []
    for kind, chunk in [("heading", h) for h in headings] + [("body", body)]:
        if text:
            text += "\n\n"
        paras.append(Paragraph(text=chunk, page=1, section="", start=len(text), end=len(text) + len(chunk),
                               kind=kind))
        text += chunk
    return ParsedDoc(doc_id="t", source_file="t.txt", format="txt", text=text, paragraphs=paras,
                     page_starts=[(0, 1)], pages=1)


@pytest.mark.parametrize("headings, name", [
    (("Notice on the Issuance of the Coastal Robotics Development Plan",), "Coastal Robotics Development Plan"),
    (("A Coastal Robotics Development Plan",), "Coastal Robotics Development Plan"),
    # a title broken over two lines: the longest piece of the block wins
    (("Notice on the Issuance of the Coastal", "Robotics Development Plan", "A Coastal Robotics Development Plan"),
     "Coastal Robotics Development Plan"),
    (("National Strategy for Coastal Robotics",), "National Strategy for Coastal Robotics"),
    (("Freedonia Industrial and Investment Promotion Policy 2031",),
     "Freedonia Industrial and Investment Promotion Policy 2031"),
    # no name: a section banner, a generic two-word title, a study about policies, plural heads
    (("3.4 Incentives, Subsidies, and Reimbursements",), None),
    (("Implementation Plan",), None),
    (("Research on Coastal Robotics Development Policy",), None),
    (("Review of the Freedonia Export Strategy",), "Freedonia Export Strategy"),
])
def test_document_name(headings, name):
    doc = _doc(*headings)
    found = document_name(doc, name_vocab())
    assert (doc.text[found[0]:found[1]] if found else None) == name


def test_a_name_after_the_body_has_begun_is_not_the_documents():
    doc = _doc("Background", body=BODY + " " + BODY)
    doc2 = _doc("Background")
    assert document_name(doc, name_vocab()) is None and document_name(doc2, name_vocab()) is None


def test_the_name_becomes_a_program_mention():
    doc = _doc("A Coastal Robotics Development Plan")
    programs = [m for m in extract_document(doc, get_nlp()) if m.type == "PROGRAM"]
    assert [m.text for m in programs][:1] == ["Coastal Robotics Development Plan"]
