"""Export: every stored quote as one flat row, for pandas, DuckDB or a spreadsheet.

The rows and their order depend only on the corpus, never on the order or parallelism of
ingest: documents are ordered by date, id and content hash; speakers are named by their
order-independent keys; a cluster is named by its smallest member ("<hash16>:<quote id>").
So the same corpus exports byte-identical JSON lines and CSV.

`published` is a date: an ISO day (YYYY-MM-DD) in JSON lines and CSV, a date32 in Parquet.
`low_confidence` marks quotes under `search.LOW_CONFIDENCE` (kept: `min_confidence` filters);
`misattributed` marks a quote whose words other documents credit to a different speaker, named
in `also_credited_to` (a list; in CSV joined by "; ").
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, BinaryIO

from ..errors import StoreError
from ..output import atomic_output, check_not_database, jsonl_line
from . import corrections as corrections_table
from . import speaker_corrections
from .clusters import misattributions
from .db import Database
from .search import check_confidence, low_confidence

FORMATS = ("jsonl", "csv", "parquet")
CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte order mark: without it Excel decodes a CSV in the system code page."""
COLUMNS = (
    "doc_id", "doc_hash", "published", "outlet", "title", "url", "quote_id", "type", "start", "end", "text",
    "speaker", "speaker_kind", "speaker_gender", "corpus_speaker", "corpus_speaker_key", "cue", "confidence",
    "low_confidence", "fidelity", "cluster", "cluster_size", "misattributed", "also_credited_to",
)
_COMPUTED = ("low_confidence", "misattributed", "also_credited_to")
CSV_LIST_SEPARATOR = "; "
_ROWS = """
WITH keyed AS (
    SELECT q.*, d.doc_id, d.hash, d.published, d.outlet, d.title, d.url,
           min(substr(d.hash, 1, 16) || ':' || q.qid) OVER (PARTITION BY coalesce(q.cluster, -q.id)) AS cluster_key,
           count(*) OVER (PARTITION BY coalesce(q.cluster, -q.id)) AS cluster_size
    FROM quotes q JOIN documents d ON d.id = q.doc
)
SELECT k.doc_id, k.hash AS doc_hash, k.published, k.outlet, k.title, k.url, k.qid AS quote_id, k.type, k.start,
       k."end", k.text, s.name AS speaker, s.kind AS speaker_kind, s.gender AS speaker_gender, e.name AS corpus_speaker,
       e.key AS corpus_speaker_key, k.cue, k.confidence, k.fidelity, k.cluster_key AS cluster, k.cluster_size,
       k.cluster AS cluster_id
FROM keyed k LEFT JOIN doc_speakers s ON s.id = k.speaker LEFT JOIN entities e ON e.id = s.entity
WHERE :min_confidence IS NULL OR k.confidence >= :min_confidence
ORDER BY k.published IS NULL, k.published, k.doc_id, k.hash, k.start, k."end", k.qid
"""


def rows(db: Database, *, min_confidence: float | None = None) -> Iterator[dict]:
    """Every quote (of at least `min_confidence`) as a dict with `COLUMNS`, in the deterministic export
    order, with reviewers' corrections applied (the corpus rows hold them, store/corrections.py): a
    corrected speaker with the corpus speaker the identity rules place it in, merges and splits of
    corpus speakers, the corrected verdict; a quote corrected to be no quote is left out."""
    flagged = {c.id: c for c in misattributions(db)}
    for row in db.execute(_ROWS, {"min_confidence": check_confidence(min_confidence)}):
        out = {c: row[c] for c in COLUMNS if c not in _COMPUTED}
        cluster = flagged.get(row["cluster_id"])
        others = None if cluster is None else cluster.others(row["corpus_speaker_key"])
        out["low_confidence"] = low_confidence(row["confidence"])
        out["misattributed"] = others is not None
        out["also_credited_to"] = list(others or ())
        yield {c: out[c] for c in COLUMNS}


