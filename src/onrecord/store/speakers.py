"""Corpus speakers: each document's speakers merged into persons and organisations.

Identity is a key computed from the name, never from ingest order, so the same corpus gives
the same speakers whatever order its documents arrive in:

- a person with a first name and a surname is ``person:<first> <surname>`` (titles, honorifics,
  middle initials dropped, a suffix kept (`identity`): "NSC spokesperson John Kirby" is ``person:john kirby``;
  the dropped words become a title);
- a surname alone ("Kirby", "Mr. Kirby") joins the one full-name person with that surname when
  the corpus has exactly one, else it stays ``surname:<surname>``, marked ambiguous; it is
  re-resolved whenever a full-name person with that surname appears;
- organisations and groups are ``<kind>:<name>``: never merged with a person;
- anonymous and unknown speakers, and persons known only by a description ("the
  spokesperson"), stay per document (two "senior officials" are not one).

Names are NFC-normalised before they are parsed or keyed, so a decomposed "é" (NFD) gives the
same speaker as a composed one, in storage and in lookups. Every lookup goes through an index
on the key or the surname, so merging is linear in the corpus.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..errors import ConfigError
from ..identity import key_of, name_key
from ..names import HONORIFICS, fold, parse_person
from ..record import Speaker
from .db import Database

PER_DOCUMENT_KINDS = frozenset({"anonymous", "unknown"})
_THE = re.compile(r"^the\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Identity:
    """Where a document's speaker belongs in the corpus, before surname-only resolution."""

    key: str
    kind: str
    clean: str
    surname: str | None = None  # full-name persons: the surname that lone mentions join on
    lone_surname: str | None = None  # a surname alone: resolved against the corpus
    title: str | None = None  # title words found in front of the name


def identify(speaker: Speaker, doc_hash: str) -> Identity:
    """The corpus identity of one document's speaker (see the module docstring)."""
    speaker = replace(speaker, name=unicodedata.normalize("NFC", speaker.name))
    if speaker.kind in PER_DOCUMENT_KINDS:
        return Identity(f"{speaker.kind}:{doc_hash}:{speaker.id}", speaker.kind, speaker.name)
    if speaker.kind != "person":
        name = _THE.sub("", speaker.name.strip())
        return Identity(f"{speaker.kind}:{name_key(name)}", speaker.kind, name)
    person = parse_person(speaker.name)
    if person is None:  # a description ("the spokesperson"): nothing to merge on
        return Identity(f"description:{doc_hash}:{speaker.id}", "person", speaker.name)
    title = person.prefix if fold(person.prefix) not in HONORIFICS | {""} else None
    key = key_of(person)  # the identity rule's key: a suffix ("Jr.") tells two people apart
    if key.first is None:
        return Identity(f"surname:{key.family}", "person", person.clean, lone_surname=key.family, title=title)
    return Identity(f"person:{key.text}", "person", person.clean, surname=key.family, title=title)


def _ensure_entity(db: Database, key: str, kind: str, name: str, surname: str | None) -> tuple[int, bool]:
    """The entity with `key`, created if missing; True when it was created now."""
    row = db.execute("SELECT id FROM entities WHERE key = ?", (key,)).fetchone()
    if row:
        return row[0], False
    return db.insert("INSERT INTO entities (key, kind, name, surname) VALUES (?, ?, ?, ?)",
                     (key, kind, name, surname)), True


