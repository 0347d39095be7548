"""Quote variants: the same statement as printed by different documents, clustered.

Each quote of at least `MIN_WORDS` words gets a MinHash signature over its word 3-shingles
(datasketch). The signature is cut into LSH bands whose hashes live in an indexed table, so
candidates are the quotes sharing a bucket, never all pairs. Candidates are confirmed on the
exact shingles: Jaccard >= `JACCARD` (near-duplicates) or containment >= `CONTAINMENT`
(truncations); both tests are symmetric. Each bucket is settled on its own, its members in a
canonical order, each compared with at most `BUCKET_REPRESENTATIVES` members of each group
formed (`store.grouping`); clusters are the connected components of those links, so they do not
depend on the order documents arrived in (`store.linking` writes them).

Quotes of one document that overlap are never linked to each other (a statement nested in or
overlapping another of the same document is not a reprint of it), and a pair must share at least
`MIN_SHARED` shingles, so that two short statements opening alike ("This is an absolute
epidemic", "This is an absolute necessity") stay apart.

Each variant is compared with the cluster's earliest appearance by the fidelity alignment
(`align.align`): its status (verbatim, minor, altered ...) and word-level `Change`s.

A cluster is `misattributed` only where one statement is credited to different named speakers:
two variants in different documents, the same statement by themselves (not only through the
chain of the cluster) and sharing at least `MISATTRIBUTED_MIN_WORDS` words, credited to speakers
the identity rules keep apart. `Cluster.sides` shows each side.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cached_property, lru_cache

from datasketch import MinHash

from ..align import align
from ..identity import PersonKey, same_person
from ..names import fold
from ..record import Change, Record, content_hash
from .db import Database
from .speaker_corrections import NEW_SPEAKER_PREFIX
from .speakers import Identity, identify_document

NUM_PERM = 64
LSH_THRESHOLD = 0.3  # well below JACCARD, so that truncations (Jaccard ~ their share of the whole) still meet
# The bands datasketch finds optimal for LSH_THRESHOLD at NUM_PERM (MinHashLSH(threshold=0.3,
# num_perm=64): 21 bands of 3 rows), pinned: stored buckets must not change meaning when
# datasketch's optimiser does. `lsh_parameters()` records them in the database.
BANDS = 21
ROWS = 3
JACCARD = 0.5
CONTAINMENT = 0.8
MIN_WORDS = 5
# Containment needs this many words: a stock phrase ("we will not back down") inside two
# different statements must not join them.
MIN_CONTAINED = 8
SHINGLE = 3
# A pair must share the shingles of a MIN_WORDS-word run (3): two short quotes sharing only their
# opening words ("this is an absolute ...") pass Jaccard 0.5 on four shingles without being one statement.
MIN_SHARED = MIN_WORDS - SHINGLE + 1
# Two people saying a stock phrase ("we will see what happens") is common; one statement credited
# to two people is a misattribution only when the words they share run to a sentence's length,
# the length from which containment, too, trusts a shared run (MIN_CONTAINED).
MISATTRIBUTED_MIN_WORDS = MIN_CONTAINED
SEED = 1
SCHEME = "affine32"  # pinned: stored band hashes must not change meaning with datasketch's default
# A bucket's member is compared with at most this many members of each group already formed in
# the bucket, not with every reprint (2,000 reprints of one story would cost 2,000 comparisons each).
# Members of a cluster are near-duplicates of one another, so a new variant that matches one
# member matches one of the first few too; bench/cluster_scale.py keeps recall at its uncapped level.
BUCKET_REPRESENTATIVES = 8
# Hashed with the parameters when they are recorded: a change in datasketch's hashing, in
# shingling or in `fold` changes its buckets, so stored buckets are recomputed, never silently unmatched.
PROBE = "The Minister’s café said: “We will NOT back down, whatever Brussels decides.”"
_WORD = re.compile(r"\w+(?:'\w+)*")
# Misattribution counts speakers with a name (people, organisations), not anonymous sources.
NAMED_KINDS = ("person", "organization", "group")
NAMED_KEYS = ("person:", "surname:", "organization:", "group:", NEW_SPEAKER_PREFIX)  # the last: a reviewer's new speaker
# The key of a side named by a source check (the speaker a transcript shows saying the words).
SOURCE_KEY = "source:"


def shingles(text: str) -> set[str]:
    """Word 3-grams, case, accents, curly apostrophes and punctuation aside: what variants share."""
    ws = _WORD.findall(fold(text))
    return {" ".join(ws[i : i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)}


@lru_cache(maxsize=1)
def _permutations():
    """datasketch draws its hash permutations per MinHash; drawing them once saves a fifth of ingest."""
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def buckets(shingle_set: set[str]) -> list[int]:
    """The LSH bucket of each band of the set's MinHash, as signed 64-bit ints for SQLite."""
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingle_set])
    values = mh.hashvalues
    return [
        int.from_bytes(
            hashlib.blake2b(i.to_bytes(2, "big") + values[i * ROWS : (i + 1) * ROWS].tobytes(),
                            digest_size=8).digest(),
            "big",
            signed=True,
        )
        for i in range(BANDS)
    ]


