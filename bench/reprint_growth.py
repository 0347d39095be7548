"""Ingest rate as one syndicated story is reprinted again and again: does it stay flat?

    python bench/reprint_growth.py [--reprints 2000] [--at 100 500 2000]

One story of `--quotes` quotes (words drawn as bench/synthetic.py draws them) is stored
`--reprints` times through `Corpus.add`, the writer `ingest` uses, each reprint with its own
intro and, as the press reprints, some quotes verbatim, some with a word changed, some cut
short. Prints documents/s over the 100 documents before each `--at` count: near-linear ingest
keeps the rate flat, where comparing every new quote with every earlier reprint makes it fall
with the count. Also checks that every reprint of a quote ended in that quote's cluster.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from synthetic import Generator

from onrecord.record import Quote, Record, Span, Speaker
from onrecord.store import Corpus

WINDOW = 100  # documents timed before each reported count


def reprint(gen: Generator, story: list[str], n: int) -> Record:
    """The n-th reprint of the story: its own intro, each quote as this outlet printed it."""
    text = f"Reprint {n} of the story, from outlet {n % 50}. {gen.sentence(12)}. "
    mention = (len(text) + len("Minister "), len(text) + len("Minister Ada Novak"))
    text += "Minister Ada Novak spoke. "
    quotes = []
    for i, words in enumerate(story):
        words = gen._reprint(words)  # verbatim, a word changed, or cut short
        start = len(text) + 1
        text += f'"{words}," she said. '
        quotes.append(Quote(f"q{i}", "direct", start, start + len(words), words, "s0"))
    speaker = Speaker("s0", "Ada Novak", "person", (Span.of(text, *mention),), ("Minister",))
    return Record(doc_id=f"r{n}", text=text, speakers=(speaker,), quotes=tuple(quotes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reprints", type=int, default=2000)
    parser.add_argument("--at", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--quotes", type=int, default=8)
    args = parser.parse_args()
    gen = Generator(seed=3)
    story = [gen.sentence(int(gen.rng.integers(12, 30))) for _ in range(args.quotes)]
    records = [reprint(gen, story, n) for n in range(args.reprints)]  # built up front: only storage is timed
    marks = sorted(a for a in args.at if WINDOW <= a <= args.reprints)
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "reprints.db") as corpus:
        started = {}
        for n, record in enumerate(records, 1):
            if n - 1 in {m - WINDOW for m in marks}:
                started[n - 1 + WINDOW] = time.perf_counter()
            corpus.add(record)
            if n in started:
                rate = WINDOW / (time.perf_counter() - started[n])
                print(f"{n:>6,} reprints: {rate:7.1f} documents/s over the last {WINDOW}")
        clusters = corpus.db.execute("SELECT count(DISTINCT cluster) FROM quotes").fetchone()[0]
    print(f"{args.quotes} quotes x {args.reprints:,} reprints -> {clusters} clusters (one per quote: {args.quotes})")


if __name__ == "__main__":
    main()
