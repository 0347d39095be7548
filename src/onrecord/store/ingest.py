"""Ingest: records into the corpus, one document per transaction, keyed by its content hash.

A document row, its speakers, quotes, turns, search rows and cluster links are written together
or not at all, so an ingest killed at any moment leaves only whole documents, and running it
again adds exactly the ones that are missing. Extraction may run in several processes (the
pipeline's `extract_files(jobs=N)`); this writer stays one process.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ..errors import OnrecordError, StoreError
from ..record import Record
from ..settings import Options
from . import clusters
from .db import Database
from .speakers import write_speakers

ADDED, PRESENT, FAILED = "added", "present", "failed"


def content_hash(text: str) -> str:
    """A document's identity: the same text is the same document, whatever its file name."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What happened to one input: added, already present, or failed (with the reason)."""

    status: str
    name: str  # doc id, or the file for a failure
    reason: str | None = None


@dataclass
class IngestSummary:
    """What an ingest did: documents added, already present, and each failure with its reason."""

    added: int = 0
    present: int = 0
    failed: list[Outcome] = field(default_factory=list)

    def count(self, outcome: Outcome) -> None:
        if outcome.status == ADDED:
            self.added += 1
        elif outcome.status == PRESENT:
            self.present += 1
        else:
            self.failed.append(outcome)

    @property
    def ok(self) -> bool:
        return not self.failed


_INSERT_DOC = """
INSERT INTO documents (hash, doc_id, title, source, published, outlet, url, record)
VALUES (:hash, :doc_id, :title, :source, :published, :outlet, :url, :record)
"""
_INSERT_QUOTE = """
INSERT INTO quotes (doc, qid, type, start, "end", text, speaker, cue, confidence, fidelity)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INSERT_TURN = 'INSERT INTO turns (doc, tid, start, "end", text, speaker, role) VALUES (?, ?, ?, ?, ?, ?, ?)'


def write_record(db: Database, record: Record) -> bool:
    """Store one record in one transaction; False when a document with the same text is already there."""
    digest = content_hash(record.text)
    try:
        with db.transaction():
            if _stored(db, digest):
                return False
            doc = db.execute(_INSERT_DOC, {
                "hash": digest, "doc_id": record.doc_id, "title": record.title, "source": record.source,
                "published": record.published, "outlet": record.outlet, "url": record.url,
                "record": json.dumps(record.to_dict(), ensure_ascii=False),
            }).lastrowid
            speaker_rows = write_speakers(db, doc, digest, record.speakers)
            names = {s.id: " ".join(dict.fromkeys((s.name, *s.titles))) for s in record.speakers}
            new_quotes = []
            for q in record.quotes:
                row = db.execute(_INSERT_QUOTE, (
                    doc, q.id, q.type, q.start, q.end, q.text, speaker_rows.get(q.speaker),
                    q.cue.text if q.cue else None, q.confidence, q.fidelity.status if q.fidelity else None,
                )).lastrowid
                db.execute(
                    "INSERT INTO quote_fts (rowid, text, speaker) VALUES (?, ?, ?)",
                    (row, q.text, names.get(q.speaker, "")),
                )
                new_quotes.append((row, q.text))
            db.conn.executemany(_INSERT_TURN, [
                (doc, t.id, t.start, t.end, t.text, speaker_rows.get(t.speaker), t.role) for t in record.turns
            ])
            clusters.add_quotes(db, new_quotes)
    except sqlite3.Error as exc:
        raise StoreError(f"{record.doc_id}: cannot be stored ({exc})") from None
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # a malformed record: it alone is skipped
        raise StoreError(f"{record.doc_id}: cannot be stored ({type(exc).__name__}: {exc})") from None
    return True


def ingest_results(db: Database, results: Iterable[Record | OnrecordError]) -> Iterator[Outcome]:
    """Write each record as it comes; a failure (bad file, unstorable record) is reported, not fatal."""
    for result in results:
        if isinstance(result, OnrecordError):
            yield Outcome(FAILED, getattr(result, "source", None) or "input", str(result))
            continue
        try:
            added = write_record(db, result)
        except StoreError as exc:
            yield Outcome(FAILED, result.source or result.doc_id, str(exc))
        else:
            yield Outcome(ADDED if added else PRESENT, result.doc_id)


def ingest_paths(db: Database, paths: Sequence[str], *, options: Options, jobs: int = 1) -> Iterator[Outcome]:
    """Extract the files (directories recursively, JSON lines, HTML) with `jobs` workers and store them.

    A document whose text is already stored is not extracted again: a resumed ingest costs only
    what is missing."""
    from .. import load, pipeline  # the parse is loaded only by commands that extract

    present: list[str] = []

    def missing() -> Iterator:
        for item in load.iter_paths(list(paths), encoding=options.encoding):
            if not isinstance(item, OnrecordError) and _stored(db, content_hash(item.text)):
                present.append(item.doc_id)
                continue
            yield item

    for outcome in ingest_results(db, pipeline.extract_documents(missing(), options=options, jobs=jobs)):
        yield from (Outcome(PRESENT, name) for name in present)
        present.clear()
        yield outcome
    yield from (Outcome(PRESENT, name) for name in present)


def _stored(db: Database, digest: str) -> bool:
    return db.execute("SELECT 1 FROM documents WHERE hash = ?", (digest,)).fetchone() is not None