@lru_cache(maxsize=1)
def lsh_parameters() -> str:
    """How stored buckets are computed, as recorded in the database's meta table: the pinned
    parameters and the buckets of `PROBE`, so any change in hashing shows as a difference."""
    return json.dumps({
        "num_perm": NUM_PERM, "bands": BANDS, "rows": ROWS, "seed": SEED, "scheme": SCHEME, "shingle": SHINGLE,
        "band_hash": "blake2b-64", "probe": buckets(shingles(PROBE)),
        # how candidates are confirmed: a change re-clusters the stored quotes too
        "confirm": {"jaccard": JACCARD, "containment": CONTAINMENT, "min_contained": MIN_CONTAINED,
                    "min_shared": MIN_SHARED, "same_document": "apart-if-overlapping"},
        # how buckets are settled (store/grouping.py): a corpus clustered quote by quote is re-clustered
        "grouping": {"buckets": "representatives", "order": "doc-hash,start,end,qid",
                     "representatives": BUCKET_REPRESENTATIVES},
    }, sort_keys=True)


def similar(a: AbstractSet[str], b: AbstractSet[str]) -> bool:
    """Same statement: near-duplicates by Jaccard, or one a truncation of the other by containment."""
    shared = len(a & b)
    if shared < MIN_SHARED:
        return False
    if shared / len(a | b) >= JACCARD:
        return True
    shorter = min(len(a), len(b))
    return shorter >= MIN_CONTAINED - SHINGLE + 1 and shared / shorter >= CONTAINMENT


def band_keys(mine: set[str]) -> list[int] | None:
    return buckets(mine) if len(mine) >= MIN_WORDS - SHINGLE + 1 else None


@dataclass(frozen=True)
class Banded:
    """A record with the per-document parts of the corpus steps, computed where the record was
    extracted (a Ray worker), so that the one writer only looks them up: the LSH bucket keys of
    each of its quotes (by quote id; None for a quote too short to cluster) and its speakers'
    identities (`speakers.identify_document`, in the order of `record.speakers`)."""

    record: Record
    bands: dict[str, list[int] | None] | None  # None: not computed, the writer computes them
    identities: tuple[Identity, ...] | None = None  # None: not computed (or under another rule)

    @classmethod
    def of(cls, record: Record) -> Banded:
        """The record with its quotes' keys and its speakers' identities; without either when computing
        it fails (a bug on this record), so that the writer meets the failure and reports this document alone."""
        try:
            bands: dict[str, list[int] | None] | None = {q.id: band_keys(shingles(q.text)) for q in record.quotes}
        except Exception:  # noqa: BLE001 - one record's bug must not fail a worker's whole batch
            bands = None
        try:
            identities: tuple[Identity, ...] | None = tuple(identify_document(record.speakers, content_hash(record.text)))
        except Exception:  # noqa: BLE001 - as above
            identities = None
        return cls(record, bands, identities)


@dataclass(frozen=True)
class Variant:
    """One appearance of a clustered statement, and how it differs from the earliest one."""

    doc_id: str
    doc_hash: str
    published: str | None
    outlet: str | None
    quote_id: str
    text: str
    speaker: str | None  # corpus speaker name
    speaker_key: str | None
    status: str | None = None  # fidelity to the earliest appearance; None for the earliest, or without diffs
    changes: tuple[Change, ...] = ()
    # when checking the quote found these words said by another speaker in its source
    # (`Fidelity.speaker_match.same` false): that speaker's name or label, and the source document
    source_speaker: str | None = None
    source_doc: str | None = None

    def to_dict(self) -> dict:
        return {
            "doc_id": self.doc_id, "doc_hash": self.doc_hash, "published": self.published, "outlet": self.outlet,
            "quote_id": self.quote_id, "text": self.text, "speaker": self.speaker, "speaker_key": self.speaker_key,
            "status": self.status, "changes": [c.to_dict() for c in self.changes],
            "source_speaker": self.source_speaker, "source_doc": self.source_doc,
        }


@dataclass(frozen=True)
class Side:
    """One named speaker a misattributed statement is credited to, and the documents that credit them."""

    speaker: str | None
    speaker_key: str
    doc_ids: tuple[str, ...]
    text: str  # the words as the first of those documents prints them

    def to_dict(self) -> dict:
        return {"speaker": self.speaker, "speaker_key": self.speaker_key, "doc_ids": list(self.doc_ids),
                "text": self.text}


