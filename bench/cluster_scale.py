"""Clustering and speaker merging at two corpus sizes: does the cost grow linearly?

    python bench/cluster_scale.py [--small 10000] [--large 100000]

Stores synthetic records (bench/synthetic.py: ~20% of quotes are reprints, verbatim, with a
word changed, or cut short) into a fresh corpus through `Corpus.add`, the writer `ingest`
uses, and times it. Near-linear means time(large)/time(small) close to large/small. Also
prints how many planted reprints landed in their original's cluster (recall) and how many
clusters mix statements that were never reprinted from each other (false merges).
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from synthetic import Generator

from onrecord.store import Corpus


def run(n_quotes: int, workdir: Path) -> dict:
    gen = Generator(seed=n_quotes)
    records = list(gen.records(n_quotes))  # generated up front: only storage is timed
    with Corpus(workdir / f"scale_{n_quotes}.db") as corpus:
        started = time.perf_counter()
        for record in records:
            corpus.add(record)
        seconds = time.perf_counter() - started
        cluster_of = {f"{r['doc_id']}:{r['qid']}": r["cluster"] for r in corpus.db.execute(
            "SELECT d.doc_id, q.qid, q.cluster FROM quotes q JOIN documents d ON d.id = q.doc")}
        speakers = corpus.counts()["speakers"]
    found = sum(cluster_of[a] == cluster_of[b] for a, b in gen.planted)
    # A planted family: an original and its reprints. A cluster holding two families merged wrongly.
    family = {}
    for orig, copy in gen.planted:
        family[copy] = family.get(orig, orig)
    families = defaultdict(set)
    for key, cluster in cluster_of.items():
        families[cluster].add(family.get(key, key))
    false_merges = sum(len(f) > 1 for f in families.values())
    return {"quotes": n_quotes, "seconds": seconds, "ms_per_quote": 1000 * seconds / n_quotes,
            "speakers": speakers, "planted": len(gen.planted), "recall": found / max(1, len(gen.planted)),
            "false_merges": false_merges, "clusters": len(families)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = [run(n, Path(tmp)) for n in (args.small, args.large)]
    for r in results:
        print(f"{r['quotes']:>8,} quotes: {r['seconds']:7.1f} s ({r['ms_per_quote']:.3f} ms/quote), "
              f"{r['speakers']:,} corpus speakers, reprint recall {r['recall']:.3f} of {r['planted']:,}, "
              f"{r['false_merges']} false merges in {r['clusters']:,} clusters")
    small, large = results
    print(f"time ratio {large['seconds'] / small['seconds']:.1f}x for {large['quotes'] / small['quotes']:.0f}x "
          f"the quotes (linear = {large['quotes'] / small['quotes']:.0f}x)")


if __name__ == "__main__":
    main()
