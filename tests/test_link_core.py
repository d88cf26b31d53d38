"""Link stage, link_document as a whole: ids, evidence, determinism, the CLI (synthetic documents, see tests/linkdoc.py)."""
from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from linkdoc import build_doc, only

from pipeline import link
from pipeline.link import link_document, programs_table
from pipeline.records import INSTRUMENTS, Mention, Paragraph, ParsedDoc, to_dict


def test_evidence_page_and_ids():
    doc, mentions = build_doc([
        ("", "Intro text without numbers.", "body", 1),
        ("S", "First  sentence here. The plan\ngives {MONEY value=1e6 currency=EUR|1 million euros} to farmers.",
         "body", 2),
    ], doc_id="paper")
    m = only(link_document(doc, mentions))
    assert m.evidence == "The plan gives 1 million euros to farmers."
    assert (m.page, m.section, m.measure_id, m.beneficiary) == (2, "S", "paper:q1", "farmers")
    assert doc.text[m.start:m.end] == "1 million euros"


def test_missing_sentence_bounds_are_recomputed():
    doc, mentions = build_doc([("", "Alpha beta. The fund holds {MONEY value=2e6 currency=USD|2 million dollars}. Gamma.")])
    for m in mentions:
        m.sent_start = m.sent_end = 0
    assert only(link_document(doc, mentions)).evidence == "The fund holds 2 million dollars."


def test_same_input_same_output_regardless_of_mention_order():
    doc, mentions = build_doc([
        ("", "The {COUNTRY iso3=JPN|Japanese} government offers {PERCENT value=30|30%} depreciation or "
             "{PERCENT value=7|7%} tax deductions for SMEs, and {MONEY value=1e9 currency=JPY|1 billion yen} for training."),
    ])
    first = [to_dict(m) for m in link_document(doc, mentions)]
    shuffled = list(mentions)
    random.Random(7).shuffle(shuffled)
    assert [to_dict(m) for m in link_document(doc, shuffled)] == first
    assert [(d["instrument"], d["beneficiary"]) for d in first] == [
        ("tax_incentive", "SMEs"), ("tax_incentive", "SMEs"), ("education_training", "")]


def test_empty_document_links_to_nothing():
    doc = ParsedDoc(doc_id="e", source_file="e.txt", format="txt", status="error")
    assert link_document(doc, []) == []
    assert programs_table(doc, [], []) == []


def test_cli_round_trip(tmp_path):
    doc, mentions = build_doc([("", "{COUNTRY iso3=FIN|Finland} invested {MONEY value=5e7 currency=EUR|50 million euros} "
                                    "in {PROGRAM canonical=Quantum_Flagship iso3=FIN|Quantum Flagship}.")], doc_id="fi")
    parsed_path, mentions_path = tmp_path / "fi.json", tmp_path / "fi.jsonl"
    parsed_path.write_text(json.dumps(to_dict(doc)), encoding="utf-8")
    mentions_path.write_text("".join(json.dumps(to_dict(m)) + "\n" for m in mentions), encoding="utf-8")
    out, programs = tmp_path / "out" / "fi.jsonl", tmp_path / "prog.jsonl"
    assert link.main([str(mentions_path), str(out), "--parsed", str(parsed_path), "--programs", str(programs)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["measure_id"], r["country"], r["value"], r["currency"]) for r in rows] == [
        ("fi:q1", "FIN", 5e7, "EUR")]
    prog = [json.loads(line) for line in programs.read_text(encoding="utf-8").splitlines()]
    assert [(p["program"], p["iso3"], p["mentions"]) for p in prog] == [("Quantum Flagship", "FIN", 1)]


def test_text_without_paragraphs_still_links():
    text = "Canada spent 5 million dollars. Then more."
    doc = ParsedDoc(doc_id="np", source_file="np.txt", format="txt", text=text)
    money = Mention(doc_id="np", mention_id="np:m13-30-MONEY", type="MONEY", text=text[13:30], start=13, end=30,
                    value=5e6, currency="CAD")
    canada = Mention(doc_id="np", mention_id="np:m0-6-COUNTRY", type="COUNTRY", text="Canada", start=0, end=6,
                     iso3="CAN")
    m = only(link_document(doc, [money, canada]))
    assert (m.country, m.confidence, m.evidence, m.page) == ("CAN", 0.9, "Canada spent 5 million dollars.", 1)




_TYPES = st.sampled_from(["COUNTRY", "REGION", "PROGRAM", "ORG", "MONEY", "PERCENT", "DATE", "SECTOR", "COUNT"])


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet="ab .,;()%$\n0123456789Tt", max_size=120),
       spans=st.lists(st.tuples(_TYPES, st.integers(-5, 130), st.integers(0, 20),
                                st.sampled_from(["", "DEU", "x"]),
                                st.one_of(st.none(), st.floats(allow_nan=True))), max_size=8))
def test_link_never_raises_on_arbitrary_mentions(text, spans):
    doc = ParsedDoc(doc_id="h", source_file="h.txt", format="txt", text=text,
                    paragraphs=[Paragraph(text=text, page=1, start=0, end=len(text))] if text else [])
    mentions = [Mention(doc_id="h", mention_id=f"h:{i}", type=t, text="", start=s, end=s + n, iso3=iso,
                        canonical=iso, value=v, year=2020 if t == "DATE" else None,
                        sent_start=max(0, s - 3), sent_end=s + n + 3)
                for i, (t, s, n, iso, v) in enumerate(spans)]
    measures = link_document(doc, mentions)
    programs_table(doc, mentions, measures)
    assert [m.measure_id for m in measures] == [f"h:q{i}" for i in range(1, len(measures) + 1)]
    assert all(m.instrument in INSTRUMENTS for m in measures)
    assert [m.start for m in measures] == sorted(m.start for m in measures)
