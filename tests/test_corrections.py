"""Reviewers' corrections in the store: applied over the machine's record in show, search and export,
kept across re-ingest, exported as gold (on hand-built records, no parse needed)."""
from __future__ import annotations

import io
import json
import sqlite3

import pytest

from onrecord.errors import NotFoundError, StoreError
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
        assert csv_out.getvalue().decode("utf-8-sig").splitlines()[0].startswith("id,doc_id,doc_hash,quote_id")


def test_a_schema_6_corpus_gains_the_corrections_table(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person")]))
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE corrections")
        conn.execute("PRAGMA user_version = 6")
    with pytest.raises(StoreError, match="older"):
        Corpus(path, create=False)
    with Corpus(path) as c:
        assert c.db.version == SCHEMA_VERSION == 7
        assert c.corrections() == []


def test_a_read_only_corpus_takes_no_correction(tmp_path):
    path = tmp_path / "c.db"
    with Corpus(path) as c:
        c.add(record("a", [(WAR, "John Kirby", "person")]))
    with Corpus(path, create=False) as c, pytest.raises(StoreError, match="read-only"):
        c.correct("a", "q0", "speaker", "X", reviewer="rev")
