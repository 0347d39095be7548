"""Reviewers' corrections in the store: applied over the machine's record in show, search and export,
kept across re-ingest, exported as gold (on hand-built records, no parse needed)."""
from __future__ import annotations

import io
import json
import sqlite3
from dataclasses import replace

import pytest

from onrecord.errors import NotFoundError, StoreError
from onrecord.record import Fidelity
from onrecord.store import SCHEMA_VERSION, Corpus
from tests.test_store import TALKS, WAR, record


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        c.add(record("a", [(WAR, "John Kirby", "person"), (TALKS, "Jane Doe", "person")], published="2024-01-02"))
        yield c


def test_a_speaker_correction_shows_in_the_record_and_names_the_old_value(corpus):
    made = corpus.correct("a", "q0", "speaker", "Jane Doe", reviewer="rev", reason="the transcript says so")
    assert (made.old_value, made.new_value, made.reviewer, made.reason) == ("John Kirby", "Jane Doe", "rev",
                                                                           "the transcript says so")
    shown = corpus.show("a")
    q0 = next(q for q in shown.quotes if q.id == "q0")
    assert shown.speaker(q0.speaker).name == "Jane Doe"
    assert shown.meta["corrections"][0]["field"] == "speaker"
    machine = corpus.show("a", corrected=False)
    assert machine.speaker(machine.quotes[0].speaker).name == "John Kirby"


def test_a_new_name_becomes_a_new_speaker_of_the_document(corpus):
    corpus.correct("a", "q0", "speaker", "Lloyd Austin", reviewer="rev")
    shown = corpus.show("a")
    assert shown.speaker(shown.quotes[0].speaker).name == "Lloyd Austin"
    assert [h.speaker for h in corpus.search("wider war")] == ["Lloyd Austin"]


def test_not_a_quote_hides_it_everywhere_and_a_verdict_is_replaced(corpus):
    corpus.correct("a", "q1", "not_quote", None, reviewer="rev")
    corpus.correct("a", "q0", "fidelity", "altered", reviewer="rev")
    assert [q.id for q in corpus.show("a").quotes] == ["q0"]
    assert corpus.show("a").quotes[0].fidelity.status == "altered"
    assert corpus.search("Doha") == []
    out = io.BytesIO()
    assert corpus.export(out, "jsonl") == 1
    assert json.loads(out.getvalue())["fidelity"] == "altered"


def test_bad_corrections_are_refused_with_a_reason(corpus):
    with pytest.raises(StoreError, match="choose one of"):
        corpus.correct("a", "q0", "fidelity", "great", reviewer="rev")
    with pytest.raises(StoreError, match="reviewer"):
        corpus.correct("a", "q0", "speaker", "X", reviewer=" ")
    with pytest.raises(StoreError, match="no quote"):
        corpus.correct("a", "q9", "speaker", "X", reviewer="rev")
    with pytest.raises(NotFoundError):
        corpus.correct("zzz", "q0", "speaker", "X", reviewer="rev")


def test_corrections_survive_reingest_and_export_as_gold(tmp_path):
    path = tmp_path / "c.db"
    doc = record("a", [(WAR, "John Kirby", "person")])
    with Corpus(path) as c:
        c.add(doc)
        c.correct("a", "q0", "speaker", "Jane Doe", reviewer="rev", reason="why")
    with Corpus(path) as c:
        assert c.add(doc.evolve(doc_id="again")) is False
        shown = c.show("a")
        assert shown.speaker(shown.quotes[0].speaker).name == "Jane Doe"
        out = io.BytesIO()
        assert c.export(out, "jsonl", corrections=True) == 1
        row = json.loads(out.getvalue())
        assert {k: row[k] for k in ("doc_id", "quote_id", "field", "old_value", "new_value", "reviewer", "reason")} == {
            "doc_id": "a", "quote_id": "q0", "field": "speaker", "old_value": "John Kirby", "new_value": "Jane Doe",
            "reviewer": "rev", "reason": "why"}
        csv_out = io.BytesIO()
        c.export(csv_out, "csv", corrections=True)
        assert csv_out.getvalue().decode("utf-8-sig").splitlines()[0].startswith("correction,id,doc_id,doc_hash,quote_id")


