"""Loading files, directories, stdin and JSON lines into Documents, and every way input can be bad."""
from __future__ import annotations

import io
import json
import logging
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord import load
from onrecord.cli import cli
from onrecord.errors import ConfigError, InputError, ProcessingError
from onrecord.load import Document, document_from_text, iter_path, iter_paths, load_path
from onrecord.pipeline import extract_files
from onrecord.record import Record
from onrecord.settings import Options

DATA = Path(__file__).parent / "data"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
# NBSP and curly quotes must survive loading untouched.
SAMPLE = "The harbourmaster said the pier was \u201cperfectly\u00a0safe\u201d and left.\n"


def write(path: Path, data: str | bytes) -> str:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return str(path)


def error_of(path: str, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        load_path(path, **kwargs)
    return info.value


def feed_stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


# --- plain text -------------------------------------------------------------------------

def test_utf8_text_is_kept_exactly_with_id_from_file_name(tmp_path):
    path = write(tmp_path / "pier-story.txt", SAMPLE)
    assert load_path(path) == [Document(doc_id="pier-story", text=SAMPLE, source=path)]


def test_crlf_becomes_newline_and_nothing_else_changes(tmp_path):
    path = write(tmp_path / "a.txt", SAMPLE.replace("\n", "\r\n") + "Second line.\r\n")
    assert load_path(path)[0].text == SAMPLE + "Second line.\n"


def test_utf8_bom_is_stripped_so_offsets_index_the_text(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    text = load_path(path)[0].text
    assert text == SAMPLE
    quote = "\u201cperfectly\u00a0safe\u201d"
    start = SAMPLE.index(quote)
    assert text[start : start + len(quote)] == quote


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_detected(tmp_path, codec):
    path = write(tmp_path / "wide.txt", ("\ufeff" + SAMPLE).encode(codec))
    assert load_path(path)[0].text == SAMPLE


def test_utf16_without_bom_suggests_the_encoding(tmp_path):
    path = write(tmp_path / "wide.txt", SAMPLE.encode("utf-16-le"))
    error = error_of(path)
    assert error.source == path
    assert "binary file" in str(error) and "--encoding utf-16-le" in str(error)
    assert load_path(path, encoding="utf-16-le")[0].text == SAMPLE


def test_cp1252_is_refused_with_a_clear_suggestion_not_guessed(tmp_path):
    text = "Caf\u00e9 owner Ren\u00e9e said: \u201cWe\u2019re staying open.\u201d\n"
    path = write(tmp_path / "legacy.txt", text.encode("cp1252"))
    error = error_of(path)
    assert error.source == path
    assert "not UTF-8" in error.problem
    assert "looks like cp1252" in error.problem and "pass --encoding cp1252" in error.problem
    assert load_path(path, encoding="cp1252")[0].text == text


def test_forced_encoding_that_cannot_decode_is_an_error(tmp_path):
    path = write(tmp_path / "legacy.txt", "\u201cYes,\u201d he said.".encode("cp1252"))
    error = error_of(path, encoding="utf-8")
    assert error.source == path and "cannot decode as UTF-8" in error.problem


def test_unknown_encoding_is_a_config_error_before_any_file_is_read():
    with pytest.raises(ConfigError, match="unknown encoding 'klingon'"):
        iter_paths(["does-not-matter.txt"], encoding="klingon")


@pytest.mark.parametrize(
    "name, data",
    [("image.png", PNG_HEADER), ("photo.txt", PNG_HEADER), ("noise.bin", bytes(range(1, 32)) * 50)],
)
def test_binary_files_are_refused(tmp_path, name, data):
    path = write(tmp_path / name, data)
    error = error_of(path)
    assert error.source == path and error.problem.startswith("binary file")


@pytest.mark.parametrize("content", ["", "   \n\t\r\n \u00a0\n"])
def test_empty_and_whitespace_only_documents_are_refused(tmp_path, content):
    path = write(tmp_path / "blank.txt", content)
    assert str(error_of(path)) == f"{path}: empty document"


def test_a_20_mb_document_loads_whole(tmp_path):
    text = SAMPLE * (20_000_000 // len(SAMPLE) + 1)
    path = write(tmp_path / "long.txt", text)
    assert load_path(path)[0].text == text


def test_a_document_over_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "MAX_DOCUMENT_BYTES", 1000)
    path = write(tmp_path / "long.txt", SAMPLE * 100)
    assert "document too large" in error_of(path).problem


# --- HTML -------------------------------------------------------------------------------

def test_html_gives_article_text_and_metadata():
    (doc,) = load_path(str(DATA / "load_article.html"))
    assert doc.doc_id == "load_article"
    assert doc.title == "Harbour ferry fares to rise in spring"
    assert doc.published == "2023-11-07"
    assert doc.outlet == "The Lakeside Courier"
    assert doc.url == "https://courier.example/local/ferry-fares"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[1].startswith("Ferry fares across the harbour")
    assert "\u201cNobody on this board wanted to do this,\u201d" in paragraphs[2]
    for noise in ("Home", "North Pier", "outrageous", "All rights reserved"):
        assert noise not in doc.text


CAPTIONED = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Rockets name a new captain</title>{meta}"
             "</head><body><article><h1>Rockets name a new captain</h1>"
             "<p>WATCH (Aired Sept. 18, 2007): Marcus Ellery joins the team as a rookie</p>"
             "<p>The Rockets gave the captaincy to their longest-serving defenceman on Thursday, ending a "
             "season-long search for a leader in the dressing room.</p>"
             "<p>\u201cI have waited a long time for this and I will not let the guys down,\u201d Ellery told "
             "reporters after practice in the downtown arena.</p></article></body></html>")


def test_html_dates_come_from_its_metadata_never_a_caption(tmp_path):
    meta = '<meta property="article:published_time" content="2019-02-14T09:30:00-05:00">'
    dated = write(tmp_path / "dated.html", CAPTIONED.replace("{meta}", meta))
    undated = write(tmp_path / "undated.html", CAPTIONED.replace("{meta}", ""))
    assert [d.published for d in load_path(str(dated))] == ["2019-02-14"]
    assert [d.published for d in load_path(str(undated))] == [None]
    records = list(extract_files([str(dated), str(undated)]))
    assert [r.published for r in records] == ["2019-02-14", None]  # the caption's 2007 dates neither


def test_malformed_html_still_gives_its_text(tmp_path):
    path = write(
        tmp_path / "broken.html",
        "<html><head><title>Broken page</title><body><div><p>The minister said the plan "
        "\u201cwas never on the table\u201d and left.<p>A second paragraph <b>never closed",
    )
    (doc,) = load_path(path)
    assert doc.title == "Broken page"
    assert doc.text == (
        "The minister said the plan \u201cwas never on the table\u201d and left.\n\n"
        "A second paragraph never closed"
    )


def test_html_is_recognised_by_content_without_extension(tmp_path):
    path = write(tmp_path / "saved-page", "<!DOCTYPE html><html><body><p>\u201cNo,\u201d she said.</p></body></html>")
    assert load_path(path)[0].text == "\u201cNo,\u201d she said."


def test_html_declared_latin1_is_read_as_windows_1252(tmp_path):
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>She said: \u201c\u00c7a va.\u201d</p></body></html>'
    path = write(tmp_path / "old.html", html.encode("cp1252"))
    assert load_path(path)[0].text == "She said: \u201c\u00c7a va.\u201d"


@pytest.mark.parametrize("depth", [260, 1_500])
def test_html_nested_deeper_than_libxml2s_default_limit_keeps_its_text(tmp_path, depth):
    # libxml2 stops at 256 nested elements unless asked for its huge mode; the article is below that
    article = "<p>The minister said the ferry plan \u201cwas never on the table\u201d and left the hall.</p>"
    path = write(tmp_path / "deep.html", f"<html><head><title>Deep page</title></head><body>{'<div>' * depth}"
                                         f"{article}{'</div>' * depth}</body></html>")
    (doc,) = load_path(path)
    assert doc.text == "The minister said the ferry plan \u201cwas never on the table\u201d and left the hall."
    assert doc.title == "Deep page"


def test_html_without_article_text_is_refused(tmp_path):
    path = write(tmp_path / "empty.html", "<html><head><title>Nothing</title></head><body><script>x=1</script></body></html>")
    assert str(error_of(path)) == f"{path}: no article text found in HTML"


# --- JSON lines -------------------------------------------------------------------------

def jsonl(*rows: object) -> str:
    return "".join((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n" for row in rows)


def test_jsonl_loads_good_lines_and_reports_bad_ones_by_line(tmp_path):
    path = write(
        tmp_path / "batch.jsonl",
        jsonl(
            {"id": "a1", "text": SAMPLE, "title": "Pier", "published": "2024-01-02", "outlet": "Courier", "url": "https://x.example/a"},
            "",
            {"doc_id": 7, "text": "Second."},
            "{not json",
            {"id": "c", "body": "no text field"},
            {"id": "d", "text": 42},
            {"id": "e", "text": "   "},
            {"text": "No id given."},
        ),
    )
    results = list(iter_path(path))
    docs = [r for r in results if isinstance(r, Document)]
    errors = {e.source: e.problem for e in results if isinstance(e, InputError)}
    assert docs == [
        Document("a1", SAMPLE, "Pier", path, "2024-01-02", "Courier", "https://x.example/a"),
        Document("7", "Second.", source=path),
        Document("batch:8", "No id given.", source=path),
    ]
    assert errors == {
        f"{path}:4": "invalid JSON (Expecting property name enclosed in double quotes, column 2)",
        f"{path}:5": 'no "text" field (id "c")',
        f"{path}:6": '"text" must be a string, not a number (id "d")',
        f"{path}:7": 'empty document (id "e")',
    }
    with pytest.raises(InputError, match=f"{path}:4"):
        load_path(path)


def test_a_file_that_is_not_json_lines_is_one_error(tmp_path):
    path = write(tmp_path / "table.jsonl", "id,text\n1,hello\n2,world\n")
    assert [str(e) for e in iter_path(path)] == [f"{path}:1: not JSON lines: invalid JSON (Expecting value, column 1)"]


def test_jsonl_in_the_wrong_encoding_stops_at_the_first_bad_line(tmp_path):
    good = jsonl({"id": "a", "text": "Plain ASCII."}).encode()
    bad = jsonl({"id": "b", "text": "\u201cQuoted.\u201d"}, {"id": "c", "text": "\u201cAgain.\u201d"})
    path = write(tmp_path / "legacy.jsonl", good + bad.encode("cp1252"))
    first, error = iter_path(path)
    assert first.doc_id == "a"
    assert error.source == f"{path}:2" and "pass --encoding cp1252" in error.problem
    assert [d.text for d in load_path(path, encoding="cp1252")] == ["Plain ASCII.", "\u201cQuoted.\u201d", "\u201cAgain.\u201d"]


def test_utf16_jsonl_with_bom(tmp_path):
    path = write(tmp_path / "wide.ndjson", ("\ufeff" + jsonl({"id": "w", "text": SAMPLE})).encode("utf-16-le"))
    assert load_path(path) == [Document("w", SAMPLE, source=path)]


# --- directories and batches ------------------------------------------------------------

def test_directory_loads_sorted_and_reports_the_one_bad_file(tmp_path):
    write(tmp_path / "b.txt", "Second story.")
    write(tmp_path / "a.txt", "First story.")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.txt", "Nested story.")
    bad = write(tmp_path / "broken.txt", "\u201cbad\u201d".encode("cp1252"))
    write(tmp_path / ".hidden.txt", "Hidden story.")
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".git" / "HEAD", "ref: refs/heads/main")
    write(tmp_path / "cover.png", PNG_HEADER)
    results = list(iter_paths([str(tmp_path)]))
    assert [r.doc_id if isinstance(r, Document) else r.source for r in results] == ["a", "b", bad, "c"]
    assert "--encoding" in results[2].problem


def test_a_missing_path_is_reported_and_the_rest_still_load(tmp_path):
    good = write(tmp_path / "good.txt", "A story.")
    missing = str(tmp_path / "missing.txt")
    results = list(iter_paths([missing, good]))
    assert str(results[0]) == f"{missing}: no such file"
    assert results[1].text == "A story."


def test_an_empty_directory_is_reported(tmp_path):
    assert [e.problem for e in iter_path(str(tmp_path))] == ["no documents found in directory"]


# --- stdin and in-memory text -----------------------------------------------------------

def test_stdin_text(monkeypatch):
    feed_stdin(monkeypatch, b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    assert load_path("-") == [Document("stdin", SAMPLE, source="<stdin>")]


def test_stdin_json_lines_are_recognised(monkeypatch):
    feed_stdin(monkeypatch, jsonl({"id": "p", "text": "One."}, {"id": "q", "text": "Two."}).encode())
    assert [d.doc_id for d in load_path("-")] == ["p", "q"]


def test_stdin_errors_name_stdin(monkeypatch):
    feed_stdin(monkeypatch, b"")
    assert str(error_of("-")) == "<stdin>: empty document"


def test_document_from_text_keeps_text_exactly():
    doc = document_from_text(SAMPLE, doc_id="mine", title="Pier")
    assert (doc.doc_id, doc.text, doc.title) == ("mine", SAMPLE, "Pier")
    with pytest.raises(InputError, match="mine: empty document"):
        document_from_text(" \n", doc_id="mine")



# --- one bad item never sinks the rest ---------------------------------------------------

GOOD_LINE = {"id": "wire-1", "text": "The port will reopen on Friday, the harbourmaster said.\n"}
LAST_LINE = {"id": "wire-3", "text": "Ferry crews returned to work, the union said.\n"}
UNIX_ONLY = pytest.mark.skipif(not hasattr(os, "mkfifo") or sys.platform == "darwin",
                               reason="needs POSIX FIFOs and a file system that stores any bytes in a name")


def extract_cli(*args: str):
    """`onrecord extract ARGS --no-verify` as a user runs it: (exit code, records, stderr lines)."""
    result = CliRunner().invoke(cli, ["extract", *args, "--no-verify"], catch_exceptions=False)
    if "--format" in args and args[args.index("--format") + 1] == "json":
        records = json.loads(result.stdout) if result.stdout.strip() else []
    else:
        records = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, records, result.stderr.splitlines()


def surrogate_line(field: str) -> str:
    """A JSON line whose `field` holds a lone surrogate, written as JSON's escape (as any producer can)."""
    row = {"id": "wire-2", "text": "The mayor said the pier was safe.\n", field: "Harbour \ud800 news"}
    return json.dumps(row)  # ensure_ascii: the surrogate is written as \ud800


@pytest.mark.parametrize("field", ["id", "title", "outlet", "url", "text"])
def test_a_lone_surrogate_in_a_json_line_is_that_lines_error(tmp_path, field):
    path = write(tmp_path / "wire.jsonl", jsonl(GOOD_LINE, surrogate_line(field), LAST_LINE))
    results = list(iter_path(path))
    assert [r.doc_id for r in results if isinstance(r, Document)] == ["wire-1", "wire-3"]
    (error,) = [r for r in results if isinstance(r, InputError)]
    assert error.source == f"{path}:2"
    assert f'"{field}" holds a lone surrogate (\\ud800)' in error.problem
    assert ('(id "Harbour \\ud800 news")' if field == "id" else '(id "wire-2")') in error.problem

    code, records, errors = extract_cli(path, "--format", "json")
    assert code == 1
    assert [r["doc_id"] for r in records] == ["wire-1", "wire-3"]  # the whole array, not lost
    assert [e for e in errors if e.startswith("onrecord: error:")] == [f"onrecord: error: {error}"]


def test_metadata_with_a_lone_surrogate_is_refused_from_python_too():
    with pytest.raises(InputError, match=r'"title" holds a lone surrogate \(\\udc00\) at character 4'):
        document_from_text("The pier is safe, she said.", doc_id="p1", title="Pier\udc00")


@UNIX_ONLY
def test_a_file_name_with_undecodable_bytes_is_read_and_shown_escaped(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    write(folder / "brief.txt", "The ferry runs again, the operator said.\n")
    raw = os.path.join(os.fsencode(folder), b"caf\xe9.txt")  # Latin-1 bytes in a UTF-8 file system
    Path(os.fsdecode(raw)).write_bytes("The café reopened, its owner said.\n".encode())
    docs = load_path(str(folder))
    assert [(d.doc_id, d.source) for d in docs] == [
        ("brief", str(folder / "brief.txt")),
        ("caf\\xe9", str(folder / "caf\\xe9.txt")),
    ]
    assert docs[1].text == "The café reopened, its owner said.\n"

    code, records, errors = extract_cli(str(folder), "--format", "json")
    assert (code, errors) == (0, [])
    assert [(r["doc_id"], r["source"]) for r in records] == [(d.doc_id, d.source) for d in docs]


def test_a_json_line_nested_too_deeply_is_one_error(tmp_path):
    path = write(tmp_path / "wire.jsonl", jsonl(GOOD_LINE, "[" * 100_000, '{"id": "x", "text": ' + "[" * 100_000, LAST_LINE))
    results = list(iter_path(path))
    assert [r.doc_id for r in results if isinstance(r, Document)] == ["wire-1", "wire-3"]
    assert [str(r) for r in results if isinstance(r, InputError)] == [
        f"{path}:2: invalid JSON (nested too deeply)",
        f"{path}:3: invalid JSON (nested too deeply)",
    ]
    code, records, errors = extract_cli(path, "--format", "jsonl")
    assert code == 1 and [r["doc_id"] for r in records] == ["wire-1", "wire-3"]
    assert errors == [f"onrecord: error: {path}:2: invalid JSON (nested too deeply)",
                      f"onrecord: error: {path}:3: invalid JSON (nested too deeply)"]


def test_an_integer_too_long_to_convert_is_invalid_json_not_a_crash(tmp_path):
    path = write(tmp_path / "wire.jsonl", jsonl(GOOD_LINE, '{"id": 1' + "0" * 5000 + ', "text": "Hi."}', LAST_LINE))
    results = list(iter_path(path))
    assert [r.doc_id for r in results if isinstance(r, Document)] == ["wire-1", "wire-3"]
    (error,) = [r for r in results if isinstance(r, InputError)]
    assert error.source == f"{path}:2" and error.problem.startswith("invalid JSON (Exceeds the limit")


def test_a_line_that_does_not_decode_names_its_line_and_id(tmp_path):
    bad = jsonl({"id": "wire-2", "text": "\u201cWe are open,\u201d the owner said."}).encode("cp1252")
    path = write(tmp_path / "wire.jsonl", jsonl(GOOD_LINE).encode() + bad + jsonl(LAST_LINE).encode())
    results = list(iter_path(path))
    assert [type(r).__name__ for r in results] == ["Document", "InputError"]  # a wrong encoding ends the file
    assert results[1].source == f"{path}:2"
    assert results[1].problem.endswith('pass --encoding cp1252 (id "wire-2")')
    code, records, errors = extract_cli(path, "--format", "jsonl")
    assert code == 1 and [r["doc_id"] for r in records] == ["wire-1"]
    assert errors == [f"onrecord: error: {results[1]}"]


def test_a_utf16_line_that_does_not_decode_is_named_by_its_own_line_number(tmp_path):
    """UTF-16 is split at its own newlines, so the error names the bad line, not the line where
    a read chunk began."""
    lines = [{"id": f"wire-{i}", "text": f"Story {i}, the desk said."} for i in range(1, 401)]
    good = ("\ufeff" + jsonl(*lines[:300])).encode("utf-16-le")
    lone = "\ud800".encode("utf-16-le", "surrogatepass")  # a high surrogate with no low one
    path = write(tmp_path / "wide.jsonl", good + lone + jsonl(*lines[300:]).encode("utf-16-le"))
    results = list(iter_path(path))
    assert len([r for r in results if isinstance(r, Document)]) == 300
    assert results[-1].source == f"{path}:301" and "cannot decode as utf-16-le" in results[-1].problem


def test_a_forced_utf16_without_bom_reads_lines_in_the_machines_byte_order(tmp_path):
    order = "utf-16-le" if sys.byteorder == "little" else "utf-16-be"
    path = write(tmp_path / "wide.jsonl", jsonl(GOOD_LINE, LAST_LINE).encode(order))
    assert [d.doc_id for d in load_path(path, encoding="utf-16")] == ["wire-1", "wire-3"]
    narrow = write(tmp_path / "narrow.jsonl", jsonl(GOOD_LINE))  # UTF-8 read as UTF-16: an error, no traceback
    assert [str(e) for e in iter_path(narrow, encoding="utf-16")] == [
        f"{narrow}:1: not JSON lines: invalid JSON (Expecting value, column 1)"
    ]


@pytest.fixture
def fails_instead_of_hanging():
    """A test that would block forever (reading a FIFO) fails after a minute instead."""
    def stop(signum, frame):
        raise TimeoutError("blocked: the walk opened a FIFO")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@UNIX_ONLY
def test_a_fifo_in_a_walked_directory_is_skipped_not_waited_on(tmp_path, caplog, fails_instead_of_hanging):
    write(tmp_path / "a.txt", "The port will reopen on Friday, the harbourmaster said.\n")
    os.mkfifo(tmp_path / "b-feed")
    write(tmp_path / "c.txt", "Ferry crews returned to work, the union said.\n")
    with caplog.at_level(logging.INFO, logger="onrecord.load"):
        assert [d.doc_id for d in load_path(str(tmp_path))] == ["a", "c"]
    assert f"{tmp_path / 'b-feed'}: skipped, not a regular file" in caplog.text
    code, records, errors = extract_cli(str(tmp_path), "--format", "jsonl")
    assert (code, [r["doc_id"] for r in records], errors) == (0, ["a", "c"], [])


def test_the_corpus_database_and_its_companions_are_not_read_as_documents(tmp_path):
    write(tmp_path / "a.txt", "The port will reopen on Friday, the harbourmaster said.\n")
    write(tmp_path / "wall-street-journal", "Markets rallied, the exchange said.\n")  # a name, not SQLite's
    db = sqlite3.connect(tmp_path / "onrecord.db")  # WAL mode, open: -wal and -shm files exist
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE documents (text TEXT)")
    db.execute("INSERT INTO documents VALUES ('The mayor said the pier was safe.')")
    db.commit()
    archive = sqlite3.connect(tmp_path / "archive")  # a database by its magic, with no suffix
    archive.execute("CREATE TABLE t (x)")
    archive.commit()
    archive.close()
    try:
        assert {"onrecord.db-wal", "onrecord.db-shm"} <= {p.name for p in tmp_path.iterdir()}
        results = list(iter_path(str(tmp_path)))
        assert [r.doc_id if isinstance(r, Document) else str(r) for r in results] == ["a", "wall-street-journal"]
        code, records, errors = extract_cli(str(tmp_path), "--format", "jsonl")
        assert (code, [r["doc_id"] for r in records], errors) == (0, ["a", "wall-street-journal"], [])
    finally:
        db.close()
    assert str(error_of(str(tmp_path / "archive"))) == f"{tmp_path / 'archive'}: an SQLite database file, not a document"


def test_an_unexpected_exception_on_one_file_is_a_processing_error_not_bad_input(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(load, "bare_extraction", broken)
    write(tmp_path / "a.txt", "The port will reopen on Friday, the harbourmaster said.\n")
    page = write(tmp_path / "b.html", "<html><body><p>The mayor said the pier was safe.</p></body></html>")
    write(tmp_path / "c.txt", "Ferry crews returned to work, the union said.\n")
    results = list(iter_path(str(tmp_path)))
    assert [r.doc_id for r in results if isinstance(r, Document)] == ["a", "c"]
    (error,) = [r for r in results if not isinstance(r, Document)]
    assert isinstance(error, ProcessingError) and not isinstance(error, InputError)
    assert error.source == page and "RuntimeError: extractor bug" in str(error) and "bug" in str(error)
    assert "broken" in error.traceback
    code, records, errors = extract_cli(str(tmp_path), "--format", "jsonl")
    assert code == 1 and [r["doc_id"] for r in records] == ["a", "c"]
    assert [e for e in errors if page in e] and all("Traceback" not in e for e in errors)


def test_extract_files_isolates_each_bad_document(tmp_path):
    """Through the Python batch API: every kind of bad item in its place, every good one extracted."""
    write(tmp_path / "a.txt", "The port will reopen on Friday, the harbourmaster said.\n")
    write(tmp_path / "b.txt", b"\x00\x01\x02\x03binary")
    write(tmp_path / "c.jsonl", jsonl(GOOD_LINE, surrogate_line("outlet"), "[" * 100_000, LAST_LINE))
    write(tmp_path / "d.txt", "   \n")
    results = list(extract_files([str(tmp_path)], options=Options(verify=False)))
    shape = [(r.doc_id, r.quotes[0].text) if isinstance(r, Record) else type(r).__name__ for r in results]
    assert shape == [
        ("a", "The port will reopen on Friday"),
        "InputError",
        ("wire-1", "The port will reopen on Friday"),
        "InputError", "InputError",
        ("wire-3", "Ferry crews returned to work"),
        "InputError",
    ]
    assert [r.source for r in results if isinstance(r, InputError)] == [
        str(tmp_path / "b.txt"), f"{tmp_path / 'c.jsonl'}:2", f"{tmp_path / 'c.jsonl'}:3", str(tmp_path / "d.txt"),
    ]


# --- the suite's own inputs: ../shared under CI ----------------------------------------

NEEDS_SHARED = """
import pytest

def test_needs_the_founding_document(founding_path):
    assert founding_path.exists()

def test_needs_the_checker(contract_check):
    assert contract_check

def test_needs_a_module():
    pytest.importorskip("onrecord_no_such_module")
"""


@pytest.mark.parametrize("ci", ["true", ""])
def test_missing_shared_files_fail_under_ci_and_skip_elsewhere(pytester, monkeypatch, ci):
    """The conftest run in a tree with no ../shared, as a fresh clone or a CI checkout would have."""
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(test_shared=NEEDS_SHARED)
    monkeypatch.setenv("CI", ci)
    shared = pytester.path.parent.parent / "shared"  # ../shared as the copied conftest sees it
    assert not shared.exists()
    result = pytester.runpytest_subprocess("-rA")
    output = result.stdout.str()
    if ci:
        result.assert_outcomes(failed=1, errors=2)
        assert str(shared / "corpus" / "000_*.txt") in output
        assert str(shared / "tools" / "check_record.py") in output
        assert "skipped under CI" in output and "onrecord_no_such_module" in output
    else:
        result.assert_outcomes(skipped=3)
