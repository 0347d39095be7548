"""The corpus steps on Ray: the LSH buckets of a link pass grouped, and the surname groups of a
bulk pass settled, as distributed steps.

Each (bucket, quote) row goes to Ray Data; `groupby("bucket").map_groups` settles every bucket in
a task of its own with the same pure function the local writer uses (`store.grouping.group_bucket`),
and only the links come back: the driver joins them into clusters (union-find; links are few, one
per confirmed member) and the writer stores them (`store.linking.link`). So the clusters are those
of the local engine whatever the number of workers, and a bucket's work never waits on another's.
Surname groups go the same way (`groupby("family").map_groups`, `store.speaker_groups.settle`):
each group's name classes in, each class's corpus speaker out, stored by the writer
(`store.speakers.settle_families`).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import ray
import ray.data

from ..store.grouping import Link, Member, group, group_bucket
from ..store.speaker_groups import NameClass, Placement, settle, settle_all
from .ray_engine import connect

# CPU share of one grouping task: a bucket is a few dozen set comparisons, so tasks run beside the
# extraction actors of a Ray ingest without taking a whole CPU from them.
GROUP_CPUS = 0.25
# Below this many (bucket, quote) rows a pass is grouped on the driver: Ray's scheduling of a
# shuffle costs more than the comparisons themselves. The links are the same either way.
RAY_MIN_ROWS = 200_000
# Below this many name classes a settling pass runs on the driver: a group is a few set lookups
# per class, far less than a Ray task's scheduling. The placements are the same either way.
RAY_MIN_CLASSES = 100_000


def _settle(batch: dict[str, np.ndarray]) -> dict[str, Any]:
    """A Ray Data step: one bucket's members (as JSON) into its links."""
    links = group_bucket(Member.from_dict(json.loads(text)) for text in batch["member"])
    return {"a": np.array([a for a, _ in links], dtype=np.int64), "b": np.array([b for _, b in links], dtype=np.int64)}


def group_on_ray(buckets: Mapping[int, Sequence[Member]], *, address: str | None = None,
                 min_rows: int | None = None) -> list[Link]:
    """`grouping.group` of these buckets, as Ray tasks on the cluster at `address` (a Ray already
    running in this process is used as is; else one is joined or started for the pass and stopped
    after); a pass under `min_rows` rows (default `RAY_MIN_ROWS`) is grouped here."""
    rows = [{"bucket": key, "member": json.dumps(m.to_dict(), ensure_ascii=False)}
            for key, members in buckets.items() for m in members]
    if len(rows) < (RAY_MIN_ROWS if min_rows is None else min_rows) or not rows:
        return group(buckets)
    return sorted((int(r["a"]), int(r["b"])) for r in _map_groups(rows, "bucket", _settle, address))


def _map_groups(rows: list[dict[str, Any]], key: str, step: Callable[[dict[str, np.ndarray]], dict[str, Any]],
                address: str | None) -> list[dict[str, Any]]:
    """`step` over the rows grouped by `key`, one Ray Data task a group on the cluster at `address`
    (a Ray already running in this process is used as is; else one is joined or started for the
    pass and stopped after); the rows it returns."""
    started = connect(address, None)
    try:
        ds = ray.data.from_items(rows)
        ds.context.enable_progress_bars = False
        return list(ds.groupby(key).map_groups(step, num_cpus=GROUP_CPUS, batch_format="numpy").iter_rows())
    finally:
        if started:
            ray.shutdown()


def _settle_family(batch: dict[str, np.ndarray]) -> dict[str, Any]:
    """A Ray Data step: one surname group's name classes (as JSON) into each class's corpus speaker."""
    family = str(batch["family"][0])
    placed = settle(family, (NameClass.from_dict(json.loads(text)) for text in batch["cls"]))
    return {"family": np.array([family] * len(placed), dtype=object),
            "cls": np.array([json.dumps(c.to_dict(), ensure_ascii=False) for c in placed], dtype=object),
            "target": np.array(list(placed.values()), dtype=object)}


def settle_on_ray(groups: Mapping[str, Sequence[NameClass]], *, address: str | None = None,
                  min_rows: int | None = None) -> dict[str, Placement]:
    """`speaker_groups.settle_all` of these groups, as Ray tasks (as `group_on_ray`); a pass under
    `min_rows` name classes (default `RAY_MIN_CLASSES`) is settled here."""
    rows = [{"family": family, "cls": json.dumps(c.to_dict(), ensure_ascii=False)}
            for family, classes in groups.items() for c in classes]
    if len(rows) < (RAY_MIN_CLASSES if min_rows is None else min_rows) or not rows:
        return settle_all(groups)
    placed: dict[str, Placement] = {family: {} for family in groups}
    for r in _map_groups(rows, "family", _settle_family, address):
        placed[str(r["family"])][NameClass.from_dict(json.loads(r["cls"]))] = str(r["target"])
    return placed
