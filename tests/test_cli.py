"""`onrecord extract` as a user runs it: formats, stdin, many files, and every kind of bad input."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.cli import cli

from .conftest import EXAMPLE

ARTICLE = "“The bridge opens on Monday,” said Mayor Dana Whitfield.\n"


def run(args, input=None):
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def test_extract_prints_one_record(tmp_path, contract_check):
    res = run(["extract", str(EXAMPLE)])
    assert res.exit_code == 0, res.output
    assert len(res.stdout.splitlines()) == 1  # one JSON line
    record = json.loads(res.stdout)
    assert record["schema"] == "onrecord/1" and record["doc_id"] == "harbour_interview"
    assert contract_check(EXAMPLE.read_text(encoding="utf-8"), record) == []
    assert len(record["turns"]) == 7
    names = {s["id"]: s["name"] for s in record["speakers"]}
    assert [names[t["speaker"]] for t in record["turns"]] == ["Coastal Ledger", "Adaeze Okafor"] * 3 + ["Coastal Ledger"]


def test_extract_validates_against_the_schema(founding_path, contract_check):
    res = run(["extract", str(founding_path), "--format", "jsonl"])
    assert res.exit_code == 0
    record = json.loads(res.stdout.splitlines()[0])
    assert contract_check(founding_path.read_text(encoding="utf-8"), record) == []


def test_stdin_and_output_file(tmp_path):
    out = tmp_path / "out.json"
    res = run(["extract", "-", "-o", str(out)], input=ARTICLE)
    assert res.exit_code == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["doc_id"] == "stdin"
    assert record["quotes"][0]["text"] == "The bridge opens on Monday,"


def test_many_files_as_json_lines_one_bad(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    (tmp_path / "c.txt").write_text(ARTICLE.replace("Monday", "Friday"), encoding="utf-8")
    res = run(["extract", str(tmp_path), "--format", "jsonl"])
    assert res.exit_code == 1
    ids = [json.loads(line)["doc_id"] for line in res.stdout.splitlines()]
    assert ids == ["a", "c"]
    assert "b.txt" in res.stderr and "empty" in res.stderr
    assert "Traceback" not in res.output


def test_binary_file_is_refused_by_name(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    res = run(["extract", str(path)])
    assert res.exit_code == 1
    assert "photo.txt" in res.stderr and "binary" in res.stderr


def test_wrong_encoding_names_the_fix(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("“Caf\u00e9 prices rose,” said Ana L\u00f3pez.".encode("cp1252"))
    res = run(["extract", str(path)])
    assert res.exit_code == 1 and "--encoding" in res.stderr
    res = run(["extract", str(path), "--encoding", "cp1252"])
    assert res.exit_code == 0 and "Café prices rose" in res.stdout


def test_malformed_html_still_gives_text(tmp_path):
    path = tmp_path / "story.html"
    path.write_text("<html><body><article><p>“The vote is final,” said Senator Ruth Calloway."
                    "<p>She left the chamber at noon, and the doors closed behind her.</div></body>",
                    encoding="utf-8")
    res = run(["extract", str(path)])
    assert res.exit_code == 0, res.stderr
    record = json.loads(res.stdout)
    assert record["text"] and any("The vote is final" in q["text"] for q in record["quotes"])


def test_missing_file_and_bad_model_are_clear_errors(tmp_path):
    res = run(["extract", str(tmp_path / "nope.txt")])
    assert res.exit_code == 1 and "nope.txt" in res.stderr
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    res = run(["extract", str(tmp_path / "a.txt"), "--model", "no_such_model_xyz"])
    assert res.exit_code != 0 and "no_such_model_xyz" in res.output + res.stderr
    assert "Traceback" not in res.output


def test_two_jobs_give_the_same_records_in_order(tmp_path):
    for i in range(4):
        (tmp_path / f"d{i}.txt").write_text(ARTICLE.replace("Monday", f"day {i}"), encoding="utf-8")
    one = run(["extract", str(tmp_path), "--format", "jsonl"]).stdout
    two = run(["extract", str(tmp_path), "--format", "jsonl", "--jobs", "2"]).stdout
    assert one == two and len(one.splitlines()) == 4


def test_a_users_cue_lexicon_from_the_config_file(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("“Prices will rise next spring,” squawked Treasurer Lena Moss.\n", encoding="utf-8")
    default = json.loads(run(["extract", str(article), "--no-verify"]).stdout)
    assert default["quotes"][0]["cue"] is None
    lexicon = json.loads((EXAMPLE.parent.parent / "src" / "onrecord" / "data" / "cues.json").read_text(encoding="utf-8"))
    lexicon["speech"].append("squawk")
    (tmp_path / "cues.json").write_text(json.dumps(lexicon), encoding="utf-8")
    (tmp_path / "my.cfg").write_text(f"[onrecord]\ncues_path = {tmp_path / 'cues.json'}\n", encoding="utf-8")
    record = json.loads(run(["extract", str(article), "--no-verify", "--config", str(tmp_path / "my.cfg")]).stdout)
    assert record["quotes"][0]["cue"]["text"] == "squawked"
    assert record["speakers"][0]["name"] == "Lena Moss"


# One shape for records, and outputs that never destroy an input.

def test_jsonl_by_default_and_json_is_always_an_array(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE.replace("Monday", "Friday"), encoding="utf-8")
    lines = run(["extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]).stdout.splitlines()
    assert [json.loads(line)["doc_id"] for line in lines] == ["a", "b"]
    one = json.loads(run(["extract", str(tmp_path / "a.txt"), "--format", "json"]).stdout)
    assert isinstance(one, list) and [r["doc_id"] for r in one] == ["a"]
    two = json.loads(run(["extract", str(tmp_path), "--format", "json"]).stdout)
    assert [r["doc_id"] for r in two] == ["a", "b"]
    none = run(["extract", str(tmp_path / "missing.txt"), "--format", "json"])
    assert none.exit_code == 1 and json.loads(none.stdout) == []


def test_line_breaking_characters_are_escaped_in_json_lines(tmp_path):
    text = "“The bridge\u2028opens\u2029on Monday\u0085soon,” said Mayor Dana Whitfield.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    out = run(["extract", str(tmp_path / "a.txt"), "--no-verify"]).stdout
    assert not {"\u2028", "\u2029", "\u0085"} & set(out)
    assert len(out.splitlines()) == 1  # str.splitlines breaks on all three
    assert json.loads(out)["text"] == text


@pytest.mark.parametrize("where", ["the input file", "an input JSON lines file", "inside the input directory"])
def test_an_output_that_is_an_input_is_refused(tmp_path, where):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    feed = tmp_path / "in.jsonl"
    feed.write_text(json.dumps({"id": "x", "text": ARTICLE}) + "\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    args = {"the input file": [str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.txt")],
            "an input JSON lines file": [str(feed), "-o", str(tmp_path / "." / "in.jsonl")],
            "inside the input directory": [str(tmp_path), "-o", str(tmp_path / "records.jsonl")]}[where]
    res = run(["extract", *args])
    assert res.exit_code == 1 and "write the output elsewhere" in res.stderr
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before
    res = run(["verify", str(tmp_path / "a.txt"), "--source", str(feed), "-o", str(feed)])
    assert res.exit_code == 1 and "is an input" in res.stderr


def test_a_bad_output_path_fails_before_the_work(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    import onrecord.pipeline

    def no_work(*args, **kwargs):
        raise AssertionError("extracted before opening the output")

    monkeypatch.setattr(onrecord.pipeline, "extract_files", no_work)
    res = run(["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "no" / "such" / "dir" / "out.jsonl")])
    assert res.exit_code == 1 and "out.jsonl: cannot write here" in res.stderr


def test_a_failed_run_leaves_the_old_output_whole(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("yesterday's records\n", encoding="utf-8")
    res = run(["extract", str(tmp_path / "in"), "-o", str(out), "--model", "no_such_model_xyz"])
    assert res.exit_code == 1 and "no_such_model_xyz" in res.stderr
    assert out.read_text(encoding="utf-8") == "yesterday's records\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl"]  # no temporary file left
    assert run(["extract", str(tmp_path / "in"), "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["doc_id"] == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out.jsonl"]


# Bugs: one line by default, the traceback with --debug.

def _break_attribution(monkeypatch):
    import onrecord.pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("deliberately broken for the test")

    monkeypatch.setattr(onrecord.pipeline, "annotate_document", broken)


def test_a_bug_on_one_document_is_one_line_and_debug_shows_the_traceback(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    _break_attribution(monkeypatch)
    res = run(["extract", str(tmp_path / "a.txt")])
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.count("\n") == 1
    assert "a.txt: unexpected ZeroDivisionError: deliberately broken for the test" in res.stderr
    assert "a bug in onrecord" in res.stderr and "--debug" in res.stderr
    debug = run(["--debug", "extract", str(tmp_path / "a.txt")])
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr and "in broken" in debug.stderr


def test_an_unexpected_error_outside_a_document_names_the_bug(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    import onrecord.pipeline

    def broken(*args, **kwargs):
        raise KeyError("deliberately broken")

    monkeypatch.setattr(onrecord.pipeline, "extract_files", broken)
    res = CliRunner().invoke(cli, ["extract", str(tmp_path / "a.txt")])
    assert res.exit_code == 1 and isinstance(res.exception, SystemExit)
    assert "unexpected KeyError" in res.stderr and "run with --debug" in res.stderr
    debug = CliRunner().invoke(cli, ["--debug", "extract", str(tmp_path / "a.txt")])
    assert isinstance(debug.exception, KeyError)  # raised as is: the traceback is printed


# Progress: on a terminal only.

def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    res = run(["extract", str(tmp_path / "a.txt")])
    assert res.exit_code == 0 and res.stderr == ""


def test_progress_shows_done_of_total_rate_and_eta_on_a_terminal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "feed.jsonl").write_text("".join(json.dumps({"id": f"f{i}", "text": ARTICLE}) + "\n" for i in range(3)),
                                       encoding="utf-8")
    script = Path(sys.executable).with_name("onrecord")
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a terminal 120 wide
    proc = subprocess.Popen([str(script), "extract", str(folder), "-o", str(tmp_path / "out.jsonl")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=secondary)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert proc.wait() == 0
    text = shown.decode("utf-8", "replace")
    assert "extracting" in text and "4/4" in text  # done/total: one text file and three JSON lines
    assert re.search(r"\d+:\d\d<\d+:\d\d", text)  # elapsed<ETA
    assert re.search(r"[\d.?]+\s*(s/doc|doc/s)", text)  # the rate
    assert len((tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 4
