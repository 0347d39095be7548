"""Reviewers' merges and splits of corpus speakers, kept apart from the machine's placement.

A **merge** puts every document speaker of one corpus speaker under another ("Kirby" the
ambiguous surname is John Kirby); a **split** takes one document's speaker off its corpus speaker
and puts it under another, or under a new corpus speaker the reviewer names (two people of one
name). Each is stored in its own table (what, the old and the new corpus speaker, when, by whom,
why), keyed by what outlives re-ingest and the speakers being placed again: corpus speaker keys
(`entities.key`, computed from names), and for a split the document's content hash with the
speaker's id and name in its record.

The machine's placement (store/speakers.py) is recomputed as documents arrive, and may move a
document speaker back; so `lay` runs after every placement (each ingested document, each
correction, the speakers placed again), in order of entry: merges first, each followed through
later merges of its target, then splits, so a split outranks a merge of its speaker's old corpus
speaker. A corpus speaker merged or split into keeps the name it had then (a new one, the name
the reviewer gave). Corrections are few: `lay` costs a few indexed lookups each, and none without any.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from ..errors import NotFoundError, StoreError
from ..identity import name_key
from .corrections import MAX_REASON_CHARS, MAX_REVIEWER_CHARS, MAX_VALUE_CHARS, REVIEWED_SQL, Reviewed, clean_text, reviewed
from .db import Database
from .speakers import ensure_entity, entity_id, profile, reassign

MERGE, SPLIT = "merge", "split"
ACTIONS = (MERGE, SPLIT)
NEW_SPEAKER_PREFIX = "reviewed:"
"""Key of a corpus speaker a split creates under the name the reviewer gave: no name the machine
places ever gets it, so the machine never merges anyone into it."""
COLUMNS = ("id", "action", "doc_id", "doc_hash", "doc_speaker", "doc_speaker_name", "old_value", "old_name",
           "new_value", "new_name", "created", "reviewer", "reason")


@dataclass(frozen=True)
class SpeakerCorrection(Reviewed):
    """One stored merge or split (see the module docstring); `doc_id` is the split document's id."""

    COLUMNS: ClassVar[tuple[str, ...]] = COLUMNS
    id: int
    action: str
    doc_hash: str | None
    doc_speaker: str | None
    doc_speaker_name: str | None
    old_value: str
    old_name: str
    new_value: str
    new_name: str


_SELECT = ("SELECT c.id, c.action, c.doc_hash, c.doc_speaker, c.doc_speaker_name, c.old_value, c.old_name,"
           " c.new_value, c.new_name, " + REVIEWED_SQL + " FROM speaker_corrections c ORDER BY c.id")
_FIELDS = ("id", "action", "doc_hash", "doc_speaker", "doc_speaker_name", "old_value", "old_name", "new_value",
           "new_name")


def every(db: Database) -> Iterator[SpeakerCorrection]:
    """Every merge and split, in the order they were made."""
    yield from (SpeakerCorrection(*(row[c] for c in _FIELDS), **reviewed(row)) for row in db.execute(_SELECT))


