"""The corpus database: one SQLite file, its schema, its version and its migrations.

All SQL of onrecord lives in this package. Values are always bound (``?`` or ``:name``);
the only names put into SQL text are table names from the constants below, through
`quote_identifier`. The schema version is ``PRAGMA user_version``: an older file is migrated
step by step when opened for writing (inside the write lock, so two processes opening a new file
at once cannot both migrate it), a newer one is refused, so an old onrecord never writes over
data it does not understand. A migration changes the schema only; what must be recomputed after
one (clusters, normalised dates) is run by the corpus, keyed by the rows of the `meta` table.
Opened read-only, a file is never created, migrated or converted.

SQLite's own failures are told apart (`unusable`): a damaged file and a full or read-only disk
stop the work with a `StoreError` saying what to do, instead of one traceback per document.
"""
from __future__ import annotations

import errno
import shlex
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError

DOCUMENTS = "documents"
SPEAKERS = "doc_speakers"
NAMES = "entity_names"
TITLES = "speaker_titles"
ENTITIES = "entities"
QUOTES = "quotes"
TURNS = "turns"
QUOTE_FTS = "quote_fts"
BUCKETS = "quote_buckets"
META = "meta"
CORRECTIONS = "corrections"
SPEAKER_CORRECTIONS = "speaker_corrections"
NAME_CLASSES = "name_classes"
UNSETTLED = "unsettled_families"
TABLES = (DOCUMENTS, SPEAKERS, NAMES, TITLES, ENTITIES, QUOTES, TURNS, QUOTE_FTS, BUCKETS, META, CORRECTIONS,
          SPEAKER_CORRECTIONS, NAME_CLASSES, UNSETTLED)

_CORE = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,            -- ingest order
    hash TEXT NOT NULL UNIQUE,         -- sha256 of the text: the document's identity
    doc_id TEXT NOT NULL,
    title TEXT, source TEXT, published TEXT, outlet TEXT, url TEXT,
    record TEXT NOT NULL               -- the onrecord/1 record as JSON, for `show`
);
CREATE INDEX documents_doc_id ON documents(doc_id);
CREATE INDEX documents_published ON documents(published);
CREATE INDEX documents_outlet ON documents(outlet COLLATE NOCASE);

CREATE TABLE entities (                -- corpus speakers: persons and organisations
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,          -- order-independent identity, e.g. 'person:john kirby'
    kind TEXT NOT NULL,
    name TEXT NOT NULL,                -- display name, recomputed from the evidence
    surname TEXT                       -- full-name persons only: what surname-only mentions join on
);
CREATE INDEX entities_surname ON entities(surname) WHERE surname IS NOT NULL;
CREATE INDEX entities_name ON entities(name COLLATE NOCASE);

CREATE TABLE doc_speakers (            -- one document's speaker, the evidence for its entity
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    sid TEXT NOT NULL,
    name TEXT NOT NULL,                -- as the record gives it
    clean TEXT NOT NULL,               -- the name without titles and honorifics
    kind TEXT NOT NULL,
    lone_surname TEXT,                 -- set when the name is a surname alone: resolved later
    mentions TEXT NOT NULL,            -- JSON list of mention texts
    entity INTEGER NOT NULL REFERENCES entities(id)
);
CREATE INDEX doc_speakers_doc ON doc_speakers(doc);
CREATE INDEX doc_speakers_entity ON doc_speakers(entity);
CREATE INDEX doc_speakers_lone ON doc_speakers(lone_surname) WHERE lone_surname IS NOT NULL;

CREATE TABLE entity_names (            -- how often each clean name was given to an entity: picks its display name
    entity INTEGER NOT NULL REFERENCES entities(id),
    clean TEXT NOT NULL,
    lone INTEGER NOT NULL,             -- 1: a surname alone, named after any full name
    n INTEGER NOT NULL,
    PRIMARY KEY (entity, clean)
) WITHOUT ROWID;

CREATE TABLE speaker_titles (
    speaker INTEGER NOT NULL REFERENCES doc_speakers(id),
    title TEXT NOT NULL
);
CREATE INDEX speaker_titles_speaker ON speaker_titles(speaker);

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    qid TEXT NOT NULL,
    type TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker INTEGER REFERENCES doc_speakers(id),
    cue TEXT,
    confidence REAL,
    fidelity TEXT,
    cluster INTEGER                    -- id of the cluster's first quote; set by clustering
);
CREATE INDEX quotes_doc ON quotes(doc);
CREATE INDEX quotes_speaker ON quotes(speaker);

CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(id),
    tid TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker INTEGER REFERENCES doc_speakers(id),
    role TEXT
);
CREATE INDEX turns_doc ON turns(doc);