def _surname_target(db: Database, surname: str) -> int:
    """Where a surname alone belongs: the one full-name person with it, else its ambiguous entity."""
    rows = db.execute("SELECT id FROM entities WHERE surname = ? LIMIT 2", (surname,)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    return _ensure_entity(db, f"surname:{surname}", "person", surname, None)[0]


def _reresolve_surname(db: Database, surname: str) -> set[int]:
    """A full-name person with `surname` appeared: move the lone mentions where they now belong."""
    if db.execute("SELECT 1 FROM doc_speakers WHERE lone_surname = ? LIMIT 1", (surname,)).fetchone() is None:
        return set()
    target = _surname_target(db, surname)
    moved = {
        row[0]
        for row in db.execute(
            "SELECT DISTINCT entity FROM doc_speakers WHERE lone_surname = ? AND entity != ?", (surname, target)
        )
    }
    if moved:
        db.execute(
            "UPDATE doc_speakers SET entity = ? WHERE lone_surname = ? AND entity != ?", (target, surname, target)
        )
        _recount_names(db, moved | {target})
    return moved | {target}


def _recount_names(db: Database, entities: set[int]) -> None:
    """Rebuild the name counts of entities whose evidence moved (rare: a new full name met lone surnames)."""
    ids = json.dumps(sorted(entities))
    db.execute("DELETE FROM entity_names WHERE entity IN (SELECT value FROM json_each(?))", (ids,))
    db.execute(
        "INSERT INTO entity_names (entity, clean, lone, n) SELECT entity, clean, max(lone_surname IS NOT NULL),"
        " count(*) FROM doc_speakers WHERE entity IN (SELECT value FROM json_each(?)) GROUP BY entity, clean",
        (ids,),
    )


def write_speakers(db: Database, doc: int, doc_hash: str, speakers: Iterable[Speaker]) -> dict[str | None, int]:
    """Store one document's speakers (inside the caller's transaction); their row ids by speaker id."""
    rows: dict[str | None, int] = {}
    touched: set[int] = set()
    for speaker in speakers:
        ident = identify(speaker, doc_hash)
        if ident.lone_surname is not None:
            entity = _surname_target(db, ident.lone_surname)
        else:
            entity, created = _ensure_entity(db, ident.key, ident.kind, ident.clean, ident.surname)
            if created and ident.surname is not None:
                touched |= _reresolve_surname(db, ident.surname)
        speaker_row = db.insert(
            "INSERT INTO doc_speakers (doc, sid, name, clean, kind, lone_surname, mentions, entity)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (doc, speaker.id, speaker.name, ident.clean, speaker.kind, ident.lone_surname,
             json.dumps(sorted({m.text for m in speaker.mentions}), ensure_ascii=False), entity),
        )
        rows[speaker.id] = speaker_row
        db.execute(
            "INSERT INTO entity_names (entity, clean, lone, n) VALUES (?, ?, ?, 1)"
            " ON CONFLICT (entity, clean) DO UPDATE SET n = n + 1",
            (entity, ident.clean, ident.lone_surname is not None),
        )
        titles = dict.fromkeys(t.strip() for t in (*speaker.titles, ident.title or "") if t.strip())
        db.conn.executemany(
            "INSERT INTO speaker_titles (speaker, title) VALUES (?, ?)", [(speaker_row, t) for t in titles]
        )
        touched.add(entity)
    refresh_entities(db, touched)
    return rows


def refresh_entities(db: Database, entities: Iterable[int]) -> None:
    """Display name: the full name given most often (then the longest); drop entities left without evidence.

    Reads the per-name counts, never all of an entity's mentions, so a much-quoted speaker costs
    each new document the same as a rare one."""
    for entity in entities:
        best = db.execute(
            "SELECT clean FROM entity_names WHERE entity = ? ORDER BY lone, n DESC, length(clean) DESC, clean LIMIT 1",
            (entity,),
        ).fetchone()
        if best is None:
            db.execute("DELETE FROM entities WHERE id = ?", (entity,))
        else:
            db.execute("UPDATE entities SET name = ? WHERE id = ? AND name != ?", (best[0], entity, best[0]))


@dataclass(frozen=True)
class SpeakerMatch:
    """The entities a user means by a name, and words every name of theirs contains (None if unknown)."""

    ids: list[int]
    words: str | None


def find_entities(db: Database, name: str) -> SpeakerMatch:
    """Entities a user means by `name`: a full name, a surname (every person bearing it), or a name's part."""
    if not name.strip():
        raise ConfigError("--speaker: give a name (an empty one would match every speaker)")
    name = unicodedata.normalize("NFC", name)
    person = parse_person(name)
    plain = fold(_THE.sub("", name.strip()))
    keys = [f"organization:{plain}", f"group:{plain}"]
    ids: set[int] = set()
    if person is not None and person.first is not None:
        keys.append(f"person:{key_of(person).text}")
    elif person is not None:
        keys.append(f"surname:{key_of(person).family}")
        ids |= {r[0] for r in db.execute("SELECT id FROM entities WHERE surname = ?", (key_of(person).family,))}
    ids |= {r[0] for r in db.execute("SELECT id FROM entities WHERE key IN (SELECT value FROM json_each(?))",
                                     (json.dumps(keys),))}
    if ids:  # matched on keys: each speaker's name holds the surname (a person) or the whole name
        return SpeakerMatch(sorted(ids), person.surname if person is not None else plain)
    pattern = "%" + name.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ids = {r[0] for r in db.execute(
        "SELECT id FROM entities WHERE name LIKE ? ESCAPE '\\' AND key NOT LIKE 'anonymous:%'"
        " AND key NOT LIKE 'unknown:%' AND key NOT LIKE 'description:%' LIMIT 100", (pattern,))}
    return SpeakerMatch(sorted(ids), None)


