"""The corpus steps on Ray: the LSH buckets of a link pass grouped as a distributed step.

Each (bucket, quote) row goes to Ray Data; `groupby("bucket").map_groups` settles every bucket in
a task of its own with the same pure function the local writer uses (`store.grouping.group_bucket`),
and only the links come back: the driver joins them into clusters (union-find; links are few, one
per confirmed member) and the writer stores them (`store.linking.link`). So the clusters are those
of the local engine whatever the number of workers, and a bucket's work never waits on another's.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import ray
import ray.data

from ..store.grouping import Link, Member, group, group_bucket
from .ray_engine import connect

# CPU share of one grouping task: a bucket is a few dozen set comparisons, so tasks run beside the
# extraction actors of a Ray ingest without taking a whole CPU from them.
GROUP_CPUS = 0.25
# Below this many (bucket, quote) rows a pass is grouped on the driver: Ray's scheduling of a
# shuffle costs more than the comparisons themselves. The links are the same either way.
RAY_MIN_ROWS = 200_000


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
    started = connect(address, None)
    try:
        ds = ray.data.from_items(rows)
        ds.context.enable_progress_bars = False
        out = ds.groupby("bucket").map_groups(_settle, num_cpus=GROUP_CPUS, batch_format="numpy")
        return sorted((int(r["a"]), int(r["b"])) for r in out.iter_rows())
    finally:
        if started:
            ray.shutdown()
