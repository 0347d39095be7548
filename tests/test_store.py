"""The corpus store through its Python API, on hand-built records (no parse needed)."""
from __future__ import annotations

import csv
import json
import re
import sqlite3
from dataclasses import replace

import pytest

from onrecord.errors import ConfigError, StoreError
from onrecord.record import Fidelity, Quote, Record, Span, Speaker
from onrecord.store import SCHEMA_VERSION, Corpus

WAR = "We are not looking for a wider war with Iran and we will defend our troops in the region"
TALKS = "The talks in Doha made real progress this week and we expect an agreement soon"


def record(doc_id, quotes, *, published=None, outlet=None, extra="") -> Record:
    """A record whose text holds each quote, credited to (name, kind, titles)."""
    text, speakers, out = extra, {}, []
    for i, (words, name, kind, *titles) in enumerate(quotes):
        sid = speakers.setdefault(name, (f"s{len(speakers)}", kind, tuple(titles)))[0]
        start = len(text) + 1
        text += f'"{words}," said {name}. '
        out.append(Quote(f"q{i}", "direct", start, start + len(words), words, sid,
                         fidelity=Fidelity("verbatim" if i == 0 else "no_source")))
    spk = tuple(Speaker(sid, name, kind, (Span.of(text, text.index(name), text.index(name) + len(name)),), titles)
                for name, (sid, kind, titles) in speakers.items())
    return Record(doc_id=doc_id, text=text, published=published, outlet=outlet, speakers=spk, quotes=tuple(out))


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        yield c


def names(corpus):
    return sorted(s.name for s in corpus.speakers(top=100))


def test_same_text_twice_is_stored_once(corpus):
    r = record("a", [(WAR, "John Kirby", "person")])
    assert corpus.add(r) is True
    assert corpus.add(r.evolve(doc_id="renamed")) is False
    assert corpus.counts()["documents"] == 1 and corpus.counts()["quotes"] == 1


def test_kirby_forms_merge_into_one_person_with_title_timeline(corpus):
    corpus.add(record("a", [(WAR, "Kirby", "person")], published="2024-01-01"))
    corpus.add(record("b", [(TALKS, "NSC spokesperson John Kirby", "person")], published="2024-02-01"))
    corpus.add(record("c", [("Nothing was decided about the carrier group today", "John Kirby", "person",
                             "Pentagon press secretary")], published="2023-05-01"))
    assert names(corpus) == ["John Kirby"]
    profile = corpus.speaker("Kirby")
    assert profile.summary.quotes == 3 and profile.summary.documents == 3
    timeline = {t.title: (t.first, t.last, t.doc_ids) for t in profile.titles}
    assert timeline == {"Pentagon press secretary": ("2023-05-01", "2023-05-01", ("c",)),
                        "NSC spokesperson": ("2024-02-01", "2024-02-01", ("b",))}
    assert [e.doc_id for e in profile.evidence] == ["c", "a", "b"]  # evidence kept, oldest first
    assert {e.name for e in profile.evidence} == {"Kirby", "NSC spokesperson John Kirby", "John Kirby"}


def test_different_people_sharing_a_name_stay_apart(corpus):
    corpus.add(record("a", [(WAR, "Lloyd Austin", "person"), (TALKS, "Austin Ekeler", "person")]))
    corpus.add(record("b", [("The city council voted to expand the light rail line", "Austin", "organization")]))
    assert names(corpus) == ["Austin", "Austin Ekeler", "Lloyd Austin"]
    kinds = {s.name: s.kind for s in corpus.speakers()}
    assert kinds["Austin"] == "organization"


def test_a_surname_alone_joins_the_only_person_with_it_until_a_second_one_appears(corpus):
    corpus.add(record("a", [(WAR, "Austin", "person")]))
    [alone] = corpus.speakers()
    assert alone.surname_only and not alone.ambiguous  # nobody named yet: kept apart, but nobody else is meant
    corpus.add(record("b", [(TALKS, "Defense Secretary Lloyd Austin", "person")]))
    assert names(corpus) == ["Lloyd Austin"] and corpus.speaker("Lloyd Austin").summary.quotes == 2
    corpus.add(record("c", [("Our team will play harder in the second half tonight", "Sarah Austin", "person")]))
    found = {s.name: s for s in corpus.speakers()}
    assert set(found) == {"Austin", "Lloyd Austin", "Sarah Austin"}
    assert found["Austin"].ambiguous and found["Austin"].namesakes == 2 and found["Lloyd Austin"].quotes == 1


@pytest.mark.parametrize("name", ["J. K.", "U.S.", "A", "the spokesperson", "Mr.", "", "NSC", "KIRBY"])
def test_odd_person_names_are_stored(corpus, name):
    corpus.add(record("a", [(WAR, name or "x", "person")]).evolve(
        speakers=(Speaker("s0", name, "person"),)))
    assert corpus.counts()["speakers"] == 1


def test_anonymous_sources_are_not_merged_across_documents(corpus):
    corpus.add(record("a", [(WAR, "a senior official", "anonymous")]))
    corpus.add(record("b", [(TALKS, "a senior official", "anonymous")]))
    assert corpus.speakers() == []  # not in the named list
    assert corpus.counts()["speakers"] == 2