@dataclass(frozen=True)
class SpeakerSummary:
    """A corpus speaker in the `speakers` list."""

    id: int
    name: str
    kind: str
    key: str
    quotes: int
    documents: int

    @property
    def ambiguous(self) -> bool:
        """A surname alone that more than one (or no) full-name person in the corpus carries."""
        return self.key.startswith("surname:")

    def to_dict(self) -> dict:
        return {**self.__dict__, "ambiguous": self.ambiguous}


_SUMMARY = """
SELECT e.id, e.name, e.kind, e.key,
       (SELECT count(*) FROM quotes q JOIN doc_speakers s ON q.speaker = s.id WHERE s.entity = e.id) AS quotes,
       (SELECT count(DISTINCT s.doc) FROM doc_speakers s WHERE s.entity = e.id) AS documents
FROM entities e
"""
_TOP = _SUMMARY + """
WHERE e.key NOT LIKE 'anonymous:%' AND e.key NOT LIKE 'unknown:%' AND e.key NOT LIKE 'description:%'
ORDER BY quotes DESC, documents DESC, e.name, e.key LIMIT ?
"""
_BY_IDS = _SUMMARY + "WHERE e.id IN (SELECT value FROM json_each(?))"


def top_speakers(db: Database, top: int = 20) -> list[SpeakerSummary]:
    """Named corpus speakers, most quoted first (anonymous sources and bare descriptions left out)."""
    return [SpeakerSummary(*row) for row in db.execute(_TOP, (max(1, int(top)),))]


@dataclass(frozen=True)
class TitleSpan:
    """A role a speaker was given, with the dates of the first and last documents that gave it."""

    title: str
    first: str | None
    last: str | None
    doc_ids: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"title": self.title, "first": self.first, "last": self.last, "doc_ids": list(self.doc_ids)}


@dataclass(frozen=True)
class Evidence:
    """One document's speaker that was merged into the corpus speaker: why they are one."""

    doc_id: str
    published: str | None
    name: str
    mentions: tuple[str, ...]

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "published": self.published, "name": self.name, "mentions": list(self.mentions)}


@dataclass(frozen=True)
class SpeakerProfile:
    summary: SpeakerSummary
    titles: tuple[TitleSpan, ...]
    evidence: tuple[Evidence, ...]
    top_clusters: tuple[int, ...]  # cluster ids of the speaker's most reprinted quotes
    others: tuple[SpeakerSummary, ...]  # other speakers the name could mean


_TITLES = """
SELECT t.title, min(d.published) AS first, max(d.published) AS last, json_group_array(DISTINCT d.doc_id) AS docs
FROM speaker_titles t JOIN doc_speakers s ON s.id = t.speaker JOIN documents d ON d.id = s.doc
WHERE s.entity = ? GROUP BY t.title ORDER BY first IS NULL, first, t.title
"""
_EVIDENCE = """
SELECT d.doc_id, d.published, s.name, s.mentions FROM doc_speakers s JOIN documents d ON d.id = s.doc
WHERE s.entity = ? ORDER BY d.published IS NULL, d.published, d.id
"""
_TOP_CLUSTERS = """
SELECT q.cluster FROM quotes q JOIN doc_speakers s ON s.id = q.speaker WHERE s.entity = ?
GROUP BY q.cluster ORDER BY (SELECT count(*) FROM quotes c WHERE c.cluster = q.cluster) DESC, q.cluster LIMIT ?
"""


def profile(db: Database, name: str, *, top: int = 5) -> SpeakerProfile | None:
    """The most quoted speaker `name` can mean: titles over time, evidence, most reprinted quotes."""
    ids = find_entities(db, name).ids
    if not ids:
        return None
    found = sorted((SpeakerSummary(*row) for row in db.execute(_BY_IDS, (json.dumps(ids),))),
                   key=lambda s: (-s.quotes, -s.documents, s.name, s.key))
    best = found[0]
    titles = tuple(TitleSpan(r["title"], r["first"], r["last"], tuple(sorted(json.loads(r["docs"]))))
                   for r in db.execute(_TITLES, (best.id,)))
    evidence = tuple(Evidence(r["doc_id"], r["published"], r["name"], tuple(json.loads(r["mentions"])))
                     for r in db.execute(_EVIDENCE, (best.id,)))
    top_clusters = tuple(r[0] for r in db.execute(_TOP_CLUSTERS, (best.id, max(1, int(top)))))
    return SpeakerProfile(best, titles, evidence, top_clusters, tuple(found[1:]))
