"""Ingest throughput against extract throughput on the same real articles.

    python bench/ingest_speed.py [--docs 300] [--jobs 1 2]

Takes the first N documents of ../shared/eval (read at run time, written to a temporary JSON
lines file), warms the model, then for each --jobs value times `extract_files` alone and
`Corpus.ingest` (extract + store + speaker merging + clustering) into a fresh database. The
issue's bar: ingest >= 0.8x extract, i.e. the store costs at most a fifth.
"""
from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

from synthetic import eval_texts

from onrecord.pipeline import extract_files, get_nlp
from onrecord.settings import load_options
from onrecord.store import Corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    options = load_options()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "docs.jsonl"
        docs = list(eval_texts(args.docs))
        source.write_text("".join(json.dumps({"id": d["doc_id"], "text": d["text"]}) + "\n" for d in docs),
                          encoding="utf-8")
        words = sum(len(d["text"].split()) for d in docs)
        get_nlp(options.model)
        for jobs in args.jobs:
            started = time.perf_counter()
            n = sum(1 for _ in extract_files([str(source)], options=options, jobs=jobs))
            extract_s = time.perf_counter() - started
            with Corpus(Path(tmp) / f"ingest_{jobs}.db", options=options) as corpus:
                started = time.perf_counter()
                summary = corpus.ingest([str(source)], jobs=jobs, options=options)
                ingest_s = time.perf_counter() - started
                quotes = corpus.counts()["quotes"]
            print(f"jobs={jobs}: {n} docs, {words:,} words, {quotes:,} quotes stored ({summary.added} added, "
                  f"{len(summary.failed)} failed)")
            print(f"  extract {n / extract_s:6.1f} docs/s {words / extract_s:8,.0f} words/s ({extract_s:.1f} s)")
            print(f"  ingest  {n / ingest_s:6.1f} docs/s {words / ingest_s:8,.0f} words/s ({ingest_s:.1f} s)"
                  f"  -> {extract_s / ingest_s:.2f}x extract")
    print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
