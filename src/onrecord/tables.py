"""Records as a Parquet dataset of four tables, and back: what `extract --format parquet` writes
(either engine) and `onrecord load` reads.

A dataset is a directory (or an object-store prefix, through pyarrow's file systems) holding
`documents/`, `quotes/`, `speakers/` and `turns/`, each a series of part files
(`part-00000.parquet`, ...) that pandas (`pd.read_parquet("out/quotes")`) and DuckDB
(`SELECT * FROM 'out/quotes/*.parquet'`) read directly. Every row carries its document's `order`
(its position in the run's input), `doc_id` and `doc_hash` (`record.content_hash`), so the
tables join on `doc_hash` and sort back into input order.

`documents.record` holds each record's onrecord/1 JSON whole: `load` rebuilds exactly the
records that were extracted, so a corpus loaded from a dataset is the one `ingest` would have
made. The other columns flatten it for analysis and are derived from it, never read back, except
`speakers.identity`: each speaker's corpus identity before cross-document settling
(`store.speakers.Identity.to_dict`, JSON, marked with the identity rule's version).
`quotes.bands`: each quote's LSH band keys (`store.clusters.Banded`; null for a quote too short
to cluster), computed where the record was extracted (a Ray worker), which the corpus writer
takes instead of computing them, and which a distributed grouping of quotes can key on.

The bytes depend only on the records and their order: part files are cut every
`DOCUMENTS_PER_PART` documents, whatever the engine or the number of workers that made them.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from .errors import InputError, OutputError
from .record import Record, content_hash
from .store.clusters import Banded
from .store.speakers import identities_of

TABLES = ("documents", "quotes", "speakers", "turns")
# Documents per part file: a part holds a few tens of megabytes of records (about 15 KB of JSON per
# news article), small enough to write from memory, large enough that a million documents are
# a few hundred files, not millions.
DOCUMENTS_PER_PART = 2_000
PART_NAME = "part-{:05d}.parquet"
# Record batches read at a time by `read_records`: bounded memory whatever the dataset's size.
_READ_BATCH = 256

_KEYS = [("order", pa.int64()), ("doc_id", pa.string()), ("doc_hash", pa.string())]
_SPAN = pa.string()  # a span's text; its offsets are in the record
SCHEMAS = {
    "documents": pa.schema([*_KEYS, ("title", pa.string()), ("source", pa.string()), ("published", pa.string()),
                            ("outlet", pa.string()), ("url", pa.string()), ("dateline", _SPAN),
                            ("quotes", pa.int64()), ("speakers", pa.int64()), ("turns", pa.int64()),
                            ("record", pa.string())]),
    "quotes": pa.schema([*_KEYS, ("quote_id", pa.string()), ("type", pa.string()), ("start", pa.int64()),
                         ("end", pa.int64()), ("text", pa.string()), ("speaker_id", pa.string()),
                         ("speaker", pa.string()), ("speaker_kind", pa.string()), ("speaker_mention", _SPAN),
                         ("cue", _SPAN), ("addressee", _SPAN), ("confidence", pa.float64()),
                         ("fidelity", pa.string()), ("headline", pa.bool_()), ("bands", pa.list_(pa.int64()))]),
    "speakers": pa.schema([*_KEYS, ("speaker_id", pa.string()), ("name", pa.string()), ("kind", pa.string()),
                           ("gender", pa.string()), ("titles", pa.list_(pa.string())), ("mentions", pa.int64()),
                           ("identity", pa.string())]),
    "turns": pa.schema([*_KEYS, ("turn_id", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                        ("text", pa.string()), ("speaker_id", pa.string()), ("speaker", pa.string()),
                        ("role", pa.string()), ("label", _SPAN)]),
}


def rows(banded: Banded, order: int) -> dict[str, list[dict[str, Any]]]:
    """The record's rows in each table."""
    record = banded.record
    computed = Banded.of(record) if banded.bands is None or banded.identities is None else banded
    bands = banded.bands if banded.bands is not None else computed.bands or {}
    identities = banded.identities if banded.identities is not None else computed.identities
    identity = [None] * len(record.speakers) if identities is None else [
        json.dumps(i.to_dict(), ensure_ascii=False) for i in identities]
    keys = {"order": order, "doc_id": record.doc_id, "doc_hash": content_hash(record.text)}
    names = {s.id: s for s in record.speakers}

    def named(speaker_id: str | None) -> tuple[str | None, str | None]:
        speaker = names.get(speaker_id) if speaker_id else None
        return (None, None) if speaker is None else (speaker.name, speaker.kind)

    quotes = []
    for q in record.quotes:
        name, kind = named(q.speaker)
        quotes.append({**keys, "quote_id": q.id, "type": q.type, "start": q.start, "end": q.end, "text": q.text,
                       "speaker_id": q.speaker, "speaker": name, "speaker_kind": kind,
                       "speaker_mention": _text(q.speaker_mention), "cue": _text(q.cue),
                       "addressee": _text(q.addressee), "confidence": q.confidence,
                       "fidelity": q.fidelity.status if q.fidelity else None, "headline": q.headline,
                       "bands": bands.get(q.id)})
    return {
        "documents": [{**keys, "title": record.title, "source": record.source, "published": record.published,
                       "outlet": record.outlet, "url": record.url, "dateline": _text(record.dateline),
                       "quotes": len(record.quotes), "speakers": len(record.speakers), "turns": len(record.turns),
                       "record": json.dumps(record.to_dict(), ensure_ascii=False)}],
        "quotes": quotes,
        "speakers": [{**keys, "speaker_id": s.id, "name": s.name, "kind": s.kind, "gender": s.gender,
                      "titles": list(s.titles), "mentions": len(s.mentions), "identity": ident}
                     for s, ident in zip(record.speakers, identity, strict=True)],
        "turns": [{**keys, "turn_id": t.id, "start": t.start, "end": t.end, "text": t.text, "speaker_id": t.speaker,
                   "speaker": named(t.speaker)[0], "role": t.role, "label": _text(t.label)} for t in record.turns],
    }


