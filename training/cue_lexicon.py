"""Measure which verbs report speech, on annotated news: the evidence behind data/cues.json's lists.

    python training/cue_lexicon.py [--gold ../shared/eval/polnear.train.jsonl] [--skip 300] [--docs 540]
                                   [--min-support 8] [--min-precision 0.5] [--min-quoted 0.3]

Every verb with a reported clause (a ccomp, or a that-clause the parse misses) and a subject that
can speak is a candidate cue; it is confirmed when a gold statement covers its clause (Jaccard >= 0.5,
as the shared scorer matches). A lemma qualifies as a speech cue when it is seen often enough
(`--min-support`), its clauses are mostly gold statements (`--min-precision`), and the gold puts
quote marks after it often enough (`--min-quoted`: speech is quoted verbatim, beliefs are not).
The lists print beside the shipped speech and claim lists, so that a change to cues.json can be
fitted on one set (PolNeAR, skipping the documents it is measured on) and measured on another
(GGT). Nothing is written: the lists are data a person decides on.
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from itertools import islice

from onrecord.cues import default_cues
from onrecord.pipeline import get_nlp
from onrecord.quotes import _CONTENT_DEPS, _that_clause
from onrecord.settings import Options
from onrecord.syntax import clause_tokens, subject_of

_MATCH = 0.5  # the shared scorer's Jaccard for a match


def _jaccard(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default="../shared/eval/polnear.train.jsonl")
    ap.add_argument("--skip", type=int, default=300, help="documents to leave out (kept for measuring)")
    ap.add_argument("--docs", type=int, default=540)
    ap.add_argument("--min-support", type=int, default=8)
    ap.add_argument("--min-precision", type=float, default=0.5)
    ap.add_argument("--min-quoted", type=float, default=0.3)
    args = ap.parse_args()

    with open(args.gold, encoding="utf-8") as f:
        docs = [json.loads(line) for line in islice(f, args.skip, args.skip + args.docs)]
    nlp = get_nlp(Options().model)
    cues = default_cues()
    seen, confirmed, quoted, cued = Counter(), Counter(), Counter(), Counter()
    for gold, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
        spans = [(q["start"], q["end"]) for q in gold["quotes"]]
        for q in gold["quotes"]:
            words = (q.get("cue") or "").lower().split()
            if len(words) == 1:  # a one-word cue's lemma, from the parse of its own text
                lemma = nlp.vocab.strings[nlp(words[0])[0].lemma] if words[0].isalpha() else None
                if lemma:
                    cued[lemma] += 1
                    quoted[lemma] += q["type"] in ("direct", "mixed")
        for tok in doc:
            if tok.pos_ != "VERB":
                continue
            content = next((c for c in tok.children if c.dep_ in _CONTENT_DEPS and c.i > tok.i), None)
            content = content or _that_clause(doc, tok)
            if content is None or not cues.is_agent(subject_of(tok), tok):
                continue
            toks = clause_tokens(content)
            span = (toks[0].idx, toks[-1].idx + len(toks[-1]))
            seen[tok.lemma_] += 1
            confirmed[tok.lemma_] += any(_jaccard(span, g) >= _MATCH for g in spans)
    shipped = set(cues.verbs)
    rows = []
    for lemma, n in seen.items():
        precision = confirmed[lemma] / n
        share = quoted[lemma] / cued[lemma] if cued[lemma] else 0.0
        ok = n >= args.min_support and precision >= args.min_precision and share >= args.min_quoted
        rows.append((ok, lemma in shipped, lemma, n, precision, share))
    rows.sort(key=lambda r: (-r[3], r[2]))
    print("lemma           seen  confirmed  quoted  qualifies  shipped")
    for ok, ship, lemma, n, precision, share in rows:
        if n >= args.min_support or ship:
            print(f"{lemma:15s} {n:5d}  {precision:8.2f}  {share:6.2f}  {'yes' if ok else 'no':9s}  {'yes' if ship else ''}")
    print("qualify, not shipped:", sorted(r[2] for r in rows if r[0] and not r[1]))
    print("shipped, not qualifying (support reached):",
          sorted(r[2] for r in rows if r[1] and not r[0] and r[3] >= args.min_support))


if __name__ == "__main__":
    main()
