"""`python -m pipeline label`: drafts from the outputs, never over hand labels."""
from __future__ import annotations

from pathlib import Path

import yaml

from pipeline import label
from pipeline.io import write_csv
from pipeline.records import TABLE_COLUMNS
from pipeline.validate import load_expectations, score_paper

DOC = "01_paper"
BODY = ("Germany Implements Industry 4.0 Strategy. The German Ministry of Coastal Affairs and Shipping "
        "has since committed 140 million euros. In March 2017, the German cabinet adopted "
        "the Digital Harbour Plan 2030.")


def row(table: str, **kw) -> dict:
    out = {c: "" for c in TABLE_COLUMNS[table]}
    out.update(doc_id=DOC, **{k: str(v) for k, v in kw.items()})
    return out


def span(text: str) -> dict:
    start = BODY.index(text)
    return {"text": text, "start": start, "end": start + len(text), "page": 1}


def make_outputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    out, exp_dir = tmp_path / "output", tmp_path / "expectations"
    exp_dir.mkdir()
    (out / "text").mkdir(parents=True)
    (out / "text" / f"{DOC}.txt").write_text(BODY, encoding="utf-8")
    write_csv(out / "documents.csv", TABLE_COLUMNS["documents"],
              [{"doc_id": DOC, "source_file": f"{DOC}.pdf", "format": "pdf", "status": "ok"}])
    write_csv(out / "mentions.csv", TABLE_COLUMNS["mentions"], [
        row("mentions", type="COUNTRY", iso3="DEU", **span("Germany")),
        row("mentions", type="COUNTRY", iso3="DEU", **span("German")),
        row("mentions", type="PROGRAM", canonical="Industry 4.0", iso3="DEU", **span("Industry 4.0 Strategy")),
        row("mentions", type="ORG", canonical="German Ministry of Coastal Affairs and Shipping", iso3="DEU",
            **span("German Ministry of Coastal Affairs and Shipping")),
        row("mentions", type="MONEY", value=140000000, currency="EUR", **span("140 million euros")),
        row("mentions", type="DATE", year=2017, month=3, **span("March 2017")),
        row("mentions", type="COUNTRY", **span("Digital")),          # no iso3: unresolved
        row("mentions", type="MONEY", value=5, **span("has")),          # no currency: unresolved
    ])
    write_csv(out / "measures.csv", TABLE_COLUMNS["measures"], [
        row("measures", measure_id=f"{DOC}:q1", quantity_type="money", value=140000000, currency="EUR",
            country="DEU", org="German Ministry of Coastal Affairs and Shipping", instrument="rd_funding",
            page=1, evidence="The German Ministry of Coastal Affairs and Shipping has since committed 140 million euros."),
    ])
    raw = tmp_path / "raw" / f"{DOC}.pdf"
    raw.parent.mkdir()
    raw.write_bytes(b"%PDF-1.4")
    return raw, out, exp_dir


def test_label_writes_a_loadable_draft_with_evidence_comments(tmp_path: Path) -> None:
    raw, out, exp_dir = make_outputs(tmp_path)
    assert label.main([str(raw), str(out), str(exp_dir)]) == 0
    path = exp_dir / f"{DOC}.yaml"
    text = path.read_text(encoding="utf-8")
    exp = load_expectations(path)
    assert exp["status"] == "draft" and exp["doc_id"] == DOC
    assert exp["mentions"]["COUNTRY"] == [{"iso3": "DEU", "name": "Germany"}]   # one item for two rows
    assert exp["mentions"]["PROGRAM"] == [{"canonical": "Industry 4.0", "iso3": "DEU",
                                           "aliases": ["Industry 4.0 Strategy"]}]
    assert exp["mentions"]["MONEY"] == [{"value": 140000000, "currency": "EUR"}]
    assert exp["mentions"]["DATE"] == [{"year": 2017, "month": 3}]
    assert exp["mentions"]["SECTOR"] == []
    assert "# p.1: The German Ministry of Coastal Affairs and Shipping has since committed 140 million euros." in text
    assert "# unresolved (no normalized value): Digital" in text
    assert exp["measures"][0]["instrument"] == "rd_funding" and exp["measures"][0]["value"] == 140000000
    # a draft scored against the outputs it came from is perfect on its items
    score = score_paper(exp, [], [{"quantity_type": "money", "value": "140000000", "currency": "EUR",
                                   "country": "DEU", "org": "German Ministry of Coastal Affairs and Shipping",
                                   "instrument": "rd_funding"}])
    assert score.measures.f1 == 1.0 and all(a.accuracy == 1.0 for a in score.fields.values())


def test_label_refuses_to_overwrite_a_final_file(tmp_path: Path, capsys) -> None:
    raw, out, exp_dir = make_outputs(tmp_path)
    final = exp_dir / f"{DOC}.yaml"
    original = yaml.safe_dump({"doc_id": DOC, "status": "final", "mentions": {}, "measures": []})
    final.write_text(original, encoding="utf-8")
    assert label.main([str(raw), str(out), str(exp_dir)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert final.read_text(encoding="utf-8") == original


def test_label_refuses_an_unreadable_existing_file(tmp_path: Path) -> None:
    raw, out, exp_dir = make_outputs(tmp_path)
    (exp_dir / f"{DOC}.yaml").write_text("doc_id: [unclosed", encoding="utf-8")
    assert label.main([str(raw), str(out), str(exp_dir)]) == 2


def test_label_overwrites_a_previous_draft(tmp_path: Path) -> None:
    raw, out, exp_dir = make_outputs(tmp_path)
    draft = exp_dir / f"{DOC}.yaml"
    draft.write_text(yaml.safe_dump({"doc_id": DOC, "status": "draft"}), encoding="utf-8")
    assert label.main([str(raw), str(out), str(exp_dir)]) == 0
    assert load_expectations(draft)["mentions"]["ORG"][0]["canonical"] == "German Ministry of Coastal Affairs and Shipping"


def test_label_needs_the_paper_in_the_outputs(tmp_path: Path, capsys) -> None:
    _, out, exp_dir = make_outputs(tmp_path)
    assert label.main(["raw/other.pdf", str(out), str(exp_dir)]) == 2
    assert "other not in" in capsys.readouterr().err
    assert not (exp_dir / "other.yaml").exists()


def test_sentence_around_finds_the_sentence_of_a_span() -> None:
    start = BODY.index("140 million")
    assert label.sentence_around(BODY, start, start + 11) == \
        "The German Ministry of Coastal Affairs and Shipping has since committed 140 million euros."
    assert label.sentence_around(BODY, 0, 7) == "Germany Implements Industry 4.0 Strategy."
    assert label.sentence_around("", 5, 9) == ""