def _text(span: Any) -> str | None:
    return None if span is None else span.text


class TableWriter:
    """Writes records, in the order given, as part files of the four tables under `root` on `fs`."""

    def __init__(self, fs: pafs.FileSystem, root: str, *, documents_per_part: int = DOCUMENTS_PER_PART):
        self.fs, self.root, self.per_part = fs, root.rstrip("/"), documents_per_part
        self.count = 0
        self._parts = 0
        self._pending: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        for name in TABLES:
            fs.create_dir(f"{self.root}/{name}", recursive=True)

    def write(self, record: Record | Banded) -> None:
        """Add one record (with its quotes' band keys, else they are computed here)."""
        banded = record if isinstance(record, Banded) else Banded.of(record)
        for name, found in rows(banded, self.count).items():
            self._pending[name].extend(found)
        self.count += 1
        if len(self._pending["documents"]) >= self.per_part:
            self._flush()

    def close(self) -> int:
        """Write what is pending (every table gets a part, so an empty run is four empty tables);
        the number of documents written."""
        if self._pending["documents"] or not self._parts:
            self._flush()
        return self.count

    def _flush(self) -> None:
        for name in TABLES:
            table = pa.Table.from_pylist(self._pending[name], schema=SCHEMAS[name])
            pq.write_table(table, f"{self.root}/{name}/{PART_NAME.format(self._parts)}", filesystem=self.fs)
            self._pending[name].clear()
        self._parts += 1


def _filesystem(target: str) -> tuple[pafs.FileSystem, str]:
    """The pyarrow file system and path of a local path or an object-store URI (s3://, gs://, ...)."""
    if "://" in target:
        try:
            return pafs.FileSystem.from_uri(target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
            raise OutputError(f"{target}: cannot open this location ({exc})") from None
    return pafs.LocalFileSystem(), os.path.abspath(target)


def is_dataset(target: str) -> bool:
    """Whether `target` holds an onrecord Parquet dataset (its documents table)."""
    fs, root = _filesystem(target)
    return fs.get_file_info(f"{root}/documents").type == pafs.FileType.Directory


@contextmanager
def write_tables(target: str) -> Iterator[TableWriter]:
    """A writer of the dataset at `target`. A local directory is written beside it and swapped into
    place when the block ends without an error, so a failed run leaves an earlier dataset whole;
    an existing directory that is no dataset (nor empty) is refused, never replaced. An object-store
    prefix is written in place (object stores have no rename), so it must hold nothing yet."""
    fs, root = _filesystem(target)
    if "://" in target:
        if fs.get_file_info(root).type != pafs.FileType.NotFound and fs.get_file_info(
                pafs.FileSelector(root, recursive=True)):
            raise OutputError(f"{target}: holds files already; give a new prefix (parts of an old dataset "
                              "would mix with the new one's)")
        yield TableWriter(fs, root)
        return
    final = Path(root)
    if final.exists() and not (final.is_dir() and (not any(final.iterdir()) or is_dataset(root))):
        raise OutputError(f"{target}: exists and is not an onrecord Parquet dataset; give a new directory")
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.", suffix=".tmp"))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write here ({exc.strerror})") from None
    try:
        writer = TableWriter(fs, str(tmp))
        yield writer
        old = None
        if final.exists():
            old = final.with_name(f".{final.name}.{os.getpid()}.old")
            final.rename(old)
        tmp.rename(final)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_dataset(source: str) -> None:
    """An `InputError` when `source` holds no dataset: checked before a corpus is created for it."""
    if not is_dataset(source):
        raise InputError(source, "not an onrecord Parquet dataset (no documents/ table; "
                                 "write one with `onrecord extract --format parquet -o DIR`)")


