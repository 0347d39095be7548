"""Ingest: records into the corpus, one document per transaction, keyed by its content hash.

A document row, its speakers, quotes, turns, search rows and cluster links are written together
or not at all, so an ingest killed at any moment leaves only whole documents, and running it
again adds exactly the ones that are missing. Extraction may run in several processes (the
pipeline's `extract_files(jobs=N)`); this writer stays one process.

What is stored is keyed for lookup: `published` as an ISO day (YYYY-MM-DD) or NULL, so date
filters compare dates, not strings; quote text and speaker names NFC-normalised in the search
index, so a decomposed "é" matches a composed one. The record itself is kept as extracted.
A damaged, full or read-only database stops the ingest (`db.UnusableDatabase`): every later
document would fail the same way; the documents already stored stay.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from dateutil import parser as dateparser

from ..errors import OnrecordError, StoreError
from ..record import Quote, Record, content_hash
from ..settings import Options
from . import clusters, corrections, fts, linking, speaker_corrections, speakers
from .clusters import Banded
from .db import Database, UnusableDatabase, unusable
from .grouping import group
from .speaker_groups import settle_all
from .speakers import Identity, write_speakers

ADDED, PRESENT, FAILED = "added", "present", "failed"
# What `published` holds in the database (the meta row the corpus checks before date filters are trusted).
DATE_FORMAT = "iso-day"
# Two fallbacks for the parts a date leaves out: a date that comes out different under the two
# lacks its day, month or year ("May 2024", "Tuesday") and is not stored as a day.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))


def iso_day(value: object) -> str | None:
    """`published` as stored: the ISO day (YYYY-MM-DD) a date names, None when it names no one day.

    ISO 8601 first (its date part, as written, time zone aside); then any written date
    python-dateutil reads ("May 5, 2024", "Mon, 06 May 2024 10:00:00 +0000"), unless a part is
    missing or day and month could be swapped ("05/06/2024")."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date().isoformat()
    except ValueError:
        pass
    try:
        days = {dateparser.parse(text, default=d, dayfirst=first).date()
                for d in _DEFAULTS for first in (False, True)}
    except (ValueError, OverflowError):
        return None
    return days.pop().isoformat() if len(days) == 1 else None


def normalise_dates(db: Database) -> None:
    """Rewrite every stored `published` as `iso_day` gives it (a corpus written before dates were
    normalised); in the caller's transaction."""
    rows = db.execute("SELECT id, published FROM documents WHERE published IS NOT NULL").fetchall()
    db.conn.executemany("UPDATE documents SET published = ? WHERE id = ?",
                        [(day, row["id"]) for row in rows if (day := iso_day(row["published"])) != row["published"]])




@dataclass(frozen=True)
class Outcome:
    """What happened to one input: added, already present, or failed (with the reason)."""

    status: str
    name: str  # doc id, or the file for a failure
    reason: str | None = None
    error: OnrecordError | None = None  # a failure's error (a ProcessingError carries its traceback)


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
INSERT INTO quotes (doc, qid, type, start, "end", text, speaker, cue, confidence, fidelity, speaker_same)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
# What the corpus refills from the stored records when it differs (schema 4 added `speaker_same`;
# earlier versions kept fidelity as they did).
VERDICTS = "fidelity-status+speaker-same"


def verdict(quote: Quote) -> tuple[str | None, int | None]:
    """A quote's stored verdict columns: its fidelity status exactly as the record says (`no_source`
    included; NULL only when never checked) and whether the source shows the credited speaker
    saying it (`Fidelity.speaker_match.same`: 1 or 0; NULL when not checked)."""
    if quote.fidelity is None:
        return None, None
    match = quote.fidelity.speaker_match
    return quote.fidelity.status, None if match is None else int(match.same)


def refill_verdicts(db: Database) -> None:
    """Set every quote's verdict columns from its stored record (a corpus written before schema 4,
    or by an onrecord that stored them otherwise); in the caller's transaction."""
    last = 0
    while True:
        docs = db.execute("SELECT id, record FROM documents WHERE id > ? ORDER BY id LIMIT 500", (last,)).fetchall()
        if not docs:
            return
        for doc in docs:
            record = Record.from_dict(json.loads(doc["record"]))
            db.conn.executemany("UPDATE quotes SET fidelity = ?, speaker_same = ? WHERE doc = ? AND qid = ?",
                                [(*verdict(q), doc["id"], q.id) for q in record.quotes])
        last = docs[-1]["id"]
