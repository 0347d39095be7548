"""The corpus commands end to end: real extraction of small documents written for these tests."""
from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from onrecord.cli import cli

DOCS = {
    "kirby_rudaw.txt": (
        "Kirby rules out a wider war\n\n"
        "WASHINGTON, Jan. 5, 2024 — Officials spoke on Friday.\n\n"
        "\u201cWe are not looking for a wider war with Iran and we will defend our troops in the region,\u201d "
        "National Security Council spokesperson John Kirby told Rudaw.\n\n"
        "Kirby said the talks with regional partners would continue next week.\n"
    ),
    "kirby_wire.txt": (
        "US says it seeks no wider conflict\n\n"
        "WASHINGTON, Jan. 6, 2024 — Officials repeated the message on Saturday.\n\n"
        "\"We are not looking for a wider war with Iran and we will defend our troops,\" Kirby told reporters.\n"
    ),
    "austin.txt": (
        "Pentagon chief on the region\n\n"
        "ARLINGTON, Jan. 7, 2024 — The defense secretary spoke at a news conference.\n\n"
        "\"We are not looking for a wider war with Iran and we will defend our troops in the region,\" "
        "Defense Secretary Lloyd Austin said.\n"
    ),
    "ekeler.txt": (
        "Late rally falls short\n\n"
        "LOS ANGELES, Jan. 8, 2024 — The home side lost by three points.\n\n"
        "\"We played hard tonight and the fans deserved a much better result than that,\" running back "
        "Austin Ekeler said after the game.\n"
    ),
}
JSONL = [
    {"id": "harbour-1", "title": "Harbour to reopen", "published": "2024-02-01", "outlet": "Coast Gazette",
     "text": "Harbour to reopen\n\n\"The harbour will reopen to fishing boats on Monday morning,\" "
             "harbour master Ellen Varga said on Thursday.\n"},
    {"id": "harbour-2", "title": "Boats return", "published": "2024-02-03", "outlet": "Bay Times",
     "text": "Boats return\n\nRepairs cost less than expected, officials said on Friday. \"The harbour will "
             "reopen to fishing boats on Monday,\" said Ellen Varga, who runs the port.\n"},
]