CREATE VIRTUAL TABLE quote_fts USING fts5(
    text, speaker, content='', tokenize='unicode61 remove_diacritics 2'
);
"""

_CLUSTERS = """
CREATE TABLE quote_buckets (           -- MinHash LSH bands: candidates are quotes sharing a bucket
    bucket INTEGER NOT NULL,
    quote INTEGER NOT NULL,
    PRIMARY KEY (bucket, quote)
) WITHOUT ROWID;
CREATE INDEX quotes_cluster ON quotes(cluster);
"""


def _run_script(db: Database, script: str) -> None:
    """Run a constant DDL script statement by statement (executescript would COMMIT mid-migration)."""
    for statement in script.split(";\n"):
        if statement.strip():
            db.conn.execute(statement)


_META = """
CREATE TABLE meta (                    -- how derived data was computed: the corpus recomputes what differs
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"""


def _v1(db: Database) -> None:
    _run_script(db, _CORE)


def _v2(db: Database) -> None:
    """Quote-variant clustering arrived in schema 2 (the corpus clusters the stored quotes after)."""
    _run_script(db, _CLUSTERS)


def _v3(db: Database) -> None:
    """Schema 3 records how clusters and dates were computed, so the corpus knows what to redo."""
    _run_script(db, _META)


_V4 = """
ALTER TABLE doc_speakers ADD COLUMN gender TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE quotes ADD COLUMN speaker_same INTEGER;
CREATE INDEX quotes_confidence ON quotes(confidence)
"""


def _v4(db: Database) -> None:
    """Schema 4: a speaker's gender as the text gives it ("female" | "male" | "unknown"); whether a
    quote's source shows its words said by the speaker the article credits (1, 0, NULL: not
    checked, from `Fidelity.speaker_match`); confidence indexed for `--min-confidence`.
    The corpus refills `speaker_same` and `fidelity` from the stored records after this step."""
    _run_script(db, _V4)


_V5 = """
ALTER TABLE doc_speakers ADD COLUMN role TEXT;
ALTER TABLE doc_speakers ADD COLUMN resolved TEXT;
ALTER TABLE speaker_titles ADD COLUMN role TEXT;
CREATE INDEX doc_speakers_role ON doc_speakers(role) WHERE role IS NOT NULL;
CREATE INDEX speaker_titles_role ON speaker_titles(role) WHERE role IS NOT NULL
"""


def _v5(db: Database) -> None:
    """Schema 5 (store/speakers.py): a role-only speaker's role ("nsc spokesperson"), how a
    speaker was resolved to a person (JSON evidence), and each title's role key, indexed: the
    title timeline that resolves role-only speakers."""
    _run_script(db, _V5)


def _v6(db: Database) -> None:
    """Schema 6 (store/speakers.py): one-word organisations that may be a person's surname mistyped
    ("Trump" typed an organisation), indexed apart from surnames alone, so that counting them reads
    only them."""
    db.conn.execute("CREATE INDEX doc_speakers_typed ON doc_speakers(lone_surname)"
                    " WHERE lone_surname IS NOT NULL AND kind != 'person'")


_V7 = """
CREATE TABLE corrections (             -- a reviewer's corrections, applied on top of the machine's record
    id INTEGER PRIMARY KEY,            -- order of entry: a later correction of the same field wins
    doc_hash TEXT NOT NULL,            -- the document's content hash, not its row: kept across re-ingest
    quote_id TEXT NOT NULL,
    quote_start INTEGER NOT NULL, quote_end INTEGER NOT NULL,
    quote_text TEXT NOT NULL,          -- with the span: finds the quote again if a new extraction renumbers it
    field TEXT NOT NULL,               -- "speaker" | "fidelity" | "not_quote"
    old_value TEXT,
    new_value TEXT NOT NULL,
    created TEXT NOT NULL,             -- ISO 8601, UTC
    reviewer TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX corrections_doc ON corrections(doc_hash)
"""


def _v7(db: Database) -> None:
    """Schema 7 (store/corrections.py): reviewers' corrections of a quote's speaker or verdict, or
    that it is no quote; in a table of their own, so the machine's rows stay as extracted and the
    corrections outlive re-ingest and re-clustering."""
    _run_script(db, _V7)


_V8 = """
CREATE TABLE speaker_corrections (     -- a reviewer's merges and splits of corpus speakers
    id INTEGER PRIMARY KEY,            -- order of entry: laid in this order, a later one winning
    action TEXT NOT NULL,              -- "merge" (a corpus speaker into another) | "split" (a document's speaker off)
    doc_hash TEXT,                     -- split: the document (its content hash) whose speaker is split off,
    doc_speaker TEXT,                  --   that speaker's id in the document's record,
    doc_speaker_name TEXT,             --   and its name (finds it again if a new extraction renumbers it)
    old_value TEXT NOT NULL,           -- the corpus speaker key it was under
    old_name TEXT NOT NULL,
    new_value TEXT NOT NULL,           -- the corpus speaker key it goes to
    new_name TEXT NOT NULL,            -- that speaker's name (a new speaker's, as the reviewer typed it)
    created TEXT NOT NULL,             -- ISO 8601, UTC
    reviewer TEXT NOT NULL,
    reason TEXT
);
CREATE INDEX speaker_corrections_doc ON speaker_corrections(doc_hash) WHERE doc_hash IS NOT NULL
"""


def _v8(db: Database) -> None:
    """Schema 8 (store/corrections.py): reviewers' merges of two corpus speakers and splits of a
    document's speaker off its corpus speaker, keyed by speaker keys and content hashes, so they
    outlive re-ingest and the speakers being placed again."""
    _run_script(db, _V8)


def _v9(db: Database) -> None:
    """Schema 9 (store/linking.py): a quote's buckets looked up by quote, so that linking reads the
    buckets a new document touches through an index. The corpus re-clusters after it (the
    clustering's recorded parameters changed with it: every member is kept in its buckets)."""
    db.conn.execute("CREATE INDEX IF NOT EXISTS quote_buckets_quote ON quote_buckets(quote)")


_V10 = """
CREATE TABLE IF NOT EXISTS name_classes (  -- surname groups (store/speaker_groups.py): each name's count, placement
    family TEXT NOT NULL,              -- the surname with any suffix ("trump", "trump jr")
    form TEXT NOT NULL,                -- "full" | "run" | "lone" | "typed"
    key TEXT NOT NULL,                 -- the identity key of the name ("person:john smith", "surname:smith")
    gender TEXT NOT NULL,              -- a surname alone: the gender its text gives; else "unknown"
    n INTEGER NOT NULL,                -- document speakers carrying it
    placed TEXT,                       -- the corpus speaker key it was last settled to; NULL: never yet
    PRIMARY KEY (family, form, key, gender)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS unsettled_families (      -- groups a new document touched and no settling has seen yet
    family TEXT PRIMARY KEY
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_speakers_family ON doc_speakers(family, form, ident_key) WHERE family IS NOT NULL
"""


def _v10(db: Database) -> None:
    """Schema 10 (store/speaker_groups.py): document speakers by surname group and name, counted per
    name, so that a group is settled from its names alone. The corpus places its speakers again
    after it (the identity rule's version changed with it). Safe to run again (a version number set back)."""
    have = {row[1] for row in db.conn.execute("PRAGMA table_info(doc_speakers)")}
    for column in ("family", "form", "ident_key"):
        if column not in have:  # constant names: no value to bind in DDL
            db.conn.execute(f"ALTER TABLE doc_speakers ADD COLUMN {column} TEXT")
    _run_script(db, _V10)


# MIGRATIONS[n] takes a database at version n to n + 1, inside one transaction, and records
# the new version (PRAGMA takes no bound values, hence one constant statement per step).
# Schema only: a step must never depend on code that may change later (clustering, parsing).
MIGRATIONS: tuple[tuple[Callable[[Database], None], str], ...] = (
    (_v1, "PRAGMA user_version = 1"),
    (_v2, "PRAGMA user_version = 2"),
    (_v3, "PRAGMA user_version = 3"),
    (_v4, "PRAGMA user_version = 4"),
    (_v5, "PRAGMA user_version = 5"),
    (_v6, "PRAGMA user_version = 6"),
    (_v7, "PRAGMA user_version = 7"),
    (_v8, "PRAGMA user_version = 8"),
    (_v9, "PRAGMA user_version = 9"),
    (_v10, "PRAGMA user_version = 10"),
)
SCHEMA_VERSION = len(MIGRATIONS)


def quote_identifier(name: str) -> str:
    """A table or column name for SQL text; only names from this module's constants get here."""
    if name not in TABLES:
        raise StoreError(f"unknown table {name!r}")
    return '"' + name.replace('"', '""') + '"'


# SQLite result codes (primary, as `sqlite_errorname` begins) that no retry or other document mends.
_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_UNWRITABLE = ("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_IOERR")
_UNWRITABLE_ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EDQUOT)


# Waiting for the WAL switch: up to 50 x 0.1 s, half of the 10 s the busy timeout grants a write.
WAL_SWITCH_ATTEMPTS = 50
WAL_SWITCH_PAUSE = 0.1


class UnusableDatabase(StoreError):
    """The database file itself is damaged, full or read-only: every further write would fail too."""


def _check_hint(path: str) -> str:
    return f'check it with: sqlite3 {shlex.quote(path)} "PRAGMA integrity_check"'


def unusable(exc: BaseException, path: str) -> UnusableDatabase | None:
    """The error to stop on when `exc` says the file is damaged, full or read-only; else None."""
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        if exc.errno in _UNWRITABLE_ERRNOS:
            return UnusableDatabase(f"{path}: cannot write the corpus database ({exc.strerror}); "
                                    "the documents stored so far are kept")
        return None
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_NOTADB"):
        return UnusableDatabase(f"{path}: cannot open the corpus database: the file is not a database, "
                                f"or the database is damaged ({exc}); {_check_hint(path)}")
    if name.startswith(_DAMAGED) or "malformed" in str(exc):
        return UnusableDatabase(f"{path}: the database is damaged ({exc}); {_check_hint(path)}, "
                                "then restore it from a copy or ingest the documents into a new one")
    if name.startswith(_UNWRITABLE):
        return UnusableDatabase(f"{path}: cannot write the corpus database ({exc}); the documents stored "
                                "so far are kept: make room or write access and run `onrecord ingest` again")
    return None


class Database:
    """An open corpus file: WAL mode, foreign keys, schema at `SCHEMA_VERSION`.

    One process writes; readers may come and go (WAL lets them read while an ingest writes).
    With `create=False` the file must exist and is opened read-only: nothing is created,
    migrated or converted, and an older schema is refused with what to run to upgrade it.
    """

    def __init__(self, path: str | Path, *, create: bool = True, target_version: int = SCHEMA_VERSION):
        self.path = str(path)
        self.read_only = not create
        if self.read_only and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no corpus database here (onrecord ingest creates one)")
        try:
            if self.read_only:
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA busy_timeout = 10000")
            self.conn.execute("PRAGMA cache_size = -65536")  # 64 MiB: the LSH and FTS indexes stay in memory longer
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.read_only:
                self._check_version()
            else:
                self._use_wal()
                self.conn.execute("PRAGMA synchronous = NORMAL")
                self._migrate(target_version)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise unusable(exc, self.path) or StoreError(
                f"{self.path}: cannot open the corpus database ({exc})") from None
        except StoreError:
            self.close()
            raise

    @property
    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _use_wal(self) -> None:
        """Switch the file to WAL (once: it is persistent). The switch needs the file to itself and
        SQLite does not wait for that, so a process opening a new file while another switches it
        retries for a while instead of failing."""
        for _ in range(WAL_SWITCH_ATTEMPTS):
            try:
                if self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                    return
            except sqlite3.OperationalError as exc:
                if not (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_BUSY"):
                    raise
            time.sleep(WAL_SWITCH_PAUSE)
        raise StoreError(f"{self.path}: cannot switch the database to WAL mode: another process keeps it locked")

    def _refuse_newer(self, found: int) -> None:
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: corpus schema version {found} was written by a newer onrecord; "
                f"this one reads up to version {SCHEMA_VERSION}. Upgrade onrecord to open it."
            )

    def _check_version(self) -> None:
        """Read-only: the schema must be this onrecord's, as it is never converted here."""
        found = self.version
        self._refuse_newer(found)
        if found == 0:
            raise StoreError(f"{self.path}: holds no corpus yet (onrecord ingest creates one)")
        if found < SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: corpus schema version {found} is older than this onrecord's ({SCHEMA_VERSION}); "
                "run `onrecord ingest` on it (with any documents, even ones already stored) to upgrade it"
            )

    def _migrate(self, target: int) -> None:
        """Step the schema up to `target`, reading the version inside the write lock each step."""
        while True:
            with self.transaction():
                found = self.version
                self._refuse_newer(found)
                if found >= target:
                    return
                step, set_version = MIGRATIONS[found]
                step(self)
                self.conn.execute(set_version)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error: all of it lands or none."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite may have rolled back already (a full disk does)
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Turn SQLite failures into a `StoreError` naming this file (damage: how to check it)."""
        try:
            yield
        except sqlite3.Error as exc:
            raise unusable(exc, self.path) or StoreError(f"{self.path}: {exc}") from None

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def insert(self, sql: str, params: Any = ()) -> int:
        """Run one INSERT; the new row's id."""
        row = self.conn.execute(sql, params).lastrowid
        if row is None:
            raise StoreError(f"{self.path}: an insert stored no row")
        return row

    def count(self, table: str) -> int:
        return self.conn.execute("SELECT count(*) FROM " + quote_identifier(table)).fetchone()[0]

    def meta(self, key: str) -> str | None:
        """The value recorded under `key` in the meta table (how derived data was computed)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
                          (key, value, value))

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None  # type: ignore[assignment]  # closed for good: no method runs after close()
