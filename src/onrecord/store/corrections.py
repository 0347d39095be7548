"""Corrections: what a reviewer changed in the machine's record, kept apart from it.

A correction names one quote of one document (by the document's content hash, so it survives
re-ingest, and by the quote's id, span and text, so a renumbered quote is found again), one
field (`FIELDS`), the old and the new value, when, by whom and why. The stored record stays as
extracted; `apply` lays the corrections over it when it is read, the latest one of a field winning.
The corpus's index rows of the quote (its speaker, verdict, search row) are kept as corrected
(`lay_document`), so that every count, list and search filter agrees with the record: laid when
the correction is made, and again whenever the corpus recomputes those rows from the records
(re-ingest of a verified record, speakers placed again, verdicts refilled). A correction whose
quote is no longer in its document is kept but applies to nothing.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, ClassVar

from ..errors import StoreError
from ..record import FIDELITY_STATUSES, Fidelity, Quote, Record, Speaker
from . import fts
from .db import Database
from .speakers import write_speakers

SPEAKER, FIDELITY, NOT_QUOTE = "speaker", "fidelity", "not_quote"
FIELDS = (SPEAKER, FIDELITY, NOT_QUOTE)
"""What a correction may change: the quote's speaker (a speaker of the document, by id or name,
or a new name), its fidelity verdict, or that it is no quote at all (new value "true")."""
# Bounds on what a reviewer types: a name, a reviewer's name, a reason; longer is a mistake or abuse.
MAX_VALUE_CHARS = 200
MAX_REVIEWER_CHARS = 100
MAX_REASON_CHARS = 2_000
CORRECTED_SPEAKER_PREFIX = "corrected-"
"""Id of a speaker a correction names that the document does not know (ids of the record are s0, s1, …)."""
COLUMNS = ("id", "doc_id", "doc_hash", "quote_id", "quote_start", "quote_end", "quote_text", "field",
           "old_value", "new_value", "created", "reviewer", "reason")


@dataclass(frozen=True, kw_only=True)
class Reviewed:
    """What every stored correction says besides what it changed: when (ISO 8601, UTC), by which
    reviewer, why; `doc_id` is its document's id when read (None: none, or no longer stored)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()
    created: str
    reviewer: str
    reason: str | None
    doc_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in self.COLUMNS}


REVIEWED_SQL = "c.created, c.reviewer, c.reason, (SELECT d.doc_id FROM documents d WHERE d.hash = c.doc_hash) AS doc_id"
"""The `Reviewed` columns of a correction table `c` with a `doc_hash` column, as SQL selects them."""


def reviewed(row) -> dict[str, Any]:
    """The `Reviewed` fields of a row selected with `REVIEWED_SQL`, as keywords."""
    return {k: row[k] for k in ("created", "reviewer", "reason", "doc_id")}


@dataclass(frozen=True)
class Correction(Reviewed):
    """One stored correction of a quote (see the module docstring)."""

    COLUMNS: ClassVar[tuple[str, ...]] = COLUMNS
    id: int
    doc_hash: str
    quote_id: str
    quote_start: int
    quote_end: int
    quote_text: str
    field: str
    old_value: str | None
    new_value: str


_SELECT = ("SELECT c.id, c.doc_hash, c.quote_id, c.quote_start, c.quote_end, c.quote_text, c.field, c.old_value,"
           " c.new_value, " + REVIEWED_SQL + " FROM corrections c")


def _row(row) -> Correction:
    return Correction(*(row[c] for c in ("id", "doc_hash", "quote_id", "quote_start", "quote_end", "quote_text",
                                         "field", "old_value", "new_value")), **reviewed(row))


def for_document(db: Database, doc_hash: str) -> list[Correction]:
    """The corrections of one document, in the order they were made."""
    return [_row(r) for r in db.execute(_SELECT + " WHERE c.doc_hash = ? ORDER BY c.id", (doc_hash,))]


def every(db: Database) -> Iterator[Correction]:
    """Every correction, in the order they were made (the gold an evaluation reads)."""
    yield from (_row(r) for r in db.execute(_SELECT + " ORDER BY c.id"))