@dataclass(frozen=True)
class Cluster:
    """A statement and its variants, earliest appearance first (by published date, then ingest order)."""

    id: int
    variants: tuple[Variant, ...]

    @property
    def earliest(self) -> Variant:
        return self.variants[0]

    @property
    def speakers(self) -> dict[str, list[str]]:
        """Each named corpus speaker credited in the cluster, with the doc ids on their side."""
        sides: dict[str, list[str]] = {}
        for v in self.variants:
            if v.speaker_key and v.speaker_key.startswith(NAMED_KEYS):
                sides.setdefault(v.speaker_key, []).append(v.doc_id)
        return sides

    def credited(self, speaker_key: str | None) -> str | None:
        """The speaker `speaker_key` stands for here: a surname alone is the full-name person of that
        surname credited in the cluster; None for an unnamed speaker."""
        if not speaker_key or not speaker_key.startswith(NAMED_KEYS):
            return None
        return _canonical(self.speakers).get(speaker_key, speaker_key)

    @cached_property
    def sides(self) -> tuple[Side, ...]:
        """The speakers one statement is credited to, when it is credited to more than one (else
        empty): each with its documents. Two variants set their speakers against each other only
        when they are in different documents and the same statement by themselves, sharing
        `MISATTRIBUTED_MIN_WORDS` words; a document crediting these words to two speakers itself
        (quotes nested in or overlapping each other) takes no side. A variant whose source shows
        another speaker saying it (`source_speaker`) sets that speaker against the one credited."""
        by_speaker: dict[str, list[Variant]] = {}
        per_doc: dict[str, set[str]] = {}
        for v in self.variants:
            key = self.credited(v.speaker_key)
            if key is not None:
                per_doc.setdefault(v.doc_hash, set()).add(key)
        for v in self.variants:
            key = self.credited(v.speaker_key)
            if key is not None and len(per_doc[v.doc_hash]) == 1:
                by_speaker.setdefault(key, []).append(v)
        against: set[str] = set()
        keys = sorted(by_speaker)
        if len(keys) > 1:
            texts = {v.text: shingles(v.text) for v in self.variants}
            for i, a in enumerate(keys):
                for b in keys[i + 1:]:
                    if (a not in against or b not in against) and _one_statement(by_speaker[a], by_speaker[b], texts):
                        against |= {a, b}
        sides = [Side(vs[0].speaker, key, tuple(dict.fromkeys(v.doc_id for v in vs)), vs[0].text)
                 for key, vs in by_speaker.items() if key in against]
        sources: dict[str, list[Variant]] = {}
        for v in self.variants:
            credited = self.credited(v.speaker_key)
            if v.source_speaker and credited is not None:
                sources.setdefault(SOURCE_KEY + fold(v.source_speaker), []).append(v)
                if credited not in against:
                    against.add(credited)
                    sides.append(Side(v.speaker, credited, tuple(dict.fromkeys(
                        x.doc_id for x in self.variants if self.credited(x.speaker_key) == credited)), v.text))
        sides += [Side(vs[0].source_speaker, key, tuple(dict.fromkeys(v.source_doc or v.doc_id for v in vs)), vs[0].text)
                  for key, vs in sources.items()]
        return tuple(sides) if len(sides) > 1 else ()

    @property
    def misattributed(self) -> bool:
        return len(self.sides) > 1

    def others(self, speaker_key: str | None) -> tuple[str, ...] | None:
        """When the speaker `speaker_key` is one side of a misattribution here, the names the other
        sides credit the statement to; else None."""
        mine = self.credited(speaker_key)
        if mine is None or mine not in {side.speaker_key for side in self.sides}:
            return None
        return tuple(side.speaker or side.speaker_key for side in self.sides if side.speaker_key != mine)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "earliest": self.earliest.to_dict(),
            "variants": [v.to_dict() for v in self.variants],
            "misattributed": self.misattributed,
            "speakers": self.speakers,
            "sides": [side.to_dict() for side in self.sides],
        }


def _one_statement(a: Sequence[Variant], b: Sequence[Variant], texts: dict[str, set[str]]) -> bool:
    """Whether a variant of `a` and one of `b`, in different documents, are one statement: similar by
    themselves and sharing `MISATTRIBUTED_MIN_WORDS` words. The first `BUCKET_REPRESENTATIVES` of
    each side are compared (the members of a cluster are near-duplicates): bounded work per pair."""
    need = MISATTRIBUTED_MIN_WORDS - SHINGLE + 1
    for x in a[:BUCKET_REPRESENTATIVES]:
        for y in b[:BUCKET_REPRESENTATIVES]:
            if x.doc_hash == y.doc_hash:
                continue
            sx, sy = texts[x.text], texts[y.text]
            if len(sx & sy) >= need and similar(sx, sy):
                return True
    return False


