"""The Ray engine on a real local Ray cluster: the same records, tables and corpus as the local
engine, a killed worker costing nothing, a bad document reported.

One cluster serves the module, and each engine runs as few times as the tests allow (the
extraction is the cost): one local extraction and one local ingest are the references.
"""
from __future__ import annotations

import filecmp
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import cli
from onrecord.errors import OnrecordError
from onrecord.scale import extract_files
from onrecord.settings import load_options

from .conftest import EXAMPLE, shared_file

ray = pytest.importorskip("ray")

BRIEFING = "\n\n".join([
    "Press Briefing by Press Secretary and the President",
    "THE PRESIDENT:\u00a0 Thank you all for coming. We signed the harbour agreement this morning, and it will "
    "bring jobs to every port on the coast.",
    "Q\u00a0 \u00a0 Mr. President, will the agreement survive a vote in the Senate?",
    "THE PRESIDENT:\u00a0 I believe it will. The votes are there, and the people want it.",
    "Q\u00a0 \u00a0 And the unions?",
    "THE PRESIDENT:\u00a0 The unions were at the table from the first day.",
    "END 2:20 P.M.",
]) + "\n"

WIRE = "\n\n".join([
    "Port strike ends after three weeks",
    "HALIFAX, Nova Scotia - Dock workers voted on Sunday to end a three-week strike, their union said.",
    "\u201cThis is a fair deal for every family on the waterfront,\u201d union president Maria Delgado told reporters.",
    "Port authority spokesperson Tom Reyes said the first ships would be unloaded on Monday. \u201cWe are grateful "
    "for the patience of shippers,\u201d Reyes said.",
]) + "\n"


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray cluster for the module: two workers and their readers (a CPU beside them)."""
    ray.init(num_cpus=3, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    """A few dozen documents: the GGT dev set (read from ../shared at test time), the example
    interview, a briefing transcript and a wire story in their published shapes, and two bad
    inputs among them (an empty file, a JSON lines file with a line that is not JSON)."""
    ggt = shared_file("eval/ggt.dev.jsonl", "the GGT dev set")
    folder = tmp_path_factory.mktemp("docs")
    (folder / "briefing.txt").write_text(BRIEFING, encoding="utf-8")
    (folder / "wire.txt").write_text(WIRE, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "more.jsonl").write_text(json.dumps({"id": "w2", "text": WIRE.replace("Sunday", "Monday")}) + "\n{oops\n",
                                       encoding="utf-8")
    return [str(ggt), str(EXAMPLE), str(folder)]


def _invoke(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def local_tables(inputs, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local") / "tables"
    result = _invoke(["extract", *inputs, "--format", "parquet", "-o", str(out)])
    assert result.exit_code == 1, result.output  # the two bad inputs
    return out


@pytest.fixture(scope="module")
def ray_tables(ray_cluster, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("ray") / "tables"
    result = _invoke(["extract", *inputs, "--engine", "ray", "--jobs", "2", "--format", "parquet", "-o", str(out)])
    return out, result


def _export(db: Path) -> bytes:
    out = db.with_suffix(".jsonl")
    assert _invoke(["export", "--db", str(db), "-o", str(out)]).exit_code == 0
    return out.read_bytes()


def test_extract_on_ray_writes_the_local_engines_tables_byte_for_byte(local_tables, ray_tables):
    out, _ = ray_tables
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.parquet"))
    assert names == ["documents/part-00000.parquet", "quotes/part-00000.parquet", "speakers/part-00000.parquet",
                     "turns/part-00000.parquet"]
    _, mismatch, errors = filecmp.cmpfiles(local_tables, out, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_a_bad_document_among_good_ones_is_reported_and_the_rest_extracted(ray_tables):
    out, result = ray_tables
    assert result.exit_code == 1
    assert "empty.txt: empty document" in result.output
    assert "more.jsonl:2: not JSON lines" not in result.output  # line 1 was good: line 2 is just invalid
    assert "more.jsonl:2: invalid JSON" in result.output
    import pyarrow.parquet as pq

    ids = pq.read_table(out / "documents", columns=["doc_id"]).column("doc_id").to_pylist()
    assert {"briefing", "wire", "w2", "harbour_interview"} <= set(ids) and len(ids) == len(set(ids)) == 28


def test_ingest_on_ray_and_load_of_its_tables_give_the_local_corpus_export(inputs, ray_cluster, ray_tables, tmp_path,
                                                                           monkeypatch):
    from onrecord.scale import corpus_steps

    # the buckets grouped and the surname groups settled by Ray tasks, however few: the Ray steps'
    # links and placements are the local ones
    monkeypatch.setattr(corpus_steps, "RAY_MIN_ROWS", 0)
    monkeypatch.setattr(corpus_steps, "RAY_MIN_CLASSES", 0)
    local, loaded, loaded_on_ray = tmp_path / "local.db", tmp_path / "loaded.db", tmp_path / "loaded_ray.db"
    assert _invoke(["ingest", *inputs, "--db", str(local)]).exit_code == 1
    expected = _export(local)
    for jobs in ("2", "1"):
        on_ray = tmp_path / f"ray{jobs}.db"
        result = _invoke(["ingest", *inputs, "--db", str(on_ray), "--engine", "ray", "--jobs", jobs])
        assert result.exit_code == 1 and "28 added, 0 already present, 2 failed" in result.output
        assert _export(on_ray) == expected, f"--jobs {jobs}"
    assert _invoke(["load", str(ray_tables[0]), "--db", str(loaded)]).output.startswith("28 added")
    assert _invoke(["load", str(ray_tables[0]), "--db", str(loaded_on_ray), "--engine", "ray"]).output.startswith(
        "28 added")
    assert _export(loaded) == _export(loaded_on_ray) == expected
    # resumed: what the corpus holds is passed over by the readers, before any worker extracts it
    again = _invoke(["ingest", *inputs, "--db", str(on_ray), "--engine", "ray", "--jobs", "1"])
    assert "0 added, 28 already present, 2 failed" in again.output
    assert _export(on_ray) == expected


def test_the_readers_pass_over_documents_the_corpus_holds(ray_cluster, tmp_path):
    import numpy as np

    from onrecord.record import content_hash
    from onrecord.scale import AlreadyStored
    from onrecord.scale.ray_engine import HASH_CHARS, _decode_item, _load_file

    lines = [json.dumps({"id": f"d{i}", "text": f"OTTAWA — Story {i}. The minister said the vote would be close."})
             for i in range(3)]
    row = {"path": str(tmp_path / "feed.jsonl"), "bytes": ("\n".join(lines) + "\n").encode()}
    held = np.array(sorted([content_hash(json.loads(lines[1])["text"]).encode()]), dtype=f"S{HASH_CHARS}")
    items = [_decode_item(r["item"]) for r in _load_file(row, named=frozenset({row["path"]}), prefix="", encoding=None,
                                                         stored=ray.put(held))]
    assert [type(i).__name__ for i in items] == ["Document", "AlreadyStored", "Document"]
    assert items[1] == AlreadyStored("d1")


def _worker_pids() -> list[int]:
    """Processes of the extraction actors (Ray titles them after the class, OnrecordExtractor)."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"OnrecordExtractor" in (entry / "cmdline").read_bytes():
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def test_a_worker_killed_mid_run_loses_no_document_and_duplicates_none(inputs, ray_cluster):
    """The worker is killed when the first record arrives: with the GGT set read twice (over fifty
    documents in batches of eight) most batches are still to come."""
    options = load_options()
    paths = [*inputs, inputs[0]]
    local = [r.to_dict() for r in extract_files(paths, options=options) if not isinstance(r, OnrecordError)]
    records, killed = [], []
    for result in extract_files(paths, options=options, engine="ray", jobs=2):
        if not killed:
            pids = _worker_pids()
            assert pids, "no extraction worker running after the first result"
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])
        if not isinstance(result, OnrecordError):
            records.append(result.to_dict())
    assert killed
    assert [r["doc_id"] for r in records] == [r["doc_id"] for r in local]
    assert records == local


