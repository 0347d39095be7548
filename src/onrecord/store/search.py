"""Search: quotes by their words (SQLite FTS5, ranked by bm25) and by who, where and when.

The user's text is turned into a query of quoted terms, so "AND", a stray quote mark or a `*`
are searched as words, never parsed; `raw=True` hands FTS5 syntax through, and a syntax error
then comes back as a StoreError that says so. Search terms are NFC-normalised, as the index is.

Dates are compared as ISO days: the store keeps `published` as YYYY-MM-DD (or NULL), and
`parse_day` reads `--since`/`--until` strictly.
"""
from __future__ import annotations

import calendar
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date

from ..errors import ConfigError, NotFoundError, StoreError
from ..record import FIDELITY_STATUSES, QUOTE_TYPES
from . import clusters
from .db import Database, unusable
from .speaker_corrections import moved_names
from .speakers import entity_id, find_entities

_TERM = re.compile(r"\w+", re.UNICODE)
_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# A quote the record never checked (no transcript, no source) is what extraction reports as
# no_source: `--fidelity no_source` finds those too.
NO_SOURCE = "no_source"
# Corpus sources for `verify`: a quote's words must include this many longer than SHORT_WORD
# letters to be looked up (fewer match too much), and the best MATCHES_PER_QUOTE matches by bm25
# are the documents considered (a reprinted quote's earliest printings are among them).
MIN_SOURCE_TERMS = 3
SHORT_WORD = 3
MATCHES_PER_QUOTE = 20


# Quotes under this confidence are kept but marked `low_confidence` (search, export): below it a
# quote has no attribution evidence at all (attribute.CONFIDENCE["none"] is 0.2; the weakest
# evidence, a previous paragraph, is 0.55). Measured: under it no quote has the right speaker, on
# GGT dev (9 quotes, 3 real statements) nor on the first 120 PolNeAR train documents (78, 49 real);
# at 0.55 and above, 0.21 to 1.0 of them do. `--min-confidence` filters by any value; this only marks.
LOW_CONFIDENCE = 0.5


def low_confidence(confidence: float | None) -> bool:
    """Whether a quote's confidence is under `LOW_CONFIDENCE` (a quote with none counts as low)."""
    return confidence is None or confidence < LOW_CONFIDENCE


def check_confidence(value: float | None) -> float | None:
    """`--min-confidence` as given, once it is checked to lie in [0, 1]."""
    if value is not None and not 0 <= value <= 1:
        raise StoreError(f"--min-confidence {value}: give a number from 0 to 1")
    return value


@dataclass(frozen=True)
class Hit:
    """One quote a search found, with where it ran, who the corpus credits, and its reprints."""

    doc_id: str
    doc_hash: str
    title: str | None
    published: str | None
    outlet: str | None
    quote_id: str
    type: str
    text: str
    speaker: str | None  # the corpus speaker's name
    speaker_key: str | None
    fidelity: str | None
    score: float | None  # bm25: lower is better; None for a search by filters only
    variants: int  # quotes in this quote's cluster (1: printed once)
    misattributed: bool  # other documents credit these same words to a different speaker
    confidence: float | None = None
    low_confidence: bool = False  # under LOW_CONFIDENCE: kept, but marked
    also_credited_to: tuple[str, ...] = ()  # when misattributed: the other speakers credited

    def to_dict(self) -> dict:
        return {**self.__dict__, "also_credited_to": list(self.also_credited_to)}


def fts_query(text: str, *, raw: bool = False) -> str | None:
    """The FTS5 query for `text`: every word as a quoted term (all must match), or `text` itself when raw."""
    text = unicodedata.normalize("NFC", text)
    if raw:
        return text.strip() or None
    terms = _TERM.findall(text)
    return " ".join(f'"{t}"' for t in terms) or None


def documents_quoting(db: Database, text: str, *, exclude: str | None = None, limit: int = 3) -> list[str]:
    """Content hashes of stored documents with quotes sharing the most words with `text` (any of
    them may match: a changed word must not hide the source), earliest published first."""
    words = _TERM.findall(unicodedata.normalize("NFC", text))
    terms = list(dict.fromkeys(t.lower() for t in words if len(t) > SHORT_WORD))
    if len(terms) < MIN_SOURCE_TERMS:
        return []
    rows = db.execute(
        "SELECT d.hash FROM (SELECT rowid FROM quote_fts WHERE quote_fts MATCH ? ORDER BY bm25(quote_fts) LIMIT ?) hit"
        " JOIN quotes q ON q.id = hit.rowid JOIN documents d ON d.id = q.doc"
        " ORDER BY d.published IS NULL, d.published, d.id",
        (" OR ".join(f'"{t}"' for t in terms), MATCHES_PER_QUOTE),
    ).fetchall()
    return [h for h in dict.fromkeys(row["hash"] for row in rows) if h != exclude][:limit]


