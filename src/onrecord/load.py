"""Load: turn files, directories, stdin and JSON lines into `Document`s.

The text of a `Document` is what every offset downstream indexes, so loading changes as
little as it can:

* Plain text is decoded and used as is, except that a byte-order mark is dropped and CRLF
  line endings become ``\\n``. NBSPs, curly quotes and all other characters stay untouched.
* HTML gives the main text as trafilatura extracts it (trafilatura collapses whitespace,
  NBSPs included), one block per paragraph, blocks separated by a blank line.
* JSON lines give each line's ``text`` string exactly as written.

Decoding never guesses: a forced encoding, a byte-order mark, an HTML-declared charset, or
strict UTF-8. Anything else is an `InputError` that names the likely encoding and the
``--encoding`` to pass.

Batches (`iter_paths`, `iter_path`) yield an `InputError` in place of each bad file or JSON
line and carry on, so one bad input never stops the rest; `load_path` raises the first.
"""
from __future__ import annotations

import codecs
import io
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import charset_normalizer
from trafilatura import bare_extraction
from trafilatura.settings import use_config
from trafilatura.xml import xmltotxt

from .errors import ConfigError, InputError

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
"""A file, or one JSON line (counted in characters), larger than this is "document too large"."""

STDIN = "-"
STDIN_SOURCE = "<stdin>"
STDIN_DOC_ID = "stdin"

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SKIPPED_SUFFIXES = frozenset({
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".ico", ".svg",
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".epub",
    ".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar",
    ".mp3", ".mp4", ".m4a", ".wav", ".ogg", ".mov", ".avi", ".mkv", ".webm",
    ".exe", ".dll", ".so", ".dylib", ".o", ".pyc", ".class", ".jar", ".whl",
    ".db", ".sqlite", ".sqlite3", ".parquet", ".arrow", ".feather", ".pickle", ".pkl",
    ".css", ".js", ".map", ".woff", ".woff2", ".ttf", ".otf",
})
"""Extensions that are never documents; skipped when walking a directory (a file named
explicitly is always tried, so that it gets a clear error)."""

