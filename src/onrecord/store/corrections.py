"""Corrections: what a reviewer changed in the machine's record, kept apart from it.

A correction names one quote of one document (by the document's content hash, so it survives
re-ingest, and by the quote's id, span and text, so a renumbered quote is found again), one
field (`FIELDS`), the old and the new value, when, by whom and why. The stored record and its
rows stay as extracted; corrections are laid over them when read (`apply` for a record,
`correct_hits` for search results, `correct_rows` for the export), the latest one of a field
winning. A correction whose quote is no longer in its document is kept but applies to nothing.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from ..errors import StoreError
from ..record import FIDELITY_STATUSES, Fidelity, Quote, Record, Speaker
from .db import Database

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
_H = TypeVar("_H")
COLUMNS = ("id", "doc_id", "doc_hash", "quote_id", "quote_start", "quote_end", "quote_text", "field",
           "old_value", "new_value", "created", "reviewer", "reason")


@dataclass(frozen=True)
class Correction:
    """One stored correction (see the module docstring); `doc_id` is the document's id when read."""

    id: int
    doc_hash: str
    quote_id: str
    quote_start: int
    quote_end: int
    quote_text: str
    field: str
    old_value: str | None
    new_value: str
    created: str
    reviewer: str
    reason: str | None
    doc_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {c: getattr(self, c) for c in COLUMNS}


_SELECT = """
SELECT c.id, c.doc_hash, c.quote_id, c.quote_start, c.quote_end, c.quote_text, c.field, c.old_value,
       c.new_value, c.created, c.reviewer, c.reason,
       (SELECT d.doc_id FROM documents d WHERE d.hash = c.doc_hash) AS doc_id
FROM corrections c
"""


def _row(row) -> Correction:
    return Correction(*(row[c] for c in ("id", "doc_hash", "quote_id", "quote_start", "quote_end", "quote_text",
                                         "field", "old_value", "new_value", "created", "reviewer", "reason",
                                         "doc_id")))


def for_document(db: Database, doc_hash: str) -> list[Correction]:
    """The corrections of one document, in the order they were made."""
    return [_row(r) for r in db.execute(_SELECT + " WHERE c.doc_hash = ? ORDER BY c.id", (doc_hash,))]


def for_documents(db: Database, hashes: Iterable[str]) -> dict[str, list[Correction]]:
    """The corrections of these documents, by content hash (absent: none)."""
    out: dict[str, list[Correction]] = {}
    rows = db.execute(_SELECT + " WHERE c.doc_hash IN (SELECT value FROM json_each(?)) ORDER BY c.id",
                      (json.dumps(sorted(set(hashes))),))
    for row in rows:
        out.setdefault(row["doc_hash"], []).append(_row(row))
    return out


def every(db: Database) -> Iterator[Correction]:
    """Every correction, in the order they were made (the gold an evaluation reads)."""
    yield from (_row(r) for r in db.execute(_SELECT + " ORDER BY c.id"))


def _text(value: object, what: str, limit: int, *, required: bool = True) -> str | None:
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
    text = _text(value, f"a new {field}", MAX_VALUE_CHARS)
    assert text is not None
    if field == FIDELITY and text not in FIDELITY_STATUSES:
        raise StoreError(f"fidelity {text!r}: choose one of {', '.join(FIDELITY_STATUSES)}")
    return text


def add(db: Database, doc_hash: str, record: Record, quote_id: str, field: str, value: object, *,
        reviewer: object, reason: object = None) -> Correction:
    """Store a correction of quote `quote_id` of `record` (the document stored under `doc_hash`, with
    the corrections so far applied: its value then is the old value); the stored correction."""
    new_value = check_value(field, value)
    who = _text(reviewer, "a reviewer name", MAX_REVIEWER_CHARS)
    why = _text(reason, "a reason", MAX_REASON_CHARS, required=False)
    quote = next((q for q in record.quotes if q.id == quote_id), None)
    if quote is None:
        raise StoreError(f"{record.doc_id}: no quote {quote_id!r}")
    old = _value_of(record, quote, field)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    with db.transaction():
        row = db.insert(
            "INSERT INTO corrections (doc_hash, quote_id, quote_start, quote_end, quote_text, field, old_value,"
            " new_value, created, reviewer, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc_hash, quote.id, quote.start, quote.end, quote.text, field, old, new_value, created, who, why))
    return Correction(row, doc_hash, quote.id, quote.start, quote.end, quote.text, field, old, new_value, created,
                      who or "", why, record.doc_id)


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


@dataclass(frozen=True)
class Override:
    """What the corrections make of one quote row: its speaker's name, verdict, or that it is gone."""

    speaker: str | None = None
    fidelity: str | None = None
    removed: bool = False


def overrides(db: Database, hashes: Iterable[str]) -> dict[tuple[str, str], Override]:
    """(content hash, quote id) -> what the corrections of those documents make of that quote."""
    out: dict[tuple[str, str], Override] = {}
    for doc_hash, found in for_documents(db, hashes).items():
        for c in found:
            key = (doc_hash, c.quote_id)
            old = out.get(key, Override())
            if c.field == SPEAKER:
                out[key] = replace(old, speaker=c.new_value)
            elif c.field == FIDELITY:
                out[key] = replace(old, fidelity=c.new_value)
            else:
                out[key] = replace(old, removed=True)
    return out


def any_stored(db: Database) -> bool:
    """Whether the corpus holds any correction (most hold none: reads then skip the lookup)."""
    return db.execute("SELECT 1 FROM corrections LIMIT 1").fetchone() is not None


def correct_hits(db: Database, hits: list[_H]) -> list[_H]:
    """Search hits (with `doc_hash`, `quote_id`, `speaker`, `speaker_key`, `fidelity`) as corrected: a
    corrected speaker by the name the reviewer gave (no corpus key: it is no corpus speaker's
    decision), the corrected verdict, and no hit for what is no quote."""
    if not hits or not any_stored(db):
        return hits
    table = overrides(db, {h.doc_hash for h in hits})  # type: ignore[attr-defined]
    out = []
    for hit in hits:
        found = table.get((hit.doc_hash, hit.quote_id))  # type: ignore[attr-defined]
        if found is None:
            out.append(hit)
        elif not found.removed:
            changes: dict[str, Any] = {}
            if found.speaker is not None:
                changes.update(speaker=found.speaker, speaker_key=None)
            if found.fidelity is not None:
                changes["fidelity"] = found.fidelity
            out.append(replace(hit, **changes))  # type: ignore[type-var]
    return out


def correct_rows(db: Database, rows: Iterable[dict], *, cleared: Sequence[str] = ()) -> Iterator[dict]:
    """Rows of quotes (dicts with "doc_hash", "quote_id", "speaker", "fidelity") with their corrections:
    a corrected speaker's name (and the `cleared` columns None) and verdict put in, quotes that are
    no quotes left out."""
    if not any_stored(db):
        yield from rows
        return
    table = overrides(db, (h for (h,) in db.execute("SELECT DISTINCT doc_hash FROM corrections")))
    for row in rows:
        found = table.get((row["doc_hash"], row["quote_id"]))
        if found is None:
            yield row
            continue
        if found.removed:
            continue
        out = dict(row)
        if found.speaker is not None:
            out.update({"speaker": found.speaker, **dict.fromkeys(cleared)})
        if found.fidelity is not None:
            out["fidelity"] = found.fidelity
        yield out
