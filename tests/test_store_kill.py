"""An ingest killed with SIGKILL mid-way, then run again, ends with the same corpus as a clean one.

The kill waits on the ingest's own word: `onrecord ingest --verbose` prints `added NAME` once a
document's transaction has committed, so the test kills it after the 20th, never on a clock."""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys

from click.testing import CliRunner

from onrecord.cli import cli

PEOPLE = [("John", "Kirby", "National Security Council spokesperson"), ("Lloyd", "Austin", "Defense Secretary"),
          ("Maria", "Okafor", "Health Minister"), ("Daniel", "Ferreira", "central bank governor")]
LINES = ["We are not looking for a wider war and we will defend our people in the region",
         "The new clinics will open in every province before the end of the year",
         "Inflation is coming down but rates will stay where they are for some time",
         "Nobody should doubt our commitment to the ceasefire talks in the coming weeks"]
DOCS = 80
KILL_AFTER = 10  # documents the ingest reports stored before it is killed


def document(i: int) -> str:
    first, last, title = PEOPLE[i % 4]
    return (f"Officials speak, report {i}\n\nCAPITAL, March {1 + i % 28}, 2024 — Officials met on Tuesday.\n\n"
            f"\"{LINES[i % 4]},\" {title} {first} {last} told reporters in meeting {i}.\n\n"
            f"{last} added that \"{LINES[(i + 1) % 4].lower()}\" and said plan {i} was ready.\n")


def count(db) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def export(db, out) -> bytes:
    assert CliRunner().invoke(cli, ["export", "--db", str(db), "-o", str(out)]).exit_code == 0
    return out.read_bytes()


def ingest(docs, db) -> list[str]:
    """The `onrecord ingest` command line, run as its own process like a user's (every run the same code)."""
    return [sys.executable, "-c", "from onrecord.cli import main; main()", "ingest", str(docs), "--db", str(db),
            "--verbose"]


def test_an_ingest_killed_mid_way_resumes_to_the_same_corpus(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(DOCS):
        (docs / f"doc{i:03d}.txt").write_text(document(i), encoding="utf-8")
    killed = tmp_path / "killed.db"
    proc = subprocess.Popen(ingest(docs, killed), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    reported = []
    for line in proc.stderr:  # blocks until the ingest reports a document stored (or exits)
        if line.startswith("added "):
            reported.append(line.split(" ", 1)[1].strip())
            if len(reported) == KILL_AFTER:
                break
    proc.send_signal(signal.SIGKILL)  # kill -9: no cleanup of any kind
    assert proc.wait() == -signal.SIGKILL, "the ingest ended before it was killed"
    proc.stderr.close()
    assert len(reported) == KILL_AFTER
    stored = count(killed)
    assert KILL_AFTER <= stored < DOCS, "every document reported added is stored; the ingest was caught mid-way"

    resumed = subprocess.run(ingest(docs, killed), check=False, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{DOCS - stored} added, {stored} already present, 0 failed" in resumed.stdout

    clean = tmp_path / "clean.db"
    assert subprocess.run(ingest(docs, clean), check=False, capture_output=True).returncode == 0
    with sqlite3.connect(killed) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert count(killed) == count(clean) == DOCS
    assert export(killed, tmp_path / "killed.jsonl") == export(clean, tmp_path / "clean.jsonl")
