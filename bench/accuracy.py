"""Accuracy on the human-annotated eval sets, scored by the shared scorer.

    python bench/accuracy.py [--gold ../shared/eval/ggt.dev.jsonl ...] [--limit N] [--out DIR]

Runs `onrecord.extract` on every gold document (its text exactly as given, so offsets agree),
writes the records as JSON lines, and prints the scorer's figures for each set. Verification is
off: fidelity does not change quote or speaker scores. Each set runs with the attribution
setting that matches its annotation guidelines (GGT: speech; PolNeAR: broad). Broad attribution's
scorer was trained on PolNeAR's train split, so its figure there is in-sample; the held-out one
comes from training/train_contents.py, which cross-validates. Each set is also scored in two
halves (alternate doc_ids): judge a rule fitted on one half by the other.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

from onrecord.pipeline import extract
from onrecord.settings import load_options

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_SETS = ["ggt.dev.jsonl", "polnear.train.jsonl"]
# Each set's own definition of attribution: GGT annotates speech, PolNeAR beliefs and stances too.
ATTRIBUTION = {"ggt": "speech", "polnear": "broad"}


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("onrecord_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(gold_path: Path, out_dir: Path, limit: int | None, options) -> dict:
    options = options.with_(attribution=ATTRIBUTION.get(gold_path.name.split(".")[0], options.attribution))
    gold = [json.loads(line) for line in gold_path.open(encoding="utf-8") if line.strip()][:limit]
    out = out_dir / f"{gold_path.stem}.pred.jsonl"
    started = time.perf_counter()
    with out.open("w", encoding="utf-8") as f:
        preds = []
        for g in gold:
            record = extract(g["text"], doc_id=g["doc_id"], options=options).to_dict()
            preds.append(record)
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    scorer = load_scorer(gold_path.parent / "score.py")
    seconds = round(time.perf_counter() - started, 1)
    result = scorer.score(gold, preds)
    result["seconds"] = seconds
    result["by_confidence"] = calibration(scorer, gold, preds)
    result["halves"] = halves(scorer, gold, preds)
    return result


def halves(scorer, gold: list[dict], preds: list[dict]) -> dict:
    """F1 and speaker accuracy on two halves of the set (alternate doc_ids, sorted): a change fitted
    on one half and judged on the other shows how it may fare on documents never seen."""
    order = sorted(range(len(gold)), key=lambda k: gold[k]["doc_id"])
    out = {}
    for name, picked in (("half_a", order[0::2]), ("half_b", order[1::2])):
        figures = scorer.score([gold[k] for k in picked], [preds[k] for k in picked])
        out[name] = {k: figures.get(k) for k in ("precision", "recall", "f1", "speaker_acc")}
    return out


def calibration(scorer, gold: list[dict], preds: list[dict]) -> dict:
    """Per confidence band: how many predicted quotes match a gold quote, and how many of those
    have the right speaker. Confidence is honest when both rise with it."""
    bands: dict[str, list[int]] = {}
    for g, p in zip(gold, preds, strict=True):
        text = g["text"]
        gs = [scorer.trim(text, q["start"], q["end"]) for q in g["quotes"]]
        ps = [scorer.trim(text, q["start"], q["end"]) for q in p["quotes"]]
        matched = {j: i for i, j in scorer.match(gs, ps).items()}
        speakers = {s["id"]: s for s in p["speakers"]}
        for j, q in enumerate(p["quotes"]):
            band = bands.setdefault(f"{min(int(q['confidence'] * 10), 9) / 10:.1f}", [0, 0, 0])
            band[0] += 1
            if j in matched:
                band[1] += 1
                band[2] += scorer.same_speaker(g["quotes"][matched[j]], g.get("speakers", {}), speakers.get(q["speaker"]))
    return {k: {"quotes": n, "precision": round(m / n, 3), "speaker_acc": round(s / m, 3) if m else None}
            for k, (n, m, s) in sorted(bands.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", nargs="*", default=[str(EVAL / s) for s in DEFAULT_SETS])
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each set")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = ap.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    options = load_options().with_(verify=False)
    for g in args.gold:
        path = Path(g)
        if not path.exists():
            print(f"{path}: not found (the eval sets live in ../shared/eval)", file=sys.stderr)
            return 1
        print(path.name, json.dumps(run(path, out_dir, args.limit, options)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
