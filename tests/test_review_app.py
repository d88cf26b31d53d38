"""The labeling app's core and HTTP API, on the invented fixture papers."""
from __future__ import annotations

import http.client
import json
import shutil
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from conftest import ROOT
from pipeline.review import labels as lab
from pipeline.review.server import make_server
from pipeline.review.static import readable_title
from pipeline.validate import load_expectations, run_validation

FIXTURE = Path(__file__).parent / "fixtures" / "output_small"


@pytest.fixture()
def app(tmp_path: Path) -> Iterator[dict[str, Any]]:
    out, exp = tmp_path / "out", tmp_path / "exp"
    shutil.copytree(FIXTURE, out)
    exp.mkdir()
    server = make_server(out, exp, tmp_path / "raw", port=0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield {"port": server.server_address[1], "out": out, "exp": exp, "tmp": tmp_path}
    server.shutdown()
    server.server_close()


def request(app: dict, method: str, path: str, body: Any = None, headers: dict | None = None) -> tuple[int, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", app["port"], timeout=20)
    data = None if body is None else json.dumps(body).encode()
    hdrs = {"Content-Type": "application/json"} if body is not None else {}
    hdrs.update(headers or {})
    conn.request(method, path, body=data, headers=hdrs)
    res = conn.getresponse()
    raw = res.read()
    conn.close()
    ctype = res.getheader("Content-Type") or ""
    return res.status, json.loads(raw) if ctype.startswith("application/json") else raw.decode("utf-8", "replace")


def score_of(scores: list[dict], item: str) -> float:
    row = next(r for r in scores if r["item"] == item)
    return row["f1"] if row["f1"] is not None else row["accuracy"]


def test_a_paper_opens_prefilled_from_the_outputs_and_saves_a_file_validate_reads(app: dict) -> None:
    status, paper = request(app, "GET", "/api/paper/alpha_paper")
    assert status == 200
    assert paper["version"] == lab.NEW_VERSION and paper["origin"].startswith("draft from outputs")
    labels = paper["labels"]
    assert labels["status"] == "draft" and labels["doc_id"] == "alpha_paper"
    assert {m["iso3"] for m in labels["mentions"]["COUNTRY"]} == {"JPN", "DEU"}
    assert [m["country"] for m in labels["measures"]] == ["JPN", "DEU", "DEU"]
    assert score_of(paper["scores"], "measures.all_fields") == 1.0    # a draft agrees with its own source

    labels["status"] = "final"
    labels["measures"][0]["country"] = "KOR"                          # a label the pipeline now gets wrong
    labels["measures"][1]["optional"] = True
    status, saved = request(app, "POST", "/api/paper/alpha_paper/save", {"labels": labels, "version": paper["version"]})
    assert status == 200, saved
    path = app["exp"] / "alpha_paper.yaml"
    assert saved["version"] == lab.version_of(path) != lab.NEW_VERSION
    assert score_of(saved["scores"], "measure.country") == 0.5         # 1 of the 2 required measures right
    assert saved["status"]["measures"][0]["wrong"] == {"country": "JPN"}

    reread = load_expectations(path)                                  # what make validate reads
    assert reread == yaml.safe_load(yaml.safe_dump(labels))
    run = run_validation(app["out"], app["exp"])
    assert [s.doc_id for s in run.scores] == ["alpha_paper"]
    rows = {r["item"]: r for r in run.rows if r["doc_id"] == "alpha_paper"}
    assert rows["measure.country"]["accuracy"] == 0.5 and rows["measures"]["tp"] == 2

    status, again = request(app, "GET", "/api/paper/alpha_paper")
    assert again["version"] == saved["version"] and again["labels"]["measures"][0]["country"] == "KOR"
    assert not (app["exp"] / ".backup").exists()                      # nothing to back up the first time


def test_second_save_keeps_a_backup_of_the_previous_version(app: dict) -> None:
    _, paper = request(app, "GET", "/api/paper/beta_note")
    _, first = request(app, "POST", "/api/paper/beta_note/save", {"labels": paper["labels"], "version": "new"})
    before = (app["exp"] / "beta_note.yaml").read_text(encoding="utf-8")
    paper["labels"]["notes"] = "second pass"
    status, second = request(app, "POST", "/api/paper/beta_note/save",
                              {"labels": paper["labels"], "version": first["version"]})
    assert status == 200
    assert (app["exp"] / ".backup" / "beta_note.yaml").read_text(encoding="utf-8") == before
    assert load_expectations(app["exp"] / "beta_note.yaml")["notes"] == "second pass"
    assert sorted(p.name for p in app["exp"].iterdir()) == [".backup", "beta_note.yaml"]


def test_a_stale_save_is_refused_with_409_and_loses_nothing(app: dict) -> None:
    _, paper = request(app, "GET", "/api/paper/alpha_paper")
    mine, theirs = json.loads(json.dumps(paper["labels"])), json.loads(json.dumps(paper["labels"]))
    theirs["notes"] = "their edit"
    mine["notes"] = "my edit"
    assert request(app, "POST", "/api/paper/alpha_paper/save", {"labels": theirs, "version": "new"})[0] == 200
    status, answer = request(app, "POST", "/api/paper/alpha_paper/save", {"labels": mine, "version": "new"})
    assert status == 409
    assert "saved elsewhere since you opened it" in answer["error"] and "reload" in answer["error"]
    assert answer["current"] == lab.version_of(app["exp"] / "alpha_paper.yaml")
    assert load_expectations(app["exp"] / "alpha_paper.yaml")["notes"] == "their edit"


def test_concurrent_saves_of_one_paper_one_wins_one_is_told(app: dict) -> None:
    _, paper = request(app, "GET", "/api/paper/alpha_paper")
    results: list[int] = []
    barrier = threading.Barrier(4)

    def save(note: str) -> None:
        labels = {**paper["labels"], "notes": note}
        barrier.wait()
        results.append(request(app, "POST", "/api/paper/alpha_paper/save", {"labels": labels, "version": "new"})[0])

    threads = [threading.Thread(target=save, args=(f"edit {i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == [200, 409, 409, 409]


@pytest.mark.parametrize("path", ["/api/paper/..%2F..%2Fetc%2Fpasswd", "/api/paper/%2E%2E", "/api/paper/.hidden",
                                  "/api/paper/a%5Cb", "/paper/..%2Fexp"])
def test_path_traversal_is_refused(app: dict, path: str) -> None:
    status, answer = request(app, "GET", path)
    assert status == 400 and "not a valid doc id" in answer["error"]


def test_saves_go_only_to_known_papers_inside_the_expectations_folder(app: dict) -> None:
    labels = {"doc_id": "../escape", "status": "draft", "mentions": {}, "measures": []}
    status, _ = request(app, "POST", "/api/paper/..%2Fescape/save", {"labels": labels, "version": "new"})
    assert status == 400
    status, answer = request(app, "POST", "/api/paper/not_a_paper/save",
                             {"labels": {**labels, "doc_id": "not_a_paper"}, "version": "new"})
    assert status == 404 and "no paper 'not_a_paper'" in answer["error"]
    status, answer = request(app, "POST", "/api/paper/alpha_paper/save",
                             {"labels": {**labels, "doc_id": "beta_note"}, "version": "new"})
    assert status == 422 and "is not 'alpha_paper'" in answer["error"]
    assert list(app["exp"].iterdir()) == [] and not (app["tmp"] / "escape.yaml").exists()
    with pytest.raises(lab.LabelError):
        lab.labels_path(app["exp"], "a/../../b")


def test_labels_that_break_the_schema_are_refused_with_the_reasons(app: dict) -> None:
    _, paper = request(app, "GET", "/api/paper/alpha_paper")
    paper["labels"]["measures"][0]["instrument"] = "free_lunch"
    paper["labels"]["mentions"]["MONEY"][0]["currency"] = "yen"
    status, answer = request(app, "POST", "/api/paper/alpha_paper/save", {"labels": paper["labels"], "version": "new"})
    assert status == 422
    assert any("instrument 'free_lunch' not in the guide's list" in p for p in answer["problems"])
    assert any("currency must be an ISO 4217 code" in p for p in answer["problems"])
    assert not (app["exp"] / "alpha_paper.yaml").exists()


def test_only_local_json_requests_are_served(app: dict) -> None:
    status, answer = request(app, "GET", "/", headers={"Host": "attacker.example:80"})
    assert status == 403 and "127.0.0.1" in answer["error"]
    conn = http.client.HTTPConnection("127.0.0.1", app["port"], timeout=10)
    conn.request("POST", "/api/paper/alpha_paper/save", body=b"labels=x",
                 headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert conn.getresponse().status == 415
    conn.close()
    assert request(app, "GET", "/nowhere")[0] == 404


def test_suggest_prefills_new_items_from_the_selected_text(app: dict) -> None:
    text = (app["out"] / "text" / "alpha_paper.txt").read_text(encoding="utf-8")
    start = text.index("nearly 4.5 billion yen")
    status, answer = request(app, "POST", "/api/paper/alpha_paper/suggest",
                             {"kind": "measure", "start": start, "end": start + len("nearly 4.5 billion yen")})
    assert status == 200
    item = answer["item"]
    assert (item["quantity_type"], item["value"], item["currency"], item["approx"]) == ("money", 4500000000, "JPY", "~")
    assert item["evidence"] == "It provides nearly 4.5 billion yen for robotics research."
    start = text.index("Germany")
    _, answer = request(app, "POST", "/api/paper/alpha_paper/suggest", {"kind": "COUNTRY", "start": start, "end": start + 7})
    assert answer["item"] == {"iso3": "DEU", "name": "Germany"}
    status, answer = request(app, "POST", "/api/paper/alpha_paper/suggest", {"kind": "DATE", "start": 5, "end": 10 ** 6})
    assert status == 400 and "outside the text" in answer["error"]


def test_corpus_page_shows_status_counts_errors_and_scores(app: dict) -> None:
    _, paper = request(app, "GET", "/api/paper/alpha_paper")
    request(app, "POST", "/api/paper/alpha_paper/save", {"labels": paper["labels"], "version": "new"})
    status, page = request(app, "GET", "/")
    assert status == 200
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in page.split("<tr>")[2:]}
    assert '<td class="error">PDF is encrypted and cannot be opened</td>' in rows["gamma_broken"]
    assert '<td class="labels">draft</td><td class="num">1.00</td><td class="num">1.00</td>' in rows["alpha_paper"]
    assert '<td class="labels">none</td><td class="num"></td>' in rows["beta_note"]
    assert "Content-Security-Policy" not in page                     # sent as a header instead


def test_vocabularies_offer_the_controlled_lists(app: dict) -> None:
    status, vocab = request(app, "GET", "/api/vocab")
    assert status == 200
    countries = dict(vocab["countries"])
    assert countries["DEU"] == "Germany" and "EUU" in countries
    assert {"USD", "EUR", "JPY", "XEU"} <= set(vocab["currencies"])
    assert vocab["instruments"][0] == "rd_funding" and "artificial intelligence" in vocab["sectors"]
    assert "National Science Foundation" in vocab["orgs"] and "Horizon Europe" in vocab["programs"]


def test_every_labels_file_of_the_repository_round_trips_through_the_writer() -> None:
    paths = sorted(p for p in (ROOT / "tests" / "expectations").glob("*.yaml") if p.name != "thresholds.yaml")
    assert len(paths) >= 20
    fast = getattr(yaml, "CSafeLoader", yaml.SafeLoader)            # the same reading, in C where there is one
    for path in paths:
        source = path.read_text(encoding="utf-8-sig")
        data = yaml.load(source, Loader=fast)
        text = lab.dump_labels(data, lab.header_comments(source))
        assert yaml.load(text, Loader=fast) == data, path.name
        assert text.startswith(lab.header_comments(source))
    assert load_expectations(paths[0]) == yaml.safe_load(lab.dump_labels(load_expectations(paths[0])))


def test_binary_garbage_is_never_a_title() -> None:
    assert readable_title("Robot policies in Japan") == "Robot policies in Japan"
    assert readable_title("\x00\x01PK\x03\x04") == ""
    assert readable_title("\ufffd\ufffdab\ufffd") == ""
    assert readable_title("%$#@!*&^ 1234 ~~~") == ""
    assert readable_title(None) == "" and readable_title("  ") == ""


def test_blind_papers_are_neither_shown_nor_scored(app: dict) -> None:
    (app["exp"] / "beta_note.yaml").write_text("doc_id: beta_note\nstatus: final\nblind: true\nmeasures: []\n",
                                              encoding="utf-8")
    status, answer = request(app, "GET", "/api/paper/beta_note")
    assert status == 403 and "blind paper" in answer["error"]
    before = (app["exp"] / "beta_note.yaml").read_bytes()
    labels = {"doc_id": "beta_note", "status": "final", "measures": []}
    status, answer = request(app, "POST", "/api/paper/beta_note/save",
                             {"labels": labels, "version": lab.version_of(app["exp"] / "beta_note.yaml")})
    assert status == 403 and (app["exp"] / "beta_note.yaml").read_bytes() == before
    _, page = request(app, "GET", "/")
    row = next(r for r in page.split("<tr>") if ">beta_note</a>" in r)
    assert '<td class="labels">final (blind)</td><td class="num"></td><td class="num"></td>' in row
