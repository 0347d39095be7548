"""Extract throughput against a bare spaCy parse of the same texts, in the same run.

    python bench/speed.py [--docs 124] [--transcripts 30] [--repeat 3] [--jobs 1 2] [--profile]

Texts: the eval sets' documents in order (ggt.dev's 24, then polnear.train, up to --docs;
read from ../shared/eval at run time) plus the founding document. Each measurement runs once
to warm up, then all are timed round-robin --repeat times; the table shows the best and the
median run, since the machine is shared. Rows:

- bare pipe: `nlp.pipe(texts)` through `get_nlp(model)`, the pipeline onrecord parses with
  (its paragraph-boundary component included); `spacy.load(model)` alone for comparison; and
  `nlp(text)` one document at a time, the way `extract` calls it.
- extract: `pipeline.extract` per document, verification off. The issue's bar: >= 0.8x bare pipe.
- verification: on documents with a transcript (the founding document and synthetic
  article+transcript documents built from eval sentences at run time, never saved), extract
  with and without verification, and `verify()` alone on the unverified records. Bar: <= 20%.
- files: `extract_files` over one .txt per document in a temporary folder, for each --jobs
  (worker start-up and model loading included, as a user running the CLI pays them).

Prints a markdown table and writes bench/out/speed.json; --profile adds cProfile's costliest
onrecord functions over one extract pass (bench/out/speed.prof for a viewer).
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import spacy
from synthetic import FIRST, LAST, eval_texts

from onrecord.pipeline import __version__, extract, extract_files, get_nlp, model_name
from onrecord.settings import load_options
from onrecord.verify import verify

ROOT = Path(__file__).resolve().parent.parent
FOUNDING = ROOT.parent / "shared" / "corpus" / "000_95255bcd56abbf34.txt"
SRC = str(ROOT / "src" / "onrecord")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_QUOTE_MARKS = re.compile(r"[\"“”‘’']")


@dataclass
class Run:
    """One measurement: what ran over how much text, and the seconds of each timed repeat."""

    name: str
    docs: int
    words: int
    seconds: list[float]

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def to_dict(self) -> dict:
        return {"name": self.name, "docs": self.docs, "words": self.words,
                "seconds": [round(s, 3) for s in self.seconds], "best_s": round(self.best, 3),
                "median_s": round(self.median, 3), "words_per_s": round(self.words / self.best),
                "words_per_s_median": round(self.words / self.median), "docs_per_s": round(self.docs / self.best, 2)}


def measure(tasks: list[tuple[str, list[dict], Callable[[], object]]], repeat: int) -> list[Run]:
    """Warm each task up once, then time them round-robin, so that load from other processes on a
    shared machine falls on every measurement alike."""
    runs = [Run(name, len(docs), sum(len(d["text"].split()) for d in docs), []) for name, docs, _ in tasks]
    for _, _, work in tasks:
        work()  # caches, lazily built lexicons, page cache
    for round_ in range(repeat):
        for run, (_, _, work) in zip(runs, tasks, strict=True):
            started = time.perf_counter()
            work()
            run.seconds.append(time.perf_counter() - started)
        print(f"  round {round_ + 1} of {repeat}: " + ", ".join(f"{r.seconds[-1]:.1f}" for r in runs), flush=True)
    return runs


def machine(model: str) -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpu = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    return {"cpu": cpu.group(1) if cpu else platform.processor(), "cores": os.cpu_count(),
            "ram_gib": round(int(mem.group(1)) / 2**20, 1) if mem else None,
            "load_avg_at_start": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
            "spacy": spacy.__version__, "model": model_name(get_nlp(model)), "onrecord": __version__}


def transcript_docs(n: int) -> list[dict]:
    """Article + transcript documents: an interviewee's answers are eval sentences, and the
    article quotes them verbatim, with a word dropped, with an ellipsis, and in indirect speech."""
    docs: list[dict] = []
    for source in eval_texts():
        if len(docs) == n:
            break
        sentences = [s.strip() for s in _SENTENCE.split(source["text"])
                     if "\n" not in s.strip() and not _QUOTE_MARKS.search(s) and 8 <= len(s.split()) <= 40]
        if len(sentences) < 6:
            continue
        i = len(docs)
        first, last = FIRST[i % len(FIRST)], LAST[i % len(LAST)]
        s = [x.rstrip(".!?") for x in sentences[:6]]
        dropped = s[1].split()
        dropped = " ".join(dropped[:3] + dropped[4:])
        half = s[3].split()
        cut = len(half) // 2
        article = "\n\n".join([
            f"{first} {last} speaks about the week",
            f"{first} {last}, a spokesperson, spoke to reporters on Monday.",
            f"\u201c{s[0]},\u201d {last} said.",
            f"\u201c{dropped},\u201d said {last}.",
            f"{last} also said that {s[2][0].lower() + s[2][1:]}.",
            f"\u201c{' '.join(half[:cut])} \u2026 {' '.join(half[cut + 2:])},\u201d {last} added.",
            "What follows is a transcript of the interview.",
            "Interviewer: Thank you for joining us. What happened this week?",
            f"{last}: {s[0]}. {s[1]}. {s[2]}.",
            "Interviewer: And what comes next?",
            f"{last}: {s[3]}. {s[4]}. {s[5]}.",
        ])
        docs.append({"doc_id": f"transcript-{i}", "text": article + "\n"})
    return docs


def profile(docs: list[dict], options, out: Path, top: int) -> dict:
    """cProfile over one extract pass: onrecord's functions by cumulative and by own time, and
    every function by own time (what onrecord's calls into spaCy and the standard library cost)."""
    profiler = cProfile.Profile()
    profiler.enable()
    for d in docs:
        extract(d["text"], doc_id=d["doc_id"], options=options)
    profiler.disable()
    profiler.dump_stats(out)
    stats = pstats.Stats(profiler).stats  # {(file, line, func): (calls, ncalls, tottime, cumtime, callers)}
    rows = [{"function": _where(f, line, func), "calls": v[1], "own_s": round(v[2], 3), "cumulative_s": round(v[3], 3),
             "onrecord": f.startswith(SRC)} for (f, line, func), v in stats.items()]
    print(f"\nprofile of one extract pass: {sum(r['own_s'] for r in rows):.1f} s in all, "
          f"{sum(r['own_s'] for r in rows if r['onrecord']):.1f} s of it in onrecord's own lines")
    listings = {
        "onrecord_by_cumulative": sorted((r for r in rows if r["onrecord"]), key=lambda r: -r["cumulative_s"])[:top],
        "onrecord_by_own": sorted((r for r in rows if r["onrecord"]), key=lambda r: -r["own_s"])[:top],
        "all_by_own": sorted(rows, key=lambda r: -r["own_s"])[:top],
    }
    for title, listing in listings.items():
        print(f"\n| {title} | calls | own s | cumulative s |\n|---|---:|---:|---:|")
        print("\n".join(f"| {r['function']} | {r['calls']} | {r['own_s']} | {r['cumulative_s']} |" for r in listing))
    return listings


def _where(file: str, line: int, func: str) -> str:
    """src/onrecord/x.py:12 f for onrecord's own code, the short file name for everything else."""
    path = Path(file)
    return f"{path.relative_to(ROOT) if file.startswith(SRC) else path.name}:{line} {func}"


def table(runs: list[Run]) -> str:
    lines = ["| run | docs | words | best s | median s | words/s (best) | words/s (median) | docs/s (best) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in runs:
        lines.append(f"| {r.name} | {r.docs} | {r.words:,} | {r.best:.2f} | {r.median:.2f} | "
                     f"{r.words / r.best:,.0f} | {r.words / r.median:,.0f} | {r.docs / r.best:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=124, help="eval documents (ggt.dev's 24 first, then polnear)")
    ap.add_argument("--transcripts", type=int, default=30, help="synthetic article+transcript documents")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement, after one warm-up")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--profile", action="store_true", help="also profile one extract pass")
    ap.add_argument("--top", type=int, default=15, help="profile rows to show")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out"))
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if not FOUNDING.exists():
        print(f"{FOUNDING}: not found (the founding document lives in ../shared/corpus)")
        return 1
    started = time.perf_counter()
    options = load_options()
    plain = options.with_(verify=False)
    broad = plain.with_(attribution="broad")  # rules plus the learned content scorer
    founding = {"doc_id": FOUNDING.stem, "text": FOUNDING.read_text(encoding="utf-8")}
    docs = [*eval_texts(args.docs), founding]
    texts = [d["text"] for d in docs]
    with_transcripts = [founding, *transcript_docs(args.transcripts)]
    info = machine(options.model)
    print(json.dumps(info))

    nlp, bare = get_nlp(options.model), spacy.load(options.model)
    unverified = [extract(d["text"], doc_id=d["doc_id"], options=plain) for d in with_transcripts]
    transcripts = sum(1 for r in unverified if any(s.kind == "transcript" for s in r.sections))
    tasks = [
        ("bare: get_nlp(model).pipe", docs, lambda: list(nlp.pipe(texts, batch_size=options.batch_size))),
        ("bare: spacy.load(model).pipe", docs, lambda: list(bare.pipe(texts, batch_size=options.batch_size))),
        ("bare: get_nlp(model)(text) per doc", docs, lambda: [nlp(t) for t in texts]),
        ("onrecord: extract, verify off", docs,
         lambda: [extract(d["text"], doc_id=d["doc_id"], options=plain) for d in docs]),
        ("onrecord: extract, verify off, attribution broad", docs,
         lambda: [extract(d["text"], doc_id=d["doc_id"], options=broad) for d in docs]),
        ("transcript docs: extract, verify off", with_transcripts,
         lambda: [extract(d["text"], doc_id=d["doc_id"], options=plain) for d in with_transcripts]),
        ("transcript docs: extract, verify on", with_transcripts,
         lambda: [extract(d["text"], doc_id=d["doc_id"], options=options) for d in with_transcripts]),
        ("transcript docs: verify() alone", with_transcripts, lambda: [verify(r) for r in unverified]),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for d in docs:
            (Path(tmp) / f"{d['doc_id']}.txt").write_text(d["text"], encoding="utf-8")
        tasks += [(f"files: extract_files jobs={n}, verify off", docs,
                  lambda n=n: list(extract_files([tmp], options=plain, jobs=n))) for n in args.jobs]
        print("rounds (seconds of each run, in row order):", flush=True)
        runs = measure(tasks, args.repeat)

    by_name = {r.name: r for r in runs}
    pipe, extracted = by_name["bare: get_nlp(model).pipe"], by_name["onrecord: extract, verify off"]
    per_doc = by_name["bare: get_nlp(model)(text) per doc"]
    off, on = by_name["transcript docs: extract, verify off"], by_name["transcript docs: extract, verify on"]
    summary = {
        "extract_vs_bare_pipe": round(pipe.best / extracted.best, 3),
        "extract_vs_bare_pipe_median": round(pipe.median / extracted.median, 3),
        "extract_vs_bare_per_doc": round(per_doc.best / extracted.best, 3),
        "broad_extract_vs_bare_pipe": round(pipe.best / by_name["onrecord: extract, verify off, attribution broad"].best, 3),
        "verify_overhead": round(on.best / off.best - 1, 3),
        "verify_overhead_median": round(on.median / off.median - 1, 3),
        "verify_alone_share": round(by_name["transcript docs: verify() alone"].best / off.best, 3),
        "documents_with_transcript_sections": f"{transcripts} of {len(with_transcripts)}",
    }
    if len(args.jobs) > 1:
        first, last = (by_name[f"files: extract_files jobs={j}, verify off"] for j in (args.jobs[0], args.jobs[-1]))
        summary[f"jobs{args.jobs[-1]}_vs_jobs{args.jobs[0]}"] = round(first.best / last.best, 3)
    print(f"\n{table(runs)}\n")
    print("\n".join(f"- {k}: {v}" for k, v in summary.items()))
    result = {"machine": info, "repeat": args.repeat, "runs": [r.to_dict() for r in runs], "summary": summary}
    if args.profile:
        result["profile"] = profile(docs, plain, out / "speed.prof", args.top)
    result["bench_seconds"] = round(time.perf_counter() - started, 1)
    (out / "speed.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"\n{out / 'speed.json'} written; the bench took {result['bench_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
