"""Speaker identity across a corpus, scored by the shared scorer (`corpus_speakers.py`).

    python bench/corpus_identity.py [--gold ../shared/eval/ggt.dev.jsonl] [--limit N] [--halves]

Ingests the gold set's texts into a fresh corpus (as `onrecord ingest` does), exports it (as
`onrecord export --format jsonl` does) and prints B-cubed precision, recall and F1 of the corpus's
speakers against the gold names, and the junk rate (person speakers whose quotes never match a
gold quote of that person). `--halves` also scores the documents in two halves (alternate
doc_ids, sorted): a rule fitted on one half is judged on the other.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from onrecord.settings import load_options
from onrecord.store import Corpus

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def score(gold: list[dict], scratch: Path, name: str) -> dict:
    """Ingest `gold`'s texts into a fresh corpus, export it, and score the export."""
    gold_path, export_path, db = scratch / f"{name}.gold.jsonl", scratch / f"{name}.export.jsonl", scratch / f"{name}.db"
    gold_path.write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), encoding="utf-8")
    with Corpus(db, options=load_options().with_(verify=False)) as corpus:
        summary = corpus.ingest([str(gold_path)])
        if not summary.ok:
            raise SystemExit(f"{gold_path}: ingest failed ({summary})")
        corpus.export(export_path, "jsonl")
    scorer = EVAL / "corpus_speakers.py"
    result = subprocess.run([sys.executable, str(scorer), str(gold_path), str(export_path)],
                            check=True, capture_output=True, text=True)
    figures = json.loads(result.stdout)
    figures["documents"] = len(gold)
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=EVAL / "ggt.dev.jsonl")
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--halves", action="store_true", help="also score two halves of the set apart")
    args = ap.parse_args()
    if importlib.util.find_spec("onrecord") is None:
        raise SystemExit("onrecord is not installed in this Python")
    gold = [json.loads(line) for line in args.gold.open(encoding="utf-8") if line.strip()][:args.limit]
    sets = {"all": gold}
    if args.halves:
        ordered = sorted(gold, key=lambda g: g["doc_id"])
        sets |= {"half_a": ordered[0::2], "half_b": ordered[1::2]}
    with tempfile.TemporaryDirectory() as tmp:
        out = {name: score(docs, Path(tmp), name) for name, docs in sets.items()}
    for name, figures in out.items():
        figures.pop("junk", None)  # the keys of the junk speakers: run the scorer by hand to see them
        print(f"{args.gold.name} {name}: {json.dumps(figures)}")


if __name__ == "__main__":
    main()