def read_records(source: str) -> Iterator[Record]:
    """The records of the dataset at `source` (a directory or an object-store URI), in the order
    they were written, a batch at a time. An `InputError` names a location that holds no dataset."""
    return (banded.record for banded in read_banded(source))


def read_banded(source: str) -> Iterator[Banded]:
    """`read_records`, each record with its quotes' band keys from the quotes table (the part files
    of both tables cover the same documents), as the corpus writer takes them."""
    check_dataset(source)
    fs, root = _filesystem(source)
    parts = sorted(info.base_name for info in fs.get_file_info(pafs.FileSelector(f"{root}/documents"))
                   if info.base_name.endswith(".parquet"))
    for part in parts:
        bands = _bands(fs, f"{root}/quotes/{part}")
        identities = _identities(fs, f"{root}/speakers/{part}")
        with fs.open_input_file(f"{root}/documents/{part}") as stream:
            for batch in pq.ParquetFile(stream).iter_batches(batch_size=_READ_BATCH, columns=["order", "record"]):
                for order, text in zip(batch.column("order").to_pylist(), batch.column("record").to_pylist(),
                                       strict=True):
                    try:
                        record = Record.from_dict(json.loads(text))
                    except (ValueError, TypeError, KeyError) as exc:
                        raise InputError(f"{root}/documents/{part} (document {order})",
                                         f"not an onrecord record ({type(exc).__name__}: {exc})") from None
                    mine = bands.get(order)
                    complete = mine is not None and all(q.id in mine for q in record.quotes)
                    idents = identities_of(identities.get(order, []) if record.speakers else [])
                    yield Banded(record, mine if complete else None,
                                 idents if idents is not None and len(idents) == len(record.speakers) else None)


def _identities(fs: pafs.FileSystem, path: str) -> dict[int, list[dict | None]]:
    """Each document's speaker identities in record order (`store.speakers.Identity.to_dict`), by
    document order, from one part file of the speakers table (empty when missing, or written before
    the table had them: the writer then computes them)."""
    if fs.get_file_info(path).type != pafs.FileType.File:
        return {}
    found: dict[int, list[dict | None]] = {}
    with fs.open_input_file(path) as stream:
        parquet = pq.ParquetFile(stream)
        if "identity" not in parquet.schema_arrow.names:
            return {}
        for batch in parquet.iter_batches(batch_size=_READ_BATCH * 16, columns=["order", "identity"]):
            for row in batch.to_pylist():
                found.setdefault(row["order"], []).append(None if row["identity"] is None else json.loads(row["identity"]))
    return found


def _bands(fs: pafs.FileSystem, path: str) -> dict[int, dict[str, list[int] | None]]:
    """Band keys by document order and quote id, from one part file of the quotes table (empty
    when it is missing: the keys are then computed by the writer)."""
    if fs.get_file_info(path).type != pafs.FileType.File:
        return {}
    found: dict[int, dict[str, list[int] | None]] = {}
    with fs.open_input_file(path) as stream:
        for batch in pq.ParquetFile(stream).iter_batches(batch_size=_READ_BATCH * 16,
                                                         columns=["order", "quote_id", "bands"]):
            for row in batch.to_pylist():
                found.setdefault(row["order"], {})[row["quote_id"]] = row["bands"]
    return found