def _speaker(db: Database, key: str) -> tuple[int, str]:
    """(row id, name) of the corpus speaker with `key`, or a NotFoundError."""
    row = db.execute("SELECT id, name FROM entities WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise NotFoundError(f"no speaker {key!r} in {db.path}")
    return row[0], row[1]


def merge_target(db: Database, into: str) -> str:
    """The key of the corpus speaker `into` names: a key as given, else the most quoted speaker the
    name can mean (as `onrecord speaker NAME` finds it)."""
    text = clean_text(into, "the speaker to merge into", MAX_VALUE_CHARS)
    assert text is not None
    if entity_id(db, text) is not None:
        return text
    found = profile(db, text, top=1)
    if found is None:
        raise NotFoundError(f"no speaker {text!r} in {db.path}")
    return found.summary.key


def _store(db: Database, action: str, old_key: str, old_name: str, new_key: str, new_name: str, *,
           reviewer: object, reason: object, doc: tuple[str, str, str] | None = None) -> SpeakerCorrection:
    who = clean_text(reviewer, "a reviewer name", MAX_REVIEWER_CHARS)
    why = clean_text(reason, "a reason", MAX_REASON_CHARS, required=False)
    created = datetime.now(UTC).isoformat(timespec="seconds")
    doc_hash, sid, sname = doc or (None, None, None)
    with db.transaction():
        row = db.insert(
            "INSERT INTO speaker_corrections (action, doc_hash, doc_speaker, doc_speaker_name, old_value, old_name,"
            " new_value, new_name, created, reviewer, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (action, doc_hash, sid, sname, old_key, old_name, new_key, new_name, created, who, why))
        lay(db)
    return next(c for c in every(db) if c.id == row)


def add_merge(db: Database, key: str, into: str, *, reviewer: object, reason: object = None) -> SpeakerCorrection:
    """Merge the corpus speaker `key` into the one `into` names (`merge_target`); the stored correction."""
    _, name = _speaker(db, key)
    target = merge_target(db, into)
    if target == key:
        raise StoreError(f"{name} cannot be merged into itself")
    _, target_name = _speaker(db, target)
    return _store(db, MERGE, key, name, target, target_name, reviewer=reviewer, reason=reason)


def add_split(db: Database, key: str, doc_hash: str, doc_speaker: str, *, into: str | None = None,
              new_name: str | None = None, reviewer: object, reason: object = None) -> SpeakerCorrection:
    """Take the document speaker `doc_speaker` (its id in the record of the document `doc_hash`) off
    the corpus speaker `key` and put it under the corpus speaker `into` (a key), or under a new one
    named `new_name`; the stored correction."""
    entity, name = _speaker(db, key)
    row = db.execute("SELECT s.name FROM doc_speakers s JOIN documents d ON d.id = s.doc"
                     " WHERE d.hash = ? AND s.sid = ? AND s.entity = ?", (doc_hash, doc_speaker, entity)).fetchone()
    if row is None:
        raise NotFoundError(f"{name} has no speaker {doc_speaker!r} in document {doc_hash[:12]}")
    if (into is None) == (new_name is None):
        raise StoreError("a split needs either the key of the speaker to move to or a new speaker's name")
    if into is not None:
        target = clean_text(into, "the speaker to move to", MAX_VALUE_CHARS)
        assert target is not None
        _, target_name = _speaker(db, target)
        if target == key:
            raise StoreError(f"the speaker is already {name}'s")
    else:
        target_name = clean_text(new_name, "a new speaker's name", MAX_VALUE_CHARS) or ""
        target = NEW_SPEAKER_PREFIX + name_key(target_name)
        if target == NEW_SPEAKER_PREFIX:
            raise StoreError(f"{new_name!r} is no name")
    return _store(db, SPLIT, key, name, target, target_name, reviewer=reviewer, reason=reason,
                  doc=(doc_hash, doc_speaker, row[0]))


MOVED_NAMES = 50
"""Most names of a corpus speaker that reviewers moved others into that a search by it narrows by:
beyond that the narrowing query would cost what it saves."""


def moved_names(db: Database, entities: list[int]) -> list[str] | None:
    """When reviewers moved document speakers into any of these corpus speakers, every name their
    document speakers now have (a search by speaker narrows by these instead of a surname, which
    the moved ones need not share), or () when they are more than `MOVED_NAMES`; else None."""
    ids = json.dumps(entities)
    if db.execute("SELECT 1 FROM speaker_corrections c JOIN entities e ON e.key = c.new_value"
                  " WHERE e.id IN (SELECT value FROM json_each(?)) LIMIT 1", (ids,)).fetchone() is None:
        return None
    names = [r[0] for r in db.execute("SELECT DISTINCT clean FROM entity_names WHERE entity IN"
                                      " (SELECT value FROM json_each(?)) ORDER BY clean LIMIT ?", (ids, MOVED_NAMES + 1))]
    return names if len(names) <= MOVED_NAMES else []


def _followed(merges: dict[str, str], key: str) -> str:
    """Where `key` ends up after every merge: followed through merges of its target (a cycle, which
    a reviewer cannot make, as a speaker merged away is no longer there to merge into, would stop
    at the last speaker met before it repeats)."""
    seen = {key}
    while key in merges and merges[key] not in seen:
        key = merges[key]
        seen.add(key)
    return key


def lay(db: Database) -> None:
    """Put the document speakers where the merges and splits say (in the caller's transaction);
    see the module docstring for the order."""
    found = list(every(db))
    if not found:
        return
    merges = {c.old_value: c.new_value for c in found if c.action == MERGE}  # a later one of a speaker wins
    for source in merges:
        origin, target = entity_id(db, source), entity_id(db, _followed(merges, source))
        if origin is not None and target is not None and origin != target:
            rows = [r[0] for r in db.execute("SELECT id FROM doc_speakers WHERE entity = ?", (origin,))]
            reassign(db, rows, target)
    for c in found:
        if c.action != SPLIT:
            continue
        row = db.execute(
            "SELECT s.id, s.kind FROM doc_speakers s JOIN documents d ON d.id = s.doc WHERE d.hash = ?"
            " AND (s.sid = ? OR s.name = ?) ORDER BY s.sid = ? DESC, s.name = ? DESC LIMIT 1",
            (c.doc_hash, c.doc_speaker, c.doc_speaker_name, c.doc_speaker, c.doc_speaker_name)).fetchone()
        if row is None:
            continue
        key = _followed(merges, c.new_value)
        if key.startswith(NEW_SPEAKER_PREFIX):
            reassign(db, [row[0]], ensure_entity(db, key, row[1], c.new_name))
        elif (target := entity_id(db, key)) is not None:
            reassign(db, [row[0]], target)
    # The speakers moved to keep the name the reviewer saw (or gave): the names moved with the
    # document speakers would otherwise compete for it (`refresh_entities`).
    names = {c.new_value: c.new_name for c in found}
    db.conn.executemany("UPDATE entities SET name = ? WHERE key = ? AND name != ?",
                        [(name, key, name) for key, name in names.items()])
