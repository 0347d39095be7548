"""The corpus store through its Python API, on hand-built records (no parse needed)."""
from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from onrecord.errors import StoreError
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
    assert [s.ambiguous for s in corpus.speakers()] == [True]  # nobody named yet: kept apart
    corpus.add(record("b", [(TALKS, "Defense Secretary Lloyd Austin", "person")]))
    assert names(corpus) == ["Lloyd Austin"] and corpus.speaker("Lloyd Austin").summary.quotes == 2
    corpus.add(record("c", [("Our team will play harder in the second half tonight", "Sarah Austin", "person")]))
    found = {s.name: s for s in corpus.speakers()}
    assert set(found) == {"Austin", "Lloyd Austin", "Sarah Austin"}
    assert found["Austin"].ambiguous and found["Lloyd Austin"].quotes == 1


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
    with pytest.raises(StoreError, match="not a date"):
        corpus.search("war", since="last week")
    with pytest.raises(StoreError, match="no speaker named"):
        corpus.search("war", speaker="Nobody Here")


@pytest.mark.parametrize(
    "text", ["AND", "war AND", '"unbalanced', "NEAR(", "OR war", "war*", "col:war", "war -troops ^"]
)
def test_search_text_is_words_never_syntax(corpus, text):
    corpus.add(record("a", [(WAR, "John Kirby", "person")]))
    hits = corpus.search(text)
    assert all(h.doc_id == "a" for h in hits)


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
    with sqlite3.connect(path) as conn:  # what schema 1 had: no clusters
        conn.executescript("DROP TABLE meta; DROP TABLE quote_buckets; DROP INDEX quotes_cluster;"
                           "UPDATE quotes SET cluster = NULL; PRAGMA user_version = 1;")
    with Corpus(path) as c:
        assert c.db.version == SCHEMA_VERSION
        assert [h.to_dict() for h in c.search("war")] == before
        assert len(c.misattributions()) == 1


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="notes.db: cannot open the corpus database"):
        Corpus(path)
    assert path.read_text().startswith("these are my notes")


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
        monkeypatch.setattr(pipeline, "extract_batch", lambda docs, options: parsed.extend(d.doc_id for d in docs) or real(docs, options))
        again = corpus.ingest([str(tmp_path)])
    assert (again.added, again.present) == (1, 2)
    assert parsed == ["d2"]
