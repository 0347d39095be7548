"""Latency of `onrecord serve` on the synthetic corpus: document pages and search answers.

    python bench/web_latency.py [--quotes 1000000] [--db /tmp/onrecord_bench_search.db] [--requests 400]
                                [--workers 1 2]

Builds (or reuses) the corpus of bench/search_latency.py, then for each worker count starts
`onrecord serve --workers N` on a free port of 127.0.0.1 and runs a bounded loop of requests
from 2 x N client threads: searches as users type them (`/search?q=…`, some with an outlet or
date filter) and the page of the first document each finds (`/documents/{hash}`), shuffled, and prints
p50/p95/p99 per kind and the requests per second. Nothing is written to the repository.
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from search_latency import build, queries
from synthetic import Generator

from onrecord.store import Corpus

START_SECONDS = 120  # a million-quote corpus is opened and checked before the first answer
CLIENTS_PER_WORKER = 2  # enough to keep each worker busy while another request is on the wire


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> float:
    """Milliseconds to fetch `url` whole; a non-200 answer stops the bench (it would time an error)."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as answer:
        answer.read()
        if answer.status != 200:
            raise SystemExit(f"{url}: HTTP {answer.status}")
    return 1000 * (time.perf_counter() - started)


def targets(db: Path, n: int) -> list[tuple[str, str]]:
    """(kind, path) pairs: searches as bench/search_latency.py makes them, and the documents they find."""
    gen = Generator(seed=2)
    searches, documents = [], []
    with Corpus(db, create=False) as corpus:
        for text, filters in queries(n, gen, np.random.default_rng(3)):
            if "speaker" in filters:
                continue  # a synthetic speaker may not exist: a 404 is not what is timed
            hits = corpus.search(text, limit=20, **filters)
            searches.append("/search?" + urllib.parse.urlencode({"q": text, **filters}))
            documents += [f"/documents/{h.doc_hash}" for h in hits[:1]]
    pairs = [("search", s) for s in searches] + [("document", d) for d in documents]
    rng = np.random.default_rng(4)
    return [pairs[i] for i in rng.permutation(len(pairs))][:n]


def run(db: Path, workers: int, paths: list[tuple[str, str]]) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", "from onrecord.cli import main; main()", "serve", "--db", str(db),
                               "--port", str(port), "--workers", str(workers)], stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                fetch(base + "/api/speakers")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("onrecord serve did not start") from None
                time.sleep(0.5)
        for _, path in paths[:20]:  # warm each worker's page cache a little
            fetch(base + path)
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENTS_PER_WORKER * workers) as pool:
            times = list(pool.map(lambda kp: (kp[0], fetch(base + kp[1])), paths))
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{workers} worker(s), {CLIENTS_PER_WORKER * workers} clients: {len(paths) / wall:.1f} requests/s")
    for kind in ("document", "search"):
        ms = [t for k, t in times if k == kind]
        p50, p95, p99 = np.percentile(ms, [50, 95, 99])
        print(f"  {kind:8} {len(ms):4d} requests: p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
              f"max {max(ms):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quotes", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/onrecord_bench_search.db"))
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    build(args.db, args.quotes)
    paths = targets(args.db, args.requests)
    print(f"{len(paths)} requests on {args.quotes:,} quotes")
    for workers in args.workers:
        run(args.db, workers, paths)


if __name__ == "__main__":
    main()
