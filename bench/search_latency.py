"""Search latency on a synthetic corpus of a million quotes.

    python bench/search_latency.py [--quotes 1000000] [--db /tmp/onrecord_bench.db] [--queries 500]

Builds the corpus once (bench/synthetic.py; words with the frequencies of real news, ~20%
reprints) through `Corpus.add`, and reuses it while it holds the asked number of quotes; the
database lives outside the repository. Then runs searches as users type them: one to three
words drawn from the same vocabulary (frequent and rare alike), a third of them with a
speaker, outlet or date filter, 20 results each, and prints p50/p95/p99 latency.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from synthetic import OUTLETS, Generator

from onrecord.store import Corpus


def build(path: Path, n_quotes: int) -> None:
    with Corpus(path) as corpus:
        have = corpus.counts()["quotes"]
        if have == n_quotes:
            print(f"reusing {path} ({have:,} quotes)")
            return
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    with Corpus(path) as corpus:
        for i, record in enumerate(Generator(seed=1).records(n_quotes)):
            corpus.add(record)
            if i % 10_000 == 0 and i:
                print(f"  {i * 10:,} quotes stored, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"built {path}: {n_quotes:,} quotes in {time.perf_counter() - started:.0f} s "
          f"({path.stat().st_size / 2**20:,.0f} MiB)")


def queries(n: int, gen: Generator, rng: np.random.Generator) -> list[tuple[str, dict]]:
    out = []
    flat = np.sqrt(gen.p) / np.sqrt(gen.p).sum()  # frequent and rare words alike, as people search
    for i in range(n):
        words = " ".join(str(w) for w in rng.choice(gen.words, size=int(rng.integers(1, 4)), p=flat))
        filters: dict = {}
        if i % 6 == 1:
            first, last = gen.people[int(rng.integers(len(gen.people)))]
            filters["speaker"] = f"{first} {last}"
        elif i % 6 == 3:
            filters["outlet"] = OUTLETS[int(rng.integers(len(OUTLETS)))]
        elif i % 6 == 5:
            filters["since"] = "2024-06-01"
        out.append((words, filters))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/onrecord_bench_search.db"))
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    build(args.db, args.quotes)
    gen = Generator(seed=2)
    latencies = []
    hits = 0
    with Corpus(args.db) as corpus:
        corpus.search("warm up the cache")
        for text, filters in queries(args.queries, gen, np.random.default_rng(3)):
            started = time.perf_counter()
            try:
                hits += len(corpus.search(text, limit=20, **filters))
            except Exception as exc:  # a speaker the synthetic corpus never quoted: not a timing
                if "no speaker named" not in str(exc):
                    raise
                continue
            latencies.append(1000 * (time.perf_counter() - started))
    p50, p95, p99 = np.percentile(latencies, [50, 95, 99])
    print(f"{len(latencies)} searches on {args.quotes:,} quotes: p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"p99 {p99:.1f} ms, max {max(latencies):.1f} ms ({hits / len(latencies):.1f} hits per search)")


if __name__ == "__main__":
    main()
