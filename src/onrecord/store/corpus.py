"""`Corpus`: the Python API of the corpus; the CLI commands call exactly these methods."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import StoreError
from ..record import Record
from ..settings import Options, load_options
from . import clusters, export, ingest, search, speakers
from .clusters import Cluster
from .db import Database
from .ingest import IngestSummary, Outcome
from .search import Hit
from .speakers import SpeakerProfile, SpeakerSummary


class Corpus:
    """A corpus database file (created on first use): ingest documents, then query them.

    >>> with Corpus("onrecord.db") as corpus:
    ...     corpus.ingest(["articles/"], jobs=2)
    ...     corpus.search("ceasefire", speaker="Kirby")
    """

    def __init__(self, path: str | Path | None = None, *, options: Options | None = None):
        self.options = options or load_options()
        self.db = Database(path or self.options.db)

    @property
    def path(self) -> str:
        return self.db.path

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def add(self, record: Record) -> bool:
        """Store one extracted record; False when a document with the same text is already stored."""
        return ingest.write_record(self.db, record)

    def ingest_iter(self, paths: Sequence[str], *, jobs: int = 1, options: Options | None = None) -> Iterator[Outcome]:
        """Extract and store `paths` one document at a time, yielding what happened to each."""
        return ingest.ingest_paths(self.db, paths, options=options or self.options, jobs=jobs)

    def ingest(self, paths: Sequence[str], *, jobs: int = 1, options: Options | None = None) -> IngestSummary:
        """Extract and store `paths`; failures are counted with their reasons, the rest lands."""
        summary = IngestSummary()
        for outcome in self.ingest_iter(paths, jobs=jobs, options=options):
            summary.count(outcome)
        return summary

    def add_all(self, records: Iterable[Record]) -> IngestSummary:
        """Store records already extracted (e.g. read back with `Record.from_dict`)."""
        summary = IngestSummary()
        for outcome in ingest.ingest_results(self.db, records):
            summary.count(outcome)
        return summary

    def search(self, text: str = "", **filters) -> list[Hit]:
        """Quotes matching `text`; filters: speaker, outlet, since, until, type, fidelity, limit, raw."""
        return search.search(self.db, text, **filters)

    def speakers(self, top: int = 20) -> list[SpeakerSummary]:
        return speakers.top_speakers(self.db, top)

    def speaker(self, name: str, *, top: int = 5) -> SpeakerProfile:
        found = speakers.profile(self.db, name, top=top)
        if found is None:
            raise StoreError(f"no speaker named {name!r} in {self.path}")
        return found

    def clusters(self, ids: Iterable[int]) -> list[Cluster]:
        """Quote clusters by id (as in `SpeakerProfile.top_clusters`), each with its variants."""
        ids = list(ids)
        found = clusters.clusters(self.db, ids)
        return [found[i] for i in ids if i in found]

    def misattributions(self) -> list[Cluster]:
        """Statements credited to different speakers by different documents."""
        return clusters.misattributions(self.db)

    def show(self, doc_id: str) -> Record:
        """The stored record of a document, by its doc id or (a prefix of) its content hash."""
        rows = self.db.execute(
            "SELECT hash, record FROM documents WHERE doc_id = ? OR hash = ?"
            " OR (length(?) >= 8 AND substr(hash, 1, length(?)) = ?) LIMIT 10",
            (doc_id, doc_id, doc_id, doc_id, doc_id),
        ).fetchall()
        if not rows:
            raise StoreError(f"no document {doc_id!r} in {self.path}")
        if len(rows) > 1:
            hashes = ", ".join(r["hash"][:12] for r in rows)
            raise StoreError(f"{len(rows)} documents match {doc_id!r} in {self.path} ({hashes}); give a hash instead")
        return Record.from_dict(json.loads(rows[0]["record"]))

    def sources_for(self, record: Record, *, per_quote: int = 3) -> list[Record]:
        """Stored documents that printed the record's statements, earliest first: the corpus as a
        source for `onrecord.verify`, so that a quote is checked against the earliest version seen."""
        own = ingest.content_hash(record.text)
        hashes = dict.fromkeys(h for q in record.quotes
                               for h in search.documents_quoting(self.db, q.text, exclude=own, limit=per_quote))
        return [self.show(h) for h in hashes]

    def export(self, path: str | Path, format: str = "jsonl") -> int:
        """Write every quote as a row (jsonl, csv or parquet); the number of rows."""
        return export.export(self.db, path, format)

    def counts(self) -> dict[str, int]:
        """How many documents, quotes, turns and corpus speakers are stored."""
        return {name: self.db.count(table) for name, table in
                (("documents", "documents"), ("quotes", "quotes"), ("turns", "turns"), ("speakers", "entities"))}