def test_a_schema_6_corpus_gains_the_corrections_tables(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person")]))
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE corrections")
        conn.execute("DROP TABLE speaker_corrections")
        conn.execute("PRAGMA user_version = 6")
    with pytest.raises(StoreError, match="older"):
        Corpus(path, create=False)
    with Corpus(path) as c:
        assert c.db.version == SCHEMA_VERSION == 10
        assert c.corrections() == []


def test_a_read_only_corpus_takes_no_correction(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person")]))
    with Corpus(path, create=False) as c, pytest.raises(StoreError, match="read-only"):
        c.correct("a", "q0", "speaker", "X", reviewer="rev")


def speakers_of(c):
    return {s.name: s.quotes for s in c.speakers(top=50)}


def test_a_corrected_speaker_moves_the_quote_in_lists_counts_and_search(corpus):
    corpus.correct("a", "q0", "speaker", "Jane Doe", reviewer="rev")
    assert speakers_of(corpus) == {"Jane Doe": 2}
    assert {b.value: b.quotes for b in corpus.breakdown("kind")} == {"person": 2}
    assert [h.quote_id for h in corpus.search(speaker="Jane Doe")] == ["q0", "q1"]
    assert corpus.search(speaker="Kirby") == []
    assert [h.speaker for h in corpus.search("wider war", speaker="Doe")] == ["Jane Doe"]
    assert corpus.search("wider war", speaker="Kirby") == []
    profile = corpus.speaker_by_key("person:jane doe")
    assert profile.summary.quotes == 2
    assert corpus.quotes_by_month("person:jane doe") == [("2024-01", 2)]
    out = io.BytesIO()
    corpus.export(out, "jsonl")
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(r["speaker"], r["corpus_speaker_key"]) for r in rows] == [("Jane Doe", "person:jane doe")] * 2


def test_a_corrected_verdict_and_a_quote_that_is_none_move_in_search_and_counts(corpus):
    corpus.correct("a", "q0", "fidelity", "altered", reviewer="rev")
    corpus.correct("a", "q1", "not_quote", None, reviewer="rev")
    assert [h.quote_id for h in corpus.search(fidelity="altered")] == ["q0"]
    assert corpus.search(fidelity="verbatim") == []
    assert corpus.search(fidelity="no_source") == []
    assert corpus.counts()["quotes"] == 1
    assert speakers_of(corpus) == {"John Kirby": 1}
    assert corpus.fidelity_counts("speaker") == [("John Kirby", "altered", 1, 0)]


def test_a_new_name_is_a_corpus_speaker_of_its_own_with_the_quote(corpus):
    corpus.add(record("b", [(TALKS + " again", "Lloyd Austin", "person")]))
    corpus.correct("a", "q0", "speaker", "Lloyd Austin", reviewer="rev")
    assert speakers_of(corpus) == {"Lloyd Austin": 2, "Jane Doe": 1}
    assert {h.quote_id for h in corpus.search(speaker="Austin")} == {"q0"}


def test_quote_corrections_survive_speakers_and_verdicts_recomputed(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person"), (TALKS, "Jane Doe", "person")]))
        c.correct("a", "q0", "speaker", "Lloyd Austin", reviewer="rev")
        c.correct("a", "q1", "fidelity", "altered", reviewer="rev")
        checked = c.show("a", corrected=False)
        again = checked.evolve(quotes=tuple(replace(q, fidelity=Fidelity("minor")) for q in checked.quotes))
        assert c.add(again) is False  # verified again: the new verdicts are stored, the corrected one stays
        assert [h.quote_id for h in c.search(fidelity="altered")] == ["q1"]
        assert [h.quote_id for h in c.search(fidelity="minor")] == ["q0"]
        with c.db.transaction():  # as after an upgrade: every speaker placed again, every verdict refilled
            c.db.set_meta("identity", "0")
            c.db.set_meta("verdicts", "0")
    with Corpus(path) as c:
        assert speakers_of(c) == {"Lloyd Austin": 1, "Jane Doe": 1}
        assert [h.quote_id for h in c.search(fidelity="altered")] == ["q1"]
        assert [h.quote_id for h in c.search("wider war", speaker="Austin")] == ["q0"]


def test_a_schema_7_corpus_has_its_corrections_laid_when_upgraded(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person"), (TALKS, "Jane Doe", "person")]))
        digest = c.document("a")[0]
        with c.db.transaction():  # as schema 7 left it: corrections stored, the corpus rows the machine's
            c.db.execute("INSERT INTO corrections (doc_hash, quote_id, quote_start, quote_end, quote_text, field,"
                         " old_value, new_value, created, reviewer) VALUES (?, 'q0', 1, ?, ?, 'speaker', 'John Kirby',"
                         " 'Jane Doe', '2026-12-01T00:00:00+00:00', 'rev')", (digest, 1 + len(WAR), WAR))
            c.db.execute("DELETE FROM meta WHERE key = 'corrections'")
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE speaker_corrections")
        conn.execute("PRAGMA user_version = 7")
    with pytest.raises(StoreError, match="older"):
        Corpus(path, create=False)
    with Corpus(path) as c:
        assert c.db.version == 10 and c.speaker_corrections() == []
        assert speakers_of(c) == {"Jane Doe": 2}
        assert [h.quote_id for h in c.search("wider war", speaker="Doe")] == ["q0"]


@pytest.fixture
def two(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        c.add(record("a", [(WAR, "John Kirby", "person")], published="2024-01-02"))
        c.add(record("b", [(TALKS, "Johnny Kirbie", "person")], published="2024-01-03"))
        yield c


def test_a_merge_sums_the_quotes_under_the_speaker_merged_into_everywhere(two):
    made = two.merge_speaker("person:johnny kirbie", "John Kirby", reviewer="rev", reason="a misspelling")
    assert (made.action, made.old_value, made.new_value, made.new_name) == (
        "merge", "person:johnny kirbie", "person:john kirby", "John Kirby")
    [kirby] = two.speakers()
    assert (kirby.key, kirby.quotes, kirby.documents) == ("person:john kirby", 2, 2)
    assert {h.doc_id for h in two.search(speaker_key="person:john kirby")} == {"a", "b"}
    assert {h.doc_id for h in two.search("Doha", speaker="John Kirby")} == {"b"}
    with pytest.raises(NotFoundError):
        two.speaker_by_key("person:johnny kirbie")
    out = io.BytesIO()
    two.export(out, "jsonl")
    assert {json.loads(line)["corpus_speaker_key"] for line in out.getvalue().splitlines()} == {"person:john kirby"}
    gold = io.BytesIO()
    two.export(gold, "jsonl", corrections=True)
    row = json.loads(gold.getvalue())
    assert (row["correction"], row["field"], row["old_value"], row["new_value"], row["reason"]) == (
        "speaker", "merge", "person:johnny kirbie", "person:john kirby", "a misspelling")


def test_a_merge_holds_for_documents_ingested_later_and_speakers_placed_again(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person")]))
        c.add(record("b", [(TALKS, "Johnny Kirbie", "person")]))
        c.merge_speaker("person:johnny kirbie", "person:john kirby", reviewer="rev")
        c.add(record("c", [("The carrier group stays in the region for now", "Johnny Kirbie", "person")]))
        assert speakers_of(c) == {"John Kirby": 3}
        with c.db.transaction():
            c.db.set_meta("identity", "0")
    with Corpus(path) as c:
        assert speakers_of(c) == {"John Kirby": 3}


def test_a_split_takes_one_documents_speaker_off_to_a_new_or_another_speaker(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person")]))
        c.add(record("b", [(TALKS, "John Kirby", "person")]))
        c.add(record("c", [("The carrier group stays in the region for now", "Jane Doe", "person")]))
        assert speakers_of(c) == {"John Kirby": 2, "Jane Doe": 1}
        made = c.split_speaker("person:john kirby", "b", "s0", new_name="John Kirby (Ohio)", reviewer="rev",
                               reason="a namesake")
        assert (made.action, made.doc_id, made.doc_speaker, made.new_value) == (
            "split", "b", "s0", "reviewed:john kirby ohio")
        assert speakers_of(c) == {"John Kirby": 1, "John Kirby (Ohio)": 1, "Jane Doe": 1}
        assert [h.doc_id for h in c.search(speaker_key="reviewed:john kirby ohio")] == ["b"]
        assert [h.doc_id for h in c.search(speaker="John Kirby")] == ["a"]
        c.split_speaker("person:john kirby", "a", "s0", into="person:jane doe", reviewer="rev")
        assert speakers_of(c) == {"Jane Doe": 2, "John Kirby (Ohio)": 1}
        with c.db.transaction():
            c.db.set_meta("identity", "0")
    with Corpus(path) as c:
        assert speakers_of(c) == {"Jane Doe": 2, "John Kirby (Ohio)": 1}
        with pytest.raises(NotFoundError):
            c.split_speaker("person:jane doe", "b", "s0", new_name="X", reviewer="rev")
        with pytest.raises(StoreError, match="either"):
            c.split_speaker("person:jane doe", "a", "s0", reviewer="rev")


def test_merges_and_splits_are_refused_read_only_and_into_nothing(two, tmp_path):
    with pytest.raises(NotFoundError):
        two.merge_speaker("person:johnny kirbie", "Nobody Atall", reviewer="rev")
    with pytest.raises(StoreError, match="itself"):
        two.merge_speaker("person:john kirby", "person:john kirby", reviewer="rev")
    with pytest.raises(StoreError, match="reviewer"):
        two.merge_speaker("person:johnny kirbie", "person:john kirby", reviewer="")
    with Corpus(two.path, create=False) as c, pytest.raises(StoreError, match="read-only"):
        c.merge_speaker("person:johnny kirbie", "person:john kirby", reviewer="rev")


def test_a_speakers_namesakes_are_what_a_merge_form_offers(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        c.add(record("a", [(WAR, "John Kirby", "person"), (TALKS, "Jane Doe", "person")]))
        c.add(record("b", [(TALKS, "Jane Kirby", "person")]))
        assert [s.key for s in c.namesakes("person:john kirby")] == ["person:jane kirby"]
        assert c.namesakes("person:jane doe") == [] and c.namesakes("person:nobody") == []