def export(db: Database, target: str | Path | BinaryIO, fmt: str = "jsonl", *,
           min_confidence: float | None = None, corrections: bool = False) -> int:
    """Write every quote (of at least `min_confidence`) to `target` (a path, or a binary stream such
    as stdout) as jsonl, csv or parquet; the number of rows written. With `corrections`, the
    reviewers' corrections instead (`CORRECTION_COLUMNS`, in the order they were made): gold for
    evaluation and training.

    A path is written atomically (a temporary file renamed into place, so a failed export leaves any
    old file intact) and may not be the database or one of its side files. CSV starts with a UTF-8
    byte order mark, so that Excel reads it as UTF-8 (curly quotes, accents); pandas, DuckDB and
    Python's csv module with encoding="utf-8-sig" skip it.
    """
    if fmt not in FORMATS:
        raise StoreError(f"export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    check_confidence(min_confidence)
    table = _corrections_table if corrections else _quotes_table
    if not isinstance(target, (str, Path)):
        return _write(table(db, min_confidence), target, fmt)
    check_not_database(target, db.path)
    try:
        with atomic_output(target, binary=True) as out:
            return _write(table(db, min_confidence), out, fmt)
    except OSError as exc:
        raise StoreError(f"{target}: cannot write the export ({exc.strerror})") from None


_Table = tuple[Iterator[dict], tuple[str, ...], dict[str, str]]
# Parquet types of the columns that are not strings (the rest are), by table.
_QUOTE_TYPES = {"published": "date32", "start": "int64", "end": "int64", "confidence": "float64",
                "low_confidence": "bool", "cluster_size": "int64", "misattributed": "bool",
                "also_credited_to": "list<string>"}
_CORRECTION_TYPES = {"id": "int64", "quote_start": "int64", "quote_end": "int64"}


def _quotes_table(db: Database, min_confidence: float | None) -> _Table:
    return rows(db, min_confidence=min_confidence), COLUMNS, _QUOTE_TYPES


QUOTE_CORRECTION, SPEAKER_CORRECTION = "quote", "speaker"
CORRECTION_COLUMNS = ("correction", *corrections_table.COLUMNS, "doc_speaker", "doc_speaker_name", "old_name",
                      "new_name")
"""The corrections export: a quote's corrections (`correction` "quote", `field` what was corrected),
then merges and splits of corpus speakers (`correction` "speaker", `field` "merge" or "split",
the old and new values corpus speaker keys, with their names); `id` counts within each kind."""


def _correction_rows(db: Database) -> Iterator[dict]:
    for c in corrections_table.every(db):
        yield dict.fromkeys(CORRECTION_COLUMNS) | {"correction": QUOTE_CORRECTION, **c.to_dict()}
    for s in speaker_corrections.every(db):
        row = s.to_dict()
        row["field"] = row.pop("action")
        yield dict.fromkeys(CORRECTION_COLUMNS) | {"correction": SPEAKER_CORRECTION, **row}


def _corrections_table(db: Database, min_confidence: float | None) -> _Table:
    return _correction_rows(db), CORRECTION_COLUMNS, _CORRECTION_TYPES


def _write(table: _Table, out: IO[bytes], fmt: str) -> int:
    found, columns, types = table
    if fmt == "parquet":
        return _parquet(found, columns, types, out)
    text = io.TextIOWrapper(out, encoding=CSV_ENCODING if fmt == "csv" else "utf-8", newline="")
    try:
        n = 0
        if fmt == "jsonl":
            for row in found:
                text.write(jsonl_line(row))
                n += 1
        else:
            writer = csv.DictWriter(text, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for row in found:
                writer.writerow({k: CSV_LIST_SEPARATOR.join(v) if isinstance(v, list) else v for k, v in row.items()})
                n += 1
        text.flush()
        return n
    finally:
        text.detach()  # the caller owns `out`, which may be stdout


def _parquet(found: Iterator[dict], columns: tuple[str, ...], types: dict[str, str], out: IO[bytes],
             batch: int = 50_000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = {"date32": pa.date32(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_(),
             "list<string>": pa.list_(pa.string())}
    schema = pa.schema([(c, arrow[types[c]] if c in types else pa.string()) for c in columns])
    dates = [c for c in columns if types.get(c) == "date32"]
    n = 0
    with pq.ParquetWriter(out, schema) as writer:
        chunk: list[dict] = []
        for row in found:
            chunk.append({**row, **{c: None if row[c] is None else date.fromisoformat(row[c]) for c in dates}})
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                n += len(chunk)
                chunk.clear()
        writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
        n += len(chunk)
    return n
