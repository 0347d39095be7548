"""`Corpus`: the Python API of the corpus; the CLI commands call exactly these methods."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import BinaryIO, Concatenate, ParamSpec, Self, TypeVar

from ..errors import NotFoundError, StoreError
from ..record import Record
from ..settings import Options, load_options
from . import clusters, corrections, export, ingest, linking, overview, search, speaker_corrections, speakers
from .clusters import Banded, Cluster
from .corrections import Correction
from .db import Database
from .ingest import IngestSummary, Outcome
from .overview import DocumentSummary
from .search import Hit
from .speaker_corrections import SpeakerCorrection
from .speakers import Breakdown, SpeakerProfile, SpeakerSummary

_P = ParamSpec("_P")
HASH_PREFIX = 8
"""Shortest prefix of a content hash that names a document (`show`): shorter ones match too many."""
_R = TypeVar("_R")


@dataclass(frozen=True)
class Derived:
    """Data computed from what is stored, and recomputed when the meta row `key` differs from `value`
    (after a migration, or when the code computing it changed). `reads`: queries depend on it, so
    a read-only open refuses a file where it is stale."""

    key: str
    value: Callable[[], str]
    recompute: Callable[[Database], None]
    reads: bool


LAID = "1"
"""How corrections are laid into the corpus rows (store/corrections.py): a corpus written before
(schema 7 kept them out of its rows) has them laid when opened for writing."""
DERIVED = (
    Derived("lsh", clusters.lsh_parameters, linking.recluster, reads=False),
    Derived("published", lambda: ingest.DATE_FORMAT, ingest.normalise_dates, reads=True),
    Derived("verdicts", lambda: ingest.VERDICTS, ingest.refill_verdicts, reads=True),
    Derived("identity", lambda: speakers.IDENTITY_RULES, speakers.reidentify, reads=False),
    Derived("corrections", lambda: LAID, corrections.lay_upgrade, reads=True),
)


def _guarded(method: Callable[Concatenate[Corpus, _P], _R]) -> Callable[Concatenate[Corpus, _P], _R]:
    """SQLite failures inside a Corpus method become a StoreError naming the file (never a traceback)."""
    @wraps(method)
    def call(self: Corpus, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.db.guard():
            return method(self, *args, **kwargs)
    return call


class Corpus:
    """A corpus database file: ingest documents, then query them.

    With `create=True` (ingest) the file is created if missing and an older one upgraded; with
    `create=False` (every read-only command) a missing file, an older schema or a stale derived
    table is a `StoreError`, and the file is opened read-only: nothing is created or changed.

    >>> with Corpus("onrecord.db") as corpus:
    ...     corpus.ingest(["articles/"], jobs=2)
    ...     corpus.search("ceasefire", speaker="Kirby")
    """

    def __init__(self, path: str | Path | None = None, *, options: Options | None = None, create: bool = True):
        self.options = options or load_options()
        self.db = Database(path or self.options.db, create=create)
        try:
            with self.db.guard():
                self._refresh()
        except BaseException:
            self.db.close()
            raise

    def _refresh(self) -> None:
        """Recompute derived data the file holds computed otherwise (each in its own transaction);
        then lay the reviewers' corrections over what was recomputed from the machine's records."""
        recomputed = False
        for derived in DERIVED:
            wanted = derived.value()
            if self.db.meta(derived.key) == wanted:
                continue
            if self.db.read_only:
                if derived.reads:
                    raise StoreError(f"{self.path}: the corpus needs upgrading ({derived.key} is stored in an "
                                     "older form); run `onrecord ingest` on it (with any documents) to upgrade it")
                continue
            with self.db.transaction():
                if self.db.meta(derived.key) != wanted:  # another process may have done it meanwhile
                    derived.recompute(self.db)
                    self.db.set_meta(derived.key, wanted)
                    recomputed = True
        if recomputed:
            with self.db.transaction():
                corrections.lay_all(self.db)
                speaker_corrections.lay(self.db)
        if not self.db.read_only and linking.pending(self.db):  # a bulk run stopped before its last link
            with self.db.transaction():
                linking.link(self.db)
        if not self.db.read_only and speakers.unsettled(self.db):  # or before it settled its speakers
            with self.db.transaction():
                speakers.settle_speakers(self.db)
                speaker_corrections.lay(self.db)

    @property
    def path(self) -> str:
        return self.db.path

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @_guarded
    def add(self, record: Record) -> bool:
        """Store one extracted record; False when a document with the same text is already stored."""
        return ingest.write_record(self.db, record)

    def ingest_iter(self, paths: Sequence[str], *, jobs: int | None = None, options: Options | None = None,
                    engine: str = "local", address: str | None = None) -> Iterator[Outcome]:
        """Extract (by `engine`, "local" or "ray": see `onrecord.scale`) and store `paths` one document
        at a time, yielding what happened to each.

        A damaged, full or read-only database raises StoreError and ends the ingest; what was
        stored before stays, and running it again adds only the missing documents."""
        with self.db.guard():
            yield from ingest.ingest_paths(self.db, paths, options=options or self.options, jobs=jobs, engine=engine,
                                           address=address)

    def ingest(self, paths: Sequence[str], *, jobs: int | None = None, options: Options | None = None,
               engine: str = "local", address: str | None = None) -> IngestSummary:
        """Extract and store `paths`; failures are counted with their reasons, the rest lands."""
        summary = IngestSummary()
        for outcome in self.ingest_iter(paths, jobs=jobs, options=options, engine=engine, address=address):
            summary.count(outcome)
        return summary

    def add_iter(self, records: Iterable[Record | Banded], *, engine: str = "local",
                 address: str | None = None) -> Iterator[Outcome]:
        """Store records already extracted (read back with `Record.from_dict`, or from a Parquet
        dataset with `tables.read_banded`: a `Banded` one brings its quotes' bucket keys, computed
        where it was extracted), yielding what happened to each. The corpus steps of each batch
        (quote buckets, surname groups) run by `engine`: in this process, or on the Ray cluster
        at `address` (`onrecord.scale`); the corpus is the same."""
        with self.db.guard():
            if engine == "local" and address is None:
                bulk = ingest.BulkWriter(self.db)
            else:
                from .. import scale  # the engines load only where asked for

                bulk = ingest.BulkWriter(self.db, scale.grouper(engine, address), scale.settler(engine, address))
            yield from ingest.ingest_results(self.db, records, bulk=bulk)
            bulk.finish()

    def add_all(self, records: Iterable[Record | Banded]) -> IngestSummary:
        """`add_iter`, counted: failures with their reasons, the rest lands."""
        summary = IngestSummary()
        for outcome in self.add_iter(records):
            summary.count(outcome)
        return summary

    @_guarded
    def search(self, text: str = "", **filters) -> list[Hit]:
        """Quotes matching `text`; filters: speaker, outlet, since, until, type, fidelity, min_confidence,
        limit, raw, speaker_key. Quotes under `search.LOW_CONFIDENCE` come marked `low_confidence`; reviewers'
        corrections are applied (a quote is found under its corrected speaker and verdict; one
        corrected to be no quote is not found)."""
        return search.search(self.db, text, **filters)

    @_guarded
    def speakers(self, top: int = 20) -> list[SpeakerSummary]:
        return speakers.top_speakers(self.db, top)

    @_guarded
    def namesakes(self, key: str, limit: int = 20) -> list[SpeakerSummary]:
        """Other corpus speakers the name of the speaker `key` could mean (its surname's people), most
        quoted first: what a reviewer most likely merges it into."""
        return speakers.namesakes(self.db, key, limit)

    @_guarded
    def breakdown(self, by: str) -> list[Breakdown]:
        """Quoted speakers and their quotes by "gender", "kind" or "outlet"."""
        return speakers.breakdown(self.db, by)

    @_guarded
    def speaker(self, name: str, *, top: int = 5) -> SpeakerProfile:
        found = speakers.profile(self.db, name, top=top)
        if found is None:
            raise NotFoundError(f"no speaker named {name!r} in {self.path}")
        return found

    @_guarded
    def clusters(self, ids: Iterable[int]) -> list[Cluster]:
        """Quote clusters by id (as in `SpeakerProfile.top_clusters`), each with its variants."""
        ids = list(ids)
        found = clusters.clusters(self.db, ids)
        return [found[i] for i in ids if i in found]

    @_guarded
    def misattributions(self) -> list[Cluster]:
        """Statements credited to different speakers by different documents."""
        return clusters.misattributions(self.db)

    @_guarded
    def show(self, doc_id: str, *, corrected: bool = True) -> Record:
        """The stored record of a document, by its doc id or (a prefix of) its content hash, with the
        reviewers' corrections applied (`corrected=False`: as the machine extracted it)."""
        return self.document(doc_id, corrected=corrected)[1]

    @_guarded
    def document(self, doc_id: str, *, corrected: bool = True) -> tuple[str, Record]:
        """(content hash, record) of the one document `doc_id` names, as `show` gives the record."""
        digest, record = self._document(doc_id)
        return digest, corrections.apply(record, corrections.for_document(self.db, digest)) if corrected else record

    def _document(self, doc_id: str) -> tuple[str, Record]:
        """(content hash, stored record) of the one document `doc_id` names: its doc id, its hash, or
        a prefix of the hash of at least `HASH_PREFIX` characters (each found through an index)."""
        rows = self.db.execute(
            "SELECT hash, record FROM documents WHERE id IN (SELECT id FROM documents WHERE doc_id = ?"
            " UNION SELECT id FROM documents WHERE hash >= ? AND hash < ? || 'g' AND length(?) >= ?) LIMIT 10",
            (doc_id, doc_id, doc_id, doc_id, HASH_PREFIX),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no document {doc_id!r} in {self.path}")
        if len(rows) > 1:
            hashes = ", ".join(r["hash"][:12] for r in rows)
            raise StoreError(f"{len(rows)} documents match {doc_id!r} in {self.path} ({hashes}); give a hash instead")
        return rows[0]["hash"], Record.from_dict(json.loads(rows[0]["record"]))

    @_guarded
    def correct(self, doc_id: str, quote_id: str, field: str, value: object, *, reviewer: object,
                reason: object = None) -> Correction:
        """Record a reviewer's correction of one quote (`corrections.FIELDS`: speaker, fidelity or
        not_quote); its old value is the quote's value with the earlier corrections applied."""
        self._writable()
        digest, record = self._document(doc_id)
        current = corrections.apply(record, corrections.for_document(self.db, digest))
        return corrections.add(self.db, digest, current, quote_id, field, value, reviewer=reviewer, reason=reason)

    def _writable(self) -> None:
        if self.db.read_only:
            raise StoreError(f"{self.path}: opened read-only; corrections need it opened for writing")

    @_guarded
    def merge_speaker(self, key: str, into: str, *, reviewer: object, reason: object = None) -> SpeakerCorrection:
        """Merge the corpus speaker `key` into the one `into` names (its key, or a name as `speaker`
        finds it): a reviewer's correction, kept across re-ingest and the speakers placed again."""
        self._writable()
        return speaker_corrections.add_merge(self.db, key, into, reviewer=reviewer, reason=reason)

    @_guarded
    def split_speaker(self, key: str, doc_id: str, doc_speaker: str, *, into: str | None = None,
                      new_name: str | None = None, reviewer: object, reason: object = None) -> SpeakerCorrection:
        """Take one document's speaker (`doc_speaker`, its id in the record of `doc_id`) off the corpus
        speaker `key`, to the corpus speaker `into` (a key) or a new one named `new_name`."""
        self._writable()
        digest = self._document(doc_id)[0]
        return speaker_corrections.add_split(self.db, key, digest, doc_speaker, into=into, new_name=new_name,
                                             reviewer=reviewer, reason=reason)

    @_guarded
    def speaker_corrections(self) -> list[SpeakerCorrection]:
        """The reviewers' merges and splits of corpus speakers, in the order they were made."""
        return list(speaker_corrections.every(self.db))

    @_guarded
    def corrections(self, doc_id: str | None = None) -> list[Correction]:
        """The reviewers' corrections, of one document or all, in the order they were made."""
        if doc_id is None:
            return list(corrections.every(self.db))
        return corrections.for_document(self.db, self._document(doc_id)[0])

    @_guarded
    def recent_documents(self, limit: int = 20, offset: int = 0) -> list[DocumentSummary]:
        """The newest documents by published date (undated last), from `offset` on."""
        return overview.recent_documents(self.db, limit, offset)

    @_guarded
    def quotes_by_month(self, speaker_key: str | None = None) -> list[tuple[str, int]]:
        """(YYYY-MM, quotes) for each month with dated quotes, of one corpus speaker (by key) or all."""
        if speaker_key is None:
            return overview.quotes_by_month(self.db)
        found = speakers.entity_id(self.db, speaker_key)
        return [] if found is None else overview.quotes_by_month(self.db, found)

    @_guarded
    def speaker_by_key(self, key: str, *, top: int = 5) -> SpeakerProfile:
        """One corpus speaker by its key (as `SpeakerSummary.key` gives it), as `speaker` profiles it."""
        found = speakers.profile_by_key(self.db, key, top=top)
        if found is None:
            raise NotFoundError(f"no speaker {key!r} in {self.path}")
        return found

    @_guarded
    def sources_for(self, record: Record, *, per_quote: int = 3) -> list[Record]:
        """Stored documents that printed the record's statements, earliest first: the corpus as a
        source for `onrecord.verify`, so that a quote is checked against the earliest version seen."""
        own = ingest.content_hash(record.text)
        hashes = dict.fromkeys(h for q in record.quotes
                               for h in search.documents_quoting(self.db, q.text, exclude=own, limit=per_quote))
        return [self.show(h) for h in hashes]

    @_guarded
    def export(self, path: str | Path | BinaryIO, format: str = "jsonl", *, min_confidence: float | None = None,
               corrections: bool = False) -> int:
        """Write every quote (of at least `min_confidence`) as a row (jsonl, csv or parquet), reviewers'
        corrections applied; with `corrections`, the corrections themselves instead. The number of rows."""
        return export.export(self.db, path, format, min_confidence=min_confidence, corrections=corrections)

    def records(self, *, sources: bool = False) -> Iterator[Record]:
        """Every stored record in ingest order, read a page at a time; with `sources`, only the
        documents with transcript turns (transcripts and briefings: what `verify --db` checks against)."""
        where = "AND id IN (SELECT doc FROM turns)" if sources else ""
        last = 0
        while True:
            with self.db.guard():
                rows = self.db.execute(f"SELECT id, record FROM documents WHERE id > ? {where} ORDER BY id LIMIT 200",
                                       (last,)).fetchall()
            if not rows:
                return
            last = rows[-1]["id"]
            yield from (Record.from_dict(json.loads(r["record"])) for r in rows)

    @_guarded
    def fidelity_counts(self, by: str) -> list[tuple[str | None, str | None, int, int]]:
        """Stored quotes by verdict per "outlet" or "speaker": rows (outlet or speaker name, fidelity
        status or None when unchecked, quotes, of them found under another source speaker)."""
        group = {"outlet": "d.outlet", "speaker": "e.name"}[by]
        return [(r[0], r[1], r[2], r[3]) for r in self.db.execute(
            f"SELECT {group}, q.fidelity, count(*), count(CASE WHEN q.speaker_same = 0 THEN 1 END) FROM quotes q"
            " JOIN documents d ON d.id = q.doc LEFT JOIN doc_speakers ds ON ds.id = q.speaker"
            f" LEFT JOIN entities e ON e.id = ds.entity GROUP BY {group}, q.fidelity"
            f" ORDER BY {group} IS NULL, {group} COLLATE NOCASE, q.fidelity").fetchall()]

    @_guarded
    def counts(self) -> dict[str, int]:
        """How many documents, quotes, turns and corpus speakers are stored."""
        return {name: self.db.count(table) for name, table in
                (("documents", "documents"), ("quotes", "quotes"), ("turns", "turns"), ("speakers", "entities"))}