def clean_text(value: object, what: str, limit: int, *, required: bool = True) -> str | None:
    """What a reviewer typed, whitespace collapsed; a StoreError when it is missing (`required`) or over `limit`."""
    text = "" if value is None else " ".join(str(value).split())
    if not text:
        if required:
            raise StoreError(f"a correction needs {what}")
        return None
    if len(text) > limit:
        raise StoreError(f"{what} is longer than {limit} characters")
    return text


def check_value(field: str, value: object) -> str:
    """The new value of `field` as stored, or a StoreError saying what a value must be."""
    if field not in FIELDS:
        raise StoreError(f"cannot correct {field!r}: choose one of {', '.join(FIELDS)}")
    if field == NOT_QUOTE:
        return "true"
    text = clean_text(value, f"a new {field}", MAX_VALUE_CHARS)
    assert text is not None
    if field == FIDELITY and text not in FIDELITY_STATUSES:
        raise StoreError(f"fidelity {text!r}: choose one of {', '.join(FIDELITY_STATUSES)}")
    return text


def add(db: Database, doc_hash: str, record: Record, quote_id: str, field: str, value: object, *,
        reviewer: object, reason: object = None) -> Correction:
    """Store a correction of quote `quote_id` of `record` (the document stored under `doc_hash`, with
    the corrections so far applied: its value then is the old value); the stored correction."""
    new_value = check_value(field, value)
    who = clean_text(reviewer, "a reviewer name", MAX_REVIEWER_CHARS)
    why = clean_text(reason, "a reason", MAX_REASON_CHARS, required=False)
    quote = next((q for q in record.quotes if q.id == quote_id), None)
    if quote is None:
        raise StoreError(f"{record.doc_id}: no quote {quote_id!r}")
    old = _value_of(record, quote, field)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    made = Correction(0, doc_hash, quote.id, quote.start, quote.end, quote.text, field, old, new_value,
                      created=created, reviewer=who or "", reason=why, doc_id=record.doc_id)
    with db.transaction():
        row = db.insert(
            "INSERT INTO corrections (doc_hash, quote_id, quote_start, quote_end, quote_text, field, old_value,"
            " new_value, created, reviewer, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_hash, quote.id, quote.start, quote.end, quote.text, field, old, new_value, created, who, why))
        _reindex(db, doc_hash, record, apply(record, [made]), quote)
        lay_document(db, doc_hash)
    return replace(made, id=row)


def _reindex(db: Database, doc_hash: str, before: Record, after: Record, quote: Quote) -> None:
    """Bring the quote's search row from `before` to `after` (the record as corrected without and
    with the new correction): the new speaker's names, or no row for what is no quote."""
    row = db.execute("SELECT q.id FROM quotes q JOIN documents d ON d.id = q.doc WHERE d.hash = ? AND q.qid = ?",
                     (doc_hash, quote.id)).fetchone()
    if row is None:
        return
    now = next((q for q in after.quotes if q.id == quote.id), None)
    was, will = before.speaker(quote.speaker), None if now is None else after.speaker(now.speaker)
    if now is None or fts.row_values(quote.text, was) != fts.row_values(quote.text, will):
        fts.remove(db, row[0], quote.text, was)
        if now is not None:
            fts.add(db, row[0], quote.text, will)


def _value_of(record: Record, quote: Quote, field: str) -> str | None:
    if field == SPEAKER:
        speaker = record.speaker(quote.speaker)
        return speaker.name if speaker else None
    if field == FIDELITY:
        return quote.fidelity.status if quote.fidelity else None
    return "false"


def _find(quotes: Sequence[Quote], c: Correction) -> int | None:
    """Index of the quote `c` corrects: the same id and words, else the same span and words."""
    for i, q in enumerate(quotes):
        if q.id == c.quote_id and q.text == c.quote_text:
            return i
    for i, q in enumerate(quotes):
        if (q.start, q.end, q.text) == (c.quote_start, c.quote_end, c.quote_text):
            return i
    return None


def _speaker_for(speakers: list[Speaker], name: str) -> str:
    """The id of the document's speaker `name` names (its id or its name, any case), else of a new
    speaker added to `speakers` under that name."""
    for s in speakers:
        if name in (s.id, s.name) or s.name.casefold() == name.casefold():
            return s.id
    new = Speaker(f"{CORRECTED_SPEAKER_PREFIX}{sum(s.id.startswith(CORRECTED_SPEAKER_PREFIX) for s in speakers) + 1}",
                  name, "person")
    speakers.append(new)
    return new.id


def apply(record: Record, corrections: Sequence[Correction]) -> Record:
    """The record as corrected: each correction laid over the machine's output, in order. The
    applied corrections are listed in `meta["corrections"]`; without any the record is returned as is."""
    if not corrections:
        return record
    quotes: list[Quote | None] = list(record.quotes)
    speakers = list(record.speakers)
    applied = []
    for c in corrections:
        i = _find(record.quotes, c)  # `quotes` stays parallel to `record.quotes`
        if i is None or quotes[i] is None:
            continue
        q = quotes[i]
        assert q is not None
        if c.field == SPEAKER:
            quotes[i] = replace(q, speaker=_speaker_for(speakers, c.new_value))
        elif c.field == FIDELITY:
            quotes[i] = replace(q, fidelity=replace(q.fidelity, status=c.new_value) if q.fidelity
                                else Fidelity(c.new_value))
        elif c.field == NOT_QUOTE:
            quotes[i] = None
        applied.append(c.to_dict())
    meta = {**record.meta, "corrections": applied}
    return record.evolve(quotes=tuple(q for q in quotes if q is not None), speakers=tuple(speakers), meta=meta)


def lay_document(db: Database, doc_hash: str) -> None:
    """Make the corpus rows of one document's quotes say what its corrections say (in the caller's
    transaction): the corrected speaker (a name the document does not know becomes a speaker of
    it, placed in the corpus by the identity rules like any other), the corrected verdict, and no
    row for what is no quote. Idempotent; the search rows are `add`'s (`_reindex`)."""
    found = for_document(db, doc_hash)
    if not found:
        return
    row = db.execute("SELECT id, record FROM documents WHERE hash = ?", (doc_hash,)).fetchone()
    if row is None:
        return
    doc, machine = row[0], Record.from_dict(json.loads(row[1]))
    corrected = apply(machine, found)
    rows: dict[str | None, int] = {r[0]: r[1] for r in db.execute("SELECT sid, id FROM doc_speakers WHERE doc = ?",
                                                                  (doc,))}
    new = [s for s in corrected.speakers if s.id not in rows]
    if new:
        rows.update(write_speakers(db, doc, doc_hash, new))
    touched = {machine.quotes[i].id for c in found if (i := _find(machine.quotes, c)) is not None}
    kept = {q.id: q for q in corrected.quotes}
    db.conn.executemany("UPDATE quotes SET speaker = ?, fidelity = ? WHERE doc = ? AND qid = ?", [
        (rows.get(q.speaker), q.fidelity.status if q.fidelity else None, doc, q.id)
        for q in corrected.quotes if q.id in touched])
    gone = json.dumps(sorted(q.id for q in machine.quotes if q.id in touched and q.id not in kept))
    db.execute("DELETE FROM quote_buckets WHERE quote IN (SELECT id FROM quotes WHERE doc = ? AND qid IN"
               " (SELECT value FROM json_each(?)))", (doc, gone))
    db.execute("DELETE FROM quotes WHERE doc = ? AND qid IN (SELECT value FROM json_each(?))", (doc, gone))


def lay_all(db: Database) -> None:
    """`lay_document` for every corrected document (after the corpus recomputed rows from the records)."""
    for (doc_hash,) in db.execute("SELECT DISTINCT doc_hash FROM corrections ORDER BY doc_hash").fetchall():
        lay_document(db, doc_hash)


def lay_upgrade(db: Database) -> None:
    """A corpus written before corrections were laid into its rows (schema 7): lay them, bringing
    each corrected quote's search row from the machine's speaker to the corrected one."""
    for (doc_hash,) in db.execute("SELECT DISTINCT doc_hash FROM corrections ORDER BY doc_hash").fetchall():
        row = db.execute("SELECT record FROM documents WHERE hash = ?", (doc_hash,)).fetchone()
        if row is None:
            continue
        machine = Record.from_dict(json.loads(row[0]))
        corrected = apply(machine, for_document(db, doc_hash))
        for quote in machine.quotes:
            _reindex(db, doc_hash, machine, corrected, quote)
        lay_document(db, doc_hash)