def _canonical(sides: dict[str, list[str]]) -> dict[str, str]:
    """Each surname-alone key that is a full-name person credited in the cluster, mapped to that person."""
    people = [(key, PersonKey.from_text(key.split(":", 1)[1], lone=False)) for key in sides if key.startswith("person:")]
    out = {}
    for key in sides:
        if key.startswith("surname:"):
            lone = PersonKey.from_text(key.split(":", 1)[1], lone=True)
            match = next((pkey for pkey, p in people if same_person(lone, p)), None)
            if match is not None:
                out[key] = match
    return out


_MEMBERS = """
SELECT q.id, q.qid, q.text, q.cluster, q.speaker_same, q.doc, d.doc_id, d.hash, d.published, d.outlet,
       e.name AS speaker, e.key AS speaker_key
FROM quotes q JOIN documents d ON d.id = q.doc
LEFT JOIN doc_speakers s ON s.id = q.speaker LEFT JOIN entities e ON e.id = s.entity
WHERE q.cluster IN (SELECT value FROM json_each(?))
ORDER BY q.cluster, d.published IS NULL, d.published, d.id, q.start
"""


def clusters(db: Database, ids: Iterable[int], *, diffs: bool = True) -> dict[int, Cluster]:
    """The clusters with these ids, each with its variants (and their differences, unless `diffs` is False)."""
    members: dict[int, list] = {}
    for row in db.execute(_MEMBERS, (json.dumps(sorted(set(ids))),)):
        members.setdefault(row["cluster"], []).append(row)
    sources = _source_speakers(db, [row for rows in members.values() for row in rows if row["speaker_same"] == 0])
    out = {}
    for cid, rows in members.items():
        variants = [_variant(rows[0], None, sources=sources)]
        for row in rows[1:]:
            if not diffs:
                variants.append(_variant(row, None, sources=sources))
                continue
            fidelity = align(row["text"], rows[0]["text"], source_doc=rows[0]["doc_id"])
            variants.append(_variant(row, fidelity.status, fidelity.changes, sources=sources))
        out[cid] = Cluster(cid, tuple(variants))
    return out


def _source_speakers(db: Database, rows: Sequence) -> dict[int, tuple[str, str | None]]:
    """For quotes whose check found another speaker's words (speaker_same = 0): quote row id ->
    (that speaker's name or label, the source document), read from the stored records."""
    out: dict[int, tuple[str, str | None]] = {}
    by_doc: dict[int, list] = {}
    for row in rows:
        by_doc.setdefault(row["doc"], []).append(row)
    for doc, quotes in by_doc.items():
        stored = json.loads(db.execute("SELECT record FROM documents WHERE id = ?", (doc,)).fetchone()[0])
        checked = {q["id"]: q.get("fidelity") or {} for q in stored.get("quotes", [])}
        for row in quotes:
            fidelity = checked.get(row["qid"], {})
            match = fidelity.get("speaker_match") or {}
            name = match.get("speaker") or match.get("label")
            if name:
                out[row["id"]] = (name, fidelity.get("source_doc"))
    return out


def _variant(row, status: str | None, changes: tuple[Change, ...] = (), *,
             sources: dict[int, tuple[str, str | None]]) -> Variant:
    source, source_doc = sources.get(row["id"], (None, None))
    return Variant(row["doc_id"], row["hash"], row["published"], row["outlet"], row["qid"], row["text"],
                   row["speaker"], row["speaker_key"], status, changes, source, source_doc)


_MULTI_SPEAKER = """
SELECT q.cluster FROM quotes q JOIN doc_speakers s ON s.id = q.speaker JOIN entities e ON e.id = s.entity
WHERE e.kind IN (SELECT value FROM json_each(?)) AND q.cluster IS NOT NULL
GROUP BY q.cluster HAVING count(DISTINCT e.id) > 1
UNION
SELECT cluster FROM quotes WHERE speaker_same = 0 AND cluster IS NOT NULL
ORDER BY 1
"""


def misattributions(db: Database) -> list[Cluster]:
    """Statements credited to different speakers: by different documents, or by a document whose
    source shows another speaker saying them (variants without diffs: `clusters(db, [c.id])` gives them)."""
    candidates = [row[0] for row in db.execute(_MULTI_SPEAKER, (json.dumps(NAMED_KINDS),))]
    found = clusters(db, candidates, diffs=False)
    return [found[c] for c in candidates if found[c].misattributed]
