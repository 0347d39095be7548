"""Baseline: textacy's direct quotations on the eval sets, scored by the shared scorer.

    bench/.venv-textacy/bin/python bench/baseline_textacy.py [--gold ...] [--limit N] [--strict] [--out DIR]

What users reach for before onrecord: `textacy.extract.triples.direct_quotations(doc)` on a
plain `spacy.load(model)` parse with the model onrecord uses. Each (speaker, cue, content)
triple becomes an onrecord/1 direct quote (the content span, marks included; the scorer trims
them) whose speaker is the speaker phrase with that one mention. The records are written as
JSON lines and scored exactly as bench/accuracy.py scores onrecord. textacy refuses a whole
document with an odd number of quote marks (ValueError); by default such a document is then
run paragraph by paragraph (onrecord's paragraphs, skipping those that are odd themselves),
which is kinder to the baseline than what users get; --strict scores it as no quotes.
textacy lives in its own venv (bench/README.md), never in onrecord's dependencies.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import spacy
import textacy
from accuracy import DEFAULT_SETS, EVAL, ROOT, load_scorer
from spacy.tokens import Doc
from textacy.extract.triples import direct_quotations

from onrecord import structure
from onrecord.record import Quote, Record, Span, Speaker
from onrecord.settings import load_options


@dataclass
class Counts:
    """How often textacy refused a document, and what the fallback then did."""

    refused: int = 0
    paragraphs_skipped: int = 0


def quotations(doc: Doc, strict: bool, counts: Counts) -> list[tuple[int, int, int, int, int, int]]:
    """(content start, end, speaker start, end, cue start, end) character offsets in doc.text."""
    try:
        return [_offsets(t, 0) for t in direct_quotations(doc)]
    except ValueError:  # an odd number of quote marks somewhere in the document
        counts.refused += 1
        if strict:
            return []
    found = []
    for paragraph in structure.analyze(doc.text).paragraphs:
        span = doc.char_span(paragraph.start, paragraph.end, alignment_mode="contract")
        if span is None or not len(span):
            continue
        try:
            found += [_offsets(t, span.start_char) for t in direct_quotations(span.as_doc())]
        except ValueError:
            counts.paragraphs_skipped += 1
    return found


def _offsets(triple, shift: int) -> tuple[int, int, int, int, int, int]:
    def chars(tokens) -> tuple[int, int]:
        return shift + tokens[0].idx, shift + tokens[-1].idx + len(tokens[-1])

    return (shift + triple.content.start_char, shift + triple.content.end_char,
            *chars(triple.speaker), *chars(triple.cue))


def record(doc_id: str, text: str, found: list[tuple[int, int, int, int, int, int]]) -> Record:
    """The onrecord/1 record of textacy's triples. textacy links no mentions (no coreference), so
    each speaker phrase is a speaker of its own; one phrase can introduce several quotes."""
    phrases: dict[tuple[int, int], str] = {}
    quotes = []
    for i, (qs, qe, ss, se, cs, ce) in enumerate(sorted(found)):
        speaker = phrases.setdefault((ss, se), f"s{len(phrases) + 1}")
        quotes.append(Quote(id=f"q{i + 1}", type="direct", start=qs, end=qe, text=text[qs:qe], speaker=speaker,
                            speaker_mention=Span.of(text, ss, se), cue=Span.of(text, cs, ce)))
    speakers = tuple(Speaker(id=sid, name=text[ss:se], kind="unknown", mentions=(Span.of(text, ss, se),))
                     for (ss, se), sid in phrases.items())
    return Record(doc_id=doc_id, text=text, speakers=speakers, quotes=tuple(quotes),
                  meta={"baseline": f"textacy-{textacy.__version__} direct_quotations"})


def run(gold_path: Path, out_dir: Path, limit: int | None, strict: bool, nlp) -> dict:
    gold = [json.loads(line) for line in gold_path.open(encoding="utf-8") if line.strip()][:limit]
    out = out_dir / f"{gold_path.stem}.textacy.pred.jsonl"
    counts = Counts()
    started = time.perf_counter()
    preds = []
    with out.open("w", encoding="utf-8") as f:
        for g, doc in zip(gold, nlp.pipe(g["text"] for g in gold), strict=True):
            preds.append(record(g["doc_id"], g["text"], quotations(doc, strict, counts)).to_dict())
            f.write(json.dumps(preds[-1], ensure_ascii=False) + "\n")
    result = load_scorer(gold_path.parent / "score.py").score(gold, preds)
    result.update(textacy_refused_docs=counts.refused, paragraphs_skipped=counts.paragraphs_skipped,
                  fallback="none" if strict else "paragraphs", seconds=round(time.perf_counter() - started, 1))
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", nargs="*", default=[str(EVAL / s) for s in DEFAULT_SETS])
    ap.add_argument("--limit", type=int, default=None, help="first N documents of each set")
    ap.add_argument("--strict", action="store_true",
                    help="a document textacy refuses (odd quote marks) scores as no quotes, with no fallback")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = ap.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = load_options().model
    nlp = spacy.load(model)
    print(f"textacy {textacy.__version__}, spaCy {spacy.__version__}, {model} {nlp.meta.get('version')}")
    for g in args.gold:
        path = Path(g)
        if not path.exists():
            print(f"{path}: not found (the eval sets live in ../shared/eval)", file=sys.stderr)
            return 1
        print(path.name, json.dumps(run(path, out_dir, args.limit, args.strict, nlp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
