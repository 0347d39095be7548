"""The corpus commands end to end: real extraction of small documents written for these tests."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date

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
    """Run the CLI in-process. CliRunner catches every exception (its output never holds a traceback),
    so check what it caught: nothing, or the SystemExit of a deliberate exit status."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
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
    table = pq.read_table(tmp_path / "a.parquet")
    assert str(table.schema.field("published").type) == "date32[day]"  # a date, not a string
    dated = [{**r, "published": r["published"] and date.fromisoformat(r["published"])} for r in rows]
    assert table.to_pylist() == dated
    piped = run("export", "--db", db, "--format", "parquet")
    assert piped.exit_code == 0 and pq.read_table(io.BytesIO(piped.stdout_bytes)).to_pylist() == dated


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


@pytest.mark.parametrize("command", [
    ["search", "war"], ["speakers"], ["speaker", "Kirby"], ["show", "harbour-1"], ["export"], ["export", "-o", "x.csv"],
    ["verify", "{doc}"],
])
def test_a_missing_database_is_an_error_and_is_not_created(tmp_path, command):
    doc = tmp_path / "a.txt"
    doc.write_text(DOCS["kirby_wire.txt"], encoding="utf-8")
    typo = tmp_path / "corpsu.db"
    result = run(*[str(doc) if a == "{doc}" else a for a in command], "--db", typo)
    assert result.exit_code == 1
    assert f"{typo}: no corpus database here (onrecord ingest creates one)" in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_export_writes_data_to_stdout_and_messages_to_stderr(corpus_db, tmp_path):
    _, db, _ = corpus_db
    plain = run("export", "--db", db)
    dash = run("export", "--db", db, "-o", "-")
    assert plain.exit_code == dash.exit_code == 0
    assert plain.stdout == dash.stdout
    rows = [json.loads(line) for line in plain.stdout.splitlines()]
    assert len(rows) >= 6 and plain.stderr == f"{len(rows)} quotes written to stdout\n"
    run("export", "--db", db, "-o", tmp_path / "rows.jsonl")
    assert (tmp_path / "rows.jsonl").read_text(encoding="utf-8") == plain.stdout