_INSERT_TURN = 'INSERT INTO turns (doc, tid, start, "end", text, speaker, role) VALUES (?, ?, ?, ?, ?, ?, ?)'


def write_record(db: Database, record: Record, bands: dict[str, list[int] | None] | None = None, *,
                 link: bool = True, identities: Sequence[Identity] | None = None) -> bool:
    """Store one record in one transaction; False when a document with the same text is already there.
    `bands`: its quotes' LSH bucket keys when computed already (`clusters.Banded`). `link`: its
    quotes are clustered and its speakers' surname groups settled in the same transaction; else they
    wait for a later `linking.link` and `speakers.settle_speakers`. `identities`: its speakers'
    identities when computed already (`clusters.Banded`)."""
    digest = content_hash(record.text)
    try:
        with db.transaction():
            stored = _stored(db, digest)
            if stored is not None:
                if _update_verdicts(db, stored, record):
                    corrections.lay_document(db, digest)  # a corrected verdict outranks the new check
                return False
            doc = db.insert(_INSERT_DOC, {
                "hash": digest, "doc_id": record.doc_id, "title": record.title, "source": record.source,
                "published": iso_day(record.published), "outlet": record.outlet, "url": record.url,
                "record": json.dumps(record.to_dict(), ensure_ascii=False),
            })
            speaker_rows = write_speakers(db, doc, digest, record.speakers, settle=link, identities=identities)
            new_quotes = []
            for q in record.quotes:
                row = db.insert(_INSERT_QUOTE, (
                    doc, q.id, q.type, q.start, q.end, q.text, speaker_rows.get(q.speaker),
                    q.cue.text if q.cue else None, q.confidence, *verdict(q),
                ))
                fts.add(db, row, q.text, record.speaker(q.speaker))
                new_quotes.append((row, clusters.band_keys(clusters.shingles(q.text)) if bands is None else bands[q.id]))
            db.conn.executemany(_INSERT_TURN, [
                (doc, t.id, t.start, t.end, t.text, speaker_rows.get(t.speaker), t.role) for t in record.turns
            ])
            linking.add_buckets(db, new_quotes)
            if link:
                linking.link(db)
            speaker_corrections.lay(db)  # placing this document's speakers may have moved corrected ones
    except (sqlite3.Error, OSError) as exc:
        stop = unusable(exc, db.path)
        if stop is not None:
            raise stop from None
        if isinstance(exc, OSError):
            raise
        raise StoreError(f"{record.doc_id}: cannot be stored ({exc})") from None
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # a malformed record: it alone is skipped
        raise StoreError(f"{record.doc_id}: cannot be stored ({type(exc).__name__}: {exc})") from None
    return True


# A bulk run links its stored quotes into clusters every this many documents: one regrouping of
# the buckets a batch touches costs about what one document's does, and a reader of the corpus
# during the run sees clusters at most this many documents behind.
LINK_DOCUMENTS = 2000


class BulkWriter:
    """The writer of `ingest --engine ray` and `load`: stores each record without clustering it or
    settling its speakers, and every `LINK_DOCUMENTS` documents and at `finish` links the stored
    quotes (`linking.link`, by `grouper`) and settles the surname groups they touched
    (`speakers.settle_speakers`, by `settler`): on Ray for a Ray run. A run that stops before its
    last pass leaves quotes and groups the corpus settles at its next writable open; the clusters
    and speakers are the same either way."""

    def __init__(self, db: Database, grouper: linking.Grouper | None = None,
                 settler: speakers.SurnameSettler | None = None):
        self.db = db
        self.grouper = grouper or group
        self.settler = settler or settle_all
        self.unlinked = 0

    def write(self, record: Record, bands: dict[str, list[int] | None] | None,
              identities: Sequence[Identity] | None = None) -> bool:
        added = write_record(self.db, record, bands, link=False, identities=identities)
        if added:
            self.unlinked += 1
            if self.unlinked >= LINK_DOCUMENTS:
                self.finish()
        return added

    def finish(self) -> None:
        """Link and settle what was stored since the last pass."""
        try:
            with self.db.transaction():
                linking.link(self.db, self.grouper)
                speakers.settle_speakers(self.db, self.settler)
                speaker_corrections.lay(self.db)  # settling may have moved corrected speakers
        except (sqlite3.Error, OSError) as exc:
            stop = unusable(exc, self.db.path)
            if stop is not None:
                raise stop from None
            raise
        self.unlinked = 0