def test_without_ray_the_ray_engine_says_how_to_install_it(tmp_path):
    """Ray made unimportable in a fresh interpreter: one line saying what to install, exit 1."""
    code = ("import sys; sys.modules['ray'] = None; from onrecord.cli import main; "
            f"sys.argv = ['onrecord', 'extract', {str(EXAMPLE)!r}, '--engine', 'ray']; main()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert 'pip install "onrecord[ray]"' in run.stderr
    assert "Traceback" not in run.stderr


def test_a_ray_client_address_is_refused_with_the_way_to_run_on_the_cluster(tmp_path):
    """Ray Data cannot run through Ray Client: `--address ray://...` says so and how to submit the run as
    a job instead, exit 1, before any cluster is joined and without a traceback."""
    out = tmp_path / "tables"
    onrecord = str(Path(sys.executable).with_name("onrecord"))  # the console script beside this Python
    run = subprocess.run([onrecord, "extract", str(EXAMPLE), "--engine", "ray",
                          "--address", "ray://127.0.0.1:1", "--format", "parquet", "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "does not run through Ray Client" in run.stderr and "ray job submit" in run.stderr
    assert "Traceback" not in run.stderr
    assert not out.exists()


def test_an_object_store_prefix_is_read_in_the_order_of_a_local_walk(ray_cluster, tmp_path):
    """A URI goes through pyarrow's file systems (file:// here; s3:// and gs:// the same way): the
    files under it are read as a directory walk reads them, files before subdirectories."""
    (tmp_path / "b").mkdir()
    (tmp_path / "c.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "b" / "a.txt").write_text(WIRE.replace("Sunday", "Friday"), encoding="utf-8")
    (tmp_path / "a.txt").write_text(BRIEFING, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(WIRE, encoding="utf-8")
    options = load_options()
    local = [(r.doc_id, r.text) for r in extract_files([str(tmp_path)], options=options)]
    remote = list(extract_files([tmp_path.as_uri()], options=options, engine="ray", jobs=1))
    assert [(r.doc_id, r.text) for r in remote] == local
    assert [r.doc_id for r in remote] == ["a", "c", "a"]
    assert remote[0].source == (tmp_path / "a.txt").as_uri()


@pytest.fixture
def s3_bucket(monkeypatch):
    """A real S3 API on this machine (moto's server, over HTTP), a bucket "news" on it, and the
    environment any S3 client reads (`AWS_ENDPOINT_URL`, credentials) pointing at it."""
    import logging
    import socket

    import pyarrow.fs as pafs
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    fs = pafs.S3FileSystem(endpoint_override=env["AWS_ENDPOINT_URL"], access_key="test", secret_key="test",
                           region="us-east-1", allow_bucket_creation=True)
    fs.create_dir("news")
    yield fs
    server.stop()


def test_extract_on_ray_reads_and_writes_an_s3_bucket_as_the_local_engine_does_files(s3_bucket, tmp_path):
    """`onrecord extract s3://… --engine ray -o s3://…` (its own local cluster, as a user runs it): the
    documents listed under the prefix, and the four tables written to the bucket, equal to the
    local engine's on the same files but for where each document came from."""
    import pyarrow.parquet as pq

    local_dir = tmp_path / "in"
    local_dir.mkdir()
    for name, text in (("wire.txt", WIRE), ("briefing.txt", BRIEFING)):
        (local_dir / name).write_text(text, encoding="utf-8")
        with s3_bucket.open_output_stream(f"news/in/{name}") as f:
            f.write(text.encode("utf-8"))
    onrecord = str(Path(sys.executable).with_name("onrecord"))  # the console script beside this Python
    run = subprocess.run([onrecord, "extract", "s3://news/in", "--engine", "ray", "--jobs", "1",
                          "--format", "parquet", "-o", "s3://news/out"], capture_output=True, text=True, timeout=300,
                         env=dict(os.environ))
    assert run.returncode == 0, run.stderr[-2000:]
    local_out = tmp_path / "local"
    assert _invoke(["extract", str(local_dir), "--format", "parquet", "-o", str(local_out)]).exit_code == 0
    for table in ("documents", "quotes", "speakers", "turns"):
        remote = pq.read_table(f"news/out/{table}/part-00000.parquet", filesystem=s3_bucket)
        local = pq.read_table(local_out / table / "part-00000.parquet")
        if table == "documents":  # the record each row carries names its source too
            assert remote.column("source").to_pylist() == ["s3://news/in/briefing.txt", "s3://news/in/wire.txt"]
            records = [[{k: v for k, v in json.loads(r).items() if k != "source"} for r in t.column("record").to_pylist()]
                       for t in (remote, local)]
            assert records[0] == records[1]
            remote, local = (t.drop_columns(["source", "record"]) for t in (remote, local))
        assert remote.num_rows > 0 and remote.equals(local), table