def parse_day(text: str, option: str, *, end: bool = False) -> date:
    """The day `option` (e.g. "--since") names: YYYY-MM-DD, or a month (YYYY-MM) or year (YYYY),
    which mean their first day, or with `end` their last. Anything else is a ConfigError naming
    the option and the value."""
    found = _DAY.fullmatch(text.strip())
    try:
        if found is None:
            raise ValueError
        year, month, day = int(found[1]), int(found[2] or (12 if end else 1)), found[3]
        if day is None:
            day = calendar.monthrange(year, month)[1] if end else 1
        return date(year, month, int(day))
    except ValueError:
        raise ConfigError(f"{option} {text!r} is not a date: give YYYY-MM-DD (or YYYY-MM, YYYY)") from None


# A text search ranks by bm25 the newest RANK_WINDOW quotes that match (all of them, unless
# the words are very common): ranking costs per match, and the window bounds it on any corpus.
RANK_WINDOW = 5_000
# Inner queries pick the quote ids (with what they are ordered by); the outer one fetches the rows.
_BY_TEXT = "SELECT f.rowid AS id, f.rank AS score, NULL AS published, NULL AS doc, NULL AS start FROM quote_fts f"
_FILTER_JOINS = " JOIN quotes q ON q.id = f.rowid JOIN documents d ON d.id = q.doc"
_BY_TEXT_END = " ORDER BY f.rowid DESC LIMIT :window"
_BY_FILTERS = "SELECT q.id, NULL AS score, d.published, d.id AS doc, q.start FROM "
# A speaker's quotes are found through the speaker index; otherwise walk documents newest first
# (CROSS JOIN fixes that order in SQLite) and stop at the limit.
_BY_SPEAKER = "quotes q JOIN documents d ON d.id = q.doc"
_NEWEST_FIRST = "documents d CROSS JOIN quotes q ON q.doc = d.id"
_BY_FILTERS_END = " ORDER BY d.published DESC, d.id DESC, q.start LIMIT :limit"
_RESULT = """
SELECT q.id, q.qid, q.type, q.text, q.fidelity, q.confidence, q.speaker_same, q.cluster,
       d.doc_id, d.hash, d.title, d.published, d.outlet,
       e.name AS speaker, e.key AS speaker_key, m.score
FROM (SELECT * FROM ({ids}) ORDER BY {order} LIMIT :limit) m
JOIN quotes q ON q.id = m.id JOIN documents d ON d.id = q.doc
LEFT JOIN doc_speakers s ON s.id = q.speaker LEFT JOIN entities e ON e.id = s.entity
ORDER BY m.score, m.published DESC, m.doc DESC, m.start
"""
_ORDER = "score, published DESC, doc DESC, start"  # rows are joined only after this cut to the limit
# Only the filters given go into the query, so SQLite can use their indexes; values stay bound.
_FILTERS = {
    "outlet": "d.outlet = :outlet COLLATE NOCASE",
    "since": "d.published >= :since",  # ISO days: string order is date order
    "until": "d.published <= :until",
    "type": "q.type = :type",
    "fidelity": "(q.fidelity = :fidelity OR (q.fidelity IS NULL AND :fidelity = :unchecked))",
    "min_confidence": "q.confidence >= :min_confidence",
    "entities": "q.speaker IN (SELECT id FROM doc_speakers WHERE entity IN (SELECT value FROM json_each(:entities)))",
}


def _sql(params: dict) -> str:
    """The query for these parameters, put together from the constant pieces above."""
    filters = [clause for name, clause in _FILTERS.items() if params[name] is not None]
    if params["query"] is None:
        tables = _BY_SPEAKER if params["entities"] is not None else _NEWEST_FIRST
        ids = _BY_FILTERS + tables + " WHERE " + " AND ".join(filters or ["1"]) + _BY_FILTERS_END
    else:
        ids = (_BY_TEXT + (_FILTER_JOINS if filters else "") + " WHERE "
               + " AND ".join(["quote_fts MATCH :query", *filters]) + _BY_TEXT_END)
    return _RESULT.replace("{ids}", ids).replace("{order}", _ORDER)


