"""`onrecord extract` as a user runs it: formats, stdin, many files, and every kind of bad input."""
from __future__ import annotations

import json

from click.testing import CliRunner

from onrecord.cli import cli

from .conftest import EXAMPLE

ARTICLE = "“The bridge opens on Monday,” said Mayor Dana Whitfield.\n"


def run(args, input=None):
    return CliRunner().invoke(cli, args, input=input, catch_exceptions=False)


def test_extract_prints_one_record(tmp_path, contract_check):
    res = run(["extract", str(EXAMPLE)])
    assert res.exit_code == 0, res.output
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


def test_unbalanced_quote_marks_stay_within_paragraphs(tmp_path):
    text = ("He said \"maybe and then left. " * 20 + "\n\n") * 500  # 10,000 opening marks, none closed
    path = tmp_path / "stray.txt"
    path.write_text(text, encoding="utf-8")
    res = run(["extract", str(path), "--no-verify"])
    assert res.exit_code == 0
    record = json.loads(res.stdout)
    longest_paragraph = max(len(p) for p in text.split("\n\n"))
    assert all(q["end"] - q["start"] <= longest_paragraph for q in record["quotes"])


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