def test_csv_export_starts_with_a_bom_for_excel(corpus_db, tmp_path):
    _, db, _ = corpus_db
    assert run("export", "--db", db, "--format", "csv", "-o", tmp_path / "q.csv").exit_code == 0
    data = (tmp_path / "q.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdoc_id,doc_hash,")
    with open(tmp_path / "q.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert any("\u201c" in r["text"] or "Kirby" in r["speaker"] for r in rows)
    assert run("export", "--db", db, "--format", "csv").stdout_bytes == data


def test_confidence_is_rounded_at_the_record_so_exports_carry_no_float_noise(corpus_db, tmp_path):
    from onrecord import Corpus, Quote, Record

    _, db, _ = corpus_db
    rows = [json.loads(line) for line in run("export", "--db", db).stdout.splitlines()]
    assert rows and all(r["confidence"] == round(r["confidence"], 3) for r in rows)
    text = "\u201cThe tide is late,\u201d he said."
    noisy = 0.7 * 0.8  # 0.5599999999999999, as a scorer's product of factors gives it
    quote = Quote(id="q1", type="direct", start=1, end=17, text=text[1:17], confidence=noisy)
    assert quote.confidence == 0.56
    with Corpus(tmp_path / "one.db") as corpus:
        corpus.add(Record(doc_id="tide", text=text, quotes=(quote,)))
    for fmt in ("jsonl", "csv"):
        out = run("export", "--db", tmp_path / "one.db", "--format", fmt).stdout
        assert "0.56" in out and "0.5599" not in out


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_export_refuses_to_write_over_the_database(corpus_db, suffix):
    _, db, _ = corpus_db
    before = db.read_bytes()
    result = run("export", "--db", db, "-o", f"{db}{suffix}")
    assert result.exit_code == 1 and "is the corpus database" in result.stderr
    assert db.read_bytes() == before
    assert json.loads(run("show", "harbour-1", "--db", db).stdout)["doc_id"] == "harbour-1"


def test_a_failed_export_leaves_the_old_file_whole(corpus_db, tmp_path, monkeypatch):
    from onrecord.store import export as export_module

    _, db, _ = corpus_db
    target = tmp_path / "quotes.jsonl"
    target.write_text("last week's export\n", encoding="utf-8")
    real_rows = export_module.rows

    def dies_half_way(database, **filters):
        for i, row in enumerate(real_rows(database, **filters)):
            if i == 3:
                raise MemoryError("out of memory half-way")
            yield row

    monkeypatch.setattr(export_module, "rows", dies_half_way)
    result = run("export", "--db", db, "-o", target)
    assert result.exit_code == 1 and "MemoryError" in result.stderr
    assert target.read_text(encoding="utf-8") == "last week's export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["quotes.jsonl"]  # the temporary file is gone


def test_json_lines_exports_escape_line_breaking_characters(tmp_path):
    doc = {"id": "sep", "title": "Odd\u2028title\u0085here", "text": "Bridge news\n\n\u201cThe bridge opens on "
           "Monday,\u201d said Mayor Dana Whitfield.\n"}
    (tmp_path / "feed.jsonl").write_text(json.dumps(doc) + "\n", encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("ingest", tmp_path / "feed.jsonl", "--db", db).exit_code == 0
    out = run("export", "--db", db).stdout
    assert not {"\u2028", "\u2029", "\u0085"} & set(out) and len(out.splitlines()) == 1
    assert json.loads(out)["title"] == "Odd\u2028title\u0085here"


def test_an_empty_speaker_is_refused(corpus_db):
    _, db, _ = corpus_db
    result = run("search", "war", "--speaker", "", "--db", db)
    assert result.exit_code == 2 and "--speaker is empty" in result.stderr


def test_ingest_verbose_names_each_document(tmp_path):
    (tmp_path / "feed.jsonl").write_text("".join(json.dumps(d) + "\n" for d in JSONL), encoding="utf-8")
    db = tmp_path / "c.db"
    first = run("ingest", tmp_path / "feed.jsonl", "--db", db, "--verbose")
    assert first.stderr.splitlines() == ["added harbour-1", "added harbour-2"]
    again = run("ingest", tmp_path / "feed.jsonl", "--db", db, "-v")
    assert again.stderr.splitlines() == ["present harbour-1", "present harbour-2"]
    assert run("ingest", tmp_path / "feed.jsonl", "--db", db).stderr == ""


# --- issue 10: dates, verdicts and confidence as the user meets them ------------------------------

DATED = [
    {"id": "caption", "text": (
        "Rockets name a new captain\n\n"
        "WATCH (Aired Sept. 18, 2007): Marcus Ellery joins the team as a rookie\n\n"
        "\u201cI have waited a long time for this and I will not let the guys down,\u201d Marcus Ellery told "
        "reporters after practice on Thursday.\n")},
    {"id": "mentioned", "text": (
        "Trial footage released\n\n"
        "The video was recorded on Jan. 17, 2019, during a break.\n\n"
        "\u201cThe footage shows exactly what we said it would show,\u201d defence lawyer Rita Moss said.\n")},
    {"id": "dateline", "text": (
        "Harbour reopens\n\n"
        "RIVERTON, Feb. 14, 2019 \u2014 Boats came back on Thursday.\n\n"
        "\u201cThe harbour is open again and the boats are already coming back in,\u201d harbour master "
        "Ellen Varga said.\n")},
    {"id": "wire", "text": (
        "Ferry strike ends\n\n"
        "PORTLAND, Maine, March 3, 2019 (AP) \u2014 Ferry crews went back to work on Sunday after a four-day "
        "strike that stranded hundreds of island residents.\n\n"
        "\u201cWe got what we came for and the boats are running again tonight,\u201d union steward Paul Dorsey "
        "said.\n")},
    {"id": "metadata", "published": "2019-03-01T08:00:00Z", "text": (
        "Harbour fees fall\n\n"
        "Published: Feb. 20, 2019\n\n"
        "\u201cThe fees will fall for every boat that docks here this spring,\u201d harbour master "
        "Ellen Varga said.\n")},
]


def test_publication_dates_come_from_metadata_or_dateline_never_a_caption(tmp_path):
    feed = tmp_path / "dated.jsonl"
    feed.write_text("".join(json.dumps(d) + "\n" for d in DATED), encoding="utf-8")
    db = tmp_path / "dated.db"
    assert run("ingest", feed, "--db", db).exit_code == 0
    rows = [json.loads(line) for line in run("export", "--db", db).stdout.splitlines()]
    published = {r["doc_id"]: r["published"] for r in rows}
    assert published == {"caption": None, "mentioned": None, "dateline": "2019-02-14", "wire": "2019-03-03",
                         "metadata": "2019-03-01"}
    old = json.loads(run("search", "--until", "2010", "--db", db, "--format", "json").stdout)
    assert old == []  # the 2007 caption does not date the story


def test_html_metadata_date_wins_over_dates_in_the_page(tmp_path):
    body = ("<p>WATCH (Aired Sept. 18, 2007): Marcus Ellery joins the team as a rookie</p>"
            "<p>Published: Jan. 3, 2010</p>"
            "<p>The Rockets gave the captaincy to their longest-serving defenceman on Thursday, ending a "
            "season-long search for a leader in the dressing room.</p>"
            "<p>\u201cI have waited a long time for this and I will not let the guys down,\u201d Ellery told "
            "reporters after practice in the downtown arena.</p>")
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Rockets name a new captain</title>"
            "{meta}</head><body><article><h1>Rockets name a new captain</h1>" + body + "</article></body></html>")
    dated = tmp_path / "dated.html"
    dated.write_text(page.replace("{meta}", '<meta property="article:published_time" '
                                            'content="2019-02-14T09:30:00-05:00">'), encoding="utf-8")
    undated = tmp_path / "undated.html"
    undated.write_text(page.replace("{meta}", "").replace("<p>Published: Jan. 3, 2010</p>", ""), encoding="utf-8")
    records = [json.loads(line) for line in run("extract", dated, undated).stdout.splitlines()]
    assert [r["published"] for r in records] == ["2019-02-14", None]


def _checked_corpus(path):
    from onrecord.record import Fidelity, Quote, Record, Speaker
    from onrecord.store import Corpus

    lines = ["The bridge will be rebuilt before the first snow falls", "We never promised a date for the tunnel"]
    text = " ".join(f"\u201c{w},\u201d said Mayor Dana Whitfield." for w in lines)
    quotes = tuple(Quote(f"q{i}", "direct", text.index(w), text.index(w) + len(w), w, "s0", confidence=c,
                         fidelity=Fidelity(status))
                   for i, (w, c, status) in enumerate(zip(lines, (0.9, 0.2), ("verbatim", "no_source"), strict=True)))
    with Corpus(path) as corpus:
        corpus.add(Record("bridge", text, speakers=(Speaker("s0", "Dana Whitfield", "person"),), quotes=quotes))
    return path


def test_search_finds_no_source_quotes_and_min_confidence_filters(tmp_path):
    db = _checked_corpus(tmp_path / "c.db")
    unchecked = json.loads(run("search", "--fidelity", "no_source", "--db", db, "--format", "json").stdout)
    assert [(h["quote_id"], h["fidelity"]) for h in unchecked] == [("q1", "no_source")]
    every = json.loads(run("search", "--db", db, "--format", "json").stdout)
    assert {h["quote_id"]: h["low_confidence"] for h in every} == {"q0": False, "q1": True}
    assert "low confidence 0.2" in run("search", "tunnel", "--db", db).stdout
    sure = json.loads(run("search", "--min-confidence", "0.5", "--db", db, "--format", "json").stdout)
    assert [h["quote_id"] for h in sure] == ["q0"]
    rows = list(csv.DictReader(io.StringIO(run("export", "--db", db, "--format", "csv",
                                               "--min-confidence", "0.5").stdout.lstrip("\ufeff"))))
    assert [(r["quote_id"], r["low_confidence"], r["fidelity"]) for r in rows] == [("q0", "False", "verbatim")]
    assert run("search", "--min-confidence", "2", "--db", db).exit_code == 2  # not a confidence


BRIEFING = [
    {"id": "briefing", "title": "Press briefing by the harbour board", "published": "2024-03-01", "text": (
        "Press briefing by the harbour board\n\nMS. OKAFOR: Good morning. The board met last night.\n\n"
        "MR. HALE: We will reopen the north pier to fishing boats on Monday, and the ferry follows a week later.\n\n"
        "MS. OKAFOR: Thank you. We will take questions.\n\nQ: When does the ferry run?\n\n"
        "MR. HALE: A week after the pier opens, as I said.")},
    {"id": "article", "title": "North pier to reopen", "published": "2024-03-02", "text": (
        "North pier to reopen\n\nThe harbour board announced the date on Friday.\n\n"
        "\u201cWe will reopen the north pier to fishing boats on Monday, and the ferry follows a week later,\u201d "
        "board chair Grace Okafor said at the briefing.\n\nLocal crews welcomed the news.")},
]


def test_verdicts_of_a_later_verify_are_kept_and_a_source_speaker_shows_as_misattribution(tmp_path):
    feed = tmp_path / "harbour.jsonl"
    feed.write_text("".join(json.dumps(d) + "\n" for d in BRIEFING), encoding="utf-8")
    db = tmp_path / "harbour.db"
    assert run("ingest", feed, "--db", db).exit_code == 0
    before = json.loads(run("search", "north pier", "--db", db, "--format", "json").stdout)
    assert [(h["doc_id"], h["fidelity"], h["misattributed"]) for h in before] == [("article", None, False)]
    assert run("verify", "--db", db, "-o", tmp_path / "checked.jsonl").exit_code == 0
    [hit] = json.loads(run("search", "north pier", "--fidelity", "verbatim", "--db", db, "--format", "json").stdout)
    assert hit["misattributed"] and hit["speaker"] == "Grace Okafor"
    assert [name.casefold() for name in hit["also_credited_to"]] in (["mr. hale"], ["hale"])
    assert "MISATTRIBUTED: also credited to" in run("search", "north pier", "--db", db).stdout


def test_speakers_say_a_surname_alone_is_ambiguous_only_when_several_people_have_it(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    stories = {
        "pier.txt": "HALIFAX, May 2, 2024 — Harbour staff met on Friday. Ms. Okafor said the pier would reopen in June.\n",
        "lind1.txt": "OTTAWA, May 3, 2024 — Senator Ada Lind said the bill was at risk of being struck down.\n",
        "lind2.txt": "OTTAWA, May 4, 2024 — Farmer Tom Lind said the rain came far too late for his crop.\n",
        "lind3.txt": "OTTAWA, May 5, 2024 — The vote was close. Mx. Lind said the debate would resume next week.\n",
    }
    for name, text in stories.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "c.db"
    assert run("ingest", folder, "--db", db).exit_code == 0
    lines = {line.split(" docs  ")[1].split(" [")[0]: line for line in run("speakers", "--db", db).stdout.splitlines()}
    assert lines["Okafor"].endswith("[person]  (surname only)")
    assert lines["Lind"].endswith("(surname only: 2 people have it)")
    assert not lines["Ada Lind"].endswith(")")
