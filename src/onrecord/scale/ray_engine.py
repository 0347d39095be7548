"""The pipeline on a Ray cluster: Ray Data reads the files, a pool of actors extracts them.

The driver lists the inputs as the local engine does (`load.list_path`: directories walked in
sorted order; an object-store prefix listed through pyarrow's file systems); Ray Data reads each
file's bytes (`read_binary_files`), `load.iter_file_bytes` turns them into documents in the
reading tasks (a JSON lines file of a million lines becomes a million rows, spread over the
workers), and actors that load the spaCy model once each run `pipeline.extract_batch` on batches
of `WORKER_BATCH` documents. The records come back to the driver in input order (Ray Data's
`preserve_order`), so the run yields exactly what `pipeline.extract_files` yields for the same
input, whatever the number of workers; a bad document yields its error in its place.

Failures: an actor whose process dies is restarted and its unfinished batches run again
(Ray Data's actor pool: `max_restarts=-1`, `max_task_retries=-1`), and a batch's output is
taken once, so a killed worker loses no document and duplicates none.

Between the processes a document, a record and an error each travel as one JSON string
(`_encode`/`_decode`): one column type in every block, whatever fields a document has.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import asdict
from functools import partial
from typing import Any

import numpy as np
import pyarrow.fs as pafs
import ray
import ray.data

from .. import load, pipeline
from ..errors import ConfigError, InputError, OnrecordError, ProcessingError
from ..record import Record, content_hash
from ..settings import Options
from ..store.clusters import Banded
from ..store.speakers import identities_of
from . import AlreadyStored

# Documents per batch an actor extracts at once: nlp.pipe gains little past a few documents, and
# small batches spread a few dozen documents over every worker and make a retried batch short.
WORKER_BATCH = 8
# CPU share of one reading task (read the bytes, decode, split JSON lines): light next to a parse,
# so readers run beside the workers without taking a whole CPU from them.
READ_CPUS = 0.25
# CPUs left to the readers: a local cluster started for the run declares this many beyond its
# workers, and the default number of workers on a cluster is its CPUs less this many.
SPARE_CPUS = 1
HASH_CHARS = 64  # a content hash in hex (SHA-256): the width of the sorted array of stored ones
_ERRORS: dict[str, type[InputError] | type[ProcessingError]] = {"InputError": InputError,
                                                               "ProcessingError": ProcessingError}


def extract_files(paths: list[str], *, options: Options, workers: int | None = None,
                  address: str | None = None, stored: Collection[str] = ()
                  ) -> Iterator[Banded | OnrecordError | AlreadyStored]:
    """Records of every document under `paths` (local paths or object-store URIs), in input order,
    each with its quotes' LSH bucket keys (computed beside the parse, for the corpus writer),
    extracted by `workers` actors (default: one per CPU of the cluster, less one for reading) on
    the cluster at `address` (default: a local cluster started for the run, then stopped). A
    document whose content hash is in `stored` is passed over by the reading task that loads it
    (`AlreadyStored` in its place): a resumed ingest extracts only what the corpus lacks."""
    if load.STDIN in paths:
        raise ConfigError("--engine ray reads files and object-store URIs, not stdin")
    if workers is not None and workers < 1:
        raise ConfigError(f"workers must be at least 1, not {workers}")
    pipeline.check_model(options.model)
    fs, prefix, listing = _listing(paths)
    return _run(listing, fs, prefix, options, workers, address, stored)


def _listing(paths: list[str]) -> tuple[pafs.FileSystem | None, str, list[load.Listed | InputError]]:
    """The files to read, in the local engine's order, with listing errors in their places; the file
    system they are on (None: the local one) and the URI prefix that names them in messages."""
    schemes = {path.partition("://")[0] if "://" in path else "" for path in paths}
    if len(schemes) > 1:
        raise ConfigError("--engine ray reads inputs from one file system per run: give only local paths, "
                          "or only URIs of one scheme")
    scheme = schemes.pop()
    if not scheme:
        return None, "", [item for path in paths for item in load.list_path(path)]
    listing: list[load.Listed | InputError] = []
    fs: pafs.FileSystem | None = None
    for uri in paths:
        try:
            fs, root = pafs.FileSystem.from_uri(uri)
        except (ValueError, OSError) as exc:
            raise ConfigError(f"{uri}: cannot open this location ({exc})") from None
        listing.extend(_list_remote(fs, root, uri))
    return fs, f"{scheme}://", listing


def _list_remote(fs: pafs.FileSystem, root: str, uri: str) -> Iterator[load.Listed | InputError]:
    """The files under an object-store URI, by the rules of a local directory walk (its order, hidden
    entries and `load.SKIPPED_SUFFIXES` left out)."""
    info = fs.get_file_info(root)
    if info.type == pafs.FileType.NotFound:
        yield InputError(uri, "no such file")
        return
    if info.type == pafs.FileType.File:
        yield load.Listed(root)
        return
    base = root.rstrip("/") + "/"
    found = sorted((f.path for f in fs.get_file_info(pafs.FileSelector(root, recursive=True))
                    if f.type == pafs.FileType.File and not load.skipped_in_walk(f.path[len(base):])),
                   key=lambda path: load.walk_order(path[len(base):]))
    if not found:
        yield InputError(uri, "no documents found in directory")
    yield from (load.Listed(path, walked=True) for path in found)


def connect(address: str | None, workers: int | None) -> bool:
    """Join the cluster at `address`, or start a local one; True when this call started Ray (and
    so must stop it). A Ray already running in this process (a notebook, the tests) is used as is."""
    if ray.is_initialized():
        return False
    # Ray's notices (token authentication, deprecations) are not the user's; its errors still show.
    quiet: dict[str, Any] = {"include_dashboard": False, "logging_level": logging.ERROR, "log_to_driver": False}
    if address is None:
        ray.init(num_cpus=(workers or os.cpu_count() or 1) + SPARE_CPUS, **quiet)
    else:
        try:
            ray.init(address=address, **quiet)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise ConfigError(f"cannot join the Ray cluster at {address}: {exc}") from None
    return True


def _run(listing: list[load.Listed | InputError], fs: pafs.FileSystem | None, prefix: str, options: Options,
         workers: int | None, address: str | None, stored: Collection[str]
         ) -> Iterator[Banded | OnrecordError | AlreadyStored]:
    files = [item for item in listing if isinstance(item, load.Listed)]
    if not files:
        yield from (item for item in listing if isinstance(item, InputError))
        return
    started = connect(address, workers)
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    try:
        if workers is None:
            workers = max(1, int(ray.cluster_resources().get("CPU", 1) - SPARE_CPUS))
        named = frozenset(item.path for item in files if not item.walked)
        ds = ray.data.read_binary_files([item.path for item in files], include_paths=True, filesystem=fs,
                                        num_cpus=READ_CPUS)
        # the corpus's hashes, sorted, in the object store once: every reading task looks them up in place
        known = ray.put(np.array(sorted(h.encode("ascii") for h in stored), dtype=f"S{HASH_CHARS}")) if stored else None
        ds = ds.flat_map(partial(_load_file, named=named, prefix=prefix, encoding=options.encoding, stored=known),
                         num_cpus=READ_CPUS)
        # A block goes to one worker whole: a file's documents are cut into blocks of a batch each
        # (streaming, no shuffle), so that one large JSON lines file spreads over every worker.
        ds = ds.repartition(target_num_rows_per_block=WORKER_BATCH)
        ds = ds.map_batches(OnrecordExtractor, fn_constructor_kwargs={"options": options}, batch_size=WORKER_BATCH,
                            compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1)
        ds.context.execution_options.preserve_order = True
        ds.context.enable_progress_bars = False
        yield from _in_listing_order(listing, ds.iter_rows())
    except ray.exceptions.RayError as exc:  # the workers cannot run at all (a document's own error is a row)
        cause = getattr(exc, "cause", None)
        if isinstance(cause, OnrecordError):
            raise cause from None
        summary = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"the Ray workers failed: {summary}") from None
    finally:
        if started:
            ray.shutdown()


def _in_listing_order(listing: list[load.Listed | InputError], rows: Iterable[dict]
                      ) -> Iterator[Banded | OnrecordError | AlreadyStored]:
    """The results, with each listing error yielded where its entry stands: before the first row of
    the next file read (every file gives at least one row, marked `first`)."""
    pending = iter(listing)
    for row in rows:
        if row["first"]:
            for item in pending:
                if isinstance(item, load.Listed):
                    break
                yield item
        result = _decode(row["item"])
        if result is not None:
            yield result
    yield from (item for item in pending if isinstance(item, InputError))


def _load_file(row: dict[str, Any], *, named: frozenset[str], prefix: str, encoding: str | None,
               stored: ray.ObjectRef | None = None) -> list[dict[str, Any]]:
    """A Ray Data step: one file's bytes into its documents (or errors), as `load` reads them, each
    document the corpus holds already (its hash in the sorted array `stored`) as `AlreadyStored`; a
    file a walk skips (an SQLite file) gives one empty row, so that every file marks where it starts."""
    path = row["path"]
    known = ray.get(stored) if stored is not None else None
    items = load.iter_file_bytes(row["bytes"], prefix + path, walked=path not in named, encoding=encoding)
    out = [{"path": path, "first": not i, "item": _encode(_unless_stored(item, known))} for i, item in enumerate(items)]
    return out or [{"path": path, "first": True, "item": _encode(None)}]


def _unless_stored(item: load.Document | OnrecordError | None, known: np.ndarray | None
                   ) -> load.Document | OnrecordError | AlreadyStored | None:
    if known is None or not isinstance(item, load.Document):
        return item
    digest = content_hash(item.text).encode("ascii")
    k = int(np.searchsorted(known, digest))
    return AlreadyStored(item.doc_id) if k < len(known) and known[k] == digest else item


class OnrecordExtractor:
    """A Ray Data actor: loads the model once, then extracts batches of documents. Its processes are
    titled after it (`ray::MapWorker(MapBatches(OnrecordExtractor))`)."""

    def __init__(self, options: Options):
        self.options = options
        pipeline.get_nlp(options.model)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        items = [_decode_item(text) for text in batch["item"]]
        documents = [item for item in items if isinstance(item, load.Document)]
        results = iter(pipeline.extract_batch(documents, self.options) if documents else [])
        out = [_encode(_banded(next(results)) if isinstance(item, load.Document) else item) for item in items]
        return {"path": batch["path"], "first": batch["first"], "item": out}


def _banded(result: Record | OnrecordError) -> Banded | OnrecordError:
    return result if isinstance(result, OnrecordError) else Banded.of(result)


def _encode(item: load.Document | Banded | OnrecordError | AlreadyStored | None) -> str:
    if isinstance(item, load.Document):
        return json.dumps({"document": asdict(item)}, ensure_ascii=False)
    if isinstance(item, AlreadyStored):
        return json.dumps({"stored": item.doc_id}, ensure_ascii=False)
    if isinstance(item, Banded):
        identities = None if item.identities is None else [i.to_dict() for i in item.identities]
        return json.dumps({"record": item.record.to_dict(), "bands": item.bands, "identities": identities},
                          ensure_ascii=False)
    if isinstance(item, OnrecordError):
        kind = type(item).__name__
        if kind not in _ERRORS:
            item, kind = ProcessingError(getattr(item, "source", "input"), f"{kind}: {item}"), "ProcessingError"
        return json.dumps({"error": kind, "args": list(item.__reduce__()[1])}, ensure_ascii=False)
    return json.dumps({"skipped": True})


def _decode_item(text: str) -> load.Document | Banded | OnrecordError | AlreadyStored | None:
    data = json.loads(text)
    if "document" in data:
        return load.Document(**data["document"])
    if "stored" in data:
        return AlreadyStored(data["stored"])
    if "record" in data:
        return Banded(Record.from_dict(data["record"]), data["bands"], identities_of(data.get("identities")))
    if "error" in data:
        return _ERRORS[data["error"]](*data["args"])
    return None


def _decode(text: str) -> Banded | OnrecordError | AlreadyStored | None:
    item = _decode_item(text)
    if isinstance(item, load.Document):  # only records and errors leave the workers
        raise AssertionError(f"{item.doc_id}: a document came back unextracted")
    return item
