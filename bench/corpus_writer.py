"""The corpus writer alone: documents stored per second, one by one (`Corpus.add`, what the local
`ingest` does) and in bulk (`Corpus.add_all`, what `ingest --engine ray` and `load` do).

    python bench/corpus_writer.py [--docs 200] [--copies 4]

Input: the first --docs documents of PolNeAR's training set (real news text, read from
../shared/eval at run time, never copied), extracted once and kept in bench/out/ as records, then
stored --copies times under other doc ids and outlets with a line of their own ahead of the text
(a wire story reprinted by several outlets, a line of their own after it: every quote has variants to
cluster). Only the
storing is timed. Run it with another onrecord on PYTHONPATH to measure that one's writer on
the same records (the records file is shared).
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from onrecord import pipeline
from onrecord.errors import OnrecordError
from onrecord.load import Document
from onrecord.record import Record
from onrecord.settings import load_options
from onrecord.store import Corpus
from onrecord.store.clusters import Banded

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear.train.jsonl"
RECORDS = ROOT / "bench" / "out" / "corpus_writer_records.jsonl"


def extracted(n: int) -> list[Record]:
    """The first `n` PolNeAR documents' records, extracted once and kept."""
    if RECORDS.exists() and sum(1 for _ in RECORDS.open(encoding="utf-8")) >= n:
        return [Record.from_dict(json.loads(line)) for line in RECORDS.read_text(encoding="utf-8").splitlines()[:n]]
    lines = POLNEAR.read_text(encoding="utf-8").splitlines()[:n]
    docs = [Document(doc_id=str(d.get("doc_id", i)), text=d["text"]) for i, d in enumerate(map(json.loads, lines))]
    records = [r for r in pipeline.extract_documents(iter(docs), options=load_options(), jobs=2)
               if not isinstance(r, OnrecordError)]
    RECORDS.parent.mkdir(parents=True, exist_ok=True)
    RECORDS.write_text("".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return records


def reprinted(record: Record, copy: int) -> Record:
    """The record as outlet `copy` prints it: the same text with a line of its own after it (every
    span stays where it was; the content hash differs)."""
    data = {**record.to_dict(), "doc_id": f"{record.doc_id}-{copy}", "outlet": f"outlet {copy}",
            "text": record.text + f"\n\n(Printed by outlet {copy}.)"}
    return Record.from_dict(data)


def timed(records: list[Record], bulk: bool) -> float:
    banded = [Banded.of(r) for r in records]  # not timed: computed in the workers
    with tempfile.TemporaryDirectory() as tmp, Corpus(Path(tmp) / "c.db") as corpus:
        started = time.perf_counter()
        if bulk:  # as `load` and `ingest --engine ray` hand them over: with the band keys the workers computed
            corpus.add_all(banded)
        else:
            for record in records:
                corpus.add(record)
        return len(records) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--copies", type=int, default=4)
    args = parser.parse_args()
    base = extracted(args.docs)
    records = [reprinted(r, c) for c in range(args.copies) for r in base]
    quotes = sum(len(r.quotes) for r in records)
    print(f"{len(records)} documents, {quotes} quotes")
    print(f"one by one (Corpus.add): {timed(records, bulk=False):.0f} docs/s")
    print(f"bulk (Corpus.add_all):   {timed(records, bulk=True):.0f} docs/s")


if __name__ == "__main__":
    main()