def ingest_results(db: Database, results: Iterable[Record | Banded | OnrecordError], *,
                   bulk: BulkWriter | None = None) -> Iterator[Outcome]:
    """Write each record as it comes (clustered at once, or by `bulk` in batches: its caller finishes it);
    a failure (bad file, unstorable record) is reported, not fatal, but a damaged, full or read-only
    database raises `UnusableDatabase` at once."""
    for result in results:
        if isinstance(result, OnrecordError):
            yield Outcome(FAILED, getattr(result, "source", None) or "input", str(result), result)
            continue
        record, bands, identities = ((result.record, result.bands, result.identities) if isinstance(result, Banded)
                                     else (result, None, None))
        try:
            added = (write_record(db, record, bands, identities=identities) if bulk is None
                     else bulk.write(record, bands, identities))
        except UnusableDatabase:
            raise
        except StoreError as exc:
            yield Outcome(FAILED, record.source or record.doc_id, str(exc), exc)
        else:
            yield Outcome(ADDED if added else PRESENT, record.doc_id)


def ingest_paths(db: Database, paths: Sequence[str], *, options: Options, jobs: int | None = None,
                 engine: str = "local", address: str | None = None) -> Iterator[Outcome]:
    """Extract the files (directories recursively, JSON lines, HTML) with `jobs` workers of `engine`
    and store them.

    A document whose text is already stored is not stored again, nor extracted: a resumed ingest
    costs only what is missing (the Ray engine's reading tasks look the corpus's hashes up)."""
    from .. import load, pipeline, scale  # the parse is loaded only by commands that extract

    scale.check_engine(engine, address)
    if engine != "local":
        stored = [row["hash"] for row in db.execute("SELECT hash FROM documents")]
        banded = scale.extract_banded(paths, options=options, jobs=jobs, engine=engine, address=address, stored=stored)
        bulk = BulkWriter(db, scale.grouper(engine, address), scale.settler(engine, address))
        for result in banded:
            if isinstance(result, scale.AlreadyStored):
                yield Outcome(PRESENT, result.doc_id)
            elif not isinstance(result, OnrecordError) and _stored(db, content_hash(result.record.text)) is not None:
                yield Outcome(PRESENT, result.record.doc_id)  # a text given twice in this run
            else:
                yield from ingest_results(db, [result], bulk=bulk)
        bulk.finish()
        return
    present: list[str] = []

    def missing() -> Iterator:
        for item in load.iter_paths(list(paths), encoding=options.encoding):
            if not isinstance(item, OnrecordError) and _stored(db, content_hash(item.text)) is not None:
                present.append(item.doc_id)
                continue
            yield item

    for outcome in ingest_results(db, pipeline.extract_documents(missing(), options=options, jobs=jobs or 1)):
        yield from (Outcome(PRESENT, name) for name in present)
        present.clear()
        yield outcome
    yield from (Outcome(PRESENT, name) for name in present)


def _stored(db: Database, digest: str) -> int | None:
    """The row id of the document with this content hash, None when it is not stored."""
    row = db.execute("SELECT id FROM documents WHERE hash = ?", (digest,)).fetchone()
    return None if row is None else row["id"]


def _update_verdicts(db: Database, doc: int, record: Record) -> bool:
    """A stored document added again after `verify` checked it: its quotes keep the new verdicts.
    Only when the quotes are the same (ids and spans) and only the verdicts given: a record added
    again unchecked never erases a verdict. Whether any verdict changed."""
    stored = Record.from_dict(json.loads(db.execute("SELECT record FROM documents WHERE id = ?", (doc,)).fetchone()[0]))
    if [(q.id, q.start, q.end) for q in stored.quotes] != [(q.id, q.start, q.end) for q in record.quotes]:
        return False
    quotes = tuple(old if new.fidelity is None else replace(old, fidelity=new.fidelity)
                   for old, new in zip(stored.quotes, record.quotes, strict=True))
    if quotes == stored.quotes:
        return False
    db.execute("UPDATE documents SET record = ? WHERE id = ?",
               (json.dumps(stored.evolve(quotes=quotes).to_dict(), ensure_ascii=False), doc))
    db.conn.executemany("UPDATE quotes SET fidelity = ?, speaker_same = ? WHERE doc = ? AND qid = ?",
                        [(*verdict(q), doc, q.id) for q in quotes])
    return True
