"""The Ray engine against the local one on this machine: throughput, overhead, memory per worker.

    python bench/ray_scale.py [--docs 840] [--workers 1 2]

Input: the first --docs documents of PolNeAR's training set (real news text, read from
../shared/eval at run time, never copied), as one JSON lines file. Runs, one after another:

- local: `pipeline.extract_files(jobs=1)` with the model already loaded: one core's throughput.
- ray N: `scale.extract_files(engine="ray", jobs=N)` on a local Ray cluster started once for all
  runs (`ray.init(num_cpus=N + 1)`: a CPU for the readers beside the workers). Throughput is
  counted in the steady state, from the first record to the last, so that it excludes the
  actors' start and model load (reported apart, as `startup_s`); wall time includes both.
- memory: each worker's resident set (VmRSS, /proc) sampled every `SAMPLE_S` seconds during
  each Ray run, at the end of each quarter of the input: flat when the model is the only thing
  a worker keeps.
- driver: milliseconds per record on the driver, decoding a worker's record and writing it to
  the Parquet tables (`extract`), and storing it in a new SQLite corpus, where the corpus steps
  (speakers across documents, quote clusters, misattribution) run in the one writer (`ingest`,
  `load`), with the quotes' band keys computed by the writer (`load`) or handed over by the
  workers (`ingest --engine ray`): each caps a cluster's throughput whatever its size.

Prints a markdown table and writes bench/out/ray_scale.json, with the load average before
each run (the machine is shared: another engineer's benchmarks may be running).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import threading
import time
from pathlib import Path

import ray

from onrecord import pipeline, tables
from onrecord.errors import OnrecordError
from onrecord.record import Record
from onrecord.scale import extract_files, ray_engine
from onrecord.scale.ray_engine import WORKER_BATCH
from onrecord.settings import load_options
from onrecord.store import Corpus
from onrecord.store.clusters import Banded

ROOT = Path(__file__).resolve().parent.parent
POLNEAR = ROOT.parent / "shared" / "eval" / "polnear.train.jsonl"
OUT = ROOT / "bench" / "out" / "ray_scale.json"
SAMPLE_S = 0.5  # how often a worker's memory is read: several samples per batch of WORKER_BATCH documents


def worker_rss() -> dict[int, int]:
    """Resident memory (bytes) of each extraction worker process, by pid."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"OnrecordExtractor" in (entry / "cmdline").read_bytes():
                status = (entry / "status").read_text()
                kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
                found[int(entry.name)] = kb * 1024
        except (OSError, StopIteration):
            continue
    return found


class Sampler(threading.Thread):
    """Reads the workers' memory every SAMPLE_S seconds, with how many records the run had yielded."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.done = 0
        self.samples: list[tuple[int, dict[int, int]]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_S):
            self.samples.append((self.done, worker_rss()))


def timed(results, sampler: Sampler | None = None) -> dict:
    start = time.perf_counter()
    first = last = None
    records = []
    for result in results:
        now = time.perf_counter()
        if isinstance(result, OnrecordError):
            continue
        records.append(result)
        first = first or now
        last = now
        if sampler is not None:
            sampler.done = len(records)
    steady = len(records) - 1
    return {"docs": len(records), "wall_s": round(time.perf_counter() - start, 2),
            "startup_s": round(first - start, 2), "steady_docs_per_s": round(steady / (last - first), 2),
            "records": records}


def memory_by_quarter(samples: list[tuple[int, dict[int, int]]], total: int) -> list[float]:
    """The largest worker's resident memory (MiB) at the end of each quarter of the input."""
    out = []
    for quarter in (1, 2, 3, 4):
        upto = [rss for done, rss in samples if done <= total * quarter / 4 and rss]
        out.append(round(max(upto[-1].values()) / 2**20, 1) if upto else 0.0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=840)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    lines = POLNEAR.read_text(encoding="utf-8").splitlines()[: args.docs]
    options = load_options()
    report: dict = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                "python": platform.python_version(), "ray": ray.__version__},
                    "docs": len(lines), "worker_batch": WORKER_BATCH, "runs": {}}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp, "polnear.jsonl")
        data.write_text("\n".join(lines) + "\n", encoding="utf-8")

        pipeline.get_nlp(options.model)
        load = os.getloadavg()[0]
        local = timed(pipeline.extract_files([str(data)], options=options, jobs=1))
        reference = [r.to_dict() for r in local.pop("records")]
        report["runs"]["local"] = {**local, "load_before": round(load, 2)}

        ray.init(num_cpus=max(args.workers) + 1, include_dashboard=False, log_to_driver=False)
        try:
            for n in args.workers:
                load = os.getloadavg()[0]
                sampler = Sampler()
                sampler.start()
                run = timed(extract_files([str(data)], options=options, engine="ray", jobs=n), sampler)
                sampler.stop.set()
                sampler.join()
                records = run.pop("records")
                run["same_records_as_local"] = [r.to_dict() for r in records] == reference
                run["worker_rss_mib_by_quarter"] = memory_by_quarter(sampler.samples, run["docs"])
                run["load_before"] = round(load, 2)
                report["runs"][f"ray {n}"] = run
        finally:
            ray.shutdown()

        # the driver's path: a worker's row decoded (ray_engine's own codec), written to the tables
        encoded = [ray_engine._encode(Banded.of(Record.from_dict(r))) for r in reference]
        start = time.perf_counter()
        with tables.write_tables(str(Path(tmp, "tables"))) as writer:
            for text in encoded:
                banded = ray_engine._decode(text)
                assert isinstance(banded, Banded)
                writer.write(banded)
            writer.close()
        report["driver_ms_per_record"] = round(1000 * (time.perf_counter() - start) / len(encoded), 2)
        start = time.perf_counter()
        with Corpus(Path(tmp, "corpus.db"), options=options) as corpus:
            corpus.add_all(Record.from_dict(r) for r in reference)
        report["writer_ms_per_record"] = round(1000 * (time.perf_counter() - start) / len(reference), 2)
        banded = [Banded.of(Record.from_dict(r)) for r in reference]  # as the Ray workers hand them over
        start = time.perf_counter()
        with Corpus(Path(tmp, "banded.db"), options=options) as corpus:
            corpus.add_all(banded)
        report["writer_ms_per_banded_record"] = round(1000 * (time.perf_counter() - start) / len(reference), 2)

    runs = report["runs"]
    local_rate = runs["local"]["steady_docs_per_s"]
    if "ray 1" in runs:
        report["ray_overhead_per_worker"] = round(1 - runs["ray 1"]["steady_docs_per_s"] / local_rate, 3)
    if "ray 1" in runs and "ray 2" in runs:
        report["speedup_2_vs_1"] = round(runs["ray 2"]["steady_docs_per_s"] / runs["ray 1"]["steady_docs_per_s"], 2)
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{report['docs']} PolNeAR documents, {report['machine']['cpus']} CPUs, Ray {ray.__version__}\n")
    print("| run | docs/s (steady) | wall s | start-up s | worker RSS MiB by quarter | load before |")
    print("|---|---|---|---|---|---|")
    for name, run in runs.items():
        rss = " / ".join(str(x) for x in run.get("worker_rss_mib_by_quarter", [])) or "-"
        print(f"| {name} | {run['steady_docs_per_s']} | {run['wall_s']} | {run['startup_s']} | {rss} | {run['load_before']} |")
    for key in ("ray_overhead_per_worker", "speedup_2_vs_1", "driver_ms_per_record", "writer_ms_per_record",
                "writer_ms_per_banded_record"):
        if key in report:
            print(f"\n{key}: {report[key]}")


if __name__ == "__main__":
    main()
