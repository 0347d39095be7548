"""The corpus at a glance: recent documents and quotes over time, for the web's front page."""
from __future__ import annotations

from dataclasses import dataclass

from .db import Database


@dataclass(frozen=True)
class DocumentSummary:
    """One stored document as a list shows it."""

    doc_id: str
    doc_hash: str
    title: str | None
    published: str | None
    outlet: str | None
    quotes: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


_RECENT = """
SELECT d.doc_id, d.hash, d.title, d.published, d.outlet, (SELECT count(*) FROM quotes q WHERE q.doc = d.id)
FROM documents d ORDER BY d.published IS NULL, d.published DESC, d.id DESC LIMIT ? OFFSET ?
"""


def recent_documents(db: Database, limit: int = 20, offset: int = 0) -> list[DocumentSummary]:
    """The newest documents by published date (undated ones last, latest ingested first), from `offset` on."""
    return [DocumentSummary(*row) for row in db.execute(_RECENT, (max(1, int(limit)), max(0, int(offset))))]


MONTH_CHARS = len("YYYY-MM")
_BY_MONTH = """
SELECT substr(d.published, 1, ?) AS month, count(*) FROM quotes q JOIN documents d ON d.id = q.doc
WHERE d.published IS NOT NULL AND (? IS NULL OR q.speaker IN (SELECT id FROM doc_speakers WHERE entity = ?))
GROUP BY month ORDER BY month
"""


def quotes_by_month(db: Database, entity: int | None = None) -> list[tuple[str, int]]:
    """(YYYY-MM, quotes) for every month with dated quotes, of one corpus speaker (its row id) or all."""
    return [(row[0], row[1]) for row in db.execute(_BY_MONTH, (MONTH_CHARS, entity, entity))]
