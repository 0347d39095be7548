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
line and carry on, so one bad input never stops the rest; `load_path` raises the first. An
unexpected exception (a bug, not bad input) on one file or line is yielded as a
`ProcessingError` in its place, and the batch goes on.

Every string a `Document` carries can be written out as UTF-8: a lone surrogate in a JSON
line's text or metadata is that line's `InputError`, and a file name with bytes the file system
encoding cannot decode is shown with backslash escapes (``caf\\xe9.txt``) while the file is
still read.
"""
from __future__ import annotations

import codecs
import io
import json
import logging
import os
import re
import stat
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, cast

import charset_normalizer
import lxml.html
from lxml import etree
from trafilatura import bare_extraction, load_html
from trafilatura.settings import Document as Extracted
from trafilatura.settings import use_config
from trafilatura.xml import xmltotxt

from .errors import ConfigError, InputError, OnrecordError, ProcessingError

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 100 * 1024 * 1024
"""A file, or one JSON line (counted in characters), larger than this is "document too large"."""

STDIN = "-"
STDIN_SOURCE = "<stdin>"
STDIN_DOC_ID = "stdin"

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
PARQUET_SUFFIX = ".parquet"
PARQUET_MAGIC = b"PAR1"
PARQUET_BATCH_ROWS = 256
"""A Parquet file of documents (the columns of a JSON line: `id` and `text`, optional title,
published, outlet, url) is read this many rows at a time: memory stays flat however large it is."""
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

SQLITE_MAGICS = (
    b"SQLite format 3\x00",  # a database
    b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83",  # a write-ahead log
    b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7",  # a rollback journal
)
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
"""A directory walk skips SQLite files (a corpus database kept beside the documents, and the
files SQLite writes next to it): by these magic numbers, and by the companion suffixes when the
database they extend is in the same directory (a shared-memory file has no magic number)."""

SHOWN_ID_CHARS = 80
"""An error names a JSON line's id, cut to this many characters."""

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
_READ_BYTES = 1 << 16  # UTF-16/32 JSON lines are split in chunks of this size
_HTML_START = re.compile(rb"\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_JSONL_START = re.compile(rb'\s*\{\s*"')
_DECLARED_CHARSET = re.compile(
    rb"""(?:<meta[^>]+charset|<\?xml[^>]+encoding)\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
# Browsers decode these labels as windows-1252 (WHATWG Encoding), and pages so labelled rely on
# it for their curly quotes; Python's latin-1 would turn those into control characters.
_READ_AS_CP1252 = frozenset({"ascii", "iso8859-1"})
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # in a str, always unpaired: no UTF-8 can hold it
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


Loaded = Document | InputError | ProcessingError
"""What a batch yields per item: a document, bad input, or a bug met on that item."""


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
    """A `Document` for text already in memory (the Python API), kept exactly as given.

    Raises `InputError` for empty text, or for a lone surrogate in the text or any field."""
    where = shown(source or doc_id)
    _check_text(text, where)
    _check_strings({"id": doc_id, "title": title, "source": source, "published": published,
                    "outlet": outlet, "url": url}, where)
    return Document(doc_id, text, title, source, published, outlet, url)


def load_path(path: str, *, encoding: str | None = None) -> list[Document]:
    """The documents of one file, directory or "-" (stdin); raises the first `InputError`
    (or `ProcessingError`, for a bug).

    For batches, where a bad file or line should not stop the rest, use `iter_path(s)`.
    """
    documents = []
    for result in iter_path(path, encoding=encoding):
        if isinstance(result, OnrecordError):
            raise result
        documents.append(result)
    return documents


def iter_paths(paths: Iterable[str], *, encoding: str | None = None) -> Iterator[Loaded]:
    """Every document of every path in turn, an `InputError` in place of each bad input (a
    `ProcessingError` in place of one that met a bug).

    Raises `ConfigError` at once if `encoding` is not a known codec.
    """
    _check_encoding(encoding)
    return (result for path in paths for result in _iter_path(path, encoding))


def iter_path(path: str, *, encoding: str | None = None) -> Iterator[Loaded]:
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


def shown(text: str) -> str:
    """`text` as it can be printed and written as UTF-8: bytes a file name could not decode
    (which Python holds as surrogate escapes) become ``\\xe9``, other lone surrogates ``\\ud800``."""
    if not _SURROGATE.search(text):
        return text
    try:
        return os.fsencode(text).decode(sys.getfilesystemencoding(), "backslashreplace")
    except UnicodeError:  # a surrogate no file name could hold: not from the file system
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _iter_path(path: str, encoding: str | None) -> Iterator[Loaded]:
    if path == STDIN:
        stdin = sys.stdin.buffer
        stream = cast(io.BufferedReader, stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin))
        yield from _guarded(_iter_stream(stream, STDIN_SOURCE, STDIN_DOC_ID, "", encoding), STDIN_SOURCE)
        return
    for item in list_path(path):
        if isinstance(item, InputError):
            yield item
        else:
            yield from _iter_file(item.path, encoding, walked=item.walked)


@dataclass(frozen=True)
class Listed:
    """A file to read, as a listing names it: its path, and whether a directory walk found it (a
    walk skips what a file named by the user would be an error for)."""

    path: str
    walked: bool = False


def list_path(path: str) -> Iterator[Listed | InputError]:
    """The files one path (a file, or a directory walked recursively in sorted order) holds, in the
    order `iter_path` reads them, an `InputError` in place of what cannot be listed; nothing is
    read, so a caller may read the files elsewhere (another process, another machine)."""
    target = Path(path)
    if not target.exists():
        yield InputError(shown(path), "no such file")
    elif target.is_dir():
        yield from _walk(target)
    else:
        yield Listed(path)


def iter_file_bytes(data: bytes, path: str, *, walked: bool = False, encoding: str | None = None) -> Iterator[Loaded]:
    """The documents of one file whose bytes were read elsewhere (Ray Data, an object store), exactly
    as `iter_path` gives them from the file `path`."""
    _check_encoding(encoding)
    with cast(io.BufferedReader, io.BufferedReader(io.BytesIO(data))) as stream:
        yield from _iter_opened(stream, path, encoding, walked)


def _iter_file(path: str, encoding: str | None, *, walked: bool = False) -> Iterator[Loaded]:
    """The documents of one file. In a directory walk (`walked`), an SQLite file is skipped;
    named by the user, it is an error."""
    try:
        with Path(path).open("rb") as stream:
            yield from _iter_opened(stream, path, encoding, walked)
    except OSError as exc:
        yield InputError(shown(path), f"cannot read ({exc.strerror})")


def _iter_opened(stream: io.BufferedReader, path: str, encoding: str | None, walked: bool) -> Iterator[Loaded]:
    source = shown(path)
    if stream.peek(_SNIFF_BYTES).startswith(SQLITE_MAGICS):
        if walked:
            log.info("%s: skipped, an SQLite file", source)
        else:
            yield InputError(source, "an SQLite database file, not a document")
        return
    suffix = PurePosixPath(path).suffix.lower()
    yield from _guarded(_iter_stream(stream, source, shown(PurePosixPath(path).stem), suffix, encoding), source)


def _guarded(results: Iterator[Loaded], source: str) -> Iterator[Loaded]:
    """`results`, ended by a `ProcessingError` if loading meets an unexpected exception (a bug):
    the rest of the batch goes on. OSError is left to the caller, which reports it as input."""
    try:
        yield from results
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - a bug on one input must not end the batch; reported as one
        yield _bug(source, exc)


def _bug(source: str, exc: Exception) -> ProcessingError:
    trace = traceback.format_exc()
    log.debug("%s: unexpected error while loading\n%s", source, trace)
    return ProcessingError(source, exc, trace)


def _walk(directory: Path) -> Iterator[Listed | InputError]:
    """Every file under `directory`, in sorted order; hidden entries, `SKIPPED_SUFFIXES`,
    SQLite files and anything that is not a regular file (a FIFO would block the walk, a
    socket or device is no document) are skipped, and logged at info level."""
    unreadable: list[OSError] = []
    found = False
    for root, dirs, files in os.walk(directory, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        present = set(files)
        for name in sorted(files):
            if skipped_in_walk(name):
                continue
            path = os.path.join(root, name)
            if any(name.endswith(end) and name[: -len(end)] in present for end in SQLITE_COMPANIONS):
                log.info("%s: skipped, a file SQLite keeps beside its database", shown(path))
                continue
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:  # a dangling link, or removed since the listing
                found = True
                problem = "no such file" if isinstance(exc, FileNotFoundError) else f"cannot read ({exc.strerror})"
                yield InputError(shown(path), problem)
                continue
            if not stat.S_ISREG(mode):
                log.info("%s: skipped, not a regular file", shown(path))
                continue
            found = True
            yield Listed(path, walked=True)
    for failure in unreadable:
        yield InputError(shown(str(failure.filename)), f"cannot read directory ({failure.strerror})")
    if not found and not unreadable:
        yield InputError(shown(str(directory)), "no documents found in directory")


def skipped_in_walk(relative: str) -> bool:
    """Whether a directory walk leaves out the file at `relative` (a path under the walked
    directory): a hidden entry on the way, or a suffix in `SKIPPED_SUFFIXES`."""
    parts = PurePosixPath(relative).parts
    return any(part.startswith(".") for part in parts) or PurePosixPath(relative).suffix.lower() in SKIPPED_SUFFIXES


def walk_order(relative: str) -> tuple[tuple[int, str], ...]:
    """The sort key that puts paths under a directory in the order `_walk` reads them: in each
    directory its files first, then its subdirectories, each sorted by name (a listing that is
    not a walk, such as an object store's, is sorted with it)."""
    *dirs, name = PurePosixPath(relative).parts
    return (*((1, d) for d in dirs), (0, name))


def _iter_stream(
    stream: io.BufferedReader, source: str, doc_id: str, suffix: str, encoding: str | None
) -> Iterator[Loaded]:
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    kind = _kind(suffix, head)
    if kind == "jsonl":
        yield from _iter_jsonl(stream, source, doc_id, encoding)
        return
    if kind == "parquet":
        yield from _iter_parquet(stream, source, doc_id)
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
    """"jsonl", "parquet", "html" or "text": by extension, else by how the content starts."""
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix == PARQUET_SUFFIX or head.startswith(PARQUET_MAGIC):
        return "parquet"
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
    _check_strings({"text": text}, source)


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
    tree = _html_tree(html)
    for precision in (True, False):
        if tree is None:  # not HTML trafilatura can read
            break
        result = bare_extraction(  # each pass works on its own copy of the tree
            tree,
            favor_precision=precision,
            favor_recall=not precision,
            include_tables=not precision,
            include_comments=False,
            include_images=False,
            include_links=False,
            with_metadata=True,
            config=config,
            # dates from the page's metadata, not guessed from dates mentioned in the article
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
        if not isinstance(result, Extracted):  # None: nothing found (a dict only when asked for one)
            continue
        text = _paragraphs(result.body) if result.body is not None else ""
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


# libxml2 stops parsing at 256 nested elements (the rest of the page is lost) unless asked for its
# "huge" mode, which reaches 2,048. A tree this deep was probably cut: it is parsed again in that mode.
_PARSER_DEPTH = 256
_CUT_DEPTH = _PARSER_DEPTH - 8  # some margin for the elements libxml2 implies (html, body)
# trafilatura's own parser settings (trafilatura.utils.HTML_PARSER), with the deeper limit.
_DEEP_PARSER = lxml.html.HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                    remove_pis=True, huge_tree=True)


def _html_tree(html: str) -> lxml.html.HtmlElement | None:
    """The page parsed as trafilatura parses it; parsed again with libxml2's deeper limit when
    that parse reached libxml2's default one, so text nested deeper than 255 elements is kept."""
    tree = load_html(html)
    if tree is None or _depth(tree) < _CUT_DEPTH:
        return tree
    try:
        return lxml.html.fromstring(html, parser=_DEEP_PARSER)
    except ValueError:  # a str with an XML encoding declaration: lxml wants bytes
        return lxml.html.fromstring(html.encode("utf-8", "surrogatepass"), parser=_DEEP_PARSER)


def _depth(tree: lxml.html.HtmlElement) -> int:
    """How many elements deep the tree is nested (the root counts one), in one walk."""
    depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _paragraphs(body: Any) -> str:
    """trafilatura's plain text of each top-level block, blocks separated by a blank line."""
    blocks = [body.text or ""] + [xmltotxt(child, include_formatting=False) for child in body]
    return "\n\n".join(block for block in blocks if block.strip())


def _iter_jsonl(stream: io.BufferedReader, source: str, stem: str, encoding: str | None) -> Iterator[Loaded]:
    """One document per line, an error for each bad line; blank lines are skipped but counted.
    A file whose first line is not JSON is one error, not one per line; so is one that cannot
    be decoded (an encoding is wrong throughout): that error names the line and, when the
    line's JSON shows it, the id."""
    codec, lines = _raw_lines(stream, encoding)
    first = True
    for lineno, raw in enumerate(lines, 1):
        where = f"{source}:{lineno}"
        try:
            line = _decode_strictly(raw, codec, where).removeprefix("\ufeff") if codec else decode(raw, where, encoding=encoding)
        except InputError as exc:
            yield InputError(where, exc.problem + _id_label(_id_hint(raw, codec or encoding or "utf-8")))
            return
        if not line.strip():
            continue
        try:
            _check_size(len(line), where)
            yield _document_from_json(line, where, source, default_id=f"{stem}:{lineno}")
        except json.JSONDecodeError as exc:
            yield InputError(where, f"{'not JSON lines: ' if first else ''}invalid JSON ({exc.msg}, column {exc.colno})")
            if first:
                return
        except InputError as exc:
            yield exc
        except Exception as exc:  # noqa: BLE001 - a bug: this line is lost, not the rest of the file
            yield _bug(where, exc)
        first = False


def _iter_parquet(stream: io.BufferedReader, source: str, stem: str) -> Iterator[Loaded]:
    """One document per row of a Parquet file, an error for each bad row ("file:row", counted
    from 1); a file pyarrow cannot read, or without a `text` column, is one error."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(stream)
        columns = table.schema_arrow.names
        if "text" not in columns:
            yield InputError(source, f'a Parquet file with no "text" column (columns: {", ".join(columns)})')
            return
        wanted = [c for c in ("id", "doc_id", "text", *_OPTIONAL_FIELDS) if c in columns]
        row = 0
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
            for fields in batch.to_pylist():
                row += 1
                where = f"{source}:{row}"
                try:
                    _check_size(len(fields["text"] or ""), where)
                    yield _document_from_fields(fields, where, source, default_id=f"{stem}:{row}")
                except InputError as exc:
                    yield exc
    except (pa.ArrowException, ValueError) as exc:
        yield InputError(source, f"not a readable Parquet file ({exc})")


def _raw_lines(stream: io.BufferedReader, encoding: str | None) -> tuple[str | None, Iterator[bytes]]:
    """The codec every line is decoded with, and the file's lines as bytes.

    UTF-16/32 lines are split at their own newline code unit, so that a decoding error names its
    line; the byte order is the byte-order mark's, else the machine's (as Python reads such
    files), and the mark stays on the first line. For ASCII-compatible input the codec is None:
    each line is decoded by `decode`'s rules (a forced encoding, else a BOM, else strict UTF-8)."""
    head = stream.peek(4)[:4]
    bom, bom_codec = next(((bom, codec) for bom, codec in _BOMS if head.startswith(bom)), (b"", None))
    name = codecs.lookup(encoding or bom_codec or "utf-8").name
    if not name.startswith(("utf-16", "utf-32")):
        return None, iter(stream)
    if name in ("utf-16", "utf-32"):
        big = bom in (codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE) if bom_codec == name else sys.byteorder == "big"
        name = f"{name}-{'be' if big else 'le'}"
    return name, _wide_lines(stream, "\n".encode(name))


def _wide_lines(stream: io.BufferedReader, newline: bytes) -> Iterator[bytes]:
    """The lines of a UTF-16/32 stream, each ending with `newline` at a code-unit boundary; linear."""
    width = len(newline)
    buffer = bytearray()
    scan = 0
    while True:
        chunk = stream.read(_READ_BYTES)
        buffer += chunk
        while (at := buffer.find(newline, scan)) >= 0:
            if at % width:  # inside another code unit
                scan = at + 1
                continue
            yield bytes(buffer[: at + width])
            del buffer[: at + width]
            scan = 0
        scan = max(len(buffer) - width + 1, 0)
        if not chunk:
            break
    if buffer:
        yield bytes(buffer)


def _id_hint(raw: bytes, codec: str) -> str | int | None:
    """The id of a line that does not decode, read leniently, to name it in the error."""
    try:
        obj = json.loads(raw.decode(codec, "replace"))
    except (ValueError, RecursionError, LookupError):
        return None
    raw_id = obj.get("id", obj.get("doc_id")) if isinstance(obj, dict) else None
    return raw_id if isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool) else None


def _id_label(raw_id: str | int | None) -> str:
    """' (id "a7")' for an error message; empty when the line has no usable id."""
    if raw_id is None or raw_id == "":
        return ""
    text = str(raw_id).encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate as \\ud800
    cut = text[:SHOWN_ID_CHARS] + ("…" if len(text) > SHOWN_ID_CHARS else "")
    return f' (id "{cut}")'


def _document_from_json(line: str, where: str, source: str, *, default_id: str) -> Document:
    """A line's JSON object: `id` (or `doc_id`) and `text`, optional title/published/outlet/url.

    Every problem is an `InputError` naming `where` (file:line) and, once known, the id."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise InputError(where, f"invalid JSON ({exc})") from None
    except RecursionError:
        raise InputError(where, "invalid JSON (nested too deeply)") from None
    if not isinstance(obj, dict):
        raise InputError(where, f"expected a JSON object, got {_json_type(obj)}")
    return _document_from_fields(obj, where, source, default_id=default_id)


def _document_from_fields(obj: dict[str, Any], where: str, source: str, *, default_id: str) -> Document:
    """A document from a JSON line's object or a Parquet row: `id` (or `doc_id`) and `text`,
    optional title/published/outlet/url; every problem an `InputError` naming `where` and the id."""
    raw_id = obj.get("id", obj.get("doc_id"))
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        raise InputError(where, f'"id" must be a string or integer, not {_json_type(raw_id)}')
    label = _id_label(raw_id)
    if "text" not in obj:
        raise InputError(where, f'no "text" field{label}')
    try:
        _check_text(obj["text"], where)
        for name in _OPTIONAL_FIELDS:
            if obj.get(name) is not None and not isinstance(obj[name], str):
                raise InputError(where, f'"{name}" must be a string, not {_json_type(obj[name])}')
        _check_strings({"id": raw_id if isinstance(raw_id, str) else None, **{n: obj.get(n) for n in _OPTIONAL_FIELDS}},
                       where)
    except InputError as exc:
        raise InputError(where, exc.problem + label) from None
    doc_id = str(raw_id) if raw_id not in (None, "") else default_id
    return Document(doc_id, obj["text"], source=source, **{name: obj.get(name) for name in _OPTIONAL_FIELDS})


def _check_strings(fields: dict[str, str | None], where: str) -> None:
    """An `InputError` for the first field holding a lone surrogate (JSON's "\\ud800", or a str
    from Python): no UTF-8 output can hold it, so it would fail every writer downstream."""
    for name, value in fields.items():
        if value is not None and (bad := _SURROGATE.search(value)):
            raise InputError(where, f'"{name}" holds a lone surrogate (\\u{ord(bad[0]):04x}) at character '
                                    f"{bad.start()}: not valid Unicode")


def _json_type(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object", str: "a string"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
