"""Linking: stored quotes into clusters, by regrouping the LSH buckets new quotes touch.

A new quote is stored with its bucket keys and no cluster (NULL). `link` settles every such quote:
the buckets they touch, the clusters already in those buckets, and the buckets of those
clusters' quotes are grouped again from their whole membership (`grouping.group`), and the
clusters of every quote involved are set from the union-find over the links. A cluster none of
whose buckets changed keeps its links, so it joins as one node. The result is what a grouping of
the whole corpus from scratch gives, whether `link` runs after each document (the local
writer), after a batch (`ingest.BulkWriter`) or once (`recluster`).

The grouping itself is pluggable (`Grouper`): in this process by default, on Ray for a Ray ingest
(`scale.corpus_steps`), the same links either way.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from .clusters import band_keys, shingles
from .db import Database
from .grouping import Link, Member, components, group

Grouper = Callable[[Mapping[int, Sequence[Member]]], list[Link]]

_ADD_BUCKETS = "INSERT OR IGNORE INTO quote_buckets (bucket, quote) SELECT value, ? FROM json_each(?)"


def add_buckets(db: Database, quotes: Sequence[tuple[int, list[int] | None]]) -> None:
    """Store each new quote's bucket keys (row id, keys; None: too short to cluster); in the caller's
    transaction. The quotes stay unclustered until `link`."""
    db.conn.executemany(_ADD_BUCKETS, [(row, json.dumps(keys)) for row, keys in quotes if keys])


def pending(db: Database) -> bool:
    """Whether some stored quote awaits linking (a bulk run that stopped before its last link)."""
    return db.execute("SELECT 1 FROM quotes WHERE cluster IS NULL LIMIT 1").fetchone() is not None


_NEW = "SELECT id FROM quotes WHERE cluster IS NULL"
_TOUCHED_CLUSTERS = """
SELECT DISTINCT q.cluster FROM quote_buckets b JOIN quotes q ON q.id = b.quote
WHERE b.bucket IN (SELECT bucket FROM quote_buckets WHERE quote IN (SELECT value FROM json_each(:new)))
  AND q.cluster IS NOT NULL
"""
_MEMBERS = """
SELECT b.bucket, q.id, q.cluster, q.start, q."end", q.qid, q.text, d.hash FROM quote_buckets b
JOIN quotes q ON q.id = b.quote JOIN documents d ON d.id = q.doc
WHERE b.bucket IN (SELECT DISTINCT bucket FROM quote_buckets WHERE quote IN (SELECT value FROM json_each(:quotes)))
"""


def link(db: Database, grouper: Grouper = group) -> int:
    """Cluster every unclustered quote with the stored ones (in the caller's transaction); how many
    quotes were linked."""
    new = [row[0] for row in db.execute(_NEW)]
    if not new:
        return 0
    touched = [row[0] for row in db.execute(_TOUCHED_CLUSTERS, {"new": json.dumps(new)})]
    involved = set(new)
    if touched:
        involved.update(row[0] for row in db.execute(
            "SELECT id FROM quotes WHERE cluster IN (SELECT value FROM json_each(?))", (json.dumps(touched),)))
    buckets: dict[int, list[Member]] = {}
    cluster_of: dict[int, int] = {}  # quotes of clusters left as they are: their cluster stands for them
    for row in db.execute(_MEMBERS, {"quotes": json.dumps(sorted(involved))}):
        buckets.setdefault(row["bucket"], []).append(
            Member(row["hash"], row["start"], row["end"], row["qid"], row["id"], row["text"]))
        if row["id"] not in involved:
            cluster_of[row["id"]] = row["cluster"]
    # a kept cluster is named by its smallest quote, which is no involved quote: one node for all of it
    links = [(cluster_of.get(a, a), cluster_of.get(b, b)) for a, b in grouper(buckets)]
    found = components(involved, links)
    db.conn.executemany("UPDATE quotes SET cluster = ? WHERE id = ?",
                        [(root, quote) for quote, root in found.items() if quote in involved])
    kept = set(cluster_of.values())
    db.conn.executemany("UPDATE quotes SET cluster = ? WHERE cluster = ?",
                        [(found[c], c) for c in sorted(kept) if found.get(c, c) != c])
    return len(new)


def recluster(db: Database, grouper: Grouper = group) -> None:
    """Every stored quote's buckets computed again and every cluster from scratch: what the corpus
    runs when the stored buckets were computed otherwise (`clusters.lsh_parameters`) or not at all."""
    db.execute("DELETE FROM quote_buckets")
    db.execute("UPDATE quotes SET cluster = NULL")
    last = 0
    while True:
        batch = db.execute("SELECT id, text FROM quotes WHERE id > ? ORDER BY id LIMIT 1000", (last,)).fetchall()
        if not batch:
            break
        add_buckets(db, [(row["id"], band_keys(shingles(row["text"]))) for row in batch])
        last = batch[-1]["id"]
    link(db, grouper)
