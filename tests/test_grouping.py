"""Quote clusters settled bucket by bucket (store/grouping.py, store/linking.py): the same clusters
whatever order the documents arrive in, whichever writer stores them, however often they link."""
from __future__ import annotations

import random

import pytest

from onrecord.store import Corpus
from onrecord.store import ingest as ingest_module
from onrecord.store.grouping import Member, group_bucket

from .test_store import TALKS, WAR, record

BASE = ("the council will not raise the harbour levy this year because the families on the coast "
        "have paid enough already and the port can wait").split()


def _drift(n: int) -> list[str]:
    """A statement edited a word at a time: each version the same statement as the one before, the
    last far from the first (clusters joined only through the chain)."""
    words, out = list(BASE), []
    for k in range(n):
        out.append(" ".join(words))
        words[(k * 5) % len(words)] = f"word{k}"
    return out


def _documents() -> list:
    docs = [record(f"d{k}c{c}", [(v, "Ana Ruiz", "person")], extra=f"Copy {c} of {k}. ")
            for k, v in enumerate(_drift(8)) for c in range(3)]
    docs += [record(f"war-{outlet}", [(WAR, "John Kirby", "person"), (TALKS, "Ana Ruiz", "person")], outlet=outlet,
                    extra=f"{outlet} reports. ") for outlet in ("AP", "Reuters", "AFP", "BBC")]
    return docs


def _export_lines(corpus: Corpus, tmp_path) -> list[str]:
    out = tmp_path / "export.jsonl"
    corpus.export(out)
    return sorted(out.read_text(encoding="utf-8").splitlines())


def test_the_clusters_do_not_depend_on_the_order_documents_are_added_in(tmp_path):
    exports = []
    for seed in range(3):
        docs = _documents()
        random.Random(seed).shuffle(docs)
        with Corpus(tmp_path / f"c{seed}.db") as corpus:
            for doc in docs:
                corpus.add(doc)
            exports.append(_export_lines(corpus, tmp_path))
    assert exports[0] == exports[1] == exports[2]
    assert len({line.split('"cluster": ')[1].split(",")[0] for line in exports[0]}) < len(exports[0])


def test_a_reprint_in_four_outlets_is_one_cluster_and_two_speakers_of_it_a_misattribution(corpus):
    for outlet in ("AP", "Reuters", "AFP"):
        corpus.add(record(f"war-{outlet}", [(WAR, "John Kirby", "person")], outlet=outlet, extra=f"{outlet}. "))
    corpus.add(record("war-BBC", [(WAR, "Lloyd Austin", "person")], outlet="BBC", extra="BBC. "))
    assert {h.variants for h in corpus.search("Iran")} == {4}
    [flagged] = corpus.misattributions()
    assert {side.speaker for side in flagged.sides} == {"John Kirby", "Lloyd Austin"}


def test_a_bucket_is_settled_the_same_whatever_order_its_members_come_in():
    members = [Member(f"h{i % 3}", 10 * i, 10 * i + 9, f"q{i}", i, v) for i, v in enumerate(_drift(6) * 2)]
    nested = Member("h0", 1, 5, "qn", 99, _drift(1)[0])  # overlaps h0's first quote: never linked to it
    links = group_bucket([*members, nested])
    assert links == group_bucket([*reversed(members), nested])
    assert (0, 99) not in links and (99, 0) not in links


@pytest.fixture
def corpus(tmp_path):
    with Corpus(tmp_path / "c.db") as c:
        yield c


def test_loading_in_bulk_links_like_ingest_however_often_it_links(tmp_path, monkeypatch):
    docs = _documents()
    with Corpus(tmp_path / "one.db") as corpus:
        for doc in docs:
            corpus.add(doc)
        expected = _export_lines(corpus, tmp_path)
    monkeypatch.setattr(ingest_module, "LINK_DOCUMENTS", 1)
    with Corpus(tmp_path / "bulk.db") as corpus:
        assert corpus.add_all(docs).added == len(docs)
        assert _export_lines(corpus, tmp_path) == expected


def test_quotes_a_stopped_bulk_run_left_unlinked_are_linked_at_the_next_open(tmp_path):
    docs = _documents()
    with Corpus(tmp_path / "one.db") as corpus:
        corpus.add_all(docs)
        expected = _export_lines(corpus, tmp_path)
    with Corpus(tmp_path / "stopped.db") as corpus:
        outcomes = corpus.add_iter(docs)
        for _ in docs:  # every document stored, then the run stops before its link
            next(outcomes)
        outcomes.close()
    with Corpus(tmp_path / "stopped.db", create=False) as corpus:  # read-only: nothing is linked
        assert _export_lines(corpus, tmp_path) != expected
    with Corpus(tmp_path / "stopped.db") as corpus:
        assert _export_lines(corpus, tmp_path) == expected


def test_a_schema_8_corpus_clustered_quote_by_quote_is_clustered_again_on_open(tmp_path):
    import sqlite3

    docs = _documents()
    path = tmp_path / "c.db"
    with Corpus(path) as corpus:
        corpus.add_all(docs)
        expected = _export_lines(corpus, tmp_path)
    conn = sqlite3.connect(path)  # as main's onrecord left it: its own clustering, schema 8, its recorded parameters
    conn.execute("UPDATE quotes SET cluster = id")
    conn.execute("DROP INDEX quote_buckets_quote")
    conn.execute("UPDATE meta SET value = '{}' WHERE key = 'lsh'")
    conn.execute("PRAGMA user_version = 8")
    conn.commit()
    conn.close()
    with Corpus(path) as corpus:
        assert corpus.db.version == 10
        assert _export_lines(corpus, tmp_path) == expected
