"""Quote clusters as a pure function of the quotes: each LSH bucket settled on its own.

A bucket's members (the quotes whose MinHash band hashes to it) are taken in a canonical order,
(document hash, start, end, quote id): the same whatever order the documents arrived in, and
whichever process settles the bucket. Each member, in that order, is compared with at most
`clusters.BUCKET_REPRESENTATIVES` representatives of each component already formed in the bucket
(its earliest members in that order) and linked to the first one it is the same statement as
(`clusters.similar`; overlapping quotes of one document never). So the work per bucket stays
bounded by its components, not by its members, however often one story is reprinted.

Clusters are the connected components of every bucket's links (`components`), each named by its
smallest quote row id. Both engines use this module: the local writer on the buckets a new
document touches (`store.linking`), the Ray engine on every bucket at once (`scale.corpus_steps`).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .clusters import BUCKET_REPRESENTATIVES, shingles, similar

Link = tuple[int, int]


@dataclass(frozen=True, order=True)
class Member:
    """One quote of a bucket. Fields compare in canonical order: the document's content hash and the
    quote's span and id (never its row id, which depends on the order of ingest)."""

    doc: str  # the document's content hash
    start: int
    end: int
    qid: str
    row: int = field(compare=False)  # the quote's row id: what links name
    text: str = field(compare=False, repr=False)

    def overlaps(self, other: Member) -> bool:
        """Both in one document and overlapping: a statement nested in another is no reprint of it."""
        return self.doc == other.doc and self.start < other.end and other.start < self.end

    def to_dict(self) -> dict:
        return {"doc": self.doc, "start": self.start, "end": self.end, "qid": self.qid, "row": self.row,
                "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping) -> Member:
        return cls(data["doc"], int(data["start"]), int(data["end"]), data["qid"], int(data["row"]), data["text"])


def _canonical(m: Member) -> tuple[str, int, int, str]:
    """The sort key of canonical order (as the fields compare, without a dataclass comparison per step)."""
    return m.doc, m.start, m.end, m.qid


@lru_cache(maxsize=65536)
def _shingles(text: str) -> frozenset[str]:
    """A bucket pass meets the same text in each of its ~21 buckets: shingled once."""
    return frozenset(shingles(text))


def group_bucket(members: Iterable[Member]) -> list[Link]:
    """The confirmed links (representative row, member row) inside one bucket, in canonical order."""
    components: list[list[Member]] = []  # each component's representatives, earliest first
    links: list[Link] = []
    for member in sorted(set(members), key=_canonical):
        mine = _shingles(member.text)
        joined: list[int] = []
        for i, reps in enumerate(components):
            for rep in reps:
                if not rep.overlaps(member) and similar(mine, _shingles(rep.text)):
                    links.append((rep.row, member.row))
                    joined.append(i)
                    break
        if not joined:
            components.append([member])
            continue
        merged = sorted([*(m for i in joined for m in components[i]), member], key=_canonical)[:BUCKET_REPRESENTATIVES]
        components[joined[0]] = merged
        for i in reversed(joined[1:]):
            del components[i]
    return links


def group(buckets: Mapping[int, Sequence[Member]]) -> list[Link]:
    """Every bucket's links (`group_bucket`), bucket by bucket in key order."""
    return [link for key in sorted(buckets) for link in group_bucket(buckets[key])]


def components(nodes: Iterable[int], links: Iterable[Link]) -> dict[int, int]:
    """Each node's component, named by its smallest node (union-find over the links)."""
    parent: dict[int, int] = {n: n for n in nodes}

    def root(n: int) -> int:
        parent.setdefault(n, n)
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)  # the smaller root wins: the root is the component's minimum
    return {n: root(n) for n in parent}