BINARY_CONTROL_SHARE = 0.1
"""Decoded text with more than this share of control characters is a binary file."""

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = 4096
_HTML_START = re.compile(rb"\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_JSONL_START = re.compile(rb'\s*\{\s*"')
_DECLARED_CHARSET = re.compile(
    rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
# Browsers decode these labels as windows-1252 (WHATWG Encoding), and pages so labelled rely on
# it for their curly quotes; Python's latin-1 would turn those into control characters.
_READ_AS_CP1252 = frozenset({"ascii", "iso8859-1"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_OPTIONAL_FIELDS = ("title", "published", "outlet", "url")


@dataclass(frozen=True)
class Document:
    """One input document as loaded: the exact text that every offset indexes."""

    doc_id: str
    text: str
    title: str | None = None
    source: str | None = None  # path or URL
    published: str | None = None
    outlet: str | None = None
    url: str | None = None


def document_from_text(
    text: str,
    *,
    doc_id: str = "doc",
    title: str | None = None,
    source: str | None = None,
    published: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
) -> Document:
    """A `Document` for text already in memory (the Python API), kept exactly as given."""
    _check_text(text, source or doc_id)
    return Document(doc_id, text, title, source, published, outlet, url)


def load_path(path: str, *, encoding: str | None = None) -> list[Document]:
    """The documents of one file, directory or "-" (stdin); raises the first `InputError`.

    For batches, where a bad file or line should not stop the rest, use `iter_path(s)`.
    """
    documents = []
    for result in iter_path(path, encoding=encoding):
        if isinstance(result, InputError):
            raise result
        documents.append(result)
    return documents


def iter_paths(paths: Iterable[str], *, encoding: str | None = None) -> Iterator[Document | InputError]:
    """Every document of every path in turn, an `InputError` in place of each bad input.

    Raises `ConfigError` at once if `encoding` is not a known codec.
    """
    _check_encoding(encoding)
    return (result for path in paths for result in _iter_path(path, encoding))


def iter_path(path: str, *, encoding: str | None = None) -> Iterator[Document | InputError]:
    """The documents of one path: "-" for stdin, a file, or a directory walked recursively
    in sorted order, skipping hidden entries and `SKIPPED_SUFFIXES`.

    A .jsonl/.ndjson file (or input starting like one) gives one document per line, an
    `InputError` naming "file:line" for each bad line; a decoding error ends the file.
    Raises `ConfigError` at once if `encoding` is not a known codec.
    """
    _check_encoding(encoding)
    return _iter_path(path, encoding)


def _check_encoding(encoding: str | None) -> None:
    if encoding is None:
        return
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ConfigError(f"unknown encoding {encoding!r} (try utf-8, cp1252, latin-1, utf-16)") from None


def _iter_path(path: str, encoding: str | None) -> Iterator[Document | InputError]:
    if path == STDIN:
        stdin = sys.stdin.buffer
        stream = stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin)
        yield from _iter_stream(stream, STDIN_SOURCE, STDIN_DOC_ID, "", encoding)
        return
    target = Path(path)
    if not target.exists():
        yield InputError(path, "no such file")
    elif target.is_dir():
        yield from _iter_directory(target, encoding)
    else:
        try:
            with target.open("rb") as stream:
                yield from _iter_stream(stream, path, target.stem, target.suffix.lower(), encoding)
        except OSError as exc:
            yield InputError(path, f"cannot read ({exc.strerror})")


def _iter_directory(directory: Path, encoding: str | None) -> Iterator[Document | InputError]:
    unreadable: list[OSError] = []
    found = False
    for root, dirs, files in os.walk(directory, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or Path(name).suffix.lower() in SKIPPED_SUFFIXES:
                continue
            found = True
            yield from _iter_path(os.path.join(root, name), encoding)
    for exc in unreadable:
        yield InputError(str(exc.filename), f"cannot read directory ({exc.strerror})")
    if not found and not unreadable:
        yield InputError(str(directory), "no documents found in directory")


def _iter_stream(
    stream: BinaryIO, source: str, doc_id: str, suffix: str, encoding: str | None
) -> Iterator[Document | InputError]:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    kind = _kind(suffix, head)
    if kind == "jsonl":
        yield from _iter_jsonl(stream, source, doc_id, encoding)
        return
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    try:
        _check_size(len(data), source)
        if kind == "html":
            yield _from_html(data, source, doc_id, encoding)
        else:
            text = decode(data, source, encoding=encoding).replace("\r\n", "\n")
            yield document_from_text(text, doc_id=doc_id, source=source)
    except InputError as exc:
        yield exc


def _kind(suffix: str, head: bytes) -> str:
    """"jsonl", "html" or "text": by extension, else by how the content starts."""
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    head = head.removeprefix(codecs.BOM_UTF8)
    if _HTML_START.match(head):
        return "html"
    if _JSONL_START.match(head):
        return "jsonl"
    return "text"


def decode(data: bytes, source: str, *, encoding: str | None = None, declared: str | None = None) -> str:
    """Bytes to text without guessing: `encoding` if forced, else a byte-order mark, else the
    `declared` charset (from HTML), else strict UTF-8. A leading BOM never reaches the text.

    Raises `InputError` for binary data, or for bytes the chosen encoding cannot decode; when
    UTF-8 fails, the message names the likely encoding (charset-normalizer) and the option to pass.
    """
    if encoding:
        text = _decode_strictly(data, encoding, source)
    else:
        bom_codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
        if bom_codec:
            text = _decode_strictly(data, bom_codec, source)
        elif b"\x00" in data:
            raise _binary_file(data, source)
        else:
            text = _decode_or_name_encoding(data, _codec_name(declared) or "utf-8", source)
    if _looks_binary(text):
        raise InputError(source, "binary file")
    return text.removeprefix("\ufeff")


def _decode_strictly(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise InputError(source, f"cannot decode as {_encoding_label(codec)} ({_where(exc)})") from None


def _decode_or_name_encoding(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        likely = _likely_encoding(data)
        if likely is None:
            raise InputError(source, "binary file") from None
        raise InputError(
            source,
            f"not {_encoding_label(codec)} ({_where(exc)}; looks like {likely}); pass --encoding {likely}",
        ) from None


def _encoding_label(codec: str) -> str:
    """How a user writes the codec: "UTF-8", not "utf-8-sig"."""
    return "UTF-8" if codecs.lookup(codec).name in ("utf-8", "utf-8-sig") else codec


def _where(exc: UnicodeDecodeError) -> str:
    return f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"


def _codec_name(label: str | None) -> str | None:
    """The codec for a declared charset label, None if Python does not know it."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "cp1252" if name in _READ_AS_CP1252 else name


def _likely_encoding(data: bytes) -> str | None:
    """charset-normalizer's best guess, only to name it in an error; among encodings that
    decode to the same text it names cp1252, the Western default. None when nothing fits."""
    best = charset_normalizer.from_bytes(data).best()
    if best is None or _looks_binary(str(best)):
        return None
    return "cp1252" if "cp1252" in best.could_be_from_charset else best.encoding


def _binary_file(data: bytes, source: str) -> InputError:
    """NULs without a byte-order mark: binary, unless they sit where UTF-16 puts them."""
    for codec, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[::2])):
        if zeros.count(0) > len(zeros) * 0.9:
            return InputError(source, f"binary file (or UTF-16 without a byte-order mark: pass --encoding {codec})")
    return InputError(source, "binary file")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > len(sample) * BINARY_CONTROL_SHARE


def _check_size(size: int, source: str) -> None:
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(source, f"document too large (over {MAX_DOCUMENT_BYTES // 2**20} MB)")


def _check_text(text: Any, source: str) -> None:
    if not isinstance(text, str):
        raise InputError(source, f'"text" must be a string, not {_json_type(text)}')
    if not text or text.isspace():
        raise InputError(source, "empty document")


def _from_html(data: bytes, source: str, doc_id: str, encoding: str | None) -> Document:
    """The article text and metadata of an HTML page.

    Precision first (no boilerplate, comments or tables); if that finds nothing, recall with
    tables, so that a malformed or unusual page still gives whatever text it has.
    """
    declaration = _DECLARED_CHARSET.search(data[:_SNIFF_BYTES])
    declared = declaration.group(1).decode("ascii") if declaration else None
    html = decode(data, source, encoding=encoding, declared=declared)
    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(MAX_DOCUMENT_BYTES))
    common = dict(
        include_comments=False,
        include_images=False,
        include_links=False,
        with_metadata=True,
        config=config,
        # dates from the page's metadata, not guessed from dates mentioned in the article
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    for extra in (dict(favor_precision=True, include_tables=False), dict(favor_recall=True, include_tables=True)):
        result = bare_extraction(html, **common, **extra)
        text = _paragraphs(result.body) if result is not None and result.body is not None else ""
        if text.strip():
            return Document(
                doc_id=doc_id,
                text=text,
                title=result.title,
                source=source,
                published=result.date,
                outlet=result.sitename,
                url=result.url,
            )
    raise InputError(source, "no article text found in HTML")


def _paragraphs(body: Any) -> str:
    """trafilatura's plain text of each top-level block, blocks separated by a blank line."""
    blocks = [body.text or ""] + [xmltotxt(child, include_formatting=False) for child in body]
    return "\n\n".join(block for block in blocks if block.strip())


def _iter_jsonl(stream: BinaryIO, source: str, stem: str, encoding: str | None) -> Iterator[Document | InputError]:
    """One document per line, an error for each bad line; blank lines are skipped but counted.
    A file whose first line is not JSON is one error, not one per line; so is one that cannot
    be decoded (an encoding is wrong throughout)."""
    first = True
    for lineno, line in _numbered_lines(stream, source, encoding):
        if isinstance(line, InputError):
            yield line
            return
        if not line.strip():
            continue
        where = f"{source}:{lineno}"
        try:
            _check_size(len(line), where)
            yield _document_from_json(line, where, source, default_id=f"{stem}:{lineno}")
        except json.JSONDecodeError as exc:
            yield InputError(where, f"{'not JSON lines: ' if first else ''}invalid JSON ({exc.msg}, column {exc.colno})")
            if first:
                return
        except InputError as exc:
            yield exc
        first = False


def _numbered_lines(stream: BinaryIO, source: str, encoding: str | None) -> Iterator[tuple[int, str | InputError]]:
    """(line number, decoded line), or an `InputError` where decoding fails (which ends the file).

    UTF-16/32 are decoded as a stream; ASCII-compatible encodings line by line, so that an
    error names its line.
    """
    head = stream.peek(4)[:4]
    codec = encoding or next((codec for bom, codec in _BOMS if head.startswith(bom)), None)
    if codec and codecs.lookup(codec).name.startswith(("utf-16", "utf-32")):
        text_stream = io.TextIOWrapper(stream, encoding=codec)
        lineno = 0
        try:
            for lineno, line in enumerate(text_stream, 1):
                yield lineno, line.removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            yield lineno + 1, InputError(f"{source}:{lineno + 1}", f"cannot decode as {codec} ({exc.reason})")
        finally:
            text_stream.detach()  # the caller owns the byte stream, which may be stdin
        return
    for lineno, raw in enumerate(stream, 1):
        try:
            yield lineno, decode(raw, f"{source}:{lineno}", encoding=encoding)
        except InputError as exc:
            yield lineno, exc


def _document_from_json(line: str, where: str, source: str, *, default_id: str) -> Document:
    """A line's JSON object: `id` (or `doc_id`) and `text`, optional title/published/outlet/url."""
    obj = json.loads(line)
    if not isinstance(obj, dict):
        raise InputError(where, f"expected a JSON object, got {_json_type(obj)}")
    if "text" not in obj:
        raise InputError(where, 'no "text" field')
    _check_text(obj["text"], where)
    raw_id = obj.get("id", obj.get("doc_id"))
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        raise InputError(where, f'"id" must be a string or integer, not {_json_type(raw_id)}')
    for name in _OPTIONAL_FIELDS:
        if obj.get(name) is not None and not isinstance(obj[name], str):
            raise InputError(where, f'"{name}" must be a string, not {_json_type(obj[name])}')
    doc_id = str(raw_id) if raw_id not in (None, "") else default_id
    return Document(doc_id, obj["text"], source=source, **{name: obj.get(name) for name in _OPTIONAL_FIELDS})


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object", str: "a string"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