def test_variants_cluster_across_documents_with_earliest_and_differences(corpus):
    corpus.add(record("later", [(WAR, "John Kirby", "person")], published="2024-03-02", outlet="CNN"))
    corpus.add(record("first", [(WAR.replace("wider war", "war"), "John Kirby", "person")],
                      published="2024-03-01", outlet="Rudaw"))
    corpus.add(record("cut", [(WAR[: WAR.index(" and ")], "Kirby", "person")], published="2024-03-03", outlet="AP"))
    corpus.add(record("other", [(TALKS, "John Kirby", "person")], published="2024-03-01"))
    profile = corpus.speaker("John Kirby")
    top = corpus.clusters(profile.top_clusters)[0]
    assert [v.doc_id for v in top.variants] == ["first", "later", "cut"]
    assert top.earliest.changes == ()
    later = top.variants[1]
    assert later.status == "altered"
    assert [(c.op, c.quote, c.source) for c in later.changes] == [("insert", "wider", "")]
    cut = top.variants[2]  # a truncation: only the added word differs, not the words it left out
    assert [(c.op, c.quote) for c in cut.changes] == [("insert", "wider")]
    assert not top.misattributed
    hits = corpus.search("Doha")
    assert len(hits) == 1 and hits[0].variants == 1


def test_clustering_continues_in_a_later_session(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        c.add(record("a", [(WAR, "John Kirby", "person")]))
    with Corpus(tmp_path / "c.db") as c:
        c.add(record("b", [(WAR + " as always", "John Kirby", "person")]))
        assert c.search("troops")[0].variants == 2


def test_misattribution_is_flagged_with_the_documents_on_each_side(corpus):
    corpus.add(record("a", [(WAR, "John Kirby", "person")], published="2024-01-01"))
    corpus.add(record("b", [(WAR, "Kirby", "person")], published="2024-01-02"))
    corpus.add(record("c", [(WAR, "Lloyd Austin", "person")], published="2024-01-03"))
    corpus.add(record("d", [(TALKS, "John Kirby", "person")]))
    [flagged] = corpus.misattributions()
    assert flagged.speakers == {"person:john kirby": ["a", "b"], "person:lloyd austin": ["c"]}
    hits = {h.doc_id: h for h in corpus.search("wider war")}
    assert set(hits) == {"a", "b", "c"} and all(h.misattributed for h in hits.values())
    assert not corpus.search("Doha")[0].misattributed


def test_search_filters(corpus):
    corpus.add(record("a", [(WAR, "John Kirby", "person"), (TALKS, "Lloyd Austin", "person")],
                      published="2024-01-05T10:00:00Z", outlet="Rudaw"))
    corpus.add(record("b", [(WAR + " again", "Lloyd Austin", "person")], published="2024-02-01", outlet="AP"))
    assert {h.doc_id for h in corpus.search("war")} == {"a", "b"}
    assert [h.doc_id for h in corpus.search("war", speaker="Kirby")] == ["a"]
    assert [h.doc_id for h in corpus.search("war", outlet="ap")] == ["b"]
    assert [h.doc_id for h in corpus.search("war", since="2024-01-06")] == ["b"]
    assert [h.doc_id for h in corpus.search("war", until="2024-01-05")] == ["a"]
    assert [h.quote_id for h in corpus.search("", speaker="Lloyd Austin", fidelity="verbatim")] == ["q0"]
    assert corpus.search("war", type="indirect") == []
    corpus.add(record("c", [(WAR, "Commission President Ursula von der Leyen", "person"),
                            (TALKS, "The European Commission", "organization")]))
    assert [h.doc_id for h in corpus.search("war", speaker="von der Leyen")] == ["c"]
    assert [h.doc_id for h in corpus.search("Doha", speaker="the European Commission")] == ["c"]
    assert corpus.search("troops Doha") == []  # every word must match
    with pytest.raises(ConfigError, match="--since 'last week' is not a date"):
        corpus.search("war", since="last week")
    with pytest.raises(StoreError, match="no speaker named"):
        corpus.search("war", speaker="Nobody Here")


SYNTAX_DOCS = {
    "a": WAR,
    "b": "The talks in Doha made real progress this week, we expect an agreement soon",
    "c": "Whether war or peace comes, the col said, the budget is unbalanced and near collapse",
}


@pytest.mark.parametrize(
    "text", ["AND", "war AND", '"unbalanced', "NEAR(", "OR war", "war*", "col:war", "war -troops ^"]
)
def test_search_text_is_words_never_syntax(corpus, text):
    for doc_id, words in SYNTAX_DOCS.items():
        corpus.add(record(doc_id, [(words, "John Kirby", "person")]))
    wanted = {w.lower() for w in re.findall(r"\w+", text)}
    expected = {d for d, words in SYNTAX_DOCS.items() if wanted <= {w.lower() for w in re.findall(r"\w+", words)}}
    assert expected and expected != set(SYNTAX_DOCS)  # each case keeps some documents and drops others
    assert {h.doc_id for h in corpus.search(text)} == expected


def test_raw_search_syntax_and_its_errors(corpus):
    corpus.add(record("a", [(WAR, "John Kirby", "person")]))
    assert len(corpus.search("troop*", raw=True)) == 1
    assert len(corpus.search('"wider war" OR Doha', raw=True)) == 1
    for bad in ("AND", '"unbalanced', "war AND"):
        with pytest.raises(StoreError, match="syntax"):
            corpus.search(bad, raw=True)
    with pytest.raises(StoreError, match="no words"):
        corpus.search("*")


def test_show_by_doc_id_or_hash(corpus):
    r = record("a", [(WAR, "John Kirby", "person")], outlet="Rudaw")
    corpus.add(r)
    assert corpus.show("a") == r
    digest = corpus.search("war")[0].doc_hash
    assert corpus.show(digest[:12]) == r
    corpus.add(record("a", [(TALKS, "John Kirby", "person")]))
    with pytest.raises(StoreError, match="2 documents match 'a'"):
        corpus.show("a")
    with pytest.raises(StoreError, match="no document 'zzz'"):
        corpus.show("zzz")


def _corpus_records():
    return [
        record("a", [(WAR, "John Kirby", "person"), (TALKS, "Lloyd Austin", "person")], published="2024-01-02"),
        record("b", [(WAR[:62], "Kirby", "person")], published="2024-01-01", outlet="AP"),
        record("c", [(WAR, "Lloyd Austin", "person")], outlet="CNN"),
        record("d", [("A quote, with \"commas\" and\nnewlines in it for the csv", "a senior official", "anonymous")]),
    ]


def test_export_is_identical_whatever_the_ingest_order(tmp_path):
    outputs = []
    for name, order in (("one", [0, 1, 2, 3]), ("two", [3, 2, 1, 0])):
        with Corpus(tmp_path / f"{name}.db") as c:
            recs = _corpus_records()
            c.add_all(recs[i] for i in order)
            assert c.export(tmp_path / f"{name}.jsonl", "jsonl") == 5
            c.export(tmp_path / f"{name}.csv", "csv")
        outputs.append(((tmp_path / f"{name}.jsonl").read_bytes(), (tmp_path / f"{name}.csv").read_bytes()))
    assert outputs[0] == outputs[1]
    rows = [json.loads(line) for line in outputs[0][0].decode().splitlines()]
    assert [r["doc_id"] for r in rows] == ["b", "a", "a", "c", "d"]  # dated first, oldest first
    war = [r for r in rows if "wider war" in r["text"]]
    assert len({r["cluster"] for r in war}) == 1 and all(r["misattributed"] for r in war)
    assert {r["corpus_speaker"] for r in war} == {"John Kirby", "Lloyd Austin"}
    with open(tmp_path / "one.csv", newline="", encoding="utf-8") as f:
        assert [r["text"] for r in csv.DictReader(f)] == [r["text"] for r in rows]


def test_parquet_export_reads_back_with_pyarrow(corpus, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    corpus.add_all(_corpus_records())
    assert corpus.export(tmp_path / "q.parquet", "parquet") == 5
    table = pq.read_table(tmp_path / "q.parquet")
    assert table.num_rows == 5
    assert table.column("misattributed").to_pylist().count(True) == 3
    with pytest.raises(StoreError, match="choose one of"):
        corpus.export(tmp_path / "q.xml", "xml")


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Corpus(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(StoreError, match="schema version 99 was written by a newer onrecord"):
        Corpus(path)


def test_an_older_schema_is_migrated_and_its_quotes_clustered(tmp_path):
    path = tmp_path / "old.db"
    with Corpus(path) as c:
        c.add_all(_corpus_records())
        before = [h.to_dict() for h in c.search("war")]
    _downgrade_to_v1(path)
    with Corpus(path) as c:
        assert c.db.version == SCHEMA_VERSION
        assert [h.to_dict() for h in c.search("war")] == before
        assert len(c.misattributions()) == 1


def test_a_record_that_cannot_be_stored_is_reported_and_the_rest_lands(corpus):
    good = record("good", [(TALKS, "John Kirby", "person")])
    broken = record("broken", [(WAR, "John Kirby", "person")])
    broken = broken.evolve(quotes=(broken.quotes[0].__class__(**{**broken.quotes[0].__dict__, "type": None}),))
    summary = corpus.add_all([broken, good])
    assert summary.added == 1 and [o.name for o in summary.failed] == ["broken"]
    assert "broken: cannot be stored" in summary.failed[0].reason
    assert corpus.counts() == {"documents": 1, "quotes": 1, "turns": 0, "speakers": 1}


def test_a_resumed_ingest_extracts_only_what_is_missing(tmp_path, monkeypatch):
    from onrecord import pipeline

    for i in range(3):
        (tmp_path / f"d{i}.txt").write_text(f"“The pier reopens on day {i},” said Mayor Ines Alvarez.\n", encoding="utf-8")
    with Corpus(tmp_path / "c.db") as corpus:
        first = corpus.ingest([str(tmp_path / "d0.txt"), str(tmp_path / "d1.txt")])
        assert first.added == 2
        parsed = []
        real = pipeline.extract_batch
        monkeypatch.setattr(pipeline, "extract_batch",
                        lambda docs, options: parsed.extend(d.doc_id for d in docs) or real(docs, options))
        again = corpus.ingest([str(tmp_path)])
    assert (again.added, again.present) == (1, 2)
    assert parsed == ["d2"]


# --- opening: read-only, missing, older, damaged, raced ------------------------------------------

def _stored_corpus(path, n=3):
    with Corpus(path) as c:
        c.add_all(record(f"d{i}", [(WAR + f" in week {i}", "John Kirby", "person"),
                                   (TALKS + f" {i}", "Lloyd Austin", "person")], published=f"2024-01-0{i + 1}")
                  for i in range(n))
    return path


def test_a_read_only_open_of_a_missing_file_says_so_and_creates_nothing(tmp_path):
    path = tmp_path / "typo.db"
    with pytest.raises(StoreError, match=re.escape(f"{path}: no corpus database here (onrecord ingest creates one)")):
        Corpus(path, create=False)
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_open_changes_nothing_and_cannot_write(tmp_path):
    path = _stored_corpus(tmp_path / "c.db")
    before = path.read_bytes()
    with Corpus(path, create=False) as c:
        assert {h.doc_id for h in c.search("war")} == {"d0", "d1", "d2"}
        assert c.speaker("Kirby").summary.quotes == 3
        with pytest.raises(StoreError, match="readonly"):
            c.add(record("new", [(TALKS, "John Kirby", "person")]))
    assert path.read_bytes() == before


def _downgrade_to_v1(path):
    """Take a corpus file back to what schema 1 had (no clusters, meta, or any later column), keeping its data."""
    from onrecord.store.db import Database

    v1 = Database(path.parent / "v1-shape.db", target_version=1)
    def shape(conn):
        return {(r[0], r[1]) for r in conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                                                   " AND name NOT LIKE 'quote_fts_%'")}
    keep = shape(v1.conn)
    columns = {t: {r[1] for r in v1.conn.execute(f'PRAGMA table_info("{t}")')} for kind, t in keep if kind == "table"}
    v1.close()
    with sqlite3.connect(path) as conn:
        for kind, name in sorted(shape(conn) - keep, key=lambda x: x[0] != "index"):  # indexes first
            conn.execute(f'DROP {kind.upper()} "{name}"')
        for table, wanted in columns.items():
            for r in conn.execute(f'PRAGMA table_info("{table}")').fetchall():
                if r[1] not in wanted:
                    conn.execute(f'ALTER TABLE "{table}" DROP COLUMN "{r[1]}"')
        conn.execute("UPDATE quotes SET cluster = NULL, fidelity = NULL")
        conn.execute("PRAGMA user_version = 1")


def test_an_older_schema_is_refused_read_only_and_left_as_it_was(tmp_path):
    path = _stored_corpus(tmp_path / "c.db")
    _downgrade_to_v1(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"schema version 1 is older.*run `onrecord ingest`"):
        Corpus(path, create=False)
    assert path.read_bytes() == before
    with Corpus(path) as c:  # ingest's open upgrades it
        assert c.db.version == SCHEMA_VERSION
    with Corpus(path, create=False) as c:
        assert len(c.search("troops")) == 3


def test_migrations_change_the_schema_only_and_the_corpus_reclusters_after(tmp_path):
    from onrecord.store.db import Database

    path = _stored_corpus(tmp_path / "c.db")
    _downgrade_to_v1(path)
    db = Database(path)  # the migrations alone
    assert db.version == SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM quotes WHERE cluster IS NOT NULL").fetchone()[0] == 0
    assert db.count("quote_buckets") == 0
    db.close()
    with Corpus(path) as c:  # the corpus recomputes what the migration left out
        assert [h.variants for h in c.search("troops")] == [3, 3, 3]


def _damage(path, seed=0):
    """Overwrite the middle three quarters of the file with noise, keeping its length."""
    import random

    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek(size // 8)
        f.write(random.Random(seed).randbytes(size * 3 // 4))


DAMAGED = re.compile(r"database is damaged.*sqlite3 \S+ \"PRAGMA integrity_check\"")


def test_a_damaged_database_is_reported_with_how_to_check_it(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add_all(record(f"d{i}", [(WAR + f" {i} " * i, f"Person{i} Smith", "person")], published="2024-01-01")
                  for i in range(300))
    _damage(path)
    calls = {
        "search": lambda c: c.search("war"), "filters": lambda c: c.search("", since="2024-01-01", limit=500),
        "speakers": lambda c: c.speakers(top=500), "speaker": lambda c: c.speaker("Person7 Smith"),
        "export": lambda c: c.export(tmp_path / "out.jsonl"),
        "add": lambda c: c.add(record("new", [(WAR + " new", "John Kirby", "person")])),
    }
    for name, call in calls.items():
        with pytest.raises(StoreError) as raised, Corpus(path, create=name == "add") as c:
            call(c)
        assert DAMAGED.search(str(raised.value)), (name, str(raised.value))


def test_a_damaged_database_through_the_cli_is_one_message(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import cli

    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add_all(record(f"d{i}", [(WAR + f" {i} " * i, f"Person{i} Smith", "person")]) for i in range(300))
    _damage(path)
    doc = tmp_path / "new.txt"
    doc.write_text(f'"{TALKS}," said John Kirby.\n', encoding="utf-8")
    for args in (["search", "war"], ["speakers"], ["speaker", "Smith"], ["export", "-o", str(tmp_path / "o.jsonl")],
                 ["ingest", str(doc)]):
        result = CliRunner().invoke(cli, [*args, "--db", str(path)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (args, result.output)
        assert DAMAGED.search(result.output), (args, result.output)


@pytest.mark.parametrize("create", [True, False])
def test_a_file_that_is_not_a_database_is_refused(tmp_path, create):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.db: cannot open the corpus database: the file is not a database"):
        Corpus(path, create=create)
    assert path.read_text().startswith("these are my notes")


def _open_at_once(path, barrier):
    barrier.wait()  # every process opens the new file at the same moment
    try:
        with Corpus(path) as c:
            return c.db.version
    except StoreError as exc:
        return str(exc)


def test_processes_opening_a_new_database_at_once_do_not_race_the_migration(tmp_path):
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    with ctx.Manager() as manager, ctx.Pool(4) as pool:
        for round_ in range(6):
            barrier = manager.Barrier(4)
            path = tmp_path / f"new{round_}.db"
            assert pool.starmap(_open_at_once, [(path, barrier)] * 4) == [SCHEMA_VERSION] * 4
            with Corpus(path, create=False) as c:
                assert c.counts()["documents"] == 0


# --- writing: a full or read-only disk stops the ingest ------------------------------------------

def test_a_full_disk_stops_the_ingest_and_keeps_what_was_stored(tmp_path):
    path = tmp_path / "c.db"
    many = [record(f"d{i}", [(f"{WAR} {'and more words ' * 40} {i}", "John Kirby", "person")]) for i in range(200)]
    with Corpus(path) as c:
        c.add(many[0])
        pages = c.db.execute("PRAGMA page_count").fetchone()[0]
        c.db.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk fills up a few documents later
        with pytest.raises(StoreError, match=re.escape(str(path)) + ".*database or disk is full.*stored so far are kept"):
            c.add_all(many[1:])
        stored = c.counts()["documents"]
    assert 1 < stored < len(many)
    with Corpus(path) as c:  # room again: the rest lands, nothing twice
        summary = c.add_all(many)
        assert (summary.added, summary.present) == (len(many) - stored, stored)


def test_a_read_only_database_stops_the_ingest_at_the_first_document(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        c.db.execute("PRAGMA query_only = 1")
        with pytest.raises(StoreError, match=r"c\.db: cannot write the corpus database .*readonly"):
            c.add_all(record(f"d{i}", [(WAR, "John Kirby", "person")]) for i in range(5))


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("given, stored", [
    ("2024-05-06", "2024-05-06"), ("2024-01-05T23:30:00-05:00", "2024-01-05"), ("2024-01-05T10:00:00Z", "2024-01-05"),
    ("May 5, 2024", "2024-05-05"), ("Mon, 06 May 2024 10:00:00 +0000", "2024-05-06"), ("13/06/2024", "2024-06-13"),
    ("05/06/2024", None), ("May 2024", None), ("Tuesday", None), ("not a date", None), ("", None), (None, None),
])
def test_published_is_stored_as_an_iso_day_or_nothing(given, stored):
    from onrecord.store.ingest import iso_day

    assert iso_day(given) == stored


def test_date_filters_compare_days_not_strings(corpus):
    corpus.add(record("may", [(WAR, "John Kirby", "person")], published="May 5, 2024"))
    corpus.add(record("iso", [(WAR + " again", "John Kirby", "person")], published="2025-02-01"))
    corpus.add(record("vague", [(WAR + " once more", "John Kirby", "person")], published="sometime in spring"))
    assert [h.doc_id for h in corpus.search("war", since="2025-01-01")] == ["iso"]
    assert [h.doc_id for h in corpus.search("war", until="2024-05")] == ["may"]
    assert [h.doc_id for h in corpus.search("war", since="2024-05-05", until="2024-05-05")] == ["may"]
    assert {h.doc_id for h in corpus.search("war", until="9999-12-31")} == {"may", "iso"}
    assert {h.published for h in corpus.search("war")} == {"2024-05-05", "2025-02-01", None}
    assert corpus.show("may").published == "May 5, 2024"  # the record is kept as extracted


@pytest.mark.parametrize("text, option, end, day", [
    ("2024-05-01", "--since", False, "2024-05-01"), ("2024-02", "--until", True, "2024-02-29"),
    ("2024", "--since", False, "2024-01-01"), ("2024", "--until", True, "2024-12-31"),
    ("9999-12-31", "--until", True, "9999-12-31"), (" 2024-05-01 ", "--since", False, "2024-05-01"),
])
def test_parse_day_reads_days_months_and_years(text, option, end, day):
    from onrecord.store.search import parse_day

    assert parse_day(text, option, end=end).isoformat() == day


@pytest.mark.parametrize("text", ["2024-05-01garbage", "2024-13-01", "2024-02-30", "24-05-01", "May 2024", "", "0000"])
def test_parse_day_refuses_anything_else_naming_the_option(text):
    from onrecord.store.search import parse_day

    with pytest.raises(ConfigError, match=f"--until {re.escape(repr(text))} is not a date"):
        parse_day(text, "--until")


def test_date_options_through_the_cli(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import cli

    path = _stored_corpus(tmp_path / "c.db")
    ok = CliRunner().invoke(cli, ["search", "war", "--until", "9999-12-31", "--format", "json", "--db", str(path)])
    assert ok.exit_code == 0, ok.output
    assert {h["doc_id"] for h in json.loads(ok.stdout)} == {"d0", "d1", "d2"}
    bad = CliRunner().invoke(cli, ["search", "war", "--since", "2024-05-01garbage", "--db", str(path)])
    assert bad.exit_code != 0 and "--since '2024-05-01garbage' is not a date" in bad.output


def test_dates_stored_before_they_were_normalised_are_normalised_on_upgrade(tmp_path):
    path = _stored_corpus(tmp_path / "c.db")
    with sqlite3.connect(path) as conn:  # as an older onrecord stored them
        conn.execute("UPDATE documents SET published = 'January 2, 2024' WHERE doc_id = 'd1'")
        conn.execute("DELETE FROM meta WHERE key = 'published'")
    with pytest.raises(StoreError, match=r"needs upgrading.*onrecord ingest"):
        Corpus(path, create=False)
    with Corpus(path) as c:
        assert [h.doc_id for h in c.search("war", since="2024-01-02", until="2024-01-02")] == ["d1"]


# --- clusters: pinned LSH parameters, bounded work -----------------------------------------------

def test_lsh_parameters_are_stored_and_buckets_recomputed_when_they_differ(tmp_path, monkeypatch):
    from onrecord.store import clusters

    path = _stored_corpus(tmp_path / "c.db")
    with Corpus(path) as c:
        assert c.db.meta("lsh") == clusters.lsh_parameters()
        assert json.loads(c.db.meta("lsh"))["bands"] == clusters.BANDS
    # a datasketch whose hashes differ (as a new seed gives): stored buckets no longer match new ones
    monkeypatch.setattr(clusters, "SEED", clusters.SEED + 1)
    for cached in (clusters._permutations, clusters.lsh_parameters):
        cached.cache_clear()
    try:
        with Corpus(path) as c:
            assert c.db.meta("lsh") == clusters.lsh_parameters()
            c.add(record("reprint", [(WAR + " in week 1", "John Kirby", "person")]))
            assert {h.variants for h in c.search("troops")} == {4}
    finally:
        monkeypatch.undo()
        for cached in (clusters._permutations, clusters.lsh_parameters):
            cached.cache_clear()


def test_a_much_reprinted_story_keeps_its_buckets_bounded_and_its_variants_together(corpus):
    from onrecord.store.clusters import BUCKET_REPRESENTATIVES

    reprints = 3 * BUCKET_REPRESENTATIVES
    for i in range(reprints):
        corpus.add(record(f"r{i}", [(WAR, "John Kirby", "person")], extra=f"Reprint {i}. "))
    corpus.add(record("cut", [(WAR[: WAR.index(" and ")], "John Kirby", "person")]))
    corpus.add(record("edited", [(WAR.replace("wider", "broader"), "John Kirby", "person")]))
    fullest = corpus.db.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM quote_buckets GROUP BY bucket)")
    assert fullest.fetchone()[0] == BUCKET_REPRESENTATIVES
    assert {h.variants for h in corpus.search("Iran", limit=100)} == {reprints + 2}


# --- fidelity, unicode, speakers -----------------------------------------------------------------

def test_quotes_nothing_was_checked_against_are_found_as_no_source(corpus):
    unchecked = record("plain", [(TALKS, "John Kirby", "person")])
    corpus.add(unchecked.evolve(quotes=tuple(q.__class__(**{**q.__dict__, "fidelity": None}) for q in unchecked.quotes)))
    corpus.add(record("checked", [(WAR, "John Kirby", "person"), (WAR + " too", "John Kirby", "person")]))
    assert {(h.doc_id, h.fidelity) for h in corpus.search("", fidelity="no_source")} == {
        ("plain", None), ("checked", "no_source")}
    assert [h.doc_id for h in corpus.search("", fidelity="verbatim")] == ["checked"]


def test_decomposed_and_composed_accents_match_in_search_and_speakers(corpus):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Marcus Béll")
    corpus.add(record("nfd", [("Le café de la gare restera ouvert tout l'été", nfd, "person")]))
    corpus.add(record("nfc", [(TALKS, "Marcus Béll", "person")]))
    assert names(corpus) == ["Marcus Béll"]
    for query in ("café été", unicodedata.normalize("NFD", "café été")):
        assert [h.doc_id for h in corpus.search(query)] == ["nfd"]
    for who in ("Marcus Béll", nfd, "Béll"):
        assert {h.doc_id for h in corpus.search("", speaker=who)} == {"nfd", "nfc"}


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_speaker_name_matches_no_one_it_is_refused(corpus, name):
    corpus.add(record("a", [(WAR, "John Kirby", "person")]))
    with pytest.raises(ConfigError, match="--speaker"):
        corpus.search("war", speaker=name)
    with pytest.raises(ConfigError, match="--speaker"):
        corpus.speaker(name)


def test_read_only_commands_on_a_mistyped_db_say_so_and_create_nothing(tmp_path):
    from click.testing import CliRunner

    from onrecord.cli import cli

    path = tmp_path / "typo.db"
    for args in (["search", "war"], ["speakers"], ["speaker", "Kirby"], ["show", "a"],
                 ["export", "-o", str(tmp_path / "out.jsonl")]):
        result = CliRunner().invoke(cli, [*args, "--db", str(path)])
        assert result.exit_code == 1, (args, result.output)
        assert "no corpus database here (onrecord ingest creates one)" in result.output, args
    assert sorted(p.name for p in tmp_path.iterdir()) == []


# --- issue 10: the store keeps what extract and verify say -------------------------------------

def _stored_fidelity(corpus):
    return dict(corpus.db.execute("SELECT qid, fidelity FROM quotes ORDER BY qid").fetchall())


def test_no_source_round_trips_and_is_found_by_its_status(corpus):
    r = record("a", [(WAR, "John Kirby", "person"), (TALKS, "John Kirby", "person")])  # q1 is no_source
    corpus.add(r)
    assert _stored_fidelity(corpus) == {"q0": "verbatim", "q1": "no_source"}
    assert corpus.show("a").quotes[1].fidelity == Fidelity("no_source")
    assert [h.quote_id for h in corpus.search(fidelity="no_source")] == ["q1"]
    assert [h.fidelity for h in corpus.search("Doha")] == ["no_source"]


def test_a_record_verified_later_keeps_its_verdicts(corpus):
    r = record("a", [(WAR, "John Kirby", "person"), (TALKS, "John Kirby", "person")])
    unchecked = r.evolve(quotes=tuple(replace(q, fidelity=None) for q in r.quotes))
    corpus.add(unchecked)
    assert _stored_fidelity(corpus) == {"q0": None, "q1": None}
    verified = r.evolve(quotes=(replace(r.quotes[0], fidelity=Fidelity("altered", similarity=0.8)), r.quotes[1]))
    assert corpus.add(verified) is False  # the same document: stored once ...
    assert _stored_fidelity(corpus) == {"q0": "altered", "q1": "no_source"}  # ... with the verdicts
    assert corpus.show("a").quotes[0].fidelity == Fidelity("altered", similarity=0.8)
    assert [h.quote_id for h in corpus.search(fidelity="altered")] == ["q0"]
    corpus.add(unchecked)  # added again unchecked: the verdicts stay
    assert _stored_fidelity(corpus) == {"q0": "altered", "q1": "no_source"}


def test_every_field_of_a_record_round_trips_through_the_store(corpus):
    from onrecord.record import Change, Section, SourceSpan, Turn

    text = ("Harbour talks\n\nRIVERTON — Talks went on. HOST: Will it open? MAYOR VARGA: \u201cThe harbour opens "
            "on Monday,\u201d she said, and \u201cnot a day later.\u201d")
    at = text.index
    cue = Span.of(text, at("she said"), at("she said") + 8)
    fragments = (Span.of(text, at("The harbour"), at(",\u201d she")), Span.of(text, at("not a day"), at(".\u201d")))
    quote = Quote("q1", "mixed", fragments[0].start, fragments[1].end, text[fragments[0].start:fragments[1].end],
                  "s1", speaker_mention=Span.of(text, at("she said"), at("she said") + 3), cue=cue,
                  addressee=Span.of(text, at("HOST"), at("HOST") + 4), confidence=0.72, fragments=fragments,
                  fidelity=Fidelity("minor", "src-1", 3, 30, "The harbour opens on Monday", 0.9123,
                                    (Change("replace", "opens", "reopens", "spelling"),),
                                    (SourceSpan("src-1", 3, 30, "The harbour opens on Monday"),)),
                  headline=True)
    speaker = Speaker("s1", "Ellen Varga", "person", (Span.of(text, at("VARGA"), at("VARGA") + 5),), ("Mayor",),
                      gender="female", gender_evidence=(Span.of(text, at("she said"), at("she said") + 3),))
    turn = Turn("t1", at("HOST"), at(" MAYOR"), text[at("HOST"):at(" MAYOR")], None, "interviewer",
                Span.of(text, at("HOST"), at("HOST") + 4))
    r = Record("harbour", text, title="Harbour talks", source="feeds.jsonl", dateline=Span.of(text, 15, 23),
               published="2024-02-01", outlet="Coast Gazette", url="https://example.org/h",
               sections=(Section("article", 15, len(text)),), speakers=(speaker,), quotes=(quote,), turns=(turn,),
               meta={"model": "en_core_web_sm", "version": "1"})
    assert Record.from_dict(r.to_dict()) == r  # the contract itself
    corpus.add(r)
    assert corpus.show("harbour") == r
    [row] = corpus.db.execute("SELECT type, start, \"end\", cue, confidence, fidelity FROM quotes").fetchall()
    assert tuple(row) == ("mixed", quote.start, quote.end, "she said", 0.72, "minor")


def test_a_corpus_from_before_schema_4_gets_its_verdicts_back(tmp_path):
    path = _stored_corpus(tmp_path / "c.db")  # q0 verbatim, q1 no_source in each document
    _downgrade_to_v1(path)  # which also empties the fidelity column
    with Corpus(path) as c:
        assert set(_stored_fidelity(c).values()) == {"verbatim", "no_source"}
        assert len(c.search(fidelity="no_source")) == 3


# --- misattribution: one statement, two speakers; never a shared phrase or a nested quote ---------

@pytest.mark.parametrize("first, second", [
    ("This is a total disaster", "This is a total victory"),  # two statements opening alike
    ("Our town will never forget them", "Our town will never forget them"),  # a stock line, said by both
])
def test_a_shared_phrase_by_two_people_is_not_a_misattribution(corpus, first, second):
    corpus.add(record("a", [(first, "Dana Whitfield", "person")]))
    corpus.add(record("b", [(second, "Omar Reyes", "person")]))
    assert corpus.misattributions() == []
    hits = corpus.search("this total" if first != second else "never forget")
    assert len(hits) == 2 and not any(h.misattributed for h in hits)
    if first != second:
        assert [h.variants for h in hits] == [1, 1]  # not one statement


def test_the_same_statement_credited_to_two_people_shows_both_sides(corpus):
    corpus.add(record("a", [(WAR, "John Kirby", "person")], published="2024-01-01"))
    corpus.add(record("b", [(WAR + " now", "Lloyd Austin", "person")], published="2024-01-02"))
    [flagged] = corpus.misattributions()
    sides = {s.speaker: s.doc_ids for s in flagged.sides}
    assert sides == {"John Kirby": ("a",), "Lloyd Austin": ("b",)}
    hits = {h.doc_id: h for h in corpus.search("wider war")}
    assert hits["a"].also_credited_to == ("Lloyd Austin",) and hits["b"].also_credited_to == ("John Kirby",)
    assert flagged.to_dict()["sides"][0]["text"]


def test_quotes_nested_in_one_document_never_flag_each_other(corpus):
    inner = WAR[WAR.index("we will"):]
    doc = record("a", [(WAR, "John Kirby", "person"), (inner, "Lloyd Austin", "person")])
    nested = doc.quotes[1]  # make the second quote lie inside the first, as a nested extraction does
    doc = doc.evolve(quotes=(doc.quotes[0], replace(nested, start=doc.quotes[0].start + WAR.index("we will"),
                                                     end=doc.quotes[0].end)))
    corpus.add(doc)
    assert corpus.misattributions() == []
    assert [h.variants for h in corpus.search("troops")] == [1, 1]  # not variants of each other
    corpus.add(record("b", [(WAR, "John Kirby", "person")]))  # a reprint joins them into one cluster ...
    assert corpus.misattributions() == []  # ... and document a, crediting both, takes no side
    assert not any(h.misattributed for h in corpus.search("troops"))


def test_a_source_showing_another_speaker_is_a_misattribution(corpus):
    from onrecord.record import SpeakerMatch

    r = record("a", [(WAR, "John Kirby", "person"), (TALKS, "John Kirby", "person")])
    wrong = Fidelity("verbatim", "briefing", speaker_match=SpeakerMatch("SECRETARY AUSTIN", "Lloyd Austin", "t3", False))
    corpus.add(r.evolve(quotes=(replace(r.quotes[0], fidelity=wrong), r.quotes[1])))
    [flagged] = corpus.misattributions()
    assert {(s.speaker, s.doc_ids) for s in flagged.sides} == {("John Kirby", ("a",)), ("Lloyd Austin", ("briefing",))}
    hits = {h.quote_id: h for h in corpus.search("", speaker="Kirby")}
    assert hits["q0"].misattributed and hits["q0"].also_credited_to == ("Lloyd Austin",)
    assert not hits["q1"].misattributed


# --- confidence --------------------------------------------------------------------------------

def test_min_confidence_filters_and_low_confidence_is_marked(corpus, tmp_path):
    from onrecord.store.search import LOW_CONFIDENCE

    r = record("a", [(WAR, "John Kirby", "person"), (TALKS, "John Kirby", "person")])
    corpus.add(r.evolve(quotes=(replace(r.quotes[0], confidence=0.9), replace(r.quotes[1], confidence=0.2))))
    hits = {h.quote_id: h for h in corpus.search()}
    assert set(hits) == {"q0", "q1"}  # kept ...
    assert hits["q1"].low_confidence and not hits["q0"].low_confidence  # ... and marked
    assert hits["q1"].confidence == 0.2 < LOW_CONFIDENCE
    assert [h.quote_id for h in corpus.search(min_confidence=0.5)] == ["q0"]
    assert corpus.search("Doha", min_confidence=0.5) == []
    assert corpus.export(tmp_path / "all.jsonl") == 2
    rows = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["quote_id"]: r["low_confidence"] for r in rows} == {"q0": False, "q1": True}
    assert corpus.export(tmp_path / "sure.jsonl", min_confidence=0.5) == 1
    with pytest.raises(StoreError, match="from 0 to 1"):
        corpus.search(min_confidence=5)


def test_the_export_carries_each_speakers_gender_as_the_text_gives_it(corpus, tmp_path):
    r = record("a", [(WAR, "Dana Whitfield", "person"), (TALKS, "Omar Reyes", "person")])
    she = Span.of(r.text, 0, 1)  # stands in for the pronoun bound to her
    corpus.add(r.evolve(speakers=(replace(r.speakers[0], gender="female", gender_evidence=(she,)), r.speakers[1])))
    corpus.export(tmp_path / "q.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "q.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["speaker"]: r["speaker_gender"] for r in rows} == {"Dana Whitfield": "female", "Omar Reyes": "unknown"}