_CLUSTER_SIZES = (
    "SELECT cluster, count(*) FROM quotes WHERE cluster IN (SELECT value FROM json_each(?)) GROUP BY cluster"
)


def search(
    db: Database,
    text: str = "",
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    type: str | None = None,
    fidelity: str | None = None,
    min_confidence: float | None = None,
    limit: int = 20,
    raw: bool = False,
    speaker_key: str | None = None,
) -> list[Hit]:
    """Quotes matching `text` (best first) and every filter given; newest first when `text` is empty.
    `min_confidence` keeps quotes of at least that confidence; under `LOW_CONFIDENCE` they are marked.
    `speaker_key` keeps one corpus speaker's quotes (its key, as a speaker page names it)."""
    if type is not None and type not in QUOTE_TYPES:
        raise StoreError(f"--type {type!r}: choose one of {', '.join(QUOTE_TYPES)}")
    if fidelity is not None and fidelity not in FIDELITY_STATUSES:
        raise StoreError(f"--fidelity {fidelity!r}: choose one of {', '.join(FIDELITY_STATUSES)}")
    query = fts_query(text, raw=raw)
    entities = None
    if speaker is not None:
        match = find_entities(db, speaker)
        if not match.ids:
            raise NotFoundError(f"no speaker named {speaker!r} in {db.path}")
        entities = json.dumps(match.ids)
        if query is not None and match.words:
            # Every name those speakers were given contains these words, or when a reviewer moved
            # others' speakers into them, one of their names does: FTS5 narrows to their quotes
            # first (cheap), the entity filter then keeps exactly theirs.
            moved = moved_names(db, match.ids)
            narrow = fts_query(match.words) if moved is None else " OR ".join(
                f"({words})" for words in map(fts_query, moved) if words)
            if narrow:
                query = f"({query}) AND speaker : ({narrow})"
    if speaker_key is not None:
        found = entity_id(db, speaker_key)
        if found is None:
            raise NotFoundError(f"no speaker {speaker_key!r} in {db.path}")
        entities = json.dumps([found])
    params = {
        "query": query, "outlet": outlet,
        "since": None if since is None else parse_day(since, "--since").isoformat(),
        "until": None if until is None else parse_day(until, "--until", end=True).isoformat(),
        "type": type, "fidelity": fidelity, "entities": entities, "limit": max(1, int(limit)),
        "min_confidence": check_confidence(min_confidence),
        "window": RANK_WINDOW, "unchecked": NO_SOURCE,
    }
    if params["query"] is None and text.strip():
        raise StoreError(f"nothing to search for in {text!r}: it has no words")
    try:
        rows = db.execute(_sql(params), params).fetchall()
    except sqlite3.OperationalError as exc:
        stop = unusable(exc, db.path)
        if stop is not None:
            raise stop from None
        if raw:  # the rest of the SQL is constant: the error is in the user's query
            raise StoreError(
                f"search syntax error in {text!r} ({exc}); search without --raw to match the words as typed"
            ) from None
        raise StoreError(f"{db.path}: search failed ({exc})") from None
    cluster_ids = {row["cluster"] for row in rows}
    sizes = dict(db.execute(_CLUSTER_SIZES, (json.dumps(sorted(cluster_ids)),)).fetchall())
    reprinted = {c for c in cluster_ids if sizes.get(c, 1) > 1} | {row["cluster"] for row in rows if row["speaker_same"] == 0}
    flagged = {cid: c for cid, c in clusters.clusters(db, reprinted, diffs=False).items() if c.misattributed}
    hits = []
    for row in rows:
        cluster = flagged.get(row["cluster"])
        others = cluster.others(row["speaker_key"]) if cluster is not None else None
        hits.append(Hit(
            row["doc_id"], row["hash"], row["title"], row["published"], row["outlet"], row["qid"], row["type"],
            row["text"], row["speaker"], row["speaker_key"], row["fidelity"], row["score"],
            sizes.get(row["cluster"], 1), others is not None, row["confidence"], low_confidence(row["confidence"]),
            others or (),
        ))
    return hits