def write_corpus(folder):
    folder.mkdir()
    for name, text in DOCS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "feeds.jsonl").write_text("".join(json.dumps(d) + "\n" for d in JSONL), encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02\xff\xfe binary junk \x00" * 20)
    return folder


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    """One corpus, ingested once through the CLI, for the read-only commands below."""
    root = tmp_path_factory.mktemp("store_cli")
    folder = write_corpus(root / "docs")
    db = root / "corpus.db"
    result = run("ingest", folder, "--db", db)
    return folder, db, result


def test_ingest_reports_the_bad_file_and_stores_the_rest(corpus_db):
    folder, db, result = corpus_db
    assert result.exit_code == 1
    assert "6 added, 0 already present, 1 failed" in result.stdout
    assert "broken.txt" in result.stderr
    again = run("ingest", folder, "--db", db)
    assert again.exit_code == 1 and "0 added, 6 already present, 1 failed" in again.stdout


def test_speakers_are_merged_across_documents_and_kept_apart(corpus_db):
    _, db, _ = corpus_db
    found = {s["name"]: s for s in json.loads(run("speakers", "--db", db, "--format", "json").stdout)}
    assert found["John Kirby"]["documents"] == 2  # "John Kirby" and "Kirby" in two documents
    assert found["Ellen Varga"]["documents"] == 2
    assert {"Lloyd Austin", "Austin Ekeler"} <= set(found)
    profile = run("speaker", "Kirby", "--db", db)
    assert profile.exit_code == 0
    assert "John Kirby [person]" in profile.stdout
    assert "National Security Council spokesperson: 2024-01-05 .. 2024-01-05" in profile.stdout


def test_search_shows_variants_and_the_misattribution(corpus_db):
    _, db, _ = corpus_db
    hits = json.loads(run("search", "wider war", "--db", db, "--format", "json").stdout)
    assert {h["doc_id"] for h in hits} == {"kirby_rudaw", "kirby_wire", "austin"}
    assert all(h["variants"] == 3 and h["misattributed"] for h in hits)
    table = run("search", "wider war", "--db", db).stdout
    assert "MISATTRIBUTED" in table and "Lloyd Austin" in table
    kirby = json.loads(run("search", "wider war", "--speaker", "Kirby", "--db", db, "--format", "json").stdout)
    assert {h["doc_id"] for h in kirby} == {"kirby_rudaw", "kirby_wire"}
    dated = json.loads(run("search", "harbour", "--since", "2024-02-02", "--db", db, "--format", "json").stdout)
    assert {h["outlet"] for h in dated} == {"Bay Times"}
    outlet = json.loads(run("search", "harbour", "--outlet", "coast gazette", "--db", db, "--format", "json").stdout)
    assert {h["doc_id"] for h in outlet} == {"harbour-1"}


@pytest.mark.parametrize("text", ["AND", '"unbalanced', "*", "war OR", "NEAR("])
def test_search_syntax_never_crashes(corpus_db, text):
    _, db, _ = corpus_db
    plain = run("search", text, "--db", db)
    assert plain.exit_code == 0 or (plain.exit_code == 1 and "it has no words" in plain.stderr)
    raw = run("search", text, "--raw", "--db", db)
    assert raw.exit_code == 0 or (raw.exit_code == 1 and "search syntax error" in raw.stderr)


def test_show_and_unknown_document(corpus_db):
    _, db, _ = corpus_db
    shown = json.loads(run("show", "harbour-2", "--db", db).stdout)
    assert shown["doc_id"] == "harbour-2" and shown["outlet"] == "Bay Times"
    missing = run("show", "nope", "--db", db)
    assert missing.exit_code == 1 and "no document 'nope'" in missing.stderr


def test_exports_are_deterministic_whatever_the_order_and_jobs(corpus_db, tmp_path):
    folder, db, _ = corpus_db
    files = sorted(p for p in folder.iterdir() if p.name != "broken.txt")
    other = tmp_path / "other.db"
    assert run("ingest", *reversed(files), "--db", other, "--jobs", 2).exit_code == 0
    for fmt in ("jsonl", "csv"):
        assert run("export", "--db", db, "--format", fmt, "-o", tmp_path / f"a.{fmt}").exit_code == 0
        assert run("export", "--db", other, "--format", fmt, "-o", tmp_path / f"b.{fmt}").exit_code == 0
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
    rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows and rows[0]["published"] == "2024-01-05"
    pq = pytest.importorskip("pyarrow.parquet")
    assert run("export", "--db", db, "--format", "parquet", "-o", tmp_path / "a.parquet").exit_code == 0
    assert pq.read_table(tmp_path / "a.parquet").to_pylist() == rows


def test_a_database_from_a_newer_onrecord_is_refused(tmp_path):
    db = tmp_path / "future.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 42")
    result = run("speakers", "--db", db)
    assert result.exit_code == 1 and "newer onrecord" in result.stderr


def test_verify_against_the_corpus_uses_the_earliest_version(tmp_path):
    first = {"id": "first", "published": "2024-03-01", "text": (
        "Bridge pledge\n\n\u201cWe will rebuild the bridge by spring, whatever it costs the city in the end,\u201d "
        "said Mayor Dana Whitfield.\n")}
    (tmp_path / "first.jsonl").write_text(json.dumps(first) + "\n", encoding="utf-8")
    later = tmp_path / "later.txt"
    later.write_text("Mayor repeats pledge\n\n\u201cWe will rebuild the bridge by spring, whatever the cost,\u201d "
                     "said Mayor Dana Whitfield.\n", encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert CliRunner().invoke(cli, ["ingest", str(tmp_path / "first.jsonl"), "--db", db]).exit_code == 0
    alone = CliRunner().invoke(cli, ["verify", str(later)])
    assert json.loads(alone.stdout)["quotes"][-1]["fidelity"]["status"] == "no_source"
    res = CliRunner().invoke(cli, ["verify", str(later), "--db", db])
    assert res.exit_code == 0, res.output
    fidelity = json.loads(res.stdout)["quotes"][-1]["fidelity"]
    assert fidelity["status"] == "altered" and fidelity["source_doc"] == "first"
    assert {"op": "replace", "quote": "the cost", "source": "it costs"} in fidelity["changes"]
