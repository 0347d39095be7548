"""Adversarial inputs: does any input make onrecord slower than linear, or far slower than spaCy?

    python bench/adversarial.py [--quick | --big] [--cases marks endless ...] [--out bench/out/adversarial.json]

Each case is an input an attacker or a careless export could hand onrecord, built at run time
(from the founding document and the eval sets in ../shared, read, never copied) at growing sizes:

- marks: the founding document, then one paragraph of stray opening quote marks ("he said "maybe
  and then left he said "maybe …"), none closed and no full stop;
- endless: the founding document, then one sentence that never ends ("… said that the plan would
  work and the officials said that …");
- endless_broad: the same text under broad attribution (every cue's parse candidates are read);
- quote_marks: a paragraph of quote marks of every kind ("“ ” ' ‘ « „ ``") between short
  words, some ending a sentence;
- short_lines: short lines, one after another ("Q: And then?", "KIRBY: We said no."), with no blank
  line between them;
- signatures: paragraphs that end on an embedded post's signature ("… pic.twitter.com/x — Name
  (@handle) December 22, 2018") or on a pull quote's ("… Name, title"), each repeating the one
  before, and one that runs dashes and commas together ("— Ab — Ab …", ". A,x,x,x …");
- html: a paragraph at every level of <div>s nested up to 100,000 deep, read through onrecord's
  HTML loader (libxml2's huge mode keeps 2,048 levels: deeper text is lost);
- long_document: real news (the eval sets' articles, one after another) up to megabytes.

Every size runs twice, each in a fresh process (so each has its own peak memory): `extract`
(onrecord's whole pipeline: loading, the parse, every stage after it, verification) and `bare`
(the same model's parse of the same text through onrecord's own chunking, `pipeline.parse`). The
table shows both times, their ratio (target: at most 3x), how much the time grew against how much
the input grew from the size before (linear: the same factor), and peak memory (ru_maxrss) above
the process's size with the model loaded. Sizes too large to parse in the run's time are timed
for the stages that read the raw text (load, layout, quote marks, transcript turns: `text
stages`), where a million lines or 30 MB would find any quadratic step.

Writes bench/out/adversarial.json and prints a markdown table.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FOUNDING = next(iter(sorted((SHARED / "corpus").glob("000_*.txt"))), None)
RATIO_TARGET = 3.0  # the bar: no input takes more than 3x the bare parse of the same text

# case -> (unit, sizes for the whole pipeline, more with --big, sizes for the text stages alone).
# The default run takes about ten minutes on two quiet cores; --quick takes the first two sizes of
# each case; --big adds sizes that take hours to parse (the 30 MB document, a million lines).
CASES = {
    "marks": ("marks", [300, 1_000, 3_000], [10_000], []),
    "endless": ("words", [3_000, 10_000, 30_000], [100_000], []),
    "endless_broad": ("words", [3_000, 10_000, 30_000], [100_000], []),
    "quote_marks": ("marks", [1_000, 3_000, 10_000], [100_000], [100_000, 1_000_000]),
    "short_lines": ("lines", [3_000, 10_000, 30_000], [1_000_000], [100_000, 1_000_000]),
    "signatures": ("paragraphs", [300, 1_000, 3_000], [10_000], [100_000]),
    "html": ("depth", [100, 250, 1_000, 100_000], [], []),
    "long_document": ("MB", [0.1, 0.3, 1], [3, 30], [3, 10, 30]),
}
QUICK_SIZES = 2
# A case run with other options than the shipped ones (its text is the case it names after "_").
CASE_OPTIONS = {"endless_broad": {"attribution": "broad"}}


def make(case: str, size: float) -> str:
    """The input text (for html, the HTML source) of `case` at `size`."""
    rng = random.Random(size)
    if case in CASE_OPTIONS:
        return make(case.split("_")[0], size)
    if case == "marks":
        return _founding() + "\n\n" + " ".join('he said "maybe and then left' for _ in range(int(size))) + "\n"
    if case == "endless":
        clause = "the officials said that the plan would work and".split()
        words = (clause * (int(size) // len(clause) + 1))[:int(size)]
        return _founding() + "\n\n" + " ".join(words) + "\n"
    if case == "quote_marks":
        marks = ['"', "“", "”", "'", "‘", "’", "«", "»", "„", "``", "''"]
        words = ["yes", "no", "said", "Kirby", "we", "will", "not."]
        parts = []
        for _ in range(int(size)):
            parts.append(rng.choice(marks) + rng.choice(words) if rng.random() < 0.5 else rng.choice(words) + rng.choice(marks))
        return " ".join(parts) + "\n"
    if case == "short_lines":
        lines = ["Q: And then?", "KIRBY: We said no.", "Yes.", "OK", "\"No", "Kirby said it."]
        return "\n".join(lines[i % len(lines)] for i in range(int(size))) + "\n"
    if case == "signatures":
        paragraphs = []
        for i in range(int(size)):
            words = f"“We will not move on the harbour deal,” said Kirby on day {i}."
            paragraphs.append(words if i % 3 == 0 else
                              f"We will not move on the harbour deal. pic.twitter.com/x{i} — John Kirby (@kirby) "
                              f"December 22, 2018" if i % 3 == 1 else
                              "We will not move on the harbour deal. John Kirby, spokesperson")
        paragraphs.append("— Ab " * int(size) + ". A" + ",x" * int(size))
        return "\n\n".join(paragraphs) + "\n"
    if case == "html":
        depth = int(size)
        return ("<!doctype html><html><head><title>Deep</title></head><body>"
                + "".join(f"<div><p>“We will not move,” said Kirby at level {i}. The talks went on.</p>" for i in range(depth))
                + "</div>" * depth + "</body></html>")
    if case == "long_document":
        return _news(int(size * 1_000_000))
    raise ValueError(case)


def _founding() -> str:
    if FOUNDING is None:
        raise SystemExit("../shared/corpus/000_*.txt (the founding document) is not here")
    return FOUNDING.read_text(encoding="utf-8")


def _news(chars: int) -> str:
    """Real articles from the eval sets, one after another (again from the start when they run out)."""
    texts = [json.loads(line)["text"] for path in sorted((SHARED / "eval").glob("*.jsonl"))
             for line in path.open(encoding="utf-8") if line.strip()]
    if not texts:
        raise SystemExit("../shared/eval/*.jsonl are not here")
    out, n, i = [], 0, 0
    while n < chars:
        t = texts[i % len(texts)].strip()
        out.append(t)
        n += len(t) + 2
        i += 1
    return "\n\n".join(out)[:chars] + "\n"


# -- one measurement, in a process of its own ------------------------------------------------------
def child(case: str, size: float, mode: str) -> dict:
    """Time `mode` on the input, in this process: bare | extract | stages."""
    from onrecord.errors import OnrecordError
    from onrecord.pipeline import get_nlp
    from onrecord.settings import load_options

    options = load_options().with_(**CASE_OPTIONS.get(case, {}))
    source = make(case, size)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("input.html" if case == "html" else "input.txt")
        path.write_text(source, encoding="utf-8")
        del source
        if mode != "stages":
            get_nlp(options.model)("Warm up the model once.")
        base = _rss_kb()
        started = time.perf_counter()
        try:
            out = _run(mode, path, options)
        except OnrecordError as exc:  # an input onrecord refuses, and says why: its time counts all the same
            out = {"refused": str(exc).replace(str(path), path.name)}
        seconds = out.pop("parse_seconds", None) or time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": round(seconds, 3), "peak_mb": round(peak / 1024, 1), "grew_mb": round(max(0, peak - base) / 1024, 1),
            **out}


def _run(mode: str, path: Path, options) -> dict:
    from onrecord import load, marks, structure, turns
    from onrecord.pipeline import extract_document, parse

    (document,) = load.load_path(str(path))  # in extract, loading is onrecord's work and timed with it
    if mode == "extract":
        record = extract_document(document, options)
        return {"quotes": len(record.quotes), "chars": len(record.text)}
    if mode == "bare":
        started = time.perf_counter()  # the parse alone
        doc = parse(document.text, options)
        return {"tokens": len(doc), "chars": len(document.text), "parse_seconds": time.perf_counter() - started}
    layout = structure.analyze(document.text, title=document.title)  # the stages that read the raw text
    quoted = marks.find_quoted(document.text, [(p.start, p.end) for p in layout.paragraphs])
    found = turns.find_turns(document.text, layout)
    return {"quoted": len(quoted), "turns": len(found), "chars": len(document.text)}


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def measure(case: str, size: float, mode: str) -> dict:
    cmd = [sys.executable, __file__, "--child", case, str(size), mode]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- the run ---------------------------------------------------------------------------------------
def run(cases: list[str], quick: bool, big: bool, only: list[float] | None = None) -> list[dict]:
    rows = []
    for case in cases:
        unit, full, bigger, stages = CASES[case]
        if only:
            sizes = [(s, "extract") for s in only]
        else:
            sizes = [(s, "extract") for s in (full[:QUICK_SIZES] if quick else full + bigger if big else full)]
            sizes += [] if quick else [(s, "stages") for s in stages]
        prev = None
        for size, kind in sizes:
            row = {"case": case, "size": size, "unit": unit}
            if kind == "extract":
                row["bare"] = measure(case, size, "bare")
                row["extract"] = measure(case, size, "extract")
                timed = row["extract"]
                if all("seconds" in m and "refused" not in m for m in (row["bare"], timed)):
                    row["ratio"] = round(timed["seconds"] / max(row["bare"]["seconds"], 1e-3), 2)
            else:
                row["stages"] = timed = measure(case, size, "stages")
            if prev is not None and prev[1] == kind and "chars" in timed and "chars" in prev[2]:  # input characters
                row["growth"] = {"size": round(timed["chars"] / prev[2]["chars"], 2),
                                 "time": round(timed["seconds"] / max(prev[2]["seconds"], 1e-3), 2)}
            prev = (size, kind, timed)
            rows.append(row)
            print(_line(row), flush=True)
    return rows


def _line(row: dict) -> str:
    size = f"{row['size']:,} {row['unit']}"
    growth = row.get("growth")
    grew = f"×{growth['size']:g} → ×{growth['time']:g}" if growth else ""
    if "stages" in row:
        s = row["stages"]
        if "error" in s:
            return f"| {row['case']} | {size} | text stages | error: {s['error']} | | | |"
        return (f"| {row['case']} | {size} ({s['chars']:,} chars) | text stages {s['seconds']:.2f} s | | | {grew} "
                f"| {s['grew_mb']:,} |")
    b, e = row["bare"], row["extract"]
    if "error" in e or "refused" in e:
        why = e.get("error") or f"{e['seconds']:.2f} s: refused ({e['refused'].split(': ', 1)[-1]})"
        return f"| {row['case']} | {size} | – | {why} | | {grew} | – / {e.get('grew_mb', '–')} |"
    if "error" in b:
        return f"| {row['case']} | {size} | {b['error']} | {e['seconds']:.1f} s | | {grew} | |"
    flag = " **over**" if row["ratio"] > RATIO_TARGET else ""
    return (f"| {row['case']} | {size} ({e['chars']:,} chars) | {b['seconds']:.1f} s | {e['seconds']:.1f} s "
            f"| {row['ratio']:.2f}×{flag} | {grew} | {b['grew_mb']:,} / {e['grew_mb']:,} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the two smallest sizes of each case, no text-stage sizes")
    ap.add_argument("--big", action="store_true", help="also the sizes that take hours to parse (30 MB, a million lines)")
    ap.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    ap.add_argument("--sizes", nargs="*", type=float, help="these sizes of the chosen cases instead (whole pipeline)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "adversarial.json"))
    ap.add_argument("--child", nargs=3, metavar=("CASE", "SIZE", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        case, size, mode = args.child
        print(json.dumps(child(case, float(size) if "." in size else int(size), mode)))
        return 0
    machine = f"{_cpu()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"machine: {machine}; load average at start {os.getloadavg()[0]:.1f}")
    print("| case | size | bare parse | extract | ratio | growth (chars → time) | peak MB above the model (bare / extract) |")
    print("|---|---|---:|---:|---:|---|---:|")
    started = time.perf_counter()
    rows = run(args.cases, args.quick, args.big, [int(x) if x == int(x) else x for x in args.sizes or []])
    over = [r for r in rows if r.get("ratio", 0) > RATIO_TARGET]
    print(f"{len(rows)} rows in {time.perf_counter() - started:.0f} s; over {RATIO_TARGET:g}x the bare parse: {len(over)}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine, "quick": args.quick, "big": args.big, "ratio_target": RATIO_TARGET,
                               "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
