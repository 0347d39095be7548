"""Beyond one process: the engines that run the pipeline over many documents.

`extract_files(paths, engine=...)` is the one entry point the CLI and the store call: "local"
is the pipeline's own (`pipeline.extract_files`, `jobs` processes on this machine), "ray" runs
the same extraction on a Ray cluster (`scale.ray_engine`). Both yield the same records, in
input order, and an error in place of each bad document.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from types import ModuleType
from typing import TYPE_CHECKING

from .. import pipeline
from ..errors import ConfigError, OnrecordError
from ..record import Record
from ..settings import Options, load_options

if TYPE_CHECKING:  # the store loads only where records are stored
    from ..store.clusters import Banded
    from ..store.grouping import Link, Member
    from ..store.speakers import SurnameSettler

ENGINES = ("local", "ray")
INSTALL_RAY = 'pip install "onrecord[ray]"'


@dataclass(frozen=True)
class AlreadyStored:
    """A document the corpus holds already (by its content hash), passed over before extraction."""

    doc_id: str


def extract_files(paths: Iterable[str], *, options: Options | None = None, jobs: int | None = None,
                  engine: str = "local", address: str | None = None) -> Iterator[Record | OnrecordError]:
    """Records of every document under `paths`, in input order, by `engine`; a bad file yields its
    error and the rest go on. `jobs`: worker processes (local: default 1; ray: default one per CPU
    of the cluster, less one). `address`: the Ray cluster to join ("auto", "HOST:PORT";
    default a local one started for the run; "ray://" is refused: Ray Data needs a driver on the cluster)."""
    options = options or load_options()
    check_engine(engine, address)
    if engine == "local":
        return pipeline.extract_files(paths, options=options, jobs=jobs or 1)
    return (item if isinstance(item, OnrecordError) else item.record
            for item in _ray_engine().extract_files(list(paths), options=options, workers=jobs, address=address))


def check_engine(engine: str, address: str | None) -> None:
    """A ConfigError for an engine onrecord does not have, or a cluster address without Ray."""
    if engine not in ENGINES:
        raise ConfigError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "local" and address is not None:
        raise ConfigError("--address names a Ray cluster: use it with --engine ray")
    if address is not None and address.startswith("ray://"):
        # Ray Data's executor needs a core worker in the driver, which a Ray Client driver has not
        # (Ray 2.60: AttributeError 'Worker' object has no attribute 'core_worker')
        raise ConfigError(f"--address {address}: Ray Data does not run through Ray Client (ray://). Run onrecord "
                          "on the cluster instead: ray job submit --address http://HEAD:8265 -- onrecord extract "
                          "s3://IN --engine ray --address auto --format parquet -o s3://OUT")


def extract_banded(paths: Iterable[str], *, options: Options, jobs: int | None = None, engine: str = "local",
                   address: str | None = None, stored: Collection[str] = ()
                   ) -> Iterator[Banded | OnrecordError | AlreadyStored]:
    """As `extract_files`, each record with its quotes' LSH bucket keys (`clusters.Banded`), what the
    corpus writer and the Parquet tables take: the Ray engine computes them in the workers beside
    the parse, the local one in this process. On Ray, a document whose content hash is in `stored`
    (what the corpus holds) is not extracted but yields `AlreadyStored` in its place; the local
    ingest passes such documents over itself, before this (`store.ingest.ingest_paths`)."""
    check_engine(engine, address)
    if engine == "local":
        if stored:
            raise ValueError("stored is for the Ray engine: the local ingest filters its documents first")
        from ..store.clusters import Banded

        return (item if isinstance(item, OnrecordError) else Banded.of(item)
                for item in pipeline.extract_files(paths, options=options, jobs=jobs or 1))
    return _ray_engine().extract_files(list(paths), options=options, workers=jobs, address=address, stored=stored)


def grouper(engine: str, address: str | None = None) -> Callable[[Mapping[int, Sequence[Member]]], list[Link]]:
    """How the corpus writer groups the LSH buckets of a link pass (`store.linking.Grouper`): on the
    Ray cluster at `address` for the Ray engine (`scale.corpus_steps`), else in this process; the
    links are the same."""
    check_engine(engine, address)
    from ..store import grouping

    if engine == "local":
        return grouping.group
    _ray_engine()  # says how to install Ray when it is missing
    from . import corpus_steps

    return partial(corpus_steps.group_on_ray, address=address)


def settler(engine: str, address: str | None = None) -> SurnameSettler:
    """How the corpus writer settles the surname groups of a bulk pass (`store.speakers.SurnameSettler`):
    on the Ray cluster at `address` for the Ray engine (`scale.corpus_steps`), else in this process;
    the speakers are the same."""
    check_engine(engine, address)
    from ..store import speaker_groups

    if engine == "local":
        return speaker_groups.settle_all
    _ray_engine()
    from . import corpus_steps

    return partial(corpus_steps.settle_on_ray, address=address)


def _ray_engine() -> ModuleType:
    try:
        from . import ray_engine
    except ImportError as exc:
        if exc.name is None or not exc.name.startswith("ray"):
            raise
        raise ConfigError(f"--engine ray needs Ray, which is not installed: {INSTALL_RAY}") from None
    return ray_engine


__all__ = ["ENGINES", "AlreadyStored", "check_engine", "extract_banded", "extract_files", "grouper", "settler"]
