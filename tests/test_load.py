"""Loading files, directories, stdin and JSON lines into Documents, and every way input can be bad."""
from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from onrecord import load
from onrecord.errors import ConfigError, InputError
from onrecord.load import Document, document_from_text, iter_path, iter_paths, load_path

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
        f"{path}:5": 'no "text" field',
        f"{path}:6": '"text" must be a string, not a number',
        f"{path}:7": "empty document",
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
