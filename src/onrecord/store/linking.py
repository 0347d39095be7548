"""Linking: stored quotes into clusters, by regrouping the LSH buckets new quotes touch.

A new quote is stored with its bucket keys and no cluster (NULL). `link` settles every such quote:
each bucket they touch is grouped (`grouping.group`) from the new quotes and the representatives
of each cluster already there (its first `BUCKET_REPRESENTATIVES` members in canonical order), a
stored cluster joining as one node, and clusters are set from the union-find over the links. Work
per new quote is bounded by the clusters in its buckets, not by how often a story was reprinted:
after the pass, a bucket keeps only those representatives (`_TRIM`).
While no bucket holds more than `BUCKET_REPRESENTATIVES` variants of one statement, the result is
what a grouping of the whole corpus from scratch gives (every similar pair in a bucket linked),
whether `link` runs after each document (the local writer), after a batch (`ingest.BulkWriter`)
or once (`recluster`); past that, a variant is compared with the first few, as the grouping does.

The grouping itself is pluggable (`Grouper`): in this process by default, on Ray for a Ray ingest
(`scale.corpus_steps`), the same links either way.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from .clusters import BUCKET_REPRESENTATIVES, band_keys, shingles
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
# The members a link pass reads of each bucket its new quotes touch: every new quote, and of each
# cluster already there its first `BUCKET_REPRESENTATIVES` members in canonical order (what
# `grouping.group_bucket` compares with), so that the work per new quote stays bounded however
# often one story is reprinted; a bucket's other members are not read.
_MEMBERS = """
WITH touched AS (SELECT DISTINCT bucket FROM quote_buckets WHERE quote IN (SELECT value FROM json_each(:new))),
ranked AS (
  SELECT b.bucket, q.id, q.cluster, q.start, q."end", q.qid, q.text, d.hash,
         row_number() OVER (PARTITION BY b.bucket, q.cluster ORDER BY d.hash, q.start, q."end", q.qid) AS k
  FROM quote_buckets b JOIN quotes q ON q.id = b.quote JOIN documents d ON d.id = q.doc
  WHERE b.bucket IN (SELECT bucket FROM touched))
SELECT bucket, id, cluster, start, "end", qid, text, hash FROM ranked WHERE cluster IS NULL OR k <= :cap
"""


# After a pass, each touched bucket keeps only its clusters' representatives: no later pass compares
# with the others, so a story reprinted thousands of times leaves each of its buckets a few rows.
_TRIM = """
DELETE FROM quote_buckets WHERE (bucket, quote) IN (
  SELECT bucket, id FROM (
    SELECT b.bucket, q.id,
           row_number() OVER (PARTITION BY b.bucket, q.cluster ORDER BY d.hash, q.start, q."end", q.qid) AS k
    FROM quote_buckets b JOIN quotes q ON q.id = b.quote JOIN documents d ON d.id = q.doc
    WHERE b.bucket IN (SELECT value FROM json_each(:buckets)))
  WHERE k > :cap)
"""


def link(db: Database, grouper: Grouper = group) -> int:
    """Cluster every unclustered quote with the stored ones (in the caller's transaction); how many
    quotes were linked. A stored cluster takes part as one node, by its representatives."""
    new = [row[0] for row in db.execute(_NEW)]
    if not new:
        return 0
    buckets: dict[int, list[Member]] = {}
    cluster_of: dict[int, int] = {}  # a stored quote's cluster: it stands for the quote
    for row in db.execute(_MEMBERS, {"new": json.dumps(new), "cap": BUCKET_REPRESENTATIVES}):
        buckets.setdefault(row["bucket"], []).append(
            Member(row["hash"], row["start"], row["end"], row["qid"], row["id"], row["text"]))
        if row["cluster"] is not None:
            cluster_of[row["id"]] = row["cluster"]
    # a stored cluster is named by its smallest quote: one node for all of it
    links = [(cluster_of.get(a, a), cluster_of.get(b, b)) for a, b in grouper(buckets)]
    kept = set(cluster_of.values())
    found = components([*new, *kept], links)
    db.conn.executemany("UPDATE quotes SET cluster = ? WHERE id = ?", [(found[quote], quote) for quote in new])
    db.conn.executemany("UPDATE quotes SET cluster = ? WHERE cluster = ?",
                        [(found[c], c) for c in sorted(kept) if found[c] != c])
    db.execute(_TRIM, {"buckets": json.dumps(sorted(buckets)), "cap": BUCKET_REPRESENTATIVES})
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
